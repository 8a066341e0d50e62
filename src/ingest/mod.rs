//! Ingest and validation: a dataset folder becomes a [`Dataset`].
//!
//! A dataset is a folder holding `organisations.csv` and `relations.csv`
//! (required), `interviews.csv` and `partnernet.toml` (optional). Reading
//! collects every problem of every file before it reports them, each naming
//! the file, line, column and value. Nothing is ever written into the folder.

pub mod canonical;
mod controls;
pub mod csv;
pub mod fields;
pub mod files;
pub mod limits;
pub mod names;
pub mod notes;
pub mod regions;
pub mod resolver;
pub mod rows;
mod sums;
pub mod table;
pub mod wikidata;
pub mod words;
pub mod workbook;

use std::path::Path;

use anyhow::anyhow;

use crate::config::Config;
use crate::error::{Error, Problem, Problems, Result, Severity};
use crate::model::Dataset;
use names::{IdTable, NameIndex};
pub use resolver::Resolver;
use rows::{read_interviews, read_lead_status, read_organisations, read_relations, Rules};
use table::Table;
use words::Words;

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
    /// How much the dataset may hold ([`limits::Limits::ONE`] by default).
    pub limits: limits::Limits,
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

/// One table of a dataset: its file name as CSV, the sheet names it may
/// go by in a workbook, its columns and the ones it needs.
struct TableSpec {
    csv: &'static str,
    sheets: &'static [&'static str],
    columns: &'static [&'static str],
    required: &'static [&'static str],
    /// The columns that hold dates (a number there, in a workbook, is a
    /// date serial).
    dates: &'static [&'static str],
    needed: bool,
}

const ORGANISATIONS_TABLE: TableSpec = TableSpec {
    csv: ORGANISATIONS,
    sheets: &["organisations", "organizations"],
    columns: ORGANISATION_COLUMNS,
    required: &["id", "name", "kind"],
    dates: &[],
    needed: true,
};
const RELATIONS_TABLE: TableSpec = TableSpec {
    csv: RELATIONS,
    sheets: &["relations"],
    columns: RELATION_COLUMNS,
    required: &["source", "target", "kind"],
    dates: &["date"],
    needed: true,
};
const INTERVIEWS_TABLE: TableSpec = TableSpec {
    csv: INTERVIEWS,
    sheets: &["interviews"],
    columns: INTERVIEW_COLUMNS,
    required: &["id", "affiliate"],
    dates: &["date"],
    needed: false,
};
const LEAD_STATUS_TABLE: TableSpec = TableSpec {
    csv: LEAD_STATUS,
    sheets: &["lead-status", "lead status", "leads status", "status"],
    columns: LEAD_STATUS_COLUMNS,
    required: &["id", "status"],
    dates: &["updated"],
    needed: false,
};

/// The workbook file names a dataset workbook may have.
pub const DATASET_WORKBOOKS: &[&str] = &["partnernet.xlsx", "partnernet.ods"];

/// The files of a dataset folder, found once: which readers to ask for
/// each table.
struct Sources {
    dir: std::path::PathBuf,
    /// The entries of the folder that are not folders, sorted.
    files: Vec<std::path::PathBuf>,
    /// The workbook holding the whole dataset (one sheet per table), if any.
    dataset_workbook: Option<(std::path::PathBuf, Vec<String>)>,
    /// The CSV encoding setting.
    encoding: String,
}

