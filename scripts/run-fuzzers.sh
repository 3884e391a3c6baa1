#!/usr/bin/env bash
# Runs every libFuzzer target of a CTKIT_FUZZ build (fuzz/CMakeLists.txt) for a bounded time:
#
#   scripts/run-fuzzers.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]
#
# Each fuzzer starts from its seed directories (listed in BUILD_DIR/fuzz/<name>_fuzzer.seeds:
# testdata/fuzz/<name>/ and the testdata/ directories it names), read-only: what a run discovers
# goes to a temporary corpus that is deleted afterwards, never into the repository. The build is
# instrumented with ASan and UBSan, so a sanitizer report is a crash too. Prints one line per
# target with its executions; exits 1 if any target found a crash, leak, timeout or OOM, after
# printing its report. The input that triggered it is kept in BUILD_DIR/fuzz-artifacts/<name>/;
# once the bug is fixed, copy it to testdata/fuzz/<name>/crash-<what> so the replay test
# (fuzz_replay_<name>) keeps it fixed.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS_PER_TARGET [TARGET...]" >&2
  exit 2
fi
build_dir=$1
seconds=$2
shift 2

fuzzers=()
if [ $# -gt 0 ]; then
  for name in "$@"; do fuzzers+=("$build_dir/fuzz/${name%_fuzzer}_fuzzer"); done
else
  for f in "$build_dir"/fuzz/*_fuzzer; do
    [ -x "$f" ] && fuzzers+=("$f")
  done
fi
if [ ${#fuzzers[@]} -eq 0 ]; then
  echo "run-fuzzers: no fuzzers in $build_dir/fuzz (configure with -DCTKIT_FUZZ=ON)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Sanitizer reports abort the run (libFuzzer then saves the input); leaks are findings too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# One target: runs it and writes its one-line verdict (and a report on failure) to $work/$name.out;
# exit status 1 on a finding.
run_one() {
  local fuzzer=$1 name seeds corpus artifacts log status runs corpus_size
  name=$(basename "$fuzzer")
  seeds=()
  if [ -f "$fuzzer.seeds" ]; then
    while IFS= read -r dir; do
      [ -n "$dir" ] && [ -d "$dir" ] && seeds+=("$dir")
    done <"$fuzzer.seeds"
  fi
  corpus="$work/$name/corpus"
  artifacts="$build_dir/fuzz-artifacts/$name/"
  mkdir -p "$corpus" "$artifacts"
  log="$work/$name/log"
  # The first corpus directory is the writable one; the seed directories are only read.
  # -timeout: one input running 10 s is a hang; -rss_limit_mb: bounded memory is a guarantee.
  status=0
  "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  corpus_size=$(find "$corpus" -type f | wc -l)
  if [ "$status" -ne 0 ]; then
    {
      echo "FAIL $name: exit status $status after ${runs:-?} runs; report:"
      grep -E "ERROR|SUMMARY|runtime error|Test unit written|==[0-9]+==" "$log" | head -n 20 || true
      tail -n 40 "$log"
    } >"$work/$name.out"
    return 1
  fi
  echo "ok   $name: ${runs:-?} runs in ${seconds}s, ${#seeds[@]} seed dirs, $corpus_size new corpus inputs" \
    >"$work/$name.out"
}

for fuzzer in "${fuzzers[@]}"; do
  if [ ! -x "$fuzzer" ]; then
    echo "run-fuzzers: $fuzzer is not built" >&2
    exit 2
  fi
done

# FUZZ_JOBS targets at a time (default: one per core); each is single-threaded, so the fuzzing
# each target gets is the same as when they ran one after another.
jobs=${FUZZ_JOBS:-$(nproc)}
declare -A pid_of=()
for fuzzer in "${fuzzers[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$fuzzer" &
  pid_of[$fuzzer]=$!
done

failed=()
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer")
  wait "${pid_of[$fuzzer]}" || failed+=("$name")
  cat "$work/$name.out"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "run-fuzzers: findings in ${failed[*]} (inputs in $build_dir/fuzz-artifacts/)" >&2
  exit 1
fi
