//! Cold leads: institutions nobody in the data has any relation with (no
//! partnership, referral, wish, contact or anything else), in a region where
//! at least one affiliate is active. They come mostly from a Wikidata import
//! (`partnernet import wikidata`) and are kept apart from the referred leads
//! of [`crate::analysis::leads`], which need someone to have named them.
//!
//! **Active.** An affiliate (or hub) is active in a region when it has a tie
//! with at least one organisation there, or lives there and has any tie. Its
//! **activity** in the region is the number of organisations there it has a
//! tie with.
//!
//! **Nearest affiliate.** Each cold lead is put with one affiliate active in
//! its region: one in the same country first, then the most active in the
//! region, then by name. Leads are grouped by region and that affiliate.
//!
//! **Score**, the sum of these parts:
//!
//! | part | value |
//! |---|---|
//! | activity | the affiliate's activity in the region ÷ the highest activity of any affiliate in any region (0 to 1) |
//! | commons | 1 when the institution has a Commons category (a `commons` column): its digitisation is under way |
//! | website | 0.5 when it has a website (a `website` column): someone to write to |
//! | kind | `[leads] kind` × the kind's value of the referred leads (museum, library, archive, gallery 1; university, research 0.75; government, NGO, media 0.5; others 0.25) |
//!
//! Institutions declined or not to be contacted (`lead-status.csv`) are left
//! out; organisations without a region are never cold leads (there is no
//! region to be active in).

use rustc_hash::{FxHashMap, FxHashSet};

use crate::analysis::leads::kind_value;
use crate::model::{Model, OrgKind, NO_REGION};

/// The weight of the affiliate's activity in the score.
pub const ACTIVITY_WEIGHT: f64 = 1.0;
/// What a Commons category adds.
pub const COMMONS_WEIGHT: f64 = 1.0;
/// What a website adds.
pub const WEBSITE_WEIGHT: f64 = 0.5;

/// The columns of `organisations.csv` read as the Commons category.
pub const COMMONS_COLUMNS: &[&str] = &["commons", "commons_category", "commonscat"];
/// The columns of `organisations.csv` read as the website.
pub const WEBSITE_COLUMNS: &[&str] = &["website", "url", "homepage"];

/// The parts of a cold lead's score, each already weighted.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ColdParts {
    pub activity: f64,
    pub commons: f64,
    pub website: f64,
    pub kind: f64,
}

impl ColdParts {
    pub fn total(&self) -> f64 {
        self.activity + self.commons + self.website + self.kind
    }
}

/// One cold lead.
#[derive(Debug, Clone, PartialEq)]
pub struct ColdLead {
    /// Index into the organisations.
    pub organisation: u32,
    /// The affiliate active in its region best placed to reach out.
    pub affiliate: u32,
    /// Whether that affiliate is in the institution's country.
    pub same_country: bool,
    /// How many organisations in the region the affiliate has a tie with.
    pub activity: usize,
    /// The institution's Commons category, if known.
    pub commons: Option<String>,
    /// Its website, if known.
    pub website: Option<String>,
    pub score: f64,
    pub parts: ColdParts,
    /// The reason, in words.
    pub reason: String,
}

/// The cold leads, grouped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColdLeads {
    /// Ordered by region, then affiliate (by name), then score (highest
    /// first), then name.
    pub leads: Vec<ColdLead>,
    /// Institutions with no relation at all, in a region where no affiliate
    /// is active (not leads, counted for the summary).
    pub out_of_reach: usize,
}

impl ColdLeads {
    /// The leads, best score first (ties by region and name): for the
    /// summary.
    pub fn best(&self, model: &Model) -> Vec<&ColdLead> {
        let orgs = model.orgs();
        let mut v: Vec<&ColdLead> = self.leads.iter().collect();
        v.sort_by(|a, b| {
            b.score.total_cmp(&a.score).then_with(|| {
                let (x, y) = (
                    &orgs[a.organisation as usize],
                    &orgs[b.organisation as usize],
                );
                (x.region_or_none(), &x.name, &x.id).cmp(&(y.region_or_none(), &y.name, &y.id))
            })
        });
        v
    }
}

fn attribute<'a>(o: &'a crate::model::Organisation, columns: &[&str]) -> Option<&'a str> {
    columns
        .iter()
        .find_map(|c| o.attributes.get(c))
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
}

