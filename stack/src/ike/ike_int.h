/* SPDX-License-Identifier: MIT */
/*
 * Internal types of the IKEv2 state machine (stack/src/ike): the node, the
 * IKE SA with its exchange state, Child SAs and tasks
 * (../shared/STYLE.md §9). Not installed; only stack/src/ike and the
 * stack's tests include it.
 *
 * Ownership: a node owns its IKE SAs (allocated one by one through the
 * environment's allocator); an IKE SA owns its Child SAs, its tasks and its
 * message buffers. Objects refer to each other by serial numbers (refs) or
 * by the owning pointer, never by pointers into another SA.
 */
#ifndef IKH_IKE_INT_H
#define IKH_IKE_INT_H

#include "ikh/esp.h"
#include "ikh/ike.h"
#include "ikh/kdf.h"
#include "ikh/log.h"
#include "ikh/metrics.h"
#include "ikh/wire.h"

/** Largest IKE message we build, cache or reassemble. */
#define IKH_IKE_MSG_MAX 16384u
/** Most tasks queued on one IKE SA (limits.h spirit: bounded, with an
 *  error when full). */
#define IKH_IKE_MAX_QUEUED 16u
/** Longest COOKIE notification data we echo (§2.6: 1 to 64 octets). */
#define IKH_IKE_COOKIE_MAX 64u
/** Nonce length we send (§2.10: at least half the PRF key size, >= 16). */
#define IKH_IKE_NONCE_LEN 32u
/** Most times an initiator restarts IKE_SA_INIT (INVALID_KE, COOKIE). */
#define IKH_IKE_INIT_RETRIES 4u
/** Most SKF fragments of one message (RFC 7383 §2.5.3 bound we choose). */
#define IKH_IKE_MAX_FRAGS 32u
/** Largest AUTH data we produce (signatures with AlgorithmIdentifier). */
#define IKH_SIG_MAX_AUTH 1200u

/** A negotiated suite. */
typedef struct ikh_suite {
    const ikh_xform_desc *encr;  /**< ENCR */
    const ikh_xform_desc *prf;   /**< PRF (IKE only) */
    const ikh_xform_desc *integ; /**< INTEG; NULL for AEAD */
    const ikh_xform_desc *ke;    /**< KE; NULL for none (child without PFS) */
    bool esn;                    /**< ESN (child only) */
} ikh_suite;

/** One negotiated traffic selector set. */
typedef struct ikh_ts_set {
    uint8_t n;                     /**< selectors */
    ikh_ts_cfg ts[IKH_IKE_MAX_TS]; /**< ... */
} ikh_ts_set;

/** A Child SA. */
typedef struct ikh_child_sa {
    uint32_t ref;            /**< node serial */
    ikh_child_state state;   /**< state */
    uint8_t cfg;             /**< child config index */
    uint32_t spi_in;         /**< our inbound SPI */
    uint32_t spi_out;        /**< the peer's inbound SPI */
    ikh_suite suite;         /**< negotiated */
    bool initiator;          /**< we initiated the exchange that made it */
    bool transport;          /**< transport mode */
    uint32_t rekeyed_from;   /**< ref it replaced */
    ikh_ts_set ts_i, ts_r;   /**< negotiated selectors */
    ikh_kdf_child_keys keys; /**< KEYMAT (§2.17) */
    ikh_time_ms created;     /**< install time */
    ikh_time_ms rekey_at;    /**< automatic rekey; IKH_TIME_NEVER */
    ikh_time_ms expire_at;   /**< hard lifetime; IKH_TIME_NEVER */
    bool counted;            /**< counted in ikh_ike_child_sas_active */
    uint32_t rekeyed_to;     /**< ref of its replacement; 0: none */
    uint8_t rekey_nonce[IKH_KDF_NONCE_MAX]; /**< lowest nonce of the rekey
                                                 exchange that replaced it
                                                 (collisions, §2.8.1) */
    size_t rekey_nonce_len;                 /**< 0: not rekeyed */
    uint32_t peer_new;  /**< ref of the peer's replacement made while
                             our own rekey of it was out (§2.8.1) */
    ikh_esp_sa esp_in;  /**< inbound ESP SA (SPI spi_in) */
    ikh_esp_sa esp_out; /**< outbound ESP SA (SPI spi_out) */
    bool esp_ready;     /**< both ESP SAs keyed */
    bool out_hold;      /**< rekey responder: do not send on it yet
                             (the initiator may not have it); the old
                             SA carries outbound traffic until it is
                             deleted or this one receives a packet */
} ikh_child_sa;

