/* SPDX-License-Identifier: MIT */
/**
 * @file names.h
 * @brief Printable names for IKEv2 protocol numbers: the IANA "Internet Key
 *        Exchange Version 2 (IKEv2) Parameters" registry, plus EAP codes.
 *
 * Decode output, logs and metrics labels all print protocol numbers through
 * these tables, so one number has one spelling everywhere. Names follow the
 * registry (IKE_SA_INIT, ENCR_AES_CBC, NAT_DETECTION_SOURCE_IP); where the
 * registry only has a description, the name is that description made into
 * an identifier (MODP_2048, CURVE25519). Reserved, unassigned and
 * private-use values have no name.
 *
 * Every table is a static const array sorted by value: nothing here
 * allocates, keeps state or writes output, and every string returned is
 * static (never freed, valid for the life of the program).
 */
#ifndef IKH_NAMES_H
#define IKH_NAMES_H

#include <stddef.h>

/** The name tables, one per registry. */
typedef enum ikh_name_table {
    IKH_NT_EXCH,         /**< exchange types (IKE_SA_INIT ...) */
    IKH_NT_PAYLOAD,      /**< payload types, short notation (SA, KE, ...) */
    IKH_NT_PAYLOAD_LONG, /**< payload types, full name ("Nonce", ...) */
    IKH_NT_XFORM_TYPE,   /**< transform types (ENCR, PRF, ..., ADDKE7) */
    IKH_NT_ENCR,         /**< transform type 1 IDs */
    IKH_NT_PRF,          /**< transform type 2 IDs */
    IKH_NT_INTEG,        /**< transform type 3 IDs */
    IKH_NT_KE,           /**< transform type 4 (and ADDKE1-7) IDs */
    IKH_NT_ESN,          /**< transform type 5 IDs */
    IKH_NT_NOTIFY,       /**< notify message types, errors and status */
    IKH_NT_ID_TYPE,      /**< identification payload ID types */
    IKH_NT_TS_TYPE,      /**< traffic selector types */
    IKH_NT_AUTH_METHOD,  /**< authentication methods */
    IKH_NT_CFG_TYPE,     /**< configuration payload CFG types */
    IKH_NT_CFG_ATTR,     /**< configuration payload attribute types */
    IKH_NT_PROTO,        /**< security protocol identifiers */
    IKH_NT_CERT_ENC,     /**< certificate encodings */
    IKH_NT_XATTR,        /**< transform attribute types */
    IKH_NT_EAP_CODE,     /**< EAP codes (RFC 3748, RFC 6696) */
    IKH_NT__COUNT        /**< number of tables; not a table */
} ikh_name_table;

/** Buffer size that always fits ikh_name_or()'s "UNKNOWN_<v>" fallback. */
#define IKH_NAME_BUF_LEN 24

/**
 * @brief Name of value @p v in table @p t.
 * @param t table to look in; any value (out of range gives NULL)
 * @param v protocol number
 * @return a static string, or NULL when @p v is reserved, unassigned,
 *         private use or not known here, or @p t is not a table. The caller
 *         decides how to print an unknown value (ikh_name_or() does it).
 */
const char *ikh_name(ikh_name_table t, unsigned v);

/**
 * @brief Name of @p v in @p t, or "UNKNOWN_<v>" written into @p buf.
 * @param t   table to look in; any value
 * @param v   protocol number
 * @param buf caller buffer for the fallback (borrowed for the call; may be
 *            NULL only when @p len is 0)
 * @param len size of @p buf in bytes; IKH_NAME_BUF_LEN always fits
 * @return the static name when known; otherwise @p buf holding
 *         "UNKNOWN_<v>" (cut short, still NUL-terminated, when @p len is too
 *         small), or the static string "UNKNOWN" when @p buf is NULL or
 *         @p len is 0. Never NULL; the result is valid while @p buf is.
 */
const char *ikh_name_or(ikh_name_table t, unsigned v, char *buf, size_t len);

/**
 * @brief Name of transform ID @p id inside transform type @p xform_type.
 *
 * Dispatches to the table that holds the IDs of that type: 1 ENCR, 2 PRF,
 * 3 INTEG, 4 KE, 5 ESN, and 6-12 (ADDKE1-ADDKE7, RFC 9370) to KE.
 *
 * @param xform_type transform type (IKH_XF_*)
 * @param id         transform ID
 * @return a static string, or NULL when the type has no ID table here
 *         (0, 13 KWA, 14 GCAUTH, unassigned) or the ID is unknown.
 */
const char *ikh_name_xform_id(unsigned xform_type, unsigned id);

/**
 * @brief Reverse lookup: the value whose name is exactly @p name.
 * @param t    table to look in; any value (out of range finds nothing)
 * @param name NUL-terminated name, compared case-sensitively (borrowed; NULL
 *             finds nothing)
 * @param out  receives the value when found (borrowed; may be NULL to only
 *             test for presence; untouched when not found)
 * @return 1 when found, 0 when not. Nothing else can fail.
 */
int ikh_name_lookup(ikh_name_table t, const char *name, unsigned *out);

/**
 * @brief Number of named values in table @p t.
 * @param t table; any value
 * @return the count, or 0 when @p t is not a table.
 */
size_t ikh_name_count(ikh_name_table t);

/**
 * @brief The @p i-th entry of table @p t, in ascending value order.
 * @param t     table; any value
 * @param i     index, 0 to ikh_name_count(t) - 1
 * @param value receives the value (borrowed; may be NULL)
 * @param name  receives the static name (borrowed; may be NULL)
 * @return 1 on success; 0 when @p i or @p t is out of range, in which case
 *         neither output is written.
 */
int ikh_name_at(ikh_name_table t, size_t i, unsigned *value, const char **name);

/**
 * @brief Stable identifier of table @p t itself, for docs and metric labels.
 *
 * The identifiers are lowercase snake case and never change once released:
 * "exchange_type", "payload_type", "payload_type_long", "transform_type",
 * "encr_id", "prf_id", "integ_id", "ke_id", "esn_id", "notify_type",
 * "id_type", "ts_type", "auth_method", "cfg_type", "cfg_attr",
 * "protocol_id", "cert_encoding", "transform_attr", "eap_code".
 *
 * @param t table; any value
 * @return a static string, or NULL when @p t is not a table.
 */
const char *ikh_name_table_name(ikh_name_table t);

#endif /* IKH_NAMES_H */
