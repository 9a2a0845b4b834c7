/* SPDX-License-Identifier: MIT */
/* clang-format off */
/*
 * The one table of conformance rules `ikeharness replay` checks
 * (replay.h; docs/conformance.md is generated from it).
 *
 * Each row: IKH_RULE(NAME, "ID", rfc, "section", LEVEL, SCOPE, needs_keys,
 *                    "what it checks", "why, in one line").
 *  - ID: "RFC<rfc>-<section>-<MNEMONIC>": the RFC citation the rule checks
 *    (../shared/STYLE.md §16) and a short name. Stable once released; a
 *    changed meaning gets a new ID.
 *  - LEVEL: MUST or SHOULD (RFC 2119 keyword of the requirement).
 *  - SCOPE: what one result is about: MESSAGE (one IKE message), EXCHANGE
 *    (a message against the rest of its exchange: request, response,
 *    retransmissions), SA (a message against its IKE SA's history), ESP
 *    (one ESP packet). Every result is recorded against the frame that
 *    showed it.
 *  - needs_keys: the rule looks inside the Encrypted payload (SK/SKF) or
 *    at ESP plaintext; on an encrypted message nobody could decrypt the
 *    result is "not checkable without keys" instead of a guess.
 *
 * This file is included several times with different IKH_RULE
 * definitions; it has no include guard on purpose.
 */
/* ---- IKE header (RFC 7296 §3.1) ---------------------------------------- */
IKH_RULE(HDR_MAJOR, "RFC7296-3.1-MAJOR", 7296, "3.1", MUST, MESSAGE, false,
         "the IKE header Major Version is 2",
         "IKEv2 implementations MUST set the major version to 2")
IKH_RULE(HDR_MINOR, "RFC7296-3.1-MINOR", 7296, "3.1", MUST, MESSAGE, false,
         "the IKE header Minor Version is 0",
         "implementations of this version MUST set the minor version to 0")
IKH_RULE(HDR_FLAGS, "RFC7296-3.1-FLAGS", 7296, "3.1", MUST, MESSAGE, false,
         "the Version flag and the five reserved flag bits are clear",
         "V and the X bits MUST be cleared when sending")
IKH_RULE(HDR_ISPI, "RFC7296-3.1-ISPI", 7296, "3.1", MUST, MESSAGE, false,
         "the Initiator's SPI is not zero",
         "the initiator's SPI identifies the IKE SA and MUST NOT be zero")
IKH_RULE(HDR_RSPI_INIT, "RFC7296-3.1-RSPI-ZERO", 7296, "3.1", MUST, MESSAGE, false,
         "the Responder's SPI is zero in every IKE_SA_INIT request",
         "the responder has not chosen its SPI yet when the first message (and its cookie or KE retries) is sent")
IKH_RULE(HDR_RSPI_SET, "RFC7296-3.1-RSPI-SET", 7296, "3.1", MUST, MESSAGE, false,
         "the Responder's SPI is not zero in an IKE_SA_INIT response that accepts the SA, nor in any later exchange",
         "only the first message, and error or COOKIE answers to it, go without the responder's SPI")
IKH_RULE(INIT_MID, "RFC7296-2.2-INIT-MID", 7296, "2.2", MUST, MESSAGE, false,
         "IKE_SA_INIT requests and responses carry Message ID 0",
         "the IKE_SA_INIT exchange is the first exchange of the SA and is numbered 0")
IKH_RULE(HDR_EXCH_RESERVED, "RFC7296-3.1-EXCH-RESERVED", 7296, "3.1", MUST, MESSAGE, false,
         "the Exchange Type is not one of the reserved values 0-33",
         "values 0-33 are reserved; IKEv2 exchanges are 34 and up")
/* ---- structure (RFC 7296 §3.2, §3.14; RFC 7383 §2.5) -------------------- */
IKH_RULE(MSG_WELLFORMED, "RFC7296-3.2-WELLFORMED", 7296, "3.2", MUST, MESSAGE, false,
         "the message parses: header Length, payload chain and every payload and substructure length are consistent",
         "a receiver can only process a message whose lengths add up")
