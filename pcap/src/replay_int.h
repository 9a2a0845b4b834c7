/* SPDX-License-Identifier: MIT */
/*
 * Inside the replay (replay.h): the IKE SA and exchange model replay.c
 * keeps, and the per-message context the rules in replay_rules.c judge.
 */
#ifndef IKH_PCAP_REPLAY_INT_H
#define IKH_PCAP_REPLAY_INT_H

#include "ikh/crypto.h"
#include "ikh/replay.h"

/* Fragment hashes kept per request / response (fragment numbers above it
 * are not compared for retransmissions). */
#define RP_MAX_FRAG_HASH 16u
/* Longest COOKIE kept for the retry check (§2.6: 64 octets at most). */
#define RP_COOKIE_MAX 64u

/* One transform of an offered proposal (for PROP_CHOSEN). */
typedef struct rp_xf {
    uint8_t num, proto, type;
    uint16_t id;
    uint32_t keylen; /* Key Length + 1, 0: none */
} rp_xf;

/* The request or the response of an exchange. */
typedef struct rp_half {
    bool seen;
    uint8_t exch;
    uint16_t total;                      /* Total Fragments; 0 for SK */
    uint16_t n_frag;                     /* entries in frag */
    uint16_t frag_num[RP_MAX_FRAG_HASH]; /* 0 for an SK message */
    uint8_t frag_hash[RP_MAX_FRAG_HASH][IKH_SHA1_LEN];
} rp_half;

/* One exchange (attempt): (SA, Message ID, requesting side). */
typedef struct rp_exch {
    long sa;
    uint32_t mid;
    bool by_init;  /* the original initiator of the SA requested it */
    bool resp_err; /* IKE_SA_INIT answered with COOKIE / INVALID_KE */
    rp_half req, resp;
    ikh_addr req_src;
    bool offered_known;
    rp_xf *offered;
    size_t n_offered;
    size_t ni_len;       /* the request's Nonce length (0: none seen) */
    uint64_t rekey_ispi; /* CREATE_CHILD_SA offering an IKE SA: its SPI */
    bool rekey_ike;
    long next; /* hash chain */
} rp_exch;

/* One IKE SA. */
typedef struct rp_sa {
    uint64_t ispi, rspi;
    bool history;   /* its start is in the capture: Message IDs from 0 */
    bool init_done; /* an IKE_SA_INIT response accepted it */
    bool addr_known;
    ikh_addr init_addr, resp_addr;
    uint16_t init_port;
    uint32_t next_mid[2]; /* [0] requests of the original initiator */
    bool any_req[2];
    bool frag_req, frag_resp; /* IKEV2_FRAGMENTATION_SUPPORTED seen */
    bool auth_req_seen;
    bool cookie_pending;
    uint8_t cookie_len;
    uint8_t cookie[RP_COOKIE_MAX];
    bool ke_pending;
    uint16_t ke_group;
    long next; /* hash chain by ispi */
} rp_sa;

/* One ESP sequence number seen (ESP_SEQ_UNIQUE). */
typedef struct rp_seq {
    uint32_t spi;
    bool used;
    uint64_t seq;
    uint8_t digest[8];
} rp_seq;

/* Last highest sequence number per SPI (ESP_SEQ_ORDER). */
typedef struct rp_spi {
    uint32_t spi;
    bool used;
    bool known; /* set up by an ESP/AH proposal seen decrypted */
    bool seen;  /* a packet was seen */
    uint64_t top;
} rp_spi;

/* Most address/port pairs of marked IKE traffic remembered. */
#define RP_NATT_MAX 256u

/* One pair of endpoints that exchanged IKE with the non-ESP marker. */
typedef struct rp_natt {
    ikh_addr a, b;
    uint16_t pa, pb;
} rp_natt;

struct ikh_replay {
    const ikh_capdec_keys *keys;
    ikh_capdec_dec *dec; /* NULL without keys */
    bool finished;
    bool nomem;           /* an allocation failed: results are incomplete */
    uint64_t cur_frame;   /* frame of the item being judged */
    uint64_t limit_frame; /* first frame a limit cut short (0: none) */
    ikh_replay_stats st;
    ikh_msg *msg; /* the message being judged */
    ikh_replay_item *items;
    size_t n_items, cap_items;
    ikh_replay_violation *viol;
    size_t n_viol, cap_viol;
    ikh_replay_record_err rec[IKH_REPLAY_MAX_RECORD_ERRS];
    size_t n_rec;
    rp_sa *sas;
    size_t n_sas, cap_sas;
    long sa_bucket[4096];
    rp_exch *ex;
    size_t n_ex, cap_ex;
    long *ex_bucket;
    size_t ex_buckets;
    rp_seq *seqs;
    size_t n_seqs, cap_seqs; /* open addressing, cap a power of two */
    rp_spi *spis;
    size_t n_spis, cap_spis; /* open addressing, cap a power of two */
    /* address and port pairs of IKE messages sent with the non-ESP
     * marker (RFC 3948 §2.2), for the ports of ESP in UDP (§2.1) */
    rp_natt natt[RP_NATT_MAX];
    size_t n_natt;
    /* the last INVALID_KE_PAYLOAD answer, for a retry under a new SPI */
    bool ke_hint;
    ikh_addr ke_hint_addr;
    uint16_t ke_hint_port, ke_hint_group;
};

/* What the rules see of one IKE message. */
typedef struct rp_ctx {
    ikh_replay *r;
    size_t item;
    const ikh_replay_meta *meta;
    const ikh_msg *m; /* parsed message (outer, + inner when view) */
    ikh_span raw;
    bool parsed;
    ikh_err perr;
    bool encrypted; /* carries SK/SKF */
    bool view;      /* every payload is visible (clear or decrypted) */
    bool pending;   /* a verified fragment whose message is not whole */
    bool is_resp;
    long sa;
} rp_ctx;

/* Record verdict @p v of @p rule on item @p item; a FAIL also gets a
 * violation with the printf-style detail. */
void rp_set(ikh_replay *r, size_t item, ikh_rule_id rule, ikh_verdict v,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* PASS when ok, else FAIL with the detail. */
#define RP_JUDGE(r, item, rule, ok, ...)                                       \
    rp_set((r), (item), (rule), (ok) ? IKH_VERDICT_PASS : IKH_VERDICT_FAIL,    \
           __VA_ARGS__)

/* The message-level rules (replay_rules.c) on one message: those about
 * the header and the structure of the message as sent, and those about
 * its content (run again on a reassembled SKF message). */
void rp_rules_outer(rp_ctx *c);
void rp_rules_content(rp_ctx *c);

/* The first payload of @p type in @p m (any, outer or inner), or NULL. */
const ikh_pl *rp_find(const ikh_msg *m, uint8_t type);

/* The first Notify of @p type in @p m, or NULL. */
const ikh_pl *rp_notify(const ikh_msg *m, uint16_t type);

/* true when @p m holds a Notify of an error type (< 16384) or COOKIE. */
bool rp_error_answer(const ikh_msg *m);

/* exchange types whose messages must be protected (§1.2) */
bool rp_protected_exch(uint8_t exch);

#endif
