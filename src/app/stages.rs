//! Running the stages of a command: a spinner on standard error while a long
//! stage runs (only when standard error is a terminal), and the stage's time.
//!
//! Stages that do not depend on each other can run side by side, in two
//! lanes ([`Stages::lanes`]), so that both processor cores stay busy: one
//! Leiden run, for one, keeps only one core busy. Their times then overlap,
//! so `--timings` ends with the run's `total` so far, which is not the sum of
//! the lines above it.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether a run prints its stages' times (`--timings`), and how it runs
/// them then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Timings {
    /// No times are printed.
    #[default]
    Off,
    /// Times are printed, and stages run side by side as they do without
    /// `--timings`: a stage's time is then its wall time beside the other
    /// lane's work, and may include some of that work (see [`Stages::lanes`]).
    SideBySide,
    /// Times are printed, and every stage runs alone, the lanes one after
    /// the other: each time is the stage's own, and the run takes longer.
    Alone,
}

/// The stages of one run and their times.
pub struct Stages {
    timings: Vec<(&'static str, Duration)>,
    print: bool,
    /// Whether [`Stages::lanes`] runs its lanes one after the other.
    alone: bool,
    start: Instant,
    /// Whether a long stage shows a spinner (not inside a lane, where the
    /// spinner of [`Stages::lanes`] stands for both lanes).
    spinners: bool,
}

impl Stages {
    /// `print`: write `stage seconds` to standard error as each stage ends.
    pub fn new(print: bool) -> Stages {
        Stages {
            timings: Vec::new(),
            print,
            alone: false,
            start: Instant::now(),
            spinners: true,
        }
    }

    /// Stages as `--timings` asks: printed or not, side by side or alone.
    pub fn with_timings(timings: Timings) -> Stages {
        Stages {
            alone: timings == Timings::Alone,
            ..Stages::new(timings != Timings::Off)
        }
    }

    /// Runs one stage.
    pub fn run<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let spinner = self.spinners.then(|| spinner(name));
        let (out, took) = timed(f);
        if let Some(spinner) = spinner {
            spinner.finish_and_clear();
        }
        self.record(name, took);
        out
    }

    /// Runs two lanes of stages at the same time: each lane runs its stages
    /// one after the other, and no stage of one lane may need a result of
    /// the other. `message` names what runs, for the spinner. Each stage
    /// prints its time as it ends, so the lines of the two lanes interleave;
    /// each stage's result is the same as when run alone.
    ///
    /// The lanes share one pool of threads: when a stage of one lane waits
    /// for its parallel work, its thread may meanwhile run some of the other
    /// lane's, so a stage's time is its wall time beside the other lane
    /// rather than its own. With [`Timings::Alone`] the lanes run one after
    /// the other instead, and each time is the stage's own.
    pub fn lanes<A: Send, B: Send>(
        &mut self,
        message: &str,
        a: impl FnOnce(&mut Stages) -> A + Send,
        b: impl FnOnce(&mut Stages) -> B + Send,
    ) -> (A, B) {
        let spinner = spinner(message);
        let (mut lane_a, mut lane_b) = (self.lane(), self.lane());
        let (a, b) = if self.alone {
            (a(&mut lane_a), b(&mut lane_b))
        } else {
            rayon::join(|| a(&mut lane_a), || b(&mut lane_b))
        };
        spinner.finish_and_clear();
        self.timings.append(&mut lane_a.timings);
        self.timings.append(&mut lane_b.timings);
        (a, b)
    }

    /// A lane of [`Stages::lanes`]: it prints times as this one does, and
    /// draws no spinner of its own.
    fn lane(&self) -> Stages {
        Stages {
            timings: Vec::new(),
            print: self.print,
            alone: self.alone,
            start: self.start,
            spinners: false,
        }
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

    /// Every stage run so far with its time (stages of two lanes overlap).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_run_every_stage_and_keep_each_lane_in_order() {
        let mut stages = Stages::new(false);
        stages.run("first", || ());
        let (a, b) = stages.lanes(
            "two lanes",
            |lane| {
                let x = lane.run("a1", || 2);
                lane.run("a2", || x * 10)
            },
            |lane| {
                let s = lane.run("b1", || "b".to_string());
                lane.run("b2", || s + "!")
            },
        );
        assert_eq!((a, b.as_str()), (20, "b!"));
        let names: Vec<&str> = stages.timings().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["first", "a1", "a2", "b1", "b2"]);
    }
}