IKH_RULE(PL_RESERVED, "RFC7296-3.2-PL-RESERVED", 7296, "3.2", MUST, MESSAGE, false,
         "the 7 reserved bits of every generic payload header are zero",
         "RESERVED MUST be sent as zero")
IKH_RULE(PL_CRITICAL, "RFC7296-3.2-CRITICAL", 7296, "3.2", MUST, MESSAGE, false,
         "the critical bit is clear on every payload of a type RFC 7296 defines (SA through EAP, 33-48) the replay can see (outer ones always, inner ones when decrypted)",
         "the critical bit MUST be set to zero for payload types defined in this document")
IKH_RULE(SK_LAST, "RFC7296-3.14-SK-LAST", 7296, "3.14", MUST, MESSAGE, false,
         "nothing follows the Encrypted (SK/SKF) payload",
         "the Encrypted payload, if present, MUST be the last payload in the message")
IKH_RULE(INIT_CLEAR, "RFC7296-1.2-INIT-CLEAR", 7296, "1.2", MUST, MESSAGE, false,
         "IKE_SA_INIT messages carry no Encrypted (SK/SKF) payload",
         "no keys exist before IKE_SA_INIT completes, and RFC 7383 §2.5 forbids fragmenting it")
IKH_RULE(MSG_PROTECTED, "RFC7296-1.2-PROTECTED", 7296, "1.2", MUST, MESSAGE, false,
         "IKE_AUTH, CREATE_CHILD_SA and INFORMATIONAL messages carry an Encrypted (SK/SKF) payload (but an INVALID_IKE_SPI answer, §2.21.4)",
         "all messages following the initial exchange are cryptographically protected")
IKH_RULE(SK_DECRYPT, "RFC7296-3.14-SK-DECRYPT", 7296, "3.14", MUST, MESSAGE, true,
         "the Encrypted payload verifies (ICV or AEAD tag) with the SA's keys, its Pad Length fits and the inner payload chain parses",
         "a peer discards a message whose integrity check fails")
IKH_RULE(SKF_FRAG_NUM, "RFC7383-2.5-FRAG-NUM", 7383, "2.5", MUST, MESSAGE, false,
         "an Encrypted Fragment payload has Total Fragments > 0 and 1 <= Fragment Number <= Total Fragments",
         "fragments are numbered from 1 up to the total")
IKH_RULE(SKF_NEXT, "RFC7383-2.5-FRAG-NEXT", 7383, "2.5", MUST, MESSAGE, false,
         "the Next Payload of an Encrypted Fragment payload is not zero in fragment 1 and zero in every other fragment",
         "only the first fragment names the first inner payload")
/* ---- payloads per exchange (RFC 7296 §1.2, §1.3) ------------------------- */
IKH_RULE(INIT_REQ_PAYLOADS, "RFC7296-1.2-INIT-REQ", 7296, "1.2", MUST, MESSAGE, false,
         "an IKE_SA_INIT request carries SA, KE and Nonce",
         "HDR, SAi1, KEi, Ni is the minimum first message")
IKH_RULE(INIT_RESP_PAYLOADS, "RFC7296-1.2-INIT-RESP", 7296, "1.2", MUST, MESSAGE, false,
         "an IKE_SA_INIT response carries SA, KE and Nonce, or is an answer of Notify payloads with an error or COOKIE",
         "HDR, SAr1, KEr, Nr accepts the SA; anything else must say why")
IKH_RULE(AUTH_IDI, "RFC7296-1.2-AUTH-IDI", 7296, "1.2", MUST, MESSAGE, true,
         "the first IKE_AUTH request of an IKE SA carries IDi",
         "the initiator asserts its identity with IDi in the first IKE_AUTH request")
IKH_RULE(AUTH_RESP_AUTH, "RFC7296-1.2-AUTH-RESP", 7296, "1.2", MUST, MESSAGE, true,
         "an IKE_AUTH response that carries an SA payload also carries AUTH",
         "the responder authenticates itself before the Child SA is set up")
