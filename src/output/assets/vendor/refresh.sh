#!/usr/bin/env bash
# Refreshes the vendored cytoscape.js (the network map of report.html) from
# the npm registry. Needs Node.js's npm; `cargo build` never does: the file
# is built into partnernet with include_str!.
#
#   src/output/assets/vendor/refresh.sh            # the version in VERSIONS
#   src/output/assets/vendor/refresh.sh 3.36.0     # another version
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-$(sed -n 's/^cytoscape //p' "$here/VERSIONS")}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "cytoscape@$version" >/dev/null && tar xzf cytoscape-*.tgz)
cp "$tmp/package/dist/cytoscape.min.js" "$here/cytoscape.min.js"
cp "$tmp/package/LICENSE" "$here/cytoscape.LICENSE"
actual="$(node -p "require('$tmp/package/package.json').version")"
printf 'cytoscape %s\n' "$actual" >"$here/VERSIONS"
echo "cytoscape $actual: $(wc -c <"$here/cytoscape.min.js") bytes, licence $(head -1 "$here/cytoscape.LICENSE")"
