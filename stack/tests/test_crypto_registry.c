/* SPDX-License-Identifier: MIT */
/*
 * The transform registry (registry.c, ../shared/STYLE.md §8): the default
 * list holds every transform of the supported set with the sizes its RFC
 * gives, ikh_crypto_find() matches on (type, id, key_bits), and the
 * fuzzing-only null AEAD and null KE can never come out of the default list.
 */
#include "testlib.h"

#include "crypto/crypto_int.h"
#include "ikh/crypto.h"
#include "ikh/iana.h"

typedef struct encr_row {
    uint16_t id, key_bits;
    const char *name;
    bool ike, esp;
    size_t key_len, salt_len, iv_len, block_len, icv_len;
    bool aead;
} encr_row;

/* RFC 3602, RFC 3686 / RFC 5930, RFC 4106 / RFC 5282, RFC 7634, RFC 4303. */
/* clang-format off */
static const encr_row ENCR_ROWS[] = {
    {12, 128, "ENCR_AES_CBC-128", true, true, 16, 0, 16, 16, 0, false},
    {12, 192, "ENCR_AES_CBC-192", true, true, 24, 0, 16, 16, 0, false},
    {12, 256, "ENCR_AES_CBC-256", true, true, 32, 0, 16, 16, 0, false},
    {13, 128, "ENCR_AES_CTR-128", true, true, 20, 4, 8, 1, 0, false},
    {13, 192, "ENCR_AES_CTR-192", true, true, 28, 4, 8, 1, 0, false},
    {13, 256, "ENCR_AES_CTR-256", true, true, 36, 4, 8, 1, 0, false},
    {18, 128, "ENCR_AES_GCM_8-128", true, true, 20, 4, 8, 1, 8, true},
    {18, 192, "ENCR_AES_GCM_8-192", true, true, 28, 4, 8, 1, 8, true},
    {18, 256, "ENCR_AES_GCM_8-256", true, true, 36, 4, 8, 1, 8, true},
    {19, 128, "ENCR_AES_GCM_12-128", true, true, 20, 4, 8, 1, 12, true},
    {19, 192, "ENCR_AES_GCM_12-192", true, true, 28, 4, 8, 1, 12, true},
    {19, 256, "ENCR_AES_GCM_12-256", true, true, 36, 4, 8, 1, 12, true},
    {20, 128, "ENCR_AES_GCM_16-128", true, true, 20, 4, 8, 1, 16, true},
    {20, 192, "ENCR_AES_GCM_16-192", true, true, 28, 4, 8, 1, 16, true},
    {20, 256, "ENCR_AES_GCM_16-256", true, true, 36, 4, 8, 1, 16, true},
    {28, 0, "ENCR_CHACHA20_POLY1305", true, true, 36, 4, 8, 1, 16, true},
    {11, 0, "ENCR_NULL", false, true, 0, 0, 0, 1, 0, false},
};
/* clang-format on */

typedef struct mac_row {
    uint8_t type;
    uint16_t id;
    const char *name;
    size_t key_len, out_len; /* out_len: PRF output or ICV */
} mac_row;

static const mac_row MAC_ROWS[] = {
    {IKH_XF_PRF, 2, "PRF_HMAC_SHA1", 20, 20},
    {IKH_XF_PRF, 4, "PRF_AES128_XCBC", 16, 16},
    {IKH_XF_PRF, 5, "PRF_HMAC_SHA2_256", 32, 32},
    {IKH_XF_PRF, 6, "PRF_HMAC_SHA2_384", 48, 48},
    {IKH_XF_PRF, 7, "PRF_HMAC_SHA2_512", 64, 64},
    {IKH_XF_PRF, 8, "PRF_AES128_CMAC", 16, 16},
    {IKH_XF_INTEG, 2, "AUTH_HMAC_SHA1_96", 20, 12},
    {IKH_XF_INTEG, 5, "AUTH_AES_XCBC_96", 16, 12},
    {IKH_XF_INTEG, 12, "AUTH_HMAC_SHA2_256_128", 32, 16},
    {IKH_XF_INTEG, 13, "AUTH_HMAC_SHA2_384_192", 48, 24},
    {IKH_XF_INTEG, 14, "AUTH_HMAC_SHA2_512_256", 64, 32},
};

static size_t list_len(const ikh_xform_desc *const *l)
{
    size_t n = 0;
    while (l[n] != NULL)
        n++;
    return n;
}

