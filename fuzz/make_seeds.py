#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fill corpus/fuzz_wire/seed/ and corpus/fuzz_dump/seed/ (both take one
IKE message) with the IKE messages of corpus/pcap/ and of the strongSwan
reference captures corpus/pcap/strongswan/*/wire.pcap (via tshark, marker
stripped) and the malformed-message table. Deterministic: file names are
the SHA-256 prefix of the content."""
import glob
import hashlib
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUTS = [os.path.join(ROOT, "corpus", t, "seed") for t in ("fuzz_wire", "fuzz_dump")]
for o in OUTS:
    os.makedirs(o, exist_ok=True)
seen = 0


def put(b):
    global seen
    name = hashlib.sha256(b).hexdigest()[:16]
    for o in OUTS:
        with open(os.path.join(o, name), "wb") as f:
            f.write(b)
    seen += 1


caps = sorted(glob.glob(os.path.join(ROOT, "corpus/pcap/*.pcap*")))
caps += sorted(glob.glob(os.path.join(ROOT, "corpus/pcap/strongswan/*/wire.pcap")))
for cap in caps:
    out = subprocess.run(["tshark", "-r", cap, "-Y", "isakmp", "-T", "fields",
                          "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.payload"],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        sp, dp, hexs = line.split("\t")
        b = bytes.fromhex(hexs.replace(":", ""))
        if "500" not in (sp, dp) and b[:4] == bytes(4):
            b = b[4:]
        put(b)
table = open(os.path.join(ROOT, "stack/tests/vectors/malformed_table.h")).read()
for h in re.findall(r'^ "([0-9a-f]*)",$', table, re.M):
    put(bytes.fromhex(h))
print(f"{seen} seeds")
