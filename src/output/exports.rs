//! Exports for other tools: `network.graphml` (yEd, Cytoscape, NetworkX),
//! `network.gexf` (Gephi) and `network.json` (node-link JSON for D3 and
//! Cytoscape.js, as NetworkX's `node_link_data` writes it). Each holds every
//! organisation with its attributes, cluster, confidence, betweenness and
//! lead score, and every tie with its kinds and weight.
//!
//! XML values are escaped by quick-xml's escaper, JSON values written by
//! serde_json. The files are written straight into byte buffers, a chunk of
//! organisations or ties at a time, the chunks formatted in parallel and
//! written in order: a million organisations take seconds, the same bytes
//! whatever the number of threads, and only a few chunks are held in memory.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;

use super::Output;
use crate::model::Tie;
use crate::report::Report;

/// A network export: a file of the whole network for another tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExportFormat {
    /// `network.graphml`, for yEd, Cytoscape and NetworkX.
    GraphMl,
    /// `network.gexf`, for Gephi.
    Gexf,
    /// `network.json`, node-link JSON for D3 and Cytoscape.js.
    Json,
}

impl ExportFormat {
    /// Every export, the largest first (GEXF, then GraphML, then JSON): the
    /// order they are listed and written in.
    pub const ALL: [ExportFormat; 3] = [
        ExportFormat::Gexf,
        ExportFormat::GraphMl,
        ExportFormat::Json,
    ];

    /// The file it is written to.
    pub fn file_name(self) -> &'static str {
        match self {
            ExportFormat::GraphMl => "network.graphml",
            ExportFormat::Gexf => "network.gexf",
            ExportFormat::Json => "network.json",
        }
    }

    /// The output that writes it.
    pub fn output(self) -> Box<dyn Output> {
        match self {
            ExportFormat::GraphMl => Box::new(GraphMl),
            ExportFormat::Gexf => Box::new(Gexf),
            ExportFormat::Json => Box::new(Json),
        }
    }
}

/// Above this many organisations the exports are written only when asked
/// for (`--exports`): on the generated movement of a million organisations
/// the three files take 2.2 GB, and the tools they are for (Gephi, yEd,
/// Cytoscape, D3) are slow or fail to open networks of that size.
pub const EXPORTS_UP_TO: usize = crate::config::LARGE_NETWORK;

/// `network.graphml`.
pub struct GraphMl;
/// `network.gexf`.
pub struct Gexf;
/// `network.json`.
pub struct Json;

/// A value of a node attribute.
enum Value<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

/// The attributes of every organisation, in a fixed order: the standard ones,
/// then the extra columns of organisations.csv. Values are made one
/// organisation at a time, so a large network is never held twice in memory.
struct NodeTable<'a> {
    report: &'a Report,
    /// Attribute names, with whether they are numbers.
    keys: Vec<(String, bool)>,
    /// Lead score by organisation.
    score: Vec<Option<f64>>,
}

/// The number of standard attributes, before the extra columns.
const STANDARD_KEYS: usize = 13;

