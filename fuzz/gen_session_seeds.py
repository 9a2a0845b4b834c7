#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed programs of fuzz_ike_session and fuzz_ike_session_crypto
(the input layout is in fuzz/fuzz_ike_session.c) into
corpus/<target>/seed/. Deterministic: the same programs every run, each
file named by the SHA-256 prefix of its content; stale seeds are removed,
and so are the names listed in corpus/<target>/seed.dropped
(fuzz/minimize_seeds.py: no coverage of their own), which are not written.
Usage: fuzz/gen_session_seeds.py"""
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seedlib  # noqa: E402

ROOT = seedlib.ROOT
TARGETS = ["fuzz_ike_session", "fuzz_ike_session_crypto"]

# header flags (fz_flags in fuzz_ike_session.c)
WINDOW, NATT, LIVENESS, LOG, TIMERS, CP, CONTACT, TRANSPORT = (
    1, 2, 4, 8, 16, 32, 64, 128)
# ops (enum fz_op)
(DELIVER, ALL, DROP, DUP, MUTATE, ADVANCE, NEXT_TIMER, INITIATE, ACTION,
 SEND_INNER, FAIL_SEND, RAW, SWAP, DELIVER_LAST) = range(14)
# actions (ikh_action - 1)
REKEY_CHILD, REKEY_IKE, DELETE_CHILD, DELETE_IKE, LIVENESS_ACT, CREATE_CHILD = range(6)
# mutations (enum fz_mut)
(M_XOR, M_TRUNC, M_HDR, M_REMOVE, M_DUP, M_FIELD, M_DATA, M_INSERT, M_SUB,
 M_INNER_XOR, M_INNER_LEN) = range(11)
A, B = 0, 1


# header start byte: fresh pair, or established from the snapshot
FRESH, ESTABLISHED = 0, 1


def header(flags=0, seed=1, fail=0, start=FRESH):
    return struct.pack(">BBHH", flags, start, seed, fail)


def act(side, a, ike=0, arg=0):
    return bytes([ACTION, side, a, ike, arg])


def inner(side, length=64, child=0):
    return bytes([SEND_INNER, side | child << 1, length]) + bytes(
        (i * 7) & 0xff for i in range(length))


def adv(ms):
    return bytes([ADVANCE]) + struct.pack(">H", ms)


def mut(idx, kind, *args):
    return bytes([MUTATE, idx, kind]) + b"".join(args)


def u8(v):
    return bytes([v])


def u16(v):
    return struct.pack(">H", v)


def u32(v):
    return struct.pack(">I", v)


def blob(b):
    return u16(len(b)) + b


ALLB = bytes([ALL])
TRAFFIC = inner(A) + inner(B, 100) + ALLB
# IKE_SA_INIT request and response delivered: the IKE_AUTH request is next
TO_AUTH = bytes([DELIVER, 0, DELIVER, 0])
# IKE_AUTH request delivered too: the IKE_AUTH response is next
TO_AUTH_RESP = TO_AUTH + bytes([DELIVER, 0])

programs = {
    "establish": header() + ALLB,
    "traffic": header() + ALLB + TRAFFIC + TRAFFIC,
    "traffic-pfs-child": header() + ALLB + act(A, CREATE_CHILD, 0, 1) + ALLB
    + inner(A, 40, 1) + inner(B, 40, 1) + ALLB,
    "rekey-child-a": header() + ALLB + TRAFFIC + act(A, REKEY_CHILD) + ALLB
    + TRAFFIC,
    "rekey-child-b": header() + ALLB + act(B, REKEY_CHILD) + ALLB + TRAFFIC,
    "rekey-ike-a": header() + ALLB + act(A, REKEY_IKE) + ALLB + TRAFFIC
    + act(A, LIVENESS_ACT) + ALLB,
    "rekey-ike-b": header() + ALLB + act(B, REKEY_IKE) + ALLB
    + act(B, REKEY_CHILD) + ALLB,
    "collide-child": header() + ALLB + act(A, REKEY_CHILD) + act(B, REKEY_CHILD)
    + ALLB + TRAFFIC,
    "collide-ike": header() + ALLB + act(A, REKEY_IKE) + act(B, REKEY_IKE)
    + ALLB + act(A, LIVENESS_ACT) + ALLB,
    "collide-child-delete": header() + ALLB + act(A, REKEY_CHILD)
    + act(B, DELETE_CHILD) + ALLB,
    "collide-ike-child": header(WINDOW) + ALLB + act(A, REKEY_IKE)
    + act(B, REKEY_CHILD) + ALLB + TRAFFIC,
    "collide-ike-delete": header() + ALLB + act(A, REKEY_IKE)
    + act(B, DELETE_IKE) + ALLB,
    "delete-child-a": header() + ALLB + act(A, DELETE_CHILD) + ALLB + TRAFFIC,
    "delete-child-b": header() + ALLB + act(B, DELETE_CHILD) + ALLB,
    "delete-ike-a": header() + ALLB + act(A, DELETE_IKE) + ALLB,
    "delete-ike-b": header() + ALLB + act(B, DELETE_IKE) + ALLB,
    "liveness-a": header() + ALLB + act(A, LIVENESS_ACT) + ALLB,
    "liveness-b": header() + ALLB + act(B, LIVENESS_ACT) + ALLB,
    "liveness-timer": header(LIVENESS) + ALLB + adv(11000) + ALLB
    + adv(11000) + bytes([DROP, 0]) + adv(2000) + ALLB,
    "liveness-dead": header(LIVENESS) + ALLB + adv(11000)
    + bytes([DROP, 0]) + adv(5000) + bytes([DROP, 0]) + adv(10000)
    + bytes([DROP, 0]) + adv(20000) + bytes([DROP, 0]) + adv(30000),
    "create-child-a": header() + ALLB + act(A, CREATE_CHILD, 0, 0) + ALLB
    + act(A, CREATE_CHILD, 0, 1) + ALLB + TRAFFIC,
    "create-child-b": header() + ALLB + act(B, CREATE_CHILD, 0, 1) + ALLB
    + act(B, REKEY_CHILD) + ALLB,
    "window-many": header(WINDOW) + ALLB + act(A, CREATE_CHILD, 0, 1)
    + act(A, REKEY_CHILD) + act(A, LIVENESS_ACT) + act(B, CREATE_CHILD)
    + act(B, LIVENESS_ACT) + ALLB + TRAFFIC,
    "timers": header(TIMERS) + ALLB + adv(21000) + ALLB + adv(10000) + ALLB
    + TRAFFIC + adv(65000) + ALLB + adv(65000) + ALLB,
    "retransmit": header() + bytes([DROP, 0]) + adv(1100) + ALLB
    + act(A, REKEY_CHILD) + bytes([DROP, 0]) + adv(1100) + ALLB
    + act(B, LIVENESS_ACT) + bytes([DUP, 0]) + ALLB + bytes([NEXT_TIMER]),
    "dup-reorder": header() + bytes([DELIVER, 0, DUP, 0, DELIVER, 0, DELIVER,
                                     0, DUP, 0, SWAP, 0, 1, ALL])
    + act(A, REKEY_IKE) + bytes([DUP, 0, DELIVER_LAST]) + ALLB,
    "natt-cp-transport": header(NATT | CP | TRANSPORT | CONTACT) + ALLB
    + TRAFFIC + act(A, REKEY_CHILD) + ALLB,
    "reinitiate": header(CONTACT) + ALLB + bytes([INITIATE, 0]) + ALLB
    + bytes([INITIATE, 1 | 2]) + ALLB,
    "log-rekeys": header(LOG) + ALLB + act(A, REKEY_CHILD) + ALLB
    + act(B, REKEY_IKE) + ALLB + TRAFFIC + act(A, DELETE_IKE) + ALLB,
    "fail-send": header() + bytes([FAIL_SEND, 0]) + ALLB + adv(1100) + ALLB
    + bytes([FAIL_SEND, 1]) + act(A, REKEY_CHILD) + ALLB + adv(1100) + ALLB,
    "alloc-fail": header(0, 1, 2 * 7 + 1) + ALLB + act(A, REKEY_CHILD) + ALLB,
    "raw-garbage": header() + bytes([RAW, 1]) + blob(bytes(range(40)))
    + ALLB + bytes([RAW, 0 | 2]) + blob(b"\x00" * 28),
    # mutations behind the ICV
    "mut-auth-ts": header() + TO_AUTH
    + mut(0, M_SUB, u8(3), u8(0), u8(2), u32(0x1234)) + ALLB,
    "mut-auth-remove-auth": header() + TO_AUTH
    + mut(0, M_REMOVE, u8(2)) + ALLB,
    "mut-auth-id": header() + TO_AUTH
    + mut(0, M_FIELD, u8(1), u8(1), u32(2)) + ALLB,
    "mut-auth-resp-notify": header() + TO_AUTH_RESP
    + mut(0, M_INSERT, u8(2), u8(0), u32(24), blob(b"")) + ALLB,
    "mut-auth-sa-xform": header() + TO_AUTH
    + mut(0, M_SUB, u8(1), u8(0), u8(1), u32(0x0c)) + ALLB,
    "mut-rekey-inner-xor": header() + ALLB + act(A, REKEY_CHILD)
    + mut(0, M_INNER_XOR, u16(6), u8(0x40)) + ALLB,
    "mut-rekey-notify-proto": header() + ALLB + act(A, REKEY_CHILD)
    + mut(0, M_FIELD, u8(1), u8(2), u32(1)) + ALLB,
    "mut-ike-rekey-ke": header() + ALLB + act(A, REKEY_IKE)
    + mut(0, M_DATA, u8(3), blob(bytes(300))) + ALLB,
    "mut-delete-spis": header() + ALLB + act(B, DELETE_CHILD)
    + mut(0, M_INSERT, u8(2), u8(2), u32(3), blob(b"\xde\xad\xbe\xef" * 3))
    + ALLB,
    "mut-info-hdr": header() + ALLB + act(A, LIVENESS_ACT)
    + mut(0, M_HDR, u8(3), u32(1)) + ALLB,
    "mut-inner-len": header() + ALLB + act(B, CREATE_CHILD)
    + mut(0, M_INNER_LEN, u16(20)) + ALLB,
    "mut-esp-xor": header() + ALLB + inner(A, 80) + mut(0, M_XOR, u16(30), u8(4))
    + ALLB + inner(B, 30) + mut(0, M_TRUNC, u16(20)) + ALLB,
    "mut-init-raw": header() + mut(0, M_XOR, u16(40), u8(1)) + ALLB
    + adv(1100) + ALLB,
}


def with_snapshots(progs):
    """Every program that begins by delivering everything to a fresh pair
    (and injects no allocation failure) once more, starting established
    from the snapshot instead: the same states without the handshake's
    cost in every execution."""
    out = dict(progs)
    for name, prog in progs.items():
        flags, start, seed, fail = struct.unpack(">BBHH", prog[:6])
        if start == FRESH and fail == 0 and prog[6:7] == ALLB:
            out["est-" + name] = header(flags, seed, 0, ESTABLISHED) + prog[7:]
    return out


def main():
    for t in TARGETS:
        out = os.path.join(ROOT, "corpus", t, "seed")
        os.makedirs(out, exist_ok=True)
        want = {}
        for name, prog in with_snapshots(programs).items():
            want[hashlib.sha256(prog).hexdigest()[:16]] = prog
        dropped = seedlib.read_dropped(t)
        keep = {h: p for h, p in want.items() if h not in dropped}
        for f in os.listdir(out):
            if f not in keep:
                os.remove(os.path.join(out, f))
        for h, prog in sorted(keep.items()):
            with open(os.path.join(out, h), "wb") as f:
                f.write(prog)
        print(f"{t}: {len(want)} seeds, {len(want) - len(keep)} of them in "
              f"{seedlib.DROPPED}")


if __name__ == "__main__":
    main()
