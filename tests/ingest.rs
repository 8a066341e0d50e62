//! The dataset format and its validation, through the binary: exit statuses,
//! messages naming file, line, column and value, and no panic on bad input.

mod common;

use common::{partnernet, TestDataset};
use predicates::prelude::*;

const ORG_HEADER: &[u8] = b"id,name,kind,country,region,wikidata,aliases,digitisation\n";
const REL_HEADER: &[u8] = b"source,target,kind,date,interview,weight,note\n";

fn with(orgs: &[u8], rels: &[u8]) -> TestDataset {
    TestDataset::new(&[("organisations.csv", orgs), ("relations.csv", rels)])
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Runs `validate` and returns (exit status, standard error).
fn validate(ds: &TestDataset) -> (i32, String) {
    let out = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        !stderr.contains("panicked"),
        "the program panicked:\n{stderr}"
    );
    (out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_valid_dataset_passes() {
    let ds = TestDataset::small();
    partnernet()
        .arg("validate")
        .arg(ds.data())
        .assert()
        .success()
        .stdout(predicate::str::contains("5 organisations, 5 relations"));
}

#[test]
fn every_problem_is_reported_with_file_line_column_and_value() {
    let orgs = cat(&[
        ORG_HEADER,
        b"a,Alpha,affiliate,SE,,,,\n",
        b"b,Beta,zoo,SE,,,,\n",
        b"a,Again,museum,SE,,,,\n",
        b"c,Gamma,museum,XX,,Q12x,,\n",
        b"d,Delta,museum,SE,,,,halfway\n",
    ]);
    let rels = cat(&[
        REL_HEADER,
        b"a,b,partner,31/31/2024,,,\n",
        b"a,c,friend,,,-3,\n",
    ]);
    let (code, err) = validate(&with(&orgs, &rels));
    assert_eq!(code, 2, "{err}");
    for expected in [
        "organisations.csv, line 3, column 'kind', value \"zoo\"",
        "organisations.csv, line 4, column 'id', value \"a\": the id is already used on line 2",
        "organisations.csv, line 5, column 'country', value \"XX\"",
        "organisations.csv, line 5, column 'wikidata', value \"Q12x\"",
        "organisations.csv, line 6, column 'digitisation', value \"halfway\"",
        "warning: ",
        "relations.csv, line 2, column 'date', value \"31/31/2024\"",
        "the relation is kept without a date",
        "relations.csv, line 3, column 'kind', value \"friend\"",
        "relations.csv, line 3, column 'weight', value \"-3\"",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.contains("the dataset has 7 error(s)"), "{err}");
}

#[test]
fn missing_files_and_columns_are_named() {
    let ds = TestDataset::new(&[("organisations.csv", b"id,name\nx,X\n")]);
    let (code, err) = validate(&ds);
    assert_eq!(code, 2);
    assert!(
        err.contains("organisations.csv, line 1, column 'header'"),
        "{err}"
    );
    assert!(err.contains("missing required column(s) kind"), "{err}");
    assert!(err.contains("relations.csv: the file is missing"), "{err}");
}

#[test]
fn empty_and_header_only_files_do_not_panic() {
    let (code, err) = validate(&with(b"", b""));
    assert_eq!(code, 2);
    assert!(
        err.contains("organisations.csv, line 1: the file is empty"),
        "{err}"
    );

    let (code, err) = validate(&with(ORG_HEADER, REL_HEADER));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("there are no organisations yet"), "{err}");

    // An empty dataset still analyses.
    let ds = with(ORG_HEADER, REL_HEADER);
    ds.analyse().success();
    assert!(ds.out().join("summary.md").exists());
}

#[test]
fn non_utf8_bytes_are_read_as_windows_1252_with_one_warning() {
    let orgs = cat(&[
        ORG_HEADER,
        b"a,Caf\xe9 Museum,museum,SE,,,,\n",
        b"b,\xc5lvik Bibliotek,library,SE,,,,\n",
    ]);
    let (code, err) = validate(&with(&orgs, REL_HEADER));
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(
        err.contains("organisations.csv, line 2: the file is not UTF-8 (the first character that is not is on this line); it was read as Windows-1252"),
        "{err}"
    );
    assert!(err.contains("CSV UTF-8"), "{err}");
}

#[test]
fn a_file_that_is_not_utf8_under_encoding_utf8_is_read_as_utf8_with_its_bad_bytes_marked() {
    let orgs = cat(&[ORG_HEADER, b"a,Caf\xe9 Museum,museum,SE,,,,\n"]);
    let ds = with(&orgs, REL_HEADER);
    ds.write("partnernet.toml", b"[input]\nencoding = \"utf-8\"\n");
    let (code, err) = validate(&ds);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "organisations.csv, line 2: the file is UTF-8 but for some bytes that are not"
        ),
        "{err}"
    );
}

