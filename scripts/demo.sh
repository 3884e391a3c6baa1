#!/usr/bin/env bash
# The end-to-end demo `make demo` runs (README.md, "Two commands"): offline, in a scratch directory,
# printing each command it runs so it doubles as a tutorial. It grows as ctkit grows.
# Usage: scripts/demo.sh PATH_TO_CTKIT
set -euo pipefail

ctkit=$(realpath "${1:-build/ctkit}")
testdata=$(realpath "$(dirname "$0")/../testdata")
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

bold=""; reset=""
if [ -t 1 ]; then bold=$'\e[1m'; reset=$'\e[0m'; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$reset"; }
run() { printf '$ %s\n' "$*" >&2; "$@"; }
# Runs a command that must fail with the given exit code.
run_expect() {
  local want=$1; shift
  printf '$ %s\n' "$*" >&2
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "demo: expected exit code $want, got $rc" >&2
    exit 1
  fi
  echo "(exit code $rc, as expected)"
}
# Starts a log in the background and sets $url to its address.
start_log() {
  local name=$1
  run "$ctkit" log keygen --out "$name.key"
  printf '$ %s\n' "$ctkit log serve --key $name.key --db $name.db --listen 127.0.0.1:0 --accept-any-root &" >&2
  "$ctkit" log serve --key "$name.key" --db "$name.db" --listen 127.0.0.1:0 --accept-any-root --mmd 1 > "$name.out" 2> "$name.log" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q '^listening on' "$name.out" 2>/dev/null && break
    sleep 0.1
  done
  url="http://$(sed -n 's/^listening on //p' "$name.out")/"
  echo "$name is at $url"
}

step "1. Two local CT logs start, run by two operators, and a log list names them."
start_log alpha; alpha=$url
start_log beta; beta=$url
run "$ctkit" log make-list --out logs.json \
  --log "operator=Alpha Logs,url=$alpha,key=alpha.key,description=Alpha 2026" \
  --log "operator=Beta Logs,url=$beta,key=beta.key,description=Beta 2026"

step "2. Example Corp CA issues two certificates with CT logging and one with CT logging disabled."
run "$ctkit" ca init --dir example-ca --name "Example Corp CA" --log "$alpha" --log "$beta" --log-list logs.json
run "$ctkit" ca issue --dir example-ca --name www.example.com --out www.pem
run "$ctkit" ca issue --dir example-ca --name api.example.com --out api.pem
run "$ctkit" ca issue --dir example-ca --name payments.internal.example.com --ct-logging disabled --out payments.pem

step "3. ctkit verify: the logged certificates carry valid SCTs from both logs and meet Chrome's and Apple's policies."
run "$ctkit" verify --log-list logs.json www.pem api.pem
echo "The opted-out certificate carries no SCTs, as its owner chose:"
run_expect 1 "$ctkit" verify --log-list logs.json --policy chrome payments.pem

step "4. The logs prove it: www.example.com's precertificate is in both logs' signed trees."
sleep 1.2  # one maximum merge delay (--mmd 1)
run "$ctkit" log inclusion --log "$alpha" --log-list logs.json --cert www.pem
run "$ctkit" log sth --log "$beta" --log-list logs.json --out beta-head.json
run "$ctkit" ca issue --dir example-ca --name shop.example.com --out shop.pem
sleep 1.2
run "$ctkit" log consistency --log "$beta" --log-list logs.json --old-sth beta-head.json

step "5. The CA's inventory records every issuance and its CT choice."
run "$ctkit" ca inventory --dir example-ca

step "6. A Rogue CA, unknown to Example Corp, issues login.example.com and logs it."
run "$ctkit" ca init --dir rogue-ca --name "Rogue CA" --log "$alpha" --log-list logs.json
run "$ctkit" ca issue --dir rogue-ca --name login.example.com --min-logs 1 --out rogue.pem

step "7. ctkit monitor watches .example.com with Example Corp's inventory: it proves every entry of both logs and flags exactly one certificate."
printf '# Example Corp watches its whole domain\n.example.com\n' > watchlist.txt
run "$ctkit" ca inventory --dir example-ca > example-inventory.jsonl
sleep 1.2  # one maximum merge delay: the rogue entry is in the tree
run_expect 1 "$ctkit" monitor --once --watchlist watchlist.txt --db monitor.db --log-list logs.json \
  --inventory example-inventory.jsonl --stdout > alerts.jsonl
