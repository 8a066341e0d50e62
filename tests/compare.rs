//! `partnernet compare OLD NEW` and `analyse --since`, on pairs of datasets
//! built for the purpose.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{partnernet, read_csv, snapshot};

const ORG_HEADER: &str = "id,name,kind,country,region,wikidata,aliases,digitisation\n";
const REL_HEADER: &str = "source,target,kind,date,interview,weight,note\n";

/// Two datasets, OLD and NEW, in one temporary folder, and an output folder
/// beside them.
struct Pair {
    dir: tempfile::TempDir,
}

impl Pair {
    fn new(old: (&str, &str), new: (&str, &str)) -> Pair {
        let dir = tempfile::tempdir().unwrap();
        for (name, (orgs, rels)) in [("old", old), ("new", new)] {
            let d = dir.path().join(name);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("organisations.csv"), format!("{ORG_HEADER}{orgs}")).unwrap();
            std::fs::write(d.join("relations.csv"), format!("{REL_HEADER}{rels}")).unwrap();
        }
        Pair { dir }
    }

    fn old(&self) -> PathBuf {
        self.dir.path().join("old")
    }

    fn new_dir(&self) -> PathBuf {
        self.dir.path().join("new")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("changes")
    }

    /// Runs `compare` (it must succeed) and returns changes.csv's rows.
    fn compare(&self) -> Vec<BTreeMap<String, String>> {
        partnernet()
            .arg("compare")
            .arg(self.old())
            .arg(self.new_dir())
            .arg("--out")
            .arg(self.out())
            .assert()
            .success();
        read_csv(&self.out().join("changes.csv"))
    }

    fn markdown(&self) -> String {
        std::fs::read_to_string(self.out().join("changes.md")).unwrap()
    }
}

/// The rows of one kind of change.
fn of<'a>(rows: &'a [BTreeMap<String, String>], change: &str) -> Vec<&'a BTreeMap<String, String>> {
    rows.iter().filter(|r| r["change"] == change).collect()
}

const SMALL_ORGS: &str = "wm-a,Wikimedia Alpha,affiliate,SE,,,,\n\
wm-b,Wikimedia Beta,affiliate,KE,,,,\n\
mus-1,Museum One,museum,SE,,,,\n\
lib-1,Library One,library,KE,,,,\n\
arc-1,Archive One,archive,SE,,,,started\n";

#[test]
fn a_lead_that_became_a_partner_and_a_partnership_that_lapsed() {
    let pair = Pair::new(
        (
            SMALL_ORGS,
            "wm-a,mus-1,partner,2023-01-01,,,\n\
             wm-b,lib-1,partner,2023-01-01,,,\n\
             wm-a,arc-1,referral,2023-02-01,,,\n\
             wm-a,wm-b,collaborates,2023-01-01,,,\n",
        ),
        (
            SMALL_ORGS,
            "wm-a,mus-1,past_partner,2024-03-01,,,funding ended\n\
             wm-b,lib-1,partner,2023-01-01,,,\n\
             wm-a,arc-1,partner,2024-02-01,,,\n\
             wm-a,wm-b,collaborates,2023-01-01,,,\n",
        ),
    );
    let rows = pair.compare();
    let won = of(&rows, "lead won");
    assert_eq!(won.len(), 1, "{rows:?}");
    assert_eq!(won[0]["organisation"], "Archive One");
    assert_eq!(won[0]["other"], "Wikimedia Alpha");
    assert_eq!(won[0]["new"], "partner");
    let ended = of(&rows, "partnership ended");
    assert_eq!(ended.len(), 1, "{rows:?}");
    assert_eq!(ended[0]["organisation"], "Museum One");
    assert_eq!(ended[0]["other"], "Wikimedia Alpha");
    assert_eq!(
        (ended[0]["old"].as_str(), ended[0]["new"].as_str()),
        ("partner", "past partner")
    );
    let begun = of(&rows, "partnership begun");
    assert_eq!(begun.len(), 1);
    assert_eq!(begun[0]["organisation"], "Archive One");
    // The most important first: the partnership begun before the one ended,
    // both before the lead won.
    let order: Vec<&str> = rows.iter().map(|r| r["change"].as_str()).collect();
    let at = |c: &str| order.iter().position(|o| *o == c).unwrap();
    assert!(at("partnership begun") < at("partnership ended"));
    assert!(at("partnership ended") < at("lead won"));
    let md = pair.markdown();
    assert!(md.contains("## Leads won"), "{md}");
    assert!(md.contains("| Archive One | Wikimedia Alpha |"), "{md}");
    assert!(md.contains("## Partnerships ended"), "{md}");
    assert!(
        md.contains("| Partnerships begun |") || md.contains("- Partnerships begun: 1"),
        "{md}"
    );
}

