//! Interview notes: one file per interview in the dataset's `notes/` folder,
//! Markdown (`.md`) or wikitext (`.wiki`), written under the questionnaire's
//! headings.
//!
//! ```text
//! ---
//! affiliate: wm-norrvala          # required: id, name or alias
//! date: 2024-03-12                # optional, YYYY-MM-DD
//! id: iv-2024-01                  # optional: the interview's id (default notes/<file name>)
//! interviewer: Astrid             # optional
//! needs: [mass-upload, copyright] # optional, a list or "a; b"
//! offers: training                # optional
//! ---
//! ## Do you work with content partnerships today?
//! Upload days with [[Nordvik Stadsmuseum]] and [[nbaf|the archive forum]].
//! digitisation: [[Holmvika stadsarkiv]] started
//! needs: scanning; hardware
//! ```
//!
//! - The front matter is YAML between two `---` lines at the top.
//! - Headings: `#` to `######` at the start of a line in Markdown, `== … ==`
//!   (any number of `=`) in wikitext.
//! - A mention is a wiki link, `[[Name]]` or `[[Name|shown text]]`, on one
//!   line; `#section` after the name is ignored; links into namespaces
//!   (`[[File:…]]`, `[[Category:…]]`, `[[w:…]]`, …) are not mentions. A plain
//!   name is not a mention.
//! - The heading a mention stands under gives the relation's kind, by the
//!   keywords of [`crate::config::NotesSettings`]; a mention under a heading
//!   no keyword matches (or before any heading) is a `contact`, and reported.
//! - Marker lines (a leading `-`, `*` or `:` is allowed): `needs: a; b` and
//!   `offers: a; b` add tags to the interview; `digitisation: [[Name]] state`
//!   (state one of none, planned, started, advanced) records how far that
//!   institution's digitisation has come.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::fields::{parse_date, split_tags};
use super::names::normalise;
use super::table::Place;
use super::Resolver;
use crate::config::NotesSettings;
use crate::error::{Problem, Problems};
use crate::model::{Dataset, Digitisation, Interview, Origin, Relation, RelationKind};

/// The folder of notes inside a dataset.
pub const NOTES_DIR: &str = "notes";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    affiliate: Option<String>,
    date: Option<serde_norway::Value>,
    id: Option<String>,
    interviewer: Option<String>,
    needs: Option<Tags>,
    offers: Option<Tags>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Tags {
    List(Vec<String>),
    Text(String),
}

impl Tags {
    fn into_tags(self) -> Vec<String> {
        match self {
            Tags::List(list) => split_tags(&list.join(";")),
            Tags::Text(text) => split_tags(&text),
        }
    }
}

/// Namespaces whose links are not mentions of organisations.
const NAMESPACES: &[&str] = &[
    "file",
    "image",
    "media",
    "category",
    "template",
    "user",
    "user talk",
    "talk",
    "help",
    "special",
    "w",
    "wikipedia",
    "commons",
    "c",
    "d",
    "wikidata",
    "meta",
    "m",
    "mw",
    "wikt",
    "outreach",
    "project",
    "portal",
];

/// A wiki link found on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The linked name.
    pub target: String,
}

/// The wiki links on one line, and whether an `[[` was left unclosed.
///
/// ```
/// use partnernet::ingest::notes::mentions;
/// let (found, unclosed) = mentions("With [[Example Museum]], [[ex-lib|the library]] and [[File:Logo.png]] [[broken");
/// let names: Vec<&str> = found.iter().map(|m| m.target.as_str()).collect();
/// assert_eq!(names, ["Example Museum", "ex-lib"]);
/// assert!(unclosed);
/// ```
pub fn mentions(line: &str) -> (Vec<Mention>, bool) {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("[[") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else {
            return (found, true);
        };
        let inner = &after[..end];
        // A nested "[[" means the first one was never closed.
        let inner = inner.rsplit("[[").next().unwrap_or(inner);
        let target = inner
            .split('|')
            .next()
            .unwrap_or("")
            .split('#')
            .next()
            .unwrap_or("")
            .trim();
        let namespace = target
            .split_once(':')
            .map(|(ns, _)| ns.trim().to_lowercase());
        let is_namespace = namespace.is_some_and(|ns| NAMESPACES.contains(&ns.as_str()));
        if !target.is_empty() && !is_namespace {
            found.push(Mention {
                target: target.to_string(),
            });
        }
        rest = &after[end + 2..];
    }
    (found, false)
}

