/* SPDX-License-Identifier: MIT */
/*
 * What `ikeharness sim` and `ikeharness peer` share (scn_common.h): the
 * scenario file with its key files, key tables from the nodes' hooks, and
 * the run folder writers (run.json, junit.xml, key tables and key files,
 * metrics).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ikh/capdec.h"
#include "scn_common.h"

void scn_out_log(void *user, ikh_level lvl, const char *line, size_t len)
{
    scn_out *r = user;
    (void)lvl;
    if (r->events != NULL) {
        fwrite(line, 1, len, r->events);
        fputc('\n', r->events);
    }
}

static ikh_span keep(uint8_t *dst, ikh_span s)
{
    size_t n = s.len < IKH_KEYTAB_KEY_MAX ? s.len : IKH_KEYTAB_KEY_MAX;
    memcpy(dst, s.p, n);
    return ikh_span_of(dst, n);
}

/* Point the key spans of @p n rows at their own copies again (after the
 * rows moved). */
static void rows_rebase(scn_keyrow *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        scn_keyrow *w = &rows[i];
        w->ike.sk_ei.p = w->k[0];
        w->ike.sk_er.p = w->k[1];
        w->ike.sk_ai.p = w->k[2];
        w->ike.sk_ar.p = w->k[3];
        w->esp.encr_key.p = w->k[0];
        w->esp.integ_key.p = w->k[1];
    }
}

/* The next free row of *@p rows, grown by doubling up to SCN_MAX_KEYROWS
 * (NULL when full or out of memory: noted for a message). */
static scn_keyrow *row_add(scn_out *r, scn_keyrow **rows, size_t *n,
                           size_t *cap)
{
    if (*n == *cap) {
        size_t want = *cap * 2;
        scn_keyrow *g = *n < SCN_MAX_KEYROWS && want <= SCN_MAX_KEYROWS
                            ? realloc(*rows, want * sizeof **rows)
                            : NULL;
        if (g == NULL) {
            r->keyrows_full = true;
            return NULL;
        }
        memset(g + *cap, 0, (want - *cap) * sizeof *g);
        rows_rebase(g, *n);
        *rows = g;
        *cap = want;
    }
    return &(*rows)[(*n)++];
}

static void on_ike_keys(void *user, const ikh_ike_keyinfo *k)
{
    scn_out *r = user;
    /* both peers report each IKE SA: keep one row per SPI pair */
    for (size_t i = 0; i < r->n_ike; i++)
        if (r->ike_rows[i].ike.ispi == k->ispi &&
            r->ike_rows[i].ike.rspi == k->rspi)
            return;
    scn_keyrow *w = row_add(r, &r->ike_rows, &r->n_ike, &r->cap_ike);
    if (w == NULL)
        return;
    w->ike.ispi = k->ispi;
    w->ike.rspi = k->rspi;
    w->ike.encr_id = k->encr;
    w->ike.encr_key_bits = k->encr_bits;
    w->ike.integ_id = k->integ;
    w->ike.sk_ei = keep(w->k[0], k->sk_ei);
    w->ike.sk_er = keep(w->k[1], k->sk_er);
    w->ike.sk_ai = keep(w->k[2], k->sk_ai);
    w->ike.sk_ar = keep(w->k[3], k->sk_ar);
}

static void on_child_keys(void *user, const ikh_child_keyinfo *k)
{
    scn_out *r = user;
    /* both peers report each direction: keep one row per (dst, SPI) */
    for (size_t i = 0; i < r->n_esp; i++)
        if (r->esp_rows[i].esp.spi == k->spi &&
            ikh_addr_cmp(&r->esp_rows[i].esp.dst, &k->dst) == 0)
            return;
    scn_keyrow *w = row_add(r, &r->esp_rows, &r->n_esp, &r->cap_esp);
    if (w == NULL)
        return;
    w->esp.src = k->src;
    w->esp.dst = k->dst;
    w->esp.spi = k->spi;
    w->esp.encr_id = k->encr;
    w->esp.integ_id = k->integ;
    w->esn = k->esn;
    w->esp_encr_bits = k->encr_bits;
    w->esp.encr_key = keep(w->k[0], k->encr_key);
    w->esp.integ_key = keep(w->k[1], k->integ_key);
}

