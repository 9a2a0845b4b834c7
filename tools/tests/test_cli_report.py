#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ikeharness report` (and the index.html that sim and replay leave in
their run folder) against the real program:

 - a sim run: the page has the verdict, one ladder per IKE SA with exactly
   one arrow per message the nodes sent (run.json sim.sent), decrypted
   payload lists, retransmissions marked (fault-loss), the metrics table;
 - the sim's network faults (faults.jsonl) on the arrows: as many lost,
   duplicated and damaged frames as the sim counted (fault-loss,
   fault-corrupt); a bad faults.jsonl line exits 2;
 - the page is self-contained: no script, no external reference;
 - HTML injection from a hostile run.json, events.jsonl and case names is
   escaped;
 - replay: violations listed with links to their frames and log events;
   --baseline lists the rule made to differ as newly failing / passing;
 - interop (a synthetic summary.json): the case table with per-case links;
   --baseline lists the case made to differ;
 - fuzz (a synthetic ci/fuzz.sh folder): targets, crashes, coverage SVG
   embedded as an image (its content cannot script the page), the "Run it
   again" line: the recorded command line (metrics.json "cmdline") when
   there is one, else rebuilt; "1 fuzz target" in the singular;
 - a ladder is capped at 2000 arrows with a note (a capture of 2100
   messages written here);
 - several folders: an index page whose links lead to each page; paths
   that are no run folder at all are skipped with a warning;
 - bad folders and arguments exit 2 with a message naming file and reason;
 - a render failure in replay only warns: the exit code stays.
"""
import argparse
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--exe", required=True)
ap.add_argument("--source", required=True)
ap.add_argument("--work", required=True)
args = ap.parse_args()

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*argv, cwd=None):
    p = subprocess.run([os.path.abspath(args.exe), *argv], capture_output=True,
                       timeout=300, cwd=cwd)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def page(path):
    return open(path, encoding="utf-8").read()


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3",
                "div", "section", "table", "tr", "th", "td", "ul", "li", "a", "p",
                "pre", "code", "b", "br", "img", "svg", "defs", "marker", "path",
                "text", "line", "g", "rect"}
ALLOWED_ATTRS = {"charset", "name", "content", "lang", "class", "id", "href", "src",
                 "alt", "data-testid", "data-frame", "data-retransmit", "data-drop",
                 "xmlns", "width", "height", "viewbox", "role", "markerwidth",
                 "markerheight", "refx", "refy", "orient", "d", "fill", "x", "y",
                 "x1", "y1", "x2", "y2", "stroke", "stroke-width", "stroke-dasharray",
                 "marker-end", "text-anchor"}


class TagCheck(html.parser.HTMLParser):
    """Every element and attribute is one the renderer writes: injected
    markup would add others (or break out of a text node)."""

    def __init__(self):
        super().__init__()
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.bad.append(tag)
        for k, v in attrs:
            if k not in ALLOWED_ATTRS:
                self.bad.append(f"{tag}@{k}")
            if k in ("href", "src") and v and re.match(r"\s*(javascript|https?|//)", v, re.I):
                self.bad.append(f"{tag}@{k}={v[:30]}")


def self_contained(html, what):
    tc = TagCheck()
    tc.feed(html)
    check(not tc.bad, f"{what}: only the renderer's elements and attributes: {tc.bad[:5]}")
    low = html.lower()
    check("<script" not in low, f"{what}: no script element")
    check(not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//|javascript:)""", low),
          f"{what}: no external or javascript: reference")
    check("<link" not in low and "@import" not in low, f"{what}: no stylesheet link")
    check(html.count('data-testid="verdict"') == 1, f"{what}: one verdict")


W = args.work
shutil.rmtree(W, ignore_errors=True)
os.makedirs(W)
scn = os.path.join(args.source, "corpus", "scenarios")

# --- sim: ladders, arrows, decryption, hook ---------------------------------
r1 = os.path.join(W, "sim-default")
rc, out, err = run("sim", os.path.join(scn, "default.yaml"), "--out", r1)
check(rc == 0, f"sim default exit {rc}: {err}")
check(os.path.isfile(os.path.join(r1, "index.html")), "sim wrote index.html")
check("warning" not in err, f"sim: no render warning: {err}")
rj = json.load(open(os.path.join(r1, "run.json")))
h = page(os.path.join(r1, "index.html"))
self_contained(h, "sim")
check(re.search(r'class="verdict pass" data-testid="verdict">pass<', h),
      "sim: verdict pass")
