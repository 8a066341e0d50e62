//! Brandes' dependency accumulation for eight sources at once, by a
//! level-synchronous multi-source BFS (after Then, Kaufmann, Chirigati,
//! Hoang-Vu, Pham, Kemper, Neumann, Vo 2014, "The more the merrier:
//! efficient multi-source graph traversal", PVLDB 8(4)).
//!
//! Every node holds one lane per source: its distance (`u16`) and one `f64`
//! that is first `σ_s(v)`, the number of shortest paths from the lane's
//! source, and then, once the back-propagation has passed `v`,
//! `(r(v) + δ_s(v)) / σ_s(v)`. Level `d` is the list of nodes that are at
//! distance `d` from at least one source; a node's adjacency is read once
//! per level it is on, for all eight lanes together, instead of once per
//! source. Sources that are close to each other (consecutive in a BFS
//! numbering) put most nodes on one or two levels only, so this reads the
//! graph about four times less often than eight separate searches, and
//! touches each node's lanes in one go: a node's eight `f64` lanes fill one
//! 64-byte cache line.
//!
//! The per-arc work runs on AVX-512 (one 512-bit register holds a node's
//! eight lanes, one 16-bit mask register says which lanes an arc updates)
//! when the processor has it, detected at run time, and on SSE2, part of
//! every x86-64 processor, otherwise. Both do the same IEEE operations in the
//! same order on every lane (adding +0.0 where a lane is masked out leaves it
//! unchanged), so they give the same bits.
//!
//! The arithmetic of each lane is Brandes' (2001) with weighted targets,
//! as in the single-source search of [`super::betweenness`]; the sums may
//! differ from it only in rounding (the order of additions), and are the
//! same from run to run and on any number of threads.

use super::Csr;

/// Number of sources searched together.
pub(crate) const LANES: usize = 8;

/// Largest graph the lanes can take: distances and levels are `u16`, with
/// `u16::MAX` for "not reached".
pub(crate) const MAX_NODES: usize = u16::MAX as usize - 1;

const UNSEEN: u16 = u16::MAX;

/// A node's eight `f64` lanes, on one cache line.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Row([f64; LANES]);

/// Scratch space for [`Lanes::accumulate`], reused across batches.
///
/// Invariant between batches: every `dist` lane is `UNSEEN`, every `val`
/// lane 0 and every `mark` `UNSEEN`.
pub(crate) struct Lanes {
    dist: Vec<[u16; LANES]>,
    val: Vec<Row>,
    /// The last level a node was put on, to put it there once.
    mark: Vec<u16>,
    /// The levels, one after the other; level `d` is
    /// `frontier[level_start[d]..level_start[d + 1]]`.
    frontier: Vec<u32>,
    level_start: Vec<usize>,
    /// Whether the processor has AVX-512 (F, BW and VL).
    avx512: bool,
}

impl Lanes {
    /// Scratch space for `csr`, which must have at most [`MAX_NODES`] nodes.
    pub(crate) fn new(csr: &Csr) -> Lanes {
        let n = csr.node_count();
        assert!(n <= MAX_NODES, "too many nodes for u16 lanes");
        Lanes {
            dist: vec![[UNSEEN; LANES]; n],
            val: vec![Row([0.0; LANES]); n],
            mark: vec![UNSEEN; n],
            frontier: Vec::new(),
            level_start: Vec::new(),
            avx512: has_avx512(),
        }
    }

