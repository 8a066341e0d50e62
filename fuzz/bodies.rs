//! The bodies of the fuzz targets, as plain functions of bytes.
//!
//! Each function writes the bytes it is given into a temporary dataset
//! folder as one file (a table, a note, the settings, a workbook, a
//! Wikidata result) beside a small fixed valid dataset, reads the folder
//! through partnernet's public entry points ([`partnernet::ingest::read`],
//! [`partnernet::ingest::wikidata::read_results`]) and checks what a user
//! would notice beyond "no panic":
//!
//! - every problem names a place: a file inside the dataset folder;
//! - no message holds a raw control character (a terminal would act on it);
//! - reading the same folder twice gives the same result;
//! - nothing is written into the dataset folder.
//!
//! The fuzz targets in `fuzz/fuzz_targets/` call these functions under
//! libFuzzer (nightly, `fuzz/run.sh`); `tests/fuzz_corpus.rs` replays the
//! committed corpus `fuzz/corpus/<target>/` through the same functions on
//! stable, so CI checks every input the fuzzers kept.
//!
//! The first byte of the `tables` and `workbook` inputs chooses the file the
//! rest becomes (see [`TABLES`] and [`WORKBOOKS`]).

use std::path::{Path, PathBuf};

use partnernet::error::{Error, Problems};
use partnernet::ingest::{self, LoadOptions};

/// A fuzz target's body: reads the bytes, panics when an invariant fails.
pub type Body = fn(&[u8]);

/// The fuzz targets, by name: the folder of their corpus and their body.
pub const TARGETS: &[(&str, Body)] = &[
    ("tables", tables),
    ("note", note),
    ("settings", settings),
    ("lead_status", lead_status),
    ("workbook", workbook),
    ("wikidata", wikidata),
];

/// The file the `tables` target's input becomes, by its first byte (mod 3).
pub const TABLES: [&str; 3] = ["organisations.csv", "relations.csv", "interviews.csv"];

/// The file the `workbook` target's input becomes, by its first byte (mod 4).
pub const WORKBOOKS: [&str; 4] = [
    "organisations.xlsx",
    "partnernet.xlsx",
    "organisations.ods",
    "partnernet.ods",
];

/// The fixed organisations beside a fuzzed file.
pub const ORGANISATIONS: &str = "id,name,kind,country,region,wikidata,aliases,digitisation\n\
cphub,Content Partnerships Hub,hub,SE,,Q999999010,CP Hub;The Hub,\n\
wm-norrvala,Wikimedia Norrvala,affiliate,SE,,Q999999030,WM Norrvala,\n\
ug-adwera,Wikimedians of Adwera,affiliate,KE,,,,\n\
lexicommons,Lexicommons Language Alliance,affiliate,,,,,\n\
adwera-regional-museum,Adwera Regional Museum,museum,KE,,Q42,,started\n\
gravlinge-sjofartsarkiv,Gravlinge sjöfartsarkiv,archive,SE,,,,none\n";

/// The fixed relations beside a fuzzed file.
pub const RELATIONS: &str = "source,target,kind,date,interview,weight,note\n\
ug-adwera,adwera-regional-museum,partner,2019-01-05,,,scanned books\n\
wm-norrvala,Gravlinge sjofartsarkiv,referral,2021-11-03,iv-1,2,\n\
cphub,wm-norrvala,collaborates,2020,,,\n";

/// The fixed interviews beside a fuzzed file.
pub const INTERVIEWS: &str = "id,date,affiliate,needs,offers,notes\n\
iv-1,2021-11-03,wm-norrvala,funding;legal,training,Runs batch uploads.\n";

/// Writes `files` (name, contents) into a fresh temporary folder, in
/// `/dev/shm` where there is one (the fuzzers write thousands a second).
fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::Builder::new()
            .prefix("partnernet-fuzz")
            .tempdir_in(shm)
    } else {
        tempfile::Builder::new().prefix("partnernet-fuzz").tempdir()
    }
    .expect("a temporary folder");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("a folder for the notes");
        }
        std::fs::write(path, bytes).expect("a file in the temporary folder");
    }
    dir
}

/// Every file under `dir`, sorted, with its contents.
fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("the folder lists").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.clone());
                out.push((path, Vec::new()));
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

/// A message fit for a terminal: no control characters at all (a line
/// break inside a message would also let a value forge the next line).
fn assert_clean(text: &str, what: &str) {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        panic!("{what} holds the raw control character {c:?}: {text:?}");
    }
}