arrows = h.count('data-testid="ladder-msg"')
check(arrows == rj["sim"]["sent"],
      f"sim: {arrows} arrows, want one per message sent ({rj['sim']['sent']})")
# default.yaml rekeys the IKE SA once: two IKE SAs, two ladders
n_lad = h.count('data-testid="ladder"')
check(n_lad == 2, f"sim: {n_lad} ladders, want 2")
check("SK{IDi,IDr,AUTH,SA,TSi,TSr}" in h, "sim: IKE_AUTH request decrypted")
check("IKE_SA_INIT mid 0 flags I request" in h, "sim: IKE_SA_INIT arrow label")
check('data-testid="metrics"' in h and "ikh_ike_handshakes_total" in h,
      "sim: metrics table")
check('data-testid="failures"' in h, "sim: failures list present")
check("ikeharness sim " in h and "--seed 1 --out" in h, "sim: reproduce line")
check('href="capture.pcap"' in h and 'href="ike_keys.csv"' in h,
      "sim: file links")
check('data-testid="lifecycle"' in h, "sim: lifecycle chart")
# one row per node and SA: 2 IKE SAs and 2 Child SAs (each rekeyed once,
# events of both nodes)
rows = re.search(r'data-testid="lifecycle".*?</svg>', h, re.S).group(0)
check(rows.count(": IKE SA ") == 4 and rows.count(": Child SA, inbound SPI") == 4,
      f"sim: lifecycle rows ({rows.count(': IKE SA ')} IKE, "
      f"{rows.count(': Child SA, inbound SPI')} Child)")

# report on the same folder to another file: same arrows
o1 = os.path.join(W, "again.html")
rc, out, err = run("report", r1, "--out", o1)
check(rc == 0 and os.path.isfile(o1), f"report --out exit {rc}: {err}")
check(page(o1).count('data-testid="ladder-msg"') == arrows, "report --out: same ladder")

# fault-loss: retransmissions drawn dashed and marked
r3 = os.path.join(W, "sim-loss")
rc, out, err = run("sim", os.path.join(scn, "fault-loss.yaml"), "--out", r3)
h3 = page(os.path.join(r3, "index.html"))
n_rt = h3.count('data-retransmit="1"')
ev_rt = sum(1 for line in open(os.path.join(r3, "events.jsonl"))
            if '"ev":"ike.msg.retransmit"' in line)
check(n_rt > 0 and n_rt == ev_rt,
      f"fault-loss: {n_rt} retransmissions marked, events say {ev_rt}")
check("retransmission of #" in h3, "fault-loss: retransmission label")
# the network's faults (faults.jsonl, written by sim) on the arrows: as many
# lost and duplicated frames as the sim counted
sim3 = json.load(open(os.path.join(r3, "run.json")))["sim"]
faults = [json.loads(x) for x in open(os.path.join(r3, "faults.jsonl"))]
check(sum(1 for x in faults if x["fault"] == "lost") == sim3["lost"] > 0 and
      h3.count('data-lost="1"') == sim3["lost"],
      f"fault-loss: {h3.count('data-lost')} lost arrows, sim lost {sim3['lost']}")
check(h3.count('data-duplicated="1"') == sim3["duplicated"] > 0,
      f"fault-loss: duplicated arrows, sim duplicated {sim3['duplicated']}")
check("lost in the network (sim fault)" in h3, "fault-loss: lost note")
# corruption and truncation: damaged copies marked (fault-corrupt)
r3c = os.path.join(W, "sim-corrupt")
rc, out, err = run("sim", os.path.join(scn, "fault-corrupt.yaml"), "--out", r3c)
simc = json.load(open(os.path.join(r3c, "run.json")))["sim"]
h3c = page(os.path.join(r3c, "index.html"))
check(h3c.count('data-damaged="1"') == simc["corrupted"] + simc["truncated"] > 0
      and 'data-duplicated' not in h3c and 'data-undelivered' not in h3c,
      f"fault-corrupt: exactly the damaged copies marked ({simc})")
