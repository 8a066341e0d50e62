//! Shortest-path betweenness centrality (Brandes 2001) on the unweighted
//! graph, exact or estimated from sampled pivot sources, normalised as
//! NetworkX's `betweenness_centrality` does for undirected graphs.
//!
//! The work is split over sources. Sources are cut into chunks whose number
//! depends only on the graph and the number of sources, never on the number
//! of threads; each chunk sums its sources in index order into its own
//! vector, and the chunk vectors are added in chunk order. The result is
//! therefore bitwise identical whatever the size of the rayon pool.
//!
//! The exact mode does not run Brandes' algorithm on the whole graph but
//! on its biconnected components (*blocks*), after Puzis, Zilberman,
//! Elovici, Dolev and Brandes (2012, "Heuristics for speeding up betweenness
//! centrality computation", SocialCom/PASSAT) and Sariyüce, Saule, Kaya and
//! Çatalyürek (2013, "Shattering and compressing networks for betweenness
//! centrality", SDM):
//!
//! * every pair of nodes separated by an articulation point `v` has all its
//!   shortest paths through `v`; these pairs are counted in closed form from
//!   the sizes of the components of `G − v`;
//! * every other shortest path through `v` crosses, inside one block holding
//!   `v`, from the node `s` its source hangs off to the node `t` its target
//!   hangs off; one Brandes search per node `s` of each block, with `s`
//!   weighted by the number of nodes hanging off it (its *reach*) and each
//!   target `t` weighted likewise, counts them all.
//!
//! Bridges (blocks of two nodes) and cliques need no search, so pendant trees
//! and chains cost linear time, and each search covers only its block.
//! Inside a block, structurally equivalent nodes (the same neighbours and the
//! same reach, Puzis et al. 2012) are searched once for their whole class,
//! so a complete bipartite pair of groups costs two searches. The
//! searches of a block run eight sources at a time as one multi-source BFS
//! (Then et al. 2014, "The more the merrier"; see `msbfs.rs`), on the block
//! renumbered in BFS order, so that the eight sources are close to each
//! other and the nodes a search touches together sit together in memory. See
//! `all_pairs_sums` for the formulas.
//!
//! The sampled mode runs one Brandes search per pivot on the whole graph; it
//! records each search's shortest-path DAG as flat successor lists, so the
//! back-propagation touches only DAG arcs, and with 16 pivots or more on a
//! graph of 4,096 nodes or more it renumbers the graph in BFS order first.
//!
//! Both modes give NetworkX's values up to rounding (the order of the
//! additions differs), and the same bits from run to run and on any number
//! of threads.

use super::blocks::blocks;
use super::msbfs::{Lanes, LANES, MAX_NODES};
use super::Csr;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

const UNSEEN: u32 = u32::MAX;

/// Which betweenness to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BetweennessMode {
    /// Every node is a source: the exact value, `O(n m)` time.
    Exact,
    /// `pivots` sources drawn uniformly without replacement by a
    /// `ChaCha8Rng` seeded with `seed`: an unbiased estimate in
    /// `O(pivots · m)` time. `pivots >= n` gives the exact value.
    Sampled {
        /// Number of pivot sources.
        pivots: usize,
        /// Seed of the pivot draw: the same seed gives the same pivots.
        seed: u64,
    },
}

/// Betweenness centrality of every node of `csr`, ignoring edge weights
/// (every edge has length 1).
///
/// Definition (Freeman 1977; Brandes 2001, "A faster algorithm for
/// betweenness centrality", J. Math. Sociol. 25(2)):
///
/// `c_B(v) = Σ_{s ≠ v ≠ t} σ(s, t | v) / σ(s, t)`
///
/// over unordered pairs `{s, t}`, where `σ(s, t)` is the number of shortest
/// `s`–`t` paths and `σ(s, t | v)` the number of those passing through `v`.
/// Endpoints are not counted.
///
/// Normalisation, as NetworkX's `betweenness_centrality(G)` (normalized=True,
/// endpoints=False) for undirected graphs: the sum is multiplied by
/// `2 / ((n − 1)(n − 2))`, the number of pairs not involving `v`, when
/// `n > 2`; for `n ≤ 2` every value is 0.
///
/// Sampled mode follows NetworkX 3.6's `betweenness_centrality(G, k, seed)`:
/// with `S` the pivot set (`k = |S|`), a node outside `S` gets
/// `Σ_{s ∈ S} δ_s(v) / (k (n − 2))` and a pivot gets
/// `Σ_{s ∈ S} δ_s(v) / ((k − 1)(n − 2))` (a source never counts paths
/// through itself, so a pivot is seen by the other `k − 1`), where `δ_s(v)` is
/// Brandes' dependency of `s` on `v`. Both are unbiased: their expectation
/// over the draw is the exact value, and `k = n` gives the exact value. As in
/// NetworkX, the pivot gets NaN when `k = 1`; `pivots = 0` gives NaN
/// everywhere (no estimate), and `pivots > n` is treated as `n`. The pivots
/// themselves differ from NetworkX's (which uses Python's `random`); see
/// [`betweenness_with_pivots`] to pass them explicitly.
///
/// ```
/// use partnernet::algo::betweenness::{betweenness, BetweennessMode};
/// use partnernet::algo::Csr;
/// // Path 0-1-2-3-4: node 2 lies on the paths of 4 of the 6 pairs without it.
/// let csr = Csr::from_edges(5, (0..4u32).map(|i| (i, i + 1, 1.0)));
/// let b = betweenness(&csr, BetweennessMode::Exact);
/// assert_eq!(b, vec![0.0, 0.5, 4.0 / 6.0, 0.5, 0.0]);
/// let all = betweenness(&csr, BetweennessMode::Sampled { pivots: 5, seed: 1 });
/// assert!(all.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-12));
/// ```
pub fn betweenness(csr: &Csr, mode: BetweennessMode) -> Vec<f64> {
    let n = csr.node_count();
    match mode {
        BetweennessMode::Exact => {
            let mut b = all_pairs_sums(csr);
            if n > 2 {
                let scale = 1.0 / ((n - 1) as f64 * (n - 2) as f64);
                b.iter_mut().for_each(|x| *x *= scale);
            }
            b
        }
        BetweennessMode::Sampled { pivots, seed } => {
            let pivots = sample_pivots(n, pivots, seed);
            betweenness_with_pivots(csr, &pivots)
        }
    }
}

