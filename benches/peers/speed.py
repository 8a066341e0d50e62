#!/usr/bin/env python3
"""Issue 24, bars 1 and 2, measured in one run:

1. ingest: partnernet's `ingest` + `tie-graph` stages on the generated 1M
   movement against polars reading the same three CSV files with every
   column as text (`pl.read_csv(path, infer_schema_length=0)`). The two
   alternate, RUNS times each; the bar holds when partnernet's median is at
   most 3 times polars' median.
2. clusters: partnernet's `clusters` stage (one Leiden run with the
   configured seed, as `analyse` runs it; the other seeded runs and the
   choice of the best are the `confidence` stage) against networkit's PLM
   with refinement on the same tie graph, at 10k and 100k. The bar holds when
   partnernet's median is no slower than PLM's median and its modularity
   (scored by igraph on the same weighted graph) is at least igraph Leiden's
   minus 0.002.

    python3 benches/peers/speed.py                 # both bars, 3 runs each
    python3 benches/peers/speed.py --only ingest --runs 5
    python3 benches/peers/speed.py --data /tmp/speed --sizes 10000

The datasets are made once with `partnernet generate --orgs N` (seed 42) into
DATA/movement-N (default target/bench-data, as pipeline.py). It builds the
examples `ingest_timing` and `clusters_timing` in release mode.
Peers: pip install polars igraph networkit
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = ["organisations.csv", "relations.csv", "interviews.csv"]


def dataset(data, orgs):
    path = data / f"movement-{orgs}"
    if not (path / "relations.csv").exists():
        subprocess.run([str(ROOT / "target" / "release" / "partnernet"), "generate", "--orgs", str(orgs), str(path)],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def example(name):
    return str(ROOT / "target" / "release" / "examples" / name)


def ingest_bar(path, runs):
    import polars as pl

    ours, theirs = [], []
    for _ in range(runs):
        start = time.perf_counter()
        frames = [pl.read_csv(path / f, infer_schema_length=0) for f in FILES]
        theirs.append(time.perf_counter() - start)
        del frames
        out = subprocess.run([example("ingest_timing"), str(path), "1"], check=True,
                             capture_output=True, text=True).stderr
        ours.append(float(re.search(r"total ([0-9.]+) s", out).group(1)))
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"ingest + tie-graph, {path.name}: partnernet {fmt(ours)}; polars read_csv (all text) {fmt(theirs)}")
    print(f"  ratio of medians {a / b:.2f} (bar: at most 3) -> {'holds' if a <= 3 * b else 'NOT met'}")


def clusters_bar(path, runs):
    import igraph as ig
    import networkit as nk

    with tempfile.TemporaryDirectory() as tmp:
        edges_csv, membership_csv = Path(tmp) / "edges.csv", Path(tmp) / "membership.csv"
        out = subprocess.run([example("clusters_timing"), str(path), str(runs), str(edges_csv), str(membership_csv)],
                             check=True, capture_output=True, text=True).stdout
        ours = [float(x) for x in re.findall(r"clusters ([0-9.]+)", out)]
        rows = [line.split(",") for line in edges_csv.read_text().splitlines()[1:]]
        membership = [int(x) for x in membership_csv.read_text().split()]
    n = len(membership)
    edges = [(int(a), int(b)) for a, b, _ in rows]
    weights = [float(w) for _, _, w in rows]
    g_ig = ig.Graph(n=n, edges=edges, edge_attrs={"weight": weights})
    g_nk = nk.Graph(n, weighted=True)
    for (a, b), w in zip(edges, weights):
        g_nk.addEdge(a, b, w)
    plm = []
    for _ in range(runs):
        algo = nk.community.PLM(g_nk, refine=True)
        start = time.perf_counter()
        algo.run()
        plm.append(time.perf_counter() - start)
    start = time.perf_counter()
    leiden = g_ig.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    t_leiden = time.perf_counter() - start
    q_ours = g_ig.modularity(membership, weights="weight")
    q_leiden = g_ig.modularity(leiden.membership, weights="weight")
    q_plm = g_ig.modularity(algo.getPartition().getVector(), weights="weight")
    a, b = statistics.median(ours), statistics.median(plm)
    print(f"clusters, {path.name} ({n} organisations, {len(edges)} ties): partnernet {fmt(ours)}; "
          f"networkit PLM (refine) {fmt(plm)}; igraph Leiden {t_leiden:.3f} s")
    print(f"  modularity: partnernet {q_ours:.6f}, igraph Leiden {q_leiden:.6f}, networkit PLM {q_plm:.6f}")
    speed_ok, q_ok = a <= b, q_ours >= q_leiden - 0.002
    print(f"  PLM / partnernet {b / a:.2f} (bar: at least 1) -> {'holds' if speed_ok else 'NOT met'}; "
          f"modularity {q_ours - q_leiden:+.6f} against igraph Leiden (bar: at least -0.002) -> "
          f"{'holds' if q_ok else 'NOT met'}")


def fmt(times):
    return f"median {statistics.median(times):.3f} s (" + ", ".join(f"{t:.3f}" for t in times) + ")"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=ROOT / "target" / "bench-data")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--ingest-orgs", type=int, default=1_000_000)
    p.add_argument("--sizes", default="10000,100000", help="organisations for the clusters bar")
    p.add_argument("--only", choices=["ingest", "clusters"])
    args = p.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "partnernet",
                    "--example", "ingest_timing", "--example", "clusters_timing"], cwd=ROOT, check=True)
    print(f"load: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f} "
          f"(1, 5, 15 min) on {os.cpu_count()} cores", flush=True)
    if args.only != "clusters":
        ingest_bar(dataset(args.data, args.ingest_orgs), args.runs)
        sys.stdout.flush()
    if args.only != "ingest":
        for size in [int(s) for s in args.sizes.split(",") if s]:
            clusters_bar(dataset(args.data, size), args.runs)
            sys.stdout.flush()
    print(f"load at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
