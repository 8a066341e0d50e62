//! The model: organisations, relations, interviews, and the tie graph built
//! from them. Ingest produces a [`Dataset`]; [`Model::new`] adds the tie graph;
//! every analysis reads a [`Model`].

pub mod attributes;
pub mod graph;
pub mod kinds;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;

pub use attributes::Attributes;
pub use graph::{Tie, TieGraph};
pub use kinds::{Digitisation, KindSet, LeadState, OrgKind, RelationKind};

use crate::config::Config;
use crate::error::{Problem, Problems, Severity};

/// Where a record was read from: a file of [`Dataset::files`] and a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// Index into [`Dataset::files`].
    pub file: u32,
    /// 1-based line number.
    pub line: u64,
}

/// An affiliate, a hub or a partner institution.
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    /// ISO 3166-1 alpha-2 code, upper case.
    pub country: Option<String>,
    /// The region as given, or the UN M49 sub-region of the country.
    pub region: Option<String>,
    /// Whether `region` was derived from `country` rather than given.
    pub region_derived: bool,
    /// Wikidata item, `Q` followed by digits.
    pub wikidata: Option<String>,
    pub aliases: Vec<String>,
    pub digitisation: Option<Digitisation>,
    /// Columns of `organisations.csv` partnernet does not know, kept as they are.
    pub attributes: Attributes,
    /// Where the organisation was defined (or first mentioned, for `unknown` ones).
    pub origin: Origin,
}

impl Organisation {
    /// An organisation with only its id, name, kind and place of reading:
    /// no country, region, Wikidata item, aliases, digitisation or other
    /// columns. Used for names that match no organisation (kind
    /// [`OrgKind::Unknown`]) and as the start of fuller records.
    ///
    /// ```
    /// use partnernet::model::{Organisation, OrgKind, Origin};
    /// let o = Organisation::new("Some Museum", "Some Museum", OrgKind::Unknown, Origin { file: 1, line: 14 });
    /// assert_eq!(o.region_or_none(), "(no region)");
    /// assert!(o.aliases.is_empty() && o.wikidata.is_none());
    /// ```
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        kind: OrgKind,
        origin: Origin,
    ) -> Self {
        Organisation {
            id: id.into(),
            name: name.into(),
            kind,
            country: None,
            region: None,
            region_derived: false,
            wikidata: None,
            aliases: Vec::new(),
            digitisation: None,
            attributes: Attributes::new(),
            origin,
        }
    }

    /// The region, or `(no region)` for organisations without one.
    pub fn region_or_none(&self) -> &str {
        self.region.as_deref().unwrap_or(NO_REGION)
    }
}

/// How organisations without a country or region are grouped.
pub const NO_REGION: &str = "(no region)";

/// A relation between two organisations, as a row of `relations.csv` says it.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// Index into [`Dataset::organisations`].
    pub source: u32,
    /// Index into [`Dataset::organisations`].
    pub target: u32,
    pub kind: RelationKind,
    pub date: Option<NaiveDate>,
    /// The interview it was recorded in, by the interview's id.
    pub interview: Option<String>,
    /// A positive number, 1 unless given.
    pub weight: f64,
    pub note: Option<String>,
    /// Every place the relation was read from.
    pub origins: Vec<Origin>,
    /// Columns of `relations.csv` partnernet does not know.
    pub attributes: Attributes,
}

/// An interview with an affiliate.
#[derive(Debug, Clone, PartialEq)]
pub struct Interview {
    pub id: String,
    pub date: Option<NaiveDate>,
    /// Index into [`Dataset::organisations`].
    pub affiliate: u32,
    /// What the affiliate needs help with (tags such as `mass-upload`).
    pub needs: Vec<String>,
    /// What the affiliate can offer others.
    pub offers: Vec<String>,
    pub notes: Option<String>,
    pub origin: Origin,
}

/// A row of the staff's own `lead-status.csv`: where outreach to a lead stands.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadStatus {
    /// Index into [`Dataset::organisations`].
    pub organisation: u32,
    pub status: LeadState,
    /// Who on the staff follows the lead.
    pub owner: Option<String>,
    pub updated: Option<NaiveDate>,
    pub note: Option<String>,
    pub origin: Origin,
}

/// A name used in the data that matches no organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct UnresolvedName {
    /// The name as written most often (several spellings that differ only
    /// in case, accents or spacing are one name; on a tie, the smallest as
    /// bytes), whatever the order of the rows.
    pub name: String,
    /// The `unknown` organisation created for it.
    pub organisation: u32,
    /// Where it was first used.
    pub first: Origin,
    /// How many times it was used.
    pub uses: usize,
    /// The closest existing names, best first.
    pub suggestions: Vec<String>,
}

