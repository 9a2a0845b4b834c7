/* SPDX-License-Identifier: MIT */
/*
 * The metrics registry (ikh/metrics.h): the table and label dimensions are
 * well formed, updates land where they should (saturating, misuse counted,
 * NULL registry a no-op), and both exports are exact, sorted and
 * byte-stable. The Prometheus text is checked by tools/promcheck.py (found
 * through $IKH_SOURCE_DIR, which CTest sets), and promcheck itself is shown
 * to reject each kind of bad input. The JSON export is loaded by Python.
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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikh/iana.h"
#include "ikh/metrics.h"
#include "ikh/names.h"

/* ---- helpers: temp files, python, promcheck ----------------------------- */

/* tools/promcheck.py under $IKH_SOURCE_DIR, else next to this file. */
static void promcheck_path(char *out, size_t cap)
{
    const char *src = getenv("IKH_SOURCE_DIR");
    if (src != NULL && *src) {
        snprintf(out, cap, "%s/tools/promcheck.py", src);
        return;
    }
    const char *file = __FILE__, *cut = strstr(file, "/stack/tests/");
    if (file[0] != '/' || cut == NULL)
        fail_msg("IKH_SOURCE_DIR is not set (run the test through ctest)");
    snprintf(out, cap, "%.*s/tools/promcheck.py", (int)(cut - file), file);
}

/* promcheck on @p text: its exit status; its stderr into @p err. */
static int promcheck(const char *text, size_t len, char *err, size_t err_cap)
{
    char script[1024], in[512], errf[512];
    promcheck_path(script, sizeof script);
    ikh_tl_tmp_write(in, sizeof in, text, len);
    ikh_tl_tmp_write(errf, sizeof errf, "", 0);
    char *argv[] = {(char *)ikh_tl_python(), script, in, NULL};
    int rc = ikh_tl_run(argv, errf);
    FILE *f = fopen(errf, "r");
    size_t n = f != NULL ? fread(err, 1, err_cap - 1, f) : 0;
    err[n] = '\0';
    if (f != NULL)
        fclose(f);
    unlink(in);
    unlink(errf);
    return rc;
}

static void assert_promcheck_ok(const char *text, size_t len)
{
    char err[2048];
    int rc = promcheck(text, len, err, sizeof err);
    if (rc != 0)
        fail_msg("promcheck exit %d: %s\non:\n%s", rc, err, text);
}

static char export_buf[1 << 16];

static const char *prom_of(const ikh_metrics *m, size_t *len)
{
    assert_int_equal(ikh_metrics_prom(m, export_buf, sizeof export_buf, len),
                     IKH_OK);
    return export_buf;
}

/* ---- a populated registry and its exact exports ------------------------- */

static void populate(ikh_metrics *m)
{
    ikh_metrics_init(m);
    ikh_metric_add(m, IKH_M_DECODE_FRAMES_TOTAL, 7);
    ikh_metric_inc(m, IKH_M_DECODE_SKIPPED_TOTAL);
    ikh_metric_add(m, IKH_M_WIRE_MESSAGES_PARSED_TOTAL, 5);
    ikh_metric_inc_l(m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, IKH_ERR_WIRE_TRUNCATED);
    ikh_metric_add_l(m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, IKH_ERR_PKT_ESP, 2);
    ikh_metric_inc_l(m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, 9999); /* not a code */
    ikh_metric_inc_l(m, IKH_M_WIRE_PAYLOADS_TOTAL, IKH_PL_SA);
    ikh_metric_inc_l(m, IKH_M_WIRE_PAYLOADS_TOTAL, IKH_PL_NONCE);
    ikh_metric_inc_l(m, IKH_M_WIRE_PAYLOADS_TOTAL, IKH_PL_KE);
    ikh_metric_inc_l(m, IKH_M_WIRE_PAYLOADS_TOTAL, 0); /* not a payload type */
    ikh_metric_set(m, IKH_M_IKE_SAS_ACTIVE, -2);
    ikh_metric_observe(m, IKH_M_WIRE_MESSAGE_OCTETS, 64);
    ikh_metric_observe(m, IKH_M_WIRE_MESSAGE_OCTETS, 65);
    ikh_metric_observe(m, IKH_M_WIRE_MESSAGE_OCTETS, 1500);
    ikh_metric_observe(m, IKH_M_WIRE_MESSAGE_OCTETS, 70000);
    ikh_metric_inc(m, IKH_M_IKE_SAS_ACTIVE); /* misuse: a gauge is set */
}

