#!/usr/bin/env bash
# Runs bench/merkle_bench with repetitions and prints a Markdown table of the medians, the form
# docs/PERFORMANCE.md records. Usage: bench/run-merkle-bench.sh [BUILD_DIR] [REPETITIONS]
set -euo pipefail
build_dir=${1:-build}
repetitions=${2:-5}
binary="$build_dir/bench/merkle_bench"
[ -x "$binary" ] || { echo "run-merkle-bench: $binary not built (run 'make build')" >&2; exit 2; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$binary" --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$out" --benchmark_out_format=json >/dev/null

python3 - "$out" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
ctx = report["context"]
print(f"Machine: {ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz, "
      f"{len(report['benchmarks']) and ''}date {ctx.get('date')}")
print()
print("| benchmark | hashes/op | ns/op | raw SHA-256 ns/hash (same run) | floor ratio (goal >= 0.9) |")
print("|---|---:|---:|---:|---:|")
for b in report["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    name = b["run_name"]
    hashes = b.get("hashes")
    ratio = b.get("floor_ratio")
    ns = b.get("ns_per_op", b.get("cpu_time"))
    raw = b.get("raw_ns_per_hash")
    fmt = lambda v, f: (f % v) if v is not None else "-"
    print(f"| {name} | {fmt(hashes, '%.0f')} | {fmt(ns, '%.0f')} | {fmt(raw, '%.0f')} | {fmt(ratio, '%.3f')} |")
PY
