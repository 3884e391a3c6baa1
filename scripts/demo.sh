#!/usr/bin/env bash
# The end-to-end demo `make demo` runs: offline, in a scratch directory, printing each command
# it runs so it doubles as a tutorial. It grows as ctkit grows (DESIGN.md, "The demo").
# Usage: scripts/demo.sh PATH_TO_CTKIT
set -euo pipefail

ctkit=$(realpath "${1:-build/ctkit}")
testdata=$(realpath "$(dirname "$0")/../testdata")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

bold=""; reset=""
if [ -t 1 ]; then bold=$'\e[1m'; reset=$'\e[0m'; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$reset"; }
run() { printf '$ %s\n' "$*" >&2; "$@"; }
# Runs a command that must fail with the given exit code.
run_expect() {
  local want=$1; shift
  printf '$ %s\n' "$*"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "demo: expected exit code $want, got $rc" >&2
    exit 1
  fi
  echo "(exit code $rc, as expected)"
}

step "Is this certificate properly logged? github.com's 2016 certificate carries three SCTs."
run "$ctkit" verify --policy none --issuer "$testdata/sct/realworld/github.com-2016/issuer.pem" \
  "$testdata/sct/realworld/github.com-2016/leaf.der"

step "Judged by Chrome's policy as of 2017, with the logs' states from the log list."
run_expect 1 "$ctkit" verify --policy chrome --at 2017-06-01T00:00:00Z \
  --issuer "$testdata/sct/realworld/github.com-2016/issuer.pem" \
  "$testdata/sct/realworld/github.com-2016/leaf.der"
echo "(The compiled-in list knows these logs only as rejected since 2022-23, not their earlier"
echo " states, so ctkit cannot count them: it fails safe rather than guess.)"

step "One bit flipped in an embedded SCT: that SCT fails, the other still verifies."
run_expect 1 "$ctkit" verify --policy none --issuer "$testdata/sct/realworld/cryptography.io-2018/issuer.pem" \
  "$testdata/malformed/cryptography.io-embedded-sct-tampered.der"

step "A log is a Merkle tree of entries (RFC 6962 §2.1). Make 7 entries and build the tree."
for i in 1 2 3 4 5 6 7; do printf 'certificate entry %d' "$i" > "entry$i.bin"; done
run "$ctkit" tree entry1.bin entry2.bin entry3.bin entry4.bin entry5.bin entry6.bin entry7.bin

step "The log proves entry 5 (index 4) is in the tree: an inclusion proof."
run "$ctkit" tree --format json --prove-inclusion 4 entry*.bin | tee inclusion.json
run "$ctkit" proof inclusion --json inclusion.json

step "A verifier that holds the entry itself checks it against the same proof."
root=$(python3 -c 'import json;print(json.load(open("inclusion.json"))["root_hash"])')
proof=$(python3 -c 'import json;print(",".join(json.load(open("inclusion.json"))["audit_path"]))')
run "$ctkit" proof inclusion --leaf-data entry5.bin --index 4 --tree-size 7 --root "$root" --proof "$proof"

step "A tampered entry does not verify (exit code 1)."
printf 'certificate entry 5, altered' > forged.bin
run_expect 1 "$ctkit" proof inclusion --leaf-data forged.bin --index 4 --tree-size 7 --root "$root" --proof "$proof"

step "The log grew from 3 to 7 entries: a consistency proof shows it only appended."
run "$ctkit" tree --format json --prove-consistency 3 entry*.bin | tee consistency.json
run "$ctkit" proof consistency --json consistency.json --format json

step "A log that rewrote history (entry 2 changed) cannot prove consistency with its old root."
old_root=$(python3 -c 'import json;print(json.load(open("consistency.json"))["old_root"])')
printf 'rewritten entry 2' > entry2.bin
run "$ctkit" tree --format json --prove-consistency 3 entry*.bin > forked.json
run_expect 1 "$ctkit" proof consistency --json forked.json --old-root "$old_root"

step "Done: every proof checked, every forgery caught."
