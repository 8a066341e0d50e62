//! A table of a dataset as its readers give it: a header and rows, each row
//! with its place (file and line, or file, sheet and cell), whatever form the
//! table came in. Validation reads a [`Table`] through [`Row::get`] and
//! reports through [`Row::error`] and [`Row::warning`], and never needs to
//! know which reader made it.
//!
//! The readers: [`super::csv`] (CSV text). A reader hands its rows over
//! either as CSV text (parsed in parallel, in pieces) or as cells already
//! split ([`Table::from_cells`]).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csv::ByteRecord;
use rayon::prelude::*;

use super::csv::CsvBody;
use crate::error::{shorten, Problem, Problems, Severity};
use crate::model::Attributes;

/// A table read from one file (or one sheet of a workbook), with its header.
pub struct Table {
    pub path: PathBuf,
    /// The sheet, when the table is a sheet of a workbook.
    pub sheet: Option<String>,
    /// Header names, trimmed and lower-cased.
    pub headers: Vec<String>,
    /// Whether numbers may be written with a decimal comma (`1,5`) without a
    /// word: in workbooks, and in CSV files not separated by commas.
    pub decimal_comma: bool,
    /// How the reader read the file, in the staff's words (`UTF-8, separated
    /// by semicolons (;)`), for `validate`'s report.
    pub read_as: String,
    /// `headers`, shared with the attributes of the rows read.
    shared_headers: Vec<Arc<str>>,
    body: Body,
}

/// The rows of a table, as its reader gave them.
enum Body {
    /// CSV text, parsed when the rows are read.
    Csv(CsvBody),
    /// Rows already split into cells.
    Cells(Vec<CellRow>),
}

/// `s.trim()`, without decoding characters when `s` starts and ends with
/// a visible ASCII character (no white space to trim then), as most cells do.
fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// One row of a table given as cells (a sheet of a workbook).
#[derive(Debug, Clone, Default)]
pub struct CellRow {
    /// 1-based row number, as the spreadsheet shows it.
    pub number: u64,
    /// The cells' text, one per header column (missing ones read as empty).
    pub cells: Vec<String>,
}

/// One data row of a [`Table`].
pub struct Row<'t> {
    table: &'t Table,
    fields: Fields<'t>,
    /// 1-based line number where the row starts (the row number, in a workbook).
    pub line: u64,
}

/// A row's fields, as its reader gave them.
#[derive(Clone, Copy)]
enum Fields<'t> {
    Csv(&'t ByteRecord),
    Cells(&'t [String]),
}

/// Where a value was read: a file (and a sheet, and the column of the cell,
/// in a workbook). Displays as a spreadsheet names it:
/// `relations.xlsx, sheet relations, cell C14`, or `relations.csv, line 14`.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub file: &'a Path,
    pub sheet: Option<&'a str>,
    /// 0-based column of the cell, for a workbook.
    pub column: Option<usize>,
}

impl<'a> Place<'a> {
    /// A place in a text file (a note, a CSV file), located by line.
    pub fn file(file: &'a Path) -> Place<'a> {
        Place {
            file,
            sheet: None,
            column: None,
        }
    }

    /// A problem at `line` of this place.
    pub fn problem(
        &self,
        severity: Severity,
        line: Option<u64>,
        message: impl Into<String>,
    ) -> Problem {
        let mut p = Problem::error(self.file, line, message);
        p.severity = severity;
        if let Some(sheet) = self.sheet {
            p.sheet = Some(sheet.to_string());
            if let (Some(c), Some(l)) = (self.column, line) {
                p.cell = Some(cell_name(c, l));
            }
        }
        p
    }

    /// This place and `line`, as the reports name it.
    pub fn display(&self, line: Option<u64>) -> String {
        let p = self.problem(Severity::Error, line, "");
        let s = p.to_string();
        let s = s.strip_prefix("error: ").unwrap_or(&s);
        s.strip_suffix(": ").unwrap_or(s).to_string()
    }
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(None))
    }
}

pub use crate::error::{cell_name, column_letters};

