/* SPDX-License-Identifier: MIT */
/*
 * A deterministic allocator over one fixed region whose whole state can be
 * saved and restored: the snapshot start of the stateful fuzz targets
 * (issue 7). A target builds an expensive state once (two nodes with an
 * established IKE SA), saves it, and starts later inputs from a copy of it
 * instead of running the handshake again. Pointers stay valid because the
 * region never moves.
 *
 * Layout: chunks one after the other from the start of the region, each
 *   [16-octet header][class size octets][32-octet red zone]
 * with class sizes 64 << c. Freed chunks go to a FIFO list per class and
 * are reused only once FZA_QUARANTINE newer frees of that class are
 * behind them, so a use after free touches a poisoned chunk rather than a
 * new owner. Under AddressSanitizer everything but the live user octets is
 * poisoned (headers, red zones, the slack after a short allocation, free
 * chunks and the region above the top), so overflows, underflows and uses
 * after free are reported as they are with malloc.
 *
 * One region per process (fuzz targets are single-threaded); only a
 * target's own allocations go here (ikh_mem), libFuzzer's do not.
 * Header-only: every function is static.
 */
#ifndef IKH_FUZZ_ARENA_H
#define IKH_FUZZ_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FZA_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(FZA_ASAN)
#define FZA_ASAN 1
#endif

#ifdef FZA_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define FZA_POISON(p, n) __asan_poison_memory_region((p), (n))
#define FZA_UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define FZA_POISON(p, n) ((void)(p), (void)(n))
#define FZA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define FZA_CAP (48u << 20) /* region size (BSS: pages only when used) */
#define FZA_NCLASS 14u      /* 64 octets .. 512 KiB */
#define FZA_HDR 16u         /* chunk header */
#define FZA_RZ 32u          /* red zone after the class size */
#define FZA_QUARANTINE 2u   /* frees of a class kept before reuse */
#define FZA_TRIM_MAX 8u     /* trimmed chunks per snapshot */

/* Chunk header. */
typedef struct fza_hdr {
    uint32_t cls;  /* size class */
    uint32_t used; /* 1 allocated, 0 free */
    uint64_t word; /* allocated: user size; free: next free offset + 1 */
} fza_hdr;

/* The allocator's state (small: saved and restored with a snapshot). */
typedef struct fza_state {
    size_t top;                 /* octets of the region in chunks */
    uint64_t head[FZA_NCLASS];  /* oldest free chunk, offset + 1 (0: none) */
    uint64_t tail[FZA_NCLASS];  /* newest free chunk, offset + 1 */
    uint32_t nfree[FZA_NCLASS]; /* free chunks per class */
    size_t live;                /* chunks allocated and not freed */
} fza_state;

static _Alignas(64) uint8_t fza_region[FZA_CAP];
static fza_state fza;
static bool fza_ready;

static size_t fza_class_size(uint32_t c)
{
    return (size_t)64 << c;
}

static size_t fza_chunk_len(uint32_t c)
{
    return FZA_HDR + fza_class_size(c) + FZA_RZ;
}

/* Forget every chunk: the next allocation starts at the region's start.
 * When every chunk was freed, all of [0, top) is poisoned already (each
 * free poisons its whole chunk, headers stay poisoned, nothing above top
 * was ever unpoisoned), so only a region with live chunks is poisoned
 * again: the region of the session target spans a megabyte or more (two
 * nodes), and poisoning it cost a 128 KiB shadow write per input. */
static void fza_reset(void)
{
    if (!fza_ready) {
        FZA_POISON(fza_region, sizeof fza_region);
        fza_ready = true;
    } else if (fza.top > 0 && fza.live > 0) {
        FZA_POISON(fza_region, fza.top);
    }
    memset(&fza, 0, sizeof fza);
}

/* @p size octets, or NULL when the size is above 512 KiB or the region is
 * full. The content is whatever was there (as with malloc). */
static void *fza_alloc(size_t size)
{
    if (!fza_ready)
        fza_reset();
    uint32_t c = 0;
    while (c < FZA_NCLASS && fza_class_size(c) < size)
        c++;
    if (c == FZA_NCLASS)
        return NULL;
    size_t off;
    bool room = fza_chunk_len(c) <= FZA_CAP - fza.top;
    if (fza.nfree[c] > FZA_QUARANTINE || (!room && fza.nfree[c] > 0)) {
        off = (size_t)(fza.head[c] - 1);
        fza_hdr *h = (fza_hdr *)(void *)(fza_region + off);
        FZA_UNPOISON(h, FZA_HDR);
        fza.head[c] = h->word;
        if (fza.head[c] == 0)
            fza.tail[c] = 0;
        fza.nfree[c]--;
    } else if (room) {
        off = fza.top;
        fza.top += fza_chunk_len(c);
        FZA_UNPOISON(fza_region + off, FZA_HDR);
    } else {
        return NULL;
    }
    fza_hdr *h = (fza_hdr *)(void *)(fza_region + off);
    h->cls = c;
    h->used = 1;
    h->word = size;
    FZA_POISON(h, FZA_HDR);
    fza.live++;
    uint8_t *p = fza_region + off + FZA_HDR;
    FZA_UNPOISON(p, size);
    return p;
}

