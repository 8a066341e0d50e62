//! `partnernet import wikidata`: Query Service results built here by hand,
//! in the layouts of its three downloads (CSV: full entity addresses and
//! plain literals; TSV: SPARQL terms, `<address>` and `"text"@lang`; JSON:
//! the W3C SPARQL 1.1 results format), imported into new datasets and into
//! the sample; and the cold leads they give.

mod common;

use std::path::{Path, PathBuf};

use common::partnernet;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");
const E: &str = "http://www.wikidata.org/entity/";

/// One institution of a hand-made result.
struct Row {
    qid: &'static str,
    label: &'static str,
    country: &'static str,
    types: &'static [&'static str],
    website: &'static str,
    commons: &'static str,
    /// (longitude, latitude), as WKT writes them.
    point: Option<(f64, f64)>,
    aliases: &'static str,
}

const fn row(
    qid: &'static str,
    label: &'static str,
    country: &'static str,
    types: &'static [&'static str],
) -> Row {
    Row {
        qid,
        label,
        country,
        types,
        website: "",
        commons: "",
        point: None,
        aliases: "",
    }
}

/// A small result: new institutions of every common kind, one with a comma
/// and quotes in its name, one with a website, Commons category,
/// coordinates and aliases, one that is a museum and a library at once.
fn rows() -> Vec<Row> {
    vec![
        Row {
            website: "https://sjofart.example.org/",
            commons: "Holmvika Sjöfartsmuseum",
            point: Some((18.07, 59.33)),
            aliases: "Sjöfartsmuseet;Holmvika Maritime Museum",
            ..row("Q998000101", "Holmvika Sjöfartsmuseum", "SE", &["Q33506"])
        },
        row("Q998000102", "Biblioteca \"Rio\", Azul", "BR", &["Q28564"]),
        row(
            "Q998000103",
            "Arquivo Municipal de Vila Catarinha",
            "BR",
            &["Q166118"],
        ),
        row("Q998000104", "Galeria Pampa", "AR", &["Q1007870"]),
        row("Q998000105", "Universidad del Sur Alto", "AR", &["Q3918"]),
        row(
            "Q998000106",
            "Instituto de Pesquisa Marinha",
            "BR",
            &["Q31855"],
        ),
        row(
            "Q998000107",
            "Museu e Biblioteca de Lusvéria",
            "PT",
            &["Q7075", "Q207694"],
        ),
        row(
            "Q998000108",
            "Kessaro Zoological Garden",
            "GH",
            &["Q167346"],
        ),
    ]
}

fn csv_of(rows: &[Row]) -> String {
    let mut s =
        String::from("item,itemLabel,countryCode,types,website,commons,coordinates,aliases\r\n");
    for r in rows {
        let quote = |v: &str| {
            if v.contains([',', '"', '\n']) {
                format!("\"{}\"", v.replace('"', "\"\""))
            } else {
                v.to_string()
            }
        };
        s.push_str(&format!(
            "{E}{},{},{},{},{},{},{},{}\r\n",
            r.qid,
            quote(r.label),
            r.country,
            quote(&r.types.join(";")),
            r.website,
            quote(r.commons),
            r.point
                .map(|(x, y)| format!("Point({x} {y})"))
                .unwrap_or_default(),
            quote(r.aliases)
        ));
    }
    s
}

fn tsv_literal(v: &str, lang: &str) -> String {
    if v.is_empty() {
        return String::new();
    }
    let escaped = v
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\t', "\\t");
    format!("\"{escaped}\"{lang}")
}

fn tsv_of(rows: &[Row]) -> String {
    let mut s = String::from(
        "?item\t?itemLabel\t?countryCode\t?types\t?website\t?commons\t?coordinates\t?aliases\n",
    );
    for r in rows {
        s.push_str(&format!(
            "<{E}{}>\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            r.qid,
            tsv_literal(r.label, "@en"),
            tsv_literal(r.country, ""),
            tsv_literal(&r.types.join(";"), ""),
            if r.website.is_empty() {
                String::new()
            } else {
                format!("<{}>", r.website)
            },
            tsv_literal(r.commons, ""),
            r.point
                .map(|(x, y)| format!(
                    "\"Point({x} {y})\"^^<http://www.opengis.net/ont/geosparql#wktLiteral>"
                ))
                .unwrap_or_default(),
            tsv_literal(r.aliases, ""),
        ));
    }
    s
}