static const char populated_prom[] =
    "# HELP ikh_decode_frames_total input frames or records read by the decode "
    "tool\n"
    "# TYPE ikh_decode_frames_total counter\n"
    "ikh_decode_frames_total 7\n"
    "# HELP ikh_decode_skipped_total input frames skipped as not IKE by the "
    "decode tool\n"
    "# TYPE ikh_decode_skipped_total counter\n"
    "ikh_decode_skipped_total 1\n"
    "# HELP ikh_env_alloc_failures_total allocations refused by the "
    "environment allocator\n"
    "# TYPE ikh_env_alloc_failures_total counter\n"
    "ikh_env_alloc_failures_total 0\n"
    "# HELP ikh_env_send_failures_total datagrams the send hook refused\n"
    "# TYPE ikh_env_send_failures_total counter\n"
    "ikh_env_send_failures_total 0\n"
    "# HELP ikh_esp_drops_total ESP packets dropped, by error (replayed, too "
    "old, ICV, padding, unknown SPI, no policy)\n"
    "# TYPE ikh_esp_drops_total counter\n"
    "# HELP ikh_esp_icv_failures_total ESP packets whose ICV or AEAD tag did "
    "not verify\n"
    "# TYPE ikh_esp_icv_failures_total counter\n"
    "ikh_esp_icv_failures_total 0\n"
    "# HELP ikh_esp_invalid_spi_total ESP packets for no inbound SA\n"
    "# TYPE ikh_esp_invalid_spi_total counter\n"
    "ikh_esp_invalid_spi_total 0\n"
    "# HELP ikh_esp_nat_keepalives_total NAT keepalives sent (RFC 3948)\n"
    "# TYPE ikh_esp_nat_keepalives_total counter\n"
    "ikh_esp_nat_keepalives_total 0\n"
    "# HELP ikh_esp_octets_decrypted_total payload octets delivered\n"
    "# TYPE ikh_esp_octets_decrypted_total counter\n"
    "ikh_esp_octets_decrypted_total 0\n"
    "# HELP ikh_esp_octets_encrypted_total payload octets encapsulated\n"
    "# TYPE ikh_esp_octets_encrypted_total counter\n"
    "ikh_esp_octets_encrypted_total 0\n"
    "# HELP ikh_esp_packets_decrypted_total ESP packets decapsulated and "
    "delivered\n"
    "# TYPE ikh_esp_packets_decrypted_total counter\n"
    "ikh_esp_packets_decrypted_total 0\n"
    "# HELP ikh_esp_packets_encrypted_total packets encapsulated in ESP and "
    "sent\n"
    "# TYPE ikh_esp_packets_encrypted_total counter\n"
    "ikh_esp_packets_encrypted_total 0\n"
    "# HELP ikh_esp_replay_drops_total ESP packets dropped as replayed or left "
    "of the window\n"
    "# TYPE ikh_esp_replay_drops_total counter\n"
    "ikh_esp_replay_drops_total 0\n"
    "# HELP ikh_ike_auth_failures_total peer authentications that failed\n"
    "# TYPE ikh_ike_auth_failures_total counter\n"
    "ikh_ike_auth_failures_total 0\n"
    "# HELP ikh_ike_child_sa_rekeyed_total Child SAs rekeyed\n"
    "# TYPE ikh_ike_child_sa_rekeyed_total counter\n"
    "ikh_ike_child_sa_rekeyed_total 0\n"
    "# HELP ikh_ike_child_sas_active Child SAs currently installed\n"
    "# TYPE ikh_ike_child_sas_active gauge\n"
    "ikh_ike_child_sas_active 0\n"
    "# HELP ikh_ike_dropped_total received IKE messages dropped, by error\n"
    "# TYPE ikh_ike_dropped_total counter\n"
    "# HELP ikh_ike_handshake_duration_ms IKE SA setup time from the first "
    "request to established, node clock\n"
    "# TYPE ikh_ike_handshake_duration_ms histogram\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"1\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"5\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"10\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"50\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"100\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"500\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"1000\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"5000\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"10000\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"30000\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"60000\"} 0\n"
    "ikh_ike_handshake_duration_ms_bucket{le=\"+Inf\"} 0\n"
    "ikh_ike_handshake_duration_ms_sum 0\n"
    "ikh_ike_handshake_duration_ms_count 0\n"
    "# HELP ikh_ike_handshake_failures_total IKE SA setups that failed, by "
    "error\n"
    "# TYPE ikh_ike_handshake_failures_total counter\n"
    "# HELP ikh_ike_handshakes_total IKE SAs established, both roles\n"
    "# TYPE ikh_ike_handshakes_total counter\n"
    "ikh_ike_handshakes_total 0\n"
    "# HELP ikh_ike_liveness_timeouts_total IKE SAs declared dead after the "
    "retransmission budget\n"
    "# TYPE ikh_ike_liveness_timeouts_total counter\n"
    "ikh_ike_liveness_timeouts_total 0\n"
    "# HELP ikh_ike_messages_received_total IKE messages received and "
    "accepted, by exchange\n"
    "# TYPE ikh_ike_messages_received_total counter\n"
    "# HELP ikh_ike_messages_sent_total IKE messages sent (retransmissions and "
    "fragments included), by exchange\n"
    "# TYPE ikh_ike_messages_sent_total counter\n"
    "# HELP ikh_ike_notify_errors_sent_total error Notify payloads sent, by "
    "the error that caused them\n"
    "# TYPE ikh_ike_notify_errors_sent_total counter\n"
    "# HELP ikh_ike_received_octets_total octets of IKE messages received and "
    "accepted, by exchange\n"
    "# TYPE ikh_ike_received_octets_total counter\n"
    "# HELP ikh_ike_retransmits_total requests sent again after a timeout\n"
    "# TYPE ikh_ike_retransmits_total counter\n"
    "ikh_ike_retransmits_total 0\n"
    "# HELP ikh_ike_sa_rekeyed_total IKE SAs rekeyed\n"
    "# TYPE ikh_ike_sa_rekeyed_total counter\n"
    "ikh_ike_sa_rekeyed_total 0\n"
    "# HELP ikh_ike_sas_active IKE SAs currently established\n"
    "# TYPE ikh_ike_sas_active gauge\n"
    "ikh_ike_sas_active -2\n"
    "# HELP ikh_ike_sent_octets_total octets of IKE messages sent, by "
    "exchange\n"
    "# TYPE ikh_ike_sent_octets_total counter\n"
    "# HELP ikh_log_lines_truncated_total log lines that lost fields to the "
    "line buffer limit\n"
    "# TYPE ikh_log_lines_truncated_total counter\n"
    "ikh_log_lines_truncated_total 0\n"
    "# HELP ikh_metrics_misuse_total metric updates ignored: unknown ID, wrong "
    "type or label use\n"
    "# TYPE ikh_metrics_misuse_total counter\n"
    "ikh_metrics_misuse_total 1\n"
    "# HELP ikh_wire_message_octets size of parsed IKE messages in octets\n"
    "# TYPE ikh_wire_message_octets histogram\n"
    "ikh_wire_message_octets_bucket{le=\"64\"} 1\n"
    "ikh_wire_message_octets_bucket{le=\"128\"} 2\n"
    "ikh_wire_message_octets_bucket{le=\"256\"} 2\n"
    "ikh_wire_message_octets_bucket{le=\"512\"} 2\n"
    "ikh_wire_message_octets_bucket{le=\"1024\"} 2\n"
    "ikh_wire_message_octets_bucket{le=\"1500\"} 3\n"
    "ikh_wire_message_octets_bucket{le=\"4096\"} 3\n"
    "ikh_wire_message_octets_bucket{le=\"65535\"} 3\n"
    "ikh_wire_message_octets_bucket{le=\"+Inf\"} 4\n"
    "ikh_wire_message_octets_sum 71629\n"
    "ikh_wire_message_octets_count 4\n"
    "# HELP ikh_wire_messages_parsed_total IKE messages parsed without error\n"
    "# TYPE ikh_wire_messages_parsed_total counter\n"
    "ikh_wire_messages_parsed_total 5\n"
    "# HELP ikh_wire_parse_errors_total IKE messages that failed to parse or "
    "verify, by error\n"
    "# TYPE ikh_wire_parse_errors_total counter\n"
    "ikh_wire_parse_errors_total{error=\"PKT_ESP\"} 2\n"
    "ikh_wire_parse_errors_total{error=\"UNKNOWN\"} 1\n"
    "ikh_wire_parse_errors_total{error=\"WIRE_TRUNCATED\"} 1\n"
    "# HELP ikh_wire_payloads_total payloads parsed, by payload type\n"
    "# TYPE ikh_wire_payloads_total counter\n"
    "ikh_wire_payloads_total{payload=\"KE\"} 1\n"
    "ikh_wire_payloads_total{payload=\"No\"} 1\n"
    "ikh_wire_payloads_total{payload=\"SA\"} 1\n"
    "ikh_wire_payloads_total{payload=\"other\"} 1\n";

