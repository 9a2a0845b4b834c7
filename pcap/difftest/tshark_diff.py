#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare what tshark decodes in a capture with `ikeharness decode --json`.

usage: tshark_diff.py --ikeharness PATH --tshark PATH [--min-messages N]
                      [--verbose] CAPTURE|DIR [...]

A DIR argument stands for every *.pcap and *.pcapng in it (none: error).

For every IKEv2 message both tools see, the fields below are compared one by
one; every difference is printed as

    MISMATCH FILE frame N: FIELD: tshark=VALUE ikeharness=VALUE

and the run ends with

    tshark-diff: N messages, F fields compared, M mismatches, E exceptions, K malformed

E counts the messages (or fields) excused by the documented EXCEPTIONS
below, where tshark 4.0 departs from the RFCs; each is listed with its
count. K counts messages ikeharness rejects as malformed that tshark also
flags as malformed: for those only the part before the error is compared
(a message ikeharness rejects but tshark decodes cleanly is a mismatch).
--verbose prints every excused message and per-field comparison counts.

Fields: header (SPIs, next payload, version, exchange type, flags, message
ID, length); the payload chain (type, Next Payload, critical bit, length of
every payload); SA proposals (number, protocol, SPI size and SPI, transform
count) and transforms (type, ID, attributes, Key Length); KE group and data;
ID type, data length and value; CERT/CERTREQ encoding and data length; AUTH
method and data; nonce; Notify protocol, SPI and type and data; Delete
protocol, SPI size, count and SPIs; VID; TS count, type, protocol, length,
ports and addresses; SK inner type and body length; CP type and attributes;
EAP code, identifier, length and type; SKF fragment numbers; the data of
other payloads.

Exit status: 0 when there is no mismatch and at least --min-messages
messages were compared; 1 otherwise; 2 when tshark or ikeharness cannot be
run or their output cannot be read (never a silent pass).

tshark 4.0 field names used (ikev2 lives in the "isakmp" protocol):
isakmp.ispi .rspi .nextpayload .version .exchangetype .flags .messageid
.length .typepayload(+_tree) .criticalpayload .payloadlength .prop.number
.prop.protoid .spisize .spi .prop.transforms .tf.type .tf.id.* .ike2.attr.*
.key_exchange.dh_group .key_exchange.data .id.type .id.data.* .cert.encoding
.certreq.type .auth.method .auth.data .nonce .notify.protoid
.notify.msgtype .notify.data .delete.protoid .spinum .delete.spi .vid_bytes
.ts.number .ts.data .ts.type .ts.protoid .ts.selector_length .ts.start_port
.ts.end_port .ts.start_ipv4/6 .ts.end_ipv4/6 .cfg.type .cfg.attr.*
.frag.number .frag.total .gspm.data .datapayload; eap.code .id .len .type.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

INFRA = 2

PL_SA, PL_KE, PL_IDI, PL_IDR, PL_CERT, PL_CERTREQ, PL_AUTH = 33, 34, 35, 36, 37, 38, 39
PL_NONCE, PL_N, PL_D, PL_V, PL_TSI, PL_TSR, PL_SK, PL_CP = 40, 41, 42, 43, 44, 45, 46, 47
PL_EAP, PL_GSPM, PL_SKF = 48, 49, 53