fn json_of(rows: &[Row]) -> String {
    use serde_json::json;
    let bindings: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let mut b = serde_json::Map::new();
            b.insert("item".into(), json!({"type": "uri", "value": format!("{E}{}", r.qid)}));
            b.insert("itemLabel".into(), json!({"xml:lang": "en", "type": "literal", "value": r.label}));
            b.insert("countryCode".into(), json!({"type": "literal", "value": r.country}));
            b.insert("types".into(), json!({"type": "literal", "value": r.types.join(";")}));
            if !r.website.is_empty() {
                b.insert("website".into(), json!({"type": "uri", "value": r.website}));
            }
            if !r.commons.is_empty() {
                b.insert("commons".into(), json!({"type": "literal", "value": r.commons}));
            }
            if let Some((x, y)) = r.point {
                b.insert(
                    "coordinates".into(),
                    json!({"datatype": "http://www.opengis.net/ont/geosparql#wktLiteral", "type": "literal", "value": format!("Point({x} {y})")}),
                );
            }
            if !r.aliases.is_empty() {
                b.insert("aliases".into(), json!({"type": "literal", "value": r.aliases}));
            }
            serde_json::Value::Object(b)
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "head": {"vars": ["item", "itemLabel", "countryCode", "types", "website", "commons", "coordinates", "aliases"]},
        "results": {"bindings": bindings}
    }))
    .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn import(results: &Path, dataset: Option<&Path>, into: &Path) -> assert_cmd::assert::Assert {
    let mut cmd = partnernet();
    cmd.args(["import", "wikidata"])
        .arg(results)
        .arg("--into")
        .arg(into);
    if let Some(d) = dataset {
        cmd.arg("--dataset").arg(d);
    }
    cmd.assert()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn the_three_downloads_give_the_same_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let rows = rows();
    let files = [
        write(t, "query.csv", &csv_of(&rows)),
        write(t, "query.tsv", &tsv_of(&rows)),
        write(t, "query.json", &json_of(&rows)),
    ];
    let mut outputs = Vec::new();
    for f in &files {
        let into = t.join(format!("new-{}", f.extension().unwrap().to_str().unwrap()));
        let a = import(f, None, &into).success();
        assert!(
            stdout(&a).contains("Wrote a new dataset with 8 organisations"),
            "{}",
            stdout(&a)
        );
        outputs.push(read(&into.join("organisations.csv")));
        partnernet().arg("validate").arg(&into).assert().success();
    }
    assert_eq!(outputs[0], outputs[1], "CSV and TSV differ");
    assert_eq!(outputs[0], outputs[2], "CSV and JSON differ");
    let orgs = &outputs[0];
    assert!(orgs.starts_with("id,name,kind,country,region,wikidata,aliases,digitisation,website,commons,coordinates\n"), "{orgs}");
    for line in [
        "holmvika-sjofartsmuseum,Holmvika Sjöfartsmuseum,museum,SE,,Q998000101,Sjöfartsmuseet;Holmvika Maritime Museum,,https://sjofart.example.org/,Holmvika Sjöfartsmuseum,\"59.33, 18.07\"\n",
        "biblioteca-rio-azul,\"Biblioteca \"\"Rio\"\", Azul\",library,BR,,Q998000102,,,,,\n",
        "arquivo-municipal-de-vila-catarinha,Arquivo Municipal de Vila Catarinha,archive,BR,",
        "galeria-pampa,Galeria Pampa,gallery,AR,",
        "universidad-del-sur-alto,Universidad del Sur Alto,university,AR,",
        "instituto-de-pesquisa-marinha,Instituto de Pesquisa Marinha,research,BR,",
        // A library and an art museum: museum comes first.
        "museu-e-biblioteca-de-lusveria,Museu e Biblioteca de Lusvéria,museum,PT,",
        // A class not in the table: other.
        "kessaro-zoological-garden,Kessaro Zoological Garden,other,GH,",
    ] {
        assert!(orgs.contains(line), "missing {line:?} in\n{orgs}");
    }
    assert_eq!(
        read(&t.join("new-csv/relations.csv")),
        "source,target,kind,date,interview,weight,note\n"
    );
}

