//! No name can act: control characters are removed at ingest with a warning
//! naming the place, no CSV cell starts a formula after anything a
//! spreadsheet skips, nothing printed to a terminal holds a control
//! character, every XML and SVG output is well-formed and draws names
//! exactly as written, and a name never becomes Markdown structure. Run on
//! the cases in `../shared/cases/reliability/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{partnernet, TestDataset};

fn case(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/cases/reliability")
        .join(path)
}

/// Every file below `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    common::snapshot(dir)
        .into_iter()
        .map(|(p, _)| dir.join(p))
        .collect()
}

/// Whether `c` is a control character a terminal acts on (anything but a
/// line feed) or a bidirectional override.
fn acts_in_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.chars().any(acts_in_a_terminal),
        "{what} prints a control character: {text:?}"
    );
}

#[test]
fn a_nul_byte_before_a_formula_is_removed_and_the_formula_neutralised() {
    let out = tempfile::tempdir().unwrap();
    let run = partnernet()
        .arg("analyse")
        .arg(case("nul-before-formula/dataset"))
        .arg("--out")
        .arg(out.path().join("out"))
        .output()
        .unwrap();
    assert!(run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("organisations.csv, line 3, column 'name'")
            && err.contains("organisations.csv, line 4, column 'region'")
            && err.contains("U+0000"),
        "{err}"
    );
    assert_inert("analyse", &run.stderr);
    let mut csv_files = 0;
    for file in files(&out.path().join("out")) {
        let mut bytes = std::fs::read(&file).unwrap();
        if file.extension().is_some_and(|x| x == "xlsx") {
            // A workbook is a zip file: its sheets' XML is what to check.
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut xml = Vec::new();
            for i in 0..zip.len() {
                std::io::Read::read_to_end(&mut zip.by_index(i).unwrap(), &mut xml).unwrap();
            }
            bytes = xml;
        }
        assert!(!bytes.contains(&0), "{} holds a NUL byte", file.display());
        if file.extension().is_some_and(|x| x == "csv") {
            csv_files += 1;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes.as_slice());
            for record in reader.records() {
                for cell in record.unwrap().iter() {
                    // What a spreadsheet sees after what it skips.
                    let seen = cell.trim_start_matches(|c: char| {
                        c.is_whitespace()
                            || c.is_control()
                            || ('\u{200B}'..='\u{200F}').contains(&c)
                            || c == '\u{FEFF}'
                    });
                    let formula =
                        seen.starts_with(['=', '+', '-', '@']) && seen.parse::<f64>().is_err();
                    let tab = cell.starts_with(['\t', '\r']);
                    assert!(
                        !(formula || tab) || cell.starts_with('\''),
                        "{}: the cell {cell:?} could run as a formula",
                        file.display()
                    );
                }
            }
        }
    }
    assert!(csv_files > 5, "the CSV outputs were checked");
    let leads = std::fs::read_to_string(out.path().join("out/leads.csv")).unwrap();
    assert!(leads.contains("'=HYPERLINK("), "{leads}");
}

#[test]
fn nothing_printed_to_a_terminal_holds_a_control_character() {
    let dataset = case("terminal-escapes/dataset");
    let ambiguous = case("terminal-escapes/ambiguous-dataset");
    let out = tempfile::tempdir().unwrap();
    let runs: Vec<(&str, std::process::Output)> = vec![
        (
            "leads",
            partnernet().arg("leads").arg(&dataset).output().unwrap(),
        ),
        (
            "validate",
            partnernet().arg("validate").arg(&dataset).output().unwrap(),
        ),
        (
            "validate (ambiguous)",
            partnernet()
                .arg("validate")
                .arg(&ambiguous)
                .output()
                .unwrap(),
        ),
        (
            "analyse",
            partnernet()
                .arg("analyse")
                .arg(&dataset)
                .arg("--out")
                .arg(out.path().join("out"))
                .output()
                .unwrap(),
        ),
        (
            "analyse (an option with an escape)",
            partnernet()
                .arg("analyse")
                .arg("--bogus\u{1b}]0;PWNED\u{7}x")
                .output()
                .unwrap(),
        ),
        (
            "analyse (a folder name with an escape)",
            partnernet()
                .arg("analyse")
                .arg(out.path().join("no\u{1b}]0;title\u{7}such"))
                .output()
                .unwrap(),
        ),
    ];
    for (what, run) in &runs {
        assert_inert(what, &run.stdout);
        assert_inert(what, &run.stderr);
    }
    let leads = String::from_utf8_lossy(&runs[0].1.stdout);
    assert!(leads.contains("Evil ]0;PWNED-TITLE[31mRED[0m"), "{leads}");
    let validate = String::from_utf8_lossy(&runs[1].1.stderr);
    assert!(
        validate.contains("organisations.csv, line 3, column 'name', value \"Evil \\u{1b}]0;"),
        "the warning names the place and shows the removed characters escaped: {validate}"
    );
    let ambiguous = String::from_utf8_lossy(&runs[2].1.stderr);
    assert!(ambiguous.contains("dup[41m1, dup[41m2"), "{ambiguous}");
    let option = &runs[4].1;
    assert_eq!(option.status.code(), Some(64));
    assert!(
        String::from_utf8_lossy(&option.stderr).contains("--bogus\\u{1b}]0;PWNED\\u{7}x"),
        "a mistaken option is named, its escapes shown: {}",
        String::from_utf8_lossy(&option.stderr)
    );
    assert!(String::from_utf8_lossy(&runs[5].1.stderr).contains("\\u{1b}]0;title\\u{7}such"));
}

