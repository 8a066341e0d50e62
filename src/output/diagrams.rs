//! Diagrams: every view of [`crate::analysis::views`] as a Graphviz DOT file,
//! built with graphviz-rust's graph structures and drawn by the Graphviz
//! programs (to SVG, and PNG or PDF on request), in parallel. Without
//! Graphviz, the SVG is drawn by the pure-Rust layout-rs renderer, and one
//! message says how to install Graphviz for better pictures.
//!
//! Engine: a layered layout (`dot`) for diagrams of up to
//! [`LAYERED_UP_TO`] organisations and twice as many lines, `sfdp` with
//! overlap removal above that;
//! `--engine` forces one.
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
use std::sync::OnceLock;

use anyhow::{bail, Context};
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use rayon::prelude::*;

use super::{file_names, Output};
use crate::analysis::views::View;
use crate::report::Report;

/// Diagrams with at most this many organisations (and twice as many lines)
/// get a layered layout.
pub const LAYERED_UP_TO: usize = 60;

/// Organisations (or clusters) a diagram drawn without Graphviz shows.
pub const FALLBACK_CAP: usize = 60;

/// How long a label may be before it is shortened (the full name is in the
/// tooltip).
const LABEL_CHARS: usize = 40;

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
const PALETTE: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
];
const UNCLUSTERED: &str = "#f0f0f0";

/// A DOT string literal: quoted, with backslashes, quotes and line breaks
/// escaped, so that any name (quotes, braces, `<b>`, right-to-left scripts,
/// emoji) is shown as written.
///
/// ```
/// use partnernet::output::diagrams::quoted;
/// assert_eq!(quoted("Say \"hi\"\\n"), "\"Say \\\"hi\\\"\\\\n\"");
/// assert_eq!(quoted("a\nb"), "\"a\\nb\"");
/// ```
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' | '\0' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

