#!/usr/bin/env bash
# Installs the Debian packages ctkit builds and tests with (README.md, "Two commands").
# Idempotent: a no-op when every package is already installed. Uses sudo only when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libssl-dev libjemalloc-dev libcurl4-openssl-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev zlib1g-dev libmicrohttpd-dev
  libidn2-dev libpq-dev
  openssl sqlite3 python3 ccache
  scdoc dpkg-dev
)
# scdoc turns docs/man/*.scd into the man pages at build time; dpkg-dev has dpkg-shlibdeps, which
# fills in the .deb's Depends (`make package`). libpq-dev is PostgreSQL's client library
# (storage/postgres.h); the server the tests start is in scripts/install-test-deps.sh.
# Packages only some tests need (headless Chromium) are in scripts/install-test-deps.sh.

"$(dirname "$0")/apt-install-missing.sh" install-deps "${packages[@]}"
