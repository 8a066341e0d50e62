//! Runs partnernet's Leiden on an edge list, for the peer comparison script
//! (`benches/peers/clusters.py --partnernet`).
//!
//! ```text
//! cargo run --release --example leiden_edgelist -- EDGES.csv OUT.csv \
//!     [--resolution G] [--seed S] [--cpm] [--theta T] [--max-iterations K]
//! ```
//!
//! `EDGES.csv` has a header and columns `source,target[,weight]` (any further
//! columns are ignored; a missing weight counts as 1). Node ids are strings.
//! `OUT.csv` gets `id,cluster`; the line `seconds=<s>` on stdout is the time of
//! the Leiden call alone (graph loading excluded), `communities=<k>` follows.

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use partnernet::algo::leiden::{leiden, LeidenParams, Objective};
use partnernet::algo::Csr;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut files = Vec::new();
    let mut params = LeidenParams::default();
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match a.as_str() {
            "--resolution" => params.resolution = value("--resolution")?.parse()?,
            "--seed" => params.seed = value("--seed")?.parse()?,
            "--theta" => params.theta = value("--theta")?.parse()?,
            "--cpm" => params.objective = Objective::Cpm,
            "--max-iterations" => params.max_iterations = Some(value("--max-iterations")?.parse()?),
            _ => files.push(a),
        }
    }
    let [input, output] = files.as_slice() else {
        bail!(
            "usage: leiden_edgelist EDGES.csv OUT.csv [--resolution G] [--seed S] [--cpm] \
             [--theta T] [--max-iterations K]"
        );
    };
    let mut reader = csv::Reader::from_path(input).with_context(|| format!("reading {input}"))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (s, t) = (col("source").unwrap_or(0), col("target").unwrap_or(1));
    let w = col("weight");
    let mut ids: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut edges = Vec::new();
    let mut intern = |id: &str, ids: &mut Vec<String>| -> u32 {
        *index.entry(id.to_string()).or_insert_with(|| {
            ids.push(id.to_string());
            (ids.len() - 1) as u32
        })
    };
    for record in reader.records() {
        let record = record?;
        let a = intern(&record[s], &mut ids);
        let b = intern(&record[t], &mut ids);
        let weight = match w.and_then(|i| record.get(i)) {
            Some(x) if !x.is_empty() => {
                x.parse::<f64>().with_context(|| format!("weight {x:?}"))?
            }
            _ => 1.0,
        };
        edges.push((a, b, weight));
    }
    let csr = Csr::from_edges(ids.len(), edges);
    let start = Instant::now();
    let membership = leiden(&csr, &params);
    let seconds = start.elapsed().as_secs_f64();
    let mut out = csv::Writer::from_path(output).with_context(|| format!("writing {output}"))?;
    out.write_record(["id", "cluster"])?;
    for (id, c) in ids.iter().zip(&membership) {
        out.write_record([id.as_str(), &c.to_string()])?;
    }
    out.flush()?;
    // A closed pipe (e.g. `| head -1`) is not worth a panic.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "seconds={seconds:.6}");
    let communities = membership.iter().map(|&c| c + 1).max().unwrap_or(0);
    let _ = writeln!(stdout, "communities={communities}");
    Ok(())
}
