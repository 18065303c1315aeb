#!/usr/bin/env bash
# Runs every test: native tests, clippy, wasm-bindgen tests in headless Chromium, and the
# Playwright end-to-end tests against the release build. Installs what is missing first.
source "$(dirname "$0")/setup.sh"

ensure_rust
ensure_trunk
ensure_wasm_bindgen
ensure_node_packages
ensure_chromium
fetch_crates

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "native tests (cargo test --workspace)"
cargo test --workspace

step "formatting (cargo fmt --check) and clippy (warnings are errors)"
cargo fmt --all -- --check || fail "cargo fmt --check" "run 'cargo fmt --all' and commit the result"
cargo clippy --workspace --all-targets -- -D warnings
cargo_wasm clippy -p clusterplan -p clusterplan-js --target wasm32-unknown-unknown --all-targets -- -D warnings

step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo_wasm test -p clusterplan -p clusterplan-js --target wasm32-unknown-unknown --tests

step "release build and end-to-end tests (Playwright, Debian's Chromium)"
build_release
cargo build -p clusterplan-cli
step "the JavaScript package against the CLI (Node.js)"
bash scripts/build-js.sh --node
node --test tests/js/
step "end-to-end tests"
node --test --test-concurrency=1 tests/e2e/
