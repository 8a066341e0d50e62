#!/usr/bin/env python3
"""Times `partnernet compare` against one `partnernet analyse` of the same size.

    python3 benches/compare.py                 # 100,000 organisations, one run each
    python3 benches/compare.py --orgs 20000 --runs 3

It builds partnernet (cargo build --release), generates a movement of --orgs
organisations (OLD), copies it and changes --share (1 % by default) of its
relations (NEW): each chosen relation gets another target, drawn from the
organisations with a seeded random generator, so ties are both lost and made.
Then it runs, --runs times each, with the fastest run counting:

- `partnernet analyse NEW --timings --exports none`: its wall time, and the
  same less its `diagrams` stage (the pictures): the bar's yardstick;
- `partnernet compare OLD NEW --timings`: its wall time.

The bar (issue 22): compare takes at most twice analyse without pictures.
The script prints the figures and exits with status 1 when the bar is missed.
Wall times on a shared machine are noisy: run it when the machine is quiet,
and more than once. The datasets and outputs go into /dev/shm when it exists
(the disk's speed is not what is measured); --out-root chooses another place.
"""
import argparse
import csv
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "partnernet"


def perturb(old: Path, new: Path, share: float, seed: int) -> int:
    """Copies the dataset `old` to `new` with `share` of its relations retargeted."""
    shutil.copytree(old, new)
    with open(old / "organisations.csv", newline="", encoding="utf-8-sig") as f:
        ids = [row["id"] for row in csv.DictReader(f)]
    with open(old / "relations.csv", newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        rows = list(reader)
    rng = random.Random(seed)
    chosen = rng.sample(range(len(rows)), max(1, round(len(rows) * share)))
    for i in chosen:
        row = rows[i]
        target = rng.choice(ids)
        while target == row["source"]:
            target = rng.choice(ids)
        row["target"] = target
    with open(new / "relations.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(chosen)


def run(args, out: Path):
    """Runs partnernet with `args` and `--out out`: (wall seconds, {stage: seconds})."""
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    proc = subprocess.run([str(BINARY), *args, "--out", str(out), "--timings"],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"partnernet {' '.join(args)} failed:\n{proc.stderr}")
    stages = {}
    for line in proc.stderr.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                stages[parts[0]] = stages.get(parts[0], 0.0) + float(parts[1])
            except ValueError:
                pass
    return wall, stages


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--orgs", type=int, default=100_000, help="organisations (default 100000)")
    p.add_argument("--share", type=float, default=0.01, help="share of relations changed (default 0.01)")
    p.add_argument("--runs", type=int, default=1, help="runs of each command; the fastest counts (default 1)")
    p.add_argument("--seed", type=int, default=1, help="seed of the changes (default 1)")
    p.add_argument("--out-root", type=Path, default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
                   help="where the datasets and outputs go (default /dev/shm, else a temporary folder)")
    a = p.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "partnernet"], cwd=ROOT, check=True)
    work = Path(tempfile.mkdtemp(prefix="partnernet-compare-bench-", dir=a.out_root))
    try:
        old, new = work / "old", work / "new"
        subprocess.run([str(BINARY), "generate", "--orgs", str(a.orgs), str(old)], check=True,
                       capture_output=True)
        changed = perturb(old, new, a.share, a.seed)
        print(f"{a.orgs} organisations; {changed} relations changed ({a.share:.0%})")
        analyse_runs, compare_runs = [], []
        for _ in range(a.runs):
            wall, stages = run(["analyse", str(new), "--exports", "none"], work / "analysed")
            analyse_runs.append((wall, wall - stages.get("diagrams", 0.0), stages.get("diagrams", 0.0)))
            wall, _ = run(["compare", str(old), str(new)], work / "changes")
            compare_runs.append(wall)
        analyse_wall, analyse_bare, diagrams = min(analyse_runs, key=lambda r: r[1])
        compare_wall = min(compare_runs)
        with open(work / "changes" / "changes.csv", encoding="utf-8-sig") as f:
            rows = sum(1 for _ in f) - 1
        print(f"analyse: {analyse_wall:.2f} s ({diagrams:.2f} s of it the diagrams; without them {analyse_bare:.2f} s)")
        print(f"compare: {compare_wall:.2f} s ({rows} changes)")
        ratio = compare_wall / analyse_bare
        print(f"compare / analyse without pictures: {ratio:.2f} (bar: at most 2)")
        print("all runs (analyse wall, without diagrams; compare wall):",
              [(round(x[0], 2), round(x[1], 2)) for x in analyse_runs], [round(x, 2) for x in compare_runs])
        if ratio > 2.0:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
