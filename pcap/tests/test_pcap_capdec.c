/* SPDX-License-Identifier: MIT */
/*
 * Our own decryption check (capdec.h) over real run folders: `ikeharness
 * sim` runs shipped scenarios (ChaCha20-Poly1305 for IKE, RFC 7634; AES-GCM,
 * RFC 5282; AES-CBC with HMAC-SHA2, RFC 7296 §3.14; SKF fragments, RFC 7383
 * §2.5; ESP with every suite of traffic-suites, ChaCha20-Poly1305 included,
 * and ESN over UDP encapsulation in traffic-natt, RFC 4303 App. A, RFC
 * 3948), and every Encrypted IKE message and every ESP packet of the run
 * folder's key files must verify and decrypt. Negative tests: keys with a
 * bit flipped fail every message; truncated and corrupted captures give
 * errors or bad items, never a crash; malformed key lines give their
 * specific error with line and field; capdec_check's exit codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ikh/capdec.h"
#include "ikh/iana.h"
#include "pcap_test_util.h"

enum {
    PATH_MAX_ = 4200,
    CMD_MAX = 9000,
    OUT_MAX = 8192
};

/* Run `ikeharness sim` on corpus/scenarios/<name>.yaml into a fresh run
 * folder; dir receives its path. */
static void run_sim(const char *name, char *dir, size_t cap)
{
    const char *exe = getenv("IKH_EXE");
    const char *src = getenv("IKH_SOURCE_DIR");
    if (exe == NULL || src == NULL)
        fail_msg("IKH_EXE and IKH_SOURCE_DIR must be set (CTest sets them)");
    char sub[256];
    ptu_fmt(sub, sizeof sub, "capdec-%s", name);
    ptu_path(dir, cap, sub);
    char cmd[CMD_MAX], out[OUT_MAX];
    ptu_check_quotable(dir);
    ptu_check_quotable(exe);
    ptu_check_quotable(src);
    ptu_fmt(cmd, sizeof cmd,
            "rm -rf '%s' && '%s' sim '%s/corpus/scenarios/%s.yaml' --out '%s' "
            ">/dev/null 2>&1",
            dir, exe, src, name, dir);
    ptu_run(cmd, out, sizeof out);
}

static ikh_capdec_keys *load_dir(const char *dir)
{
    ikh_capdec_keys *k = NULL;
    assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
    char path[PATH_MAX_];
    ikh_capdec_diag d;
    ptu_fmt(path, sizeof path, "%s/ike_keys.csv", dir);
    ikh_err e = ikh_capdec_keys_load(k, path, false, &d);
    if (e != IKH_OK)
        fail_msg("%s:%u: %s", path, d.line, d.msg);
    ptu_fmt(path, sizeof path, "%s/esp_keys.csv", dir);
    e = ikh_capdec_keys_load(k, path, true, &d);
    if (e != IKH_OK)
        fail_msg("%s:%u: %s", path, d.line, d.msg);
    return k;
}

static void check_dir(const ikh_capdec_keys *k, const char *dir,
                      ikh_capdec_result *res)
{
    char path[PATH_MAX_], msg[256];
    ptu_fmt(path, sizeof path, "%s/capture.pcap", dir);
    assert_int_equal(ikh_capdec_check(k, path, res, msg, sizeof msg), IKH_OK);
}

static void print_bad(const ikh_capdec_result *r)
{
    for (size_t i = 0; i < r->n_bad; i++)
        print_message(
            "bad: frame %llu %s %s\n", (unsigned long long)r->bad[i].frame,
            r->bad[i].esp ? "ESP" : "IKE", ikh_err_name(r->bad[i].why));
}

/* Every Encrypted message and ESP packet decrypts; nothing is skipped
 * (every SA of the run is in the key files). */
static void expect_all_ok(const ikh_capdec_result *r)
{
    print_bad(r);
    assert_true(r->ike_checked > 0);
    assert_int_equal(r->ike_bad, 0);
    assert_int_equal(r->ike_reasm_bad, 0);
    assert_int_equal(r->esp_bad, 0);
    assert_int_equal(r->ike_ok, r->ike_checked);
    assert_int_equal(r->esp_ok, r->esp_checked);
    assert_int_equal(r->ike_skipped, 0);
    assert_int_equal(r->esp_skipped, 0);
    assert_int_equal(r->ike_unparsed, 0);
    assert_int_equal(r->n_bad, 0);
}

