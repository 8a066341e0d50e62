//! Brokerage measures: Burt's constraint and effective size (structural
//! holes), and the participation coefficient across clusters.
//!
//! All three are computed per node independently, in parallel with rayon;
//! each node's value is summed in a fixed order (its sorted neighbours), so
//! results do not depend on the number of threads.
//!
//! Weights are taken as given; the measures assume positive weights (a
//! zero-weight tie contributes nothing and is treated as NetworkX's pure
//! Python code path does).

use super::Csr;
use rayon::prelude::*;

/// Burt's constraint and effective size of every node, computed together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StructuralHoles {
    /// Burt's constraint per node (see [`constraint`]); NaN for isolated nodes.
    pub constraint: Vec<f64>,
    /// Burt's effective size per node (see [`effective_size`]); NaN for
    /// isolated nodes.
    pub effective_size: Vec<f64>,
}

/// Burt's constraint and effective size in one pass; the definitions are
/// those of [`constraint`] and [`effective_size`]. Each node `u` meets the
/// ties of each neighbour `v`: by walking `v`'s ties and asking, of each
/// tie's other end, whether it is one of `u`'s neighbours (one bit per
/// node, so the question stays in the processor's cache on a network of
/// millions), or, when `v` has many more ties than `u`, by looking up `u`'s
/// neighbours among them (binary search). Time
/// `O(Σ_u Σ_{v ∈ N(u)} min(deg v, deg u · log deg v))` (a common
/// neighbour's share is found by binary search in `u`'s row, a factor
/// `log deg u` on those), so a busy affiliate's many single-tie partners
/// cost little; memory `O(n)` plus `n` bits per thread; parallel over nodes.
/// Nodes with the same ties (twins) are computed once per class (see
/// [`first_twins`]).
///
/// ```
/// use partnernet::algo::{brokerage::structural_holes, Csr};
/// let star = Csr::from_edges(4, [(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0)]);
/// let h = structural_holes(&star);
/// assert!((h.constraint[0] - 1.0 / 3.0).abs() < 1e-12);
/// assert_eq!(h.effective_size[0], 3.0);
/// assert_eq!(h.constraint[1], 1.0);
/// ```
pub fn structural_holes(csr: &Csr) -> StructuralHoles {
    holes_in_order(csr, None)
}

/// [`structural_holes`], visiting the nodes group by group: `group[v]` is
/// `v`'s group (a cluster, say), and the nodes of each group are visited
/// together. The results are the same to the last bit as
/// [`structural_holes`]'s, whatever the groups; only the time changes. When
/// most ties stay inside their groups, as in a clustered network, the rows
/// and values a node meets are those its group's other nodes have just
/// met, so they are still in the processor's cache: on a network of
/// millions, whose arrays are larger than the cache, this is what keeps
/// the time growing with the ties rather than with the cost of a memory
/// access (the grouping idea of community-based graph reordering, e.g.
/// Arai et al. 2016, "Rabbit Order", IPDPS).
///
/// `group` has one entry per node, each below `groups`.
///
/// ```
/// use partnernet::algo::{brokerage::{structural_holes, structural_holes_grouped}, Csr};
/// let two_stars = Csr::from_edges(6, [(0, 2, 1.0), (0, 4, 1.0), (1, 3, 1.0), (1, 5, 1.0)]);
/// let grouped = structural_holes_grouped(&two_stars, &[0, 1, 0, 1, 0, 1], 2);
/// assert_eq!(grouped, structural_holes(&two_stars));
/// ```
pub fn structural_holes_grouped(csr: &Csr, group: &[u32], groups: usize) -> StructuralHoles {
    assert_eq!(group.len(), csr.node_count(), "one group per node");
    let (_, order) = super::members_by_label(group, groups);
    holes_in_order(csr, Some(&order))
}

