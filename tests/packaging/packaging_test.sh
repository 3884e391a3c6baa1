#!/usr/bin/env bash
# What `cmake --install` and `make package` put on a machine (README.md, "Install";
# docs/testing.md, "The packaging test"). Registered in tests/CMakeLists.txt as the ctest test
# "packaging" (label "packaging"); needs a built tree (ctkit and the man pages), no root.
#
#   tests/packaging/packaging_test.sh CMAKE CPACK BUILD_DIR SOURCE_DIR VERSION
#
# 1. `cmake --install BUILD_DIR --prefix TMP`: exactly the expected files (the ctkit binary, no
#    ctkit-faults or test program; man pages; docs; the systemd unit), `ctkit --version` runs.
# 2. Each man page renders with `man --warnings` silent, and names only flags ctkit has
#    (ctkit-monitor(8) names every flag of `ctkit monitor --help`).
# 3. The unit: `systemd-analyze verify` silent; the settings the package promises (the
#    watchlist and database found through its directories, not flags); its ExecCondition skips a
#    missing, empty or comments-only watchlist and runs for a real one.
# 4. cpack builds the .deb: the same files under /usr, owned by root, Depends filled in by
#    dpkg-shlibdeps, the unit byte for byte the one in packaging/.
# A tool it needs that is missing fails the test (scripts/install-deps.sh and
# scripts/install-test-deps.sh install them all); nothing is skipped.
set -euo pipefail

if [ $# -ne 5 ]; then
  echo "usage: $0 CMAKE CPACK BUILD_DIR SOURCE_DIR VERSION" >&2
  exit 2
fi
cmake=$1 cpack=$2 build=$3 source=$4 version=$5

fail() {
  echo "packaging_test: FAIL: $*" >&2
  exit 1
}
step() { echo "packaging_test: $*"; }

# tool -> the Debian package that has it (installed by scripts/install-*.sh)
declare -A needed=([dpkg-deb]=dpkg [dpkg-shlibdeps]=dpkg-dev [man]=man-db
                   [systemd-analyze]=systemd [gzip]=gzip)
for tool in "${!needed[@]}"; do
  command -v "$tool" >/dev/null ||
    fail "'$tool' is not installed (Debian package ${needed[$tool]}; run scripts/install-test-deps.sh)"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every file installed, relative to the prefix. A new install() rule must be added here.
expected_files="bin/ctkit
lib/systemd/system/ctkit-monitor.service
share/doc/ctkit/README.md
share/doc/ctkit/ci.md
share/doc/ctkit/ctkit.md
share/doc/ctkit/examples/monitor.env.example
share/doc/ctkit/json-output.md
share/doc/ctkit/monitor-page.png
share/doc/ctkit/monitor.md
share/doc/ctkit/reliability.md
share/doc/ctkit/security.md
share/man/man1/ctkit.1.gz
share/man/man5/ctkit-hooks.5.gz
share/man/man8/ctkit-monitor.8.gz"

# --- 1. cmake --install into a temporary prefix -----------------------------------------------
prefix=$tmp/prefix
step "cmake --install $build --prefix $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "cmake --install failed (is the tree built? ctkit and ctkit_man)"; }
actual_files=$(cd "$prefix" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort)
if [ "$actual_files" != "$expected_files" ]; then
  diff <(echo "$expected_files") <(echo "$actual_files") >&2 || true
  fail "installed files differ from the expected list (< expected, > installed)"
fi
[ -x "$prefix/bin/ctkit" ] || fail "bin/ctkit is not executable"
first_line=$("$prefix/bin/ctkit" --version | head -n 1)
[ "$first_line" = "ctkit $version" ] ||
  fail "installed ctkit --version says '$first_line', expected 'ctkit $version'"

# --- 2. man pages -----------------------------------------------------------------------------
ctkit=$prefix/bin/ctkit
help_flags() {  # every --flag the --help of each given command line mentions
  local command
  for command in "$@"; do
    # shellcheck disable=SC2086  # each is a word list
    "$ctkit" $command --help | grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]'
  done | LC_ALL=C sort -u
}
page_flags() {  # every --flag in a man page's roff (rendered text hyphenates long flags)
  gzip -dc "$1" | grep -oE -- '--[a-z][a-z0-9-]*[a-z0-9]' | LC_ALL=C sort -u
}
all_help=$(help_flags "" verify audit tree monitor "monitor query" "monitor status" \
  "monitor test-alert" "log keygen" "log serve" "log make-list" "log sth" "log entries" \
  "log consistency" "log inclusion" "ca init" "ca issue" "ca inventory" "proof inclusion" \
  "proof consistency")
