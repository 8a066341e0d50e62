//! Settings and weights that make no sense are errors that name the place:
//! `partnernet.toml`, its line and the setting, or the rows whose weights
//! overflow (exit status 2). The case `../shared/cases/reliability/unusable-settings`.

mod common;

use std::path::{Path, PathBuf};

use common::{partnernet, TestDataset};

fn case() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/cases/reliability/unusable-settings/dataset")
}

#[test]
fn the_case_is_refused_naming_the_setting_and_the_rows() {
    let run = partnernet().arg("validate").arg(case()).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("partnernet.toml, line 3") && err.contains("[clusters] runs"),
        "{err}"
    );
    assert!(
        err.contains("relations.csv: the weights of all relations add up to more than")
            && err.contains("relations.csv:3, relations.csv:4"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn every_setting_out_of_range_is_named_with_its_line() {
    let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(case())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().unwrap() != "partnernet.toml" && p.file_name().unwrap() != "relations.csv"
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    let mut all: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    all.push((
        "relations.csv",
        b"source,target,kind\nwa,m,partner\nwa,l,referral\n",
    ));
    all.push((
        "partnernet.toml",
        b"[clusters]\nresolution = nan\nruns = 1000000000\n\n[leads]\nreferrals = nan\nrecency_half_life_years = 0\ntop = 0\n\n[brokers]\npivots = -1\n",
    ));
    let ds = TestDataset::new(&all);
    let run = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    // pivots = -1 cannot be read as a count: the file's reading stops there.
    assert!(
        err.contains("line 11") && err.contains("[brokers] pivots"),
        "{err}"
    );

    let toml = b"[clusters]\nresolution = nan\nruns = 1000000000\n\n[leads]\nreferrals = nan\nrecency_half_life_years = 0\ntop = 0\n";
    ds.write("partnernet.toml", toml);
    let run = partnernet()
        .arg("validate")
        .arg(ds.data())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    for (line, setting) in [
        (2, "[clusters] resolution"),
        (3, "[clusters] runs"),
        (6, "[leads] referrals"),
        (7, "[leads] recency_half_life_years"),
        (8, "[leads] top"),
    ] {
        assert!(
            err.contains(&format!("partnernet.toml, line {line}, column '{setting}'")),
            "{setting}: {err}"
        );
    }
}

#[test]
fn huge_runs_on_the_command_line_are_refused_not_run() {
    let ds = TestDataset::small();
    let run = ds
        .analyse_with(&["--runs", "18446744073709551615"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    // A mistake on the command line, named as such: exit 64, not 1 or 2.
    assert_eq!(run.status.code(), Some(64));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("'18446744073709551615' for '--runs <RUNS>'") && err.contains("up to 100"),
        "{err}"
    );
    assert!(!ds.out().exists(), "nothing is written");
    for (option, value) in [
        ("--runs", "101"),
        ("--runs", "-1"),
        ("--resolution", "0"),
        ("--resolution", "-0.5"),
        ("--resolution", "nan"),
    ] {
        let run = ds.analyse_with(&[option, value]).output().unwrap();
        assert_eq!(run.status.code(), Some(64), "{option} {value}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(
            err.contains(&format!("'{value}' for '{option}")) && err.contains("it must be"),
            "{err}"
        );
    }
}

#[test]
fn an_encoding_partnernet_does_not_know_is_an_error_naming_its_line() {
    let ds = TestDataset::small();
    std::fs::write(
        ds.data().join("partnernet.toml"),
        "[analysis]\nseed = 7\n\n[input]\ndate_order = \"day-first\"\nencoding = \"klingon-8\"\n",
    )
    .unwrap();
    let (code, err) = ds.validate();
    assert_eq!(code, Some(2));
    assert!(
        err.contains("partnernet.toml, line 6, column '[input] encoding', value \"klingon-8\"")
            && err.contains("windows-1252"),
        "{err}"
    );
    // A label of the Encoding Standard is accepted, in any case.
    std::fs::write(
        ds.data().join("partnernet.toml"),
        "[input]\nencoding = \"ISO-8859-15\"\n",
    )
    .unwrap();
    assert_eq!(ds.validate().0, Some(0));
}

#[test]
fn a_setting_of_the_wrong_type_is_named() {
    let ds = TestDataset::small();
    for (text, line, setting) in [
        ("[analysis]\nseed = -1\n", 2, "[analysis] seed"),
        (
            "# settings\n[clusters]\nobjective = \"louvain\"\n",
            3,
            "[clusters] objective",
        ),
        (
            "[input]\ndate_order = \"sideways\"\n",
            2,
            "[input] date_order",
        ),
    ] {
        std::fs::write(ds.data().join("partnernet.toml"), text).unwrap();
        let (code, err) = ds.validate();
        assert_eq!(code, Some(2), "{text}");
        assert!(
            err.contains(&format!(
                "partnernet.toml, line {line}: the setting {setting}:"
            )),
            "{text}: {err}"
        );
    }
}
