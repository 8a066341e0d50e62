//! Data as hub staff have it: the bundled sample saved as workbooks (.xlsx,
//! .ods), as Excel's European "CSV" (Windows-1252, `;`, decimal commas,
//! day-first dates) and as "Unicode Text" (UTF-16, tabs) gives every CSV
//! output byte for byte as the CSV sample does; and each example of
//! `../shared/cases/input/` behaves as its README says.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use common::partnernet;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/cases/input");

/// The tables of a dataset, by file name: header and rows (comment lines
/// left out), read with the csv crate.
type Tables = Vec<(String, Vec<String>, Vec<Vec<String>>)>;

fn read_tables(dir: &Path) -> Tables {
    let mut out = Vec::new();
    for name in [
        "organisations.csv",
        "relations.csv",
        "interviews.csv",
        "lead-status.csv",
    ] {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .comment(Some(b'#'))
            .from_path(&path)
            .unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
            .collect();
        out.push((name.to_string(), header, rows));
    }
    out
}

/// A copy of the dataset's other files (settings, notes) into `to`.
fn copy_rest(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("notes")).unwrap();
    std::fs::copy(from.join("partnernet.toml"), to.join("partnernet.toml")).unwrap();
    for e in std::fs::read_dir(from.join("notes")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join("notes").join(p.file_name().unwrap())).unwrap();
    }
}

fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>], delimiter: u8) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    let bytes = w.into_inner().unwrap();
    if !path.as_os_str().is_empty() {
        std::fs::write(path, &bytes).unwrap();
    }
    bytes
}

/// Whether a column holds dates.
fn is_date_column(table: &str, column: &str) -> bool {
    matches!(
        (table, column),
        (_, "date") | ("lead-status.csv", "updated")
    )
}

fn full_iso_date(s: &str) -> Option<(u16, u8, u8)> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    (s.len() == 10).then(|| (d.year() as u16, d.month() as u8, d.day() as u8))
}

/// Runs `analyse` on `data` into `out` and returns every CSV output, by name.
fn analyse(data: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let result = partnernet()
        .arg("analyse")
        .arg(data)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        result.status.success(),
        "analyse failed on {}:\n{stderr}",
        data.display()
    );
    let mut files = BTreeMap::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "csv") {
                let name = p.strip_prefix(out).unwrap().display().to_string();
                files.insert(name, std::fs::read(&p).unwrap());
            }
        }
    }
    assert!(!files.is_empty(), "no CSV outputs in {}", out.display());
    files
}

fn assert_same_outputs(reference: &Path, variant: &Path, what: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let a = analyse(reference, &tmp.path().join("a"));
    let b = analyse(variant, &tmp.path().join("b"));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the same output files"
    );
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{what}: {name} differs:\n--- CSV sample\n{}\n--- {what}\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&b[name])
        );
    }
}

/// The sample as one workbook, `partnernet.xlsx`, one sheet per table (named
/// as people might: "Organisations", "Lead status"), dates typed as dates and
/// weights as numbers, written with rust_xlsxwriter.
fn sample_as_xlsx(to: &Path, one_per_table: bool) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let tables = read_tables(Path::new(SAMPLE));
    let mut book = Workbook::new();
    for (name, header, rows) in &tables {
        if one_per_table {
            book = Workbook::new();
        }
        let sheet = book.add_worksheet();
        let sheet_name = match name.as_str() {
            "organisations.csv" => "Organisations",
            "relations.csv" => "relations",
            "interviews.csv" => "Interviews",
            _ => "Lead status",
        };
        sheet.set_name(sheet_name).unwrap();
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, v) in row.iter().enumerate() {
                let col = c as u16;
                let column = header.get(c).map(String::as_str).unwrap_or("");
                if v.is_empty() {
                    continue;
                }
                if is_date_column(name, column) {
                    if let Some((y, m, d)) = full_iso_date(v) {
                        let dt = ExcelDateTime::from_ymd(y, m, d).unwrap();
                        sheet
                            .write_datetime_with_format(r, col, &dt, &date_format)
                            .unwrap();
                        continue;
                    }
                }
                if column == "weight" {
                    if let Ok(n) = v.parse::<f64>() {
                        sheet.write_number(r, col, n).unwrap();
                        continue;
                    }
                }
                sheet.write_string(r, col, v).unwrap();
            }
        }
        if one_per_table {
            let stem = name.trim_end_matches(".csv");
            book.save(to.join(format!("{stem}.xlsx"))).unwrap();
        }
    }
    if !one_per_table {
        book.save(to.join("partnernet.xlsx")).unwrap();
    }
}

/// A temporary folder holding `data/`, the sample as one workbook per table.
fn sample_as_xlsx_per_table() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    sample_as_xlsx(&data, true);
    (tmp, data)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The sample as one OpenDocument workbook, `partnernet.ods`, written here
