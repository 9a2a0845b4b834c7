/* SPDX-License-Identifier: MIT */
/**
 * @file replay.h
 * @brief Capture replay and conformance rules: read a capture (or a list
 *        of messages), group IKE messages into IKE SAs and exchanges,
 *        decrypt what the keys allow (capdec.h), and judge every message
 *        and ESP packet against the rule table (replay_rules_table.h).
 *
 * Model (pcap/src/replay.c):
 *  - IKE SA: found by its SPI pair. An IKE_SA_INIT request (responder SPI
 *    0) starts one, its response fills in the responder SPI. A
 *    CREATE_CHILD_SA exchange whose proposals are IKE (decrypted) rekeys
 *    it: the new SA, with the SPIs of the request's and the response's
 *    proposals, starts with the rekey's requester as its initiator and
 *    Message IDs from 0 (RFC 7296 §2.18). Messages of an SA whose start
 *    the capture missed make an SA whose history is unknown: rules that
 *    need the history are "not applicable" for it.
 *  - Exchange: (SA, Message ID, requesting side), the side taken from the
 *    I and R flags (§3.1). It holds the request, its response, and each
 *    one's retransmissions (per SKF fragment number). An IKE_SA_INIT
 *    request retried after a COOKIE or INVALID_KE_PAYLOAD answer starts a
 *    new attempt under Message ID 0 (§2.6, §1.2).
 *  - Decryption: with a key set, SK payloads are verified and decrypted
 *    and SKF fragments reassembled (capdec.h); rules about inner payloads
 *    run on the decrypted message (for SKF, on the frame completing it).
 *    Without keys they give ::IKH_VERDICT_NOKEYS on encrypted messages.
 *  - ESP: per SPI, sequence numbers and (with keys) verification.
 *
 * Every result is recorded against one item (an IKE message or ESP
 * packet) and its frame number. A damaged record (PKT_*, PCAP_SNAPLEN, a
 * reassembly drop) is listed with its error and the replay goes on; a
 * PCAP_RECORD stops libpcap and ends the replay with what came before.
 *
 * Hostile input: everything from the capture goes through the capture
 * reader and the wire codec; lengths are bounded by limits.h and the
 * limits below; nothing asserts on capture content.
 */
#ifndef IKH_REPLAY_H
#define IKH_REPLAY_H

#include "ikh/capdec.h"
#include "ikh/common.h"
#include "ikh/pcap.h"
#include "ikh/wire.h"

/** Rule numbers, in table order (replay_rules_table.h). */
typedef enum ikh_rule_id {
/** One row of replay_rules_table.h as the enumerator IKH_RULE_<name>. */
#define IKH_RULE(name, id, rfc, sec, lvl, scope, keys, what, why)              \
    IKH_RULE_##name,
#include "ikh/replay_rules_table.h"
#undef IKH_RULE
    IKH_RULE__COUNT /**< number of rules */
} ikh_rule_id;

/** RFC 2119 level of a rule. */
typedef enum ikh_rule_level {
    IKH_LEVEL_MUST = 0,   /**< MUST, MUST NOT, REQUIRED (fail[0]) */
    IKH_LEVEL_SHOULD = 1, /**< SHOULD, SHOULD NOT, RECOMMENDED (fail[1]) */
} ikh_rule_level;

/** What one result of a rule is about (replay_rules_table.h). */
typedef enum ikh_rule_scope {
    IKH_SCOPE_MESSAGE = 0, /**< one IKE message on its own */
    IKH_SCOPE_EXCHANGE,    /**< a request with its response */
    IKH_SCOPE_SA,          /**< the history of one IKE SA */
    IKH_SCOPE_ESP,         /**< ESP packets of one SPI */
} ikh_rule_scope;

/** One rule's outcome on one item. Zero is "not applicable". */
typedef enum ikh_verdict {
    IKH_VERDICT_NA = 0, /**< the rule does not apply to this item */
    IKH_VERDICT_PASS,   /**< checked and met */
    IKH_VERDICT_FAIL,   /**< checked and violated */
    IKH_VERDICT_NOKEYS, /**< applies, but needs a decryption nobody could do */
} ikh_verdict;

/** A rule's row of the table. */
typedef struct ikh_rule_info {
    const char *id;       /**< "RFC7296-3.1-MAJOR" */
    const char *name;     /**< enum name: "HDR_MAJOR" */
    unsigned rfc;         /**< RFC number */
    const char *section;  /**< "3.1" */
    ikh_rule_level level; /**< MUST or SHOULD */
    ikh_rule_scope scope; /**< what a result is about */
    bool needs_keys;      /**< looks inside SK/SKF or ESP plaintext */
    const char *what;     /**< what it checks */
    const char *why;      /**< one-line explanation */
} ikh_rule_info;

