/* SPDX-License-Identifier: MIT */
/**
 * @file esp.h
 * @brief The ESP data plane (RFC 4303): one-direction ESP SAs with
 *        encapsulation and decapsulation in caller buffers, the anti-replay
 *        window with Extended Sequence Numbers (RFC 4303 §3.4.3, App. A),
 *        and UDP encapsulation helpers (RFC 3948).
 *
 * Nothing here allocates: SAs live in caller memory and packets are
 * processed in place in caller buffers with headroom and tailroom.
 * Decapsulation order (../shared/STYLE.md §10): parse -> replay check (no
 * state change) -> ICV/AEAD verify (constant time) -> replay accept ->
 * plaintext. A packet that fails any step never moves the window.
 */
#ifndef IKH_ESP_H
#define IKH_ESP_H

#include "ikh/common.h"
#include "ikh/crypto.h"

/** Smallest anti-replay window (RFC 4303 §3.4.3: at least 32; 64 default). */
#define IKH_ESP_WINDOW_MIN 64u
/** Largest anti-replay window. */
#define IKH_ESP_WINDOW_MAX 4096u
/** ESP header: SPI and sequence number (RFC 4303 §2). */
#define IKH_ESP_HDR_LEN 8u
/** Headroom encapsulation needs in front of the payload: ESP header and
 *  the largest IV (16 for AES-CBC). */
#define IKH_ESP_HEADROOM (IKH_ESP_HDR_LEN + 16u)
/** Tailroom encapsulation needs behind the payload: padding (up to 255),
 *  Pad Length, Next Header and the largest ICV. */
#define IKH_ESP_TAILROOM (255u + 2u + IKH_ICV_MAX)
/** Next Header of a dummy packet (RFC 4303 §2.6: IPv6 No Next Header). */
#define IKH_ESP_NH_DUMMY 59u
/** Next Header for tunnel mode with an inner IPv4 packet. */
#define IKH_ESP_NH_IPV4 4u
/** Next Header for tunnel mode with an inner IPv6 packet. */
#define IKH_ESP_NH_IPV6 41u

/** The anti-replay window of one inbound SA. Caller memory. */
typedef struct ikh_esp_replay {
    uint64_t top;  /**< highest sequence number accepted (64 bits with
                        ESN, else < 2^32); 0: none accepted yet */
    uint32_t size; /**< window size in packets, power of two */
    bool esn;      /**< Extended Sequence Numbers */
    uint64_t
        ring[IKH_ESP_WINDOW_MAX / 64]; /**< bitmap ring of size bits:
                                            bit (seq mod size) set = seen */
} ikh_esp_replay;

/**
 * @brief Set up an empty window.
 * @param r caller memory @param size power of two in
 *        [IKH_ESP_WINDOW_MIN, IKH_ESP_WINDOW_MAX] @param esn ESN in use
 * @return IKH_OK or ARG_RANGE (size not a power of two or out of range).
 */
IKH_MUST_USE ikh_err ikh_esp_replay_init(ikh_esp_replay *r, uint32_t size,
                                         bool esn);

/**
 * @brief Check a received sequence number; changes nothing.
 * @param r window (borrowed)
 * @param seq_low the 32-bit Sequence Number field of the packet
 * @param seq receives the full sequence number: with ESN, the high 32
 *        bits inferred as in RFC 4303 Appendix A (the value the ICV must
 *        be checked with); without ESN, seq_low
 * @return IKH_OK (new, within or ahead of the window); ESP_REPLAYED (seen
 *         already); ESP_TOO_OLD (left of the window); ESP_SEQ_ZERO
 *         (sequence number 0 without ESN: never sent, §3.3.3).
 */
IKH_MUST_USE ikh_err ikh_esp_replay_check(const ikh_esp_replay *r,
                                          uint32_t seq_low, uint64_t *seq);

/**
 * @brief Record a sequence number whose packet passed the integrity check
 *        (slides the window when it is ahead).
 * @param r window @param seq the full number from ikh_esp_replay_check()
 */
void ikh_esp_replay_accept(ikh_esp_replay *r, uint64_t seq);

/** How one direction of a Child SA is keyed (keys are copied). */
typedef struct ikh_esp_sa_config {
    uint32_t spi;                /**< SPI (the receiver's) */
    bool outbound;               /**< we encapsulate with it */
    const ikh_xform_desc *encr;  /**< ENCR transform (registry; ESP) */
    const ikh_xform_desc *integ; /**< INTEG transform; NULL for AEAD */
    ikh_span encr_key;           /**< key_len octets (salt included) */
    ikh_span integ_key;          /**< integ key_len octets */
    bool esn;                    /**< Extended Sequence Numbers */
    uint32_t window;             /**< inbound: replay window; 0: 64 */
    uint64_t soft_packets;       /**< outbound: ask for a rekey after
                                      this many packets; 0: 2^32 - 2^16
                                      without ESN, 2^63 with */
    uint64_t hard_packets;       /**< outbound: refuse after this many;
                                      0: 2^32 - 1 without ESN, 2^64 - 1 */
} ikh_esp_sa_config;

/** Per-SA counters. */
typedef struct ikh_esp_counters {
    uint64_t packets;      /**< packets encapsulated / decapsulated */
    uint64_t octets;       /**< payload octets of those */
    uint64_t dummies;      /**< dummy packets (Next Header 59) received */
    uint64_t replayed;     /**< dropped: replayed or too old */
    uint64_t icv_failures; /**< dropped: ICV / AEAD tag mismatch */
    uint64_t malformed;    /**< dropped: truncated, bad padding, pad length,
                                next header */
} ikh_esp_counters;

