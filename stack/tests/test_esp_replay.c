/* SPDX-License-Identifier: MIT */
/*
 * The ESP anti-replay window (esp_replay.c, RFC 4303 §3.4.3 and Appendix A):
 * a numbered table of packets with their expected verdicts and inferred
 * 64-bit sequence numbers, a comparison against a naive reference model
 * (a set of seen numbers) over random traffic, and window size checks.
 */
#include "testlib.h"

#include <stdio.h>

#include "ikh/esp.h"

#define OK IKH_OK
#define REPLAYED IKH_ERR_ESP_REPLAYED
#define TOO_OLD IKH_ERR_ESP_TOO_OLD
#define ZERO IKH_ERR_ESP_SEQ_ZERO
#define SUB(h) ((uint64_t)(h) << 32) /* first number of subspace h */

enum step_op {
    INIT,     /* new window without ESN, seq = size */
    INIT_ESN, /* new window with ESN, seq = size */
    RECV,     /* check seq_low; when OK the packet is authentic: accept */
    FORGE,    /* check seq_low only: its integrity check failed */
    JUMP,     /* accept the full number seq: an SA that ran for long */
};

typedef struct replay_step {
    unsigned step;
    enum step_op op;
    uint64_t seq;      /* see enum step_op */
    ikh_err want;      /* RECV, FORGE: check() result */
    uint64_t want_seq; /* RECV, FORGE: inferred number */
    uint64_t want_top; /* top after the step */
} replay_step;