# a faults.jsonl line that is not a fault: exit 2 naming file and line
bad = os.path.join(W, "sim-badfaults")
shutil.copytree(r3, bad)
with open(os.path.join(bad, "faults.jsonl"), "a") as fh:
    fh.write('{"frame":1,"fault":"<b>eaten</b>"}\n')
rc, out, err = run("report", bad)
check(rc == 2 and "faults.jsonl:" in err and "not a fault line" in err,
      f"bad faults.jsonl: exit {rc}: {err}")

# --- escaping: hostile run.json and events.jsonl ----------------------------
evil = os.path.join(W, "evil")
shutil.copytree(r1, evil)
os.remove(os.path.join(evil, "index.html"))
rj2 = dict(rj)
payload = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
rj2["name"] = payload
rj2["cmdline"] = "sim " + payload
rj2["verdict"] = "fail\" onmouseover=\"alert(3)"
rj2["expectations"] = [dict(rj["expectations"][0], expect=payload, detail=payload,
                            **{"pass": False})]
json.dump(rj2, open(os.path.join(evil, "run.json"), "w"))
with open(os.path.join(evil, "events.jsonl"), "a") as f:
    f.write(json.dumps({"t": 1, "lvl": "error", "ev": "x.y.z", "node": payload,
                        "detail": payload + "\u2028\u0007"}) + "\n")
rc, out, err = run("report", evil)
check(rc == 0, f"evil: exit {rc}: {err}")
he = page(os.path.join(evil, "index.html"))
self_contained(he, "evil")
check("<img" not in he.lower() and "onmouseover=\"" not in he,
      "evil: no injected element or attribute")
check("&lt;script&gt;alert(1)&lt;/script&gt;" in he, "evil: text escaped")
check('class="verdict unknown"' in he, "evil: unknown verdict gets no class of its own")

# --- decode --out: its run folder gets a page too ---------------------------
rd = os.path.join(W, "decode")
rc, out, err = run("decode", os.path.join(args.source, "corpus", "pcap", "demo.pcap"),
                   "--out", rd, "--quiet")
check(rc == 0 and "warning" not in err, f"decode --out: exit {rc}: {err}")
hd = page(os.path.join(rd, "index.html"))
self_contained(hd, "decode")
dj = json.load(open(os.path.join(rd, "run.json")))
check(hd.count('data-testid="ladder-msg"') == dj["counts"]["messages"] > 0,
      f"decode: one arrow per message ({dj['counts']})")
check("ikeharness decode run" in hd and "{encrypted}" in hd,
      "decode: title, and SK shown as encrypted (no keys)")

# --- replay: violations, links, baseline ------------------------------------
refdir = os.path.join(args.source, "corpus", "pcap", "strongswan", "rekey-ike-charon")
r2 = os.path.join(W, "replay")
rc, out, err = run("replay", os.path.join(refdir, "wire.pcap"), "--keys", refdir,
                   "--out", r2)
check(rc == 0, f"replay exit {rc}: {err}")
check("warning" not in err, f"replay: no render warning: {err}")
h2 = page(os.path.join(r2, "index.html"))
self_contained(h2, "replay")
conf = json.load(open(os.path.join(r2, "conformance.json")))
viol = conf["violations"]
check(len(viol) >= 1, "replay: the known SHOULD violation is there")
ike_frames = {it["frame"] for it in conf["items"] if it.get("kind") == "ike"}
check(ike_frames, "replay: conformance.json items have kind ike")
for v in viol:
    if v["frame"] in ike_frames:
        # an IKE message: drawn in the ladder, the violation links to it
        check(f'<a href="#f{v["frame"]}">frame {v["frame"]}</a>' in h2,
              f"replay: violation links to frame {v['frame']}")
        check(f'id="f{v["frame"]}"' in h2, f"replay: frame {v['frame']} drawn")
    else:
        # an ESP packet: not in the ladder, named without a dead link
        check(f'frame {v["frame"]}' in h2 and f'href="#f{v["frame"]}"' not in h2,
              f"replay: ESP frame {v['frame']} named, not linked")
check(re.search(r'href="#ev-\d+">log event', h2), "replay: violation links to its log event")
check(h2.count('data-testid="ladder-msg"') == conf["summary"]["messages"],
      "replay: one arrow per IKE message")
