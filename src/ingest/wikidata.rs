//! Reading a Wikidata Query Service result: the GLAM institutions that
//! `partnernet import wikidata` adds to a dataset.
//!
//! Three downloads of the Query Service are read, told apart by their first
//! bytes (and the file name's ending):
//!
//! - **CSV** (SPARQL 1.1 Query Results CSV): a header of variable names
//!   without `?`, then one row per result; every value is a plain string, an
//!   item as its full address (`http://www.wikidata.org/entity/Q190804`), a
//!   label without its language, a coordinate as `Point(18.07 59.33)`.
//! - **TSV** (SPARQL 1.1 Query Results TSV): a header of `?`-prefixed
//!   variable names separated by tabs, then every value in SPARQL's own
//!   syntax: `<http://www.wikidata.org/entity/Q190804>`, `"Nordvik"@sv`,
//!   `"Point(18.07 59.33)"^^<http://www.opengis.net/ont/geosparql#wktLiteral>`,
//!   with `\t`, `\n`, `\"` and `\\` escaped inside quotes.
//! - **JSON** (SPARQL 1.1 Query Results JSON): `head.vars` names the
//!   variables, `results.bindings` holds one object per result mapping a
//!   variable to `{"type": "uri" | "literal" | "bnode", "value": …}` (with
//!   `xml:lang` or `datatype` on literals); unbound variables are absent.
//!
//! Columns are found by their **role**, from the variable's name (case,
//! `_` and `-` ignored), never by their position:
//!
//! | role | variable names |
//! |---|---|
//! | item (required) | `item`, `institution`, `organisation`, `organization`, `org`, `entity`, `qid`, `wikidata`, `museum`, `library`, `archive`, `gallery`, `university` |
//! | name | the item's name followed by `Label` (`itemLabel`), `label`, `name` |
//! | country | `countryCode`, `iso`, `isoCode`, `code` (ISO 3166-1 alpha-2, wdt:P297); or `country` (a country item or name) with `countryLabel` |
//! | type | `type`, `types`, `instance`, `instanceOf`, `class`, `p31` (items, several separated by `;` or spaces), with `typeLabel` (or the like) |
//! | website | `website`, `officialWebsite`, `url`, `homepage` (wdt:P856) |
//! | Commons category | `commons`, `commonsCategory`, `commonscat` (wdt:P373) |
//! | coordinates | `coordinates`, `coord`, `coords`, `location` (wdt:P625) |
//! | aliases | `aliases`, `alias`, `altLabel`, `itemAltLabel` (`;`-separated; the label service's `…AltLabel` separates by `, `) |
//!
//! The kind of an institution comes from its types by [`KIND_TABLE`]; a type
//! not in the table is read by the keywords of its label ([`kind_by_keyword`]);
//! without any type, by the keywords of the institution's own name; else
//! `other`. Of several types the first kind in the order museum, gallery,
//! library, archive, university, research, government, media, ngo, company
//! wins.
//!
//! Problems, each with file, line, column and value: a file with no item
//! column (the whole file is refused), an item that is not a Wikidata item
//! (an error), a row without a name (the Query Service writes the bare QID
//! when an item has no label in the query's languages; the row is left out
//! with a warning), an item on several rows (the Query Service writes one row
//! per combination of values: the rows are merged, their types and aliases
//! joined; a second, different name or country is a warning), a country that
//! is not known (a warning; imported without country).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use anyhow::anyhow;
use serde::Deserialize;

use super::fields::parse_qid;
use super::names::{normalise, KeyedMap};
use super::regions;
use crate::error::{shorten, Error, Problem, Problems, Result};
use crate::model::OrgKind;

/// The address Wikidata items have in query results.
pub const ENTITY_PREFIX: &str = "http://www.wikidata.org/entity/";

/// The common Wikidata classes of institutions and the kind each maps to.
/// (Checked against Wikidata; `P31` values of GLAM items are mostly these
/// or their subclasses.)
pub const KIND_TABLE: &[(&str, &str, OrgKind)] = &[
    ("Q33506", "museum", OrgKind::Museum),
    ("Q207694", "art museum", OrgKind::Museum),
    ("Q588140", "history museum", OrgKind::Museum),
    ("Q1970365", "natural history museum", OrgKind::Museum),
    ("Q756102", "open-air museum", OrgKind::Museum),
    ("Q2772772", "military museum", OrgKind::Museum),
    ("Q3329412", "archaeological museum", OrgKind::Museum),
    ("Q17431399", "national museum", OrgKind::Museum),
    ("Q1007870", "art gallery", OrgKind::Gallery),
    ("Q7075", "library", OrgKind::Library),
    ("Q28564", "public library", OrgKind::Library),
    ("Q22806", "national library", OrgKind::Library),
    ("Q856234", "academic library", OrgKind::Library),
    ("Q1622062", "university library", OrgKind::Library),
    ("Q1438040", "research library", OrgKind::Library),
    ("Q385994", "special library", OrgKind::Library),
    ("Q166118", "archives", OrgKind::Archive),
    ("Q2668072", "national archives", OrgKind::Archive),
    ("Q604177", "municipal archive", OrgKind::Archive),
    ("Q3918", "university", OrgKind::University),
    ("Q902104", "private university", OrgKind::University),
    ("Q875538", "public university", OrgKind::University),
    (
        "Q38723",
        "higher education institution",
        OrgKind::University,
    ),
    ("Q189004", "college", OrgKind::University),
    ("Q31855", "research institute", OrgKind::Research),
    ("Q327333", "government agency", OrgKind::Government),
    ("Q11032", "newspaper", OrgKind::Media),
    ("Q1110794", "daily newspaper", OrgKind::Media),
    ("Q15265344", "broadcaster", OrgKind::Media),
    ("Q163740", "nonprofit organization", OrgKind::Ngo),
    ("Q79913", "non-governmental organization", OrgKind::Ngo),
    ("Q4830453", "business", OrgKind::Company),
    ("Q783794", "company", OrgKind::Company),
];