/// Finds the cold leads of a model.
pub fn cold_leads(model: &Model) -> ColdLeads {
    let orgs = model.orgs();
    let kind_weight = model.config().leads.kind;
    let mut related = vec![false; orgs.len()];
    let mut has_tie = vec![false; orgs.len()];
    // Affiliates with a tie to themselves: the tie graph leaves those out.
    let mut tied_to_itself = vec![false; orgs.len()];
    for r in &model.dataset.relations {
        related[r.source as usize] = true;
        related[r.target as usize] = true;
        if !r.kind.is_tie() {
            continue;
        }
        has_tie[r.source as usize] = true;
        has_tie[r.target as usize] = true;
        if r.source == r.target && orgs[r.source as usize].kind.is_movement() {
            tied_to_itself[r.source as usize] = true;
        }
    }
    // Activity per region and affiliate: each organisation an affiliate has
    // a tie with counts once, as in the tie graph.
    let csr = &model.ties.csr;
    let mut activity: foldhash::HashMap<&str, FxHashMap<u32, usize>> = foldhash::HashMap::default();
    for (a, o) in orgs.iter().enumerate() {
        if !o.kind.is_movement() {
            continue;
        }
        let itself = tied_to_itself[a].then_some(a as u32);
        for &b in csr.neighbors(a).iter().chain(itself.iter()) {
            let region = orgs[b as usize].region_or_none();
            if region != NO_REGION {
                *activity
                    .entry(region)
                    .or_default()
                    .entry(a as u32)
                    .or_default() += 1;
            }
        }
    }
    for (a, o) in orgs.iter().enumerate() {
        if o.kind.is_movement() && has_tie[a] && o.region.is_some() {
            activity
                .entry(o.region_or_none())
                .or_default()
                .entry(a as u32)
                .or_insert(0);
        }
    }
    let highest = activity
        .values()
        .flat_map(|m| m.values())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let hidden: FxHashSet<u32> = model
        .dataset
        .lead_status
        .iter()
        .filter(|s| s.status.hides_lead())
        .map(|s| s.organisation)
        .collect();

    // The nearest affiliate depends only on the lead's region and country:
    // found once for each, not once for each lead (which would take time in
    // proportion to the leads times the affiliates of a region, both of
    // which grow with the data).
    let mut nearest_of: FxHashMap<(&str, Option<&str>), Nearest> = FxHashMap::default();
    let mut out = ColdLeads::default();
    for (v, o) in orgs.iter().enumerate() {
        if related[v]
            || o.kind.is_movement()
            || o.kind == OrgKind::Unknown
            || o.region.is_none()
            || hidden.contains(&(v as u32))
        {
            continue;
        }
        let region = o.region_or_none();
        let Some(active) = activity.get(region) else {
            out.out_of_reach += 1;
            continue;
        };
        let nearest = *nearest_of
            .entry((region, o.country.as_deref()))
            .or_insert_with(|| nearest_affiliate(orgs, active, o.country.as_deref()));
        let Some((affiliate, n)) = nearest else {
            out.out_of_reach += 1;
            continue;
        };
        let a = &orgs[affiliate as usize];
        let same_country = a.country.is_some() && a.country == o.country;
        let commons = attribute(o, COMMONS_COLUMNS).map(str::to_string);
        let website = attribute(o, WEBSITE_COLUMNS).map(str::to_string);
        let parts = ColdParts {
            activity: ACTIVITY_WEIGHT * n as f64 / highest,
            commons: if commons.is_some() {
                COMMONS_WEIGHT
            } else {
                0.0
            },
            website: if website.is_some() {
                WEBSITE_WEIGHT
            } else {
                0.0
            },
            kind: kind_weight * kind_value(o.kind),
        };
        let mut lead = ColdLead {
            organisation: v as u32,
            affiliate,
            same_country,
            activity: n,
            commons,
            website,
            score: parts.total(),
            parts,
            reason: String::new(),
        };
        lead.reason = reason(model, &lead);
        out.leads.push(lead);
    }
    out.leads.sort_by(|x, y| {
        let (ox, oy) = (
            &orgs[x.organisation as usize],
            &orgs[y.organisation as usize],
        );
        let (ax, ay) = (&orgs[x.affiliate as usize], &orgs[y.affiliate as usize]);
        (ox.region_or_none(), &ax.name, &ax.id)
            .cmp(&(oy.region_or_none(), &ay.name, &ay.id))
            .then(y.score.total_cmp(&x.score))
            .then_with(|| (&ox.name, &ox.id).cmp(&(&oy.name, &oy.id)))
    });
    out
}

