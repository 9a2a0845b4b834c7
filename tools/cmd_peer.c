/* SPDX-License-Identifier: MIT */
/*
 * `ikeharness peer --config FILE --name PEER [--role initiator|responder]
 * [--out DIR] [--duration D] [--seed N]`: play one peer of a scenario file
 * as a live IKEv2 node on real UDP sockets and the monotonic clock, against
 * a real remote implementation (the peer named by its `remote` key). The
 * peer's timeline steps run at their offsets in real time, its data plane
 * answers ICMP echo requests, its expectations are checked at the end (or
 * at their `at`), and the run folder is written as for `sim`.
 *
 * The loop waits in ikh_udp_recv() until the next of: the node's deadline,
 * the next step, traffic packet or timed expectation, the end of the run;
 * the wait is cut into slices of at most PEER_SLICE_MS so that SIGINT and
 * SIGTERM (poll() is restarted by the driver) end the run promptly: the
 * IKE SAs are then deleted with a grace of PEER_GRACE_MS.
 * Exit codes: 0 pass, 1 an expectation failed, 2 bad input or environment.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ikh/udp.h"
#include "report.h"
#include "scn_common.h"

/* Longest single wait, so a signal is seen within this time. */
#define PEER_SLICE_MS 200u
/* How long the polite deletes of a shutdown may take. */
#define PEER_GRACE_MS 2000u
/* Echo sequence numbers whose replies are told apart from duplicates. */
#define PEER_SEQ_TRACK 1024u

/* A traffic generator started by a TRAFFIC step. */
typedef struct peer_gen {
    const ikh_scn_step *st;
    uint32_t sent;
    ikh_time_ms next;
    uint32_t replies; /* echo replies that came back (ICMP steps) */
    uint8_t seen[PEER_SEQ_TRACK / 8]; /* replies seen, by sequence */
} peer_gen;

typedef struct peer_run {
    scn_out o;        /* scenario, keys, run folder */
    const char *name; /* the peer we play */
    size_t idx;       /* its index */
    bool initiator;   /* run initiate steps */
    bool seeded;      /* --seed given: DRBG instead of getrandom */
    uint64_t seed;
    ikh_time_ms end; /* duration (ms from the start) */
    ikh_time_ms t0;  /* monotonic clock at the start */
    ikh_time_ms now; /* ms since t0, as handed to the node */
    ikh_udp *udp;
    ikh_node *node;
    ikh_scn_check check;
    bool not_checked[IKH_SCN_MAX_EXPECT];
    bool done[IKH_SCN_MAX_EXPECT];
    peer_gen gens[IKH_SCN_MAX_STEPS];
    size_t n_gens;
    ikh_udp_stats stats;
    int signo; /* the signal that ended the run; 0: none */
    uint8_t pkt[9000];
    uint8_t rx[IKH_UDP_DGRAM_MAX];
} peer_run;

static volatile sig_atomic_t peer_stop;

static void on_signal(int sig)
{
    peer_stop = sig;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: ikeharness peer --config FILE --name PEER "
            "[--role initiator|responder]\n"
            "                       [--out DIR] [--duration D] [--seed N]\n"
            "  --config FILE  a scenario file (docs/scenario-format.md)\n"
            "  --name PEER    the peer this process plays; the peer named by "
            "its\n"
            "                 'remote' key is the real remote implementation\n"
            "  --role R       initiator (default when the timeline initiates "
            "from\n"
            "                 PEER) runs its initiate steps; responder waits\n"
            "  --out DIR      run folder (default runs/peer-<name>-<peer>)\n"
            "  --duration D   run length (250ms, 30s, 2m; default: the "
            "scenario's)\n"
            "  --seed N       seeded randomness (default: the OS's)\n"
            "SIGINT/SIGTERM end the run: IKE SAs are deleted (2 s grace), "
            "the run\nfolder is written.\n"
            "exit: 0 pass, 1 an expectation failed, 2 bad input or "
            "environment\n");
}

