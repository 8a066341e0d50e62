//! Community detection with the Leiden algorithm.
//!
//! The Leiden algorithm (Traag, Waltman & van Eck, "From Louvain to Leiden:
//! guaranteeing well-connected communities", *Scientific Reports* 9:5233,
//! 2019, <https://doi.org/10.1038/s41598-019-41695-z>) partitions the nodes
//! of a weighted undirected graph into communities that maximise a quality
//! function. It improves on the Louvain method, whose communities can be
//! badly connected or even disconnected: every community [`leiden`] returns
//! is connected.
//!
//! # Objectives
//!
//! Both objectives are sums over communities `c` of an edge term minus a
//! resolution-weighted "expected" term. With `e_c` the total weight of the
//! edges inside `c`:
//!
//! * **Modularity** ([`Objective::Modularity`]), with `m` the total edge
//!   weight, `k_i` the weighted degree (strength) of node `i` and
//!   `K_c = Σ_{i∈c} k_i`:
//!
//!   ```text
//!   Q = 1/(2m) Σ_ij [ A_ij − γ k_i k_j / (2m) ] δ(c_i, c_j)
//!     = Σ_c [ e_c / m − γ (K_c / 2m)² ]
//!   ```
//!
//!   [`modularity`](super::modularity::modularity) computes it (it matches
//!   NetworkX's `community.modularity`).
//! * **Constant Potts Model** ([`Objective::Cpm`]), node weights 1, with
//!   `n_c` the number of nodes of `c`:
//!
//!   ```text
//!   H = Σ_c [ e_c − γ n_c (n_c − 1) / 2 ]
//!   ```
//!
//!   A community is kept together only if its density exceeds `γ`, so the
//!   resolution has a direct meaning and, unlike modularity, it does not
//!   depend on the size of the whole graph.
//!
//! Moving a node (or an aggregate node) `v` of node weight `w_v` into a
//! community `C` changes the quality, up to the constant factor `1/m` of
//! modularity, by `Δ = E(v, C) − r · w_v · W_C`, where `E(v, C)` is the edge
//! weight between `v` and `C`, `W_C` is the total node weight of `C`, and
//! `w_v = k_v`, `r = γ / 2m` for modularity, `w_v = n_v`, `r = γ` for CPM.
//! All three phases below use this `Δ` (in edge-weight units, as igraph does).
//!
//! # Phases
//!
//! One *iteration* runs the following phases, level after level, on a graph
//! that shrinks as communities are aggregated:
//!
//! 1. **Fast local moving.** All nodes are put in a queue in random order
//!    (except at the very first level of the first iteration, see below).
//!    The node at the head is moved to the community (a neighbour's, or an
//!    empty one) with the largest `Δ`, if that beats staying. When a node
//!    moves, its neighbours outside its new community that are not queued are
//!    appended. The phase ends when the queue is empty: no single node can
//!    improve the quality by moving. Unlike Louvain, only nodes whose
//!    neighbourhood changed are revisited, which is what makes it fast.
//! 2. **Refinement.** Each community `S` found above is split into a refined
//!    partition, starting from singletons. Nodes of `S` are visited in random
//!    order; a node that is still alone and *well connected* to `S`
//!    (`E(v, S − v) ≥ r · w_v · (W_S − w_v)`) may merge into a refined
//!    community `T ⊆ S` that is itself well connected
//!    (`E(T, S − T) ≥ r · W_T · (W_S − W_T)`) and with `Δ ≥ 0`. The target
//!    (possibly staying alone, `Δ = 0`) is drawn at random with probability
//!    proportional to `exp(Δ / θ)`: `θ` (default 0.01) is the randomness; a
//!    small `θ` is almost greedy. Refined communities are connected by
//!    construction, since a node only joins a community it has an edge to.
//! 3. **Aggregation.** Each *refined* community becomes a node of a new graph
//!    whose edge weights are the summed weights between communities and whose
//!    node weight is the members' summed node weight. The initial partition
//!    of the new graph is the *non-refined* partition of phase 1, so a
//!    community of phase 1 may now be split by moving a refined sub-community
//!    out of it, which Louvain cannot do.
//!
//! The levels repeat until local moving leaves every (aggregate) node alone.
//! When the refinement merges nothing, the aggregation uses the communities
//! themselves instead (as igraph does), so every level is smaller than the
//! last and whole communities may still merge. Like igraph's
//! `community_leiden(n_iterations=-1)`, whole iterations are then repeated,
//! each starting from the previous partition on the original graph, until an
//! iteration changes nothing (or `max_iterations` is reached). As a final
//! safeguard a community that is not connected is split into its connected
//! components, which never lowers either objective.
//!
//! # Implementation and determinism
//!
//! Everything works on flat arrays: a CSR copy of the graph per level, dense
//! per-community accumulators reset through a list of touched entries (no
//! hash maps in the loops). Between iterations the working copy of the input
//! graph is relabelled so that each community occupies a contiguous index
//! range, and nodes are visited community by community (communities in random
//! order, nodes within each in random order): the walks stay in cache.
//!
//! Choices made for speed (the phases' rules are the paper's; the tests hold
//! the quality against igraph's):
//!
//! * The first local moving of the first iteration, from singletons, visits
//!   the nodes in index order instead of a uniformly random one: the walk over
//!   the rows is sequential and costs no random numbers. Every later local
//!   moving uses the random community-by-community order above.
//!   That first local moving draws no random number, so every seed gives
//!   the same result there: [`Leiden`] does it once for all the runs of
//!   [`consensus_confidence`] (on the generated movement of a million
//!   organisations it is the largest phase of a run).
//! * The local-moving queue is a ring buffer of `n` slots, and a node's own
//!   community is not accumulated with its neighbours' (its weight is read
//!   back directly). While a node is worked on, the communities of the
//!   neighbours of the node four places down the queue are read, so that
//!   they are in cache when its turn comes (the walk waits on memory, not
//!   on arithmetic). Aggregation reads ahead in the same way.
//! * In the refinement's random draw, a candidate whose `Δ` is more than
//!   `40 θ` below the best one's gets probability 0 without calling `exp`
//!   (`e⁻⁴⁰` is below the resolution of the draw), and no random number is
//!   drawn when a single candidate is left.
//! * The refinement hands communities to rayon one by one (no minimum job
//!   size) and aggregation builds rows in blocks of 256 parts, so that the few
//!   large communities of the later iterations and the small upper levels
//!   still use every thread.
//!
//! All randomness comes from `ChaCha8Rng` seeded with [`LeidenParams::seed`].
//! Local moving is sequential. The refinement of different communities is
//! independent, so communities are refined in parallel with rayon, each with
//! its own ChaCha stream (seed drawn from the main generator, stream = the
//! community's rank); aggregation builds blocks of rows in parallel and joins
//! them in order. The same seed therefore gives the same partition whatever
//! the number of threads. [`consensus_confidence`] runs seeds in parallel and
//! collects them in seed order. (The refinement's `exp` comes from the
//! platform's math library; a last-bit difference there could in principle
//! change a random draw across platforms.)
//!
//! Communities are numbered by size: community 0 is the largest, ties going to
//! the community holding the smallest node index.
//!
//! Edge weights that are not finite or not positive are treated as absent.
//! A graph whose total (usable) edge weight is zero, or a resolution that is
//! not finite, puts every node alone.
//!
//! # Example
//!
//! ```
//! use partnernet::algo::Csr;
//! use partnernet::algo::leiden::{leiden, LeidenParams};
//! // Two 4-cliques joined by the edge 3–4.
//! let mut edges = Vec::new();
//! for base in [0u32, 4] {
//!     for a in base..base + 4 {
//!         for b in a + 1..base + 4 {
//!             edges.push((a, b, 1.0));
//!         }
//!     }
//! }
//! edges.push((3, 4, 1.0));
//! let csr = Csr::from_edges(8, edges);
//! let membership = leiden(&csr, &LeidenParams::default());
//! assert_eq!(membership, vec![0, 0, 0, 0, 1, 1, 1, 1]);
//! ```

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{members_by_label, prefetch, Csr};

