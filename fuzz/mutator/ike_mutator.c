/* SPDX-License-Identifier: MIT */
/*
 * A structure-aware mutator for IKE messages (RFC 7296 §3), for libFuzzer
 * (LLVMFuzzerCustomMutator, LLVMFuzzerCustomCrossOver) and, built with
 * IKH_AFL_MUTATOR, for AFL++ as a custom mutator library (afl_custom_init,
 * afl_custom_fuzz, afl_custom_deinit; AFL_CUSTOM_MUTATOR_LIBRARY).
 *
 * An input that parses with ikh_wire_msg_parse() is changed on its payload
 * list and serialized again with ikh_wire_msg_serialize(), so lengths, Next
 * Payload chains and counts stay consistent and the mutation reaches the
 * code behind the parser: remove, insert (a new payload of a known type,
 * built with the wire builders), duplicate, swap or replace a payload;
 * change a header field, a payload field (notify type, KE group, transform
 * ID, proposal protocol, TS type and ports, Delete counts, flags) or the
 * length and content of a variable field. Now and then a length or count
 * field of the serialized message is patched afterwards, so the parser's
 * own length checks see inconsistent values too. Crossover splices payloads
 * (with their proposals, transforms, attributes, selectors and CP
 * attributes) from the other input. An input that does not parse is
 * handed to LLVMFuzzerMutate() (libFuzzer) or to a small byte-level havoc
 * (AFL++).
 *
 * Deterministic: every choice comes from the seed the engine passes (AFL++:
 * the seed of afl_custom_init(), then a generator in the mutator state).
 * The message structs are large, so the libFuzzer entry points keep them
 * in static storage (one fuzzing thread); the AFL++ state holds its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/wire.h"

/* ---- randomness ------------------------------------------------------- */

typedef struct ikm_rng {
    uint64_t s;
} ikm_rng;

