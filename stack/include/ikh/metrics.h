/* SPDX-License-Identifier: MIT */
/**
 * @file metrics.h
 * @brief The metrics registry: counters, gauges and histograms declared in
 *        metrics_table.h, updated by ID, exported as JSON and as Prometheus
 *        text (exposition format 0.0.4).
 *
 * An ::ikh_metrics lives in caller memory and holds one fixed array of
 * integers: nothing allocates, and a NULL registry turns every update into
 * a no-op (a node without metrics just passes NULL). The core updates
 * metrics by ID, never by name:
 * @code
 * ikh_metric_inc(m, IKH_M_WIRE_MESSAGES_PARSED_TOTAL);
 * ikh_metric_inc_l(m, IKH_M_WIRE_PARSE_ERRORS_TOTAL, IKH_ERR_WIRE_TRUNCATED);
 * ikh_metric_observe(m, IKH_M_WIRE_MESSAGE_OCTETS, msg_len);
 * @endcode
 *
 * Labels are fixed enums, not strings: a metric has no label or one label
 * dimension (::ikh_metric_label) whose values come from a fixed table, so a
 * registry has a known size and every export is byte-stable. Values are
 * integers only (durations are integer milliseconds on the virtual clock).
 *
 * Exports list metrics sorted by name, and a labelled metric's series
 * sorted by label value; a labelled series appears only once it is
 * non-zero, a metric without labels always appears.
 *
 * An update that does not fit the metric's row (unknown ID, wrong type, a
 * label on a metric without one or none on one with one) changes nothing
 * but ikh_metrics_misuse_total, which every export shows.
 */
#ifndef IKH_METRICS_H
#define IKH_METRICS_H

#include "ikh/common.h"
#include "ikh/iana.h"

/** Metric types. */
typedef enum ikh_metric_type {
    IKH_MT_COUNTER,   /**< monotonic unsigned count, name ends in _total */
    IKH_MT_GAUGE,     /**< signed value that is set */
    IKH_MT_HISTOGRAM, /**< cumulative buckets, _sum and _count */
} ikh_metric_type;

/** Label dimensions a metric may declare (the LABEL column). */
typedef enum ikh_metric_label {
    IKH_ML_NONE,    /**< no label */
    IKH_ML_ERR,     /**< "error": the ikh_err names, plus "UNKNOWN" */
    IKH_ML_PAYLOAD, /**< "payload": SA, KE, IDi ... PS (types 33-54), plus
                       "other" */
    IKH_ML_EXCH,    /**< "exch": IKE_SA_INIT ... IKE_FOLLOWUP_KE (34-44), plus
                       "other" */
    IKH_ML__COUNT,  /**< number of label dimensions, not a dimension */
} ikh_metric_label;

/** Metric IDs, generated from metrics_table.h: IKH_M_<ID>. */
typedef enum ikh_metric_id {
#define IKH_METRIC(id, type, name, help, label, buckets) IKH_M_##id,
#include "ikh/metrics_table.h"
#undef IKH_METRIC
    IKH_M__COUNT /**< number of metrics, not a metric */
} ikh_metric_id;

/** Most finite bucket bounds a histogram may have. */
#define IKH_METRIC_MAX_BUCKETS 16

/** @cond IKH_INTERNAL */
/* Compile-time sizes that lay the registry out; not part of the API. */
enum ikh_metric_err_rows_ {
#define IKH_ERR(name, num, notify, disp, msg) IKH_MROW_##name,
#include "ikh/err_table.h"
#undef IKH_ERR
    IKH_MROWS_ERR_
};
enum ikh_metric_sizes_ {
    IKH_MLN_NONE = 1,
    IKH_MLN_ERR = IKH_MROWS_ERR_ + 1,            /* the table, UNKNOWN */
    IKH_MLN_PAYLOAD = IKH_PL_PS - IKH_PL_SA + 2, /* SA..PS, other */
    IKH_MLN_EXCH =
        IKH_EXCH_IKE_FOLLOWUP_KE - IKH_EXCH_IKE_SA_INIT + 2, /* ..., other */
    IKH_MBN_NONE = 0,
#define IKH_BUCKETS(set, ...)                                                  \
    IKH_MBN_##set = sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t),
#include "ikh/metrics_table.h"
#undef IKH_BUCKETS
};

