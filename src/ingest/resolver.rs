//! Settling the names written in relations, interviews and notes: each
//! becomes an organisation of the files, or an organisation of kind
//! `unknown` made for it.

use super::names::{self, KeyedMap, NameIndex, Resolution};
use super::table::Place;
use crate::error::{Problem, Problems, Severity};
use crate::model::{Dataset, OrgKind, Organisation, Origin, UnresolvedName};

/// Resolves names to organisations, creating `unknown` ones for names that
/// match none.
pub struct Resolver {
    index: NameIndex,
    strict: bool,
    unresolved: Vec<UnresolvedName>,
    /// For each unresolved name: where it was first used (without a
    /// message), and the column.
    first_use: Vec<Problem>,
    /// Organisations from this index on were created for unresolved names.
    first_unknown: u32,
    /// The other spellings of unresolved names (ones that fold to the same
    /// name ignoring case, accents and spacing but differ from the first
    /// one seen), by spelling: an index into `spellings`.
    variants: KeyedMap<String, usize>,
    /// Those spellings, each with its uses.
    spellings: Vec<Spelling>,
}

/// A spelling of an unresolved name other than the first one seen.
struct Spelling {
    /// The unresolved name it is a spelling of (an index into `unresolved`).
    of: usize,
    /// The spelling, as written.
    text: String,
    /// How many times it was used.
    uses: usize,
    /// Where it was first used.
    first: Origin,
    /// Where it was first used, as a problem without a message (when the
    /// name's first use is kept).
    place: Option<Problem>,
}

/// How many unresolved names get "did you mean" suggestions: the most
/// used ones.
const SUGGESTION_LIMIT: usize = 100;

impl Resolver {
    /// A resolver over `index`, the index of the dataset's `known` organisations.
    pub fn new(index: NameIndex, known: usize, strict: bool) -> Resolver {
        Resolver {
            first_unknown: known as u32,
            index,
            strict,
            unresolved: Vec::new(),
            first_use: Vec::new(),
            variants: KeyedMap::default(),
            spellings: Vec::new(),
        }
    }

    /// Looks a name up without changing anything (safe to call in parallel).
    /// Until the names are folded (see [`Resolver::fold`]) only ids as
    /// written are found; [`Resolver::settle`] looks a name found missing up
    /// again, folded.
    pub fn lookup(&self, name: &str) -> Resolution {
        self.index.resolve(name)
    }

    /// The organisation a looked-up name names, when it is one of the
    /// organisations of the files (not one made for an unresolved name):
    /// then settling it would change nothing.
    pub fn known(&self, found: &Resolution) -> Option<u32> {
        match *found {
            Resolution::Found(i) if i < self.first_unknown => Some(i),
            _ => None,
        }
    }

    /// See [`NameIndex::touch`].
    pub fn touch(&self, name: &[u8]) -> u64 {
        self.index.touch(name)
    }

    /// Indexes the known organisations' names, aliases and ids ignoring case,
    /// accents and spacing, so that [`Resolver::lookup`] finds them too.
    pub fn fold(&mut self, orgs: &[Organisation]) {
        let known = orgs.len().min(self.first_unknown as usize);
        self.index.fold(&orgs[..known]);
    }

