//! Diagrams: every view of [`crate::analysis::views`] as a Graphviz DOT file,
//! built with graphviz-rust's graph structures and drawn by the Graphviz
//! programs (to SVG, and PNG or PDF on request), in parallel. Without
//! Graphviz, the SVG is drawn by the pure-Rust layout-rs renderer, and one
//! message says how to install Graphviz for better pictures.
//!
//! Engine: a layered layout (`dot`) for diagrams of up to
//! [`LAYERED_UP_TO`] organisations and twice as many lines, `sfdp` with
//! overlap removal above that;
//! `--engine` forces one. Each DOT file names its program in the `layout`
//! attribute, so any Graphviz program or viewer lays it out the same way
//! (drawn by `dot`, the cluster diagram of a generated 100,000-organisation
//! movement, 60 clusters and 1,647 lines, took 185–220 s; by sfdp, 0.05 s).
//! The DOT files are the same bytes on every run; a picture drawn by `sfdp`
//! now and then is not. Graphviz 2.43's Prism overlap removal does not
//! always give the same last bits, so a node that ends exactly on a
//! rounding boundary is written a hundredth of a point apart: one region
//! diagram of 300 organisations in a generated 300,000-organisation
//! movement came out one of two ways, about one drawing in three, with or
//! without address randomisation, on one core, and with Graphviz's seed
//! (`start`) at its default; with `overlap=true`, `scale`, `vpsc` or `prism0`
//! it came out one way 12 times of 12, but `vpsc` and `scale` draw far worse.
//!
//! The built-in renderer's layout takes time that grows steeply with size
//! (on a 2-core machine about a second at 70 organisations and minutes at
//! 300), so without Graphviz each diagram is drawn with its
//! [`FALLBACK_CAP`] most central organisations (the cluster diagram with its
//! [`FALLBACK_CAP`] largest clusters), and densely tied diagrams are thinned
//! to the lines it can lay out quickly ([`fit_for_builtin`]); the `.dot`
//! files are always complete.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use rayon::prelude::*;

use super::file_names::{self, organisation_files, region_files};
use super::Output;
use crate::analysis::views::View;
use crate::model::OrgKind;
use crate::report::Report;

/// Diagrams with at most this many organisations (and twice as many lines)
/// get a layered layout.
pub const LAYERED_UP_TO: usize = 60;

/// Organisations (or clusters) a diagram drawn without Graphviz shows.
pub const FALLBACK_CAP: usize = 60;

/// How long a label may be before it is shortened (the full name is in the
/// tooltip).
const LABEL_CHARS: usize = 40;
/// The top leads and the top brokers named in every diagram they are in.
const NAMED_TOP: usize = 10;

/// A picture format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
    Pdf,
}

impl ImageFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
            ImageFormat::Pdf => "pdf",
        }
    }
}

/// A Graphviz layout program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Dot,
    Neato,
    Fdp,
    Sfdp,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Dot => "dot",
            Engine::Neato => "neato",
            Engine::Fdp => "fdp",
            Engine::Sfdp => "sfdp",
        }
    }

    fn for_size(nodes: usize, edges: usize) -> Engine {
        if nodes <= LAYERED_UP_TO && edges <= 2 * LAYERED_UP_TO {
            Engine::Dot
        } else {
            Engine::Sfdp
        }
    }
}

/// The diagrams output and how to render it.
pub struct Diagrams {
    pub formats: Vec<ImageFormat>,
    /// Forces a layout program; `None` chooses by size.
    pub engine: Option<Engine>,
}

/// Cluster colours (ColorBrewer Set3, 12 classes), then grey for the rest.
pub const PALETTE: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
];
const UNCLUSTERED: &str = "#f0f0f0";

