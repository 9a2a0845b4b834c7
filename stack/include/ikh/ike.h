/* SPDX-License-Identifier: MIT */
/**
 * @file ike.h
 * @brief The IKEv2 node: configuration, the sans-I/O entry points and the
 *        actions a scenario or a live peer drives (RFC 7296).
 *
 * A node is one IKEv2 endpoint with any number of IKE SAs (up to
 * IKH_IKE_MAX_SAS), each with its Child SAs. It never reads a clock, opens
 * a socket or draws OS randomness: time comes in on every call, datagrams
 * go out through the environment's send hook, and random octets come from
 * its rand hook (../shared/STYLE.md §4). The node is single-threaded and
 * hooks never re-enter it.
 *
 * IKE SAs and Child SAs are named by a node-local serial number (1, 2, ...
 * in creation order; never reused inside a node), so that scenarios and
 * logs can refer to them deterministically.
 */
#ifndef IKH_IKE_H
#define IKH_IKE_H

#include "ikh/common.h"
#include "ikh/crypto.h"
#include "ikh/env.h"
#include "ikh/keyfile.h"

/** Most transforms in one configured proposal. */
#define IKH_IKE_MAX_XF 24u
/** Most proposals configured for the IKE SA or for one Child SA. */
#define IKH_IKE_MAX_PROPOSALS 8u
/** Most traffic selectors configured on one side of a Child SA. */
#define IKH_IKE_MAX_TS 8u
/** Most Child SA configurations of a node. */
#define IKH_IKE_MAX_CHILD_CFG 8u
/** Longest identification data (the ID payload body after its 4 octets). */
#define IKH_IKE_ID_MAX 255u
/** Longest pre-shared key. */
#define IKH_IKE_PSK_MAX 256u
/** Longest configuration name (with its NUL). */
#define IKH_IKE_NAME_MAX 32u
/** Most IKE SAs (established, half-open and rekeyed) one node keeps. */
#define IKH_IKE_MAX_SAS 64u
/** Most Child SAs one IKE SA carries. */
#define IKH_IKE_MAX_CHILDREN 16u
/** Most DNS servers handed out by a responder pool. */
#define IKH_IKE_MAX_DNS 4u

/** One transform of a configured proposal. */
typedef struct ikh_xf_ref {
    uint8_t type;      /**< ::ikh_xform_type (ENCR, PRF, INTEG, KE, ESN) */
    uint16_t id;       /**< IANA Transform ID */
    uint16_t key_bits; /**< Key Length attribute; 0 for none */
} ikh_xf_ref;

/** A configured proposal: transforms in preference order per type. */
typedef struct ikh_proposal_cfg {
    uint8_t n;                     /**< transforms in use */
    ikh_xf_ref xf[IKH_IKE_MAX_XF]; /**< transforms */
} ikh_proposal_cfg;

/**
 * @brief NAT detection data (RFC 7296 §2.23): SHA-1(SPIi | SPIr | IP
 *        address | port), SPIs and port in network order. The state
 *        machine builds and checks NAT_DETECTION_*_IP with it; the replay
 *        judges captured ones with it.
 * @param ispi initiator SPI
 * @param rspi responder SPI (0 in the first IKE_SA_INIT request)
 * @param a    address (borrowed): 4 octets of IPv4 or 16 of IPv6
 * @param port UDP port
 * @param out  receives 20 octets
 */
void ikh_natd_hash(uint64_t ispi, uint64_t rspi, const ikh_addr *a,
                   uint16_t port, uint8_t out[IKH_SHA1_LEN]);

/**
 * @brief Parse a proposal in strongSwan's syntax ("aes256gcm16-prfsha256-
 *        x25519", "aes128-sha256-modp2048", "chacha20poly1305-esn").
 * @param s     NUL-terminated text (borrowed)
 * @param child true for an ESP proposal (integrity algorithm names are
 *              INTEG only, "esn"/"noesn" allowed, KE optional = PFS),
 *              false for an IKE proposal (an integrity name also gives the
 *              matching PRF unless a prf* keyword is present)
 * @param out   receives the proposal
 * @param bad   receives the offset of the first unknown keyword on
 *              ARG_INVALID (may be NULL)
 * @return IKH_OK; ARG_INVALID (unknown keyword, empty, no encryption
 *         algorithm, AEAD mixed with an integrity algorithm, IKE proposal
 *         without a KE group, too many transforms).
 */
