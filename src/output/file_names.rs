//! File names for organisations and regions: safe on every system, the same
//! for one organisation (or region) in every folder that has a file of its
//! own, and listed in an `index.csv` in each such folder.
//!
//! A name is the id (or region) in lower-case letters, digits and `-` only
//! (accents folded, anything else a `-`, at most 80 characters), so it is
//! safe on Windows, macOS and Linux alike, on case-insensitive disks too.
//! Windows' device names (`con`, `prn`, `aux`, `nul`, `com0`–`com9`,
//! `lpt0`–`lpt9`) and `index` (the index's own name) get a trailing `_`.
//! Names are given over every affiliate (every region) of the dataset at
//! once, in one fixed order, so that the same one is given whichever of
//! them a folder has files for: an id that is already a safe name keeps it
//! (`wm-a` is `wm-a.csv`), and the other ids that would repeat a name get
//! `-2`, `-3`, … in the order of their ids (`wm a` becomes `wm-a-2.csv`).

use std::collections::HashMap;
use std::path::Path;

use super::csv::SafeCsv;
use crate::model::Organisation;

/// The index of the per-organisation or per-region files in a folder.
pub const INDEX: &str = "index.csv";

/// Names Windows keeps for devices (with any extension), and the index's.
fn reserved(slug: &str) -> bool {
    const DEVICES: [&str; 4] = ["con", "prn", "aux", "nul"];
    let b = slug.as_bytes();
    DEVICES.contains(&slug)
        || slug == "index"
        || (b.len() == 4
            && (slug.starts_with("com") || slug.starts_with("lpt"))
            && b[3].is_ascii_digit())
}

/// The safe form of one name, before repeats are numbered.
///
/// ```
/// use partnernet::output::file_names::slug;
/// assert_eq!(slug("Île-de-France"), "ile-de-france");
/// assert_eq!(slug("wm/se "), "wm-se");
/// assert_eq!(slug("CON"), "con_");
/// assert_eq!(slug("LPT1"), "lpt1_");
/// assert_eq!(slug("..."), "unnamed");
/// ```
pub fn slug(name: &str) -> String {
    let folded = crate::ingest::names::normalise(name);
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_matches('-').chars().take(80).collect();
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "unnamed".to_string()
    } else if reserved(&slug) {
        format!("{slug}_")
    } else {
        slug
    }
}

/// One file name for each of `keys` (repeats ignored), the same whatever
/// order they come in: see the module documentation.
///
/// ```
/// use partnernet::output::file_names::assign;
/// let names = assign(["wm a", "WM/SE", "wm-a", "wm-se", "NUL"].into_iter());
/// assert_eq!(names["wm-a"], "wm-a");
/// assert_eq!(names["wm a"], "wm-a-2");
/// assert_eq!(names["wm-se"], "wm-se");
/// assert_eq!(names["WM/SE"], "wm-se-2");
/// assert_eq!(names["NUL"], "nul_");
/// ```
pub fn assign<'a>(keys: impl Iterator<Item = &'a str>) -> HashMap<&'a str, String> {
    let mut keys: Vec<&str> = keys.collect();
    keys.sort_unstable();
    keys.dedup();
    let slugs: Vec<String> = keys.iter().map(|k| slug(k)).collect();
    let mut used = std::collections::HashSet::new();
    let mut names = HashMap::with_capacity(keys.len());
    // Keys that are safe names already keep them; no two are equal.
    for (k, s) in keys.iter().zip(&slugs) {
        if s == k {
            used.insert(s.clone());
            names.insert(*k, s.clone());
        }
    }
    for (k, s) in keys.iter().zip(&slugs) {
        if names.contains_key(k) {
            continue;
        }
        let mut candidate = s.clone();
        let mut n = 2;
        while used.contains(&candidate) {
            candidate = format!("{s}-{n}");
            n += 1;
        }
        used.insert(candidate.clone());
        names.insert(*k, candidate);
    }
    names
}

/// The file names of the organisations that can have files of their own
/// (the movement's: affiliates, hubs, …), by index into `orgs`; `None` for
/// the others.
pub fn organisation_files(orgs: &[Organisation]) -> Vec<Option<String>> {
    let movement = orgs.iter().filter(|o| o.kind.is_movement());
    let mut names = assign(movement.map(|o| o.id.as_str()));
    orgs.iter()
        .map(|o| {
            o.kind
                .is_movement()
                .then(|| names.remove(o.id.as_str()))
                .flatten()
        })
        .collect()
}

/// The file names of the regions (and "(no region)"), by region.
pub fn region_files(orgs: &[Organisation]) -> HashMap<&str, String> {
    let regions: std::collections::BTreeSet<&str> =
        orgs.iter().map(|o| o.region_or_none()).collect();
    assign(regions.into_iter())
}

/// Writes `folder/index.csv` for the organisations' files: one row per
/// organisation, its file (`FILE.EXTENSION`), its id and name.
pub fn write_organisation_index(
    folder: &Path,
    extension: &str,
    files: &[(&str, &Organisation)],
) -> anyhow::Result<()> {
    let mut rows: Vec<[String; 3]> = files
        .iter()
        .map(|(file, o)| [format!("{file}.{extension}"), o.id.clone(), o.name.clone()])
        .collect();
    rows.sort_unstable();
    SafeCsv::create(&folder.join(INDEX), &["file", "id", "name"])?
        .finish_with_rows(rows.len(), |i| rows[i].iter())
}

/// Writes `folder/index.csv` for the regions' files: one row per region,
/// its file (`FILE.EXTENSION`) and the region.
pub fn write_region_index(
    folder: &Path,
    extension: &str,
    files: &[(&str, &str)],
) -> anyhow::Result<()> {
    let mut rows: Vec<[String; 2]> = files
        .iter()
        .map(|(file, region)| [format!("{file}.{extension}"), region.to_string()])
        .collect();
    rows.sort_unstable();
    SafeCsv::create(&folder.join(INDEX), &["file", "region"])?
        .finish_with_rows(rows.len(), |i| rows[i].iter())
}
