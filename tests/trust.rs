//! Results that hold up: the cases in `../shared/cases/trust/` and other
//! members of their kinds. Each test runs the binary as a user would and
//! checks what a staff member reads.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{partnernet, read_csv, TestDataset};

/// A case folder in `../shared/cases/trust/`.
fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/cases/trust")
        .join(name)
        .join("dataset")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of a case's dataset in a temporary folder (the shared folder is
/// read-only, and some tests change the data).
fn copy_case(name: &str) -> TestDataset {
    let ds = TestDataset::new(&[]);
    copy_dir(&case(name), &ds.data());
    ds
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Every file below `dir` (recursively) with its text.
fn texts(dir: &Path) -> Vec<(PathBuf, String)> {
    if !dir.exists() {
        return Vec::new();
    }
    common::snapshot(dir)
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

fn replace_in(ds: &TestDataset, file: &str, from: &str, to: &str) {
    let path = ds.data().join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file} holds {from:?}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

// ---------------------------------------------------------------------------
// Unresolved names are not leads.

/// `wished`: those of `misspelt` named only in `desired` relations.
fn assert_unknown_names_are_names_to_fix(ds: &TestDataset, misspelt: &[&str], wished: &[&str]) {
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let out = ds.out();
    let clusters = read_csv(&out.join("clusters.csv"));
    let unknown: BTreeSet<String> = clusters
        .iter()
        .filter(|r| r["kind"] == "unknown")
        .map(|r| r["name"].clone())
        .collect();
    for name in misspelt {
        assert!(unknown.contains(*name), "{name} is analysed as unknown");
    }
    // Its ties stay in the network (wishes are not ties).
    let ties = read_csv(&out.join("ties.csv"));
    for name in misspelt.iter().filter(|n| !wished.contains(n)) {
        assert!(
            ties.iter()
                .any(|t| t["source_name"] == *name || t["target_name"] == *name),
            "{name}'s tie is kept"
        );
    }
    // Never a lead, in any list.
    let leads = read_csv(&out.join("leads.csv"));
    assert!(leads.iter().all(|l| l["kind"] != "unknown"));
    for (path, text) in texts(&out.join("leads")) {
        for name in misspelt {
            assert!(!text.contains(name), "{name} is in {}", path.display());
        }
    }
    let leads_md = read(&out.join("leads.md"));
    for name in misspelt {
        assert!(!leads_md.contains(name), "{name} is in leads.md");
    }
    // Never named in a cluster label.
    for r in &clusters {
        for name in misspelt {
            assert!(!r["cluster_label"].contains(name), "{name} names a cluster");
        }
    }
    for r in read_csv(&out.join("cluster-summary.csv")) {
        for name in misspelt {
            assert!(!r["label"].contains(name), "{name} names a cluster");
        }
    }
    // Listed first in data-quality.md and in the summary, with the closest names.
    let dq = read(&out.join("data-quality.md"));
    let first_section = dq.split("\n## ").nth(1).unwrap();
    assert!(first_section.starts_with("Names to fix"), "{dq}");
    for name in misspelt {
        assert!(first_section.contains(name), "{name} is a name to fix");
    }
    let summary = read(&out.join("summary.md"));
    let fix = summary
        .find("## Names to fix")
        .expect("the summary lists names to fix");
    assert!(fix < summary.find("## Organisations by kind").unwrap());
    for name in misspelt {
        assert!(summary[fix..].contains(name));
    }
    // Drawn unlike a real organisation.
    let dot = read(&out.join("diagrams/network.dot"));
    for name in misspelt {
        let line = dot
            .lines()
            .find(|l| l.contains(&format!("tooltip=\"{name} (a name")))
            .unwrap_or_else(|| panic!("{name} is drawn: {dot}"));
        assert!(
            line.contains("shape=\"note\"") && line.contains("style=\"dotted\""),
            "{line}"
        );
    }
}

#[test]
fn misspelt_referrals_are_names_to_fix_not_leads() {
    let ds = copy_case("misspelt-referrals");
    assert_unknown_names_are_names_to_fix(
        &ds,
        &[
            "Ostra Konsthall",
            "Médiathèque Zoller",
            "Mediateque Emile Zöller",
        ],
        &[],
    );
    let summary = read(&ds.out().join("summary.md"));
    let fix = summary.find("## Names to fix").unwrap();
    assert!(
        summary[fix..].contains("Östra Konsthallen"),
        "the closest name is given"
    );
    // The real institutions are still leads; the one referred under its
    // right name only once keeps its place.
    let leads = read_csv(&ds.out().join("leads.csv"));
    let names: Vec<&str> = leads.iter().map(|l| l["name"].as_str()).collect();
    assert!(names.contains(&"Östra Konsthallen"), "{names:?}");
}

#[test]
fn an_unknown_institution_that_a_hub_wants_is_not_a_lead_either() {
    // Another member of the kind: a wish (not a referral) for a misspelt
    // name, and a misspelt partner in a region-less part of the network.
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            "id,name,kind,country\n\
             wm-a,Wikimedia Alpha,affiliate,KE\n\
             wm-b,Wikimedia Beta,affiliate,KE\n\
             hub,Regional Hub,hub,\n\
             mus,Nairobi Art Museum,museum,KE\n\
             lib,Mombasa Library,library,KE\n"
                .as_bytes(),
        ),
        (
            "relations.csv",
            "source,target,kind\n\
             wm-a,wm-b,collaborates\n\
             hub,wm-a,member\n\
             hub,wm-b,member\n\
             wm-a,lib,partner\n\
             wm-b,Nairobbi Art Musem,desired\n\
             wm-a,Nairobi Arts Musuem,referral\n\
             hub,Kenya Natinal Archives,referral\n"
                .as_bytes(),
        ),
    ]);
    assert_unknown_names_are_names_to_fix(
        &ds,
        &[
            "Nairobbi Art Musem",
            "Nairobi Arts Musuem",
            "Kenya Natinal Archives",
        ],
        &["Nairobbi Art Musem"],
    );
}

