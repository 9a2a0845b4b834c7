/* SPDX-License-Identifier: MIT */
/*
 * Tests for proposal strings in strongSwan's syntax (ikh/ike.h,
 * ike/proposal_str.c): every keyword gives its transform, the IKE PRF
 * rules (integrity implies the same-hash PRF; AEAD IKE proposals take
 * integrity names as PRFs), the child ESN default, canonical formatting
 * and its round trip, and every error case with its offset.
 */
#include "testlib.h"

#include <stdio.h>

#include "ikh/iana.h"
#include "ikh/ike.h"

/* A keyword and the transform it must give. */
typedef struct kw_case {
    const char *kw;
    uint8_t type;
    uint16_t id;
    uint16_t bits;
    const char *canon; /* canonical spelling */
} kw_case;

static const kw_case kw_cases[] = {
    {"aes128", IKH_XF_ENCR, 12, 128, "aes128"},
    {"aes192", IKH_XF_ENCR, 12, 192, "aes192"},
    {"aes256", IKH_XF_ENCR, 12, 256, "aes256"},
    {"aes128ctr", IKH_XF_ENCR, 13, 128, "aes128ctr"},
    {"aes192ctr", IKH_XF_ENCR, 13, 192, "aes192ctr"},
    {"aes256ctr", IKH_XF_ENCR, 13, 256, "aes256ctr"},
    {"aes128gcm8", IKH_XF_ENCR, 18, 128, "aes128gcm8"},
    {"aes192gcm8", IKH_XF_ENCR, 18, 192, "aes192gcm8"},
    {"aes256gcm8", IKH_XF_ENCR, 18, 256, "aes256gcm8"},
    {"aes128gcm12", IKH_XF_ENCR, 19, 128, "aes128gcm12"},
    {"aes192gcm12", IKH_XF_ENCR, 19, 192, "aes192gcm12"},
    {"aes256gcm12", IKH_XF_ENCR, 19, 256, "aes256gcm12"},
    {"aes128gcm16", IKH_XF_ENCR, 20, 128, "aes128gcm16"},
    {"aes192gcm16", IKH_XF_ENCR, 20, 192, "aes192gcm16"},
    {"aes256gcm16", IKH_XF_ENCR, 20, 256, "aes256gcm16"},
    {"aes128gcm64", IKH_XF_ENCR, 18, 128, "aes128gcm8"},
    {"aes192gcm64", IKH_XF_ENCR, 18, 192, "aes192gcm8"},
    {"aes256gcm64", IKH_XF_ENCR, 18, 256, "aes256gcm8"},
    {"aes128gcm96", IKH_XF_ENCR, 19, 128, "aes128gcm12"},
    {"aes192gcm96", IKH_XF_ENCR, 19, 192, "aes192gcm12"},
    {"aes256gcm96", IKH_XF_ENCR, 19, 256, "aes256gcm12"},
    {"aes128gcm128", IKH_XF_ENCR, 20, 128, "aes128gcm16"},
    {"aes192gcm128", IKH_XF_ENCR, 20, 192, "aes192gcm16"},
    {"aes256gcm128", IKH_XF_ENCR, 20, 256, "aes256gcm16"},
    {"chacha20poly1305", IKH_XF_ENCR, 28, 0, "chacha20poly1305"},
    {"null", IKH_XF_ENCR, 11, 0, "null"},
    {"sha1", IKH_XF_INTEG, 2, 0, "sha1"},
    {"sha256", IKH_XF_INTEG, 12, 0, "sha256"},
    {"sha2_256", IKH_XF_INTEG, 12, 0, "sha256"},
    {"sha384", IKH_XF_INTEG, 13, 0, "sha384"},
    {"sha2_384", IKH_XF_INTEG, 13, 0, "sha384"},
    {"sha512", IKH_XF_INTEG, 14, 0, "sha512"},
    {"sha2_512", IKH_XF_INTEG, 14, 0, "sha512"},
    {"aesxcbc", IKH_XF_INTEG, 5, 0, "aesxcbc"},
    {"prfsha1", IKH_XF_PRF, 2, 0, "prfsha1"},
    {"prfsha256", IKH_XF_PRF, 5, 0, "prfsha256"},
    {"prfsha384", IKH_XF_PRF, 6, 0, "prfsha384"},
    {"prfsha512", IKH_XF_PRF, 7, 0, "prfsha512"},
    {"prfaesxcbc", IKH_XF_PRF, 4, 0, "prfaesxcbc"},
    {"prfaescmac", IKH_XF_PRF, 8, 0, "prfaescmac"},
    {"modp2048", IKH_XF_KE, 14, 0, "modp2048"},
    {"modp3072", IKH_XF_KE, 15, 0, "modp3072"},
    {"modp4096", IKH_XF_KE, 16, 0, "modp4096"},
    {"modp6144", IKH_XF_KE, 17, 0, "modp6144"},
    {"modp8192", IKH_XF_KE, 18, 0, "modp8192"},
    {"ecp256", IKH_XF_KE, 19, 0, "ecp256"},
    {"ecp384", IKH_XF_KE, 20, 0, "ecp384"},
    {"ecp521", IKH_XF_KE, 21, 0, "ecp521"},
    {"curve25519", IKH_XF_KE, 31, 0, "curve25519"},
    {"x25519", IKH_XF_KE, 31, 0, "curve25519"},
    {"curve448", IKH_XF_KE, 32, 0, "curve448"},
    {"x448", IKH_XF_KE, 32, 0, "curve448"},
    {"esn", IKH_XF_ESN, 1, 0, "esn"},
    {"noesn", IKH_XF_ESN, 0, 0, ""}, /* the child default: not printed */
};
#define N_KW (sizeof kw_cases / sizeof kw_cases[0])

