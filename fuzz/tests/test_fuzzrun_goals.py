#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fuzzrun.print_speed_goals: the verdict against each goal, and what in
the run differs from the goals' measure (cores shared, a run shorter than
ten minutes) is said on the heading line; other engines and targets
without a goal print nothing.
Exit: 0 pass, 1 fail."""
import contextlib
import io
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fuzzrun as fr  # noqa: E402


def fail(msg):
    print(f"test_fuzzrun_goals: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def printed(engine, seconds, jobs, results):
    a = types.SimpleNamespace(engine=engine, seconds=seconds, jobs=jobs)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fr.print_speed_goals(a, results)
    return out.getvalue()


def main():
    session = {"target": "fuzz_ike_session", "execs": 6_000_000,
               "execs_per_sec": 11_205}
    wire = {"target": "fuzz_wire", "execs": 9_000_000, "execs_per_sec": 90_000}
    other = {"target": "fuzz_esp", "execs": 100, "execs_per_sec": 5}

    out = printed("libfuzzer", 600, 1, [session])
    if "this run: one target at a time)" not in out:
        fail(f"a 600-s one-target run named as differing: {out!r}")
    if "measured  11,205: met" not in out:
        fail(f"11,205 against 10,000 not 'met': {out!r}")

    out = printed("libfuzzer", 60, 1, [session, wire])
    if "60 s, shorter than the goals' 600 s" not in out:
        fail(f"a 60-s run not named as shorter: {out!r}")
    if "not met (0.90 of it)" not in out:
        fail(f"90,000 against 100,000 not 'not met (0.90 of it)': {out!r}")

    out = printed("libfuzzer", 600, 2, [session, wire])
    if "2 targets at a time" not in out or "shorter" in out:
        fail(f"two targets at a time over 600 s misnamed: {out!r}")

    if printed("afl", 600, 1, [session]) != "":
        fail("an AFL++ run printed libFuzzer goals")
    if printed("libfuzzer", 600, 1, [other]) != "":
        fail("a run of targets without a goal printed goals")
    if printed("libfuzzer", 600, 1, [{"target": "fuzz_wire", "execs": 0}]) != "":
        fail("a target that ran nothing was judged")
    print("test_fuzzrun_goals: ok")


if __name__ == "__main__":
    main()
