#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`ikeharness replay` against the real program. Modes:

  contract   exit codes, run folder files (JSON, JUnit XML, JSON lines),
             errors on bad input, options not built yet (127)
  scenario   `ikeharness sim SCENARIO`, then replay its capture with its
             key files: every MUST rule passes (--fail-on must exits 0)
  refcap     a strongSwan reference capture with its keys passes every
             MUST rule; the known SHOULD finding (charon's faked
             NAT_DETECTION_SOURCE_IP, forced UDP encapsulation) is expected
             and exits 1 with --fail-on should
  keysrc     a strongSwan reference capture decrypts completely and passes
             every MUST rule (a) with the Wireshark tables found next to it
             (ikev2_decryption_table, esp_sa) and (b) with keys taken only
             from its charon.log (--keys-from-charon-log); SAs tshark cannot
             name (ChaCha20-Poly1305) are missing from the tables, so (a)
             expects exactly their messages and packets undecrypted
  doc        docs/conformance.md is what `--list-rules --format md` prints
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["contract", "scenario", "refcap", "keysrc",
                                 "doc"])
ap.add_argument("--exe", required=True)
ap.add_argument("--source")
ap.add_argument("--work")
ap.add_argument("--scenario")
ap.add_argument("--dir")
args = ap.parse_args()

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*argv, cmd="replay"):
    p = subprocess.run([args.exe, cmd, *argv], capture_output=True,
                       timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def run_folder_ok(out, what):
    """Every file of the run folder exists and parses."""
    for f in ("run.json", "conformance.json", "junit.xml", "events.jsonl",
              "metrics.json", "metrics.prom"):
        check(os.path.isfile(os.path.join(out, f)), f"{what}: {f} missing")
    run_json = json.load(open(os.path.join(out, "run.json")))
    conf = json.load(open(os.path.join(out, "conformance.json")))
    metrics = json.load(open(os.path.join(out, "metrics.json")))
    suite = ET.parse(os.path.join(out, "junit.xml")).getroot().find("testsuite")
    cases = suite.findall("testcase")
    check(len(cases) == len(conf["rules"]), f"{what}: one testcase per rule")
    for line in open(os.path.join(out, "events.jsonl")):
        json.loads(line)
    check(conf["summary"]["messages"] == metrics["ikh_replay_messages_total"],
          f"{what}: metrics and conformance.json agree")
    check(len(conf["items"]) == conf["summary"]["messages"] +
          conf["summary"]["esp_packets"], f"{what}: one item per message/packet")
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    by_rule = {r["id"]: r for r in conf["rules"]}
    check(failed == {k for k, r in by_rule.items() if r["fail"] > 0},
          f"{what}: junit failures match conformance.json")
    return run_json, conf


def must_failures(conf):
    return [v for v in conf["violations"] if v["level"] == "MUST"]


if args.mode == "doc":
    rc, out, err = run("--list-rules", "--format", "md")
    path = os.path.join(args.source, "docs/conformance.md")
    have = open(path).read() if os.path.exists(path) else ""
    check(rc == 0 and out == have,
          "docs/conformance.md is stale: regenerate it with "
          "`ikeharness replay --list-rules --format md > docs/conformance.md`")

elif args.mode == "scenario":
    name = os.path.splitext(os.path.basename(args.scenario))[0]
    shutil.rmtree(args.work, ignore_errors=True)
    sim = os.path.join(args.work, "sim")
    rc, out, err = run(args.scenario, "--out", sim, cmd="sim")
    check(os.path.isfile(os.path.join(sim, "capture.pcap")),
          f"sim {name} left no capture (exit {rc}): {err}")
    out_dir = os.path.join(args.work, "replay")
    rc, out, err = run(os.path.join(sim, "capture.pcap"), "--keys", sim,
                       "--out", out_dir, "--fail-on", "must")
    check(rc == 0, f"replay of sim {name} exit {rc}:\n{out}{err}")
    check("warning" not in err, f"replay of sim {name}: a warning with its own keys: {err}")
    if rc in (0, 1):
        _, conf = run_folder_ok(out_dir, name)
        check(not must_failures(conf), f"{name}: MUST violations "
              f"{must_failures(conf)[:5]}")
        check(conf["summary"]["undecrypted"] == 0,
              f"{name}: every encrypted message decrypted with its keys")
        # the run folder's esp_keys.csv lists every ESP SA of the run
        # (a long run once lost the SAs after the 512th key row)
        nokeys = [it["frame"] for it in conf["items"]
                  if it.get("kind") == "esp"
                  and "nokeys" in it["results"].values()]
        check(not nokeys, f"{name}: every ESP packet's SA is in the key "
              f"files (frames without keys: {nokeys[:5]})")
        if "rekey-ike" in name:
            check(conf["summary"]["rekeys"] >= 1, f"{name}: IKE SA rekey followed")

elif args.mode == "refcap":
    name = os.path.basename(os.path.normpath(args.dir))
    shutil.rmtree(args.work, ignore_errors=True)
    pcap = os.path.join(args.dir, "wire.pcap")
    out_dir = os.path.join(args.work, "must")
    rc, out, err = run(pcap, "--keys", os.path.join(args.dir, "ike_keys.csv"),
                       os.path.join(args.dir, "esp_keys.csv"), "--out", out_dir)
    check(rc == 0, f"{name}: --fail-on must exit {rc}:\n{out}{err}")
    if rc in (0, 1):
        _, conf = run_folder_ok(out_dir, name)
        check(not must_failures(conf), f"{name}: MUST violations")
        should = {v["rule"] for v in conf["violations"] if v["level"] == "SHOULD"}
        # known findings: charon fakes its NAT-D source hash (forced UDP
        # encapsulation with kernel-libipsec), RFC 7296 §2.23; ESP in UDP
        # with a UDP checksum (RFC 3948 §2.1 SHOULD send 0): charon's
        # kernel-libipsec, and ikeharness before it sent 0
        check(should <= {"RFC7296-2.23-NATD", "RFC3948-2.1-CSUM"} and
              "RFC7296-2.23-NATD" in should, f"{name}: SHOULD findings {should}")
        check(conf["summary"]["undecrypted"] == 0, f"{name}: all decrypted")
    rc, out, err = run(pcap, "--keys", args.dir, "--out",
                       os.path.join(args.work, "should"), "--fail-on", "should")
    check(rc == 1, f"{name}: --fail-on should exit {rc} (NATD finding)")
    rc, out, err = run(pcap, "--out", os.path.join(args.work, "nokeys"),
                       "--fail-on", "none")
    check(rc == 0 and "not checkable without keys" in out,
          f"{name}: no keys: exit {rc}, says what it could not check")

elif args.mode == "keysrc":
    name = os.path.basename(os.path.normpath(args.dir))
    shutil.rmtree(args.work, ignore_errors=True)
    pcap = os.path.join(args.dir, "wire.pcap")

    def rows(f):
        return [l.strip() for l in open(os.path.join(args.dir, f))
                if l.strip() and not l.startswith("#")]

    # the SAs of our own tables that the Wireshark tables leave out
    ws_ike = {tuple(l.split(",")[:2]) for l in rows("ikev2_decryption_table")}
    ws_esp = {l.split(",")[3].strip('"')[2:] for l in rows("esp_sa")}
    miss_ike = {tuple(l.split(",")[:2]) for l in rows("ike_keys.csv")} - ws_ike
    miss_esp = {l.split(",")[2] for l in rows("esp_keys.csv")} - ws_esp
    if miss_ike or miss_esp:
        print(f"{name}: not keyed from the Wireshark tables (tshark has no "
              f"name for their transforms): IKE SAs {sorted(miss_ike)}, "
              f"ESP SPIs {sorted(miss_esp)}")

    def undecrypted(conf):
        ike = {(i["ispi"], i["rspi"]) for i in conf["items"]
               if i["kind"] == "ike" and i["encrypted"] and not i["decrypted"]}
        esp = {i["spi"] for i in conf["items"]
               if i["kind"] == "esp" and not i["decrypted"]}
        return ike, esp

    for src, argv, want in (
            ("wireshark", ["--keys", os.path.join(args.dir, "ikev2_decryption_table"),
                           os.path.join(args.dir, "esp_sa")],
             (miss_ike, miss_esp)),
            ("charon-log", ["--keys-from-charon-log",
                            os.path.join(args.dir, "charon.log")],
             (set(), set()))):
        out_dir = os.path.join(args.work, src)
        rc, out, err = run(pcap, *argv, "--out", out_dir)
        check(rc == 0, f"{name} {src}: exit {rc}:\n{out}{err}")
        if rc not in (0, 1):
            continue
        _, conf = run_folder_ok(out_dir, f"{name} {src}")
        check(not must_failures(conf),
              f"{name} {src}: MUST violations {must_failures(conf)[:5]}")
        got = undecrypted(conf)
        check(got == want, f"{name} {src}: undecrypted {got}, expected {want}")
        check(conf["summary"]["messages"] > 2 and conf["summary"]["esp_packets"] > 0,
              f"{name} {src}: capture has IKE and ESP")
    # a folder: every key file in it (ike_keys.csv and the Wireshark tables
    # hold the same SAs: loaded once), charon.log and wire.pcap skipped
    rc, out, err = run(pcap, "--keys", args.dir, "--out",
                       os.path.join(args.work, "folder"))
    check(rc == 0, f"{name} folder: exit {rc} {err}")
    if rc == 0:
        conf = json.load(open(os.path.join(args.work, "folder",
                                           "conformance.json")))
        check(undecrypted(conf) == (set(), set()), f"{name} folder: all decrypted")

else:  # contract
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    w = args.work
    ss = os.path.join(args.source, "corpus/pcap/strongswan/psk-ikh-initiator")
    pcap = os.path.join(ss, "wire.pcap")
    rc, out, _ = run("--help")
    check(rc == 0 and "--fail-on" in out, "--help")
    rc, _, err = run()
    check(rc == 2 and "CAPTURE" in err, f"no capture: exit {rc}")
    rc, _, err = run(pcap, "--frobnicate")
    check(rc == 2, f"unknown option: exit {rc}")
    for bad in ("x", "0", "1001", "-3", "5s"):
        rc, _, err = run(pcap, "--bench", bad)
        check(rc == 2 and "--bench takes" in err, f"--bench {bad}: exit {rc} {err}")
    # --bench: N rounds in process, figures printed, no run folder written
    bdir = os.path.join(w, "bench-out")
    rc, out, err = run(pcap, "--keys", ss, "--bench", "3", "--out", bdir)
    m = re.search(r"(\d+) messages \(IKE and ESP\), 3 rounds", out)
    check(rc == 0 and m and int(m.group(1)) > 0 and "decrypting" in out and
          re.search(r"median [0-9.]+ s +[1-9][0-9]* messages/s", out) and
          not os.path.exists(bdir), f"--bench 3: exit {rc} {out} {err}")
    # keys of another capture: said, never a silent pass
    other = os.path.join(args.source, "corpus/pcap/strongswan/rekey-ike-charon")
    rc2, _, err2 = run(pcap, "--keys", other, "--out", os.path.join(w, "wrongkeys"),
                       "--quiet")
    check("the keys given match no SA of this capture" in err2,
          f"replay with another capture's keys: exit {rc2}, no warning: {err2}")
    rc2, _, err2 = run(pcap, "--keys", ss, "--out", os.path.join(w, "rightkeys"),
                       "--quiet")
    check("warning" not in err2, f"replay with its own keys warned: {err2}")
    # index.html by default, none with --no-html (reports all the same)
    hdir, ndir = os.path.join(w, "html-yes"), os.path.join(w, "html-no")
    rc1, _, e1 = run(pcap, "--keys", ss, "--out", hdir, "--quiet")
    rc2, _, e2 = run(pcap, "--keys", ss, "--out", ndir, "--quiet", "--no-html")
    check(rc1 == rc2 == 0 and os.path.isfile(os.path.join(hdir, "index.html"))
          and not os.path.exists(os.path.join(ndir, "index.html"))
          and os.path.isfile(os.path.join(ndir, "conformance.json")),
          f"--no-html: exits {rc1} {rc2} {e1} {e2}")
    # the extras: seeds (in the clear with keys), our responder against the
    # capture's IKE_SA_INIT requests, the field-by-field tshark comparison
    fs = os.path.join(args.source, "corpus/pcap/strongswan/frag-sig-charon-init")
    seeds = os.path.join(w, "seeds")
    rc, out, err = run(os.path.join(fs, "wire.pcap"), "--keys", fs, "--out",
                       w + "/x", "--extract-corpus", seeds, "--against-stack",
                       "--tshark")
    check(rc == 0, f"extras: exit {rc}\n{out}{err}")
    check("extract-corpus: 7 IKE messages, 2 opened" in out,
          f"--extract-corpus summary:\n{out}")
    check(os.path.isdir(seeds) and len(os.listdir(seeds)) == 9,
          f"--extract-corpus: 9 seeds (7 as captured, 2 in the clear), got "
          f"{len(os.listdir(seeds)) if os.path.isdir(seeds) else 'none'}")
    check("against-stack: 1 IKE_SA_INIT requests, 1 answered (1 accepted"
          in out and os.path.isfile(w + "/x/against-stack/conformance.json"),
          f"--against-stack:\n{out}")
    diff = open(w + "/x/tshark-diff.txt").read() if os.path.isfile(
        w + "/x/tshark-diff.txt") else ""
    check("7 messages" in diff and " 0 mismatches" in diff,
          f"--tshark: {diff[-300:]}")
    run_json = json.load(open(w + "/x/run.json"))
    check(run_json.get("verdict") == "pass", f"extras run.json {run_json}")
    rc, _, err = run(pcap, "--out", w + "/y", "--extract-corpus")
    check(rc == 2, f"--extract-corpus without DIR: exit {rc}")
    rc, _, err = run(pcap, "--out", w + "/z", "--extract-corpus",
                     "/nonexistent/dir/seeds")
    check(rc == 2 and "IO_OPEN" in err, f"--extract-corpus bad DIR: {rc} {err}")
    env_bad = dict(os.environ, IKH_TSHARK="/nonexistent/tshark")
    t = subprocess.run([args.exe, "replay", pcap, "--out", w + "/t",
                        "--tshark"], capture_output=True, text=True,
                       env=env_bad, timeout=120)
    check(t.returncode == 2 and "could not run" in t.stderr,
          f"--tshark without tshark: exit {t.returncode} {t.stderr}")
    rc, _, err = run(pcap, "--fail-on", "sometimes")
    check(rc == 2, f"--fail-on sometimes: exit {rc}")
    rc, _, err = run(pcap, "--rules", "RFC0-NOPE", "--out", w + "/r0")
    check(rc == 2 and "unknown rule" in err, f"--rules unknown: exit {rc}")
    rc, _, err = run(pcap, "--keys", w + "/missing.csv", "--out", w + "/r1")
    check(rc == 2 and "IO_OPEN" in err, f"missing key file: exit {rc} {err}")
    bad = os.path.join(w, "ike_keys.csv")
    open(bad, "w").write("0011,22\n")
    rc, _, err = run(pcap, "--keys", bad, "--out", w + "/r2")
    check(rc == 2 and "KEYS_SYNTAX" in err and ":1:" in err,
          f"bad key file: exit {rc} {err}")
    # key files told apart by content; errors name file:line (and field)
    def keyerr(fname, text, code, what, *extra, opt="--keys"):
        path = os.path.join(w, fname)
        open(path, "w").write(text)
        rc, _, err = run(pcap, opt, path, "--out", w + "/rk", *extra)
        check(rc == 2 and code in err and path + ":" in err,
              f"{what}: exit {rc} {err}")
        return err
    ws = open(os.path.join(ss, "ikev2_decryption_table")).read().splitlines()[0]
    keyerr("table_bad_line", ws + "\n" + ws.replace(",", ";", 1) + "\n",
           "KEYS_SYNTAX", "Wireshark table with a bad line")
    err = keyerr("table_bad_alg", ws.replace("AES-GCM-256", "AES-GCM-257") + "\n",
                 "KEYS_TRANSFORM", "unknown algorithm name")
    check(":1: field 5:" in err and "AES-GCM-257" in err,
          f"unknown algorithm: line and field: {err}")
    espsa = open(os.path.join(ss, "esp_sa")).read().splitlines()[0]
    err = keyerr("esp_bad_auth", espsa.replace('"NULL"', '"HMAC-SHA-999"') + "\n",
                 "KEYS_TRANSFORM", "unknown ESP auth name")
    check(":1: field 7:" in err, f"esp_sa unknown auth: field 7: {err}")
    f = espsa.split(",")
    f[5] = '"0x0011"'
    err = keyerr("esp_short_key", ",".join(f) + "\n", "KEYS_KEY_LEN",
                 "esp_sa key of no length of its algorithm")
    check(":1: field 6:" in err, f"esp_sa short key: field 6: {err}")
    keyerr("not_keys.txt", "hello world\n", "KEYS_SYNTAX", "no known format")
    err = keyerr("charon_as_keys", open(os.path.join(ss, "charon.log")).read(),
                 "KEYS_SYNTAX", "charon log given to --keys")
    check("--keys-from-charon-log" in err, f"charon log hint: {err}")
    # charon logs: no keys at all is an error (exit 2, says why)
    path = os.path.join(w, "nokeys.log")
    open(path, "w").write("13:09:02 00[DMN] Starting IKE charon daemon\n")
    rc, _, err = run(pcap, "--keys-from-charon-log", path, "--out", w + "/rc0")
    check(rc == 2 and "no IKE or ESP keys" in err and "ike = 4" in err,
          f"charon log without keys: exit {rc} {err}")
    log = open(os.path.join(ss, "charon.log")).read().splitlines()
    at = next(i for i, l in enumerate(log) if "Sk_ei secret =>" in l)
    cut = log[: at + 2] + log[at + 3:]
    err = keyerr("trunc.log", "\n".join(cut) + "\n", "KEYS_SYNTAX",
                 "truncated hexdump", opt="--keys-from-charon-log")
    check(f":{at + 1}:" in err and "ends after 16 of" in err,
          f"truncated hexdump: line of the dump: {err}")
    # without the "octets" dumps the IKE SA's SPIs are not in the log: its
    # keys are bound to the capture's SK messages by trial (ICV/tag)
    path = os.path.join(w, "nospi.log")
    open(path, "w").write("\n".join(l for l in log if "octets = message" not in l)
                          + "\n")
    rc, out, err = run(pcap, "--keys-from-charon-log", path, "--out", w + "/rc1")
    check(rc == 0 and "1 IKE SAs (1 without SPIs in the log)" in err
          and "warning" not in err, f"SPIs bound from the capture: exit {rc} {err}")
    if rc == 0:
        conf = json.load(open(os.path.join(w, "rc1", "conformance.json")))
        check(conf["summary"]["undecrypted"] == 0 and conf["summary"]["decrypted"] > 0,
              f"SPIs bound from the capture: all decrypted {conf['summary']}")
    prop = "\n".join(l.replace("IKE:AES_GCM_16_256", "IKE:AES_FOO_256")
                      for l in log) + "\n"
    keyerr("badprop.log", prop, "KEYS_TRANSFORM", "unknown strongSwan name",
           opt="--keys-from-charon-log")
    junk = os.path.join(w, "junk.pcap")
    open(junk, "wb").write(b"this is not a capture at all, not at all")
    rc, _, err = run(junk, "--out", w + "/r3")
    check(rc == 2 and "PCAP_OPEN" in err, f"bad magic: exit {rc} {err}")
    rc, _, err = run(w + "/nothere.pcap", "--out", w + "/r4")
    check(rc == 2, f"missing capture: exit {rc}")
    # a truncated capture: damaged record listed, the rest judged, exit 1
    data = open(pcap, "rb").read()
    trunc = os.path.join(w, "trunc.pcap")
    open(trunc, "wb").write(data[: len(data) // 2 + 3])
    rc, out, err = run(trunc, "--keys", ss, "--out", w + "/r5")
    check(rc == 1 and "PCAP_RECORD" in err and "damaged record" in out,
          f"truncated capture: exit {rc} {err}")
    if rc == 1:
        _, conf = run_folder_ok(w + "/r5", "truncated")
        check(conf["record_errors"] and
              conf["record_errors"][0]["error"] == "PCAP_RECORD",
              "truncated: record error listed")
        check(conf["summary"]["messages"] >= 2, "truncated: messages before it judged")
    rc, out, err = run(trunc, "--out", w + "/r6", "--fail-on", "none")
    check(rc == 0, f"truncated, --fail-on none: exit {rc}")
    # a clean run: verdict in run.json, rule subset
    rc, out, err = run(pcap, "--keys", ss, "--out", w + "/r7", "--rules",
                       "must")
    check(rc == 0 and "pass" in out, f"--rules must: exit {rc}")
    if rc == 0:
        run_json, conf = run_folder_ok(w + "/r7", "rules must")
        check(run_json["verdict"] == "pass" and run_json["exit_code"] == 0,
              "run.json verdict")
        check(conf["summary"]["fail_should"] == 0, "--rules must drops SHOULD")
    rc, out, err = run(pcap, "--out", w + "/r8", "--rules",
                       "RFC7296-2.23-NATD", "--fail-on", "should")
    check(rc == 1 and "RFC7296-2.23-NATD" in out, f"--rules one: exit {rc}")
    rc, out, _ = run("--list-rules", "--format", "json")
    rules = json.loads(out) if rc == 0 else []
    check(len(rules) >= 30 and all(r["level"] in ("MUST", "SHOULD") for r in rules),
          "--list-rules json")
    rc, _, _ = run("--list-rules", "--format", "pdf")
    check(rc == 2, "--format pdf")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("ok")
