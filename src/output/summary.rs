//! `summary.md`: the run in words and small tables, for reading and for reports.

use std::fmt::Write as _;
use std::path::Path;

use super::markdown::{escape, table};
use super::Output;
use crate::model::OrgKind;
use crate::report::Report;

/// `summary.md`.
pub struct Summary;

/// How many small components and unresolved names the summary lists.
const LIST_LIMIT: usize = 20;

impl Output for Summary {
    fn name(&self) -> &'static str {
        "summary.md"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        std::fs::write(dir.join(self.name()), render(report))?;
        Ok(())
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary's text.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    let o = &report.overview;
    let model = &report.model;
    let orgs = model.orgs();
    let _ = writeln!(s, "# partnernet summary\n");
    let _ = writeln!(
        s,
        "The dataset holds {} ({} and {}), {} and {}; the relations make {} between pairs of organisations.\n",
        plural(o.organisations, "organisation", "organisations"),
        plural(o.movement, "affiliate or hub", "affiliates and hubs"),
        plural(o.institutions, "institution", "institutions"),
        plural(o.relations, "relation", "relations"),
        plural(o.interviews, "interview", "interviews"),
        plural(o.ties, "tie", "ties"),
    );

    let _ = writeln!(s, "## Organisations by kind\n");
    let rows: Vec<Vec<String>> = o
        .by_kind
        .iter()
        .map(|(k, n)| vec![k.to_string(), n.to_string()])
        .collect();
    s.push_str(&table(&["kind", "organisations"], &rows));

    let _ = writeln!(s, "\n## Organisations by region\n");
    let rows: Vec<Vec<String>> = o
        .by_region
        .iter()
        .map(|(r, a, i)| vec![escape(r), a.to_string(), i.to_string()])
        .collect();
    s.push_str(&table(
        &["region", "affiliates and hubs", "institutions"],
        &rows,
    ));

    let _ = writeln!(s, "\n## Relations by kind\n");
    let rows: Vec<Vec<String>> = o
        .by_relation_kind
        .iter()
        .map(|(k, n)| vec![k.to_string(), n.to_string()])
        .collect();
    s.push_str(&table(&["kind", "relations"], &rows));
    let _ = writeln!(s, "\n`desired` relations are wishes, not ties: they are left out of the tie graph and used for leads.");

    let c = &report.components;
    let _ = writeln!(s, "\n## Components\n");
    if c.count() == 0 {
        let _ = writeln!(s, "There are no organisations.");
    } else {
        let isolated: Vec<usize> = c.isolated().collect();
        let small_limit = model.config().analysis.small_component;
        let _ = writeln!(
            s,
            "The network falls into {}. The largest holds {} of {} organisations ({:.0}%). {} no tie at all.\n",
            plural(c.count(), "connected component", "connected components"),
            c.sizes[0],
            o.organisations,
            100.0 * c.sizes[0] as f64 / o.organisations.max(1) as f64,
            match isolated.len() {
                0 => "No organisation has".to_string(),
                1 => "1 organisation has".to_string(),
                n => format!("{n} organisations have"),
            }
        );
        let members = c.members();
        let small: Vec<usize> = (1..c.count())
            .filter(|&k| c.sizes[k] > 1 && c.sizes[k] <= small_limit)
            .collect();
        if !small.is_empty() {
            let _ = writeln!(
                s,
                "Small groups cut off from the rest (at most {small_limit} organisations):\n"
            );
            for &k in small.iter().take(LIST_LIMIT) {
                let names: Vec<String> = members[k]
                    .iter()
                    .map(|&i| escape(&orgs[i as usize].name))
                    .collect();
                let _ = writeln!(s, "- {}", names.join(", "));
            }
            if small.len() > LIST_LIMIT {
                let _ = writeln!(s, "- … and {} more", small.len() - LIST_LIMIT);
            }
            s.push('\n');
        }
        if !isolated.is_empty() {
            let _ = writeln!(s, "Organisations with no tie:\n");
            for &i in isolated.iter().take(LIST_LIMIT) {
                let _ = writeln!(s, "- {} ({})", escape(&orgs[i].name), orgs[i].kind);
            }
            if isolated.len() > LIST_LIMIT {
                let _ = writeln!(s, "- … and {} more", isolated.len() - LIST_LIMIT);
            }
        }
    }

    let unresolved = &model.dataset.unresolved;
    let _ = writeln!(s, "\n## Names that match no organisation\n");
    if unresolved.is_empty() {
        let _ = writeln!(
            s,
            "Every name in the relations and interviews matches an organisation."
        );
    } else {
        let _ = writeln!(
            s,
            "These names match no id, name or alias in organisations.csv. They are analysed as organisations of kind `{}`; correct the name or add the organisation.\n",
            OrgKind::Unknown
        );
        let rows: Vec<Vec<String>> = unresolved
            .iter()
            .take(LIST_LIMIT)
            .map(|u| {
                vec![
                    escape(&u.name),
                    u.uses.to_string(),
                    escape(&model.dataset.locate(u.first)),
                    escape(&u.suggestions.join("; ")),
                ]
            })
            .collect();
        s.push_str(&table(
            &["name", "uses", "first used at", "did you mean"],
            &rows,
        ));
        if unresolved.len() > LIST_LIMIT {
            let _ = writeln!(s, "\n… and {} more.", unresolved.len() - LIST_LIMIT);
        }
    }

    let problems = &model.dataset.problems;
    if problems.warnings() > 0 {
        let _ = writeln!(s, "\n## Warnings about the data\n");
        for p in problems.items().iter().take(LIST_LIMIT) {
            let _ = writeln!(
                s,
                "- {}",
                escape(&p.relative_to(&model.dataset.root).to_string())
            );
        }
        if problems.items().len() > LIST_LIMIT || problems.dropped > 0 {
            let _ = writeln!(s, "- … run `partnernet validate` for the full list");
        }
    }
    s
}