/* ---- table tests -------------------------------------------------------- */

static bool name_chars_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void test_metrics_table_rows(void **state)
{
    (void)state;
    assert_int_equal(ikh_metric_count(), IKH_M__COUNT);
    assert_null(ikh_metric_info_of(IKH_M__COUNT));
    for (size_t i = 0; i < ikh_metric_count(); i++) {
        const ikh_metric_info *r = ikh_metric_info_of((ikh_metric_id)i);
        assert_non_null(r);
        assert_int_equal(r->id, (ikh_metric_id)i);
        if (strncmp(r->name, "ikh_", 4) != 0 || !name_chars_ok(r->name))
            fail_msg("%s: not ikh_[a-z0-9_]+", r->name);
        if ((r->type == IKH_MT_COUNTER) != ends_with(r->name, "_total"))
            fail_msg("%s: counters, and only they, end in _total", r->name);
        if (ends_with(r->name, "_bucket") || ends_with(r->name, "_sum") ||
            ends_with(r->name, "_count") || ends_with(r->name, "_seconds"))
            fail_msg("%s: reserved suffix (durations are _ms)", r->name);
        if (r->help[0] == '\0' || strpbrk(r->help, "\\\n") != NULL)
            fail_msg("%s: help empty or with a backslash or newline", r->name);
        assert_true(r->type <= IKH_MT_HISTOGRAM);
        if (r->type == IKH_MT_HISTOGRAM) {
            assert_non_null(r->buckets);
            assert_true(r->n_buckets >= 1 &&
                        r->n_buckets <= IKH_METRIC_MAX_BUCKETS);
            for (size_t k = 1; k < r->n_buckets; k++)
                if (r->buckets[k] <= r->buckets[k - 1])
                    fail_msg("%s: bucket bounds not strictly increasing",
                             r->name);
        } else {
            assert_null(r->buckets);
            assert_int_equal(r->n_buckets, 0);
        }
        assert_true(r->label < IKH_ML__COUNT);
        for (size_t k = 0; k < i; k++)
            if (strcmp(ikh_metric_info_of((ikh_metric_id)k)->name, r->name) ==
                0)
                fail_msg("%s: name used twice", r->name);
        ikh_metric_id id = IKH_M__COUNT;
        assert_int_equal(ikh_metric_find(r->name, &id), IKH_OK);
        assert_int_equal(id, r->id);
    }
    ikh_metric_id id = IKH_M__COUNT;
    assert_int_equal(ikh_metric_find("ikh_nope_total", &id),
                     IKH_ERR_METRIC_UNKNOWN);
    assert_int_equal(id, IKH_M__COUNT);
    assert_int_equal(ikh_metric_find(NULL, &id), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_metric_find("ikh_decode_frames_total", NULL),
                     IKH_ERR_ARG_INVALID);
}

static void test_metrics_label_dimensions(void **state)
{
    (void)state;
    assert_null(ikh_metric_label_key(IKH_ML_NONE));
    assert_int_equal(ikh_metric_label_size(IKH_ML_NONE), 1);
    assert_null(ikh_metric_label_at(IKH_ML_NONE, 0));
    assert_int_equal(ikh_metric_label_size(IKH_ML__COUNT), 0);
    assert_null(ikh_metric_label_key(IKH_ML__COUNT));
    for (int l = IKH_ML_NONE + 1; l < IKH_ML__COUNT; l++) {
        const char *key = ikh_metric_label_key((ikh_metric_label)l);
        size_t n = ikh_metric_label_size((ikh_metric_label)l);
        assert_non_null(key);
        assert_true(name_chars_ok(key) && key[0] != '_');
        assert_true(n >= 2);
        assert_null(ikh_metric_label_at((ikh_metric_label)l, n));
        for (size_t i = 0; i < n; i++) {
            const char *v = ikh_metric_label_at((ikh_metric_label)l, i);
            assert_non_null(v);
            assert_true(v[0] != '\0');
            for (const char *p = v; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '_'))
                    fail_msg("label %s value %s: character '%c'", key, v, *p);
            for (size_t k = 0; k < i; k++)
                if (strcmp(ikh_metric_label_at((ikh_metric_label)l, k), v) == 0)
                    fail_msg("label %s: value %s twice", key, v);
        }
    }
    /* the error dimension is the error table plus UNKNOWN */
    assert_int_equal(ikh_metric_label_size(IKH_ML_ERR), ikh_err_count() + 1);
    for (size_t i = 0; i < ikh_err_count(); i++)
        assert_string_equal(ikh_metric_label_at(IKH_ML_ERR, i),
                            ikh_err_name(ikh_err_at(i)));
    assert_string_equal(ikh_metric_label_at(IKH_ML_ERR, ikh_err_count()),
                        "UNKNOWN");
    /* payload and exch values are spelled as names.h spells them */
    for (size_t i = 0; i + 1 < ikh_metric_label_size(IKH_ML_PAYLOAD); i++)
        assert_string_equal(ikh_metric_label_at(IKH_ML_PAYLOAD, i),
                            ikh_name(IKH_NT_PAYLOAD, IKH_PL_SA + (unsigned)i));
    for (size_t i = 0; i + 1 < ikh_metric_label_size(IKH_ML_EXCH); i++)
        assert_string_equal(
            ikh_metric_label_at(IKH_ML_EXCH, i),
            ikh_name(IKH_NT_EXCH, IKH_EXCH_IKE_SA_INIT + (unsigned)i));
    assert_string_equal(
        ikh_metric_label_at(IKH_ML_PAYLOAD,
                            ikh_metric_label_size(IKH_ML_PAYLOAD) - 1),
        "other");
    assert_string_equal(ikh_metric_label_at(IKH_ML_PAYLOAD, 0), "SA");
    assert_string_equal(
        ikh_metric_label_at(IKH_ML_PAYLOAD, IKH_PL_NONCE - IKH_PL_SA), "No");
    assert_string_equal(
        ikh_metric_label_at(IKH_ML_PAYLOAD, IKH_PL_SKF - IKH_PL_SA), "SKF");
    assert_string_equal(
        ikh_metric_label_at(IKH_ML_EXCH,
                            IKH_EXCH_IKE_AUTH - IKH_EXCH_IKE_SA_INIT),
        "IKE_AUTH");
    assert_string_equal(
        ikh_metric_label_at(IKH_ML_EXCH,
                            IKH_EXCH_IKE_FOLLOWUP_KE - IKH_EXCH_IKE_SA_INIT),
        "IKE_FOLLOWUP_KE");
}