check("SK{" in h2 and "{encrypted}" not in h2, "replay: decrypted with --keys")
# the replay's flat metrics.json is a table too, every metric a row
rm = json.load(open(os.path.join(r2, "metrics.json")))
mt = re.search(r'<table data-testid="metrics">(.*?)</table>', h2, re.S)
check(mt is not None and all(f"<td>{k}</td>" in mt.group(1) for k in rm),
      "replay: every metric of metrics.json in the metrics table")
# without conformance.json the violations come from events.jsonl
nc = os.path.join(W, "replay-noconf")
shutil.copytree(r2, nc)
os.remove(os.path.join(nc, "conformance.json"))
rc, out, err = run("report", nc)
hn = page(os.path.join(nc, "index.html"))
for v in viol:
    ref = f'href="#f{v["frame"]}"' if v["frame"] in ike_frames else f'frame {v["frame"]}'
    check(rc == 0 and v["rule"] in hn and ref in hn,
          f"no conformance.json: {v['rule']} listed from the log ({rc} {err})")
# a replay run with relative paths (capture, keys, run folder), reported
# from another folder: run.json's paths are found under the run folder's
# parents
shutil.copytree(refdir, os.path.join(W, "refcopy"))
rc, out, err = run("replay", "refcopy/wire.pcap", "--keys", "refcopy", "--out",
                   "replay-rel", "--quiet", cwd=W)
check(rc == 0, f"relative replay: exit {rc}: {err}")
o2 = os.path.join(W, "replay-elsewhere.html")
rc, out, err = run("report", os.path.join(W, "replay-rel"), "--out", o2, cwd="/")
h2b = page(o2) if os.path.isfile(o2) else ""
check(rc == 0 and h2b.count('data-testid="ladder-msg"') == conf["summary"]["messages"]
      and "SK{" in h2b, f"replay report from another folder: exit {rc}: {err}")
# baseline: one rule failing only now, one failing only in the baseline
base = os.path.join(W, "replay-base")
os.makedirs(base)
bconf = json.loads(json.dumps(conf))
now_fail = [r["id"] for r in conf["rules"] if r["fail"] > 0][0]
now_pass = [r["id"] for r in conf["rules"] if r["fail"] == 0 and r["pass"] > 0][0]
for r in bconf["rules"]:
    if r["id"] == now_fail:
        r["fail"] = 0
    if r["id"] == now_pass:
        r["fail"] = 3
json.dump(bconf, open(os.path.join(base, "conformance.json"), "w"))
ob = os.path.join(W, "replay-baseline.html")
rc, out, err = run("report", r2, "--baseline", base, "--out", ob)
check(rc == 0, f"replay --baseline exit {rc}: {err}")
hb = page(ob)
m = re.search(r'data-testid="baseline">(.*?)</section>', hb, re.S)
check(m is not None, "replay: baseline section")
if m:
    sec = m.group(1)
    nf = sec.split("Newly passing")[0]
    np_ = sec.split("Newly passing")[1] if "Newly passing" in sec else ""
    check(now_fail in nf, f"baseline: {now_fail} newly failing")
    check(now_pass in np_ and now_pass not in nf, f"baseline: {now_pass} newly passing")

# --- a ladder capped at 2000 arrows -----------------------------------------


def ike_msg(ispi, mid, resp):
    flags = 0x20 if resp else 0x08
    return struct.pack(">QQBBBBII", ispi, 0x1111, 0, 0x20, 37, flags, mid, 28)


