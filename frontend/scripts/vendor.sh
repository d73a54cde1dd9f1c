#!/usr/bin/env bash
# Refresh frontend/static/vendor/ from the versions pinned in frontend/package.json.
# Needs npm; not on the run path (the vendored files are committed).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
dest="$here/static/vendor"
mkdir -p "$dest"
cp "$work/node_modules/htmx.org/dist/htmx.min.js" "$dest/htmx.min.js"
cp "$work/node_modules/alpinejs/dist/cdn.min.js" "$dest/alpine.min.js"
cp "$work/node_modules/chart.js/dist/chart.umd.min.js" "$dest/chart.umd.min.js"
# HLS (.m3u8) playback for browsers other than Safari, which plays it natively.
cp "$work/node_modules/hls.js/dist/hls.min.js" "$dest/hls.min.js"
# Source maps are not vendored; drop their references so the manifest storage can hash the files.
sed -i '/^\/\/# sourceMappingURL=/d' "$dest"/*.js
for pkg in htmx.org alpinejs chart.js hls.js; do
  node -e "const p=require('$work/node_modules/$pkg/package.json');console.log(p.name+' '+p.version)"
done > "$dest/VERSIONS.txt"
cat "$dest/VERSIONS.txt"
