//! Inputs shaped to make a careless reader quadratic (the "Quadratic paths"
//! of `../shared/cases/reliability/README.md`), each at a size a test can
//! afford: what a user sees, a result or a limit's message. How long they
//! take is `benches/scaling.py`'s job, not a test's.

mod common;

use std::path::Path;

use common::{partnernet, read_csv, TestDataset};

const ORGS: &str = "id,name,kind,country\n\
    wm-a,Wikimedia A,affiliate,SE\n\
    wm-b,Wikimedia B,affiliate,NO\n\
    some-museum,Some Museum,museum,SE\n";

fn dataset(orgs: &str, relations: &str, notes: &[(&str, String)]) -> TestDataset {
    let ds = TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", relations.as_bytes()),
    ]);
    if !notes.is_empty() {
        std::fs::create_dir_all(ds.data().join("notes")).unwrap();
    }
    for (name, text) in notes {
        std::fs::write(ds.data().join("notes").join(name), text).unwrap();
    }
    ds
}

fn validate(data: &Path) -> (Option<i32>, String) {
    let out = partnernet().arg("validate").arg(data).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The tie between two ids in `ties.csv`, either way round.
fn tie<'a>(
    ties: &'a [std::collections::BTreeMap<String, String>],
    a: &str,
    b: &str,
) -> Option<&'a std::collections::BTreeMap<String, String>> {
    ties.iter().find(|t| {
        let ends = (t["source"].as_str(), t["target"].as_str());
        ends == (a, b) || ends == (b, a)
    })
}

#[test]
fn a_front_matter_of_brackets_is_refused_naming_the_file_line_and_limit() {
    let note = format!(
        "---\naffiliate: wm-a\ndate: {}\n---\n## ongoing partners\n[[Some Museum]]\n",
        "[".repeat(50_000)
    );
    let ds = dataset(ORGS, "source,target,kind\n", &[("iv.md", note)]);
    let (code, err) = validate(&ds.data());
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("iv.md, line 3") && err.contains("more than 32 lists"),
        "{err}"
    );
}

#[test]
fn a_front_matter_longer_than_64_kib_is_refused_naming_the_file_line_and_limit() {
    let note = format!(
        "---\naffiliate: wm-a\n{}---\n## ongoing partners\n[[Some Museum]]\n",
        "interviewer: Someone\n".repeat(4000)
    );
    let ds = dataset(ORGS, "source,target,kind\n", &[("iv.md", note)]);
    let (code, err) = validate(&ds.data());
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("iv.md, line ") && err.contains("longer than 64 KiB"),
        "{err}"
    );
}

#[test]
fn many_identical_rows_are_one_relation() {
    let mut relations = String::from("source,target,kind\n");
    relations.push_str(&"wm-a,some-museum,partner\n".repeat(20_000));
    // A thousand rows of one pair that differ in their note: each counted.
    for i in 0..1000 {
        relations.push_str(&format!("wm-b,some-museum,partner,,,,note {i}\n"));
    }
    let relations = relations.replace(
        "source,target,kind\n",
        "source,target,kind,date,interview,weight,note\n",
    );
    let ds = dataset(ORGS, &relations, &[]);
    ds.analyse().success();
    let ties = read_csv(&ds.out().join("ties.csv"));
    assert_eq!(tie(&ties, "wm-a", "some-museum").unwrap()["relations"], "1");
    assert_eq!(
        tie(&ties, "wm-b", "some-museum").unwrap()["relations"],
        "1000"
    );
}

#[test]
fn a_note_line_of_many_mentions_is_one_relation() {
    let note = format!(
        "---\naffiliate: wm-a\n---\n## ongoing partners\n{}\n",
        "[[Some Museum]] ".repeat(50_000)
    );
    let ds = dataset(ORGS, "source,target,kind\n", &[("iv.md", note)]);
    ds.analyse().success();
    let ties = read_csv(&ds.out().join("ties.csv"));
    let t = tie(&ties, "wm-a", "some-museum").unwrap();
    assert_eq!(
        (t["relations"].as_str(), t["kinds"].as_str()),
        ("1", "partner")
    );
}

