#!/usr/bin/env bash
# The CLI end to end on the generated 10k data centre (docs/performance.md, "The CLI end to
# end"): whole processes of `clusterplan check` and `clusterplan lists` (hyperfine: warm-up,
# many runs, median), against the in-process compile of the same model (the engine's `timing`
# example, median of as many compiles), and the ratios.
#   bash scripts/measure-cli.sh            10k nodes, 30 runs
#   NODES=1000 RUNS=50 bash scripts/measure-cli.sh
# A measurement, never a test.
source "$(dirname "$0")/setup.sh"

ensure_rust
apt_install hyperfine
NODES="${NODES:-10000}"
RUNS="${RUNS:-30}"

say "building the CLI (release) and the engine's examples (bench profile)"
cargo build --release -p clusterplan-cli >&2 || fail "cargo build -p clusterplan-cli" "see above"
cargo build --profile bench -p clusterplan-engine --example timing --example write_model >&2 \
  || fail "cargo build --example timing" "see above"
dir=target/measure-cli
mkdir -p "$dir"
model="$dir/dc$NODES.json"
target/release/examples/write_model "$NODES" > "$model"
cli=target/release/clusterplan
lines=$("$cli" lists "$model" 2>/dev/null | wc -l)
bytes=$("$cli" lists "$model" 2>/dev/null | wc -c)
say "model: $model ($(stat -c %s "$model") bytes); lists: $lines lines, $bytes bytes"
say "the machine's load average: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 3 --runs "$RUNS" --output=null --export-json "$dir/hyperfine.json" \
  "$cli check $model" "$cli lists $model" >&2
compile=$(target/release/examples/timing "$NODES" rotation "$RUNS" --each)
node -e '
  const [hf, compileText, load] = process.argv.slice(1);
  const runs = JSON.parse(require("fs").readFileSync(hf, "utf8")).results;
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const compile = median(JSON.parse(compileText).wall);
  console.log(`load average ${load}; medians of ${runs[0].times.length} runs (ms)`);
  console.log("");
  console.log("| what | median | min | user CPU (mean) | system CPU (mean) | / in-process compile |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  console.log(`| in-process compile (timing example) | ${compile.toFixed(1)} | | | | 1x |`);
  for (const r of runs) {
    const name = r.command.split(" ").slice(0, 2).join(" ").replace(/.*\//, "");
    console.log(`| \`${name}\` | ${(r.median * 1e3).toFixed(1)} | ${(r.min * 1e3).toFixed(1)} | ${(r.user * 1e3).toFixed(1)} | ${(r.system * 1e3).toFixed(1)} | **${(r.median * 1e3 / compile).toFixed(1)}x** |`);
  }' "$dir/hyperfine.json" "$compile" "$(cut -d' ' -f1-3 /proc/loadavg)"
