#!/usr/bin/env python3
"""How long report.html takes to draw its map at 5,000 organisations (issue 20's bar: under 2 s
in headless Chromium).

    python3 benches/report_draw.py                      # 5,000 organisations, 5 page loads
    python3 benches/report_draw.py --orgs 2000 --runs 3
    python3 benches/report_draw.py --binary target/debug/partnernet   # skip the release build

It generates the movement with `partnernet generate --orgs N` (seed 42, kept in
target/bench-data, as the other benches do), analyses it once into a temporary folder (with Graphviz on the PATH the map
takes the network diagram's layout; without it, the map lays itself out in the browser), then
loads report.html RUNS times in Debian's chromium through tests/browser/drive.mjs (playwright-core,
`npm ci` in tests/browser; .ci/run installs both), each in a fresh browser profile, and prints the
page's own first-draw time (window.reportFirstDraw: from building the map to its first picture,
layout included) and the time until the page is ready, every run and the median, with the load
average. The page is the same whichever build wrote it (the Rust build only writes the file), so a
debug binary gives the same figures.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSER = ROOT / "tests" / "browser"
sys.path.insert(0, str(ROOT / "benches" / "peers"))
from pipeline import bench_dataset  # noqa: E402

BAR_MS = 2000.0


def load():
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", type=Path, help="a partnernet binary (default: cargo build --release)")
    args = parser.parse_args()
    if not (BROWSER / "node_modules" / "playwright-core").is_dir():
        sys.exit("playwright-core is missing: run `npm ci` in tests/browser (.ci/run does)")
    binary = args.binary
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = ROOT / "target" / "release" / "partnernet"
    data = ROOT / "target" / "bench-data" / f"movement-{args.orgs}"
    if args.binary is not None and not (data / "relations.csv").exists():
        subprocess.run([str(binary), "generate", "--orgs", str(args.orgs), str(data)], check=True,
                       stdout=subprocess.DEVNULL)
    data = bench_dataset(args.orgs)
    with tempfile.TemporaryDirectory(prefix="partnernet-draw-") as tmp:
        out = Path(tmp) / "results"
        subprocess.run([str(binary), "analyse", str(data), "--out", str(out)], check=True,
                       stderr=subprocess.DEVNULL)
        html = out / "report.html"
        draws, ready = [], []
        for run in range(args.runs):
            shots = Path(tmp) / f"shots-{run}"
            shots.mkdir()
            plan = {"html": str(html), "shots": str(shots), "draw_only": True}
            proc = subprocess.run(["node", "drive.mjs", json.dumps(plan)], cwd=BROWSER,
                                  capture_output=True, text=True, check=True)
            seen = json.loads(proc.stdout)
            if seen.get("failure") or seen["console_errors"] or seen["requests"]:
                sys.exit(f"the page failed: {seen.get('failure')} {seen['console_errors']} {seen['requests']}")
            draws.append(seen["first_draw_ms"])
            ready.append(seen["load_ms"])
            print(f"run {run + 1}: first draw {seen['first_draw_ms']:.0f} ms, page ready {seen['load_ms']} ms, "
                  f"{seen['drawn']} organisations drawn, load {load()}", flush=True)
            note = seen["map_note"]
        laid_out = "the network diagram's layout" if "network picture" in note else "laid out in the browser"
        median = statistics.median(draws)
        print(f"{args.orgs} organisations ({laid_out}): first draw median {median:.0f} ms "
              f"(min {min(draws):.0f}, max {max(draws):.0f}), page ready median {statistics.median(ready):.0f} ms; "
              f"bar {BAR_MS:.0f} ms; load {load()}")
        if median >= BAR_MS:
            sys.exit(1)


if __name__ == "__main__":
    main()
