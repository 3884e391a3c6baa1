#!/usr/bin/env bash
# Checks (default) or applies (--fix) the repository's .clang-format on every C++ source file:
# `make format-check`, which `make test` runs, and `make format`. One pinned clang-format
# (19, scripts/install-test-deps.sh), since versions format differently.
#
# Exit: 0 every file is formatted; 1 some file is not (each is named); 2 no clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."

clang_format=${CLANG_FORMAT:-clang-format-19}
if ! command -v "$clang_format" >/dev/null; then
  echo "format-check: $clang_format not found: run scripts/install-test-deps.sh" >&2
  exit 2
fi

# Every tracked C++ file plus new ones git does not ignore; outside a checkout, every file.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cc' '*.h' |
                       while read -r f; do [[ -f $f ]] && echo "$f"; done)
else
  mapfile -t files < <(find . -path './build*' -prune -o \( -name '*.cc' -o -name '*.h' \) -print)
fi

if [[ ${1:-} == --fix ]]; then
  printf '%s\0' "${files[@]}" | xargs -0 -P 2 -n 50 "$clang_format" -i
  exit 0
fi

unformatted=()
for f in "${files[@]}"; do
  if ! "$clang_format" --dry-run --Werror "$f" >/dev/null 2>&1; then unformatted+=("$f"); fi
done
if ((${#unformatted[@]})); then
  printf 'format-check: not formatted (make format fixes it): %s\n' "${unformatted[@]}" >&2
  echo "format-check: ${#unformatted[@]} of ${#files[@]} files not formatted" >&2
  exit 1
fi
echo "format-check: ${#files[@]} files formatted"
