/* SPDX-License-Identifier: MIT */
/*
 * The metrics registry (ikh/metrics.h): the rows of metrics_table.h, their
 * fixed label dimensions, updates by ID, and the JSON and Prometheus text
 * exports.
 *
 * Label values: the "error" dimension is the error table's names; the
 * "payload" and "exch" dimensions take their names from names.h, so a
 * number is spelled the same in metrics, logs and decode output.
 *
 * Layout of ikh_metrics.v: each metric owns IKH_MSLOTS_ slots from
 * IKH_MSLOT_<ID> on. A counter has one slot per label value; a gauge has
 * one slot holding an int64_t as uint64_t; a histogram has one slot per
 * finite bucket (non-cumulative: observations that fell in that bucket and
 * no lower one), then _sum, then _count; "+Inf" is _count. Exports
 * accumulate the buckets. Everything is an integer, every order is total
 * (names are unique; a test checks), so exports are byte-stable.
 */
#include <string.h>

#include "ikh/iana.h"
#include "ikh/json.h"
#include "ikh/metrics.h"
#include "ikh/names.h"

/* ---- bucket sets and metric rows --------------------------------------- */

#define IKH_BUCKETS(set, ...)                                                  \
    static const uint64_t buckets_##set[] = {__VA_ARGS__};
#include "ikh/metrics_table.h"
#undef IKH_BUCKETS
#define buckets_NONE NULL

/* Only counters take a label; the update API has no labelled gauge or
 * histogram call, so a table row asking for one fails to build here. */
