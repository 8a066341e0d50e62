//! Special files in a dataset: only ordinary files are read; a named pipe
//! or a link to a device is an error naming it, at once (never a hang, never
//! reading `/dev/zero` until memory runs out).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{partnernet, TestDataset};

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

fn link_to_zero(path: &Path) {
    let _ = std::fs::remove_file(path);
    std::os::unix::fs::symlink("/dev/zero", path).unwrap();
}

/// Runs `validate` and `analyse` on `ds`; both must fail within seconds,
/// naming `file` and what it is.
fn refused(ds: &TestDataset, file: &str, what: &str) {
    for command in ["validate", "analyse"] {
        let start = Instant::now();
        let mut cmd = partnernet();
        cmd.arg(command).arg(ds.data());
        if command == "analyse" {
            cmd.arg("--out").arg(ds.out());
        }
        let out = cmd.timeout(Duration::from_secs(60)).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            start.elapsed() < Duration::from_secs(50),
            "{command} on {file} took {:?}",
            start.elapsed()
        );
        assert_eq!(out.status.code(), Some(2), "{command} on {file}: {err}");
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(what)),
            "{command} on {file}: {err}"
        );
        assert!(!ds.out().exists());
    }
}

#[test]
fn a_fifo_is_refused_by_name() {
    for file in [
        "organisations.csv",
        "relations.csv",
        "interviews.csv",
        "partnernet.toml",
    ] {
        let ds = TestDataset::small();
        mkfifo(&ds.data().join(file));
        refused(&ds, file, "a named pipe (FIFO), not an ordinary file");
    }
}

#[test]
fn a_link_to_a_device_is_refused_by_name() {
    for file in [
        "organisations.csv",
        "relations.csv",
        "lead-status.csv",
        "partnernet.toml",
    ] {
        let ds = TestDataset::small();
        link_to_zero(&ds.data().join(file));
        refused(&ds, file, "a link to a device, not an ordinary file");
    }
}

#[test]
fn special_notes_are_refused_by_name() {
    let ds = TestDataset::small();
    std::fs::create_dir_all(ds.data().join("notes")).unwrap();
    mkfifo(&ds.data().join("notes/pipe.md"));
    link_to_zero(&ds.data().join("notes/zero.md"));
    refused(&ds, "pipe.md", "a named pipe (FIFO)");
    refused(&ds, "zero.md", "a link to a device");
}

#[test]
fn a_link_to_an_ordinary_file_is_read() {
    let ds = TestDataset::small();
    let elsewhere = ds.dir.path().join("orgs.csv");
    std::fs::rename(ds.data().join("organisations.csv"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, ds.data().join("organisations.csv")).unwrap();
    ds.analyse().success();
}

/// A file one byte over its limit (1 GiB for a table, 16 MiB for a note,
/// 1 MiB for the settings) is an error naming it and saying what to do for
/// that kind of file; sparse files, so the test writes next to nothing.
#[test]
fn files_over_their_size_limit_are_refused_by_name() {
    use partnernet::ingest::files::{NOTE_LIMIT, SETTINGS_LIMIT, TABLE_LIMIT};
    for (file, limit, what_to_do) in [
        (
            "relations.csv",
            TABLE_LIMIT,
            "split it into smaller datasets",
        ),
        (
            "partnernet.toml",
            SETTINGS_LIMIT,
            "holds settings only: start again from the one `partnernet init` writes",
        ),
        (
            "notes/big.md",
            NOTE_LIMIT,
            "split it into several notes, one per interview",
        ),
        (
            "organisations.xlsx",
            TABLE_LIMIT,
            "split it into smaller datasets",
        ),
    ] {
        let ds = TestDataset::small();
        if file.ends_with(".xlsx") {
            std::fs::remove_file(ds.data().join("organisations.csv")).unwrap();
        }
        let path = ds.data().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::File::create(&path)
            .unwrap()
            .set_len(limit + 1)
            .unwrap();
        refused(
            &ds,
            file.trim_start_matches("notes/"),
            "partnernet reads files of up to",
        );
        refused(&ds, file.trim_start_matches("notes/"), what_to_do);
    }
}