/// The quality function the Leiden algorithm maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    /// Weighted modularity with resolution `γ`.
    #[default]
    Modularity,
    /// Constant Potts Model with resolution `γ` and node weights 1.
    Cpm,
}

/// Parameters of [`leiden`].
///
/// ```
/// use partnernet::algo::leiden::{LeidenParams, Objective};
/// let p = LeidenParams::default();
/// assert_eq!(p.objective, Objective::Modularity);
/// assert_eq!(p.resolution, 1.0);
/// assert_eq!(p.theta, 0.01);
/// assert_eq!(p.max_iterations, None);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LeidenParams {
    /// The quality function.
    pub objective: Objective,
    /// The resolution `γ`: higher values give more, smaller communities.
    pub resolution: f64,
    /// Seed of the `ChaCha8Rng` behind every random choice.
    pub seed: u64,
    /// Randomness of the refinement phase (`θ`); a value that is not
    /// positive makes the refinement greedy.
    pub theta: f64,
    /// Maximum number of iterations; `None` iterates until an iteration
    /// changes nothing. `Some(0)` leaves every node alone.
    pub max_iterations: Option<usize>,
}

impl Default for LeidenParams {
    fn default() -> Self {
        LeidenParams {
            objective: Objective::Modularity,
            resolution: 1.0,
            seed: 0,
            theta: 0.01,
            max_iterations: None,
        }
    }
}

/// A level of the algorithm: the input graph or an aggregate of it. Same
/// layout as [`Csr`], with node weights and without self-loops (a node's
/// internal weight never changes the gain of moving it).
struct Level {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    node_weight: Vec<f64>,
}

impl Level {
    fn from_csr(csr: &Csr, objective: Objective) -> Level {
        let n = csr.node_count();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity(2 * csr.edge_count());
        let mut weights = Vec::with_capacity(2 * csr.edge_count());
        let mut node_weight = Vec::with_capacity(n);
        offsets.push(0);
        for v in 0..n {
            let mut strength = 0.0;
            for (&u, &w) in csr.neighbors(v).iter().zip(csr.weights(v)) {
                if usable(w) && (u as usize) < n {
                    targets.push(u);
                    weights.push(w);
                    strength += w;
                }
            }
            offsets.push(targets.len());
            node_weight.push(match objective {
                Objective::Modularity => strength,
                Objective::Cpm => 1.0,
            });
        }
        Level {
            offsets,
            targets,
            weights,
            node_weight,
        }
    }

    fn len(&self) -> usize {
        self.node_weight.len()
    }

    /// The same graph with node `order[i]` renamed `i`; also returns the new
    /// name of every old node.
    fn permuted(&self, order: &[u32]) -> (Level, Vec<u32>) {
        let n = self.len();
        let mut new_of_old = vec![0u32; n];
        for (i, &v) in order.iter().enumerate() {
            new_of_old[v as usize] = i as u32;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity(self.targets.len());
        let mut weights = Vec::with_capacity(self.weights.len());
        let mut node_weight = Vec::with_capacity(n);
        offsets.push(0);
        for &v in order {
            let (nbrs, ws) = self.row(v as usize);
            targets.extend(nbrs.iter().map(|&u| new_of_old[u as usize]));
            weights.extend_from_slice(ws);
            offsets.push(targets.len());
            node_weight.push(self.node_weight[v as usize]);
        }
        (
            Level {
                offsets,
                targets,
                weights,
                node_weight,
            },
            new_of_old,
        )
    }

    /// Reads `labels` of every neighbour of `v`, folded into one value
    /// that the caller hands to `black_box`: a plain read that brings them
    /// into cache before `v`'s turn comes (see [`AHEAD`]).
    #[inline]
    fn read_ahead(&self, v: u32, labels: &[u32]) -> u32 {
        self.row(v as usize)
            .0
            .iter()
            .fold(0, |t, &u| t ^ labels[u as usize])
    }

    #[inline]
    fn row(&self, v: usize) -> (&[u32], &[f64]) {
        let (s, e) = (self.offsets[v], self.offsets[v + 1]);
        (&self.targets[s..e], &self.weights[s..e])
    }
}

fn usable(w: f64) -> bool {
    w.is_finite() && w > 0.0
}

/// A dense accumulator of weights per community with the list of the
/// communities touched, reset in time proportional to that list. Every weight
/// added must be positive (as usable edge weights and their sums are), so a
/// zero slot means "not touched yet" and no separate flag is needed.
struct Accumulator {
    weight: Vec<f64>,
    touched: Vec<u32>,
}

impl Accumulator {
    fn new(n: usize) -> Accumulator {
        Accumulator {
            weight: vec![0.0; n],
            touched: Vec::new(),
        }
    }

    #[inline]
    fn add(&mut self, c: u32, w: f64) {
        let slot = &mut self.weight[c as usize];
        if *slot == 0.0 {
            self.touched.push(c);
        }
        *slot += w;
    }

    /// Makes room for ids below `n` (new slots are clear).
    fn grow(&mut self, n: usize) {
        if self.weight.len() < n {
            self.weight.resize(n, 0.0);
        }
    }

