/* SPDX-License-Identifier: MIT */
/* What the simulated network did to each sent datagram (sim_faults.h). */
#include "sim_faults.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct sim_frame {
    uint64_t hash;  /* FNV-1a over addresses, ports, kind and octets */
    uint64_t tuple; /* FNV-1a over addresses and ports only */
    ikh_time_ms t;  /* when it was sent */
    uint32_t len;   /* its length */
    uint32_t delivered;
    uint32_t damaged;
    uint32_t
        prev_same; /* the previous frame of its hash bucket + 1 (0: none) */
    bool lost;
};

/* hash buckets of the sent frames: a delivery looks only at frames whose
 * octets may be its own (a 45% share of a sim run scanned them all) */
#define BUCKETS 4096u

/* how far back a delivery looks for its frame */
#define MATCH_WINDOW 65536u

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t tuple_of(const ikh_dgram *dg)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv(h, &dg->src.family, sizeof dg->src.family);
    h = fnv(h, dg->src.a, sizeof dg->src.a);
    h = fnv(h, dg->dst.a, sizeof dg->dst.a);
    h = fnv(h, &dg->sport, sizeof dg->sport);
    h = fnv(h, &dg->dport, sizeof dg->dport);
    uint8_t esp = dg->esp;
    return fnv(h, &esp, 1);
}

static uint64_t hash_of(const ikh_dgram *dg)
{
    return fnv(tuple_of(dg), dg->data.p, dg->data.len);
}

static void on_sent(sim_faults *fl, const ikh_dgram *dg, ikh_time_ms t)
{
    fl->sent++;
    fl->last_sent = dg;
    if (fl->nomem || fl->n >= SIM_FAULTS_MAX_FRAMES)
        return;
    if (fl->head == NULL &&
        (fl->head = calloc(BUCKETS, sizeof *fl->head)) == NULL) {
        fl->nomem = true;
        return;
    }
    if (fl->n == fl->cap) {
        size_t nc = fl->cap ? fl->cap * 2 : 256;
        sim_frame *nf = realloc(fl->fr, nc * sizeof *nf);
        if (nf == NULL) {
            fl->nomem = true;
            return;
        }
        fl->fr = nf;
        fl->cap = nc;
    }
    uint64_t h = hash_of(dg);
    uint32_t *head = &fl->head[h % BUCKETS];
    fl->fr[fl->n] = (sim_frame){.hash = h,
                                .tuple = tuple_of(dg),
                                .t = t,
                                .len = (uint32_t)dg->data.len,
                                .prev_same = *head};
    *head = (uint32_t)++fl->n;
}

/* The frame a delivered (or late-dropped) copy belongs to: among the sent
 * frames with the same octets, the earliest not yet delivered (intact or
 * damaged) nor lost (a retransmission repeats its original's octets), else
 * the latest (a duplicate). NULL when no frame has these octets. */
static sim_frame *match(sim_faults *fl, const ikh_dgram *dg)
{
    uint64_t h = hash_of(dg);
    size_t lo = fl->n > MATCH_WINDOW ? fl->n - MATCH_WINDOW : 0;
    sim_frame *open = NULL, *latest = NULL;
    /* the bucket's frames, newest first, as a scan down the window would
     * meet them */
    for (uint32_t k = fl->head ? fl->head[h % BUCKETS] : 0; k > lo;
         k = fl->fr[k - 1].prev_same) {
        sim_frame *f = &fl->fr[k - 1];
        if (f->hash != h || f->len != dg->data.len)
            continue;
        if (latest == NULL)
            latest = f;
        if (f->delivered == 0 && f->damaged == 0 && !f->lost)
            open = f;
    }
    return open != NULL ? open : latest;
}

/* A damaged copy: the latest frame of the same addresses and ports that
 * was not delivered intact yet. */
static sim_frame *match_damaged(sim_faults *fl, const ikh_dgram *dg)
{
    uint64_t tu = tuple_of(dg);
    size_t lo = fl->n > MATCH_WINDOW ? fl->n - MATCH_WINDOW : 0;
    sim_frame *any = NULL;
    for (size_t i = fl->n; i-- > lo;) {
        sim_frame *f = &fl->fr[i];
        if (f->tuple != tu || f->len < dg->data.len || f->lost)
            continue;
        if (f->delivered == 0 && f->damaged == 0)
            return f;
        if (any == NULL)
            any = f;
    }
    return any;
}

void sim_faults_tap(void *user, ikh_sim_tap_kind kind, const ikh_dgram *dg,
                    ikh_time_ms t)
{
    sim_faults *fl = user;
    switch (kind) {
    case IKH_SIM_TAP_SENT:
        on_sent(fl, dg, t);
        break;
    case IKH_SIM_TAP_DROPPED: {
        /* lost or refused at the send (the sim passes the datagram it was
         * sending), or no node at the delivery (a queued copy) */
        sim_frame *f = NULL;
        if (dg == fl->last_sent && fl->n > 0 && fl->n == fl->sent)
            f = &fl->fr[fl->n - 1];
        else if (!fl->nomem)
            f = match(fl, dg);
        if (f != NULL)
            f->lost = true;
        break;
    }
    case IKH_SIM_TAP_DELIVERED: {
        sim_frame *f = fl->nomem ? NULL : match(fl, dg);
        if (f != NULL) {
            f->delivered++;
        } else if (!fl->nomem) {
            f = match_damaged(fl, dg);
            if (f != NULL)
                f->damaged++;
            else
                fl->unmatched++;
        }
        break;
    }
    }
    if (fl->tap != NULL)
        ikh_tap_sim(fl->tap, kind, dg, t);
}

static int line(FILE *f, size_t i, const sim_frame *fr, const char *what)
{
    return fprintf(f, "{\"frame\":%zu,\"t\":%" PRIu64 ",\"fault\":\"%s\"}\n",
                   i + 1, (uint64_t)fr->t, what) < 0
               ? -1
               : 0;
}

int sim_faults_write(const sim_faults *fl, FILE *f)
{
    int rc = 0;
    for (size_t i = 0; i < fl->n && rc == 0; i++) {
        const sim_frame *fr = &fl->fr[i];
        if (fr->lost && fr->delivered == 0 && fr->damaged == 0)
            rc = line(f, i, fr, "lost");
        if (rc == 0 && fr->delivered + fr->damaged > 1)
            rc = line(f, i, fr, "duplicated");
        if (rc == 0 && fr->damaged > 0)
            rc = line(f, i, fr, "damaged");
        if (rc == 0 && !fr->lost && fr->delivered == 0 && fr->damaged == 0)
            rc = line(f, i, fr, "undelivered");
    }
    return rc;
}

void sim_faults_free(sim_faults *fl)
{
    free(fl->fr);
    free(fl->head);
    fl->fr = NULL;
    fl->head = NULL;
    fl->n = fl->cap = 0;
}
