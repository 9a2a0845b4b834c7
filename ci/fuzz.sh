#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CI fuzz job (every fuzz target under ASan + UBSan on a scratch copy
# of its seeds, failing on a crash or coverage below its floor): build the
# fuzz targets, run each for its budget, report.
#
# Usage: ci/fuzz.sh [--engine libfuzzer|afl] [--seconds N] [--jobs J]
#                   [--target T...] [--out DIR] [--no-coverage]
#   --engine     libfuzzer (default; preset `fuzz`: clang, ASan + UBSan) or
#                afl (preset `afl`: afl-clang-fast with ASan + UBSan,
#                persistent mode through the libFuzzer-style entry point,
#                plus a CmpLog build in build/afl-cmplog)
#   --seconds N  budget per target (default 60, or IKH_FUZZ_SECONDS); 0 runs
#                no fuzzer and reports the coverage of the shipped seeds
#   --jobs J     targets at once (default: number of CPUs)
#   --target T   only these targets (repeatable; default: every fuzz/fuzz_*.c)
#   --out DIR    run folder (default runs/fuzz-<engine>-<UTC time>)
#   --no-coverage  skip the llvm-cov line coverage report (preset coverage)
#
# Each target fuzzes a scratch copy of corpus/<t>/{seed,regress} in
# DIR/<t>/corpus (new coverage lands there, never in the repository); new
# crashes are minimised, deduplicated by the top stack frames and get a
# one-line reproducer (DIR/<t>/reproducers.txt). The run folder: junit.xml
# (one testcase per target), metrics.json and metrics.prom (execs, execs/s,
# coverage, corpus size, crashes), DIR/<t>/coverage.svg (coverage and
# execs/s over time), DIR/coverage/ (llvm-cov: report.txt, modules.txt,
# coverage.json, html/). A target below its floor in fuzz/floors.txt fails.
# The table printed at the end has the execs/s of every target; under it the
# speed goals (fuzz_wire, fuzz_ike_session), with what in the run differs
# from their measure (one core, ten minutes). DIR/index.html
# (ikeharness report) shows all of it as one page; its "Run it again" line is
# this command line as given (metrics.json "cmdline").
# Environment: IKH_FUZZ_SECONDS (default budget), IKH_FUZZ_BUILDROOT (where
#   the build trees go, default build: build/fuzz, build/afl,
#   build/afl-cmplog, build/coverage).
# Exit: 0 clean, 1 a crash, oracle failure or coverage below the floor,
# 2 the job could not run (build failed, a target without seeds, bad use).
set -euo pipefail
cd "$(dirname "$0")/.."

engine=libfuzzer
seconds=${IKH_FUZZ_SECONDS:-60}
jobs=$(nproc 2>/dev/null || echo 2)
out=""
coverage=1
targets=()
usage() { sed -n '3,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
# the command line as given, shell-quoted, for the report's "Run it again"
# (a budget from the environment is part of it)
cmdline=ci/fuzz.sh
[ -z "${IKH_FUZZ_SECONDS:-}" ] || cmdline="IKH_FUZZ_SECONDS=$(printf '%q' "$IKH_FUZZ_SECONDS") $cmdline"
[ $# -eq 0 ] || cmdline+=$(printf ' %q' "$@")
while [ $# -gt 0 ]; do
  case $1 in
    --engine|--seconds|--jobs|--target|--out)
      [ $# -ge 2 ] || { echo "ci/fuzz.sh: $1 needs a value (see --help)" >&2; exit 2; } ;;
  esac
  case $1 in
    --engine) engine=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-coverage) coverage=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ci/fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case $engine in libfuzzer|afl) ;; *) echo "ci/fuzz.sh: --engine: libfuzzer or afl, not '$engine'" >&2; exit 2 ;; esac
