/* SPDX-License-Identifier: MIT */
/**
 * @file capdec.h
 * @brief Our own decryption check of a capture: load the key files a run
 *        folder holds (ike_keys.csv, esp_keys.csv), then verify and decrypt
 *        every IKE Encrypted payload (SK, SKF) and every ESP packet of a
 *        keyed SA in a pcap/pcapng file.
 *
 * Why: tshark 4.0 cannot decrypt ChaCha20-Poly1305 (RFC 7634) for IKE or
 * ESP, nor AES-XCBC, nor check ESN ICVs, so the Wireshark key tables leave
 * those SAs out. These key files list every SA, with IANA numbers instead
 * of tshark names, and this module checks them with the stack's crypto
 * registry (crypto.h) and ESP code (esp.h): no crypto of its own.
 *
 * Key files (text, one SA per line; blank lines and lines starting with
 * '#' are ignored; fields separated by ',', spaces around a field
 * ignored; hex without "0x", either case):
 * @code
 * #
 * ispi_hex,rspi_hex,sk_ei_hex,sk_er_hex,encr_id,encr_key_bits,sk_ai_hex,sk_ar_hex,integ_id
 * #
 * src,dst,spi_hex,encr_id,encr_key_bits,enc_key_hex,integ_id,integ_key_hex,esn
 * @endcode
 * ike_keys.csv: SPIs are 16 hex digits; SK_e* include the AEAD salt (RFC
 * 5282 §7.1, RFC 7634 §3), SK_a* are empty and integ_id 0 for AEAD.
 * esp_keys.csv: src and dst are the outer IPv4/IPv6 addresses, the SPI 8
 * hex digits, the encryption key includes the salt (RFC 4106 §8.1, RFC
 * 7634 §4), esn is 0 or 1. encr_key_bits is the Key Length attribute (0
 * when the transform has none, as ChaCha20-Poly1305).
 *
 * What is checked (ikh_capdec_check()), frame by frame with the capture
 * reader (pcap.h: link types, IP reassembly, UDP 500/4500 with the non-ESP
 * marker, ESP over UDP and IP protocol 50):
 *  - IKE: a message whose last (RFC 7296 §3.14: only) Encrypted payload is
 *    SK or SKF and whose SPI pair is in the keys. Keys by the Initiator
 *    flag of the header (§3.1: set by the original initiator of the SA):
 *    SK_ei/SK_ai when set, else SK_er/SK_ar. Non-AEAD: the ICV (the
 *    INTEG MAC of the message from the IKE header through Pad Length) is
 *    compared in constant time, then the ciphertext is decrypted. AEAD
 *    (RFC 5282 §5.1; ChaCha20-Poly1305 RFC 7634 §3): the tag is verified
 *    with the IKE header through the SK header as AAD; for SKF (RFC 7383
 *    §2.5) the AAD includes the Fragment Number and Total Fragments. Then
 *    the ciphertext length must fit the block size, Pad Length must fit,
 *    and for SK the inner payload chain must parse
 *    (ikh_wire_msg_parse_inner()). SKF fragments are collected per
 *    (SPIs, Message ID, direction); once all of a message's fragments
 *    (up to ::IKH_CAPDEC_MAX_FRAGS) verified, their plaintexts joined must
 *    parse as the inner chain (its first type from fragment 1).
 *  - ESP: a packet whose (SPI, destination) is in the keys (or whose SPI
 *    is, when exactly one SA has it, as behind a NAT) is verified and
 *    decrypted with ikh_esp_sa_decap() (RFC 4303 §3.4: ICV or AEAD tag,
 *    padding 1, 2, 3, ..., Pad Length). With ESN the high 32 bits come from
 *    RFC 4303 Appendix A against the highest number verified so far; a
 *    number seen twice (a duplicated datagram) is checked again, not
 *    rejected as a replay. A Next Header of 4 / 41 must start an IPv4 /
 *    IPv6 packet that fits the payload.
 * A message or packet that fails is "bad" with its frame number and the
 * reason (an ::ikh_err); one whose SPIs are not in the keys is "skipped".
 *
 * Hostile input: every length is checked through the bounded reader and
 * the wire codec; nothing is read past a span and nothing asserts on
 * capture or key file content.
 */
