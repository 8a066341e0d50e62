//! The commands, as library functions the binary calls.

pub mod compare;
pub mod import;
pub mod init;
pub mod leads;
pub mod stages;

use std::path::{Path, PathBuf};

use crate::analysis;
use crate::config::{ClusterObjective, Config};
use crate::error::{Error, Result};
use crate::ingest::limits::Limits;
use crate::ingest::{self, LoadOptions};
use crate::layout;
use crate::model::{Dataset, Model};
use crate::output;
use crate::report::Report;
use crate::text::terminal;
use stages::Stages;
pub use stages::Timings;

/// Settings given on the command line, overriding `partnernet.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub seed: Option<u64>,
    pub resolution: Option<f64>,
    pub objective: Option<ClusterObjective>,
    pub runs: Option<usize>,
}

impl Overrides {
    fn apply(&self, config: &mut Config) {
        if let Some(seed) = self.seed {
            config.analysis.seed = seed;
        }
        if let Some(r) = self.resolution {
            config.clusters.resolution = r;
        }
        if let Some(o) = self.objective {
            config.clusters.objective = o;
        }
        if let Some(runs) = self.runs {
            config.clusters.runs = runs;
        }
    }
}

/// Options of `partnernet analyse`.
#[derive(Debug, Clone)]
pub struct AnalyseOptions {
    pub dataset: PathBuf,
    pub out: PathBuf,
    /// Settings that override `partnernet.toml`.
    pub overrides: Overrides,
    /// Whether each stage's time is printed to standard error, and whether
    /// the stages then run one after another.
    pub timings: Timings,
    /// Names that match no organisation are errors.
    pub strict: bool,
    /// How to draw the diagrams, and which network exports to write.
    pub outputs: output::OutputOptions,
    /// Also write what changed since this date (`changes.md`, `changes.csv`).
    pub since: Option<chrono::NaiveDate>,
}

/// How many warnings are printed to the terminal before they are only counted.
const WARNINGS_SHOWN: usize = 10;

/// Reads the dataset, checks its settings, prints its warnings and builds
/// the tie graph.
fn read_model(
    dataset: &Path,
    overrides: &Overrides,
    load: &LoadOptions,
    stages: &mut Stages,
) -> Result<Model> {
    let mut data = stages.run("ingest", || ingest::load(dataset, load))?;
    overrides.apply(&mut data.config);
    check_settings(&data.config)?;
    print_warnings(&data);
    Ok(stages.run("tie-graph", || Model::new(data)))
}

/// Reads the dataset and runs only what the leads need: betweenness (an
/// introducer's standing weighs it), the clusters (an introducer in the
/// lead's cluster is preferred) and the leads. They are the leads, in the
/// same order and with the same introducers, that [`run_analyses`] finds.
pub fn run_lead_analyses(
    dataset: &Path,
    overrides: &Overrides,
    stages: &mut Stages,
) -> Result<(Model, analysis::leads::Leads)> {
    let model = read_model(dataset, overrides, &LoadOptions::default(), stages)?;
    let components = stages.run("components", || analysis::components::components(&model));
    let (partition, centrality) = stages.lanes(
        "clusters and betweenness",
        |lane| lane.run("clusters", || analysis::clusters::partition(&model)),
        |lane| lane.run("betweenness", || analysis::brokers::centrality(&model)),
    );
    let best = stages.run("confidence", || {
        analysis::clusters::placement_confidence(&model, &partition)
    });
    drop(partition);
    let clusters = stages.run("cluster-labels", || best.clusters(&model, &components));
    let leads = stages.run("leads", || {
        analysis::leads::leads(
            &model,
            Some(&centrality.betweenness),
            Some(&clusters.cluster),
        )
    });
    Ok((model, leads))
}

/// Reads the dataset, runs every analysis and returns the report.
pub fn run_analyses(
    dataset: &Path,
    overrides: &Overrides,
    strict: bool,
    stages: &mut Stages,
) -> Result<Report> {
    let load = LoadOptions {
        strict,
        ..LoadOptions::default()
    };
    run_analyses_with(dataset, overrides, &load, stages)
}

