//! Countries and their UN M49 sub-regions, shipped with the crate
//! (`m49.csv`, from the UN Statistics Division's standard country or area
//! codes for statistical use, as tabulated by the country_converter project).

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("m49.csv");

struct Country {
    name: &'static str,
    subregion: &'static str,
}

fn table() -> &'static HashMap<&'static str, Country> {
    static T: OnceLock<HashMap<&'static str, Country>> = OnceLock::new();
    T.get_or_init(|| {
        let mut map = HashMap::new();
        for line in TABLE.lines().skip(1) {
            // code,country,subregion — the country may be quoted and hold a comma.
            let (code, rest) = line.split_once(',').unwrap_or((line, ""));
            let (name, subregion) = match rest.rsplit_once(',') {
                Some((n, s)) => (n.trim_matches('"'), s),
                None => (rest, ""),
            };
            map.insert(code, Country { name, subregion });
        }
        map
    })
}

/// The table's two-letter codes by their letters, for lookups without hashing.
fn by_letters() -> &'static [Option<&'static Country>; 26 * 26] {
    static T: OnceLock<[Option<&'static Country>; 26 * 26]> = OnceLock::new();
    T.get_or_init(|| {
        let mut out = [None; 26 * 26];
        for (code, country) in table() {
            if let Some(i) = letters(code) {
                out[i] = Some(country);
            }
        }
        out
    })
}

/// Where a code of two upper-case ASCII letters sits in [`by_letters`].
fn letters(code: &str) -> Option<usize> {
    match code.as_bytes() {
        [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => {
            Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
        }
        _ => None,
    }
}

fn country(code: &str) -> Option<&'static Country> {
    match letters(code) {
        Some(i) => by_letters()[i],
        None => table().get(code),
    }
}

/// The UN M49 sub-region of an ISO 3166-1 alpha-2 code (upper case), or
/// `None` for a code that is not in the table.
///
/// ```
/// assert_eq!(partnernet::ingest::regions::subregion("SE"), Some("Northern Europe"));
/// assert_eq!(partnernet::ingest::regions::subregion("KE"), Some("Eastern Africa"));
/// assert_eq!(partnernet::ingest::regions::subregion("ZZ"), None);
/// ```
pub fn subregion(code: &str) -> Option<&'static str> {
    country(code).map(|c| c.subregion).filter(|s| !s.is_empty())
}

/// Whether `code` is an ISO 3166-1 alpha-2 code.
pub fn is_country(code: &str) -> bool {
    country(code).is_some()
}

/// The short English name of a country code.
pub fn country_name(code: &str) -> Option<&'static str> {
    country(code).map(|c| c.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_enough() {
        assert!(table().len() >= 245);
        assert_eq!(subregion("BR"), Some("South America"));
        assert_eq!(subregion("NG"), Some("Western Africa"));
        assert_eq!(country_name("SE"), Some("Sweden"));
        assert!(table().values().all(|c| !c.name.is_empty()));
        // The letters' table agrees with the table.
        for (code, c) in table() {
            assert!(std::ptr::eq(country(code).unwrap(), c));
        }
        assert!(!is_country("se") && !is_country("S") && !is_country("ÅÅ"));
    }
}