IKH_RULE(CHILD_TS, "RFC7296-2.9-CHILD-TS", 7296, "2.9", MUST, MESSAGE, true,
         "a message proposing or accepting a Child SA (ESP/AH proposal) carries TSi and TSr",
         "a Child SA is always negotiated with its traffic selectors")
IKH_RULE(CCSA_PAYLOADS, "RFC7296-1.3-CCSA", 7296, "1.3", MUST, MESSAGE, true,
         "a CREATE_CHILD_SA request carries SA and Nonce; a response without an error Notify carries SA and Nonce",
         "HDR, SK {SA, Ni, [KEi]} and HDR, SK {SA, Nr, [KEr]} are the minimum")
IKH_RULE(NONCE_LEN, "RFC7296-3.9-NONCE-LEN", 7296, "3.9", MUST, MESSAGE, true,
         "Nonce Data is 16 to 256 octets",
         "the size of the Nonce Data MUST be between 16 and 256 octets")
IKH_RULE(KE_GROUP, "RFC7296-3.4-KE-GROUP", 7296, "3.4", MUST, MESSAGE, true,
         "the KE payload's group is a Diffie-Hellman group of a proposal in the same message's SA payload",
         "the Diffie-Hellman Group Num MUST match a group specified in a proposal in the SA payload sent in the same message")
IKH_RULE(KE_LEN, "RFC7296-3.4-KE-LEN", 7296, "3.4", MUST, MESSAGE, true,
         "the Key Exchange Data has the length of its group's public value (MODP: the prime's length; ECP: twice the coordinate, RFC 5903 §7; Curve25519 32, Curve448 56, RFC 8031 §2)",
         "the public value for MODP groups MUST be as long as the prime modulus, zero-padded")
IKH_RULE(ID_LEN, "RFC7296-3.5-ID-LEN", 7296, "3.5", MUST, MESSAGE, true,
         "an ID_IPV4_ADDR identity is 4 octets and an ID_IPV6_ADDR identity 16",
         "the ID types define a single four- or sixteen-octet address")
IKH_RULE(AUTH_ERR_NO_SA, "RFC7296-2.21.2-ERR-NO-SA", 7296, "2.21.2", MUST, MESSAGE, true,
         "an IKE_AUTH response that carries an error Notify (type below 16384) carries no SA, TSi or TSr",
         "when the Child SA fails, the response carries the error Notify instead of SAr2, TSi and TSr")
IKH_RULE(CCSA_KE_PFS, "RFC7296-1.3.1-KE-PFS", 7296, "1.3.1", MUST, MESSAGE, true,
         "a CREATE_CHILD_SA response whose accepted proposal has a Diffie-Hellman group other than NONE carries KE",
         "KEr is included when KEi was and the selected suite includes that group (else INVALID_KE_PAYLOAD)")
IKH_RULE(IKE_REKEY_PAYLOADS, "RFC7296-1.3.2-IKE-REKEY", 7296, "1.3.2", MUST, MESSAGE, true,
         "a CREATE_CHILD_SA message proposing or accepting an IKE SA (rekey) carries KE and no TSi / TSr",
         "an IKE SA rekey is HDR, SK {SA, Ni, KEi} and HDR, SK {SA, Nr, KEr}; traffic selectors belong to Child SAs")
IKH_RULE(IKE_REKEY_SPI, "RFC7296-1.3.2-REKEY-SPI", 7296, "1.3.2", MUST, MESSAGE, true,
         "the 8-octet SPI of an IKE proposal in CREATE_CHILD_SA is not zero",
         "the new IKE SA's SPI is supplied in the SPI field of the SA payload, and IKE SPIs are never zero (§3.1)")
IKH_RULE(INFO_PAYLOADS, "RFC7296-1.4-INFO-PAYLOADS", 7296, "1.4", MUST, MESSAGE, true,
         "an INFORMATIONAL message carries only Notify, Delete, Configuration and Vendor ID payloads (§3.12)",
         "messages in an INFORMATIONAL exchange contain zero or more Notification, Delete and Configuration payloads")
IKH_RULE(ID_FQDN, "RFC7296-3.5-ID-FQDN", 7296, "3.5", MUST, MESSAGE, true,
         "an ID_FQDN identity is printable ASCII and an ID_RFC822_ADDR one has no NUL, CR or LF octet",
         "the string MUST NOT contain any terminators (e.g., NULL, CR, etc.)")
