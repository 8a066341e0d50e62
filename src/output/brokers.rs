//! `brokers.csv`: organisations ranked by how much of the network runs
//! through them.

use std::borrow::Cow;
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
        let csv = SafeCsv::create(
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
        csv.finish_with_rows(b.ranking.len(), |rank| {
            let v = b.ranking[rank] as usize;
            let o = &orgs[v];
            let cut = b.cut_off(v);
            [
                Cow::Owned((rank + 1).to_string()),
                o.id.as_str().into(),
                o.name.as_str().into(),
                o.kind.as_str().into(),
                o.region_or_none().into(),
                report.clusters.cluster[v]
                    .map(|c| c.to_string())
                    .unwrap_or_default()
                    .into(),
                number(b.betweenness[v], 6).into(),
                (if cut.is_some() { "yes" } else { "no" }).into(),
                cut.map(|c| c.size).unwrap_or(0).to_string().into(),
                cut.map(regions_text).unwrap_or_default().into(),
                number(b.constraint[v], 4).into(),
                number(b.effective_size[v], 4).into(),
                number(b.participation[v], 4).into(),
                report.model.ties.csr.degree(v).to_string().into(),
            ]
        })
    }
}
