/* SPDX-License-Identifier: MIT */
/**
 * @file wire.h
 * @brief The IKEv2 wire codec: the IKE header (RFC 7296 §3.1), every payload
 *        of §3.2–3.16 and SKF (RFC 7383 §2.5), parsed into one fixed-size
 *        ::ikh_msg and serialized back.
 *
 * Model
 * -----
 * An ::ikh_msg holds the header and a flat list of payloads in wire order.
 * Substructures (proposals, transforms, attributes, traffic selectors,
 * configuration attributes) live in per-message pools and are referred to
 * by index ranges, so a message is one struct with no pointers of its own.
 * Variable-length fields are ::ikh_span values borrowed from the parsed
 * buffer (or, when building, from the caller's memory): the buffer must
 * outlive the message.
 *
 * Derived fields (payload and substructure lengths, Next Payload, Last
 * Substruc, Num Transforms, Number of TSs, the header Length) are checked
 * on parse and recomputed on serialize, so serialize(parse(b)) == b for
 * every well-formed b and parse(serialize(m)) == m (ikh_wire_msg_eq()).
 * Reserved fields are kept as read, so even a peer that sets them is
 * reproduced octet for octet.
 *
 * Parsing checks structure only; ikh_wire_msg_verify() then applies the
 * semantic checks and the per-exchange payload rules (msg_rules.c).
 */
#ifndef IKH_WIRE_H
#define IKH_WIRE_H

#include "ikh/bytes.h"
#include "ikh/common.h"
#include "ikh/iana.h"
#include "ikh/limits.h"

/** Length of the IKE header (RFC 7296 §3.1). */
#define IKH_IKE_HDR_LEN 28u
/** Length of the generic payload header (RFC 7296 §3.2). */
#define IKH_GENERIC_HDR_LEN 4u
/** Critical bit in the generic payload header flags octet. */
#define IKH_PL_CRITICAL 0x80u

/** The IKE header (RFC 7296 §3.1). */
typedef struct ikh_ike_hdr {
    uint64_t ispi;        /**< IKE SA Initiator's SPI */
    uint64_t rspi;        /**< IKE SA Responder's SPI */
    uint8_t next_payload; /**< as read; derived on serialize */
    uint8_t version;      /**< major << 4 | minor; 0x20 for IKEv2 */
    uint8_t exch;         /**< exchange type, ::ikh_exch_type */
    uint8_t flags;        /**< I (0x08), V (0x10), R (0x20) and reserved bits */
    uint32_t mid;         /**< Message ID */
    uint32_t length;      /**< as read; derived on serialize */
} ikh_ike_hdr;

/** A transform attribute (RFC 7296 §3.3.5). */
typedef struct ikh_xattr {
    uint16_t type;     /**< Attribute Type (15 bits) */
    bool tv;           /**< AF bit: true = TV format (2-octet value) */
    uint16_t tv_value; /**< value when tv */
    ikh_span value;    /**< value when !tv (TLV) */
} ikh_xattr;

/** A transform substructure (RFC 7296 §3.3.2). */
typedef struct ikh_xform {
    uint8_t type;        /**< Transform Type, ::ikh_xform_type */
    uint8_t reserved1;   /**< octet after Last Substruc */
    uint8_t reserved2;   /**< octet after Transform Type */
    uint16_t id;         /**< Transform ID */
    uint16_t attr_first; /**< first attribute in ikh_msg::attr */
    uint16_t attr_count; /**< number of attributes */
} ikh_xform;

/** A proposal substructure (RFC 7296 §3.3.1). */
typedef struct ikh_prop {
    uint8_t reserved;  /**< octet after Last Substruc */
    uint8_t num;       /**< Proposal Num */
    uint8_t proto;     /**< Protocol ID, ::ikh_proto_id */
    ikh_span spi;      /**< SPI (SPI Size octets) */
    uint16_t xf_first; /**< first transform in ikh_msg::xf */
    uint16_t xf_count; /**< number of transforms (Num Transforms) */
} ikh_prop;

