#!/usr/bin/env python3
"""Does any stage of `partnernet analyse` grow faster than the data?

    python3 benches/scaling.py                          # 300k, 600k, 1.2M organisations
    python3 benches/scaling.py --orgs 250000 --steps 3  # 250k, 500k, 1M
    python3 benches/scaling.py --without-graphviz       # the built-in renderer's diagrams
    python3 benches/scaling.py --shapes all --steps 0   # only the adversarial shapes
    python3 benches/scaling.py --shapes path,star       # the movements and two shapes

With no options it judges both the generated movements (300k, 600k, 1.2M
organisations) and every adversarial shape (below): the one command to
run, and the one whose exit status says whether partnernet stays linear.

It builds partnernet (cargo build --release), generates movements of N, 2N,
4N, ... organisations with `partnernet generate` (kept in target/bench-data),
runs `partnernet analyse --timings=alone` on each `--runs` times into a fresh
output folder, keeps each stage's fastest time, and prints every stage's time
at each size with the ratio to the size before. Doubling the data should
about double a stage's time, a little more for sorting; a stage whose time
grows with the square of the data quadruples at every doubling.

`--timings=alone` runs every stage on its own, one after another. In an
ordinary run some stages run side by side in two lanes that share one pool
of threads, and a stage that waits for its own parallel work meanwhile runs
some of the other lane's: its time then depends on what the other lane was
doing, not only on its own data. (On a 2-vCPU AMD EPYC, November 2026, at
1.2M organisations: Burt's measures took 0.24 s alone and 0.50-0.84 s
beside the opportunity searches.)

The verdict is taken on the last doubling, between the two largest sizes: a
stage that more than triples its time there makes the script exit with
status 1. Earlier doublings are shown, and those where a stage more than
tripled are listed, but they do not fail the run: on a small movement a
stage's data still fits in the processor's caches, and the doubling that
pushes it out costs a one-off step. Where that step falls depends on the
processor's cache (on a 2-vCPU Intel Xeon, between 250k and 500k
organisations; on a 2-vCPU AMD EPYC with a 32 MiB L3 cache, between 400k
and 800k), so the smallest default size is 300k and the judged doubling
600k to 1.2M, which stays within the organisations a dataset may hold,
1.5M. BENCHMARKS.md has the figures. With --steps 2 the only doubling is
the judged one.

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

Adversarial shapes (benches/adversarial.py, kept in target/bench-data/adversarial)
are inputs shaped to make a careless algorithm quadratic: a path, a star,
many affiliates referring one museum, a complete bipartite pair of groups, all-duplicate relation rows, all-unknown
names, very long unknown names and one long name (within the name limit), a
note whose front matter is a long run of `[` (refused, at once, by the
front matter's limits), a note line of many mentions, many heading keywords
with many headings, and many small notes. Each is made at two sizes, N and
2N, and `partnernet analyse --timings` runs on both; a stage of --floor
seconds or more at 2N that more than triples its time fails the run, as for
the movements. A shape that partnernet refuses (exit status 2: the front
matter's limits) is timed as a whole, as the stage `refused`.

The runs of the sizes take turns (N, 2N, 4N, then again), so that the
machine's slow moments fall on every size alike rather than on one.
--threads sets how many threads partnernet uses (RAYON_NUM_THREADS); by
default, as many as the machine has. One thread does not make the verdict
steadier: the stages then have the whole cache to themselves, so the step
as their data leaves it is larger.

The complete bipartite shape doubles its ties, which multiplies its
organisations by about 1.41. Exact betweenness searches once per class of
structurally equivalent organisations (the same partners), so the two sides
of the pair cost two searches, and the stage grows with the ties; without
that it would take time in proportion to organisations times ties, 2^1.5,
about 2.83 times as long at each doubling.

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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BINARY = ROOT / "target" / "release" / "partnernet"
sys.path.insert(0, str(ROOT / "benches" / "peers"))
from pipeline import bench_dataset, stage_times  # noqa: E402  (the peers' comparison reads the same)
sys.path.insert(0, str(ROOT / "benches"))
import adversarial  # noqa: E402

# Each shape's smaller size N (the larger is 2N); the larger sizes are those
# of shared/cases/reliability/README.md where it names one. long-unknown's
# names (N letters and a number) stay within the 1,000 characters a name may
# have at both sizes, so that both are analysed, not refused.
SHAPE_SIZES = {
    "path": 50_000, "star": 100_000, "referral-star": 20_000, "bipartite": 250_000, "duplicate-rows": 150_000,
    "unknown-names": 250_000, "long-unknown": 480, "long-name": 500, "front-matter": 50_000,
    "mentions-line": 250_000, "headings": 25_000, "many-notes": 50_000,
}


def analyse(data, out_root, env, refusal_ok=False):
    """One `partnernet analyse --timings=alone` into a fresh folder: {stage: seconds}.
    With `refusal_ok`, a run that stops for the data's errors (exit status 2)
    is timed as a whole, as the stage `refused`."""
    out = Path(tempfile.mkdtemp(prefix="partnernet-scaling-", dir=out_root)) / "out"
    try:
        start = time.perf_counter()
        proc = subprocess.run([str(BINARY), "analyse", str(data), "--out", str(out), "--timings=alone"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        took = time.perf_counter() - start
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    if proc.returncode == 2 and refusal_ok:
        return {"refused": took, "total": took}
    if proc.returncode != 0:
        sys.exit(f"partnernet analyse {data} failed:\n{proc.stderr[-3000:]}")
    return stage_times(proc.stderr)


def shape_dataset(shape, n):
    """The adversarial dataset `shape` of size `n`, made the first time."""
    path = ROOT / "target" / "bench-data" / "adversarial" / f"{shape}-{n}"
    if not (path / "relations.csv").exists():
        shutil.rmtree(path, ignore_errors=True)
        adversarial.make(shape, n, path)
    return path


def judge(title, labels, times, floor, last_only):
    """Prints each stage's times at each size with the ratio to the size
    before; returns the doublings where a stage of `floor` seconds or more
    more than tripled, as (judged, text)."""
    stages = []
    for t in times:
        stages += [s for s in t if s not in stages and s not in ("total", "remove-previous")]
    print()
    print(f"### {title}")
    print()
    print("| stage | " + " | ".join(f"{n} s" for n in labels) + " | " +
          " | ".join(f"{a} → {b}: time ×" for a, b in zip(labels, labels[1:])) + " |")
    print("|---|" + "---:|" * (2 * len(labels) - 1))
    flagged = []
    last = len(labels) - 1
    for stage in stages:
        row = [times[k].get(stage, float("nan")) for k in range(len(labels))]
        ratios = []
        for k in range(1, len(labels)):
            ratio = row[k] / row[k - 1] if row[k - 1] > 0 else float("inf")
            big = row[k] >= floor
            if big and ratio > 3:
                judged = k == last or not last_only
                flagged.append((judged, f"{title}: {stage}: {row[k - 1]:.3f} s at {labels[k - 1]}, "
                                        f"{row[k]:.3f} s at {labels[k]}: more than triples"))
            ratios.append(f"{ratio:.2f}" + ("" if big else " (too fast to judge)")
                          + (" **more than 3**" if big and ratio > 3 else ""))
        print(f"| {stage} | " + " | ".join(f"{t:.3f}" for t in row) + " | " + " | ".join(ratios) + " |")
    return flagged


def fastest(datasets, args, env, refusal_ok=False):
    """Each dataset's fastest time per stage over `args.runs` runs. The runs
    take turns (the first dataset, the second, ..., then again), so that a
    slow minute of the machine slows every size a little rather than one
    size a lot."""
    runs = [[] for _ in datasets]
    for _ in range(args.runs):
        for k, data in enumerate(datasets):
            runs[k].append(analyse(data, args.out_root, env, refusal_ok=refusal_ok))
    return [{stage: min(r.get(stage, float("inf")) for r in rs) for stage in rs[0]} for rs in runs]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--orgs", type=int, default=300_000, help="the smallest size (default 300000)")
    p.add_argument("--steps", type=int, default=3,
                   help="how many movement sizes, each twice the last (default 3; 0: no movements)")
    p.add_argument("--runs", type=int, default=3, help="runs per size; the fastest counts (default 3)")
    p.add_argument("--threads", type=int, default=None,
                   help="threads partnernet may use (RAYON_NUM_THREADS; default: as many as the machine has)")
    p.add_argument("--floor", type=float, default=0.05,
                   help="stages faster than this at the larger size are not judged (default 0.05 s)")
    p.add_argument("--shapes", default="all",
                   help="adversarial shapes to judge, comma-separated, 'all' (default) or 'none': "
                        + ", ".join(SHAPE_SIZES))
    p.add_argument("--scale", type=float, default=1.0,
                   help="multiplies every shape's size (default 1; 0.1 for a quick look)")
    p.add_argument("--without-graphviz", action="store_true",
                   help="hide Graphviz, so the built-in renderer draws the diagrams")
    p.add_argument("--out-root", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
                   help="where the output folders are made (default /dev/shm when it exists)")
    args = p.parse_args()
    if args.steps == 1:
        sys.exit("--steps must be 2 or more (or 0): the check compares sizes")
    shapes = [] if args.shapes == "none" else list(SHAPE_SIZES) if args.shapes == "all" \
        else args.shapes.split(",")
    for shape in shapes:
        if shape not in SHAPE_SIZES:
            sys.exit(f"unknown shape {shape}; the shapes are " + ", ".join(SHAPE_SIZES))

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "partnernet"], cwd=ROOT, check=True)
    env = dict(os.environ)
    if args.threads is not None:
        env["RAYON_NUM_THREADS"] = str(args.threads)
    if args.without_graphviz:
        env["PATH"] = tempfile.mkdtemp(prefix="partnernet-no-graphviz-")
    flagged = []
    if args.steps >= 2:
        sizes = [args.orgs * 2 ** k for k in range(args.steps)]
        times = []
        for orgs, best in zip(sizes, fastest([bench_dataset(orgs) for orgs in sizes], args, env)):
            times.append(best)
            print(f"{orgs} organisations: total {best.get('total', 0):.2f} s (fastest of {args.runs})", flush=True)
        flagged += judge("generated movements", sizes, times, args.floor, last_only=True)
    for shape in shapes:
        n = max(2, int(SHAPE_SIZES[shape] * args.scale))
        times = []
        data = [shape_dataset(shape, size) for size in (n, 2 * n)]
        for size, best in zip((n, 2 * n), fastest(data, args, env, refusal_ok=True)):
            times.append(best)
            print(f"{shape} {size}: total {best.get('total', 0):.2f} s (fastest of {args.runs})", flush=True)
        flagged += judge(f"{shape}", [n, 2 * n], times, args.floor, last_only=True)
    print()
    for judged, text in flagged:
        print(text + (" (FAILS)" if judged else " (earlier doubling, not judged)"))
    if any(judged for judged, _ in flagged):
        sys.exit(1)
    print(f"No stage of {args.floor} s or more more than tripled its time as its input doubled.")


if __name__ == "__main__":
    main()