#[test]
fn row_order_does_not_change_the_ids_or_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let mut rows = rows();
    // Two institutions with the same name: the lower item keeps the plain id.
    rows.push(row("Q998000099", "Galeria Pampa", "AR", &["Q1007870"]));
    let forward = write(t, "a.csv", &csv_of(&rows));
    rows.reverse();
    let backward = write(t, "b.csv", &csv_of(&rows));
    import(&forward, None, &t.join("a")).success();
    import(&backward, None, &t.join("b")).success();
    let a = read(&t.join("a/organisations.csv"));
    assert_eq!(a, read(&t.join("b/organisations.csv")));
    assert!(
        a.contains("\ngaleria-pampa,Galeria Pampa,gallery,AR,,Q998000099,"),
        "{a}"
    );
    assert!(
        a.contains("\ngaleria-pampa-q998000104,Galeria Pampa,gallery,AR,,Q998000104,"),
        "{a}"
    );
}

/// A result with institutions of the sample: one by its item, one by name,
/// one by an alias, one with the sample's name but in another country, and
/// new ones.
fn sample_result() -> Vec<Row> {
    let mut rows = rows();
    rows.push(Row {
        website: "https://holmvika-stadsmuseum.example.org/",
        commons: "Holmvika stadsmuseum",
        ..row(
            "Q999999151",
            "Holmvika Stadsmuseum (Wikidata label)",
            "SE",
            &["Q33506"],
        )
    });
    rows.push(Row {
        commons: "Archivo Parroquial de Huaylloc",
        ..row(
            "Q998000201",
            "Archivo Parroquial de Huaylloc",
            "PE",
            &["Q166118"],
        )
    });
    rows.push(row(
        "Q998000202",
        "Minjasetur Vindafjarðar",
        "IS",
        &["Q33506"],
    ));
    rows.push(row("Q998000203", "Trollnes fyrstasjon", "SE", &["Q33506"]));
    rows
}

#[test]
fn merging_into_the_sample_adds_each_institution_once_and_lists_name_matches() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let before = read(&Path::new(SAMPLE).join("organisations.csv"));
    let results = write(t, "glam.csv", &csv_of(&sample_result()));
    let merged = t.join("merged");
    let a = import(&results, Some(Path::new(SAMPLE)), &merged).success();
    let out = stdout(&a);
    // The sample itself is untouched.
    assert_eq!(read(&Path::new(SAMPLE).join("organisations.csv")), before);
    assert!(
        out.contains("9 added, 1 already there by their Wikidata item, 2 found by name"),
        "{out}"
    );
    // Each match by name is listed with its line, item, and organisation.
    assert!(out.contains("glam.csv, line 11: \"Archivo Parroquial de Huaylloc\" (Q998000201) is huaylloc-parish-archive"), "{out}");
    assert!(
        out.contains("line 12: \"Minjasetur Vindafjarðar\" (Q998000202) is vindafjordur-heritage"),
        "{out}"
    );
    let orgs = read(&merged.join("organisations.csv"));
    // Gained what it lacked, kept what it had.
    assert!(orgs.contains("\nhuaylloc-parish-archive,Archivo Parroquial de Huaylloc,archive,PE,,Q998000201,Huaylloc Parish Archive,none,,Archivo Parroquial de Huaylloc,\n"), "{orgs}");
    assert!(orgs.contains("\nholmvika-stadsmuseum,Holmvika stadsmuseum,museum,SE,,Q999999151,Holmvika City Museum,advanced,https://holmvika-stadsmuseum.example.org/,Holmvika stadsmuseum,\n"), "{orgs}");
    // Same name, another country: a different institution.
    assert!(
        orgs.contains("\ntrollnes-fyrstasjon,Trollnes fyrstasjon,museum,SE,,Q998000203,"),
        "{orgs}"
    );
    // Every other row of the sample is there byte for byte.
    let merged_lines: std::collections::HashSet<&str> = orgs.lines().collect();
    let untouched = before
        .lines()
        .skip(1)
        .filter(|l| {
            !l.starts_with("huaylloc-parish-archive,")
                && !l.starts_with("holmvika-stadsmuseum,")
                && !l.starts_with("vindafjordur-heritage,")
        })
        .filter(|l| !merged_lines.contains(l))
        .collect::<Vec<_>>();
    assert!(untouched.is_empty(), "rows changed: {untouched:?}");
    assert_eq!(orgs.lines().count(), before.lines().count() + 9);
    for f in [
        "relations.csv",
        "interviews.csv",
        "lead-status.csv",
        "partnernet.toml",
    ] {
        assert_eq!(
            read(&merged.join(f)),
            read(&Path::new(SAMPLE).join(f)),
            "{f}"
        );
    }
    assert!(merged.join("notes").is_dir());
    partnernet().arg("validate").arg(&merged).assert().success();
}