IKH_MUST_USE ikh_err ikh_proposal_parse(const char *s, bool child,
                                        ikh_proposal_cfg *out, size_t *bad);

/**
 * @brief Format a proposal back in strongSwan's syntax.
 * @param p proposal (borrowed) @param child as for ikh_proposal_parse()
 * @param buf caller memory @param cap its size (at least 1)
 * @return IKH_OK or WIRE_NOBUF (buf holds a truncated, NUL-terminated text).
 */
IKH_MUST_USE ikh_err ikh_proposal_format(const ikh_proposal_cfg *p, bool child,
                                         char *buf, size_t cap);

/** Identification (RFC 7296 §3.5). */
typedef struct ikh_id_cfg {
    uint8_t type;                 /**< ::ikh_id_type; 0: none (any) */
    uint16_t len;                 /**< data octets */
    uint8_t data[IKH_IKE_ID_MAX]; /**< identification data */
} ikh_id_cfg;

/** A traffic selector (RFC 7296 §3.13.1), addresses in network order. */
typedef struct ikh_ts_cfg {
    uint8_t type;     /**< IKH_TS_IPV4_ADDR_RANGE or IKH_TS_IPV6_ADDR_RANGE */
    uint8_t ip_proto; /**< 0: any */
    uint16_t start_port; /**< first port (0 with end_port 65535: any) */
    uint16_t end_port;   /**< last port, inclusive */
    uint8_t start[16];   /**< first address (4 octets used for IPv4) */
    uint8_t end[16];     /**< last address */
} ikh_ts_cfg;

/** How one side authenticates (RFC 7296 §2.15, RFC 7427). */
typedef struct ikh_auth_cfg {
    uint8_t method;   /**< ::ikh_auth_method: SHARED_KEY_MIC, RSA_SIG,
                           ECDSA_*, DIGITAL_SIGNATURE */
    uint8_t scheme;   /**< ::ikh_sig_scheme for DIGITAL_SIGNATURE */
    uint16_t psk_len; /**< PSK octets */
    uint8_t psk[IKH_IKE_PSK_MAX]; /**< the PSK (both sides use the same) */
    const ikh_key *key;           /**< own private key, or the peer's public key
                                       (borrowed; must outlive the node) */
} ikh_auth_cfg;

/** A Child SA configuration (RFC 7296 §1.3, §2.9, §2.17). */
typedef struct ikh_child_cfg {
    char name[IKH_IKE_NAME_MAX];                   /**< name in logs */
    uint8_t n_props;                               /**< ESP proposals */
    ikh_proposal_cfg props[IKH_IKE_MAX_PROPOSALS]; /**< (KE = PFS group) */
    uint8_t n_local_ts;                            /**< our selectors */
    ikh_ts_cfg local_ts[IKH_IKE_MAX_TS];           /**< our selectors */
    uint8_t n_remote_ts;                           /**< peer selectors */
    ikh_ts_cfg remote_ts[IKH_IKE_MAX_TS];          /**< peer selectors */
    bool transport;         /**< ask for USE_TRANSPORT_MODE (§1.3.1) */
    bool single_pair;       /**< responder: accept one pair of selectors only,
                                 else SINGLE_PAIR_REQUIRED (§3.10.1) */
    uint64_t rekey_ms;      /**< rekey this long after creation; 0: never */
    uint64_t life_ms;       /**< hard lifetime: delete; 0: none */
    uint64_t soft_packets;  /**< ESP: rekey after this many outbound packets;
                                 0: the ESP default (ikh_esp_sa_config) */
    uint64_t hard_packets;  /**< ESP: refuse to send after this many; 0:
                                 default */
    uint32_t replay_window; /**< ESP anti-replay window (64..4096, power of
                                 two); 0: 64 */
} ikh_child_cfg;

/** Per-node counters of what a node saw (for tests and expectations). */
typedef struct ikh_ike_counters {
    uint64_t handshakes;         /**< IKE SAs established (both roles) */
    uint64_t handshake_failures; /**< IKE SA setups that failed */
    uint64_t auth_failures;      /**< peer AUTH that did not verify */
    uint64_t retransmits;        /**< requests sent again */
    uint64_t ike_rekeys;         /**< IKE SAs rekeyed */
    uint64_t child_rekeys;       /**< Child SAs rekeyed */
    uint64_t liveness_timeouts;  /**< IKE SAs declared dead */
    uint64_t dropped;            /**< datagrams dropped (any reason) */
} ikh_ike_counters;

