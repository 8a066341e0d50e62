//! `partnernet import wikidata`: GLAM institutions from a Wikidata Query
//! Service result become organisations of a dataset.
//!
//! The result is read by [`crate::ingest::wikidata`]. Without a dataset, a
//! new one is written (`organisations.csv` with the institutions,
//! `relations.csv` with its header only). With `--dataset`, a merged copy of
//! the dataset is written: every file copied as it is, `organisations.csv`
//! with the new institutions added at its end. The original is never
//! written; the new folder is written beside the target and put in place only
//! when complete and read back without errors.
//!
//! **Merging.** An institution of the result that is already in the dataset
//! is not added again: first by its Wikidata item (the `wikidata` column),
//! else by name, its label or an alias equal (case, accents and spaces
//! ignored) to an organisation's name or alias in the same country, if that
//! organisation has no Wikidata item yet. A match gains the values it lacks
//! (`wikidata`, `country`, `aliases`, `website`, `commons`, `coordinates`);
//! nothing it has is changed. Every match by name is listed for checking; a
//! label that matches several organisations is not imported and listed.
//!
//! **Ids** of new organisations are made from the label (`Nordvik
//! Stadsmuseum` becomes `nordvik-stadsmuseum`, other scripts transliterated
//! to Latin letters); when that id is taken, the lowest item of the result
//! keeps it and the others get their item added (`nordvik-stadsmuseum-q4711`).
//! An id depends only on the label, the item and the ids already there, so a
//! second import of a newer result keeps every row that did not change, byte
//! for byte, and adds only what is new.
//!
//! Rows of `organisations.csv` that gain nothing are copied byte for byte;
//! a row that gains values is written again with the csv crate. New
//! columns are added to the header when needed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};

use crate::error::{Error, Problem, Problems, Result};
use crate::ingest::names::{normalise, KeyedMap};
use crate::ingest::wikidata::{read_results, Institution, Results};
use crate::ingest::{self, regions, LoadOptions, ORGANISATIONS, RELATIONS};
use crate::model::{Dataset, OrgKind};

/// The columns `import` writes, in order, for a new dataset.
pub const IMPORT_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "country",
    "region",
    "wikidata",
    "aliases",
    "digitisation",
    "website",
    "commons",
    "coordinates",
];

/// The columns a match can gain, in the order they are added to a header.
const GAINED: &[&str] = &[
    "wikidata",
    "country",
    "aliases",
    "website",
    "commons",
    "coordinates",
];

/// Options of `partnernet import wikidata`.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The Query Service download (CSV, TSV or JSON).
    pub results: PathBuf,
    /// The folder to write the new or merged dataset into; it must not exist
    /// or be empty.
    pub into: PathBuf,
    /// The dataset to merge into (read, never written).
    pub dataset: Option<PathBuf>,
}

/// An institution found in the dataset by name: to be checked by a person.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    /// Its line in the results file.
    pub line: u64,
    pub qid: String,
    pub label: String,
    /// The organisation it was matched to (or, for an ambiguous label, every
    /// candidate), by id.
    pub organisations: Vec<String>,
    /// Their names.
    pub names: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    /// The result as read, with its warnings.
    pub results: Results,
    /// The new organisations: id, name, kind, country.
    pub added: Vec<(String, String, OrgKind, Option<String>)>,
    /// Institutions already in the dataset by their Wikidata item.
    pub by_item: usize,
    /// Institutions matched by name (each is worth a look).
    pub by_name: Vec<NameMatch>,
    /// Labels that match several organisations: not imported.
    pub ambiguous: Vec<NameMatch>,
    /// How many organisations gained values.
    pub gained: usize,
}

