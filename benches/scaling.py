#!/usr/bin/env python3
"""Does any stage of `partnernet analyse` grow faster than the data?

    python3 benches/scaling.py                          # 100k, 200k, 400k organisations
    python3 benches/scaling.py --orgs 250000 --steps 3  # 250k, 500k, 1M
    python3 benches/scaling.py --without-graphviz       # the built-in renderer's diagrams

It builds partnernet (cargo build --release), generates movements of N, 2N,
4N, ... organisations with `partnernet generate` (kept in target/bench-data),
runs `partnernet analyse --timings` on each `--runs` times into a fresh
output folder, keeps each stage's fastest time, and prints every stage's time
at each size with the ratio to the size before. Doubling the data should
about double a stage's time, a little more for sorting; a stage whose time
grows with the square of the data quadruples at every doubling.

The verdict is taken on the last doubling, between the two largest sizes: a
stage that more than triples its time there makes the script exit with
status 1. Earlier doublings are shown, and those where a stage more than
tripled are listed, but they do not fail the run: on a small movement a
stage's data still fits in the processor's caches, and the doubling that
pushes it out costs a one-off step. (Measured on a 2-core machine: from 250k
to 500k organisations five stages took 3.1-3.9 times as long; from 500k to
1M the same stages took 1.5-2.3 times as long.) With --steps 2 the only
doubling is the judged one.

Stages under --floor seconds (0.05 by default) at the larger size are shown
but not judged: at that scale the timer and the machine's noise decide the
ratio. Start above 20,000 organisations: up to there betweenness is exact,
which takes time in proportion to organisations times ties by design (see
`[brokers] exact_betweenness_up_to`). Above it betweenness is estimated from
sampled sources whose number shrinks on very large networks, the diagrams
show capped views, the confidence stage makes fewer runs on large networks
(`[clusters] runs`), and the network exports are written by default only up
to 200,000 organisations, so those stages grow more slowly than the data, or
even drop, across those thresholds.

The output folders are made under /dev/shm when it exists, so that the disk's
own slowdowns (see BENCHMARKS.md, "Writing files on ext4") stay out of the
figures; --out-root chooses another place.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BINARY = ROOT / "target" / "release" / "partnernet"
sys.path.insert(0, str(ROOT / "benches" / "peers"))
from pipeline import bench_dataset, stage_times  # noqa: E402  (the peers' comparison reads the same)


def analyse(data, out_root, env):
    """One `partnernet analyse --timings` into a fresh folder: {stage: seconds}."""
    out = Path(tempfile.mkdtemp(prefix="partnernet-scaling-", dir=out_root)) / "out"
    try:
        proc = subprocess.run([str(BINARY), "analyse", str(data), "--out", str(out), "--timings"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    if proc.returncode != 0:
        sys.exit(f"partnernet analyse {data} failed:\n{proc.stderr}")
    return stage_times(proc.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--orgs", type=int, default=100_000, help="the smallest size (default 100000)")
    p.add_argument("--steps", type=int, default=3, help="how many sizes, each twice the last (default 3)")
    p.add_argument("--runs", type=int, default=3, help="runs per size; the fastest counts (default 3)")
    p.add_argument("--floor", type=float, default=0.05,
                   help="stages faster than this at the larger size are not judged (default 0.05 s)")
    p.add_argument("--without-graphviz", action="store_true",
                   help="hide Graphviz, so the built-in renderer draws the diagrams")
    p.add_argument("--out-root", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
                   help="where the output folders are made (default /dev/shm when it exists)")
    args = p.parse_args()
    if args.steps < 2:
        sys.exit("--steps must be 2 or more: the check compares sizes")

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "partnernet"], cwd=ROOT, check=True)
    env = dict(os.environ)
    if args.without_graphviz:
        env["PATH"] = tempfile.mkdtemp(prefix="partnernet-no-graphviz-")
    sizes = [args.orgs * 2 ** k for k in range(args.steps)]
    times = []
    for orgs in sizes:
        data = bench_dataset(orgs)
        runs = [analyse(data, args.out_root, env) for _ in range(args.runs)]
        best = {stage: min(r.get(stage, float("inf")) for r in runs) for stage in runs[0]}
        times.append(best)
        print(f"{orgs} organisations: total {best.get('total', 0):.2f} s (fastest of {args.runs})", flush=True)

    stages = [s for s in times[0] if s not in ("total", "remove-previous")]
    header = "| stage | " + " | ".join(f"{n} s" for n in sizes) + " | " + \
        " | ".join(f"{a} → {b}: time ×" for a, b in zip(sizes, sizes[1:])) + " |"
    print()
    print(header)
    print("|---|" + "---:|" * (2 * len(sizes) - 1))
    flagged = []
    last = len(sizes) - 1
    for stage in stages:
        row = [times[k].get(stage, float("nan")) for k in range(len(sizes))]
        ratios = []
        for k in range(1, len(sizes)):
            ratio = row[k] / row[k - 1] if row[k - 1] > 0 else float("inf")
            big = row[k] >= args.floor
            if big and ratio > 3:
                flagged.append((k == last, stage, sizes[k - 1], sizes[k], row[k - 1], row[k]))
            ratios.append(f"{ratio:.2f}" + ("" if big else " (too fast to judge)")
                          + (" **more than 3**" if big and ratio > 3 else ""))
        print(f"| {stage} | " + " | ".join(f"{t:.3f}" for t in row) + " | " + " | ".join(ratios) + " |")
    print()
    for judged, stage, a, b, ta, tb in flagged:
        verdict = "FAILS" if judged else "earlier doubling, not judged"
        print(f"{stage}: {ta:.3f} s at {a} organisations, {tb:.3f} s at {b}: more than triples ({verdict})")
    if any(judged for judged, *_ in flagged):
        sys.exit(1)
    print(f"No stage of {args.floor} s or more more than tripled its time from {sizes[-2]} to {sizes[-1]} organisations.")


if __name__ == "__main__":
    main()
