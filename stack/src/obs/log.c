/* SPDX-License-Identifier: MIT */
/*
 * The JSON Lines logger (ikh/log.h) and the event table accessors.
 *
 * An event is written straight into the logger's line buffer through an
 * ikh_json writer whose capacity leaves LOG_RESERVE octets free. Every
 * member is written all or nothing: the writer state is saved before it
 * and restored when the member did not fit, after which the event is
 * truncated and later members are dropped. ikh_log_end() then gives the
 * writer the whole buffer back, which always has room for
 * ,"trunc":true} — so every line is valid JSON. No stdio: lines leave only
 * through the hook.
 */
#include <assert.h>
#include <string.h>

#include "ikh/log.h"
#include "ikh/metrics.h"

/* Longest "<key>_len" companion key of a redacted field, NUL included. */
#define LOG_KEY_MAX 48

/* Room kept free for ,"trunc":true} (14 octets) and the closing brace. */
#define LOG_RESERVE 16

static const ikh_event_info event_rows[] = {
#define IKH_EVENT(id, name, level, desc, fields)                               \
    {IKH_EV_##id, name, IKH_LVL_##level, desc, fields},
#include "ikh/events_table.h"
#undef IKH_EVENT
};

_Static_assert(sizeof event_rows / sizeof event_rows[0] == IKH_EV__COUNT,
               "event table and enum disagree");
_Static_assert(IKH_LOG_LINE_MAX > 512,
               "line buffer too small for the fixed keys");

static const char *const level_names[] = {"error", "warn", "info", "debug",
                                          "trace"};

/* Key prefixes that name key material: never written by ikh_log_hex(). */
static const char *const secret_prefixes[] = {"key", "sk_", "secret", "psk",
                                              "priv"};

const char *ikh_level_name(ikh_level lvl)
{
    return (unsigned)lvl <= IKH_LVL_TRACE ? level_names[lvl] : "unknown";
}

const char *ikh_event_name(ikh_event ev)
{
    return (unsigned)ev < IKH_EV__COUNT ? event_rows[ev].name : "unknown";
}

size_t ikh_event_count(void)
{
    return IKH_EV__COUNT;
}

const ikh_event_info *ikh_event_at(size_t i)
{
    return i < IKH_EV__COUNT ? &event_rows[i] : NULL;
}

ikh_err ikh_log_init(ikh_log *lg, ikh_log_fn fn, void *user, ikh_level min,
                     const char *node)
{
    if (lg == NULL)
        return IKH_ERR_ARG_INVALID;
    memset(lg, 0, sizeof *lg);
    lg->fn = fn;
    lg->user = user;
    lg->min = min;
    if ((unsigned)min > IKH_LVL_TRACE) {
        lg->fn = NULL;
        return IKH_ERR_ARG_INVALID;
    }
    size_t n = node != NULL ? strlen(node) : 0;
    if (n > IKH_LOG_NODE_MAX)
        return IKH_ERR_ARG_RANGE;
    if (n > 0)
        memcpy(lg->node, node, n);
    return IKH_OK;
}

void ikh_log_set_metrics(ikh_log *lg, ikh_metrics *m)
{
    if (lg != NULL)
        lg->metrics = m;
}

bool ikh_log_enabled(const ikh_log *lg, ikh_level lvl)
{
    return lg != NULL && lg->fn != NULL && (unsigned)lvl <= (unsigned)lg->min;
}

void ikh_log_stats_get(const ikh_log *lg, ikh_log_stats *out)
{
    if (lg != NULL)
        *out = lg->stats;
    else
        memset(out, 0, sizeof *out);
}

/* ---- member writing ----------------------------------------------------- */

/* Members are written between log_member_begin() and log_member_end(). */
static bool log_member_begin(ikh_log_ev *ev, ikh_json *saved)
{
    if (ev->trunc)
        return false;
    *saved = ev->j;
    return true;
}

static void log_member_end(ikh_log_ev *ev, const ikh_json *saved)
{
    if (ev->j.trunc) {
        ev->j = *saved; /* drop the partial member */
        ev->trunc = true;
    }
}

/*
 * Position of @p key in the declared field list @p fields, searching from
 * offset *off, whose entry has index @p idx; -1 when it is not there. On a
 * match *off moves past the entry. A plain loop (no strchr or memcmp):
 * every log field comes through here.
 */
static int field_find(const char *fields, const char *key, size_t *off, int idx)
{
    const char *p = fields + *off;
    while (*p != '\0') {
        size_t k = 0;
        while (key[k] != '\0' && p[k] == key[k])
            k++;
        const char *end = p + k;
        bool hit = key[k] == '\0' && (*end == ',' || *end == '\0');
        while (*end != ',' && *end != '\0')
            end++;
        if (hit) {
            *off = (size_t)(end - fields) + (*end == ',');
            return idx;
        }
        if (*end == '\0')
            break;
        p = end + 1;
        idx++;
    }
    return -1;
}

/* Position of @p key in the event's declared field list, or -1. Fields come
 * in declared order, so the search resumes after the previous field and
 * only a misplaced key (misuse) searches the list again from the start. */
static int field_index(ikh_log_ev *ev, const char *key)
{
    const char *fields = event_rows[ev->id].fields;
    size_t off = ev->field_off;
    int idx = field_find(fields, key, &off, ev->field_pos + 1);
    if (idx >= 0) {
        ev->field_off = off;
        return idx;
    }
    off = 0;
    return field_find(fields, key, &off, 0);
}

/* Checks a field against the table (declared, in order) and opens it.
 * Returns false when nothing must be written. */
static bool log_field(ikh_log_ev *ev, const char *key, ikh_json *saved)
{
    if (ev == NULL || !ev->open)
        return false;
    int idx = key != NULL ? field_index(ev, key) : -1;
    if (idx < 0 || idx <= ev->field_pos)
        ev->lg->stats.misuse++;
    if (idx > ev->field_pos)
        ev->field_pos = idx;
    ev->has_field = true;
    if (key == NULL)
        return false; /* a keyless member would break the object */
    return log_member_begin(ev, saved);
}

/* ---- the builder -------------------------------------------------------- */

ikh_log_ev *ikh_log_begin(ikh_log *lg, ikh_level lvl, ikh_event id,
                          ikh_time_ms t)
{
    if (lg == NULL || lg->fn == NULL)
        return NULL;
    if ((unsigned)lvl > IKH_LVL_TRACE || (unsigned)id >= IKH_EV__COUNT) {
        lg->stats.misuse++;
        return NULL;
    }
    if ((unsigned)lvl > (unsigned)lg->min) {
        lg->stats.filtered++;
        return NULL;
    }
    ikh_log_ev *ev = &lg->ev;
    if (ev->open)
        lg->stats.misuse++; /* the unfinished event is discarded */
    memset(ev, 0, sizeof *ev);
    ev->lg = lg;
    ev->id = id;
    ev->lvl = lvl;
    ev->open = true;
    ev->field_pos = -1;
    ikh_json_init(&ev->j, lg->line, sizeof lg->line - LOG_RESERVE);
    ikh_json_obj_open(&ev->j, NULL);
    ikh_json_u64(&ev->j, "t", t);
    ikh_json_str(&ev->j, "lvl", level_names[lvl]);
    ikh_json_str(&ev->j, "ev", event_rows[id].name);
    /* these fit: the node name is at most IKH_LOG_NODE_MAX octets */
    ikh_json_str(&ev->j, "node", lg->node);
    return ev;
}

void ikh_log_sa(ikh_log_ev *ev, uint64_t ispi, uint64_t rspi, uint32_t mid,
                const char *exch_name)
{
    if (ev == NULL || !ev->open)
        return;
    if (ev->has_field) {
        ev->lg->stats.misuse++;
        return;
    }
    uint8_t spi[16];
    for (size_t i = 0; i < 8; i++) {
        spi[i] = (uint8_t)(ispi >> (56 - 8 * i));
        spi[8 + i] = (uint8_t)(rspi >> (56 - 8 * i));
    }
    ikh_json saved;
    if (!log_member_begin(ev, &saved))
        return;
    ikh_json_hex(&ev->j, "ispi", ikh_span_of(spi, 8));
    ikh_json_hex(&ev->j, "rspi", ikh_span_of(spi + 8, 8));
    ikh_json_u64(&ev->j, "mid", mid);
    log_member_end(ev, &saved);
    if (exch_name != NULL && log_member_begin(ev, &saved)) {
        ikh_json_str(&ev->j, "exch", exch_name);
        log_member_end(ev, &saved);
    }
    ev->has_field = true; /* the SA context is written once */
}

void ikh_log_u64(ikh_log_ev *ev, const char *key, uint64_t v)
{
    ikh_json saved;
    if (!log_field(ev, key, &saved))
        return;
    ikh_json_u64(&ev->j, key, v);
    log_member_end(ev, &saved);
}

void ikh_log_i64(ikh_log_ev *ev, const char *key, int64_t v)
{
    ikh_json saved;
    if (!log_field(ev, key, &saved))
        return;
    ikh_json_i64(&ev->j, key, v);
    log_member_end(ev, &saved);
}

void ikh_log_str(ikh_log_ev *ev, const char *key, const char *s)
{
    ikh_json saved;
    if (!log_field(ev, key, &saved))
        return;
    ikh_json_str(&ev->j, key, s);
    log_member_end(ev, &saved);
}

void ikh_log_bool(ikh_log_ev *ev, const char *key, bool v)
{
    ikh_json saved;
    if (!log_field(ev, key, &saved))
        return;
    ikh_json_bool(&ev->j, key, v);
    log_member_end(ev, &saved);
}

void ikh_log_err(ikh_log_ev *ev, const char *key, ikh_err e)
{
    ikh_json saved;
    if (!log_field(ev, key, &saved))
        return;
    ikh_json_str(&ev->j, key, ikh_err_name(e));
    log_member_end(ev, &saved);
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_secret_key(const char *key)
{
    for (size_t i = 0; i < sizeof secret_prefixes / sizeof secret_prefixes[0];
         i++) {
        const char *p = secret_prefixes[i];
        size_t k = 0;
        while (p[k] != '\0' && ascii_lower(key[k]) == p[k])
            k++;
        if (p[k] == '\0')
            return true;
    }
    return false;
}

void ikh_log_hex(ikh_log_ev *ev, const char *key, ikh_span s)
{
    ikh_json saved;
    if (!log_field(ev, key, &saved))
        return;
    if (!is_secret_key(key)) {
        ikh_json_hex(&ev->j, key, s);
        log_member_end(ev, &saved);
        return;
    }
    /* key material: its length only, under "<key>_len" */
    char len_key[LOG_KEY_MAX];
    size_t n = strlen(key);
    if (n + 4 < sizeof len_key) {
        memcpy(len_key, key, n);
        memcpy(len_key + n, "_len", 5);
    } else {
        memcpy(len_key, "redacted_len", 13);
    }
    ikh_json_str(&ev->j, key, "<redacted>");
    ikh_json_u64(&ev->j, len_key, s.len);
    log_member_end(ev, &saved);
}

ikh_err ikh_log_end(ikh_log_ev *ev)
{
    if (ev == NULL || !ev->open)
        return IKH_OK;
    ikh_log *lg = ev->lg;
    ev->open = false;
    ev->j.cap = sizeof lg->line; /* the reserve is for what follows */
    if (ev->trunc)
        ikh_json_bool(&ev->j, "trunc", true);
    ikh_json_obj_close(&ev->j);
    size_t len = 0;
    ikh_err e = ikh_json_finish(&ev->j, &len);
    assert(e == IKH_OK); /* the fixed keys and the reserve always fit */
    (void)e;
    lg->stats.lines++;
    if (ev->trunc) {
        lg->stats.truncated++;
        ikh_metric_inc(lg->metrics, IKH_M_LOG_LINES_TRUNCATED_TOTAL);
    }
    lg->fn(lg->user, ev->lvl, lg->line, len);
    return ev->trunc ? IKH_ERR_LOG_TRUNCATED : IKH_OK;
}
