/* SPDX-License-Identifier: MIT */
/*
 * The environment helpers (STYLE §4): allocation, send and random bytes
 * through the caller's hooks, each failure turned into an IKH_ERR_ENV_*
 * code plus a metric; the non-ESP marker rule; address ordering; and the
 * failure-injecting test allocator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/env.h"
#include "ikh/metrics.h"

ikh_err ikh_env_alloc(const ikh_env *env, size_t size, void **out)
{
    if (out == NULL)
        return IKH_ERR_ARG_INVALID;
    if (size == 0)
        size = 1;
    const ikh_mem *m = env != NULL ? env->mem : NULL;
    void *p = m != NULL ? m->alloc(m->user, size) : malloc(size);
    *out = p;
    if (p == NULL) {
        if (env != NULL)
            ikh_metric_inc(env->metrics, IKH_M_ENV_ALLOC_FAILURES_TOTAL);
        return IKH_ERR_ENV_NOMEM;
    }
    return IKH_OK;
}

void ikh_env_free(const ikh_env *env, void *p)
{
    if (p == NULL)
        return;
    const ikh_mem *m = env != NULL ? env->mem : NULL;
    if (m != NULL)
        m->free(m->user, p);
    else
        free(p);
}

ikh_err ikh_env_send(const ikh_env *env, const ikh_dgram *dg)
{
    if (env == NULL || dg == NULL)
        return IKH_ERR_ARG_INVALID;
    if (env->send == NULL || env->send(env->user, dg) != 0) {
        ikh_metric_inc(env->metrics, IKH_M_ENV_SEND_FAILURES_TOTAL);
        return IKH_ERR_ENV_SEND;
    }
    return IKH_OK;
}

ikh_err ikh_env_rand(const ikh_env *env, uint8_t *out, size_t len)
{
    if (env == NULL || env->rand == NULL || (out == NULL && len > 0))
        return IKH_ERR_ARG_INVALID;
    env->rand(env->rand_user != NULL ? env->rand_user : env->user, out, len);
    return IKH_OK;
}

bool ikh_dgram_marker_rule(uint16_t sport, uint16_t dport, uint16_t natt_port)
{
    if (sport == natt_port || dport == natt_port)
        return true;
    return sport != IKH_PORT_IKE && dport != IKH_PORT_IKE;
}

int ikh_addr_cmp(const ikh_addr *a, const ikh_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->a, b->a, a->family == 4 ? 4u : sizeof a->a);
}

ikh_addr ikh_addr_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    ikh_addr r;
    memset(&r, 0, sizeof r);
    r.family = 4;
    r.a[0] = a;
    r.a[1] = b;
    r.a[2] = c;
    r.a[3] = d;
    return r;
}

static void *mem_fail_alloc(void *user, size_t size)
{
    ikh_mem_fail *f = user;
    f->calls++;
    if (f->fail_at != 0 &&
        (f->calls == f->fail_at || (f->sticky && f->calls > f->fail_at))) {
        f->failures++;
        return NULL;
    }
    const ikh_mem *in = f->inner;
    void *p = in != NULL ? in->alloc(in->user, size) : malloc(size);
    if (p != NULL)
        f->live++;
    else
        f->failures++; /* the allocator under it refused too */
    return p;
}

static void mem_fail_free(void *user, void *p)
{
    ikh_mem_fail *f = user;
    if (p == NULL)
        return;
    f->live--;
    if (f->inner != NULL)
        f->inner->free(f->inner->user, p);
    else
        free(p);
}

void ikh_mem_fail_init(ikh_mem_fail *f, uint64_t fail_at, bool sticky)
{
    if (f == NULL)
        return;
    memset(f, 0, sizeof *f);
    f->mem.alloc = mem_fail_alloc;
    f->mem.free = mem_fail_free;
    f->mem.user = f;
    f->fail_at = fail_at;
    f->sticky = sticky;
}

/* RFC 5952 §4: text form of IPv6 addresses: "::" replaces the longest run
 * of zero fields (the first on a tie) but never a single one, and hex
 * digits are lowercase. */
const char *ikh_addr_str(const ikh_addr *a, char *buf, size_t len)
{
    if (buf == NULL || len == 0)
        return buf;
    buf[0] = '\0';
    if (a == NULL)
        return buf;
    if (a->family == 4) {
        snprintf(buf, len, "%u.%u.%u.%u", a->a[0], a->a[1], a->a[2], a->a[3]);
        return buf;
    }
    if (a->family != 6)
        return buf;
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (unsigned)a->a[2 * i] << 8 | a->a[2 * i + 1];
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && w[j] == 0)
            j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    size_t o = 0;
    for (int i = 0; i < 8 && o < len;) {
        int n;
        if (i == best) {
            n = snprintf(buf + o, len - o, "::");
            i += best_len;
        } else {
            n = snprintf(buf + o, len - o, "%x%s", w[i],
                         i < 7 && i + 1 != best ? ":" : "");
            i++;
        }
        if (n < 0)
            break;
        o += (size_t)n;
    }
    return buf;
}
