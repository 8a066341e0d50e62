//! `results.xlsx` read back with calamine (the cells) and zip (the sheet
//! settings: frozen header, autofilter).

mod common;

use std::io::Read;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::{partnernet, TestDataset};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");

/// A sheet's XML, by its position (1 for the first).
fn sheet_xml(path: &std::path::Path, n: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn the_workbook_holds_every_lead_with_numbers_dates_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    partnernet()
        .arg("analyse")
        .arg(SAMPLE)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let path = out.join("results.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "leads",
            "leads per affiliate",
            "opportunities",
            "clusters",
            "brokers",
            "bridges",
            "data quality"
        ]
    );
    let leads_csv = common::read_csv(&out.join("leads.csv"));
    let leads = book.worksheet_range("leads").unwrap();
    let rows: Vec<&[Data]> = leads.rows().collect();
    assert_eq!(rows.len(), leads_csv.len() + 1, "a header and every lead");
    let col = |title: &str| {
        rows[0]
            .iter()
            .position(|c| c == &Data::String(title.into()))
            .unwrap()
    };
    let (name, score, last, wikidata) = (
        col("name"),
        col("score"),
        col("last mentioned"),
        col("wikidata"),
    );
    for (row, lead) in rows[1..].iter().zip(&leads_csv) {
        assert_eq!(row[name], Data::String(lead["name"].clone()));
        match &row[score] {
            Data::Float(x) => assert!((x - lead["score"].parse::<f64>().unwrap()).abs() < 1e-3),
            other => panic!("score is not a number: {other:?}"),
        }
    }
    assert!(
        rows[1..]
            .iter()
            .any(|r| matches!(r[last], Data::DateTime(_))),
        "dates as dates"
    );
    // Wikidata items are links.
    let xml = sheet_xml(&path, 1);
    let has_item = rows[1..]
        .iter()
        .any(|r| matches!(&r[wikidata], Data::String(q) if q.starts_with('Q')));
    if has_item {
        assert!(xml.contains("<hyperlink "), "Wikidata items as links");
    }
    // Every sheet: a frozen header row and a filter.
    for n in 1..=7 {
        let xml = sheet_xml(&path, n);
        assert!(
            xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
            "sheet {n}: {xml:.400}"
        );
        assert!(xml.contains("<autoFilter ref="), "sheet {n}");
    }
    // Every lead appears on the per-affiliate sheet with its affiliate.
    let per = book.worksheet_range("leads per affiliate").unwrap();
    assert!(per.rows().count() > leads_csv.len() / 2);
}

#[test]
fn a_name_that_looks_like_a_formula_stays_text() {
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            b"id,name,kind,country,region,wikidata,aliases,digitisation\n\
              wm-a,Wikimedia Alpha,affiliate,SE,,,,\n\
              f1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",museum,SE,,Q42,,\n\
              f2,+1+2,library,SE,,,,\n",
        ),
        (
            "relations.csv",
            b"source,target,kind,date,interview,weight,note\n\
              wm-a,f1,referral,2024-01-02,,,\n\
              wm-a,f2,referral,2024-01-03,,,\n",
        ),
    ]);
    ds.analyse().success();
    let path = ds.out().join("results.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let leads = book.worksheet_range("leads").unwrap();
    let names: Vec<Data> = leads.rows().skip(1).map(|r| r[2].clone()).collect();
    assert!(
        names.contains(&Data::String("'=HYPERLINK(\"http://x\",\"y\")".into())),
        "{names:?}"
    );
    assert!(names.contains(&Data::String("'+1+2".into())), "{names:?}");
    // No text cell of any sheet starts as a formula would, even after
    // characters a spreadsheet skips.
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).unwrap();
        for cell in range.used_cells() {
            if let (_, _, Data::String(text)) = cell {
                let shown = text.trim_start_matches([' ', '\u{200B}']);
                let formula = shown.starts_with(['=', '+', '@', '\t', '\r'])
                    || (shown.starts_with('-') && shown.parse::<f64>().is_err());
                assert!(!formula, "{sheet}: {text:?}");
            }
        }
    }
    let formulas = book.worksheet_formula("leads").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula in the sheet"
    );
    // The same bytes again.
    let first = std::fs::read(&path).unwrap();
    ds.analyse().success();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        first,
        "same data, same bytes"
    );
}

/// Above 50,000 organisations the sheets are written a row at a time
/// (constant memory): the workbook must still hold every organisation, with
/// its header frozen and its names as text.
#[test]
fn a_large_movement_gives_a_complete_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::analysed_movement(
        dir.path(),
        60_000,
        &["--exports", "none", "--format", "svg"],
    );
    let path = out.join("results.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let brokers = book.worksheet_range("brokers").unwrap();
    let brokers_csv = common::read_csv(&out.join("brokers.csv"));
    assert!(brokers_csv.len() > 50_000, "{} brokers", brokers_csv.len());
    assert_eq!(brokers.rows().count(), brokers_csv.len() + 1);
    let first: Vec<String> = brokers
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        first.contains(&brokers_csv[0]["name"]),
        "row 2 of the brokers sheet is the first row of brokers.csv: {first:?}"
    );
    let xml = sheet_xml(&path, 5);
    assert!(xml.contains(r#"<pane ySplit="1""#), "header frozen");
    assert!(xml.contains("<autoFilter"), "filter on the header");
}