#[test]
fn a_second_import_changes_nothing_that_did_not_change() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let first = write(t, "first.json", &json_of(&sample_result()));
    import(&first, Some(Path::new(SAMPLE)), &t.join("one")).success();
    // The same result again: the same bytes.
    let a = import(&first, Some(&t.join("one")), &t.join("two")).success();
    assert!(
        stdout(&a).contains("0 added, 12 already there by their Wikidata item, 0 found by name"),
        "{}",
        stdout(&a)
    );
    let one = read(&t.join("one/organisations.csv"));
    assert_eq!(one, read(&t.join("two/organisations.csv")));
    // A newer result (rows in another order, one institution new, one with a
    // website now): only those two rows change.
    let mut newer = sample_result();
    newer.reverse();
    newer.push(row(
        "Q998000301",
        "Stadsarkivet i Grävlinge",
        "SE",
        &["Q166118"],
    ));
    for r in newer.iter_mut() {
        if r.qid == "Q998000104" {
            r.website = "https://galeria-pampa.example.org/";
        }
    }
    let newer_file = write(t, "newer.tsv", &tsv_of(&newer));
    import(&newer_file, Some(&t.join("one")), &t.join("three")).success();
    let three = read(&t.join("three/organisations.csv"));
    let old: Vec<&str> = one.lines().collect();
    let new: Vec<&str> = three.lines().collect();
    let changed: Vec<(&str, &str)> = old
        .iter()
        .zip(&new)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].1.starts_with("galeria-pampa,")
            && changed[0].1.contains("https://galeria-pampa.example.org/")
    );
    assert_eq!(new.len(), old.len() + 1);
    assert!(new
        .last()
        .unwrap()
        .starts_with("stadsarkivet-i-gravlinge,Stadsarkivet i Grävlinge,archive,SE,,Q998000301"));
}

#[test]
fn cold_leads_come_from_the_import_and_stay_out_of_the_referred_leads() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let results = write(t, "glam.csv", &csv_of(&sample_result()));
    let merged = t.join("merged");
    import(&results, Some(Path::new(SAMPLE)), &merged).success();
    let out = t.join("out");
    partnernet()
        .arg("analyse")
        .arg(&merged)
        .arg("--out")
        .arg(&out)
        .arg("--exports")
        .arg("none")
        .assert()
        .success();
    let cold = read(&out.join("cold-leads.csv"));
    let leads = read(&out.join("leads.csv"));
    let cold_ids: Vec<&str> = cold
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap())
        .collect();
    assert!(cold_ids.contains(&"holmvika-sjofartsmuseum"), "{cold}");
    assert!(cold_ids.contains(&"galeria-pampa"), "{cold}");
    for id in &cold_ids {
        assert!(
            !leads.lines().any(|l| l.split(',').nth(1) == Some(id)),
            "{id} is in leads.csv too"
        );
    }
    // Holmvika Sjöfartsmuseum: a Commons category, a website, in Sweden
    // where Wikimedia Norrvala works; grouped under Northern Europe.
    let line = cold
        .lines()
        .find(|l| l.contains(",holmvika-sjofartsmuseum,"))
        .unwrap();
    assert!(
        line.starts_with("Northern Europe,wm-norrvala,Wikimedia Norrvala,1,"),
        "{line}"
    );
    assert!(line.contains("it already has a Commons category (Holmvika Sjöfartsmuseum), so its digitisation is under way"), "{line}");
    assert!(
        line.contains("its website is https://sjofart.example.org/"),
        "{line}"
    );
    let summary = read(&out.join("summary.md"));
    assert!(summary.contains("## Cold leads"), "{summary}");
    assert!(
        summary.contains("1. Holmvika Sjöfartsmuseum (museum, Northern Europe;"),
        "{summary}"
    );
    let md = read(&out.join("leads.md"));
    assert!(
        md.contains("## Cold leads") && md.contains("### Northern Europe: Wikimedia Norrvala"),
        "{md}"
    );
    // report.html has them in a section of their own, grouped the same way.
    let html = read(&out.join("report.html"));
    let start = html
        .find("<section id=\"cold-leads-section\">")
        .expect("a cold leads section in report.html");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    assert!(
        section.contains("<h3>Northern Europe: Wikimedia Norrvala"),
        "{section}"
    );
    assert!(
        section.contains("<td>Holmvika Sjöfartsmuseum</td>"),
        "{section}"
    );
    assert!(!section.contains("\"Rio\""), "names are escaped: {section}");
    // The zoological garden is in Western Africa, where an affiliate is active too.
    assert!(cold_ids.contains(&"kessaro-zoological-garden"));
}