cat alerts.jsonl
alerts=$(grep -c '"event"' alerts.jsonl || true)
rogue=$(grep -c '"event":"unexpected_cert".*login.example.com' alerts.jsonl || true)
if [ "$alerts" -ne 1 ] || [ "$rogue" -ne 1 ]; then
  echo "demo: expected exactly one alert, for login.example.com; got $alerts" >&2
  exit 1
fi
run "$ctkit" monitor query --db monitor.db --domain example.com
run "$ctkit" monitor status --db monitor.db
echo "A second run finds nothing new and raises nothing again:"
run "$ctkit" monitor --once --watchlist watchlist.txt --db monitor.db --log-list logs.json \
  --inventory example-inventory.jsonl --stdout

echo "A certspotter user's directory works as it is: its watchlist, and a hook in hooks.d that reads"
echo "certspotter's variables and JSON file (CERT_FILENAME is the PEM chain, state goes to DIR/state):"
mkdir -p certspotter/hooks.d
cp watchlist.txt certspotter/watchlist
cat > certspotter/hooks.d/notify <<'HOOK'
#!/bin/sh
names=$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["dns_names"]))' "$JSON_FILENAME")
echo "$EVENT for $WATCH_ITEM: dns_names=$names tbs_sha256=$TBS_SHA256 not_after=$NOT_AFTER_RFC3339" >> "$(dirname "$0")/../hook.out"
echo "  chain: $(grep -c 'BEGIN CERTIFICATE' "$CERT_FILENAME") certificates in $CERT_FILENAME" >> "$(dirname "$0")/../hook.out"
HOOK
chmod +x certspotter/hooks.d/notify
run_expect 1 "$ctkit" monitor --once --config-dir certspotter --log-list logs.json \
  --inventory example-inventory.jsonl
cat certspotter/hook.out
grep -q '^discovered_cert for .example.com: dns_names=login.example.com ' certspotter/hook.out ||
  { echo "demo: the certspotter hook did not see login.example.com" >&2; exit 1; }

step "8. ctkit audit, the CI check: every issued certificate is logged as promised (inclusion proven online), or opted out by choice."
run "$ctkit" audit www.pem api.pem shop.pem payments.pem --inventory example-inventory.jsonl \
  --log-list logs.json --policy chrome --online
run "$ctkit" audit www.pem api.pem shop.pem payments.pem --inventory example-inventory.jsonl \
  --log-list logs.json --policy chrome --format junit > audit.xml
echo "audit.xml: $(grep -c '<testcase' audit.xml) JUnit test cases for the CI's test report"
echo "The rogue certificate fails the same check (an unexpected issuer):"
run_expect 1 "$ctkit" audit rogue.pem --log-list logs.json --policy none \
  --expect-issuer example-ca/intermediate.pem

step "9. A real certificate from 2016: github.com, three SCTs from the logs of that time."
run "$ctkit" verify --policy none --issuer "$testdata/sct/realworld/github.com-2016/issuer.pem" \
  "$testdata/sct/realworld/github.com-2016/leaf.der"

step "10. One bit flipped in an embedded SCT: that SCT fails, the other still verifies."
run_expect 1 "$ctkit" verify --policy none --issuer "$testdata/sct/realworld/cryptography.io-2018/issuer.pem" \
  "$testdata/malformed/cryptography.io-embedded-sct-tampered.der"

step "11. Logs are Merkle trees (RFC 6962 §2.1): proofs show an entry is in a tree, and that a log only appended."
for i in 1 2 3 4 5 6 7; do printf 'entry %d' "$i" > "entry$i.bin"; done
run "$ctkit" tree --format json --prove-inclusion 4 entry*.bin > inclusion.json
run "$ctkit" proof inclusion --json inclusion.json
run "$ctkit" tree --format json --prove-consistency 3 entry*.bin > consistency.json
run "$ctkit" proof consistency --json consistency.json
printf 'entry 5, altered' > forged.bin
root=$(python3 -c 'import json;print(json.load(open("inclusion.json"))["root_hash"])')
proof=$(python3 -c 'import json;print(",".join(json.load(open("inclusion.json"))["audit_path"]))')
run_expect 1 "$ctkit" proof inclusion --leaf-data forged.bin --index 4 --tree-size 7 --root "$root" --proof "$proof"

step "Done: logs, a CA with CT opt-out, verification, monitoring and the CI audit, all offline."