/// A DOT string literal for Graphviz: quoted, with backslashes, quotes and
/// line breaks escaped, and `&` written `&amp;`, since Graphviz decodes
/// character entities in labels: so that any name (quotes, braces, `<b>`,
/// `A &amp; B`, `&#1;`, right-to-left scripts, emoji) is drawn exactly as
/// written. Characters that XML (and so SVG) cannot carry become U+FFFD;
/// other control characters become spaces, carriage returns are left out.
///
/// ```
/// use partnernet::output::diagrams::quoted;
/// assert_eq!(quoted("Say \"hi\"\\n"), "\"Say \\\"hi\\\"\\\\n\"");
/// assert_eq!(quoted("a\nb"), "\"a\\nb\"");
/// assert_eq!(quoted("A &amp; B"), "\"A &amp;amp; B\"");
/// assert_eq!(quoted("x\u{FFFF}\u{0}"), "\"x\u{FFFD}\u{FFFD}\"");
/// ```
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            c if !crate::text::xml_char(c) => out.push('\u{FFFD}'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// DOT text written by [`quoted`] as the built-in renderer wants it: it
/// draws text as written, without decoding entities, so each `&amp;` that
/// [`quoted`] wrote for a `&` is turned back.
fn for_builtin(dot: String) -> String {
    if dot.contains('&') {
        dot.replace("&amp;", "&")
    } else {
        dot
    }
}

fn id(text: &str) -> Id {
    Id::Escaped(quoted(text))
}

/// Graphviz reads quoted strings of at most 16 384 bytes; tooltips and
/// labels are cut well below that.
const ATTRIBUTE_CHARS: usize = 1000;

fn attr(key: &str, value: &str) -> Attribute {
    let value = if value.chars().count() > ATTRIBUTE_CHARS {
        value.chars().take(ATTRIBUTE_CHARS - 1).collect::<String>() + "…"
    } else {
        value.to_string()
    };
    Attribute(Id::Plain(key.to_string()), id(&value))
}

/// A label for a name: shortened at a word boundary to at most
/// [`LABEL_CHARS`] characters (a `…` says so; only a single word longer than
/// that is cut inside) and wrapped at word boundaries onto lines of about 20.
fn label(name: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    let mut length = 0;
    let mut shortened = false;
    for word in name.split_whitespace() {
        let more = word.chars().count() + usize::from(!words.is_empty());
        if length + more > LABEL_CHARS {
            shortened = true;
            break;
        }
        length += more;
        words.push(word);
    }
    let cut_word;
    if words.is_empty() && shortened {
        // One word longer than a label: nothing else to do but cut it.
        cut_word = name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .chars()
            .take(LABEL_CHARS - 1)
            .collect::<String>();
        words.push(&cut_word);
    }
    let mut lines: Vec<String> = vec![String::new()];
    for word in words {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && line.chars().count() + word.chars().count() > 20 {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    if shortened {
        lines.last_mut().expect("one line at least").push('…');
    }
    lines.join("\n")
}

/// Text for a Graphviz HTML-like label: `&`, `<`, `>` and `"` as entities,
/// control characters and characters XML forbids dropped.
fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() || !crate::text::xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The key of a diagram: its title, the shapes, the line styles and the
/// colours of the clusters drawn, as a compact HTML-like table under the
/// title, so that it never makes the picture wider than a few words.
fn key(report: &Report, title: &str, clusters_drawn: &[u32]) -> Attribute {
    let mut rows = vec![format!(
        "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"14\">{}</FONT></TD></TR>",
        html_text(title)
    )];
    let mut row = |sample: String, text: &str| {
        rows.push(format!(
            "<TR><TD ALIGN=\"LEFT\">{sample}</TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
            html_text(text)
        ))
    };
    for (sample, text) in KEY_SHAPES {
        row(sample.to_string(), text);
    }
    for (kind, text) in KEY_LINES {
        let (colour, style) = line_style(kind);
        let sample = match style {
            "dashed" => "- - -",
            "dotted" => "· · · ·",
            "bold" => "━━━",
            _ => "——",
        };
        row(
            format!("<FONT COLOR=\"{colour}\"><B>{sample}</B></FONT>"),
            text,
        );
    }
    let clusters = &report.clusters.clusters;
    for &k in clusters_drawn.iter().take(KEY_CLUSTERS) {
        if let Some(c) = clusters.get(k as usize) {
            rows.push(format!(
                "<TR><TD BGCOLOR=\"{}\" BORDER=\"1\"> </TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
                PALETTE[k as usize % PALETTE.len()],
                html_text(&label(&format!("cluster {k}: {}", c.label)).replace('\n', " "))
            ));
        }
    }
    if clusters_drawn.len() > KEY_CLUSTERS {
        rows.push(format!(
            "<TR><TD> </TD><TD ALIGN=\"LEFT\">and {} more clusters (clusters.csv)</TD></TR>",
            clusters_drawn.len() - KEY_CLUSTERS
        ));
    }
    Attribute(
        Id::Plain("label".to_string()),
        Id::Html(format!(
            "<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"1\" CELLPADDING=\"1\">{}</TABLE>>",
            rows.concat()
        )),
    )
}

/// Clusters named in a diagram's key at most.
const KEY_CLUSTERS: usize = 12;

const KEY_SHAPES: [(&str, &str); 5] = [
    ("[box]", "affiliate or hub"),
    ("(ellipse)", "institution"),
    ("hollow, dashed", "lead"),
    ("double border", "holds a part of the network to the rest"),
    ("size", "betweenness"),
];

/// The relation kinds the key names, with what it says for each.
const KEY_LINES: [(LineKind, &str); 7] = [
    (LineKind::Partner, "partner"),
    (LineKind::PastPartner, "past partner"),
    (LineKind::Collaborates, "affiliates collaborate"),
    (LineKind::Referral, "referral"),
    (LineKind::Other, "member or in contact"),
    (LineKind::Wish, "wish (wants it as a partner)"),
    (LineKind::Bridge, "its loss cuts off 2 or more"),
];

/// How a line is drawn.
#[derive(Clone, Copy)]
enum LineKind {
    Partner,
    PastPartner,
    Collaborates,
    Referral,
    Other,
    Wish,
    Bridge,
}

/// A line's colour and style.
fn line_style(kind: LineKind) -> (&'static str, &'static str) {
    match kind {
        LineKind::Partner => ("#555555", "solid"),
        LineKind::PastPartner => ("#777777", "dotted"),
        LineKind::Collaborates => ("#1f78b4", "bold"),
        LineKind::Referral => ("#33a02c", "dashed"),
        LineKind::Other => ("#aaaaaa", "solid"),
        LineKind::Wish => ("#ff7f00", "dashed"),
        LineKind::Bridge => ("red", "bold"),
    }
}

/// How a tie is drawn: by the strongest of its relation kinds.
fn tie_line(kinds: crate::model::KindSet) -> LineKind {
    use crate::model::RelationKind as K;
    if kinds.contains(K::Partner) {
        LineKind::Partner
    } else if kinds.contains(K::Collaborates) {
        LineKind::Collaborates
    } else if kinds.contains(K::Member) || kinds.contains(K::Contact) {
        LineKind::Other
    } else if kinds.contains(K::Referral) {
        LineKind::Referral
    } else if kinds.contains(K::PastPartner) {
        LineKind::PastPartner
    } else {
        LineKind::Other
    }
}

fn node_id(v: u32) -> NodeId {
    NodeId(Id::Plain(format!("n{v}")), None)
}

fn edge(a: u32, b: u32, attributes: Vec<Attribute>) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(Vertex::N(node_id(a)), Vertex::N(node_id(b))),
        attributes,
    })
}

fn graph(stmts: Vec<Stmt>) -> Graph {
    Graph::Graph {
        id: Id::Plain("partnernet".to_string()),
        strict: false,
        stmts,
    }
}

