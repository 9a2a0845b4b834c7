#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The `ikeharness peer` contract on loopback: two live peers (one
initiator, one responder, PSK) on 127.0.0.1 with their own ports set up an
IKE SA, rekey the Child SA and carry 20 ICMP echo requests and replies;
both pass with complete run folders and tshark decrypts one side's capture
with its key tables. Then bad input (exit 2 with a message) and SIGTERM in
the middle of a run (a verdict, the IKE SA deleted, a complete folder)."""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--exe", required=True, help="the ikeharness program")
ap.add_argument("--work", required=True, help="scratch folder (emptied)")
args = ap.parse_args()
shutil.rmtree(args.work, ignore_errors=True)
os.makedirs(args.work)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_check  # noqa: E402  (tshark decryption checks)

PORTS = {"a": (15500, 15501), "b": (15600, 15601)}
results = []  # (passed, what), in order


def check(cond, what):
    results.append((bool(cond), what))
    if not cond:
        print(f"FAIL: {what}", file=sys.stderr)


def peer(*a):
    return subprocess.Popen([args.exe, "peer", *a], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(p, what, timeout=20):
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    check(p.returncode >= 0 and "Sanitizer" not in err, f"no crash: {what}")
    if p.returncode not in (0, 1, 2):
        print(f"{what}: exit {p.returncode}\n{out}{err}", file=sys.stderr)
    return p.returncode, out, err


def run(*a):
    """A run that ends by itself: (exit code, stdout, stderr)."""
    return finish(peer(*a), f"peer {' '.join(a)}", timeout=30)


def side(name, remote, natt_force):
    port, natt = PORTS[name]
    net, other = ("10.1.0.0/16", "10.2.0.0/16") if name == "a" else \
        ("10.2.0.0/16", "10.1.0.0/16")
    return f"""  {name}:
    address: 127.0.0.1
    port: {port}
    natt_port: {natt}
    remote: {remote}
{"    natt: force" + chr(10) if natt_force else ""}\
    proposals: [aes256gcm16-prfsha256-x25519]
    auth: {{method: psk, psk: "ikeharness loopback psk"}}
    id: fqdn:{name}.example
    peer_id: fqdn:{remote}.example
    children:
      - name: net
        proposals: [aes256gcm16]
        local_ts: [{net}]
        remote_ts: [{other}]
"""


# the udp driver carries ESP in UDP only: natt force makes both sides
# encapsulate (as strongSwan's kernel-libipsec does)
SCENARIO = f"""name: peer-loopback
description: two live peers on 127.0.0.1, a Child SA rekey, 20 pings
duration: 5s
peers:
{side("a", "b", True)}{side("b", "a", False)}links:
  - {{between: [a, b]}}
timeline:
  - {{at: 300ms, do: initiate, peer: a, child: net}}
  - {{at: 1s, do: traffic, peer: a, from: 10.1.0.5, to: 10.2.0.7, count: 20, interval: 100ms, size: 200}}
  - {{at: 1500ms, do: rekey_child, peer: a}}
  - {{at: 1s, do: faults, between: [a, b], faults: {{loss: 0%}}}}
expect:
  - {{peer: a, ike_sa: {{state: ESTABLISHED, count: 1}}}}
  - {{peer: b, ike_sa: {{state: ESTABLISHED, count: 1}}}}
  - {{peer: a, child_sa: {{state: INSTALLED, count: 1}}}}
  - {{peer: b, child_sa: {{state: INSTALLED, count: 1}}}}
  - {{peer: a, log: {{ev: ike.child.delete, by: rekey}}, count: 1}}
  - {{peer: a, metric: {{name: ikh_esp_packets_encrypted_total, value: 20}}}}
  - {{peer: a, metric: {{name: ikh_esp_packets_decrypted_total, value: 20}}}}
  - {{peer: b, metric: {{name: ikh_esp_packets_decrypted_total, value: 20}}}}
  - {{peer: b, metric: {{name: ikh_esp_packets_encrypted_total, value: 20}}}}
  - {{metric: {{name: ikh_esp_drops_total, value: 0}}}}
