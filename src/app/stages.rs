//! Running the stages of a command: a spinner on standard error while a long
//! stage runs (only when standard error is a terminal), and the stage's time.
//!
//! Two stages that do not depend on each other can run side by side
//! ([`Stages::side_by_side`]) so that both processor cores stay busy: one
//! Leiden run, for one, keeps only one core busy. Their times then overlap,
//! so `--timings` ends with the run's `total` so far, which is not the sum of
//! the lines above it.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The stages of one run and their times.
pub struct Stages {
    timings: Vec<(&'static str, Duration)>,
    print: bool,
    start: Instant,
}

impl Stages {
    /// `print`: write `stage seconds` to standard error as each stage ends.
    pub fn new(print: bool) -> Stages {
        Stages {
            timings: Vec::new(),
            print,
            start: Instant::now(),
        }
    }

    /// Runs one stage.
    pub fn run<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let spinner = spinner(name);
        let (out, took) = timed(f);
        spinner.finish_and_clear();
        self.record(name, took);
        out
    }

    /// Runs two stages that do not depend on each other at the same time,
    /// each with its own time. Each stage's result is the same as when run
    /// alone.
    pub fn side_by_side<A: Send, B: Send>(
        &mut self,
        (a_name, a): (&'static str, impl FnOnce() -> A + Send),
        (b_name, b): (&'static str, impl FnOnce() -> B + Send),
    ) -> (A, B) {
        let spinner = spinner(&format!("{a_name} and {b_name}"));
        let ((a, a_took), (b, b_took)) = rayon::join(|| timed(a), || timed(b));
        spinner.finish_and_clear();
        self.record(a_name, a_took);
        self.record(b_name, b_took);
        (a, b)
    }

    /// Prints the time since the run began, when the times are printed.
    pub fn total(&self) {
        if self.print {
            eprintln!("total {:.6}", self.start.elapsed().as_secs_f64());
        }
    }

    fn record(&mut self, name: &'static str, took: Duration) {
        if self.print {
            eprintln!("{name} {:.6}", took.as_secs_f64());
        }
        self.timings.push((name, took));
    }

    /// Every stage run so far with its time (side-by-side stages overlap).
    pub fn timings(&self) -> &[(&'static str, Duration)] {
        &self.timings
    }
}

/// A spinner on standard error, shown only after a moment so that short
/// stages leave no trace.
fn spinner(message: &str) -> ProgressBar {
    let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    spinner.set_message(message.to_string());
    spinner.enable_steady_tick(Duration::from_millis(200));
    spinner
}

/// Runs `f` and measures how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}
