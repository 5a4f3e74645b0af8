#!/usr/bin/env bash
# Vendor KaTeX from the npm registry into docs/assets/katex/, so the book typesets
# its formulas with files it serves itself (no CDN, works offline).
#
#   scripts/update_katex.sh            # the version in docs/assets/katex/VERSION
#   scripts/update_katex.sh 0.16.22    # a given version
#
# Copies katex.min.js (run at build by docs/hooks/katex.py, not published), katex.min.css,
# the woff2 fonts (every browser the book targets reads woff2) and the licence.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/docs/assets/katex"
version="${1:-$(cat "$dest/VERSION" 2>/dev/null || echo latest)}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "katex@$version" >/dev/null)
tar -xzf "$tmp"/katex-*.tgz -C "$tmp"
dist="$tmp/package/dist"
resolved="$(node -p "require('$tmp/package/package.json').version")"

rm -rf "$dest"
mkdir -p "$dest/fonts"
cp "$dist/katex.min.js" "$dist/katex.min.css" "$dest/"
cp "$dist"/fonts/*.woff2 "$dest/fonts/"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "$resolved" > "$dest/VERSION"

# The stylesheet lists woff2, woff and ttf for each font; only woff2 is shipped,
# so drop the other two from each src list (browsers would otherwise 404 on them
# if woff2 were ever refused).
python3 - "$dest/katex.min.css" <<'PY'
import re, sys
path = sys.argv[1]
css = open(path, encoding="utf-8").read()
css = re.sub(r',url\(fonts/[^)]+\.woff\) format\("woff"\)', "", css)
css = re.sub(r',url\(fonts/[^)]+\.ttf\) format\("truetype"\)', "", css)
open(path, "w", encoding="utf-8").write(css)
PY
echo "KaTeX $resolved vendored into ${dest#$root/}"