/// as LibreOffice does (a zip holding `mimetype`, `META-INF/manifest.xml` and
/// `content.xml`), dates typed as dates and weights as numbers.
fn sample_as_ods(to: &Path, edit: &dyn Fn(String) -> String) {
    let tables = read_tables(Path::new(SAMPLE));
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for (name, header, rows) in &tables {
        let sheet = name.trim_end_matches(".csv");
        content.push_str(&format!(r#"<table:table table:name="{sheet}">"#));
        let string_cell = |v: &str| {
            format!(
                r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                xml_escape(v)
            )
        };
        content.push_str("<table:table-row>");
        for h in header {
            content.push_str(&string_cell(h));
        }
        content.push_str("</table:table-row>");
        for row in rows {
            content.push_str("<table:table-row>");
            for (c, v) in row.iter().enumerate() {
                let column = header.get(c).map(String::as_str).unwrap_or("");
                if v.is_empty() {
                    content.push_str("<table:table-cell/>");
                } else if is_date_column(name, column) && full_iso_date(v).is_some() {
                    let (y, m, d) = full_iso_date(v).unwrap();
                    content.push_str(&format!(
                        r#"<table:table-cell office:value-type="date" office:date-value="{v}"><text:p>{d:02}.{m:02}.{y}</text:p></table:table-cell>"#
                    ));
                } else if column == "weight" && v.parse::<f64>().is_ok() {
                    content.push_str(&format!(
                        r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{}</text:p></table:table-cell>"#,
                        v.replace('.', ",")
                    ));
                } else {
                    content.push_str(&string_cell(v));
                }
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table>");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    let content = edit(content);
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;
    let file = std::fs::File::create(to.join("partnernet.ods")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

#[test]
fn the_sample_as_an_xlsx_workbook_gives_the_same_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_rest(Path::new(SAMPLE), &data);
    sample_as_xlsx(&data, false);
    assert_same_outputs(Path::new(SAMPLE), &data, "partnernet.xlsx");
}

#[test]
fn the_sample_as_one_xlsx_per_table_gives_the_same_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_rest(Path::new(SAMPLE), &data);
    sample_as_xlsx(&data, true);
    assert!(data.join("relations.xlsx").exists());
    assert_same_outputs(Path::new(SAMPLE), &data, "one .xlsx per table");
}

#[test]
fn the_sample_as_an_ods_workbook_gives_the_same_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_rest(Path::new(SAMPLE), &data);
    sample_as_ods(&data, &|c| c);
    assert_same_outputs(Path::new(SAMPLE), &data, "partnernet.ods");
}

/// The sample's tables without the rows Windows-1252 cannot hold, as UTF-8
/// CSV (the reference) and as what Excel in a European locale saves:
/// Windows-1252, `;`, decimal commas, day-first dates.
#[test]
fn the_sample_as_european_excel_csv_gives_the_same_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("reference");
    let variant = tmp.path().join("variant");
    copy_rest(Path::new(SAMPLE), &reference);
    copy_rest(Path::new(SAMPLE), &variant);
    let mut decimal_commas = 0;
    for (name, header, rows) in read_tables(Path::new(SAMPLE)) {
        let fits = |r: &Vec<String>| {
            r.iter().all(|v| {
                let (_, _, unmappable) = encoding_rs::WINDOWS_1252.encode(v);
                !unmappable
            })
        };
        let mut rows: Vec<Vec<String>> = rows.into_iter().filter(fits).collect();
        // Weights with decimals, on both sides, for the decimal commas.
        if let Some(w) = header.iter().position(|h| h == "weight") {
            for (k, r) in rows.iter_mut().enumerate() {
                if k % 3 == 0 && r.len() > w && !r[w].is_empty() && !r[w].contains('.') {
                    r[w] = format!("{}.5", r[w]);
                }
            }
        }
        write_csv(&reference.join(&name), &header, &rows, b',');
        let european: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(c, v)| {
                        let column = header.get(c).map(String::as_str).unwrap_or("");
                        if is_date_column(&name, column) {
                            if let Some((y, m, d)) = full_iso_date(v) {
                                return format!("{d}.{m}.{y}");
                            }
                        }
                        if column == "weight" && v.contains('.') {
                            decimal_commas += 1;
                            return v.replace('.', ",");
                        }
                        v.clone()
                    })
                    .collect()
            })
            .collect();
        let text = write_csv(Path::new(""), &header, &european, b';');
        let text = String::from_utf8(text).unwrap().replace('\n', "\r\n");
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(!unmappable);
        std::fs::write(variant.join(&name), &bytes).unwrap();
    }
    assert!(decimal_commas > 0, "the sample has weights with decimals");
    let out = partnernet().arg("validate").arg(&variant).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("relations.csv: Windows-1252, separated by semicolons (;)"),
        "{stdout}"
    );
    assert!(
        !stderr.contains("weight") && !stderr.contains("date"),
        "decimal commas and day-first dates are read without a word:\n{stderr}"
    );
    assert_same_outputs(&reference, &variant, "Windows-1252 ; CSV");
}

/// The sample as Excel's "Unicode Text": UTF-16 LE with a byte order mark,
/// tab-separated.
#[test]
fn the_sample_as_utf16_unicode_text_gives_the_same_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_rest(Path::new(SAMPLE), &data);
    for (name, header, rows) in read_tables(Path::new(SAMPLE)) {
        let text = write_csv(Path::new(""), &header, &rows, b'\t');
        let text = String::from_utf8(text).unwrap().replace('\n', "\r\n");
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        std::fs::write(data.join(&name), bytes).unwrap();
    }
    assert_same_outputs(Path::new(SAMPLE), &data, "UTF-16 text");
}

/// Runs `validate` on a dataset folder: (exit status, standard output,
/// standard error).
fn validate(data: &Path) -> (i32, String, String) {
    let out = partnernet().arg("validate").arg(data).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

/// Runs `validate` with its address space limited to 1 GB (`prlimit`, from
/// util-linux): (exit status, standard error). A reader that sets aside far
/// more memory than the file's cells need fails here, where it would
/// otherwise only slow the machine.
fn validate_within_a_gigabyte(data: &Path) -> (i32, String) {
    let out = std::process::Command::new("prlimit")
        .arg("--as=1000000000")
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin("partnernet"))
        .arg("validate")
        .arg(data)
        .env_remove("RAYON_NUM_THREADS")
        .output()
        .expect("prlimit (util-linux) runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), stderr)
}

fn case(name: &str) -> PathBuf {
    Path::new(CASES).join(name).join("dataset")
}

/// A writable copy of a case's dataset (for changing settings).
fn copy_case(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let to = tmp.path().join("data");
    let mut stack = vec![(case(name), to.clone())];
    while let Some((from, to)) = stack.pop() {
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(&from).unwrap() {
            let p = e.unwrap().path();
            let target = to.join(p.file_name().unwrap());
            if p.is_dir() {
                stack.push((p, target));
            } else {
                std::fs::write(&target, std::fs::read(&p).unwrap()).unwrap();
            }
        }
    }
    (tmp, to)
}

/// The organisations as the network export shows them (`network.json`,
/// written by `analyse`).
fn nodes(data: &Path) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    analyse(data, &out);
    std::fs::read_to_string(out.join("network.json")).unwrap()
}