[[ $seconds =~ ^[0-9]+$ ]] || { echo "ci/fuzz.sh: --seconds: not a number: '$seconds'" >&2; exit 2; }
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "ci/fuzz.sh: --jobs: not a positive number: '$jobs'" >&2; exit 2; }
[ -n "$out" ] || out=runs/fuzz-$engine-$(date -u +%Y%m%dT%H%M%S)
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c)"); done
fi
for t in "${targets[@]}"; do
  [ -f "fuzz/$t.c" ] || { echo "ci/fuzz.sh: no target fuzz/$t.c" >&2; exit 2; }
done

bash ci/deps.sh >/dev/null
mkdir -p "$out" build/ci-logs
log=build/ci-logs/fuzz-build.log
broot=${IKH_FUZZ_BUILDROOT:-build}
# build PRESET DIR TARGET [ENV...]: configure a preset into DIR and build
# TARGET quietly; on failure show the log and stop with exit 2.
build() {
  local preset=$1 dir=$2 target=$3
  shift 3
  if ! { env "$@" cmake --preset "$preset" -B "$dir" && env "$@" cmake --build "$dir" --target "$target"; } >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "ci/fuzz.sh: build of preset $preset failed (log $log): no target ran" >&2
    exit 2
  fi
}

bdir=$broot/fuzz
cmplog=""
if [ "$engine" = libfuzzer ]; then
  build fuzz "$bdir" fuzz_all
else
  command -v afl-fuzz >/dev/null || { echo "ci/fuzz.sh: afl-fuzz not found (ci/deps.sh installs afl++)" >&2; exit 2; }
  bdir=$broot/afl
  build afl "$bdir" fuzz_all AFL_USE_ASAN=1 AFL_USE_UBSAN=1
  build afl "$broot/afl-cmplog" fuzz_all AFL_LLVM_CMPLOG=1
  cmplog=$broot/afl-cmplog
fi
covdir=""
if [ "$coverage" = 1 ]; then
  covdir=$broot/coverage
  build coverage "$covdir" fuzz_replay_all
fi

args=(--engine "$engine" --seconds "$seconds" --jobs "$jobs" --out "$out"
      --source "$PWD" --build "$bdir" --floors fuzz/floors.txt
      "--cmdline=$cmdline")
[ -z "$cmplog" ] || args+=(--cmplog-build "$cmplog")
[ -z "$covdir" ] || args+=(--coverage-build "$covdir")
rc=0
python3 fuzz/fuzzrun.py "${args[@]}" "${targets[@]}" || rc=$?
# the HTML page: ikeharness of the fuzz tree, or of the default preset's
# tree when the fuzz tree cannot link it (the afl tree: AFL_USE_ASAN objects
# need afl-clang-fast's own link); a page that cannot be drawn is a
# warning, not a verdict
if [ "$rc" -ne 2 ] && [ -f "$out/metrics.json" ]; then
  rep=""
  if cmake --build "$bdir" --target ikeharness >>"$log" 2>&1; then
    rep=$bdir/tools/ikeharness
  elif { cmake --preset default && cmake --build build/default --target ikeharness; } >>"$log" 2>&1; then
    rep=build/default/tools/ikeharness
  fi
  if [ -n "$rep" ]; then
    "$rep" report "$out" >/dev/null ||
      echo "ci/fuzz.sh: warning: ikeharness report could not write $out/index.html" >&2
  else
    echo "ci/fuzz.sh: warning: ikeharness built neither in $bdir nor in build/default (log $log): no index.html" >&2
  fi
fi
# the final line names only what the run left
have=()
for f in junit.xml metrics.json metrics.prom; do [ ! -e "$out/$f" ] || have+=("$f"); done
for t in "${targets[@]}"; do
  if [ -e "$out/$t/coverage.svg" ]; then have+=("<target>/coverage.svg"); break; fi
done
[ ! -d "$out/coverage" ] || have+=("coverage/")
[ ! -e "$out/index.html" ] || have+=("index.html")
if [ ${#have[@]} -gt 0 ]; then
  echo "ci/fuzz.sh: run folder $out ($(IFS=,; echo "${have[*]}" | sed 's/,/, /g'))" >&2
else
  echo "ci/fuzz.sh: run folder $out" >&2
fi
exit "$rc"
