#!/usr/bin/env bash
# Builds the JavaScript package `clusterplan` (crates/js: the engine's questions, JSON in and out,
# with TypeScript types) with wasm-pack into target/js/pkg (an npm package: `npm pack` it there).
#   bash scripts/build-js.sh          the package, for browsers and bundlers (wasm-pack --target web)
#   bash scripts/build-js.sh --node   only the Node.js build the tests use (target/js/node), with
#                                     wasm-bindgen directly (no wasm-pack needed)
# Installs what is missing (wasm-pack from crates.io; it uses the wasm-bindgen on PATH, and the
# project's wasm-opt from npm), and prints the package's size.
source "$(dirname "$0")/setup.sh"

ensure_rust
ensure_wasm_bindgen
ensure_node_packages

if [ "${1:-}" = --node ]; then
  say "building crates/js for Node.js into target/js/node"
  cargo_wasm build --release -p clusterplan-js --lib --target wasm32-unknown-unknown >&2 \
    || fail "cargo build -p clusterplan-js" "see the compiler output above"
  wasm-bindgen --target nodejs --out-dir target/js/node --out-name clusterplan \
    target/wasm32-unknown-unknown/release/clusterplan_js.wasm \
    || fail "wasm-bindgen" "see its output above"
  # wasm-bindgen's Node.js output is CommonJS; the repository's package.json says "module".
  echo '{ "type": "commonjs" }' > target/js/node/package.json
  exit 0
fi

WASM_PACK_VERSION=0.15.1
if ! command -v wasm-pack >/dev/null || ! wasm-pack --version | grep -q " $WASM_PACK_VERSION\$"; then
  say "installing wasm-pack $WASM_PACK_VERSION from crates.io (a few minutes)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked >&2 \
    || fail "cargo install wasm-pack" "see the compiler output above"
fi
say "building the package with wasm-pack into target/js/pkg"
env "${WASM_CARGO_ENV[@]}" wasm-pack build crates/js --release --target web \
  --out-dir "$ROOT/target/js/pkg" --out-name clusterplan >&2 \
  || fail "wasm-pack build" "see its output above"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals target/js/pkg/clusterplan_bg.wasm -o target/js/pkg/clusterplan_bg.wasm \
  || fail "wasm-opt" "see its output above"
# The npm package is `clusterplan` (the crate is clusterplan-js: `clusterplan` is the app's).
node -e '
  const fs = require("fs"); const p = "target/js/pkg/package.json";
  const pkg = JSON.parse(fs.readFileSync(p, "utf8")); pkg.name = "clusterplan";
  fs.writeFileSync(p, JSON.stringify(pkg, null, 2) + "\n");'
raw=$(stat -c %s target/js/pkg/clusterplan_bg.wasm)
gz=$(gzip -9 -c target/js/pkg/clusterplan_bg.wasm | wc -c)
say "target/js/pkg: clusterplan_bg.wasm $((raw / 1024)) KB raw, $((gz / 1024)) KB gzip"