// ---------------------------------------------------------------------------
// Signed partners leave the list.

#[test]
fn a_signed_partner_leaves_every_lead_list_and_is_counted_as_won() {
    let ds = copy_case("signed-partner-still-a-lead");
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let out = ds.out();
    let leads = read_csv(&out.join("leads.csv"));
    assert!(
        leads.iter().all(|l| l["name"] != "Östra Konsthallen"),
        "{leads:?}"
    );
    assert!(!read(&out.join("leads.md")).contains("Östra Konsthallen"));
    for (path, text) in texts(&out.join("leads")) {
        assert!(!text.contains("Östra Konsthallen"), "{}", path.display());
    }
    let summary = read(&out.join("summary.md"));
    assert!(
        summary.contains("1 lead became a partner") && summary.contains("Östra Konsthallen"),
        "{summary}"
    );
    let shown = partnernet()
        .args(["leads"])
        .arg(ds.data())
        .output()
        .unwrap();
    assert!(shown.status.success());
    assert!(!String::from_utf8_lossy(&shown.stdout).contains("Östra Konsthallen"));
}

#[test]
fn leads_in_talks_and_contacted_stay_with_status_and_owner_and_several_partners_are_counted() {
    let ds = copy_case("signed-partner-still-a-lead");
    std::fs::write(
        ds.data().join("lead-status.csv"),
        "id,status,owner,updated,note\n\
         Östra Konsthallen,partner,Karin,2024-06-01,agreement signed\n\
         mediatheque-zoller,in_talks,Ahmed,2024-06-02,\n\
         Ålviks stadsmuseum,partner,Karin,2024-06-03,\n",
    )
    .unwrap();
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let leads = read_csv(&ds.out().join("leads.csv"));
    let names: Vec<&str> = leads.iter().map(|l| l["name"].as_str()).collect();
    assert_eq!(names, ["Médiathèque Émile Zöller"]);
    assert_eq!(leads[0]["status"], "in_talks");
    assert_eq!(leads[0]["owner"], "Ahmed");
    let summary = read(&ds.out().join("summary.md"));
    assert!(summary.contains("2 leads became partners"), "{summary}");
}

