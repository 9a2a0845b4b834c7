/* SPDX-License-Identifier: MIT */
/*
 * The snapshot allocator of the session target (fuzz/common/fuzz_arena.h):
 * content and allocator state after fza_restore(), and, in the builds with
 * AddressSanitizer (presets asan and fuzz), which octets are poisoned after
 * fza_reset() and fza_restore(), on both of their paths: every chunk freed
 * before (the usual end of an input: the poisoning is left as the frees
 * made it) and chunks still live (the whole region is poisoned again).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/fuzz_arena.h"

#ifdef FZA_ASAN
int __asan_address_is_poisoned(void const volatile *addr);
#define POISONED(p) (__asan_address_is_poisoned(p) != 0)
#else
#define POISONED(p) (((void)(p)), true) /* nothing to check without ASan */
#endif

/* Every octet of [p, p + n) is addressable. */
static void assert_open(const uint8_t *p, size_t n)
{
#ifdef FZA_ASAN
    for (size_t i = 0; i < n; i++)
        assert_false(POISONED(p + i));
#else
    (void)p;
    (void)n;
#endif
}

/* Probes that must all be poisoned: the header, the slack after a short
 * allocation, the red zone, a free chunk and the region above the top. */
static void assert_guarded(const uint8_t *live, size_t size,
                           const uint8_t *freed)
{
    assert_true(POISONED(live - 1));
    assert_true(POISONED(live - FZA_HDR));
    assert_true(POISONED(live + size));
    assert_true(POISONED(live + 64 + FZA_RZ - 1));
    assert_true(POISONED(freed));
    assert_true(POISONED(fza_region + fza.top));
}

/* Build a state with one live 40-octet chunk (content 0..39, its last 10
 * octets trimmed from the snapshot as scratch) and one freed 64-octet
 * chunk, save it; return the live pointer. */
static uint8_t *build(fza_snap *s, uint8_t **freed)
{
    fza_reset();
    uint8_t *a = fza_alloc(40);
    uint8_t *b = fza_alloc(64);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < 40; i++)
        a[i] = (uint8_t)i;
    fza_free(b);
    assert_int_equal(fza.live, 1);
    s->n_trim = 0;
    fza_trim(s, a, 30);
    assert_true(fza_save(s));
    a[0] = 0xff; /* changed after the save: the restore brings 0 back */
    *freed = b;
    return a;
}

static void check_restored(const uint8_t *a, const uint8_t *freed)
{
    assert_int_equal(fza.live, 1);
    assert_open(a, 40); /* all of it usable, the trimmed tail too */
    for (size_t i = 0; i < 30; i++)
        assert_int_equal(a[i], i);
    assert_guarded(a, 40, freed);
}

/* The usual path: the program freed everything, then the snapshot comes
 * back (fza_restore() without unpoisoning the whole region). */
static void test_restore_after_all_freed(void **state)
{
    (void)state;
    fza_snap s = {0};
    uint8_t *freed = NULL;
    uint8_t *a = build(&s, &freed);
    /* a program: more chunks, then everything freed */
    uint8_t *c = fza_alloc(3000);
    assert_non_null(c);
    c[0] = 1;
    fza_free(a);
    fza_free(c);
    assert_int_equal(fza.live, 0);
    assert_true(POISONED(a));
    assert_true(POISONED(c));
    fza_restore(&s);
    check_restored(a, freed);
    /* the chunk above the snapshot's top is poisoned */
    assert_true(POISONED(c));
    /* a reset with nothing live keeps everything poisoned */
    fza_free(a);
    fza_reset();
    assert_int_equal(fza.live, 0);
    assert_int_equal(fza.top, 0);
    assert_true(POISONED(a));
    assert_true(POISONED(freed));
    assert_true(POISONED(c));
    free(s.data);
}

/* The other path: chunks still live when the snapshot comes back or the
 * region is reset. */
static void test_restore_and_reset_with_live_chunks(void **state)
{
    (void)state;
    fza_snap s = {0};
    uint8_t *freed = NULL;
    uint8_t *a = build(&s, &freed);
    uint8_t *c = fza_alloc(3000); /* live, above the snapshot's top */
    assert_non_null(c);
    assert_int_equal(fza.live, 2);
    fza_restore(&s);
    check_restored(a, freed);
    assert_true(POISONED(c));
    /* reset with a live chunk: poisoned too */
    assert_int_equal(fza.live, 1);
    fza_reset();
    assert_true(POISONED(a));
    assert_true(POISONED(freed));
    /* and a fresh allocation after it starts at the region's start */
    uint8_t *d = fza_alloc(40);
    assert_ptr_equal(d, a);
    assert_open(d, 40);
    assert_true(POISONED(d + 40));
    fza_free(d);
    fza_reset();
    free(s.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restore_after_all_freed),
        cmocka_unit_test(test_restore_and_reset_with_live_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
