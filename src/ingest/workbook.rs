//! Reading tables from workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`) with the
//! `calamine` crate: a sheet becomes a [`Table`] whose rows keep their row
//! numbers and whose problems name the sheet and the cell.
//!
//! Cells are read as typed: numbers as numbers (`2` rather than `2.0`),
//! dates (Excel's date serials included) as ISO dates `YYYY-MM-DD`,
//! formulas by the value the spreadsheet last computed. A row whose first
//! value starts with `#` is a comment (an example), as in CSV files. A cell holding an
//! error (`#REF!`, `#N/A`...) is a problem naming the cell: an error in a
//! required column (the row is left out), otherwise a warning (the cell reads
//! as empty).

use std::path::Path;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Reader, Sheets};

use super::table::{CellRow, Place, Table};
use crate::error::{Problem, Problems, Severity};

/// The file name endings of the workbooks partnernet reads.
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

std::thread_local! {
    /// Whether this thread is inside [`guarded`], whose panics are reported
    /// as errors rather than printed.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `read`, a call into calamine, and returns `None` if it panics.
/// calamine indexes some records of an `.xls` file without checking their
/// length (a 5.6 KB workbook with one record's type changed stopped
/// partnernet with "index out of bounds"); such a file is damaged, and the
/// caller says so in an error naming it. The panic's own message is not
/// printed: a panic hook, installed once, stays silent on a thread inside
/// `guarded` and hands every other panic to the hook that was there before.
fn guarded<T>(read: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    GUARDED.with(|g| g.set(outer));
    result.ok()
}

/// Whether `path` names a workbook partnernet reads (by its ending, any case).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A sheet name folded for comparison: lower case, without spaces, `-` or `_`.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The sheets of a workbook, by name, in order; `None` (with a problem)
/// when the file cannot be opened as a workbook.
pub fn sheet_names(path: &Path, problems: &mut Problems) -> Option<Vec<String>> {
    if let Err(e) = super::files::check_ordinary(path, super::files::TABLE) {
        problems.push(Problem::error(
            path,
            None,
            format!("cannot read the workbook: {e}"),
        ));
        return None;
    }
    match open(path) {
        Ok(wb) => Some(wb.sheet_names()),
        Err(p) => {
            problems.push(*p);
            None
        }
    }
}

/// The workbook `path`, read as what its content is whatever its name
/// ends in (an `.xlsx` saved as `.xls` is read as the `.xlsx` it is).
/// Each format's size check runs before calamine opens the file (see
/// [`xls_damage`], [`ods_sheet_over_limit`], [`xlsx_texts_over_limit`]).
fn open(path: &Path) -> Result<Sheets<std::io::Cursor<Vec<u8>>>, Box<Problem>> {
    let bytes = super::files::read_ordinary(path, super::files::TABLE)
        .map_err(|e| Problem::error(path, None, format!("cannot read the workbook: {e}")))?;
    use calamine::{Ods, Xls, Xlsb, Xlsx};
    // The format by the content's signature: the old binary format's
    // compound file, or a ZIP archive (OpenDocument names its type in its
    // first entry; a binary workbook holds xl/workbook.bin).
    let head = &bytes[..bytes.len().min(64 << 10)];
    let found = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        if let Some(what) = xls_damage(&bytes) {
            return Err(not_from_a_spreadsheet(path, &what, " (as .xlsx)"));
        }
        open_as::<Xls<_>>(path, bytes, Sheets::Xls, calamine::Error::Xls)
    } else if bytes.starts_with(b"PK\x03\x04") {
        if found(b"opendocument.spreadsheet") {
            if let Some(sheet) = ods_sheet_over_limit(&bytes) {
                return Err(Box::new(SheetTrouble::TooManyCells.problem(path, &sheet)));
            }
            open_as::<Ods<_>>(path, bytes, Sheets::Ods, calamine::Error::Ods)
        } else if found(b"xl/workbook.bin") {
            open_as::<Xlsb<_>>(path, bytes, Sheets::Xlsb, calamine::Error::Xlsb)
        } else {
            if let Some(texts) = xlsx_texts_over_limit(&bytes, CELL_LIMIT as u64) {
                let what = match texts {
                    Texts::Stated(n) => format!(
                        "says it holds {n} different texts (in its sharedStrings.xml), more than"
                    ),
                    Texts::Counted => {
                        "holds more different texts (in its sharedStrings.xml) than".to_string()
                    }
                };
                let what = format!(
                    "the workbook {what} the {CELL_LIMIT_TEXT} cells partnernet reads from a sheet can use"
                );
                return Err(not_from_a_spreadsheet(path, &what, ""));
            }
            open_as::<Xlsx<_>>(path, bytes, Sheets::Xlsx, calamine::Error::Xlsx)
        }
    } else {
        Err(Box::new(not_a_workbook(path, &bytes).unwrap_or_else(
            || cannot_open(path, &calamine::Error::Msg("not a workbook")),
        )))
    }
}

/// Opens `bytes` with calamine's reader `R` (inside [`guarded`]) as the
/// [`Sheets`] variant `sheets`; its errors become [`cannot_open`]'s
/// problem, through the [`calamine::Error`] variant `error`.
fn open_as<R: Reader<std::io::Cursor<Vec<u8>>>>(
    path: &Path,
    bytes: Vec<u8>,
    sheets: fn(R) -> Sheets<std::io::Cursor<Vec<u8>>>,
    error: fn(R::Error) -> calamine::Error,
) -> Result<Sheets<std::io::Cursor<Vec<u8>>>, Box<Problem>> {
    guarded(|| calamine::open_workbook_from_rs::<R, _>(std::io::Cursor::new(bytes)))
        .ok_or_else(|| damaged(path))?
        .map(sheets)
        .map_err(|e| Box::new(cannot_open(path, &error(e))))
}

