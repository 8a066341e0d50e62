//! Times exact betweenness on a dataset's tie graph, for
//! `benches/peers/brokers.py --movement N` and for profiling:
//!
//! ```text
//! cargo run --release --example betweenness_exact -- DIR [RUNS] [--write-edges FILE] [--write-values FILE] [--blocks]
//! ```
//!
//! DIR is a dataset folder (as `partnernet generate` writes). The example
//! ingests it, builds the tie graph as `analyse` does, then computes the exact
//! betweenness (whatever `[brokers] exact_betweenness_up_to` says) RUNS times
//! (3 by default) and prints `partnernet<TAB>betweenness_exact<TAB>seconds`
//! with the fastest run on standard output. `--write-edges` writes the tie
//! graph as `source,target` node indices, `--write-values` one betweenness
//! value per line in node order (17 significant digits), so that a peer can be
//! run and compared on exactly the same graph; `--blocks` prints the sizes of
//! the biggest blocks on standard error.

use partnernet::algo::betweenness::{betweenness, BetweennessMode};
use partnernet::algo::blocks::blocks;
use partnernet::ingest::{self, LoadOptions};
use partnernet::model::TieGraph;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

// The same allocator as the binary, so the times match `partnernet analyse`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut dir = None;
    let mut runs = 3usize;
    let mut edges_file = None;
    let mut values_file = None;
    let mut show_blocks = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--write-edges" => edges_file = args.next().map(PathBuf::from),
            "--write-values" => values_file = args.next().map(PathBuf::from),
            "--blocks" => show_blocks = true,
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => runs = a.parse().expect("RUNS is a number"),
        }
    }
    let dir = dir.expect(
        "usage: betweenness_exact DIR [RUNS] [--write-edges FILE] [--write-values FILE] [--blocks]",
    );
    let data = ingest::load(&dir, &LoadOptions::default()).expect("a valid dataset");
    let ties = TieGraph::build(&data.organisations, &data.relations);
    let csr = &ties.csr;
    let n = csr.node_count();
    eprintln!("# {n} organisations, {} ties", ties.edge_count());
    if let Some(path) = &edges_file {
        let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("edge file"));
        writeln!(f, "source,target").unwrap();
        for v in 0..n {
            for &w in csr.neighbors(v) {
                if (v as u32) < w {
                    writeln!(f, "{v},{w}").unwrap();
                }
            }
        }
    }
    if show_blocks {
        let bl = blocks(csr);
        let mut sizes: Vec<(usize, usize)> = (0..bl.len())
            .map(|b| {
                let nodes = bl.nodes(b);
                let inner: usize = nodes
                    .iter()
                    .map(|&v| {
                        csr.neighbors(v as usize)
                            .iter()
                            .filter(|&&w| bl.block_of_edge(v, w) == b)
                            .count()
                    })
                    .sum();
                (nodes.len(), inner / 2)
            })
            .collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        let searched = sizes
            .iter()
            .filter(|&&(k, m)| k >= 3 && m < k * (k - 1) / 2)
            .count();
        eprintln!(
            "# {} blocks, {searched} need a search; biggest (nodes, edges): {:?}",
            sizes.len(),
            &sizes[..sizes.len().min(8)]
        );
    }
    let mut best = f64::INFINITY;
    let mut values = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        values = std::hint::black_box(betweenness(csr, BetweennessMode::Exact));
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("partnernet\tbetweenness_exact\t{best:.4}");
    if let Some(path) = &values_file {
        let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("value file"));
        for x in &values {
            writeln!(f, "{x:.17e}").unwrap();
        }
    }
}