/** A traffic selector (RFC 7296 §3.13.1). */
typedef struct ikh_ts {
    uint8_t type;        /**< TS Type, ::ikh_ts_type */
    uint8_t ip_proto;    /**< IP Protocol ID (second octet for any type) */
    uint16_t start_port; /**< IP types only */
    uint16_t end_port;   /**< IP types only */
    ikh_span start;      /**< Starting Address (4 or 16 octets), IP types */
    ikh_span end;        /**< Ending Address, IP types */
    ikh_span opaque;     /**< everything after Selector Length, other types */
} ikh_ts;

/** A configuration attribute (RFC 7296 §3.15.1). */
typedef struct ikh_cp_attr {
    bool reserved_bit; /**< the R bit, kept as read */
    uint16_t type;     /**< Attribute Type (15 bits), ::ikh_cfg_attr */
    ikh_span value;    /**< value (Length octets) */
} ikh_cp_attr;

/** One payload and its body. Which union member is valid follows type. */
typedef struct ikh_pl {
    uint8_t type;  /**< Payload type, ::ikh_pl_type; unknown types are kept */
    uint8_t flags; /**< critical bit and the 7 reserved bits, as on the wire */
    bool in_sk;    /**< true for decrypted payloads carried inside SK/SKF */
    uint32_t offset; /**< absolute offset of its generic header (parse only; not
                        compared) */
    uint16_t length; /**< Payload Length as read (parse only; derived on
                        serialize; not compared) */
    /** The body, by payload type. */
    union {
        /** SA (§3.3): proposals in ikh_msg::prop. */
        struct {
            /** index of its first proposal in ikh_msg::prop */
            uint16_t first, count; /**< number of its proposals there */
        } sa;
        /** KE (§3.4). */
        struct {
            uint16_t group;    /**< Key Exchange Method Num, ::ikh_ke_id */
            uint16_t reserved; /**< RESERVED, as read (serialized as given) */
            ikh_span data;     /**< Key Exchange Data (borrowed) */
        } ke;
        /** IDi / IDr (§3.5). */
        struct {
            uint8_t id_type;   /**< ID Type, ::ikh_id_type */
            uint32_t reserved; /**< 24-bit RESERVED, as read (serialized as
                                    given) */
            ikh_span data;     /**< Identification Data (borrowed) */
        } id;
        /** CERT (§3.6) and CERTREQ (§3.7): encoding and data. */
        struct {
            uint8_t enc;   /**< Cert Encoding, ::ikh_cert_enc */
            ikh_span data; /**< Certificate Data or Certification Authority
                                (borrowed) */
        } cert;
        /** AUTH (§3.8). */
        struct {
            uint8_t method;    /**< Auth Method, ::ikh_auth_method */
            uint32_t reserved; /**< 24-bit RESERVED, as read (serialized as
                                    given) */
            ikh_span data;     /**< Authentication Data (borrowed) */
        } auth;
        /** Notify (§3.10). */
        struct {
            uint8_t proto; /**< Protocol ID, ::ikh_proto_id (0: none) */
            uint16_t type; /**< Notify Message Type, ::ikh_notify_type */
            ikh_span spi;  /**< SPI; its length is the SPI Size (borrowed;
                                empty for none) */
            ikh_span data; /**< Notification Data (borrowed) */
        } notify;
        /** Delete (§3.11); num_spi is kept for SPI Size 0. */
        struct {
            uint8_t proto;    /**< Protocol ID, ::ikh_proto_id */
            uint8_t spi_size; /**< SPI Size (0 for IKE, 4 for ESP/AH) */
            uint16_t num_spi; /**< Num of SPIs */
            ikh_span spis;    /**< the SPIs, concatenated (borrowed) */
        } del;
        /** TSi / TSr (§3.13): selectors in ikh_msg::ts. */
        struct {
            uint32_t reserved; /**< 24-bit RESERVED, as read (serialized as
                                    given) */
            /** index of its first selector in ikh_msg::ts */
            uint16_t first, count; /**< Number of TSs: selectors there */
        } ts;
        /** SK (§3.14): inner = Next Payload of the SK header (first inner
         * type). */
        struct {
            uint8_t inner; /**< Next Payload of the SK header */
            ikh_span body; /**< IV, ciphertext and ICV (borrowed) */
        } sk;
        /** SKF (RFC 7383 §2.5). */
        struct {
            uint8_t inner; /**< Next Payload (first inner payload type; 0 in
                                every fragment but the first) */
            /** Fragment Number, 1-based */
            uint16_t frag_num, total; /**< Total Fragments */
            ikh_span body;            /**< IV, ciphertext and ICV (borrowed) */
        } skf;
        /** CP (§3.15): attributes in ikh_msg::cpa. */
        struct {
            uint8_t cfg_type;  /**< CFG Type, ::ikh_cfg_type */
            uint32_t reserved; /**< 24-bit RESERVED, as read (serialized as
                                    given) */
            /** index of its first attribute in ikh_msg::cpa */
            uint16_t first, count; /**< number of its attributes there */
        } cp;
        /** EAP (§3.16): body is the whole EAP message; the rest is decoded from
         * it. */
        struct {
            ikh_span body; /**< the EAP message (RFC 3748 §4; borrowed) */
            /** Code, ::ikh_eap_code (decoded from body) */
            uint8_t code, ident; /**< Identifier (decoded from body) */
            uint16_t len;        /**< EAP Length field (decoded from body) */
            bool has_type;       /**< the message has a Type field (Request,
                                      Response) */
            uint8_t eap_type;    /**< Type, when has_type */
        } eap;
        /** Nonce (§3.9), Vendor ID (§3.12) and every other type: the body. */
        struct {
            ikh_span data; /**< the payload body (borrowed) */
        } raw;
    } u;
} ikh_pl;

