//! `report.html`: the front page of a run, one self-contained file that opens
//! by double-click in any current browser with no network.
//!
//! The page is written with the [minijinja] template
//! `templates/report.html` (HTML escaping on). Everything the page shows
//! about organisations goes in as one JSON block
//! (`<script type="application/json">`) in which `<`, `>`, `&` and the two
//! JavaScript line separators are written as `\u003c`-style escapes, so no
//! name can end the block; the page's script puts every name on the page as
//! text (`textContent`), never as markup. The network map is drawn by the
//! vendored cytoscape.js (`assets/vendor/`, MIT; `refresh.sh` there updates
//! it), built into partnernet so the build needs neither the network nor
//! Node.js. A Content-Security-Policy forbids every request: scripts run only
//! when their SHA-256 hash is listed, pictures only from `data:` addresses.
//!
//! The map draws the network diagram's organisations
//! ([`crate::analysis::views::Views::network`]: every organisation up to
//! [`crate::analysis::views::NETWORK_CAP`], the most central above), each
//! where Graphviz put it in `diagrams/network` ([`Report::network_layout`],
//! made by `analyse`'s `layout` stage), so that the map and the picture
//! match; without Graphviz the map is laid out in the browser. The search,
//! the cards and the tables cover every organisation up to
//! [`ORGANISATIONS_UP_TO`], and above that the ones any table or the map
//! names.

use std::path::Path;

use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Output;
use crate::analysis::brokers::BetweennessMethod;
use crate::model::{OrgKind, RelationKind};
use crate::report::Report;
use crate::text::thousands;

/// `report.html`.
pub struct ReportHtml;

/// Organisations the page holds in full; above this it holds the ones the
/// map, the tables and the lists name, so the page stays a few megabytes.
pub const ORGANISATIONS_UP_TO: usize = 20_000;
/// Leads listed in the page's table (all of them are in `leads.csv`).
pub const LEADS_UP_TO: usize = 5_000;
/// Brokers listed in the page's table.
pub const BROKERS_UP_TO: usize = 200;
/// Bridges and cut points listed.
pub const CUTS_UP_TO: usize = 200;
/// Opportunities listed.
pub const OPPORTUNITIES_UP_TO: usize = 1_000;
/// Lines of each data-quality list.
pub const QUALITY_UP_TO: usize = 500;

const TEMPLATE: &str = include_str!("templates/report.html");
const SCRIPT: &str = include_str!("assets/report.js");
const STYLE: &str = include_str!("assets/report.css");
const CYTOSCAPE: &str = include_str!("assets/vendor/cytoscape.min.js");
/// The vendored cytoscape.js's version, from `assets/vendor/VERSIONS`.
const CYTOSCAPE_VERSIONS: &str = include_str!("assets/vendor/VERSIONS");

/// The cluster colours, as in the diagrams.
pub use super::diagrams::PALETTE;

/// One organisation, as the page's script reads it.
#[derive(Serialize)]
struct Org<'a> {
    /// Index into the page's organisations.
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    region: &'a str,
    country: Option<&'a str>,
    wikidata: Option<&'a str>,
    aliases: &'a [String],
    /// Cluster number, `null` when not clustered.
    cluster: Option<u32>,
    confidence: f64,
    betweenness: f64,
    participation: f64,
    /// How many organisations lose their connection without it.
    cut_off: Option<u32>,
    /// Partners (active), past partners and every other tie, as indices
    /// into the page's organisations with the relation kinds.
    ties: Vec<(usize, Vec<&'static str>)>,
    /// Index into the page's leads.
    lead: Option<usize>,
}

#[derive(Serialize)]
struct Lead<'a> {
    org: usize,
    rank: usize,
    score: f64,
    parts: [f64; 7],
    lead_type: &'static str,
    status: String,
    owner: Option<&'a str>,
    referrals: usize,
    referred_by: Vec<(usize, usize)>,
    desired_by: Vec<usize>,
    former_partners: Vec<usize>,
    introducer: Option<usize>,
    path: Vec<usize>,
    path_text: &'a str,
    reason: &'a str,
    last_mentioned: Option<String>,
}