    /// Settles a looked-up name, written in `column` at `place` (on the line of
    /// `origin`): a name that
    /// matches no organisation becomes an organisation of kind `unknown`; an
    /// ambiguous one is an error (`None`).
    #[allow(clippy::too_many_arguments)]
    pub fn settle(
        &mut self,
        found: Resolution,
        place: Place<'_>,
        column: &str,
        name: &str,
        origin: Origin,
        orgs: &mut Vec<Organisation>,
        problems: &mut Problems,
    ) -> Option<u32> {
        if let Some(message) = names::too_long(name) {
            problems.push(
                place
                    .problem(Severity::Error, Some(origin.line), message)
                    .at(column, name),
            );
            return None;
        }
        // A name missing when it was looked up may have been added since.
        let found = match found {
            Resolution::Missing => {
                self.fold(orgs);
                self.index.resolve(name)
            }
            other => other,
        };
        match found {
            Resolution::Found(i) => {
                // The unknown organisations are made in step with the
                // unresolved names, so the name's entry is found by number.
                if let Some(k) = i
                    .checked_sub(self.first_unknown)
                    .map(|k| k as usize)
                    .filter(|&k| k < self.unresolved.len())
                {
                    self.count_use(k, place, column, name, origin);
                }
                Some(i)
            }
            Resolution::Ambiguous(candidates) => {
                let ids: Vec<&str> = candidates
                    .iter()
                    .map(|c| orgs[*c as usize].id.as_str())
                    .collect();
                problems.push(
                    place
                        .problem(
                            Severity::Error,
                            Some(origin.line),
                            format!(
                                "the name matches several organisations ({}); write the exact id of the one meant, with its capitals and accents",
                                ids.join(", ")
                            ),
                        )
                        .at(column, name),
                );
                None
            }
            Resolution::Missing => {
                let index = orgs.len() as u32;
                orgs.push(Organisation::new(name, name, OrgKind::Unknown, origin));
                self.index.add_unknown(name, index);
                debug_assert_eq!(index - self.first_unknown, self.unresolved.len() as u32);
                self.unresolved.push(UnresolvedName {
                    name: name.to_string(),
                    organisation: index,
                    first: origin,
                    uses: 1,
                    suggestions: Vec::new(),
                });
                // Only the first names' places are kept: the problems after
                // the first PROBLEM_LIMIT are counted, not listed.
                if self.first_use.len() < crate::error::PROBLEM_LIMIT {
                    self.first_use.push(
                        place
                            .problem(Severity::Warning, Some(origin.line), "")
                            .at(column, name),
                    );
                }
                Some(index)
            }
        }
    }

    /// Counts one more use of the unresolved name `k`, written `name` in
    /// `column` at `place` (on the line of `origin`): a spelling of it.
    fn count_use(&mut self, k: usize, place: Place<'_>, column: &str, name: &str, origin: Origin) {
        let u = &mut self.unresolved[k];
        if u.name == name {
            u.uses += 1;
            return;
        }
        let at = match self.variants.get(name) {
            Some(&at) => at,
            None => {
                let kept = k < self.first_use.len();
                self.spellings.push(Spelling {
                    of: k,
                    text: name.to_string(),
                    uses: 0,
                    first: origin,
                    place: kept.then(|| {
                        place
                            .problem(Severity::Warning, Some(origin.line), "")
                            .at(column, name)
                    }),
                });
                self.variants
                    .insert(name.to_string(), self.spellings.len() - 1);
                self.spellings.len() - 1
            }
        };
        self.spellings[at].uses += 1;
    }

    /// Gives each unresolved name written in several spellings the spelling
    /// used most (ties: the smallest as bytes), whatever the order of the
    /// rows: its name, its organisation's id and name, and the place of its
    /// first use become that spelling's. Returns, for each unresolved name,
    /// its other spellings, the most used first (ties: the smallest first).
    fn choose_spellings(&mut self, orgs: &mut [Organisation]) -> Vec<Vec<String>> {
        let mut others: Vec<Vec<Spelling>> = Vec::new();
        others.resize_with(self.unresolved.len(), Vec::new);
        for s in std::mem::take(&mut self.spellings) {
            others[s.of].push(s);
        }
        self.variants = KeyedMap::default();
        let mut out = vec![Vec::new(); self.unresolved.len()];
        for (k, mut spellings) in others.into_iter().enumerate() {
            if spellings.is_empty() {
                continue;
            }
            let u = &mut self.unresolved[k];
            spellings.push(Spelling {
                of: k,
                text: std::mem::take(&mut u.name),
                uses: u.uses,
                first: u.first,
                place: self.first_use.get_mut(k).map(|p| {
                    std::mem::replace(p, Problem::error(std::path::Path::new(""), None, ""))
                }),
            });
            spellings.sort_by(|a, b| b.uses.cmp(&a.uses).then_with(|| a.text.cmp(&b.text)));
            let mut spellings = spellings.into_iter();
            let chosen = spellings.next().expect("at least two spellings");
            u.uses = chosen.uses;
            for s in spellings {
                u.uses += s.uses;
                out[k].push(s.text);
            }
            let org = &mut orgs[u.organisation as usize];
            org.id.clone_from(&chosen.text);
            org.name.clone_from(&chosen.text);
            org.origin = chosen.first;
            u.name = chosen.text;
            u.first = chosen.first;
            if let (Some(slot), Some(place)) = (self.first_use.get_mut(k), chosen.place) {
                *slot = place;
            }
        }
        out
    }

