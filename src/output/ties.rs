//! `ties.csv`: every tie of the tie graph, for spreadsheets and other tools.

use std::path::Path;

use petgraph::visit::EdgeRef;

use super::csv::{number, SafeCsv};
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
        let mut csv = SafeCsv::create(
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
        for e in report.model.ties.graph.edge_references() {
            let (a, b) = (&orgs[e.source().index()], &orgs[e.target().index()]);
            let t = e.weight();
            csv.row([
                a.id.as_str(),
                b.id.as_str(),
                &number(t.weight, 6),
                &t.kinds.to_string(),
                &t.relations.to_string(),
                a.name.as_str(),
                b.name.as_str(),
            ])?;
        }
        csv.finish()
    }
}