/// Runs `partnernet import wikidata`.
pub fn import(options: &ImportOptions) -> Result<ImportSummary> {
    check_target(&options.into, options.dataset.as_deref())?;
    let results = read_results(&options.results)?;
    if results.problems.has_errors() {
        return Err(Error::InvalidData(results.problems));
    }
    let dataset = match &options.dataset {
        Some(d) => Some(ingest::load(d, &LoadOptions::default())?),
        None => None,
    };
    let plan = plan(&results.institutions, dataset.as_ref());
    let original = match &options.dataset {
        Some(d) => Some(
            std::fs::read(d.join(ORGANISATIONS))
                .with_context(|| format!("cannot read {}", d.join(ORGANISATIONS).display()))?,
        ),
        None => None,
    };
    let organisations = write_organisations(original.as_deref(), &plan, &results.institutions)
        .map_err(Error::Other)?;
    let expected = dataset.as_ref().map_or(0, |d| {
        d.organisations
            .iter()
            .filter(|o| o.kind != OrgKind::Unknown)
            .count()
    }) + plan.new.len();
    within_limits(options, expected, plan.new.len())?;
    put_in_place(options, &organisations, expected)?;

    let mut summary = ImportSummary {
        by_item: plan.by_item,
        by_name: plan.by_name,
        ambiguous: plan.ambiguous,
        gained: plan.changes.len(),
        ..ImportSummary::default()
    };
    for (k, id) in &plan.new {
        let inst = &results.institutions[*k];
        summary.added.push((
            id.clone(),
            inst.label.clone(),
            inst.kind,
            inst.country.clone(),
        ));
    }
    summary.results = results;
    Ok(summary)
}

/// Refuses a target that is the dataset or inside it, or a folder that is
/// not empty.
fn check_target(into: &Path, dataset: Option<&Path>) -> Result<()> {
    if let Some(d) = dataset {
        let d_abs = d.canonicalize().map_err(|e| {
            Error::Other(anyhow!(
                "cannot open the dataset folder {}: {e}; give the folder that holds {ORGANISATIONS}",
                d.display()
            ))
        })?;
        if absolute(into)?.starts_with(&d_abs) {
            return Err(Error::Other(anyhow!(
                "{} is the dataset folder or inside it; partnernet never writes into a dataset: give a new folder for the merged copy, such as {}-with-wikidata",
                into.display(),
                d.display()
            )));
        }
    }
    if into.exists() {
        let empty = into.is_dir()
            && std::fs::read_dir(into)
                .map(|mut r| r.next().is_none())
                .unwrap_or(false);
        if !empty {
            return Err(Error::Other(anyhow!(
                "{} already exists; give a new folder (partnernet never overwrites a dataset)",
                into.display()
            )));
        }
    }
    Ok(())
}

/// `path` made absolute through its nearest existing ancestor (so that links
/// are resolved as the system will).
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Ok(out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(name)) => {
                rest.push(name.to_os_string());
                existing = p;
            }
            _ => return Ok(path),
        }
    }
}

/// What the import will do to the dataset.
#[derive(Debug, Default)]
struct Plan {
    /// New organisations: index into the institutions, and the new id.
    new: Vec<(usize, String)>,
    /// Values existing organisations gain: organisation id → (column, value).
    changes: KeyedMap<String, Vec<(&'static str, String)>>,
    by_item: usize,
    by_name: Vec<NameMatch>,
    ambiguous: Vec<NameMatch>,
}

/// Matches the institutions to the dataset's organisations and gives the
/// new ones their ids.
fn plan(institutions: &[Institution], dataset: Option<&Dataset>) -> Plan {
    let orgs: Vec<&crate::model::Organisation> = dataset
        .map(|d| {
            d.organisations
                .iter()
                .filter(|o| o.kind != OrgKind::Unknown)
                .collect()
        })
        .unwrap_or_default();
    let by_qid: KeyedMap<&str, usize> = orgs
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.wikidata.as_deref().map(|q| (q, i)))
        .collect();
    let mut by_name: KeyedMap<(Option<&str>, String), BTreeSet<usize>> = KeyedMap::default();
    for (i, o) in orgs.iter().enumerate() {
        for n in std::iter::once(&o.name).chain(&o.aliases) {
            by_name
                .entry((o.country.as_deref(), normalise(n)))
                .or_default()
                .insert(i);
        }
    }
    let mut used: BTreeSet<String> = dataset
        .map(|d| {
            d.organisations
                .iter()
                .map(|o| o.id.to_lowercase())
                .collect()
        })
        .unwrap_or_default();
    // Organisations given a Wikidata item by this import.
    let mut taken: Vec<bool> = vec![false; orgs.len()];
    let mut plan = Plan::default();