/// A label for a name: shortened to [`LABEL_CHARS`] characters and wrapped
/// onto lines of about 20.
fn label(name: &str) -> String {
    let short: String = if name.chars().count() > LABEL_CHARS {
        name.chars().take(LABEL_CHARS - 1).collect::<String>() + "…"
    } else {
        name.to_string()
    };
    let mut lines: Vec<String> = vec![String::new()];
    for word in short.split_whitespace() {
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
    lines.join("\n")
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

const LEGEND: &str = "Boxes: affiliates and hubs. Ellipses: institutions. Dashed and hollow: leads. Double border: organisations that hold a part of the network to the rest. Bold red lines: ties whose loss would cut off two or more organisations. Colours: clusters. Size: betweenness.";

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
    if full {
        let mut g = vec![
            attr("label", &format!("{}\n{LEGEND}", view.title)),
            attr("labelloc", "t"),
            attr("fontsize", "12"),
            attr("fontname", "Helvetica"),
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
        let mut a = vec![
            attr(
                "label",
                &if view.labelled.contains(&v) {
                    label(&o.name)
                } else {
                    String::new()
                },
            ),
            attr(
                "shape",
                if o.kind.is_movement() {
                    "box"
                } else {
                    "ellipse"
                },
            ),
            attr("style", if is_lead { "dashed" } else { "filled" }),
            attr("fillcolor", if is_lead { "white" } else { colour }),
        ];
        if full {
            a.push(attr(
                "tooltip",
                &format!("{} ({}, {})", o.name, o.kind, o.region_or_none()),
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
    for &(x, y) in &view.ties {
        let bridge = view.bridges.contains(&(x, y));
        let weight = graph_ties
            .find_edge(
                petgraph::graph::NodeIndex::new(x as usize),
                petgraph::graph::NodeIndex::new(y as usize),
            )
            .map(|e| graph_ties[e].weight)
            .unwrap_or(1.0);
        let mut a = if bridge {
            vec![attr("color", "red"), attr("penwidth", "3")]
        } else {
            vec![
                attr("color", "#888888"),
                attr(
                    "penwidth",
                    &format!("{}", (1.0 + weight.ln().max(0.0)).min(4.0).round()),
                ),
            ]
        };
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
        let mut a = vec![attr("style", "dashed"), attr("color", "#4477aa")];
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
            attr("label", &format!("The movement's clusters at a glance (modularity {:.3}). Size: organisations in the cluster. Lines: ties between clusters.", c.modularity)),
            attr("labelloc", "t"),
            attr("fontname", "Helvetica"),
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
pub fn fit_for_builtin(graph: Graph) -> (Graph, usize) {
    let (id, strict, stmts) = match graph {
        Graph::Graph { id, strict, stmts } | Graph::DiGraph { id, strict, stmts } => {
            (id, strict, stmts)
        }
    };
    let mut order = DeclarationOrder::default();
    for s in &stmts {
        if let Stmt::Node(n) = s {
            order.of(&n.id);
        }
    }
    // Each line as (statement, from, to), turned to run forwards.
    let mut lines: Vec<(usize, usize, usize)> = Vec::new();
    for (i, s) in stmts.iter().enumerate() {
        if let Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(a), Vertex::N(b)),
            ..
        }) = s
        {
            let (a, b) = (order.of(a), order.of(b));
            lines.push((i, a.min(b), a.max(b)));
        }
    }
    let n = order.len();
    let mut keep = vec![false; lines.len()];
    let mut forest = petgraph::unionfind::UnionFind::<usize>::new(n);
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut kept = 0;
    for (k, &(_, a, b)) in lines.iter().enumerate() {
        if a != b && forest.union(a, b) {
            keep[k] = true;
            succ[a].push(b);
            kept += 1;
        }
    }
    for (k, &(_, a, b)) in lines.iter().enumerate() {
        if keep[k] {
            continue;
        }
        if a == b {
            // The renderer sets a line to itself aside: it makes no path.
            keep[k] = true;
            continue;
        }
        if kept >= BUILTIN_LINES_PER_NODE * n {
            continue;
        }
        succ[a].push(b);
        if path_cost(&succ) <= BUILTIN_PATH_BUDGET {
            keep[k] = true;
            kept += 1;
        } else {
            succ[a].pop();
        }
    }
    let left_out = keep.iter().filter(|k| !**k).count();
    let mut line = lines.iter().zip(&keep).peekable();
    let mut kept_stmts = Vec::with_capacity(stmts.len() - left_out);
    for (i, s) in stmts.into_iter().enumerate() {
        match line.peek() {
            Some(&(&(at, a, b), &k)) if at == i => {
                line.next();
                if !k {
                    continue;
                }
                let Stmt::Edge(mut e) = s else {
                    unreachable!("lines are edge statements")
                };
                if let EdgeTy::Pair(Vertex::N(x), Vertex::N(y)) = &mut e.ty {
                    if order.of(x) != a || order.of(y) != b {
                        std::mem::swap(x, y);
                    }
                }
                kept_stmts.push(Stmt::Edge(e));
            }
            _ => kept_stmts.push(s),
        }
    }
    let graph = Graph::Graph {
        id,
        strict,
        stmts: kept_stmts,
    };
    (graph, left_out)
}

/// What walking every directed path from the end of every line costs the
/// built-in renderer, for a graph whose lines run from the node declared
/// first to the one declared later (as [`fit_for_builtin`] leaves them): the
/// sum, over the lines, of the number of paths that start at the line's end.
pub fn builtin_path_cost(graph: &Graph) -> u64 {
    let stmts = match graph {
        Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
    };
    let mut order = DeclarationOrder::default();
    let mut pairs = Vec::new();
    for s in stmts {
        match s {
            Stmt::Node(n) => {
                order.of(&n.id);
            }
            Stmt::Edge(Edge {
                ty: EdgeTy::Pair(Vertex::N(a), Vertex::N(b)),
                ..
            }) => pairs.push((order.of(a), order.of(b))),
            _ => {}
        }
    }
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
    for (a, b) in pairs {
        if a != b {
            succ[a.min(b)].push(a.max(b));
        }
    }
    path_cost(&succ)
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

/// Whether the Graphviz programs are on the PATH.
pub fn graphviz_available() -> bool {
    static FOUND: OnceLock<bool> = OnceLock::new();
    *FOUND.get_or_init(|| {
        Command::new("dot")
            .arg("-V")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    })
}

/// One diagram to write: its path without extension, and its two DOT forms.
struct Job {
    stem: PathBuf,
    engine: Engine,
    dot: String,
    /// The DOT for the built-in renderer, made only when Graphviz is missing.
    fallback: Option<String>,
    /// Lines the built-in renderer's DOT leaves out (see [`fit_for_builtin`]).
    left_out: usize,
}

/// The DOT for the built-in renderer and the lines it leaves out.
fn builtin_dot(graph: Graph) -> (String, usize) {
    let (graph, left_out) = fit_for_builtin(graph);
    (print(&graph), left_out)
}

impl Diagrams {
    fn jobs(&self, report: &Report, dir: &Path, fallback: bool) -> Vec<Job> {
        let views = &report.views;
        let mut jobs = Vec::new();
        let engine = |n: usize, e: usize| self.engine.unwrap_or(Engine::for_size(n, e));
        let mut push_view = |stem: PathBuf, view: &View| {
            let e = engine(view.nodes.len(), view.ties.len() + view.wishes.len());
            let builtin = fallback.then(|| {
                builtin_dot(view_graph(
                    report,
                    &view.most_central(FALLBACK_CAP),
                    e,
                    false,
                ))
            });
            jobs.push(Job {
                stem,
                engine: e,
                dot: print(&view_graph(report, view, e, true)),
                left_out: builtin.as_ref().map_or(0, |b| b.1),
                fallback: builtin.map(|b| b.0),
            });
        };
        push_view(dir.join("diagrams/network"), &views.network);
        let regions = file_names(views.regions.iter().map(|(r, _)| r.as_str()));
        for ((_, view), file) in views.regions.iter().zip(regions) {
            push_view(dir.join("diagrams/regions").join(file), view);
        }
        let orgs = report.model.orgs();
        let affiliates = file_names(
            views
                .affiliates
                .iter()
                .map(|(a, _)| orgs[*a as usize].id.as_str()),
        );
        for ((_, view), file) in views.affiliates.iter().zip(affiliates) {
            push_view(dir.join("diagrams/affiliates").join(file), view);
        }
        let e = engine(views.clusters.len(), views.cluster_ties.len());
        let builtin = fallback.then(|| builtin_dot(clusters_graph(report, e, false, FALLBACK_CAP)));
        jobs.push(Job {
            stem: dir.join("diagrams/clusters"),
            engine: e,
            dot: print(&clusters_graph(report, e, true, usize::MAX)),
            left_out: builtin.as_ref().map_or(0, |b| b.1),
            fallback: builtin.map(|b| b.0),
        });
        jobs
    }
}

fn render_graphviz(job: &Job, format: ImageFormat) -> anyhow::Result<()> {
    let dot = job.stem.with_extension("dot");
    let target = job.stem.with_extension(format.as_str());
    let out = Command::new(job.engine.as_str())
        .arg(format!("-T{}", format.as_str()))
        .arg(&dot)
        .arg("-o")
        .arg(&target)
        .output()
        .with_context(|| format!("cannot run Graphviz's {}", job.engine.as_str()))?;
    if !out.status.success() {
        bail!(
            "Graphviz could not draw {}: {}",
            dot.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Draws DOT text to SVG with layout-rs.
pub fn render_fallback(dot: &str) -> anyhow::Result<String> {
    let mut parser = layout::gv::DotParser::new(dot);
    let ast = parser
        .process()
        .map_err(|e| anyhow::anyhow!("the built-in renderer cannot read the diagram: {e}"))?;
    let mut builder = layout::gv::GraphBuilder::new();
    builder.visit_graph(&ast);
    let mut graph = builder.get();
    let mut svg = layout::backends::svg::SVGWriter::new();
    graph.do_it(false, false, false, &mut svg);
    Ok(svg.finalize())
}

impl Output for Diagrams {
    fn name(&self) -> &'static str {
        "diagrams"
    }

    fn write(&self, report: &Report, dir: &Path) -> anyhow::Result<()> {
        let graphviz = graphviz_available();
        let jobs = self.jobs(report, dir, !graphviz);
        for job in &jobs {
            if let Some(parent) = job.stem.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(job.stem.with_extension("dot"), &job.dot)?;
        }
        if !graphviz {
            let left_out: usize = jobs.iter().map(|j| j.left_out).sum();
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
        jobs.par_iter()
            .map(|job| -> anyhow::Result<()> {
                match &job.fallback {
                    Some(dot) => {
                        let svg = render_fallback(dot)?;
                        std::fs::write(job.stem.with_extension("svg"), svg)?;
                    }
                    None => {
                        for &format in &self.formats {
                            render_graphviz(job, format)?;
                        }
                    }
                }
                Ok(())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    }
}