#[test]
fn a_utf8_file_with_a_few_bad_bytes_keeps_its_good_names_and_says_where_the_first_is() {
    let orgs = cat(&[
        ORG_HEADER,
        "a,Zoë Muséet,museum,SE,,,,\n".as_bytes(),
        "b,Škofja Loka Arhiv,archive,SI,,,,\n".as_bytes(),
        b"c,Caf\xe9 Museum,museum,SE,,,,\n",
    ]);
    let ds = with(&orgs, REL_HEADER);
    let (code, err) = validate(&ds);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(
        err.contains(
            "organisations.csv, line 4: the file is UTF-8 but for some bytes that are not"
        ),
        "{err}"
    );
    ds.analyse().success();
    let table = std::fs::read_to_string(ds.out().join("network.json")).unwrap();
    assert!(
        table.contains("Zoë Muséet") && table.contains("Škofja Loka Arhiv"),
        "{table}"
    );
    assert!(table.contains("Caf\u{FFFD} Museum"), "{table}");
    assert!(!table.contains("ZoÃ"), "{table}");
}

#[test]
fn bom_quoted_newlines_and_long_fields_are_accepted() {
    let long = "x".repeat(100_000);
    let orgs = cat(&[
        b"\xEF\xBB\xBF",
        ORG_HEADER,
        b"a,\"Alpha, the \"\"first\"\"\nchapter\",affiliate,SE,,,,\n",
        b"b,Beta Museum,museum,SE,,,,\n",
    ]);
    // A long field where no name is (names are limited to 1,000 characters).
    let rels = cat(&[
        REL_HEADER,
        format!("a,b,partner,,,,\"a note\nover two lines {long}\"\n").as_bytes(),
    ]);
    let ds = with(&orgs, &rels);
    let (code, err) = validate(&ds);
    assert_eq!(code, 0, "{err}");
    ds.analyse().success();
    let ties = std::fs::read_to_string(ds.out().join("ties.csv")).unwrap();
    assert!(
        ties.contains("\"Alpha, the \"\"first\"\"\nchapter\""),
        "{ties}"
    );
}

#[test]
fn names_resolve_ignoring_case_accents_and_spaces() {
    let orgs = cat(&[
        ORG_HEADER,
        "m,Musée d'Ébène,museum,FR,,,Ebony Museum,\n".as_bytes(),
        "h,Høgskolen i Ørnvika,university,NO,,,,\n".as_bytes(),
        b"a,Wikimedia Alpha,affiliate,SE,,,,\n",
    ]);
    let rels = cat(&[
        REL_HEADER,
        b"WIKIMEDIA   alpha,musee d'ebene,partner,,,,\n",
        b"a,hogskolen i ornvika,partner,,,,\n",
        b"a,ebony museum,referral,,,,\n",
    ]);
    let (code, err) = validate(&with(&orgs, &rels));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("no organisation has"), "{err}");
}