/* The transform of @p type at its @p nth occurrence, or NULL. */
static const ikh_xf_ref *find_xf(const ikh_proposal_cfg *p, uint8_t type,
                                 size_t nth)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->xf[i].type == type && nth-- == 0)
            return &p->xf[i];
    return NULL;
}

/* Number of transforms of @p type. */
static size_t count_xf(const ikh_proposal_cfg *p, uint8_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += p->xf[i].type == type;
    return n;
}

/* A proposal around one keyword that is valid for its kind. */
static void wrap_kw(const kw_case *k, char *buf, size_t cap, bool *child)
{
    *child = true;
    switch (k->type) {
    case IKH_XF_ENCR:
        if (k->id == IKH_ENCR_AES_CBC || k->id == IKH_ENCR_AES_CTR ||
            k->id == IKH_ENCR_NULL)
            snprintf(buf, cap, "%s-sha256", k->kw);
        else
            snprintf(buf, cap, "%s", k->kw);
        break;
    case IKH_XF_INTEG:
        snprintf(buf, cap, "aes128-%s", k->kw);
        break;
    case IKH_XF_PRF:
        *child = false;
        snprintf(buf, cap, "aes128gcm16-%s-modp2048", k->kw);
        break;
    case IKH_XF_KE:
        snprintf(buf, cap, "aes128gcm16-%s", k->kw);
        break;
    default:
        snprintf(buf, cap, "aes128gcm16-%s", k->kw);
        break;
    }
}