/// Which kind wins when an institution has several types: the first in
/// this list.
const KIND_PRIORITY: &[OrgKind] = &[
    OrgKind::Museum,
    OrgKind::Gallery,
    OrgKind::Library,
    OrgKind::Archive,
    OrgKind::University,
    OrgKind::Research,
    OrgKind::Government,
    OrgKind::Media,
    OrgKind::Ngo,
    OrgKind::Company,
];

/// Keywords of type labels (and, without a type, of names), folded (lower
/// case, no accents), in several languages, and the kind each gives; the
/// first keyword found wins.
const KEYWORDS: &[(&str, OrgKind)] = &[
    ("museum", OrgKind::Museum),
    ("museo", OrgKind::Museum),
    ("musee", OrgKind::Museum),
    ("museu", OrgKind::Museum),
    ("muzeum", OrgKind::Museum),
    ("muzej", OrgKind::Museum),
    ("makumbusho", OrgKind::Museum),
    ("gallery", OrgKind::Gallery),
    ("galerie", OrgKind::Gallery),
    ("galleria", OrgKind::Gallery),
    ("galeria", OrgKind::Gallery),
    ("kunsthall", OrgKind::Gallery),
    ("library", OrgKind::Library),
    ("librar", OrgKind::Library),
    ("bibliot", OrgKind::Library),
    ("bibliothek", OrgKind::Library),
    ("bibliotek", OrgKind::Library),
    ("maktaba", OrgKind::Library),
    ("archiv", OrgKind::Archive),
    ("archive", OrgKind::Archive),
    ("arkiv", OrgKind::Archive),
    ("archief", OrgKind::Archive),
    ("arquivo", OrgKind::Archive),
    ("archivo", OrgKind::Archive),
    ("universit", OrgKind::University),
    ("hogskol", OrgKind::University),
    ("hochschule", OrgKind::University),
    ("college", OrgKind::University),
    ("akademi", OrgKind::University),
    ("research", OrgKind::Research),
    ("forschung", OrgKind::Research),
    ("laboratory", OrgKind::Research),
    ("ministry", OrgKind::Government),
    ("agency", OrgKind::Government),
    ("newspaper", OrgKind::Media),
    ("broadcast", OrgKind::Media),
];

/// The kind a class maps to by [`KIND_TABLE`].
pub fn kind_of_class(qid: &str) -> Option<OrgKind> {
    KIND_TABLE
        .iter()
        .find(|(q, _, _)| *q == qid)
        .map(|(_, _, k)| *k)
}

/// The kind a label's words suggest ([`KEYWORDS`]), if any.
///
/// ```
/// use partnernet::ingest::wikidata::kind_by_keyword;
/// use partnernet::model::OrgKind;
/// assert_eq!(kind_by_keyword("Musée d'art"), Some(OrgKind::Museum));
/// assert_eq!(kind_by_keyword("Stadsbibliotek"), Some(OrgKind::Library));
/// assert_eq!(kind_by_keyword("botanical garden"), None);
/// ```
pub fn kind_by_keyword(label: &str) -> Option<OrgKind> {
    let folded = normalise(label);
    KEYWORDS
        .iter()
        .find(|(k, _)| folded.contains(k))
        .map(|(_, kind)| *kind)
}

/// One institution of a query result.
#[derive(Debug, Clone, PartialEq)]
pub struct Institution {
    /// The Wikidata item, `Q` and digits.
    pub qid: String,
    /// Its name (the label).
    pub label: String,
    /// ISO 3166-1 alpha-2 code, upper case.
    pub country: Option<String>,
    pub kind: OrgKind,
    /// Its types, as items or labels, `;`-joined, for the message on how the
    /// kind was chosen.
    pub types: Vec<String>,
    pub website: Option<String>,
    /// The Commons category, without `Category:`.
    pub commons: Option<String>,
    /// `latitude, longitude` in degrees.
    pub coordinates: Option<String>,
    pub aliases: Vec<String>,
    /// The line (JSON: the line where its binding starts) of its first row.
    pub line: u64,
}