// ---------------------------------------------------------------------------
// The best introducer is chosen on substance.

fn introducers(ds: &TestDataset) -> BTreeMap<String, (String, String)> {
    ds.analyse_with(&["--exports", "none"]).assert().success();
    read_csv(&ds.out().join("leads.csv"))
        .into_iter()
        .map(|l| {
            (
                l["id"].clone(),
                (l["best_introducer"].clone(), l["other_introducer"].clone()),
            )
        })
        .collect()
}

/// The names in `introducers` replaced by ids, through organisations.csv.
fn by_id(
    ds: &TestDataset,
    chosen: &BTreeMap<String, (String, String)>,
) -> BTreeMap<String, (String, String)> {
    let orgs = read_csv(&ds.data().join("organisations.csv"));
    let id = |name: &String| {
        orgs.iter()
            .find(|o| &o["name"] == name)
            .map(|o| o["id"].clone())
            .unwrap_or_default()
    };
    chosen
        .iter()
        .map(|(k, (a, b))| (k.clone(), (id(a), id(b))))
        .collect()
}

#[test]
fn the_introducer_that_referred_the_lead_in_its_own_country_wins_whatever_the_names() {
    let ds = copy_case("introducer-by-name");
    let chosen = introducers(&ds);
    assert_eq!(
        chosen["mediatheque-zoller"],
        (
            "Wikimédiens du Lac-Rouge".to_string(),
            "Wikimedia Sjöland".to_string()
        )
    );
    let first = by_id(&ds, &chosen);
    // The case's renaming, and the French group renamed to the end of the
    // alphabet as well.
    replace_in(
        &ds,
        "organisations.csv",
        "Wikimedia Sjöland,",
        "Zikimedia Sjöland,",
    );
    assert_eq!(first, by_id(&ds, &introducers(&ds)));
    replace_in(
        &ds,
        "organisations.csv",
        "Wikimédiens du Lac-Rouge,",
        "Zzz Lac-Rouge,",
    );
    assert_eq!(first, by_id(&ds, &introducers(&ds)));
    // `partnernet leads --top 1` says the same.
    let shown = partnernet()
        .args(["leads", "--top", "1"])
        .arg(ds.data())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Zzz Lac-Rouge"));
}

#[test]
fn renaming_every_organisation_changes_no_introducer() {
    // Every organisation renamed in reverse alphabetical order.
    let ds = copy_case("introducer-by-name");
    let first = by_id(&ds, &introducers(&ds));
    let path = ds.data().join("organisations.csv");
    let mut lines: Vec<String> = read(&path).lines().map(str::to_string).collect();
    let n = lines.len();
    for (k, line) in lines.iter_mut().enumerate().skip(1) {
        let mut cells: Vec<&str> = line.split(',').collect();
        let name = format!("{:02} renamed", n - k);
        cells[1] = &name;
        cells[6] = "";
        *line = cells.join(",");
    }
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    assert_eq!(first, by_id(&ds, &introducers(&ds)));
}

#[test]
fn an_introducer_in_the_leads_region_beats_one_elsewhere_and_a_stronger_tie_beats_a_weaker() {
    // Two small groups (not clustered, so the cluster does not decide).
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            "id,name,kind,country\n\
             a-ke,Aaa Kenya,affiliate,KE\n\
             z-tz,Zzz Tanzania,affiliate,TZ\n\
             a-br,Aaa Brazil,affiliate,BR\n\
             z-ar,Zzz Argentina,affiliate,AR\n\
             lead,Kampala Museum,museum,UG\n\
             lead2,Tokyo Archive,archive,JP\n"
                .as_bytes(),
        ),
        (
            "relations.csv",
            "source,target,kind,weight\n\
             a-ke,lead,referral,1\n\
             z-tz,lead,referral,1\n\
             a-br,lead2,referral,1\n\
             z-ar,lead2,referral,3\n"
                .as_bytes(),
        ),
    ]);
    let chosen = introducers(&ds);
    // KE and TZ are both Eastern Africa, as UG is: the region does not
    // decide, and neither does the name; both referred it once with the
    // same weight, so the id decides (a-ke before z-tz).
    assert_eq!(chosen["lead"].0, "Aaa Kenya");
    assert_eq!(
        chosen["lead2"],
        ("Zzz Argentina".into(), "Aaa Brazil".into())
    );
    // Move Tanzania's affiliate to Uganda: the same country wins.
    replace_in(
        &ds,
        "organisations.csv",
        "z-tz,Zzz Tanzania,affiliate,TZ",
        "z-tz,Zzz Tanzania,affiliate,UG",
    );
    assert_eq!(
        introducers(&ds)["lead"],
        ("Zzz Tanzania".into(), "Aaa Kenya".into())
    );
}

