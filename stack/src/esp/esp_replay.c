/* SPDX-License-Identifier: MIT */
/*
 * The anti-replay window of an inbound ESP SA (RFC 4303 §3.4.3) with
 * Extended Sequence Numbers (RFC 4303 Appendix A). The window is a ring of
 * `size` bits in 64-bit words: the bit at (seq mod size) is set when seq
 * was accepted. Since the window covers exactly the `size` numbers
 * top - size + 1 .. top, every number in it owns its own bit. check()
 * infers the 64-bit number and classifies it without changing anything;
 * accept() is called only after the packet passed its integrity check
 * (../shared/STYLE.md §10), so a forged packet never moves the window.
 */
#include <string.h>

#include "ikh/esp.h"

ikh_err ikh_esp_replay_init(ikh_esp_replay *r, uint32_t size, bool esn)
{
    IKH_CHECK(size >= IKH_ESP_WINDOW_MIN && size <= IKH_ESP_WINDOW_MAX,
              IKH_ERR_ARG_RANGE);
    IKH_CHECK((size & (size - 1u)) == 0, IKH_ERR_ARG_RANGE);
    memset(r, 0, sizeof *r);
    r->size = size;
    r->esn = esn;
    return IKH_OK;
}

/*
 * RFC 4303 Appendix A2.2: the high 32 bits of the sequence number, from the
 * low 32 bits of the packet and the top of the window. Returns false when
 * the inferred Seqh leaves 0 .. 2^32 - 1: Th - 1 with Th = 0 (a number
 * before the SA's first one) or Th + 1 with Th = 2^32 - 1 (past the last
 * one; senders never cycle, §3.3.3). Both lie left of anything the sender
 * can still send, so check() reports them as ESP_TOO_OLD.
 */
static bool replay_infer(const ikh_esp_replay *r, uint32_t seql, uint64_t *seq)
{
    uint32_t tl = (uint32_t)r->top;
    uint32_t th = (uint32_t)(r->top >> 32);
    uint32_t w = r->size;
    /* Modulo 2^32, as the RFC's 32-bit variables. */
    uint32_t bl = tl - w + 1u;
    uint32_t seqh;

    /*= rfc4303#A2
     *# Case A: Tl >= (W - 1). In this case, the window is within one
     *# sequence number subspace.
     */
    if (tl >= w - 1u) {
        /*= rfc4303#A2.2
         *# If Seql >= Bl (where Bl = Tl - W + 1), then Seqh = Th
         *# If Seql < Bl (where Bl = Tl - W + 1), then Seqh = Th + 1
         */
        if (seql >= bl) {
            seqh = th;
        } else {
            if (th == UINT32_MAX)
                return false;
            seqh = th + 1u;
        }
    } else {
        /*= rfc4303#A2
         *# Case B: Tl < (W - 1). In this case, the window spans two
         *# sequence number subspaces.
         */
        /*= rfc4303#A2.2
         *# If Seql >= Bl (where Bl = Tl - W + 1), then Seqh = Th - 1
         *# If Seql < Bl (where Bl = Tl - W + 1), then Seqh = Th
         */
        if (seql >= bl) {
            if (th == 0)
                return false;
            seqh = th - 1u;
        } else {
            seqh = th;
        }
    }
    *seq = ((uint64_t)seqh << 32) | seql;
    return true;
}

static bool ring_test(const ikh_esp_replay *r, uint64_t seq)
{
    uint32_t idx = (uint32_t)(seq & (r->size - 1u));
    return (r->ring[idx >> 6] >> (idx & 63u)) & 1u;
}

/* Clear the bits of the count numbers from `from` on (count < size). The
 * size is a multiple of 64, so a run never wraps inside a word. */
static void ring_clear(ikh_esp_replay *r, uint64_t from, uint64_t count)
{
    while (count > 0) {
        uint32_t idx = (uint32_t)(from & (r->size - 1u));
        uint32_t bit = idx & 63u;
        uint64_t n = 64u - bit;
        if (n > count)
            n = count;
        uint64_t mask = n == 64u ? UINT64_MAX : ((UINT64_C(1) << n) - 1u);
        r->ring[idx >> 6] &= ~(mask << bit);
        from += n;
        count -= n;
    }
}

ikh_err ikh_esp_replay_check(const ikh_esp_replay *r, uint32_t seq_low,
                             uint64_t *seq)
{
    uint64_t s = seq_low;

    /* *seq is always written: 0 when no 64-bit number exists. */
    *seq = 0;
    if (r->esn && !replay_infer(r, seq_low, &s))
        return IKH_ERR_ESP_TOO_OLD;
    *seq = s;
    /* §3.3.3: the first packet of an SA carries 1, and without ESN the
     * counter never cycles, so 0 is never sent. With ESN the low 32 bits
     * are 0 once per subspace after a rollover; only the 64-bit 0 is. */
    if (s == 0)
        return IKH_ERR_ESP_SEQ_ZERO;
    /* §3.4.3: right of the window (new), inside (seen or not), or left. */
    if (s > r->top)
        return IKH_OK;
    if (r->top - s >= r->size)
        return IKH_ERR_ESP_TOO_OLD;
    if (ring_test(r, s))
        return IKH_ERR_ESP_REPLAYED;
    return IKH_OK;
}

void ikh_esp_replay_accept(ikh_esp_replay *r, uint64_t seq)
{
    /* Numbers check() never passes (0, left of the window, more than 32
     * bits without ESN) are a caller error; they change nothing. */
    if (seq == 0 || (!r->esn && seq > UINT32_MAX))
        return;
    if (seq > r->top) {
        uint64_t ahead = seq - r->top;
        /* The positions of top + 1 .. seq are reused: their old numbers
         * fall out of the window. A jump by the window or more empties
         * it. */
        if (ahead >= r->size)
            memset(r->ring, 0, (r->size / 64u) * sizeof r->ring[0]);
        else
            ring_clear(r, r->top + 1u, ahead);
        r->top = seq;
    } else if (r->top - seq >= r->size) {
        return;
    }
    uint32_t idx = (uint32_t)(seq & (r->size - 1u));
    r->ring[idx >> 6] |= UINT64_C(1) << (idx & 63u);
}