/* ---- proposals (RFC 7296 §2.7, §3.3) ------------------------------------ */
IKH_RULE(PROP_NUM, "RFC7296-3.3.1-PROP-NUM", 7296, "3.3.1", MUST, MESSAGE, true,
         "in a request, the first proposal of an SA payload is number 1 and each next one is one more",
         "the first proposal MUST be 1 and subsequent proposals one more than the previous")
IKH_RULE(PROP_SINGLE, "RFC7296-2.7-PROP-SINGLE", 7296, "2.7", MUST, MESSAGE, true,
         "the SA payload of a response holds exactly one proposal",
         "the responder MUST choose a single suite")
IKH_RULE(PROP_ONE_EACH, "RFC7296-3.3-ONE-EACH", 7296, "3.3", MUST, MESSAGE, true,
         "the accepted proposal in a response has at most one transform of each type",
         "the accepted cryptographic suite MUST contain exactly one transform of each type included in the proposal")
IKH_RULE(PROP_PROTO, "RFC7296-3.3.1-PROTO", 7296, "3.3.1", MUST, MESSAGE, true,
         "proposals are IKE in IKE_SA_INIT, ESP or AH in IKE_AUTH, and IKE, ESP or AH in CREATE_CHILD_SA",
         "the Protocol ID names what the proposal negotiates, and each exchange negotiates specific SAs")
IKH_RULE(PROP_SPI_SIZE, "RFC7296-3.3.1-SPI-SIZE", 7296, "3.3.1", MUST, MESSAGE, true,
         "proposal SPI Size is 0 for IKE in IKE_SA_INIT, 8 for IKE in CREATE_CHILD_SA, 4 for ESP and AH",
         "for an initial IKE SA negotiation this field MUST be zero; otherwise the size of the protocol's SPI")
IKH_RULE(XFORM_TYPES, "RFC7296-3.3.3-XFORM-TYPES", 7296, "3.3.3", MUST, MESSAGE, true,
         "every transform type is valid for its proposal's protocol (no PRF in ESP/AH, no ESN in IKE, no ENCR in AH) and IKE proposals hold ENCR, PRF and D-H, ESP proposals ENCR",
         "section 3.3.3 lists the transform types each protocol uses")
IKH_RULE(XFORM_KEYLEN, "RFC7296-3.3.5-KEYLEN", 7296, "3.3.5", MUST, MESSAGE, true,
         "a Key Length attribute appears at most once, only on ENCR transforms, and not on fixed-length ciphers (3DES, ChaCha20-Poly1305, NULL)",
         "the Key Length attribute MUST NOT be used with transforms that use a fixed-length key")
IKH_RULE(XFORM_AEAD_INTEG, "RFC7296-3.3-AEAD-INTEG", 7296, "3.3", MUST, MESSAGE, true,
         "a proposal whose encryption transforms are all combined-mode (AEAD) has no integrity transform other than NONE",
         "combined-mode ciphers MUST offer either no integrity algorithm or a single one of NONE")
IKH_RULE(XFORM_IKE_INTEG, "RFC7296-3.3.3-IKE-INTEG", 7296, "3.3.3", MUST, MESSAGE, true,
         "an IKE proposal with a non-AEAD encryption transform carries an integrity transform other than NONE",
         "INTEG is a mandatory type of IKE proposals unless the cipher is combined-mode")
IKH_RULE(XFORM_ESN, "RFC7296-3.3.3-ESN", 7296, "3.3.3", MUST, MESSAGE, true,
         "every ESP and AH proposal carries an Extended Sequence Numbers transform",
         "ESN is a mandatory transform type for ESP and AH")
IKH_RULE(XFORM_ID_RESERVED, "RFC7296-3.3.2-ID-RESERVED", 7296, "3.3.2", MUST, MESSAGE, true,
         "no ENCR or PRF transform has the reserved Transform ID 0",
         "ID 0 is reserved for these types (for INTEG and D-H, 0 is NONE)")
