#!/usr/bin/env bash
# Prints the release bundle's sizes (raw and gzip -9) per file in dist/, as a Markdown table.
# Run after `trunk build --release` (scripts/serve.sh or scripts/test.sh build it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || { echo "bundle-size: no dist/index.html: build the release first (trunk build --release)" >&2; exit 1; }
echo "| file | raw bytes | gzip -9 bytes |"
echo "| --- | ---: | ---: |"
total_raw=0
total_gz=0
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  # Trunk's content hashes change with every build: show the stable part of the name.
  name=$(basename "$f" | sed -E 's/-[0-9a-f]{15,16}//')
  echo "| $name | $raw | $gz |"
done
echo "| **total** | **$total_raw** | **$total_gz** |"