#[test]
fn thousands_of_heading_keywords_read_thousands_of_headings() {
    let keywords: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                "\"keyword number {i}\" = \"{}\"",
                if i == 7 { "referral" } else { "partner" }
            )
        })
        .collect();
    let settings = format!("[notes]\nheadings = {{ {} }}\n", keywords.join(", "));
    let mut body = String::new();
    for i in 0..5000 {
        body.push_str(&format!(
            "## heading {i} with keyword number {} in it\n",
            i % 2000
        ));
        body.push_str(if i % 2000 == 7 {
            "[[wm-b]]\n"
        } else {
            "[[Some Museum]]\n"
        });
    }
    let note = format!("---\naffiliate: wm-a\n---\n{body}");
    let ds = dataset(ORGS, "source,target,kind\n", &[("iv.md", note)]);
    ds.write("partnernet.toml", settings.as_bytes());
    ds.analyse().success();
    let ties = read_csv(&ds.out().join("ties.csv"));
    assert_eq!(
        tie(&ties, "wm-a", "some-museum").unwrap()["kinds"],
        "partner"
    );
    // "keyword number 7" is the longest keyword of its headings: a referral.
    assert_eq!(tie(&ties, "wm-a", "wm-b").unwrap()["kinds"], "referral");
}

#[test]
fn many_small_notes_are_each_an_interview() {
    let notes: Vec<(String, String)> = (0..3000)
        .map(|i| {
            (
                format!("iv-{i}.md"),
                format!(
                    "---\naffiliate: wm-a\nid: iv-{i}\n---\n## ongoing partners\n[[Some Museum]]\n"
                ),
            )
        })
        .collect();
    let notes: Vec<(&str, String)> = notes.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let ds = dataset(ORGS, "source,target,kind\n", &notes);
    ds.analyse().success();
    let ties = read_csv(&ds.out().join("ties.csv"));
    assert_eq!(
        tie(&ties, "wm-a", "some-museum").unwrap()["relations"],
        "3000"
    );
}

#[test]
fn long_unknown_names_still_get_did_you_mean() {
    let long = "Museum of the Very Long Name ".repeat(30);
    let orgs = format!("{ORGS}long-one,{long}A,museum,SE\n");
    let mut relations = String::from("source,target,kind\n");
    for i in 0..100 {
        relations.push_str(&format!("wm-a,{long}{i},partner\n"));
    }
    let ds = dataset(&orgs, &relations, &[]);
    let (code, err) = validate(&ds.data());
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("no organisation has this id, name or alias")
            && err.contains(&format!("did you mean \"{}", &long[..40])),
        "{err}"
    );
}

#[test]
fn a_name_longer_than_the_limit_is_refused_naming_the_file_line_and_limit() {
    let long = "B".repeat(5000);
    // In organisations.csv, in relations.csv and in a note.
    let cases = [
        (
            format!("{ORGS}big,{long},museum,SE\n"),
            String::from("source,target,kind\n"),
            None,
            "organisations.csv, line 5, column 'name'",
        ),
        (
            ORGS.to_string(),
            format!("source,target,kind\nwm-a,{long},partner\n"),
            None,
            "relations.csv, line 2, column 'target'",
        ),
        (
            ORGS.to_string(),
            String::from("source,target,kind\n"),
            Some(format!(
                "---\naffiliate: wm-a\n---\n## ongoing partners\n\n[[{long}]]\n"
            )),
            "iv.md, line 6",
        ),
    ];
    for (orgs, relations, note, place) in cases {
        let notes: Vec<(&str, String)> = note.into_iter().map(|n| ("iv.md", n)).collect();
        let ds = dataset(&orgs, &relations, &notes);
        let (code, err) = validate(&ds.data());
        assert_eq!(code, Some(2), "{place}: {err}");
        assert!(
            err.contains(place)
                && err.contains("5000 characters long")
                && err.contains("at most 1000 characters"),
            "{place}: {err}"
        );
        assert!(err.len() < 5000, "the name is not printed in full: {err}");
    }
}

#[test]
fn many_unknown_names_are_counted_and_the_most_used_get_suggestions() {
    let mut relations = String::from("source,target,kind\n");
    for i in 0..5000 {
        relations.push_str(&format!("wm-a,Unknown Institution {i},partner\n"));
    }
    // Used three times, on the last lines: the most used, so it is among
    // the names that get suggestions.
    relations.push_str(&"wm-a,Some Museun,partner\n".repeat(3));
    let ds = dataset(ORGS, &relations, &[]);
    let (code, err) = validate(&ds.data());
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("and 4801 more problems not listed"), "{err}");
    ds.analyse().success();
    let quality = std::fs::read_to_string(ds.out().join("data-quality.md")).unwrap();
    let line = quality
        .lines()
        .find(|l| l.contains("Some Museun"))
        .unwrap_or_else(|| panic!("{quality}"));
    assert!(line.contains("Some Museum"), "did you mean: {line}");
}

