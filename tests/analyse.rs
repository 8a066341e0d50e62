//! `partnernet analyse` end to end: outputs written all or nothing, never
//! inside the dataset, the same bytes whatever the number of threads.

mod common;

use common::{partnernet, snapshot, TestDataset};

#[test]
fn analyse_writes_the_summary() {
    let ds = TestDataset::small();
    ds.analyse().success();
    let summary = std::fs::read_to_string(ds.out().join("summary.md")).unwrap();
    assert!(
        summary.contains("5 organisations (2 affiliates and hubs and 3 institutions)"),
        "{summary}"
    );
    // The desired relation is not a tie: Archive One has no tie.
    assert!(summary.contains("- Archive One (archive)"), "{summary}");
    assert!(summary.contains("| Eastern Africa | 1 | 1 |"), "{summary}");
}

#[test]
fn the_summary_says_when_there_is_no_collaboration_opportunity() {
    // The two affiliates already collaborate, no interview names a need,
    // and the one wish is for an archive, not an affiliate.
    let ds = TestDataset::small();
    ds.analyse().success();
    let summary = std::fs::read_to_string(ds.out().join("summary.md")).unwrap();
    let none = "## Collaboration opportunities\n\nNone found: no two affiliates without a tie \
                share a partner";
    assert!(summary.contains(none), "{summary}");

    // Two affiliates sharing a museum, with no tie between them: a link.
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            b"id,name,kind\nwm-a,Wikimedia Alpha,affiliate\nwm-b,Wikimedia Beta,affiliate\n\
              mus,Museum One,museum\n",
        ),
        (
            "relations.csv",
            b"source,target,kind\nwm-a,mus,partner\nwm-b,mus,partner\n",
        ),
    ]);
    ds.analyse().success();
    let summary = std::fs::read_to_string(ds.out().join("summary.md")).unwrap();
    assert!(
        summary.contains("- Wikimedia Alpha and Wikimedia Beta: Both work with Museum One"),
        "{summary}"
    );
    assert!(!summary.contains("None found"), "{summary}");
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_untouched() {
    let ds = TestDataset::small();
    ds.analyse().success();
    let before = snapshot(&ds.out());
    assert!(!before.is_empty());

    ds.write(
        "relations.csv",
        b"source,target,kind\nwm-a,mus-1,not-a-kind\n",
    );
    ds.analyse().code(2);
    assert_eq!(snapshot(&ds.out()), before);
    // No staging folder is left behind.
    assert!(ds.leftovers().is_empty(), "{:?}", ds.leftovers());
}

#[test]
fn nothing_is_written_inside_the_dataset() {
    let ds = TestDataset::small();
    let before = snapshot(&ds.data());
    let inside = ds.data().join("results");
    let out = partnernet()
        .arg("analyse")
        .arg(ds.data())
        .arg("--out")
        .arg(&inside)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the dataset folder"));
    ds.analyse().success();
    assert_eq!(snapshot(&ds.data()), before);
}

#[test]
fn a_folder_partnernet_did_not_write_is_not_replaced() {
    let ds = TestDataset::small();
    std::fs::create_dir_all(ds.out()).unwrap();
    std::fs::write(ds.out().join("thesis.docx"), b"precious").unwrap();
    ds.analyse().code(1);
    assert_eq!(
        std::fs::read(ds.out().join("thesis.docx")).unwrap(),
        b"precious"
    );
}

#[test]
fn same_bytes_with_one_and_two_threads() {
    let ds = TestDataset::small();
    let dir = ds.dir.path();
    partnernet()
        .arg("generate")
        .args(["--orgs", "3000", "--seed", "5"])
        .arg(dir.join("gen"))
        .assert()
        .success();
    let mut snapshots = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.join(format!("out-{threads}"));
        partnernet()
            .env("RAYON_NUM_THREADS", threads)
            .arg("analyse")
            .arg(dir.join("gen"))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        snapshots.push(snapshot(&out));
    }
    assert!(snapshots[0].len() >= 2);
    assert_eq!(snapshots[0], snapshots[1]);
}