#[test]
fn case_dates_as_typed() {
    let (code, _, err) = validate(&case("dates-as-typed"));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("date"), "{err}");
    // Month-first: 30/09/2023 is not a date; a warning, and the run goes on.
    let (_tmp, data) = copy_case("dates-as-typed");
    std::fs::write(
        data.join("partnernet.toml"),
        "[input]\ndate_order = \"month-first\"\n",
    )
    .unwrap();
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("value \"30/09/2023\""), "{err}");
    assert!(err.contains("the relation is kept without a date"), "{err}");
    assert!(err.contains("date_order = \"day-first\""), "{err}");
    // More of the kind: unreadable dates are warnings too, in notes as well.
    std::fs::write(
        data.join("relations.csv"),
        "source,target,kind,date\nwm-sjoland,ostra-konsthallen,partner,last spring\n",
    )
    .unwrap();
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("value \"last spring\": not a date partnernet can read"),
        "{err}"
    );
}

#[test]
fn case_decimal_comma() {
    let (code, _, err) = validate(&case("decimal-comma"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "value \"1,5\": read as 1.5; in a file separated by commas, write 1.5 with a point"
        ),
        "{err}"
    );
}

#[test]
fn case_semicolon_excel() {
    let (code, out, err) = validate(&case("semicolon-excel"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("separated by semicolons (;)"), "{out}");
    assert!(!err.contains("weight"), "{err}");
}

#[test]
fn case_utf16_unicode_text() {
    let (code, out, err) = validate(&case("utf16-unicode-text"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("UTF-16LE, separated by tabs"), "{out}");
    assert!(!err.contains("\\0") && !err.contains('\u{fffd}'), "{err}");
}

#[test]
fn case_windows_1252() {
    let (code, _, err) = validate(&case("windows-1252"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(err.contains("read as Windows-1252"), "{err}");
    assert!(err.contains("CSV UTF-8"), "{err}");
    let nodes = nodes(&case("windows-1252"));
    assert!(nodes.contains("Ålvik") || nodes.contains("å"), "{nodes}");
}

#[test]
fn case_workbook_named_csv_and_other_files_that_are_not_text() {
    let (code, _, err) = validate(&case("workbook-named-csv"));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("organisations.csv: this file is an Excel workbook (.xlsx), not a CSV file; rename it to end in .xlsx"),
        "{err}"
    );
    assert!(!err.contains("PK") && !err.contains("docProps"), "{err}");
    // A PDF and a binary file under .csv names.
    let (_tmp, data) = copy_case("dates-as-typed");
    std::fs::write(
        data.join("organisations.csv"),
        b"%PDF-1.7\n\x00\x01\x02binary",
    )
    .unwrap();
    std::fs::write(
        data.join("relations.csv"),
        [0u8, 159, 146, 150, 0, 0, 7, 0, 1, 2, 3, 0, 0, 0],
    )
    .unwrap();
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("organisations.csv: this file is a PDF document"),
        "{err}"
    );
    assert!(
        err.contains("relations.csv: this file is not a text file"),
        "{err}"
    );
    assert!(!err.contains("%PDF"), "{err}");
}

#[test]
fn case_workbooks_only() {
    let (code, out, err) = validate(&case("workbooks-only"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("relations.xlsx, sheet"), "{out}");
    // The same table twice is an error naming both.
    let (_tmp, data) = copy_case("workbooks-only");
    std::fs::write(data.join("relations.csv"), "source,target,kind\n").unwrap();
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("relations.csv and relations.xlsx"), "{err}");
}

#[test]
fn workbook_problems_name_the_sheet_and_the_cell() {
    use rust_xlsxwriter::Workbook;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut book = Workbook::new();
    let orgs = book.add_worksheet();
    orgs.set_name("Organizations").unwrap();
    for (c, h) in ["id", "name", "kind"].iter().enumerate() {
        orgs.write_string(0, c as u16, *h).unwrap();
    }
    orgs.write_row(1, 0, ["a", "Alpha", "chapter"]).unwrap();
    orgs.write_row(2, 0, ["b", "Beta", "musem"]).unwrap();
    let rels = book.add_worksheet();
    rels.set_name("Relations").unwrap();
    rels.write_row(0, 0, ["source", "target", "kind", "weight"])
        .unwrap();
    rels.write_row(1, 0, ["a", "b", "partnr"]).unwrap();
    rels.write_number(1, 3, 2.0).unwrap();
    book.save(data.join("hub data.xlsx")).unwrap();
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("hub data.xlsx, sheet Organizations, cell C3, column 'kind', value \"musem\": unknown kind; did you mean \"museum\""),
        "{err}"
    );
    assert!(
        err.contains("hub data.xlsx, sheet Relations, cell C2, column 'kind', value \"partnr\": unknown relation kind; did you mean \"partner\""),
        "{err}"
    );
}

#[test]
fn case_everyday_words() {
    let (code, _, err) = validate(&case("everyday-words"));
    assert_eq!(code, 0, "{err}");
    let nodes = nodes(&case("everyday-words"));
    assert!(nodes.contains("affiliate_type"), "{nodes}");
    assert!(nodes.contains("user group"), "{nodes}");
    // More of the kind: misspelt words get the closest allowed ones, a
    // withdrawn code gets a hint to use region, [vocabulary] adds words.
    let (_tmp, data) = copy_case("everyday-words");
    std::fs::write(
        data.join("organisations.csv"),
        "id,name,kind,country\n\
         a,Alpha,Kapitel,Sverige\n\
         b,Beta,Museums,SWE\n\
         c,Gamma,library,YU\n\
         d,Delta,musem,Kenya\n",
    )
    .unwrap();
    std::fs::write(
        data.join("relations.csv"),
        "source,target,kind\na,b,Former partner\na,c,partnr\n",
    )
    .unwrap();
    std::fs::write(data.join("lead-status.csv"), "id,status\nb,in tlks\n").unwrap();
    std::fs::write(
        data.join("partnernet.toml"),
        "[vocabulary]\nkinds = { \"kapitel\" = \"chapter\" }\n",
    )
    .unwrap();
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("value \"Sverige\": not a country"), "{err}");
    assert!(
        !err.contains("value \"Kapitel\"") && !err.contains("value \"SWE\""),
        "{err}"
    );
    assert!(
        err.contains("value \"YU\": the code of Yugoslavia"),
        "{err}"
    );
    assert!(err.contains("region"), "{err}");
    assert!(
        err.contains("value \"musem\": unknown kind; did you mean \"museum\""),
        "{err}"
    );
    assert!(
        err.contains("value \"partnr\": unknown relation kind; did you mean \"partner\""),
        "{err}"
    );
    assert!(
        err.contains("value \"in tlks\": unknown status; did you mean"),
        "{err}"
    );
    assert!(!err.contains("Former partner"), "{err}");
}