#[test]
fn unknown_names_are_reported_with_suggestions_and_strict_makes_them_errors() {
    let orgs = cat(&[
        ORG_HEADER,
        b"a,Wikimedia Alpha,affiliate,SE,,,,\n",
        b"m,Nordvik Stadsmuseum,museum,SE,,,,\n",
    ]);
    let rels = cat(&[REL_HEADER, b"a,Nordvik Stadsmuseet,partner,,,,\n"]);
    let ds = with(&orgs, &rels);
    let (code, err) = validate(&ds);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("relations.csv, line 2, column 'target', value \"Nordvik Stadsmuseet\""),
        "{err}"
    );
    assert!(
        err.contains("did you mean \"Nordvik Stadsmuseum\""),
        "{err}"
    );

    ds.analyse().success();
    let summary = std::fs::read_to_string(ds.out().join("summary.md")).unwrap();
    assert!(
        summary.contains("| Nordvik Stadsmuseet | 1 | relations.csv:2 | Nordvik Stadsmuseum |"),
        "{summary}"
    );

    let out = partnernet()
        .args(["validate", "--strict"])
        .arg(ds.data())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn self_relations_are_dropped_with_a_warning() {
    let orgs = cat(&[
        ORG_HEADER,
        b"a,Alpha,affiliate,SE,,,,\n",
        b"b,Beta,museum,SE,,,,\n",
    ]);
    let rels = cat(&[REL_HEADER, b"a,Alpha,partner,,,,\n", b"a,b,partner,,,,\n"]);
    let ds = with(&orgs, &rels);
    let (code, err) = validate(&ds);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("line 2") && err.contains("links an organisation to itself"),
        "{err}"
    );
    ds.analyse().success();
    let ties = std::fs::read_to_string(ds.out().join("ties.csv")).unwrap();
    assert_eq!(ties.lines().count(), 2, "one tie: {ties}");
}