#ifndef IKH_CAPDEC_H
#define IKH_CAPDEC_H

#include "ikh/common.h"
#include "ikh/env.h"
#include "ikh/keytab.h"
#include "ikh/pcap.h"
#include "ikh/wire.h"

/** Most SAs of each kind (IKE, ESP) one key set holds; more is KEYS_LIMIT. */
#define IKH_CAPDEC_MAX_SAS 4096u
/** Largest key file read, in octets; larger is IO_TOO_BIG. */
#define IKH_CAPDEC_FILE_MAX (16u * 1024u * 1024u)
/** Longest key file line (longer is KEYS_SYNTAX). */
#define IKH_CAPDEC_LINE_MAX 2048u
/** Bad items kept with their frame number in ::ikh_capdec_result. */
#define IKH_CAPDEC_MAX_BAD 64u
/** Distinct failure reasons counted in ::ikh_capdec_result. */
#define IKH_CAPDEC_MAX_REASONS 16u
/** Most SKF fragments of one message joined for the inner-chain check;
 *  a message with more is checked fragment by fragment only. */
#define IKH_CAPDEC_MAX_FRAGS 64u
/** SKF messages collected at once; one more evicts the oldest (counted
 *  as incomplete). */
#define IKH_CAPDEC_MAX_REASM 8u

/** A loaded set of IKE and ESP keys (opaque; holds secrets). */
typedef struct ikh_capdec_keys ikh_capdec_keys;

/** Where a key file is wrong. */
typedef struct ikh_capdec_diag {
    ikh_err err;    /**< the error (IKH_OK when none) */
    unsigned line;  /**< 1-based line (0: not about a line) */
    unsigned field; /**< 1-based field (column) of that line; 0: the line */
    char msg[160];  /**< what is wrong, for a human ("" when none) */
} ikh_capdec_diag;

/** One ESP SA direction for esp_keys.csv (ikh_capdec_esp_write()). */
typedef struct ikh_capdec_esp_sa {
    ikh_keytab_esp sa;      /**< addresses, SPI, transforms, keys */
    uint16_t encr_key_bits; /**< Key Length attribute (0 when none) */
    bool esn;               /**< Extended Sequence Numbers */
} ikh_capdec_esp_sa;

/** A message or packet that failed. */
typedef struct ikh_capdec_bad {
    uint64_t frame; /**< 1-based capture record number */
    bool esp;       /**< an ESP packet (else an IKE message) */
    ikh_err why;    /**< CRYPTO_ICV, CRYPTO_PADDING, WIRE_*, ESP_*, ... */
} ikh_capdec_bad;

/** How often one reason made an item bad. */
typedef struct ikh_capdec_reason {
    ikh_err err;    /**< the reason */
    uint64_t count; /**< items (IKE and ESP) that failed with it */
} ikh_capdec_reason;

