//! Untapped leads: institutions that someone referred ("who else in your
//! network would be interested?") or wants as a partner, and that have no
//! active partnership, plus lapsed partners to re-engage. Each lead gets a
//! score that is a sum of named parts, a one-line reason, and the affiliate
//! best placed to make the introduction, with the path of ties between them.
//!
//! The score's parts (each multiplied by its weight in `[leads]`):
//!
//! - **referrals**: Σ over distinct referrers of `1 + ln(n)`, where `n` is how
//!   many times that one referred the lead: three referrals by one
//!   organisation count 2.1, one each by three count 3.
//! - **desire**: the same sum over the affiliates that want the lead.
//! - **standing**: the mean, over those who referred or want the lead (or,
//!   for a lapsed partner, its former partners), of
//!   `0.5 · betweenness / highest betweenness + 0.5 · (1 if it has active partners)`.
//! - **recency**: `0.5^(age / half-life)`, the age of the latest mention in
//!   years before the latest date in the whole dataset (not today's date, so
//!   the same data always scores the same).
//! - **digitisation**: advanced 1, started 0.75, planned 0.5, none 0.25, not
//!   known 0.
//! - **kind**: museum, library, archive, gallery 1; university, research 0.75;
//!   government, NGO, media 0.5; others 0.25.
//! - **bridging**: `1 − (ties per organisation in the lead's region) / (the
//!   most of any region)`: a lead in a region with few ties scores higher.
//!
//! Organisations of kind `unknown` (names that match no organisation) are
//! never leads: they are names to fix (see
//! [`crate::analysis::data_quality`]). Leads whose `lead-status.csv` status
//! is `partner` are won: they leave the list and are counted in
//! [`Leads::won`]; `declined` and `do_not_contact` ones leave it too.
//!
//! The best introducer is found by a breadth-first search of the ties from
//! the lead. Among the affiliates the fewest ties away it prefers, in order:
//! one that itself referred or wants the lead, one in the lead's country, in
//! its region, in its cluster, the one whose path has the strongest weakest
//! tie, the one whose own tie towards the lead is the most recent; only then
//! the lower id. Names never decide. The runner-up (the next by the same
//! order, possibly one tie further away) is kept as the other introducer.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::brokers::ranking_value;
use crate::model::{Digitisation, LeadState, Model, OrgKind, RelationKind, NO_REGION};

/// Whether a lead is new or a former partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadType {
    /// Nobody in the movement works with it yet.
    New,
    /// Its only partnerships have ended: a lapsed partner to re-engage.
    Reengagement,
}

impl LeadType {
    pub fn as_str(self) -> &'static str {
        match self {
            LeadType::New => "new",
            LeadType::Reengagement => "re-engagement",
        }
    }
}

/// The parts of a lead's score, each already multiplied by its weight.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ScoreParts {
    pub referrals: f64,
    pub standing: f64,
    pub desire: f64,
    pub recency: f64,
    pub digitisation: f64,
    pub kind: f64,
    pub bridging: f64,
}

impl ScoreParts {
    /// The names of the parts, in order, as the tables write them.
    pub const NAMES: [&'static str; 7] = [
        "referrals",
        "standing",
        "desire",
        "recency",
        "digitisation",
        "kind",
        "bridging",
    ];

    /// The parts in the order of [`ScoreParts::NAMES`].
    pub fn values(&self) -> [f64; 7] {
        [
            self.referrals,
            self.standing,
            self.desire,
            self.recency,
            self.digitisation,
            self.kind,
            self.bridging,
        ]
    }

    pub fn total(&self) -> f64 {
        self.values().iter().sum()
    }
}

