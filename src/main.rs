//! The `partnernet` command: parses the arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use mimalloc::MiMalloc;
use partnernet::app::{self, AnalyseOptions, Overrides, Timings};
use partnernet::config::{self, ClusterObjective};
use partnernet::error::Error;
use partnernet::output::diagrams::{Engine, ImageFormat};
use partnernet::output::exports::ExportFormat;
use partnernet::output::OutputOptions;
use partnernet::text::terminal;

// Reading a million-organisation dataset allocates millions of small strings;
// mimalloc does that markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// The bundled sample movement, used when no dataset is given.
fn default_dataset() -> PathBuf {
    let local = PathBuf::from("data/sample");
    if local.is_dir() {
        local
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample"))
    }
}

#[derive(Parser)]
#[command(
    name = "partnernet",
    version,
    about = "Understand and grow the Wikimedia movement's network of content partners",
    long_about = "partnernet turns a content partnerships hub's interview data (affiliates, partner \
institutions, referrals) into a network, and finds its clusters, its bridges and brokers, and its \
untapped leads.\n\nA dataset is a folder of CSV files: organisations.csv, relations.csv and, if you \
have them, interviews.csv and partnernet.toml. `partnernet init FOLDER` makes an empty one.",
    after_help = "Examples:\n  partnernet analyse                      analyse the bundled sample into output/\n  partnernet analyse my-hub --out results  analyse the dataset in my-hub/ into results/\n  partnernet validate my-hub               check the data and list every problem
  partnernet leads my-hub --for wm-example the leads of one affiliate, in the terminal\n  partnernet init my-hub                   start a new dataset"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What the clustering maximises.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Objective {
    /// Groups with more ties inside than chance would give
    Modularity,
    /// Groups whose tie density is above the resolution (Constant Potts Model)
    Cpm,
}

impl From<Objective> for ClusterObjective {
    fn from(o: Objective) -> ClusterObjective {
        match o {
            Objective::Modularity => ClusterObjective::Modularity,
            Objective::Cpm => ClusterObjective::Cpm,
        }
    }
}

/// A picture format of the diagrams.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Picture {
    Svg,
    Png,
    Pdf,
}

/// A network export, or all or none of them.
#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum Export {
    /// network.graphml, for yEd, Cytoscape and NetworkX
    Graphml,
    /// network.gexf, for Gephi
    Gexf,
    /// network.json, node-link JSON for D3 and Cytoscape.js
    Json,
    /// All three
    All,
    /// None of them
    None,
}

/// How `--timings` runs the stages.
#[derive(Clone, Copy, clap::ValueEnum)]
enum TimingsArg {
    /// Stages that can run at the same time do (as without --timings); a stage's time may then include some of the other's work
    SideBySide,
    /// Every stage runs alone, one after the other, so each time is that stage's own; the run takes longer
    Alone,
}

impl From<TimingsArg> for Timings {
    fn from(t: TimingsArg) -> Timings {
        match t {
            TimingsArg::SideBySide => Timings::SideBySide,
            TimingsArg::Alone => Timings::Alone,
        }
    }
}

