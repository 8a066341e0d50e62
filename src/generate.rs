//! Synthetic movements of any size, in the dataset format, for benchmarks
//! and scale tests.
//!
//! The shape follows the sample movement: affiliates spread over countries and
//! regions; institutions that partner mostly with affiliates of their own
//! country; a heavy tail of well-connected organisations (partners are picked
//! by preferential attachment, so a few affiliates and institutions gather
//! many ties); collaborations between affiliates, mostly regional and some
//! across regions; referrals and wishes that point at institutions nobody
//! works with yet; and interviews with needs and offers. A movement of `n`
//! organisations has about `2.1 n` ties. The same `n` and seed give the same
//! files, byte for byte.

use std::path::Path;

use anyhow::{bail, Context};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::ingest::{
    INTERVIEWS, INTERVIEW_COLUMNS, ORGANISATIONS, ORGANISATION_COLUMNS, RELATIONS, RELATION_COLUMNS,
};
use crate::output::csv::SafeCsv;

/// Countries the generator places organisations in, from many regions.
const COUNTRIES: &[&str] = &[
    "SE", "NO", "FI", "DK", "EE", "GB", "IE", "DE", "FR", "NL", "BE", "CH", "AT", "ES", "IT", "PT",
    "RS", "PL", "CZ", "UA", "HU", "KE", "UG", "TZ", "ET", "NG", "GH", "SN", "CI", "ZA", "EG", "MA",
    "TN", "IN", "BD", "NP", "LK", "ID", "PH", "MY", "TH", "VN", "JP", "KR", "TW", "BR", "AR", "CL",
    "CO", "PE", "MX", "GT", "US", "CA", "AU", "NZ", "TR", "IL", "JO", "AM",
];

const SYLLABLES: &[&str] = &[
    "var", "no", "ka", "lin", "dor", "sa", "mi", "tel", "ra", "bo", "en", "vik", "ta", "lum",
    "ses", "or", "ki", "mar", "tu", "hal", "be", "ro", "na", "gar", "li", "sun", "ve", "dal",
];

const INSTITUTION_KINDS: &[(&str, &str, u32)] = &[
    ("museum", "Museum", 30),
    ("library", "Library", 20),
    ("archive", "Archive", 14),
    ("gallery", "Gallery", 8),
    ("university", "University", 10),
    ("research", "Research Institute", 4),
    ("government", "Heritage Board", 4),
    ("media", "Broadcasting", 3),
    ("company", "Media House", 2),
    ("ngo", "Heritage Society", 4),
    ("other", "Foundation", 1),
];

const TAGS: &[&str] = &[
    "mass-upload",
    "copyright",
    "hardware",
    "training",
    "partner-contacts",
    "funding",
    "metadata",
    "wikidata",
    "scanning",
    "events",
];

const DIGITISATION: &[&str] = &["", "none", "planned", "started", "advanced"];

struct Town {
    name: String,
    country: usize,
}

fn town_name(rng: &mut ChaCha8Rng) -> String {
    let k = rng.gen_range(2..=3);
    let mut s: String = (0..k)
        .map(|_| *SYLLABLES.choose(rng).unwrap_or(&"a"))
        .collect();
    if let Some(first) = s.get(0..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s
}

fn date(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.gen_range(2015..=2025),
        rng.gen_range(1..=12),
        rng.gen_range(1..=28)
    )
}