/// Everything read from a dataset folder.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The dataset folder.
    pub root: PathBuf,
    /// The files read, indexed by [`Origin::file`].
    pub files: Vec<PathBuf>,
    /// The tables read from sheets of workbooks, by their index in
    /// [`Dataset::files`]: where their records are, as a spreadsheet names it.
    pub sheets: BTreeMap<u32, SheetSource>,
    /// How each table's file was read (`relations.csv: UTF-8, separated by
    /// semicolons (;)`), for `validate`'s report.
    pub formats: Vec<String>,
    pub organisations: Vec<Organisation>,
    pub relations: Vec<Relation>,
    pub interviews: Vec<Interview>,
    pub unresolved: Vec<UnresolvedName>,
    /// The staff's lead tracking (`lead-status.csv`), one row per organisation.
    pub lead_status: Vec<LeadStatus>,
    /// Warnings (and, when validation failed, errors) found while reading.
    pub problems: Problems,
    pub config: Config,
}

/// A table read from a sheet of a workbook: the sheet's name and the
/// column headers (trimmed, lower case) in the sheet's column order, so that
/// a problem found after reading can name the sheet and the cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SheetSource {
    /// The sheet's name, as the workbook writes it.
    pub sheet: String,
    /// The headers, by 0-based column (`A` is 0).
    pub headers: Vec<String>,
}

impl Dataset {
    /// The file of `origin`, named relative to the dataset folder.
    fn file_name(&self, origin: Origin) -> String {
        self.files
            .get(origin.file as usize)
            .map(|p| {
                p.strip_prefix(&self.root)
                    .unwrap_or(p)
                    .display()
                    .to_string()
            })
            .unwrap_or_default()
    }

    /// Where a record came from: `relations.csv:14`, or for a sheet of a
    /// workbook `relations.xlsx, sheet relations, row 14`; the file named
    /// relative to the dataset folder.
    pub fn locate(&self, origin: Origin) -> String {
        let file = self.file_name(origin);
        match self.sheets.get(&origin.file) {
            Some(s) => format!("{file}, sheet {}, row {}", s.sheet, origin.line),
            None => format!("{file}:{}", origin.line),
        }
    }

    /// The record at `origin` as a message about the record at `from` names
    /// it: `line 14` (`row 14` in a workbook) in the same file and sheet,
    /// otherwise its whole place (`organisations.xlsx, sheet organisations,
    /// row 14`, or `organisations.csv line 14`).
    pub fn refer(&self, origin: Origin, from: Origin) -> String {
        let word = if self.sheets.contains_key(&origin.file) {
            "row"
        } else {
            "line"
        };
        if origin.file == from.file {
            return format!("{word} {}", origin.line);
        }
        match self.sheets.get(&origin.file) {
            Some(_) => self.locate(origin),
            None => format!("{} line {}", self.file_name(origin), origin.line),
        }
    }

    /// A problem about the record at `origin`, in the column headed `column`
    /// (lower case) when given: named by file and line, or for a sheet of a
    /// workbook by file, sheet and cell (`relations.xlsx, sheet relations,
    /// cell C14`; the row when the column is not in the sheet).
    pub fn problem(
        &self,
        severity: Severity,
        origin: Origin,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> Problem {
        let file = self
            .files
            .get(origin.file as usize)
            .map(PathBuf::as_path)
            .unwrap_or(std::path::Path::new(""));
        let mut p = Problem::error(file, Some(origin.line), message);
        p.severity = severity;
        if let Some(s) = self.sheets.get(&origin.file) {
            p.sheet = Some(s.sheet.clone());
            p.cell = column
                .and_then(|c| s.headers.iter().position(|h| h == c))
                .map(|c| crate::error::cell_name(c, origin.line));
        }
        p
    }
}

/// A dataset and the tie graph built from it: what every analysis reads.
#[derive(Debug, Clone)]
pub struct Model {
    pub dataset: Dataset,
    pub ties: TieGraph,
}

impl Model {
    /// Builds the tie graph of a dataset.
    pub fn new(dataset: Dataset) -> Model {
        let ties = TieGraph::build(&dataset.organisations, &dataset.relations);
        Model { dataset, ties }
    }

    /// The organisations, indexed as the tie graph's nodes.
    pub fn orgs(&self) -> &[Organisation] {
        &self.dataset.organisations
    }

    pub fn config(&self) -> &Config {
        &self.dataset.config
    }
}