/// The DOT graph of one view. `full` adds what only Graphviz understands
/// (tooltips, layout settings); the fallback renderer gets the rest.
pub fn view_graph(report: &Report, view: &View, engine: Engine, full: bool) -> Graph {
    let orgs = report.model.orgs();
    let brokers = &report.brokers;
    let clusters = &report.clusters;
    let top = view
        .nodes
        .iter()
        .map(|&v| brokers.betweenness[v as usize])
        .filter(|b| b.is_finite())
        .fold(0.0f64, f64::max);
    let mut stmts: Vec<Stmt> = Vec::new();
    let mut clusters_in_view: Vec<u32> = view
        .nodes
        .iter()
        .filter_map(|&v| clusters.cluster[v as usize])
        .collect();
    clusters_in_view.sort_unstable();
    clusters_in_view.dedup();
    // The top leads and brokers carry their names wherever they are drawn.
    let named: std::collections::HashSet<u32> = report
        .leads
        .leads
        .iter()
        .take(NAMED_TOP)
        .map(|l| l.organisation)
        .chain(brokers.ranking.iter().take(NAMED_TOP).copied())
        .collect();
    if full {
        let mut g = vec![
            key(report, &view.title, &clusters_in_view),
            attr("labelloc", "t"),
            attr("labeljust", "l"),
            attr("fontsize", "12"),
            attr("fontname", "Helvetica"),
            // The file names its layout program, so that it is drawn the
            // same whichever Graphviz program or viewer opens it.
            attr("layout", engine.as_str()),
        ];
        if engine == Engine::Dot {
            g.push(attr("rankdir", "LR"));
        } else {
            g.push(attr("overlap", "prism"));
            g.push(attr("outputorder", "edgesfirst"));
        }
        stmts.push(Stmt::GAttribute(GraphAttributes::Graph(g)));
        stmts.push(Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "10"),
        ])));
    }
    for &v in &view.nodes {
        let o = &orgs[v as usize];
        let b = brokers.betweenness[v as usize];
        let size = if top > 0.0 && b.is_finite() {
            0.25 + 1.2 * (b / top).sqrt()
        } else {
            0.25
        };
        let colour = clusters.cluster[v as usize]
            .map(|c| PALETTE[c as usize % PALETTE.len()])
            .unwrap_or(UNCLUSTERED);
        let is_lead = view.leads.contains(&v);
        let unknown = o.kind == OrgKind::Unknown;
        let mut a = vec![
            attr(
                "label",
                &if view.labelled.contains(&v) || named.contains(&v) {
                    label(&o.name)
                } else {
                    String::new()
                },
            ),
            attr(
                "shape",
                if unknown {
                    "note"
                } else if o.kind.is_movement() {
                    "box"
                } else {
                    "ellipse"
                },
            ),
            attr(
                "style",
                if unknown {
                    "dotted"
                } else if is_lead {
                    "dashed"
                } else {
                    "filled"
                },
            ),
            attr(
                "fillcolor",
                if is_lead || unknown { "white" } else { colour },
            ),
        ];
        if unknown {
            // A name that matches no organisation: grey and dotted, never
            // like a real organisation.
            a.push(attr("color", "#999999"));
            a.push(attr("fontcolor", "#777777"));
        }
        if full {
            a.push(attr(
                "tooltip",
                &if unknown {
                    format!(
                        "{} (a name that matches no organisation: fix it, see data-quality.md)",
                        o.name
                    )
                } else {
                    format!("{} ({}, {})", o.name, o.kind, o.region_or_none())
                },
            ));
            a.push(attr("width", &format!("{size:.2}")));
            a.push(attr("height", &format!("{:.2}", size * 0.6)));
            if brokers.articulation_index[v as usize].is_some() {
                a.push(attr("peripheries", "2"));
            }
        }
        stmts.push(Stmt::Node(Node::new(node_id(v), a)));
    }
    let graph_ties = &report.model.ties.graph;
    let stagger = if full && engine == Engine::Dot {
        staggered_leaves(&view.ties)
    } else {
        std::collections::HashMap::new()
    };
    for &(x, y) in &view.ties {
        let bridge = view.bridges.contains(&(x, y));
        let weight = graph_ties
            .find_edge(
                petgraph::graph::NodeIndex::new(x as usize),
                petgraph::graph::NodeIndex::new(y as usize),
            )
            .map(|e| graph_ties[e].weight)
            .unwrap_or(1.0);
        let line = graph_ties
            .find_edge(
                petgraph::graph::NodeIndex::new(x as usize),
                petgraph::graph::NodeIndex::new(y as usize),
            )
            .map(|e| tie_line(graph_ties[e].kinds))
            .unwrap_or(LineKind::Other);
        let mut a = if bridge {
            vec![attr("color", "red"), attr("penwidth", "3")]
        } else {
            let (colour, style) = line_style(line);
            let mut a = vec![
                attr("color", colour),
                attr(
                    "penwidth",
                    &format!("{}", (1.0 + weight.ln().max(0.0)).min(4.0).round()),
                ),
            ];
            if style != "solid" {
                a.push(attr("style", style));
            }
            a
        };
        if let Some(&minlen) = stagger.get(&(x, y)) {
            a.push(attr("minlen", &minlen.to_string()));
        }
        if full {
            let kinds = graph_ties
                .find_edge(
                    petgraph::graph::NodeIndex::new(x as usize),
                    petgraph::graph::NodeIndex::new(y as usize),
                )
                .map(|e| graph_ties[e].kinds.to_string())
                .unwrap_or_default();
            a.push(attr(
                "tooltip",
                &format!(
                    "{} – {}: {kinds}",
                    orgs[x as usize].name, orgs[y as usize].name
                ),
            ));
        }
        stmts.push(edge(x, y, a));
    }
    for &(x, y) in &view.wishes {
        let (colour, style) = line_style(LineKind::Wish);
        let mut a = vec![attr("style", style), attr("color", colour)];
        if full {
            a.push(attr("constraint", "false"));
            a.push(attr(
                "tooltip",
                &format!(
                    "{} wants {} as a partner",
                    orgs[x as usize].name, orgs[y as usize].name
                ),
            ));
        }
        stmts.push(edge(x, y, a));
    }
    graph(stmts)
}

