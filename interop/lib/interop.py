#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Helpers of interop/run.sh that are awkward in bash.

  scenario FILE PEER REMOTE   print shell assignments (role, duration, ports,
                              suite) for the ikeharness peer PEER and its
                              real remote REMOTE of a scenario file
  sas FILE                    flatten `swanctl --list-sas --raw` output into
                              one line per SA: "ike NAME k=v ..." and
                              "child IKE NAME k=v ..."
  count FILE ike|child STATE  number of SAs of that kind in STATE (any: all)
  report DIR RESULTS          write DIR/junit.xml and DIR/summary.json from the
                              tab-separated RESULTS file and print the table
  half-open SRC DST PORT      send one IKE_SA_INIT request (aes256gcm16-
                              prfsha256-x25519) from SRC port 501 to DST PORT
                              and wait 5 s for the answer; never continue it,
                              so the responder keeps a half-open IKE SA.
                              Exit 0 when an answer came (printed), 1 not

Exit 0 on success, 2 on bad input (the caller treats it as an environment error).
"""
import json
import os
import re
import sys
import xml.sax.saxutils as sx


def die(msg):
    print(f"interop.py: {msg}", file=sys.stderr)
    sys.exit(2)


def duration_ms(v, default):
    if v is None:
        return default
    if isinstance(v, int):
        return v
    m = re.fullmatch(r"(\d+)(ms|s|m|h)?", str(v).strip())
    if not m:
        die(f"bad duration {v!r}")
    mult = {"ms": 1, "s": 1000, "m": 60000, "h": 3600000, None: 1}[m.group(2)]
    return int(m.group(1)) * mult


def cmd_scenario(path, me, remote):
    import yaml  # python3-yaml (ci/deps.sh)

    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        die(f"{path}: {e}")
    peers = doc.get("peers") or {}
    if me not in peers or remote not in peers:
        die(f"{path}: needs peers '{me}' and '{remote}'")
    p, r = peers[me], peers[remote]
    if p.get("remote") != remote:
        die(f"{path}: peers.{me}.remote must be '{remote}'")
    role = "responder"
    for st in doc.get("timeline") or []:
        if st.get("do") == "initiate" and st.get("peer") == me:
            role = "initiator"
    props = p.get("proposals") or ["aes256gcm16-prfsha256-x25519"]
    children = p.get("children") or [{"proposals": ["aes256gcm16"]}]
    child_props = children[0].get("proposals") or ["aes256gcm16"]
    out = {
        "SCN_ROLE": role,
        "SCN_DURATION_MS": duration_ms(doc.get("duration"), 600000),
        "SCN_ADDR": p.get("address", ""),
        "SCN_PORT": p.get("port", 500),
        "SCN_REMOTE_ADDR": r.get("address", ""),
        "SCN_REMOTE_PORT": r.get("port", 500),
        "SCN_REMOTE_NATT_PORT": r.get("natt_port", 4500),
        "SCN_SUITE": f"{props[0]}/{child_props[0]}",
    }
    for k, v in out.items():
        print(f"{k}='{v}'")


def tokens(text):
    return re.findall(r"[{}\[\]]|[^\s{}\[\]]+", text)


def parse_section(toks, i):
    """Parse vici raw text from toks[i] (after '{') up to the matching '}'."""
    sec = {}
    while i < len(toks):
        t = toks[i]
        if t == "}":
            return sec, i + 1
        if i + 1 < len(toks) and toks[i + 1] == "{":
            sub, i = parse_section(toks, i + 2)
            sec[t] = sub
            continue
        if t.endswith("=") and i + 1 < len(toks) and toks[i + 1] == "[":
            j = i + 2
            items = []
            while j < len(toks) and toks[j] != "]":
                items.append(toks[j])
                j += 1
            sec[t[:-1]] = items
            i = j + 1
            continue
        k, _, v = t.partition("=")
        sec[k] = v
        i += 1
    return sec, i


def flatten(path):
    lines = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read().splitlines()
    except OSError:
        return lines
    for line in raw:
        if not line.startswith("list-sa event"):
            continue
        toks = tokens(line[len("list-sa event"):])
        if not toks or toks[0] != "{":
            continue
        ev, _ = parse_section(toks, 1)
        for ike, sa in ev.items():
            if not isinstance(sa, dict):
                continue
            kv = " ".join(f"{k}={','.join(v) if isinstance(v, list) else v}"
                          for k, v in sa.items() if not isinstance(v, dict))
            lines.append(f"ike {ike} {kv}")
            for cname, ch in (sa.get("child-sas") or {}).items():
                ckv = " ".join(f"{k}={','.join(v) if isinstance(v, list) else v}"
                               for k, v in ch.items() if not isinstance(v, dict))
                lines.append(f"child {ike} {cname} {ckv}")
    return lines


def cmd_count(path, kind, state):
    n = 0
    for line in flatten(path):
        f = line.split()
        if f[0] != kind:
            continue
        st = re.search(r"(?:^| )state=(\S+)", line)
        if state.lower() == "any" or (st and st.group(1) == state.upper()):
            n += 1
    print(n)


def cmd_report(outdir, results):
    rows = []
    with open(results, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 6:
                continue
            name, role, suite, result, secs, detail_file = parts[:6]
            detail = ""
            if detail_file and os.path.exists(detail_file):
                with open(detail_file, encoding="utf-8", errors="replace") as d:
                    detail = d.read()
            rows.append({"case": name, "role": role, "suite": suite,
                         "result": result, "seconds": float(secs),
                         "folder": os.path.dirname(detail_file) if detail_file else "",
                         "detail": detail})
    counts = {k: sum(1 for r in rows if r["result"] == k)
              for k in ("pass", "fail", "error", "unsupported")}
    summary = {"cases": len(rows), **counts,
               "results": [{k: r[k] for k in r if k != "detail"} for r in rows]}
    with open(os.path.join(outdir, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    total = sum(r["seconds"] for r in rows)
    x = ['<?xml version="1.0" encoding="UTF-8"?>',
         f'<testsuites name="interop" tests="{len(rows)}" failures="{counts["fail"]}"'
         f' errors="{counts["error"]}" skipped="{counts["unsupported"]}" time="{total:.1f}">',
         f'<testsuite name="interop.strongswan" tests="{len(rows)}" failures="{counts["fail"]}"'
         f' errors="{counts["error"]}" skipped="{counts["unsupported"]}" time="{total:.1f}">']
    for r in rows:
        x.append(f'<testcase classname="interop.strongswan" name={sx.quoteattr(r["case"])}'
                 f' time="{r["seconds"]:.1f}">')
        msg = r["detail"].splitlines()[0] if r["detail"] else r["result"]
        body = sx.escape(r["detail"])
        if r["result"] == "fail":
            x.append(f'<failure message={sx.quoteattr(msg)}>{body}</failure>')
        elif r["result"] == "error":
            x.append(f'<error message={sx.quoteattr(msg)}>{body}</error>')
        elif r["result"] == "unsupported":
            x.append(f'<skipped message={sx.quoteattr(msg)}>{body}</skipped>')
        x.append('</testcase>')
    x += ['</testsuite>', '</testsuites>']
    with open(os.path.join(outdir, "junit.xml"), "w", encoding="utf-8") as f:
        f.write("\n".join(x) + "\n")
    w = max([len("case")] + [len(r["case"]) for r in rows])
    s = max([len("suite")] + [len(r["suite"]) for r in rows])
    o = max([len("role")] + [len(r["role"]) for r in rows])
    print(f"{'case':<{w}}  {'role':<{o}}  {'suite':<{s}}  {'result':<11}  seconds")
    for r in rows:
        print(f"{r['case']:<{w}}  {r['role']:<{o}}  {r['suite']:<{s}}  "
              f"{r['result']:<11}  {r['seconds']:7.1f}")
    print(f"{len(rows)} cases: {counts['pass']} pass, {counts['fail']} fail, "
          f"{counts['error']} error, {counts['unsupported']} unsupported")


def cmd_half_open(src, dst, port):
    """RFC 7296 §1.2/§3: HDR, SAi1, KEi, Ni with a fresh SPI; a responder
    that answers has a half-open IKE SA until its half-open timeout."""
    import socket
    import struct

    def payload(nxt, body):  # generic payload header (§3.2)
        return struct.pack("!BBH", nxt, 0, 4 + len(body)) + body

    def transform(last, ttype, tid, attrs=b""):  # §3.3.2
        return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs),
                           ttype, 0, tid) + attrs

    trans = (transform(False, 1, 20, struct.pack("!HH", 0x800E, 256))  # ENCR_AES_GCM_16, 256
             + transform(False, 2, 5)                                  # PRF_HMAC_SHA2_256
             + transform(True, 4, 31))                                 # Curve25519 (RFC 8031)
    prop = struct.pack("!BBHBBBB", 0, 0, 8 + len(trans), 1, 1, 0, 3) + trans
    ke = payload(40, struct.pack("!HH", 31, 0) + os.urandom(32))
    nonce = payload(0, os.urandom(32))
    sa = payload(34, prop)
    body = sa + ke + nonce
    spi = os.urandom(8)
    hdr = spi + bytes(8) + struct.pack("!BBBBII", 33, 0x20, 34, 0x08, 0, 28 + len(body))
    msg = hdr + body
    if int(port) != 500:
        msg = bytes(4) + msg  # non-ESP marker (RFC 3948 §2.2) off port 500
    fam = socket.AF_INET6 if ":" in src else socket.AF_INET
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.bind((src, 501))
        s.settimeout(5)
        s.sendto(msg, (dst, int(port)))
        try:
            data, _ = s.recvfrom(65535)
        except socket.timeout:
            print(f"no answer from {dst}:{port} in 5 s")
            sys.exit(1)
    if data[:4] == bytes(4):
        data = data[4:]
    if len(data) < 28 or data[:8] != spi:
        print(f"unexpected answer of {len(data)} octets")
        sys.exit(1)
    rspi, exch, flags = data[8:16].hex(), data[18], data[19]
    print(f"IKE_SA_INIT answered: SPIi {spi.hex()} SPIr {rspi} exchange {exch} "
          f"flags 0x{flags:02x} first payload {data[16]}")


def main(argv):
    if len(argv) >= 4 and argv[0] == "scenario":
        cmd_scenario(argv[1], argv[2], argv[3])
    elif len(argv) == 2 and argv[0] == "sas":
        print("\n".join(flatten(argv[1])))
    elif len(argv) == 4 and argv[0] == "count":
        cmd_count(argv[1], argv[2], argv[3])
    elif len(argv) == 3 and argv[0] == "report":
        cmd_report(argv[1], argv[2])
    elif len(argv) == 4 and argv[0] == "half-open":
        cmd_half_open(argv[1], argv[2], argv[3])
    else:
        die("usage: see the top of interop/lib/interop.py")


if __name__ == "__main__":
    main(sys.argv[1:])