/// The pivots [`BetweennessMode::Sampled`] uses: `min(pivots, n)` distinct
/// nodes drawn uniformly without replacement by a `ChaCha8Rng` seeded with
/// `seed`, sorted.
///
/// ```
/// use partnernet::algo::betweenness::sample_pivots;
/// let p = sample_pivots(100, 10, 7);
/// assert_eq!(p.len(), 10);
/// assert_eq!(p, sample_pivots(100, 10, 7));
/// assert!(p.windows(2).all(|w| w[0] < w[1]) && p[9] < 100);
/// ```
pub fn sample_pivots(n: usize, pivots: usize, seed: u64) -> Vec<u32> {
    let k = pivots.min(n);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut p: Vec<u32> = rand::seq::index::sample(&mut rng, n, k)
        .into_iter()
        .map(|i| i as u32)
        .collect();
    p.sort_unstable();
    p
}

/// Betweenness estimated from the given pivot sources, scaled as in
/// [`betweenness`]'s sampled mode (NetworkX 3.6's rule for `k` sampled
/// nodes). Duplicate and out-of-range pivots are ignored; with no valid pivot
/// every value is NaN (`n > 2`). With every node as pivot this is the exact
/// betweenness.
///
/// ```
/// use partnernet::algo::betweenness::betweenness_with_pivots;
/// use partnernet::algo::Csr;
/// // Star: centre 0, leaves 1..=3. From leaf 1 alone, the centre lies on
/// // the paths to 2 and 3: 2 / (1 · (4 − 2)) = 1, the exact value.
/// let csr = Csr::from_edges(4, [(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0)]);
/// let b = betweenness_with_pivots(&csr, &[1]);
/// assert_eq!((b[0], b[2], b[3]), (1.0, 0.0, 0.0));
/// assert!(b[1].is_nan()); // k = 1: no other pivot sees node 1
/// ```
pub fn betweenness_with_pivots(csr: &Csr, pivots: &[u32]) -> Vec<f64> {
    let n = csr.node_count();
    let mut sources: Vec<u32> = pivots
        .iter()
        .copied()
        .filter(|&p| (p as usize) < n)
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let mut b = dependency_sums(csr, &sources);
    if n <= 2 {
        return b;
    }
    let k = sources.len() as f64;
    let pairs = (n - 2) as f64;
    let nonsource = 1.0 / (k * pairs);
    let source = if sources.len() > 1 {
        1.0 / ((k - 1.0) * pairs)
    } else {
        f64::NAN
    };
    let mut is_source = vec![false; n];
    for &s in &sources {
        is_source[s as usize] = true;
    }
    for (x, &src) in b.iter_mut().zip(&is_source) {
        *x *= if src { source } else { nonsource };
    }
    b
}

/// Brandes' raw sums `Σ_{s ∈ sources} δ_s(v)` on the unweighted graph, where
/// `δ_s(v) = Σ_{t ≠ s, v} σ(s, t | v) / σ(s, t)`. Over all sources this
/// counts each unordered pair twice (the unnormalised directed-style sum).
/// Sources must be in range; they are taken in the order given, and the sum
/// is the same whatever the number of threads.
///
/// ```
/// use partnernet::algo::betweenness::dependency_sums;
/// use partnernet::algo::Csr;
/// let csr = Csr::from_edges(3, [(0, 1, 1.0), (1, 2, 1.0)]);
/// assert_eq!(dependency_sums(&csr, &[0, 1, 2]), vec![0.0, 2.0, 0.0]);
/// assert_eq!(dependency_sums(&csr, &[0]), vec![0.0, 1.0, 0.0]);
/// ```
pub fn dependency_sums(csr: &Csr, sources: &[u32]) -> Vec<f64> {
    let n = csr.node_count();
    let sources: Vec<(u32, f64)> = sources
        .iter()
        .filter(|&&s| (s as usize) < n)
        .map(|&s| (s, 1.0))
        .collect();
    if n >= RELABEL_MIN_NODES && sources.len() >= RELABEL_MIN_SOURCES {
        relabelled_sums(csr, &sources)
    } else {
        plain_sums(csr, &sources, None)
    }
}