#define IKH_METRIC(id, type, name, help, label, buckets)                       \
    _Static_assert(IKH_MT_##type == IKH_MT_COUNTER ||                          \
                       IKH_ML_##label == IKH_ML_NONE,                          \
                   name ": only counters take a label");                       \
    _Static_assert((IKH_MT_##type == IKH_MT_HISTOGRAM) ==                      \
                       (IKH_MBN_##buckets > 0),                                \
                   name ": histograms, and only they, need a bucket set");     \
    _Static_assert(IKH_MBN_##buckets <= IKH_METRIC_MAX_BUCKETS,                \
                   name ": too many buckets");
#include "ikh/metrics_table.h"
#undef IKH_METRIC

static const ikh_metric_info metric_rows[] = {
#define IKH_METRIC(id, type, name, help, label, buckets)                       \
    {IKH_M_##id,        IKH_MT_##type,    name, help, IKH_ML_##label,          \
     buckets_##buckets, IKH_MBN_##buckets},
#include "ikh/metrics_table.h"
#undef IKH_METRIC
};

static const size_t metric_base[] = {
#define IKH_METRIC(id, type, name, help, label, buckets) IKH_MSLOT_##id,
#include "ikh/metrics_table.h"
#undef IKH_METRIC
};

/* ---- label dimensions --------------------------------------------------- */

/* The "error" dimension: every row of the error table, then UNKNOWN. */
static const char *const err_names[] = {
#define IKH_ERR(name, num, notify, disp, msg) #name,
#include "ikh/err_table.h"
#undef IKH_ERR
    "UNKNOWN",
};
_Static_assert(sizeof err_names / sizeof err_names[0] == IKH_MLN_ERR,
               "error table and names disagree");

static const unsigned err_codes[IKH_MLN_ERR - 1] = {
#define IKH_ERR(name, num, notify, disp, msg) num,
#include "ikh/err_table.h"
#undef IKH_ERR
};

const char *ikh_metric_label_key(ikh_metric_label l)
{
    switch (l) {
    case IKH_ML_ERR:
        return "error";
    case IKH_ML_PAYLOAD:
        return "payload";
    case IKH_ML_EXCH:
        return "exch";
    default:
        return NULL;
    }
}

size_t ikh_metric_label_size(ikh_metric_label l)
{
    switch (l) {
    case IKH_ML_NONE:
        return IKH_MLN_NONE;
    case IKH_ML_ERR:
        return IKH_MLN_ERR;
    case IKH_ML_PAYLOAD:
        return IKH_MLN_PAYLOAD;
    case IKH_ML_EXCH:
        return IKH_MLN_EXCH;
    default:
        return 0;
    }
}

const char *ikh_metric_label_at(ikh_metric_label l, size_t i)
{
    if (l == IKH_ML_NONE || i >= ikh_metric_label_size(l))
        return NULL;
    if (l == IKH_ML_ERR)
        return err_names[i];
    if (i + 1 == ikh_metric_label_size(l))
        return "other";
    /* names.h spells protocol numbers the same way in decode output and logs */
    if (l == IKH_ML_PAYLOAD)
        return ikh_name(IKH_NT_PAYLOAD, IKH_PL_SA + (unsigned)i);
    return ikh_name(IKH_NT_EXCH, IKH_EXCH_IKE_SA_INIT + (unsigned)i);
}

/* Index of a raw label value in its dimension; the last index catches
 * everything outside the table. */
static size_t label_index(ikh_metric_label l, unsigned v)
{
    switch (l) {
    case IKH_ML_ERR:
        for (size_t i = 0; i + 1 < IKH_MLN_ERR; i++)
            if (err_codes[i] == v)
                return i;
        return IKH_MLN_ERR - 1;
    case IKH_ML_PAYLOAD:
        return v >= IKH_PL_SA && v <= IKH_PL_PS ? v - IKH_PL_SA
                                                : IKH_MLN_PAYLOAD - 1;
    case IKH_ML_EXCH:
        return v >= IKH_EXCH_IKE_SA_INIT && v <= IKH_EXCH_IKE_FOLLOWUP_KE
                   ? v - IKH_EXCH_IKE_SA_INIT
                   : IKH_MLN_EXCH - 1;
    default:
        return 0;
    }
}

/* ---- table access -------------------------------------------------------- */

size_t ikh_metric_count(void)
{
    return IKH_M__COUNT;
}

const ikh_metric_info *ikh_metric_info_of(ikh_metric_id id)
{
    return (size_t)id < IKH_M__COUNT ? &metric_rows[id] : NULL;
}

ikh_err ikh_metric_find(const char *name, ikh_metric_id *out)
{
    if (name == NULL || out == NULL)
        return IKH_ERR_ARG_INVALID;
    for (size_t i = 0; i < IKH_M__COUNT; i++) {
        if (strcmp(metric_rows[i].name, name) == 0) {
            *out = metric_rows[i].id;
            return IKH_OK;
        }
    }
    return IKH_ERR_METRIC_UNKNOWN;
}

/* ---- updates ------------------------------------------------------------ */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void misuse(ikh_metrics *m)
{
    size_t s = metric_base[IKH_M_METRICS_MISUSE_TOTAL];
    m->v[s] = sat_add(m->v[s], 1);
}

/* The row of @p id when it has @p type and, per @p labelled, a label or
 * none; NULL (counting misuse) otherwise. */
static const ikh_metric_info *row_for(ikh_metrics *m, ikh_metric_id id,
                                      ikh_metric_type type, bool labelled)
{
    if ((size_t)id >= IKH_M__COUNT || metric_rows[id].type != type ||
        (metric_rows[id].label != IKH_ML_NONE) != labelled) {
        misuse(m);
        return NULL;
    }
    return &metric_rows[id];
}

void ikh_metrics_init(ikh_metrics *m)
{
    if (m != NULL)
        memset(m, 0, sizeof *m);
}

void ikh_metric_add(ikh_metrics *m, ikh_metric_id id, uint64_t v)
{
    if (m == NULL || row_for(m, id, IKH_MT_COUNTER, false) == NULL)
        return;
    size_t s = metric_base[id];
    m->v[s] = sat_add(m->v[s], v);
}

void ikh_metric_inc(ikh_metrics *m, ikh_metric_id id)
{
    ikh_metric_add(m, id, 1);
}

void ikh_metric_add_l(ikh_metrics *m, ikh_metric_id id, unsigned label_value,
                      uint64_t v)
{
    const ikh_metric_info *r;
    if (m == NULL || (r = row_for(m, id, IKH_MT_COUNTER, true)) == NULL)
        return;
    size_t s = metric_base[id] + label_index(r->label, label_value);
    m->v[s] = sat_add(m->v[s], v);
}

void ikh_metric_inc_l(ikh_metrics *m, ikh_metric_id id, unsigned label_value)
{
    ikh_metric_add_l(m, id, label_value, 1);
}

void ikh_metric_set(ikh_metrics *m, ikh_metric_id id, int64_t v)
{
    if (m == NULL || row_for(m, id, IKH_MT_GAUGE, false) == NULL)
        return;
    m->v[metric_base[id]] =
        (uint64_t)v; /* two's complement, read back by gauge_value() */
}

void ikh_metric_gauge_add(ikh_metrics *m, ikh_metric_id id, int64_t delta)
{
    if (m == NULL || row_for(m, id, IKH_MT_GAUGE, false) == NULL)
        return;
    m->v[metric_base[id]] += (uint64_t)delta; /* modular: two's complement */
}

void ikh_metric_observe(ikh_metrics *m, ikh_metric_id id, uint64_t v)
{
    const ikh_metric_info *r;
    if (m == NULL || (r = row_for(m, id, IKH_MT_HISTOGRAM, false)) == NULL)
        return;
    uint64_t *h = &m->v[metric_base[id]];
    for (size_t i = 0; i < r->n_buckets; i++) {
        if (v <= r->buckets[i]) {
            h[i] = sat_add(h[i], 1);
            break;
        }
    }
    h[r->n_buckets] = sat_add(h[r->n_buckets], v);         /* _sum */
    h[r->n_buckets + 1] = sat_add(h[r->n_buckets + 1], 1); /* _count */
}

static int64_t gauge_value(uint64_t u)
{
    /* inverse of the (uint64_t) cast without implementation-defined conversion
     */
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

ikh_err ikh_metric_get(const ikh_metrics *m, ikh_metric_id id,
                       unsigned label_value, uint64_t *out)
{
    if (m == NULL || out == NULL)
        return IKH_ERR_ARG_INVALID;
    if ((size_t)id >= IKH_M__COUNT)
        return IKH_ERR_METRIC_UNKNOWN;
    const ikh_metric_info *r = &metric_rows[id];
    size_t s = metric_base[id];
    if (r->type == IKH_MT_HISTOGRAM)
        s += r->n_buckets + 1;
    else if (r->label != IKH_ML_NONE)
        s += label_index(r->label, label_value);
    *out = m->v[s];
    return IKH_OK;
}

ikh_err ikh_metric_total(const ikh_metrics *m, ikh_metric_id id, uint64_t *out)
{
    if (m == NULL || out == NULL)
        return IKH_ERR_ARG_INVALID;
    if ((size_t)id >= IKH_M__COUNT)
        return IKH_ERR_METRIC_UNKNOWN;
    const ikh_metric_info *r = &metric_rows[id];
    if (r->type != IKH_MT_COUNTER || r->label == IKH_ML_NONE)
        return ikh_metric_get(m, id, 0, out);
    uint64_t sum = 0;
    size_t s = metric_base[id], n = ikh_metric_label_size(r->label);
    for (size_t i = 0; i < n; i++)
        sum = sat_add(sum, m->v[s + i]);
    *out = sum;
    return IKH_OK;
}

/* ---- export order ------------------------------------------------------- */

/* The metric whose name follows @p prev (NULL: the first) in byte order;
 * IKH_M__COUNT when none is left. Names are unique, so this is total. */
static size_t next_metric(const char *prev)
{
    size_t best = IKH_M__COUNT;
    for (size_t i = 0; i < IKH_M__COUNT; i++) {
        const char *n = metric_rows[i].name;
        if (prev != NULL && strcmp(n, prev) <= 0)
            continue;
        if (best == IKH_M__COUNT || strcmp(n, metric_rows[best].name) < 0)
            best = i;
    }
    return best;
}

/* The non-zero series of a labelled counter whose value name follows
 * @p prev (NULL: the first); SIZE_MAX when none is left. */
static size_t next_series(const ikh_metrics *m, const ikh_metric_info *r,
                          const char *prev)
{
    size_t best = SIZE_MAX, n = ikh_metric_label_size(r->label);
    const char *best_name = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *name = ikh_metric_label_at(r->label, i);
        if (m->v[metric_base[r->id] + i] == 0 ||
            (prev != NULL && strcmp(name, prev) <= 0))
            continue;
        if (best_name == NULL || strcmp(name, best_name) < 0) {
            best = i;
            best_name = name;
        }
    }
    return best;
}

static const char *type_name(ikh_metric_type t)
{
    return t == IKH_MT_COUNTER ? "counter"
           : t == IKH_MT_GAUGE ? "gauge"
                               : "histogram";
}

/* Octets for any decimal integer: sign, 20 digits, NUL. */
#define NUM_MAX 22

/* Decimal text of v into out; returns out. */
static const char *fmt_u64(char out[NUM_MAX], uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return out;
}

static const char *fmt_i64(char out[NUM_MAX], int64_t v)
{
    char mag[NUM_MAX];
    if (v >= 0)
        return fmt_u64(out, (uint64_t)v);
    fmt_u64(mag, (uint64_t)0 - (uint64_t)v); /* at most 19 digits */
    out[0] = '-';
    memcpy(out + 1, mag, strlen(mag) + 1);
    return out;
}

/* ---- JSON export -------------------------------------------------------- */

static void json_histogram(ikh_json *j, const ikh_metrics *m,
                           const ikh_metric_info *r)
{
    const uint64_t *h = &m->v[metric_base[r->id]];
    uint64_t cum = 0;
    char le[NUM_MAX];
    ikh_json_obj_open(j, "buckets");
    for (size_t i = 0; i < r->n_buckets; i++) {
        cum = sat_add(cum, h[i]);
        ikh_json_u64(j, fmt_u64(le, r->buckets[i]), cum);
    }
    ikh_json_u64(j, "+Inf", h[r->n_buckets + 1]);
    ikh_json_obj_close(j);
    ikh_json_u64(j, "sum", h[r->n_buckets]);
    ikh_json_u64(j, "count", h[r->n_buckets + 1]);
}

static void json_metric(ikh_json *j, const ikh_metrics *m,
                        const ikh_metric_info *r)
{
    size_t s = metric_base[r->id];
    ikh_json_obj_open(j, r->name);
    ikh_json_str(j, "type", type_name(r->type));
    ikh_json_str(j, "help", r->help);
    if (r->type == IKH_MT_HISTOGRAM) {
        json_histogram(j, m, r);
    } else if (r->type == IKH_MT_GAUGE) {
        ikh_json_i64(j, "value", gauge_value(m->v[s]));
    } else if (r->label == IKH_ML_NONE) {
        ikh_json_u64(j, "value", m->v[s]);
    } else {
        ikh_json_str(j, "label", ikh_metric_label_key(r->label));
        ikh_json_obj_open(j, "values");
        for (size_t i = next_series(m, r, NULL); i != SIZE_MAX;
             i = next_series(m, r, ikh_metric_label_at(r->label, i)))
            ikh_json_u64(j, ikh_metric_label_at(r->label, i), m->v[s + i]);
        ikh_json_obj_close(j);
    }
    ikh_json_obj_close(j);
}

ikh_err ikh_metrics_json(const ikh_metrics *m, char *buf, size_t cap,
                         size_t *len)
{
    if (m == NULL || buf == NULL)
        return IKH_ERR_ARG_INVALID;
    ikh_json j;
    ikh_json_init(&j, buf, cap);
    ikh_json_obj_open(&j, NULL);
    ikh_json_u64(&j, "version", 1);
    ikh_json_obj_open(&j, "metrics");
    for (size_t i = next_metric(NULL); i != IKH_M__COUNT;
         i = next_metric(metric_rows[i].name))
        json_metric(&j, m, &metric_rows[i]);
    ikh_json_obj_close(&j);
    ikh_json_obj_close(&j);
    return ikh_json_finish(&j, len);
}

/* ---- Prometheus text export --------------------------------------------- */

/* A line-oriented text writer: each line is built whole and committed only
 * when it fits, so a short buffer ends at a line boundary. */
typedef struct txt {
    char *buf;
    size_t cap;  /* capacity, the NUL included */
    size_t len;  /* committed octets */
    size_t pend; /* octets of the line being built */
    bool trunc;
} txt;

static void txt_put(txt *t, const char *s)
{
    size_t n = strlen(s);
    if (t->trunc)
        return;
    if (n > t->cap - 1 - t->len - t->pend) {
        t->trunc = true;
        return;
    }
    memcpy(t->buf + t->len + t->pend, s, n);
    t->pend += n;
}

/* Label values and HELP text: backslash, newline (and '"' in label values)
 * escaped as the format says. */
static void txt_escaped(txt *t, const char *s, bool label_value)
{
    char one[2] = {0, 0};
    for (; *s != '\0'; s++) {
        if (*s == '\\')
            txt_put(t, "\\\\");
        else if (*s == '\n')
            txt_put(t, "\\n");
        else if (*s == '"' && label_value)
            txt_put(t, "\\\"");
        else {
            one[0] = *s;
            txt_put(t, one);
        }
    }
}

static void txt_end_line(txt *t)
{
    txt_put(t, "\n");
    if (!t->trunc)
        t->len += t->pend;
    t->pend = 0;
}

/* One sample line: name[suffix][{key="value"}] value */
static void prom_sample(txt *t, const char *name, const char *suffix,
                        const char *key, const char *value, const char *v)
{
    txt_put(t, name);
    txt_put(t, suffix);
    if (key != NULL) {
        txt_put(t, "{");
        txt_put(t, key);
        txt_put(t, "=\"");
        txt_escaped(t, value, true);
        txt_put(t, "\"}");
    }
    txt_put(t, " ");
    txt_put(t, v);
    txt_end_line(t);
}

static void prom_metric(txt *t, const ikh_metrics *m, const ikh_metric_info *r)
{
    const uint64_t *v = &m->v[metric_base[r->id]];
    char num[NUM_MAX], le[NUM_MAX];
    txt_put(t, "# HELP ");
    txt_put(t, r->name);
    txt_put(t, " ");
    txt_escaped(t, r->help, false);
    txt_end_line(t);
    txt_put(t, "# TYPE ");
    txt_put(t, r->name);
    txt_put(t, " ");
    txt_put(t, type_name(r->type));
    txt_end_line(t);
    if (r->type == IKH_MT_HISTOGRAM) {
        uint64_t cum = 0;
        for (size_t i = 0; i < r->n_buckets; i++) {
            cum = sat_add(cum, v[i]);
            prom_sample(t, r->name, "_bucket", "le", fmt_u64(le, r->buckets[i]),
                        fmt_u64(num, cum));
        }
        prom_sample(t, r->name, "_bucket", "le", "+Inf",
                    fmt_u64(num, v[r->n_buckets + 1]));
        prom_sample(t, r->name, "_sum", NULL, NULL,
                    fmt_u64(num, v[r->n_buckets]));
        prom_sample(t, r->name, "_count", NULL, NULL,
                    fmt_u64(num, v[r->n_buckets + 1]));
    } else if (r->type == IKH_MT_GAUGE) {
        prom_sample(t, r->name, "", NULL, NULL,
                    fmt_i64(num, gauge_value(v[0])));
    } else if (r->label == IKH_ML_NONE) {
        prom_sample(t, r->name, "", NULL, NULL, fmt_u64(num, v[0]));
    } else {
        for (size_t i = next_series(m, r, NULL); i != SIZE_MAX;
             i = next_series(m, r, ikh_metric_label_at(r->label, i)))
            prom_sample(t, r->name, "", ikh_metric_label_key(r->label),
                        ikh_metric_label_at(r->label, i), fmt_u64(num, v[i]));
    }
}

ikh_err ikh_metrics_prom(const ikh_metrics *m, char *buf, size_t cap,
                         size_t *len)
{
    if (m == NULL || buf == NULL)
        return IKH_ERR_ARG_INVALID;
    txt t = {buf, cap, 0, 0, cap == 0};
    for (size_t i = next_metric(NULL); i != IKH_M__COUNT;
         i = next_metric(metric_rows[i].name))
        prom_metric(&t, m, &metric_rows[i]);
    if (cap > 0)
        buf[t.len] = '\0';
    if (len != NULL)
        *len = t.len;
    return t.trunc ? IKH_ERR_WIRE_NOBUF : IKH_OK;
}
