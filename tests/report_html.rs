//! `report.html` in a real browser: Debian's chromium driven by
//! playwright-core (tests/browser/drive.mjs; `.ci/run` installs both). The
//! page is loaded from a file:// address with every other request refused
//! and recorded. Set PARTNERNET_SHOTS to a folder to keep the screenshots.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{partnernet, TestDataset};
use serde_json::Value;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample");

/// Where the screenshots go: PARTNERNET_SHOTS/<name>, or a temporary folder.
fn shots(name: &str, keep: &tempfile::TempDir) -> PathBuf {
    let dir = match std::env::var_os("PARTNERNET_SHOTS") {
        Some(d) => PathBuf::from(d).join(name),
        None => keep.path().join(name),
    };
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Loads `html` in chromium and does what `plan` says (see drive.mjs);
/// returns what the page showed.
fn drive(html: &Path, shots: &Path, mut plan: Value) -> Value {
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser.join("node_modules/playwright-core").is_dir(),
        "playwright-core is missing: run `npm ci` in tests/browser (.ci/run does)"
    );
    plan["html"] = html.to_string_lossy().into();
    plan["shots"] = shots.to_string_lossy().into();
    let out = Command::new("node")
        .arg("drive.mjs")
        .arg(plan.to_string())
        .current_dir(&browser)
        .output()
        .expect("node runs (.ci/run installs it)");
    assert!(
        out.status.success(),
        "drive.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Value = serde_json::from_slice(&out.stdout).expect("drive.mjs prints JSON");
    assert!(seen.get("failure").is_none(), "{}", seen["failure"]);
    assert_eq!(
        seen["console_errors"],
        serde_json::json!([]),
        "console errors"
    );
    assert_eq!(seen["requests"], serde_json::json!([]), "requests made");
    assert_eq!(seen["dialogs"], 0, "a script in the data ran");
    seen
}

/// The centre of each organisation in a Graphviz SVG (`diagrams/network.svg`),
/// by name: the name is the node's tooltip up to its last ` (`, the centre
/// that of the node's first ellipse or polygon, in the SVG's own units
/// (points, before the graph's translation).
fn svg_centres(svg: &Path) -> Vec<(String, f64, f64)> {
    use quick_xml::events::Event;
    let text = std::fs::read_to_string(svg).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut out = Vec::new();
    let (mut in_node, mut name, mut centre) = (false, None::<String>, None::<(f64, f64)>);
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |key: &str| {
                    e.try_get_attribute(key)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                match e.name().as_ref() {
                    b"g" if attr("class").as_deref() == Some("node") => {
                        if let (Some(n), Some((x, y))) = (name.take(), centre.take()) {
                            out.push((n, x, y));
                        }
                        in_node = true;
                    }
                    b"g" if attr("class").is_some() => in_node = false,
                    b"a" if in_node && name.is_none() => {
                        let title = attr("xlink:title").unwrap();
                        let cut = title.rfind(" (").unwrap_or(title.len());
                        name = Some(title[..cut].to_string());
                    }
                    b"ellipse" if in_node && centre.is_none() => {
                        let num = |k: &str| attr(k).unwrap().parse::<f64>().unwrap();
                        centre = Some((num("cx"), num("cy")));
                    }
                    b"polygon" if in_node && centre.is_none() => {
                        let points: Vec<(f64, f64)> = attr("points")
                            .unwrap()
                            .split_whitespace()
                            .map(|p| {
                                let (x, y) = p.split_once(',').unwrap();
                                (x.parse().unwrap(), y.parse().unwrap())
                            })
                            .collect();
                        let (xs, ys): (Vec<f64>, Vec<f64>) = points.into_iter().unzip();
                        let mid = |v: &[f64]| {
                            (v.iter().cloned().fold(f64::INFINITY, f64::min)
                                + v.iter().cloned().fold(f64::NEG_INFINITY, f64::max))
                                / 2.0
                        };
                        centre = Some((mid(&xs), mid(&ys)));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if let (Some(n), Some((x, y))) = (name, centre) {
        out.push((n, x, y));
    }
    out
}

/// Asserts that the map draws every organisation where `network.svg` has it:
/// the same organisations, and each map position the picture's, scaled by
/// one factor and moved (matched by name, among the names drawn once).
/// Returns how many positions were compared.
fn assert_map_is_the_picture(seen: &Value, svg: &Path) -> usize {
    let centres = svg_centres(svg);
    let nodes: Vec<(String, f64, f64)> = seen["map_nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n[0].as_str().unwrap().to_string(),
                n[1].as_f64().unwrap(),
                n[2].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        nodes.len(),
        centres.len(),
        "the map draws the picture's organisations"
    );
    let mut map_names: Vec<&str> = nodes.iter().map(|n| n.0.as_str()).collect();
    let mut svg_names: Vec<&str> = centres.iter().map(|n| n.0.as_str()).collect();
    map_names.sort_unstable();
    svg_names.sort_unstable();
    assert_eq!(map_names, svg_names, "the same organisations");
    let once = |name: &str| map_names.iter().filter(|n| **n == name).count() == 1;
    // (picture x, picture y, map x, map y) of each organisation.
    let pairs: Vec<[f64; 4]> = nodes
        .iter()
        .filter(|n| once(&n.0))
        .map(|n| {
            let c = centres.iter().find(|c| c.0 == n.0).unwrap();
            [c.1, c.2, n.1, n.2]
        })
        .collect();
    assert!(
        pairs.len() * 10 >= nodes.len() * 9,
        "most names are drawn once"
    );
    // map = s * picture + (tx, ty): s from the spread, the shift from the means.
    let k = pairs.len() as f64;
    let mean = |i: usize| pairs.iter().map(|p| p[i]).sum::<f64>() / k;
    let (px, py, mx, my) = (mean(0), mean(1), mean(2), mean(3));
    let spread_p: f64 = pairs
        .iter()
        .map(|p| (p[0] - px).powi(2) + (p[1] - py).powi(2))
        .sum();
    let spread_m: f64 = pairs
        .iter()
        .map(|p| (p[2] - mx).powi(2) + (p[3] - my).powi(2))
        .sum();
    let scale = (spread_m / spread_p).sqrt();
    assert!(
        scale > 0.05,
        "the map is not squeezed into a dot: scale {scale}"
    );
    for &[x, y, u, v] in &pairs {
        let (ex, ey) = (mx + scale * (x - px), my + scale * (y - py));
        assert!(
            (ex - u).abs() < 1.0 && (ey - v).abs() < 1.0,
            "an organisation at ({u:.1}, {v:.1}) on the map, ({ex:.1}, {ey:.1}) in the picture"
        );
    }
    pairs.len()
}

fn analyse_sample(out: &Path) {
    partnernet()
        .arg("analyse")
        .arg(SAMPLE)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn the_page_is_one_file_that_asks_for_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyse_sample(&out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for outside in ["<link", " src=", "@import", "url(http", "<iframe"] {
        assert!(!html.contains(outside), "report.html holds {outside}");
    }
    // Three scripts: the data, cytoscape.js and the page's own.
    assert_eq!(html.matches("<script").count(), 3);
    assert_eq!(html.matches("</script>").count(), 3);
}

#[test]
fn sample_map_search_and_leads_table_work_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyse_sample(&out);
    let leads = common::read_csv(&out.join("leads.csv"));
    let region = "Western Europe";
    let in_region: Vec<&String> = leads
        .iter()
        .filter(|l| l["region"] == region)
        .map(|l| &l["id"])
        .collect();
    assert!(in_region.len() >= 2);
    let seen = drive(
        &out.join("report.html"),
        &shots("sample", &dir),
        serde_json::json!({"search": "WM Lyngsbaek", "region": region, "names": []}),
    );
    // Every organisation of the sample is drawn (313, under the diagrams' cap),
    // each where the network picture has it, and the note says so.
    assert_eq!(seen["drawn"], 313);
    assert!(assert_map_is_the_picture(&seen, &out.join("diagrams/network.svg")) > 250);
    assert!(
        seen["map_note"]
            .as_str()
            .unwrap()
            .contains("where the network picture (diagrams/network.svg) has them"),
        "{}",
        seen["map_note"]
    );
    // The alias opens the card of the organisation it belongs to.
    assert_eq!(seen["card_name"], "Wikimedia Lyngsbæk");
    assert!(seen["card_text"].as_str().unwrap().contains("wm-lyngsbaek"));
    // Every lead is in the table; one click sorts by score highest first,
    // the next lowest first.
    assert_eq!(seen["leads_rows"], leads.len());
    let scores = |k: &str| -> Vec<f64> {
        seen[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    };
    let down = scores("scores_after_one_click");
    let up = scores("scores_after_two_clicks");
    assert_eq!(down.len(), leads.len());
    assert!(down.windows(2).all(|w| w[0] >= w[1]), "{down:?}");
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "{up:?}");
    // The region filter shows that region's leads only, and the download
    // holds exactly those rows.
    let regions = seen["filtered_regions"].as_array().unwrap();
    assert_eq!(regions.len(), in_region.len());
    assert!(regions.iter().all(|r| r == region));
    let download = seen["download"].as_str().unwrap();
    assert!(
        download.starts_with('\u{feff}'),
        "a byte-order mark for Excel"
    );
    let mut reader = csv::Reader::from_reader(download.trim_start_matches('\u{feff}').as_bytes());
    let mut ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    ids.sort();
    let mut expected: Vec<String> = in_region.into_iter().cloned().collect();
    expected.sort();
    assert_eq!(ids, expected);
}

#[test]
fn hostile_names_show_as_text_and_run_nothing() {
    let names = [
        "<img src=x onerror=alert(1)>",
        "</script><script>window.pwned=true;alert(2)</script>",
        "\"><svg onload=alert(3)>",
        "Musée & <b>Co</b>",
    ];
    let mut orgs = String::from("id,name,kind,country,region,wikidata,aliases,digitisation\n");
    orgs.push_str("wm-a,Wikimedia Alpha,affiliate,SE,,,,\n");
    let mut relations = String::from("source,target,kind,date,interview,weight,note\n");
    for (k, n) in names.iter().enumerate() {
        let quoted = format!("\"{}\"", n.replace('"', "\"\""));
        orgs.push_str(&format!("h{k},{quoted},museum,SE,,,,\n"));
        relations.push_str(&format!("wm-a,h{k},referral,2024-01-0{},,,\n", k + 1));
    }
    relations.push_str("h0,h1,partner,,,,\n");
    let ds = TestDataset::new(&[
        ("organisations.csv", orgs.as_bytes()),
        ("relations.csv", relations.as_bytes()),
    ]);
    ds.analyse().success();
    let html = std::fs::read_to_string(ds.out().join("report.html")).unwrap();
    assert_eq!(html.matches("<script").count(), 3, "a name opened a script");
    assert!(!html.contains("<img"));
    assert!(!html.contains("<svg onload"));
    let keep = tempfile::tempdir().unwrap();
    let seen = drive(
        &ds.out().join("report.html"),
        &shots("hostile", &keep),
        serde_json::json!({"names": names}),
    );
    assert_eq!(
        seen["names"],
        serde_json::json!(names),
        "cards show names as written"
    );
    assert_eq!(seen["images"], 0, "no element was made from a name");
    assert_eq!(seen["injected"], false);
    assert_eq!(seen["drawn"], 5);
}

#[test]
fn five_thousand_organisations_draw_the_most_central_where_the_picture_has_them() {
    let ds = TestDataset::generated(5_000);
    ds.analyse().success();
    let html = std::fs::read_to_string(ds.out().join("report.html")).unwrap();
    assert!(html.contains("the most central ones, as in the diagrams"));
    let keep = tempfile::tempdir().unwrap();
    let first = common::read_csv(&ds.out().join("leads.csv"));
    let seen = drive(
        &ds.out().join("report.html"),
        &shots("5k", &keep),
        serde_json::json!({"search": first[0]["id"], "names": []}),
    );
    // The diagrams' cap: the 500 most central organisations, where the
    // network picture has them.
    assert_eq!(seen["drawn"], 500);
    assert!(assert_map_is_the_picture(&seen, &ds.out().join("diagrams/network.svg")) > 450);
    // Search covers everyone, drawn or not.
    assert_eq!(seen["card_name"].as_str(), Some(first[0]["name"].as_str()));
    assert_eq!(seen["leads_rows"], first.len().min(1000));
    // How fast it draws is measured by benches/report_draw.py, not here.
}

#[test]
fn without_graphviz_the_map_lays_itself_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let empty = tempfile::tempdir().unwrap();
    partnernet()
        .env("PATH", empty.path())
        .arg("analyse")
        .arg(SAMPLE)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let seen = drive(
        &out.join("report.html"),
        &shots("without-graphviz", &dir),
        serde_json::json!({"names": []}),
    );
    assert_eq!(seen["drawn"], 313);
    let note = seen["map_note"].as_str().unwrap();
    assert!(note.contains("laid out in your browser"), "{note}");
    assert!(!note.contains("network picture"), "{note}");
    // Laid out, not piled up: the organisations are spread over the map.
    let xs: Vec<f64> = seen["map_nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n[1].as_f64().unwrap())
        .collect();
    let wide = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
        - xs.iter().cloned().fold(f64::INFINITY, f64::min);
    assert!(wide > 300.0, "the map spans {wide} pixels");
}

#[test]
fn csv_files_start_with_a_byte_order_mark_for_excel() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    analyse_sample(&out);
    let leads = std::fs::read(out.join("leads.csv")).unwrap();
    assert!(leads.starts_with(b"\xEF\xBB\xBFrank,id,name"));
    // Accented names are UTF-8 after it.
    assert!(String::from_utf8(leads).unwrap().contains("Lusvéria"));
    assert!(std::fs::read(out.join("ties.csv"))
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF"));
}

/// The summary's sentences agree with their counts: a network of one tie,
/// one cut point and one unknown name reads "1 tie", "1 name matches", never
/// "1 ties" or "1 names match".
#[test]
fn counts_of_one_are_written_in_the_singular() {
    let ds = TestDataset::new(&[
        (
            "organisations.csv",
            b"id,name,kind,country\nwm-a,Wikimedia Alpha,affiliate,SE\nm1,Museum One,museum,SE\n",
        ),
        (
            "relations.csv",
            b"source,target,kind\nwm-a,m1,partner\nwm-a,Archive Nobody Listed,partner\n",
        ),
    ]);
    ds.analyse().success();
    let html = std::fs::read_to_string(ds.out().join("report.html")).unwrap();
    let summary = html
        .split("<section id=\"story\">")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the page has its summary");
    for singular in [
        "connected part;",
        "1 name matches no organisation",
        "1 organisation is a <dfn id=\"m-cut-point\">cut point</dfn>: without it,",
        "(1 affiliate or hub, 2 institutions)",
    ] {
        assert!(
            summary.contains(singular),
            "the summary should say {singular:?}:\n{summary}"
        );
    }
    for wrong in [
        "1 names",
        "1 ties",
        "1 regions",
        "1 clusters",
        "1 organisations",
    ] {
        assert!(
            !summary.contains(wrong),
            "the summary says {wrong:?}:\n{summary}"
        );
    }
    assert!(summary.contains("3 organisations"), "{summary}");
    assert!(summary.contains("2 ties"), "{summary}");
}
