//! Connected components.

use crate::algo::Csr;

/// The connected components of a graph: `membership[v]` is the component of
/// node `v`. Components are numbered by size, largest first, ties broken by
/// their smallest node, so the numbering does not depend on edge order.
/// Linear time, iterative (no recursion), so any size of graph works.
///
/// ```
/// use partnernet::algo::{components::connected_components, Csr};
/// let g = Csr::from_edges(5, [(0, 1, 1.0), (3, 4, 1.0), (1, 2, 1.0)]);
/// assert_eq!(connected_components(&g), vec![0, 0, 0, 1, 1]);
/// ```
pub fn connected_components(graph: &Csr) -> Vec<u32> {
    let n = graph.node_count();
    let mut membership = vec![u32::MAX; n];
    let mut sizes: Vec<(usize, u32)> = Vec::new();
    let mut stack: Vec<u32> = Vec::new();
    for start in 0..n {
        if membership[start] != u32::MAX {
            continue;
        }
        let c = sizes.len() as u32;
        membership[start] = c;
        stack.push(start as u32);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for &w in graph.neighbors(v as usize) {
                if membership[w as usize] == u32::MAX {
                    membership[w as usize] = c;
                    stack.push(w);
                }
            }
        }
        sizes.push((size, c));
    }
    // Components were found in order of their smallest node; a stable sort
    // by size keeps that order among equals.
    let mut order: Vec<u32> = (0..sizes.len() as u32).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(sizes[c as usize].0));
    let mut rank = vec![0u32; sizes.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c as usize] = r as u32;
    }
    membership.iter().map(|&c| rank[c as usize]).collect()
}