#[test]
fn bad_results_are_reported_with_line_column_and_value() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();

    let no_item = write(t, "no-item.csv", "name,countryCode\nNordvik,SE\n");
    let a = import(&no_item, None, &t.join("x")).code(2);
    let err = stderr(&a);
    assert!(
        err.contains("no-item.csv, line 1, column 'header', value \"name,countryCode\""),
        "{err}"
    );
    assert!(err.contains("name it ?item in the query"), "{err}");
    assert!(!t.join("x").exists());

    let not_qid = write(
        t,
        "not-qid.csv",
        &format!("item,itemLabel\n{E}Q1,One\nhttp://example.org/P31,Two\nL123,Three\n"),
    );
    let a = import(&not_qid, None, &t.join("x")).code(2);
    let err = stderr(&a);
    assert!(err.contains("not-qid.csv, line 3, column 'item', value \"http://example.org/P31\": not a Wikidata item"), "{err}");
    assert!(
        err.contains("line 4, column 'item', value \"L123\""),
        "{err}"
    );
    assert!(!t.join("x").exists());

    // A label that is only the item (no label in the query's languages) and
    // an item on several rows (one per type, as the Query Service writes
    // them): the first is left out with a warning, the second merged.
    let rows = format!(
        "?item\t?itemLabel\t?countryCode\t?type\t?typeLabel\n\
         <{E}Q998000401>\t\"Q998000401\"\t\"SE\"\t<{E}Q33506>\t\"museum\"@en\n\
         <{E}Q998000402>\t\"Ornvika bibliotek och konsthall\"@sv\t\"SE\"\t<{E}Q7075>\t\"library\"@en\n\
         <{E}Q998000402>\t\"Ornvika bibliotek och konsthall\"@sv\t\"SE\"\t<{E}Q1007870>\t\"art gallery\"@en\n\
         <{E}Q998000403>\t\"Ornvika Stadsarkiv\"@sv\t\"SE\"\t<{E}Q999>\t\"kommunarkiv\"@sv\n"
    );
    let odd = write(t, "odd.tsv", &rows);
    let a = import(&odd, None, &t.join("odd")).success();
    let out = stdout(&a);
    let err = stderr(&a);
    assert!(err.contains("warning: "), "{err}");
    assert!(
        err.contains(
            "odd.tsv, line 2, column 'itemLabel', value \"Q998000401\": Q998000401 has no name"
        ),
        "{err}"
    );
    assert!(out.contains("Read 2 institutions"), "{out}");
    let orgs = read(&t.join("odd/organisations.csv"));
    // Library and art gallery at once: gallery comes first.
    assert!(
        orgs.contains(
            "ornvika-bibliotek-och-konsthall,Ornvika bibliotek och konsthall,gallery,SE,"
        ),
        "{orgs}"
    );
    // An unknown class, read by its label's keywords.
    assert!(
        orgs.contains("ornvika-stadsarkiv,Ornvika Stadsarkiv,archive,SE,"),
        "{orgs}"
    );
    assert!(!orgs.contains("Q998000401"));

    let broken = write(
        t,
        "broken.json",
        "{\"head\": {\"vars\": [\"item\"]}, \"results\": {\"bindings\": [\n  {\"item\": 3}\n]}}",
    );
    let a = import(&broken, None, &t.join("x")).code(2);
    assert!(stderr(&a).contains("broken.json, line 2"), "{}", stderr(&a));
}

#[test]
fn the_dataset_is_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let ds = t.join("hub");
    std::fs::create_dir(&ds).unwrap();
    for f in ["organisations.csv", "relations.csv"] {
        std::fs::copy(Path::new(SAMPLE).join(f), ds.join(f)).unwrap();
    }
    let results = write(t, "glam.csv", &csv_of(&rows()));
    for into in [ds.clone(), ds.join("merged"), ds.join("sub/merged")] {
        let a = import(&results, Some(&ds), &into).code(1);
        assert!(
            stderr(&a).contains("partnernet never writes into a dataset"),
            "{}",
            stderr(&a)
        );
    }
    let mut entries: Vec<String> = std::fs::read_dir(&ds)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["organisations.csv", "relations.csv"]);
    // An existing folder with files is refused too.
    let a = import(&results, None, &ds).code(1);
    assert!(stderr(&a).contains("already exists"), "{}", stderr(&a));
}

