/* SPDX-License-Identifier: MIT */
/*
 * A plain main() for fuzz targets, so any compiler (gcc included) can
 * replay seed and regression inputs under `ctest -L fuzz-regress`:
 *   fuzz_<target>_replay FILE_OR_DIR...
 * Exits 0 when every input ran, 2 when an argument cannot be read (or is
 * larger than 16 MiB, no fuzzer input) or no input was found (an empty corpus
 * is an error, never a silent pass). A target bug aborts the process.
 *
 * With IKH_REPLAY_REPEAT=N (1 to 1000000) each input, read once, runs N
 * times, and the driver prints the time spent inside the target alone
 * (clock_gettime around the calls, file reading left out; each input runs
 * once more, untimed, first, so one-off work such as the session target's
 * snapshot, built once per process in a fuzzing run, stays out). The
 * last line then reads, e.g.:
 *   replay: 46 inputs, 920 executions, 234.5 ms in the target,
 *   254.9 us per execution
 * (one line on the terminal). bench/bench_fuzz_session.sh measures with
 * it. A bad value is exit 2.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ikh/err.h"
#include "ikh/fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long repeat = 1; /* IKH_REPLAY_REPEAT */
static int timing;               /* IKH_REPLAY_REPEAT is set */
static double target_ns;         /* time inside LLVMFuzzerTestOneInput */

static double mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Largest input replayed: far above libFuzzer's -max_len and AFL++'s
 * MAX_FILE (1 MiB), so a file beyond it is not a fuzzer input. */
#define REPLAY_INPUT_MAX (16u << 20)

static int run_file(const char *path, unsigned long *count)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 2;
    }
    uint8_t *buf = NULL;
    size_t n = 0;
    ikh_err e = ikh_read_stream(f, REPLAY_INPUT_MAX, &buf, &n);
    fclose(f);
    if (e != IKH_OK) {
        fprintf(stderr, "replay: cannot read %s: %s (%s)\n", path,
                ikh_err_name(e), ikh_err_str(e));
        return 2;
    }
    /* an exact-size copy, so sanitizers see reads past the end */
    unsigned char *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        fprintf(stderr, "replay: out of memory for %s\n", path);
        return 2;
    }
    memcpy(exact, buf, n);
    free(buf);
    if (timing) /* untimed: one-off work (a snapshot built on first use) */
        LLVMFuzzerTestOneInput(exact, n);
    double t0 = mono_ns();
    for (unsigned long r = 0; r < repeat; r++)
        LLVMFuzzerTestOneInput(exact, n);
    target_ns += mono_ns() - t0;
    free(exact);
    (*count)++;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long count = 0;
    const char *rv = getenv("IKH_REPLAY_REPEAT");
    if (rv != NULL) {
        timing = 1;
        char *end;
        repeat = strtoul(rv, &end, 10);
        if (*rv < '0' || *rv > '9' || *end != '\0' || repeat < 1 ||
            repeat > 1000000) {
            fprintf(stderr,
                    "replay: IKH_REPLAY_REPEAT must be a number from 1 to "
                    "1000000, got '%s'\n",
                    rv);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 2;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i], &count))
                return 2;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "replay: cannot open directory %s\n", argv[i]);
            return 2;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
                continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
            if (run_file(p, &count)) {
                closedir(d);
                return 2;
            }
        }
        closedir(d);
    }
    if (rv != NULL && count > 0)
        printf("replay: %lu inputs, %lu executions, %.1f ms in the target, "
               "%.1f us per execution\n",
               count, count * repeat, target_ns / 1e6,
               target_ns / 1e3 / (double)(count * repeat));
    else
        printf("replay: %lu inputs\n", count);
    return count ? 0 : 2;
}