impl Institution {
    /// The QID's number, for ordering items.
    pub fn number(&self) -> u64 {
        self.qid[1..].parse().unwrap_or(u64::MAX)
    }
}

/// What a results file holds.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// One per item, in the order of their first rows.
    pub institutions: Vec<Institution>,
    /// How many result rows were read.
    pub rows: usize,
    /// The format read: `CSV`, `TSV` or `JSON`.
    pub format: &'static str,
    pub problems: Problems,
}

/// A value of a result: an address (IRI) or a literal.
#[derive(Debug, Clone, PartialEq)]
enum Term<'a> {
    Iri(Cow<'a, str>),
    Literal(Cow<'a, str>),
}

impl<'a> Term<'a> {
    fn text(&self) -> &str {
        match self {
            Term::Iri(s) | Term::Literal(s) => s,
        }
    }
}

/// The roles a column can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Item,
    Label,
    CountryCode,
    Country,
    CountryLabel,
    Type,
    TypeLabel,
    Website,
    Commons,
    Coordinates,
    Aliases,
}

const ITEM_NAMES: &[&str] = &[
    "item",
    "institution",
    "organisation",
    "organization",
    "org",
    "entity",
    "qid",
    "wikidata",
    "museum",
    "library",
    "archive",
    "gallery",
    "university",
];

/// The role of a variable named `name`, given the item column's name.
fn role(name: &str, item: &str) -> Option<Role> {
    let n: String = name
        .trim()
        .trim_start_matches(['?', '$'])
        .chars()
        .filter(|c| *c != '_' && *c != '-' && *c != ' ')
        .flat_map(char::to_lowercase)
        .collect();
    if n == item {
        return Some(Role::Item);
    }
    if n == format!("{item}label") || n == "label" || n == "name" || n == "itemlabel" {
        return Some(Role::Label);
    }
    if n == format!("{item}altlabel") || n.ends_with("altlabel") {
        return Some(Role::Aliases);
    }
    Some(match n.as_str() {
        "countrycode" | "iso" | "isocode" | "code" | "iso3166" | "countryiso" | "iso31661" => {
            Role::CountryCode
        }
        "country" | "p17" => Role::Country,
        "countrylabel" | "countryname" => Role::CountryLabel,
        "type" | "types" | "instance" | "instanceof" | "class" | "p31" => Role::Type,
        "typelabel" | "typelabels" | "instancelabel" | "instanceoflabel" | "classlabel"
        | "p31label" => Role::TypeLabel,
        "website" | "officialwebsite" | "url" | "homepage" | "web" | "p856" => Role::Website,
        "commons" | "commonscategory" | "commonscat" | "p373" => Role::Commons,
        "coordinates" | "coord" | "coords" | "location" | "coordinatelocation" | "p625" => {
            Role::Coordinates
        }
        "aliases" | "alias" | "alternativenames" => Role::Aliases,
        _ => return None,
    })
}

/// The columns of each role: the first column with a role wins.
struct Columns {
    names: Vec<String>,
    of: HashMap<Role, usize>,
}

impl Columns {
    fn new(path: &Path, names: Vec<String>) -> Result<Columns> {
        let folded: Vec<String> = names
            .iter()
            .map(|n| {
                n.trim()
                    .trim_start_matches(['?', '$'])
                    .chars()
                    .filter(|c| *c != '_' && *c != '-' && *c != ' ')
                    .flat_map(char::to_lowercase)
                    .collect()
            })
            .collect();
        let Some(item_at) = ITEM_NAMES
            .iter()
            .find_map(|want| folded.iter().position(|f| f == want))
        else {
            return Err(Error::InvalidData(one_problem(
                Problem::error(
                    path,
                    Some(1),
                    format!(
                        "no column holds the institutions' Wikidata items; name it ?item in the query (as `partnernet import wikidata --query SE` does); the columns are: {}",
                        names.join(", ")
                    ),
                )
                .at("header", &names.join(",")),
            )));
        };
        let item = folded[item_at].clone();
        let mut of = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            if let Some(r) = role(name, &item) {
                of.entry(r).or_insert(i);
            }
        }
        of.insert(Role::Item, item_at);
        Ok(Columns {
            names: names
                .iter()
                .map(|n| n.trim().trim_start_matches(['?', '$']).to_string())
                .collect(),
            of,
        })
    }

    fn get(&self, role: Role) -> Option<usize> {
        self.of.get(&role).copied()
    }
}

fn one_problem(p: Problem) -> Problems {
    let mut problems = Problems::default();
    problems.push(p);
    problems
}