/// A Graphviz layout program.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Layout {
    /// Layered (best for small diagrams)
    Dot,
    /// Spring model
    Neato,
    /// Force-directed
    Fdp,
    /// Force-directed for large diagrams
    Sfdp,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a dataset and write every result into an output folder
    #[command(
        after_help = "Examples:\n  partnernet analyse\n      Analyse the bundled sample movement (data/sample) into output/.\n  partnernet analyse my-hub --out results\n      Analyse my-hub/ and write the results into results/.\n  partnernet analyse my-hub --seed 7 --timings\n      Use another seed and print how long each stage took.\n  partnernet analyse my-hub --format svg,png,pdf\n      Draw the diagrams as SVG, PNG and PDF (PNG and PDF need Graphviz).\n  partnernet analyse big-map --exports gexf\n      Write network.gexf for Gephi even when the network has over 200,000 organisations.\n\nThe previous results are replaced only when the whole run succeeds.\nExit status: 0 success, 2 the data has errors (each is listed with file and line), 64 a usage mistake (such as --runs 500), 1 any other failure."
    )]
    Analyse {
        /// The dataset folder [default: the bundled sample, data/sample]
        dataset: Option<PathBuf>,
        /// The folder to write the results into; it is replaced as a whole
        #[arg(long, short, default_value = "output")]
        out: PathBuf,
        /// Seed for the randomised steps (overrides partnernet.toml; default 42)
        #[arg(long)]
        seed: Option<u64>,
        /// Cluster resolution: higher gives more, smaller clusters (default 1.0)
        #[arg(long, value_parser = parse_resolution, allow_negative_numbers = true)]
        resolution: Option<f64>,
        /// What the clustering maximises (default modularity)
        #[arg(long, value_enum)]
        objective: Option<Objective>,
        /// How many seeded runs measure each cluster placement's confidence (default 10)
        #[arg(long, value_parser = parse_runs, allow_negative_numbers = true)]
        runs: Option<usize>,
        /// Picture formats of the diagrams, comma-separated
        #[arg(long, value_enum, value_delimiter = ',', default_value = "svg")]
        format: Vec<Picture>,
        /// Network exports to write, comma-separated: graphml, gexf, json, all or none [default: all up to 200,000 organisations, none above]
        #[arg(long, value_enum, value_delimiter = ',')]
        exports: Option<Vec<Export>>,
        /// Graphviz layout program for every diagram [default: chosen by size: dot up to 60 organisations, sfdp above]
        #[arg(long, value_enum)]
        engine: Option<Layout>,
        /// Print how long each stage took, one `stage seconds` line each, to standard error, then `total seconds` (some stages run side by side, so the total is less than their sum; --timings=alone runs them one after another)
        #[arg(long, value_enum, value_name = "HOW", num_args = 0..=1, require_equals = true, default_missing_value = "side-by-side")]
        timings: Option<TimingsArg>,
        /// Treat names that match no organisation as errors
        #[arg(long)]
        strict: bool,
        /// Also write what changed since this date (YYYY-MM-DD) into changes.md and changes.csv: the data recorded before it against all of it
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        since: Option<chrono::NaiveDate>,
    },
    /// Say what changed between two versions of a dataset: partnerships, leads, groups, brokers, clusters
    #[command(
        after_help = "Examples:\n  partnernet compare last-year this-year\n      Compare two copies of the dataset; the changes go into changes/ (start with changes.md).\n  partnernet compare data/sample-2023 data/sample --out what-changed\n      Compare the bundled sample with its earlier version.\n\nBoth are analysed with NEW's settings and the same seed. Organisations are matched by id, then by Wikidata item, then by name; matches other than by id are listed to check. Nothing is written into either dataset.\nExit status: 0 success, 2 a dataset has errors (each is listed with its dataset, file and line), 64 a usage mistake, 1 any other failure."
    )]
    Compare {
        /// The earlier dataset folder
        old: PathBuf,
        /// The later dataset folder
        new: PathBuf,
        /// The folder to write changes.md and changes.csv into; it is replaced as a whole
        #[arg(long, short, default_value = "changes")]
        out: PathBuf,
        /// Seed for the randomised steps (overrides partnernet.toml; default 42)
        #[arg(long)]
        seed: Option<u64>,
        /// Cluster resolution: higher gives more, smaller clusters (default 1.0)
        #[arg(long, value_parser = parse_resolution, allow_negative_numbers = true)]
        resolution: Option<f64>,
        /// What the clustering maximises (default modularity)
        #[arg(long, value_enum)]
        objective: Option<Objective>,
        /// Print how long each stage took to standard error (--timings=alone runs the stages one after another, so each time is that stage's own)
        #[arg(long, value_enum, value_name = "HOW", num_args = 0..=1, require_equals = true, default_missing_value = "side-by-side")]
        timings: Option<TimingsArg>,
        /// Treat names that match no organisation as errors
        #[arg(long)]
        strict: bool,
    },
    /// Show the ranked leads in the terminal, for one affiliate or region if you like
    #[command(
        after_help = "Examples:\n  partnernet leads\n      The top 20 leads of the bundled sample.\n  partnernet leads my-hub --for wm-example --top 10\n      The 10 best leads of the affiliate wm-example: those it referred or wants, and those it is best placed to introduce.\n  partnernet leads my-hub --region \"Western Africa\"\n      The leads in one region.\n\nThe same ranking as leads.csv from `partnernet analyse`; nothing is written."
    )]
    Leads {
        /// The dataset folder [default: the bundled sample, data/sample]
        dataset: Option<PathBuf>,
        /// Only this affiliate's leads (its id, name or alias)
        #[arg(long = "for", value_name = "AFFILIATE")]
        affiliate: Option<String>,
        /// Only the leads in this region
        #[arg(long)]
        region: Option<String>,
        /// How many leads to show
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Seed for the randomised steps (overrides partnernet.toml)
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Check a dataset and list every problem, without analysing it
    #[command(
        after_help = "Examples:\n  partnernet validate my-hub\n  partnernet validate my-hub --strict\n\nEach problem names the file, line, column and value. Exit status: 0 no errors (warnings are listed), 2 the data has errors, 64 a usage mistake, 1 the folder cannot be read."
    )]
    Validate {
        /// The dataset folder [default: the bundled sample, data/sample]
        dataset: Option<PathBuf>,
        /// Treat names that match no organisation as errors
        #[arg(long)]
        strict: bool,
    },
    /// Start a new dataset: empty files with headers and commented examples
    #[command(
        after_help = "Example:\n  partnernet init my-hub\n      Creates my-hub/ with organisations.csv, relations.csv, interviews.csv and partnernet.toml.\n\nExisting files are never overwritten."
    )]
    Init {
        /// The folder to create
        dir: PathBuf,
    },
    /// Add institutions from elsewhere (Wikidata) to a dataset
    #[command(subcommand)]
    Import(ImportSource),
    /// Make a synthetic movement of any size, for trying partnernet out and for benchmarks
    #[command(
        after_help = "Examples:\n  partnernet generate --orgs 10000 movement-10k\n  partnernet generate --orgs 1000000 --seed 7 movement-1m\n\nThe same size and seed always give the same files."
    )]
    Generate {
        /// How many organisations
        #[arg(long)]
        orgs: usize,
        /// Seed of the random generator
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The folder to write the dataset into
        dir: PathBuf,
    },
}

