/* SPDX-License-Identifier: MIT */
/**
 * @file scenario.h
 * @brief Scenario files: peers, links with faults, a timeline of actions
 *        and expectations, parsed from YAML (libyaml) into plain structs.
 *
 * The parser works on a buffer (no file access), so it is the same code
 * for `ikeharness sim`, tests and the fuzz_scenario target. Paths inside
 * a scenario (key files) are returned as text; the caller resolves them
 * relative to the scenario file and loads them. The format is documented
 * in docs/scenario-format.md.
 */
#ifndef IKH_SCENARIO_H
#define IKH_SCENARIO_H

#include "ikh/common.h"
#include "ikh/ike.h"
#include "ikh/sim.h"

/** Most peers in a scenario. */
#define IKH_SCN_MAX_PEERS 8u
/** Most links. */
#define IKH_SCN_MAX_LINKS 16u
/** Most timeline steps. */
#define IKH_SCN_MAX_STEPS 128u
/** Most expectations. */
#define IKH_SCN_MAX_EXPECT 128u
/** Most field matches in one log expectation. */
#define IKH_SCN_MAX_FIELDS 8u
/** Longest text value kept (names, paths, log field values), with NUL. */
#define IKH_SCN_TEXT_MAX 256u
/** Longest description, with NUL. */
#define IKH_SCN_DESC_MAX 1024u
/** Largest scenario file accepted. */
#define IKH_SCN_FILE_MAX (1024u * 1024u)

/** A peer: node configuration plus what the parser cannot resolve itself. */
typedef struct ikh_scn_peer {
    char name[IKH_IKE_NAME_MAX]; /**< peer name (YAML key) */
    ikh_ike_config cfg;          /**< node configuration; key pointers
                                      NULL, peer_addr filled from the
                                      peer named by remote */
    char
        remote[IKH_IKE_NAME_MAX]; /**< name of the peer it talks to ("" none) */
    char key_path[IKH_SCN_TEXT_MAX];      /**< own private key file ("" none) */
    char peer_key_path[IKH_SCN_TEXT_MAX]; /**< peer public key file ("" none) */
    uint32_t line; /**< line of its definition (1-based) */
} ikh_scn_peer;

/** A link between two peers with a fault profile per direction. */
typedef struct ikh_scn_link {
    uint8_t a;         /**< first peer (index) */
    uint8_t b;         /**< second peer (index) */
    ikh_sim_faults ab; /**< faults from a to b */
    ikh_sim_faults ba; /**< faults from b to a */
    uint32_t line;     /**< line of its definition */
} ikh_scn_link;

/** Timeline actions. */
typedef enum ikh_scn_op {
    IKH_SCN_INITIATE = 1, /**< ikh_node_initiate(child) */
    IKH_SCN_REKEY_CHILD,  /**< ikh_node_action(REKEY_CHILD) */
    IKH_SCN_REKEY_IKE,    /**< ikh_node_action(REKEY_IKE) */
    IKH_SCN_DELETE_CHILD, /**< ikh_node_action(DELETE_CHILD) */
    IKH_SCN_DELETE_IKE,   /**< ikh_node_action(DELETE_IKE) */
    IKH_SCN_LIVENESS,     /**< ikh_node_action(LIVENESS) */
    IKH_SCN_CREATE_CHILD, /**< ikh_node_action(CREATE_CHILD, child) */
    IKH_SCN_FAULTS,       /**< change a link's faults (ikh_sim_schedule) */
    IKH_SCN_TRAFFIC,      /**< send packets through the data plane */
} ikh_scn_op;

/** Protocols of generated traffic. */
typedef enum ikh_scn_proto {
    IKH_SCN_ICMP = 1, /**< ICMP / ICMPv6 echo requests (the other side's
                           runner answers with echo replies) */
    IKH_SCN_UDP,      /**< UDP datagrams */
} ikh_scn_proto;

/** One timeline step. */
typedef struct ikh_scn_step {
    ikh_time_ms at;        /**< virtual time (ms from the start) */
    ikh_scn_op op;         /**< the action */
    uint8_t peer;          /**< peer index (node actions) */
    uint8_t child;         /**< child config index (INITIATE, CREATE_CHILD) */
    uint32_t ike_ref;      /**< IKE SA serial; 0: newest established */
    uint32_t child_ref;    /**< Child SA serial; 0: newest installed */
    uint8_t link;          /**< link index (FAULTS) */
    ikh_sim_dir dir;       /**< directions (FAULTS) */
    ikh_sim_faults faults; /**< new profile (FAULTS) */
    /* TRAFFIC */
    ikh_addr src;         /**< inner source address */
    ikh_addr dst;         /**< inner destination address */
    ikh_scn_proto proto;  /**< ICMP or UDP */
    uint32_t count;       /**< packets */
    uint32_t interval_ms; /**< between two packets */
    uint16_t size;        /**< inner IP packet octets */
    uint16_t port;        /**< UDP destination port */
    uint32_t line;        /**< line of the step */
} ikh_scn_step;