/// Reads a Query Service result file (CSV, TSV or JSON). Fails when the
/// file cannot be read, is not one of the three formats, or has no item
/// column; every other problem is in [`Results::problems`] (errors there
/// mean nothing should be imported).
pub fn read_results(path: &Path) -> Result<Results> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::Other(anyhow!(
            "cannot read the query results {}: {e}",
            path.display()
        ))
    })?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let mut reader = Reader::default();
    let format = if first == Some(b'{') {
        read_json(path, body, &mut reader)?;
        "JSON"
    } else if first.is_none() {
        return Err(Error::InvalidData(one_problem(Problem::error(
            path,
            Some(1),
            "the file is empty; download the query's results again (Download > CSV file)",
        ))));
    } else {
        let header_end = memchr::memchr(b'\n', body).unwrap_or(body.len());
        let header = &body[..header_end];
        let tsv = ext.as_deref() == Some("tsv")
            || header.starts_with(b"?")
            || (header.contains(&b'\t') && !header.contains(&b','));
        if tsv {
            read_tsv(path, body, &mut reader)?;
            "TSV"
        } else {
            read_csv(path, body, &mut reader)?;
            "CSV"
        }
    };
    Ok(reader.finish(format))
}

/// Gathers the rows into institutions, merging the rows of one item.
#[derive(Default)]
struct Reader {
    institutions: Vec<Institution>,
    at: KeyedMap<String, usize>,
    rows: usize,
    problems: Problems,
    /// Whether a bare country item without name or code was met (reported once).
    country_items_unnamed: bool,
    /// The types of each institution as (item, label) pairs, for the kind.
    types: Vec<Vec<(Option<String>, Option<String>)>>,
}

