//! The results folder (`--out`): written all or nothing, and never a file
//! deleted that partnernet did not write.
//!
//! What a run promises, and how:
//!
//! - **Nothing of the staff's is deleted.** Every results folder holds a
//!   marker file, [`MARKER`], that lists each file the run wrote with its
//!   size and an XXH3-64 checksum of its bytes (the manifest). Before it
//!   changes anything, a run looks at everything in the folder: a file the
//!   manifest does not list, or one whose bytes changed since, stops the run
//!   with every such file named ([`check`]). A non-empty folder without a
//!   marker is never touched. A folder written by an older partnernet (a
//!   marker without a manifest) is accepted when it holds only the names
//!   partnernet writes: its outputs at the top, and CSV, SVG, PNG, PDF and
//!   DOT files under `diagrams/` and `leads/`.
//! - **Never in the dataset, never over it.** `--out` inside the dataset
//!   folder, and a dataset folder inside `--out`, are refused before any
//!   folder is created.
//! - **All or nothing.** A run writes into a hidden staging folder beside
//!   `--out` (`.NAME.partnernet-new-…`) and swaps it with the previous
//!   results in one step: `renameat2(RENAME_EXCHANGE)` on Linux and
//!   `renameatx_np(RENAME_SWAP)` on macOS, so that the folder is never
//!   missing. Elsewhere, or on a file system without the exchange, the old
//!   folder is renamed aside (`.NAME.partnernet-old-…`) and the new one
//!   renamed in; if the run is killed between the two renames, the next run
//!   puts the previous results back first.
//! - **No leftovers.** Ctrl-C (SIGINT) and SIGTERM remove the staging
//!   folder before the run exits (status 130): the handler stops the
//!   creation of folders ([`create_folders`]), renames the staging folder
//!   out of the writers' reach and removes it, so that no writer still at
//!   work can put files back. Staging folders of a run that was killed
//!   outright are removed by the next run into the same folder.
//! - **A folder that cannot be renamed** (a mount point, such as a
//!   container volume) has its contents replaced in place: the previous
//!   results' files go, the new ones are moved in, and anything else would
//!   already have stopped the run.
//! - **One run at a time.** A run holds a lock on `.NAME.partnernet-lock`
//!   beside the folder while it checks, writes and swaps; a second run into
//!   the same folder stops at once with a message.
//! - **A full disk** is reported as such, naming the file that could not be
//!   written; the unfinished results are removed and the previous ones stay.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once, RwLock};
use std::time::UNIX_EPOCH;

use anyhow::{anyhow, bail, Context};
use rayon::prelude::*;

/// The marker file in every results folder partnernet writes; it lists
/// the files the run wrote (see the module documentation).
pub const MARKER: &str = ".partnernet-output";

const MARKER_TEXT: &str = "This folder was written by partnernet. The next `partnernet analyse` with the same --out replaces the files listed below, and stops without changing anything if the folder holds any other file or a listed file was changed.\n";
const MANIFEST_HEADER: &str = "files (xxh3-64, bytes, path):";
/// The staging and set-aside folders beside `--out` are named
/// `.NAME.partnernet-new-…` and `.NAME.partnernet-old-…`.
const NEW: &str = "partnernet-new-";
const OLD: &str = "partnernet-old-";
/// The lock file beside `--out` is `.NAME.partnernet-lock`.
const LOCK: &str = "partnernet-lock";
/// How many unexpected files a refusal names before it only counts.
const LISTED: usize = 20;
/// Below this many free bytes a failed write is taken for a full disk.
const NEARLY_FULL: u64 = 1 << 20;

/// Where a run writes: `--out` as given, and resolved.
struct Place {
    out: PathBuf,
    parent: PathBuf,
    name: String,
}

/// Resolves `path` to an absolute path without creating anything: the
/// longest part that exists is canonicalised (links followed), the rest
/// appended.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut base = abs.as_path();
    let mut rest: Vec<&OsStr> = Vec::new();
    let canonical = loop {
        match base.canonicalize() {
            Ok(c) => break c,
            Err(_) => match (base.file_name(), base.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    base = parent;
                }
                _ => return Ok(abs),
            },
        }
    };
    Ok(rest.iter().rev().fold(canonical, |p, n| p.join(n)))
}

