//! The same data in any row order gives the same results, byte for byte,
//! on 1, 2 and 3 threads: the sample and a generated movement, their rows
//! shuffled several ways (the case "Row order changes results" of
//! `../shared/cases/reliability/README.md`).

mod common;

use std::path::{Path, PathBuf};

use common::{partnernet, read_csv, snapshot, without_row_order, TestDataset};

/// Results that are not compared: the list of files written with their
/// checksums (it changes with any file), and the workbook (a zip file whose
/// cells cite lines).
const NOT_COMPARED: &[&str] = &[".partnernet-output", "results.xlsx"];

/// The data rows of `text` (every line after the header) in an order made
/// by `seed`; the header stays first.
fn shuffled(text: &str, seed: u64) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    // Fisher–Yates with xorshift.
    for i in (1..lines.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        lines.swap(i, (x % (i as u64 + 1)) as usize);
    }
    let mut out = String::from(header);
    out.push('\n');
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// Copies the dataset `from` into a new folder, with the rows of its tables
/// shuffled by `seed` (seed 0: as they are).
fn copy_shuffled(from: &Path, seed: u64) -> TestDataset {
    let ds = TestDataset::new(&[]);
    copy_dir(from, &ds.data());
    if seed != 0 {
        for table in [
            "organisations.csv",
            "relations.csv",
            "interviews.csv",
            "lead-status.csv",
        ] {
            let path = ds.data().join(table);
            if let Ok(text) = std::fs::read_to_string(&path) {
                std::fs::write(&path, shuffled(&text, seed + table.len() as u64)).unwrap();
            }
        }
    }
    ds
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The results of `analyse` on `data` with `threads` threads, without the
/// line numbers they cite and with their lists of problems sorted
/// (see [`without_row_order`]).
fn results(data: &Path, out: &Path, threads: &str) -> Results {
    partnernet()
        .env("RAYON_NUM_THREADS", threads)
        .args(["analyse", "--format", "svg"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    snapshot(out)
        .into_iter()
        .filter(|(p, _)| !NOT_COMPARED.iter().any(|c| p == Path::new(c)))
        .map(|(p, bytes)| {
            let bytes = without_row_order(&bytes);
            (p, bytes)
        })
        .collect()
}

/// Each result file with its bytes.
type Results = Vec<(PathBuf, Vec<u8>)>;

/// Every shuffle of `data` on every thread count gives the results of the
/// first run.
fn same_results_in_any_order(data: &Path, seeds: &[u64]) {
    let mut first: Option<(String, Results)> = None;
    for (k, &seed) in seeds.iter().enumerate() {
        let ds = copy_shuffled(data, seed);
        let threads = ["1", "2", "3"][k % 3];
        let got = results(&ds.data(), &ds.out(), threads);
        let what = format!("rows shuffled by seed {seed}, {threads} threads");
        match &first {
            None => {
                assert!(got.len() > 10, "{what}: only {} results", got.len());
                first = Some((what, got));
            }
            Some((first_what, expected)) => {
                let names = |s: &[(PathBuf, Vec<u8>)]| -> Vec<PathBuf> {
                    s.iter().map(|(p, _)| p.clone()).collect()
                };
                assert_eq!(names(expected), names(&got), "{first_what} against {what}");
                for ((path, a), (_, b)) in expected.iter().zip(&got) {
                    assert!(
                        a == b,
                        "{} differs: {first_what} against {what}",
                        path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn the_sample_shuffled_gives_the_same_results_on_any_thread_count() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    same_results_in_any_order(&sample, &[0, 1, 2, 3, 4, 5]);
}

#[test]
fn a_generated_movement_shuffled_gives_the_same_results_on_any_thread_count() {
    let movement = TestDataset::generated(3000);
    same_results_in_any_order(&movement.data(), &[0, 7, 8, 9]);
}

/// The relations of a dataset where one unknown organisation is written
/// three ways (twice `Musée  Nordique`, once `musee nordique` and once
/// `MUSÉE NORDIQUE`) and another two ways once each (`Ab Archive`,
/// `ab archive`), in the row order given by `order`.
fn spellings_dataset(order: &[usize]) -> TestDataset {
    let rows = [
        "wm-a,musee nordique,partner",
        "wm-a,Musée  Nordique,referral",
        "wm-b,MUSÉE NORDIQUE,partner",
        "wm-b,Musée  Nordique,desired",
        "wm-a,ab archive,partner",
        "wm-b,Ab Archive,partner",
    ];
    let mut relations = String::from("source,target,kind\n");
    for &k in order {
        relations.push_str(rows[k]);
        relations.push('\n');
    }
    TestDataset::new(&[
        (
            "organisations.csv",
            b"id,name,kind,country\nwm-a,Wikimedia Alpha,affiliate,SE\nwm-b,Wikimedia Beta,affiliate,KE\n",
        ),
        ("relations.csv", relations.as_bytes()),
    ])
}

/// An unknown name written in several spellings that fold together keeps
/// the spelling used most (ties: the smallest, `A` before `a`), whatever
/// the order of the rows; the warning counts every use and names the other
/// spellings. Compared: every result file but the workbook and the list of
/// files, line numbers masked and problem lists sorted, for two row orders.
#[test]
fn an_unknown_name_keeps_its_most_used_spelling_in_any_row_order() {
    let mut runs = Vec::new();
    for order in [[0, 1, 2, 3, 4, 5], [5, 4, 2, 0, 3, 1]] {
        let ds = spellings_dataset(&order);
        let run = partnernet()
            .arg("analyse")
            .arg(ds.data())
            .arg("--out")
            .arg(ds.out())
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        assert!(
            stderr.contains("Musée  Nordique")
                && stderr.contains("used 4 times")
                && stderr.contains(r#"also written "MUSÉE NORDIQUE", "musee nordique""#),
            "{order:?}: {stderr}"
        );
        assert!(
            stderr.contains("Ab Archive") && stderr.contains(r#"also written "ab archive""#),
            "{order:?}: {stderr}"
        );
        let rows = read_csv(&ds.out().join("clusters.csv"));
        let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str()).collect();
        assert!(names.contains(&"Musée  Nordique"), "{order:?}: {names:?}");
        assert!(names.contains(&"Ab Archive"), "{order:?}: {names:?}");
        assert!(!names.contains(&"musee nordique") && !names.contains(&"ab archive"));
        let got: Results = snapshot(&ds.out())
            .into_iter()
            .filter(|(p, _)| !NOT_COMPARED.iter().any(|c| p == Path::new(c)))
            .map(|(p, bytes)| (p, without_row_order(&bytes)))
            .collect();
        // The warnings, in any order (they follow the lines), without the
        // temporary folder's name.
        let stderr = stderr.replace(&ds.dir.path().display().to_string(), "TMP");
        let mut warnings: Vec<String> =
            String::from_utf8_lossy(&without_row_order(stderr.as_bytes()))
                .lines()
                .map(str::to_string)
                .collect();
        warnings.sort();
        runs.push((warnings, got));
    }
    assert_eq!(
        runs[0].0, runs[1].0,
        "the warnings differ with the row order"
    );
    assert_eq!(runs[0].1.len(), runs[1].1.len());
    for ((path, a), (_, b)) in runs[0].1.iter().zip(&runs[1].1) {
        assert!(a == b, "{} differs with the row order", path.display());
    }
}
