//! Diagrams and exports: Graphviz accepts every DOT file, NetworkX reads the
//! exports back, and the built-in renderer draws without Graphviz.

mod common;

use std::path::Path;
use std::process::Command;

use common::{partnernet, TestDataset};

/// A dataset whose names are as hostile as names get.
fn hostile() -> TestDataset {
    let long = "Very long name ".repeat(34);
    let names = [
        "Museum \"Quoted\" & Sons",
        "Back\\slash \\N \\G Archive",
        "Braces {and} [brackets] <b>bold</b> <i>",
        "Line one\nline two",
        "مكتبة الإسكندرية",
        "ספרייה לאומית",
        "Emoji 🦀🏛️ Gallery",
        long.trim(),
        "-> arrows -- and ; semicolons, commas",
        "=HYPERLINK(\"http://x\",\"y\")",
    ];
    let mut orgs = String::from(
        "id,name,kind,country\nwm,\"Wikimedia \"\"Hostile\"\" {Names}\",affiliate,SE\n",
    );
    let mut rels = String::from("source,target,kind\n");
    for (i, n) in names.iter().enumerate() {
        orgs.push_str(&format!("o{i},\"{}\",museum,SE\n", n.replace('"', "\"\"")));
        rels.push_str(&format!(
            "wm,o{i},{}\n",
            if i % 3 == 0 { "referral" } else { "partner" }
        ));
    }
    rels.push_str("o1,o2,contact\no4,o5,desired\n");
    TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", rels.as_bytes()),
    ])
}

