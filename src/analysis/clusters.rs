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
//! Confidence: the clustering is run `runs` times with seeds `seed`,
//! `seed + 1`, …; an organisation's confidence is the share of runs in which
//! it shares a cluster with the majority of its final cluster.

use std::collections::BTreeMap;

use crate::algo::leiden::{Leiden, LeidenParams, Objective};
use crate::algo::modularity::modularity_contributions;
use crate::analysis::components::Components;
use crate::config::ClusterObjective;
use crate::model::{Model, NO_REGION};
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

/// Each organisation's confidence in its place in `partition`: the share of
/// `[clusters] runs` seeded runs (this one included) in which it shares a
/// community with the majority of its own.
pub fn placement_confidence(model: &Model, partition: &Partition) -> Vec<f64> {
    let runs = model.config().clusters.runs_for(model.orgs().len()).max(1);
    partition
        .prepared
        .confidence(&partition.membership, model.config().analysis.seed, runs)
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
            let region = regions
                .first()
                .map(|r| r.0.clone())
                .unwrap_or_else(|| NO_REGION.to_string());
            let shown = if list.len() >= 10 { 3 } else { 2 };
            let names: Vec<&str> = list
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

    let confidence = confidence
        .iter()
        .zip(&cluster)
        .map(|(c, k)| if k.is_some() { *c } else { f64::NAN })
        .collect();
    Clustering {
        cluster,
        confidence,
        clusters,
        modularity: overall,
        objective: settings.objective,
        resolution: settings.resolution,
        runs,
    }
}
