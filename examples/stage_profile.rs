//! Runs the analyses of a dataset once, then one stage or output again and
//! again, for profiling: `cargo run --release --example stage_profile -- DIR STAGE N`.
use partnernet::app::{run_analyses, stages::Stages, Overrides};
use std::time::Instant;

// The same allocator as the binary, so the times match `partnernet analyse`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU seconds this process used so far (user + system), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let stage = args[2].clone();
    let reps: usize = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(3);
    let report = run_analyses(&dir, &Overrides::default(), false, &mut Stages::new(false)).unwrap();
    let partition = matches!(stage.as_str(), "clusters" | "confidence")
        .then(|| partnernet::analysis::clusters::partition(&report.model));
    for _ in 0..reps {
        // A fresh folder each time, with the previous one's bytes on disk
        // first, so every repetition writes like the first.
        let out = tempfile::tempdir().unwrap();
        let _ = std::process::Command::new("sync").status();
        let t = Instant::now();
        let c = cpu_seconds();
        match stage.as_str() {
            "opportunities" => {
                let o = partnernet::analysis::opportunities::opportunities(
                    &report.model,
                    Some(&report.clusters),
                );
                std::hint::black_box(o);
            }
            "clusters" => {
                std::hint::black_box(partnernet::analysis::clusters::partition(&report.model));
            }
            "confidence" => {
                std::hint::black_box(partnernet::analysis::clusters::placement_confidence(
                    &report.model,
                    partition.as_deref().unwrap_or_default(),
                ));
            }
            "betweenness" => {
                std::hint::black_box(partnernet::analysis::brokers::centrality(&report.model));
            }
            "brokerage" => {
                let m = &report.model;
                let centrality = partnernet::analysis::brokers::centrality(m);
                let cuts = partnernet::analysis::brokers::cuts(m, Some(&report.clusters));
                let (t, c) = (Instant::now(), cpu_seconds());
                std::hint::black_box(partnernet::analysis::brokers::brokers(
                    m,
                    &report.components,
                    Some(&report.clusters),
                    centrality,
                    cuts,
                ));
                eprintln!(
                    "  brokers() alone wall {:.3} s, cpu {:.2} s",
                    t.elapsed().as_secs_f64(),
                    cpu_seconds() - c
                );
            }
            "leads" => {
                std::hint::black_box(partnernet::analysis::leads::leads(
                    &report.model,
                    Some(&report.brokers),
                ));
            }
            "views" => {
                std::hint::black_box(partnernet::analysis::views::views(
                    &report.model,
                    &report.clusters,
                    &report.brokers,
                    &report.leads,
                ));
            }
            "data-quality" => {
                std::hint::black_box(partnernet::analysis::data_quality::data_quality(
                    &report.model,
                ));
            }
            "outputs" => partnernet::output::write_all(&report, out.path()).unwrap(),
            "each" => {
                for o in partnernet::output::outputs() {
                    let (t, c) = (Instant::now(), cpu_seconds());
                    o.write(&report, out.path()).unwrap();
                    eprintln!(
                        "  {} wall {:.3} s, cpu {:.2} s",
                        o.name(),
                        t.elapsed().as_secs_f64(),
                        cpu_seconds() - c
                    );
                }
            }
            name => {
                let o = partnernet::output::outputs()
                    .into_iter()
                    .find(|o| o.name() == name)
                    .expect("an output name");
                o.write(&report, out.path()).unwrap();
            }
        }
        eprintln!(
            "{stage} wall {:.3} s, cpu {:.2} s",
            t.elapsed().as_secs_f64(),
            cpu_seconds() - c
        );
    }
}