#[test]
fn a_path_of_organisations_lists_every_bridge_with_what_it_cuts_off() {
    // o0 - o1 - ... - o2000, each in a region of its own but the first ten.
    let mut orgs = String::from("id,name,kind,country,region\n");
    let mut relations = String::from("source,target,kind\n");
    for i in 0..=2000 {
        let kind = if i % 2 == 0 { "affiliate" } else { "museum" };
        let region = if i < 10 {
            "First Ten".to_string()
        } else {
            format!("Region {i}")
        };
        orgs.push_str(&format!("o{i},Organisation {i},{kind},SE,{region}\n"));
        if i > 0 {
            relations.push_str(&format!("o{},o{i},partner\n", i - 1));
        }
    }
    let ds = dataset(&orgs, &relations, &[]);
    ds.analyse_with(&["--exports", "none", "--format", "svg"])
        .assert()
        .success();
    let bridges = read_csv(&ds.out().join("bridges.csv"));
    assert_eq!(bridges.len(), 2000);
    let first = bridges.iter().find(|b| b["source"] == "o0").unwrap();
    assert_eq!(
        (
            first["cut_off_size"].as_str(),
            first["cut_off_side"].as_str()
        ),
        ("1", "o0")
    );
    assert_eq!(first["cut_off_regions"], "First Ten 1");
    // The tie o19 - o20 cuts off o0 ... o19: ten in "First Ten", one in each
    // of ten regions, of which the nine after the first region are counted.
    let b = bridges.iter().find(|b| b["source"] == "o19").unwrap();
    assert_eq!(b["cut_off_size"], "20");
    assert!(
        b["cut_off_regions"].starts_with("First Ten 10; Region 10 1; ")
            && b["cut_off_regions"].ends_with("; and 1 more region"),
        "{}",
        b["cut_off_regions"]
    );
}

/// `affiliates` affiliates all partners of one museum; the first two also
/// partners of one library.
fn one_museum_of_many_affiliates(affiliates: usize) -> TestDataset {
    let mut orgs = String::from(
        "id,name,kind,country,region\n\
         mus,Stora Museet,museum,SE,Nordics\n\
         lib,Lilla Biblioteket,library,SE,Nordics\n",
    );
    let mut relations = String::from("source,target,kind\nwm-0,lib,partner\nwm-1,lib,partner\n");
    for i in 0..affiliates {
        orgs.push_str(&format!("wm-{i},Wikimedia {i},affiliate,SE,Nordics\n"));
        relations.push_str(&format!("wm-{i},mus,partner\n"));
    }
    dataset(&orgs, &relations, &[])
}

/// [`one_museum_of_many_affiliates`] analysed: its link opportunities and
/// its `summary.md`.
fn analysed_links(affiliates: usize) -> (Vec<std::collections::BTreeMap<String, String>>, String) {
    let ds = one_museum_of_many_affiliates(affiliates);
    ds.analyse_with(&["--exports", "none", "--format", "svg"])
        .assert()
        .success();
    let mut links = read_csv(&ds.out().join("opportunities.csv"));
    links.retain(|o| o["kind"] == "link");
    let summary = std::fs::read_to_string(ds.out().join("summary.md")).unwrap();
    (links, summary)
}

#[test]
fn a_partner_of_more_than_a_thousand_affiliates_is_no_shared_partner_and_the_summary_says_so() {
    // Counted as a shared partner, the museum would make each of the
    // 1,001 affiliates a candidate of every other: half a million pairs
    // here, 200 million for 20,000 affiliates.
    let (links, summary) = analysed_links(1001);
    assert_eq!(links.len(), 1, "{links:?}");
    let link = &links[0];
    assert_eq!(
        (link["affiliate_a"].as_str(), link["affiliate_b"].as_str()),
        ("wm-0", "wm-1")
    );
    assert!(
        link["reason"].starts_with("Both work with Lilla Biblioteket (resource allocation 0.50)"),
        "{}",
        link["reason"]
    );
    assert!(
        !link["reason"].contains("Stora Museet"),
        "{}",
        link["reason"]
    );
    assert!(
        summary.contains(
            "Not counted as a shared partner, since it works with more than 1,000 affiliates: Stora Museet."
        ),
        "{summary}"
    );
}

#[test]
fn a_partner_of_a_thousand_affiliates_is_still_a_shared_partner() {
    let (links, summary) = analysed_links(1000);
    // Five for each affiliate but the last, which has no later one.
    assert_eq!(links.len(), 995 * 5 + 4 + 3 + 2 + 1);
    let first = links
        .iter()
        .find(|l| l["affiliate_a"] == "wm-0" && l["affiliate_b"] == "wm-1")
        .expect("wm-0 and wm-1, who share both partners");
    assert!(
        first["reason"].contains("Stora Museet") && first["reason"].contains("Lilla Biblioteket"),
        "{}",
        first["reason"]
    );
    assert!(
        !summary.contains("Not counted as a shared partner"),
        "{summary}"
    );
}