/** A parsed or built IKE message (fixed size; see limits.h). */
typedef struct ikh_msg {
    ikh_ike_hdr hdr;                        /**< the IKE header */
    uint16_t n_pl;                          /**< payloads in use */
    ikh_pl pl[IKH_WIRE_MAX_PAYLOADS];       /**< payloads in wire order */
    uint16_t n_prop;                        /**< proposals in use */
    ikh_prop prop[IKH_WIRE_MAX_PROPOSALS];  /**< proposal pool */
    uint16_t n_xf;                          /**< transforms in use */
    ikh_xform xf[IKH_WIRE_MAX_TRANSFORMS];  /**< transform pool */
    uint16_t n_attr;                        /**< attributes in use */
    ikh_xattr attr[IKH_WIRE_MAX_XATTRS];    /**< attribute pool */
    uint16_t n_ts;                          /**< selectors in use */
    ikh_ts ts[IKH_WIRE_MAX_TS];             /**< selector pool */
    uint16_t n_cpa;                         /**< CP attributes in use */
    ikh_cp_attr cpa[IKH_WIRE_MAX_CP_ATTRS]; /**< CP attribute pool */
} ikh_msg;

/** Where a parse or verify error happened. */
typedef struct ikh_diag {
    ikh_err err;     /**< the error (IKH_OK when none) */
    size_t offset;   /**< absolute octet offset in the parsed buffer */
    uint8_t payload; /**< type of the payload it was in; 0 for the IKE header */
    int pl_index;    /**< index in ikh_msg::pl, -1 for the header */
    uint8_t exch;    /**< exchange type of the message (0 if unknown) */
} ikh_diag;

/**
 * @brief Reset @p m to an empty message: header zeroed, every count 0.
 *        Pool entries past the counts are left as they were (unspecified).
 * @param m caller memory
 */
void ikh_wire_msg_init(ikh_msg *m);

/**
 * @brief Parse one IKE message (header and the unencrypted payload chain).
 * @param m    output, caller memory; reset first. Its spans borrow from buf.
 * @param buf  the IKE message, without UDP header or non-ESP marker
 *             (borrowed; must outlive m)
 * @param len  length of buf (the whole datagram payload)
 * @param diag optional (may be NULL): error, absolute offset, payload type
 * @return IKH_OK, or a 2xx code (WIRE_HDR_SHORT, WIRE_BAD_MAJOR,
 *         WIRE_MSG_LEN_*, WIRE_CHAIN_*, WIRE_PL_*, WIRE_PROP_*, WIRE_XFORM_*,
 *         WIRE_ATTR_OVERRUN, WIRE_TS_*, ...). On error m holds what was
 *         parsed before the failure and must not be serialized.
 */
