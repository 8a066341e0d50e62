//! Settings from `partnernet.toml` in the dataset folder.
//!
//! Every setting is optional and has a documented default; `partnernet init`
//! writes a commented file listing them all. Unknown keys are an error that
//! names the key, so a typo never silently does nothing.

use std::path::Path;

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::error::{Problem, Problems};
use crate::model::RelationKind;

/// The name of the settings file inside a dataset folder.
pub const CONFIG_FILE: &str = "partnernet.toml";

/// All settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub analysis: AnalysisSettings,
    pub clusters: ClusterSettings,
    pub brokers: BrokerSettings,
    pub leads: LeadSettings,
    pub notes: NotesSettings,
    pub input: InputSettings,
    pub vocabulary: VocabularySettings,
}

/// How dates are read in the data (`[input]`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// `12/03/2024` is 12 March 2024 (the default, as in most of the movement).
    #[default]
    DayFirst,
    /// `12/03/2024` is 3 December 2024 (as in the United States).
    MonthFirst,
}

impl DateOrder {
    /// The setting's value as written in `partnernet.toml`.
    pub fn setting(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day-first",
            DateOrder::MonthFirst => "month-first",
        }
    }
}

/// How the dataset's files are read (`[input]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct InputSettings {
    /// `day-first` (default) or `month-first`: how dates such as `12/03/2024`
    /// are read. Dates written year first (`2024-03-12`) are always read.
    pub date_order: DateOrder,
    /// The encoding of CSV files that are neither UTF-8 nor UTF-16 (default
    /// `windows-1252`, what Excel writes in Western Europe and the Americas);
    /// any WHATWG encoding label, such as `windows-1250` or `iso-8859-15`.
    pub encoding: String,
}

impl Default for InputSettings {
    fn default() -> Self {
        InputSettings {
            date_order: DateOrder::DayFirst,
            encoding: "windows-1252".to_string(),
        }
    }
}

/// The hub's own words for the closed vocabularies (`[vocabulary]`), each
/// a table of word = meaning, the meaning being a word partnernet already
/// understands: `kinds = { "kapitel" = "chapter", "museum" = "museum" }`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct VocabularySettings {
    /// Words for kinds of organisation.
    pub kinds: BTreeMap<String, String>,
    /// Words for relation kinds.
    pub relation_kinds: BTreeMap<String, String>,
    /// Words for lead statuses (`lead-status.csv`).
    pub statuses: BTreeMap<String, String>,
    /// Words for digitisation levels.
    pub digitisation: BTreeMap<String, String>,
}

/// Settings that apply to every analysis.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisSettings {
    /// The seed for every randomised step (default 42). The same data and
    /// seed always give the same outputs, byte for byte.
    pub seed: u64,
    /// Components with at most this many organisations are listed as small
    /// components (default 3).
    pub small_component: usize,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        AnalysisSettings {
            seed: 42,
            small_component: 3,
        }
    }
}

/// What the clustering maximises.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum ClusterObjective {
    /// Modularity (Newman–Girvan, with a resolution): groups with more ties
    /// inside than expected by chance.
    #[default]
    Modularity,
    /// The Constant Potts Model: groups whose tie density is above the
    /// resolution.
    Cpm,
}

/// Settings of the clusters (`[clusters]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ClusterSettings {
    /// `modularity` (default) or `cpm`.
    pub objective: ClusterObjective,
    /// Higher values give more, smaller clusters (default 1.0).
    pub resolution: f64,
    /// How many runs, each with its own seed, measure each placement's
    /// confidence; 0 (the default) is automatic: 10, or 3 above
    /// [`LARGE_NETWORK`] organisations.
    pub runs: usize,
    /// At most this many rounds of the Leiden algorithm; 0 (the default) is
    /// automatic: until a round changes nothing, or at most 2 rounds above
    /// [`MEDIUM_NETWORK`] organisations.
    pub max_iterations: usize,
}

/// Above this many organisations, the automatic settings favour speed.
pub const LARGE_NETWORK: usize = 200_000;