    // In the order of the items, so that the result is the same whatever
    // the order of the rows.
    let mut order: Vec<usize> = (0..institutions.len()).collect();
    order.sort_by_key(|&k| (institutions[k].number(), k));
    let mut new = Vec::new();
    for k in order {
        let inst = &institutions[k];
        let found = if let Some(&i) = by_qid.get(inst.qid.as_str()) {
            plan.by_item += 1;
            Some(i)
        } else {
            let mut candidates = BTreeSet::new();
            for n in std::iter::once(&inst.label).chain(&inst.aliases) {
                if let Some(c) = by_name.get(&(inst.country.as_deref(), normalise(n))) {
                    candidates.extend(
                        c.iter()
                            .copied()
                            .filter(|&i| orgs[i].wikidata.is_none() && !taken[i]),
                    );
                }
            }
            let matched = NameMatch {
                line: inst.line,
                qid: inst.qid.clone(),
                label: inst.label.clone(),
                organisations: candidates.iter().map(|&i| orgs[i].id.clone()).collect(),
                names: candidates.iter().map(|&i| orgs[i].name.clone()).collect(),
            };
            match candidates.len() {
                0 => None,
                1 => {
                    let i = *candidates.first().expect("one candidate");
                    taken[i] = true;
                    plan.by_name.push(matched);
                    Some(i)
                }
                _ => {
                    plan.ambiguous.push(matched);
                    continue;
                }
            }
        };
        match found {
            Some(i) => {
                let o = orgs[i];
                let has_attr = |c: &str| o.attributes.get(c).is_some_and(|v| !v.is_empty());
                let mut gains: Vec<(&'static str, String)> = Vec::new();
                if o.wikidata.is_none() {
                    gains.push(("wikidata", inst.qid.clone()));
                }
                if o.country.is_none() {
                    if let Some(c) = &inst.country {
                        gains.push(("country", c.clone()));
                    }
                }
                if o.aliases.is_empty() && !inst.aliases.is_empty() {
                    gains.push(("aliases", inst.aliases.join(";")));
                }
                for (col, v) in [
                    ("website", &inst.website),
                    ("commons", &inst.commons),
                    ("coordinates", &inst.coordinates),
                ] {
                    if let (Some(v), false) = (v, has_attr(col)) {
                        gains.push((col, v.clone()));
                    }
                }
                if !gains.is_empty() {
                    plan.changes.insert(o.id.clone(), gains);
                }
            }
            None => new.push(k),
        }
    }
    for k in new {
        let inst = &institutions[k];
        let base = slug(&inst.label, &inst.qid);
        let mut id = base.clone();
        if used.contains(&id) {
            id = format!("{base}-{}", inst.qid.to_lowercase());
            let mut n = 2;
            while used.contains(&id) {
                id = format!("{base}-{}-{n}", inst.qid.to_lowercase());
                n += 1;
            }
        }
        used.insert(id.clone());
        plan.new.push((k, id));
    }
    plan.by_name.sort_by_key(|m| m.line);
    plan.ambiguous.sort_by_key(|m| m.line);
    // New rows are written by country, then name: easy to read in a
    // spreadsheet, and independent of the order of the rows.
    plan.new.sort_by_cached_key(|(k, id)| {
        let i = &institutions[*k];
        (i.country.clone(), normalise(&i.label), id.clone())
    });
    plan
}

/// A readable id from a label: Latin letters (other scripts
/// transliterated), digits and `-`, at most 60 characters; the item's QID,
/// lower case, when nothing is left.
///
/// ```
/// use partnernet::app::import::slug;
/// assert_eq!(slug("Nordvik Stadsmuseum", "Q1"), "nordvik-stadsmuseum");
/// assert_eq!(slug("Musée d'Ébène", "Q1"), "musee-d-ebene");
/// assert_eq!(slug("Музей", "Q1"), "muzei");
/// assert_eq!(slug("!!!", "Q17"), "q17");
/// ```
pub fn slug(label: &str, qid: &str) -> String {
    let latin = deunicode::deunicode(label);
    let mut out = String::new();
    for c in latin.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.len() > 60 {
        let cut = out[..60].rfind('-').unwrap_or(60);
        out.truncate(cut);
    }
    if out.is_empty() {
        qid.to_lowercase()
    } else {
        out
    }
}

/// The new `organisations.csv`: `original` (the dataset's file, if any) with
/// the planned changes and the new rows at the end.
fn write_organisations(
    original: Option<&[u8]>,
    plan: &Plan,
    institutions: &[Institution],
) -> anyhow::Result<Vec<u8>> {
    let original = original.unwrap_or_default();
    let (bom, body) = match original.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (&original[..3], rest),
        None => (&original[..0], original),
    };
    let mut out: Vec<u8> = bom.to_vec();
    let crlf = memchr::memmem::find(body, b"\r\n").is_some();
    let terminator = if crlf {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(body);
    let mut record = csv::ByteRecord::new();
    // The header's fields, and their lower-case names.
    let mut header: Option<Vec<Vec<u8>>> = None;
    let mut names: Vec<String> = Vec::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut id_col = None;
    let mut start = 0usize;
    let mut width = 0usize;
    loop {
        let more = reader
            .read_byte_record(&mut record)
            .map_err(|e| anyhow!("cannot read {ORGANISATIONS} again: {e}"))?;
        if !more {
            break;
        }
        let end = reader.position().byte() as usize;
        let raw = &body[start..end];
        start = end;
        let first = record.get(0).unwrap_or_default();
        let blank = record.iter().all(|f| f.trim_ascii().is_empty());
        if first.starts_with(b"#") || blank {
            pending.extend_from_slice(raw);
            continue;
        }
        if header.is_none() {
            names = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_lowercase())
                .collect();
            let mut fields: Vec<Vec<u8>> = record.iter().map(<[u8]>::to_vec).collect();
            let mut added = false;
            for col in GAINED.iter().chain(IMPORT_COLUMNS) {
                let needed = !plan.new.is_empty()
                    && IMPORT_COLUMNS.contains(col)
                    && col_used(col, plan, institutions)
                    || plan.changes.values().flatten().any(|(c, _)| c == col);
                if needed && !names.iter().any(|n| n == col) {
                    names.push(col.to_string());
                    fields.push(col.as_bytes().to_vec());
                    added = true;
                }
            }
            id_col = names.iter().position(|n| n == "id");
            width = names.len();
            if added {
                out.extend_from_slice(&pending);
                pending.clear();
                write_record(&mut out, &fields, terminator)?;
            } else {
                out.extend_from_slice(&pending);
                pending.clear();
                out.extend_from_slice(raw);
            }
            header = Some(fields);
            continue;
        }
        out.extend_from_slice(&pending);
        pending.clear();
        let id = id_col
            .and_then(|c| record.get(c))
            .map(|f| String::from_utf8_lossy(f).trim().to_string());
        match id.and_then(|id| plan.changes.get(&id)) {
            Some(gains) => {
                let mut fields: Vec<Vec<u8>> = record.iter().map(<[u8]>::to_vec).collect();
                fields.resize(width.max(fields.len()), Vec::new());
                for (col, value) in gains {
                    if let Some(c) = names.iter().position(|n| n == col) {
                        fields[c] = value.as_bytes().to_vec();
                    }
                }
                write_record(&mut out, &fields, terminator)?;
            }
            None => out.extend_from_slice(raw),
        }
    }
    if header.is_none() {
        names = IMPORT_COLUMNS.iter().map(|s| s.to_string()).collect();
        let fields: Vec<Vec<u8>> = IMPORT_COLUMNS
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        write_record(&mut out, &fields, terminator)?;
    }
    if !out.is_empty() && !out.ends_with(b"\n") && !out.ends_with(b"\r") {
        out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
    for (k, id) in &plan.new {
        let inst = &institutions[*k];
        let fields: Vec<Vec<u8>> = names
            .iter()
            .map(|n| {
                let v: String = match n.as_str() {
                    "id" => id.clone(),
                    "name" => inst.label.clone(),
                    "kind" => inst.kind.to_string(),
                    "country" => inst.country.clone().unwrap_or_default(),
                    "wikidata" => inst.qid.clone(),
                    "aliases" => inst.aliases.join(";"),
                    "website" => inst.website.clone().unwrap_or_default(),
                    "commons" => inst.commons.clone().unwrap_or_default(),
                    "coordinates" => inst.coordinates.clone().unwrap_or_default(),
                    _ => String::new(),
                };
                v.into_bytes()
            })
            .collect();
        write_record(&mut out, &fields, terminator)?;
    }
    out.extend_from_slice(&pending);
    Ok(out)
}

/// Whether any new institution has a value for `col` (the standard columns
/// are always there).
fn col_used(col: &str, plan: &Plan, institutions: &[Institution]) -> bool {
    plan.new.iter().any(|(k, _)| {
        let i = &institutions[*k];
        match col {
            "website" => i.website.is_some(),
            "commons" => i.commons.is_some(),
            "coordinates" => i.coordinates.is_some(),
            "aliases" => !i.aliases.is_empty(),
            "country" => i.country.is_some(),
            "region" | "digitisation" => false,
            _ => true,
        }
    })
}

fn write_record(
    out: &mut Vec<u8>,
    fields: &[Vec<u8>],
    terminator: csv::Terminator,
) -> anyhow::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(Vec::new());
    w.write_record(fields)?;
    out.extend_from_slice(&w.into_inner().map_err(|e| anyhow!("{e}"))?);
    Ok(())
}

