//! The staff's words for the closed vocabularies: kinds of organisation,
//! relation kinds, lead statuses and digitisation levels, and countries.
//!
//! A word is compared folded: accents removed, lower case, and spaces,
//! hyphens and underscores dropped (`Past-Partner`, `past partner` and
//! `past_partner` are one word), singular or plural (`Museums`). Besides the
//! vocabulary's own words, documented synonyms are understood
//! ([`ORG_KIND_SYNONYMS`] and its neighbours), and the `[vocabulary]` table of
//! `partnernet.toml` adds the hub's own words (in any language). A word still
//! not understood gets the closest allowed words as a suggestion.

use rustc_hash::FxHashMap;

use super::names::normalise;
use crate::config::VocabularySettings;
use crate::error::{Problem, Problems};
use crate::model::{Digitisation, LeadState, OrgKind, RelationKind};

/// Synonyms of the kinds of organisation, with the affiliate subtype they
/// name (kept as the column `affiliate_type`).
pub const ORG_KIND_SYNONYMS: &[(&str, OrgKind, Option<&str>)] = &[
    ("chapter", OrgKind::Affiliate, Some("chapter")),
    ("wikimedia chapter", OrgKind::Affiliate, Some("chapter")),
    ("user group", OrgKind::Affiliate, Some("user group")),
    (
        "wikimedia user group",
        OrgKind::Affiliate,
        Some("user group"),
    ),
    (
        "thematic organisation",
        OrgKind::Affiliate,
        Some("thematic organisation"),
    ),
    (
        "thematic organization",
        OrgKind::Affiliate,
        Some("thematic organisation"),
    ),
    ("affiliate", OrgKind::Affiliate, None),
    ("content partnerships hub", OrgKind::Hub, None),
    ("regional hub", OrgKind::Hub, None),
    ("thematic hub", OrgKind::Hub, None),
    ("research institute", OrgKind::Research, None),
    ("research institution", OrgKind::Research, None),
    ("institute", OrgKind::Research, None),
    ("college", OrgKind::University, None),
    ("government agency", OrgKind::Government, None),
    ("public agency", OrgKind::Government, None),
    ("ministry", OrgKind::Government, None),
    ("municipality", OrgKind::Government, None),
    ("broadcaster", OrgKind::Media, None),
    ("newspaper", OrgKind::Media, None),
    ("business", OrgKind::Company, None),
    ("firm", OrgKind::Company, None),
    ("non profit", OrgKind::Ngo, None),
    ("nonprofit", OrgKind::Ngo, None),
    ("non governmental organisation", OrgKind::Ngo, None),
    ("non governmental organization", OrgKind::Ngo, None),
    ("association", OrgKind::Ngo, None),
    ("foundation", OrgKind::Ngo, None),
    ("art gallery", OrgKind::Gallery, None),
];

/// Synonyms of the relation kinds.
pub const RELATION_KIND_SYNONYMS: &[(&str, RelationKind)] = &[
    ("partnership", RelationKind::Partner),
    ("current partner", RelationKind::Partner),
    ("active partner", RelationKind::Partner),
    ("ongoing partner", RelationKind::Partner),
    ("former partner", RelationKind::PastPartner),
    ("previous partner", RelationKind::PastPartner),
    ("earlier partner", RelationKind::PastPartner),
    ("ex partner", RelationKind::PastPartner),
    ("past partnership", RelationKind::PastPartner),
    ("ended partnership", RelationKind::PastPartner),
    ("wish", RelationKind::Desired),
    ("wished", RelationKind::Desired),
    ("wanted", RelationKind::Desired),
    ("desired partner", RelationKind::Desired),
    ("wants", RelationKind::Desired),
    ("referred", RelationKind::Referral),
    ("recommended", RelationKind::Referral),
    ("recommendation", RelationKind::Referral),
    ("tip", RelationKind::Referral),
    ("collaboration", RelationKind::Collaborates),
    ("collaborate", RelationKind::Collaborates),
    ("collaborator", RelationKind::Collaborates),
    ("cooperation", RelationKind::Collaborates),
    ("cooperates", RelationKind::Collaborates),
    ("works with", RelationKind::Collaborates),
    ("member of", RelationKind::Member),
    ("membership", RelationKind::Member),
    ("in contact", RelationKind::Contact),
    ("contacts", RelationKind::Contact),
];

