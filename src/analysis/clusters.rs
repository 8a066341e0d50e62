//! Clusters: groups of organisations that work more with each other than with
//! the rest, found by the Leiden algorithm ([`crate::algo::leiden`]) on the
//! weighted tie graph.
//!
//! Organisations in small components (at most `[analysis] small_component`
//! organisations, isolated ones included) are not clustered: they are listed
//! as such, not forced into a cluster. Clusters are numbered by size, 0 the
//! largest, and labelled by their dominant region and their most central
//! members (by the weight of their ties inside the cluster), such as
//! `Northern Europe: Wikimedia Example, Example Museum`.
//!
//! The partition shown is the best one found: the Leiden algorithm is run
//! `runs` times with seeds `seed`, `seed + 1`, …, and the run whose partition
//! scores highest on the objective (modularity, or the Constant Potts Model,
//! at the configured resolution) is kept; equal scores go to the lowest seed,
//! so the same data and seed always give the same clusters. An
//! organisation's confidence is the share of the runs in which it shares a
//! cluster with the majority of its cluster in the partition shown.
//!
//! A placement whose confidence is below [`SHAKY_CONFIDENCE`] is shaky; when
//! at least [`SHAKY_SHARE`] of the clustered organisations are, the clusters
//! as a whole are shaky ([`Clustering::shaky`]).
//!
//! Labels: the region is the one most members with a region are in (members
//! without one do not vote; `(no region)` only when no member has a region);
//! when no region dominates (more than half of them, or half and ahead of
//! every other) but one continent (UN M49 region: Africa, Americas, Asia,
//! Europe, Oceania) holds more than half, the continent. The
//! members named are the most central ones whose placement is not shaky
//! (shaky ones only when there are not enough others); organisations of kind
//! `unknown` (names that match no organisation) are never named.

use std::collections::BTreeMap;

use crate::algo::leiden::{
    agreement, Agreement, AgreementScratch, Leiden, LeidenParams, Objective,
};
use crate::algo::modularity::{modularity, modularity_contributions};
use crate::algo::Csr;
use crate::analysis::components::Components;
use crate::config::ClusterObjective;
use crate::model::{Model, OrgKind, NO_REGION};

/// A placement with a confidence below this is shaky: the organisation
/// changed cluster in more than 30 % of the runs.
pub const SHAKY_CONFIDENCE: f64 = 0.7;

/// When at least this share of the clustered organisations have shaky
/// placements, the clusters as a whole are shaky and the summary says so.
pub const SHAKY_SHARE: f64 = 0.1;
use rayon::prelude::*;

/// One cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// 0 for the largest.
    pub id: u32,
    /// The dominant region and the most central members.
    pub label: String,
    /// The region most members are in.
    pub region: String,
    /// The members, most central first.
    pub members: Vec<u32>,
    pub affiliates: usize,
    pub institutions: usize,
    /// Members per region, most first.
    pub regions: Vec<(String, usize)>,
    /// The share of possible ties among members that exist.
    pub density: f64,
    /// The weight of ties between members.
    pub internal_weight: f64,
    /// The weight of ties from members to organisations outside.
    pub external_weight: f64,
    /// The cluster's term of the overall modularity (they add up to it,
    /// with the terms of the small components).
    pub modularity: f64,
}

/// The clusters of the tie graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// Each organisation's cluster; `None` for organisations in small
    /// components.
    pub cluster: Vec<Option<u32>>,
    /// Each organisation's confidence in [0, 1]; NaN where not clustered.
    pub confidence: Vec<f64>,
    pub clusters: Vec<Cluster>,
    /// The Newman–Girvan modularity (resolution 1) of the partition, small
    /// components counted as their own groups.
    pub modularity: f64,
    pub objective: ClusterObjective,
    pub resolution: f64,
    pub runs: usize,
    /// The seed of the run whose partition is shown.
    pub seed: u64,
    /// The modularity (resolution 1) of the run with the configured seed,
    /// for comparison with [`Clustering::modularity`].
    pub first_run_modularity: f64,
    /// The clustered organisations whose placement is shaky (confidence
    /// below [`SHAKY_CONFIDENCE`]), least sure first, then by name.
    pub shaky_members: Vec<u32>,
    /// Whether at least [`SHAKY_SHARE`] of the clustered organisations have
    /// shaky placements.
    pub shaky: bool,
}

/// The Leiden parameters the settings give.
fn leiden_params(model: &Model) -> LeidenParams {
    let settings = &model.config().clusters;
    LeidenParams {
        objective: match settings.objective {
            ClusterObjective::Modularity => Objective::Modularity,
            ClusterObjective::Cpm => Objective::Cpm,
        },
        resolution: settings.resolution,
        seed: model.config().analysis.seed,
        max_iterations: settings.max_iterations_for(model.orgs().len()),
        ..LeidenParams::default()
    }
}

