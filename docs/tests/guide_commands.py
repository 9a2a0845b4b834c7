#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the commands shown in docs/USER_GUIDE.md, so the guide cannot rot.

Convention in the guide's Markdown:

  ```sh                   commands run by the `unit` test (the default label)
  ```sh {label=NAME}      commands run by the test of label NAME (see LABELS)
  ```sh {label=never}     never run: each command must be in NEVER below,
                          with the reason
  ``` / ```text / ```yaml ... output, syntax or file contents: not run

A command is one line, or several joined by a trailing backslash; `#`
starts a comment. A comment `# exit N` declares the exit code the command
must give (default 0), e.g. for a demonstration of a failing run. Commands
of one label run in guide order, each as `bash -o pipefail -c CMD`, in one
working folder, so a later command may use what an earlier one wrote:

  unit     a fresh folder under --work holding symlinks to the top-level
           entries of the source tree (corpus/, examples/, ...), with the
           build's tools/ (ikeharness), pcap/tests/ (capdec_check) and fuzz/
           (<target>_replay) first on PATH; run folders land in its runs/.
  others   the source tree (the ci/ and interop/ scripts cd there anyway);
           IKH_EXE is the build's ikeharness, IKH_FUZZ_BUILDROOT the
           parent of the build tree (so ci/fuzz.sh reuses build/fuzz).

Every `sh` block is checked whatever --label is: a block with an unknown
label, a `never` command missing from NEVER, or an entry of NEVER that the
guide no longer shows fails the run; so does an in-page link (#anchor)
to a heading that does not exist. `--list` prints every command with
its label. Exit: 0 every command of the label gave its expected exit code,
1 one did not (or the checks above failed), 2 bad usage.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

# label -> (CTest test that runs it, where it runs, per-command timeout s)
LABELS = {
    "unit": ("guide_commands_unit", "work", 300),
    "demo": ("guide_commands_demo", "source", 1800),
    "interop": ("guide_commands_interop", "source", 900),
    "fuzz": ("guide_commands_fuzz", "source", 1800),
    "afl": ("guide_commands_afl", "source", 1800),
}

# Commands the guide shows that no test runs, and why. Keep this short:
# anything that can run somewhere belongs under a label instead.
NEVER = {
    "ci/test.sh": "the whole CI suite: it runs ctest, which runs this script (recursion)",
    "bash ci/fuzz.sh --seconds 60":
        "the full CI fuzz job (10 targets x 60 s); ci/test.sh's fuzz-smoke stage runs the "
        "same script for 30 s per target, guide_commands_fuzz runs the guide's one-target job",
    "bash ci/interop.sh":
        "deps + build + interop_selftest + all 39 cases: the tests interop_selftest and "
        "interop_cases run exactly that; guide_commands_interop runs the guide's one-case run",
    "ctest --preset default -L unit":
        "ctest inside ctest (recursion); ci/test.sh runs these labels itself",
    "ctest --preset asan -L fuzz-regress":
        "ctest inside ctest (recursion); ci/test.sh's clang-unit stage runs -L fuzz-regress",
}

FENCE = re.compile(r"^(\s*)```(\S*)\s*(\{[^}]*\})?\s*$")
EXIT = re.compile(r"#.*\bexit\s+(\d+)\b")


class Cmd:
    def __init__(self, line, label, text, expect):
        self.line, self.label, self.text, self.expect = line, label, text, expect


def parse(path):
    """Every command of every ```sh block: list of Cmd; errors: list of str."""
    cmds, errors = [], []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang, attrs = m.group(1), m.group(2), m.group(3) or ""
        start = i + 1
        j = start
        while j < len(lines) and lines[j].strip() != "```":
            j += 1
        if j == len(lines):
            errors.append(f"line {i + 1}: code block never closed")
            break
        body = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in lines[start:j]]
        i = j + 1
        if lang not in ("sh", "bash", "shell"):
            if attrs:
                errors.append(f"line {start}: a ```{lang} block takes no {attrs}: only sh blocks run")
            continue
        label = "unit"
        if attrs:
            am = re.fullmatch(r"\{\s*label\s*=\s*([\w-]+)\s*\}", attrs)
            if not am:
                errors.append(f"line {start}: bad block attributes {attrs} (use {{label=NAME}})")
                continue
            label = am.group(1)
        if label not in LABELS and label != "never":
            errors.append(f"line {start}: unknown label '{label}' "
                          f"(known: {', '.join(sorted(LABELS))}, never)")
            continue
        k = 0
        while k < len(body):
            first = start + k + 1
            text = body[k]
            while text.rstrip().endswith("\\") and k + 1 < len(body):
                k += 1
                text = text.rstrip()[:-1].rstrip() + " " + body[k].strip()
            k += 1
            stripped = text.strip()
            if not stripped or stripped.startswith("#"):
                continue
            em = EXIT.search(stripped)
            cmds.append(Cmd(first, label, stripped, int(em.group(1)) if em else 0))
    return cmds, errors


