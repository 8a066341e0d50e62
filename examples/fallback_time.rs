fn main() {
    for p in std::env::args().skip(1) {
        let dot = std::fs::read_to_string(&p).unwrap();
        let t = std::time::Instant::now();
        let _ = partnernet::output::diagrams::render_fallback(&dot);
        let nodes = dot.matches("label=").count();
        println!(
            "{p} {} bytes ~{nodes} labels {:.2} s",
            dot.len(),
            t.elapsed().as_secs_f64()
        );
    }
}