/// Leaves one organisation holds in a layered diagram's column at most:
/// more, and the column makes the picture more than 4 times as tall as wide.
pub const LEAVES_PER_COLUMN: usize = 12;

/// For a layered (`dot`, left to right) diagram, the ties to staggered
/// leaves with the `minlen` each gets: an organisation tied to more than
/// [`LEAVES_PER_COLUMN`] organisations that have no other tie in the
/// diagram would stack them all in one column (an affiliate of a generated
/// 10,000-organisation movement with 60 such partners was drawn 761 × 4,025
/// pixels); its leaves are spread over as many columns as needed, in turn
/// (as Graphviz's `unflatten -l` does). Diagrams without such a column get
/// nothing, so they are drawn as before.
///
/// ```
/// use partnernet::output::diagrams::staggered_leaves;
/// let star: Vec<(u32, u32)> = (1..=30).map(|leaf| (0, leaf)).collect();
/// let minlen = staggered_leaves(&star);
/// assert_eq!(minlen.len(), 30);
/// assert_eq!((minlen[&(0, 1)], minlen[&(0, 2)], minlen[&(0, 3)], minlen[&(0, 4)]), (1, 2, 3, 1));
/// assert!(staggered_leaves(&star[..12]).is_empty());
/// ```
pub fn staggered_leaves(ties: &[(u32, u32)]) -> std::collections::HashMap<(u32, u32), usize> {
    let mut degree: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for &(a, b) in ties {
        *degree.entry(a).or_default() += 1;
        *degree.entry(b).or_default() += 1;
    }
    let mut leaves: std::collections::BTreeMap<u32, Vec<(u32, u32)>> = Default::default();
    for &(a, b) in ties {
        match (degree[&a], degree[&b]) {
            (1, 1) => {}
            (1, _) => leaves.entry(b).or_default().push((a, b)),
            (_, 1) => leaves.entry(a).or_default().push((a, b)),
            _ => {}
        }
    }
    let mut minlen = std::collections::HashMap::new();
    for ties in leaves.values() {
        if ties.len() <= LEAVES_PER_COLUMN {
            continue;
        }
        let columns = ties.len().div_ceil(LEAVES_PER_COLUMN);
        for (i, &tie) in ties.iter().enumerate() {
            minlen.insert(tie, 1 + i % columns);
        }
    }
    minlen
}

/// The cluster diagram: one node per cluster, sized by members, edges
/// weighted by the ties between clusters; at most the `cap` largest of the
/// clusters the views chose.
pub fn clusters_graph(report: &Report, engine: Engine, full: bool, cap: usize) -> Graph {
    let c = &report.clusters;
    let views = &report.views;
    let largest = c
        .clusters
        .first()
        .map(|k| k.members.len())
        .unwrap_or(1)
        .max(1) as f64;
    let heaviest = views
        .cluster_ties
        .iter()
        .map(|t| t.2)
        .fold(0.0f64, f64::max)
        .max(1.0);
    let mut stmts = Vec::new();
    if full {
        let mut g = vec![
            attr("label", &format!("The movement's clusters at a glance\nmodularity {:.3}\nSize: organisations in the cluster\nLines: ties between clusters", c.modularity)),
            attr("labelloc", "t"),
            attr("fontname", "Helvetica"),
            attr("layout", engine.as_str()),
        ];
        if engine != Engine::Dot {
            g.push(attr("overlap", "prism"));
        }
        stmts.push(Stmt::GAttribute(GraphAttributes::Graph(g)));
        stmts.push(Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "10"),
        ])));
    }
    let drawn = &views.clusters[..views.clusters.len().min(cap)];
    let is_drawn: std::collections::HashSet<u32> = drawn.iter().copied().collect();
    for &k in drawn {
        let cluster = &c.clusters[k as usize];
        let size = 0.6 + 2.0 * (cluster.members.len() as f64 / largest).sqrt();
        let mut a = vec![
            attr(
                "label",
                &format!(
                    "{}\n{} organisations",
                    label(&format!("{k}. {}", cluster.label)),
                    cluster.members.len()
                ),
            ),
            attr("shape", "ellipse"),
            attr("style", "filled"),
            attr("fillcolor", PALETTE[k as usize % PALETTE.len()]),
        ];
        if full {
            a.push(attr("width", &format!("{size:.2}")));
            a.push(attr("tooltip", &cluster.label));
        }
        stmts.push(Stmt::Node(Node::new(node_id(k), a)));
    }
    for &(x, y, w) in views
        .cluster_ties
        .iter()
        .filter(|t| is_drawn.contains(&t.0) && is_drawn.contains(&t.1))
    {
        let pen = 1.0 + 5.0 * (w / heaviest);
        let mut a = vec![
            attr("penwidth", &format!("{pen:.1}")),
            attr("color", "#888888"),
        ];
        if full {
            a.push(attr("tooltip", &format!("tie weight {w}")));
        }
        stmts.push(edge(x, y, a));
    }
    graph(stmts)
}

/// The most directed paths (counted as [`builtin_path_cost`] counts them) a
/// diagram handed to the built-in renderer may hold.
pub const BUILTIN_PATH_BUDGET: u64 = 3_000;

/// The most lines per organisation (or cluster) a diagram handed to the
/// built-in renderer keeps, counting those that hold it together (which are
/// always kept): its layered layout reads well, and stays quick, with at
/// most twice as many lines as nodes (the same rule as [`LAYERED_UP_TO`] for
/// Graphviz). On the cluster
/// diagram of a 10,000-organisation movement (60 clusters, 404 lines) the
/// renderer took 0.31 s for 136 lines, 1.3 s for 180 and 5.7 s for 241.
pub const BUILTIN_LINES_PER_NODE: usize = 2;

