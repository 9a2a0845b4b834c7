/* SPDX-License-Identifier: MIT */
/**
 * @file env.h
 * @brief The environment a node runs in (../shared/STYLE.md §4): datagrams
 *        with addresses and ports, the send, random and log hooks, the
 *        allocator and the metrics sink.
 *
 * The stack never reads a clock, opens a socket or asks the OS for random
 * bytes. Time comes in as a value on every call, outgoing datagrams leave
 * through ikh_env::send, random bytes come from ikh_env::rand (by default a
 * seeded ::ikh_drbg, see drbg.h), and heap memory comes from ikh_env::mem.
 * The helpers below wrap the hooks so that a failing hook always becomes an
 * IKH_ERR_ENV_* code plus a metric, never a silent loss.
 *
 * Datagram conventions (::ikh_dgram):
 *  - data is the IKE message or the ESP packet, never the 4-octet non-ESP
 *    marker (RFC 3948 §2.2): the marker is a flag, added on the wire by the
 *    driver (or the pcap tap) and stripped on receipt;
 *  - an ESP packet with both ports 0 travels as IP protocol 50; with ports
 *    it is UDP-encapsulated (RFC 3948);
 *  - the marker rule (ikh_dgram_marker_rule()): an IKE message carries the
 *    marker when either port is the NAT-T port or when neither port is 500.
 */
#ifndef IKH_ENV_H
#define IKH_ENV_H

#include "ikh/common.h"
#include "ikh/log.h"

/** The IKE port (RFC 7296 §2). */
#define IKH_PORT_IKE 500u
/** The usual NAT-T port (RFC 3948). */
#define IKH_PORT_NATT 4500u

/** An IP address, v4 or v6. */
typedef struct ikh_addr {
    uint8_t family; /**< 4 or 6 */
    uint8_t a[16];  /**< address, first 4 octets used for IPv4 */
} ikh_addr;

/** One datagram with its addresses. Borrowed by every hook it is given to. */
typedef struct ikh_dgram {
    ikh_addr src;        /**< IP source */
    ikh_addr dst;        /**< IP destination (same family as src) */
    uint16_t sport;      /**< UDP source port (0 with dport 0: ESP over IP) */
    uint16_t dport;      /**< UDP destination port */
    bool esp;            /**< data is an ESP packet, not an IKE message */
    bool non_esp_marker; /**< IKE only: the 4-octet zero marker precedes
                              data on the wire (set by the sender with
                              ikh_dgram_marker_rule(); set on receipt when
                              it was present) */
    ikh_span data;       /**< IKE message or ESP packet (borrowed) */
} ikh_dgram;

/** The allocator hook. Both functions get @p user back. */
typedef struct ikh_mem {
    /** Allocate @p size octets (suitably aligned for any object).
     *  @param user ikh_mem::user
     *  @param size octets wanted (ikh_env_alloc() never asks for 0)
     *  @return the memory, owned by the caller until free; NULL on failure
     *          (the stack reports IKH_ERR_ENV_NOMEM and counts it). */
    void *(*alloc)(void *user, size_t size);
    /** Free what alloc returned.
     *  @param user ikh_mem::user
     *  @param p    memory from alloc (ownership returns to the allocator);
     *              NULL must be a no-op */
    void (*free)(void *user, void *p);
    void *user; /**< handed back to both */
} ikh_mem;

/** The environment of a node (STYLE §4). Caller memory; all borrowed. */
typedef struct ikh_env {
    void *user; /**< handed back to send and log (and rand when rand_user
                     is NULL) */
    /** Send a datagram. Must not call back into the node.
     *  @param user ikh_env::user
     *  @param dg   the datagram, borrowed for the call: copy what you keep
     *              (dg->data points into the node's own buffer)
     *  @return 0 when sent (or queued); any other value: lost, which the
     *          node reports as IKH_ERR_ENV_SEND and counts
     *          (ikh_env_send_failures_total). */
    int (*send)(void *user, const ikh_dgram *dg);
    /** Fill @p out with @p len random octets; default ikh_drbg_rand().
     *  It cannot fail: it must always fill all @p len octets. For real
     *  traffic the octets must come from a CSPRNG; a deterministic
     *  generator (the default DRBG) is for replayable tests.
     *  @param user ikh_env::rand_user, or ikh_env::user when that is NULL
     *  @param out  receives @p len octets (borrowed for the call)
     *  @param len  octets wanted */
    void (*rand)(void *user, uint8_t *out, size_t len);
    /** Handed to rand instead of user when not NULL (the default DRBG). */
    void *rand_user;
    /** Log one JSON line (see log.h); NULL: no log.
     *  @param user ikh_env::log_user, or ikh_env::user when that is NULL
     *  @param lvl  the event's level
     *  @param line the JSON object, NUL-terminated, without a trailing
     *              newline (borrowed for the call; see ::ikh_log_fn)
     *  @param len  its length, the NUL excluded */
    void (*log)(void *user, ikh_level lvl, const char *line, size_t len);
    /** Handed to log instead of user when not NULL (a driver owns user). */
    void *log_user;
    const ikh_mem *mem;   /**< NULL: malloc/free */
    ikh_metrics *metrics; /**< NULL: not counted */
} ikh_env;