/// An affiliate (by index) and its activity in a region, or none.
type Nearest = Option<(u32, usize)>;

/// Of the affiliates `active` in a region (each with its activity there),
/// the one nearest a cold lead in `country`: one in the same country first,
/// then the most active, then by name and id. `None` when none is active.
fn nearest_affiliate(
    orgs: &[crate::model::Organisation],
    active: &FxHashMap<u32, usize>,
    country: Option<&str>,
) -> Nearest {
    let same =
        |z: &crate::model::Organisation| country.is_some() && z.country.as_deref() == country;
    active
        .iter()
        .min_by(|(a, na), (b, nb)| {
            let (x, y) = (&orgs[**a as usize], &orgs[**b as usize]);
            same(y)
                .cmp(&same(x))
                .then(nb.cmp(na))
                .then_with(|| (&x.name, &x.id).cmp(&(&y.name, &y.id)))
        })
        .map(|(&a, &n)| (a, n))
}

/// A cold lead's reason in plain words.
fn reason(model: &Model, lead: &ColdLead) -> String {
    let orgs = model.orgs();
    let o = &orgs[lead.organisation as usize];
    let a = &orgs[lead.affiliate as usize];
    let region = o.region_or_none();
    let mut parts = vec!["nobody in the movement has a tie with it yet".to_string()];
    let place = if lead.same_country {
        format!(
            " and is in the same country ({})",
            o.country.as_deref().unwrap_or("")
        )
    } else {
        String::new()
    };
    parts.push(match lead.activity {
        0 => format!("{} works in {region}{place}", a.name),
        1 => format!(
            "{} works in {region} (a tie with 1 organisation there){place}",
            a.name
        ),
        n => format!(
            "{} works in {region} (ties with {n} organisations there){place}",
            a.name
        ),
    });
    match &lead.commons {
        Some(c) => parts.push(format!(
            "it already has a Commons category ({c}), so its digitisation is under way"
        )),
        None => parts.push("it has no Commons category yet".to_string()),
    }
    if let Some(w) = &lead.website {
        parts.push(format!("its website is {w}"));
    }
    let kind = o.kind.as_str();
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    parts.push(format!(
        "{article} {kind} (kind weight {})",
        kind_value(o.kind)
    ));
    let mut s = parts.join("; ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dataset, Organisation, Origin, Relation, RelationKind};

    fn org(id: &str, kind: OrgKind, country: &str, region: &str) -> Organisation {
        Organisation {
            country: Some(country.into()),
            region: Some(region.into()),
            ..Organisation::new(id, id, kind, Origin { file: 0, line: 1 })
        }
    }

    fn rel(s: u32, t: u32, kind: RelationKind) -> Relation {
        Relation {
            source: s,
            target: t,
            kind,
            date: None,
            interview: None,
            weight: 1.0,
            note: None,
            origins: vec![],
            attributes: crate::model::Attributes::new(),
        }
    }

    #[test]
    fn only_unrelated_institutions_in_active_regions() {
        let mut museum = org("museum", OrgKind::Museum, "SE", "North");
        museum.attributes.insert("commons", "Museum X");
        let orgs = vec![
            org("wm-a", OrgKind::Affiliate, "SE", "North"),
            org("partner", OrgKind::Library, "SE", "North"),
            museum,
            org("wished", OrgKind::Archive, "SE", "North"),
            org("far", OrgKind::Museum, "KE", "East"),
            org("wm-b", OrgKind::Affiliate, "NO", "North"),
        ];
        let relations = vec![
            rel(0, 1, RelationKind::Partner),
            rel(0, 3, RelationKind::Desired),
            rel(5, 1, RelationKind::Contact),
        ];
        let model = Model::new(Dataset {
            organisations: orgs,
            relations,
            ..Dataset::default()
        });
        let cold = cold_leads(&model);
        let ids: Vec<&str> = cold
            .leads
            .iter()
            .map(|l| model.orgs()[l.organisation as usize].id.as_str())
            .collect();
        assert_eq!(ids, vec!["museum"]);
        let lead = &cold.leads[0];
        // The affiliate of the same country wins over the other one.
        assert_eq!(lead.affiliate, 0);
        assert!(lead.same_country);
        assert_eq!(lead.parts.commons, COMMONS_WEIGHT);
        assert!(
            lead.reason.contains("Commons category (Museum X)"),
            "{}",
            lead.reason
        );
        assert_eq!(cold.out_of_reach, 1);
    }
}
