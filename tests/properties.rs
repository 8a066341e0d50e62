//! Property tests (proptest) of the invariants every run keeps, on small
//! generated datasets whose names hold what spreadsheets, XML and terminals
//! treat specially (`&`, `<`, quotes, a leading `=`, separators, accents,
//! other scripts):
//!
//! - a rerun writes the same bytes;
//! - 1, 2 and 3 threads write the same bytes;
//! - every output parses: CSV files read back with one field per column,
//!   XML, GraphML, GEXF and SVG files are well-formed, JSON parses;
//! - any order of the rows of each table (organisations, relations,
//!   interviews, lead status) writes the same results (see
//!   [`row_order_free`] for what is compared).
//!
//! The cases are few and small so that `cargo test` stays fast.

mod common;

use std::path::Path;

use common::{partnernet, snapshot, without_row_order, TestDataset};
use proptest::prelude::*;

/// Name pieces a hostile or merely unusual list may hold.
const PIECES: &[&str] = &[
    "Museum",
    "A & B",
    "<b>Archive</b>",
    "\"Quoted\" Library",
    "=SUM(A1)",
    "+46 Foundation",
    "@home",
    "Comma, Semicolon; Pipe|",
    "Musée d'Orsay",
    "図書館",
    "مكتبة",
    "]] [[link]]",
    "#hash {brace}",
    "back\\slash",
];

const INSTITUTION_KINDS: &[&str] = &["museum", "library", "archive", "gallery", "university"];
const RELATION_KINDS: &[&str] = &["partner", "collaborates", "referral", "desired"];

