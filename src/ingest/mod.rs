//! Ingest and validation: a dataset folder becomes a [`Dataset`].
//!
//! A dataset is a folder holding `organisations.csv` and `relations.csv`
//! (required), `interviews.csv` and `partnernet.toml` (optional). Reading
//! collects every problem of every file before it reports them, each naming
//! the file, line, column and value. Nothing is ever written into the folder.

mod controls;
pub mod csv;
pub mod fields;
pub mod files;
pub mod names;
pub mod notes;
pub mod regions;
pub mod resolver;
mod rows;
pub mod table;

use std::path::Path;

use anyhow::anyhow;

use crate::config::Config;
use crate::error::{Error, Problem, Problems, Result};
use crate::model::Dataset;
use names::{IdTable, NameIndex};
pub use resolver::Resolver;
use rows::{read_interviews, read_lead_status, read_organisations, read_relations};
use table::Table;

pub const ORGANISATIONS: &str = "organisations.csv";
pub const RELATIONS: &str = "relations.csv";
pub const INTERVIEWS: &str = "interviews.csv";
pub const LEAD_STATUS: &str = "lead-status.csv";

pub const ORGANISATION_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "country",
    "region",
    "wikidata",
    "aliases",
    "digitisation",
];
pub const RELATION_COLUMNS: &[&str] = &[
    "source",
    "target",
    "kind",
    "date",
    "interview",
    "weight",
    "note",
];
pub const LEAD_STATUS_COLUMNS: &[&str] = &["id", "status", "owner", "updated", "note"];
pub const INTERVIEW_COLUMNS: &[&str] = &["id", "date", "affiliate", "needs", "offers", "notes"];

/// How strictly to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Names that match no organisation are errors rather than warnings.
    pub strict: bool,
}

/// Reads and validates a dataset. Data problems that are errors give
/// [`Error::InvalidData`] with every problem found; warnings stay in
/// [`Dataset::problems`].
pub fn load(dir: &Path, options: &LoadOptions) -> Result<Dataset> {
    let dataset = read(dir, options)?;
    if dataset.problems.has_errors() {
        return Err(Error::InvalidData(dataset.problems));
    }
    Ok(dataset)
}

/// Reads a dataset and collects its problems, errors included, without
/// failing on them. Fails only when the folder itself cannot be read.
pub fn read(dir: &Path, options: &LoadOptions) -> Result<Dataset> {
    if !dir.is_dir() {
        return Err(Error::Other(anyhow!(
            "the dataset folder {} does not exist; give the folder that holds {ORGANISATIONS} and {RELATIONS} (`partnernet init FOLDER` makes an empty one)",
            dir.display()
        )));
    }
    let mut problems = Problems::default();
    let config = Config::load(dir, &mut problems);
    let mut dataset = Dataset {
        root: dir.to_path_buf(),
        config,
        ..Dataset::default()
    };

    let org_path = dir.join(ORGANISATIONS);
    if let Some(t) = open_required(
        &org_path,
        &["id", "name", "kind"],
        ORGANISATION_COLUMNS,
        &mut problems,
    ) {
        let file = push_file(&mut dataset, &org_path);
        read_organisations(&t, file, &mut dataset.organisations, &mut problems);
    }

    let index = drop_duplicate_ids(&mut dataset, &mut problems);
    let mut resolver = Resolver::new(index, dataset.organisations.len(), options.strict);

    let interview_path = dir.join(INTERVIEWS);
    let mut has_interviews = false;
    if interview_path.exists() {
        if let Some(t) = csv::read(
            &interview_path,
            &["id", "affiliate"],
            &INTERVIEW_COLUMNS.join(","),
            &mut problems,
        ) {
            let file = push_file(&mut dataset, &interview_path);
            read_interviews(&t, file, &mut dataset, &mut resolver, &mut problems);
            has_interviews = true;
        }
    }

    notes::read_notes(dir, &mut dataset, &mut resolver, &mut problems);
    // The ids of the interviews, of interviews.csv and of the notes.
    let interview_ids = has_interviews.then(|| {
        let ids: Vec<&[u8]> = dataset.interviews.iter().map(|i| i.id.as_bytes()).collect();
        IdTable::build(&ids).0
    });

    let rel_path = dir.join(RELATIONS);
    if let Some(t) = open_required(
        &rel_path,
        &["source", "target", "kind"],
        RELATION_COLUMNS,
        &mut problems,
    ) {
        let file = push_file(&mut dataset, &rel_path);
        read_relations(
            &t,
            file,
            &mut dataset,
            &mut resolver,
            interview_ids.as_ref(),
            &mut problems,
        );
    }

    let status_path = dir.join(LEAD_STATUS);
    if status_path.exists() {
        resolver.fold(&dataset.organisations);
        if let Some(t) = csv::read(
            &status_path,
            &["id", "status"],
            &LEAD_STATUS_COLUMNS.join(","),
            &mut problems,
        ) {
            let file = push_file(&mut dataset, &status_path);
            read_lead_status(&t, file, &mut dataset, &resolver, &mut problems);
        }
    }

    notes::merge_duplicates(&mut dataset.relations);
    resolver.finish(&mut dataset, &mut problems);
    if dataset.organisations.is_empty() && !problems.has_errors() {
        problems.push(Problem::warning(
            &org_path,
            None,
            "there are no organisations yet; add one row per affiliate and partner institution",
        ));
    }
    dataset.problems = problems;
    Ok(dataset)
}

/// Opens a file every dataset needs; a missing file is a problem.
fn open_required(
    path: &Path,
    required: &[&str],
    columns: &[&str],
    problems: &mut Problems,
) -> Option<Table> {
    if !path.exists() {
        problems.push(Problem::error(
            path,
            None,
            format!(
                "the file is missing; every dataset needs it, with the header {}",
                columns.join(",")
            ),
        ));
        return None;
    }
    csv::read(path, required, &columns.join(","), problems)
}

fn push_file(dataset: &mut Dataset, path: &Path) -> u32 {
    dataset.files.push(path.to_path_buf());
    (dataset.files.len() - 1) as u32
}

/// Reports organisations whose id is already used and removes them, keeping
/// the first. Returns the index of the remaining organisations.
fn drop_duplicate_ids(dataset: &mut Dataset, problems: &mut Problems) -> NameIndex {
    let (index, duplicates) = NameIndex::ids_only(&dataset.organisations);
    if duplicates.is_empty() {
        return index;
    }
    let mut drop = vec![false; dataset.organisations.len()];
    for (dup, first) in duplicates {
        let (d, f) = (&dataset.organisations[dup], &dataset.organisations[first]);
        let file = &dataset.files[d.origin.file as usize];
        problems.push(
            Problem::error(
                file,
                Some(d.origin.line),
                format!(
                    "the id is already used on line {}; ids must be unique",
                    f.origin.line
                ),
            )
            .at("id", &d.id),
        );
        drop[dup] = true;
    }
    let mut k = 0;
    dataset.organisations.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
    NameIndex::ids_only(&dataset.organisations).0
}