/// Writes the new dataset into a hidden folder beside `into`, reads it back,
/// and renames it into place.
/// Refuses an import whose dataset would hold more organisations than
/// partnernet reads ([`ingest::limits::ORGANISATIONS`]), before anything is
/// written: `expected` organisations in all, `new` of them from the results.
fn within_limits(options: &ImportOptions, expected: usize, new: usize) -> Result<()> {
    let limit = ingest::limits::ORGANISATIONS;
    if expected <= limit.most {
        return Ok(());
    }
    let mut problems = Problems::default();
    problems.push(Problem::error(
        &options.results,
        None,
        format!(
            "the results add {new} institutions, which makes {expected} organisations in all, beyond the {} {} that partnernet reads; nothing was written. Import the results of a smaller query, a country at a time (partnernet import wikidata --query SE, say)",
            limit.most_text(), limit.what
        ),
    ));
    Err(Error::InvalidData(problems))
}

fn put_in_place(options: &ImportOptions, organisations: &[u8], expected: usize) -> Result<()> {
    let into = &options.into;
    let parent = match into.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".partnernet-import-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    let dir = staging.path();
    match &options.dataset {
        Some(d) => copy_dataset(d, dir).map_err(Error::Other)?,
        None => std::fs::write(
            dir.join(RELATIONS),
            format!("{}\n", ingest::RELATION_COLUMNS.join(",")),
        )?,
    }
    std::fs::write(dir.join(ORGANISATIONS), organisations)?;
    // Read back: the new dataset must load, with every organisation.
    let check = ingest::load(dir, &LoadOptions::default()).map_err(|e| match e {
        Error::InvalidData(p) => Error::Other(anyhow!(
            "the merged dataset would not read back ({} error(s), the first: {}); nothing was written. Please report this",
            p.all_errors(),
            p.items().first().map(|p| p.to_string()).unwrap_or_default()
        )),
        other => other,
    })?;
    let found = check
        .organisations
        .iter()
        .filter(|o| o.kind != OrgKind::Unknown)
        .count();
    if found != expected {
        return Err(Error::Other(anyhow!(
            "the merged dataset reads back with {found} organisations instead of {expected}; nothing was written. Please report this"
        )));
    }
    if into.exists() {
        std::fs::remove_dir(into)
            .with_context(|| format!("cannot replace the empty folder {}", into.display()))?;
    }
    let kept = staging.keep();
    std::fs::rename(&kept, into).with_context(|| {
        let _ = std::fs::remove_dir_all(&kept);
        format!("cannot put the new dataset in place at {}", into.display())
    })?;
    Ok(())
}