#[test]
fn case_note_named_md_txt() {
    let (code, out, err) = validate(&case("note-named-md-txt"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("iv-2024-05-alvik.md.txt: read as a note; rename it to iv-2024-05-alvik.md"),
        "{err}"
    );
    assert!(out.contains("2 interviews"), "{out}");
    // Other files in notes/ are named in one warning.
    let (_tmp, data) = copy_case("note-named-md-txt");
    std::fs::write(data.join("notes/photo.jpg"), b"\xff\xd8\xff").unwrap();
    std::fs::write(data.join("notes/minutes.docx"), b"PK\x03\x04").unwrap();
    std::fs::write(
        data.join("notes/iv-2024-06-x.wiki.txt"),
        "---\naffiliate: wm-sjoland\ndate: 12/05/2024\n---\n",
    )
    .unwrap();
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("not read: minutes.docx, photo.jpg"), "{err}");
    assert!(err.contains("rename it to iv-2024-06-x.wiki"), "{err}");
    assert!(
        !err.contains("12/05/2024"),
        "a day-first date in a note is read:\n{err}"
    );
}

#[test]
fn a_dataset_path_that_is_a_file_names_the_folder() {
    let (code, _, err) = validate(&case("semicolon-excel").join("relations.csv"));
    assert_ne!(code, 0);
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert!(err.contains("semicolon-excel/dataset"), "{err}");
}

