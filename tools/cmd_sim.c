/* SPDX-License-Identifier: MIT */
/*
 * `ikeharness sim SCENARIO [--seed N] [--out DIR] [--sweep N]`: run a
 * scenario file in the deterministic simulator and write the run folder
 * (../shared/DESIGN.md): run.json, events.jsonl, metrics.json,
 * metrics.prom, capture.pcap, ikev2_decryption_table, esp_sa, junit.xml.
 * With --sweep it runs seeds 1..N without run folders and prints a table.
 * Exit codes: 0 pass, 1 a failed expectation, 2 bad input.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ikh/json.h"
#include "ikh/keyfile.h"
#include "ikh/keytab.h"
#include "ikh/pcap.h"
#include "ikh/scenario.h"
#include "ikh/tap.h"

/* Most key-table rows one run keeps (IKE SAs and ESP directions). */
#define SIM_MAX_KEYROWS 512u

typedef struct keyrow {
    uint8_t k[4][IKH_KEYTAB_KEY_MAX];
    ikh_keytab_ike ike;
    ikh_keytab_esp esp;
    bool esn; /* ESP: extended sequence numbers (not in Wireshark's table) */
} keyrow;

typedef struct sim_run {
    const char *path;
    const char *out_dir;
    uint64_t seed;
    ikh_scenario *scn;
    ikh_key keys_own[IKH_SCN_MAX_PEERS], keys_peer[IKH_SCN_MAX_PEERS];
    ikh_scn_keys keys;
    FILE *events;
    ikh_tap *tap;
    keyrow *ike_rows, *esp_rows;
    size_t n_ike, n_esp;
    bool keyrows_full;
    size_t n_ike_skipped, n_esp_skipped; /* SAs Wireshark cannot name */
    ikh_metrics metrics;
    ikh_scn_result *res;
} sim_run;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ikeharness sim SCENARIO [--seed N] [--out DIR] "
            "[--sweep N]\n"
            "  SCENARIO    a scenario file (YAML, docs/scenario-format.md)\n"
            "  --seed N    seed of faults and randomness (default: the "
            "scenario's, else 1)\n"
            "  --out DIR   run folder (default runs/sim-<name>-<seed>)\n"
            "  --sweep N   run seeds 1..N, print a table, no run folder\n"
            "exit: 0 pass, 1 an expectation failed, 2 bad input\n");
}

static void on_log(void *user, ikh_level lvl, const char *line, size_t len)
{
    sim_run *r = user;
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

static void on_ike_keys(void *user, const ikh_ike_keyinfo *k)
{
    sim_run *r = user;
    /* both peers report each IKE SA: keep one row per SPI pair */
    for (size_t i = 0; i < r->n_ike; i++)
        if (r->ike_rows[i].ike.ispi == k->ispi &&
            r->ike_rows[i].ike.rspi == k->rspi)
            return;
    if (r->n_ike >= SIM_MAX_KEYROWS) {
        r->keyrows_full = true;
        return;
    }
    keyrow *w = &r->ike_rows[r->n_ike++];
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
    sim_run *r = user;
    /* both peers report each direction: keep one row per (dst, SPI) */
    for (size_t i = 0; i < r->n_esp; i++)
        if (r->esp_rows[i].esp.spi == k->spi &&
            ikh_addr_cmp(&r->esp_rows[i].esp.dst, &k->dst) == 0)
            return;
    if (r->n_esp >= SIM_MAX_KEYROWS) {
        r->keyrows_full = true;
        return;
    }
    keyrow *w = &r->esp_rows[r->n_esp++];
    w->esp.src = k->src;
    w->esp.dst = k->dst;
    w->esp.spi = k->spi;
    w->esp.encr_id = k->encr;
    w->esp.integ_id = k->integ;
    w->esn = k->esn;
    w->esp.encr_key = keep(w->k[0], k->encr_key);
    w->esp.integ_key = keep(w->k[1], k->integ_key);
}

/* Load the key files of every peer, relative to the scenario file. */
static int load_keys(sim_run *r)
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

static ikh_err write_junit(sim_run *r)
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
    fprintf(f, "  <testcase classname=\"sim\" name=\"timeline\">");
    if (res->step_errors > 0) {
        fprintf(f, "<failure message=\"");
        cli_xml_escape(f, res->first_step_error);
        fprintf(f, "\"/>");
    }
    fprintf(f, "</testcase>\n");
    for (size_t i = 0; i < res->n_expect; i++) {
        fprintf(f, "  <testcase classname=\"sim\" name=\"");
        cli_xml_escape(f, r->scn->expect[i].text);
        fprintf(f, "\">");
        if (!res->expect[i].pass) {
            fprintf(f, "<failure message=\"");
            cli_xml_escape(f, res->expect[i].detail);
            fprintf(f, "\"/>");
        }
        fprintf(f, "</testcase>\n");
    }
    fprintf(f, "</testsuite>\n");
    return fclose(f) == 0 ? IKH_OK : IKH_ERR_IO_WRITE;
}

