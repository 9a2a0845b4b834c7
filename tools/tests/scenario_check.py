#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks on one shipped scenario (corpus/scenarios/*.yaml), run by CTest.

  scenario_check.py run     --exe EXE --scenario FILE --work DIR
      `ikeharness sim` passes (exit 0) and leaves a complete run folder.
  scenario_check.py golden  --exe EXE --scenario FILE --work DIR --golden F
      two runs with the same seed give byte-identical capture.pcap,
      events.jsonl and metrics.json, and their SHA-256 equal the pinned
      values in F (lines "<scenario> <file> <sha256>"); --print prints the
      current lines instead (ci/golden-update.sh).
  scenario_check.py decrypt-dir --dir RUN_FOLDER [--pcap FILE] [--tshark T]
      the same decryption check on a run folder that exists already (the
      ikeharness side of an interop case); --pcap checks another capture of
      the same run with the folder's key tables (the interop runner's
      tcpdump capture wire.pcap, the reference captures in corpus/pcap).
  scenario_check.py decrypt --exe EXE --scenario FILE --work DIR [--tshark T]
      tshark decrypts every SK/SKF payload of the capture with the run's
      ikev2_decryption_table, with a correct checksum and no warning; IKE
      SAs whose suite tshark 4.0 cannot decrypt (ChaCha20-Poly1305, AES-XCBC)
      are absent from the table and counted as skipped, and only those.

Exit 0 pass, 1 fail, 2 cannot run (missing tool, bad arguments).
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

GOLDEN_FILES = ("capture.pcap", "events.jsonl", "metrics.json")
# the capture tshark reads, relative to the run folder (--pcap changes it)
PCAP = {"name": "capture.pcap"}


def fail(msg, code=1):
    print(f"scenario_check: {msg}", file=sys.stderr)
    sys.exit(code)


def run_sim(exe, scenario, out, seed=None):
    shutil.rmtree(out, ignore_errors=True)
    cmd = [exe, "sim", scenario, "--out", out]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return p


def name_of(scenario):
    return os.path.splitext(os.path.basename(scenario))[0]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def mode_run(a):
    out = os.path.join(a.work, "run")
    p = run_sim(a.exe, a.scenario, out)
    if p.returncode != 0:
        fail(f"sim exit {p.returncode}\n{p.stdout}{p.stderr}")
    run = json.load(open(os.path.join(out, "run.json")))
    for f in run["files"]:
        if not os.path.isfile(os.path.join(out, f)):
            fail(f"run folder lacks {f}")
    if run["verdict"] != "pass" or run["step_errors"] != 0:
        fail(f"run.json verdict {run['verdict']}")
    bad = [e for e in run["expectations"] if not e["pass"]]
    if bad:
        fail(f"failed expectations: {bad}")
    print(f"{name_of(a.scenario)}: pass, {len(run['expectations'])} expectations")


def mode_golden(a):
    outs = [os.path.join(a.work, "g1"), os.path.join(a.work, "g2")]
    for o in outs:
        p = run_sim(a.exe, a.scenario, o)
        if p.returncode != 0:
            fail(f"sim exit {p.returncode}\n{p.stderr}")
    name = name_of(a.scenario)
    got = {}
    for f in GOLDEN_FILES:
        h1, h2 = sha256(os.path.join(outs[0], f)), sha256(os.path.join(outs[1], f))
        if h1 != h2:
            fail(f"{f} differs between two runs with the same seed")
        got[f] = h1
    if a.print:
        for f in GOLDEN_FILES:
            print(f"{name} {f} {got[f]}")
        return
    pinned = {}
    with open(a.golden) as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) == 3:
                pinned[(parts[0], parts[1])] = parts[2]
    errors = []
    for f in GOLDEN_FILES:
        want = pinned.get((name, f))
        if want is None:
            errors.append(f"{f}: no pinned hash (run ci/golden-update.sh --write)")
        elif want != got[f]:
            errors.append(f"{f}: sha256 {got[f]}, pinned {want}")
    if errors:
        fail(f"{name}: " + "; ".join(errors))
    print(f"{name}: golden hashes match ({', '.join(GOLDEN_FILES)})")


def keytab_pairs(path):
    pairs = set()
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                parts = line.strip().split(",")
                if len(parts) >= 2 and not line.startswith("#"):
                    pairs.add((parts[0].strip('"').lower(), parts[1].strip('"').lower()))
    return pairs


