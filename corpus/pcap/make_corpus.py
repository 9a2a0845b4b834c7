#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build the reference captures in corpus/pcap/ (see README.md there).

The messages are assembled byte by byte with tools/ikewire.py, not with the
C codec, so decoding them is an independent check. SK contents are random
octets of the size the negotiated suite implies (no keys: later issues add
real strongSwan captures with key tables). Deterministic: same output on
every run.  Run from the repository root:
    python3 corpus/pcap/make_corpus.py && (cd corpus/pcap && editcap -F pcapng sll2.pcap sll2.pcapng)
"""
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import ikewire as w  # noqa: E402

R = random.Random(7296)


def rb(n):
    return bytes(R.getrandbits(8) for _ in range(n))


V4I, V4R = bytes([192, 0, 2, 10]), bytes([198, 51, 100, 20])
V6I = bytes.fromhex("20010db8000000000000000000000010")
V6R = bytes.fromhex("20010db8000100000000000000000020")
MARK = bytes(4)  # RFC 3948 §2.2 non-ESP marker

# strongSwan-like proposals: (proto, [(type, id[, keylen])], spi)
IKE_PROPS = [
    (1, [(1, 12, 256), (1, 12, 128), (2, 5), (2, 7), (3, 12), (3, 14), (4, 19), (4, 31), (4, 14)], b""),
    (1, [(1, 20, 256), (1, 28), (2, 5), (2, 6), (4, 31), (4, 19)], b""),
]


def session(cap, t0, src, dst, suite, v6=False, port=500, frag=False):
    """One IKE SA life: IKE_SA_INIT with INVALID_KE and COOKIE detours,
    IKE_AUTH on the NAT-T port, CREATE_CHILD_SA, INFORMATIONAL, delete.
    suite: ('cbc'|'gcm') picks the accepted proposal and SK sizes."""
    ispi, rspi = rb(8), rb(8)
    t = t0

    def send(a, b, sp, dp, msg, marker=False):
        nonlocal t
        t += 1500 + R.randrange(20000)
        cap.packet(t, w.ip_udp(a, b, sp, dp, (MARK if marker else b"") + msg))

    nat_d = [(w.N, w.notify(16388, rb(20))), (w.N, w.notify(16389, rb(20)))]
    ikefrag = [(w.N, w.notify(16430))]
    sha = [(w.N, w.notify(16431, bytes.fromhex("0002000300040005")))]
    vid = [(w.V, b"strongSwan-like vendor ID ......"[:16])]
    id_i = w.ident(2, b"initiator.example") if not v6 else w.ident(5, V6I)

    # 1. IKE_SA_INIT request with group 19, answered INVALID_KE_PAYLOAD(31)
    req = [(w.SA, w.sa(IKE_PROPS)), (w.KE, w.ke(19, rb(64))), (w.NONCE, rb(32))] + nat_d + ikefrag + sha + vid
    send(src, dst, port, port, w.hdr(w.SA, w.INIT, 0x08, body=w.chain(req), ispi=ispi))
    send(dst, src, port, port, w.hdr(w.N, w.INIT, 0x20, body=w.chain([(w.N, w.notify(17, b"\x00\x1f"))]), ispi=ispi))
    # 2. retry with Curve25519, answered with a COOKIE (RFC 7296 §2.6)
    req = [(w.SA, w.sa(IKE_PROPS)), (w.KE, w.ke(31, rb(32))), (w.NONCE, rb(32))] + nat_d + ikefrag + sha + vid
    send(src, dst, port, port, w.hdr(w.SA, w.INIT, 0x08, body=w.chain(req), ispi=ispi))
    cookie = rb(20)
    send(dst, src, port, port, w.hdr(w.N, w.INIT, 0x20, body=w.chain([(w.N, w.notify(16390, cookie))]), ispi=ispi))
    # 3. with the cookie first, accepted
    send(src, dst, port, port, w.hdr(w.N, w.INIT, 0x08, body=w.chain([(w.N, w.notify(16390, cookie))] + req), ispi=ispi))
    if suite == "gcm":
        acc = [(1, [(1, 20, 256), (2, 5), (4, 31)], b"")]
        iv, icv, blk = 8, 16, 1
    else:
        acc = [(1, [(1, 12, 256), (2, 5), (3, 12), (4, 31)], b"")]
        iv, icv, blk = 16, 16, 16
    resp = [(w.SA, w.sa(acc)), (w.KE, w.ke(31, rb(32))), (w.NONCE, rb(32))] + nat_d + \
           [(w.CERTREQ, b"\x04" + rb(20))] + ikefrag + sha
    send(dst, src, port, port, w.hdr(w.SA, w.INIT, 0x20, body=w.chain(resp), ispi=ispi, rspi=rspi))

    def sk(first, plain_len):
        padded = plain_len + 1
        if blk > 1:
            padded += (-padded) % blk
        return w.gp(0, rb(iv + padded + icv)), first

    mid = [1, 0]  # initiator's next request ID, responder's

    def protected(a, b, sp, dp, exch, flags, m, first, plain_len):
        body, nxt = sk(first, plain_len)
        msg = w.hdr(w.SK, exch, flags, body=bytes([nxt]) + body[1:], ispi=ispi, rspi=rspi, mid=m)
        send(a, b, sp, dp, msg, marker=True)

    nat = 4500
    # 4. IKE_AUTH on the NAT-T port (RFC 7296 §2.23), or fragmented (RFC 7383)
    if frag:
        for k in (1, 2, 3):
            body = w.gp(0, struct.pack(">HH", k, 3) + rb(iv + 160 + icv))
            first = w.IDI if k == 1 else 0
            msg = w.hdr(w.SKF, w.AUTHX, 0x08, body=bytes([first]) + body[1:], ispi=ispi, rspi=rspi, mid=1)
            send(src, dst, nat, nat, msg, marker=True)
    else:
        protected(src, dst, nat, nat, w.AUTHX, 0x08, 1, w.IDI, 420)
    protected(dst, src, nat, nat, w.AUTHX, 0x20, 1, w.IDR, 300)
    # ESP and keepalives share the port (RFC 3948): decode skips them
    for k in range(3):
        t += 900
        esp = struct.pack(">II", 0xc1a5e5e0 + k, k + 1) + rb(16 + 48 + 16)
        cap.packet(t, w.ip_udp(src, dst, nat, nat, esp))
    t += 900
    cap.packet(t, w.ip_udp(src, dst, nat, nat, b"\xff"))
    if not v6:
        t += 900
        cap.packet(t, w.ip_esp(src, dst, struct.pack(">II", 0xc1a5e5ff, 1) + rb(64)))
    # 5. CREATE_CHILD_SA (rekey a Child SA), liveness check, delete
    protected(src, dst, nat, nat, w.CHILD, 0x08, 2, w.N, 360)
    protected(dst, src, nat, nat, w.CHILD, 0x20, 2, w.SA, 330)
    protected(dst, src, nat, nat, w.INFO, 0x00, 0, 0, 0)
    protected(src, dst, nat, nat, w.INFO, 0x28, 0, 0, 0)
    protected(src, dst, nat, nat, w.INFO, 0x08, 3, w.D, 8)
    protected(dst, src, nat, nat, w.INFO, 0x20, 3, w.D, 8)
    return t


def plain_zoo(cap, t, src, dst):
    """Unencrypted messages with every payload type in the clear, as a
    misbehaving or test peer might send them: codec coverage."""
    ispi, rspi = rb(8), rb(8)
    pls = [
        (w.IDI, w.ident(1, src) if len(src) == 4 else w.ident(5, src)), (w.IDR, w.ident(3, b"peer@example.org")),
        (w.CERT, b"\x04" + rb(40)), (w.CERTREQ, b"\x04" + rb(40)),
        (w.AUTH, bytes([2, 0, 0, 0]) + rb(32)),
        (w.N, w.notify(16393, b"", 3, rb(4))), (w.N, w.notify(16391)),
        (w.D, w.delete(3, [rb(4), rb(4)], 4)), (w.D, w.delete(1, [], 0)),
        (w.TSI, w.ts([(7, 0, 0, 65535, bytes([192, 0, 2, 0]), bytes([192, 0, 2, 255])),
                      (8, 17, 500, 4500, V6I, V6R)])),
        (w.TSR, w.ts([(7, 6, 443, 443, bytes([203, 0, 113, 1]), bytes([203, 0, 113, 1])),
                      (7, 1, 65535, 0, bytes([198, 51, 100, 0]), bytes([198, 51, 100, 255]))])),
        (w.CP, w.cp(1, [(1, b""), (3, b""), (8, b""), (10, b"")])),
        (w.CP, w.cp(2, [(1, bytes([10, 0, 0, 1])), (3, bytes([192, 0, 2, 53]))])),
        (w.EAP, bytes([1, 7, 0, 10, 1]) + b"hello"),
        (w.EAP, bytes([3, 7, 0, 4])),
        (w.V, rb(16)), (200, rb(12)),
    ]
    t += 1000
    cap.packet(t, w.ip_udp(src, dst, 500, 500,
                           w.hdr(w.IDI, w.INFO, 0x08, body=w.chain(pls), ispi=ispi, rspi=rspi, mid=9)))
    t += 1000
    esp_sa = w.sa([(3, [(1, 20, 128), (5, 0), (5, 1)], rb(4)), (2, [(3, 12), (5, 0)], rb(4))])
    cap.packet(t, w.ip_udp(src, dst, 500, 500, w.hdr(w.SA, w.CHILD, 0x08, body=w.chain(
        [(w.SA, esp_sa), (w.NONCE, rb(64)), (w.KE, w.ke(14, rb(256)))]), ispi=ispi, rspi=rspi, mid=10)))
    return t


def ip_fragments_capture():
    """ip_fragments.pcap: IKE messages too big for one packet, sent as IP
    fragments (no RFC 7383 fragmentation). IPv4: IKE_SA_INIT, then an
    IKE_AUTH request carrying certificates (SK of 3200 octets of plaintext,
    three fragments at MTU 1500, in order) and its response (two fragments
    written last-first around a NAT keepalive). IPv6: an IKE_SA_INIT
    exchange with 8192-bit MODP (1024-octet KE data), each message two
    fragments at MTU 1280. Its own random generator, so the other captures
    do not depend on this one."""
    rnd = random.Random(8200)

    def rbl(n):
        return bytes(rnd.getrandbits(8) for _ in range(n))

    c = w.Pcap("ip_fragments.pcap", w.LINK_ETHERNET)
    t = [1_700_000_500_000_000]

    def put(ip):
        t[0] += 700 + rnd.randrange(3000)
        c.packet(t[0], ip)

    def sk(first, plain_len):  # AES-CBC-256 / HMAC-SHA2-256-128
        padded = plain_len + 1
        padded += (-padded) % 16
        return bytes([first]) + w.gp(0, rbl(16 + padded + 16))[1:]

    # IPv4: IKE_SA_INIT unfragmented, IKE_AUTH fragmented
    ispi, rspi = rbl(8), rbl(8)
    nat_d = [(w.N, w.notify(16388, rbl(20))), (w.N, w.notify(16389, rbl(20)))]
    req = [(w.SA, w.sa(IKE_PROPS)), (w.KE, w.ke(31, rbl(32))), (w.NONCE, rbl(32))] + nat_d
    put(w.ip_udp(V4I, V4R, 500, 500, w.hdr(w.SA, w.INIT, 0x08, body=w.chain(req), ispi=ispi)))
    acc = [(1, [(1, 12, 256), (2, 5), (3, 12), (4, 31)], b"")]
    resp = [(w.SA, w.sa(acc)), (w.KE, w.ke(31, rbl(32))), (w.NONCE, rbl(32))] + nat_d + \
           [(w.CERTREQ, b"\x04" + rbl(20))]
    put(w.ip_udp(V4R, V4I, 500, 500, w.hdr(w.SA, w.INIT, 0x20, body=w.chain(resp), ispi=ispi, rspi=rspi)))
    auth = w.hdr(w.SK, w.AUTHX, 0x08, body=sk(w.IDI, 3200), ispi=ispi, rspi=rspi, mid=1)
    for f in w.ip_fragments(w.ip_udp(V4I, V4R, 4500, 4500, MARK + auth), 1500, 0x1a2b):
        put(f)
    auth = w.hdr(w.SK, w.AUTHX, 0x20, body=sk(w.IDR, 1900), ispi=ispi, rspi=rspi, mid=1)
    frags = w.ip_fragments(w.ip_udp(V4R, V4I, 4500, 4500, MARK + auth), 1500, 0x7c01)
    put(frags[1])
    put(w.ip_udp(V4I, V4R, 4500, 4500, b"\xff"))
    put(frags[0])
    # IPv6: IKE_SA_INIT with 1024-octet KE data, both messages fragmented
    ispi, rspi = rbl(8), rbl(8)
    props = [(1, [(1, 12, 256), (1, 12, 128), (2, 5), (2, 7), (3, 12), (3, 14), (4, 18), (4, 31)], b""),
             (1, [(1, 20, 256), (1, 28), (2, 5), (2, 6), (4, 18), (4, 31)], b"")]
    req = [(w.SA, w.sa(props)), (w.KE, w.ke(18, rbl(1024))), (w.NONCE, rbl(32))] + nat_d + \
          [(w.N, w.notify(16430)), (w.N, w.notify(16431, bytes.fromhex("0002000300040005"))),
           (w.V, rbl(16)), (w.V, rbl(20))]
    msg = w.hdr(w.SA, w.INIT, 0x08, body=w.chain(req), ispi=ispi)
    for f in w.ip_fragments(w.ip_udp(V6I, V6R, 500, 500, msg), 1280, 0x0badcafe):
        put(f)
    acc = [(1, [(1, 12, 256), (2, 5), (3, 12), (4, 18)], b"")]
    resp = [(w.SA, w.sa(acc)), (w.KE, w.ke(18, rbl(1024))), (w.NONCE, rbl(32))] + nat_d + \
           [(w.CERTREQ, b"\x04" + rbl(40))]
    msg = w.hdr(w.SA, w.INIT, 0x20, body=w.chain(resp), ispi=ispi, rspi=rspi)
    for f in w.ip_fragments(w.ip_udp(V6R, V6I, 500, 500, msg), 1280, 0x51e4a001):
        put(f)
    c.close()


def main():
    os.chdir(HERE)
    c = w.Pcap("demo.pcap", w.LINK_ETHERNET)
    t = session(c, 1_700_000_000_000_000, V4I, V4R, "cbc")
    plain_zoo(c, t, V4I, V4R)
    c.close()
    c = w.Pcap("ipv6_sll.pcap", w.LINK_SLL)
    session(c, 1_700_000_100_000_000, V6I, V6R, "gcm", v6=True)
    c.close()
    c = w.Pcap("fragments_null.pcap", w.LINK_NULL)
    session(c, 1_700_000_200_000_000, V4I, V4R, "cbc", frag=True)
    c.close()
    c = w.Pcap("sll2.pcap", w.LINK_SLL2)
    t = session(c, 1_700_000_300_000_000, V4I, V4R, "gcm", port=500)
    plain_zoo(c, t, V6I, V6R)
    c.close()
    c = w.Pcap("raw_ip.pcap", w.LINK_RAW)
    session(c, 1_700_000_400_000_000, V6I, V6R, "cbc", v6=True)
    c.close()
    ip_fragments_capture()


if __name__ == "__main__":
    main()
