//! CSV tables that are safe to open in a spreadsheet.
//!
//! Staff open partnernet's tables in Excel and LibreOffice. A text cell that
//! begins with `=`, `+`, `-`, `@`, a tab or a carriage return (after any
//! spaces, NUL bytes or invisible characters a spreadsheet skips) could be
//! taken as a formula there, so such cells get a leading `'`, as OWASP's
//! advice on CSV injection says. Cells that are plain numbers (such as `-0.5`) are left
//! alone. Every CSV file partnernet writes goes through [`SafeCsv`].

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;

/// Neutralises a cell that a spreadsheet could run as a formula.
///
/// What counts is the first character a spreadsheet sees: LibreOffice and
/// Excel skip NUL bytes, spaces, other control characters and invisible
/// format characters (zero-width spaces, byte-order marks, bidirectional
/// controls) before they decide, so those are looked past. A cell whose
/// first seen character is `=`, `+`, `-`, `@` (or their full-width forms),
/// or that starts with a tab or a carriage return, gets a leading `'`, unless
/// what is seen is a plain number.
///
/// ```
/// use partnernet::output::csv::neutralise;
/// assert_eq!(neutralise("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
/// assert_eq!(neutralise("-0.25"), "-0.25");
/// assert_eq!(neutralise("@home"), "'@home");
/// assert_eq!(neutralise("\0=1+1"), "'\0=1+1");
/// assert_eq!(neutralise(" \u{200B}+SUM(A1)"), "' \u{200B}+SUM(A1)");
/// assert_eq!(neutralise("\tSales"), "'\tSales");
/// assert_eq!(neutralise("Example Museum"), "Example Museum");
/// ```
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let starts_badly = cell.starts_with(['\t', '\r']);
    let seen = cell.trim_start_matches(looked_past);
    let formula = seen.starts_with([
        '=', '+', '-', '@', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
    ]);
    if (starts_badly || formula) && !is_number(seen) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Characters a spreadsheet looks past before it decides whether a cell
/// is a formula: white space, control characters (NUL among them) and
/// invisible format characters.
fn looked_past(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || crate::text::bidi_control(c)
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{061C}' | '\u{180E}'
        )
}

fn is_number(s: &str) -> bool {
    s.len() > 1 && s.parse::<f64>().map(|v| v.is_finite()).unwrap_or(false)
}

/// The UTF-8 byte-order mark every CSV file starts with: Excel on Windows
/// reads a CSV file without it in the system's code page, so `Lusvéria`
/// would show as `LusvÃ©ria`. LibreOffice, Python's `utf-8-sig`, pandas and
/// the `csv` crate skip it.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV file being written, every cell neutralised, after a [`BOM`].
pub struct SafeCsv {
    writer: csv::Writer<BufWriter<File>>,
    path: std::path::PathBuf,
}

impl SafeCsv {
    /// Creates `path` (and its folder) and writes the header.
    pub fn create(path: &Path, header: &[&str]) -> anyhow::Result<SafeCsv> {
        if let Some(parent) = path.parent() {
            super::dir::create_folders(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut file = BufWriter::with_capacity(1 << 16, file);
        file.write_all(BOM)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut out = SafeCsv {
            writer: csv::WriterBuilder::new().from_writer(file),
            path: path.to_path_buf(),
        };
        out.row(header.iter().copied())?;
        Ok(out)
    }

    /// Writes one row.
    pub fn row<I, S>(&mut self, cells: I) -> anyhow::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        put_row(&mut self.writer, cells)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// Writes `count` more rows, row `i` made by `row(i)`, and closes the
    /// file. The rows are formatted in parallel chunks; the bytes are those
    /// of writing them one by one with [`SafeCsv::row`].
    pub fn finish_with_rows<R, S>(
        self,
        count: usize,
        row: impl Fn(usize) -> R + Sync,
    ) -> anyhow::Result<()>
    where
        R: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.finish_with_rows_touching(count, |_| 0, row)
    }

    /// [`SafeCsv::finish_with_rows`], with `touch(i)` called a few rows
    /// before row `i` is made: it reads (and returns a mix of) the values row
    /// `i` will be made of, so that they are on their way from memory by
    /// then. For tables whose rows gather values scattered over memory.
    pub fn finish_with_rows_touching<R, S>(
        self,
        count: usize,
        touch: impl Fn(usize) -> u64 + Sync,
        row: impl Fn(usize) -> R + Sync,
    ) -> anyhow::Result<()>
    where
        R: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let (mut out, path) = self.into_file()?;
        let context = || format!("cannot write {}", path.display());
        super::write_chunks(
            count,
            |range| {
                let mut chunk = csv::WriterBuilder::new().from_writer(Vec::new());
                put_rows(&mut chunk, range, &touch, &row, |_| {})?;
                chunk.into_inner().map_err(|e| e.into_error())
            },
            |bytes| out.write_all(bytes),
        )
        .and_then(|()| out.flush())
        .with_context(context)
    }

