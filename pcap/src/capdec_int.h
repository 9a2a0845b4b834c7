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
    bool unbound; /* SPIs not known yet (ikh_capdec_keys_bind()) */
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
    bool esn_unknown; /* from esp_sa (no ESN column): read as no ESN */
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

/* Add one line of ike_keys.csv / esp_keys.csv (fmt) made by another
 * reader (the charon log's): checked as a line of that file, errors with
 * @p lineno. @p unbound: an IKE SA whose SPIs are not known (no duplicate
 * check; ikh_capdec_keys_bind() sets them). n_ike0/n_esp0: SAs held before
 * the text being read (an identical SA from earlier text is skipped). */
ikh_err capdec_keys_add_line(ikh_capdec_keys *k, ikh_capdec_fmt fmt,
                             const char *line, unsigned lineno, bool unbound,
                             size_t n_ike0, size_t n_esp0,
                             ikh_capdec_diag *diag);

/* Drop (wiped) the SAs added after the first n_ike0 / n_esp0. */
void capdec_keys_rollback(ikh_capdec_keys *k, size_t n_ike0, size_t n_esp0);

/* Read a whole file (at most IKH_CAPDEC_FILE_MAX) into *out (malloc'd:
 * the caller wipes and frees it). IO_OPEN, IO_READ, IO_TOO_BIG, ENV_NOMEM
 * with diag's message naming the path. */
ikh_err capdec_read_file(const char *path, char **out, size_t *out_len,
                         ikh_capdec_diag *diag);

#endif
