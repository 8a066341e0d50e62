//! Runs every analysis of a dataset (ingest included, no outputs written)
//! several times in one process, printing each stage's time and the total:
//! `cargo run --release --example analyses_timing -- DIR 3`. Writing nothing
//! keeps the file system's own slowdowns (see BENCHMARKS.md) out of the
//! figures.

use partnernet::app::{run_analyses, stages::Stages, Overrides};
use std::time::Instant;

// The same allocator as the binary, so the times match `partnernet analyse`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("a dataset folder"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    for run in 1..=runs {
        let start = Instant::now();
        let report = run_analyses(&dir, &Overrides::default(), false, &mut Stages::new(true))
            .expect("a valid dataset");
        eprintln!("analyses {:.3} (run {run})", start.elapsed().as_secs_f64());
        drop(report);
    }
}