/** Most records with a framing error listed in ::ikh_replay_stats order
 *  (more are counted only). */
#define IKH_REPLAY_MAX_RECORD_ERRS 1024u
/** Most IKE SAs tracked; messages of more SAs are items without an SA
 *  (counted in ::ikh_replay_stats::sas_dropped). Either limit, when hit,
 *  ends in a record error PCAP_REPLAY_LIMIT at the first frame it cut
 *  short (ikh_replay_finish()), so the judgement is never silently
 *  partial. */
#define IKH_REPLAY_MAX_SAS 65536u
/** Most items (IKE messages and ESP packets) judged; later ones are
 *  counted in ::ikh_replay_stats::items_dropped and not judged. */
#define IKH_REPLAY_MAX_ITEMS (4u * 1024u * 1024u)
/** Longest failure detail kept per violation. */
#define IKH_REPLAY_DETAIL_LEN 96u

/** What an item is. */
typedef enum ikh_item_kind {
    IKH_ITEM_IKE = 0, /**< an IKE message */
    IKH_ITEM_ESP,     /**< an ESP packet */
} ikh_item_kind;

/** One judged item. */
typedef struct ikh_replay_item {
    uint64_t frame;                   /**< 1-based record number */
    ikh_item_kind kind;               /**< IKE or ESP */
    uint64_t ispi;                    /**< IKE: initiator SPI */
    uint64_t rspi;                    /**< IKE: responder SPI */
    uint32_t mid;                     /**< IKE: Message ID */
    uint8_t exch;                     /**< IKE: exchange type */
    uint8_t flags;                    /**< IKE: header flags */
    uint32_t esp_spi;                 /**< ESP: SPI */
    uint64_t esp_seq;                 /**< ESP: Sequence Number */
    long sa;                          /**< SA index, -1: none */
    bool encrypted;                   /**< IKE: carries SK/SKF */
    bool decrypted;                   /**< IKE: SK opened / ESP
                                           verified with keys */
    uint8_t verdict[IKH_RULE__COUNT]; /**< ::ikh_verdict per rule */
} ikh_replay_item;

/** One failed rule on one item. */
typedef struct ikh_replay_violation {
    size_t item;                        /**< index of the item */
    uint64_t frame;                     /**< its frame */
    ikh_rule_id rule;                   /**< the rule */
    char detail[IKH_REPLAY_DETAIL_LEN]; /**< what was seen */
} ikh_replay_violation;

/** A record that was not judged because its framing is broken. */
typedef struct ikh_replay_record_err {
    uint64_t frame; /**< record (first fragment for reassembly drops) */
    ikh_err err;    /**< PKT_*, PCAP_SNAPLEN, PCAP_RECORD, ... */
} ikh_replay_record_err;

/** Totals of a replay. */
typedef struct ikh_replay_stats {
    uint64_t frames;        /**< records read */
    uint64_t ike_msgs;      /**< IKE message items */
    uint64_t esp_pkts;      /**< ESP packet items */
    uint64_t keepalives;    /**< NAT keepalives (not judged) */
    uint64_t other;         /**< records neither IKE nor ESP, no error */
    uint64_t exchanges;     /**< exchanges (attempts) seen */
    uint64_t sas;           /**< IKE SAs seen */
    uint64_t rekeys;        /**< IKE SA rekeys followed */
    uint64_t decrypted;     /**< IKE messages decrypted (SK or joined SKF) */
    uint64_t undecrypted;   /**< encrypted IKE messages not decrypted */
    uint64_t record_errs;   /**< records with a framing error */
    uint64_t items_dropped; /**< items past ::IKH_REPLAY_MAX_ITEMS */
    uint64_t sas_dropped;   /**< IKE SAs past ::IKH_REPLAY_MAX_SAS */
    uint64_t fail[2];       /**< failed results by level (MUST, SHOULD) */
} ikh_replay_stats;

/** Where a message of the message-list input came from (tests, tools). */
typedef struct ikh_replay_meta {
    uint64_t frame;      /**< its frame number (any increasing numbering) */
    ikh_addr src;        /**< source address (family 0: unknown) */
    ikh_addr dst;        /**< destination address */
    uint16_t sport;      /**< source port */
    uint16_t dport;      /**< destination port */
    bool decrypted;      /**< the message's in_sk payloads are its decrypted
                              content (as if keys had opened its SK) */
    bool non_esp_marker; /**< IKE: the non-ESP marker preceded it on the
                              wire (RFC 3948 §2.2) */
    bool udp_csum_known; /**< udp_csum holds the UDP checksum as captured */
    uint16_t udp_csum;   /**< the UDP checksum field (0: none sent) */
} ikh_replay_meta;