#[test]
fn timings_print_one_line_per_stage() {
    let ds = TestDataset::small();
    let out = ds.analyse_timed();
    let err = String::from_utf8_lossy(&out.stderr);
    let seconds = |stage: &str| -> f64 {
        let line = err
            .lines()
            .find(|l| l.starts_with(&format!("{stage} ")))
            .unwrap_or_else(|| panic!("no {stage} line in {err}"));
        line.split(' ').nth(1).unwrap().parse().unwrap()
    };
    let stages = [
        "ingest",
        "tie-graph",
        "components",
        "clusters",
        "data-quality",
        "confidence",
        "cluster-labels",
        "betweenness",
        "bridges",
        "brokerage",
        "leads",
        "opportunities",
        "views",
        "layout",
        "outputs",
        "diagrams",
        "network-diagram",
    ];
    for stage in stages {
        assert!(seconds(stage) >= 0.0);
    }
    // The total closes the list, and no stage took longer than the run.
    let timing_lines: Vec<&str> = err
        .lines()
        .filter(|l| matches!(l.split_once(' '), Some((_, t)) if t.parse::<f64>().is_ok()))
        .collect();
    assert!(
        timing_lines[timing_lines.len() - 1].starts_with("total "),
        "{err}"
    );
    let longest = stages.iter().map(|s| seconds(s)).fold(0.0, f64::max);
    assert!(seconds("total") >= longest, "{err}");
}

#[test]
fn timings_alone_run_the_stages_one_after_another() {
    let ds = TestDataset::small();
    ds.analyse().success();
    let side_by_side = snapshot(&ds.out());
    let out = ds.analyse_with(&["--timings=alone"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<(&str, f64)> = err
        .lines()
        .filter_map(|l| {
            let (stage, t) = l.split_once(' ')?;
            Some((stage, t.parse::<f64>().ok()?))
        })
        .collect();
    let stages: Vec<&str> = lines.iter().map(|&(s, _)| s).collect();
    // The lanes' stages come in the order of the lanes, not interleaved.
    let at = |stage: &str| stages.iter().position(|&s| s == stage).unwrap();
    assert!(at("clusters") < at("data-quality") && at("data-quality") < at("betweenness"));
    assert!(at("brokerage") < at("leads") && at("leads") < at("opportunities"));
    assert!(at("layout") < at("diagrams") && at("outputs") < at("network-diagram"));
    // One after another, the stages' times add up to no more than the run.
    let (total, stage_times) = lines.split_last().unwrap();
    assert_eq!(total.0, "total", "{err}");
    let sum: f64 = stage_times.iter().map(|&(_, t)| t).sum();
    assert!(sum <= total.1 + 1e-3, "{sum} > {} in {err}", total.1);
    // The same results as without --timings.
    assert_eq!(side_by_side, snapshot(&ds.out()));
}

#[test]
fn the_sample_analyses_without_arguments() {
    let dir = tempfile::tempdir().unwrap();
    partnernet()
        .current_dir(dir.path())
        .arg("analyse")
        .assert()
        .success();
    let summary = std::fs::read_to_string(dir.path().join("output/summary.md")).unwrap();
    assert!(
        summary.contains("Holmvika stadsmuseet"),
        "the sample's deliberate typo is reported"
    );
}

#[test]
fn init_makes_a_dataset_that_validates_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("new");
    partnernet().arg("init").arg(&ds).assert().success();
    partnernet().arg("validate").arg(&ds).assert().success();
    partnernet().arg("init").arg(&ds).assert().code(1);
}

#[test]
fn generate_makes_a_movement_of_the_size_asked_and_the_same_bytes_for_the_same_seed() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        partnernet()
            .arg("generate")
            .args(["--orgs", "2000"])
            .arg(dir.path().join(name))
            .assert()
            .success();
    }
    let orgs = std::fs::read_to_string(dir.path().join("a/organisations.csv")).unwrap();
    assert_eq!(orgs.lines().count(), 2001);
    assert_eq!(
        snapshot(&dir.path().join("a")),
        snapshot(&dir.path().join("b"))
    );
    partnernet()
        .arg("validate")
        .arg(dir.path().join("a"))
        .arg("--strict")
        .assert()
        .success();
}

