//! The diagrams' key and labels: the key names every shape, line style and
//! cluster colour without setting the picture's width; names wrap at word
//! boundaries; no PNG is more than 4 times as wide as high or the reverse.

mod common;

use std::path::Path;

use common::{partnernet, TestDataset};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");

/// A PNG's width and height, from its header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG", "{}", path.display());
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

fn assert_proportions(diagrams: &Path) -> usize {
    let pngs = common::files_with(diagrams, "png");
    for png in &pngs {
        let (w, h) = png_size(png);
        assert!(w <= 4 * h && h <= 4 * w, "{} is {w}×{h}", png.display());
    }
    pngs.len()
}

#[test]
fn sample_pictures_have_a_key_and_keep_their_proportions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    partnernet()
        .arg("analyse")
        .arg(SAMPLE)
        .arg("--out")
        .arg(&out)
        .args(["--format", "svg,png"])
        .assert()
        .success();
    let diagrams = out.join("diagrams");
    assert!(assert_proportions(&diagrams) > 10);
    let network = std::fs::read_to_string(diagrams.join("network.svg")).unwrap();
    for named in [
        "affiliate or hub",
        "institution",
        "lead",
        "partner",
        "past partner",
        "referral",
        "wish",
        "affiliates collaborate",
        "cluster 0: Northern Europe",
    ] {
        assert!(network.contains(named), "the key names {named}");
    }
    let dot = std::fs::read_to_string(diagrams.join("network.dot")).unwrap();
    assert!(dot.contains("style=\"dotted\""), "past partners dotted");
    assert!(
        dot.contains("style=\"dashed\""),
        "referrals and wishes dashed"
    );
    // The top lead is named in the network picture.
    let leads = common::read_csv(&out.join("leads.csv"));
    let top = &leads[0]["name"];
    let mut first_line = String::new();
    for word in top.split_whitespace() {
        if !first_line.is_empty() && first_line.chars().count() + word.chars().count() > 20 {
            break;
        }
        if !first_line.is_empty() {
            first_line.push(' ');
        }
        first_line.push_str(word);
    }
    assert!(
        dot.contains(&format!("label=\"{first_line}")),
        "{top}: {first_line}"
    );
    // Labels end on whole words: no text line ends in a cut word followed by "…".
    for line in network
        .lines()
        .filter(|l| l.contains('…') && l.contains("<text"))
    {
        let text = line.rsplit_once('>').map(|x| x.0).unwrap_or(line);
        let before = text.split('…').next().unwrap();
        assert!(
            before.ends_with(|c: char| c.is_alphanumeric() || c == '.' || c == ','),
            "{line}"
        );
    }
}

#[test]
fn a_one_organisation_region_is_not_a_strip() {
    // A region with a single organisation: the old one-line legend made its
    // picture 2,060 × 92 pixels.
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            b"id,name,kind,country,region,wikidata,aliases,digitisation\n\
              wm-a,Wikimedia Alpha,affiliate,SE,,,,\n\
              m-1,Museum One,museum,SE,,,,\n\
              solo,Lonely Library of the Far Islands,library,FJ,,,,\n",
        ),
        (
            "relations.csv",
            b"source,target,kind,date,interview,weight,note\n\
              wm-a,m-1,partner,2024-01-02,,,\n\
              wm-a,solo,referral,2024-01-02,,,\n",
        ),
    ]);
    ds.analyse_with(&["--format", "png"]).assert().success();
    assert!(assert_proportions(&ds.out().join("diagrams")) >= 3);
}

#[test]
fn a_generated_10000_organisation_movement_keeps_the_proportions() {
    // Every picture of a realistic, large movement: the network's most
    // central organisations, every region, every affiliate (some large
    // enough for sfdp) and the clusters.
    let dir = tempfile::tempdir().unwrap();
    let out = common::analysed_movement(
        dir.path(),
        10_000,
        &["--format", "png", "--exports", "none"],
    );
    let drawn = assert_proportions(&out.join("diagrams"));
    // network, clusters, 16 regions and 300 affiliates.
    assert!(drawn >= 300, "{drawn} pictures");
}
