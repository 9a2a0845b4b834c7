/* SPDX-License-Identifier: MIT */
/* target: ikh_dump_msg_json, ikh_dump_msg_text (over ikh_wire_msg_parse and
 *         ikh_wire_msg_parse_inner) */
/* input: one IKE message (no UDP header, no non-ESP marker), as fuzz_wire */
/*
 * The renderers behind `ikeharness decode`: every message, whole or parsed
 * up to its first error, and the tail after the header taken as a decrypted
 * SK chain, is rendered to JSON and to text in bounded buffers. Oracles: the
 * JSON is complete (1 MiB holds any 64 KiB message) and text rendering
 * succeeds. Split from fuzz_wire so the codec round trip runs at full speed
 * there. Deterministic, no state between inputs, writes no files.
 */
#include <stdlib.h>
#include <string.h>

#include "ikh/dump.h"
#include "ikh/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ikh_msg m;
static char text[1 << 20];

static void render(const ikh_msg *msg)
{
    ikh_json j;
    size_t n;
    ikh_json_init(&j, text, sizeof text);
    ikh_json_obj_open(&j, NULL);
    ikh_dump_msg_json(&j, msg, NULL);
    ikh_json_obj_close(&j);
    if (ikh_json_finish(&j, &n) != IKH_OK)
        abort(); /* 1 MiB holds the JSON of any 64 KiB message */
    if (ikh_dump_msg_text(msg, NULL, text, sizeof text, &n) != IKH_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ikh_diag d;
    /* decode prints what parsed, also when parsing stopped at an error */
    ikh_err e = ikh_wire_msg_parse(&m, data, size, &d);
    (void)e;
    render(&m);
    /* the tail as a decrypted SK chain whose first type is octet 16 */
    if (size > IKH_IKE_HDR_LEN) {
        ikh_wire_msg_init(&m);
        if (ikh_wire_msg_parse_inner(&m, data[16], data + IKH_IKE_HDR_LEN,
                                     size - IKH_IKE_HDR_LEN, IKH_IKE_HDR_LEN,
                                     &d) == IKH_OK)
            render(&m);
    }
    return 0;
}