/// Parses every XML and SVG output with Python's expat, which refuses any
/// character XML forbids, and prints the text of `diagrams/network.svg`.
const PARSE_XML: &str = r#"
import sys, glob, json, xml.etree.ElementTree as ET
out = sys.argv[1]
files = [f for ext in ("svg", "graphml", "gexf") for f in glob.glob(out + "/**/*." + ext, recursive=True)]
assert len(files) > 3, files
for f in files:
    ET.parse(f)
svg = ET.parse(out + "/diagrams/network.svg")
texts = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]
titles = [a.get("{http://www.w3.org/1999/xlink}title") or "" for a in svg.iter("{http://www.w3.org/2000/svg}a")]
print(json.dumps({"texts": texts, "titles": titles, "files": len(files)}))
"#;

#[test]
fn names_xml_forbids_or_that_look_like_entities_are_drawn_as_written() {
    let out = tempfile::tempdir().unwrap();
    let run = partnernet()
        .arg("analyse")
        .arg(case("invalid-xml-names/dataset"))
        .arg("--out")
        .arg(out.path().join("out"))
        .output()
        .unwrap();
    assert!(run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("U+FFFF") && err.contains("U+FFFE"), "{err}");
    let parsed = Command::new("python3")
        .arg("-c")
        .arg(PARSE_XML)
        .arg(out.path().join("out"))
        .output()
        .unwrap();
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&parsed.stdout).unwrap();
    let texts: Vec<&str> = seen["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let drawn = texts.join(" ");
    assert!(drawn.contains("A &amp; B &lt; C"), "{drawn}");
    assert!(drawn.contains("Museum &#1; and &#x8;"), "{drawn}");
    assert!(
        !drawn.contains('\u{1}') && !drawn.contains('\u{FFFF}'),
        "{drawn}"
    );
    let titles = seen["titles"].to_string();
    assert!(titles.contains("A &amp; B &lt; C &nbsp; D"), "{titles}");
    // No output holds a character that acts in a terminal or that XML
    // forbids, nor one that a name's entities stand for (`&#1;`).
    for file in files(&out.path().join("out")) {
        let ext = file.extension().and_then(|x| x.to_str()).unwrap_or("");
        let mut bytes = std::fs::read(&file).unwrap();
        if ext == "xlsx" {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut xml = Vec::new();
            for i in 0..zip.len() {
                std::io::Read::read_to_end(&mut zip.by_index(i).unwrap(), &mut xml).unwrap();
            }
            bytes = xml;
        } else if matches!(ext, "png" | "pdf") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        let bad = text.chars().find(|&c| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                || matches!(c, '\u{FFFE}' | '\u{FFFF}' | '\u{202A}'..='\u{202E}')
        });
        assert_eq!(bad, None, "{}", file.display());
    }
    // The same text in the tables.
    let clusters = std::fs::read_to_string(out.path().join("out/clusters.csv")).unwrap();
    assert!(clusters.contains("A &amp; B &lt; C &nbsp; D"));
    assert!(clusters.contains("Museum &#1; and &#x8;"));
    assert!(!clusters.contains('\u{FFFF}') && !clusters.contains('\u{FFFE}'));
}

#[test]
fn a_name_never_becomes_markdown_structure() {
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            b"id,name,kind\nwm,# Heading Museum,affiliate\nm1,1. Listed Library,museum\nm2,- Dashed Archive,archive\nm3,A &amp; B,museum\n",
        ),
        (
            "relations.csv",
            b"source,target,kind\nwm,m1,referral\nwm,m2,desired\nwm,m3,referral\nm1,m2,contact\n",
        ),
    ]);
    ds.analyse().success();
    for file in files(&ds.out()) {
        if file.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            let item = line
                .trim_start()
                .strip_prefix("- ")
                .or_else(|| line.trim_start().strip_prefix("| "))
                .unwrap_or("");
            assert!(
                !item.starts_with("# ")
                    && !item.starts_with("1. ")
                    && !item.starts_with("- ")
                    && !line.starts_with("# Heading"),
                "{}: {line}",
                file.display()
            );
        }
        assert!(!text.contains("A &amp; B") || text.contains("A \\&amp; B"));
    }
    let leads = std::fs::read_to_string(ds.out().join("leads.md")).unwrap();
    assert!(leads.contains("1\\. Listed Library"), "{leads}");
}
