//! Ingest and validation: a dataset folder becomes a [`Dataset`].
//!
//! A dataset is a folder holding `organisations.csv` and `relations.csv`
//! (required), `interviews.csv` and `partnernet.toml` (optional). Reading
//! collects every problem of every file before it reports them, each naming
//! the file, line, column and value. Nothing is ever written into the folder.

pub mod fields;
pub mod names;
pub mod notes;
pub mod regions;
pub mod table;
pub mod wikidata;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::anyhow;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::error::{Error, Problem, Problems, Result};
use crate::model::{
    Dataset, Digitisation, Interview, LeadState, LeadStatus, OrgKind, Organisation, Origin,
    Relation, RelationKind, UnresolvedName,
};
use fields::{parse_date, parse_qid, parse_weight, split_list, split_tags};
use names::{IdTable, NameIndex, Resolution};
use table::{Row, Table};

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

/// Reads a word of a closed vocabulary (`OrgKind`, `RelationKind`, ...):
/// first as written, which needs no allocation, then as the type's own
/// `parse` forgives it (case, spaces, `-` for `_`). The vocabularies' words
/// are lower case with no spaces or `-`, so the two agree.
macro_rules! parse_word {
    ($ty:ty, $s:expr) => {{
        let s: &str = $s;
        <$ty>::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == s)
            .or_else(|| <$ty>::parse(s))
    }};
}

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
        if let Some(t) = Table::read(
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
        if let Some(t) = Table::read(
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
    Table::read(path, required, &columns.join(","), problems)
}

fn push_file(dataset: &mut Dataset, path: &Path) -> u32 {
    dataset.files.push(path.to_path_buf());
    (dataset.files.len() - 1) as u32
}

fn read_organisations(t: &Table, file: u32, orgs: &mut Vec<Organisation>, problems: &mut Problems) {
    let [id_c, name_c, kind_c, country_c, region_c, wikidata_c, aliases_c, digitisation_c] =
        [0, 1, 2, 3, 4, 5, 6, 7].map(|i| t.column(ORGANISATION_COLUMNS[i]));
    let keep_extra = t
        .headers
        .iter()
        .any(|h| !h.is_empty() && !ORGANISATION_COLUMNS.contains(&h.as_str()));
    let parse = |_: &(), row: &Row<'_>, problems: &mut Problems| -> Option<Organisation> {
        let Some(id) = row.get(id_c, problems) else {
            problems.push(row.error("id", "", "every organisation needs an id"));
            return None;
        };
        let name = match row.get(name_c, problems) {
            Some(n) => n.to_string(),
            None => {
                problems.push(row.error("name", "", "every organisation needs a name"));
                id.to_string()
            }
        };
        let kind = match row.get(kind_c, problems) {
            None => {
                problems.push(row.error(
                    "kind",
                    "",
                    format!(
                        "every organisation needs a kind, one of: {}",
                        OrgKind::expected_in_file()
                    ),
                ));
                OrgKind::Other
            }
            Some(k) => match parse_word!(OrgKind, k).filter(|k| *k != OrgKind::Unknown) {
                Some(k) => k,
                None => {
                    problems.push(row.error(
                        "kind",
                        k,
                        format!(
                            "unknown kind; expected one of: {}",
                            OrgKind::expected_in_file()
                        ),
                    ));
                    OrgKind::Other
                }
            },
        };
        let country = row.get(country_c, problems).and_then(|c| {
            let code = c.to_uppercase();
            if regions::is_country(&code) {
                Some(code)
            } else {
                problems.push(row.error(
                    "country",
                    c,
                    "not an ISO 3166-1 alpha-2 country code (such as SE, KE, BR)",
                ));
                None
            }
        });
        let given_region = row.get(region_c, problems).map(str::to_string);
        let derived = given_region.is_none();
        let region = given_region.or_else(|| {
            country
                .as_deref()
                .and_then(regions::subregion)
                .map(str::to_string)
        });
        let wikidata = row.get(wikidata_c, problems).and_then(|q| {
            let parsed = parse_qid(q);
            if parsed.is_none() {
                problems.push(row.error(
                    "wikidata",
                    q,
                    "not a Wikidata item; expected Q followed by digits, such as Q190804",
                ));
            }
            parsed
        });
        let aliases = row
            .get(aliases_c, problems)
            .map(split_list)
            .unwrap_or_default();
        let digitisation = row.get(digitisation_c, problems).and_then(|d| {
            let parsed = parse_word!(Digitisation, d);
            if parsed.is_none() {
                problems.push(row.error(
                    "digitisation",
                    d,
                    format!("expected one of: {}", Digitisation::expected()),
                ));
            }
            parsed
        });
        let attributes = if keep_extra {
            row.extra(ORGANISATION_COLUMNS, problems)
        } else {
            BTreeMap::new()
        };
        Some(Organisation {
            id: id.to_string(),
            name,
            kind,
            country,
            region_derived: derived && region.is_some(),
            region,
            wikidata,
            aliases,
            digitisation,
            attributes,
            origin: Origin {
                file,
                line: row.line,
            },
        })
    };
    orgs.reserve(t.row_estimate());
    t.par_rows(&mut (), problems, parse, |_, org, _, _| orgs.extend(org));
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

fn read_interviews(
    t: &Table,
    file: u32,
    dataset: &mut Dataset,
    resolver: &mut Resolver,
    problems: &mut Problems,
) {
    let [id_c, date_c, affiliate_c, needs_c, offers_c, notes_c] =
        [0, 1, 2, 3, 4, 5].map(|i| t.column(INTERVIEW_COLUMNS[i]));
    let mut first_line: FxHashMap<String, u64> = FxHashMap::default();
    let mut state = (
        resolver,
        &mut dataset.organisations,
        &mut dataset.interviews,
    );
    t.par_rows(
        &mut state,
        problems,
        |(resolver, _, _), row, problems| {
            if row.get(id_c, problems).is_none() {
                problems.push(row.error("id", "", "every interview needs an id"));
            }
            let found = row.get(affiliate_c, problems).map(|a| resolver.lookup(a));
            if found.is_none() {
                problems.push(row.error(
                    "affiliate",
                    "",
                    "every interview names the affiliate interviewed",
                ));
            }
            (found, date_of(row, date_c, problems))
        },
        |(resolver, orgs, interviews), (found, date), row, problems| {
            let mut quiet = Problems::default();
            let (Some(id), Some(affiliate), Some(found)) = (
                row.get(id_c, &mut quiet),
                row.get(affiliate_c, &mut quiet),
                found,
            ) else {
                return;
            };
            if let Some(first) = first_line.get(id) {
                problems.push(row.error(
                    "id",
                    id,
                    format!("the interview id is already used on line {first}"),
                ));
                return;
            }
            first_line.insert(id.to_string(), row.line);
            let origin = Origin {
                file,
                line: row.line,
            };
            let Some(affiliate) = resolver.settle(
                found,
                row.file(),
                "affiliate",
                affiliate,
                origin,
                orgs,
                problems,
            ) else {
                return;
            };
            interviews.push(Interview {
                id: id.to_string(),
                date,
                affiliate,
                needs: row
                    .get(needs_c, problems)
                    .map(split_tags)
                    .unwrap_or_default(),
                offers: row
                    .get(offers_c, problems)
                    .map(split_tags)
                    .unwrap_or_default(),
                notes: row.get(notes_c, problems).map(str::to_string),
                origin,
            });
        },
    );
}

/// Reads `lead-status.csv`, the staff's own file: it is read, never written.
/// An id that matches no organisation is a warning (the row is left out), so
/// a lead that has left the data does not stop a run.
fn read_lead_status(
    t: &Table,
    file: u32,
    dataset: &mut Dataset,
    resolver: &Resolver,
    problems: &mut Problems,
) {
    let [id_c, status_c, owner_c, updated_c, note_c] =
        [0, 1, 2, 3, 4].map(|i| t.column(LEAD_STATUS_COLUMNS[i]));
    let mut first_line: FxHashMap<u32, u64> = FxHashMap::default();
    t.par_rows(
        &mut (),
        problems,
        |_, row, problems| {
            let Some(id) = row.get(id_c, problems) else {
                problems.push(row.error("id", "", "every row names an organisation by its id"));
                return None;
            };
            let organisation = match resolver.lookup(id) {
                Resolution::Found(i) => i,
                Resolution::Ambiguous(_) => {
                    problems.push(row.error("id", id, "the name matches several organisations; write the id instead"));
                    return None;
                }
                Resolution::Missing => {
                    problems.push(row.warning("id", id, "no organisation has this id; the row is left out"));
                    return None;
                }
            };
            let status = match row.get(status_c, problems) {
                None => {
                    problems.push(row.error("status", "", format!("every row needs a status, one of: {}", LeadState::expected())));
                    return None;
                }
                Some(s) => match LeadState::parse(s) {
                    Some(state) => state,
                    None => {
                        problems.push(row.error("status", s, format!("unknown status; expected one of: {}", LeadState::expected())));
                        return None;
                    }
                },
            };
            Some(LeadStatus {
                organisation,
                status,
                owner: row.get(owner_c, problems).map(str::to_string),
                updated: date_of(row, updated_c, problems),
                note: row.get(note_c, problems).map(str::to_string),
                origin: Origin { file, line: row.line },
            })
        },
        |_, status, row, problems| {
            let Some(status) = status else { return };
            if let Some(first) = first_line.insert(status.organisation, row.line) {
                let mut quiet = Problems::default();
                let id = row.get(id_c, &mut quiet).unwrap_or_default();
                problems.push(row.error("id", id, format!("the organisation already has a status on line {first}; keep one row per organisation")));
                return;
            }
            dataset.lead_status.push(status);
        },
    );
}

fn date_of(
    row: &Row<'_>,
    column: Option<usize>,
    problems: &mut Problems,
) -> Option<chrono::NaiveDate> {
    let d = row.get(column, problems)?;
    let parsed = parse_date(d);
    if parsed.is_none() {
        let name = column.map(|c| row.column_name(c)).unwrap_or("date");
        problems.push(row.error(
            name,
            d,
            "not an ISO 8601 date; expected YYYY-MM-DD, such as 2024-05-17",
        ));
    }
    parsed
}

/// A row of `relations.csv`, checked but with its names not yet settled: the
/// relation (without its ends) when its kind is known.
struct ParsedRelation {
    source: Option<Resolution>,
    target: Option<Resolution>,
    relation: Option<Relation>,
}

fn read_relations(
    t: &Table,
    file: u32,
    dataset: &mut Dataset,
    resolver: &mut Resolver,
    interviews: Option<&IdTable>,
    problems: &mut Problems,
) {
    let [source_c, target_c, kind_c, date_c, interview_c, weight_c, note_c] =
        [0, 1, 2, 3, 4, 5, 6].map(|i| t.column(RELATION_COLUMNS[i]));
    let keep_extra = t
        .headers
        .iter()
        .any(|h| !h.is_empty() && !RELATION_COLUMNS.contains(&h.as_str()));
    let parse = |(resolver, _, _): &(&mut Resolver, &mut Vec<Organisation>, Vec<Relation>),
                 row: &Row<'_>,
                 problems: &mut Problems| {
        let end = |column: Option<usize>, name: &str, problems: &mut Problems| {
            let value = row.get(column, problems);
            if value.is_none() {
                problems.push(row.error(
                    name,
                    "",
                    format!("every relation names its {name} organisation"),
                ));
            }
            value.map(|v| resolver.lookup(v))
        };
        let source = end(source_c, "source", problems);
        let target = end(target_c, "target", problems);
        let kind = match row.get(kind_c, problems) {
            None => {
                problems.push(row.error(
                    "kind",
                    "",
                    format!(
                        "every relation needs a kind, one of: {}",
                        RelationKind::expected()
                    ),
                ));
                None
            }
            Some(k) => {
                let parsed = parse_word!(RelationKind, k);
                if parsed.is_none() {
                    problems.push(row.error(
                        "kind",
                        k,
                        format!(
                            "unknown relation kind; expected one of: {}",
                            RelationKind::expected()
                        ),
                    ));
                }
                parsed
            }
        };
        let date = date_of(row, date_c, problems);
        let weight = match row.get(weight_c, problems) {
            None => 1.0,
            Some(w) => parse_weight(w).unwrap_or_else(|| {
                problems.push(row.error(
                    "weight",
                    w,
                    "the weight must be a number greater than 0, such as 1 or 2.5",
                ));
                1.0
            }),
        };
        let interview = row.get(interview_c, problems);
        if let (Some(known), Some(i)) = (interviews, interview) {
            if known.get(i).is_none() {
                problems.push(row.warning(
                    "interview",
                    i,
                    format!("no interview in {INTERVIEWS} has this id"),
                ));
            }
        }
        let note = row.get(note_c, problems).map(str::to_string);
        let attributes = if keep_extra {
            row.extra(RELATION_COLUMNS, problems)
        } else {
            BTreeMap::new()
        };
        // Everything but the ends is made here, in parallel, so that the
        // rows in file order below cost little more than a push.
        let relation = kind.map(|kind| Relation {
            source: u32::MAX,
            target: u32::MAX,
            kind,
            date,
            interview: interview.map(str::to_string),
            weight,
            note,
            origins: vec![Origin {
                file,
                line: row.line,
            }],
            attributes,
        });
        ParsedRelation {
            source,
            target,
            relation,
        }
    };
    // Before a block of rows is parsed, the places its names and interviews
    // will be looked up in are loaded into the cache together.
    let warm = |(resolver, _, _): &(&mut Resolver, &mut Vec<Organisation>, Vec<Relation>),
                rows: &[Row<'_>]| {
        let mut touched = 0u64;
        for row in rows {
            for column in [source_c, target_c] {
                if let Some(name) = row.raw(column) {
                    touched ^= resolver.touch(name);
                }
            }
            if let (Some(known), Some(id)) = (interviews, row.raw(interview_c)) {
                touched ^= known.touch(id);
            }
        }
        std::hint::black_box(touched);
    };
    // The names are looked up in parallel; names that match no organisation
    // are settled in file order, so the `unknown` organisations they create
    // are numbered the same on any number of threads.
    let mut relations = std::mem::take(&mut dataset.relations);
    relations.reserve(t.row_estimate());
    let mut state = (resolver, &mut dataset.organisations, relations);
    t.par_rows_warm(
        &mut state,
        problems,
        warm,
        parse,
        |(resolver, orgs, relations), p, row, problems| {
            // The usual row: both ends name organisations of the files.
            let known = |r: &Option<Resolution>| r.as_ref().and_then(|r| resolver.known(r));
            if let (Some(s), Some(t2)) = (known(&p.source), known(&p.target)) {
                if s != t2 {
                    if let Some(mut relation) = p.relation {
                        relation.source = s;
                        relation.target = t2;
                        relations.push(relation);
                    }
                    return;
                }
            }
            let origin = Origin {
                file,
                line: row.line,
            };
            let mut quiet = Problems::default();
            let (Some(source_name), Some(target_name)) =
                (row.get(source_c, &mut quiet), row.get(target_c, &mut quiet))
            else {
                return;
            };
            let (Some(s), Some(t2)) = (p.source, p.target) else {
                return;
            };
            let s = resolver.settle(s, row.file(), "source", source_name, origin, orgs, problems);
            let t2 = resolver.settle(
                t2,
                row.file(),
                "target",
                target_name,
                origin,
                orgs,
                problems,
            );
            let (Some(s), Some(t2), Some(mut relation)) = (s, t2, p.relation) else {
                return;
            };
            if s == t2 {
                problems.push(row.warning(
                    "target",
                    target_name,
                    "the relation links an organisation to itself; it is left out",
                ));
                return;
            }
            relation.source = s;
            relation.target = t2;
            relations.push(relation);
        },
    );
    dataset.relations = state.2;
}

/// Resolves names to organisations, creating `unknown` ones for names that
/// match none.
pub struct Resolver {
    index: NameIndex,
    strict: bool,
    unresolved: Vec<UnresolvedName>,
    /// For each unresolved name: the file path and column of its first use.
    first_use: Vec<(std::path::PathBuf, String)>,
    by_key: FxHashMap<String, usize>,
    /// Organisations from this index on were created for unresolved names.
    first_unknown: u32,
}

/// How many unresolved names get "did you mean" suggestions.
const SUGGESTION_LIMIT: usize = 100;

impl Resolver {
    /// A resolver over `index`, the index of the dataset's `known` organisations.
    pub fn new(index: NameIndex, known: usize, strict: bool) -> Resolver {
        Resolver {
            first_unknown: known as u32,
            index,
            strict,
            unresolved: Vec::new(),
            first_use: Vec::new(),
            by_key: FxHashMap::default(),
        }
    }

    /// Looks a name up without changing anything (safe to call in parallel).
    /// Until the names are folded (see [`Resolver::fold`]) only ids as
    /// written are found; [`Resolver::settle`] looks a name found missing up
    /// again, folded.
    pub fn lookup(&self, name: &str) -> Resolution {
        self.index.resolve(name)
    }

    /// The organisation a looked-up name names, when it is one of the
    /// organisations of the files (not one made for an unresolved name):
    /// then settling it would change nothing.
    pub fn known(&self, found: &Resolution) -> Option<u32> {
        match *found {
            Resolution::Found(i) if i < self.first_unknown => Some(i),
            _ => None,
        }
    }

    /// See [`NameIndex::touch`].
    pub fn touch(&self, name: &[u8]) -> u64 {
        self.index.touch(name)
    }

    /// Indexes the known organisations' names, aliases and ids ignoring case,
    /// accents and spacing, so that [`Resolver::lookup`] finds them too.
    pub fn fold(&mut self, orgs: &[Organisation]) {
        let known = orgs.len().min(self.first_unknown as usize);
        self.index.fold(&orgs[..known]);
    }

    /// Settles a looked-up name, written in `column` of `file` (on the line of
    /// `origin`): a name that
    /// matches no organisation becomes an organisation of kind `unknown`; an
    /// ambiguous one is an error (`None`).
    #[allow(clippy::too_many_arguments)]
    pub fn settle(
        &mut self,
        found: Resolution,
        file: &Path,
        column: &str,
        name: &str,
        origin: Origin,
        orgs: &mut Vec<Organisation>,
        problems: &mut Problems,
    ) -> Option<u32> {
        // A name missing when it was looked up may have been added since.
        let found = match found {
            Resolution::Missing => {
                self.fold(orgs);
                self.index.resolve(name)
            }
            other => other,
        };
        match found {
            Resolution::Found(i) => {
                if i >= self.first_unknown {
                    if let Some(&u) = self.by_key.get(&names::normalise(name)) {
                        self.unresolved[u].uses += 1;
                    }
                }
                Some(i)
            }
            Resolution::Ambiguous(candidates) => {
                let ids: Vec<&str> = candidates
                    .iter()
                    .map(|c| orgs[*c as usize].id.as_str())
                    .collect();
                problems.push(
                    Problem::error(
                        file,
                        Some(origin.line),
                        format!(
                            "the name matches several organisations ({}); write the id instead",
                            ids.join(", ")
                        ),
                    )
                    .at(column, name),
                );
                None
            }
            Resolution::Missing => {
                let index = orgs.len() as u32;
                orgs.push(Organisation {
                    id: name.to_string(),
                    name: name.to_string(),
                    kind: OrgKind::Unknown,
                    country: None,
                    region: None,
                    region_derived: false,
                    wikidata: None,
                    aliases: Vec::new(),
                    digitisation: None,
                    attributes: BTreeMap::new(),
                    origin,
                });
                self.index.add_unknown(name, index);
                self.by_key
                    .insert(names::normalise(name), self.unresolved.len());
                self.unresolved.push(UnresolvedName {
                    name: name.to_string(),
                    organisation: index,
                    first: origin,
                    uses: 1,
                    suggestions: Vec::new(),
                });
                self.first_use
                    .push((file.to_path_buf(), column.to_string()));
                Some(index)
            }
        }
    }

    /// Adds suggestions to the unresolved names and reports each once.
    pub fn finish(self, dataset: &mut Dataset, problems: &mut Problems) {
        let mut unresolved = self.unresolved;
        let asked: Vec<&str> = unresolved
            .iter()
            .take(SUGGESTION_LIMIT)
            .map(|u| u.name.as_str())
            .collect();
        let mut suggested = names::suggestions(&asked, &dataset.organisations, 3).into_iter();
        for (k, u) in unresolved.iter_mut().enumerate() {
            if let Some(s) = suggested.next() {
                u.suggestions = s;
            }
            let (file, column) = &self.first_use[k];
            let mut message = format!(
                "no organisation has this id, name or alias (used {} time{}); ",
                u.uses,
                if u.uses == 1 { "" } else { "s" }
            );
            if !u.suggestions.is_empty() {
                message.push_str(&format!(
                    "did you mean {}? ",
                    u.suggestions
                        .iter()
                        .map(|s| format!("{s:?}"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
            }
            if self.strict {
                message.push_str("correct the name or add the organisation to organisations.csv");
            } else {
                message.push_str("it is analysed as an organisation of kind 'unknown'; correct the name or add it to organisations.csv");
            }
            let p = Problem {
                severity: if self.strict {
                    crate::error::Severity::Error
                } else {
                    crate::error::Severity::Warning
                },
                ..Problem::error(file, Some(u.first.line), message).at(column, &u.name)
            };
            problems.push(p);
        }
        dataset.unresolved = unresolved;
    }
}
