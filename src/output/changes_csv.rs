//! `changes.csv`: every change between two snapshots, one a row, most
//! important first (see [`crate::analysis::changes`]).

use std::path::Path;

use super::csv::SafeCsv;
use super::Output;
use crate::analysis::changes::Changes;
use crate::report::Report;

/// The file's name.
pub const FILE: &str = "changes.csv";

/// The columns: the kind of change (such as `partnership begun`), the
/// organisation or cluster it is about, the other side (partner, cluster
/// moved to, …), the organisation's region, how things stood before and
/// stand now, and why it counts, in words.
pub const COLUMNS: [&str; 7] = [
    "change",
    "organisation",
    "other",
    "region",
    "old",
    "new",
    "reason",
];

/// `changes.csv` of `analyse --since`; written only when the report holds
/// changes.
pub struct ChangesCsv;

impl Output for ChangesCsv {
    fn name(&self) -> &'static str {
        FILE
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        match &report.changes {
            Some(changes) => write(changes, dir),
            None => Ok(()),
        }
    }
}

/// Writes `changes.csv` into `dir`.
pub fn write(changes: &Changes, dir: &Path) -> anyhow::Result<()> {
    let rows = &changes.changes;
    SafeCsv::create(&dir.join(FILE), &COLUMNS)?.finish_with_rows(rows.len(), |i| {
        let c = &rows[i];
        [
            c.kind.as_str(),
            c.organisation.as_str(),
            c.other.as_str(),
            c.region.as_str(),
            c.old.as_str(),
            c.new.as_str(),
            c.reason.as_str(),
        ]
    })
}
