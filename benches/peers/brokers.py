#!/usr/bin/env python3
"""Peer comparison for partnernet's broker algorithms: bridges and
articulation points, exact and sampled betweenness.

Input: an edge list CSV (source,target,weight; other columns ignored), a
partnernet output folder holding ties.csv, or --generate N for a synthetic
movement-like graph of N nodes (see movement_like()).

Tools: igraph, networkit, networkx (only on small graphs: bridges up to
--nx-max-bridges nodes, betweenness up to --nx-max-betweenness nodes) and,
with --partnernet, partnernet itself through
`cargo run --release --example brokers_edgelist -- FILE`.

Prints one line per measurement: tool, stage, seconds (tab-separated).
Loading and graph construction are reported as their own stage and are not
counted in the algorithm stages.

Examples:
  python3 benches/peers/brokers.py --generate 10000 --partnernet
  python3 benches/peers/brokers.py ties.csv --pivots 128
  python3 benches/peers/brokers.py --generate 1000000 --stages bridges --partnernet
  python3 benches/peers/brokers.py --generate 10000 --sampling-error   (partnernet's own figures)
  python3 benches/peers/brokers.py --movement 10000,50000

--movement N[,N...] is the exact-betweenness bench (issue 24, bar 3): on the
movement `partnernet generate --orgs N` makes (seed 42, in target/bench-data),
it times partnernet's exact betweenness on the tie graph `analyse` builds
(`cargo run --release --example betweenness_exact`, the fastest of --runs
runs, whatever `[brokers] exact_betweenness_up_to` says) and, on the same
graph in the same run, igraph's `betweenness()` (up to --igraph-max
organisations), then NetworkX's `betweenness_centrality` (up to
--nx-max-betweenness) and the largest absolute difference between
NetworkX's values and partnernet's. It prints the load average beside the
times: on a loaded machine compare the ratio, not the seconds.
"""
import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def movement_like(n, seed=1, edges_per_node=2.1, cross_region=0.08):
    """A synthetic graph shaped like the movement's partnership network.

    Regions (about sqrt(n)/10 of them) each hold a few affiliates (2% of the
    nodes) tied to each other and to affiliates of other regions; every other
    node is a partner institution that joins a region (regions of unequal
    size) and ties to 1-4 existing nodes, mostly in its own region, chosen by
    preferential attachment (heavy-tailed degrees; affiliates and big
    institutions become hubs). A fraction `cross_region` of institution ties
    go to another region. One-tie institutions are pendant nodes, so there
    are many bridges, as in the real network. Weights are tie strengths 1-5.
    Returns (n, [(u, v, w)]) with about edges_per_node * n edges.
    """
    rng = random.Random(seed)
    regions = max(3, round(n ** 0.5 / 10))
    region_weight = [1.0 / (r + 1) ** 0.7 for r in range(regions)]
    affiliates = max(regions, n // 50)
    region_of = [0] * n
    ends = [[] for _ in range(regions)]  # node ids repeated by degree, per region
    all_ends = []
    edges = {}

    def tie(u, v):
        if u == v:
            return
        key = (u, v) if u < v else (v, u)
        if key in edges:
            return
        edges[key] = rng.choice((1, 1, 1, 2, 2, 3, 4, 5))
        for x in key:
            ends[region_of[x]].append(x)
            all_ends.append(x)

    for a in range(affiliates):
        region_of[a] = a % regions
    for a in range(affiliates):
        same = [b for b in range(a % regions, a, regions)]
        for b in rng.sample(same, min(2, len(same))):
            tie(a, b)
        if a > 0 and rng.random() < 0.5:
            tie(a, rng.randrange(a))
    # Mean new ties per institution chosen so the total is ~edges_per_node * n.
    target = edges_per_node * n - len(edges)
    mean = max(1.0, target / max(1, n - affiliates))
    # Ties per institution: 1 with prob p1, else 2..4 uniformly (mean 3).
    p1 = min(1.0, max(0.0, (3.0 - mean) / 2.0))
    for v in range(affiliates, n):
        r = rng.choices(range(regions), weights=region_weight)[0]
        region_of[v] = r
        m = 1 if rng.random() < p1 else rng.randint(2, 4)
        for _ in range(m):
            if rng.random() < cross_region or not ends[r]:
                u = rng.choice(all_ends) if all_ends else rng.randrange(v)
            else:
                u = rng.choice(ends[r])
            tie(v, u)
    return n, [(u, v, w) for (u, v), w in edges.items()]


def read_edges(path):
    if os.path.isdir(path):
        path = os.path.join(path, "ties.csv")
    index, edges = {}, []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            ids = []
            for key in ("source", "target"):
                label = row[key]
                if label not in index:
                    index[label] = len(index)
                ids.append(index[label])
            try:
                w = float(row.get("weight") or 1)
            except ValueError:
                w = 1.0
            edges.append((ids[0], ids[1], w))
    return len(index), edges


def write_edges(path, edges):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "target", "weight"])
        w.writerows(edges)


