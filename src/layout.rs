//! The network diagram's layout, made once and shown twice: Graphviz lays
//! out the network diagram's DOT text in one run that draws its pictures
//! (SVG, PNG, PDF) and also writes where it put each organisation
//! (Graphviz's `plain` format). The diagrams output writes those pictures,
//! and `report.html`'s map places every organisation where the picture has
//! it, so that the map and `diagrams/network.svg` match.
//!
//! This module only runs Graphviz on DOT text it is given and reads the
//! positions back; the DOT text comes from
//! [`crate::output::diagrams::Diagrams::network_dot`], and `app::analyse`
//! runs the two as its `layout` stage, after the analyses, while the other
//! diagrams are drawn and before the other outputs. Without Graphviz there is no layout: the diagrams are drawn by
//! the built-in renderer and the map lays itself out in the browser.

use std::collections::HashMap;
use std::process::Command;
use std::sync::OnceLock;

use anyhow::{bail, Context};

/// The network diagram as Graphviz laid it out.
#[derive(Debug, Clone, Default)]
pub struct NetworkLayout {
    /// The Graphviz program that laid it out (`dot`, `sfdp`, ...).
    pub program: String,
    /// The DOT text laid out, exactly as the diagrams output writes it to
    /// `diagrams/network.dot`: the pictures are drawings of this text.
    pub dot: String,
    /// Each organisation asked for that the diagram holds (by index into
    /// the model's organisations), in the order asked for, with its centre
    /// in points (1/72 inch) from the picture's top left corner, `x` to the
    /// right and `y` down: the picture's own coordinates.
    pub positions: Vec<(u32, f64, f64)>,
    /// The picture in each format asked for, in that order: the format's
    /// file extension (`svg`, `png`, `pdf`) and the file's bytes.
    pub pictures: Vec<(String, Vec<u8>)>,
}

impl NetworkLayout {
    /// The picture in `format` (its file extension), if it was drawn.
    pub fn picture(&self, format: &str) -> Option<&[u8]> {
        self.pictures
            .iter()
            .find(|(f, _)| f == format)
            .map(|(_, bytes)| bytes.as_slice())
    }
}

/// Whether the Graphviz programs are on the PATH (`dot -V` runs); asked
/// once per process.
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

/// Lays out `dot` with the Graphviz program `program` and draws it in each
/// of `formats` (file extensions Graphviz knows as `-T` formats: `svg`,
/// `png`, `pdf`), all from one layout in one process, with `-Tplain` for
/// the positions of the nodes `n{v}` for each `v` of `nodes` (see
/// [`plain_positions`]).
///
/// The command is the one the diagrams output runs for a diagram of its
/// own (`program -Tsvg -o file.svg ... file.dot`), so the pictures have the
/// same bytes. Errors when the program cannot be started, fails (its
/// message is included) or writes no file.
pub fn graphviz(
    dot: &str,
    program: &str,
    formats: &[&str],
    nodes: &[u32],
) -> anyhow::Result<NetworkLayout> {
    let scratch = tempfile::tempdir().context("cannot make a temporary folder")?;
    let source = scratch.path().join("network.dot");
    std::fs::write(&source, dot).with_context(|| format!("cannot write {}", source.display()))?;
    let mut command = Command::new(program);
    for format in formats {
        command
            .arg(format!("-T{format}"))
            .arg("-o")
            .arg(scratch.path().join(format!("network.{format}")));
    }
    let plain = scratch.path().join("network.plain");
    command.arg("-Tplain").arg("-o").arg(&plain).arg(&source);
    let out = command
        .output()
        .with_context(|| format!("cannot run Graphviz's {program}"))?;
    if !out.status.success() {
        bail!(
            "Graphviz could not draw the network diagram: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let mut pictures = Vec::with_capacity(formats.len());
    for format in formats {
        let path = scratch.path().join(format!("network.{format}"));
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        pictures.push((format.to_string(), bytes));
    }
    let plain = std::fs::read(&plain).context("cannot read Graphviz's positions")?;
    Ok(NetworkLayout {
        program: program.to_string(),
        dot: dot.to_string(),
        positions: plain_positions(&String::from_utf8_lossy(&plain), nodes),
        pictures,
    })
}

/// The positions, in Graphviz's `plain` output (format described at
/// <https://graphviz.org/docs/outputs/plain/>), of the nodes named `n{v}`
/// for each `v` of `nodes`, in that order, in points from the picture's
/// top left corner (`plain` gives inches from the bottom left; the graph
/// line gives the height). A node missing from `plain` is left out, and so
/// is a line that cannot be read.
///
/// ```
/// use partnernet::layout::plain_positions;
/// let plain = "graph 1 3 2\n\
///     node n7 1 0.5 1 1 \"A\\nB c\" filled box black white\n\
///     node n2 2.5 1.5 1 1 x filled ellipse black white\n\
///     edge n7 n2 2 1 0.5 2.5 1.5 solid black\n\
///     stop\n";
/// assert_eq!(
///     plain_positions(plain, &[2, 7, 9]),
///     vec![(2, 180.0, 36.0), (7, 72.0, 108.0)]
/// );
/// ```
pub fn plain_positions(plain: &str, nodes: &[u32]) -> Vec<(u32, f64, f64)> {
    let mut height = 0.0;
    let mut at: HashMap<u32, (f64, f64)> = HashMap::new();
    for line in plain.lines() {
        let mut words = line.split_ascii_whitespace();
        match words.next() {
            Some("graph") => {
                // graph scale width height
                if let Some(h) = words.nth(2).and_then(|w| w.parse::<f64>().ok()) {
                    height = h;
                }
            }
            Some("node") => {
                let (Some(name), Some(x), Some(y)) = (words.next(), words.next(), words.next())
                else {
                    continue;
                };
                let (Some(v), Ok(x), Ok(y)) = (
                    name.strip_prefix('n').and_then(|n| n.parse::<u32>().ok()),
                    x.parse::<f64>(),
                    y.parse::<f64>(),
                ) else {
                    continue;
                };
                if x.is_finite() && y.is_finite() {
                    at.insert(v, (x, y));
                }
            }
            _ => {}
        }
    }
    nodes
        .iter()
        .filter_map(|v| {
            let &(x, y) = at.get(v)?;
            Some((*v, x * 72.0, (height - y) * 72.0))
        })
        .collect()
}
