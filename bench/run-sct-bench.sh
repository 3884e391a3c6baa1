#!/usr/bin/env bash
# Runs bench/sct_bench with repetitions and prints a Markdown table of the medians, the form
# docs/PERFORMANCE.md records. Usage: bench/run-sct-bench.sh [BUILD_DIR] [REPETITIONS]
# Extra arguments after those two go to the binary (e.g. --benchmark_filter=Certificate).
set -euo pipefail
build_dir=${1:-build}
repetitions=${2:-5}
shift $(($# < 2 ? $# : 2))
binary="$build_dir/bench/sct_bench"
[ -x "$binary" ] || { echo "run-sct-bench: $binary not built (run 'make build')" >&2; exit 2; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$binary" --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$out" --benchmark_out_format=json "$@" >/dev/null

python3 - "$out" "$repetitions" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
ctx = report["context"]
print(f"Machine: {ctx.get('num_cpus')} CPUs at {ctx.get('mhz_per_cpu')} MHz, "
      f"date {ctx.get('date')}, {ctx.get('openssl', 'OpenSSL ?')}, "
      f"malloc {ctx.get('malloc', '?')}")
print(f"Corpus: {ctx.get('corpus', '?')}")
print(f"Medians of {sys.argv[2]} repetitions. Floor: the faster raw OpenSSL variant verifying the "
      "same signatures, paired per batch (P-256 rows: ECDSA P-256; RSA rows: RSA-2048).")
print()
print("| benchmark | sigs/op | ns/op | raw EVP_PKEY_verify ns/sig | raw EVP_DigestVerify ns/sig "
      "| certificates/s | SCTs/s | floor ratio (goal >= 0.9) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
fmt = lambda v, f: (f % v) if v is not None else "-"
for b in report["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    if b.get("error_occurred"):
        print(f"| {b['run_name']} | error: {b.get('error_message')} |")
        continue
    name = b["run_name"]
    if b.get("floor_is_digest_verify", 0) >= 0.5:
        name += " (floor: EVP_DigestVerify)"
    print(f"| {name} | {fmt(b.get('sigs'), '%.0f')} | {fmt(b.get('ns_per_op'), '%.0f')} "
          f"| {fmt(b.get('pkey_verify_ns'), '%.0f')} | {fmt(b.get('digest_verify_ns'), '%.0f')} "
          f"| {fmt(b.get('certs_per_s'), '%.0f')} | {fmt(b.get('sigs_per_s'), '%.0f')} "
          f"| {fmt(b.get('floor_ratio'), '%.3f')} |")
PY