typedef struct ikh_node ikh_node;
typedef struct ikh_ike_sa ikh_ike_sa;
typedef struct ikh_task ikh_task;

/** Task operations (STYLE §9). The initiator calls build (request) then
 *  process (response); the responder process (request) then build
 *  (response). */
typedef struct ikh_task_ops {
    const char *name; /**< "child_rekey" in logs */
    uint8_t exch;     /**< exchange type it runs */
    /** Build our message into @p m (payloads with in_sk for SK). */
    ikh_err (*build)(ikh_task *t, ikh_msg *m, ikh_time_ms now);
    /** Process the peer's message (already decrypted and verified). */
    ikh_err (*process)(ikh_task *t, const ikh_msg *m, ikh_time_ms now);
    /** Release what the task holds (keys wiped). May be NULL. */
    void (*fini)(ikh_task *t);
} ikh_task_ops;

/** Task kinds, for queueing and collision checks. */
typedef enum ikh_task_kind {
    IKH_TK_IKE_INIT = 1,
    IKH_TK_IKE_AUTH,
    IKH_TK_CHILD_CREATE,
    IKH_TK_CHILD_REKEY,
    IKH_TK_IKE_REKEY,
    IKH_TK_DELETE_CHILD,
    IKH_TK_DELETE_IKE,
    IKH_TK_LIVENESS,
} ikh_task_kind;

/** Exchange-specific state of a key exchange with nonces (IKE_SA_INIT,
 *  CREATE_CHILD_SA). */
typedef struct ikh_ke_state {
    const ikh_xform_desc *ke;          /**< group in use; NULL: none */
    ikh_crypto_ctx ctx;                /**< private value */
    bool have_priv;                    /**< ctx holds a private value */
    uint8_t pub[IKH_KE_PUB_MAX];       /**< our public value */
    ikh_secret shared;                 /**< g^ir once derived */
    uint8_t n_own[IKH_KDF_NONCE_MAX];  /**< our nonce */
    size_t n_own_len;                  /**< ... */
    uint8_t n_peer[IKH_KDF_NONCE_MAX]; /**< peer nonce */
    size_t n_peer_len;                 /**< ... */
} ikh_ke_state;

