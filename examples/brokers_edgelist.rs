//! Runs partnernet's broker algorithms on an edge list and prints how long
//! each stage took, for the peer comparison in benches/peers/brokers.py.
//!
//! ```text
//! cargo run --release --example brokers_edgelist -- FILE [--pivots K] [--seed S] [--skip-exact]
//! cargo run --release --example brokers_edgelist -- FILE --sampling-error 64,128,256,512 [--seeds 5]
//! ```
//!
//! `--sampling-error` compares sampled with exact betweenness instead: for
//! each k and seeds 1..=S, the mean and max absolute error over all nodes and
//! the Spearman rank correlation over the exact top 100 nodes; it prints the
//! mean over seeds of the mean error and of the correlation, and the max over
//! seeds of the max error.
//!
//! FILE is a CSV edge list with a header naming `source`, `target` and
//! optionally `weight` columns (other columns are ignored), or a partnernet
//! output folder holding `ties.csv`. Node labels are arbitrary strings.
//! Output: one line per stage, `partnernet<TAB>stage<TAB>seconds`, on
//! standard output; a summary of the results on standard error.

use anyhow::{bail, Context, Result};
use partnernet::algo::betweenness::{betweenness, BetweennessMode};
use partnernet::algo::bridges::cut_structure;
use partnernet::algo::brokerage::structural_holes;
use partnernet::algo::Csr;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

struct Args {
    file: PathBuf,
    pivots: usize,
    seed: u64,
    skip_exact: bool,
    error_ks: Vec<usize>,
    seeds: u64,
}

fn parse_args() -> Result<Args> {
    let mut file = None;
    let mut pivots = 256;
    let mut seed = 1;
    let mut skip_exact = false;
    let mut error_ks = Vec::new();
    let mut seeds = 5;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--pivots" => pivots = it.next().context("--pivots needs a value")?.parse()?,
            "--seed" => seed = it.next().context("--seed needs a value")?.parse()?,
            "--skip-exact" => skip_exact = true,
            "--seeds" => seeds = it.next().context("--seeds needs a value")?.parse()?,
            "--sampling-error" => {
                let list = it.next().context("--sampling-error needs k values")?;
                for k in list.split(',') {
                    error_ks.push(k.trim().parse()?);
                }
            }
            _ if a.starts_with("--") => bail!("unknown option {a}"),
            _ => file = Some(PathBuf::from(a)),
        }
    }
    let mut file =
        file.context("usage: brokers_edgelist FILE [--pivots K] [--seed S] [--skip-exact]")?;
    if file.is_dir() {
        file = file.join("ties.csv");
    }
    Ok(Args {
        file,
        pivots,
        seed,
        skip_exact,
        error_ks,
        seeds,
    })
}

fn load(path: &PathBuf) -> Result<(Csr, Vec<String>)> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(s), Some(t)) = (col("source"), col("target")) else {
        bail!("{}: needs source and target columns", path.display());
    };
    let w = col("weight");
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut labels = Vec::new();
    let mut edges = Vec::new();
    let mut id = |label: &str| -> u32 {
        if let Some(&i) = index.get(label) {
            return i;
        }
        let i = labels.len() as u32;
        labels.push(label.to_string());
        index.insert(label.to_string(), i);
        i
    };
    for rec in reader.records() {
        let rec = rec?;
        let (a, b) = (id(&rec[s]), id(&rec[t]));
        let weight = match w {
            Some(w) => rec[w].trim().parse::<f64>().unwrap_or(1.0),
            None => 1.0,
        };
        edges.push((a, b, weight));
    }
    Ok((Csr::from_edges(labels.len(), edges), labels))
}

fn stage<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    println!("partnernet\t{name}\t{:.4}", start.elapsed().as_secs_f64());
    out
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let (csr, labels) = stage("load", || load(&args.file))?;
    eprintln!(
        "{}: {} nodes, {} edges, {} threads",
        args.file.display(),
        csr.node_count(),
        csr.edge_count(),
        rayon::current_num_threads()
    );
    if !args.error_ks.is_empty() {
        return sampling_error(&csr, &args);
    }
    let cut = stage("bridges+articulation", || cut_structure(&csr));
    eprintln!(
        "  {} bridges, {} articulation points",
        cut.bridges.len(),
        cut.articulation_points.len()
    );
    if let Some((i, size)) = cut
        .articulation_cut_off
        .iter()
        .enumerate()
        .max_by_key(|&(i, &s)| (s, std::cmp::Reverse(i)))
    {
        eprintln!(
            "  largest articulation cut: {} cuts off {} nodes",
            labels[cut.articulation_points[i] as usize], size
        );
    }
    let top = |b: &[f64]| {
        let mut idx: Vec<usize> = (0..b.len()).collect();
        idx.sort_by(|&x, &y| b[y].total_cmp(&b[x]).then(x.cmp(&y)));
        idx.iter()
            .take(3)
            .map(|&i| format!("{} {:.5}", labels[i], b[i]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !args.skip_exact {
        let b = stage("betweenness_exact", || {
            betweenness(&csr, BetweennessMode::Exact)
        });
        eprintln!("  exact betweenness top: {}", top(&b));
    }
    let mode = BetweennessMode::Sampled {
        pivots: args.pivots,
        seed: args.seed,
    };
    let b = stage(&format!("betweenness_sampled_k{}", args.pivots), || {
        betweenness(&csr, mode)
    });
    eprintln!("  sampled betweenness top: {}", top(&b));
    let h = stage("constraint+effective_size", || structural_holes(&csr));
    let finite = h.constraint.iter().filter(|x| x.is_finite()).count();
    eprintln!("  constraint defined for {finite} nodes");
    Ok(())
}

/// Ranks with ties averaged (1-based).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation: Pearson's correlation of the ranks.
fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        cov += (x - ma) * (y - mb);
        va += (x - ma) * (x - ma);
        vb += (y - mb) * (y - mb);
    }
    cov / (va * vb).sqrt()
}

fn sampling_error(csr: &Csr, args: &Args) -> Result<()> {
    let exact = stage("betweenness_exact", || {
        betweenness(csr, BetweennessMode::Exact)
    });
    let n = exact.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| exact[y].total_cmp(&exact[x]).then(x.cmp(&y)));
    let top: Vec<usize> = order.into_iter().take(100).collect();
    println!("k\tseeds\tmean_abs_error\tmax_abs_error\tspearman_top100");
    for &k in &args.error_ks {
        let (mut mean_sum, mut max_err, mut rho_sum) = (0.0f64, 0.0f64, 0.0f64);
        for seed in 1..=args.seeds {
            let est = betweenness(csr, BetweennessMode::Sampled { pivots: k, seed });
            let errs: Vec<f64> = est.iter().zip(&exact).map(|(e, x)| (e - x).abs()).collect();
            mean_sum += errs.iter().sum::<f64>() / n as f64;
            max_err = errs.iter().copied().fold(max_err, f64::max);
            let a: Vec<f64> = top.iter().map(|&v| exact[v]).collect();
            let b: Vec<f64> = top.iter().map(|&v| est[v]).collect();
            rho_sum += spearman(&a, &b);
        }
        let s = args.seeds as f64;
        println!(
            "{k}\t{}\t{:.3e}\t{:.3e}\t{:.4}",
            args.seeds,
            mean_sum / s,
            max_err,
            rho_sum / s
        );
    }
    Ok(())
}
