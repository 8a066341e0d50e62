//! `opportunities.csv`: pairs of affiliates that should work together.

use std::borrow::Cow;
use std::path::Path;

use super::csv::{first_byte, number, SafeCsv};
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
        let csv = SafeCsv::create(
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
        let all = &report.opportunities.list;
        // Both affiliates of an opportunity are anywhere in memory.
        let touch = |i: usize| {
            let o = &all[i];
            let (a, b) = (&orgs[o.a as usize], &orgs[o.b as usize]);
            first_byte(&a.id)
                ^ first_byte(&b.id)
                ^ first_byte(&a.name)
                ^ first_byte(&b.name)
                ^ first_byte(&o.reason)
        };
        csv.finish_with_rows_touching(all.len(), touch, |i| {
            let o = &all[i];
            let (a, b) = (&orgs[o.a as usize], &orgs[o.b as usize]);
            [
                Cow::Borrowed(a.id.as_str()),
                b.id.as_str().into(),
                o.kind.as_str().into(),
                number(o.score, 4).into(),
                o.reason.as_str().into(),
                a.name.as_str().into(),
                b.name.as_str().into(),
                o.tag.as_deref().unwrap_or("").into(),
                o.distance.map(|d| d.to_string()).unwrap_or_default().into(),
            ]
        })
    }
}
