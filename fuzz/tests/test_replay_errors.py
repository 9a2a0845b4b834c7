#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The replay driver (fuzz/replay_main.c) refuses what is not an input,
each case with exit 2 and a line naming the path and the reason: a missing
path, a folder among the inputs of a folder (it cannot be read as a file),
a file over 16 MiB, an empty folder, and a bad IKH_REPLAY_REPEAT. A good
input still replays (exit 0), so the cases cannot pass for a broken binary.
Usage: test_replay_errors.py REPLAY_BINARY
Exit: 0 pass, 1 fail, 2 usage."""
import os
import subprocess
import sys
import tempfile


def fail(msg):
    print(f"test_replay_errors: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def run(binary, args, env_extra=None):
    env = dict(os.environ)
    env.pop("IKH_REPLAY_REPEAT", None)
    env.update(env_extra or {})
    p = subprocess.run([binary] + args, capture_output=True, text=True,
                       env=env, timeout=120, check=False)
    return p.returncode, p.stdout + p.stderr


def expect(binary, args, rc, needle, env_extra=None):
    got, out = run(binary, args, env_extra)
    if got != rc or needle not in out:
        fail(f"{args} {env_extra or ''}: want exit {rc} and '{needle}', "
             f"got exit {got}: {out.strip()[:300]}")


def main():
    if len(sys.argv) != 2 or not os.access(sys.argv[1], os.X_OK):
        print("usage: test_replay_errors.py REPLAY_BINARY (an executable "
              "fuzz_<target>_replay)", file=sys.stderr)
        return 2
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good")
        with open(good, "wb") as f:
            f.write(b"\x00\x01\x02\x03")
        expect(binary, [good], 0, "replay: 1 inputs")
        expect(binary, [good], 0, "replay: 1 inputs, 3 executions",
               {"IKH_REPLAY_REPEAT": "3"})

        missing = os.path.join(tmp, "missing")
        expect(binary, [missing], 2, f"cannot read {missing}")

        nested = os.path.join(tmp, "nested")
        os.makedirs(os.path.join(nested, "sub"))
        expect(binary, [nested], 2,
               f"cannot read {nested}/sub: IO_READ")

        big = os.path.join(tmp, "big")
        with open(big, "wb") as f:
            f.truncate((16 << 20) + 1)
        expect(binary, [big], 2, f"cannot read {big}: IO_TOO_BIG")

        empty = os.path.join(tmp, "empty")
        os.makedirs(empty)
        expect(binary, [empty], 2, "replay: 0 inputs")

        for bad in ("0", "x", "-1", "1000001", ""):
            expect(binary, [good], 2, "IKH_REPLAY_REPEAT must be a number",
                   {"IKH_REPLAY_REPEAT": bad})
    print("test_replay_errors: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
