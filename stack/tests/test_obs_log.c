/* SPDX-License-Identifier: MIT */
/*
 * The JSON Lines logger (ikh/log.h): exact lines and key order, the SA
 * context, level filtering and NULL builders, escaping, redaction of key
 * material, truncation at every line length (each line valid JSON, checked
 * with Python's json module), misuse counting and the event table.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "testlib.h"
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikh/log.h"
#include "ikh/metrics.h"

/* ---- helpers: temp files and python ------------------------------------ */

/* ---- a capturing hook --------------------------------------------------- */

#define CAP_ALL (4u << 20)

typedef struct capture {
    char last[IKH_LOG_LINE_MAX + 1];
    size_t last_len;
    ikh_level last_lvl;
    unsigned calls;
    char *all; /* every line + '\n' when not NULL */
    size_t all_len;
} capture;

static void capture_fn(void *user, ikh_level lvl, const char *line, size_t len)
{
    capture *c = user;
    assert_true(len < IKH_LOG_LINE_MAX);
    assert_int_equal(line[len], '\0');
    assert_int_equal(strlen(line), len);
    memcpy(c->last, line, len + 1);
    c->last_len = len;
    c->last_lvl = lvl;
    c->calls++;
    if (c->all != NULL) {
        assert_true(c->all_len + len + 1 <= CAP_ALL);
        memcpy(c->all + c->all_len, line, len);
        c->all_len += len;
        c->all[c->all_len++] = '\n';
    }
}

typedef struct fixture {
    ikh_log lg;
    capture cap;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL ||
        ikh_log_init(&f->lg, capture_fn, &f->cap, IKH_LVL_DEBUG, "a") != IKH_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->cap.all);
    free(f);
    return 0;
}

static ikh_log_stats stats_of(const ikh_log *lg)
{
    ikh_log_stats s;
    ikh_log_stats_get(lg, &s);
    return s;
}

/* ---- tests -------------------------------------------------------------- */

static void test_log_fixed_key_order(void **state)
{
    fixture *f = *state;
    ikh_log_ev *ev =
        ikh_log_begin(&f->lg, IKH_LVL_WARN, IKH_EV_WIRE_PARSE_ERROR, 1200);
    assert_non_null(ev);
    ikh_log_u64(ev, "code", IKH_ERR_WIRE_PL_LEN_OVERRUN);
    ikh_log_err(ev, "error", IKH_ERR_WIRE_PL_LEN_OVERRUN);
    ikh_log_u64(ev, "offset", 40);
    ikh_log_u64(ev, "payload", 34);
    assert_int_equal(ikh_log_end(ev), IKH_OK);
    assert_int_equal(f->cap.calls, 1);
    assert_int_equal(f->cap.last_lvl, IKH_LVL_WARN);
    assert_string_equal(
        f->cap.last,
        "{\"t\":1200,\"lvl\":\"warn\",\"ev\":\"wire.parse.error\",\"node\":"
        "\"a\","
        "\"code\":210,\"error\":\"WIRE_PL_LEN_OVERRUN\",\"offset\":40,"
        "\"payload\":34}");
    ikh_log_stats s = stats_of(&f->lg);
    assert_int_equal(s.lines, 1);
    assert_int_equal(s.misuse, 0);
    assert_int_equal(s.truncated, 0);
}

static void test_log_sa_context(void **state)
{
    fixture *f = *state;
    ikh_log_ev *ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_DECODE_MSG, 0);
    ikh_log_sa(ev, 0x5f1c0a9e3b7d2201u, 0, 1, "IKE_AUTH");
    ikh_log_u64(ev, "frame", 3);
    ikh_log_u64(ev, "len", 320);
    ikh_log_u64(ev, "payloads", 6);
    assert_int_equal(ikh_log_end(ev), IKH_OK);
    assert_string_equal(
        f->cap.last,
        "{\"t\":0,\"lvl\":\"info\",\"ev\":\"decode.msg\",\"node\":\"a\","
        "\"ispi\":\"5f1c0a9e3b7d2201\",\"rspi\":\"0000000000000000\","
        "\"mid\":1,\"exch\":\"IKE_AUTH\",\"frame\":3,\"len\":320,"
        "\"payloads\":6}");

    /* no exchange name: no "exch"; maximum values */
    ev = ikh_log_begin(&f->lg, IKH_LVL_DEBUG, IKH_EV_IKE_MSG_RX, UINT64_MAX);
    ikh_log_sa(ev, UINT64_MAX, 1, UINT32_MAX, NULL);
    assert_int_equal(ikh_log_end(ev), IKH_OK);
    assert_string_equal(
        f->cap.last,
        "{\"t\":18446744073709551615,\"lvl\":\"debug\",\"ev\":\"ike.msg.rx\","
        "\"node\":\"a\",\"ispi\":\"ffffffffffffffff\","
        "\"rspi\":\"0000000000000001\",\"mid\":4294967295}");
    assert_int_equal(stats_of(&f->lg).misuse, 0);
}