/** A task: one exchange, one role. Allocated through env->mem. */
struct ikh_task {
    const ikh_task_ops *ops; /**< operations */
    ikh_task_kind kind;      /**< kind */
    ikh_ike_sa *sa;          /**< the IKE SA it runs on */
    bool initiator;          /**< we sent the request */
    bool again;              /**< initiator: send the request again (new
                                  content, same rules; IKE_SA_INIT retry) */
    bool failed_child;       /**< IKE_AUTH: the Child SA failed, IKE SA up */
    uint32_t arg;            /**< child ref or config index */
    uint32_t child_cfg;      /**< child config index */
    ikh_ke_state ke;         /**< key exchange and nonces */
    ikh_child_sa *child;     /**< Child SA being made (owned until moved) */
    ikh_ike_sa *new_sa;      /**< IKE rekey: the new SA (owned until moved) */
    uint16_t notify_err;     /**< notify to answer with (responder);
                                  0: the one of err */
    uint8_t notify_data[IKH_IKE_COOKIE_MAX]; /**< its data */
    size_t notify_data_len;                  /**< ... */
    ikh_err err;        /**< responder: the error behind notify_err */
    uint8_t retries;    /**< IKE_SA_INIT restarts */
    uint16_t del_proto; /**< delete: protocol */
    uint32_t del_spis[IKH_IKE_MAX_CHILDREN]; /**< delete: SPIs (inbound) */
    uint8_t n_del;                           /**< ... */
    uint8_t spi_buf[8]; /**< our SPI as sent in the SA payload */
    uint8_t id_body[4 + IKH_IKE_ID_MAX]; /**< our ID payload body */
    uint8_t auth[IKH_SIG_MAX_AUTH];      /**< our AUTH data */
    size_t auth_len;                     /**< ... */
    uint8_t nat_src[IKH_SHA1_LEN], nat_dst[IKH_SHA1_LEN]; /**< NAT-D data */
    uint8_t hash_algs[8];  /**< SIGNATURE_HASH_ALGORITHMS data */
    uint8_t cp_buf[64];    /**< CP attribute values */
    uint8_t ke_group[2];   /**< INVALID_KE data */
    ikh_ts_set ts_i, ts_r; /**< narrowed selectors (responder) */
    uint8_t resp_spis[4 * IKH_IKE_MAX_CHILDREN]; /**< delete response */
    bool ike_delete; /**< delete: the IKE SA is deleted */
};

/** The exchange state of an IKE SA (exchange.c, §2.1-§2.3). */
typedef struct ikh_exch {
    uint32_t mid_out; /**< Message ID of our next request */
    uint32_t mid_in;  /**< Message ID of the next request we
                           accept */
    ikh_task *active; /**< our outstanding request's task */
    uint8_t *req;     /**< its bytes (fragments concatenated) */
    size_t req_len;   /**< total */
    uint16_t req_frag_len[IKH_IKE_MAX_FRAGS]; /**< fragment lengths; one
                                                   entry when unfragmented */
    uint8_t req_nfrag;                        /**< fragments (1: none) */
    uint8_t req_exch;                         /**< exchange of the request */
    uint32_t req_mid;                         /**< Message ID of the request */
    uint8_t tries;          /**< sends so far (1 after the first) */
    ikh_time_ms rtx_at;     /**< retransmit deadline; NEVER */
    ikh_time_ms first_sent; /**< first send time of the request */
    uint8_t *resp;          /**< cached response bytes (fragments) */
    size_t resp_len;        /**< total */
    uint16_t resp_frag_len[IKH_IKE_MAX_FRAGS]; /**< fragment lengths */
    uint8_t resp_nfrag;                  /**< fragments; 0: nothing cached */
    uint32_t resp_mid;                   /**< its Message ID */
    uint8_t resp_exch;                   /**< its exchange type */
    uint8_t req_hash[IKH_SHA1_LEN];      /**< SHA-1 of the request it answers
                                              (its first fragment when
                                              fragmented): only an identical
                                              request gets it again */
    uint8_t frag1_hash[IKH_SHA1_LEN];    /**< SHA-1 of the first fragment of
                                              the message being reassembled */
    ikh_task *queue[IKH_IKE_MAX_QUEUED]; /**< tasks waiting to start */
    uint8_t n_queue;                     /**< ... */
    /* incoming fragments (RFC 7383 §2.6) */
    uint8_t *frag_buf; /**< decrypted chunks, in arrival order */
    size_t frag_used;  /**< octets of frag_buf in use */
    uint16_t frag_off[IKH_IKE_MAX_FRAGS + 1]; /**< chunk offset by number */
    uint16_t frag_len[IKH_IKE_MAX_FRAGS + 1]; /**< chunk length by number */
    bool frag_got[IKH_IKE_MAX_FRAGS + 1];     /**< chunk held */
    uint16_t frag_total; /**< Total Fragments; 0: none pending */
    uint32_t frag_mid;   /**< Message ID being reassembled */
    bool frag_resp;      /**< it is a response */
    uint8_t frag_first;  /**< first inner payload type */
    uint8_t frag_have;   /**< fragments held */
} ikh_exch;

