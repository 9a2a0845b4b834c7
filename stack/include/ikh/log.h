/* SPDX-License-Identifier: MIT */
/**
 * @file log.h
 * @brief The JSON Lines logger: one event per line, fixed key order,
 *        bounded line buffer, output only through a caller hook.
 *
 * An ::ikh_log lives in caller memory. Each event is built with
 * ikh_log_begin(), optional ikh_log_sa(), typed field helpers and
 * ikh_log_end(), which hands one line to the hook:
 * @code
 * ikh_log_ev *ev = ikh_log_begin(lg, IKH_LVL_WARN, IKH_EV_WIRE_PARSE_ERROR,
 * now); ikh_log_u64(ev, "code", e); ikh_log_err(ev, "error", e);
 * ikh_log_u64(ev, "offset", off);
 * ikh_log_u64(ev, "payload", pl_type);
 * (void)ikh_log_end(ev);
 * @endcode
 * gives
 * @code
 * {"t":1200,"lvl":"warn","ev":"wire.parse.error","node":"a","code":210,"error":"WIRE_PL_LEN_OVERRUN","offset":40,"payload":34}
 * @endcode
 *
 * Keys come in a fixed order: t, lvl, ev, node; then ispi, rspi, mid, exch
 * when ikh_log_sa() was called; then the fields in call order (which should
 * be the order declared in events_table.h). There are no floats. A filtered
 * level makes ikh_log_begin() return NULL, and every helper accepts NULL
 * and does nothing, so call sites need no `if`.
 *
 * A line longer than the buffer loses its last fields, whole: the line ends
 * with "trunc":true and stays valid JSON.
 *
 * Key material is never logged, at any level: it goes to the Wireshark key
 * tables. ikh_log_hex() is for SPIs, cookies and other identifiers only,
 * and it redacts any field whose key looks like key material.
 *
 * An ikh_log is single-threaded, like the node that owns it. One event is
 * built at a time. The stack never does stdio: the hook decides where a
 * line goes.
 */
#ifndef IKH_LOG_H
#define IKH_LOG_H

#include "ikh/common.h"
#include "ikh/json.h"

/** Log levels, most severe first. */
typedef enum ikh_level {
    IKH_LVL_ERROR, /**< something failed that the run cannot ignore */
    IKH_LVL_WARN,  /**< bad input or a degraded path, handled */
    IKH_LVL_INFO,  /**< one line per meaningful step (message, SA state) */
    IKH_LVL_DEBUG, /**< details useful when reading a failing run */
    IKH_LVL_TRACE, /**< everything */
} ikh_level;

/**
 * Where lines go. @p line is NUL-terminated JSON without a trailing
 * newline (the hook adds one for JSON Lines), valid only during the call;
 * @p len excludes the NUL. The hook must not call back into the logger.
 * @param user handed back from ikh_log_init()
 * @param lvl  the event's level
 * @param line the JSON object (borrowed for the call)
 * @param len  its length
 */
typedef void (*ikh_log_fn)(void *user, ikh_level lvl, const char *line,
                           size_t len);

/** Log events, generated from events_table.h: IKH_EV_<ID>. */
typedef enum ikh_event {
#define IKH_EVENT(id, name, level, desc, fields) IKH_EV_##id,
#include "ikh/events_table.h"
#undef IKH_EVENT
    IKH_EV__COUNT /**< number of events, not an event */
} ikh_event;

/** One row of the event table (for documentation generation). */
typedef struct ikh_event_info {
    ikh_event id;       /**< the event */
    const char *name;   /**< "module.object.what" (static) */
    ikh_level level;    /**< level it is normally logged at */
    const char *desc;   /**< one-line description (static) */
    const char *fields; /**< comma-separated field keys in order (static) */
} ikh_event_info;

/** Octets of the line buffer, the NUL included. */
#define IKH_LOG_LINE_MAX 2048
/** Longest node name, in octets. */
#define IKH_LOG_NODE_MAX 31

