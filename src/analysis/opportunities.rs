//! Collaboration opportunities between affiliates:
//!
//! - **link**: pairs of affiliates with no tie yet, ranked by the resource
//!   allocation index on the tie graph (Zhou, Lü & Zhang 2009: the sum of
//!   `1 / degree` over the organisations both are tied to), plus 0.25 when
//!   they are in the same region and 0.25 when in the same cluster;
//! - **needs-offers**: what one affiliate needs (from its interviews) matched
//!   with affiliates that offer it, nearest first: fewest ties away, then the
//!   same region, then by name. The score is `1 / ties away`, or 0.05 (same
//!   region) or 0.01 when no path of ties joins them within six ties.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use rayon::prelude::*;

use crate::analysis::clusters::Clustering;
use crate::model::{Model, OrgKind};

/// What an opportunity is based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OpportunityKind {
    Link,
    NeedsOffers,
}

impl OpportunityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpportunityKind::Link => "link",
            OpportunityKind::NeedsOffers => "needs-offers",
        }
    }
}

/// Two affiliates that should work together.
#[derive(Debug, Clone, PartialEq)]
pub struct Opportunity {
    /// For needs-offers: the affiliate that needs help.
    pub a: u32,
    /// For needs-offers: the affiliate that offers it.
    pub b: u32,
    pub kind: OpportunityKind,
    pub score: f64,
    /// For needs-offers: the tag matched.
    pub tag: Option<String>,
    /// How many ties apart (needs-offers), when joined within six ties.
    pub distance: Option<u32>,
    pub reason: String,
}

/// Link opportunities kept per affiliate, and offers per need.
const LINKS_PER_AFFILIATE: usize = 5;
const OFFERS_PER_NEED: usize = 3;
const SEARCH_DEPTH: u32 = 6;
const SEARCH_BUDGET: usize = 20_000;

/// Finds link and needs-offers opportunities, best first within each kind
/// (links first, then needs-offers).
pub fn opportunities(model: &Model, clustering: Option<&Clustering>) -> Vec<Opportunity> {
    let mut out = links(model, clustering);
    out.extend(needs_offers(model));
    out
}

fn is_affiliate(model: &Model, v: u32) -> bool {
    model.orgs()[v as usize].kind == OrgKind::Affiliate
}

fn links(model: &Model, clustering: Option<&Clustering>) -> Vec<Opportunity> {
    let orgs = model.orgs();
    let csr = &model.ties.csr;
    let affiliates: Vec<u32> = (0..orgs.len() as u32)
        .filter(|&v| is_affiliate(model, v))
        .collect();
    let per: Vec<Vec<Opportunity>> = affiliates
        .par_iter()
        .map(|&a| {
            let mut ra: BTreeMap<u32, (f64, Vec<u32>)> = BTreeMap::new();
            let direct: BTreeSet<u32> = csr.neighbors(a as usize).iter().copied().collect();
            for &z in csr.neighbors(a as usize) {
                let dz = csr.degree(z as usize) as f64;
                for &b in csr.neighbors(z as usize) {
                    if b > a && is_affiliate(model, b) && !direct.contains(&b) {
                        let e = ra.entry(b).or_default();
                        e.0 += 1.0 / dz;
                        e.1.push(z);
                    }
                }
            }
            let mut found: Vec<Opportunity> = ra
                .into_iter()
                .map(|(b, (index, shared))| {
                    let (oa, ob) = (&orgs[a as usize], &orgs[b as usize]);
                    let same_region = oa.region.is_some() && oa.region == ob.region;
                    let same_cluster = clustering.is_some_and(|c| {
                        c.cluster[a as usize].is_some()
                            && c.cluster[a as usize] == c.cluster[b as usize]
                    });
                    let score = index
                        + if same_region { 0.25 } else { 0.0 }
                        + if same_cluster { 0.25 } else { 0.0 };
                    let shown: Vec<&str> = shared
                        .iter()
                        .take(3)
                        .map(|&z| orgs[z as usize].name.as_str())
                        .collect();
                    let more = if shared.len() > 3 {
                        format!(" and {} more", shared.len() - 3)
                    } else {
                        String::new()
                    };
                    let mut reason = format!(
                        "Both work with {}{more} (resource allocation {:.2})",
                        shown.join(", "),
                        index
                    );
                    if same_region {
                        reason.push_str(&format!("; both in {}", oa.region_or_none()));
                    }
                    if same_cluster {
                        reason.push_str("; same cluster");
                    }
                    Opportunity {
                        a,
                        b,
                        kind: OpportunityKind::Link,
                        score,
                        tag: None,
                        distance: None,
                        reason,
                    }
                })
                .collect();
            found.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.b.cmp(&y.b)));
            found.truncate(LINKS_PER_AFFILIATE);
            found
        })
        .collect();
    let mut all: Vec<Opportunity> = per.into_iter().flatten().collect();
    all.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    all
}