/* clang-format off */
static const replay_step steps[] = {
    /* No ESN, window 64. */
    {  1, INIT,  64, OK, 0, 0},
    {  2, RECV,  0, ZERO, 0, 0},                  /* never sent */
    {  3, RECV,  1, OK, 1, 1},                    /* first packet */
    {  4, RECV,  1, REPLAYED, 1, 1},
    {  5, RECV,  2, OK, 2, 2},                    /* in order */
    {  6, RECV,  3, OK, 3, 3},
    {  7, RECV,  5, OK, 5, 5},                    /* gap */
    {  8, RECV,  4, OK, 4, 5},                    /* late, in window */
    {  9, RECV,  4, REPLAYED, 4, 5},
    { 10, RECV,  100, OK, 100, 100},
    { 11, RECV,  37, OK, 37, 100},                /* top - size + 1 */
    { 12, RECV,  36, TOO_OLD, 36, 100},           /* top - size */
    { 13, RECV,  37, REPLAYED, 37, 100},
    { 14, RECV,  5, TOO_OLD, 5, 100},             /* seen, now too old */
    { 15, RECV,  99, OK, 99, 100},
    { 16, RECV,  163, OK, 163, 163},              /* ahead by size - 1 */
    { 17, RECV,  100, REPLAYED, 100, 163},        /* kept: new left edge */
    { 18, RECV,  99, TOO_OLD, 99, 163},
    { 19, RECV,  101, OK, 101, 163},              /* bit of 37 was cleared */
    { 20, RECV,  10000, OK, 10000, 10000},        /* far future */
    { 21, RECV,  9937, OK, 9937, 10000},          /* left edge */
    { 22, RECV,  9936, TOO_OLD, 9936, 10000},
    { 23, RECV,  9999, OK, 9999, 10000},
    { 24, RECV,  10000, REPLAYED, 10000, 10000},
    { 25, FORGE, 4000000000u, OK, 4000000000u, 10000}, /* never accepted */
    { 26, RECV,  10001, OK, 10001, 10001},        /* window did not move */
    { 27, RECV,  9999, REPLAYED, 9999, 10001},
    { 28, RECV,  9938, OK, 9938, 10001},          /* left edge */
    { 29, RECV,  0xffffffffu, OK, 0xffffffffu, 0xffffffffu}, /* last one */
    { 30, RECV,  0xffffffffu, REPLAYED, 0xffffffffu, 0xffffffffu},
    { 31, RECV,  0xffffffc0u, OK, 0xffffffc0u, 0xffffffffu},
    { 32, RECV,  0xffffffbfu, TOO_OLD, 0xffffffbfu, 0xffffffffu},
    { 33, RECV,  1, TOO_OLD, 1, 0xffffffffu},     /* no rollover */
    { 34, RECV,  0, ZERO, 0, 0xffffffffu},

    /* No ESN, window 128: the ring index wraps. */
    { 40, INIT,  128, OK, 0, 0},
    { 41, RECV,  1, OK, 1, 1},
    { 42, RECV,  126, OK, 126, 126},
    { 43, RECV,  127, OK, 127, 127},
    { 44, RECV,  128, OK, 128, 128},              /* index 0 */
    { 45, RECV,  129, OK, 129, 129},              /* index 1: 1 leaves */
    { 46, RECV,  1, TOO_OLD, 1, 129},
    { 47, RECV,  2, OK, 2, 129},                  /* left edge */
    { 48, RECV,  128, REPLAYED, 128, 129},
    { 49, RECV,  1000, OK, 1000, 1000},           /* far future */
    { 50, RECV,  873, OK, 873, 1000},             /* left edge */
    { 51, RECV,  872, TOO_OLD, 872, 1000},
    { 52, RECV,  873, REPLAYED, 873, 1000},
    { 53, RECV,  1127, OK, 1127, 1127},           /* ahead by size - 1 */
    { 54, RECV,  1000, REPLAYED, 1000, 1127},
    { 55, RECV,  999, TOO_OLD, 999, 1127},
    { 56, RECV,  1255, OK, 1255, 1255},           /* ahead by size */
    { 57, RECV,  1127, TOO_OLD, 1127, 1255},
    { 58, RECV,  1128, OK, 1128, 1255},           /* 1000's bit cleared */

    /* No ESN, window 1024. */
    { 60, INIT,  1024, OK, 0, 0},
    { 61, RECV,  5000, OK, 5000, 5000},
    { 62, RECV,  3977, OK, 3977, 5000},           /* left edge */
    { 63, RECV,  3976, TOO_OLD, 3976, 5000},
    { 64, RECV,  4500, OK, 4500, 5000},
    { 65, RECV,  4500, REPLAYED, 4500, 5000},
    { 66, RECV,  6023, OK, 6023, 6023},           /* ahead by size - 1 */
    { 67, RECV,  5000, REPLAYED, 5000, 6023},     /* left edge, seen */
    { 68, RECV,  4999, TOO_OLD, 4999, 6023},
    { 69, RECV,  5001, OK, 5001, 6023},
    { 70, RECV,  100000, OK, 100000, 100000},     /* far future */
    { 71, RECV,  98977, OK, 98977, 100000},
    { 72, RECV,  98976, TOO_OLD, 98976, 100000},
    { 73, RECV,  6023, TOO_OLD, 6023, 100000},

    /* No ESN, window 4096. */
    { 80, INIT,  4096, OK, 0, 0},
    { 81, RECV,  1, OK, 1, 1},
    { 82, RECV,  4096, OK, 4096, 4096},           /* index 0 */
    { 83, RECV,  4097, OK, 4097, 4097},           /* index 1: 1 leaves */
    { 84, RECV,  1, TOO_OLD, 1, 4097},
    { 85, RECV,  2, OK, 2, 4097},                 /* left edge */
    { 86, RECV,  2, REPLAYED, 2, 4097},
    { 87, RECV,  4096, REPLAYED, 4096, 4097},
    { 88, RECV,  20000, OK, 20000, 20000},
    { 89, RECV,  15905, OK, 15905, 20000},        /* left edge */
    { 90, RECV,  15904, TOO_OLD, 15904, 20000},
    { 91, RECV,  19999, OK, 19999, 20000},
    { 92, FORGE, 0x80000000u, OK, 0x80000000u, 20000},
    { 93, RECV,  19999, REPLAYED, 19999, 20000},
    { 94, RECV,  15905, REPLAYED, 15905, 20000},

    /* ESN, window 64 (Tl, Th, Bl: RFC 4303 A2). */
    {100, INIT_ESN, 64, OK, 0, 0},
    {101, RECV,  0, ZERO, 0, 0},                  /* B: Seqh = Th = 0 */
    {102, RECV,  0xffffffffu, TOO_OLD, 0, 0},     /* B: Th - 1 < 0 */
    {103, RECV,  1, OK, 1, 1},                    /* first packet */
    {104, RECV,  1, REPLAYED, 1, 1},
    {105, RECV,  0xfffffff0u, TOO_OLD, 0, 1},     /* B: Th - 1 < 0 */
    {106, RECV,  1000, OK, 1000, 1000},
    {107, RECV,  0xfffffff0u, OK, 0xfffffff0u, 0xfffffff0u}, /* A */
    {108, RECV,  0xfffffff0u, REPLAYED, 0xfffffff0u, 0xfffffff0u},
    {109, RECV,  0xffffffffu, OK, 0xffffffffu, 0xffffffffu},
    {110, RECV,  0, OK, SUB(1), SUB(1)},          /* rollover: Th + 1 */
    {111, RECV,  0xfffffffeu, OK, 0xfffffffeu, SUB(1)}, /* B: late */
    {112, RECV,  0xfffffffeu, REPLAYED, 0xfffffffeu, SUB(1)},
    {113, RECV,  0xffffffffu, REPLAYED, 0xffffffffu, SUB(1)},
    {114, RECV,  0xffffffc1u, OK, 0xffffffc1u, SUB(1)}, /* left edge = Bl */
    /* Seql < Bl is the next subspace (A2.2): a replay of 0xffffffc0 is
     * checked with Seqh 1, so its ICV fails and it is never accepted. */
    {115, FORGE, 0xffffffc0u, OK, SUB(1) + 0xffffffc0u, SUB(1)},
    {116, RECV,  1, OK, SUB(1) + 1, SUB(1) + 1},
    {117, RECV,  0, REPLAYED, SUB(1), SUB(1) + 1}, /* 0: legitimate, seen */
    {118, RECV,  2, OK, SUB(1) + 2, SUB(1) + 2},
    {119, RECV,  0xffffffffu, REPLAYED, 0xffffffffu, SUB(1) + 2},
    {120, RECV,  0xfffffffdu, OK, 0xfffffffdu, SUB(1) + 2},
    {121, RECV,  0xffffffc3u, OK, 0xffffffc3u, SUB(1) + 2}, /* left edge */
    {122, FORGE, 0xffffffc2u, OK, SUB(1) + 0xffffffc2u, SUB(1) + 2},
    {123, RECV,  62, OK, SUB(1) + 62, SUB(1) + 62}, /* Tl = W - 2: B */
    {124, RECV,  0xffffffffu, REPLAYED, 0xffffffffu, SUB(1) + 62}, /* edge */
    {125, RECV,  63, OK, SUB(1) + 63, SUB(1) + 63}, /* Tl = W - 1: A */
    {126, FORGE, 0xffffffffu, OK, SUB(1) + 0xffffffffu, SUB(1) + 63},
    {127, RECV,  0, REPLAYED, SUB(1), SUB(1) + 63}, /* left edge, seen */
    {128, RECV,  3, OK, SUB(1) + 3, SUB(1) + 63},
    {129, FORGE, 0x80000000u, OK, SUB(1) + 0x80000000u, SUB(1) + 63},
    {130, RECV,  64, OK, SUB(1) + 64, SUB(1) + 64}, /* window unmoved */
    {131, FORGE, 0, OK, SUB(2), SUB(1) + 64},     /* A: Seql < Bl = 1 */

    /* ESN, window 128: the new subspace arrives first, the old one after. */
    {140, INIT_ESN, 128, OK, 0, 0},
    {141, JUMP,  0xffffffa0u, OK, 0, 0xffffffa0u},
    {142, RECV,  5, OK, SUB(1) + 5, SUB(1) + 5},   /* A: Th + 1 */
    {143, RECV,  0, OK, SUB(1), SUB(1) + 5},
    {144, RECV,  0xffffffa0u, REPLAYED, 0xffffffa0u, SUB(1) + 5}, /* B */
    {145, RECV,  0xffffff86u, OK, 0xffffff86u, SUB(1) + 5}, /* left edge */
    {146, FORGE, 0xffffff85u, OK, SUB(1) + 0xffffff85u, SUB(1) + 5},
    {147, RECV,  0xffffffffu, OK, 0xffffffffu, SUB(1) + 5},
    {148, RECV,  0xffffffffu, REPLAYED, 0xffffffffu, SUB(1) + 5},
    {149, RECV,  4, OK, SUB(1) + 4, SUB(1) + 5},
    {150, RECV,  5, REPLAYED, SUB(1) + 5, SUB(1) + 5},
    {151, RECV,  0, REPLAYED, SUB(1), SUB(1) + 5},
    {152, RECV,  0x40000000u, OK, SUB(1) + 0x40000000u,
                 SUB(1) + 0x40000000u},           /* far future */
    {153, RECV,  0xffffffffu, OK, SUB(1) + 0xffffffffu,
                 SUB(1) + 0xffffffffu},           /* A */
    {154, RECV,  3, OK, SUB(2) + 3, SUB(2) + 3},  /* rollover again */
    {155, RECV,  0x3fffffffu, OK, SUB(2) + 0x3fffffffu,
                 SUB(2) + 0x3fffffffu},
    {156, FORGE, 3, OK, SUB(3) + 3, SUB(2) + 0x3fffffffu}, /* old 3: ahead */

    /* ESN, window 1024: far jump over a subspace boundary. */
    {160, INIT_ESN, 1024, OK, 0, 0},
    {161, JUMP,  SUB(7) + 0x7fff0000u, OK, 0, SUB(7) + 0x7fff0000u},
    {162, RECV,  0x7ffefc01u, OK, SUB(7) + 0x7ffefc01u,
                 SUB(7) + 0x7fff0000u},           /* left edge */
    {163, FORGE, 0x7ffefc00u, OK, SUB(8) + 0x7ffefc00u,
                 SUB(7) + 0x7fff0000u},           /* A: Seql < Bl */
    {164, RECV,  0x100, OK, SUB(8) + 0x100, SUB(8) + 0x100},
    {165, RECV,  0xfffffd01u, OK, SUB(7) + 0xfffffd01u,
                 SUB(8) + 0x100},                 /* B: left edge */
    {166, RECV,  0xfffffd00u, OK, SUB(8) + 0xfffffd00u,
                 SUB(8) + 0xfffffd00u},           /* B: Seql < Bl */

    /* ESN, window 4096. */
    {170, INIT_ESN, 4096, OK, 0, 0},
    {171, JUMP,  0xfffff800u, OK, 0, 0xfffff800u},
    {172, RECV,  0x7ff, OK, SUB(1) + 0x7ff, SUB(1) + 0x7ff}, /* size - 1 */
    {173, RECV,  0xfffff800u, REPLAYED, 0xfffff800u, SUB(1) + 0x7ff},
    {174, RECV,  0xfffff801u, OK, 0xfffff801u, SUB(1) + 0x7ff},
    {175, FORGE, 0xfffff7ffu, OK, SUB(1) + 0xfffff7ffu, SUB(1) + 0x7ff},
    {176, RECV,  0xffffffffu, OK, 0xffffffffu, SUB(1) + 0x7ff},
    {177, RECV,  0, OK, SUB(1), SUB(1) + 0x7ff},
    {178, RECV,  0x800, OK, SUB(1) + 0x800, SUB(1) + 0x800}, /* 0xfffff800 out */
    {179, FORGE, 0xfffff800u, OK, SUB(1) + 0xfffff800u,
                 SUB(1) + 0x800},                 /* B: Seql < Bl: ahead */

    /* ESN, window 64: the last subspace (senders never cycle, §3.3.3). */
    {190, INIT_ESN, 64, OK, 0, 0},
    {191, JUMP,  UINT64_MAX - 0xff, OK, 0, UINT64_MAX - 0xff},
    {192, RECV,  5, TOO_OLD, 0, UINT64_MAX - 0xff}, /* A: Th + 1 > max */
    {193, RECV,  0xffffffffu, OK, UINT64_MAX, UINT64_MAX},
    {194, RECV,  0xffffffffu, REPLAYED, UINT64_MAX, UINT64_MAX},
    {195, RECV,  0xffffffc0u, OK, UINT64_MAX - 63, UINT64_MAX},
    {196, RECV,  0, TOO_OLD, 0, UINT64_MAX},
};
/* clang-format on */