/** Counters kept by a logger (see ikh_log_stats_get()). */
typedef struct ikh_log_stats {
    uint64_t lines;     /**< lines handed to the hook */
    uint64_t filtered;  /**< events dropped by the level filter */
    uint64_t truncated; /**< lines that lost fields ("trunc":true) */
    uint64_t misuse;    /**< caller mistakes: undeclared or out-of-order
                             field, ikh_log_sa() after a field, begin
                             while an event was open (the open one is
                             discarded), bad level or event */
} ikh_log_stats;

/** A logger (defined below). */
typedef struct ikh_log ikh_log;
/** The metrics registry, from metrics.h (only a pointer is kept here). */
typedef struct ikh_metrics ikh_metrics;

/** An event being built. Lives inside its ::ikh_log; treat as opaque. */
typedef struct ikh_log_ev {
    ikh_log *lg;      /**< the logger it writes to */
    ikh_json j;       /**< writer over the owner's line buffer */
    ikh_event id;     /**< event being built */
    ikh_level lvl;    /**< its level */
    bool open;        /**< between begin and end */
    bool trunc;       /**< a member did not fit; later ones are dropped */
    bool has_field;   /**< an event field was written (SA context closed) */
    int field_pos;    /**< index in the declared field list of the last field */
    size_t field_off; /**< offset in that list just past the last field */
} ikh_log_ev;

/** A logger. Caller memory; fields are public for stack allocation only. */
struct ikh_log {
    ikh_log_fn fn;                   /**< hook, NULL: log nothing */
    void *user;                      /**< handed back to the hook */
    ikh_level min;                   /**< most verbose level kept */
    char node[IKH_LOG_NODE_MAX + 1]; /**< node name, NUL-terminated */
    ikh_metrics *metrics;            /**< counts truncations; may be NULL */
    ikh_log_stats stats;             /**< counters */
    ikh_log_ev ev;                   /**< the event being built */
    char line[IKH_LOG_LINE_MAX];     /**< the line buffer */
};

/**
 * @brief Set a logger up in caller memory.
 * @param lg   logger (caller memory, borrowed; no _fini needed)
 * @param fn   line hook; NULL makes every ikh_log_begin() return NULL
 * @param user handed back to @p fn, borrowed for the logger's lifetime
 * @param min  most verbose level written: events with a level above it
 *             (e.g. DEBUG when min is INFO) are filtered
 * @param node short node name written as "node" (copied); NULL means ""
 * @return IKH_OK; IKH_ERR_ARG_INVALID when @p lg is NULL or @p min is not
 *         a level; IKH_ERR_ARG_RANGE when @p node is longer than
 *         IKH_LOG_NODE_MAX (the logger is then set up with node "" and
 *         still usable; pick a shorter name).
 */
IKH_MUST_USE ikh_err ikh_log_init(ikh_log *lg, ikh_log_fn fn, void *user,
                                  ikh_level min, const char *node);

/**
 * @brief Count truncated lines in a metrics registry as well.
 * @param lg logger; NULL does nothing
 * @param m  registry (borrowed for the logger's lifetime); NULL stops counting
 */
void ikh_log_set_metrics(ikh_log *lg, ikh_metrics *m);

/**
 * @brief Tell whether an event at @p lvl would be written.
 * @param lg  logger (borrowed); NULL gives false
 * @param lvl level
 * @return true when a hook is set and @p lvl passes the filter.
 */
bool ikh_log_enabled(const ikh_log *lg, ikh_level lvl);

/**
 * @brief Start an event: writes t, lvl, ev and node.
 * @param lg  logger (borrowed); NULL gives NULL
 * @param lvl level of this event
 * @param ev  event from events_table.h
 * @param t   time in milliseconds (virtual or real), written as "t"
 * @return the event builder, owned by @p lg and valid until ikh_log_end();
 *         NULL when the level is filtered, no hook is set, or @p lvl /
 *         @p ev is out of range (counted as misuse). An event still open
 *         from an earlier begin is discarded and counted as misuse.
 */
ikh_log_ev *ikh_log_begin(ikh_log *lg, ikh_level lvl, ikh_event ev,
                          ikh_time_ms t);