/// Writes a synthetic movement of `orgs` organisations into `dir`. Refuses to
/// overwrite an existing dataset.
pub fn generate(dir: &Path, orgs: usize, seed: u64) -> anyhow::Result<()> {
    if orgs < 2 {
        bail!("a movement needs at least 2 organisations; give --orgs 2 or more");
    }
    for name in [ORGANISATIONS, RELATIONS, INTERVIEWS] {
        if dir.join(name).exists() {
            bail!("{} already exists; partnernet generate never overwrites a dataset. Choose an empty folder", dir.join(name).display());
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);

    let n_affiliates = (orgs / 25).clamp(1, orgs - 1);
    let n_hubs = (orgs / 5000).clamp(if orgs > 60 { 1 } else { 0 }, n_affiliates);
    let n_movement = n_affiliates + n_hubs;
    let n_countries = COUNTRIES.len().min(2 + n_affiliates / 2).max(1);
    // Town names are unique, so every organisation's name is.
    let mut used = std::collections::HashSet::new();
    let towns: Vec<Town> = (0..(n_countries * 8).max(orgs / 40))
        .map(|i| {
            let mut name = town_name(&mut rng);
            let mut k = 1;
            while !used.insert(name.clone()) {
                k += 1;
                name = format!("{} {k}", town_name(&mut rng));
            }
            Town {
                name,
                country: i % n_countries,
            }
        })
        .collect();
    let kind_total: u32 = INSTITUTION_KINDS.iter().map(|k| k.2).sum();

    // Organisations: affiliates first, then hubs, then institutions.
    let mut country_of = Vec::with_capacity(orgs);
    let mut kinds: Vec<&str> = Vec::with_capacity(orgs);
    let mut names: Vec<String> = Vec::with_capacity(orgs);
    let mut digitisation: Vec<&str> = Vec::with_capacity(orgs);
    for i in 0..orgs {
        let (country, kind, name) = if i < n_affiliates {
            let c = i % n_countries;
            let name = if i < n_countries {
                format!("Wikimedia {}", towns[c].name)
            } else {
                format!("Wikimedians of {} {}", towns[i % towns.len()].name, i)
            };
            (c, "affiliate", name)
        } else if i < n_movement {
            (
                i % n_countries,
                "hub",
                format!(
                    "{} Content Partnerships Hub {}",
                    towns[i % towns.len()].name,
                    i
                ),
            )
        } else {
            let town = &towns[rng.gen_range(0..towns.len())];
            let mut pick = rng.gen_range(0..kind_total);
            let mut kind = INSTITUTION_KINDS[0];
            for k in INSTITUTION_KINDS {
                if pick < k.2 {
                    kind = *k;
                    break;
                }
                pick -= k.2;
            }
            (
                town.country,
                kind.0,
                format!("{} {} {}", town.name, kind.1, i),
            )
        };
        country_of.push(country);
        kinds.push(kind);
        names.push(name);
        digitisation.push(if i < n_movement {
            ""
        } else {
            DIGITISATION[rng.gen_range(0..DIGITISATION.len())]
        });
    }

    // Preferential attachment pools: each organisation appears once, and once
    // more for every tie it gains, so well-connected ones gain more.
    let mut affiliate_pool: Vec<Vec<u32>> = vec![Vec::new(); n_countries];
    let mut institution_pool: Vec<Vec<u32>> = vec![Vec::new(); n_countries];
    for i in 0..n_affiliates {
        affiliate_pool[country_of[i]].push(i as u32);
    }
    for i in n_movement..orgs {
        institution_pool[country_of[i]].push(i as u32);
    }
    let all_affiliates: Vec<u32> = (0..n_affiliates as u32).collect();

    let id = |i: u32| -> String {
        if (i as usize) < n_affiliates {
            format!("aff-{i}")
        } else if (i as usize) < n_movement {
            format!("hub-{i}")
        } else {
            format!("org-{i}")
        }
    };

    let mut orgs_csv = SafeCsv::create(&dir.join(ORGANISATIONS), ORGANISATION_COLUMNS)?;
    for i in 0..orgs {
        let wikidata = if i >= n_movement && i % 3 == 0 {
            format!("Q{}", 1_000_000 + i)
        } else {
            String::new()
        };
        orgs_csv.row([
            id(i as u32).as_str(),
            &names[i],
            kinds[i],
            COUNTRIES[country_of[i]],
            "",
            &wikidata,
            "",
            digitisation[i],
        ])?;
    }
    orgs_csv.finish()?;

    let mut rel = SafeCsv::create(&dir.join(RELATIONS), RELATION_COLUMNS)?;
    let mut write = |rng: &mut ChaCha8Rng, s: u32, t: u32, kind: &str| -> anyhow::Result<()> {
        let weight = if kind == "partner" && rng.gen_bool(0.2) {
            "2"
        } else {
            ""
        };
        let interview = if (s as usize) < n_affiliates {
            format!("int-{s}")
        } else {
            String::new()
        };
        rel.row([
            id(s).as_str(),
            &id(t),
            kind,
            &date(rng),
            &interview,
            weight,
            "",
        ])
    };
    let pick = |rng: &mut ChaCha8Rng, pool: &[u32]| -> Option<u32> { pool.choose(rng).copied() };

    // Affiliates collaborate: mostly in their own country, some across regions.
    for a in 0..n_affiliates as u32 {
        let c = country_of[a as usize];
        for _ in 0..2 {
            let other = if rng.gen_bool(0.25) {
                pick(&mut rng, &all_affiliates)
            } else {
                pick(&mut rng, &affiliate_pool[c])
            };
            if let Some(b) = other.filter(|b| *b != a) {
                write(&mut rng, a, b, "collaborates")?;
                affiliate_pool[c].push(a);
                affiliate_pool[country_of[b as usize]].push(b);
            }
        }
    }
    // Hubs: affiliates are members.
    for h in n_affiliates..n_movement {
        for _ in 0..8 {
            if let Some(a) = pick(&mut rng, &all_affiliates) {
                write(&mut rng, a, h as u32, "member")?;
            }
        }
    }
    // Institutions: partners of affiliates in their country, referrals, wishes.
    let mut order: Vec<u32> = (n_movement as u32..orgs as u32).collect();
    order.shuffle(&mut rng);
    for &i in &order {
        let c = country_of[i as usize];
        let lead = rng.gen_bool(0.05);
        if !lead {
            if let Some(a) =
                pick(&mut rng, &affiliate_pool[c]).or_else(|| pick(&mut rng, &all_affiliates))
            {
                let kind = if rng.gen_bool(0.12) {
                    "past_partner"
                } else {
                    "partner"
                };
                write(&mut rng, a, i, kind)?;
                affiliate_pool[country_of[a as usize]].push(a);
                institution_pool[c].push(i);
            }
            if rng.gen_bool(0.3) {
                let a = if rng.gen_bool(0.1) {
                    pick(&mut rng, &all_affiliates)
                } else {
                    pick(&mut rng, &affiliate_pool[c])
                };
                if let Some(a) = a {
                    write(&mut rng, a, i, "partner")?;
                    institution_pool[c].push(i);
                }
            }
        }
        if rng.gen_bool(if lead { 0.9 } else { 0.62 }) {
            if let Some(j) = pick(&mut rng, &institution_pool[c]).filter(|j| *j != i) {
                write(&mut rng, j, i, "referral")?;
                institution_pool[c].push(j);
            }
        }
        if rng.gen_bool(0.2) {
            if let Some(j) = pick(&mut rng, &institution_pool[c]).filter(|j| *j != i) {
                write(&mut rng, i, j, "contact")?;
            }
        }
        if rng.gen_bool(if lead { 0.6 } else { 0.05 }) {
            if let Some(a) = pick(&mut rng, &affiliate_pool[c]) {
                write(&mut rng, a, i, "desired")?;
            }
        }
    }
    rel.finish()?;

    let mut interviews = SafeCsv::create(&dir.join(INTERVIEWS), INTERVIEW_COLUMNS)?;
    for a in 0..n_affiliates as u32 {
        let mut tags: Vec<&str> = TAGS.to_vec();
        tags.shuffle(&mut rng);
        let k = rng.gen_range(1..=3);
        let needs = tags[..k].join(";");
        let offers = tags[k..k + rng.gen_range(0..=2)].join(";");
        interviews.row([
            format!("int-{a}").as_str(),
            &date(&mut rng),
            &id(a),
            &needs,
            &offers,
            "",
        ])?;
    }
    interviews.finish()
}
