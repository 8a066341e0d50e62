//! Bridges, articulation points, betweenness and brokerage against NetworkX
//! reference values (tests/fixtures, written by benches/peers/reference.py).

use partnernet::algo::betweenness::{betweenness, betweenness_with_pivots, BetweennessMode};
use partnernet::algo::bridges::cut_structure;
use partnernet::algo::brokerage::structural_holes;
use partnernet::algo::Csr;
use rand::SeedableRng;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

const TOL: f64 = 1e-9;

struct Fixture {
    csr: Csr,
    labels: Vec<String>,
    index: HashMap<String, u32>,
}

fn fixture_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file)
}

fn records(file: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(fixture_path(file)).expect(file);
    r.records().map(|x| x.expect(file)).collect()
}

/// Loads `name.csv`; nodes are numbered in order of first appearance.
fn load(name: &str) -> Fixture {
    let mut labels: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut id = |s: &str, labels: &mut Vec<String>| {
        *index.entry(s.to_string()).or_insert_with(|| {
            labels.push(s.to_string());
            (labels.len() - 1) as u32
        })
    };
    let mut edges = Vec::new();
    for rec in records(&format!("{name}.csv")) {
        let a = id(&rec[0], &mut labels);
        let b = id(&rec[1], &mut labels);
        edges.push((a, b, rec[2].parse::<f64>().unwrap()));
    }
    let csr = Csr::from_edges(labels.len(), edges);
    let index = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.clone(), i as u32))
        .collect();
    Fixture { csr, labels, index }
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

fn close(got: f64, want: f64) -> bool {
    (got.is_nan() && want.is_nan()) || (got - want).abs() <= TOL
}

fn check_against_networkx(name: &str) {
    let f = load(name);
    let reference = records(&format!("{name}_reference.csv"));
    assert_eq!(reference.len(), f.labels.len(), "{name}: node count");

    let bc = betweenness(&f.csr, BetweennessMode::Exact);
    let holes = structural_holes(&f.csr);
    let cut = cut_structure(&f.csr);
    let mut want_aps = BTreeSet::new();
    for rec in &reference {
        let v = f.index[&rec[0]] as usize;
        assert!(
            close(bc[v], num(&rec[1])),
            "{name} {}: betweenness {} vs {}",
            &rec[0],
            bc[v],
            &rec[1]
        );
        assert!(
            close(holes.constraint[v], num(&rec[2])),
            "{name} {}: constraint {} vs {}",
            &rec[0],
            holes.constraint[v],
            &rec[2]
        );
        assert!(
            close(holes.effective_size[v], num(&rec[3])),
            "{name} {}: effective size {} vs {}",
            &rec[0],
            holes.effective_size[v],
            &rec[3]
        );
        if &rec[4] == "1" {
            want_aps.insert(rec[0].to_string());
        }
    }
    let got_aps: BTreeSet<String> = cut
        .articulation_points
        .iter()
        .map(|&v| f.labels[v as usize].clone())
        .collect();
    assert_eq!(got_aps, want_aps, "{name}: articulation points");

    let norm = |a: &str, b: &str| {
        if a <= b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let want_bridges: BTreeSet<(String, String)> = records(&format!("{name}_bridges.csv"))
        .iter()
        .map(|r| norm(&r[0], &r[1]))
        .collect();
    let got_bridges: BTreeSet<(String, String)> = cut
        .bridges
        .iter()
        .map(|&(a, b)| norm(&f.labels[a as usize], &f.labels[b as usize]))
        .collect();
    assert_eq!(got_bridges, want_bridges, "{name}: bridges");
    assert!(
        !want_bridges.is_empty(),
        "{name}: the fixture should have bridges"
    );
}

fn check_sampled_against_networkx(name: &str) {
    let f = load(name);
    let rows = records(&format!("{name}_sampled.csv"));
    let pivots: Vec<u32> = rows
        .iter()
        .filter(|r| &r[1] == "1")
        .map(|r| f.index[&r[0]])
        .collect();
    assert!(pivots.len() > 1);
    let est = betweenness_with_pivots(&f.csr, &pivots);
    for r in &rows {
        let v = f.index[&r[0]] as usize;
        assert!(
            close(est[v], num(&r[2])),
            "{name} {}: sampled {} vs {}",
            &r[0],
            est[v],
            &r[2]
        );
    }
}

#[test]
fn karate_matches_networkx() {
    check_against_networkx("karate");
}

#[test]
fn lesmis_matches_networkx() {
    check_against_networkx("lesmis");
}

#[test]
fn karate_sampled_matches_networkx_for_the_same_pivots() {
    check_sampled_against_networkx("karate");
}

#[test]
fn lesmis_sampled_matches_networkx_for_the_same_pivots() {
    check_sampled_against_networkx("lesmis");
}

#[test]
fn karate_cut_sizes() {
    let f = load("karate");
    let cut = cut_structure(&f.csr);
    let (zero, eleven) = (f.index["0"], f.index["11"]);
    // Node 11 hangs off node 0 alone: the only bridge.
    assert_eq!(cut.bridges, vec![(zero.min(eleven), zero.max(eleven))]);
    assert_eq!(cut.bridge_cut_off, vec![1]);
    assert_eq!(cut.bridge_cut_off_nodes(0), vec![eleven]);
    assert_eq!(cut.articulation_points, vec![zero]);
    // Removing node 0 also cuts off the group 4, 5, 6, 10, 16.
    assert_eq!(cut.articulation_cut_off, vec![6]);
    let mut off: Vec<&str> = cut
        .articulation_cut_off_nodes(0)
        .iter()
        .map(|&v| f.labels[v as usize].as_str())
        .collect();
    off.sort_unstable_by_key(|l| l.parse::<u32>().unwrap());
    assert_eq!(off, vec!["4", "5", "6", "10", "11", "16"]);
    let sizes: Vec<usize> = cut.articulation_parts(0).iter().map(Vec::len).collect();
    assert_eq!(sizes, vec![27, 5, 1]);
    assert_eq!(cut.component_size(zero), 34);
}

#[test]
fn lesmis_betweenness_is_thread_count_independent() {
    let f = load("lesmis");
    let run = |t: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .unwrap()
            .install(|| betweenness(&f.csr, BetweennessMode::Exact))
    };
    let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
    assert_eq!(bits(run(1)), bits(run(2)));
}

