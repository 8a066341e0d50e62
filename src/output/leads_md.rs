//! `leads.md`: the top leads as a table to read.

use std::fmt::Write as _;
use std::path::Path;

use super::csv::number;
use super::markdown::{escape, table};
use super::Output;
use crate::report::Report;

/// `leads.md`.
pub struct LeadsMarkdown;

impl Output for LeadsMarkdown {
    fn name(&self) -> &'static str {
        "leads.md"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        std::fs::write(dir.join(self.name()), render(report))?;
        Ok(())
    }
}

/// The top leads as a Markdown table.
pub fn render(report: &Report) -> String {
    let model = &report.model;
    let orgs = model.orgs();
    let top = model.config().leads.top;
    let leads = &report.leads.leads;
    let mut s = String::from("# Leads\n\n");
    let _ = writeln!(
        s,
        "{} institutions were referred or wanted as partners and have no active partnership, or are former partners to re-engage. The top {} by score; every lead, with each part of its score, is in leads.csv.\n",
        leads.len(),
        top.min(leads.len())
    );
    let rows: Vec<Vec<String>> = leads
        .iter()
        .take(top)
        .enumerate()
        .map(|(i, l)| {
            let o = &orgs[l.organisation as usize];
            let status = l
                .status
                .map(|k| model.dataset.lead_status[k].status.to_string())
                .unwrap_or_else(|| "new".into());
            vec![
                (i + 1).to_string(),
                escape(&o.name),
                o.kind.to_string(),
                escape(o.region_or_none()),
                number(l.score, 2),
                format!("{} ({})", l.lead_type.as_str(), status),
                escape(
                    &l.introducer
                        .map(|v| orgs[v as usize].name.clone())
                        .unwrap_or_default(),
                ),
                escape(&l.reason),
            ]
        })
        .collect();
    s.push_str(&table(
        &[
            "rank",
            "lead",
            "kind",
            "region",
            "score",
            "type (status)",
            "best introducer",
            "why",
        ],
        &rows,
    ));
    s.push_str(&super::cold_leads::markdown_section(report));
    s
}