/// Above this many organisations, the Leiden algorithm stops after 2 rounds
/// unless `[clusters] max_iterations` says otherwise: on movement-like
/// networks the rounds after the second add less than 0.0001 to modularity
/// (generated 100k movement: 0.960221 after 2 rounds, 0.960247 after 3,
/// igraph's Leiden 0.960287; generated 10k movement: 0.9603252 after 2
/// rounds and 0.9603252 when run until a round changes nothing, igraph's
/// Leiden 0.960325) and each costs about as
/// much as the first (10k: 40 % of the instructions of a run are the rounds
/// after the second).
pub const MEDIUM_NETWORK: usize = 5_000;

impl ClusterSettings {
    /// The number of confidence runs for a network of `n` organisations.
    pub fn runs_for(&self, n: usize) -> usize {
        match self.runs {
            0 if n > LARGE_NETWORK => 3,
            0 => 10,
            r => r,
        }
    }

    /// The most rounds of the Leiden algorithm for `n` organisations
    /// (`None`: until a round changes nothing).
    pub fn max_iterations_for(&self, n: usize) -> Option<usize> {
        match self.max_iterations {
            0 if n > MEDIUM_NETWORK => Some(2),
            0 => None,
            m => Some(m),
        }
    }
}

impl BrokerSettings {
    /// The number of sampled sources for a network with `ties` ties.
    pub fn pivots_for(&self, ties: usize) -> usize {
        match self.pivots {
            0 => (50_000_000 / ties.max(1)).clamp(16, 256),
            p => p,
        }
    }
}

impl Default for ClusterSettings {
    fn default() -> Self {
        ClusterSettings {
            objective: ClusterObjective::Modularity,
            resolution: 1.0,
            runs: 0,
            max_iterations: 0,
        }
    }
}

/// Settings of the bridges and brokers (`[brokers]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct BrokerSettings {
    /// Betweenness is exact up to this many organisations and estimated from
    /// sampled sources above it (default 20000).
    pub exact_betweenness_up_to: usize,
    /// How many sampled sources the estimate uses; 0 (the default) is
    /// automatic: 256, fewer on very large networks so that the estimate
    /// walks at most 50 million ties (at least 16 sources).
    pub pivots: usize,
}

impl Default for BrokerSettings {
    fn default() -> Self {
        BrokerSettings {
            exact_betweenness_up_to: 20_000,
            pivots: 0,
        }
    }
}

/// Settings of the leads and opportunities (`[leads]`): the weight of each
/// part of a lead's score. A weight of 0 leaves that part out.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LeadSettings {
    /// Per distinct organisation that referred the lead (default 1.0).
    /// Repeated referrals by the same one count with diminishing returns.
    pub referrals: f64,
    /// For the standing of those who referred or want the lead: their
    /// betweenness and whether they have active partners (default 1.0).
    pub standing: f64,
    /// Per distinct affiliate that wants the lead as a partner (default 1.0).
    pub desire: f64,
    /// For how recently the lead was mentioned (default 1.0).
    pub recency: f64,
    /// Years after which a mention counts half (default 2.0).
    pub recency_half_life_years: f64,
    /// For how far the lead's digitisation has come (default 0.5).
    pub digitisation: f64,
    /// For the kind of institution (default 0.5).
    pub kind: f64,
    /// For tying in a region with few ties (default 0.5).
    pub bridging: f64,
    /// How many leads `leads.md` and the summary show (default 25).
    pub top: usize,
}

impl Default for LeadSettings {
    fn default() -> Self {
        LeadSettings {
            referrals: 1.0,
            standing: 1.0,
            desire: 1.0,
            recency: 1.0,
            recency_half_life_years: 2.0,
            digitisation: 0.5,
            kind: 0.5,
            bridging: 0.5,
            top: 25,
        }
    }
}

/// How interview notes are read (`[notes]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct NotesSettings {
    /// Heading keywords and the relation kind a mention under such a heading
    /// is, added to (or overriding) the English defaults, such as
    /// `"samarbetar med andra" = "collaborates"`.
    pub headings: BTreeMap<String, String>,
}

