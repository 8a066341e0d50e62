//! Connected components of the tie graph: who can reach whom at all.

use crate::algo::components::connected_components;
use crate::model::Model;

/// The components of the tie graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Components {
    /// The component of each organisation; 0 is the largest.
    pub membership: Vec<u32>,
    /// The number of organisations in each component.
    pub sizes: Vec<usize>,
}

impl Components {
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    /// Organisations with no tie at all.
    pub fn isolated(&self) -> impl Iterator<Item = usize> + '_ {
        self.membership
            .iter()
            .enumerate()
            .filter(|(_, c)| self.sizes[**c as usize] == 1)
            .map(|(i, _)| i)
    }

    /// The members of each component, in order of organisation index.
    pub fn members(&self) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); self.sizes.len()];
        for (i, c) in self.membership.iter().enumerate() {
            out[*c as usize].push(i as u32);
        }
        out
    }
}

/// Finds the connected components of the model's tie graph.
pub fn components(model: &Model) -> Components {
    let membership = connected_components(&model.ties.csr);
    let count = membership
        .iter()
        .map(|c| *c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut sizes = vec![0usize; count];
    for c in &membership {
        sizes[*c as usize] += 1;
    }
    Components { membership, sizes }
}