/** An IKE SA. */
struct ikh_ike_sa {
    ikh_node *node;             /**< owner */
    uint32_t ref;               /**< node serial */
    ikh_ike_state state;        /**< state */
    bool initiator;             /**< original initiator (§2.2) */
    uint64_t ispi, rspi;        /**< SPIs */
    ikh_addr peer;              /**< peer address */
    uint16_t peer_port;         /**< peer port in use */
    uint16_t local_port;        /**< our port in use */
    bool natt;                  /**< on the NAT-T ports (marker) */
    bool nat_local, nat_remote; /**< NAT detected (§2.23) */
    bool peer_frag;             /**< peer sent IKEV2_FRAGMENTATION_SUPPORTED */
    uint8_t peer_window;        /**< SET_WINDOW_SIZE of the peer */
    bool peer_sha_algs;         /**< peer sent SIGNATURE_HASH_ALGORITHMS */
    uint16_t peer_hash_mask;    /**< bit h: hash algorithm h supported */
    ikh_suite suite;            /**< negotiated */
    ikh_kdf_ike_keys keys;      /**< SK_* */
    bool have_keys;             /**< keys derived */
    uint8_t ni[IKH_KDF_NONCE_MAX], nr[IKH_KDF_NONCE_MAX]; /**< nonces */
    size_t ni_len, nr_len;                                /**< ... */
    uint8_t *init_req;    /**< IKE_SA_INIT request bytes (AUTH, §2.15) */
    size_t init_req_len;  /**< ... */
    uint8_t *init_resp;   /**< IKE_SA_INIT response bytes */
    size_t init_resp_len; /**< ... */
    uint8_t cookie[IKH_IKE_COOKIE_MAX];        /**< initiator: COOKIE to echo */
    size_t cookie_len;                         /**< 0: none */
    ikh_exch x;                                /**< exchange state */
    ikh_child_sa *child[IKH_IKE_MAX_CHILDREN]; /**< Child SAs; set only
                                                    through ikh_sa_child_put */
    uint8_t child_top;         /**< child[child_top..] are all NULL: walks stop
                                    there (ikh_sa_child_put keeps it) */
    uint32_t rekeyed_from;     /**< ref of the SA it replaced */
    uint32_t rekeyed_to;       /**< ref of its replacement */
    ikh_time_ms started;       /**< setup start */
    ikh_time_ms last_rx;       /**< last authenticated message */
    ikh_time_ms rekey_at;      /**< next IKE rekey; NEVER */
    ikh_time_ms reauth_at;     /**< reauthentication; NEVER */
    ikh_time_ms expire_at;     /**< hard lifetime / half-open expiry; NEVER */
    ikh_time_ms delete_at;     /**< REKEYED: delete if the peer does not */
    ikh_err last_err;          /**< first fatal error */
    ikh_addr vip4, vip6;       /**< assigned virtual addresses */
    bool counted_active;       /**< counted in ikh_ike_sas_active */
    bool peer_initial_contact; /**< INITIAL_CONTACT received */
    uint16_t pool_slot4, pool_slot6; /**< responder: pool slots + 1 */
    bool liveness_pending;           /**< a liveness task is out */
    ikh_time_ms keepalive_at;   /**< next NAT keepalive (RFC 3948); NEVER */
    ikh_time_ms invalid_spi_at; /**< earliest next INVALID_SPI notify */
    uint8_t tries_left;         /**< initiator: setups left after this one */
    uint32_t reauth_of;         /**< the IKE SA this one reauthenticates */
    uint8_t child_cfg;          /**< initiator: child config of the setup */
    bool lingering;             /**< deleted by the peer; kept until delete_at
                                     only to answer retransmissions of the
                                     Delete from the cached response (§2.1);
                                     invisible in the node's views */
    uint32_t collide_ref;       /**< REKEYING: the new SA the peer made by
                                     rekeying this one at the same time */
    uint8_t collide_nonce[IKH_KDF_NONCE_MAX]; /**< lowest nonce of the
                                                   peer's rekey exchange */
    size_t collide_nonce_len;                 /**< ... */
};

