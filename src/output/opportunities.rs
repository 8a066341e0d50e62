//! `opportunities.csv`: pairs of affiliates that should work together.

use std::path::Path;

use super::csv::{number, SafeCsv};
use super::Output;
use crate::report::Report;

/// `opportunities.csv`.
pub struct OpportunitiesCsv;

impl Output for OpportunitiesCsv {
    fn name(&self) -> &'static str {
        "opportunities.csv"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let mut csv = SafeCsv::create(
            &dir.join(self.name()),
            &[
                "affiliate_a",
                "affiliate_b",
                "kind",
                "score",
                "reason",
                "name_a",
                "name_b",
                "tag",
                "ties_apart",
            ],
        )?;
        for o in &report.opportunities {
            let (a, b) = (&orgs[o.a as usize], &orgs[o.b as usize]);
            csv.row([
                a.id.as_str(),
                &b.id,
                o.kind.as_str(),
                &number(o.score, 4),
                &o.reason,
                &a.name,
                &b.name,
                o.tag.as_deref().unwrap_or(""),
                &o.distance.map(|d| d.to_string()).unwrap_or_default(),
            ])?;
        }
        csv.finish()
    }
}