/* Load the key files of every peer, relative to the scenario file. */
static int load_keys(scn_out *r)
{
    char dir[4096];
    const char *slash = strrchr(r->path, '/');
    size_t dl = slash ? (size_t)(slash - r->path) + 1 : 0;
    if (dl >= sizeof dir)
        dl = 0;
    memcpy(dir, r->path, dl);
    dir[dl] = '\0';
    for (size_t i = 0; i < r->scn->n_peers; i++) {
        const ikh_scn_peer *p = &r->scn->peers[i];
        const char *paths[2] = {p->key_path, p->peer_key_path};
        ikh_key *dst[2] = {&r->keys_own[i], &r->keys_peer[i]};
        for (int k = 0; k < 2; k++) {
            ikh_key_init(dst[k]);
            if (paths[k][0] == '\0')
                continue;
            char full[8192];
            snprintf(full, sizeof full, "%s%s", paths[k][0] == '/' ? "" : dir,
                     paths[k]);
            uint8_t *buf = NULL;
            size_t len = 0;
            ikh_err e = cli_read_file(full, IKH_KEY_DER_MAX * 2, &buf, &len);
            if (e == IKH_OK)
                e = ikh_key_load(dst[k], ikh_span_of(buf, len));
            free(buf);
            if (e != IKH_OK) {
                fprintf(stderr, "%s:%u: peer %s: key file %s: %s (%d): %s\n",
                        r->path, p->line, p->name, full, ikh_err_name(e),
                        (int)e, ikh_err_str(e));
                return CLI_EXIT_USAGE;
            }
            if (k == 0)
                r->keys.own[i] = dst[k];
            else
                r->keys.peer[i] = dst[k];
        }
    }
    return CLI_EXIT_OK;
}

ikh_key_hooks scn_out_key_hooks(scn_out *o)
{
    ikh_key_hooks h;
    h.ike = on_ike_keys;
    h.child = on_child_keys;
    h.user = o;
    return h;
}

int scn_out_load(scn_out *o)
{
    o->scn = malloc(sizeof *o->scn);
    o->res = malloc(sizeof *o->res);
    o->ike_rows = calloc(SCN_KEYROWS_FIRST, sizeof *o->ike_rows);
    o->esp_rows = calloc(SCN_KEYROWS_FIRST, sizeof *o->esp_rows);
    o->cap_ike = o->cap_esp = SCN_KEYROWS_FIRST;
    for (size_t i = 0; i < IKH_SCN_MAX_PEERS; i++) {
        ikh_key_init(&o->keys_own[i]);
        ikh_key_init(&o->keys_peer[i]);
    }
    if (!o->scn || !o->res || !o->ike_rows || !o->esp_rows) {
        cli_err(o->command, IKH_ERR_ENV_NOMEM);
        return CLI_EXIT_USAGE;
    }
    memset(o->res, 0, sizeof *o->res);
    uint8_t *text = NULL;
    size_t len = 0;
    ikh_err e = cli_read_file(o->path, IKH_SCN_FILE_MAX, &text, &len);
    if (e != IKH_OK) {
        fprintf(stderr, "ikeharness: %s: %s: %s (%d): %s\n", o->command,
                o->path, ikh_err_name(e), (int)e, ikh_err_str(e));
        return CLI_EXIT_USAGE;
    }
    ikh_scn_diag d;
    e = ikh_scn_parse((const char *)text, len, o->scn, &d);
    free(text);
    if (e != IKH_OK) {
        fprintf(stderr, "%s:%u:%u: %s (%s)\n", o->path, d.line, d.column, d.msg,
                ikh_err_name(e));
        return CLI_EXIT_USAGE;
    }
    return load_keys(o);
}

