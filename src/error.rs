//! Errors and data problems.
//!
//! A data problem names the file, the line, the column, the value and what was
//! expected. Ingest collects every problem of a run (up to [`PROBLEM_LIMIT`])
//! before it gives up, so staff can fix a file in one pass.

use std::fmt;
use std::path::{Path, PathBuf};

/// How many problems a run reports before it stops listing them.
pub const PROBLEM_LIMIT: usize = 200;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Reported; the run goes on.
    Warning,
    /// The data cannot be analysed until it is fixed.
    Error,
}

/// One problem in the data, located as exactly as possible.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based line number in the file (the row number, in a workbook), where known.
    pub line: Option<u64>,
    /// The sheet, when the file is a workbook.
    pub sheet: Option<String>,
    /// The cell as a spreadsheet names it (`C14`), when the file is a workbook.
    pub cell: Option<String>,
    /// The column's name, where the problem is in one field.
    pub column: Option<String>,
    /// The offending value as written (shortened when very long).
    pub value: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    pub fn error(file: &Path, line: Option<u64>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line,
            sheet: None,
            cell: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    pub fn warning(file: &Path, line: Option<u64>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, line, message)
        }
    }

    /// The same problem with its file named relative to `root` (the dataset
    /// folder), as the reports show it.
    pub fn relative_to(&self, root: &Path) -> Problem {
        let file = self
            .file
            .strip_prefix(root)
            .unwrap_or(&self.file)
            .to_path_buf();
        Problem {
            file,
            ..self.clone()
        }
    }

    /// Names the column and the value the problem is about.
    pub fn at(mut self, column: &str, value: &str) -> Problem {
        self.column = Some(column.to_string());
        self.value = Some(shorten(value, 80));
        self
    }
}

/// Shortens `s` to at most `max` characters, marking the cut with `…`.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// `s` with its control characters (line breaks and tabs too) escaped as
/// Rust writes them (`\n`, `\t`, `\u{1b}`): a problem is one line, and no
/// name or column in it can start another line or act in a terminal.
fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

impl fmt::Display for Problem {
    /// One line: `error: FILE, line N, column 'C', value "V": MESSAGE`, with
    /// control characters escaped (see `one_line`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = self.file.display().to_string();
        write!(f, "{label}: {}", one_line(&file))?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet {}", one_line(sheet))?;
        }
        match (&self.cell, self.line) {
            (Some(cell), _) => write!(f, ", cell {cell}")?,
            (None, Some(line)) if self.sheet.is_some() => write!(f, ", row {line}")?,
            (None, Some(line)) => write!(f, ", line {line}")?,
            (None, None) => {}
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{}'", one_line(column))?;
        }
        if let Some(value) = &self.value {
            write!(f, ", value {value:?}")?;
        }
        write!(f, ": {}", one_line(&self.message))
    }
}

/// All the problems found in one run.
#[derive(Debug, Default, Clone)]
pub struct Problems {
    items: Vec<Problem>,
    /// Problems found beyond [`PROBLEM_LIMIT`], counted but not kept.
    pub dropped: usize,
    /// How many of the `dropped` problems are errors.
    pub dropped_errors: usize,
    /// Whether reading stopped at an error that makes the rest moot (a
    /// dataset larger than partnernet reads): see [`Problems::halt`].
    halted: bool,
}

impl Problems {
    /// Whether a problem pushed now would be listed: fewer than
    /// [`PROBLEM_LIMIT`] are. When not, a reader may call
    /// [`Problems::count_unlisted`] instead of making the problem's message.
    pub fn listing(&self) -> bool {
        self.items.len() < PROBLEM_LIMIT
    }

    /// Counts a problem of `severity` beyond the listed ones, as
    /// [`Problems::push`] counts a problem once the list is full.
    pub fn count_unlisted(&mut self, severity: Severity) {
        self.dropped += 1;
        if severity == Severity::Error {
            self.dropped_errors += 1;
        }
    }

    /// Lists `p`, or only counts it once [`PROBLEM_LIMIT`] problems are listed.
    pub fn push(&mut self, p: Problem) {
        if self.listing() {
            self.items.push(p);
        } else {
            self.count_unlisted(p.severity);
        }
    }