/// The error for a workbook a size check refused: `what` is wrong with it,
/// then what to do (`save_as`: which format to save it in, if any).
fn not_from_a_spreadsheet(path: &Path, what: &str, save_as: &str) -> Box<Problem> {
    Box::new(Problem::error(
        path,
        None,
        format!(
            "{what}, so the file was not saved by a spreadsheet or is damaged; open it in Excel or LibreOffice and save it again{save_as}"
        ),
    ))
}

/// What is wrong, in the staff's words, with an Excel 97-2003 workbook
/// (`.xls`, BIFF5 and BIFF8 records in a compound file) whose cells lie
/// beyond the format's 65,536 rows and 256 columns, counting the sheets'
/// declared extents (DIMENSIONS records), or whose declared extent starts
/// after it ends. calamine reads `.xls` sheets whole when it
/// opens the file and sets aside the rectangle between a sheet's cells
/// (2^32 cells for one damaged column number, which stops the program), so
/// this is checked first, on the records calamine reads: every stream named
/// `Workbook` or `Book` (in any case, anywhere in the file, as calamine looks
/// for them), each sheet from where the workbook's list of sheets says it
/// starts (BoundSheet8), skipping embedded charts (see [`biff_damage`]). A
/// compound file that cannot be read is reported too: calamine reads some
/// damaged ones its own way, which this check could not follow. `None` when
/// the file is readable and every cell within bounds. Record layouts:
/// [MS-CFB]; [MS-XLS] 2.4 (BoundSheet8, Dimensions, Number, Label, RK,
/// MulRk…).
fn xls_damage(bytes: &[u8]) -> Option<String> {
    use std::io::Read;
    let mut file = match cfb::CompoundFile::open(std::io::Cursor::new(bytes)) {
        Ok(file) => file,
        Err(e) => {
            return Some(format!(
                "the workbook's inner structure cannot be read ({e})"
            ))
        }
    };
    let streams: Vec<std::path::PathBuf> = file
        .walk()
        .filter(|entry| {
            entry.is_stream()
                && ["Workbook", "Book"]
                    .iter()
                    .any(|name| entry.name().eq_ignore_ascii_case(name))
        })
        .map(|entry| entry.path().to_path_buf())
        .collect();
    for path in streams {
        let mut records = Vec::new();
        if let Err(e) = file.open_stream(&path).and_then(|stream| {
            stream
                .take(super::files::TABLE.bytes)
                .read_to_end(&mut records)
        }) {
            return Some(format!(
                "the workbook's data (its {} stream) cannot be read ({e})",
                path.display()
            ));
        }
        if let Some(what) = biff_damage(&records) {
            return Some(what);
        }
    }
    None
}

/// [`xls_damage`] for one workbook stream: the sheets listed in its global
/// records, each walked from its start as calamine walks it.
fn biff_damage(stream: &[u8]) -> Option<String> {
    let mut starts = Vec::new();
    for (kind, data) in BiffRecords(stream) {
        match kind {
            // BoundSheet8: the sheet's start in the stream, its state and
            // type, its name (calamine reads the first six bytes unchecked).
            0x0085 => match le32(data, 0).filter(|_| data.len() >= 6) {
                Some(start) => starts.push(start),
                None => return Some("the workbook's list of sheets is cut short".to_string()),
            },
            0x000A => break,
            _ => {}
        }
    }
    for start in starts {
        let Some(sheet) = stream.get(start as usize..) else {
            return Some(format!(
                "the workbook says a sheet starts at byte {start}, after the end of its data"
            ));
        };
        // Embedded charts and macro sheets are substreams between their own
        // BOF and EOF records; calamine skips them.
        let (mut depth, mut seen_bof) = (0usize, false);
        for (kind, data) in BiffRecords(sheet) {
            match kind {
                0x0809 if depth > 0 || seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A if depth > 0 => depth -= 1,
                0x000A => break,
                _ if depth > 0 => {}
                _ => {
                    if let Some(what) = cell_damage(kind, data) {
                        return Some(what);
                    }
                }
            }
        }
    }
    None
}

/// The little-endian `u16` at byte `at` of `data`, if it is there.
fn le16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

/// The little-endian `u32` at byte `at` of `data`, if it is there.
fn le32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The records of a BIFF stream as calamine reads them: type and data, a
/// record followed by CONTINUE records (0x003C) counting as one; the walk
/// ends where a record is cut short (calamine stops there with an error).
struct BiffRecords<'a>(&'a [u8]);

impl<'a> Iterator for BiffRecords<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let record = |s: &'a [u8]| -> Option<(u16, &'a [u8], &'a [u8])> {
            let len = usize::from(le16(s, 2)?);
            let data = s.get(4..4 + len)?;
            Some((le16(s, 0)?, data, &s[4 + len..]))
        };
        let Some((kind, data, mut rest)) = record(self.0) else {
            self.0 = &[];
            return None;
        };
        while rest.len() > 4 && rest[..2] == [0x3C, 0x00] {
            match record(rest) {
                Some((_, _, after)) => rest = after,
                None => rest = &[],
            }
        }
        self.0 = rest;
        Some((kind, data))
    }
}