void scn_out_free(scn_out *o)
{
    for (size_t i = 0; i < IKH_SCN_MAX_PEERS; i++) {
        ikh_key_fini(&o->keys_own[i]);
        ikh_key_fini(&o->keys_peer[i]);
    }
    free(o->scn);
    free(o->res);
    free(o->ike_rows);
    free(o->esp_rows);
    o->scn = NULL;
    o->res = NULL;
    o->ike_rows = o->esp_rows = NULL;
}

static ikh_err write_junit(scn_out *r)
{
    FILE *f = cli_open_out(r->out_dir, "junit.xml");
    if (!f)
        return IKH_ERR_IO_WRITE;
    const ikh_scn_result *res = r->res;
    unsigned fails = 0;
    for (size_t i = 0; i < res->n_expect; i++)
        fails += !res->expect[i].pass;
    fails += res->step_errors > 0;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuite name=\"");
    cli_xml_escape(f, r->scn->name);
    fprintf(f, "\" tests=\"%u\" failures=\"%u\">\n",
            (unsigned)res->n_expect + 1, fails);
    fprintf(f, "  <testcase classname=\"%s\" name=\"timeline\">", r->command);
    if (res->step_errors > 0) {
        fprintf(f, "<failure message=\"");
        cli_xml_escape(f, res->first_step_error);
        fprintf(f, "\"/>");
    }
    fprintf(f, "</testcase>\n");
    for (size_t i = 0; i < res->n_expect; i++) {
        fprintf(f, "  <testcase classname=\"%s\" name=\"", r->command);
        cli_xml_escape(f, r->scn->expect[i].text);
        fprintf(f, "\">");
        if (r->not_checked != NULL && r->not_checked[i]) {
            fprintf(f, "<skipped message=\"");
            cli_xml_escape(f, res->expect[i].detail);
            fprintf(f, "\"/>");
        } else if (!res->expect[i].pass) {
            fprintf(f, "<failure message=\"");
            cli_xml_escape(f, res->expect[i].detail);
            fprintf(f, "\"/>");
        }
        fprintf(f, "</testcase>\n");
    }
    fprintf(f, "</testsuite>\n");
    return fclose(f) == 0 ? IKH_OK : IKH_ERR_IO_WRITE;
}

