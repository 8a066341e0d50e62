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
//! per level it is on, for all eight lanes together (SSE2, part of every
//! x86-64 CPU), instead of once per source. Sources that are close to each
//! other (consecutive in a BFS numbering) put most nodes on one or two
//! levels only, so this reads the graph about four times less often than
//! eight separate searches, and touches each node's lanes in one go.
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

/// Scratch space for [`Lanes::accumulate`], reused across batches.
///
/// Invariant between batches: every `dist` lane is `UNSEEN`, every `val`
/// lane 0 and every `mark` `UNSEEN`.
pub(crate) struct Lanes {
    dist: Vec<[u16; LANES]>,
    val: Vec<[f64; LANES]>,
    /// The last level a node was put on, to put it there once.
    mark: Vec<u16>,
    /// The levels, one after the other; level `d` is
    /// `frontier[level_start[d]..level_start[d + 1]]`.
    frontier: Vec<u32>,
    level_start: Vec<usize>,
}

impl Lanes {
    /// Scratch space for `csr`, which must have at most [`MAX_NODES`] nodes.
    pub(crate) fn new(csr: &Csr) -> Lanes {
        let n = csr.node_count();
        assert!(n <= MAX_NODES, "too many nodes for u16 lanes");
        Lanes {
            dist: vec![[UNSEEN; LANES]; n],
            val: vec![[0.0; LANES]; n],
            mark: vec![UNSEEN; n],
            frontier: Vec::new(),
            level_start: Vec::new(),
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
        let Lanes {
            dist,
            val,
            mark,
            frontier,
            level_start,
        } = self;
        frontier.clear();
        level_start.clear();
        level_start.push(0);
        for (i, &s) in sources.iter().enumerate() {
            let s = s as usize;
            dist[s][i] = 0;
            val[s][i] = 1.0;
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
                simd::expand_level(csr, v, d, dist, val, mark, frontier);
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
                let sum = simd::successor_sums(csr, v, d, dist, val);
                let (dv, cv) = (&dist[v], &mut val[v]);
                let mut add = 0.0;
                for i in 0..LANES {
                    if dv[i] == d {
                        let sigma = cv[i];
                        let delta = sigma * sum[i];
                        if d > 0 {
                            add += weight.get(i).copied().unwrap_or(0.0) * delta;
                        }
                        cv[i] = (reach[v] + delta) / sigma;
                    }
                }
                acc[v] += add;
            }
        }
        for &v in frontier.iter() {
            let v = v as usize;
            dist[v] = [UNSEEN; LANES];
            val[v] = [0.0; LANES];
            mark[v] = UNSEEN;
        }
    }
}

/// The per-arc work, eight lanes at a time.
#[cfg(target_arch = "x86_64")]
mod simd {
    use super::{Csr, LANES, UNSEEN};
    use std::arch::x86_64::*;

    /// The 16-bit lane masks of `m` widened to four pairs of 64-bit masks.
    #[inline(always)]
    fn widen(m: __m128i) -> [__m128d; 4] {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        unsafe {
            let lo = _mm_unpacklo_epi16(m, m);
            let hi = _mm_unpackhi_epi16(m, m);
            [
                _mm_castsi128_pd(_mm_unpacklo_epi32(lo, lo)),
                _mm_castsi128_pd(_mm_unpackhi_epi32(lo, lo)),
                _mm_castsi128_pd(_mm_unpacklo_epi32(hi, hi)),
                _mm_castsi128_pd(_mm_unpackhi_epi32(hi, hi)),
            ]
        }
    }