/// Checks `out` against `dataset` without touching either.
fn place(out: &Path, dataset: &Path) -> anyhow::Result<Place> {
    let name = out
        .file_name()
        .filter(|n| *n != "." && *n != "..")
        .ok_or_else(|| {
            anyhow!(
                "the results folder {} has no name; give a folder such as `output`",
                out.display()
            )
        })?
        .to_string_lossy()
        .into_owned();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let out_abs = resolve(out).with_context(|| format!("cannot find {}", out.display()))?;
    if let Ok(dataset_abs) = dataset.canonicalize() {
        if out_abs.starts_with(&dataset_abs) {
            bail!(
                "the results folder {} is inside the dataset folder {}; partnernet never writes into a dataset, and has created nothing. Choose another --out, such as `output`",
                out.display(),
                dataset.display()
            );
        }
        if dataset_abs.starts_with(&out_abs) {
            bail!(
                "the dataset folder {} is inside the results folder {}; a run replaces its results folder, so partnernet has changed nothing. Move the dataset out of {} or choose another --out",
                dataset.display(),
                out.display(),
                out.display()
            );
        }
    }
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => bail!(
            "the results folder {} is a link; give the folder it points to as --out",
            out.display()
        ),
        Ok(m) if !m.is_dir() => bail!(
            "{} exists and is not a folder; choose another --out",
            out.display()
        ),
        _ => {}
    }
    Ok(Place {
        out: out.to_path_buf(),
        parent,
        name,
    })
}

/// One file a manifest lists.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    hash: u64,
    size: u64,
}

/// What a results folder's marker says partnernet wrote.
#[derive(Debug, Default)]
enum Manifest {
    /// No marker.
    #[default]
    None,
    /// A marker written before manifests: the names partnernet writes.
    Legacy,
    /// Path (`/`-separated, relative to the folder) → the versions written
    /// (two when an in-place replacement was interrupted).
    Files(BTreeMap<String, Vec<Entry>>),
}

impl Manifest {
    fn read(out: &Path) -> anyhow::Result<Manifest> {
        let text = match std::fs::read(out.join(MARKER)) {
            Ok(t) => String::from_utf8_lossy(&t).into_owned(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Manifest::None),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read {}", out.join(MARKER).display()))
            }
        };
        let Some((_, list)) = text.split_once(MANIFEST_HEADER) else {
            return Ok(Manifest::Legacy);
        };
        let mut files: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for line in list.lines().filter(|l| !l.is_empty()) {
            let mut parts = line.splitn(3, ' ');
            let (Some(hash), Some(size), Some(path)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Ok(hash), Ok(size)) = (u64::from_str_radix(hash, 16), size.parse()) else {
                continue;
            };
            files
                .entry(path.to_string())
                .or_default()
                .push(Entry { hash, size });
        }
        Ok(Manifest::Files(files))
    }

    /// The marker's text for these files.
    fn text(files: &BTreeMap<String, Vec<Entry>>) -> String {
        let mut text = format!("{MARKER_TEXT}\n{MANIFEST_HEADER}\n");
        for (path, entries) in files {
            for e in entries {
                text.push_str(&format!("{:016x} {} {path}\n", e.hash, e.size));
            }
        }
        text
    }
}

/// Lists every file below `dir` (relative, `/`-separated), and the folders
/// that hold nothing.
fn walk(dir: &Path) -> io::Result<(Vec<String>, Vec<String>)> {
    let mut files = Vec::new();
    let mut empty = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((d, rel)) = stack.pop() {
        let mut any = false;
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            any = true;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if entry.file_type()?.is_dir() {
                stack.push((entry.path(), path));
            } else {
                files.push(path);
            }
        }
        if !any && !rel.is_empty() {
            empty.push(rel);
        }
    }
    files.sort();
    empty.sort();
    Ok((files, empty))
}

/// The size, modification time and checksum of a file.
fn entry_of(path: &Path) -> io::Result<Entry> {
    let meta = std::fs::metadata(path)?;
    Ok(Entry {
        hash: hash_file(path)?,
        size: meta.len(),
    })
}

fn modified(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

fn hash_file(path: &Path) -> io::Result<u64> {
    let mut file = File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.digest());
        }
        hasher.update(&buf[..n]);
    }
}

