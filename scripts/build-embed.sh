#!/usr/bin/env bash
# Builds the <cluster-plan> element (docs/embed.md) into DIR/embed: cluster-plan.js, its WASM and
# stylesheet, and the demo page with its models, so a static host serves them as they are.
# Trunk runs it after each build (Trunk.toml's post_build hook, DIR = Trunk's staging directory);
# by hand: bash scripts/build-embed.sh [DIR] (default dist). Needs what the release build needs
# (wasm-bindgen and wasm-opt on PATH: scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${TRUNK_STAGING_DIR:-${1:-dist}}/embed"
mkdir -p "$out"
echo "[embed] building the <cluster-plan> element into $out" >&2
cargo build --release -p clusterplan-embed --lib --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name clusterplan_embed \
  target/wasm32-unknown-unknown/release/clusterplan_embed.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals "$out/clusterplan_embed_bg.wasm" -o "$out/clusterplan_embed_bg.wasm"
cp embed/cluster-plan.js "$out/"
# The app's stylesheets (index.html's, then the results' the app inlines), then the element's own: their :root rules also on
# the element's shadow host, the dark theme's on the element's root when it is dark.
sheets=$(grep -o 'rel="css" href="[^"]*"' index.html | sed 's/.*href="\([^"]*\)"/\1/')
# shellcheck disable=SC2086
sed -e 's/^:root\[data-theme="dark"\]/.cluster-plan-root[data-theme="dark"]/' -e 's/^:root\b/:root, :host/' \
  $sheets styles/results.css embed/embed.css > "$out/cluster-plan.css"
cp docs/embed/index.html "$out/index.html"
cp examples/seed-fig24.json examples/lifecycle.json examples/two-clusters-shared-node.json "$out/"