static void test_log_all_field_types(void **state)
{
    fixture *f = *state;
    /* run.end declares verdict,messages,errors: use each type once in order
     * through a custom mix; misuse is checked separately */
    ikh_log_ev *ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_END, 5);
    ikh_log_str(ev, "verdict", "pass");
    ikh_log_i64(ev, "messages", -3);
    ikh_log_bool(ev, "errors", false);
    assert_int_equal(ikh_log_end(ev), IKH_OK);
    assert_string_equal(
        f->cap.last,
        "{\"t\":5,\"lvl\":\"info\",\"ev\":\"run.end\",\"node\":\"a\","
        "\"verdict\":\"pass\",\"messages\":-3,\"errors\":false}");

    static const uint8_t spi[] = {0xde, 0xad, 0xbe, 0xef};
    ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_START, 6);
    ikh_log_hex(ev, "command", ikh_span_of(spi, sizeof spi));
    ikh_log_str(ev, "version", NULL);
    assert_int_equal(ikh_log_end(ev), IKH_OK);
    assert_string_equal(
        f->cap.last,
        "{\"t\":6,\"lvl\":\"info\",\"ev\":\"run.start\",\"node\":\"a\","
        "\"command\":\"deadbeef\",\"version\":null}");
    assert_int_equal(stats_of(&f->lg).misuse, 0);
}

static void test_log_escaping(void **state)
{
    fixture *f = *state;
    ikh_log lg;
    assert_int_equal(
        ikh_log_init(&lg, capture_fn, &f->cap, IKH_LVL_INFO, "n\"\n"), IKH_OK);
    ikh_log_ev *ev = ikh_log_begin(&lg, IKH_LVL_INFO, IKH_EV_RUN_START, 1);
    ikh_log_str(ev, "command", "decode \"x\\y\"\t\x01");
    ikh_log_str(ev, "version", "\xc2\xa7\xff");
    (void)ikh_log_end(ev);
    assert_string_equal(f->cap.last,
                        "{\"t\":1,\"lvl\":\"info\",\"ev\":\"run.start\","
                        "\"node\":\"n\\\"\\u000a\","
                        "\"command\":\"decode \\\"x\\\\y\\\"\\u0009\\u0001\","
                        "\"version\":\"\\u00a7\\u00ff\"}");
}

static void test_log_level_filter(void **state)
{
    fixture *f = *state;
    assert_true(ikh_log_enabled(&f->lg, IKH_LVL_ERROR));
    assert_true(ikh_log_enabled(&f->lg, IKH_LVL_DEBUG));
    assert_false(ikh_log_enabled(&f->lg, IKH_LVL_TRACE));
    assert_false(ikh_log_enabled(NULL, IKH_LVL_ERROR));

    ikh_log_ev *ev = ikh_log_begin(&f->lg, IKH_LVL_TRACE, IKH_EV_IKE_MSG_TX, 1);
    assert_null(ev);
    /* every helper takes NULL */
    ikh_log_sa(ev, 1, 2, 3, "IKE_AUTH");
    ikh_log_u64(ev, "len", 1);
    ikh_log_i64(ev, "len", -1);
    ikh_log_str(ev, "len", "x");
    ikh_log_hex(ev, "len", ikh_span_of(NULL, 0));
    ikh_log_bool(ev, "len", true);
    ikh_log_err(ev, "len", IKH_OK);
    assert_int_equal(ikh_log_end(ev), IKH_OK);
    assert_int_equal(f->cap.calls, 0);
    ikh_log_stats s = stats_of(&f->lg);
    assert_int_equal(s.filtered, 1);
    assert_int_equal(s.lines, 0);
    assert_int_equal(s.misuse, 0);

    /* a NULL logger and a logger without a hook log nothing */
    assert_null(ikh_log_begin(NULL, IKH_LVL_ERROR, IKH_EV_RUN_START, 0));
    ikh_log quiet;
    assert_int_equal(ikh_log_init(&quiet, NULL, NULL, IKH_LVL_TRACE, NULL),
                     IKH_OK);
    assert_null(ikh_log_begin(&quiet, IKH_LVL_ERROR, IKH_EV_RUN_START, 0));
    assert_false(ikh_log_enabled(&quiet, IKH_LVL_ERROR));
    ikh_log_stats_get(NULL, &s);
    assert_int_equal(s.lines + s.filtered + s.truncated + s.misuse, 0);
}