/// What is wrong with one record of a sheet: a cell (or a declared extent)
/// beyond the format's bounds, or an extent that starts after it ends.
fn cell_damage(kind: u16, data: &[u8]) -> Option<String> {
    const ROWS: u32 = 65_536;
    const COLUMNS: u32 = 256;
    let u16_at = |at: usize| le16(data, at).map(u32::from);
    let (row, first, last) = match kind {
        // Dimensions: first row, last row + 1, first column, last column +
        // 1; rows in 16 bits (BIFF5, 10 bytes) or 32 (BIFF8, 14 or 16).
        0x0200 if matches!(data.len(), 10 | 14 | 16) => {
            let (first_row, end_row, end_column) = if data.len() >= 14 {
                (le32(data, 0)?, le32(data, 4)?, u16_at(10)?)
            } else {
                (u16_at(0)?, u16_at(2)?, u16_at(6)?)
            };
            if end_row >= 1 && end_column >= 1 && first_row >= end_row {
                // A first row after the last: calamine would take the
                // difference as a count of some four billion rows.
                return Some(format!(
                    "the workbook says a sheet's rows start at row {} and end at row {}",
                    u64::from(first_row) + 1,
                    end_row
                ));
            }
            (end_row.saturating_sub(1), 0, end_column.saturating_sub(1))
        }
        // Formula, Number, Label, BoolErr, RString, LabelSst, RK: row,
        // column.
        0x0006 | 0x0203 | 0x0204 | 0x0205 | 0x00D6 | 0x00FD | 0x027E => {
            let column = u16_at(2).unwrap_or(0);
            (u16_at(0).unwrap_or(0), column, column)
        }
        // MulRk: row, first column, values, last column.
        0x00BD if data.len() >= 6 => (u16_at(0)?, u16_at(2)?, u16_at(data.len() - 2)?),
        _ => return None,
    };
    (row >= ROWS || first >= COLUMNS || last >= COLUMNS).then(|| {
        format!(
            "the workbook has a cell at row {}, column {}, beyond the last row (65,536) or column (IV, 256) an Excel 97-2003 workbook can have",
            u64::from(row) + 1,
            u64::from(first.max(last)) + 1
        )
    })
}

/// How an `.xlsx` workbook's list of different texts is over a limit.
#[derive(Debug, PartialEq)]
enum Texts {
    /// The list says it holds this many (`<sst uniqueCount>`).
    Stated(u64),
    /// The list holds more (`<si>` elements, counted).
    Counted,
}

/// Whether an `.xlsx` workbook's list of different texts (every
/// `sharedStrings.xml` in it, ECMA-376 part 1, 18.4.9) holds or says it
/// holds more than `limit` texts. calamine reads the whole list when it
/// opens the file, first setting aside room for the stated count: a
/// damaged or crafted count (`uniqueCount="100000000000000"` in a 2 KB
/// file) asked for petabytes and stopped the program, and a billion short
/// texts compress into a few megabytes. The list is streamed, and the count
/// stops at `limit`. `None` when within the limit, and when the file cannot
/// be read (calamine then says why).
fn xlsx_texts_over_limit(bytes: &[u8], limit: u64) -> Option<Texts> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    // calamine finds the list beside the workbook part, whatever the case of
    // its name: every candidate is checked.
    let names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .map(|n| n.into_owned())
        .collect();
    for name in names {
        let Ok(entry) = zip.by_name(&name) else {
            continue;
        };
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
        // As calamine reads it: an end tag need not match its start tag.
        xml.config_mut().check_end_names = false;
        let mut buf = Vec::new();
        let mut texts = 0u64;
        loop {
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                    b"sst" => {
                        if let Some(n) = stated_count(e.attributes_raw()).filter(|&n| n > limit) {
                            return Some(Texts::Stated(n));
                        }
                    }
                    b"si" => {
                        texts += 1;
                        if texts > limit {
                            return Some(Texts::Counted);
                        }
                    }
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    None
}

/// The largest count stated by a `uniqueCount` in the raw attributes of an
/// `<sst>` start tag (`uniqueCount="12"`), read more leniently than any XML
/// reader would: calamine reads the attributes with its own forgiving
/// reader and sets aside room for the count even when another attribute is
/// malformed (`xmlns="…"ssd uniqueCount="100000000000000"`, which quick-xml's
/// checked reading refuses, so an earlier version of this check missed it).
/// Every `uniqueCount` followed by `=` and digits (quoted or not, with any
/// leading zeros) counts; a count too large for `u64` is `u64::MAX`.
fn stated_count(attributes: &[u8]) -> Option<u64> {
    const KEY: &[u8] = b"uniqueCount";
    let mut largest: Option<u64> = None;
    for at in memchr::memmem::find_iter(attributes, KEY) {
        let rest = &attributes[at + KEY.len()..];
        let rest = rest.trim_ascii_start();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let rest = rest
            .strip_prefix(b"\"")
            .or(rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            continue;
        }
        let n = rest[..digits]
            .iter()
            .try_fold(0u64, |n, &d| {
                n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            })
            .unwrap_or(u64::MAX);
        largest = Some(largest.map_or(n, |l| l.max(n)));
    }
    largest
}

/// The first sheet of an OpenDocument spreadsheet (`.ods`) whose rows, from
/// its first filled row to its last and each as wide as the widest filled
/// row, hold more than [`CELL_LIMIT`] cells. calamine reads
/// every sheet of an `.ods` whole when it opens the file and sets that
/// rectangle aside (a 1.6 KB file of one row repeated 6,200 times with a
/// value after 16,000 empty cells took 7.2 GB), so this is checked first,
/// streaming `content.xml`. Counts repeats as calamine does: rows
/// (`table:number-rows-repeated`) and columns (`table:number-columns-repeated`,
/// at most 16,384 per row) up to a row's last cell with a value, formula or
/// content (OpenDocument 1.2, part 1, 9.1.3 and 9.1.4), with the XML read as
/// calamine reads it (end tags not matched against start tags), and stops
/// as soon as a sheet is over the limit: a damaged `content.xml` (a 1.6 KB
/// file whose one mismatched end tag stopped this check while calamine read
/// on, to 5.2 GB) is counted as far as calamine reads it. `None` when within
/// the limit, or when the file cannot be read (calamine then says why).
fn ods_sheet_over_limit(bytes: &[u8]) -> Option<String> {
    use quick_xml::events::{BytesStart, Event};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let content = zip.by_name("content.xml").ok()?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    // As calamine reads it: an end tag need not match its start tag.
    xml.config_mut().check_end_names = false;
    fn attribute<'a>(
        e: &'a BytesStart<'_>,
        name: &[u8],
    ) -> Option<quick_xml::events::attributes::Attribute<'a>> {
        e.try_get_attribute(name).ok().flatten()
    }
    let repeats = |e: &BytesStart, name: &[u8]| -> u64 {
        attribute(e, name)
            .and_then(|a| std::str::from_utf8(&a.value).ok()?.trim().parse().ok())
            .unwrap_or(1)
    };
    let mut sheet = String::new();
    let mut extent = OdsExtent::default();
    let mut buf = Vec::new();
    loop {
        let (e, empty) = match xml.read_event_into(&mut buf).ok()? {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) if e.name().as_ref() == b"table:table-row" => {
                extent.end_row();
                // calamine holds a sheet's rows as it reads them: the
                // count stops as soon as it is over.
                if extent.cells() > CELL_LIMIT as u64 {
                    return Some(sheet);
                }
                buf.clear();
                continue;
            }
            Event::End(e) if e.name().as_ref() == b"table:table" => {
                if extent.cells() > CELL_LIMIT as u64 {
                    return Some(sheet);
                }
                buf.clear();
                continue;
            }
            Event::Eof => return None,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            b"table:table" => {
                sheet = attribute(&e, b"table:name")
                    .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                    .unwrap_or_default();
                extent = OdsExtent::default();
            }
            b"table:table-row" => {
                extent.start_row(repeats(&e, b"table:number-rows-repeated"));
                if empty {
                    extent.end_row();
                }
                if extent.cells() > CELL_LIMIT as u64 {
                    return Some(sheet);
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                // A cell with content (a paragraph) is not written empty.
                let filled = !empty
                    || attribute(&e, b"office:value-type").is_some()
                    || attribute(&e, b"table:formula").is_some();
                extent.cell(repeats(&e, b"table:number-columns-repeated"), filled);
            }
            _ => {}
        }
        buf.clear();
    }
}