impl<'a> NodeTable<'a> {
    fn new(report: &'a Report) -> NodeTable<'a> {
        let orgs = report.model.orgs();
        let extra: BTreeSet<&str> = orgs
            .iter()
            .flat_map(|o| o.attributes.keys().map(String::as_str))
            .collect();
        let mut keys: Vec<(String, bool)> = [
            ("name", false),
            ("kind", false),
            ("country", false),
            ("region", false),
            ("wikidata", false),
            ("aliases", false),
            ("digitisation", false),
            ("component", true),
            ("cluster", true),
            ("cluster_label", false),
            ("confidence", true),
            ("betweenness", true),
            ("lead_score", true),
        ]
        .iter()
        .map(|(k, n)| (k.to_string(), *n))
        .collect();
        debug_assert_eq!(keys.len(), STANDARD_KEYS);
        let standard: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
        keys.extend(
            extra
                .iter()
                .filter(|k| !standard.iter().any(|x| x == *k))
                .map(|k| (k.to_string(), false)),
        );
        let mut score = vec![None; orgs.len()];
        for l in &report.leads.leads {
            score[l.organisation as usize] = Some(l.score);
        }
        NodeTable {
            report,
            keys,
            score,
        }
    }

    /// Organisation `v`'s values, in the order of `keys` (`None`: no value).
    fn row(&self, v: usize) -> Vec<Option<Value<'a>>> {
        let report = self.report;
        let o = &report.model.orgs()[v];
        let text = |s: Option<&'a str>| s.map(|s| Value::Text(Cow::Borrowed(s)));
        let num = |x: f64| x.is_finite().then_some(Value::Number(x));
        let cluster = report.clusters.cluster[v];
        let mut row = Vec::with_capacity(self.keys.len());
        row.extend([
            text(Some(&o.name)),
            text(Some(o.kind.as_str())),
            text(o.country.as_deref()),
            text(o.region.as_deref()),
            text(o.wikidata.as_deref()),
            (!o.aliases.is_empty()).then(|| Value::Text(Cow::Owned(o.aliases.join(";")))),
            text(o.digitisation.map(|d| d.as_str())),
            num(report.components.membership[v] as f64),
            cluster.map(|c| Value::Number(c as f64)),
            cluster.map(|c| {
                Value::Text(Cow::Borrowed(
                    report.clusters.clusters[c as usize].label.as_str(),
                ))
            }),
            num(report.clusters.confidence[v]),
            num(report.brokers.betweenness[v]),
            self.score[v].map(Value::Number),
        ]);
        for (k, _) in &self.keys[STANDARD_KEYS..] {
            row.push(text(o.attributes.get(k).map(String::as_str)));
        }
        row
    }
}

/// Writes items `0..count`, each formatted by `item`, in parallel chunks
/// (see [`super::write_chunks`]).
fn write_items<W: Write>(
    out: &mut W,
    count: usize,
    item: impl Fn(usize, &mut Vec<u8>, &mut Scratch) + Sync,
) -> std::io::Result<()> {
    super::write_chunks(
        count,
        |range| {
            let mut buf = Vec::with_capacity(range.len() * 256);
            let mut scratch = Scratch::default();
            for i in range {
                item(i, &mut buf, &mut scratch);
            }
            Ok(buf)
        },
        |bytes| out.write_all(bytes),
    )
}

/// Text buffers for the numbers of one item, reused from item to item.
#[derive(Default)]
struct Scratch([String; 4]);

/// `x` as a whole number, when it is one that the exports write without a
/// fraction.
fn whole(x: f64) -> Option<i64> {
    (x.fract() == 0.0 && x.abs() < 1e15).then_some(x as i64)
}

/// Writes `x` into `s`, replacing what it held, as the exports write
/// numbers: whole numbers without a fraction, others in the shortest form
/// that reads back the same.
fn number_into(s: &mut String, x: f64) -> &str {
    use std::fmt::Write as _;
    s.clear();
    // Writing into a String cannot fail.
    let _ = match whole(x) {
        Some(w) => write!(s, "{w}"),
        None => write!(s, "{x}"),
    };
    s
}

/// Writes `x` into `s`, replacing what it held.
fn text_into(s: &mut String, x: impl std::fmt::Display) -> &str {
    use std::fmt::Write as _;
    s.clear();
    let _ = write!(s, "{x}");
    s
}

/// Creates `path` and writes it with `body`; any failure names the file.
fn write_file(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    body(&mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Whether `s` goes into XML as it is: printable ASCII without any of the
/// characters [`Xml`] escapes. Most names and every number are; the rest
/// take the escaping path.
fn plain(s: &str) -> bool {
    s.bytes().all(|b| PLAIN[b as usize])
}

/// [`plain`]'s bytes.
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = b' ';
    while b <= b'~' {
        table[b as usize] = !matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'');
        b += 1;
    }
    table
};