static uint32_t ikm_next(ikm_rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static uint32_t ikm_below(ikm_rng *r, uint32_t n)
{
    return n == 0 ? 0 : ikm_next(r) % n;
}

/* ---- working state ---------------------------------------------------- */

#define IKM_SCRATCH (IKH_WIRE_MAX_MSG + 64u)
#define IKM_HEAP (64u * 1024u)

/* Everything one mutation needs. */
typedef struct ikm_work {
    ikh_msg a, b, t;          /* the input, the other input, a template */
    uint8_t in[IKM_SCRATCH];  /* copy of the input (a's spans) */
    uint8_t heap[IKM_HEAP];   /* new field contents (spans into it) */
    size_t heap_used;         /* octets of heap in use */
    uint8_t out[IKM_SCRATCH]; /* serialized result */
    ikm_rng rng;              /* the choices */
} ikm_work;

/* Octets for a new span: random, or repeating a fill octet. */
static ikh_span ikm_bytes(ikm_work *w, size_t len)
{
    if (len > IKM_HEAP - w->heap_used)
        len = IKM_HEAP - w->heap_used;
    uint8_t *p = w->heap + w->heap_used;
    uint32_t how = ikm_below(&w->rng, 4);
    for (size_t i = 0; i < len; i++)
        p[i] = how == 0 ? 0x00 : how == 1 ? 0xFF : (uint8_t)ikm_next(&w->rng);
    w->heap_used += len;
    return ikh_span_of(p, len);
}

/* A length near @p old, or an interesting one. */
static size_t ikm_len(ikm_work *w, size_t old)
{
    static const size_t interesting[] = {0,   1,   2,   3,   4,    7,   8,
                                         12,  16,  31,  32,  48,   64,  128,
                                         255, 256, 384, 512, 1024, 4096};
    switch (ikm_below(&w->rng, 3)) {
    case 0:
        return interesting[ikm_below(&w->rng, sizeof interesting /
                                                  sizeof interesting[0])];
    case 1:
        return old + 1 + ikm_below(&w->rng, 16);
    default:
        return old > 0 ? old - 1 - ikm_below(&w->rng, (uint32_t)old) : 1;
    }
}

/* A new span for a variable field: other length, new content, or a
 * prefix of the old content. */
static void ikm_span_mut(ikm_work *w, ikh_span *s)
{
    size_t n = ikm_len(w, s->len);
    if (n <= s->len && ikm_below(&w->rng, 2) == 0) {
        s->len = n; /* cut */
        return;
    }
    ikh_span ns = ikm_bytes(w, n);
    /* keep the old octets in front: mostly the same value, longer */
    size_t keep = s->len < ns.len ? s->len : ns.len;
    if (keep > 0 && ikm_below(&w->rng, 2) == 0)
        memcpy((uint8_t *)ns.p, s->p, keep);
    *s = ns;
}

/* ---- IANA values worth trying ------------------------------------------ */

static const uint8_t pl_types[] = {
    IKH_PL_SA,      IKH_PL_KE,   IKH_PL_IDI,   IKH_PL_IDR,    IKH_PL_CERT,
    IKH_PL_CERTREQ, IKH_PL_AUTH, IKH_PL_NONCE, IKH_PL_NOTIFY, IKH_PL_DELETE,
    IKH_PL_VID,     IKH_PL_TSI,  IKH_PL_TSR,   IKH_PL_SK,     IKH_PL_CP,
    IKH_PL_EAP,     IKH_PL_SKF};
static const uint8_t exch_types[] = {0,  33, 34, 35, 36,  37,
                                     38, 43, 44, 45, 240, 255};
static const uint16_t notify_types[] = {
    1,     4,     5,     7,     9,     11,    14,    17,    24,    34,    35,
    36,    37,    38,    39,    40,    41,    42,    43,    44,    45,    46,
    47,    48,    16384, 16385, 16386, 16387, 16388, 16389, 16390, 16391, 16392,
    16393, 16394, 16395, 16396, 16397, 16398, 16399, 16400, 16401, 16402, 16403,
    16404, 16405, 16406, 16407, 16408, 16409, 16417, 16418, 16430, 16431, 16433,
    16434, 16435, 16436, 16438, 16441, 16443, 65535};
static const uint16_t ke_groups[] = {0,  1,  2,  5,  14, 15, 16, 17, 18,
                                     19, 20, 21, 31, 32, 35, 36, 37, 65535};
static const uint16_t xf_ids[] = {0,  1,  2,  3,  5,  7,  8,  12,   13,
                                  14, 18, 19, 20, 28, 31, 32, 65535};

#define IKM_PICK(w, tab)                                                       \
    (tab)[ikm_below(&(w)->rng, sizeof(tab) / sizeof((tab)[0]))]

/* ---- copying payloads between messages --------------------------------- */

/* Copy payload @p p of @p src into @p dst at position @p pos, with its
 * proposals, transforms, attributes, selectors and CP attributes appended
 * to dst's pools (src may be dst). False when a pool is full. */
static bool ikm_copy_pl(ikh_msg *dst, const ikh_msg *src, const ikh_pl *p,
                        size_t pos)
{
    if (dst->n_pl >= IKH_WIRE_MAX_PAYLOADS || pos > dst->n_pl)
        return false;
    ikh_pl np = *p;
    np.in_sk = false;
    if (p->type == IKH_PL_SA) {
        size_t nx = 0, na = 0;
        for (uint16_t i = 0; i < p->u.sa.count; i++) {
            const ikh_prop *pr = &src->prop[p->u.sa.first + i];
            nx += pr->xf_count;
            for (uint16_t k = 0; k < pr->xf_count; k++)
                na += src->xf[pr->xf_first + k].attr_count;
        }
        if (dst->n_prop + p->u.sa.count > IKH_WIRE_MAX_PROPOSALS ||
            dst->n_xf + nx > IKH_WIRE_MAX_TRANSFORMS ||
            dst->n_attr + na > IKH_WIRE_MAX_XATTRS)
            return false;
        np.u.sa.first = dst->n_prop;
        uint16_t count = p->u.sa.count, first = p->u.sa.first;
        for (uint16_t i = 0; i < count; i++) {
            ikh_prop pr = src->prop[first + i];
            uint16_t xf_first = pr.xf_first;
            pr.xf_first = dst->n_xf;
            for (uint16_t k = 0; k < pr.xf_count; k++) {
                ikh_xform x = src->xf[xf_first + k];
                uint16_t a_first = x.attr_first;
                x.attr_first = dst->n_attr;
                for (uint16_t a = 0; a < x.attr_count; a++)
                    dst->attr[dst->n_attr++] = src->attr[a_first + a];
                dst->xf[dst->n_xf++] = x;
            }
            dst->prop[dst->n_prop++] = pr;
        }
    } else if (p->type == IKH_PL_TSI || p->type == IKH_PL_TSR) {
        if (dst->n_ts + p->u.ts.count > IKH_WIRE_MAX_TS)
            return false;
        np.u.ts.first = dst->n_ts;
        uint16_t count = p->u.ts.count, first = p->u.ts.first;
        for (uint16_t i = 0; i < count; i++)
            dst->ts[dst->n_ts++] = src->ts[first + i];
    } else if (p->type == IKH_PL_CP) {
        if (dst->n_cpa + p->u.cp.count > IKH_WIRE_MAX_CP_ATTRS)
            return false;
        np.u.cp.first = dst->n_cpa;
        uint16_t count = p->u.cp.count, first = p->u.cp.first;
        for (uint16_t i = 0; i < count; i++)
            dst->cpa[dst->n_cpa++] = src->cpa[first + i];
    }
    memmove(&dst->pl[pos + 1], &dst->pl[pos],
            (dst->n_pl - pos) * sizeof dst->pl[0]);
    dst->pl[pos] = np;
    dst->n_pl++;
    return true;
}

static void ikm_remove_pl(ikh_msg *m, size_t i)
{
    memmove(&m->pl[i], &m->pl[i + 1], (m->n_pl - i - 1) * sizeof m->pl[0]);
    m->n_pl--;
}

/* Where to put a payload: mostly before an SK/SKF at the end. */
static size_t ikm_pos(ikm_work *w, const ikh_msg *m)
{
    size_t n = m->n_pl;
    if (n > 0 && ikm_below(&w->rng, 4) != 0 &&
        (m->pl[n - 1].type == IKH_PL_SK || m->pl[n - 1].type == IKH_PL_SKF))
        return ikm_below(&w->rng, (uint32_t)n);
    return ikm_below(&w->rng, (uint32_t)n + 1);
}

/* ---- new payloads ------------------------------------------------------ */

/* Build one payload of a known type in w->t; NULL when it does not fit. */
static const ikh_pl *ikm_template(ikm_work *w)
{
    ikh_msg *t = &w->t;
    ikh_wire_msg_init(t);
    uint8_t type = IKM_PICK(w, pl_types);
    if (ikm_below(&w->rng, 16) == 0)
        type = (uint8_t)ikm_next(&w->rng); /* any type, unknown ones too */
    ikh_pl *p = ikh_wire_pl_add(t, type);
    if (p == NULL)
        return NULL;
    switch (type) {
    case IKH_PL_SA: {
        ikh_prop *pr = ikh_wire_prop_add(t, p);
        if (pr == NULL)
            return NULL;
        pr->num = 1;
        pr->proto = (uint8_t)(1 + ikm_below(&w->rng, 3));
        if (pr->proto != 1)
            pr->spi = ikm_bytes(w, 4);
        ikh_xform *x = ikh_wire_xform_add(t, pr, IKH_XF_ENCR, 12);
        if (x == NULL || ikh_wire_keylen_add(t, x, 256) == NULL)
            return NULL;
        if (ikh_wire_xform_add(t, pr, IKH_XF_PRF, 5) == NULL ||
            ikh_wire_xform_add(t, pr, IKH_XF_INTEG, 12) == NULL ||
            ikh_wire_xform_add(t, pr, IKH_XF_KE, IKM_PICK(w, ke_groups)) ==
                NULL)
            return NULL;
        break;
    }
    case IKH_PL_KE:
        p->u.ke.group = IKM_PICK(w, ke_groups);
        p->u.ke.data = ikm_bytes(w, ikm_len(w, 32));
        break;
    case IKH_PL_IDI:
    case IKH_PL_IDR:
        p->u.id.id_type = (uint8_t)(1 + ikm_below(&w->rng, 11));
        p->u.id.data = ikm_bytes(w, ikm_len(w, 4));
        break;
    case IKH_PL_CERT:
    case IKH_PL_CERTREQ:
        p->u.cert.enc = (uint8_t)ikm_below(&w->rng, 16);
        p->u.cert.data = ikm_bytes(w, ikm_len(w, 20));
        break;
    case IKH_PL_AUTH:
        p->u.auth.method = (uint8_t)(1 + ikm_below(&w->rng, 14));
        p->u.auth.data = ikm_bytes(w, ikm_len(w, 32));
        break;
    case IKH_PL_NOTIFY:
        p->u.notify.type = IKM_PICK(w, notify_types);
        p->u.notify.proto = (uint8_t)ikm_below(&w->rng, 4);
        if (p->u.notify.proto != 0)
            p->u.notify.spi = ikm_bytes(w, ikm_below(&w->rng, 2) ? 4 : 8);
        p->u.notify.data = ikm_bytes(w, ikm_below(&w->rng, 3) * 8);
        break;
    case IKH_PL_DELETE:
        p->u.del.proto = (uint8_t)(1 + ikm_below(&w->rng, 3));
        p->u.del.spi_size = p->u.del.proto == 1 ? 0 : 4;
        p->u.del.num_spi = p->u.del.spi_size ? 1 + ikm_below(&w->rng, 4) : 0;
        p->u.del.spis =
            ikm_bytes(w, (size_t)p->u.del.spi_size * p->u.del.num_spi);
        break;
    case IKH_PL_TSI:
    case IKH_PL_TSR: {
        ikh_ts *ts = ikh_wire_ts_add(t, p);
        if (ts == NULL)
            return NULL;
        bool v6 = ikm_below(&w->rng, 2);
        ts->type = v6 ? 8 : 7;
        ts->ip_proto = (uint8_t)(ikm_below(&w->rng, 2) ? 0 : 17);
        ts->start_port = 0;
        ts->end_port = 65535;
        ts->start = ikm_bytes(w, v6 ? 16 : 4);
        ts->end = ikm_bytes(w, v6 ? 16 : 4);
        break;
    }
    case IKH_PL_SK:
        p->u.sk.inner = IKM_PICK(w, pl_types);
        p->u.sk.body = ikm_bytes(w, ikm_len(w, 48));
        break;
    case IKH_PL_SKF:
        p->u.skf.inner = IKM_PICK(w, pl_types);
        p->u.skf.frag_num = (uint16_t)(1 + ikm_below(&w->rng, 3));
        p->u.skf.total = (uint16_t)(p->u.skf.frag_num + ikm_below(&w->rng, 2));
        p->u.skf.body = ikm_bytes(w, ikm_len(w, 48));
        break;
    case IKH_PL_CP: {
        p->u.cp.cfg_type = (uint8_t)(1 + ikm_below(&w->rng, 4));
        ikh_cp_attr *a = ikh_wire_cp_attr_add(t, p);
        if (a == NULL)
            return NULL;
        a->type = (uint16_t)(1 + ikm_below(&w->rng, 26));
        a->value = ikm_bytes(w, ikm_below(&w->rng, 2) ? 0 : 4);
        break;
    }
    case IKH_PL_EAP: {
        ikh_span b = ikm_bytes(w, 5 + ikm_below(&w->rng, 8));
        uint8_t *q = (uint8_t *)b.p;
        q[0] = (uint8_t)(1 + ikm_below(&w->rng, 4));
        q[2] = 0;
        q[3] = (uint8_t)b.len;
        p->u.eap.body = b;
        break;
    }
    default:
        p->u.raw.data = ikm_bytes(w, ikm_len(w, 16));
        break;
    }
    return p;
}

/* ---- field changes ----------------------------------------------------- */

static void ikm_hdr_mut(ikm_work *w, ikh_ike_hdr *h)
{
    switch (ikm_below(&w->rng, 7)) {
    case 0:
        h->exch = IKM_PICK(w, exch_types);
        break;
    case 1:
        h->flags ^= (uint8_t)(1u << ikm_below(&w->rng, 8));
        break;
    case 2:
        h->mid = ikm_below(&w->rng, 2) ? h->mid + 1 : ikm_next(&w->rng);
        break;
    case 3:
        h->rspi = ikm_below(&w->rng, 2) ? 0 : h->rspi ^ 1;
        break;
    case 4:
        h->ispi = ikm_below(&w->rng, 2) ? 0 : h->ispi ^ 1;
        break;
    case 5:
        h->version = ikm_below(&w->rng, 2) ? 0x21 : (uint8_t)ikm_next(&w->rng);
        break;
    default:
        h->flags = (uint8_t)(h->flags ^ IKH_HDR_F_RESPONSE);
        break;
    }
}

static void ikm_sa_mut(ikm_work *w, ikh_msg *m, ikh_pl *p)
{
    if (p->u.sa.count == 0)
        return;
    ikh_prop *pr = &m->prop[p->u.sa.first + ikm_below(&w->rng, p->u.sa.count)];
    switch (ikm_below(&w->rng, 5)) {
    case 0:
        pr->proto = (uint8_t)ikm_below(&w->rng, 6);
        break;
    case 1:
        ikm_span_mut(w, &pr->spi);
        break;
    case 2:
        pr->num = (uint8_t)ikm_next(&w->rng);
        break;
    case 3:
        if (pr->xf_count > 0) /* drop the last transform */
            pr->xf_count--;
        break;
    default:
        if (pr->xf_count > 0) {
            ikh_xform *x =
                &m->xf[pr->xf_first + ikm_below(&w->rng, pr->xf_count)];
            if (ikm_below(&w->rng, 3) == 0)
                x->type = (uint8_t)ikm_below(&w->rng, 14);
            else
                x->id = IKM_PICK(w, xf_ids);
            if (x->attr_count > 0 && ikm_below(&w->rng, 2)) {
                ikh_xattr *a = &m->attr[x->attr_first];
                a->tv_value = (uint16_t)(ikm_below(&w->rng, 2)
                                             ? 64u << ikm_below(&w->rng, 4)
                                             : ikm_next(&w->rng));
            }
        }
        break;
    }
}

static void ikm_pl_mut(ikm_work *w, ikh_msg *m, ikh_pl *p)
{
    if (ikm_below(&w->rng, 8) == 0) {
        p->flags ^= ikm_below(&w->rng, 2)
                        ? IKH_PL_CRITICAL
                        : (uint8_t)(1u << ikm_below(&w->rng, 7));
        return;
    }
    switch (p->type) {
    case IKH_PL_SA:
        ikm_sa_mut(w, m, p);
        break;
    case IKH_PL_KE:
        if (ikm_below(&w->rng, 2))
            p->u.ke.group = IKM_PICK(w, ke_groups);
        else
            ikm_span_mut(w, &p->u.ke.data);
        break;
    case IKH_PL_IDI:
    case IKH_PL_IDR:
        if (ikm_below(&w->rng, 2))
            p->u.id.id_type = (uint8_t)ikm_below(&w->rng, 13);
        else
            ikm_span_mut(w, &p->u.id.data);
        break;
    case IKH_PL_AUTH:
        if (ikm_below(&w->rng, 2))
            p->u.auth.method = (uint8_t)ikm_below(&w->rng, 16);
        else
            ikm_span_mut(w, &p->u.auth.data);
        break;
    case IKH_PL_CERT:
    case IKH_PL_CERTREQ:
        ikm_span_mut(w, &p->u.cert.data);
        break;
    case IKH_PL_NOTIFY:
        switch (ikm_below(&w->rng, 4)) {
        case 0:
            p->u.notify.type = IKM_PICK(w, notify_types);
            break;
        case 1:
            p->u.notify.proto = (uint8_t)ikm_below(&w->rng, 5);
            break;
        case 2:
            ikm_span_mut(w, &p->u.notify.spi);
            break;
        default:
            ikm_span_mut(w, &p->u.notify.data);
            break;
        }
        break;
    case IKH_PL_DELETE:
        switch (ikm_below(&w->rng, 3)) {
        case 0:
            p->u.del.proto = (uint8_t)ikm_below(&w->rng, 5);
            break;
        case 1:
            p->u.del.num_spi = (uint16_t)ikm_len(w, p->u.del.num_spi);
            break;
        default:
            ikm_span_mut(w, &p->u.del.spis);
            break;
        }
        break;
    case IKH_PL_TSI:
    case IKH_PL_TSR:
        if (p->u.ts.count > 0) {
            ikh_ts *ts =
                &m->ts[p->u.ts.first + ikm_below(&w->rng, p->u.ts.count)];
            switch (ikm_below(&w->rng, 4)) {
            case 0:
                ts->type = (uint8_t)ikm_below(&w->rng, 12);
                break;
            case 1: {
                uint16_t s = ts->start_port;
                ts->start_port = ts->end_port;
                ts->end_port = s;
                break;
            }
            case 2:
                ikm_span_mut(w, &ts->start);
                break;
            default:
                ts->ip_proto = (uint8_t)ikm_next(&w->rng);
                break;
            }
        } else {
            p->u.ts.reserved = ikm_next(&w->rng) & 0xFFFFFFu;
        }
        break;
    case IKH_PL_SK:
        if (ikm_below(&w->rng, 2))
            p->u.sk.inner = IKM_PICK(w, pl_types);
        else
            ikm_span_mut(w, &p->u.sk.body);
        break;
    case IKH_PL_SKF:
        switch (ikm_below(&w->rng, 3)) {
        case 0:
            p->u.skf.frag_num = (uint16_t)ikm_below(&w->rng, 4);
            break;
        case 1:
            p->u.skf.total = (uint16_t)ikm_below(&w->rng, 4);
            break;
        default:
            ikm_span_mut(w, &p->u.skf.body);
            break;
        }
        break;
    case IKH_PL_CP:
        if (p->u.cp.count > 0) {
            ikh_cp_attr *a =
                &m->cpa[p->u.cp.first + ikm_below(&w->rng, p->u.cp.count)];
            if (ikm_below(&w->rng, 2))
                a->type = (uint16_t)ikm_below(&w->rng, 32);
            else
                ikm_span_mut(w, &a->value);
        } else {
            p->u.cp.cfg_type = (uint8_t)ikm_below(&w->rng, 6);
        }
        break;
    case IKH_PL_EAP:
        ikm_span_mut(w, &p->u.eap.body);
        break;
    default:
        ikm_span_mut(w, &p->u.raw.data);
        break;
    }
}

/* ---- one structural mutation ------------------------------------------ */

static bool ikm_mutate_msg(ikm_work *w, ikh_msg *m, const ikh_msg *other)
{
    size_t n = m->n_pl;
    uint32_t op = ikm_below(&w->rng, other != NULL ? 9 : 8);
    if (n == 0 && op != 0 && op != 2)
        op = 2; /* nothing to remove or change: insert */
    switch (op) {
    case 0:
        ikm_hdr_mut(w, &m->hdr);
        return true;
    case 1: /* remove */
        ikm_remove_pl(m, ikm_below(&w->rng, (uint32_t)n));
        return true;
    case 2: { /* insert a new payload */
        const ikh_pl *t = ikm_template(w);
        return t != NULL && ikm_copy_pl(m, &w->t, t, ikm_pos(w, m));
    }
    case 3: { /* duplicate */
        size_t i = ikm_below(&w->rng, (uint32_t)n);
        ikh_pl copy = m->pl[i];
        return ikm_copy_pl(m, m, &copy, ikm_pos(w, m));
    }
    case 4: { /* swap */
        size_t i = ikm_below(&w->rng, (uint32_t)n),
               j = ikm_below(&w->rng, (uint32_t)n);
        ikh_pl tmp = m->pl[i];
        m->pl[i] = m->pl[j];
        m->pl[j] = tmp;
        return true;
    }
    case 5: { /* replace with a new payload */
        size_t i = ikm_below(&w->rng, (uint32_t)n);
        const ikh_pl *t = ikm_template(w);
        if (t == NULL)
            return false;
        ikm_remove_pl(m, i);
        return ikm_copy_pl(m, &w->t, t, i);
    }
    case 8: { /* splice from the other input */
        if (other->n_pl == 0)
            return false;
        const ikh_pl *p = &other->pl[ikm_below(&w->rng, other->n_pl)];
        size_t i = ikm_below(&w->rng, (uint32_t)n);
        if (ikm_below(&w->rng, 2))
            ikm_remove_pl(m, i);
        return ikm_copy_pl(m, other, p, i > m->n_pl ? m->n_pl : i);
    }
    default: /* 6, 7: change a field */
        ikm_pl_mut(w, m, &m->pl[ikm_below(&w->rng, (uint32_t)n)]);
        return true;
    }
}

/* Patch a length or count field of a serialized message in place. */
static void ikm_patch(ikm_work *w, uint8_t *buf, size_t len)
{
    if (len < IKH_IKE_HDR_LEN)
        return;
    size_t off = IKH_IKE_HDR_LEN, target = ikm_below(&w->rng, 8);
    uint8_t np = buf[16];
    size_t field = 24, width = 4; /* the header Length by default */
    for (size_t k = 0; np != 0 && off + 4 <= len && k <= target; k++) {
        field = off + 2;
        width = 2;
        if (np == IKH_PL_SA && off + 12 <= len && ikm_below(&w->rng, 2)) {
            field = off + 11; /* first proposal's Num Transforms */
            width = 1;
        }
        np = buf[off];
        size_t pl = (size_t)buf[off + 2] << 8 | buf[off + 3];
        if (pl < 4)
            break;
        off += pl;
    }
    uint32_t v = 0;
    for (size_t i = 0; i < width; i++)
        v = v << 8 | buf[field + i];
    switch (ikm_below(&w->rng, 4)) {
    case 0:
        v += 1 + ikm_below(&w->rng, 8);
        break;
    case 1:
        v -= 1 + ikm_below(&w->rng, 8);
        break;
    case 2:
        v = 0;
        break;
    default:
        v = ikm_next(&w->rng);
        break;
    }
    for (size_t i = width; i-- > 0; v >>= 8)
        buf[field + i] = (uint8_t)v;
}

/*
 * Mutate @p in (parsed as w->a) into w->out. @p other (may be NULL) is a
 * second parsed message for splices. Returns the output length, 0 when
 * the input does not parse or no mutation produced a message that fits.
 */
static size_t ikm_run(ikm_work *w, const uint8_t *in, size_t len,
                      const uint8_t *other, size_t olen, size_t max)
{
    if (len > IKH_WIRE_MAX_MSG)
        return 0;
    memcpy(w->in, in, len);
    if (ikh_wire_msg_parse(&w->a, w->in, len, NULL) != IKH_OK)
        return 0;
    const ikh_msg *om = NULL;
    if (other != NULL && ikh_wire_msg_parse(&w->b, other, olen, NULL) == IKH_OK)
        om = &w->b;
    w->heap_used = 0;
    for (int attempt = 0; attempt < 8; attempt++) {
        ikh_msg *m = &w->a;
        if (attempt > 0 && ikh_wire_msg_parse(m, w->in, len, NULL) != IKH_OK)
            return 0;
        uint32_t rounds =
            1 + (ikm_below(&w->rng, 4) == 0 ? ikm_below(&w->rng, 4) : 0);
        bool ok = true;
        for (uint32_t r = 0; r < rounds && ok; r++)
            ok = ikm_mutate_msg(w, m, om);
        size_t out = 0;
        size_t cap = max < sizeof w->out ? max : sizeof w->out;
        if (!ok || ikh_wire_msg_serialize(m, w->out, cap, &out) != IKH_OK)
            continue;
        if (ikm_below(&w->rng, 16) == 0)
            ikm_patch(w, w->out, out);
        return out;
    }
    return 0;
}

/* Byte splice when an input does not parse: a prefix of one, then a
 * suffix of the other. */
static size_t ikm_splice(ikm_rng *r, const uint8_t *a, size_t la,
                         const uint8_t *b, size_t lb, uint8_t *out, size_t max)
{
    size_t ca = ikm_below(r, (uint32_t)la + 1),
           cb = ikm_below(r, (uint32_t)lb + 1);
    if (ca > max)
        ca = max;
    if (lb - cb > max - ca)
        cb = lb - (max - ca);
    memcpy(out, a, ca);
    memcpy(out + ca, b + cb, lb - cb);
    return ca + (lb - cb);
}

#ifndef IKH_AFL_MUTATOR

/* ---- libFuzzer -------------------------------------------------------- */

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1,
                                 const uint8_t *data2, size_t size2,
                                 uint8_t *out, size_t max_out_size,
                                 unsigned int seed);

