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
    /// edge indices do not depend on the order of the relations.
    pub fn build(orgs: &[Organisation], relations: &[Relation]) -> TieGraph {
        let mut pairs: Vec<(u32, u32, u32)> = relations
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind.is_tie() && r.source != r.target)
            .map(|(i, r)| (r.source.min(r.target), r.source.max(r.target), i as u32))
            .collect();
        pairs.sort_unstable();
        let mut graph = UnGraph::with_capacity(orgs.len(), pairs.len());
        for i in 0..orgs.len() {
            graph.add_node(i as u32);
        }
        let mut k = 0;
        while k < pairs.len() {
            let (a, b, _) = pairs[k];
            let mut tie = Tie {
                weight: 0.0,
                kinds: KindSet::default(),
                relations: 0,
            };
            while k < pairs.len() && pairs[k].0 == a && pairs[k].1 == b {
                let r = &relations[pairs[k].2 as usize];
                tie.weight += r.weight;
                tie.kinds.insert(r.kind);
                tie.relations += 1;
                k += 1;
            }
            graph.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), tie);
        }
        let csr = Csr::from_graph(&graph, |t| t.weight);
        TieGraph { graph, csr }
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}