/// The English heading keywords, from the questionnaire's headings and
/// questions, and the relation kind each gives.
pub const DEFAULT_HEADINGS: &[(&str, RelationKind)] = &[
    (
        "work with content partnerships today",
        RelationKind::Partner,
    ),
    ("ongoing partners", RelationKind::Partner),
    ("current partner", RelationKind::Partner),
    ("normal work process", RelationKind::Partner),
    ("deepen the contact", RelationKind::Partner),
    ("earlier collaborations", RelationKind::PastPartner),
    ("reflections and experiences", RelationKind::PastPartner),
    ("past partner", RelationKind::PastPartner),
    ("desired content partnerships", RelationKind::Desired),
    ("leads in future planning", RelationKind::Desired),
    ("work plan for new partners", RelationKind::Desired),
    ("would you work more with", RelationKind::Desired),
    ("someone in your network", RelationKind::Referral),
    ("would be interested", RelationKind::Referral),
    (
        "collaborate with other chapters",
        RelationKind::Collaborates,
    ),
    ("other chapters and affiliates", RelationKind::Collaborates),
    ("collaboration", RelationKind::Collaborates),
    // The questionnaire's three main areas, as written and as interviewers
    // shorten or number them ("1. Experiences", "2. Needs for future work",
    // "3. Support").
    (
        "experiences and best practices from earlier work with content partnerships",
        RelationKind::PastPartner,
    ),
    ("experiences and best practices", RelationKind::PastPartner),
    (
        "best practices from earlier work",
        RelationKind::PastPartner,
    ),
    ("earlier work", RelationKind::PastPartner),
    ("experiences", RelationKind::PastPartner),
    (
        "main needs for future work with partners",
        RelationKind::Desired,
    ),
    ("needs for future work", RelationKind::Desired),
    ("future work with partners", RelationKind::Desired),
    ("main needs", RelationKind::Desired),
    ("future needs", RelationKind::Desired),
    ("good and efficient support", RelationKind::Contact),
    ("efficient support", RelationKind::Contact),
    ("support look like", RelationKind::Contact),
    ("support", RelationKind::Contact),
    ("needs for a successful work", RelationKind::Contact),
    ("communicate with your partners", RelationKind::Contact),
    ("copyright", RelationKind::Contact),
    ("software and hardware", RelationKind::Contact),
];

impl NotesSettings {
    /// Every keyword (normalised) with its kind: the defaults, then the
    /// settings' own, which win for the same keyword. Settings whose kind is
    /// not a relation kind (read as the tables read it: `past partner`,
    /// `Collaboration`...) are left out (`Config::load` reports them).
    pub fn keywords(&self) -> Vec<(String, RelationKind)> {
        let mut all: BTreeMap<String, RelationKind> = DEFAULT_HEADINGS
            .iter()
            .map(|(k, kind)| (crate::ingest::names::normalise(k), *kind))
            .collect();
        for (k, v) in &self.headings {
            if let Some(kind) = crate::ingest::words::Words::standard().relation_kind(v) {
                all.insert(crate::ingest::names::normalise(k), kind);
            }
        }
        all.into_iter().collect()
    }
}