static void step_fail(const replay_step *s, const char *what, uint64_t got,
                      uint64_t want)
{
    char msg[160];
    snprintf(msg, sizeof msg, "step %u: %s 0x%016llx, want 0x%016llx", s->step,
             what, (unsigned long long)got, (unsigned long long)want);
    fail_msg("%s", msg);
}

static void test_replay_table(void **state)
{
    (void)state;
    static ikh_esp_replay r;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const replay_step *s = &steps[i];
        if (i > 0 && s->step <= steps[i - 1].step)
            step_fail(s, "numbering after", steps[i - 1].step, s->step);
        uint64_t seq = 0;
        switch (s->op) {
        case INIT:
        case INIT_ESN:
            memset(&r, 0x5a, sizeof r); /* init must clear stale memory */
            assert_ikh_ok(
                ikh_esp_replay_init(&r, (uint32_t)s->seq, s->op == INIT_ESN));
            break;
        case JUMP:
            ikh_esp_replay_accept(&r, s->seq);
            break;
        case RECV:
        case FORGE: {
            ikh_esp_replay before = r;
            ikh_err e = ikh_esp_replay_check(&r, (uint32_t)s->seq, &seq);
            if (e != s->want)
                fail_msg("step %u: check gave %s, want %s", s->step,
                         ikh_err_name(e), ikh_err_name(s->want));
            if (seq != s->want_seq)
                step_fail(s, "inferred", seq, s->want_seq);
            if (memcmp(&before, &r, sizeof r) != 0)
                fail_msg("step %u: check changed the window", s->step);
            if (s->op == RECV && e == IKH_OK)
                ikh_esp_replay_accept(&r, seq);
            break;
        }
        }
        if (r.top != s->want_top)
            step_fail(s, "top", r.top, s->want_top);
    }
}

