//! Property tests (proptest) of the invariants every run keeps, on small
//! generated datasets whose names hold what spreadsheets, XML and terminals
//! treat specially (`&`, `<`, quotes, a leading `=`, separators, accents,
//! other scripts):
//!
//! - a rerun writes the same bytes;
//! - 1, 2 and 3 threads write the same bytes;
//! - every output parses: CSV files read back with one field per column,
//!   XML, GraphML, GEXF and SVG files are well-formed, JSON parses.
//!
//! The cases are few and small so that `cargo test` stays fast.

mod common;

use std::path::Path;

use common::{partnernet, snapshot, TestDataset};
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