/// The extent of an OpenDocument sheet as calamine sets it aside, counted
/// row by row (see [`ods_sheet_over_limit`]): rows repeated
/// (`table:number-rows-repeated`) up to 1,048,576 in all, columns repeated
/// (`table:number-columns-repeated`) up to 16,384 in a row, each row as wide
/// as its last filled cell.
#[derive(Debug, Default)]
struct OdsExtent {
    /// Rows so far.
    rows: u64,
    /// The first filled row.
    first: Option<u64>,
    /// The row after the last filled one.
    end: u64,
    /// The widest filled row.
    width: u64,
    /// The row being read: its repeats, its width so far, and its width up
    /// to its last filled cell.
    row_repeats: u64,
    row_width: u64,
    row_filled: u64,
}

impl OdsExtent {
    const MAX_ROWS: u64 = MAX_ROWS as u64;
    const MAX_COLUMNS: u64 = MAX_COLUMNS as u64;

    fn start_row(&mut self, repeats: u64) {
        self.row_repeats = repeats.min(Self::MAX_ROWS - self.rows.min(Self::MAX_ROWS));
        (self.row_width, self.row_filled) = (0, 0);
    }

    fn cell(&mut self, repeats: u64, filled: bool) {
        self.row_width = self
            .row_width
            .saturating_add(repeats)
            .min(Self::MAX_COLUMNS);
        if filled {
            self.row_filled = self.row_width;
        }
    }

    fn end_row(&mut self) {
        if self.row_filled > 0 {
            self.first.get_or_insert(self.rows);
            self.width = self.width.max(self.row_filled);
            self.end = self.rows + self.row_repeats;
        }
        self.rows += self.row_repeats;
    }

    /// The cells from the first filled row to the last, each row as wide as
    /// the widest.
    fn cells(&self) -> u64 {
        self.first
            .map_or(0, |first| (self.end - first).saturating_mul(self.width))
    }
}

/// The error for a workbook whose reader stopped on something no
/// spreadsheet writes (see [`guarded`]).
fn damaged(path: &Path) -> Box<Problem> {
    Box::new(Problem::error(
        path,
        None,
        "the workbook is damaged: part of it is not laid out as a spreadsheet writes it; open it in Excel or LibreOffice and save it again (as .xlsx)",
    ))
}

/// What a file named as a workbook is when it is text: a web page or a
/// CSV file, as some systems export tables under an `.xls` name.
fn not_a_workbook(path: &Path, bytes: &[u8]) -> Option<Problem> {
    if bytes.is_empty() {
        return Some(Problem::error(
            path,
            None,
            "the file is empty; save the workbook again from Excel or LibreOffice",
        ));
    }
    if super::csv::not_text(bytes).is_some() {
        return None;
    }
    let start = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .trim_ascii_start();
    let what = if start.starts_with(b"<") {
        "this file is a web page (HTML) under a workbook's name, as some systems export tables; open it in Excel or LibreOffice and save it as a workbook (.xlsx)"
    } else {
        "this file is text (a CSV file, most likely) under a workbook's name; rename it to end in .csv"
    };
    Some(Problem::error(path, None, what))
}

