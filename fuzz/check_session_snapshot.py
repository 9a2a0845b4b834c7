#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The snapshot start of fuzz_ike_session must be the state a fresh start
reaches by delivering everything: for every seed program shipped both ways
(fuzz/gen_session_seeds.py: NAME and est-NAME), the replay driver's end
state (IKH_FUZZ_TRACE summary lines: handshakes, rekeys, counters, IKE SAs,
inner packets, clock) must be the same.
Usage: fuzz/check_session_snapshot.py REPLAY_BINARY
Exit: 0 all pairs agree, 1 a pair differs or a run failed, 2 bad use."""
import importlib.util
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load_programs():
    spec = importlib.util.spec_from_file_location(
        "gen_session_seeds", os.path.join(HERE, "gen_session_seeds.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.with_snapshots(mod.programs)


def summary(binary, prog, tmp):
    path = os.path.join(tmp, "prog")
    with open(path, "wb") as f:
        f.write(prog)
    env = dict(os.environ, IKH_FUZZ_TRACE="1")
    r = subprocess.run([binary, path], env=env, capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0:
        return None, r.stderr[-2000:]
    return [l for l in r.stderr.splitlines() if l.startswith("summary")], ""


def main():
    if len(sys.argv) != 2 or not os.access(sys.argv[1], os.X_OK):
        print(__doc__, file=sys.stderr)
        return 2
    progs = load_programs()
    pairs = [n for n in progs if "est-" + n in progs]
    if not pairs:
        print("check_session_snapshot: no est- programs", file=sys.stderr)
        return 1
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(pairs):
            fresh, err1 = summary(sys.argv[1], progs[name], tmp)
            est, err2 = summary(sys.argv[1], progs["est-" + name], tmp)
            if fresh is None or est is None or not fresh or fresh != est:
                bad += 1
                print(f"DIFFER {name}:\n  fresh: {fresh}\n  est:   {est}"
                      f"\n{err1}{err2}")
    print(f"check_session_snapshot: {len(pairs) - bad} of {len(pairs)} "
          "program pairs end in the same state")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