impl Sources {
    fn find(dir: &Path, config: &Config, problems: &mut Problems) -> Sources {
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    // Not only ordinary files: a named pipe or a link to a
                    // device named as a table is refused by its reader, by name.
                    .filter(|p| !p.is_dir())
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let tables = [
            &ORGANISATIONS_TABLE,
            &RELATIONS_TABLE,
            &INTERVIEWS_TABLE,
            &LEAD_STATUS_TABLE,
        ];
        // Workbooks not named after one table (those are per-table workbooks).
        let mut workbooks: Vec<std::path::PathBuf> = files
            .iter()
            .filter(|p| workbook::is_workbook(p) && !is_lock_file(p))
            .filter(|p| !tables.iter().any(|t| table_file(p, t).is_some()))
            .cloned()
            .collect();
        workbooks.sort();
        let named: Vec<&std::path::PathBuf> = workbooks
            .iter()
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| DATASET_WORKBOOKS.iter().any(|d| d.eq_ignore_ascii_case(n)))
            })
            .collect();
        let chosen = match (named.len(), workbooks.len()) {
            (1, _) => Some(named[0].clone()),
            (0, 1) => Some(workbooks[0].clone()),
            (0, 0) => None,
            _ => {
                let has_csv = files
                    .iter()
                    .any(|p| table_file(p, &ORGANISATIONS_TABLE) == Some(true));
                if !has_csv {
                    problems.push(Problem::error(
                        dir,
                        None,
                        format!(
                            "the folder holds several workbooks ({}); keep the dataset in one, named partnernet.xlsx, or one per table (organisations.xlsx, relations.xlsx...)",
                            workbooks
                                .iter()
                                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                None
            }
        };
        let dataset_workbook = chosen.and_then(|path| {
            let sheets = workbook::sheet_names(&path, problems)?;
            Some((path, sheets))
        });
        Sources {
            dir: dir.to_path_buf(),
            files,
            dataset_workbook,
            encoding: config.input.encoding.clone(),
        }
    }

    /// Whether the dataset has the table at all.
    fn has(&self, spec: &TableSpec) -> bool {
        !self.text_files(spec).is_empty()
            || !self.table_workbooks(spec).is_empty()
            || self.sheet_of(spec).is_some()
    }

    /// The text files named after the table (`relations.csv`, and see
    /// [`table_file`]).
    fn text_files(&self, spec: &TableSpec) -> Vec<std::path::PathBuf> {
        self.files
            .iter()
            .filter(|p| table_file(p, spec) == Some(true))
            .cloned()
            .collect()
    }

    /// The workbooks named after the table (`relations.xlsx`...).
    fn table_workbooks(&self, spec: &TableSpec) -> Vec<std::path::PathBuf> {
        self.files
            .iter()
            .filter(|p| table_file(p, spec) == Some(false))
            .cloned()
            .collect()
    }

    /// The text files and workbooks of the folder whose names are close to
    /// the table's (`organisation.csv`, `organisatons.xlsx`) without being
    /// one of them, by name.
    fn near_misses(&self, spec: &TableSpec) -> Vec<String> {
        let fold = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, ' ' | '-' | '_'))
                .flat_map(char::to_lowercase)
                .collect()
        };
        let wanted: Vec<String> = std::iter::once(spec.csv.trim_end_matches(".csv"))
            .chain(spec.sheets.iter().copied())
            .map(fold)
            .collect();
        self.files
            .iter()
            .filter(|p| !is_lock_file(p))
            .filter_map(|p| {
                let name = p.file_name()?.to_str()?;
                let lower = name.to_lowercase();
                let (stem, ext) = lower.rsplit_once('.')?;
                let table_like = matches!(ext, "csv" | "tsv" | "txt")
                    || workbook::WORKBOOK_EXTENSIONS.contains(&ext);
                let stem = fold(stem.trim_end_matches(".csv"));
                let close = wanted.iter().any(|w| {
                    rapidfuzz::distance::jaro_winkler::similarity(stem.chars(), w.chars()) >= 0.88
                });
                (table_like && close).then(|| name.to_string())
            })
            .collect()
    }

    /// The sheet of the dataset workbook named after the table.
    fn sheet_of(&self, spec: &TableSpec) -> Option<(&Path, &String)> {
        let (path, sheets) = self.dataset_workbook.as_ref()?;
        workbook::find_sheet(sheets, spec.sheets).map(|s| (path.as_path(), s))
    }

    /// Opens the table through the reader of the form it is in; a needed
    /// table that is missing, or a table given twice, is a problem.
    fn open(&self, spec: &TableSpec, problems: &mut Problems) -> Option<Table> {
        let expected = spec.columns.join(",");
        let texts = self.text_files(spec);
        let csv_path = texts
            .first()
            .cloned()
            .unwrap_or_else(|| self.dir.join(spec.csv));
        let books = self.table_workbooks(spec);
        let mut forms: Vec<String> = texts
            .iter()
            .chain(&books)
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let mut sheet = self.sheet_of(spec);
        if let Some((path, s)) = sheet {
            forms.push(format!(
                "{}, sheet {s}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
        // A table in both the CSV file and a workbook (as `init` leaves
        // them): the one holding no rows yet does not count.
        let mut csv_given = !texts.is_empty();
        if forms.len() == 2 && texts.len() == 1 && books.is_empty() {
            if let Some((path, s)) = sheet {
                if !csv_has_rows(&csv_path) {
                    forms.remove(0);
                    csv_given = false;
                } else if !workbook::has_rows(path, s) {
                    forms.pop();
                    sheet = None;
                }
            }
        }
        match forms.len() {
            0 => {
                if spec.needed {
                    let near = self.near_misses(spec);
                    let hint = if near.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " The folder holds {}: if that is the table, rename it to {}.",
                            near.join(", "),
                            spec.csv
                        )
                    };
                    problems.push(Problem::error(
                        &csv_path,
                        None,
                        format!(
                            "the file is missing; every dataset needs it (or a workbook {}.xlsx, or a sheet {} in partnernet.xlsx), with the header {expected}.{hint}",
                            spec.csv.trim_end_matches(".csv"),
                            spec.sheets[0]
                        ),
                    ));
                }
                None
            }
            1 if csv_given => csv::read(
                &csv_path,
                spec.required,
                &expected,
                Some(&self.encoding),
                problems,
            ),
            1 if !books.is_empty() => {
                let path = &books[0];
                let sheets = workbook::sheet_names(path, problems)?;
                let name = workbook::find_sheet(&sheets, spec.sheets)
                    .or(sheets.first())
                    .cloned();
                let Some(name) = name else {
                    problems.push(Problem::error(path, None, "the workbook has no sheet"));
                    return None;
                };
                workbook::read(path, &name, spec.required, spec.dates, &expected, problems)
            }
            1 => {
                let (path, name) = sheet?;
                workbook::read(path, name, spec.required, spec.dates, &expected, problems)
            }
            _ => {
                problems.push(Problem::error(
                    &csv_path,
                    None,
                    format!(
                        "the table is given more than once: {}; keep one of them (move or rename the others) so that it is clear which is meant",
                        forms.join(" and ")
                    ),
                ));
                None
            }
        }
    }
}

