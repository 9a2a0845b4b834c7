# SPDX-License-Identifier: MIT
"""Byte-level IKEv2 message assembly (RFC 7296 §3) and pcap writing, in
plain Python, independent of the C codec: used to generate malformed-message
vectors and reference captures that the codec is then tested against.
Every length is computed unless the caller overrides it (to break it)."""
import struct

# Payload types (RFC 7296 §3.2, RFC 7383 §2.5)
SA, KE, IDI, IDR, CERT, CERTREQ, AUTH, NONCE, N, D, V, TSI, TSR, SK, CP, EAP, SKF = (
    33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 53)
# Exchange types (RFC 7296 §3.1)
INIT, AUTHX, CHILD, INFO = 34, 35, 36, 37


def hdr(np, exch=INIT, flags=0x08, length=None, body=b"", ver=0x20,
        ispi=bytes(8), rspi=bytes(8), mid=0):
    """IKE header (§3.1) followed by body."""
    total = 28 + len(body) if length is None else length
    return (ispi + rspi + bytes([np, ver, exch, flags]) +
            struct.pack(">II", mid, total) + body)


def gp(np, body, flags=0, length=None):
    """Generic payload header (§3.2) + body."""
    n = 4 + len(body) if length is None else length
    return bytes([np, flags]) + struct.pack(">H", n) + body


def chain(items):
    """items: (type, body[, flags[, length]]) in order; returns the chained
    payload bytes (each Next Payload names the following item)."""
    out = b""
    for i, it in enumerate(items):
        t, b = it[0], it[1]
        fl = it[2] if len(it) > 2 else 0
        ln = it[3] if len(it) > 3 else None
        np = items[i + 1][0] if i + 1 < len(items) else 0
        out += gp(np, b, fl, ln)
    return out


def attr_tv(t, v):
    """TV attribute (§3.3.5)."""
    return struct.pack(">HH", 0x8000 | t, v)


def attr_tlv(t, val, length=None):
    """TLV attribute (§3.3.5)."""
    return struct.pack(">HH", t, len(val) if length is None else length) + val


def xform(t, i, attrs=b"", last=0, length=None):
    """Transform substructure (§3.3.2)."""
    n = 8 + len(attrs) if length is None else length
    return (bytes([last, 0]) + struct.pack(">H", n) + bytes([t, 0]) +
            struct.pack(">H", i) + attrs)


def xforms(spec):
    """[(type, id[, keylen])] -> transforms with correct Last Substruc."""
    out = []
    for k, s in enumerate(spec):
        attrs = attr_tv(14, s[2]) if len(s) > 2 else b""
        out.append(xform(s[0], s[1], attrs, last=3 if k + 1 < len(spec) else 0))
    return out


def prop(num, proto, xfs, spi=b"", last=0, length=None, nxf=None, spi_size=None):
    """Proposal substructure (§3.3.1)."""
    body = bytes([num, proto, len(spi) if spi_size is None else spi_size,
                  len(xfs) if nxf is None else nxf]) + spi + b"".join(xfs)
    n = 4 + len(body) if length is None else length
    return bytes([last, 0]) + struct.pack(">H", n) + body


def sa(props):
    """SA body from [(proto, xform spec, spi)] with numbers 1..n (§3.3)."""
    out = b""
    for k, (proto, spec, spi) in enumerate(props):
        out += prop(k + 1, proto, xforms(spec), spi,
                    last=2 if k + 1 < len(props) else 0)
    return out


def ke(group, data):
    return struct.pack(">HH", group, 0) + data


def ident(id_type, data):
    return bytes([id_type, 0, 0, 0]) + data


def notify(ntype, data=b"", proto=0, spi=b""):
    return bytes([proto, len(spi)]) + struct.pack(">H", ntype) + spi + data


def ts(selectors):
    """TS body (§3.13) from [(ts_type, proto, sport, eport, start, end)]."""
    out = bytes([len(selectors), 0, 0, 0])
    for t, proto, sp, ep, a, b in selectors:
        out += bytes([t, proto]) + struct.pack(">HHH", 8 + len(a) + len(b), sp, ep) + a + b
    return out


def delete(proto, spis, spi_size):
    return bytes([proto, spi_size]) + struct.pack(">H", len(spis)) + b"".join(spis)


