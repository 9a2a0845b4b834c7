/* SPDX-License-Identifier: MIT */
/*
 * Private to pcap/src: the IP reassembly table of the capture reader
 * (reasm.c), fed by cap_read.c with the fragments frame.c describes.
 *
 * A datagram in progress is keyed by (IP version, source, destination,
 * Identification, protocol): the IPv4 Protocol field, or for IPv6 the Next
 * Header of the Fragment header. Its payload is copied into one buffer
 * that grows up to ::IKH_PCAP_REASM_MAX_OCTETS; the fragments received are
 * kept as (offset, length) pairs sorted by offset, at most
 * ::IKH_PCAP_REASM_MAX_FRAGS of them. Nothing else is allocated.
 *
 * A datagram that goes wrong is "dead": its buffer is freed, one report
 * {first record, reason} is queued, and the slot stays (holding only the
 * key) until the datagram's timeout so that its later fragments are
 * discarded silently instead of starting a new datagram that would be
 * reported again (RFC 5722 §4: the fragments not yet received are
 * discarded too).
 */
#ifndef IKH_PCAP_REASM_H
#define IKH_PCAP_REASM_H

#include "frame_int.h"

/** One fragment received: where its data sits in the datagram. */
typedef struct reasm_piece {
    uint32_t off; /* octets from the start of the IP payload */
    uint32_t len; /* octets of data */
} reasm_piece;

/** A datagram in progress (or dead, see above), one slot of the table. */
typedef struct reasm_dgram {
    bool used;            /* slot holds a datagram */
    bool dead;            /* dropped and reported: absorbs its fragments */
    bool have_last;       /* the last fragment (MF/M clear) arrived */
    uint8_t ipver;        /* key: 4 or 6 */
    uint8_t proto;        /* key: protocol / next header */
    uint32_t id;          /* key: Identification */
    uint8_t src[16];      /* key: source (IPv4 in the first 4 octets) */
    uint8_t dst[16];      /* key: destination */
    uint64_t first_usec;  /* capture time of the first fragment received */
    uint64_t first_index; /* its record number */
    size_t total;         /* payload octets, once have_last */
    uint8_t *buf;         /* payload so far (malloc), buf_cap octets */
    size_t buf_cap;
    uint32_t n_pieces;
    reasm_piece pieces[IKH_PCAP_REASM_MAX_FRAGS]; /* sorted by off, len */
} reasm_dgram;

/** A dropped datagram waiting for ikh_cap_reasm_report(). */
typedef struct reasm_report {
    uint64_t first_index;
    ikh_err why;
} reasm_report;

/** The table and its report queue (a ring; the oldest report is lost
 *  when it overflows, and counted). */
typedef struct ikh_reasm {
    reasm_dgram dg[IKH_PCAP_REASM_MAX_DGRAMS];
    reasm_report rep[IKH_PCAP_REASM_MAX_REPORTS];
    size_t rep_head;  /* oldest report */
    size_t rep_count; /* reports queued */
    uint64_t rep_lost;
} ikh_reasm;

/** A datagram reassembled by ikh_reasm_add(). */
typedef struct ikh_reasm_done {
    uint8_t *buf;         /* the IP payload; the caller free()s it (NULL
                             when len is 0) */
    size_t len;           /* its length */
    uint32_t frags;       /* fragments it was made of (duplicates not
                             counted) */
    uint64_t first_index; /* record of the first fragment received */
} ikh_reasm_done;

/**
 * Make an empty table.
 * @param r table (caller memory)
 */
void ikh_reasm_init(ikh_reasm *r);

/**
 * Free every buffer the table holds; queued reports are dropped.
 * @param r table (left empty, as after ikh_reasm_init())
 */
void ikh_reasm_fini(ikh_reasm *r);

/**
 * Drop the datagrams whose first fragment is more than
 * ::IKH_PCAP_REASM_TIMEOUT_USEC older than @p now_usec, oldest first:
 * each one in progress is reported PKT_FRAG_TIMEOUT; dead ones go
 * silently. A capture time earlier than a datagram's (a capture whose
 * clock went back) never expires it.
 * @param r        table
 * @param now_usec capture time of the record being read
 */
void ikh_reasm_expire(ikh_reasm *r, uint64_t now_usec);

/**
 * The capture ended (or libpcap failed): every datagram in progress is
 * reported PKT_FRAG_TIMEOUT, oldest first, and the table is emptied.
 * @param r table
 */
void ikh_reasm_flush(ikh_reasm *r);

/**
 * Add one fragment (fi->is_frag, fi->cut false).
 * @param r        table
 * @param fi       the fragment (its data is copied)
 * @param src      IP source of the fragment
 * @param dst      IP destination
 * @param index    its record number
 * @param now_usec its capture time
 * @param done     receives the datagram when this fragment completes it
 *                 (zeroed otherwise)
 * @return true when the datagram is complete (done filled; the slot is
 *         free again); false when the fragment is held, was an exact
 *         duplicate, belongs to a dead datagram, or made its datagram
 *         invalid (then reported: PKT_FRAG_OVERLAP, PKT_FRAG_BAD, or
 *         ENV_NOMEM when the buffer could not grow). Starting a datagram
 *         in a full table evicts a dead one, or else the oldest one in
 *         progress (reported PKT_FRAG_LIMIT).
 */
bool ikh_reasm_add(ikh_reasm *r, const ikh_frag_info *fi, const ikh_addr *src,
                   const ikh_addr *dst, uint64_t index, uint64_t now_usec,
                   ikh_reasm_done *done);

/**
 * Take the oldest queued report.
 * @param r           table
 * @param first_index receives the record number of the dropped datagram's
 *                    first fragment
 * @param why         receives the reason
 * @return IKH_OK, or IKH_ERR_STATE when no report is queued.
 */
ikh_err ikh_reasm_report_pop(ikh_reasm *r, uint64_t *first_index, ikh_err *why);

#endif /* IKH_PCAP_REASM_H */