/// The partition of the tie graph the Leiden algorithm finds with the
/// configured seed, and the runs with the other seeds ready to start.
pub struct Partition {
    /// `membership[v]` is organisation `v`'s community (small components
    /// included). [`clusters`] turns it into clusters.
    pub membership: Vec<u32>,
    /// The Leiden algorithm ready to run with the other seeds: the
    /// confidence runs start from what they share with this one.
    prepared: Leiden,
}

/// Finds the partition of the tie graph with the configured seed.
pub fn partition(model: &Model) -> Partition {
    let params = leiden_params(model);
    let prepared = Leiden::new(&model.ties.csr, &params);
    Partition {
        membership: prepared.run(params.seed),
        prepared,
    }
}

/// The partition shown: the best of the runs, and each organisation's
/// confidence in its place in it.
#[derive(Debug, Clone, PartialEq)]
pub struct BestPartition {
    /// Community id per organisation, as [`Partition::membership`].
    pub membership: Vec<u32>,
    /// Per organisation, the share of the runs in which it shares a
    /// community with the majority of its community in `membership`.
    pub confidence: Vec<f64>,
    /// The seed of the run kept.
    pub seed: u64,
    /// The modularity (resolution 1) of the run with the configured seed.
    pub first_run_modularity: f64,
}

impl BestPartition {
    /// Numbered, labelled clusters of the partition kept (see [`clusters`]).
    pub fn clusters(&self, model: &Model, components: &Components) -> Clustering {
        let mut c = clusters(model, components, &self.membership, &self.confidence);
        c.seed = self.seed;
        c.first_run_modularity = self.first_run_modularity;
        c
    }
}

/// The objective's score of a partition, at the configured resolution:
/// modularity (Newman–Girvan with resolution γ) or the Constant Potts Model
/// `Σ_c [e_c − γ n_c (n_c − 1) / 2]`, as the Leiden algorithm maximises it.
fn quality(csr: &Csr, membership: &[u32], params: &LeidenParams) -> f64 {
    match params.objective {
        Objective::Modularity => modularity(csr, membership, params.resolution),
        Objective::Cpm => {
            let k = membership
                .iter()
                .map(|&c| c as usize + 1)
                .max()
                .unwrap_or(0);
            let mut size = vec![0f64; k];
            for &c in membership {
                size[c as usize] += 1.0;
            }
            let mut inside = 0.0;
            for v in 0..membership.len() {
                for (&w, &wt) in csr.neighbors(v).iter().zip(csr.weights(v)) {
                    if (w as usize) > v && membership[w as usize] == membership[v] {
                        inside += wt;
                    }
                }
            }
            inside - params.resolution * size.iter().map(|n| n * (n - 1.0) / 2.0).sum::<f64>()
        }
    }
}

/// Runs the clustering with the other `[clusters] runs − 1` seeds, keeps
/// the best-scoring partition of all the runs (`partition` included; equal
/// scores go to the lowest seed) and measures each organisation's confidence
/// in its place in it.
///
/// The runs' partitions are kept together while they take at most
/// [`KEPT_PARTITIONS_BYTES`]; beyond (many runs on a large network), each
/// run is made twice, once to score it and once to compare it with the best,
/// so that only a few are held at a time. Both ways give the same result.
pub fn placement_confidence(model: &Model, partition: &Partition) -> BestPartition {
    let runs = model.config().clusters.runs_for(model.orgs().len()).max(1);
    let bytes = runs
        .saturating_mul(model.orgs().len())
        .saturating_mul(std::mem::size_of::<u32>());
    confidence_of_runs(model, partition, runs, bytes <= KEPT_PARTITIONS_BYTES)
}

/// The most memory, in bytes, the confidence runs' partitions are kept in
/// together (64 MiB: 4 bytes an organisation and run, so 10 runs of
/// 1,500,000 organisations, or 100 of 160,000).
pub const KEPT_PARTITIONS_BYTES: usize = 64 << 20;