/** What ikh_capdec_check() found. */
typedef struct ikh_capdec_result {
    uint64_t frames;          /**< capture records read */
    uint64_t ike_msgs;        /**< IKE messages seen */
    uint64_t ike_plain;       /**< ... without SK/SKF (IKE_SA_INIT) */
    uint64_t ike_unparsed;    /**< ... whose outer part does not parse
                                   and is not a keyed SK/SKF message */
    uint64_t ike_checked;     /**< SK/SKF messages of keyed SAs */
    uint64_t ike_ok;          /**< ... that verified and decrypted */
    uint64_t ike_bad;         /**< ... that did not */
    uint64_t ike_skipped;     /**< SK/SKF messages of SAs not in the keys */
    uint64_t ike_skf_checked; /**< SKF fragments among ike_checked */
    uint64_t ike_skf_ok;      /**< SKF fragments among ike_ok */
    uint64_t ike_reassembled; /**< fragmented messages joined and parsed */
    uint64_t ike_reasm_bad;   /**< fragmented messages whose fragments all
                                   verified but whose joined chain does
                                   not parse (bad, listed in bad) */
    uint64_t ike_incomplete;  /**< fragmented messages never completed
                                   (not bad: a capture may miss some) */
    uint64_t esp_pkts;        /**< ESP packets seen */
    uint64_t esp_checked;     /**< ... of keyed SAs */
    uint64_t esp_ok;          /**< ... that verified and decrypted */
    uint64_t esp_bad;         /**< ... that did not */
    uint64_t esp_skipped;     /**< ESP packets of SAs not in the keys */
    uint64_t esp_dummies;     /**< dummy packets among esp_ok (RFC 4303
                                   §2.6, Next Header 59) */
    size_t n_bad;             /**< entries in bad (the first ones) */
    ikh_capdec_bad bad[IKH_CAPDEC_MAX_BAD]; /**< first bad items */
    size_t n_reasons;                       /**< entries in reasons */
    ikh_capdec_reason reasons[IKH_CAPDEC_MAX_REASONS]; /**< per reason,
                                    in order of first appearance (more
                                    distinct reasons are not counted) */
} ikh_capdec_result;

/**
 * @brief Allocate an empty key set.
 * @param out receives the set (NULL on error); the caller frees it with
 *            ikh_capdec_keys_free()
 * @return IKH_OK; ARG_INVALID when out is NULL; ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_capdec_keys_new(ikh_capdec_keys **out);

/**
 * @brief Wipe and free a key set; NULL is a no-op.
 * @param k the set (freed)
 */
void ikh_capdec_keys_free(ikh_capdec_keys *k);

/**
 * @brief Add the IKE SAs of ike_keys.csv text to a key set.
 *
 * All or nothing: on any error no line of this text is added.
 * @param k    key set
 * @param text the file's content (borrowed; need not be NUL-terminated)
 * @param len  its length
 * @param diag optional (may be NULL): error, line, field and a message
 * @return IKH_OK; KEYS_SYNTAX (not 9 fields, a line over
 *         ::IKH_CAPDEC_LINE_MAX, a NUL octet); KEYS_VALUE (an SPI that is
 *         not 16 hex digits, a key that is not hex, a number that is not
 *         decimal or over 65535); KEYS_TRANSFORM (a transform, or an
 *         ENCR/INTEG pairing, this build cannot use for IKE);
 *         KEYS_KEY_LEN (a key length the transform does not take);
 *         KEYS_DUPLICATE (an SPI pair listed twice); KEYS_LIMIT (more than
 *         ::IKH_CAPDEC_MAX_SAS); ARG_INVALID (NULL k, or NULL text with
 *         len > 0); ENV_NOMEM. The caller reports diag (file:line) and
 *         stops: a key set with errors is not worth checking with.
 */
IKH_MUST_USE ikh_err ikh_capdec_keys_parse_ike(ikh_capdec_keys *k,
                                               const char *text, size_t len,
                                               ikh_capdec_diag *diag);

/**
 * @brief Add the ESP SAs of esp_keys.csv text to a key set.
 * @param k    key set
 * @param text the file's content (borrowed) @param len its length
 * @param diag optional, as for ikh_capdec_keys_parse_ike()
 * @return as ikh_capdec_keys_parse_ike(), with: KEYS_VALUE also for an
 *         address that is not IPv4/IPv6, families that differ, an SPI that
 *         is not 8 hex digits or an esn other than 0/1; KEYS_TRANSFORM for
 *         transforms not usable for ESP; KEYS_DUPLICATE for a (SPI, dst)
 *         listed twice.
 */
IKH_MUST_USE ikh_err ikh_capdec_keys_parse_esp(ikh_capdec_keys *k,
                                               const char *text, size_t len,
                                               ikh_capdec_diag *diag);