/** What a key-table hook is told about a new IKE SA (keys are borrowed for
 *  the call; the hook writes them to Wireshark key tables, never to logs). */
typedef struct ikh_ike_keyinfo {
    uint64_t ispi;      /**< initiator SPI */
    uint64_t rspi;      /**< responder SPI */
    uint16_t encr;      /**< ENCR transform */
    uint16_t encr_bits; /**< its key length */
    uint16_t integ;     /**< INTEG (0 for AEAD) */
    ikh_span sk_ei;     /**< encryption key i->r (salt included) */
    ikh_span sk_er;     /**< encryption key r->i (salt included) */
    ikh_span sk_ai;     /**< integrity key i->r (empty for AEAD) */
    ikh_span sk_ar;     /**< integrity key r->i (empty for AEAD) */
} ikh_ike_keyinfo;

/** What a key-table hook is told about a new Child SA (one direction). */
typedef struct ikh_child_keyinfo {
    ikh_addr src;       /**< outer source address */
    ikh_addr dst;       /**< outer destination address */
    uint32_t spi;       /**< SPI of this direction (receiver's) */
    uint16_t encr;      /**< ENCR transform */
    uint16_t encr_bits; /**< its key length */
    uint16_t integ;     /**< INTEG (0 for AEAD) */
    bool esn;           /**< extended sequence numbers */
    bool udp_encap;     /**< ESP in UDP (RFC 3948) */
    ikh_span encr_key;  /**< encryption key (salt included) */
    ikh_span integ_key; /**< integrity key */
} ikh_child_keyinfo;

/** A packet that came out of ESP (ikh_data_hooks::deliver). */
typedef struct ikh_inner_pkt {
    uint32_t ike_ref;    /**< IKE SA serial */
    uint32_t child_ref;  /**< Child SA serial it came through */
    uint8_t next_header; /**< 4 / 41: an inner IPv4 / IPv6 packet (tunnel
                              mode); else the transport-mode protocol */
    bool transport;      /**< transport mode */
    ikh_span data;       /**< the inner IP packet, or the transport
                              payload (borrowed for the call) */
} ikh_inner_pkt;

/** Data-plane hooks; may be NULL. */
typedef struct ikh_data_hooks {
    /** A decapsulated packet. The hook may call ikh_node_send_inner() on
     *  the same node (an echo reply).
     *  @param user ikh_data_hooks::user
     *  @param p    the packet (borrowed for the call: copy what you keep) */
    void (*deliver)(void *user, const ikh_inner_pkt *p);
    void *user; /**< handed back */
} ikh_data_hooks;

/** Hooks for key tables; both may be NULL. */
typedef struct ikh_key_hooks {
    /** An IKE SA's keys, when derived (after IKE_SA_INIT, and for
     *  the new SA of an IKE SA rekey).
     *  @param user ikh_key_hooks::user
     *  @param k    SPIs, transforms and keys (borrowed for the call) */
    void (*ike)(void *user, const ikh_ike_keyinfo *k);
    /** A new Child SA's keys: called twice, inbound then outbound.
     *  @param user ikh_key_hooks::user
     *  @param k    one direction (borrowed for the call) */
    void (*child)(void *user, const ikh_child_keyinfo *k);
    void *user; /**< handed back */
} ikh_key_hooks;

