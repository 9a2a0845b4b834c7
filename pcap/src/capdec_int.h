/* SPDX-License-Identifier: MIT */
/*
 * Inside the capture decryption check (capdec.h): the key set as
 * capdec_keys.c loads it and capdec.c uses it.
 */
#ifndef IKH_PCAP_CAPDEC_INT_H
#define IKH_PCAP_CAPDEC_INT_H

#include "ikh/capdec.h"
#include "ikh/crypto.h"
#include "ikh/esp.h"

/* One IKE SA; index 0 of sk_e/sk_a is initiator -> responder (SK_ei, SK_ai),
 * 1 is responder -> initiator (SK_er, SK_ar). */
typedef struct capdec_ike_key {
    uint64_t ispi, rspi;
    const ikh_xform_desc *encr;
    const ikh_xform_desc *integ; /* NULL for AEAD */
    uint8_t sk_e[2][IKH_KEYTAB_KEY_MAX];
    uint8_t sk_a[2][IKH_PRF_MAX];
    size_t e_len, a_len;
} capdec_ike_key;

/* One ESP SA direction. */
typedef struct capdec_esp_key {
    ikh_addr src, dst;
    uint32_t spi;
    const ikh_xform_desc *encr;
    const ikh_xform_desc *integ; /* NULL for AEAD */
    uint8_t ek[IKH_KEYTAB_KEY_MAX];
    uint8_t ak[IKH_PRF_MAX];
    size_t ek_len, ak_len;
    bool esn;
} capdec_esp_key;

/* The ESP SA configuration of key row @p k (window left at 0: the
 * caller's choice). Shared by the key-file check and the decryptor. */
void capdec_esp_cfg(const capdec_esp_key *k, ikh_esp_sa_config *cfg);

struct ikh_capdec_keys {
    capdec_ike_key *ike;
    size_t n_ike, cap_ike;
    capdec_esp_key *esp;
    size_t n_esp, cap_esp;
};

#endif