static ikh_err write_run_json(sim_run *r, int argc, char **argv, int rc)
{
    size_t cap = 1u << 20;
    char *buf = malloc(cap);
    if (!buf)
        return IKH_ERR_ENV_NOMEM;
    const ikh_scn_result *res = r->res;
    ikh_json j;
    ikh_json_init(&j, buf, cap);
    ikh_json_obj_open(&j, NULL);
    ikh_json_str(&j, "command", "sim");
    ikh_json_str(&j, "cmdline", cli_cmdline(argc, argv));
    ikh_json_str(&j, "version", IKH_VERSION);
    ikh_json_str(&j, "scenario", r->path);
    ikh_json_str(&j, "name", r->scn->name);
    ikh_json_u64(&j, "seed", r->seed);
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
        ikh_json_u64(&j, "found", res->expect[i].got);
        ikh_json_str(&j, "detail", res->expect[i].detail);
        ikh_json_obj_close(&j);
    }
    ikh_json_arr_close(&j);
    ikh_json_obj_open(&j, "sim");
    ikh_json_u64(&j, "sent", res->sim.sent);
    ikh_json_u64(&j, "delivered", res->sim.delivered);
    ikh_json_u64(&j, "lost", res->sim.lost);
    ikh_json_u64(&j, "duplicated", res->sim.duplicated);
    ikh_json_u64(&j, "reordered", res->sim.reordered);
    ikh_json_u64(&j, "corrupted", res->sim.corrupted + res->sim.bitflips);
    ikh_json_u64(&j, "truncated", res->sim.truncated);
    ikh_json_obj_close(&j);
    ikh_json_arr_open(&j, "files");
    static const char *files[] = {"run.json",       "events.jsonl",
                                  "metrics.json",   "metrics.prom",
                                  "capture.pcap",   "ikev2_decryption_table",
                                  "esp_sa",         "junit.xml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        ikh_json_str(&j, NULL, files[i]);
    ikh_json_arr_close(&j);
    ikh_json_obj_close(&j);
    size_t n = 0;
    ikh_err e = ikh_json_finish(&j, &n);
    FILE *f = e == IKH_OK ? cli_open_out(r->out_dir, "run.json") : NULL;
    if (f == NULL && e == IKH_OK)
        e = IKH_ERR_IO_WRITE;
    if (f != NULL) {
        fwrite(buf, 1, n, f);
        fputc('\n', f);
        if (fclose(f) != 0)
            e = IKH_ERR_IO_WRITE;
    }
    free(buf);
    return e;
}

static ikh_err write_keytabs(sim_run *r)
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
    return e;
}

