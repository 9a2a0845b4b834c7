/* SPDX-License-Identifier: MIT */
/*
 * Small helpers the tasks use to read and build messages: find a payload or
 * a Notify, add a Notify, KE or raw payload. They work on ikh_msg from the
 * wire codec and never touch bytes directly.
 */
#include "ike/ike_int.h"

void ikh_msg_reset(ikh_msg *m, uint8_t exch)
{
    ikh_wire_msg_init(m);
    m->hdr.version = 0x20;
    m->hdr.exch = exch;
}

const ikh_pl *ikh_msg_find(const ikh_msg *m, uint8_t type, size_t from)
{
    for (size_t i = from; i < m->n_pl; i++)
        if (m->pl[i].type == type)
            return &m->pl[i];
    return NULL;
}

const ikh_pl *ikh_msg_notify(const ikh_msg *m, uint16_t type)
{
    for (size_t i = 0; i < m->n_pl; i++)
        if (m->pl[i].type == IKH_PL_NOTIFY && m->pl[i].u.notify.type == type)
            return &m->pl[i];
    return NULL;
}

/*= rfc7296#3.10.1
 *# Types in the range 0 - 16383 are intended for reporting errors.
 */
const ikh_pl *ikh_msg_error_notify(const ikh_msg *m)
{
    for (size_t i = 0; i < m->n_pl; i++)
        if (m->pl[i].type == IKH_PL_NOTIFY && m->pl[i].u.notify.type < 16384)
            return &m->pl[i];
    return NULL;
}

ikh_pl *ikh_msg_add_notify(ikh_msg *m, bool in_sk, uint8_t proto, uint16_t type,
                           ikh_span spi, ikh_span data)
{
    ikh_pl *p = ikh_wire_pl_add(m, IKH_PL_NOTIFY);
    if (p == NULL)
        return NULL;
    p->in_sk = in_sk;
    p->u.notify.proto = proto;
    p->u.notify.type = type;
    p->u.notify.spi = spi;
    p->u.notify.data = data;
    return p;
}

ikh_pl *ikh_msg_add_raw(ikh_msg *m, uint8_t type, bool in_sk, ikh_span data)
{
    ikh_pl *p = ikh_wire_pl_add(m, type);
    if (p == NULL)
        return NULL;
    p->in_sk = in_sk;
    p->u.raw.data = data;
    return p;
}

ikh_pl *ikh_msg_add_ke(ikh_msg *m, bool in_sk, uint16_t group, ikh_span data)
{
    ikh_pl *p = ikh_wire_pl_add(m, IKH_PL_KE);
    if (p == NULL)
        return NULL;
    p->in_sk = in_sk;
    p->u.ke.group = group;
    p->u.ke.data = data;
    return p;
}