/// Burt's measures of every node, visiting the nodes in `order` (a
/// permutation of the nodes) or in index order.
fn holes_in_order(csr: &Csr, order: Option<&[u32]>) -> StructuralHoles {
    let n = csr.node_count();
    let strength: Vec<f64> = (0..n).map(|v| csr.strength(v)).collect();
    let max_weight: Vec<f64> = (0..n)
        .map(|v| {
            csr.weights(v)
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let node_at = |k: usize| order.map_or(k, |order| order[k] as usize);
    // A twin's measures are its first twin's, filled in below.
    let twin = first_twins(csr);
    let pairs: Vec<(f64, f64)> = (0..n)
        .into_par_iter()
        .with_min_len(256)
        .map_init(
            || (vec![0u64; n.div_ceil(64)], Vec::new()),
            |(is_neighbour, shares), k| {
                let u = node_at(k);
                if twin[u] as usize != u {
                    return (f64::NAN, f64::NAN);
                }
                node_holes(csr, u, &strength, &max_weight, is_neighbour, shares)
            },
        )
        .collect();
    let mut constraint = vec![0.0; n];
    let mut effective_size = vec![0.0; n];
    for (k, (c, e)) in pairs.into_iter().enumerate() {
        constraint[node_at(k)] = c;
        effective_size[node_at(k)] = e;
    }
    for (u, &first) in twin.iter().enumerate() {
        if first as usize != u {
            constraint[u] = constraint[first as usize];
            effective_size[u] = effective_size[first as usize];
        }
    }
    StructuralHoles {
        constraint,
        effective_size,
    }
}

/// Nodes of at least this many ties are compared with each other for twins
/// in [`first_twins`]; below it, a node's measures cost little anyway.
const TWIN_DEGREE: usize = 16;

/// For each node, the first node (in index order) with the same ties: the
/// same neighbours with the same weights, as stored. Such twins (structural
/// equivalence, Lorrain & White 1971) have the same Burt measures, which
/// depend only on a node's row and its neighbours' rows, so each class is
/// computed once: a complete bipartite pair of groups, whose every node
/// meets every pair of its ties (`m^1.5` in all), becomes two computations.
/// Only nodes of at least [`TWIN_DEGREE`] ties are compared; any other node
/// is its own first twin. Rows are grouped by a randomly seeded hash and
/// compared in full, so the result does not depend on the hash.
fn first_twins(csr: &Csr) -> Vec<u32> {
    super::first_twins(csr.node_count(), |u| {
        (csr.degree(u) >= TWIN_DEGREE).then(|| Ties {
            neighbours: csr.neighbors(u),
            weights: csr.weights(u),
        })
    })
}

/// A node's row as stored: its neighbours and the weights of its ties,
/// equal when the neighbours and the weights' bits are.
struct Ties<'a> {
    neighbours: &'a [u32],
    weights: &'a [f64],
}

impl PartialEq for Ties<'_> {
    fn eq(&self, other: &Self) -> bool {
        // Equal neighbours make the rows, and so the weights, equally long.
        self.neighbours == other.neighbours
            && self
                .weights
                .iter()
                .zip(other.weights)
                .all(|(x, y)| x.to_bits() == y.to_bits())
    }
}

impl Eq for Ties<'_> {}

impl std::hash::Hash for Ties<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.neighbours.hash(state);
        for w in self.weights {
            state.write_u64(w.to_bits());
        }
    }
}

/// A neighbour's row is searched instead of walked when it is this many
/// times longer than the node's own.
const LOOKUP_RATIO: usize = 8;