#[test]
fn init_writes_a_workbook_to_start_from() {
    use std::io::Read;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("hub");
    partnernet().arg("init").arg(&data).assert().success();
    let book = data.join("partnernet.xlsx");
    assert!(book.exists());
    // The fresh dataset validates: the example rows are comments, and the
    // empty CSV files beside the workbook do not count as a second copy.
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("more than once"), "{err}");
    // Drop-down lists on the fixed vocabularies, input messages, frozen header.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let mut sheets = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().starts_with("xl/worksheets/sheet") {
            f.read_to_string(&mut sheets).unwrap();
        }
    }
    assert!(sheets.contains(r#"type="list""#), "drop-down lists");
    assert!(sheets.contains("user group"), "the kinds' list");
    assert!(sheets.contains("in_talks"), "the statuses' list");
    assert!(sheets.contains("promptTitle"), "input messages");
    assert!(sheets.contains(r#"state="frozen""#), "a frozen header");
    // Filled in, the workbook is read.
    let mut w = rust_xlsxwriter::Workbook::new();
    let s = w.add_worksheet();
    s.set_name("organisations").unwrap();
    s.write_row(0, 0, ["id", "name", "kind"]).unwrap();
    s.write_row(1, 0, ["a", "Alpha", "user group"]).unwrap();
    s.write_row(2, 0, ["b", "Beta", "museum"]).unwrap();
    let s = w.add_worksheet();
    s.set_name("relations").unwrap();
    s.write_row(0, 0, ["source", "target", "kind"]).unwrap();
    s.write_row(1, 0, ["a", "b", "partner"]).unwrap();
    w.save(&book).unwrap();
    let (code, out, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 organisations, 1 relations"), "{out}");
}

#[test]
fn a_usage_mistake_exits_with_64_not_2() {
    partnernet()
        .args(["analyse", "--no-such-option"])
        .assert()
        .code(64);
    partnernet().arg("frobnicate").assert().code(64);
    partnernet().arg("--help").assert().success();
}

#[test]
fn leads_for_a_misspelt_affiliate_gets_a_did_you_mean() {
    let out = partnernet()
        .args(["leads", SAMPLE, "--for", "Wikimedia Norvala"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("did you mean \"Wikimedia Norrvala\""), "{err}");
    partnernet()
        .args(["leads", SAMPLE, "--for", "wikimedia norrvala"])
        .assert()
        .success();
}

/// A folder `data` in a new temporary folder, with `files` (name, text).
fn dataset_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for (name, text) in files {
        let path = data.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    (tmp, data)
}

/// The leads as `analyse` writes them (`leads.csv`).
fn leads(data: &Path) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let outputs = analyse(data, &tmp.path().join("out"));
    String::from_utf8_lossy(&outputs["leads.csv"]).into_owned()
}

const TWO_ORGS: &str =
    "id,name,kind,country\nwm-x,Wikimedia X,affiliate,SE\nmuseum-y,Museum Y,museum,SE\n";

#[test]
fn digitisation_in_notes_is_read_in_the_staff_words() {
    let note = |level: &str| {
        format!(
            "---\naffiliate: wm-x\ndate: 2024-05-17\n---\n## Do you know of someone in your network who would be interested?\nThe museum [[Museum Y]].\ndigitisation: [[Museum Y]] {level}\n"
        )
    };
    let relations = "source,target,kind\nwm-x,museum-y,contact\n";
    // Case, spaces and synonyms, as in the tables.
    for level in ["In progress", "STARTED", "ongoing"] {
        let (_tmp, data) = dataset_with(&[
            ("organisations.csv", TWO_ORGS),
            ("relations.csv", relations),
            ("notes/iv.md", &note(level)),
        ]);
        let (code, _, err) = validate(&data);
        assert_eq!(code, 0, "{level}: {err}");
        assert!(!err.contains("digitisation"), "{level}: {err}");
        let said = leads(&data);
        assert!(said.contains("digitisation started"), "{level}: {said}");
    }
    // A word not understood gets the closest allowed ones.
    let (_tmp, data) = dataset_with(&[
        ("organisations.csv", TWO_ORGS),
        ("relations.csv", relations),
        ("notes/iv.md", &note("strated")),
    ]);
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("iv.md, line 7, column 'digitisation', value \"strated\": not a digitisation level; did you mean \"started\""),
        "{err}"
    );
    // The hub's own words, from [vocabulary].
    let (_tmp, data) = dataset_with(&[
        ("organisations.csv", TWO_ORGS),
        ("relations.csv", relations),
        ("notes/iv.md", &note("Påbörjad")),
        (
            "partnernet.toml",
            "[vocabulary]\ndigitisation = { \"påbörjad\" = \"in progress\" }\n",
        ),
    ]);
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(leads(&data).contains("digitisation started"));
    // The kinds of [notes] headings are read in the same words.
    let (_tmp, data) = dataset_with(&[
        ("organisations.csv", TWO_ORGS),
        ("relations.csv", relations),
        (
            "notes/iv.md",
            "---\naffiliate: wm-x\n---\n## Tidigare samarbeten\n[[Museum Y]]\n",
        ),
        (
            "partnernet.toml",
            "[notes]\nheadings = { \"tidigare samarbeten\" = \"Former partners\", \"önskade\" = \"desird\" }\n",
        ),
    ]);
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("Former partners"), "{err}");
    assert!(
        err.contains("value \"desird\": not a relation kind; did you mean \"desired\""),
        "{err}"
    );
}

/// `relations.xlsx` with one sheet `relations`, its rows written by `fill`.
fn relations_xlsx(data: &Path, fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("relations").unwrap();
    fill(sheet);
    std::fs::create_dir_all(data).unwrap();
    book.save(data.join("relations.xlsx")).unwrap();
}

#[test]
fn an_error_cell_is_named_by_file_sheet_and_cell() {
    use rust_xlsxwriter::Formula;
    let (_tmp, data) = dataset_with(&[("organisations.csv", TWO_ORGS)]);
    relations_xlsx(&data, |s| {
        s.write_row(0, 0, ["source", "target", "kind", "weight", "note"])
            .unwrap();
        for r in 1..13u32 {
            s.write_row(r, 0, ["wm-x", "museum-y", "contact"]).unwrap();
        }
        // Row 14: the kind is a formula whose reference was deleted.
        s.write_row(13, 0, ["wm-x", "museum-y"]).unwrap();
        s.write_formula(13, 2, Formula::new("=#REF!").set_result("#REF!"))
            .unwrap();
        // Optional cells: read as empty, with a warning.
        s.write_formula(13, 3, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
        s.write_formula(13, 4, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
    });
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("/relations.xlsx, sheet relations, cell C14, column 'kind', value \"#REF!\": the cell holds the error #REF!, not a value; correct the formula or type the value"),
        "{err}"
    );
    assert!(
        err.contains("/relations.xlsx, sheet relations, cell D14, column 'weight', value \"#DIV/0!\": the cell holds the error #DIV/0!, not a value (read as empty); correct the formula or type the value"),
        "{err}"
    );
    assert!(
        err.contains("/relations.xlsx, sheet relations, cell E14, column 'note', value \"#N/A\""),
        "{err}"
    );
    // One error for the cell, no follow-on error for the row.
    assert!(!err.contains("needs a kind"), "{err}");
    assert!(err.contains("has 1 error(s)"), "{err}");
    // Only the kind stops the run: without it, the rest is read.
    relations_xlsx(&data, |s| {
        s.write_row(0, 0, ["source", "target", "kind", "weight"])
            .unwrap();
        s.write_row(1, 0, ["wm-x", "museum-y", "referral"]).unwrap();
        s.write_formula(1, 3, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
    });
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("cell D2"), "{err}");
}

/// Sets the 1904 date system in the workbook `path` (as old Excel for Mac
/// did), by rewriting its `xl/workbook.xml`.
fn use_1904_dates(path: &Path) {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == "xl/workbook.xml" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("<workbookPr "), "{text}");
            bytes = text
                .replace("<workbookPr ", "<workbookPr date1904=\"1\" ")
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn a_number_in_a_date_column_of_a_workbook_is_a_date_serial() {
    let (_tmp, data) = dataset_with(&[("organisations.csv", TWO_ORGS)]);
    // 45366 is 2024-03-15 in Excel's 1900 date system.
    relations_xlsx(&data, |s| {
        s.write_row(0, 0, ["source", "target", "kind", "date"])
            .unwrap();
        s.write_row(1, 0, ["wm-x", "museum-y", "referral"]).unwrap();
        s.write_number(1, 3, 45366.0).unwrap();
    });
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("date"), "{err}");
    let said = leads(&data);
    assert!(said.contains("last mentioned 2024-03-15"), "{said}");
    // In the 1904 date system the same day is 1462 days fewer.
    relations_xlsx(&data, |s| {
        s.write_row(0, 0, ["source", "target", "kind", "date"])
            .unwrap();
        s.write_row(1, 0, ["wm-x", "museum-y", "referral"]).unwrap();
        s.write_number(1, 3, 45366.0 - 1462.0).unwrap();
    });
    use_1904_dates(&data.join("relations.xlsx"));
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    let said = leads(&data);
    assert!(said.contains("last mentioned 2024-03-15"), "{said}");
    // A number that is no date (out of Excel's range) stays a warning
    // naming the cell; the relation is kept.
    relations_xlsx(&data, |s| {
        s.write_row(0, 0, ["source", "target", "kind", "date"])
            .unwrap();
        s.write_row(1, 0, ["wm-x", "museum-y", "referral"]).unwrap();
        s.write_number(1, 3, -5.0).unwrap();
    });
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("/relations.xlsx, sheet relations, cell D2, column 'date', value \"-5\""),
        "{err}"
    );
}

#[test]
fn problems_found_across_rows_of_a_workbook_name_sheet_and_cell() {
    use rust_xlsxwriter::Workbook;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut book = Workbook::new();
    let orgs = book.add_worksheet();
    orgs.set_name("Organisations").unwrap();
    orgs.write_row(0, 0, ["name", "id", "kind"]).unwrap();
    orgs.write_row(1, 0, ["Alpha", "a", "museum"]).unwrap();
    orgs.write_row(2, 0, ["Beta", "b", "chapter"]).unwrap();
    orgs.write_row(3, 0, ["Alpha again", "a", "museum"])
        .unwrap();
    orgs.write_row(4, 0, ["Gamma", "wm-se", "chapter"]).unwrap();
    orgs.write_row(5, 0, ["Gamma 2", "WM-SE", "chapter"])
        .unwrap();
    let rels = book.add_worksheet();
    rels.set_name("Relations").unwrap();
    rels.write_row(0, 0, ["source", "target", "kind", "weight"])
        .unwrap();
    rels.write_row(1, 0, ["b", "a", "partner"]).unwrap();
    rels.write_number(1, 3, 1.0).unwrap();
    rels.write_row(2, 0, ["b", "a", "partner"]).unwrap();
    rels.write_number(2, 3, 2.0).unwrap();
    let interviews = book.add_worksheet();
    interviews.set_name("Interviews").unwrap();
    interviews.write_row(0, 0, ["id", "affiliate"]).unwrap();
    interviews.write_row(1, 0, ["iv1", "b"]).unwrap();
    interviews.write_row(2, 0, ["iv1", "b"]).unwrap();
    let status = book.add_worksheet();
    status.set_name("Lead status").unwrap();
    status.write_row(0, 0, ["id", "status"]).unwrap();
    status.write_row(1, 0, ["a", "new"]).unwrap();
    status.write_row(2, 0, ["a", "contacted"]).unwrap();
    book.save(data.join("partnernet.xlsx")).unwrap();
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    for expected in [
        "/partnernet.xlsx, sheet Organisations, cell B4, column 'id', value \"a\": the id is already used on row 2",
        "/partnernet.xlsx, sheet Organisations, cell B5, column 'id', value \"wm-se\": these ids differ only in capitals, accents or spaces: wm-se (row 5), WM-SE (row 6)",
        "/partnernet.xlsx, sheet Relations, row 3: this relation looks like a repeat of row 2",
        "/partnernet.xlsx, sheet Interviews, cell A3, column 'id', value \"iv1\": the interview id is already used on row 2",
        "partnernet.xlsx, sheet Lead status, cell A3, column 'id', value \"a\": the organisation already has a status on row 2",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert!(!err.contains(", line "), "{err}");
    // A name no organisation has is to be added where the organisations are.
    let mut book = Workbook::new();
    let orgs = book.add_worksheet();
    orgs.set_name("Organisations").unwrap();
    orgs.write_row(0, 0, ["id", "name", "kind"]).unwrap();
    orgs.write_row(1, 0, ["a", "Alpha", "museum"]).unwrap();
    let rels = book.add_worksheet();
    rels.set_name("Relations").unwrap();
    rels.write_row(0, 0, ["source", "target", "kind"]).unwrap();
    rels.write_row(1, 0, ["a", "Zeta", "partner"]).unwrap();
    book.save(data.join("partnernet.xlsx")).unwrap();
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("sheet Relations, cell B2, column 'target', value \"Zeta\"")
            && err.contains("add it to the sheet Organisations of partnernet.xlsx"),
        "{err}"
    );
}

#[test]
fn headers_equal_but_for_capitals_are_an_error_naming_both_columns() {
    let (_tmp, data) = dataset_with(&[
        (
            "organisations.csv",
            "id,name,kind,Label,country, label \nwm-x,Wikimedia X,affiliate,a,SE,b\n",
        ),
        ("relations.csv", "source,target,kind\n"),
    ]);
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("organisations.csv, line 1, column 'header', value \"label\": columns D and F are headed \"Label\" and \"label\", which partnernet reads as one name (capitals and spaces do not count); rename or delete one of them"),
        "{err}"
    );
    // The same in a workbook, whose header row need not be the first.
    let (_tmp, data) = dataset_with(&[("organisations.csv", TWO_ORGS)]);
    relations_xlsx(&data, |s| {
        s.write_row(2, 0, ["source", "target", "Kind", "KIND"])
            .unwrap();
        s.write_row(3, 0, ["wm-x", "museum-y", "partner", "contact"])
            .unwrap();
    });
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("relations.xlsx, sheet relations, cell D3, column 'header', value \"KIND\": columns C and D are headed \"Kind\" and \"KIND\""),
        "{err}"
    );
    // Two columns headed exactly alike are the same mistake.
    let (_tmp, data) = dataset_with(&[
        (
            "organisations.csv",
            "id;name;kind;name\nwm-x;Wikimedia X;affiliate;Y\n",
        ),
        ("relations.csv", "source,target,kind\n"),
    ]);
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("columns B and D are both headed \"name\""),
        "{err}"
    );
}

