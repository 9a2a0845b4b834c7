/* SPDX-License-Identifier: MIT */
/*
 * Fuzz seeds from captures (replay_corpus.h), on the strongSwan reference
 * captures (corpus/pcap/strongswan/<case>/): every IKE message is written
 * once by content; with the keys every Encrypted message also comes out in
 * the clear, parses whole and carries no SK/SKF payload (RFC 7296 §3.14);
 * fragments (RFC 7383) come out once, joined; a second extraction adds
 * nothing; damaged input gives its error.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "ikh/iana.h"
#include "ikh/replay_corpus.h"
#include "ikh/wire.h"
#include "pcap_test_util.h"

/* An empty folder under the test's temporary directory. */
static void fresh_dir(char *buf, size_t cap, const char *name)
{
    char p[1024];
    ptu_path(p, sizeof p, name);
    ptu_fmt(buf, cap, "%s", p);
    DIR *d = opendir(buf);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char f[2048];
            ptu_fmt(f, sizeof f, "%s/%s", buf, e->d_name);
            remove(f);
        }
        closedir(d);
    }
}

/* Files in @p dir; *plain counts those after IKE_SA_INIT that parse with
 * no SK/SKF payload (an empty INFORMATIONAL has no payload at all). */
static size_t scan(const char *dir, size_t *plain)
{
    static ikh_msg m;
    static uint8_t b[70000];
    size_t n = 0;
    *plain = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char f[2048];
        ptu_fmt(f, sizeof f, "%s/%s", dir, e->d_name);
        FILE *fp = fopen(f, "rb");
        assert_non_null(fp);
        size_t len = fread(b, 1, sizeof b, fp);
        fclose(fp);
        n++;
        if (ikh_wire_msg_parse(&m, b, len, NULL) != IKH_OK)
            continue;
        bool sk = false;
        for (size_t i = 0; i < m.n_pl; i++)
            sk = sk || m.pl[i].type == IKH_PL_SK || m.pl[i].type == IKH_PL_SKF;
        if (!sk && (m.hdr.exch != IKH_EXCH_IKE_SA_INIT))
            (*plain)++;
    }
    closedir(d);
    return n;
}

static void run_case(const char *c, bool fragments)
{
    char pcap[1024], dir[1024];
    ptu_ss_path(pcap, sizeof pcap, c, "wire.pcap");
    fresh_dir(dir, sizeof dir, c);
    ikh_capdec_keys *k = ptu_ss_keys(c);
    ikh_replay_extract_stats st;
    char eb[256];
    assert_int_equal(ikh_replay_extract(pcap, k, dir, &st, eb, sizeof eb),
                     IKH_OK);
    print_message(
        "%s: %llu messages, %llu opened, %llu written, %llu "
        "duplicates, %llu bad\n",
        c, (unsigned long long)st.messages, (unsigned long long)st.decrypted,
        (unsigned long long)st.written, (unsigned long long)st.duplicates,
        (unsigned long long)st.bad);
    assert_true(st.messages >= 4);
    assert_true(st.decrypted >= 2);
    assert_int_equal(st.bad, 0);
    assert_int_equal(st.written + st.duplicates, st.messages + st.decrypted);
    size_t plain = 0;
    assert_int_equal(scan(dir, &plain), st.written);
    /* every opened message has its plaintext form on disk (fragmented
     * ones once, joined, under the header of the last fragment) */
    assert_true(plain >= (size_t)st.decrypted - st.duplicates);
    if (fragments)
        assert_true(st.decrypted < st.messages);
    /* the same capture again: nothing new */
    ikh_replay_extract_stats st2;
    assert_int_equal(ikh_replay_extract(pcap, k, dir, &st2, eb, sizeof eb),
                     IKH_OK);
    assert_int_equal(st2.written, 0);
    assert_int_equal(st2.duplicates, st.written + st.duplicates);
    ikh_capdec_keys_free(k);
}

static void test_corpus_strongswan(void **state)
{
    (void)state;
    run_case("psk-ikh-initiator", false);
    run_case("rekey-ike-charon", false);
    run_case("suite-chacha20poly1305-x25519-ikh-init", false);
    run_case("frag-sig-charon-init", true);
}

static void test_corpus_no_keys(void **state)
{
    (void)state;
    char pcap[1024], dir[1024];
    ptu_ss_path(pcap, sizeof pcap, "psk-ikh-initiator", "wire.pcap");
    fresh_dir(dir, sizeof dir, "nokeys");
    ikh_replay_extract_stats st;
    assert_int_equal(ikh_replay_extract(pcap, NULL, dir, &st, NULL, 0), IKH_OK);
    assert_int_equal(st.decrypted, 0);
    size_t plain = 0;
    assert_int_equal(scan(dir, &plain), st.written);
    assert_int_equal(plain, 0);
    assert_int_equal(st.written + st.duplicates, st.messages);
}

static void test_corpus_bad_input(void **state)
{
    (void)state;
    char dir[1024], bad[1024];
    ikh_replay_extract_stats st;
    char eb[256];
    fresh_dir(dir, sizeof dir, "bad");
    ptu_path(bad, sizeof bad, "not-a-capture.pcap");
    FILE *f = fopen(bad, "wb");
    assert_non_null(f);
    fputs("this is not a capture file at all", f);
    fclose(f);
    ikh_err e = ikh_replay_extract(bad, NULL, dir, &st, eb, sizeof eb);
    assert_int_equal(e, IKH_ERR_PCAP_OPEN);
    ptu_path(bad, sizeof bad, "no-such-file.pcap");
    assert_int_equal(ikh_replay_extract(bad, NULL, dir, &st, eb, sizeof eb),
                     IKH_ERR_IO_OPEN);
    char pcap[1024];
    ptu_ss_path(pcap, sizeof pcap, "psk-ikh-initiator", "wire.pcap");
    assert_int_equal(ikh_replay_extract(pcap, NULL, "/nonexistent/dir/x", &st,
                                        eb, sizeof eb),
                     IKH_ERR_IO_OPEN);
    assert_true(strstr(eb, "/nonexistent/dir/x") != NULL);
    assert_int_equal(ikh_replay_extract(NULL, NULL, dir, &st, NULL, 0),
                     IKH_ERR_ARG_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_strongswan),
        cmocka_unit_test(test_corpus_no_keys),
        cmocka_unit_test(test_corpus_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