/// [`run_analyses`], reading the dataset with `load`.
fn run_analyses_with(
    dataset: &Path,
    overrides: &Overrides,
    load: &LoadOptions,
    stages: &mut Stages,
) -> Result<Report> {
    let model = read_model(dataset, overrides, load, stages)?;
    let overview = stages.run("overview", || analysis::overview::overview(&model));
    let components = stages.run("components", || analysis::components::components(&model));
    // Two lanes of stages keep both cores busy. One Leiden run keeps only
    // one core busy, and the data-quality checks and betweenness need no
    // clusters, so they run beside it. (Measured on the generated
    // million-organisation movement: 2.3 s saved. Running the confidence
    // runs in the clusters' lane as well, beside betweenness, saved less:
    // both are limited by memory more than by the cores.)
    let (partition, (data_quality, centrality)) = stages.lanes(
        "clusters, data-quality and betweenness",
        |lane| lane.run("clusters", || analysis::clusters::partition(&model)),
        |lane| {
            let data_quality = lane.run("data-quality", || {
                analysis::data_quality::data_quality(&model)
            });
            let centrality = lane.run("betweenness", || analysis::brokers::centrality(&model));
            (data_quality, centrality)
        },
    );
    let best = stages.run("confidence", || {
        analysis::clusters::placement_confidence(&model, &partition)
    });
    // The confidence runs are done: keep only the best partition.
    drop(partition);
    let clusters = stages.run("cluster-labels", || best.clusters(&model, &components));
    // Leads need the brokers; the opportunities need only the clusters.
    let ((brokers, leads), opportunities) = stages.lanes(
        "brokers, leads and opportunities",
        |lane| {
            let cuts = lane.run("bridges", || {
                analysis::brokers::cuts(&model, Some(&clusters))
            });
            let brokers = lane.run("brokerage", || {
                analysis::brokers::brokers(&model, &components, Some(&clusters), centrality, cuts)
            });
            let leads = lane.run("leads", || {
                analysis::leads::leads(&model, Some(&brokers.betweenness), Some(&clusters.cluster))
            });
            (brokers, leads)
        },
        |lane| {
            lane.run("opportunities", || {
                analysis::opportunities::opportunities(&model, Some(&clusters))
            })
        },
    );
    let cold_leads = stages.run("cold-leads", || analysis::cold_leads::cold_leads(&model));
    let views = stages.run("views", || {
        analysis::views::views(&model, &clusters, &brokers, &leads)
    });
    Ok(Report {
        model,
        overview,
        components,
        clusters,
        brokers,
        leads,
        cold_leads,
        opportunities,
        views,
        data_quality,
        changes: None,
        network_layout: None,
    })
}

