//! Exports for other tools: `network.graphml` (yEd, Cytoscape, NetworkX),
//! `network.gexf` (Gephi) and `network.json` (node-link JSON for D3 and
//! Cytoscape.js, as NetworkX's `node_link_data` writes it). Each holds every
//! organisation with its attributes, cluster, confidence, betweenness and
//! lead score, and every tie with its kinds and weight. XML is written with
//! quick-xml, which escapes every value; JSON with serde_json.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use petgraph::visit::EdgeRef;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::Output;
use crate::report::Report;

/// `network.graphml`.
pub struct GraphMl;
/// `network.gexf`.
pub struct Gexf;
/// `network.json`.
pub struct Json;

/// A value of a node attribute.
enum Value {
    Text(String),
    Number(f64),
}

/// The attributes of every organisation, in a fixed order: the standard
/// ones, then the extra columns of organisations.csv.
/// An organisation's attribute values, by its index.
type RowValues<'a> = Box<dyn Fn(usize) -> Vec<Option<Value>> + 'a>;

/// The attribute names (with whether they are numbers), and a way to get an
/// organisation's values in that order. Values are made one organisation at a
/// time, so a large network is never held twice in memory.
fn node_attributes(report: &Report) -> (Vec<(String, bool)>, RowValues<'_>) {
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
    keys.extend(
        extra
            .iter()
            .filter(|k| !keys.iter().any(|(x, _)| x == *k))
            .map(|k| (k.to_string(), false))
            .collect::<Vec<_>>(),
    );
    let score: BTreeMap<u32, f64> = report
        .leads
        .leads
        .iter()
        .map(|l| (l.organisation, l.score))
        .collect();
    let names = keys.clone();
    let row_of = move |v: usize| {
        let o = &orgs[v];
        {
            let text = |s: Option<&str>| s.map(|s| Value::Text(s.to_string()));
            let num = |x: f64| x.is_finite().then_some(Value::Number(x));
            let cluster = report.clusters.cluster[v];
            let mut row = vec![
                text(Some(&o.name)),
                text(Some(o.kind.as_str())),
                text(o.country.as_deref()),
                text(o.region.as_deref()),
                text(o.wikidata.as_deref()),
                (!o.aliases.is_empty()).then(|| Value::Text(o.aliases.join(";"))),
                text(o.digitisation.map(|d| d.as_str())),
                num(report.components.membership[v] as f64),
                cluster.map(|c| Value::Number(c as f64)),
                cluster.map(|c| Value::Text(report.clusters.clusters[c as usize].label.clone())),
                num(report.clusters.confidence[v]),
                num(report.brokers.betweenness[v]),
                score.get(&(v as u32)).map(|s| Value::Number(*s)),
            ];
            for (k, _) in &names[row.len()..] {
                row.push(text(o.attributes.get(k).map(String::as_str)));
            }
            row
        }
    };
    (keys, Box::new(row_of))
}

fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn xml_writer(path: &Path) -> anyhow::Result<Writer<BufWriter<File>>> {
    let mut w = Writer::new_with_indent(
        BufWriter::with_capacity(1 << 16, File::create(path)?),
        b' ',
        1,
    );
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

fn text_element<W: Write>(
    w: &mut Writer<W>,
    tag: BytesStart<'_>,
    text: &str,
) -> anyhow::Result<()> {
    let end = BytesEnd::new(String::from_utf8_lossy(tag.name().as_ref()).to_string());
    w.write_event(Event::Start(tag))?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    w.write_event(Event::End(end))?;
    Ok(())
}

/// XML 1.0 cannot carry most control characters, even escaped: they are
/// replaced by spaces.
fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        std::borrow::Cow::Owned(
            s.chars()
                .map(|c| {
                    if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// An element with attributes whose values keep line breaks and tabs (XML
/// parsers turn raw ones in attribute values into spaces, so they are
/// written as character references).
fn start<'a>(tag: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
    let mut element = BytesStart::new(tag);
    for (key, value) in attributes {
        let value = xml_safe(value);
        let escaped = quick_xml::escape::escape(value.as_ref())
            .replace('\n', "&#10;")
            .replace('\r', "&#13;")
            .replace('\t', "&#9;");
        element.push_attribute(quick_xml::events::attributes::Attribute {
            key: quick_xml::name::QName(key.as_bytes()),
            value: std::borrow::Cow::Owned(escaped.into_bytes()),
        });
    }
    element
}

impl Output for GraphMl {
    fn name(&self) -> &'static str {
        "network.graphml"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let (keys, rows) = node_attributes(report);
        let mut w = xml_writer(&dir.join(self.name()))?;
        w.write_event(Event::Start(BytesStart::new("graphml").with_attributes([
            ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
        ])))?;
        for (i, (k, numeric)) in keys.iter().enumerate() {
            let id = format!("d{i}");
            let ty = if *numeric { "double" } else { "string" };
            w.write_event(Event::Empty(BytesStart::new("key").with_attributes([
                ("id", id.as_str()),
                ("for", "node"),
                ("attr.name", k.as_str()),
                ("attr.type", ty),
            ])))?;
        }
        for (id, name, ty) in [
            ("e0", "weight", "double"),
            ("e1", "kinds", "string"),
            ("e2", "relations", "int"),
        ] {
            w.write_event(Event::Empty(BytesStart::new("key").with_attributes([
                ("id", id),
                ("for", "edge"),
                ("attr.name", name),
                ("attr.type", ty),
            ])))?;
        }
        w.write_event(Event::Start(BytesStart::new("graph").with_attributes([
            ("id", "partnernet"),
            ("edgedefault", "undirected"),
        ])))?;
        for (v, o) in orgs.iter().enumerate() {
            let row = rows(v);
            w.write_event(Event::Start(start("node", &[("id", o.id.as_str())])))?;
            for (i, value) in row.iter().enumerate() {
                let key = format!("d{i}");
                let text = match value {
                    Some(Value::Text(t)) => xml_safe(t).into_owned(),
                    Some(Value::Number(x)) => number_text(*x),
                    None => continue,
                };
                text_element(
                    &mut w,
                    BytesStart::new("data").with_attributes([("key", key.as_str())]),
                    &text,
                )?;
            }
            w.write_event(Event::End(BytesEnd::new("node")))?;
        }
        for e in report.model.ties.graph.edge_references() {
            let (s, t) = (&orgs[e.source().index()].id, &orgs[e.target().index()].id);
            w.write_event(Event::Start(start(
                "edge",
                &[("source", s.as_str()), ("target", t.as_str())],
            )))?;
            let tie = e.weight();
            text_element(
                &mut w,
                BytesStart::new("data").with_attributes([("key", "e0")]),
                &number_text(tie.weight),
            )?;
            text_element(
                &mut w,
                BytesStart::new("data").with_attributes([("key", "e1")]),
                &tie.kinds.to_string(),
            )?;
            text_element(
                &mut w,
                BytesStart::new("data").with_attributes([("key", "e2")]),
                &tie.relations.to_string(),
            )?;
            w.write_event(Event::End(BytesEnd::new("edge")))?;
        }
        w.write_event(Event::End(BytesEnd::new("graph")))?;
        w.write_event(Event::End(BytesEnd::new("graphml")))?;
        w.into_inner().flush()?;
        Ok(())
    }
}

impl Output for Gexf {
    fn name(&self) -> &'static str {
        "network.gexf"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let orgs = report.model.orgs();
        let (keys, rows) = node_attributes(report);
        let mut w = xml_writer(&dir.join(self.name()))?;
        w.write_event(Event::Start(BytesStart::new("gexf").with_attributes([
            ("xmlns", "http://gexf.net/1.3"),
            ("version", "1.3"),
        ])))?;
        w.write_event(Event::Start(BytesStart::new("graph").with_attributes([
            ("defaultedgetype", "undirected"),
            ("mode", "static"),
        ])))?;
        w.write_event(Event::Start(
            BytesStart::new("attributes").with_attributes([("class", "node"), ("mode", "static")]),
        ))?;
        // The name is the node's label; the other attributes are columns.
        for (i, (k, numeric)) in keys.iter().enumerate().skip(1) {
            let id = i.to_string();
            let ty = if *numeric { "double" } else { "string" };
            w.write_event(Event::Empty(BytesStart::new("attribute").with_attributes(
                [("id", id.as_str()), ("title", k.as_str()), ("type", ty)],
            )))?;
        }
        w.write_event(Event::End(BytesEnd::new("attributes")))?;
        w.write_event(Event::Start(
            BytesStart::new("attributes").with_attributes([("class", "edge"), ("mode", "static")]),
        ))?;
        for (id, title, ty) in [
            ("kinds", "kinds", "string"),
            ("relations", "relations", "integer"),
        ] {
            w.write_event(Event::Empty(
                BytesStart::new("attribute").with_attributes([
                    ("id", id),
                    ("title", title),
                    ("type", ty),
                ]),
            ))?;
        }
        w.write_event(Event::End(BytesEnd::new("attributes")))?;
        w.write_event(Event::Start(BytesStart::new("nodes")))?;
        for (v, o) in orgs.iter().enumerate() {
            let row = rows(v);
            let (id, name) = (o.id.as_str(), o.name.as_str());
            w.write_event(Event::Start(start("node", &[("id", id), ("label", name)])))?;
            w.write_event(Event::Start(BytesStart::new("attvalues")))?;
            for (i, value) in row.iter().enumerate().skip(1) {
                let text = match value {
                    Some(Value::Text(t)) => xml_safe(t).into_owned(),
                    Some(Value::Number(x)) => number_text(*x),
                    None => continue,
                };
                let key = i.to_string();
                w.write_event(Event::Empty(start(
                    "attvalue",
                    &[("for", key.as_str()), ("value", text.as_str())],
                )))?;
            }
            w.write_event(Event::End(BytesEnd::new("attvalues")))?;
            w.write_event(Event::End(BytesEnd::new("node")))?;
        }
        w.write_event(Event::End(BytesEnd::new("nodes")))?;
        w.write_event(Event::Start(BytesStart::new("edges")))?;
        for e in report.model.ties.graph.edge_references() {
            let (s, t) = (&orgs[e.source().index()].id, &orgs[e.target().index()].id);
            let tie = e.weight();
            let (id, weight) = (e.id().index().to_string(), number_text(tie.weight));
            w.write_event(Event::Start(start(
                "edge",
                &[
                    ("id", id.as_str()),
                    ("source", s.as_str()),
                    ("target", t.as_str()),
                    ("weight", weight.as_str()),
                ],
            )))?;
            w.write_event(Event::Start(BytesStart::new("attvalues")))?;
            let (kinds, relations) = (tie.kinds.to_string(), tie.relations.to_string());
            w.write_event(Event::Empty(
                BytesStart::new("attvalue")
                    .with_attributes([("for", "kinds"), ("value", kinds.as_str())]),
            ))?;
            w.write_event(Event::Empty(BytesStart::new("attvalue").with_attributes([
                ("for", "relations"),
                ("value", relations.as_str()),
            ])))?;
            w.write_event(Event::End(BytesEnd::new("attvalues")))?;
            w.write_event(Event::End(BytesEnd::new("edge")))?;
        }
        w.write_event(Event::End(BytesEnd::new("edges")))?;
        w.write_event(Event::End(BytesEnd::new("graph")))?;
        w.write_event(Event::End(BytesEnd::new("gexf")))?;
        w.into_inner().flush()?;
        Ok(())
    }
}

impl Output for Json {
    fn name(&self) -> &'static str {
        "network.json"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        use serde_json::{json, Map, Value as J};
        let orgs = report.model.orgs();
        let (keys, rows) = node_attributes(report);
        let mut out = BufWriter::with_capacity(1 << 16, File::create(dir.join(self.name()))?);
        // Written node by node, so a large network is never held as one value.
        out.write_all(
            b"{\"directed\": false, \"multigraph\": false, \"graph\": {}, \"nodes\": [\n",
        )?;
        for (k, o) in orgs.iter().enumerate() {
            let row = rows(k);
            let mut m = Map::new();
            m.insert("id".into(), J::String(o.id.clone()));
            for ((key, _), value) in keys.iter().zip(&row) {
                match value {
                    Some(Value::Text(t)) => m.insert(key.clone(), J::String(t.clone())),
                    Some(Value::Number(x)) => m.insert(key.clone(), json!(x)),
                    None => None,
                };
            }
            if k > 0 {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut out, &J::Object(m))?;
        }
        out.write_all(b"\n], \"links\": [\n")?;
        for (k, e) in report.model.ties.graph.edge_references().enumerate() {
            let tie = e.weight();
            let link = json!({
                "source": orgs[e.source().index()].id,
                "target": orgs[e.target().index()].id,
                "weight": tie.weight,
                "kinds": tie.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                "relations": tie.relations,
            });
            if k > 0 {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut out, &link)?;
        }
        out.write_all(b"\n]}\n")?;
        out.flush()?;
        Ok(())
    }
}
