/* SPDX-License-Identifier: MIT */
/*
 * Task objects (STYLE §9): allocation, release, the responder's choice of
 * task for an incoming request, and the key exchange and nonce helpers the
 * IKE_SA_INIT and CREATE_CHILD_SA tasks share.
 */
#include <string.h>

#include "ike/ike_int.h"

static const ikh_task_ops *ops_of(ikh_task_kind k)
{
    switch (k) {
    case IKH_TK_IKE_INIT:
        return &ikh_task_ike_init_ops;
    case IKH_TK_IKE_AUTH:
        return &ikh_task_ike_auth_ops;
    case IKH_TK_CHILD_CREATE:
        return &ikh_task_child_create_ops;
    case IKH_TK_CHILD_REKEY:
        return &ikh_task_child_rekey_ops;
    case IKH_TK_IKE_REKEY:
        return &ikh_task_ike_rekey_ops;
    case IKH_TK_DELETE_CHILD:
    case IKH_TK_DELETE_IKE:
        return &ikh_task_delete_ops;
    case IKH_TK_LIVENESS:
        return &ikh_task_liveness_ops;
    }
    return NULL;
}

ikh_err ikh_task_new(ikh_ike_sa *sa, ikh_task_kind kind, bool initiator,
                     ikh_task **out)
{
    const ikh_task_ops *ops = ops_of(kind);
    IKH_CHECK(ops != NULL, IKH_ERR_ARG_RANGE);
    void *p = NULL;
    IKH_TRY(ikh_env_alloc(&sa->node->env, sizeof(ikh_task), &p));
    ikh_task *t = p;
    memset(t, 0, sizeof *t);
    t->ops = ops;
    t->kind = kind;
    t->sa = sa;
    t->initiator = initiator;
    *out = t;
    return IKH_OK;
}

void ikh_ke_fini(ikh_ke_state *ks)
{
    /* once a group is set, also when its keygen failed halfway: a KE's
     * fini wipes its context whatever it holds */
    if (ks->ke != NULL)
        ks->ke->ke->fini(&ks->ctx);
    ks->have_priv = false;
    ikh_secret_fini(&ks->shared);
    /* the nonces as far as they were written (both lengths are set next
     * to the write, task.c and the tasks' nonce handling) */
    ikh_wipe(ks->n_own, ikh_size_min(ks->n_own_len, sizeof ks->n_own));
    ikh_wipe(ks->n_peer, ikh_size_min(ks->n_peer_len, sizeof ks->n_peer));
    ks->n_own_len = ks->n_peer_len = 0;
}

void ikh_task_free(ikh_node *n, ikh_task *t)
{
    if (t == NULL)
        return;
    if (t->kind == IKH_TK_LIVENESS && t->initiator && t->sa != NULL)
        t->sa->liveness_pending = false;
    if (t->ops->fini != NULL)
        t->ops->fini(t);
    ikh_ke_fini(&t->ke);
    if (t->child != NULL)
        ikh_child_free(n, t->child);
    if (t->new_sa != NULL)
        ikh_node_sa_release(n, t->new_sa);
    /* Secrets only: the KE private value, g^ir and the nonces went with
     * ikh_ke_fini; our AUTH data and ID travel inside SK. The rest (the
     * public KE value, selectors, notify data) is on the wire in the
     * clear or not secret; wiping the whole 9.5 KiB task on every
     * exchange cost more than all its secrets. */
    ikh_wipe(t->auth, sizeof t->auth);
    ikh_wipe(t->id_body, sizeof t->id_body);
    ikh_env_free(&n->env, t);
}

ikh_err ikh_ke_start(ikh_node *n, ikh_ke_state *ks, const ikh_xform_desc *ke)
{
    if (ks->ke != NULL)
        ks->ke->ke->fini(&ks->ctx);
    ks->have_priv = false;
    ks->ke = ke;
    if (ke == NULL)
        return IKH_OK;
    ikh_rand r = ikh_node_rand_src(n);
    IKH_TRY(ke->ke->keygen(&ks->ctx, &r, ks->pub));
    ks->have_priv = true;
    return IKH_OK;
}

/*= rfc7296#2.10
 *# Nonces used in IKEv2 MUST be randomly chosen, MUST be at least 128
 *# bits in size, and MUST be at least half the key size of the
 *# negotiated pseudorandom function (PRF).
 */
ikh_err ikh_ke_nonce(ikh_node *n, ikh_ke_state *ks)
{
    ks->n_own_len = IKH_IKE_NONCE_LEN;
    return ikh_node_rand(n, ks->n_own, ks->n_own_len);
}

/* The SA payload's first proposal protocol (IKE rekey vs Child SA). */
static uint8_t first_proto(const ikh_msg *m)
{
    const ikh_pl *sa = ikh_msg_find(m, IKH_PL_SA, 0);
    if (sa == NULL || sa->u.sa.count == 0)
        return 0;
    return m->prop[sa->u.sa.first].proto;
}

ikh_err ikh_task_for_request(ikh_ike_sa *sa, const ikh_msg *m, ikh_task **out)
{
    ikh_task_kind k;
    switch (m->hdr.exch) {
    case IKH_EXCH_IKE_SA_INIT:
        k = IKH_TK_IKE_INIT;
        break;
    case IKH_EXCH_IKE_AUTH:
        k = IKH_TK_IKE_AUTH;
        break;
    case IKH_EXCH_CREATE_CHILD_SA:
        /* RFC 7296 §1.3: CREATE_CHILD_SA creates Child SAs and rekeys IKE
         * SAs and Child SAs. */
        if (ikh_msg_notify(m, IKH_N_REKEY_SA) != NULL)
            k = IKH_TK_CHILD_REKEY;
        else if (first_proto(m) == IKH_PROTO_IKE)
            k = IKH_TK_IKE_REKEY;
        else
            k = IKH_TK_CHILD_CREATE;
        break;
    case IKH_EXCH_INFORMATIONAL:
        k = ikh_msg_find(m, IKH_PL_DELETE, 0) != NULL ? IKH_TK_DELETE_CHILD
                                                      : IKH_TK_LIVENESS;
        break;
    default:
        return IKH_ERR_WIRE_EXCH_UNKNOWN;
    }
    return ikh_task_new(sa, k, false, out);
}

size_t ikh_ke_min_nonce(const ikh_ke_state *k, uint8_t *out)
{
    size_t la = k->n_own_len, lb = k->n_peer_len;
    size_t l = la < lb ? la : lb;
    int c = memcmp(k->n_own, k->n_peer, l);
    bool own = c < 0 || (c == 0 && la <= lb);
    memcpy(out, own ? k->n_own : k->n_peer, own ? la : lb);
    return own ? la : lb;
}

bool ikh_nonce_lower(const uint8_t *a, size_t la, const uint8_t *b, size_t lb)
{
    size_t l = la < lb ? la : lb;
    int c = memcmp(a, b, l);
    return c < 0 || (c == 0 && la < lb);
}

void ikh_log_collision(ikh_ike_sa *sa, const char *kind, const char *winner,
                       ikh_time_ms now)
{
    ikh_log_ev *ev = ikh_sa_log(sa, IKH_LVL_INFO, IKH_EV_IKE_COLLISION,
                                sa->x.mid_out, IKH_EXCH_CREATE_CHILD_SA, now);
    ikh_log_u64(ev, "ref", sa->ref);
    ikh_log_str(ev, "kind", kind);
    ikh_log_str(ev, "winner", winner);
    (void)ikh_log_end(ev);
}