IKH_RULE(XFORM_KEYLEN_REQ, "RFC7296-3.3.5-KEYLEN-REQ", 7296, "3.3.5", MUST, MESSAGE, true,
         "every ENCR_AES_CBC and ENCR_AES_CTR transform carries a Key Length attribute",
         "some transforms specify the Key Length attribute MUST be always included, e.g. ENCR_AES_CBC and ENCR_AES_CTR")
IKH_RULE(PROP_ESP_SPI, "RFC4303-2.1-PROP-SPI", 4303, "2.1", MUST, MESSAGE, true,
         "the SPI an ESP proposal announces is not 0-255",
         "SPI 0 MUST NOT be sent and 1-255 are reserved by IANA, so no ESP SA can use them")
/* ---- reserved fields (RFC 7296 §3.3 - §3.13) ---------------------------- */
IKH_RULE(PROP_RESERVED, "RFC7296-3.3.1-RESERVED", 7296, "3.3.1", MUST, MESSAGE, true,
         "the RESERVED octet of every proposal substructure is zero",
         "RESERVED MUST be sent as zero")
IKH_RULE(XFORM_RESERVED, "RFC7296-3.3.2-RESERVED", 7296, "3.3.2", MUST, MESSAGE, true,
         "both RESERVED octets of every transform substructure are zero",
         "RESERVED MUST be sent as zero")
IKH_RULE(KE_RESERVED, "RFC7296-3.4-RESERVED", 7296, "3.4", MUST, MESSAGE, true,
         "the RESERVED field of a KE payload is zero",
         "RESERVED MUST be sent as zero")
IKH_RULE(ID_RESERVED, "RFC7296-3.5-RESERVED", 7296, "3.5", MUST, MESSAGE, true,
         "the RESERVED field of an IDi / IDr payload is zero",
         "RESERVED MUST be sent as zero (it is part of the signed octets)")
IKH_RULE(AUTH_RESERVED, "RFC7296-3.8-RESERVED", 7296, "3.8", MUST, MESSAGE, true,
         "the RESERVED field of an AUTH payload is zero",
         "RESERVED MUST be sent as zero")
IKH_RULE(TS_RESERVED, "RFC7296-3.13-RESERVED", 7296, "3.13", MUST, MESSAGE, true,
         "the RESERVED field of a TSi / TSr payload is zero",
         "RESERVED MUST be sent as zero")
IKH_RULE(CP_RESERVED, "RFC7296-3.15-RESERVED", 7296, "3.15", MUST, MESSAGE, true,
         "the RESERVED field of a Configuration payload is zero",
         "RESERVED MUST be sent as zero")
IKH_RULE(CP_ATTR_R, "RFC7296-3.15.1-ATTR-R", 7296, "3.15.1", MUST, MESSAGE, true,
         "the reserved bit of every configuration attribute is zero",
         "this bit MUST be set to zero and MUST be ignored on receipt")
IKH_RULE(NOTIFY_PROTO, "RFC7296-3.10-PROTO", 7296, "3.10", MUST, MESSAGE, true,
         "a Notify payload without an SPI has Protocol ID 0",
         "if the SPI field is empty, the Protocol ID MUST be sent as zero")
/* ---- notifications and deletes (RFC 7296 §2.6, §3.10, §3.11) ------------ */
IKH_RULE(NOTIFY_CHILD_PROTO, "RFC7296-3.10-CHILD-PROTO", 7296, "3.10", MUST, MESSAGE, true,
         "a Notify payload with a 4-octet SPI (about a Child SA) has Protocol ID ESP or AH",
         "for notifications concerning Child SAs, the Protocol ID MUST be AH (2) or ESP (3)")
IKH_RULE(COOKIE_LEN, "RFC7296-2.6-COOKIE-LEN", 7296, "2.6", MUST, MESSAGE, false,
         "COOKIE notification data is 1 to 64 octets",
         "the data associated with this notification MUST be between 1 and 64 octets")
IKH_RULE(INVALID_KE_DATA, "RFC7296-3.10.1-INVALID-KE", 7296, "3.10.1", MUST, MESSAGE, false,
         "an INVALID_KE_PAYLOAD notification carries the two-octet accepted D-H group",
         "the initiator needs the group to retry with")
