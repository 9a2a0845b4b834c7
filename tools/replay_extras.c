/* SPDX-License-Identifier: MIT */
/*
 * `ikeharness replay` extras (replay_extras.h): fuzz seeds from a capture,
 * our responder against its IKE_SA_INIT requests, and the field-by-field
 * cross-check with tshark.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ikh/replay.h"
#include "ikh/replay_corpus.h"
#include "ikh/replay_stack.h"
#include "replay_extras.h"

extern char **environ;

int replay_extract_corpus(const char *capture, const ikh_capdec_keys *keys,
                          const char *dir, bool quiet)
{
    ikh_replay_extract_stats st;
    char eb[512];
    ikh_err e = ikh_replay_extract(capture, keys, dir, &st, eb, sizeof eb);
    if (e != IKH_OK) {
        fprintf(stderr,
                "ikeharness: replay: --extract-corpus %s: %s (%d): %s%s%s\n",
                dir, ikh_err_name(e), (int)e, ikh_err_str(e), eb[0] ? ": " : "",
                eb);
        return CLI_EXIT_USAGE;
    }
    if (!quiet)
        printf("extract-corpus: %llu IKE messages, %llu opened with the "
               "keys, %llu files written (%llu already there) in %s; %llu "
               "Encrypted payloads the keys did not open\n",
               (unsigned long long)st.messages,
               (unsigned long long)st.decrypted, (unsigned long long)st.written,
               (unsigned long long)st.duplicates, dir,
               (unsigned long long)st.bad);
    return CLI_EXIT_OK;
}

int replay_against_stack(const char *capture, const char *out_dir, bool quiet)
{
    char dir[4200], eb[512];
    snprintf(dir, sizeof dir, "%s/against-stack", out_dir);
    ikh_cap *cap = NULL;
    ikh_replay *r = NULL;
    ikh_replay_stack_stats st;
    ikh_err e = ikh_cap_open(capture, &cap, eb, sizeof eb);
    if (e == IKH_OK)
        e = ikh_replay_new(NULL, &r);
    if (e == IKH_OK)
        e = ikh_replay_against_stack(cap, r, &st, eb, sizeof eb);
    ikh_cap_close(cap);
    if (e == IKH_OK)
        e = ikh_replay_finish(r);
    if (e == IKH_OK)
        e = cli_mkdirs(dir);
    if (e == IKH_OK)
        e = ikh_replay_write_reports(r, dir, capture);
    if (e != IKH_OK) {
        fprintf(stderr,
                "ikeharness: replay: --against-stack: %s (%d): %s%s%s\n",
                ikh_err_name(e), (int)e, ikh_err_str(e), eb[0] ? ": " : "", eb);
        ikh_replay_free(r);
        return CLI_EXIT_USAGE;
    }
    /* our answers are the even frames (replay_stack.h) */
    size_t n = 0;
    uint64_t ours = 0, theirs = 0;
    const ikh_replay_violation *v = ikh_replay_violations(r, &n);
    for (size_t i = 0; i < n; i++) {
        if (ikh_replay_rule(v[i].rule)->level != IKH_LEVEL_MUST)
            continue;
        if (v[i].frame % 2 == 0) {
            ours++;
            fprintf(stderr,
                    "ikeharness: replay: --against-stack: our answer to "
                    "request %llu breaks %s: %s\n",
                    (unsigned long long)(v[i].frame / 2),
                    ikh_replay_rule(v[i].rule)->id, v[i].detail);
        } else {
            theirs++;
        }
    }
    if (!quiet)
        printf("against-stack: %llu IKE_SA_INIT requests, %llu answered "
               "(%llu accepted, %llu refused); MUST violations: %llu in our "
               "answers, %llu in the requests; reports in %s\n",
               (unsigned long long)st.requests, (unsigned long long)st.answered,
               (unsigned long long)st.accepted, (unsigned long long)st.refused,
               (unsigned long long)ours, (unsigned long long)theirs, dir);
    ikh_replay_free(r);
    return ours ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* The last line of @p path that starts with @p prefix, into @p line. */
static bool last_line(const char *path, const char *prefix, char *line,
                      size_t cap)
{
    FILE *f = fopen(path, "r");
    char buf[1024];
    bool found = false;
    if (f == NULL)
        return false;
    while (fgets(buf, sizeof buf, f) != NULL)
        if (strncmp(buf, prefix, strlen(prefix)) == 0) {
            snprintf(line, cap, "%s", buf);
            found = true;
        }
    fclose(f);
    line[found ? strcspn(line, "\n") : 0] = '\0';
    return found;
}

int replay_tshark(const char *capture, const char *out_dir, bool quiet)
{
    const char *script = getenv("IKH_TSHARK_DIFF");
    if (script == NULL)
        script = IKH_TSHARK_DIFF_PY;
    const char *tshark = getenv("IKH_TSHARK");
    if (tshark == NULL)
        tshark = "tshark";
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0 || access(script, R_OK) != 0) {
        fprintf(stderr,
                "ikeharness: replay: --tshark: cannot find %s (set "
                "IKH_TSHARK_DIFF to pcap/difftest/tshark_diff.py)\n",
                sl <= 0 ? "this program's path" : script);
        return CLI_EXIT_USAGE;
    }
    self[sl] = '\0';
    char out[4200];
    snprintf(out, sizeof out, "%s/tshark-diff.txt", out_dir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    char *argv[] = {"python3",        (char *)script,
                    "--ikeharness",   self,
                    "--tshark",       (char *)tshark,
                    "--min-messages", "0",
                    (char *)capture,  NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "python3", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (rc != 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) > 1) {
        fprintf(stderr,
                "ikeharness: replay: --tshark: the comparison could not run "
                "(%s; see %s)\n",
                rc != 0 ? strerror(rc) : "tshark or python3 failed", out);
        return CLI_EXIT_USAGE;
    }
    char line[1024] = "";
    last_line(out, "tshark-diff:", line, sizeof line);
    if (!quiet)
        printf("tshark: %s (every difference in %s)\n",
               line[0] ? line : "no summary line", out);
    return WEXITSTATUS(status) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
