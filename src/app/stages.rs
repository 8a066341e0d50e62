//! Running the stages of a command: a spinner on standard error while a long
//! stage runs (only when standard error is a terminal), and the stage's time.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The stages of one run and their times.
pub struct Stages {
    timings: Vec<(&'static str, Duration)>,
    print: bool,
}

impl Stages {
    /// `print`: write `stage seconds` to standard error as each stage ends.
    pub fn new(print: bool) -> Stages {
        Stages {
            timings: Vec::new(),
            print,
        }
    }

    /// Runs one stage.
    pub fn run<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        spinner.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        spinner.set_message(name);
        // Shown only after a moment, so short stages leave no trace.
        let start = Instant::now();
        spinner.enable_steady_tick(Duration::from_millis(200));
        let out = f();
        spinner.finish_and_clear();
        let took = start.elapsed();
        if self.print {
            eprintln!("{name} {:.6}", took.as_secs_f64());
        }
        self.timings.push((name, took));
        out
    }

    /// Every stage run so far with its time.
    pub fn timings(&self) -> &[(&'static str, Duration)] {
        &self.timings
    }
}