/// The all-sources sum `Σ_s δ_s(v)` (each unordered pair counted twice), by
/// block decomposition (Puzis et al. 2012; Sariyüce et al. 2013).
///
/// Let `C` be a connected component and `B` one of its blocks (see
/// [`super::blocks`]), with `r(u) = r_B(u)` the reach of `u ∈ B`. Every
/// shortest path between two nodes `x ≠ y` of `C` either passes through an
/// articulation point `v` that separates them (then every shortest path
/// does), or runs, inside some block `B`, between the nodes `s ≠ t` of `B`
/// that `x` and `y` hang off. So
///
/// `Σ_s δ_s(v) = Σ_B Σ_{s ≠ t ∈ B, v ∉ {s, t}} r(s) r(t) σ_B(s, t | v) / σ_B(s, t)
///             + Σ_{i ≠ j} c_i c_j`,
///
/// where `c_i` are the sizes of the components of `C − v` (one per block
/// holding `v`: `c_B = |C| − r_B(v)`, so the last term is
/// `(|C| − 1)² − Σ_{B ∋ v} (|C| − r_B(v))²`, zero unless `v` is an
/// articulation point). The first term is Brandes' algorithm on each block
/// with weighted targets: `δ_s(v) = Σ_{w : v ∈ P_s(w)} σ(v)/σ(w) · (r(w) + δ_s(w))`,
/// counted `r(s)` times. Blocks of two nodes (bridges) and cliques have no
/// inner nodes on shortest paths and need no search at all, so every tree
/// part of the graph costs only linear time.
fn all_pairs_sums(csr: &Csr) -> Vec<f64> {
    let n = csr.node_count();
    let bl = blocks(csr);
    let mut out = vec![0.0; n];
    // Pairs separated by an articulation point.
    let mut squares = vec![0u64; n];
    for i in 0..bl.len() {
        let c = bl.component_size(bl.nodes(i)[0]) as u64;
        for (&x, &r) in bl.nodes(i).iter().zip(bl.reaches(i)) {
            let part = c - r as u64;
            squares[x as usize] += part * part;
        }
    }
    for (v, o) in out.iter_mut().enumerate() {
        if csr.degree(v) > 0 {
            let c = bl.component_size(v as u32) as u64;
            *o = ((c - 1) * (c - 1) - squares[v]) as f64;
        }
    }
    // The edges of each block with three nodes or more, grouped by block.
    let searched = |b: usize| {
        let k = bl.nodes(b).len();
        k >= 3
    };
    let mut edge_start = vec![0usize; bl.len() + 1];
    for v in 0..n {
        for &w in csr.neighbors(v) {
            if (v as u32) < w {
                let b = bl.block_of_edge(v as u32, w);
                if searched(b) {
                    edge_start[b + 1] += 1;
                }
            }
        }
    }
    for b in 0..bl.len() {
        edge_start[b + 1] += edge_start[b];
    }
    let mut fill = edge_start.clone();
    let mut edges = vec![(0u32, 0u32); edge_start[bl.len()]];
    for v in 0..n {
        for &w in csr.neighbors(v) {
            if (v as u32) < w {
                let b = bl.block_of_edge(v as u32, w);
                if searched(b) {
                    edges[fill[b]] = (v as u32, w);
                    fill[b] += 1;
                }
            }
        }
    }
    // Brandes with reaches on each block, once per class of twins, on the
    // block renumbered in BFS order when it needs many searches.
    let mut local = vec![UNSEEN; n];
    for b in 0..bl.len() {
        let nodes = bl.nodes(b);
        let k = nodes.len();
        let block_edges = &edges[edge_start[b]..edge_start[b + 1]];
        if k < 3 || block_edges.len() == k * (k - 1) / 2 {
            continue; // a bridge or a clique: no inner node on any shortest path
        }
        for (i, &x) in nodes.iter().enumerate() {
            local[x as usize] = i as u32;
        }
        let g = Csr::from_edges(
            k,
            block_edges
                .iter()
                .map(|&(x, y)| (local[x as usize], local[y as usize], 1.0)),
        );
        let reach: Vec<f64> = bl.reaches(b).iter().map(|&r| f64::from(r)).collect();
        let twin = block_twins(&g, &reach);
        let searches = twin
            .iter()
            .enumerate()
            .filter(|&(v, &t)| t as usize == v)
            .count();
        // A few searches (a block of few classes of twins) do not pay for
        // the renumbering; `old_of[i]` is then the identity.
        let (g, reach, twin, old_of) = if searches < RELABEL_MIN_SOURCES {
            (g, reach, twin, None)
        } else {
            let (new_of, old_of) = bfs_numbering(&g);
            let reach: Vec<f64> = old_of.iter().map(|&i| reach[i as usize]).collect();
            let twin: Vec<u32> = old_of
                .iter()
                .map(|&i| new_of[twin[i as usize] as usize])
                .collect();
            (renumber(&g, &new_of), reach, twin, Some(old_of))
        };
        let sums = block_sums(&g, &reach, &twin);
        for (i, sum) in sums.into_iter().enumerate() {
            let at = old_of.as_ref().map_or(i, |old_of| old_of[i] as usize);
            out[nodes[at] as usize] += sum;
        }
    }
    out
}

/// Below this many nodes or sources the BFS relabelling of
/// [`dependency_sums`] does not pay for itself (and below this many
/// searches, that of a block in [`all_pairs_sums`]). On the generated movement
/// of 1M organisations (2.14M ties) with 24 pivots, the sampled mode's
/// default there, relabelling took the stage from 40-42 s to 24-29 s of
/// wall time (18-22 s of CPU instead of 27-30 s, two threads, load average
/// about 12): the renumbering costs a few searches' worth and every search
/// then runs with far fewer cache misses.
const RELABEL_MIN_NODES: usize = 4096;
const RELABEL_MIN_SOURCES: usize = 16;

/// A numbering of the nodes in BFS order, component by component, each
/// searched from its highest-degree node (the smallest on ties), so that the
/// nodes a BFS touches together sit together in memory: `(new_of, old_of)`.
fn bfs_numbering(csr: &Csr) -> (Vec<u32>, Vec<u32>) {
    let mut roots: Vec<u32> = (0..csr.node_count() as u32).collect();
    roots.sort_by_key(|&v| (std::cmp::Reverse(csr.degree(v as usize)), v));
    csr.bfs_numbering(roots)
}