def report(tool, stage, seconds):
    print(f"{tool}\t{stage}\t{seconds:.4f}", flush=True)


def timed(tool, stage, fn):
    t = time.perf_counter()
    out = fn()
    report(tool, stage, time.perf_counter() - t)
    return out


def pivots_for(n, k, seed):
    return sorted(random.Random(seed).sample(range(n), min(k, n)))


def run_igraph(n, edges, args):
    import igraph as ig
    g = timed("igraph", "load", lambda: ig.Graph(n=n, edges=[(u, v) for u, v, _ in edges]))
    if "bridges" in args.stages:
        t = time.perf_counter()
        b = g.bridges()
        a = g.articulation_points()
        report("igraph", "bridges+articulation", time.perf_counter() - t)
        print(f"# igraph: {len(b)} bridges, {len(a)} articulation points", file=sys.stderr)
    if "exact" in args.stages:
        timed("igraph", "betweenness_exact", lambda: g.betweenness(directed=False))
    if "sampled" in args.stages:
        src = pivots_for(n, args.pivots, args.seed)
        timed("igraph", f"betweenness_sampled_k{args.pivots}",
              lambda: g.betweenness(directed=False, sources=src))


def run_networkit(n, edges, args):
    import networkit as nk
    nk.setNumberOfThreads(args.threads)

    def build():
        g = nk.Graph(n, weighted=False, directed=False)
        for u, v, _ in edges:
            g.addEdge(u, v)
        return g

    g = timed("networkit", "load", build)
    if "bridges" in args.stages:
        # networkit has no bridge finder: biconnected components give both
        # (a 2-node component is a bridge; a node in 2+ components is a cut
        # vertex). Only the algorithm's run() is timed, not that derivation.
        bcc = nk.components.BiconnectedComponents(g)
        timed("networkit", "bridges+articulation(bcc run)", bcc.run)
        comps = bcc.getComponents()
        bridges = sum(1 for c in comps if len(c) == 2)
        seen, cut = set(), set()
        for c in comps:
            for v in c:
                (cut if v in seen else seen).add(v)
        print(f"# networkit: {bridges} bridges, {len(cut)} articulation points", file=sys.stderr)
    if "exact" in args.stages:
        timed("networkit", "betweenness_exact",
              lambda: nk.centrality.Betweenness(g, normalized=True).run())
    if "sampled" in args.stages:
        timed("networkit", f"betweenness_sampled_k{args.pivots}",
              lambda: nk.centrality.EstimateBetweenness(g, args.pivots, True, True).run())


def run_networkx(n, edges, args):
    import networkx as nx

    def build():
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(edges)
        return g

    g = timed("networkx", "load", build)
    if "bridges" in args.stages and n <= args.nx_max_bridges:
        t = time.perf_counter()
        b = list(nx.bridges(g))
        a = list(nx.articulation_points(g))
        report("networkx", "bridges+articulation", time.perf_counter() - t)
        print(f"# networkx: {len(b)} bridges, {len(a)} articulation points", file=sys.stderr)
    if "exact" in args.stages and n <= args.nx_max_betweenness:
        timed("networkx", "betweenness_exact", lambda: nx.betweenness_centrality(g))
    if "sampled" in args.stages and n <= 10 * args.nx_max_betweenness:
        timed("networkx", f"betweenness_sampled_k{args.pivots}",
              lambda: nx.betweenness_centrality(g, k=min(args.pivots, n), seed=args.seed))


def run_partnernet(path, args):
    cmd = ["cargo", "run", "--quiet", "--release", "--example", "brokers_edgelist", "--",
           path, "--pivots", str(args.pivots), "--seed", str(args.seed)]
    if "exact" not in args.stages:
        cmd.append("--skip-exact")
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads))
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"partnernet failed:\n{out.stderr}")
    for line in out.stdout.splitlines():
        tool, stage, secs = line.split("\t")
        wanted = (stage == "load"
                  or ("bridges" in args.stages and stage.startswith("bridges"))
                  or ("exact" in args.stages and stage == "betweenness_exact")
                  or ("sampled" in args.stages and stage.startswith("betweenness_sampled")))
        if wanted:
            report(tool, stage, float(secs))
    for line in out.stderr.splitlines():
        print(f"# partnernet: {line.strip()}", file=sys.stderr)


def sampling_error(path, args):
    """Sampled-vs-exact betweenness error, computed by partnernet itself."""
    cmd = ["cargo", "run", "--quiet", "--release", "--example", "brokers_edgelist", "--",
           path, "--sampling-error", args.error_ks, "--seeds", str(args.error_seeds)]
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads))
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"partnernet failed:\n{out.stderr}")
    print(out.stdout, end="")


