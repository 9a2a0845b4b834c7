/* SPDX-License-Identifier: MIT */
/**
 * @file err.h
 * @brief ikeharness error codes, generated from err_table.h.
 *
 * Every fallible function returns an ::ikh_err. Codes are stable numbers
 * grouped in classes (1xx caller misuse, 2xx wire, 3xx crypto, 4xx IKE,
 * 5xx ESP, 6xx environment and limits); each has a name, a message, the
 * Notify a peer should receive and a default disposition.
 */
#ifndef IKH_ERR_H
#define IKH_ERR_H

#include <stddef.h>

/** Error codes; IKH_OK (0) is success. One value IKH_ERR_NAME = number per
 *  row of err_table.h, which is their reference: number, Notify to the peer,
 *  disposition and message of each (also at run time: ikh_err_name(),
 *  ikh_err_str(), ikh_err_notify(), ikh_err_disposition()). */
typedef enum ikh_err {
#define IKH_ERR(name, num, notify, disp, msg) IKH_ERR_##name = num,
#include "ikh/err_table.h"
#undef IKH_ERR
} ikh_err;

/** Success, spelled the short way. */
#define IKH_OK IKH_ERR_OK

/** What to do with a message that produced an error (RFC 7296 §2.21). */
typedef enum ikh_disposition {
    IKH_DISP_NONE = 0, /**< no peer is involved */
    IKH_DISP_DROP,     /**< discard the message silently, count it */
    IKH_DISP_NOTIFY,   /**< answer with ikh_err_notify() */
    IKH_DISP_FATAL,    /**< the SA cannot continue */
} ikh_disposition;

/**
 * @brief Stable name of a code, e.g. "WIRE_TRUNCATED".
 * @param e any value
 * @return a static string; "UNKNOWN" for a value not in the table.
 */
const char *ikh_err_name(ikh_err e);

/**
 * @brief Human message of a code.
 * @param e any value
 * @return a static string; "unknown error" for a value not in the table.
 */
const char *ikh_err_str(ikh_err e);

/**
 * @brief The Notify message type (RFC 7296 §3.10.1) a peer should receive.
 * @param e any value
 * @return the notify type, or 0 when no notify is due or e is unknown.
 */
unsigned ikh_err_notify(ikh_err e);

/**
 * @brief Default disposition of a code.
 * @param e any value
 * @return the disposition; IKH_DISP_NONE for an unknown value.
 */
ikh_disposition ikh_err_disposition(ikh_err e);

/**
 * @brief Look a code up by its stable name.
 * @param name NUL-terminated name such as "WIRE_TRUNCATED" (borrowed)
 * @param out  receives the code when found (borrowed)
 * @return 1 when found, 0 otherwise (out untouched).
 */
int ikh_err_from_name(const char *name, ikh_err *out);

/**
 * @brief Number of rows in the error table (for tests and documentation).
 * @return the row count, IKH_OK included.
 */
size_t ikh_err_count(void);

/**
 * @brief The code in row @p i of the table, in table order.
 * @param i row index below ikh_err_count()
 * @return the code; IKH_OK when i is out of range.
 */
ikh_err ikh_err_at(size_t i);

#endif /* IKH_ERR_H */