/// `partnernet analyse`: reads a dataset, analyses it and writes every output
/// into `out`, all or nothing.
pub fn analyse(options: &AnalyseOptions) -> Result<Report> {
    let mut stages = Stages::with_timings(options.timings);
    // Refusals about the results folder come before the long analysis.
    output::dir::check(&options.out, &options.dataset)?;
    // With --since, the dataset as recorded before the date is analysed
    // too: two snapshots at once, each within half the usual limits.
    let load = LoadOptions {
        strict: options.strict,
        limits: match options.since {
            Some(_) => Limits::for_two_snapshots(),
            None => Limits::ONE,
        },
    };
    let mut report = run_analyses_with(&options.dataset, &options.overrides, &load, &mut stages)?;
    if let Some(date) = options.since {
        let changes = compare::since(analysis::changes::Snapshot::of(&report), date, &mut stages);
        report.changes = Some(changes);
    }
    let diagrams = output::diagrams_output(&options.outputs);
    let exports = options.outputs.exports_for(report.model.orgs().len());
    let replaced = output::dir::replace_dir(&options.out, &options.dataset, |dir| {
        // Graphviz lays out and draws the network diagram, for its pictures
        // and for report.html's map, while the other diagrams are drawn.
        let (layout, drawn) = stages.lanes(
            "drawing the diagrams",
            |lane| lane.run("layout", || lay_out_network(&report, &diagrams)),
            |lane| {
                lane.run("diagrams", || {
                    diagrams.write_all_but_network_pictures(&report, dir)
                })
            },
        );
        report.network_layout = layout?;
        drawn?;
        stages.run("outputs", || output::write_all(&report, dir, &exports))?;
        stages.run("network-diagram", || {
            diagrams.write_network_pictures(&report, dir)
        })
    })?;
    stages.run("remove-previous", || replaced.remove_previous())?;
    stages.total();
    eprintln!(
        "{}",
        terminal(&format!(
            "Analysed {} and {}; the results are in {} (start with summary.md).",
            crate::text::plural(report.model.orgs().len(), "organisation", "organisations"),
            crate::text::plural(report.model.ties.edge_count(), "tie", "ties"),
            options.out.display()
        ))
    );
    if !exports.held_back.is_empty() {
        let files: Vec<&str> = exports.held_back.iter().map(|f| f.file_name()).collect();
        eprintln!(
            "The network exports ({}) were not written: above {} organisations they are written only when asked for, with --exports all or --exports gexf, for example (see summary.md).",
            files.join(", "),
            output::exports::EXPORTS_UP_TO
        );
    }
    Ok(report)
}

/// The `layout` stage: Graphviz lays out and draws the network diagram once,
/// for both the diagrams and `report.html`'s map. `None` without Graphviz.
fn lay_out_network(
    report: &Report,
    diagrams: &output::diagrams::Diagrams,
) -> anyhow::Result<Option<layout::NetworkLayout>> {
    if !layout::graphviz_available() {
        return Ok(None);
    }
    let (engine, dot) = diagrams.network_dot(report);
    let formats: Vec<&str> = diagrams.formats.iter().map(|f| f.as_str()).collect();
    layout::graphviz(&dot, engine.as_str(), &formats, &report.views.network.nodes).map(Some)
}

/// `partnernet validate`: reads a dataset and reports every problem. Returns
/// the number of warnings when there are no errors.
pub fn validate(dataset: &Path, strict: bool) -> Result<usize> {
    let load = LoadOptions {
        strict,
        ..LoadOptions::default()
    };
    let data = ingest::read(dataset, &load)?;
    if data.problems.has_errors() {
        return Err(Error::InvalidData(data.problems));
    }
    let problems = &data.problems;
    eprint!("{}", terminal(&problems.report()));
    for format in &data.formats {
        println!("{}", terminal(&format!("read {format}")));
    }
    println!(
        "{}",
        terminal(&format!(
            "{}: {} organisations, {} relations, {} interviews; no errors, {} warning(s).",
            dataset.display(),
            data.organisations.len(),
            data.relations.len(),
            data.interviews.len(),
            problems.all_warnings()
        ))
    );
    Ok(problems.all_warnings())
}

/// Settings that are well-formed but cannot be used: out of their range
/// after the command line's overrides (`--resolution`, `--runs`);
/// `partnernet.toml`'s own values are checked as it is read.
fn check_settings(config: &Config) -> Result<()> {
    let wrong = config.out_of_range();
    if wrong.is_empty() {
        return Ok(());
    }
    Err(Error::Other(anyhow::anyhow!(
        "settings that cannot be used: {}",
        wrong.join("; ")
    )))
}

fn print_warnings(data: &Dataset) {
    let items = data.problems.items();
    for p in items.iter().take(WARNINGS_SHOWN) {
        eprintln!("{}", terminal(&p.to_string()));
    }
    let more = items.len().saturating_sub(WARNINGS_SHOWN) + data.problems.dropped;
    if more > 0 {
        eprintln!("… and {more} more warnings (`partnernet validate` lists them all)");
    }
}
