#!/usr/bin/env bash
# Installs those of the given Debian packages that are not installed yet: a no-op when all are.
# Uses sudo only when not root. Shared by scripts/install-deps.sh and scripts/install-test-deps.sh.
#
# Usage: scripts/apt-install-missing.sh CALLER_NAME PACKAGE...
set -euo pipefail
caller=$1
shift

missing=()
for p in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "$caller: installing ${missing[*]}" >&2
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