#[test]
fn removed_characters_are_located_by_the_separator_the_file_uses() {
    for (sep, encoding) in [(";", "utf-8"), ("\t", "utf-8"), (";", "windows-1252")] {
        let text = format!(
            "id{sep}name{sep}kind{sep}country\nwm-x{sep}Wikimedia X, Sköld\u{1b}{sep}affiliate{sep}SE\nmuseum-y{sep}Museum Y{sep}museum\u{7}{sep}SE\n"
        );
        let bytes = if encoding == "utf-8" {
            text.into_bytes()
        } else {
            let (b, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
            assert!(!unmappable);
            b.into_owned()
        };
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join("organisations.csv"), bytes).unwrap();
        std::fs::write(data.join("relations.csv"), "source,target,kind\n").unwrap();
        let (code, _, err) = validate(&data);
        assert_eq!(code, 0, "{sep:?} {encoding}: {err}");
        assert!(
            err.contains("organisations.csv, line 2, column 'name', value \"Wikimedia X, Sköld"),
            "{sep:?} {encoding}: {err}"
        );
        assert!(
            err.contains("organisations.csv, line 3, column 'kind', value \"museum"),
            "{sep:?} {encoding}: {err}"
        );
    }
}

#[test]
fn tables_are_found_under_the_names_spreadsheets_and_windows_give_them() {
    // Capitals, the American spelling, "Unicode Text" saved as .txt, a CSV
    // file whose .txt Windows hid, and a workbook whose ending does not
    // match what it is: each is read, as the same table.
    let utf16 = case("utf16-unicode-text");
    let workbooks = case("workbooks-only");
    let variants: Vec<(&str, PathBuf, &str, &str)> = vec![
        (
            "organisations.csv",
            utf16.clone(),
            "Organizations.txt",
            "UTF-16LE, separated by tabs",
        ),
        (
            "organisations.csv",
            utf16.clone(),
            "ORGANISATIONS.CSV.TXT",
            "UTF-16LE",
        ),
        (
            "organisations.xlsx",
            workbooks.clone(),
            "Organisations.xls",
            "a workbook sheet",
        ),
        (
            "organisations.xlsx",
            workbooks.clone(),
            "organisations.ods",
            "a workbook sheet",
        ),
    ];
    for (from, dir, to, read_as) in variants {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() && p.file_name().unwrap() != from {
                std::fs::copy(&p, data.join(p.file_name().unwrap())).unwrap();
            }
        }
        std::fs::copy(dir.join(from), data.join(to)).unwrap();
        let (code, out, err) = validate(&data);
        assert_eq!(code, 0, "{to}: {err}");
        assert!(
            out.contains("12 organisations, 15 relations"),
            "{to}: {out}"
        );
        assert!(
            out.contains(&format!("read {to}")) && out.contains(read_as),
            "{to}: {out}"
        );
    }
    // A CSV file or a web page under a workbook's name: one error saying
    // what it is, with no follow-on error for each relation's names.
    for (bytes, said) in [
        (&b"id,name,kind\na,A,museum\n"[..], "this file is text (a CSV file, most likely) under a workbook's name; rename it to end in .csv"),
        (&b"<html><table><tr><td>id</td></tr></table></html>"[..], "this file is a web page (HTML) under a workbook's name"),
    ] {
        let (_tmp, data) = dataset_with(&[("relations.csv", "source,target,kind\na,b,partner\n")]);
        std::fs::write(data.join("organisations.xls"), bytes).unwrap();
        let (code, _, err) = validate(&data);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(said), "{err}");
        assert!(!err.contains("no organisation has this id"), "{err}");
        assert!(err.contains("has 1 error(s)"), "{err}");
    }
    // A name close to the table's is pointed out when the table is missing.
    let (_tmp, data) = dataset_with(&[
        ("organisation.csv", "id,name,kind\na,A,museum\n"),
        ("relations.csv", "source,target,kind\n"),
    ]);
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("The folder holds organisation.csv: if that is the table, rename it to organisations.csv."),
        "{err}"
    );
    // Two files for one table, whatever their capitals, are named both.
    let (_tmp, data) = dataset_with(&[
        ("organisations.csv", "id,name,kind\na,A,museum\n"),
        ("Organizations.csv", "id,name,kind\nb,B,museum\n"),
        ("relations.csv", "source,target,kind\n"),
    ]);
    let (code, _, err) = validate(&data);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("the table is given more than once: Organizations.csv and organisations.csv"),
        "{err}"
    );
}