IKH_MUST_USE ikh_err ikh_wire_msg_parse(ikh_msg *m, const uint8_t *buf,
                                        size_t len, ikh_diag *diag);

/**
 * @brief Parse a decrypted inner payload chain and append it (in_sk = true).
 * @param m      message the SK or SKF payload belongs to
 * @param first  first inner payload type (the SK header's Next Payload)
 * @param buf    plaintext without IV, padding, Pad Length and ICV (borrowed)
 * @param len    its length
 * @param origin absolute offset to report in diagnostics
 * @param diag   optional
 * @return IKH_OK or a 2xx code as for ikh_wire_msg_parse(). A nested SK/SKF
 *         gives WIRE_PL_AFTER_SK.
 */
IKH_MUST_USE ikh_err ikh_wire_msg_parse_inner(ikh_msg *m, uint8_t first,
                                              const uint8_t *buf, size_t len,
                                              size_t origin, ikh_diag *diag);

/**
 * @brief Serialize the header and the outer (in_sk == false) payloads.
 * @param m       message (borrowed)
 * @param buf     output buffer (caller memory)
 * @param cap     its capacity
 * @param out_len receives the message length on success
 * @return IKH_OK; WIRE_NOBUF when buf is too small; ARG_RANGE when a
 *         length does not fit its field; ARG_INVALID when an index range
 *         points outside its pool.
 * Lengths, Next Payload, Last Substruc and counts are derived; when the
 * message holds in_sk payloads, the SK/SKF Next Payload is the first of them.
 */
IKH_MUST_USE ikh_err ikh_wire_msg_serialize(const ikh_msg *m, uint8_t *buf,
                                            size_t cap, size_t *out_len);

/**
 * @brief Serialize the in_sk payloads as the plaintext chain of an SK payload.
 * @param m       message (borrowed)
 * @param buf     output buffer
 * @param cap     capacity
 * @param out_len receives the chain length
 * @return as for ikh_wire_msg_serialize().
 */
IKH_MUST_USE ikh_err ikh_wire_inner_serialize(const ikh_msg *m, uint8_t *buf,
                                              size_t cap, size_t *out_len);

/**
 * @brief Compare two messages field by field (spans by content; derived
 *        fields and parse offsets are ignored).
 * @param a first message (borrowed)
 * @param b second message (borrowed)
 * @return true when equal.
 */
bool ikh_wire_msg_eq(const ikh_msg *a, const ikh_msg *b);

/**
 * @brief Semantic checks (RFC 7296 §3) and the per-exchange payload rules.
 * @param m    a successfully parsed message (borrowed)
 * @param diag optional
 * @return IKH_OK, or WIRE_PROP_NUM, WIRE_PROTO_ID, WIRE_SPI_SIZE,
 *         WIRE_ID_LEN, WIRE_TS_RANGE, WIRE_UNKNOWN_CRITICAL, WIRE_SPI_ZERO,
 *         WIRE_SPI_NONZERO, WIRE_EXCH_UNKNOWN, WIRE_KEY_LEN_ATTR or a
 *         WIRE_RULE_* code. The first violation found wins. Rules about
 *         payloads inside SK are checked only when inner payloads are present.
 */
IKH_MUST_USE ikh_err ikh_wire_msg_verify(const ikh_msg *m, ikh_diag *diag);

/**
 * @brief Append an empty payload of @p type (builder).
 * @param m    message
 * @param type payload type
 * @return the new payload (owned by m), or NULL when the payload limit is
 * reached.
 */
ikh_pl *ikh_wire_pl_add(ikh_msg *m, uint8_t type);

/**
 * @brief Append a proposal to SA payload @p sa (builder).
 * @param m  message
 * @param sa an SA payload of m whose proposals are the last in the pool
 * @return the new proposal, or NULL when the pool is full or sa's proposals
 *         are not the last ones (build one SA at a time).
 */
ikh_prop *ikh_wire_prop_add(ikh_msg *m, ikh_pl *sa);

