#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The `ikeharness sim` contract: exit codes, the run folder, and a specific
message (file:line:column) for every kind of bad input; never a crash."""
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
checks = 0
failures = []


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def run(*a):
    p = subprocess.run([args.exe, "sim", *a], capture_output=True, text=True,
                       timeout=120)
    # a crash shows as a negative code (signal) or a sanitizer report
    check(p.returncode >= 0 and "Sanitizer" not in p.stderr,
          f"no crash: sim {' '.join(a)}")
    return p


def write(name, text):
    path = os.path.join(args.work, name)
    with open(path, "w") as f:
        f.write(text)
    return path


default = os.path.join(args.source, "corpus", "scenarios", "default.yaml")
out = os.path.join(args.work, "run")
p = run(default, "--out", out)
check(p.returncode == 0, f"default scenario passes (exit {p.returncode})")
run_json = json.load(open(os.path.join(out, "run.json")))
check(run_json["verdict"] == "pass" and run_json["seed"] == 1, "run.json verdict and seed")
for f in run_json["files"]:
    check(os.path.isfile(os.path.join(out, f)), f"run folder has {f}")
check(open(os.path.join(out, "junit.xml")).read().count("<testcase") ==
      len(run_json["expectations"]) + 1, "junit.xml: one testcase per expectation + timeline")

# the seed option moves every byte, the same seed none
out2 = os.path.join(args.work, "run2")
run(default, "--out", out2, "--seed", "1")
check(open(os.path.join(out, "capture.pcap"), "rb").read() ==
      open(os.path.join(out2, "capture.pcap"), "rb").read(), "same seed, same capture")
out3 = os.path.join(args.work, "run3")
run(default, "--out", out3, "--seed", "7")
check(open(os.path.join(out, "capture.pcap"), "rb").read() !=
      open(os.path.join(out3, "capture.pcap"), "rb").read(), "another seed, another capture")

# a failing expectation: exit 1, the failure named with its line
bad_expect = open(default).read().replace(
    "{metric: {name: ikh_ike_handshakes_total, value: 2}}",
    "{metric: {name: ikh_ike_handshakes_total, value: 3}}")
p = run(write("fail.yaml", bad_expect), "--out", os.path.join(args.work, "fail"))
check(p.returncode == 1 and "expectation failed" in p.stderr and "found 2" in p.stderr,
      f"failed expectation exits 1 and says what was found ({p.returncode})")
rj = json.load(open(os.path.join(args.work, "fail", "run.json")))
check(rj["verdict"] == "fail" and rj["exit_code"] == 1, "run.json says fail")
# a wrong suite in an SA expectation: the detail names what was negotiated
wrong_suite = open(default).read().replace(
    "suite: aes256gcm16-prfsha256-x25519}", "suite: aes128gcm16-prfsha256-x25519}")
check(wrong_suite != open(default).read(), "default.yaml has the suite expectation")
p = run(write("suite.yaml", wrong_suite), "--out", os.path.join(args.work, "suite"))
check(p.returncode == 1 and "found 0" in p.stderr and
      "the first has ENCR_AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE25519" in p.stderr,
      f"wrong suite: the negotiated suite is named ({p.stderr[:300]})")

# bad input: exit 2 with file:line:column
p = run(os.path.join(args.work, "missing.yaml"))
check(p.returncode == 2 and "IO_OPEN" in p.stderr, "missing file: exit 2, IO_OPEN")
p = run(write("syntax.yaml", "name: x\npeers: [\n"))
check(p.returncode == 2 and "syntax.yaml:" in p.stderr and "SCN_SYNTAX" in p.stderr,
      "YAML syntax error: exit 2 with position")
p = run(write("schema.yaml", open(default).read().replace("    remote: b\n", "    remoet: b\n", 1)))
check(p.returncode == 2 and "SCN_SCHEMA" in p.stderr and "remoet" in p.stderr,
      "unknown key named")
p = run(write("value.yaml", open(default).read().replace("aes256gcm16-prfsha256-x25519", "aes257", 1)))
check(p.returncode == 2 and "SCN_VALUE" in p.stderr and "aes257" in p.stderr,
      "unknown proposal keyword named")
keyless = open(os.path.join(args.source, "corpus", "scenarios", "auth-ecdsa-rsa.yaml")).read()
p = run(write("key.yaml", keyless.replace("keys/a-ecdsa256.pem", "keys/nope.pem")))
check(p.returncode == 2 and "nope.pem" in p.stderr, "missing key file named")
p = run(write("binary.yaml", "name: \x00\x01\x02"))
check(p.returncode == 2, "NUL byte: exit 2")
p = run(default, "--seed", "-1")
check(p.returncode == 2 and "--seed" in p.stderr, "bad --seed")
p = run(default, "--sweep", "0")
check(p.returncode == 2 and "--sweep" in p.stderr, "bad --sweep")
p = run(default, "--bogus")
check(p.returncode == 2 and "unexpected argument: --bogus" in p.stderr,
      "unknown option")
for opt in ("--seed", "--out", "--sweep"):
    p = run(default, opt)
    check(p.returncode == 2 and f"missing value: {opt}" in p.stderr,
          f"{opt} without its value")
p = run()
check(p.returncode == 2, "no scenario")
p = run(default, "--sweep", "5")
check(p.returncode == 0 and "5/5 seeds pass" in p.stdout, "sweep prints the total")

print(f"cli-sim: {checks} checks, {len(failures)} failed")
sys.exit(1 if failures else 0)