/** A replay in progress (opaque). */
typedef struct ikh_replay ikh_replay;

/**
 * @brief The table row of a rule.
 * @param id a rule number
 * @return its row (static), or NULL when id is not a rule.
 */
const ikh_rule_info *ikh_replay_rule(ikh_rule_id id);

/**
 * @brief Find a rule by its ID ("RFC7296-3.1-MAJOR") or its enum name
 *        ("HDR_MAJOR"), case-insensitive.
 * @param s the text (borrowed; NULL finds nothing)
 * @param out receives the rule number
 * @return true when found.
 */
bool ikh_replay_rule_find(const char *s, ikh_rule_id *out);

/**
 * @brief Printable verdict: "pass", "fail", "n/a", "nokeys".
 * @param v a verdict
 * @return a static string ("?" for a value that is not a verdict).
 */
const char *ikh_replay_verdict_name(ikh_verdict v);

/**
 * @brief Start a replay.
 * @param keys key set to decrypt with (borrowed, must outlive the replay;
 *             NULL: no keys, inner rules give NOKEYS)
 * @param out  receives the replay (NULL on error); free it with
 *             ikh_replay_free()
 * @return IKH_OK; ARG_INVALID (NULL out); ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_replay_new(const ikh_capdec_keys *keys,
                                    ikh_replay **out);

/** @brief Free a replay and everything it holds; NULL is a no-op.
 *  @param r replay (freed) */
void ikh_replay_free(ikh_replay *r);

/**
 * @brief Judge one capture record (from ikh_cap_next()).
 *
 * IKE and ESP records become items; keepalives and other traffic are
 * counted; records with a framing error (fr->err) are listed with it.
 * @param r  replay
 * @param fr the record (borrowed for the call)
 * @return IKH_OK (a bad message or packet is a result, not an error);
 *         ARG_INVALID (NULL argument); STATE (after ikh_replay_finish());
 *         ENV_NOMEM (the replay is then incomplete: stop and report the
 *         error).
 */
IKH_MUST_USE ikh_err ikh_replay_frame(ikh_replay *r, const ikh_frame *fr);

/**
 * @brief List a record the capture reader could not give (PCAP_RECORD, a
 *        reassembly drop): it appears in the report with its error.
 * @param r replay @param frame its record number @param err the reason
 * @return IKH_OK; ARG_INVALID (NULL r).
 */
IKH_MUST_USE ikh_err ikh_replay_record_error(ikh_replay *r, uint64_t frame,
                                             ikh_err err);

/**
 * @brief Judge one IKE message given as bytes (message-list input).
 *
 * The bytes are parsed; an SK/SKF payload is decrypted with the key set
 * when it has the SA, as ikh_replay_frame() does.
 * @param r    replay
 * @param meta where it came from (borrowed; meta->decrypted is ignored)
 * @param msg  the IKE message without non-ESP marker (borrowed)
 * @param len  its length
 * @return as ikh_replay_frame().
 */
IKH_MUST_USE ikh_err ikh_replay_ike(ikh_replay *r, const ikh_replay_meta *meta,
                                    const uint8_t *msg, size_t len);

/**
 * @brief Judge one IKE message already parsed, with its decrypted inner
 *        payloads when meta->decrypted (message-list input for tests and
 *        for tools that decrypt by other means).
 * @param r    replay
 * @param meta where it came from (borrowed)
 * @param m    the message (borrowed for the call): its outer payloads as
 *             @p raw holds them, then (meta->decrypted) its in_sk payloads
 * @param raw  the message as sent (borrowed): what retransmissions are
 *             compared with
 * @return as ikh_replay_frame().
 */
IKH_MUST_USE ikh_err ikh_replay_msg(ikh_replay *r, const ikh_replay_meta *meta,
                                    const ikh_msg *m, ikh_span raw);

/**
 * @brief Judge one ESP packet (SPI onwards) given as bytes.
 * @param r    replay
 * @param meta where it came from (borrowed)
 * @param pkt  the packet (borrowed) @param len its length
 * @return as ikh_replay_frame().
 */
IKH_MUST_USE ikh_err ikh_replay_esp(ikh_replay *r, const ikh_replay_meta *meta,
                                    const uint8_t *pkt, size_t len);

