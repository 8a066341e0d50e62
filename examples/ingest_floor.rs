//! The floor under ingest on this machine: how fast a stripped-down reader
//! turns a dataset's CSV files into a tie graph, in one fresh process.
//!
//! `cargo run --release --example ingest_floor -- target/bench-data/movement-1000000`
//!
//! It does only what no design can skip: read the files (`interviews.csv`
//! too, when there is one, so that its MB/s count the same bytes as
//! `ingest_timing`'s), parse them as CSV in parallel and check that the
//! fields are UTF-8, hash the organisations'
//! ids once, look up both ends of every relation, and build the adjacency
//! arrays of the tie graph. It does none of partnernet's checks (kinds,
//! countries, dates, duplicate ids, names and aliases, unknown names), keeps
//! no organisation or relation records beyond the ids, merges no parallel
//! ties, and stops at the first bad row. So partnernet's `ingest` plus
//! `tie-graph` cannot be faster than this; how much slower it is, is the
//! cost of the checks and of the model the analyses read.
//!
//! Run it several times, in separate processes, beside
//! `cargo run --release --example ingest_timing -- DIR 1`: the first touch of
//! new memory in a process costs very differently from run to run on a
//! virtual machine.

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

// The same allocator as the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How many pieces each file is parsed in.
const PIECES: usize = 16;

/// The data rows of `data` (after the header) in `n` pieces that start at
/// line starts. The generated files quote no line break, so every line
/// start is a record start.
fn pieces(data: &[u8], n: usize) -> Vec<&[u8]> {
    let start = memchr::memchr(b'\n', data).map_or(data.len(), |i| i + 1);
    let mut cuts = vec![start];
    for k in 1..n {
        let at = start + (data.len() - start) * k / n;
        let at = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i + 1);
        cuts.push(at.max(*cuts.last().unwrap_or(&start)));
    }
    cuts.push(data.len());
    cuts.windows(2).map(|w| &data[w[0]..w[1]]).collect()
}

fn records(piece: &[u8], mut each: impl FnMut(&csv::ByteRecord)) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(piece);
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .expect("a CSV row partnernet can read")
    {
        for field in record.iter() {
            std::str::from_utf8(field).expect("UTF-8 fields");
        }
        each(&record);
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("a dataset folder, such as target/bench-data/movement-1000000");
    let dir = Path::new(&dir);
    let start = Instant::now();
    let at = || start.elapsed().as_secs_f64();
    let read_file = |name: &str| {
        std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
    };
    let ((orgs, rels), interviews) = rayon::join(
        || {
            rayon::join(
                || read_file("organisations.csv"),
                || read_file("relations.csv"),
            )
        },
        || {
            dir.join("interviews.csv")
                .exists()
                .then(|| read_file("interviews.csv"))
        },
    );
    let interviews = interviews.unwrap_or_default();
    pieces(&interviews, PIECES)
        .par_iter()
        .for_each(|piece| records(piece, |_| {}));
    let read = at();
    // Each piece's ids, end to end, and where each ends.
    let ids: Vec<(Vec<u8>, Vec<usize>)> = pieces(&orgs, PIECES)
        .par_iter()
        .map(|piece| {
            let (mut text, mut ends) = (Vec::new(), Vec::new());
            records(piece, |r| {
                text.extend_from_slice(r.get(0).unwrap_or_default());
                ends.push(text.len());
            });
            (text, ends)
        })
        .collect();
    let parsed_orgs = at();
    let n: usize = ids.iter().map(|(_, ends)| ends.len()).sum();
    let mut index: FxHashMap<&[u8], u32> =
        FxHashMap::with_capacity_and_hasher(n, Default::default());
    for (text, ends) in &ids {
        let mut from = 0;
        for &end in ends {
            let next = index.len() as u32;
            index.entry(&text[from..end]).or_insert(next);
            from = end;
        }
    }
    let indexed = at();
    let ends: Vec<Vec<(u32, u32, f64)>> = pieces(&rels, PIECES)
        .par_iter()
        .map(|piece| {
            let mut out = Vec::new();
            records(piece, |r| {
                let end = |i: usize| {
                    let name = r.get(i).unwrap_or_default();
                    *index.get(name).unwrap_or_else(|| {
                        panic!(
                            "a relation names {:?}, which is no organisation's id; the floor reads only datasets whose relations name ids, such as generated ones",
                            String::from_utf8_lossy(name)
                        )
                    })
                };
                let weight = match r.get(5) {
                    Some(w) if !w.is_empty() => std::str::from_utf8(w)
                        .ok()
                        .and_then(|w| w.parse().ok())
                        .expect("a weight"),
                    _ => 1.0,
                };
                out.push((end(0), end(1), weight));
            });
            out
        })
        .collect();
    let relations: usize = ends.iter().map(Vec::len).sum();
    let parsed_relations = at();
    // The adjacency arrays: a counting sort of both directions.
    let mut offsets = vec![0usize; n + 1];
    for &(a, b, _) in ends.iter().flatten() {
        offsets[a as usize + 1] += 1;
        offsets[b as usize + 1] += 1;
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut neighbours = vec![(0u32, 0f64); 2 * relations];
    for &(a, b, w) in ends.iter().flatten() {
        neighbours[fill[a as usize]] = (b, w);
        fill[a as usize] += 1;
        neighbours[fill[b as usize]] = (a, w);
        fill[b as usize] += 1;
    }
    let total = at();
    let bytes = (orgs.len() + rels.len() + interviews.len()) as f64;
    println!(
        "read (and interviews parsed) {read:.3} s, organisations {:.3} s, id index {:.3} s, relations {:.3} s, adjacency {:.3} s; \
         total {total:.3} s, {:.0} MB/s ({n} organisations, {relations} relations, {} neighbour entries)",
        parsed_orgs - read,
        indexed - parsed_orgs,
        parsed_relations - indexed,
        total - parsed_relations,
        bytes / 1e6 / total,
        neighbours.len()
    );
}