/// `csr` with node `v` renamed `new_of[v]`.
fn renumber(csr: &Csr, new_of: &[u32]) -> Csr {
    let n = csr.node_count();
    let edges = (0..n).flat_map(|v| {
        csr.neighbors(v)
            .iter()
            .filter(move |&&w| (v as u32) < w)
            .map(move |&w| (new_of[v], new_of[w as usize], 1.0))
    });
    Csr::from_edges(n, edges.collect::<Vec<_>>())
}

/// [`plain_sums`] (unit targets) on the graph renumbered in BFS order.
fn relabelled_sums(csr: &Csr, sources: &[(u32, f64)]) -> Vec<f64> {
    let n = csr.node_count();
    let (new_of, old_of) = bfs_numbering(csr);
    let renumbered = renumber(csr, &new_of);
    let mapped: Vec<(u32, f64)> = sources
        .iter()
        .map(|&(s, w)| (new_of[s as usize], w))
        .collect();
    let sums = plain_sums(&renumbered, &mapped, None);
    let mut out = vec![0.0; n];
    for (new, &old) in old_of.iter().enumerate() {
        out[old as usize] = sums[new];
    }
    out
}

/// `Σ_{(s, a) ∈ sources} a · δ_s(v)`, Brandes' dependencies with target `t`
/// weighted `reach[t]` (1 when `reach` is `None`), on the graph as numbered.
/// Sources must be in range.
fn plain_sums(csr: &Csr, sources: &[(u32, f64)], reach: Option<&[f64]>) -> Vec<f64> {
    let n = csr.node_count();
    if n == 0 || sources.is_empty() {
        return vec![0.0; n];
    }
    let chunks = chunk_count(n, sources.len());
    let chunk_len = sources.len().div_ceil(chunks);
    let partials: Vec<Vec<f64>> = sources
        .par_chunks(chunk_len)
        .map_init(
            || Workspace::new(csr),
            |ws, chunk| {
                let mut acc = vec![0.0f64; n];
                for &(s, weight) in chunk {
                    match reach {
                        Some(r) => ws.accumulate::<true>(csr, s, weight, r, &mut acc),
                        None => ws.accumulate::<false>(csr, s, weight, &[], &mut acc),
                    }
                }
                acc
            },
        )
        .collect();
    add_up(partials, n)
}

/// `Σ_s reach[s] · δ_s(v)` over every node `s` of the connected graph
/// `csr`, with targets `t` weighted `reach[t]`: the inner term of
/// [`all_pairs_sums`] for one block. One search per class of twins
/// ([`block_twins`]; `twin[v]` is the member of `v`'s class searched for
/// it, and `twin[twin[v]] = twin[v]`), weighted by the class's size. Eight sources at a time
/// ([`super::msbfs`]), consecutive in the numbering (BFS order, so close to
/// each other), when the block is small enough for `u16` distances.
fn block_sums(csr: &Csr, reach: &[f64], twin: &[u32]) -> Vec<f64> {
    let n = csr.node_count();
    let mut class_size = vec![0u32; n];
    for &first in twin {
        class_size[first as usize] += 1;
    }
    let sources: Vec<(u32, f64)> = (0..n as u32)
        .filter(|&s| twin[s as usize] == s)
        .map(|s| (s, reach[s as usize] * f64::from(class_size[s as usize])))
        .collect();
    if n > MAX_NODES {
        return plain_sums(csr, &sources, Some(reach));
    }
    // Few chunks, each with its own scratch space and accumulator (fresh
    // zeroed memory costs page faults), yet enough to balance the threads.
    let chunks = chunk_count(n, sources.len().div_ceil(LANES)).min(BLOCK_CHUNKS);
    let chunk_len = sources.len().div_ceil(chunks).next_multiple_of(LANES);
    let partials: Vec<Vec<f64>> = sources
        .par_chunks(chunk_len)
        .map_init(
            || Lanes::new(csr),
            |lanes, chunk| {
                let mut acc = vec![0.0f64; n];
                let mut batch = [0u32; LANES];
                let mut weight = [0.0; LANES];
                for group in chunk.chunks(LANES) {
                    for ((s, w), &(source, a)) in batch.iter_mut().zip(&mut weight).zip(group) {
                        (*s, *w) = (source, a);
                    }
                    let k = group.len();
                    lanes.accumulate(csr, &batch[..k], &weight[..k], reach, &mut acc);
                }
                acc
            },
        )
        .collect();
    add_up(partials, n)
}

/// For each node of a block, the first node with the same neighbours and
/// the same reach (false twins: structurally equivalent, not tied to each
/// other). Twins `s`, `s'` have the same dependencies, `δ_s(v) = δ_s'(v)`
/// for every `v`, targets weighted by reach included (Puzis et al. 2012,
/// "structural equivalence"): a shortest path from `s` never passes through
/// `s'` (any node after `s'` is a neighbour of `s`), so swapping its first
/// node for `s'` maps the shortest paths from `s` to any `t ∉ {s, s'}` one to
/// one onto those from `s'`, through the same inner nodes, and the paths
/// between `s` and `s'` count `reach[s'] = reach[s]` either way. A twin is
/// never an inner node of the other's paths, so its own sum is 0 = `δ_s(s')`.
/// One search per class, weighted by the class's size, therefore gives the
/// sum over the class: a complete bipartite pair of groups needs two
/// searches instead of one per node.
fn block_twins(csr: &Csr, reach: &[f64]) -> Vec<u32> {
    super::first_twins(csr.node_count(), |v| {
        Some((csr.neighbors(v), reach[v].to_bits()))
    })
}