/** Node configuration (copied by ikh_node_new(); key pointers borrowed). */
typedef struct ikh_ike_config {
    char name[IKH_IKE_NAME_MAX]; /**< node name in log lines ("a") */
    ikh_addr addr;               /**< own address */
    uint16_t port;               /**< own IKE port; 0: 500 */
    uint16_t natt_port;          /**< own NAT-T port; 0: 4500 */
    ikh_addr peer_addr;          /**< peer address for ikh_node_initiate() */
    uint16_t peer_port;          /**< peer IKE port; 0: 500 */
    uint16_t peer_natt_port;     /**< peer NAT-T port; 0: 4500 */
    /** Transforms this node allows; NULL: ikh_crypto_default_list(). */
    const ikh_xform_desc *const *xforms;
    uint8_t n_props;                               /**< IKE proposals */
    ikh_proposal_cfg props[IKH_IKE_MAX_PROPOSALS]; /**< ... in order */
    ikh_auth_cfg auth;                             /**< how we authenticate */
    ikh_auth_cfg peer_auth; /**< what we accept from the peer (method;
                                 PSK or the peer's public key) */
    ikh_id_cfg id;          /**< our IDi/IDr; type 0: our IP address */
    ikh_id_cfg peer_id;     /**< required peer ID; type 0: any */
    uint8_t n_children;     /**< Child SA configs */
    ikh_child_cfg children[IKH_IKE_MAX_CHILD_CFG]; /**< [0] is the first */
    /* retransmission (§2.1); defaults like strongSwan */
    uint32_t retransmit_base_ms;   /**< first timeout; 0: 4000 */
    uint32_t retransmit_factor_pm; /**< backoff per mille; 0: 1800 */
    uint8_t retransmit_tries;      /**< retransmissions; 0: 5 */
    uint32_t retransmit_limit_ms;  /**< largest single timeout; 0: none
                                        (strongSwan retransmit_limit) */
    /* timers; 0: off */
    uint64_t liveness_ms;      /**< liveness check after this much silence */
    uint64_t ike_rekey_ms;     /**< rekey the IKE SA this long after setup */
    uint64_t reauth_ms;        /**< reauthenticate (new IKE SA, §2.8.3) */
    uint64_t ike_life_ms;      /**< hard IKE SA lifetime */
    uint8_t jitter_pct;        /**< rekey timers shortened by up to this
                                    percentage, drawn from rand; 0: none */
    uint64_t half_open_ms;     /**< half-open SA expiry; 0: 30000 */
    uint8_t keyingtries;       /**< attempts to set an IKE SA up: after any
                                    failure the initiator starts over with
                                    new SPIs (strongSwan keyingtries); 0: 1 */
    uint32_t cookie_threshold; /**< responder: ask for a COOKIE when this
                                    many SAs are half-open, the new one
                                    included (1: always); 0: never (§2.6) */
    uint32_t max_half_open;    /**< refuse new SAs above it; 0: no limit */
    bool initial_contact;      /**< send INITIAL_CONTACT (§3.10.1) */
    bool natt_force;           /**< encapsulate as if behind a NAT (§2.23) */
    bool fragmentation;        /**< offer/accept RFC 7383 fragmentation */
    uint16_t fragment_size;    /**< IP datagram size limit; 0: 1280 */
    uint8_t window;            /**< our SET_WINDOW_SIZE; 0: 1 (§2.3) */
    uint8_t max_children;      /**< responder: Child SAs per IKE SA before
                                    NO_ADDITIONAL_SAS; 0: IKH_IKE_MAX_CHILDREN */
    /* configuration payload (§2.19) */
    bool request_ip4;    /**< initiator: CFG_REQUEST an IPv4 address */
    bool request_ip6;    /**< initiator: CFG_REQUEST an IPv6 address */
    ikh_addr pool4;      /**< responder: first IPv4 pool address */
    uint16_t pool4_size; /**< addresses in it; 0: no IPv4 pool */
    ikh_addr pool6;      /**< responder: first IPv6 pool address */
    uint16_t pool6_size; /**< addresses in it; 0: no IPv6 pool */
    uint8_t n_dns;       /**< DNS servers handed out */
    ikh_addr dns[IKH_IKE_MAX_DNS]; /**< the DNS servers */
    ikh_key_hooks keys;            /**< key-table hooks */
    ikh_data_hooks data;           /**< data-plane hooks */
    uint64_t keepalive_ms;         /**< NAT keepalive interval when behind a NAT
                                        (RFC 3948 §2.3); 0: 20000 */
} ikh_ike_config;

/**
 * @brief Fill @p c with the defaults (every field zero, name "node").
 * @param c caller memory
 */
void ikh_ike_config_init(ikh_ike_config *c);

/** IKE SA states (printable names via ikh_ike_state_name()). */
#define IKH_IKE_STATES(X)                                                      \
    X(INIT_SENT)   /* initiator: IKE_SA_INIT request out */                    \
    X(INIT_DONE)   /* responder: IKE_SA_INIT answered */                       \
    X(AUTH_SENT)   /* initiator: IKE_AUTH request out */                       \
    X(ESTABLISHED) /* authenticated, usable */                                 \
    X(REKEYING)    /* an IKE SA rekey of this SA is in progress */             \
    X(REKEYED)     /* replaced by a new IKE SA; waiting for its delete */      \
    X(DELETING)    /* our delete request is out */                             \
    X(DEAD)        /* failed, deleted or timed out: to be freed */