fn graphviz() -> bool {
    Command::new("dot")
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The SVG Graphviz's plain `dot` command draws from a `.dot` file, as a
/// user who opens the file would get it; the command must succeed.
fn drawn_by_plain_dot(dot: &Path) -> Vec<u8> {
    let out = Command::new("dot").arg("-Tsvg").arg(dot).output().unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        dot.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn graphviz_accepts_every_dot_file_of_hostile_names() {
    assert!(
        graphviz(),
        "this test needs Graphviz: sudo apt-get install graphviz"
    );
    let ds = hostile();
    partnernet()
        .arg("analyse")
        .arg(ds.data())
        .arg("--out")
        .arg(ds.out())
        .args(["--format", "svg,png"])
        .assert()
        .success();
    let dots = common::files_with(&ds.out().join("diagrams"), "dot");
    assert!(dots.len() >= 4, "{dots:?}");
    for dot in &dots {
        drawn_by_plain_dot(dot);
        assert!(
            dot.with_extension("svg").exists() && dot.with_extension("png").exists(),
            "{}",
            dot.display()
        );
    }
    let network = std::fs::read_to_string(ds.out().join("diagrams/network.svg")).unwrap();
    assert!(network.contains("🦀"), "emoji are drawn");
    assert!(
        network.contains("مكتبة الإسكندرية"),
        "right-to-left names are drawn"
    );
    assert!(
        network.contains("&lt;b&gt;bold&lt;/b&gt;"),
        "markup-like names are text, not markup"
    );
    assert!(
        network.contains("Very long name Very long name Very long name ") && network.contains('…'),
        "long names are shortened, the full name in the tooltip"
    );
}

#[test]
fn every_diagram_of_the_sample_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    partnernet()
        .current_dir(dir.path())
        .arg("analyse")
        .assert()
        .success();
    let diagrams = dir.path().join("output/diagrams");
    let dots = common::files_with(&diagrams, "dot");
    for d in [
        "network.dot",
        "clusters.dot",
        "regions/western-africa.dot",
        "affiliates/ug-kessaro.dot",
    ] {
        assert!(diagrams.join(d).exists(), "{d}");
    }
    for dot in &dots {
        let svg = dot.with_extension("svg");
        let text = std::fs::read_to_string(&svg)
            .unwrap_or_else(|_| panic!("{} is not drawn", svg.display()));
        assert!(text.contains("<svg"), "{}", svg.display());
    }
    let kessaro = std::fs::read_to_string(diagrams.join("affiliates/ug-kessaro.dot")).unwrap();
    assert!(
        kessaro.contains("Wikimedians of Kessaro") && kessaro.contains("style=\"dashed\""),
        "an affiliate's diagram shows its leads"
    );
    let network = std::fs::read_to_string(diagrams.join("network.dot")).unwrap();
    assert!(
        network.contains("color=\"red\" penwidth=\"3\""),
        "bridges are bold and red"
    );
    assert!(
        network.contains("peripheries=\"2\""),
        "articulation points are marked"
    );
}

#[test]
fn a_dot_file_redrawn_with_plain_dot_gives_the_picture_analyse_drew() {
    // Large diagrams are laid out by sfdp. A .dot file that did not say so
    // was laid out by whatever program opened it: Graphviz's `dot` took
    // over three minutes on the cluster diagram of a generated movement of
    // 100,000 organisations, against a twentieth of a second for sfdp.
    assert!(
        graphviz(),
        "this test needs Graphviz: sudo apt-get install graphviz"
    );
    let ds = TestDataset::generated(1500);
    ds.analyse().success();
    let diagrams = ds.out().join("diagrams");
    let network = std::fs::read_to_string(diagrams.join("network.dot")).unwrap();
    assert!(
        network.contains("layout=\"sfdp\""),
        "a large view is laid out by sfdp"
    );
    let dots = common::files_with(&diagrams, "dot");
    assert!(
        dots.iter().any(|d| std::fs::read_to_string(d)
            .unwrap()
            .contains("layout=\"dot\"")),
        "small views get a layered layout"
    );
    for dot in &dots {
        let drawn = std::fs::read(dot.with_extension("svg")).unwrap();
        assert!(
            drawn_by_plain_dot(dot) == drawn,
            "{} is drawn differently",
            dot.display()
        );
    }
}

/// Runs `partnernet analyse` on the dataset with no Graphviz on the PATH;
/// checks that it succeeded and returns what it printed to standard error.
fn analyse_without_graphviz(ds: &TestDataset) -> String {
    let empty = tempfile::tempdir().unwrap();
    let out = ds
        .analyse_with(&[])
        .env("PATH", empty.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    err
}

#[test]
fn without_graphviz_the_built_in_renderer_draws_svg() {
    let ds = hostile();
    let err = analyse_without_graphviz(&ds);
    assert_eq!(
        err.matches("Graphviz is not installed").count(),
        1,
        "said once: {err}"
    );
    assert!(err.contains("apt-get install graphviz"), "{err}");
    let dots = common::files_with(&ds.out().join("diagrams"), "dot");
    assert!(!dots.is_empty());
    for dot in dots {
        let svg = std::fs::read_to_string(dot.with_extension("svg")).unwrap();
        assert!(svg.contains("<svg"), "{}", dot.display());
    }
}

#[test]
fn without_graphviz_a_network_without_clusters_is_drawn() {
    // Two organisations and one tie: too small a part of the network for a
    // cluster, so the clusters' diagram has nobody in it. The built-in
    // renderer used to stop there (layout-rs cannot lay out an empty graph).
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            b"id,name,kind,country\nwm-a,Wikimedia A,affiliate,SE\nsome-museum,Some Museum,museum,SE\n",
        ),
        (
            "relations.csv",
            b"source,target,kind\nwm-a,some-museum,partner\nwm-a,some-museum,partner\n",
        ),
    ]);
    let err = analyse_without_graphviz(&ds);
    assert!(!err.contains("panicked"), "{err}");
    let diagrams = ds.out().join("diagrams");
    let clusters = std::fs::read_to_string(diagrams.join("clusters.svg")).unwrap();
    assert!(
        clusters.contains("No organisations to draw in this diagram"),
        "{clusters}"
    );
    let network = std::fs::read_to_string(diagrams.join("network.svg")).unwrap();
    assert!(network.contains("Some Museum"), "{network}");
}

/// Organisations drawn in an SVG of the built-in renderer (one box or
/// ellipse each).
fn shapes_drawn(svg: &str) -> usize {
    svg.matches("<ellipse").count() + svg.matches("<rect").count()
}