/// The heading text of a line, if it is a heading in the note's syntax.
fn heading(line: &str, wiki: bool) -> Option<&str> {
    let t = line.trim();
    if wiki {
        let level = t.chars().take_while(|c| *c == '=').count();
        if level >= 1 && t.len() > 2 * level && t.ends_with(&"=".repeat(level)) {
            return Some(t[level..t.len() - level].trim());
        }
        None
    } else {
        let level = t.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&level) && t[level..].starts_with(' ') {
            return Some(t[level..].trim().trim_end_matches('#').trim());
        }
        None
    }
}

/// The relation kind a heading gives: the kind of the longest keyword the
/// heading contains (case and accents ignored), or `None`.
pub fn heading_kind(heading: &str, settings: &NotesSettings) -> Option<RelationKind> {
    let h = normalise(heading);
    settings
        .keywords()
        .into_iter()
        .filter(|(k, _)| !k.is_empty() && h.contains(k.as_str()))
        .max_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| b.0.cmp(&a.0)))
        .map(|(_, kind)| kind)
}

/// The note files of a dataset, sorted by name: everything in `notes/` with
/// a note's extension but folders (a pipe or a device there is read, and
/// refused by name, rather than skipped without a word).
pub fn note_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join(NOTES_DIR)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.is_dir() && p.extension().is_some_and(|x| x == "md" || x == "wiki"))
        .collect();
    files.sort();
    files
}

/// Reads every note of the dataset into interviews and relations.
pub fn read_notes(
    dir: &Path,
    dataset: &mut Dataset,
    resolver: &mut Resolver,
    problems: &mut Problems,
) {
    let settings = dataset.config.notes.clone();
    for path in note_files(dir) {
        if problems.full() {
            return;
        }
        dataset.files.push(path.clone());
        let file = (dataset.files.len() - 1) as u32;
        read_note(&path, file, &settings, dataset, resolver, problems);
    }
}

