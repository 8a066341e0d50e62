#!/usr/bin/env python3
"""partnernet against NetworkX, igraph and networkit, stage by stage, on the
same generated movement, in one run.

    python3 benches/peers/pipeline.py --orgs 100000            # generate, then compare
    python3 benches/peers/pipeline.py --dataset DIR            # an existing dataset
    python3 benches/peers/pipeline.py --orgs 10000 --networkx  # NetworkX too (slow above 10k)

It builds partnernet (cargo build --release), generates the dataset with
`partnernet generate` (kept in target/bench-data), runs `partnernet analyse
--timings` and reads its stage times and peak memory (the time without
rendering is its `total` less its `diagrams` stage; some stages run side by
side, so the total is less than the sum of the stages; removing the previous
run's outputs, `remove-previous`, is left out too: the script empties the
output folder before the run), then runs the peers' equivalent of each
stage on the same data and prints one table with the ratio of the fastest
peer's time to partnernet's (above 1: partnernet is faster).

The peers install from PyPI: pip install networkx igraph networkit
Stages compared:
  ingest        the CSV files to a weighted tie graph (Python's csv module, then
                the library's graph), against partnernet's ingest + tie-graph
  components    connected components
  clusters      igraph Leiden (modularity, n_iterations=-1), networkit PLM,
                NetworkX Louvain; against partnernet's clusters stage (one
                Leiden run, with the data-quality checks running beside it;
                the confidence runs are a separate stage)
  bridges       bridges and articulation points (igraph bridges() and
                articulation_points(); networkit BiconnectedComponents; NetworkX
                bridges and articulation_points)
  betweenness   the same kind of betweenness partnernet computed: exact (igraph,
                networkit Betweenness, NetworkX) or, when partnernet sampled,
                networkit EstimateBetweenness and NetworkX with k sources
Modularity of each clustering is computed by NetworkX (or igraph above 200k
nodes) on the same weighted graph.
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench_dataset(orgs):
    """The generated movement of `orgs` organisations (seed 42), made with
    `partnernet generate` into target/bench-data the first time."""
    path = ROOT / "target" / "bench-data" / f"movement-{orgs}"
    if not (path / "relations.csv").exists():
        subprocess.run(["cargo", "run", "--release", "--quiet", "--bin", "partnernet", "--",
                        "generate", "--orgs", str(orgs), str(path)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return path


def stage_times(stderr):
    """{stage: seconds} from what `partnernet analyse --timings` printed."""
    stages = {}
    for line in stderr.splitlines():
        m = re.fullmatch(r"([a-z-]+) ([0-9.]+)", line.strip())
        if m:
            stages[m.group(1)] = float(m.group(2))
    return stages


def run_partnernet(dataset, out):
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "partnernet"
    # A fresh output folder, so that the run does not also delete the last
    # run's files (seconds for a million organisations).
    # Then a pause: on ext4, creating files soon after deleting as many is
    # slow (the allocator skips inodes freed in the last 30 s or so; 36,596
    # files took 5.4 s right after a deletion, 2.7 s in a fresh folder).
    if (out / ".partnernet-output").exists():
        shutil.rmtree(out)
        os.sync()
        time.sleep(35)
    os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen([str(binary), "analyse", str(dataset), "--out", str(out), "--timings"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = proc.stderr.read()
    # wait4 gives this child's own peak memory (ru_maxrss, in kB on Linux).
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    total = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(stderr)
    return stage_times(stderr), total, usage.ru_maxrss * 1024


def read_ties(dataset):
    """What a Python user would do: read the CSV files, resolve ids, sum the
    weights per pair (desired relations are wishes, not ties)."""
    with open(dataset / "organisations.csv", newline="", encoding="utf-8-sig") as f:
        ids = [row["id"] for row in csv.DictReader(f)]
    index = {v: i for i, v in enumerate(ids)}
    weights = {}
    with open(dataset / "relations.csv", newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["kind"] == "desired":
                continue
            a, b = index.get(row["source"]), index.get(row["target"])
            if a is None or b is None or a == b:
                continue
            key = (a, b) if a < b else (b, a)
            weights[key] = weights.get(key, 0.0) + float(row["weight"] or 1)
    return len(ids), weights


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--orgs", type=int, default=10000)
    p.add_argument("--dataset", type=Path)
    p.add_argument("--networkx", action="store_true", help="run NetworkX too")
    args = p.parse_args()

    dataset = args.dataset or bench_dataset(args.orgs)
    out = ROOT / "target" / "bench-data" / (dataset.name + "-out")
    pn, pn_total, pn_memory = run_partnernet(dataset, out)
    size = sum(os.path.getsize(dataset / f) for f in os.listdir(dataset) if f.endswith(".csv"))
    print(f"dataset {dataset} ({size / 1e6:.1f} MB of CSV); partnernet analyse took {pn_total:.2f} s end to end, "
          f"{pn['total'] - pn.get('diagrams', 0):.2f} s without rendering (its total but diagrams), "
          f"peak memory {pn_memory / 1e9:.2f} GB")

    import igraph as ig
    import networkit as nk

    (n, weights), t_csv = timed(lambda: read_ties(dataset))
    edges = list(weights)
    w = [weights[e] for e in edges]
    g_ig, t_ig = timed(lambda: ig.Graph(n=n, edges=edges, edge_attrs={"weight": w}))

    def build_nk():
        g = nk.Graph(n, weighted=True)
        for (a, b), x in weights.items():
            g.addEdge(a, b, x)
        return g
    g_nk, t_nk = timed(build_nk)
    rows = []
    rows.append(("ingest", pn.get("ingest", 0) + pn.get("tie-graph", 0), {"igraph": t_csv + t_ig, "networkit": t_csv + t_nk}))

    _, a = timed(lambda: g_ig.connected_components())
    _, b = timed(lambda: nk.components.ConnectedComponents(g_nk).run())
    rows.append(("components", pn.get("components", 0), {"igraph": a, "networkit": b}))

    part_ig, a = timed(lambda: g_ig.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1))
    plm, b = timed(lambda: nk.community.PLM(g_nk, refine=True).run())
    rows.append(("clusters", pn.get("clusters", 0), {"igraph": a, "networkit": b}))
    mod_ig = g_ig.modularity(part_ig.membership, weights="weight")
    mod_nk = nk.community.Modularity().getQuality(plm.getPartition(), g_nk)
    # clusters.csv lists organisations in partnernet's canonical order (by
    # id), not in the order of organisations.csv: match its rows by id.
    with open(dataset / "organisations.csv", newline="", encoding="utf-8-sig") as f:
        position = {row["id"]: i for i, row in enumerate(csv.DictReader(f))}
    membership = {}
    with open(out / "clusters.csv", newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            membership[position[row["id"]]] = row["cluster"] if row["cluster"] else f"c{row['component']}"
    ids = {}
    mem = [ids.setdefault(membership[i], len(ids)) for i in range(n)]
    mod_pn = g_ig.modularity(mem, weights="weight")

    _, a = timed(lambda: (g_ig.bridges(), g_ig.articulation_points()))
    _, b = timed(lambda: nk.components.BiconnectedComponents(g_nk).run())
    rows.append(("bridges", pn.get("bridges", 0), {"igraph": a, "networkit": b}))

    summary = (out / "summary.md").read_text(encoding="utf-8")
    m = re.search(r"estimated from (\d+) sampled organisations", summary)
    g_unw = nk.graphtools.toUnweighted(g_nk)
    if m:
        k = int(m.group(1))
        _, b = timed(lambda: nk.centrality.EstimateBetweenness(g_unw, k, True, True).run())
        rows.append((f"betweenness ({k} sampled sources)", pn.get("betweenness", 0), {"networkit": b}))
    else:
        _, a = timed(lambda: g_ig.betweenness())
        _, b = timed(lambda: nk.centrality.Betweenness(g_unw, True).run())
        rows.append(("betweenness (exact)", pn.get("betweenness", 0), {"igraph": a, "networkit": b}))

    if args.networkx:
        import networkx as nx
        G, t = timed(lambda: nx.Graph([(a, b, {"weight": x}) for (a, b), x in weights.items()]))
        G.add_nodes_from(range(n))
        rows[0][2]["networkx"] = t_csv + t
        _, t = timed(lambda: list(nx.connected_components(G)))
        rows[1][2]["networkx"] = t
        _, t = timed(lambda: nx.community.louvain_communities(G, weight="weight", seed=42))
        rows[2][2]["networkx"] = t
        _, t = timed(lambda: (list(nx.bridges(G)), list(nx.articulation_points(G))))
        rows[3][2]["networkx"] = t
        if m:
            _, t = timed(lambda: nx.betweenness_centrality(G, k=k, seed=42))
        else:
            _, t = timed(lambda: nx.betweenness_centrality(G))
        rows[4][2]["networkx"] = t

    peers = ["igraph", "networkit"] + (["networkx"] if args.networkx else [])
    print(f"\n| stage | partnernet s | " + " | ".join(f"{p} s" for p in peers) + " | fastest peer / partnernet |")
    print("|---|---:|" + "---:|" * len(peers) + "---:|")
    for name, mine, theirs in rows:
        cells = [f"{theirs[p]:.3f}" if p in theirs else "–" for p in peers]
        best = min(theirs.values())
        ratio = best / mine if mine > 0 else float("inf")
        print(f"| {name} | {mine:.3f} | " + " | ".join(cells) + f" | {ratio:.1f} |")
    others = {k: v for k, v in pn.items() if k not in ("ingest", "tie-graph", "components", "clusters", "bridges", "betweenness", "total", "remove-previous")}
    print("\npartnernet's other stages: " + ", ".join(f"{k} {v:.3f} s" for k, v in others.items()))
    print(f"modularity (by igraph on the same weighted graph): partnernet {mod_pn:.6f}, igraph Leiden {mod_ig:.6f}, networkit PLM {mod_nk:.6f}")


if __name__ == "__main__":
    main()