def pcap(path, msgs):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
        for i, (src, dst, body) in enumerate(msgs):
            udp = struct.pack(">HHHH", 500, 500, 8 + len(body), 0) + body
            ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xffff, 0, 64,
                             17, 0, bytes(src), bytes(dst)) + udp
            f.write(struct.pack("<IIII", i // 1000, (i % 1000) * 1000, len(ip), len(ip)))
            f.write(ip)


A, B = [192, 0, 2, 1], [192, 0, 2, 2]
msgs = []
for i in range(1050):
    msgs.append((A, B, ike_msg(0xabc, i, False)))
    msgs.append((B, A, ike_msg(0xabc, i, True)))
big = os.path.join(W, "big.pcap")
pcap(big, msgs)
r5 = os.path.join(W, "replay-big")
rc, out, err = run("replay", big, "--out", r5, "--fail-on", "none", "--quiet")
check(rc == 0, f"replay big exit {rc}: {err}")
h5 = page(os.path.join(r5, "index.html"))
self_contained(h5, "big")
check(h5.count('data-testid="ladder-msg"') == 2000, "big: 2000 arrows drawn")
check("100 more not drawn" in h5, "big: note on what was not drawn")

# a hostile capture: unknown and critical payload types, an unknown Notify,
# a chain that runs past the message, octets that look like markup, a
# message too short for a header, and a record cut short at the end
hdr = struct.pack(">QQBBBBII", 0x3c3e, 0, 0xC8, 0x20, 34, 0x08, 0, 0)
evil_body = (struct.pack(">BBH", 41, 0x80, 4 + 14) + b"<script>x</sc" + b"\x00"
             + struct.pack(">BBHBBH", 0, 0, 12, 0, 0, 0xffff) + b"\"'<>")
m1 = bytearray(hdr + evil_body)
m1[24:28] = struct.pack(">I", len(m1))
m2 = bytearray(hdr + struct.pack(">BBH", 0, 0, 200) + b"<img src=x>")
m2[24:28] = struct.pack(">I", len(m2))
hostile = os.path.join(W, "hostile.pcap")
pcap(hostile, [(A, B, bytes(m1)), (B, A, bytes(m2)), (A, B, b"<b>short")])
with open(hostile, "ab") as f:
    f.write(struct.pack("<IIII", 9, 0, 500, 500) + b"<script>")  # cut record
r7 = os.path.join(W, "replay-hostile")
rc, out, err = run("replay", hostile, "--out", r7, "--quiet")
check(rc == 1, f"replay hostile exit {rc} (a damaged capture fails)")
h7 = page(os.path.join(r7, "index.html"))
self_contained(h7, "hostile capture")
check(h7.count('data-testid="ladder-msg"') == 2, "hostile: both messages with a header drawn")
check("does not parse" in h7, "hostile: parse error noted on the arrow")
check("damaged" in h7, "hostile: the cut record is noted")

# --- a render failure in replay only warns ----------------------------------
r6 = os.path.join(W, "replay-nowrite")
os.makedirs(os.path.join(r6, "index.html.tmp"))
rc, out, err = run("replay", os.path.join(refdir, "wire.pcap"), "--keys", refdir,
                   "--out", r6, "--quiet")
check(rc == 0, f"replay with an unwritable page: exit {rc} (want the run's 0)")
check("warning: index.html not written" in err, f"replay: render warning: {err}")

# --- interop (synthetic summary.json) and its baseline ----------------------


def interop(d, results):
    os.makedirs(d)
    rows = []
    for name, res in results:
        os.makedirs(os.path.join(d, name), exist_ok=True)
        open(os.path.join(d, name, "result.txt"), "w").write(res + ": detail\n")
        rows.append({"case": name, "role": "initiator", "suite": "aes256gcm16",
                     "result": res, "seconds": 12.25,
                     "folder": os.path.join(d, name)})
    counts = {k: sum(1 for _, r in results if r == k)
              for k in ("pass", "fail", "error", "unsupported")}
    json.dump({"cases": len(rows), **counts, "results": rows},
              open(os.path.join(d, "summary.json"), "w"))
    open(os.path.join(d, "junit.xml"), "w").write("<testsuites/>\n")


i_now = os.path.join(W, "interop-now")
i_old = os.path.join(W, "interop-old")
evil_case = "<b>x</b>"
interop(i_now, [("psk-basic", "pass"), ("rekey-ike", "fail"), ("cookie", "pass"),
                (evil_case, "error")])
interop(i_old, [("psk-basic", "pass"), ("rekey-ike", "pass"), ("cookie", "fail")])
rc, out, err = run("report", i_now, "--baseline", i_old)
check(rc == 0, f"interop exit {rc}: {err}")
hi = page(os.path.join(i_now, "index.html"))
self_contained(hi, "interop")
check('class="verdict fail"' in hi, "interop: verdict fail")
check('href="rekey-ike/result.txt"' in hi, "interop: per-case link")
check("<b>x</b>" not in hi and "&lt;b&gt;x&lt;/b&gt;" in hi, "interop: case name escaped")
check('href="junit.xml"' in hi, "interop: junit link")
check("12.2" in hi or "12.3" in hi, "interop: seconds")
m = re.search(r'data-testid="baseline">(.*?)</section>', hi, re.S)
if m:
    nf, _, np_ = m.group(1).partition("Newly passing")
    check("rekey-ike: pass" in nf, "interop baseline: rekey-ike newly failing")
    check("cookie: fail" in np_, "interop baseline: cookie newly passing")
    check("psk-basic" not in m.group(1), "interop baseline: unchanged case not listed")
else:
    check(False, "interop: baseline section")

# --- fuzz (synthetic ci/fuzz.sh folder) -------------------------------------
fz = os.path.join(W, "fuzz")
os.makedirs(os.path.join(fz, "fuzz_wire"))
os.makedirs(os.path.join(fz, "fuzz_esp"))
json.dump({"engine": "libfuzzer", "seconds": 60, "targets": [
    {"target": "fuzz_wire", "status": "pass", "execs": 120000, "execs_per_sec": 2000,
     "coverage": 1500, "floor": 1000, "features": 4000, "corpus_units": 300,
     "crashes": 0, "problems": []},
    {"target": "fuzz_esp", "status": "fail", "execs": 5000, "execs_per_sec": 83,
     "coverage": 900, "floor": 1000, "features": 2000, "corpus_units": 50,
     "crashes": 1, "problems": ["coverage 900 below the floor 1000"]}]},
    open(os.path.join(fz, "metrics.json"), "w"))
open(os.path.join(fz, "fuzz_wire", "coverage.svg"), "w").write(
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
open(os.path.join(fz, "fuzz_esp", "reproducers.txt"), "w").write(
    "build/fuzz/fuzz/fuzz_esp crash-<b>1234</b>\n")
rc, out, err = run("report", fz)
check(rc == 0, f"fuzz exit {rc}: {err}")
hf = page(os.path.join(fz, "index.html"))
self_contained(hf, "fuzz")
check('class="verdict fail"' in hf, "fuzz: verdict fail (a crash)")
check("2000" in hf and "fuzz_esp" in hf, "fuzz: targets table")
check('src="data:image/svg+xml;base64,' in hf, "fuzz: coverage SVG embedded as an image")
check('href="fuzz_esp/reproducers.txt"' in hf, "fuzz: reproducers link")
check("fuzz_esp crash-&lt;b&gt;1234&lt;/b&gt;" in hf, "fuzz: reproducer inline, escaped")
fails = re.search(r'data-testid="failures">(.*?)</table>', hf, re.S)
check(fails is not None and "fuzz_esp" in fails.group(1)
      and "fuzz_wire" not in fails.group(1), "fuzz: crash table lists fuzz_esp only")
rc, out, err = run("report", fz, "--baseline", fz)
check(rc == 2 and "--baseline" in err, f"fuzz --baseline: exit {rc}: {err}")
repro = re.search(r'data-testid="reproduce">(.*?)</pre>', hf, re.S)
check(repro is not None and repro.group(1).startswith("ci/fuzz.sh --engine libfuzzer")
      and "--target fuzz_esp" in repro.group(1),
      "fuzz: without a recorded cmdline, Run it again is rebuilt from metrics.json")
check("2 fuzz targets" in hf, "fuzz: title counts 2 targets")
# a recorded command line (ci/fuzz.sh --cmdline) is the Run it again line as
# given, --jobs and --no-coverage included, escaped; one target is singular
fz1 = os.path.join(W, "fuzz1")
os.makedirs(fz1)
cmd = "ci/fuzz.sh --seconds 5 --jobs 1 --target fuzz_wire --no-coverage --out '<o>'"
json.dump({"engine": "libfuzzer", "seconds": 5, "cmdline": cmd, "targets": [
    {"target": "fuzz_wire", "status": "pass", "execs": 10, "execs_per_sec": 2,
     "coverage": 1500, "floor": 1000, "features": 4000, "corpus_units": 300,
     "crashes": 0, "problems": []}]},
    open(os.path.join(fz1, "metrics.json"), "w"))
rc, out, err = run("report", fz1)
check(rc == 0, f"fuzz cmdline exit {rc}: {err}")
h1 = page(os.path.join(fz1, "index.html"))
repro = re.search(r'data-testid="reproduce">(.*?)</pre>', h1, re.S)
check(repro is not None and repro.group(1) == cmd.replace("<", "&lt;").replace(">", "&gt;")
      .replace("'", "&#39;"),
      f"fuzz: Run it again is the recorded cmdline ({repro and repro.group(1)})")
check("1 fuzz target (" in h1, "fuzz: title '1 fuzz target' (singular)")

# --- several folders: the index page ----------------------------------------
idx = os.path.join(W, "idx", "all.html")
os.makedirs(os.path.dirname(idx))
rc, out, err = run("report", r1, r2, i_now, "--out", idx)
check(rc == 0, f"index exit {rc}: {err}")
hx = page(idx)
links = re.findall(r'<a href="([^"]+)">', hx)
check(len(links) == 3, f"index: 3 links ({links})")
for l in links:
    check(os.path.isfile(os.path.normpath(os.path.join(os.path.dirname(idx), l))),
          f"index: link {l} leads to a page")
check('class="verdict fail"' in hx, "index: overall verdict fail (interop failed)")
# a shell glob over a runs folder names other things too: files and folders
# that are no run folder at all are skipped with a warning, the index lists
# the runs; a run folder that cannot be read is still an error
rc, out, err = run("report", r1, idx, os.path.join(W, "idx"), "--out",
                   os.path.join(W, "idx", "glob.html"))
hg = page(os.path.join(W, "idx", "glob.html"))
check(rc == 0 and "skipped: not a folder" in err and "skipped: not a run folder" in err
      and len(re.findall(r'<a href="([^"]+)">', hg)) == 1,
      f"glob-like list: exit {rc}: {err}")
rc, out, err = run("report", idx, os.path.join(W, "idx"))
check(rc == 2 and "no index written" in err, f"nothing to index: exit {rc}: {err}")

# --- bad folders and arguments: exit 2 with a specific message --------------
empty = os.path.join(W, "empty")
os.makedirs(empty)
rc, out, err = run("report", empty)
check(rc == 2 and "not a run folder" in err, f"empty folder: exit {rc}: {err}")
rc, out, err = run("report", os.path.join(W, "missing"))
check(rc == 2 and "missing" in err, f"missing folder: exit {rc}: {err}")
badj = os.path.join(W, "badjson")
os.makedirs(badj)
open(os.path.join(badj, "run.json"), "w").write('{"command": "sim",\n "x": "\\q"}')
rc, out, err = run("report", badj)
check(rc == 2 and "run.json:2:8" in err and "escape" in err,
      f"bad run.json: exit {rc}: {err}")
open(os.path.join(badj, "run.json"), "w").write('{"command": "bogus"}')
rc, out, err = run("report", badj)
check(rc == 2 and "bogus" in err, f"unknown command: exit {rc}: {err}")
badev = os.path.join(W, "badev")
shutil.copytree(r1, badev)
with open(os.path.join(badev, "events.jsonl"), "a") as f:
    f.write('{"t":1,"ev":"x"\n')
rc, out, err = run("report", badev)
check(rc == 2 and "events.jsonl:%d:" % sum(1 for _ in open(os.path.join(badev, "events.jsonl"))) in err,
      f"bad events line: exit {rc}: {err}")
rc, out, err = run("report")
check(rc == 2, f"no RUN_DIR: exit {rc}")
rc, out, err = run("report", r1, "--bogus")
check(rc == 2 and "--bogus" in err, f"unknown option: exit {rc}")
rc, out, err = run("report", r1, "--baseline", r2)
check(rc == 2 and "--baseline" in err, f"sim --baseline: exit {rc}: {err}")
rc, out, err = run("report", r2, "--baseline", empty)
check(rc == 2 and "conformance.json" in err, f"baseline without its file: exit {rc}: {err}")
rc, out, err = run("report", r1, "--out", os.path.join(W, "no", "such", "dir.html"))
check(rc == 2 and "IO_WRITE" in err, f"unwritable --out: exit {rc}: {err}")
rc, out, err = run("report", "--help")
check(rc == 0 and "usage: ikeharness report" in out, "--help")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("report: all checks passed")