/// Whether a file is one partnernet wrote, as `versions` lists it: the same
/// size and bytes. (Modification times would spare reading the files, but
/// would make the marker differ between runs of the same data.)
fn unchanged(path: &Path, versions: &[Entry]) -> io::Result<bool> {
    let meta = std::fs::symlink_metadata(path)?;
    if !meta.is_file() {
        return Ok(false);
    }
    let size = meta.len();
    if !versions.iter().any(|v| v.size == size) {
        return Ok(false);
    }
    let hash = hash_file(path)?;
    Ok(versions.iter().any(|v| v.size == size && v.hash == hash))
}

/// The names an older partnernet (a marker without a manifest) wrote.
fn legacy_name(path: &str) -> bool {
    match path.split_once('/') {
        None => {
            let plan = super::ExportPlan {
                written: super::exports::ExportFormat::ALL.to_vec(),
                held_back: Vec::new(),
            };
            super::outputs(&plan).iter().any(|o| o.name() == path)
        }
        Some((top, rest)) => {
            (top == "diagrams" || top == "leads")
                && !rest.split('/').any(|p| p.starts_with('.'))
                && [".csv", ".svg", ".png", ".pdf", ".dot"]
                    .iter()
                    .any(|x| rest.ends_with(x))
        }
    }
}

/// A file in the results folder that partnernet may not delete.
#[derive(Debug)]
struct Finding {
    path: String,
    changed: bool,
}

/// The files in `out` that partnernet did not write, or that changed since.
fn findings(out: &Path) -> anyhow::Result<(Manifest, Vec<Finding>)> {
    if !out.is_dir() {
        return Ok((Manifest::None, Vec::new()));
    }
    let manifest = Manifest::read(out)?;
    let (files, empty) = walk(out).with_context(|| format!("cannot read {}", out.display()))?;
    // In-place staging folders of an interrupted run are partnernet's own.
    let ours = |p: &str| p == MARKER || p.starts_with(&format!(".{NEW}"));
    let files: Vec<String> = files.into_iter().filter(|p| !ours(p)).collect();
    let empty: Vec<String> = empty.into_iter().filter(|p| !ours(p)).collect();
    let found = match &manifest {
        Manifest::None => {
            let mut top: BTreeSet<String> = BTreeSet::new();
            for p in files.iter().chain(&empty) {
                let first = p.split('/').next().unwrap_or(p);
                top.insert(if first.len() < p.len() {
                    format!("{first}/")
                } else {
                    first.to_string()
                });
            }
            top.into_iter()
                .map(|path| Finding {
                    path,
                    changed: false,
                })
                .collect()
        }
        Manifest::Legacy => files
            .into_iter()
            .filter(|p| !legacy_name(p))
            .chain(empty.into_iter().map(|p| format!("{p}/")))
            .map(|path| Finding {
                path,
                changed: false,
            })
            .collect(),
        Manifest::Files(listed) => {
            let judged: Vec<Option<Finding>> = files
                .par_iter()
                .map(|p| -> anyhow::Result<Option<Finding>> {
                    Ok(match listed.get(p) {
                        None => Some(Finding {
                            path: p.clone(),
                            changed: false,
                        }),
                        Some(versions) => (!unchanged(&out.join(p), versions)
                            .with_context(|| format!("cannot read {}", out.join(p).display()))?)
                        .then(|| Finding {
                            path: p.clone(),
                            changed: true,
                        }),
                    })
                })
                .collect::<anyhow::Result<_>>()?;
            let mut found: Vec<Finding> = judged.into_iter().flatten().collect();
            found.extend(
                empty
                    .into_iter()
                    .filter(|d| !listed.keys().any(|p| p.starts_with(&format!("{d}/"))))
                    .map(|d| Finding {
                        path: format!("{d}/"),
                        changed: false,
                    }),
            );
            found
        }
    };
    Ok((manifest, found))
}

/// The refusal for a folder that holds files partnernet may not delete.
fn refusal(place: &Place, manifest: &Manifest, found: &[Finding]) -> anyhow::Error {
    let out = place.out.display();
    let mut text = match manifest {
        Manifest::None => format!(
            "the folder {out} was not written by partnernet and is not empty, so partnernet has changed nothing in it. It holds:\n"
        ),
        _ => format!(
            "the results folder {out} holds files that partnernet did not write, so this run has changed nothing:\n"
        ),
    };
    for f in found.iter().take(LISTED) {
        let path = place.out.join(&f.path);
        text.push_str(&format!("  {}", path.display()));
        if f.changed {
            text.push_str("  (changed since partnernet wrote it)");
        }
        text.push('\n');
    }
    if found.len() > LISTED {
        text.push_str(&format!("  … and {} more\n", found.len() - LISTED));
    }
    text.push_str(&format!(
        "partnernet never deletes a file it did not write. Move these files out of {out} (a changed file too, if you want to keep your changes) and run again, or choose another results folder with --out."
    ));
    anyhow!(text)
}

