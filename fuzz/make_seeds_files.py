#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fill the seed corpora of the file-format targets, deterministically
(file names are the SHA-256 prefix of the content; rerunning gives the
same files):

  corpus/fuzz_pcap/seed/      every capture in corpus/pcap/*.pcap* and
                              corpus/pcap/strongswan/*/wire.pcap, plus
                              damaged variants of a few (cut file header,
                              cut record, absurd record length, unknown link
                              type, flipped pcapng block length)
  corpus/fuzz_scenario/seed/  every corpus/scenarios/*.yaml and
                              interop/cases/*/scenario.yaml, plus broken
                              variants (cut in half, tab indentation, an
                              unknown key, a NUL octet, a bad value, a
                              reference to a peer that does not exist)

Names listed in corpus/<target>/seed.dropped (fuzz/minimize_seeds.py: no
coverage of their own) are not written and count as intentionally absent.

Usage: fuzz/make_seeds_files.py [--check]
  --check  exit 1 when a seed that the script makes, and seed.dropped does
           not list, is missing (the directories may hold more: merged or
           hand-made inputs)."""
import glob
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedlib  # noqa: E402

ROOT = seedlib.ROOT


def name(b):
    return hashlib.sha256(b).hexdigest()[:16]


def pcap_variants(b):
    """Damaged versions of a classic little-endian pcap file."""
    out = []
    if b[:4] == b"\xd4\xc3\xb2\xa1" and len(b) > 64:
        out.append(b[:20])                       # file header cut short
        out.append(b[: 24 + 16 + 10])            # first record cut short
        out.append(b[: len(b) // 2])             # cut in the middle
        bad = bytearray(b)
        bad[24 + 8:24 + 12] = struct.pack("<I", 0x7FFFFFFF)  # caplen
        out.append(bytes(bad))
        bad = bytearray(b)
        bad[20:24] = struct.pack("<I", 147)      # LINKTYPE_USER0
        out.append(bytes(bad))
        bad = bytearray(b)                        # IP header of record 1
        for i in range(24 + 16 + 14, min(len(b), 24 + 16 + 14 + 20)):
            bad[i] ^= 0x55
        out.append(bytes(bad))
    elif b[:4] == b"\x0a\x0d\x0d\x0a" and len(b) > 64:
        out.append(b[: len(b) // 2])
        bad = bytearray(b)
        bad[4:8] = struct.pack("<I", 0xFFFFFFF0)  # SHB length
        out.append(bytes(bad))
    return out


def yaml_variants(t):
    out = [t[: len(t) // 2]]
    out.append(t.replace(b"  ", b"\t", 1))
    out.append(t.replace(b"peers:", b"peers:\n  bogus_key: 1\n", 1) if b"peers:" in t
               else t + b"\nbogus_key: 1\n")
    out.append(t[:10] + b"\0" + t[10:])
    out.append(t.replace(b"duration:", b"duration: -5s\nx_duration:", 1))
    out.append(t.replace(b"remote: ", b"remote: nosuchpeer_", 1))
    return [v for v in out if v != t]


def fill(target, items, check):
    out = seedlib.seed_dir(target)
    os.makedirs(out, exist_ok=True)
    dropped = seedlib.read_dropped(target)
    missing = 0
    names = set()
    for b in items:
        n = name(b)
        if n in names:
            continue
        names.add(n)
        if n in dropped:
            continue  # minimised away on purpose: neither written nor missing
        p = os.path.join(out, n)
        if check:
            if not os.path.exists(p):
                print(f"missing: corpus/{target}/seed/{n}")
                missing += 1
            continue
        with open(p, "wb") as f:
            f.write(b)
    print(f"{target}: {len(names)} seeds, {len(names & dropped)} of them in "
          f"{seedlib.DROPPED}")
    return missing


def main():
    check = "--check" in sys.argv[1:]
    caps = sorted(glob.glob(os.path.join(ROOT, "corpus/pcap/*.pcap*")) +
                  glob.glob(os.path.join(ROOT, "corpus/pcap/strongswan/*/wire.pcap")))
    pcaps = []
    for i, c in enumerate(caps):
        b = open(c, "rb").read()
        pcaps.append(b)
        if i % 3 == 0:  # damaged variants of every third capture
            pcaps.extend(pcap_variants(b))
    ymls = sorted(glob.glob(os.path.join(ROOT, "corpus/scenarios/*.yaml")) +
                  glob.glob(os.path.join(ROOT, "interop/cases/*/scenario.yaml")))
    scns = []
    for i, y in enumerate(ymls):
        t = open(y, "rb").read()
        scns.append(t)
        if i % 10 == 0:
            scns.extend(yaml_variants(t))
    missing = fill("fuzz_pcap", pcaps, check) + fill("fuzz_scenario", scns, check)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
