# shellcheck shell=bash
# Set-up shared by scripts/serve.sh and scripts/test.sh: installs what is missing, says so, skips
# what is present. Sourced, not run. Downloads nothing but packages from the package registries
# (Debian, crates.io, npm); rustup's own server is tried once, with a time limit, as a fast path.
#
# Routes to the wasm32 standard library:
#   rustup  - `rustup target add wasm32-unknown-unknown` (prebuilt std) when it answers in time;
#   debian  - Debian's rustc-web/cargo-web 1.96 with rust-web-src, std built from source.
# CLUSTERPLAN_RUST=debian forces the Debian route (to test it); the choice is remembered in
# target/.rust-route so a second run does not try rustup again.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.22.1"
# wasm-bindgen-cli must equal the wasm-bindgen crate that Cargo.lock pins.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
fail() {
  printf '\033[1;31m[setup] %s failed:\033[0m %s\n' "$1" "$2" >&2
  exit 1
}

apt_updated=""
apt_install() { # apt_install PACKAGE... (only the missing ones)
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "$apt_updated" ]; then
    $sudo apt-get update -qq || fail "apt-get update" "check the network to Debian's mirrors"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]}" "run it by hand to see why"
}

# --- Rust toolchain and the wasm32 standard library -------------------------------------------
ensure_rust() {
  command -v cargo >/dev/null || fail "cargo" "no Rust toolchain on PATH (expected rustup's in ~/.cargo/bin)"
  mkdir -p target
  local route="${CLUSTERPLAN_RUST:-}"
  [ -z "$route" ] && [ -f target/.rust-route ] && route="$(cat target/.rust-route)"
  if [ -z "$route" ] || [ "$route" = rustup ]; then
    if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
      route=rustup
    else
      say "adding the wasm32-unknown-unknown target with rustup (at most 120 s)"
      if timeout 120 rustup target add wasm32-unknown-unknown >&2; then
        route=rustup
      else
        say "rustup did not answer in time: taking Debian's route (std built from source)"
        route=debian
      fi
    fi
  fi
  echo "$route" > target/.rust-route
  if [ "$route" = debian ]; then
    apt_install rustc-web cargo-web rust-web-src rust-web-clippy rustfmt-web lld-22
    # Debian's tools first on PATH (rustup's proxies would pick rust-toolchain.toml's 1.95, whose
    # crates Debian's 1.96 cannot link with).
    mkdir -p target/debian-rust/bin
    for tool in cargo rustc rustdoc cargo-clippy clippy-driver rustfmt cargo-fmt; do
      [ -x "/usr/bin/$tool" ] && ln -sf "/usr/bin/$tool" "target/debian-rust/bin/$tool"
    done
    export PATH="$ROOT/target/debian-rust/bin:$PATH"
    export RUSTC=/usr/bin/rustc
    # Every cargo command alike, or ~50 host crates rebuild each time it flips.
    export RUSTC_BOOTSTRAP=1
    WASM_CARGO_ENV=(CARGO_UNSTABLE_BUILD_STD=std,panic_abort)
  else
    WASM_CARGO_ENV=()
  fi
  RUST_ROUTE="$route"
  say "Rust: $(cargo --version) via the $route route"
}

# cargo_wasm ARGS...: a cargo command for the wasm32 target (std from source on the Debian route).
cargo_wasm() { env "${WASM_CARGO_ENV[@]}" cargo "$@"; }

# --- Tools from crates.io ---------------------------------------------------------------------
# The build profile for the tools compiled from crates.io (trunk, wasm-bindgen-cli), as
# environment for `cargo install` alone.
TOOL_PROFILE=(env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=true)

ensure_trunk() {
  if command -v trunk >/dev/null && trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
    return 0
  fi
  # trunk 0.22 needs rustc >= 1.96.1: the machine's nightly has it, its stable (1.95) does not.
  local toolchain=""
  if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain="+nightly"
  elif ! rustc --version | grep -qE ' 1\.(9[7-9]|[1-9][0-9]{2})\.'; then
    fail "trunk $TRUNK_VERSION" "needs rustc >= 1.96.1; install a nightly toolchain (rustup toolchain install nightly)"
  fi
  say "installing trunk $TRUNK_VERSION from crates.io (cargo $toolchain install; about 8 minutes on 2 cores)"
  # A tool that runs a few seconds per build needs no LTO nor one codegen unit: this profile,
  # set for this install only (nothing written to the user's cargo config), compiles it in a
  # fraction of the time of trunk's own release profile (docs/performance.md, "First set-up").
  # shellcheck disable=SC2086
  "${TOOL_PROFILE[@]}" cargo $toolchain install trunk --version "$TRUNK_VERSION" --locked >&2 \
    || fail "cargo install trunk" "see the compiler output above"
}

ensure_wasm_bindgen() {
  if command -v wasm-bindgen >/dev/null && wasm-bindgen --version | grep -q " $WASM_BINDGEN_VERSION\$"; then
    return 0
  fi
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version Cargo.lock pins) from crates.io"
  # Without --locked: its own lockfile pins a crate version that is gone from crates.io.
  "${TOOL_PROFILE[@]}" cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force >&2 \
    || fail "cargo install wasm-bindgen-cli" "see the compiler output above"
}

# --- npm packages (wasm-opt from binaryen, playwright-core) from the committed lockfile ----------
ensure_node_packages() {
  command -v npm >/dev/null || apt_install nodejs npm
  if ! cmp -s package-lock.json node_modules/.installed-from-lock 2>/dev/null; then
    say "installing npm packages from package-lock.json (binaryen's wasm-opt, playwright-core, axe-core)"
    npm ci --no-audit --no-fund >&2 || fail "npm ci" "see npm's output above"
    cp package-lock.json node_modules/.installed-from-lock
  fi
  # Trunk finds wasm-opt on PATH and checks its version against Trunk.toml.
  export PATH="$ROOT/node_modules/.bin:$PATH"
}

ensure_chromium() {
  apt_install chromium chromium-driver
}

# Fetches every crate (host and wasm32) so that Trunk's offline build needs no network.
fetch_crates() {
  cargo_wasm fetch --target wasm32-unknown-unknown >&2 || fail "cargo fetch" "crates.io could not be reached"
  cargo fetch >&2 || fail "cargo fetch" "crates.io could not be reached"
}

build_release() {
  say "building the release bundle (trunk build --release) into dist/"
  env "${WASM_CARGO_ENV[@]}" trunk build --release >&2 || fail "trunk build --release" "see the compiler output above"
}
