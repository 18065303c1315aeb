#!/usr/bin/env bash
# The long fuzz runs, by hand (docs/reliability.md): seeds each target's corpus from examples/,
# the tests' fixtures and fuzz/replay/, then runs the targets one at a time at the lowest CPU
# priority, each for SECONDS (default 600), and prints libFuzzer's final figures. Crashes land
# in fuzz/artifacts/<target>/; each one found becomes a file of fuzz/replay/<target>/ (replayed
# by `cargo test`, tests/fuzz_replay.rs) once fixed.
#
# Needs the nightly toolchain and cargo-fuzz: `cargo +nightly install cargo-fuzz --locked`.
# Usage: bash scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: document share_link edits lifecycle)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(document share_link edits lifecycle)

corpus() { mkdir -p "fuzz/corpus/$1" && echo "fuzz/corpus/$1"; }

seed() {
    local dir
    dir=$(corpus "$1")
    cp fuzz/replay/"$1"/* "$dir"/ 2>/dev/null || true
    case $1 in
    document)
        cp examples/*.json crates/cli/tests/fixtures/*.json crates/engine/tests/data/*.json "$dir"/
        ;;
    share_link)
        cargo build -q -p clusterplan-cli
        local i=0 example
        for example in examples/*.json crates/cli/tests/fixtures/two-clusters.json; do
            i=$((i + 1))
            target/debug/clusterplan share "$example" >"$dir/link-$i"
            target/debug/clusterplan share "$example" --view --strategy shuffle:3 \
                --before examples/seed-fig24.json >"$dir/review-$i"
        done
        ;;
    edits)
        local b
        for b in 0 1 2 3 4 5 13 77; do
            head -c 64 /dev/urandom | { printf "\\x$(printf %02x "$b")"; cat; } >"$dir/seed-$b"
        done
        ;;
    lifecycle)
        local scenario
        cp examples/scenarios/*.json "$dir"/
        for scenario in examples/scenarios/*.json; do
            { cat examples/lifecycle.json; printf '\0'; cat "$scenario"; } \
                >"$dir/with-model-$(basename "$scenario")"
        done
        ;;
    esac
}

for target in "${targets[@]}"; do
    seed "$target"
    printf '\n== %s: %s s\n' "$target" "$seconds" >&2
    nice -n 19 cargo +nightly fuzz run --sanitizer none --debug-assertions "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=30 \
        -print_final_stats=1
done