fn read_note(
    path: &Path,
    file: u32,
    settings: &NotesSettings,
    dataset: &mut Dataset,
    resolver: &mut Resolver,
    problems: &mut Problems,
) {
    let bytes = match super::files::read_ordinary(path, super::files::NOTE_LIMIT) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::error(
                path,
                None,
                format!("cannot read the note: {e}"),
            ));
            return;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            problems.push(Problem::error(
                path,
                Some(line),
                "the note is not valid UTF-8; save it as UTF-8",
            ));
            return;
        }
    };
    let text = super::controls::clean_text(path, text, problems);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<&str> = text.lines().collect();
    let wiki = path.extension().is_some_and(|x| x == "wiki");

    // The front matter: YAML between the first two `---` lines.
    if lines.first().map(|l| l.trim()) != Some("---") {
        problems.push(Problem::error(path, Some(1), "a note starts with a front matter block: a line ---, then affiliate: …, date: …, then a line ---"));
        return;
    }
    let Some(close) = lines
        .iter()
        .skip(1)
        .position(|l| l.trim() == "---")
        .map(|p| p + 1)
    else {
        problems.push(Problem::error(
            path,
            Some(1),
            "the front matter block is not closed: add a line --- after it",
        ));
        return;
    };
    let yaml = lines[1..close].join("\n");
    let front: FrontMatter = match serde_norway::from_str::<Option<FrontMatter>>(&yaml) {
        Ok(Some(f)) => f,
        Ok(None) => FrontMatter {
            affiliate: None,
            date: None,
            id: None,
            interviewer: None,
            needs: None,
            offers: None,
        },
        Err(e) => {
            let line = e.location().map(|l| l.line() as u64 + 1);
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            problems.push(Problem::error(
                path,
                line.or(Some(1)),
                format!("the front matter cannot be read: {message}"),
            ));
            return;
        }
    };
    let origin = Origin { file, line: 1 };
    let Some(affiliate_name) = front
        .affiliate
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    else {
        problems.push(Problem::error(
            path,
            Some(1),
            "the front matter names no affiliate; add a line such as affiliate: wm-example",
        ));
        return;
    };
    let found = resolver.lookup(affiliate_name);
    let Some(affiliate) = resolver.settle(
        found,
        Place::file(path),
        "affiliate",
        affiliate_name,
        origin,
        &mut dataset.organisations,
        problems,
    ) else {
        return;
    };
    let date_text = front.date.as_ref().map(|d| match d {
        serde_norway::Value::String(s) => s.clone(),
        other => serde_norway::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    });
    let date = date_text.as_deref().and_then(|d| {
        let parsed = parse_date(d);
        if parsed.is_none() {
            let line = lines[1..close]
                .iter()
                .position(|l| l.trim_start().starts_with("date"))
                .map(|p| p as u64 + 2);
            problems.push(
                Problem::error(
                    path,
                    line,
                    "not an ISO 8601 date; expected YYYY-MM-DD, such as 2024-05-17",
                )
                .at("date", d),
            );
        }
        parsed
    });
    let stem = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let interview_id = front
        .id
        .clone()
        .unwrap_or_else(|| format!("{NOTES_DIR}/{stem}"));
    let mut needs = front.needs.map(Tags::into_tags).unwrap_or_default();
    let mut offers = front.offers.map(Tags::into_tags).unwrap_or_default();

    let mut kind: Option<RelationKind> = None;
    let mut heading_text: Option<String> = None;
    let mut mentioned = 0usize;
    let mut unknown_headings: BTreeMap<String, u64> = BTreeMap::new();
    for (k, raw) in lines.iter().enumerate().skip(close + 1) {
        let line_no = k as u64 + 1;
        if let Some(h) = heading(raw, wiki) {
            kind = heading_kind(h, settings);
            heading_text = Some(h.to_string());
            continue;
        }
        let body = raw
            .trim_start()
            .trim_start_matches(['-', '*', ':'])
            .trim_start();
        let lower = body.to_lowercase();
        if let Some(rest) = lower
            .strip_prefix("needs:")
            .and_then(|_| body.get("needs:".len()..))
        {
            needs.extend(split_tags(rest));
            continue;
        }
        if let Some(rest) = lower
            .strip_prefix("offers:")
            .and_then(|_| body.get("offers:".len()..))
        {
            offers.extend(split_tags(rest));
            continue;
        }
        let (found, unclosed) = mentions(raw);
        if unclosed {
            problems.push(
                Problem::warning(
                    path,
                    Some(line_no),
                    "a [[ is not closed by ]] on the same line; that mention is left out",
                )
                .at("note", raw.trim()),
            );
        }
        let digitisation_marker =
            lower.starts_with("digitisation:") || lower.starts_with("digitization:");
        for m in found {
            let origin = Origin {
                file,
                line: line_no,
            };
            let looked = resolver.lookup(&m.target);
            let Some(target) = resolver.settle(
                looked,
                Place::file(path),
                "mention",
                &m.target,
                origin,
                &mut dataset.organisations,
                problems,
            ) else {
                continue;
            };
            mentioned += 1;
            if digitisation_marker {
                let state = body.rsplit("]]").next().unwrap_or("").trim();
                match Digitisation::parse(state) {
                    Some(d) => {
                        let org = &mut dataset.organisations[target as usize];
                        match org.digitisation {
                            Some(old) if old != d => problems.push(
                                Problem::warning(path, Some(line_no), format!("organisations.csv says {old}; the note's {d} is left aside")).at("digitisation", state),
                            ),
                            _ => org.digitisation = Some(d),
                        }
                    }
                    None => problems.push(
                        Problem::error(
                            path,
                            Some(line_no),
                            format!(
                                "expected one of: {}, after the link",
                                Digitisation::expected()
                            ),
                        )
                        .at("digitisation", state),
                    ),
                }
            }
            if target == affiliate {
                continue;
            }
            let relation_kind = kind.unwrap_or_else(|| {
                let h = heading_text
                    .clone()
                    .unwrap_or_else(|| "(before any heading)".to_string());
                unknown_headings.entry(h).or_insert(line_no);
                RelationKind::Contact
            });
            dataset.relations.push(Relation {
                source: affiliate,
                target,
                kind: relation_kind,
                date,
                interview: Some(interview_id.clone()),
                weight: 1.0,
                note: None,
                origins: vec![origin],
                attributes: BTreeMap::new(),
            });
        }
    }
    for (h, line) in unknown_headings {
        problems.push(
            Problem::warning(path, Some(line), "no heading keyword matches this heading, so its mentions are read as contacts; add a keyword under [notes] in partnernet.toml")
                .at("heading", &h),
        );
    }
    if mentioned == 0 {
        problems.push(Problem::warning(
            path,
            None,
            "the note mentions no organisation; mentions are wiki links such as [[Example Museum]]",
        ));
    }
    needs.sort();
    needs.dedup();
    offers.sort();
    offers.dedup();
    if let Some(existing) = dataset.interviews.iter_mut().find(|i| i.id == interview_id) {
        existing.needs = merge_tags(&existing.needs, &needs);
        existing.offers = merge_tags(&existing.offers, &offers);
        existing.date = existing.date.or(date);
    } else {
        dataset.interviews.push(Interview {
            id: interview_id,
            date,
            affiliate,
            needs,
            offers,
            notes: front.interviewer.map(|i| format!("interviewed by {i}")),
            origin: Origin { file, line: 1 },
        });
    }
}