# Plus the flags that are not ctkit's: `systemctl enable --now` in ctkit-monitor(8).
known_flags=$( (echo "$all_help"; echo --now) | LC_ALL=C sort -u)
for page in man1/ctkit.1.gz man5/ctkit-hooks.5.gz man8/ctkit-monitor.8.gz; do
  path=$prefix/share/man/$page
  step "man --warnings -l $page"
  LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$path" >"$tmp/page.txt" 2>"$tmp/warnings.txt" ||
    { cat "$tmp/warnings.txt" >&2; fail "man -l $page failed"; }
  [ ! -s "$tmp/warnings.txt" ] || { cat "$tmp/warnings.txt" >&2; fail "man -l $page warns"; }
  grep -q '^SEE ALSO' "$tmp/page.txt" || fail "$page renders without its SEE ALSO section"
  unknown=$(LC_ALL=C comm -23 <(page_flags "$path") <(echo "$known_flags"))
  [ -z "$unknown" ] || fail "$page names flags no ctkit --help has: $(echo $unknown)"
done
undocumented=$(LC_ALL=C comm -23 <(help_flags monitor | grep -vx -- --help) \
  <(page_flags "$prefix/share/man/man8/ctkit-monitor.8.gz"))
[ -z "$undocumented" ] ||
  fail "ctkit-monitor(8) does not describe these flags of ctkit monitor --help: $(echo $undocumented)"
for code in 0 1 2 3; do
  gzip -dc "$prefix/share/man/man1/ctkit.1.gz" | sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' |
    grep -qx "\\\\fB$code\\\\fR" || fail "ctkit(1) EXIT STATUS does not list exit code $code"
done

# --- 3. the systemd unit ----------------------------------------------------------------------
unit=$prefix/lib/systemd/system/ctkit-monitor.service
source_unit=$source/packaging/ctkit-monitor.service
sed "s|^ExecStart=/usr/bin/ctkit |ExecStart=$prefix/bin/ctkit |" "$source_unit" |
  cmp -s - "$unit" ||
  fail "the installed unit is not packaging/ctkit-monitor.service with ExecStart=$prefix/bin/ctkit"
step "systemd-analyze verify $unit"
# MANPATH: so that Documentation=man:ctkit-monitor(8) is found among the installed pages.
MANPATH=$prefix/share/man systemd-analyze verify "$unit" >"$tmp/verify.txt" 2>&1 ||
  { cat "$tmp/verify.txt" >&2; fail "systemd-analyze verify failed"; }
[ ! -s "$tmp/verify.txt" ] || { cat "$tmp/verify.txt" >&2; fail "systemd-analyze verify warns"; }
for setting in 'ExecStart=/usr/bin/ctkit monitor \' 'DynamicUser=yes' 'StateDirectory=ctkit' \
    'ConfigurationDirectory=ctkit' 'Restart=on-abnormal' '    --start-at-end \' \
    '    --http ${CTKIT_HTTP} \' 'Environment=CTKIT_HTTP=127.0.0.1:8080' 'ProtectSystem=strict' \
    'NoNewPrivileges=yes'; do
  grep -qxF -- "$setting" "$source_unit" || fail "the unit has no line '$setting'"
done
# The watchlist, hooks.d, email_recipients and the database come from ConfigurationDirectory= and
# StateDirectory= (docs/monitor.md, "Configuration directory"): a path given again would drift.
if grep -qE -- '^[[:space:]]+--(watchlist|db|config-dir)( |$)' "$source_unit"; then
  fail "the unit's ExecStart names --watchlist, --db or --config-dir: the directories give them"