#[test]
fn dates_and_countries_as_spreadsheets_and_people_write_them() {
    let (_tmp, data) = dataset_with(&[
        (
            "organisations.csv",
            "id,name,kind,country\nwm-uk,Wikimedia UK,chapter,UK\nm1,M1,museum,Scotland\nm2,M2,museum,GB\nm3,M3,museum,GB\nm4,M4,museum,GB\n",
        ),
        (
            "relations.csv",
            "source,target,kind,date\nwm-uk,m1,referral,2024-03-15 00:00:00\nwm-uk,m2,referral,15-Mar-2024\nwm-uk,m3,referral,15/03/2024 10:30\nwm-uk,m4,referral,\"March 15, 2024\"\n",
        ),
    ]);
    let (code, _, err) = validate(&data);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("date") && !err.contains("country"), "{err}");
    let said = leads(&data);
    assert_eq!(
        said.matches("last mentioned 2024-03-15").count(),
        4,
        "{said}"
    );
}

/// Rewrites the part `part` of the workbook `path` (say
/// `xl/worksheets/sheet1.xml`) with `change` applied to its XML, as a
/// hand-made or damaged file would hold it.
fn edit_part(path: &Path, part: &str, change: impl Fn(&str) -> String) {
    use std::io::Read;
    let bytes = std::fs::read(path).unwrap();
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut to = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..from.len() {
        let mut entry = from.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if name == part {
            content = change(std::str::from_utf8(&content).unwrap()).into_bytes();
        }
        to.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        to.write_all(&content).unwrap();
    }
    to.finish().unwrap();
}

/// The sample as one workbook per table, with `row` (a `<row>` element of
/// sheet XML) added at the end of the organisations sheet.
fn sample_with_organisations_row(row: &str) -> (tempfile::TempDir, PathBuf) {
    let (tmp, data) = sample_as_xlsx_per_table();
    edit_part(
        &data.join("organisations.xlsx"),
        "xl/worksheets/sheet1.xml",
        |xml| xml.replace("</sheetData>", &format!("{row}</sheetData>")),
    );
    (tmp, data)
}

