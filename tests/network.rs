//! Clusters, bridges and brokers through `partnernet analyse`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{partnernet, read_csv, TestDataset};

fn analyse(ds: &TestDataset) {
    ds.analyse().success();
}

/// Two cliques of `k` organisations (an affiliate and institutions each),
/// joined by one tie between their affiliates.
fn two_cliques(k: usize) -> TestDataset {
    let mut orgs = String::from("id,name,kind,country\n");
    let mut rels = String::from("source,target,kind\n");
    for (side, country) in [("a", "SE"), ("b", "KE")] {
        for i in 0..k {
            let kind = if i == 0 { "affiliate" } else { "museum" };
            orgs.push_str(&format!("{side}{i},Org {side}{i},{kind},{country}\n"));
            for j in 0..i {
                rels.push_str(&format!("{side}{j},{side}{i},partner\n"));
            }
        }
    }
    rels.push_str("a0,b0,collaborates\n");
    TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", rels.as_bytes()),
    ])
}

#[test]
fn two_cliques_joined_by_one_tie() {
    let ds = two_cliques(5);
    analyse(&ds);
    let clusters = read_csv(&ds.out().join("clusters.csv"));
    let of = |id: &str| clusters.iter().find(|r| r["id"] == id).unwrap()["cluster"].clone();
    assert!((0..5).all(|i| of(&format!("a{i}")) == of("a0")));
    assert!((0..5).all(|i| of(&format!("b{i}")) == of("b0")));
    assert_ne!(of("a0"), of("b0"));
    let label = &clusters.iter().find(|r| r["id"] == "b3").unwrap()["cluster_label"];
    assert!(label.starts_with("Eastern Africa: "), "{label}");

    let bridges = read_csv(&ds.out().join("bridges.csv"));
    assert_eq!(bridges.len(), 1);
    assert_eq!(
        (bridges[0]["source"].as_str(), bridges[0]["target"].as_str()),
        ("a0", "b0")
    );
    assert_eq!(bridges[0]["cut_off_size"], "5");

    let brokers = read_csv(&ds.out().join("brokers.csv"));
    assert_eq!(brokers.len(), 10);
    let top: BTreeSet<&str> = brokers[..2].iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(
        top,
        BTreeSet::from(["a0", "b0"]),
        "the two affiliates holding the cliques together rank first"
    );
    // Without a0, its four institutions lose their connection to the larger part (b0 to b4).
    assert!(brokers[..2]
        .iter()
        .all(|r| r["articulation_point"] == "yes" && r["cut_off_size"] == "4"));
    assert!(brokers[2..].iter().all(|r| r["articulation_point"] == "no"));

    let summary = std::fs::read_to_string(ds.out().join("summary.md")).unwrap();
    assert!(summary.contains("finds 2 clusters"), "{summary}");
    assert!(summary.contains("5 organisations in "), "{summary}");
}

#[test]
fn a_ring_of_cliques_gives_one_cluster_per_clique() {
    let (cliques, k) = (8, 5);
    let mut orgs = String::from("id,name,kind\n");
    let mut rels = String::from("source,target,kind\n");
    for c in 0..cliques {
        for i in 0..k {
            orgs.push_str(&format!("c{c}-{i},Clique {c} member {i},museum\n"));
            for j in 0..i {
                rels.push_str(&format!("c{c}-{j},c{c}-{i},partner\n"));
            }
        }
        rels.push_str(&format!("c{c}-0,c{}-1,contact\n", (c + 1) % cliques));
    }
    let ds = TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", rels.as_bytes()),
    ]);
    analyse(&ds);
    let clusters = read_csv(&ds.out().join("clusters.csv"));
    let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &clusters {
        groups
            .entry(r["cluster"].clone())
            .or_default()
            .insert(r["id"].split('-').next().unwrap().to_string());
    }
    assert_eq!(groups.len(), cliques);
    assert!(groups.values().all(|g| g.len() == 1), "{groups:?}");
    assert!(
        read_csv(&ds.out().join("bridges.csv")).is_empty(),
        "a ring has no bridge"
    );
}

