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

use super::fields::{parse_date_as, split_tags, DateRead};
use super::limits::Read;
use super::names::normalise;
use super::rows::Rules;
use super::table::Place;
use super::Resolver;
use crate::config::NotesSettings;
use crate::error::{Problem, Problems, Severity};
use crate::model::{Attributes, Dataset, Digitisation, Interview, Origin, Relation, RelationKind};

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

/// `needs` or `offers`: one text (`mass-upload; training`) or a list of
/// them. Read by hand rather than as an untagged enum, so that a value of
/// the wrong type is reported at its own line, in words (serde's untagged
/// enums lose the place and say "did not match any variant").
#[derive(Debug)]
enum Tags {
    List(Vec<String>),
    Text(String),
}

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Tags, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Tags;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("tags, as a text such as `mass-upload; training` or a list such as [mass-upload, training]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tags, E> {
                Ok(Tags::Text(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Tags, E> {
                Ok(Tags::Text(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Tags, E> {
                Ok(Tags::Text(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Tags, E> {
                Ok(Tags::Text(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Tags, E> {
                Ok(Tags::List(Vec::new()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Tags, A::Error> {
                let mut list = Vec::new();
                while let Some(tag) = seq.next_element::<String>()? {
                    list.push(tag);
                }
                Ok(Tags::List(list))
            }
        }
        d.deserialize_any(Visitor)
    }
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

/// What a heading's keywords say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadingMatch {
    /// The longest keyword the heading contains, and its kind.
    Kind(RelationKind),
    /// Two keywords of different kinds, equally long, and their kinds: the
    /// heading does not say which it is.
    Tied((String, RelationKind), (String, RelationKind)),
    /// No keyword.
    None,
}

/// What a heading says: the kind of the longest keyword it contains (case
/// and accents ignored); [`HeadingMatch::Tied`] when the longest keywords it
/// contains are of different kinds.
///
/// ```
/// use partnernet::config::NotesSettings;
/// use partnernet::ingest::notes::{heading_match, HeadingMatch};
/// use partnernet::model::RelationKind;
/// let settings = NotesSettings::default();
/// let kind = |h: &str| heading_match(h, &settings);
/// assert_eq!(kind("1. Experiences …"), HeadingMatch::Kind(RelationKind::PastPartner));
/// assert_eq!(
///     kind("What could a good and efficient support look like?"),
///     HeadingMatch::Kind(RelationKind::Contact)
/// );
/// assert_eq!(kind("Fika"), HeadingMatch::None);
/// ```
pub fn heading_match(heading: &str, settings: &NotesSettings) -> HeadingMatch {
    HeadingKeywords::new(settings).classify(heading)
}

/// The heading keywords of [`NotesSettings::keywords`], built once into an
/// Aho–Corasick automaton (Aho and Corasick 1975, "Efficient string
/// matching", CACM 18(6)) so that a heading is read in time proportional to
/// its length and the keywords it contains, not to the number of keywords
/// (testing each keyword made 2,000 keywords and 50,000 headings take a
/// minute).
pub struct HeadingKeywords {
    keywords: Vec<(String, RelationKind)>,
    automaton: Option<aho_corasick::AhoCorasick>,
}

impl HeadingKeywords {
    /// The automaton of the settings' keywords (empty keywords left out).
    pub fn new(settings: &NotesSettings) -> HeadingKeywords {
        let keywords: Vec<(String, RelationKind)> = settings
            .keywords()
            .into_iter()
            .filter(|(k, _)| !k.is_empty())
            .collect();
        let automaton = aho_corasick::AhoCorasick::new(keywords.iter().map(|(k, _)| k)).ok();
        HeadingKeywords {
            keywords,
            automaton,
        }
    }

    /// What `heading` says; see [`heading_match`].
    pub fn classify(&self, heading: &str) -> HeadingMatch {
        let h = normalise(heading);
        let mut seen = vec![false; self.keywords.len()];
        let mut found: Vec<(String, RelationKind)> = Vec::new();
        match &self.automaton {
            Some(automaton) => {
                for m in automaton.find_overlapping_iter(&h) {
                    let p = m.pattern().as_usize();
                    if !std::mem::replace(&mut seen[p], true) {
                        found.push(self.keywords[p].clone());
                    }
                }
            }
            // The automaton could not be built (beyond its size limits): each
            // keyword tested in turn.
            None => found.extend(
                self.keywords
                    .iter()
                    .filter(|(k, _)| h.contains(k.as_str()))
                    .cloned(),
            ),
        }
        let Some(longest) = found.iter().map(|(k, _)| k.chars().count()).max() else {
            return HeadingMatch::None;
        };
        found.retain(|(k, _)| k.chars().count() == longest);
        found.sort();
        let first = found[0].clone();
        match found.iter().find(|(_, kind)| *kind != first.1) {
            Some(other) => HeadingMatch::Tied(first, other.clone()),
            None => HeadingMatch::Kind(first.1),
        }
    }
}

/// The relation kind a heading gives: the kind of the longest keyword the
/// heading contains (case and accents ignored), or `None` (also when the
/// longest keywords it contains are of different kinds; see
/// [`heading_match`]).
pub fn heading_kind(heading: &str, settings: &NotesSettings) -> Option<RelationKind> {
    match heading_match(heading, settings) {
        HeadingMatch::Kind(kind) => Some(kind),
        _ => None,
    }
}

/// The note files of a dataset, sorted by name: files ending in `.md` or
/// `.wiki`, and those ending in `.md.txt`, `.wiki.txt` or `.txt` (what
/// Windows makes of a note saved with file extensions hidden).
pub fn note_files(dir: &Path) -> Vec<PathBuf> {
    let (files, _) = note_files_and_others(dir, &mut Problems::default());
    files
}

/// What a file in `notes/` is.
enum NoteName {
    /// A note, with the name it should have.
    Note { proper: String },
    /// The template `init` writes, which is not read.
    Template,
    /// Not a note.
    Other,
}

fn note_name(name: &str) -> NoteName {
    let lower = name.to_lowercase();
    if lower.starts_with("template.") {
        return NoteName::Template;
    }
    if lower.ends_with(".md") || lower.ends_with(".wiki") {
        return NoteName::Note {
            proper: name.to_string(),
        };
    }
    if lower.ends_with(".txt") && !name.starts_with('.') {
        let base = &name[..name.len() - 4];
        let lb = base.to_lowercase();
        let proper = if lb.ends_with(".md") || lb.ends_with(".wiki") {
            base.to_string()
        } else {
            format!("{base}.md")
        };
        return NoteName::Note { proper };
    }
    NoteName::Other
}

/// Files of `notes/` that are not notes named in the warning that says so;
/// the others are counted.
const OTHERS_NAMED: usize = 20;

/// The note files (sorted) and the other files of `notes/` (sorted). A
/// `notes` that is there but is no folder (a file, a link to a device) is
/// a warning: its notes would otherwise be missed without a word.
fn note_files_and_others(dir: &Path, problems: &mut Problems) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let notes = dir.join(NOTES_DIR);
    let entries = match std::fs::read_dir(&notes) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && notes.symlink_metadata().is_err() => {
            return (Vec::new(), Vec::new())
        }
        Err(e) => {
            let why = if notes.is_dir() {
                format!("the folder cannot be read ({e})")
            } else if !notes.exists() {
                "it is a link to nothing".to_string()
            } else {
                "it is not a folder".to_string()
            };
            problems.push(Problem::warning(
                &notes,
                None,
                format!("no note was read: {why}; interview notes go in a folder named notes, one file ending in .md or .wiki per interview"),
            ));
            return (Vec::new(), Vec::new());
        }
    };
    let mut files = Vec::new();
    let mut others = Vec::new();
    for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        // Folders are skipped; a pipe or a device with a note's name is
        // read, and refused by name, rather than skipped without a word.
        if p.is_dir() {
            continue;
        }
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match note_name(&name) {
            NoteName::Note { .. } => files.push(p),
            NoteName::Template => {}
            NoteName::Other if name.starts_with('.') || name.starts_with("~$") => {}
            NoteName::Other => others.push(p),
        }
    }
    files.sort();
    others.sort();
    (files, others)
}

/// Reads every note of the dataset into interviews and relations.
pub fn read_notes(
    dir: &Path,
    rules: &Rules,
    dataset: &mut Dataset,
    resolver: &mut Resolver,
    problems: &mut Problems,
) {
    let keywords = HeadingKeywords::new(&dataset.config.notes);
    // The interviews read so far by id (the first of each id), so that a
    // note finds its interview at once however many there are.
    let mut interviews: foldhash::HashMap<String, usize> = foldhash::HashMap::default();
    for (k, i) in dataset.interviews.iter().enumerate() {
        interviews.entry(i.id.clone()).or_insert(k);
    }
    let (files, others) = note_files_and_others(dir, problems);
    if !others.is_empty() {
        let mut names: Vec<String> = others
            .iter()
            .take(OTHERS_NAMED)
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        if others.len() > OTHERS_NAMED {
            names.push(format!("and {} more", others.len() - OTHERS_NAMED));
        }
        problems.push(Problem::warning(
            &dir.join(NOTES_DIR),
            None,
            format!(
                "not read: {}; only notes are read here, in files whose names end in .md (Markdown) or .wiki (wikitext)",
                names.join(", ")
            ),
        ));
    }
    for path in files {
        if problems.full() {
            return;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let NoteName::Note { proper } = note_name(&name) {
            if proper != name {
                problems.push(Problem::warning(
                    &path,
                    None,
                    format!(
                        "read as a note; rename it to {proper} (in Windows, show file name extensions: File Explorer, View, File name extensions)"
                    ),
                ));
            }
        }
        dataset.files.push(path.clone());
        let file = (dataset.files.len() - 1) as u32;
        read_note(
            &path,
            file,
            rules,
            &keywords,
            &mut interviews,
            dataset,
            resolver,
            problems,
        );
    }
}

/// The largest front matter read, in bytes (between the two `---` lines).
/// A front matter holds a few short lines; the limit keeps a mistaken one
/// (a whole note between the lines) from reaching the YAML reader.
pub const FRONT_MATTER_LIMIT: usize = 64 * 1024;

/// How deep lists and maps written inline (`[a, [b]]`, `{a: b}`) may nest in
/// a front matter. The YAML reader's time grows with the square of the
/// depth (a line of 100,000 `[` took 50 seconds), and a front matter needs
/// a depth of 1.
pub const FRONT_MATTER_DEPTH: usize = 32;

/// The first line (1-based, in the note) and message of a front matter
/// (`lines`, the lines between the two `---`) beyond [`FRONT_MATTER_LIMIT`]
/// or [`FRONT_MATTER_DEPTH`]. Brackets inside quotes and after a `#`
/// comment are not counted.
fn front_matter_beyond_limits(lines: &[&str]) -> Option<(u64, String)> {
    let mut size = 0usize;
    let mut depth = 0usize;
    for (k, line) in lines.iter().enumerate() {
        let line_no = k as u64 + 2;
        size += line.len() + 1;
        if size > FRONT_MATTER_LIMIT {
            return Some((
                line_no,
                format!(
                    "the front matter (between the two --- lines) is longer than {} KiB, the most partnernet reads; it holds a few short lines (affiliate: …, date: …): is a --- line missing after them?",
                    FRONT_MATTER_LIMIT / 1024
                ),
            ));
        }
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > FRONT_MATTER_DEPTH {
                        return Some((
                            line_no,
                            format!(
                                "the front matter opens more than {FRONT_MATTER_DEPTH} lists ([) or maps ({{) inside one another, the most partnernet reads; write needs and offers as one list, such as needs: [mass-upload, copyright]"
                            ),
                        ));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn read_note(
    path: &Path,
    file: u32,
    rules: &Rules,
    keywords: &HeadingKeywords,
    interviews: &mut foldhash::HashMap<String, usize>,
    dataset: &mut Dataset,
    resolver: &mut Resolver,
    problems: &mut Problems,
) {
    let bytes = match super::files::read_ordinary(path, super::files::NOTE) {
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
    let proper = match path.file_name().map(|n| note_name(&n.to_string_lossy())) {
        Some(NoteName::Note { proper }) => proper,
        _ => String::new(),
    };
    let wiki = proper.to_lowercase().ends_with(".wiki");

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
    if let Some((line, message)) = front_matter_beyond_limits(&lines[1..close]) {
        problems.push(Problem::error(path, Some(line), message));
        return;
    }
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
            // serde's words for types, in the staff's.
            let message = message
                .replace(
                    "invalid type: map, expected",
                    "found a list of key: value lines where the note needs",
                )
                .replace(
                    "invalid type: sequence, expected",
                    "found a list where the note needs",
                )
                .replace("invalid type: ", "found ")
                .replace(", expected ", " where the note needs ")
                .replace("needs a string", "needs a text");
            problems.push(Problem::error(
                path,
                line.or(Some(1)),
                format!("the front matter cannot be read: {message}"),
            ));
            return;
        }
    };
    // The line of the front matter that sets `key` (`key:` at its start),
    // for messages about its value; the first line when none does.
    let key_line = |key: &str| -> u64 {
        lines[1..close]
            .iter()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map_or(1, |p| p as u64 + 2)
    };
    let origin = Origin { file, line: 1 };
    let affiliate_line = key_line("affiliate");
    let Some(affiliate_name) = front
        .affiliate
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    else {
        problems.push(Problem::error(
            path,
            Some(affiliate_line),
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
        Origin {
            line: affiliate_line,
            ..origin
        },
        &mut dataset.organisations,
        problems,
    ) else {
        return;
    };
    if Read::of(dataset).beyond(&rules.limits, problems, |m| {
        Problem::error(path, Some(1), m)
    }) {
        return;
    }
    let date_text = front.date.as_ref().map(|d| match d {
        serde_norway::Value::String(s) => s.clone(),
        other => serde_norway::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    });
    let date = date_text.as_deref().and_then(|d| {
        let parsed = match parse_date_as(d, rules.date_order) {
            DateRead::Date(date) => Some(date),
            _ => None,
        };
        if parsed.is_none() {
            problems.push(
                Problem::warning(
                    path,
                    Some(key_line("date")),
                    format!(
                        "not a date partnernet can read (dates such as 12/03/2024 are read {}-first, by [input] date_order); write it as 2024-05-17; the interview is kept without a date",
                        match rules.date_order {
                            crate::config::DateOrder::DayFirst => "day",
                            crate::config::DateOrder::MonthFirst => "month",
                        }
                    ),
                )
                .at("date", d),
            );
        }
        parsed
    });
    let stem = proper;
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
            kind = match keywords.classify(h) {
                HeadingMatch::Kind(k) => Some(k),
                HeadingMatch::Tied((a, kind_a), (b, kind_b)) => {
                    problems.push(
                        Problem::warning(
                            path,
                            Some(line_no),
                            format!(
                                "this heading holds the keywords \"{a}\" ({kind_a}) and \"{b}\" ({kind_b}) equally, so it does not say which kind its mentions are; they are read as contacts. Reword the heading, or add a longer keyword for it under [notes] headings in partnernet.toml"
                            ),
                        )
                        .at("heading", h),
                    );
                    Some(RelationKind::Contact)
                }
                HeadingMatch::None => None,
            };
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
            if Read::of(dataset).beyond(&rules.limits, problems, |m| {
                Problem::error(path, Some(line_no), m)
            }) {
                return;
            }
            mentioned += 1;
            if digitisation_marker {
                let state = body.rsplit("]]").next().unwrap_or("").trim();
                match rules.words.digitisation(state) {
                    Some(d) => {
                        let org = &dataset.organisations[target as usize];
                        match org.digitisation {
                            Some(old) if old != d => {
                                let there = dataset.locate(org.origin);
                                problems.push(
                                    Problem::warning(path, Some(line_no), format!("the organisations table ({there}) says {old}; the note's {d} is left aside")).at("digitisation", state),
                                );
                            }
                            _ => dataset.organisations[target as usize].digitisation = Some(d),
                        }
                    }
                    None => problems.push(
                        Problem::error(
                            path,
                            Some(line_no),
                            format!(
                                "not a digitisation level; {}expected one of: {}, after the link",
                                rules.words.digitisation_hint(state),
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
                attributes: Attributes::new(),
            });
            if Read::of(dataset).beyond(&rules.limits, problems, |m| {
                Problem::error(path, Some(line_no), m)
            }) {
                return;
            }
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
    if let Some(existing) = interviews
        .get(&interview_id)
        .map(|&k| &mut dataset.interviews[k])
    {
        existing.needs = merge_tags(&existing.needs, &needs);
        existing.offers = merge_tags(&existing.offers, &offers);
        existing.date = existing.date.or(date);
    } else {
        interviews.insert(interview_id.clone(), dataset.interviews.len());
        dataset.interviews.push(Interview {
            id: interview_id,
            date,
            affiliate,
            needs,
            offers,
            notes: front.interviewer.map(|i| format!("interviewed by {i}")),
            origin: Origin { file, line: 1 },
        });
        Read::of(dataset).beyond(&rules.limits, problems, |m| {
            Problem::error(path, Some(1), m)
        });
    }
}

fn merge_tags(a: &[String], b: &[String]) -> Vec<String> {
    let mut all: Vec<String> = a.iter().chain(b).cloned().collect();
    all.sort();
    all.dedup();
    all
}

/// One run of relations with the same source, target, kind and interview
/// (`run`, in file order) in [`merge_duplicates`]: each relation merges into
/// the first relation kept so far that it is the same as, or, when it has an
/// interview, that it completes (a note's relation into the first kept one
/// read only from a table, a table's into the first read only from a note);
/// otherwise it is kept, and is a repeat of the first kept relation with
/// the same date, if any. Hash maps and ordered sets find those first
/// relations, so a run of `d` relations takes `O(d log d)` however many of
/// them differ (a linear search made 300,000 rows of one pair quadratic).
fn merge_run(
    run: &[u32],
    relations: &[Relation],
    from_note: &dyn Fn(&Relation) -> bool,
    merges: &mut Vec<(u32, u32)>,
    repeats: &mut Vec<(u32, u32)>,
) {
    use std::collections::BTreeSet;
    type Same<'a> = (
        Option<chrono::NaiveDate>,
        u64,
        Option<&'a str>,
        &'a Attributes,
    );
    fn same_key(r: &Relation) -> Same<'_> {
        (r.date, r.weight.to_bits(), r.note.as_deref(), &r.attributes)
    }
    // Kept relations by position in `kept` (which keeps run order): their
    // fields, the first with each date, and those read only from a table or
    // only from a note.
    let mut kept: Vec<u32> = Vec::new();
    let mut by_fields: foldhash::HashMap<Same<'_>, usize> = foldhash::HashMap::default();
    let mut by_date: foldhash::HashMap<Option<chrono::NaiveDate>, usize> =
        foldhash::HashMap::default();
    let mut table_only: BTreeSet<usize> = BTreeSet::new();
    let mut note_only: BTreeSet<usize> = BTreeSet::new();
    for &r in run {
        let rel = &relations[r as usize];
        let note = from_note(rel);
        let same = by_fields.get(&same_key(rel)).copied();
        let completes = if rel.interview.is_none() {
            None
        } else if note {
            table_only.first().copied()
        } else {
            note_only.first().copied()
        };
        let into = match (same, completes) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match into {
            Some(at) => {
                merges.push((kept[at], r));
                // It now has both a note and a table, or keeps its one kind.
                if table_only.contains(&at) && note || note_only.contains(&at) && !note {
                    table_only.remove(&at);
                    note_only.remove(&at);
                }
            }
            None => {
                if let Some(&first) = by_date.get(&rel.date) {
                    repeats.push((kept[first], r));
                }
                let at = kept.len();
                kept.push(r);
                by_fields.entry(same_key(rel)).or_insert(at);
                by_date.entry(rel.date).or_insert(at);
                if note {
                    note_only.insert(at);
                } else {
                    table_only.insert(at);
                }
            }
        }
    }
}

/// Merges relations that say exactly the same thing, and warns about rows
/// that look like an accidental repeat.
///
/// Two relations are merged only when every field is equal (source, target,
/// kind, date, interview, weight, note and the extra columns), or when the
/// same relation (source, target, kind and interview) is recorded once in a
/// table (`relations.csv`) and once in an interview note (`note_file[f]` says
/// whether file `f` is a note): the first, or the table's, keeps its fields
/// (a date only the note gives is kept) and gains the other's origins, so a
/// merged relation is one with several [`Relation::origins`]. Relations that
/// differ in anything else are separate relations, each counted; when two of
/// them have the same source, target, kind, interview and date, a warning
/// names both places (two agreements signed the same day are real, a row
/// entered twice with a typo in the weight is not, and only the staff can
/// tell).
///
/// Relations are grouped by source with a counting sort and each group is
/// sorted by target, kind and interview, so the work is `O(R log d)` for `R`
/// relations and at most `d` per source.
pub fn merge_duplicates(
    relations: &mut Vec<Relation>,
    note_file: &[bool],
    sources: &Dataset,
    problems: &mut Problems,
) {
    type Key<'a> = (u32, RelationKind, Option<&'a str>);
    fn key(r: &Relation) -> Key<'_> {
        (r.target, r.kind, r.interview.as_deref())
    }
    if relations.len() < 2 {
        return;
    }
    let from_note = |r: &Relation| {
        r.origins
            .first()
            .is_some_and(|o| note_file.get(o.file as usize).copied().unwrap_or(false))
    };
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
    // Within a source, sorted by target, kind and interview, then by
    // position; each run of equal keys is compared in file order.
    let mut merges: Vec<(u32, u32)> = Vec::new();
    let mut repeats: Vec<(u32, u32)> = Vec::new();
    for group in start.windows(2) {
        let group = &mut order[group[0] as usize..group[1] as usize];
        if group.len() < 2 {
            continue;
        }
        if !group
            .windows(2)
            .all(|w| key(&relations[w[0] as usize]) < key(&relations[w[1] as usize]))
        {
            group.sort_unstable_by(|&a, &b| {
                key(&relations[a as usize])
                    .cmp(&key(&relations[b as usize]))
                    .then(a.cmp(&b))
            });
        }
        let mut k = 0;
        while k < group.len() {
            let mut m = k + 1;
            while m < group.len()
                && key(&relations[group[m] as usize]) == key(&relations[group[k] as usize])
            {
                m += 1;
            }
            if m - k > 1 {
                merge_run(
                    &group[k..m],
                    relations,
                    &from_note,
                    &mut merges,
                    &mut repeats,
                );
            }
            k = m;
        }
    }
    for &(first, second) in &repeats {
        let (a, b) = (&relations[first as usize], &relations[second as usize]);
        let (Some(&at), Some(&was)) = (b.origins.first(), a.origins.first()) else {
            continue;
        };
        let there = sources.refer(was, at);
        let mut differ: Vec<&str> = Vec::new();
        if a.weight.to_bits() != b.weight.to_bits() {
            differ.push("weight");
        }
        if a.note != b.note {
            differ.push("note");
        }
        if a.attributes != b.attributes {
            differ.push("other columns");
        }
        problems.push(sources.problem(
            Severity::Warning,
            at,
            None,
            format!(
                "this relation looks like a repeat of {there}: the same organisations, kind and date{}, but a different {}. Both are counted (the tie adds up both weights); if it is one relation entered twice, delete one of the two rows",
                if a.interview.is_some() { " and interview" } else { "" },
                if differ.is_empty() { "text".to_string() } else { differ.join(" and ") },
            ),
        ));
    }
    if merges.is_empty() {
        return;
    }
    let mut keep = vec![true; relations.len()];
    for &(first, dup) in &merges {
        let dup_rel = std::mem::replace(
            &mut relations[dup as usize],
            Relation {
                source: 0,
                target: 0,
                kind: RelationKind::Contact,
                date: None,
                interview: None,
                weight: 0.0,
                note: None,
                origins: Vec::new(),
                attributes: Attributes::new(),
            },
        );
        let dup_from_note = dup_rel
            .origins
            .first()
            .is_some_and(|o| note_file.get(o.file as usize).copied().unwrap_or(false));
        let kept_from_note = from_note(&relations[first as usize]);
        let target = &mut relations[first as usize];
        if kept_from_note && !dup_from_note {
            // The table's fields win over the note's; a date only the note
            // gives is kept.
            target.weight = dup_rel.weight;
            target.note = dup_rel.note;
            target.attributes = dup_rel.attributes;
            if dup_rel.date.is_some() {
                target.date = dup_rel.date;
            }
        } else if target.date.is_none() {
            target.date = dup_rel.date;
        }
        target.origins.extend(dup_rel.origins);
        keep[dup as usize] = false;
    }
    // Each merged relation's origins sorted once, after all its merges.
    let mut merged: Vec<u32> = merges.iter().map(|&(first, _)| first).collect();
    merged.sort_unstable();
    merged.dedup();
    for first in merged {
        relations[first as usize].origins.sort();
    }
    let mut k = 0;
    relations.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}
