//! Replays the fuzzers' committed corpus (`fuzz/corpus/<target>/`) through
//! the fuzz targets' bodies (`fuzz/bodies.rs`) on stable Rust: every input a
//! fuzzer kept, and every crash it found (fixed, and kept as a regression
//! input), must read without a panic, with every problem naming a place in
//! the dataset, no raw control character in a message, the same result
//! when read again, and nothing written into the dataset folder.

#[path = "../fuzz/bodies.rs"]
mod bodies;

use std::path::Path;

fn replay(target: &str, body: bodies::Body) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} is missing: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    inputs.sort();
    for input in &inputs {
        // A running fuzzer replaces inputs as it shortens them.
        let Ok(bytes) = std::fs::read(input) else {
            continue;
        };
        let outcome = std::panic::catch_unwind(|| body(&bytes));
        assert!(
            outcome.is_ok(),
            "the corpus input {} fails the {target} target",
            input.display()
        );
    }
    inputs.len()
}

#[test]
fn every_target_has_a_corpus_and_replays_it_clean() {
    for (target, body) in bodies::TARGETS {
        let n = replay(target, *body);
        assert!(n >= 3, "the {target} corpus holds only {n} inputs");
    }
}
