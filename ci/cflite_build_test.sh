#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The ClusterFuzzLite / OSS-Fuzz build contract, checked locally: run
# .clusterfuzzlite/build.sh as the infrastructure would (only CC, CXX,
# CFLAGS, CXXFLAGS, LIB_FUZZING_ENGINE, SRC and OUT set: the rest of the
# environment is cleared with env -i, PATH and HOME kept), then check $OUT:
# every target the build lists is there and executable, runs one seed
# (-runs=1), and has its <t>_seed_corpus.zip (non-empty, unzip -t),
# <t>.dict and <t>.options ([libfuzzer], dict, max_len).
#   ci/cflite_build_test.sh [WORK_DIR]
# SRC is WORK_DIR/src with ikeharness -> this tree (a symlink, so the
# build tree build/cflite inside it persists and a rerun is incremental);
# OUT is a fresh WORK_DIR/out. Exit 0 pass, 1 a check failed, 2 the build
# failed or a tool is missing.
set -uo pipefail
tree=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$tree/build/cflite-test}
for tool in clang clang++ cmake ninja zip unzip; do
  command -v "$tool" >/dev/null || { echo "cflite: $tool missing" >&2; exit 2; }
done
rm -rf "$work/out" "$work/src"
mkdir -p "$work/out" "$work/src"
ln -s "$tree" "$work/src/ikeharness"
t0=$SECONDS
if ! env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    CC=clang CXX=clang++ \
    CFLAGS="-fsanitize=address,fuzzer-no-link -g" \
    CXXFLAGS="-fsanitize=address,fuzzer-no-link -g" \
    LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
    SRC="$work/src" OUT="$work/out" \
    bash "$tree/.clusterfuzzlite/build.sh" >"$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log"
  echo "cflite: build.sh failed (log: $work/build.log)" >&2
  exit 2
fi
echo "cflite: build.sh took $((SECONDS - t0))s"
out=$work/out
list=$tree/build/cflite/fuzz/fuzz_targets.txt
fail=0
n=0
bad() { echo "FAIL: $*"; fail=1; }
while read -r t c; do
  [ -n "$t" ] || continue
  n=$((n + 1))
  [ -x "$out/$t" ] || { bad "$t: no executable"; continue; }
  zipf=$out/${t}_seed_corpus.zip
  if [ -s "$zipf" ] && unzip -tq "$zipf" >/dev/null; then
    one=$(unzip -Z1 "$zipf" | head -n 1)
    mkdir -p "$work/one/$t"
    unzip -oq "$zipf" "$one" -d "$work/one/$t"
    if ! ASAN_OPTIONS=detect_leaks=1 "$out/$t" -runs=1 \
        "$work/one/$t/$one" >"$work/$t.run.log" 2>&1; then
      bad "$t: -runs=1 on $one failed (log: $work/$t.run.log)"
    fi
  else
    bad "$t: no usable ${t}_seed_corpus.zip"
  fi
  [ -s "$out/$t.dict" ] || bad "$t: no $t.dict"
  opts=$out/$t.options
  if [ -f "$opts" ]; then
    grep -qx '\[libfuzzer\]' "$opts" || bad "$t.options: no [libfuzzer]"
    grep -qx "dict = $t.dict" "$opts" || bad "$t.options: no dict line"
    grep -Eqx 'max_len = [0-9]+' "$opts" || bad "$t.options: no max_len"
  else
    bad "$t: no $t.options"
  fi
done <"$list"
# the sources decide the targets: each fuzz/fuzz_*.c is one
for src in "$tree"/fuzz/fuzz_*.c; do
  t=$(basename "$src" .c)
  grep -q "^$t " "$list" || bad "$t: not built"
done
[ "$n" -gt 0 ] || bad "no targets listed in $list"
echo "cflite: $n targets checked in $((SECONDS - t0))s"
exit $fail
