//! Helpers shared by the integration tests: datasets written into temporary
//! folders, and the binary.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The partnernet binary.
pub fn partnernet() -> Command {
    let mut cmd = Command::cargo_bin("partnernet").expect("the binary is built");
    cmd.env_remove("RAYON_NUM_THREADS");
    cmd
}

/// A dataset in a temporary folder.
pub struct TestDataset {
    pub dir: tempfile::TempDir,
}

impl TestDataset {
    /// A dataset with the given files (name, contents).
    pub fn new(files: &[(&str, &[u8])]) -> TestDataset {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join("data").join(name), text).unwrap();
        }
        TestDataset { dir }
    }

    /// A small valid dataset: two affiliates, three institutions.
    pub fn small() -> TestDataset {
        TestDataset::new(&[
            (
                "organisations.csv",
                b"id,name,kind,country,region,wikidata,aliases,digitisation\n\
                  wm-a,Wikimedia Alpha,affiliate,SE,,,WMA,\n\
                  wm-b,Wikimedia Beta,affiliate,KE,,Q42,,\n\
                  mus-1,Museum One,museum,SE,,,Musee Un,started\n\
                  lib-1,Library One,library,KE,,,,none\n\
                  arc-1,Archive One,archive,SE,,,,\n",
            ),
            (
                "relations.csv",
                b"source,target,kind,date,interview,weight,note\n\
                  wm-a,mus-1,partner,2024-01-02,,2,\n\
                  wm-a,Museum One,referral,2024-01-02,,,\n\
                  wma,wm-b,collaborates,2023,,,\n\
                  wm-b,lib-1,partner,,,,\n\
                  wm-b,arc-1,desired,,,,\n",
            ),
        ])
    }

    /// A movement of `orgs` organisations made by `partnernet generate`.
    pub fn generated(orgs: usize) -> TestDataset {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let ds = TestDataset { dir };
        partnernet()
            .args(["generate", "--orgs", &orgs.to_string()])
            .arg(ds.data())
            .assert()
            .success();
        ds
    }

    /// The dataset folder.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// An output folder beside the dataset.
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// `partnernet analyse` on the dataset into [`TestDataset::out`], with
    /// `extra` arguments, ready to run.
    pub fn analyse_with(&self, extra: &[&str]) -> Command {
        let mut cmd = partnernet();
        cmd.arg("analyse")
            .arg(self.data())
            .arg("--out")
            .arg(self.out())
            .args(extra);
        cmd
    }

    /// Runs `partnernet analyse` on the dataset into [`TestDataset::out`].
    pub fn analyse(&self) -> assert_cmd::assert::Assert {
        self.analyse_with(&[]).assert()
    }

    /// Runs `partnernet analyse --timings` on the dataset into
    /// [`TestDataset::out`] and returns what it printed.
    pub fn analyse_timed(&self) -> std::process::Output {
        self.analyse_with(&["--timings"]).output().unwrap()
    }

    /// Staging or previous-output folders left beside the output folder (not
    /// the lock file, which stays).
    pub fn leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("partnernet-") && !n.ends_with(".partnernet-lock"))
            .collect()
    }

    pub fn write(&self, name: &str, text: &[u8]) {
        std::fs::write(self.data().join(name), text).unwrap();
    }

    /// Runs `partnernet validate` on the dataset: its exit status and what
    /// it printed on standard error.
    pub fn validate(&self) -> (Option<i32>, String) {
        let run = partnernet()
            .arg("validate")
            .arg(self.data())
            .output()
            .unwrap();
        (
            run.status.code(),
            String::from_utf8_lossy(&run.stderr).into_owned(),
        )
    }
}

/// Every file below `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// A CSV file as rows of column name → value.
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .map(str::to_string)
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// Generates a movement of `orgs` organisations (`partnernet generate`, its
/// default seed) into `dir/movement` and analyses it into `dir/out` with the
/// given extra arguments; returns the results folder. Panics when either
/// command fails.
pub fn analysed_movement(dir: &Path, orgs: usize, args: &[&str]) -> PathBuf {
    let data = dir.join("movement");
    partnernet()
        .args(["generate", "--orgs", &orgs.to_string()])
        .arg(&data)
        .assert()
        .success();
    let out = dir.join("out");
    partnernet()
        .arg("analyse")
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .args(args)
        .assert()
        .success();
    out
}

/// Every file below `dir` whose name ends in `.ext`, sorted.
pub fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `bytes` (a result file) with what may follow the order of the input rows
/// taken out: the line numbers it cites (`relations.csv:14`, `line 14`, and
/// the line of an unknown name's first use in the report's data) become
/// `#`, and each list of problems (a run of lines starting `- warning: ` or
/// `- error: `, which follow the lines of the files) is sorted. The rest
/// stays as written: only these may move with the rows.
pub fn without_row_order(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let cited = regex::Regex::new(r"(\.csv:|\.md:|\.wiki:|line )\d+").unwrap();
    let first_use = regex::Regex::new(r#"\[("(?:[^"\\]|\\.)*",\d+,)\d+,\["#).unwrap();
    let text = cited.replace_all(&text, "${1}#");
    let text = first_use.replace_all(&text, "[${1}#,[");
    let is_problem = |l: &str| l.starts_with("- warning: ") || l.starts_with("- error: ");
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<&str> = Vec::new();
    for line in text.split_inclusive('\n') {
        if is_problem(line) {
            run.push(line);
            continue;
        }
        run.sort_unstable();
        out.extend(run.drain(..));
        out.push_str(line);
    }
    run.sort_unstable();
    out.extend(run.drain(..));
    out.into_bytes()
}