#[derive(Serialize)]
struct Cluster<'a> {
    id: u32,
    label: &'a str,
    region: &'a str,
    size: usize,
    affiliates: usize,
    institutions: usize,
    density: f64,
    modularity: f64,
    mean_confidence: f64,
    colour: &'static str,
}

#[derive(Serialize)]
struct Cut {
    /// The organisation (cut point) or the tie's two ends (bridge).
    orgs: Vec<usize>,
    /// For a bridge, the end on the cut-off side.
    cut_off_end: Option<usize>,
    size: u32,
    regions: Vec<(String, usize)>,
}

#[derive(Serialize)]
struct Opportunity<'a> {
    a: usize,
    b: usize,
    kind: &'static str,
    score: f64,
    tag: Option<&'a str>,
    distance: Option<u32>,
    reason: &'a str,
}

#[derive(Serialize)]
struct Map {
    /// The organisations drawn, most central first.
    nodes: Vec<usize>,
    ties: Vec<(usize, usize, Vec<&'static str>)>,
    wishes: Vec<(usize, usize)>,
    bridges: Vec<(usize, usize)>,
    labelled: Vec<usize>,
    left_out: usize,
    /// Where the network diagram has each of `nodes`, in the same order:
    /// points from the picture's top left corner, rounded to 0.01 pt.
    /// `None` when Graphviz did not lay it out (the page then lays the map
    /// out itself).
    positions: Option<Vec<(f64, f64)>>,
}

#[derive(Serialize)]
struct Quality {
    unresolved: Vec<(String, usize, usize, Vec<String>)>,
    near_duplicates: Vec<(usize, usize, &'static str, f64, bool)>,
    without_relations: Vec<usize>,
    silent_interviews: Vec<String>,
    totals: [usize; 4],
}

#[derive(Serialize)]
struct Data<'a> {
    orgs: Vec<Org<'a>>,
    /// How many organisations the dataset holds (the page may hold fewer).
    organisations: usize,
    leads: Vec<Lead<'a>>,
    leads_total: usize,
    clusters: Vec<Cluster<'a>>,
    brokers: Vec<usize>,
    bridges: Vec<Cut>,
    bridges_total: usize,
    cut_points: Vec<Cut>,
    cut_points_total: usize,
    opportunities: Vec<Opportunity<'a>>,
    opportunities_total: usize,
    quality: Quality,
    map: Map,
    score_parts: [&'static str; 7],
    kinds: Vec<&'static str>,
    relation_kinds: Vec<&'static str>,
    palette: &'static [&'static str],
}

/// A relation-kind name list of a tie.
fn kinds(kinds: crate::model::KindSet) -> Vec<&'static str> {
    kinds.iter().map(RelationKind::as_str).collect()
}

/// Which organisations the page holds: all of them up to
/// [`ORGANISATIONS_UP_TO`], otherwise those named anywhere on it. Returns
/// each organisation's place on the page.
fn kept(report: &Report) -> (Vec<Option<usize>>, Vec<u32>) {
    let n = report.model.orgs().len();
    if n <= ORGANISATIONS_UP_TO {
        return ((0..n).map(Some).collect(), (0..n as u32).collect());
    }
    let mut keep = vec![false; n];
    let mut mark = |v: u32| keep[v as usize] = true;
    report.views.network.nodes.iter().for_each(|&v| mark(v));
    for l in report.leads.leads.iter().take(LEADS_UP_TO) {
        mark(l.organisation);
        l.referred_by.iter().for_each(|&(v, _)| mark(v));
        l.desired_by.iter().for_each(|&v| mark(v));
        l.former_partners.iter().for_each(|&v| mark(v));
        l.path.iter().for_each(|&v| mark(v));
    }
    report
        .brokers
        .ranking
        .iter()
        .take(BROKERS_UP_TO)
        .for_each(|&v| mark(v));
    for b in report.brokers.bridges.iter().take(CUTS_UP_TO) {
        mark(b.source);
        mark(b.target);
    }
    for a in report.brokers.articulation_points.iter().take(CUTS_UP_TO) {
        mark(a.organisation);
    }
    for o in report.opportunities.list.iter().take(OPPORTUNITIES_UP_TO) {
        mark(o.a);
        mark(o.b);
    }
    let dq = &report.data_quality;
    for d in dq.near_duplicates.iter().take(QUALITY_UP_TO) {
        mark(d.a);
        mark(d.b);
    }
    dq.without_relations
        .iter()
        .take(QUALITY_UP_TO)
        .for_each(|&v| mark(v));
    for (o, k) in report.model.orgs().iter().enumerate() {
        if k.kind.is_movement() {
            mark(o as u32);
        }
    }
    let mut place = vec![None; n];
    let mut list = Vec::new();
    for (v, k) in keep.iter().enumerate() {
        if *k {
            place[v] = Some(list.len());
            list.push(v as u32);
        }
    }
    (place, list)
}