/// Two groups of five, each an affiliate with four institutions; `wm-c`
/// works with the first group.
fn two_groups() -> (String, String) {
    let mut orgs = String::from("wm-c,Wikimedians of Gamma,affiliate,NO,,,,\n");
    let mut rels =
        String::from("wm-c,wm-a,collaborates,2023-01-01,,,\nwm-c,a1,partner,2023-01-01,,,\n");
    for (g, country) in [("a", "SE"), ("b", "KE")] {
        orgs.push_str(&format!("wm-{g},Wikimedia {g},affiliate,{country},,,,\n"));
        for i in 1..=4 {
            orgs.push_str(&format!("{g}{i},Museum {g}{i},museum,{country},,,,\n"));
            rels.push_str(&format!("wm-{g},{g}{i},partner,2023-01-01,,,\n"));
        }
        rels.push_str(&format!(
            "{g}1,{g}2,contact,2023-01-01,,,\n{g}3,{g}4,contact,2023-01-01,,,\n"
        ));
    }
    (orgs, rels)
}

#[test]
fn an_affiliate_that_joined_two_clusters_together() {
    let (orgs, rels) = two_groups();
    let joined = format!("{rels}wm-c,wm-b,collaborates,2024-05-01,,,\n");
    let pair = Pair::new((&orgs, &rels), (&orgs, &joined));
    let rows = pair.compare();
    let connected = of(&rows, "group connected");
    assert_eq!(connected.len(), 1, "{rows:?}");
    let names = [
        connected[0]["organisation"].as_str(),
        connected[0]["other"].as_str(),
    ];
    assert!(names.contains(&"Wikimedians of Gamma"), "{names:?}");
    assert!(names.contains(&"Wikimedia b"), "{names:?}");
    assert_eq!(connected[0]["old"], "a separate group of 5");
    assert_eq!(connected[0]["new"], "connected to a group of 6");
    let begun = of(&rows, "collaboration begun");
    assert_eq!(begun.len(), 1);
    let md = pair.markdown();
    assert!(md.contains("## Groups newly connected to the rest"), "{md}");
    assert!(
        md.contains("| Separate groups (components) | 2 | 1 | -1 |"),
        "{md}"
    );
}

#[test]
fn a_cluster_that_split() {
    // Eight organisations all tied to each other: one cluster. Then only
    // the two halves' ties are left: two clusters, each more than half from
    // the old one.
    let half = |g: &str, c: &str| -> Vec<(String, String)> {
        (1..=4)
            .map(|i| {
                (
                    format!("{g}{i}"),
                    format!(
                        "{g}{i},Org {g}{i},{},{c},,,,\n",
                        if i == 1 { "affiliate" } else { "library" }
                    ),
                )
            })
            .collect()
    };
    let members: Vec<(String, String)> =
        half("a", "SE").into_iter().chain(half("b", "KE")).collect();
    let orgs: String = members.iter().map(|m| m.1.as_str()).collect();
    let mut all = String::new();
    let mut halves = String::new();
    for (i, a) in members.iter().enumerate() {
        for b in &members[i + 1..] {
            let row = format!("{},{},contact,2023-01-01,,,\n", a.0, b.0);
            if a.0[..1] == b.0[..1] {
                halves.push_str(&row);
            }
            all.push_str(&row);
        }
    }
    let pair = Pair::new((&orgs, &all), (&orgs, &halves));
    let rows = pair.compare();
    let split = of(&rows, "cluster split");
    assert_eq!(split.len(), 1, "{rows:?}");
    assert_eq!(split[0]["old"], "1 cluster of 8");
    assert_eq!(split[0]["new"], "2 clusters");
    assert!(of(&rows, "cluster appeared").is_empty(), "{rows:?}");
    assert_eq!(of(&rows, "group cut off").len(), 1, "{rows:?}");
    let md = pair.markdown();
    assert!(md.contains("## Clusters split"), "{md}");
    assert!(md.contains("| Clusters | 1 | 2 | +1 |"), "{md}");
}

