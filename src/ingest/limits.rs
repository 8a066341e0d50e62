//! How much one dataset may hold: organisations, relations, interviews and
//! the values of columns partnernet does not know.
//!
//! partnernet holds a whole dataset in memory, and what an analysis needs
//! grows with the organisations, relations, interviews and values, not with
//! the files' bytes: 7,000,000 names that match no organisation fit in 300 MB
//! of `relations.csv` and took 6.3 GB to analyse. With these limits every
//! dataset stays within 4 GB: one at all four limits at once (a 386 MB chain
//! of organisations, `benches/adversarial.py limits 1500000`) took 3.5 GB at
//! its peak (BENCHMARKS.md, "Peak memory"), while a movement's interviews
//! rarely name more than a few thousand organisations. Reading stops at the
//! first row beyond a limit, with one error that names the file, the line
//! (or sheet and cell) and the limit, and the run analyses nothing.
//!
//! `compare` and `analyse --since` hold two snapshots at once, so each
//! dataset they read may hold half as much ([`Limits::for_two_snapshots`]).

use crate::error::{Problem, Problems};
use crate::model::Dataset;

/// The most of one thing a dataset may hold, and what it is called in the
/// error that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountLimit {
    /// The largest count read.
    pub most: usize,
    /// What is counted, in the plural (`organisations`).
    pub what: &'static str,
    /// When the limit applies, said after "that partnernet reads" (empty,
    /// or why it is lower than usual).
    pub when: &'static str,
    /// What to do, the end of the error's message.
    pub advice: &'static str,
}

/// The advice for a dataset with too many organisations, relations or interviews.
const SPLIT: &str = "split the data into smaller datasets (by region or by kind of organisation, say) and analyse each";

/// Organisations, counting those created for names that match none
/// (`unknown`).
pub const ORGANISATIONS: CountLimit = CountLimit {
    most: 1_500_000,
    what: "organisations (counting the names that match none)",
    when: "",
    advice: SPLIT,
};

/// Relations, as rows of `relations.csv` and mentions in notes (before
/// duplicates are merged).
pub const RELATIONS: CountLimit = CountLimit {
    most: 4_000_000,
    what: "relations (rows of relations.csv and mentions in notes)",
    when: "",
    advice: SPLIT,
};

/// Interviews, as rows of `interviews.csv` and notes.
pub const INTERVIEWS: CountLimit = CountLimit {
    most: 200_000,
    what: "interviews (rows of interviews.csv and notes)",
    when: "",
    advice: SPLIT,
};

/// Filled cells in columns partnernet does not know (kept as they are for
/// the exports), in all tables together.
pub const OTHER_VALUES: CountLimit = CountLimit {
    most: 10_000_000,
    what: "filled cells in columns partnernet does not know",
    when: "",
    advice: "delete the columns partnernet does not use (it keeps them only to copy them into its exports), or split the data into smaller datasets",
};

impl CountLimit {
    /// Whether `count` is beyond the limit. The first time it is, the error
    /// `at(message)` is added and reading halts ([`Problems::halt`]);
    /// `at` places the message at the row that went beyond.
    ///
    /// ```
    /// use partnernet::error::{Problem, Problems};
    /// use partnernet::ingest::limits::INTERVIEWS;
    /// let mut problems = Problems::default();
    /// let at = |m: String| Problem::error(std::path::Path::new("interviews.csv"), Some(7), m);
    /// assert!(!INTERVIEWS.exceeded(200_000, &mut problems, at));
    /// assert!(INTERVIEWS.exceeded(200_001, &mut problems, at));
    /// assert!(INTERVIEWS.exceeded(200_002, &mut problems, at));
    /// assert!(problems.halted() && problems.errors() == 1);
    /// assert!(problems.items()[0].to_string().contains("beyond the 200,000 interviews"));
    /// ```
    pub fn exceeded(
        &self,
        count: usize,
        problems: &mut Problems,
        at: impl FnOnce(String) -> Problem,
    ) -> bool {
        if count <= self.most {
            return false;
        }
        if !problems.halted() {
            problems.halt(at(self.message()));
        }
        true
    }

    /// The error's message: what went beyond, the limit, what to do.
    pub fn message(&self) -> String {
        format!(
            "here the dataset goes beyond the {} {} that partnernet reads{}, so reading stopped; {}",
            self.most_text(),
            self.what,
            self.when,
            self.advice
        )
    }

    /// The most, written as the staff read it (`1,500,000`).
    pub fn most_text(&self) -> String {
        crate::text::thousands(self.most)
    }

    fn halved(self) -> CountLimit {
        CountLimit {
            most: self.most / 2,
            when: " in each of two snapshots (half of what one analysis reads)",
            ..self
        }
    }
}

/// The limits a dataset is read within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub organisations: CountLimit,
    pub relations: CountLimit,
    pub interviews: CountLimit,
    pub other_values: CountLimit,
}

impl Limits {
    /// The limits of one dataset analysed on its own: [`ORGANISATIONS`],
    /// [`RELATIONS`], [`INTERVIEWS`], [`OTHER_VALUES`].
    pub const ONE: Limits = Limits {
        organisations: ORGANISATIONS,
        relations: RELATIONS,
        interviews: INTERVIEWS,
        other_values: OTHER_VALUES,
    };

    /// Half of [`Limits::ONE`]: for `compare` and `analyse --since`, which
    /// hold two snapshots at once.
    ///
    /// ```
    /// use partnernet::ingest::limits::Limits;
    /// let two = Limits::for_two_snapshots();
    /// assert_eq!(two.organisations.most, 750_000);
    /// assert!(two.organisations.message().contains("750,000 organisations"));
    /// assert!(two.organisations.message().contains("in each of two snapshots"));
    /// ```
    pub fn for_two_snapshots() -> Limits {
        let one = Limits::ONE;
        Limits {
            organisations: one.organisations.halved(),
            relations: one.relations.halved(),
            interviews: one.interviews.halved(),
            other_values: one.other_values.halved(),
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::ONE
    }
}

/// How much of a dataset has been read so far, to check against the limits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Read {
    pub organisations: usize,
    pub relations: usize,
    pub interviews: usize,
}

impl Read {
    /// What `dataset` holds so far.
    pub fn of(dataset: &Dataset) -> Read {
        Read {
            organisations: dataset.organisations.len(),
            relations: dataset.relations.len(),
            interviews: dataset.interviews.len(),
        }
    }

    /// Whether anything read is beyond its limit in `limits` (organisations,
    /// relations, interviews); the first time, as [`CountLimit::exceeded`],
    /// with the error placed by `at`.
    pub fn beyond(
        &self,
        limits: &Limits,
        problems: &mut Problems,
        at: impl FnOnce(String) -> Problem,
    ) -> bool {
        let over = [
            (self.organisations, limits.organisations),
            (self.relations, limits.relations),
            (self.interviews, limits.interviews),
        ]
        .into_iter()
        .find(|(count, limit)| *count > limit.most);
        match over {
            Some((count, limit)) => limit.exceeded(count, problems, at),
            None => false,
        }
    }
}