impl Config {
    /// Reads `partnernet.toml` from `dataset`, or the defaults when there is
    /// none. A malformed file is reported as a problem naming its line.
    pub fn load(dataset: &Path, problems: &mut Problems) -> Config {
        let path = dataset.join(CONFIG_FILE);
        let text = match crate::ingest::files::read_ordinary(&path, crate::ingest::files::SETTINGS)
        {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Config::default(),
            Err(e) => {
                problems.push(Problem::error(&path, None, format!("cannot read: {e}")));
                return Config::default();
            }
        };
        let text = match String::from_utf8(text) {
            Ok(t) => t,
            Err(e) => {
                let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count() as u64;
                problems.push(Problem::error(
                    &path,
                    Some(line),
                    "the file is not valid UTF-8; save it as UTF-8",
                ));
                return Config::default();
            }
        };
        match toml::from_str::<Config>(&text) {
            Ok(c) => {
                let written = Written::new(&text);
                c.check_ranges(&written, &path, problems);
                c.check_encoding(&written, &path, problems);
                for (keyword, kind) in &c.notes.headings {
                    let words = crate::ingest::words::Words::standard();
                    if words.relation_kind(kind).is_none() {
                        let line = text
                            .lines()
                            .position(|l| l.contains(keyword.as_str()))
                            .map(|p| p as u64 + 1);
                        problems.push(
                            Problem::error(
                                &path,
                                line,
                                format!(
                                    "not a relation kind; {}expected one of: {}",
                                    words.relation_kind_hint(kind),
                                    RelationKind::expected()
                                ),
                            )
                            .at(&format!("[notes] headings.{keyword}"), kind),
                        );
                    }
                }
                c
            }
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| 1 + text[..s.start.min(text.len())].matches('\n').count() as u64);
                // One line: toml's message may run over several.
                let mut message = e
                    .message()
                    .split('\n')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                // Name the setting, and its range when it has one, when the
                // line sets one.
                if let Some((section, key)) = line.and_then(|l| setting_on_line(&text, l)) {
                    message = match RANGES.iter().find(|r| r.section == section && r.key == key) {
                        Some(range) => format!(
                            "the setting {}: {message}; {}",
                            range.name(),
                            range.expected()
                        ),
                        None => format!("the setting [{section}] {key}: {message}"),
                    };
                }
                problems.push(Problem::error(&path, line, message));
                Config::default()
            }
        }
    }
}

/// The allowed values of a number setting: from `min` to `max`, `min`
/// itself excluded when `above_min`. NaN and infinity are never allowed.
/// The README's table of settings gives the same ranges.
#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub section: &'static str,
    pub key: &'static str,
    pub min: f64,
    pub above_min: bool,
    pub max: f64,
    /// What the usual value is, for the message.
    pub usual: &'static str,
}

impl Range {
    /// `[section] key`, as the messages name a setting.
    pub fn name(&self) -> String {
        format!("[{}] {}", self.section, self.key)
    }

    /// Whether `x` is allowed.
    pub fn allows(&self, x: f64) -> bool {
        x.is_finite()
            && x <= self.max
            && if self.above_min {
                x > self.min
            } else {
                x >= self.min
            }
    }

    /// What the setting must be, in words.
    pub fn expected(&self) -> String {
        let low = if self.above_min {
            format!("a number above {}", self.min)
        } else {
            format!("a number from {}", self.min)
        };
        format!("it must be {low} up to {} ({})", self.max, self.usual)
    }
}

const fn range(
    section: &'static str,
    key: &'static str,
    min: f64,
    above_min: bool,
    max: f64,
    usual: &'static str,
) -> Range {
    Range {
        section,
        key,
        min,
        above_min,
        max,
        usual,
    }
}

/// Every number setting's range. The upper limits keep a run finite: more
/// than 100 confidence runs or 1,000 Leiden rounds change nothing a reader
/// would see and could run for days; a weight above 1,000 only scales every
/// score.
pub const RANGES: &[Range] = &[
    range(
        "analysis",
        "small_component",
        1.0,
        false,
        1e6,
        "3 is the default",
    ),
    range(
        "clusters",
        "resolution",
        0.0,
        true,
        1e3,
        "1.0 is the usual value",
    ),
    range(
        "clusters",
        "runs",
        0.0,
        false,
        100.0,
        "0, the default, is automatic",
    ),
    range(
        "clusters",
        "max_iterations",
        0.0,
        false,
        1e3,
        "0, the default, is automatic",
    ),
    range(
        "brokers",
        "exact_betweenness_up_to",
        0.0,
        false,
        1e6,
        "20000 is the default",
    ),
    range(
        "brokers",
        "pivots",
        0.0,
        false,
        1e5,
        "0, the default, is automatic",
    ),
    range(
        "leads",
        "referrals",
        0.0,
        false,
        1e3,
        "0 leaves the part out; 1.0 is the default",
    ),
    range(
        "leads",
        "standing",
        0.0,
        false,
        1e3,
        "0 leaves the part out; 1.0 is the default",
    ),
    range(
        "leads",
        "desire",
        0.0,
        false,
        1e3,
        "0 leaves the part out; 1.0 is the default",
    ),
    range(
        "leads",
        "recency",
        0.0,
        false,
        1e3,
        "0 leaves the part out; 1.0 is the default",
    ),
    range(
        "leads",
        "recency_half_life_years",
        0.0,
        true,
        1e3,
        "2.0 is the default",
    ),
    range(
        "leads",
        "digitisation",
        0.0,
        false,
        1e3,
        "0 leaves the part out; 0.5 is the default",
    ),
    range(
        "leads",
        "kind",
        0.0,
        false,
        1e3,
        "0 leaves the part out; 0.5 is the default",
    ),
    range(
        "leads",
        "bridging",
        0.0,
        false,
        1e3,
        "0 leaves the part out; 0.5 is the default",
    ),
    range("leads", "top", 1.0, false, 1e5, "25 is the default"),
];

