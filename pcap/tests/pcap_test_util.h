/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the pcap tests: where temporary captures go, a
 * header-only IKE message, and a small frame builder (link, IPv4/IPv6,
 * UDP) for hand-made frames that ikh_frame_decode() takes apart.
 * Include after <cmocka.h>.
 */
#ifndef IKH_PCAP_TEST_UTIL_H
#define IKH_PCAP_TEST_UTIL_H

#include "ikh/bytes.h"
#include "ikh/pcap.h"
#include "ikh/replay.h"

/** Length of a header-only IKE message. */
#define PTU_IKE_LEN 28u

/**
 * Build "<IKH_TEST_TMPDIR>/<name>" into buf; fails the test when the
 * variable is unset (temporary files never go to the source tree).
 */
void ptu_path(char *buf, size_t len, const char *name);

/** A 28-octet IKEv2 header with Next Payload 0 and Length 28. */
void ptu_ike(uint8_t out[PTU_IKE_LEN], uint8_t exch, uint32_t mid);

/** Parse an address or fail the test. */
ikh_addr ptu_addr(const char *s);

/** What a hand-built frame looks like. */
typedef struct ptu_frame_spec {
    int linktype;       /**< IKH_LINK_* */
    unsigned ipver;     /**< 4 or 6 */
    unsigned vlan_tags; /**< Ethernet only: 802.1Q tags to add */
    uint8_t ip_proto;   /**< 17 (UDP) or 50 (ESP) */
    uint16_t sport, dport;
    const uint8_t *ext; /**< IPv6 only: extension headers to insert */
    size_t ext_len;     /**<   their length */
    uint8_t ext_first;  /**<   Next Header naming the first one */
    const uint8_t *pay; /**< UDP payload, or the ESP packet */
    size_t pay_len;
} ptu_frame_spec;

/**
 * Build a well-formed frame as described; returns its length and records
 * where the IP and UDP headers start (either pointer may be NULL).
 */
size_t ptu_frame(const ptu_frame_spec *sp, uint8_t *buf, size_t cap,
                 size_t *ip_at, size_t *udp_at);

/** Write a file with exactly these bytes. */
void ptu_write_file(const char *path, const uint8_t *p, size_t len);

/**
 * The tool named by the environment variable env (set by CMake's
 * find_program), else dflt from PATH. Fails the test when CMake did not
 * find it: tests that need tshark or editcap never skip.
 */
const char *ptu_tool(const char *env, const char *dflt);

/** snprintf that fails the test instead of truncating. */
__attribute__((format(printf, 3, 4))) void ptu_fmt(char *buf, size_t cap,
                                                   const char *f, ...);

/** Fail the test when s holds a single quote (commands quote paths). */
void ptu_check_quotable(const char *s);

/**
 * Run cmd through the shell, keep up to cap - 1 octets of its stdout in out
 * (NUL-terminated; the rest is read and dropped), and fail the test unless
 * it exits 0.
 */
void ptu_run(const char *cmd, char *out, size_t cap);

/** The strongSwan reference capture cases (corpus/pcap/strongswan/). */
extern const char *const ptu_ss_cases[];
/** How many there are. */
extern const size_t ptu_ss_n_cases;

/** "$IKH_SOURCE_DIR/corpus/pcap/strongswan/<c>/<file>" into buf; fails the
 *  test when IKH_SOURCE_DIR is unset. */
void ptu_ss_path(char *buf, size_t cap, const char *c, const char *file);

/** A key set with case @p c's ike_keys.csv and esp_keys.csv (fails the
 *  test on any error); free with ikh_capdec_keys_free(). */
ikh_capdec_keys *ptu_ss_keys(const char *c);

/** Print every violation a replay recorded (frame, rule ID, detail):
 *  context for a failing replay test. */
void ptu_replay_dump_fails(const ikh_replay *r);

#endif /* IKH_PCAP_TEST_UTIL_H */