static void test_log_init_errors(void **state)
{
    fixture *f = *state;
    ikh_log lg;
    char node[IKH_LOG_NODE_MAX + 2];
    memset(node, 'n', sizeof node - 1);
    node[sizeof node - 1] = '\0';
    assert_int_equal(ikh_log_init(NULL, capture_fn, NULL, IKH_LVL_INFO, "a"),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_log_init(&lg, capture_fn, &f->cap, IKH_LVL_INFO, node),
                     IKH_ERR_ARG_RANGE);
    /* still usable, with node "" */
    ikh_log_ev *ev = ikh_log_begin(&lg, IKH_LVL_INFO, IKH_EV_RUN_START, 0);
    assert_non_null(ev);
    (void)ikh_log_end(ev);
    assert_string_equal(
        f->cap.last,
        "{\"t\":0,\"lvl\":\"info\",\"ev\":\"run.start\",\"node\":\"\"}");
    node[IKH_LOG_NODE_MAX] = '\0'; /* exactly the limit is fine */
    assert_int_equal(ikh_log_init(&lg, capture_fn, &f->cap, IKH_LVL_INFO, node),
                     IKH_OK);
    assert_int_equal(ikh_log_init(&lg, capture_fn, &f->cap, (ikh_level)7, "a"),
                     IKH_ERR_ARG_INVALID);
    assert_null(ikh_log_begin(&lg, IKH_LVL_ERROR, IKH_EV_RUN_START, 0));
}

static bool line_has(const char *line, const char *needle)
{
    return strstr(line, needle) != NULL;
}

static void test_log_hex_redacts_key_material(void **state)
{
    fixture *f = *state;
    static const uint8_t key[] = {0x11, 0x22, 0x33, 0x44,
                                  0x55, 0x66, 0x77, 0x88};
    static const char *const secret_keys[] = {
        "key",  "key_ei", "keymat",   "KEY", "sk_ei",      "SK_ar",
        "sk_d", "secret", "secret_x", "psk", "private_key"};
    for (size_t i = 0; i < sizeof secret_keys / sizeof secret_keys[0]; i++) {
        ikh_log_ev *ev =
            ikh_log_begin(&f->lg, IKH_LVL_DEBUG, IKH_EV_IKE_MSG_TX, 0);
        ikh_log_hex(ev, secret_keys[i], ikh_span_of(key, sizeof key));
        (void)ikh_log_end(ev);
        if (line_has(f->cap.last, "1122") || line_has(f->cap.last, "8877") ||
            !line_has(f->cap.last, "\"<redacted>\""))
            fail_msg("key %s not redacted: %s", secret_keys[i], f->cap.last);
        char want[96];
        snprintf(want, sizeof want, "\"%s\":\"<redacted>\",\"%s_len\":8}",
                 secret_keys[i], secret_keys[i]);
        if (!line_has(f->cap.last, want))
            fail_msg("key %s: want %s in %s", secret_keys[i], want,
                     f->cap.last);
    }
    /* identifiers are written */
    static const char *const id_keys[] = {"spi", "cookie",   "ispi_raw",
                                          "ke",  "nonce_id", "ask"};
    for (size_t i = 0; i < sizeof id_keys / sizeof id_keys[0]; i++) {
        ikh_log_ev *ev =
            ikh_log_begin(&f->lg, IKH_LVL_DEBUG, IKH_EV_IKE_MSG_TX, 0);
        ikh_log_hex(ev, id_keys[i], ikh_span_of(key, sizeof key));
        (void)ikh_log_end(ev);
        if (!line_has(f->cap.last, "\"1122334455667788\""))
            fail_msg("identifier %s redacted: %s", id_keys[i], f->cap.last);
    }
    /* a very long secret key name still gets a length companion */
    ikh_log_ev *ev = ikh_log_begin(&f->lg, IKH_LVL_DEBUG, IKH_EV_IKE_MSG_TX, 0);
    ikh_log_hex(ev, "secret_with_a_name_far_longer_than_the_companion_buffer",
                ikh_span_of(key, sizeof key));
    (void)ikh_log_end(ev);
    assert_true(line_has(f->cap.last, "\"<redacted>\",\"redacted_len\":8}"));
    assert_false(line_has(f->cap.last, "1122"));
}