/// Checks, before a run analyses anything, that it may write its results
/// into `out`: neither folder inside the other, and nothing in `out` that
/// partnernet did not write. Creates and changes nothing.
///
/// # Errors
/// Each refusal names the folder or the files and says how to go on.
pub fn check(out: &Path, dataset: &Path) -> anyhow::Result<()> {
    let place = place(out, dataset)?;
    let (manifest, found) = findings(&place.out)?;
    if !found.is_empty() {
        return Err(refusal(&place, &manifest, &found));
    }
    Ok(())
}

/// Folders to remove if the run is interrupted (SIGINT, SIGTERM).
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether the run was interrupted: from then on [`create_folders`]
/// creates nothing. Writers hold it for reading while they create folders,
/// the interrupt handler for writing while it sets it.
static STOPPING: RwLock<bool> = RwLock::new(false);

/// Creates the folder `path` and the missing folders above it, as
/// [`std::fs::create_dir_all`] does, unless the run was interrupted
/// (SIGINT, SIGTERM): then it creates nothing and says so. Every output
/// creates its folders with this, so that no writer can create the staging
/// folder again after the interrupt handler removed it.
///
/// # Errors
/// Those of [`std::fs::create_dir_all`], and [`io::ErrorKind::Interrupted`]
/// once the run was interrupted.
pub fn create_folders(path: &Path) -> io::Result<()> {
    let stopping = STOPPING.read().unwrap_or_else(|e| e.into_inner());
    if *stopping {
        return Err(io::Error::new(
            io::ErrorKind::Interrupted,
            "the run was interrupted",
        ));
    }
    std::fs::create_dir_all(path)
}

/// Removes the pending folders on SIGINT and SIGTERM, then exits with
/// status 130.
///
/// While the handler runs, the output writers (threads of this process)
/// and Graphviz (other processes) may still be adding files to the staging
/// folder. So the handler first waits for the swap to finish (the pending
/// list's lock) and stops the creation of folders ([`STOPPING`]); then it
/// renames each pending folder to a name nobody writes to (still one the
/// next run cleans up, should this one be killed outright meanwhile), so
/// that every later write by path fails, and removes it under that name.
fn handle_interrupts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only when a handler is set already; then that one decides.
        let _ = ctrlc::set_handler(|| {
            let list = pending();
            *STOPPING.write().unwrap_or_else(|e| e.into_inner()) = true;
            for dir in list.iter() {
                let mut doomed = dir.clone().into_os_string();
                doomed.push("-interrupted");
                let doomed = PathBuf::from(doomed);
                let gone = if std::fs::rename(dir, &doomed).is_ok() {
                    &doomed
                } else {
                    dir
                };
                // A file being created by path as the rename happened may
                // still land in it: a few tries.
                for _ in 0..100 {
                    if std::fs::remove_dir_all(gone).is_ok() || !gone.exists() {
                        break;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
            }
            eprintln!(
                "Interrupted: the unfinished results were removed; the results folder is as it was."
            );
            std::process::exit(130);
        });
    });
}

/// The results of [`replace_dir`]: the lock on the results folder, held
/// until this is dropped, and the previous results to remove.
#[derive(Debug)]
pub struct Replaced {
    previous: Option<PathBuf>,
    _lock: File,
}

impl Replaced {
    /// Removes the previous results, set aside by the swap. Removing a large
    /// run's files takes seconds, and the caller says so.
    pub fn remove_previous(self) -> anyhow::Result<()> {
        if let Some(old) = &self.previous {
            std::fs::remove_dir_all(old).with_context(|| {
                format!("cannot remove the previous results from {}", old.display())
            })?;
            pending().retain(|p| p != old);
        }
        Ok(())
    }
}