#[test]
fn organisations_without_ties_are_not_forced_into_clusters() {
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            b"id,name,kind\na,Alpha,affiliate\nb,Beta,museum\nc,Gamma,library\n",
        ),
        ("relations.csv", b"source,target,kind\na,b,desired\n"),
    ]);
    analyse(&ds);
    let clusters = read_csv(&ds.out().join("clusters.csv"));
    assert_eq!(clusters.len(), 3);
    assert!(clusters
        .iter()
        .all(|r| r["cluster"].is_empty() && r["note"] == "no ties"));
    assert!(read_csv(&ds.out().join("brokers.csv")).is_empty());
    let summary = std::fs::read_to_string(ds.out().join("summary.md")).unwrap();
    assert!(summary.contains("There are no clusters"), "{summary}");

    let single = TestDataset::new(&[
        ("organisations.csv", b"id,name,kind\na,Alpha,affiliate\n"),
        ("relations.csv", b"source,target,kind\n"),
    ]);
    analyse(&single);
    assert_eq!(read_csv(&single.out().join("clusters.csv")).len(), 1);
}

#[test]
fn every_cluster_is_connected_on_a_generated_movement() {
    let ds = TestDataset::generated(5000);
    ds.analyse().success();
    let clusters = read_csv(&ds.out().join("clusters.csv"));
    let cluster: BTreeMap<&str, &str> = clusters
        .iter()
        .map(|r| (r["id"].as_str(), r["cluster"].as_str()))
        .collect();
    let mut adjacency: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let ties = read_csv(&ds.out().join("ties.csv"));
    for t in &ties {
        adjacency
            .entry(t["source"].as_str())
            .or_default()
            .push(t["target"].as_str());
        adjacency
            .entry(t["target"].as_str())
            .or_default()
            .push(t["source"].as_str());
    }
    let mut members: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, c) in &cluster {
        if !c.is_empty() {
            members.entry(c).or_default().push(id);
        }
    }
    assert!(members.len() > 5);
    for (c, list) in &members {
        let mut seen = BTreeSet::from([list[0]]);
        let mut stack = vec![list[0]];
        while let Some(v) = stack.pop() {
            for w in adjacency.get(v).into_iter().flatten() {
                if cluster[w] == *c && seen.insert(*w) {
                    stack.push(w);
                }
            }
        }
        assert_eq!(seen.len(), list.len(), "cluster {c} is not connected");
    }
    let summary = read_csv(&ds.out().join("cluster-summary.csv"));
    assert_eq!(summary.len(), members.len());
    let sizes: Vec<usize> = summary.iter().map(|r| r["size"].parse().unwrap()).collect();
    assert!(
        sizes.windows(2).all(|w| w[0] >= w[1]),
        "clusters are numbered by size"
    );
}

#[test]
fn the_sample_shows_the_region_reached_through_one_affiliate() {
    let dir = tempfile::tempdir().unwrap();
    partnernet()
        .current_dir(dir.path())
        .arg("analyse")
        .assert()
        .success();
    let bridges = read_csv(&dir.path().join("output/bridges.csv"));
    let top = &bridges[0];
    let ends = BTreeSet::from([top["source"].as_str(), top["target"].as_str()]);
    assert_eq!(ends, BTreeSet::from(["ug-kessaro", "ug-nyakabira"]));
    assert_eq!(top["cut_off_side"], "ug-kessaro");
    assert!(
        top["cut_off_regions"].starts_with("Western Africa "),
        "{top:?}"
    );
    let summary = std::fs::read_to_string(dir.path().join("output/summary.md")).unwrap();
    assert!(
        summary.contains("in Western Africa lose their only tie to the rest"),
        "{summary}"
    );
}

#[test]
fn seed_and_resolution_flags_change_the_run() {
    let ds = two_cliques(6);
    partnernet()
        .arg("analyse")
        .arg(ds.data())
        .arg("--out")
        .arg(ds.out())
        .args(["--resolution", "0"])
        .assert()
        .code(64)
        .stderr(predicates::str::contains(
            "invalid value '0' for '--resolution <RESOLUTION>': it must be a number above 0",
        ));
    partnernet()
        .arg("analyse")
        .arg(ds.data())
        .arg("--out")
        .arg(ds.out())
        .args(["--objective", "cpm", "--resolution", "0.5", "--runs", "3"])
        .assert()
        .success();
    let summary = std::fs::read_to_string(ds.out().join("summary.md")).unwrap();
    assert!(
        summary.contains("Constant Potts Model, resolution 0.5"),
        "{summary}"
    );
    assert!(summary.contains("share of 3 seeded runs"), "{summary}");
}
