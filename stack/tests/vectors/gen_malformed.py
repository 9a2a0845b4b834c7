#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate stack/tests/vectors/malformed_table.h: malformed IKEv2 messages,
each with the error code, offset and payload ikh_wire_msg_parse() (stage
"parse") or ikh_wire_msg_verify() (stage "verify") must report.

The messages are assembled here byte by byte, independently of the C codec,
with every length computed correctly except the one a case breaks.
Run: python3 stack/tests/vectors/gen_malformed.py > stack/tests/vectors/malformed_table.h
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools"))
import ikewire  # noqa: E402
from ikewire import (SA, KE, IDI, CERT, CERTREQ, AUTH, NONCE, N, D, V, TSI, TSR, SK,  # noqa: E402
                     CP, EAP, SKF, INIT, AUTHX, INFO, gp, attr_tv, attr_tlv, xform, prop)

ISPI = bytes.fromhex("a1b2c3d4e5f60718")
RSPI = bytes.fromhex("1122334455667788")


def hdr(np, exch=INIT, flags=0x08, length=None, body=b"", ver=0x20, rspi=None, ispi=ISPI, mid=0):
    """IKE header; the responder SPI is zero in IKE_SA_INIT requests."""
    r = RSPI if rspi is None else rspi
    if exch == INIT and rspi is None and not (flags & 0x20):
        r = bytes(8)
    return ikewire.hdr(np, exch, flags, length, body, ver, ispi, r, mid)


GOOD_XFS = [xform(1, 12, attr_tv(14, 256), last=3), xform(2, 5, last=3),
            xform(3, 12, last=3), xform(4, 19)]


def sa_body(props=None):
    return b"".join(props) if props is not None else prop(1, 1, GOOD_XFS)


def ke_body(group=19, n=64):
    return struct.pack(">HH", group, 0) + bytes(range(n))


NONCE_BODY = bytes(range(32))


init_msg = ikewire.chain


cases = []


def case(name, msg, err, off, pl, stage="parse"):
    cases.append((name, msg, err, off, pl, stage))


def good_init(extra=None, first=None):
    ch = [(SA, sa_body()), (KE, ke_body()), (NONCE, NONCE_BODY)]
    if extra:
        ch += extra
    if first:
        ch = first + ch
    return ch


def msg_of(chain, exch=INIT, flags=0x08, **kw):
    body = init_msg(chain)
    return hdr(chain[0][0] if chain else 0, exch, flags, body=body, **kw)


# --- IKE header (RFC 7296 §3.1) ---
valid = msg_of(good_init())
case("empty datagram", b"", "WIRE_HDR_SHORT", 0, 0)
case("27-octet header", valid[:27], "WIRE_HDR_SHORT", 27, 0)
case("major version 1", hdr(0, ver=0x10), "WIRE_BAD_MAJOR", 17, 0)
case("major version 3", hdr(0, ver=0x30), "WIRE_BAD_MAJOR", 17, 0)
case("Length 27", hdr(0, length=27), "WIRE_MSG_LEN_SHORT", 24, 0)
case("Length 0", hdr(0, length=0), "WIRE_MSG_LEN_SHORT", 24, 0)
case("Length past the datagram", valid[:-1], "WIRE_MSG_LEN_OVERRUN", 24, 0)
case("Length 0xffffffff", hdr(0, length=0xffffffff), "WIRE_MSG_LEN_OVERRUN", 24, 0)
case("octets after Length", valid + b"\x00\x00", "WIRE_MSG_TRAILING", len(valid), 0)
# --- payload chain (§3.2) ---
case("next payload set, message ends", hdr(SA), "WIRE_CHAIN_UNTERMINATED", 28, SA)
m = msg_of(good_init())
m = bytearray(m); m[28 + len(gp(0, sa_body())) + len(gp(0, ke_body())) ] = V  # Nonce says next is V
case("last payload names a next one", bytes(m), "WIRE_CHAIN_UNTERMINATED", len(m), V)
case("payload header cut (2 octets)", hdr(SA, body=b"\x00\x00"), "WIRE_TRUNCATED", 28, SA)
case("payload Length 3", hdr(NONCE, body=gp(0, b"", length=3)), "WIRE_PL_LEN_SHORT", 30, NONCE)
case("payload Length 0", hdr(NONCE, body=gp(0, b"", length=0)), "WIRE_PL_LEN_SHORT", 30, NONCE)
case("payload Length past the message", hdr(NONCE, body=gp(0, NONCE_BODY, length=37)), "WIRE_PL_LEN_OVERRUN", 30, NONCE)
case("second payload Length past the message",
     msg_of([(SA, sa_body()), (KE, ke_body(), 0, 4 + 68 + 1)]), "WIRE_PL_LEN_OVERRUN", 28 + 4 + len(sa_body()) + 2, KE)
