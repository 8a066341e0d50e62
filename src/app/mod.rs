//! The commands, as library functions the binary calls.

pub mod init;
pub mod stages;

use std::path::{Path, PathBuf};

use crate::analysis;
use crate::error::{Error, Result};
use crate::ingest::{self, LoadOptions};
use crate::model::{Dataset, Model};
use crate::output;
use crate::report::Report;
use stages::Stages;

/// Options of `partnernet analyse`.
#[derive(Debug, Clone)]
pub struct AnalyseOptions {
    pub dataset: PathBuf,
    pub out: PathBuf,
    /// Overrides the seed of `partnernet.toml`.
    pub seed: Option<u64>,
    /// Print each stage's time to standard error.
    pub timings: bool,
    /// Names that match no organisation are errors.
    pub strict: bool,
}

/// How many warnings are printed to the terminal before they are only counted.
const WARNINGS_SHOWN: usize = 10;

/// Reads the dataset, runs every analysis and returns the report.
pub fn run_analyses(
    dataset: &Path,
    seed: Option<u64>,
    strict: bool,
    stages: &mut Stages,
) -> Result<Report> {
    let mut data = stages.run("ingest", || ingest::load(dataset, &LoadOptions { strict }))?;
    if let Some(seed) = seed {
        data.config.analysis.seed = seed;
    }
    print_warnings(&data);
    let model = stages.run("tie-graph", || Model::new(data));
    let overview = stages.run("overview", || analysis::overview::overview(&model));
    let components = stages.run("components", || analysis::components::components(&model));
    Ok(Report {
        model,
        overview,
        components,
    })
}

/// `partnernet analyse`: reads a dataset, analyses it and writes every output
/// into `out`, all or nothing.
pub fn analyse(options: &AnalyseOptions) -> Result<Report> {
    let mut stages = Stages::new(options.timings);
    let report = run_analyses(&options.dataset, options.seed, options.strict, &mut stages)?;
    stages.run("outputs", || {
        output::dir::replace_dir(&options.out, &options.dataset, |dir| {
            output::write_all(&report, dir)
        })
    })?;
    eprintln!(
        "Analysed {} organisations and {} ties; the results are in {} (start with summary.md).",
        report.model.orgs().len(),
        report.model.ties.edge_count(),
        options.out.display()
    );
    Ok(report)
}

/// `partnernet validate`: reads a dataset and reports every problem. Returns
/// the number of warnings when there are no errors.
pub fn validate(dataset: &Path, strict: bool) -> Result<usize> {
    let data = ingest::read(dataset, &LoadOptions { strict })?;
    if data.problems.has_errors() {
        return Err(Error::InvalidData(data.problems));
    }
    let problems = &data.problems;
    eprint!("{}", problems.report());
    println!(
        "{}: {} organisations, {} relations, {} interviews; no errors, {} warning(s).",
        dataset.display(),
        data.organisations.len(),
        data.relations.len(),
        data.interviews.len(),
        problems.warnings() + problems.dropped
    );
    Ok(problems.warnings())
}

fn print_warnings(data: &Dataset) {
    let items = data.problems.items();
    for p in items.iter().take(WARNINGS_SHOWN) {
        eprintln!("{p}");
    }
    let more = items.len().saturating_sub(WARNINGS_SHOWN) + data.problems.dropped;
    if more > 0 {
        eprintln!("… and {more} more warnings (`partnernet validate` lists them all)");
    }
}