#[test]
fn network_json_writes_whole_numbers_without_a_fraction() {
    let t = TestDataset::small();
    t.analyse().success();
    let text = std::fs::read_to_string(t.out().join("network.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let nodes = json["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    for node in nodes {
        // Components and clusters are counted, so they read as integers.
        assert!(node["component"].is_u64(), "{node}");
        if !node["cluster"].is_null() {
            assert!(node["cluster"].is_u64(), "{node}");
        }
    }
    // A tie of one relation of weight 1 weighs 1, not 1.0.
    let links = json["links"].as_array().unwrap();
    assert!(links.iter().any(|l| l["weight"].is_u64()), "{text}");
    assert!(!text.contains("\"weight\":1.0"), "{text}");
}

#[test]
fn exports_are_written_as_asked() {
    let exports = ["network.graphml", "network.gexf", "network.json"];
    let written = |out: &std::path::Path| -> Vec<&str> {
        exports
            .iter()
            .copied()
            .filter(|f| out.join(f).is_file())
            .collect()
    };
    let t = TestDataset::small();
    // A small network gets every export, and the summary says nothing of them.
    t.analyse().success();
    assert_eq!(written(&t.out()), exports);
    let summary = std::fs::read_to_string(t.out().join("summary.md")).unwrap();
    assert!(!summary.contains("## Network exports"));
    // Only what is asked for.
    for (asked, expected) in [
        ("gexf", vec!["network.gexf"]),
        ("json,graphml", vec!["network.graphml", "network.json"]),
        ("none", vec![]),
        ("all", exports.to_vec()),
    ] {
        t.analyse_with(&["--exports", asked]).assert().success();
        assert_eq!(written(&t.out()), expected, "--exports {asked}");
    }
    // A misspelt export names the choices.
    t.analyse_with(&["--exports", "gephi"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("graphml"));
}

#[test]
fn held_back_exports_are_explained_in_the_summary() {
    use partnernet::app::{run_analyses, stages::Stages, Overrides};
    use partnernet::output::exports::ExportFormat;
    use partnernet::output::{summary::Summary, Output};
    let t = TestDataset::small();
    let report = run_analyses(
        &t.data(),
        &Overrides::default(),
        false,
        &mut Stages::new(false),
    )
    .expect("the small dataset analyses");
    let dir = tempfile::tempdir().unwrap();
    Summary {
        exports_held_back: ExportFormat::ALL.to_vec(),
    }
    .write(&report, dir.path())
    .unwrap();
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    let section = &summary[summary.find("## Network exports").expect("the section")..];
    assert!(section.contains("`network.gexf`, `network.graphml`, `network.json` were not written"));
    assert!(section.contains("--exports all"));
}

#[test]
fn a_second_run_replaces_the_outputs_and_removes_the_previous_ones() {
    let ds = TestDataset::small();
    ds.analyse_with(&["--exports", "all"]).assert().success();
    assert!(ds.out().join("network.gexf").is_file());
    let second = ds
        .analyse_with(&["--timings", "--exports", "none"])
        .output()
        .unwrap();
    assert!(second.status.success());
    // The removal is timed as a stage of its own.
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.lines().any(|l| l.starts_with("remove-previous ")),
        "{err}"
    );
    assert!(ds.out().join("summary.md").is_file());
    assert!(!ds.out().join("network.gexf").exists());
    assert!(ds.leftovers().is_empty(), "{:?}", ds.leftovers());
}