case("octets after the last payload", hdr(NONCE, body=gp(0, NONCE_BODY) + b"\x00\x00\x00"),
     "WIRE_CHAIN_TRAILING", 28 + 36, 0)
# --- SK (§3.14) and SKF (RFC 7383 §2.5) ---
sk = gp(0, bytes(48))
sk = bytes([IDI]) + sk[1:]
case("payload after SK", hdr(SK, AUTHX, body=sk + gp(0, b"vid")), "WIRE_PL_AFTER_SK", 28 + 52, SK)
case("octets after SKF", hdr(SKF, AUTHX, body=bytes([IDI]) + gp(0, struct.pack(">HH", 1, 2) + bytes(40))[1:] + b"\x01"),
     "WIRE_PL_AFTER_SK", 28 + 48, SKF)
case("SKF fragment 0", hdr(SKF, AUTHX, body=bytes([IDI]) + gp(0, struct.pack(">HH", 0, 2) + bytes(40))[1:]),
     "WIRE_SKF_FRAG_NUM", 32, SKF)
case("SKF fragment 3 of 2", hdr(SKF, AUTHX, body=bytes([IDI]) + gp(0, struct.pack(">HH", 3, 2) + bytes(40))[1:]),
     "WIRE_SKF_FRAG_NUM", 32, SKF)
case("SKF shorter than its numbers", hdr(SKF, AUTHX, body=gp(0, b"\x00\x01\x00")),
     "WIRE_PL_BODY_SHORT", 32, SKF)
# --- SA (§3.3) ---
case("SA with zero proposals", msg_of([(SA, b"")]), "WIRE_SA_EMPTY", 32, SA)
case("proposal shorter than 8", msg_of([(SA, b"\x00\x00\x00\x07\x01\x01\x00\x00")]), "WIRE_PROP_LEN", 34, SA)
case("proposal header cut", msg_of([(SA, b"\x00\x00\x00\x08\x01")]), "WIRE_PROP_LEN", 32, SA)
case("proposal Length past SA", msg_of([(SA, prop(1, 1, GOOD_XFS, length=200))]), "WIRE_PROP_LEN", 34, SA)
case("proposal Last Substruc 1", msg_of([(SA, prop(1, 1, GOOD_XFS, last=1))]), "WIRE_PROP_LAST", 32, SA)
case("proposal says more, none follows", msg_of([(SA, prop(1, 1, GOOD_XFS, last=2))]), "WIRE_PROP_LAST", 32, SA)
p1 = prop(1, 1, GOOD_XFS, last=0)
case("proposal says last, another follows", msg_of([(SA, p1 + prop(2, 1, GOOD_XFS))]), "WIRE_PROP_LAST", 32, SA)
case("SPI Size past the proposal", msg_of([(SA, prop(1, 3, [], spi_size=9, nxf=0) + b"")]), "WIRE_PROP_SPI_LEN", 38, SA)
case("Num Transforms 5 for 4", msg_of([(SA, prop(1, 1, GOOD_XFS, nxf=5))]), "WIRE_XFORM_COUNT", 39, SA)
case("Num Transforms 3 for 4", msg_of([(SA, prop(1, 1, GOOD_XFS, nxf=3))]), "WIRE_XFORM_COUNT", 39, SA)
case("zero transforms declared, one present", msg_of([(SA, prop(1, 1, [xform(4, 19)], nxf=0))]), "WIRE_XFORM_COUNT", 39, SA)
case("transform Length 7", msg_of([(SA, prop(1, 1, [xform(4, 19, length=7)]))]), "WIRE_XFORM_LEN", 42, SA)
case("transform Length past proposal", msg_of([(SA, prop(1, 1, [xform(4, 19, length=12)]))]), "WIRE_XFORM_LEN", 42, SA)
case("transform header cut", msg_of([(SA, prop(1, 1, [b"\x00\x00\x00\x08\x04"], nxf=1))]), "WIRE_XFORM_LEN", 40, SA)
case("transform Last Substruc 2", msg_of([(SA, prop(1, 1, [xform(4, 19, last=2)]))]), "WIRE_XFORM_LAST", 40, SA)
case("transform says more, none follows", msg_of([(SA, prop(1, 1, [xform(4, 19, last=3)]))]), "WIRE_XFORM_LAST", 40, SA)
case("transform says last, another follows",
     msg_of([(SA, prop(1, 1, [xform(4, 19, last=0), xform(2, 5)]))]), "WIRE_XFORM_LAST", 40, SA)
