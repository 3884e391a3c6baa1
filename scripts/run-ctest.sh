#!/usr/bin/env bash
# Runs ctest in a build tree, and remembers a run that passed (docs/testing.md, "Test runs"):
#
#   scripts/run-ctest.sh BUILD_DIR [CTEST_ARGS...]
#
# Before running, it fingerprints everything the run depends on: every executable ctest runs
# from BUILD_DIR (test binaries, fuzz replays, the ctkit binary they start), the test
# registrations (CTestTestfile.cmake), the files under testdata/, the ctest arguments and the
# sanitizer options. When the fingerprint is the one of the last run that passed, nothing that
# run tested has changed by a byte, so the run is not repeated: it says so in one line, naming
# the time of that run, as `go test` reports a cached result. FRESH=1 always runs (.ci/run sets
# it; a fresh clone has no remembered run anyway). A failing run is never remembered.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [CTEST_ARGS...]" >&2
  exit 2
fi
build_dir=$1
shift
source_dir=$(cd "$(dirname "$0")/.." && pwd)
stamp="$build_dir/Testing/passed-fingerprint"

fingerprint() {
  {
    printf 'args: %s\nASAN_OPTIONS=%s\nUBSAN_OPTIONS=%s\n' "$*" "${ASAN_OPTIONS:-}" "${UBSAN_OPTIONS:-}"
    # Executables of the build (not CMake's own probes), and what registers the tests.
    find "$build_dir" -path "$build_dir/CMakeFiles" -prune -o \
      \( -type f \( -perm -u+x -o -name CTestTestfile.cmake \) \
         -print \) | LC_ALL=C sort | xargs -r sha256sum
    (cd "$source_dir" && find testdata -type f | LC_ALL=C sort | xargs -r sha256sum)
  } | sha256sum | cut -d' ' -f1
}

before=$(fingerprint "$@")
if [ "${FRESH:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$before" ]; then
  echo "run-ctest: $build_dir: not run again: its binaries, testdata and options are identical" \
       "to the run that passed at $(sed -n 2p "$stamp") ($(sed -n 3p "$stamp")); FRESH=1 reruns it"
  exit 0
fi

rm -f "$stamp"
mkdir -p "$build_dir/Testing"
start=$(date +%s)
ctest --test-dir "$build_dir" --output-on-failure "$@" | tee "$build_dir/Testing/last-run.log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
summary=$(grep -E 'tests passed' "$build_dir/Testing/last-run.log" | tail -n 1)
printf '%s\n%s\n%s, %ss\n' "$before" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$summary" \
  "$(( $(date +%s) - start ))" >"$stamp"
echo "run-ctest: $build_dir: passed in $(( $(date +%s) - start ))s"