    /// Writes rows already formatted by [`formatted_rows`] and closes the
    /// file.
    pub fn finish_with_formatted<'a>(
        self,
        rows: impl IntoIterator<Item = &'a [u8]>,
    ) -> anyhow::Result<()> {
        let (mut out, path) = self.into_file()?;
        let context = || format!("cannot write {}", path.display());
        for row in rows {
            out.write_all(row).with_context(context)?;
        }
        out.flush().with_context(context)
    }

    /// The file under the CSV writer, with what was written so far, and
    /// its path (for messages).
    fn into_file(self) -> anyhow::Result<(BufWriter<File>, std::path::PathBuf)> {
        let path = self.path;
        let out = self
            .writer
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok((out, path))
    }

    /// Flushes the file; call it last.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.writer
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// Writes one row, every cell neutralised.
fn put_row<W: Write, S: AsRef<str>>(
    writer: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    for cell in cells {
        writer.write_field(neutralise(cell.as_ref()).as_bytes())?;
    }
    writer.write_record(None::<&[u8]>)
}

/// Writes rows `rows`, row `i` made by `row(i)`, calling `after` after each.
///
/// The rows are made a few at a time and the first byte of each of their
/// cells is read before any is written: the names and ids in them lie
/// scattered over memory, and read together they are fetched together
/// rather than one cell after another (on the million-organisation
/// movement, most of the time of writing the tables was spent waiting for
/// them). `touch` is called on the rows of the next few before they are
/// made (see [`SafeCsv::finish_with_rows_touching`]). The bytes written are
/// those of [`put_row`] row after row.
fn put_rows<W: Write, R, S>(
    writer: &mut csv::Writer<W>,
    rows: std::ops::Range<usize>,
    touch: &impl Fn(usize) -> u64,
    row: &impl Fn(usize) -> R,
    mut after: impl FnMut(&mut csv::Writer<W>),
) -> csv::Result<()>
where
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    const AHEAD: usize = 16;
    let mut cells: Vec<S> = Vec::new();
    let mut ends: Vec<usize> = Vec::with_capacity(AHEAD);
    // The batch of rows from `first` on.
    let batch = |first: usize| first..(first + AHEAD).min(rows.end);
    let touch_batch = |first: usize| {
        std::hint::black_box(batch(first).fold(0, |t, i| t ^ touch(i)));
    };
    let mut first = rows.start;
    touch_batch(first);
    while first < rows.end {
        let last = batch(first).end;
        touch_batch(last);
        cells.clear();
        ends.clear();
        for i in batch(first) {
            cells.extend(row(i));
            ends.push(cells.len());
        }
        let touched = cells.iter().fold(0, |t, c| t ^ first_byte(c.as_ref()));
        std::hint::black_box(touched);
        let mut start = 0;
        for &end in &ends {
            put_row(writer, &cells[start..end])?;
            after(writer);
            start = end;
        }
        first = last;
    }
    Ok(())
}

/// Rows `0..count` as [`SafeCsv::row`] writes them (every cell neutralised,
/// the line end included), row `i` made by `row(i)`, formatted in parallel:
/// for rows that go into several files, formatted once. `touch` is as for
/// [`SafeCsv::finish_with_rows_touching`].
pub fn formatted_rows<R, S>(
    count: usize,
    touch: impl Fn(usize) -> u64 + Sync,
    row: impl Fn(usize) -> R + Sync,
) -> Vec<Vec<u8>>
where
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    use rayon::prelude::*;
    const CHUNK: usize = 1024;
    let chunks: Vec<Vec<Vec<u8>>> = (0..count.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let rows = c * CHUNK..((c + 1) * CHUNK).min(count);
            let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
            let mut ends = Vec::with_capacity(rows.len());
            // Writing into memory cannot fail.
            let _ = put_rows(&mut writer, rows, &touch, &row, |writer| {
                let _ = writer.flush();
                ends.push(writer.get_ref().len());
            });
            let bytes = writer.into_inner().unwrap_or_default();
            let mut start = 0;
            ends.into_iter()
                .map(|end| {
                    let one = bytes[start..end].to_vec();
                    start = end;
                    one
                })
                .collect()
        })
        .collect();
    chunks.into_iter().flatten().collect()
}

