/* SPDX-License-Identifier: MIT */
/*
 * --against-stack (replay_stack.h): the IKE_SA_INIT requests of the
 * strongSwan reference captures are answered by an ikeharness responder
 * and every answer accepts (RFC 7296 §1.2: SA, KE, Nr) and passes every
 * MUST rule; a request offering only a group the stack lacks (MODP-768,
 * group 1) gets NO_PROPOSAL_CHOSEN (§2.7), judged as well; bad input gives
 * its error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ikh/iana.h"
#include "ikh/replay_stack.h"
#include "ikh/wire.h"
#include "pcap_test_util.h"

static ikh_replay *against(const char *path, ikh_replay_stack_stats *st)
{
    ikh_cap *cap = NULL;
    ikh_replay *r = NULL;
    char eb[256];
    assert_int_equal(ikh_cap_open(path, &cap, eb, sizeof eb), IKH_OK);
    assert_int_equal(ikh_replay_new(NULL, &r), IKH_OK);
    assert_int_equal(ikh_replay_against_stack(cap, r, st, eb, sizeof eb),
                     IKH_OK);
    ikh_cap_close(cap);
    assert_int_equal(ikh_replay_finish(r), IKH_OK);
    return r;
}

/* MUST violations; @p ours_only: in our answers (even frames) only */
static uint64_t must_fails(const ikh_replay *r, bool ours_only)
{
    size_t n = 0;
    const ikh_replay_violation *v = ikh_replay_violations(r, &n);
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (ikh_replay_rule(v[i].rule)->level == IKH_LEVEL_MUST &&
            (!ours_only || v[i].frame % 2 == 0))
            k++;
    if (k)
        ptu_replay_dump_fails(r);
    return k;
}

static void test_stack_strongswan(void **state)
{
    (void)state;
    for (size_t i = 0; i < ptu_ss_n_cases; i++) {
        char p[1024];
        ptu_ss_path(p, sizeof p, ptu_ss_cases[i], "wire.pcap");
        ikh_replay_stack_stats st;
        ikh_replay *r = against(p, &st);
        print_message("%s: %llu requests, %llu answered, %llu accepted, "
                      "%llu refused\n",
                      ptu_ss_cases[i], (unsigned long long)st.requests,
                      (unsigned long long)st.answered,
                      (unsigned long long)st.accepted,
                      (unsigned long long)st.refused);
        assert_true(st.requests >= 1);
        assert_int_equal(st.answered, st.requests);
        assert_int_equal(st.unparsed, 0);
        /* every suite of these captures is one the stack offers */
        assert_int_equal(st.accepted, st.requests);
        assert_int_equal(must_fails(r, false), 0);
        ikh_replay_free(r);
    }
}

/* A strongSwan request rewritten to offer only MODP-768 (group 1). */
static void test_stack_no_proposal(void **state)
{
    (void)state;
    const char *src = getenv("IKH_SOURCE_DIR");
    char p[1024], out[1024];
    ptu_fmt(p, sizeof p,
            "%s/corpus/pcap/strongswan/psk-ikh-initiator/wire.pcap", src);
    ikh_cap *cap = NULL;
    char eb[256];
    assert_int_equal(ikh_cap_open(p, &cap, eb, sizeof eb), IKH_OK);
    static ikh_msg m;
    static uint8_t buf[4096];
    size_t len = 0;
    ikh_frame fr;
    bool found = false;
    while (!found && ikh_cap_next(cap, &fr) == IKH_OK) {
        if (fr.kind != IKH_FRAME_IKE)
            continue;
        assert_int_equal(ikh_wire_msg_parse(&m, fr.ike.p, fr.ike.len, NULL),
                         IKH_OK);
        if (m.hdr.exch != IKH_EXCH_IKE_SA_INIT ||
            (m.hdr.flags & IKH_HDR_F_RESPONSE))
            continue;
        for (size_t i = 0; i < m.n_xf; i++)
            if (m.xf[i].type == IKH_XF_KE)
                m.xf[i].id = 1;
        for (size_t i = 0; i < m.n_pl; i++)
            if (m.pl[i].type == IKH_PL_KE)
                m.pl[i].u.ke.group = 1;
        assert_int_equal(ikh_wire_msg_serialize(&m, buf, sizeof buf, &len),
                         IKH_OK);
        found = true;
    }
    ikh_addr a = fr.src, b = fr.dst;
    ikh_cap_close(cap);
    assert_true(found);
    ptu_path(out, sizeof out, "stack-modp768.pcap");
    ikh_capw *w = NULL;
    assert_int_equal(ikh_capw_open(out, IKH_LINK_RAW, &w), IKH_OK);
    assert_int_equal(
        ikh_capw_udp(w, 1000000, &a, 500, &b, 500, ikh_span_of(buf, len)),
        IKH_OK);
    assert_int_equal(ikh_capw_close(w), IKH_OK);
    ikh_replay_stack_stats st;
    ikh_replay *r = against(out, &st);
    assert_int_equal(st.requests, 1);
    assert_int_equal(st.answered, 1);
    assert_int_equal(st.refused, 1);
    /* the rewritten request keeps its 32-octet X25519 value, which the
     * rules rightly flag (§3.4: MODP-768 needs 96); our answer is clean */
    assert_int_equal(ikh_replay_count(r, IKH_RULE_KE_LEN, IKH_VERDICT_FAIL), 1);
    assert_int_equal(must_fails(r, true), 0);
    size_t n = 0;
    const ikh_replay_item *it = ikh_replay_items(r, &n);
    assert_int_equal(n, 2);
    assert_int_equal(it[1].frame, 2);
    assert_true((it[1].flags & IKH_HDR_F_RESPONSE) != 0);
    ikh_replay_free(r);
}

static void test_stack_bad_input(void **state)
{
    (void)state;
    ikh_replay_stack_stats st;
    ikh_replay *r = NULL;
    assert_int_equal(ikh_replay_new(NULL, &r), IKH_OK);
    assert_int_equal(ikh_replay_against_stack(NULL, r, &st, NULL, 0),
                     IKH_ERR_ARG_INVALID);
    ikh_replay_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stack_strongswan),
        cmocka_unit_test(test_stack_no_proposal),
        cmocka_unit_test(test_stack_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
