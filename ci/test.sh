#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole CI test suite, the same on a laptop as in CI (.ci/run calls it):
#   deps            ci/deps.sh (quiet no-op when everything is installed)
#   check-includes  the sans-I/O boundary (STYLE.md §4, §8)
#   check-format    every C file as the root .clang-format wants it (§17)
#   asan-*          gcc Debug + ASan/UBSan: configure, build, every CTest test
#   docs            Doxygen over the public headers; any warning fails
#   gcc-*           gcc -Werror build (no tests: asan ran them with gcc)
#   clang-*         clang -Werror build, the quick `unit` tests, the
#                   `golden` tests (same hashes as gcc: determinism across
#                   compilers) and `fuzz-regress` (seed and regress inputs
#                   of every fuzz target, replayed by the plain driver)
#   fuzz-smoke      ci/fuzz.sh: every fuzz target 30 s under libFuzzer
#                   (ASan + UBSan), coverage floors, the llvm-cov report
#                   (run folder build/fuzz-smoke)
#   fuzzrun-crash   the fuzz job's crash path: a target that crashes on
#                   purpose gets a minimised crash, a reproducer, a junit
#                   failure and exit 1 (fuzz/tests/test_fuzzrun_crash.py)
#   bench-fuzz      bench/bench_fuzz_session.sh: what one fuzz_ike_session
#                   execution costs on the shipped inputs, instrumented and
#                   plain (figures only; keeps the benchmark working)
#   report-browser-fuzz  the fuzz-smoke run's HTML page in headless Chromium
#                   (the other kinds' pages: CTest label browser)
#   guide-*         the user guide's fuzz, demo and AFL++ commands
# Every stage runs even when an earlier one failed (except what depends on
# it), so one CI run shows every problem. Configure/build output goes to
# build/ci-logs/<stage>.log and is shown only on failure; test output and
# CTest's summary are always shown. Exit status: 0 when every stage passed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

jobs=$(nproc 2>/dev/null || echo 2)
logdir=build/ci-logs
mkdir -p "$logdir"
results=()
failed=()
start_all=$SECONDS

# stage NAME quiet|loud CMD... : run CMD as one named stage. quiet keeps the
# output in the log and prints its tail on failure; loud also streams it.
stage() {
    local name=$1 mode=$2 log="$logdir/$1.log" t0=$SECONDS rc dt
    shift 2
    echo "==> [$name] $*"
    if [ "$mode" = loud ]; then
        "$@" 2>&1 | tee "$log"
        rc=${PIPESTATUS[0]}
    else
        "$@" >"$log" 2>&1
        rc=$?
    fi
    dt=$((SECONDS - t0))
    if [ "$rc" -eq 0 ]; then
        echo "    [$name] ok (${dt}s)"
        results+=("ok    ${dt}s	$name")
        return 0
    fi
    if [ "$mode" = quiet ]; then
        echo "---- [$name] last 200 lines of $log ----"
        tail -n 200 "$log"
        echo "---- [$name] end of log ----"
    fi
    echo "!!! [$name] FAILED (exit $rc, ${dt}s); full log: $log"
    results+=("FAIL  ${dt}s	$name")
    failed+=("$name")
    return "$rc"
}

skip() {
    echo "--- [$1] skipped: $2"
    results+=("skip  -	$1 ($2)")
}

stage deps loud bash ci/deps.sh || {
    echo "!!! ci/test.sh: dependencies missing; nothing else can run" >&2
    exit 1
}

stage check-includes loud bash ci/check-includes.sh
stage check-format loud bash ci/check-format.sh

# asan: the full test suite under ASan + UBSan (gcc, Debug); docs reuse
# its build tree.
if stage asan-configure quiet cmake --preset asan; then
    if stage asan-build quiet cmake --build --preset asan; then
        stage asan-test loud ctest --preset asan -j "$jobs"
    else
        skip asan-test "asan-build failed"
    fi
    stage docs quiet cmake --build --preset asan --target docs
else
    skip asan-build "asan-configure failed"
    skip asan-test "asan-configure failed"
    skip docs "asan-configure failed"
fi

# Both compilers build clean with -Werror (IKH_WERROR=ON in the presets).
if stage gcc-configure quiet cmake --preset gcc; then
    stage gcc-build quiet cmake --build --preset gcc
else
    skip gcc-build "gcc-configure failed"
fi
if stage clang-configure quiet cmake --preset clang; then
    if stage clang-build quiet cmake --build --preset clang; then
        stage clang-unit loud ctest --preset clang -L 'unit|golden|fuzz-regress' -j "$jobs"
    else
        skip clang-unit "clang-build failed"
    fi
else
    skip clang-build "clang-configure failed"
    skip clang-unit "clang-configure failed"
fi

# Every fuzz target for 30 s under libFuzzer: no crash, no oracle failure,
# no target below its coverage floor.
stage fuzz-smoke loud bash ci/fuzz.sh --seconds "${IKH_FUZZ_SMOKE_SECONDS:-30}" \
    --jobs "$jobs" --out build/fuzz-smoke

# The fuzz job's crash path, in the tree fuzz-smoke built (ci/fuzz.sh builds
# only the targets it runs, so the deliberately crashing binary is built here).
stage fuzzrun-crash loud bash -c 'cmake --build build/fuzz --target selftest_crash >/dev/null && ctest --test-dir build/fuzz -R "^fuzzrun_crash_path$" --output-on-failure'

# Figures of one fuzz_ike_session execution on fixed inputs (never fails on
# a time; fails only when a binary is missing or an input crashes).
stage bench-fuzz loud bash bench/bench_fuzz_session.sh --runs 5

# The fuzz run's page (index.html, written by ci/fuzz.sh) in headless
# Chromium: renders, no console error, no network fetch.
stage report-browser-fuzz loud python3 tools/tests/test_report_browser.py \
    --kind fuzz --dir build/fuzz-smoke

# The user guide's commands that need other build trees
# (docs/tests/guide_commands.py): the fuzz job in the tree fuzz-smoke built,
# ci/demo.sh (it builds the default preset), the AFL++ job (afl trees).
stage guide-fuzz loud ctest --test-dir build/fuzz -R '^guide_commands_fuzz$' --output-on-failure
stage guide-demo loud bash -c 'cmake --preset default >/dev/null && ctest --preset default -R "^guide_commands_demo$" --output-on-failure'
stage guide-afl loud bash -c 'cmake --preset afl >/dev/null && ctest --preset afl -R "^guide_commands_afl$" --output-on-failure'

echo
echo "==> ci/test.sh summary ($((SECONDS - start_all))s in all)"
printf '    %s\n' "${results[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "!!! ci/test.sh: FAILED stages: ${failed[*]} (logs in $logdir/)"
    exit 1
fi
echo "ci/test.sh: all stages passed"