impl Reader {
    fn row(&mut self, path: &Path, cols: &Columns, line: u64, cells: &[Option<Term<'_>>]) {
        self.rows += 1;
        let cell = |role: Role| -> Option<&Term<'_>> {
            cols.get(role)
                .and_then(|i| cells.get(i))
                .and_then(|c| c.as_ref())
                .filter(|t| !t.text().trim().is_empty())
        };
        let item_col = &cols.names[cols.get(Role::Item).unwrap_or(0)];
        let Some(item) = cell(Role::Item) else {
            self.problems.push(
                Problem::error(
                    path,
                    Some(line),
                    "the row has no item; every result row needs the institution's Wikidata item",
                )
                .at(item_col, ""),
            );
            return;
        };
        let Some(qid) = parse_item(item.text()) else {
            self.problems.push(
                Problem::error(
                    path,
                    Some(line),
                    "not a Wikidata item; expected an address such as http://www.wikidata.org/entity/Q190804 or Q followed by digits (is this the right column?)",
                )
                .at(item_col, item.text()),
            );
            return;
        };
        let label = cell(Role::Label).map(|t| t.text().trim().to_string());
        let label_col = cols
            .get(Role::Label)
            .map(|i| cols.names[i].clone())
            .unwrap_or_else(|| "label".into());
        let label = match label {
            Some(l) if parse_qid(&l).is_none() => Some(l),
            other => {
                if !self.at.contains_key(&qid) {
                    self.problems.push(
                        Problem::warning(
                            path,
                            Some(line),
                            format!(
                                "{qid} has no name in the query's languages, so the row is left out; add a label on Wikidata or another language to the query's SERVICE wikibase:label line"
                            ),
                        )
                        .at(&label_col, other.as_deref().unwrap_or("")),
                    );
                }
                None
            }
        };
        let country = self.country(path, cols, line, &cell);
        let website = cell(Role::Website).map(|t| t.text().trim().to_string());
        let commons = cell(Role::Commons).map(|t| {
            let c = t.text().trim();
            let c = c
                .strip_prefix("Category:")
                .or_else(|| c.strip_prefix("category:"))
                .unwrap_or(c);
            c.to_string()
        });
        let coordinates = cell(Role::Coordinates).map(|t| coordinates(t.text()));
        let alt_split = cols
            .get(Role::Aliases)
            .map(|i| cols.names[i].to_lowercase().ends_with("altlabel"))
            .unwrap_or(false);
        let aliases: Vec<String> = cell(Role::Aliases)
            .map(|t| split_aliases(t.text(), alt_split))
            .unwrap_or_default();
        let type_items: Vec<String> = cell(Role::Type)
            .map(|t| {
                t.text()
                    .split(|c: char| c == ';' || c.is_whitespace() || c == ',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let type_labels: Vec<String> = cell(Role::TypeLabel)
            .map(|t| {
                t.text()
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let mut types: Vec<(Option<String>, Option<String>)> = Vec::new();
        for (k, t) in type_items.iter().enumerate() {
            match parse_item(t) {
                Some(q) => types.push((Some(q), type_labels.get(k).cloned())),
                // A type column holding names rather than items.
                None => types.push((None, Some(t.clone()))),
            }
        }
        if type_items.is_empty() {
            types.extend(type_labels.into_iter().map(|l| (None, Some(l))));
        }

        if let Some(&i) = self.at.get(&qid).filter(|i| **i != usize::MAX) {
            let inst = &mut self.institutions[i];
            if let (Some(l), false) = (&label, inst.label.is_empty()) {
                if l != &inst.label {
                    self.problems.push(
                        Problem::warning(
                            path,
                            Some(line),
                            format!(
                                "{qid} is on line {} too, named {:?}; the first name is kept and this one becomes an alias",
                                inst.line, inst.label
                            ),
                        )
                        .at(&label_col, l),
                    );
                    if !inst.aliases.contains(l) {
                        inst.aliases.push(l.clone());
                    }
                }
            }
            if inst.label.is_empty() {
                if let Some(l) = label {
                    inst.label = l;
                }
            }
            match (&inst.country, &country) {
                (Some(a), Some(b)) if a != b => {
                    let col = cols
                        .get(Role::CountryCode)
                        .or(cols.get(Role::Country))
                        .map(|i| cols.names[i].clone())
                        .unwrap_or_default();
                    self.problems.push(
                        Problem::warning(
                            path,
                            Some(line),
                            format!(
                                "{qid} is on line {} too, in country {a}; the first country is kept (Wikidata gives the item two countries: check which is right)",
                                inst.line
                            ),
                        )
                        .at(&col, b),
                    );
                }
                (None, Some(_)) => inst.country = country,
                _ => {}
            }
            fill(&mut inst.website, website);
            fill(&mut inst.commons, commons);
            fill(&mut inst.coordinates, coordinates);
            for a in aliases {
                if !inst.aliases.contains(&a) && a != inst.label {
                    inst.aliases.push(a);
                }
            }
            for t in types {
                if !self.types[i].contains(&t) {
                    self.types[i].push(t);
                }
            }
            return;
        }
        let Some(label) = label else {
            // Remember the item so its other rows are not reported again,
            // but import nothing for it (unless another row names it).
            self.at.insert(qid, usize::MAX);
            return;
        };
        self.at.insert(qid.clone(), self.institutions.len());
        let aliases = aliases.into_iter().filter(|a| *a != label).collect();
        self.institutions.push(Institution {
            qid,
            label,
            country,
            kind: OrgKind::Other,
            types: Vec::new(),
            website,
            commons,
            coordinates,
            aliases,
            line,
        });
        self.types.push(types);
    }

    /// The country of a row: its ISO code, else its country item's or
    /// name's code.
    fn country<'c>(
        &mut self,
        path: &Path,
        cols: &Columns,
        line: u64,
        cell: &impl Fn(Role) -> Option<&'c Term<'c>>,
    ) -> Option<String> {
        if let Some(code) = cell(Role::CountryCode) {
            let c = code.text().trim().to_uppercase();
            if regions::is_country(&c) {
                return Some(c);
            }
            let col = &cols.names[cols.get(Role::CountryCode).unwrap_or(0)];
            self.problems.push(
                Problem::warning(
                    path,
                    Some(line),
                    "not an ISO 3166-1 alpha-2 country code (such as SE, KE, BR); the institution is imported without a country",
                )
                .at(col, code.text()),
            );
            return None;
        }
        let named = cell(Role::CountryLabel)
            .or_else(|| cell(Role::Country).filter(|t| parse_item(t.text()).is_none()));
        if let Some(name) = named {
            if let Some(code) = country_by_name(name.text()) {
                return Some(code.to_string());
            }
            let role = if cell(Role::CountryLabel).is_some() {
                Role::CountryLabel
            } else {
                Role::Country
            };
            let col = &cols.names[cols.get(role).unwrap_or(0)];
            self.problems.push(
                Problem::warning(
                    path,
                    Some(line),
                    "a country partnernet does not know by this name; the institution is imported without a country (add ?countryCode, wdt:P297, to the query)",
                )
                .at(col, name.text()),
            );
            return None;
        }
        if let Some(item) = cell(Role::Country) {
            if !self.country_items_unnamed {
                self.country_items_unnamed = true;
                let col = &cols.names[cols.get(Role::Country).unwrap_or(0)];
                self.problems.push(
                    Problem::warning(
                        path,
                        Some(line),
                        "the country is given only as a Wikidata item, which partnernet cannot name; the institutions are imported without a country. Add `?country wdt:P297 ?countryCode` to the query and select ?countryCode (as `partnernet import wikidata --query SE` does)",
                    )
                    .at(col, item.text()),
                );
            }
        }
        None
    }

    fn finish(mut self, format: &'static str) -> Results {
        for (inst, types) in self.institutions.iter_mut().zip(&self.types) {
            let mut kinds: Vec<OrgKind> = Vec::new();
            for (q, l) in types {
                let k = q
                    .as_deref()
                    .and_then(kind_of_class)
                    .or_else(|| l.as_deref().and_then(kind_by_keyword));
                kinds.extend(k);
                inst.types.push(match (q, l) {
                    (Some(q), Some(l)) => format!("{l} ({q})"),
                    (Some(q), None) => q.clone(),
                    (None, Some(l)) => l.clone(),
                    (None, None) => continue,
                });
            }
            inst.kind = KIND_PRIORITY
                .iter()
                .copied()
                .find(|k| kinds.contains(k))
                .or_else(|| {
                    types
                        .is_empty()
                        .then(|| kind_by_keyword(&inst.label))
                        .flatten()
                })
                .unwrap_or(OrgKind::Other);
        }
        Results {
            institutions: self.institutions,
            rows: self.rows,
            format,
            problems: self.problems,
        }
    }
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// An item as a QID: a full entity address, a `wd:` name or a bare QID.
fn parse_item(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("wd:").unwrap_or(s);
    if s.contains('/') && !s.contains("wikidata.org/") {
        return None;
    }
    parse_qid(s)
}

/// `Point(lon lat)` as `lat, lon`; anything else as it is.
fn coordinates(s: &str) -> String {
    let t = s.trim();
    // A point on another globe starts with its address: `<…> Point(…)`.
    let inner = t
        .find("Point(")
        .and_then(|i| t[i + 6..].strip_suffix(')'))
        .map(str::trim);
    if let Some(inner) = inner {
        let mut parts = inner.split_whitespace();
        if let (Some(lon), Some(lat), None) = (parts.next(), parts.next(), parts.next()) {
            if lon.parse::<f64>().is_ok() && lat.parse::<f64>().is_ok() {
                return format!("{lat}, {lon}");
            }
        }
    }
    t.to_string()
}

/// Splits aliases at `;`, or (for the label service's `…AltLabel`, which has
/// no `;`) at `, `.
fn split_aliases(s: &str, alt_label: bool) -> Vec<String> {
    let parts: Vec<&str> = if s.contains(';') || !alt_label {
        s.split(';').collect()
    } else {
        s.split(", ").collect()
    };
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        let p = p.trim();
        if !p.is_empty() && !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    out
}

/// The ISO code of a country's English name (as in the UN M49 table,
/// case and accents ignored), plus the names Wikidata uses where they differ.
pub fn country_by_name(name: &str) -> Option<&'static str> {
    static T: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let table = T.get_or_init(|| {
        let mut map = HashMap::new();
        for line in include_str!("m49.csv").lines().skip(1) {
            let (code, rest) = line.split_once(',').unwrap_or((line, ""));
            let name = match rest.rsplit_once(',') {
                Some((n, _)) => n.trim_matches('"'),
                None => rest,
            };
            map.insert(normalise(name), code);
        }
        for (name, code) in [
            ("United States of America", "US"),
            ("People's Republic of China", "CN"),
            ("Kingdom of the Netherlands", "NL"),
            ("Kingdom of Denmark", "DK"),
            ("United Kingdom", "GB"),
            ("Russia", "RU"),
            ("Czech Republic", "CZ"),
            ("Ivory Coast", "CI"),
            ("Democratic Republic of the Congo", "CD"),
            ("Republic of the Congo", "CG"),
            ("South Korea", "KR"),
            ("North Korea", "KP"),
            ("Vietnam", "VN"),
            ("Laos", "LA"),
            ("Iran", "IR"),
            ("Syria", "SY"),
            ("Tanzania", "TZ"),
            ("Bolivia", "BO"),
            ("Venezuela", "VE"),
            ("Moldova", "MD"),
            ("State of Palestine", "PS"),
            ("Eswatini", "SZ"),
            ("North Macedonia", "MK"),
            ("Türkiye", "TR"),
            ("Turkey", "TR"),
        ] {
            map.entry(normalise(name)).or_insert(code);
        }
        map
    });
    let n = normalise(name);
    if n.len() == 2 && regions::is_country(&n.to_uppercase()) {
        return table.values().copied().find(|c| c.eq_ignore_ascii_case(&n));
    }
    table.get(&n).copied()
}

fn not_utf8(path: &Path, line: u64, column: &str, bytes: &[u8]) -> Problem {
    Problem::error(
        path,
        Some(line),
        "the text is not valid UTF-8; download the results from the Query Service again, without opening and saving them in another program",
    )
    .at(column, &shorten(&String::from_utf8_lossy(bytes), 80))
}

fn read_csv(path: &Path, body: &[u8], reader: &mut Reader) -> Result<()> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(body);
    let header = csv.byte_headers().map_err(|e| {
        Error::InvalidData(one_problem(Problem::error(
            path,
            Some(1),
            format!("cannot read the header: {e}"),
        )))
    })?;
    let mut names = Vec::new();
    for (i, h) in header.iter().enumerate() {
        match std::str::from_utf8(h) {
            Ok(s) => names.push(s.to_string()),
            Err(_) => {
                return Err(Error::InvalidData(one_problem(not_utf8(
                    path,
                    1,
                    &format!("header {}", i + 1),
                    h,
                ))))
            }
        }
    }
    let cols = Columns::new(path, names)?;
    let mut record = csv::ByteRecord::new();
    // Line numbers are counted from the bytes: the csv crate's own count is
    // one short after a `\r\n` line end.
    let (mut counted, mut newlines) = (0usize, 0u64);
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line());
                reader.problems.push(Problem::error(
                    path,
                    line,
                    format!("cannot read the file as CSV: {e}"),
                ));
                return Ok(());
            }
        }
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(body.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let start = start.min(body.len()).max(counted);
        newlines += memchr::memchr_iter(b'\n', &body[counted..start]).count() as u64;
        counted = start;
        let line = newlines + 1;
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let mut cells: Vec<Option<Term<'_>>> = Vec::with_capacity(record.len());
        let mut bad = false;
        for (i, f) in record.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok("") => cells.push(None),
                Ok(s) => cells.push(Some(if s.starts_with(ENTITY_PREFIX) {
                    Term::Iri(Cow::Borrowed(s))
                } else {
                    Term::Literal(Cow::Borrowed(s))
                })),
                Err(_) => {
                    let col = cols.names.get(i).map(String::as_str).unwrap_or("");
                    reader.problems.push(not_utf8(path, line, col, f));
                    bad = true;
                    break;
                }
            }
        }
        if !bad {
            reader.row(path, &cols, line, &cells);
        }
        if reader.problems.full() {
            break;
        }
    }
    Ok(())
}