/** The node. */
struct ikh_node {
    ikh_ike_config cfg;              /**< copy */
    ikh_env env;                     /**< copy */
    ikh_log log;                     /**< logger on env->log */
    ikh_ike_sa *sa[IKH_IKE_MAX_SAS]; /**< SAs, by slot; set only through
                                          ikh_node_sa_put */
    uint8_t sa_top;            /**< sa[sa_top..] are all NULL: walks stop there
                                    (ikh_node_sa_put keeps it) */
    uint32_t next_ref;         /**< next IKE SA serial */
    uint32_t next_child_ref;   /**< next Child SA serial */
    ikh_time_ms now;           /**< last time seen */
    ikh_ike_counters counters; /**< counters */
    uint8_t cookie_secret[32]; /**< responder cookie secret */
    uint8_t pool4_used[256];   /**< bitmap of pool slots (v4) */
    uint8_t pool6_used[256];   /**< bitmap of pool slots (v6) */
    struct {
        uint8_t child_cfg, tries_left;
    } reinit[IKH_IKE_MAX_SAS]; /**< setups to start again */
    uint8_t n_reinit;          /**< ... */
    const ikh_dgram *rx;       /**< datagram being processed */
    bool frag_pending;         /**< decode: fragment kept, message
                                    not complete yet */
    uint16_t frag_rx;          /**< decode: fragments the message came
                                    in (RFC 7383), 0 when unfragmented */
    /* scratch from here on: written before it is read, so ikh_node_new()
     * does not zero it (a quarter megabyte per node) */
    ikh_msg msg;                    /**< scratch: parsed input */
    ikh_msg out;                    /**< scratch: message being built */
    uint8_t buf[IKH_IKE_MSG_MAX];   /**< scratch: serialization */
    uint8_t plain[IKH_IKE_MSG_MAX]; /**< scratch: decrypted SK data */
    uint8_t chain[IKH_IKE_MSG_MAX]; /**< scratch: inner chain to split
                                         into fragments, or reassembled */
    ikh_msg fmsg;                   /**< scratch: one fragment */
    uint8_t esp_tx[IKH_ESP_HEADROOM + 65535u + IKH_ESP_TAILROOM]; /**< ESP
                                             encapsulation buffer */
    uint8_t esp_rx[65535u]; /**< ESP decapsulation buffer */
};