/// A generated dataset: affiliates (the first organisations) and
/// institutions, with relations from an affiliate to anyone.
#[derive(Debug, Clone)]
struct Movement {
    names: Vec<String>,
    kinds: Vec<&'static str>,
    relations: Vec<(usize, usize, &'static str, Option<u8>)>,
}

fn movement() -> impl Strategy<Value = Movement> {
    (2usize..4, 3usize..9)
        .prop_flat_map(|(affiliates, institutions)| {
            let n = affiliates + institutions;
            (
                Just(affiliates),
                prop::collection::vec(prop::sample::select(PIECES), n),
                prop::collection::vec(prop::sample::select(INSTITUTION_KINDS), institutions),
                prop::collection::vec(
                    (
                        0..affiliates,
                        0..n,
                        prop::sample::select(RELATION_KINDS),
                        prop::option::of(1u8..5),
                    ),
                    1..16,
                ),
            )
        })
        .prop_map(|(affiliates, pieces, institution_kinds, relations)| {
            let names = pieces
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{p} {i}"))
                .collect();
            let mut kinds = vec!["affiliate"; affiliates];
            kinds.extend(institution_kinds);
            let relations = relations
                .into_iter()
                .filter(|(s, t, _, _)| s != t)
                .collect();
            Movement {
                names,
                kinds,
                relations,
            }
        })
}

impl Movement {
    fn dataset(&self) -> TestDataset {
        let mut orgs = csv::Writer::from_writer(Vec::new());
        orgs.write_record(["id", "name", "kind", "country"])
            .unwrap();
        for (i, (name, kind)) in self.names.iter().zip(&self.kinds).enumerate() {
            let country = ["SE", "KE", "BR"][i % 3];
            orgs.write_record([format!("o{i}").as_str(), name, kind, country])
                .unwrap();
        }
        let mut rels = csv::Writer::from_writer(Vec::new());
        rels.write_record(["source", "target", "kind", "date", "weight"])
            .unwrap();
        for (k, (s, t, kind, weight)) in self.relations.iter().enumerate() {
            // Every other reference by name, as staff write them.
            let target = if k % 2 == 0 {
                format!("o{t}")
            } else {
                self.names[*t].clone()
            };
            let weight = weight.map(|w| w.to_string()).unwrap_or_default();
            let date = format!("2023-0{}-1{}", 1 + k % 9, k % 10);
            rels.write_record([format!("o{s}").as_str(), &target, kind, &date, &weight])
                .unwrap();
        }
        TestDataset::new(&[
            ("organisations.csv", &orgs.into_inner().unwrap()),
            ("relations.csv", &rels.into_inner().unwrap()),
        ])
    }
}

/// Every output file parses as its format says.
fn assert_outputs_parse(out: &Path) {
    for (name, bytes) in snapshot(out) {
        let ext = name.extension().and_then(|e| e.to_str()).unwrap_or("");
        let shown = name.display();
        match ext {
            "csv" => {
                let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                let mut reader = csv::Reader::from_reader(body);
                let columns = reader.headers().expect("a header").len();
                for row in reader.records() {
                    let row = row.unwrap_or_else(|e| panic!("{shown} does not read back: {e}"));
                    assert_eq!(
                        row.len(),
                        columns,
                        "{shown}: a row with a wrong field count"
                    );
                }
            }
            "svg" | "graphml" | "gexf" | "xml" => {
                let text = std::str::from_utf8(&bytes)
                    .unwrap_or_else(|e| panic!("{shown} is not UTF-8: {e}"));
                let mut reader = quick_xml::Reader::from_str(text);
                let mut depth = 0i64;
                let mut roots = 0;
                loop {
                    match reader.read_event() {
                        Ok(quick_xml::events::Event::Eof) => break,
                        Ok(quick_xml::events::Event::Start(_)) => {
                            if depth == 0 {
                                roots += 1;
                            }
                            depth += 1;
                        }
                        Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                        Ok(quick_xml::events::Event::Empty(_)) if depth == 0 => roots += 1,
                        Ok(quick_xml::events::Event::Text(t)) => {
                            t.unescape()
                                .unwrap_or_else(|e| panic!("{shown}: a bad entity: {e}"));
                        }
                        Ok(_) => {}
                        Err(e) => panic!("{shown} is not well-formed XML: {e}"),
                    }
                }
                assert_eq!(depth, 0, "{shown}: unclosed elements");
                assert_eq!(roots, 1, "{shown}: not one root element");
                for c in text.chars() {
                    let allowed = matches!(c, '\t' | '\n' | '\r')
                        || ('\u{20}'..='\u{D7FF}').contains(&c)
                        || ('\u{E000}'..='\u{FFFD}').contains(&c)
                        || c >= '\u{10000}';
                    assert!(allowed, "{shown} holds {c:?}, which XML forbids");
                }
            }
            "json" => {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .unwrap_or_else(|e| panic!("{shown} is not JSON: {e}"));
            }
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, failure_persistence: None, ..ProptestConfig::default() })]