/// Whether `path` is an office program's lock file (`~$data.xlsx`,
/// `.~lock.data.xlsx#`), written beside a workbook while it is open.
fn is_lock_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with("~$") || name.starts_with(".~lock")
}

/// Whether `path` is named after the table `spec`: `Some(true)` for a text
/// table (`.csv`, `.tsv`, `.txt`, which Excel's "Unicode Text" and "Text"
/// write, and `.csv.txt`, what Windows makes of a CSV file saved with file
/// extensions hidden), `Some(false)` for a workbook, `None` otherwise. The
/// name is compared as sheet names are (case, spaces, `-` and `_`
/// forgiven; `Organizations.csv`, `Lead status.xlsx`).
fn table_file(path: &Path, spec: &TableSpec) -> Option<bool> {
    if is_lock_file(path) {
        return None;
    }
    let name = path.file_name()?.to_str()?.to_lowercase();
    let (stem, text) = if let Some(stem) = name.strip_suffix(".csv.txt") {
        (stem, true)
    } else {
        let (stem, ext) = name.rsplit_once('.')?;
        if matches!(ext, "csv" | "tsv" | "txt") {
            (stem, true)
        } else if workbook::WORKBOOK_EXTENSIONS.contains(&ext) {
            (stem, false)
        } else {
            return None;
        }
    };
    let names =
        std::iter::once(spec.csv.trim_end_matches(".csv")).chain(spec.sheets.iter().copied());
    workbook::is_sheet_named(stem, &names.collect::<Vec<_>>()).then_some(text)
}

/// Whether the CSV file holds any data row (a line after the header that is
/// neither blank nor a `#` comment), judged by its first 64 KiB.
fn csv_has_rows(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let Ok(file) = std::fs::File::open(path) else {
        return true;
    };
    if file.take(64 << 10).read_to_end(&mut head).is_err() {
        return true;
    }
    let text = String::from_utf8_lossy(&head);
    text.lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .nth(1)
        .is_some()
}

/// The column that keeps an affiliate's subtype (`chapter`, `user group`,
/// `thematic organisation`) when its kind was written as the subtype.
pub const AFFILIATE_TYPE: &str = "affiliate_type";