case("TV attribute cut", msg_of([(SA, prop(1, 1, [xform(1, 12, b"\x80\x0e\x01")]))]), "WIRE_ATTR_OVERRUN", 48, SA)
case("TLV attribute past its transform",
     msg_of([(SA, prop(1, 1, [xform(1, 12, attr_tlv(18, b"\x01\x02", length=9))]))]), "WIRE_ATTR_OVERRUN", 52, SA)
case("attribute header of 2 octets", msg_of([(SA, prop(1, 1, [xform(1, 12, b"\x00\x0e")]))]), "WIRE_ATTR_OVERRUN", 48, SA)
# --- fixed-part payloads ---
case("KE without group", msg_of([(KE, b"\x00\x13")]), "WIRE_PL_BODY_SHORT", 32, KE)
case("IDi shorter than 4", msg_of([(IDI, b"\x01\x00\x00")], AUTHX), "WIRE_PL_BODY_SHORT", 32, IDI)
case("AUTH shorter than 4", msg_of([(AUTH, b"\x02")], AUTHX), "WIRE_PL_BODY_SHORT", 32, AUTH)
case("CERT without encoding", msg_of([(CERT, b"")], AUTHX), "WIRE_PL_BODY_SHORT", 32, CERT)
case("CERTREQ without encoding", msg_of([(CERTREQ, b"")]), "WIRE_PL_BODY_SHORT", 32, CERTREQ)
case("Notify shorter than 4", msg_of([(N, b"\x00\x00\x40")]), "WIRE_PL_BODY_SHORT", 32, N)
case("Notify SPI Size past payload", msg_of([(N, b"\x03\x08\x40\x00\x01\x02\x03")]), "WIRE_NOTIFY_SPI_LEN", 36, N)
case("Delete shorter than 4", msg_of([(D, b"\x03\x04\x00")], INFO), "WIRE_PL_BODY_SHORT", 32, D)
case("Delete 3 SPIs, 2 present", msg_of([(D, b"\x03\x04\x00\x03" + bytes(8))], INFO), "WIRE_DELETE_SPI_COUNT", 36, D)
case("Delete 1 SPI, 5 octets", msg_of([(D, b"\x03\x04\x00\x01" + bytes(5))], INFO), "WIRE_DELETE_SPI_COUNT", 36, D)
# --- TS (§3.13) ---
ts4 = bytes([7, 0]) + struct.pack(">HHH", 16, 0, 65535) + bytes([192, 0, 2, 0, 192, 0, 2, 255])
ts6 = bytes([8, 0]) + struct.pack(">HHH", 40, 0, 65535) + bytes.fromhex("20010db8" + "00" * 12) + bytes.fromhex("20010db8" + "ff" * 12)
case("TS count 2 for 1", msg_of([(TSI, b"\x02\x00\x00\x00" + ts4)], AUTHX), "WIRE_TS_COUNT", 32, TSI)
case("TS count 1 for 2", msg_of([(TSI, b"\x01\x00\x00\x00" + ts4 + ts6)], AUTHX), "WIRE_TS_COUNT", 32, TSI)
bad4 = bytearray(ts4); bad4[3] = 15
case("IPv4 selector Length 15", msg_of([(TSI, b"\x01\x00\x00\x00" + bytes(bad4))], AUTHX), "WIRE_TS_LEN", 38, TSI)
bad6 = bytearray(ts6); bad6[3] = 16
case("IPv6 selector Length 16", msg_of([(TSR, b"\x01\x00\x00\x00" + bytes(bad6))], AUTHX), "WIRE_TS_LEN", 38, TSR)
case("selector header cut", msg_of([(TSI, b"\x01\x00\x00\x00\x07\x00")], AUTHX), "WIRE_TS_LEN", 36, TSI)
case("selector past the payload", msg_of([(TSI, b"\x01\x00\x00\x00" + ts4[:12])], AUTHX), "WIRE_TS_LEN", 38, TSI)
case("TS shorter than 4", msg_of([(TSI, b"\x01\x00")], AUTHX), "WIRE_PL_BODY_SHORT", 32, TSI)
# --- CP (§3.15) ---
case("CP attribute past payload", msg_of([(CP, b"\x01\x00\x00\x00" + struct.pack(">HH", 1, 8) + bytes(4))], AUTHX),
     "WIRE_CP_ATTR_OVERRUN", 38, CP)