/// Takes the lock of the results folder, or says that another run holds it.
fn lock(place: &Place) -> anyhow::Result<File> {
    let path = place.parent.join(format!(".{}.{LOCK}", place.name));
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another partnernet run is writing into {} right now; wait until it has finished and run again, or choose another --out",
            place.out.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// Removes the staging folders of earlier runs that were killed, and puts
/// the previous results back if a run was killed in the middle of the
/// two-rename swap. Called with the lock held.
fn clean_leftovers(place: &Place) -> anyhow::Result<()> {
    let new = format!(".{}.{NEW}", place.name);
    let old = format!(".{}.{OLD}", place.name);
    let mut olds = Vec::new();
    let mut news = Vec::new();
    for entry in std::fs::read_dir(&place.parent)
        .with_context(|| format!("cannot read {}", place.parent.display()))?
    {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type()?.is_dir() {
            continue;
        }
        if name.starts_with(&old) {
            olds.push(entry.path());
        } else if name.starts_with(&new) {
            news.push(entry.path());
        }
    }
    if !place.out.exists() {
        // Killed between the two renames: the newest complete set-aside
        // folder is the previous results.
        let newest = olds
            .iter()
            .filter(|p| p.join(MARKER).is_file())
            .max_by_key(|p| std::fs::metadata(p).map(|m| modified(&m)).unwrap_or(0))
            .cloned();
        if let Some(previous) = newest {
            std::fs::rename(&previous, &place.out).with_context(|| {
                format!(
                    "cannot put the previous results {} back in {}",
                    previous.display(),
                    place.out.display()
                )
            })?;
            eprintln!(
                "Put back the previous results in {}: an earlier run was stopped while it replaced them.",
                place.out.display()
            );
            olds.retain(|p| *p != previous);
        }
    }
    if place.out.is_dir() {
        for entry in std::fs::read_dir(&place.out)? {
            let entry = entry?;
            if entry.file_type()?.is_dir()
                && entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with(&format!(".{NEW}"))
            {
                news.push(entry.path());
            }
        }
    }
    for dir in olds.iter().chain(&news) {
        std::fs::remove_dir_all(dir).with_context(|| {
            format!(
                "cannot remove {}, left by an interrupted run",
                dir.display()
            )
        })?;
        eprintln!(
            "Removed {}, the unfinished results of an earlier run that was interrupted.",
            dir.display()
        );
    }
    Ok(())
}

/// Whether a rename failed because the folder cannot be renamed (a mount
/// point) or moved to the other file system.
fn cannot_rename(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices
    )
}

/// Swaps two folders in one step where the system can.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
    {
        rustix::fs::renameat_with(
            rustix::fs::CWD,
            a,
            rustix::fs::CWD,
            b,
            rustix::fs::RenameFlags::EXCHANGE,
        )
        .map_err(io::Error::from)
    }
    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
    {
        let _ = (a, b);
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// Whether `out` is a mount point: on another file system than its parent.
fn is_mount_point(place: &Place) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (
            std::fs::metadata(&place.out),
            std::fs::metadata(&place.parent),
        ) {
            (Ok(o), Ok(p)) => o.dev() != p.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = place;
        false
    }
}

/// Copies a folder; for moving results across file systems.
fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn remove_any(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Replaces the contents of `out` with those of `staged`, for a results
/// folder that cannot be renamed. Only the previous results' files are
/// removed: [`check`] has made sure there is nothing else. While it runs,
/// the marker lists both the previous and the new files, so that an
/// interruption leaves nothing partnernet would not recognise.
fn install_in_place(
    staged: &Path,
    out: &Path,
    previous: &Manifest,
    written: &BTreeMap<String, Vec<Entry>>,
) -> anyhow::Result<()> {
    let context = || format!("cannot put the new results in {}", out.display());
    let mut both = written.clone();
    if let Manifest::Files(old) = previous {
        for (path, versions) in old {
            both.entry(path.clone())
                .or_default()
                .extend(versions.iter().cloned());
        }
    }
    std::fs::write(out.join(MARKER), Manifest::text(&both)).with_context(context)?;
    let mut new_top = BTreeSet::new();
    for entry in std::fs::read_dir(staged).with_context(context)? {
        let entry = entry.with_context(context)?;
        let name = entry.file_name();
        if name == MARKER {
            continue;
        }
        new_top.insert(name.to_string_lossy().into_owned());
        let target = out.join(&name);
        remove_any(&target).with_context(context)?;
        match std::fs::rename(entry.path(), &target) {
            Ok(()) => {}
            Err(e) if cannot_rename(&e) => {
                if entry.file_type()?.is_dir() {
                    copy_dir(&entry.path(), &target).with_context(context)?;
                } else {
                    std::fs::copy(entry.path(), &target).with_context(context)?;
                }
            }
            Err(e) => return Err(e).with_context(context),
        }
    }
    // The previous results' files that this run did not write again.
    let (files, empty) = walk(out).with_context(context)?;
    for p in files.iter().chain(&empty) {
        let top = p.split('/').next().unwrap_or(p);
        if p == MARKER || top.starts_with(&format!(".{NEW}")) || new_top.contains(top) {
            continue;
        }
        remove_any(&out.join(top)).with_context(context)?;
    }
    std::fs::write(out.join(MARKER), Manifest::text(written)).with_context(context)?;
    std::fs::remove_dir_all(staged).ok();
    Ok(())
}

/// Free bytes on the file system that holds `path`, where known.
fn free_space(path: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::fs::statvfs(path)
            .ok()
            .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Whether an error, or the disk it happened on, says the disk is full.
fn disk_full(e: &anyhow::Error, dir: &Path) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
            )
        })
    }) || free_space(dir).is_some_and(|free| free < NEARLY_FULL)
}

