//! Modularity of a partition of a weighted undirected graph.
//!
//! For a graph with total edge weight `m` (each undirected edge counted once),
//! weighted degrees (strengths) `k_i`, and a partition into communities, the
//! modularity with resolution `γ` is
//!
//! ```text
//! Q = 1/(2m) Σ_ij [ A_ij − γ k_i k_j / (2m) ] δ(c_i, c_j)
//!   = Σ_c [ L_c / m − γ (K_c / (2m))² ]
//! ```
//!
//! where `L_c` is the total weight of the edges inside community `c` and `K_c`
//! the sum of the strengths of its members. The second form is how the value
//! is computed and what [`modularity_contributions`] returns term by term; it
//! is the formula of NetworkX's `networkx.community.modularity(G, communities,
//! weight="weight", resolution=γ)` and gives the same value on the same graph.
//!
//! Reference: M. E. J. Newman, "Analysis of weighted networks", Phys. Rev. E
//! 70, 056131 (2004); R. Lambiotte, J.-C. Delvenne, M. Barahona, "Laplacian
//! dynamics and multiscale modular structure in networks" (2008) for `γ`.
//!
//! ```
//! use partnernet::algo::Csr;
//! use partnernet::algo::modularity::{modularity, modularity_contributions};
//! // Two triangles joined by one edge.
//! let edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)];
//! let csr = Csr::from_edges(6, edges.iter().map(|&(a, b)| (a, b, 1.0)));
//! let membership = [0, 0, 0, 1, 1, 1];
//! let q = modularity(&csr, &membership, 1.0);
//! // L_c = 3, m = 7, K_c = 7 for both halves: 2 * (3/7 - (7/14)^2).
//! assert!((q - 2.0 * (3.0 / 7.0 - 0.25)).abs() < 1e-12);
//! let parts = modularity_contributions(&csr, &membership, 1.0);
//! assert_eq!(parts.len(), 2);
//! assert!((parts.iter().sum::<f64>() - q).abs() < 1e-12);
//! ```

use super::Csr;

/// The modularity `Q` of `membership` (community id per node) on `csr` with
/// resolution `resolution` (`γ`, 1.0 for classic modularity).
///
/// Edge weights are used as given, as NetworkX does. Returns `0.0` when the
/// graph's total edge weight is zero (NetworkX raises `ZeroDivisionError`
/// there) and `NaN` when `membership.len()` differs from the node count.
pub fn modularity(csr: &Csr, membership: &[u32], resolution: f64) -> f64 {
    if membership.len() != csr.node_count() {
        return f64::NAN;
    }
    modularity_contributions(csr, membership, resolution)
        .iter()
        .sum()
}

/// Each community's term `L_c / m − γ (K_c / (2m))²` of the modularity, indexed
/// by community id (the vector has length `max id + 1`; ids that no node
/// carries get `0.0`). The terms sum to [`modularity`].
///
/// Returns all zeros when the total edge weight is zero and an empty vector
/// when `membership.len()` differs from the node count.
pub fn modularity_contributions(csr: &Csr, membership: &[u32], resolution: f64) -> Vec<f64> {
    let n = csr.node_count();
    if membership.len() != n {
        return Vec::new();
    }
    let communities = membership
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut internal = vec![0.0f64; communities];
    let mut strength = vec![0.0f64; communities];
    let mut total = 0.0f64;
    for v in 0..n {
        let cv = membership[v] as usize;
        for (&u, &w) in csr.neighbors(v).iter().zip(csr.weights(v)) {
            strength[cv] += w;
            total += w;
            // Each internal edge is seen from both ends; count it once.
            if membership[u as usize] as usize == cv && (u as usize) > v {
                internal[cv] += w;
            }
        }
    }
    let m = total / 2.0;
    if m == 0.0 {
        return vec![0.0; communities];
    }
    internal
        .iter()
        .zip(&strength)
        .map(|(&l, &k)| {
            let share = k / (2.0 * m);
            l / m - resolution * share * share
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn karate() -> Csr {
        let text = include_str!("../../tests/fixtures/karate.csv");
        let edges = text.lines().skip(1).map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
            )
        });
        Csr::from_edges(34, edges)
    }

    #[test]
    fn matches_networkx_on_karate() {
        let csr = karate();
        // Node v in community v % 3. NetworkX 3.6.1:
        // nx.community.modularity(G, parts, weight="weight") = -0.009615384615384623
        // and with resolution=0.5: 0.16185897435897437.
        let m: Vec<u32> = (0..34).map(|v| v % 3).collect();
        assert!((modularity(&csr, &m, 1.0) - -0.009615384615384623).abs() < 1e-12);
        assert!((modularity(&csr, &m, 0.5) - 0.16185897435897437).abs() < 1e-12);
        // The two clubs (nx.karate_club_graph() node attribute "club"),
        // unweighted: 0.3582347140039448.
        let officer = [
            9, 14, 15, 18, 20, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
        ];
        let clubs: Vec<u32> = (0..34).map(|v| officer.contains(&v) as u32).collect();
        assert!((modularity(&csr, &clubs, 1.0) - 0.3582347140039448).abs() < 1e-12);
        let parts = modularity_contributions(&csr, &clubs, 1.0);
        assert_eq!(parts.len(), 2);
        assert!((parts.iter().sum::<f64>() - 0.3582347140039448).abs() < 1e-12);
    }

    #[test]
    fn all_in_one_community_has_modularity_zero() {
        let csr = karate();
        assert!(modularity(&csr, &[7; 34], 1.0).abs() < 1e-12);
        let parts = modularity_contributions(&csr, &[2; 34], 1.0);
        assert_eq!(parts.len(), 3);
        assert_eq!(&parts[..2], &[0.0, 0.0]);
    }

    #[test]
    fn degenerate_inputs() {
        let empty = Csr::from_edges(0, []);
        assert_eq!(modularity(&empty, &[], 1.0), 0.0);
        assert!(modularity_contributions(&empty, &[], 1.0).is_empty());
        let no_weight = Csr::from_edges(3, [(0, 1, 0.0)]);
        assert_eq!(modularity(&no_weight, &[0, 0, 1], 1.0), 0.0);
        assert_eq!(
            modularity_contributions(&no_weight, &[0, 0, 1], 1.0),
            vec![0.0, 0.0]
        );
        assert!(modularity(&no_weight, &[0, 0], 1.0).is_nan());
        assert!(modularity_contributions(&no_weight, &[0], 1.0).is_empty());
    }
}
