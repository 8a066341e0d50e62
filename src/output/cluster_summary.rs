//! `cluster-summary.csv`: one row per cluster.

use std::path::Path;

use super::csv::{number, SafeCsv};
use super::Output;
use crate::report::Report;

/// `cluster-summary.csv`.
pub struct ClusterSummaryCsv;

impl Output for ClusterSummaryCsv {
    fn name(&self) -> &'static str {
        "cluster-summary.csv"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let mut csv = SafeCsv::create(
            &dir.join(self.name()),
            &[
                "cluster",
                "label",
                "size",
                "affiliates",
                "institutions",
                "main_region",
                "region_shares",
                "density",
                "internal_weight",
                "external_weight",
                "modularity_share",
                "members",
            ],
        )?;
        for c in &report.clusters.clusters {
            let n = c.members.len().max(1) as f64;
            let shares: Vec<String> = c
                .regions
                .iter()
                .map(|(r, k)| format!("{r} {}%", number(100.0 * *k as f64 / n, 0)))
                .collect();
            let members: Vec<&str> = c
                .members
                .iter()
                .take(20)
                .map(|&v| orgs[v as usize].name.as_str())
                .collect();
            let more = if c.members.len() > 20 {
                format!("; … {} more", c.members.len() - 20)
            } else {
                String::new()
            };
            csv.row([
                c.id.to_string().as_str(),
                &c.label,
                &c.members.len().to_string(),
                &c.affiliates.to_string(),
                &c.institutions.to_string(),
                &c.region,
                &shares.join("; "),
                &number(c.density, 4),
                &number(c.internal_weight, 4),
                &number(c.external_weight, 4),
                &number(c.modularity, 4),
                &format!("{}{more}", members.join("; ")),
            ])?;
        }
        csv.finish()
    }
}
