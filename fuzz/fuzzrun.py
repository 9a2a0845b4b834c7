#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The work of ci/fuzz.sh once the binaries are built (see its header).

  fuzzrun.py --engine libfuzzer|afl --seconds N --jobs J --out DIR
             --source ROOT --build DIR [--cmplog-build DIR]
             [--coverage-build DIR] [--floors FILE] [--cmdline TEXT]
             TARGET...

For each TARGET, in up to J parallel jobs: copy corpus/<t>/{seed,regress}
into DIR/<t>/corpus (never the repository's folders), fuzz it for N seconds
(restarting after a crash while time is left), then minimise every crash,
deduplicate crashes by a hash of the top three stack frames of the
sanitizer report, and write a one-line reproducer per unique crash. Then:
DIR/junit.xml (one testcase per target), DIR/metrics.json and
DIR/metrics.prom (execs, execs per second, coverage, corpus size, crashes
per target), DIR/<t>/coverage.svg (coverage and execs/s over time), the
coverage floors of fuzz/floors.txt, and with --coverage-build a line
coverage report of stack/ and pcap/ (llvm-cov) from the final corpora with a
per-module summary (DIR/coverage/). N = 0 fuzzes nothing: the report then
covers the shipped seeds and regress inputs alone. --cmdline is the command
that started the run (ci/fuzz.sh passes its own, shell-quoted): it goes into
metrics.json as "cmdline", the "Run it again" line of DIR/index.html.

Exit: 0 every target ran clean and met its floor; 1 a target found a crash
or oracle failure or fell below its floor; 2 the run could not be done
(missing binary, no seeds, bad arguments).
"""
import argparse
import concurrent.futures as cf
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import xml.sax.saxutils as sx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedlib  # noqa: E402

PRINT_LOCK = threading.Lock()


def say(msg):
    with PRINT_LOCK:
        print(msg, file=sys.stderr, flush=True)


def die(msg):
    say(f"fuzzrun: {msg}")
    sys.exit(2)


# ---- floors ---------------------------------------------------------------

def read_floors(path):
    """fuzz/floors.txt: 'target libfuzzer_cov afl_edges' per line."""
    floors = {}
    if not path or not os.path.exists(path):
        return floors
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 3 or not all(p.isdigit() for p in parts[1:]):
                die(f"{path}:{n}: want 'target libfuzzer_cov afl_edges', got {line!r}")
            floors[parts[0]] = {"libfuzzer": int(parts[1]), "afl": int(parts[2])}
    return floors


# ---- corpus ---------------------------------------------------------------

def copy_inputs(src_dirs, dst):
    os.makedirs(dst, exist_ok=True)
    n = 0
    for d in src_dirs:
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            if name == "README.md" or not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                data = f.read()
            h = hashlib.sha1(data).hexdigest()
            with open(os.path.join(dst, h), "wb") as f:
                f.write(data)
            n += 1
    return n


def corpus_size(d):
    if not os.path.isdir(d):
        return 0, 0
    files = [os.path.join(d, n) for n in os.listdir(d)]
    files = [f for f in files if os.path.isfile(f)]
    return len(files), sum(os.path.getsize(f) for f in files)


# ---- stack traces and crashes --------------------------------------------

FRAME = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+ in (\S+)(?: (\S+))?")
SKIP_FUNCS = re.compile(
    r"^(__asan|__ubsan|__sanitizer|__interceptor|__lsan|fuzzer::|abort$|raise$|"
    r"__GI_|__libc|_start$|main$|LLVMFuzzerRunDriver|__afl|afl_)")


def frames_of(text):
    """The first stack of a sanitizer report: [(func, file:line)]."""
    out = []
    started = False
    for line in text.splitlines():
        m = FRAME.match(line)
        if m:
            if m.group(1) == "0" and started and out:
                break  # a second stack (allocation site): keep the first
            started = True
            out.append((m.group(2), m.group(3) or ""))
    return out


def signature(text):
    """Hash of the top three frames that are ours (not sanitizer, libc or
    libFuzzer); the kind of error in front. Returns (sig, top frames)."""
    frames = [f for f in frames_of(text) if not SKIP_FUNCS.match(f[0])]
    top = frames[:3]
    kind = "unknown"
    m = re.search(r"ERROR: (?:AddressSanitizer|LeakSanitizer|libFuzzer|UndefinedBehaviorSanitizer): ?([\w-]+)", text)
    if m:
        kind = m.group(1)
    elif "runtime error:" in text:
        kind = "ubsan"
    key = kind + "|" + "|".join(f[0] for f in top)
    return hashlib.sha1(key.encode()).hexdigest()[:12], kind, top


def run_input(binary, path, timeout=60):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "abort_on_error=1:detect_leaks=1:symbolize=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    try:
        p = subprocess.run([binary, path], capture_output=True, text=True,
                           errors="replace", timeout=timeout, env=env)
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return -1, "timeout"


def minimise(engine, binary, crash, out_path):
    """A smaller input that still crashes (same binary); the original when
    minimisation does not help or fails."""
    # work on a copy: libFuzzer's minimisation may remove the file it is
    # given as it goes
    work = out_path + ".orig"
    shutil.copy(crash, work)
    crash = work
    if engine == "libfuzzer":
        subprocess.run([binary, "-minimize_crash=1", "-max_total_time=20",
                        f"-exact_artifact_path={out_path}", work],
                       capture_output=True, timeout=120,
                       cwd=os.path.dirname(out_path))
    else:
        env = dict(os.environ, AFL_SKIP_BIN_CHECK="1")
        subprocess.run(["afl-tmin", "-i", crash, "-o", out_path, "-t", "5000",
                        "-m", "none", "--", binary],
                       capture_output=True, timeout=180, env=env)
    if not os.path.exists(out_path) or os.path.getsize(out_path) == 0:
        shutil.copy(crash, out_path)
    rc, err = run_input(binary, out_path)
    if rc == 0:  # minimisation lost the crash: keep the original
        shutil.copy(crash, out_path)
    os.remove(work)
    return out_path


# ---- one target under libFuzzer ------------------------------------------

STATUS = re.compile(r"^#(\d+)\s+(INITED|NEW|REDUCE|pulse|DONE|RELOAD)\s+(.*)$")


def parse_status(rest):
    d = {}
    for k, v in re.findall(r"(cov|ft|corp|exec/s|rss): (\S+)", rest):
        d[k] = v
    return d


def target_options(a, t):
    """The [libfuzzer] settings of fuzz/options/<t>.options as flags."""
    try:
        return seedlib.libfuzzer_options(t, root=a.source)
    except ValueError as e:
        die(str(e))


def libfuzzer_target(a, t, tdir, binary, dict_path):
    corpus = os.path.join(tdir, "corpus")
    crashes = os.path.join(tdir, "crashes")
    os.makedirs(crashes, exist_ok=True)
    series = []  # (seconds, execs, cov, ft, corp_units, execs_per_sec)
    total_execs = 0
    cov = ft = 0
    restarts = 0
    t0 = time.time()
    deadline = t0 + a.seconds
    log = open(os.path.join(tdir, "fuzz.log"), "w", encoding="utf-8")
    crash_files = []
    while True:
        left = int(deadline - time.time())
        if left < 1 or restarts > 20:
            break
        cmd = [binary, f"-max_total_time={left}", "-print_final_stats=1",
               f"-artifact_prefix={crashes}/", "-timeout=10", "-rss_limit_mb=2048",
               "-close_fd_mask=1", "-print_pcs=0", "-reload=0"]
        if dict_path:
            cmd.append(f"-dict={dict_path}")
        cmd += target_options(a, t)
        cmd.append(corpus)
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = "abort_on_error=1:detect_leaks=1:symbolize=1"
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
        base = total_execs
        run_t0 = time.time()
        p = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             text=True, errors="replace", env=env)
        execs_run = 0
        for line in p.stderr:
            log.write(line)
            m = STATUS.match(line)
            if m:
                execs_run = int(m.group(1))
                st = parse_status(m.group(3))
                cov = int(st.get("cov", cov))
                ft = int(st.get("ft", ft))
                corp = st.get("corp", "0/0").split("/")[0]
                eps = int(st.get("exec/s", "0"))
                series.append((round(time.time() - t0, 2), base + execs_run, cov, ft,
                               int(corp), eps))
            sm = re.match(r"stat::number_of_executed_units: (\d+)", line)
            if sm:
                execs_run = int(sm.group(1))
            am = re.search(r"Test unit written to (\S+)", line)
            if am:
                crash_files.append(am.group(1))
        rc = p.wait()
        total_execs = base + execs_run
        log.write(f"--- fuzzer exit {rc} after {time.time() - run_t0:.1f}s\n")
        if rc == 0:
            break
        restarts += 1
        if not crash_files:
            log.write("--- exit without a crash artifact: stopping this target\n")
            break
    log.close()
    elapsed = max(time.time() - t0, 1e-3)
    return {"execs": total_execs, "seconds": round(elapsed, 1),
            "execs_per_sec": int(total_execs / elapsed), "coverage": cov,
            "features": ft, "series": series, "crash_files": crash_files,
            "restarts": restarts}


# ---- one target under AFL++ ----------------------------------------------

def reap_orphans(binaries):
    """SIGKILL the orphans (parent pid 1) that run one of @binaries.

    afl-fuzz's forkservers start the target in a session of their own, and
    in persistent mode the child stops itself (SIGSTOP) between batches;
    when afl-fuzz ends at -V while a child sits stopped, that child is left
    behind, stopped, holding its ASan shadow mappings, for good (seen after
    CmpLog runs). Only processes whose executable is one of @binaries and
    whose parent is init are touched. Returns how many were killed."""
    want = {os.path.realpath(b) for b in binaries if b}
    killed = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            exe = os.path.realpath(os.readlink(f"/proc/{pid}/exe"))
            with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                stat = f.read()
        except OSError:
            continue  # gone, or not ours to read
        # the fields after the command name's closing parenthesis: state ppid
        ppid = stat[stat.rfind(")") + 2:].split()[1]
        if exe in want and ppid == "1":
            try:
                os.kill(int(pid), 9)
                killed += 1
            except OSError:
                pass
    return killed


def afl_target(a, t, tdir, binary, dict_path, cmplog):
    seeds = os.path.join(tdir, "corpus")
    outd = os.path.join(tdir, "afl")
    env = dict(os.environ, AFL_NO_UI="1", AFL_SKIP_CPUFREQ="1",
               AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES="1", AFL_SKIP_CRASHES="1",
               AFL_NO_AFFINITY="1", AFL_FAST_CAL="1")
    env["ASAN_OPTIONS"] = "abort_on_error=1:detect_leaks=0:symbolize=0"
    cmd = ["afl-fuzz", "-i", seeds, "-o", outd, "-V", str(a.seconds), "-m", "none",
           "-t", "2000+"]
    if dict_path:
        cmd += ["-x", dict_path]
    if cmplog:
        cmd += ["-c", cmplog]
    cmd += ["--", binary]
    t0 = time.time()
    with open(os.path.join(tdir, "fuzz.log"), "w", encoding="utf-8") as log:
        try:
            subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                           timeout=a.seconds + 300)
        finally:
            n = reap_orphans([binary, cmplog])
            if n:
                print(f"fuzzrun: {t}: killed {n} forkserver child(ren) afl-fuzz "
                      "left stopped", file=log)
    elapsed = max(time.time() - t0, 1e-3)
    stats = {}
    sf = os.path.join(outd, "default", "fuzzer_stats")
    if os.path.exists(sf):
        for line in open(sf, encoding="utf-8"):
            k, _, v = line.partition(":")
            stats[k.strip()] = v.strip()
    series = []
    pf = os.path.join(outd, "default", "plot_data")
    if os.path.exists(pf):
        for line in open(pf, encoding="utf-8"):
            if line.startswith("#"):
                continue
            c = [x.strip() for x in line.split(",")]
            if len(c) >= 13:
                try:
                    series.append((float(c[0]), int(c[11]), int(c[12]), int(c[12]),
                                   int(c[3]), int(float(c[10]))))
                except ValueError:
                    pass
    crash_dir = os.path.join(outd, "default", "crashes")
    crash_files = sorted(os.path.join(crash_dir, n) for n in os.listdir(crash_dir)
                         if n.startswith("id:")) if os.path.isdir(crash_dir) else []
    execs = int(stats.get("execs_done", "0") or 0)
    # the new queue entries become the corpus copy
    q = os.path.join(outd, "default", "queue")
    if os.path.isdir(q):
        copy_inputs([q], seeds)
    return {"execs": execs, "seconds": round(elapsed, 1),
            "execs_per_sec": int(execs / elapsed),
            "coverage": int(stats.get("edges_found", "0") or 0),
            "features": int(stats.get("edges_found", "0") or 0),
            "series": series, "crash_files": crash_files, "restarts": 0,
            "afl_stats": {k: stats[k] for k in ("bitmap_cvg", "corpus_count",
                                                  "saved_crashes", "saved_hangs",
                                                  "stability") if k in stats}}


# ---- plots ---------------------------------------------------------------

def svg_plot(path, title, series):
    """Coverage (left axis) and execs/s (right axis) over time, as SVG."""
    W, H, L, R, T, B = 640, 300, 60, 60, 30, 40
    xs = [s[0] for s in series] or [0]
    cov = [s[2] for s in series] or [0]
    eps = [s[5] for s in series] or [0]
    xmax = max(max(xs), 1)
    cmax = max(max(cov), 1)
    emax = max(max(eps), 1)

    def px(x):
        return L + (W - L - R) * x / xmax

    def py(v, vmax):
        return H - B - (H - T - B) * v / vmax

    def poly(vals, vmax):
        return " ".join(f"{px(x):.1f},{py(v, vmax):.1f}" for x, v in zip(xs, vals))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
             f'font-family="sans-serif" font-size="11">',
             f'<rect width="{W}" height="{H}" fill="white"/>',
             f'<text x="{W / 2}" y="18" text-anchor="middle" font-size="13">'
             f'{sx.escape(title)}</text>',
             f'<line x1="{L}" y1="{H - B}" x2="{W - R}" y2="{H - B}" stroke="black"/>',
             f'<line x1="{L}" y1="{T}" x2="{L}" y2="{H - B}" stroke="black"/>',
             f'<line x1="{W - R}" y1="{T}" x2="{W - R}" y2="{H - B}" stroke="black"/>',
             f'<text x="{W / 2}" y="{H - 8}" text-anchor="middle">seconds (0 to {xmax:.0f})</text>',
             f'<text x="{L - 5}" y="{T + 4}" text-anchor="end" fill="#1f5fbf">{cmax}</text>',
             f'<text x="{L - 5}" y="{H - B}" text-anchor="end" fill="#1f5fbf">0</text>',
             f'<text x="{W - R + 5}" y="{T + 4}" fill="#bf5f1f">{emax}</text>',
             f'<text x="{W - R + 5}" y="{H - B}" fill="#bf5f1f">0</text>',
             f'<text x="{L}" y="{T - 6}" fill="#1f5fbf">coverage</text>',
             f'<text x="{W - R}" y="{T - 6}" text-anchor="end" fill="#bf5f1f">execs/s</text>']
    if series:
        parts.append(f'<polyline fill="none" stroke="#1f5fbf" stroke-width="2" '
                     f'points="{poly(cov, cmax)}"/>')
        parts.append(f'<polyline fill="none" stroke="#bf5f1f" stroke-width="1" '
                     f'points="{poly(eps, emax)}"/>')
    else:
        parts.append(f'<text x="{W / 2}" y="{H / 2}" text-anchor="middle">no data</text>')
    parts.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts) + "\n")


# ---- per target ------------------------------------------------------------

def target_job(a, t, floors):
    tdir = os.path.join(a.out, t)
    shutil.rmtree(tdir, ignore_errors=True)
    os.makedirs(tdir)
    res = {"target": t, "engine": a.engine, "status": "pass", "problems": [],
           "crashes": []}
    # absolute: the minimiser runs in the target's folder (cwd)
    binary = os.path.abspath(os.path.join(a.build, "fuzz", t))
    if not os.access(binary, os.X_OK):
        res["status"] = "error"
        res["problems"].append(f"{binary} not built")
        return res
    src = [os.path.join(a.source, "corpus", t, s) for s in ("seed", "regress")]
    n = copy_inputs(src, os.path.join(tdir, "corpus"))
    res["seeds"] = n
    if n == 0:
        res["status"] = "error"
        res["problems"].append(f"no seeds loaded (corpus/{t}/seed and regress are empty)")
        return res
    dict_path = os.path.join(a.source, "fuzz", "dict", f"{t}.dict")
    dict_path = dict_path if os.path.exists(dict_path) else None
    say(f"fuzzrun: {t}: {n} seeds, {a.seconds}s under {a.engine}")
    if a.seconds == 0:
        r = {"execs": 0, "seconds": 0, "execs_per_sec": 0, "coverage": 0,
             "features": 0, "series": [], "crash_files": [], "restarts": 0}
    elif a.engine == "libfuzzer":
        r = libfuzzer_target(a, t, tdir, binary, dict_path)
    else:
        cmplog = None
        if a.cmplog_build:
            c = os.path.join(a.cmplog_build, "fuzz", t)
            cmplog = c if os.access(c, os.X_OK) else None
        r = afl_target(a, t, tdir, binary, dict_path, cmplog)
    res.update({k: v for k, v in r.items() if k not in ("series", "crash_files")})
    res["corpus_units"], res["corpus_bytes"] = corpus_size(os.path.join(tdir, "corpus"))
    # crashes: minimise, sign, deduplicate, reproducer
    sigs = {}
    for i, c in enumerate(dict.fromkeys(r["crash_files"])):
        if not os.path.exists(c):
            continue
        mn = minimise(a.engine, binary, c, os.path.join(tdir, f"crash-{i}.min"))
        rc, err = run_input(binary, mn)
        sig, kind, top = signature(err)
        if sig in sigs:
            sigs[sig]["count"] += 1
            os.remove(mn)
            continue
        final = os.path.join(tdir, f"crash-{sig}")
        shutil.move(mn, final)
        with open(final + ".txt", "w", encoding="utf-8") as f:
            f.write(err)
        repro = f"{binary} {final}"
        sigs[sig] = {"signature": sig, "kind": kind, "input": final,
                     "frames": [f"{fn} {loc}" for fn, loc in top], "count": 1,
                     "reproduce": repro, "report": err[-4000:]}
    res["crashes"] = list(sigs.values())
    with open(os.path.join(tdir, "reproducers.txt"), "w", encoding="utf-8") as f:
        for c in res["crashes"]:
            f.write(c["reproduce"] + "\n")
    if res["crashes"]:
        res["status"] = "fail"
        res["problems"].append(f"{len(res['crashes'])} unique crash(es) or oracle failure(s)")
    fl = floors.get(t, {}).get(a.engine)
    res["floor"] = fl
    if a.seconds > 0 and fl is not None and res["coverage"] < fl:
        res["status"] = "fail"
        res["problems"].append(f"coverage {res['coverage']} below the floor {fl} (fuzz/floors.txt)")
    if a.seconds > 0 and fl is None:
        res["problems"].append("no floor in fuzz/floors.txt (not checked)")
    svg_plot(os.path.join(tdir, "coverage.svg"),
             f"{t} ({a.engine}): coverage and execs/s over time", r["series"])
    with open(os.path.join(tdir, "series.tsv"), "w", encoding="utf-8") as f:
        f.write("seconds\texecs\tcoverage\tfeatures\tcorpus\texecs_per_sec\n")
        for s in r["series"]:
            f.write("\t".join(str(x) for x in s) + "\n")
    say(f"fuzzrun: {t}: {res['status']}: {res['execs']} execs, {res['execs_per_sec']} exec/s, "
        f"coverage {res['coverage']}, corpus {res['corpus_units']}, "
        f"{len(res['crashes'])} crash(es)")
    return res


# ---- line coverage (llvm-cov) ---------------------------------------------

def coverage_report(a, targets):
    """Replay every final corpus with the coverage build's replay binaries;
    llvm-cov summary of stack/ and pcap/ per file and per module."""
    cdir = os.path.join(a.out, "coverage")
    shutil.rmtree(cdir, ignore_errors=True)
    os.makedirs(cdir)
    bins = []
    for t in targets:
        rb = os.path.join(a.coverage_build, "fuzz", f"{t}_replay")
        corpus = os.path.join(a.out, t, "corpus")
        if not os.access(rb, os.X_OK) or not os.path.isdir(corpus):
            continue
        env = dict(os.environ, LLVM_PROFILE_FILE=os.path.join(cdir, f"{t}-%p.profraw"))
        p = subprocess.run([rb, corpus], capture_output=True, text=True, env=env,
                           errors="replace", timeout=1800)
        if p.returncode != 0:
            say(f"fuzzrun: coverage replay of {t} exited {p.returncode}: {p.stderr[-300:]}")
        bins.append(rb)
    raws = [os.path.join(cdir, n) for n in os.listdir(cdir) if n.endswith(".profraw")]
    if not bins or not raws:
        return {"error": "no coverage data (coverage build or corpora missing)"}
    prof = os.path.join(cdir, "merged.profdata")
    subprocess.run(["llvm-profdata", "merge", "-sparse", "-o", prof] + raws, check=True)
    for r in raws:
        os.remove(r)
    objs = [bins[0]] + sum((["-object", b] for b in bins[1:]), [])
    ignore = r"(^|/)(fuzz|tests|tools|examples|bench|build[^/]*)/|/usr/"
    ex = subprocess.run(["llvm-cov", "export", "-summary-only", f"-instr-profile={prof}",
                         f"-ignore-filename-regex={ignore}"] + objs,
                        capture_output=True, text=True, check=True)
    data = json.loads(ex.stdout)
    files = []
    for fdata in data["data"][0]["files"]:
        name = os.path.relpath(fdata["filename"], a.source)
        lines = fdata["summary"]["lines"]
        files.append({"file": name, "lines": lines["count"], "covered": lines["covered"]})
    modules = {}
    for f in files:
        parts = f["file"].split("/")
        mod = "/".join(parts[:3]) if parts[0] in ("stack", "pcap") and parts[1] == "src" \
            and len(parts) > 3 else "/".join(parts[:2])
        m = modules.setdefault(mod, {"module": mod, "lines": 0, "covered": 0})
        m["lines"] += f["lines"]
        m["covered"] += f["covered"]
    modules = {k: m for k, m in modules.items() if m["lines"] > 0}
    for m in modules.values():
        m["percent"] = round(100.0 * m["covered"] / m["lines"], 1) if m["lines"] else 0.0
    total_l = sum(m["lines"] for m in modules.values())
    total_c = sum(m["covered"] for m in modules.values())
    summary = {"modules": sorted(modules.values(), key=lambda m: m["module"]),
               "files": sorted(files, key=lambda f: f["file"]),
               "total": {"lines": total_l, "covered": total_c,
                         "percent": round(100.0 * total_c / total_l, 1) if total_l else 0.0},
               "corpora": "seed and regress only" if a.seconds == 0 else
               "seed, regress and what this run found"}
    with open(os.path.join(cdir, "coverage.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
    rep = subprocess.run(["llvm-cov", "report", f"-instr-profile={prof}",
                          f"-ignore-filename-regex={ignore}"] + objs,
                         capture_output=True, text=True)
    with open(os.path.join(cdir, "report.txt"), "w", encoding="utf-8") as f:
        f.write(rep.stdout)
    subprocess.run(["llvm-cov", "show", "-format=html", f"-instr-profile={prof}",
                    f"-output-dir={os.path.join(cdir, 'html')}",
                    f"-ignore-filename-regex={ignore}"] + objs,
                   capture_output=True, text=True)
    with open(os.path.join(cdir, "modules.txt"), "w", encoding="utf-8") as f:
        f.write(f"{'module':<28} {'lines':>7} {'covered':>8} {'%':>6}\n")
        for m in summary["modules"]:
            f.write(f"{m['module']:<28} {m['lines']:>7} {m['covered']:>8} {m['percent']:>6}\n")
        t = summary["total"]
        f.write(f"{'total':<28} {t['lines']:>7} {t['covered']:>8} {t['percent']:>6}\n")
    return summary


# ---- reports ----------------------------------------------------------------

def write_reports(a, results, cov):
    metrics = {"engine": a.engine, "seconds": a.seconds, "targets": []}
    if a.cmdline:
        metrics["cmdline"] = a.cmdline
    prom = ["# HELP ikh_fuzz_execs_total inputs run per target",
            "# TYPE ikh_fuzz_execs_total counter",
            "# HELP ikh_fuzz_execs_per_second average inputs per second",
            "# TYPE ikh_fuzz_execs_per_second gauge",
            "# HELP ikh_fuzz_coverage libFuzzer cov (edges) or AFL++ edges_found at the end",
            "# TYPE ikh_fuzz_coverage gauge",
            "# HELP ikh_fuzz_features libFuzzer features at the end",
            "# TYPE ikh_fuzz_features gauge",
            "# HELP ikh_fuzz_corpus_units inputs in the corpus copy at the end",
            "# TYPE ikh_fuzz_corpus_units gauge",
            "# HELP ikh_fuzz_crashes unique crashes and oracle failures",
            "# TYPE ikh_fuzz_crashes gauge"]
    for r in results:
        m = {k: r.get(k) for k in ("target", "status", "seeds", "execs", "seconds",
                                   "execs_per_sec", "coverage", "features", "corpus_units",
                                   "corpus_bytes", "floor", "restarts", "afl_stats")}
        m["crashes"] = len(r.get("crashes", []))
        m["problems"] = r.get("problems", [])
        metrics["targets"].append(m)
        lab = f'{{target="{r["target"]}",engine="{a.engine}"}}'
        prom += [f"ikh_fuzz_execs_total{lab} {r.get('execs', 0)}",
                 f"ikh_fuzz_execs_per_second{lab} {r.get('execs_per_sec', 0)}",
                 f"ikh_fuzz_coverage{lab} {r.get('coverage', 0)}",
                 f"ikh_fuzz_features{lab} {r.get('features', 0)}",
                 f"ikh_fuzz_corpus_units{lab} {r.get('corpus_units', 0)}",
                 f"ikh_fuzz_crashes{lab} {len(r.get('crashes', []))}"]
    if cov and "modules" in cov:
        metrics["line_coverage"] = {"total": cov["total"], "modules": cov["modules"]}
        prom += ["# HELP ikh_fuzz_line_coverage_percent llvm-cov line coverage per module",
                 "# TYPE ikh_fuzz_line_coverage_percent gauge"]
        for m in cov["modules"]:
            prom.append(f'ikh_fuzz_line_coverage_percent{{module="{m["module"]}"}} {m["percent"]}')
    with open(os.path.join(a.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=1)
        f.write("\n")
    with open(os.path.join(a.out, "metrics.prom"), "w", encoding="utf-8") as f:
        f.write("\n".join(prom) + "\n")
    fails = sum(1 for r in results if r["status"] == "fail")
    errs = sum(1 for r in results if r["status"] == "error")
    x = ['<?xml version="1.0" encoding="UTF-8"?>',
         f'<testsuites name="fuzz" tests="{len(results)}" failures="{fails}" errors="{errs}">',
         f'<testsuite name="fuzz.{a.engine}" tests="{len(results)}" failures="{fails}" '
         f'errors="{errs}">']
    for r in results:
        x.append(f'<testcase classname="fuzz.{a.engine}" name={sx.quoteattr(r["target"])} '
                 f'time="{r.get("seconds", 0)}">')
        body = "\n".join(r.get("problems", []))
        for c in r.get("crashes", []):
            body += (f"\n\n{c['kind']} {c['signature']} (x{c['count']}): {c['reproduce']}\n"
                     + "\n".join(c["frames"]) + "\n" + c["report"])
        if r["status"] == "fail":
            x.append(f'<failure message={sx.quoteattr(r["problems"][0])}>{sx.escape(body)}</failure>')
        elif r["status"] == "error":
            x.append(f'<error message={sx.quoteattr(r["problems"][0])}>{sx.escape(body)}</error>')
        x.append(f'<system-out>{sx.escape(json.dumps({k: r.get(k) for k in ("execs", "execs_per_sec", "coverage", "corpus_units")}))}</system-out>')
        x.append("</testcase>")
    x += ["</testsuite>", "</testsuites>"]
    with open(os.path.join(a.out, "junit.xml"), "w", encoding="utf-8") as f:
        f.write("\n".join(x) + "\n")
    # the table
    print(f"{'target':<26} {'result':<6} {'execs':>10} {'exec/s':>8} {'cov':>6} "
          f"{'floor':>6} {'corpus':>7} {'crashes':>7}")
    for r in results:
        fl = r.get("floor")
        print(f"{r['target']:<26} {r['status']:<6} {r.get('execs', 0):>10} "
              f"{r.get('execs_per_sec', 0):>8} {r.get('coverage', 0):>6} "
              f"{fl if fl is not None else '-':>6} {r.get('corpus_units', 0):>7} "
              f"{len(r.get('crashes', [])):>7}")
        for p in r.get("problems", []):
            print(f"    {p}")
        for c in r.get("crashes", []):
            print(f"    crash {c['signature']} {c['kind']}: {c['reproduce']}")
    print_speed_goals(a, results)
    if cov and "modules" in cov:
        print(f"\nline coverage of stack/ and pcap/ ({cov['corpora']}):")
        with open(os.path.join(a.out, "coverage", "modules.txt"), encoding="utf-8") as f:
            print(f.read(), end="")
    elif cov:
        print(f"\nline coverage: {cov.get('error')}")


# Speed goals of the fuzzing issue, stated for ASan + UBSan + libFuzzer on
# one core over the run length of ten minutes (docs/fuzzing.md,
# "Speed"). Printed beside the measured figure, never a failure: a figure
# taken with other targets sharing the cores, over a shorter run (a run's
# first minute is its slowest: the seed programs are whole handshakes), or
# on a slower machine, says nothing about the code.
SPEED_GOALS = {"fuzz_wire": 100000, "fuzz_ike_session": 10000}
SPEED_GOAL_SECONDS = 600


def speed_goal_conditions(a, n_targets):
    """How this run differs from the goals' measure, as printed text."""
    cores = os.cpu_count() or 1
    how = ("one target at a time" if a.jobs == 1 or n_targets == 1
           else f"{min(a.jobs, n_targets)} targets at a time on {cores} cores: "
                "not the goals' one-core measure")
    if a.seconds < SPEED_GOAL_SECONDS:
        how += (f"; {a.seconds} s, shorter than the goals' {SPEED_GOAL_SECONDS} s "
                "(a run's first minute is its slowest)")
    return how


def print_speed_goals(a, results):
    rows = [r for r in results if r["target"] in SPEED_GOALS and r.get("execs")]
    if a.engine != "libfuzzer" or not rows:
        return
    how = speed_goal_conditions(a, len(results))
    print(f"\nspeed goals (ASan + UBSan + libFuzzer, one core; this run: {how}):")
    for r in rows:
        goal = SPEED_GOALS[r["target"]]
        eps = r.get("execs_per_sec", 0)
        verdict = "met" if eps >= goal else f"not met ({eps / goal:.2f} of it)"
        print(f"  {r['target']:<24} goal {goal:>7,} exec/s, measured {eps:>7,}: {verdict}")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=("libfuzzer", "afl"), default="libfuzzer")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--cmplog-build")
    ap.add_argument("--coverage-build")
    ap.add_argument("--floors")
    ap.add_argument("--cmdline", help="the command line that started the run "
                    "(recorded in metrics.json)")
    ap.add_argument("targets", nargs="+")
    a = ap.parse_args()
    if a.seconds < 0 or a.jobs < 1:
        die("--seconds must be >= 0 and --jobs >= 1")
    a.out = os.path.abspath(a.out)
    os.makedirs(a.out, exist_ok=True)
    floors = read_floors(a.floors)
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(target_job, a, t, floors) for t in a.targets]
        results = [f.result() for f in futs]
    cov = coverage_report(a, a.targets) if a.coverage_build else None
    write_reports(a, results, cov)
    if any(r["status"] == "error" for r in results):
        sys.exit(2)
    if any(r["status"] == "fail" for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