/* ---- update tests ------------------------------------------------------- */

static uint64_t get(const ikh_metrics *m, ikh_metric_id id, unsigned label)
{
    uint64_t v = 0;
    assert_int_equal(ikh_metric_get(m, id, label, &v), IKH_OK);
    return v;
}

static void test_metrics_null_registry(void **state)
{
    (void)state;
    ikh_metric_inc(NULL, IKH_M_DECODE_FRAMES_TOTAL);
    ikh_metric_add(NULL, IKH_M_DECODE_FRAMES_TOTAL, 3);
    ikh_metric_inc_l(NULL, IKH_M_WIRE_PARSE_ERRORS_TOTAL,
                     IKH_ERR_WIRE_TRUNCATED);
    ikh_metric_add_l(NULL, IKH_M_WIRE_PARSE_ERRORS_TOTAL,
                     IKH_ERR_WIRE_TRUNCATED, 2);
    ikh_metric_set(NULL, IKH_M_IKE_SAS_ACTIVE, 1);
    ikh_metric_observe(NULL, IKH_M_WIRE_MESSAGE_OCTETS, 1);
    ikh_metric_inc(NULL, (ikh_metric_id)999);
    ikh_metrics_init(NULL);
    uint64_t v;
    char buf[64];
    size_t len;
    assert_int_equal(ikh_metric_get(NULL, IKH_M_DECODE_FRAMES_TOTAL, 0, &v),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_metrics_json(NULL, buf, sizeof buf, &len),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_metrics_prom(NULL, buf, sizeof buf, &len),
                     IKH_ERR_ARG_INVALID);
    ikh_metrics m;
    ikh_metrics_init(&m);
    assert_int_equal(ikh_metric_get(&m, IKH_M_DECODE_FRAMES_TOTAL, 0, NULL),
                     IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_metric_get(&m, IKH_M__COUNT, 0, &v),
                     IKH_ERR_METRIC_UNKNOWN);
    assert_int_equal(ikh_metrics_json(&m, NULL, 64, &len), IKH_ERR_ARG_INVALID);
    assert_int_equal(ikh_metrics_prom(&m, NULL, 64, &len), IKH_ERR_ARG_INVALID);
}

static void test_metrics_counters(void **state)
{
    (void)state;
    ikh_metrics m;
    ikh_metrics_init(&m);
    ikh_metric_inc(&m, IKH_M_DECODE_FRAMES_TOTAL);
    ikh_metric_add(&m, IKH_M_DECODE_FRAMES_TOTAL, 41);
    assert_int_equal(get(&m, IKH_M_DECODE_FRAMES_TOTAL, 0), 42);
    ikh_metric_add(&m, IKH_M_DECODE_FRAMES_TOTAL, UINT64_MAX); /* saturates */
    assert_true(get(&m, IKH_M_DECODE_FRAMES_TOTAL, 0) == UINT64_MAX);
    ikh_metric_inc(&m, IKH_M_DECODE_FRAMES_TOTAL);
    assert_true(get(&m, IKH_M_DECODE_FRAMES_TOTAL, 0) == UINT64_MAX);
    assert_int_equal(get(&m, IKH_M_DECODE_SKIPPED_TOTAL, 0), 0);
    ikh_metrics_init(&m); /* reset */
    assert_int_equal(get(&m, IKH_M_DECODE_FRAMES_TOTAL, 0), 0);
    assert_int_equal(get(&m, IKH_M_METRICS_MISUSE_TOTAL, 0), 0);
}

static void test_metrics_labelled_counters(void **state)
{
    (void)state;
    ikh_metrics m;
    ikh_metrics_init(&m);
    ikh_metric_inc_l(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, IKH_ERR_WIRE_TRUNCATED);
    ikh_metric_add_l(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, IKH_ERR_WIRE_TRUNCATED,
                     2);
    ikh_metric_inc_l(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL,
                     IKH_ERR_METRIC_UNKNOWN); /* last row */
    ikh_metric_inc_l(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, 12345);
    ikh_metric_inc_l(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, 54321);
    assert_int_equal(
        get(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, IKH_ERR_WIRE_TRUNCATED), 3);
    assert_int_equal(
        get(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, IKH_ERR_METRIC_UNKNOWN), 1);
    assert_int_equal(get(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, 99999),
                     2); /* UNKNOWN */
    assert_int_equal(get(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, IKH_OK), 0);

    for (unsigned t = 0; t < 256; t++)
        ikh_metric_inc_l(&m, IKH_M_WIRE_PAYLOADS_TOTAL, t);
    assert_int_equal(get(&m, IKH_M_WIRE_PAYLOADS_TOTAL, IKH_PL_SA), 1);
    assert_int_equal(get(&m, IKH_M_WIRE_PAYLOADS_TOTAL, IKH_PL_PS), 1);
    assert_int_equal(get(&m, IKH_M_WIRE_PAYLOADS_TOTAL, 0),
                     256 - 22); /* other */
    assert_int_equal(get(&m, IKH_M_METRICS_MISUSE_TOTAL, 0), 0);
}

