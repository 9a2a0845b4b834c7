/* SPDX-License-Identifier: MIT */
/*
 * `ikeharness replay`: judge a capture (pcap/pcapng) against the
 * conformance rules (pcap/include/ikh/replay.h, docs/conformance.md),
 * decrypting with key files when given, and leave a run folder:
 * run.json, conformance.json, junit.xml, events.jsonl, metrics.json,
 * metrics.prom. A readable summary is printed at the end.
 *
 * Exit: 0 pass; 1 a rule failed at the --fail-on level, or the capture
 * is damaged (records with framing errors, a damaged record that stopped
 * the reader) unless --fail-on none; 2 bad usage, unreadable capture or
 * key file, run folder not writable; 127 an option not built yet.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "ikh/capdec.h"
#include "ikh/replay.h"
#include "replay_extras.h"
#include "report.h"

#define REPLAY_MAX_KEYS 64

typedef enum fail_on {
    FAIL_ON_MUST = 0,
    FAIL_ON_SHOULD,
    FAIL_ON_NONE,
} fail_on;

typedef struct replay_opts {
    const char *capture;
    const char *keys[REPLAY_MAX_KEYS];
    size_t n_keys;
    const char *charon[REPLAY_MAX_KEYS];
    size_t n_charon;
    const char *rules;
    const char *out_dir;
    const char *format;
    const char *corpus_dir; /* --extract-corpus */
    fail_on fail;
    bool list, quiet;
    bool no_html; /* --no-html: no index.html in the run folder */
    bool against_stack, tshark;
    unsigned bench; /* --bench N: rounds, 0 = off */
} replay_opts;

static void replay_usage(FILE *f)
{
    fprintf(
        f,
        "usage: ikeharness replay CAPTURE [options]\n"
        "       ikeharness replay --list-rules [--format md|json]\n"
        "  CAPTURE              a pcap or pcapng file\n"
        "  --keys FILE...       key files, told apart by content: "
        "ike_keys.csv,\n"
        "                       esp_keys.csv, Wireshark "
        "ikev2_decryption_table\n"
        "                       and esp_sa; a folder: every key file in it;\n"
        "                       without keys the rules inside SK/ESP say\n"
        "                       'not checkable'\n"
        "  --keys-from-charon-log FILE  IKE and ESP keys from a strongSwan\n"
        "                       charon log written at ike = 4, chd = 4\n"
        "  --rules SET          all (default), must, should, or a comma list\n"
        "                       of rule IDs (docs/conformance.md)\n"
        "  --out DIR            run folder (default runs/replay-PARENT-NAME:\n"
        "                       the capture's folder and file name)\n"
        "  --fail-on LEVEL      must (default), should or none: which\n"
        "                       failures make the exit code 1\n"
        "  --quiet              print only the verdict line\n"
        "  --no-html            no index.html in the run folder (the HTML\n"
        "                       page; ikeharness report makes it later)\n"
        "  --extract-corpus DIR every IKE message as a fuzz seed in DIR,\n"
        "                       and in the clear where the keys open it\n"
        "  --against-stack      answer the capture's IKE_SA_INIT requests\n"
        "                       with an ikeharness responder and judge the\n"
        "                       answers (OUT/against-stack/)\n"
        "  --tshark             compare every decoded field with tshark\n"
        "                       (OUT/tshark-diff.txt)\n"
        "  --bench N            judge the capture N times (1..1000) in\n"
        "                       this process and print messages per second\n"
        "                       (no run folder; bench/bench_replay.sh adds\n"
        "                       tshark's figure)\n"
        "exit: 0 pass, 1 fail (rules at --fail-on, damaged capture), 2 usage "
        "or input error\n");
}