/* A duration: an integer with ms, s, m or h (no suffix: ms). */
static bool parse_duration(const char *s, ikh_time_ms *out)
{
    static const struct {
        const char *sfx;
        uint64_t mul;
    } units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
    char num[32];
    size_t n = strspn(s, "0123456789");
    uint64_t v = 0, mul = 1;
    if (n == 0 || n >= sizeof num)
        return false;
    memcpy(num, s, n);
    num[n] = '\0';
    if (!scn_arg_u64(num, &v))
        return false;
    if (s[n] != '\0') {
        size_t k = 0;
        while (k < sizeof units / sizeof units[0] &&
               strcmp(s + n, units[k].sfx) != 0)
            k++;
        if (k == sizeof units / sizeof units[0])
            return false;
        mul = units[k].mul;
    }
    if (v == 0 || v > UINT64_MAX / 2 / mul)
        return false;
    *out = v * mul;
    return true;
}

/* The node's clock: ms since the start of the run. */
static ikh_err peer_clock(peer_run *r)
{
    ikh_time_ms t;
    IKH_TRY(ikh_udp_now(&t));
    if (t - r->t0 > r->now)
        r->now = t - r->t0;
    return IKH_OK;
}

static void peer_log(void *user, ikh_level lvl, const char *line, size_t len)
{
    peer_run *r = user;
    ikh_scn_check_line(&r->check, line, len);
    scn_out_log(&r->o, lvl, line, len);
}

/* The capture carries run time, like events.jsonl. */
static void peer_tap(void *user, ikh_udp_tap_kind kind, const ikh_dgram *dg,
                     ikh_time_ms t)
{
    peer_run *r = user;
    ikh_tap_udp(r->o.tap, kind, dg, t >= r->t0 ? t - r->t0 : 0);
}

/* An echo reply to one of our ICMP traffic steps: count it once per
 * sequence number. Every step numbers its requests from 1 with the same
 * identifier, so the newest step that sent that number and has not seen
 * its reply yet takes it. True when it was a reply to us. */
static bool count_reply(peer_run *r, const ikh_inner_pkt *ip)
{
    bool ours = false;
    for (size_t i = r->n_gens; i-- > 0;) {
        peer_gen *g = &r->gens[i];
        uint32_t seq = 0;
        if (!ikh_scn_echo_match(ip->data.p, ip->data.len, g->st, &seq))
            continue;
        ours = true;
        if (seq == 0 || seq > g->sent)
            continue; /* not one this step sent (yet) */
        if (seq <= PEER_SEQ_TRACK) {
            uint8_t bit = (uint8_t)(1u << ((seq - 1) % 8));
            if (g->seen[(seq - 1) / 8] & bit)
                continue; /* seen: an older step's, or a duplicate */
            g->seen[(seq - 1) / 8] |= bit;
        }
        g->replies++;
        return true;
    }
    return ours;
}

/* Data plane: count replies to our pings, answer echo requests of tunnel
 * mode through our node. */
static void peer_deliver(void *user, const ikh_inner_pkt *ip)
{
    peer_run *r = user;
    if (ip->transport || ip->data.len > sizeof r->pkt)
        return;
    if (count_reply(r, ip))
        return;
    memcpy(r->pkt, ip->data.p, ip->data.len);
    if (!ikh_scn_echo_reply(r->pkt, ip->data.len))
        return;
    /* a reply without a Child SA back is counted by the node */
    ikh_err ignored =
        ikh_node_send_inner(r->node, r->pkt, ip->data.len, r->now, NULL);
    (void)ignored;
}

static void step_error(peer_run *r, const ikh_scn_step *st, ikh_err e)
{
    ikh_scn_result *res = r->o.res;
    if (res->step_errors++ == 0)
        snprintf(res->first_step_error, sizeof res->first_step_error,
                 "line %u: step failed: %s (%s)", st->line, ikh_err_name(e),
                 ikh_err_str(e));
}

/* Is step @p st ours to run? Notes the ones that are not. */
static bool step_ours(const peer_run *r, const ikh_scn_step *st)
{
    const char *why = NULL;
    if (st->op == IKH_SCN_FAULTS)
        why = "faults steps apply to the simulator only";
    else if (st->peer != r->idx)
        why = "another peer's step";
    else if (st->op == IKH_SCN_INITIATE && !r->initiator)
        why = "initiate step, role responder";
    if (why != NULL)
        fprintf(stderr, "ikeharness: peer: %s:%u: step ignored (%s)\n",
                r->o.path, st->line, why);
    return why == NULL;
}