impl Table {
    /// A table of `headers` (as written) and `body`, checked: `None` (with a
    /// problem) when the header is empty or lacks one of the `required`
    /// columns; a column named twice is a warning. `expected` is the header
    /// to suggest.
    #[allow(clippy::too_many_arguments)]
    fn new(
        path: &Path,
        sheet: Option<String>,
        header_line: u64,
        headers: Vec<String>,
        body: Body,
        required: &[&str],
        expected: &str,
        problems: &mut Problems,
    ) -> Option<Table> {
        let mut table = Table {
            path: path.to_path_buf(),
            sheet,
            headers: Vec::new(),
            decimal_comma: !matches!(&body, Body::Csv(b) if b.delimiter() == b','),
            read_as: String::new(),
            shared_headers: Vec::new(),
            body,
        };
        let header_place = |column: Option<usize>| Place {
            file: path,
            sheet: table.sheet.as_deref(),
            column,
        };
        if headers.iter().all(|h| h.trim().is_empty()) {
            problems.push(header_place(None).problem(
                Severity::Error,
                Some(header_line),
                format!("the file is empty; its first line must be the header: {expected}"),
            ));
            return None;
        }
        let written = headers;
        let headers: Vec<String> = written.iter().map(|h| h.trim().to_lowercase()).collect();
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| !headers.iter().any(|h| h == r))
            .collect();
        if !missing.is_empty() {
            problems.push(
                header_place(None)
                    .problem(
                        Severity::Error,
                        Some(header_line),
                        format!(
                            "missing required column(s) {}; the header must include: {expected}",
                            missing.join(", ")
                        ),
                    )
                    .at("header", &headers.join(",")),
            );
            return None;
        }
        // Headers are matched without regard to case or surrounding spaces, so
        // `Label` and `label` would be one column: the second would be
        // silently lost. Both are named, as a spreadsheet shows them.
        let mut first_of: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, h) in headers.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if let Some(&first) = first_of.get(h.as_str()) {
                let (a, b) = (written[first].trim(), written[i].trim());
                let same = if a == b {
                    format!("both headed {a:?}")
                } else {
                    format!("headed {a:?} and {b:?}, which partnernet reads as one name (capitals and spaces do not count)")
                };
                problems.push(
                    header_place(Some(i))
                        .problem(
                            Severity::Error,
                            Some(header_line),
                            format!(
                                "columns {} and {} are {same}; rename or delete one of them (only one column may have each name)",
                                column_letters(first),
                                column_letters(i),
                            ),
                        )
                        .at("header", b),
                );
            } else {
                first_of.insert(h.as_str(), i);
            }
        }
        table.shared_headers = headers.iter().map(|h| Arc::from(h.as_str())).collect();
        table.headers = headers;
        Some(table)
    }

    /// A table of CSV text (see [`super::csv`]).
    pub(super) fn from_csv(
        path: &Path,
        headers: Vec<String>,
        body: CsvBody,
        required: &[&str],
        expected: &str,
        problems: &mut Problems,
    ) -> Option<Table> {
        Table::new(
            path,
            None,
            1,
            headers,
            Body::Csv(body),
            required,
            expected,
            problems,
        )
    }

    /// A table of rows already split into cells, such as a sheet of a
    /// workbook: `headers` as written in the header row (row `header_row`,
    /// 1-based), `rows` the data rows after it (blank rows may be left in;
    /// they are skipped).
    #[allow(clippy::too_many_arguments)]
    pub fn from_cells(
        path: &Path,
        sheet: Option<String>,
        header_row: u64,
        headers: Vec<String>,
        rows: Vec<CellRow>,
        required: &[&str],
        expected: &str,
        problems: &mut Problems,
    ) -> Option<Table> {
        let mut rows = rows;
        super::controls::clean_cells(path, sheet.as_deref(), &headers, &mut rows, problems);
        Table::new(
            path,
            sheet,
            header_row,
            headers,
            Body::Cells(rows),
            required,
            expected,
            problems,
        )
    }

    /// The place of the table (the file, and the sheet), without a cell.
    pub fn place(&self) -> Place<'_> {
        Place {
            file: &self.path,
            sheet: self.sheet.as_deref(),
            column: None,
        }
    }

    /// An upper bound on the number of data rows, for reserving memory up front.
    pub fn row_estimate(&self) -> usize {
        match &self.body {
            Body::Csv(b) => b.row_estimate(),
            Body::Cells(rows) => rows.len(),
        }
    }

    /// The index of a column by (lower-case) name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Reads every data row: `parse` runs on the rows in parallel, then
    /// `sink` takes the results one by one in file order (with `state`, which
    /// `parse` may read and `sink` may change; `parse` may see `state` as it
    /// was some rows earlier), so the outcome does not depend on the number
    /// of threads. Rows that cannot be read are reported and skipped; blank
    /// rows are skipped. Stops early when `problems` is full (checked every
    /// [`CHECK_EVERY`] rows).
    pub fn par_rows<S: Sync, T: Send>(
        &self,
        state: &mut S,
        problems: &mut Problems,
        parse: impl Fn(&S, &Row<'_>, &mut Problems) -> T + Sync,
        sink: impl FnMut(&mut S, T, &Row<'_>, &mut Problems),
    ) {
        self.par_rows_warm(state, problems, |_, _| {}, parse, sink)
    }

    /// [`Table::par_rows`], with `warm` called on each block of a few dozen
    /// rows before they are parsed (to start loading what their parsing will
    /// look up, so that it waits on memory once for the block).
    pub fn par_rows_warm<S: Sync, T: Send>(
        &self,
        state: &mut S,
        problems: &mut Problems,
        warm: impl Fn(&S, &[Row<'_>]) + Sync,
        parse: impl Fn(&S, &Row<'_>, &mut Problems) -> T + Sync,
        mut sink: impl FnMut(&mut S, T, &Row<'_>, &mut Problems),
    ) {
        match &self.body {
            Body::Csv(body) => body.par_rows_warm(self, state, problems, warm, parse, sink),
            Body::Cells(rows) => {
                let rows: Vec<Row<'_>> = rows
                    .iter()
                    .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
                    .map(|r| Row {
                        table: self,
                        fields: Fields::Cells(&r.cells),
                        line: r.number,
                    })
                    .collect();
                for (k, wave) in rows.chunks(CHECK_EVERY).enumerate() {
                    if k > 0 && problems.full() {
                        return;
                    }
                    let parsed: Vec<(T, Problems)> = {
                        let shared: &S = state;
                        wave.par_chunks(BLOCK)
                            .flat_map_iter(|block| {
                                warm(shared, block);
                                block.iter().map(|row| {
                                    let mut found = Problems::default();
                                    let t = parse(shared, row, &mut found);
                                    (t, found)
                                })
                            })
                            .collect()
                    };
                    for ((t, found), row) in parsed.into_iter().zip(wave) {
                        problems.extend(found);
                        sink(state, t, row, problems);
                    }
                }
            }
        }
    }
}

/// How many rows `warm` is given at once.
pub(super) const BLOCK: usize = 64;

/// How often (in rows) reading checks whether the problems are full.
pub(super) const CHECK_EVERY: usize = 16_384;

impl<'t> Row<'t> {
    /// A row of CSV text.
    pub(super) fn csv(table: &'t Table, record: &'t ByteRecord, line: u64) -> Row<'t> {
        Row {
            table,
            fields: Fields::Csv(record),
            line,
        }
    }

    /// The CSV record of the row, when the table is CSV text.
    #[cfg(test)]
    pub(super) fn record(&self) -> Option<&'t ByteRecord> {
        match self.fields {
            Fields::Csv(r) => Some(r),
            Fields::Cells(_) => None,
        }
    }

    /// The trimmed value of a column, `None` when the column is absent or the
    /// cell is empty. Invalid UTF-8 is reported and read as `None`.
    pub fn get(&self, column: Option<usize>, problems: &mut Problems) -> Option<&'t str> {
        let i = column?;
        let s = match self.fields {
            Fields::Cells(cells) => cells.get(i)?.as_str(),
            Fields::Csv(record) => {
                let bytes = record.get(i)?;
                if matches!(&self.table.body, Body::Csv(body) if body.is_utf8()) {
                    debug_assert!(std::str::from_utf8(bytes).is_ok());
                    // SAFETY: `record` was read from the table's own text,
                    // which is valid UTF-8; a field of a valid UTF-8 text
                    // is valid UTF-8 (see `CsvBody::is_utf8`). This skips a
                    // check per cell, 7 % of ingest's instructions.
                    let s = trim(unsafe { std::str::from_utf8_unchecked(bytes) });
                    return (!s.is_empty()).then_some(s);
                }
                match std::str::from_utf8(bytes) {
                    Ok(s) => s,
                    Err(_) => {
                        problems.push(
                            self.place(Some(i))
                                .problem(
                                    Severity::Error,
                                    Some(self.line),
                                    "the text is not valid UTF-8; save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
                                )
                                .at(
                                    &self.table.headers[i],
                                    &shorten(&String::from_utf8_lossy(bytes), 80),
                                ),
                        );
                        return None;
                    }
                }
            }
        };
        let s = trim(s);
        (!s.is_empty()).then_some(s)
    }

    /// The bytes of a column with ASCII spaces trimmed, unchecked: for
    /// warming caches, not for reading values.
    pub fn raw(&self, column: Option<usize>) -> Option<&'t [u8]> {
        let i = column?;
        match self.fields {
            Fields::Csv(record) => Some(record.get(i)?.trim_ascii()),
            Fields::Cells(cells) => Some(cells.get(i)?.as_bytes().trim_ascii()),
        }
    }

    /// Another row of the same table as a message names it: `line 14`, or
    /// `row 14` in a workbook.
    pub fn refer(&self, line: u64) -> String {
        match self.table.sheet {
            Some(_) => format!("row {line}"),
            None => format!("line {line}"),
        }
    }

    /// The file the row is in.
    pub fn file(&self) -> &'t Path {
        &self.table.path
    }

    /// Where a value of column `column` (0-based) of this row is.
    pub fn place(&self, column: Option<usize>) -> Place<'t> {
        Place {
            file: &self.table.path,
            sheet: self.table.sheet.as_deref(),
            column,
        }
    }

    /// Where the value of the column named `name` of this row is.
    pub fn place_of(&self, name: &str) -> Place<'t> {
        self.place(self.table.column(name))
    }

    /// The (lower-case) name of column `index`.
    pub fn column_name(&self, index: usize) -> &'t str {
        self.table
            .headers
            .get(index)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// An error about `value` in `column` of this row.
    pub fn error(&self, column: &str, value: &str, message: impl Into<String>) -> Problem {
        self.place_of(column)
            .problem(Severity::Error, Some(self.line), message)
            .at(column, value)
    }

    /// An error about the whole row (in a workbook, placed at its first cell).
    pub fn row_error(&self, message: impl Into<String>) -> Problem {
        self.place(Some(0))
            .problem(Severity::Error, Some(self.line), message)
    }

    /// A warning about `value` in `column` of this row.
    pub fn warning(&self, column: &str, value: &str, message: impl Into<String>) -> Problem {
        self.place_of(column)
            .problem(Severity::Warning, Some(self.line), message)
            .at(column, value)
    }

    /// Columns beyond `known`, as name → value, for keeping as attributes.
    /// The first of two columns of one name is kept.
    pub fn extra(&self, known: &[&str], problems: &mut Problems) -> Attributes {
        let names = &self.table.shared_headers;
        names
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.is_empty() && !known.contains(&&***h))
            .filter_map(|(i, h)| Some((Arc::clone(h), self.get(Some(i), problems)?)))
            .collect()
    }

    /// Whether the table has columns beyond `known`.
    pub fn has_extra(&self, known: &[&str]) -> bool {
        self.table
            .headers
            .iter()
            .any(|h| !h.is_empty() && !known.contains(&h.as_str()))
    }
}