static void test_registry_encr_rows(void **state)
{
    (void)state;
    const ikh_xform_desc *const *l = ikh_crypto_default_list();
    for (size_t i = 0; i < sizeof ENCR_ROWS / sizeof ENCR_ROWS[0]; i++) {
        const encr_row *r = &ENCR_ROWS[i];
        const ikh_xform_desc *d =
            ikh_crypto_find(l, IKH_XF_ENCR, r->id, r->key_bits);
        assert_non_null(d);
        assert_string_equal(d->name, r->name);
        assert_int_equal(d->type, IKH_XF_ENCR);
        assert_int_equal(d->ike, r->ike);
        assert_int_equal(d->esp, r->esp);
        assert_non_null(d->encr);
        assert_null(d->prf);
        assert_null(d->integ);
        assert_null(d->ke);
        assert_int_equal(d->encr->key_len, r->key_len);
        assert_int_equal(d->encr->salt_len, r->salt_len);
        assert_int_equal(d->encr->iv_len, r->iv_len);
        assert_int_equal(d->encr->block_len, r->block_len);
        assert_int_equal(d->encr->icv_len, r->icv_len);
        assert_int_equal(d->encr->aead, r->aead);
        assert_true(d->encr->icv_len <= IKH_ICV_MAX);
        assert_non_null(d->encr->init);
        assert_non_null(d->encr->encrypt);
        assert_non_null(d->encr->decrypt);
        assert_non_null(d->encr->fini);
    }
}

static void test_registry_prf_integ_rows(void **state)
{
    (void)state;
    const ikh_xform_desc *const *l = ikh_crypto_default_list();
    for (size_t i = 0; i < sizeof MAC_ROWS / sizeof MAC_ROWS[0]; i++) {
        const mac_row *r = &MAC_ROWS[i];
        const ikh_xform_desc *d = ikh_crypto_find(l, r->type, r->id, 0);
        assert_non_null(d);
        assert_string_equal(d->name, r->name);
        assert_null(d->encr);
        assert_null(d->ke);
        if (r->type == IKH_XF_PRF) {
            assert_non_null(d->prf);
            assert_null(d->integ);
            assert_true(d->ike);
            assert_false(d->esp); /* PRFs exist only in IKE SAs */
            assert_int_equal(d->prf->key_len, r->key_len);
            assert_int_equal(d->prf->out_len, r->out_len);
            assert_true(d->prf->out_len <= IKH_PRF_MAX);
        } else {
            assert_non_null(d->integ);
            assert_null(d->prf);
            assert_true(d->ike);
            assert_true(d->esp);
            assert_int_equal(d->integ->key_len, r->key_len);
            assert_int_equal(d->integ->icv_len, r->out_len);
            assert_true(d->integ->icv_len <= IKH_ICV_MAX);
        }
    }
}

/* No two entries share (type, id, key_bits); every entry has ops of its
 * type and a name; the list is exactly the rows above plus KE groups. */
static void test_registry_unique_and_complete(void **state)
{
    (void)state;
    const ikh_xform_desc *const *l = ikh_crypto_default_list();
    size_t n = list_len(l), n_ke = 0;
    for (size_t i = 0; i < n; i++) {
        assert_non_null(l[i]->name);
        assert_true(l[i]->ike || l[i]->esp);
        assert_ptr_equal(
            ikh_crypto_find(l, l[i]->type, l[i]->id, l[i]->key_bits), l[i]);
        for (size_t j = i + 1; j < n; j++)
            assert_false(l[i]->type == l[j]->type && l[i]->id == l[j]->id &&
                         l[i]->key_bits == l[j]->key_bits);
        if (l[i]->type == IKH_XF_KE) {
            assert_non_null(l[i]->ke);
            n_ke++;
        }
    }
    assert_int_equal(n - n_ke, sizeof ENCR_ROWS / sizeof ENCR_ROWS[0] +
                                   sizeof MAC_ROWS / sizeof MAC_ROWS[0]);
}

