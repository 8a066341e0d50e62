//! Criterion benchmarks of partnernet's stages on generated movements of 10k
//! and 100k organisations: `cargo bench --bench stages`.
//! The generated datasets are written once into target/bench-data.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use partnernet::analysis;
use partnernet::ingest::{self, LoadOptions};
use partnernet::model::{Model, TieGraph};

fn dataset(orgs: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/bench-data/movement-{orgs}"));
    if !dir.join("relations.csv").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        partnernet::generate::generate(&dir, orgs, 42).expect("the generator writes the dataset");
    }
    dir
}

fn stages(c: &mut Criterion) {
    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    for orgs in [10_000usize, 100_000] {
        let dir = dataset(orgs);
        group.bench_with_input(BenchmarkId::new("ingest", orgs), &dir, |b, dir| {
            b.iter(|| ingest::load(dir, &LoadOptions::default()).expect("valid data"))
        });
        let data = ingest::load(&dir, &LoadOptions::default()).expect("valid data");
        group.bench_with_input(BenchmarkId::new("tie-graph", orgs), &data, |b, data| {
            b.iter(|| TieGraph::build(&data.organisations, &data.relations))
        });
        let model = Model::new(data);
        group.bench_with_input(BenchmarkId::new("components", orgs), &model, |b, model| {
            b.iter(|| analysis::components::components(model))
        });
        group.bench_with_input(BenchmarkId::new("clusters", orgs), &model, |b, model| {
            b.iter(|| analysis::clusters::partition(model))
        });
        group.bench_with_input(BenchmarkId::new("betweenness", orgs), &model, |b, model| {
            b.iter(|| analysis::brokers::centrality(model))
        });
        group.bench_with_input(BenchmarkId::new("bridges", orgs), &model, |b, model| {
            b.iter(|| analysis::brokers::cuts(model, None))
        });
        // The rest of the pipeline, run once to feed the later stages.
        let report = partnernet::app::run_analyses(
            &dir,
            &partnernet::app::Overrides::default(),
            false,
            &mut partnernet::app::stages::Stages::new(false),
        )
        .expect("the generated movement analyses");
        group.bench_with_input(BenchmarkId::new("leads", orgs), &report, |b, r| {
            b.iter(|| {
                analysis::leads::leads(
                    &r.model,
                    Some(&r.brokers.betweenness),
                    Some(&r.clusters.cluster),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("opportunities", orgs), &report, |b, r| {
            b.iter(|| analysis::opportunities::opportunities(&r.model, Some(&r.clusters)))
        });
        group.bench_with_input(BenchmarkId::new("dot-writing", orgs), &report, |b, r| {
            b.iter(|| {
                let view = &r.views.network;
                let engine = partnernet::output::diagrams::Engine::Sfdp;
                partnernet::output::diagrams::view_graph(r, view, engine, true)
            })
        });
        // What the built-in renderer draws without Graphviz: the cluster
        // diagram, the densest, thinned by `fit_for_builtin` and laid out.
        group.bench_with_input(
            BenchmarkId::new("built-in-renderer", orgs),
            &report,
            |b, r| {
                use partnernet::output::diagrams::{self, BuiltinDot, Engine, FALLBACK_CAP};
                b.iter(|| {
                    let graph = diagrams::clusters_graph(r, Engine::Dot, false, FALLBACK_CAP);
                    let builtin = BuiltinDot::new(graph);
                    diagrams::render_fallback(&builtin.dot).expect("the built-in renderer draws it")
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
