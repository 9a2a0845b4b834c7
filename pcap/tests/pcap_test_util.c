/* SPDX-License-Identifier: MIT */
/* Helpers shared by the pcap tests (see pcap_test_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_test_util.h"

void ptu_path(char *buf, size_t len, const char *name)
{
    const char *dir = getenv("IKH_TEST_TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        fail_msg("IKH_TEST_TMPDIR is not set (run through ctest)");
    int n = snprintf(buf, len, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < len);
}

void ptu_ike(uint8_t out[PTU_IKE_LEN], uint8_t exch, uint32_t mid)
{
    ikh_wr w = ikh_wr_init(out, PTU_IKE_LEN);
    ikh_wr_u64(&w, 0x0102030405060708u); /* IKE SA Initiator's SPI */
    ikh_wr_u64(&w, 0);                   /* IKE SA Responder's SPI */
    ikh_wr_u8(&w, 0);                    /* Next Payload: none */
    ikh_wr_u8(&w, 0x20);                 /* version 2.0 */
    ikh_wr_u8(&w, exch);
    ikh_wr_u8(&w, 0x08); /* Initiator */
    ikh_wr_u32(&w, mid);
    ikh_wr_u32(&w, PTU_IKE_LEN);
    assert_int_equal(ikh_wr_error(&w), IKH_OK);
}

ikh_addr ptu_addr(const char *s)
{
    ikh_addr a;
    assert_int_equal(ikh_addr_parse(s, &a), IKH_OK);
    return a;
}

static void ptu_link(ikh_wr *w, const ptu_frame_spec *sp)
{
    uint16_t etype = sp->ipver == 6 ? 0x86DD : 0x0800;
    switch (sp->linktype) {
    case IKH_LINK_ETHERNET:
        for (unsigned i = 0; i < 12; i++)
            ikh_wr_u8(w, (uint8_t)(0xA0 + i));
        for (unsigned i = 0; i < sp->vlan_tags; i++) {
            ikh_wr_u16(w, 0x8100);
            ikh_wr_u16(w, (uint16_t)(100 + i));
        }
        ikh_wr_u16(w, etype);
        break;
    case IKH_LINK_NULL:
    case IKH_LINK_LOOP:
        ikh_wr_u32(w, sp->ipver == 6 ? 30 : 2);
        break;
    case IKH_LINK_LINUX_SLL:
        ikh_wr_u16(w, 4);
        ikh_wr_u16(w, 1);
        ikh_wr_u16(w, 6);
        ikh_wr_u64(w, 0x0203040506070000u);
        ikh_wr_u16(w, etype);
        break;
    case IKH_LINK_LINUX_SLL2:
        ikh_wr_u16(w, etype);
        ikh_wr_u16(w, 0);
        ikh_wr_u32(w, 3);
        ikh_wr_u16(w, 1);
        ikh_wr_u8(w, 4);
        ikh_wr_u8(w, 6);
        ikh_wr_u64(w, 0x0203040506070000u);
        break;
    default:
        break;
    }
}

size_t ptu_frame(const ptu_frame_spec *sp, uint8_t *buf, size_t cap,
                 size_t *ip_at, size_t *udp_at)
{
    ikh_wr w = ikh_wr_init(buf, cap);
    ptu_link(&w, sp);
    if (ip_at != NULL)
        *ip_at = w.len;
    bool udp = sp->ip_proto == 17;
    size_t upper = (udp ? 8u : 0u) + sp->pay_len;
    if (sp->ipver == 6) {
        ikh_wr_u32(&w, 0x60000000u);
        ikh_wr_u16(&w, (uint16_t)(upper + sp->ext_len));
        ikh_wr_u8(&w, sp->ext_len ? sp->ext_first : sp->ip_proto);
        ikh_wr_u8(&w, 64);
        ikh_wr_u64(&w, 0x20010db800000000u);
        ikh_wr_u64(&w, 1);
        ikh_wr_u64(&w, 0x20010db800000000u);
        ikh_wr_u64(&w, 2);
        ikh_wr_span(&w, ikh_span_of(sp->ext, sp->ext_len));
    } else {
        ikh_wr_u16(&w, 0x4500);
        ikh_wr_u16(&w, (uint16_t)(20 + upper));
        ikh_wr_u32(&w, 0); /* ID, flags, offset */
        ikh_wr_u8(&w, 64);
        ikh_wr_u8(&w, sp->ip_proto);
        ikh_wr_u16(&w, 0xBEEF);      /* checksum: deliberately wrong */
        ikh_wr_u32(&w, 0xC0000201u); /* 192.0.2.1 */
        ikh_wr_u32(&w, 0xC0000202u); /* 192.0.2.2 */
    }
    if (udp_at != NULL)
        *udp_at = w.len;
    if (udp) {
        ikh_wr_u16(&w, sp->sport);
        ikh_wr_u16(&w, sp->dport);
        ikh_wr_u16(&w, (uint16_t)upper);
        ikh_wr_u16(&w, 0);
    }
    ikh_wr_span(&w, ikh_span_of(sp->pay, sp->pay_len));
    assert_int_equal(ikh_wr_error(&w), IKH_OK);
    return w.len;
}