/// Copies a dataset's regular files and folders (not links or special
/// files) into `to`.
fn copy_dataset(from: &Path, to: &Path) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .with_context(|| format!("cannot read {}", from.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let kind = e.file_type()?;
        let target = to.join(e.file_name());
        if kind.is_dir() {
            std::fs::create_dir(&target)?;
            copy_dataset(&e.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(e.path(), &target)
                .with_context(|| format!("cannot copy {}", e.path().display()))?;
        }
    }
    Ok(())
}

/// The SPARQL query for the GLAM institutions of a country, to paste into
/// the Query Service (<https://query.wikidata.org>). Its columns are those
/// `import` expects: `item`, `itemLabel`, `countryCode`, `types` (the
/// classes it is found by: museum, art gallery, library, archives), `website`, `commons`, `coordinates`, `aliases`. Fails for a
/// code that is not an ISO 3166-1 alpha-2 country code.
///
/// ```
/// let q = partnernet::app::import::query("se").unwrap();
/// assert!(q.contains("wdt:P297 \"SE\""));
/// assert!(partnernet::app::import::query("Sweden").is_err());
/// ```
pub fn query(country: &str) -> anyhow::Result<String> {
    let code = country.trim().to_uppercase();
    if !regions::is_country(&code) {
        bail!(
            "{country:?} is not an ISO 3166-1 alpha-2 country code; give two letters such as SE, KE or BR"
        );
    }
    let name = regions::country_name(&code).unwrap_or(&code);
    Ok(format!(
        r#"# The galleries, libraries, archives and museums of {name} ({code}) on Wikidata,
# for `partnernet import wikidata`. Paste into https://query.wikidata.org,
# run it, then Download > CSV file (TSV and JSON work too).
# For a large country the query may time out: remove classes from VALUES
# and run it once per class.
SELECT ?item ?itemLabel (SAMPLE(?code) AS ?countryCode)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?class), "entity/"); separator=";") AS ?types)
       (SAMPLE(?site) AS ?website) (SAMPLE(?cat) AS ?commons)
       (SAMPLE(?coord) AS ?coordinates)
       (GROUP_CONCAT(DISTINCT ?alias; separator=";") AS ?aliases)