/** IKE SA state. The values, generated from IKH_IKE_STATES, are
 *  IKH_IKE_INIT_SENT (initiator: IKE_SA_INIT request out), IKH_IKE_INIT_DONE
 *  (responder: IKE_SA_INIT answered), IKH_IKE_AUTH_SENT (initiator: IKE_AUTH
 *  request out), IKH_IKE_ESTABLISHED (authenticated, usable),
 *  IKH_IKE_REKEYING (an IKE SA rekey of this SA is in progress),
 *  IKH_IKE_REKEYED (replaced by a new IKE SA; waiting for its delete),
 *  IKH_IKE_DELETING (our delete request is out) and IKH_IKE_DEAD (failed,
 *  deleted or timed out: to be freed), numbered 0.. in that order. */
typedef enum ikh_ike_state {
/** @cond */
#define IKH_X_(s) IKH_IKE_##s,
    IKH_IKE_STATES(IKH_X_)
#undef IKH_X_
    /** @endcond */
} ikh_ike_state;

/** Child SA states. */
#define IKH_CHILD_STATES(X)                                                    \
    X(CREATING)  /* negotiation in progress */                                 \
    X(INSTALLED) /* usable */                                                  \
    X(REKEYING)  /* a rekey of it is in progress */                            \
    X(REKEYED)   /* replaced; delete pending */                                \
    X(DELETING)  /* our delete request is out */                               \
    X(DELETED)   /* gone */

/** Child SA state. The values, generated from IKH_CHILD_STATES, are
 *  IKH_CHILD_CREATING (negotiation in progress), IKH_CHILD_INSTALLED
 *  (usable), IKH_CHILD_REKEYING (a rekey of it is in progress),
 *  IKH_CHILD_REKEYED (replaced; delete pending), IKH_CHILD_DELETING (our
 *  delete request is out) and IKH_CHILD_DELETED (gone), numbered 0.. in
 *  that order. */
typedef enum ikh_child_state {
/** @cond */
#define IKH_X_(s) IKH_CHILD_##s,
    IKH_CHILD_STATES(IKH_X_)
#undef IKH_X_
    /** @endcond */
} ikh_child_state;

/**
 * @brief Printable IKE SA state name.
 * @param s state
 * @return a static string ("ESTABLISHED"); "UNKNOWN" out of range
 */
const char *ikh_ike_state_name(ikh_ike_state s);
/**
 * @brief Printable Child SA state name.
 * @param s state
 * @return a static string ("INSTALLED"); "UNKNOWN" out of range
 */
const char *ikh_child_state_name(ikh_child_state s);

/** A Child SA as seen from outside (ikh_node_child_get()). */
typedef struct ikh_child_info {
    uint32_t ref;          /**< node-local serial */
    uint32_t ike_ref;      /**< the IKE SA that carries it now */
    ikh_child_state state; /**< current state */
    uint32_t spi_in;       /**< our inbound SPI */
    uint32_t spi_out;      /**< the peer's inbound SPI (our outbound) */
    uint16_t encr;         /**< negotiated ENCR */
    uint16_t encr_bits;    /**< its key length */
    uint16_t integ;        /**< negotiated INTEG (0 for AEAD) */
    uint16_t ke;           /**< PFS group of its creation (0: none) */
    bool esn;              /**< ESN negotiated */
    bool transport;        /**< transport mode */
    bool initiator;        /**< we created (or last rekeyed) it */
    uint8_t cfg;           /**< index of its ikh_child_cfg */
    uint32_t rekeyed_from; /**< ref of the Child SA it replaced; 0: none */
    uint8_t n_ts_i;        /**< negotiated TSi count (initiator side of the
                                exchange that made it) */
    uint8_t n_ts_r;        /**< negotiated TSr count */
    ikh_ts_cfg ts_i[IKH_IKE_MAX_TS]; /**< negotiated TSi (n_ts_i used) */
    ikh_ts_cfg ts_r[IKH_IKE_MAX_TS]; /**< negotiated TSr (n_ts_r used) */
    uint64_t packets_out;            /**< ESP packets sent on it */
    uint64_t packets_in;             /**< ESP packets received and delivered */
    uint64_t octets_out;             /**< payload octets sent */
    uint64_t octets_in;              /**< payload octets delivered */
    uint64_t replay_drops;           /**< inbound: replayed or too old */
    uint64_t icv_failures;           /**< inbound: ICV / tag mismatch */
} ikh_child_info;

