//! Interview notes as input, and the data-quality report.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{partnernet, read_csv, TestDataset};

const ORGS: &[u8] = "id,name,kind,country,wikidata,aliases\n\
    wm,Wikimedia Example,affiliate,SE,,WMEX\n\
    ug,Wikimedians of Elsewhere,affiliate,NO,,\n\
    mus,Example Museum,museum,SE,,The Museum of Examples\n\
    old,Old Archive,archive,SE,,\n\
    want,Wanted Library,library,SE,,\n\
    ref,Referred Gallery,gallery,SE,,\n\
    nat,Nationalmuseum,museum,SE,Q1,\n\
    nat2,National Museum,museum,SE,,\n\
    twin,Royal Armoury,museum,SE,Q77,\n\
    twin2,Livrustkammaren,archive,SE,Q77,\n"
    .as_bytes();

fn dataset(relations: &[u8], notes: &[(&str, &str)]) -> TestDataset {
    let ds = TestDataset::new(&[("organisations.csv", ORGS), ("relations.csv", relations)]);
    std::fs::create_dir_all(ds.data().join("notes")).unwrap();
    for (name, text) in notes {
        std::fs::write(ds.data().join("notes").join(name), text).unwrap();
    }
    ds
}

const MARKDOWN: &str = "---\naffiliate: wm\ndate: 2024-03-12\nid: iv-1\nneeds: [mass-upload]\n---\n\
# Do you work with content partnerships today?\nUpload days with [[Example Museum]] ([[File:Logo.png]] is not a mention).\n\
digitisation: [[mus]] advanced\n\
## Reflections and experiences from earlier collaborations\nWe used to work with [[old|the old archive]].\n\
## What are your desired content partnerships in the future?\n[[Wanted Library#Collections]] would be great. Wanted Library as plain text is not a mention.\n\
## Do you know of someone in your network who would be interested in this kind of collaboration too?\n- [[Referred Gallery]]\n\
## Do you collaborate with other chapters and affiliates, regionally and globally?\nYes, with [[Wikimedians of Elsewhere]].\n\
offers: training; Mass Upload\n";

const WIKITEXT: &str = "---\naffiliate: Wikimedians of Elsewhere\ndate: 2024-04-01\n---\n\
== Do you work with content partnerships today? ==\nWith [[mus|the museum]].\n\
=== Do you know of someone in your network who would be interested? ===\n* [[ref]] and [[Referred Gallery]]\n";

fn relations_of(out: &Path) -> BTreeMap<(String, String), String> {
    read_csv(&out.join("ties.csv"))
        .into_iter()
        .map(|r| {
            (
                (r["source"].clone(), r["target"].clone()),
                r["kinds"].clone(),
            )
        })
        .collect()
}

#[test]
fn every_mention_becomes_the_relation_its_heading_says() {
    let ds = dataset(
        b"source,target,kind\n",
        &[("one.md", MARKDOWN), ("two.wiki", WIKITEXT)],
    );
    ds.analyse().success();
    let ties = relations_of(&ds.out());
    let kind = |a: &str, b: &str| {
        ties.get(&(a.to_string(), b.to_string()))
            .or_else(|| ties.get(&(b.to_string(), a.to_string())))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(kind("mus", "wm"), "partner");
    assert_eq!(kind("old", "wm"), "past_partner");
    assert_eq!(kind("ref", "wm"), "referral");
    assert_eq!(kind("ug", "wm"), "collaborates");
    assert_eq!(kind("mus", "ug"), "partner");
    assert_eq!(kind("ref", "ug"), "referral");
    assert_eq!(kind("want", "wm"), "", "a wish is not a tie");
    assert_eq!(ties.len(), 6, "{ties:?}");

    let leads = read_csv(&ds.out().join("leads.csv"));
    let wanted = leads
        .iter()
        .find(|l| l["id"] == "want")
        .expect("the wish in the note is a lead");
    assert_eq!(wanted["desired_by"], "Wikimedia Example");
    let referred = leads
        .iter()
        .find(|l| l["id"] == "ref")
        .expect("the referral in the notes is a lead");
    // Named twice in the wikitext note (one referral: the same interview) and once in the Markdown note.
    assert_eq!(referred["referrals"], "2");
    assert!(
        leads.iter().all(|l| l["id"] != "mus"),
        "a partner is not a lead"
    );

    let opportunities = read_csv(&ds.out().join("opportunities.csv"));
    assert!(
        opportunities.iter().all(|o| o["kind"] != "needs-offers"),
        "wm offers mass-upload itself; nobody else does"
    );
    let clusters = read_csv(
        &ds.out()
            .join("network.graphml")
            .with_file_name("clusters.csv"),
    );
    assert!(clusters.iter().any(|c| c["id"] == "mus"));
    let graphml = std::fs::read_to_string(ds.out().join("network.graphml")).unwrap();
    assert!(
        graphml.contains("<data key=\"d7\">advanced</data>"),
        "the digitisation marker is read"
    );
}

#[test]
fn the_same_relation_from_a_note_and_the_csv_is_one_relation() {
    let csv = b"source,target,kind,interview\nwm,mus,partner,iv-1\nwm,mus,partner,iv-other\n";
    let ds = dataset(csv, &[("one.md", MARKDOWN)]);
    ds.analyse().success();
    let ties = read_csv(&ds.out().join("ties.csv"));
    let tie = ties
        .iter()
        .find(|t| {
            (t["source"].as_str(), t["target"].as_str()) == ("wm", "mus")
                || (t["source"].as_str(), t["target"].as_str()) == ("mus", "wm")
        })
        .unwrap();
    assert_eq!(
        tie["relations"], "2",
        "the note's iv-1 relation merges with the CSV's; iv-other stays apart"
    );
}

#[test]
fn an_unknown_heading_is_reported_and_its_mentions_are_contacts() {
    let note =
        "---\naffiliate: wm\n---\n## Fika and other rituals\nCoffee with [[Example Museum]].\n";
    let ds = dataset(b"source,target,kind\n", &[("n.md", note)]);
    let out = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes/n.md, line 5, column 'heading', value \"Fika and other rituals\""),
        "{err}"
    );
    ds.analyse().success();
    assert_eq!(
        relations_of(&ds.out()).values().next().map(String::as_str),
        Some("contact")
    );

    // partnernet.toml can teach it the heading.
    std::fs::write(
        ds.data().join("partnernet.toml"),
        "[notes]\nheadings = { \"fika\" = \"partner\" }\n",
    )
    .unwrap();
    ds.analyse().success();
    assert_eq!(
        relations_of(&ds.out()).values().next().map(String::as_str),
        Some("partner")
    );
}