static ikm_work g_work;

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed)
{
    ikm_work *w = &g_work;
    w->rng.s = seed;
    /* one time in eight libFuzzer's own byte mutations, so inputs that do
     * not parse yet are found too */
    if (ikm_below(&w->rng, 8) != 0) {
        size_t n = ikm_run(w, data, size, NULL, 0, max_size);
        if (n > 0) {
            memcpy(data, w->out, n);
            return n;
        }
    }
    return LLVMFuzzerMutate(data, size, max_size);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1,
                                 const uint8_t *data2, size_t size2,
                                 uint8_t *out, size_t max_out_size,
                                 unsigned int seed)
{
    ikm_work *w = &g_work;
    w->rng.s = seed;
    size_t n = ikm_run(w, data1, size1, data2, size2, max_out_size);
    if (n > 0) {
        memcpy(out, w->out, n);
        return n;
    }
    return ikm_splice(&w->rng, data1, size1, data2, size2, out, max_out_size);
}

#else

/* ---- AFL++ custom mutator library ------------------------------------- */

/* afl_state_t is opaque here: the mutator never looks at it. */
typedef struct afl_state afl_state_t;

void *afl_custom_init(afl_state_t *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size,
                       uint8_t **out_buf, uint8_t *add_buf, size_t add_buf_size,
                       size_t max_size);