/** Comparison of an expectation. */
typedef enum ikh_scn_cmp {
    IKH_SCN_EQ = 0, /**< `==`: equal (default) */
    IKH_SCN_NE,     /**< `!=`: not equal */
    IKH_SCN_GE,     /**< `>=`: at least */
    IKH_SCN_LE,     /**< `<=`: at most */
    IKH_SCN_GT,     /**< `>`: more than */
    IKH_SCN_LT,     /**< `<`: less than */
} ikh_scn_cmp;

/** Expectation kinds. */
typedef enum ikh_scn_expect_kind {
    IKH_SCN_X_IKE_SA = 1, /**< IKE SAs of a peer: count in a state, suite */
    IKH_SCN_X_CHILD_SA,   /**< Child SAs of a peer: count in a state, suite */
    IKH_SCN_X_NOTIFY,     /**< a notify sent or received (count) */
    IKH_SCN_X_METRIC,     /**< a metric's value (with one label) */
    IKH_SCN_X_LOG,        /**< log events matching fields (count) */
} ikh_scn_expect_kind;

/** One field match of a log expectation: "key" equals value (text as the
 *  log writes it: strings unquoted, numbers in decimal, true/false). */
typedef struct ikh_scn_field {
    char key[IKH_IKE_NAME_MAX];   /**< field name */
    char value[IKH_SCN_TEXT_MAX]; /**< expected value */
} ikh_scn_field;

/** One expectation, checked at time @p at (IKH_TIME_NEVER: at the end). */
typedef struct ikh_scn_expect {
    ikh_scn_expect_kind kind; /**< what is checked */
    ikh_time_ms at;           /**< when; IKH_TIME_NEVER: end of the run */
    uint8_t peer;             /**< peer index (all kinds but METRIC/LOG
                                   without peer: any_peer) */
    bool any_peer;            /**< METRIC/LOG: over all peers */
    ikh_scn_cmp cmp;          /**< comparison of count/value */
    uint64_t value;           /**< expected count or metric value */
    /* IKE_SA / CHILD_SA */
    int state;              /**< ::ikh_ike_state / ::ikh_child_state;
                                 -1: any state */
    bool has_suite;         /**< compare the suite below */
    ikh_proposal_cfg suite; /**< negotiated transforms expected (each
                                 listed transform must be the one chosen) */
    /* NOTIFY */
    uint16_t notify; /**< notify type */
    bool sent;       /**< true: sent by peer; false: received */
    /* METRIC */
    char metric[IKH_SCN_TEXT_MAX]; /**< metric name */
    char label[IKH_SCN_TEXT_MAX];  /**< label value ("" none) */
    /* LOG */
    char event[IKH_SCN_TEXT_MAX];             /**< event name */
    uint8_t n_fields;                         /**< field matches */
    ikh_scn_field fields[IKH_SCN_MAX_FIELDS]; /**< the field matches */
    char text[IKH_SCN_TEXT_MAX]; /**< the expectation as written, one line
                                      (for reports) */
    uint32_t line;               /**< line of the expectation */
} ikh_scn_expect;

/** A parsed scenario (large: allocate it, do not put it on the stack). */
typedef struct ikh_scenario {
    char name[IKH_SCN_TEXT_MAX];           /**< scenario name */
    char description[IKH_SCN_DESC_MAX];    /**< what it checks */
    uint64_t seed;                         /**< default seed (1 if absent) */
    ikh_time_ms duration;                  /**< end of the run; default 600 s */
    uint8_t n_peers;                       /**< peers in use */
    ikh_scn_peer peers[IKH_SCN_MAX_PEERS]; /**< ... in file order */
    uint8_t n_links;                       /**< links in use */
    ikh_scn_link links[IKH_SCN_MAX_LINKS]; /**< the links */
    uint16_t n_steps;                      /**< timeline steps, sorted by time
                                                (stable: file order on ties) */
    ikh_scn_step steps[IKH_SCN_MAX_STEPS]; /**< the steps */
    uint16_t n_expect;                     /**< expectations in use */
    ikh_scn_expect expect[IKH_SCN_MAX_EXPECT]; /**< ... in file order */
} ikh_scenario;

/** Where a scenario parse failed. */
typedef struct ikh_scn_diag {
    ikh_err err;     /**< SCN_* code */
    uint32_t line;   /**< 1-based line (0: not known) */
    uint32_t column; /**< 1-based column (0: not known) */
    char msg[256];   /**< what is wrong, one line, for humans */
} ikh_scn_diag;