/// The first byte of `s` (0 when empty), for the `touch` functions of
/// [`SafeCsv::finish_with_rows_touching`].
pub fn first_byte(s: &str) -> u64 {
    s.as_bytes().first().copied().unwrap_or(0) as u64
}

/// Formats a number for a table: up to `decimals` places, trailing zeros
/// dropped, `-0` as `0`, and not-a-number as an empty cell.
///
/// ```
/// use partnernet::output::csv::number;
/// assert_eq!(number(0.5, 4), "0.5");
/// assert_eq!(number(2.0, 4), "2");
/// assert_eq!(number(f64::NAN, 4), "");
/// assert_eq!(number(-3.0, 4), "-3");
/// assert_eq!(number(0.00004, 4), "0");
/// assert_eq!(number(-0.00004, 4), "0");
/// assert_eq!(number(0.00005001, 4), "0.0001");
/// ```
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return String::new();
    }
    // Two common cases without the general (and, for numbers that round to
    // zero, slow) formatting, giving the same text: whole numbers, and
    // numbers well below half the last decimal place.
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return (v as i64).to_string();
    }
    if decimals < 16 && v.abs() < 0.49 * 10f64.powi(-(decimals as i32)) {
        return "0".to_string();
    }
    formatted(v, decimals)
}

/// [`number`] by plain formatting, for finite `v`.
fn formatted(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::{formatted, number};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn formatted_and_parallel_rows_are_the_bytes_row_by_row_writing_gives() {
        let cells = |i: usize| -> Vec<String> {
            vec![
                i.to_string(),
                format!("=SUM(A{i})"),
                "a, \"quoted\" cell\nover two lines".to_string(),
                String::new(),
                "-0.5".to_string(),
            ]
        };
        let dir = tempfile::tempdir().unwrap();
        let one_by_one = dir.path().join("one.csv");
        let mut csv =
            super::SafeCsv::create(&one_by_one, &["n", "f", "text", "empty", "x"]).unwrap();
        for i in 0..3000 {
            csv.row(cells(i)).unwrap();
        }
        csv.finish().unwrap();
        let formatted = dir.path().join("formatted.csv");
        let rows = super::formatted_rows(3000, |i| i as u64, cells);
        super::SafeCsv::create(&formatted, &["n", "f", "text", "empty", "x"])
            .unwrap()
            .finish_with_formatted(rows.iter().map(Vec::as_slice))
            .unwrap();
        // 3000 rows: a chunk of 2048 and one of 952, neither a whole number
        // of the rows made at a time.
        let parallel = dir.path().join("parallel.csv");
        super::SafeCsv::create(&parallel, &["n", "f", "text", "empty", "x"])
            .unwrap()
            .finish_with_rows(3000, cells)
            .unwrap();
        let expected = std::fs::read(&one_by_one).unwrap();
        assert_eq!(std::fs::read(&formatted).unwrap(), expected);
        assert_eq!(std::fs::read(&parallel).unwrap(), expected);
        assert!(String::from_utf8(expected).unwrap().contains("'=SUM(A7)"));
    }

    #[test]
    fn shortcuts_give_the_same_text_as_formatting() {
        let mut values = vec![0.0, -0.0, 1.0, -1.0, 2.5, 1e14, -1e14, 1e16, 0.5, 1e-300];
        for d in 0..10 {
            let half = 0.5 * 10f64.powi(-d);
            values.extend([
                half,
                -half,
                half * 0.98,
                half * 0.99,
                half * 1.01,
                half * 2.0,
            ]);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200_000 {
            let scale = 10f64.powi(rng.gen_range(-16..8));
            values.push(rng.gen::<f64>() * scale);
            values.push(-(rng.gen_range(0..1u64 << 44) as f64));
        }
        for &v in &values {
            for d in [0, 1, 2, 4, 6, 9] {
                let plain = if v.is_finite() {
                    formatted(v, d)
                } else {
                    String::new()
                };
                assert_eq!(number(v, d), plain, "{v:e} to {d} places");
            }
        }
    }
}
