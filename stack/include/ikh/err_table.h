/* SPDX-License-Identifier: MIT */
/* clang-format off */
/*
 * The one table of ikeharness error codes (../shared/STYLE.md §5).
 *
 * Each row: IKH_ERR(NAME, number, notify to peer, disposition, message).
 *  - number: stable forever, never reused. Classes: 0 OK, 1xx caller misuse,
 *    2xx wire, 3xx crypto, 4xx IKE protocol, 5xx ESP, 6xx environment/limits.
 *  - notify: the RFC 7296 §3.10.1 Notify error type a peer should receive
 *    (NONE: no notify), written without the IKH_N_ prefix.
 *  - disposition: the default reaction; exchange code applies RFC 7296 §2.21
 *    on top (an unauthenticated message never gets a notify that could be
 *    used for a reflection attack).
 *      NONE   no peer is involved (caller misuse, tool input, environment)
 *      DROP   discard the message silently (count it, log it)
 *      NOTIFY answer with the notify in the third column
 *      FATAL  the SA cannot continue
 *
 * This file is included several times with different IKH_ERR definitions;
 * it has no include guard on purpose. It lives with the public headers
 * because the public ikh_err enum is generated from it.
 */
/*      name                      num  notify                     disp    message */
IKH_ERR(OK,                         0, NONE,                      NONE,   "success")
/* 1xx: caller misuse and bad command-line input */
IKH_ERR(ARG_INVALID,              101, NONE,                      NONE,   "invalid argument")
IKH_ERR(ARG_RANGE,                102, NONE,                      NONE,   "argument out of range")
IKH_ERR(ARG_HEX,                  103, NONE,                      NONE,   "input is not an even number of hex digits")
IKH_ERR(ARG_USAGE,                104, NONE,                      NONE,   "bad command-line usage")
IKH_ERR(STATE,                    105, NONE,                      NONE,   "call not allowed in the object's current state")
IKH_ERR(NOT_IMPLEMENTED,          106, NONE,                      NONE,   "this part of ikeharness is not built yet")
/* 11x: scenario files (caller input) */
IKH_ERR(SCN_SYNTAX,               110, NONE,                      NONE,   "scenario file is not valid YAML")
IKH_ERR(SCN_SCHEMA,               111, NONE,                      NONE,   "scenario file has an unknown key, a wrong type or a missing key")
IKH_ERR(SCN_VALUE,                112, NONE,                      NONE,   "scenario value is out of range or not understood")
IKH_ERR(SCN_REF,                  113, NONE,                      NONE,   "scenario names a peer, child or link that does not exist")
IKH_ERR(SCN_LIMIT,                114, NONE,                      NONE,   "scenario has more items than the limits allow")
/* 12x: key files of the capture decryption check (capdec.h; caller input) */
IKH_ERR(KEYS_SYNTAX,              120, NONE,                      NONE,   "key file line has the wrong number of fields or is too long")
IKH_ERR(KEYS_VALUE,               121, NONE,                      NONE,   "key file field is not a valid SPI, hex key, number or address")
IKH_ERR(KEYS_TRANSFORM,           122, NONE,                      NONE,   "key file names a transform or pairing this build cannot use")
IKH_ERR(KEYS_KEY_LEN,             123, NONE,                      NONE,   "key file key length does not match its transform")
IKH_ERR(KEYS_DUPLICATE,           124, NONE,                      NONE,   "key file lists the same SA twice")
IKH_ERR(KEYS_LIMIT,               125, NONE,                      NONE,   "key file lists more SAs than the limit")
/* 2xx: wire format (RFC 7296 §3, RFC 7383), byte level */
IKH_ERR(WIRE_TRUNCATED,           201, INVALID_SYNTAX,            DROP,   "input ends inside a field")
IKH_ERR(WIRE_NOBUF,               202, NONE,                      NONE,   "output buffer too small")
IKH_ERR(WIRE_HDR_SHORT,           203, NONE,                      DROP,   "datagram shorter than the 28-octet IKE header")
IKH_ERR(WIRE_BAD_MAJOR,           204, INVALID_MAJOR_VERSION,     NOTIFY, "IKE major version is not 2")
IKH_ERR(WIRE_MSG_LEN_SHORT,       205, NONE,                      DROP,   "IKE header Length is below 28")
IKH_ERR(WIRE_MSG_LEN_OVERRUN,     206, NONE,                      DROP,   "IKE header Length runs past the datagram")
IKH_ERR(WIRE_MSG_TRAILING,        207, NONE,                      DROP,   "datagram has octets after the IKE header Length")
IKH_ERR(WIRE_CHAIN_UNTERMINATED,  208, INVALID_SYNTAX,            DROP,   "payload chain names a next payload but the message ends")
IKH_ERR(WIRE_PL_LEN_SHORT,        209, INVALID_SYNTAX,            DROP,   "payload Length is below 4")
IKH_ERR(WIRE_PL_LEN_OVERRUN,      210, INVALID_SYNTAX,            DROP,   "payload Length runs past the message")
IKH_ERR(WIRE_PL_BODY_SHORT,       211, INVALID_SYNTAX,            DROP,   "payload is shorter than its fixed fields")
IKH_ERR(WIRE_CHAIN_TRAILING,      212, INVALID_SYNTAX,            DROP,   "octets after the last payload of the chain")
IKH_ERR(WIRE_PL_AFTER_SK,         213, INVALID_SYNTAX,            DROP,   "octets or a payload after the Encrypted (SK/SKF) payload")
IKH_ERR(WIRE_TOO_MANY_PAYLOADS,   214, INVALID_SYNTAX,            DROP,   "more payloads than the codec limit")
IKH_ERR(WIRE_SA_EMPTY,            215, INVALID_SYNTAX,            DROP,   "SA payload holds no proposal")
IKH_ERR(WIRE_PROP_LAST,           216, INVALID_SYNTAX,            DROP,   "proposal Last Substruc is not 0/2 or disagrees with the payload end")
IKH_ERR(WIRE_PROP_LEN,            217, INVALID_SYNTAX,            DROP,   "proposal Length is below 8 or runs past the SA payload")
IKH_ERR(WIRE_PROP_SPI_LEN,        218, INVALID_SYNTAX,            DROP,   "proposal SPI Size runs past the proposal")
IKH_ERR(WIRE_XFORM_COUNT,         219, INVALID_SYNTAX,            DROP,   "proposal Num Transforms does not match its transforms")
IKH_ERR(WIRE_XFORM_LAST,          220, INVALID_SYNTAX,            DROP,   "transform Last Substruc is not 0/3 or disagrees with the proposal end")
IKH_ERR(WIRE_XFORM_LEN,           221, INVALID_SYNTAX,            DROP,   "transform Length is below 8 or runs past the proposal")
IKH_ERR(WIRE_ATTR_OVERRUN,        222, INVALID_SYNTAX,            DROP,   "attribute runs past its transform or payload")
IKH_ERR(WIRE_TOO_MANY_ITEMS,      223, INVALID_SYNTAX,            DROP,   "more proposals, transforms, attributes or selectors than the codec limit")
IKH_ERR(WIRE_TS_COUNT,            224, INVALID_SYNTAX,            DROP,   "Number of TSs does not match the selectors in the payload")
IKH_ERR(WIRE_TS_LEN,              225, INVALID_SYNTAX,            DROP,   "traffic selector Length is wrong for its type or runs past the payload")
IKH_ERR(WIRE_NOTIFY_SPI_LEN,      226, INVALID_SYNTAX,            DROP,   "Notify SPI Size runs past the payload")
IKH_ERR(WIRE_DELETE_SPI_COUNT,    227, INVALID_SYNTAX,            DROP,   "Delete Num of SPIs times SPI Size does not match the payload")
IKH_ERR(WIRE_CP_ATTR_OVERRUN,     228, INVALID_SYNTAX,            DROP,   "configuration attribute runs past the CP payload")
IKH_ERR(WIRE_EAP_LEN,             229, INVALID_SYNTAX,            DROP,   "EAP Length disagrees with the EAP payload")
IKH_ERR(WIRE_SKF_FRAG_NUM,        230, INVALID_SYNTAX,            DROP,   "SKF Fragment Number is 0 or above Total Fragments")
IKH_ERR(WIRE_SK_SHORT,            231, INVALID_SYNTAX,            DROP,   "Encrypted payload is shorter than its IV and ICV")
/* 24x: wire format, semantic checks done by verify (RFC 7296 §3) */
IKH_ERR(WIRE_PROP_NUM,            240, INVALID_SYNTAX,            NOTIFY, "proposal numbers do not start at 1 and count up by one")
IKH_ERR(WIRE_PROTO_ID,            241, INVALID_SYNTAX,            NOTIFY, "unknown or misplaced security protocol ID")
IKH_ERR(WIRE_SPI_SIZE,            242, INVALID_SYNTAX,            NOTIFY, "SPI Size does not fit the protocol")
IKH_ERR(WIRE_ID_LEN,              243, INVALID_SYNTAX,            NOTIFY, "identification data length does not fit the ID type")
IKH_ERR(WIRE_TS_RANGE,            244, INVALID_SYNTAX,            NOTIFY, "traffic selector start is above its end")
IKH_ERR(WIRE_UNKNOWN_CRITICAL,    245, UNSUPPORTED_CRITICAL_PAYLOAD, NOTIFY, "unknown payload type with the critical bit set")
IKH_ERR(WIRE_SPI_ZERO,            246, NONE,                      DROP,   "IKE SPI is zero where it must not be")
IKH_ERR(WIRE_SPI_NONZERO,         247, INVALID_SYNTAX,            DROP,   "responder SPI is not zero in an IKE_SA_INIT request")
IKH_ERR(WIRE_EXCH_UNKNOWN,        248, NONE,                      DROP,   "exchange type unknown to IKEv2")
IKH_ERR(WIRE_KEY_LEN_ATTR,        249, INVALID_SYNTAX,            NOTIFY, "Key Length attribute is missing, repeated, or not TV")
/* 25x: packet framing around IKE (link, IP, UDP, RFC 3948 markers) */
IKH_ERR(PKT_LINK_TRUNCATED,       250, NONE,                      DROP,   "frame ends inside its link-layer header")
IKH_ERR(PKT_NOT_IP,               251, NONE,                      DROP,   "frame does not carry IPv4 or IPv6")
IKH_ERR(PKT_IP_TRUNCATED,         252, NONE,                      DROP,   "IP header or its Length runs past the frame")
IKH_ERR(PKT_IP_BAD,               253, NONE,                      DROP,   "IP header is malformed (version, IHL or options)")
IKH_ERR(PKT_IP_FRAGMENT,          254, NONE,                      DROP,   "IP fragment (held for reassembly; a single frame is never reassembled)")
IKH_ERR(PKT_NOT_UDP,              255, NONE,                      DROP,   "IP packet does not carry UDP or ESP")
IKH_ERR(PKT_UDP_TRUNCATED,        256, NONE,                      DROP,   "UDP header or its Length runs past the IP payload")
IKH_ERR(PKT_NOT_IKE,              257, NONE,                      DROP,   "UDP datagram is not IKE (port, marker)")
IKH_ERR(PKT_ESP,                  258, NONE,                      DROP,   "packet is ESP, not IKE")
IKH_ERR(PKT_NAT_KEEPALIVE,        259, NONE,                      DROP,   "packet is a NAT keepalive (RFC 3948 §2.3)")
/* 26x: IP reassembly in the capture reader (pcap/src/reasm.c); each names
 * why a datagram in reassembly was dropped, reported once per datagram */