/// XML 1.0 cannot carry most control characters, even escaped: they are
/// replaced by spaces.
fn xml_safe(s: &str) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if s.chars().any(bad) {
        Cow::Owned(s.chars().map(|c| if bad(c) { ' ' } else { c }).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// XML elements written into a buffer, one a line, indented one space a
/// level. Names and attribute keys are partnernet's own; every value is
/// escaped.
struct Xml<'b> {
    buf: &'b mut Vec<u8>,
    depth: usize,
}

impl Xml<'_> {
    fn line(&mut self) {
        self.buf.push(b'\n');
        self.buf.resize(self.buf.len() + self.depth, b' ');
    }

    /// `<tag key="value" …` (not closed). Attribute values keep line breaks
    /// and tabs as character references, since XML parsers turn raw ones
    /// into spaces.
    fn tag(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.line();
        self.buf.push(b'<');
        self.buf.extend_from_slice(tag.as_bytes());
        for (key, value) in attributes {
            self.buf.push(b' ');
            self.buf.extend_from_slice(key.as_bytes());
            self.buf.extend_from_slice(b"=\"");
            self.value(value, true);
            self.buf.push(b'"');
        }
    }

    /// `value` escaped; in an attribute (`attribute`), line breaks and tabs
    /// also become character references, since XML parsers turn raw ones
    /// into spaces there.
    fn value(&mut self, value: &str, attribute: bool) {
        if plain(value) {
            self.buf.extend_from_slice(value.as_bytes());
            return;
        }
        let value = xml_safe(value);
        let escaped = quick_xml::escape::escape(value.as_ref());
        if !attribute {
            self.buf.extend_from_slice(escaped.as_bytes());
            return;
        }
        for &b in escaped.as_bytes() {
            match b {
                b'\n' => self.buf.extend_from_slice(b"&#10;"),
                b'\r' => self.buf.extend_from_slice(b"&#13;"),
                b'\t' => self.buf.extend_from_slice(b"&#9;"),
                _ => self.buf.push(b),
            }
        }
    }

    fn open(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.tag(tag, attributes);
        self.buf.push(b'>');
        self.depth += 1;
    }

    fn empty(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.tag(tag, attributes);
        self.buf.extend_from_slice(b"/>");
    }

    fn close(&mut self, tag: &str) {
        self.depth -= 1;
        self.line();
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(tag.as_bytes());
        self.buf.push(b'>');
    }

    /// `<tag …>text</tag>` on one line.
    fn text(&mut self, tag: &str, attributes: &[(&str, &str)], text: &str) {
        self.tag(tag, attributes);
        self.buf.push(b'>');
        self.value(text, false);
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(tag.as_bytes());
        self.buf.push(b'>');
    }
}

/// Elements written into a new buffer, starting `depth` levels deep.
fn xml_part(depth: usize, elements: impl FnOnce(&mut Xml)) -> Vec<u8> {
    let mut buf = Vec::new();
    elements(&mut Xml {
        buf: &mut buf,
        depth,
    });
    buf
}

/// The text of an attribute value.
fn value_text<'v>(value: &'v Value<'_>, scratch: &'v mut String) -> &'v str {
    match value {
        Value::Text(t) => t.as_ref(),
        Value::Number(x) => number_into(scratch, *x),
    }
}

const XML_DECLARATION: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