#[test]
fn the_query_for_a_country() {
    let a = partnernet()
        .args(["import", "wikidata", "--query", "se"])
        .assert()
        .success();
    let q = stdout(&a);
    assert!(q.contains("?country wdt:P297 \"SE\""), "{q}");
    for column in [
        "?item",
        "?itemLabel",
        "AS ?countryCode",
        "AS ?types",
        "AS ?website",
        "AS ?commons",
        "AS ?coordinates",
        "AS ?aliases",
    ] {
        assert!(q.contains(column), "{column} missing from\n{q}");
    }
    assert!(q.contains("Sweden"));
    // The README shows this very query.
    let readme = read(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")));
    let indented: Vec<String> = q
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("   {l}")
            }
        })
        .collect();
    assert!(
        readme.contains(&indented.join("\n")),
        "README.md does not show the query of `--query SE`"
    );
    let a = partnernet()
        .args(["import", "wikidata", "--query", "Sweden"])
        .assert()
        .code(1);
    assert!(stderr(&a).contains("not an ISO 3166-1 alpha-2 country code"));
}

/// The shipped data/wikidata-sample.csv (made by `data/make_sample.py
/// --wikidata`) merged into the sample gives the shipped
/// data/sample-with-wikidata, byte for byte; analysed, its summary lists
/// cold leads with reasons.
#[test]
fn the_shipped_wikidata_sample_gives_the_shipped_merged_dataset() {
    let data = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
    let tmp = tempfile::tempdir().unwrap();
    let merged = tmp.path().join("merged");
    let a = import(
        &data.join("wikidata-sample.csv"),
        Some(&data.join("sample")),
        &merged,
    )
    .success();
    let out = stdout(&a);
    assert!(out.contains("Read 292 institutions"), "{out}");
    assert!(
        out.contains("3 already there by their Wikidata item, 5 found by name"),
        "{out}"
    );
    let shipped = data.join("sample-with-wikidata");
    for f in [
        "organisations.csv",
        "relations.csv",
        "interviews.csv",
        "lead-status.csv",
        "partnernet.toml",
    ] {
        assert!(
            read(&merged.join(f)) == read(&shipped.join(f)),
            "data/sample-with-wikidata/{f} is not what the import gives now; run `partnernet import wikidata data/wikidata-sample.csv --dataset data/sample --into data/sample-with-wikidata` (into an empty folder) again"
        );
    }
    let results = tmp.path().join("out");
    partnernet()
        .arg("analyse")
        .arg(&shipped)
        .arg("--out")
        .arg(&results)
        .arg("--exports")
        .arg("none")
        .assert()
        .success();
    let summary = read(&results.join("summary.md"));
    let section = &summary[summary.find("## Cold leads").expect("a cold leads section")..];
    assert!(
        section.contains("institutions in 9 regions have no relation with anyone yet"),
        "{section}"
    );
    let first = section.lines().find(|l| l.starts_with("1. ")).unwrap();
    assert!(
        first.contains("Nobody in the movement has a tie with it yet;")
            && first.contains(" works in ")
            && first.contains("Ask "),
        "{first}"
    );
}

#[test]
fn results_that_would_make_more_organisations_than_partnernet_reads_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut csv = String::from("item,itemLabel,countryCode,types\n");
    // With the sample's organisations, well beyond 1,500,000.
    for i in 0..1_500_000 {
        csv.push_str(&format!("{E}Q{},Museum {i},SE,Q33506\n", 10_000_000 + i));
    }
    let results = write(tmp.path(), "results.csv", &csv);
    let into = tmp.path().join("merged");
    let a = import(&results, Some(Path::new(SAMPLE)), &into);
    let err = stderr(&a);
    a.code(2);
    assert!(
        err.contains("results.csv: the results add 1500000 institutions")
            && err.contains("beyond the 1,500,000 organisations")
            && err.contains("nothing was written")
            && err.contains("--query"),
        "{err}"
    );
    assert!(!into.exists());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "only results.csv is left"
    );
}