/// Everything the page's script reads.
/// The regions a cut-off part lists, as the page's data holds them.
fn listed_regions(cut: &crate::analysis::brokers::CutOff) -> Vec<(String, usize)> {
    cut.regions
        .iter()
        .map(|(r, k)| (r.to_string(), *k as usize))
        .collect()
}

fn data(report: &Report) -> Data<'_> {
    let model = &report.model;
    let orgs = model.orgs();
    let (place, list) = kept(report);
    let at = |v: u32| place[v as usize].expect("every organisation named is kept");
    let mut lead_of = vec![None; orgs.len()];
    let leads: Vec<Lead> = report
        .leads
        .leads
        .iter()
        .take(LEADS_UP_TO)
        .enumerate()
        .map(|(i, l)| {
            lead_of[l.organisation as usize] = Some(i);
            let status = l.status.map(|s| &model.dataset.lead_status[s]);
            Lead {
                org: at(l.organisation),
                rank: i + 1,
                score: l.score,
                parts: l.parts.values(),
                lead_type: l.lead_type.as_str(),
                status: status
                    .map(|s| s.status.to_string())
                    .unwrap_or_else(|| "new".to_string()),
                owner: status.and_then(|s| s.owner.as_deref()),
                referrals: l.referrals,
                referred_by: l.referred_by.iter().map(|&(v, k)| (at(v), k)).collect(),
                desired_by: l.desired_by.iter().map(|&v| at(v)).collect(),
                former_partners: l.former_partners.iter().map(|&v| at(v)).collect(),
                introducer: l.introducer.map(at),
                path: l.path.iter().map(|&v| at(v)).collect(),
                path_text: &l.path_text,
                reason: &l.reason,
                last_mentioned: l.last_mentioned.map(|d| d.to_string()),
            }
        })
        .collect();
    let brokers = &report.brokers;
    let clustering = &report.clusters;
    let page_orgs = list
        .iter()
        .map(|&v| {
            let o = &orgs[v as usize];
            let vi = v as usize;
            let ties = model
                .ties
                .graph
                .edges(petgraph::graph::NodeIndex::new(vi))
                .filter_map(|e| {
                    use petgraph::visit::EdgeRef;
                    let other = if e.source().index() == vi {
                        e.target().index()
                    } else {
                        e.source().index()
                    };
                    place[other].map(|p| (p, kinds(e.weight().kinds)))
                })
                .collect();
            Org {
                id: &o.id,
                name: &o.name,
                kind: o.kind.as_str(),
                region: o.region_or_none(),
                country: o.country.as_deref(),
                wikidata: o.wikidata.as_deref(),
                aliases: &o.aliases,
                cluster: clustering.cluster.get(vi).copied().flatten(),
                confidence: clustering.confidence.get(vi).copied().unwrap_or(f64::NAN),
                betweenness: brokers.betweenness.get(vi).copied().unwrap_or(f64::NAN),
                participation: brokers.participation.get(vi).copied().unwrap_or(f64::NAN),
                cut_off: brokers
                    .articulation_index
                    .get(vi)
                    .copied()
                    .flatten()
                    .map(|a| brokers.articulation_points[a as usize].cut_off.size),
                ties,
                lead: lead_of[vi],
            }
        })
        .collect();
    let clusters = clustering
        .clusters
        .iter()
        .map(|c| {
            let conf: Vec<f64> = c
                .members
                .iter()
                .map(|&v| clustering.confidence[v as usize])
                .filter(|x| x.is_finite())
                .collect();
            Cluster {
                id: c.id,
                label: &c.label,
                region: &c.region,
                size: c.members.len(),
                affiliates: c.affiliates,
                institutions: c.institutions,
                density: c.density,
                modularity: c.modularity,
                mean_confidence: if conf.is_empty() {
                    f64::NAN
                } else {
                    conf.iter().sum::<f64>() / conf.len() as f64
                },
                colour: PALETTE[c.id as usize % PALETTE.len()],
            }
        })
        .collect();
    let view = &report.views.network;
    let tie_kinds = |a: u32, b: u32| {
        model
            .ties
            .graph
            .find_edge(
                petgraph::graph::NodeIndex::new(a as usize),
                petgraph::graph::NodeIndex::new(b as usize),
            )
            .map(|e| kinds(model.ties.graph[e].kinds))
            .unwrap_or_default()
    };
    let dq = &report.data_quality;
    let dataset = &model.dataset;
    Data {
        organisations: orgs.len(),
        orgs: page_orgs,
        leads_total: report.leads.leads.len(),
        leads,
        clusters,
        brokers: brokers
            .ranking
            .iter()
            .take(BROKERS_UP_TO)
            .map(|&v| at(v))
            .collect(),
        bridges: brokers
            .bridges
            .iter()
            .filter(|b| b.cut_off.size >= 2)
            .take(CUTS_UP_TO)
            .map(|b| Cut {
                orgs: vec![at(b.source), at(b.target)],
                cut_off_end: Some(at(b.cut_off_end)),
                size: b.cut_off.size,
                regions: listed_regions(&b.cut_off),
            })
            .collect(),
        bridges_total: brokers.bridges.len(),
        cut_points: brokers
            .articulation_points
            .iter()
            .take(CUTS_UP_TO)
            .map(|a| Cut {
                orgs: vec![at(a.organisation)],
                cut_off_end: None,
                size: a.cut_off.size,
                regions: listed_regions(&a.cut_off),
            })
            .collect(),
        cut_points_total: brokers.articulation_points.len(),
        opportunities: report
            .opportunities
            .list
            .iter()
            .take(OPPORTUNITIES_UP_TO)
            .map(|o| Opportunity {
                a: at(o.a),
                b: at(o.b),
                kind: o.kind.as_str(),
                score: o.score,
                tag: o.tag.as_deref(),
                distance: o.distance,
                reason: &o.reason,
            })
            .collect(),
        opportunities_total: report.opportunities.list.len(),
        quality: Quality {
            unresolved: dataset
                .unresolved
                .iter()
                .take(QUALITY_UP_TO)
                .map(|u| {
                    (
                        u.name.clone(),
                        u.uses,
                        u.first.line as usize,
                        u.suggestions.clone(),
                    )
                })
                .collect(),
            near_duplicates: dq
                .near_duplicates
                .iter()
                .take(QUALITY_UP_TO)
                .map(|d| {
                    (
                        at(d.a),
                        at(d.b),
                        match d.likeness {
                            crate::analysis::data_quality::Likeness::SameName => "same name",
                            crate::analysis::data_quality::Likeness::SimilarName => "similar name",
                            crate::analysis::data_quality::Likeness::SameWikidata => {
                                "same Wikidata item"
                            }
                        },
                        d.similarity,
                        d.different_kinds,
                    )
                })
                .collect(),
            without_relations: dq
                .without_relations
                .iter()
                .take(QUALITY_UP_TO)
                .map(|&v| at(v))
                .collect(),
            silent_interviews: dq
                .silent_interviews
                .iter()
                .take(QUALITY_UP_TO)
                .filter_map(|&i| dataset.interviews.get(i).map(|x| x.id.clone()))
                .collect(),
            totals: [
                dataset.unresolved.len(),
                dq.near_duplicates.len(),
                dq.without_relations.len(),
                dq.silent_interviews.len(),
            ],
        },
        map: Map {
            nodes: view.nodes.iter().map(|&v| at(v)).collect(),
            ties: view
                .ties
                .iter()
                .map(|&(a, b)| (at(a), at(b), tie_kinds(a, b)))
                .collect(),
            wishes: view.wishes.iter().map(|&(a, b)| (at(a), at(b))).collect(),
            bridges: view.bridges.iter().map(|&(a, b)| (at(a), at(b))).collect(),
            labelled: view.labelled.iter().map(|&v| at(v)).collect(),
            left_out: view.left_out,
            positions: diagram_positions(report),
        },
        score_parts: crate::analysis::leads::ScoreParts::NAMES,
        kinds: OrgKind::ALL.iter().map(|k| k.as_str()).collect(),
        relation_kinds: RelationKind::ALL.iter().map(|k| k.as_str()).collect(),
        palette: &PALETTE,
    }
}

