//! Characters that must not reach any output: control characters (NUL, the
//! ESC that starts terminal escapes, the rest of C0 and C1 but tab, line feed
//! and carriage return), bidirectional overrides and the characters XML
//! cannot carry (U+FFFE, U+FFFF); see [`crate::text::unwanted`].
//!
//! They are removed from each file's text as it is read, before anything
//! else looks at it, and each removal is a warning naming the file, line and
//! column (for a table) or character (for a note) and the characters
//! removed. None of them is a CSV delimiter, quote or line end, so removing
//! them keeps every row, field and line number where it was. What is left
//! is what every output shows, the same everywhere.

use std::path::Path;

use crate::error::{shorten, Problem, Problems};
use crate::text::unwanted;

/// How many cells (or note lines) of one file get a warning of their own;
/// the rest are counted in one more warning.
const WARNINGS_PER_FILE: usize = 10;

/// The length in bytes of the unwanted character at the start of `b`, if
/// one starts there. Works on bytes (invalid UTF-8 is reported later, by the
/// readers): each of these characters starts with a byte that only ever
/// starts a character, so a match is never inside another character.
fn unwanted_at(b: &[u8]) -> Option<usize> {
    match b {
        [c, ..] if (*c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r')) || *c == 0x7f => Some(1),
        // C1 controls, U+0080 to U+009F.
        [0xC2, 0x80..=0x9F, ..] => Some(2),
        // U+202A to U+202E, U+2066 to U+2069.
        [0xE2, 0x80, 0xAA..=0xAE, ..] | [0xE2, 0x81, 0xA6..=0xA9, ..] => Some(3),
        // U+FFFE, U+FFFF.
        [0xEF, 0xBF, 0xBE..=0xBF, ..] => Some(3),
        _ => None,
    }
}

/// Whether `bytes` hold any unwanted character. Blocks of 32 bytes are
/// screened at once for a byte that can start one (a control other than
/// tab and line ends, or the lead byte of the unwanted multi-byte ones),
/// and only blocks with such a byte are looked at byte by byte; a large
/// text is screened in parallel.
fn any_unwanted(bytes: &[u8]) -> bool {
    use rayon::prelude::*;
    const SPLIT: usize = 1 << 16;
    let screen = |start: usize, len: usize| -> bool {
        let block_has = |i: usize, block: &[u8]| {
            let suspect = block.iter().fold(0u8, |acc, &b| {
                acc | u8::from(b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
                    | u8::from(matches!(b, 0x7f | 0xC2 | 0xE2 | 0xEF))
            });
            suspect != 0 && (i..i + block.len()).any(|j| unwanted_at(&bytes[j..]).is_some())
        };
        bytes[start..start + len]
            .chunks(32)
            .enumerate()
            .any(|(k, block)| block_has(start + 32 * k, block))
    };
    if bytes.len() <= SPLIT {
        return screen(0, bytes.len());
    }
    (0..bytes.len().div_ceil(SPLIT))
        .into_par_iter()
        .any(|k| screen(k * SPLIT, SPLIT.min(bytes.len() - k * SPLIT)))
}

/// `bytes` without their unwanted characters.
fn without_unwanted(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match unwanted_at(&bytes[i..]) {
            Some(n) => i += n,
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

/// The unwanted characters of `s`, named (`U+0000`, `U+001B`), at most three
/// distinct ones.
fn named(s: &str) -> String {
    let mut seen: Vec<char> = Vec::new();
    for c in s.chars().filter(|&c| unwanted(c)) {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    let mut names: Vec<String> = seen
        .iter()
        .take(3)
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect();
    if seen.len() > 3 {
        names.push("…".to_string());
    }
    names.join(", ")
}

/// What the warnings say after the place.
const REMOVED: &str =
    "removed characters that are invisible and could act in a spreadsheet, a terminal or a browser";

/// The text of the CSV file `path` (UTF-8, after any byte order mark; its
/// fields separated by `delimiter`) without its unwanted characters; each
/// cell that held some is a warning naming its line and column. `bytes` come
/// back as they are when there are none.
pub fn clean_csv(path: &Path, bytes: Vec<u8>, delimiter: u8, problems: &mut Problems) -> Vec<u8> {
    if !any_unwanted(&bytes) {
        return bytes;
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .comment(Some(b'#'))
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut headers: Vec<String> = Vec::new();
    let mut cells = 0usize;
    let mut record = csv::ByteRecord::new();
    // The csv crate's line numbers lag behind after a `\r\n`, so lines are
    // counted here: from where the record starts, past the line ends and
    // comment lines the reader skips.
    let (mut counted, mut line) = (0usize, 1u64);
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        loop {
            match bytes.get(start) {
                Some(b'\r' | b'\n') => start += 1,
                Some(b'#') => {
                    start += memchr::memchr(b'\n', &bytes[start..])
                        .map_or(bytes.len() - start, |n| n + 1)
                }
                _ => break,
            }
        }
        let start = start.min(bytes.len());
        if start > counted {
            line += memchr::memchr_iter(b'\n', &bytes[counted..start]).count() as u64;
            counted = start;
        }
        let first = headers.is_empty();
        for (i, field) in record.iter().enumerate() {
            if first {
                headers.push(
                    String::from_utf8_lossy(&without_unwanted(field))
                        .trim_start_matches('\u{feff}')
                        .trim()
                        .to_lowercase(),
                );
            }
            if !any_unwanted(field) {
                continue;
            }
            cells += 1;
            if cells > WARNINGS_PER_FILE {
                continue;
            }
            let value = String::from_utf8_lossy(field);
            let column = match headers.get(i) {
                Some(h) if !first && !h.is_empty() => h.clone(),
                _ if first => format!("header {}", i + 1),
                _ => format!("column {}", i + 1),
            };
            problems.push(
                Problem::warning(
                    path,
                    Some(line),
                    format!(
                        "{REMOVED} ({}); the rest of the text is read as it is",
                        named(&value)
                    ),
                )
                .at(&column, &shorten(&value, 80)),
            );
        }
    }
    if cells > WARNINGS_PER_FILE {
        problems.push(Problem::warning(
            path,
            None,
            format!(
                "… and {} more cells of this file had such characters removed",
                cells - WARNINGS_PER_FILE
            ),
        ));
    }
    without_unwanted(&bytes)
}

/// The cells of a sheet (`rows`, under `headers`) without their unwanted
/// characters; each cell that held some is a warning naming the sheet and
/// the cell.
pub fn clean_cells(
    path: &Path,
    sheet: Option<&str>,
    headers: &[String],
    rows: &mut [super::table::CellRow],
    problems: &mut Problems,
) {
    let mut cells = 0usize;
    for row in rows.iter_mut() {
        for (i, cell) in row.cells.iter_mut().enumerate() {
            if !cell.chars().any(unwanted) {
                continue;
            }
            cells += 1;
            if cells <= WARNINGS_PER_FILE {
                let place = super::table::Place {
                    file: path,
                    sheet,
                    column: Some(i),
                };
                let column = headers.get(i).cloned().unwrap_or_default();
                problems.push(
                    place
                        .problem(
                            crate::error::Severity::Warning,
                            Some(row.number),
                            format!(
                                "{REMOVED} ({}); the rest of the text is read as it is",
                                named(cell)
                            ),
                        )
                        .at(&column, &shorten(cell, 80)),
                );
            }
            *cell = cell.chars().filter(|&c| !unwanted(c)).collect();
        }
    }
    if cells > WARNINGS_PER_FILE {
        let place = super::table::Place {
            file: path,
            sheet,
            column: None,
        };
        problems.push(place.problem(
            crate::error::Severity::Warning,
            None,
            format!(
                "… and {} more cells of this sheet had such characters removed",
                cells - WARNINGS_PER_FILE
            ),
        ));
    }
}

/// `text` (a note) without its unwanted characters; each line that held
/// some is a warning naming the line and the first such character's
/// position in it.
pub fn clean_text(path: &Path, text: String, problems: &mut Problems) -> String {
    if !text.chars().any(unwanted) {
        return text;
    }
    let mut lines = 0usize;
    for (n, line) in text.split('\n').enumerate() {
        let Some(at) = line.chars().position(unwanted) else {
            continue;
        };
        lines += 1;
        if lines <= WARNINGS_PER_FILE {
            problems.push(Problem::warning(
                path,
                Some(n as u64 + 1),
                format!(
                    "{REMOVED} ({}, the first at character {}); the rest of the line is read as it is",
                    named(line),
                    at + 1
                ),
            ));
        }
    }
    if lines > WARNINGS_PER_FILE {
        problems.push(Problem::warning(
            path,
            None,
            format!(
                "… and {} more lines of this note had such characters removed",
                lines - WARNINGS_PER_FILE
            ),
        ));
    }
    text.chars().filter(|&c| !unwanted(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_screen_finds_each_unwanted_character_wherever_it_lies() {
        // Each unwanted character, and a harmless one with the same lead
        // byte, at every offset around a 32-byte block edge and around the
        // edge of the parallel pieces, in a text long enough to be split.
        let harmless = ["\t", "\r\n", "é", "\u{00A0}", "–", "\u{FFFD}"];
        let unwanted_ones = [
            "\u{0}", "\u{1B}", "\u{7F}", "\u{85}", "\u{202E}", "\u{2066}", "\u{FFFF}",
        ];
        let len = (1 << 16) + 100;
        for at in [
            0,
            29,
            30,
            31,
            32,
            33,
            (1 << 16) - 2,
            (1 << 16) - 1,
            1 << 16,
            len - 3,
        ] {
            for h in harmless {
                let mut text = "a".repeat(len);
                text.replace_range(at..at + 1, h);
                assert!(!any_unwanted(text.as_bytes()), "{h:?} at {at}");
            }
            for u in unwanted_ones {
                let mut text = "a".repeat(len);
                text.replace_range(at..at + 1, u);
                assert!(any_unwanted(text.as_bytes()), "{u:?} at {at}");
                assert!(any_unwanted(
                    &text.as_bytes()[at.saturating_sub(40)..at + u.len()]
                ));
            }
        }
    }

    #[test]
    fn the_byte_scan_agrees_with_the_character_rule() {
        let all: String = (0u32..0x3000)
            .chain(0xFFF0..0x10000)
            .filter_map(char::from_u32)
            .collect();
        let kept = String::from_utf8(without_unwanted(all.as_bytes())).unwrap();
        let expected: String = all.chars().filter(|&c| !unwanted(c)).collect();
        assert_eq!(kept, expected);
    }

    #[test]
    fn cells_are_cleaned_and_located() {
        let mut problems = Problems::default();
        let csv = b"id,name\r\nm1,\0=1+1\r\n\"m\x1b[2J\",\"two\nlines\xe2\x80\xae\"\r\nm3,ok\x07\n"
            .to_vec();
        let clean = clean_csv(Path::new("organisations.csv"), csv, b',', &mut problems);
        assert_eq!(
            clean,
            b"id,name\r\nm1,=1+1\r\n\"m[2J\",\"two\nlines\"\r\nm3,ok\n"
        );
        let report = problems.report();
        assert!(report.contains("line 2, column 'name'"), "{report}");
        assert!(report.contains("U+0000"), "{report}");
        assert!(report.contains("line 3, column 'id'"), "{report}");
        assert!(report.contains("line 3, column 'name'"), "{report}");
        assert!(report.contains("U+202E"), "{report}");
        assert!(report.contains("line 5, column 'name'"), "{report}");
        assert_eq!(problems.warnings(), 4);
    }

    #[test]
    fn semicolon_cells_are_located_by_their_column() {
        let mut problems = Problems::default();
        let csv = "id;name;kind\nm1;Museum, the old\u{1b};museum\nm2;x;lib\u{7}\n"
            .as_bytes()
            .to_vec();
        clean_csv(Path::new("organisations.csv"), csv, b';', &mut problems);
        let report = problems.report();
        assert!(report.contains("line 2, column 'name'"), "{report}");
        assert!(report.contains("line 3, column 'kind'"), "{report}");
        assert_eq!(problems.warnings(), 2, "{report}");
    }

    #[test]
    fn sheet_cells_are_cleaned_and_located() {
        let mut problems = Problems::default();
        let mut rows = vec![crate::ingest::table::CellRow {
            number: 4,
            cells: vec!["m1".into(), "\u{1b}]0;x\u{7}Museum".into()],
        }];
        let headers = vec!["id".to_string(), "name".to_string()];
        clean_cells(
            Path::new("data.xlsx"),
            Some("organisations"),
            &headers,
            &mut rows,
            &mut problems,
        );
        assert_eq!(rows[0].cells[1], "]0;xMuseum");
        let report = problems.report();
        assert!(
            report.contains("sheet organisations") && report.contains("B4"),
            "{report}"
        );
    }

    #[test]
    fn clean_files_are_left_alone() {
        let mut problems = Problems::default();
        let csv = "id,name\nm1,Örebro läns museum – “new”\n"
            .as_bytes()
            .to_vec();
        assert_eq!(
            clean_csv(Path::new("x.csv"), csv.clone(), b',', &mut problems),
            csv
        );
        assert!(problems.is_empty());
    }
}

/// The line (1-based) where a quoted field opens that no quote closes, if
/// one does: the csv reader would read everything after it, to the end of
/// the file, as that one field, and the rows swallowed would be reported
/// as something else (a missing kind). Follows the csv crate's quoting: a
/// field is quoted when it starts with `"`, `""` inside it is a quote, a
/// `"` inside an unquoted field is text, and lines starting with `#` are
/// comments. Fields are separated by `delimiter`.
pub fn unterminated_quote(bytes: &[u8], delimiter: u8) -> Option<u64> {
    memchr::memchr(b'"', bytes)?;
    let (mut i, mut line) = (0usize, 1u64);
    let mut record_start = true;
    while i < bytes.len() {
        if record_start && bytes[i] == b'#' {
            match memchr::memchr(b'\n', &bytes[i..]) {
                Some(n) => {
                    i += n + 1;
                    line += 1;
                    continue;
                }
                None => return None,
            }
        }
        record_start = false;
        if bytes[i] == b'"' {
            let opened = line;
            i += 1;
            loop {
                let Some(n) = memchr::memchr2(b'"', b'\n', &bytes[i..]) else {
                    return Some(opened);
                };
                i += n;
                if bytes[i] == b'\n' {
                    line += 1;
                    i += 1;
                } else if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                } else {
                    i += 1;
                    break;
                }
            }
        }
        // The rest of the field, unquoted (or after its closing quote).
        match memchr::memchr2(delimiter, b'\n', &bytes[i..]) {
            Some(n) => {
                i += n;
                if bytes[i] == b'\n' {
                    line += 1;
                    record_start = true;
                }
                i += 1;
            }
            None => return None,
        }
    }
    None
}

#[cfg(test)]
mod quote_tests {
    use super::unterminated_quote;

    #[test]
    fn an_open_quote_is_found_on_its_line() {
        assert_eq!(unterminated_quote(b"a,b\n1,\"x\n2,y\n3,z\n", b','), Some(2));
        assert_eq!(unterminated_quote(b"a;b\n1;\"x\n2;y\n3;z\n", b';'), Some(2));
        assert_eq!(unterminated_quote(b"a\tb\n1\t\"x\n2\ty\n", b'\t'), Some(2));
        assert_eq!(
            unterminated_quote(b"a,b\n1,\"x\"\"y\nz\",w\n2,\"ok\"\n", b','),
            None
        );
        assert_eq!(unterminated_quote(b"a,b\n1,x\"y\n2,y\n", b','), None);
        assert_eq!(
            unterminated_quote(b"# a \"comment\n\"a\",b\n1,\"open", b','),
            Some(3)
        );
        assert_eq!(unterminated_quote(b"a,b\r\n1,2\r\n", b','), None);
    }
}
