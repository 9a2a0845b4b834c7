#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates the test keys in this directory with OpenSSL (run once at
# test-authoring time; the outputs are committed, tests never run this).
# These keys are test fixtures only: never use them for anything real.
set -euo pipefail
cd "$(dirname "$0")"
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.p8.pem
openssl pkey -in rsa2048.p8.pem -traditional -out rsa2048.p1.pem
openssl pkey -in rsa2048.p8.pem -outform DER -out rsa2048.p8.der
openssl pkey -in rsa2048.p8.pem -pubout -out rsa2048.spki.pem
openssl rsa -in rsa2048.p8.pem -RSAPublicKey_out -out rsa2048.p1pub.pem 2>/dev/null
for c in P-256 P-384 P-521; do
    n=$(echo "$c" | tr -d '-' | tr 'P' 'p')
    openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:$c \
        -pkeyopt ec_param_enc:named_curve -out ec$n.p8.pem
    openssl pkey -in ec$n.p8.pem -traditional -out ec$n.sec1.pem
    openssl ec -in ec$n.p8.pem -outform DER -out ec$n.sec1.der 2>/dev/null
    openssl pkey -in ec$n.p8.pem -pubout -out ec$n.spki.pem
    openssl pkey -in ec$n.p8.pem -pubout -outform DER -out ec$n.spki.der
done
