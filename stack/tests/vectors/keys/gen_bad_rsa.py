#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile RSA private keys for test_crypto_keyfile.c / test_crypto_sig.c
(run once at authoring time; outputs committed; fixed seed).

bad_rsa_unbalanced.pem: n = 5 * q (q a 2040-bit prime), otherwise a valid
  PKCS#1 key. Nettle 3.8's CRT writes out of bounds signing with it, so
  ikh_key_load() must refuse it (CRYPTO_KEY_FORMAT).
bad_rsa_bogus_crt.pem: balanced 1024-bit p and q, but dP, dQ and qInv are
  random values in range: it loads, and signing must fail cleanly
  (CRYPTO_FAILED: Nettle checks the CRT result) rather than crash.
"""
import base64
import random


def der_len(n):
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_int(x):
    b = x.to_bytes(x.bit_length() // 8 + 1, "big")
    return b"\x02" + der_len(len(b)) + b


def seq(*xs):
    body = b"".join(xs)
    return b"\x30" + der_len(len(body)) + body


def is_prime(n):
    small = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]
    if n < 2:
        return False
    for p in small:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in small:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def prime(rng, bits):
    while True:
        q = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
        if is_prime(q) and (q - 1) % 65537 != 0:
            return q


def pem(der):
    return ("-----BEGIN RSA PRIVATE KEY-----\n" + base64.encodebytes(der).decode()
            + "-----END RSA PRIVATE KEY-----\n")


def key(p, q, crt=None):
    n, e = p * q, 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    a, b, c = crt if crt else (d % (p - 1), d % (q - 1), pow(q, -1, p))
    return seq(der_int(0), der_int(n), der_int(e), der_int(d), der_int(p),
               der_int(q), der_int(a), der_int(b), der_int(c))


rng = random.Random(7427)
q = prime(rng, 2040)
open("bad_rsa_unbalanced.pem", "w").write(pem(key(5, q)))
p, q = prime(rng, 1024), prime(rng, 1024)
if p < q:
    p, q = q, p
crt = (rng.randrange(1, p - 1), rng.randrange(1, q - 1), rng.randrange(1, p))
open("bad_rsa_bogus_crt.pem", "w").write(pem(key(p, q, crt)))