/* Grow one string field through the whole line limit: every line is valid
 * JSON, no longer than the buffer, and says "trunc":true exactly when the
 * field had to go. A small field after the cut is dropped too (sticky). */
static void test_log_truncation_every_length(void **state)
{
    fixture *f = *state;
    ikh_metrics m;
    ikh_metrics_init(&m);
    ikh_log_set_metrics(&f->lg, &m);
    f->cap.all = malloc(CAP_ALL);
    assert_non_null(f->cap.all);
    static char big[IKH_LOG_LINE_MAX + 64];
    memset(big, 'x', sizeof big);
    uint64_t truncs = 0;
    for (size_t n = 0; n < sizeof big; n++) {
        char saved = big[n];
        big[n] = '\0';
        ikh_log_ev *ev =
            ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_START, n);
        ikh_log_str(ev, "command", big);
        ikh_log_str(ev, "version", "v");
        ikh_err e = ikh_log_end(ev);
        big[n] = saved;
        bool cut = line_has(f->cap.last, "\"trunc\":true}");
        assert_int_equal(e, cut ? IKH_ERR_LOG_TRUNCATED : IKH_OK);
        assert_true(f->cap.last_len <= IKH_LOG_LINE_MAX - 1);
        assert_int_equal(f->cap.last[f->cap.last_len - 1], '}');
        if (cut) {
            truncs++;
            assert_false(line_has(f->cap.last, "\"version\""));
        } else {
            assert_true(line_has(f->cap.last, ",\"version\":\"v\"}"));
        }
    }
    assert_true(truncs > 0 && truncs < sizeof big);
    ikh_log_stats s = stats_of(&f->lg);
    assert_int_equal(s.truncated, truncs);
    assert_int_equal(s.lines, sizeof big);
    uint64_t mv = 0;
    assert_int_equal(
        ikh_metric_get(&m, IKH_M_LOG_LINES_TRUNCATED_TOTAL, 0, &mv), IKH_OK);
    assert_int_equal(mv, truncs);

    char path[512];
    ikh_tl_tmp_write(path, sizeof path, f->cap.all, f->cap.all_len);
    int rc = ikh_tl_run_python(
        "import json,sys\n"
        "fixed=['t','lvl','ev','node']\n"
        "for n,line in enumerate(open(sys.argv[1],encoding='ascii')):\n"
        "  d=json.loads(line)\n"
        "  k=list(d)\n"
        "  assert k[:4]==fixed, k\n"
        "  assert d['t']==n and d['ev']=='run.start', d\n"
        "  if d.get('trunc'):\n"
        "    assert k[-1]=='trunc' and 'version' not in d, k\n"
        "  else:\n"
        "    assert k==fixed+['command','version'] and len(d['command'])==n, "
        "k\n",
        path);
    unlink(path);
    assert_int_equal(rc, 0);
}

/* The line is cut at a member boundary: the widest field that fits stays,
 * the next one goes. */
static void test_log_truncation_keeps_earlier_fields(void **state)
{
    fixture *f = *state;
    static char big[IKH_LOG_LINE_MAX];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ikh_log_ev *ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_END, 9);
    ikh_log_str(ev, "verdict", "fail");
    ikh_log_str(ev, "messages",
                big); /* (not its declared type: only the size matters) */
    ikh_log_u64(ev, "errors", 1);
    assert_int_equal(ikh_log_end(ev), IKH_ERR_LOG_TRUNCATED);
    assert_string_equal(
        f->cap.last,
        "{\"t\":9,\"lvl\":\"info\",\"ev\":\"run.end\",\"node\":\"a\","
        "\"verdict\":\"fail\",\"trunc\":true}");
    /* escapes count: a string of quotes doubles in size */
    memset(big, '"', sizeof big - 1);
    big[IKH_LOG_LINE_MAX / 2 + 10] = '\0';
    ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_END, 9);
    ikh_log_str(ev, "verdict", big);
    assert_int_equal(ikh_log_end(ev), IKH_ERR_LOG_TRUNCATED);
    assert_string_equal(
        f->cap.last,
        "{\"t\":9,\"lvl\":\"info\",\"ev\":\"run.end\",\"node\":\"a\","
        "\"trunc\":true}");
}

