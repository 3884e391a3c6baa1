#!/usr/bin/env bash
# End-to-end monitor ingest benchmark (docs/PERFORMANCE.md "Monitor ingest"):
# a real `ctkit log serve` loaded with ENTRIES realistic entries (bench/make_log_fixture.cc: half
# precertificates, 1-10 SANs each, MATCHES planted names under example.com), then
# `ctkit monitor --once` from an empty database to caught up, REPS times. Reports wall time,
# entries/s, CPU seconds, peak RSS and the findings count (must equal the planted count), and the
# monitor's own floor measured in the same run (bench/monitor_floor.cc: leaf parse + certificate
# names + leaf hash + compact range append + match, on the same entries in memory).
# Cert Spotter (Debian package certspotter), when installed, runs against the same log in the same
# run: it has no "catch up and exit" mode, so its wall time ends when its state file shows the
# whole tree verified, and it is then stopped with SIGTERM. Both must find the same log entries.
#
# Usage: bench/run-monitor-bench.sh [BUILD_DIR] [ENTRIES] [REPS]
# The fixture is built once and kept in $FIXTURE_DIR (default bench/.fixtures/ENTRIES).
# CERTSPOTTER=PATH picks the Cert Spotter binary; CERTSPOTTER= (empty) leaves the comparison out.
set -euo pipefail
build=$(realpath "${1:-build}")
entries=${2:-1000000}
reps=${3:-3}
matches=${MATCHES:-500}
fixture=$(realpath -m "${FIXTURE_DIR:-bench/.fixtures/$entries}")
for tool in "$build/ctkit" "$build/bench/make_log_fixture" "$build/bench/monitor_floor"; do
  [ -x "$tool" ] || { echo "run-monitor-bench: $tool not built (make build)" >&2; exit 2; }
done

mkdir -p "$fixture"
if [ ! -f "$fixture/fixture.out" ]; then
  echo "building a fixture log of $entries entries in $fixture (once)..." >&2
  rm -f "$fixture"/log.*
  "$build/ctkit" log keygen --out "$fixture/log.key" > /dev/null
  "$build/bench/make_log_fixture" --key "$fixture/log.key" --db "$fixture/log.db" \
    --entries "$entries" --matches "$matches" > "$fixture/fixture.out.tmp"
  mv "$fixture/fixture.out.tmp" "$fixture/fixture.out"
fi
planted=$(sed -n 's/^planted //p' "$fixture/fixture.out")
tree_size=$(sed -n 's/^tree_size //p' "$fixture/fixture.out")
certspotter=${CERTSPOTTER-$(command -v certspotter || true)}  # CERTSPOTTER= skips it
[ -n "$certspotter" ] || echo "certspotter not installed (apt-get install certspotter) or CERTSPOTTER empty: comparison skipped" >&2

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$build/ctkit" log serve --key "$fixture/log.key" --db "$fixture/log.db" --listen 127.0.0.1:0 \
  --accept-any-root --max-batch 1024 > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 200); do grep -q '^listening on' "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
url="http://$(sed -n 's/^listening on //p' "$work/serve.out")/"
"$build/ctkit" log make-list --out "$work/list.json" \
  --log "operator=Bench,url=$url,key=$fixture/log.key,description=Bench log" > /dev/null
printf '.example.com\n' > "$work/watchlist.txt"
echo '{"defaults": {"batch_size": 1024}}' > "$work/config.json"