static ikh_err write_run_json(scn_out *r, int argc, char **argv, int rc)
{
    size_t cap = 1u << 20;
    char *buf = malloc(cap);
    if (!buf)
        return IKH_ERR_ENV_NOMEM;
    const ikh_scn_result *res = r->res;
    ikh_json j;
    ikh_json_init(&j, buf, cap);
    ikh_json_obj_open(&j, NULL);
    ikh_json_str(&j, "command", r->command);
    ikh_json_str(&j, "cmdline", cli_cmdline(argc, argv));
    ikh_json_str(&j, "version", IKH_VERSION);
    ikh_json_str(&j, "scenario", r->path);
    ikh_json_str(&j, "name", r->scn->name);
    if (r->json_head != NULL)
        r->json_head(&j, r->json_user);
    ikh_json_str(&j, "verdict", res->pass ? "pass" : "fail");
    ikh_json_i64(&j, "exit_code", rc);
    ikh_json_u64(&j, "end_ms", res->end);
    ikh_json_u64(&j, "step_errors", res->step_errors);
    ikh_json_obj_open(&j, "key_tables");
    ikh_json_u64(&j, "ike_sas", r->n_ike - r->n_ike_skipped);
    ikh_json_u64(&j, "ike_sas_not_in_table", r->n_ike_skipped);
    ikh_json_u64(&j, "esp_sas", r->n_esp - r->n_esp_skipped);
    ikh_json_u64(&j, "esp_sas_not_in_table", r->n_esp_skipped);
    /* tshark 4.0's esp_sa table has no ESN column: its ICV check of these
     * SPIs cannot succeed (the high sequence bits are authenticated) */
    ikh_json_arr_open(&j, "esp_esn_spis");
    for (size_t i = 0; i < r->n_esp; i++)
        if (r->esp_rows[i].esn)
            ikh_json_u64(&j, NULL, r->esp_rows[i].esp.spi);
    ikh_json_arr_close(&j);
    ikh_json_obj_close(&j);
    if (res->step_errors > 0)
        ikh_json_str(&j, "first_step_error", res->first_step_error);
    ikh_json_arr_open(&j, "expectations");
    for (size_t i = 0; i < res->n_expect; i++) {
        ikh_json_obj_open(&j, NULL);
        ikh_json_u64(&j, "line", r->scn->expect[i].line);
        ikh_json_str(&j, "expect", r->scn->expect[i].text);
        ikh_json_bool(&j, "pass", res->expect[i].pass);
        if (r->not_checked != NULL && r->not_checked[i])
            ikh_json_bool(&j, "not_checked", true);
        ikh_json_u64(&j, "found", res->expect[i].got);
        ikh_json_str(&j, "detail", res->expect[i].detail);
        ikh_json_obj_close(&j);
    }
    ikh_json_arr_close(&j);
    if (r->json_tail != NULL)
        r->json_tail(&j, r->json_user);
    static const char *const files[] = {
        "run.json",     "events.jsonl", "metrics.json",
        "metrics.prom", "capture.pcap", "ikev2_decryption_table",
        "esp_sa",       "ike_keys.csv", "esp_keys.csv",
        "junit.xml"};
    ikh_err e = cli_finish_run_json(&j, files, sizeof files / sizeof files[0],
                                    r->out_dir);
    free(buf);
    return e;
}

/* ike_keys.csv and esp_keys.csv: every SA, ChaCha20-Poly1305 and AES-XCBC
 * included, for our own decryption check (capdec.h, capdec_check). */
static ikh_err write_keyfiles(scn_out *r)
{
    char path[4200];
    ikh_keytab_ike *ike = calloc(r->n_ike + 1, sizeof *ike);
    ikh_capdec_esp_sa *esp = calloc(r->n_esp + 1, sizeof *esp);
    ikh_err e = ike && esp ? IKH_OK : IKH_ERR_ENV_NOMEM;
    for (size_t i = 0; e == IKH_OK && i < r->n_ike; i++)
        ike[i] = r->ike_rows[i].ike;
    for (size_t i = 0; e == IKH_OK && i < r->n_esp; i++) {
        esp[i].sa = r->esp_rows[i].esp;
        esp[i].encr_key_bits = r->esp_rows[i].esp_encr_bits;
        esp[i].esn = r->esp_rows[i].esn;
    }
    if (e == IKH_OK) {
        snprintf(path, sizeof path, "%s/ike_keys.csv", r->out_dir);
        e = ikh_capdec_ike_write(path, ike, r->n_ike);
    }
    if (e == IKH_OK) {
        snprintf(path, sizeof path, "%s/esp_keys.csv", r->out_dir);
        e = ikh_capdec_esp_write(path, esp, r->n_esp);
    }
    free(ike);
    free(esp);
    return e;
}