void ptu_write_file(const char *path, const uint8_t *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len > 0)
        assert_int_equal(fwrite(p, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

const char *ptu_tool(const char *env, const char *dflt)
{
    const char *t = getenv(env);
    if (t != NULL && strstr(t, "NOTFOUND") != NULL)
        fail_msg("%s was not found at configure time: install it "
                 "(ci/deps.sh); this test never skips",
                 dflt);
    return t != NULL && t[0] != '\0' ? t : dflt;
}

void ptu_fmt(char *buf, size_t cap, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(buf, cap, f, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap)
        fail_msg("command line too long");
}

void ptu_check_quotable(const char *s)
{
    if (strchr(s, '\'') != NULL)
        fail_msg("path with a quote: %s", s);
}

void ptu_run(const char *cmd, char *out, size_t cap)
{
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        fail_msg("popen failed: %s", cmd);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    char sink[512];
    while (fread(sink, 1, sizeof sink, p) > 0) /* drain: no SIGPIPE */
        ;
    int st = pclose(p);
    if (st != 0)
        fail_msg("`%s` exited with status %d (is it installed?)", cmd, st);
}

void ptu_replay_dump_fails(const ikh_replay *r)
{
    size_t n = 0;
    const ikh_replay_violation *v = ikh_replay_violations(r, &n);
    for (size_t i = 0; i < n; i++)
        print_message("  frame %llu %s: %s\n", (unsigned long long)v[i].frame,
                      ikh_replay_rule(v[i].rule)->id, v[i].detail);
}

const char *const ptu_ss_cases[] = {
    "cookie",
    "frag-sig-charon-init",
    "invalid-ke-retry",
    "ipv6-outer",
    "psk-charon-initiator",
    "psk-ikh-initiator",
    "rekey-ike-charon",
    "suite-aes128-sha1-modp3072-ikh-init",
    "suite-aes256-sha384-ecp384-charon-init",
    "suite-chacha20poly1305-x25519-ikh-init",
};
const size_t ptu_ss_n_cases = sizeof ptu_ss_cases / sizeof ptu_ss_cases[0];

void ptu_ss_path(char *buf, size_t cap, const char *c, const char *file)
{
    const char *src = getenv("IKH_SOURCE_DIR");
    if (src == NULL)
        fail_msg("IKH_SOURCE_DIR is not set (run through ctest)");
    ptu_fmt(buf, cap, "%s/corpus/pcap/strongswan/%s/%s", src, c, file);
}

ikh_capdec_keys *ptu_ss_keys(const char *c)
{
    char p[1024];
    ikh_capdec_keys *k = NULL;
    assert_int_equal(ikh_capdec_keys_new(&k), IKH_OK);
    ptu_ss_path(p, sizeof p, c, "ike_keys.csv");
    assert_int_equal(ikh_capdec_keys_load(k, p, false, NULL), IKH_OK);
    ptu_ss_path(p, sizeof p, c, "esp_keys.csv");
    assert_int_equal(ikh_capdec_keys_load(k, p, true, NULL), IKH_OK);
    return k;
}