/// Reads a dataset and collects its problems, errors included, without
/// failing on them. Fails only when the folder itself cannot be read.
pub fn read(dir: &Path, options: &LoadOptions) -> Result<Dataset> {
    if dir.is_file() {
        let folder = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        return Err(Error::Other(anyhow!(
            "{} is a file, not a folder; give the folder that holds the dataset's files instead: {}",
            dir.display(),
            folder.display()
        )));
    }
    if !dir.is_dir() {
        return Err(Error::Other(anyhow!(
            "the dataset folder {} does not exist; give the folder that holds {ORGANISATIONS} and {RELATIONS} (`partnernet init FOLDER` makes an empty one)",
            dir.display()
        )));
    }
    let mut problems = Problems::default();
    let config = Config::load(dir, &mut problems);
    let rules = Rules {
        words: Words::new(
            &config.vocabulary,
            &dir.join(crate::config::CONFIG_FILE),
            &mut problems,
        ),
        date_order: config.input.date_order,
        limits: options.limits,
    };
    let sources = Sources::find(dir, &config, &mut problems);
    let mut dataset = Dataset {
        root: dir.to_path_buf(),
        config,
        ..Dataset::default()
    };

    let org_path = dir.join(ORGANISATIONS);
    let organisations_read = match sources.open(&ORGANISATIONS_TABLE, &mut problems) {
        Some(t) => {
            let file = push_table(&mut dataset, &t);
            read_organisations(&t, file, &rules, &mut dataset.organisations, &mut problems);
            true
        }
        None => false,
    };

    let index = drop_duplicate_ids(&mut dataset, &mut problems);
    report_case_variants(&dataset, &index, &mut problems);
    let mut resolver = Resolver::new(index, dataset.organisations.len(), options.strict);

    let mut has_interviews = false;
    if sources.has(&INTERVIEWS_TABLE) {
        if let Some(t) = sources.open(&INTERVIEWS_TABLE, &mut problems) {
            let file = push_table(&mut dataset, &t);
            read_interviews(&t, file, &rules, &mut dataset, &mut resolver, &mut problems);
            has_interviews = true;
        }
    }

    notes::read_notes(dir, &rules, &mut dataset, &mut resolver, &mut problems);
    // The ids of the interviews, of interviews.csv and of the notes.
    let interview_ids = has_interviews.then(|| {
        let ids: Vec<&[u8]> = dataset.interviews.iter().map(|i| i.id.as_bytes()).collect();
        IdTable::build(&ids).0
    });

    if let Some(t) = sources.open(&RELATIONS_TABLE, &mut problems) {
        let file = push_table(&mut dataset, &t);
        read_relations(
            &t,
            file,
            &rules,
            &mut dataset,
            &mut resolver,
            interview_ids.as_ref(),
            &mut problems,
        );
    }

    if sources.has(&LEAD_STATUS_TABLE) {
        resolver.fold(&dataset.organisations);
        if let Some(t) = sources.open(&LEAD_STATUS_TABLE, &mut problems) {
            let file = push_table(&mut dataset, &t);
            read_lead_status(&t, file, &rules, &mut dataset, &resolver, &mut problems);
        }
    }

    if organisations_read {
        resolver.finish(&mut dataset, &mut problems);
    } else {
        // Without the organisations table (its error is reported), every
        // name would be unknown: saying so of each is noise, not news.
        resolver.finish(&mut dataset, &mut Problems::default());
    }
    // After the names' problems, which matter more than likely repeats.
    let notes_dir = dir.join(notes::NOTES_DIR);
    let note_file: Vec<bool> = dataset
        .files
        .iter()
        .map(|f| f.starts_with(&notes_dir))
        .collect();
    let mut relations = std::mem::take(&mut dataset.relations);
    notes::merge_duplicates(&mut relations, &note_file, &dataset, &mut problems);
    dataset.relations = relations;
    sums::check(&dataset, &mut problems);
    // The same data in any row order makes the same dataset from here on.
    canonical::canonical_order(&mut dataset);
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

/// Records the file a table was read from (and how, for `validate`).
fn push_table(dataset: &mut Dataset, table: &Table) -> u32 {
    let name = table.place().display(None);
    let name = name
        .strip_prefix(&format!("{}/", dataset.root.display()))
        .unwrap_or(&name)
        .to_string();
    if !table.read_as.is_empty() {
        dataset.formats.push(format!("{name}: {}", table.read_as));
    }
    dataset.files.push(table.path.clone());
    let file = (dataset.files.len() - 1) as u32;
    if let Some(sheet) = &table.sheet {
        dataset.sheets.insert(
            file,
            crate::model::SheetSource {
                sheet: sheet.clone(),
                headers: table.headers.clone(),
            },
        );
    }
    file
}

/// Warns of ids that differ only in case, accents or spacing: a reference
/// written in a third way (`Wm-Se` for `wm-se` and `WM-SE`) cannot be
/// settled and is an error, so the pair is worth a look.
fn report_case_variants(dataset: &Dataset, index: &NameIndex, problems: &mut Problems) {
    for group in index.case_variants(&dataset.organisations) {
        let orgs: Vec<&crate::model::Organisation> = group
            .iter()
            .map(|&i| &dataset.organisations[i as usize])
            .collect();
        let first = orgs[0];
        let others: Vec<String> = orgs
            .iter()
            .map(|o| format!("{} ({})", o.id, dataset.refer(o.origin, first.origin)))
            .collect();
        problems.push(
            dataset
                .problem(
                    Severity::Warning,
                    first.origin,
                    Some("id"),
                    format!(
                        "these ids differ only in capitals, accents or spaces: {}; a reference must then give one of them exactly, so consider ids that differ more",
                        others.join(", ")
                    ),
                )
                .at("id", &first.id),
        );
    }
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
        problems.push(
            dataset
                .problem(
                    Severity::Error,
                    d.origin,
                    Some("id"),
                    format!(
                        "the id is already used on {}; ids must be unique: give one of the two organisations another id (or delete the repeated row)",
                        dataset.refer(f.origin, d.origin)
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