/* One run with a run folder. */
static int run_one(sim_run *r, int argc, char **argv)
{
    ikh_err e = cli_mkdirs(r->out_dir);
    if (e != IKH_OK) {
        fprintf(stderr, "ikeharness: sim: cannot create %s: %s\n", r->out_dir,
                strerror(errno));
        return CLI_EXIT_USAGE;
    }
    r->events = cli_open_out(r->out_dir, "events.jsonl");
    char cap_path[4200];
    snprintf(cap_path, sizeof cap_path, "%s/capture.pcap", r->out_dir);
    e = ikh_tap_open(cap_path, IKH_LINK_RAW, &r->tap);
    if (e != IKH_OK || r->events == NULL) {
        cli_err("sim: cannot write the run folder", e ? e : IKH_ERR_IO_WRITE);
        if (r->events)
            fclose(r->events);
        return CLI_EXIT_USAGE;
    }
    /* the capture holds what each node sent, before network faults */
    ikh_tap_set_sim_kinds(r->tap, 1u << IKH_SIM_TAP_SENT);
    ikh_scn_hooks h;
    memset(&h, 0, sizeof h);
    h.tap = ikh_tap_sim;
    h.tap_user = r->tap;
    h.log = on_log;
    h.log_user = r;
    h.keys.ike = on_ike_keys;
    h.keys.child = on_child_keys;
    h.keys.user = r;
    h.metrics = &r->metrics;
    e = ikh_scn_run(r->scn, r->seed, &r->keys, &h, NULL, r->res);
    ikh_err ce = ikh_tap_close(r->tap);
    int fc = fclose(r->events);
    if (e != IKH_OK) {
        fprintf(stderr, "ikeharness: sim: %s: %s (%d): %s\n", r->path,
                ikh_err_name(e), (int)e, ikh_err_str(e));
        return CLI_EXIT_USAGE;
    }
    int rc = r->res->pass ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    ikh_err we = ce;
    if (fc != 0 && we == IKH_OK)
        we = IKH_ERR_IO_WRITE;
    if (we == IKH_OK)
        we = cli_write_metrics(r->out_dir, &r->metrics);
    if (we == IKH_OK)
        we = write_keytabs(r);
    if (we == IKH_OK)
        we = write_junit(r);
    if (we == IKH_OK)
        we = write_run_json(r, argc, argv, rc);
    if (we != IKH_OK) {
        cli_err("sim: writing the run folder", we);
        return CLI_EXIT_USAGE;
    }
    if (r->keyrows_full)
        fprintf(stderr, "ikeharness: sim: key tables hold only the first %u "
                        "SAs\n",
                SIM_MAX_KEYROWS);
    const ikh_scn_result *res = r->res;
    for (size_t i = 0; i < res->n_expect; i++)
        if (!res->expect[i].pass)
            fprintf(stderr, "%s:%u: expectation failed: %s\n", r->path,
                    r->scn->expect[i].line, res->expect[i].detail);
    if (res->step_errors > 0)
        fprintf(stderr, "%s:%s\n", r->path, res->first_step_error);
    printf("%s: %s (seed %" PRIu64 ", %u expectations, %u step errors, "
           "%" PRIu64 " ms virtual)\n",
           r->scn->name, res->pass ? "pass" : "FAIL", r->seed,
           (unsigned)res->n_expect, (unsigned)res->step_errors,
           (uint64_t)res->end);
    printf("run folder: %s\n", r->out_dir);
    return rc;
}