/* ---- reference model ------------------------------------------------ */

/* Seen numbers: an open-addressing set (0 marks a free slot: 0 is never
 * accepted). Cleared for each episode. */
#define SET_BITS 14
#define SET_CAP (1u << SET_BITS)
static uint64_t set_slot[SET_CAP];
static size_t set_count;

static size_t set_find(uint64_t v)
{
    size_t i = (size_t)((v * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - SET_BITS));
    while (set_slot[i] != 0 && set_slot[i] != v)
        i = (i + 1) & (SET_CAP - 1);
    return i;
}

typedef struct model {
    uint64_t top;
    uint64_t size;
    bool esn;
} model;

static void model_init(model *m, uint32_t size, bool esn)
{
    memset(set_slot, 0, sizeof set_slot);
    set_count = 0;
    m->top = 0;
    m->size = size;
    m->esn = esn;
}

/* RFC 4303 A2.2 written out with signed 64-bit arithmetic: false when
 * Seqh is not a 32-bit value. */
static bool model_infer(const model *m, uint32_t seql, uint64_t *seq)
{
    if (!m->esn) {
        *seq = seql;
        return true;
    }
    int64_t tl = (int64_t)(m->top & 0xffffffffu);
    int64_t th = (int64_t)(m->top >> 32);
    int64_t w = (int64_t)m->size;
    int64_t seqh;
    if (tl >= w - 1) {
        /* Case A: the window is within one subspace. */
        int64_t bl = tl - w + 1;
        seqh = (int64_t)seql >= bl ? th : th + 1;
    } else {
        /* Case B: the window spans two subspaces; Bl wraps into the
         * previous one. */
        int64_t bl = tl - w + 1 + (INT64_C(1) << 32);
        seqh = (int64_t)seql >= bl ? th - 1 : th;
    }
    if (seqh < 0 || seqh > (int64_t)UINT32_MAX)
        return false;
    *seq = ((uint64_t)seqh << 32) | seql;
    return true;
}

