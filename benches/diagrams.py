#!/usr/bin/env python3
"""Is the `diagrams` stage at most half of release b57fa85's? (issue 24, bar 4)

    python3 benches/diagrams.py                          # 2,000 and 10,000 organisations, 3 runs each
    python3 benches/diagrams.py --orgs 2000 --runs 5
    python3 benches/diagrams.py --format svg,png         # the pictures in two formats
    python3 benches/diagrams.py --reference-binary /path/to/partnernet   # also compare the SVGs

It builds partnernet (cargo build --release) and, the first time, the
release of commit b57fa85 (a git worktree and its own target folder under
target/bench-baseline; --baseline-binary uses one already built), generates
the movements with `partnernet generate --orgs N` (seed 42, kept in
target/bench-data), and runs `analyse --timings` with both binaries on the
same data, alternating (baseline, current, baseline, ...), each into a fresh
output folder (under /dev/shm when it exists). It prints both sides'
`diagrams` stage, every run and the median, and the ratio of the medians:
the bar is a ratio of at most 0.5. The load average is printed beside the
figures: on a busy machine the times stretch, the ratio less so.

With --reference-binary, it also runs that binary once on each movement and
checks that every picture file (.dot and .svg) under diagrams/ has the same
bytes as the current build's; a difference makes the script exit with
status 1. (Since b57fa85 the pictures gained a key, so b57fa85 itself draws
different SVGs: use a build of the commit before the change being measured.)
The script also exits with status 1 when a ratio is above 0.5.
"""
import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BINARY = ROOT / "target" / "release" / "partnernet"
BASELINE_COMMIT = "b57fa85"
sys.path.insert(0, str(ROOT / "benches" / "peers"))
from pipeline import bench_dataset, stage_times  # noqa: E402


def baseline_binary():
    """The release binary of BASELINE_COMMIT, built once under target/bench-baseline."""
    base = ROOT / "target" / "bench-baseline"
    tree = base / BASELINE_COMMIT
    binary = base / "target" / "release" / "partnernet"
    if not binary.exists():
        if not tree.exists():
            base.mkdir(parents=True, exist_ok=True)
            subprocess.run(["git", "worktree", "add", "--detach", str(tree), BASELINE_COMMIT],
                           cwd=ROOT, check=True)
        env = dict(os.environ, CARGO_TARGET_DIR=str(base / "target"))
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=tree, env=env, check=True)
    return binary


def analyse(binary, data, out_root, formats):
    """One `analyse --timings` into a fresh folder: (diagrams seconds, the folder). The network
    diagram is drawn in the `layout` stage (since the map took its layout), so its time counts:
    `layout` runs beside `diagrams`, which then ends with `network-diagram` (writing its
    pictures), so the pictures took the longer of the two plus that. A build without these
    stages (the reference) gives its `diagrams` stage alone."""
    out = Path(tempfile.mkdtemp(prefix="partnernet-diagrams-", dir=out_root)) / "out"
    proc = subprocess.run([str(binary), "analyse", str(data), "--out", str(out), "--timings",
                           "--format", formats],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{binary} failed on {data}:\n{proc.stderr}")
    stages = stage_times(proc.stderr)
    pictures = max(stages["diagrams"], stages.get("layout", 0.0)) + stages.get("network-diagram", 0.0)
    return pictures, out


def pictures(out):
    """The picture files under diagrams/ that both builds write: .dot and .svg."""
    root = out / "diagrams"
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.suffix in (".dot", ".svg"))


def same_pictures(ours, reference):
    """The differences between two output folders' pictures, as lines to print."""
    a, b = pictures(ours), pictures(reference)
    problems = [f"only in the reference: {p}" for p in sorted(set(b) - set(a))]
    problems += [f"only in the current build's: {p}" for p in sorted(set(a) - set(b))]
    for p in sorted(set(a) & set(b)):
        if not filecmp.cmp(ours / "diagrams" / p, reference / "diagrams" / p, shallow=False):
            problems.append(f"different bytes: diagrams/{p}")
    return problems, len(set(a) & set(b))


def load():
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", default="2000,10000", help="sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs of each binary per size")
    parser.add_argument("--format", default="svg", help="picture formats, as analyse's --format")
    parser.add_argument("--baseline-binary", type=Path, help=f"a release build of {BASELINE_COMMIT}")
    parser.add_argument("--reference-binary", type=Path,
                        help="a build whose pictures the current build's must equal byte for byte")
    parser.add_argument("--out-root", type=Path,
                        default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    baseline = args.baseline_binary or baseline_binary()
    failed = False
    print(f"diagrams stage (seconds), {args.runs} runs each, alternating; --format {args.format}")
    print(f"{'orgs':>7}  {'b57fa85 runs':<24} {'current runs':<24} {'b57fa85':>8} {'current':>8} "
          f"{'ratio':>6}  load before/after")
    for orgs in [int(n) for n in args.orgs.split(",")]:
        data = bench_dataset(orgs)
        before = load()
        old, new = [], []
        for _ in range(args.runs):
            for binary, times in ((baseline, old), (BINARY, new)):
                seconds, out = analyse(binary, data, args.out_root, args.format)
                times.append(seconds)
                shutil.rmtree(out.parent)
        o, n = statistics.median(old), statistics.median(new)
        ratio = n / o
        failed |= ratio > 0.5
        runs = lambda ts: " ".join(f"{t:.2f}" for t in ts)  # noqa: E731
        print(f"{orgs:>7}  {runs(old):<24} {runs(new):<24} {o:>8.2f} {n:>8.2f} {ratio:>6.2f}  "
              f"{before} / {load()}", flush=True)
        if args.reference_binary:
            _, ours = analyse(BINARY, data, args.out_root, args.format)
            _, reference = analyse(args.reference_binary, data, args.out_root, args.format)
            problems, compared = same_pictures(ours, reference)
            for p in problems:
                print(f"         {p}")
            print(f"         pictures against {args.reference_binary}: "
                  f"{'the same' if not problems else 'DIFFERENT'} ({compared} .dot and .svg files)")
            failed |= bool(problems)
            shutil.rmtree(ours.parent)
            shutil.rmtree(reference.parent)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