/// Where the network diagram has each organisation the map draws, in the
/// map's order, when the layout holds every one of them.
fn diagram_positions(report: &Report) -> Option<Vec<(f64, f64)>> {
    let layout = report.network_layout.as_ref()?;
    let nodes = &report.views.network.nodes;
    let complete = layout.positions.len() == nodes.len()
        && layout.positions.iter().zip(nodes).all(|(p, v)| p.0 == *v);
    let round = |x: f64| (x * 100.0).round() / 100.0;
    complete.then(|| {
        layout
            .positions
            .iter()
            .map(|&(_, x, y)| (round(x), round(y)))
            .collect()
    })
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` (and the
/// line separators U+2028 and U+2029) as `\u` escapes, which JSON reads back
/// as the same characters.
///
/// ```
/// use partnernet::output::report_html::script_json;
/// let json = script_json(&serde_json::json!({"name": "</script><b>&"})).unwrap();
/// assert_eq!(json, r#"{"name":"\u003c/script\u003e\u003cb\u003e\u0026"}"#);
/// assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap()["name"], "</script><b>&");
/// ```
pub fn script_json<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = ScriptSafe::new(Vec::new());
    serde_json::to_writer(&mut out, value)?;
    let bytes = out.finish().map_err(serde_json::Error::io)?;
    Ok(String::from_utf8(bytes).expect("serde_json writes UTF-8 and the escapes are ASCII"))
}

