//! Graph algorithms as plain functions over a compact graph ([`Csr`]) built
//! from the model's petgraph tie graph. They know nothing of organisations or
//! files: the analyses in [`crate::analysis`] give their results meaning.

pub mod betweenness;
pub mod blocks;
pub mod bridges;
pub mod brokerage;
pub mod components;
pub mod csr;
pub mod leiden;
pub mod modularity;
mod msbfs;

pub use csr::Csr;

/// Asks the processor to bring the cache line that holds `x` into its
/// caches and goes on without waiting: a hint, which changes no result. Used
/// where an algorithm visits nodes in a random order, so that the data of a
/// node a few places ahead is on its way while the current one is worked
/// on. A no-op on processors other than x86-64.
#[inline(always)]
pub(crate) fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch never faults, whatever the address (Intel SDM,
        // PREFETCHh), and the instruction is part of x86-64's baseline (SSE).
        unsafe { _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// The nodes grouped by label (a counting sort): `members[start[c]..start[c + 1]]`
/// are the nodes labelled `c`, in index order. Every label is below
/// `labels`; returns `(start, members)`, of lengths `labels + 1` and
/// `label.len()`.
pub(crate) fn members_by_label(label: &[u32], labels: usize) -> (Vec<usize>, Vec<u32>) {
    let mut start = vec![0usize; labels + 1];
    for &c in label {
        start[c as usize + 1] += 1;
    }
    for i in 0..labels {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut members = vec![0u32; label.len()];
    for (v, &c) in label.iter().enumerate() {
        members[fill[c as usize]] = v as u32;
        fill[c as usize] += 1;
    }
    (start, members)
}

/// For each node of `0..n`, the first node (in index order) with the same
/// key, or the node itself when `key` gives `None` or no earlier node has
/// its key. Used to find structurally equivalent nodes (Lorrain & White
/// 1971: the same neighbours), whose measures some algorithms compute once
/// per class. Keys are grouped by a randomly seeded hash (so that crafted
/// rows cannot make the table quadratic) and compared in full, so the result
/// does not depend on the hash. `O(n)` expected hash operations.
pub(crate) fn first_twins<K: std::hash::Hash + Eq>(
    n: usize,
    key: impl Fn(usize) -> Option<K>,
) -> Vec<u32> {
    let mut firsts: foldhash::HashMap<K, u32> = foldhash::HashMap::default();
    (0..n)
        .map(|u| match key(u) {
            Some(k) => *firsts.entry(k).or_insert(u as u32),
            None => u as u32,
        })
        .collect()
}
