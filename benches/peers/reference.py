#!/usr/bin/env python3
"""Export NetworkX reference values for partnernet's broker algorithms.

Writes into tests/fixtures (relative to the repository root):
  karate.csv, lesmis.csv                 edge lists: source,target,weight
                                         (karate: every weight 1; lesmis: NetworkX's weights)
  karate_reference.csv, lesmis_reference.csv
                                         node,betweenness,constraint,effective_size,is_articulation
  karate_bridges.csv, lesmis_bridges.csv source,target (one row per bridge)
  karate_sampled.csv, lesmis_sampled.csv node,is_pivot,betweenness
                                         nx.betweenness_centrality(G, k=K, seed=SEED) with the
                                         pivots NetworkX drew (random.Random(SEED).sample)

Re-run with:  python3 benches/peers/reference.py
Values are written with repr() (shortest round-trip form); NaN as "nan".
"""
import csv
import os
import random
import sys

import networkx as nx

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fixtures")
SAMPLED_K = 10
SAMPLED_SEED = 42


def graphs():
    karate = nx.Graph()
    for u, v in nx.karate_club_graph().edges():
        karate.add_edge(u, v, weight=1)
    lesmis = nx.les_miserables_graph()
    return {"karate": karate, "lesmis": lesmis}


def fmt(x):
    return repr(float(x))


def export(name, g):
    with open(os.path.join(OUT, f"{name}.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "target", "weight"])
        for u, v, wt in g.edges(data="weight", default=1):
            w.writerow([u, v, wt])

    bc = nx.betweenness_centrality(g)
    con = nx.constraint(g, weight="weight")
    # nodes=list(g) selects NetworkX's per-node code path, which follows the
    # documented definition. Its default sparse-matrix path (nodes=None) divides
    # by the row maxima along the wrong axis for weighted graphs (networkx PR
    # #8906, open as of networkx 3.6.1) and disagrees with the per-node path.
    eff = nx.effective_size(g, nodes=list(g), weight="weight")
    aps = set(nx.articulation_points(g))
    with open(os.path.join(OUT, f"{name}_reference.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["node", "betweenness", "constraint", "effective_size", "is_articulation"])
        for v in g.nodes():
            w.writerow([v, fmt(bc[v]), fmt(con[v]), fmt(eff[v]), int(v in aps)])

    with open(os.path.join(OUT, f"{name}_bridges.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["source", "target"])
        for u, v in nx.bridges(g):
            w.writerow([u, v])

    # The pivots NetworkX draws for k, seed: seed.sample(list(G.nodes()), k)
    # with seed = random.Random(SAMPLED_SEED).
    pivots = set(random.Random(SAMPLED_SEED).sample(list(g.nodes()), SAMPLED_K))
    sampled = nx.betweenness_centrality(g, k=SAMPLED_K, seed=SAMPLED_SEED)
    with open(os.path.join(OUT, f"{name}_sampled.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["node", "is_pivot", "betweenness"])
        for v in g.nodes():
            w.writerow([v, int(v in pivots), fmt(sampled[v])])
    print(f"{name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
          f"{len(aps)} articulation points, {sum(1 for _ in nx.bridges(g))} bridges",
          file=sys.stderr)


def main():
    os.makedirs(OUT, exist_ok=True)
    print(f"networkx {nx.__version__}", file=sys.stderr)
    for name, g in graphs().items():
        export(name, g)


if __name__ == "__main__":
    main()
