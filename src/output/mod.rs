//! Outputs: each file format in one file of this module, behind the small
//! [`Output`] trait. Outputs only format what the [`Report`] holds; they
//! compute nothing. Adding a format means adding one file and one line to
//! [`outputs`].

pub mod bridges;
pub mod brokers;
pub mod cluster_summary;
pub mod clusters;
pub mod csv;
pub mod dir;
pub mod markdown;
pub mod summary;
pub mod ties;

use std::path::Path;

use rayon::prelude::*;

use crate::report::Report;

/// One output of `partnernet analyse`.
pub trait Output: Sync {
    /// The file or folder it writes, relative to the output folder.
    fn name(&self) -> &'static str;
    /// Writes the output into `dir`.
    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()>;
}

/// Every output `analyse` writes.
pub fn outputs() -> Vec<Box<dyn Output>> {
    vec![
        Box::new(summary::Summary),
        Box::new(ties::TiesCsv),
        Box::new(clusters::ClustersCsv),
        Box::new(cluster_summary::ClusterSummaryCsv),
        Box::new(bridges::BridgesCsv),
        Box::new(brokers::BrokersCsv),
    ]
}

/// Writes every output into `dir`, in parallel. The first failure is returned.
pub fn write_all(report: &Report, dir: &Path) -> anyhow::Result<()> {
    outputs()
        .par_iter()
        .map(|o| o.write(report, dir))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}
