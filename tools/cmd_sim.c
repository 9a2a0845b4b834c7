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
#include "report.h"
#include "scn_common.h"
#include "sim_faults.h"

typedef struct sim_run {
    scn_out o; /* scenario, keys, run folder */
    uint64_t seed;
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
            "exit: 0 pass, 1 an expectation or a timeline step failed, 2 bad "
            "input\n");
}

static void json_seed(ikh_json *j, void *user)
{
    const sim_run *r = user;
    ikh_json_u64(j, "seed", r->seed);
}

static void json_sim(ikh_json *j, void *user)
{
    const ikh_scn_result *res = ((const sim_run *)user)->o.res;
    ikh_json_obj_open(j, "sim");
    ikh_json_u64(j, "sent", res->sim.sent);
    ikh_json_u64(j, "delivered", res->sim.delivered);
    ikh_json_u64(j, "lost", res->sim.lost);
    ikh_json_u64(j, "duplicated", res->sim.duplicated);
    ikh_json_u64(j, "reordered", res->sim.reordered);
    ikh_json_u64(j, "corrupted", res->sim.corrupted + res->sim.bitflips);
    ikh_json_u64(j, "truncated", res->sim.truncated);
    ikh_json_obj_close(j);
}

/* faults.jsonl: IO_WRITE when it cannot be written. */
static ikh_err write_faults(const char *dir, const sim_faults *fl)
{
    FILE *f = cli_open_out(dir, "faults.jsonl");
    if (f == NULL)
        return IKH_ERR_IO_WRITE;
    int w = sim_faults_write(fl, f);
    if (fclose(f) != 0 || w != 0)
        return IKH_ERR_IO_WRITE;
    return IKH_OK;
}

/* One run with a run folder. */
static int run_one(sim_run *r, int argc, char **argv)
{
    scn_out *o = &r->o;
    int rc = scn_out_open(o);
    if (rc != CLI_EXIT_OK)
        return rc;
    /* the capture holds what each node sent, before network faults */
    ikh_tap_set_sim_kinds(o->tap, 1u << IKH_SIM_TAP_SENT);
    /* between the sim and the capture: what the network did to each
     * sent datagram (faults.jsonl, marked in the report's ladders) */
    sim_faults fl;
    memset(&fl, 0, sizeof fl);
    fl.tap = o->tap;
    ikh_scn_hooks h;
    memset(&h, 0, sizeof h);
    h.tap = sim_faults_tap;
    h.tap_user = &fl;
    h.log = scn_out_log;
    h.log_user = o;
    h.keys = scn_out_key_hooks(o);
    h.metrics = &o->metrics;
    ikh_err e = ikh_scn_run(o->scn, r->seed, &o->keys, &h, NULL, o->res);
    ikh_err ce = scn_out_close(o);
    if (e != IKH_OK) {
        sim_faults_free(&fl);
        fprintf(stderr, "ikeharness: sim: %s: %s (%d): %s\n", o->path,
                ikh_err_name(e), (int)e, ikh_err_str(e));
        return CLI_EXIT_USAGE;
    }
    if (ce == IKH_OK)
        ce = write_faults(o->out_dir, &fl);
    sim_faults_free(&fl);
    const ikh_scn_result *res = o->res;
    rc = res->pass ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    if (ce != IKH_OK) {
        cli_err("sim: writing the run folder", ce);
        return CLI_EXIT_USAGE;
    }
    o->json_head = json_seed;
    o->json_tail = json_sim;
    o->json_user = r;
    rc = scn_out_write(o, argc, argv, rc);
    if (rc == CLI_EXIT_USAGE)
        return rc;
    report_run_hook("sim", o->out_dir); /* index.html; never changes rc */
    printf("%s: %s (seed %" PRIu64 ", %u expectations, %u step errors, "
           "%" PRIu64 " ms virtual)\n",
           o->scn->name, res->pass ? "pass" : "FAIL", r->seed,
           (unsigned)res->n_expect, (unsigned)res->step_errors,
           (uint64_t)res->end);
    printf("run folder: %s\n", o->out_dir);
    return rc;
}

/* --sweep: seeds 1..n, no files. */
static int run_sweep(sim_run *r, uint64_t n)
{
    uint64_t pass = 0;
    printf("%-8s %-6s %-10s %-10s %s\n", "seed", "result", "sent", "lost",
           "first failure");
    for (uint64_t s = 1; s <= n; s++) {
        ikh_err e = ikh_scn_run(r->o.scn, s, &r->o.keys, NULL, NULL, r->o.res);
        if (e != IKH_OK) {
            fprintf(stderr, "ikeharness: sim: seed %" PRIu64 ": %s: %s\n", s,
                    ikh_err_name(e), ikh_err_str(e));
            return CLI_EXIT_USAGE;
        }
        const ikh_scn_result *res = r->o.res;
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
    printf("%s: %" PRIu64 "/%" PRIu64 " seeds pass\n", r->o.scn->name, pass, n);
    return pass == n ? CLI_EXIT_OK : CLI_EXIT_FAIL;
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
            if (!scn_arg_u64(argv[++i], &seed)) {
                fprintf(stderr,
                        "ikeharness: sim: --seed: not a number: "
                        "%s\n",
                        argv[i]);
                return CLI_EXIT_USAGE;
            }
            have_seed = true;
        } else if (strcmp(a, "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(a, "--sweep") == 0 && i + 1 < argc) {
            if (!scn_arg_u64(argv[++i], &sweep) || sweep == 0 ||
                sweep > 1000000) {
                fprintf(stderr,
                        "ikeharness: sim: --sweep: want 1..1000000, "
                        "got %s\n",
                        argv[i]);
                return CLI_EXIT_USAGE;
            }
        } else if (a[0] == '-' || path != NULL) {
            bool valued = strcmp(a, "--seed") == 0 || strcmp(a, "--out") == 0 ||
                          strcmp(a, "--sweep") == 0;
            fprintf(stderr, "ikeharness: sim: %s: %s\n",
                    valued ? "missing value" : "unexpected argument", a);
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
    sim_run *r = calloc(1, sizeof *r);
    if (r == NULL) {
        cli_err("sim", IKH_ERR_ENV_NOMEM);
        return CLI_EXIT_USAGE;
    }
    r->o.command = "sim";
    r->o.path = path;
    int rc = scn_out_load(&r->o);
    if (rc != CLI_EXIT_OK)
        goto out;
    r->seed = have_seed ? seed : r->o.scn->seed;
    if (sweep > 0) {
        rc = run_sweep(r, sweep);
        goto out;
    }
    char defdir[512];
    if (out == NULL) {
        snprintf(defdir, sizeof defdir, "runs/sim-%.200s-%" PRIu64,
                 r->o.scn->name, r->seed);
        out = defdir;
    }
    r->o.out_dir = out;
    rc = run_one(r, argc, argv);
out:
    scn_out_free(&r->o);
    free(r);
    return rc;
}