/// Most source chunks [`block_sums`] cuts a block into.
const BLOCK_CHUNKS: usize = 32;

/// The element-wise sum of `partials`, in their order.
fn add_up(partials: Vec<Vec<f64>>, n: usize) -> Vec<f64> {
    let mut iter = partials.into_iter();
    let mut total = iter.next().unwrap_or_else(|| vec![0.0; n]);
    for part in iter {
        for (t, p) in total.iter_mut().zip(&part) {
            *t += p;
        }
    }
    total
}

/// Number of source chunks: a function of the sizes only (never of the
/// thread count), enough for load balancing, and few enough that the
/// per-chunk accumulators stay within about 64 MiB.
fn chunk_count(n: usize, sources: usize) -> usize {
    let by_memory = (64usize << 20) / (8 * n.max(1));
    by_memory.clamp(1, 256).min(sources).max(1)
}

/// Per-worker scratch space, reused across sources.
///
/// Invariant between sources: `dist` is `UNSEEN` and `sigma` is 0 everywhere.
struct Workspace {
    dist: Vec<u32>,
    sigma: Vec<f64>,
    /// `(r(w) + δ(w)) / σ(w)` for nodes already finished by the
    /// back-propagation.
    coef: Vec<f64>,
    /// BFS order (length n + 1, only `..len` used): the queue going forward,
    /// the stack going back.
    order: Vec<u32>,
    /// Successors in the shortest-path DAG, grouped by node in BFS order:
    /// those of `order[i]` are `succ[succ_start[i]..succ_start[i + 1]]`.
    /// Length 2m + 1 (every arc at most once, plus a scratch slot).
    succ: Vec<u32>,
    succ_start: Vec<u32>,
}

impl Workspace {
    fn new(csr: &Csr) -> Workspace {
        let n = csr.node_count();
        let arcs: usize = (0..n).map(|v| csr.degree(v)).sum();
        Workspace {
            dist: vec![UNSEEN; n],
            sigma: vec![0.0; n],
            coef: vec![0.0; n],
            order: vec![0; n + 1],
            succ: vec![0; arcs + 1],
            succ_start: vec![0; n + 1],
        }
    }