static ikh_err model_check(const model *m, uint32_t seql, uint64_t *seq)
{
    uint64_t s = 0;
    *seq = 0;
    if (!model_infer(m, seql, &s))
        return IKH_ERR_ESP_TOO_OLD;
    *seq = s;
    if (s == 0)
        return IKH_ERR_ESP_SEQ_ZERO;
    if (s > m->top)
        return IKH_OK;
    if (m->top - s >= m->size)
        return IKH_ERR_ESP_TOO_OLD;
    if (set_slot[set_find(s)] == s)
        return IKH_ERR_ESP_REPLAYED;
    return IKH_OK;
}

static void model_accept(model *m, uint64_t s)
{
    size_t i = set_find(s);
    if (set_slot[i] == 0) {
        set_slot[i] = s;
        set_count++;
        assert_true(set_count < SET_CAP / 2);
    }
    if (s > m->top)
        m->top = s;
}

static uint64_t lcg_state;
static uint32_t lcg(void)
{
    lcg_state = lcg_state * UINT64_C(6364136223846793005) +
                UINT64_C(1442695040888963407);
    return (uint32_t)(lcg_state >> 33);
}

#define OPS_PER_CONFIG 200000u
#define OPS_PER_EPISODE 2000u

/* Compare check() on every number around the window. */
static void sweep(const ikh_esp_replay *r, const model *m, unsigned op)
{
    uint64_t lo = m->top > m->size + 3 ? m->top - m->size - 3 : 0;
    for (uint64_t s = lo; s <= m->top + 3; s++) {
        uint64_t got_seq, want_seq;
        ikh_err got = ikh_esp_replay_check(r, (uint32_t)s, &got_seq);
        ikh_err want = model_check(m, (uint32_t)s, &want_seq);
        if (got != want || got_seq != want_seq)
            fail_msg("sweep after op %u, seq_low 0x%08x: %s 0x%llx, model "
                     "%s 0x%llx",
                     op, (unsigned)(uint32_t)s, ikh_err_name(got),
                     (unsigned long long)got_seq, ikh_err_name(want),
                     (unsigned long long)want_seq);
    }
}

