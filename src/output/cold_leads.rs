//! `cold-leads.csv`: the cold leads (institutions nobody has a relation with,
//! in regions where affiliates are active), grouped by region and nearest
//! active affiliate, best first within each group.

use std::path::Path;

use super::csv::{number, SafeCsv};
use super::Output;
use crate::report::Report;
use crate::text::plural;

/// `cold-leads.csv`.
pub struct ColdLeadsCsv;

/// The columns of `cold-leads.csv`.
pub const HEADER: &[&str] = &[
    "region",
    "affiliate",
    "affiliate_name",
    "rank",
    "id",
    "name",
    "kind",
    "country",
    "wikidata",
    "score",
    "reason",
    "affiliate_ties_in_region",
    "same_country",
    "commons",
    "website",
    "score_activity",
    "score_commons",
    "score_website",
    "score_kind",
];

impl Output for ColdLeadsCsv {
    fn name(&self) -> &'static str {
        "cold-leads.csv"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let mut csv = SafeCsv::create(&dir.join(self.name()), HEADER)?;
        let mut rank = 0;
        let mut group: Option<(&str, u32)> = None;
        for l in &report.cold_leads.leads {
            let o = &orgs[l.organisation as usize];
            let a = &orgs[l.affiliate as usize];
            let key = (o.region_or_none(), l.affiliate);
            if group != Some(key) {
                group = Some(key);
                rank = 0;
            }
            rank += 1;
            csv.row([
                o.region_or_none(),
                &a.id,
                &a.name,
                &rank.to_string(),
                &o.id,
                &o.name,
                o.kind.as_str(),
                o.country.as_deref().unwrap_or(""),
                o.wikidata.as_deref().unwrap_or(""),
                &number(l.score, 4),
                &l.reason,
                &l.activity.to_string(),
                if l.same_country { "yes" } else { "no" },
                l.commons.as_deref().unwrap_or(""),
                l.website.as_deref().unwrap_or(""),
                &number(l.parts.activity, 4),
                &number(l.parts.commons, 4),
                &number(l.parts.website, 4),
                &number(l.parts.kind, 4),
            ])?;
        }
        csv.finish()
    }
}

/// How many cold leads `leads.md` shows in each group, and in all.
const MD_PER_GROUP: usize = 10;
const MD_TOTAL: usize = 200;

/// The cold leads section of `leads.md`: one table per region and nearest
/// affiliate.
pub fn markdown_section(report: &Report) -> String {
    use super::markdown::{escape, table};
    use std::fmt::Write as _;
    let model = &report.model;
    let orgs = model.orgs();
    let cold = &report.cold_leads;
    let mut s = String::from("\n## Cold leads\n\n");
    if cold.leads.is_empty() {
        let _ = writeln!(
            s,
            "No institution is without any relation in a region where an affiliate is active. Institutions imported from Wikidata (`partnernet import wikidata`) that nobody works with yet would be listed here."
        );
        return s;
    }
    let _ = writeln!(
        s,
        "{} institutions have no relation with anyone yet, in a region where an affiliate is active. They are grouped by region and by the affiliate nearest to them (in the same country if there is one, else the most active in the region), best first. Score: the affiliate's ties in the region (relative to the most active affiliate anywhere) + 1 for a Commons category (digitisation under way) + 0.5 for a website + the kind's weight from [leads]. Every one is in cold-leads.csv.\n",
        cold.leads.len()
    );
    let mut shown = 0;
    let mut i = 0;
    while i < cold.leads.len() && shown < MD_TOTAL {
        let first = &cold.leads[i];
        let region = orgs[first.organisation as usize].region_or_none();
        let mut j = i;
        while j < cold.leads.len()
            && cold.leads[j].affiliate == first.affiliate
            && orgs[cold.leads[j].organisation as usize].region_or_none() == region
        {
            j += 1;
        }
        let a = &orgs[first.affiliate as usize];
        let _ = writeln!(
            s,
            "### {}: {} ({} ties there)\n",
            escape(region),
            escape(&a.name),
            first.activity
        );
        let take = (j - i).min(MD_PER_GROUP).min(MD_TOTAL - shown);
        let rows: Vec<Vec<String>> = cold.leads[i..i + take]
            .iter()
            .enumerate()
            .map(|(k, l)| {
                let o = &orgs[l.organisation as usize];
                vec![
                    (k + 1).to_string(),
                    escape(&o.name),
                    o.kind.to_string(),
                    escape(o.country.as_deref().unwrap_or("")),
                    number(l.score, 2),
                    escape(&l.reason),
                ]
            })
            .collect();
        s.push_str(&table(
            &["rank", "institution", "kind", "country", "score", "why"],
            &rows,
        ));
        if j - i > take {
            let _ = writeln!(s, "\n… and {} more in cold-leads.csv.", j - i - take);
        }
        s.push('\n');
        shown += take;
        i = j;
    }
    if shown < cold.leads.len() && i < cold.leads.len() {
        let _ = writeln!(
            s,
            "The other groups are in cold-leads.csv (leads.md shows at most {MD_TOTAL} cold leads)."
        );
    }
    s
}

/// The cold leads paragraph of `summary.md`: how many, and the best five
/// with their reasons.
pub fn summary_section(report: &Report) -> String {
    use super::markdown::escape;
    use std::fmt::Write as _;
    let model = &report.model;
    let orgs = model.orgs();
    let cold = &report.cold_leads;
    let mut s = String::from("\n## Cold leads\n\n");
    if cold.leads.is_empty() {
        let _ = writeln!(
            s,
            "No cold leads: every institution in a region where an affiliate is active has at least one relation. Import the galleries, libraries, archives and museums of a country from Wikidata (`partnernet import wikidata`) to find those nobody works with yet."
        );
        return s;
    }
    let mut regions: Vec<&str> = cold
        .leads
        .iter()
        .map(|l| orgs[l.organisation as usize].region_or_none())
        .collect();
    regions.dedup();
    let with_commons = cold.leads.iter().filter(|l| l.commons.is_some()).count();
    let _ = write!(
        s,
        "{} in {} have no relation with anyone yet, though an affiliate is active in their region; {} of them already {} a Commons category.",
        plural(cold.leads.len(), "institution", "institutions"),
        plural(regions.len(), "region", "regions"),
        with_commons,
        if with_commons == 1 { "has" } else { "have" }
    );
    if cold.out_of_reach > 0 {
        let _ = write!(
            s,
            " {} more are in regions where no affiliate is active.",
            cold.out_of_reach
        );
    }
    let _ = writeln!(
        s,
        " The best five (all, grouped by region and affiliate, in cold-leads.csv and leads.md):\n"
    );
    for (k, l) in cold.best(model).into_iter().take(5).enumerate() {
        let o = &orgs[l.organisation as usize];
        let _ = writeln!(
            s,
            "{}. {} ({}, {}; score {:.2}): {}. Ask {}.",
            k + 1,
            escape(&o.name),
            o.kind,
            escape(o.region_or_none()),
            l.score,
            escape(&l.reason),
            escape(&orgs[l.affiliate as usize].name)
        );
    }
    s
}