case("CP attribute header cut", msg_of([(CP, b"\x01\x00\x00\x00\x00\x01")], AUTHX), "WIRE_CP_ATTR_OVERRUN", 36, CP)
case("CP shorter than 4", msg_of([(CP, b"\x01")], AUTHX), "WIRE_PL_BODY_SHORT", 32, CP)
# --- EAP (§3.16) ---
case("EAP Length larger than payload", msg_of([(EAP, b"\x01\x05\x00\x09\x01abc")], AUTHX), "WIRE_EAP_LEN", 34, EAP)
case("EAP Length smaller than payload", msg_of([(EAP, b"\x02\x05\x00\x05\x01abc")], AUTHX), "WIRE_EAP_LEN", 34, EAP)
case("EAP shorter than 4", msg_of([(EAP, b"\x03\x05\x00")], AUTHX), "WIRE_PL_BODY_SHORT", 32, EAP)

# --- verify: semantic checks and payload rules (parse succeeds) ---
def vcase(name, msg, err, off, pl):
    case(name, msg, err, off, pl, "verify")

vcase("unknown exchange type 99", hdr(0, exch=99), "WIRE_EXCH_UNKNOWN", 18, 0)
vcase("initiator SPI zero", hdr(0, ispi=bytes(8)), "WIRE_SPI_ZERO", 0, 0)
vcase("responder SPI set in IKE_SA_INIT request", msg_of(good_init(), rspi=RSPI), "WIRE_SPI_NONZERO", 8, 0)
vcase("proposal numbers start at 2", msg_of([(SA, prop(2, 1, GOOD_XFS)), (KE, ke_body()), (NONCE, NONCE_BODY)]),
      "WIRE_PROP_NUM", 28, SA)
vcase("ESP proposal in IKE_SA_INIT", msg_of([(SA, prop(1, 3, GOOD_XFS, spi=bytes(4))), (KE, ke_body()), (NONCE, NONCE_BODY)]),
      "WIRE_PROTO_ID", 28, SA)
vcase("SPI in initial IKE proposal", msg_of([(SA, prop(1, 1, GOOD_XFS, spi=bytes(8))), (KE, ke_body()), (NONCE, NONCE_BODY)]),
      "WIRE_SPI_SIZE", 28, SA)
vcase("AES-CBC without Key Length", msg_of([(SA, prop(1, 1, [xform(1, 12, last=3), xform(2, 5, last=3), xform(3, 12, last=3), xform(4, 19)])),
                                            (KE, ke_body()), (NONCE, NONCE_BODY)]), "WIRE_KEY_LEN_ATTR", 28, SA)
