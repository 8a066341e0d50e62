//! Runs the analyses of a dataset once, then one stage or output again and
//! again, for profiling: `cargo run --release --example stage_profile -- DIR STAGE N`.
use partnernet::app::{run_analyses, stages::Stages, Overrides};
use partnernet::output::exports::ExportFormat;
use partnernet::output::OutputOptions;
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

/// Runs `f`, then prints `label` with the wall and CPU seconds it took.
fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let (t, c) = (Instant::now(), cpu_seconds());
    let out = std::hint::black_box(f());
    eprintln!(
        "{label} wall {:.3} s, cpu {:.2} s",
        t.elapsed().as_secs_f64(),
        cpu_seconds() - c
    );
    out
}

fn main() {
    use partnernet::analysis::{brokers, clusters, data_quality, leads, opportunities, views};
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let stage = args[2].clone();
    let reps: usize = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(3);
    let report = run_analyses(&dir, &Overrides::default(), false, &mut Stages::new(false)).unwrap();
    let m = &report.model;
    // `each` and a single output's name time every output, exports included.
    let every_export = OutputOptions {
        exports: Some(ExportFormat::ALL.to_vec()),
        ..OutputOptions::default()
    }
    .exports_for(m.orgs().len());
    // What the stage under test takes as input, made once.
    let partition = (stage == "confidence").then(|| clusters::partition(m));
    let labels_inputs = (stage == "cluster-labels").then(|| {
        let partition = clusters::partition(m);
        let best = clusters::placement_confidence(m, &partition);
        (best.membership, best.confidence)
    });
    let brokerage_inputs = (stage == "brokerage").then(|| {
        (
            brokers::centrality(m),
            brokers::cuts(m, Some(&report.clusters)),
        )
    });
    for _ in 0..reps {
        // A fresh folder each time, with the previous one's bytes on disk
        // first, so every repetition writes like the first.
        let out = tempfile::tempdir().unwrap();
        let _ = std::process::Command::new("sync").status();
        let inputs = brokerage_inputs.clone();
        timed(&stage, || match stage.as_str() {
            "opportunities" => {
                std::hint::black_box(opportunities::opportunities(m, Some(&report.clusters)));
            }
            "clusters" => {
                std::hint::black_box(clusters::partition(m));
            }
            "confidence" => {
                let partition = partition.as_ref().expect("made above");
                std::hint::black_box(clusters::placement_confidence(m, partition));
            }
            "cluster-labels" => {
                let (partition, confidence) = labels_inputs.as_ref().expect("made above");
                std::hint::black_box(clusters::clusters(
                    m,
                    &report.components,
                    partition,
                    confidence,
                ));
            }
            "betweenness" => {
                std::hint::black_box(brokers::centrality(m));
            }
            "bridges" => {
                std::hint::black_box(brokers::cuts(m, Some(&report.clusters)));
            }
            "brokerage" => {
                let (centrality, cuts) = inputs.expect("made above");
                std::hint::black_box(brokers::brokers(
                    m,
                    &report.components,
                    Some(&report.clusters),
                    centrality,
                    cuts,
                ));
            }
            "leads" => {
                std::hint::black_box(leads::leads(
                    m,
                    Some(&report.brokers.betweenness),
                    Some(&report.clusters.cluster),
                ));
            }
            "views" => {
                std::hint::black_box(views::views(
                    m,
                    &report.clusters,
                    &report.brokers,
                    &report.leads,
                ));
            }
            "components" => {
                std::hint::black_box(partnernet::analysis::components::components(m));
            }
            "data-quality" => {
                std::hint::black_box(data_quality::data_quality(m));
            }
            "cold-leads" => {
                std::hint::black_box(partnernet::analysis::cold_leads::cold_leads(m));
            }
            // What `analyse` writes by default for this size.
            "outputs" => partnernet::output::write_all(
                &report,
                out.path(),
                &OutputOptions::default().exports_for(m.orgs().len()),
            )
            .unwrap(),
            "each" => {
                for o in partnernet::output::outputs(&every_export) {
                    timed(&format!("  {}", o.name()), || {
                        o.write(&report, out.path()).unwrap()
                    });
                }
            }
            name => {
                let o = partnernet::output::outputs(&every_export)
                    .into_iter()
                    .find(|o| o.name() == name)
                    .expect("an output name");
                o.write(&report, out.path()).unwrap();
            }
        });
    }
}
