#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fill corpus/fuzz_ike_responder/seed/, corpus/fuzz_ike_initiator/seed/ and
corpus/fuzz_esp/seed/ with inputs in the layouts of fuzz/fuzz_ike_*.c and
fuzz/fuzz_esp.c, made of real messages: every shipped scenario run with
`ikeharness sim` (capture.pcap + ike_keys.csv / esp_keys.csv) and the
reference captures (corpus/pcap/*.pcap*, corpus/pcap/strongswan/*/wire.pcap
with their key tables). Encrypted IKE messages and ESP packets are
decrypted with the key tables, so the node targets get the inner payload
chains of real IKE_AUTH / CREATE_CHILD_SA / INFORMATIONAL messages as
"wrapped" steps (the target re-wraps them with its own SPIs and Message
IDs), and fuzz_esp gets real inner packets to seal.

Deterministic: file names are the SHA-256 prefix of the content; the set of
files depends only on the repository (and the ikeharness binary built from
it). Names listed in corpus/<target>/seed.dropped (fuzz/minimize_seeds.py:
no coverage of their own) are not written. Needs tshark and
python3-cryptography.
  fuzz/make_seeds_node.py [--ikeharness build/default/tools/ikeharness]
"""
import argparse
import glob
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedlib  # noqa: E402

ROOT = seedlib.ROOT
PL_SK, PL_SKF = 46, 53
EXCH_CODE = {36: 0, 37: 1, 35: 2}  # wrapped-step exchange codes
INTEG_ICV = {2: 12, 12: 16, 13: 24, 14: 32, 5: 12}
ESP_SUITES = 4
MAX_STEPS = 31
TARGETS = ("fuzz_ike_responder", "fuzz_ike_initiator", "fuzz_esp")
DROPPED = {t: seedlib.read_dropped(t) for t in TARGETS}


def put(target, b, out):
    """Record a seed in out; write it unless seed.dropped lists it."""
    d = seedlib.seed_dir(target)
    name = hashlib.sha256(b).hexdigest()[:16]
    out.setdefault(target, {})[name] = b
    if name in DROPPED[target]:
        return
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(b)


def load_ike_keys(path):
    keys = {}
    if not os.path.exists(path):
        return keys
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        f = [x.strip() for x in line.split(",")]
        keys[(int(f[0], 16), int(f[1], 16))] = dict(
            ei=bytes.fromhex(f[2]), er=bytes.fromhex(f[3]), encr=int(f[4]),
            bits=int(f[5] or 0), ai=bytes.fromhex(f[6]), ar=bytes.fromhex(f[7]),
            integ=int(f[8] or 0))
    return keys


def load_esp_keys(path):
    keys = {}
    if not os.path.exists(path):
        return keys
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        f = [x.strip() for x in line.split(",")]
        keys[int(f[2], 16)] = dict(encr=int(f[3]), bits=int(f[4] or 0),
                                   key=bytes.fromhex(f[5]), integ=int(f[6] or 0),
                                   ikey=bytes.fromhex(f[7]), esn=f[8] == "1")
    return keys


def datagrams(cap):
    """(sport, dport, udp payload) of every UDP datagram on 500/4500."""
    out = subprocess.run(
        ["tshark", "-r", cap, "-Y", "udp.port==500 || udp.port==4500", "-T",
         "fields", "-e", "udp.srcport", "-e", "udp.dstport", "-e",
         "udp.payload"], capture_output=True, text=True, check=True).stdout
    res = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or not parts[2]:
            continue
        res.append((int(parts[0]), int(parts[1]),
                    bytes.fromhex(parts[2].replace(":", ""))))
    return res


def sk_payload(m):
    """Offset of the SK/SKF payload of an IKE message and its type."""
    nxt, off = m[16], 28
    for _ in range(64):
        if nxt == 0 or off + 4 > len(m):
            return None
        if nxt in (PL_SK, PL_SKF):
            return off, nxt
        ln = struct.unpack(">H", m[off + 2:off + 4])[0]
        if ln < 4:
            return None
        nxt, off = m[off], off + ln
    return None


def aead_open(encr, key, nonce_iv, ct, aad):
    """AES-GCM-16 (20) and ChaCha20-Poly1305 (28): key includes a 4-octet
    salt; the nonce is salt | IV (RFC 4106 §4, RFC 7634 §2)."""
    k, salt = key[:-4], key[-4:]
    if encr == 20:
        return AESGCM(k).decrypt(salt + nonce_iv, ct, aad)
    if encr == 28:
        return ChaCha20Poly1305(k).decrypt(salt + nonce_iv, ct, aad)
    return None


def cipher_open(encr, key, iv, ct):
    if encr == 12:
        d = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        return d.update(ct) + d.finalize()
    if encr == 13:  # AES-CTR: nonce (last 4 key octets) | IV | counter 1
        d = Cipher(algorithms.AES(key[:-4]),
                   modes.CTR(key[-4:] + iv + b"\0\0\0\1")).decryptor()
        return d.update(ct) + d.finalize()
    if encr == 11:
        return ct
    return None


def ike_open(m, keys):
    """(first inner type, inner chain) of an SK message, or None."""
    if len(m) < 32:
        return None
    ispi, rspi = struct.unpack(">QQ", m[:16])
    k = keys.get((ispi, rspi))
    sk = sk_payload(m)
    if k is None or sk is None or sk[1] != PL_SK:
        return None
    off, _ = sk
    ln = struct.unpack(">H", m[off + 2:off + 4])[0]
    body = m[off + 4:off + ln]
    init = bool(m[19] & 0x08)
    ekey = k["ei"] if init else k["er"]
    try:
        if k["encr"] in (20, 28):
            iv, ct = body[:8], body[8:]
            pt = aead_open(k["encr"], ekey, iv, ct, m[:off + 4])
        else:
            icv = INTEG_ICV.get(k["integ"])
            ivl = 16 if k["encr"] == 12 else 8
            if icv is None:
                return None
            pt = cipher_open(k["encr"], ekey, body[:ivl], body[ivl:-icv])
        if pt is None or not pt:
            return None
        pad = pt[-1]
        return m[off], pt[:len(pt) - 1 - pad]
    except Exception:
        return None


def esp_open(pkt, keys):
    """(next header, payload) of an ESP packet of a keyed SA, or None."""
    if len(pkt) < 16:
        return None
    spi = struct.unpack(">I", pkt[:4])[0]
    k = keys.get(spi)
    if k is None:
        return None
    try:
        if k["encr"] in (20, 28):
            iv, ct = pkt[8:16], pkt[16:]
            aad = pkt[:8] if not k["esn"] else pkt[:4] + b"\0\0\0\0" + pkt[4:8]
            pt = aead_open(k["encr"], k["key"], iv, ct, aad)
        else:
            icv = INTEG_ICV.get(k["integ"])
            ivl = {12: 16, 13: 8, 11: 0}.get(k["encr"])
            if icv is None or ivl is None:
                return None
            pt = cipher_open(k["encr"], k["key"], pkt[8:8 + ivl],
                             pkt[8 + ivl:-icv])
        if pt is None or len(pt) < 2:
            return None
        pad = pt[-2]
        return pt[-1], pt[:len(pt) - 2 - pad]
    except Exception:
        return None


class Conv:
    """The IKE messages and ESP packets of one capture, decrypted."""

    def __init__(self, cap, ike_keys, esp_keys):
        self.ike = []  # (raw udp payload, natt, header, opened or None)
        self.esp = []  # (raw esp packet, opened or None)
        for sp, dp, pl in datagrams(cap):
            natt = 4500 in (sp, dp)
            if natt and pl[:4] != b"\0\0\0\0":
                if pl == b"\xff":
                    continue  # NAT keepalive
                self.esp.append((pl, esp_open(pl, esp_keys)))
                continue
            m = pl[4:] if natt else pl
            if len(m) < 28:
                continue
            self.ike.append((pl, natt, m, ike_open(m, ike_keys)))


def u16(n):
    return struct.pack(">H", n)


def raw_step(pl, natt):
    return bytes([0, 1 if natt else 0]) + u16(len(pl)) + pl


def wrapped_step(m, opened, mid_off=0):
    first, inner = opened
    code = EXCH_CODE.get(m[18], m[18])
    flags = (0x01 if m[19] & 0x20 else 0) | (mid_off << 4)
    return bytes([2, 0, code, flags, first]) + u16(len(inner)) + inner


def node_input(state, steps):
    steps = steps[:MAX_STEPS]
    return bytes([state, max(len(steps) - 1, 0)]) + b"".join(steps)


def node_seeds(convs, out):
    for target in ("fuzz_ike_responder", "fuzz_ike_initiator"):
        for c in convs:
            raws = [raw_step(pl, natt) for pl, natt, _, _ in c.ike]
            wraps = [(m, o) for _, _, m, o in c.ike if o is not None]
            wreq = [wrapped_step(m, o) for m, o in wraps if not m[19] & 0x20]
            wresp = [wrapped_step(m, o) for m, o in wraps if m[19] & 0x20]
            for state in range(4):
                # the capture as raw datagrams, then a clock step
                put(target, node_input(state, raws + [b"\x06"]), out)
                # the held genuine message first, then the raw capture
                put(target, node_input(state, [b"\x07"] + raws), out)
            for state in (1, 2, 3, 0x12, 0x07, 0x0b):
                # the decrypted requests re-wrapped for the target's SA
                put(target, node_input(state, [b"\x07"] + wreq), out)
                put(target, node_input(state, [b"\x07"] + wresp), out)
            # one message per input: every real inner chain reaches its
            # handler in every established / rekeying variant
            for m, o in wraps:
                for state in (2, 3, 0x07, 0x0b):
                    put(target, node_input(state, [wrapped_step(m, o)]), out)
                    if m[18] == 36:  # a CREATE_CHILD_SA answer to ours
                        s = wrapped_step(m, o)
                        s = s[:3] + bytes([s[3] | 1]) + s[4:]
                        put(target, node_input(state, [b"\x07", s]), out)
        # ESP on 4500 to the established node, SPI set to its Child SA's
        # (ikh_node_recv_esp: lookup, ICV check, INVALID_SPI handling)
        esp = [pkt for c in convs for pkt, _ in c.esp][:24]
        for i in range(0, len(esp), 4):
            steps = [bytes([0, 0x05]) + u16(len(p)) + p for p in esp[i:i + 4]]
            steps.append(bytes([0, 0x01]) + u16(len(esp[i])) + esp[i])
            for state in (2, 0x12):
                put(target, node_input(state, steps), out)
        # timers: deadlines (liveness, retransmits, half-open expiry)
        for state in range(4):
            put(target, node_input(state, [b"\x06"] * 8), out)
            put(target, node_input(state, [b"\x07", b"\x06", b"\x04\xff\xff"]),
                out)


def esp_input(cfg, steps, base=1000, n=3):
    b = bytes([cfg]) + struct.pack(">I", base)
    if cfg & 4:
        b += struct.pack(">I", 0)
    b += bytes([n]) + bytes(range(n))
    return b + b"".join(steps)


def esp_seeds(convs, out):
    payloads = []
    raws = []
    for c in convs:
        for pkt, o in c.esp:
            raws.append(pkt)
            if o is not None and o not in payloads:
                payloads.append(o)
    payloads = payloads[:48]
    for i, (nh, p) in enumerate(payloads):
        for cfg in (0, 1, 2, 3, 4, 5, 6, 7, 0x08 | (i & 7), 0x18 | (i & 7)):
            sealed = bytes([1, 0, nh, 0]) + u16(len(p)) + p
            replay = bytes([1, 1, nh, 0]) + u16(len(p)) + p
            pad = (-(len(p) + 2)) % (16 if cfg & 3 == 1 else 4)
            tr = bytes(range(1, pad + 1)) + bytes([pad, nh])
            trailer = bytes([2, 0]) + u16(len(p)) + p + u16(len(tr)) + tr
            put("fuzz_esp", esp_input(cfg, [sealed, replay, trailer]), out)
    for i, pkt in enumerate(raws[:64]):
        put("fuzz_esp", esp_input(i & 31, [bytes([0, 1]) + u16(len(pkt)) + pkt]),
            out)
    # window edges: far ahead, far behind, ESN rollover
    for cfg in (0, 4, 0x1c, 0x1f):
        p = bytes.fromhex("4500001c0001000040010000" "0a0100010a020001" "0800000000010001")
        steps = [bytes([1, 0, 4, 0]) + u16(len(p)) + p,
                 bytes([1, 3, 0xff, 0xff, 0xff, 0xff, 4, 0]) + u16(len(p)) + p,
                 bytes([1, 2, 0x10, 0x00, 4, 0]) + u16(len(p)) + p,
                 bytes([1, 0, 59, 8]) + u16(0)]
        put("fuzz_esp", esp_input(cfg, steps, base=0xfffffff0, n=15), out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ikeharness",
                    default=os.path.join(ROOT, "build/default/tools/ikeharness"))
    a = ap.parse_args()
    for t in TARGETS:
        shutil.rmtree(seedlib.seed_dir(t), ignore_errors=True)
    convs = []
    with tempfile.TemporaryDirectory() as tmp:
        for scn in sorted(glob.glob(os.path.join(ROOT, "corpus/scenarios/*.yaml"))):
            run = os.path.join(tmp, os.path.basename(scn))
            subprocess.run([a.ikeharness, "sim", scn, "--out", run],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            cap = os.path.join(run, "capture.pcap")
            if os.path.exists(cap):
                convs.append(Conv(cap, load_ike_keys(os.path.join(run, "ike_keys.csv")),
                                  load_esp_keys(os.path.join(run, "esp_keys.csv"))))
    for cap in sorted(glob.glob(os.path.join(ROOT, "corpus/pcap/*.pcap*"))):
        convs.append(Conv(cap, {}, {}))
    for d in sorted(glob.glob(os.path.join(ROOT, "corpus/pcap/strongswan/*/"))):
        convs.append(Conv(os.path.join(d, "wire.pcap"),
                          load_ike_keys(os.path.join(d, "ike_keys.csv")),
                          load_esp_keys(os.path.join(d, "esp_keys.csv"))))
    out = {}
    node_seeds(convs, out)
    esp_seeds(convs, out)
    n_ike = sum(len(c.ike) for c in convs)
    n_open = sum(1 for c in convs for x in c.ike if x[3] is not None)
    n_esp = sum(1 for c in convs for x in c.esp if x[1] is not None)
    print(f"{len(convs)} captures, {n_ike} IKE messages ({n_open} decrypted), "
          f"{n_esp} ESP packets decrypted; " +
          ", ".join(f"{t} {len(v)} ({len(set(v) - DROPPED[t])} written, "
                    f"{len(set(v) & DROPPED[t])} in seed.dropped)"
                    for t, v in sorted(out.items())))


if __name__ == "__main__":
    main()