/** A key file format (ikh_capdec_keys_parse_any()). */
typedef enum ikh_capdec_fmt {
    IKH_CAPDEC_FMT_NONE = 0, /**< no line tells (empty or comments only) */
    IKH_CAPDEC_FMT_IKE_CSV,  /**< ike_keys.csv */
    IKH_CAPDEC_FMT_ESP_CSV,  /**< esp_keys.csv */
    IKH_CAPDEC_FMT_WS_IKE,   /**< Wireshark ikev2_decryption_table */
    IKH_CAPDEC_FMT_WS_ESP,   /**< Wireshark esp_sa */
    IKH_CAPDEC_FMT_CHARON,   /**< a strongSwan charon log (not a table) */
    IKH_CAPDEC_FMT_UNKNOWN,  /**< none of these */
} ikh_capdec_fmt;

/**
 * @brief A format's name for messages ("ike_keys.csv", "esp_sa", ...).
 * @param f the format
 * @return a static string.
 */
const char *ikh_capdec_fmt_name(ikh_capdec_fmt f);

/**
 * @brief Add the SAs of a key file in any of the four formats, told from
 *        the content (never the file name).
 *
 * The first line that is not blank decides: "IPv4"/"IPv6" in quotes
 * first: esp_sa; 8 comma-separated fields, the 5th quoted:
 * ikev2_decryption_table; 9 fields starting with 16 hex digits:
 * ike_keys.csv; other 9 fields: esp_keys.csv. A comment line decides only
 * when it is our own files' header ("# ispi_hex," / "# src,dst,spi_hex,").
 * A file with no line that tells (empty, comments only: Wireshark tables
 * are empty when tshark cannot decrypt any SA) adds nothing and returns
 * IKH_OK with *fmt NONE.
 *
 * Wireshark tables (format in keytab.h): the tshark algorithm names map
 * back to IANA IDs through the writer's own name functions
 * (ikh_keytab_ike_encr_name() ...); esp_sa carries no Key Length (taken
 * from the key's size) and no ESN flag (read as no ESN, unless an
 * esp_keys.csv line of the same SA, loaded before or after, gives it).
 * Field numbers in
 * @p diag are the columns of the line as written. An SA already in @p k
 * from earlier text with the same SPIs, transforms and keys is skipped
 * (a folder may hold ike_keys.csv and ikev2_decryption_table); with other
 * keys it is KEYS_DUPLICATE. All or nothing, as
 * ikh_capdec_keys_parse_ike().
 * @param k    key set
 * @param text the content (borrowed) @param len its length
 * @param fmt  receives the format found (may be NULL)
 * @param diag optional: error, line, field, message
 * @return as ikh_capdec_keys_parse_ike() and _parse_esp(), with:
 *         KEYS_SYNTAX also for a file in no known format or a charon log
 *         (its message says so); KEYS_TRANSFORM for an algorithm name
 *         tshark does not use (message quotes it); KEYS_KEY_LEN for an
 *         esp_sa key whose size fits no key length of its algorithm;
 *         KEYS_VALUE for an esp_sa protocol that is not IPv4/IPv6 or does
 *         not match the addresses.
 */
IKH_MUST_USE ikh_err ikh_capdec_keys_parse_any(ikh_capdec_keys *k,
                                               const char *text, size_t len,
                                               ikh_capdec_fmt *fmt,
                                               ikh_capdec_diag *diag);

/**
 * @brief Read a key file and add it with ikh_capdec_keys_parse_any().
 * @param k    key set
 * @param path file name (borrowed)
 * @param fmt  receives the format found (may be NULL)
 * @param diag optional; line 0 for file errors
 * @return the errors of ikh_capdec_keys_parse_any(); IO_OPEN; IO_READ;
 *         IO_TOO_BIG; ENV_NOMEM; ARG_INVALID (NULL k or path).
 */