// ---------------------------------------------------------------------------
// The best partition, shaky clusters.

/// The modularity (resolution 1) of `clusters.csv`'s partition on the
/// fixture's ties, computed here from the files (organisations in no cluster
/// are each their own group).
fn modularity_of(out: &Path) -> f64 {
    let ties = read_csv(&out.join("ties.csv"));
    let clusters = read_csv(&out.join("clusters.csv"));
    let group: BTreeMap<String, String> = clusters
        .iter()
        .map(|r| {
            let g = if r["cluster"].is_empty() {
                format!("alone {}", r["id"])
            } else {
                r["cluster"].clone()
            };
            (r["id"].clone(), g)
        })
        .collect();
    let m: f64 = ties
        .iter()
        .map(|t| t["weight"].parse::<f64>().unwrap())
        .sum();
    let mut inside: BTreeMap<&str, f64> = BTreeMap::new();
    let mut degree: BTreeMap<&str, f64> = BTreeMap::new();
    for t in &ties {
        let w: f64 = t["weight"].parse().unwrap();
        let (a, b) = (&group[&t["source"]], &group[&t["target"]]);
        if a == b {
            *inside.entry(a).or_default() += w;
        }
        *degree.entry(a).or_default() += w;
        *degree.entry(b).or_default() += w;
    }
    degree
        .iter()
        .map(|(g, k)| inside.get(g).copied().unwrap_or(0.0) / m - (k / (2.0 * m)).powi(2))
        .sum()
}

#[test]
fn davis_southern_women_get_the_best_partition_of_the_runs() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/davis");
    let ds = TestDataset::new(&[]);
    copy_dir(&fixture, &ds.data());
    std::fs::remove_file(ds.data().join("README.md")).unwrap();
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let q = modularity_of(&ds.out());
    // igraph's Leiden, best of 10 seeds (tests/fixtures/davis/README.md).
    const IGRAPH_BEST: f64 = 0.336006;
    assert!(q >= IGRAPH_BEST - 0.002, "modularity {q}");
    let summary = read(&ds.out().join("summary.md"));
    assert!(
        summary.contains(&format!("modularity is {q:.3}")),
        "{summary}"
    );
    // Confidence is measured against the partition shown: the organisation
    // named first in each label is sure of its place.
    let clusters = read_csv(&ds.out().join("clusters.csv"));
    for c in read_csv(&ds.out().join("cluster-summary.csv")) {
        let first = c["label"]
            .split(": ")
            .nth(1)
            .unwrap()
            .split(", ")
            .next()
            .unwrap();
        let row = clusters.iter().find(|r| r["name"] == first).unwrap();
        assert!(row["confidence"].parse::<f64>().unwrap() >= 0.7, "{row:?}");
    }
    // Shaky placements are marked, and only they.
    for r in &clusters {
        let shaky = r["confidence"].parse::<f64>().is_ok_and(|c| c < 0.7);
        assert_eq!(r["note"].starts_with("shaky"), shaky, "{r:?}");
    }
    // The same bytes with one thread.
    let again = ds.dir.path().join("again");
    partnernet()
        .env("RAYON_NUM_THREADS", "1")
        .arg("analyse")
        .arg(ds.data())
        .arg("--out")
        .arg(&again)
        .args(["--exports", "none"])
        .assert()
        .success();
    for file in ["clusters.csv", "cluster-summary.csv", "summary.md"] {
        assert_eq!(
            read(&ds.out().join(file)),
            read(&again.join(file)),
            "{file}"
        );
    }
}