    #[inline]
    fn clear(&mut self) {
        for &c in &self.touched {
            self.weight[c as usize] = 0.0;
        }
        self.touched.clear();
    }
}

/// Shared state of one run.
struct Run {
    /// `r` in `Δ = E(v, C) − r · w_v · W_C`.
    scale: f64,
    /// Gains at most this much above the alternative are treated as ties, so
    /// rounding noise cannot make nodes move back and forth.
    tolerance: f64,
    theta: f64,
    rng: ChaCha8Rng,
}

/// Runs the Leiden algorithm and returns the community of every node,
/// numbered by decreasing size (ties: the community with the smallest node
/// index first). See the [module documentation](self) for the algorithm.
///
/// Every community is connected; nodes without usable edges are alone.
/// Several runs on the same graph with different seeds are cheaper through
/// [`Leiden`], which does the part they share once.
///
/// ```
/// use partnernet::algo::Csr;
/// use partnernet::algo::leiden::{leiden, LeidenParams};
/// // A path 0-1-2 and an isolated node 3.
/// let csr = Csr::from_edges(4, [(0, 1, 1.0), (1, 2, 1.0)]);
/// let m = leiden(&csr, &LeidenParams::default());
/// assert_eq!(m, vec![0, 0, 0, 1]);
/// assert_eq!(leiden(&Csr::from_edges(0, []), &LeidenParams::default()), Vec::<u32>::new());
/// ```
pub fn leiden(csr: &Csr, params: &LeidenParams) -> Vec<u32> {
    Leiden::new(csr, params).run(params.seed)
}

/// The Leiden algorithm on one graph with fixed parameters, ready to run
/// with any seed.
///
/// The first local moving of a run starts from singletons and visits the
/// nodes in index order (see the [module documentation](self)), so it draws
/// no random number: every seed gives the same result there. [`Leiden::new`]
/// does it once (it is the most expensive phase of a run on a large graph);
/// each [`Leiden::run`] goes on from it, with its own seed, to the same
/// partition [`leiden`] gives with that seed.
///
/// ```
/// use partnernet::algo::Csr;
/// use partnernet::algo::leiden::{Leiden, LeidenParams};
/// // Two triangles joined by a weak tie.
/// let csr = Csr::from_edges(6, [(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0), (2, 3, 0.5),
///                               (3, 4, 1.0), (4, 5, 1.0), (5, 3, 1.0)]);
/// let prepared = Leiden::new(&csr, &LeidenParams::default());
/// for seed in 0..4 {
///     assert_eq!(prepared.run(seed), vec![0, 0, 0, 1, 1, 1]);
/// }
/// ```
pub struct Leiden {
    /// The input graph as the first level; `None` when every node stays
    /// alone (no usable edge weight, a resolution that is not finite, or no
    /// iteration allowed).
    base: Option<Level>,
    n: usize,
    scale: f64,
    tolerance: f64,
    theta: f64,
    max_iterations: Option<usize>,
    first: FirstMoves,
}

/// The outcome of the first local moving from singletons, which every seed
/// shares (see [`Leiden`]).
#[derive(Default)]
struct FirstMoves {
    /// Each node's community (compact ids).
    comm: Vec<u32>,
    /// The number of communities.
    communities: usize,
    /// Whether any node moved.
    moved: bool,
}

impl Leiden {
    /// Prepares runs on `csr` with `params` (whose seed is not used) and does
    /// the first local moving, which every seed shares.
    pub fn new(csr: &Csr, params: &LeidenParams) -> Leiden {
        let n = csr.node_count();
        let base = Level::from_csr(csr, params.objective);
        let total: f64 = base.weights.iter().sum::<f64>() / 2.0;
        let scale = match params.objective {
            Objective::Modularity => params.resolution / (2.0 * total),
            Objective::Cpm => params.resolution,
        };
        let edges = base.targets.len().max(1) as f64;
        let mut leiden = Leiden {
            base: None,
            n,
            scale,
            tolerance: 1e-12 * (2.0 * total / edges),
            theta: params.theta,
            max_iterations: params.max_iterations,
            first: FirstMoves::default(),
        };
        let alone = n == 0 || total <= 0.0 || !total.is_finite() || !scale.is_finite();
        if alone || params.max_iterations == Some(0) {
            return leiden;
        }
        // In index order, so no random number is drawn: the seed is unused.
        let mut run = leiden.run_state(0);
        let mut comm: Vec<u32> = (0..n as u32).collect();
        let moved = move_nodes_fast(&base, &mut run, &mut comm, true);
        let communities = compact(&mut comm);
        leiden.first = FirstMoves {
            comm,
            communities,
            moved,
        };
        leiden.base = Some(base);
        leiden
    }

