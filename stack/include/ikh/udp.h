/* SPDX-License-Identifier: MIT */
/**
 * @file udp.h
 * @brief The udp driver: real UDP sockets (IPv4 or IPv6) on an IKE port
 *        and a NAT-T port, the real monotonic clock, and OS randomness
 *        unless a seed is given. The only code of the stack that touches
 *        sockets, clocks or the OS random source (ci/check-includes.sh).
 *
 * One ::ikh_udp binds one local address (family 4 or 6) on two ports.
 * Sending picks the socket whose port is the datagram's source port (0:
 * the IKE port). The non-ESP marker (RFC 3948 §2.2) goes in front of an
 * IKE message when ikh_dgram_marker_rule(sport, dport, natt_port) says so
 * (either port is the NAT-T port, or neither is 500); ESP is sent
 * UDP-encapsulated without it. Receiving applies the same rule the other
 * way: where the marker is expected, a datagram starting with it is IKE
 * (marker stripped), a single 0xFF octet is a NAT keepalive (skipped and
 * counted), anything else is ESP; elsewhere the datagram is IKE.
 *
 * Time: ikh_udp_now() reads CLOCK_MONOTONIC in milliseconds; ikh_udp_recv()
 * waits with poll() until a datagram arrives or the deadline passes.
 */
#ifndef IKH_UDP_H
#define IKH_UDP_H

#include "ikh/drbg.h"
#include "ikh/env.h"

/** Largest datagram received (bigger ones are truncated and dropped). */
#define IKH_UDP_DGRAM_MAX 65535u

/** What the udp tap is told about. */
typedef enum ikh_udp_tap_kind {
    IKH_UDP_TAP_SENT,     /**< handed to the kernel */
    IKH_UDP_TAP_RECEIVED, /**< read from a socket (marker stripped) */
} ikh_udp_tap_kind;

/** Tap callback: @p dg borrowed for the call, @p t from ikh_udp_now().
 *  @param user ikh_udp_config::tap_user
 *  @param kind sent or received
 *  @param dg   the datagram (borrowed for the call)
 *  @param t    the time, from ikh_udp_now() */
typedef void (*ikh_udp_tap_fn)(void *user, ikh_udp_tap_kind kind,
                               const ikh_dgram *dg, ikh_time_ms t);

/** Configuration (copied by ikh_udp_open()). */
typedef struct ikh_udp_config {
    ikh_addr local;       /**< address to bind: its family picks v4 or v6 */
    uint16_t ike_port;    /**< IKE port; 0: ephemeral */
    uint16_t natt_port;   /**< NAT-T port; 0: ephemeral */
    bool seeded;          /**< use a DRBG seeded with seed, not getrandom */
    uint64_t seed;        /**< the seed when seeded */
    ikh_udp_tap_fn tap;   /**< may be NULL */
    void *tap_user;       /**< handed back to tap (borrowed) */
    ikh_metrics *metrics; /**< handed to ikh_udp_env(); may be NULL */
} ikh_udp_config;

/** Counters. */
typedef struct ikh_udp_stats {
    uint64_t sent;       /**< datagrams sent */
    uint64_t received;   /**< datagrams returned by ikh_udp_recv() */
    uint64_t keepalives; /**< NAT keepalives skipped */
    uint64_t dropped;    /**< too big or from another family, skipped */
} ikh_udp_stats;

/** A udp driver (opaque). */
typedef struct ikh_udp ikh_udp;

/**
 * @brief Bind both sockets.
 * @param cfg configuration (copied)
 * @param out receives the driver, closed with ikh_udp_close() (borrowed)
 * @return IKH_OK; ARG_INVALID (NULL, bad family); ENV_SOCKET (socket or
 *         bind failed: port busy, address not local); ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_udp_open(const ikh_udp_config *cfg, ikh_udp **out);

/**
 * @brief Close the sockets and free the driver.
 * @param u the driver; NULL is a no-op
 */
void ikh_udp_close(ikh_udp *u);

/**
 * @brief The ports actually bound (useful with ephemeral ports).
 * @param u driver (borrowed) @param ike receives the IKE port (may be NULL)
 * @param natt receives the NAT-T port (may be NULL)
 */
void ikh_udp_ports(const ikh_udp *u, uint16_t *ike, uint16_t *natt);

/**
 * @brief Send a datagram (marker rule applied, see the file comment).
 * @param u  driver (borrowed)
 * @param dg datagram (borrowed): dst family must be the driver's, sport
 *           the IKE port, the NAT-T port or 0 (the IKE port); ESP needs
 *           ports (ESP over IP is not supported here)
 * @return IKH_OK; ARG_INVALID (family, port, ESP without ports, too big);
 *         ENV_SOCKET (the kernel refused: count it as a lost datagram).
 */
IKH_MUST_USE ikh_err ikh_udp_send(ikh_udp *u, const ikh_dgram *dg);

/**
 * @brief The env send hook over ikh_udp_send() (user = the driver).
 * @param user the ::ikh_udp @param dg datagram (borrowed)
 * @return 0 when sent, -1 otherwise.
 */
int ikh_udp_send_hook(void *user, const ikh_dgram *dg);

/**
 * @brief Wait for one datagram until @p deadline.
 * @param u        driver (borrowed)
 * @param deadline absolute time (ikh_udp_now() scale); IKH_TIME_NEVER waits
 *                 for ever; a past deadline only polls
 * @param buf      receives the datagram's octets (borrowed)
 * @param cap      its capacity (IKH_UDP_DGRAM_MAX is always enough)
 * @param out      receives the datagram; out->data points into buf
 * @param got      receives true when a datagram came, false on timeout
 * @return IKH_OK; ARG_INVALID; ENV_SOCKET (poll or recvfrom failed);
 *         ENV_CLOCK.
 */
IKH_MUST_USE ikh_err ikh_udp_recv(ikh_udp *u, ikh_time_ms deadline,
                                  uint8_t *buf, size_t cap, ikh_dgram *out,
                                  bool *got);

/**
 * @brief Read the monotonic clock (CLOCK_MONOTONIC) in milliseconds.
 * @param out receives the time (borrowed)
 * @return IKH_OK; ARG_INVALID (NULL); ENV_CLOCK.
 */
IKH_MUST_USE ikh_err ikh_udp_now(ikh_time_ms *out);

/**
 * @brief The env rand hook of the driver: getrandom(), or the seeded DRBG.
 * @param user the ::ikh_udp @param out receives @p len octets
 * @param len octets wanted
 *
 * getrandom() failing (no entropy source) cannot be reported through the
 * hook: the octets are then zero and ikh_udp_rand_failures() counts it.
 */
void ikh_udp_rand(void *user, uint8_t *out, size_t len);

/**
 * @brief How often getrandom() failed in ikh_udp_rand().
 * @param u driver (borrowed)
 * @return the count; 0 for NULL.
 */
uint64_t ikh_udp_rand_failures(const ikh_udp *u);

/**
 * @brief An environment over the driver: send, rand and metrics.
 * @param u driver (borrowed for the environment's lifetime)
 * @param env receives the environment (borrowed)
 */
void ikh_udp_env(ikh_udp *u, ikh_env *env);

/**
 * @brief Read the counters.
 * @param u driver (borrowed) @param out receives them (borrowed)
 */
void ikh_udp_stats_get(const ikh_udp *u, ikh_udp_stats *out);

#endif /* IKH_UDP_H */
