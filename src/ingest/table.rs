//! Reading one CSV file of a dataset: headers by name, every field checked to
//! be UTF-8, every problem located by file, line and column.

use std::path::{Path, PathBuf};

use csv::ByteRecord;
use rayon::prelude::*;

use crate::error::{shorten, Problem, Problems};

/// A CSV file read into memory, with its header.
pub struct Table {
    pub path: PathBuf,
    bytes: Vec<u8>,
    /// Header names, trimmed and lower-cased.
    pub headers: Vec<String>,
}

/// One data row of a [`Table`].
pub struct Row<'t> {
    table: &'t Table,
    record: &'t ByteRecord,
    /// 1-based line number where the row starts.
    pub line: u64,
}

impl Table {
    /// Reads `path`. Returns `None` (with a problem) when the file cannot be
    /// read, is empty, or lacks one of the `required` columns.
    pub fn read(
        path: &Path,
        required: &[&str],
        expected: &str,
        problems: &mut Problems,
    ) -> Option<Table> {
        let mut bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem::error(
                    path,
                    None,
                    format!("cannot read the file: {e}"),
                ));
                return None;
            }
        };
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let mut reader = reader(&bytes);
        let header = match reader.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                problems.push(Problem::error(
                    path,
                    Some(1),
                    format!("cannot read the header: {e}"),
                ));
                return None;
            }
        };
        if header.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            problems.push(Problem::error(
                path,
                Some(1),
                format!("the file is empty; its first line must be the header: {expected}"),
            ));
            return None;
        }
        let mut headers = Vec::with_capacity(header.len());
        for (i, f) in header.iter().enumerate() {
            match std::str::from_utf8(f) {
                Ok(s) => headers.push(s.trim().to_lowercase()),
                Err(_) => {
                    problems.push(not_utf8(path, 1, &format!("header {}", i + 1), f));
                    return None;
                }
            }
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| !headers.iter().any(|h| h == r))
            .collect();
        if !missing.is_empty() {
            problems.push(
                Problem::error(
                    path,
                    Some(1),
                    format!(
                        "missing required column(s) {}; the header must include: {expected}",
                        missing.join(", ")
                    ),
                )
                .at("header", &headers.join(",")),
            );
            return None;
        }
        let mut seen = std::collections::HashSet::new();
        for h in &headers {
            if !h.is_empty() && !seen.insert(h.as_str()) {
                problems.push(
                    Problem::warning(
                        path,
                        Some(1),
                        "the column appears twice; only the first is read",
                    )
                    .at("header", h),
                );
            }
        }
        Some(Table {
            path: path.to_path_buf(),
            bytes,
            headers,
        })
    }

    /// An upper bound on the number of data rows (the number of lines), for
    /// reserving memory up front.
    pub fn row_estimate(&self) -> usize {
        self.bytes.iter().filter(|b| **b == b'\n').count() + 1
    }

    /// The index of a column by (lower-case) name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Reads every data row in chunks: `parse` runs on the rows of a chunk in
    /// parallel, then `sink` takes the results one by one in file order (with `state`, which `parse`
    /// may read and `sink` may change), so
    /// the outcome does not depend on the number of threads. Rows that cannot
    /// be parsed as CSV are reported and skipped; blank rows are skipped.
    /// Stops early when `problems` is full.
    pub fn par_rows<S: Sync, T: Send>(
        &self,
        state: &mut S,
        problems: &mut Problems,
        parse: impl Fn(&S, &Row<'_>, &mut Problems) -> T + Sync,
        mut sink: impl FnMut(&mut S, T, &Row<'_>, &mut Problems),
    ) {
        const CHUNK: usize = 16_384;
        let mut reader = reader(&self.bytes);
        let mut records: Vec<ByteRecord> = Vec::new();
        loop {
            if problems.full() {
                return;
            }
            let mut filled = 0;
            let mut stop = false;
            while filled < CHUNK {
                if records.len() == filled {
                    records.push(ByteRecord::new());
                }
                match reader.read_byte_record(&mut records[filled]) {
                    Ok(false) => {
                        stop = true;
                        break;
                    }
                    Ok(true) => {
                        if !records[filled]
                            .iter()
                            .all(|f| f.iter().all(u8::is_ascii_whitespace))
                        {
                            filled += 1;
                        }
                    }
                    Err(e) => {
                        let line = e.position().map(|p| p.line());
                        problems.push(Problem::error(
                            &self.path,
                            line,
                            format!("cannot read the row: {e}"),
                        ));
                        if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                            stop = true;
                            break;
                        }
                    }
                }
            }
            let rows: Vec<Row<'_>> = records[..filled]
                .iter()
                .map(|record| Row {
                    table: self,
                    record,
                    line: record.position().map(|p| p.line()).unwrap_or(0),
                })
                .collect();
            let shared: &S = state;
            let parsed: Vec<(T, Problems)> = rows
                .par_iter()
                .map(|row| {
                    let mut p = Problems::default();
                    let t = parse(shared, row, &mut p);
                    (t, p)
                })
                .collect();
            for ((t, p), row) in parsed.into_iter().zip(&rows) {
                problems.extend(p);
                sink(state, t, row, problems);
            }
            if stop {
                return;
            }
        }
    }
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(bytes)
}

fn not_utf8(path: &Path, line: u64, column: &str, bytes: &[u8]) -> Problem {
    Problem::error(
        path,
        Some(line),
        "the text is not valid UTF-8; save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
    )
    .at(column, &shorten(&String::from_utf8_lossy(bytes), 80))
}

impl<'t> Row<'t> {
    /// The trimmed value of a column, `None` when the column is absent or the
    /// cell is empty. Invalid UTF-8 is reported and read as `None`.
    pub fn get(&self, column: Option<usize>, problems: &mut Problems) -> Option<&str> {
        let i = column?;
        let bytes = self.record.get(i)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                let s = s.trim();
                (!s.is_empty()).then_some(s)
            }
            Err(_) => {
                problems.push(not_utf8(
                    &self.table.path,
                    self.line,
                    &self.table.headers[i],
                    bytes,
                ));
                None
            }
        }
    }

    /// The file the row is in.
    pub fn file(&self) -> &'t Path {
        &self.table.path
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
        Problem::error(&self.table.path, Some(self.line), message).at(column, value)
    }

    /// A warning about `value` in `column` of this row.
    pub fn warning(&self, column: &str, value: &str, message: impl Into<String>) -> Problem {
        Problem::warning(&self.table.path, Some(self.line), message).at(column, value)
    }

    /// Columns beyond `known`, as name → value, for keeping as attributes.
    pub fn extra(
        &self,
        known: &[&str],
        problems: &mut Problems,
    ) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        for (i, h) in self.table.headers.iter().enumerate() {
            if h.is_empty() || known.contains(&h.as_str()) || out.contains_key(h) {
                continue;
            }
            if let Some(v) = self.get(Some(i), problems) {
                out.insert(h.clone(), v.to_string());
            }
        }
        out
    }

    /// Whether the table has columns beyond `known`.
    pub fn has_extra(&self, known: &[&str]) -> bool {
        self.table
            .headers
            .iter()
            .any(|h| !h.is_empty() && !known.contains(&h.as_str()))
    }
}
