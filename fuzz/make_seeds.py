#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fill corpus/fuzz_wire/seed/ and corpus/fuzz_dump/seed/ (both take one
IKE message) with the IKE messages of corpus/pcap/ and of the strongSwan
reference captures corpus/pcap/strongswan/*/wire.pcap (via tshark, marker
stripped) and the malformed-message table. Deterministic: file names are
the SHA-256 prefix of the content. Names listed in corpus/<target>/seed.dropped
(fuzz/minimize_seeds.py: no coverage of their own) are not written.
Usage: fuzz/make_seeds.py"""
import glob
import hashlib
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedlib  # noqa: E402

ROOT = seedlib.ROOT
TARGETS = ("fuzz_wire", "fuzz_dump")
DROPPED = {t: seedlib.read_dropped(t) for t in TARGETS}
for t in TARGETS:
    os.makedirs(seedlib.seed_dir(t), exist_ok=True)
names = set()
written = {t: set() for t in TARGETS}


def put(b):
    name = hashlib.sha256(b).hexdigest()[:16]
    names.add(name)
    for t in TARGETS:
        if name in DROPPED[t]:
            continue
        with open(os.path.join(seedlib.seed_dir(t), name), "wb") as f:
            f.write(b)
        written[t].add(name)


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
print(f"{len(names)} seeds; " + ", ".join(
    f"{t} {len(written[t])} written, {len(names) - len(written[t])} in seed.dropped"
    for t in TARGETS))