    /// Adds `weight · δ_s(v)` to `acc[v]` for every `v ≠ s`, where targets
    /// `t` count `reach[t]` times when `WEIGHTED` and once otherwise.
    fn accumulate<const WEIGHTED: bool>(
        &mut self,
        csr: &Csr,
        s: u32,
        weight: f64,
        reach: &[f64],
        acc: &mut [f64],
    ) {
        let Workspace {
            dist,
            sigma,
            coef,
            order,
            succ,
            succ_start,
        } = self;
        order[0] = s;
        dist[s as usize] = 0;
        sigma[s as usize] = 1.0;
        let (mut head, mut tail, mut arcs) = (0usize, 1usize, 0usize);
        // Forward BFS, branch-free in the inner loop: the writes happen
        // unconditionally and the cursors only advance when they count.
        while head < tail {
            let v = order[head] as usize;
            succ_start[head] = arcs as u32;
            head += 1;
            let dv = dist[v] + 1;
            let sv = sigma[v];
            for &w in csr.neighbors(v) {
                let wu = w as usize;
                let dw = dist[wu];
                let new = dw == UNSEEN;
                let next = new | (dw == dv);
                order[tail] = w;
                tail += new as usize;
                succ[arcs] = w;
                arcs += next as usize;
                dist[wu] = if new { dv } else { dw };
                sigma[wu] += if next { sv } else { 0.0 };
            }
        }
        succ_start[tail] = arcs as u32;
        // Back-propagation in reverse BFS order: the successors of a node
        // are finished before it.
        for i in (1..tail).rev() {
            let v = order[i] as usize;
            let (a, b) = (succ_start[i] as usize, succ_start[i + 1] as usize);
            let mut sum = 0.0;
            for &w in &succ[a..b] {
                sum += coef[w as usize];
            }
            let delta = sigma[v] * sum;
            acc[v] += weight * delta;
            let target = if WEIGHTED { reach[v] } else { 1.0 };
            coef[v] = (target + delta) / sigma[v];
        }
        for &v in &order[..tail] {
            dist[v as usize] = UNSEEN;
            sigma[v as usize] = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> Csr {
        Csr::from_edges(n, edges.iter().map(|&(a, b)| (a, b, 1.0)))
    }

    /// Betweenness by counting shortest paths pair by pair (Floyd–Warshall
    /// distances and path counts), normalised as NetworkX does.
    fn brute_force(n: usize, edges: &[(u32, u32)]) -> Vec<f64> {
        let inf = usize::MAX / 4;
        let mut d = vec![vec![inf; n]; n];
        let mut c = vec![vec![0f64; n]; n];
        for (i, row) in d.iter_mut().enumerate() {
            row[i] = 0;
            c[i][i] = 1.0;
        }
        for &(a, b) in edges {
            d[a as usize][b as usize] = 1;
            d[b as usize][a as usize] = 1;
        }
        // Path counts by BFS layers from each source.
        for s in 0..n {
            let mut dist = vec![inf; n];
            dist[s] = 0;
            let mut q = vec![s];
            let mut i = 0;
            while i < q.len() {
                let v = q[i];
                i += 1;
                for &(a, b) in edges {
                    for (x, y) in [(a as usize, b as usize), (b as usize, a as usize)] {
                        if x == v && dist[y] == inf {
                            dist[y] = dist[v] + 1;
                            q.push(y);
                        }
                    }
                }
            }
            d[s] = dist;
        }
        for s in 0..n {
            let mut by_dist: Vec<usize> = (0..n).filter(|&t| d[s][t] < inf).collect();
            by_dist.sort_by_key(|&t| d[s][t]);
            for &t in &by_dist {
                if t == s {
                    continue;
                }
                let mut count = 0.0;
                for &(a, b) in edges {
                    for (x, y) in [(a as usize, b as usize), (b as usize, a as usize)] {
                        if y == t && d[s][x] + 1 == d[s][t] {
                            count += c[s][x];
                        }
                    }
                }
                c[s][t] = count;
            }
        }
        let mut b = vec![0.0; n];
        for (v, bv) in b.iter_mut().enumerate() {
            for s in 0..n {
                for t in s + 1..n {
                    if s == v || t == v || d[s][t] >= inf {
                        continue;
                    }
                    if d[s][v] + d[v][t] == d[s][t] {
                        *bv += c[s][v] * c[v][t] / c[s][t];
                    }
                }
            }
        }
        if n > 2 {
            let scale = 2.0 / ((n - 1) as f64 * (n - 2) as f64);
            b.iter_mut().for_each(|x| *x *= scale);
        }
        b
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn known_values() {
        assert!(betweenness(&graph(0, &[]), BetweennessMode::Exact).is_empty());
        assert_eq!(
            betweenness(&graph(1, &[]), BetweennessMode::Exact),
            vec![0.0]
        );
        assert_eq!(
            betweenness(&graph(2, &[(0, 1)]), BetweennessMode::Exact),
            vec![0.0, 0.0]
        );
        // Star: the centre is on every leaf pair's path.
        let star = graph(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
        assert_eq!(
            betweenness(&star, BetweennessMode::Exact),
            vec![1.0, 0.0, 0.0, 0.0, 0.0]
        );
        // Cycle of 4: each node is on half of the one opposite pair's two paths.
        let c4 = graph(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]);
        let b = betweenness(&c4, BetweennessMode::Exact);
        assert!(close(&b, &[1.0 / 6.0; 4]), "{b:?}");
        // Two triangles joined by the bridge 2-3.
        let tt = graph(6, &[(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5)]);
        let b = betweenness(&tt, BetweennessMode::Exact);
        assert!(close(&b, &[0.0, 0.0, 0.6, 0.6, 0.0, 0.0]), "{b:?}");
        // Pendant shortcut: an isolated edge (both ends pendant), an isolated
        // node, and a path 3-4-5-6 whose ends are pendant; n = 7.
        let g = graph(7, &[(0, 1), (3, 4), (4, 5), (5, 6)]);
        let b = betweenness(&g, BetweennessMode::Exact);
        let pair = 2.0 / (6.0 * 5.0);
        assert!(
            close(&b, &[0.0, 0.0, 0.0, 0.0, 2.0 * pair, 2.0 * pair, 0.0]),
            "{b:?}"
        );
        let sources: Vec<u32> = (0..7).collect();
        let raw = dependency_sums(&g, &sources);
        assert!(close(&raw, &[0.0, 0.0, 0.0, 0.0, 4.0, 4.0, 0.0]), "{raw:?}");
    }

    #[test]
    fn agrees_with_brute_force() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for trial in 0..60 {
            let n = 3 + trial % 12;
            let m = (next() % (3 * n as u64)) as usize;
            let mut edges: Vec<(u32, u32)> = Vec::new();
            for _ in 0..m {
                let a = (next() % n as u64) as u32;
                let b = (next() % n as u64) as u32;
                let key = (a.min(b), a.max(b));
                if a != b && !edges.iter().any(|&(x, y)| (x.min(y), x.max(y)) == key) {
                    edges.push((a, b));
                }
            }
            let got = betweenness(&graph(n, &edges), BetweennessMode::Exact);
            let want = brute_force(n, &edges);
            assert!(close(&got, &want), "{edges:?}: {got:?} vs {want:?}");
        }
    }

    #[test]
    fn sampled_estimate_is_unbiased_over_all_pivot_sets() {
        // Average the estimate over every 2- and 3-subset of pivots.
        let edges = [
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 0),
            (2, 5),
            (5, 6),
            (0, 2),
        ];
        let csr = graph(7, &edges);
        let exact = betweenness(&csr, BetweennessMode::Exact);
        for k in [2usize, 3] {
            let mut mean = vec![0.0; 7];
            let mut count = 0.0;
            for mask in 0u32..(1 << 7) {
                if mask.count_ones() as usize != k {
                    continue;
                }
                let pivots: Vec<u32> = (0..7).filter(|i| mask & (1 << i) != 0).collect();
                let est = betweenness_with_pivots(&csr, &pivots);
                for (m, e) in mean.iter_mut().zip(&est) {
                    *m += e;
                }
                count += 1.0;
            }
            mean.iter_mut().for_each(|m| *m /= count);
            assert!(close(&mean, &exact), "k={k}: {mean:?} vs {exact:?}");
        }
    }

    #[test]
    fn sampled_edge_cases() {
        let csr = graph(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        let exact = betweenness(&csr, BetweennessMode::Exact);
        let over = betweenness(
            &csr,
            BetweennessMode::Sampled {
                pivots: 50,
                seed: 3,
            },
        );
        assert!(close(&over, &exact));
        let none = betweenness(&csr, BetweennessMode::Sampled { pivots: 0, seed: 3 });
        assert!(none.iter().all(|x| x.is_nan()));
        let a = betweenness(&csr, BetweennessMode::Sampled { pivots: 2, seed: 9 });
        let b = betweenness(&csr, BetweennessMode::Sampled { pivots: 2, seed: 9 });
        assert_eq!(a, b);
        assert!(betweenness(
            &graph(0, &[]),
            BetweennessMode::Sampled { pivots: 3, seed: 1 }
        )
        .is_empty());
        assert_eq!(betweenness_with_pivots(&csr, &[99, 99]).len(), 5);
        assert_eq!(dependency_sums(&csr, &[7]), vec![0.0; 5]);
    }

    #[test]
    fn relabelled_sums_equal_plain_sums() {
        // Two components, pendant nodes, and an isolated node.
        let mut edges: Vec<(u32, u32)> = (0..40).map(|i| (i, (i * 7 + 3) % 50)).collect();
        edges.extend([(50, 51), (51, 52), (52, 50), (52, 53), (54, 53), (10, 55)]);
        edges.retain(|e| e.0 != e.1);
        let csr = graph(57, &edges);
        let sources: Vec<(u32, f64)> = (0..57).map(|v| (v, 1.0)).collect();
        let a = plain_sums(&csr, &sources, None);
        let b = relabelled_sums(&csr, &sources);
        assert!(near(&a, &b), "{a:?} vs {b:?}");
        assert_eq!(relabelled_sums(&csr, &[]), vec![0.0; 57]);
        // The block decomposition gives the same all-sources sums.
        let c = all_pairs_sums(&csr);
        assert!(near(&a, &c), "{a:?} vs {c:?}");
    }

    /// Equal within 1e-9, relatively.
    fn near(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + x.abs()))
    }

