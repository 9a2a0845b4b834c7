#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fill corpus/fuzz_wire/seed/ with the IKE messages of corpus/pcap/ (via
tshark, marker stripped) and the malformed-message table. Deterministic:
file names are the SHA-256 prefix of the content."""
import glob
import hashlib
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "corpus", "fuzz_wire", "seed")
os.makedirs(OUT, exist_ok=True)
seen = 0


def put(b):
    global seen
    name = hashlib.sha256(b).hexdigest()[:16]
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(b)
    seen += 1


for cap in sorted(glob.glob(os.path.join(ROOT, "corpus/pcap/*.pcap*"))):
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