results="$work/results.tsv"
cpus=$(nproc)
for rep in $(seq "$reps"); do
  rm -f "$work"/m.db*
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" \
    "$build/ctkit" monitor --once --watchlist "$work/watchlist.txt" --db "$work/m.db" \
    --log-list "$work/list.json" --config "$work/config.json" --stdout \
    > "$work/alerts.jsonl" 2> "$work/monitor.err" || true
  findings=$("$build/ctkit" monitor query --db "$work/m.db" --format json | tee "$work/findings.jsonl" | wc -l)
  # Issue 6 asks for entries/s "on one core": the same run with the monitor (all its threads)
  # confined to CPU 0 and the log server moved to the other CPUs, so neither takes the other's.
  one_wall=0 one_findings=0
  if [ "$cpus" -ge 2 ]; then
    rm -f "$work"/m1.db*
    taskset -a -p -c "1-$((cpus - 1))" "$server" > /dev/null
    /usr/bin/time -f "%e" -o "$work/time1.txt" taskset -c 0 \
      "$build/ctkit" monitor --once --watchlist "$work/watchlist.txt" --db "$work/m1.db" \
      --log-list "$work/list.json" --config "$work/config.json" --stdout \
      > /dev/null 2> "$work/monitor1.err" || true
    taskset -a -p -c "0-$((cpus - 1))" "$server" > /dev/null
    one_wall=$(tail -n 1 "$work/time1.txt")
    one_findings=$("$build/ctkit" monitor query --db "$work/m1.db" --format json | wc -l)
  fi
  floor=$("$build/bench/monitor_floor" --log "$url" | sed -n 's/^floor_entries_per_second //p')
  read -r wall user sys rss < <(tail -n 1 "$work/time.txt")
  cs_wall=0 cs_user=0 cs_sys=0 cs_rss=0 same=0
  if [ -n "$certspotter" ]; then
    rm -rf "$work/cs" && mkdir "$work/cs"
    started=$(date +%s.%N)
    /usr/bin/time -f "%e %U %S %M" -o "$work/cs-time.txt" "$certspotter" -watchlist "$work/watchlist.txt" \
      -logs "$work/list.json" -state_dir "$work/cs" -stdout -batch_size 1024 \
      > "$work/cs.out" 2> "$work/cs.err" &
    timer=$!
    # Caught up when the state file's verified position reaches the tree size.
    until grep -o '"verified_position":{"nodes":\[[^]]*\],"size":[0-9]*' "$work"/cs/logs/*/state.json \
        2>/dev/null | grep -q "\"size\":$tree_size\$"; do
      kill -0 "$timer" 2>/dev/null || { echo "certspotter exited early:" >&2; tail -3 "$work/cs.err" >&2; break; }
      sleep 0.1
    done
    cs_wall=$(awk -v now="$(date +%s.%N)" -v started="$started" 'BEGIN { print now - started }')
    pkill -TERM -P "$timer" 2>/dev/null || true
    wait "$timer" || true
    read -r _ cs_user cs_sys cs_rss < <(tail -n 1 "$work/cs-time.txt")
    # The same log entries found: ctkit's finding entries against certspotter's "Log Entry = N".
    same=$(python3 - "$work/findings.jsonl" "$work/cs.out" <<'PY'
import json, re, sys
ours = {e["index"] for line in open(sys.argv[1]) for e in json.loads(line)["entries"]}
theirs = {int(m) for m in re.findall(r"Log Entry = (\d+) @", open(sys.argv[2]).read())}
print(1 if ours == theirs and ours else 0)
PY
)
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$wall" "$user" "$sys" "$rss" "$findings" \
    "$floor" "$cs_wall" "$cs_user" "$cs_sys" "$cs_rss" "$same" "$one_wall" "$one_findings" >> "$results"
done

python3 - "$results" "$entries" "$planted" "$reps" <<'PY'
import statistics, sys
rows = [list(map(float, l.split("\t"))) for l in open(sys.argv[1])]
entries, planted, reps = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
med = lambda i: statistics.median(r[i] for r in rows)
(wall, user, sys_, rss, findings, floor, cs_wall, cs_user, cs_sys, cs_rss, _, one_wall,
 one_findings) = (med(i) for i in range(13))
same_everywhere = all(r[10] == 1 for r in rows)
rate = entries / wall
print(f"Entries: {entries}, planted matches: {planted}; medians of {reps} runs")
print()
print("| measure | value |")
print("|---|---:|")
print(f"| wall time (s) | {wall:.2f} |")
print(f"| entries/s (first byte to findings committed) | {rate:,.0f} |")
print(f"| CPU seconds (user + sys) | {user + sys_:.2f} |")
print(f"| entries per CPU second | {entries / (user + sys_):,.0f} |")
print(f"| peak RSS (MB) | {rss / 1024:.1f} |")
print(f"| findings (must equal planted) | {findings:.0f} {'OK' if findings == planted else 'MISMATCH'} |")
print(f"| floor: parse + names + leaf hash + compact range + match, entries/s (one core) | {floor:,.0f} |")
print(f"| ratio entries/s to floor | {rate / floor:.2f} |")
if one_wall > 0:
    ok = "OK" if one_findings == planted else "MISMATCH"
    print(f"| monitor on one core (log server on the other): wall time (s) | {one_wall:.2f} |")
    print(f"| monitor on one core: entries/s (findings {one_findings:.0f} {ok}) | {entries / one_wall:,.0f} |")
if cs_wall > 0:
    print(f"| certspotter wall time (s) | {cs_wall:.2f} |")
    print(f"| certspotter entries/s | {entries / cs_wall:,.0f} |")
    print(f"| certspotter CPU seconds (user + sys) | {cs_user + cs_sys:.2f} |")
    print(f"| certspotter peak RSS (MB) | {cs_rss / 1024:.1f} |")
    print(f"| throughput ctkit / certspotter (wall) | {cs_wall / wall:.1f}x |")
    print(f"| CPU efficiency ctkit / certspotter | {(cs_user + cs_sys) / (user + sys_):.1f}x |")
    print(f"| same log entries found, every run | {'yes' if same_everywhere else 'NO'} |")
PY
