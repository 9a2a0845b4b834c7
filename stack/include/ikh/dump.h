/* SPDX-License-Identifier: MIT */
/**
 * @file dump.h
 * @brief Human and machine renderings of parsed IKE messages: the JSON of
 *        `ikeharness decode --json` (docs/decode-json.md) and a readable tree.
 *
 * Names come from the IANA tables (names.h). Nothing allocates; output goes
 * into caller buffers.
 */
#ifndef IKH_DUMP_H
#define IKH_DUMP_H

#include "ikh/json.h"
#include "ikh/wire.h"

/** What is known about the SK payload's suite (from an earlier IKE_SA_INIT). */
typedef struct ikh_sk_info {
    bool known;     /**< the lengths below are valid */
    uint16_t encr;  /**< ENCR transform ID */
    uint16_t integ; /**< INTEG transform ID, 0 for AEAD */
    size_t iv_len;  /**< IV octets */
    size_t icv_len; /**< ICV octets */
} ikh_sk_info;

/**
 * @brief The SK layout of an IKE SA from its IKE_SA_INIT response: the
 *        accepted proposal (RFC 7296 §3.3: one proposal, its first ENCR and
 *        INTEG transforms) gives the IV and ICV lengths of the SA's later
 *        SK/SKF payloads (ikh_wire_sk_lengths()). For decoders that split
 *        SK payloads they cannot decrypt.
 * @param m   a parsed message (borrowed)
 * @param out receives the layout, known set (written only on success)
 * @return true when @p m is an IKE_SA_INIT response with an SA payload whose
 *         transforms have known lengths; false otherwise.
 */
bool ikh_dump_sk_info_of(const ikh_msg *m, ikh_sk_info *out);

/**
 * @brief Write "header" and "payloads" members describing @p m into the
 *        JSON object currently open in @p j.
 * @param j  writer with an object open (borrowed)
 * @param m  message, possibly partially parsed (borrowed)
 * @param sk suite knowledge for SK/SKF, or NULL
 * Errors (a full buffer) are sticky in @p j and reported by ikh_json_finish().
 */
void ikh_dump_msg_json(ikh_json *j, const ikh_msg *m, const ikh_sk_info *sk);

/**
 * @brief Write a diagnostic as a JSON object member (or null when d->err is
 * IKH_OK).
 * @param j writer @param key member name @param d diagnostic (borrowed)
 */
void ikh_dump_diag_json(ikh_json *j, const char *key, const ikh_diag *d);

/**
 * @brief Render @p m as an indented text tree.
 * @param m       message (borrowed)
 * @param sk      suite knowledge for SK/SKF, or NULL
 * @param buf     output (NUL-terminated on success)
 * @param cap     its capacity
 * @param out_len receives the text length; may be NULL
 * @return IKH_OK, or IKH_ERR_WIRE_NOBUF when @p buf is too small (the text is
 * cut).
 */
IKH_MUST_USE ikh_err ikh_dump_msg_text(const ikh_msg *m, const ikh_sk_info *sk,
                                       char *buf, size_t cap, size_t *out_len);

/**
 * @brief Render a diagnostic as one line of text ("WIRE_PL_LEN_OVERRUN (210) at
 * offset 40 in KE #1: ...").
 * @param d diagnostic (borrowed) @param buf output @param cap capacity
 * @return buf (always NUL-terminated when cap > 0).
 */
const char *ikh_dump_diag_text(const ikh_diag *d, char *buf, size_t cap);

#endif /* IKH_DUMP_H */