    pub fn extend(&mut self, other: Problems) {
        for p in other.items {
            self.push(p);
        }
        self.dropped += other.dropped;
        self.dropped_errors += other.dropped_errors;
        self.halted |= other.halted;
    }

    /// Adds the error `p` and stops reading: from here on
    /// [`Problems::full`] and [`Problems::halted`] are true, so readers add
    /// nothing more to the dataset and the run fails with `p` among its errors.
    pub fn halt(&mut self, p: Problem) {
        debug_assert_eq!(p.severity, Severity::Error);
        self.push(p);
        self.halted = true;
    }

    /// Whether [`Problems::halt`] stopped reading.
    pub fn halted(&self) -> bool {
        self.halted
    }

    pub fn items(&self) -> &[Problem] {
        &self.items
    }

    /// The errors listed (see [`Problems::all_errors`] for every one).
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    /// The warnings listed.
    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    /// Every error found, listed or beyond the limit.
    pub fn all_errors(&self) -> usize {
        self.errors() + self.dropped_errors
    }

    /// Every warning found, listed or beyond the limit.
    pub fn all_warnings(&self) -> usize {
        self.warnings() + self.dropped - self.dropped_errors
    }

    pub fn has_errors(&self) -> bool {
        self.dropped_errors > 0 || self.errors() > 0
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.dropped == 0
    }

    /// Whether reading can stop: reading was halted, or the list is full
    /// and holds an error, so the run fails whatever the rest of the files say. Warnings alone
    /// never stop reading: every row they leave in is analysed.
    pub fn full(&self) -> bool {
        self.halted || (self.items.len() >= PROBLEM_LIMIT && self.has_errors())
    }

    /// The problems as text, one a line, with a closing count.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for p in &self.items {
            out.push_str(&p.to_string());
            out.push('\n');
        }
        if self.dropped > 0 {
            out.push_str(&format!(
                "… and {} more problems not listed (only the first {PROBLEM_LIMIT} are shown)\n",
                self.dropped
            ));
        }
        out
    }
}

/// What can go wrong in a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The dataset has problems that must be fixed first (exit status 2).
    #[error("the dataset has {} error(s); fix them and run again", .0.all_errors())]
    InvalidData(Problems),
    /// Anything else: files that cannot be read or written, bad settings (exit status 1).
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Error {
    /// The process exit status for this error: 2 for invalid data, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::InvalidData(_) => 2,
            Error::Other(_) => 1,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Other(e.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A cell's name as spreadsheets write it: column `2` (0-based), row 14 is
/// `C14`; column 27 is `AB`.
///
/// ```
/// use partnernet::error::cell_name;
/// assert_eq!(cell_name(2, 14), "C14");
/// assert_eq!(cell_name(27, 1), "AB1");
/// ```
pub fn cell_name(column: usize, row: u64) -> String {
    format!("{}{row}", column_letters(column))
}

/// A column's letters as spreadsheets write them: column `0` (0-based) is
/// `A`, column 27 is `AB`.
///
/// ```
/// use partnernet::error::column_letters;
/// assert_eq!(column_letters(0), "A");
/// assert_eq!(column_letters(27), "AB");
/// ```
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut c = column + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(b'A' + r as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `tables` and `wikidata` fuzz targets: a header holding
    /// tabs or a line break (a quoted column name) reached the message raw.
    #[test]
    fn a_problem_is_one_line_whatever_its_column_and_message_hold() {
        let p = Problem::error(
            Path::new("data/organisations.csv"),
            Some(4),
            "no column named x\nerror: forged\t\u{1b}[2J",
        )
        .at("id\tname\nkind", "v\n");
        let text = p.to_string();
        assert!(!text.chars().any(char::is_control), "{text}");
        assert_eq!(
            text,
            "error: data/organisations.csv, line 4, column 'id\\tname\\nkind', value \"v\\n\": \
             no column named x\\nerror: forged\\t\\u{1b}[2J"
        );
    }
}