/// Where the settings are written in the text of `partnernet.toml`: the
/// spans of a second, untyped reading of it (`None` when that fails).
struct Written<'t> {
    text: &'t str,
    spans: Option<BTreeMap<String, BTreeMap<String, toml::Spanned<toml::Value>>>>,
}

impl<'t> Written<'t> {
    fn new(text: &'t str) -> Written<'t> {
        Written {
            text,
            spans: toml::from_str(text).ok(),
        }
    }

    /// The line (1-based) where `[section] key` is set and its value as
    /// written, when it is set in the usual way (a `key = value` line under
    /// `[section]`).
    fn place(&self, section: &str, key: &str) -> (Option<u64>, Option<&'t str>) {
        let Some(span) = self
            .spans
            .as_ref()
            .and_then(|s| s.get(section)?.get(key))
            .map(|v| v.span())
        else {
            return (None, None);
        };
        let start = span.start.min(self.text.len());
        let line = 1 + self.text[..start].matches('\n').count() as u64;
        (Some(line), self.text.get(span))
    }
}

/// The section and key of the setting written on `line` (1-based) of
/// `text`, if the line sets one: the key before `=` and the last
/// `[section]` above it.
fn setting_on_line(text: &str, line: u64) -> Option<(&str, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let at = usize::try_from(line).ok()?.checked_sub(1)?;
    let key = lines.get(at)?.split_once('=')?.0.trim();
    let bare = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"'))
    };
    let section = lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| l.starts_with('['))?
        .trim_start_matches('[')
        .split(']')
        .next()?
        .trim();
    (bare(key) && bare(section)).then_some((section, key))
}

impl Config {
    /// The value of each setting of [`RANGES`].
    fn value(&self, r: &Range) -> f64 {
        let (a, c, b, l) = (&self.analysis, &self.clusters, &self.brokers, &self.leads);
        match (r.section, r.key) {
            ("analysis", "small_component") => a.small_component as f64,
            ("clusters", "resolution") => c.resolution,
            ("clusters", "runs") => c.runs as f64,
            ("clusters", "max_iterations") => c.max_iterations as f64,
            ("brokers", "exact_betweenness_up_to") => b.exact_betweenness_up_to as f64,
            ("brokers", "pivots") => b.pivots as f64,
            ("leads", "referrals") => l.referrals,
            ("leads", "standing") => l.standing,
            ("leads", "desire") => l.desire,
            ("leads", "recency") => l.recency,
            ("leads", "recency_half_life_years") => l.recency_half_life_years,
            ("leads", "digitisation") => l.digitisation,
            ("leads", "kind") => l.kind,
            ("leads", "bridging") => l.bridging,
            ("leads", "top") => l.top as f64,
            _ => unreachable!("every range names a setting"),
        }
    }