/// Ties away from `start` to every organisation within reach.
fn distances(model: &Model, start: u32) -> HashMap<u32, u32> {
    let csr = &model.ties.csr;
    let mut dist = HashMap::from([(start, 0u32)]);
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        let d = dist[&u];
        if d >= SEARCH_DEPTH || dist.len() > SEARCH_BUDGET {
            continue;
        }
        for &x in csr.neighbors(u as usize) {
            dist.entry(x).or_insert_with(|| {
                queue.push_back(x);
                d + 1
            });
        }
    }
    dist
}

fn needs_offers(model: &Model) -> Vec<Opportunity> {
    let orgs = model.orgs();
    let mut needs: BTreeMap<u32, BTreeSet<&str>> = BTreeMap::new();
    let mut offers: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    for i in &model.dataset.interviews {
        if !orgs[i.affiliate as usize].kind.is_movement() {
            continue;
        }
        needs
            .entry(i.affiliate)
            .or_default()
            .extend(i.needs.iter().map(String::as_str));
        for t in &i.offers {
            offers.entry(t.as_str()).or_default().insert(i.affiliate);
        }
    }
    let per: Vec<Vec<Opportunity>> = needs
        .par_iter()
        .map(|(&a, tags)| {
            let dist = distances(model, a);
            let oa = &orgs[a as usize];
            let mut out = Vec::new();
            for &tag in tags {
                let Some(offering) = offers.get(tag) else {
                    continue;
                };
                let mut ranked: Vec<(Option<u32>, bool, u32)> = offering
                    .iter()
                    .filter(|&&b| b != a)
                    .map(|&b| {
                        (
                            dist.get(&b).copied(),
                            oa.region.is_some() && oa.region == orgs[b as usize].region,
                            b,
                        )
                    })
                    .collect();
                ranked.sort_by(|x, y| {
                    let dx = x.0.unwrap_or(u32::MAX);
                    let dy = y.0.unwrap_or(u32::MAX);
                    dx.cmp(&dy)
                        .then(y.1.cmp(&x.1))
                        .then_with(|| orgs[x.2 as usize].name.cmp(&orgs[y.2 as usize].name))
                });
                for (d, same_region, b) in ranked.into_iter().take(OFFERS_PER_NEED) {
                    let ob = &orgs[b as usize];
                    let score = match d {
                        Some(d) => 1.0 / d.max(1) as f64,
                        None if same_region => 0.05,
                        None => 0.01,
                    };
                    let how_far = match d {
                        Some(1) => "already tied to it".to_string(),
                        Some(d) => format!("{d} ties away"),
                        None => "no path of ties yet".to_string(),
                    };
                    let region = if same_region {
                        format!(", also in {}", ob.region_or_none())
                    } else {
                        String::new()
                    };
                    let reason = format!(
                        "{} needs help with {tag}; {} offers it ({how_far}{region})",
                        oa.name, ob.name
                    );
                    out.push(Opportunity {
                        a,
                        b,
                        kind: OpportunityKind::NeedsOffers,
                        score,
                        tag: Some(tag.to_string()),
                        distance: d,
                        reason,
                    });
                }
            }
            out
        })
        .collect();
    let mut all: Vec<Opportunity> = per.into_iter().flatten().collect();
    all.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
            .then(x.tag.cmp(&y.tag))
    });
    all
}
