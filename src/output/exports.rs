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
    /// A number as written in organisations.csv, already checked to be one
    /// (see [`column_type`]): written as it is, so no digit is lost.
    Literal(&'a str),
}

/// The type of a node attribute, as the exports declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttrType {
    /// Whole numbers from -2^31 to 2^31-1 (GraphML `int`, GEXF `integer`).
    Int,
    /// Other whole numbers that fit in 64 bits (`long` in both).
    Long,
    /// Numbers (`double` in both).
    Double,
    /// Text (`string` in both).
    Text,
}

impl AttrType {
    fn graphml(self) -> &'static str {
        match self {
            AttrType::Int => "int",
            AttrType::Long => "long",
            AttrType::Double => "double",
            AttrType::Text => "string",
        }
    }

    fn gexf(self) -> &'static str {
        match self {
            AttrType::Int => "integer",
            AttrType::Long => "long",
            AttrType::Double => "double",
            AttrType::Text => "string",
        }
    }
}

/// The narrowest type that holds `value` as written: a whole number
/// (`-?(0|[1-9][0-9]*)`, so codes with leading zeros stay text), a number
/// (JSON's grammar for numbers, finite), or text.
fn value_type(value: &str) -> AttrType {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let whole = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if whole {
        return match value.parse::<i64>() {
            Ok(x) if i32::try_from(x).is_ok() => AttrType::Int,
            Ok(_) => AttrType::Long,
            // Too long for 64 bits: still a number.
            Err(_) => AttrType::Double,
        };
    }
    if json_number(value) && value.parse::<f64>().is_ok_and(f64::is_finite) {
        AttrType::Double
    } else {
        AttrType::Text
    }
}

/// Whether `s` follows JSON's grammar for a number
/// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), which XML Schema's
/// `double` and every reader of the three exports accept too.
fn json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && b[int_start] == b'0') {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// The type of a column: the widest type among its non-empty values
/// (whole numbers, then numbers, then text); a column without any value is
/// text.
fn column_type<'v>(values: impl Iterator<Item = &'v str>) -> AttrType {
    let mut ty = None;
    for v in values.filter(|v| !v.is_empty()) {
        let t = value_type(v);
        ty = Some(match (ty, t) {
            (None, t) => t,
            (Some(AttrType::Text), _) | (_, AttrType::Text) => return AttrType::Text,
            (Some(AttrType::Double), _) | (_, AttrType::Double) => AttrType::Double,
            (Some(AttrType::Long), _) | (_, AttrType::Long) => AttrType::Long,
            _ => AttrType::Int,
        });
    }
    ty.unwrap_or(AttrType::Text)
}

/// Whether `c` may appear in an XML name token (`NameChar`, XML 1.0 §2.3).
fn name_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '-' | '.' | '0'..='9' | '\u{B7}'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{203F}'..='\u{2040}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// Whether `s` is an XML name token (`Nmtoken`), as GraphML's schema wants
/// ids and attribute names.
pub fn is_name_token(s: &str) -> bool {
    !s.is_empty() && s.chars().all(name_char)
}

/// `s` as a name token: each character a name token cannot hold becomes
/// `_`; an empty `s` becomes `fallback`.
fn to_token(s: &str, fallback: &str) -> String {
    if s.is_empty() {
        return fallback.to_string();
    }
    s.chars()
        .map(|c| if name_char(c) { c } else { '_' })
        .collect()
}

/// Names given out so far, compared without regard to case (Gephi, for
/// one, lower-cases attribute ids).
#[derive(Default)]
struct Names(std::collections::HashSet<String>);

impl Names {
    fn taken(&self, name: &str) -> bool {
        self.0.contains(&name.to_lowercase())
    }

    fn take(&mut self, name: &str) {
        self.0.insert(name.to_lowercase());
    }

