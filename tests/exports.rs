//! The network exports open in strict graph tools: `network.gexf` validates
//! against the GEXF 1.3 schema (xmllint), `network.graphml` keeps the
//! GraphML schema's rules, and NetworkX and python-igraph read all of them
//! back with every organisation, tie and attribute, numbers as numbers.
//! Run on the sample, a dataset of hostile names and the cases in
//! `../shared/cases/trust/` and `../shared/cases/reliability/`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{read_csv, TestDataset};
use serde_json::Value;

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/gexf-1.3/gexf.xsd"
);
const READER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/read_exports.py");

fn case(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/cases")
        .join(path)
}

/// Analyses `dataset` into a new temporary folder and returns it.
fn analyse(dataset: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    common::partnernet()
        .arg("analyse")
        .arg(dataset)
        .arg("--out")
        .arg(out.path().join("out"))
        .assert()
        .success();
    out
}

/// A cell as partnernet's CSV files hold it, without the `'` that keeps a
/// spreadsheet from running it.
fn unquote(s: &str) -> &str {
    s.strip_prefix('\'').unwrap_or(s)
}

/// Checks the three exports in `out` and returns what the readers saw.
fn check(out: &Path) -> Value {
    let lint = Command::new("xmllint")
        .args(["--noout", "--schema", SCHEMA])
        .arg(out.join("network.gexf"))
        .output()
        .expect("xmllint runs (.ci/run installs libxml2-utils)");
    assert!(
        lint.status.success(),
        "network.gexf does not validate against GEXF 1.3:\n{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let read = Command::new("python3")
        .arg(READER)
        .arg(out)
        .output()
        .expect("python3 runs (.ci/run installs NetworkX and python-igraph)");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let seen: Value = serde_json::from_slice(&read.stdout).unwrap();

    let orgs = read_csv(&out.join("clusters.csv"));
    let ids: BTreeSet<&str> = orgs.iter().map(|o| unquote(&o["id"])).collect();
    let ties = read_csv(&out.join("ties.csv")).len() as u64;
    for reader in ["graphml", "gexf", "igraph", "json"] {
        let nodes = seen[reader].as_object().unwrap();
        let got: BTreeSet<&str> = nodes.keys().map(String::as_str).collect();
        assert_eq!(got, ids, "{reader} reads every organisation by its own id");
        assert_eq!(seen["edges"][reader], ties, "{reader} reads every tie");
        for o in &orgs {
            let node = &nodes[unquote(&o["id"])];
            let name = if reader == "gexf" { "label" } else { "name" };
            assert_eq!(
                node[name][1].as_str(),
                Some(unquote(&o["name"]).replace('\r', "").as_str()),
                "{reader}: the name of {}",
                o["id"]
            );
            if reader != "igraph" {
                // igraph keeps every number as a float.
                assert_eq!(node["component"][0], "int", "{reader}: {node}");
                if !o["cluster"].is_empty() {
                    assert_eq!(node["cluster"][0], "int", "{reader}: {node}");
                }
            }
        }
    }
    seen
}

/// Ids and names that strict XML readers choke on, and extra columns named
/// like built-in attributes, with spaces and with XML's special characters.
fn hostile() -> TestDataset {
    let orgs = "id,name,kind,country,contact person,label,weight,id2,org_id,extra_label,x&<y>,count,ratio,code\n\
        wm a,\"Wikimedia \"\"A\"\" <b>\",affiliate,SE,Anna,Alpha label,3,x,o1,e1,amp,12,0.5,007\n\
        wm_a,Wikimedia Underscore,affiliate,SE,,,,,,,,-3,1e3,12\n\
        city museum,A &amp; B &lt; C &nbsp; D,museum,SE,Bo,,7,,,,,,,\n\
        \"a<b>&\"\"c'\",&#1; and &#x8;,museum,SE,,,,,,,,4000000000,2,x\n\
        1st,Årsta arkiv \u{FFFD},archive,SE,,,,,,,,0,,\n\
        -dash,Dash Library,library,SE,,,,,,,,,,\n";
    let rels = "source,target,kind\n\
        wm a,city museum,partner\n\
        wm a,wm_a,collaborates\n\
        wm_a,\"a<b>&\"\"c'\",partner\n\
        wm a,1st,referral\n\
        1st,-dash,contact\n\
        wm_a,Unlisted Gallery & Co,referral\n";
    TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", rels.as_bytes()),
    ])
}

