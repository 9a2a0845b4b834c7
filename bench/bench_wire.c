/* SPDX-License-Identifier: MIT */
/*
 * Wire codec throughput: parse, verify, serialize and JSON rendering of the
 * messages of the reference captures, against a reference measured in the
 * same run (a plain copy of the same octets, the floor for any code that
 * must read every byte). Prints figures and ratios; never fails on a time.
 *   bench_wire [SECONDS_PER_CASE]   (default 1)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ikh/dump.h"
#include "ikh/pcap.h"
#include "ikh/wire.h"

#define MAX_MSGS 4096

static uint8_t *msgs[MAX_MSGS];
static size_t lens[MAX_MSGS];
static size_t n_msgs, total_octets;
static ikh_msg m;
static uint8_t out[IKH_WIRE_MAX_MSG];
static char text[1 << 20];
static volatile size_t sink;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void load(const char *path)
{
    ikh_cap *c = NULL;
    ikh_frame fr;
    if (ikh_cap_open(path, &c, NULL, 0) != IKH_OK) {
        fprintf(stderr, "bench_wire: cannot read %s\n", path);
        exit(2);
    }
    while (n_msgs < MAX_MSGS && ikh_cap_next(c, &fr) == IKH_OK) {
        if (fr.kind != IKH_FRAME_IKE)
            continue;
        msgs[n_msgs] = malloc(fr.ike.len);
        memcpy(msgs[n_msgs], fr.ike.p, fr.ike.len);
        lens[n_msgs] = fr.ike.len;
        total_octets += fr.ike.len;
        n_msgs++;
    }
    ikh_cap_close(c);
}

typedef void (*op_fn)(size_t i);

static void op_copy(size_t i) { memcpy(out, msgs[i], lens[i]); sink += out[0]; }

static void op_parse(size_t i)
{
    sink += ikh_wire_msg_parse(&m, msgs[i], lens[i], NULL) == IKH_OK;
}

static void op_parse_verify(size_t i)
{
    ikh_diag d;
    if (ikh_wire_msg_parse(&m, msgs[i], lens[i], NULL) == IKH_OK)
        sink += ikh_wire_msg_verify(&m, &d) == IKH_OK;
}

static void op_roundtrip(size_t i)
{
    size_t n = 0;
    if (ikh_wire_msg_parse(&m, msgs[i], lens[i], NULL) == IKH_OK &&
        ikh_wire_msg_serialize(&m, out, sizeof out, &n) == IKH_OK)
        sink += n;
}

static void op_json(size_t i)
{
    ikh_json j;
    size_t n = 0;
    if (ikh_wire_msg_parse(&m, msgs[i], lens[i], NULL) != IKH_OK)
        return;
    ikh_json_init(&j, text, sizeof text);
    ikh_json_obj_open(&j, NULL);
    ikh_dump_msg_json(&j, &m, NULL);
    ikh_json_obj_close(&j);
    if (ikh_json_finish(&j, &n) == IKH_OK)
        sink += n;
}

static double run(op_fn op, double secs)
{
    size_t rounds = 0;
    double t0 = now(), t;
    do {
        for (size_t i = 0; i < n_msgs; i++)
            op(i);
        rounds++;
        t = now();
    } while (t - t0 < secs);
    return (double)(rounds * n_msgs) / (t - t0);
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    const char *src = getenv("IKH_SOURCE_DIR");
    static const char *caps[] = {"demo.pcap", "ipv6_sll.pcap", "fragments_null.pcap",
                                 "sll2.pcapng", "raw_ip.pcap"};
    char path[4096];
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        snprintf(path, sizeof path, "%s/corpus/pcap/%s", src ? src : ".", caps[i]);
        load(path);
    }
    if (n_msgs == 0) {
        fprintf(stderr, "bench_wire: no messages (set IKH_SOURCE_DIR)\n");
        return 2;
    }
    printf("bench_wire: %zu messages, %zu octets, mean %.0f octets\n", n_msgs,
           total_octets, (double)total_octets / n_msgs);
    double ref = run(op_copy, secs);
    struct { const char *name; op_fn fn; } cases[] = {
        {"parse", op_parse}, {"parse+verify", op_parse_verify},
        {"parse+serialize", op_roundtrip}, {"parse+json", op_json},
    };
    printf("%-18s %14s %12s %10s\n", "case", "messages/s", "MB/s", "x copy");
    printf("%-18s %14.0f %12.1f %10.1f\n", "copy (reference)", ref,
           ref * total_octets / n_msgs / 1e6, 1.0);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double r = run(cases[k].fn, secs);
        printf("%-18s %14.0f %12.1f %10.1f\n", cases[k].name, r,
               r * total_octets / n_msgs / 1e6, ref / r);
    }
    return 0;
}
