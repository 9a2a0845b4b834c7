/* SPDX-License-Identifier: MIT */
/*
 * MODP Diffie-Hellman groups 14-18 (RFC 3526, generator 2) for IKEv2 Key
 * Exchange payloads (RFC 7296 §3.4), over GMP's mpn layer. This is the only
 * file that includes <gmp.h> (../../../../shared/STYLE.md §8).
 *
 * Why mpn and not mpz: every number lives in a fixed limb array (the private
 * exponent in the caller's ikh_crypto_ctx, the rest on the stack), so the
 * group code allocates nothing, sets no GMP allocator and leaves no secret
 * limbs in freed heap blocks; everything that held a secret is wiped before
 * return. Exponentiation is mpn_sec_powm(), the side-channel silent routine
 * that mpz_powm_sec() is built on, with its scratch sized by
 * mpn_sec_powm_itch() and checked against a fixed stack buffer.
 *
 * Private exponent: the rand hook's first exp_len octets, read big-endian
 * (so a test that feeds fixed octets gets a known exponent). exp_len follows
 * the "Strength Estimate 2" exponent sizes of RFC 3526 §8 rounded up to whole
 * octets (320, 420, 480, 540, 620 bits -> 40, 53, 60, 68, 78 octets); a short
 * exponent is safe here because the groups are safe primes (p = 2q + 1) and
 * 2 generates the order-q subgroup. A drawn value below 2 is rejected and
 * drawn again (at most MODP_RAND_TRIES times).
 *
 * Public values and shared secrets are left-padded with zeros to the prime
 * length (RFC 7296 §3.4). The peer's value must be exactly the prime length
 * and 1 < y < p-1 (RFC 6989 §2.1 minimum checks: y = 0, 1, p-1 and y >= p
 * are refused). The full subgroup check y^q = 1 (RFC 6989 §2.2) is optional
 * for these safe primes: with y in [2, p-2] its order is q or 2q, so a
 * peer can at most leak the low bit of our exponent, and the exponent is
 * used for one exchange only.
 */
#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include <gmp.h>

#include "crypto_int.h"

static_assert(GMP_NAIL_BITS == 0, "limb packing below assumes no nail bits");

/** Octets in one limb. */
#define LIMB_OCTETS (sizeof(mp_limb_t))
/** Largest prime (MODP 8192) in octets and limbs. */
#define MODP_MAX_OCTETS 1024u
#define MODP_MAX_LIMBS (MODP_MAX_OCTETS / LIMB_OCTETS)
/** Largest private exponent (MODP 8192: 78 octets) in octets and limbs. */
#define MODP_EXP_MAX_OCTETS 80u
#define MODP_EXP_MAX_LIMBS                                                     \
    ((MODP_EXP_MAX_OCTETS + LIMB_OCTETS - 1) / LIMB_OCTETS)
/** mpn_sec_powm scratch: 20 n limbs for these exponent sizes; room for 24 n. */
#define MODP_SCRATCH_LIMBS (24u * MODP_MAX_LIMBS)
/** Draws of the rand hook before keygen gives up on a value below 2. */
#define MODP_RAND_TRIES 8

static_assert(MODP_MAX_OCTETS == IKH_KE_PUB_MAX, "public value buffer");
static_assert(MODP_MAX_OCTETS <= IKH_SECRET_MAX, "shared secret buffer");

/** One RFC 3526 group. */
typedef struct modp_group {
    /** the prime in RFC 3526's hex layout (spaces ignored) */
    const char *prime_hex;
    size_t len;     /**< prime octets (= public value and secret octets) */
    size_t exp_len; /**< private exponent octets */
} modp_group;

/** What keygen leaves in the caller's ikh_crypto_ctx. */
typedef struct modp_ctx {
    /** private exponent, least significant limb first */
    mp_limb_t x[MODP_EXP_MAX_LIMBS];
    size_t exp_bits; /**< exponent bit budget (exp_len * 8) */
    bool ready;      /**< keygen succeeded and fini not yet called */
} modp_ctx;

static_assert(sizeof(modp_ctx) <= IKH_CRYPTO_CTX_MAX,
              "MODP state fits ikh_crypto_ctx");
