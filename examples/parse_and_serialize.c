/* SPDX-License-Identifier: MIT */
/*
 * Example: the wire codec round trip. Builds an IKE_SA_INIT request (SA with
 * one IKE proposal, KE, Ni, NAT_DETECTION_SOURCE_IP) with the builder API of
 * ikh/wire.h, serializes it, parses the octets back, and checks that the two
 * messages are equal and that serializing the parsed message gives the same
 * octets. Prints the message in hex. Exit status 0 on success, 1 on failure.
 */
#include <stdio.h>
#include <string.h>

#include "ikh/wire.h"

/* Message values; a real initiator takes them from its DRBG and KE. */
static const uint8_t ke_data[32] = {
    0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54, 0x74, 0x8b, 0x7d,
    0xdc, 0xb4, 0x3e, 0xf7, 0x5a, 0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38,
    0x1a, 0xf4, 0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a,
};
static const uint8_t nonce[32] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
    0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
    0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20,
};
static const uint8_t nat_src_hash[20] = {
    0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
    0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

/* The messages are about 30 KiB each: keep them off the stack. */
static ikh_msg built;
static ikh_msg parsed;

/* Fill the SA payload: one IKE proposal, AES-GCM-16/256, SHA2-256, X25519. */
static int build_sa(ikh_msg *m)
{
    ikh_pl *sa = ikh_wire_pl_add(m, IKH_PL_SA);
    if (!sa)
        return 1;
    ikh_prop *p = ikh_wire_prop_add(m, sa);
    if (!p)
        return 1;
    p->num = 1;
    p->proto = IKH_PROTO_IKE;
    ikh_xform *encr =
        ikh_wire_xform_add(m, p, IKH_XF_ENCR, IKH_ENCR_AES_GCM_16);
    if (!encr || !ikh_wire_keylen_add(m, encr, 256))
        return 1;
    if (!ikh_wire_xform_add(m, p, IKH_XF_PRF, IKH_PRF_HMAC_SHA2_256))
        return 1;
    if (!ikh_wire_xform_add(m, p, IKH_XF_KE, IKH_KE_CURVE25519))
        return 1;
    return 0;
}

/* Build the whole request into m. */
static int build_init_request(ikh_msg *m)
{
    ikh_wire_msg_init(m);
    m->hdr.ispi = 0x5f1c0a9e3b7d2201u;
    m->hdr.rspi = 0;
    m->hdr.version = 0x20;
    m->hdr.exch = IKH_EXCH_IKE_SA_INIT;
    m->hdr.flags = IKH_HDR_F_INITIATOR;
    m->hdr.mid = 0;

    if (build_sa(m) != 0)
        return 1;

    ikh_pl *ke = ikh_wire_pl_add(m, IKH_PL_KE);
    if (!ke)
        return 1;
    ke->u.ke.group = IKH_KE_CURVE25519;
    ke->u.ke.data = ikh_span_of(ke_data, sizeof ke_data);

    ikh_pl *ni = ikh_wire_pl_add(m, IKH_PL_NONCE);
    if (!ni)
        return 1;
    ni->u.raw.data = ikh_span_of(nonce, sizeof nonce);

    ikh_pl *n = ikh_wire_pl_add(m, IKH_PL_NOTIFY);
    if (!n)
        return 1;
    n->u.notify.proto = 0;
    n->u.notify.type = IKH_N_NAT_DETECTION_SOURCE_IP;
    n->u.notify.data = ikh_span_of(nat_src_hash, sizeof nat_src_hash);
    return 0;
}

static void print_hex(const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        printf("%02x%s", buf[i], (i % 16 == 15 || i + 1 == len) ? "\n" : " ");
}

static int fail(const char *what, ikh_err e)
{
    fprintf(stderr, "parse_and_serialize: %s: %s (%d): %s\n", what,
            ikh_err_name(e), (int)e, ikh_err_str(e));
    return 1;
}

int main(void)
{
    uint8_t buf[1024];
    uint8_t again[1024];
    size_t len = 0;
    size_t again_len = 0;
    ikh_diag diag;
    ikh_err e;

    if (build_init_request(&built) != 0) {
        fprintf(stderr, "parse_and_serialize: a builder pool is full\n");
        return 1;
    }

    e = ikh_wire_msg_serialize(&built, buf, sizeof buf, &len);
    if (e != IKH_OK)
        return fail("serialize", e);

    /* The spans of parsed borrow from buf: buf must outlive parsed. */
    e = ikh_wire_msg_parse(&parsed, buf, len, &diag);
    if (e != IKH_OK) {
        fprintf(stderr, "parse_and_serialize: error at offset %zu\n",
                diag.offset);
        return fail("parse", e);
    }
    e = ikh_wire_msg_verify(&parsed, &diag);
    if (e != IKH_OK)
        return fail("verify", e);

    if (!ikh_wire_msg_eq(&built, &parsed)) {
        fprintf(stderr, "parse_and_serialize: parsed message differs\n");
        return 1;
    }

    e = ikh_wire_msg_serialize(&parsed, again, sizeof again, &again_len);
    if (e != IKH_OK)
        return fail("serialize again", e);
    if (again_len != len || memcmp(again, buf, len) != 0) {
        fprintf(stderr, "parse_and_serialize: octets differ\n");
        return 1;
    }

    printf("IKE_SA_INIT request, %zu octets, %u payloads:\n", len,
           (unsigned)parsed.n_pl);
    print_hex(buf, len);
    return 0;
}
