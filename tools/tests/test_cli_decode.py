#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The `ikeharness decode` contract, run against the real program:
exit codes, the run folder, JSON validity, errors on bad input."""
import argparse
import json
import os
import shutil
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--exe", required=True)
ap.add_argument("--source", required=True)
ap.add_argument("--work", required=True)
args = ap.parse_args()

shutil.rmtree(args.work, ignore_errors=True)
os.makedirs(args.work)
failures = []
checks = 0


def run(*argv, stdin=None):
    p = subprocess.run([args.exe, "decode", *argv], input=stdin,
                       capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what)


demo = os.path.join(args.source, "corpus/pcap/demo.pcap")

# 1. A capture: exit 0, valid JSON, messages and skipped records counted.
rc, out, err = run("--json", demo)
check(rc == 0, f"demo.pcap exit {rc}: {err}")
doc = json.loads(out)
check(doc["format"] == "pcap" and doc["linktype"] == 1, "format/linktype")
check(doc["summary"]["messages"] == len(doc["messages"]) >= 16, "message count")
check(doc["summary"]["skipped"] == len(doc["skipped"]) == 5, "skipped count")
check(all(s["error"] in ("PKT_ESP", "PKT_NAT_KEEPALIVE") for s in doc["skipped"]), "skip reasons")
auth = [m for m in doc["messages"] if m["header"]["exch"] == 35]
check(auth and auth[0]["non_esp_marker"] and auth[0]["dport"] == 4500, "IKE_AUTH on 4500 with marker")
sk = auth[0]["payloads"][0]
check(sk["name"] == "SK" and sk["iv_len"] == 16 and sk["icv_len"] == 16 and
      sk["iv_len"] + sk["ct_len"] + sk["icv_len"] == sk["body_len"], "SK envelope split from the IKE_SA_INIT suite")

# 1b. IP fragments are reassembled (RFC 791 / RFC 8200 §4.5).
rc, out, err = run("--json", os.path.join(args.source, "corpus/pcap/ip_fragments.pcap"))
doc = json.loads(out)
check(rc == 0 and doc["summary"]["errors"] == 0, f"ip_fragments.pcap exit {rc}")
frag = [m for m in doc["messages"] if m.get("fragments", 0) > 1]
check(len(frag) >= 4 and all(m["length"] > 1232 - 48 for m in frag), "fragmented messages come out whole")
check(all(s["error"] in ("PKT_IP_FRAGMENT", "PKT_NAT_KEEPALIVE") for s in doc["skipped"]),
      "held fragments are listed as skipped")

# 2. The run folder.
outdir = os.path.join(args.work, "run")
rc, out, err = run("--quiet", "--out", outdir, demo)
check(rc == 0 and out == "", f"--quiet --out: exit {rc}, stdout {len(out)} octets")
for f in ("run.json", "decoded.json", "events.jsonl", "metrics.json", "metrics.prom"):
    check(os.path.isfile(os.path.join(outdir, f)), f"run folder has {f}")
run_json = json.load(open(os.path.join(outdir, "run.json")))
check(run_json["verdict"] == "pass" and run_json["exit_code"] == 0, "run.json verdict")
json.load(open(os.path.join(outdir, "decoded.json")))
json.load(open(os.path.join(outdir, "metrics.json")))
events = [json.loads(line) for line in open(os.path.join(outdir, "events.jsonl"))]
check(events[0]["ev"] == "run.start" and events[-1]["ev"] == "run.end", "events start/end")
check(sum(e["ev"] == "decode.msg" for e in events) == run_json["counts"]["messages"], "one decode.msg per message")
check(list(events[1].keys())[:4] == ["t", "lvl", "ev", "node"], "fixed key order")
prom = open(os.path.join(outdir, "metrics.prom")).read()
check("ikh_decode_frames_total" in prom, "metrics.prom has the frame counter")

# 3. Hex input, good and bad messages; exit 1 when a message does not parse.
good = open(demo, "rb").read()
rc, out, err = run("--json", "--hex", "00")
check(rc == 1, f"1-octet hex message exits 1 (got {rc})")
e = json.loads(out)["messages"][0]["error"]
check(e["error"] == "WIRE_HDR_SHORT" and e["code"] == 203, "hex: header short reported")
rc, out, err = run("--hex", "zz")
check(rc == 2 and "ARG_HEX" in err, f"bad hex digit: exit {rc}, {err.strip()}")
rc, out, err = run("--hex", "abc")
check(rc == 2 and "ARG_HEX" in err, f"odd hex: exit {rc}")

# 4. The malformed table through the CLI: every line gives its code.
table = os.path.join(args.source, "stack/tests/vectors/malformed_table.h")
rows = []
text = open(table).read().split("\n{")[1:]
for r in text:
    parts = r.split(",\n")
    hexs = parts[1].strip().strip('"')
    stage, code = parts[2].split(",")[0].strip(), parts[2].split(",")[1].strip()
    rows.append((hexs, int(stage), code.replace("IKH_ERR_", "")))
hexfile = os.path.join(args.work, "malformed.hex")
with open(hexfile, "w") as f:
    f.write("# the malformed table, one message per line\n")
    for h, _, _ in rows:
        f.write((h or "") + "\n")
# an empty line is skipped, so the empty-datagram case is checked by --hex above
rc, out, err = run("--json", "--hex-file", hexfile)
check(rc == 1, f"malformed hex file exits 1 (got {rc})")
msgs = json.loads(out)["messages"]
expect = [(s, c) for h, s, c in rows if h]
check(len(msgs) == len(expect), f"{len(msgs)} messages decoded for {len(expect)} lines")
for m, (stage, code) in zip(msgs, expect):
    got = (m["verify"] if stage == 1 else m["error"]) or {}
    check(got.get("error") == code, f"malformed line {m['frame']}: want {code}, got {got.get('error')}")
rc, out, err = run("--json", "--strict", "--hex-file", hexfile)
check(rc == 1, "--strict")

# 5. Bad files: missing, empty, damaged capture, directory.
rc, out, err = run(os.path.join(args.work, "missing.pcap"))
check(rc == 2 and "IO_OPEN" in err, f"missing file: exit {rc} {err.strip()}")
bad = os.path.join(args.work, "bad.pcap")
open(bad, "wb").write(good[:20])  # pcap magic, truncated file header
rc, out, err = run(bad)
check(rc == 2 and "PCAP_OPEN" in err, f"truncated pcap header: exit {rc} {err.strip()}")
cut = os.path.join(args.work, "cut.pcap")
open(cut, "wb").write(good[:len(good) - 7])  # last record truncated
rc, out, err = run("--json", cut)
check(rc == 1, f"truncated last record: exit {rc}")
doc = json.loads(out)
check(doc["summary"]["messages"] == 15 and doc["skipped"][-1]["error"] == "PCAP_RECORD",
      "records before the damage are decoded, the damaged one is reported")
raw = os.path.join(args.work, "one.raw")
open(raw, "wb").write(good[24 + 16 + 42: 24 + 16 + 42 + 388])  # frame 1's IKE message
rc, out, err = run("--json", raw)
check(rc == 0 and json.loads(out)["messages"][0]["header"]["exch"] == 34, f"raw file: exit {rc} {err}")
rc, out, err = run("--json", "--marker", "-", stdin=bytes(4) + good[82:82 + 388])
check(rc == 0 and json.loads(out)["format"] == "raw", f"stdin with marker: exit {rc} {err}")
big = os.path.join(args.work, "big.raw")
open(big, "wb").write(b"\x01" * 70000)  # larger than any IKE message
rc, out, err = run(big)
check(rc == 2 and "IO_TOO_BIG" in err, f"oversized raw file: exit {rc} {err.strip()}")
# a long non-ASCII path (escaped in the JSON head) still gives valid JSON
longdir = os.path.join(args.work, "\u00e9" * 120)
os.makedirs(longdir, exist_ok=True)
longcap = os.path.join(longdir, "\u00e9" * 120 + ".pcap")
shutil.copy(demo, longcap)
rc, out, err = run("--json", longcap)
check(rc == 0 and json.loads(out)["input"] == longcap, f"long non-ASCII path: exit {rc}")
rc, out, err = run("--bogus")
check(rc == 2, "unknown option exits 2")
rc, out, err = run()
check(rc == 2, "no input exits 2")
# every command is built now (report was the last): without arguments
# report shows its usage and exits 2, and the command list marks none
# "not built yet"
p = subprocess.run([args.exe, "report"], capture_output=True, timeout=10)
check(p.returncode == 2 and b"usage: ikeharness report" in p.stderr,
      "report without RUN_DIR: usage, exit 2")
p = subprocess.run([args.exe, "--help"], capture_output=True, timeout=10)
check(p.returncode == 0 and b"not built yet" not in p.stdout, "no unbuilt command listed")

print(f"cli-decode: {checks} checks, {len(failures)} failed")
sys.exit(1 if failures else 0)
