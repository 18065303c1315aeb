#!/usr/bin/env bash
# Builds the release app and serves it on http://127.0.0.1:8080/ (PORT=... to change), starting
# with the built-in example (the source's FIG 24). Installs what is missing first.
source "$(dirname "$0")/setup.sh"

PORT="${PORT:-8080}"
ensure_rust
ensure_trunk
ensure_wasm_bindgen
ensure_node_packages
fetch_crates
say "serving the release build on http://127.0.0.1:$PORT/ (Ctrl+C stops)"
exec env "${WASM_CARGO_ENV[@]}" trunk serve --release --address 127.0.0.1 --port "$PORT" --no-autoreload