/// The error of a failed write, said in terms of the results folder rather
/// than the staging folder, and with what to do when the disk is full.
fn write_failure(e: anyhow::Error, place: &Place, staging: &Path) -> anyhow::Error {
    let said = format!("{e:#}").replace(
        &staging.display().to_string(),
        &place.out.display().to_string(),
    );
    let kept = if place.out.exists() {
        format!(
            "the previous results in {} are as they were",
            place.out.display()
        )
    } else {
        format!("{} was not created", place.out.display())
    };
    if disk_full(&e, &place.parent) {
        anyhow!(
            "the disk is full: {said}.\nThe unfinished results were removed and {kept}. Free some space on the disk that holds {}, or choose --out on another disk, and run again.",
            place.parent.display()
        )
    } else {
        anyhow!("{said}\nThe unfinished results were removed and {kept}.")
    }
}

/// Runs `write` on a fresh staging folder and, if it succeeds, puts its
/// files in place of those in `out` (see the module documentation for what
/// is promised). `dataset` is the folder the data came from.
///
/// Returns the lock, held until the [`Replaced`] is dropped, and the
/// previous results, moved aside for [`Replaced::remove_previous`].
///
/// # Errors
/// The refusals of [`check`]; another run holding the lock; a failed
/// `write` (the staging folder is then removed and `out` is unchanged); a
/// failed swap.
pub fn replace_dir(
    out: &Path,
    dataset: &Path,
    write: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<Replaced> {
    let place = place(out, dataset)?;
    std::fs::create_dir_all(&place.parent)
        .with_context(|| format!("cannot create the folder {}", place.parent.display()))?;
    let lock = lock(&place)?;
    handle_interrupts();
    clean_leftovers(&place)?;
    let (previous, found) = findings(&place.out)?;
    if !found.is_empty() {
        return Err(refusal(&place, &previous, &found));
    }
    let in_place = is_mount_point(&place);
    let (staging_in, prefix) = if in_place {
        (place.out.clone(), format!(".{NEW}"))
    } else {
        (place.parent.clone(), format!(".{}.{NEW}", place.name))
    };
    let staged = {
        let mut list = pending();
        let staged = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&staging_in)
            .with_context(|| format!("cannot create a folder in {}", staging_in.display()))?
            .keep();
        list.push(staged.clone());
        staged
    };
    let forget = |p: &Path| pending().retain(|x| x != p);
    let written = write(&staged)
        .and_then(|()| {
            let (files, _) = walk(&staged)?;
            let entries = files
                .par_iter()
                .map(|p| Ok((p.clone(), vec![entry_of(&staged.join(p))?])))
                .collect::<io::Result<BTreeMap<_, _>>>()?;
            std::fs::write(staged.join(MARKER), Manifest::text(&entries))?;
            Ok(entries)
        })
        .map_err(|e| {
            let e = write_failure(e, &place, &staged);
            std::fs::remove_dir_all(&staged).ok();
            forget(&staged);
            e
        })?;
    let swapped = swap(&place, &staged, in_place, &previous, &written);
    if swapped.is_err() {
        std::fs::remove_dir_all(&staged).ok();
        forget(&staged);
    }
    Ok(Replaced {
        previous: swapped?,
        _lock: lock,
    })
}