/**
 * @brief Add the SA context: ispi, rspi (16 hex digits each), mid and exch.
 * @param ev        builder from ikh_log_begin(); NULL does nothing
 * @param ispi      initiator SPI, as read big-endian from the header
 * @param rspi      responder SPI, as read big-endian from the header
 * @param mid       message ID
 * @param exch_name exchange name such as "IKE_AUTH" (borrowed); NULL omits
 * "exch"
 *
 * Must come right after ikh_log_begin(); after a field it is ignored and
 * counted as misuse, so the key order stays fixed.
 */
void ikh_log_sa(ikh_log_ev *ev, uint64_t ispi, uint64_t rspi, uint32_t mid,
                const char *exch_name);

/**
 * @brief Add an unsigned integer field.
 * @param ev builder; NULL does nothing
 * @param key field name from the event's row in events_table.h (static string)
 * @param v  value
 */
void ikh_log_u64(ikh_log_ev *ev, const char *key, uint64_t v);

/**
 * @brief Add a signed integer field.
 * @param ev builder; NULL does nothing
 * @param key field name (static string)
 * @param v  value
 */
void ikh_log_i64(ikh_log_ev *ev, const char *key, int64_t v);

/**
 * @brief Add a string field, escaped as ikh_json_str() does: the line stays
 *        ASCII, well-formed UTF-8 becomes \\u escapes of its code points,
 *        any other octet >= 0x80 becomes \\u00XX.
 * @param ev builder; NULL does nothing
 * @param key field name (static string)
 * @param s  NUL-terminated string, borrowed for the call; NULL writes null
 */
void ikh_log_str(ikh_log_ev *ev, const char *key, const char *s);

/**
 * @brief Add a byte string as lowercase hex: for SPIs, cookies and other
 *        identifiers only, never for key material.
 * @param ev  builder; NULL does nothing
 * @param key field name (static string). When it starts with "key", "sk_",
 *            "secret", "psk" or "priv" (any case), the bytes are not
 *            written: the field becomes "<redacted>" and a "<key>_len"
 *            field carries the length.
 * @param s   bytes, borrowed for the call
 */
void ikh_log_hex(ikh_log_ev *ev, const char *key, ikh_span s);

/**
 * @brief Add a boolean field.
 * @param ev builder; NULL does nothing
 * @param key field name (static string)
 * @param v  value
 */
void ikh_log_bool(ikh_log_ev *ev, const char *key, bool v);

/**
 * @brief Add an error field: its stable name, e.g. "WIRE_TRUNCATED".
 * @param ev builder; NULL does nothing
 * @param key field name (static string), usually "error"; log the number
 *            with ikh_log_u64(ev, "code", e) when the event declares it
 * @param e  the error
 */
void ikh_log_err(ikh_log_ev *ev, const char *key, ikh_err e);

/**
 * @brief Finish the event and hand its line to the hook.
 * @param ev builder; NULL does nothing and returns IKH_OK
 * @return IKH_OK; IKH_ERR_LOG_TRUNCATED when fields were dropped to fit
 *         the line buffer (the line was still written, ending with
 *         "trunc":true, and counted). Logging is best effort, so callers
 *         may ignore the result; it exists for tests.
 */
ikh_err ikh_log_end(ikh_log_ev *ev);

/**
 * @brief Read the logger's counters.
 * @param lg  logger (borrowed)
 * @param out receives the counters (borrowed); all zero when @p lg is NULL
 */
void ikh_log_stats_get(const ikh_log *lg, ikh_log_stats *out);

/**
 * @brief Stable lowercase name of a level ("error" ... "trace").
 * @param lvl any value
 * @return a static string; "unknown" for a value that is not a level.
 */
const char *ikh_level_name(ikh_level lvl);

/**
 * @brief Stable name of an event, e.g. "wire.parse.error".
 * @param ev any value
 * @return a static string; "unknown" for a value not in the table.
 */
const char *ikh_event_name(ikh_event ev);

/**
 * @brief Number of rows in the event table.
 * @return IKH_EV__COUNT.
 */
size_t ikh_event_count(void);

/**
 * @brief Row @p i of the event table, in table order.
 * @param i row index below ikh_event_count()
 * @return a pointer to static data; NULL when @p i is out of range.
 */
const ikh_event_info *ikh_event_at(size_t i);

#endif /* IKH_LOG_H */