IKH_MUST_USE ikh_err ikh_capdec_keys_load_any(ikh_capdec_keys *k,
                                              const char *path,
                                              ikh_capdec_fmt *fmt,
                                              ikh_capdec_diag *diag);

/** What ikh_capdec_keys_parse_charon() found in a log. */
typedef struct ikh_capdec_charon_stats {
    size_t ike;         /**< IKE SAs added (bound and unbound) */
    size_t ike_unbound; /**< ... whose SPIs the log does not show */
    size_t esp;         /**< ESP SA directions added */
} ikh_capdec_charon_stats;

/**
 * @brief Add the IKE and ESP SAs whose keys a strongSwan charon log shows.
 *
 * Log format: charon's file or stderr logger ("HH:MM:SS TT[GRP] <ctx>
 * message", ctx "<N>" or "<name|N>"), written with ike = 4 and chd = 4
 * (the levels at which charon dumps keys as "NAME => N bytes @ 0x..."
 * followed by "  OFF: XX XX ..." lines of 16 octets). What is read, per
 * IKE_SA (the N of ctx):
 *  - "selected proposal: IKE:ENCR[/INTEG]/PRF/DH" and
 *    "selected proposal: ESP:ENCR[/INTEG]/[NO_]EXT_SEQ": the transforms
 *    (strongSwan names, e.g. AES_GCM_16_256, AES_CBC_128, HMAC_SHA1_96,
 *    CHACHA20_POLY1305; PRF and DH names are ignored);
 *  - "Sk_d secret" (starts an IKE SA), "Sk_ai secret", "Sk_ar secret",
 *    "Sk_ei secret", "Sk_er secret": an IKE SA's keys, under the last IKE
 *    proposal of that ctx;
 *  - "octets = message + nonce + prf(Sk_px, IDx')": its first 16 octets
 *    are an IKE_SA_INIT header's SPIs (charon dumps the octets of both
 *    AUTH payloads: the one of the IKE_SA_INIT response, with a non-zero
 *    responder SPI, is used), given to the keys derived after IKE_SA_INIT
 *    in that ctx. Keys derived after a CREATE_CHILD_SA (an
 *    IKE rekey) have no SPIs in the log: they are added unbound, and
 *    ikh_capdec_keys_bind() finds their SPIs in the capture;
 *  - "encryption initiator key", "encryption responder key",
 *    "integrity initiator key", "integrity responder key", then "adding
 *    inbound ESP SA" / "adding outbound ESP SA" each followed by
 *    "  SPI 0x<8 hex>, src A dst B": an ESP SA direction. Which key goes
 *    with which direction follows charon's role in the exchange that made
 *    the CHILD_SA (the last "generating"/"parsed" IKE_AUTH or
 *    CREATE_CHILD_SA "request"/"response" line of that ctx): inbound uses
 *    the peer's keys. Addresses are the log's (the outer addresses; the
 *    capture's ESP is matched by SPI and destination, or by SPI alone when
 *    unique, as for every key set).
 * Limits: other log formats (syslog prefixes, log levels below 4 for ike or
 * chd, "ike_name"/time formats with other prefixes) are not read; IKE SAs
 * without an IKE_AUTH (rekeyed) need the capture to get their SPIs;
 * CHILD_SAs with IPComp or AH are not read; transforms are limited to
 * those the crypto registry has.
 * @param k    key set
 * @param text the log (borrowed) @param len its length
 * @param st   receives what was added (may be NULL)
 * @param diag optional: error, line (of the log) and message
 * @return IKH_OK (also when nothing was found: st says so; the caller
 *         decides); KEYS_SYNTAX (a key hexdump that ends before its
 *         length, a line over ::IKH_CAPDEC_LINE_MAX, a NUL octet, a
 *         "SPI 0x..." line that does not parse); KEYS_TRANSFORM (a
 *         selected proposal whose encryption or integrity name is not
 *         known, keys with no proposal before them); the errors of
 *         ikh_capdec_keys_parse_ike()/_esp() for the SAs built (key
 *         lengths, duplicates, limits); ARG_INVALID; ENV_NOMEM. All or
 *         nothing.
 */
