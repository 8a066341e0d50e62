//! Connected components.

use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use crate::algo::Csr;

/// The connected components of a graph: `membership[v]` is the component of
/// node `v`. Components are numbered by size, largest first, ties broken by
/// their smallest node, so the numbering does not depend on edge order.
/// Near-linear time, parallel, iterative (no recursion), so any size of
/// graph works.
///
/// ```
/// use partnernet::algo::{components::connected_components, Csr};
/// let g = Csr::from_edges(5, [(0, 1, 1.0), (3, 4, 1.0), (1, 2, 1.0)]);
/// assert_eq!(connected_components(&g), vec![0, 0, 0, 1, 1]);
/// ```
pub fn connected_components(graph: &Csr) -> Vec<u32> {
    let n = graph.node_count();
    // A concurrent union–find (union by index, path halving): each node
    // points to a smaller node of its component, so a root is its
    // component's smallest node, whatever order the unions ran in. The
    // partition is unique, so the result does not depend on the threads.
    let parent: Vec<AtomicU32> = (0..n as u32).map(AtomicU32::new).collect();
    (0..n).into_par_iter().with_min_len(4096).for_each(|v| {
        for &w in graph.neighbors(v) {
            if w as usize > v {
                union(&parent, v as u32, w);
            }
        }
    });
    // Each node's root, written over its parent (a root is an ancestor, so
    // the finds running beside it stay right), then the atomics taken back
    // as plain numbers in the same memory: two arrays of `n` in all, so
    // that a large graph's run touches little fresh memory.
    (0..n).into_par_iter().with_min_len(4096).for_each(|v| {
        let r = find(&parent, v as u32);
        parent[v].store(r, Ordering::Release);
    });
    let mut root: Vec<u32> = parent.into_iter().map(AtomicU32::into_inner).collect();
    let mut size = vec![0u32; n];
    for &r in &root {
        size[r as usize] += 1;
    }
    // Largest first; among equals, the one with the smaller smallest node.
    let mut roots: Vec<u32> = (0..n as u32).filter(|&v| root[v as usize] == v).collect();
    roots.sort_by_key(|&r| (std::cmp::Reverse(size[r as usize]), r));
    // A root's size is no longer needed once sorted: its place takes its
    // component's number.
    let rank = &mut size;
    for (k, &r) in roots.iter().enumerate() {
        rank[r as usize] = k as u32;
    }
    root.par_iter_mut()
        .with_min_len(4096)
        .for_each(|r| *r = rank[*r as usize]);
    root
}

/// The root of `x`'s tree, halving the path on the way.
fn find(parent: &[AtomicU32], mut x: u32) -> u32 {
    loop {
        let p = parent[x as usize].load(Ordering::Acquire);
        if p == x {
            return x;
        }
        let grandparent = parent[p as usize].load(Ordering::Acquire);
        if grandparent != p {
            // Another thread may have moved x already; either way x still
            // points to a node of its component no larger than itself.
            let _ = parent[x as usize].compare_exchange(
                p,
                grandparent,
                Ordering::AcqRel,
                Ordering::Acquire,
            );
        }
        x = grandparent;
    }
}

/// Joins the trees of `a` and `b`: the larger root is hung under the
/// smaller, retried when another thread changed it first.
fn union(parent: &[AtomicU32], a: u32, b: u32) {
    loop {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra == rb {
            return;
        }
        let (high, low) = if ra > rb { (ra, rb) } else { (rb, ra) };
        if parent[high as usize]
            .compare_exchange(high, low, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Components by a plain depth-first search, numbered the same way.
    fn by_search(graph: &Csr) -> Vec<u32> {
        let n = graph.node_count();
        let mut found = vec![u32::MAX; n];
        let mut sizes = Vec::new();
        for start in 0..n {
            if found[start] != u32::MAX {
                continue;
            }
            let c = sizes.len() as u32;
            let (mut stack, mut size) = (vec![start as u32], 0usize);
            found[start] = c;
            while let Some(v) = stack.pop() {
                size += 1;
                for &w in graph.neighbors(v as usize) {
                    if found[w as usize] == u32::MAX {
                        found[w as usize] = c;
                        stack.push(w);
                    }
                }
            }
            sizes.push(size);
        }
        let mut order: Vec<usize> = (0..sizes.len()).collect();
        order.sort_by_key(|&c| std::cmp::Reverse(sizes[c]));
        let mut rank = vec![0u32; sizes.len()];
        for (r, &c) in order.iter().enumerate() {
            rank[c] = r as u32;
        }
        found.iter().map(|&c| rank[c as usize]).collect()
    }

    #[test]
    fn the_same_numbering_as_a_search_on_random_graphs() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for round in 0..40 {
            let n = rng.gen_range(1..20_000);
            let m = rng.gen_range(0..n * 2) / (1 + round % 4);
            let edges: Vec<(u32, u32, f64)> = (0..m)
                .map(|_| (rng.gen_range(0..n) as u32, rng.gen_range(0..n) as u32, 1.0))
                .collect();
            let g = Csr::from_edges(n, edges);
            assert_eq!(connected_components(&g), by_search(&g), "round {round}");
        }
    }

    #[test]
    fn a_long_path_is_one_component() {
        let g = Csr::from_edges(200_000, (0..199_999u32).map(|i| (i, i + 1, 1.0)));
        assert!(connected_components(&g).iter().all(|&c| c == 0));
        assert!(connected_components(&Csr::from_edges(0, [])).is_empty());
    }
}
