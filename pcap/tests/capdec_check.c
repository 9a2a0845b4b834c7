/* SPDX-License-Identifier: MIT */
/*
 * capdec_check: our own decryption check of a run folder's capture
 * (capdec.h). Built for tests and engineers, never installed.
 *
 *   capdec_check --dir RUN_FOLDER [--negative-control]
 *   capdec_check --pcap FILE [--ike-keys F] [--esp-keys F] [--negative-control]
 *
 * --dir takes RUN_FOLDER/capture.pcap, ike_keys.csv and esp_keys.csv; the
 * other options override one file each. Prints one summary line; exit 0
 * when nothing is bad and something was checked, 1 when something is bad
 * (up to 10 frames listed), nothing was checked, or the negative control
 * failed, 2 for usage and input errors (missing file, malformed key line,
 * unreadable or truncated capture).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/capdec.h"

enum {
    EXIT_PASS = 0,
    EXIT_BAD = 1,
    EXIT_INPUT = 2,
    LIST_MAX = 10
};

static const char usage[] =
    "usage: capdec_check --dir RUN_FOLDER [--negative-control]\n"
    "       capdec_check --pcap FILE [--ike-keys FILE] [--esp-keys FILE]\n"
    "                    [--negative-control]\n"
    "Verifies and decrypts every IKE SK/SKF message and ESP packet of the\n"
    "SAs in the key files (ike_keys.csv, esp_keys.csv of a run folder).\n";

typedef struct opts {
    const char *dir, *pcap, *ike, *esp;
    bool negative;
    char pcap_buf[4200], ike_buf[4200], esp_buf[4200];
} opts;

static int usage_err(const char *why)
{
    fprintf(stderr, "capdec_check: %s\n%s", why, usage);
    return EXIT_INPUT;
}

static const char *in_dir(char *buf, size_t cap, const char *dir,
                          const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
    return buf;
}

static int parse_args(int argc, char **argv, opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = strcmp(a, "--dir") == 0        ? &o->dir
                           : strcmp(a, "--pcap") == 0     ? &o->pcap
                           : strcmp(a, "--ike-keys") == 0 ? &o->ike
                           : strcmp(a, "--esp-keys") == 0 ? &o->esp
                                                          : NULL;
        if (strcmp(a, "--negative-control") == 0) {
            o->negative = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            exit(EXIT_PASS);
        } else if (dst != NULL) {
            if (i + 1 >= argc)
                return usage_err("an option lacks its value");
            *dst = argv[++i];
        } else {
            fprintf(stderr, "capdec_check: unknown argument '%s'\n", a);
            return usage_err("see the usage");
        }
    }
    if (o->dir != NULL) {
        if (o->pcap == NULL)
            o->pcap =
                in_dir(o->pcap_buf, sizeof o->pcap_buf, o->dir, "capture.pcap");
        if (o->ike == NULL)
            o->ike =
                in_dir(o->ike_buf, sizeof o->ike_buf, o->dir, "ike_keys.csv");
        if (o->esp == NULL)
            o->esp =
                in_dir(o->esp_buf, sizeof o->esp_buf, o->dir, "esp_keys.csv");
    }
    if (o->pcap == NULL)
        return usage_err("no capture: give --dir or --pcap");
    if (o->ike == NULL && o->esp == NULL)
        return usage_err("no key file: give --dir, --ike-keys or --esp-keys");
    return EXIT_PASS;
}

static int load(ikh_capdec_keys *k, const char *path, bool esp)
{
    if (path == NULL)
        return EXIT_PASS;
    ikh_capdec_diag d;
    ikh_err e = ikh_capdec_keys_load(k, path, esp, &d);
    if (e == IKH_OK)
        return EXIT_PASS;
    if (d.line > 0)
        fprintf(stderr, "capdec_check: %s:%u: field %u: %s (%s, %d)\n", path,
                d.line, d.field, d.msg, ikh_err_name(e), (int)e);
    else
        fprintf(stderr, "capdec_check: %s: %s (%s, %d)\n", path, ikh_err_str(e),
                ikh_err_name(e), (int)e);
    return EXIT_INPUT;
}

static int check(const ikh_capdec_keys *k, const char *pcap,
                 ikh_capdec_result *res)
{
    char msg[512];
    ikh_err e = ikh_capdec_check(k, pcap, res, msg, sizeof msg);
    if (e == IKH_OK)
        return EXIT_PASS;
    fprintf(stderr, "capdec_check: %s: %s (%s, %d)%s%s\n", pcap, ikh_err_str(e),
            ikh_err_name(e), (int)e, msg[0] ? ": " : "", msg);
    if (e == IKH_ERR_PCAP_RECORD)
        fprintf(
            stderr,
            "capdec_check: stopped after %llu records (%llu IKE ok, "
            "%llu bad; %llu ESP ok, %llu bad)\n",
            (unsigned long long)res->frames, (unsigned long long)res->ike_ok,
            (unsigned long long)(res->ike_bad + res->ike_reasm_bad),
            (unsigned long long)res->esp_ok, (unsigned long long)res->esp_bad);
    return EXIT_INPUT;
}

static uint64_t bad_total(const ikh_capdec_result *r)
{
    return r->ike_bad + r->ike_reasm_bad + r->esp_bad;
}

static void print_summary(const ikh_capdec_result *r)
{
    printf("own decryption: %llu IKE messages (%llu SKF fragments) ok, %llu "
           "bad, %llu skipped; ESP: %llu ok, %llu bad, %llu skipped\n",
           (unsigned long long)r->ike_ok, (unsigned long long)r->ike_skf_ok,
           (unsigned long long)(r->ike_bad + r->ike_reasm_bad),
           (unsigned long long)r->ike_skipped, (unsigned long long)r->esp_ok,
           (unsigned long long)r->esp_bad, (unsigned long long)r->esp_skipped);
    if (r->ike_skf_checked > 0)
        printf("fragmented IKE messages: %llu reassembled and parsed, %llu "
               "bad, %llu incomplete\n",
               (unsigned long long)r->ike_reassembled,
               (unsigned long long)r->ike_reasm_bad,
               (unsigned long long)r->ike_incomplete);
}

static void print_bad(const ikh_capdec_result *r)
{
    size_t n = r->n_bad < LIST_MAX ? r->n_bad : LIST_MAX;
    for (size_t i = 0; i < n; i++)
        printf("  bad: frame %llu %s: %s (%d): %s\n",
               (unsigned long long)r->bad[i].frame,
               r->bad[i].esp ? "ESP" : "IKE", ikh_err_name(r->bad[i].why),
               (int)r->bad[i].why, ikh_err_str(r->bad[i].why));
    uint64_t total = bad_total(r);
    if (total > n)
        printf("  ... and %llu more\n", (unsigned long long)(total - n));
}

static void print_reasons(const ikh_capdec_result *r)
{
    printf("  failures by reason:");
    for (size_t i = 0; i < r->n_reasons; i++)
        printf(" %s %llu", ikh_err_name(r->reasons[i].err),
               (unsigned long long)r->reasons[i].count);
    printf("%s\n", r->n_reasons == 0 ? " none" : "");
}

/* Every item that verified with the right keys must fail with one bit of
 * every key flipped, and the same items must be checked. */
