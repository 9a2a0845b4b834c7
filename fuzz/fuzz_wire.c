/* SPDX-License-Identifier: MIT */
/* target: ikh_wire_msg_parse, ikh_wire_msg_verify, ikh_wire_msg_serialize,
 *         ikh_wire_msg_parse_inner, ikh_dump_msg_json, ikh_dump_msg_text */
/* input: one IKE message (no UDP header, no non-ESP marker) */
/*
 * The codec's oracle: anything that parses must serialize back to exactly
 * the input octets (reserved fields are kept, derived fields are checked on
 * parse), and the reparse must equal the first parse. The same bytes after
 * the header are also parsed as a decrypted inner chain, and every parsed
 * message is rendered to JSON and text (bounded buffers, no crash).
 * Deterministic, no state between inputs, writes no files.
 */
#include <stdlib.h>
#include <string.h>

#include "ikh/dump.h"
#include "ikh/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ikh_msg m1, m2;
static uint8_t out[IKH_WIRE_MAX_MSG + 64];
static char text[1 << 20];

static void render(const ikh_msg *m)
{
    ikh_json j;
    size_t n;
    ikh_json_init(&j, text, sizeof text);
    ikh_json_obj_open(&j, NULL);
    ikh_dump_msg_json(&j, m, NULL);
    ikh_json_obj_close(&j);
    if (ikh_json_finish(&j, &n) != IKH_OK)
        abort(); /* 1 MiB holds the JSON of any 64 KiB message */
    if (ikh_dump_msg_text(m, NULL, text, sizeof text, &n) != IKH_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikh_diag d;
    if (ikh_wire_msg_parse(&m1, data, size, &d) == IKH_OK) {
        size_t olen = 0;
        if (ikh_wire_msg_verify(&m1, &d) != IKH_OK && d.err == IKH_OK)
            abort(); /* a verify error always fills the diagnostic */
        if (ikh_wire_msg_serialize(&m1, out, sizeof out, &olen) != IKH_OK)
            abort(); /* whatever parses serializes */
        if (olen != size || memcmp(out, data, size) != 0)
            abort(); /* serialize(parse(b)) == b */
        if (ikh_wire_msg_parse(&m2, out, olen, &d) != IKH_OK ||
            !ikh_wire_msg_eq(&m1, &m2))
            abort(); /* parse(serialize(m)) == m */
        render(&m1);
    } else {
        render(&m1); /* decode prints what parsed before the error */
    }
    /* The tail as a decrypted SK chain whose first type is octet 16. */
    if (size > IKH_IKE_HDR_LEN) {
        ikh_wire_msg_init(&m1);
        if (ikh_wire_msg_parse_inner(&m1, data[16], data + IKH_IKE_HDR_LEN,
                                     size - IKH_IKE_HDR_LEN, IKH_IKE_HDR_LEN,
                                     &d) == IKH_OK) {
            size_t olen = 0;
            if (ikh_wire_inner_serialize(&m1, out, sizeof out, &olen) !=
                    IKH_OK ||
                olen != size - IKH_IKE_HDR_LEN ||
                memcmp(out, data + IKH_IKE_HDR_LEN, olen) != 0)
                abort();
            render(&m1);
        }
    }
    return 0;
}
