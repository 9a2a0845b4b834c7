/* SPDX-License-Identifier: MIT */
/*
 * Internals of the wire codec: the per-payload operations table that the
 * chain walker (msg.c) dispatches to. Regular payloads are described by
 * field tables in pl_fields.c; SA, TS and CP, whose bodies are lists of
 * substructures, have their own files.
 */
#ifndef IKH_WIRE_INT_H
#define IKH_WIRE_INT_H

#include "ikh/wire.h"

/* Operations of one payload type. body is the payload after its generic
 * header; parse may record its own error on body (with an offset). */
typedef struct pl_ops {
    ikh_err (*parse)(ikh_msg *m, ikh_pl *pl, ikh_rd *body);
    void (*serialize)(const ikh_msg *m, const ikh_pl *pl, ikh_wr *w);
    bool (*eq)(const ikh_msg *ma, const ikh_pl *a, const ikh_msg *mb,
               const ikh_pl *b);
} pl_ops;

/* The operations for a payload type; unknown types get the opaque ops. */
const pl_ops *ikh_wire_pl_ops(uint8_t type);

extern const pl_ops ikh_pl_sa_ops;
extern const pl_ops ikh_pl_ts_ops;
extern const pl_ops ikh_pl_cp_ops;

/* Record err at the reader's current offset and return it. */
static inline ikh_err wire_fail(ikh_rd *rd, ikh_err err)
{
    return ikh_rd_fail_at(rd, err, ikh_rd_offset(rd));
}

/* Write a span whose length goes in a u8 field written just before it. */
static inline void wire_wr_len8_span(ikh_wr *w, ikh_span s)
{
    if (s.len > 0xff)
        ikh_wr_fail(w, IKH_ERR_ARG_RANGE);
    ikh_wr_u8(w, (uint8_t)s.len);
}

#endif /* IKH_WIRE_INT_H */