IKH_MUST_USE ikh_err ikh_capdec_keys_parse_charon(ikh_capdec_keys *k,
                                                  const char *text, size_t len,
                                                  ikh_capdec_charon_stats *st,
                                                  ikh_capdec_diag *diag);

/**
 * @brief Read a charon log and add it with ikh_capdec_keys_parse_charon().
 * @param k    key set
 * @param path file name (borrowed)
 * @param st   receives what was added (may be NULL)
 * @param diag optional; line 0 for file errors
 * @return as ikh_capdec_keys_parse_charon(); IO_OPEN; IO_READ;
 *         IO_TOO_BIG.
 */
IKH_MUST_USE ikh_err ikh_capdec_keys_load_charon(ikh_capdec_keys *k,
                                                 const char *path,
                                                 ikh_capdec_charon_stats *st,
                                                 ikh_capdec_diag *diag);

/**
 * @brief Give unbound IKE SAs (from a charon log: rekeyed IKE SAs) their
 *        SPIs by trial: every SK/SKF message of the capture whose SPI pair
 *        has no keys is verified with each unbound SA's keys (ICV or AEAD
 *        tag; a forgery passes with probability 2^-96 or less); the first
 *        that verifies takes that SPI pair.
 * @param k       key set (changed: SPIs of unbound SAs)
 * @param path    pcap or pcapng file (borrowed)
 * @param n_left  receives the SAs still unbound (may be NULL); they are
 *                never used for decryption
 * @param errbuf  optional buffer for the reader's message @param
 * errbuf_len its size
 * @return IKH_OK (also when some stay unbound); the errors of
 *         ikh_cap_open(); PCAP_RECORD (what came before was used);
 *         ARG_INVALID; ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_capdec_keys_bind(ikh_capdec_keys *k, const char *path,
                                          size_t *n_left, char *errbuf,
                                          size_t errbuf_len);

/**
 * @brief Read a key file and add it with ikh_capdec_keys_parse_ike()
 *        (@p esp false) or ikh_capdec_keys_parse_esp() (@p esp true).
 * @param k    key set
 * @param path file name (borrowed)
 * @param esp  the file is esp_keys.csv
 * @param diag optional; line 0 for file errors
 * @return the parse errors; IO_OPEN (cannot open); IO_READ; IO_TOO_BIG
 *         (over ::IKH_CAPDEC_FILE_MAX); ARG_INVALID (NULL k or path).
 */
IKH_MUST_USE ikh_err ikh_capdec_keys_load(ikh_capdec_keys *k, const char *path,
                                          bool esp, ikh_capdec_diag *diag);

/**
 * @brief How many SAs a key set holds.
 * @param k key set (borrowed; NULL counts 0)
 * @param n_ike receives the IKE SAs (may be NULL)
 * @param n_esp receives the ESP SA directions (may be NULL)
 */
void ikh_capdec_keys_count(const ikh_capdec_keys *k, size_t *n_ike,
                           size_t *n_esp);

/**
 * @brief Negative control: flip the lowest bit of the first octet of every
 *        key (SK_ei, SK_er, SK_ai, SK_ar, ESP encryption and integrity
 *        keys) so that every message checked with them must fail. Calling
 *        it again restores the keys.
 * @param k key set (NULL is a no-op)
 */
void ikh_capdec_keys_flip(ikh_capdec_keys *k);

