//! Reading one CSV file of a dataset: headers by name, every field checked to
//! be UTF-8, every problem located by file, line and column.
//!
//! A file is read into memory once and its rows are parsed in parallel, in
//! pieces split at record boundaries. A piece is parsed on the guess that its
//! first byte starts a record; the guess is checked against where the csv
//! reader of the piece before really stopped, and a piece guessed wrong (a
//! quoted field holding a line break across the split) is read again from the
//! right place. So the rows, their line numbers and the csv crate's quoting
//! rules are exactly those of one reader going through the file from start to
//! end.

use std::path::Path;

use csv::ByteRecord;
use rayon::prelude::*;

use super::table::{Row, Table, BLOCK, CHECK_EVERY};
use crate::error::{shorten, Problem, Problems};

/// The text of a CSV file, read into memory, after its header.
pub(super) struct CsvBody {
    bytes: Vec<u8>,
    /// Bytes skipped at the start (a UTF-8 byte order mark).
    skip: usize,
    /// Where the first data record starts (after the header), in `data()`.
    data_start: usize,
    /// The separator between fields.
    delimiter: u8,
    /// Whether `bytes` are valid UTF-8 (checked when the body is made).
    utf8: bool,
}

/// Reads the CSV file `path` into a [`Table`], whatever a spreadsheet
/// wrote: UTF-8 with or without a byte order mark, UTF-16 with one, or else
/// `legacy` (a WHATWG encoding label; Windows-1252 when `None`), separated by
/// commas, semicolons or tabs (found from the header line). A file read as
/// anything but UTF-8 gets one warning. Returns `None` (with a problem) when
/// the file cannot be read, is not text (a workbook, a PDF...), is empty, or
/// lacks one of the `required` columns; `expected` is the header to suggest.
pub fn read(
    path: &Path,
    required: &[&str],
    expected: &str,
    legacy: Option<&str>,
    problems: &mut Problems,
) -> Option<Table> {
    let bytes = match super::files::read_ordinary(path, super::files::TABLE) {
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
    if let Some(what) = not_text(&bytes) {
        problems.push(Problem::error(path, None, what));
        return None;
    }
    let (bytes, read_as) = decode(bytes, legacy);
    if let Some((line, message)) = read_as.warning() {
        problems.push(Problem::warning(path, line, message));
    }
    let bytes = lone_cr_to_lf(bytes);
    let skip = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let delimiter = delimiter(&bytes[skip..]);
    let bytes = super::controls::clean_csv(path, bytes, delimiter, problems);
    if let Some(line) = super::controls::unterminated_quote(&bytes, delimiter) {
        problems.push(Problem::error(
            path,
            Some(line),
            format!("unterminated quote starting at line {line}: a field opens with \" and no \" closes it, so the rest of the file would be read as that one field; add the closing \" (or remove the opening one)"),
        ));
        return None;
    }
    let mut reader = reader(&bytes[skip..], true, delimiter);
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
    let data_start = reader.position().byte() as usize;
    let mut headers = Vec::with_capacity(header.len());
    for (i, f) in header.iter().enumerate() {
        match std::str::from_utf8(f) {
            Ok(s) => headers.push(s.to_string()),
            Err(_) if f.iter().all(u8::is_ascii_whitespace) => headers.push(String::new()),
            Err(_) => {
                problems.push(not_utf8(path, 1, &format!("header {}", i + 1), f));
                return None;
            }
        }
    }
    let read_as = format!(
        "{}, {}",
        read_as.name(),
        match delimiter {
            b';' => "separated by semicolons (;)",
            b'\t' => "separated by tabs",
            _ => "separated by commas (,)",
        }
    );
    let body = CsvBody {
        skip,
        data_start,
        delimiter,
        utf8: std::str::from_utf8(&bytes).is_ok(),
        bytes,
    };
    let mut table = Table::from_csv(path, headers, body, required, expected, problems)?;
    table.read_as = read_as;
    Some(table)
}

/// What a file that is not text is, and what to do, when it is not text:
/// a workbook, a PDF, a word-processor document or any file with bytes no
/// text holds. The file's bytes are never quoted.
pub fn not_text(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(64 << 10)];
    let found = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    let what = if bytes.starts_with(b"PK\x03\x04") {
        if found(b"xl/") || found(b"[Content_Types].xml") && !found(b"word/") {
            "an Excel workbook (.xlsx), not a CSV file; rename it to end in .xlsx, which partnernet reads as it is, or save it from Excel as \"CSV UTF-8\""
        } else if found(b"opendocument.spreadsheet") {
            "a LibreOffice workbook (.ods), not a CSV file; rename it to end in .ods, which partnernet reads as it is"
        } else if found(b"word/") || found(b"opendocument.text") {
            "a word-processor document, not a CSV file; save the table from a spreadsheet as \"CSV UTF-8\", or as a workbook (.xlsx)"
        } else {
            "a ZIP archive, not a CSV file; unpack it, or save the table from a spreadsheet as \"CSV UTF-8\""
        }
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        "an old Excel workbook (.xls), not a CSV file; rename it to end in .xls, which partnernet reads as it is"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF document, not a CSV file; partnernet cannot read tables from a PDF: copy the table into a spreadsheet and save it as \"CSV UTF-8\" or .xlsx"
    } else if !(bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF"))
        && utf16_without_bom(head).is_none()
        && head.iter().filter(|b| **b == 0).count() > head.len() / 16
    {
        "not a text file; save the table from a spreadsheet as \"CSV UTF-8\", or as a workbook (.xlsx)"
    } else {
        return None;
    };
    Some(format!("this file is {what}"))
}

/// How [`decode`] read a file's bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum ReadAs {
    /// Valid UTF-8.
    Utf8,
    /// UTF-16, little- or big-endian (the encoding's name).
    Utf16(&'static str),
    /// UTF-8 but for some bytes, each read as U+FFFD; the line of the first.
    MostlyUtf8 { first_bad_line: u64 },
    /// A legacy encoding (its name); the line of the first byte that is not
    /// UTF-8.
    Legacy {
        name: &'static str,
        first_bad_line: u64,
    },
}

impl ReadAs {
    /// The encoding's name, as `validate` reports how it read the file.
    fn name(self) -> &'static str {
        match self {
            ReadAs::Utf8 => "UTF-8",
            ReadAs::Utf16(name) | ReadAs::Legacy { name, .. } => name,
            ReadAs::MostlyUtf8 { .. } => "mostly UTF-8",
        }
    }

    /// The warning for a file read as anything but UTF-8: its line, if it
    /// has one, and what it says.
    fn warning(self) -> Option<(Option<u64>, String)> {
        let how = "save it as UTF-8 (in Excel: File > Save As > \"CSV UTF-8 (Comma delimited)\"; in LibreOffice: Save As, Text CSV, character set \"Unicode (UTF-8)\")";
        Some(match self {
            ReadAs::Utf8 => return None,
            ReadAs::Utf16(name) => (
                None,
                format!("the file is {name} text (what Excel calls \"Unicode Text\"), not UTF-8; it was read as such. To be sure other programs read it too, {how}"),
            ),
            ReadAs::MostlyUtf8 { first_bad_line } => (
                Some(first_bad_line),
                "the file is UTF-8 but for some bytes that are not (the first on this line), perhaps pasted from another file; they were read as \u{FFFD}. Correct the names there, then save the file as UTF-8".to_string(),
            ),
            ReadAs::Legacy { name, first_bad_line } => (
                Some(first_bad_line),
                format!("the file is not UTF-8 (the first character that is not is on this line); it was read as {name}, so names in other alphabets may have been lost. To keep them, {how}"),
            ),
        })
    }
}