IKH_RULE(DELETE_SPI, "RFC7296-3.11-DELETE-SPI", 7296, "3.11", MUST, MESSAGE, true,
         "a Delete payload for IKE has SPI Size 0 and no SPIs; for ESP and AH, SPI Size 4 and at least one SPI",
         "for an IKE SA the SPI Size is 0; for ESP and AH it is 4")
IKH_RULE(NOTIFY_SPI_SIZE, "RFC7296-3.10-SPI-SIZE", 7296, "3.10", MUST, MESSAGE, true,
         "a Notify payload's SPI Size is 0 (the IKE SA or no SA) or 4 (an ESP / AH SA)",
         "for a notification concerning the IKE SA the SPI Size MUST be zero; ESP and AH SPIs are 4 octets")
IKH_RULE(REKEY_SA_FORM, "RFC7296-1.3.3-REKEY-SA-FORM", 7296, "1.3.3", MUST, MESSAGE, true,
         "a REKEY_SA Notify has Protocol ID ESP or AH, a 4-octet SPI and no data",
         "the SA being rekeyed is identified by the SPI field; there is no data (§3.10.1)")
IKH_RULE(NATD_LEN, "RFC7296-2.23-NATD-LEN", 7296, "2.23", MUST, MESSAGE, false,
         "NAT_DETECTION_SOURCE_IP / _DESTINATION_IP data is 20 octets",
         "the data associated with these notifications is a SHA-1 digest")
IKH_RULE(FRAG_SUPP_EMPTY, "RFC7383-2.3-FRAG-SUPP-EMPTY", 7383, "2.3", MUST, MESSAGE, false,
         "an IKEV2_FRAGMENTATION_SUPPORTED Notify has Protocol ID 0, no SPI and no data",
         "Protocol ID and SPI Size are both set to 0 and the notification contains no data")
IKH_RULE(SIGHASH_LIST, "RFC7427-4-SIGHASH-LIST", 7427, "4", MUST, MESSAGE, false,
         "SIGNATURE_HASH_ALGORITHMS data is a non-empty list of 2-octet hash algorithm identifiers",
         "the Notification Data field contains the list of 16-bit hash algorithm identifiers")
IKH_RULE(CERTREQ_HASHES, "RFC7296-3.7-CERTREQ-HASHES", 7296, "3.7", MUST, MESSAGE, true,
         "the Certification Authority field of an X.509 CERTREQ (encoding 4, 12 or 13) is a whole number of 20-octet SHA-1 hashes",
         "the Certification Authority value is a concatenated list of SHA-1 hashes of the public keys of trusted CAs")
IKH_RULE(CP_TYPE, "RFC7296-3.15-CP-TYPE", 7296, "3.15", MUST, MESSAGE, true,
         "a Configuration payload in a request is CFG_REQUEST or CFG_SET, in a response CFG_REPLY or CFG_ACK",
         "CFG_REQUEST and CFG_SET are requests; CFG_REPLY and CFG_ACK answer them")
IKH_RULE(CP_ATTR_LEN, "RFC7296-3.15.1-ATTR-LEN", 7296, "3.15.1", MUST, MESSAGE, true,
         "each configuration attribute of a fixed-size type has length 0 or its size (IP4 address, netmask, DNS, NBNS, DHCP 4; IP6 address and subnet 17; IP6 DNS, DHCP 16; IP4 subnet 8; SUPPORTED_ATTRIBUTES a multiple of 2)",
         "the table of section 3.15.1 gives each attribute's length: zero (a request) or its value")
IKH_RULE(ID_TYPE, "RFC7296-3.5-ID-TYPE", 7296, "3.5", MUST, MESSAGE, true,
         "an IDi / IDr ID Type is not a reserved value (0, and 4, 6, 7, 8: IKEv1's subnet and range types)",
         "the reserved ID types name no identity an IKEv2 peer can match")