static void test_metrics_gauge(void **state)
{
    (void)state;
    ikh_metrics m;
    size_t len;
    ikh_metrics_init(&m);
    ikh_metric_set(&m, IKH_M_IKE_SAS_ACTIVE, 5);
    assert_int_equal(get(&m, IKH_M_IKE_SAS_ACTIVE, 0), 5);
    ikh_metric_set(&m, IKH_M_IKE_SAS_ACTIVE, INT64_MIN);
    assert_true((int64_t)get(&m, IKH_M_IKE_SAS_ACTIVE, 0) == INT64_MIN);
    assert_non_null(strstr(prom_of(&m, &len),
                           "\nikh_ike_sas_active -9223372036854775808\n"));
    ikh_metric_set(&m, IKH_M_IKE_SAS_ACTIVE, INT64_MAX);
    assert_non_null(strstr(prom_of(&m, &len),
                           "\nikh_ike_sas_active 9223372036854775807\n"));
    ikh_metric_set(&m, IKH_M_IKE_SAS_ACTIVE, -1);
    assert_non_null(strstr(prom_of(&m, &len), "\nikh_ike_sas_active -1\n"));
    assert_int_equal(get(&m, IKH_M_METRICS_MISUSE_TOTAL, 0), 0);
}

static void test_metrics_histogram(void **state)
{
    (void)state;
    ikh_metrics m;
    size_t len;
    ikh_metrics_init(&m);
    /* the boundaries: le is "less than or equal" */
    static const uint64_t obs[] = {0,    64,   65,    128,  129,
                                   1500, 1501, 65535, 65536};
    for (size_t i = 0; i < sizeof obs / sizeof obs[0]; i++)
        ikh_metric_observe(&m, IKH_M_WIRE_MESSAGE_OCTETS, obs[i]);
    assert_int_equal(get(&m, IKH_M_WIRE_MESSAGE_OCTETS, 0), 9); /* _count */
    const char *p = prom_of(&m, &len);
    assert_non_null(strstr(p, "ikh_wire_message_octets_bucket{le=\"64\"} 2\n"
                              "ikh_wire_message_octets_bucket{le=\"128\"} 4\n"
                              "ikh_wire_message_octets_bucket{le=\"256\"} 5\n"
                              "ikh_wire_message_octets_bucket{le=\"512\"} 5\n"
                              "ikh_wire_message_octets_bucket{le=\"1024\"} 5\n"
                              "ikh_wire_message_octets_bucket{le=\"1500\"} 6\n"
                              "ikh_wire_message_octets_bucket{le=\"4096\"} 7\n"
                              "ikh_wire_message_octets_bucket{le=\"65535\"} 8\n"
                              "ikh_wire_message_octets_bucket{le=\"+Inf\"} 9\n"
                              "ikh_wire_message_octets_sum 134458\n"
                              "ikh_wire_message_octets_count 9\n"));
    /* _sum saturates */
    ikh_metric_observe(&m, IKH_M_WIRE_MESSAGE_OCTETS, UINT64_MAX);
    p = prom_of(&m, &len);
    assert_non_null(strstr(p,
                           "ikh_wire_message_octets_bucket{le=\"+Inf\"} 10\n"
                           "ikh_wire_message_octets_sum 18446744073709551615\n"
                           "ikh_wire_message_octets_count 10\n"));
    assert_promcheck_ok(p, len);
}

static void test_metrics_misuse_counted(void **state)
{
    (void)state;
    ikh_metrics m, before;
    ikh_metrics_init(&m);
    ikh_metric_inc(&m, IKH_M_IKE_SAS_ACTIVE);             /* gauge */
    ikh_metric_add(&m, IKH_M_WIRE_MESSAGE_OCTETS, 1);     /* histogram */
    ikh_metric_inc(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL);    /* needs a label */
    ikh_metric_inc_l(&m, IKH_M_DECODE_FRAMES_TOTAL, 1);   /* has none */
    ikh_metric_add_l(&m, IKH_M_IKE_SAS_ACTIVE, 1, 1);     /* gauge */
    ikh_metric_set(&m, IKH_M_DECODE_FRAMES_TOTAL, 3);     /* counter */
    ikh_metric_observe(&m, IKH_M_DECODE_FRAMES_TOTAL, 3); /* counter */
    ikh_metric_inc(&m, IKH_M__COUNT);                     /* not an ID */
    ikh_metric_observe(&m, (ikh_metric_id)-1, 3);         /* not an ID */
    assert_int_equal(get(&m, IKH_M_METRICS_MISUSE_TOTAL, 0), 9);
    /* nothing else moved */
    before = m;
    ikh_metrics_init(&m);
    ikh_metric_add(&m, IKH_M_METRICS_MISUSE_TOTAL, 9);
    assert_memory_equal(&m, &before, sizeof m);
}

/* ---- export tests ------------------------------------------------------- */

static void test_metrics_prom_exact(void **state)
{
    (void)state;
    ikh_metrics m;
    size_t len;
    populate(&m);
    const char *p = prom_of(&m, &len);
    assert_string_equal(p, populated_prom);
    assert_int_equal(len, strlen(populated_prom));
    assert_promcheck_ok(p, len);
}