/**
 * @brief Read a capture to its end through ikh_replay_frame(), listing
 *        reassembly drops and a PCAP_RECORD with ikh_replay_record_error().
 * @param r      replay
 * @param cap    reader (borrowed; the caller closes it)
 * @param errbuf optional buffer for libpcap's message on PCAP_RECORD
 * @param errbuf_len its size
 * @return IKH_OK when the whole capture was read; PCAP_RECORD when a
 *         damaged record stopped libpcap (what came before is judged);
 *         ENV_NOMEM; ARG_INVALID.
 */
IKH_MUST_USE ikh_err ikh_replay_cap(ikh_replay *r, ikh_cap *cap, char *errbuf,
                                    size_t errbuf_len);

/**
 * @brief End the replay: judge what only the end can tell. Call once,
 *        after the last input and before reading results; later inputs
 *        return STATE. When ::IKH_REPLAY_MAX_ITEMS or ::IKH_REPLAY_MAX_SAS
 *        cut the judgement short, a record error PCAP_REPLAY_LIMIT is
 *        added at the first frame affected.
 * @param r replay
 * @return IKH_OK; STATE when called twice; ARG_INVALID (NULL r).
 */
IKH_MUST_USE ikh_err ikh_replay_finish(ikh_replay *r);

/**
 * @brief Keep only a set of rules in the results of a finished replay:
 *        the others become "not applicable" everywhere, their violations
 *        are dropped and the failure counts recomputed.
 * @param r    replay (finished)
 * @param keep one flag per rule (borrowed)
 * @return IKH_OK; STATE (not finished); ARG_INVALID (NULL argument).
 */
IKH_MUST_USE ikh_err ikh_replay_select(ikh_replay *r,
                                       const bool keep[IKH_RULE__COUNT]);

/**
 * @brief Totals so far.
 * @param r replay (borrowed)
 * @return the totals (owned by r; valid until ikh_replay_free()); all
 *         zero for a NULL r.
 */
const ikh_replay_stats *ikh_replay_get_stats(const ikh_replay *r);

/**
 * @brief The judged items, in capture order.
 * @param r replay (borrowed; NULL gives NULL and 0)
 * @param n receives their count (may be NULL)
 * @return the items (owned by r; valid until the next input or free).
 */
const ikh_replay_item *ikh_replay_items(const ikh_replay *r, size_t *n);

/**
 * @brief The failed results, in the order they were found.
 * @param r replay (borrowed; NULL gives NULL and 0)
 * @param n receives their count (may be NULL)
 * @return the violations (owned by r; valid until the next input or free).
 */
const ikh_replay_violation *ikh_replay_violations(const ikh_replay *r,
                                                  size_t *n);

/**
 * @brief The records listed with a framing error (the first
 *        ::IKH_REPLAY_MAX_RECORD_ERRS; ikh_replay_stats::record_errs
 *        counts all).
 * @param r replay (borrowed; NULL gives NULL and 0)
 * @param n receives their count (may be NULL)
 * @return the list (owned by r).
 */
const ikh_replay_record_err *ikh_replay_record_errs(const ikh_replay *r,
                                                    size_t *n);

/**
 * @brief Count one rule's results of one verdict over all items.
 * @param r replay (borrowed) @param rule a rule @param v a verdict
 * @return the count (0 for a NULL r or an unknown rule).
 */
uint64_t ikh_replay_count(const ikh_replay *r, ikh_rule_id rule, ikh_verdict v);

/**
 * @brief Write the reports of a finished replay into a folder:
 *        conformance.json (per item, per rule), junit.xml (one testcase
 *        per rule, failing with its frames) and events.jsonl (one event
 *        per violation and per record error). The folder must exist.
 * @param r     replay (finished)
 * @param dir   folder (borrowed)
 * @param input the capture's name for the reports (borrowed)
 * @return IKH_OK; IO_OPEN / IO_WRITE; ENV_NOMEM; ARG_INVALID.
 */
IKH_MUST_USE ikh_err ikh_replay_write_reports(const ikh_replay *r,
                                              const char *dir,
                                              const char *input);

/**
 * @brief The rule table as Markdown (docs/conformance.md) or JSON.
 * @param f  output stream (borrowed)
 * @param md true: Markdown; false: a JSON array of rules
 * @return IKH_OK; IO_WRITE; ARG_INVALID (NULL f).
 */
IKH_MUST_USE ikh_err ikh_replay_list_rules(FILE *f, bool md);

#endif /* IKH_REPLAY_H */
