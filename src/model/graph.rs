//! The tie graph: one undirected edge per pair of organisations that have a
//! tie, its weight the sum of their relations' weights, the set of relation
//! kinds kept on the edge. `desired` relations are aspirations and stay out.

use petgraph::graph::{NodeIndex, UnGraph};

use super::{KindSet, Organisation, Relation};
use crate::algo::Csr;

/// A tie between two organisations: all their relations taken together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tie {
    /// The sum of the relations' weights.
    pub weight: f64,
    /// The kinds of relation between the two.
    pub kinds: KindSet,
    /// How many relations make up the tie.
    pub relations: u32,
}

/// The tie graph of a dataset.
///
/// Node `i` of [`TieGraph::graph`] is organisation `i` of the dataset (its
/// weight is that index), so an organisation's attributes are one index away.
/// The graph is simple: no self-loops, no parallel edges. [`TieGraph::csr`] is
/// the same graph in the compact form the algorithms walk.
#[derive(Debug, Clone, Default)]
pub struct TieGraph {
    pub graph: UnGraph<u32, Tie>,
    pub csr: Csr,
}

impl TieGraph {
    /// Builds the tie graph. Edges are added in order of their end points, so
    /// edge indices do not depend on the order of the relations; a tie's
    /// weight is summed in the order of its relations.
    pub fn build(orgs: &[Organisation], relations: &[Relation]) -> TieGraph {
        let n = orgs.len();
        let is_tie = |r: &Relation| r.kind.is_tie() && r.source != r.target;
        // The ties' relations grouped by their lower end point, in relation
        // order (a counting sort), then each group sorted by the higher end.
        let mut start = vec![0usize; n + 1];
        for r in relations.iter().filter(|r| is_tie(r)) {
            start[r.source.min(r.target) as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut pairs = vec![(0u32, 0u32); start[n]];
        for (i, r) in relations.iter().enumerate().filter(|(_, r)| is_tie(r)) {
            let slot = &mut fill[r.source.min(r.target) as usize];
            pairs[*slot] = (r.source.max(r.target), i as u32);
            *slot += 1;
        }
        drop(fill);
        let mut edges: Vec<(u32, u32, Tie)> = Vec::with_capacity(pairs.len());
        for a in 0..n {
            let group = &mut pairs[start[a]..start[a + 1]];
            if !group.windows(2).all(|w| w[0] <= w[1]) {
                group.sort_unstable();
            }
            let mut k = 0;
            while k < group.len() {
                let b = group[k].0;
                let mut tie = Tie {
                    weight: 0.0,
                    kinds: KindSet::default(),
                    relations: 0,
                };
                while k < group.len() && group[k].0 == b {
                    let r = &relations[group[k].1 as usize];
                    tie.weight += r.weight;
                    tie.kinds.insert(r.kind);
                    tie.relations += 1;
                    k += 1;
                }
                edges.push((a as u32, b, tie));
            }
        }
        drop(pairs);
        // The graph and its compact form, side by side.
        let (graph, csr) = rayon::join(
            || {
                let mut graph = UnGraph::with_capacity(n, edges.len());
                for i in 0..n {
                    graph.add_node(i as u32);
                }
                for &(a, b, tie) in &edges {
                    graph.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), tie);
                }
                graph
            },
            || Csr::from_edge_slice(n, &edges, |&(a, b, t)| (a, b, t.weight)),
        );
        TieGraph { graph, csr }
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}
