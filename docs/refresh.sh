#!/usr/bin/env bash
# Refreshes the README's pictures in docs/ from the bundled sample:
# the screenshot of report.html (taken in Debian's chromium through
# tests/browser's playwright-core) and the network and cluster diagrams.
# Needs Graphviz, chromium and `npm ci` in tests/browser (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo run --release --quiet -- analyse data/sample --out "$out/results" --format svg,png
cp "$out/results/diagrams/network.png" docs/network.png
cp "$out/results/diagrams/clusters.png" docs/clusters.png
mkdir -p "$out/shots"
(cd tests/browser && node drive.mjs "{\"html\": \"$out/results/report.html\", \"shots\": \"$out/shots\", \"search\": \"WM Lyngsbaek\", \"names\": []}" >/dev/null)
cp "$out/shots/card.png" docs/report.png
echo "docs/report.png, docs/network.png and docs/clusters.png refreshed"
