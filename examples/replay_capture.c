/* SPDX-License-Identifier: MIT */
/*
 * Example: judging a capture with the replay API (ikh/replay.h), the
 * library behind `ikeharness replay`. It reads a pcap/pcapng file, groups
 * the IKE messages into IKE SAs and exchanges, decrypts what the key files
 * allow (ikh/capdec.h), runs every conformance rule of
 * replay_rules_table.h (each rule's ID is the RFC section it checks, e.g.
 * RFC 7296 §3.1 for the header, RFC 4303 §3.3.3 for ESP sequence numbers)
 * and prints, per rule, how many items passed, failed, or could not be
 * checked without keys.
 *
 *   usage: example_replay_capture CAPTURE [KEYFILE...]
 *     KEYFILE: Wireshark's ikev2_decryption_table or esp_sa, or ikeharness's
 *     ike_keys.csv / esp_keys.csv (the format is told by the content).
 *   exit:  0 when no MUST rule failed and every record could be read;
 *          1 when a MUST rule failed or records were damaged;
 *          2 on a usage, file or memory error.
 *
 * The CTest test example_replay_capture runs it on a real strongSwan
 * capture from corpus/pcap/strongswan/ with its Wireshark key tables.
 *
 * Ownership: the key set (ikh_capdec_keys_new()) and the replay
 * (ikh_replay_new()) are library-allocated and freed by their _free
 * functions, which accept NULL; the replay borrows the key set, so the key
 * set is freed last. The capture reader is closed as soon as it has been
 * read. Results (stats, items, violations) are owned by the replay.
 */
#include <inttypes.h>
#include <stdio.h>

#include "ikh/capdec.h"
#include "ikh/pcap.h"
#include "ikh/replay.h"

/* Add every key file to the key set; 0 or 2 (a message printed). */
static int load_keys(ikh_capdec_keys *keys, int n, char **paths)
{
    for (int i = 0; i < n; i++) {
        ikh_capdec_diag diag = {0};
        ikh_capdec_fmt fmt = IKH_CAPDEC_FMT_NONE;
        ikh_err e = ikh_capdec_keys_load_any(keys, paths[i], &fmt, &diag);
        if (e != IKH_OK) {
            /* diag says where: line 0 is about the file itself */
            fprintf(stderr, "replay_capture: %s:%u: %s: %s\n", paths[i],
                    diag.line, ikh_err_name(e),
                    diag.msg[0] ? diag.msg : ikh_err_str(e));
            return 2;
        }
        printf("keys: %s (%s)\n", paths[i], ikh_capdec_fmt_name(fmt));
    }
    size_t n_ike = 0, n_esp = 0;
    ikh_capdec_keys_count(keys, &n_ike, &n_esp);
    printf("keys: %zu IKE SA(s), %zu ESP SA direction(s)\n", n_ike, n_esp);
    return 0;
}

/* Read the whole capture into the replay, then finish it. */
static int judge(ikh_replay *r, const char *path)
{
    char eb[256] = "";
    ikh_cap *cap = NULL;
    ikh_err e = ikh_cap_open(path, &cap, eb, sizeof eb);
    if (e != IKH_OK) {
        fprintf(stderr, "replay_capture: %s: %s: %s\n", path, ikh_err_name(e),
                eb[0] ? eb : ikh_err_str(e));
        return 2;
    }
    /* PCAP_RECORD: a damaged record stopped libpcap. What came before is
     * judged and the record is listed, so it is a result, not a failure
     * of this program; anything else (ENV_NOMEM) is. */
    e = ikh_replay_cap(r, cap, eb, sizeof eb);
    ikh_cap_close(cap);
    if (e != IKH_OK && e != IKH_ERR_PCAP_RECORD) {
        fprintf(stderr, "replay_capture: %s: %s\n", path, ikh_err_name(e));
        return 2;
    }
    /* Some rules can only be judged at the end (an exchange without a
     * response, an SA never deleted): finish before reading results. */
    e = ikh_replay_finish(r);
    if (e != IKH_OK) {
        fprintf(stderr, "replay_capture: finish: %s\n", ikh_err_name(e));
        return 2;
    }
    return 0;
}

