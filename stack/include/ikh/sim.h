/* SPDX-License-Identifier: MIT */
/**
 * @file sim.h
 * @brief The sim driver: any number of nodes on one virtual clock, an
 *        in-memory network that delivers datagrams in a deterministic
 *        order, and fault injection drawn from the seed.
 *
 * Nodes are abstract (::ikh_sim_node_ops): the sim calls recv() for each
 * datagram delivered to a node's address, expire() when the node's
 * deadline() has come, and gives each node an ::ikh_env whose send hook
 * puts datagrams on the simulated network and whose rand hook is a DRBG
 * of its own (entropy = the sim seed, nonce = the node index, both 8
 * octets big-endian, personalization "ikeharness sim node").
 *
 * Order: pending deliveries live in a bounded queue ordered by (time,
 * sequence number), the sequence number counting sends; so the order is
 * total and never depends on pointers. At one instant the sim first
 * applies schedule entries (in (time, insertion) order), then deliveries,
 * then node timers (lowest node index first).
 *
 * Faults: a datagram from address S to address D uses the profile of the
 * first link between S and D in that direction, else the default profile
 * of the configuration. Per datagram, with draws from the sim's own DRBG
 * (seeded with the sim seed) made only for non-zero settings, in this
 * order: loss; duplication (one extra copy); then for each copy: delay +
 * jitter (uniform in [0, jitter_ms]), reordering (an extra uniform
 * [1, reorder_ms] delay, so later datagrams overtake it), a flipped bit,
 * a corrupted octet (XOR with a non-zero value), truncation (to a uniform
 * shorter length). Percentages are 0..100.
 *
 * The tap callback sees every datagram sent (as sent), delivered (as
 * delivered, faults applied) and dropped (lost, no node, queue full).
 *
 * Marker: the sim sets ikh_dgram::non_esp_marker of every IKE datagram by
 * ikh_dgram_marker_rule() with the configured NAT-T port, as the udp
 * driver does, so taps write what a real network would carry.
 */
#ifndef IKH_SIM_H
#define IKH_SIM_H

#include "ikh/env.h"

/** Most nodes in one sim. */
#define IKH_SIM_MAX_NODES 16u
/** Most links. */
#define IKH_SIM_MAX_LINKS 32u
/** Most datagrams in flight (ENV_SIM_QUEUE_FULL past it). */
#define IKH_SIM_MAX_EVENTS 1024u
/** Most schedule entries. */
#define IKH_SIM_MAX_SCHEDULE 64u
/** Largest datagram data the sim carries. */
#define IKH_SIM_DGRAM_MAX 65535u
/** Default step limit of ikh_sim_run() (ikh_sim_config::max_steps 0). */
#define IKH_SIM_DEFAULT_MAX_STEPS 1000000u

/** A fault profile for one direction of a link. All zero: perfect, instant. */
typedef struct ikh_sim_faults {
    uint8_t loss_pct;    /**< datagrams lost */
    uint8_t dup_pct;     /**< datagrams duplicated */
    uint8_t reorder_pct; /**< datagrams held back up to reorder_ms */
    uint8_t bitflip_pct; /**< datagrams with one bit flipped */
    uint8_t corrupt_pct; /**< datagrams with one octet changed */
    uint8_t trunc_pct;   /**< datagrams cut short */
    uint32_t delay_ms;   /**< fixed delay */
    uint32_t jitter_ms;  /**< extra delay, uniform in [0, jitter_ms] */
    uint32_t reorder_ms; /**< hold-back window of reordering (0 counts as 1) */
} ikh_sim_faults;

/** What the sim asks of a node. @p node is the pointer given to
 *  ikh_sim_node_add(). Hooks may send through the node's env. */
typedef struct ikh_sim_node_ops {
    /** A datagram arrived. Errors are counted.
     *  @param node the node pointer @param dg the datagram (borrowed for
     *  the call) @param now the sim's clock
     *  @return IKH_OK or the node's error (counted, the run goes on) */
    ikh_err (*recv)(void *node, const ikh_dgram *dg, ikh_time_ms now);
    /** The node's deadline has come. Errors are counted.
     *  @param node the node pointer @param now the sim's clock
     *  @return IKH_OK or the node's error (counted, the run goes on) */
    ikh_err (*expire)(void *node, ikh_time_ms now);
    /** The node's next deadline.
     *  @param node the node pointer
     *  @return a time, or IKH_TIME_NEVER */
    ikh_time_ms (*deadline)(const void *node);
} ikh_sim_node_ops;

