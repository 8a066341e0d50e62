//! Matching the names written in relations and interviews to organisations.
//!
//! A name matches an organisation's id, name or one of its aliases, ignoring
//! case, accents and runs of white space: `musee d'ebene` finds
//! `Musée d'Ébène`. Ids win over names, so an id can always be used to say
//! exactly which organisation is meant.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::model::Organisation;

/// The form names are compared in: decomposed, accents removed, lower case,
/// white space collapsed to single spaces and trimmed.
///
/// ```
/// use partnernet::ingest::names::normalise;
/// assert_eq!(normalise("  Musée   d'Ébène "), "musee d'ebene");
/// assert_eq!(normalise("ÅBO Akademi"), "abo akademi");
/// assert_eq!(normalise("Høgskolen i Ørnvika"), "hogskolen i ornvika");
/// ```
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            match fold_letter(c) {
                Some(folded) => out.push_str(folded),
                None => out.extend(c.to_lowercase()),
            }
        }
    };
    if s.is_ascii() {
        for &b in s.trim_ascii().as_bytes() {
            if b.is_ascii_whitespace() {
                space = true;
            } else {
                if space {
                    out.push(' ');
                    space = false;
                }
                out.push(b.to_ascii_lowercase() as char);
            }
        }
    } else {
        for c in s.nfkd().filter(|c| !is_combining_mark(*c)) {
            push(c, &mut out);
        }
    }
    out
}

/// Letters that carry an accent but do not decompose in Unicode, written as
/// people type them without the accent.
fn fold_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' | 'Ø' => "o",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ß' | 'ẞ' => "ss",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ł' | 'Ł' => "l",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        'ħ' | 'Ħ' => "h",
        _ => return None,
    })
}

/// How a name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// It names exactly one organisation.
    Found(u32),
    /// It names several organisations (by name or alias): the candidates' indices.
    Ambiguous(Vec<u32>),
    /// It names no organisation.
    Missing,
}

/// An index of every organisation's id, name and aliases.
#[derive(Debug, Default)]
pub struct NameIndex {
    /// Ids as written.
    exact_ids: FxHashMap<String, u32>,
    /// Normalised ids that differ from the id as written.
    ids: FxHashMap<String, u32>,
    /// Normalised names and aliases of one organisation.
    names: FxHashMap<String, u32>,
    /// Normalised names and aliases shared by several organisations.
    shared: FxHashMap<String, Vec<u32>>,
}

impl NameIndex {
    /// Indexes the organisations. Also returns the organisations whose id is
    /// already used by an earlier one, as (later, earlier) pairs.
    pub fn new(orgs: &[Organisation]) -> (NameIndex, Vec<(usize, usize)>) {
        let keys: Vec<(Option<String>, Vec<String>)> = orgs
            .par_iter()
            .map(|o| {
                let mut names = Vec::with_capacity(1 + o.aliases.len());
                names.push(normalise(&o.name));
                names.extend(o.aliases.iter().map(|a| normalise(a)));
                names.sort();
                names.dedup();
                let id = normalise(&o.id);
                ((id != o.id).then_some(id), names)
            })
            .collect();
        let mut index = NameIndex::default();
        index.exact_ids.reserve(orgs.len());
        index.names.reserve(orgs.len());
        let mut duplicates = Vec::new();
        for (i, (o, (id, names))) in orgs.iter().zip(keys).enumerate() {
            let i = i as u32;
            match index.exact_ids.entry(o.id.clone()) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    duplicates.push((i as usize, *first.get() as usize));
                    continue;
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
            if let Some(id) = id {
                index.ids.entry(id).or_insert(i);
            }
            for n in names {
                index.add_name(n, i);
            }
        }
        (index, duplicates)
    }

    fn add_name(&mut self, name: String, i: u32) {
        if let Some(list) = self.shared.get_mut(&name) {
            list.push(i);
        } else if let Some(first) = self.names.remove(&name) {
            self.shared.insert(name, vec![first, i]);
        } else {
            self.names.insert(name, i);
        }
    }

    /// Adds an organisation created for an unresolved name.
    pub fn add_unknown(&mut self, name: &str, index: u32) {
        self.exact_ids.insert(name.to_string(), index);
        self.ids.insert(normalise(name), index);
    }

    /// Resolves a name: by exact id, then by id, name or alias ignoring case,
    /// accents and spacing.
    pub fn resolve(&self, name: &str) -> Resolution {
        if let Some(&i) = self.exact_ids.get(name) {
            return Resolution::Found(i);
        }
        let key = normalise(name);
        if let Some(&i) = self.ids.get(&key).or_else(|| self.exact_ids.get(&key)) {
            return Resolution::Found(i);
        }
        if let Some(&i) = self.names.get(&key) {
            return Resolution::Found(i);
        }
        match self.shared.get(&key) {
            Some(many) => Resolution::Ambiguous(many.clone()),
            None => Resolution::Missing,
        }
    }
}

/// The closest names to `name` among the organisations, best first: at most
/// `max`, each at least 0.8 similar by Jaro–Winkler on the normalised forms.
pub fn suggestions(name: &str, orgs: &[Organisation], max: usize) -> Vec<String> {
    let key = normalise(name);
    let mut scored: Vec<(f64, &str)> = orgs
        .par_iter()
        .filter(|o| o.kind != crate::model::OrgKind::Unknown)
        .flat_map_iter(|o| std::iter::once(&o.name).chain(o.aliases.iter()))
        .filter_map(|n| {
            let s = strsim::jaro_winkler(&key, &normalise(n));
            (s >= 0.8).then_some((s, n.as_str()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, n) in scored {
        if out.len() == max {
            break;
        }
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out
}