/// Constraint and effective size of `u`. `is_neighbour` is an all-zero
/// bit set of `n` bits, left all-zero on return; `shares` is scratch space,
/// filled here with `u`'s distinct neighbours `w` and `p_uw`, in the row's
/// order.
fn node_holes(
    csr: &Csr,
    u: usize,
    strength: &[f64],
    max_weight: &[f64],
    is_neighbour: &mut [u64],
    shares: &mut Vec<(u32, f64)>,
) -> (f64, f64) {
    let nbrs = csr.neighbors(u);
    if nbrs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let su = strength[u];
    // p_uw = a_uw / Σ_x a_ux, summing parallel ties to the same neighbour
    // in the order they are stored.
    shares.clear();
    for (&w, &a) in nbrs.iter().zip(csr.weights(u)) {
        let p = if su == 0.0 { 0.0 } else { a / su };
        match shares.last_mut() {
            Some((last, sum)) if *last == w => *sum += p,
            _ => {
                shares.push((w, 0.0 + p));
                is_neighbour[w as usize / 64] |= 1 << (w % 64);
            }
        }
    }
    let shares: &[(u32, f64)] = shares;
    let share_of = |w: u32| -> f64 {
        if is_neighbour[w as usize / 64] & (1 << (w % 64)) == 0 {
            return 0.0;
        }
        shares
            .binary_search_by_key(&w, |&(x, _)| x)
            .map_or(0.0, |k| shares[k].1)
    };
    let mut constraint = 0.0;
    let mut effective = 0.0;
    for &(v, direct) in shares {
        let vu = v as usize;
        let mv = max_weight[vu];
        let mut indirect = 0.0; // Σ_w p_uw p_wv
        let mut redundancy = 0.0; // Σ_w p_uw m_vw
        let mut add = |w: u32, a: f64, p_uw: f64| {
            let sw = strength[w as usize];
            if sw != 0.0 {
                indirect += p_uw * a / sw;
            }
            if mv != 0.0 {
                redundancy += p_uw * a / mv;
            }
        };
        // The same ties are added in the same order (by neighbour, then as
        // stored in `v`'s row) either way, so the sums are the same to the
        // last bit.
        let (v_nbrs, v_weights) = (csr.neighbors(vu), csr.weights(vu));
        if v_nbrs.len() > LOOKUP_RATIO * nbrs.len() {
            // `v` has many more ties than `u` (an institution tied to a
            // busy affiliate): look up `u`'s few neighbours in `v`'s row.
            for &(w, p_uw) in shares {
                if p_uw == 0.0 {
                    continue;
                }
                let from = v_nbrs.partition_point(|&x| x < w);
                for (&x, &a) in v_nbrs[from..].iter().zip(&v_weights[from..]) {
                    if x != w {
                        break;
                    }
                    add(w, a, p_uw);
                }
            }
        } else {
            for (&w, &a) in v_nbrs.iter().zip(v_weights) {
                let p_uw = share_of(w);
                if p_uw != 0.0 {
                    add(w, a, p_uw);
                }
            }
        }
        constraint += (direct + indirect) * (direct + indirect);
        effective += 1.0 - redundancy;
    }
    for &(w, _) in shares {
        is_neighbour[w as usize / 64] = 0;
    }
    (constraint, effective)
}

/// Burt's constraint of every node, as NetworkX's
/// `nx.constraint(G, weight="weight")` on an undirected graph.
///
/// Definition (Burt 1992, *Structural Holes*, Harvard UP; NetworkX
/// `structuralholes`):
///
/// `c(u) = Σ_{v ∈ N(u)} ( p_uv + Σ_{w ∈ N(u)} p_uw p_wv )²`
///
/// where `p_uv = a_uv / Σ_{x ∈ N(u)} a_ux` is the normalised mutual weight
/// (the share of `u`'s tie strength going to `v`; 0 when `u`'s ties sum to
/// 0). High constraint means `u`'s contacts are tied to each other: few
/// structural holes to broker. It ranges over `(0, 1]` for nodes of positive
/// strength and can slightly exceed 1 in small dense neighbourhoods.
/// Isolated nodes get NaN (undefined, as in NetworkX).
///
/// ```
/// use partnernet::algo::{brokerage::constraint, Csr};
/// // Triangle: each neighbour has share 1/2, reached indirectly with 1/4.
/// let tri = Csr::from_edges(3, [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0)]);
/// assert_eq!(constraint(&tri), vec![1.125; 3]);
/// assert!(constraint(&Csr::from_edges(1, []))[0].is_nan());
/// ```
pub fn constraint(csr: &Csr) -> Vec<f64> {
    structural_holes(csr).constraint
}

