//! Writing a run's outputs all or nothing.
//!
//! A run writes into a fresh folder beside the output folder and swaps it in
//! only when every output was written; a failed run leaves the previous
//! outputs exactly as they were. partnernet never replaces a folder it did not
//! write itself (it leaves a marker file in its output folders), and never
//! writes inside the dataset folder.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};

/// The marker file in every output folder partnernet writes.
pub const MARKER: &str = ".partnernet-output";

/// Runs `write` on a fresh staging folder and, if it succeeds, puts the
/// folder in place of `out`. `dataset` is the folder the data came from:
/// `out` may not be it or lie inside it.
///
/// Returns the previous outputs, moved aside into a hidden folder beside
/// `out`, for [`remove_previous`]: removing a large run's files takes
/// seconds, and the caller says so.
pub fn replace_dir(
    out: &Path,
    dataset: &Path,
    write: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<Option<PathBuf>> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().ok_or_else(|| {
        anyhow!(
            "the output folder {} has no name; give a folder such as `output`",
            out.display()
        )
    })?;
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    let parent_abs = parent
        .canonicalize()
        .with_context(|| format!("cannot open {}", parent.display()))?;
    if let Ok(dataset_abs) = dataset.canonicalize() {
        let out_abs = parent_abs.join(name);
        if out_abs.starts_with(&dataset_abs) {
            bail!(
                "the output folder {} is inside the dataset folder {}; partnernet never writes into a dataset. Choose another --out, such as `output`",
                out.display(),
                dataset.display()
            );
        }
    }
    if out.exists() {
        if !out.is_dir() {
            bail!(
                "{} exists and is not a folder; choose another --out",
                out.display()
            );
        }
        let empty = std::fs::read_dir(out)?.next().is_none();
        if !empty && !out.join(MARKER).exists() {
            bail!(
                "the folder {} was not written by partnernet and is not empty; partnernet will not replace it. Choose another --out, or empty the folder",
                out.display()
            );
        }
    }
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{}.partnernet-new-", name.to_string_lossy()))
        .tempdir_in(&parent)
        .with_context(|| format!("cannot create a folder in {}", parent.display()))?;
    write(staging.path())?;
    std::fs::write(
        staging.path().join(MARKER),
        "This folder was written by partnernet. The next `partnernet analyse` with the same --out replaces it.\n",
    )?;
    let staged = staging.keep();
    if out.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{}.partnernet-old-", name.to_string_lossy()))
            .tempdir_in(&parent)?
            .keep();
        std::fs::remove_dir(&old)?;
        std::fs::rename(out, &old)
            .with_context(|| format!("cannot move the previous {} aside", out.display()))?;
        if let Err(e) = std::fs::rename(&staged, out) {
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e)
                .with_context(|| format!("cannot put the new outputs in {}", out.display()));
        }
        return Ok(Some(old));
    } else if let Err(e) = std::fs::rename(&staged, out) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e).with_context(|| format!("cannot put the new outputs in {}", out.display()));
    }
    Ok(None)
}

/// Removes the previous outputs that [`replace_dir`] moved aside.
pub fn remove_previous(old: &Path) -> anyhow::Result<()> {
    std::fs::remove_dir_all(old)
        .with_context(|| format!("cannot remove the previous outputs from {}", old.display()))
}
