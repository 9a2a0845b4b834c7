#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What one execution of a fuzz target costs, on fixed inputs: the shipped
# inputs of the target (corpus/<t>/seed and regress), each read once and run
# R times, by the replay driver of the fuzz preset (clang, ASan + UBSan,
# SanitizerCoverage as in the fuzz binary: edges, and comparison tracing
# except in fuzz_ike_session's build; linked with libFuzzer's runtime so
# the coverage hooks are the fuzzing loop's own) and by the
# replay driver of the gcc preset (-O2, no sanitizer, no coverage), in the
# same run. Both time the target alone (IKH_REPLAY_REPEAT, fuzz/replay_main.c):
# no file reading, no mutation. A `ci/fuzz.sh` figure moves by a factor of
# three between runs with the inputs the fuzzer happens to keep; this one
# moves far less, so it is the figure to compare versions of the code with.
# Prints execs per second of both, the microseconds per execution and the
# ratio, and the issue's goal for the target; never fails on a time.
#
# Usage: bench/bench_fuzz_session.sh [--target T] [--runs R]
#   --target T  fuzz target (default fuzz_ike_session)
#   --runs R    executions of each input on each side (default 20)
# Needs the configured trees build/fuzz (ci/fuzz.sh or `cmake --preset
# fuzz`) and build/gcc (ci/build.sh gcc); builds the two replay drivers.
# Exit: 0 figures printed, 2 bad use or a binary missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
target=fuzz_ike_session
runs=20
while [ $# -gt 0 ]; do
  case $1 in
    --target|--runs) [ $# -ge 2 ] || { echo "bench_fuzz_session: $1 needs a value" >&2; exit 2; } ;;&
    --target) target=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench_fuzz_session: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case $runs in
  ''|*[!0-9]*|0) echo "bench_fuzz_session: --runs wants a positive number, got '$runs'" >&2; exit 2 ;;
esac
fz=$root/build/fuzz/fuzz/${target}_replay
plain=$root/build/gcc/fuzz/${target}_replay
# both replay drivers are brought up to date first (ci/fuzz.sh builds only
# the fuzz binaries, and a stale driver would time old code)
for tree in fuzz gcc; do
  if [ ! -f "$root/build/$tree/build.ninja" ] && [ ! -f "$root/build/$tree/Makefile" ]; then
    echo "bench_fuzz_session: build/$tree is not configured (cmake --preset $tree)" >&2
    exit 2
  fi
  if ! cmake --build "$root/build/$tree" --target "${target}_replay" >/dev/null 2>&1; then
    echo "bench_fuzz_session: cannot build ${target}_replay in build/$tree (cmake --build build/$tree --target ${target}_replay shows why)" >&2
    exit 2
  fi
done
for b in "$fz" "$plain"; do
  if [ ! -x "$b" ]; then
    echo "bench_fuzz_session: $b is missing after the build" >&2
    exit 2
  fi
done
inputs=()
for d in "$root/corpus/$target/seed" "$root/corpus/$target/regress"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    [ -f "$f" ] && [ "$(basename "$f")" != README.md ] && inputs+=("$f")
  done
done
if [ ${#inputs[@]} -eq 0 ]; then
  echo "bench_fuzz_session: no inputs under corpus/$target/{seed,regress}" >&2
  exit 2
fi
n=$(( ${#inputs[@]} * runs ))

# "replay: N inputs, E executions, T ms in the target, U us per execution"
us_per_exec() {
  local out
  if ! out=$(IKH_REPLAY_REPEAT=$runs "$1" "${inputs[@]}" 2>/dev/null); then
    echo "bench_fuzz_session: $1 failed on the shipped inputs (run it by hand to see why)" >&2
    exit 2
  fi
  out=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9.]*\) us per execution$/\1/p')
  if [ -z "$out" ]; then
    echo "bench_fuzz_session: $1 printed no timing (an old replay driver? rebuild it)" >&2
    exit 2
  fi
  echo "$out"
}
fz_us=$(us_per_exec "$fz")
pl_us=$(us_per_exec "$plain")

goal=""
case $target in
  fuzz_ike_session) goal=10000 ;; # fuzz_wire's inputs are so small that
esac                                 # reading the files would dominate here
python3 - "$target" "${#inputs[@]}" "$runs" "$n" "$fz_us" "$pl_us" "$goal" <<'EOF'
import sys
t, ninp, runs, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
fz, pl = float(sys.argv[5]), float(sys.argv[6])
goal = sys.argv[7]
print(f"{t}: {ninp} shipped inputs x {runs} runs = {n} executions per side (target time only)")
print(f"  fuzz preset (ASan+UBSan+coverage)    : {1e6 / fz:>9,.0f} exec/s  {fz:8.1f} us/exec")
print(f"  plain gcc -O2 replay driver          : {1e6 / pl:>9,.0f} exec/s  {pl:8.1f} us/exec")
print(f"  instrumented / plain time            : {fz / pl:9.1f}x")
if goal:
    g = int(goal)
    print(f"  goal (fuzzing loop, one core)        : {g:>9,} exec/s; these fixed inputs reach "
          f"{1e6 / fz / g:.2f} of it instrumented, {1e6 / pl / g:.2f} of it plain")
EOF
