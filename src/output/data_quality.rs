//! `data-quality.md`: what in the dataset is worth a second look.

use std::fmt::Write as _;
use std::path::Path;

use super::markdown::{escape, table};
use super::Output;
use crate::analysis::data_quality::Likeness;
use crate::report::Report;

/// `data-quality.md`.
pub struct DataQualityReport;

/// How many rows each list shows.
const LIMIT: usize = 100;

impl Output for DataQualityReport {
    fn name(&self) -> &'static str {
        "data-quality.md"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        std::fs::write(dir.join(self.name()), render(report))?;
        Ok(())
    }
}

fn more(s: &mut String, total: usize) {
    if total > LIMIT {
        let _ = writeln!(s, "\n… and {} more.", total - LIMIT);
    }
}

/// The report's text.
pub fn render(report: &Report) -> String {
    let model = &report.model;
    let orgs = model.orgs();
    let q = &report.data_quality;
    let mut s = String::from("# Data quality\n\nWhat in the dataset is worth a second look. Nothing here stops an analysis; fixing it makes the results truer.\n");

    let _ = writeln!(s, "\n## Names to fix: names that match no organisation\n");
    let unresolved = &model.dataset.unresolved;
    if unresolved.is_empty() {
        let _ = writeln!(
            s,
            "Every name in the relations, interviews and notes matches an organisation."
        );
    } else {
        let _ = writeln!(
            s,
            "Each of these names is most likely a misspelling of an organisation you have. Until it is corrected in the file named (or the organisation is added to organisations.csv), it stands for an organisation of kind `{}`: its ties are kept, but it is never listed as a lead, named in a cluster or drawn like a real organisation, and the organisation meant loses the ties.\n",
            crate::model::OrgKind::Unknown
        );
        s.push_str(&super::markdown::unresolved_table(&model.dataset, LIMIT));
        more(&mut s, unresolved.len());
    }

    let _ = writeln!(s, "\n## Relations recorded more than once\n");
    if q.merged_relations.is_empty() {
        let _ = writeln!(s, "No relation is recorded twice.");
    } else {
        let _ = writeln!(
            s,
            "Each of these relations is written in more than one place, saying exactly the same thing (or once in relations.csv and once in an interview note). It is counted once. Rows that differ in anything (two agreements signed the same day with different weights, say) are counted separately, and `partnernet validate` warns about them.\n"
        );
        let rows: Vec<Vec<String>> = q
            .merged_relations
            .iter()
            .take(LIMIT)
            .map(|&i| {
                let r = &model.dataset.relations[i];
                let places: Vec<String> =
                    r.origins.iter().map(|o| model.dataset.locate(*o)).collect();
                vec![
                    escape(&orgs[r.source as usize].name),
                    escape(&orgs[r.target as usize].name),
                    r.kind.to_string(),
                    r.date.map(|d| d.to_string()).unwrap_or_default(),
                    escape(&places.join(", ")),
                ]
            })
            .collect();
        s.push_str(&table(&["from", "to", "kind", "date", "written at"], &rows));
        more(&mut s, q.merged_relations.len());
    }

    let _ = writeln!(s, "\n## Organisations that may be the same\n");
    if q.near_duplicates.is_empty() {
        let _ = writeln!(
            s,
            "No two organisations look alike by name or Wikidata item."
        );
    } else {
        let rows: Vec<Vec<String>> = q
            .near_duplicates
            .iter()
            .take(LIMIT)
            .map(|d| {
                let (a, b) = (&orgs[d.a as usize], &orgs[d.b as usize]);
                let why = match d.likeness {
                    Likeness::SameName => {
                        "the same name but for case, accents, spaces or punctuation".to_string()
                    }
                    Likeness::SimilarName => format!("names {:.0}% alike", 100.0 * d.similarity),
                    Likeness::SameWikidata => format!(
                        "the same Wikidata item {}",
                        a.wikidata.as_deref().unwrap_or("")
                    ),
                };
                let kinds = if d.different_kinds {
                    format!("{} / {}", a.kind, b.kind)
                } else {
                    a.kind.to_string()
                };
                vec![
                    escape(&format!("{} ({})", a.name, a.id)),
                    escape(&format!("{} ({})", b.name, b.id)),
                    why,
                    kinds,
                ]
            })
            .collect();
        s.push_str(&table(
            &["organisation", "may be the same as", "why", "kinds"],
            &rows,
        ));
        more(&mut s, q.near_duplicates.len());
    }

    let _ = writeln!(s, "\n## One organisation given two kinds\n");
    let two_kinds: Vec<_> = q
        .near_duplicates
        .iter()
        .filter(|d| d.different_kinds)
        .collect();
    if two_kinds.is_empty() {
        let _ = writeln!(s, "No organisation appears with two kinds.");
    } else {
        for d in two_kinds.iter().take(LIMIT) {
            let (a, b) = (&orgs[d.a as usize], &orgs[d.b as usize]);
            let _ = writeln!(
                s,
                "- {} is a {} as {} and a {} as {}.",
                escape(&a.name),
                a.kind,
                escape(&a.id),
                b.kind,
                escape(&b.id)
            );
        }
        more(&mut s, two_kinds.len());
    }

    let _ = writeln!(s, "\n## Names with HTML character entities\n");
    if q.html_entities.is_empty() {
        let _ = writeln!(s, "No name or alias holds an HTML character entity.");
    } else {
        let _ = writeln!(
            s,
            "These names hold HTML character entities such as `&amp;` or `&Oslash;`, most likely left over from copying them from a web page. partnernet shows them exactly as written everywhere (tables, pictures, exports); correct them in organisations.csv to the text meant.\n"
        );
        let rows: Vec<Vec<String>> = q
            .html_entities
            .iter()
            .take(LIMIT)
            .map(|e| {
                let o = &orgs[e.organisation as usize];
                vec![
                    escape(&e.text),
                    escape(&e.decoded),
                    if e.alias { "alias" } else { "name" }.to_string(),
                    escape(&o.id),
                    escape(&model.dataset.locate(o.origin)),
                ]
            })
            .collect();
        s.push_str(&table(
            &["as written", "probably meant", "in the", "id", "where"],
            &rows,
        ));
        more(&mut s, q.html_entities.len());
    }

    let _ = writeln!(s, "\n## Organisations with no relations\n");
    if q.without_relations.is_empty() {
        let _ = writeln!(s, "Every organisation has at least one relation.");
    } else {
        let _ = writeln!(
            s,
            "{} organisations appear in no relation, interview or note:\n",
            q.without_relations.len()
        );
        for &v in q.without_relations.iter().take(LIMIT) {
            let o = &orgs[v as usize];
            let _ = writeln!(
                s,
                "- {} ({}, {})",
                escape(&o.name),
                o.kind,
                escape(&model.dataset.locate(o.origin))
            );
        }
        more(&mut s, q.without_relations.len());
    }

    let _ = writeln!(s, "\n## Interviews with no mentions\n");
    if q.silent_interviews.is_empty() {
        let _ = writeln!(s, "Every interview gave at least one relation.");
    } else {
        for &i in q.silent_interviews.iter().take(LIMIT) {
            let iv = &model.dataset.interviews[i];
            let _ = writeln!(
                s,
                "- {} with {} ({})",
                escape(&iv.id),
                escape(&orgs[iv.affiliate as usize].name),
                escape(&model.dataset.locate(iv.origin))
            );
        }
        more(&mut s, q.silent_interviews.len());
    }
    s
}
