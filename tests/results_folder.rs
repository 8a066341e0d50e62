//! The results folder under faults: the staff's own files, datasets and
//! results folders inside each other, interrupted runs, two runs at once,
//! mount points and a full disk. Every run goes through the binary, in
//! temporary folders.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use common::{partnernet, snapshot};

/// The case of the staff's own files, from the shared cases.
const OWN_FILES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/cases/trust/own-files-in-results/dataset"
);
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            // The shared cases are read-only; the copies need not be.
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

/// A temporary folder with a copy of `dataset` in `ds/`.
fn workspace(dataset: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copy_dir(Path::new(dataset), &ds);
    (dir, ds)
}

fn analyse(dataset: &Path, out: &Path) -> Output {
    partnernet()
        .arg("analyse")
        .arg(dataset)
        .arg("--out")
        .arg(out)
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The names in `dir` that partnernet's staging and set-aside folders have.
fn staging_folders(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partnernet-new-") || n.contains("partnernet-old-"))
        .collect()
}

#[test]
fn the_staff_s_own_files_stop_the_run_and_nothing_changes() {
    // The case's README: run, save two files of one's own, run again.
    let (dir, ds) = workspace(OWN_FILES);
    let results = dir.path().join("results");
    let first = analyse(&ds, &results);
    assert!(first.status.success(), "{}", stderr(&first));
    std::fs::write(results.join("my-notes.txt"), "call the museum on Monday\n").unwrap();
    let mut annotated = std::fs::read(results.join("leads.csv")).unwrap();
    annotated.extend_from_slice(b"# called 3 of them\n");
    std::fs::write(results.join("leads-annotated.csv"), &annotated).unwrap();
    let before = snapshot(&results);
    let dataset_before = snapshot(&ds);

    let second = analyse(&ds, &results);
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    let err = stderr(&second);
    assert!(err.contains("my-notes.txt"), "{err}");
    assert!(err.contains("leads-annotated.csv"), "{err}");
    assert!(err.contains("Move these files out of"), "{err}");
    assert!(err.contains("--out"), "{err}");
    // Previous results and the staff's files byte for byte as they were.
    assert_eq!(snapshot(&results), before);
    assert_eq!(snapshot(&ds), dataset_before);
    assert!(staging_folders(dir.path()).is_empty());

    // Once the files are moved away, the run goes on.
    std::fs::remove_file(results.join("my-notes.txt")).unwrap();
    std::fs::remove_file(results.join("leads-annotated.csv")).unwrap();
    let third = analyse(&ds, &results);
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(results.join("summary.md").is_file());
    assert!(staging_folders(dir.path()).is_empty());
}

#[test]
fn a_result_changed_by_hand_is_named_and_kept() {
    let (dir, ds) = workspace(OWN_FILES);
    let results = dir.path().join("results");
    assert!(analyse(&ds, &results).status.success());
    // Annotated in place, as a spreadsheet saves it.
    let mut leads = std::fs::read(results.join("leads.csv")).unwrap();
    leads.extend_from_slice(b"my note\n");
    std::fs::write(results.join("leads.csv"), &leads).unwrap();
    // A folder of one's own among the diagrams.
    std::fs::create_dir_all(results.join("diagrams/printed")).unwrap();
    let before = snapshot(&results);
    let again = analyse(&ds, &results);
    assert_eq!(again.status.code(), Some(1));
    let err = stderr(&again);
    assert!(
        err.lines()
            .any(|l| l.contains("leads.csv") && l.contains("changed since partnernet wrote it")),
        "{err}"
    );
    assert!(err.contains("printed"), "{err}");
    assert_eq!(snapshot(&results), before);
    assert!(results.join("diagrams/printed").is_dir());
}

#[test]
fn results_copied_elsewhere_are_still_recognised() {
    // A copy keeps the bytes but not the times: the checksums decide.
    let (dir, ds) = workspace(OWN_FILES);
    let results = dir.path().join("results");
    assert!(analyse(&ds, &results).status.success());
    let copy = dir.path().join("copy");
    copy_dir(&results, &copy);
    let again = analyse(&ds, &copy);
    assert!(again.status.success(), "{}", stderr(&again));
}

#[test]
fn a_folder_from_an_older_partnernet_is_replaced_only_if_it_holds_its_names() {
    let (dir, ds) = workspace(OWN_FILES);
    let results = dir.path().join("results");
    assert!(analyse(&ds, &results).status.success());
    // An older marker: one sentence, no list of files.
    std::fs::write(
        results.join(".partnernet-output"),
        "This folder was written by partnernet. The next `partnernet analyse` with the same --out replaces it.\n",
    )
    .unwrap();
    std::fs::write(results.join("thesis.docx"), b"precious").unwrap();
    let refused = analyse(&ds, &results);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("thesis.docx"));
    assert_eq!(
        std::fs::read(results.join("thesis.docx")).unwrap(),
        b"precious"
    );
    std::fs::remove_file(results.join("thesis.docx")).unwrap();
    let replaced = analyse(&ds, &results);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    // Now with a manifest.
    let marker = std::fs::read_to_string(results.join(".partnernet-output")).unwrap();
    assert!(marker.contains(" summary.md\n"), "{marker}");
}