/// One value of a TSV result, in SPARQL's syntax.
fn tsv_term(s: &str) -> std::result::Result<Option<Term<'_>>, &'static str> {
    let s = s.trim_matches(|c| c == ' ');
    if s.is_empty() {
        return Ok(None);
    }
    if let Some(rest) = s.strip_prefix('<') {
        return rest
            .strip_suffix('>')
            .map(|iri| Some(Term::Iri(Cow::Borrowed(iri))))
            .ok_or("an address starts with < but does not end with >");
    }
    if let Some(rest) = s.strip_prefix("_:") {
        return Ok(Some(Term::Literal(Cow::Borrowed(rest)))).map(|_| None);
    }
    let quote = match s.as_bytes()[0] {
        q @ (b'"' | b'\'') => q as char,
        // Numbers and booleans are written bare.
        _ => return Ok(Some(Term::Literal(Cow::Borrowed(s)))),
    };
    let long = s.len() >= 6 && s.starts_with(&quote.to_string().repeat(3));
    let open = if long { 3 } else { 1 };
    let body_and_tail = &s[open..];
    // Find the closing quote, skipping escapes.
    let mut end = None;
    let mut escaped = false;
    for (i, c) in body_and_tail.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote && (!long || body_and_tail[i..].starts_with(&s[..3])) {
            end = Some(i);
            break;
        }
    }
    let end = end.ok_or("a quoted value is not closed")?;
    let raw = &body_and_tail[..end];
    let tail = &body_and_tail[end + open..];
    if !(tail.is_empty() || tail.starts_with('@') || tail.starts_with("^^")) {
        return Err("unexpected text after a quoted value");
    }
    if !raw.contains('\\') {
        return Ok(Some(Term::Literal(Cow::Borrowed(raw))));
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(u @ ('u' | 'U')) => {
                let n = if u == 'u' { 4 } else { 8 };
                let hex: String = chars.by_ref().take(n).collect();
                let ch = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or("a \\u escape that is not a character")?;
                out.push(ch);
            }
            Some(other) => out.push(other),
            None => return Err("a value ends with a lone backslash"),
        }
    }
    Ok(Some(Term::Literal(Cow::Owned(out))))
}

