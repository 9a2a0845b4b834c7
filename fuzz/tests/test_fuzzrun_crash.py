#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The crash path of the CI fuzz job (fuzz/fuzzrun.py, which ci/fuzz.sh
runs): a target that crashes gets its crash minimised, signed, written with
a one-line reproducer that works from any folder, a failing junit testcase
and exit status 1.

  test_fuzzrun_crash.py BINARY

BINARY is fuzz/tests/selftest_crash.c built with libFuzzer (it aborts on an
input starting with "IKH!"). The run uses a scratch source tree (a corpus
with one harmless and one crashing seed) and passes --build as a relative
path, as ci/fuzz.sh does: the minimiser runs in another folder, which once
made the whole job end in a Python traceback instead of a report.
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FUZZRUN = os.path.join(os.path.dirname(HERE), "fuzzrun.py")
T = "fuzz_selftest"


def fail(msg):
    print(f"test_fuzzrun_crash: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 2 or not os.access(sys.argv[1], os.X_OK):
        print("usage: test_fuzzrun_crash.py BINARY (an executable); "
              f"not found or not executable: {sys.argv[1:]!r}; build it with "
              "`cmake --build build/fuzz --target selftest_crash`",
              file=sys.stderr)
        sys.exit(2)
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="ikh-fuzzrun-") as root:
        seed = os.path.join(root, "src", "corpus", T, "seed")
        os.makedirs(seed)
        with open(os.path.join(seed, "harmless"), "wb") as f:
            f.write(b"hello")
        with open(os.path.join(seed, "crash"), "wb") as f:
            f.write(b"IKH!" + b"x" * 60)
        os.makedirs(os.path.join(root, "build", "fuzz"))
        shutil.copy(binary, os.path.join(root, "build", "fuzz", T))
        p = subprocess.run(
            [sys.executable, FUZZRUN, "--engine", "libfuzzer", "--seconds", "3",
             "--jobs", "1", "--out", "out", "--source", "src", "--build", "build", T],
            cwd=root, capture_output=True, text=True, timeout=300)
        out = p.stdout + p.stderr
        if "Traceback" in out:
            fail(f"fuzzrun raised:\n{out}")
        if p.returncode != 1:
            fail(f"exit {p.returncode}, want 1 (a crash):\n{out}")
        tdir = os.path.join(root, "out", T)
        with open(os.path.join(tdir, "reproducers.txt"), encoding="utf-8") as f:
            lines = [l.split() for l in f.read().splitlines() if l.strip()]
        if len(lines) != 1 or len(lines[0]) != 2:
            fail(f"want one reproducer 'BINARY INPUT', got {lines}")
        rbin, rin = lines[0]
        if not os.path.isabs(rbin) or not os.path.isabs(rin):
            fail(f"reproducer paths must be absolute: {lines[0]}")
        with open(rin, "rb") as f:
            data = f.read()
        if not data.startswith(b"IKH!") or len(data) > 64:
            fail(f"minimised crash {data!r}: want the 'IKH!' prefix, no longer than the seed")
        # the reproducer crashes again, run from yet another folder
        r = subprocess.run([rbin, rin], cwd="/", capture_output=True, timeout=60)
        if r.returncode == 0:
            fail("the reproducer command does not crash")
        with open(os.path.join(root, "out", "junit.xml"), encoding="utf-8") as f:
            junit = f.read()
        if "<failure" not in junit or "crash" not in junit:
            fail("junit.xml has no failing testcase for the crash")
    print("test_fuzzrun_crash: ok (crash minimised, reproducer works, junit failure, exit 1)")


if __name__ == "__main__":
    main()
