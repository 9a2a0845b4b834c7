/* SPDX-License-Identifier: MIT */
/**
 * @file report_json.h
 * @brief A small, strict, bounded JSON reader (RFC 8259) for the report
 *        command: it reads the run folder files (run.json, metrics.json,
 *        conformance.json, summary.json, one events.jsonl line at a time)
 *        into a read-only DOM.
 *
 * Strict: exactly one value (surrounded by optional white space), no
 * comments, no trailing commas, no single quotes, no leading zeros, no
 * NaN/Infinity, no control characters in strings, strings must be valid
 * UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), and a
 * \\u escape for a surrogate must be a high one followed by a low one.
 * Duplicate object keys are kept; rjson_get() returns the first.
 *
 * Bounded: the input size, the nesting depth, the number of values and the
 * length of one string are capped by ::rjson_limits; past a cap parsing
 * stops with a specific error. The parser is iterative (no recursion on
 * input), so depth costs a small explicit stack, never the C stack.
 *
 * Errors carry the 1-based line and column (columns count UTF-8 characters)
 * of the octet where the problem was found, and a message for a human.
 *
 * Values are referred to by index (::rjson_ref), the document root is
 * ::RJSON_ROOT; a missing value is ::RJSON_NONE, and every accessor takes
 * RJSON_NONE (or a ref of another type) and answers "absent", so lookups
 * chain without checks.
 */
#ifndef IKH_TOOLS_REPORT_JSON_H
#define IKH_TOOLS_REPORT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The type of a JSON value. */
typedef enum rjson_type {
    RJSON_ABSENT = 0, /**< no such value (RJSON_NONE) */
    RJSON_NULL,       /**< null */
    RJSON_FALSE,      /**< false */
    RJSON_TRUE,       /**< true */
    RJSON_NUMBER,     /**< a number */
    RJSON_STRING,     /**< a string */
    RJSON_ARRAY,      /**< an array */
    RJSON_OBJECT,     /**< an object */
} rjson_type;

/** Why parsing stopped. */
typedef enum rjson_errc {
    RJSON_OK = 0,      /**< no error */
    RJSON_E_ARG,       /**< NULL input with a length, NULL out */
    RJSON_E_TOO_BIG,   /**< input longer than rjson_limits::max_bytes */
    RJSON_E_NOMEM,     /**< out of memory */
    RJSON_E_DEPTH,     /**< nesting deeper than rjson_limits::max_depth */
    RJSON_E_NODES,     /**< more values than rjson_limits::max_nodes */
    RJSON_E_STRING,    /**< a string longer than rjson_limits::max_string */
    RJSON_E_TRUNCATED, /**< the input ends inside a value */
    RJSON_E_TOKEN,     /**< an unexpected character */
    RJSON_E_NUMBER,    /**< a malformed number, or one out of double range */
    RJSON_E_ESCAPE,    /**< an unknown escape or a malformed \\u escape */
    RJSON_E_SURROGATE, /**< a \\u surrogate without its pair */
    RJSON_E_UTF8,      /**< invalid UTF-8 in a string */
    RJSON_E_CONTROL,   /**< a control character (below U+0020) in a string */
    RJSON_E_TRAILING,  /**< something after the value */
    RJSON_E_EMPTY,     /**< no value at all (empty or white space only) */
} rjson_errc;

/** Caps on what one parse may use. Zero fields take the defaults. */
typedef struct rjson_limits {
    size_t max_bytes;   /**< input octets (default 16 MiB) */
    unsigned max_depth; /**< nested arrays/objects (default 64) */
    size_t max_nodes;   /**< values in the document (default 1,000,000) */
    size_t max_string;  /**< decoded octets of one string or key
                             (default 1 MiB) */
} rjson_limits;

/** Where and why parsing stopped. */
typedef struct rjson_error {
    rjson_errc code; /**< the error (RJSON_OK when none) */
    unsigned line;   /**< 1-based line of the offending octet */
    unsigned col;    /**< 1-based column, in UTF-8 characters */
    size_t offset;   /**< 0-based octet offset */
    char msg[160];   /**< what is wrong, for a human */
} rjson_error;

/** A parsed document (opaque; owns its values and decoded strings). */
typedef struct rjson_doc rjson_doc;

/** A value in a document: an index. */
typedef uint32_t rjson_ref;

/** No value. */
#define RJSON_NONE UINT32_MAX
/** The document's top-level value. */
#define RJSON_ROOT 0u