#[test]
fn million_node_path_cut_structure() {
    // Correctness on a deep DFS: the explicit stack must not overflow.
    let n: u32 = 1_000_000;
    let csr = Csr::from_edges(n as usize, (0..n - 1).map(|i| (i, i + 1, 1.0)));
    let cut = cut_structure(&csr);
    assert_eq!(cut.bridges.len(), n as usize - 1);
    assert_eq!(cut.articulation_points, (1..n - 1).collect::<Vec<_>>());
    let last = cut.bridges.len() - 1;
    assert_eq!(cut.bridges[last], (n - 2, n - 1));
    assert_eq!(cut.bridge_cut_off_nodes(last), vec![n - 1]);
    // Node 1000 cuts off nodes 0..1000, the smaller part.
    let i = cut.articulation_points.binary_search(&1000).unwrap();
    assert_eq!(cut.articulation_cut_off[i], 1000);
    let mut off = cut.articulation_cut_off_nodes(i);
    off.sort_unstable();
    assert_eq!(off, (0..1000).collect::<Vec<_>>());
}

#[test]
fn empty_and_single_node_graphs_for_every_measure() {
    use partnernet::algo::betweenness::{dependency_sums, sample_pivots};
    use partnernet::algo::brokerage::participation_coefficient;
    let empty = Csr::from_edges(0, []);
    let cut = cut_structure(&empty);
    assert!(cut.bridges.is_empty() && cut.articulation_points.is_empty());
    assert!(betweenness(&empty, BetweennessMode::Exact).is_empty());
    assert!(betweenness(&empty, BetweennessMode::Sampled { pivots: 4, seed: 0 }).is_empty());
    assert!(sample_pivots(0, 4, 0).is_empty());
    assert!(dependency_sums(&empty, &[0]).is_empty());
    let h = structural_holes(&empty);
    assert!(h.constraint.is_empty() && h.effective_size.is_empty());
    assert!(participation_coefficient(&empty, &[]).unwrap().is_empty());

    let single = Csr::from_edges(1, []);
    let cut = cut_structure(&single);
    assert!(cut.bridges.is_empty() && cut.articulation_points.is_empty());
    assert_eq!(cut.component_size(0), 1);
    assert_eq!(betweenness(&single, BetweennessMode::Exact), vec![0.0]);
    let h = structural_holes(&single);
    assert!(h.constraint[0].is_nan() && h.effective_size[0].is_nan());
    assert_eq!(participation_coefficient(&single, &[3]).unwrap(), vec![0.0]);
}