/* Totals, one line per rule that gave a result, then the violations. */
static void report(const ikh_replay *r)
{
    const ikh_replay_stats *s = ikh_replay_get_stats(r);
    printf("frames %" PRIu64 ": %" PRIu64 " IKE message(s), %" PRIu64
           " ESP packet(s); IKE SAs %" PRIu64 ", exchanges %" PRIu64
           "; decrypted %" PRIu64 ", not decrypted %" PRIu64 "\n",
           s->frames, s->ike_msgs, s->esp_pkts, s->sas, s->exchanges,
           s->decrypted, s->undecrypted);
    printf("%-6s %-36s %6s %6s %6s\n", "level", "rule", "pass", "fail",
           "nokeys");
    for (unsigned i = 0; i < IKH_RULE__COUNT; i++) {
        ikh_rule_id id = (ikh_rule_id)i;
        uint64_t pass = ikh_replay_count(r, id, IKH_VERDICT_PASS);
        uint64_t fail = ikh_replay_count(r, id, IKH_VERDICT_FAIL);
        uint64_t nokeys = ikh_replay_count(r, id, IKH_VERDICT_NOKEYS);
        if (pass + fail + nokeys == 0)
            continue; /* not applicable to anything in this capture */
        const ikh_rule_info *ru = ikh_replay_rule(id);
        printf("%-6s %-36s %6" PRIu64 " %6" PRIu64 " %6" PRIu64 "\n",
               ru->level == IKH_LEVEL_MUST ? "MUST" : "SHOULD", ru->id, pass,
               fail, nokeys);
    }
    size_t nv = 0, nr = 0;
    const ikh_replay_violation *v = ikh_replay_violations(r, &nv);
    for (size_t k = 0; k < nv; k++)
        printf("violation: frame %" PRIu64 " %s: %s\n", v[k].frame,
               ikh_replay_rule(v[k].rule)->id, v[k].detail);
    const ikh_replay_record_err *re = ikh_replay_record_errs(r, &nr);
    for (size_t k = 0; k < nr; k++)
        printf("damaged record %" PRIu64 ": %s\n", re[k].frame,
               ikh_err_name(re[k].err));
    printf("violations: %" PRIu64 " MUST, %" PRIu64 " SHOULD; damaged "
           "records: %" PRIu64 "\n",
           s->fail[IKH_LEVEL_MUST], s->fail[IKH_LEVEL_SHOULD], s->record_errs);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CAPTURE [KEYFILE...]\n", argv[0]);
        return 2;
    }
    ikh_capdec_keys *keys = NULL;
    ikh_replay *r = NULL;
    int rc = 2;
    ikh_err e = ikh_capdec_keys_new(&keys);
    if (e != IKH_OK) {
        fprintf(stderr, "replay_capture: keys: %s\n", ikh_err_name(e));
        goto out;
    }
    if (load_keys(keys, argc - 2, argv + 2) != 0)
        goto out;
    /* NULL keys would work too: rules that look inside SK payloads or ESP
     * plaintext then report "nokeys" instead of pass or fail. */
    e = ikh_replay_new(keys, &r);
    if (e != IKH_OK) {
        fprintf(stderr, "replay_capture: %s\n", ikh_err_name(e));
        goto out;
    }
    if (judge(r, argv[1]) != 0)
        goto out;
    report(r);
    const ikh_replay_stats *s = ikh_replay_get_stats(r);
    rc = s->fail[IKH_LEVEL_MUST] == 0 && s->record_errs == 0 ? 0 : 1;
out:
    ikh_replay_free(r);         /* borrows keys: free it first */
    ikh_capdec_keys_free(keys); /* wipes the keys */
    return rc;
}
