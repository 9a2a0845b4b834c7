/* SPDX-License-Identifier: MIT */
/*
 * `ikeharness report RUN_DIR... [--out FILE.html] [--baseline RUN_DIR]`:
 * render run folders (sim, peer, replay, decode, interop, fuzz) as
 * self-contained HTML pages (report.h, docs/report.md). One RUN_DIR: the page
 * goes to
 * --out or RUN_DIR/index.html. Several: each gets RUN_DIR/index.html and
 * an index page linking them goes to --out or ./index.html.
 * Exit codes: 0 written; 2 bad arguments, an unreadable or unrecognised
 * run folder, or an I/O error (the message names the file, the reason and
 * the error code).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "report.h"

#define REPORT_MAX_RUNS 256

static void report_usage(FILE *f)
{
    fprintf(f,
            "usage: ikeharness report RUN_DIR... [--out FILE.html] "
            "[--baseline RUN_DIR]\n"
            "  RUN_DIR            a run folder of sim, peer, replay, decode "
            "--out,\n"
            "                     interop/run.sh or ci/fuzz.sh (told from its "
            "files)\n"
            "  --out FILE.html    the page (one RUN_DIR: default "
            "RUN_DIR/index.html;\n"
            "                     several: the index page, default "
            "./index.html)\n"
            "  --baseline DIR     a run of the same kind (interop or replay) "
            "to compare\n"
            "                     with: what newly fails and newly passes\n"
            "several RUN_DIRs: paths that are no run folder at all are "
            "skipped with a\n"
            "      warning (a shell glob over runs/ may name other files)\n"
            "exit: 0 written, 2 bad arguments, unreadable or unrecognised run "
            "folder,\n"
            "      or an I/O error\n");
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A folder holding one of the files a run folder of some kind has. */
static bool looks_like_run(const char *dir)
{
    static const char *const marks[] = {"run.json", "summary.json",
                                        "metrics.json"};
    if (!is_dir(dir))
        return false;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        char p[4200];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, marks[i]);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            return true;
    }
    return false;
}

int cmd_report(int argc, char **argv)
{
    const char *out = NULL, *baseline = NULL;
    const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    size_t n = 0;
    int rc = CLI_EXIT_OK;
    report_info *infos = NULL;
    if (dirs == NULL) {
        cli_err("report", IKH_ERR_ENV_NOMEM);
        return CLI_EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            report_usage(stdout);
            goto out;
        } else if (strcmp(a, "--out") == 0 || strcmp(a, "--baseline") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ikeharness: report: %s needs a value\n", a);
                rc = CLI_EXIT_USAGE;
                goto out;
            }
            if (strcmp(a, "--out") == 0)
                out = argv[++i];
            else
                baseline = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "ikeharness: report: unknown option: %s\n", a);
            report_usage(stderr);
            rc = CLI_EXIT_USAGE;
            goto out;
        } else if (n >= REPORT_MAX_RUNS) {
            fprintf(stderr, "ikeharness: report: more than %d run folders\n",
                    REPORT_MAX_RUNS);
            rc = CLI_EXIT_USAGE;
            goto out;
        } else {
            dirs[n++] = a;
        }
    }
    if (n == 0) {
        fprintf(stderr, "ikeharness: report: give at least one RUN_DIR\n");
        report_usage(stderr);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    infos = calloc(n, sizeof *infos);
    if (infos == NULL) {
        cli_err("report", IKH_ERR_ENV_NOMEM);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    char why[1024];
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const char *page = n == 1 ? out : NULL;
        /* several: what is not a run folder at all (a file, a folder
         * without run.json, summary.json or metrics.json, e.g. runs/
         * after other commands) is skipped with a warning; a run folder
         * that cannot be read stays an error */
        if (n > 1 && !looks_like_run(dirs[i])) {
            fprintf(stderr, "ikeharness: report: warning: %s skipped: %s\n",
                    dirs[i],
                    is_dir(dirs[i])
                        ? "not a run folder (no run.json, summary.json or "
                          "metrics.json)"
                        : "not a folder");
            continue;
        }
        ikh_err e = report_write_run(dirs[i], page, baseline, &infos[i], why,
                                     sizeof why);
        if (e != IKH_OK) {
            fprintf(stderr, "ikeharness: report: %s: %s (%d)\n",
                    why[0] ? why : dirs[i], ikh_err_name(e), (int)e);
            rc = CLI_EXIT_USAGE;
            goto out;
        }
        dirs[kept] = dirs[i];
        infos[kept++] = infos[i];
        if (page != NULL)
            printf("%s: %s run, %s: %s\n", dirs[i],
                   report_kind_name(infos[i].kind), infos[i].verdict, page);
        else
            printf("%s: %s run, %s: %s/index.html\n", dirs[i],
                   report_kind_name(infos[i].kind), infos[i].verdict, dirs[i]);
    }
    if (n > 1 && kept == 0) {
        fprintf(stderr,
                "ikeharness: report: none of the %zu paths is a run "
                "folder: no index written\n",
                n);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    if (n > 1) {
        const char *page = out ? out : "index.html";
        ikh_err e =
            report_write_index(page, dirs, infos, kept, why, sizeof why);
        if (e != IKH_OK) {
            fprintf(stderr, "ikeharness: report: %s: %s (%d)\n",
                    why[0] ? why : page, ikh_err_name(e), (int)e);
            rc = CLI_EXIT_USAGE;
            goto out;
        }
        printf("index: %s\n", page);
    }
out:
    free(infos);
    free(dirs);
    return rc;
}