/// One lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    pub organisation: u32,
    pub lead_type: LeadType,
    pub score: f64,
    pub parts: ScoreParts,
    /// How many referral relations name it.
    pub referrals: usize,
    /// Who referred it, and how many times, most first.
    pub referred_by: Vec<(u32, usize)>,
    /// The affiliates that want it as a partner.
    pub desired_by: Vec<u32>,
    /// Its former partners (for re-engagement leads).
    pub former_partners: Vec<u32>,
    pub last_mentioned: Option<NaiveDate>,
    /// Its row in `lead-status.csv`, by index into `Dataset::lead_status`.
    pub status: Option<usize>,
    /// The affiliate best placed to make the introduction.
    pub introducer: Option<u32>,
    /// The runner-up: the next best placed affiliate, by the same order.
    pub other_introducer: Option<u32>,
    /// The path of ties from the introducer to the lead (both included);
    /// empty when no path of ties leads there.
    pub path: Vec<u32>,
    /// The path in words: `Wikimedia A -> Example Museum (partner) -> Lead (referral)`,
    /// each step followed by the kinds of relation of its tie.
    pub path_text: String,
    /// The reason for the score, in plain words.
    pub reason: String,
}

/// The ranked leads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Leads {
    /// Highest score first.
    pub leads: Vec<Lead>,
    /// The date recency is measured from: the latest date in the data.
    pub reference_date: Option<NaiveDate>,
    /// Leads won: organisations that would be leads but whose
    /// `lead-status.csv` status is `partner`, by name.
    pub won: Vec<u32>,
}

/// How many ties away an introducer is looked for, and how many
/// organisations one search visits at most.
const SEARCH_DEPTH: u32 = 6;
const SEARCH_BUDGET: usize = 50_000;