/// Where `partnernet import` takes institutions from.
#[derive(Subcommand)]
enum ImportSource {
    /// GLAM institutions from a Wikidata Query Service download (CSV, TSV or JSON)
    #[command(
        after_help = "Examples:\n  partnernet import wikidata --query SE\n      Print a query for the galleries, libraries, archives and museums of Sweden; paste it into https://query.wikidata.org, run it and download the results (Download > CSV file).\n  partnernet import wikidata query.csv --dataset my-hub --into my-hub-with-wikidata\n      A copy of my-hub with the institutions of query.csv added; those already in my-hub are not added twice, and each one found by name is listed for checking.\n  partnernet import wikidata query.csv --into museums\n      A new dataset holding only the institutions.\n\nThe dataset given with --dataset is never changed. Exit status: 0 success, 2 the results file has errors (each is listed with line, column and value), 64 a usage mistake, 1 any other failure."
    )]
    Wikidata {
        /// The downloaded query results (.csv, .tsv or .json)
        #[arg(required_unless_present = "query")]
        results: Option<PathBuf>,
        /// The new folder to write the dataset into (it must not exist yet, or be empty)
        #[arg(long, required_unless_present = "query")]
        into: Option<PathBuf>,
        /// The dataset to add the institutions to; a merged copy goes into --into, the dataset itself is not changed
        #[arg(long)]
        dataset: Option<PathBuf>,
        /// Print a ready query for the institutions of this country (two-letter code such as SE) and stop
        #[arg(long, value_name = "COUNTRY", conflicts_with_all = ["results", "into", "dataset"])]
        query: Option<String>,
    },
}

/// Reads a date written as YYYY-MM-DD.
fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| "write the date as year-month-day, such as 2024-01-01".to_string())
}

/// A number on the command line within the range of the setting it stands
/// for in partnernet.toml (`section`, `key`); out of it, the range in words.
fn in_range(s: &str, section: &str, key: &str) -> Result<f64, String> {
    let range = config::RANGES
        .iter()
        .find(|r| r.section == section && r.key == key);
    let expected = || range.map_or_else(|| "write a number".to_string(), |r| r.expected());
    let x: f64 = s.trim().parse().map_err(|_| expected())?;
    match range {
        Some(range) if !range.allows(x) => Err(expected()),
        _ => Ok(x),
    }
}

/// `--resolution`: a number in the range of `[clusters] resolution`.
fn parse_resolution(s: &str) -> Result<f64, String> {
    in_range(s, "clusters", "resolution")
}

/// `--runs`: a whole number in the range of `[clusters] runs`.
fn parse_runs(s: &str) -> Result<usize, String> {
    in_range(s, "clusters", "runs")?;
    s.trim()
        .parse()
        .map_err(|_| "write a whole number, such as 10".to_string())
}