def movement_bench(args):
    """Exact betweenness of partnernet, igraph and NetworkX on generated
    movements (see --movement in the module's help)."""
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "partnernet",
                    "--example", "betweenness_exact"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "partnernet")
    example = os.path.join(ROOT, "target", "release", "examples", "betweenness_exact")
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads))
    print("orgs\ttool\tstage\tseconds\tload", flush=True)
    for orgs in [int(x) for x in args.movement.split(",")]:
        data = os.path.join(ROOT, "target", "bench-data", f"movement-{orgs}")
        if not os.path.exists(os.path.join(data, "relations.csv")):
            subprocess.run([binary, "generate", "--orgs", str(orgs), data], check=True,
                           stdout=subprocess.DEVNULL)
        with tempfile.TemporaryDirectory() as tmp:
            edges_csv, values_txt = os.path.join(tmp, "edges.csv"), os.path.join(tmp, "b.txt")
            out = subprocess.run([example, data, str(args.runs), "--write-edges", edges_csv,
                                  "--write-values", values_txt, "--blocks"],
                                 env=env, capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"partnernet failed:\n{out.stderr}")
            for line in out.stderr.splitlines():
                print(f"# {orgs}: {line.lstrip('# ')}", file=sys.stderr)
            ours = float(out.stdout.split("\t")[2])
            print(f"{orgs}\tpartnernet\tbetweenness_exact\t{ours:.4f}\t{os.getloadavg()[0]:.1f}",
                  flush=True)
            with open(edges_csv) as f:
                edges = [(int(a), int(b)) for a, b in
                         (line.split(",") for line in list(f)[1:])]
            with open(values_txt) as f:
                values = [float(x) for x in f]
            n = len(values)
        if orgs <= args.igraph_max:
            import igraph as ig
            g = ig.Graph(n=n, edges=edges)
            t = time.perf_counter()
            g.betweenness(directed=False)
            theirs = time.perf_counter() - t
            print(f"{orgs}\tigraph\tbetweenness_exact\t{theirs:.4f}\t{os.getloadavg()[0]:.1f}",
                  flush=True)
            print(f"{orgs}\tigraph/partnernet\t\t{theirs / ours:.1f}", flush=True)
        if orgs <= args.nx_max_betweenness:
            import networkx as nx
            g = nx.Graph()
            g.add_nodes_from(range(n))
            g.add_edges_from(edges)
            t = time.perf_counter()
            want = nx.betweenness_centrality(g)
            report_line = f"{orgs}\tnetworkx\tbetweenness_exact\t{time.perf_counter() - t:.4f}"
            print(f"{report_line}\t{os.getloadavg()[0]:.1f}", flush=True)
            diff = max(abs(want[v] - values[v]) for v in range(n))
            print(f"{orgs}\tmax |networkx - partnernet|\t\t{diff:.3e}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", nargs="?", help="edge list CSV or folder with ties.csv")
    p.add_argument("--generate", type=int, metavar="N", help="use a movement-like graph of N nodes")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--pivots", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--stages", default="bridges,exact,sampled")
    p.add_argument("--tools", default="igraph,networkit,networkx")
    p.add_argument("--partnernet", action="store_true", help="also run partnernet's example")
    p.add_argument("--nx-max-bridges", type=int, default=200_000)
    p.add_argument("--nx-max-betweenness", type=int,
                   help="largest graph NetworkX's exact betweenness runs on (5,000; 10,000 with --movement)")
    p.add_argument("--write", metavar="CSV", help="write the (generated) edge list here")
    p.add_argument("--sampling-error", action="store_true",
                   help="report sampled-vs-exact betweenness error instead of timings")
    p.add_argument("--error-ks", default="64,128,256,512")
    p.add_argument("--error-seeds", type=int, default=5)
    p.add_argument("--movement", metavar="N,N", help="exact betweenness on generated movements")
    p.add_argument("--runs", type=int, default=3, help="partnernet runs per size (--movement)")
    p.add_argument("--igraph-max", type=int, default=10_000,
                   help="largest movement igraph runs on (--movement)")
    args = p.parse_args()
    if args.nx_max_betweenness is None:
        args.nx_max_betweenness = 10_000 if args.movement else 5_000
    if args.movement:
        movement_bench(args)
        return
    args.stages = set(args.stages.split(","))
    if args.generate:
        n, edges = movement_like(args.generate, seed=args.seed)
    elif args.input:
        n, edges = read_edges(args.input)
    else:
        p.error("give an input file or --generate N")
    print(f"# graph: {n} nodes, {len(edges)} edges", file=sys.stderr)
    tools = [] if args.sampling_error else (args.tools.split(",") if args.tools else [])
    if "igraph" in tools:
        run_igraph(n, edges, args)
    if "networkit" in tools:
        run_networkit(n, edges, args)
    if "networkx" in tools:
        run_networkx(n, edges, args)
    if args.partnernet or args.write or args.sampling_error:
        if args.write:
            path = args.write
            write_edges(path, edges)
        else:
            fd, path = tempfile.mkstemp(suffix=".csv")
            os.close(fd)
            write_edges(path, edges)
        try:
            if args.sampling_error:
                sampling_error(path, args)
            elif args.partnernet:
                run_partnernet(path, args)
        finally:
            if not args.write:
                os.remove(path)


if __name__ == "__main__":
    main()