/// Every problem names a file inside `dir` (or `dir` itself) and holds no
/// raw control character.
fn assert_problems(problems: &Problems, dir: &Path) {
    for p in problems.items() {
        assert!(
            p.file.starts_with(dir),
            "a problem names no place in the dataset: {p}"
        );
        assert_clean(&p.to_string(), "a problem");
    }
}

/// What a read gave, as text to compare two reads by.
fn outcome(dir: &Path) -> String {
    match ingest::read(dir, &LoadOptions::default()) {
        Ok(d) => {
            assert_problems(&d.problems, dir);
            for f in &d.formats {
                assert_clean(f, "a file's description");
            }
            format!(
                "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
                d.files,
                d.organisations,
                d.relations,
                d.interviews,
                d.unresolved,
                d.lead_status,
                d.problems.report()
            )
        }
        Err(e) => {
            let text = e.to_string();
            match &e {
                Error::InvalidData(problems) => assert_problems(problems, dir),
                _ => assert_clean(&text, "an error"),
            }
            format!("error: {text}")
        }
    }
}

/// Reads the dataset made of `files` twice and checks the invariants.
fn check_dataset(files: &[(&str, &[u8])]) {
    let dir = folder(files);
    let before = listing(dir.path());
    let first = outcome(dir.path());
    let second = outcome(dir.path());
    assert_eq!(
        first, second,
        "the same folder read twice reads differently"
    );
    assert!(
        before == listing(dir.path()),
        "reading wrote into the dataset folder"
    );
}

/// One of the CSV tables (organisations, relations, interviews; the first
/// byte chooses) beside the fixed others.
pub fn tables(data: &[u8]) {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let name = TABLES[which as usize % TABLES.len()];
    let mut files: Vec<(&str, &[u8])> = vec![(name, bytes)];
    for (fixed, contents) in [
        ("organisations.csv", ORGANISATIONS.as_bytes()),
        ("relations.csv", RELATIONS.as_bytes()),
        ("interviews.csv", INTERVIEWS.as_bytes()),
    ] {
        if fixed != name {
            files.push((fixed, contents));
        }
    }
    check_dataset(&files);
}

/// A note (`notes/iv-fuzz.md`, front matter and all) beside the fixed tables.
pub fn note(data: &[u8]) {
    check_dataset(&[
        ("organisations.csv", ORGANISATIONS.as_bytes()),
        ("relations.csv", RELATIONS.as_bytes()),
        ("notes/iv-fuzz.md", data),
    ]);
}

/// `partnernet.toml` beside the fixed tables.
pub fn settings(data: &[u8]) {
    check_dataset(&[
        ("organisations.csv", ORGANISATIONS.as_bytes()),
        ("relations.csv", RELATIONS.as_bytes()),
        ("interviews.csv", INTERVIEWS.as_bytes()),
        ("partnernet.toml", data),
    ]);
}

/// `lead-status.csv` beside the fixed tables.
pub fn lead_status(data: &[u8]) {
    check_dataset(&[
        ("organisations.csv", ORGANISATIONS.as_bytes()),
        ("relations.csv", RELATIONS.as_bytes()),
        ("lead-status.csv", data),
    ]);
}

/// A workbook (`organisations.xlsx`, `partnernet.xlsx`, `.ods` of both; the
/// first byte chooses), with the fixed CSV tables it does not replace.
pub fn workbook(data: &[u8]) {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let name = WORKBOOKS[which as usize % WORKBOOKS.len()];
    if name.starts_with("organisations") {
        check_dataset(&[(name, bytes), ("relations.csv", RELATIONS.as_bytes())]);
    } else {
        check_dataset(&[(name, bytes)]);
    }
}

/// A Wikidata Query Service result (`query.csv`; CSV, TSV or JSON by its
/// contents), as `partnernet import` reads it.
pub fn wikidata(data: &[u8]) {
    let dir = folder(&[("query.csv", data)]);
    let path = dir.path().join("query.csv");
    let read = || match ingest::wikidata::read_results(&path) {
        Ok(r) => {
            assert_problems(&r.problems, dir.path());
            format!(
                "{} {} {:?}\n{}",
                r.format,
                r.rows,
                r.institutions,
                r.problems.report()
            )
        }
        Err(e) => {
            match &e {
                Error::InvalidData(problems) => assert_problems(problems, dir.path()),
                _ => assert_clean(&e.to_string(), "an error"),
            }
            format!("error: {e}")
        }
    };
    let first = read();
    assert_eq!(
        first,
        read(),
        "the same result file read twice reads differently"
    );
}