/// Synonyms of the lead statuses.
pub const LEAD_STATE_SYNONYMS: &[(&str, LeadState)] = &[
    ("not contacted", LeadState::New),
    ("to contact", LeadState::New),
    ("open", LeadState::New),
    ("reached out", LeadState::Contacted),
    ("emailed", LeadState::Contacted),
    ("talking", LeadState::InTalks),
    ("in discussion", LeadState::InTalks),
    ("negotiating", LeadState::InTalks),
    ("in negotiation", LeadState::InTalks),
    ("signed", LeadState::Partner),
    ("partnered", LeadState::Partner),
    ("partnership", LeadState::Partner),
    ("rejected", LeadState::Declined),
    ("not interested", LeadState::Declined),
    ("said no", LeadState::Declined),
    ("dont contact", LeadState::DoNotContact),
    ("don't contact", LeadState::DoNotContact),
    ("no contact", LeadState::DoNotContact),
    ("never contact", LeadState::DoNotContact),
];

/// Synonyms of the digitisation levels.
pub const DIGITISATION_SYNONYMS: &[(&str, Digitisation)] = &[
    ("no", Digitisation::None),
    ("not started", Digitisation::None),
    ("nothing", Digitisation::None),
    ("planning", Digitisation::Planned),
    ("plans", Digitisation::Planned),
    ("ongoing", Digitisation::Started),
    ("in progress", Digitisation::Started),
    ("begun", Digitisation::Started),
    ("yes", Digitisation::Started),
    ("mature", Digitisation::Advanced),
    ("complete", Digitisation::Advanced),
    ("completed", Digitisation::Advanced),
    ("done", Digitisation::Advanced),
];

/// A word folded for comparison: accents removed, lower case, without
/// spaces, hyphens, underscores, dots or apostrophes.
///
/// ```
/// use partnernet::ingest::words::fold;
/// assert_eq!(fold(" Past-Partner "), "pastpartner");
/// assert_eq!(fold("Thematic_organisation"), "thematicorganisation");
/// ```
pub fn fold(word: &str) -> String {
    normalise(word)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.' | '\'' | '’'))
        .collect()
}