fn read_tsv(path: &Path, body: &[u8], reader: &mut Reader) -> Result<()> {
    let mut lines = body.split(|b| *b == b'\n');
    let header = lines.next().unwrap_or_default();
    let header = header.strip_suffix(b"\r").unwrap_or(header);
    let header = std::str::from_utf8(header)
        .map_err(|_| Error::InvalidData(one_problem(not_utf8(path, 1, "header", header))))?;
    let cols = Columns::new(path, header.split('\t').map(str::to_string).collect())?;
    let mut cells: Vec<Option<Term<'_>>> = Vec::new();
    for (k, line_bytes) in lines.enumerate() {
        let line = k as u64 + 2;
        let line_bytes = line_bytes.strip_suffix(b"\r").unwrap_or(line_bytes);
        if line_bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(text) = std::str::from_utf8(line_bytes) else {
            reader
                .problems
                .push(not_utf8(path, line, "row", line_bytes));
            continue;
        };
        cells.clear();
        let mut bad = false;
        for (i, field) in text.split('\t').enumerate() {
            match tsv_term(field) {
                Ok(t) => cells.push(t),
                Err(why) => {
                    let col = cols.names.get(i).map(String::as_str).unwrap_or("");
                    reader.problems.push(
                        Problem::error(
                            path,
                            Some(line),
                            format!("{why}; the TSV download writes values as <address>, \"text\"@language or numbers"),
                        )
                        .at(col, field),
                    );
                    bad = true;
                    break;
                }
            }
        }
        if !bad {
            reader.row(path, &cols, line, &cells);
        }
        if reader.problems.full() {
            break;
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct JsonResults<'a> {
    head: JsonHead,
    #[serde(borrow)]
    results: JsonBindings<'a>,
}

#[derive(Deserialize)]
struct JsonHead {
    #[serde(default)]
    vars: Vec<String>,
}

#[derive(Deserialize)]
struct JsonBindings<'a> {
    #[serde(borrow)]
    bindings: Vec<&'a serde_json::value::RawValue>,
}

#[derive(Deserialize)]
struct JsonTerm<'a> {
    #[serde(rename = "type")]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    value: Cow<'a, str>,
}

