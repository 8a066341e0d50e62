//! `bridges.csv`: ties whose loss would split the network.

use std::path::Path;

use super::csv::SafeCsv;
use super::Output;
use crate::analysis::brokers::CutOff;
use crate::report::Report;

/// `bridges.csv`.
pub struct BridgesCsv;

/// The regions of a cut-off part, such as `Western Africa 24; Eastern Africa 2`.
pub fn regions_text(cut: &CutOff) -> String {
    listed(
        cut.regions.iter().map(|(r, k)| format!("{r} {k}")),
        cut.more_regions as usize,
        "region",
    )
}

/// The clusters of a cut-off part by number, such as `3 (24); 7 (2)`.
pub fn clusters_text(cut: &CutOff) -> String {
    listed(
        cut.clusters.iter().map(|(c, k)| format!("{c} ({k})")),
        cut.more_clusters as usize,
        "cluster",
    )
}

/// `parts` joined by `; `, then "and N more NOUNs" when `more` were left out.
fn listed(parts: impl Iterator<Item = String>, more: usize, noun: &str) -> String {
    let mut parts: Vec<String> = parts.collect();
    if more > 0 {
        parts.push(format!(
            "and {more} more {noun}{}",
            if more == 1 { "" } else { "s" }
        ));
    }
    parts.join("; ")
}

impl Output for BridgesCsv {
    fn name(&self) -> &'static str {
        "bridges.csv"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let mut csv = SafeCsv::create(
            &dir.join(self.name()),
            &[
                "source",
                "target",
                "source_name",
                "target_name",
                "cut_off_size",
                "cut_off_side",
                "cut_off_regions",
                "cut_off_clusters",
            ],
        )?;
        for b in &report.brokers.bridges {
            let (s, t) = (&orgs[b.source as usize], &orgs[b.target as usize]);
            csv.row([
                s.id.as_str(),
                &t.id,
                &s.name,
                &t.name,
                &b.cut_off.size.to_string(),
                &orgs[b.cut_off_end as usize].id,
                &regions_text(&b.cut_off),
                &clusters_text(&b.cut_off),
            ])?;
        }
        csv.finish()
    }
}