#[test]
fn without_graphviz_large_diagrams_show_their_most_central_organisations() {
    // The built-in renderer takes minutes on a few hundred organisations;
    // without Graphviz each diagram shows its 60 most central ones, while
    // the .dot files stay complete.
    let ds = TestDataset::generated(1500);
    let err = analyse_without_graphviz(&ds);
    assert!(err.contains("at most its 60 most central"), "{err}");
    let diagrams = ds.out().join("diagrams");
    let network_dot = std::fs::read_to_string(diagrams.join("network.dot")).unwrap();
    assert!(
        network_dot.matches("label=").count() > 300,
        "the .dot file keeps the whole view"
    );
    let network = std::fs::read_to_string(diagrams.join("network.svg")).unwrap();
    assert_eq!(shapes_drawn(&network), 60);
    for dot in common::files_with(&diagrams, "dot") {
        let svg = std::fs::read_to_string(dot.with_extension("svg")).unwrap();
        assert!(shapes_drawn(&svg) <= 60, "{}", dot.display());
    }
}

#[test]
fn without_graphviz_a_densely_tied_network_is_still_drawn() {
    // 40 museums all tied to each other: laid out as given, the built-in
    // renderer would walk more than 2^38 paths and never finish. It draws
    // every museum, with the lines that hold them together, and says how
    // many lines it left out.
    let n = 40;
    let mut orgs = String::from("id,name,kind,country\nwm,Wikimedia Dense,affiliate,SE\n");
    let mut rels = String::from("source,target,kind\n");
    for i in 0..n {
        orgs.push_str(&format!("m{i},Museum {i},museum,SE\n"));
        rels.push_str(&format!("wm,m{i},partner\n"));
        for j in 0..i {
            rels.push_str(&format!("m{i},m{j},collaborates\n"));
        }
    }
    let ds = TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", rels.as_bytes()),
    ]);
    let err = analyse_without_graphviz(&ds);
    assert!(
        err.contains("lines in all; the .dot files have every line"),
        "{err}"
    );
    let diagrams = ds.out().join("diagrams");
    let network = std::fs::read_to_string(diagrams.join("network.svg")).unwrap();
    assert_eq!(shapes_drawn(&network), n + 1, "every organisation is drawn");
    let dot = std::fs::read_to_string(diagrams.join("network.dot")).unwrap();
    assert_eq!(
        dot.matches(" -- ").count(),
        n + n * (n - 1) / 2,
        "the .dot file keeps every tie"
    );
}

#[test]
fn networkx_reads_the_exports_back() {
    let ds = hostile();
    ds.analyse().success();
    let script = r#"
import sys, csv, json, networkx as nx
out = sys.argv[1]
ties = list(csv.DictReader(open(out + "/ties.csv", encoding="utf-8-sig")))
orgs = list(csv.DictReader(open(out + "/clusters.csv", encoding="utf-8-sig")))
expected_edges = {frozenset((t["source"], t["target"])) for t in ties}
def unquote(s):
    return s[1:] if s.startswith("'") else s
expected_names = {o["id"]: unquote(o["name"]) for o in orgs}
for path, reader in [("network.graphml", nx.read_graphml), ("network.gexf", nx.read_gexf)]:
    g = reader(out + "/" + path)
    assert set(g.nodes) == set(expected_names), path
    assert {frozenset(e) for e in g.edges} == expected_edges, path
    for n, data in g.nodes(data=True):
        name = data.get("name", data.get("label"))
        assert name == expected_names[n].replace("\r", ""), (path, n, name, expected_names[n])
        assert data["kind"] in ("affiliate", "museum"), (path, data)
        assert "betweenness" in data and "component" in data, (path, data)
    assert g.nodes["o2"]["cluster_label"], path
    for a, b, data in g.edges(data=True):
        assert data["weight"] >= 1 and data["kinds"], (path, data)
    lead_scores = [d for _, d in g.nodes(data=True) if "lead_score" in d]
    assert lead_scores, path
g = nx.node_link_graph(json.load(open(out + "/network.json", encoding="utf-8")), edges="links")
assert set(g.nodes) == set(expected_names)
assert {frozenset(e) for e in g.edges} == expected_edges
print("ok")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(ds.out())
        .output()
        .expect("python3 runs (CI installs NetworkX)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