#[test]
fn extra_columns_are_kept_not_rejected() {
    let orgs = b"id,name,kind,website\na,Alpha,affiliate,https://example.org\nb,Beta,museum,\n";
    let rels = b"source,target,kind,project\na,b,partner,Upload days\n";
    let (code, err) = validate(&with(orgs, rels));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_missing_dataset_folder_is_exit_status_1() {
    let out = partnernet()
        .args(["validate", "/nonexistent/partnernet-data"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn garbage_input_never_panics() {
    let inputs: Vec<Vec<u8>> = vec![
        b"\"unterminated,quote\n".to_vec(),
        b",,,,\n,,,,\n".to_vec(),
        b"id,name,kind\n\"a\"b\",c,d\n".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x41, 0x0a],
        b"id,name,kind\n#only a comment\n".to_vec(),
        "id,name,kind\n🦀,🦀,🦀\n".as_bytes().to_vec(),
        b"id,name,kind\r\na,b,museum\r\n".to_vec(),
    ];
    for input in &inputs {
        for rels in [input.as_slice(), REL_HEADER] {
            let (code, err) = validate(&with(input, rels));
            assert!(code == 0 || code == 2, "status {code} for {input:?}: {err}");
        }
    }
}

#[test]
fn a_bad_settings_file_names_the_line() {
    let ds = TestDataset::small();
    ds.write("partnernet.toml", b"[analysis]\nseed = \"seven\"\n");
    let (code, err) = validate(&ds);
    assert_eq!(code, 2);
    assert!(err.contains("partnernet.toml, line 2"), "{err}");
}

/// Files large enough to be read in several pieces (and mapped), with quoted
/// line breaks, comments and blank lines throughout: every problem still names
/// its exact line, and unknown names are reported the same on any number of
/// threads.
#[test]
fn large_files_read_in_pieces_keep_exact_lines_on_any_thread_count() {
    let mut orgs = ORG_HEADER.to_vec();
    for i in 0..20_000 {
        orgs.extend_from_slice(format!("o{i},Organisation {i},museum,SE,,,,\n").as_bytes());
    }
    let mut rels = REL_HEADER.to_vec();
    let mut line = 1;
    let mut bad_kind_line = 0;
    let mut unknown_line = 0;
    for i in 0..60_000u32 {
        let (a, b) = (i % 20_000, (i * 7 + 1) % 20_000);
        if a == b {
            continue;
        }
        match i % 97 {
            0 => {
                // A note over three lines.
                rels.extend_from_slice(
                    format!("o{a},o{b},partner,,,,\"first\nsecond, \"\"quoted\"\"\nthird\"\n")
                        .as_bytes(),
                );
                line += 3;
            }
            1 => {
                rels.extend_from_slice(b"# a comment\n\n");
                rels.extend_from_slice(format!("o{a},o{b},contact,,,,\n").as_bytes());
                line += 3;
            }
            _ if i == 45_001 => {
                rels.extend_from_slice(format!("o{a},o{b},friend,,,,\n").as_bytes());
                line += 1;
                bad_kind_line = line;
            }
            _ if i == 50_003 => {
                rels.extend_from_slice(format!("o{a},Nobody Known,partner,,,,\n").as_bytes());
                line += 1;
                unknown_line = line;
            }
            _ => {
                rels.extend_from_slice(format!("o{a},o{b},partner,,,,\n").as_bytes());
                line += 1;
            }
        }
    }
    assert!(rels.len() > 1 << 20, "the file must span several pieces");
    let ds = with(&orgs, &rels);
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = partnernet()
            .env("RAYON_NUM_THREADS", threads)
            .arg("validate")
            .arg(ds.data())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{err}");
        let expected =
            format!("relations.csv, line {bad_kind_line}, column 'kind', value \"friend\"");
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
        let expected =
            format!("relations.csv, line {unknown_line}, column 'target', value \"Nobody Known\"");
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
        outputs.push((out.stdout, err));
    }
    assert_eq!(outputs[0], outputs[1]);
}

/// 40,000 rows that only warn (relations of an organisation to itself), far
/// more than the problems listed, then rows further down the file.
fn after_many_warnings(last: &[u8]) -> TestDataset {
    let orgs = cat(&[
        ORG_HEADER,
        b"a,Alpha,affiliate,SE,,,,\n",
        b"b,Beta,museum,SE,,,,\n",
    ]);
    let mut rels = REL_HEADER.to_vec();
    for _ in 0..40_000 {
        rels.extend_from_slice(b"a,a,partner,,,,\n");
    }
    rels.extend_from_slice(last);
    with(&orgs, &rels)
}

#[test]
fn many_warnings_never_stop_the_rows_after_them_being_read() {
    let ds = after_many_warnings(b"a,b,partner,,,,\n");
    let (code, err) = validate(&ds);
    assert_eq!(code, 0, "{err}");
    ds.analyse().success();
    let ties = std::fs::read_to_string(ds.out().join("ties.csv")).unwrap();
    assert_eq!(
        ties.lines().nth(1).map(|l| l.starts_with("a,b,")),
        Some(true),
        "the relation after 40,000 warnings is analysed: {ties}"
    );
}

#[test]
fn an_error_after_the_listed_problems_still_fails_the_run() {
    let ds = after_many_warnings(b"a,b,friend,,,,\n");
    let (code, err) = validate(&ds);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("1 error(s)"), "{err}");
}

#[test]
fn line_numbers_are_right_after_blank_and_comment_lines_and_in_windows_and_mac_files() {
    // Lines: 1 header, 2 a, 3 blank, 4 b (bad kind), 5 comment, 6 c with a
    // quoted note over two lines (6 and 7), 8 d (bad kind).
    let unix = b"id,name,kind,country,region,wikidata,aliases,digitisation\n\
a,Alpha,affiliate,SE,,,,\n\
\n\
b,Beta,zoo,SE,,,,\n\
# a comment\n\
c,\"Gamma\nMuseum\",museum,SE,,,,\n\
d,Delta,zoo2,SE,,,,\n";
    // The same rows as a spreadsheet saves them, with \r\n line ends.
    let windows: Vec<u8> = String::from_utf8_lossy(unix)
        .replace('\n', "\r\n")
        .into_bytes();
    // And as old Macintosh programs save them, with \r alone.
    let mac: Vec<u8> = unix
        .iter()
        .map(|&b| if b == b'\n' { b'\r' } else { b })
        .collect();
    let rels = cat(&[REL_HEADER, b"a,c,partner,,,,\n"]);
    for orgs in [unix.to_vec(), windows, mac] {
        let (code, err) = validate(&with(&orgs, &rels));
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("line 4, column 'kind', value \"zoo\""),
            "{err}"
        );
        assert!(
            err.contains("line 8, column 'kind', value \"zoo2\""),
            "{err}"
        );
    }
}