    /// Plain Brandes over every source, without the block decomposition.
    fn plain_all(csr: &Csr) -> Vec<f64> {
        let sources: Vec<(u32, f64)> = (0..csr.node_count() as u32).map(|v| (v, 1.0)).collect();
        plain_sums(csr, &sources, None)
    }

    /// A random graph of many small blocks: cycles, cliques and twins glued
    /// at articulation points, pendant trees, paths, separate components and
    /// isolated nodes.
    fn blocky_graph(next: &mut impl FnMut() -> u64, n_target: usize) -> (usize, Vec<(u32, u32)>) {
        let mut edges: Vec<(u32, u32)> = Vec::new();
        let mut n = 0u32;
        let new_node = |n: &mut u32| {
            *n += 1;
            *n - 1
        };
        while (n as usize) < n_target {
            let kind = next() % 7;
            // Attach to an existing node (an articulation point), or start a
            // new component.
            let anchor = if n > 0 && !next().is_multiple_of(8) {
                (next() % n as u64) as u32
            } else {
                new_node(&mut n)
            };
            match kind {
                0 => {
                    // A cycle of 3 to 8 nodes, sometimes with a chord.
                    let len = 3 + next() % 6;
                    let mut prev = anchor;
                    let first: Vec<u32> = (1..len).map(|_| new_node(&mut n)).collect();
                    for &x in &first {
                        edges.push((prev, x));
                        prev = x;
                    }
                    edges.push((prev, anchor));
                    if len >= 5 && next().is_multiple_of(2) {
                        edges.push((anchor, first[2]));
                    }
                }
                1 => {
                    // A pendant tree.
                    let size = 1 + next() % 6;
                    let mut tree = vec![anchor];
                    for _ in 0..size {
                        let p = tree[(next() % tree.len() as u64) as usize];
                        let x = new_node(&mut n);
                        edges.push((p, x));
                        tree.push(x);
                    }
                }
                2 => {
                    // A clique of 3 or 4.
                    let k = 2 + next() % 3;
                    let mut members = vec![anchor];
                    members.extend((0..k).map(|_| new_node(&mut n)));
                    for i in 0..members.len() {
                        for j in i + 1..members.len() {
                            edges.push((members[i], members[j]));
                        }
                    }
                }
                3 => {
                    // Open twins: a complete bipartite K(2, t) from the anchor
                    // and a new node.
                    let other = new_node(&mut n);
                    let t = 2 + next() % 3;
                    for _ in 0..t {
                        let x = new_node(&mut n);
                        edges.push((anchor, x));
                        edges.push((other, x));
                    }
                }
                4 => {
                    // An isolated node.
                    new_node(&mut n);
                }
                5 => {
                    // A chord between two random existing nodes, merging
                    // blocks into bigger ones.
                    if n > 1 {
                        let a = (next() % n as u64) as u32;
                        let b = (next() % n as u64) as u32;
                        if a != b {
                            edges.push((a, b));
                        }
                    }
                }
                _ => {
                    // A path.
                    let len = 1 + next() % 4;
                    let mut prev = anchor;
                    for _ in 0..len {
                        let x = new_node(&mut n);
                        edges.push((prev, x));
                        prev = x;
                    }
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        edges.retain(|&(a, b)| seen.insert((a.min(b), a.max(b))));
        (n as usize, edges)
    }

    #[test]
    fn block_decomposition_equals_plain_brandes() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rand::RngCore::next_u64(&mut rng);
        for trial in 0..80 {
            let (n, edges) = blocky_graph(&mut next, 5 + trial * 3);
            let csr = graph(n, &edges);
            let want = plain_all(&csr);
            let got = all_pairs_sums(&csr);
            assert!(near(&got, &want), "{n} {edges:?}: {got:?} vs {want:?}");
            if n <= 40 {
                let b = betweenness(&csr, BetweennessMode::Exact);
                assert!(close(&b, &brute_force(n, &edges)), "{edges:?}");
            }
        }
    }

    #[test]
    fn eight_lanes_equal_one_source_at_a_time() {
        // Weighted targets and sources, as on a block; 45 nodes, so the
        // last batch of eight is partial.
        let n = 45u32;
        let edges: Vec<(u32, u32)> = (0..n)
            .flat_map(|i| [(i, (i + 1) % n), (i, (i * 5 + 2) % n)])
            .filter(|e| e.0 != e.1)
            .collect();
        let csr = graph(n as usize, &edges);
        let reach: Vec<f64> = (0..n).map(|i| 1.0 + (i % 4) as f64).collect();
        let sources: Vec<(u32, f64)> = (0..n).map(|s| (s, reach[s as usize])).collect();
        let one = plain_sums(&csr, &sources, Some(&reach));
        let eight = block_sums(&csr, &reach, &block_twins(&csr, &reach));
        assert!(near(&one, &eight), "{one:?} vs {eight:?}");
    }

    #[test]
    fn block_decomposition_special_shapes() {
        // No edges; one edge; a star (all bridges); a long path; a clique with
        // a pendant at every node; twins; a cycle.
        let shapes: Vec<(usize, Vec<(u32, u32)>)> = vec![
            (4, vec![]),
            (3, vec![(2, 0)]),
            (7, (1..7).map(|i| (0, i)).collect()),
            (30, (0..29).map(|i| (i, i + 1)).collect()),
            (
                10,
                (0..5)
                    .flat_map(|i| (i + 1..5).map(move |j| (i, j)))
                    .chain((0..5).map(|i| (i, i + 5)))
                    .collect(),
            ),
            (
                6,
                vec![(0, 2), (0, 3), (0, 4), (1, 2), (1, 3), (1, 4), (4, 5)],
            ),
            (9, (0..9).map(|i| (i, (i + 1) % 9)).collect()),
        ];
        for (n, edges) in shapes {
            let csr = graph(n, &edges);
            let got = all_pairs_sums(&csr);
            assert!(near(&got, &plain_all(&csr)), "{edges:?}: {got:?}");
            let b = betweenness(&csr, BetweennessMode::Exact);
            assert!(close(&b, &brute_force(n, &edges)), "{edges:?}: {b:?}");
        }
    }

    #[test]
    fn twins_are_searched_once_and_give_the_same_sums() {
        // A complete bipartite pair of groups (5 and 7 nodes), a pendant
        // path hanging off node 0 and another off node 6, and a square
        // 12-13-14-15 through node 12's twin 13 and 14: some twins share a
        // reach, others do not.
        let (a, b) = (5u32, 7u32);
        let mut edges: Vec<(u32, u32)> = (0..a)
            .flat_map(|i| (0..b).map(move |j| (i, a + j)))
            .collect();
        edges.extend([(0, 12), (12, 13), (6, 14), (14, 15), (15, 16), (16, 14)]);
        let n = 17;
        let csr = graph(n, &edges);
        let got = all_pairs_sums(&csr);
        assert!(near(&got, &plain_all(&csr)), "{got:?}");
        let exact = betweenness(&csr, BetweennessMode::Exact);
        assert!(close(&exact, &brute_force(n, &edges)), "{exact:?}");

        // On the bipartite block alone, reach 1 everywhere except where a
        // path hangs: the classes are {0}, {1, 2, 3, 4}, {6} and
        // {5, 7, 8, 9, 10, 11}.
        let block = graph(12, &edges[..35]);
        let mut reach = vec![1.0; 12];
        reach[0] = 3.0;
        reach[6] = 4.0;
        let twin = block_twins(&block, &reach);
        let mut want: Vec<u32> = (0..12).collect();
        (2..5).for_each(|v| want[v] = 1);
        (7..12).for_each(|v| want[v] = 5);
        assert_eq!(twin, want);
        let sources: Vec<(u32, f64)> = (0..12).map(|s| (s, reach[s as usize])).collect();
        let one_by_one = plain_sums(&block, &sources, Some(&reach));
        assert!(near(&block_sums(&block, &reach, &twin), &one_by_one));
    }

    #[test]
    fn identical_bits_on_one_and_two_threads() {
        // A graph with many equal-length paths, large enough for many chunks.
        let n = 600u32;
        let edges: Vec<(u32, u32, f64)> = (0..n)
            .flat_map(|i| [(i, (i + 1) % n, 1.0), (i, (i * 7 + 3) % n, 1.0)])
            .filter(|e| e.0 != e.1)
            .collect();
        let csr = Csr::from_edges(n as usize, edges);
        let pool = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
        };
        let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
        let sampled = BetweennessMode::Sampled {
            pivots: 77,
            seed: 5,
        };
        for mode in [BetweennessMode::Exact, sampled] {
            let one = bits(pool(1).install(|| betweenness(&csr, mode)));
            let two = bits(pool(2).install(|| betweenness(&csr, mode)));
            let four = bits(pool(4).install(|| betweenness(&csr, mode)));
            assert_eq!(one, two);
            assert_eq!(one, four);
        }
        // The renumbered path that large graphs take.
        let sources: Vec<(u32, f64)> = (0..n).map(|v| (v, 1.0)).collect();
        let one = bits(pool(1).install(|| relabelled_sums(&csr, &sources)));
        let two = bits(pool(2).install(|| relabelled_sums(&csr, &sources)));
        assert_eq!(one, two);
    }
}