/// Burt's effective size of every node, as NetworkX's
/// `nx.effective_size(G, weight="weight")` on an undirected graph.
///
/// Definition (Burt 1992; Borgatti 1997, "Structural holes: unpacking
/// Burt's redundancy measures", Connections 20(1)):
///
/// `e(u) = Σ_{v ∈ N(u)} ( 1 − Σ_{w ∈ N(u)} p_uw m_vw )`
///
/// where `p_uw` is the normalised mutual weight of [`constraint`] and
/// `m_vw = a_vw / max_x a_vx` is `v`'s tie to `w` relative to `v`'s strongest
/// tie. It is the number of `u`'s contacts less their redundancy; on an
/// unweighted graph it equals `deg(u) − 2 t / deg(u)` with `t` the ties among
/// `u`'s contacts. Isolated nodes get NaN (undefined, as in NetworkX).
///
/// ```
/// use partnernet::algo::{brokerage::effective_size, Csr};
/// // Path 0-1-2: node 1's two contacts are not tied: effective size 2.
/// let path = Csr::from_edges(3, [(0, 1, 1.0), (1, 2, 1.0)]);
/// assert_eq!(effective_size(&path), vec![1.0, 2.0, 1.0]);
/// ```
pub fn effective_size(csr: &Csr) -> Vec<f64> {
    structural_holes(csr).effective_size
}

/// Error of [`participation_coefficient`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrokerageError {
    /// The membership slice does not give one cluster per node.
    #[error("membership has {got} entries for a graph of {expected} nodes")]
    MembershipLength {
        /// Number of nodes of the graph.
        expected: usize,
        /// Length of the membership slice.
        got: usize,
    },
}