/* --sweep: seeds 1..n, no files. */
static int run_sweep(sim_run *r, uint64_t n)
{
    uint64_t pass = 0;
    printf("%-8s %-6s %-10s %-10s %s\n", "seed", "result", "sent", "lost",
           "first failure");
    for (uint64_t s = 1; s <= n; s++) {
        ikh_err e = ikh_scn_run(r->scn, s, &r->keys, NULL, NULL, r->res);
        if (e != IKH_OK) {
            fprintf(stderr, "ikeharness: sim: seed %" PRIu64 ": %s: %s\n", s,
                    ikh_err_name(e), ikh_err_str(e));
            return CLI_EXIT_USAGE;
        }
        const ikh_scn_result *res = r->res;
        if (res->pass) {
            pass++;
            continue;
        }
        const char *why = res->step_errors ? res->first_step_error : "";
        for (size_t i = 0; i < res->n_expect && !why[0]; i++)
            if (!res->expect[i].pass)
                why = res->expect[i].detail;
        printf("%-8" PRIu64 " %-6s %-10" PRIu64 " %-10" PRIu64 " %s\n", s,
               "FAIL", res->sim.sent, res->sim.lost, why);
    }
    printf("%s: %" PRIu64 "/%" PRIu64 " seeds pass\n", r->scn->name, pass, n);
    return pass == n ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static bool parse_u64(const char *s, uint64_t *out)
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

int cmd_sim(int argc, char **argv)
{
    const char *path = NULL, *out = NULL;
    uint64_t seed = 0, sweep = 0;
    bool have_seed = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (!parse_u64(argv[++i], &seed)) {
                fprintf(stderr, "ikeharness: sim: --seed: not a number: "
                                "%s\n",
                        argv[i]);
                return CLI_EXIT_USAGE;
            }
            have_seed = true;
        } else if (strcmp(a, "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(a, "--sweep") == 0 && i + 1 < argc) {
            if (!parse_u64(argv[++i], &sweep) || sweep == 0 ||
                sweep > 1000000) {
                fprintf(stderr, "ikeharness: sim: --sweep: want 1..1000000, "
                                "got %s\n",
                        argv[i]);
                return CLI_EXIT_USAGE;
            }
        } else if (a[0] == '-' || path != NULL) {
            fprintf(stderr, "ikeharness: sim: unexpected argument: %s\n", a);
            usage(stderr);
            return CLI_EXIT_USAGE;
        } else {
            path = a;
        }
    }
    if (path == NULL) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    uint8_t *text = NULL;
    size_t len = 0;
    ikh_err e = cli_read_file(path, IKH_SCN_FILE_MAX, &text, &len);
    if (e != IKH_OK) {
        fprintf(stderr, "ikeharness: sim: %s: %s (%d): %s\n", path,
                ikh_err_name(e), (int)e, ikh_err_str(e));
        return CLI_EXIT_USAGE;
    }
    sim_run *r = calloc(1, sizeof *r);
    if (r)
        r->scn = malloc(sizeof *r->scn);
    if (r)
        r->res = malloc(sizeof *r->res);
    if (r)
        r->ike_rows = calloc(SIM_MAX_KEYROWS, sizeof *r->ike_rows);
    if (r)
        r->esp_rows = calloc(SIM_MAX_KEYROWS, sizeof *r->esp_rows);
    int rc = CLI_EXIT_USAGE;
    if (!r || !r->scn || !r->res || !r->ike_rows || !r->esp_rows) {
        cli_err("sim", IKH_ERR_ENV_NOMEM);
        goto out;
    }
    r->path = path;
    ikh_scn_diag d;
    e = ikh_scn_parse((const char *)text, len, r->scn, &d);
    if (e != IKH_OK) {
        fprintf(stderr, "%s:%u:%u: %s (%s)\n", path, d.line, d.column, d.msg,
                ikh_err_name(e));
        goto out;
    }
    r->seed = have_seed ? seed : r->scn->seed;
    rc = load_keys(r);
    if (rc != CLI_EXIT_OK)
        goto out;
    if (sweep > 0) {
        rc = run_sweep(r, sweep);
        goto out;
    }
    char defdir[512];
    if (out == NULL) {
        snprintf(defdir, sizeof defdir, "runs/sim-%.200s-%" PRIu64,
                 r->scn->name, r->seed);
        out = defdir;
    }
    r->out_dir = out;
    rc = run_one(r, argc, argv);
out:
    if (r) {
        for (size_t i = 0; i < IKH_SCN_MAX_PEERS; i++) {
            ikh_key_fini(&r->keys_own[i]);
            ikh_key_fini(&r->keys_peer[i]);
        }
        free(r->scn);
        free(r->res);
        free(r->ike_rows);
        free(r->esp_rows);
        free(r);
    }
    free(text);
    return rc;
}