static int negative(ikh_capdec_keys *k, const char *pcap,
                    const ikh_capdec_result *pos)
{
    ikh_capdec_result *neg = malloc(sizeof *neg);
    if (neg == NULL)
        return EXIT_INPUT;
    ikh_capdec_keys_flip(k);
    int rc = check(k, pcap, neg);
    ikh_capdec_keys_flip(k);
    if (rc == EXIT_PASS) {
        uint64_t still = neg->ike_ok + neg->esp_ok + neg->ike_reassembled;
        bool same = neg->ike_checked == pos->ike_checked &&
                    neg->esp_checked == pos->esp_checked;
        printf("negative control (one bit flipped in every key): IKE %llu of "
               "%llu ok (were %llu), ESP %llu of %llu ok (were %llu)\n",
               (unsigned long long)neg->ike_ok,
               (unsigned long long)neg->ike_checked,
               (unsigned long long)pos->ike_ok, (unsigned long long)neg->esp_ok,
               (unsigned long long)neg->esp_checked,
               (unsigned long long)pos->esp_ok);
        print_reasons(neg);
        if (still > 0 || !same) {
            printf("negative control FAILED: %llu items still verify with "
                   "wrong keys%s\n",
                   (unsigned long long)still,
                   same ? "" : ", or other items were checked");
            rc = EXIT_BAD;
        } else {
            printf("negative control: every previously ok item now fails\n");
        }
    }
    free(neg);
    return rc;
}

int main(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    int rc = parse_args(argc, argv, &o);
    if (rc != EXIT_PASS)
        return rc;
    ikh_capdec_keys *k = NULL;
    ikh_capdec_result *res = malloc(sizeof *res);
    if (ikh_capdec_keys_new(&k) != IKH_OK || res == NULL) {
        fprintf(stderr, "capdec_check: out of memory\n");
        free(res);
        return EXIT_INPUT;
    }
    rc = load(k, o.ike, false);
    if (rc == EXIT_PASS)
        rc = load(k, o.esp, true);
    if (rc == EXIT_PASS)
        rc = check(k, o.pcap, res);
    if (rc == EXIT_PASS) {
        print_summary(res);
        if (bad_total(res) > 0) {
            print_bad(res);
            rc = EXIT_BAD;
        } else if (res->ike_checked + res->esp_checked == 0) {
            printf("nothing checked: no SK/SKF message or ESP packet of a "
                   "keyed SA in the capture\n");
            rc = EXIT_BAD;
        }
    }
    if (rc != EXIT_INPUT && o.negative) {
        int nrc = negative(k, o.pcap, res);
        if (nrc > rc)
            rc = nrc;
    }
    ikh_capdec_keys_free(k);
    free(res);
    return rc;
}