WHERE {{
  VALUES ?class {{
    wd:Q33506    # museum
    wd:Q1007870  # art gallery
    wd:Q7075     # library
    wd:Q166118   # archives
  }}
  ?country wdt:P297 "{code}" .
  ?item wdt:P17 ?country ;
        wdt:P31 ?type .
  ?type wdt:P279* ?class .
  ?country wdt:P297 ?code .
  FILTER NOT EXISTS {{ ?item wdt:P576 [] }}   # not closed
  OPTIONAL {{ ?item wdt:P856 ?site }}
  OPTIONAL {{ ?item wdt:P373 ?cat }}
  OPTIONAL {{ ?item wdt:P625 ?coord }}
  OPTIONAL {{ ?item skos:altLabel ?alias . FILTER(LANG(?alias) = "en") }}
  SERVICE wikibase:label {{
    bd:serviceParam wikibase:language "[AUTO_LANGUAGE],mul,en" .
    ?item rdfs:label ?itemLabel .
  }}
}}
GROUP BY ?item ?itemLabel
ORDER BY ?itemLabel
"#
    ))
}

/// What an import did, in words, for the terminal: the counts, and every
/// match by name with the line it came from. (The result's warnings are in
/// `summary.results.problems`.)
pub fn describe(options: &ImportOptions, summary: &ImportSummary) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let results = options.results.display();
    let n = summary.results.institutions.len();
    let _ = writeln!(
        s,
        "Read {n} institutions from {results} ({} rows, {}).",
        summary.results.rows, summary.results.format
    );
    match &options.dataset {
        Some(d) => {
            let _ = writeln!(
                s,
                "Merged into a copy of {} in {}: {} added, {} already there by their Wikidata item, {} found by name, {} not imported (their name fits several organisations); {} organisations gained values they lacked.",
                d.display(),
                options.into.display(),
                summary.added.len(),
                summary.by_item,
                summary.by_name.len(),
                summary.ambiguous.len(),
                summary.gained
            );
        }
        None => {
            let _ = writeln!(
                s,
                "Wrote a new dataset with {} organisations to {}.",
                summary.added.len(),
                options.into.display()
            );
        }
    }
    if !summary.by_name.is_empty() {
        let _ = writeln!(
            s,
            "Found by name; check that each is the same institution (if not, give the organisation its own Wikidata item in the wikidata column and import again):"
        );
        for m in &summary.by_name {
            let _ = writeln!(
                s,
                "  {results}, line {}: {:?} ({}) is {} ({:?})",
                m.line, m.label, m.qid, m.organisations[0], m.names[0]
            );
        }
    }
    if !summary.ambiguous.is_empty() {
        let _ = writeln!(
            s,
            "Not imported, because the name fits several organisations; write the Wikidata item into the wikidata column of the right one and import again:"
        );
        for m in &summary.ambiguous {
            let _ = writeln!(
                s,
                "  {results}, line {}: {:?} ({}) fits {}",
                m.line,
                m.label,
                m.qid,
                m.organisations.join(", ")
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_readable() {
        assert_eq!(
            slug("  Stads-museet i Ørnvika ", "Q5"),
            "stads-museet-i-ornvika"
        );
        assert_eq!(slug(&"a ".repeat(50), "Q5").len(), 59);
    }
}