    /// `base`, or `base_2`, `base_3`, … if it is taken; taken from now on.
    fn unique(&mut self, base: String) -> String {
        let mut name = base.clone();
        let mut n = 2u64;
        while self.taken(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.take(&name);
        name
    }
}

/// The node ids of the XML exports, by organisation: the organisation's own
/// id when it is a name token, as GraphML's schema wants node ids, and
/// otherwise the id with every other character made `_` (`wm a` becomes
/// `wm_a`), numbered (`wm_a_2`) when that is taken. The same input gives
/// the same ids; the organisation's own id is kept in the `org_id`
/// attribute.
fn node_ids(orgs: &[crate::model::Organisation]) -> Vec<Cow<'_, str>> {
    let mut names = Names::default();
    // Ids that differ only in case must not change one another, so they are
    // reserved exactly; case-folding applies only to made-up ids.
    let mut exact: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for o in orgs.iter().filter(|o| is_name_token(&o.id)) {
        exact.insert(o.id.as_str());
        names.take(&o.id);
    }
    orgs.iter()
        .map(|o| {
            if exact.contains(o.id.as_str()) {
                Cow::Borrowed(o.id.as_str())
            } else {
                Cow::Owned(names.unique(to_token(&o.id, "organisation")))
            }
        })
        .collect()
}

/// A node attribute as the exports declare it.
struct Key {
    /// Its name in every export: a name token, unique without regard to
    /// case (GraphML `attr.name`, GEXF attribute id, the JSON key).
    name: String,
    /// What the staff call it: the column's own name for extra columns.
    title: String,
    ty: AttrType,
}

/// The attributes of every organisation, in a fixed order: the standard ones,
/// then the extra columns of organisations.csv. Values are made one
/// organisation at a time, so a large network is never held twice in memory.
struct NodeTable<'a> {
    report: &'a Report,
    keys: Vec<Key>,
    /// The extra columns, in the order of `keys[STANDARD_KEYS..]`.
    columns: Vec<&'a str>,
    /// Lead score by organisation.
    score: Vec<Option<f64>>,
}

/// The standard attributes, before the extra columns: the organisation's own
/// id (`org_id`, in GraphML and GEXF only: JSON's node ids are the
/// organisations' own), the name (GEXF's node label), then the rest.
const STANDARD: [(&str, AttrType); 14] = [
    ("org_id", AttrType::Text),
    ("name", AttrType::Text),
    ("kind", AttrType::Text),
    ("country", AttrType::Text),
    ("region", AttrType::Text),
    ("wikidata", AttrType::Text),
    ("aliases", AttrType::Text),
    ("digitisation", AttrType::Text),
    ("component", AttrType::Int),
    ("cluster", AttrType::Int),
    ("cluster_label", AttrType::Text),
    ("confidence", AttrType::Double),
    ("betweenness", AttrType::Double),
    ("lead_score", AttrType::Double),
];

/// The number of standard attributes, before the extra columns.
const STANDARD_KEYS: usize = STANDARD.len();

/// Names an extra column never gets as it is, since an export or a reader
/// uses them for something else: the standard attributes, the node's id and
/// label, and the tie's attributes.
const BUILT_IN: [&str; 10] = [
    "id",
    "label",
    "weight",
    "kinds",
    "relations",
    "source",
    "target",
    "pid",
    "start",
    "end",
];

