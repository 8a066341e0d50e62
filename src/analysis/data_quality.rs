//! Data quality: what in the dataset is worth a second look.
//!
//! - names that match no organisation, with the nearest names;
//! - relations recorded more than once and counted once (rows saying exactly
//!   the same thing, or the same relation in a table and in a note), with
//!   every place;
//! - near-duplicate organisations: names that are the same once case,
//!   accents, spaces and punctuation are ignored (`Nationalmuseum` and
//!   `National Museum`), names at least 0.95 alike by Jaro–Winkler (rapidfuzz)
//!   among neighbours in sorted order (the sorted-neighbourhood method: each
//!   name is compared with the next [`WINDOW`] names, so the search is
//!   `O(n log n)` and never quadratic), and organisations with the same
//!   Wikidata item;
//! - organisations with no relation at all;
//! - interviews that mention no organisation;
//! - one organisation given two kinds: organisations that are the same by
//!   name or Wikidata item but have different kinds;
//! - names and aliases holding HTML character entities (`B&Oslash;RS`,
//!   `&amp;`, `&#214;`): likely left over from an import from a web page.
//!
//! Two organisations in different countries, or with different Wikidata
//! items, are never reported as alike by name: "Wikimedia Australia" and
//! "Wikimedia Austria" are two chapters. The same Wikidata item is always
//! reported.

use std::collections::BTreeMap;

use rapidfuzz::distance::jaro_winkler;
use rayon::prelude::*;

use crate::ingest::names::normalise;
use crate::model::{Model, OrgKind};

/// How many following names each name is compared with.
pub const WINDOW: usize = 5;
/// How alike two names must be to be reported.
pub const SIMILARITY: f64 = 0.95;

/// Why two organisations look like one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Likeness {
    /// The same name once case, accents, spaces and punctuation are ignored.
    SameName,
    /// Names at least [`SIMILARITY`] alike.
    SimilarName,
    /// The same Wikidata item.
    SameWikidata,
}

/// Two organisations that may be one.
#[derive(Debug, Clone, PartialEq)]
pub struct NearDuplicate {
    pub a: u32,
    pub b: u32,
    pub likeness: Likeness,
    /// Name similarity (1 for the same name).
    pub similarity: f64,
    /// Whether their kinds differ.
    pub different_kinds: bool,
}

/// A name or alias holding HTML character entities.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityName {
    pub organisation: u32,
    /// The name or alias as written.
    pub text: String,
    /// The same text with its entities decoded (`&Oslash;` → `Ø`).
    pub decoded: String,
    /// Whether `text` is an alias rather than the name.
    pub alias: bool,
}

/// The data-quality findings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataQuality {
    /// Relations recorded more than once, counted once (by index into
    /// `Dataset::relations`; each has several origins), in order.
    pub merged_relations: Vec<usize>,
    pub near_duplicates: Vec<NearDuplicate>,
    /// Names and aliases with HTML character entities, in organisation order.
    pub html_entities: Vec<EntityName>,
    /// Organisations with no relation (not even a wish).
    pub without_relations: Vec<u32>,
    /// Interviews (by index) that no relation comes from.
    pub silent_interviews: Vec<usize>,
}