/** An IKE SA as seen from outside (ikh_node_ike_get()). */
typedef struct ikh_ike_info {
    uint32_t ref;          /**< node-local serial */
    ikh_ike_state state;   /**< current state */
    bool initiator;        /**< original initiator of this SA (§2.2) */
    uint64_t ispi;         /**< initiator SPI */
    uint64_t rspi;         /**< responder SPI */
    uint16_t encr;         /**< negotiated ENCR */
    uint16_t encr_bits;    /**< its key length */
    uint16_t prf;          /**< negotiated PRF */
    uint16_t integ;        /**< negotiated INTEG (0 for AEAD) */
    uint16_t ke;           /**< negotiated KE group */
    uint32_t rekeyed_from; /**< ref of the IKE SA it replaced; 0: none */
    bool natt;             /**< moved to the NAT-T port */
    bool nat_local;        /**< NAT detected in front of us */
    bool nat_remote;       /**< NAT detected in front of the peer */
    bool fragmentation;    /**< RFC 7383 negotiated */
    ikh_addr vip4;         /**< virtual IPv4 address (family 0: none) */
    ikh_addr vip6;         /**< virtual IPv6 address (family 0: none) */
    ikh_err last_err;      /**< the first fatal error (OK: none) */
    uint16_t n_children;   /**< Child SAs it carries (any state) */
    uint32_t mid_next_out; /**< next request Message ID we send */
    uint32_t mid_next_in;  /**< next request Message ID we expect */
    uint8_t peer_window;   /**< peer's SET_WINDOW_SIZE (1 if none) */
} ikh_ike_info;

/** A node (opaque). */
typedef struct ikh_node ikh_node;

/**
 * @brief Create a node.
 * @param cfg configuration (copied; key pointers inside are borrowed)
 * @param env environment (copied; its hooks and metrics are borrowed and
 *            must outlive the node)
 * @param out receives the node; free with ikh_node_free()
 * @return IKH_OK; ARG_INVALID (NULL argument, no IKE proposal, a proposal
 *         naming a transform missing from cfg->xforms, a PSK method
 *         without a PSK, a signature method without a key); ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_node_new(const ikh_ike_config *cfg, const ikh_env *env,
                                  ikh_node **out);

/** @brief Free a node and every SA it holds (keys wiped). NULL is a no-op.
 *  @param n node */
void ikh_node_free(ikh_node *n);

/**
 * @brief Feed one received datagram to the node.
 * @param n node @param dg datagram (borrowed for the call; copied as needed)
 * @param now current time (never less than in an earlier call)
 * @return IKH_OK when the datagram was processed or dropped as RFC 7296
 *         §2.21 says (dropped input is counted and logged, not an error);
 *         ENV_NOMEM or ENV_SEND when a hook failed.
 */
IKH_MUST_USE ikh_err ikh_node_recv(ikh_node *n, const ikh_dgram *dg,
                                   ikh_time_ms now);

/**
 * @brief Run every timer due at @p now (retransmission, liveness, rekey,
 *        lifetimes, half-open expiry).
 * @param n node @param now current time (never less than before)
 * @return IKH_OK, ENV_NOMEM or ENV_SEND.
 */
IKH_MUST_USE ikh_err ikh_node_expire(ikh_node *n, ikh_time_ms now);

/**
 * @brief The next time ikh_node_expire() has work.
 * @param n node (NULL gives IKH_TIME_NEVER)
 * @return a time, or IKH_TIME_NEVER when no timer is armed
 */
ikh_time_ms ikh_node_deadline(const ikh_node *n);