IKH_RULE(CERT_ENC, "RFC7296-3.6-CERT-ENC", 7296, "3.6", MUST, MESSAGE, true,
         "a CERT / CERTREQ Certificate Encoding is not a reserved value (0, 5)",
         "the reserved encodings define no certificate format")
IKH_RULE(AUTH_METHOD, "RFC7296-3.8-AUTH-METHOD", 7296, "3.8", MUST, MESSAGE, true,
         "an AUTH payload's Auth Method is not a reserved value never assigned (0, 4-8)",
         "the reserved methods define no way to compute or verify the AUTH data")
IKH_RULE(TS_TYPE, "RFC7296-3.13.1-TS-TYPE", 7296, "3.13.1", MUST, MESSAGE, true,
         "a traffic selector's TS Type is not a reserved value (0-6)",
         "TS Types 0-6 are reserved; IKEv2 selectors are 7 (IPv4 range), 8 (IPv6 range) and later assignments")
IKH_RULE(TS_RANGE, "RFC7296-3.13.1-TS-RANGE", 7296, "3.13.1", MUST, MESSAGE, true,
         "an IPv4 / IPv6 traffic selector has Starting Address <= Ending Address and Start Port <= End Port (but the OPAQUE 65535..0)",
         "the starting address and port are the smallest included, the ending ones the largest")
/* ---- exchanges (RFC 7296 §2.1, §2.2, §2.6, §2.7, §3.1) ------------------- */
IKH_RULE(MID_SEQ, "RFC7296-2.2-MID-SEQ", 7296, "2.2", MUST, EXCHANGE, false,
         "each side's new requests carry Message IDs 0, 1, 2, ... in order (retransmissions repeat one)",
         "the Message ID is incremented for each new request; its own counter for each side")
IKH_RULE(RESP_MATCH, "RFC7296-2.2-RESP-MATCH", 7296, "2.2", MUST, EXCHANGE, false,
         "a response answers a request seen in the capture: same SPIs, Message ID and exchange type, opposite side",
         "the response MUST contain the same Message ID as the request it answers")
IKH_RULE(RETRANS_SAME, "RFC7296-2.1-RETRANS", 7296, "2.1", MUST, EXCHANGE, false,
         "a retransmitted request or response (same Message ID, side and fragment) is octet-for-octet the first one",
         "a retransmission repeats the message; a changed one would be a new message under an old ID")
IKH_RULE(FLAGS_I, "RFC7296-3.1-FLAG-I", 7296, "3.1", MUST, EXCHANGE, false,
         "the Initiator flag is set exactly in the messages the original initiator of the IKE SA sends (by address, and opposite between request and response)",
         "the I bit MUST be set by the original initiator and cleared by the original responder")
IKH_RULE(PROP_CHOSEN, "RFC7296-2.7-PROP-CHOSEN", 7296, "2.7", MUST, EXCHANGE, true,
         "the proposal of a response is one the request offered: same number and protocol, each transform offered in it, one of each offered type",
         "the responder chooses from the initiator's proposals, it does not make up a suite")
IKH_RULE(COOKIE_RETRY, "RFC7296-2.6-COOKIE-RETRY", 7296, "2.6", MUST, EXCHANGE, false,
         "after an IKE_SA_INIT response with COOKIE, the retried request starts with a COOKIE Notify holding the received data",
         "the initiator MUST retry with the COOKIE notification containing the received data as the first payload")
IKH_RULE(INVALID_KE_RETRY, "RFC7296-1.2-KE-RETRY", 7296, "1.2", SHOULD, EXCHANGE, false,
         "after an IKE_SA_INIT response with INVALID_KE_PAYLOAD, the retried request's KE uses the group the responder named",
         "the initiator should pick an element of the indicated group when retrying")
IKH_RULE(NATD_HASH, "RFC7296-2.23-NATD", 7296, "2.23", SHOULD, EXCHANGE, false,
         "NAT_DETECTION_SOURCE_IP / _DESTINATION_IP hold SHA-1(SPIi | SPIr | IP | port) of the packet's source / destination as captured",
         "a mismatch means a NAT between sender and capture point, forced UDP encapsulation, or a wrong hash")