/* The negative control: with one bit of every key flipped, every message
 * checked before is checked again and fails. */
static void expect_flip_fails(ikh_capdec_keys *k, const char *dir,
                              const ikh_capdec_result *pos)
{
    ikh_capdec_result *neg = malloc(sizeof *neg);
    assert_non_null(neg);
    ikh_capdec_keys_flip(k);
    check_dir(k, dir, neg);
    ikh_capdec_keys_flip(k);
    assert_int_equal(neg->ike_checked, pos->ike_checked);
    assert_int_equal(neg->esp_checked, pos->esp_checked);
    assert_int_equal(neg->ike_ok, 0);
    assert_int_equal(neg->esp_ok, 0);
    assert_int_equal(neg->ike_bad, pos->ike_checked);
    assert_int_equal(neg->esp_bad, pos->esp_checked);
    assert_int_equal(neg->ike_reassembled, 0);
    assert_true(neg->n_reasons >= 1);
    free(neg);
}

/* Run a scenario, check it, check the negative control; res (caller
 * memory) keeps the positive result. Returns the key set. */
static ikh_capdec_keys *scenario(const char *name, char *dir, size_t cap,
                                 ikh_capdec_result *res)
{
    run_sim(name, dir, cap);
    ikh_capdec_keys *k = load_dir(dir);
    check_dir(k, dir, res);
    expect_all_ok(res);
    expect_flip_fails(k, dir, res);
    return k;
}