/// Shapes a diagram for the built-in renderer, so that drawing it takes
/// bounded time.
///
/// The renderer (layout-rs 0.1) checks after adding each line that its lines
/// still form no cycle, by walking every directed path that starts at the end
/// of each line (`DAG::verify`, unmemoised). Its time grows with the number of
/// such paths, which in a densely tied diagram is astronomical: 60 clusters
/// all tied to each other hold more than 2^57, and the diagrams of a
/// 100,000-organisation movement did not finish in 5 minutes.
///
/// So every line is turned to run from the organisation declared first to the
/// one declared later (the lines then form no cycle, and the renderer turns
/// none around), all the lines that hold the diagram together are kept (a
/// spanning forest, taken in the order given), and the other lines are kept,
/// in the order given, while the paths stay within [`BUILTIN_PATH_BUDGET`]
/// and the lines number at most [`BUILTIN_LINES_PER_NODE`] per node. Returns
/// the graph and how many lines were left out.
///
/// ```
/// use graphviz_rust::dot_structures::*;
/// use partnernet::output::diagrams::{builtin_path_cost, fit_for_builtin};
/// // 60 organisations, each tied to every other: 1,770 lines.
/// let node = |i: usize| NodeId(Id::Plain(format!("n{i}")), None);
/// let mut stmts: Vec<Stmt> = (0..60).map(|i| Stmt::Node(Node::new(node(i), vec![]))).collect();
/// for i in 0..60 {
///     for j in 0..i {
///         let ty = EdgeTy::Pair(Vertex::N(node(i)), Vertex::N(node(j)));
///         stmts.push(Stmt::Edge(Edge { ty, attributes: vec![] }));
///     }
/// }
/// let graph = Graph::Graph { id: Id::Plain("g".into()), strict: false, stmts };
/// let (fitted, left_out) = fit_for_builtin(graph);
/// let Graph::Graph { stmts, .. } = &fitted else { unreachable!() };
/// let kept = stmts.iter().filter(|s| matches!(s, Stmt::Edge(_))).count();
/// assert_eq!(kept + left_out, 1770);
/// assert!(kept >= 59, "every organisation stays tied to the others");
/// assert!(kept <= 120, "at most twice as many lines as organisations");
/// assert!(builtin_path_cost(&fitted) <= 3_000);
/// ```
pub fn fit_for_builtin(mut graph: Graph) -> (Graph, usize) {
    let stmts = statements(&mut graph);
    let (n, lines) = numbered_lines(stmts);
    let mut keep = vec![false; lines.len()];
    let mut forest = petgraph::unionfind::UnionFind::<usize>::new(n);
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut kept = 0;
    for (k, line) in lines.iter().enumerate() {
        if forest.union(line.from, line.to) {
            keep[k] = true;
            succ[line.from].push(line.to);
            kept += 1;
        }
    }
    for (k, line) in lines.iter().enumerate() {
        if keep[k] || kept >= BUILTIN_LINES_PER_NODE * n {
            continue;
        }
        succ[line.from].push(line.to);
        if path_cost(&succ) <= BUILTIN_PATH_BUDGET {
            keep[k] = true;
            kept += 1;
        } else {
            succ[line.from].pop();
        }
    }
    let mut dropped = vec![false; stmts.len()];
    for (line, &k) in lines.iter().zip(&keep) {
        if !k {
            dropped[line.stmt] = true;
        } else if line.turned {
            if let Stmt::Edge(Edge {
                ty: EdgeTy::Pair(a, b),
                ..
            }) = &mut stmts[line.stmt]
            {
                std::mem::swap(a, b);
            }
        }
    }
    let mut i = 0;
    stmts.retain(|_| {
        i += 1;
        !dropped[i - 1]
    });
    (graph, lines.len() - kept)
}

/// What walking every directed path from the end of every line costs the
/// built-in renderer, for a graph whose lines run from the node declared
/// first to the one declared later (as [`fit_for_builtin`] leaves them): the
/// sum, over the lines, of the number of paths that start at the line's end.
pub fn builtin_path_cost(graph: &Graph) -> u64 {
    let stmts = match graph {
        Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
    };
    let (n, lines) = numbered_lines(stmts);
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for line in lines {
        succ[line.from].push(line.to);
    }
    path_cost(&succ)
}

fn statements(graph: &mut Graph) -> &mut Vec<Stmt> {
    match graph {
        Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
    }
}

/// A line of a DOT graph between two different nodes, numbered by
/// [`numbered_lines`].
struct Line {
    /// Its statement's index.
    stmt: usize,
    /// Its ends' numbers, `from < to`.
    from: usize,
    to: usize,
    /// Whether the statement names `to` first.
    turned: bool,
}

/// The number of nodes and the lines between two different nodes, each
/// node numbered in the order it is first named (declared nodes first). A
/// line to itself is left out: the renderer sets it aside, and it makes no
/// path.
fn numbered_lines(stmts: &[Stmt]) -> (usize, Vec<Line>) {
    let mut order = DeclarationOrder::default();
    for s in stmts {
        if let Stmt::Node(n) = s {
            order.of(&n.id);
        }
    }
    let mut lines = Vec::new();
    for (stmt, s) in stmts.iter().enumerate() {
        if let Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(a), Vertex::N(b)),
            ..
        }) = s
        {
            let (a, b) = (order.of(a), order.of(b));
            if a != b {
                lines.push(Line {
                    stmt,
                    from: a.min(b),
                    to: a.max(b),
                    turned: a > b,
                });
            }
        }
    }
    (order.len(), lines)
}

/// Numbers the nodes of a DOT graph in the order they are first named.
#[derive(Default)]
struct DeclarationOrder(std::collections::HashMap<NodeId, usize>);