/* The number a packet carries, around the model's top: mostly near it,
 * some ahead, some old, some anywhere. Returns false for a forgery: a
 * random number, or one before the SA's first number (then *sent wraps
 * modulo 2^64 and only its low 32 bits matter). */
static bool pick_sent(const model *m, uint64_t *sent)
{
    int64_t w = (int64_t)m->size;
    uint32_t p = lcg() % 100;
    int64_t d;
    if (p < 30) /* inside the window or just around it */
        d = -(w + 8) + (int64_t)(lcg() % (uint32_t)(w + 24));
    else if (p < 50) /* recent, often seen */
        d = -32 + (int64_t)(lcg() % 33);
    else if (p < 75) /* in order */
        d = 1 + (int64_t)(lcg() % 4);
    else if (p < 79) /* ahead by about the window */
        d = (w - 4) + (int64_t)(lcg() % 9);
    else if (p < 80) /* far ahead */
        d = w + (int64_t)(lcg() % (1u << 20));
    else if (p < 95) /* old */
        d = -w - (int64_t)(lcg() % (uint32_t)(4 * w));
    else /* anywhere within 2^31: an attacker's guess */
        d = (int64_t)(int32_t)lcg();
    *sent = m->top + (uint64_t)d;
    if (!m->esn)
        *sent &= UINT32_MAX; /* the 32-bit counter */
    return p < 95 && (d >= 0 || (uint64_t)-d <= m->top);
}

static void run_model(uint32_t size, bool esn, uint64_t seed)
{
    static ikh_esp_replay r, before;
    model m;
    unsigned counts[4] = {0}; /* OK, REPLAYED, TOO_OLD, ZERO */
    unsigned case_b = 0, prev_sub = 0;
    lcg_state = seed;
    for (unsigned op = 0; op < OPS_PER_CONFIG; op++) {
        if (op % OPS_PER_EPISODE == 0) {
            assert_ikh_ok(ikh_esp_replay_init(&r, size, esn));
            model_init(&m, size, esn);
            /* Half the episodes start just before the end of a subspace
             * (ESN) or of the 32-bit space (without), a quarter near 1,
             * a quarter from nothing. */
            unsigned ep = op / OPS_PER_EPISODE;
            uint64_t start = 0;
            if (ep % 4 == 1 || ep % 4 == 2) {
                /* One draw per statement: operand order is unspecified. */
                uint64_t end = esn ? SUB(1 + lcg() % 3) : SUB(1);
                start = end - 1 - lcg() % size;
            } else if (ep % 4 == 3) {
                start = 1 + lcg() % 3000;
            }
            if (start != 0) {
                ikh_esp_replay_accept(&r, start);
                model_accept(&m, start);
            }
        }
        /* A packet is authentic when it was sent (not forged) and the
         * receiver checks it with the number it was sent with: with
         * wrongly inferred high bits its ICV fails (RFC 4303 A2.2). */
        uint64_t sent = 0;
        bool authentic = pick_sent(&m, &sent);
        bool forged = !authentic || lcg() % 8 == 0;
        uint32_t seql = (uint32_t)sent;
        if ((uint32_t)m.top < size - 1 && m.top > size)
            case_b++; /* the window spans two subspaces */
        uint64_t got_seq, want_seq;
        before = r;
        ikh_err got = ikh_esp_replay_check(&r, seql, &got_seq);
        ikh_err want = model_check(&m, seql, &want_seq);
        if (got != want || got_seq != want_seq)
            fail_msg("size %u esn %d op %u seq_low 0x%08x top 0x%llx: %s "
                     "0x%llx, model %s 0x%llx",
                     size, esn, op, seql, (unsigned long long)m.top,
                     ikh_err_name(got), (unsigned long long)got_seq,
                     ikh_err_name(want), (unsigned long long)want_seq);
        assert_memory_equal(&before, &r, sizeof r);
        counts[got == IKH_OK                 ? 0
               : got == IKH_ERR_ESP_REPLAYED ? 1
               : got == IKH_ERR_ESP_TOO_OLD  ? 2
                                             : 3]++;
        if (got != IKH_ERR_ESP_TOO_OLD && (got_seq >> 32) < (m.top >> 32))
            prev_sub++; /* inside the window, previous subspace */
        if (got == IKH_OK && !forged && got_seq == sent) {
            ikh_esp_replay_accept(&r, got_seq);
            model_accept(&m, want_seq);
        }
        if (r.top != m.top)
            fail_msg("size %u esn %d op %u: top 0x%llx, model 0x%llx", size,
                     esn, op, (unsigned long long)r.top,
                     (unsigned long long)m.top);
        if (op % 500 == 499)
            sweep(&r, &m, op);
    }
    print_message("size %u esn %d: %u ok, %u replayed, %u too old, %u zero, "
                  "%u in case B, %u in the previous subspace\n",
                  size, esn, counts[0], counts[1], counts[2], counts[3], case_b,
                  prev_sub);
    /* Every verdict came up often. With ESN nothing is left of the window
     * (A2.2 puts it in the next subspace) except numbers before the
     * first subspace; ZERO only comes from the fresh episodes. */
    assert_true(counts[0] > OPS_PER_CONFIG / 10);
    assert_true(counts[1] > OPS_PER_CONFIG / 50);
    assert_true(counts[2] > (esn ? 100 : OPS_PER_CONFIG / 50));
    assert_true(counts[3] > 0);
    if (esn) {
        assert_true(case_b > 400);
        assert_true(prev_sub > 100);
    }
}