    /// For the lanes in which `v` is at distance `d`: every unseen neighbour
    /// gets distance `d + 1` (and goes on level `d + 1`), and every
    /// neighbour at distance `d + 1` gets `σ(v)` added to its `σ`.
    #[inline(always)]
    pub(super) fn expand_level(
        csr: &Csr,
        v: usize,
        d: u16,
        dist: &mut [[u16; LANES]],
        val: &mut [[f64; LANES]],
        mark: &mut [u16],
        frontier: &mut Vec<u32>,
    ) {
        let d1 = d + 1;
        // SAFETY: SSE2 is part of the x86-64 baseline; every load and store
        // goes through a reference to a whole `[u16; 8]` or `[f64; 8]` row
        // (16 and 64 bytes), unaligned accesses.
        unsafe {
            let unseen = _mm_set1_epi16(UNSEEN as i16);
            let level = _mm_set1_epi16(d as i16);
            let next = _mm_set1_epi16(d1 as i16);
            let on = _mm_cmpeq_epi16(_mm_loadu_si128(dist[v].as_ptr() as *const __m128i), level);
            let on64 = widen(on);
            let sv = val[v].as_ptr();
            let add = [
                _mm_and_pd(_mm_loadu_pd(sv), on64[0]),
                _mm_and_pd(_mm_loadu_pd(sv.add(2)), on64[1]),
                _mm_and_pd(_mm_loadu_pd(sv.add(4)), on64[2]),
                _mm_and_pd(_mm_loadu_pd(sv.add(6)), on64[3]),
            ];
            for &w in csr.neighbors(v) {
                let w = w as usize;
                let dp = dist[w].as_mut_ptr() as *mut __m128i;
                let dw = _mm_loadu_si128(dp);
                let new = _mm_and_si128(on, _mm_cmpeq_epi16(dw, unseen));
                let dw = _mm_or_si128(_mm_andnot_si128(new, dw), _mm_and_si128(new, next));
                _mm_storeu_si128(dp, dw);
                let m = widen(_mm_cmpeq_epi16(dw, next));
                let wp = val[w].as_mut_ptr();
                for (j, (&a, &mj)) in add.iter().zip(&m).enumerate() {
                    let p = wp.add(2 * j);
                    _mm_storeu_pd(p, _mm_add_pd(_mm_loadu_pd(p), _mm_and_pd(a, mj)));
                }
                if _mm_movemask_epi8(new) != 0 && mark[w] != d1 {
                    mark[w] = d1;
                    frontier.push(w as u32);
                }
            }
        }
    }

    /// Per lane, the sum of `val[w]` over the neighbours `w` of `v` at
    /// distance `d + 1` in that lane.
    #[inline(always)]
    pub(super) fn successor_sums(
        csr: &Csr,
        v: usize,
        d: u16,
        dist: &[[u16; LANES]],
        val: &[[f64; LANES]],
    ) -> [f64; LANES] {
        let mut out = [0.0; LANES];
        // SAFETY: as in `expand_level`.
        unsafe {
            let next = _mm_set1_epi16((d + 1) as i16);
            let mut sum = [_mm_setzero_pd(); 4];
            for &w in csr.neighbors(v) {
                let w = w as usize;
                let m = widen(_mm_cmpeq_epi16(
                    _mm_loadu_si128(dist[w].as_ptr() as *const __m128i),
                    next,
                ));
                let cp = val[w].as_ptr();
                for (j, (s, &mj)) in sum.iter_mut().zip(&m).enumerate() {
                    *s = _mm_add_pd(*s, _mm_and_pd(_mm_loadu_pd(cp.add(2 * j)), mj));
                }
            }
            for (j, s) in sum.iter().enumerate() {
                _mm_storeu_pd(out.as_mut_ptr().add(2 * j), *s);
            }
        }
        out
    }
}

/// The per-arc work, lane by lane (the same arithmetic, in the same order).
#[cfg(not(target_arch = "x86_64"))]
mod simd {
    use super::{Csr, LANES, UNSEEN};

    pub(super) fn expand_level(
        csr: &Csr,
        v: usize,
        d: u16,
        dist: &mut [[u16; LANES]],
        val: &mut [[f64; LANES]],
        mark: &mut [u16],
        frontier: &mut Vec<u32>,
    ) {
        let d1 = d + 1;
        let (dv, sv) = (dist[v], val[v]);
        for &w in csr.neighbors(v) {
            let w = w as usize;
            let mut any = false;
            for i in 0..LANES {
                if dv[i] == d {
                    if dist[w][i] == UNSEEN {
                        dist[w][i] = d1;
                        any = true;
                    }
                    if dist[w][i] == d1 {
                        val[w][i] += sv[i];
                    }
                }
            }
            if any && mark[w] != d1 {
                mark[w] = d1;
                frontier.push(w as u32);
            }
        }
    }

    pub(super) fn successor_sums(
        csr: &Csr,
        v: usize,
        d: u16,
        dist: &[[u16; LANES]],
        val: &[[f64; LANES]],
    ) -> [f64; LANES] {
        let mut out = [0.0; LANES];
        for &w in csr.neighbors(v) {
            let w = w as usize;
            for i in 0..LANES {
                if dist[w][i] == d + 1 {
                    out[i] += val[w][i];
                }
            }
        }
        out
    }
}