fn merge_tags(a: &[String], b: &[String]) -> Vec<String> {
    let mut all: Vec<String> = a.iter().chain(b).cloned().collect();
    all.sort();
    all.dedup();
    all
}

/// Merges relations that say the same thing: the same source, target and
/// kind, from the same interview (or, without an interview, on the same
/// date). The first keeps its fields and gains the others' origins.
pub fn merge_duplicates(relations: &mut Vec<Relation>) {
    fn key(r: &Relation) -> (u32, RelationKind, Option<&str>, Option<chrono::NaiveDate>) {
        (
            r.target,
            r.kind,
            r.interview.as_deref(),
            if r.interview.is_some() { None } else { r.date },
        )
    }
    if relations.len() < 2 {
        return;
    }
    // The relations grouped by source (a counting sort, so each group keeps
    // file order); only relations with the same source can be the same.
    let n = relations.iter().map(|r| r.source).max().unwrap_or(0) as usize + 1;
    let mut start = vec![0u32; n + 1];
    for r in relations.iter() {
        start[r.source as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut order = vec![0u32; relations.len()];
    for (i, r) in relations.iter().enumerate() {
        let slot = &mut fill[r.source as usize];
        order[*slot as usize] = i as u32;
        *slot += 1;
    }
    drop(fill);
    // Within a source, sorted by what makes relations the same, then by
    // position: the first of each run is the one kept.
    let mut merges: Vec<(u32, u32)> = Vec::new();
    for group in start.windows(2) {
        let group = &mut order[group[0] as usize..group[1] as usize];
        if group.len() < 2 {
            continue;
        }
        if group.len() == 2 {
            // The common case, without sorting.
            let (a, b) = (group[0], group[1]);
            if key(&relations[a as usize]) == key(&relations[b as usize]) {
                merges.push((a, b));
            }
            continue;
        }
        group.sort_unstable_by(|&a, &b| {
            key(&relations[a as usize])
                .cmp(&key(&relations[b as usize]))
                .then(a.cmp(&b))
        });
        let mut k = 0;
        while k < group.len() {
            let first = group[k];
            let mut m = k + 1;
            while m < group.len()
                && key(&relations[group[m] as usize]) == key(&relations[first as usize])
            {
                merges.push((first, group[m]));
                m += 1;
            }
            k = m;
        }
    }
    if merges.is_empty() {
        return;
    }
    let mut keep = vec![true; relations.len()];
    for &(first, dup) in &merges {
        let origins = std::mem::take(&mut relations[dup as usize].origins);
        let target = &mut relations[first as usize].origins;
        target.extend(origins);
        target.sort();
        keep[dup as usize] = false;
    }
    let mut k = 0;
    relations.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}