fn cannot_open(path: &Path, e: &calamine::Error) -> Problem {
    let what = match e {
        calamine::Error::Io(e) => format!("cannot read the file: {e}"),
        _ => "cannot read the file as a workbook: it may be damaged, protected by a password, or not really a workbook; open it in Excel or LibreOffice and save it again".to_string(),
    };
    Problem::error(path, None, what)
}

/// Whether the sheet (or file stem) `name` is one of `names`, folded (case,
/// spaces, `-` and `_` forgiven).
pub fn is_sheet_named(name: &str, names: &[&str]) -> bool {
    let f = fold(name);
    names.iter().any(|n| fold(n) == f)
}

/// The sheet of `names` named after a table: its name is one of `names`
/// (folded: case, spaces, `-` and `_` forgiven).
pub fn find_sheet<'a>(sheets: &'a [String], names: &[&str]) -> Option<&'a String> {
    let wanted: Vec<String> = names.iter().map(|n| fold(n)).collect();
    sheets.iter().find(|s| wanted.contains(&fold(s)))
}

/// Whether sheet `sheet` of the workbook `path` holds any data row (a
/// non-empty row after the header that is not a `#` comment).
pub fn has_rows(path: &Path, sheet: &str) -> bool {
    let mut quiet = Problems::default();
    read(path, sheet, &[], &[], "", &mut quiet).is_some_and(|t| t.row_estimate() > 0)
}