static void test_metrics_prom_empty_registry(void **state)
{
    (void)state;
    ikh_metrics m;
    size_t len;
    ikh_metrics_init(&m);
    const char *p = prom_of(&m, &len);
    /* every metric has HELP and TYPE; labelled ones have no sample yet */
    for (size_t i = 0; i < ikh_metric_count(); i++) {
        const ikh_metric_info *r = ikh_metric_info_of((ikh_metric_id)i);
        char line[256];
        snprintf(line, sizeof line, "# TYPE %s ", r->name);
        assert_non_null(strstr(p, line));
        snprintf(line, sizeof line, "\n%s{", r->name);
        assert_null(strstr(p, line));
        if (r->label == IKH_ML_NONE && r->type != IKH_MT_HISTOGRAM) {
            snprintf(line, sizeof line, "\n%s 0\n", r->name);
            assert_non_null(strstr(p, line));
        }
    }
    assert_promcheck_ok(p, len);
}

/* Every value of every label non-zero: the whole dimension is sorted. */
static void test_metrics_prom_all_labels(void **state)
{
    (void)state;
    ikh_metrics m;
    size_t len;
    ikh_metrics_init(&m);
    for (size_t i = 0; i < ikh_err_count(); i++)
        ikh_metric_add_l(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL,
                         (unsigned)ikh_err_at(i), i + 1);
    ikh_metric_inc_l(&m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, 7777);
    for (unsigned t = 0; t < 256; t++)
        ikh_metric_inc_l(&m, IKH_M_WIRE_PAYLOADS_TOTAL, t);
    const char *p = prom_of(&m, &len);
    /* each error name appears once, with its own value */
    for (size_t i = 0; i < ikh_err_count(); i++) {
        char line[128];
        snprintf(line, sizeof line,
                 "ikh_wire_parse_errors_total{error=\"%s\"} %zu\n",
                 ikh_err_name(ikh_err_at(i)), i + 1);
        assert_non_null(strstr(p, line));
    }
    assert_promcheck_ok(p, len); /* which checks the sort order */
}

static void test_metrics_prom_every_capacity(void **state)
{
    (void)state;
    ikh_metrics m;
    populate(&m);
    const size_t full = strlen(populated_prom);
    static char buf[sizeof populated_prom + 16];
    for (size_t cap = 0; cap <= full + 1; cap++) {
        memset(buf, 0x5a, sizeof buf);
        size_t len = 12345;
        ikh_err e = ikh_metrics_prom(&m, buf, cap, &len);
        assert_int_equal(e, cap > full ? IKH_OK : IKH_ERR_WIRE_NOBUF);
        if (cap == 0) {
            assert_int_equal(len, 0);
            assert_int_equal((unsigned char)buf[0], 0x5a);
            continue;
        }
        assert_true(len < cap);
        assert_int_equal(buf[len], '\0');
        assert_memory_equal(buf, populated_prom, len);
        assert_true(len == 0 ||
                    buf[len - 1] == '\n'); /* cut at a line boundary */
        for (size_t k = cap; k < sizeof buf; k++)
            assert_int_equal((unsigned char)buf[k], 0x5a);
    }
}

static void test_metrics_json_export(void **state)
{
    (void)state;
    ikh_metrics m;
    size_t len;
    populate(&m);
    assert_int_equal(ikh_metrics_json(&m, export_buf, sizeof export_buf, &len),
                     IKH_OK);
    assert_int_equal(strlen(export_buf), len);
    assert_non_null(strstr(
        export_buf, "{\"version\":1,\"metrics\":{\"ikh_decode_frames_total\":"
                    "{\"type\":\"counter\",\"help\":\"input frames or records "
                    "read by the decode tool\",\"value\":7},"));
    assert_non_null(strstr(export_buf,
                           "\"values\":{\"PKT_ESP\":2,\"UNKNOWN\":1,"
                           "\"WIRE_TRUNCATED\":1}}"));
    char path[512];
    ikh_tl_tmp_write(path, sizeof path, export_buf, len);
    char *argv[] = {
        (char *)ikh_tl_python(), (char *)"-c",
        (char *)"import json,sys\n"
                "d=json.load(open(sys.argv[1]))\n"
                "assert d['version']==1\n"
                "m=d['metrics']\n"
                "assert list(m)==sorted(m), list(m)\n"
                "assert m['ikh_decode_frames_total']=={'type':'counter','help':"
                "'input frames or records read by the decode tool','value':7}\n"
                "assert m['ikh_ike_sas_active']['value']==-2\n"
                "assert m['ikh_metrics_misuse_total']['value']==1\n"
                "e=m['ikh_wire_parse_errors_total']\n"
                "assert e['label']=='error' and "
                "list(e['values'])==sorted(e['values'])\n"
                "assert "
                "e['values']=={'PKT_ESP':2,'UNKNOWN':1,'WIRE_TRUNCATED':1}\n"
                "h=m['ikh_wire_message_octets']\n"
                "assert h['type']=='histogram' and h['count']==4 and "
                "h['sum']==71629\n"
                "b=list(h['buckets'].items())\n"
                "assert b[-1]==('+Inf',4) and [k for k,_ in b[:-1]]=="
                "['64','128','256','512','1024','1500','4096','65535'], b\n"
                "assert all(b[i][1]<=b[i+1][1] for i in range(len(b)-1))\n"
                "assert "
                "m['ikh_wire_payloads_total']['values']=={'KE':1,'No':1,'SA':1,"
                "'other':1}\n",
        path, NULL};
    int rc = ikh_tl_run(argv, NULL);
    unlink(path);
    assert_int_equal(rc, 0);
}

static void test_metrics_json_short_buffer(void **state)
{
    (void)state;
    ikh_metrics m;
    size_t len, full;
    populate(&m);
    assert_int_equal(ikh_metrics_json(&m, export_buf, sizeof export_buf, &full),
                     IKH_OK);
    static char small[16384];
    assert_true(full + 1 <= sizeof small);
    assert_int_equal(ikh_metrics_json(&m, small, full + 1, &len), IKH_OK);
    assert_int_equal(len, full);
    assert_int_equal(ikh_metrics_json(&m, small, full, &len),
                     IKH_ERR_WIRE_NOBUF);
    assert_true(len < full);
    assert_int_equal(ikh_metrics_json(&m, small, 0, &len), IKH_ERR_WIRE_NOBUF);
}

/* Updates commute: the same multiset of updates in another order gives
 * byte-identical exports. */
