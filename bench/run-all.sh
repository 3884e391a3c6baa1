#!/usr/bin/env bash
# Runs every ctkit benchmark, one after the other, and prints their tables (docs/PERFORMANCE.md
# says what each measures and records the results). `make bench` runs this.
#
# Usage: bench/run-all.sh [BUILD_DIR]
# Environment: REPS (repetitions of each, default 5 for the micro-benchmarks and 3 for the
# end-to-end ones), MONITOR_ENTRIES (size of the monitor fixture log, default 1000000; it is
# built once, which takes about half an hour, and kept in bench/.fixtures/), SKIP (a
# space-separated subset of "merkle sct logserver audit monitor" to leave out).
#
# Run it on a machine doing nothing else: every figure is a ratio to a floor measured in the same
# run, but two benchmarks sharing two cores would still measure each other.
set -euo pipefail
build=${1:-build}
skip=" ${SKIP:-} "
here=$(dirname "$0")

run() {  # run NAME COMMAND...: prints a heading and the command's output, unless skipped
  local name=$1
  shift
  if [[ "$skip" == *" $name "* ]]; then
    echo "## $name: skipped (SKIP)"
    return
  fi
  echo "## $name ($(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$@"
  echo
}

run merkle "$here/run-merkle-bench.sh" "$build" "${REPS:-5}"
run sct "$here/run-sct-bench.sh" "$build" "${REPS:-5}"
run logserver "$here/run-logserver-bench.sh" "$build" "${REPS:-3}"
# One audit of 10,000 files per repetition varies by up to a quarter between runs: report the
# median of several (docs/PERFORMANCE.md "Audit").
run audit "$build/bench/audit_bench" --benchmark_min_time=1 --benchmark_repetitions="${REPS:-3}" \
  --benchmark_report_aggregates_only=true
run monitor "$here/run-monitor-bench.sh" "$build" "${MONITOR_ENTRIES:-1000000}" "${REPS:-3}"
