/* SPDX-License-Identifier: MIT */
/*
 * KAT and negative tests for the ECP groups 19, 20, 21 (nettle_ecc.c).
 *
 * Sources: RFC 5903 §8.1 (256-bit random ECP group), §8.2 (384-bit),
 * §8.3 (521-bit): the private values i and r are fed through the rand hook
 * (nettle_ecc.c reads them big-endian as the scalar), the public values
 * must be RFC 5903's g^i and g^r (x | y, no 0x04 prefix, RFC 5903 §7) and
 * both sides must compute RFC 5903's g^ir x. Negative cases (RFC 6989 §2.3,
 * RFC 5903 §7): wrong lengths, a point off the curve, the all-zero
 * encoding of infinity, a coordinate >= p, scalars outside [1, n-1].
 */
#include "testlib.h"

#include "crypto/crypto_int.h"

/** One RFC 5903 §8 example. */
typedef struct ecp_vec {
    const char *name;      /**< section */
    const ikh_ke_ops *ops; /**< group */
    const char *i, *gi;    /**< initiator private, public x | y */
    const char *r, *gr;    /**< responder private, public x | y */
    const char *girx;      /**< shared secret */
} ecp_vec;

static const ecp_vec vecs[] = {
    {"RFC 5903 §8.1", &ikh_ke_ops_ecp256,
     /* i */ "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
     /* g^i x, y */
     "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
     "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
     /* r */ "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
     /* g^r x, y */
     "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
     "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
     /* g^ir x */
     "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"},
    {"RFC 5903 §8.2", &ikh_ke_ops_ecp384,
     /* i */
     "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655"
     "E35B538041E649EE3FAEF896783AB194",
     /* g^i x, y */
     "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6"
     "DE3AC808ACB4BDB4C88732AEE95F41AA"
     "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E"
     "EB9FCFF3C2C947DAE69B4C634573A81C",
     /* r */
     "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942"
     "E0308312916B8ED2960E4BD55A7448FC",
     /* g^r x, y */
     "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D"
     "0D1AC43A0336DEF96FDA41D0774A3571"
     "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF"
     "F83FA40142209DFF5EAAD96DB9E6386C",
     /* g^ir x */
     "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4"
     "D603135569B9E9D09CF5D4A270F59746"},
    {"RFC 5903 §8.3", &ikh_ke_ops_ecp521,
     /* i */
     "0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A0"
     "95AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D"
     "4A52",
     /* g^i x, y */
     "0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBE"
     "E1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176C"
     "ED3E"
     "017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10A"
     "D8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F"
     "9582",
     /* r */
     "0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E"
     "9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB15168"
     "5EB9",
     /* g^r x, y */
     "00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A21"
     "9B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9"
     "460F"
     "015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87"
     "220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0F"
     "C56A",
     /* g^ir x */
     "01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04"
     "D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3"
     "DDEA"},
};

/** Append hex octets to a ikh_tl_fixed_rand. */
static void fixed_add_hex(ikh_tl_fixed_rand *f, const char *hex)
{
    size_t n = ikh_tl_unhex(hex, f->buf + f->len, sizeof f->buf - f->len);
    assert_true(n != (size_t)-1);
    f->len += n;
}

/** Append n copies of one octet to a ikh_tl_fixed_rand. */
static void fixed_add_fill(ikh_tl_fixed_rand *f, uint8_t b, size_t n)
{
    assert_true(f->len + n <= sizeof f->buf);
    memset(f->buf + f->len, b, n);
    f->len += n;
}