/**
 * @brief Allocate through the environment's allocator.
 * @param env environment (borrowed); NULL or a NULL mem uses malloc
 * @param size octets (0 is treated as 1)
 * @param out receives the memory, to be released with ikh_env_free(); NULL
 *            on failure (borrowed)
 * @return IKH_OK; ARG_INVALID when @p out is NULL; ENV_NOMEM when the
 *         allocator refused (counted in ikh_env_alloc_failures_total): the
 *         caller gives up the operation and reports the error.
 */
IKH_MUST_USE ikh_err ikh_env_alloc(const ikh_env *env, size_t size, void **out);

/**
 * @brief Free memory from ikh_env_alloc() (NULL is a no-op).
 * @param env the environment it came from (borrowed; may be NULL as for
 *            ikh_env_alloc())
 * @param p   memory, owned by the caller until this call
 */
void ikh_env_free(const ikh_env *env, void *p);

/**
 * @brief Hand a datagram to the send hook.
 * @param env environment (borrowed)
 * @param dg  datagram (borrowed for the call)
 * @return IKH_OK; ARG_INVALID when an argument is NULL; ENV_SEND when no
 *         hook is set or it returned non-zero (counted in
 *         ikh_env_send_failures_total): the datagram is lost, and the
 *         caller treats it as lost on the network (retransmission covers it).
 */
IKH_MUST_USE ikh_err ikh_env_send(const ikh_env *env, const ikh_dgram *dg);

/**
 * @brief Fill @p out from the rand hook.
 * @param env environment (borrowed); its rand hook must be set
 * @param out receives @p len octets (borrowed)
 * @param len octets wanted
 * @return IKH_OK; ARG_INVALID when env, its rand hook or out is NULL.
 */
IKH_MUST_USE ikh_err ikh_env_rand(const ikh_env *env, uint8_t *out, size_t len);

/**
 * @brief The non-ESP marker rule: should an IKE message between these
 *        ports carry the marker?
 * @param sport      UDP source port
 * @param dport      UDP destination port
 * @param natt_port  the NAT-T port in use (usually IKH_PORT_NATT)
 * @return true when either port is @p natt_port or neither port is 500.
 */
bool ikh_dgram_marker_rule(uint16_t sport, uint16_t dport, uint16_t natt_port);

/**
 * @brief Compare two addresses (family, then octets).
 * @param a first address (borrowed)
 * @param b second address (borrowed)
 * @return <0, 0 or >0: a total order that does not depend on pointers.
 */
int ikh_addr_cmp(const ikh_addr *a, const ikh_addr *b);

/**
 * @brief Build an IPv4 address from four octets.
 * @param a first octet @param b second @param c third @param d fourth
 * @return the address (family 4).
 */
ikh_addr ikh_addr_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

/**
 * @brief Format an address as text: dotted IPv4, RFC 5952 IPv6.
 * @param a address (borrowed; family 4 or 6, else "")
 * @param buf caller memory @param len its size (46 fits any address)
 * @return buf (truncated text when len is short)
 */
const char *ikh_addr_str(const ikh_addr *a, char *buf, size_t len);

/** A test allocator that fails on demand (ikh_mem_fail_init()). */
typedef struct ikh_mem_fail {
    ikh_mem mem;          /**< hand &mem to the code under test */
    const ikh_mem *inner; /**< the allocator under it (borrowed); NULL:
                               malloc/free. Set after ikh_mem_fail_init() */
    uint64_t calls;       /**< alloc calls so far */
    uint64_t fail_at;     /**< 1-based call number that fails; 0: none */
    bool sticky;          /**< every call after fail_at fails as well */
    uint64_t failures;    /**< calls refused: injected, or refused by the
                               allocator under it */
    uint64_t live;        /**< allocations not yet freed */
} ikh_mem_fail;

/**
 * @brief Set up a failure-injecting allocator over malloc/free (or over
 *        f->inner when the caller sets it afterwards).
 * @param f       allocator (caller memory, borrowed while in use)
 * @param fail_at 1-based number of the alloc call to refuse; 0 refuses none
 * @param sticky  refuse every call from @p fail_at on
 */
void ikh_mem_fail_init(ikh_mem_fail *f, uint64_t fail_at, bool sticky);

#endif /* IKH_ENV_H */