static void test_proposal_each_keyword(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_KW; i++) {
        const kw_case *k = &kw_cases[i];
        char text[64], out[128];
        bool child;
        ikh_proposal_cfg p;
        wrap_kw(k, text, sizeof text, &child);
        assert_ikh_ok(ikh_proposal_parse(text, child, &p, NULL));
        const ikh_xf_ref *x = NULL;
        for (size_t n = 0; (x = find_xf(&p, k->type, n)) != NULL; n++)
            if (x->id == k->id && x->key_bits == k->bits)
                break;
        if (x == NULL)
            fail_msg("%s: transform %u/%u/%u missing", k->kw, k->type, k->id,
                     k->bits);
        /* canonical spelling in the output */
        assert_ikh_ok(ikh_proposal_format(&p, child, out, sizeof out));
        if (strstr(out, k->canon) == NULL)
            fail_msg("%s: '%s' lacks '%s'", k->kw, out, k->canon);
        /* upper case works too */
        char upper[64];
        for (size_t c = 0; c <= strlen(text); c++)
            upper[c] =
                (char)(text[c] >= 'a' && text[c] <= 'z' ? text[c] - 'a' + 'A'
                                                        : text[c]);
        ikh_proposal_cfg q;
        assert_ikh_ok(ikh_proposal_parse(upper, child, &q, NULL));
        assert_memory_equal(&p, &q, sizeof p);
    }
}

static void test_proposal_ike_integ_gives_prf(void **state)
{
    (void)state;
    ikh_proposal_cfg p;
    assert_ikh_ok(
        ikh_proposal_parse("aes128-sha256-sha1-modp2048", false, &p, NULL));
    assert_int_equal(count_xf(&p, IKH_XF_INTEG), 2);
    assert_int_equal(count_xf(&p, IKH_XF_PRF), 2);
    assert_int_equal(find_xf(&p, IKH_XF_PRF, 0)->id, IKH_PRF_HMAC_SHA2_256);
    assert_int_equal(find_xf(&p, IKH_XF_PRF, 1)->id, IKH_PRF_HMAC_SHA1);
    /* wire order: ENCR, INTEG, PRF, KE */
    assert_int_equal(p.n, 6);
    assert_int_equal(p.xf[0].type, IKH_XF_ENCR);
    assert_int_equal(p.xf[1].type, IKH_XF_INTEG);
    assert_int_equal(p.xf[3].type, IKH_XF_PRF);
    assert_int_equal(p.xf[5].type, IKH_XF_KE);
    /* aesxcbc -> prfaesxcbc; sha384/512 likewise */
    assert_ikh_ok(ikh_proposal_parse("aes128-aesxcbc-sha384-sha512-ecp256",
                                     false, &p, NULL));
    assert_int_equal(find_xf(&p, IKH_XF_PRF, 0)->id, IKH_PRF_AES128_XCBC);
    assert_int_equal(find_xf(&p, IKH_XF_PRF, 1)->id, IKH_PRF_HMAC_SHA2_384);
    assert_int_equal(find_xf(&p, IKH_XF_PRF, 2)->id, IKH_PRF_HMAC_SHA2_512);
    /* an explicit PRF wins */
    assert_ikh_ok(ikh_proposal_parse("aes128-sha256-prfsha512-modp2048", false,
                                     &p, NULL));
    assert_int_equal(count_xf(&p, IKH_XF_PRF), 1);
    assert_int_equal(find_xf(&p, IKH_XF_PRF, 0)->id, IKH_PRF_HMAC_SHA2_512);
    assert_int_equal(count_xf(&p, IKH_XF_INTEG), 1);
    /* no ESN transform in IKE proposals */
    assert_int_equal(count_xf(&p, IKH_XF_ESN), 0);
}