    /// One run per thread count (1, 2, 3) and a rerun on 1 thread: the
    /// same bytes each time, and every file parses.
    #[test]
    fn reruns_and_thread_counts_write_the_same_bytes_and_every_output_parses(m in movement()) {
        let ds = m.dataset();
        let mut outputs = Vec::new();
        for (k, threads) in ["1", "2", "3", "1"].iter().enumerate() {
            let out = ds.dir.path().join(format!("out{k}"));
            let run = partnernet()
                .env("RAYON_NUM_THREADS", threads)
                .arg("analyse")
                .arg(ds.data())
                .arg("--out")
                .arg(&out)
                .output()
                .unwrap();
            prop_assert!(
                run.status.success(),
                "{m:?}: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            outputs.push(snapshot(&out));
        }
        assert_outputs_parse(&ds.dir.path().join("out0"));
        let first = &outputs[0];
        prop_assert!(first.len() > 5);
        for (k, other) in outputs.iter().enumerate().skip(1) {
            let names: Vec<_> = other.iter().map(|f| &f.0).collect();
            prop_assert_eq!(first.iter().map(|f| &f.0).collect::<Vec<_>>(), names);
            for (a, b) in first.iter().zip(other) {
                prop_assert!(a.1 == b.1, "{} differs in run {k}", a.0.display());
            }
        }
    }
}

/// Unknown organisations, each written in four ways that fold together
/// (capitals, accents, spaces).
const UNKNOWN: &[[&str; 4]] = &[
    [
        "Musée Nordique",
        "musee nordique",
        "MUSÉE  NORDIQUE",
        "Musee Nordique",
    ],
    [
        "Arkiv Öst & Co",
        "arkiv ost & co",
        "ARKIV ÖST & CO",
        " Arkiv  Öst & Co",
    ],
    [
        "=Unknown \"Hall\"",
        "=unknown \"hall\"",
        "=UNKNOWN \"HALL\"",
        "=Unknown  \"Hall\"",
    ],
];
const STATUSES: &[&str] = &["new", "contacted", "in talks", "partner", "declined"];
const NEEDS: &[&str] = &["funding", "legal;volunteers", "", "outreach;funding"];

/// How a relation names one of its ends.
#[derive(Debug, Clone, Copy)]
enum Ref {
    /// By the organisation's id.
    Id(usize),
    /// By its name, or its name in capitals (when no other organisation
    /// has that name).
    Name(usize, bool),
    /// By its alias.
    Alias(usize),
    /// An unknown organisation, in one of its spellings.
    Unknown(usize, usize),
}

/// A generated dataset of four tables, each a header and rows of fields,
/// with awkward names, organisations sharing a name, aliases, repeated
/// relations, unknown names in several spellings, interviews and lead
/// statuses.
#[derive(Debug, Clone)]
struct Tables {
    organisations: Vec<Vec<String>>,
    relations: Vec<Vec<String>>,
    interviews: Vec<Vec<String>>,
    lead_status: Vec<Vec<String>>,
}

#[allow(clippy::type_complexity)]
fn tables() -> impl Strategy<Value = Tables> {
    (2usize..4, 3usize..8)
        .prop_flat_map(|(affiliates, institutions)| {
            let n = affiliates + institutions;
            let reference = prop_oneof![
                (0..n).prop_map(Ref::Id),
                (0..n, any::<bool>()).prop_map(|(i, caps)| Ref::Name(i, caps)),
                (0..n).prop_map(Ref::Alias),
                (0..UNKNOWN.len(), 0usize..4).prop_map(|(u, v)| Ref::Unknown(u, v)),
            ];
            (
                Just(affiliates),
                prop::collection::vec(prop::sample::select(PIECES), n),
                prop::collection::vec(prop::sample::select(INSTITUTION_KINDS), institutions),
                prop::collection::vec(prop::option::of(prop::sample::select(PIECES)), n),
                // An organisation given the name of another.
                prop::option::of((0..n, 0..n)),
                prop::collection::vec(
                    (
                        0..affiliates,
                        reference,
                        prop::sample::select(RELATION_KINDS),
                        prop::option::of(1u8..5),
                        0u8..4,
                        any::<bool>(),
                    ),
                    1..14,
                ),
                prop::collection::vec((0..affiliates, 0usize..4, any::<bool>()), 0..4),
                prop::collection::vec((0..n, 0usize..5, 0u8..3), 0..5),
            )
        })
        .prop_map(
            |(affiliates, pieces, kinds, aliases, same_name, relations, interviews, leads)| {
                let n = pieces.len();
                let mut names: Vec<String> = pieces
                    .iter()
                    .enumerate()
                    .map(|(i, p)| format!("{p} {i}"))
                    .collect();
                if let Some((a, b)) = same_name.filter(|(a, b)| a != b) {
                    names[b] = names[a].clone();
                }
                let aliases: Vec<Option<String>> = aliases
                    .iter()
                    .enumerate()
                    .map(|(i, a)| a.map(|a| format!("alt {a} {i}")))
                    .collect();
                let unique = |i: usize| names.iter().filter(|m| **m == names[i]).count() == 1;
                let mut organisations = vec![vec!["id", "name", "kind", "country", "aliases"]
                    .into_iter()
                    .map(String::from)
                    .collect::<Vec<_>>()];
                for i in 0..n {
                    let kind = if i < affiliates {
                        "affiliate"
                    } else {
                        kinds[i - affiliates]
                    };
                    organisations.push(vec![
                        format!("o{i}"),
                        names[i].clone(),
                        kind.to_string(),
                        ["SE", "KE", "BR"][i % 3].to_string(),
                        aliases[i].clone().unwrap_or_default(),
                    ]);
                }
                let mut interview_rows =
                    vec![["id", "date", "affiliate", "needs", "offers", "notes"]
                        .map(String::from)
                        .to_vec()];
                for (k, (a, need, by_name)) in interviews.iter().enumerate() {
                    let affiliate = if *by_name && unique(*a) {
                        names[*a].clone()
                    } else {
                        format!("o{a}")
                    };
                    interview_rows.push(vec![
                        format!("iv-{k}"),
                        format!("2022-0{}-1{k}", 1 + k),
                        affiliate,
                        NEEDS[*need].to_string(),
                        NEEDS[(*need + 1) % NEEDS.len()].to_string(),
                        PIECES[k % PIECES.len()].to_string(),
                    ]);
                }
                let name_of = |r: Ref| -> String {
                    match r {
                        Ref::Id(i) => format!("o{i}"),
                        Ref::Name(i, caps) if unique(i) => {
                            if caps {
                                names[i].to_uppercase()
                            } else {
                                names[i].clone()
                            }
                        }
                        Ref::Alias(i) if aliases[i].is_some() => {
                            aliases[i].clone().unwrap_or_default()
                        }
                        Ref::Name(i, _) | Ref::Alias(i) => format!("o{i}"),
                        Ref::Unknown(u, v) => UNKNOWN[u][v].to_string(),
                    }
                };
                let mut relation_rows =
                    vec![["source", "target", "kind", "date", "interview", "weight"]
                        .map(String::from)
                        .to_vec()];
                for (s, t, kind, weight, month, twice) in relations {
                    let target = name_of(t);
                    if target == format!("o{s}") {
                        continue;
                    }
                    let interview = interviews
                        .iter()
                        .position(|(a, _, _)| *a == s)
                        .filter(|_| month % 2 == 0)
                        .map(|k| format!("iv-{k}"))
                        .unwrap_or_default();
                    let row = vec![
                        format!("o{s}"),
                        target,
                        kind.to_string(),
                        format!("2023-0{}-0{}", 1 + month, 1 + month),
                        interview,
                        weight.map(|w| w.to_string()).unwrap_or_default(),
                    ];
                    if twice {
                        relation_rows.push(row.clone());
                    }
                    relation_rows.push(row);
                }
                let mut lead_rows = vec![["id", "status", "owner", "updated", "note"]
                    .map(String::from)
                    .to_vec()];
                let mut seen = std::collections::BTreeSet::new();
                for (i, status, owner) in leads {
                    if i < affiliates || !seen.insert(i) {
                        continue;
                    }
                    lead_rows.push(vec![
                        format!("o{i}"),
                        STATUSES[status].to_string(),
                        ["Astrid", "", "Jonas"][owner as usize].to_string(),
                        format!("2024-0{}-02", 1 + owner),
                        PIECES[(i + status) % PIECES.len()].to_string(),
                    ]);
                }
                Tables {
                    organisations,
                    relations: relation_rows,
                    interviews: interview_rows,
                    lead_status: lead_rows,
                }
            },
        )
}

/// The rows of `rows` after its header in an order made by `seed`
/// (Fisher–Yates with xorshift); the header stays first.
fn permuted(rows: &[Vec<String>], seed: u64) -> Vec<Vec<String>> {
    let mut body = rows[1..].to_vec();
    let mut x = seed | 1;
    for i in (1..body.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        body.swap(i, (x % (i as u64 + 1)) as usize);
    }
    let mut out = vec![rows[0].clone()];
    out.extend(body);
    out
}

fn csv_of(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

impl Tables {
    /// The dataset with each table's rows permuted by its own seed (seed 0:
    /// as generated).
    fn dataset(&self, seed: u64) -> TestDataset {
        let order = |rows: &[Vec<String>], k: u64| {
            if seed == 0 {
                rows.to_vec()
            } else {
                permuted(
                    rows,
                    seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(k),
                )
            }
        };
        let mut files = vec![
            ("organisations.csv", csv_of(&order(&self.organisations, 1))),
            ("relations.csv", csv_of(&order(&self.relations, 2))),
        ];
        if self.interviews.len() > 1 {
            files.push(("interviews.csv", csv_of(&order(&self.interviews, 3))));
        }
        if self.lead_status.len() > 1 {
            files.push(("lead-status.csv", csv_of(&order(&self.lead_status, 4))));
        }
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        TestDataset::new(&files)
    }
}

/// The results in `out`, as compared across row orders: every file, with
/// what may follow the rows taken out by [`without_row_order`] (the line
/// numbers cited, the order of the lists of problems); of the list of files
/// written (`.partnernet-output`) the paths only (its checksums change with
/// the line numbers); of `results.xlsx` every sheet's cells as text, with
/// the rows of its sheet of problems sorted.
fn row_order_free(out: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    snapshot(out)
        .into_iter()
        .map(|(path, bytes)| {
            let bytes = if path == Path::new(".partnernet-output") {
                let text = String::from_utf8_lossy(&bytes);
                let paths: Vec<&str> = text
                    .lines()
                    .skip_while(|l| !l.starts_with("files "))
                    .skip(1)
                    .map(|l| l.splitn(3, ' ').nth(2).unwrap_or(l))
                    .collect();
                paths.join("\n").into_bytes()
            } else if path == Path::new("results.xlsx") {
                workbook_text(&out.join(&path))
            } else {
                without_row_order(&bytes)
            };
            (path, bytes)
        })
        .collect()
}

/// Every sheet of the workbook at `path` as lines of tab-separated cells,
/// line numbers masked, the rows of the sheet of problems sorted.
fn workbook_text(path: &Path) -> Vec<u8> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let mut out = Vec::new();
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).unwrap();
        let mut rows: Vec<Vec<u8>> = range
            .rows()
            .map(|r| {
                let line: Vec<String> = r.iter().map(|c| c.to_string()).collect();
                without_row_order(line.join("\t").as_bytes())
            })
            .collect();
        if sheet == "data quality" && rows.len() > 1 {
            rows[1..].sort();
        }
        out.extend(sheet.as_bytes());
        out.push(b'\n');
        for r in rows {
            out.extend(r);
            out.push(b'\n');
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// The rows of every table in the order generated and in two other
    /// orders (each on another thread count: 1, 2, 3) give the same
    /// results; compared as [`row_order_free`] says.
    #[test]
    fn any_row_order_writes_the_same_results(t in tables(), seeds in (1u64.., 1u64..)) {
        let mut first: Option<Vec<(std::path::PathBuf, Vec<u8>)>> = None;
        for (seed, threads) in [(0, "1"), (seeds.0, "2"), (seeds.1, "3")] {
            let ds = t.dataset(seed);
            let run = partnernet()
                .env("RAYON_NUM_THREADS", threads)
                .arg("analyse")
                .arg(ds.data())
                .arg("--out")
                .arg(ds.out())
                .output()
                .unwrap();
            prop_assert!(
                run.status.success(),
                "{t:?}, seed {seed}: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            let got = row_order_free(&ds.out());
            match &first {
                None => {
                    prop_assert!(got.len() > 5);
                    first = Some(got);
                }
                Some(expected) => {
                    let names = |s: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<std::path::PathBuf> {
                        s.iter().map(|(p, _)| p.clone()).collect()
                    };
                    prop_assert_eq!(names(expected), names(&got), "seed {}", seed);
                    for ((path, a), (_, b)) in expected.iter().zip(&got) {
                        prop_assert!(
                            a == b,
                            "{} differs with the rows ordered by seed {seed}:\n{}\n---\n{}",
                            path.display(),
                            String::from_utf8_lossy(a),
                            String::from_utf8_lossy(b)
                        );
                    }
                }
            }
        }
    }
}