    /// Adds suggestions to the unresolved names and reports each once.
    pub fn finish(mut self, dataset: &mut Dataset, problems: &mut Problems) {
        let also = self.choose_spellings(&mut dataset.organisations);
        let mut unresolved = self.unresolved;
        // The most used names get suggestions (ties broken by name, so
        // the choice does not depend on the order of the rows).
        let mut asked: Vec<usize> = (0..unresolved.len()).collect();
        if asked.len() > SUGGESTION_LIMIT {
            asked.select_nth_unstable_by(SUGGESTION_LIMIT, |&a, &b| {
                let (x, y) = (&unresolved[a], &unresolved[b]);
                y.uses.cmp(&x.uses).then_with(|| x.name.cmp(&y.name))
            });
            asked.truncate(SUGGESTION_LIMIT);
        }
        let names_asked: Vec<&str> = asked.iter().map(|&k| unresolved[k].name.as_str()).collect();
        let suggested = names::suggestions(&names_asked, &dataset.organisations, 3);
        for (&k, s) in asked.iter().zip(suggested) {
            unresolved[k].suggestions = s;
        }
        // Where organisations are added: the table read first, as the
        // staff know it (a CSV file, or a sheet of a workbook).
        let table = match (dataset.files.first(), dataset.sheets.get(&0)) {
            (Some(file), Some(s)) => format!(
                "the sheet {} of {}",
                s.sheet,
                file.file_name().unwrap_or_default().to_string_lossy()
            ),
            (Some(file), None) => file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            (None, _) => "organisations.csv".to_string(),
        };
        let severity = if self.strict {
            Severity::Error
        } else {
            Severity::Warning
        };
        for (k, u) in unresolved.iter().enumerate() {
            // Beyond the listed problems only the count matters: no message
            // is made for the hundreds of thousands of names a scraped list
            // may hold.
            if !problems.listing() {
                problems.count_unlisted(severity);
                continue;
            }
            let mut message = format!(
                "no organisation has this id, name or alias (used {} time{}); ",
                u.uses,
                if u.uses == 1 { "" } else { "s" }
            );
            if let Some(also) = also.get(k).filter(|a| !a.is_empty()) {
                let shown: Vec<String> = also.iter().take(3).map(|s| format!("{s:?}")).collect();
                message.push_str(&format!("also written {}", shown.join(", ")));
                if also.len() > 3 {
                    message.push_str(&format!(" and {} other ways", also.len() - 3));
                }
                message.push_str("; ");
            }
            if !u.suggestions.is_empty() {
                message.push_str(&format!(
                    "did you mean {}? ",
                    u.suggestions
                        .iter()
                        .map(|s| format!("{s:?}"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
            }
            if self.strict {
                message.push_str(&format!(
                    "correct the name or add the organisation to {table}"
                ));
            } else {
                message.push_str(&format!("it is analysed as an organisation of kind 'unknown'; correct the name or add it to {table}"));
            }
            let blank = || Problem::error(std::path::Path::new(""), None, "");
            let p = Problem {
                severity,
                message,
                ..self
                    .first_use
                    .get_mut(k)
                    .map(|p| std::mem::replace(p, blank()))
                    .unwrap_or_else(blank)
            };
            problems.push(p);
        }
        dataset.unresolved = unresolved;
    }
}