fi
grep -q '^WantedBy=multi-user.target$' "$source_unit" || fail "the unit cannot be enabled"
# ExecCondition: exit 0 runs the monitor, 1..254 skips the start (systemd.service(5)).
condition=$(sed -n 's/^ExecCondition=//p' "$source_unit")
[ -n "$condition" ] || fail "the unit has no ExecCondition"
watchlist=$tmp/watchlist  # mktemp -d: no space or quote in it, so eval below is safe
check_condition() {  # WATCHLIST_CONTENT|- (missing)  run|skip
  local status=0
  rm -f "$watchlist"
  [ "$1" = - ] || printf '%b' "$1" >"$watchlist"
  eval "${condition//\/etc\/ctkit\/watchlist/$watchlist}" 2>/dev/null || status=$?
  if [ "$2" = run ] && [ "$status" -ne 0 ]; then
    fail "ExecCondition skips the start for the watchlist '$1' (exit $status)"
  elif [ "$2" = skip ] && { [ "$status" -lt 1 ] || [ "$status" -gt 254 ]; }; then
    fail "ExecCondition does not skip the start for the watchlist '$1' (exit $status)"
  fi
}
check_condition - skip
check_condition '' skip
check_condition '# nothing yet\n\n   \n  # still nothing\n' skip
check_condition '.example.com\n' run
check_condition '# ours\n  shop.example.net  # exactly this\n' run

# --- 4. the Debian package --------------------------------------------------------------------
step "cpack -G DEB (dpkg-shlibdeps)"
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/deb" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; fail "cpack failed"; }
debs=("$tmp"/deb/ctkit_"$version"-*_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] ||
  { ls -l "$tmp/deb" >&2; fail "cpack made no single ctkit_${version}-*_*.deb"; }
deb=${debs[0]}
step "dpkg-deb -f/-c $(basename "$deb")"
[ "$(dpkg-deb -f "$deb" Package)" = ctkit ] || fail "Package is not ctkit"
[ "$(dpkg-deb -f "$deb" Version)" = "$version-1" ] || fail "Version is not $version-1"
[ "$(dpkg-deb -f "$deb" Architecture)" = "$(dpkg --print-architecture)" ] ||
  fail "Architecture is not $(dpkg --print-architecture)"
for field in Maintainer Section Description; do
  [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "the .deb has no $field"
done
depends=$(dpkg-deb -f "$deb" Depends)
step "Depends: $depends"
libraries="libc6 libstdc++6 libssl3 libcurl4 libsqlite3-0 libmicrohttpd12 libidn2-0 zlib1g"
if "$ctkit" --version | grep -q '^malloc: jemalloc'; then libraries+=" libjemalloc2"; fi
depends_names=$(tr ',|' '\n\n' <<<"$depends" | awk '{print $1}')
for library in $libraries; do
  grep -qxF -- "$library" <<<"$depends_names" ||
    fail "Depends lacks $library (dpkg-shlibdeps did not run?): $depends"
done
dpkg-deb -c "$deb" >"$tmp/contents.txt"
bad_owner=$(awk '$2 != "root/root"' "$tmp/contents.txt")
[ -z "$bad_owner" ] || fail "files in the .deb not owned by root: $bad_owner"
outside=$(awk '{print $6}' "$tmp/contents.txt" | grep -v '^\./usr/' || true)
[ -z "$outside" ] || fail "files in the .deb outside /usr: $outside"
deb_files=$(awk '$1 !~ /^d/ {print $6}' "$tmp/contents.txt" | sed 's|^\./usr/||' | LC_ALL=C sort)
if [ "$deb_files" != "$expected_files" ]; then
  diff <(echo "$expected_files") <(echo "$deb_files") >&2 || true
  fail "the .deb's files differ from the expected list under /usr (< expected, > in the .deb)"
fi
grep -q '^-rwxr-xr-x root/root .* \./usr/bin/ctkit$' "$tmp/contents.txt" ||
  fail "/usr/bin/ctkit in the .deb is not mode 0755"
dpkg-deb -x "$deb" "$tmp/root"
cmp -s "$source_unit" "$tmp/root/usr/lib/systemd/system/ctkit-monitor.service" ||
  fail "the .deb's unit is not packaging/ctkit-monitor.service as it is"
[ "$("$tmp/root/usr/bin/ctkit" --version | head -n 1)" = "ctkit $version" ] ||
  fail "the .deb's ctkit does not run --version"
[ ! -e "$tmp/root/etc" ] || fail "the .deb ships files in /etc"

echo "packaging_test: OK"
