//! Matching the names written in relations and interviews to organisations.
//!
//! A name matches an organisation's id, name or one of its aliases, ignoring
//! case, accents and runs of white space: `musee d'ebene` finds
//! `Musée d'Ébène`. Ids win over names, so an id can always be used to say
//! exactly which organisation is meant.

use rapidfuzz::distance::jaro_winkler;
use rayon::prelude::*;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::model::Organisation;

/// A hash map keyed by text from the data, with a hash seeded at random for
/// each run (foldhash), so that no crafted names can make its lookups
/// collide. Nothing iterates one of these maps to make an output, so the
/// seed never changes a result.
pub type KeyedMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The seed of [`IdTable`]'s hash: random for each run (taken from the
/// standard library's randomly keyed hasher), so that ids cannot be crafted
/// to collide in the table. Lookups, and so every result, do not depend on it.
fn id_seed() -> (u64, u64) {
    use std::hash::BuildHasher;
    static SEED: std::sync::OnceLock<(u64, u64)> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| {
        let state = std::collections::hash_map::RandomState::new();
        (state.hash_one(0x5eed_u64), state.hash_one(0xfeed_u64))
    })
}

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
///
/// Ids as written are looked up in a compact table; the folded forms
/// (normalised ids, names and aliases) are indexed only when a name is not an
/// id as written (see [`NameIndex::ids_only`] and [`NameIndex::fold`]).
#[derive(Debug, Default)]
pub struct NameIndex {
    /// Ids as written (and the names of `unknown` organisations).
    exact: IdTable,
    /// Normalised names of `unknown` organisations.
    unknown: KeyedMap<String, u32>,
    /// Normalised ids, names and aliases, once indexed.
    folded: Option<Folded>,
}

/// The folded forms of the organisations' ids, names and aliases.
#[derive(Debug, Default)]
struct Folded {
    /// Normalised ids that differ from the id as written, of one
    /// organisation.
    ids: KeyedMap<String, u32>,
    /// Normalised ids of several organisations (`WM-SE` and `wm-se`), in the
    /// organisations' order: a reference to one of them that is not an exact
    /// id is ambiguous.
    shared_ids: KeyedMap<String, Vec<u32>>,
    /// Normalised names and aliases of one organisation.
    names: KeyedMap<String, u32>,
    /// Normalised names and aliases shared by several organisations.
    shared: KeyedMap<String, Vec<u32>>,
}

impl NameIndex {
    /// Indexes the organisations. Also returns the organisations whose id is
    /// already used by an earlier one, as (later, earlier) pairs.
    pub fn new(orgs: &[Organisation]) -> (NameIndex, Vec<(usize, usize)>) {
        let (mut index, duplicates) = NameIndex::ids_only(orgs);
        index.fold(orgs);
        (index, duplicates)
    }

    /// Indexes the organisations' ids as written only: until [`NameIndex::fold`]
    /// is called, [`NameIndex::resolve`] finds ids as written (and the names
    /// of `unknown` organisations) and nothing else. Also returns the
    /// organisations whose id is already used by an earlier one, as (later,
    /// earlier) pairs.
    pub fn ids_only(orgs: &[Organisation]) -> (NameIndex, Vec<(usize, usize)>) {
        let ids: Vec<&[u8]> = orgs.iter().map(|o| o.id.as_bytes()).collect();
        let (exact, duplicates) = IdTable::build(&ids);
        let index = NameIndex {
            exact,
            unknown: KeyedMap::default(),
            folded: None,
        };
        (index, duplicates)
    }