impl Output for GraphMl {
    fn name(&self) -> &'static str {
        ExportFormat::GraphMl.file_name()
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let table = NodeTable::new(report);
        let edges = report.model.ties.graph.raw_edges();
        let head = xml_part(0, |x| {
            x.buf.extend_from_slice(XML_DECLARATION);
            x.open(
                "graphml",
                &[("xmlns", "http://graphml.graphdrawing.org/xmlns")],
            );
            for (i, (k, numeric)) in table.keys.iter().enumerate() {
                let id = format!("d{i}");
                let ty = if *numeric { "double" } else { "string" };
                x.empty(
                    "key",
                    &[
                        ("id", &id),
                        ("for", "node"),
                        ("attr.name", k),
                        ("attr.type", ty),
                    ],
                );
            }
            for (id, name, ty) in [
                ("e0", "weight", "double"),
                ("e1", "kinds", "string"),
                ("e2", "relations", "int"),
            ] {
                x.empty(
                    "key",
                    &[
                        ("id", id),
                        ("for", "edge"),
                        ("attr.name", name),
                        ("attr.type", ty),
                    ],
                );
            }
            x.open(
                "graph",
                &[("id", "partnernet"), ("edgedefault", "undirected")],
            );
        });
        let keys: Vec<String> = (0..table.keys.len()).map(|i| format!("d{i}")).collect();
        write_file(&dir.join(self.name()), |out| {
            out.write_all(&head)?;
            write_items(out, orgs.len(), |v, buf, scratch| {
                let mut x = Xml { buf, depth: 2 };
                x.open("node", &[("id", &orgs[v].id)]);
                for (key, value) in keys.iter().zip(table.row(v)) {
                    if let Some(value) = value {
                        x.text(
                            "data",
                            &[("key", key)],
                            value_text(&value, &mut scratch.0[0]),
                        );
                    }
                }
                x.close("node");
            })?;
            write_items(out, edges.len(), |e, buf, scratch| {
                let edge = &edges[e];
                let tie: &Tie = &edge.weight;
                let mut x = Xml { buf, depth: 2 };
                x.open(
                    "edge",
                    &[
                        ("source", &orgs[edge.source().index()].id),
                        ("target", &orgs[edge.target().index()].id),
                    ],
                );
                let [weight, kinds, relations, _] = &mut scratch.0;
                x.text("data", &[("key", "e0")], number_into(weight, tie.weight));
                x.text("data", &[("key", "e1")], text_into(kinds, tie.kinds));
                x.text(
                    "data",
                    &[("key", "e2")],
                    text_into(relations, tie.relations),
                );
                x.close("edge");
            })?;
            out.write_all(&xml_part(2, |x| {
                x.close("graph");
                x.close("graphml");
            }))
        })
    }
}

impl Output for Gexf {
    fn name(&self) -> &'static str {
        ExportFormat::Gexf.file_name()
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let table = NodeTable::new(report);
        let edges = report.model.ties.graph.raw_edges();
        let head = xml_part(0, |x| {
            x.buf.extend_from_slice(XML_DECLARATION);
            x.open(
                "gexf",
                &[("xmlns", "http://gexf.net/1.3"), ("version", "1.3")],
            );
            x.open(
                "graph",
                &[("defaultedgetype", "undirected"), ("mode", "static")],
            );
            // The name is the node's label; the other attributes are columns.
            x.open("attributes", &[("class", "node"), ("mode", "static")]);
            for (i, (k, numeric)) in table.keys.iter().enumerate().skip(1) {
                let ty = if *numeric { "double" } else { "string" };
                x.empty(
                    "attribute",
                    &[("id", &i.to_string()), ("title", k), ("type", ty)],
                );
            }
            x.close("attributes");
            x.open("attributes", &[("class", "edge"), ("mode", "static")]);
            for (id, ty) in [("kinds", "string"), ("relations", "integer")] {
                x.empty("attribute", &[("id", id), ("title", id), ("type", ty)]);
            }
            x.close("attributes");
            x.open("nodes", &[]);
        });
        let ids: Vec<String> = (0..table.keys.len()).map(|i| i.to_string()).collect();
        write_file(&dir.join(self.name()), |out| {
            out.write_all(&head)?;
            write_items(out, orgs.len(), |v, buf, scratch| {
                let o = &orgs[v];
                let mut x = Xml { buf, depth: 3 };
                x.open("node", &[("id", &o.id), ("label", &o.name)]);
                x.open("attvalues", &[]);
                for (id, value) in ids.iter().zip(table.row(v)).skip(1) {
                    if let Some(value) = value {
                        x.empty(
                            "attvalue",
                            &[
                                ("for", id),
                                ("value", value_text(&value, &mut scratch.0[0])),
                            ],
                        );
                    }
                }
                x.close("attvalues");
                x.close("node");
            })?;
            out.write_all(&xml_part(3, |x| {
                x.close("nodes");
                x.open("edges", &[]);
            }))?;
            write_items(out, edges.len(), |e, buf, scratch| {
                let edge = &edges[e];
                let tie: &Tie = &edge.weight;
                let mut x = Xml { buf, depth: 3 };
                let [id, weight, kinds, relations] = &mut scratch.0;
                x.open(
                    "edge",
                    &[
                        ("id", text_into(id, e)),
                        ("source", &orgs[edge.source().index()].id),
                        ("target", &orgs[edge.target().index()].id),
                        ("weight", number_into(weight, tie.weight)),
                    ],
                );
                x.open("attvalues", &[]);
                x.empty(
                    "attvalue",
                    &[("for", "kinds"), ("value", text_into(kinds, tie.kinds))],
                );
                x.empty(
                    "attvalue",
                    &[
                        ("for", "relations"),
                        ("value", text_into(relations, tie.relations)),
                    ],
                );
                x.close("attvalues");
                x.close("edge");
            })?;
            out.write_all(&xml_part(3, |x| {
                x.close("edges");
                x.close("graph");
                x.close("gexf");
            }))
        })
    }
}

