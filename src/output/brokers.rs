//! `brokers.csv`: organisations ranked by how much of the network runs
//! through them.

use std::path::Path;

use super::bridges::regions_text;
use super::csv::{number, SafeCsv};
use super::Output;
use crate::report::Report;

/// `brokers.csv`.
pub struct BrokersCsv;

impl Output for BrokersCsv {
    fn name(&self) -> &'static str {
        "brokers.csv"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let b = &report.brokers;
        let mut csv = SafeCsv::create(
            &dir.join(self.name()),
            &[
                "rank",
                "id",
                "name",
                "kind",
                "region",
                "cluster",
                "betweenness",
                "articulation_point",
                "cut_off_size",
                "cut_off_regions",
                "constraint",
                "effective_size",
                "participation",
                "ties",
            ],
        )?;
        for (rank, &v) in b.ranking.iter().enumerate() {
            let v = v as usize;
            let o = &orgs[v];
            let cut = b.cut_off(v);
            csv.row([
                (rank + 1).to_string().as_str(),
                &o.id,
                &o.name,
                o.kind.as_str(),
                o.region_or_none(),
                &report.clusters.cluster[v]
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
                &number(b.betweenness[v], 6),
                if cut.is_some() { "yes" } else { "no" },
                &cut.map(|c| c.size).unwrap_or(0).to_string(),
                &cut.map(regions_text).unwrap_or_default(),
                &number(b.constraint[v], 4),
                &number(b.effective_size[v], 4),
                &number(b.participation[v], 4),
                &report.model.ties.csr.degree(v).to_string(),
            ])?;
        }
        csv.finish()
    }
}
