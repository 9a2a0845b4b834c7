#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Print the current golden hashes (STYLE.md §14) for when they change on
# purpose: builds the golden tests in BUILD_DIR (default build/golden),
# runs each with IKH_GOLDEN_PRINT=1 and prints its "GOLDEN <test> <name>
# <sha256>" lines. It changes no file: paste the new values into the
# test's pinned constants and say why in the commit.
# The scenario hashes (stack/tests/golden/scenarios.sha256, one line per
# scenario and file) are printed too; with --write that file is rewritten.
# Usage: ci/golden-update.sh [--write] [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
write=0
if [ "${1:-}" = --write ]; then write=1; shift; fi
build=${1:-build/golden}
cmake -S . -B "$build" -G Ninja -DIKH_DOCS=OFF >/dev/null || exit 2
targets=$(find stack/tests -maxdepth 1 -name 'test_golden_*.c' -printf '%f\n' | sed 's/\.c$//' | LC_ALL=C sort)
[ -n "$targets" ] || { echo "golden-update: no golden tests"; exit 2; }
# shellcheck disable=SC2086
cmake --build "$build" --target $targets ikeharness >/dev/null || exit 2
rc=0
for t in $targets; do
    out=$(IKH_GOLDEN_PRINT=1 IKH_SOURCE_DIR=$PWD IKH_BINARY_DIR=$PWD/$build \
        "$build/stack/$t" 2>&1)
    if ! grep '^GOLDEN ' <<<"$out"; then
        echo "golden-update: $t printed no GOLDEN line:" >&2
        printf '%s\n' "$out" | tail -20 >&2
        rc=1
    fi
done
golden=stack/tests/golden/scenarios.sha256
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
    echo "# SHA-256 of each shipped scenario's capture.pcap, events.jsonl and"
    echo "# metrics.json at its own seed (golden_<name> tests). Only"
    echo "# ci/golden-update.sh --write changes this file."
} >"$tmp"
work=$(mktemp -d)
for f in $(find corpus/scenarios -maxdepth 1 -name '*.yaml' ! -name example-full.yaml | LC_ALL=C sort); do
    if ! python3 tools/tests/scenario_check.py golden --print --exe "$build/tools/ikeharness" \
        --scenario "$f" --work "$work" >>"$tmp"; then
        echo "golden-update: $f did not run" >&2
        rc=1
    fi
done
rm -rf "$work"
if [ $write = 1 ]; then
    cp "$tmp" "$golden"
    echo "golden-update: wrote $golden"
else
    cat "$tmp"
fi
exit $rc