static void test_log_truncated_sa_context(void **state)
{
    fixture *f = *state;
    static char big[IKH_LOG_LINE_MAX];
    memset(big, 'E', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ikh_log_ev *ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_DECODE_MSG, 1);
    ikh_log_sa(ev, 1, 2, 3, big);
    ikh_log_u64(ev, "frame", 1);
    assert_int_equal(ikh_log_end(ev), IKH_ERR_LOG_TRUNCATED);
    assert_string_equal(
        f->cap.last,
        "{\"t\":1,\"lvl\":\"info\",\"ev\":\"decode.msg\",\"node\":\"a\","
        "\"ispi\":\"0000000000000001\",\"rspi\":\"0000000000000002\",\"mid\":3,"
        "\"trunc\":true}");
}

static void test_log_misuse_is_counted(void **state)
{
    fixture *f = *state;
    /* an undeclared field is written but counted */
    ikh_log_ev *ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_START, 1);
    ikh_log_u64(ev, "bogus", 1);
    (void)ikh_log_end(ev);
    assert_true(line_has(f->cap.last, "\"bogus\":1"));
    assert_int_equal(stats_of(&f->lg).misuse, 1);

    /* out of declared order, and repeated */
    ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_START, 1);
    ikh_log_str(ev, "version", "1");
    ikh_log_str(ev, "command", "x");
    ikh_log_str(ev, "command", "x");
    (void)ikh_log_end(ev);
    assert_int_equal(stats_of(&f->lg).misuse, 3);

    /* SA context after a field: ignored */
    ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_DECODE_MSG, 1);
    ikh_log_u64(ev, "frame", 1);
    ikh_log_sa(ev, 1, 2, 3, "IKE_AUTH");
    (void)ikh_log_end(ev);
    assert_false(line_has(f->cap.last, "ispi"));
    assert_int_equal(stats_of(&f->lg).misuse, 4);

    /* a NULL key is counted and writes nothing */
    ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_START, 1);
    ikh_log_u64(ev, NULL, 1);
    (void)ikh_log_end(ev);
    assert_string_equal(
        f->cap.last,
        "{\"t\":1,\"lvl\":\"info\",\"ev\":\"run.start\",\"node\":\"a\"}");
    assert_int_equal(stats_of(&f->lg).misuse, 5);

    /* begin while an event is open: the open one is discarded */
    unsigned calls = f->cap.calls;
    ev = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_START, 1);
    ikh_log_str(ev, "command", "lost");
    ikh_log_ev *ev2 = ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV_RUN_END, 2);
    assert_int_equal(stats_of(&f->lg).misuse, 6);
    ikh_log_str(ev2, "verdict", "kept");
    assert_int_equal(ikh_log_end(ev2), IKH_OK);
    assert_int_equal(ikh_log_end(ev), IKH_OK); /* already ended: no-op */
    assert_int_equal(f->cap.calls, calls + 1);
    assert_false(line_has(f->cap.last, "lost"));
    assert_true(line_has(f->cap.last, "\"verdict\":\"kept\""));

    /* bad level or event */
    assert_null(ikh_log_begin(&f->lg, (ikh_level)5, IKH_EV_RUN_START, 1));
    assert_null(ikh_log_begin(&f->lg, IKH_LVL_INFO, IKH_EV__COUNT, 1));
    assert_int_equal(stats_of(&f->lg).misuse, 8);
    assert_int_equal(f->cap.calls, calls + 1);

    /* helpers after end are no-ops */
    ikh_log_u64(ev2, "verdict", 1);
    assert_int_equal(stats_of(&f->lg).misuse, 8);

    /* declared fields may be skipped; one before the last field written
     * is counted, and the order check goes on from the last field (the
     * search resumes there): "frags" after the misplaced "payloads" is
     * fine, "retransmit" after "frags" is not */
    ev = ikh_log_begin(&f->lg, IKH_LVL_DEBUG, IKH_EV_IKE_MSG_TX, 1);
    ikh_log_u64(ev, "len", 1);
    ikh_log_bool(ev, "response", true);
    ikh_log_str(ev, "payloads", "SA");
    assert_int_equal(stats_of(&f->lg).misuse, 9);
    ikh_log_u64(ev, "frags", 1);
    assert_int_equal(stats_of(&f->lg).misuse, 9);
    ikh_log_u64(ev, "retransmit", 0);
    assert_int_equal(stats_of(&f->lg).misuse, 10);
    ikh_log_u64(ev, "lenx", 0);
    ikh_log_u64(ev, "le", 0);
    assert_int_equal(stats_of(&f->lg).misuse, 12);
    (void)ikh_log_end(ev);
    assert_true(line_has(f->cap.last, "\"response\":true,\"payloads\":\"SA\","
                                      "\"frags\":1,\"retransmit\":0"));
}