/// Finds, scores and ranks the leads. `betweenness` is each organisation's
/// betweenness ([`crate::analysis::brokers::Centrality`]), for the standing
/// part of the score; without it the standing counts active partners only.
/// `cluster` is each organisation's cluster
/// ([`crate::analysis::clusters::Clustering::cluster`]), for choosing the
/// introducer; without it that preference is skipped.
pub fn leads(model: &Model, betweenness: Option<&[f64]>, cluster: Option<&[Option<u32>]>) -> Leads {
    let orgs = model.orgs();
    let n = orgs.len();
    let w = &model.config().leads;
    let relations = &model.dataset.relations;

    let mut partner = vec![false; n];
    let mut referred: FxHashMap<u32, BTreeMap<u32, usize>> = FxHashMap::default();
    let mut desired: FxHashMap<u32, BTreeMap<u32, usize>> = FxHashMap::default();
    let mut former: FxHashMap<u32, BTreeMap<u32, usize>> = FxHashMap::default();
    let mut last: FxHashMap<u32, NaiveDate> = FxHashMap::default();
    let reference_date = relations.iter().filter_map(|r| r.date).max();
    // The latest date of each tie (lower end, higher end), for the
    // introducer's recency.
    let mut tie_date: FxHashMap<(u32, u32), NaiveDate> = FxHashMap::default();
    for r in relations {
        if let (true, Some(d)) = (r.kind.is_tie(), r.date) {
            let e = tie_date
                .entry((r.source.min(r.target), r.source.max(r.target)))
                .or_insert(d);
            *e = (*e).max(d);
        }
    }
    for r in relations {
        let (s, t) = (r.source, r.target);
        let mention = match r.kind {
            RelationKind::Partner => {
                partner[s as usize] = true;
                partner[t as usize] = true;
                None
            }
            RelationKind::Referral => Some((&mut referred, s, t)),
            RelationKind::Desired => Some((&mut desired, s, t)),
            RelationKind::PastPartner => {
                // Either end may be the institution.
                let (inst, other) = if orgs[t as usize].kind.is_movement() {
                    (s, t)
                } else {
                    (t, s)
                };
                Some((&mut former, other, inst))
            }
            _ => None,
        };
        if let Some((map, from, to)) = mention {
            *map.entry(to).or_default().entry(from).or_default() += 1;
            if let Some(d) = r.date {
                let e = last.entry(to).or_insert(d);
                *e = (*e).max(d);
            }
        }
    }
    let status_of: FxHashMap<u32, usize> = model
        .dataset
        .lead_status
        .iter()
        .enumerate()
        .map(|(i, s)| (s.organisation, i))
        .collect();

    // Ties per organisation in each region, for the bridging part.
    let mut region_degree: foldhash::HashMap<&str, (usize, usize)> = foldhash::HashMap::default();
    for (v, o) in orgs.iter().enumerate() {
        let e = region_degree
            .entry(o.region.as_deref().unwrap_or(NO_REGION))
            .or_default();
        e.0 += model.ties.csr.degree(v);
        e.1 += 1;
    }
    let density = |region: &str| {
        region_degree
            .get(region)
            .map(|(d, k)| *d as f64 / (*k).max(1) as f64)
            .unwrap_or(0.0)
    };
    let densest = region_degree
        .keys()
        .map(|r| density(r))
        .fold(0.0f64, f64::max);

    let top_b = betweenness
        .map(|b| {
            b.iter()
                .copied()
                .filter(|x| x.is_finite())
                .fold(0.0f64, f64::max)
        })
        .unwrap_or(0.0);
    let standing_of = |m: u32| -> f64 {
        let b = betweenness
            .map(|b| b[m as usize])
            .filter(|x| x.is_finite())
            .unwrap_or(0.0);
        let b = if top_b > 0.0 { b / top_b } else { 0.0 };
        0.5 * b + if partner[m as usize] { 0.5 } else { 0.0 }
    };

    let mut candidates: Vec<u32> = referred
        .keys()
        .chain(desired.keys())
        .chain(former.keys())
        .copied()
        .filter(|&v| {
            let kind = orgs[v as usize].kind;
            !partner[v as usize] && !kind.is_movement() && kind != OrgKind::Unknown
        })
        .filter(|v| {
            status_of
                .get(v)
                .is_none_or(|&i| !model.dataset.lead_status[i].status.hides_lead())
        })
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let is_won = |v: &u32| {
        status_of
            .get(v)
            .is_some_and(|&i| model.dataset.lead_status[i].status == LeadState::Partner)
    };
    let mut won: Vec<u32> = candidates.iter().copied().filter(is_won).collect();
    won.sort_by(|&a, &b| {
        orgs[a as usize]
            .name
            .cmp(&orgs[b as usize].name)
            .then(a.cmp(&b))
    });
    candidates.retain(|v| !is_won(v));

    let diminishing =
        |m: &BTreeMap<u32, usize>| -> f64 { m.values().map(|&c| 1.0 + (c as f64).ln()).sum() };
    let by_count = |m: Option<&BTreeMap<u32, usize>>| -> Vec<(u32, usize)> {
        let mut v: Vec<(u32, usize)> = m
            .map(|m| m.iter().map(|(a, b)| (*a, *b)).collect())
            .unwrap_or_default();
        v.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| orgs[a.0 as usize].name.cmp(&orgs[b.0 as usize].name))
        });
        v
    };

    let mut leads: Vec<Lead> = candidates
        .par_iter()
        .map(|&v| {
            let o = &orgs[v as usize];
            let referred_by = by_count(referred.get(&v));
            let desired_by: Vec<u32> = by_count(desired.get(&v)).into_iter().map(|x| x.0).collect();
            let former_partners: Vec<u32> =
                by_count(former.get(&v)).into_iter().map(|x| x.0).collect();
            let lead_type = if referred_by.is_empty() && desired_by.is_empty() {
                LeadType::Reengagement
            } else if former_partners.is_empty() {
                LeadType::New
            } else {
                LeadType::Reengagement
            };
            let mentioners: Vec<u32> = if referred_by.is_empty() && desired_by.is_empty() {
                former_partners.clone()
            } else {
                let mut m: Vec<u32> = referred_by
                    .iter()
                    .map(|x| x.0)
                    .chain(desired_by.iter().copied())
                    .collect();
                m.sort_unstable();
                m.dedup();
                m
            };
            let last_mentioned = last.get(&v).copied();
            let recency = match (last_mentioned, reference_date) {
                (Some(d), Some(reference)) => {
                    let years = (reference - d).num_days().max(0) as f64 / 365.25;
                    0.5f64.powf(years / w.recency_half_life_years.max(1e-9))
                }
                _ => 0.0,
            };
            let region = o.region.as_deref().unwrap_or(NO_REGION);
            let parts = ScoreParts {
                referrals: w.referrals * referred.get(&v).map(diminishing).unwrap_or(0.0),
                standing: w.standing
                    * if mentioners.is_empty() {
                        0.0
                    } else {
                        mentioners.iter().map(|&m| standing_of(m)).sum::<f64>()
                            / mentioners.len() as f64
                    },
                desire: w.desire * desired.get(&v).map(diminishing).unwrap_or(0.0),
                recency: w.recency * recency,
                digitisation: w.digitisation * digitisation_value(o.digitisation),
                kind: w.kind * kind_value(o.kind),
                bridging: w.bridging
                    * if densest > 0.0 && o.region.is_some() {
                        1.0 - density(region) / densest
                    } else {
                        0.0
                    },
            };
            let chosen = introduce(model, v, &desired_by, &referred_by, cluster, &tie_date);
            let mut lead = Lead {
                organisation: v,
                lead_type,
                score: parts.total(),
                parts,
                referrals: referred_by.iter().map(|x| x.1).sum(),
                referred_by,
                desired_by,
                former_partners,
                last_mentioned,
                status: status_of.get(&v).copied(),
                introducer: chosen.introducer,
                other_introducer: chosen.other,
                path_text: path_text(model, &chosen.path),
                path: chosen.path,
                reason: String::new(),
            };
            lead.reason = reason(
                model,
                &lead,
                region,
                densest > 0.0 && density(region) < 0.5 * densest,
            );
            lead
        })
        .collect();
    // The standing part adds up betweenness, whose values equal in exact
    // arithmetic may differ in their last bits (see `ranking_value`): such
    // scores rank as ties, broken by name.
    leads.sort_by(|a, b| {
        ranking_value(b.score)
            .total_cmp(&ranking_value(a.score))
            .then_with(|| {
                orgs[a.organisation as usize]
                    .name
                    .cmp(&orgs[b.organisation as usize].name)
            })
            .then(a.organisation.cmp(&b.organisation))
    });
    Leads {
        leads,
        reference_date,
        won,
    }
}

