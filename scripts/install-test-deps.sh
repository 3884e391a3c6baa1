#!/usr/bin/env bash
# Installs the Debian packages only some tests need, on top of scripts/install-deps.sh:
# headless Chromium for the monitor's browser test (tests/monitor/browser_test.cc), and clang 19
# with its compiler-rt (libFuzzer, sanitizers) for the fuzz targets (`make test-fuzz`, fuzz/;
# g++ has no libFuzzer), clang-format 19 for `make format-check`, and man-db and systemd for the
# packaging test (tests/packaging/: `man --warnings` on each man page, `systemd-analyze verify` on
# the unit; nothing is started), and the PostgreSQL server the storage tests start in a temporary
# directory of their own (tests/postgres_server.h). Kept apart so building and
# running ctkit never pulls in a browser or a second compiler. Idempotent: a no-op when every
# package is already installed. Uses sudo only when not root.
set -euo pipefail

packages=(
  chromium fonts-dejavu-core
  clang-19 libclang-rt-19-dev clang-format-19
  man-db systemd
  postgresql
)

"$(dirname "$0")/apt-install-missing.sh" install-test-deps "${packages[@]}"