/**
 * @brief Parse a scenario from YAML text.
 * @param buf text (borrowed) @param len its length (at most IKH_SCN_FILE_MAX)
 * @param out caller memory, fully written on success (zeroed then filled)
 * @param diag receives line, column and message on failure (may be NULL)
 * @return IKH_OK; SCN_SYNTAX (not YAML); SCN_SCHEMA (unknown key, wrong
 *         type, missing required key); SCN_VALUE (a value out of range or
 *         not understood: address, duration, percentage, proposal, ...);
 *         SCN_REF (names a peer, child or link that does not exist);
 *         SCN_LIMIT (more peers, steps, ... than the IKH_SCN_MAX_*);
 *         IO_TOO_BIG (len too large).
 */
IKH_MUST_USE ikh_err ikh_scn_parse(const char *buf, size_t len,
                                   ikh_scenario *out, ikh_scn_diag *diag);

/** Keys the caller loaded for each peer (borrowed for the run). */
typedef struct ikh_scn_keys {
    const ikh_key *own[IKH_SCN_MAX_PEERS]; /**< peer's private key or NULL */
    const ikh_key
        *peer[IKH_SCN_MAX_PEERS]; /**< its peer's public key or NULL */
} ikh_scn_keys;

/** What a run reports to its caller; every member may be NULL. */
typedef struct ikh_scn_hooks {
    ikh_sim_tap_fn tap; /**< every datagram the sim carries (capture) */
    void *tap_user;     /**< handed back to tap */
    /** Every log line of every node, in order (events.jsonl).
     *  @param user ikh_scn_hooks::log_user
     *  @param lvl  the line's level
     *  @param line JSON, NUL-terminated, no newline (borrowed for the call)
     *  @param len  its length, the NUL excluded */
    void (*log)(void *user, ikh_level lvl, const char *line, size_t len);
    void *log_user;       /**< handed back to log */
    ikh_key_hooks keys;   /**< key tables */
    ikh_metrics *metrics; /**< registry all nodes count into (NULL: the run
                               keeps its own for metric expectations) */
    ikh_level level;      /**< most verbose level passed to log;
                               IKH_LVL_ERROR (0) means the default, DEBUG
                               (expectations always see every line) */
} ikh_scn_hooks;

/** Outcome of one expectation. */
typedef struct ikh_scn_outcome {
    bool pass;                     /**< the expectation was met */
    uint64_t got;                  /**< the count or value found */
    char detail[IKH_SCN_TEXT_MAX]; /**< one line: what was found */
} ikh_scn_outcome;

/** Result of a run. */
typedef struct ikh_scn_result {
    bool pass;         /**< every expectation met, no step error */
    uint16_t n_expect; /**< = scenario n_expect */
    ikh_scn_outcome expect[IKH_SCN_MAX_EXPECT]; /**< per expectation */
    uint16_t step_errors;                    /**< timeline steps that failed */
    char first_step_error[IKH_SCN_TEXT_MAX]; /**< the first, one line */
    ikh_sim_stats sim;                       /**< datagram counters */
    ikh_time_ms end;                         /**< virtual time at the end */
} ikh_scn_result;

/**
 * @brief Run a scenario in the simulator: nodes from its peers, links with
 *        their faults, the timeline, then the expectations.
 * @param s     parsed scenario (borrowed)
 * @param seed  seed of faults and node DRBGs (the scenario's or --seed)
 * @param keys  loaded key files (borrowed; may be NULL when none are used)
 * @param hooks where capture, log lines, key tables go (may be NULL)
 * @param mem   allocator for the sim and nodes (NULL: malloc/free)
 * @param res   caller memory: the outcome (large; do not put on the stack)
 * @return IKH_OK when the run completed (res->pass tells the verdict);
 *         ARG_INVALID (a peer's configuration is rejected by
 *         ikh_node_new(), e.g. a key it needs is missing); ENV_NOMEM;
 *         ENV_SIM_* (the simulator's limits).
 */
IKH_MUST_USE ikh_err ikh_scn_run(const ikh_scenario *s, uint64_t seed,
                                 const ikh_scn_keys *keys,
                                 const ikh_scn_hooks *hooks, const ikh_mem *mem,
                                 ikh_scn_result *res);

/**
 * @brief Run one node action of a timeline step (initiate, rekey_child,
 *        rekey_ike, delete_child, delete_ike, liveness, create_child) on
 *        @p n, as ikh_scn_run() does for the step's peer.
 * @param n   the node of the step's peer (borrowed)
 * @param st  the step (borrowed)
 * @param now current time of the node's clock
 * @return what ikh_node_initiate() or ikh_node_action() returns (STATE:
 *         no such SA; ARG_RANGE: no such child config; ENV_*); ARG_RANGE
 *         for FAULTS and TRAFFIC steps (not node actions); ARG_INVALID
 *         for NULL.
 */
