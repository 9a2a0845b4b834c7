#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent computation of the pinned (non-NIST) values in
test_kat_kdf.c and test_crypto_auth.c, with only Python's hmac/hashlib.

Run it and compare its output with the hex in those tests. It implements
RFC 7296 §2.13 prf+, §2.14 SKEYSEED/keys, §2.17 KEYMAT, §2.18 rekey
SKEYSEED and §2.15 AUTH from the RFC text, not from our C code.
"""
import hashlib
import hmac

H = bytes.fromhex


def prf(h, k, d):
    return hmac.new(k, d, h).digest()


def prf_plus(h, k, s, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(h, k, t + s + bytes([i]))
        out += t
        i += 1
    return out[:n]


# Inputs of NIST CAVP SP 800-135 IKEv2 COUNT 0 (SHA-1 section), re-used with SHA-256.
ni, nr = H("32b50d5f4a3763f3"), H("9206a04b26564cb1")
gir = H("4b2c1f971981a8ad8d0abeafabf38cf75fc8349c148142465ed9c8b516b8be52")
gir_new = H("863f3c9d06efd39d2b907b97f8699e5dd5251ef64a2a176f36ee40c87d4f9330")
spii, spir = H("34c9e7c188868785"), H("3ff77d760d2b2199")


def kdf_case(name, h, dkm_len):
    skeyseed = prf(h, ni + nr, gir)
    dkm = prf_plus(h, skeyseed, ni + nr + spii + spir, dkm_len)
    sk_d = dkm[: h().digest_size]
    child = prf_plus(h, sk_d, ni + nr, dkm_len)
    child_dh = prf_plus(h, sk_d, gir_new + ni + nr, dkm_len)
    rekey = prf(h, sk_d, gir_new + ni + nr)
    print(name)
    for k, v in [("SKEYSEED", skeyseed), ("DKM", dkm), ("DKM(Child SA)", child),
                 ("DKM(Child SA D-H)", child_dh), ("SKEYSEED(Rekey)", rekey)]:
        print(" ", k, "=", v.hex())


kdf_case("SHA-1 (must equal the CAVP answers)", hashlib.sha1, 132)
kdf_case("SHA-256 (pinned)", hashlib.sha256, 132)

# AUTH (RFC 7296 §2.15) with HMAC-SHA-256, shared secret "ikeharness-psk".
h = hashlib.sha256
sk_pi = bytes(range(0x40, 0x60))
sk_pr = bytes(range(0x60, 0x80))
msg1 = b"RealMessage1: IKE_SA_INIT request bytes"
msg2 = b"RealMessage2: IKE_SA_INIT response bytes"
ni_a = bytes(range(0x10, 0x30))
nr_a = bytes(range(0x30, 0x50))
idi = bytes([2, 0, 0, 0]) + b"initiator.example"  # ID_FQDN
idr = bytes([2, 0, 0, 0]) + b"responder.example"
psk = b"ikeharness-psk"
maced_i = prf(h, sk_pi, idi)
maced_r = prf(h, sk_pr, idr)
pad = prf(h, psk, b"Key Pad for IKEv2")
print("AUTH HMAC-SHA-256")
print("  MACedIDForI =", maced_i.hex())
print("  MACedIDForR =", maced_r.hex())
print("  AUTH_i =", prf(h, pad, msg1 + nr_a + maced_i).hex())
print("  AUTH_r =", prf(h, pad, msg2 + ni_a + maced_r).hex())