impl DeclarationOrder {
    fn of(&mut self, node: &NodeId) -> usize {
        let next = self.0.len();
        *self.0.entry(node.clone()).or_insert(next)
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// For lines that run from lower to higher numbers (`succ[a]` holds the `b`
/// of every line a -> b), the sum over the lines of the number of directed
/// paths that start at each line's end, the empty path included; saturates.
fn path_cost(succ: &[Vec<usize>]) -> u64 {
    let mut paths = vec![1u64; succ.len()];
    for a in (0..succ.len()).rev() {
        for &b in &succ[a] {
            paths[a] = paths[a].saturating_add(paths[b]);
        }
    }
    succ.iter()
        .flatten()
        .fold(0u64, |sum, &b| sum.saturating_add(paths[b]))
}

fn print(graph: &Graph) -> String {
    let mut ctx = PrinterContext::default();
    graph.print(&mut ctx)
}

pub use crate::layout::graphviz_available;

/// One diagram to write: its path without extension, and its two DOT forms.
struct Job {
    stem: PathBuf,
    engine: Engine,
    dot: String,
    /// What the built-in renderer draws, made only when Graphviz is missing.
    builtin: Option<BuiltinDot>,
}

/// A diagram as the built-in renderer gets it: [`fit_for_builtin`], printed.
pub struct BuiltinDot {
    pub dot: String,
    /// The lines left out.
    pub left_out: usize,
}

impl BuiltinDot {
    pub fn new(graph: Graph) -> BuiltinDot {
        let (graph, left_out) = fit_for_builtin(graph);
        BuiltinDot {
            dot: for_builtin(print(&graph)),
            left_out,
        }
    }
}

/// The file names of the affiliates (by index into the organisations) and
/// regions, the same as in `leads/`.
struct Names<'a> {
    orgs: Vec<Option<String>>,
    regions: std::collections::HashMap<&'a str, String>,
}

impl Diagrams {
    /// The network diagram (`diagrams/network`): the Graphviz program that
    /// lays it out and its DOT text, byte for byte what `network.dot` holds.
    /// `analyse`'s `layout` stage hands them to [`crate::layout::graphviz`].
    pub fn network_dot(&self, report: &Report) -> (Engine, String) {
        let view = &report.views.network;
        let engine = self.engine_for(view.nodes.len(), view.ties.len() + view.wishes.len());
        (engine, print(&view_graph(report, view, engine, true)))
    }

    /// The layout program of a diagram of `nodes` organisations and `edges`
    /// lines: the one asked for, or the one for its size.
    fn engine_for(&self, nodes: usize, edges: usize) -> Engine {
        self.engine.unwrap_or(Engine::for_size(nodes, edges))
    }

    /// The drawing jobs; `names` are the affiliates' and regions' file
    /// names, as in every folder.
    fn jobs(&self, report: &Report, dir: &Path, fallback: bool, names: &Names) -> Vec<Job> {
        let views = &report.views;
        let mut jobs = Vec::new();
        let engine = |n: usize, e: usize| self.engine_for(n, e);
        let mut push_view = |stem: PathBuf, view: &View| {
            let e = engine(view.nodes.len(), view.ties.len() + view.wishes.len());
            jobs.push(Job {
                stem,
                engine: e,
                dot: print(&view_graph(report, view, e, true)),
                builtin: fallback.then(|| {
                    let view = view.most_central(FALLBACK_CAP);
                    BuiltinDot::new(view_graph(report, &view, e, false))
                }),
            });
        };
        push_view(dir.join("diagrams/network"), &views.network);
        for (region, view) in &views.regions {
            if let Some(file) = names.regions.get(region.as_str()) {
                push_view(dir.join("diagrams/regions").join(file), view);
            }
        }
        for (a, view) in &views.affiliates {
            if let Some(file) = &names.orgs[*a as usize] {
                push_view(dir.join("diagrams/affiliates").join(file), view);
            }
        }
        let e = engine(views.clusters.len(), views.cluster_ties.len());
        jobs.push(Job {
            stem: dir.join("diagrams/clusters"),
            engine: e,
            dot: print(&clusters_graph(report, e, true, usize::MAX)),
            builtin: fallback
                .then(|| BuiltinDot::new(clusters_graph(report, e, false, FALLBACK_CAP))),
        });
        jobs
    }
}

/// Diagrams laid out by `dot` that one Graphviz process draws at most.
const BATCH_MOST: usize = 64;

/// What one Graphviz process draws: one diagram, or a batch of diagrams all
/// laid out by `dot`.
///
/// Starting Graphviz costs about 13 ms of processor time (loading its
/// libraries and reading the fonts' settings), more than laying out and
/// drawing a typical affiliate's diagram (about 4 ms), so the diagrams laid
/// out by `dot` are drawn in batches, each batch by one process (`dot -O`
/// with many files). `dot` lays out each file of a batch exactly as it would
/// alone. `sfdp` (and the other programs) do not: they carry random state
/// from one graph to the next, so each of their diagrams gets its own
/// process. Either way one process writes every format of a diagram, from
/// one layout.
struct Batch<'a> {
    engine: Engine,
    jobs: Vec<&'a Job>,
    /// A rough cost, to start the longest first: the DOT text's length.
    cost: usize,
}

/// Groups the jobs into [`Batch`]es: a batch of its own for each diagram
/// not laid out by `dot`, and the `dot` diagrams in batches of at most
/// [`BATCH_MOST`], about twice as many as `threads`, of about equal cost;
/// the costliest batch first.
fn batches(jobs: &[Job], threads: usize) -> Vec<Batch<'_>> {
    let mut out: Vec<Batch> = Vec::new();
    let (layered, other): (Vec<&Job>, Vec<&Job>) =
        jobs.iter().partition(|j| j.engine == Engine::Dot);
    for job in other {
        out.push(Batch {
            engine: job.engine,
            jobs: vec![job],
            cost: job.dot.len(),
        });
    }
    let total: usize = layered.iter().map(|j| j.dot.len()).sum();
    let share = total.div_ceil(2 * threads.max(1)).max(1);
    let mut current = Batch {
        engine: Engine::Dot,
        jobs: Vec::new(),
        cost: 0,
    };
    for job in layered {
        if !current.jobs.is_empty()
            && (current.cost + job.dot.len() > share || current.jobs.len() >= BATCH_MOST)
        {
            out.push(std::mem::replace(
                &mut current,
                Batch {
                    engine: Engine::Dot,
                    jobs: Vec::new(),
                    cost: 0,
                },
            ));
        }
        current.cost += job.dot.len();
        current.jobs.push(job);
    }
    if !current.jobs.is_empty() {
        out.push(current);
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.cost));
    out
}