/** Actions a scenario or a live peer starts (ikh_node_action()). */
typedef enum ikh_action {
    IKH_ACT_REKEY_CHILD = 1, /**< CREATE_CHILD_SA with REKEY_SA (§2.8) */
    IKH_ACT_REKEY_IKE,       /**< CREATE_CHILD_SA rekeying the IKE SA */
    IKH_ACT_DELETE_CHILD,    /**< INFORMATIONAL Delete of a Child SA */
    IKH_ACT_DELETE_IKE,      /**< INFORMATIONAL Delete of the IKE SA */
    IKH_ACT_LIVENESS,        /**< empty INFORMATIONAL (§2.4) */
    IKH_ACT_CREATE_CHILD,    /**< CREATE_CHILD_SA for a new Child SA */
} ikh_action;

/**
 * @brief Start an IKE SA with the configured peer (IKE_SA_INIT, then
 *        IKE_AUTH with the first Child SA of cfg->children[child_cfg]).
 * @param n node @param child_cfg index of the Child SA configuration
 * @param now current time @param ike_ref receives the new SA's serial (may
 *        be NULL)
 * @return IKH_OK; ARG_RANGE (no such child config); IKE_SA_LIMIT (node
 *         holds IKH_IKE_MAX_SAS); ENV_NOMEM; ENV_SEND.
 */
IKH_MUST_USE ikh_err ikh_node_initiate(ikh_node *n, size_t child_cfg,
                                       ikh_time_ms now, uint32_t *ike_ref);

/**
 * @brief Queue an action on an IKE SA; it runs when the exchange window
 *        allows (tasks queue, §2.3).
 * @param n node @param act action
 * @param ike_ref IKE SA serial; 0: the newest established IKE SA
 * @param arg Child SA serial for *_CHILD actions (0: the newest installed
 *            Child SA of that IKE SA); child config index for CREATE_CHILD
 * @param now current time
 * @return IKH_OK; STATE (no such SA, or not established); ARG_RANGE;
 *         ENV_NOMEM; ENV_SEND.
 */
IKH_MUST_USE ikh_err ikh_node_action(ikh_node *n, ikh_action act,
                                     uint32_t ike_ref, uint32_t arg,
                                     ikh_time_ms now);

/**
 * @brief Send one packet through the data plane: the newest installed
 *        Child SA whose selectors cover it (local TS: source; remote TS:
 *        destination; protocol and ports) encapsulates it in ESP (RFC
 *        4303), in UDP when the IKE SA moved to NAT-T (RFC 3948).
 * @param n node @param pkt an IPv4 or IPv6 packet (borrowed); in tunnel
 *        mode it is carried whole, in transport mode its IP header is
 *        replaced by the outer one @param len its length
 * @param now current time @param child_ref receives the Child SA used
 *        (may be NULL)
 * @return IKH_OK; ESP_NO_POLICY (no Child SA covers it; counted);
 *         ESP_SEQ_EXHAUSTED (the SA's hard limit: rekey first);
 *         ARG_INVALID (not an IP packet, too large); ENV_SEND.
 */
IKH_MUST_USE ikh_err ikh_node_send_inner(ikh_node *n, const uint8_t *pkt,
                                         size_t len, ikh_time_ms now,
                                         uint32_t *child_ref);

/**
 * @brief Number of IKE SAs the node holds (any state but freed).
 * @param n node (NULL gives 0)
 * @return the count
 */
size_t ikh_node_ike_count(const ikh_node *n);

/**
 * @brief Describe the @p idx-th IKE SA (in serial order).
 * @param n node @param idx 0 .. ikh_node_ike_count() - 1
 * @param out caller memory
 * @return IKH_OK; ARG_RANGE (no such SA); ARG_INVALID (NULL argument).
 */
IKH_MUST_USE ikh_err ikh_node_ike_get(const ikh_node *n, size_t idx,
                                      ikh_ike_info *out);

/**
 * @brief Describe the @p idx-th Child SA (in serial order) of an IKE SA.
 * @param n node @param ike_ref the IKE SA's serial
 * @param idx 0 .. ikh_ike_info::n_children - 1 @param out caller memory
 * @return IKH_OK; ARG_RANGE (no such SA); ARG_INVALID (NULL argument).
 */
IKH_MUST_USE ikh_err ikh_node_child_get(const ikh_node *n, uint32_t ike_ref,
                                        size_t idx, ikh_child_info *out);

/** @brief Copy the node's counters. @param n node @param out caller memory */
void ikh_node_counters(const ikh_node *n, ikh_ike_counters *out);

#endif /* IKH_IKE_H */