#[test]
fn a_value_typed_in_the_last_cell_of_a_sheet_is_read_as_that_one_cell() {
    // A remark in XFD1048576, the last cell a sheet has: the reader once set
    // aside the 17 billion cells between it and A1 and was killed.
    let (_tmp, data) = sample_with_organisations_row(
        r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>remark</t></is></c></row>"#,
    );
    let (status, stderr) = validate_within_a_gigabyte(&data);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("organisations.xlsx, sheet Organisations, cell A1048576, column 'id', value \"\": every organisation needs an id"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
}

#[test]
fn a_cell_beyond_the_last_row_or_column_of_a_spreadsheet_is_an_error_naming_it() {
    for (cell, row, column) in [
        ("A2000000", "2000000", "1"),
        ("XFE1", "1", "16385"),
        // More column letters than fit in the reader's 32-bit count.
        ("ZZZZZZZZZZZZZ7", "7", ""),
    ] {
        let (_tmp, data) = sample_with_organisations_row(&format!(
            r#"<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row>"#
        ));
        let (status, _, stderr) = validate(&data);
        assert_eq!(status, 2, "{cell}: {stderr}");
        assert!(
            stderr.contains("organisations.xlsx, sheet Organisations")
                && (stderr.contains(&format!("a cell at row {row}, column {column}"))
                    || stderr.contains("cannot read the sheet")),
            "{cell}: {stderr}"
        );
    }
}

#[test]
fn an_old_excel_workbook_with_a_cell_or_rows_beyond_its_bounds_or_a_damaged_structure_is_an_error_saying_so(
) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xls");
    for (file, expected) in [
        ("organisations.xls", None),
        (
            "organisations-cell-beyond.xls",
            Some("organisations.xls: the workbook has a cell at row 65536, column 65536, beyond the last row (65,536) or column (IV, 256)"),
        ),
        (
            "organisations-rows-reversed.xls",
            Some("organisations.xls: the workbook says a sheet's rows start at row 6 and end at row 3, so the file was not saved by a spreadsheet or is damaged"),
        ),
        (
            "organisations-damaged-container.xls",
            Some("organisations.xls: the workbook's inner structure cannot be read (Malformed directory entry (odd name length: 15)), so the file was not saved by a spreadsheet or is damaged; open it in Excel or LibreOffice and save it again"),
        ),
        (
            "organisations-short-record.xls",
            Some("organisations.xls: the workbook is damaged: part of it is not laid out as a spreadsheet writes it; open it in Excel or LibreOffice and save it again"),
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::copy(fixtures.join(file), tmp.path().join("organisations.xls")).unwrap();
        std::fs::write(
            tmp.path().join("relations.csv"),
            "source,target,kind\nwmxx,museum,partnership\n",
        )
        .unwrap();
        let (status, _, stderr) = validate(tmp.path());
        match expected {
            None => assert_eq!(status, 0, "{file}: {stderr}"),
            Some(message) => {
                assert_eq!(status, 2, "{file}: {stderr}");
                assert!(stderr.contains(message), "{file}: {stderr}");
                assert!(!stderr.contains("panicked"), "{file}: {stderr}");
            }
        }
    }
}

#[test]
fn an_ods_sheet_is_read_up_to_its_cell_limit_before_it_is_opened() {
    // As LibreOffice saves a sheet: each row padded with empty cells to
    // column AMJ, then the empty rows to the last one a sheet has. Read as
    // the sample.
    let tmp = tempfile::tempdir().unwrap();
    let (plain, padded) = (tmp.path().join("plain"), tmp.path().join("padded"));
    for d in [&plain, &padded] {
        std::fs::create_dir(d).unwrap();
    }
    sample_as_ods(&plain, &|c| c);
    sample_as_ods(&padded, &|c| {
        c.replace(
            "</table:table-row>",
            r#"<table:table-cell table:number-columns-repeated="1000"/></table:table-row>"#,
        )
        .replace(
            "</table:table>",
            r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#,
        )
    });
    assert_same_outputs(
        &plain,
        &padded,
        "the sample as .ods padded as LibreOffice pads",
    );
    // One row repeated 6,200 times with a value after 16,000 empty cells: a
    // 1.6 KB file whose sheet holds 99 million cells, refused before the
    // workbook reader sets them aside (it took 7.2 GB). Then the same with
    // one end tag misspelt before it (found by the fuzzer): the workbook
    // reader does not match end tags and read on to 5.2 GB; the check reads
    // the XML as it does.
    let bomb = r#"<table:table-row table:number-rows-repeated="6200"><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
    for (name, misspelt) in [("bomb", false), ("misspelt", true)] {
        let dir = tmp.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        sample_as_ods(&dir, &|c| {
            let c = if misspelt {
                c.replacen("</table:table-cell>", "</table:table-cedl>", 1)
            } else {
                c
            };
            c.replacen("</table:table>", bomb, 1)
        });
        let (status, stderr) = validate_within_a_gigabyte(&dir);
        assert_eq!(status, 2, "{name}: {stderr}");
        assert!(
            stderr.contains(
                "partnernet.ods, sheet organisations: the sheet holds more than 20,000,000 cells"
            ),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn a_workbook_claiming_more_texts_than_it_can_hold_is_an_error_not_a_crash() {
    // calamine sets aside room for the count of different texts the file
    // states; 10^14 of them asked for petabytes and stopped partnernet.
    let (_tmp, data) = sample_as_xlsx_per_table();
    let workbook = data.join("organisations.xlsx");
    edit_part(&workbook, "xl/sharedStrings.xml", |xml| {
        let at = xml
            .find("uniqueCount=\"")
            .expect("rust_xlsxwriter states the count")
            + 13;
        let end = at + xml[at..].find('"').unwrap();
        format!("{}100000000000000{}", &xml[..at], &xml[end..])
    });
    let (status, stderr) = validate_within_a_gigabyte(&data);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("organisations.xlsx: the workbook says it holds 100000000000000 different texts (in its sharedStrings.xml)"),
        "{stderr}"
    );
}
