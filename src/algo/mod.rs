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
