/* SPDX-License-Identifier: MIT */
/**
 * @file json.h
 * @brief A bounded JSON writer into caller memory, used by the logger,
 *        the metrics export and `ikeharness decode --json`.
 *
 * Keys come in the order the caller writes them (fixed key order is how
 * logs stay byte-stable). Strings are escaped (RFC 8259 §7); there are no
 * floats. When the buffer fills up, the writer stops, marks itself
 * truncated and every later call is a no-op; ikh_json_finish() reports it.
 * Nothing allocates.
 */
#ifndef IKH_JSON_H
#define IKH_JSON_H

#include "ikh/common.h"

/** Deepest nesting the writer tracks. */
#define IKH_JSON_MAX_DEPTH 32

/** JSON writer state. Treat as opaque; fields are public for stack allocation.
 */
typedef struct ikh_json {
    char *buf;  /**< caller buffer (borrowed) */
    size_t cap; /**< its capacity, a NUL included */
    size_t len; /**< octets written (NUL excluded) */
    bool trunc; /**< the buffer filled up */
    bool bad;   /**< misuse: unbalanced close or depth exceeded */
    int depth;  /**< current nesting */
    bool first[IKH_JSON_MAX_DEPTH +
               1]; /**< no member written yet at this depth */
} ikh_json;

/**
 * @brief Start writing into @p buf.
 * @param j   writer (caller memory)
 * @param buf output, borrowed for the writer's lifetime
 * @param cap its capacity; at least 1 for the NUL
 */
void ikh_json_init(ikh_json *j, char *buf, size_t cap);

/** @brief Open an object. @param j writer @param key member name, or NULL at
 * top level / in an array. */
void ikh_json_obj_open(ikh_json *j, const char *key);
/** @brief Close the innermost object. @param j writer */
void ikh_json_obj_close(ikh_json *j);
/** @brief Open an array. @param j writer @param key member name or NULL. */
void ikh_json_arr_open(ikh_json *j, const char *key);
/** @brief Close the innermost array. @param j writer */
void ikh_json_arr_close(ikh_json *j);
/** @brief Write an unsigned integer member. @param j writer @param key name or
 * NULL @param v value */
void ikh_json_u64(ikh_json *j, const char *key, uint64_t v);
/** @brief Write a signed integer member. @param j writer @param key name or
 * NULL @param v value */
void ikh_json_i64(ikh_json *j, const char *key, int64_t v);
/** @brief Write a boolean member. @param j writer @param key name or NULL
 * @param v value */
void ikh_json_bool(ikh_json *j, const char *key, bool v);
/** @brief Write a null member. @param j writer @param key name or NULL */
void ikh_json_null(ikh_json *j, const char *key);
/**
 * @brief Write a string member, escaped. Valid UTF-8 becomes \\uXXXX code
 *        points, invalid octets \\u00XX, so the output is always ASCII.
 * @param j writer @param key name or NULL
 * @param s NUL-terminated string (borrowed); NULL writes null
 */
void ikh_json_str(ikh_json *j, const char *key, const char *s);
/**
 * @brief Write @p n bytes as an escaped string (any byte value; bytes
 *        >= 0x80 and control characters become \\u00XX escapes).
 * @param j writer @param key name or NULL @param s bytes (borrowed; may be
 * NULL when @p n is 0) @param n count
 */
void ikh_json_strn(ikh_json *j, const char *key, const char *s, size_t n);
/** @brief Write bytes as a lowercase hex string. @param j writer @param key
 * name or NULL @param s bytes (borrowed) */
void ikh_json_hex(ikh_json *j, const char *key, ikh_span s);
/**
 * @brief Write pre-formatted JSON text as a member value, verbatim.
 * @param j writer @param key name or NULL
 * @param raw valid JSON text (the caller's responsibility), borrowed
 * @param n its length
 */
void ikh_json_raw(ikh_json *j, const char *key, const char *raw, size_t n);

/**
 * @brief Finish: NUL-terminate and report the outcome.
 * @param j   writer
 * @param len receives the text length (NUL excluded); may be NULL
 * @return IKH_OK; IKH_ERR_WIRE_NOBUF when the buffer filled up (the text is
 *         cut and not valid JSON); IKH_ERR_STATE on unbalanced open/close.
 */
IKH_MUST_USE ikh_err ikh_json_finish(ikh_json *j, size_t *len);

#endif /* IKH_JSON_H */
