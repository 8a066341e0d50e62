//! `partnernet compare OLD NEW` and `partnernet analyse --since DATE`: two
//! snapshots of the movement analysed with the same settings and seed, and
//! what changed between them ([`crate::analysis::changes`]).

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::NaiveDate;

use super::stages::{Stages, Timings};
use super::{check_settings, print_warnings, Overrides};
use crate::analysis::brokers::Brokers;
use crate::analysis::changes::{self, Changes, Snapshot};
use crate::analysis::clusters::Clustering;
use crate::analysis::components::Components;
use crate::analysis::leads::Leads;
use crate::analysis::overview::Overview;
use crate::error::{Error, Result};
use crate::ingest::limits::Limits;
use crate::ingest::{self, LoadOptions};
use crate::model::{Dataset, Model};
use crate::output;

/// Options of `partnernet compare`.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// The earlier dataset.
    pub old: PathBuf,
    /// The later dataset; its settings (with `overrides`) analyse both.
    pub new: PathBuf,
    /// The folder to write `changes.md` and `changes.csv` into.
    pub out: PathBuf,
    pub overrides: Overrides,
    /// Whether each stage's time is printed to standard error, and whether
    /// the stages then run one after another.
    pub timings: Timings,
    /// Names that match no organisation are errors.
    pub strict: bool,
}

/// One snapshot's model and the analyses a comparison reads: those of
/// `analyse` but the pictures, the exports, the placement confidence, the
/// opportunities, the diagram views and the data-quality checks.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub model: Model,
    pub overview: Overview,
    pub components: Components,
    pub clusters: Clustering,
    pub brokers: Brokers,
    pub leads: Leads,
}

impl Analysed {
    /// The snapshot [`changes::changes`] reads.
    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot {
            model: &self.model,
            overview: &self.overview,
            components: &self.components,
            clusters: &self.clusters,
            brokers: &self.brokers,
            leads: &self.leads,
        }
    }
}

/// Runs the analyses a comparison reads, as `analyse` runs them (the same
/// clusters, brokers and leads for the same model and seed).
pub fn analyse_for_changes(model: Model, stages: &mut Stages) -> Analysed {
    let overview = stages.run("overview", || crate::analysis::overview::overview(&model));
    let components = stages.run("components", || {
        crate::analysis::components::components(&model)
    });
    let (partition, centrality) = stages.lanes(
        "clusters and betweenness",
        |lane| lane.run("clusters", || crate::analysis::clusters::partition(&model)),
        |lane| {
            lane.run("betweenness", || {
                crate::analysis::brokers::centrality(&model)
            })
        },
    );
    // The clusters shown are the best of all the runs, as in `analyse`.
    let best = stages.run("confidence", || {
        crate::analysis::clusters::placement_confidence(&model, &partition)
    });
    drop(partition);
    let clusters = stages.run("cluster-labels", || best.clusters(&model, &components));
    let cuts = stages.run("bridges", || {
        crate::analysis::brokers::cuts(&model, Some(&clusters))
    });
    let brokers = stages.run("brokerage", || {
        crate::analysis::brokers::brokers(&model, &components, Some(&clusters), centrality, cuts)
    });
    let leads = stages.run("leads", || {
        crate::analysis::leads::leads(&model, Some(&brokers.betweenness), Some(&clusters.cluster))
    });
    Analysed {
        model,
        overview,
        components,
        clusters,
        brokers,
        leads,
    }
}

/// Reads one of the two datasets, naming it (`OLD` or `NEW`) in its
/// warnings and errors.
fn read_named(which: &str, path: &Path, strict: bool, stages: &mut Stages) -> Result<Dataset> {
    let named = format!("the {which} dataset ({})", path.display());
    // Two snapshots at once: each within half the usual limits.
    let load = LoadOptions {
        strict,
        limits: Limits::for_two_snapshots(),
    };
    match stages.run("ingest", || ingest::load(path, &load)) {
        Ok(data) => {
            if !data.problems.is_empty() {
                eprintln!("Warnings in {named}:");
                print_warnings(&data);
            }
            Ok(data)
        }
        Err(Error::InvalidData(problems)) => {
            eprintln!("Errors in {named}:");
            Err(Error::InvalidData(problems))
        }
        Err(Error::Other(e)) => Err(Error::Other(e.context(format!("in {named}")))),
    }
}

/// Whether `out` is or lies inside `dataset`.
fn inside(out: &Path, dataset: &Path) -> bool {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (
        parent.canonicalize(),
        out.file_name(),
        dataset.canonicalize(),
    ) {
        (Ok(p), Some(name), Ok(d)) => p.join(name).starts_with(d),
        _ => false,
    }
}