static bool keys_have(const char *dir, const char *file, const char *needle)
{
    char path[PATH_MAX_], line[2048];
    ptu_fmt(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    bool found = false;
    while (!found && fgets(line, sizeof line, f) != NULL)
        found = line[0] != '#' && strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

static void test_capdec_chacha20_ike(void **state)
{
    (void)state;
    char dir[PATH_MAX_];
    ikh_capdec_result *r = malloc(sizeof *r);
    assert_non_null(r);
    ikh_capdec_keys *k =
        scenario("suite-chacha20-curve25519", dir, sizeof dir, r);
    /* ENCR_CHACHA20_POLY1305 (28), no Key Length, no INTEG */
    assert_true(keys_have(dir, "ike_keys.csv", ",28,0,,,0"));
    assert_true(r->ike_ok >= 2); /* IKE_AUTH request and response */
    ikh_capdec_keys_free(k);
    free(r);
}

static void test_capdec_aes_gcm_ike(void **state)
{
    (void)state;
    char dir[PATH_MAX_];
    ikh_capdec_result *r = malloc(sizeof *r);
    assert_non_null(r);
    ikh_capdec_keys *k = scenario("suite-aes-gcm-ecp384", dir, sizeof dir, r);
    assert_true(r->ike_ok >= 2);
    ikh_capdec_keys_free(k);
    free(r);
}

static void test_capdec_aes_cbc_hmac_ike(void **state)
{
    (void)state;
    char dir[PATH_MAX_];
    ikh_capdec_result *r = malloc(sizeof *r);
    assert_non_null(r);
    ikh_capdec_keys *k =
        scenario("suite-aes-cbc-sha256-modp2048", dir, sizeof dir, r);
    assert_true(r->ike_ok >= 2);
    ikh_capdec_keys_free(k);
    free(r);
}

static void test_capdec_xcbc_ike(void **state)
{
    (void)state;
    char dir[PATH_MAX_];
    ikh_capdec_result *r = malloc(sizeof *r);
    assert_non_null(r);
    /* AES-XCBC-96 (INTEG 5): not in tshark 4.0 either */
    ikh_capdec_keys *k = scenario("suite-xcbc-modp4096", dir, sizeof dir, r);
    assert_true(r->ike_ok >= 2);
    ikh_capdec_keys_free(k);
    free(r);
}

static void test_capdec_skf_fragments(void **state)
{
    (void)state;
    char dir[PATH_MAX_];
    ikh_capdec_result *r = malloc(sizeof *r);
    assert_non_null(r);
    ikh_capdec_keys *k = scenario("fragmentation", dir, sizeof dir, r);
    assert_true(r->ike_skf_ok >= 4);
    assert_int_equal(r->ike_skf_ok, r->ike_skf_checked);
    /* both IKE_AUTH messages came in fragments and were joined */
    assert_true(r->ike_reassembled >= 2);
    assert_int_equal(r->ike_incomplete, 0);
    ikh_capdec_keys_free(k);
    free(r);
}

static void test_capdec_esp_suites(void **state)
{
    (void)state;
    char dir[PATH_MAX_];
    ikh_capdec_result *r = malloc(sizeof *r);
    assert_non_null(r);
    ikh_capdec_keys *k = scenario("traffic-suites", dir, sizeof dir, r);
    /* ChaCha20-Poly1305 for ESP (RFC 7634) is among the keyed SAs */
    assert_true(keys_have(dir, "esp_keys.csv", ",28,0,"));
    size_t n_esp = 0;
    ikh_capdec_keys_count(k, NULL, &n_esp);
    assert_int_equal(n_esp, 8); /* four Child SAs, two directions */
    assert_true(r->esp_ok >= 8);
    ikh_capdec_keys_free(k);
    free(r);
}

static void test_capdec_esp_natt_esn(void **state)
{
    (void)state;
    char dir[PATH_MAX_];
    ikh_capdec_result *r = malloc(sizeof *r);
    assert_non_null(r);
    /* ESP in UDP on 4500 (RFC 3948) with ESN: the high bits are inferred */
    ikh_capdec_keys *k = scenario("traffic-natt", dir, sizeof dir, r);
    assert_true(keys_have(dir, "esp_keys.csv", ",1\n"));
    assert_true(r->esp_ok >= 2);
    ikh_capdec_keys_free(k);
    free(r);
}

/* Keys of another run (same SPIs, other keys) fail every message. */
static void test_capdec_wrong_keys_fail(void **state)
{
    (void)state;
    char dir[PATH_MAX_];
    run_sim("suite-aes-gcm-ecp384", dir, sizeof dir);
    char path[PATH_MAX_];
    ptu_fmt(path, sizeof path, "%s/ike_keys.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    /* change one hex digit of SK_ei and SK_er: the third and fourth field */
    char *p = text;
    while (*p == '#')
        p = strchr(p, '\n') + 1;
    for (int field = 0; field < 3; field++) {
        char *c = strchr(p, ',');
        assert_non_null(c);
        p = c + 1;
        if (field == 1)
            *p = *p == '0' ? '1' : '0';
    }
    *p = *p == '0' ? '1' : '0';
    ikh_capdec_keys *k = NULL;
    assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
    assert_int_equal(ikh_capdec_keys_parse_ike(k, text, strlen(text), NULL),
                     IKH_OK);
    ikh_capdec_result *r = malloc(sizeof *r);
    assert_non_null(r);
    check_dir(k, dir, r);
    assert_true(r->ike_checked >= 2);
    assert_int_equal(r->ike_ok, 0);
    assert_int_equal(r->ike_bad, r->ike_checked);
    assert_int_equal(r->reasons[0].err, IKH_ERR_CRYPTO_ICV);
    ikh_capdec_keys_free(k);
    free(r);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static uint8_t buf[1u << 20];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(*len > 24 && *len < sizeof buf);
    return buf;
}

/* Truncated captures: every cut gives IKH_OK or a reader error, and what
 * was read before the cut verifies; corrupted octets give bad items (or
 * skipped/unparsed ones), never a crash (ASan builds run this too). */
static void test_capdec_hostile_capture(void **state)
{
    (void)state;
    char dir[PATH_MAX_], path[PATH_MAX_], cut[PATH_MAX_];
    run_sim("suite-chacha20-curve25519", dir, sizeof dir);
    ikh_capdec_keys *k = load_dir(dir);
    ptu_fmt(path, sizeof path, "%s/capture.pcap", dir);
    size_t len = 0;
    uint8_t *cap = read_all(path, &len);
    uint8_t *copy = malloc(len);
    assert_non_null(copy);
    ikh_capdec_result *r = malloc(sizeof *r);
    assert_non_null(r);
    ptu_path(cut, sizeof cut, "capdec-hostile.pcap");
    char msg[256];
    size_t step = len / 97 + 1;
    for (size_t n = 0; n < len; n += step) {
        ptu_write_file(cut, cap, n);
        ikh_err e = ikh_capdec_check(k, cut, r, msg, sizeof msg);
        assert_true(e == IKH_OK || e == IKH_ERR_PCAP_RECORD ||
                    e == IKH_ERR_PCAP_OPEN);
        /* a record cut short stops the reader: nothing read is bad */
        assert_int_equal(r->ike_bad + r->esp_bad, 0);
    }
    uint64_t bad = 0;
    for (size_t at = 24; at < len; at += 13) {
        memcpy(copy, cap, len);
        copy[at] ^= 0x5a;
        ptu_write_file(cut, copy, len);
        ikh_err e = ikh_capdec_check(k, cut, r, msg, sizeof msg);
        assert_true(e == IKH_OK || e == IKH_ERR_PCAP_RECORD);
        bad += r->ike_bad + r->esp_bad;
    }
    assert_true(bad > 0);
    ikh_capdec_keys_free(k);
    free(copy);
    free(r);
}

typedef struct bad_line {
    bool esp;
    const char *text;
    ikh_err err;
    unsigned line, field;
} bad_line;

#define K16 "00112233445566778899aabbccddeeff"
#define GCM_KEY K16 K16 "01020304" /* AES-256 and its 4-octet salt */
#define CBC_KEY K16
#define SHA_KEY K16 K16

static void test_capdec_key_file_errors(void **state)
{
    (void)state;
    static const bad_line cases[] = {
        {false, "1,2,3\n", IKH_ERR_KEYS_SYNTAX, 1, 0},
        {false,
         "# c\n\n0011223344556677,8899aabbccddeeff," GCM_KEY "," GCM_KEY
         ",20,256,,,0,extra\n",
         IKH_ERR_KEYS_SYNTAX, 3, 0},
        {false,
         "00112233,8899aabbccddeeff," GCM_KEY "," GCM_KEY ",20,256,,,0\n",
         IKH_ERR_KEYS_VALUE, 1, 1},
        {false,
         "0011223344556677,8899aabbccddeeff," GCM_KEY "," GCM_KEY
         "x,20,256,,,0\n",
         IKH_ERR_KEYS_VALUE, 1, 4},
        {false,
         "0011223344556677,8899aabbccddeeff," GCM_KEY "," GCM_KEY
         ",2o,256,,,0\n",
         IKH_ERR_KEYS_VALUE, 1, 5},
        {false,
         "0011223344556677,8899aabbccddeeff," GCM_KEY "," GCM_KEY
         ",20,70000,,,0\n",
         IKH_ERR_KEYS_VALUE, 1, 6},
        {false,
         "0011223344556677,8899aabbccddeeff," GCM_KEY "," GCM_KEY
         ",99,256,,,0\n",
         IKH_ERR_KEYS_TRANSFORM, 1, 5},
        {false,
         "0011223344556677,8899aabbccddeeff," GCM_KEY "," GCM_KEY
         ",20,256,,,12\n",
         IKH_ERR_KEYS_TRANSFORM, 1, 9},
        {false,
         "0011223344556677,8899aabbccddeeff," CBC_KEY "," CBC_KEY
         ",12,128,,,0\n",
         IKH_ERR_KEYS_TRANSFORM, 1, 9},
        {false,
         "0011223344556677,8899aabbccddeeff," K16 "," GCM_KEY ",20,256,,,0\n",
         IKH_ERR_KEYS_KEY_LEN, 1, 3},
        {false,
         "0011223344556677,8899aabbccddeeff," CBC_KEY "," CBC_KEY ",12,128," K16
         "," SHA_KEY ",12\n",
         IKH_ERR_KEYS_KEY_LEN, 1, 7},
        {false,
         "0011223344556677,8899aabbccddeeff," GCM_KEY "," GCM_KEY
         ",20,256,,,0\n0011223344556677,8899aabbccddeeff," GCM_KEY "," GCM_KEY
         ",20,256,,,0\n",
         IKH_ERR_KEYS_DUPLICATE, 2, 1},
        {true, "192.0.2.1,192.0.2.2,0102030,20,256," GCM_KEY ",0,,0\n",
         IKH_ERR_KEYS_VALUE, 1, 3},
        {true, "192.0.2.1,192.0.2.x,01020304,20,256," GCM_KEY ",0,,0\n",
         IKH_ERR_KEYS_VALUE, 1, 2},
        {true, "192.0.2.1,2001:db8::1,01020304,20,256," GCM_KEY ",0,,0\n",
         IKH_ERR_KEYS_VALUE, 1, 2},
        {true, "192.0.2.1,192.0.2.2,01020304,20,256," GCM_KEY ",0,,2\n",
         IKH_ERR_KEYS_VALUE, 1, 9},
        {true, "192.0.2.1,192.0.2.2,01020304,20,128," GCM_KEY ",0,,0\n",
         IKH_ERR_KEYS_KEY_LEN, 1, 6},
        {true, "192.0.2.1,192.0.2.2,01020304,12,128," CBC_KEY ",12," K16 ",0\n",
         IKH_ERR_KEYS_KEY_LEN, 1, 8},
        {true,
         "192.0.2.1,192.0.2.2,01020304,20,256," GCM_KEY
         ",0,,0\n192.0.2.3,192.0.2.2,01020304,20,256," GCM_KEY ",0,,0\n",
         IKH_ERR_KEYS_DUPLICATE, 2, 3},
        {true, "192.0.2.1,192.0.2.2,01020304,20,256,\n", IKH_ERR_KEYS_SYNTAX, 1,
         0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_line *c = &cases[i];
        ikh_capdec_keys *k = NULL;
        assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
        ikh_capdec_diag d;
        ikh_err e =
            c->esp ? ikh_capdec_keys_parse_esp(k, c->text, strlen(c->text), &d)
                   : ikh_capdec_keys_parse_ike(k, c->text, strlen(c->text), &d);
        print_message("case %zu: %s line %u field %u: %s\n", i, ikh_err_name(e),
                      d.line, d.field, d.msg);
        assert_int_equal(e, c->err);
        assert_int_equal(d.err, c->err);
        assert_int_equal(d.line, c->line);
        assert_int_equal(d.field, c->field);
        /* all or nothing */
        size_t n_ike = 9, n_esp = 9;
        ikh_capdec_keys_count(k, &n_ike, &n_esp);
        assert_int_equal(n_ike + n_esp, 0);
        ikh_capdec_keys_free(k);
    }
}

/* A valid text loads; a line over the limit and a NUL octet do not. */
static void test_capdec_key_file_limits(void **state)
{
    (void)state;
    ikh_capdec_keys *k = NULL;
    assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
    static const char ok[] =
        "# src,dst,...\r\n 192.0.2.1 , 192.0.2.2 ,0A0B0C0D,20,256," GCM_KEY
        ",0,,1\r\n2001:db8::1,2001:db8::2,01020304,12,128," CBC_KEY
        ",12," SHA_KEY ",0";
    assert_int_equal(ikh_capdec_keys_parse_esp(k, ok, strlen(ok), NULL),
                     IKH_OK);
    size_t n_esp = 0;
    ikh_capdec_keys_count(k, NULL, &n_esp);
    assert_int_equal(n_esp, 2);
    char *big = malloc(IKH_CAPDEC_LINE_MAX + 10);
    assert_non_null(big);
    memset(big, 'a', IKH_CAPDEC_LINE_MAX + 9);
    big[IKH_CAPDEC_LINE_MAX + 9] = '\n';
    ikh_capdec_diag d;
    assert_int_equal(
        ikh_capdec_keys_parse_ike(k, big, IKH_CAPDEC_LINE_MAX + 10, &d),
        IKH_ERR_KEYS_SYNTAX);
    assert_int_equal(d.line, 1);
    free(big);
    static const char nul[] = "# x\n00\0001\n";
    assert_int_equal(ikh_capdec_keys_parse_ike(k, nul, sizeof nul - 1, &d),
                     IKH_ERR_KEYS_SYNTAX);
    assert_int_equal(d.line, 2);
    assert_int_equal(
        ikh_capdec_keys_load(k, "/nonexistent/ike_keys.csv", false, &d),
        IKH_ERR_IO_OPEN);
    assert_int_equal(d.line, 0);
    /* file size: a file of exactly IKH_CAPDEC_FILE_MAX octets (comment
     * lines) is read whole, one octet more is IO_TOO_BIG */
    char *huge = malloc(IKH_CAPDEC_FILE_MAX + 1);
    assert_non_null(huge);
    memset(huge, '#', IKH_CAPDEC_FILE_MAX + 1);
    for (size_t i = 1000; i < IKH_CAPDEC_FILE_MAX + 1; i += 1000)
        huge[i] = '\n';
    char path[] = "/tmp/ikh-keys-limit-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    ptu_write_file(path, (const uint8_t *)huge, IKH_CAPDEC_FILE_MAX);
    assert_int_equal(ikh_capdec_keys_load(k, path, false, &d), IKH_OK);
    ptu_write_file(path, (const uint8_t *)huge, IKH_CAPDEC_FILE_MAX + 1);
    assert_int_equal(ikh_capdec_keys_load(k, path, false, &d),
                     IKH_ERR_IO_TOO_BIG);
    unlink(path);
    free(huge);
    ikh_capdec_keys_count(k, NULL, &n_esp);
    assert_int_equal(n_esp, 2);
    ikh_capdec_keys_free(k);
    ikh_capdec_keys_free(NULL);
}

/* The writers' output reads back. */
static void test_capdec_write_roundtrip(void **state)
{
    (void)state;
    uint8_t ke[36], ka[32];
    for (size_t i = 0; i < sizeof ke; i++)
        ke[i] = (uint8_t)i;
    memset(ka, 7, sizeof ka);
    ikh_keytab_ike ike[2];
    memset(ike, 0, sizeof ike);
    ike[0].ispi = 0x0102030405060708u;
    ike[0].rspi = 0xf0e0d0c0b0a09080u;
    ike[0].encr_id = IKH_ENCR_CHACHA20_POLY1305;
    ike[0].sk_ei = ike[0].sk_er = ikh_span_of(ke, 36);
    ike[1] = ike[0];
    ike[1].rspi = 1;
    ike[1].encr_id = IKH_ENCR_AES_CBC;
    ike[1].encr_key_bits = 128;
    ike[1].integ_id = IKH_INTEG_HMAC_SHA2_256_128;
    ike[1].sk_ei = ike[1].sk_er = ikh_span_of(ke, 16);
    ike[1].sk_ai = ike[1].sk_ar = ikh_span_of(ka, 32);
    ikh_capdec_esp_sa esp[1];
    memset(esp, 0, sizeof esp);
    esp[0].sa.src = ptu_addr("2001:db8::1");
    esp[0].sa.dst = ptu_addr("2001:db8::2");
    esp[0].sa.spi = 0xc0000001u;
    esp[0].sa.encr_id = IKH_ENCR_CHACHA20_POLY1305;
    esp[0].sa.encr_key = ikh_span_of(ke, 36);
    esp[0].esn = true;
    char ip[PATH_MAX_], ep[PATH_MAX_];
    ptu_path(ip, sizeof ip, "capdec-rt-ike.csv");
    ptu_path(ep, sizeof ep, "capdec-rt-esp.csv");
    assert_int_equal(ikh_capdec_ike_write(ip, ike, 2), IKH_OK);
    assert_int_equal(ikh_capdec_esp_write(ep, esp, 1), IKH_OK);
    ikh_capdec_keys *k = NULL;
    assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
    ikh_capdec_diag d;
    assert_int_equal(ikh_capdec_keys_load(k, ip, false, &d), IKH_OK);
    assert_int_equal(ikh_capdec_keys_load(k, ep, true, &d), IKH_OK);
    size_t n_ike = 0, n_esp = 0;
    ikh_capdec_keys_count(k, &n_ike, &n_esp);
    assert_int_equal(n_ike, 2);
    assert_int_equal(n_esp, 1);
    ikh_capdec_keys_free(k);
    esp[0].sa.dst.family = 0;
    assert_int_equal(ikh_capdec_esp_write(ep, esp, 1), IKH_ERR_ARG_INVALID);
}

/* Run capdec_check; returns its exit status, output in out. */
static int run_check(const char *args, char *out, size_t cap)
{
    const char *exe = getenv("IKH_CAPDEC_CHECK");
    if (exe == NULL)
        fail_msg("IKH_CAPDEC_CHECK must be set (CTest sets it)");
    char cmd[CMD_MAX];
    ptu_fmt(cmd, sizeof cmd, "'%s' %s 2>&1", exe, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    char sink[512];
    while (fread(sink, 1, sizeof sink, p) > 0)
        ;
    int st = pclose(p);
    assert_true(WIFEXITED(st));
    print_message("%s -> %d\n%s", cmd, WEXITSTATUS(st), out);
    return WEXITSTATUS(st);
}

static void test_capdec_check_cli(void **state)
{
    (void)state;
    char dir[PATH_MAX_], args[CMD_MAX], out[OUT_MAX], path[PATH_MAX_];
    run_sim("fragmentation", dir, sizeof dir);
    ptu_fmt(args, sizeof args, "--dir '%s' --negative-control", dir);
    assert_int_equal(run_check(args, out, sizeof out), 0);
    assert_non_null(strstr(out, "own decryption: "));
    assert_non_null(strstr(out, " ok, 0 bad, 0 skipped; ESP: "));
    assert_non_null(strstr(out, "negative control: every previously ok"));
    /* usage and input errors: 2 */
    assert_int_equal(run_check("", out, sizeof out), 2);
    assert_int_equal(run_check("--bogus", out, sizeof out), 2);
    ptu_fmt(args, sizeof args, "--dir '%s/nonexistent'", dir);
    assert_int_equal(run_check(args, out, sizeof out), 2);
    assert_non_null(strstr(out, "IO_OPEN"));
    ptu_path(path, sizeof path, "capdec-bad-keys.csv");
    static const char bad[] = "# header\nnot,a,key,line\n";
    ptu_write_file(path, (const uint8_t *)bad, sizeof bad - 1);
    ptu_fmt(args, sizeof args, "--pcap '%s/capture.pcap' --ike-keys '%s'", dir,
            path);
    assert_int_equal(run_check(args, out, sizeof out), 2);
    assert_non_null(strstr(out, ":2: field 0:"));
    assert_non_null(strstr(out, "KEYS_SYNTAX"));
    /* wrong keys: 1, frames listed */
    char ike[PATH_MAX_], text[8192];
    ptu_fmt(ike, sizeof ike, "%s/ike_keys.csv", dir);
    FILE *f = fopen(ike, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *line = strchr(text, '\n') + 1; /* after the header */
    char *c = strchr(line, ',');
    c = strchr(c + 1, ',') + 1; /* SK_ei */
    *c = *c == 'f' ? 'e' : 'f';
    ptu_write_file(path, (const uint8_t *)text, n);
    ptu_fmt(args, sizeof args, "--pcap '%s/capture.pcap' --ike-keys '%s'", dir,
            path);
    assert_int_equal(run_check(args, out, sizeof out), 1);
    assert_non_null(strstr(out, "  bad: frame "));
    /* a truncated capture is an input error: 2 */
    ptu_fmt(path, sizeof path, "%s/capture.pcap", dir);
    size_t len = 0;
    uint8_t *cap = read_all(path, &len);
    char cut[PATH_MAX_];
    ptu_path(cut, sizeof cut, "capdec-cut.pcap");
    ptu_write_file(cut, cap, len - 5);
    ptu_fmt(args, sizeof args, "--pcap '%s' --ike-keys '%s/ike_keys.csv'", cut,
            dir);
    assert_int_equal(run_check(args, out, sizeof out), 2);
    assert_non_null(strstr(out, "PCAP_RECORD"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capdec_chacha20_ike),
        cmocka_unit_test(test_capdec_aes_gcm_ike),
        cmocka_unit_test(test_capdec_aes_cbc_hmac_ike),
        cmocka_unit_test(test_capdec_xcbc_ike),
        cmocka_unit_test(test_capdec_skf_fragments),
        cmocka_unit_test(test_capdec_esp_suites),
        cmocka_unit_test(test_capdec_esp_natt_esn),
        cmocka_unit_test(test_capdec_wrong_keys_fail),
        cmocka_unit_test(test_capdec_hostile_capture),
        cmocka_unit_test(test_capdec_key_file_errors),
        cmocka_unit_test(test_capdec_key_file_limits),
        cmocka_unit_test(test_capdec_write_roundtrip),
        cmocka_unit_test(test_capdec_check_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
