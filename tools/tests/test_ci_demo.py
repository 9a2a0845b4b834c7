#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ci/demo.sh's contract on bad use (registered only in build/default, the
tree ci/demo.sh builds: its build step is then a no-op):

 - a scenario `ikeharness sim` rejects (a YAML typo, in a temporary
   folder): exit 2 passed through with sim's own message (file, line,
   SCN_SYNTAX), no "run folder lacks" list, no runs/demo-* folder left;
 - an option first (`ci/demo.sh --seed 3`): the usage, exit 2, before any
   build; `ci/demo.sh --help`: the usage (no SPDX line), exit 0.
"""
import argparse
import os
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--source", required=True)
args = ap.parse_args()
demo = os.path.join(args.source, "ci", "demo.sh")
runs = os.path.join(args.source, "runs")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*argv):
    p = subprocess.run(["bash", demo, *argv], capture_output=True, timeout=900)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def demo_dirs():
    if not os.path.isdir(runs):
        return set()
    return {d for d in os.listdir(runs) if d.startswith("demo-")}


rc, out, err = run("--help")
check(rc == 0, f"--help: exit {rc}: {err}")
check("Usage: ci/demo.sh [SCENARIO [--seed N]]" in out, "--help: prints the usage")
check("SPDX" not in out, "--help: no SPDX line")

rc, out, err = run("--seed", "3")
check(rc == 2, f"--seed 3: exit {rc} (want 2)")
check("Usage: ci/demo.sh" in err and "not found" not in err,
      f"--seed 3: the usage, not 'not found': {err}")

with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "typo.yaml")
    with open(bad, "w") as f:
        f.write("name: typo\nnodes: [\n  - oops: {\n")
    before = demo_dirs()
    rc, out, err = run(bad)
    check(rc == 2, f"broken scenario: exit {rc} (want 2): {err}")
    check("typo.yaml" in err and "SCN_SYNTAX" in err,
          f"broken scenario: sim's own message shown: {err}")
    check("run folder lacks" not in err, "broken scenario: no 'run folder lacks'")
    left = demo_dirs() - before
    check(not left, f"broken scenario: no run folder left ({sorted(left)})")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("ci/demo.sh: all checks passed")