#[test]
fn a_malformed_front_matter_is_an_error_naming_file_and_line() {
    let cases = [
        // The YAML reader notices the unclosed list where the block ends.
        (
            "bad.md",
            "---\naffiliate: wm\ndate: [2024\n---\n",
            "notes/bad.md, line 4: the front matter cannot be read",
        ),
        (
            "open.md",
            "---\naffiliate: wm\n",
            "notes/open.md, line 1: the front matter block is not closed",
        ),
        (
            "none.wiki",
            "== Heading ==\n[[mus]]\n",
            "notes/none.wiki, line 1: a note starts with a front matter block",
        ),
        (
            "who.md",
            "---\ndate: 2024-01-01\n---\n",
            "notes/who.md, line 1: the front matter names no affiliate",
        ),
        (
            "typo.md",
            "---\naffiliate: wm\nintervewer: Astrid\n---\n",
            "notes/typo.md, line 3",
        ),
    ];
    for (name, text, expected) in cases {
        let ds = dataset(b"source,target,kind\n", &[(name, text)]);
        let out = partnernet()
            .arg("validate")
            .arg(ds.data())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(expected),
            "{name}: expected {expected:?} in {err}"
        );
    }
}

#[test]
fn no_note_makes_the_program_panic() {
    let garbage: Vec<(&str, Vec<u8>)> = vec![
        ("empty.md", Vec::new()),
        ("dashes.md", b"---\n---\n---\n".to_vec()),
        ("binary.md", vec![0xff, 0xfe, 0x00, b'\n']),
        (
            "brackets.wiki",
            b"---\naffiliate: wm\n---\n[[[[]]]] [[|]] [[ ]] [[a|b|c]] ]]]] [[\n== = ==\n=\n"
                .to_vec(),
        ),
        (
            "yaml.md",
            b"---\naffiliate: [1, 2]\nneeds: {a: b}\n---\n".to_vec(),
        ),
        (
            "deep.md",
            format!("---\naffiliate: wm\n---\n{}\n", "#".repeat(10_000)).into_bytes(),
        ),
        (
            "unicode.md",
            "---\naffiliate: wm\n---\n# İstanbul Ǆ ﬀ\nNEEDS: x\nİ needs: y\n[[🦀]]\n"
                .as_bytes()
                .to_vec(),
        ),
    ];
    for (name, bytes) in garbage {
        let ds = dataset(b"source,target,kind\n", &[]);
        std::fs::write(ds.data().join("notes").join(name), &bytes).unwrap();
        let out = partnernet()
            .arg("analyse")
            .arg(ds.data())
            .arg("--out")
            .arg(ds.out())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            matches!(out.status.code(), Some(0) | Some(2)),
            "{name}: {err}"
        );
    }
}

#[test]
fn the_data_quality_report_finds_near_duplicates_and_gaps() {
    let ds = dataset(b"source,target,kind\nwm,Example Musuem,partner\n", &[]);
    ds.analyse().success();
    let report = std::fs::read_to_string(ds.out().join("data-quality.md")).unwrap();
    assert!(
        report.contains("| Example Musuem | 1 | relations.csv:2 | Example Museum"),
        "{report}"
    );
    assert!(report.contains("| Nationalmuseum (nat) | National Museum (nat2) | the same name but for case, accents, spaces or punctuation | museum |"), "{report}");
    assert!(report.contains("the same Wikidata item Q77"), "{report}");
    assert!(
        report.contains("Royal Armoury is a museum as twin and a archive as twin2")
            || report.contains("Livrustkammaren"),
        "{report}"
    );
    assert!(
        report.contains("- Old Archive (archive, organisations.csv:5)"),
        "{report}"
    );
}

