//! Per-affiliate and per-region file names: safe on Windows, the same for
//! one organisation in every folder, and listed in each folder's index.csv.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{partnernet, read_csv, TestDataset};

/// Affiliate ids that are Windows device names, that collide once made
/// safe, or that are the index's own name; regions likewise.
fn hostile() -> TestDataset {
    let affiliates = [
        ("CON", "Console Wikimedians", "Con"),
        ("nul", "Null Island User Group", "NUL"),
        ("wm a", "Wikimedia A (space)", "Europe"),
        ("wm-a", "Wikimedia A (dash)", "Europe"),
        ("WM/SE", "Wikimedia SE (slash)", "com1"),
        ("wm-se", "Wikimedia SE", "Northern Europe"),
        ("wm-se-2", "Wikimedia SE 2", "Northern Europe."),
        ("index", "Index Wikimedians", "index"),
        ("Com1.", "Com One", "LPT9 "),
        ("aux.txt", "Aux User Group", "Prn"),
    ];
    let mut orgs = String::from("id,name,kind,country,region\n");
    let mut rels = String::from("source,target,kind\n");
    for (i, (id, name, region)) in affiliates.iter().enumerate() {
        orgs.push_str(&format!("\"{id}\",\"{name}\",affiliate,SE,\"{region}\"\n"));
        orgs.push_str(&format!("mus-{i},Museum {i},museum,SE,\"{region}\"\n"));
        orgs.push_str(&format!("lib-{i},Library {i},library,SE,\"{region}\"\n"));
        rels.push_str(&format!("\"{id}\",mus-{i},partner\n"));
        rels.push_str(&format!("\"{id}\",lib-{i},desired\n"));
        let next = affiliates[(i + 1) % affiliates.len()].0;
        rels.push_str(&format!("\"{id}\",\"{next}\",collaborates\n"));
    }
    TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", rels.as_bytes()),
    ])
}

/// index.csv of `folder`: file → the other columns joined.
fn index(folder: &Path) -> BTreeMap<String, String> {
    read_csv(&folder.join("index.csv"))
        .into_iter()
        .map(|row| {
            let file = row["file"].clone();
            let key = row.get("id").unwrap_or_else(|| &row["region"]).clone();
            (file, key)
        })
        .collect()
}

fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

const WINDOWS_DEVICES: [&str; 24] = [
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Every file name in `folder` is safe on Windows.
fn all_safe(folder: &Path) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let base = name.split('.').next().unwrap();
        assert!(
            !WINDOWS_DEVICES.contains(&base.to_ascii_lowercase().as_str()),
            "{name} in {}",
            folder.display()
        );
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c)),
            "{name}"
        );
        assert!(!name.ends_with('.') && !name.ends_with(' '), "{name}");
    }
}

#[test]
fn one_name_per_organisation_in_every_folder_safe_on_windows() {
    let ds = hostile();
    let out = ds.analyse_with(&[]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let leads = index(&ds.out().join("leads/by-affiliate"));
    let drawn = index(&ds.out().join("diagrams/affiliates"));
    // id → file stem, in each folder.
    let by_id = |ix: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        ix.iter()
            .map(|(f, id)| (id.clone(), stem(f).to_string()))
            .collect()
    };
    let (leads_ids, drawn_ids) = (by_id(&leads), by_id(&drawn));
    assert_eq!(leads_ids.len(), 10, "{leads:?}");
    assert_eq!(leads_ids, drawn_ids);
    // Ids that are safe names keep them; the others are told apart.
    assert_eq!(leads_ids["wm-a"], "wm-a");
    assert_eq!(leads_ids["wm-se"], "wm-se");
    assert_eq!(leads_ids["wm-se-2"], "wm-se-2");
    assert_eq!(leads_ids["wm a"], "wm-a-2");
    assert_eq!(leads_ids["WM/SE"], "wm-se-3");
    assert_eq!(leads_ids["CON"], "con_");
    assert_eq!(leads_ids["index"], "index_");
    // Each listed file exists, and only listed files (and the index) are there.
    for (folder, ix, ext) in [
        ("leads/by-affiliate", &leads, "csv"),
        ("diagrams/affiliates", &drawn, "svg"),
    ] {
        let dir = ds.out().join(folder);
        all_safe(&dir);
        for file in ix.keys() {
            assert!(dir.join(file).is_file(), "{folder}/{file}");
            assert!(file.ends_with(ext));
        }
        let files = std::fs::read_dir(&dir).unwrap().count();
        // The index, the listed files, and a .dot beside each diagram.
        let expected = 1 + ix.len() * if ext == "svg" { 2 } else { 1 };
        assert_eq!(files, expected, "{folder}");
    }
    // A file's leads are its affiliate's: the lead wished for by `wm a`.
    let rows = read_csv(&ds.out().join("leads/by-affiliate/wm-a-2.csv"));
    assert!(
        rows.iter().any(|r| r.values().any(|v| v == "Library 2")),
        "{rows:?}"
    );
    // Regions: the same names in both folders, safe everywhere.
    let region_leads = index(&ds.out().join("leads/by-region"));
    let region_drawn = index(&ds.out().join("diagrams/regions"));
    let (rl, rd) = (by_id(&region_leads), by_id(&region_drawn));
    for (region, file) in &rl {
        assert_eq!(rd.get(region), Some(file), "{region}");
    }
    assert_eq!(rl["Con"], "con_");
    assert_eq!(rl["com1"], "com1_");
    all_safe(&ds.out().join("leads/by-region"));
    all_safe(&ds.out().join("diagrams/regions"));
}

#[test]
fn ids_with_spaces_are_named_in_the_index() {
    // The shared case: `wm a` has its own file, and the index says so.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let case = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/cases/trust/ids-with-spaces/dataset"
    );
    partnernet()
        .arg("analyse")
        .arg(case)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let ix = read_csv(&out.join("diagrams/affiliates/index.csv"));
    assert_eq!(ix.len(), 1);
    assert_eq!(ix[0]["id"], "wm a");
    assert_eq!(ix[0]["name"], "Wikimedia Alpha");
    assert!(out
        .join("diagrams/affiliates")
        .join(&ix[0]["file"])
        .is_file());
}