impl<'a> NodeTable<'a> {
    fn new(report: &'a Report) -> NodeTable<'a> {
        let orgs = report.model.orgs();
        let columns: Vec<&str> = orgs
            .iter()
            .flat_map(|o| o.attributes.keys())
            .collect::<BTreeSet<&str>>()
            .into_iter()
            .collect();
        let mut names = Names::default();
        let mut keys: Vec<Key> = STANDARD
            .iter()
            .map(|&(name, ty)| {
                names.take(name);
                Key {
                    name: name.to_string(),
                    title: name.to_string(),
                    ty,
                }
            })
            .collect();
        for name in BUILT_IN {
            names.take(name);
        }
        // Columns whose own name is a free token keep it; the others are
        // named after them (`contact person` becomes `contact_person`, a
        // column `label` becomes `extra_label`), in column order.
        let keeps: Vec<bool> = columns
            .iter()
            .map(|&c| {
                let keep = is_name_token(c) && !names.taken(c);
                if keep {
                    names.take(c);
                }
                keep
            })
            .collect();
        for (&column, keep) in columns.iter().zip(keeps) {
            let token = to_token(column, "column");
            let name = if keep {
                token
            } else if names.taken(&token) {
                names.unique(format!("extra_{token}"))
            } else {
                names.unique(token)
            };
            let ty = column_type(orgs.iter().filter_map(|o| o.attributes.get(column)));
            keys.push(Key {
                name,
                title: column.to_string(),
                ty,
            });
        }
        let mut score = vec![None; orgs.len()];
        for l in &report.leads.leads {
            score[l.organisation as usize] = Some(l.score);
        }
        NodeTable {
            report,
            keys,
            columns,
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
            text(Some(&o.id)),
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
        for (column, key) in self.columns.iter().zip(&self.keys[STANDARD_KEYS..]) {
            let value = o.attributes.get(column).filter(|s| !s.is_empty());
            row.push(value.map(|s| match key.ty {
                AttrType::Text => Value::Text(Cow::Borrowed(s)),
                _ => Value::Literal(s),
            }));
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

/// `s` with the characters XML 1.0 cannot carry, even escaped, replaced
/// (see [`crate::text::xml_char`]).
fn xml_safe(s: &str) -> Cow<'_, str> {
    crate::text::xml_chars(s)
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
        Value::Literal(s) => s,
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
        let node_ids = node_ids(orgs);
        let edges = report.model.ties.graph.raw_edges();
        let head = xml_part(0, |x| {
            x.buf.extend_from_slice(XML_DECLARATION);
            x.open(
                "graphml",
                &[("xmlns", "http://graphml.graphdrawing.org/xmlns")],
            );
            for (i, key) in table.keys.iter().enumerate() {
                let id = format!("d{i}");
                let attributes = [
                    ("id", id.as_str()),
                    ("for", "node"),
                    ("attr.name", key.name.as_str()),
                    ("attr.type", key.ty.graphml()),
                ];
                if key.title == key.name {
                    x.empty("key", &attributes);
                } else {
                    // GraphML has no title: the column's own name is the
                    // key's description.
                    x.open("key", &attributes);
                    x.text("desc", &[], &key.title);
                    x.close("key");
                }
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
                x.open("node", &[("id", &node_ids[v])]);
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
                        ("source", &node_ids[edge.source().index()]),
                        ("target", &node_ids[edge.target().index()]),
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

/// The node attributes GEXF declares: all but the name, which is the node's
/// label.
fn gexf_keys<'t>(table: &'t NodeTable) -> impl Iterator<Item = &'t Key> {
    table.keys.iter().filter(|k| k.name != "name")
}

impl Output for Gexf {
    fn name(&self) -> &'static str {
        ExportFormat::Gexf.file_name()
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let table = NodeTable::new(report);
        let node_ids = node_ids(orgs);
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
            for key in gexf_keys(&table) {
                // The title is what Gephi shows and NetworkX reads as the
                // attribute's name: the column's own name, unless that is
                // a standard attribute's or a built-in name (`label`, `id`).
                let lower = key.title.to_lowercase();
                let title = if key.title != key.name
                    && (BUILT_IN.contains(&lower.as_str())
                        || STANDARD.iter().any(|(s, _)| *s == lower))
                {
                    &key.name
                } else {
                    &key.title
                };
                x.empty(
                    "attribute",
                    &[("id", &key.name), ("title", title), ("type", key.ty.gexf())],
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
        write_file(&dir.join(self.name()), |out| {
            out.write_all(&head)?;
            write_items(out, orgs.len(), |v, buf, scratch| {
                let o = &orgs[v];
                let mut x = Xml { buf, depth: 3 };
                x.open("node", &[("id", &node_ids[v]), ("label", &o.name)]);
                x.open("attvalues", &[]);
                for (key, value) in table.keys.iter().zip(table.row(v)) {
                    if key.name == "name" {
                        continue;
                    }
                    if let Some(value) = value {
                        x.empty(
                            "attvalue",
                            &[
                                ("for", &key.name),
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
                        ("source", &node_ids[edge.source().index()]),
                        ("target", &node_ids[edge.target().index()]),
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
fn json_number_into(buf: &mut Vec<u8>, x: f64) {
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
            .filter(|(_, k)| k.name != "org_id")
            .map(|(i, k)| (k.name.as_str(), Some(i)))
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
                            Some(Value::Literal(s)) => Some(Value::Literal(s)),
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
                        Value::Number(x) => json_number_into(buf, x),
                        // Checked to follow JSON's grammar for numbers.
                        Value::Literal(s) => buf.extend_from_slice(s.as_bytes()),
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
                json_number_into(buf, tie.weight);
                buf.push(b'}');
            })?;
            out.write_all(b"\n]}\n")
        })
    }
}
