/* SPDX-License-Identifier: MIT */
/* target: ikh_wire_msg_parse, ikh_wire_msg_verify, ikh_wire_msg_serialize,
 *         ikh_wire_msg_parse_inner, ikh_wire_inner_serialize */
/* input: one IKE message (no UDP header, no non-ESP marker) */
/*
 * The codec's oracle: anything that parses must serialize back to exactly
 * the input octets (reserved fields are kept, derived fields are checked on
 * parse), and the reparse must equal the first parse. The same bytes after
 * the header are also parsed as a decrypted inner chain, which must
 * serialize back too. Rendering to JSON and text is fuzz_dump's (kept out
 * of here so the round trip runs at full speed). Deterministic, no state
 * between inputs, writes no files.
 */
#include <stdlib.h>
#include <string.h>

#include "ikh/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ikh_msg m1, m2;
static uint8_t out[IKH_WIRE_MAX_MSG + 64];
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
        }
    }
    return 0;
}