fn digitisation_value(d: Option<Digitisation>) -> f64 {
    match d {
        Some(Digitisation::Advanced) => 1.0,
        Some(Digitisation::Started) => 0.75,
        Some(Digitisation::Planned) => 0.5,
        Some(Digitisation::None) => 0.25,
        None => 0.0,
    }
}

/// The kind part of a lead's score before its weight (also used by the
/// cold leads).
pub(crate) fn kind_value(k: OrgKind) -> f64 {
    match k {
        OrgKind::Museum | OrgKind::Library | OrgKind::Archive | OrgKind::Gallery => 1.0,
        OrgKind::University | OrgKind::Research => 0.75,
        OrgKind::Government | OrgKind::Ngo | OrgKind::Media => 0.5,
        _ => 0.25,
    }
}

/// The introducers chosen for one lead.
struct Introducers {
    introducer: Option<u32>,
    other: Option<u32>,
    /// From the introducer to the lead; empty without a path of ties.
    path: Vec<u32>,
}

/// The affiliates best and second-best placed to introduce `lead`, and the
/// path of ties from the best to the lead (see the module documentation for
/// the order). Without a path of ties, the affiliates that want or referred
/// the lead are named, with no path.
fn introduce(
    model: &Model,
    lead: u32,
    desired_by: &[u32],
    referred_by: &[(u32, usize)],
    cluster: Option<&[Option<u32>]>,
    tie_date: &FxHashMap<(u32, u32), NaiveDate>,
) -> Introducers {
    let orgs = model.orgs();
    let csr = &model.ties.csr;
    let target = &orgs[lead as usize];
    // Who referred or wants the lead, sorted, so that asking about one of
    // many candidates stays cheap when thousands named the lead.
    let mut mentioners: Vec<u32> = desired_by
        .iter()
        .copied()
        .chain(referred_by.iter().map(|x| x.0))
        .collect();
    mentioners.sort_unstable();
    let mentioned = |a: u32| mentioners.binary_search(&a).is_ok();
    let same = |x: Option<&String>, y: Option<&String>| x.is_some() && x == y;
    let same_cluster = |a: u32| {
        cluster.is_some_and(|c| c[a as usize].is_some() && c[a as usize] == c[lead as usize])
    };
    // The preference of an affiliate `a` whose path has weakest tie `width`
    // and next step `next`: larger is better, the id last (lower first).
    let key = |a: u32, width: f64, next: u32| {
        let o = &orgs[a as usize];
        (
            [
                mentioned(a),
                same(o.country.as_ref(), target.country.as_ref()),
                same(o.region.as_ref(), target.region.as_ref()),
                same_cluster(a),
            ],
            width,
            tie_date.get(&(a.min(next), a.max(next))).copied(),
            std::cmp::Reverse(o.id.as_str()),
        )
    };
    let better = |x: &(u32, f64, u32), y: &(u32, f64, u32)| -> std::cmp::Ordering {
        let (kx, ky) = (key(x.0, x.1, x.2), key(y.0, y.1, y.2));
        kx.0.cmp(&ky.0)
            .then(kx.1.total_cmp(&ky.1))
            .then(kx.2.cmp(&ky.2))
            .then(kx.3.cmp(&ky.3))
            .then(y.0.cmp(&x.0))
    };
    // Breadth-first, layer by layer; `seen` holds the strongest weakest tie
    // on a shortest path from the lead, and the step back towards the lead.
    let mut seen: FxHashMap<u32, (f64, u32)> = FxHashMap::default();
    seen.insert(lead, (f64::INFINITY, lead));
    let mut layer = vec![lead];
    let mut best: Option<u32> = None;
    let mut other: Option<u32> = None;
    for _ in 0..SEARCH_DEPTH {
        let mut next: BTreeMap<u32, (f64, u32)> = BTreeMap::new();
        for &u in &layer {
            let width = seen[&u].0;
            for (&x, &wt) in csr
                .neighbors(u as usize)
                .iter()
                .zip(csr.weights(u as usize))
            {
                if seen.contains_key(&x) {
                    continue;
                }
                let cand = (width.min(wt), u);
                match next.get(&x) {
                    Some(&(b, p)) if b > cand.0 || (b == cand.0 && p <= u) => {}
                    _ => {
                        next.insert(x, cand);
                    }
                }
            }
        }
        if next.is_empty() {
            break;
        }
        for (&x, &v) in &next {
            seen.insert(x, v);
        }
        let mut found: Vec<(u32, f64, u32)> = next
            .iter()
            .filter(|(x, _)| orgs[**x as usize].kind == OrgKind::Affiliate)
            .map(|(&x, &(width, step))| (x, width, step))
            .collect();
        found.sort_by(|x, y| better(y, x));
        for (a, _, _) in found {
            if best.is_none() {
                best = Some(a);
            } else if other.is_none() {
                other = Some(a);
            }
        }
        if other.is_some() || seen.len() > SEARCH_BUDGET {
            break;
        }
        layer = next.into_keys().collect();
    }
    if let Some(affiliate) = best {
        let mut path = vec![affiliate];
        let mut at = affiliate;
        while at != lead {
            at = seen[&at].1;
            path.push(at);
        }
        return Introducers {
            introducer: best,
            other,
            path,
        };
    }
    let mut fallback: Vec<(u32, f64, u32)> = desired_by
        .iter()
        .chain(referred_by.iter().map(|x| &x.0))
        .copied()
        .filter(|&a| orgs[a as usize].kind.is_movement())
        .map(|a| (a, 0.0, lead))
        .collect();
    fallback.sort_by(|x, y| better(y, x));
    fallback.dedup_by_key(|x| x.0);
    Introducers {
        introducer: fallback.first().map(|x| x.0),
        other: fallback.get(1).map(|x| x.0),
        path: Vec::new(),
    }
}