/// Puts the staged results in place; returns the folder that holds the
/// previous results, if any is left to remove.
fn swap(
    place: &Place,
    staged: &Path,
    in_place: bool,
    previous: &Manifest,
    written: &BTreeMap<String, Vec<Entry>>,
) -> anyhow::Result<Option<PathBuf>> {
    let out = &place.out;
    let context = || format!("cannot put the new results in {}", out.display());
    // The interrupt handler waits while the folders move.
    let mut list = pending();
    if in_place {
        install_in_place(staged, out, previous, written)?;
        list.retain(|p| p != staged);
        return Ok(None);
    }
    if !out.exists() {
        std::fs::rename(staged, out).with_context(context)?;
        list.retain(|p| p != staged);
        return Ok(None);
    }
    match exchange(staged, out) {
        // The staging folder now holds the previous results.
        Ok(()) => return Ok(Some(staged.to_path_buf())),
        Err(e) if cannot_rename(&e) => {
            install_in_place(staged, out, previous, written)?;
            list.retain(|p| p != staged);
            return Ok(None);
        }
        Err(_) => {}
    }
    // No exchange here: two renames.
    let old = tempfile::Builder::new()
        .prefix(&format!(".{}.{OLD}", place.name))
        .tempdir_in(&place.parent)
        .with_context(context)?
        .keep();
    std::fs::remove_dir(&old).with_context(context)?;
    match std::fs::rename(out, &old) {
        Ok(()) => {}
        Err(e) if cannot_rename(&e) => {
            install_in_place(staged, out, previous, written)?;
            list.retain(|p| p != staged);
            return Ok(None);
        }
        Err(e) => return Err(e).with_context(context),
    }
    if let Err(e) = std::fs::rename(staged, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e).with_context(context);
    }
    list.retain(|p| p != staged);
    list.push(old.clone());
    Ok(Some(old))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-step swap the results folder relies on on Linux: both
    /// folders exist at every moment, and their contents trade places.
    #[cfg(target_os = "linux")]
    #[test]
    fn two_folders_swap_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("new"), dir.path().join("results"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("new.csv"), "n").unwrap();
        std::fs::write(b.join("old.csv"), "o").unwrap();
        exchange(&a, &b).unwrap();
        assert!(b.join("new.csv").is_file() && !b.join("old.csv").exists());
        assert!(a.join("old.csv").is_file() && !a.join("new.csv").exists());
    }

    #[test]
    fn a_manifest_reads_back_what_it_lists() {
        let mut files = BTreeMap::new();
        files.insert(
            "leads/by-affiliate/wm-a.csv".to_string(),
            vec![Entry {
                hash: 0xabc,
                size: 12,
            }],
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MARKER), Manifest::text(&files)).unwrap();
        match Manifest::read(dir.path()).unwrap() {
            Manifest::Files(read) => assert_eq!(read, files),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_older_marker_accepts_only_the_names_partnernet_writes() {
        assert!(legacy_name("summary.md"));
        assert!(legacy_name("leads/by-affiliate/wm-a.csv"));
        assert!(legacy_name("diagrams/regions/europe.svg"));
        assert!(!legacy_name("my-notes.txt"));
        assert!(!legacy_name("leads-annotated.csv"));
        assert!(!legacy_name("leads/my-notes.docx"));
    }

    #[test]
    fn in_place_replacement_keeps_nothing_of_the_previous_results() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let staged = dir.path().join("staged");
        std::fs::create_dir_all(out.join("leads")).unwrap();
        std::fs::write(out.join("leads/old.csv"), "old").unwrap();
        std::fs::write(out.join("gone.md"), "old").unwrap();
        std::fs::create_dir_all(staged.join("leads")).unwrap();
        std::fs::write(staged.join("leads/new.csv"), "new").unwrap();
        std::fs::write(staged.join("summary.md"), "new").unwrap();
        let mut written = BTreeMap::new();
        for p in ["leads/new.csv", "summary.md"] {
            written.insert(p.to_string(), vec![entry_of(&staged.join(p)).unwrap()]);
        }
        install_in_place(&staged, &out, &Manifest::Legacy, &written).unwrap();
        let (files, _) = walk(&out).unwrap();
        assert_eq!(files, vec![MARKER, "leads/new.csv", "summary.md"]);
        assert!(!staged.exists());
        let (_, found) = findings(&out).unwrap();
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn paths_resolve_without_being_created() {
        let dir = tempfile::tempdir().unwrap();
        let resolved = resolve(&dir.path().join("a/b/c")).unwrap();
        assert!(resolved.ends_with("a/b/c"));
        assert!(!dir.path().join("a").exists());
    }
}