#[test]
fn a_renamed_organisation_with_the_same_wikidata_item_is_matched_and_listed() {
    let old_orgs = "wm-a,Wikimedia Alpha,affiliate,SE,,,,\n\
                    stads-museum,Stadsmuseet i Norrby,museum,SE,,Q4242,,\n";
    let new_orgs = "wm-a,Wikimedia Alpha,affiliate,SE,,,,\n\
                    norrby-city-museum,Norrby City Museum,museum,SE,,Q4242,,\n";
    let pair = Pair::new(
        (old_orgs, "wm-a,stads-museum,partner,2023-01-01,,,\n"),
        (new_orgs, "wm-a,norrby-city-museum,partner,2023-01-01,,,\n"),
    );
    let rows = pair.compare();
    let matched = of(&rows, "matched by Wikidata item");
    assert_eq!(matched.len(), 1, "{rows:?}");
    assert_eq!(matched[0]["organisation"], "Norrby City Museum");
    assert_eq!(matched[0]["other"], "Stadsmuseet i Norrby");
    assert!(matched[0]["reason"].contains("Q4242"));
    // The same organisation: not new, not gone, the partnership unchanged.
    assert!(of(&rows, "organisation new").is_empty(), "{rows:?}");
    assert!(of(&rows, "organisation gone").is_empty(), "{rows:?}");
    assert!(of(&rows, "partnership begun").is_empty(), "{rows:?}");
    assert!(of(&rows, "partnership ended").is_empty(), "{rows:?}");
    let md = pair.markdown();
    assert!(md.contains("please check"), "{md}");
    assert!(md.contains("Norrby City Museum"), "{md}");
}

#[test]
fn an_organisation_matched_by_its_name_is_listed() {
    let pair = Pair::new(
        (
            "wm-a,Wikimedia Alpha,affiliate,SE,,,,\nmus,Musée d'Ébène,museum,FR,,,,\n",
            "wm-a,mus,partner,2023-01-01,,,\n",
        ),
        (
            "wm-a,Wikimedia Alpha,affiliate,SE,,,,\nmusee-ebene,Musee d'Ebene,museum,FR,,,,\n",
            "wm-a,musee-ebene,partner,2023-01-01,,,\n",
        ),
    );
    let rows = pair.compare();
    assert_eq!(of(&rows, "matched by name").len(), 1, "{rows:?}");
    assert_eq!(rows.len(), 1, "{rows:?}");
}

fn sample() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample"))
}

fn sample_2023() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample-2023"))
}

#[test]
fn identical_snapshots_say_nothing_changed_in_one_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("changes");
    partnernet()
        .arg("compare")
        .arg(sample())
        .arg(sample())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let md = std::fs::read_to_string(out.join("changes.md")).unwrap();
    let body: Vec<&str> = md
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(body.len(), 1, "{md}");
    assert!(body[0].starts_with("Nothing changed between"), "{md}");
    assert_eq!(body[0].matches(". ").count(), 0, "one sentence: {md}");
    assert!(read_csv(&out.join("changes.csv")).is_empty());
}

/// Runs compare of the sample's 2023 snapshot with the sample into `out`
/// with `threads` threads.
fn compare_sample(out: &Path, threads: &str) {
    partnernet()
        .env("RAYON_NUM_THREADS", threads)
        .arg("compare")
        .arg(sample_2023())
        .arg(sample())
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn the_sample_against_its_2023_snapshot_same_bytes_and_nothing_written_into_either() {
    let before = (snapshot(&sample()), snapshot(&sample_2023()));
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    compare_sample(&one, "1");
    compare_sample(&two, "2");
    assert_eq!(snapshot(&one), snapshot(&two));
    assert_eq!(before, (snapshot(&sample()), snapshot(&sample_2023())));
    let rows = read_csv(&one.join("changes.csv"));
    // What the snapshot was made to show (data/make_sample.py --earlier).
    assert_eq!(of(&rows, "partnership ended").len(), 5, "{rows:?}");
    assert!(!of(&rows, "lead won").is_empty());
    let renamed = of(&rows, "matched by Wikidata item");
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0]["other"], "Tervalen Etnografisch Museum");
    assert!(!of(&rows, "organisation new").is_empty());
}

