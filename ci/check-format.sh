#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Check (never change) the formatting of the C sources in stack/ pcap/
# tools/ fuzz/ examples/ against the root .clang-format (STYLE.md §17).
# Lists every file clang-format would change; exit 1 if there is any.
# See one file's diff: clang-format --dry-run FILE; fix it: clang-format -i FILE.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

command -v clang-format >/dev/null || { echo "check-format: clang-format not found (ci/deps.sh installs it)" >&2; exit 2; }

dirs=()
for d in stack pcap tools fuzz examples; do [ -d "$d" ] && dirs+=("$d"); done
[ ${#dirs[@]} -gt 0 ] || { echo "check-format: no sources"; exit 0; }
mapfile -t files < <(find "${dirs[@]}" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)

flagged=()
for f in "${files[@]}"; do
    clang-format --style=file --dry-run -Werror "$f" >/dev/null 2>&1 || flagged+=("$f")
done

if [ ${#flagged[@]} -gt 0 ]; then
    printf '  %s\n' "${flagged[@]}"
    echo "check-format: ${#flagged[@]} of ${#files[@]} files not formatted (clang-format -i FILE fixes one)"
    exit 1
fi
echo "check-format: ok (${#files[@]} files)"