    /// Groups of `orgs` (the organisations this index was built from) whose
    /// ids differ only in case, accents or spacing (`wm-se`, `WM-SE`), each
    /// group in the organisations' order, the groups in the order of their
    /// first organisation.
    pub fn case_variants(&self, orgs: &[Organisation]) -> Vec<Vec<u32>> {
        // Only an id that differs from its normal form can meet another.
        let differing: Vec<(String, u32)> = orgs
            .par_iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let n = normalise(&o.id);
                (n != o.id).then_some((n, i as u32))
            })
            .collect();
        let mut groups: KeyedMap<&str, Vec<u32>> = KeyedMap::default();
        for (n, i) in &differing {
            groups.entry(n.as_str()).or_default().push(*i);
        }
        let mut out: Vec<Vec<u32>> = groups
            .into_iter()
            .filter_map(|(n, mut group)| {
                group.extend(self.exact.get(n).filter(|&j| (j as usize) < orgs.len()));
                group.sort_unstable();
                group.dedup();
                (group.len() > 1).then_some(group)
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Whether the folded forms are indexed.
    pub fn is_folded(&self) -> bool {
        self.folded.is_some()
    }

    /// Indexes the folded forms of `orgs`' ids, names and aliases (the
    /// organisations this index was built from), unless already done.
    pub fn fold(&mut self, orgs: &[Organisation]) {
        if self.folded.is_some() {
            return;
        }
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
        let mut folded = Folded::default();
        folded.names.reserve(orgs.len());
        for (i, (o, (id, names))) in orgs.iter().zip(keys).enumerate() {
            let i = i as u32;
            // An organisation whose id an earlier one has is left out.
            if self.exact.get(&o.id) != Some(i) {
                continue;
            }
            if let Some(id) = id {
                folded.add_id(id, i, &self.exact, orgs.len() as u32);
            }
            for n in names {
                folded.add_name(n, i);
            }
        }
        self.folded = Some(folded);
    }

    /// Adds an organisation created for an unresolved name.
    pub fn add_unknown(&mut self, name: &str, index: u32) {
        self.exact.insert(name.as_bytes(), index);
        self.unknown.insert(normalise(name), index);
    }

    /// Loads the place where `name` would be found as an id into the cache
    /// (the answer is meaningless): touching the names of many rows first
    /// lets their lookups wait on memory together rather than one by one.
    pub fn touch(&self, name: &[u8]) -> u64 {
        self.exact.touch(name)
    }

    /// Resolves a name: by exact id, then by id, name or alias ignoring case,
    /// accents and spacing.
    pub fn resolve(&self, name: &str) -> Resolution {
        if let Some(i) = self.exact.get(name) {
            return Resolution::Found(i);
        }
        let key = normalise(name);
        let folded = self.folded.as_ref();
        if let Some(many) = folded.and_then(|f| f.shared_ids.get(&key)) {
            return Resolution::Ambiguous(many.clone());
        }
        if let Some(i) = folded
            .and_then(|f| f.ids.get(&key))
            .or_else(|| self.unknown.get(&key))
            .copied()
            // Before folding, a folded key may be ambiguous (`Wm-Se` for
            // `wm-se` and `WM-SE`): it is left to the folded lookup, so the
            // answer never depends on when the lookup ran.
            .or_else(|| folded.and_then(|_| self.exact.get(&key)))
        {
            return Resolution::Found(i);
        }
        let Some(folded) = folded else {
            return Resolution::Missing;
        };
        if let Some(&i) = folded.names.get(&key) {
            return Resolution::Found(i);
        }
        match folded.shared.get(&key) {
            Some(many) => Resolution::Ambiguous(many.clone()),
            None => Resolution::Missing,
        }
    }
}

impl Folded {
    /// Adds organisation `i`'s normalised id `id`, which differs from its id
    /// as written; `exact` holds the ids as written, of the first `known`
    /// organisations (and the names of `unknown` ones after them).
    fn add_id(&mut self, id: String, i: u32, exact: &IdTable, known: u32) {
        let exact_id = exact.get(&id).filter(|&j| j < known && j != i);
        if let Some(list) = self.shared_ids.get_mut(&id) {
            list.push(i);
            list.sort_unstable();
        } else if let Some(first) = self.ids.remove(&id) {
            let mut list = vec![first, i];
            list.extend(exact_id);
            list.sort_unstable();
            list.dedup();
            self.shared_ids.insert(id, list);
        } else if let Some(j) = exact_id {
            let mut list = vec![j, i];
            list.sort_unstable();
            self.shared_ids.insert(id, list);
        } else {
            self.ids.insert(id, i);
        }
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
}

/// A hash table from ids as written to organisations, made for millions of
/// lookups: open addressing in slots of 32 bytes that hold the id itself when
/// it is short, so a lookup mostly touches one cache line. The table is cut
/// into regions by the top bits of the hash, so it can be filled in parallel.
#[derive(Debug, Default, Clone)]
pub struct IdTable {
    /// Four words a slot: `value + 1` (0: empty) and the length in the first,
    /// the id's bytes in the next three (or, for a long id, its offset in
    /// `long`).
    slots: Vec<[u64; 4]>,
    /// log2 of the slots in a region.
    region_bits: u32,
    /// The bytes of ids longer than [`INLINE`].
    long: Vec<u8>,
    /// How many ids are in the table.
    len: usize,
}

/// Ids of up to this many bytes are kept in their slot.
const INLINE: usize = 24;
/// log2 of the number of regions.
const REGION_SHIFT: u32 = 3;

/// An id packed as a slot keeps it (zero-padded), with its hash.
struct Key<'a> {
    bytes: &'a [u8],
    words: [u64; 3],
    hash: u64,
}

impl<'a> Key<'a> {
    fn new(bytes: &'a [u8]) -> Key<'a> {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let (seed, seed2) = id_seed();
        let mut words = [0u64; 3];
        let mut hash = (bytes.len() as u64).wrapping_mul(K) ^ seed;
        if bytes.len() <= INLINE {
            for (w, chunk) in words.iter_mut().zip(bytes.chunks(8)) {
                let mut b = [0u8; 8];
                b[..chunk.len()].copy_from_slice(chunk);
                *w = u64::from_le_bytes(b);
            }
            for w in words {
                hash = (hash ^ w).wrapping_mul(K).rotate_left(29);
            }
        } else {
            for chunk in bytes.chunks(8) {
                let mut b = [0u8; 8];
                b[..chunk.len()].copy_from_slice(chunk);
                hash = (hash ^ u64::from_le_bytes(b))
                    .wrapping_mul(K)
                    .rotate_left(29);
            }
        }
        hash = (hash ^ seed2 ^ (hash >> 32)).wrapping_mul(K);
        Key {
            bytes,
            words,
            hash: hash ^ (hash >> 29),
        }
    }
}

impl IdTable {
    /// Indexes `ids`, each with its position (the first of each id wins);
    /// returns the table and the (later, earlier) pairs of positions sharing
    /// an id.
    pub fn build(ids: &[&[u8]]) -> (IdTable, Vec<(usize, usize)>) {
        let keys: Vec<Key<'_>> = ids.par_iter().map(|id| Key::new(id)).collect();
        // The long ids' bytes, in order.
        let mut long = Vec::new();
        let mut offsets = vec![0u64; ids.len()];
        for (k, key) in keys.iter().enumerate() {
            if key.bytes.len() > INLINE {
                offsets[k] = long.len() as u64;
                long.extend_from_slice(key.bytes);
            }
        }
        let mut capacity = ids.len();
        loop {
            let mut table = IdTable::with_capacity(capacity);
            table.long = long;
            let region_bits = table.region_bits;
            let long_ref = &table.long;
            // Each region is filled by one task, in the organisations' order.
            let filled: Vec<Option<Vec<(usize, usize)>>> = table
                .slots
                .par_chunks_mut(1 << region_bits)
                .enumerate()
                .map(|(r, region)| {
                    let mut duplicates = Vec::new();
                    for (k, key) in keys.iter().enumerate() {
                        if (key.hash >> (64 - REGION_SHIFT)) as usize != r {
                            continue;
                        }
                        let slot = &mut region[Self::probe(region, long_ref, key)?];
                        if slot[0] != 0 {
                            duplicates.push((k, (slot[0] as u32 - 1) as usize));
                        } else {
                            *slot = Self::slot(key, k as u32, offsets[k]);
                        }
                    }
                    Some(duplicates)
                })
                .collect();
            if let Some(duplicates) = filled.into_iter().collect::<Option<Vec<_>>>() {
                let mut duplicates: Vec<(usize, usize)> =
                    duplicates.into_iter().flatten().collect();
                duplicates.sort_unstable();
                table.len = ids.len() - duplicates.len();
                return (table, duplicates);
            }
            // A region overflowed (possible only for few, unlucky ids).
            long = table.long;
            capacity = 2 * capacity.max(64);
        }
    }

    fn with_capacity(n: usize) -> IdTable {
        // At most half full.
        let slots = (2 * n).max(64).next_power_of_two();
        IdTable {
            slots: vec![[0u64; 4]; slots],
            region_bits: slots.trailing_zeros() - REGION_SHIFT,
            long: Vec::new(),
            len: 0,
        }
    }

    fn slot(key: &Key<'_>, value: u32, offset: u64) -> [u64; 4] {
        let head = u64::from(value + 1) | ((key.bytes.len() as u64) << 32);
        if key.bytes.len() <= INLINE {
            [head, key.words[0], key.words[1], key.words[2]]
        } else {
            [head, offset, 0, 0]
        }
    }

    /// The slot of `key` in `region`: the one holding it, or the empty one
    /// where it would go; `None` when the region is full without it.
    fn probe(region: &[[u64; 4]], long: &[u8], key: &Key<'_>) -> Option<usize> {
        let mask = region.len() - 1;
        let mut at = key.hash as usize & mask;
        for _ in 0..region.len() {
            let slot = &region[at];
            if slot[0] == 0 {
                return Some(at);
            }
            if (slot[0] >> 32) as usize == key.bytes.len() {
                let same = if key.bytes.len() <= INLINE {
                    slot[1..] == key.words
                } else {
                    let from = slot[1] as usize;
                    long.get(from..from + key.bytes.len()) == Some(key.bytes)
                };
                if same {
                    return Some(at);
                }
            }
            at = (at + 1) & mask;
        }
        None
    }

    fn region(&self, key: &Key<'_>) -> std::ops::Range<usize> {
        let r = (key.hash >> (64 - REGION_SHIFT)) as usize;
        r << self.region_bits..(r + 1) << self.region_bits
    }

    /// See [`NameIndex::touch`].
    pub fn touch(&self, id: &[u8]) -> u64 {
        if self.slots.is_empty() {
            return 0;
        }
        let key = Key::new(id);
        let region = self.region(&key);
        self.slots[region.start + (key.hash as usize & (region.len() - 1))][0]
    }

    /// The position of an id as written.
    pub fn get(&self, id: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let key = Key::new(id.as_bytes());
        let region = &self.slots[self.region(&key)];
        let slot = region[Self::probe(region, &self.long, &key)?];
        (slot[0] != 0).then(|| slot[0] as u32 - 1)
    }

    /// Adds an id (keeping the value of one already there).
    fn insert(&mut self, id: &[u8], value: u32) {
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let key = Key::new(id);
        loop {
            let range = self.region(&key);
            let Some(at) = Self::probe(&self.slots[range.clone()], &self.long, &key) else {
                self.grow();
                continue;
            };
            let slot = &mut self.slots[range.start + at];
            if slot[0] != 0 {
                return;
            }
            let offset = self.long.len() as u64;
            if id.len() > INLINE {
                self.long.extend_from_slice(id);
            }
            *slot = Self::slot(&key, value, offset);
            self.len += 1;
            return;
        }
    }

    /// Doubles the table (or more), keeping every id.
    fn grow(&mut self) {
        let mut capacity = self.slots.len().max(64);
        'grow: loop {
            let mut bigger = IdTable::with_capacity(capacity);
            for slot in &self.slots {
                if slot[0] == 0 {
                    continue;
                }
                let len = (slot[0] >> 32) as usize;
                let bytes: Vec<u8> = if len <= INLINE {
                    slot[1..]
                        .iter()
                        .flat_map(|w| w.to_le_bytes())
                        .take(len)
                        .collect()
                } else {
                    let from = slot[1] as usize;
                    self.long[from..from + len].to_vec()
                };
                let key = Key::new(&bytes);
                let range = bigger.region(&key);
                let Some(at) = Self::probe(&bigger.slots[range.clone()], &self.long, &key) else {
                    capacity *= 2;
                    continue 'grow;
                };
                bigger.slots[range.start + at] = *slot;
            }
            bigger.len = self.len;
            bigger.long = std::mem::take(&mut self.long);
            *self = bigger;
            return;
        }
    }
}

/// The longest id, name or alias partnernet reads, in characters. The
/// longest names of real institutions stay under 300 characters; a longer
/// "name" is most often several fields run together, and every result that
/// names an organisation would copy it (one name of 50 MB made 1.3 GB of
/// results).
pub const NAME_LIMIT: usize = 1000;

/// The message for an id, name or alias longer than [`NAME_LIMIT`], or
/// `None` when it is not.
pub fn too_long(name: &str) -> Option<String> {
    (name.len() > NAME_LIMIT && name.chars().count() > NAME_LIMIT).then(|| {
        format!(
            "{} characters long; partnernet reads names, ids and aliases of at most {NAME_LIMIT} characters: shorten it (is it several fields run together?)",
            name.chars().count()
        )
    })
}

/// How many characters of each name [`suggestions`] compares: Jaro–Winkler
/// takes time in proportion to the product of two names' lengths, and names
/// that share their first 64 characters are alike enough to suggest.
pub const SUGGESTION_CHARS: usize = 64;

/// The first [`SUGGESTION_CHARS`] characters of the normalised `name`.
fn suggestion_key(name: &str) -> String {
    normalise(name).chars().take(SUGGESTION_CHARS).collect()
}

/// For each of `names`, the closest names among the organisations, best
/// first: at most `max`, each at least 0.8 similar by Jaro–Winkler on the
/// normalised forms' first [`SUGGESTION_CHARS`] characters (rapidfuzz), so
/// that the work is linear in the number of organisations however long the
/// names. The organisations' names are normalised once for all of `names`.
pub fn suggestions(names: &[&str], orgs: &[Organisation], max: usize) -> Vec<Vec<String>> {
    if names.is_empty() {
        return Vec::new();
    }
    let known: Vec<(String, &str)> = orgs
        .par_iter()
        .filter(|o| o.kind != crate::model::OrgKind::Unknown)
        .flat_map_iter(|o| std::iter::once(&o.name).chain(o.aliases.iter()))
        .map(|n| (suggestion_key(n), n.as_str()))
        .collect();
    names
        .iter()
        .map(|name| {
            let key = suggestion_key(name);
            let alike = jaro_winkler::BatchComparator::new(key.chars());
            let args = jaro_winkler::Args::default().score_cutoff(0.8);
            let mut scored: Vec<(f64, &str)> = known
                .par_iter()
                .filter_map(|(folded, n)| {
                    alike
                        .similarity_with_args(folded.chars(), &args)
                        .map(|s| (s, *n))
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
        })
        .collect()
}