# ---------------------------------------------------------------------------
# Where tshark 4.0 and the RFCs disagree. Each entry is applied only when its
# exact condition holds, is counted, and the count is printed at the end.
# Nothing else is excused.
EXCEPTIONS = {
    "tshark-id-empty": (
        "tshark 4.0 aborts the message with the dissector assertion "
        "'len > 0' on an IDi/IDr payload whose Identification Data is empty. "
        "Empty data is valid: RFC 7296 §3.5 gives the data no minimum length "
        "and RFC 7619 §3 (ID_NULL) uses it. The payloads after that ID "
        "payload are not compared (tshark shows none of them)."),
    "tshark-cert-as-x509": (
        "tshark 4.0 decodes the Certificate Data of every encoding except 12 "
        "as a DER X.509 Certificate, whereas RFC 7296 §3.6 defines e.g. "
        "13 (Hash and URL of X.509 bundle) as a 20-octet SHA-1 hash followed "
        "by a URL, 11 as a PKCS #1 key and 7 as a CRL. When that decoding "
        "throws, tshark stops the message: the payloads after the CERT "
        "payload are not compared (tshark shows none of them)."),
    "tshark-id-addr-len": (
        "RFC 7296 §3.5 defines ID_IPV4_ADDR as a single four-octet address "
        "and ID_IPV6_ADDR as a single sixteen-octet one; with any other data "
        "length tshark 4.0 still shows an address made of the first octets, "
        "while ikeharness shows no text value. The value is not compared; "
        "ID type and data length still are."),
    "tshark-ikev1-payload-type": (
        "Payload types 1-32 are Reserved and 128-255 Private Use in IKEv2 "
        "(RFC 7296 §3.2, IANA 'IKEv2 Payload Types'), so their body is "
        "opaque; tshark 4.0 decodes 1-32, 131 and 132 in IKEv2 messages "
        "with the IKEv1/GDOI/vendor dissector of the same number (e.g. 15 "
        "as SAK, 131 as NAT-OA) and shows no raw data. Their data is not "
        "compared (type, chain, critical bit and length still are); if that "
        "decoding throws, the payloads after it are not compared either."),
}


# Private-use payload types (RFC 7296 §3.2: 128-255) that tshark 4.0 decodes
# with an IKEv1 meaning: 131 NAT-OA (draft-ietf-ipsec-nat-t-ike), 132 Cisco
# fragmentation. Handled by the "tshark-ikev1-payload-type" exception.
TSHARK_V1_TYPES = (131, 132)


def die(msg):
    print("tshark-diff: error: " + msg, file=sys.stderr)
    sys.exit(INFRA)


# ---------------------------------------------------------------------------
# tshark side

def pairs_hook(pairs):
    return pairs


def is_tree(v):
    return isinstance(v, list) and (not v or isinstance(v[0], tuple))


def first(t, key, default=None):
    for k, v in t:
        if k == key:
            return v
    return default


def every(t, key):
    return [v for k, v in t if k == key]


def first_prefix(t, prefix):
    for k, v in t:
        if k.startswith(prefix) and not is_tree(v):
            return k, v
    return None, None


def subtrees_after(t, key, value):
    """Bodies of the 'isakmp.typepayload' == value items of t, in order."""
    out = []
    pending = False
    for k, v in t:
        if k == key:
            pending = (v == value)
        elif k == key + "_tree" and pending:
            out.append(v)
            pending = False
    return out


def hexb(v):
    """tshark bytes ("aa:bb") or ikeharness hex ("aabb") to plain lowercase."""
    if v is None:
        return None
    return v.replace(":", "").lower()


def num(v):
    if v is None:
        return None
    return int(v, 0) if isinstance(v, str) else int(v)


def walk_texts(t, out):
    for k, v in t:
        if is_tree(v):
            walk_texts(v, out)
        elif k in ("_ws.expert.message", "_ws.malformed"):
            out.append(str(v))


def tshark_frames(tshark, path, ports):
    cmd = [tshark, "-r", path, "-n", "-T", "json"]
    for p in sorted(ports):
        cmd += ["-d", "udp.port==%d,udpencap" % p]
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           check=False)
    except OSError as e:
        die("cannot run %s: %s" % (tshark, e))
    if r.returncode != 0:
        die("%s failed (%d): %s" % (" ".join(cmd), r.returncode,
                                    r.stderr.decode(errors="replace")[-500:]))
    try:
        pkts = json.loads(r.stdout.decode("utf-8", errors="replace"),
                          object_pairs_hook=pairs_hook)
    except ValueError as e:
        die("tshark JSON for %s does not parse: %s" % (path, e))
    frames = {}
    for pkt in pkts:
        layers = first(first(pkt, "_source", []), "layers", [])
        fr = num(first(first(layers, "frame", []), "frame.number"))
        isak = every(layers, "isakmp")
        texts = []
        walk_texts(layers, texts)
        frames[fr] = (isak, texts)
    return frames


# ---------------------------------------------------------------------------
# ikeharness side