/// Whether `bytes`, which are not valid UTF-8, are UTF-8 text with some bad
/// bytes rather than text in a legacy encoding: more of their characters
/// beyond ASCII are valid UTF-8 than bytes are not. (In text written in a
/// legacy encoding such as Windows-1252, a letter beyond ASCII is one byte,
/// which is almost never valid UTF-8 with the byte after it.)
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    valid > invalid
}

/// The text of a file as UTF-8 (a UTF-8 byte order mark is kept), and how
/// it was read: UTF-16 by its byte order mark, else UTF-8 when the bytes are
/// valid UTF-8, else UTF-8 with each bad byte read as U+FFFD when most of
/// the text is UTF-8 or `legacy` says UTF-8, else `legacy` (a WHATWG label;
/// Windows-1252 when `None` or not a known label).
fn decode(bytes: Vec<u8>, legacy: Option<&str>) -> (Vec<u8>, ReadAs) {
    use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
    if let Some((enc, bom)) = Encoding::for_bom(&bytes) {
        if enc == UTF_16LE || enc == UTF_16BE {
            let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
            return (text.into_owned().into_bytes(), ReadAs::Utf16(enc.name()));
        }
    }
    let valid_up_to = match std::str::from_utf8(&bytes) {
        Ok(_) => return (bytes, ReadAs::Utf8),
        Err(e) => e.valid_up_to(),
    };
    if let Some(enc) = utf16_without_bom(&bytes[..bytes.len().min(64 << 10)]) {
        let (text, _) = enc.decode_without_bom_handling(&bytes);
        return (text.into_owned().into_bytes(), ReadAs::Utf16(enc.name()));
    }
    let first_bad_line = 1 + memchr::memchr_iter(b'\n', &bytes[..valid_up_to]).count() as u64;
    let enc = legacy
        .and_then(|l| Encoding::for_label(l.as_bytes()))
        .unwrap_or(WINDOWS_1252);
    if enc == UTF_8 || mostly_utf8(&bytes) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return (text.into_bytes(), ReadAs::MostlyUtf8 { first_bad_line });
    }
    let (text, _) = enc.decode_without_bom_handling(&bytes);
    let name = if enc == WINDOWS_1252 {
        "Windows-1252"
    } else {
        enc.name()
    };
    (
        text.into_owned().into_bytes(),
        ReadAs::Legacy {
            name,
            first_bad_line,
        },
    )
}