fn read_json(path: &Path, body: &[u8], reader: &mut Reader) -> Result<()> {
    let text = std::str::from_utf8(body).map_err(|e| {
        let line = body[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        Error::InvalidData(one_problem(not_utf8(
            path,
            line,
            "JSON",
            &body[e.valid_up_to()..(e.valid_up_to() + 8).min(body.len())],
        )))
    })?;
    let parsed: JsonResults<'_> = serde_json::from_str(text).map_err(|e| {
        Error::InvalidData(one_problem(Problem::error(
            path,
            Some(e.line() as u64),
            format!(
                "not a SPARQL query result in JSON ({e}); download the results again with Download > JSON file"
            ),
        )))
    })?;
    let cols = Columns::new(path, parsed.head.vars.clone())?;
    let index: KeyedMap<&str, usize> = parsed
        .head
        .vars
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), i))
        .collect();
    let base = text.as_ptr() as usize;
    let (mut pos, mut line) = (0usize, 1u64);
    let mut cells: Vec<Option<Term<'_>>> = Vec::new();
    for raw in parsed.results.bindings {
        let start = raw.get().as_ptr() as usize - base;
        line += memchr::memchr_iter(b'\n', &body[pos..start]).count() as u64;
        pos = start;
        let binding: BTreeMap<Cow<'_, str>, JsonTerm<'_>> = match serde_json::from_str(raw.get()) {
            Ok(b) => b,
            Err(e) => {
                reader.problems.push(Problem::error(
                    path,
                    Some(line + e.line() as u64 - 1),
                    format!("a result that is not a SPARQL binding ({e}): each variable maps to {{\"type\": …, \"value\": …}}"),
                ));
                continue;
            }
        };
        cells.clear();
        cells.resize(cols.names.len(), None);
        for (var, term) in binding {
            let Some(&i) = index.get(var.as_ref()) else {
                continue;
            };
            cells[i] = match term.kind.as_ref() {
                "uri" => Some(Term::Iri(term.value)),
                "bnode" => None,
                _ => Some(Term::Literal(term.value)),
            };
        }
        reader.row(path, &cols, line, &cells);
        if reader.problems.full() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_terms() {
        assert_eq!(
            tsv_term("<http://www.wikidata.org/entity/Q1>").unwrap(),
            Some(Term::Iri(Cow::Borrowed(
                "http://www.wikidata.org/entity/Q1"
            )))
        );
        assert_eq!(
            tsv_term("\"Mus\\u00E9e \\\"X\\\"\"@fr").unwrap(),
            Some(Term::Literal(Cow::Owned("Musée \"X\"".into())))
        );
        assert_eq!(
            tsv_term("\"Point(1 2)\"^^<http://www.opengis.net/ont/geosparql#wktLiteral>")
                .unwrap()
                .map(|t| t.text().to_string()),
            Some("Point(1 2)".into())
        );
        assert_eq!(tsv_term("").unwrap(), None);
        assert!(tsv_term("\"open").is_err());
    }

    #[test]
    fn points_become_latitude_longitude() {
        assert_eq!(coordinates("Point(18.07 59.33)"), "59.33, 18.07");
        assert_eq!(coordinates("somewhere"), "somewhere");
    }

    #[test]
    fn roles_by_name() {
        assert_eq!(role("?itemLabel", "item"), Some(Role::Label));
        assert_eq!(role("museumLabel", "museum"), Some(Role::Label));
        assert_eq!(role("country_code", "item"), Some(Role::CountryCode));
        assert_eq!(role("itemAltLabel", "item"), Some(Role::Aliases));
        assert_eq!(role("founded", "item"), None);
    }

    #[test]
    fn countries_by_name() {
        assert_eq!(country_by_name("Sweden"), Some("SE"));
        assert_eq!(country_by_name("United States of America"), Some("US"));
        assert_eq!(country_by_name("Atlantis"), None);
    }
}
