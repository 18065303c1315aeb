#!/usr/bin/env bash
# Prints the release bundle's sizes (raw and gzip -9) per file in dist/, as a Markdown table: the
# page's files (what every visit loads), then the compile worker's (loaded only when a large model
# is compiled, ARCHITECTURE.md "The compile off the page's thread"), each with its total.
# Run after `trunk build --release` (scripts/serve.sh or scripts/test.sh build it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "bundle-size: no dist/index.html: build the release first (trunk build --release)" >&2; exit 1; }
echo "| file | raw bytes | gzip -9 bytes |"
echo "| --- | ---: | ---: |"
# table TITLE FILE...: one row per file, then the total.
table() {
  local title=$1 total_raw=0 total_gz=0 f raw gz name
  shift
  for f in "$@"; do
    [ -f "$f" ] || continue
    raw=$(stat -c %s "$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gz))
    # Trunk's content hashes change with every build: show the stable part of the name.
    name=$(basename "$f" | sed -E 's/-[0-9a-f]{15,16}//')
    echo "| $name | $raw | $gz |"
  done
  echo "| **$title** | **$total_raw** | **$total_gz** |"
}
shopt -s nullglob
page=()
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
  case "$f" in *compile-worker*) ;; *) page+=("$f") ;; esac
done
table total "${page[@]}"
table "compile worker (large models only)" dist/*compile-worker*
