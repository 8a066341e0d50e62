//! Times ingest and the tie graph build on a dataset folder, several times:
//! `cargo run --release --example ingest_timing -- target/bench-data/movement-1000000 5`.

use std::path::PathBuf;
use std::time::Instant;

use partnernet::ingest::{self, LoadOptions};
use partnernet::model::TieGraph;

// The same allocator as the binary, so the times match `partnernet analyse`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("a dataset folder"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let bytes: u64 = ["organisations.csv", "relations.csv", "interviews.csv"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum();
    let mut totals = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let data = ingest::load(&dir, &LoadOptions::default()).expect("valid data");
        let ingest = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let ties = TieGraph::build(&data.organisations, &data.relations);
        let graph = start.elapsed().as_secs_f64();
        let total = ingest + graph;
        eprintln!(
            "ingest {ingest:.3} s, tie-graph {graph:.3} s, total {total:.3} s, {:.0} MB/s ({} orgs, {} relations, {} ties)",
            bytes as f64 / 1e6 / total,
            data.organisations.len(),
            data.relations.len(),
            ties.edge_count()
        );
        totals.push(total);
        drop((data, ties));
    }
    totals.sort_by(f64::total_cmp);
    eprintln!(
        "min {:.3} s, median {:.3} s",
        totals[0],
        totals[totals.len() / 2]
    );
}