/// `partnernet compare`: reads OLD and NEW, analyses both with NEW's
/// settings (and the command line's), and writes `changes.md` and
/// `changes.csv` into `out`, all or nothing. Nothing is written into either
/// dataset.
pub fn compare(options: &CompareOptions) -> Result<Changes> {
    let mut stages = Stages::with_timings(options.timings);
    let old_data = read_named("OLD", &options.old, options.strict, &mut stages)?;
    let mut new_data = read_named("NEW", &options.new, options.strict, &mut stages)?;
    options.overrides.apply(&mut new_data.config);
    check_settings(&new_data.config)?;
    if inside(&options.out, &options.old) {
        return Err(Error::Other(anyhow!(
            "the output folder {} is inside the OLD dataset folder {}; partnernet never writes into a dataset. Choose another --out, such as `changes`",
            options.out.display(),
            options.old.display()
        )));
    }
    let mut old_data = old_data;
    old_data.config = new_data.config.clone();
    let old_model = stages.run("tie-graph", || Model::new(old_data));
    let new_model = stages.run("tie-graph", || Model::new(new_data));
    let old = analyse_for_changes(old_model, &mut stages);
    let new = analyse_for_changes(new_model, &mut stages);
    let mut found = stages.run("changes", || {
        changes::changes(old.snapshot(), new.snapshot())
    });
    found.old_name = format!("{} (OLD)", options.old.display());
    found.new_name = format!("{} (NEW)", options.new.display());
    // The OLD dataset inside --out would go with the results folder too.
    output::dir::check(&options.out, &options.old)?;
    let replaced = output::dir::replace_dir(&options.out, &options.new, |dir| {
        stages.run("outputs", || {
            output::changes_md::write(&found, dir)?;
            output::changes_csv::write(&found, dir)
        })
    })?;
    stages.run("remove-previous", || replaced.remove_previous())?;
    stages.total();
    eprintln!(
        "Compared {} organisations before with {} now: {} changes; the results are in {} (start with changes.md).",
        old.model.orgs().len(),
        new.model.orgs().len(),
        found.changes.len(),
        options.out.display()
    );
    Ok(found)
}

/// The dataset as it was recorded before `date`: the relations dated before
/// it (a relation without a date takes its interview's date; one with
/// neither counts as known before), the interviews dated before it (or not
/// dated), the lead statuses updated before it (or not dated), and the
/// organisations that any of these name, with those that nothing names at
/// all. Organisations first named on or after `date` are left out.
pub fn recorded_before(data: &Dataset, date: NaiveDate) -> Dataset {
    let interview_date: foldhash::HashMap<&str, Option<NaiveDate>> = data
        .interviews
        .iter()
        .map(|i| (i.id.as_str(), i.date))
        .collect();
    let before = |d: Option<NaiveDate>| d.is_none_or(|d| d < date);
    let relation_date = |r: &crate::model::Relation| {
        r.date.or_else(|| {
            r.interview
                .as_deref()
                .and_then(|i| interview_date.get(i).copied().flatten())
        })
    };
    let n = data.organisations.len();
    // 0: named by nothing, 1: named only on or after the date, 2: named before.
    let mut named = vec![0u8; n];
    let mut mark = |v: u32, kept: bool| {
        let m = &mut named[v as usize];
        *m = (*m).max(if kept { 2 } else { 1 });
    };
    for r in &data.relations {
        let kept = before(relation_date(r));
        mark(r.source, kept);
        mark(r.target, kept);
    }
    for i in &data.interviews {
        mark(i.affiliate, before(i.date));
    }
    for s in &data.lead_status {
        mark(s.organisation, before(s.updated));
    }
    let mut index = vec![None; n];
    let mut organisations = Vec::new();
    for (v, o) in data.organisations.iter().enumerate() {
        if named[v] != 1 {
            index[v] = Some(organisations.len() as u32);
            organisations.push(o.clone());
        }
    }
    let at = |v: u32| index[v as usize];
    let relations = data
        .relations
        .iter()
        .filter(|r| before(relation_date(r)))
        .filter_map(|r| {
            let mut r = r.clone();
            r.source = at(r.source)?;
            r.target = at(r.target)?;
            Some(r)
        })
        .collect();
    let interviews = data
        .interviews
        .iter()
        .filter(|i| before(i.date))
        .filter_map(|i| {
            let mut i = i.clone();
            i.affiliate = at(i.affiliate)?;
            Some(i)
        })
        .collect();
    let lead_status = data
        .lead_status
        .iter()
        .filter(|s| before(s.updated))
        .filter_map(|s| {
            let mut s = s.clone();
            s.organisation = at(s.organisation)?;
            Some(s)
        })
        .collect();
    let unresolved = data
        .unresolved
        .iter()
        .filter_map(|u| {
            let mut u = u.clone();
            u.organisation = at(u.organisation)?;
            Some(u)
        })
        .collect();
    Dataset {
        root: data.root.clone(),
        files: data.files.clone(),
        sheets: data.sheets.clone(),
        formats: data.formats.clone(),
        organisations,
        relations,
        interviews,
        unresolved,
        lead_status,
        problems: Default::default(),
        config: data.config.clone(),
    }
}

/// `analyse --since DATE`: what changed between the dataset as recorded
/// before `date` ([`recorded_before`]) and the whole of it (`whole`, the
/// snapshot of the report `analyse` made).
pub fn since(whole: Snapshot, date: NaiveDate, stages: &mut Stages) -> Changes {
    let earlier = Model::new(recorded_before(&whole.model.dataset, date));
    let earlier = analyse_for_changes(earlier, stages);
    let mut found = stages.run("changes", || changes::changes(earlier.snapshot(), whole));
    found.old_name = format!("the data recorded before {date}");
    found.new_name = "all the data".into();
    found
}