/// A writer of JSON text that passes it on with `<`, `>`, `&`, U+2028 and
/// U+2029 written as `\u` escapes (see [`script_json`]), so that a page's
/// data can be written straight into the page's file, without a copy of it
/// in memory. Valid only for JSON text, where these characters occur only
/// inside strings. [`ScriptSafe::finish`] gives the inner writer back.
pub struct ScriptSafe<W: std::io::Write> {
    inner: W,
    /// The first bytes of a UTF-8 line separator (E2 80) left at the end of
    /// the last write, waiting for the byte that says which it is.
    held: Vec<u8>,
}

impl<W: std::io::Write> ScriptSafe<W> {
    pub fn new(inner: W) -> Self {
        ScriptSafe {
            inner,
            held: Vec::new(),
        }
    }

    /// Writes out what is held and returns the inner writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        let held = std::mem::take(&mut self.held);
        self.inner.write_all(&held)?;
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.held);
        bytes.extend_from_slice(buf);
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let escape: Option<&[u8]> = match bytes[i] {
                b'<' => Some(b"\\u003c"),
                b'>' => Some(b"\\u003e"),
                b'&' => Some(b"\\u0026"),
                0xE2 if bytes.len() - i < 3 && bytes[i + 1..].iter().all(|&b| b == 0x80) => {
                    // Perhaps a line separator cut in two: wait for the rest.
                    self.inner.write_all(&bytes[start..i])?;
                    self.held = bytes[i..].to_vec();
                    return Ok(buf.len());
                }
                0xE2 if bytes[i + 1..].starts_with(&[0x80, 0xA8]) => Some(b"\\u2028"),
                0xE2 if bytes[i + 1..].starts_with(&[0x80, 0xA9]) => Some(b"\\u2029"),
                _ => None,
            };
            if let Some(escape) = escape {
                self.inner.write_all(&bytes[start..i])?;
                self.inner.write_all(escape)?;
                i += if bytes[i] == 0xE2 { 3 } else { 1 };
                start = i;
            } else {
                i += 1;
            }
        }
        self.inner.write_all(&bytes[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The Content-Security-Policy source of an inline script: its SHA-256 in
/// base64.
/// The template's `plural` filter: `{{ n|plural("tie", "ties") }}` is `one`
/// when the count `n` (a number, or a number as [`thousands`] writes it) is
/// 1, `many` otherwise.
fn plural(n: minijinja::Value, one: String, many: String) -> String {
    if n.to_string() == "1" {
        one
    } else {
        many
    }
}

fn script_hash(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Cold leads shown per group (region and affiliate) in the page; all of
/// them are in `cold-leads.csv`.
const COLD_LEADS_PER_GROUP: usize = 10;
/// Groups of cold leads shown in the page.
const COLD_GROUPS_UP_TO: usize = 60;

/// One row of a cold leads table.
struct ColdRow {
    name: String,
    kind: &'static str,
    country: String,
    score: String,
    reason: String,
}

/// The cold leads of one region and affiliate.
struct ColdGroup {
    region: String,
    affiliate: String,
    ties: usize,
    count: usize,
    rows: Vec<ColdRow>,
}

/// The cold leads, grouped as `cold-leads.csv` orders them.
fn cold_groups(report: &Report) -> Vec<ColdGroup> {
    let orgs = report.model.orgs();
    let mut groups: Vec<ColdGroup> = Vec::new();
    let mut last: Option<(&str, u32)> = None;
    for l in &report.cold_leads.leads {
        let o = &orgs[l.organisation as usize];
        let key = (o.region_or_none(), l.affiliate);
        if last != Some(key) {
            if groups.len() == COLD_GROUPS_UP_TO {
                break;
            }
            last = Some(key);
            groups.push(ColdGroup {
                region: key.0.to_string(),
                affiliate: orgs[l.affiliate as usize].name.clone(),
                ties: l.activity,
                count: 0,
                rows: Vec::new(),
            });
        }
        let g = groups.last_mut().expect("a group");
        g.count += 1;
        if g.rows.len() < COLD_LEADS_PER_GROUP {
            g.rows.push(ColdRow {
                name: o.name.clone(),
                kind: o.kind.as_str(),
                country: o.country.clone().unwrap_or_default(),
                score: format!("{:.2}", l.score),
                reason: l.reason.clone(),
            });
        }
    }
    groups
}

/// The groups as template values.
fn cold_values(groups: &[ColdGroup]) -> Vec<minijinja::Value> {
    use minijinja::Value;
    use std::collections::BTreeMap;
    groups
        .iter()
        .map(|g| {
            let rows: Vec<Value> = g
                .rows
                .iter()
                .map(|r| {
                    let m: BTreeMap<&str, Value> = [
                        ("name", Value::from(r.name.as_str())),
                        ("kind", Value::from(r.kind)),
                        ("country", Value::from(r.country.as_str())),
                        ("score", Value::from(r.score.as_str())),
                        ("reason", Value::from(r.reason.as_str())),
                    ]
                    .into_iter()
                    .collect();
                    Value::from(m)
                })
                .collect();
            let m: BTreeMap<&str, Value> = [
                ("region", Value::from(g.region.as_str())),
                ("affiliate", Value::from(g.affiliate.as_str())),
                ("ties", Value::from(g.ties)),
                ("count", Value::from(g.count)),
                ("rows", Value::from(rows)),
            ]
            .into_iter()
            .collect();
            Value::from(m)
        })
        .collect()
}

/// The "What changed" section (`analyse --since`), when the report has it,
/// as the template reads it: `old_name`, `new_name`, `nothing`, `counts`
/// (label, before, after) and `sections`, each of one kind of change with
/// its `heading`, `count`, the first [`super::changes_md::SHOWN`] `rows`
/// (organisation, other, region, before, after, why) and how many `more`
/// are in `changes.csv`.
fn changes_view(report: &Report) -> Option<minijinja::Value> {
    use crate::analysis::changes::ChangeKind;
    use minijinja::Value;
    let c = report.changes.as_ref()?;
    let shown = super::changes_md::SHOWN;
    let counts: Vec<Vec<String>> = c
        .counts
        .iter()
        .map(|n| vec![n.label.clone(), n.old.clone(), n.new.clone()])
        .collect();
    let sections: Vec<Value> = ChangeKind::ALL
        .iter()
        .map(|&k| (k, c.of_kind(k).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| {
            let rows: Vec<Vec<String>> = c
                .of_kind(k)
                .take(shown)
                .map(|x| {
                    vec![
                        x.organisation.clone(),
                        x.other.clone(),
                        x.region.clone(),
                        x.old.clone(),
                        x.new.clone(),
                        x.reason.clone(),
                    ]
                })
                .collect();
            Value::from_pairs([
                ("heading", Value::from(k.heading())),
                ("count", Value::from(n)),
                ("rows", Value::from(rows)),
                ("more", Value::from(n.saturating_sub(shown))),
            ])
        })
        .collect();
    Some(Value::from_pairs([
        ("old_name", Value::from(c.old_name.clone())),
        ("new_name", Value::from(c.new_name.clone())),
        ("nothing", Value::from(c.nothing_changed())),
        ("counts", Value::from(counts)),
        ("sections", Value::from(sections)),
    ]))
}

/// The page's HTML.
pub fn render(report: &Report) -> anyhow::Result<String> {
    let mut page = Vec::new();
    render_to(report, &mut page)?;
    Ok(String::from_utf8(page)?)
}

/// Writes the page's HTML to `out`, its data serialised straight into it
/// (at a million organisations the data's JSON is hundreds of megabytes,
/// which are then not held in memory twice).
pub fn render_to(report: &Report, out: &mut impl std::io::Write) -> anyhow::Result<()> {
    let data = data(report);
    // The scripts end at the first `</script`: a library that held one would
    // be cut short.
    for (name, text) in [("cytoscape.js", CYTOSCAPE), ("report.js", SCRIPT)] {
        anyhow::ensure!(
            !text.to_ascii_lowercase().contains("</script"),
            "{name} holds `</script` and cannot be put inside report.html"
        );
    }
    let overview = &report.overview;
    let clustering = &report.clusters;
    let components = &report.components;
    let largest = components.sizes.iter().copied().max().unwrap_or(0);
    let isolated = components.isolated().count();
    let view = &report.views.network;
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_filter("plural", plural);
    env.add_template("report.html", TEMPLATE)?;
    let template = env.get_template("report.html")?;
    let brokers = &report.brokers;
    let top_broker = brokers.ranking.first().map(|&v| {
        let o = &report.model.orgs()[v as usize];
        (o.name.clone(), brokers.betweenness[v as usize] * 100.0)
    });
    let cold = cold_groups(report);
    let html = template.render(minijinja::context! {
        dataset => report.model.dataset.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        organisations => thousands(overview.organisations),
        movement => thousands(overview.movement),
        institutions => thousands(overview.institutions),
        relations => thousands(overview.relations),
        ties => thousands(overview.ties),
        interviews => thousands(overview.interviews),
        regions => overview.by_region.len(),
        components => thousands(components.count()),
        largest => thousands(largest),
        largest_share => if overview.organisations > 0 { format!("{:.0}", 100.0 * largest as f64 / overview.organisations as f64) } else { "0".to_string() },
        isolated => thousands(isolated),
        clusters => thousands(clustering.clusters.len()),
        modularity => format!("{:.3}", clustering.modularity),
        runs => clustering.runs,
        bridges => thousands(brokers.bridges.len()),
        bridges_wide => thousands(brokers.bridges.iter().filter(|b| b.cut_off.size >= 2).count()),
        cut_points => thousands(brokers.articulation_points.len()),
        betweenness_method => match brokers.method {
            BetweennessMethod::Exact => "exact".to_string(),
            BetweennessMethod::Sampled { pivots } => format!("estimated from {} sampled organisations", thousands(pivots)),
        },
        top_broker => top_broker.as_ref().map(|(n, _)| n.clone()),
        top_broker_share => top_broker.as_ref().map(|(_, s)| format!("{s:.1}")),
        leads => thousands(report.leads.leads.len()),
        leads_shown => thousands(report.leads.leads.len().min(LEADS_UP_TO)),
        leads_capped => report.leads.leads.len() > LEADS_UP_TO,
        top_lead => report.leads.leads.first().map(|l| report.model.orgs()[l.organisation as usize].name.clone()),
        opportunities => thousands(report.opportunities.list.len()),
        cold_leads => thousands(report.cold_leads.leads.len()),
        cold_leads_commons => thousands(report.cold_leads.leads.iter().filter(|l| l.commons.is_some()).count()),
        cold_leads_commons_n => report.cold_leads.leads.iter().filter(|l| l.commons.is_some()).count(),
        cold_leads_capped => cold.iter().any(|g| g.count > g.rows.len()) || cold.iter().map(|g| g.count).sum::<usize>() < report.cold_leads.leads.len(),
        cold_leads_shown => COLD_LEADS_PER_GROUP,
        cold_groups => cold_values(&cold),
        drawn => thousands(view.nodes.len()),
        left_out => thousands(view.left_out),
        network_picture => diagram_positions(report).and_then(|_| {
            let layout = report.network_layout.as_ref()?;
            let (format, _) = layout.pictures.first()?;
            Some(format!("diagrams/network.{format}"))
        }),
        orgs_capped => overview.organisations > ORGANISATIONS_UP_TO,
        orgs_up_to => thousands(ORGANISATIONS_UP_TO),
        unresolved => thousands(report.model.dataset.unresolved.len()),
        cytoscape_version => CYTOSCAPE_VERSIONS.trim(),
        script_hashes => format!("{} {}", script_hash(CYTOSCAPE), script_hash(SCRIPT)),
        style => STYLE,
        changes => changes_view(report),
    })?;
    // The code and the data go in after the template ran, so that the
    // template engine never sees (or escapes) them. The markers are the last
    // ones in the page, after anything taken from the data: each is looked
    // for from the end, in what comes before the one after it.
    let mut rest = html.as_str();
    let mut tail = Vec::new();
    for (marker, text) in [
        ("/*SCRIPT*/", Some(SCRIPT)),
        ("/*CYTOSCAPE*/", Some(CYTOSCAPE)),
        ("/*DATA*/", None),
    ] {
        let at = rest
            .rfind(marker)
            .ok_or_else(|| anyhow::anyhow!("the report template has no {marker}"))?;
        tail.push((&rest[at + marker.len()..], text));
        rest = &rest[..at];
    }
    out.write_all(rest.as_bytes())?;
    for (after, text) in tail.iter().rev() {
        match text {
            Some(text) => out.write_all(text.as_bytes())?,
            None => {
                let mut json = ScriptSafe::new(&mut *out);
                serde_json::to_writer(&mut json, &data)?;
                json.finish()?;
            }
        }
        out.write_all(after.as_bytes())?;
    }
    Ok(())
}

impl Output for ReportHtml {
    fn name(&self) -> &'static str {
        "report.html"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(dir.join(self.name()))?);
        render_to(report, &mut file)?;
        file.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn script_safe_escapes_whatever_the_writes_cut() {
        let text = "{\"a\":\"</script>&\u{2028}x\u{2029}\u{e9}\u{2020}\"}";
        let whole = script_json(&serde_json::from_str::<serde_json::Value>(text).unwrap()).unwrap();
        assert_eq!(
            whole,
            "{\"a\":\"\\u003c/script\\u003e\\u0026\\u2028x\\u2029\u{e9}\u{2020}\"}"
        );
        // The same bytes written in pieces cut at every place, a line
        // separator's three bytes included.
        let bytes =
            serde_json::to_vec(&serde_json::from_str::<serde_json::Value>(text).unwrap()).unwrap();
        for cut in 0..=bytes.len() {
            for second in cut..=bytes.len() {
                let mut out = ScriptSafe::new(Vec::new());
                out.write_all(&bytes[..cut]).unwrap();
                out.write_all(&bytes[cut..second]).unwrap();
                out.write_all(&bytes[second..]).unwrap();
                assert_eq!(
                    String::from_utf8(out.finish().unwrap()).unwrap(),
                    whole,
                    "cut at {cut} and {second}"
                );
            }
        }
    }
}
