/* SPDX-License-Identifier: MIT */
/*
 * Captures read from memory: ikh_cap_open_file() over fmemopen() must give
 * the same records as ikh_cap_open() on the path (strongSwan reference
 * captures, pcap and pcapng), its errors must close the stream, and
 * ikh_capdec_check_cap() on such a reader must count what
 * ikh_capdec_check() counts for the file. fuzz_pcap reads its input this
 * way (no file written).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/capdec.h"
#include "ikh/pcap.h"

static const char *src_dir(void)
{
    const char *s = getenv("IKH_SOURCE_DIR");
    return s != NULL ? s : ".";
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    uint8_t *p = malloc((size_t)n);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void same_records(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", src_dir(), rel);
    size_t len;
    uint8_t *buf = slurp(path, &len);
    ikh_cap *a = NULL, *b = NULL;
    assert_int_equal(ikh_cap_open(path, &a, NULL, 0), IKH_OK);
    FILE *mf = fmemopen(buf, len, "rb");
    assert_non_null(mf);
    assert_int_equal(ikh_cap_open_file(mf, rel, &b, NULL, 0), IKH_OK);
    assert_int_equal(ikh_cap_linktype(a), ikh_cap_linktype(b));
    unsigned n = 0, ike = 0;
    for (;;) {
        ikh_frame fa, fb;
        ikh_err ea = ikh_cap_next(a, &fa), eb = ikh_cap_next(b, &fb);
        assert_int_equal(ea, eb);
        if (ea != IKH_OK)
            break;
        n++;
        assert_int_equal(fa.kind, fb.kind);
        assert_int_equal(fa.err, fb.err);
        assert_int_equal(fa.ike.len, fb.ike.len);
        if (fa.kind == IKH_FRAME_IKE) {
            ike++;
            assert_memory_equal(fa.ike.p, fb.ike.p, fa.ike.len);
        }
    }
    assert_true(n > 0);
    assert_true(ike > 0);
    ikh_cap_close(a);
    ikh_cap_close(b);
    free(buf);
}

static void test_memory_same_records(void **state)
{
    (void)state;
    same_records("corpus/pcap/strongswan/psk-ikh-initiator/wire.pcap");
    same_records("corpus/pcap/sll2.pcapng");
    same_records("corpus/pcap/ip_fragments.pcap");
}

static void test_memory_errors(void **state)
{
    (void)state;
    ikh_cap *c = (ikh_cap *)1;
    char eb[256];
    assert_int_equal(ikh_cap_open_file(NULL, "x", &c, eb, sizeof eb),
                     IKH_ERR_ARG_INVALID);
    assert_null(c);
    static char junk[] = "not a capture at all, just text";
    FILE *mf = fmemopen(junk, sizeof junk - 1, "rb");
    assert_non_null(mf);
    /* taken over: closed by the call on this error (ASan's leak check) */
    assert_int_equal(ikh_cap_open_file(mf, NULL, NULL, NULL, 0),
                     IKH_ERR_ARG_INVALID);
    mf = fmemopen(junk, sizeof junk - 1, "rb");
    assert_non_null(mf);
    assert_int_equal(ikh_cap_open_file(mf, NULL, &c, eb, sizeof eb),
                     IKH_ERR_PCAP_OPEN);
    assert_null(c);
    assert_non_null(strstr(eb, "(stream): "));
    /* an empty stream is PCAP_OPEN as an empty file is */
    mf = fmemopen(junk, 1, "rb");
    assert_non_null(mf);
    assert_int_equal(fgetc(mf), 'n');
    assert_int_equal(ikh_cap_open_file(mf, "e", &c, NULL, 0),
                     IKH_ERR_PCAP_OPEN);
}

static void test_memory_capdec(void **state)
{
    (void)state;
    static const char *const cases[] = {"psk-ikh-initiator",
                                        "suite-aes128-sha1-modp3072-ikh-init",
                                        "frag-sig-charon-init"};
    ikh_capdec_result *r1 = malloc(sizeof *r1), *r2 = malloc(sizeof *r2);
    assert_non_null(r1);
    assert_non_null(r2);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[4096], path[4200];
        snprintf(dir, sizeof dir, "%s/corpus/pcap/strongswan/%s", src_dir(),
                 cases[i]);
        ikh_capdec_keys *k = NULL;
        assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
        snprintf(path, sizeof path, "%s/ike_keys.csv", dir);
        assert_int_equal(ikh_capdec_keys_load(k, path, false, NULL), IKH_OK);
        snprintf(path, sizeof path, "%s/esp_keys.csv", dir);
        assert_int_equal(ikh_capdec_keys_load(k, path, true, NULL), IKH_OK);
        snprintf(path, sizeof path, "%s/wire.pcap", dir);
        assert_int_equal(ikh_capdec_check(k, path, r1, NULL, 0), IKH_OK);
        size_t len;
        uint8_t *buf = slurp(path, &len);
        FILE *mf = fmemopen(buf, len, "rb");
        ikh_cap *c = NULL;
        assert_int_equal(ikh_cap_open_file(mf, NULL, &c, NULL, 0), IKH_OK);
        assert_int_equal(ikh_capdec_check_cap(k, c, r2, NULL, 0), IKH_OK);
        ikh_cap_close(c);
        free(buf);
        assert_true(r1->ike_ok > 0);
        assert_int_equal(r1->ike_ok, r2->ike_ok);
        assert_int_equal(r1->ike_bad, r2->ike_bad);
        assert_int_equal(r1->esp_ok, r2->esp_ok);
        assert_int_equal(r1->frames, r2->frames);
        ikh_capdec_keys_free(k);
    }
    assert_int_equal(ikh_capdec_check_cap(NULL, NULL, r2, NULL, 0),
                     IKH_ERR_ARG_INVALID);
    free(r1);
    free(r2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_same_records),
        cmocka_unit_test(test_memory_errors),
        cmocka_unit_test(test_memory_capdec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