/* KE groups 14-18 (RFC 3526), 19-21 (RFC 5903), 31-32 (RFC 8031). */
static void test_registry_ke_groups(void **state)
{
    (void)state;
    static const struct {
        uint16_t id;
        size_t pub_len;
    } groups[] = {
        {14, 256}, {15, 384}, {16, 512}, {17, 768}, {18, 1024},
        {19, 64},  {20, 96},  {21, 132}, {31, 32},  {32, 56},
    };
    const ikh_xform_desc *const *l = ikh_crypto_default_list();
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        const ikh_xform_desc *d =
            ikh_crypto_find(l, IKH_XF_KE, groups[i].id, 0);
        assert_non_null(d);
        assert_non_null(d->ke);
        assert_int_equal(d->ke->pub_len, groups[i].pub_len);
        assert_true(d->ke->pub_len <= IKH_KE_PUB_MAX);
        assert_true(d->ke->shared_len <= IKH_SECRET_MAX);
    }
}

static void test_registry_find(void **state)
{
    (void)state;
    const ikh_xform_desc *const *l = ikh_crypto_default_list();
    const ikh_xform_desc *d =
        ikh_crypto_find(l, IKH_XF_ENCR, IKH_ENCR_AES_GCM_16, 256);
    assert_non_null(d);
    assert_ptr_equal(d->encr, &ikh_encr_ops_aes_gcm16_256);
    /* Key length must match exactly; absent and unsupported ones fail. */
    assert_null(ikh_crypto_find(l, IKH_XF_ENCR, IKH_ENCR_AES_CBC, 0));
    assert_null(ikh_crypto_find(l, IKH_XF_ENCR, IKH_ENCR_AES_CBC, 64));
    assert_null(
        ikh_crypto_find(l, IKH_XF_ENCR, IKH_ENCR_CHACHA20_POLY1305, 256));
    assert_null(ikh_crypto_find(l, IKH_XF_PRF, IKH_PRF_HMAC_SHA2_256, 256));
    assert_null(ikh_crypto_find(l, IKH_XF_ENCR, IKH_ENCR_3DES, 0));
    assert_null(ikh_crypto_find(l, IKH_XF_ENCR, IKH_ENCR_AES_CCM_16, 128));
    assert_null(ikh_crypto_find(l, IKH_XF_PRF, IKH_PRF_HMAC_MD5, 0));
    assert_null(ikh_crypto_find(l, IKH_XF_INTEG, IKH_INTEG_HMAC_MD5_96, 0));
    assert_null(ikh_crypto_find(l, IKH_XF_INTEG, IKH_INTEG_NONE, 0));
    assert_null(ikh_crypto_find(l, IKH_XF_KE, IKH_KE_MODP1024, 0));
    /* Same ID under another type is another transform. */
    d = ikh_crypto_find(l, IKH_XF_PRF, 2, 0);
    assert_non_null(d);
    assert_ptr_equal(d->prf, &ikh_prf_ops_hmac_sha1);
    d = ikh_crypto_find(l, IKH_XF_INTEG, 2, 0);
    assert_ptr_equal(d->integ, &ikh_integ_ops_hmac_sha1_96);
    /* A caller's own, narrower list. */
    const ikh_xform_desc *mine[] = {
        ikh_crypto_find(l, IKH_XF_ENCR, IKH_ENCR_AES_CBC, 128), NULL};
    assert_non_null(ikh_crypto_find(mine, IKH_XF_ENCR, IKH_ENCR_AES_CBC, 128));
    assert_null(ikh_crypto_find(mine, IKH_XF_ENCR, IKH_ENCR_AES_CBC, 256));
    const ikh_xform_desc *empty[] = {NULL};
    assert_null(ikh_crypto_find(empty, IKH_XF_ENCR, IKH_ENCR_AES_CBC, 128));
    assert_null(ikh_crypto_find(NULL, IKH_XF_ENCR, IKH_ENCR_AES_CBC, 128));
}

static bool encr_is_null_aead(const ikh_encr_ops *o)
{
    const ikh_encr_ops *n = &ikh_encr_ops_null_aead;
    return o == n || o->init == n->init || o->encrypt == n->encrypt ||
           o->decrypt == n->decrypt || o->fini == n->fini;
}

static bool ke_is_null(const ikh_ke_ops *o)
{
    const ikh_ke_ops *n = &ikh_ke_ops_null;
    return o == n || o->keygen == n->keygen || o->derive == n->derive ||
           o->fini == n->fini;
}