IKH_ERR(PKT_FRAG_OVERLAP,         260, NONE,                      DROP,   "IP fragments overlap with different data (IPv6: any overlap but an exact duplicate, RFC 5722); datagram dropped")
IKH_ERR(PKT_FRAG_BAD,             261, NONE,                      DROP,   "IP fragment offset or length is invalid, or too many fragments; datagram dropped")
IKH_ERR(PKT_FRAG_TIMEOUT,         262, NONE,                      DROP,   "IP datagram incomplete 30 s after its first fragment or at the end of the capture")
IKH_ERR(PKT_FRAG_LIMIT,           263, NONE,                      DROP,   "IP datagram evicted: too many datagrams in reassembly")
/* 27x: per-exchange payload rules (msg_rules.c) */
IKH_ERR(WIRE_RULE_MISSING,        270, INVALID_SYNTAX,            NOTIFY, "a payload this exchange requires is missing")
IKH_ERR(WIRE_RULE_NOT_ALLOWED,    271, INVALID_SYNTAX,            NOTIFY, "payload not allowed in this exchange and direction")
IKH_ERR(WIRE_RULE_TOO_MANY,       272, INVALID_SYNTAX,            NOTIFY, "payload appears more often than this exchange allows")
IKH_ERR(WIRE_RULE_NEEDS_SK,       273, INVALID_SYNTAX,            NOTIFY, "payload must be inside the Encrypted payload")
IKH_ERR(WIRE_RULE_SK_MISSING,     274, INVALID_SYNTAX,            DROP,   "exchange must be protected but has no Encrypted payload")
IKH_ERR(WIRE_RULE_SK_FORBIDDEN,   275, INVALID_SYNTAX,            DROP,   "IKE_SA_INIT must not carry an Encrypted payload")
IKH_ERR(WIRE_RULE_SKF_NOT_ALONE,  276, INVALID_SYNTAX,            DROP,   "Encrypted Fragment payload must be the only payload")
/* 3xx: crypto */
IKH_ERR(CRYPTO_UNSUPPORTED,       301, NO_PROPOSAL_CHOSEN,        NOTIFY, "transform not supported by this build")
IKH_ERR(CRYPTO_ICV,               302, NONE,                      DROP,   "integrity check (ICV or AEAD tag) failed")
IKH_ERR(CRYPTO_KE_INVALID,        303, INVALID_SYNTAX,            NOTIFY, "peer key exchange value is invalid (length, range or point)")
IKH_ERR(CRYPTO_KEY_FORMAT,        304, NONE,                      NONE,   "key file is not valid PEM/DER of a supported key type")
IKH_ERR(CRYPTO_SIG_INVALID,       305, AUTHENTICATION_FAILED,     FATAL,  "signature does not verify")
IKH_ERR(CRYPTO_SIG_UNSUPPORTED,   306, AUTHENTICATION_FAILED,     FATAL,  "signature algorithm or hash not supported")
IKH_ERR(CRYPTO_PADDING,           307, NONE,                      DROP,   "decrypted padding is malformed")
IKH_ERR(CRYPTO_FAILED,            308, NONE,                      NONE,   "cryptographic operation failed")
/* 4xx: IKE protocol (RFC 7296) */
IKH_ERR(IKE_NO_PROPOSAL,          401, NO_PROPOSAL_CHOSEN,        NOTIFY, "no acceptable proposal")
IKH_ERR(IKE_INVALID_KE,           402, INVALID_KE_PAYLOAD,        NOTIFY, "KE payload group is not the selected group")
IKH_ERR(IKE_AUTH_FAILED,          403, AUTHENTICATION_FAILED,     FATAL,  "peer authentication failed")
IKH_ERR(IKE_TS_UNACCEPTABLE,      404, TS_UNACCEPTABLE,           NOTIFY, "traffic selectors are not acceptable")
IKH_ERR(IKE_SINGLE_PAIR,          405, SINGLE_PAIR_REQUIRED,      NOTIFY, "only a single pair of traffic selectors is acceptable")
IKH_ERR(IKE_NO_ADDRESS,           406, INTERNAL_ADDRESS_FAILURE,  NOTIFY, "no address could be assigned from the pool")
IKH_ERR(IKE_TEMPORARY,            407, TEMPORARY_FAILURE,         NOTIFY, "request collides with an exchange in progress")
IKH_ERR(IKE_NO_ADDITIONAL_SAS,    408, NO_ADDITIONAL_SAS,         NOTIFY, "no more Child SAs accepted on this IKE SA")
IKH_ERR(IKE_INVALID_SPI,          409, INVALID_SPI,               NOTIFY, "no Child SA with this SPI")
IKH_ERR(IKE_UNKNOWN_SPI,          410, INVALID_IKE_SPI,           DROP,   "no IKE SA for these SPIs")
IKH_ERR(IKE_MID_UNEXPECTED,       411, NONE,                      DROP,   "message ID outside the window")
IKH_ERR(IKE_RESPONSE_UNKNOWN,     412, NONE,                      DROP,   "response to no outstanding request")
IKH_ERR(IKE_PEER_ERROR,           413, NONE,                      FATAL,  "peer answered with an error notify")
IKH_ERR(IKE_TIMEOUT,              414, NONE,                      FATAL,  "peer did not answer within the retransmission budget")
IKH_ERR(IKE_ID_MISMATCH,          415, AUTHENTICATION_FAILED,     FATAL,  "peer identity is not the configured one")
IKH_ERR(IKE_NONCE,                416, INVALID_SYNTAX,            NOTIFY, "nonce length outside 16..256 octets")
IKH_ERR(IKE_SA_LIMIT,             417, NONE,                      DROP,   "IKE SA table is full")
IKH_ERR(IKE_HALF_OPEN_EXPIRED,    418, NONE,                      FATAL,  "half-open IKE SA expired")
IKH_ERR(IKE_FRAGMENT,             419, NONE,                      DROP,   "fragment could not be reassembled")
IKH_ERR(IKE_UNEXPECTED,           420, INVALID_SYNTAX,            DROP,   "message not expected in this state")
IKH_ERR(IKE_DELETED,              421, NONE,                      FATAL,  "IKE SA deleted")
IKH_ERR(IKE_EXPIRED,              422, NONE,                      FATAL,  "hard lifetime expired")
IKH_ERR(IKE_COOKIE,               423, NONE,                      DROP,   "COOKIE missing or wrong")
IKH_ERR(IKE_MSG_TOO_BIG,          424, NONE,                      NONE,   "message larger than the largest message we build")
/* 5xx: ESP (RFC 4303, RFC 3948) */
IKH_ERR(ESP_TRUNCATED,            501, NONE,                      DROP,   "ESP packet shorter than its header, IV and ICV")
IKH_ERR(ESP_UNKNOWN_SPI,          502, INVALID_SPI,               DROP,   "no inbound ESP SA with this SPI")
IKH_ERR(ESP_REPLAYED,             503, NONE,                      DROP,   "sequence number already seen")
IKH_ERR(ESP_TOO_OLD,              504, NONE,                      DROP,   "sequence number left of the replay window")
IKH_ERR(ESP_SEQ_ZERO,             505, NONE,                      DROP,   "sequence number zero is never sent")
IKH_ERR(ESP_PADDING,              506, NONE,                      DROP,   "ESP padding octets are not 1, 2, 3, ...")
IKH_ERR(ESP_PAD_LEN,              507, NONE,                      DROP,   "ESP pad length runs past the data")
IKH_ERR(ESP_NEXT_HEADER,          508, NONE,                      DROP,   "ESP next header not acceptable here")
IKH_ERR(ESP_DUMMY,                509, NONE,                      DROP,   "dummy ESP packet (next header 59)")
IKH_ERR(ESP_SEQ_EXHAUSTED,        510, NONE,                      NONE,   "sequence numbers of the SA used up: rekey")
IKH_ERR(ESP_NOBUF,                511, NONE,                      NONE,   "not enough headroom or tailroom for ESP")
IKH_ERR(ESP_NO_POLICY,            512, NONE,                      DROP,   "no Child SA covers this packet")
IKH_ERR(ESP_INNER,                513, NONE,                      DROP,   "inner packet is not a well-formed IP packet")
/* 6xx: environment, files and limits */
IKH_ERR(ENV_NOMEM,                601, TEMPORARY_FAILURE,         NONE,   "out of memory")
IKH_ERR(ENV_SEND,                 602, NONE,                      NONE,   "send hook failed")
IKH_ERR(IO_OPEN,                  603, NONE,                      NONE,   "cannot open file")
IKH_ERR(IO_READ,                  604, NONE,                      NONE,   "cannot read file")
IKH_ERR(IO_WRITE,                 605, NONE,                      NONE,   "cannot write file")
IKH_ERR(IO_TOO_BIG,               606, NONE,                      NONE,   "file larger than the input limit")
IKH_ERR(PCAP_OPEN,                610, NONE,                      NONE,   "not a pcap or pcapng file libpcap can read")
IKH_ERR(PCAP_LINKTYPE,            611, NONE,                      NONE,   "capture link type not supported")
IKH_ERR(PCAP_RECORD,              612, NONE,                      NONE,   "damaged capture record")
IKH_ERR(PCAP_SNAPLEN,             613, NONE,                      DROP,   "packet was cut by the capture snap length")
IKH_ERR(LOG_TRUNCATED,            620, NONE,                      NONE,   "log line did not fit and was truncated")
IKH_ERR(METRIC_UNKNOWN,           621, NONE,                      NONE,   "unknown metric ID or label")
IKH_ERR(ENV_SOCKET,               630, NONE,                      NONE,   "socket could not be opened, bound or used")
IKH_ERR(ENV_CLOCK,                631, NONE,                      NONE,   "monotonic clock could not be read")
IKH_ERR(ENV_SIM_QUEUE_FULL,       632, NONE,                      DROP,   "simulator event queue is full")
IKH_ERR(ENV_SIM_LIMIT,            633, NONE,                      NONE,   "simulator table is full (nodes, links or schedule)")
IKH_ERR(ENV_SIM_STEPS,            634, NONE,                      NONE,   "simulator step limit reached (a node keeps a past deadline)")
/* clang-format on */