    /// Settings outside their [`Range`], each an error naming `path`, the
    /// line and the setting, as `written`.
    fn check_ranges(&self, written: &Written, path: &Path, problems: &mut Problems) {
        for r in RANGES {
            let x = self.value(r);
            if r.allows(x) {
                continue;
            }
            let (line, value) = written.place(r.section, r.key);
            let value = value.map_or_else(|| x.to_string(), str::to_string);
            problems.push(Problem::error(path, line, r.expected()).at(&r.name(), &value));
        }
    }

    /// `[input] encoding` when it is no encoding label encoding_rs knows (the
    /// WHATWG Encoding Standard's labels): an error naming `path`, the line
    /// and the value, which would otherwise quietly read as Windows-1252.
    fn check_encoding(&self, written: &Written, path: &Path, problems: &mut Problems) {
        let label = self.input.encoding.trim();
        if encoding_rs::Encoding::for_label(label.as_bytes()).is_some() {
            return;
        }
        let (line, _) = written.place("input", "encoding");
        problems.push(
            Problem::error(
                path,
                line,
                "not an encoding partnernet knows; write a label of the WHATWG Encoding Standard, such as windows-1252 (the default), windows-1250 or iso-8859-15",
            )
            .at("[input] encoding", &self.input.encoding),
        );
    }

    /// The settings outside their [`Range`] (after the command line's
    /// overrides), as `[section] key: value, what it must be`.
    pub fn out_of_range(&self) -> Vec<String> {
        RANGES
            .iter()
            .filter(|r| !r.allows(self.value(r)))
            .map(|r| format!("{} is {}; {}", r.name(), self.value(r), r.expected()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "[analysis]\nseed = 7\nsed = 3\n",
        )
        .unwrap();
        let mut problems = Problems::default();
        Config::load(dir.path(), &mut problems);
        let text = problems.report();
        assert!(text.contains("line 3"), "{text}");
        assert!(text.contains("sed"), "{text}");
    }

    /// Found by the `settings` fuzz target: toml's message for a broken
    /// table header runs over two lines.
    #[test]
    fn a_broken_table_header_is_one_line_naming_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "[analysis]\nseed = 7\n[le ads\n",
        )
        .unwrap();
        let mut problems = Problems::default();
        Config::load(dir.path(), &mut problems);
        let text = problems.report();
        assert_eq!(problems.errors(), 1, "{text}");
        let p = &problems.items()[0];
        assert_eq!(p.line, Some(3), "{text}");
        assert!(!p.message.contains('\n'), "{text}");
        assert!(text.contains("invalid table header; expected"), "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
    }

    #[test]
    fn settings_out_of_range_name_the_file_line_and_setting() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "[clusters]\nresolution = nan\nruns = 1000000000\n\n[leads]\nreferrals = -1\nrecency_half_life_years = 0\ntop = 10\n",
        )
        .unwrap();
        let mut problems = Problems::default();
        Config::load(dir.path(), &mut problems);
        let text = problems.report();
        for expected in [
            "line 2, column '[clusters] resolution', value \"nan\"",
            "line 3, column '[clusters] runs', value \"1000000000\"",
            "line 6, column '[leads] referrals', value \"-1\"",
            "line 7, column '[leads] recency_half_life_years', value \"0\"",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
        assert_eq!(problems.errors(), 4, "{text}");
        assert!(text.contains("partnernet.toml"));
    }

    #[test]
    fn a_number_too_large_names_the_setting() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "[clusters]\nruns = 18446744073709551615\n",
        )
        .unwrap();
        let mut problems = Problems::default();
        Config::load(dir.path(), &mut problems);
        let text = problems.report();
        assert!(
            text.contains("line 2") && text.contains("[clusters] runs"),
            "{text}"
        );
        assert!(text.contains("up to 100"), "{text}");
    }

    #[test]
    fn the_defaults_are_in_range() {
        assert!(Config::default().out_of_range().is_empty());
    }

    #[test]
    fn settings_are_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "[analysis]\nseed = 7\n").unwrap();
        let mut problems = Problems::default();
        let c = Config::load(dir.path(), &mut problems);
        assert!(problems.is_empty());
        assert_eq!(c.analysis.seed, 7);
        assert_eq!(c.analysis.small_component, 3);
    }
}