#[test]
fn shaky_clusters_are_said_so_and_their_organisations_named() {
    // A ring of eight equal cliques of three joined in a chain: the cut
    // points between clusters move from seed to seed.
    let mut orgs = String::from("id,name,kind\n");
    let mut rels = String::from("source,target,kind\n");
    let n = 24;
    for v in 0..n {
        orgs.push_str(&format!("o{v},Org {v:02},affiliate\n"));
        rels.push_str(&format!("o{v},o{},collaborates\n", (v + 1) % n));
    }
    let ds = TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", rels.as_bytes()),
    ]);
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let clusters = read_csv(&ds.out().join("clusters.csv"));
    let shaky: Vec<&str> = clusters
        .iter()
        .filter(|r| r["note"].starts_with("shaky"))
        .map(|r| r["name"].as_str())
        .collect();
    let summary = read(&ds.out().join("summary.md"));
    if shaky.len() * 10 >= n {
        assert!(summary.contains("**The clusters are shaky:**"), "{summary}");
        for name in &shaky {
            assert!(summary.contains(name), "{name} is named");
        }
    } else {
        assert!(!summary.contains("The clusters are shaky"));
    }
    assert!(
        !shaky.is_empty(),
        "a ring has no stable clusters: {clusters:?}"
    );
}

// ---------------------------------------------------------------------------
// Labels come from what is known.

fn labels(ds: &TestDataset) -> Vec<String> {
    ds.analyse_with(&["--exports", "none"]).assert().success();
    read_csv(&ds.out().join("cluster-summary.csv"))
        .into_iter()
        .map(|r| r["label"].clone())
        .collect()
}

#[test]
fn a_cluster_label_names_a_region_its_members_have() {
    let ds = copy_case("no-region-label");
    let found = labels(&ds);
    assert!(!found.is_empty());
    for l in &found {
        assert!(!l.starts_with("(no region)"), "{found:?}");
        assert!(
            l.starts_with("Europe:") || l.contains(" Europe:"),
            "{found:?}"
        );
    }
    // Every affiliate in one sub-region: that sub-region.
    for c in ["DE", "FR", "PL", "IT"] {
        replace_in(&ds, "organisations.csv", &format!(",{c},"), ",NO,");
    }
    for l in labels(&ds) {
        assert!(l.starts_with("Northern Europe:"), "{l}");
    }
    // No member with a region: "(no region)".
    let path = ds.data().join("organisations.csv");
    std::fs::write(
        &path,
        read(&path).replace(",NO,", ",,").replace(",SE,", ",,"),
    )
    .unwrap();
    for l in labels(&ds) {
        assert!(l.starts_with("(no region):"), "{l}");
    }
}

// ---------------------------------------------------------------------------
// Near-duplicates.

fn near_duplicates(ds: &TestDataset) -> String {
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let dq = read(&ds.out().join("data-quality.md"));
    let start = dq.find("## Organisations that may be the same").unwrap();
    let end = dq[start + 3..].find("\n## ").unwrap() + start + 3;
    dq[start..end].to_string()
}