static void test_metrics_export_is_order_independent(void **state)
{
    (void)state;
    ikh_metrics a, b;
    static char pa[1 << 15], pb[1 << 15];
    size_t la, lb;
    ikh_metrics_init(&a);
    ikh_metrics_init(&b);
    for (unsigned i = 0; i < 100; i++) {
        unsigned k = 99 - i;
        ikh_metric_inc_l(&a, IKH_M_WIRE_PARSE_ERRORS_TOTAL,
                         (unsigned)ikh_err_at(i % 7 + 1));
        ikh_metric_inc_l(&b, IKH_M_WIRE_PARSE_ERRORS_TOTAL,
                         (unsigned)ikh_err_at(k % 7 + 1));
        ikh_metric_observe(&a, IKH_M_WIRE_MESSAGE_OCTETS, i * 37u);
        ikh_metric_observe(&b, IKH_M_WIRE_MESSAGE_OCTETS, k * 37u);
        ikh_metric_inc_l(&a, IKH_M_WIRE_PAYLOADS_TOTAL, 30 + i % 30);
        ikh_metric_inc_l(&b, IKH_M_WIRE_PAYLOADS_TOTAL, 30 + k % 30);
    }
    assert_int_equal(ikh_metrics_prom(&a, pa, sizeof pa, &la), IKH_OK);
    assert_int_equal(ikh_metrics_prom(&b, pb, sizeof pb, &lb), IKH_OK);
    assert_int_equal(la, lb);
    assert_memory_equal(pa, pb, la);
    assert_int_equal(ikh_metrics_json(&a, pa, sizeof pa, &la), IKH_OK);
    assert_int_equal(ikh_metrics_json(&b, pb, sizeof pb, &lb), IKH_OK);
    assert_int_equal(la, lb);
    assert_memory_equal(pa, pb, la);
}

/* ---- promcheck itself --------------------------------------------------- */