#[test]
fn bad_input_in_either_dataset_gets_the_errors_of_analyse_naming_the_dataset() {
    let (orgs, rels) = (SMALL_ORGS, "wm-a,mus-1,partnr,2023-01-01,,,\n");
    let good = "wm-a,mus-1,partner,2023-01-01,,,\n";
    for (which, old, new) in [("OLD", rels, good), ("NEW", good, rels)] {
        let pair = Pair::new((orgs, old), (orgs, new));
        let bad = if which == "OLD" {
            pair.old()
        } else {
            pair.new_dir()
        };
        let analysed = partnernet()
            .arg("analyse")
            .arg(&bad)
            .arg("--out")
            .arg(pair.dir.path().join("analysed"))
            .assert()
            .code(2);
        let analyse_errors: Vec<String> = String::from_utf8_lossy(&analysed.get_output().stderr)
            .lines()
            .filter(|l| l.starts_with("error:"))
            .map(String::from)
            .collect();
        assert!(!analyse_errors.is_empty());
        let compared = partnernet()
            .arg("compare")
            .arg(pair.old())
            .arg(pair.new_dir())
            .arg("--out")
            .arg(pair.out())
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&compared.get_output().stderr).to_string();
        assert!(
            stderr.contains(&format!("Errors in the {which} dataset")),
            "{stderr}"
        );
        for e in &analyse_errors {
            assert!(stderr.contains(e.as_str()), "{e} missing from {stderr}");
        }
        assert!(!pair.out().exists());
    }
    // A folder that does not exist is named too.
    let pair = Pair::new((SMALL_ORGS, ""), (SMALL_ORGS, ""));
    let missing = partnernet()
        .arg("compare")
        .arg(pair.dir.path().join("nowhere"))
        .arg(pair.new_dir())
        .arg("--out")
        .arg(pair.out())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&missing.get_output().stderr).to_string();
    assert!(stderr.contains("the OLD dataset"), "{stderr}");
}

#[test]
fn the_output_folder_may_not_be_inside_either_dataset() {
    let pair = Pair::new((SMALL_ORGS, ""), (SMALL_ORGS, ""));
    for inside in [pair.old().join("changes"), pair.new_dir().join("changes")] {
        let before = (snapshot(&pair.old()), snapshot(&pair.new_dir()));
        partnernet()
            .arg("compare")
            .arg(pair.old())
            .arg(pair.new_dir())
            .arg("--out")
            .arg(&inside)
            .assert()
            .code(1)
            .stderr(predicates::str::contains("never writes into a dataset"));
        assert_eq!(before, (snapshot(&pair.old()), snapshot(&pair.new_dir())));
    }
}

#[test]
fn analyse_since_writes_what_changed_since_the_date() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    partnernet()
        .arg("analyse")
        .arg(sample())
        .arg("--out")
        .arg(&out)
        .args(["--since", "2024-01-01", "--exports", "none"])
        .assert()
        .success();
    let rows = read_csv(&out.join("changes.csv"));
    let begun = of(&rows, "partnership begun");
    assert!(!begun.is_empty(), "{rows:?}");
    assert!(
        begun.iter().all(|r| r["reason"].contains("2024-")),
        "{begun:?}"
    );
    // Every relation of 2024 is after the date: a past partnership recorded
    // in 2024 with no earlier row is new, not ended.
    assert!(of(&rows, "organisation gone").is_empty(), "{rows:?}");
    assert!(!of(&rows, "organisation new").is_empty(), "{rows:?}");
    let md = std::fs::read_to_string(out.join("changes.md")).unwrap();
    assert!(md.contains("the data recorded before 2024-01-01"), "{md}");
    // report.html has the changes as a section of its own.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<section id=\"changes-section\">"));
    assert!(html.contains(&format!("<h3>Partnerships begun ({})</h3>", begun.len())));
    // Without --since, no changes are written.
    let plain = tmp.path().join("plain");
    partnernet()
        .arg("analyse")
        .arg(sample())
        .arg("--out")
        .arg(&plain)
        .args(["--exports", "none"])
        .assert()
        .success();
    assert!(!plain.join("changes.md").exists());
    let html = std::fs::read_to_string(plain.join("report.html")).unwrap();
    assert!(!html.contains("changes-section"));
    // A date that cannot be read.
    partnernet()
        .arg("analyse")
        .arg(sample())
        .arg("--out")
        .arg(tmp.path().join("never"))
        .args(["--since", "1/1/2024"])
        .assert()
        .code(64)
        .stderr(predicates::str::contains("such as 2024-01-01"));
}

#[test]
fn since_a_date_before_everything_everything_is_new() {
    let pair = Pair::new(
        (
            SMALL_ORGS,
            "wm-a,mus-1,partner,2023-01-01,,,\nwm-b,lib-1,partner,,,,\n",
        ),
        (SMALL_ORGS, ""),
    );
    let out = pair.dir.path().join("out");
    partnernet()
        .arg("analyse")
        .arg(pair.old())
        .arg("--out")
        .arg(&out)
        .args(["--since", "2020-01-01", "--format", "svg"])
        .assert()
        .success();
    let rows = read_csv(&out.join("changes.csv"));
    // The dated partnership is new; the undated one counts as known before.
    let begun = of(&rows, "partnership begun");
    assert_eq!(begun.len(), 1, "{rows:?}");
    assert_eq!(begun[0]["organisation"], "Museum One");
}