/* Run due steps, traffic packets and timed expectations. */
static void run_due(peer_run *r, size_t *si)
{
    const ikh_scenario *s = r->o.scn;
    for (; *si < s->n_steps && s->steps[*si].at <= r->now; (*si)++) {
        const ikh_scn_step *st = &s->steps[*si];
        if (!step_ours(r, st))
            continue;
        if (st->op == IKH_SCN_TRAFFIC) {
            peer_gen *g = &r->gens[r->n_gens++]; /* n_steps bounds it */
            memset(g, 0, sizeof *g);
            g->st = st;
            g->next = r->now;
            continue;
        }
        ikh_err e = ikh_scn_step_node(r->node, st, r->now);
        if (e != IKH_OK)
            step_error(r, st, e);
    }
    for (size_t i = 0; i < r->n_gens; i++) {
        peer_gen *g = &r->gens[i];
        while (g->sent < g->st->count && g->next <= r->now) {
            size_t len = ikh_scn_traffic_packet(g->st, g->sent + 1, r->pkt,
                                                sizeof r->pkt);
            /* failures are counted by the node (ikh_esp_drops_total) */
            ikh_err ignored =
                ikh_node_send_inner(r->node, r->pkt, len, r->now, NULL);
            (void)ignored;
            g->sent++;
            g->next += g->st->interval_ms;
        }
    }
    for (size_t i = 0; i < s->n_expect; i++)
        if (!r->done[i] && s->expect[i].at <= r->now) {
            ikh_scn_check_expect(&r->check, i, &r->o.res->expect[i]);
            r->done[i] = true;
        }
}

/* The next time something is due (at most one slice away). */
static ikh_time_ms next_due(const peer_run *r, size_t si, ikh_time_ms limit)
{
    const ikh_scenario *s = r->o.scn;
    ikh_time_ms t = ikh_node_deadline(r->node);
    if (si < s->n_steps && s->steps[si].at < t)
        t = s->steps[si].at;
    for (size_t i = 0; i < r->n_gens; i++)
        if (r->gens[i].sent < r->gens[i].st->count && r->gens[i].next < t)
            t = r->gens[i].next;
    for (size_t i = 0; i < s->n_expect; i++)
        if (!r->done[i] && s->expect[i].at < t)
            t = s->expect[i].at;
    if (limit < t)
        t = limit;
    if (r->now + PEER_SLICE_MS < t)
        t = r->now + PEER_SLICE_MS;
    return t;
}

/* Wait until @p until (run time), feeding datagrams and timers. */
static ikh_err pump(peer_run *r, ikh_time_ms until)
{
    if (ikh_node_deadline(r->node) <= r->now)
        IKH_TRY(ikh_node_expire(r->node, r->now));
    ikh_time_ms t = ikh_node_deadline(r->node);
    if (until < t)
        t = until;
    ikh_dgram dg;
    bool got = false;
    IKH_TRY(ikh_udp_recv(r->udp, r->t0 + t, r->rx, sizeof r->rx, &dg, &got));
    IKH_TRY(peer_clock(r));
    if (got)
        IKH_TRY(ikh_node_recv(r->node, &dg, r->now));
    if (ikh_node_deadline(r->node) <= r->now)
        IKH_TRY(ikh_node_expire(r->node, r->now));
    return IKH_OK;
}

/* Count our IKE SAs in state @p st. */
static size_t sas_in(const ikh_node *n, ikh_ike_state st, uint32_t *refs,
                     size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < ikh_node_ike_count(n); i++) {
        ikh_ike_info ii;
        if (ikh_node_ike_get(n, i, &ii) != IKH_OK || ii.state != st)
            continue;
        if (refs != NULL && k < cap)
            refs[k] = ii.ref;
        k++;
    }
    return k;
}