/** What the tap is told about. */
typedef enum ikh_sim_tap_kind {
    IKH_SIM_TAP_SENT,      /**< handed to the network (as sent) */
    IKH_SIM_TAP_DELIVERED, /**< delivered to a node (faults applied) */
    IKH_SIM_TAP_DROPPED,   /**< lost, no node, queue full or no memory */
} ikh_sim_tap_kind;

/** Tap callback: @p dg is borrowed for the call; @p t is virtual time.
 *  @param user ikh_sim_config::tap_user
 *  @param kind what happened to the datagram
 *  @param dg   the datagram (borrowed for the call)
 *  @param t    the sim's virtual time */
typedef void (*ikh_sim_tap_fn)(void *user, ikh_sim_tap_kind kind,
                               const ikh_dgram *dg, ikh_time_ms t);

/** Direction(s) a schedule entry changes. */
typedef enum ikh_sim_dir {
    IKH_SIM_AB = 1,   /**< from the link's first address to its second */
    IKH_SIM_BA = 2,   /**< the other way */
    IKH_SIM_BOTH = 3, /**< both */
} ikh_sim_dir;

/** Sim configuration (copied by ikh_sim_new()). */
typedef struct ikh_sim_config {
    uint64_t seed;                 /**< seeds faults and node DRBGs */
    const ikh_mem *mem;            /**< allocator; NULL: malloc/free */
    ikh_metrics *metrics;          /**< handed to node envs; may be NULL */
    ikh_sim_faults default_faults; /**< for pairs without a link */
    uint16_t natt_port;            /**< marker rule; 0 means 4500 */
    uint64_t max_steps;            /**< per ikh_sim_run(); 0: default */
    ikh_sim_tap_fn tap;            /**< may be NULL */
    void *tap_user;                /**< handed back to tap (borrowed) */
} ikh_sim_config;

/** Counters kept by the sim. */
typedef struct ikh_sim_stats {
    uint64_t sent;        /**< datagrams handed to the network */
    uint64_t delivered;   /**< datagrams given to a node */
    uint64_t lost;        /**< dropped by the loss fault */
    uint64_t duplicated;  /**< extra copies made */
    uint64_t reordered;   /**< copies held back */
    uint64_t bitflips;    /**< copies with a flipped bit */
    uint64_t corrupted;   /**< copies with a changed octet */
    uint64_t truncated;   /**< copies cut short */
    uint64_t no_route;    /**< no node at the destination address */
    uint64_t queue_full;  /**< refused: queue full */
    uint64_t nomem;       /**< refused: allocation failed */
    uint64_t node_errors; /**< recv/expire hooks that returned an error */
    uint64_t steps;       /**< steps run (all ikh_sim_run() calls) */
} ikh_sim_stats;

/** Why ikh_sim_run() returned. */
typedef enum ikh_sim_stop {
    IKH_SIM_IDLE,       /**< nothing in flight and no deadline */
    IKH_SIM_TIME_LIMIT, /**< the next thing is after @p until */
} ikh_sim_stop;

/** A simulation (opaque). */
typedef struct ikh_sim ikh_sim;

/**
 * @brief Create a simulation at virtual time 0.
 * @param cfg configuration (copied; borrowed pointers inside must outlive
 *            the sim)
 * @param out receives the sim, freed with ikh_sim_free() (borrowed)
 * @return IKH_OK; ARG_INVALID when an argument is NULL or a percentage is
 *         over 100; ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_sim_new(const ikh_sim_config *cfg, ikh_sim **out);

/**
 * @brief Free a sim and every datagram still in flight.
 * @param sim the sim; NULL is a no-op
 */
void ikh_sim_free(ikh_sim *sim);

/**
 * @brief Add a node reachable at @p addr.
 * @param sim  the sim (borrowed)
 * @param addr its address (copied); datagrams to it go to this node
 * @param ops  its hooks (borrowed for the sim's lifetime)
 * @param node handed back to the hooks (borrowed for the sim's lifetime)
 * @param idx  receives the node index, 0, 1, ... (borrowed; may be NULL)
 * @return IKH_OK; ARG_INVALID (NULL argument, bad family, hook missing);
 *         ENV_SIM_LIMIT when IKH_SIM_MAX_NODES nodes exist.
 */
