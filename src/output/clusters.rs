//! `clusters.csv`: every organisation with its cluster and how sure the
//! placement is.

use std::borrow::Cow;
use std::path::Path;

use super::csv::{number, SafeCsv};
use super::Output;
use crate::analysis::clusters::SHAKY_CONFIDENCE;
use crate::report::Report;

/// `clusters.csv`.
pub struct ClustersCsv;

impl Output for ClustersCsv {
    fn name(&self) -> &'static str {
        "clusters.csv"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let c = &report.clusters;
        let csv = SafeCsv::create(
            &dir.join(self.name()),
            &[
                "id",
                "name",
                "kind",
                "region",
                "cluster",
                "cluster_label",
                "confidence",
                "component",
                "note",
            ],
        )?;
        let orgs = report.model.orgs();
        csv.finish_with_rows(orgs.len(), |v| {
            let o = &orgs[v];
            let component = report.components.membership[v];
            let (cluster, label, note) = match c.cluster[v] {
                Some(k) if c.confidence[v] < SHAKY_CONFIDENCE => (
                    k.to_string(),
                    c.clusters[k as usize].label.as_str(),
                    "shaky: placed elsewhere in many runs",
                ),
                Some(k) => (k.to_string(), c.clusters[k as usize].label.as_str(), ""),
                None if report.components.sizes[component as usize] == 1 => {
                    (String::new(), "", "no ties")
                }
                None => (String::new(), "", "small group cut off from the rest"),
            };
            [
                Cow::Borrowed(o.id.as_str()),
                o.name.as_str().into(),
                o.kind.as_str().into(),
                o.region_or_none().into(),
                cluster.into(),
                label.into(),
                number(c.confidence[v], 2).into(),
                component.to_string().into(),
                note.into(),
            ]
        })
    }
}
