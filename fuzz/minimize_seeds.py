#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Minimise the seed corpora with libFuzzer's -merge=1: keep the seeds that
add coverage features, list the others in corpus/<target>/seed.dropped and
delete them from corpus/<target>/seed/. The seed generators (make_seeds.py,
make_seeds_node.py, make_seeds_files.py, gen_session_seeds.py) skip the
names in seed.dropped and their checks count them as intentionally absent.
corpus/<target>/regress/ is never read or touched.

Usage: fuzz/minimize_seeds.py [--target T]... [--build DIR] [--timeout S]
                              [--dry-run]
  --target T  only this target (repeatable; default: every fuzz/fuzz_*.c;
              fuzz_wire_structured shares fuzz_wire's seeds)
  --build DIR the libFuzzer build tree (default build/fuzz, preset `fuzz`);
              the binaries are DIR/fuzz/<target>
  --timeout S per-input timeout of libFuzzer (default 60)
  --dry-run   list what would be dropped, change nothing

Per target this runs, in a scratch folder,
  <DIR>/fuzz/<t> -merge=1 -seed=1 -rss_limit_mb=4096 -timeout=S <options> NEW SEEDS...
with the [libfuzzer] settings of fuzz/options/<t>.options as -key=value
flags (the features the fuzz job uses), then again on what it kept until a
merge keeps everything (one merge is greedy and can leave seeds that a
second one drops; stopping at the fixed point makes a rerun a no-op; at
most 10 merges). Each seed is passed in a folder of its own, in name
order: libFuzzer orders equal-sized inputs by directory listing order,
which differs between file systems, so this makes the kept set depend on
the seed contents alone. The seeds' coverage (`-runs=0`, the INITED cov)
is measured before and after; a drop, or a merge that needed a restart (a
seed crashed, leaked or timed out), stops with no change. Names already in
seed.dropped stay there (the generators did not write them); to start
over, delete seed.dropped, rerun the generator, then this script.

Exit: 0 done; 1 a merge failed or lost coverage (nothing changed for that
target); 2 a fuzz binary is missing or bad use."""
import argparse
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedlib  # noqa: E402

ROOT = seedlib.ROOT
COMMON = ["-seed=1", "-rss_limit_mb=4096"]
ENV = dict(os.environ,
           ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:symbolize=1",
           UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
MAX_PASSES = 10
INITED = re.compile(r"^#\d+\s+INITED .*?cov: (\d+) ft: (\d+)", re.M)


class MergeError(Exception):
    pass


def all_targets():
    return sorted(os.path.basename(p)[:-2]
                  for p in glob.glob(os.path.join(ROOT, "fuzz", "fuzz_*.c")))


def run(cmd, cwd, limit):
    try:
        r = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, errors="replace",
                           timeout=limit)
    except subprocess.TimeoutExpired:
        raise MergeError(f"{os.path.basename(cmd[0])} ran longer than {limit} s")
    return r.returncode, r.stderr


def coverage(binary, opts, dirs, cwd, a):
    """INITED (cov, ft) of the inputs in dirs."""
    rc, err = run([binary, "-runs=0", f"-timeout={a.timeout}"] + COMMON + opts + dirs,
                  cwd, a.limit)
    m = INITED.findall(err)
    if rc != 0 or not m:
        raise MergeError(f"-runs=0 failed (exit {rc}):\n" + tail(err))
    return tuple(int(x) for x in m[-1])


def tail(text, n=25):
    return "\n".join(text.splitlines()[-n:])


def merge(binary, opts, seeds, src, tmp, a):
    """The names of the seeds that one libFuzzer merge in the empty folder
    tmp keeps (tmp/new holds them afterwards)."""
    by_sha1 = {}
    dirs = []
    for i, n in enumerate(seeds):
        d = os.path.join("in", f"{i:05d}")
        os.makedirs(os.path.join(tmp, d))
        shutil.copyfile(os.path.join(src, n), os.path.join(tmp, d, n))
        with open(os.path.join(src, n), "rb") as f:
            by_sha1.setdefault(hashlib.sha1(f.read()).hexdigest(), []).append(n)
        dirs.append(d)
    os.makedirs(os.path.join(tmp, "new"))
    cmd = ([binary, "-merge=1", f"-timeout={a.timeout}", "-merge_control_file=merge.ctl"]
           + COMMON + opts + ["new"] + dirs)
    rc, err = run(cmd, tmp, a.limit)
    with open(os.path.join(tmp, "merge.log"), "w", encoding="utf-8") as f:
        f.write(err)
    ok = re.search(r"MERGE-OUTER: successful in (\d+) attempt", err)
    if rc != 0 or not ok:
        raise MergeError(f"merge failed (exit {rc}):\n" + tail(err))
    if ok.group(1) != "1":
        raise MergeError(f"merge needed {ok.group(1)} attempts: a seed crashed, "
                         "leaked or timed out:\n" + tail(err))
    kept = set()
    for h in os.listdir(os.path.join(tmp, "new")):
        if h not in by_sha1:
            raise MergeError(f"merge wrote {h}, which is no seed's SHA-1")
        kept.update(by_sha1[h])
    return kept


def minimise(t, a):
    binary = os.path.join(a.build, "fuzz", t)
    src = seedlib.seed_dir(t)
    seeds = sorted(n for n in os.listdir(src) if not n.startswith(".")
                   and os.path.isfile(os.path.join(src, n))) if os.path.isdir(src) else []
    if not seeds:
        print(f"{t}: no seeds in {os.path.relpath(src, ROOT)}, skipped")
        return
    opts = seedlib.libfuzzer_options(t)
    tmp = tempfile.mkdtemp(prefix=f"ikh-minimize-{t}-")
    try:
        before = coverage(binary, opts, [src], tmp, a)
        kept = list(seeds)
        for npass in range(1, MAX_PASSES + 1):
            work = os.path.join(tmp, f"pass{npass}")
            os.makedirs(work)
            now = sorted(merge(binary, opts, kept, src, work, a))
            if now == kept:
                break
            kept = now
        else:
            raise MergeError(f"still dropping seeds after {MAX_PASSES} merges")
        after = coverage(binary, opts, ["new"], work, a)
    except MergeError as e:
        raise MergeError(f"{t}: {e}\n(scratch folder kept: {tmp})")
    shutil.rmtree(tmp)
    kept = set(kept)
    drop = [n for n in seeds if n not in kept]
    print(f"{t}: {len(seeds)} seeds, {len(kept)} kept, {len(drop)} dropped "
          f"({npass} merges); INITED cov {before[0]} -> {after[0]}, "
          f"ft {before[1]} -> {after[1]}")
    if after[0] < before[0]:
        raise MergeError(f"{t}: the kept seeds cover less ({after[0]} < {before[0]} "
                         "edges): nothing changed")
    if a.dry_run:
        for n in drop:
            print(f"  would drop {n}")
        return
    old = seedlib.read_dropped(t)
    names = (old - kept) | set(drop)
    if names or os.path.exists(seedlib.dropped_path(t)):
        seedlib.write_dropped(t, names,
                              f"python3 fuzz/minimize_seeds.py --target {t}")
    for n in drop:
        os.remove(os.path.join(src, n))


def main():
    ap = argparse.ArgumentParser(
        description="Minimise corpus/<target>/seed/ with libFuzzer -merge=1 "
        "(see the header of this script).")
    ap.add_argument("--target", action="append", default=[])
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "fuzz"))
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    a.limit = 3600  # wall clock limit of one libFuzzer run
    known = all_targets()
    targets = a.target or known
    for t in targets:
        if t not in known:
            print(f"minimize_seeds: no target fuzz/{t}.c", file=sys.stderr)
            return 2
    missing = [t for t in targets if not os.access(os.path.join(a.build, "fuzz", t), os.X_OK)]
    if missing:
        how = (f"cd {ROOT} && cmake --build --preset fuzz"
               if a.build == os.path.join(ROOT, "build", "fuzz") else f"cmake --build {a.build}")
        for t in missing:
            print(f"minimize_seeds: no fuzz binary {os.path.join(a.build, 'fuzz', t)}",
                  file=sys.stderr)
        print(f"minimize_seeds: build them with `{how}` (preset fuzz: clang, libFuzzer, "
              "ASan + UBSan)", file=sys.stderr)
        return 2
    rc = 0
    for t in targets:
        try:
            minimise(t, a)
        except MergeError as e:
            print(f"minimize_seeds: {e}", file=sys.stderr)
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