/* 0 ok, else an exit code. */
static int parse_args(int argc, char **argv, replay_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_val = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            replay_usage(stdout);
            return -1;
        } else if (strcmp(a, "--extract-corpus") == 0 && has_val) {
            o->corpus_dir = argv[++i];
        } else if (strcmp(a, "--bench") == 0 && has_val) {
            char *end = NULL;
            const char *v = argv[++i];
            unsigned long n = strtoul(v, &end, 10);
            if (v[0] < '1' || v[0] > '9' || *end != '\0' || n > 1000) {
                fprintf(stderr,
                        "ikeharness: replay: --bench takes a round count "
                        "1..1000, not '%s'\n",
                        v);
                return CLI_EXIT_USAGE;
            }
            o->bench = (unsigned)n;
        } else if (strcmp(a, "--against-stack") == 0) {
            o->against_stack = true;
        } else if (strcmp(a, "--tshark") == 0) {
            o->tshark = true;
        } else if (strcmp(a, "--list-rules") == 0) {
            o->list = true;
        } else if (strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--no-html") == 0) {
            o->no_html = true;
        } else if (strcmp(a, "--format") == 0 && has_val) {
            o->format = argv[++i];
        } else if (strcmp(a, "--rules") == 0 && has_val) {
            o->rules = argv[++i];
        } else if (strcmp(a, "--out") == 0 && has_val) {
            o->out_dir = argv[++i];
        } else if (strcmp(a, "--fail-on") == 0 && has_val) {
            const char *v = argv[++i];
            if (strcmp(v, "must") == 0)
                o->fail = FAIL_ON_MUST;
            else if (strcmp(v, "should") == 0)
                o->fail = FAIL_ON_SHOULD;
            else if (strcmp(v, "none") == 0)
                o->fail = FAIL_ON_NONE;
            else {
                fprintf(stderr,
                        "ikeharness: replay: --fail-on takes must, should or "
                        "none, not '%s'\n",
                        v);
                return CLI_EXIT_USAGE;
            }
        } else if (strcmp(a, "--keys") == 0 && has_val) {
            while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0 &&
                   (o->n_keys == 0 || o->capture != NULL || i + 2 < argc)) {
                if (o->n_keys == REPLAY_MAX_KEYS) {
                    fprintf(stderr,
                            "ikeharness: replay: more than %d key "
                            "files\n",
                            REPLAY_MAX_KEYS);
                    return CLI_EXIT_USAGE;
                }
                o->keys[o->n_keys++] = argv[++i];
            }
        } else if (strcmp(a, "--keys-from-charon-log") == 0 && has_val) {
            if (o->n_charon == REPLAY_MAX_KEYS) {
                fprintf(stderr,
                        "ikeharness: replay: more than %d charon logs\n",
                        REPLAY_MAX_KEYS);
                return CLI_EXIT_USAGE;
            }
            o->charon[o->n_charon++] = argv[++i];
        } else if (a[0] != '-' && o->capture == NULL) {
            o->capture = a;
        } else {
            fprintf(stderr,
                    "ikeharness: replay: unknown or incomplete option '%s'\n",
                    a);
            replay_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    return 0;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *base_name(const char *p)
{
    const char *b = strrchr(p, '/');
    return b ? b + 1 : p;
}

/* The default run folder: runs/replay-PARENT-STEM from the capture's path
 * (corpus/pcap/strongswan/psk-ikh-initiator/wire.pcap gives
 * runs/replay-psk-ikh-initiator-wire), so the many captures named
 * wire.pcap or capture.pcap do not overwrite each other's reports; a
 * capture in the current folder gives runs/replay-STEM. */
static void default_out(const char *capture, char *buf, size_t cap)
{
    const char *base = base_name(capture);
    size_t stem = strcspn(base, ".");
    if (stem == 0)
        stem = strlen(base);
    const char *parent = NULL;
    size_t plen = 0;
    if (base != capture) {
        const char *end = base - 1; /* the '/' before base */
        const char *p = end;
        while (p > capture && p[-1] != '/')
            p--;
        parent = p;
        plen = (size_t)(end - p);
        if ((plen == 1 && parent[0] == '.') ||
            (plen == 2 && parent[0] == '.' && parent[1] == '.'))
            plen = 0;
    }
    if (plen > 0)
        snprintf(buf, cap, "runs/replay-%.*s-%.*s",
                 (int)(plen > 150 ? 150 : plen), parent,
                 (int)(stem > 150 ? 150 : stem), base);
    else
        snprintf(buf, cap, "runs/replay-%.*s", (int)(stem > 200 ? 200 : stem),
                 base);
}

static int keys_fail(const char *path, ikh_err e, const ikh_capdec_diag *dg)
{
    if (dg->line > 0 && dg->field > 0)
        fprintf(stderr, "ikeharness: replay: %s:%u: field %u: %s (%d): %s\n",
                path, dg->line, dg->field, ikh_err_name(e), (int)e,
                dg->msg[0] ? dg->msg : ikh_err_str(e));
    else if (dg->line > 0)
        fprintf(stderr, "ikeharness: replay: %s:%u: %s (%d): %s\n", path,
                dg->line, ikh_err_name(e), (int)e,
                dg->msg[0] ? dg->msg : ikh_err_str(e));
    else
        fprintf(stderr, "ikeharness: replay: %s: %s (%d): %s\n", path,
                ikh_err_name(e), (int)e, ikh_err_str(e));
    return CLI_EXIT_USAGE;
}

static bool key_fmt(ikh_capdec_fmt f)
{
    return f == IKH_CAPDEC_FMT_IKE_CSV || f == IKH_CAPDEC_FMT_ESP_CSV ||
           f == IKH_CAPDEC_FMT_WS_IKE || f == IKH_CAPDEC_FMT_WS_ESP;
}

/* One key file, its format told by content. In a folder (@p in_dir) a
 * file in no key format is skipped (*found unchanged); a named one is an
 * error. */
static int load_one(ikh_capdec_keys *k, const char *path, bool in_dir,
                    int *found)
{
    ikh_capdec_diag dg = {0};
    ikh_capdec_fmt fmt = IKH_CAPDEC_FMT_NONE;
    ikh_err e = ikh_capdec_keys_load_any(k, path, &fmt, &dg);
    if (in_dir && !key_fmt(fmt))
        return 0;
    if (e != IKH_OK)
        return keys_fail(path, e, &dg);
    if (fmt == IKH_CAPDEC_FMT_NONE)
        fprintf(stderr,
                "ikeharness: replay: %s: warning: no SAs in it (empty or "
                "comments only)\n",
                path);
    (*found)++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a folder, in name order, that is a key file. */
static int load_dir(ikh_capdec_keys *k, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "ikeharness: replay: %s: cannot open the folder\n",
                dir);
        return CLI_EXIT_USAGE;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL && n < 256)
        if (ent->d_name[0] != '.')
            names[n++] = strdup(ent->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    int rc = 0, found = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        if (names[i] == NULL)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (rc == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            rc = load_one(k, path, true, &found);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    if (rc == 0 && found == 0) {
        fprintf(stderr,
                "ikeharness: replay: %s: no key file in this folder "
                "(ike_keys.csv, esp_keys.csv, ikev2_decryption_table, "
                "esp_sa)\n",
                dir);
        rc = CLI_EXIT_USAGE;
    }
    return rc;
}

/* --keys: files (format by content) and folders (every key file). */
static int load_keys(ikh_capdec_keys *k, const replay_opts *o)
{
    for (size_t i = 0; i < o->n_keys; i++) {
        const char *p = o->keys[i];
        int found = 0;
        int rc = is_dir(p) ? load_dir(k, p) : load_one(k, p, false, &found);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* --keys-from-charon-log: keys from the logs, then the SPIs of rekeyed
 * IKE SAs from the capture. A log with no keys at all is an error. */
static int load_charon(ikh_capdec_keys *k, const replay_opts *o)
{
    for (size_t i = 0; i < o->n_charon; i++) {
        const char *p = o->charon[i];
        ikh_capdec_diag dg = {0};
        ikh_capdec_charon_stats st;
        ikh_err e = ikh_capdec_keys_load_charon(k, p, &st, &dg);
        if (e != IKH_OK)
            return keys_fail(p, e, &dg);
        if (st.ike == 0 && st.esp == 0) {
            fprintf(stderr,
                    "ikeharness: replay: %s: no IKE or ESP keys in this log "
                    "(charon must log with ike = 4 and chd = 4)\n",
                    p);
            return CLI_EXIT_USAGE;
        }
        if (!o->quiet)
            fprintf(stderr,
                    "ikeharness: replay: %s: %zu IKE SAs (%zu without SPIs "
                    "in the log), %zu ESP SA directions\n",
                    p, st.ike, st.ike_unbound, st.esp);
    }
    size_t left = 0;
    char msg[256];
    ikh_err e = ikh_capdec_keys_bind(k, o->capture, &left, msg, sizeof msg);
    if (e != IKH_OK && e != IKH_ERR_PCAP_RECORD) {
        fprintf(stderr, "ikeharness: replay: %s: %s (%d): %s\n", o->capture,
                ikh_err_name(e), (int)e, msg[0] ? msg : ikh_err_str(e));
        return CLI_EXIT_USAGE;
    }
    if (left > 0)
        fprintf(stderr,
                "ikeharness: replay: warning: %zu IKE SAs of the charon log "
                "match no message of the capture (not used)\n",
                left);
    return 0;
}

/* --rules: all, must, should, or a comma list of IDs. */
static int rule_set(const char *spec, bool keep[IKH_RULE__COUNT])
{
    bool all = spec == NULL || strcmp(spec, "all") == 0;
    bool must = spec != NULL && strcmp(spec, "must") == 0;
    bool should = spec != NULL && strcmp(spec, "should") == 0;
    for (unsigned i = 0; i < IKH_RULE__COUNT; i++) {
        ikh_rule_level l = ikh_replay_rule((ikh_rule_id)i)->level;
        keep[i] = all || (must && l == IKH_LEVEL_MUST) ||
                  (should && l == IKH_LEVEL_SHOULD);
    }
    if (all || must || should)
        return 0;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        ikh_rule_id id;
        if (!ikh_replay_rule_find(tok, &id)) {
            fprintf(stderr,
                    "ikeharness: replay: --rules: unknown rule '%s' (see "
                    "ikeharness replay --list-rules)\n",
                    tok);
            return CLI_EXIT_USAGE;
        }
        keep[id] = true;
    }
    return 0;
}

static void print_summary(const ikh_replay *r, const bool keep[], bool keys)
{
    const ikh_replay_stats *s = ikh_replay_get_stats(r);
    printf("frames %llu: %llu IKE message(s), %llu ESP packet(s), %llu "
           "keepalive(s), %llu other\n",
           (unsigned long long)s->frames, (unsigned long long)s->ike_msgs,
           (unsigned long long)s->esp_pkts, (unsigned long long)s->keepalives,
           (unsigned long long)s->other);
    printf("IKE SAs %llu (rekeys followed %llu), exchanges %llu; decrypted "
           "%llu, not decrypted %llu%s\n",
           (unsigned long long)s->sas, (unsigned long long)s->rekeys,
           (unsigned long long)s->exchanges, (unsigned long long)s->decrypted,
           (unsigned long long)s->undecrypted, keys ? "" : " (no --keys)");
    size_t nv = 0, nr = 0;
    const ikh_replay_violation *v = ikh_replay_violations(r, &nv);
    const ikh_replay_record_err *re = ikh_replay_record_errs(r, &nr);
    unsigned checked = 0, nokeys = 0;
    for (unsigned i = 0; i < IKH_RULE__COUNT; i++) {
        if (!keep[i])
            continue;
        const ikh_rule_info *ru = ikh_replay_rule((ikh_rule_id)i);
        uint64_t fl = ikh_replay_count(r, (ikh_rule_id)i, IKH_VERDICT_FAIL);
        uint64_t ps = ikh_replay_count(r, (ikh_rule_id)i, IKH_VERDICT_PASS);
        uint64_t nk = ikh_replay_count(r, (ikh_rule_id)i, IKH_VERDICT_NOKEYS);
        checked += fl + ps > 0;
        nokeys += nk > 0;
        if (fl == 0)
            continue;
        printf("FAIL %-6s %-30s %llu item(s), frames",
               ru->level == IKH_LEVEL_MUST ? "MUST" : "SHOULD", ru->id,
               (unsigned long long)fl);
        unsigned shown = 0;
        const char *detail = "";
        for (size_t k = 0; k < nv; k++) {
            if (v[k].rule != (ikh_rule_id)i)
                continue;
            if (shown == 0)
                detail = v[k].detail;
            if (shown++ < 8)
                printf(" %llu", (unsigned long long)v[k].frame);
        }
        printf("%s\n     %s\n", shown > 8 ? " ..." : "", detail);
    }
    if (nokeys > 0) {
        printf("not checkable without keys:");
        for (unsigned i = 0; i < IKH_RULE__COUNT; i++)
            if (keep[i] &&
                ikh_replay_count(r, (ikh_rule_id)i, IKH_VERDICT_NOKEYS) > 0)
                printf(" %s", ikh_replay_rule((ikh_rule_id)i)->id);
        printf("\n");
    }
    for (size_t k = 0; k < nr && k < 20; k++)
        printf("damaged record %llu: %s (%d): %s\n",
               (unsigned long long)re[k].frame, ikh_err_name(re[k].err),
               (int)re[k].err, ikh_err_str(re[k].err));
    if (s->record_errs > nr || nr > 20)
        printf("... %llu damaged record(s) in all\n",
               (unsigned long long)s->record_errs);
    printf("rules: %u checked, %u with results not checkable without keys; "
           "violations: %llu MUST, %llu SHOULD\n",
           checked, nokeys, (unsigned long long)s->fail[0],
           (unsigned long long)s->fail[1]);
}

static ikh_err write_run_json(const replay_opts *o, int argc, char **argv,
                              const ikh_replay *r, const char *verdict, int rc)
{
    static char buf[65536];
    const ikh_replay_stats *s = ikh_replay_get_stats(r);
    ikh_json j;
    ikh_json_init(&j, buf, sizeof buf);
    ikh_json_obj_open(&j, NULL);
    ikh_json_str(&j, "command", "replay");
    ikh_json_str(&j, "cmdline", cli_cmdline(argc, argv));
    ikh_json_str(&j, "version", IKH_VERSION);
    ikh_json_str(&j, "input", o->capture);
    ikh_json_str(&j, "rules", o->rules ? o->rules : "all");
    static const char *const fo[] = {"must", "should", "none"};
    ikh_json_str(&j, "fail_on", fo[o->fail]);
    ikh_json_str(&j, "verdict", verdict);
    ikh_json_i64(&j, "exit_code", rc);
    ikh_json_obj_open(&j, "counts");
    ikh_json_u64(&j, "messages", s->ike_msgs);
    ikh_json_u64(&j, "esp_packets", s->esp_pkts);
    ikh_json_u64(&j, "exchanges", s->exchanges);
    ikh_json_u64(&j, "sas", s->sas);
    ikh_json_u64(&j, "violations_must", s->fail[0]);
    ikh_json_u64(&j, "violations_should", s->fail[1]);
    ikh_json_u64(&j, "record_errors", s->record_errs);
    ikh_json_obj_close(&j);
    static const char *const files[] = {"run.json",     "conformance.json",
                                        "junit.xml",    "events.jsonl",
                                        "metrics.json", "metrics.prom"};
    return cli_finish_run_json(&j, files, sizeof files / sizeof files[0],
                               o->out_dir);
}

static int list_rules(const replay_opts *o)
{
    bool md = o->format == NULL || strcmp(o->format, "md") == 0;
    if (!md && strcmp(o->format, "json") != 0) {
        fprintf(stderr, "ikeharness: replay: --format takes md or json\n");
        return CLI_EXIT_USAGE;
    }
    ikh_err e = ikh_replay_list_rules(stdout, md);
    if (e != IKH_OK) {
        cli_err("replay: --list-rules", e);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* Read the capture through the replay; 0 or an exit code. */
static int run_capture(const replay_opts *o, ikh_replay *r, ikh_err *rec_err)
{
    char eb[512] = "";
    ikh_cap *cap = NULL;
    ikh_err e = ikh_cap_open(o->capture, &cap, eb, sizeof eb);
    if (e != IKH_OK) {
        fprintf(stderr, "ikeharness: replay: %s: %s (%d): %s%s%s\n", o->capture,
                ikh_err_name(e), (int)e, ikh_err_str(e), eb[0] ? ": " : "", eb);
        return CLI_EXIT_USAGE;
    }
    e = ikh_replay_cap(r, cap, eb, sizeof eb);
    ikh_cap_close(cap);
    *rec_err = e;
    if (e == IKH_ERR_PCAP_RECORD) {
        fprintf(stderr,
                "ikeharness: replay: %s: the reader stopped: %s (%d): %s%s%s\n",
                o->capture, ikh_err_name(e), (int)e, ikh_err_str(e),
                eb[0] ? ": " : "", eb);
        return 0;
    }
    if (e != IKH_OK) {
        cli_err("replay", e);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* --bench N: the whole judgement (read, every rule, decryption with the
 * keys given, finish) N times in this process; prints each figure. */
static int bench(const replay_opts *o, const ikh_capdec_keys *keys)
{
    static double t[1000];
    uint64_t items = 0;
    for (unsigned i = 0; i < o->bench; i++) {
        ikh_replay *r = NULL;
        ikh_err e = ikh_replay_new(keys, &r);
        if (e != IKH_OK) {
            cli_err("replay --bench", e);
            return CLI_EXIT_USAGE;
        }
        ikh_err rec = IKH_OK;
        double t0 = now_s();
        int rc = run_capture(o, r, &rec);
        if (rc == 0 && (e = ikh_replay_finish(r)) != IKH_OK) {
            cli_err("replay --bench", e);
            rc = CLI_EXIT_USAGE;
        }
        t[i] = now_s() - t0;
        const ikh_replay_stats *st = ikh_replay_get_stats(r);
        items = st->ike_msgs + st->esp_pkts;
        ikh_replay_free(r);
        if (rc != 0)
            return rc;
    }
    qsort(t, o->bench, sizeof t[0], cmp_double);
    double med = t[o->bench / 2], best = t[0];
    printf("replay bench %s: %llu messages (IKE and ESP), %u rounds, "
           "every rule%s\n",
           o->capture, (unsigned long long)items, o->bench,
           keys ? ", decrypting with the keys given" : ", no keys");
    printf("  median %.6f s  %.0f messages/s\n", med,
           med > 0 ? (double)items / med : 0.0);
    printf("  best   %.6f s  %.0f messages/s\n", best,
           best > 0 ? (double)items / best : 0.0);
    return CLI_EXIT_OK;
}

/* Keys were given: say when they opened nothing (or not everything) the
 * capture holds, so wrong keys are never a silent pass. */
static void warn_unused_keys(const ikh_replay *r)
{
    const ikh_replay_stats *s = ikh_replay_get_stats(r);
    size_t n = 0;
    const ikh_replay_item *it = ikh_replay_items(r, &n);
    uint64_t esp_open = 0;
    for (size_t i = 0; i < n; i++)
        esp_open += it[i].kind == IKH_ITEM_ESP && it[i].decrypted;
    uint64_t esp_shut = s->esp_pkts - esp_open;
    if (s->decrypted == 0 && esp_open == 0 && (s->undecrypted | esp_shut))
        fprintf(stderr,
                "ikeharness: replay: warning: the keys given match no SA of "
                "this capture: %llu encrypted IKE message(s) and %llu ESP "
                "packet(s) not decrypted, their rules 'not checkable' (are "
                "they the keys of this capture?)\n",
                (unsigned long long)s->undecrypted,
                (unsigned long long)esp_shut);
    else if (s->undecrypted | esp_shut)
        fprintf(stderr,
                "ikeharness: replay: warning: %llu encrypted IKE message(s) "
                "and %llu ESP packet(s) had no key among those given\n",
                (unsigned long long)s->undecrypted,
                (unsigned long long)esp_shut);
}

int cmd_replay(int argc, char **argv)
{
    replay_opts o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (o.list)
        return list_rules(&o);
    if (o.capture == NULL) {
        fprintf(stderr, "ikeharness: replay: give a CAPTURE\n");
        replay_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    bool keep[IKH_RULE__COUNT];
    rc = rule_set(o.rules, keep);
    if (rc != 0)
        return rc;
    char defdir[512];
    if (o.out_dir == NULL) {
        default_out(o.capture, defdir, sizeof defdir);
        o.out_dir = defdir;
    }
    ikh_capdec_keys *keys = NULL;
    ikh_replay *r = NULL;
    rc = CLI_EXIT_USAGE;
    if (o.n_keys > 0 || o.n_charon > 0) {
        ikh_err e = ikh_capdec_keys_new(&keys);
        if (e != IKH_OK) {
            cli_err("replay", e);
            goto out;
        }
        if (load_keys(keys, &o) != 0)
            goto out;
        if (o.n_charon > 0 && load_charon(keys, &o) != 0)
            goto out;
    }
    if (o.bench > 0) {
        rc = bench(&o, keys);
        goto out;
    }
    ikh_err e = ikh_replay_new(keys, &r);
    if (e != IKH_OK) {
        cli_err("replay", e);
        goto out;
    }
    ikh_err rec_err = IKH_OK;
    int run = run_capture(&o, r, &rec_err);
    if (run != 0) {
        rc = run;
        goto out;
    }
    e = ikh_replay_finish(r);
    if (e == IKH_OK)
        e = ikh_replay_select(r, keep);
    if (e != IKH_OK) {
        cli_err("replay", e);
        goto out;
    }
    const ikh_replay_stats *s = ikh_replay_get_stats(r);
    bool fail =
        (o.fail != FAIL_ON_NONE && (s->fail[0] > 0 || s->record_errs > 0)) ||
        (o.fail == FAIL_ON_SHOULD && s->fail[1] > 0);
    rc = fail ? CLI_EXIT_FAIL : CLI_EXIT_OK;
    const char *verdict = fail ? "fail" : "pass";
    if (cli_mkdirs(o.out_dir) != IKH_OK) {
        fprintf(stderr, "ikeharness: replay: cannot create %s\n", o.out_dir);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    /* the extras: each can fail the run (1) or stop it (2) */
    int xr[3] = {CLI_EXIT_OK, CLI_EXIT_OK, CLI_EXIT_OK};
    if (o.corpus_dir != NULL)
        xr[0] = replay_extract_corpus(o.capture, keys, o.corpus_dir, o.quiet);
    if (o.against_stack)
        xr[1] = replay_against_stack(o.capture, o.out_dir, o.quiet);
    if (o.tshark)
        xr[2] = replay_tshark(o.capture, o.out_dir, o.quiet);
    for (size_t i = 0; i < 3; i++)
        if (xr[i] == CLI_EXIT_USAGE ||
            (xr[i] == CLI_EXIT_FAIL && rc == CLI_EXIT_OK)) {
            rc = xr[i];
            verdict = rc == CLI_EXIT_USAGE ? "error" : "fail";
        }
    e = ikh_replay_write_reports(r, o.out_dir, o.capture);
    if (e == IKH_OK)
        e = write_run_json(&o, argc, argv, r, verdict, rc);
    if (e != IKH_OK) {
        cli_err("replay: writing the run folder", e);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (!o.no_html) /* index.html; never changes rc */
        report_run_hook("replay", o.out_dir);
    if (keys != NULL)
        warn_unused_keys(r);
    if (!o.quiet)
        print_summary(r, keep, keys != NULL);
    printf("replay %s: %s (MUST violations %llu, SHOULD %llu, damaged "
           "records %llu); run folder %s\n",
           o.capture, verdict, (unsigned long long)s->fail[0],
           (unsigned long long)s->fail[1], (unsigned long long)s->record_errs,
           o.out_dir);
out:
    ikh_replay_free(r);
    ikh_capdec_keys_free(keys);
    return rc;
}