IKH_MUST_USE ikh_err ikh_sim_node_add(ikh_sim *sim, const ikh_addr *addr,
                                      const ikh_sim_node_ops *ops, void *node,
                                      size_t *idx);

/**
 * @brief The environment of node @p idx: its send hook puts datagrams on
 *        the network, its rand hook is the node's DRBG.
 * @param sim the sim (borrowed)
 * @param idx node index
 * @param env receives the environment; valid as long as the sim (borrowed)
 * @return IKH_OK; ARG_INVALID when an argument is NULL or idx is unknown.
 */
IKH_MUST_USE ikh_err ikh_sim_node_env(ikh_sim *sim, size_t idx, ikh_env *env);

/**
 * @brief Add a link between two addresses with a profile per direction.
 * @param sim the sim (borrowed)
 * @param a   first address (copied) @param b second address (copied)
 * @param ab  profile from a to b (copied) @param ba profile from b to a
 * @param link receives the link index (borrowed; may be NULL)
 * @return IKH_OK; ARG_INVALID (NULL argument or a percentage over 100);
 *         ENV_SIM_LIMIT when IKH_SIM_MAX_LINKS links exist.
 */
IKH_MUST_USE ikh_err ikh_sim_link_add(ikh_sim *sim, const ikh_addr *a,
                                      const ikh_addr *b,
                                      const ikh_sim_faults *ab,
                                      const ikh_sim_faults *ba, size_t *link);

/**
 * @brief Switch a link's profile at virtual time @p at.
 * @param sim  the sim (borrowed)
 * @param at   when (an entry in the past applies at the next step)
 * @param link link index
 * @param dir  direction(s) changed
 * @param f    new profile (copied)
 * @return IKH_OK; ARG_INVALID (unknown link, bad dir, NULL, percentage over
 *         100); ENV_SIM_LIMIT when IKH_SIM_MAX_SCHEDULE entries exist.
 */
IKH_MUST_USE ikh_err ikh_sim_schedule(ikh_sim *sim, ikh_time_ms at, size_t link,
                                      ikh_sim_dir dir, const ikh_sim_faults *f);

/**
 * @brief Put a datagram on the network at the current time, as a node's
 *        send hook does (for tests and external traffic).
 * @param sim the sim (borrowed)
 * @param dg  datagram (copied)
 * @return IKH_OK (a lost datagram is also OK: the network lost it);
 *         ARG_INVALID (NULL, bad family, data over IKH_SIM_DGRAM_MAX);
 *         ENV_SIM_QUEUE_FULL; ENV_NOMEM. Refused datagrams are tapped as
 *         dropped.
 */
IKH_MUST_USE ikh_err ikh_sim_send(ikh_sim *sim, const ikh_dgram *dg);

/**
 * @brief Run until nothing is left to do or the next thing is after
 *        @p until (either way the clock ends at @p until when it is not
 *        IKH_TIME_NEVER).
 * @param sim   the sim (borrowed)
 * @param until time limit; IKH_TIME_NEVER runs until idle
 * @param why   receives why it stopped (borrowed; may be NULL)
 * @return IKH_OK; ARG_INVALID when sim is NULL; ENV_SIM_STEPS when the
 *         step limit was reached (a node whose deadline does not move, or
 *         traffic that never ends): fix the node or raise max_steps.
 */
IKH_MUST_USE ikh_err ikh_sim_run(ikh_sim *sim, ikh_time_ms until,
                                 ikh_sim_stop *why);

/**
 * @brief The virtual clock.
 * @param sim the sim (borrowed)
 * @return the current virtual time; 0 for NULL.
 */
ikh_time_ms ikh_sim_now(const ikh_sim *sim);

/**
 * @brief Read the counters.
 * @param sim the sim (borrowed) @param out receives them (borrowed); all
 *            zero when sim is NULL
 */
void ikh_sim_stats_get(const ikh_sim *sim, ikh_sim_stats *out);

#endif /* IKH_SIM_H */