/**
 * @brief Parse a JSON text into a document.
 * @param buf  the text (borrowed; need not be NUL-terminated; may hold NUL
 *             octets, which are errors outside strings)
 * @param len  its length
 * @param lim  caps (borrowed; NULL: all defaults)
 * @param out  receives the document (NULL on error); free it with
 *             rjson_free()
 * @param err  optional (may be NULL): code, line, column, offset, message
 * @return RJSON_OK, or the error code (also in err->code). The caller
 *         reports err->line:err->col and err->msg with the file name and
 *         does not use the input.
 */
rjson_errc rjson_parse(const char *buf, size_t len, const rjson_limits *lim,
                       rjson_doc **out, rjson_error *err);

/**
 * @brief Free a document; NULL is a no-op.
 * @param d the document (freed; every string it returned becomes invalid)
 */
void rjson_free(rjson_doc *d);

/**
 * @brief A printable name of an error code ("depth", "escape", ...).
 * @param e the code (any value)
 * @return a static string, "unknown" for a value that is not a code.
 */
const char *rjson_errc_name(rjson_errc e);

/**
 * @brief The type of a value.
 * @param d document (NULL: absent) @param v the value
 * @return its type; RJSON_ABSENT for RJSON_NONE or a ref out of range.
 */
rjson_type rjson_type_of(const rjson_doc *d, rjson_ref v);

/**
 * @brief The member of an object with this key (the first when repeated).
 * @param d document @param obj an object (anything else: RJSON_NONE)
 * @param key NUL-terminated key (borrowed)
 * @return the member's value or RJSON_NONE.
 */
rjson_ref rjson_get(const rjson_doc *d, rjson_ref obj, const char *key);

/**
 * @brief The first element of an array or first member value of an object.
 * @param d document @param v the container
 * @return the first child or RJSON_NONE (empty, or not a container).
 */
rjson_ref rjson_first(const rjson_doc *d, rjson_ref v);

/**
 * @brief The next sibling of a child (array element or member value).
 * @param d document @param v a child from rjson_first()/rjson_next()
 * @return the next one or RJSON_NONE at the end.
 */
rjson_ref rjson_next(const rjson_doc *d, rjson_ref v);

/**
 * @brief Number of elements or members of a container.
 * @param d document @param v the container
 * @return the count; 0 for anything else.
 */
size_t rjson_count(const rjson_doc *d, rjson_ref v);

/**
 * @brief The key of an object member.
 * @param d document @param v a member value (from rjson_first()/_next()
 *          over an object)
 * @param len receives the key's length (may be NULL)
 * @return the key, NUL-terminated (it may also hold NUL octets from
 *         \\u0000: use len), owned by the document; NULL when v is not an
 *         object member.
 */
const char *rjson_key(const rjson_doc *d, rjson_ref v, size_t *len);

/**
 * @brief The decoded text of a string value.
 * @param d document @param v the value
 * @param len receives its length in octets (may be NULL)
 * @return valid UTF-8, NUL-terminated (may hold NUL octets: use len),
 *         owned by the document; NULL when v is not a string.
 */
const char *rjson_str(const rjson_doc *d, rjson_ref v, size_t *len);

/**
 * @brief A number as a double.
 * @param d document @param v the value @param out receives it
 * @return false (out unchanged) when v is not a number.
 */
bool rjson_num(const rjson_doc *d, rjson_ref v, double *out);

/**
 * @brief A number as a 64-bit integer, when it is one.
 * @param d document @param v the value @param out receives it
 * @return false (out unchanged) when v is not a number written without
 *         fraction or exponent, or does not fit in int64_t.
 */
bool rjson_int(const rjson_doc *d, rjson_ref v, int64_t *out);

/**
 * @brief A number's literal as written in the input (for display).
 * @param d document @param v the value @param len receives its length
 * @return the literal, NUL-terminated, owned by the document; NULL when v
 *         is not a number.
 */
const char *rjson_num_text(const rjson_doc *d, rjson_ref v, size_t *len);

/**
 * @brief Shorthand: the string member @p key of @p obj, or @p def.
 * @param d document @param obj object @param key key (borrowed)
 * @param def returned when absent or not a string (borrowed)
 * @return the string (document-owned) or def.
 */
const char *rjson_get_str(const rjson_doc *d, rjson_ref obj, const char *key,
                          const char *def);

/**
 * @brief Shorthand: the integer member @p key of @p obj, or @p def.
 * @param d document @param obj object @param key key (borrowed)
 * @param def returned when absent or not an integer
 * @return the value or def.
 */
int64_t rjson_get_int(const rjson_doc *d, rjson_ref obj, const char *key,
                      int64_t def);

#endif