/// Participation coefficient of every node across the clusters given by
/// `membership` (`membership[v]` is `v`'s cluster id, any `u32`).
///
/// Definition (Guimerà & Amaral 2005, "Functional cartography of complex
/// metabolic networks", Nature 433):
///
/// `P_i = 1 − Σ_s (k_is / k_i)²`
///
/// where `k_is` is the total weight of `i`'s ties into cluster `s` (its own
/// cluster included) and `k_i` its total tie weight. `P_i = 0` when all ties
/// stay in one cluster and approaches 1 when they are spread evenly over
/// many. Nodes with no tie weight (isolated) get 0.
///
/// Returns an error if `membership.len()` differs from the node count.
///
/// ```
/// use partnernet::algo::{brokerage::participation_coefficient, Csr};
/// // Node 0 ties to 1 and 2 (cluster 0, weight 1 each) and to 3 (cluster 1, weight 2).
/// let g = Csr::from_edges(5, [(0, 1, 1.0), (0, 2, 1.0), (0, 3, 2.0)]);
/// let p = participation_coefficient(&g, &[0, 0, 0, 1, 2]).unwrap();
/// assert_eq!(p[0], 1.0 - (0.5f64.powi(2) + 0.5f64.powi(2)));
/// assert_eq!(p[1], 0.0);
/// assert_eq!(p[4], 0.0); // isolated
/// assert!(participation_coefficient(&g, &[0]).is_err());
/// ```
pub fn participation_coefficient(
    csr: &Csr,
    membership: &[u32],
) -> Result<Vec<f64>, BrokerageError> {
    let n = csr.node_count();
    if membership.len() != n {
        return Err(BrokerageError::MembershipLength {
            expected: n,
            got: membership.len(),
        });
    }
    Ok((0..n)
        .into_par_iter()
        .with_min_len(256)
        .map_init(Vec::new, |ties: &mut Vec<(u32, f64)>, i| {
            let total = csr.strength(i);
            if total == 0.0 {
                return 0.0;
            }
            ties.clear();
            ties.extend(
                csr.neighbors(i)
                    .iter()
                    .zip(csr.weights(i))
                    .map(|(&j, &w)| (membership[j as usize], w)),
            );
            ties.sort_by_key(|t| t.0);
            let mut sum_sq = 0.0;
            let mut k = 0;
            while k < ties.len() {
                let s = ties[k].0;
                let mut k_is = 0.0;
                while k < ties.len() && ties[k].0 == s {
                    k_is += ties[k].1;
                    k += 1;
                }
                let share = k_is / total;
                sum_sq += share * share;
            }
            1.0 - sum_sq
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32, f64)]) -> Csr {
        Csr::from_edges(n, edges.iter().copied())
    }

    /// Straight transcription of NetworkX's pure-Python definitions.
    fn reference(n: usize, edges: &[(u32, u32, f64)]) -> (Vec<f64>, Vec<f64>) {
        let mut a = vec![vec![0.0; n]; n];
        let mut adj = vec![false; n * n];
        for &(u, v, w) in edges {
            a[u as usize][v as usize] += w;
            a[v as usize][u as usize] += w;
            adj[u as usize * n + v as usize] = true;
            adj[v as usize * n + u as usize] = true;
        }
        let nb = |u: usize| -> Vec<usize> { (0..n).filter(|&v| adj[u * n + v]).collect() };
        let nmw_sum = |u: usize, v: usize| {
            let s: f64 = nb(u).iter().map(|&w| a[u][w]).sum();
            if s == 0.0 {
                0.0
            } else {
                a[u][v] / s
            }
        };
        let nmw_max = |u: usize, v: usize| {
            let m = nb(u)
                .iter()
                .map(|&w| a[u][w])
                .fold(f64::NEG_INFINITY, f64::max);
            if m == 0.0 {
                0.0
            } else {
                a[u][v] / m
            }
        };
        let mut con = vec![f64::NAN; n];
        let mut eff = vec![f64::NAN; n];
        for u in 0..n {
            if nb(u).is_empty() {
                continue;
            }
            con[u] = nb(u)
                .iter()
                .map(|&v| {
                    let ind: f64 = nb(u).iter().map(|&w| nmw_sum(u, w) * nmw_sum(w, v)).sum();
                    (nmw_sum(u, v) + ind).powi(2)
                })
                .sum();
            eff[u] = nb(u)
                .iter()
                .map(|&v| {
                    1.0 - nb(u)
                        .iter()
                        .map(|&w| nmw_sum(u, w) * nmw_max(v, w))
                        .sum::<f64>()
                })
                .sum();
        }
        (con, eff)
    }

    fn same(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-12)
    }

    #[test]
    fn empty_graph() {
        let h = structural_holes(&graph(0, &[]));
        assert!(h.constraint.is_empty() && h.effective_size.is_empty());
        assert_eq!(
            participation_coefficient(&graph(0, &[]), &[]).unwrap(),
            Vec::<f64>::new()
        );
    }

    #[test]
    fn matches_reference_definitions() {
        type Edges = Vec<(u32, u32, f64)>;
        let cases: Vec<(usize, Edges)> = vec![
            (1, vec![]),
            (3, vec![(0, 1, 1.0), (1, 2, 1.0)]),
            (
                7,
                vec![
                    (0, 1, 1.0),
                    (1, 2, 2.0),
                    (0, 2, 3.0),
                    (2, 3, 1.5),
                    (3, 4, 1.0),
                    (4, 5, 4.0),
                    (3, 5, 0.5),
                ],
            ),
            (
                6,
                vec![
                    (0, 1, 2.0),
                    (0, 2, 1.0),
                    (0, 3, 1.0),
                    (1, 2, 5.0),
                    (2, 3, 1.0),
                    (3, 4, 1.0),
                ],
            ),
        ];
        // A busy node 0 with 30 partners, a few of them tied to each other:
        // its partners look their ties up in its row.
        let mut busy: Edges = (1..=30).map(|v| (0, v, 1.0 + (v % 4) as f64)).collect();
        busy.extend([(1, 2, 2.0), (2, 3, 1.0), (5, 9, 0.5), (30, 31, 1.0)]);
        let cases = cases.into_iter().chain([(32, busy)]);
        for (n, edges) in cases {
            let h = structural_holes(&graph(n, &edges));
            let (c, e) = reference(n, &edges);
            assert!(
                same(&h.constraint, &c),
                "{edges:?}: {:?} vs {c:?}",
                h.constraint
            );
            assert!(
                same(&h.effective_size, &e),
                "{edges:?}: {:?} vs {e:?}",
                h.effective_size
            );
        }
    }

    #[test]
    fn unweighted_effective_size_is_borgatti_formula() {
        // Node 0 with contacts 1..=4, ties 1-2 and 3-4 among them: 4 - 2·2/4 = 3.
        let g = graph(
            5,
            &[
                (0, 1, 1.0),
                (0, 2, 1.0),
                (0, 3, 1.0),
                (0, 4, 1.0),
                (1, 2, 1.0),
                (3, 4, 1.0),
            ],
        );
        assert!((effective_size(&g)[0] - 3.0).abs() < 1e-12);
    }

    #[test]
    fn participation_known_values() {
        let g = graph(6, &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (0, 4, 1.0)]);
        // Node 0: ties into clusters 7, 7, 8, 9 -> 1 - (0.25 + 0.0625 + 0.0625).
        let p = participation_coefficient(&g, &[7, 7, 7, 8, 9, 9]).unwrap();
        assert!((p[0] - 0.625).abs() < 1e-12);
        assert_eq!(&p[1..], &[0.0; 5]);
        assert_eq!(
            participation_coefficient(&g, &[0; 7]),
            Err(BrokerageError::MembershipLength {
                expected: 6,
                got: 7
            })
        );
    }

    /// A ring of `n` nodes with weighted chords: `(i, i + 1)` and
    /// `(i, 13 i + 5)` (mod `n`), without self-loops.
    fn ring_with_chords(n: u32) -> Csr {
        let edges: Vec<(u32, u32, f64)> = (0..n)
            .flat_map(|i| {
                [
                    (i, (i + 1) % n, 1.0 + (i % 3) as f64),
                    (i, (i * 13 + 5) % n, 0.5),
                ]
            })
            .filter(|e| e.0 != e.1)
            .collect();
        Csr::from_edges(n as usize, edges)
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn identical_on_one_and_two_threads() {
        let n = 2000u32;
        let csr = ring_with_chords(n);
        let membership: Vec<u32> = (0..n).map(|i| i % 7).collect();
        let run = |t: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .unwrap()
                .install(|| {
                    (
                        structural_holes(&csr),
                        participation_coefficient(&csr, &membership).unwrap(),
                    )
                })
        };
        let (h1, p1) = run(1);
        let (h2, p2) = run(2);
        assert_eq!(bits(&h1.constraint), bits(&h2.constraint));
        assert_eq!(bits(&h1.effective_size), bits(&h2.effective_size));
        assert_eq!(bits(&p1), bits(&p2));
    }

    #[test]
    fn grouped_visits_give_the_same_bits() {
        let n = 3000u32;
        let csr = ring_with_chords(n);
        let plain = structural_holes(&csr);
        for groups in [1u32, 7, 100, n] {
            let group: Vec<u32> = (0..n)
                .map(|i| (u64::from(i) * 2_654_435_761 % u64::from(n)) as u32 % groups)
                .collect();
            let grouped = structural_holes_grouped(&csr, &group, groups as usize);
            assert_eq!(bits(&grouped.constraint), bits(&plain.constraint));
            assert_eq!(bits(&grouped.effective_size), bits(&plain.effective_size));
        }
    }

    #[test]
    fn twins_get_their_own_measures() {
        // A complete bipartite pair of 20 and 24 nodes (every node a twin
        // of its side), one node of each side with a tie of its own, and
        // weights that differ on one side.
        let (a, b) = (20u32, 24u32);
        let mut edges: Vec<(u32, u32, f64)> = Vec::new();
        for i in 0..a {
            for j in 0..b {
                edges.push((i, a + j, if j == 3 { 2.0 } else { 1.0 }));
            }
        }
        edges.push((0, a + b, 1.0));
        edges.push((a + 1, a + b + 1, 3.0));
        let n = (a + b + 2) as usize;
        let csr = Csr::from_edges(n, edges.clone());
        let twins = first_twins(&csr);
        assert_eq!(
            twins[5], 1,
            "node 5 is a twin of node 1 (node 0 has a tie of its own)"
        );
        assert_eq!(twins[a as usize + 5], a, "and a + 5 of a");
        assert_eq!(twins[a as usize + 1], a + 1, "a + 1 has a tie of its own");
        let h = structural_holes(&csr);
        let (c, e) = reference(n, &edges);
        assert!(same(&h.constraint, &c) && same(&h.effective_size, &e));
    }
}