/// Reads sheet `sheet` of the workbook `path` into a [`Table`]: its first
/// non-empty row is the header. A number in one of the `dates` columns is an
/// Excel date serial (a date cell formatted as a number), read as that date
/// in the workbook's date system (1900, or 1904 of old Mac workbooks).
/// `None` (with a problem) when the workbook or sheet cannot be read, the
/// sheet is empty, or lacks a `required` column.
pub fn read(
    path: &Path,
    sheet: &str,
    required: &[&str],
    dates: &[&str],
    expected: &str,
    problems: &mut Problems,
) -> Option<Table> {
    if let Err(e) = super::files::check_ordinary(path, super::files::TABLE) {
        problems.push(Problem::error(
            path,
            None,
            format!("cannot read the workbook: {e}"),
        ));
        return None;
    }
    let mut wb = match open(path) {
        Ok(wb) => wb,
        Err(p) => {
            problems.push(*p);
            return None;
        }
    };
    let epoch_1904 = match &wb {
        Sheets::Xlsx(x) => x.has_1904_epoch(),
        Sheets::Xls(x) => x.has_1904_epoch(),
        Sheets::Xlsb(x) => x.has_1904_epoch(),
        // OpenDocument stores dates as dates; its serial numbers count from
        // 1899-12-30, as Excel's 1900 system does from March 1900.
        Sheets::Ods(_) => false,
    };
    let cells =
        match guarded(|| sheet_cells(&mut wb, sheet)).unwrap_or(Err(SheetTrouble::Unreadable)) {
            Ok(cells) => cells,
            Err(trouble) => {
                problems.push(trouble.problem(path, sheet));
                return None;
            }
        };
    let (width, rows) = match rows_of(cells, CELL_LIMIT) {
        Ok(grid) => grid,
        Err(trouble) => {
            problems.push(trouble.problem(path, sheet));
            return None;
        }
    };
    let first_row = rows.first().map_or(0, |r| r.0);
    let mut rows = rows.into_iter();
    let headers: Vec<String> = match rows.next() {
        Some((_, cells)) => {
            let mut h = vec![String::new(); width];
            for (c, cell) in cells.iter().enumerate() {
                h[c] = text(cell);
            }
            h
        }
        None => Vec::new(),
    };
    let required_at: Vec<bool> = headers
        .iter()
        .map(|h| required.contains(&h.trim().to_lowercase().as_str()))
        .collect();
    let date_at: Vec<bool> = headers
        .iter()
        .map(|h| dates.contains(&h.trim().to_lowercase().as_str()))
        .collect();
    let mut cell_rows = Vec::new();
    let mut errors = Problems::default();
    for (row_index, row) in rows {
        let number = u64::from(row_index) + 1;
        let mut cells = Vec::with_capacity(row.len());
        // A required value that is an error cell: the cell is the row's
        // problem, and the row is left out (rather than reported again as
        // lacking the value).
        let mut required_error = false;
        for (j, cell) in row.iter().enumerate() {
            if let Data::Error(e) = cell {
                let column = j;
                let is_required = required_at.get(column).copied().unwrap_or(false);
                required_error |= is_required;
                let place = Place {
                    file: path,
                    sheet: Some(sheet),
                    column: Some(column),
                };
                let p = place.problem(
                    if is_required {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    Some(number),
                    format!(
                        "the cell holds the error {e}, not a value{}; correct the formula or type the value",
                        if is_required { "" } else { " (read as empty)" }
                    ),
                );
                let name = headers.get(column).map(|h| h.trim().to_lowercase());
                errors.push(match name {
                    Some(n) if !n.is_empty() => p.at(&n, &e.to_string()),
                    _ => p,
                });
                cells.push(String::new());
            } else if date_at.get(j).copied().unwrap_or(false) {
                cells.push(serial_date(cell, epoch_1904).unwrap_or_else(|| text(cell)));
            } else {
                cells.push(text(cell));
            }
        }
        // A row whose first value starts with `#` is a comment, as in CSV.
        if cells
            .iter()
            .find(|c| !c.trim().is_empty())
            .is_some_and(|c| c.trim_start().starts_with('#'))
        {
            continue;
        }
        if required_error {
            continue;
        }
        cell_rows.push(CellRow { number, cells });
    }
    let table = Table::from_cells(
        path,
        Some(sheet.to_string()),
        u64::from(first_row) + 1,
        headers,
        cell_rows,
        required,
        expected,
        problems,
    )?;
    problems.extend(errors);
    let mut table = table;
    table.read_as = "a workbook sheet, cells as typed".to_string();
    Some(table)
}

/// Excel's own bounds on a sheet ("Excel specifications and limits"):
/// rows 1 to 1,048,576 and columns A to XFD (16,384). A workbook with a cell
/// beyond them was not written by a spreadsheet.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

/// At most this many cells of one sheet are read: filled cells, and the
/// empty cells before the last filled cell of each row (1,048,576 rows of
/// 19 columns). Holds a sheet's cells within about 1 GB however the file
/// places them (a few filled cells far apart would otherwise make a
/// workbook of a few kilobytes need terabytes). CSV files have no such limit.
pub const CELL_LIMIT: usize = 20_000_000;

/// [`CELL_LIMIT`] as messages write it.
const CELL_LIMIT_TEXT: &str = "20,000,000";

/// Why a sheet's cells could not be read.
#[derive(Debug, PartialEq)]
enum SheetTrouble {
    /// The workbook reader failed on the sheet.
    Unreadable,
    /// A cell beyond Excel's last row or column (0-based row and column).
    OutOfBounds { row: u32, column: u32 },
    /// More than [`CELL_LIMIT`] cells.
    TooManyCells,
}

impl SheetTrouble {
    fn problem(&self, path: &Path, sheet: &str) -> Problem {
        let message = match *self {
            SheetTrouble::Unreadable => {
                "cannot read the sheet; open the workbook in Excel or LibreOffice and save it again"
                    .to_string()
            }
            SheetTrouble::OutOfBounds { row, column } => format!(
                "the sheet has a cell at row {}, column {}, beyond the last row (1,048,576) or column (XFD, 16,384) a spreadsheet can have, so the file was not saved by a spreadsheet or is damaged; open it in Excel or LibreOffice and save it again",
                u64::from(row) + 1,
                u64::from(column) + 1
            ),
            SheetTrouble::TooManyCells => format!(
                "the sheet holds more than {CELL_LIMIT_TEXT} cells (counting the empty cells between the filled ones), more than partnernet reads from one sheet; delete the rows and columns you do not need, or save the sheet as a CSV file, which has no such limit"
            ),
        };
        Place {
            file: path,
            sheet: Some(sheet),
            column: None,
        }
        .problem(Severity::Error, None, message)
    }
}

/// The filled cells of a sheet as (0-based row, column, value), in the
/// order the file holds them. `.xlsx` and `.xlsb` sheets are streamed cell
/// by cell, so that no cell far from the others makes the reader set aside
/// the whole rectangle between them; `.xls` and `.ods` sheets are read by
/// calamine whole (its OpenDocument reader stops at 100,000,000 cells).
/// Errors: [`SheetTrouble`].
fn sheet_cells<RS: std::io::Read + std::io::Seek>(
    wb: &mut Sheets<RS>,
    sheet: &str,
) -> Result<Vec<(u32, u32, Data)>, SheetTrouble> {
    let mut cells = Vec::new();
    let mut keep = |(row, column): (u32, u32), value: Data| {
        if row >= MAX_ROWS || column >= MAX_COLUMNS {
            return Err(SheetTrouble::OutOfBounds { row, column });
        }
        if cells.len() >= CELL_LIMIT {
            return Err(SheetTrouble::TooManyCells);
        }
        cells.push((row, column, value));
        Ok(())
    };
    match wb {
        Sheets::Xlsx(x) => {
            let mut reader = x
                .worksheet_cells_reader(sheet)
                .map_err(|_| SheetTrouble::Unreadable)?;
            filled_cells(|| reader.next_cell(), &mut keep)?;
        }
        Sheets::Xlsb(x) => {
            let mut reader = x
                .worksheet_cells_reader(sheet)
                .map_err(|_| SheetTrouble::Unreadable)?;
            filled_cells(|| reader.next_cell(), &mut keep)?;
        }
        other => {
            let range = other
                .worksheet_range(sheet)
                .map_err(|_| SheetTrouble::Unreadable)?;
            for (row, column, value) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                keep((r0 + row as u32, c0 + column as u32), value.clone())?;
            }
        }
    }
    Ok(cells)
}

/// Rows of a sheet: each row's 0-based number and its cells from column A.
type SheetRows = Vec<(u32, Vec<Data>)>;

/// Passes the filled cells a calamine cell reader gives (`next`) to `keep`,
/// as (0-based row and column, value). Errors: [`SheetTrouble::Unreadable`]
/// when the reader fails, and whatever `keep` returns.
fn filled_cells<'a, E>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'a>>>, E>,
    keep: &mut impl FnMut((u32, u32), Data) -> Result<(), SheetTrouble>,
) -> Result<(), SheetTrouble> {
    while let Some(cell) = next().map_err(|_| SheetTrouble::Unreadable)? {
        if !matches!(cell.get_value(), calamine::DataRef::Empty) {
            keep(cell.get_position(), Data::from(cell.get_value().clone()))?;
        }
    }
    Ok(())
}