/// [`placement_confidence`] with `runs` runs, their partitions kept
/// together or each made twice.
fn confidence_of_runs(
    model: &Model,
    partition: &Partition,
    runs: usize,
    keep: bool,
) -> BestPartition {
    let params = leiden_params(model);
    let csr = &model.ties.csr;
    let seed_of = |r: usize| params.seed.wrapping_add(r as u64);
    // Run 0 is the partition already made, with the configured seed.
    let run = |r: usize| match r {
        0 => partition.membership.clone(),
        r => partition.prepared.run(seed_of(r)),
    };
    let (best, membership, confidence) = if keep {
        let mut all = partition.prepared.runs(params.seed, runs);
        all.insert(0, partition.membership.clone());
        let scores: Vec<f64> = all.par_iter().map(|p| quality(csr, p, &params)).collect();
        let best = best_score(&scores);
        let confidence = agreement(&all[best], &all);
        (best, all.swap_remove(best), confidence)
    } else {
        let scores: Vec<f64> = (0..runs)
            .into_par_iter()
            .map(|r| quality(csr, &run(r), &params))
            .collect();
        let best = best_score(&scores);
        let membership = run(best);
        let against = Agreement::new(&membership);
        let mut hits = vec![0u32; membership.len()];
        let mut scratch = AgreementScratch::default();
        // As many runs at a time as there are threads. Counts add up, so the
        // result does not depend on how many that is.
        let at_once = rayon::current_num_threads().max(1);
        for first in (0..runs).step_by(at_once) {
            let made: Vec<Vec<u32>> = (first..(first + at_once).min(runs))
                .into_par_iter()
                .map(run)
                .collect();
            for p in &made {
                against.count(p, &mut hits, &mut scratch);
            }
        }
        (best, membership, Agreement::shares(&hits, runs))
    };
    BestPartition {
        membership,
        confidence,
        seed: seed_of(best),
        first_run_modularity: modularity(csr, &partition.membership, 1.0),
    }
}

/// The run with the best score; a later run must be better by more than
/// rounding (a relative 1e-12), so equal scores keep the lower seed.
fn best_score(scores: &[f64]) -> usize {
    let mut best = 0;
    for (i, q) in scores.iter().enumerate() {
        if *q > scores[best] + 1e-12 * scores[best].abs().max(1.0) {
            best = i;
        }
    }
    best
}

/// The UN M49 region (continent) of a UN M49 sub-region.
fn continent(subregion: &str) -> Option<&'static str> {
    Some(match subregion {
        "Eastern Africa" | "Middle Africa" | "Northern Africa" | "Southern Africa"
        | "Western Africa" | "Sub-Saharan Africa" => "Africa",
        "Caribbean"
        | "Central America"
        | "South America"
        | "Northern America"
        | "Latin America and the Caribbean" => "Americas",
        "Central Asia" | "Eastern Asia" | "South-eastern Asia" | "Southern Asia"
        | "Western Asia" => "Asia",
        "Eastern Europe" | "Northern Europe" | "Southern Europe" | "Western Europe" => "Europe",
        "Australia and New Zealand" | "Melanesia" | "Micronesia" | "Polynesia" => "Oceania",
        _ => return None,
    })
}

/// A cluster's region from its members' regions (those without one left
/// out), most first: the first if it holds more than half (or half, ahead of
/// every other), else a continent holding more than half, else the first;
/// `(no region)` when there are none.
fn label_region(regions: &[(String, usize)]) -> String {
    let known: Vec<&(String, usize)> = regions.iter().filter(|r| r.0 != NO_REGION).collect();
    let total: usize = known.iter().map(|r| r.1).sum();
    let Some(first) = known.first() else {
        return NO_REGION.to_string();
    };
    // It dominates with more than half, or with half and ahead of the rest.
    let second = known.get(1).map(|r| r.1).unwrap_or(0);
    if 2 * first.1 > total || (2 * first.1 == total && first.1 > second) {
        return first.0.clone();
    }
    let mut by_continent: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &known {
        if let Some(c) = continent(&r.0) {
            *by_continent.entry(c).or_default() += r.1;
        }
    }
    match by_continent
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
    {
        Some((c, n)) if 2 * n > total => c.to_string(),
        _ => first.0.clone(),
    }
}