/* Give back what fza_alloc() returned; NULL is a no-op. */
static void fza_free(void *ptr)
{
    if (ptr == NULL)
        return;
    uintptr_t u = (uintptr_t)ptr, b = (uintptr_t)fza_region;
    if (u < b + FZA_HDR || u - b >= fza.top) {
        fprintf(stderr, "fuzz_arena: free of a pointer it never gave\n");
        abort();
    }
    size_t off = (size_t)(u - b) - FZA_HDR;
    fza_hdr *h = (fza_hdr *)(void *)(fza_region + off);
    FZA_UNPOISON(h, FZA_HDR);
    if (h->used != 1) {
        fprintf(stderr, "fuzz_arena: double free\n");
        abort();
    }
    uint32_t c = h->cls;
    h->used = 0;
    h->word = 0;
    fza.live--;
    if (fza.tail[c] != 0) {
        fza_hdr *t = (fza_hdr *)(void *)(fza_region + fza.tail[c] - 1);
        FZA_UNPOISON(t, FZA_HDR);
        t->word = off + 1;
        FZA_POISON(t, FZA_HDR);
    } else {
        fza.head[c] = off + 1;
    }
    fza.tail[c] = off + 1;
    fza.nfree[c]++;
    FZA_POISON(h, fza_chunk_len(c));
}

/* A saved region: the allocator state and, chunk after chunk, each
 * header followed by the user octets to restore (compact: free chunks and
 * trimmed tails take no room). */
typedef struct fza_snap {
    fza_state st;
    uint8_t *data; /* len octets (malloc) */
    size_t len;
    size_t n_trim;
    struct {
        size_t off;  /* chunk offset */
        size_t keep; /* user octets to restore */
    } trim[FZA_TRIM_MAX];
} fza_snap;

/* Before fza_save(): restore only the first @p keep octets of the chunk of
 * @p ptr (a live allocation) from @p s: for a structure whose tail is
 * scratch its owner writes before reading. Up to FZA_TRIM_MAX; NULL is
 * ignored. */
static void fza_trim(fza_snap *s, const void *ptr, size_t keep)
{
    if (s->n_trim == FZA_TRIM_MAX || ptr == NULL)
        return;
    s->trim[s->n_trim].off =
        (size_t)((const uint8_t *)ptr - fza_region) - FZA_HDR;
    s->trim[s->n_trim].keep = keep;
    s->n_trim++;
}

/* Octets of the used chunk at @p off (header @p h) that a snapshot keeps. */
static size_t fza_keep(const fza_snap *s, size_t off, const fza_hdr *h)
{
    size_t keep = h->used ? (size_t)h->word : 0;
    for (size_t t = 0; t < s->n_trim; t++)
        if (s->trim[t].off == off && s->trim[t].keep < keep)
            keep = s->trim[t].keep;
    return keep;
}

/* Save the region into @p s (trims set with fza_trim() apply; its data is
 * allocated or reused); false when out of memory. */
static bool fza_save(fza_snap *s)
{
    size_t need = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        size_t at = 0;
        for (size_t off = 0; off < fza.top;) {
            fza_hdr h;
            FZA_UNPOISON(fza_region + off, FZA_HDR);
            memcpy(&h, fza_region + off, sizeof h);
            FZA_POISON(fza_region + off, FZA_HDR);
            size_t keep = fza_keep(s, off, &h);
            if (pass == 1) {
                memcpy(s->data + at, &h, sizeof h);
                memcpy(s->data + at + sizeof h, fza_region + off + FZA_HDR,
                       keep);
            }
            at += sizeof h + keep;
            off += fza_chunk_len(h.cls);
        }
        if (pass == 0) {
            need = at;
            uint8_t *d = realloc(s->data, need ? need : 1);
            if (d == NULL)
                return false;
            s->data = d;
        }
    }
    s->len = need;
    s->st = fza;
    return true;
}

/* Put the region back as fza_save() found it: every chunk of the snapshot
 * with its content and its poisoning; what was allocated after it is
 * gone. */
static void fza_restore(const fza_snap *s)
{
    /* With no live chunk the whole region is poisoned (see fza_reset()):
     * only the snapshot's headers (while written) and its live user octets
     * are unpoisoned. Otherwise everything up to the larger top is
     * unpoisoned first and the rest poisoned chunk by chunk. */
    bool clean = fza.live == 0;
    size_t span = fza.top > s->st.top ? fza.top : s->st.top;
    if (!clean)
        FZA_UNPOISON(fza_region, span);
    size_t at = 0;
    for (size_t off = 0; off < s->st.top;) {
        fza_hdr h;
        memcpy(&h, s->data + at, sizeof h);
        size_t len = fza_chunk_len(h.cls), keep = fza_keep(s, off, &h);
        uint8_t *user = fza_region + off + FZA_HDR;
        if (clean) {
            FZA_UNPOISON(fza_region + off, FZA_HDR);
            if (h.used)
                FZA_UNPOISON(user, (size_t)h.word);
        }
        memcpy(fza_region + off, &h, sizeof h);
        memcpy(user, s->data + at + sizeof h, keep);
        at += sizeof h + keep;
        FZA_POISON(fza_region + off, FZA_HDR);
        if (!clean) {
            size_t live = h.used ? (size_t)h.word : 0;
            FZA_POISON(user + live, len - FZA_HDR - live);
        }
        off += len;
    }
    if (!clean && span > s->st.top)
        FZA_POISON(fza_region + s->st.top, span - s->st.top);
    fza = s->st;
}

#endif /* IKH_FUZZ_ARENA_H */