static void test_ecp_rfc5903_vectors(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof vecs / sizeof vecs[0]; k++) {
        const ecp_vec *v = &vecs[k];
        const ikh_ke_ops *ops = v->ops;
        uint8_t pi[IKH_KE_PUB_MAX], pr[IKH_KE_PUB_MAX];
        ikh_crypto_ctx ci, cr;
        ikh_secret zi, zr;
        ikh_tl_fixed_rand fi = {.len = 0}, fr = {.len = 0};
        fixed_add_hex(&fi, v->i);
        fixed_add_hex(&fr, v->r);
        ikh_rand ri = {ikh_tl_fixed_rand_fn, &fi},
                 rr = {ikh_tl_fixed_rand_fn, &fr};
        assert_int_equal(ops->pub_len, 2 * fi.len);
        assert_int_equal(ops->shared_len, fi.len);
        assert_ikh_ok(ops->keygen(&ci, &ri, pi));
        assert_ikh_ok(ops->keygen(&cr, &rr, pr));
        assert_bytes_hex(v->gi, ikh_span_of(pi, ops->pub_len));
        assert_bytes_hex(v->gr, ikh_span_of(pr, ops->pub_len));
        assert_ikh_ok(ops->derive(&ci, ikh_span_of(pr, ops->pub_len), &zi));
        assert_ikh_ok(ops->derive(&cr, ikh_span_of(pi, ops->pub_len), &zr));
        assert_bytes_hex(v->girx, ikh_span_of(zi.b, zi.len));
        assert_bytes_hex(v->girx, ikh_span_of(zr.b, zr.len));
        ops->fini(&ci);
        ops->fini(&cr);
        assert_ikh_err(ops->derive(&ci, ikh_span_of(pr, ops->pub_len), &zi),
                       IKH_ERR_ARG_INVALID);
    }
}

/** derive must fail with CRYPTO_KE_INVALID and leave no secret. */
static void expect_invalid(const ikh_ke_ops *ops, ikh_crypto_ctx *ctx,
                           const uint8_t *y, size_t len)
{
    ikh_secret z;
    z.len = 77;
    assert_ikh_err(ops->derive(ctx, ikh_span_of(y, len), &z),
                   IKH_ERR_CRYPTO_KE_INVALID);
    assert_int_equal(z.len, 0);
}

/** Big-endian a += b over len octets (carry out dropped). */
static void be_add(uint8_t *a, const uint8_t *b, size_t len)
{
    unsigned carry = 0;
    for (size_t i = len; i-- > 0;) {
        unsigned s = a[i] + b[i] + carry;
        a[i] = (uint8_t)s;
        carry = s >> 8;
    }
}

static void test_ecp_peer_value_checks(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof vecs / sizeof vecs[0]; k++) {
        const ecp_vec *v = &vecs[k];
        const ikh_ke_ops *ops = v->ops;
        size_t flen = ops->shared_len, len = ops->pub_len;
        uint8_t pi[IKH_KE_PUB_MAX], peer[IKH_KE_PUB_MAX + 1];
        ikh_crypto_ctx c;
        ikh_tl_fixed_rand f = {.len = 0};
        fixed_add_hex(&f, v->i);
        ikh_rand r = {ikh_tl_fixed_rand_fn, &f};
        assert_ikh_ok(ops->keygen(&c, &r, pi));
        assert_int_equal(ikh_tl_unhex(v->gr, peer, sizeof peer), len);

        /* lengths: empty, one short, SEC1 0x04 prefix (one long), x only */
        expect_invalid(ops, &c, peer, 0);
        expect_invalid(ops, &c, peer, len - 1);
        memmove(peer + 1, peer, len);
        peer[0] = 0x04;
        expect_invalid(ops, &c, peer, len + 1);
        memmove(peer, peer + 1, len);
        expect_invalid(ops, &c, peer, flen);
        expect_invalid(ops, &c, NULL, len);
        /* not on the curve: flip the last bit of y */
        peer[len - 1] ^= 1;
        expect_invalid(ops, &c, peer, len);
        peer[len - 1] ^= 1;
        /* the point at infinity has no affine form; all zeros is (0, 0) */
        uint8_t zero[IKH_KE_PUB_MAX] = {0};
        expect_invalid(ops, &c, zero, len);
        /* x = 0 with the real y, and all-ones coordinates (>= p) */
        memcpy(zero + flen, peer + flen, flen);
        expect_invalid(ops, &c, zero, len);
        uint8_t ones[IKH_KE_PUB_MAX];
        memset(ones, 0xff, len);
        expect_invalid(ops, &c, ones, len);
        /* the genuine point still works after all that */
        ikh_secret z;
        assert_ikh_ok(ops->derive(&c, ikh_span_of(peer, len), &z));
        assert_bytes_hex(v->girx, ikh_span_of(z.b, z.len));
        ops->fini(&c);
    }
}

