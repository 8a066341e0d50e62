//! Settling the names written in relations, interviews and notes: each
//! becomes an organisation of the files, or an organisation of kind
//! `unknown` made for it.

use std::collections::BTreeMap;

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
    by_key: KeyedMap<String, usize>,
    /// Organisations from this index on were created for unresolved names.
    first_unknown: u32,
}

/// How many unresolved names get "did you mean" suggestions.
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
            by_key: KeyedMap::default(),
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
                if i >= self.first_unknown {
                    if let Some(&u) = self.by_key.get(&names::normalise(name)) {
                        self.unresolved[u].uses += 1;
                    }
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
                orgs.push(Organisation {
                    id: name.to_string(),
                    name: name.to_string(),
                    kind: OrgKind::Unknown,
                    country: None,
                    region: None,
                    region_derived: false,
                    wikidata: None,
                    aliases: Vec::new(),
                    digitisation: None,
                    attributes: BTreeMap::new(),
                    origin,
                });
                self.index.add_unknown(name, index);
                self.by_key
                    .insert(names::normalise(name), self.unresolved.len());
                self.unresolved.push(UnresolvedName {
                    name: name.to_string(),
                    organisation: index,
                    first: origin,
                    uses: 1,
                    suggestions: Vec::new(),
                });
                self.first_use.push(
                    place
                        .problem(Severity::Warning, Some(origin.line), "")
                        .at(column, name),
                );
                Some(index)
            }
        }
    }

    /// Adds suggestions to the unresolved names and reports each once.
    pub fn finish(mut self, dataset: &mut Dataset, problems: &mut Problems) {
        let mut unresolved = self.unresolved;
        let asked: Vec<&str> = unresolved
            .iter()
            .take(SUGGESTION_LIMIT)
            .map(|u| u.name.as_str())
            .collect();
        let mut suggested = names::suggestions(&asked, &dataset.organisations, 3).into_iter();
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
        for (k, u) in unresolved.iter_mut().enumerate() {
            if let Some(s) = suggested.next() {
                u.suggestions = s;
            }
            let mut message = format!(
                "no organisation has this id, name or alias (used {} time{}); ",
                u.uses,
                if u.uses == 1 { "" } else { "s" }
            );
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
            let p = Problem {
                severity: if self.strict {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                message,
                ..std::mem::replace(
                    &mut self.first_use[k],
                    Problem::error(std::path::Path::new(""), None, ""),
                )
            };
            problems.push(p);
        }
        dataset.unresolved = unresolved;
    }
}
