#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fuzzrun.reap_orphans: an orphaned, stopped process running one of the
given binaries (what afl-fuzz can leave behind: a persistent-mode child
that stopped itself, in a session of its own) is killed; an orphan running
another binary and a child that still has its parent are left alone.
Copies of `sleep` under a temporary folder stand in for fuzz binaries, so
nothing else on the machine matches.
Exit: 0 pass, 1 fail."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fuzzrun as fr  # noqa: E402


def fail(msg):
    print(f"test_fuzzrun_reap: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def orphan(binary):
    """Start @binary 300 in a session of its own whose parent exits at once,
    then stop it (after it is orphaned, so the kernel sends no SIGHUP)."""
    out = subprocess.run(
        ["bash", "-c", f"setsid '{binary}' 300 >/dev/null 2>&1 & echo $!"],
        capture_output=True, text=True, check=True).stdout
    pid = int(out)
    # wait until it runs @binary (not the shell before its exec) with init
    # for a parent
    for _ in range(100):
        try:
            exe = os.path.realpath(os.readlink(f"/proc/{pid}/exe"))
            with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                ppid = f.read().rsplit(")", 1)[1].split()[1]
        except OSError:
            fail(f"orphan {pid} vanished")
        if exe == os.path.realpath(binary) and ppid == "1":
            break
        time.sleep(0.05)
    else:
        fail(f"{pid} never became an orphan running {binary}")
    os.kill(pid, signal.SIGSTOP)
    return pid


def gone(pid):
    """True once @pid is dead (reaped, or a zombie)."""
    for _ in range(100):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def main():
    sleep = shutil.which("sleep")
    if sleep is None:
        fail("no sleep binary")
    with tempfile.TemporaryDirectory(prefix="ikh-reap-") as d:
        target, other = os.path.join(d, "fuzz_t"), os.path.join(d, "other")
        shutil.copy(sleep, target)
        shutil.copy(sleep, other)
        victim, bystander = orphan(target), orphan(other)
        child = subprocess.Popen([target, "300"])  # has its parent: us
        try:
            n = fr.reap_orphans([target, None])
            if n != 1:
                fail(f"killed {n} processes, want 1")
            if not gone(victim):
                fail("the stopped orphan still runs")
            if gone(bystander):
                fail("an orphan of another binary was killed")
            if child.poll() is not None:
                fail("a child that has its parent was killed")
        finally:
            for p in (victim, bystander, child.pid):
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
            child.wait()
    print("test_fuzzrun_reap: ok")


if __name__ == "__main__":
    main()