/**
 * @brief Append a transform to proposal @p p (builder).
 * @param m message @param p the last proposal in the pool
 * @param type Transform Type @param id Transform ID
 * @return the new transform, or NULL when full or p is not the last proposal.
 */
ikh_xform *ikh_wire_xform_add(ikh_msg *m, ikh_prop *p, uint8_t type,
                              uint16_t id);

/**
 * @brief Append a TV Key Length attribute to transform @p x (builder).
 * @param m message @param x the last transform in the pool @param bits key
 * length
 * @return the new attribute, or NULL when full or x is not the last transform.
 */
ikh_xattr *ikh_wire_keylen_add(ikh_msg *m, ikh_xform *x, uint16_t bits);

/**
 * @brief Append an attribute (any format) to transform @p x (builder).
 * @param m message @param x the last transform in the pool
 * @return a zeroed attribute to fill, or NULL as for ikh_wire_keylen_add().
 */
ikh_xattr *ikh_wire_xattr_add(ikh_msg *m, ikh_xform *x);

/**
 * @brief Append a traffic selector to TS payload @p tsp (builder).
 * @param m message @param tsp a TSi/TSr payload whose selectors are last in the
 * pool
 * @return a zeroed selector to fill, or NULL when full / not last.
 */
ikh_ts *ikh_wire_ts_add(ikh_msg *m, ikh_pl *tsp);

/**
 * @brief Append a configuration attribute to CP payload @p cp (builder).
 * @param m message @param cp a CP payload whose attributes are last in the pool
 * @return a zeroed attribute to fill, or NULL when full / not last.
 */
ikh_cp_attr *ikh_wire_cp_attr_add(ikh_msg *m, ikh_pl *cp);

/**
 * @brief Find the Key Length attribute of a transform.
 * @param m message @param x transform of m
 * @param bits receives the key length in bits when present
 * @return true when a TV Key Length attribute (type 14) is present.
 */
bool ikh_wire_xform_keylen(const ikh_msg *m, const ikh_xform *x,
                           uint16_t *bits);

/**
 * @brief Split an SK or SKF body into IV, ciphertext and ICV (RFC 7296 §3.14,
 *        RFC 5282 §3 for AEAD), given the lengths the negotiated suite implies.
 * @param body    the SK/SKF body (borrowed)
 * @param iv_len  IV length of the ENCR transform
 * @param icv_len ICV length (INTEG output, or the AEAD tag)
 * @param iv      receives the IV (borrowed from body)
 * @param ct      receives the encrypted part (padding included)
 * @param icv     receives the ICV
 * @return IKH_OK, or WIRE_SK_SHORT when body is shorter than iv_len + icv_len.
 */
IKH_MUST_USE ikh_err ikh_wire_sk_split(ikh_span body, size_t iv_len,
                                       size_t icv_len, ikh_span *iv,
                                       ikh_span *ct, ikh_span *icv);

/**
 * @brief IV and ICV lengths of the SK payload for a negotiated suite
 *        (RFC 7296 §3.14, RFC 5282 §3 for AES-GCM/CCM, RFC 7634 §3 for
 *        ChaCha20-Poly1305, RFC 3602/3686/5529 for CBC/CTR modes).
 * @param encr    ENCR transform ID
 * @param integ   INTEG transform ID (ignored for AEAD transforms; 0 = none)
 * @param iv_len  receives the IV length
 * @param icv_len receives the ICV length (AEAD tag or INTEG output)
 * @return true when both transforms are known; false otherwise (outputs
 * untouched).
 */
bool ikh_wire_sk_lengths(uint16_t encr, uint16_t integ, size_t *iv_len,
                         size_t *icv_len);

/**
 * @brief Read the fixed IKE header (RFC 7296 §3.1: SPIs, Next Payload,
 *        Version, Exchange Type, Flags, Message ID, Length) from @p rd,
 *        without checking any field.
 * @param rd reader positioned at the header (borrowed); on a short input
 *           its error is set (ikh_rd_error()) and @p h holds zeros for the
 *           missing fields
 * @param h  receives the fields
 */
void ikh_wire_hdr_read(ikh_rd *rd, ikh_ike_hdr *h);

#endif /* IKH_WIRE_H */