#[test]
fn chapters_of_different_countries_are_not_duplicates_but_real_ones_still_are() {
    let ds = copy_case("false-duplicates");
    let section = near_duplicates(&ds);
    assert!(
        section.contains("No two organisations look alike"),
        "{section}"
    );
    // Real duplicates: the same country and a near-identical name, the same
    // Wikidata item, the same name but for accents.
    let path = ds.data().join("organisations.csv");
    let mut text = read(&path);
    text.push_str(
        "wmmx2,Wikimedia Mexiko,affiliate,MX,,,,,\n\
         wmfi2,Suomen Wikimedia,affiliate,FI,,,,,\n\
         wmcz2,Wikimédia Czech Republic,affiliate,,,,,,\n",
    );
    text = text
        .replace(
            "wmfi,Wikimedia Finland,affiliate,FI,,",
            "wmfi,Wikimedia Finland,affiliate,FI,,Q1",
        )
        .replace(
            "wmfi2,Suomen Wikimedia,affiliate,FI,,",
            "wmfi2,Suomen Wikimedia,affiliate,FI,,Q1",
        );
    std::fs::write(&path, text).unwrap();
    let section = near_duplicates(&ds);
    assert!(section.contains("Wikimedia Mexiko"), "{section}");
    assert!(section.contains("Suomen Wikimedia"), "{section}");
    assert!(section.contains("Wikimédia Czech Republic"), "{section}");
    assert!(
        !section.contains("Austria") && !section.contains("Armenia"),
        "{section}"
    );
    // Different Wikidata items rule a pair out too.
    let text = read(&path).replace(
        "wmmx2,Wikimedia Mexiko,affiliate,MX,,",
        "wmmx2,Wikimedia Mexiko,affiliate,MX,,Q2",
    );
    let text = text.replace(
        "wmmx,Wikimedia Mexico,affiliate,MX,,",
        "wmmx,Wikimedia Mexico,affiliate,MX,,Q3",
    );
    std::fs::write(&path, text).unwrap();
    assert!(!near_duplicates(&ds).contains("Wikimedia Mexiko"));
}

// ---------------------------------------------------------------------------
// HTML entities.

#[test]
fn names_with_html_entities_are_reported_and_shown_as_written() {
    let ds = copy_case("html-entities");
    // More of the kind: a numeric entity, an alias, and a plain `&` that
    // is not one.
    let path = ds.data().join("organisations.csv");
    let mut text = read(&path);
    text.push_str("c3,M&#216;LLER &#x26; SONS,company,NO\nc4,Smith & Sons,company,NO\n");
    std::fs::write(&path, text).unwrap();
    let mut rel = read(&ds.data().join("relations.csv"));
    rel.push_str("d1,c3,contact,,,,\nd1,c4,contact,,,,\n");
    std::fs::write(ds.data().join("relations.csv"), rel).unwrap();
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let dq = read(&ds.out().join("data-quality.md"));
    let start = dq.find("## Names with HTML character entities").unwrap();
    let section = &dq[start..dq[start + 3..].find("\n## ").unwrap() + start + 3];
    for (raw, meant) in [
        ("OSLO B\\&Oslash;RS VPS HOLDING", "OSLO BØRS VPS HOLDING"),
        ("CAMILLO EITZEN \\&amp; CO", "CAMILLO EITZEN \\& CO"),
        ("M\\&#216;LLER \\&#x26; SONS", "MØLLER \\& SONS"),
    ] {
        assert!(
            section.contains(&format!("| {raw} | {meant} |")),
            "{section}"
        );
    }
    assert!(!section.contains("Smith"), "{section}");
    // The tables keep the name as written.
    let clusters = read_csv(&ds.out().join("clusters.csv"));
    assert!(clusters
        .iter()
        .any(|r| r["name"] == "OSLO B&Oslash;RS VPS HOLDING"));
}

// ---------------------------------------------------------------------------
// Wishes between affiliates.

#[test]
fn a_wish_between_affiliates_is_a_collaboration_opportunity_with_its_reason() {
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            "id,name,kind,country\n\
             wm-a,Wikimedia Alpha,affiliate,SE\n\
             wm-b,Wikimedia Beta,affiliate,NO\n\
             wm-c,Wikimedia Gamma,affiliate,FI\n\
             hub,Nordic Hub,hub,\n\
             mus,City Museum,museum,SE\n"
                .as_bytes(),
        ),
        (
            "relations.csv",
            "source,target,kind,date,interview,weight,note\n\
             wm-a,mus,partner,,,,\n\
             wm-b,mus,partner,,,,\n\
             wm-a,wm-b,desired,,,,shared upload tools\n\
             wm-c,hub,desired,,,,wants training\n\
             wm-c,mus,desired,,,,\n"
                .as_bytes(),
        ),
    ]);
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let opportunities = read_csv(&ds.out().join("opportunities.csv"));
    let wishes: Vec<_> = opportunities
        .iter()
        .filter(|o| o["kind"] == "wish")
        .collect();
    assert_eq!(wishes.len(), 2, "{opportunities:?}");
    let ab = wishes.iter().find(|o| o["affiliate_a"] == "wm-a").unwrap();
    assert_eq!(ab["affiliate_b"], "wm-b");
    assert!(ab["reason"].contains("shared upload tools"), "{ab:?}");
    assert!(ab["reason"].contains("relations.csv:4"), "{ab:?}");
    let summary = read(&ds.out().join("summary.md"));
    assert!(summary.contains("2 wishes between affiliates"), "{summary}");
    // A wish for an institution stays a lead, not an opportunity.
    let leads = read_csv(&ds.out().join("leads.csv"));
    assert!(
        leads.is_empty(),
        "City Museum is a partner already: {leads:?}"
    );
}