static void test_proposal_ike_aead_prf(void **state)
{
    (void)state;
    ikh_proposal_cfg p, q;
    /* AEAD + integrity name: that PRF, no integrity (as strongSwan) */
    assert_ikh_ok(
        ikh_proposal_parse("aes256gcm16-sha256-x25519", false, &p, NULL));
    assert_int_equal(count_xf(&p, IKH_XF_INTEG), 0);
    assert_int_equal(count_xf(&p, IKH_XF_PRF), 1);
    assert_int_equal(find_xf(&p, IKH_XF_PRF, 0)->id, IKH_PRF_HMAC_SHA2_256);
    assert_ikh_ok(
        ikh_proposal_parse("aes256gcm16-prfsha256-x25519", false, &q, NULL));
    assert_memory_equal(&p, &q, sizeof p);
    /* both: the explicit PRF stays, the integrity name is dropped */
    assert_ikh_ok(ikh_proposal_parse("aes256gcm16-prfsha256-sha512-x25519",
                                     false, &p, NULL));
    assert_memory_equal(&p, &q, sizeof p);
    /* several algorithms per kind keep their order */
    assert_ikh_ok(ikh_proposal_parse(
        "aes256gcm16-aes128gcm16-prfsha384-prfsha256-ecp384-modp3072", false,
        &p, NULL));
    assert_int_equal(p.n, 6);
    assert_int_equal(p.xf[0].key_bits, 256);
    assert_int_equal(p.xf[1].key_bits, 128);
    assert_int_equal(p.xf[2].id, IKH_PRF_HMAC_SHA2_384);
    assert_int_equal(p.xf[4].id, IKH_KE_ECP384);
    /* order of kinds does not matter */
    assert_ikh_ok(ikh_proposal_parse(
        "aes256gcm16-prfsha384-ecp384-aes128gcm16-prfsha256-modp3072", false,
        &q, NULL));
    assert_memory_equal(&p, &q, sizeof p);
}

static void test_proposal_child_esn_and_pfs(void **state)
{
    (void)state;
    ikh_proposal_cfg p;
    assert_ikh_ok(ikh_proposal_parse("aes256gcm16", true, &p, NULL));
    assert_int_equal(p.n, 2);
    assert_int_equal(p.xf[1].type, IKH_XF_ESN);
    assert_int_equal(p.xf[1].id, IKH_ESN_NO);
    assert_int_equal(count_xf(&p, IKH_XF_KE), 0);
    assert_ikh_ok(
        ikh_proposal_parse("aes128-sha256-modp2048-esn", true, &p, NULL));
    assert_int_equal(count_xf(&p, IKH_XF_ESN), 1);
    assert_int_equal(find_xf(&p, IKH_XF_ESN, 0)->id, IKH_ESN_YES);
    assert_int_equal(find_xf(&p, IKH_XF_KE, 0)->id, IKH_KE_MODP2048);
    assert_int_equal(count_xf(&p, IKH_XF_PRF), 0);
    assert_ikh_ok(
        ikh_proposal_parse("chacha20poly1305-esn-noesn", true, &p, NULL));
    assert_int_equal(count_xf(&p, IKH_XF_ESN), 2);
    assert_int_equal(find_xf(&p, IKH_XF_ESN, 0)->id, IKH_ESN_YES);
    assert_int_equal(find_xf(&p, IKH_XF_ESN, 1)->id, IKH_ESN_NO);
    assert_ikh_ok(ikh_proposal_parse("null-sha1", true, &p, NULL));
    assert_int_equal(p.xf[0].id, IKH_ENCR_NULL);
}

static void test_proposal_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool child;
        const char *canon;
    } rt[] = {
        {"aes256gcm16-prfsha256-x25519", false,
         "aes256gcm16-prfsha256-curve25519"},
        {"aes128-sha256-modp2048", false, "aes128-sha256-prfsha256-modp2048"},
        {"aes256gcm16-sha384-ecp384", false, "aes256gcm16-prfsha384-ecp384"},
        {"aes128gcm128-aes256gcm64-prfaescmac-x448-ecp521", false,
         "aes128gcm16-aes256gcm8-prfaescmac-curve448-ecp521"},
        {"modp8192-aes192ctr-aesxcbc-prfaesxcbc", false,
         "aes192ctr-aesxcbc-prfaesxcbc-modp8192"},
        {"aes256gcm16", true, "aes256gcm16"},
        {"aes128gcm16-esn", true, "aes128gcm16-esn"},
        {"aes128gcm16-noesn", true, "aes128gcm16"},
        {"esn-noesn-chacha20poly1305", true, "chacha20poly1305-esn-noesn"},
        {"aes128-sha2_256-modp2048", true, "aes128-sha256-modp2048"},
        {"null-sha512-ecp256", true, "null-sha512-ecp256"},
    };
    for (size_t i = 0; i < sizeof rt / sizeof rt[0]; i++) {
        ikh_proposal_cfg p, q;
        char out[128], out2[128];
        assert_ikh_ok(ikh_proposal_parse(rt[i].in, rt[i].child, &p, NULL));
        assert_ikh_ok(ikh_proposal_format(&p, rt[i].child, out, sizeof out));
        assert_string_equal(out, rt[i].canon);
        assert_ikh_ok(ikh_proposal_parse(out, rt[i].child, &q, NULL));
        assert_memory_equal(&p, &q, sizeof p);
        assert_ikh_ok(ikh_proposal_format(&q, rt[i].child, out2, sizeof out2));
        assert_string_equal(out, out2);
    }
}