/// The singular of a folded word, for the plural forms people write
/// (`museums`, `libraries`, `galleries`), or `None` when it has no plural ending.
fn singular(folded: &str) -> Option<String> {
    if let Some(stem) = folded.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    folded
        .strip_suffix('s')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// One closed vocabulary: folded words to their meaning.
struct Lexicon<T: Copy> {
    words: FxHashMap<String, T>,
    /// The allowed words (as the documentation writes them) and their values,
    /// for suggestions.
    allowed: Vec<(String, T)>,
}

impl<T: Copy> Lexicon<T> {
    fn new() -> Lexicon<T> {
        Lexicon {
            words: FxHashMap::default(),
            allowed: Vec::new(),
        }
    }

    fn add(&mut self, word: &str, value: T) {
        self.words.insert(fold(word), value);
        self.allowed.push((word.to_string(), value));
    }

    fn get(&self, word: &str) -> Option<T> {
        let f = fold(word);
        if let Some(v) = self.words.get(&f) {
            return Some(*v);
        }
        singular(&f).and_then(|s| self.words.get(&s).copied())
    }

    /// The allowed words closest to `word`, best first (at most 3).
    fn closest(&self, word: &str) -> Vec<String> {
        let f = fold(word);
        let mut scored: Vec<(f64, &str)> = self
            .allowed
            .iter()
            .map(|(w, _)| {
                let g = fold(w);
                let mut s = rapidfuzz::distance::jaro_winkler::similarity(f.chars(), g.chars());
                if !f.is_empty() && (g.contains(&f) || f.contains(&g)) {
                    s = s.max(0.9);
                }
                (s, w.as_str())
            })
            .filter(|(s, _)| *s >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, w) in scored {
            if !out.iter().any(|o| o == w) {
                out.push(w.to_string());
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }
}

/// The words the dataset's vocabularies understand: the standard ones,
/// the documented synonyms and the `[vocabulary]` settings.
pub struct Words {
    kinds: Lexicon<(OrgKind, Option<&'static str>)>,
    relation_kinds: Lexicon<RelationKind>,
    statuses: Lexicon<LeadState>,
    digitisation: Lexicon<Digitisation>,
}

impl Default for Words {
    fn default() -> Self {
        Words::new(
            &VocabularySettings::default(),
            std::path::Path::new(""),
            &mut Problems::default(),
        )
    }
}

/// The standard words and documented synonyms, built once.
static STANDARD: std::sync::LazyLock<Words> = std::sync::LazyLock::new(Words::default);

impl Words {
    /// The standard words and documented synonyms, without any
    /// `[vocabulary]` settings: for reading the settings themselves (the
    /// relation kinds of `[notes] headings`).
    pub fn standard() -> &'static Words {
        &STANDARD
    }

    /// The standard words and synonyms, with `settings` added (their values
    /// may be any word already understood, such as `"kapitel" = "chapter"`).
    /// A setting whose value is not understood is an error in `config_path`.
    pub fn new(
        settings: &VocabularySettings,
        config_path: &std::path::Path,
        problems: &mut Problems,
    ) -> Words {
        let mut kinds = Lexicon::new();
        for k in OrgKind::ALL.iter().filter(|k| **k != OrgKind::Unknown) {
            kinds.add(k.as_str(), (*k, None));
        }
        for (w, k, sub) in ORG_KIND_SYNONYMS {
            kinds.add(w, (*k, *sub));
        }
        let mut relation_kinds = Lexicon::new();
        for k in RelationKind::ALL {
            relation_kinds.add(k.as_str(), *k);
        }
        for (w, k) in RELATION_KIND_SYNONYMS {
            relation_kinds.add(w, *k);
        }
        let mut statuses = Lexicon::new();
        for k in LeadState::ALL {
            statuses.add(k.as_str(), *k);
        }
        for (w, k) in LEAD_STATE_SYNONYMS {
            statuses.add(w, *k);
        }
        let mut digitisation = Lexicon::new();
        for k in Digitisation::ALL {
            digitisation.add(k.as_str(), *k);
        }
        for (w, k) in DIGITISATION_SYNONYMS {
            digitisation.add(w, *k);
        }
        fn extend<T: Copy>(
            lexicon: &mut Lexicon<T>,
            table: &std::collections::BTreeMap<String, String>,
            name: &str,
            config_path: &std::path::Path,
            problems: &mut Problems,
        ) {
            for (word, meaning) in table {
                match lexicon.get(meaning) {
                    Some(v) => {
                        lexicon.words.insert(fold(word), v);
                    }
                    None => problems.push(
                        Problem::error(
                            config_path,
                            None,
                            format!(
                                "[vocabulary] {name}: the word must mean one of: {}",
                                lexicon
                                    .allowed
                                    .iter()
                                    .map(|(w, _)| w.as_str())
                                    .filter(|w| !w.contains(' '))
                                    .take(16)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                        .at(word, meaning),
                    ),
                }
            }
        }
        extend(&mut kinds, &settings.kinds, "kinds", config_path, problems);
        extend(
            &mut relation_kinds,
            &settings.relation_kinds,
            "relation_kinds",
            config_path,
            problems,
        );
        extend(
            &mut statuses,
            &settings.statuses,
            "statuses",
            config_path,
            problems,
        );
        extend(
            &mut digitisation,
            &settings.digitisation,
            "digitisation",
            config_path,
            problems,
        );
        Words {
            kinds,
            relation_kinds,
            statuses,
            digitisation,
        }
    }

    /// A kind of organisation, with the affiliate subtype the word names
    /// (`Chapter` is an affiliate of subtype `chapter`).
    pub fn kind(&self, word: &str) -> Option<(OrgKind, Option<&'static str>)> {
        if let Some(k) = OrgKind::ALL.iter().find(|k| k.as_str() == word) {
            return (*k != OrgKind::Unknown).then_some((*k, None));
        }
        self.kinds.get(word)
    }

    /// A relation kind.
    pub fn relation_kind(&self, word: &str) -> Option<RelationKind> {
        if let Some(k) = RelationKind::ALL.iter().find(|k| k.as_str() == word) {
            return Some(*k);
        }
        self.relation_kinds.get(word)
    }

    /// A lead status.
    pub fn status(&self, word: &str) -> Option<LeadState> {
        if let Some(k) = LeadState::ALL.iter().find(|k| k.as_str() == word) {
            return Some(*k);
        }
        self.statuses.get(word)
    }

    /// A digitisation level.
    pub fn digitisation(&self, word: &str) -> Option<Digitisation> {
        if let Some(k) = Digitisation::ALL.iter().find(|k| k.as_str() == word) {
            return Some(*k);
        }
        self.digitisation.get(word)
    }

    /// "did you mean …? " for a kind not understood, or "".
    pub fn kind_hint(&self, word: &str) -> String {
        hint(self.kinds.closest(word))
    }

    /// "did you mean …? " for a relation kind not understood, or "".
    pub fn relation_kind_hint(&self, word: &str) -> String {
        hint(self.relation_kinds.closest(word))
    }

    /// "did you mean …? " for a status not understood, or "".
    pub fn status_hint(&self, word: &str) -> String {
        hint(self.statuses.closest(word))
    }

    /// "did you mean …? " for a digitisation level not understood, or "".
    pub fn digitisation_hint(&self, word: &str) -> String {
        hint(self.digitisation.closest(word))
    }
}

fn hint(closest: Vec<String>) -> String {
    if closest.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = closest.iter().map(|w| format!("{w:?}")).collect();
    format!("did you mean {}? ", quoted.join(" or "))
}

/// Country codes withdrawn from ISO 3166-1 that people still write, with
/// what became of them.
const WITHDRAWN: &[(&str, &str)] = &[
    ("YU", "Yugoslavia"),
    ("YUG", "Yugoslavia"),
    ("CS", "Serbia and Montenegro, or Czechoslovakia"),
    ("SCG", "Serbia and Montenegro"),
    ("CSK", "Czechoslovakia"),
    ("SU", "the Soviet Union"),
    ("SUN", "the Soviet Union"),
    ("DD", "East Germany"),
    ("DDR", "East Germany"),
    ("ZR", "Zaire"),
    ("AN", "the Netherlands Antilles"),
    ("ANT", "the Netherlands Antilles"),
    ("TP", "East Timor"),
];

/// Names and codes people write for a country that ISO 3166-1 does not
/// give it: `UK` (reserved by ISO for the United Kingdom, whose code is
/// `GB`) and the United Kingdom's four countries.
const EVERYDAY_COUNTRIES: &[(&str, &str)] = &[
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("England", "GB"),
    ("Scotland", "GB"),
    ("Wales", "GB"),
    ("Northern Ireland", "GB"),
    ("U.S.", "US"),
    ("U.S.A.", "US"),
    ("United States", "US"),
];

/// What a country cell says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountryRead {
    /// The ISO 3166-1 alpha-2 code, upper case.
    Code(String),
    /// A code withdrawn from ISO 3166-1, and the country it stood for.
    Withdrawn(&'static str),
    /// Not a country partnernet knows.
    Unknown,
}

/// Reads a country written as an ISO 3166-1 alpha-2 code (`SE`), an alpha-3
/// code (`SWE`) or its English name (`Sweden`, `United Kingdom`), through the
/// `celes` crate's ISO 3166-1 tables.
///
/// ```
/// use partnernet::ingest::words::{country, CountryRead};
/// assert_eq!(country("Sweden"), CountryRead::Code("SE".into()));
/// assert_eq!(country("swe"), CountryRead::Code("SE".into()));
/// assert!(matches!(country("YU"), CountryRead::Withdrawn(_)));
/// ```
pub fn country(s: &str) -> CountryRead {
    let t = s.trim();
    let upper = t.to_uppercase();
    if upper.len() == 2 && super::regions::is_country(&upper) {
        return CountryRead::Code(upper);
    }
    if let Some((_, what)) = WITHDRAWN.iter().find(|(c, _)| *c == upper) {
        return CountryRead::Withdrawn(what);
    }
    let folded = fold(t);
    if let Some((_, code)) = EVERYDAY_COUNTRIES.iter().find(|(w, _)| fold(w) == folded) {
        return CountryRead::Code(code.to_string());
    }
    let squeezed: String = normalise(t)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let found = match squeezed.len() {
        0 => None,
        2 => celes::Country::from_alpha2(&squeezed).ok(),
        3 => celes::Country::from_alpha3(&squeezed).ok(),
        _ => None,
    }
    .or_else(|| celes::Country::from_name(&squeezed).ok())
    .or_else(|| celes::Country::from_alias(&squeezed).ok())
    .or_else(|| {
        // "The Netherlands", "Republic of Korea"...
        squeezed
            .strip_prefix("the")
            .and_then(|s| celes::Country::from_name(s).ok())
    });
    match found {
        Some(c) if super::regions::is_country(c.alpha2) => {
            CountryRead::Code(c.alpha2.to_uppercase())
        }
        _ => CountryRead::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_words_are_understood() {
        let w = Words::default();
        assert_eq!(
            w.kind("User group"),
            Some((OrgKind::Affiliate, Some("user group")))
        );
        assert_eq!(
            w.kind("Thematic organization"),
            Some((OrgKind::Affiliate, Some("thematic organisation")))
        );
        assert_eq!(w.kind("Museums"), Some((OrgKind::Museum, None)));
        assert_eq!(w.kind("Libraries"), Some((OrgKind::Library, None)));
        assert_eq!(w.kind("unknown"), None);
        assert_eq!(
            w.relation_kind("past partner"),
            Some(RelationKind::PastPartner)
        );
        assert_eq!(
            w.relation_kind("Former partners"),
            Some(RelationKind::PastPartner)
        );
        assert_eq!(
            w.relation_kind("collaboration"),
            Some(RelationKind::Collaborates)
        );
        assert_eq!(w.status("In talks"), Some(LeadState::InTalks));
        assert_eq!(w.status("do not contact"), Some(LeadState::DoNotContact));
        assert_eq!(w.digitisation("In progress"), Some(Digitisation::Started));
    }

    #[test]
    fn misspelt_words_get_the_closest() {
        let w = Words::default();
        assert_eq!(w.relation_kind("partnr"), None);
        assert!(w.relation_kind_hint("partnr").contains("\"partner\""));
        assert!(w.status_hint("in tlks").contains("in_talks"));
        assert!(w.kind_hint("musem").contains("\"museum\""));
    }

    #[test]
    fn settings_add_words() {
        let mut settings = VocabularySettings::default();
        settings.kinds.insert("kapitel".into(), "chapter".into());
        settings.kinds.insert("zoo".into(), "zebra".into());
        let mut problems = Problems::default();
        let w = Words::new(
            &settings,
            std::path::Path::new("partnernet.toml"),
            &mut problems,
        );
        assert_eq!(
            w.kind("Kapitel"),
            Some((OrgKind::Affiliate, Some("chapter")))
        );
        assert_eq!(problems.errors(), 1);
    }

    #[test]
    fn countries() {
        assert_eq!(country("SE"), CountryRead::Code("SE".into()));
        assert_eq!(country("se"), CountryRead::Code("SE".into()));
        assert_eq!(country("Kenya"), CountryRead::Code("KE".into()));
        assert_eq!(country("BRA"), CountryRead::Code("BR".into()));
        assert_eq!(country("United Kingdom"), CountryRead::Code("GB".into()));
        assert_eq!(country("Narnia"), CountryRead::Unknown);
        assert_eq!(country("UK"), CountryRead::Code("GB".into()));
        assert_eq!(country("Scotland"), CountryRead::Code("GB".into()));
        assert_eq!(country("U.S."), CountryRead::Code("US".into()));
        assert!(matches!(country("YU"), CountryRead::Withdrawn(_)));
    }
}