/// A dataset of `rows` organisations `o0`, `o1`… (museums), with `extra`
/// columns partnernet does not know, each holding `x`.
fn many_organisations(rows: usize, extra: usize) -> String {
    let columns: String = (0..extra).map(|k| format!(",c{k}")).collect();
    let values = ",x".repeat(extra);
    let mut csv = format!("id,name,kind{columns}\n");
    for i in 0..rows {
        csv.push_str(&format!("o{i},Organisation {i},museum{values}\n"));
    }
    csv
}

/// Asserts that `validate` refuses the dataset with one error naming
/// `place` and `limit`, and says what to do.
fn refused_at(data: &Path, place: &str, limit: &str) {
    let (code, err) = validate(data);
    assert_eq!(code, Some(2), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("that partnernet reads, so reading stopped"))
        .unwrap_or_else(|| panic!("no limit error in: {err}"));
    assert!(line.contains(place), "{line}");
    assert!(line.contains(limit), "{line}");
    assert!(
        line.contains("split the data into smaller datasets"),
        "{line}"
    );
    assert_eq!(err.matches("that partnernet reads").count(), 1, "{err}");
}

#[test]
fn more_organisations_than_partnernet_reads_stop_at_the_first_row_beyond() {
    let ds = dataset(
        &many_organisations(1_500_001, 0),
        "source,target,kind\n",
        &[],
    );
    refused_at(
        &ds.data(),
        "organisations.csv, line 1500002",
        "beyond the 1,500,000 organisations",
    );
    // One fewer is read.
    let ds = dataset(
        &many_organisations(1_500_000, 0),
        "source,target,kind\n",
        &[],
    );
    let (code, err) = validate(&ds.data());
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn names_that_match_no_organisation_count_towards_the_organisations() {
    let mut relations = String::from("source,target,kind\n");
    for i in 0..1_500_000 {
        relations.push_str(&format!("wm-a,Unknown {i},partner\n"));
    }
    // The three organisations of ORGS and 1,499,997 unknown names fill the
    // limit at relations.csv line 1499998; the next name goes beyond.
    let ds = dataset(ORGS, &relations, &[]);
    refused_at(
        &ds.data(),
        "relations.csv, line 1499999",
        "beyond the 1,500,000 organisations (counting the names that match none)",
    );
}

#[test]
fn more_interviews_than_partnernet_reads_are_refused_naming_the_row() {
    let ds = dataset(ORGS, "source,target,kind\n", &[]);
    let mut interviews = String::from("id,affiliate\n");
    for i in 0..200_001 {
        interviews.push_str(&format!("iv-{i},wm-a\n"));
    }
    std::fs::write(ds.data().join("interviews.csv"), interviews).unwrap();
    refused_at(
        &ds.data(),
        "interviews.csv, line 200002",
        "beyond the 200,000 interviews",
    );
}

#[test]
fn more_values_in_unknown_columns_than_partnernet_reads_are_refused() {
    // 100 values a row: row 100,001 (line 100002) holds values 10,000,001 to 10,000,100.
    let ds = dataset(
        &many_organisations(100_001, 100),
        "source,target,kind\n",
        &[],
    );
    let (code, err) = validate(&ds.data());
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("organisations.csv, line 100002")
            && err
                .contains("beyond the 10,000,000 filled cells in columns partnernet does not know")
            && err.contains("delete the columns partnernet does not use"),
        "{err}"
    );
}

#[test]
fn more_relations_than_partnernet_reads_are_refused_naming_the_row() {
    let orgs = "id,name,kind\na,Wikimedia A,affiliate\nb,Some Museum,museum\n";
    let relations = format!("source,target,kind\n{}", "a,b,partner\n".repeat(4_000_001));
    let ds = dataset(orgs, &relations, &[]);
    refused_at(
        &ds.data(),
        "relations.csv, line 4000002",
        "beyond the 4,000,000 relations",
    );
}

/// `compare` and `analyse --since` hold two snapshots at once, so each
/// dataset may hold half as much.
#[test]
fn two_snapshots_may_each_hold_half_of_what_one_dataset_may() {
    let ds = dataset(&many_organisations(750_001, 0), "source,target,kind\n", &[]);
    let out = tempfile::tempdir().unwrap();
    for args in [
        vec![
            "compare".into(),
            ds.data(),
            ds.data(),
            "--out".into(),
            out.path().join("changes"),
        ],
        vec![
            "analyse".into(),
            ds.data(),
            "--out".into(),
            out.path().join("results"),
            "--since".into(),
            "2025-01-01".into(),
        ],
    ] {
        let run = partnernet().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("organisations.csv, line 750002")
                && err.contains("beyond the 750,000 organisations (counting the names that match none) that partnernet reads in each of two snapshots"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing written"
    );
    // Without --since, the same dataset is read.
    let (code, err) = validate(&ds.data());
    assert_eq!(code, Some(0), "{err}");
}