def tshark_rows(tshark, out, fields):
    env = dict(os.environ, WIRESHARK_CONFIG_DIR=out, HOME=out)
    cmd = [tshark, "-n", "-r", os.path.join(out, PCAP["name"]), "-Y", "isakmp",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in fields:
        cmd += ["-e", f]
    t = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    if t.returncode != 0:
        fail(f"tshark exit {t.returncode}: {t.stderr[-500:]}", 2)
    return [(line.split("\t") + [""] * len(fields))[: len(fields)]
            for line in t.stdout.splitlines()]


def negative_control(tshark, out, fields):
    """The check can fail: with one key octet changed, tshark must report a
    wrong checksum (or no decryption) for some frame. Works on a copy of
    the key tables in a temporary folder (OUT may be read-only)."""
    tmp = tempfile.mkdtemp(prefix="ikh-badkey-")
    try:
        return negative_control_in(tshark, out, fields, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def negative_control_in(tshark, out, fields, tmp):
    bad = os.path.join(tmp, "run")
    os.makedirs(bad)
    # every file of the folder: tshark also reads its other settings there
    # (decode_as_entries of a run on other ports)
    for f in os.listdir(out):
        src = os.path.join(out, f)
        if os.path.isfile(src):
            shutil.copy(src, os.path.join(bad, f))
    path = os.path.join(bad, "ikev2_decryption_table")
    rows = open(path).read().splitlines()
    parts = rows[0].split(",")
    # change one octet of every key of the row (SK_ei, SK_er, SK_ai, SK_ar):
    # CBC/CTR decrypt anything, only the integrity key makes them fail
    for i in (2, 3, 5, 6):
        k = parts[i] if i < len(parts) else ""
        if len(k) >= 2 and all(c in "0123456789abcdefABCDEF" for c in k):
            parts[i] = k[:-1] + ("0" if k[-1] != "0" else "1")
    rows[0] = ",".join(parts)
    open(path, "w").write("\n".join(rows) + "\n")
    for col in tshark_rows(tshark, bad, fields):
        if col[8] in ("46", "53") and (not col[4] or col[5]):
            return True
    return False


ESP_FIELDS = ["frame.number", "esp.spi", "esp.icv_good", "esp.icv_bad",
              "esp.pad_len", "esp.protocol", "_ws.malformed"]


def esp_rows(tshark, out):
    env = dict(os.environ, WIRESHARK_CONFIG_DIR=out, HOME=out)
    cmd = [tshark, "-n", "-r", os.path.join(out, PCAP["name"]),
           "-o", "esp.enable_encryption_decode:TRUE",
           "-o", "esp.enable_authentication_check:TRUE", "-Y", "esp",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in ESP_FIELDS:
        cmd += ["-e", f]
    t = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    if t.returncode != 0:
        fail(f"tshark exit {t.returncode}: {t.stderr[-500:]}", 2)
    return [(line.split("\t") + [""] * len(ESP_FIELDS))[: len(ESP_FIELDS)]
            for line in t.stdout.splitlines()]


def check_esp(tshark, out, run):
    """Every ESP packet of an SA in esp_sa decrypts: a valid Next Header
    and, unless the SA uses ESN (tshark 4.0 has no ESN column), a good ICV.
    Returns (checked, icv_checked, skipped, errors)."""
    spis = set()
    path = os.path.join(out, "esp_sa")
    if os.path.exists(path):
        for line in open(path):
            parts = [p.strip('"') for p in line.strip().split(",")]
            if len(parts) > 3 and not line.startswith("#"):
                spis.add(int(parts[3], 16))
    esn = set(run["key_tables"].get("esp_esn_spis", []))
    checked = icv_checked = skipped = 0
    errors = []
    for frame, spi, good, bad, padlen, nh, malformed in esp_rows(tshark, out):
        if not spi:
            continue  # a NAT keepalive
        v = int(spi, 16)
        if v not in spis:
            skipped += 1
            continue
        checked += 1
        if not nh or malformed:
            errors.append(f"ESP frame {frame}: not decrypted")
        elif v not in esn:
            icv_checked += 1
            if good != "1" or bad == "1":
                errors.append(f"ESP frame {frame}: ICV not good")
    return checked, icv_checked, skipped, errors


def decrypt_check(tshark, out):
    """tshark decrypts every SK/SKF payload and ESP packet of the run folder
    OUT with its key tables. Returns (summary line, errors)."""
    pairs = keytab_pairs(os.path.join(out, "ikev2_decryption_table"))
    fields = ["frame.number", "isakmp.exchangetype", "isakmp.ispi", "isakmp.rspi",
              "isakmp.enc.decrypted", "isakmp.ikev2.integrity_checksum",
              "_ws.expert.severity", "_ws.malformed", "isakmp.nextpayload"]
    # only messages whose first payload is SK (46) or SKF (53) are encrypted;
    # an unprotected INVALID_IKE_SPI answer (RFC 7296 §2.21.4) is not
    rows = [c for c in tshark_rows(tshark, out, fields) if c[8] in ("46", "53")]
    run = json.load(open(os.path.join(out, "run.json")))
    no_table = run["key_tables"]["ike_sas_not_in_table"]
    checked = skipped = 0
    errors = []
    for col in rows:
        frame, exch, ispi, rspi, dec, icv, sev, malformed, _ = col
        if exch == "34":
            continue  # IKE_SA_INIT: nothing encrypted
        pair = (ispi.lower().replace(":", ""), rspi.lower().replace(":", ""))
        if pair not in pairs:
            skipped += 1
            continue
        checked += 1
        if not dec:
            errors.append(f"frame {frame}: not decrypted")
        elif icv:
            errors.append(f"frame {frame}: integrity checksum reported wrong")
        elif malformed or (sev and int(sev, 0) >= 0x00600000):
            errors.append(f"frame {frame}: expert severity {sev} malformed {malformed}")
    if skipped and no_table == 0:
        errors.append(f"{skipped} encrypted frames of SAs missing from the key table")
    encrypted = sum(1 for c in rows if c[1] != "34")
    if pairs and encrypted and checked == 0:
        errors.append("key table present but no encrypted frame checked")
    if checked and not negative_control(tshark, out, fields):
        errors.append("negative control: a changed key still decrypts cleanly")
    e_checked, e_icv, e_skipped, e_errors = check_esp(tshark, out, run)
    errors += e_errors
    if e_skipped and run["key_tables"]["esp_sas_not_in_table"] == 0:
        errors.append(f"{e_skipped} ESP packets of SAs missing from esp_sa")
    return (f"tshark decrypted {checked} encrypted messages "
            f"cleanly; {skipped} skipped (suites tshark 4.0 cannot decrypt: "
            f"{no_table} IKE SAs); ESP: {e_checked} packets decrypted, "
            f"{e_icv} with the ICV checked (the others use ESN), {e_skipped} "
            f"skipped"), errors


def mode_decrypt(a):
    tshark = a.tshark or shutil.which("tshark")
    if not tshark:
        fail("tshark not found (ci/deps.sh installs it)", 2)
    out = os.path.join(a.work, "dec")
    p = run_sim(a.exe, a.scenario, out)
    if p.returncode not in (0, 1):
        fail(f"sim exit {p.returncode}\n{p.stderr}")
    summary, errors = decrypt_check(tshark, out)
    if errors:
        fail(f"{name_of(a.scenario)}: " + "; ".join(errors[:10]))
    print(f"{name_of(a.scenario)}: {summary}")


def mode_decrypt_dir(a):
    """The decryption check on an existing run folder (interop cases)."""
    tshark = a.tshark or shutil.which("tshark")
    if not tshark:
        fail("tshark not found (ci/deps.sh installs it)", 2)
    if not a.dir or not os.path.isfile(os.path.join(a.dir, "run.json")):
        fail(f"decrypt-dir needs --dir RUN_FOLDER with a run.json", 2)
    if a.pcap:
        pcap = os.path.abspath(a.pcap)
        if not os.path.isfile(pcap):
            fail(f"--pcap {a.pcap}: no such file", 2)
        PCAP["name"] = pcap  # os.path.join keeps an absolute path
    summary, errors = decrypt_check(tshark, a.dir)
    if errors:
        fail("; ".join(errors[:10]))
    print(summary)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("run", "golden", "decrypt", "decrypt-dir"))
    ap.add_argument("--exe")
    ap.add_argument("--scenario")
    ap.add_argument("--work")
    ap.add_argument("--dir")
    ap.add_argument("--golden")
    ap.add_argument("--print", action="store_true")
    ap.add_argument("--tshark")
    ap.add_argument("--pcap")
    a = ap.parse_args()
    if a.mode == "decrypt-dir":
        return mode_decrypt_dir(a)
    if not (a.exe and a.scenario and a.work):
        fail(f"{a.mode} needs --exe, --scenario and --work", 2)
    os.makedirs(a.work, exist_ok=True)
    if a.mode == "golden" and not a.print and not a.golden:
        fail("golden needs --golden FILE or --print", 2)
    {"run": mode_run, "golden": mode_golden, "decrypt": mode_decrypt}[a.mode](a)


if __name__ == "__main__":
    main()