/// UTF-16 text without a byte order mark, told by its zero bytes: in text
/// that is mostly Latin letters, every other byte is zero (the odd ones in
/// little-endian, the even ones in big-endian).
fn utf16_without_bom(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if head.len() < 8 {
        return None;
    }
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let half = head.len() / 2;
    if odd * 10 > half * 7 && even * 10 < half {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 > half * 7 && odd * 10 < half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// The separator of a CSV text: whichever of `,` `;` and tab the header line
/// (outside quotes) holds most of; a comma when none.
fn delimiter(text: &[u8]) -> u8 {
    let line_end = memchr::memchr(b'\n', text).unwrap_or(text.len());
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in &text[..line_end] {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

impl CsvBody {
    /// The separator between fields.
    pub(super) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Whether the whole text is valid UTF-8. Then so is every field of
    /// every record read from it: the csv reader splits the text only at
    /// ASCII bytes (the separator, quotes, line ends) and removes only ASCII
    /// bytes (quotes), never inside a multi-byte character, whose bytes are
    /// all 0x80 or above.
    pub(super) fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// The file's bytes after any byte order mark.
    fn data(&self) -> &[u8] {
        &self.bytes[self.skip..]
    }

    /// An upper bound on the number of data rows (the number of lines), for
    /// reserving memory up front.
    pub fn row_estimate(&self) -> usize {
        self.bytes
            .par_chunks(1 << 20)
            .map(|c| c.iter().filter(|b| **b == b'\n').count())
            .sum::<usize>()
            + 1
    }

    /// Where the pieces of the data start: at most one piece per [`PIECE`]
    /// bytes, each split where a record most likely starts.
    fn splits(&self) -> Vec<usize> {
        let data = self.data();
        let mut splits = vec![self.data_start];
        let mut at = self.data_start + PIECE;
        while at < data.len() {
            match split_after(data, at) {
                Some(q) if q < data.len() => {
                    splits.push(q);
                    at = q + PIECE;
                }
                _ => break,
            }
        }
        splits.push(data.len());
        splits
    }

    /// Reads the records of the piece starting at `start` (where a record
    /// starts, or is guessed to), up to the first record that starts at or
    /// after `end`. Blank records are left out.
    fn read_piece<T>(
        &self,
        path: &Path,
        start: usize,
        end: usize,
        first_line: u64,
        piece: &mut Piece<T>,
    ) {
        let data = self.data();
        let mut reader = reader(&data[start..], false, self.delimiter);
        piece.filled = 0;
        piece.error = None;
        loop {
            if start + reader.position().byte() as usize >= end {
                break;
            }
            if piece.records.len() == piece.filled {
                piece.records.push(ByteRecord::new());
            }
            match reader.read_byte_record(&mut piece.records[piece.filled]) {
                Ok(false) => break,
                Ok(true) => {
                    if !piece.records[piece.filled]
                        .iter()
                        .all(|f| f.iter().all(u8::is_ascii_whitespace))
                    {
                        piece.filled += 1;
                    }
                }
                Err(e) => {
                    let line = e
                        .position()
                        .map(|p| first_line + line_in_piece(&data[start..], Some(p)) - 1);
                    let fatal = !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                    piece.error = Some((
                        piece.filled,
                        Problem::error(path, line, format!("cannot read the row: {e}")),
                        fatal,
                    ));
                    if fatal {
                        break;
                    }
                }
            }
        }
        let position = reader.position();
        piece.start = start;
        piece.first_line = first_line;
        piece.stop = start + position.byte() as usize;
        piece.stop_line = first_line + position.line() - 1;
    }

    /// [`Table::par_rows_warm`] for a table of CSV text: the text is read in
    /// pieces, in parallel.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn par_rows_warm<S: Sync, T: Send>(
        &self,
        table: &Table,
        state: &mut S,
        problems: &mut Problems,
        warm: impl Fn(&S, &[Row<'_>]) + Sync,
        parse: impl Fn(&S, &Row<'_>, &mut Problems) -> T + Sync,
        mut sink: impl FnMut(&mut S, T, &Row<'_>, &mut Problems),
    ) {
        let data = self.data();
        let splits = self.splits();
        let pieces = splits.len() - 1;
        // The line each piece starts on, were its guess right.
        let counts: Vec<u64> = splits
            .par_windows(2)
            .map(|w| newlines(&data[w[0]..w[1]]))
            .collect();
        let mut first_lines = Vec::with_capacity(pieces);
        let mut line = 1 + newlines(&data[..self.data_start]);
        for c in counts {
            first_lines.push(line);
            line += c;
        }
        let wave = (4 * rayon::current_num_threads()).max(4);
        let mut pool: Vec<Piece<T>> = Vec::new();
        let mut rows_seen: usize = 0;
        // Where the previous piece's reader stopped, and the line there.
        let mut stop = self.data_start;
        let mut stop_line = 1 + newlines(&data[..self.data_start]);
        let mut k = 0;
        while k < pieces {
            let n = wave.min(pieces - k);
            pool.resize_with(pool.len().max(n), Piece::default);
            {
                let shared: &S = state;
                let (warm, parse) = (&warm, &parse);
                pool[..n].par_iter_mut().enumerate().for_each(|(j, piece)| {
                    let p = k + j;
                    self.read_piece(&table.path, splits[p], splits[p + 1], first_lines[p], piece);
                    piece.parse(table, self, shared, warm, parse);
                });
            }
            for (j, piece) in pool[..n].iter_mut().enumerate() {
                let p = k + j;
                if piece.start != stop {
                    // The guess was wrong: read the piece again from where
                    // the previous one really stopped.
                    self.read_piece(&table.path, stop, splits[p + 1], stop_line, piece);
                    let shared: &S = state;
                    piece.parse(table, self, shared, &warm, &parse);
                }
                stop = piece.stop;
                stop_line = piece.stop_line;
                let mut error = piece.error.take();
                let fatal = error.as_ref().is_some_and(|e| e.2);
                let records = &piece.records;
                for (i, (t, found)) in piece.parsed.drain(..).flatten().enumerate() {
                    if rows_seen.is_multiple_of(CHECK_EVERY) && problems.full() {
                        return;
                    }
                    rows_seen += 1;
                    if error.as_ref().is_some_and(|e| e.0 == i) {
                        if let Some((_, problem, _)) = error.take() {
                            problems.push(problem);
                        }
                    }
                    let row = Row::csv(
                        table,
                        &records[i],
                        piece.first_line
                            + line_in_piece(&data[piece.start..], records[i].position())
                            - 1,
                    );
                    problems.extend(found);
                    sink(state, t, &row, problems);
                }
                if let Some((_, problem, _)) = error {
                    problems.push(problem);
                }
                if fatal {
                    return;
                }
            }
            k += n;
        }
    }
}

/// A file whose lines end in a carriage return alone (as old Macintosh
/// programs save CSV) with its line ends made line feeds. The csv reader
/// takes a lone carriage return for a line end but counts lines by line
/// feeds, so without this every row of such a file would be reported on
/// line 1 or 2. Files with any line feed are left as they are.
fn lone_cr_to_lf(mut bytes: Vec<u8>) -> Vec<u8> {
    if memchr::memchr(b'\n', &bytes).is_none() && memchr::memchr(b'\r', &bytes).is_some() {
        for b in bytes.iter_mut().filter(|b| **b == b'\r') {
            *b = b'\n';
        }
    }
    bytes
}

/// The number of line feeds in `bytes`.
fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// The line a record (or a reading error) at `position` starts on, counted
/// from the start of its piece, `data`, which the position is relative to.
/// The reader's position is where it stood before the line ends, blank lines
/// and comment lines it skipped on the way to the record (after a `\r\n`
/// line end it stands on the `\n`), so those are skipped here too; the
/// reader counts every `\n` before its position, quoted ones included.
fn line_in_piece(data: &[u8], position: Option<&csv::Position>) -> u64 {
    let Some(p) = position else { return 1 };
    let (mut line, mut i) = (p.line(), p.byte() as usize);
    while let Some(&b) = data.get(i) {
        match b {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'\r' => i += 1,
            // A comment line, which ends at its `\n` only.
            b'#' => match memchr::memchr(b'\n', &data[i..]) {
                Some(k) => i += k,
                None => break,
            },
            _ => break,
        }
    }
    line
}

/// The first place at or after `at` where a piece may start: just after a
/// record terminator (`\n`, or the `\r` of `\r\n`) that ends a line with text
/// on it and no `#` (so that, unless a quoted field holds the line break, the
/// previous record ends exactly there and no comment or blank line comes
/// between). `None` when there is none.
fn split_after(data: &[u8], at: usize) -> Option<usize> {
    let mut from = at;
    while from < data.len() {
        let j = from + memchr::memchr2(b'\n', b'\r', &data[from..])?;
        from = j + 1;
        if j == 0 || matches!(data[j - 1], b'\n' | b'\r') {
            continue;
        }
        if data[j] == b'\r' && data.get(j + 1) != Some(&b'\n') {
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &data[..j]).map_or(0, |i| i + 1);
        if memchr::memchr(b'#', &data[line_start..j]).is_some() {
            continue;
        }
        return Some(j + 1);
    }
    None
}

/// How many bytes of a file one piece holds, at least.
const PIECE: usize = 256 << 10;

/// The records of one piece of a file and what `parse` made of them.
struct Piece<T> {
    /// Where the piece's reader started and stopped, and the lines there.
    start: usize,
    stop: usize,
    first_line: u64,
    stop_line: u64,
    /// Reused from piece to piece; the first `filled` are this piece's rows.
    records: Vec<ByteRecord>,
    filled: usize,
    /// A record the reader could not read: before which row, the problem,
    /// and whether reading stops there.
    error: Option<(usize, Problem, bool)>,
    /// What `parse` made of each row, with the problems it found, by blocks
    /// of rows.
    parsed: Vec<Vec<(T, Problems)>>,
}

impl<T> Default for Piece<T> {
    fn default() -> Self {
        Piece {
            start: 0,
            stop: 0,
            first_line: 1,
            stop_line: 1,
            records: Vec::new(),
            filled: 0,
            error: None,
            parsed: Vec::new(),
        }
    }
}

impl<T: Send> Piece<T> {
    /// Parses the piece's rows (in parallel when there are many).
    fn parse<S: Sync>(
        &mut self,
        table: &Table,
        body: &CsvBody,
        state: &S,
        warm: &(impl Fn(&S, &[Row<'_>]) + Sync),
        parse: &(impl Fn(&S, &Row<'_>, &mut Problems) -> T + Sync),
    ) {
        let first_line = self.first_line;
        let data = &body.data()[self.start..];
        let block = |records: &[ByteRecord]| {
            let rows: Vec<Row<'_>> = records
                .iter()
                .map(|record| {
                    Row::csv(
                        table,
                        record,
                        first_line + line_in_piece(data, record.position()) - 1,
                    )
                })
                .collect();
            warm(state, &rows);
            rows.iter()
                .map(|row| {
                    let mut found = Problems::default();
                    let t = parse(state, row, &mut found);
                    (t, found)
                })
                .collect::<Vec<_>>()
        };
        self.parsed.clear();
        self.parsed.par_extend(
            self.records[..self.filled]
                .par_chunks(BLOCK)
                .with_min_len(4)
                .map(block),
        );
    }
}

fn reader(bytes: &[u8], headers: bool, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .comment(Some(b'#'))
        .has_headers(headers)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV file of about `size` bytes full of what makes splitting hard:
    /// quoted fields holding line breaks (some longer than a piece), `\r\n`
    /// and lone `\r` line ends, comment lines, blank and white-space rows, `#`
    /// and quotes inside fields, rows of uneven length.
    fn awkward_csv(size: usize, seed: u64) -> Vec<u8> {
        let mut state = seed;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let mut out = b"id,name,note\n".to_vec();
        let mut row = 0;
        while out.len() < size {
            row += 1;
            let end: &[u8] = match next(10) {
                0 => b"\r\n",
                1 => b"\r",
                _ => b"\n",
            };
            if next(300) == 0 {
                // A quoted field longer than a piece, full of lines that
                // look like rows.
                out.extend_from_slice(format!("big-{row},\"").as_bytes());
                for k in 0..(PIECE / 8 + next(5000) as usize) {
                    out.extend_from_slice(format!("x-{k},y,z\n").as_bytes());
                }
                out.extend_from_slice(b"\",tail");
                out.extend_from_slice(end);
                continue;
            }
            match next(40) {
                0 => out.extend_from_slice(b"# a comment, with \"quotes\r and a # too\n"),
                1 => out.extend_from_slice(end),
                2 => out.extend_from_slice(b"  ,  ,\t"),
                3 => out.extend_from_slice(format!("m-{row},\"a\n\nb\",c").as_bytes()),
                4..=9 => out.extend_from_slice(
                    format!("q-{row},\"two\nlines, \"\"quoted\"\"\r\n#not a comment\",x")
                        .as_bytes(),
                ),
                10 => out.extend_from_slice(format!("short-{row}").as_bytes()),
                11 => out.extend_from_slice(format!("long-{row},a,b,c,d,e#f").as_bytes()),
                _ => out.extend_from_slice(format!("r-{row},Name {row},note #{row}").as_bytes()),
            }
            out.extend_from_slice(end);
        }
        out
    }

    /// What one csv reader going through the whole file sees: each non-blank
    /// data record's fields and line.
    fn sequential(bytes: &[u8]) -> Vec<(Vec<Vec<u8>>, u64)> {
        let mut reader = reader(bytes, true, b',');
        let mut out = Vec::new();
        let mut record = ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            let line = line_in_piece(bytes, record.position());
            out.push((record.iter().map(<[u8]>::to_vec).collect(), line));
        }
        out
    }

    fn in_pieces(path: &Path) -> Vec<(Vec<Vec<u8>>, u64)> {
        let mut problems = Problems::default();
        let table = read(path, &["id"], "id,name,note", None, &mut problems).unwrap();
        let mut out = Vec::new();
        table.par_rows(
            &mut out,
            &mut problems,
            |_, row, _| {
                let fields: Vec<Vec<u8>> =
                    row.record().unwrap().iter().map(<[u8]>::to_vec).collect();
                (fields, row.line)
            },
            |out, parsed, row, _| {
                assert_eq!(parsed.1, row.line);
                out.push(parsed);
            },
        );
        assert!(problems.is_empty(), "{}", problems.report());
        out
    }

    #[test]
    fn pieces_read_exactly_what_one_reader_reads() {
        let dir = tempfile::tempdir().unwrap();
        for (seed, size) in [(1, 3 << 20), (2, 1 << 20), (3, 100_000), (4, 10)] {
            let bytes = awkward_csv(size, seed);
            let path = dir.path().join(format!("t{seed}.csv"));
            std::fs::write(&path, &bytes).unwrap();
            let expected = sequential(&bytes);
            for threads in [1, 2, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let got = pool.install(|| in_pieces(&path));
                assert_eq!(got.len(), expected.len(), "seed {seed}, {threads} threads");
                for (g, e) in got.iter().zip(&expected) {
                    assert_eq!(g, e, "seed {seed}, {threads} threads");
                }
            }
        }
    }

    #[test]
    fn a_byte_order_mark_and_no_final_line_end_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(awkward_csv(2 << 20, 7));
        // (A quote left open is an error of its own, see controls.rs.)
        bytes.extend_from_slice(b"last,row,\"closed\"");
        let path = dir.path().join("bom.csv");
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(in_pieces(&path), sequential(&bytes[3..]));
    }

    #[test]
    fn splits_fall_after_line_ends_of_plain_lines() {
        let data = b"a,b\n#c,d\ne,f\r\ng,h\n\ni,j\n";
        assert_eq!(split_after(data, 0), Some(4));
        // Not after a comment line, nor after a blank one.
        assert_eq!(split_after(data, 4), Some(13));
        assert_eq!(split_after(data, 13), Some(18));
        assert_eq!(split_after(data, 18), Some(23));
        assert_eq!(split_after(data, 23), None);
    }
}