/* Shutdown: delete every established IKE SA, wait for the answers. */
static ikh_err polite_delete(peer_run *r)
{
    uint32_t refs[64];
    size_t n = sas_in(r->node, IKH_IKE_ESTABLISHED, refs, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        ikh_err e =
            ikh_node_action(r->node, IKH_ACT_DELETE_IKE, refs[i], 0, r->now);
        if (e != IKH_OK && e != IKH_ERR_STATE)
            return e;
    }
    ikh_time_ms until = r->now + PEER_GRACE_MS;
    while (r->now < until &&
           (sas_in(r->node, IKH_IKE_DELETING, NULL, 0) > 0 ||
            sas_in(r->node, IKH_IKE_ESTABLISHED, NULL, 0) > 0))
        IKH_TRY(pump(r, until));
    return IKH_OK;
}

/* The event loop from the start to the end (or a signal). */
static ikh_err peer_loop(peer_run *r)
{
    const ikh_scenario *s = r->o.scn;
    size_t si = 0;
    for (;;) {
        run_due(r, &si);
        if (r->now >= r->end)
            break;
        if (peer_stop != 0) {
            r->signo = peer_stop;
            break;
        }
        IKH_TRY(pump(r, next_due(r, si, r->end)));
    }
    for (size_t i = 0; i < s->n_expect; i++)
        if (!r->done[i]) {
            ikh_scn_check_expect(&r->check, i, &r->o.res->expect[i]);
            r->done[i] = true;
        }
    if (r->signo != 0) {
        fprintf(stderr, "ikeharness: peer: %s: deleting the IKE SAs\n",
                r->signo == SIGINT ? "SIGINT" : "SIGTERM");
        IKH_TRY(polite_delete(r));
    }
    return IKH_OK;
}

static void json_head(ikh_json *j, void *user)
{
    const peer_run *r = user;
    const ikh_ike_config *c = &r->o.scn->peers[r->idx].cfg;
    char a[64];
    ikh_json_str(j, "peer", r->name);
    ikh_json_str(j, "role", r->initiator ? "initiator" : "responder");
    if (r->seeded)
        ikh_json_u64(j, "seed", r->seed);
    else
        ikh_json_null(j, "seed");
    ikh_json_str(j, "local", ikh_addr_str(&c->addr, a, sizeof a));
    uint16_t ike = 0, natt = 0;
    ikh_udp_ports(r->udp, &ike, &natt);
    ikh_json_u64(j, "port", ike);
    ikh_json_u64(j, "natt_port", natt);
    ikh_json_str(j, "remote", r->o.scn->peers[r->idx].remote);
    ikh_json_u64(j, "duration_ms", r->end);
    if (r->signo != 0)
        ikh_json_str(j, "interrupted",
                     r->signo == SIGINT ? "SIGINT" : "SIGTERM");
}

static void json_tail(ikh_json *j, void *user)
{
    const peer_run *r = user;
    ikh_json_obj_open(j, "udp");
    ikh_json_u64(j, "sent", r->stats.sent);
    ikh_json_u64(j, "received", r->stats.received);
    ikh_json_u64(j, "keepalives", r->stats.keepalives);
    ikh_json_u64(j, "dropped", r->stats.dropped);
    ikh_json_u64(j, "rand_failures", ikh_udp_rand_failures(r->udp));
    ikh_json_obj_close(j);
    ikh_json_arr_open(j, "traffic");
    for (size_t i = 0; i < r->n_gens; i++) {
        const peer_gen *g = &r->gens[i];
        ikh_json_obj_open(j, NULL);
        ikh_json_u64(j, "line", g->st->line);
        ikh_json_str(j, "proto", g->st->proto == IKH_SCN_ICMP ? "icmp" : "udp");
        ikh_json_u64(j, "sent", g->sent);
        if (g->st->proto == IKH_SCN_ICMP)
            ikh_json_u64(j, "replies", g->replies);
        else
            ikh_json_null(j, "replies");
        ikh_json_obj_close(j);
    }
    ikh_json_arr_close(j);
}

/* Bind failed: find out which port is busy (one at a time, the other
 * ephemeral) and say so. */
