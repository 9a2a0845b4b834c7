/* SPDX-License-Identifier: MIT */
/*
 * Internals of the scenario parser (ikh/scenario.h): the walk context over
 * a libyaml document, the error helper that writes "line L, column C:
 * path: what" into the diag, mapping and sequence helpers, and the value
 * parsers (durations, percentages, addresses, selectors, identities).
 * Nothing here keeps state between calls or writes output.
 */
#ifndef IKH_SCN_INT_H
#define IKH_SCN_INT_H

#include <yaml.h>

#include "ikh/scenario.h"

/** Deepest nesting of collections accepted. */
#define SCN_MAX_DEPTH 16u
/** Most keys one mapping kind may have (a 64-bit seen mask). */
#define SCN_MAX_KEYS 64u

/** The walk over one document. */
typedef struct scn_ctx {
    yaml_document_t *doc; /* borrowed */
    ikh_scn_diag *diag;   /* borrowed, never NULL */
    ikh_scenario *out;    /* borrowed */
    char path[192];       /* where we are: "peers.a.proposals[0]" */
    size_t path_len;      /* its length */
    yaml_node_t *remote[IKH_SCN_MAX_PEERS]; /* remote: value nodes */
} scn_ctx;

/** Record an error at node @p n (NULL: no position) and return @p e. */
ikh_err scn_fail(scn_ctx *c, const yaml_node_t *n, ikh_err e, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

/** Append ".name" (or "name" at the top) to the path; returns the old
 *  length for scn_pop(). */
size_t scn_push_key(scn_ctx *c, const char *name);
/** Append "[i]" to the path; returns the old length. */
size_t scn_push_idx(scn_ctx *c, size_t i);
/** Restore the path to @p len. */
void scn_pop(scn_ctx *c, size_t len);

/** Node of a pair's key or value (NULL when the index is bad). */
yaml_node_t *scn_node(scn_ctx *c, int idx);

/**
 * Check a mapping against @p keys (n_keys <= SCN_MAX_KEYS): every key is a
 * scalar named in @p keys and given once. vals[i] receives the value node
 * of keys[i] (NULL when absent), knodes[i] (may be NULL) its key node.
 * SCN_SCHEMA on a non-mapping, an unknown or repeated key.
 */
ikh_err scn_map(scn_ctx *c, yaml_node_t *n, const char *const *keys,
                size_t n_keys, yaml_node_t **vals, yaml_node_t **knodes);

/** SCN_SCHEMA unless @p n is a sequence; *count its length. */
ikh_err scn_seq(scn_ctx *c, yaml_node_t *n, size_t *count);
/** Item @p i of a sequence already checked with scn_seq(). */
yaml_node_t *scn_seq_at(scn_ctx *c, yaml_node_t *n, size_t i);

/** Scalar text (SCN_SCHEMA unless a scalar; SCN_VALUE on a NUL octet). */
ikh_err scn_scalar(scn_ctx *c, yaml_node_t *n, const char **s, size_t *len);
/** Scalar copied into buf (NUL-terminated); SCN_VALUE when too long or
 *  empty (unless allow_empty). */
ikh_err scn_text(scn_ctx *c, yaml_node_t *n, char *buf, size_t cap,
                 bool allow_empty);
/** A name: 1..31 of [a-z0-9_-]. */
ikh_err scn_name(scn_ctx *c, yaml_node_t *n, char *buf, size_t cap);
/** Unsigned decimal in [lo, hi]. */
ikh_err scn_uint(scn_ctx *c, yaml_node_t *n, uint64_t lo, uint64_t hi,
                 uint64_t *v);
/** true or false. */
ikh_err scn_bool(scn_ctx *c, yaml_node_t *n, bool *v);
/** Duration: 250ms, 4s, 2m, 1h or an integer (ms), at most @p max. */
ikh_err scn_duration(scn_ctx *c, yaml_node_t *n, uint64_t max, uint64_t *ms);
/** Percentage: "10%" or an integer 0..100. */
ikh_err scn_pct(scn_ctx *c, yaml_node_t *n, uint8_t *pct);
/** Comparison and number: 2, "== 2", ">= 1", ... */
ikh_err scn_cmp(scn_ctx *c, yaml_node_t *n, ikh_scn_cmp *cmp, uint64_t *v);
/** An IPv4 or IPv6 address. */
ikh_err scn_addr(scn_ctx *c, yaml_node_t *n, ikh_addr *a);

/* A word and its number. */
typedef struct scn_word {
    const char *name;
    uint8_t num;
} scn_word;

/* One word of a list; SCN_VALUE naming the key when not found. */
ikh_err scn_word_of(scn_ctx *c, yaml_node_t *n, const scn_word *w, size_t nw,
                    uint8_t *num);
/** A list of proposals (1..IKH_IKE_MAX_PROPOSALS). */
ikh_err scn_proposals(scn_ctx *c, yaml_node_t *n, bool child,
                      ikh_proposal_cfg *props, uint8_t *n_props);
/** One proposal string (IKE or child). */
ikh_err scn_proposal(scn_ctx *c, yaml_node_t *n, bool child,
                     ikh_proposal_cfg *p);
/** A list of traffic selectors (1..IKH_IKE_MAX_TS). */
ikh_err scn_ts_list(scn_ctx *c, yaml_node_t *n, ikh_ts_cfg *ts, uint8_t *n_ts);
/** An identity: ipv4:, ipv6:, fqdn:, email:, keyid:. */
ikh_err scn_id(scn_ctx *c, yaml_node_t *n, ikh_id_cfg *id);

/* Text-only parsers (no node), used by the ones above; false: bad text. */
bool scn_parse_addr(const char *s, size_t len, ikh_addr *a);
bool scn_parse_u64(const char *s, size_t len, uint64_t *v);

/** Parse the peers mapping into c->out. */
ikh_err scn_peers(scn_ctx *c, yaml_node_t *n);
/** Resolve every peer's remote (after all peers are known). */
ikh_err scn_peers_resolve(scn_ctx *c);
/** Index of peer @p name, or -1. */
int scn_peer_find(const ikh_scenario *s, const char *name);

/** Parse links, timeline and expect (peers must be parsed). */
ikh_err scn_links(scn_ctx *c, yaml_node_t *n);
/** Parse the timeline and sort it by time. */
ikh_err scn_timeline(scn_ctx *c, yaml_node_t *n);
/** Parse the expectations. */
ikh_err scn_expects(scn_ctx *c, yaml_node_t *n);

#endif /* IKH_SCN_INT_H */
