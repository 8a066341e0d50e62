//! A compact, read-only adjacency structure for the hot loops of the graph
//! algorithms.
//!
//! petgraph's `Graph` is the model's tie graph; the algorithms in this module
//! tree walk neighbours millions of times, and a compressed sparse row (CSR)
//! layout (one offsets array, one targets array, one weights array) keeps those
//! walks in cache. Node `i` of the CSR is node index `i` of the petgraph graph
//! it was built from.

use petgraph::graph::{IndexType, UnGraph};
use petgraph::visit::EdgeRef;

/// An undirected weighted graph in compressed sparse row form.
///
/// Every undirected edge `{u, v}` appears twice: once in `u`'s row and once in
/// `v`'s. Self-loops are not stored (the tie graph has none). Neighbours of a
/// node are sorted by node index, so every walk is deterministic.
///
/// ```
/// use partnernet::algo::Csr;
/// use petgraph::graph::UnGraph;
/// let g = UnGraph::<(), f64>::from_edges(&[(0, 1, 2.0), (1, 2, 1.0)]);
/// let csr = Csr::from_graph(&g, |w| *w);
/// assert_eq!(csr.node_count(), 3);
/// assert_eq!(csr.edge_count(), 2);
/// assert_eq!(csr.neighbors(1), &[0, 2]);
/// assert_eq!(csr.weights(1), &[2.0, 1.0]);
/// assert_eq!(csr.strength(1), 3.0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Csr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    edge_count: usize,
}

impl Csr {
    /// Builds the CSR form of a petgraph undirected graph. `weight` maps an
    /// edge's weight to the `f64` the algorithms use.
    pub fn from_graph<N, E, Ix: IndexType>(
        graph: &UnGraph<N, E, Ix>,
        weight: impl Fn(&E) -> f64,
    ) -> Csr {
        let edges = graph.edge_references().filter_map(|e| {
            let (a, b) = (e.source().index(), e.target().index());
            (a != b).then(|| (a as u32, b as u32, weight(e.weight())))
        });
        Csr::from_edges(graph.node_count(), edges)
    }

    /// Builds a CSR graph on `n` nodes from undirected edges `(u, v, w)`.
    /// Parallel edges are kept as given (callers pass a simple graph);
    /// self-loops are dropped.
    pub fn from_edges(n: usize, edges: impl IntoIterator<Item = (u32, u32, f64)>) -> Csr {
        let list: Vec<(u32, u32, f64)> = edges.into_iter().collect();
        Csr::from_edge_slice(n, &list, |&e| e)
    }