/// The filled rows of a sheet from its cells: the number of columns up to
/// the last filled one of any row, and each row with a filled cell as its
/// 0-based row number and its cells from column A to its last filled cell
/// (empty cells as [`Data::Empty`]), in row order. A position given twice
/// keeps its last value. Errors: [`SheetTrouble::TooManyCells`] when the
/// rows with their empty cells would hold more than `limit` cells.
fn rows_of(
    mut cells: Vec<(u32, u32, Data)>,
    limit: usize,
) -> Result<(usize, SheetRows), SheetTrouble> {
    cells.sort_by_key(|&(row, column, _)| (row, column));
    let mut rows: SheetRows = Vec::new();
    let mut width = 0;
    let mut padded = 0usize;
    for (row, column, value) in cells {
        if rows.last().is_none_or(|r| r.0 != row) {
            rows.push((row, Vec::new()));
        }
        let cells = &mut rows.last_mut().expect("a row was just pushed").1;
        let at = column as usize;
        if at < cells.len() {
            cells[at] = value;
            continue;
        }
        padded += at + 1 - cells.len();
        if padded > limit {
            return Err(SheetTrouble::TooManyCells);
        }
        cells.resize(at, Data::Empty);
        cells.push(value);
        width = width.max(at + 1);
    }
    Ok((width, rows))
}

/// A cell's value as text, as the CSV file of the same data would hold it.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => match d.as_datetime() {
            Some(dt) => dt.date().format("%Y-%m-%d").to_string(),
            None => number(d.as_f64()),
        },
        Data::DateTime(d) => number(d.as_f64()),
        Data::DateTimeIso(s) => s.clone(),
        Data::DurationIso(s) => s.clone(),
    }
}

/// The date a number stands for as an Excel date serial (days since
/// 1899-12-30, or since 1904-01-01 in the 1904 system; a fraction is the
/// time of day, left out), as `YYYY-MM-DD`; `None` for a cell that is not a
/// number, or a number outside the years 1900 to 9999.
fn serial_date(cell: &Data, epoch_1904: bool) -> Option<String> {
    let serial = match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => return None,
    };
    // Serial 1 is 1900-01-01 (1904-01-02); 2958465 is 9999-12-31.
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, epoch_1904)
        .as_datetime()
        .map(|dt| dt.date().format("%Y-%m-%d").to_string())
}