    /// For the distinct sources `sources` (at most [`LANES`]) with weights
    /// `weight`, adds `Σ_i weight[i] · δ_{sources[i]}(v)` to `acc[v]` for
    /// every node `v`, where `δ_s(v) = Σ_{w : v ∈ P_s(w)} σ_s(v)/σ_s(w) · (reach[w] + δ_s(w))`
    /// and `δ_s(s)` counts 0. For each `v`, the lanes are added in lane order,
    /// level by level from the farthest, so the result depends only on the
    /// inputs.
    pub(crate) fn accumulate(
        &mut self,
        csr: &Csr,
        sources: &[u32],
        weight: &[f64],
        reach: &[f64],
        acc: &mut [f64],
    ) {
        debug_assert!(sources.len() <= LANES && sources.len() == weight.len());
        let mut w = [0.0; LANES];
        w[..weight.len()].copy_from_slice(weight);
        #[cfg(target_arch = "x86_64")]
        if self.avx512 {
            // SAFETY: `avx512` is true only when the processor has the
            // features `accumulate_avx512` is compiled for.
            unsafe { accumulate_avx512(self, csr, sources, &w, reach, acc) };
            return;
        }
        accumulate_base(self, csr, sources, &w, reach, acc);
    }
}

#[cfg(target_arch = "x86_64")]
fn has_avx512() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512bw")
        && std::arch::is_x86_feature_detected!("avx512vl")
}

#[cfg(not(target_arch = "x86_64"))]
fn has_avx512() -> bool {
    false
}