"""
cfg = os.path.join(args.work, "loopback.yaml")
with open(cfg, "w") as f:
    f.write(SCENARIO)


def folder_complete(out, name, role, what):
    path = os.path.join(out, "run.json")
    check(os.path.isfile(path), f"{what}: run.json written")
    if not os.path.isfile(path):
        return None
    rj = json.load(open(path))
    for f in rj["files"]:
        check(os.path.isfile(os.path.join(out, f)), f"{what}: run folder has {f}")
    check(rj["command"] == "peer" and rj["peer"] == name and rj["role"] == role,
          f"{what}: run.json command, peer, role")
    check(rj["udp"]["sent"] > 0 and rj["udp"]["received"] > 0,
          f"{what}: run.json udp counters")
    return rj


# ---- two live peers ---------------------------------------------------------
t_start = time.monotonic()
out_a, out_b = os.path.join(args.work, "a"), os.path.join(args.work, "b")
pb = peer("--config", cfg, "--name", "b", "--out", out_b)
time.sleep(0.2)
pa = peer("--config", cfg, "--name", "a", "--out", out_a)
rca, outa, erra = finish(pa, "peer a")
rcb, outb, errb = finish(pb, "peer b")
check(rca == 0, f"initiator a passes (exit {rca}): {erra[-400:]}")
check(rcb == 0, f"responder b passes (exit {rcb}): {errb[-400:]}")
check("step ignored (faults steps apply to the simulator only)" in erra,
      "faults step ignored with a note")
ra = folder_complete(out_a, "a", "initiator", "a")
rb = folder_complete(out_b, "b", "responder", "b")
if ra and rb:
    check(ra["verdict"] == "pass" and rb["verdict"] == "pass", "verdicts pass")
    mine = [e for e in ra["expectations"] if not e.get("not_checked")]
    check(len(mine) == 6, f"a judges its 6 expectations (got {len(mine)})")
    check(sum(1 for e in rb["expectations"] if e.get("not_checked")) == 5,
          "b leaves a's 5 expectations unchecked")
    check(ra["key_tables"]["esp_sas"] >= 4, "a: ESP keys of both Child SAs")
    junit = open(os.path.join(out_b, "junit.xml")).read()
    check(junit.count("<skipped") == 5, "junit.xml: other peer's expectations skipped")
# tshark: our ports carry the non-ESP marker (neither is 500): decode them
# as UDP encapsulation, then every SK payload and ESP packet must decrypt
tshark = shutil.which("tshark")
if tshark and ra:
    with open(os.path.join(out_a, "decode_as_entries"), "w") as f:
        for port in PORTS["a"] + PORTS["b"]:
            f.write(f"decode_as_entry: udp.port,{port},(none),UDPENCAP\n")
    summary, errors = scenario_check.decrypt_check(tshark, out_a)
    check(not errors, f"tshark decrypts a's capture: {errors[:5]}")
    check("ESP: 40 packets decrypted" in summary, f"40 ESP packets: {summary}")
    print(f"a: {summary}")
elif not tshark:
    print("tshark not found: decryption not checked", file=sys.stderr)

# ---- bad input --------------------------------------------------------------
rc, _, err = run("--config", cfg)
check(rc == 2 and "--name" in err, "missing --name: exit 2")
rc, _, err = run("--config", cfg, "--name", "zz")
check(rc == 2 and "no peer named 'zz'" in err,
      f"unknown peer: exit 2 ({err.strip()})")
rc, _, err = run("--config", os.path.join(args.work, "nope.yaml"), "--name", "a")
check(rc == 2 and "IO_OPEN" in err, "missing file: exit 2")
rc, _, err = run("--config", cfg, "--name", "a", "--role", "both")
check(rc == 2 and "--role" in err, "bad --role: exit 2")
rc, _, err = run("--config", cfg, "--name", "a", "--duration", "soon")
check(rc == 2 and "--duration" in err, "bad --duration: exit 2")
busy = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
busy.bind(("127.0.0.1", PORTS["a"][0]))
rc, _, err = run("--config", cfg, "--name", "a", "--out", os.path.join(args.work, "busy"))
busy.close()
check(rc == 2 and "127.0.0.1:15500" in err,
      f"port in use: exit 2 naming it ({err.strip()})")

# ---- SIGTERM in the middle of a run -----------------------------------------
out_a, out_b = os.path.join(args.work, "term-a"), os.path.join(args.work, "term-b")
pb = peer("--config", cfg, "--name", "b", "--out", out_b, "--duration", "30s")
time.sleep(0.2)
pa = peer("--config", cfg, "--name", "a", "--out", out_a, "--duration", "30s")
time.sleep(2.0)
t_term = time.monotonic()
pa.send_signal(signal.SIGTERM)
rca, outa, erra = finish(pa, "peer a (SIGTERM)")
check(time.monotonic() - t_term < 3.0, "SIGTERM: ends within the 2 s grace")
check(rca in (0, 1), f"SIGTERM: exit with a verdict ({rca}): {erra[-300:]}")
ra = folder_complete(out_a, "a", "initiator", "SIGTERM a")
if ra:
    check(ra.get("interrupted") == "SIGTERM" and ra["verdict"] in ("pass", "fail"),
          "SIGTERM: run.json says interrupted, has a verdict")
    ev = open(os.path.join(out_a, "events.jsonl")).read()
    check('"to":"DELETING"' in ev, "SIGTERM: the IKE SA is deleted politely")
pb.send_signal(signal.SIGINT)
rcb, outb, errb = finish(pb, "peer b (SIGINT)")
check(rcb in (0, 1), f"SIGINT: responder exits with a verdict ({rcb})")
if os.path.isfile(os.path.join(out_b, "events.jsonl")):
    evb = open(os.path.join(out_b, "events.jsonl")).read()
    check('"exch":"INFORMATIONAL"' in evb, "b saw a's Delete")

passed = sum(1 for ok, _ in results if ok)
print(f"{passed}/{len(results)} checks pass ({time.monotonic() - t_start:.1f} s)")
sys.exit(0 if passed == len(results) else 1)
