/* SPDX-License-Identifier: MIT */
/*
 * Secret hygiene for the crypto module (../shared/STYLE.md §6): comparison
 * in constant time over Nettle's memeql_sec, wiping the compiler keeps, and
 * the fixed-capacity ikh_secret.
 */
#include <string.h>

#include <nettle/memops.h>

#include "ikh/bytes.h"
#include "ikh/crypto.h"

bool ikh_ct_eq(const void *a, const void *b, size_t len)
{
    if (len == 0)
        return true;
    return memeql_sec(a, b, len) != 0;
}

/* Octets of @p s that may hold secret data: its len (ikh_secret's writer
 * rule, crypto.h), or the whole buffer when len is no length (fresh
 * memory). */
static size_t secret_extent(const ikh_secret *s)
{
    return ikh_size_min(s->len, sizeof s->b);
}

ikh_err ikh_secret_set(ikh_secret *s, ikh_span v)
{
    if (v.len > IKH_SECRET_MAX) {
        ikh_secret_fini(s);
        return IKH_ERR_ARG_RANGE;
    }
    /* the new value first (v may lie inside s->b: memmove), then what the
     * old value held past it */
    size_t old = secret_extent(s);
    if (v.len > 0)
        memmove(s->b, v.p, v.len);
    if (old > v.len)
        ikh_wipe(s->b + v.len, old - v.len);
    s->len = v.len;
    return IKH_OK;
}

void ikh_secret_fini(ikh_secret *s)
{
    if (s == NULL)
        return;
    ikh_wipe(s->b, secret_extent(s));
    s->len = 0;
}