// ---------------------------------------------------------------------------
// Repeated relations.

#[test]
fn two_agreements_on_the_same_day_both_count_and_validate_names_both_lines() {
    let ds = copy_case("same-day-relations");
    let out = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    let warning = said
        .lines()
        .find(|l| l.contains("looks like a repeat"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(
        warning.contains("line 3") && warning.contains("line 2"),
        "{warning}"
    );
    assert_eq!(said.matches("looks like a repeat").count(), 1, "{said}");
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let ties = read_csv(&ds.out().join("ties.csv"));
    assert_eq!(ties.len(), 1);
    assert_eq!(
        (ties[0]["weight"].as_str(), ties[0]["relations"].as_str()),
        ("9", "3")
    );
    let summary = read(&ds.out().join("summary.md"));
    assert!(summary.contains("3 relations"), "{summary}");
}

#[test]
fn only_rows_saying_exactly_the_same_thing_merge_and_the_merge_is_reported_with_both_places() {
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            "id,name,kind\nwm,Wikimedia Alpha,affiliate\nmus,City Museum,museum\nlib,Town Library,library\narc,Old Archive,archive\n"
                .as_bytes(),
        ),
        (
            "relations.csv",
            "source,target,kind,date,interview,weight,note\n\
             wm,mus,partner,2023-09-01,,2,upload day\n\
             wm,lib,partner,,,,\n\
             wm,mus,partner,2023-09-01,,2,upload day\n\
             wm,lib,partner,,,,\n\
             wm,arc,partner,2024-01-01,,1,\n\
             wm,arc,partner,2024-02-01,,1,\n\
             wm,lib,partner,,,,a note\n"
                .as_bytes(),
        ),
    ]);
    let out = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    // Line 8 differs from lines 3 and 5 only by its note: a likely repeat.
    // Different dates (lines 6 and 7) are not.
    assert_eq!(said.matches("looks like a repeat").count(), 1, "{said}");
    assert!(
        said.contains("line 8") && said.contains("repeat of line 3"),
        "{said}"
    );
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let ties: BTreeMap<String, (String, String)> = read_csv(&ds.out().join("ties.csv"))
        .into_iter()
        .map(|t| {
            // The institution's end (ties name their ends in order of id).
            let other = if t["source"] == "wm" {
                &t["target"]
            } else {
                &t["source"]
            };
            (other.clone(), (t["weight"].clone(), t["relations"].clone()))
        })
        .collect();
    assert_eq!(
        ties["mus"],
        ("2".into(), "1".into()),
        "identical rows count once"
    );
    assert_eq!(ties["lib"], ("2".into(), "2".into()));
    assert_eq!(ties["arc"], ("2".into(), "2".into()));
    let dq = read(&ds.out().join("data-quality.md"));
    let start = dq.find("## Relations recorded more than once").unwrap();
    let section = &dq[start..];
    assert!(
        section.contains("relations.csv:2, relations.csv:4"),
        "{section}"
    );
    assert!(
        section.contains("relations.csv:3, relations.csv:5"),
        "{section}"
    );
    assert!(!section.contains("relations.csv:8"), "{section}");
}

