#!/usr/bin/env python3
"""Movement-like test graph for benchmarking community detection.

NOT the partnernet generator (`partnernet generate` is written elsewhere):
a small stand-in so the Leiden comparison has realistic inputs.

Structure: regions of different sizes; each region has a few affiliates
(chapters, user groups); partner institutions arrive one by one, pick a
region, and tie to 1-3 earlier organisations, mostly of their own region,
chosen by preferential attachment (heavy-tailed degrees); a few ties cross
regions, and affiliates have extra cross-region ties. About 2.1 edges per
node. Weights are small integers (joint projects, geometric).

    python3 movement_graph.py NODES OUT.csv [--seed S]

Writes source,target,weight with integer node ids.
"""
import argparse
import csv
import random


def generate(n, seed):
    rng = random.Random(seed)
    regions = max(4, n // 2500)
    # Region sizes are skewed: Zipf-like weights.
    region_weight = [1.0 / (r + 1) ** 0.8 for r in range(regions)]
    affiliates = max(regions * 2, n // 40)
    region_of = []
    ends = [[] for _ in range(regions)]  # endpoint lists for preferential attachment
    region_affiliates = [[] for _ in range(regions)]
    all_ends = []
    edges = {}

    def tie(a, b):
        if a == b:
            return False
        key = (a, b) if a < b else (b, a)
        if key in edges:
            return False
        w = 1
        while rng.random() < 0.35 and w < 20:
            w += 1
        edges[key] = w
        for x in key:
            ends[region_of[x]].append(x)
            all_ends.append(x)
        return True

    for v in range(affiliates):
        r = v % regions
        region_of.append(r)
        region_affiliates[r].append(v)
        ends[r].append(v)
        all_ends.append(v)
    # Affiliates within a region know each other a bit.
    for r in range(regions):
        a = region_affiliates[r]
        for i in range(1, len(a)):
            tie(a[i], a[rng.randrange(i)])
    for v in range(affiliates, n):
        r = rng.choices(range(regions), region_weight)[0]
        region_of.append(r)
        u = rng.random()
        k = 1 if u < 0.25 else (2 if u < 0.65 else 3)
        for _ in range(k):
            p = rng.random()
            for _attempt in range(5):
                if p < 0.80:
                    t = rng.choice(ends[r])
                elif p < 0.95:
                    t = rng.choice(region_affiliates[r])
                else:
                    t = rng.choice(all_ends)
                if tie(v, t):
                    break
        ends[r].append(v)
    # Cross-region affiliate ties (movement-wide collaborations).
    for _ in range(affiliates * 2):
        tie(rng.randrange(affiliates), rng.randrange(affiliates))
    return edges


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("nodes", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    edges = generate(a.nodes, a.seed)
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "weight"])
        for (s, t), wt in sorted(edges.items()):
            w.writerow([s, t, wt])
    print(f"nodes={a.nodes} edges={len(edges)} edges_per_node={len(edges) / a.nodes:.2f}")


if __name__ == "__main__":
    main()