    /// [`Csr::from_edges`] on a slice of edges of any type, `ends` giving
    /// each one's `(u, v, w)`: read twice where they are, with no copy. The
    /// offsets are counted in 32 bits from the start (for the model's tie
    /// graph of a generated 1.2-million-organisation movement, 2.5 million
    /// ties, that is about 69 MB of new arrays here instead of 123 MB).
    ///
    /// ```
    /// use partnernet::algo::Csr;
    /// let ties = [(0u32, 1u32, "met"), (1, 2, "wrote"), (2, 2, "self")];
    /// let csr = Csr::from_edge_slice(3, &ties, |&(a, b, _)| (a, b, 1.0));
    /// assert_eq!(csr.neighbors(1), &[0, 2]);
    /// assert_eq!(csr.edge_count(), 2);
    /// ```
    ///
    /// # Panics
    ///
    /// With 2^31 edges or more (tens of gigabytes).
    pub fn from_edge_slice<E>(n: usize, edges: &[E], ends: impl Fn(&E) -> (u32, u32, f64)) -> Csr {
        let kept = || edges.iter().map(&ends).filter(|e| e.0 != e.1);
        let mut offsets = vec![0u32; n + 1];
        let mut count = 0usize;
        for (a, b, _) in kept() {
            offsets[a as usize + 1] += 1;
            offsets[b as usize + 1] += 1;
            count += 1;
        }
        // Node indices are u32, and a graph with 2^31 edges would take
        // tens of gigabytes: the offsets fit in 32 bits, which halves
        // the cache lines the walks read.
        assert!(count < 1 << 31, "fewer than 2^31 edges");
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; 2 * count];
        let mut weights = vec![0f64; 2 * count];
        for (a, b, w) in kept() {
            let (a, b) = (a as usize, b as usize);
            let (fa, fb) = (fill[a] as usize, fill[b] as usize);
            targets[fa] = b as u32;
            weights[fa] = w;
            fill[a] += 1;
            targets[fb] = a as u32;
            weights[fb] = w;
            fill[b] += 1;
        }
        drop(fill);
        // Sort each row by neighbour index so walks do not depend on input order.
        let mut row: Vec<(u32, f64)> = Vec::new();
        for v in 0..n {
            let (s, e) = (offsets[v] as usize, offsets[v + 1] as usize);
            if targets[s..e].windows(2).all(|w| w[0] <= w[1]) {
                continue;
            }
            row.clear();
            row.extend(
                targets[s..e]
                    .iter()
                    .copied()
                    .zip(weights[s..e].iter().copied()),
            );
            row.sort_by_key(|p| p.0);
            for (k, (t, w)) in row.iter().enumerate() {
                targets[s + k] = *t;
                weights[s + k] = *w;
            }
        }
        Csr {
            offsets,
            targets,
            weights,
            edge_count: count,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of undirected edges.
    pub fn edge_count(&self) -> usize {
        self.edge_count
    }

    /// The neighbours of `v`, sorted by index.
    pub fn neighbors(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// The weights of the edges to `neighbors(v)`, in the same order.
    pub fn weights(&self, v: usize) -> &[f64] {
        &self.weights[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// Numbers the nodes in breadth-first order: a search from the first of
    /// `roots`, then from the next root not reached yet, and so on (every
    /// node should be among the roots, or be reached from one). Nodes that
    /// a search reaches together get numbers close together, which keeps
    /// later searches on the renumbered graph in cache. Returns `(new_of,
    /// old_of)`: node `v` is numbered `new_of[v]`, number `k` is node
    /// `old_of[k]`.
    ///
    /// ```
    /// use partnernet::algo::Csr;
    /// // Two paths, 0-3-1 and 2-4.
    /// let csr = Csr::from_edges(5, [(0, 3, 1.0), (3, 1, 1.0), (2, 4, 1.0)]);
    /// let (new_of, old_of) = csr.bfs_numbering(0..5);
    /// assert_eq!(old_of, vec![0, 3, 1, 2, 4]);
    /// assert_eq!(new_of, vec![0, 2, 3, 1, 4]);
    /// ```
    pub fn bfs_numbering(&self, roots: impl IntoIterator<Item = u32>) -> (Vec<u32>, Vec<u32>) {
        const UNSEEN: u32 = u32::MAX;
        let n = self.node_count();
        let mut new_of = vec![UNSEEN; n];
        let mut old_of: Vec<u32> = Vec::with_capacity(n);
        for r in roots {
            if new_of[r as usize] != UNSEEN {
                continue;
            }
            let mut head = old_of.len();
            new_of[r as usize] = old_of.len() as u32;
            old_of.push(r);
            while head < old_of.len() {
                let v = old_of[head] as usize;
                head += 1;
                for &w in self.neighbors(v) {
                    if new_of[w as usize] == UNSEEN {
                        new_of[w as usize] = old_of.len() as u32;
                        old_of.push(w);
                    }
                }
            }
        }
        (new_of, old_of)
    }

    /// The number of neighbours of `v`.
    pub fn degree(&self, v: usize) -> usize {
        (self.offsets[v + 1] - self.offsets[v]) as usize
    }

    /// The sum of the weights of `v`'s edges.
    pub fn strength(&self, v: usize) -> f64 {
        self.weights(v).iter().sum()
    }

    /// The sum of all edge weights (each undirected edge counted once).
    pub fn total_weight(&self) -> f64 {
        self.weights.iter().sum::<f64>() / 2.0
    }
}