/// Draws a batch in every format with one Graphviz process. A single
/// diagram is drawn straight into its files; a batch is drawn with `-O`
/// (each `x.dot` to `x.dot.svg`, ...), and each picture is then renamed to
/// `x.svg`, ... .
fn render_batch(batch: &Batch, formats: &[ImageFormat]) -> anyhow::Result<()> {
    let program = batch.engine.as_str();
    let mut command = Command::new(program);
    let single = batch.jobs.len() == 1;
    for &format in formats {
        command.arg(format!("-T{}", format.as_str()));
        if single {
            command
                .arg("-o")
                .arg(batch.jobs[0].stem.with_extension(format.as_str()));
        }
    }
    if !single {
        command.arg("-O");
    }
    for job in &batch.jobs {
        command.arg(job.stem.with_extension("dot"));
    }
    let out = command
        .output()
        .with_context(|| format!("cannot run Graphviz's {program}"))?;
    if !out.status.success() {
        let files: Vec<String> = batch
            .jobs
            .iter()
            .map(|j| j.stem.with_extension("dot").display().to_string())
            .collect();
        bail!(
            "Graphviz could not draw {}: {}",
            files.join(", "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    if single {
        return Ok(());
    }
    for job in &batch.jobs {
        for &format in formats {
            let drawn = job.stem.with_extension(format!("dot.{}", format.as_str()));
            let target = job.stem.with_extension(format.as_str());
            if format == ImageFormat::Svg {
                let svg = std::fs::read(&drawn)
                    .with_context(|| format!("cannot read {}", drawn.display()))?;
                std::fs::write(&target, without_page_prefix(svg))
                    .with_context(|| format!("cannot write {}", target.display()))?;
                std::fs::remove_file(&drawn)
                    .with_context(|| format!("cannot remove {}", drawn.display()))?;
            } else {
                std::fs::rename(&drawn, &target)
                    .with_context(|| format!("cannot write {}", target.display()))?;
            }
        }
    }
    Ok(())
}

/// An SVG drawn by a Graphviz process after another graph, with the
/// graph's own id as a process drawing it alone writes it.
///
/// Graphviz (2.43) keeps the page position of the graph it drew before and
/// so names the next graph's group `page0,1_graph0` instead of `graph0`
/// (the diagrams are never split into pages, so no other id has the
/// prefix). This turns the first such id back, leaving every other byte.
///
/// ```
/// use partnernet::output::diagrams::without_page_prefix;
/// let svg = b"<svg>\n<g id=\"page0,1_graph0\" class=\"graph\">\n<g id=\"node1\" class=\"node\">".to_vec();
/// assert_eq!(
///     without_page_prefix(svg),
///     b"<svg>\n<g id=\"graph0\" class=\"graph\">\n<g id=\"node1\" class=\"node\">".to_vec()
/// );
/// let alone = b"<svg>\n<g id=\"graph0\" class=\"graph\">".to_vec();
/// assert_eq!(without_page_prefix(alone.clone()), alone);
/// ```
pub fn without_page_prefix(mut svg: Vec<u8>) -> Vec<u8> {
    const START: &[u8] = b"<g id=\"page";
    const END: &[u8] = b"_graph0\" class=\"graph\"";
    let Some(at) = memchr::memmem::find(&svg, b"<g id=\"") else {
        return svg;
    };
    if !svg[at..].starts_with(START) {
        return svg;
    }
    let digits = at + START.len();
    let rest = &svg[digits..];
    let run = rest
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b',')
        .count();
    if run == 0 || !rest[run..].starts_with(END) {
        return svg;
    }
    // Remove "page" and the digits with their "_", keeping `<g id="`.
    svg.drain(at + b"<g id=\"".len()..digits + run + 1);
    svg
}

/// What the built-in renderer draws for a diagram without organisations
/// (the clusters' diagram when every organisation is in a small part of the
/// network): layout-rs cannot lay out an empty graph.
const NOTHING_TO_DRAW: &str = "graph { \"No organisations to draw in this diagram\" [shape=box] }";

/// Draws DOT text to SVG with layout-rs. A graph without nodes is drawn as
/// one box that says so.
///
/// ```
/// let svg = partnernet::output::diagrams::render_fallback("graph { }").unwrap();
/// assert!(svg.contains("No organisations to draw"));
/// ```
pub fn render_fallback(dot: &str) -> anyhow::Result<String> {
    let read = |dot: &str| -> anyhow::Result<layout::topo::layout::VisualGraph> {
        let mut parser = layout::gv::DotParser::new(dot);
        let ast = parser
            .process()
            .map_err(|e| anyhow::anyhow!("the built-in renderer cannot read the diagram: {e}"))?;
        let mut builder = layout::gv::GraphBuilder::new();
        builder.visit_graph(&ast);
        Ok(builder.get())
    };
    let mut graph = read(dot)?;
    if graph.num_nodes() == 0 {
        graph = read(NOTHING_TO_DRAW)?;
    }
    let mut svg = layout::backends::svg::SVGWriter::new();
    graph.do_it(false, false, false, &mut svg);
    Ok(svg.finalize())
}

impl Output for Diagrams {
    fn name(&self) -> &'static str {
        "diagrams"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        self.write_all_but_network_pictures(report, dir)?;
        self.write_network_pictures(report, dir)
    }
}

impl Diagrams {
    /// Writes every diagram's `.dot` file, the indexes of `diagrams/affiliates`
    /// and `diagrams/regions`, and every picture but the network diagram's,
    /// which [`Diagrams::write_network_pictures`] writes. `analyse` draws the
    /// network diagram in its `layout` stage at the same time as this.
    ///
    /// Errors when a file cannot be written or Graphviz fails on a diagram
    /// (its message is included).
    pub fn write_all_but_network_pictures(
        &self,
        report: &Report,
        dir: &Path,
    ) -> anyhow::Result<()> {
        let graphviz = graphviz_available();
        let orgs = report.model.orgs();
        let names = Names {
            orgs: organisation_files(orgs),
            regions: region_files(orgs),
        };
        let mut jobs = self.jobs(report, dir, !graphviz, &names);
        for job in &jobs {
            if let Some(parent) = job.stem.parent() {
                super::dir::create_folders(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            let dot = job.stem.with_extension("dot");
            std::fs::write(&dot, &job.dot)
                .with_context(|| format!("cannot write {}", dot.display()))?;
        }
        // The index of each folder names the picture (its .dot file and
        // other formats share the name).
        let picture = match self.formats.first() {
            Some(f) if graphviz => f.as_str(),
            _ => "svg",
        };
        let views = &report.views;
        let drawn: Vec<(&str, &crate::model::Organisation)> = views
            .affiliates
            .iter()
            .filter_map(|(a, _)| Some((names.orgs[*a as usize].as_deref()?, &orgs[*a as usize])))
            .collect();
        if !drawn.is_empty() {
            file_names::write_organisation_index(
                &dir.join("diagrams/affiliates"),
                picture,
                &drawn,
            )?;
        }
        let regions: Vec<(&str, &str)> = views
            .regions
            .iter()
            .filter_map(|(r, _)| Some((names.regions.get(r.as_str())?.as_str(), r.as_str())))
            .collect();
        if !regions.is_empty() {
            file_names::write_region_index(&dir.join("diagrams/regions"), picture, &regions)?;
        }
        if !graphviz {
            say_builtin_renderer(&jobs);
        }
        let network = network_stem(dir);
        jobs.retain(|j| j.stem != network);
        self.draw(&jobs, graphviz)
    }

    /// Writes the network diagram's pictures (`diagrams/network.svg` and the
    /// other formats asked for): the ones of `report.network_layout` when
    /// Graphviz drew this very diagram there (its `.dot` text and program,
    /// see [`Diagrams::network_dot`]), otherwise drawn now, by Graphviz or,
    /// without it, by the built-in renderer.
    ///
    /// Errors when a file cannot be written or drawing fails.
    pub fn write_network_pictures(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let graphviz = graphviz_available();
        let network = network_stem(dir);
        let (engine, dot) = self.network_dot(report);
        if let Some(layout) = report.network_layout.as_ref().filter(|_| graphviz) {
            let same = layout.program == engine.as_str() && layout.dot == dot;
            let pictures: Option<Vec<(ImageFormat, &[u8])>> = self
                .formats
                .iter()
                .map(|&f| Some((f, layout.picture(f.as_str())?)))
                .collect();
            if let Some(pictures) = pictures.filter(|_| same) {
                for (format, bytes) in pictures {
                    let path = network.with_extension(format.as_str());
                    std::fs::write(&path, bytes)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                }
                return Ok(());
            }
        }
        let view = &report.views.network;
        let job = Job {
            stem: network,
            engine,
            dot,
            builtin: (!graphviz).then(|| {
                let view = view.most_central(FALLBACK_CAP);
                BuiltinDot::new(view_graph(report, &view, engine, false))
            }),
        };
        self.draw(std::slice::from_ref(&job), graphviz)
    }

    /// Draws the pictures of `jobs`: with Graphviz, its processes side by
    /// side, one per thread, each thread taking the next batch, the
    /// costliest first; without it, each job's built-in drawing as SVG.
    fn draw(&self, jobs: &[Job], graphviz: bool) -> anyhow::Result<()> {
        if !graphviz {
            return jobs
                .par_iter()
                .map(|job| -> anyhow::Result<()> {
                    if let Some(builtin) = &job.builtin {
                        let svg = render_fallback(&builtin.dot)?;
                        std::fs::write(job.stem.with_extension("svg"), svg)?;
                    }
                    Ok(())
                })
                .collect::<Vec<_>>()
                .into_iter()
                .collect();
        }
        let threads = rayon::current_num_threads().max(1);
        let batches = batches(jobs, threads);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<anyhow::Result<()>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.min(batches.len()))
                .map(|_| {
                    scope.spawn(|| -> anyhow::Result<()> {
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(batch) = batches.get(i) else {
                                return Ok(());
                            };
                            render_batch(batch, &self.formats)?;
                        }
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join()
                        .unwrap_or_else(|_| bail!("a drawing thread failed"))
                })
                .collect()
        });
        results.into_iter().collect()
    }
}

/// Where the network diagram's files go, without their extension.
fn network_stem(dir: &Path) -> PathBuf {
    dir.join("diagrams/network")
}

/// Tells, on the terminal, that the built-in renderer drew the diagrams
/// since Graphviz is missing, and how many lines it left out of `jobs`.
fn say_builtin_renderer(jobs: &[Job]) {
    let left_out: usize = jobs
        .iter()
        .flat_map(|j| &j.builtin)
        .map(|b| b.left_out)
        .sum();
    let thinned = if left_out > 0 {
        format!(
            " Where those organisations are densely tied, it draws the lines that hold them together and leaves \
             others out ({left_out} lines in all; the .dot files have every line)."
        )
    } else {
        String::new()
    };
    eprintln!(
        "Graphviz is not installed, so the diagrams were drawn as SVG by partnernet's simpler built-in renderer, \
         each with at most its {FALLBACK_CAP} most central organisations.{thinned} \
         For better pictures (and PNG or PDF), install Graphviz (sudo apt-get install graphviz; brew install graphviz; \
         or the installer from graphviz.org) and run again."
    );
}