IKH_MUST_USE ikh_err ikh_scn_step_node(ikh_node *n, const ikh_scn_step *st,
                                       ikh_time_ms now);

/**
 * @brief Build packet number @p seq of a TRAFFIC step: an IPv4 or IPv6
 *        packet of st->size octets from st->src to st->dst carrying an
 *        ICMP(v6) echo request (identifier 0x1d4e, sequence @p seq) or a
 *        UDP datagram to st->port, checksums included. The bytes depend
 *        only on the step and @p seq.
 * @param st  the TRAFFIC step (borrowed)
 * @param seq packet number, 1 for the first
 * @param buf receives the packet (borrowed)
 * @param cap its capacity (st->size is at most 9000)
 * @return the packet length (st->size); 0 when @p cap is smaller than
 *         st->size or st->size cannot hold the IP and L4 headers (nothing
 *         to send).
 */
size_t ikh_scn_traffic_packet(const ikh_scn_step *st, uint32_t seq,
                              uint8_t *buf, size_t cap);

/**
 * @brief Turn an ICMP echo request (IPv4) or ICMPv6 echo request (IPv6)
 *        into its echo reply in place: addresses swapped, type changed,
 *        IPv4 header and ICMP(v6) checksums recomputed. This is how a
 *        scenario peer answers echo requests that come out of a tunnel-mode
 *        Child SA.
 * @param pkt an inner IP packet (borrowed, modified in place on success)
 * @param len its length
 * @return true when @p pkt was an echo request and now is the reply (send
 *         it back through the node); false when it is not an echo request
 *         or too short (@p pkt is left unchanged).
 */
bool ikh_scn_echo_reply(uint8_t *pkt, size_t len);

/**
 * @brief Is @p pkt the echo reply to a packet of TRAFFIC step @p st? That
 *        is an ICMP echo reply (IPv4) or ICMPv6 echo reply (IPv6) from
 *        st->dst to st->src with the identifier ikh_scn_traffic_packet()
 *        uses. Lets a sender count what came back (`ikeharness peer`
 *        fails a run that loses echo replies).
 * @param pkt an inner IP packet (borrowed, not modified)
 * @param len its length
 * @param st  an ICMP TRAFFIC step (borrowed)
 * @param seq receives the sequence number (the @p seq of
 *            ikh_scn_traffic_packet()) when the result is true
 * @return true for a matching reply; false otherwise (also for NULL
 *         arguments, UDP steps and truncated packets).
 */
bool ikh_scn_echo_match(const uint8_t *pkt, size_t len, const ikh_scn_step *st,
                        uint32_t *seq);

/** Checking expectations against nodes: shared by ikh_scn_run() and
 *  `ikeharness peer` (which runs one node of a scenario). Initialise it
 *  with ikh_scn_check_init(), then fill nodes and metrics. */
typedef struct ikh_scn_check {
    const ikh_scenario *s; /**< the scenario (borrowed) */
    /** Each peer's node (borrowed); NULL: not run here (its SA counts are
     *  0, its metrics absent). */
    const ikh_node *nodes[IKH_SCN_MAX_PEERS];
    /** Each peer's own registry (borrowed); NULL: not run here. */
    const ikh_metrics *metrics[IKH_SCN_MAX_PEERS];
    uint64_t count[IKH_SCN_MAX_EXPECT]; /**< log/notify matches so far */
} ikh_scn_check;

/**
 * @brief Start checking @p s: no node, no registry, every count 0.
 * @param c caller memory @param s the scenario (borrowed for c's lifetime)
 */
void ikh_scn_check_init(ikh_scn_check *c, const ikh_scenario *s);

/**
 * @brief Count one log line (JSON, as the nodes write it) against every
 *        log and notify expectation. Call it with every line, at every
 *        level, in order.
 * @param c the checker @param line the line (borrowed, no newline)
 * @param len its length
 */
void ikh_scn_check_line(ikh_scn_check *c, const char *line, size_t len);

/**
 * @brief Check expectation @p i now: SA counts and suites from the nodes,
 *        metrics from the registries (summed over the non-NULL ones when
 *        the expectation names no peer), log/notify counts so far.
 * @param c the checker (borrowed)
 * @param i index into the scenario's expect[] (below n_expect)
 * @param o receives pass, the value found and a one-line detail
 */
void ikh_scn_check_expect(const ikh_scn_check *c, size_t i, ikh_scn_outcome *o);

/**
 * @brief Add up the non-NULL registries of @p c.
 * @param c the checker (borrowed)
 * @param out receives the sum (initialised here)
 */
void ikh_scn_check_metrics(const ikh_scn_check *c, ikh_metrics *out);

#endif /* IKH_SCENARIO_H */
