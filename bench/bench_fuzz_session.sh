#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What one execution of a fuzz target costs, on fixed inputs: the shipped
# inputs of the target (corpus/<t>/seed and regress) run R times each in one
# process by the libFuzzer build (preset fuzz: clang, ASan + UBSan,
# SanitizerCoverage with comparison tracing; libFuzzer's `-runs=R FILE...`
# mode, which runs the target without mutating), against the same inputs
# run the same number of times by the plain replay driver of the gcc preset
# (-O2, no sanitizer, no coverage) in the same run. A `ci/fuzz.sh` figure
# moves by a factor of three between runs with the inputs the fuzzer happens
# to keep; this one moves far less, so it is the figure to compare versions
# of the code with. Prints execs per second of both, the microseconds per
# execution and the ratio, and the issue's goal for the target; never
# fails on a time.
#
# Usage: bench/bench_fuzz_session.sh [--target T] [--runs R]
#   --target T  fuzz target (default fuzz_ike_session)
#   --runs R    executions of each input on each side (default 20)
# Needs build/fuzz (ci/fuzz.sh or `cmake --preset fuzz && cmake --build
# build/fuzz`) and build/gcc (ci/build.sh gcc).
# Exit: 0 figures printed, 2 bad use or a binary missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
target=fuzz_ike_session
runs=20
while [ $# -gt 0 ]; do
  case $1 in
    --target) target=${2:?--target needs a name}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    -h|--help) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench_fuzz_session: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case $runs in
  ''|*[!0-9]*|0) echo "bench_fuzz_session: --runs wants a positive number, got '$runs'" >&2; exit 2 ;;
esac
fz=$root/build/fuzz/fuzz/$target
plain=$root/build/gcc/fuzz/${target}_replay
for b in "$fz" "$plain"; do
  if [ ! -x "$b" ]; then
    echo "bench_fuzz_session: $b is missing (build the presets fuzz and gcc)" >&2
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

now() { date +%s.%N; }

t0=$(now)
if ! "$fz" -runs="$runs" "${inputs[@]}" >/dev/null 2>&1; then
  echo "bench_fuzz_session: $fz failed on the shipped inputs (run it by hand to see why)" >&2
  exit 2
fi
t1=$(now)
# the replay driver runs each argument once: give it the list R times
rep=()
for ((k = 0; k < runs; k++)); do rep+=("${inputs[@]}"); done
if ! "$plain" "${rep[@]}" >/dev/null 2>&1; then
  echo "bench_fuzz_session: $plain failed on the shipped inputs" >&2
  exit 2
fi
t2=$(now)

goal=""
case $target in
  fuzz_ike_session) goal=10000 ;; # fuzz_wire's inputs are so small that
esac                                 # reading the files would dominate here
python3 - "$target" "${#inputs[@]}" "$runs" "$n" "$t0" "$t1" "$t2" "$goal" <<'EOF'
import sys
t, ninp, runs, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
t0, t1, t2 = (float(x) for x in sys.argv[5:8])
goal = sys.argv[8]
fz, pl = t1 - t0, t2 - t1
print(f"{t}: {ninp} shipped inputs x {runs} runs = {n} executions per side")
print(f"  libFuzzer build (ASan+UBSan+coverage): {n / fz:>9,.0f} exec/s  {1e6 * fz / n:8.1f} us/exec")
print(f"  plain gcc -O2 replay driver          : {n / pl:>9,.0f} exec/s  {1e6 * pl / n:8.1f} us/exec")
print(f"  instrumented / plain time            : {fz / pl:9.1f}x")
if goal:
    g = int(goal)
    print(f"  goal (fuzzing loop, one core)        : {g:>9,} exec/s; these fixed inputs reach "
          f"{n / fz / g:.2f} of it instrumented, {n / pl / g:.2f} of it plain")
EOF