/// Appends `value` as JSON. Strings and numbers always serialise.
fn json(buf: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) {
    serde_json::to_writer(buf, value).expect("strings and numbers always serialise");
}

/// Appends `x` as a JSON number the way the other exports write numbers:
/// whole numbers without a fraction (`19`, not `19.0`), others in the
/// shortest form that reads back the same.
fn json_number(buf: &mut Vec<u8>, x: f64) {
    match whole(x) {
        Some(w) => json(buf, &w),
        None => json(buf, &x),
    }
}

impl Output for Json {
    fn name(&self) -> &'static str {
        ExportFormat::Json.file_name()
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let table = NodeTable::new(report);
        let edges = report.model.ties.graph.raw_edges();
        // Each object's keys in sorted order, as NetworkX's node_link_data
        // and serde_json's maps give them; `None` stands for "id".
        let mut order: Vec<(&str, Option<usize>)> = table
            .keys
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.as_str(), Some(i)))
            .collect();
        order.push(("id", None));
        order.sort_by(|a, b| a.0.cmp(b.0));
        write_file(&dir.join(self.name()), |out| {
            out.write_all(
                b"{\"directed\": false, \"multigraph\": false, \"graph\": {}, \"nodes\": [\n",
            )?;
            write_items(out, orgs.len(), |v, buf, _| {
                if v > 0 {
                    buf.extend_from_slice(b",\n");
                }
                let row = table.row(v);
                buf.push(b'{');
                let mut first = true;
                for &(key, index) in &order {
                    let value = match index {
                        None => Some(Value::Text(Cow::Borrowed(orgs[v].id.as_str()))),
                        Some(i) => match &row[i] {
                            Some(Value::Text(t)) => Some(Value::Text(Cow::Borrowed(t.as_ref()))),
                            Some(Value::Number(x)) => Some(Value::Number(*x)),
                            None => None,
                        },
                    };
                    let Some(value) = value else { continue };
                    if !first {
                        buf.push(b',');
                    }
                    first = false;
                    json(buf, key);
                    buf.push(b':');
                    match value {
                        Value::Text(t) => json(buf, t.as_ref()),
                        Value::Number(x) => json_number(buf, x),
                    }
                }
                buf.push(b'}');
            })?;
            out.write_all(b"\n], \"links\": [\n")?;
            write_items(out, edges.len(), |e, buf, _| {
                if e > 0 {
                    buf.extend_from_slice(b",\n");
                }
                let edge = &edges[e];
                let tie: &Tie = &edge.weight;
                buf.extend_from_slice(b"{\"kinds\":[");
                for (i, kind) in tie.kinds.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    json(buf, kind.as_str());
                }
                buf.extend_from_slice(b"],\"relations\":");
                json(buf, &tie.relations);
                buf.extend_from_slice(b",\"source\":");
                json(buf, orgs[edge.source().index()].id.as_str());
                buf.extend_from_slice(b",\"target\":");
                json(buf, orgs[edge.target().index()].id.as_str());
                buf.extend_from_slice(b",\"weight\":");
                json_number(buf, tie.weight);
                buf.push(b'}');
            })?;
            out.write_all(b"\n]}\n")
        })
    }
}