/// The body of [`Lanes::accumulate`] with the per-arc and per-node work of
/// the kernel module `$k`, as a function `$name` with attributes `$attr`.
macro_rules! accumulate_with {
    ($name:ident, $k:ident, $(#[$attr:meta])*) => {
        $(#[$attr])*
        fn $name(
            lanes: &mut Lanes,
            csr: &Csr,
            sources: &[u32],
            weight: &[f64; LANES],
            reach: &[f64],
            acc: &mut [f64],
        ) {
            let Lanes {
                dist,
                val,
                mark,
                frontier,
                level_start,
                ..
            } = lanes;
            frontier.clear();
            level_start.clear();
            level_start.push(0);
            for (i, &s) in sources.iter().enumerate() {
                let s = s as usize;
                dist[s][i] = 0;
                val[s].0[i] = 1.0;
                if mark[s] != 0 {
                    mark[s] = 0;
                    frontier.push(s as u32);
                }
            }
            level_start.push(frontier.len());
            // Forward: level d + 1 from level d, with path counts.
            let mut d = 0u16;
            loop {
                let (a, b) = (level_start[d as usize], level_start[d as usize + 1]);
                if a == b {
                    break;
                }
                for k in a..b {
                    let v = frontier[k] as usize;
                    // SAFETY: as `$name` (the kernels need its features).
                    #[allow(unused_unsafe)]
                    unsafe { $k::expand_level(csr, v, d, dist, val, mark, frontier) };
                }
                level_start.push(frontier.len());
                d += 1;
            }
            // Backward, from the farthest level: each node's successors in a
            // lane are one level further in that lane, hence finished.
            let levels = level_start.len() - 1;
            for d in (0..levels).rev() {
                let d = d as u16;
                for &v in &frontier[level_start[d as usize]..level_start[d as usize + 1]] {
                    let v = v as usize;
                    #[allow(unused_unsafe)]
                    let add = unsafe { $k::finish_node(csr, v, d, dist, val, weight, reach[v]) };
                    acc[v] += add;
                }
            }
            for &v in frontier.iter() {
                let v = v as usize;
                dist[v] = [UNSEEN; LANES];
                val[v] = Row([0.0; LANES]);
                mark[v] = UNSEEN;
            }
        }
    };
}

accumulate_with!(accumulate_base, base,);
#[cfg(target_arch = "x86_64")]
accumulate_with!(
    accumulate_avx512,
    avx512,
    #[target_feature(enable = "avx512f,avx512bw,avx512vl")]
);

/// The per-node scalar tail of the back-propagation, shared by the kernels:
/// for each lane `i` where `v` is on level `d`, with `sum[i]` the sum of the
/// successors' values, `δ = σ · sum`; returns `Σ_i weight[i] · δ_i` (lanes
/// in order, +0.0 for the others and on level 0) and turns `σ` into
/// `(reach + δ) / σ`.
#[inline(always)]
fn finish_lanes(
    on: [bool; LANES],
    d: u16,
    sum: &[f64; LANES],
    row: &mut Row,
    weight: &[f64; LANES],
    reach: f64,
) -> f64 {
    let mut add = 0.0;
    for i in 0..LANES {
        if on[i] {
            let sigma = row.0[i];
            let delta = sigma * sum[i];
            if d > 0 {
                add += weight[i] * delta;
            }
            row.0[i] = (reach + delta) / sigma;
        }
    }
    add
}

/// The per-arc work, lane by lane on SSE2 (x86-64) or in plain Rust.
mod base {
    use super::{finish_lanes, Csr, Row, LANES, UNSEEN};

    /// For the lanes in which `v` is at distance `d`: every unseen neighbour
    /// gets distance `d + 1` (and goes on level `d + 1`), and every
    /// neighbour at distance `d + 1` gets `σ(v)` added to its `σ`.
    #[inline(always)]
    pub(super) fn expand_level(
        csr: &Csr,
        v: usize,
        d: u16,
        dist: &mut [[u16; LANES]],
        val: &mut [Row],
        mark: &mut [u16],
        frontier: &mut Vec<u32>,
    ) {
        let d1 = d + 1;
        let dv = dist[v];
        let mut add = [0.0; LANES];
        for i in 0..LANES {
            if dv[i] == d {
                add[i] = val[v].0[i];
            }
        }
        for &w in csr.neighbors(v) {
            let w = w as usize;
            let (dw, vw) = (&mut dist[w], &mut val[w].0);
            let mut any = false;
            for i in 0..LANES {
                let new = dv[i] == d && dw[i] == UNSEEN;
                any |= new;
                if new {
                    dw[i] = d1;
                }
                if dw[i] == d1 {
                    vw[i] += add[i];
                }
            }
            if any && mark[w] != d1 {
                mark[w] = d1;
                frontier.push(w as u32);
            }
        }
    }

    /// The back-propagation at `v` on level `d`: see [`finish_lanes`].
    #[inline(always)]
    pub(super) fn finish_node(
        csr: &Csr,
        v: usize,
        d: u16,
        dist: &[[u16; LANES]],
        val: &mut [Row],
        weight: &[f64; LANES],
        reach: f64,
    ) -> f64 {
        let mut sum = [0.0; LANES];
        for &w in csr.neighbors(v) {
            let w = w as usize;
            for i in 0..LANES {
                if dist[w][i] == d + 1 {
                    sum[i] += val[w].0[i];
                }
            }
        }
        let on = dist[v].map(|x| x == d);
        finish_lanes(on, d, &sum, &mut val[v], weight, reach)
    }
}

/// The per-arc work with one AVX-512 register for a node's eight lanes.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::{Csr, Row, LANES, UNSEEN};
    use std::arch::x86_64::*;

    /// As [`super::base::expand_level`].
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512vl")]
    pub(super) fn expand_level(
        csr: &Csr,
        v: usize,
        d: u16,
        dist: &mut [[u16; LANES]],
        val: &mut [Row],
        mark: &mut [u16],
        frontier: &mut Vec<u32>,
    ) {
        let d1 = d + 1;
        let unseen = _mm_set1_epi16(UNSEEN as i16);
        let next = _mm_set1_epi16(d1 as i16);
        // SAFETY: every load and store goes through a reference to a whole
        // `[u16; 8]` (16 bytes, unaligned access) or `Row` (64 bytes,
        // aligned to 64).
        unsafe {
            let on = _mm_cmpeq_epi16_mask(
                _mm_loadu_si128(dist[v].as_ptr() as *const __m128i),
                _mm_set1_epi16(d as i16),
            );
            let sv = _mm512_load_pd(val[v].0.as_ptr());
            for &w in csr.neighbors(v) {
                let w = w as usize;
                let dp = dist[w].as_mut_ptr() as *mut __m128i;
                let dw = _mm_loadu_si128(dp);
                let new = on & _mm_cmpeq_epi16_mask(dw, unseen);
                let dw = _mm_mask_mov_epi16(dw, new, next);
                _mm_storeu_si128(dp, dw);
                let m = on & _mm_cmpeq_epi16_mask(dw, next);
                let wp = val[w].0.as_mut_ptr();
                _mm512_store_pd(
                    wp,
                    _mm512_mask_add_pd(_mm512_load_pd(wp), m, _mm512_load_pd(wp), sv),
                );
                if new != 0 && mark[w] != d1 {
                    mark[w] = d1;
                    frontier.push(w as u32);
                }
            }
        }
    }

    /// As [`super::base::finish_node`].
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512vl")]
    pub(super) fn finish_node(
        csr: &Csr,
        v: usize,
        d: u16,
        dist: &[[u16; LANES]],
        val: &mut [Row],
        weight: &[f64; LANES],
        reach: f64,
    ) -> f64 {
        let next = _mm_set1_epi16((d + 1) as i16);
        let mut out = [0.0; LANES];
        // SAFETY: as in `expand_level`.
        unsafe {
            let mut sum = _mm512_setzero_pd();
            for &w in csr.neighbors(v) {
                let w = w as usize;
                let m =
                    _mm_cmpeq_epi16_mask(_mm_loadu_si128(dist[w].as_ptr() as *const __m128i), next);
                sum = _mm512_mask_add_pd(sum, m, sum, _mm512_load_pd(val[w].0.as_ptr()));
            }
            // The tail of `finish_lanes`, on all lanes at once.
            let on = _mm_cmpeq_epi16_mask(
                _mm_loadu_si128(dist[v].as_ptr() as *const __m128i),
                _mm_set1_epi16(d as i16),
            );
            let rp = val[v].0.as_mut_ptr();
            let sigma = _mm512_load_pd(rp);
            let delta = _mm512_mul_pd(sigma, sum);
            let coef = _mm512_div_pd(_mm512_add_pd(_mm512_set1_pd(reach), delta), sigma);
            _mm512_store_pd(rp, _mm512_mask_mov_pd(sigma, on, coef));
            if d == 0 {
                return 0.0;
            }
            let w = _mm512_loadu_pd(weight.as_ptr());
            _mm512_storeu_pd(out.as_mut_ptr(), _mm512_maskz_mul_pd(on, w, delta));
        }
        // In lane order, as `finish_lanes` (+0.0 for the lanes not on `d`).
        out.iter().fold(0.0, |add, &x| add + x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sums of every batch of eight consecutive sources.
    fn sums(csr: &Csr, reach: &[f64], avx512: bool) -> Vec<u64> {
        let n = csr.node_count();
        let mut lanes = Lanes::new(csr);
        lanes.avx512 = avx512;
        let mut acc = vec![0.0; n];
        let sources: Vec<u32> = (0..n as u32).collect();
        for batch in sources.chunks(LANES) {
            let weight: Vec<f64> = batch.iter().map(|&s| reach[s as usize]).collect();
            lanes.accumulate(csr, batch, &weight, reach, &mut acc);
        }
        acc.into_iter().map(f64::to_bits).collect()
    }

    #[test]
    fn kernels_give_the_same_bits() {
        // Many equal-length paths, weighted targets, a partial last batch.
        let n = 203u32;
        let edges: Vec<(u32, u32, f64)> = (0..n)
            .flat_map(|i| [(i, (i + 1) % n, 1.0), (i, (i * 11 + 5) % n, 1.0)])
            .filter(|e| e.0 != e.1)
            .collect();
        let csr = Csr::from_edges(n as usize, edges);
        let reach: Vec<f64> = (0..n).map(|i| 1.0 + (i % 5) as f64).collect();
        let base = sums(&csr, &reach, false);
        assert!(base.iter().any(|&b| f64::from_bits(b) > 0.0));
        if has_avx512() {
            assert_eq!(base, sums(&csr, &reach, true));
        }
    }
}