#[test]
fn the_same_relation_in_the_csv_and_in_a_note_merges_and_is_reported() {
    let note = "---\naffiliate: wm\nid: iv-1\ndate: 2024-03-01\n---\n## Do you work with content partnerships today?\nUploads with [[City Museum]].\n";
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            "id,name,kind\nwm,Wikimedia Alpha,affiliate\nmus,City Museum,museum\n".as_bytes(),
        ),
        (
            "relations.csv",
            "source,target,kind,date,interview,weight,note\nwm,mus,partner,,iv-1,3,monthly uploads\n"
                .as_bytes(),
        ),
    ]);
    std::fs::create_dir_all(ds.data().join("notes")).unwrap();
    std::fs::write(ds.data().join("notes/iv-1.md"), note).unwrap();
    let out = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("repeat"));
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let ties = read_csv(&ds.out().join("ties.csv"));
    assert_eq!(
        (ties[0]["weight"].as_str(), ties[0]["relations"].as_str()),
        ("3", "1"),
        "one relation, with the table's weight"
    );
    let dq = read(&ds.out().join("data-quality.md"));
    assert!(
        dq.contains("notes/iv-1.md:7, relations.csv:2")
            || dq.contains("relations.csv:2, notes/iv-1.md:7"),
        "{dq}"
    );
}

// ---------------------------------------------------------------------------
// Real interview headings.

#[test]
fn the_questionnaires_main_areas_and_their_short_forms_give_the_kind_a_reader_would() {
    let orgs = "id,name,kind\nwm,Wikimedia Alpha,affiliate\n\
                a,Museum A,museum\nb,Museum B,museum\nc,Museum C,museum\n\
                d,Museum D,museum\ne,Museum E,museum\nf,Museum F,museum\n\
                g,Museum G,museum\n";
    let full = "---\naffiliate: wm\nid: iv-full\n---\n\
        ## Experiences and best practices from earlier work with content partnerships?\n[[Museum A]]\n\
        ## What are the main needs for future work with partners?\n[[Museum B]]\n\
        ## What could a good and efficient support look like?\n[[Museum C]]\n";
    let short = "---\naffiliate: wm\nid: iv-short\n---\n\
        # 1. Experiences …\n[[Museum D]]\n\
        # 2. Needs for future work\n[[Museum E]]\n\
        # 3. Support\n[[Museum F]]\n\
        ## Earlier work and future needs\n[[Museum G]]\n";
    let ds = TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", b"source,target,kind\n"),
    ]);
    std::fs::create_dir_all(ds.data().join("notes")).unwrap();
    std::fs::write(ds.data().join("notes/full.md"), full).unwrap();
    std::fs::write(ds.data().join("notes/short.md"), short).unwrap();
    let out = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    // Only the last heading is unclear: two keywords of two kinds, equally long.
    assert_eq!(said.matches("warning").count(), 1, "{said}");
    assert!(
        said.contains("short.md, line 11")
            && said.contains("\"earlier work\" (past_partner)")
            && said.contains("\"future needs\" (desired)"),
        "{said}"
    );
    ds.analyse_with(&["--exports", "none"]).assert().success();
    let ties: BTreeMap<String, String> = read_csv(&ds.out().join("ties.csv"))
        .into_iter()
        .map(|t| {
            // The museum's end (ties name their ends in order of id).
            let other = if t["source"] == "wm" {
                &t["target"]
            } else {
                &t["source"]
            };
            (other.clone(), t["kinds"].clone())
        })
        .collect();
    for (museum, kind) in [
        ("a", "past_partner"),
        ("d", "past_partner"),
        ("c", "contact"),
        ("f", "contact"),
        ("g", "contact"),
    ] {
        assert_eq!(
            ties.get(museum).map(String::as_str),
            Some(kind),
            "{museum}: {ties:?}"
        );
    }
    // Museums named under the needs for future work are wanted: leads.
    let leads = read_csv(&ds.out().join("leads.csv"));
    let wanted: BTreeSet<&str> = leads
        .iter()
        .filter(|l| !l["desired_by"].is_empty())
        .map(|l| l["id"].as_str())
        .collect();
    assert_eq!(wanted, BTreeSet::from(["b", "e"]));
}