/// The exit status of a usage mistake (an unknown command or option, a
/// missing or malformed argument): 64, as BSD's `EX_USAGE`, so that it
/// differs from 2, "the data has errors".
const USAGE_MISTAKE: u8 = 64;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // The same mistake found again without clap's colours, so that
            // the only control characters in the message are the ones the
            // arguments held, shown as escapes: a pasted argument cannot act
            // on the terminal, and is named as it was typed.
            let plain = Cli::command()
                .styles(clap::builder::Styles::plain())
                .try_get_matches()
                .err()
                .unwrap_or(e);
            eprint!("{}", terminal(&plain.render().ansi().to_string()));
            return ExitCode::from(USAGE_MISTAKE);
        }
        Err(e) => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    let result: Result<(), Error> = match cli.command {
        Command::Analyse {
            dataset,
            out,
            seed,
            resolution,
            objective,
            runs,
            format,
            exports,
            engine,
            timings,
            strict,
            since,
        } => app::analyse(&AnalyseOptions {
            outputs: OutputOptions {
                formats: format
                    .into_iter()
                    .map(|f| match f {
                        Picture::Svg => ImageFormat::Svg,
                        Picture::Png => ImageFormat::Png,
                        Picture::Pdf => ImageFormat::Pdf,
                    })
                    .collect(),
                engine: engine.map(|e| match e {
                    Layout::Dot => Engine::Dot,
                    Layout::Neato => Engine::Neato,
                    Layout::Fdp => Engine::Fdp,
                    Layout::Sfdp => Engine::Sfdp,
                }),
                exports: exports.map(|asked| {
                    asked
                        .into_iter()
                        .flat_map(|e| match e {
                            Export::Graphml => vec![ExportFormat::GraphMl],
                            Export::Gexf => vec![ExportFormat::Gexf],
                            Export::Json => vec![ExportFormat::Json],
                            Export::All => ExportFormat::ALL.to_vec(),
                            Export::None => Vec::new(),
                        })
                        .collect()
                }),
            },
            dataset: dataset.unwrap_or_else(default_dataset),
            out,
            overrides: Overrides {
                seed,
                resolution,
                objective: objective.map(ClusterObjective::from),
                runs,
            },
            timings: timings.map_or(Timings::Off, Timings::from),
            strict,
            since,
        })
        .map(|_| ()),
        Command::Compare { old, new, out, seed, resolution, objective, timings, strict } => {
            app::compare::compare(&app::compare::CompareOptions {
                old,
                new,
                out,
                overrides: Overrides {
                    seed,
                    resolution,
                    objective: objective.map(ClusterObjective::from),
                    runs: None,
                },
                timings: timings.map_or(Timings::Off, Timings::from),
                strict,
            })
            .map(|_| ())
        }
        Command::Leads { dataset, affiliate, region, top, seed } => app::leads::leads_table(
            &dataset.unwrap_or_else(default_dataset),
            &Overrides { seed, ..Overrides::default() },
            &app::leads::LeadsQuery { affiliate, region, top },
        )
        .map(|table| print!("{}", terminal(&table))),
        Command::Validate { dataset, strict } => app::validate(&dataset.unwrap_or_else(default_dataset), strict).map(|_| ()),
        Command::Init { dir } => app::init::init(&dir)
            .map(|_| eprintln!("{}", terminal(&format!("Created a dataset in {}; fill in organisations.csv and relations.csv, then run `partnernet validate {}`.", dir.display(), dir.display()))))
            .map_err(Error::from),
        Command::Import(ImportSource::Wikidata { results, into, dataset, query }) => match (query, results, into) {
            (Some(country), _, _) => app::import::query(&country).map(|q| print!("{q}")).map_err(Error::from),
            (None, Some(results), Some(into)) => {
                let options = app::import::ImportOptions { results, into, dataset };
                app::import::import(&options).map(|summary| {
                    eprint!("{}", terminal(&summary.results.problems.report()));
                    print!("{}", app::import::describe(&options, &summary))
                })
            }
            _ => Err(Error::Other(anyhow::anyhow!("give the results file and --into FOLDER, or --query COUNTRY"))),
        },
        Command::Generate { orgs, seed, dir } => partnernet::generate::generate(&dir, orgs, seed)
            .map(|_| eprintln!("{}", terminal(&format!("Wrote a synthetic movement of {orgs} organisations to {}.", dir.display()))))
            .map_err(Error::from),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Error::InvalidData(problems) = &e {
                eprint!("{}", terminal(&problems.report()));
            }
            eprintln!("{}", terminal(&format!("partnernet: {e:#}")));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
