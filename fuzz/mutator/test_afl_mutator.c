/* SPDX-License-Identifier: MIT */
/*
 * The AFL++ custom mutator library as afl-fuzz uses it: dlopen() it, find
 * afl_custom_init / afl_custom_fuzz / afl_custom_deinit, and mutate every
 * seed that parses (corpus/fuzz_wire/seed) a few times, alone and with
 * another seed as add_buf (crossover):
 *   test_afl_mutator LIB SEED_DIR
 * Checks: outputs stay within max_size; most outputs of parseable seeds
 * still parse (the mutations work on the payload list and serialize
 * again); most outputs differ from their input; the same seed gives the
 * same outputs (deterministic); an unparsable input is still mutated
 * (byte-level fallback). Exit 0 on success, 1 on a failed check, 2 when
 * the library or seeds cannot be loaded.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikh/wire.h"

typedef void *(*init_fn)(void *afl, unsigned int seed);
typedef size_t (*fuzz_fn)(void *data, uint8_t *buf, size_t buf_size,
                          uint8_t **out_buf, uint8_t *add_buf,
                          size_t add_buf_size, size_t max_size);
typedef void (*deinit_fn)(void *data);

#define MAX_SEEDS 512
#define ROUNDS 24
#define MAX_SIZE 65536

static uint8_t *seeds[MAX_SEEDS];
static size_t seed_len[MAX_SEEDS];
static size_t n_seeds;
static ikh_msg msg;

static int load_seeds(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL && n_seeds < MAX_SEEDS) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (f == NULL)
            continue;
        uint8_t *b = malloc(MAX_SIZE);
        size_t n = b != NULL ? fread(b, 1, MAX_SIZE, f) : 0;
        fclose(f);
        if (b == NULL)
            return -1;
        seeds[n_seeds] = b;
        seed_len[n_seeds++] = n;
    }
    closedir(d);
    return n_seeds > 0 ? 0 : -1;
}

static int parses(const uint8_t *p, size_t n)
{
    return ikh_wire_msg_parse(&msg, p, n, NULL) == IKH_OK;
}

/* Mutate every parseable seed; fill a hash of all outputs. */
static int run(init_fn init, fuzz_fn fuzz, deinit_fn deinit, uint64_t *hash,
               unsigned long *outs, unsigned long *ok, unsigned long *changed)
{
    void *st = init(NULL, 7);
    if (st == NULL)
        return -1;
    uint64_t h = 1469598103934665603ull;
    static uint8_t buf[MAX_SIZE];
    for (size_t i = 0; i < n_seeds; i++) {
        if (!parses(seeds[i], seed_len[i]))
            continue;
        for (int r = 0; r < ROUNDS; r++) {
            memcpy(buf, seeds[i], seed_len[i]);
            size_t j = (i + 1 + (size_t)r) % n_seeds;
            uint8_t *out = NULL;
            size_t n =
                fuzz(st, buf, seed_len[i], &out, r % 3 == 0 ? seeds[j] : NULL,
                     r % 3 == 0 ? seed_len[j] : 0, MAX_SIZE);
            if (out == NULL || n > MAX_SIZE)
                return -1;
            (*outs)++;
            *ok += (unsigned long)parses(out, n);
            *changed += n != seed_len[i] || memcmp(out, seeds[i], n) != 0;
            for (size_t k = 0; k < n; k++)
                h = (h ^ out[k]) * 1099511628211ull;
            h = (h ^ n) * 1099511628211ull;
        }
    }
    /* an input that does not parse is still mutated */
    static const uint8_t junk[] = "not an IKE message";
    memcpy(buf, junk, sizeof junk);
    int diff = 0;
    for (int r = 0; r < 8 && !diff; r++) {
        uint8_t *out = NULL;
        size_t n = fuzz(st, buf, sizeof junk, &out, NULL, 0, 64);
        if (out == NULL || n > 64)
            return -1;
        diff = n != sizeof junk || memcmp(out, junk, n) != 0;
    }
    deinit(st);
    *hash = h;
    return diff ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_afl_mutator LIB SEED_DIR\n");
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "test_afl_mutator: %s\n", dlerror());
        return 2;
    }
    init_fn init;
    fuzz_fn fuzz;
    deinit_fn deinit;
    /* POSIX: object pointers from dlsym convert to function pointers */
    *(void **)&init = dlsym(lib, "afl_custom_init");
    *(void **)&fuzz = dlsym(lib, "afl_custom_fuzz");
    *(void **)&deinit = dlsym(lib, "afl_custom_deinit");
    if (init == NULL || fuzz == NULL || deinit == NULL) {
        fprintf(stderr, "test_afl_mutator: missing afl_custom_* symbols\n");
        return 2;
    }
    if (load_seeds(argv[2]) != 0) {
        fprintf(stderr, "test_afl_mutator: no seeds in %s\n", argv[2]);
        return 2;
    }
    uint64_t h1 = 0, h2 = 0;
    unsigned long outs = 0, ok = 0, changed = 0, o2 = 0, k2 = 0, c2 = 0;
    if (run(init, fuzz, deinit, &h1, &outs, &ok, &changed) != 0 ||
        run(init, fuzz, deinit, &h2, &o2, &k2, &c2) != 0) {
        fprintf(stderr, "test_afl_mutator: a call failed\n");
        return 1;
    }
    printf("test_afl_mutator: %lu outputs, %lu parse, %lu changed\n", outs, ok,
           changed);
    int fail = 0;
    if (outs == 0 || ok * 10 < outs * 6) {
        fprintf(stderr, "FAIL: fewer than 60%% of outputs parse\n");
        fail = 1;
    }
    if (changed * 4 < outs * 3) {
        fprintf(stderr, "FAIL: fewer than 75%% of outputs changed\n");
        fail = 1;
    }
    if (h1 != h2) {
        fprintf(stderr, "FAIL: same seed, different outputs\n");
        fail = 1;
    }
    for (size_t i = 0; i < n_seeds; i++)
        free(seeds[i]);
    dlclose(lib);
    return fail;
}