#[test]
fn a_dataset_inside_the_results_folder_is_refused_and_kept() {
    // The reliability README: analyse the sample into results, copy the
    // sample into results/my-hub, analyse that into results.
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    assert!(analyse(Path::new(SAMPLE), &results).status.success());
    let hub = results.join("my-hub");
    copy_dir(Path::new(SAMPLE), &hub);
    let before = snapshot(&results);
    let o = analyse(&hub, &results);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("inside the results folder"), "{err}");
    assert_eq!(snapshot(&results), before);
    assert!(staging_folders(dir.path()).is_empty());
    // Also when the results folder is the dataset's parent given another way.
    let o = analyse(&hub, &dir.path().join("results/../results"));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&results), before);
}

#[test]
fn results_inside_the_dataset_are_refused_before_anything_is_created() {
    let (dir, ds) = workspace(OWN_FILES);
    let before = snapshot(&ds);
    for out in ["x/y/z", "x", "notes/results"] {
        let o = analyse(&ds, &ds.join(out));
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(stderr(&o).contains("inside the dataset folder"), "{out}");
        assert_eq!(snapshot(&ds), before, "{out}");
        assert!(!ds.join("x").exists());
    }
    // The dataset itself as --out.
    let o = analyse(&ds, &ds);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&ds), before);
    // Through a link to the dataset's folder.
    #[cfg(unix)]
    {
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&ds, &link).unwrap();
        let o = analyse(&ds, &link.join("out/deeper"));
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(snapshot(&ds), before);
    }
}

#[test]
fn leftovers_of_interrupted_runs_are_cleaned_by_the_next_run() {
    let (dir, ds) = workspace(OWN_FILES);
    let results = dir.path().join("results");
    assert!(analyse(&ds, &results).status.success());
    // A killed run's staging folder, a set-aside previous one, and an
    // in-place staging folder inside the results.
    for leftover in [
        dir.path().join(".results.partnernet-new-a1b2c3/diagrams"),
        dir.path().join(".results.partnernet-old-d4e5f6"),
        results.join(".partnernet-new-g7h8i9"),
    ] {
        std::fs::create_dir_all(&leftover).unwrap();
        std::fs::write(leftover.join("summary.md"), "half written").unwrap();
    }
    // Someone else's folder with a similar name stays.
    std::fs::create_dir_all(dir.path().join("results-2024")).unwrap();
    let o = analyse(&ds, &results);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("interrupted"), "{}", stderr(&o));
    assert!(
        staging_folders(dir.path()).is_empty(),
        "{:?}",
        staging_folders(dir.path())
    );
    assert!(staging_folders(&results).is_empty());
    assert!(dir.path().join("results-2024").is_dir());
}

#[test]
fn results_set_aside_by_a_killed_swap_are_put_back() {
    // A kill between the two renames of the fallback swap leaves the
    // previous results aside and no results folder.
    let (dir, ds) = workspace(OWN_FILES);
    let results = dir.path().join("results");
    assert!(analyse(&ds, &results).status.success());
    std::fs::write(dir.path().join("mine.txt"), "x").unwrap();
    let aside = dir.path().join(".results.partnernet-old-zz9");
    std::fs::rename(&results, &aside).unwrap();
    // The staff's file in the set-aside results must survive: it stops the
    // run once the results are back.
    std::fs::write(aside.join("my-notes.txt"), "mine").unwrap();
    let o = analyse(&ds, &results);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("Put back the previous results"), "{err}");
    assert!(err.contains("my-notes.txt"), "{err}");
    assert_eq!(
        std::fs::read(results.join("my-notes.txt")).unwrap(),
        b"mine"
    );
    assert!(!aside.exists());
}

#[test]
fn a_second_run_into_a_locked_folder_says_so_and_changes_nothing() {
    let (dir, ds) = workspace(OWN_FILES);
    let results = dir.path().join("results");
    assert!(analyse(&ds, &results).status.success());
    let before = snapshot(&results);
    // This test's process holds the lock, as a run into the folder would.
    let lock = std::fs::File::options()
        .write(true)
        .open(dir.path().join(".results.partnernet-lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let o = analyse(&ds, &results);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("another partnernet run is writing into"),
        "{err}"
    );
    assert_eq!(snapshot(&results), before);
    assert!(staging_folders(dir.path()).is_empty());
    // Once it is released the run goes on.
    lock.unlock().unwrap();
    assert!(analyse(&ds, &results).status.success());
}

#[test]
fn two_runs_at_once_never_interfere() {
    let (dir, ds) = workspace(OWN_FILES);
    let results = dir.path().join("results");
    let spawn = || {
        partnernet()
            .arg("analyse")
            .arg(&ds)
            .arg("--out")
            .arg(&results)
            .timeout(Duration::from_secs(300))
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap(), b.join().unwrap())
    });
    for o in [&a, &b] {
        let err = stderr(o);
        assert!(
            o.status.success() || err.contains("another partnernet run is writing into"),
            "{err}"
        );
    }
    assert!(a.status.success() || b.status.success());
    assert!(staging_folders(dir.path()).is_empty());
    let again = analyse(&ds, &results);
    assert!(again.status.success(), "{}", stderr(&again));
}

