#!/usr/bin/env bash
# The engine's compile natively (one thread, all threads) and as WASM in headless Chromium, the
# same generated 1k and 10k models, side by side in one run; prints medians, spread and the
# WASM/native ratio (docs/performance.md, "WASM against native").
#   bash scripts/measure-wasm.sh              1k and 10k, `rotation`, 3 rounds x 30 compiles a side
#   MODELS=10000 RUNS=50 ROUNDS=2 STRATEGY=spread bash scripts/measure-wasm.sh
#   WASM_CARGO_CONFIG='profile.release.package.clusterplan-engine.opt-level="s"' bash ...
#                                   the WASM side built with a cargo --config (an experiment)
# Native: the engine's `timing` example (bench profile). WASM: crates/js's `wasm_timing` example
# built with the release profile the app is built with, then wasm-bindgen and wasm-opt at the
# level index.html gives Trunk for the app (data-wasm-opt), so the engine's code is what the page
# runs. A measurement, never a test.
source "$(dirname "$0")/setup.sh"

ensure_rust
ensure_wasm_bindgen
ensure_node_packages
ensure_chromium

say "building the native timing example (bench profile)"
cargo build --profile bench -p clusterplan-engine --example timing >&2 \
  || fail "cargo build --example timing" "see the compiler output above"
say "building the WASM timing example (release profile, wasm32)"
config=()
[ -n "${WASM_CARGO_CONFIG:-}" ] && config=(--config "$WASM_CARGO_CONFIG")
cargo_wasm build --release -p clusterplan-js --example wasm_timing --target wasm32-unknown-unknown \
  "${config[@]}" >&2 \
  || fail "cargo build --example wasm_timing" "see the compiler output above"
out=target/measure-wasm
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name harness \
  target/wasm32-unknown-unknown/release/examples/wasm_timing.wasm || fail "wasm-bindgen" "see above"
# The app's level (the first; the compile worker's link has its own, the same).
level=$(grep -o 'data-wasm-opt="[^"]*"' index.html | head -1 | sed 's/.*="\(.*\)"/\1/')
# The feature flags scripts/build-js.sh and scripts/build-embed.sh give wasm-opt.
wasm-opt "-O${level:-z}" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals ${WASM_OPT_EXTRA:-} "$out/harness_bg.wasm" -o "$out/harness_bg.wasm" \
  || fail "wasm-opt" "see above"
cat > "$out/index.html" <<'HTML'
<!doctype html>
<meta charset="utf-8">
<title>clusterplan: compile timing</title>
<script type="module">
  import init, * as harness from './harness.js';
  await init();
  window.harness = harness;
</script>
HTML
say "measuring (wasm-opt -O${level:-z}; the machine's load average: $(cut -d' ' -f1-3 /proc/loadavg))"
node scripts/measure-wasm.mjs