/* P-521 (p = 2^521 - 1) leaves room in 66 octets for x + p, which is the
 * same field element as x: it must be refused as out of range. */
static void test_ecp_coordinate_not_reduced(void **state)
{
    (void)state;
    const ecp_vec *v = &vecs[2];
    const ikh_ke_ops *ops = v->ops;
    uint8_t peer[132], p[66], pi[132];
    ikh_crypto_ctx c;
    ikh_tl_fixed_rand f = {.len = 0};
    fixed_add_hex(&f, v->i);
    ikh_rand r = {ikh_tl_fixed_rand_fn, &f};
    assert_ikh_ok(ops->keygen(&c, &r, pi));
    assert_int_equal(ikh_tl_unhex(v->gr, peer, sizeof peer), 132);
    memset(p, 0xff, sizeof p);
    p[0] = 0x01;         /* 2^521 - 1 */
    be_add(peer, p, 66); /* x + p */
    expect_invalid(ops, &c, peer, 132);
    assert_int_equal(ikh_tl_unhex(v->gr, peer, sizeof peer), 132);
    be_add(peer + 66, p, 66); /* y + p */
    expect_invalid(ops, &c, peer, 132);
    ops->fini(&c);
}

/* Scalars outside [1, n-1] are drawn again: zero, and the group order n
 * itself (P-256 n from SEC 2 / FIPS 186-4), then RFC 5903's i gives
 * RFC 5903's g^i. */
static void test_ecp_scalar_redraw(void **state)
{
    (void)state;
    const ecp_vec *v = &vecs[0];
    const ikh_ke_ops *ops = v->ops;
    uint8_t pub[64];
    ikh_crypto_ctx c;
    ikh_tl_fixed_rand f = {.len = 0};
    fixed_add_fill(&f, 0x00, 32);
    fixed_add_hex(&f, "FFFFFFFF00000000FFFFFFFFFFFFFFFF"
                      "BCE6FAADA7179E84F3B9CAC2FC632551");
    fixed_add_fill(&f, 0xff, 32);
    fixed_add_hex(&f, v->i);
    ikh_rand r = {ikh_tl_fixed_rand_fn, &f};
    assert_ikh_ok(ops->keygen(&c, &r, pub));
    assert_int_equal(f.off, f.len);
    assert_bytes_hex(v->gi, ikh_span_of(pub, 64));
    ops->fini(&c);

    /* a hook that only gives zeros: keygen fails, no private value */
    ikh_tl_fixed_rand z = {.len = 0};
    ikh_rand rz = {ikh_tl_fixed_rand_fn, &z};
    assert_ikh_err(ops->keygen(&c, &rz, pub), IKH_ERR_CRYPTO_FAILED);
    ikh_secret s;
    assert_ikh_err(ops->derive(&c, ikh_span_of(pub, 64), &s),
                   IKH_ERR_ARG_INVALID);

    /* P-521: the top octet is masked to the order's bit length, so
     * 0xff | i[1..] draws the same scalar as i */
    const ecp_vec *w = &vecs[2];
    uint8_t pub521[132];
    ikh_tl_fixed_rand g = {.len = 0};
    fixed_add_hex(&g, w->i);
    g.buf[0] = 0xfe;
    ikh_rand rg = {ikh_tl_fixed_rand_fn, &g};
    assert_ikh_ok(w->ops->keygen(&c, &rg, pub521));
    assert_bytes_hex(w->gi, ikh_span_of(pub521, 132));
    w->ops->fini(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecp_rfc5903_vectors),
        cmocka_unit_test(test_ecp_peer_value_checks),
        cmocka_unit_test(test_ecp_coordinate_not_reduced),
        cmocka_unit_test(test_ecp_scalar_redraw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