    fn run_state(&self, seed: u64) -> Run {
        Run {
            scale: self.scale,
            tolerance: self.tolerance,
            theta: self.theta,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The partition [`leiden`] gives with this seed and the parameters of
    /// [`Leiden::new`].
    pub fn run(&self, seed: u64) -> Vec<u32> {
        let n = self.n;
        let Some(input) = &self.base else {
            return (0..n as u32).collect();
        };
        let mut run = self.run_state(seed);
        // `membership` is indexed by node of `base`, which is relabelled
        // between iterations so that communities occupy contiguous index
        // ranges (the walks then stay in cache); `label` maps input nodes to
        // `base` nodes.
        let mut relabelled: Option<Level> = None;
        let mut membership: Vec<u32> = (0..n as u32).collect();
        let mut label: Vec<u32> = (0..n as u32).collect();
        let mut iterations = 0usize;
        while self.max_iterations.is_none_or(|max| iterations < max) {
            iterations += 1;
            if iterations > 1 && scattered(&membership) {
                let order = grouped_order(&membership);
                let base = relabelled.as_ref().unwrap_or(input);
                let (next, new_of_old) = base.permuted(&order);
                membership = order.iter().map(|&v| membership[v as usize]).collect();
                for l in label.iter_mut() {
                    *l = new_of_old[*l as usize];
                }
                relabelled = Some(next);
            }
            let base = relabelled.as_ref().unwrap_or(input);
            let first = (iterations == 1).then_some(&self.first);
            if !iterate(base, &mut run, &mut membership, first) {
                break;
            }
        }
        split_disconnected(relabelled.as_ref().unwrap_or(input), &mut membership);
        let mut result: Vec<u32> = label.iter().map(|&l| membership[l as usize]).collect();
        renumber_by_size(&mut result);
        result
    }
}

/// Whether communities are spread over many more index runs than there are
/// communities (twice as many), so relabelling pays off.
fn scattered(membership: &[u32]) -> bool {
    let runs = 1 + membership.windows(2).filter(|w| w[0] != w[1]).count();
    let mut seen = vec![false; membership.len()];
    let mut communities = 0;
    for &c in membership {
        if !seen[c as usize] {
            seen[c as usize] = true;
            communities += 1;
        }
    }
    runs > 2 * communities
}

/// Nodes sorted by community id, then by index (counting sort; ids must be
/// below `comm.len()`).
fn grouped_order(comm: &[u32]) -> Vec<u32> {
    members_by_label(comm, comm.len()).1
}

/// A random visiting order that keeps communities together: communities in
/// random order, the nodes of each in random order. Since communities occupy
/// nearby indices (see [`Level::permuted`]), the walk stays in cache; from
/// singletons it is a uniformly random order.
fn community_order(comm: &[u32], rng: &mut ChaCha8Rng) -> Vec<u32> {
    let n = comm.len();
    let mut order = grouped_order(comm);
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut s = 0;
    for e in 1..=n {
        if e == n || comm[order[e] as usize] != comm[order[s] as usize] {
            blocks.push((s, e));
            s = e;
        }
    }
    blocks.shuffle(rng);
    let mut shuffled = Vec::with_capacity(n);
    for (s, e) in blocks {
        let block = &mut order[s..e];
        block.shuffle(rng);
        shuffled.extend_from_slice(block);
    }
    shuffled
}

/// One Leiden iteration starting from `membership` (compact ids); returns
/// whether any node changed community. `first`, in the first iteration, is
/// the outcome of the first local moving from singletons (see [`Leiden`]),
/// which every run shares.
#[inline(never)]
fn iterate(
    base: &Level,
    run: &mut Run,
    membership: &mut [u32],
    first: Option<&FirstMoves>,
) -> bool {
    let n = base.len();
    let mut comm: Vec<u32> = membership.to_vec();
    let mut node_of: Vec<u32> = (0..n as u32).collect();
    let mut owned: Option<Level> = None;
    let mut changed = false;
    loop {
        let level = owned.as_ref().unwrap_or(base);
        let len = level.len();
        let communities = match first.filter(|_| owned.is_none()) {
            Some(first) => {
                comm.copy_from_slice(&first.comm);
                changed |= first.moved;
                first.communities
            }
            None => {
                changed |= move_nodes_fast(level, run, &mut comm, false);
                compact(&mut comm)
            }
        };
        if communities == len {
            break;
        }
        let mut refined = refine(level, run, &comm);
        let mut parts = compact(&mut refined);
        if parts == len {
            // The refinement merged nothing: aggregate on the communities
            // themselves (as igraph does) so that whole communities can
            // still merge at the next level.
            refined.copy_from_slice(&comm);
            parts = communities;
        }
        let next = aggregate(level, &refined, parts);
        let mut next_comm = vec![0u32; parts];
        for v in 0..len {
            next_comm[refined[v] as usize] = comm[v];
        }
        for x in node_of.iter_mut() {
            *x = refined[*x as usize];
        }
        comm = next_comm;
        owned = Some(next);
    }
    for (m, &x) in membership.iter_mut().zip(&node_of) {
        *m = comm[x as usize];
    }
    compact(membership);
    changed
}

/// Renumbers ids to `0..k` in order of first appearance; returns `k`.
/// Ids must be below `ids.len()`.
fn compact(ids: &mut [u32]) -> usize {
    let mut map = vec![u32::MAX; ids.len()];
    let mut next = 0u32;
    for id in ids.iter_mut() {
        let slot = &mut map[*id as usize];
        if *slot == u32::MAX {
            *slot = next;
            next += 1;
        }
        *id = *slot;
    }
    next as usize
}

/// Fast local moving (queue-based). `comm` holds ids below `level.len()`.
/// Returns whether a node moved.
///
/// The queue is a ring buffer of `n` slots (a node is queued at most once at
/// a time); a node's own community is not put in the accumulator, its edge
/// weight to it is read back as 0 when no neighbour is in it.
#[inline(never)]
fn move_nodes_fast(level: &Level, run: &mut Run, comm: &mut [u32], in_order: bool) -> bool {
    let n = level.len();
    let mut total = vec![0.0f64; n];
    let mut count = vec![0u32; n];
    for v in 0..n {
        total[comm[v] as usize] += level.node_weight[v];
        count[comm[v] as usize] += 1;
    }
    let mut empty: Vec<u32> = (0..n as u32).filter(|&c| count[c as usize] == 0).collect();
    let mut queue: Vec<u32> = if in_order {
        (0..n as u32).collect()
    } else {
        community_order(comm, &mut run.rng)
    };
    let (mut head, mut tail, mut queued_len) = (0usize, 0usize, n);
    let mut queued = vec![true; n];
    let mut acc = Accumulator::new(n);
    let (scale, tolerance) = (run.scale, run.tolerance);
    let mut moved = false;
    // The communities of the neighbours of the node `AHEAD` places down
    // the queue are read now and folded into `sink`, which nothing uses: a
    // plain read that brings them into cache while this node is worked
    // on, without changing any result.
    let mut sink = 0u32;
    while queued_len > 0 {
        if queued_len > AHEAD {
            let mut k = head + AHEAD;
            if k >= n {
                k -= n;
            }
            sink ^= level.read_ahead(queue[k], comm);
        }
        let v = queue[head] as usize;
        head += 1;
        if head == n {
            head = 0;
        }
        queued_len -= 1;
        queued[v] = false;
        let own = comm[v];
        let wv = level.node_weight[v];
        let swv = scale * wv;
        let (nbrs, ws) = level.row(v);
        for (&u, &w) in nbrs.iter().zip(ws) {
            acc.add(comm[u as usize], w);
        }
        let own_total = total[own as usize] - wv;
        let own_gain = acc.weight[own as usize] - swv * own_total;
        let mut best = own;
        let mut best_gain = own_gain;
        for &c in &acc.touched {
            let gain = acc.weight[c as usize] - swv * total[c as usize];
            // `c == own` is never better than itself: its `total` still
            // holds `wv`, so its gain here is lower.
            if gain - best_gain > tolerance {
                best = c;
                best_gain = gain;
            }
        }
        // An empty community has gain 0.
        if count[own as usize] > 1 && 0.0 - best_gain > tolerance {
            if let Some(c) = empty.pop() {
                best = c;
            }
        }
        acc.clear();
        if best != own {
            total[own as usize] = own_total;
            total[best as usize] += wv;
            count[own as usize] -= 1;
            if count[own as usize] == 0 {
                empty.push(own);
            }
            count[best as usize] += 1;
            comm[v] = best;
            moved = true;
            for &u in nbrs {
                let u = u as usize;
                if !queued[u] && comm[u] != best {
                    queued[u] = true;
                    queue[tail] = u as u32;
                    tail += 1;
                    if tail == n {
                        tail = 0;
                    }
                    queued_len += 1;
                }
            }
        }
    }
    std::hint::black_box(sink);
    moved
}

/// How far down the queue [`move_nodes_fast`] reads ahead ([`aggregate`]
/// reads as far down its list of members). On the
/// generated movement of a million organisations, the `clusters` stage took
/// 3.4-5.0 s reading 4 ahead, 3.6-5.0 s reading 2 ahead, 4.6-4.9 s reading
/// 8 ahead and 4.5-5.7 s without reading ahead (alternating runs).
const AHEAD: usize = 4;

/// Refinement: a partition of every community of `comm` into well-connected
/// sub-communities built by randomised merging of singletons. Communities are
/// independent, so they are refined in parallel, each with its own random
/// stream (`seed` from the run's generator, stream = the community's rank),
/// which keeps the result independent of the number of threads. A refined
/// community is named after one of its nodes.
#[inline(never)]
fn refine(level: &Level, run: &mut Run, comm: &[u32]) -> Vec<u32> {
    let n = level.len();
    let order = grouped_order(comm);
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut pos = vec![0u32; n];
    let mut s = 0;
    for e in 1..=n {
        if e == n || comm[order[e] as usize] != comm[order[s] as usize] {
            blocks.push((s, e));
            for (i, &v) in order[s..e].iter().enumerate() {
                pos[v as usize] = i as u32;
            }
            s = e;
        }
    }
    let seed: u64 = run.rng.gen();
    let (scale, theta) = (run.scale, run.theta);
    // The refined community of `order[i]` goes to `labels[i]`: each
    // community writes its own disjoint slice.
    let mut labels = order.clone();
    let mut slices: Vec<&mut [u32]> = Vec::with_capacity(blocks.len());
    let mut rest = labels.as_mut_slice();
    for &(s, e) in &blocks {
        let (head, tail) = rest.split_at_mut(e - s);
        slices.push(head);
        rest = tail;
    }
    slices
        .into_par_iter()
        .zip(blocks.par_iter())
        .enumerate()
        // No minimum length: after the first iteration a few large
        // communities hold most nodes, and they must not all go to one job.
        .for_each_init(RefineScratch::default, |scratch, (rank, (out, &(s, e)))| {
            if e - s == 1 {
                return;
            }
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(rank as u64);
            let community = Community {
                level,
                comm,
                members: &order[s..e],
                pos: &pos,
                scale,
                theta,
            };
            community.refine(&mut rng, scratch, out);
        });
    let mut refined = vec![0u32; n];
    for (&v, &l) in order.iter().zip(&labels) {
        refined[v as usize] = l;
    }
    refined
}

/// Reusable buffers of [`Community::refine`], indexed by position in the
/// community.
#[derive(Default)]
struct RefineScratch {
    label: Vec<u32>,
    weight: Vec<f64>,
    size: Vec<u32>,
    external: Vec<f64>,
    order: Vec<u32>,
    candidates: Vec<(u32, f64)>,
    acc: Option<Accumulator>,
}

/// One community of the refinement.
struct Community<'a> {
    level: &'a Level,
    comm: &'a [u32],
    /// The community's nodes, by index.
    members: &'a [u32],
    /// Every node's position among its community's members.
    pos: &'a [u32],
    scale: f64,
    theta: f64,
}

impl Community<'_> {
    /// Prefetches (see [`prefetch`]) what the visit of the members a few
    /// places after `k` in the random `order` reads, in three stages so that
    /// each stage finds the previous one's data in cache: at `3·AHEAD` the
    /// member's own slots, at `2·AHEAD` its row's bounds and weight and its
    /// refined community's size, at `AHEAD` the start of its row. Without
    /// it each visit waits on several cache misses once a community
    /// outgrows the caches: on one affiliate tied to a million institutions
    /// (one thread, two runs each), the `clusters` stage took 0.98-1.00 s
    /// without it and 0.41-0.42 s with it, the `confidence` stage 1.95-2.07 s
    /// and 0.77 s, with the same results.
    #[inline(always)]
    fn look_ahead(&self, order: &[u32], label: &[u32], size: &[u32], external: &[f64], k: usize) {
        let level = self.level;
        if let Some(&i) = order.get(k + 3 * AHEAD) {
            let i = i as usize;
            prefetch(&label[i]);
            prefetch(&external[i]);
            prefetch(&self.members[i]);
        }
        if let Some(&i) = order.get(k + 2 * AHEAD) {
            let i = i as usize;
            let v = self.members[i] as usize;
            prefetch(&level.offsets[v]);
            prefetch(&level.node_weight[v]);
            prefetch(&size[label[i] as usize]);
        }
        if let Some(&i) = order.get(k + AHEAD) {
            let v = self.members[i as usize] as usize;
            let s = level.offsets[v];
            if s < level.offsets[v + 1] {
                prefetch(&level.targets[s]);
                prefetch(&level.weights[s]);
            }
        }
    }