#[test]
fn the_sample_exports_validate_and_read_back() {
    let out = analyse(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample"));
    check(&out.path().join("out"));
}

#[test]
fn hostile_ids_names_and_columns_validate_and_read_back() {
    let ds = hostile();
    ds.analyse().success();
    let seen = check(&ds.out());
    let graphml = std::fs::read_to_string(ds.out().join("network.graphml")).unwrap();
    assert!(graphml.contains("<node id=\"wm_a\">"), "a token id is kept");
    assert!(graphml.contains("<node id=\"wm_a_2\">"), "{graphml}");
    for reader in ["graphml", "gexf", "igraph", "json"] {
        let wm_a = &seen[reader]["wm a"];
        // The extra columns named like built-ins keep their own values.
        // A column already named `extra_label` keeps its name; the column
        // `label` is numbered after it.
        assert_eq!(wm_a["extra_label"][1], "e1", "{reader}: {wm_a}");
        assert_eq!(wm_a["extra_label_2"][1], "Alpha label", "{reader}: {wm_a}");
        assert_eq!(wm_a["extra_weight"][1], 3.0, "{reader}: {wm_a}");
        assert_eq!(wm_a["extra_org_id"][1], "o1", "{reader}: {wm_a}");
        if reader != "gexf" {
            assert_eq!(wm_a["x__y_"][1], "amp", "{reader}: {wm_a}");
            assert_eq!(wm_a["contact_person"][1], "Anna", "{reader}: {wm_a}");
        } else {
            // GEXF keeps the column's own name as the attribute's title.
            assert_eq!(wm_a["x&<y>"][1], "amp", "{wm_a}");
            assert_eq!(wm_a["contact person"][1], "Anna", "{wm_a}");
            assert_eq!(wm_a["label"][1], "Wikimedia \"A\" <b>", "{wm_a}");
        }
        if reader != "igraph" {
            assert_eq!(wm_a["count"], serde_json::json!(["int", 12]), "{reader}");
            assert_eq!(wm_a["ratio"], serde_json::json!(["float", 0.5]), "{reader}");
            // Leading zeros make a code, not a number.
            assert_eq!(wm_a["code"], serde_json::json!(["str", "007"]), "{reader}");
            let big = &seen[reader]["a<b>&\"c'"]["count"];
            assert_eq!(big, &serde_json::json!(["int", 4000000000u64]), "{reader}");
        }
        let gallery = &seen[reader]["Unlisted Gallery & Co"];
        assert_eq!(gallery["kind"][1], "unknown", "{reader}");
    }
    let gexf = std::fs::read_to_string(ds.out().join("network.gexf")).unwrap();
    assert!(gexf.contains("<attribute id=\"count\" title=\"count\" type=\"long\"/>"));
    assert!(gexf.contains("<attribute id=\"ratio\" title=\"ratio\" type=\"double\"/>"));
    assert!(graphml.contains("attr.name=\"count\" attr.type=\"long\""));
    assert!(graphml.contains("<desc>contact person</desc>"), "{graphml}");
}

#[test]
fn trust_cases_validate_and_read_back() {
    for name in [
        "extra-columns",
        "ids-with-spaces",
        "numeric-extra-column",
        "html-entities",
    ] {
        let out = analyse(&case(&format!("trust/{name}/dataset")));
        let seen = check(&out.path().join("out"));
        match name {
            "extra-columns" => {
                for reader in ["graphml", "gexf", "igraph", "json"] {
                    let a = &seen[reader]["wm-a"];
                    assert_eq!(a["extra_label"][1], "Alpha label", "{reader}: {a}");
                    assert_eq!(a["extra_weight"][1], 3.0, "{reader}: {a}");
                    assert_eq!(a["extra_start"][1], "2020", "{reader}: {a}");
                    assert_eq!(a["id2"][1], "x", "{reader}: {a}");
                    assert_eq!(a["budget"][1], "1200", "{reader}: 'unknown' makes it text");
                }
                assert_eq!(seen["gexf"]["wm-a"]["label"][1], "Wikimedia Alpha");
            }
            "ids-with-spaces" => {
                for reader in ["graphml", "gexf", "igraph", "json"] {
                    assert_eq!(seen[reader]["årsta arkiv"]["kind"][1], "archive");
                }
            }
            "numeric-extra-column" => {
                for reader in ["graphml", "gexf", "json"] {
                    for (id, node) in seen[reader].as_object().unwrap() {
                        assert_eq!(node["capital"][0], "int", "{reader}: {id}");
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn names_xml_cannot_carry_still_give_valid_exports() {
    let out = analyse(&case("reliability/invalid-xml-names/dataset"));
    check(&out.path().join("out"));
}