/// A name without case, accents, spaces or punctuation.
fn compact(name: &str) -> String {
    normalise(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The Jaro–Winkler similarity of two names (Winkler 1990: prefix scale
/// 0.1, a common prefix of up to 4 characters, applied above 0.7), as in
/// the near-duplicate search.
///
/// ```
/// use partnernet::analysis::data_quality::name_similarity;
/// // Winkler's examples.
/// assert!((name_similarity("MARTHA", "MARHTA") - 0.961111).abs() < 1e-6);
/// assert!((name_similarity("DWAYNE", "DUANE") - 0.84).abs() < 1e-6);
/// assert!((name_similarity("DIXON", "DICKSONX") - 0.813333).abs() < 1e-6);
/// assert_eq!(name_similarity("", ""), 1.0);
/// ```
pub fn name_similarity(a: &str, b: &str) -> f64 {
    jaro_winkler::similarity(a.chars(), b.chars())
}

/// `text` with its HTML character entities decoded, or `None` when it holds
/// none. Named entities are those of HTML5 (quick-xml's table), numeric
/// ones `&#214;` and `&#xD6;`; an `&` not starting a known entity is kept.
/// An entity that stands for a control character (`&#1;`, `&NewLine;`) or
/// one that partnernet removes from names ([`crate::text::unwanted`]: a
/// bidirectional override, U+FFFF) is kept as written too, so that the
/// decoded text is as safe to show as the name itself.
///
/// ```
/// use partnernet::analysis::data_quality::decode_entities;
/// assert_eq!(decode_entities("OSLO B&Oslash;RS").as_deref(), Some("OSLO BØRS"));
/// assert_eq!(decode_entities("EITZEN &amp; CO &#214;").as_deref(), Some("EITZEN & CO Ö"));
/// assert_eq!(decode_entities("AT&T; R&D"), None);
/// assert_eq!(decode_entities("Smith & Sons"), None);
/// assert_eq!(decode_entities("&#1; and &#x1b;[31m &#xFFFF; &Tab;"), None);
/// assert_eq!(decode_entities("A&#0;&amp;B").as_deref(), Some("A&#0;&B"));
/// ```
pub fn decode_entities(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut last = 0;
    let mut found = false;
    let mut rest = text;
    let mut offset = 0;
    // What an entity may stand for to be decoded: nothing a name may not hold.
    let shown = |d: &str| {
        !d.chars()
            .any(|c| c.is_control() || crate::text::unwanted(c))
    };
    while let Some(i) = rest.find('&') {
        let at = offset + i;
        let tail = &text[at + 1..];
        let end = tail.find(';').filter(|&e| e > 0 && e <= 32);
        let decoded: Option<String> = end
            .and_then(|e| {
                let body = &tail[..e];
                if let Some(num) = body.strip_prefix('#') {
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse::<u32>().ok(),
                    };
                    code.and_then(char::from_u32).map(String::from)
                } else if body.chars().all(|c| c.is_ascii_alphanumeric()) {
                    quick_xml::escape::resolve_html5_entity(body).map(String::from)
                } else {
                    None
                }
            })
            .filter(|d| shown(d));
        match (decoded, end) {
            (Some(d), Some(e)) => {
                out.push_str(&text[last..at]);
                out.push_str(&d);
                last = at + 1 + e + 1;
                found = true;
                offset = last;
                rest = &text[last..];
            }
            _ => {
                offset = at + 1;
                rest = &text[offset..];
            }
        }
    }
    if !found {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// Whether two organisations are known to be different: different
/// countries or different Wikidata items.
fn known_apart(a: &crate::model::Organisation, b: &crate::model::Organisation) -> bool {
    let differ =
        |x: &Option<String>, y: &Option<String>| matches!((x, y), (Some(x), Some(y)) if x != y);
    differ(&a.country, &b.country) || differ(&a.wikidata, &b.wikidata)
}

/// Looks for what is worth a second look.
pub fn data_quality(model: &Model) -> DataQuality {
    let orgs = model.orgs();
    let mut keys: Vec<(String, u32)> = orgs
        .par_iter()
        .enumerate()
        .filter(|(_, o)| o.kind != OrgKind::Unknown)
        .map(|(i, o)| (compact(&o.name), i as u32))
        .collect();
    keys.par_sort_unstable();
    let mut pairs: BTreeMap<(u32, u32), NearDuplicate> = BTreeMap::new();
    let found: Vec<NearDuplicate> = (0..keys.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let keys = &keys;
            let (ka, a) = (&keys[i].0, keys[i].1);
            let alike = jaro_winkler::BatchComparator::new(ka.chars());
            let args = jaro_winkler::Args::default().score_cutoff(SIMILARITY);
            (i + 1..(i + 1 + WINDOW).min(keys.len())).filter_map(move |j| {
                let (kb, b) = (&keys[j].0, keys[j].1);
                if ka.is_empty()
                    || kb.is_empty()
                    || known_apart(&orgs[a as usize], &orgs[b as usize])
                {
                    return None;
                }
                let similarity = if ka == kb {
                    Some(1.0)
                } else {
                    alike.similarity_with_args(kb.chars(), &args)
                };
                similarity.map(|similarity| NearDuplicate {
                    a: a.min(b),
                    b: a.max(b),
                    likeness: if ka == kb {
                        Likeness::SameName
                    } else {
                        Likeness::SimilarName
                    },
                    similarity,
                    different_kinds: orgs[a as usize].kind != orgs[b as usize].kind,
                })
            })
        })
        .collect();
    for d in found {
        pairs.entry((d.a, d.b)).or_insert(d);
    }
    let mut by_qid: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (i, o) in orgs.iter().enumerate() {
        if let Some(q) = o.wikidata.as_deref() {
            by_qid.entry(q).or_default().push(i as u32);
        }
    }
    for list in by_qid.values().filter(|l| l.len() > 1) {
        for (k, &a) in list.iter().enumerate() {
            for &b in list.iter().skip(k + 1).take(WINDOW) {
                pairs.insert(
                    (a, b),
                    NearDuplicate {
                        a,
                        b,
                        likeness: Likeness::SameWikidata,
                        similarity: name_similarity(
                            &compact(&orgs[a as usize].name),
                            &compact(&orgs[b as usize].name),
                        ),
                        different_kinds: orgs[a as usize].kind != orgs[b as usize].kind,
                    },
                );
            }
        }
    }
    let mut near_duplicates: Vec<NearDuplicate> = pairs.into_values().collect();
    near_duplicates.sort_by(|x, y| {
        x.likeness
            .cmp(&y.likeness)
            .then(y.similarity.total_cmp(&x.similarity))
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });

    let mut related = vec![false; orgs.len()];
    let mut from_interview: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for r in &model.dataset.relations {
        related[r.source as usize] = true;
        related[r.target as usize] = true;
        if let Some(i) = r.interview.as_deref() {
            from_interview.insert(i);
        }
    }
    let html_entities: Vec<EntityName> = orgs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, o)| {
            std::iter::once((&o.name, false))
                .chain(o.aliases.iter().map(|a| (a, true)))
                .filter_map(move |(text, alias)| {
                    decode_entities(text).map(|decoded| EntityName {
                        organisation: i as u32,
                        text: text.clone(),
                        decoded,
                        alias,
                    })
                })
        })
        .collect();
    DataQuality {
        merged_relations: (0..model.dataset.relations.len())
            .filter(|&i| model.dataset.relations[i].origins.len() > 1)
            .collect(),
        near_duplicates,
        html_entities,
        without_relations: (0..orgs.len() as u32)
            .filter(|&v| !related[v as usize])
            .collect(),
        silent_interviews: (0..model.dataset.interviews.len())
            .filter(|&i| !from_interview.contains(model.dataset.interviews[i].id.as_str()))
            .collect(),
    }
}
