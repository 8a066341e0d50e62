//! Counts that describe a dataset at a glance.

use std::collections::BTreeMap;

use crate::model::{Model, OrgKind, RelationKind, NO_REGION};

/// Counts of organisations, relations and interviews.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overview {
    pub organisations: usize,
    /// Affiliates and hubs.
    pub movement: usize,
    pub institutions: usize,
    pub by_kind: Vec<(OrgKind, usize)>,
    /// Per region: (region, affiliates and hubs, institutions), by region name.
    pub by_region: Vec<(String, usize, usize)>,
    pub relations: usize,
    pub by_relation_kind: Vec<(RelationKind, usize)>,
    pub ties: usize,
    pub interviews: usize,
}

/// Counts the model's organisations by kind and region and its relations by kind.
pub fn overview(model: &Model) -> Overview {
    let orgs = model.orgs();
    let mut by_kind = BTreeMap::new();
    let mut by_region: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for o in orgs {
        *by_kind.entry(o.kind).or_insert(0) += 1;
        let r = by_region
            .entry(o.region.as_deref().unwrap_or(NO_REGION))
            .or_default();
        if o.kind.is_movement() {
            r.0 += 1;
        } else {
            r.1 += 1;
        }
    }
    let mut by_relation_kind = BTreeMap::new();
    for r in &model.dataset.relations {
        *by_relation_kind.entry(r.kind).or_insert(0) += 1;
    }
    let movement = orgs.iter().filter(|o| o.kind.is_movement()).count();
    Overview {
        organisations: orgs.len(),
        movement,
        institutions: orgs.len() - movement,
        by_kind: by_kind.into_iter().collect(),
        by_region: by_region
            .into_iter()
            .map(|(r, (a, i))| (r.to_string(), a, i))
            .collect(),
        relations: model.dataset.relations.len(),
        by_relation_kind: by_relation_kind.into_iter().collect(),
        ties: model.ties.edge_count(),
        interviews: model.dataset.interviews.len(),
    }
}