/* STYLE §8: the default list can never negotiate the null AEAD / null KE. */
static void test_registry_default_never_null(void **state)
{
    (void)state;
    const ikh_xform_desc *const *l = ikh_crypto_default_list();
    const ikh_xform_desc *const *nl = ikh_crypto_null_list();
    for (size_t i = 0; l[i] != NULL; i++) {
        if (l[i]->encr != NULL)
            assert_false(encr_is_null_aead(l[i]->encr));
        if (l[i]->ke != NULL)
            assert_false(ke_is_null(l[i]->ke));
        for (size_t j = 0; nl[j] != NULL; j++)
            assert_ptr_not_equal(l[i], nl[j]);
    }
    /* Looking up the null transforms' own IDs in the default list yields the
     * real transform (ESP's ENCR_NULL, no AEAD) or nothing. */
    assert_int_equal(list_len(nl), 2);
    for (size_t j = 0; nl[j] != NULL; j++) {
        const ikh_xform_desc *d =
            ikh_crypto_find(l, nl[j]->type, nl[j]->id, nl[j]->key_bits);
        if (nl[j]->encr != NULL) {
            assert_ptr_equal(nl[j]->encr, &ikh_encr_ops_null_aead);
            assert_non_null(d);
            assert_ptr_equal(d->encr, &ikh_encr_ops_null);
            assert_false(d->encr->aead);
            assert_false(d->ike);
        } else {
            assert_ptr_equal(nl[j]->ke, &ikh_ke_ops_null);
            assert_int_equal(nl[j]->id, IKH_CRYPTO_NULL_KE_ID);
            assert_null(d);
        }
    }
}

static void fixed_rand(void *user, uint8_t *out, size_t len)
{
    uint8_t *v = user;
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(*v + i);
}

/* The fuzz null transforms work end to end. */
static void test_registry_null_list_works(void **state)
{
    (void)state;
    const ikh_encr_ops *a = &ikh_encr_ops_null_aead;
    assert_true(a->aead);
    assert_int_equal(a->icv_len, 0);
    ikh_crypto_ctx ctx;
    uint8_t buf[5] = {1, 2, 3, 4, 5}, tag[1];
    assert_ikh_ok(a->init(&ctx, NULL));
    assert_ikh_ok(a->encrypt(&ctx, NULL, ikh_span_of(NULL, 0), buf, 5, tag));
    assert_ikh_ok(a->decrypt(&ctx, NULL, ikh_span_of(NULL, 0), buf, 5, tag));
    assert_int_equal(buf[4], 5);
    a->fini(&ctx);

    const ikh_ke_ops *k = &ikh_ke_ops_null;
    uint8_t sa = 0x10, sb = 0x70, pa[8], pb[8];
    ikh_rand ra = {fixed_rand, &sa}, rb = {fixed_rand, &sb};
    ikh_crypto_ctx ca, cb;
    ikh_secret s1, s2;
    assert_ikh_ok(k->keygen(&ca, &ra, pa));
    assert_ikh_ok(k->keygen(&cb, &rb, pb));
    assert_ikh_ok(k->derive(&ca, ikh_span_of(pb, 8), &s1));
    assert_ikh_ok(k->derive(&cb, ikh_span_of(pa, 8), &s2));
    assert_int_equal(s1.len, k->shared_len);
    assert_memory_equal(s1.b, s2.b, s1.len);
    assert_ikh_err(k->derive(&ca, ikh_span_of(pb, 7), &s1),
                   IKH_ERR_CRYPTO_KE_INVALID);
    k->fini(&ca);
    k->fini(&cb);
    ikh_secret_fini(&s1);
    ikh_secret_fini(&s2);
}

/* ENCR_NULL (ESP): no confidentiality, buffer unchanged. */
static void test_registry_esp_null(void **state)
{
    (void)state;
    const ikh_encr_ops *o = &ikh_encr_ops_null;
    ikh_crypto_ctx ctx;
    uint8_t buf[3] = {7, 8, 9};
    assert_ikh_ok(o->init(&ctx, NULL));
    assert_ikh_ok(o->encrypt(&ctx, NULL, ikh_span_of(NULL, 0), buf, 3, NULL));
    assert_int_equal(buf[0], 7);
    assert_ikh_ok(o->decrypt(&ctx, NULL, ikh_span_of(NULL, 0), buf, 3, NULL));
    assert_int_equal(buf[2], 9);
    o->fini(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_encr_rows),
        cmocka_unit_test(test_registry_prf_integ_rows),
        cmocka_unit_test(test_registry_unique_and_complete),
        cmocka_unit_test(test_registry_ke_groups),
        cmocka_unit_test(test_registry_find),
        cmocka_unit_test(test_registry_default_never_null),
        cmocka_unit_test(test_registry_null_list_works),
        cmocka_unit_test(test_registry_esp_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
