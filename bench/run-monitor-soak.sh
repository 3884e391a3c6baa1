#!/usr/bin/env bash
# Monitor memory over a long run (docs/PERFORMANCE.md "Monitor memory over a long run"): a real
# `ctkit log serve` on 127.0.0.1 fed continuously by bench/logserver_bench (add-chain rounds of
# BATCH fresh certificates from a new CA each, one round every PAUSE seconds), and `ctkit monitor`
# tailing it as a daemon (no --once) for MINUTES. Every SAMPLE seconds the monitor's resident set
# (VmRSS from /proc/PID/status) and its position in the log are recorded. Prints the first,
# median, last and largest RSS, entries processed, findings and alerts; the RSS series is kept in
# $OUT (default: a temporary file, printed path).
#
# Usage: bench/run-monitor-soak.sh [BUILD_DIR] [MINUTES]
# Environment (defaults in brackets): BATCH [1000], PAUSE [1], SAMPLE [5], CLIENTS [2],
# CHUNK (monitor --chunk-size) [4096].
# Needs BUILD_DIR/ctkit and BUILD_DIR/bench/logserver_bench (cmake -DCTKIT_BUILD_BENCH=ON;
# ninja -C BUILD_DIR ctkit logserver_bench).
set -euo pipefail
build=$(realpath "${1:-build}")
minutes=${2:-4}
batch=${BATCH:-1000}
pause=${PAUSE:-1}
sample=${SAMPLE:-5}
clients=${CLIENTS:-2}
chunk=${CHUNK:-4096}
for tool in "$build/ctkit" "$build/bench/logserver_bench"; do
  [ -x "$tool" ] || { echo "run-monitor-soak: $tool not built" >&2; exit 2; }
done

work=$(mktemp -d)
out=${OUT:-$work/rss.tsv}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -z "${KEEP:-}" ] && rm -rf "$work"
}
trap cleanup EXIT

"$build/ctkit" log keygen --out "$work/log.key" > /dev/null
"$build/ctkit" log serve --key "$work/log.key" --db "$work/log.db" --listen 127.0.0.1:0 \
  --accept-any-root --mmd 1 > "$work/serve.out" 2> "$work/serve.err" &
pids+=($!)
for _ in $(seq 200); do grep -q '^listening on' "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
url="http://$(sed -n 's/^listening on //p' "$work/serve.out")/"
"$build/ctkit" log make-list --out "$work/list.json" \
  --log "operator=Soak,url=$url,key=$work/log.key,description=Soak log" > /dev/null
# One watched name per generator round (every round's CA issues site1.bench.example anew).
printf 'site1.bench.example\n' > "$work/watchlist.txt"

# The feeder: rounds of fresh certificates for as long as the soak runs.
(
  while true; do
    "$build/bench/logserver_bench" --url "${url%/}" --only add-chain --submissions "$batch" \
      --submit-clients "$clients" > /dev/null 2>> "$work/feeder.err" || true
    sleep "$pause"
  done
) &
pids+=($!)

"$build/ctkit" monitor --watchlist "$work/watchlist.txt" --db "$work/m.db" \
  --log-list "$work/list.json" --poll-interval 1 --chunk-size "$chunk" --stdout \
  > "$work/alerts.jsonl" 2> "$work/monitor.err" &
monitor=$!
pids+=($monitor)

position() {
  "$build/ctkit" monitor status --db "$work/m.db" --format json 2>/dev/null |
    python3 -c 'import json,sys; l=json.load(sys.stdin)["logs"]; print(l[0]["position"] if l else 0)' 2>/dev/null ||
    echo 0
}

printf 'seconds\trss_kb\tposition\n' > "$out"
end=$(( $(date +%s) + minutes * 60 ))
start=$(date +%s)
while [ "$(date +%s)" -lt "$end" ]; do
  sleep "$sample"
  kill -0 "$monitor" 2>/dev/null || { echo "run-monitor-soak: the monitor exited" >&2; cat "$work/monitor.err" >&2; exit 1; }
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$monitor/status")
  printf '%s\t%s\t%s\n' "$(( $(date +%s) - start ))" "$rss" "$(position)" >> "$out"
done
tree=$(curl -s "${url}ct/v1/get-sth" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tree_size"])')
findings=$("$build/ctkit" monitor query --db "$work/m.db" --format json | wc -l)
alerts=$(wc -l < "$work/alerts.jsonl")

python3 - "$out" "$minutes" "$tree" "$findings" "$alerts" "$chunk" "$batch" "$pause" <<'PY'
import statistics, sys
path, minutes, tree, findings, alerts, chunk, batch, pause = sys.argv[1:]
rows = [l.split("\t") for l in open(path).read().splitlines()[1:]]
rss = [int(r[1]) / 1024 for r in rows]
positions = [int(r[2]) for r in rows]
print(f"{minutes} min soak; {len(rows)} samples; monitor --chunk-size {chunk}; "
      f"feeder: rounds of {batch} add-chain, {pause} s apart")
print()
print("| measure | value |")
print("|---|---:|")
print(f"| RSS first sample (MB) | {rss[0]:.1f} |")
print(f"| RSS median (MB) | {statistics.median(rss):.1f} |")
print(f"| RSS last sample (MB) | {rss[-1]:.1f} |")
print(f"| RSS max (MB) | {max(rss):.1f} |")
half = len(rss) // 2
print(f"| RSS median, first half / second half (MB) | {statistics.median(rss[:half] or rss):.1f} / {statistics.median(rss[half:]):.1f} |")
print(f"| entries processed (position at the last sample) | {positions[-1]:,} |")
print(f"| log size at the end | {int(tree):,} |")
print(f"| findings / alerts | {findings} / {alerts} |")
PY
[ -n "${OUT:-}" ] && echo "RSS series: $out" >&2 || true