/* ---- big-endian SPIs and numbers in our own buffers --------------------- */
static inline void ikh_be32_put(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
static inline uint32_t ikh_be32_get(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}
static inline void ikh_be64_put(uint8_t *p, uint64_t v)
{
    ikh_be32_put(p, (uint32_t)(v >> 32));
    ikh_be32_put(p + 4, (uint32_t)v);
}
static inline uint64_t ikh_be64_get(const uint8_t *p)
{
    return (uint64_t)ikh_be32_get(p) << 32 | ikh_be32_get(p + 4);
}

/* ---- SA tables ---------------------------------------------------------
 * The node's IKE SA slots and an IKE SA's Child SA slots are fixed arrays
 * (IKH_IKE_MAX_SAS, IKH_IKE_MAX_CHILDREN) in which few slots are used; a
 * top mark keeps every walk to the slots that can be in use instead of the
 * whole array (walks ran on every datagram and timer). The slots are
 * written only through these two functions. */

/* Put @p sa (or NULL) into node slot @p i and keep n->sa_top. */
static inline void ikh_node_sa_put(ikh_node *n, size_t i, ikh_ike_sa *sa)
{
    n->sa[i] = sa;
    if (sa != NULL && i >= n->sa_top)
        n->sa_top = (uint8_t)(i + 1);
    while (n->sa_top > 0 && n->sa[n->sa_top - 1] == NULL)
        n->sa_top--;
}

/* Put @p c (or NULL) into Child slot @p i of @p sa and keep sa->child_top. */
static inline void ikh_sa_child_put(ikh_ike_sa *sa, size_t i, ikh_child_sa *c)
{
    sa->child[i] = c;
    if (c != NULL && i >= sa->child_top)
        sa->child_top = (uint8_t)(i + 1);
    while (sa->child_top > 0 && sa->child[sa->child_top - 1] == NULL)
        sa->child_top--;
}

/* ---- node.c ------------------------------------------------------------ */
ikh_err ikh_node_rand(ikh_node *n, uint8_t *out, size_t len);
ikh_rand ikh_node_rand_src(ikh_node *n);
ikh_err ikh_node_sa_new(ikh_node *n, bool initiator, ikh_ike_sa **out);
void ikh_node_sa_release(ikh_node *n, ikh_ike_sa *sa);
ikh_ike_sa *ikh_node_sa_by_ref(const ikh_node *n, uint32_t ref);
size_t ikh_node_half_open(const ikh_node *n);
const ikh_xform_desc *const *ikh_node_xforms(const ikh_node *n);

/* ---- sa.c -------------------------------------------------------------- */
void ikh_sa_set_state(ikh_ike_sa *sa, ikh_ike_state to, ikh_time_ms now);
void ikh_sa_log_natt(ikh_ike_sa *sa, ikh_time_ms now);
ikh_time_ms ikh_sa_retry_at(ikh_ike_sa *sa, ikh_time_ms now);
void ikh_sa_fail(ikh_ike_sa *sa, ikh_err e, ikh_time_ms now);
void ikh_sa_established(ikh_ike_sa *sa, ikh_time_ms now);
void ikh_sa_arm_timers(ikh_ike_sa *sa, ikh_time_ms now);
ikh_err ikh_sa_derive_keys(ikh_ike_sa *sa, const ikh_secret *skeyseed);
void ikh_sa_free_contents(ikh_node *n, ikh_ike_sa *sa);
ikh_err ikh_sa_save_msg(ikh_node *n, uint8_t **dst, size_t *dst_len,
                        const uint8_t *p, size_t len);
ikh_log_ev *ikh_sa_log(ikh_ike_sa *sa, ikh_level lvl, ikh_event ev,
                       uint32_t mid, uint8_t exch, ikh_time_ms now);
ikh_err ikh_child_new(ikh_ike_sa *sa, uint8_t cfg, ikh_child_sa **out);
void ikh_child_free(ikh_node *n, ikh_child_sa *c);
ikh_err ikh_child_attach(ikh_ike_sa *sa, ikh_child_sa *c);
void ikh_child_set_state(ikh_ike_sa *sa, ikh_child_sa *c, ikh_child_state to,
                         ikh_time_ms now);
void ikh_child_install(ikh_ike_sa *sa, ikh_child_sa *c, ikh_time_ms now);
void ikh_child_remove(ikh_ike_sa *sa, ikh_child_sa *c, const char *by,
                      ikh_time_ms now);
ikh_child_sa *ikh_child_by_spi_in(ikh_ike_sa *sa, uint32_t spi);
ikh_child_sa *ikh_child_by_spi_out(ikh_ike_sa *sa, uint32_t spi);
ikh_child_sa *ikh_child_by_ref(ikh_ike_sa *sa, uint32_t ref);
ikh_err ikh_child_derive(ikh_ike_sa *sa, ikh_child_sa *c,
                         const ikh_ke_state *ke, bool we_init, ikh_time_ms now);
size_t ikh_sa_suite_name(const ikh_suite *s, bool child, char *buf, size_t cap);

/* ---- dataplane.c ------------------------------------------------------- */
void ikh_child_esp_install(ikh_ike_sa *sa, ikh_child_sa *c, ikh_time_ms now);
ikh_err ikh_node_recv_esp(ikh_node *n, const ikh_dgram *dg, ikh_time_ms now);
ikh_err ikh_sa_keepalive(ikh_ike_sa *sa, ikh_time_ms now);

/* ---- exchange.c -------------------------------------------------------- */
ikh_err ikh_exch_queue(ikh_ike_sa *sa, ikh_task *t, ikh_time_ms now);
ikh_err ikh_exch_kick(ikh_ike_sa *sa, ikh_time_ms now);
ikh_err ikh_exch_recv(ikh_ike_sa *sa, const ikh_dgram *dg, const ikh_ike_hdr *h,
                      ikh_time_ms now);
ikh_err ikh_exch_expire(ikh_ike_sa *sa, ikh_time_ms now);
ikh_err ikh_exch_send_bytes(ikh_ike_sa *sa, const uint8_t *p, size_t len,
                            ikh_time_ms now);
void ikh_exch_fini(ikh_node *n, ikh_exch *x);
bool ikh_exch_busy_with(const ikh_ike_sa *sa, ikh_task_kind kind);
ikh_err ikh_exch_seal(ikh_ike_sa *sa, ikh_msg *m, uint8_t *out, size_t cap,
                      size_t *out_len);
/* Open the SK (or one SKF) payload @p sk, parsed from @p buf: verify the
 * ICV, decrypt into @p plain and report the inner chain length (sk.c). */
ikh_err ikh_sk_open(ikh_ike_sa *sa, const ikh_pl *sk, const uint8_t *buf,
                    size_t len, bool from_initiator, uint8_t *plain,
                    size_t plain_cap, size_t *inner_len);
ikh_err ikh_exch_seal_frags(ikh_ike_sa *sa, ikh_msg *m, size_t chunk_max,
                            uint8_t *out, size_t cap, uint16_t *frag_len,
                            uint8_t *n_frag);
ikh_err ikh_exch_encode(ikh_ike_sa *sa, ikh_msg *m, bool response, uint32_t mid,
                        uint8_t *out, size_t cap, size_t *out_len);
void ikh_exch_log_msg(ikh_ike_sa *sa, const ikh_msg *m, size_t len, bool tx,
                      unsigned retransmit, unsigned frags, ikh_time_ms now);
void ikh_node_answer_unknown_spi(ikh_node *n, const ikh_dgram *dg,
                                 const ikh_ike_hdr *h, ikh_time_ms now);
void ikh_node_log_drop(ikh_node *n, const ikh_ike_hdr *h, ikh_err e, size_t len,
                       ikh_time_ms now);

/* ---- task.c ------------------------------------------------------------ */
ikh_err ikh_task_new(ikh_ike_sa *sa, ikh_task_kind kind, bool initiator,
                     ikh_task **out);
void ikh_task_free(ikh_node *n, ikh_task *t);
ikh_err ikh_task_for_request(ikh_ike_sa *sa, const ikh_msg *m, ikh_task **out);
ikh_err ikh_ke_start(ikh_node *n, ikh_ke_state *ks, const ikh_xform_desc *ke);
ikh_err ikh_ke_nonce(ikh_node *n, ikh_ke_state *ks);
void ikh_ke_fini(ikh_ke_state *ks);
/* Lowest nonce of an exchange copied to @p out; its length. */
size_t ikh_ke_min_nonce(const ikh_ke_state *k, uint8_t *out);
/* Nonce a sorts before nonce b (§2.8.1 "lowest nonce"). */
bool ikh_nonce_lower(const uint8_t *a, size_t la, const uint8_t *b, size_t lb);
/* Log ike.rekey.collision. */
void ikh_log_collision(ikh_ike_sa *sa, const char *kind, const char *winner,
                       ikh_time_ms now);

/* ---- message helpers (msg_util.c) ------------------------------------- */
const ikh_pl *ikh_msg_find(const ikh_msg *m, uint8_t type, size_t from);
const ikh_pl *ikh_msg_notify(const ikh_msg *m, uint16_t type);
const ikh_pl *ikh_msg_error_notify(const ikh_msg *m);
ikh_pl *ikh_msg_add_notify(ikh_msg *m, bool in_sk, uint8_t proto, uint16_t type,
                           ikh_span spi, ikh_span data);
ikh_pl *ikh_msg_add_raw(ikh_msg *m, uint8_t type, bool in_sk, ikh_span data);
ikh_pl *ikh_msg_add_ke(ikh_msg *m, bool in_sk, uint16_t group, ikh_span data);
void ikh_msg_reset(ikh_msg *m, uint8_t exch);

/* ---- proposal.c -------------------------------------------------------- */
ikh_err ikh_prop_build(ikh_node *n, ikh_msg *m, ikh_pl *sa_pl, uint8_t proto,
                       const ikh_proposal_cfg *props, size_t n_props,
                       ikh_span spi, bool strip_ke);
ikh_err ikh_prop_select(ikh_node *n, const ikh_msg *m, const ikh_pl *sa_pl,
                        uint8_t proto, const ikh_proposal_cfg *props,
                        size_t n_props, bool ignore_ke, uint16_t ke_hint,
                        ikh_suite *out, uint8_t *prop_num, ikh_span *peer_spi);
ikh_err ikh_prop_answer(ikh_msg *m, ikh_pl *sa_pl, uint8_t proto,
                        uint8_t prop_num, const ikh_suite *s, ikh_span spi);
ikh_err ikh_prop_check(ikh_node *n, const ikh_msg *m, const ikh_pl *sa_pl,
                       uint8_t proto, const ikh_proposal_cfg *props,
                       size_t n_props, bool ignore_ke, ikh_suite *out,
                       ikh_span *peer_spi);
const ikh_xform_desc *
ikh_prop_first_ke(ikh_node *n, const ikh_proposal_cfg *props, size_t n_props);
bool ikh_prop_allows_ke(const ikh_proposal_cfg *props, size_t n_props,
                        uint16_t group);
ikh_err ikh_ts_build(ikh_msg *m, ikh_pl *pl, const ikh_ts_cfg *ts, size_t n);
ikh_err ikh_ts_read(const ikh_msg *m, const ikh_pl *pl, ikh_ts_set *out);
ikh_err ikh_ts_narrow(const ikh_ts_set *offer, const ikh_ts_cfg *mine,
                      size_t n_mine, ikh_ts_set *out);
bool ikh_ts_subset(const ikh_ts_set *got, const ikh_ts_set *offered);

/* ---- tasks (task_*.c) -------------------------------------------------- */
extern const ikh_task_ops ikh_task_ike_init_ops;
extern const ikh_task_ops ikh_task_ike_auth_ops;
extern const ikh_task_ops ikh_task_child_create_ops;
extern const ikh_task_ops ikh_task_child_rekey_ops;
extern const ikh_task_ops ikh_task_ike_rekey_ops;
extern const ikh_task_ops ikh_task_delete_ops;
extern const ikh_task_ops ikh_task_liveness_ops;

/* child payloads shared by IKE_AUTH and CREATE_CHILD_SA
 * (task_child_create.c) */
ikh_err ikh_child_req_build(ikh_task *t, ikh_msg *m, bool in_auth);
ikh_err ikh_child_req_process(ikh_task *t, const ikh_msg *m, bool in_auth,
                              ikh_time_ms now);
ikh_err ikh_child_resp_build(ikh_task *t, ikh_msg *m, bool in_auth);
ikh_err ikh_child_resp_process(ikh_task *t, const ikh_msg *m, bool in_auth,
                               ikh_time_ms now);

#endif /* IKH_IKE_INT_H */