/**
 * @brief Check every Encrypted IKE message and ESP packet of a capture
 *        against a key set (see the file comment for what is checked).
 * @param k      key set (borrowed; not changed)
 * @param path   pcap or pcapng file (borrowed)
 * @param res    receives the counts (zeroed first; filled up to where the
 *               capture could be read, also on PCAP_RECORD)
 * @param errbuf optional buffer for the reader's message on IO_OPEN,
 *               PCAP_OPEN and PCAP_RECORD (may be NULL)
 * @param errbuf_len its size
 * @return IKH_OK when the whole capture was read (bad items are results,
 *         not errors: see res->ike_bad, res->esp_bad); the errors of
 *         ikh_cap_open() (IO_OPEN, PCAP_OPEN, PCAP_LINKTYPE: nothing
 *         checked); PCAP_RECORD when a damaged or truncated record stopped
 *         the reader (res holds what came before; report it as an input
 *         error); ARG_INVALID (NULL k, path or res); ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_capdec_check(const ikh_capdec_keys *k,
                                      const char *path, ikh_capdec_result *res,
                                      char *errbuf, size_t errbuf_len);

/**
 * @brief ikh_capdec_check() on a reader the caller opened (for example with
 *        ikh_cap_open_file() over memory): reads it to its end.
 * @param k      key set (borrowed; not changed)
 * @param cap    reader (borrowed; read from where it stands to the end or
 *               the PCAP_RECORD that stops it; the caller closes it)
 * @param res    receives the counts, as for ikh_capdec_check()
 * @param errbuf optional buffer for the reader's message on PCAP_RECORD
 * @param errbuf_len its size
 * @return IKH_OK when the whole capture was read; PCAP_RECORD as for
 *         ikh_capdec_check(); ARG_INVALID (NULL k, cap or res); ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_capdec_check_cap(const ikh_capdec_keys *k,
                                          ikh_cap *cap, ikh_capdec_result *res,
                                          char *errbuf, size_t errbuf_len);

/** A decryptor: a key set plus the buffers and SKF reassembly state that
 *  opening messages one at a time needs (opaque; holds plaintext). */
typedef struct ikh_capdec_dec ikh_capdec_dec;

/** What ikh_capdec_dec_ike() did with a message. */
typedef enum ikh_capdec_ike_kind {
    IKH_CAPDEC_IKE_NOKEY = 0, /**< its SPI pair is not in the key set */
    IKH_CAPDEC_IKE_OPENED,    /**< SK verified and decrypted: the inner
                                   payloads were appended to the message */
    IKH_CAPDEC_IKE_FRAGMENT,  /**< SKF fragment verified and kept; its
                                   message is not complete yet (or has
                                   more than ::IKH_CAPDEC_MAX_FRAGS) */
    IKH_CAPDEC_IKE_JOINED,    /**< SKF fragment verified and it completed
                                   its message: see joined */
} ikh_capdec_ike_kind;

/** The outcome of ikh_capdec_dec_ike(). */
typedef struct ikh_capdec_ike_out {
    ikh_capdec_ike_kind kind; /**< what happened (also set on errors:
                                   JOINED with an error is a complete
                                   message whose joined chain is bad) */
    const ikh_msg *joined;    /**< JOINED: the fragment's header with the
                                   reassembled inner chain (in_sk payloads
                                   only); owned by the decryptor, valid
                                   until its next call. Else NULL */
} ikh_capdec_ike_out;

/** The outcome of ikh_capdec_dec_esp(). */
typedef struct ikh_capdec_esp_out {
    bool keyed;          /**< the SA was in the key set */
    bool dummy;          /**< a dummy packet (Next Header 59) */
    uint8_t next_header; /**< Next Header of a verified packet */
} ikh_capdec_esp_out;

/**
 * @brief Make a decryptor over a key set.
 * @param k   key set (borrowed; must outlive the decryptor; not changed)
 * @param out receives the decryptor (NULL on error); free it with
 *            ikh_capdec_dec_free()
 * @return IKH_OK; ARG_INVALID (NULL k or out); ENV_NOMEM.
 */
IKH_MUST_USE ikh_err ikh_capdec_dec_new(const ikh_capdec_keys *k,
                                        ikh_capdec_dec **out);

/** @brief Wipe and free a decryptor; NULL is a no-op. @param d freed */
void ikh_capdec_dec_free(ikh_capdec_dec *d);

