/* SPDX-License-Identifier: MIT */
/*
 * Measuring helpers shared by the benchmarks that compare our code with raw
 * Nettle in interleaved rounds (bench_crypto, bench_esp): thread CPU time,
 * an operation rate over a fixed time, and the median of a set of rounds.
 */
#ifndef IKH_BENCH_UTIL_H
#define IKH_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

/* One operation on a buffer of len octets. */
typedef void (*op_fn)(size_t len);

/* Thread CPU time in seconds: time spent descheduled (other processes on a
 * busy box) is not charged to either side. */
static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Operations per second of f(len) over at least secs, in batches. */
static inline double rate_batch(op_fn f, size_t len, double secs, size_t batch)
{
    size_t n = 0;
    double t0 = now(), t;
    do {
        for (size_t i = 0; i < batch; i++)
            f(len);
        n += batch;
        t = now() - t0;
    } while (t < secs);
    return (double)n / t;
}

static inline int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n values (sorts v in place). */
static inline double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return n % 2 != 0 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif /* IKH_BENCH_UTIL_H */