static void bind_error(const ikh_udp_config *uc, ikh_err e)
{
    char a[64];
    ikh_addr_str(&uc->local, a, sizeof a);
    bool v6 = uc->local.family == 6;
    uint16_t bad = 0;
    for (int k = 0; k < 2 && bad == 0; k++) {
        ikh_udp_config one = *uc;
        one.tap = NULL;
        one.ike_port = k == 0 ? uc->ike_port : 0;
        one.natt_port = k == 1 ? uc->natt_port : 0;
        ikh_udp *u = NULL;
        if (ikh_udp_open(&one, &u) != IKH_OK)
            bad = k == 0 ? uc->ike_port : uc->natt_port;
        ikh_udp_close(u);
    }
    char where[96];
    snprintf(where, sizeof where, "%s%s%s:%u", v6 ? "[" : "", a, v6 ? "]" : "",
             (unsigned)(bad != 0 ? bad : uc->ike_port));
    if (bad == 0) {
        size_t l = strlen(where);
        snprintf(where + l, sizeof where - l, " and port %u",
                 (unsigned)uc->natt_port);
    }
    fprintf(stderr, "ikeharness: peer: cannot bind %s: %s (%d): %s\n", where,
            ikh_err_name(e), (int)e, ikh_err_str(e));
}

/* Bind the sockets (before the run folder is created). */
static int peer_open_udp(peer_run *r)
{
    const ikh_scn_peer *p = &r->o.scn->peers[r->idx];
    ikh_udp_config uc;
    memset(&uc, 0, sizeof uc);
    uc.local = p->cfg.addr;
    uc.ike_port = p->cfg.port ? p->cfg.port : 500;
    uc.natt_port = p->cfg.natt_port ? p->cfg.natt_port : 4500;
    uc.seeded = r->seeded;
    uc.seed = r->seed;
    uc.tap = peer_tap;
    uc.tap_user = r;
    uc.metrics = &r->o.metrics;
    ikh_err e = ikh_udp_open(&uc, &r->udp);
    if (e != IKH_OK) {
        bind_error(&uc, e);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* The node over the sockets. */
static int peer_new_node(peer_run *r)
{
    const ikh_scn_peer *p = &r->o.scn->peers[r->idx];
    ikh_ike_config cfg = p->cfg;
    if (r->o.keys.own[r->idx] != NULL)
        cfg.auth.key = r->o.keys.own[r->idx];
    if (r->o.keys.peer[r->idx] != NULL)
        cfg.peer_auth.key = r->o.keys.peer[r->idx];
    cfg.keys = scn_out_key_hooks(&r->o);
    cfg.data.deliver = peer_deliver;
    cfg.data.user = r;
    ikh_env env;
    ikh_udp_env(r->udp, &env);
    env.log = peer_log;
    env.log_user = r;
    env.metrics = &r->o.metrics;
    ikh_err e = ikh_node_new(&cfg, &env, &r->node);
    if (e != IKH_OK) {
        fprintf(stderr, "ikeharness: peer: %s:%u: peer %s: %s (%d): %s\n",
                r->o.path, p->line, r->name, ikh_err_name(e), (int)e,
                ikh_err_str(e));
        return CLI_EXIT_USAGE;
    }
    r->check.nodes[r->idx] = r->node;
    r->check.metrics[r->idx] = &r->o.metrics;
    return CLI_EXIT_OK;
}

/* Expectations naming another peer are not judged here. */
static void mark_not_checked(peer_run *r)
{
    const ikh_scenario *s = r->o.scn;
    for (size_t i = 0; i < s->n_expect; i++) {
        const ikh_scn_expect *x = &s->expect[i];
        bool any = (x->kind == IKH_SCN_X_METRIC || x->kind == IKH_SCN_X_LOG) &&
                   x->any_peer;
        if (any || x->peer == r->idx)
            continue;
        r->not_checked[i] = true;
        r->done[i] = true;
        r->o.res->expect[i].pass = true;
        snprintf(r->o.res->expect[i].detail, sizeof r->o.res->expect[i].detail,
                 "not checked: names peer %s", s->peers[x->peer].name);
    }
}

/* After the loop: the verdict, the run folder. */
static int peer_finish(peer_run *r, int argc, char **argv, int rc)
{
    ikh_scn_result *res = r->o.res;
    const ikh_scenario *s = r->o.scn;
    res->n_expect = s->n_expect;
    res->end = r->now;
    /* every echo request of an ICMP traffic step must come back: a lost
     * one fails the run (it is a real network between two ends) */
    for (size_t i = 0; i < r->n_gens; i++) {
        const peer_gen *g = &r->gens[i];
        if (g->st->proto != IKH_SCN_ICMP || g->replies >= g->sent)
            continue;
        fprintf(stderr,
                "ikeharness: peer: %s:%u: traffic: %" PRIu32
                " echo requests, %" PRIu32 " replies (%" PRIu32 " lost)\n",
                r->o.path, g->st->line, g->sent, g->replies,
                g->sent - g->replies);
        if (res->step_errors++ == 0)
            snprintf(res->first_step_error, sizeof res->first_step_error,
                     "line %u: traffic: %" PRIu32 " echo requests, %" PRIu32
                     " replies (%" PRIu32 " lost)",
                     g->st->line, g->sent, g->replies, g->sent - g->replies);
    }
    res->pass = res->step_errors == 0;
    for (size_t i = 0; i < s->n_expect; i++)
        res->pass = res->pass && res->expect[i].pass;
    if (rc == CLI_EXIT_OK)
        rc = res->pass ? CLI_EXIT_OK : CLI_EXIT_FAIL;
    ikh_udp_stats_get(r->udp, &r->stats);
    ikh_node_free(r->node);
    r->node = NULL;
    ikh_err ce = scn_out_close(&r->o);
    if (ce != IKH_OK) {
        cli_err("peer: writing the run folder", ce);
        return CLI_EXIT_USAGE;
    }
    r->o.not_checked = r->not_checked;
    r->o.json_head = json_head;
    r->o.json_tail = json_tail;
    r->o.json_user = r;
    int wrc = scn_out_write(&r->o, argc, argv, rc);
    if (wrc == CLI_EXIT_USAGE)
        return wrc;
    report_run_hook("peer", r->o.out_dir); /* index.html; never changes rc */
    unsigned judged = 0;
    for (size_t i = 0; i < s->n_expect; i++)
        judged += !r->not_checked[i];
    printf("%s/%s: %s (%s, %u expectations, %u step errors, %" PRIu64
           " ms%s)\n",
           s->name, r->name, rc == CLI_EXIT_OK ? "pass" : "FAIL",
           r->initiator ? "initiator" : "responder", judged,
           (unsigned)res->step_errors, (uint64_t)r->now,
           r->signo != 0 ? ", interrupted" : "");
    printf("run folder: %s\n", r->o.out_dir);
    return rc;
}

/* Options into r; CLI_EXIT_OK or an exit code. */
static int peer_args(peer_run *r, int argc, char **argv, const char **role,
                     const char **dur)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return -1;
        } else if (strcmp(a, "--config") == 0) {
            dst = &r->o.path;
        } else if (strcmp(a, "--name") == 0) {
            dst = &r->name;
        } else if (strcmp(a, "--role") == 0) {
            dst = role;
        } else if (strcmp(a, "--out") == 0) {
            dst = &r->o.out_dir;
        } else if (strcmp(a, "--duration") == 0) {
            dst = dur;
        } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (!scn_arg_u64(argv[++i], &r->seed)) {
                fprintf(stderr,
                        "ikeharness: peer: --seed: not a number: "
                        "%s\n",
                        argv[i]);
                return CLI_EXIT_USAGE;
            }
            r->seeded = true;
            continue;
        }
        if (dst == NULL || i + 1 >= argc) {
            fprintf(stderr, "ikeharness: peer: %s: %s\n",
                    dst ? "missing value" : "unexpected argument", a);
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
        *dst = argv[++i];
    }
    if (r->o.path == NULL || r->name == NULL) {
        fprintf(stderr, "ikeharness: peer: %s is required\n",
                r->o.path == NULL ? "--config FILE" : "--name PEER");
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (*role != NULL && strcmp(*role, "initiator") != 0 &&
        strcmp(*role, "responder") != 0) {
        fprintf(stderr,
                "ikeharness: peer: --role: want initiator or "
                "responder, got %s\n",
                *role);
        return CLI_EXIT_USAGE;
    }
    if (*dur != NULL && !parse_duration(*dur, &r->end)) {
        fprintf(stderr,
                "ikeharness: peer: --duration: not a duration "
                "(250ms, 30s, 2m, 1h): %s\n",
                *dur);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* Find PEER, pick the role, the duration and the run folder. */
static int peer_setup(peer_run *r, const char *role, const char *dur,
                      char *defdir, size_t defcap)
{
    const ikh_scenario *s = r->o.scn;
    size_t i = 0;
    while (i < s->n_peers && strcmp(s->peers[i].name, r->name) != 0)
        i++;
    if (i == s->n_peers) {
        fprintf(stderr,
                "ikeharness: peer: %s: no peer named '%s' (peers:", r->o.path,
                r->name);
        for (size_t k = 0; k < s->n_peers; k++)
            fprintf(stderr, " %s", s->peers[k].name);
        fprintf(stderr, ")\n");
        return CLI_EXIT_USAGE;
    }
    r->idx = i;
    r->initiator = false;
    for (size_t k = 0; k < s->n_steps; k++)
        r->initiator = r->initiator || (s->steps[k].op == IKH_SCN_INITIATE &&
                                        s->steps[k].peer == i);
    if (role != NULL)
        r->initiator = strcmp(role, "initiator") == 0;
    bool traffic = false;
    for (size_t k = 0; k < s->n_steps; k++)
        traffic = traffic ||
                  (s->steps[k].op == IKH_SCN_TRAFFIC && s->steps[k].peer == i);
    if (traffic && !s->peers[i].cfg.natt_force)
        fprintf(stderr, "ikeharness: peer: note: ESP goes out in UDP only "
                        "(RFC 3948): traffic needs NAT-T, 'natt: force' or "
                        "a remote that forces it\n");
    if (dur == NULL)
        r->end = s->duration;
    if (r->o.out_dir == NULL) {
        snprintf(defdir, defcap, "runs/peer-%.200s-%s", s->name, r->name);
        r->o.out_dir = defdir;
    }
    ikh_scn_check_init(&r->check, s);
    mark_not_checked(r);
    return CLI_EXIT_OK;
}

int cmd_peer(int argc, char **argv)
{
    peer_run *r = calloc(1, sizeof *r);
    if (r == NULL) {
        cli_err("peer", IKH_ERR_ENV_NOMEM);
        return CLI_EXIT_USAGE;
    }
    r->o.command = "peer";
    const char *role = NULL, *dur = NULL;
    char defdir[512];
    int rc = peer_args(r, argc, argv, &role, &dur);
    if (rc != CLI_EXIT_OK) {
        free(r);
        return rc < 0 ? CLI_EXIT_OK : rc;
    }
    rc = scn_out_load(&r->o);
    if (rc == CLI_EXIT_OK)
        rc = peer_setup(r, role, dur, defdir, sizeof defdir);
    if (rc == CLI_EXIT_OK && ikh_udp_now(&r->t0) != IKH_OK) {
        cli_err("peer: monotonic clock", IKH_ERR_ENV_CLOCK);
        rc = CLI_EXIT_USAGE;
    }
    if (rc == CLI_EXIT_OK)
        rc = peer_open_udp(r);
    if (rc == CLI_EXIT_OK)
        rc = scn_out_open(&r->o);
    if (rc == CLI_EXIT_OK)
        rc = peer_new_node(r);
    if (rc != CLI_EXIT_OK)
        goto out;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    ikh_err e = peer_loop(r);
    if (e != IKH_OK)
        cli_err("peer: event loop", e);
    rc = peer_finish(r, argc, argv, e == IKH_OK ? CLI_EXIT_OK : CLI_EXIT_USAGE);
out:
    ikh_node_free(r->node);
    ikh_udp_close(r->udp);
    if (r->o.tap != NULL || r->o.events != NULL) {
        ikh_err ignored = scn_out_close(&r->o);
        (void)ignored;
    }
    scn_out_free(&r->o);
    free(r);
    return rc;
}