def cp(cfg_type, attrs):
    out = bytes([cfg_type, 0, 0, 0])
    for t, v in attrs:
        out += struct.pack(">HH", t, len(v)) + v
    return out


# ---- pcap (classic, microseconds) ----
LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_SLL, LINK_SLL2 = 0, 1, 101, 113, 276


def _csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip_udp(src, dst, sport, dport, payload):
    """IPv4 or IPv6 + UDP with checksums; src/dst are 4 or 16 octets."""
    ulen = 8 + len(payload)
    if len(src) == 4:
        pseudo = src + dst + struct.pack(">BBH", 0, 17, ulen)
    else:
        pseudo = src + dst + struct.pack(">IxxxB", ulen, 17)
    u = struct.pack(">HHHH", sport, dport, ulen, 0) + payload
    c = _csum(pseudo + u) or 0xffff
    u = u[:6] + struct.pack(">H", c) + u[8:]
    if len(src) == 4:
        h = struct.pack(">BBHHHBBH", 0x45, 0, 20 + ulen, 0x1234, 0x4000, 64, 17, 0) + src + dst
        h = h[:10] + struct.pack(">H", _csum(h)) + h[12:]
        return h + u
    return struct.pack(">IHBB", 0x60000000, ulen, 17, 64) + src + dst + u


def ip_esp(src, dst, esp):
    """IPv4 packet with protocol 50 (ESP)."""
    h = struct.pack(">BBHHHBBH", 0x45, 0, 20 + len(esp), 0x2345, 0x4000, 64, 50, 0) + src + dst
    h = h[:10] + struct.pack(">H", _csum(h)) + h[12:]
    return h + esp


def ip_fragments(ip, mtu, ident):
    """Split an IPv4 or IPv6 packet from ip_udp()/ip_esp() into fragments
    of at most mtu octets (RFC 791 §3.2, RFC 8200 §4.5), in order. IPv4:
    the 20-octet header is repeated with Identification ident, DF clear,
    MF/offset set and the checksum redone. IPv6 (no extension headers):
    a Fragment header with Identification ident follows the fixed header.
    Every fragment but the last carries a multiple of 8 data octets."""
    if (ip[0] >> 4) == 4:
        hdr, data = ip[:20], ip[20:]
        step = (mtu - 20) // 8 * 8
    else:
        hdr, data = ip[:40], ip[40:]
        step = (mtu - 48) // 8 * 8
    if step <= 0:
        raise ValueError("mtu too small")
    out = []
    for off in range(0, len(data), step):
        chunk = data[off:off + step]
        more = off + step < len(data)
        if (ip[0] >> 4) == 4:
            h = (hdr[:2] + struct.pack(">HHH", 20 + len(chunk), ident & 0xffff,
                                       (0x2000 if more else 0) | off // 8) +
                 hdr[8:10] + b"\0\0" + hdr[12:20])
            h = h[:10] + struct.pack(">H", _csum(h)) + h[12:]
            out.append(h + chunk)
        else:
            fh = struct.pack(">BBHI", hdr[6], 0, off | (1 if more else 0), ident)
            h = hdr[:4] + struct.pack(">HB", 8 + len(chunk), 44) + hdr[7:40]
            out.append(h + fh + chunk)
    return out


def frame(link, ip):
    v6 = (ip[0] >> 4) == 6
    if link == LINK_ETHERNET:
        return (bytes.fromhex("020000000002" "020000000001") +
                struct.pack(">H", 0x86dd if v6 else 0x0800) + ip)
    if link == LINK_NULL:
        return struct.pack("<I", 24 if v6 else 2) + ip
    if link == LINK_SLL:
        return struct.pack(">HHH", 4, 1, 6) + bytes.fromhex("020000000001") + b"\0\0" + \
            struct.pack(">H", 0x86dd if v6 else 0x0800) + ip
    if link == LINK_SLL2:
        return struct.pack(">HHIHBB", 0x86dd if v6 else 0x0800, 0, 1, 1, 4, 6) + \
            bytes.fromhex("020000000001") + b"\0\0" + ip
    return ip


class Pcap:
    def __init__(self, path, link):
        self.f = open(path, "wb")
        self.link = link
        self.f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, link))

    def packet(self, t_us, ip):
        fr = frame(self.link, ip)
        self.f.write(struct.pack("<IIII", t_us // 1000000, t_us % 1000000, len(fr), len(fr)) + fr)

    def close(self):
        self.f.close()