#[test]
fn two_triangles_joined_by_a_bridge() {
    // {0,1,2} and {3,4,5}, bridge 2-3.
    let edges = [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5)];
    let csr = Csr::from_edges(6, edges.iter().map(|&(a, b)| (a, b, 1.0)));
    let cut = cut_structure(&csr);
    assert_eq!(cut.bridges, vec![(2, 3)]);
    assert_eq!(cut.bridge_cut_off, vec![3]);
    assert_eq!(cut.bridge_cut_off_nodes(0), vec![3, 4, 5]); // a tie: not node 0's side
    assert_eq!(cut.articulation_points, vec![2, 3]);
    assert_eq!(cut.articulation_cut_off, vec![2, 2]); // {0, 1} from 2; {4, 5} from 3
    let b = betweenness(&csr, BetweennessMode::Exact);
    // 2 and 3 each lie on 6 of the 10 pairs without them; 2/(5*4) per pair.
    for (v, want) in [0.0, 0.0, 0.6, 0.6, 0.0, 0.0].iter().enumerate() {
        assert!((b[v] - want).abs() < 1e-12, "{v}: {}", b[v]);
    }
}

/// A graph of many blocks: rings of 3 to 9 nodes hung off each other, each
/// ring carrying a pendant tree, a few chords merging rings into bigger
/// blocks, pairs of twins (K(2, 3)), a separate path component and isolated
/// nodes.
fn blocky(rings: u32) -> Csr {
    let mut edges: Vec<(u32, u32, f64)> = Vec::new();
    let mut n = 1u32;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x1234_5678_9abc_def1);
    let mut next = move || rand::RngCore::next_u64(&mut rng);
    for _ in 0..rings {
        let anchor = (next() % n as u64) as u32;
        let len = 3 + (next() % 7) as u32;
        let mut prev = anchor;
        for _ in 1..len {
            edges.push((prev, n, 1.0));
            prev = n;
            n += 1;
        }
        edges.push((prev, anchor, 1.0));
        // A pendant tree of two nodes off the ring's last node.
        edges.push((prev, n, 1.0));
        edges.push((n, n + 1, 1.0));
        n += 2;
        match next() % 4 {
            0 => {
                let a = (next() % n as u64) as u32;
                let b = (next() % n as u64) as u32;
                if a != b
                    && !edges
                        .iter()
                        .any(|e| (e.0, e.1) == (a, b) || (e.0, e.1) == (b, a))
                {
                    edges.push((a, b, 1.0));
                }
            }
            1 => {
                // Twins n, n + 1, n + 2, all tied to the anchor and to n + 3.
                for t in 0..3 {
                    edges.push((anchor, n + t, 1.0));
                    edges.push((n + 3, n + t, 1.0));
                }
                n += 4;
            }
            _ => {}
        }
    }
    // A separate path and two isolated nodes.
    for i in 0..5 {
        edges.push((n + i, n + i + 1, 1.0));
    }
    n += 8;
    Csr::from_edges(n as usize, edges)
}

#[test]
fn block_decomposition_equals_plain_brandes_on_many_blocks() {
    // With every node as a pivot, the sampled mode runs plain Brandes from
    // every node of the whole graph: the exact value, without the blocks.
    for rings in [1, 5, 40, 200] {
        let csr = blocky(rings);
        let n = csr.node_count() as u32;
        let exact = betweenness(&csr, BetweennessMode::Exact);
        let all: Vec<u32> = (0..n).collect();
        let plain = betweenness_with_pivots(&csr, &all);
        for v in 0..n as usize {
            assert!(
                (exact[v] - plain[v]).abs() <= TOL,
                "{rings} rings, node {v}: {} vs {}",
                exact[v],
                plain[v]
            );
        }
    }
}

#[test]
fn blocky_betweenness_is_thread_count_independent() {
    let csr = blocky(300);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| betweenness(&csr, BetweennessMode::Exact))
            .into_iter()
            .map(f64::to_bits)
            .collect::<Vec<_>>()
    };
    assert_eq!(run(1), run(2));
    assert_eq!(run(1), run(3));
}