#[test]
fn init_writes_a_note_template_that_follows_the_questionnaire() {
    let dir = tempfile::tempdir().unwrap();
    partnernet()
        .arg("init")
        .arg(dir.path().join("new"))
        .assert()
        .success();
    let template = std::fs::read_to_string(dir.path().join("new/notes/TEMPLATE.md.txt")).unwrap();
    for heading in [
        "Do you work with content partnerships today?",
        "What are your desired content partnerships in the future?",
        "Do you know of someone in your network who would be interested",
    ] {
        assert!(template.contains(heading), "{heading}");
    }
    // Copied to a .md name, the template is a valid note.
    std::fs::write(dir.path().join("new/organisations.csv"), "id,name,kind\nwm-example,Wikimedia Example,affiliate\nExample Museum,Example Museum,museum\n").unwrap();
    std::fs::copy(
        dir.path().join("new/notes/TEMPLATE.md.txt"),
        dir.path().join("new/notes/first.md"),
    )
    .unwrap();
    partnernet()
        .arg("validate")
        .arg(dir.path().join("new"))
        .assert()
        .success();
}

#[test]
fn the_sample_reads_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    partnernet()
        .current_dir(dir.path())
        .arg("analyse")
        .assert()
        .success();
    let graphml = std::fs::read_to_string(dir.path().join("output/network.graphml")).unwrap();
    assert!(graphml.contains("Wikimedia Norrvala"));
    let quality = std::fs::read_to_string(dir.path().join("output/data-quality.md")).unwrap();
    assert!(quality.contains("Holmvika stadsmuseet"));
}

#[test]
fn a_problem_with_the_affiliate_or_the_date_names_the_line_that_sets_it() {
    let orgs = "id,name,kind,country\nwm-se,Wikimedia Sverige,affiliate,SE\nWM-SE,WMSE Copy,affiliate,SE\nmus,Example Museum,museum,SE\n";
    let ds = TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", b"source,target,kind\n"),
    ]);
    std::fs::create_dir_all(ds.data().join("notes")).unwrap();
    std::fs::write(
        ds.data().join("notes/iv.md"),
        "---\nid: iv-1\ndate: sometime\naffiliate: Wm-Se\n---\n## Ongoing partners\n[[mus]]\n",
    )
    .unwrap();
    std::fs::write(
        ds.data().join("notes/iv2.md"),
        "---\nid: iv-2\naffiliate: wm-se\n\ndate: sometime\n---\n## Ongoing partners\n[[mus]]\n",
    )
    .unwrap();
    let (code, err) = ds.validate();
    assert_eq!(code, Some(2));
    assert!(
        err.contains("iv.md, line 4, column 'affiliate', value \"Wm-Se\""),
        "{err}"
    );
    assert!(
        err.contains("iv2.md, line 5, column 'date', value \"sometime\""),
        "{err}"
    );
    std::fs::write(
        ds.data().join("notes/iv.md"),
        "---\nid: iv-1\naffiliate:\n---\n## Ongoing partners\n[[mus]]\n",
    )
    .unwrap();
    let (_, err) = ds.validate();
    assert!(
        err.contains("iv.md, line 3: the front matter names no affiliate"),
        "{err}"
    );
}

#[test]
fn a_notes_that_is_no_folder_is_said_and_many_other_files_are_counted() {
    let ds = dataset(b"source,target,kind\n", &[]);
    let notes = ds.data().join("notes");
    // A warning, not an error: the dataset is still read.
    let said = || {
        let (code, err) = ds.validate();
        assert_eq!(code, Some(0), "{err}");
        err
    };
    std::fs::remove_dir(&notes).unwrap();
    std::fs::write(&notes, "not a folder").unwrap();
    let err = said();
    assert!(
        err.contains("notes: no note was read: it is not a folder"),
        "{err}"
    );
    std::fs::remove_file(&notes).unwrap();
    std::os::unix::fs::symlink(ds.data().join("gone"), &notes).unwrap();
    let err = said();
    assert!(
        err.contains("notes: no note was read: it is a link to nothing"),
        "{err}"
    );

    std::fs::remove_file(&notes).unwrap();
    std::fs::create_dir(&notes).unwrap();
    for i in 0..500 {
        std::fs::write(ds.data().join(format!("notes/scan-{i:03}.jpg")), "").unwrap();
    }
    let err = said();
    let line = err.lines().find(|l| l.contains("not read:")).unwrap();
    assert!(
        line.contains("scan-000.jpg") && line.contains("and 480 more") && line.len() < 1000,
        "{line}"
    );
}