static void test_proposal_format_buffers(void **state)
{
    (void)state;
    ikh_proposal_cfg p;
    char out[128];
    assert_ikh_ok(
        ikh_proposal_parse("aes256gcm16-prfsha256-x25519", false, &p, NULL));
    /* exact fit: 32 characters + NUL */
    assert_ikh_ok(ikh_proposal_format(&p, false, out, 33));
    assert_string_equal(out, "aes256gcm16-prfsha256-curve25519");
    assert_ikh_err(ikh_proposal_format(&p, false, out, 32), IKH_ERR_WIRE_NOBUF);
    assert_string_equal(out, "aes256gcm16-prfsha256-curve2551");
    assert_ikh_err(ikh_proposal_format(&p, false, out, 1), IKH_ERR_WIRE_NOBUF);
    assert_string_equal(out, "");
    assert_ikh_err(ikh_proposal_format(&p, false, out, 0), IKH_ERR_ARG_INVALID);
    assert_ikh_err(ikh_proposal_format(NULL, false, out, 8),
                   IKH_ERR_ARG_INVALID);
    /* a transform without a keyword is still printed */
    ikh_proposal_cfg u;
    memset(&u, 0, sizeof u);
    u.n = 2;
    u.xf[0].type = IKH_XF_ENCR;
    u.xf[0].id = IKH_ENCR_CAMELLIA_CBC;
    u.xf[0].key_bits = 128;
    u.xf[1].type = IKH_XF_KE;
    u.xf[1].id = IKH_KE_ML_KEM_768;
    assert_ikh_ok(ikh_proposal_format(&u, true, out, sizeof out));
    assert_string_equal(out, "xf1_23_128-xf4_36");
    /* empty proposal: empty text */
    u.n = 0;
    assert_ikh_ok(ikh_proposal_format(&u, true, out, sizeof out));
    assert_string_equal(out, "");
}

/* An input that must fail, and where. */
typedef struct bad_case {
    const char *in;
    bool child;
    size_t bad; /* SIZE_MAX: strlen(in) (the combination is wrong) */
} bad_case;

#define WHOLE SIZE_MAX