IKH_RULE(NONCE_PRF, "RFC7296-2.10-NONCE-PRF", 7296, "2.10", MUST, EXCHANGE, true,
         "when an IKE SA is negotiated (IKE_SA_INIT, IKE SA rekey), Ni and Nr are each at least half the key size of the chosen PRF",
         "nonces MUST be at least half the key size of the negotiated PRF")
/* ---- IKE SA (RFC 7296 §1.3.3; RFC 7383 §2.3) ---------------------------- */
IKH_RULE(REKEY_SA_KNOWN, "RFC7296-1.3.3-REKEY-SA", 7296, "1.3.3", MUST, SA, true,
         "the SPI of a REKEY_SA Notify in a CREATE_CHILD_SA request is a Child SA SPI an earlier exchange in the capture set up",
         "the SA being rekeyed is identified by the SPI field of the REKEY_SA notification")
IKH_RULE(SKF_NEGOTIATED, "RFC7383-2.3-FRAG-NEGOTIATED", 7383, "2.3", MUST, SA, false,
         "Encrypted Fragment payloads are sent only on IKE SAs whose IKE_SA_INIT request and response both carried IKEV2_FRAGMENTATION_SUPPORTED",
         "IKE fragmentation is used only when both peers announced support for it")
/* ---- ESP (RFC 4303) ------------------------------------------------------ */
IKH_RULE(ESP_SEQ_NONZERO, "RFC4303-3.3.3-SEQ-NONZERO", 4303, "3.3.3", MUST, ESP, false,
         "the ESP Sequence Number is not zero",
         "the counter starts at 0 and is incremented before each packet, so the first packet is 1")
IKH_RULE(ESP_SEQ_UNIQUE, "RFC4303-3.3.3-SEQ-UNIQUE", 4303, "3.3.3", MUST, ESP, false,
         "no sequence number is sent twice on one SA with different octets (an octet-identical copy is a network duplicate)",
         "the sender MUST NOT allow the counter to cycle; a reused number is a replay to the receiver")
IKH_RULE(ESP_SEQ_ORDER, "RFC4303-3.3.3-SEQ-ORDER", 4303, "3.3.3", SHOULD, ESP, false,
         "sequence numbers of an SA increase in capture order",
         "the sender increments the counter for each packet; a capture behind a reordering network may see otherwise")
IKH_RULE(ESP_SPI_KNOWN, "RFC4303-2.1-SPI-KNOWN", 4303, "2.1", MUST, ESP, true,
         "an ESP packet's SPI is one an IKE exchange in the capture set up (an ESP proposal's SPI)",
         "the SPI is chosen by the receiver when the SA is negotiated; an unknown SPI is an SA nobody agreed to")
IKH_RULE(ESP_PADDING, "RFC4303-2.4-PADDING", 4303, "2.4", MUST, ESP, true,
         "the ESP packet verifies with its keys and its padding octets are 1, 2, 3, ...",
         "default padding MUST be the series 1, 2, 3, ... and the receiver verifies the ICV")
IKH_RULE(ESP_SPI_RESERVED, "RFC4303-2.1-SPI-RESERVED", 4303, "2.1", MUST, ESP, false,
         "the ESP SPI is not 0 (never sent) nor 1-255 (reserved by IANA)",
         "SPI 0 is for local use and MUST NOT be sent on the wire; 1-255 are reserved for future use")
/* ---- UDP encapsulation (RFC 3948) ----------------------------------------- */
IKH_RULE(ESP_UDP_PORTS, "RFC3948-2.1-PORTS", 3948, "2.1", MUST, ESP, false,
         "ESP in UDP uses the source and destination ports of the IKE traffic (sent with the non-ESP marker) between the same two addresses",
         "the UDP ports of encapsulated ESP MUST be the same as those used by IKE traffic, so one NAT mapping carries both")
IKH_RULE(ESP_UDP_CSUM, "RFC3948-2.1-CSUM", 3948, "2.1", SHOULD, ESP, false,
         "ESP in UDP over IPv4 carries a zero UDP checksum",
         "the IPv4 UDP checksum SHOULD be transmitted as zero (ESP has its own integrity check); receivers MUST NOT depend on it")
/* clang-format on */