static_assert(_Alignof(modp_ctx) <= _Alignof(ikh_crypto_ctx),
              "ikh_crypto_ctx alignment");

/** Stack work area for one exponentiation (about 23 KiB, wiped after use). */
typedef struct modp_work {
    mp_limb_t p[MODP_MAX_LIMBS];      /**< the prime */
    mp_limb_t b[MODP_MAX_LIMBS];      /**< the base (2 or the peer's y) */
    mp_limb_t r[MODP_MAX_LIMBS];      /**< the result */
    mp_limb_t tp[MODP_SCRATCH_LIMBS]; /**< mpn_sec_powm scratch */
    uint8_t e[MODP_EXP_MAX_OCTETS];   /**< rand output for the exponent */
} modp_work;

/* RFC 3526 §3: 2^2048 - 2^1984 - 1 + 2^64 * { [2^1918 pi] + 124476 } */
static const char modp2048_hex[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D "
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F "
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D "
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B "
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 "
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 "
    "15728E5A 8AACAA68 FFFFFFFF FFFFFFFF";

/* RFC 3526 §4: 2^3072 - 2^3008 - 1 + 2^64 * { [2^2942 pi] + 1690314 } */
static const char modp3072_hex[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D "
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F "
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D "
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B "
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 "
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 "
    "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 "
    "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7 "
    "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B "
    "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C "
    "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31 "
    "43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF";

/* RFC 3526 §5: 2^4096 - 2^4032 - 1 + 2^64 * { [2^3966 pi] + 240904 } */
static const char modp4096_hex[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D "
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F "
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D "
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B "
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 "
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 "
    "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 "
    "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7 "
    "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B "
    "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C "
    "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31 "
    "43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7 "
    "88719A10 BDBA5B26 99C32718 6AF4E23C 1A946834 B6150BDA "
    "2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6 "
    "287C5947 4E6BC05D 99B2964F A090C3A2 233BA186 515BE7ED "
    "1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9 "
    "93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34063199 "
    "FFFFFFFF FFFFFFFF";

/* RFC 3526 §6: 2^6144 - 2^6080 - 1 + 2^64 * { [2^6014 pi] + 929484 } */
static const char modp6144_hex[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D "
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F "
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D "
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B "
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 "
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 "
    "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 "
    "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7 "
    "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B "
    "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C "
    "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31 "
    "43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7 "
    "88719A10 BDBA5B26 99C32718 6AF4E23C 1A946834 B6150BDA "
    "2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6 "
    "287C5947 4E6BC05D 99B2964F A090C3A2 233BA186 515BE7ED "
    "1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9 "
    "93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34028492 "
    "36C3FAB4 D27C7026 C1D4DCB2 602646DE C9751E76 3DBA37BD "
    "F8FF9406 AD9E530E E5DB382F 413001AE B06A53ED 9027D831 "
    "179727B0 865A8918 DA3EDBEB CF9B14ED 44CE6CBA CED4BB1B "
    "DB7F1447 E6CC254B 33205151 2BD7AF42 6FB8F401 378CD2BF "
    "5983CA01 C64B92EC F032EA15 D1721D03 F482D7CE 6E74FEF6 "
    "D55E702F 46980C82 B5A84031 900B1C9E 59E7C97F BEC7E8F3 "
    "23A97A7E 36CC88BE 0F1D45B7 FF585AC5 4BD407B2 2B4154AA "
    "CC8F6D7E BF48E1D8 14CC5ED2 0F8037E0 A79715EE F29BE328 "
    "06A1D58B B7C5DA76 F550AA3D 8A1FBFF0 EB19CCB1 A313D55C "
    "DA56C9EC 2EF29632 387FE8D7 6E3C0468 043E8F66 3F4860EE "
    "12BF2D5B 0B7474D6 E694F91E 6DCC4024 FFFFFFFF FFFFFFFF";

/* RFC 3526 §7: 2^8192 - 2^8128 - 1 + 2^64 * { [2^8062 pi] + 4743158 } */
static const char modp8192_hex[] =
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 "
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD "
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 "
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED "
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D "
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F "
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D "
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B "
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 "
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510 "
    "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 "
    "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7 "
    "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B "
    "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C "
    "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31 "
    "43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7 "
    "88719A10 BDBA5B26 99C32718 6AF4E23C 1A946834 B6150BDA "
    "2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6 "
    "287C5947 4E6BC05D 99B2964F A090C3A2 233BA186 515BE7ED "
    "1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9 "
    "93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34028492 "
    "36C3FAB4 D27C7026 C1D4DCB2 602646DE C9751E76 3DBA37BD "
    "F8FF9406 AD9E530E E5DB382F 413001AE B06A53ED 9027D831 "
    "179727B0 865A8918 DA3EDBEB CF9B14ED 44CE6CBA CED4BB1B "
    "DB7F1447 E6CC254B 33205151 2BD7AF42 6FB8F401 378CD2BF "
    "5983CA01 C64B92EC F032EA15 D1721D03 F482D7CE 6E74FEF6 "
    "D55E702F 46980C82 B5A84031 900B1C9E 59E7C97F BEC7E8F3 "
    "23A97A7E 36CC88BE 0F1D45B7 FF585AC5 4BD407B2 2B4154AA "
    "CC8F6D7E BF48E1D8 14CC5ED2 0F8037E0 A79715EE F29BE328 "
    "06A1D58B B7C5DA76 F550AA3D 8A1FBFF0 EB19CCB1 A313D55C "
    "DA56C9EC 2EF29632 387FE8D7 6E3C0468 043E8F66 3F4860EE "
    "12BF2D5B 0B7474D6 E694F91E 6DBE1159 74A3926F 12FEE5E4 "
    "38777CB6 A932DF8C D8BEC4D0 73B931BA 3BC832B6 8D9DD300 "
    "741FA7BF 8AFC47ED 2576F693 6BA42466 3AAB639C 5AE4F568 "
    "3423B474 2BF1C978 238F16CB E39D652D E3FDB8BE FC848AD9 "
    "22222E04 A4037C07 13EB57A8 1A23F0C7 3473FC64 6CEA306B "
    "4BCBC886 2F8385DD FA9D4B7F A2C087E8 79683303 ED5BDD3A "
    "062B3CF5 B3A278A6 6D2A13F8 3F44F82D DF310EE0 74AB6A36 "
    "4597E899 A0255DC1 64F31CC5 0846851D F9AB4819 5DED7EA1 "
    "B1D510BD 7EE74D73 FAF36BC3 1ECFA268 359046F4 EB879F92 "
    "4009438B 481C6CD7 889A002E D5EE382B C9190DA6 FC026E47 "
    "9558E447 5677E9AA 9E3050E2 765694DF C81F56E8 80B96E71 "
    "60C980DD 98EDD3DF FFFFFFFF FFFFFFFF";

/** The five groups (RFC 3526 §3-§7), exponent sizes from RFC 3526 §8. */
static const modp_group modp_2048 = {modp2048_hex, 256, 40};
static const modp_group modp_3072 = {modp3072_hex, 384, 53};
static const modp_group modp_4096 = {modp4096_hex, 512, 60};
static const modp_group modp_6144 = {modp6144_hex, 768, 68};
static const modp_group modp_8192 = {modp8192_hex, 1024, 78};

/**
 * @brief Read big-endian octets into little-endian limbs.
 * @param in octets (borrowed) @param in_len their count (at most n *
 * LIMB_OCTETS)
 * @param out n limbs (written, zero-extended) @param n limb count
 */
static void modp_limbs_from_octets(const uint8_t *in, size_t in_len,
                                   mp_limb_t *out, size_t n)
{
    memset(out, 0, n * sizeof *out);
    for (size_t i = 0; i < in_len; i++)
        out[i / LIMB_OCTETS] |= (mp_limb_t)in[in_len - 1 - i]
                                << (8 * (i % LIMB_OCTETS));
}

/**
 * @brief Write little-endian limbs as big-endian octets, left-padded.
 * @param in n limbs (borrowed) @param n limb count
 * @param out out_len octets (written; high octets beyond the limbs are 0)
 * @param out_len octets to write
 */
static void modp_octets_from_limbs(const mp_limb_t *in, size_t n, uint8_t *out,
                                   size_t out_len)
{
    for (size_t i = 0; i < out_len; i++) {
        size_t li = i / LIMB_OCTETS;
        out[out_len - 1 - i] =
            li < n ? (uint8_t)(in[li] >> (8 * (i % LIMB_OCTETS))) : 0;
    }
}

/**
 * @brief Value of one hex digit.
 * @param c character
 * @return 0..15, or -1 when c is not a hex digit.
 */
static int modp_hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/**
 * @brief Load a group's prime into limbs.
 * @param g group (its prime_hex has exactly 2 * len digits; spaces skipped)
 * @param p g->len / LIMB_OCTETS limbs (written)
 */
static void modp_load_prime(const modp_group *g, mp_limb_t *p)
{
    size_t n = g->len / LIMB_OCTETS;
    size_t digit = 0; /* digits read from the least significant end */
    memset(p, 0, n * sizeof *p);
    for (size_t i = strlen(g->prime_hex); i-- > 0;) {
        int v = modp_hex_val(g->prime_hex[i]);
        if (v < 0)
            continue;
        p[digit / (2 * LIMB_OCTETS)] |= (mp_limb_t)v
                                        << (4 * (digit % (2 * LIMB_OCTETS)));
        digit++;
    }
    assert(digit == 2 * g->len);
    assert(p[n - 1] == GMP_NUMB_MAX && p[0] == GMP_NUMB_MAX);
}

/**
 * @brief r = b^x mod p with mpn_sec_powm over the work area.
 * @param g group @param w work area with p and b loaded (r written)
 * @param bn limbs of b @param st private exponent
 * @return IKH_OK, or CRYPTO_FAILED when the scratch area is too small
 *         (a build bug; the KAT covers every group).
 */
static ikh_err modp_powm(const modp_group *g, modp_work *w, size_t bn,
                         const modp_ctx *st)
{
    mp_size_t n = (mp_size_t)(g->len / LIMB_OCTETS);
    mp_size_t itch =
        mpn_sec_powm_itch((mp_size_t)bn, (mp_bitcnt_t)st->exp_bits, n);
    if (itch < 0 || (size_t)itch > MODP_SCRATCH_LIMBS)
        return IKH_ERR_CRYPTO_FAILED;
    mpn_sec_powm(w->r, w->b, (mp_size_t)bn, st->x, (mp_bitcnt_t)st->exp_bits,
                 w->p, n, w->tp);
    return IKH_OK;
}

/**
 * @brief Draw a private exponent and write g^x mod p.
 * @param g group @param ctx caller memory (written) @param rnd random source
 * @param pub g->len octets (written)
 * @return IKH_OK; ARG_INVALID (NULL argument); CRYPTO_FAILED (the rand hook
 *         gave a value below 2 MODP_RAND_TRIES times, or scratch too small).
 */
static ikh_err modp_keygen(const modp_group *g, ikh_crypto_ctx *ctx,
                           const ikh_rand *rnd, uint8_t *pub)
{
    if (!ctx || !rnd || !rnd->fn || !pub)
        return IKH_ERR_ARG_INVALID;
    modp_ctx *st = (modp_ctx *)ctx->b;
    ikh_wipe(st, sizeof *st);
    modp_work w;
    ikh_err err = IKH_ERR_CRYPTO_FAILED;
    size_t xl = MODP_EXP_MAX_LIMBS;
    for (int tries = 0; tries < MODP_RAND_TRIES; tries++) {
        rnd->fn(rnd->user, w.e, g->exp_len);
        modp_limbs_from_octets(w.e, g->exp_len, st->x, xl);
        mp_limb_t high = 0;
        for (size_t i = 1; i < xl; i++)
            high |= st->x[i];
        if (high != 0 || st->x[0] > 1) {
            err = IKH_OK;
            break;
        }
    }
    if (err != IKH_OK)
        goto out;
    st->exp_bits = g->exp_len * 8;
    modp_load_prime(g, w.p);
    memset(w.b, 0, sizeof w.b);
    w.b[0] = 2; /* generator (RFC 3526) */
    err = modp_powm(g, &w, 1, st);
    if (err != IKH_OK)
        goto out;
    modp_octets_from_limbs(w.r, g->len / LIMB_OCTETS, pub, g->len);
    st->ready = true;
out:
    if (err != IKH_OK)
        ikh_wipe(st, sizeof *st);
    ikh_wipe(&w, sizeof w);
    return err;
}

/**
 * @brief Check the peer's value (RFC 6989 §2.1) and compute y^x mod p.
 * @param g group @param ctx context from keygen @param peer Key Exchange Data
 * @param shared receives g->len octets
 * @return IKH_OK; CRYPTO_KE_INVALID (length is not the prime length, or
 *         y <= 1, or y >= p-1); ARG_INVALID (NULL argument or no keygen);
 *         CRYPTO_FAILED (scratch too small). On error shared is emptied.
 */
static ikh_err modp_derive(const modp_group *g, ikh_crypto_ctx *ctx,
                           ikh_span peer, ikh_secret *shared)
{
    if (!ctx || !shared)
        return IKH_ERR_ARG_INVALID;
    ikh_secret_fini(shared); /* an older value goes first */
    const modp_ctx *st = (const modp_ctx *)ctx->b;
    if (!st->ready)
        return IKH_ERR_ARG_INVALID;
    if (peer.len != g->len || !peer.p)
        return IKH_ERR_CRYPTO_KE_INVALID;

    size_t n = g->len / LIMB_OCTETS;
    modp_work w;
    ikh_err err = IKH_OK;
    modp_load_prime(g, w.p);
    modp_limbs_from_octets(peer.p, peer.len, w.b, n);
    /* rfc6989#2.1: 1 < y < p-1 (p is odd, so p-1 is p with bit 0 cleared) */
    mp_limb_t high = 0;
    for (size_t i = 1; i < n; i++)
        high |= w.b[i];
    w.p[0] ^= 1;
    int cmp = mpn_cmp(w.b, w.p, (mp_size_t)n);
    w.p[0] ^= 1;
    if ((high == 0 && w.b[0] <= 1) || cmp >= 0) {
        err = IKH_ERR_CRYPTO_KE_INVALID;
        goto out;
    }
    err = modp_powm(g, &w, n, st);
    if (err != IKH_OK)
        goto out;
    modp_octets_from_limbs(w.r, n, shared->b, g->len);
    shared->len = g->len;
out:
    ikh_wipe(&w, sizeof w);
    return err;
}

/**
 * @brief Wipe the private exponent.
 * @param ctx context (NULL is a no-op)
 */
static void modp_fini(ikh_crypto_ctx *ctx)
{
    if (ctx)
        ikh_wipe(ctx->b, sizeof(modp_ctx));
}

/*
 * One ikh_ke_ops per group: keygen/derive wrappers that bind the group
 * (the ops signatures carry no group argument), sharing modp_fini.
 */
#define MODP_OPS(bits)                                                         \
    static ikh_err modp##bits##_keygen(ikh_crypto_ctx *ctx,                    \
                                       const ikh_rand *rnd, uint8_t *pub)      \
    {                                                                          \
        return modp_keygen(&modp_##bits, ctx, rnd, pub);                       \
    }                                                                          \
    static ikh_err modp##bits##_derive(ikh_crypto_ctx *ctx, ikh_span peer,     \
                                       ikh_secret *shared)                     \
    {                                                                          \
        return modp_derive(&modp_##bits, ctx, peer, shared);                   \
    }                                                                          \
    const ikh_ke_ops ikh_ke_ops_modp##bits = {                                 \
        .pub_len = (bits) / 8,                                                 \
        .shared_len = (bits) / 8,                                              \
        .keygen = modp##bits##_keygen,                                         \
        .derive = modp##bits##_derive,                                         \
        .fini = modp_fini,                                                     \
    };

MODP_OPS(2048)
MODP_OPS(3072)
MODP_OPS(4096)
MODP_OPS(6144)
MODP_OPS(8192)