void afl_custom_deinit(void *data);

typedef struct ikm_afl {
    ikm_work w;
    uint8_t *out; /* returned to AFL++; valid until the next call */
    size_t out_cap;
} ikm_afl;

void *afl_custom_init(afl_state_t *afl, unsigned int seed)
{
    (void)afl;
    ikm_afl *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->w.rng.s = seed;
    return s;
}

/* A few byte-level changes for inputs that do not parse. */
static size_t ikm_havoc(ikm_rng *r, uint8_t *p, size_t len, size_t max)
{
    uint32_t n = 1 + ikm_below(r, 4);
    for (uint32_t i = 0; i < n; i++) {
        switch (ikm_below(r, 4)) {
        case 0:
            if (len > 0)
                p[ikm_below(r, (uint32_t)len)] ^=
                    (uint8_t)(1u << ikm_below(r, 8));
            break;
        case 1:
            if (len > 0)
                p[ikm_below(r, (uint32_t)len)] = (uint8_t)ikm_next(r);
            break;
        case 2: /* erase a run */
            if (len > 1) {
                size_t at = ikm_below(r, (uint32_t)len);
                size_t k = 1 + ikm_below(r, (uint32_t)(len - at));
                memmove(p + at, p + at + k, len - at - k);
                len -= k;
            }
            break;
        default: /* insert a run */
            if (len < max) {
                size_t at = ikm_below(r, (uint32_t)len + 1);
                size_t k = 1 + ikm_below(r, 16);
                if (k > max - len)
                    k = max - len;
                memmove(p + at + k, p + at, len - at);
                for (size_t j = 0; j < k; j++)
                    p[at + j] = (uint8_t)ikm_next(r);
                len += k;
            }
            break;
        }
    }
    return len;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size,
                       uint8_t **out_buf, uint8_t *add_buf, size_t add_buf_size,
                       size_t max_size)
{
    ikm_afl *s = data;
    size_t want = max_size > buf_size ? max_size : buf_size;
    if (want > IKM_SCRATCH)
        want = IKM_SCRATCH;
    if (s->out_cap < want) {
        uint8_t *nb = realloc(s->out, want);
        if (nb == NULL) {
            *out_buf = buf;
            return buf_size;
        }
        s->out = nb;
        s->out_cap = want;
    }
    size_t max = max_size < s->out_cap ? max_size : s->out_cap;
    bool cross =
        add_buf != NULL && add_buf_size > 0 && ikm_below(&s->w.rng, 4) == 0;
    size_t n = ikm_run(&s->w, buf, buf_size, cross ? add_buf : NULL,
                       cross ? add_buf_size : 0, max);
    if (n > 0) {
        memcpy(s->out, s->w.out, n);
    } else if (cross) {
        n = ikm_splice(&s->w.rng, buf, buf_size, add_buf, add_buf_size, s->out,
                       max);
    } else {
        n = buf_size < max ? buf_size : max;
        memcpy(s->out, buf, n);
        n = ikm_havoc(&s->w.rng, s->out, n, max);
    }
    *out_buf = s->out;
    return n;
}

void afl_custom_deinit(void *data)
{
    ikm_afl *s = data;
    if (s != NULL)
        free(s->out);
    free(s);
}

#endif