static void test_replay_model_64(void **state)
{
    (void)state;
    run_model(64, false, 1);
}

static void test_replay_model_64_esn(void **state)
{
    (void)state;
    run_model(64, true, 2);
}

static void test_replay_model_1024(void **state)
{
    (void)state;
    run_model(1024, false, 3);
}

static void test_replay_model_1024_esn(void **state)
{
    (void)state;
    run_model(1024, true, 4);
}

/* ---- sizes and misuse ----------------------------------------------- */

static void test_replay_init_sizes(void **state)
{
    (void)state;
    static ikh_esp_replay r;
    static const uint32_t bad[] = {0,    1,    32,   63,   65,        100,
                                   1000, 4095, 4097, 8192, UINT32_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_ikh_err(ikh_esp_replay_init(&r, bad[i], false),
                       IKH_ERR_ARG_RANGE);
    for (uint32_t size = IKH_ESP_WINDOW_MIN; size <= IKH_ESP_WINDOW_MAX;
         size *= 2) {
        memset(&r, 0xff, sizeof r);
        assert_ikh_ok(ikh_esp_replay_init(&r, size, true));
        assert_int_equal(r.size, size);
        assert_int_equal(r.top, 0);
        assert_true(r.esn);
        for (size_t w = 0; w < sizeof r.ring / sizeof r.ring[0]; w++)
            assert_int_equal(r.ring[w], 0);
    }
}

/* accept() with numbers check() never passes changes nothing. */
static void test_replay_accept_ignores(void **state)
{
    (void)state;
    static ikh_esp_replay r, before;
    assert_ikh_ok(ikh_esp_replay_init(&r, 64, false));
    ikh_esp_replay_accept(&r, 1000);
    before = r;
    ikh_esp_replay_accept(&r, 0);
    ikh_esp_replay_accept(&r, 1000 - 64); /* left of the window */
    ikh_esp_replay_accept(&r, SUB(1));    /* 33 bits without ESN */
    assert_memory_equal(&before, &r, sizeof r);
    ikh_esp_replay_accept(&r, 1000 - 63); /* left edge */
    uint64_t seq;
    assert_ikh_err(ikh_esp_replay_check(&r, 1000 - 63, &seq),
                   IKH_ERR_ESP_REPLAYED);
    assert_int_equal(r.top, 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_table),
        cmocka_unit_test(test_replay_model_64),
        cmocka_unit_test(test_replay_model_64_esn),
        cmocka_unit_test(test_replay_model_1024),
        cmocka_unit_test(test_replay_model_1024_esn),
        cmocka_unit_test(test_replay_init_sizes),
        cmocka_unit_test(test_replay_accept_ignores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