def bare(text):
    """A command without its trailing comment (for the NEVER lookup)."""
    return re.sub(r"\s+#.*$", "", text).strip()


def check(cmds):
    errors = []
    shown = set()
    for c in cmds:
        if c.label == "never":
            shown.add(bare(c.text))
            if bare(c.text) not in NEVER:
                errors.append(f"line {c.line}: '{bare(c.text)}' is labelled never but is not "
                              f"in NEVER of {os.path.basename(__file__)} (say why it cannot run)")
        elif bare(c.text) in NEVER:
            errors.append(f"line {c.line}: '{bare(c.text)}' is in NEVER but its block is "
                          f"labelled {c.label}: label the block never")
    for k in NEVER:
        if k not in shown:
            errors.append(f"NEVER lists '{k}', which the guide no longer shows: remove it")
    return errors


def anchors(path):
    """Errors for in-page links [..](#x) whose heading does not exist (GitHub slugs)."""
    slugs, links, errors, fenced = set(), [], [], False
    for n, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        if re.match(r"\s*```+[^`]*$", line):  # a fence (CommonMark: no ` in the info)
            fenced = not fenced
            continue
        if fenced:
            continue
        m = re.match(r"(#{1,6})\s+(.*)", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(2).strip().lower()).replace(" ", "-")
            slugs.add(slug)
        links += [(n, x) for x in re.findall(r"\]\(#([^)]+)\)", line)]
    for n, x in links:
        if x not in slugs:
            errors.append(f"line {n}: link to #{x}, but no heading has that anchor")
    return errors


def workdir(source, work):
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    for e in sorted(os.listdir(source)):
        if e in ("build", "runs", ".git") or e.startswith("build"):
            continue
        os.symlink(os.path.join(source, e), os.path.join(work, e))
    return work


def run(cmds, label, source, build, work):
    _, where, timeout = LABELS[label]
    mine = [c for c in cmds if c.label == label]
    if not mine:
        print(f"docs/USER_GUIDE.md shows no command labelled {label}")
        return 1
    cwd = workdir(source, work) if where == "work" else source
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([os.path.join(build, "tools"), os.path.join(build, "pcap", "tests"),
                                   os.path.join(build, "fuzz"), env.get("PATH", "")])
    env["IKH_EXE"] = os.path.join(build, "tools", "ikeharness")
    env.setdefault("IKH_FUZZ_BUILDROOT", os.path.dirname(os.path.abspath(build)))
    bad = 0
    for c in mine:
        t0 = time.monotonic()
        try:
            p = subprocess.run(["bash", "-o", "pipefail", "-c", c.text], cwd=cwd, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=timeout)
            rc, out = p.returncode, p.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as e:
            rc, out = "timeout", (e.stdout or b"").decode("utf-8", "replace")
        dt = time.monotonic() - t0
        ok = rc == c.expect
        print(f"{'ok  ' if ok else 'FAIL'} line {c.line} (exit {rc}, expected {c.expect}, "
              f"{dt:.1f}s): {c.text}")
        if not ok:
            bad += 1
            tail = out.splitlines()[-40:]
            print("     | " + "\n     | ".join(tail) if tail else "     | (no output)")
    print(f"{len(mine) - bad}/{len(mine)} commands labelled {label} as the guide says"
          + (f" (working folder {cwd})" if where == "work" else ""))
    return 1 if bad else 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--guide", default=os.path.join(here, "..", "USER_GUIDE.md"))
    ap.add_argument("--label", choices=sorted(LABELS))
    ap.add_argument("--source", default=os.path.abspath(os.path.join(here, "..", "..")))
    ap.add_argument("--build", help="the build tree whose ikeharness and capdec_check run")
    ap.add_argument("--work", help="working folder for the unit label (recreated)")
    ap.add_argument("--list", action="store_true", help="print every command with its label")
    a = ap.parse_args()
    cmds, errors = parse(a.guide)
    errors += check(cmds) + anchors(a.guide)
    if a.list:
        for c in cmds:
            why = f"  [{NEVER.get(bare(c.text), '?')}]" if c.label == "never" else ""
            exp = f" (exit {c.expect})" if c.expect else ""
            print(f"{c.label:8} line {c.line:4}{exp}: {c.text}{why}")
    for e in errors:
        print(f"docs/USER_GUIDE.md: {e}")
    if errors:
        return 1
    if a.list:
        return 0
    if not a.label or not a.build:
        print("guide_commands.py: --label and --build are required to run commands")
        return 2
    work = a.work or os.path.join(os.path.abspath(a.build), "docs", "tests", "guide-" + a.label)
    return run(cmds, a.label, os.path.abspath(a.source), os.path.abspath(a.build), work)


if __name__ == "__main__":
    sys.exit(main())
