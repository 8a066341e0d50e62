//! `ties.csv`: every tie of the tie graph, for spreadsheets and other tools.

use std::borrow::Cow;
use std::path::Path;

use super::csv::{first_byte, number, SafeCsv};
use super::Output;
use crate::report::Report;

/// `ties.csv`: one row per pair of organisations with a tie.
pub struct TiesCsv;

impl Output for TiesCsv {
    fn name(&self) -> &'static str {
        "ties.csv"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let csv = SafeCsv::create(
            &dir.join(self.name()),
            &[
                "source",
                "target",
                "weight",
                "kinds",
                "relations",
                "source_name",
                "target_name",
            ],
        )?;
        let edges = report.model.ties.graph.raw_edges();
        // A tie's far end is anywhere in memory.
        let touch = |i: usize| {
            let e = &edges[i];
            let (a, b) = (&orgs[e.source().index()], &orgs[e.target().index()]);
            first_byte(&a.id) ^ first_byte(&b.id) ^ first_byte(&a.name) ^ first_byte(&b.name)
        };
        csv.finish_with_rows_touching(edges.len(), touch, |i| {
            let e = &edges[i];
            let (a, b) = (&orgs[e.source().index()], &orgs[e.target().index()]);
            let t = &e.weight;
            [
                Cow::Borrowed(a.id.as_str()),
                b.id.as_str().into(),
                number(t.weight, 6).into(),
                t.kinds.to_string().into(),
                t.relations.to_string().into(),
                a.name.as_str().into(),
                b.name.as_str().into(),
            ]
        })
    }
}
