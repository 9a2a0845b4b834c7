#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The report pages in a real browser (headless Debian Chromium).

Makes run folders of each kind that can be made here, lets the commands
write their index.html (sim, peer and replay do it themselves; an index page
over several runs comes from `ikeharness report`), then opens every page
with tools/tests/browser_report.py: no console error or warning, no network
fetch, the ladder and the tables rendered.

  --kind local    a sim run (fault-loss: retransmissions, lost and
                  duplicated frames), a replay of a strongSwan reference
                  capture with a baseline, two live peers on loopback
                  (docs/tests/peer-loopback.yaml), a decode run folder, and
                  the index page over them
  --kind interop  the pages an interop/run.sh folder holds (--dir): its own
                  page with the case table and every case's peer and replay
                  pages
  --kind fuzz     a ci/fuzz.sh run folder's page (--dir)
  --screenshots DIR  also saves PNGs of the pages (docs/img/ is made so)

Exit 0 when every page renders clean, 1 when one does not, 2 when the
browser or a run folder is missing (never a silent skip).
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BROWSER = ["/usr/bin/python3", os.path.join(HERE, "browser_report.py")]


def die(msg, code=2):
    print(f"test_report_browser: {msg}", file=sys.stderr)
    sys.exit(code)


def run(cmd, cwd=None, ok=(0,)):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                       timeout=600)
    if p.returncode not in ok:
        die(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}", 1)
    return p


def browse(pages, expect, mins=(), shot=None):
    cmd = BROWSER + list(pages) + ["--expect", ",".join(expect)]
    for m in mins:
        cmd += ["--min", m]
    if shot:
        cmd += ["--screenshot", shot, "--width", "1400"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    if p.returncode == 2:
        die("the browser could not run (see above)")
    return p.returncode == 0


def local(a):
    ikh = a.ikeharness
    w = a.work
    shutil.rmtree(w, ignore_errors=True)
    os.makedirs(w)
    ok = True
    # sim: a lossy link, so the ladder has retransmissions
    sim = os.path.join(w, "sim")
    run([ikh, "sim", os.path.join(a.source, "corpus/scenarios/fault-loss.yaml"),
         "--out", sim])
    ok &= browse([os.path.join(sim, "index.html")],
                 ["verdict", "ladder", "metrics", "lifecycle", "reproduce"],
                 ["ladder-msg=8"],
                 os.path.join(a.screenshots, "report-sim.png")
                 if a.screenshots else None)
    # replay: a strongSwan capture with keys, then the same against itself
    # as baseline (the baseline section renders, nothing new)
    ref = os.path.join(a.source, "corpus/pcap/strongswan/frag-sig-charon-init")
    rep = os.path.join(w, "replay")
    run([ikh, "replay", os.path.join(ref, "wire.pcap"), "--keys", ref,
         "--out", rep, "--quiet"])
    run([ikh, "report", rep, "--baseline", rep])
    ok &= browse([os.path.join(rep, "index.html")],
                 ["verdict", "ladder", "metrics", "failures", "baseline"],
                 ["ladder-msg=4"],
                 os.path.join(a.screenshots, "report-replay.png")
                 if a.screenshots else None)
    # peer: two live peers on loopback, unprivileged ports
    cfg = os.path.join(a.source, "docs/tests/peer-loopback.yaml")
    pb, pa = os.path.join(w, "peer-b"), os.path.join(w, "peer-a")
    resp = subprocess.Popen([ikh, "peer", "--config", cfg, "--name", "b",
                             "--out", pb], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        run([ikh, "peer", "--config", cfg, "--name", "a", "--out", pa])
        o, e = resp.communicate(timeout=120)
    finally:
        if resp.poll() is None:
            resp.kill()
    if resp.returncode != 0:
        die(f"responder peer: exit {resp.returncode}\n{o}\n{e}", 1)
    ok &= browse([os.path.join(pa, "index.html"), os.path.join(pb, "index.html")],
                 ["verdict", "ladder", "metrics", "lifecycle"],
                 ["ladder-msg=4"],
                 os.path.join(a.screenshots, "report-peer.png")
                 if a.screenshots else None)
    # decode --out: a capture decoded, no keys
    dec = os.path.join(w, "decode")
    run([ikh, "decode", os.path.join(a.source, "corpus/pcap/demo.pcap"),
         "--out", dec, "--quiet"])
    ok &= browse([os.path.join(dec, "index.html")],
                 ["verdict", "ladder", "metrics", "reproduce"],
                 ["ladder-msg=8"])
    # the index over several runs
    idx = os.path.join(w, "index.html")
    run([ikh, "report", sim, rep, pa, dec, "--out", idx])
    ok &= browse([idx], ["verdict", "runs"])
    return ok


def interop(a):
    d = a.dir
    top = os.path.join(d, "index.html")
    if not os.path.isfile(top):
        die(f"{top}: no page (did interop/run.sh run with an ikeharness "
            "that has `report`?)")
    ok = browse([top], ["verdict", "cases"], (),
                os.path.join(a.screenshots, "report-interop.png")
                if a.screenshots else None)
    peers = sorted(glob.glob(os.path.join(d, "*", "ikh", "index.html")))
    reps = sorted(glob.glob(os.path.join(d, "*", "replay-*", "index.html")))
    cases = [c for c in os.listdir(d) if os.path.isdir(os.path.join(d, c))]
    if len(peers) < len(cases) or len(reps) < 2 * len(cases):
        die(f"{d}: {len(cases)} cases but {len(peers)} peer pages and "
            f"{len(reps)} replay pages", 1)
    ok &= browse(peers, ["verdict", "ladder", "metrics"], ["ladder-msg=2"])
    ok &= browse(reps, ["verdict", "ladder", "metrics"], ["ladder-msg=2"])
    return ok


def fuzz(a):
    page = os.path.join(a.dir, "index.html")
    if not os.path.isfile(page):
        die(f"{page}: no page (ci/fuzz.sh writes it)")
    return browse([page], ["verdict", "metrics", "reproduce"], (),
                  os.path.join(a.screenshots, "report-fuzz.png")
                  if a.screenshots else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=("local", "interop", "fuzz"),
                    required=True)
    ap.add_argument("--ikeharness")
    ap.add_argument("--source")
    ap.add_argument("--work")
    ap.add_argument("--dir")
    ap.add_argument("--screenshots")
    a = ap.parse_args()
    if a.screenshots:
        os.makedirs(a.screenshots, exist_ok=True)
    if a.kind == "local":
        if not (a.ikeharness and a.source and a.work):
            die("--kind local needs --ikeharness, --source and --work")
        ok = local(a)
    elif not a.dir:
        die(f"--kind {a.kind} needs --dir")
    else:
        ok = interop(a) if a.kind == "interop" else fuzz(a)
    print("report pages:", "all render clean" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