#[cfg(unix)]
#[test]
fn sigterm_during_the_outputs_leaves_no_staging_folder() {
    stopped_during_the_outputs_leaves_no_staging_folder("-TERM");
}

/// Ctrl-C in a terminal sends SIGINT.
#[cfg(unix)]
#[test]
fn sigint_during_the_outputs_leaves_no_staging_folder() {
    stopped_during_the_outputs_leaves_no_staging_folder("-INT");
}

#[cfg(unix)]
fn stopped_during_the_outputs_leaves_no_staging_folder(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    partnernet()
        .args(["generate", "--orgs", "3000"])
        .arg(&ds)
        .assert()
        .success();
    let results = dir.path().join("results");
    assert!(analyse(&ds, &results).status.success());
    let before = snapshot(&results);
    let mut caught = false;
    for _ in 0..5 {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("partnernet"))
            .arg("analyse")
            .arg(&ds)
            .arg("--out")
            .arg(&results)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the run writes its staging folder, then stop it.
        let start = Instant::now();
        let mut seen = false;
        while start.elapsed() < Duration::from_secs(120) {
            if !staging_folders(dir.path()).is_empty() {
                seen = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if seen {
            std::process::Command::new("kill")
                .args([signal, &child.id().to_string()])
                .status()
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        if seen && out.status.code() == Some(130) {
            caught = true;
            assert!(String::from_utf8_lossy(&out.stderr).contains("Interrupted"));
            assert!(
                staging_folders(dir.path()).is_empty(),
                "{:?}",
                staging_folders(dir.path())
            );
            assert_eq!(snapshot(&results), before);
            break;
        }
    }
    assert!(caught, "no run could be stopped while it wrote its outputs");
}

/// Mounts a tmpfs of `size` at `at`; false where this user cannot.
#[cfg(target_os = "linux")]
fn mount_tmpfs(at: &Path, size: &str) -> bool {
    std::fs::create_dir_all(at).unwrap();
    std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(at)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(target_os = "linux")]
struct Mounted(PathBuf);

#[cfg(target_os = "linux")]
impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_results_folder_that_is_a_mount_point_is_written_in_place() {
    let (dir, ds) = workspace(OWN_FILES);
    let results = dir.path().join("results");
    if !mount_tmpfs(&results, "8m") {
        eprintln!("skipped: this user cannot mount a tmpfs (CI runs as root and can)");
        return;
    }
    let _mounted = Mounted(results.clone());
    let first = analyse(&ds, &results);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(results.join("summary.md").is_file());
    // A second run with other exports replaces the contents.
    let second = partnernet()
        .arg("analyse")
        .arg(&ds)
        .arg("--out")
        .arg(&results)
        .args(["--exports", "none"])
        .output()
        .unwrap();
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(!results.join("network.gexf").exists());
    assert!(results.join("summary.md").is_file());
    assert!(staging_folders(dir.path()).is_empty());
    assert!(staging_folders(&results).is_empty());
    // The staff's files stop it there too.
    std::fs::write(results.join("my-notes.txt"), "mine").unwrap();
    let before = snapshot(&results);
    let third = analyse(&ds, &results);
    assert_eq!(third.status.code(), Some(1));
    assert!(stderr(&third).contains("my-notes.txt"));
    assert_eq!(snapshot(&results), before);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_names_the_file_and_leaves_nothing_behind() {
    let (dir, ds) = workspace(OWN_FILES);
    let disk = dir.path().join("disk");
    if !mount_tmpfs(&disk, "48k") {
        eprintln!("skipped: this user cannot mount a tmpfs (CI runs as root and can)");
        return;
    }
    let _mounted = Mounted(disk.clone());
    let results = disk.join("results");
    let o = analyse(&ds, &results);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("the disk is full"), "{err}");
    // The file is named as it would be in the results folder.
    assert!(err.contains(&format!("{}/", results.display())), "{err}");
    assert!(!err.contains("partnernet-new-"), "{err}");
    assert!(err.contains("Free some space"), "{err}");
    assert!(!results.exists());
    assert!(
        staging_folders(&disk).is_empty(),
        "{:?}",
        staging_folders(&disk)
    );
}