vcase("Key Length on a PRF", msg_of([(SA, prop(1, 1, [xform(1, 12, attr_tv(14, 128), last=3), xform(2, 5, attr_tv(14, 128), last=3), xform(4, 19)])),
                                     (KE, ke_body()), (NONCE, NONCE_BODY)]), "WIRE_KEY_LEN_ATTR", 28, SA)
vcase("unknown critical payload", msg_of(good_init(extra=[(200, b"xyz", 0x80)])), "WIRE_UNKNOWN_CRITICAL",
      len(msg_of(good_init())), 200)
vcase("IKE_SA_INIT request without KE", msg_of([(SA, sa_body()), (NONCE, NONCE_BODY)]), "WIRE_RULE_MISSING", 0, KE)
vcase("two Nonces in IKE_SA_INIT", msg_of(good_init(extra=[(NONCE, NONCE_BODY)])), "WIRE_RULE_TOO_MANY",
      len(msg_of(good_init())), NONCE)
vcase("AUTH in IKE_SA_INIT", msg_of(good_init(extra=[(AUTH, b"\x02\x00\x00\x00" + bytes(32))])), "WIRE_RULE_NOT_ALLOWED",
      len(msg_of(good_init())), AUTH)
vcase("SK in IKE_SA_INIT", msg_of([(SA, sa_body()), (KE, ke_body()), (NONCE, NONCE_BODY), (SK, bytes(40))]),
      "WIRE_RULE_SK_FORBIDDEN", 28 + 4 + len(sa_body()) + 4 + len(ke_body()) + 36, SK)
vcase("IKE_AUTH without SK", msg_of([(IDI, b"\x02\x00\x00\x00host")], AUTHX), "WIRE_RULE_SK_MISSING", 0, 0)
vcase("IDi outside SK in IKE_AUTH", hdr(IDI, AUTHX, body=gp(SK, b"\x02\x00\x00\x00host") + bytes([IDI]) + gp(0, bytes(40))[1:]),
      "WIRE_RULE_NEEDS_SK", 28, IDI)
vcase("SKF with a Notify before it", hdr(N, AUTHX, body=gp(SKF, b"\x00\x00\x40\x00") + bytes([IDI]) + gp(0, struct.pack(">HH", 1, 2) + bytes(40))[1:]),
      "WIRE_RULE_SKF_NOT_ALONE", 36, SKF)
vcase("IPv4 ID of 5 octets", hdr(IDI, AUTHX, body=gp(SK, b"\x01\x00\x00\x00" + bytes(5)) + gp(0, bytes(40))),
      "WIRE_ID_LEN", 28, IDI)
ts_rev = bytes([7, 0]) + struct.pack(">HHH", 16, 500, 400) + bytes([192, 0, 2, 0, 192, 0, 2, 255])
vcase("TS start port above end port", hdr(TSI, AUTHX, body=gp(SK, b"\x01\x00\x00\x00" + ts_rev) + gp(0, bytes(40))),
      "WIRE_TS_RANGE", 28, TSI)
ts_rev_a = bytes([7, 0]) + struct.pack(">HHH", 16, 0, 65535) + bytes([192, 0, 2, 9, 192, 0, 2, 1])
vcase("TS start address above end address", hdr(TSR, AUTHX, body=gp(SK, b"\x01\x00\x00\x00" + ts_rev_a) + gp(0, bytes(40))),
      "WIRE_TS_RANGE", 28, TSR)
vcase("ESP delete with SPI Size 8", msg_of([(D, b"\x03\x08\x00\x01" + bytes(8)), (SK, bytes(40))], INFO),
      "WIRE_SPI_SIZE", 28, D)

out = []
out.append("/* SPDX-License-Identifier: MIT */")
out.append("/* clang-format off */")
out.append("/* Generated by gen_malformed.py: malformed IKEv2 messages and the error")
out.append(" * each must produce. Do not edit by hand; edit the generator. */")
out.append("/* name, hex, stage (0 parse, 1 verify), expected code, offset, payload */")
for name, msg, err, off, pl, stage in cases:
    out.append('{"%s",\n "%s",\n %d, IKH_ERR_%s, %d, %d},' % (name, msg.hex(), 1 if stage == "verify" else 0, err, off, pl))
print("\n".join(out))