static void test_promcheck_accepts_valid_forms(void **state)
{
    (void)state;
    static const char *const good[] = {
        /* a labelled histogram with two label sets, escapes in values and help
         */
        "# HELP h_ms a \\\\ b \\n c\n"
        "# TYPE h_ms histogram\n"
        "h_ms_bucket{exch=\"A\",le=\"1\"} 0\n"
        "h_ms_bucket{exch=\"A\",le=\"+Inf\"} 2\n"
        "h_ms_sum{exch=\"A\"} 9\n"
        "h_ms_count{exch=\"A\"} 2\n"
        "h_ms_bucket{exch=\"B\\\"\\\\\\n\",le=\"1\"} 1\n"
        "h_ms_bucket{exch=\"B\\\"\\\\\\n\",le=\"+Inf\"} 1\n"
        "h_ms_sum{exch=\"B\\\"\\\\\\n\"} 1\n"
        "h_ms_count{exch=\"B\\\"\\\\\\n\"} 1\n",
        /* a family with no samples, a gauge, a summary */
        "# HELP a_total x\n# TYPE a_total counter\n"
        "# HELP b x\n# TYPE b gauge\nb -5\n"
        "# HELP c x\n# TYPE c summary\nc{quantile=\"0\"} 1\nc_sum 1\nc_count "
        "1\n",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_promcheck_ok(good[i], strlen(good[i]));
}

static void test_promcheck_rejects_bad_input(void **state)
{
    (void)state;
#define FAM "# HELP x_total h\n# TYPE x_total counter\n"
#define HIST "# HELP h h\n# TYPE h histogram\n"
    static const struct {
        const char *text;
        const char *why; /* expected in the message */
    } bad[] = {
        {"", "empty input"},
        {FAM "x_total 1", "does not end in \\n"},
        {FAM "x_total 1\r\n", "carriage return"},
        {FAM "x_total 1\n\n", "blank line"},
        {"x_total 1\n", "has no # HELP"},
        {"# HELP x_total h\nx_total 1\n", "before # TYPE"},
        {"# HELP 1x h\n# TYPE 1x counter\n", "bad metric name"},
        {"# HELP x_total h\n# TYPE x_total countr\n", "unknown metric type"},
        {"# HELP x_total h\n# TYPE y_total counter\n",
         "does not follow its # HELP"},
        {FAM "# TYPE x_total counter\n", "second # TYPE"},
        {FAM "x_total 1\n# HELP x_total h\n", "second # HELP"},
        {"# HELP x h\n# TYPE x counter\nx 1\n", "does not end in _total"},
        {"# HELP x_total bad \\t escape\n# TYPE x_total counter\n",
         "bad escape"},
        {"# HELP x_total\n# TYPE x_total counter\n", "has no text"},
        {"# a comment\n", "comment"},
        {FAM "x_total{1a=\"v\"} 1\n", "bad label name"},
        {FAM "x_total{__a=\"v\"} 1\n", "reserved"},
        {FAM "x_total{a=\"v\",a=\"w\"} 1\n", "appears twice"},
        {FAM "x_total{a=\"v\\t\"} 1\n", "bad escape in label value"},
        {FAM "x_total{a=\"v} 1\n", "unterminated"},
        {FAM "x_total{a=v} 1\n", "expected '=\"'"},
        {FAM "x_total{a=\"v\",} 1\n", "trailing comma"},
        {FAM "x_total{} 1\n", "empty label set"},
        {FAM "x_total 1.5\n", "not an integer"},
        {FAM "x_total 01\n", "not an integer"},
        {FAM "x_total  1\n", "one space"},
        {FAM "x_total 1 1700000000\n", "timestamps"},
        {FAM "x_total -1\n", "negative counter"},
        {FAM "x_total 1\nx_total 2\n", "duplicate series"},
        {FAM "x_total{a=\"2\"} 1\nx_total{a=\"1\"} 1\n", "not sorted"},
        {FAM "x_total{le=\"1\"} 1\n", "le label outside"},
        {FAM "x_total{quantile=\"1\"} 1\n", "quantile label outside"},
        {"# HELP z_total h\n# TYPE z_total counter\n" FAM, "sorted order"},
        {FAM "x_total 1\n# HELP y_total h\n# TYPE y_total counter\ny_total "
             "1\nx_total 2\n",
         "outside its group"},
        {FAM "# HELP y_total h\n# TYPE y_total counter\n" FAM, "appears again"},
        {HIST
         "h_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n"
         "h_sum 1\nh_count 1\n",
         "not strictly increasing"},
        {HIST
         "h_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
         "h_sum 1\nh_count 2\n",
         "not cumulative"},
        {HIST "h_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "no le=\"+Inf\""},
        {HIST "h_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", "!= _count"},
        {HIST "h_bucket{le=\"+Inf\"} 2\nh_count 2\n", "no _sum"},
        {HIST "h_bucket{le=\"+Inf\"} 2\nh_sum 2\n", "no _count"},
        {HIST "h_bucket 2\n", "without an le label"},
        {HIST "h_bucket{le=\"1.5\"} 2\n", "not an integer or +Inf"},
        {HIST "h_sum{le=\"1\"} 2\n", "le label"},
        {HIST "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count "
              "1\nh_bucket{le=\"+Inf\"} 1\n",
         "duplicate series"},
        {HIST "h_bucket{a=\"2\",le=\"+Inf\"} 1\nh_sum{a=\"2\"} "
              "1\nh_count{a=\"2\"} 1\n"
              "h_bucket{a=\"1\",le=\"+Inf\"} 1\nh_sum{a=\"1\"} "
              "1\nh_count{a=\"1\"} 1\n",
         "not contiguous and sorted"},
        {HIST "h_count 1\nh_bucket{le=\"+Inf\"} 1\n",
         "bucket after _sum/_count"},
        {HIST "h 1\n", "has no # HELP"},
        {FAM "x_total \xff\n", "not UTF-8"},
    };
#undef FAM
#undef HIST
    /* one promcheck run over every file (each python start costs time):
     * each file gets exactly its own one-line message */
    enum {
        NBAD = sizeof bad / sizeof bad[0]
    };
    static char paths[NBAD][512];
    char script[1024], errf[512];
    char *argv[NBAD + 3];
    promcheck_path(script, sizeof script);
    argv[0] = (char *)ikh_tl_python();
    argv[1] = script;
    for (size_t i = 0; i < NBAD; i++) {
        ikh_tl_tmp_write(paths[i], sizeof paths[i], bad[i].text,
                         strlen(bad[i].text));
        argv[2 + i] = paths[i];
    }
    argv[NBAD + 2] = NULL;
    ikh_tl_tmp_write(errf, sizeof errf, "", 0);
    int rc = ikh_tl_run(argv, errf);
    static char err[1 << 16];
    FILE *f = fopen(errf, "r");
    assert_non_null(f);
    size_t n = fread(err, 1, sizeof err - 1, f);
    err[n] = '\0';
    fclose(f);
    unlink(errf);
    assert_int_equal(rc, 1);
    size_t lines = 0;
    for (const char *p = err; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    assert_int_equal(lines, NBAD);
    for (size_t i = 0; i < NBAD; i++) {
        char head[600];
        snprintf(head, sizeof head, "promcheck: %s:", paths[i]);
        const char *line = strstr(err, head);
        if (line == NULL)
            fail_msg("case %zu (%s): not rejected:\n%s", i, bad[i].why, err);
        const char *end = strchr(line, '\n');
        const char *why = strstr(line, bad[i].why);
        if (why == NULL || why > end)
            fail_msg("case %zu: want \"%s\" in: %.*s", i, bad[i].why,
                     (int)(end - line), line);
        unlink(paths[i]);
    }
}

static void test_promcheck_usage_errors(void **state)
{
    (void)state;
    char script[1024];
    promcheck_path(script, sizeof script);
    char *noarg[] = {(char *)ikh_tl_python(), script, NULL};
    assert_int_equal(ikh_tl_run(noarg, "/dev/null"), 2);
    char *missing[] = {(char *)ikh_tl_python(), script,
                       (char *)"/nonexistent/ikh.prom", NULL};
    assert_int_equal(ikh_tl_run(missing, "/dev/null"), 2);
    /* a good file and a bad one: 1; a missing one as well: 2 */
    static const char good_text[] =
        "# HELP a_total h\n# TYPE a_total counter\na_total 0\n";
    char good[512], bad[512];
    ikh_tl_tmp_write(good, sizeof good, good_text, strlen(good_text));
    ikh_tl_tmp_write(bad, sizeof bad, "a_total 0\n", strlen("a_total 0\n"));
    char *mixed[] = {(char *)ikh_tl_python(), script, good, bad, NULL};
    assert_int_equal(ikh_tl_run(mixed, "/dev/null"), 1);
    char *worse[] = {(char *)ikh_tl_python(),         script, good, bad,
                     (char *)"/nonexistent/ikh.prom", NULL};
    assert_int_equal(ikh_tl_run(worse, "/dev/null"), 2);
    char *fine[] = {(char *)ikh_tl_python(), script, good, good, NULL};
    assert_int_equal(ikh_tl_run(fine, "/dev/null"), 0);
    unlink(good);
    unlink(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_table_rows),
        cmocka_unit_test(test_metrics_label_dimensions),
        cmocka_unit_test(test_metrics_null_registry),
        cmocka_unit_test(test_metrics_counters),
        cmocka_unit_test(test_metrics_labelled_counters),
        cmocka_unit_test(test_metrics_gauge),
        cmocka_unit_test(test_metrics_histogram),
        cmocka_unit_test(test_metrics_misuse_counted),
        cmocka_unit_test(test_metrics_prom_exact),
        cmocka_unit_test(test_metrics_prom_empty_registry),
        cmocka_unit_test(test_metrics_prom_all_labels),
        cmocka_unit_test(test_metrics_prom_every_capacity),
        cmocka_unit_test(test_metrics_json_export),
        cmocka_unit_test(test_metrics_json_short_buffer),
        cmocka_unit_test(test_metrics_export_is_order_independent),
        cmocka_unit_test(test_promcheck_accepts_valid_forms),
        cmocka_unit_test(test_promcheck_rejects_bad_input),
        cmocka_unit_test(test_promcheck_usage_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
