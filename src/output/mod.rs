//! Outputs: each file format in one file of this module, behind the small
//! [`Output`] trait. Outputs only format what the [`Report`] holds; they
//! compute nothing. Adding a format means adding one file and one line to
//! [`outputs`].

pub mod bridges;
pub mod brokers;
pub mod changes_csv;
pub mod changes_md;
pub mod cluster_summary;
pub mod clusters;
pub mod csv;
pub mod data_quality;
pub mod diagrams;
pub mod dir;
pub mod exports;
pub mod file_names;
pub mod leads;
pub mod leads_md;
pub mod markdown;
pub mod opportunities;
pub mod report_html;
pub mod summary;
pub mod ties;
pub mod workbook;

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

/// Choices about the outputs.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    /// The picture formats of the diagrams (SVG by default).
    pub formats: Vec<diagrams::ImageFormat>,
    /// Forces a Graphviz layout program; by default it is chosen by size.
    pub engine: Option<diagrams::Engine>,
    /// The network exports to write; `None` (the default) is all of them
    /// for networks of up to [`exports::EXPORTS_UP_TO`] organisations and
    /// none above.
    pub exports: Option<Vec<exports::ExportFormat>>,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            formats: vec![diagrams::ImageFormat::Svg],
            engine: None,
            exports: None,
        }
    }
}

/// Which network exports a run writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPlan {
    /// Written, in [`exports::ExportFormat::ALL`] order.
    pub written: Vec<exports::ExportFormat>,
    /// Left out because the network is large and none were asked for; the
    /// summary and the command say how to get them.
    pub held_back: Vec<exports::ExportFormat>,
}

impl OutputOptions {
    /// The exports to write for a network of `organisations` organisations.
    ///
    /// ```
    /// use partnernet::output::OutputOptions;
    /// use partnernet::output::exports::ExportFormat;
    /// let automatic = OutputOptions::default();
    /// assert_eq!(automatic.exports_for(200_000).written.len(), 3);
    /// assert_eq!(automatic.exports_for(200_001).written, vec![]);
    /// assert_eq!(automatic.exports_for(200_001).held_back.len(), 3);
    /// let gephi = OutputOptions { exports: Some(vec![ExportFormat::Gexf]), ..automatic };
    /// assert_eq!(gephi.exports_for(1_000_000).written, vec![ExportFormat::Gexf]);
    /// assert_eq!(gephi.exports_for(1_000_000).held_back, vec![]);
    /// ```
    pub fn exports_for(&self, organisations: usize) -> ExportPlan {
        match &self.exports {
            Some(asked) => ExportPlan {
                written: exports::ExportFormat::ALL
                    .into_iter()
                    .filter(|f| asked.contains(f))
                    .collect(),
                held_back: Vec::new(),
            },
            None if organisations > exports::EXPORTS_UP_TO => ExportPlan {
                written: Vec::new(),
                held_back: exports::ExportFormat::ALL.to_vec(),
            },
            None => ExportPlan {
                written: exports::ExportFormat::ALL.to_vec(),
                held_back: Vec::new(),
            },
        }
    }
}

/// Every output `analyse` writes but the diagrams (see [`diagrams_output`]),
/// with the network exports of `plan`, the longest to write first, so that
/// writing them in parallel ends together.
pub fn outputs(plan: &ExportPlan) -> Vec<Box<dyn Output>> {
    // The exports are the largest files, and `plan` lists them largest first.
    let mut all: Vec<Box<dyn Output>> = plan.written.iter().map(|f| f.output()).collect();
    all.extend::<Vec<Box<dyn Output>>>(vec![
        Box::new(leads::LeadsSplit),
        Box::new(brokers::BrokersCsv),
        Box::new(ties::TiesCsv),
        Box::new(clusters::ClustersCsv),
        Box::new(opportunities::OpportunitiesCsv),
        Box::new(leads::LeadsCsv),
        Box::new(bridges::BridgesCsv),
        Box::new(summary::Summary {
            exports_held_back: plan.held_back.clone(),
        }),
        Box::new(cluster_summary::ClusterSummaryCsv),
        Box::new(leads_md::LeadsMarkdown),
        Box::new(data_quality::DataQualityReport),
        Box::new(report_html::ReportHtml),
        Box::new(workbook::ResultsWorkbook),
        Box::new(changes_md::ChangesMarkdown),
        Box::new(changes_csv::ChangesCsv),
    ]);
    all
}

/// The diagrams: drawing them takes longer than writing every other output,
/// so `analyse` times them as a stage of their own.
pub fn diagrams_output(options: &OutputOptions) -> diagrams::Diagrams {
    diagrams::Diagrams {
        formats: options.formats.clone(),
        engine: options.engine,
    }
}

/// Writes every output but the diagrams into `dir`, in parallel, with the
/// network exports of `plan`. The first failure is returned.
pub fn write_all(report: &Report, dir: &Path, plan: &ExportPlan) -> anyhow::Result<()> {
    outputs(plan)
        .par_iter()
        .map(|o| o.write(report, dir))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Items formatted per chunk by [`write_chunks`].
const CHUNK: usize = 2048;
/// Chunks formatted at once: bounds the memory held.
const BATCH: usize = 32;

/// Formats items `0..count` a chunk at a time, the chunks in parallel, and
/// hands each chunk's bytes to `write` in order: the bytes are the same as
/// formatting the items one after the other, whatever the number of threads,
/// and only a batch of chunks is held in memory. Large tables and exports
/// use it.
pub(crate) fn write_chunks(
    count: usize,
    format: impl Fn(std::ops::Range<usize>) -> std::io::Result<Vec<u8>> + Sync,
    mut write: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let chunks = count.div_ceil(CHUNK);
    for first in (0..chunks).step_by(BATCH) {
        let buffers: Vec<Vec<u8>> = (first..(first + BATCH).min(chunks))
            .into_par_iter()
            .map(|c| format(c * CHUNK..((c + 1) * CHUNK).min(count)))
            .collect::<std::io::Result<_>>()?;
        for buf in buffers {
            write(&buf)?;
        }
    }
    Ok(())
}