static ikh_err write_keytabs(scn_out *r)
{
    char path[4200];
    ikh_keytab_ike *ike = calloc(r->n_ike + 1, sizeof *ike);
    ikh_keytab_esp *esp = calloc(r->n_esp + 1, sizeof *esp);
    ikh_err e = ike && esp ? IKH_OK : IKH_ERR_ENV_NOMEM;
    /* Wireshark has no name for some transforms (ChaCha20-Poly1305 and
     * AES-XCBC for IKE in tshark 4.0): those SAs are left out and
     * counted in run.json */
    size_t ni = 0, ne = 0;
    for (size_t i = 0; e == IKH_OK && i < r->n_ike; i++) {
        const ikh_keytab_ike *k = &r->ike_rows[i].ike;
        if (ikh_keytab_ike_encr_name(k->encr_id, k->encr_key_bits) &&
            ikh_keytab_ike_integ_name(k->integ_id))
            ike[ni++] = *k;
        else
            r->n_ike_skipped++;
    }
    for (size_t i = 0; e == IKH_OK && i < r->n_esp; i++) {
        const ikh_keytab_esp *k = &r->esp_rows[i].esp;
        if (ikh_keytab_esp_encr_name(k->encr_id) &&
            ikh_keytab_esp_integ_name(k->integ_id))
            esp[ne++] = *k;
        else
            r->n_esp_skipped++;
    }
    if (e == IKH_OK) {
        snprintf(path, sizeof path, "%s/ikev2_decryption_table", r->out_dir);
        e = ikh_keytab_ike_write(path, ike, ni);
    }
    if (e == IKH_OK) {
        snprintf(path, sizeof path, "%s/esp_sa", r->out_dir);
        e = ikh_keytab_esp_write(path, esp, ne);
    }
    free(ike);
    free(esp);
    if (e == IKH_OK)
        e = write_keyfiles(r);
    return e;
}

int scn_out_open(scn_out *o)
{
    ikh_err e = cli_mkdirs(o->out_dir);
    if (e != IKH_OK) {
        fprintf(stderr, "ikeharness: %s: cannot create %s: %s\n", o->command,
                o->out_dir, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    o->events = cli_open_out(o->out_dir, "events.jsonl");
    char cap_path[4200];
    snprintf(cap_path, sizeof cap_path, "%s/capture.pcap", o->out_dir);
    e = ikh_tap_open(cap_path, IKH_LINK_RAW, &o->tap);
    if (e != IKH_OK || o->events == NULL) {
        fprintf(stderr, "ikeharness: %s: cannot write the run folder %s\n",
                o->command, o->out_dir);
        if (o->events)
            fclose(o->events);
        o->events = NULL;
        ikh_err ignored = ikh_tap_close(o->tap); /* NULL or half open */
        (void)ignored;
        o->tap = NULL;
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

ikh_err scn_out_close(scn_out *o)
{
    ikh_err e = ikh_tap_close(o->tap);
    int fc = o->events != NULL ? fclose(o->events) : 0;
    o->tap = NULL;
    o->events = NULL;
    return e != IKH_OK ? e : fc != 0 ? IKH_ERR_IO_WRITE : IKH_OK;
}

int scn_out_write(scn_out *o, int argc, char **argv, int rc)
{
    ikh_err we = cli_write_metrics(o->out_dir, &o->metrics);
    if (we == IKH_OK)
        we = write_keytabs(o);
    if (we == IKH_OK)
        we = write_junit(o);
    if (we == IKH_OK)
        we = write_run_json(o, argc, argv, rc);
    if (we != IKH_OK) {
        char what[64];
        snprintf(what, sizeof what, "%s: writing the run folder", o->command);
        cli_err(what, we);
        return CLI_EXIT_USAGE;
    }
    if (o->keyrows_full)
        fprintf(stderr,
                "ikeharness: %s: key tables hold only the first %u "
                "SAs\n",
                o->command, SCN_MAX_KEYROWS);
    const ikh_scn_result *res = o->res;
    for (size_t i = 0; i < res->n_expect; i++)
        if (!res->expect[i].pass)
            fprintf(stderr, "%s:%u: expectation failed: %s\n", o->path,
                    o->scn->expect[i].line, res->expect[i].detail);
    if (res->step_errors > 0)
        fprintf(stderr, "%s:%s\n", o->path, res->first_step_error);
    return rc;
}

bool scn_arg_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    if (s == NULL || *s == '\0' || *s == '-')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}