/**
 * @brief Is this IKE SA in the decryptor's key set?
 * @param d    decryptor (NULL: false)
 * @param ispi initiator SPI
 * @param rspi responder SPI
 * @return true when keys for (ispi, rspi) were loaded.
 */
bool ikh_capdec_dec_has_ike(const ikh_capdec_dec *d, uint64_t ispi,
                            uint64_t rspi);

/**
 * @brief Verify and decrypt the Encrypted payload of one IKE message
 *        (the checks of the file comment: ICV or AEAD tag, padding,
 *        inner chain; for SKF the reassembly of RFC 7383 §2.6).
 * @param d     decryptor
 * @param m     the message as ikh_wire_msg_parse() gave it from @p raw
 *              (its last payload SK or SKF). OPENED appends the inner
 *              payloads (in_sk, spans into the decryptor's buffer, valid
 *              until its next call); on an error m may hold part of them
 * @param raw   the message's octets (borrowed)
 * @param frame its record number (the oldest unfinished SKF message is
 *              evicted first)
 * @param out   receives what happened (always set)
 * @return IKH_OK; CRYPTO_ICV, CRYPTO_PADDING, WIRE_SK_SHORT,
 *         WIRE_PL_AFTER_SK and the inner chain's WIRE_* codes (the
 *         message is bad); ARG_INVALID (NULL argument, or m's last
 *         payload is not SK/SKF).
 */
IKH_MUST_USE ikh_err ikh_capdec_dec_ike(ikh_capdec_dec *d, ikh_msg *m,
                                        ikh_span raw, uint64_t frame,
                                        ikh_capdec_ike_out *out);

/**
 * @brief SKF messages the decryptor gave up: evicted for a newer one, too
 *        large, or still unfinished now.
 * @param d decryptor (NULL: 0)
 * @return the count.
 */
uint64_t ikh_capdec_dec_incomplete(const ikh_capdec_dec *d);

/**
 * @brief Verify and decrypt one ESP packet (RFC 4303 §3.4), as the file
 *        comment says: the SA by (SPI, destination) or the only SA with
 *        the SPI; a fresh window per packet, so a duplicate is checked
 *        again; a tunnel-mode inner packet must fit.
 * @param d   decryptor
 * @param pkt the ESP packet, SPI onwards (borrowed; copied)
 * @param dst its destination address (borrowed)
 * @param out receives keyed, dummy and next_header (always set)
 * @return IKH_OK (also for an SA not in the keys: out->keyed false);
 *         ESP_TRUNCATED, CRYPTO_ICV, ESP_PADDING, ESP_PAD_LEN,
 *         ESP_SEQ_ZERO, ESP_INNER (the packet is bad); ARG_INVALID.
 */
IKH_MUST_USE ikh_err ikh_capdec_dec_esp(ikh_capdec_dec *d, ikh_span pkt,
                                        const ikh_addr *dst,
                                        ikh_capdec_esp_out *out);

/**
 * @brief Write ike_keys.csv (created or truncated): a '#' line naming the
 *        columns, then one line per SA.
 * @param path file name (borrowed)
 * @param e    SAs (borrowed) @param n their count
 * @return IKH_OK; ARG_INVALID (NULL path, or NULL e with n > 0, or a key
 *         over ::IKH_KEYTAB_KEY_MAX); IO_OPEN; IO_WRITE.
 */
IKH_MUST_USE ikh_err ikh_capdec_ike_write(const char *path,
                                          const ikh_keytab_ike *e, size_t n);

/**
 * @brief Write esp_keys.csv (created or truncated), as
 *        ikh_capdec_ike_write().
 * @param path file name (borrowed)
 * @param e    SA directions (borrowed) @param n their count
 * @return as ikh_capdec_ike_write(); also ARG_INVALID for an address that
 *         is not IPv4/IPv6.
 */
IKH_MUST_USE ikh_err ikh_capdec_esp_write(const char *path,
                                          const ikh_capdec_esp_sa *e, size_t n);

#endif /* IKH_CAPDEC_H */