/// Turns a partition into numbered, labelled clusters.
pub fn clusters(
    model: &Model,
    components: &Components,
    partition: &[u32],
    confidence: &[f64],
) -> Clustering {
    let settings = &model.config().clusters;
    let csr = &model.ties.csr;
    let orgs = model.orgs();
    let runs = settings.runs_for(orgs.len()).max(1);
    // Modularity is reported at resolution 1 (Newman–Girvan), whatever the
    // objective, so it can be compared with other tools and other runs.
    // (`modularity` is the sum of these terms, in this order.)
    let contributions = modularity_contributions(csr, partition, 1.0);
    let overall: f64 = contributions.iter().sum();

    // Communities of large components become clusters, numbered by size.
    let small = model.config().analysis.small_component;
    let communities = partition.iter().map(|c| *c as usize + 1).max().unwrap_or(0);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); communities];
    for (v, c) in partition.iter().enumerate() {
        if components.sizes[components.membership[v] as usize] > small {
            members[*c as usize].push(v as u32);
        }
    }
    let mut order: Vec<usize> = (0..communities)
        .filter(|c| !members[*c].is_empty())
        .collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(members[c].len()), members[c][0]));
    let mut cluster = vec![None; orgs.len()];
    for (id, &c) in order.iter().enumerate() {
        for &v in &members[c] {
            cluster[v as usize] = Some(id as u32);
        }
    }

    // Internal strength of each organisation, and the cluster weights.
    let mut internal_strength = vec![0.0f64; orgs.len()];
    let mut internal = vec![0.0f64; order.len()];
    let mut external = vec![0.0f64; order.len()];
    let mut internal_edges = vec![0usize; order.len()];
    for v in 0..orgs.len() {
        let Some(cv) = cluster[v] else { continue };
        for (&w, &weight) in csr.neighbors(v).iter().zip(csr.weights(v)) {
            if cluster[w as usize] == Some(cv) {
                internal_strength[v] += weight;
                if (w as usize) > v {
                    internal[cv as usize] += weight;
                    internal_edges[cv as usize] += 1;
                }
            } else {
                external[cv as usize] += weight;
            }
        }
    }

    // Each cluster is described on its own, in parallel; `collect` keeps
    // them in order.
    let clusters = order
        .par_iter()
        .enumerate()
        .map(|(id, &c)| {
            let mut list = members[c].clone();
            list.sort_unstable_by(|&a, &b| {
                internal_strength[b as usize]
                    .total_cmp(&internal_strength[a as usize])
                    .then_with(|| orgs[a as usize].name.cmp(&orgs[b as usize].name))
                    .then(a.cmp(&b))
            });
            let mut by_region: BTreeMap<&str, usize> = BTreeMap::new();
            for &v in &list {
                *by_region
                    .entry(orgs[v as usize].region.as_deref().unwrap_or(NO_REGION))
                    .or_default() += 1;
            }
            let mut regions: Vec<(String, usize)> = by_region
                .into_iter()
                .map(|(r, n)| (r.to_string(), n))
                .collect();
            regions.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let region = label_region(&regions);
            let shown = if list.len() >= 10 { 3 } else { 2 };
            // The most central known members, sure placements first.
            let mut named: Vec<u32> = list
                .iter()
                .copied()
                .filter(|&v| orgs[v as usize].kind != OrgKind::Unknown)
                .collect();
            named.sort_by_key(|&v| confidence[v as usize] < SHAKY_CONFIDENCE);
            let names: Vec<&str> = named
                .iter()
                .take(shown)
                .map(|&v| orgs[v as usize].name.as_str())
                .collect();
            let n = list.len();
            let affiliates = list
                .iter()
                .filter(|&&v| orgs[v as usize].kind.is_movement())
                .count();
            Cluster {
                id: id as u32,
                label: format!("{region}: {}", names.join(", ")),
                region,
                affiliates,
                institutions: n - affiliates,
                regions,
                density: if n > 1 {
                    2.0 * internal_edges[id] as f64 / (n as f64 * (n as f64 - 1.0))
                } else {
                    0.0
                },
                internal_weight: internal[id],
                external_weight: external[id],
                modularity: contributions.get(c).copied().unwrap_or(0.0),
                members: list,
            }
        })
        .collect();

    let confidence: Vec<f64> = confidence
        .iter()
        .zip(&cluster)
        .map(|(c, k)| if k.is_some() { *c } else { f64::NAN })
        .collect();
    let mut shaky_members: Vec<u32> = (0..orgs.len() as u32)
        .filter(|&v| confidence[v as usize] < SHAKY_CONFIDENCE)
        .collect();
    shaky_members.sort_by(|&a, &b| {
        confidence[a as usize]
            .total_cmp(&confidence[b as usize])
            .then_with(|| orgs[a as usize].name.cmp(&orgs[b as usize].name))
            .then(a.cmp(&b))
    });
    let clustered = cluster.iter().filter(|k| k.is_some()).count();
    let shaky = clustered > 0 && shaky_members.len() as f64 >= SHAKY_SHARE * clustered as f64;
    Clustering {
        cluster,
        confidence,
        clusters,
        modularity: overall,
        objective: settings.objective,
        resolution: settings.resolution,
        runs,
        seed: model.config().analysis.seed,
        first_run_modularity: overall,
        shaky_members,
        shaky,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeping the runs' partitions together and making each run twice give
    /// the same best partition, confidences and seed.
    #[test]
    fn kept_and_remade_runs_give_the_same_confidence() {
        let dir = tempfile::tempdir().unwrap();
        crate::generate::generate(dir.path(), 10_000, 7).unwrap();
        let data = crate::ingest::load(dir.path(), &crate::ingest::LoadOptions::default()).unwrap();
        let model = Model::new(data);
        let partition = partition(&model);
        let kept = confidence_of_runs(&model, &partition, 9, true);
        let remade = confidence_of_runs(&model, &partition, 9, false);
        assert_eq!(kept, remade);
        assert!(kept.confidence.iter().any(|&c| c < 1.0), "runs that differ");
    }
}
