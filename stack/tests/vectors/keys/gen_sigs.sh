#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Interop signatures made with OpenSSL over msg.bin with the keys of
# gen_keys.sh (run at test-authoring time; outputs committed). Checked by
# test_crypto_sig.c with ikh_sig_verify().
set -euo pipefail
cd "$(dirname "$0")"
printf 'ikeharness interop signed octets\n' > msg.bin
openssl dgst -sha1 -sign rsa2048.p8.pem -out rsa2048.pkcs1-sha1.sig msg.bin
openssl dgst -sha256 -sign rsa2048.p8.pem -out rsa2048.pkcs1-sha256.sig msg.bin
openssl dgst -sha256 -sign rsa2048.p8.pem -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256 \
    -out rsa2048.pss-sha256.sig msg.bin
openssl dgst -sha256 -sign ecp256.p8.pem -out ecp256.ecdsa-sha256.der.sig msg.bin
openssl dgst -sha384 -sign ecp384.p8.pem -out ecp384.ecdsa-sha384.der.sig msg.bin
openssl dgst -sha512 -sign ecp521.p8.pem -out ecp521.ecdsa-sha512.der.sig msg.bin
