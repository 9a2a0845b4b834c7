#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci/fuzz.sh refuses a bad command line before it builds or runs anything:
# exit 2 and a line that names the option, for every case below; --help
# prints the usage with exit 0.
# Usage: test_fuzz_sh_args.sh SOURCE_DIR        Exit: 0 pass, 1 fail.
set -u
src=${1:?usage: test_fuzz_sh_args.sh SOURCE_DIR}
cd "$src" || exit 1
fail=0
check() { # want_rc needle args...
  local want=$1 needle=$2 out rc
  shift 2
  out=$(timeout 60 bash ci/fuzz.sh "$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ] || [[ $out != *"$needle"* ]]; then
    echo "FAIL: ci/fuzz.sh $*: want exit $want and '$needle', got exit $rc: ${out:0:300}" >&2
    fail=1
  fi
}
check 2 "--engine: libfuzzer or afl, not 'foo'" --engine foo
check 2 "--seconds: not a number: 'abc'" --seconds abc
check 2 "--seconds: not a number: '-5'" --seconds -5
check 2 "--jobs: not a positive number: '0'" --jobs 0
check 2 "no target fuzz/nope.c" --target nope
check 2 "unknown argument '--bogus'" --bogus
for opt in --engine --seconds --jobs --target --out; do
  check 2 "$opt needs a value" $opt
done
check 0 "Usage: ci/fuzz.sh" --help
[ $fail = 0 ] && echo "test_fuzz_sh_args: ok"
exit $fail
