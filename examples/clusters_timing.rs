//! Times the `clusters` stage (one Leiden run with the configured seed, as
//! `partnernet analyse` runs it) on a dataset folder, several times, and
//! writes the tie graph and the partition so that a peer can be run and
//! scored on the same graph:
//! `cargo run --release --example clusters_timing -- DIR RUNS EDGES.csv MEMBERSHIP.csv`.
//!
//! `EDGES.csv` gets `source,target,weight` (node indexes, each tie once with
//! source < target), `MEMBERSHIP.csv` gets one community id per line, in
//! node order. Prints `clusters X` (seconds) per run on stdout.
//! `benches/peers/speed.py` runs it.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use partnernet::analysis::clusters;
use partnernet::ingest::{self, LoadOptions};
use partnernet::model::Model;

// The same allocator as the binary, so the times match `partnernet analyse`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 4 {
        eprintln!("usage: clusters_timing DIR RUNS EDGES.csv MEMBERSHIP.csv");
        std::process::exit(64);
    }
    let dir = PathBuf::from(&args[0]);
    let runs: usize = args[1].parse().expect("RUNS is a whole number");
    let data = ingest::load(&dir, &LoadOptions::default()).expect("valid data");
    let model = Model::new(data);
    let csr = &model.ties.csr;
    let mut edges = BufWriter::new(std::fs::File::create(&args[2])?);
    writeln!(edges, "source,target,weight")?;
    for v in 0..csr.node_count() {
        for (&u, &w) in csr.neighbors(v).iter().zip(csr.weights(v)) {
            if (v as u32) < u {
                writeln!(edges, "{v},{u},{w}")?;
            }
        }
    }
    edges.flush()?;
    let mut membership = None;
    for _ in 0..runs {
        let start = Instant::now();
        let partition = clusters::partition(&model);
        println!("clusters {:.6}", start.elapsed().as_secs_f64());
        membership.get_or_insert(partition.membership);
    }
    let mut out = BufWriter::new(std::fs::File::create(&args[3])?);
    for c in membership.unwrap_or_default() {
        writeln!(out, "{c}")?;
    }
    out.flush()
}