static bool valid_key(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_'))
            return false;
    return true;
}

static void test_log_event_table(void **state)
{
    (void)state;
    /* released before the module.object.what rule (docs/USER_GUIDE.md) */
    static const char *const two_part[] = {"run.start", "run.end", "decode.msg",
                                           "decode.skip"};
    static const char *const fixed[] = {"t",    "lvl", "ev",   "node", "ispi",
                                        "rspi", "mid", "exch", "trunc"};
    assert_int_equal(ikh_event_count(), IKH_EV__COUNT);
    assert_null(ikh_event_at(ikh_event_count()));
    assert_string_equal(ikh_event_name(IKH_EV__COUNT), "unknown");
    for (size_t i = 0; i < ikh_event_count(); i++) {
        const ikh_event_info *r = ikh_event_at(i);
        assert_non_null(r);
        assert_int_equal(r->id, (ikh_event)i);
        assert_string_equal(ikh_event_name(r->id), r->name);
        assert_true(r->level <= IKH_LVL_TRACE);
        assert_true(r->desc[0] != '\0');
        /* name: three lowercase dot-separated parts (module.object.what);
         * only the tool's first events have two */
        int parts = 3;
        for (size_t k = 0; k < sizeof two_part / sizeof two_part[0]; k++)
            if (strcmp(r->name, two_part[k]) == 0)
                parts = 2;
        const char *p = r->name;
        for (int part = 0; part < parts; part++) {
            size_t n = strcspn(p, ".");
            if (!valid_key(p, n))
                fail_msg("event name %s: bad part", r->name);
            p += n;
            if (part < parts - 1) {
                if (*p != '.')
                    fail_msg("event name %s: not module.object.what", r->name);
                p++;
            }
        }
        if (*p != '\0')
            fail_msg("event name %s: too many parts", r->name);
        for (size_t k = 0; k < i; k++)
            if (strcmp(ikh_event_at(k)->name, r->name) == 0)
                fail_msg("event name %s twice", r->name);
        /* fields: unique keys, none of them a fixed key */
        for (const char *fp = r->fields; *fp != '\0';) {
            size_t n = strcspn(fp, ",");
            if (!valid_key(fp, n))
                fail_msg("event %s: bad field list \"%s\"", r->name, r->fields);
            for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
                if (strlen(fixed[k]) == n && memcmp(fixed[k], fp, n) == 0)
                    fail_msg("event %s: field %s is a fixed key", r->name,
                             fixed[k]);
            for (const char *q = fp + n; *q == ',';) {
                q++;
                size_t m = strcspn(q, ",");
                if (m == n && memcmp(q, fp, n) == 0)
                    fail_msg("event %s: field listed twice", r->name);
                q += m;
            }
            fp += n;
            if (*fp == ',')
                fp++;
        }
    }
    assert_string_equal(ikh_event_name(IKH_EV_WIRE_PARSE_ERROR),
                        "wire.parse.error");
    assert_string_equal(ikh_event_name(IKH_EV_DECODE_SKIP), "decode.skip");
}

static void test_log_level_names(void **state)
{
    (void)state;
    assert_string_equal(ikh_level_name(IKH_LVL_ERROR), "error");
    assert_string_equal(ikh_level_name(IKH_LVL_WARN), "warn");
    assert_string_equal(ikh_level_name(IKH_LVL_INFO), "info");
    assert_string_equal(ikh_level_name(IKH_LVL_DEBUG), "debug");
    assert_string_equal(ikh_level_name(IKH_LVL_TRACE), "trace");
    assert_string_equal(ikh_level_name((ikh_level)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_log_fixed_key_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_log_sa_context, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_all_field_types, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_log_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_level_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_init_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_hex_redacts_key_material,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_truncation_every_length, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_log_truncation_keeps_earlier_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_truncated_sa_context, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_log_misuse_is_counted, setup,
                                        teardown),
        cmocka_unit_test(test_log_event_table),
        cmocka_unit_test(test_log_level_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
