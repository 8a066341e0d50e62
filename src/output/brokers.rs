//! `brokers.csv`: organisations ranked by how much of the network runs
//! through them.

use std::borrow::Cow;
use std::path::Path;

use super::bridges::regions_text;
use super::csv::{first_byte, number, SafeCsv};
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
        let (clusters, csr) = (&report.clusters.cluster, &report.model.ties.csr);
        // Ranked rows visit organisations in no order of memory.
        let touch = |rank: usize| {
            let v = b.ranking[rank] as usize;
            let o = &orgs[v];
            first_byte(&o.id)
                ^ first_byte(&o.name)
                ^ first_byte(o.region_or_none())
                ^ clusters[v].unwrap_or(0) as u64
                ^ b.betweenness[v].to_bits()
                ^ b.articulation_index[v].unwrap_or(0) as u64
                ^ b.constraint[v].to_bits()
                ^ b.effective_size[v].to_bits()
                ^ b.participation[v].to_bits()
                ^ csr.degree(v) as u64
        };
        csv.finish_with_rows_touching(b.ranking.len(), touch, |rank| {
            let v = b.ranking[rank] as usize;
            let o = &orgs[v];
            let cut = b.cut_off(v);
            [
                Cow::Owned((rank + 1).to_string()),
                o.id.as_str().into(),
                o.name.as_str().into(),
                o.kind.as_str().into(),
                o.region_or_none().into(),
                clusters[v]
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
                csr.degree(v).to_string().into(),
            ]
        })
    }
}