/// A path of ties in words, each step followed by the kinds of its tie.
pub fn path_text(model: &Model, path: &[u32]) -> String {
    let orgs = model.orgs();
    let graph = &model.ties.graph;
    let mut out = String::new();
    for (k, &v) in path.iter().enumerate() {
        if k > 0 {
            out.push_str(" -> ");
        }
        out.push_str(&orgs[v as usize].name);
        if k > 0 {
            let (a, b) = (
                petgraph::graph::NodeIndex::new(path[k - 1] as usize),
                petgraph::graph::NodeIndex::new(v as usize),
            );
            if let Some(e) = graph.find_edge(a, b) {
                out.push_str(&format!(
                    " ({})",
                    graph[e].kinds.to_string().replace(';', ", ")
                ));
            }
        }
    }
    out
}

fn names(model: &Model, list: impl Iterator<Item = u32>, max: usize) -> String {
    let all: Vec<&str> = list
        .map(|v| model.orgs()[v as usize].name.as_str())
        .collect();
    let shown = all.iter().take(max).copied().collect::<Vec<_>>().join(", ");
    if all.len() > max {
        format!("{shown} and {} more", all.len() - max)
    } else {
        shown
    }
}

fn reason(model: &Model, lead: &Lead, region: &str, sparse_region: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !lead.referred_by.is_empty() {
        let distinct = lead.referred_by.len();
        let who = names(model, lead.referred_by.iter().map(|x| x.0), 3);
        parts.push(if distinct == 1 && lead.referrals > 1 {
            format!("referred {} times by {who}", lead.referrals)
        } else if distinct == 1 {
            format!("referred by {who}")
        } else {
            format!("referred by {distinct} organisations ({who})")
        });
    }
    if !lead.desired_by.is_empty() {
        parts.push(format!(
            "wanted as a partner by {}",
            names(model, lead.desired_by.iter().copied(), 3)
        ));
    }
    if lead.lead_type == LeadType::Reengagement {
        parts.push(format!(
            "a former partner of {}",
            names(model, lead.former_partners.iter().copied(), 3)
        ));
    }
    if let Some(d) = lead.last_mentioned {
        parts.push(format!("last mentioned {}", d.format("%Y-%m-%d")));
    }
    if let Some(d) = model.orgs()[lead.organisation as usize].digitisation {
        parts.push(format!("digitisation {d}"));
    }
    if sparse_region {
        parts.push(format!("{region} has few ties yet"));
    }
    if let Some(s) = lead.status {
        let st = &model.dataset.lead_status[s];
        if st.status != LeadState::New {
            parts.push(format!("status {}", st.status));
        }
    }
    let mut text = parts.join("; ");
    if let Some(first) = text.get(0..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attributes, Dataset, Organisation, Origin, Relation};

    fn referral(source: u32, target: u32) -> Relation {
        Relation {
            source,
            target,
            kind: RelationKind::Referral,
            date: None,
            interview: None,
            weight: 1.0,
            note: None,
            origins: vec![],
            attributes: Attributes::new(),
        }
    }

    #[test]
    fn scores_equal_but_for_rounding_rank_by_name() {
        let at = Origin { file: 0, line: 1 };
        let model = Model::new(Dataset {
            organisations: vec![
                Organisation::new("wm-b", "Wikimedia B", OrgKind::Affiliate, at),
                Organisation::new("wm-a", "Wikimedia A", OrgKind::Affiliate, at),
                Organisation::new("zeta", "Museum Zeta", OrgKind::Museum, at),
                Organisation::new("alpha", "Museum Alpha", OrgKind::Museum, at),
            ],
            relations: vec![referral(0, 2), referral(1, 3)],
            ..Dataset::default()
        });
        // Each museum was referred by one affiliate, and the two affiliates'
        // betweenness differs in the 15th digit (as sums of the same terms
        // added in another order can), so the museums' standing, and
        // scores, differ there too: Museum Zeta's is the larger.
        let betweenness = [1.0, 1.0 - 1e-14, 0.0, 0.0];
        let found = leads(&model, Some(&betweenness), None);
        let names: Vec<&str> = found
            .leads
            .iter()
            .map(|l| model.orgs()[l.organisation as usize].name.as_str())
            .collect();
        assert_eq!(names, ["Museum Alpha", "Museum Zeta"]);
        assert_ne!(found.leads[0].score, found.leads[1].score);
        assert_eq!(
            ranking_value(found.leads[0].score),
            ranking_value(found.leads[1].score)
        );
    }
}