/** One direction of a Child SA (caller memory; wipe with _fini). */
typedef struct ikh_esp_sa {
    uint32_t spi;                   /**< SPI (the receiver's) */
    bool outbound;                  /**< true: we encapsulate with it */
    const ikh_xform_desc *encr;     /**< ENCR transform (registry) */
    const ikh_xform_desc *integ;    /**< INTEG or NULL */
    ikh_crypto_ctx encr_ctx;        /**< keyed cipher */
    uint8_t integ_key[IKH_PRF_MAX]; /**< integrity key */
    size_t integ_key_len;           /**< octets of integ_key (0: AEAD) */
    bool esn;                       /**< Extended Sequence Numbers */
    uint64_t seq;                   /**< outbound: last sequence number sent */
    uint64_t soft_packets;          /**< outbound soft limit */
    uint64_t hard_packets;          /**< outbound hard limit */
    bool soft_reported;             /**< the soft limit was reported once */
    ikh_esp_replay replay;          /**< inbound window */
    ikh_esp_counters counters;      /**< packets and drops so far */
} ikh_esp_sa;

/**
 * @brief Key an SA.
 * @param sa caller memory @param cfg configuration (keys copied)
 * @return IKH_OK; ARG_INVALID (NULL, a transform not usable for ESP, key
 *         length wrong, AEAD with an INTEG transform, non-AEAD without);
 *         ARG_RANGE (window).
 */
IKH_MUST_USE ikh_err ikh_esp_sa_init(ikh_esp_sa *sa,
                                     const ikh_esp_sa_config *cfg);

/** @brief Wipe the keys. @param sa SA (NULL is a no-op) */
void ikh_esp_sa_fini(ikh_esp_sa *sa);

/**
 * @brief Encapsulate in place (RFC 4303 §3.3): ESP header and IV go into
 *        the headroom, padding, Pad Length, Next Header and ICV into the
 *        tailroom.
 * @param sa outbound SA
 * @param buf caller buffer @param cap its size
 * @param off offset of the payload in buf (>= IKH_ESP_HEADROOM)
 * @param len payload length (the inner packet in tunnel mode)
 * @param next_header Next Header (4, 41, or the transport protocol; 59 for
 *        a dummy packet)
 * @param tfc_pad extra zero octets of TFC padding after the payload
 *        (RFC 4303 §2.4), usually 0
 * @param rnd random source for CBC IVs (borrowed; unused otherwise: the
 *        8-octet IV of GCM, CTR and ChaCha20-Poly1305 is the sequence
 *        number, unique per key as RFC 4106 §3.1 and RFC 7634 §2 require)
 * @param out receives the ESP packet (SPI .. ICV) inside buf
 * @param soft receives true the first time the soft limit is reached (ask
 *        the IKE side for a rekey); may be NULL
 * @return IKH_OK; ESP_SEQ_EXHAUSTED (hard limit: nothing sent, §3.3.3);
 *         ESP_NOBUF (not enough headroom or tailroom); ARG_INVALID.
 */
IKH_MUST_USE ikh_err ikh_esp_sa_encap(ikh_esp_sa *sa, uint8_t *buf, size_t cap,
                                      size_t off, size_t len,
                                      uint8_t next_header, size_t tfc_pad,
                                      const ikh_rand *rnd, ikh_span *out,
                                      bool *soft);

/**
 * @brief Seal with a given sequence number and IV (known-answer tests;
 *        ikh_esp_sa_encap() uses it). Same buffers as encap; does not
 *        move sa->seq.
 * @param sa outbound SA @param seq full sequence number (low 32 bits go in
 *        the header; the high ones are authenticated with ESN)
 * @param iv the IV octets (iv_len of the transform)
 * @param buf caller buffer @param cap its size @param off payload offset
 * @param len payload length @param next_header Next Header
 * @param tfc_pad TFC padding octets @param out receives the ESP packet
 * @return as ikh_esp_sa_encap() but never ESP_SEQ_EXHAUSTED.
 */
IKH_MUST_USE ikh_err ikh_esp_sa_seal(ikh_esp_sa *sa, uint64_t seq,
                                     const uint8_t *iv, uint8_t *buf,
                                     size_t cap, size_t off, size_t len,
                                     uint8_t next_header, size_t tfc_pad,
                                     ikh_span *out);

/**
 * @brief Decapsulate in place (RFC 4303 §3.4) and update the window.
 * @param sa inbound SA (its SPI must match the packet's; the caller looks
 *        the SA up by SPI)
 * @param pkt the ESP packet (SPI .. ICV), writable
 * @param len its length
 * @param payload receives the plaintext payload inside pkt (TFC padding
 *        included when the sender added some; tunnel mode callers take
 *        the inner IP length from the inner header)
 * @param next_header receives the Next Header
 * @return IKH_OK; ESP_TRUNCATED; ESP_REPLAYED; ESP_TOO_OLD; ESP_SEQ_ZERO;
 *         CRYPTO_ICV (ICV or tag mismatch, checked in constant time);
 *         ESP_PADDING (padding octets not 1, 2, 3, ...); ESP_PAD_LEN (pad
 *         length past the data); ESP_DUMMY (a dummy packet: drop it
 *         silently, the window moved). Only IKH_OK and ESP_DUMMY change
 *         the window; every failure is counted in sa->counters.
 */
IKH_MUST_USE ikh_err ikh_esp_sa_decap(ikh_esp_sa *sa, uint8_t *pkt, size_t len,
                                      ikh_span *payload, uint8_t *next_header);

/**
 * @brief Read the SPI of an ESP packet (to find its SA).
 * @param pkt the packet (borrowed) @param spi receives the SPI
 * @return IKH_OK or ESP_TRUNCATED.
 */
IKH_MUST_USE ikh_err ikh_esp_peek_spi(ikh_span pkt, uint32_t *spi);

#endif /* IKH_ESP_H */