/// A number as people write it: `2` rather than `2.0`, `2.5` as it is.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stated_count_is_found_behind_a_malformed_attribute() {
        let found = |raw: &str| stated_count(raw.as_bytes());
        assert_eq!(
            found(r#" xmlns="http://x/m"ssd count="1" uniqueCount="100000000000000""#),
            Some(100_000_000_000_000)
        );
        assert_eq!(found(r#" uniqueCount = '0012' count="9""#), Some(12));
        assert_eq!(
            found(r#" uniqueCount=99999999999999999999999"#),
            Some(u64::MAX)
        );
        assert_eq!(found(r#" count="3""#), None);
        assert_eq!(found(r#" uniqueCount="x7""#), None);
    }

    /// One BIFF record: type, length, data.
    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    /// An RK cell record ([MS-XLS] 2.4.220) at `row`, `column`.
    fn rk(row: u16, column: u16) -> Vec<u8> {
        let mut data = row.to_le_bytes().to_vec();
        data.extend(column.to_le_bytes());
        data.extend([0, 0, 0, 0, 0, 0]);
        record(0x027E, &data)
    }

    /// A workbook stream: BOF, one BoundSheet8 saying the sheet starts at
    /// `start`, EOF, then `rest`.
    fn stream(start: u32, rest: &[u8]) -> Vec<u8> {
        let mut bound = start.to_le_bytes().to_vec();
        bound.extend([0, 0, 1, 0, b'S']);
        let mut s = record(0x0809, &[0; 16]);
        s.extend(record(0x0085, &bound));
        s.extend(record(0x000A, &[]));
        s.extend(rest);
        s
    }

    #[test]
    fn an_xls_sheet_is_checked_from_where_the_workbook_says_it_starts() {
        let head = stream(0, &[]).len() as u32;
        // A sheet within bounds.
        let mut sheet = record(0x0809, &[0; 16]);
        sheet.extend(rk(3, 2));
        sheet.extend(record(0x000A, &[]));
        assert_eq!(biff_damage(&stream(head, &sheet)), None);
        // The same records hidden in another record's data, where a walk
        // from the stream's start never sees them; the sheet starts there.
        let far = [record(0x0809, &[0; 16]), rk(65_535, 65_535)].concat();
        let decoy = record(0x00E0, &far);
        let at = head + 4;
        let damage = biff_damage(&stream(at, &decoy)).unwrap();
        assert!(
            damage.contains("a cell at row 65536, column 65536"),
            "{damage}"
        );
        // A sheet said to start after the end of the data.
        let damage = biff_damage(&stream(1_000, &sheet)).unwrap();
        assert!(damage.contains("a sheet starts at byte 1000"), "{damage}");
        // A list of sheets cut short (calamine reads six bytes of it).
        let short = [record(0x0809, &[0; 16]), record(0x0085, &[0, 0])].concat();
        let damage = biff_damage(&short).unwrap();
        assert!(damage.contains("list of sheets is cut short"), "{damage}");
    }

    #[test]
    fn an_xls_sheet_walk_skips_continue_records_and_embedded_charts_as_calamine_does() {
        let head = stream(0, &[]).len() as u32;
        // A chart inside the sheet (its own BOF ... EOF) may hold anything.
        let mut sheet = record(0x0809, &[0; 16]);
        sheet.extend(record(0x0809, &[0; 16]));
        sheet.extend(rk(65_535, 65_535));
        sheet.extend(record(0x000A, &[]));
        sheet.extend(rk(1, 1));
        assert_eq!(biff_damage(&stream(head, &sheet)), None);
        // A cell after the chart's end is the sheet's.
        sheet.extend(rk(10, 300));
        assert!(biff_damage(&stream(head, &sheet)).is_some());
        // A CONTINUE record is part of the record before it.
        let records: Vec<u16> =
            BiffRecords(&[rk(1, 1), record(0x003C, &rk(9, 9)), rk(2, 2)].concat())
                .map(|(kind, _)| kind)
                .collect();
        assert_eq!(records, [0x027E, 0x027E]);
        // A record cut short ends the walk.
        let cut = [rk(1, 1), rk(2, 2)[..7].to_vec()].concat();
        assert_eq!(BiffRecords(&cut).count(), 1);
    }

    fn s(v: &str) -> Data {
        Data::String(v.to_string())
    }

    #[test]
    fn rows_are_sorted_padded_to_their_last_cell_and_keep_a_position_s_last_value() {
        let cells = vec![
            (5, 2, s("c")),
            (0, 1, s("b")),
            (5, 0, s("first")),
            (5, 0, s("again")),
        ];
        let (width, rows) = rows_of(cells, 100).unwrap();
        assert_eq!(width, 3);
        assert_eq!(
            rows,
            vec![
                (0, vec![Data::Empty, s("b")]),
                (5, vec![s("again"), Data::Empty, s("c")]),
            ]
        );
    }

    #[test]
    fn an_ods_sheet_extent_counts_repeats_up_to_the_last_filled_cell() {
        let mut e = OdsExtent::default();
        // Two empty rows, then a row of a value after 3 empty cells and
        // 1,000 empty ones after it (not counted), repeated 4 times, then
        // the rest of the sheet's rows, empty.
        e.start_row(2);
        e.cell(10, false);
        e.end_row();
        e.start_row(4);
        e.cell(3, false);
        e.cell(1, true);
        e.cell(1_000, false);
        e.end_row();
        e.start_row(u64::MAX);
        e.cell(1_024, false);
        e.end_row();
        assert_eq!(e.cells(), 4 * 4);
        assert_eq!(e.rows, 1_048_576);
        // Repeats beyond a sheet's columns count up to its last column.
        e.start_row(1);
        e.cell(u64::MAX, true);
        e.end_row();
        assert_eq!(e.width, 16_384);
    }

    /// An `.xlsx`-like archive holding only `xl/sharedStrings.xml`.
    fn with_texts(xml: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(
            "xl/sharedStrings.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn texts_over_the_limit_are_found_stated_or_counted() {
        let list = |stated: &str, n: usize| {
            with_texts(&format!(
                "<sst xmlns=\"x\" {stated}>{}</sst>",
                "<si><t>a</t></si>".repeat(n)
            ))
        };
        assert_eq!(
            xlsx_texts_over_limit(&list("uniqueCount=\"5\"", 5), 5),
            None
        );
        assert_eq!(
            xlsx_texts_over_limit(&list("uniqueCount=\"6\"", 1), 5),
            Some(Texts::Stated(6))
        );
        // A list that says less than it holds, or nothing, is counted.
        assert_eq!(
            xlsx_texts_over_limit(&list("uniqueCount=\"1\"", 6), 5),
            Some(Texts::Counted)
        );
        assert_eq!(xlsx_texts_over_limit(&list("", 6), 5), Some(Texts::Counted));
        assert_eq!(xlsx_texts_over_limit(b"not a zip", 5), None);
    }

    #[test]
    fn the_cell_limit_reads_as_written_in_messages() {
        assert_eq!(CELL_LIMIT_TEXT.replace(',', "").parse(), Ok(CELL_LIMIT));
    }

    #[test]
    fn cells_far_apart_count_the_empty_cells_between_them() {
        // Two filled cells, 10,000 columns apart: 10,001 cells with the gap.
        let cells = vec![(0, 0, s("a")), (0, 10_000, s("z"))];
        assert_eq!(rows_of(cells.clone(), 10_001).map(|r| r.0), Ok(10_001));
        assert_eq!(rows_of(cells, 10_000), Err(SheetTrouble::TooManyCells));
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(2.0), "2");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(-3.0), "-3");
    }

    #[test]
    fn serials_read_as_dates() {
        assert_eq!(
            serial_date(&Data::Float(45366.0), false).as_deref(),
            Some("2024-03-15")
        );
        assert_eq!(
            serial_date(&Data::Int(45366), false).as_deref(),
            Some("2024-03-15")
        );
        // The 1904 system counts 1462 days fewer.
        assert_eq!(
            serial_date(&Data::Float(45366.0 - 1462.0), true).as_deref(),
            Some("2024-03-15")
        );
        // A time of day is left out.
        assert_eq!(
            serial_date(&Data::Float(45366.75), false).as_deref(),
            Some("2024-03-15")
        );
        assert_eq!(serial_date(&Data::Float(-3.0), false), None);
        assert_eq!(serial_date(&Data::Float(1e12), false), None);
        assert_eq!(serial_date(&Data::String("45366".into()), false), None);
    }

    #[test]
    fn sheets_are_found_forgivingly() {
        let sheets = vec!["Organizations".to_string(), "Lead status".to_string()];
        assert_eq!(
            find_sheet(&sheets, &["organisations", "organizations"]),
            Some(&sheets[0])
        );
        assert_eq!(find_sheet(&sheets, &["lead-status"]), Some(&sheets[1]));
        assert_eq!(find_sheet(&sheets, &["relations"]), None);
    }
}
