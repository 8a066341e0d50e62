#!/usr/bin/env python3
"""Compare partnernet's Leiden with peer community-detection tools.

Input: an edge list CSV (columns source,target[,weight]) or a partnernet
output folder holding ties.csv (source,target,weight,...) and optionally
clusters.csv (id,...,cluster), whose partition is then scored too.

Peers (installed from PyPI, never vendored): igraph community_leiden
(modularity, n_iterations=-1), leidenalg ModularityVertexPartition
(RBConfigurationVertexPartition when --resolution != 1; n_iterations=-1),
networkx louvain_communities, networkit PLM. With --partnernet the script
also runs `cargo run --release --example leiden_edgelist` from this
repository on the same edge list.

Every partition is scored with NetworkX's community.modularity on the same
weighted graph (parallel edges summed, self-loops dropped, as partnernet's
Csr does), so the modularity column is comparable across tools. Seconds
cover the community detection call only (graph construction excluded; for
partnernet, the time the example reports for the leiden() call).

    python3 benches/peers/clusters.py EDGES.csv [--partnernet] [--seed 0]
        [--resolution 1.0] [--skip networkx,leidenalg]
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time

import networkx as nx

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read_edges(path):
    """Edges as {(a, b): weight} with a < b as strings; parallel edges summed."""
    edges = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        cols = reader.fieldnames or []
        s = "source" if "source" in cols else cols[0]
        t = "target" if "target" in cols else cols[1]
        for row in reader:
            a, b = row[s], row[t]
            if a == b:
                continue
            w = row.get("weight")
            w = float(w) if w not in (None, "") else 1.0
            key = (a, b) if a < b else (b, a)
            edges[key] = edges.get(key, 0.0) + w
    return edges


def build_nx(edges):
    g = nx.Graph()
    for (a, b), w in edges.items():
        g.add_edge(a, b, weight=w)
    return g


def score(g, membership):
    """membership: {node: cluster}. Returns (communities, modularity, disconnected)."""
    groups = {}
    for v in g.nodes:
        groups.setdefault(membership.get(v, ("missing", v)), set()).add(v)
    parts = list(groups.values())
    q = nx.community.modularity(g, parts, weight="weight", resolution=ARGS.resolution)
    disconnected = sum(1 for p in parts if len(p) > 1 and not nx.is_connected(g.subgraph(p)))
    return len(parts), q, disconnected


def run_igraph(g, nodes):
    import igraph as ig

    index = {v: i for i, v in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in g.edges()])
    h.es["weight"] = [d["weight"] for _, _, d in g.edges(data=True)]
    ig.set_random_number_generator(__import__("random").Random(ARGS.seed))
    t = time.perf_counter()
    part = h.community_leiden(
        objective_function="modularity", weights="weight", resolution=ARGS.resolution, n_iterations=-1
    )
    secs = time.perf_counter() - t
    return {nodes[i]: c for i, c in enumerate(part.membership)}, secs


def run_leidenalg(g, nodes):
    import igraph as ig
    import leidenalg as la

    index = {v: i for i, v in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in g.edges()])
    h.es["weight"] = [d["weight"] for _, _, d in g.edges(data=True)]
    t = time.perf_counter()
    if ARGS.resolution == 1.0:
        part = la.find_partition(h, la.ModularityVertexPartition, weights="weight", n_iterations=-1, seed=ARGS.seed)
    else:
        part = la.find_partition(
            h,
            la.RBConfigurationVertexPartition,
            weights="weight",
            resolution_parameter=ARGS.resolution,
            n_iterations=-1,
            seed=ARGS.seed,
        )
    secs = time.perf_counter() - t
    return {nodes[i]: c for i, c in enumerate(part.membership)}, secs


def run_networkx(g, nodes):
    t = time.perf_counter()
    parts = nx.community.louvain_communities(g, weight="weight", resolution=ARGS.resolution, seed=ARGS.seed)
    secs = time.perf_counter() - t
    return {v: i for i, p in enumerate(parts) for v in p}, secs


def run_networkit(g, nodes):
    import networkit as nk

    index = {v: i for i, v in enumerate(nodes)}
    h = nk.Graph(len(nodes), weighted=True)
    for a, b, d in g.edges(data=True):
        h.addEdge(index[a], index[b], d["weight"])
    nk.engineering.setSeed(ARGS.seed, True)
    algo = nk.community.PLM(h, refine=False, gamma=ARGS.resolution)
    t = time.perf_counter()
    algo.run()
    secs = time.perf_counter() - t
    part = algo.getPartition()
    return {nodes[i]: part.subsetOf(i) for i in range(len(nodes))}, secs


def run_partnernet(edge_path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "clusters.csv")
        cmd = [
            "cargo", "run", "--quiet", "--release", "--example", "leiden_edgelist", "--",
            os.path.abspath(edge_path), out, "--seed", str(ARGS.seed), "--resolution", str(ARGS.resolution),
        ]
        if ARGS.max_iterations is not None:
            cmd += ["--max-iterations", str(ARGS.max_iterations)]
        res = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(res.stderr.strip())
        secs = next(float(l.split("=", 1)[1]) for l in res.stdout.splitlines() if l.startswith("seconds="))
        return read_clusters(out), secs


def read_clusters(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return {row["id"]: row["cluster"] for row in csv.DictReader(f)}


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", help="edge list CSV or partnernet output folder (ties.csv, clusters.csv)")
    ap.add_argument("--partnernet", action="store_true", help="also run partnernet's Leiden (cargo example)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-iterations", type=int, default=None,
                    help="partnernet only: stop after K Leiden iterations (default: until no change)")
    ap.add_argument("--resolution", type=float, default=1.0)
    ap.add_argument("--skip", default="", help="comma-separated tools to skip: igraph,leidenalg,networkx,networkit")
    ARGS = ap.parse_args()

    clusters_file = None
    edge_path = ARGS.input
    if os.path.isdir(ARGS.input):
        edge_path = os.path.join(ARGS.input, "ties.csv")
        c = os.path.join(ARGS.input, "clusters.csv")
        clusters_file = c if os.path.exists(c) else None
    edges = read_edges(edge_path)
    g = build_nx(edges)
    nodes = list(g.nodes)
    print(f"# {edge_path}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, resolution {ARGS.resolution}")
    skip = set(filter(None, ARGS.skip.split(",")))
    rows = []
    tools = [
        ("igraph community_leiden", "igraph", lambda: run_igraph(g, nodes)),
        ("leidenalg Modularity", "leidenalg", lambda: run_leidenalg(g, nodes)),
        ("networkx louvain", "networkx", lambda: run_networkx(g, nodes)),
        ("networkit PLM", "networkit", lambda: run_networkit(g, nodes)),
    ]
    if ARGS.partnernet:
        label = "partnernet leiden"
        if ARGS.max_iterations is not None:
            label += f" (≤{ARGS.max_iterations} it.)"
        tools.insert(0, (label, "partnernet", lambda: run_partnernet(edge_path)))
    if clusters_file:
        tools.insert(0, ("partnernet clusters.csv", "clusters.csv", lambda: (read_clusters(clusters_file), float("nan"))))
    for label, key, fn in tools:
        if key in skip:
            continue
        try:
            membership, secs = fn()
        except Exception as e:  # a missing peer must not hide the others
            print(f"{label}: failed: {e}", file=sys.stderr)
            continue
        k, q, disc = score(g, membership)
        rows.append((label, k, q, disc, secs))
    print(f"{'tool':<26} {'communities':>11} {'modularity':>11} {'disconnected':>12} {'seconds':>9}")
    for label, k, q, disc, secs in rows:
        print(f"{label:<26} {k:>11} {q:>11.6f} {disc:>12} {secs:>9.3f}")


if __name__ == "__main__":
    main()