    /// Writes the refined community of every member (named by one of its
    /// nodes) to `out`, in the order of `members`.
    #[inline(never)]
    fn refine(&self, rng: &mut ChaCha8Rng, sc: &mut RefineScratch, out: &mut [u32]) {
        let len = self.members.len();
        let c = self.comm[self.members[0] as usize];
        let level = self.level;
        sc.label.clear();
        sc.label.extend(0..len as u32);
        sc.weight.clear();
        sc.weight
            .extend(self.members.iter().map(|&v| level.node_weight[v as usize]));
        sc.size.clear();
        sc.size.resize(len, 1);
        sc.external.clear();
        sc.external.extend(self.members.iter().map(|&v| {
            let (nbrs, ws) = level.row(v as usize);
            nbrs.iter()
                .zip(ws)
                .filter(|(&u, _)| self.comm[u as usize] == c)
                .map(|(_, &w)| w)
                .sum::<f64>()
        }));
        let total: f64 = sc.weight.iter().sum();
        sc.order.clear();
        sc.order.extend(0..len as u32);
        sc.order.shuffle(rng);
        let acc = sc.acc.get_or_insert_with(|| Accumulator::new(0));
        acc.grow(len);
        for k in 0..len {
            self.look_ahead(&sc.order, &sc.label, &sc.size, &sc.external, k);
            let i = sc.order[k] as usize;
            if sc.size[sc.label[i] as usize] > 1 {
                continue;
            }
            let v = self.members[i] as usize;
            let wv = level.node_weight[v];
            if sc.external[i] < self.scale * wv * (total - wv) {
                continue;
            }
            let (nbrs, ws) = level.row(v);
            for (&u, &w) in nbrs.iter().zip(ws) {
                if self.comm[u as usize] == c && u as usize != v {
                    let j = self.pos[u as usize] as usize;
                    acc.add(sc.label[j], w);
                }
            }
            // Staying alone: Δ = 0.
            sc.candidates.clear();
            sc.candidates.push((i as u32, 0.0));
            let mut max_gain = 0.0f64;
            for &t in &acc.touched {
                let ti = t as usize;
                if sc.external[ti] < self.scale * sc.weight[ti] * (total - sc.weight[ti]) {
                    continue;
                }
                let gain = acc.weight[ti] - self.scale * wv * sc.weight[ti];
                if gain >= 0.0 {
                    sc.candidates.push((t, gain));
                    max_gain = max_gain.max(gain);
                }
            }
            let chosen = choose(&mut sc.candidates, max_gain, self.theta, rng);
            if chosen as usize != i {
                let t = chosen as usize;
                sc.label[i] = chosen;
                sc.external[t] += sc.external[i] - 2.0 * acc.weight[t];
                sc.weight[t] += wv;
                sc.size[t] += 1;
                sc.size[i] = 0;
            }
            acc.clear();
        }
        for (o, &l) in out.iter_mut().zip(&sc.label) {
            *o = self.members[l as usize];
        }
    }
}

/// A candidate whose `Δ` is more than this many `θ` below the best one's is
/// never drawn: its relative probability `exp(−40) ≈ 4·10⁻¹⁸` is below the
/// resolution of the uniform draw (2⁻⁵³ of the total, which is at least 1).
const NEGLIGIBLE: f64 = 40.0;

/// Draws a candidate with probability proportional to `exp(Δ / θ)`, or the
/// first best one when `θ` is not positive (or NaN); an infinite `θ` draws
/// uniformly. `exp` is only evaluated for candidates near the best one
/// (see [`NEGLIGIBLE`]), and no random number is drawn when only one
/// candidate is left.
fn choose(candidates: &mut [(u32, f64)], max_gain: f64, theta: f64, rng: &mut ChaCha8Rng) -> u32 {
    let best = |candidates: &[(u32, f64)], top: f64| {
        candidates
            .iter()
            .find(|c| c.1 == top)
            .map_or(candidates[0].0, |c| c.0)
    };
    if candidates.len() == 1 {
        return candidates[0].0;
    }
    if theta.is_nan() || theta <= 0.0 {
        return best(candidates, max_gain);
    }
    // Each gain becomes its relative probability; shifting by the maximum
    // keeps exp() from overflowing (the best one gets exactly 1).
    let mut total = 0.0;
    let mut live = 0usize;
    let mut last = candidates[0].0;
    for c in candidates.iter_mut() {
        let x = (c.1 - max_gain) / theta;
        c.1 = if x == 0.0 {
            1.0
        } else if x < -NEGLIGIBLE {
            0.0
        } else {
            x.exp()
        };
        if c.1 > 0.0 {
            live += 1;
            last = c.0;
        }
        total += c.1;
    }
    if live == 1 {
        return last;
    }
    let mut x = rng.gen::<f64>() * total;
    for &(t, p) in candidates.iter() {
        x -= p;
        if x < 0.0 {
            return t;
        }
    }
    // Rounding left a sliver: the best candidate takes it.
    best(candidates, 1.0)
}

/// Rows of a block of aggregate nodes: targets, weights, row ends (relative to
/// the block) and node weights.
type RowBlock = (Vec<u32>, Vec<f64>, Vec<usize>, Vec<f64>);

/// The graph whose nodes are the `parts` refined communities (`refined` holds
/// compact ids). Rows are built in parallel over blocks of parts and joined
/// in order, so the result does not depend on the number of threads.
#[inline(never)]
fn aggregate(level: &Level, refined: &[u32], parts: usize) -> Level {
    let (start, members) = members_by_label(refined, parts);
    // Small blocks, so that the few hundred parts of the upper levels are
    // shared between threads too; the blocking does not change the result.
    const BLOCK: usize = 256;
    let blocks: Vec<usize> = (0..parts).step_by(BLOCK).collect();
    let built: Vec<RowBlock> = blocks
        .par_iter()
        .map_init(
            || Accumulator::new(parts),
            |acc, &first| {
                let last = (first + BLOCK).min(parts);
                let mut targets = Vec::new();
                let mut weights = Vec::new();
                let mut ends = Vec::with_capacity(last - first);
                let mut node_weight = Vec::with_capacity(last - first);
                // Members are read ahead as in `move_nodes_fast`: the parts
                // of the neighbours of the member `AHEAD` places on.
                let mut sink = 0u32;
                for a in first..last {
                    let mut nw = 0.0;
                    for k in start[a]..start[a + 1] {
                        if let Some(&ahead) = members.get(k + AHEAD) {
                            sink ^= level.read_ahead(ahead, refined);
                        }
                        let v = members[k];
                        nw += level.node_weight[v as usize];
                        let (nbrs, ws) = level.row(v as usize);
                        for (&u, &w) in nbrs.iter().zip(ws) {
                            let b = refined[u as usize];
                            if b as usize != a {
                                acc.add(b, w);
                            }
                        }
                    }
                    for &b in &acc.touched {
                        targets.push(b);
                        weights.push(acc.weight[b as usize]);
                    }
                    acc.clear();
                    ends.push(targets.len());
                    node_weight.push(nw);
                }
                std::hint::black_box(sink);
                (targets, weights, ends, node_weight)
            },
        )
        .collect();
    let total: usize = built.iter().map(|b| b.0.len()).sum();
    let mut offsets = Vec::with_capacity(parts + 1);
    let mut targets = Vec::with_capacity(total);
    let mut weights = Vec::with_capacity(total);
    let mut node_weight = Vec::with_capacity(parts);
    offsets.push(0);
    for (t, w, ends, nw) in built {
        let base = targets.len();
        offsets.extend(ends.iter().map(|&e| base + e));
        targets.extend_from_slice(&t);
        weights.extend_from_slice(&w);
        node_weight.extend_from_slice(&nw);
    }
    Level {
        offsets,
        targets,
        weights,
        node_weight,
    }
}

/// Splits every community that is not connected in `level` into its
/// connected components (ids stay compact but are not yet ordered).
fn split_disconnected(level: &Level, membership: &mut [u32]) {
    let n = level.len();
    let mut component = vec![u32::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0u32;
    for s in 0..n {
        if component[s] != u32::MAX {
            continue;
        }
        component[s] = next;
        stack.push(s as u32);
        while let Some(v) = stack.pop() {
            let (nbrs, _) = level.row(v as usize);
            for &u in nbrs {
                let u = u as usize;
                if component[u] == u32::MAX && membership[u] == membership[s] {
                    component[u] = next;
                    stack.push(u as u32);
                }
            }
        }
        next += 1;
    }
    membership.copy_from_slice(&component);
}

/// Renumbers communities so that 0 is the largest, ties going to the
/// community with the smallest node index. Ids must be below `len()`.
fn renumber_by_size(membership: &mut [u32]) {
    let n = membership.len();
    let mut size = vec![0u32; n];
    let mut first = vec![u32::MAX; n];
    for (v, &c) in membership.iter().enumerate() {
        size[c as usize] += 1;
        if first[c as usize] == u32::MAX {
            first[c as usize] = v as u32;
        }
    }
    let mut ids: Vec<u32> = (0..n as u32).filter(|&c| size[c as usize] > 0).collect();
    ids.sort_unstable_by_key(|&c| (std::cmp::Reverse(size[c as usize]), first[c as usize]));
    let mut new_id = vec![0u32; n];
    for (rank, &c) in ids.iter().enumerate() {
        new_id[c as usize] = rank as u32;
    }
    for c in membership.iter_mut() {
        *c = new_id[*c as usize];
    }
}

/// Runs [`leiden`] with seeds `params.seed`, `params.seed + 1`, …,
/// `params.seed + runs − 1` in parallel and scores how stable each node's
/// community is.
///
/// Returns the partition of the run with `params.seed` (identical to
/// `leiden(csr, params)`) and, per node, its *confidence*: the share of runs
/// in which the node is in the same community as the majority of its final
/// community. For final community `C` and run `r`, the run-`r` community
/// holding most members of `C` is found (ties: the smallest id); a node of `C`
/// scores 1 for run `r` if it is in that community. Runs are collected in seed
/// order, so the result does not depend on the number of threads. `runs` of 0
/// is treated as 1; with one run every confidence is 1.0.
///
/// ```
/// use partnernet::algo::Csr;
/// use partnernet::algo::leiden::{consensus_confidence, leiden, LeidenParams};
/// let csr = Csr::from_edges(5, [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 1.0)]);
/// let params = LeidenParams::default();
/// let (membership, confidence) = consensus_confidence(&csr, &params, 8);
/// assert_eq!(membership, leiden(&csr, &params));
/// assert!(confidence.iter().all(|&c| c == 1.0));
/// ```
pub fn consensus_confidence(csr: &Csr, params: &LeidenParams, runs: usize) -> (Vec<u32>, Vec<f64>) {
    let prepared = Leiden::new(csr, params);
    let final_membership = prepared.run(params.seed);
    let confidence = prepared.confidence(&final_membership, params.seed, runs);
    (final_membership, confidence)
}

impl Leiden {
    /// The confidence of each node's place in `final_membership`, the result
    /// of [`Leiden::run`] with `seed`: the runs with seeds `seed + 1`, …,
    /// `seed + runs − 1` are made in parallel and compared with it as
    /// [`consensus_confidence`] describes (which is this function after the
    /// run with `seed`).
    pub fn confidence(&self, final_membership: &[u32], seed: u64, runs: usize) -> Vec<f64> {
        let mut partitions = self.runs(seed, runs);
        partitions.insert(0, final_membership.to_vec());
        agreement(final_membership, &partitions)
    }

    /// The runs with seeds `seed + 1`, …, `seed + runs − 1`, made in
    /// parallel and returned in seed order (so the result does not depend on
    /// the number of threads).
    pub fn runs(&self, seed: u64, runs: usize) -> Vec<Vec<u32>> {
        (1..runs.max(1) as u64)
            .into_par_iter()
            .map(|r| self.run(seed.wrapping_add(r)))
            .collect()
    }
}

/// Per node, the share of `partitions` in which it is in the community
/// holding most members of its community in `final_membership` (see
/// [`consensus_confidence`]). Each partition is a community id per node,
/// as `final_membership` is.
pub fn agreement(final_membership: &[u32], partitions: &[Vec<u32>]) -> Vec<f64> {
    let against = Agreement::new(final_membership);
    let mut hits = vec![0u32; final_membership.len()];
    let mut scratch = AgreementScratch::default();
    for run in partitions {
        against.count(run, &mut hits, &mut scratch);
    }
    Agreement::shares(&hits, partitions.len())
}

/// [`agreement`] one partition at a time: the nodes grouped by their
/// community in the final partition.
pub struct Agreement {
    /// `members[start[c]..start[c + 1]]` are the nodes of final community `c`.
    start: Vec<usize>,
    members: Vec<u32>,
}

/// Buffers reused by [`Agreement::count`].
#[derive(Default)]
pub struct AgreementScratch {
    count: Vec<u32>,
    touched: Vec<u32>,
}

impl Agreement {
    /// Groups the nodes by their community in `final_membership`.
    pub fn new(final_membership: &[u32]) -> Agreement {
        let communities = final_membership
            .iter()
            .map(|&c| c as usize + 1)
            .max()
            .unwrap_or(0);
        let (start, members) = members_by_label(final_membership, communities);
        Agreement { start, members }
    }

    /// Adds 1 to `hits[v]` for every node `v` that `run` puts in the
    /// community holding most members of `v`'s final community (ties to the
    /// lowest id). Counts add up, so runs may be counted in any order.
    pub fn count(&self, run: &[u32], hits: &mut [u32], scratch: &mut AgreementScratch) {
        let AgreementScratch { count, touched } = scratch;
        count.clear();
        count.resize(run.len(), 0);
        for c in 0..self.start.len() - 1 {
            let group = &self.members[self.start[c]..self.start[c + 1]];
            for &v in group {
                let rc = run[v as usize];
                if count[rc as usize] == 0 {
                    touched.push(rc);
                }
                count[rc as usize] += 1;
            }
            let mut majority = u32::MAX;
            let mut most = 0u32;
            for &rc in touched.iter() {
                let k = count[rc as usize];
                if k > most || (k == most && rc < majority) {
                    most = k;
                    majority = rc;
                }
            }
            for &v in group {
                if run[v as usize] == majority {
                    hits[v as usize] += 1;
                }
            }
            for &rc in touched.iter() {
                count[rc as usize] = 0;
            }
            touched.clear();
        }
    }

    /// Each node's share of `runs` from its `hits`.
    pub fn shares(hits: &[u32], runs: usize) -> Vec<f64> {
        hits.iter().map(|&h| h as f64 / runs as f64).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clique_edges(base: u32, size: u32, out: &mut Vec<(u32, u32, f64)>) {
        for a in base..base + size {
            for b in a + 1..base + size {
                out.push((a, b, 1.0));
            }
        }
    }

    fn assert_connected(csr: &Csr, membership: &[u32]) {
        let level = Level::from_csr(csr, Objective::Modularity);
        let mut split = membership.to_vec();
        split_disconnected(&level, &mut split);
        let k = membership.iter().map(|&c| c + 1).max().unwrap_or(0) as usize;
        let k_split = split.iter().map(|&c| c + 1).max().unwrap_or(0) as usize;
        assert_eq!(k, k_split, "a community is disconnected");
    }

    #[test]
    fn two_cliques_joined_by_one_edge() {
        let mut edges = Vec::new();
        clique_edges(0, 5, &mut edges);
        clique_edges(5, 5, &mut edges);
        edges.push((4, 5, 1.0));
        let csr = Csr::from_edges(10, edges);
        let m = leiden(&csr, &LeidenParams::default());
        assert_eq!(m, vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    }

    #[test]
    fn ring_of_cliques_gives_one_community_per_clique() {
        let (cliques, size) = (12u32, 5u32);
        let mut edges = Vec::new();
        for c in 0..cliques {
            clique_edges(c * size, size, &mut edges);
            edges.push((c * size, ((c + 1) % cliques) * size + 1, 1.0));
        }
        let csr = Csr::from_edges((cliques * size) as usize, edges);
        for seed in 0..5 {
            let m = leiden(
                &csr,
                &LeidenParams {
                    seed,
                    ..LeidenParams::default()
                },
            );
            for c in 0..cliques {
                let first = m[(c * size) as usize];
                assert!((c * size..(c + 1) * size).all(|v| m[v as usize] == first));
            }
            let k = m.iter().max().unwrap() + 1;
            assert_eq!(k, cliques, "seed {seed}");
            assert_connected(&csr, &m);
        }
    }

    #[test]
    fn no_edges_single_node_and_empty_graph() {
        let csr = Csr::from_edges(4, []);
        assert_eq!(leiden(&csr, &LeidenParams::default()), vec![0, 1, 2, 3]);
        let cpm = LeidenParams {
            objective: Objective::Cpm,
            ..LeidenParams::default()
        };
        assert_eq!(leiden(&csr, &cpm), vec![0, 1, 2, 3]);
        assert_eq!(
            leiden(&Csr::from_edges(1, []), &LeidenParams::default()),
            vec![0]
        );
        assert!(leiden(&Csr::from_edges(0, []), &LeidenParams::default()).is_empty());
        assert!(leiden(&Csr::from_edges(0, []), &cpm).is_empty());
    }

    #[test]
    fn zero_nan_and_negative_weights_do_not_crash() {
        let zero = Csr::from_edges(3, [(0, 1, 0.0), (1, 2, 0.0)]);
        assert_eq!(leiden(&zero, &LeidenParams::default()), vec![0, 1, 2]);
        let bad = Csr::from_edges(
            5,
            [
                (0, 1, f64::NAN),
                (1, 2, f64::INFINITY),
                (2, 3, -1.0),
                (3, 4, 1.0),
            ],
        );
        let m = leiden(&bad, &LeidenParams::default());
        // Only 3–4 is usable.
        assert_eq!(m, vec![1, 2, 3, 0, 0]);
        let nan_res = LeidenParams {
            resolution: f64::NAN,
            ..LeidenParams::default()
        };
        assert_eq!(leiden(&bad, &nan_res).len(), 5);
    }

    #[test]
    fn cpm_on_two_cliques() {
        let mut edges = Vec::new();
        clique_edges(0, 4, &mut edges);
        clique_edges(4, 4, &mut edges);
        edges.push((3, 4, 1.0));
        let csr = Csr::from_edges(8, edges);
        let low = LeidenParams {
            objective: Objective::Cpm,
            resolution: 0.5,
            ..LeidenParams::default()
        };
        assert_eq!(leiden(&csr, &low), vec![0, 0, 0, 0, 1, 1, 1, 1]);
        // A resolution far below the whole graph's density (13 of 28
        // pairs) merges everything connected.
        let tiny = LeidenParams {
            resolution: 0.01,
            ..low.clone()
        };
        assert_eq!(leiden(&csr, &tiny), vec![0; 8]);
        // Above the cliques' density of 1 every node is alone.
        let high = LeidenParams {
            resolution: 1.5,
            ..low
        };
        assert_eq!(leiden(&csr, &high), (0..8).collect::<Vec<u32>>());
    }

    #[test]
    fn communities_are_numbered_by_size_then_smallest_node() {
        let mut edges = vec![(0, 1, 1.0)];
        clique_edges(2, 4, &mut edges);
        // Node 6 isolated; 0–1 a pair; 2..6 a 4-clique.
        let csr = Csr::from_edges(7, edges);
        assert_eq!(
            leiden(&csr, &LeidenParams::default()),
            vec![1, 1, 0, 0, 0, 0, 2]
        );
        let mut m = vec![5, 5, 3, 3, 0, 4];
        renumber_by_size(&mut m);
        assert_eq!(m, vec![0, 0, 1, 1, 2, 3]);
    }

    #[test]
    fn zero_iterations_leave_every_node_alone() {
        let mut edges = Vec::new();
        clique_edges(0, 4, &mut edges);
        let csr = Csr::from_edges(4, edges);
        let p = LeidenParams {
            max_iterations: Some(0),
            ..LeidenParams::default()
        };
        assert_eq!(leiden(&csr, &p), vec![0, 1, 2, 3]);
        let one = LeidenParams {
            max_iterations: Some(1),
            ..LeidenParams::default()
        };
        assert_eq!(leiden(&csr, &one), vec![0; 4]);
    }

    #[test]
    fn split_disconnected_separates_components() {
        let csr = Csr::from_edges(4, [(0, 1, 1.0), (2, 3, 1.0)]);
        let level = Level::from_csr(&csr, Objective::Modularity);
        let mut m = vec![0, 0, 0, 0];
        split_disconnected(&level, &mut m);
        assert_eq!(m, vec![0, 0, 1, 1]);
    }

    #[test]
    fn choose_is_greedy_without_randomness() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(
            choose(&mut [(0, 0.0), (3, 2.0), (4, 1.0)], 2.0, 0.0, &mut rng),
            3
        );
        // exp(-100) makes the others practically impossible.
        assert_eq!(choose(&mut [(0, 0.0), (3, 1.0)], 1.0, 0.01, &mut rng), 3);
        // Equal gains: both are drawn over a few tries.
        let mut drawn = [false; 2];
        for _ in 0..64 {
            let c = choose(&mut [(0, 0.0), (1, 0.0)], 0.0, 0.01, &mut rng);
            drawn[c as usize] = true;
        }
        assert_eq!(drawn, [true, true]);
    }

    #[test]
    fn choose_draws_nothing_when_one_candidate_is_left() {
        // Gains 1 and 2 with θ = 0.01: exp(-100) is negligible, so the best
        // one is taken without consuming a random number.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut untouched = rng.clone();
        assert_eq!(choose(&mut [(7, 1.0), (9, 2.0)], 2.0, 0.01, &mut rng), 9);
        assert_eq!(rng.gen::<u64>(), untouched.gen::<u64>());
        // Near-ties still draw: both come up over a few tries.
        let mut drawn = [false; 2];
        for _ in 0..64 {
            let c = choose(&mut [(0, 1.0), (1, 1.001)], 1.001, 0.01, &mut rng);
            drawn[c as usize] = true;
        }
        assert_eq!(drawn, [true, true]);
    }

    #[test]
    fn consensus_with_one_run_is_fully_confident() {
        let mut edges = Vec::new();
        clique_edges(0, 4, &mut edges);
        clique_edges(4, 4, &mut edges);
        edges.push((3, 4, 1.0));
        let csr = Csr::from_edges(8, edges);
        let p = LeidenParams::default();
        for runs in [0, 1] {
            let (m, conf) = consensus_confidence(&csr, &p, runs);
            assert_eq!(m, leiden(&csr, &p));
            assert_eq!(conf, vec![1.0; 8]);
        }
        let (m, conf) = consensus_confidence(&Csr::from_edges(0, []), &p, 3);
        assert!(m.is_empty() && conf.is_empty());
    }
}