static const bad_case bad_cases[] = {
    {"", false, 0},                                  /* empty */
    {"", true, 0},                                   /* empty */
    {"aes257-sha256-modp2048", false, 0},            /* unknown first */
    {"aes256gcm16-prfsha256-x25520", false, 22},     /* unknown last */
    {"aes128-sha256--modp2048", false, 14},          /* empty keyword */
    {"-aes128-sha256-modp2048", false, 0},           /* leading '-' */
    {"aes128-sha256-modp2048-", false, 23},          /* trailing '-' */
    {"aes128-sha256-modp2048-aes128", false, 23},    /* duplicate encr */
    {"aes128gcm16-x25519-curve25519", true, 19},     /* alias duplicate */
    {"aes256gcm16-esn-esn", true, 16},               /* duplicate esn */
    {"aes256gcm16-prfsha256-x25519-esn", false, 29}, /* esn in IKE */
    {"null-sha256-modp2048", false, 0},              /* null in IKE */
    {"aes256gcm16-prfsha256", true, 12},             /* prf in child */
    {"sha256-modp2048", false, WHOLE},               /* no encryption */
    {"esn", true, WHOLE},                            /* no encryption */
    {"aes128-modp2048", false, WHOLE},               /* no integrity/prf */
    {"aes128-prfsha256-modp2048", false, WHOLE},     /* CBC w/o integrity */
    {"aes128", true, WHOLE},                         /* CBC w/o integrity */
    {"aes256gcm16-sha256", true, WHOLE},             /* AEAD + integrity */
    {"aes256gcm16-aes128-sha256-modp2048", false, WHOLE}, /* mixed encr */
    {"aes256gcm16-x25519", false, WHOLE},                 /* AEAD IKE w/o PRF */
    {"aes128-sha256", false, WHOLE},                      /* IKE w/o KE */
    {"aes256gcm16-prfsha256", false, WHOLE},              /* IKE w/o KE */
    {"aes128 -sha256-modp2048", false, 0},                /* space */
    {"aes128,sha256,modp2048", false, 0},                 /* other separator */
    {"modp1024-aes128-sha1", false, 0},                   /* not offered */
};

static void test_proposal_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *b = &bad_cases[i];
        ikh_proposal_cfg p;
        size_t off = 12345;
        ikh_err e = ikh_proposal_parse(b->in, b->child, &p, &off);
        if (e != IKH_ERR_ARG_INVALID)
            fail_msg("'%s' (%s): got %d", b->in, b->child ? "child" : "ike",
                     (int)e);
        size_t want = b->bad == WHOLE ? strlen(b->in) : b->bad;
        if (off != want)
            fail_msg("'%s': offset %zu, want %zu", b->in, off, want);
        /* NULL offset is fine */
        assert_ikh_err(ikh_proposal_parse(b->in, b->child, &p, NULL),
                       IKH_ERR_ARG_INVALID);
    }
    ikh_proposal_cfg p;
    assert_ikh_err(ikh_proposal_parse(NULL, false, &p, NULL),
                   IKH_ERR_ARG_INVALID);
    assert_ikh_err(ikh_proposal_parse("aes128", false, NULL, NULL),
                   IKH_ERR_ARG_INVALID);
}

static void test_proposal_too_many_transforms(void **state)
{
    (void)state;
    /* 24 transforms fit, 25 do not */
    char text[512];
    ikh_proposal_cfg p;
    snprintf(text, sizeof text,
             "aes128gcm16-aes192gcm16-aes256gcm16-aes128gcm12-aes192gcm12-"
             "aes256gcm12-aes128gcm8-aes192gcm8-aes256gcm8-chacha20poly1305-"
             "prfsha1-prfsha256-prfsha384-prfsha512-prfaesxcbc-prfaescmac-"
             "modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-"
             "ecp521");
    assert_ikh_ok(ikh_proposal_parse(text, false, &p, NULL));
    assert_int_equal(p.n, 24);
    size_t off = 0;
    strcat(text, "-curve25519");
    assert_ikh_err(ikh_proposal_parse(text, false, &p, &off),
                   IKH_ERR_ARG_INVALID);
    assert_int_equal(off, strlen(text));
    /* a very long unknown keyword */
    char longkw[300];
    memset(longkw, 'a', sizeof longkw - 1);
    longkw[sizeof longkw - 1] = '\0';
    assert_ikh_err(ikh_proposal_parse(longkw, true, &p, &off),
                   IKH_ERR_ARG_INVALID);
    assert_int_equal(off, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proposal_each_keyword),
        cmocka_unit_test(test_proposal_ike_integ_gives_prf),
        cmocka_unit_test(test_proposal_ike_aead_prf),
        cmocka_unit_test(test_proposal_child_esn_and_pfs),
        cmocka_unit_test(test_proposal_round_trip),
        cmocka_unit_test(test_proposal_format_buffers),
        cmocka_unit_test(test_proposal_errors),
        cmocka_unit_test(test_proposal_too_many_transforms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