def ikh_decode(ikh, path):
    try:
        r = subprocess.run([ikh, "decode", "--json", path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           check=False)
    except OSError as e:
        die("cannot run %s: %s" % (ikh, e))
    try:
        doc = json.loads(r.stdout.decode("utf-8"))
    except ValueError as e:
        die("ikeharness decode --json %s (exit %d) printed no JSON: %s; %s" %
            (path, r.returncode, e, r.stderr.decode(errors="replace")[-500:]))
    if not isinstance(doc, dict) or "messages" not in doc:
        die("ikeharness JSON for %s has no 'messages'" % path)
    return doc


# ---------------------------------------------------------------------------
# comparison

class Diff:
    def __init__(self, verbose):
        self.fields = 0
        self.mismatches = 0
        self.messages = 0
        self.malformed = 0
        self.exceptions = {k: 0 for k in EXCEPTIONS}
        self.verbose = verbose
        self.where = ""
        self.per_field = {}

    def eq(self, field, tv, iv):
        self.fields += 1
        key = re.sub(r"\[\d+\]", "[]", field)
        key = re.sub(r"\(\w+\)", "", key)
        n, nulls = self.per_field.get(key, (0, 0))
        self.per_field[key] = (n + 1, nulls + (tv is None and iv is None))
        if tv != iv:
            self.mismatches += 1
            print("MISMATCH %s: %s: tshark=%r ikeharness=%r" %
                  (self.where, field, tv, iv))

    def fail(self, field, what):
        self.mismatches += 1
        print("MISMATCH %s: %s: %s" % (self.where, field, what))

    def excuse(self, name, detail):
        self.exceptions[name] += 1
        if self.verbose:
            print("EXCEPTION %s: %s: %s" % (self.where, name, detail))


def cmp_header(d, t, h):
    d.eq("ispi", hexb(first(t, "isakmp.ispi")), hexb(h.get("ispi")))
    d.eq("rspi", hexb(first(t, "isakmp.rspi")), hexb(h.get("rspi")))
    d.eq("next_payload", num(first(t, "isakmp.nextpayload")), h.get("next_payload"))
    d.eq("version", num(first(t, "isakmp.version")), h.get("version"))
    d.eq("exch", num(first(t, "isakmp.exchangetype")), h.get("exch"))
    d.eq("flags", num(first(t, "isakmp.flags")), h.get("flags"))
    d.eq("mid", num(first(t, "isakmp.messageid")), h.get("mid"))
    d.eq("length", num(first(t, "isakmp.length")), h.get("length"))


def attr_value(a):
    if first(a, "isakmp.ike2.attr.format") == "1":
        return num("0x" + hexb(first(a, "isakmp.ike2.attr.value", "0")))
    return hexb(first(a, "isakmp.ike2.attr.value", ""))


def cmp_sa(d, f, t, p):
    props = subtrees_after(t, "isakmp.typepayload", "2")
    iprops = p.get("proposals", [])
    d.eq(f + ".num_proposals", len(props), len(iprops))
    for i, (tp, ip) in enumerate(zip(props, iprops)):
        g = "%s.prop[%d]" % (f, i)
        d.eq(g + ".num", num(first(tp, "isakmp.prop.number")), ip.get("num"))
        d.eq(g + ".proto", num(first(tp, "isakmp.prop.protoid")), ip.get("proto"))
        d.eq(g + ".spi_size", num(first(tp, "isakmp.spisize")), ip.get("spi_size"))
        d.eq(g + ".spi", hexb(first(tp, "isakmp.spi", "")), hexb(ip.get("spi")))
        d.eq(g + ".num_transforms", num(first(tp, "isakmp.prop.transforms")),
             ip.get("num_transforms"))
        xfs = subtrees_after(tp, "isakmp.typepayload", "3")
        ixfs = ip.get("transforms", [])
        d.eq(g + ".transforms", len(xfs), len(ixfs))
        for j, (tx, ix) in enumerate(zip(xfs, ixfs)):
            h = "%s.xf[%d]" % (g, j)
            d.eq(h + ".type", num(first(tx, "isakmp.tf.type")), ix.get("type"))
            _, tid = first_prefix(tx, "isakmp.tf.id")
            d.eq(h + ".id", num(tid), ix.get("id"))
            tattrs = every(tx, "isakmp.ike2.attr")
            iattrs = ix.get("attributes", [])
            d.eq(h + ".num_attrs", len(tattrs), len(iattrs))
            tkl = None
            for k, (ta, ia) in enumerate(zip(tattrs, iattrs)):
                a = "%s.attr[%d]" % (h, k)
                d.eq(a + ".type", num(first(ta, "isakmp.ike2.attr.type")), ia.get("type"))
                d.eq(a + ".tv", first(ta, "isakmp.ike2.attr.format") == "1", ia.get("tv"))
                iv = ia.get("value")
                d.eq(a + ".value", attr_value(ta), hexb(iv) if isinstance(iv, str) else iv)
            for ta in tattrs:
                if tkl is None and first(ta, "isakmp.ike2.attr.key_length") is not None:
                    tkl = num(first(ta, "isakmp.ike2.attr.key_length"))
            d.eq(h + ".key_length", tkl, ix.get("key_length"))


def cmp_id(d, f, t, p, tlen):
    d.eq(f + ".id_type", num(first(t, "isakmp.id.type")), p.get("id_type"))
    d.eq(f + ".data_len", tlen - 8, p.get("data_len"))
    data = first(t, "isakmp.id.data")
    if not is_tree(data):
        return
    for key, kind in (("isakmp.id.data.ipv4_addr", "text"),
                      ("isakmp.id.data.ipv6_addr", "text"),
                      ("isakmp.id.data.fqdn", "text"),
                      ("isakmp.id.data.user_fqdn", "text"),
                      ("isakmp.id.data.key_id", "hex")):
        v = first(data, key)
        if v is None:
            continue
        want = {"isakmp.id.data.ipv4_addr": 4,
                "isakmp.id.data.ipv6_addr": 16}.get(key)
        if want is not None and tlen - 8 != want:
            d.excuse("tshark-id-addr-len", "%s: %d-octet %s" % (f, tlen - 8, key))
        elif kind == "text":
            d.eq(f + ".value", v, p.get("value"))
        else:
            d.eq(f + ".data", hexb(v), hexb(p.get("data")))


def cmp_notify(d, f, t, p, tlen):
    d.eq(f + ".proto", num(first(t, "isakmp.notify.protoid")), p.get("proto"))
    d.eq(f + ".spi_size", num(first(t, "isakmp.spisize")), p.get("spi_size"))
    d.eq(f + ".spi", hexb(first(t, "isakmp.spi", "")), hexb(p.get("spi")))
    d.eq(f + ".notify_type", num(first(t, "isakmp.notify.msgtype")), p.get("notify_type"))
    spi_size = num(first(t, "isakmp.spisize")) or 0
    d.eq(f + ".data_len", tlen - 8 - spi_size, p.get("data_len"))
    tdata = first(t, "isakmp.notify.data")
    if tdata is not None:
        d.eq(f + ".data", hexb(tdata), hexb(p.get("data")))


def cmp_delete(d, f, t, p):
    d.eq(f + ".proto", num(first(t, "isakmp.delete.protoid")), p.get("proto"))
    d.eq(f + ".spi_size", num(first(t, "isakmp.spisize")), p.get("spi_size"))
    d.eq(f + ".num_spi", num(first(t, "isakmp.spinum")), p.get("num_spi"))
    d.eq(f + ".spis", [hexb(s) for s in every(t, "isakmp.delete.spi")],
         [hexb(s) for s in p.get("spis", [])])


def cmp_ts(d, f, t, p):
    d.eq(f + ".num_ts", num(first(t, "isakmp.ts.number")), p.get("num_ts"))
    tts = every(t, "isakmp.ts.data")
    its = p.get("ts", [])
    d.eq(f + ".selectors", len(tts), len(its))
    for i, (ts, it) in enumerate(zip(tts, its)):
        g = "%s.ts[%d]" % (f, i)
        d.eq(g + ".ts_type", num(first(ts, "isakmp.ts.type")), it.get("ts_type"))
        d.eq(g + ".ip_proto", num(first(ts, "isakmp.ts.protoid")), it.get("ip_proto"))
        d.eq(g + ".length", num(first(ts, "isakmp.ts.selector_length")), it.get("length"))
        ttype = num(first(ts, "isakmp.ts.type"))
        if ttype not in (7, 8):
            continue
        d.eq(g + ".start_port", num(first(ts, "isakmp.ts.start_port")), it.get("start_port"))
        d.eq(g + ".end_port", num(first(ts, "isakmp.ts.end_port")), it.get("end_port"))
        fam = "ipv4" if ttype == 7 else "ipv6"
        d.eq(g + ".start", first(ts, "isakmp.ts.start_" + fam), it.get("start"))
        d.eq(g + ".end", first(ts, "isakmp.ts.end_" + fam), it.get("end"))


def cmp_cp(d, f, t, p):
    d.eq(f + ".cfg_type", num(first(t, "isakmp.cfg.type")), p.get("cfg_type"))
    tas = every(t, "isakmp.cfg.attr")
    ias = p.get("attrs", [])
    d.eq(f + ".num_attrs", len(tas), len(ias))
    for i, (ta, ia) in enumerate(zip(tas, ias)):
        g = "%s.attr[%d]" % (f, i)
        d.eq(g + ".type", num(first(ta, "isakmp.cfg.attr.type")), ia.get("type"))
        d.eq(g + ".length", num(first(ta, "isakmp.cfg.attr.length")), ia.get("length"))
        d.eq(g + ".value", hexb(first(ta, "isakmp.cfg.attr.value", "")),
             hexb(ia.get("value", "")))


def cmp_eap(d, f, t, p):
    e = first(t, "eap")
    if not is_tree(e):
        d.fail(f + ".eap", "tshark shows no EAP message")
        return
    d.eq(f + ".code", num(first(e, "eap.code")), p.get("code"))
    d.eq(f + ".ident", num(first(e, "eap.id")), p.get("ident"))
    d.eq(f + ".eap_length", num(first(e, "eap.len")), p.get("eap_length"))
    d.eq(f + ".eap_type", num(first(e, "eap.type")), p.get("eap_type"))


def cmp_payload(d, f, ptype, t, p, tlen):
    """Body fields of one payload (tree t from tshark, p from ikeharness)."""
    if ptype == PL_SA:
        cmp_sa(d, f, t, p)
    elif ptype == PL_KE:
        d.eq(f + ".group", num(first(t, "isakmp.key_exchange.dh_group")), p.get("group"))
        d.eq(f + ".data_len", tlen - 8, p.get("data_len"))
        d.eq(f + ".data", hexb(first(t, "isakmp.key_exchange.data", "")), hexb(p.get("data")))
    elif ptype in (PL_IDI, PL_IDR):
        cmp_id(d, f, t, p, tlen)
    elif ptype == PL_CERT:
        d.eq(f + ".encoding", num(first(t, "isakmp.cert.encoding")), p.get("encoding"))
        d.eq(f + ".data_len", tlen - 5, p.get("data_len"))
    elif ptype == PL_CERTREQ:
        d.eq(f + ".encoding", num(first(t, "isakmp.certreq.type")), p.get("encoding"))
        d.eq(f + ".data_len", tlen - 5, p.get("data_len"))
    elif ptype == PL_AUTH:
        d.eq(f + ".method", num(first(t, "isakmp.auth.method")), p.get("method"))
        d.eq(f + ".data_len", tlen - 8, p.get("data_len"))
        tdata = first(t, "isakmp.auth.data")
        if tdata is not None:
            d.eq(f + ".data", hexb(tdata), hexb(p.get("data")))
    elif ptype == PL_NONCE:
        d.eq(f + ".data_len", tlen - 4, p.get("data_len"))
        d.eq(f + ".data", hexb(first(t, "isakmp.nonce", "")), hexb(p.get("data")))
    elif ptype == PL_N:
        cmp_notify(d, f, t, p, tlen)
    elif ptype == PL_D:
        cmp_delete(d, f, t, p)
    elif ptype == PL_V:
        d.eq(f + ".data", hexb(first(t, "isakmp.vid_bytes", "")), hexb(p.get("data")))
    elif ptype in (PL_TSI, PL_TSR):
        cmp_ts(d, f, t, p)
    elif ptype == PL_SK:
        d.eq(f + ".body_len", tlen - 4, p.get("body_len"))
    elif ptype == PL_CP:
        cmp_cp(d, f, t, p)
    elif ptype == PL_EAP:
        cmp_eap(d, f, t, p)
    elif ptype == PL_SKF:
        d.eq(f + ".frag_num", num(first(t, "isakmp.frag.number")), p.get("frag_num"))
        d.eq(f + ".total_frags", num(first(t, "isakmp.frag.total")), p.get("total_frags"))
        d.eq(f + ".body_len", tlen - 8, p.get("body_len"))
    elif 1 <= ptype <= 32 or ptype in TSHARK_V1_TYPES:
        d.excuse("tshark-ikev1-payload-type", "%s: type %d data" % (f, ptype))
    else:
        # Opaque bodies. Private-use type 130 is shown by tshark as the
        # NAT-D of draft-ietf-ipsec-nat-t-ike (IKEv1): the same octets.
        key = {PL_GSPM: "isakmp.gspm.data",
               130: "isakmp.ike.nat_hash"}.get(ptype, "isakmp.datapayload")
        d.eq(f + ".data_len", tlen - 4, p.get("data_len"))
        d.eq(f + ".data", hexb(first(t, key, "")), hexb(p.get("data")))


def tshark_payloads(isak):
    """(type, body tree) of each top-level payload tshark shows."""
    out = []
    ptype = None
    for k, v in isak:
        if k == "isakmp.typepayload":
            ptype = num(v)
        elif k == "isakmp.typepayload_tree" and ptype is not None:
            out.append((ptype, v))
            ptype = None
    return out


def ikh_next(pls, i):
    """Next Payload of ikeharness payload i (derived from the chain)."""
    p = pls[i]
    if p.get("type") in (PL_SK, PL_SKF):
        return p.get("inner")
    return pls[i + 1].get("type") if i + 1 < len(pls) else 0


def excused(tpls, ipls, texts):
    """Name of the exception that explains tshark's shorter chain, or None."""
    if len(tpls) >= len(ipls) or not tpls:
        return None
    ltype, lt = tpls[-1]
    li = ipls[len(tpls) - 1]
    if (ltype in (PL_IDI, PL_IDR) and num(first(lt, "isakmp.payloadlength")) == 8
            and li.get("type") == ltype and li.get("data_len") == 0
            and any("len > 0" in x for x in texts)):
        return "tshark-id-empty"
    if ((1 <= ltype <= 32 or ltype in TSHARK_V1_TYPES) and li.get("type") == ltype
            and any("Exception occurred" in x for x in texts)):
        return "tshark-ikev1-payload-type"
    enc = num(first(lt, "isakmp.cert.encoding"))
    if (ltype == PL_CERT and enc not in (4, 12) and li.get("type") == PL_CERT
            and any("Exception occurred" in x for x in texts)):
        return "tshark-cert-as-x509"
    return None


def cmp_message(d, isak, texts, m):
    cmp_header(d, isak, m.get("header", {}))
    tpls = tshark_payloads(isak)
    ipls = full = [p for p in m.get("payloads", []) if not p.get("in_sk")]
    err = m.get("error")
    exc = None
    if err:
        # A message ikeharness cannot parse: only a fault if tshark found
        # nothing wrong with it; otherwise the part before the error is
        # compared and the message is counted as malformed.
        if not any(x.startswith(("Malformed", "BER Error")) or "Exception" in x
                   or "failed assertion" in x or "Invalid" in x for x in texts):
            d.fail("error", "ikeharness rejects the message (%s at offset %s), "
                   "tshark decodes it without complaint"
                   % (err.get("error"), err.get("offset")))
            return
        d.malformed += 1
        idx = err.get("index", -1)
        upto = max(0, idx if isinstance(idx, int) else 0)
        if d.verbose:
            print("MALFORMED %s: %s at offset %s; payloads from #%d on not compared"
                  % (d.where, err.get("error"), err.get("offset"), upto))
        tpls, ipls = tpls[:upto], ipls[:upto]
    else:
        exc = excused(tpls, ipls, texts)
    if err:
        ipls_cmp = ipls
    elif exc:
        d.excuse(exc, "tshark shows %d of %d payloads" % (len(tpls), len(ipls)))
        ipls_cmp = ipls[:len(tpls)]
    else:
        d.eq("num_payloads", len(tpls), len(ipls))
        ipls_cmp = ipls
    for i, ((ttype, t), p) in enumerate(zip(tpls, ipls_cmp)):
        f = "pl[%d]" % i
        d.eq(f + ".type", ttype, p.get("type"))
        if ttype != p.get("type"):
            return  # the rest of the chain cannot be paired
        d.eq(f + ".next_payload", num(first(t, "isakmp.nextpayload")), ikh_next(full, i))
        d.eq(f + ".critical", first(t, "isakmp.criticalpayload") == "1", p.get("critical"))
        tlen = num(first(t, "isakmp.payloadlength"))
        d.eq(f + ".length", tlen, p.get("length"))
        if tlen is None:
            continue
        cmp_payload(d, "%s(%s)" % (f, p.get("name") or ttype), ttype, t, p, tlen)


def diff_file(d, args, path):
    doc = ikh_decode(args.ikeharness, path)
    msgs = doc.get("messages", [])
    # Non-standard ports that carry IKE behind the non-ESP marker need a
    # decode-as rule; 500 and 4500 are tshark's defaults.
    ports = set()
    for m in msgs:
        if m.get("non_esp_marker"):
            for p in (m.get("sport"), m.get("dport")):
                if isinstance(p, int) and p not in (500, 4500):
                    ports.add(p)
    frames = tshark_frames(args.tshark, path, ports)
    base = os.path.basename(path)
    seen = set()
    for m in msgs:
        fr = m.get("frame")
        seen.add(fr)
        d.where = "%s frame %s" % (base, fr)
        isak, texts = frames.get(fr, ([], []))
        if not isak:
            d.fail("message", "ikeharness decodes an IKE message, tshark shows no isakmp")
            continue
        if len(isak) > 1:
            d.fail("message", "tshark shows %d isakmp layers" % len(isak))
        d.messages += 1
        cmp_message(d, isak[0], texts, m)
    for fr, (isak, _) in sorted(frames.items()):
        if isak and fr not in seen:
            d.where = "%s frame %s" % (base, fr)
            d.fail("message", "tshark decodes isakmp, ikeharness reports no message")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ikeharness", required=True)
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--min-messages", type=int, default=1)
    ap.add_argument("--verbose", action="store_true",
                    help="also print each excused message and per-field counts")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    files = []
    for path in args.files:
        if os.path.isdir(path):
            caps = sorted(os.path.join(path, n) for n in os.listdir(path)
                          if n.endswith((".pcap", ".pcapng")))
            if not caps:
                die("no *.pcap or *.pcapng under %s" % path)
            files += caps
        elif os.path.isfile(path):
            files.append(path)
        else:
            die("no such capture: %s" % path)
    if not os.path.isfile(args.tshark) and not shutil.which(args.tshark):
        die("tshark not found: %s" % args.tshark)
    d = Diff(args.verbose)
    for path in files:
        diff_file(d, args, path)
    if args.verbose:
        for key in sorted(d.per_field):
            n, nulls = d.per_field[key]
            print("compared %7d  %-40s (absent on both sides: %d)" % (n, key, nulls))
    for name, count in d.exceptions.items():
        print("exception %s: %d message(s)  -- %s" % (name, count, EXCEPTIONS[name]))
    print("tshark-diff: %d messages, %d fields compared, %d mismatches, "
          "%d exceptions, %d malformed"
          % (d.messages, d.fields, d.mismatches, sum(d.exceptions.values()),
             d.malformed))
    if d.messages < args.min_messages:
        print("tshark-diff: FAIL: %d messages compared, %d required"
              % (d.messages, args.min_messages))
        return 1
    return 0 if d.mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
