#!/usr/bin/env bash
# Log server throughput end to end (docs/PERFORMANCE.md "Log server throughput"). For each
# repetition: a fresh `ctkit log serve` on 127.0.0.1 with a port it picks at run time, loaded by
# bench/logserver_bench (add-chain from concurrent clients, then get-entries over what was
# integrated, then the static-page HTTP floor), with the raw machine limits measured in the same
# run. Prints a Markdown table of the medians.
#
# Usage: bench/run-logserver-bench.sh [BUILD_DIR] [REPETITIONS]
# Environment (defaults in brackets): SUBMISSIONS [12000], SUBMIT_CLIENTS [32], READ_CLIENTS [8],
# SECONDS_PER_PHASE [3], THREADS (server --threads) [64], PAGE (server --max-batch) [256].
set -euo pipefail
build_dir=${1:-build}
repetitions=${2:-5}
ctkit="$build_dir/ctkit"
bench="$build_dir/bench/logserver_bench"
for binary in "$ctkit" "$bench"; do
  [ -x "$binary" ] || { echo "run-logserver-bench: $binary not built (ninja -C $build_dir ctkit logserver_bench)" >&2; exit 2; }
done
submissions=${SUBMISSIONS:-12000}
submit_clients=${SUBMIT_CLIENTS:-32}
read_clients=${READ_CLIENTS:-8}
seconds=${SECONDS_PER_PHASE:-3}
threads=${THREADS:-64}
page=${PAGE:-256}

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$ctkit" log keygen --out "$work/log.key" >/dev/null

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for rep in $(seq 1 "$repetitions"); do
  rm -f "$work"/log.db*
  mkfifo "$work/out"
  "$ctkit" log serve --key "$work/log.key" --db "$work/log.db" --listen 127.0.0.1:0 --mmd 0.4 \
    --accept-any-root --threads "$threads" --max-batch "$page" >"$work/out" 2>"$work/serve.err" &
  server_pid=$!
  exec 3<"$work/out"
  read -r first_line <&3
  exec 3<&-
  rm -f "$work/out"
  port=${first_line##*:}
  case "$first_line" in
    "listening on "*) ;;
    *) echo "run-logserver-bench: the log did not start: $first_line $(cat "$work/serve.err")" >&2; exit 1 ;;
  esac
  echo "run-logserver-bench: repetition $rep/$repetitions, log on port $port" >&2
  "$bench" --url "http://127.0.0.1:$port" --dir "$work" --server-pid "$server_pid" \
    --submissions "$submissions" --submit-clients "$submit_clients" --read-clients "$read_clients" \
    --seconds "$seconds" --page "$page" --threads "$threads" >>"$work/results.jsonl"
  kill -TERM "$server_pid"
  wait "$server_pid" || { echo "run-logserver-bench: the log did not exit cleanly" >&2; exit 1; }
  server_pid=
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$work/results.jsonl" "$repetitions" "$load_before" "$load_after" "$(nproc)" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
median = lambda f: statistics.median(f(r) for r in runs)
fl = lambda key: median(lambda r: r["floors"][key])
add = median(lambda r: r["add_chain"]["per_s"])
add_ratio = median(lambda r: r["add_chain"]["per_s"] / r["floors"]["sign_per_s"])
# Every submission costs one SCT signature and one chain-signature verification: the machine
# limit for that pair, all CPUs, is 1 / (1/sign + 1/verify).
crypto = lambda r: 1 / (1 / r["floors"]["sign_per_s"] + 1 / r["floors"]["verify_per_s"])
add_crypto_ratio = median(lambda r: r["add_chain"]["per_s"] / crypto(r))
get = median(lambda r: r["get_entries"]["per_s"])
static = median(lambda r: r["static_page"]["per_s"])
get_ratio = median(lambda r: r["get_entries"]["per_s"] / r["static_page"]["per_s"])
r0 = runs[0]
g = r0["get_entries"]
print(f"Medians of {sys.argv[2]} repetitions, {sys.argv[5]} CPUs, load average {sys.argv[3]} before "
      f"and {sys.argv[4]} after (1/5/15 min).")
print(f"Load: {r0['add_chain']['submissions']} add-chain submissions from {r0['add_chain']['clients']} "
      f"clients; get-entries pages of {g['page']} entries ({g['page_bytes']} bytes) from {g['clients']} "
      f"clients. Leaves {r0['leaf_bytes_avg']:.0f} bytes, chain CA {r0['ca_bytes']} bytes.")
print()
print("| measure | rate | floor (same run) | floor rate | ratio | goal |")
print("|---|---:|---|---:|---:|---|")
print(f"| add-chain submissions/s | {add:.0f} | raw ECDSA P-256 signs/s, all CPUs | {fl('sign_per_s'):.0f} "
      f"| {add_ratio:.3f} | ≥ 2,000/s |")
print(f"| add-chain submissions/s | {add:.0f} | raw sign + verify pairs/s, all CPUs | "
      f"{median(crypto):.0f} | {add_crypto_ratio:.3f} | |")
print(f"| get-entries entries/s | {get:.0f} | same page bytes served by bare cpp-httplib, entries/s "
      f"| {static:.0f} | {get_ratio:.3f} | ≥ 50,000/s |")
print()
print("Context (medians): raw sign/s on one CPU %.0f; raw verify/s all CPUs %.0f; write+fdatasync/s %.0f; "
      "SHA-256 %.0f MB/s; memcpy %.0f MB/s; server CPU per submission %.0f µs; per entry served %.2f µs." % (
      fl("sign_per_s_1cpu"), fl("verify_per_s"), fl("fsync_per_s"), fl("sha256_bytes_per_s") / 1e6,
      fl("memcpy_bytes_per_s") / 1e6,
      median(lambda r: r["add_chain"].get("server_cpu_us_per_submission", float("nan"))),
      median(lambda r: r["get_entries"].get("server_cpu_us_per_entry", float("nan")))))
PY