#define IKH_MSLOTS_(type, label, buckets)                                      \
    (IKH_MLN_##label *                                                         \
     (IKH_MT_##type == IKH_MT_HISTOGRAM ? IKH_MBN_##buckets + 2 : 1))

/* First slot of each metric, chained; IKH_METRICS_SLOTS is the total. */
enum ikh_metric_slots_ {
#define IKH_METRIC(id, type, name, help, label, buckets)                       \
    IKH_MSLOT_##id,                                                            \
        IKH_MSLOT_LAST_##id =                                                  \
            IKH_MSLOT_##id + IKH_MSLOTS_(type, label, buckets) - 1,
#include "ikh/metrics_table.h"
#undef IKH_METRIC
    IKH_METRICS_SLOTS
};
/** @endcond */

/** The registry. Caller memory; treat as opaque. */
typedef struct ikh_metrics {
    uint64_t v[IKH_METRICS_SLOTS]; /**< values, laid out by metrics.c */
} ikh_metrics;

/** One row of the metric table (for tests and documentation). */
typedef struct ikh_metric_info {
    ikh_metric_id id;        /**< the metric */
    ikh_metric_type type;    /**< counter, gauge or histogram */
    const char *name;        /**< ikh_<module>_<what>_<unit> (static) */
    const char *help;        /**< one-line help (static) */
    ikh_metric_label label;  /**< label dimension or IKH_ML_NONE */
    const uint64_t *buckets; /**< histogram upper bounds (static), else NULL */
    size_t n_buckets;        /**< number of finite bounds */
} ikh_metric_info;

/**
 * @brief Set a registry up with every value zero (also resets it).
 * @param m registry (caller memory, borrowed; no _fini needed); NULL does
 * nothing
 */
void ikh_metrics_init(ikh_metrics *m);

/**
 * @brief Add one to a counter without a label.
 * @param m  registry; NULL does nothing
 * @param id a COUNTER without label (else counted as misuse)
 */
void ikh_metric_inc(ikh_metrics *m, ikh_metric_id id);

/**
 * @brief Add @p v to a counter without a label (saturates at UINT64_MAX).
 * @param m  registry; NULL does nothing
 * @param id a COUNTER without label (else counted as misuse)
 * @param v  amount
 */
void ikh_metric_add(ikh_metrics *m, ikh_metric_id id, uint64_t v);

/**
 * @brief Add one to the series @p label_value of a labelled counter.
 * @param m           registry; NULL does nothing
 * @param id          a COUNTER with a label (else counted as misuse)
 * @param label_value the raw value of the label's dimension: an ::ikh_err
 *                    for ERR, a payload type for PAYLOAD, an exchange type
 *                    for EXCH; a value outside the table counts under
 *                    "UNKNOWN" / "other"
 */
void ikh_metric_inc_l(ikh_metrics *m, ikh_metric_id id, unsigned label_value);

/**
 * @brief Add @p v to the series @p label_value of a labelled counter.
 * @param m           registry; NULL does nothing
 * @param id          a COUNTER with a label (else counted as misuse)
 * @param label_value raw label value, as for ikh_metric_inc_l()
 * @param v           amount (saturates at UINT64_MAX)
 */
void ikh_metric_add_l(ikh_metrics *m, ikh_metric_id id, unsigned label_value,
                      uint64_t v);

/**
 * @brief Set a gauge.
 * @param m  registry; NULL does nothing
 * @param id a GAUGE (else counted as misuse)
 * @param v  new value
 */
void ikh_metric_set(ikh_metrics *m, ikh_metric_id id, int64_t v);

/**
 * @brief Add @p delta (may be negative) to a gauge; several nodes sharing
 *        one registry each add their own part.
 * @param m  registry; NULL does nothing
 * @param id a GAUGE (else counted as misuse)
 * @param delta change (wraps like two's complement int64)
 */
void ikh_metric_gauge_add(ikh_metrics *m, ikh_metric_id id, int64_t delta);

/**
 * @brief Record one observation in a histogram: the first bucket whose
 *        bound is >= @p v, _count and _sum (saturating).
 * @param m  registry; NULL does nothing
 * @param id a HISTOGRAM (else counted as misuse)
 * @param v  observed value
 */
void ikh_metric_observe(ikh_metrics *m, ikh_metric_id id, uint64_t v);

/**
 * @brief Read a value (tests and scenario checks).
 * @param m           registry (borrowed)
 * @param id          metric
 * @param label_value raw label value for a labelled metric; ignored otherwise
 * @param out         receives the counter value, the gauge value converted
 *                    to uint64_t (cast back to int64_t), or a histogram's
 *                    _count (borrowed)
 * @return IKH_OK; IKH_ERR_ARG_INVALID when @p m or @p out is NULL;
 *         IKH_ERR_METRIC_UNKNOWN when @p id is not in the table.
 */
IKH_MUST_USE ikh_err ikh_metric_get(const ikh_metrics *m, ikh_metric_id id,
                                    unsigned label_value, uint64_t *out);

/**
 * @brief Read a counter summed over every series of its label (the value
 *        without a label); for other metrics as ikh_metric_get(..., 0, ...).
 * @param m registry (borrowed) @param id metric @param out receives the sum
 *        (saturating)
 * @return IKH_OK; ARG_INVALID (NULL); METRIC_UNKNOWN (id not in the table).
 */
IKH_MUST_USE ikh_err ikh_metric_total(const ikh_metrics *m, ikh_metric_id id,
                                      uint64_t *out);

/**
 * @brief Look a metric up by its exported name (tools and tests only; the
 *        core uses IDs).
 * @param name NUL-terminated name, e.g. "ikh_decode_frames_total" (borrowed)
 * @param out  receives the ID when found (borrowed)
 * @return IKH_OK; IKH_ERR_ARG_INVALID when an argument is NULL;
 *         IKH_ERR_METRIC_UNKNOWN when no metric has that name.
 */
IKH_MUST_USE ikh_err ikh_metric_find(const char *name, ikh_metric_id *out);

/**
 * @brief Export as one JSON object, metrics sorted by name:
 *        {"version":1,"metrics":{"<name>":{"type":"counter","help":"...",
 *        "value":N},
 * "<labelled>":{..."label":"error","values":{"WIRE_TRUNCATED":2}},
 *        "<histogram>":{..."buckets":{"64":0,...,"+Inf":C},"sum":S,"count":C}}}.
 * @param m   registry (borrowed)
 * @param buf output (borrowed), NUL-terminated on return
 * @param cap its capacity, the NUL included
 * @param len receives the text length, NUL excluded (borrowed; may be NULL)
 * @return IKH_OK; IKH_ERR_ARG_INVALID when @p m or @p buf is NULL;
 *         IKH_ERR_WIRE_NOBUF when @p cap is too small (the text is cut:
 *         retry with a larger buffer).
 */
IKH_MUST_USE ikh_err ikh_metrics_json(const ikh_metrics *m, char *buf,
                                      size_t cap, size_t *len);

/**
 * @brief Export in the Prometheus text exposition format 0.0.4: for each
 *        metric sorted by name, "# HELP", "# TYPE", then its samples
 *        (histograms: _bucket{le="..."} including le="+Inf", _sum,
 *        _count), integers only, no timestamps, each line ending in "\n".
 * @param m   registry (borrowed)
 * @param buf output (borrowed), NUL-terminated on return
 * @param cap its capacity, the NUL included
 * @param len receives the text length, NUL excluded (borrowed; may be NULL)
 * @return IKH_OK; IKH_ERR_ARG_INVALID when @p m or @p buf is NULL;
 *         IKH_ERR_WIRE_NOBUF when @p cap is too small (the text is cut at
 *         a line boundary: retry with a larger buffer).
 */
IKH_MUST_USE ikh_err ikh_metrics_prom(const ikh_metrics *m, char *buf,
                                      size_t cap, size_t *len);

/**
 * @brief Number of rows in the metric table.
 * @return IKH_M__COUNT.
 */
size_t ikh_metric_count(void);

/**
 * @brief Row of a metric in the metric table.
 * @param id metric ID (IDs are the row indices, 0 .. ikh_metric_count()-1)
 * @return a pointer to static data; NULL when @p id is out of range.
 */
const ikh_metric_info *ikh_metric_info_of(ikh_metric_id id);

/**
 * @brief Key of a label dimension, e.g. "error".
 * @param l dimension
 * @return a static string; NULL for IKH_ML_NONE or an out-of-range value.
 */
const char *ikh_metric_label_key(ikh_metric_label l);

/**
 * @brief Number of values in a label dimension ("UNKNOWN"/"other" included).
 * @param l dimension
 * @return the count; 1 for IKH_ML_NONE; 0 for an out-of-range value.
 */
size_t ikh_metric_label_size(ikh_metric_label l);

/**
 * @brief Name of the value at index @p i of a label dimension.
 * @param l dimension
 * @param i index below ikh_metric_label_size()
 * @return a static string; NULL when out of range or for IKH_ML_NONE.
 */
const char *ikh_metric_label_at(ikh_metric_label l, size_t i);

#endif /* IKH_METRICS_H */
