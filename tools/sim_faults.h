/* SPDX-License-Identifier: MIT */
/*
 * What the simulated network did to each datagram of a sim run's capture
 * (tools-internal). The capture of `ikeharness sim` holds every datagram as
 * its node sent it, before the link faults; this tracker sits between the
 * sim and the capture tap, numbers the sent datagrams as the capture does
 * (frame N is the Nth datagram sent), and learns from the sim's tap which
 * of them were lost, delivered more than once, delivered damaged (a flipped
 * bit, a corrupted octet, a cut) or never delivered. faults.jsonl in the run
 * folder lists them, one line per (frame, fault); the HTML report marks the
 * arrows of the ladder with them.
 */
#ifndef IKH_TOOLS_SIM_FAULTS_H
#define IKH_TOOLS_SIM_FAULTS_H

#include <stdio.h>

#include "ikh/sim.h"
#include "ikh/tap.h"

/** Most frames tracked; later ones are counted, not tracked. */
#define SIM_FAULTS_MAX_FRAMES (1u << 20)

typedef struct sim_frame sim_frame;

/** The tracker: forwards every tap call to the capture tap. */
typedef struct sim_faults {
    ikh_tap *tap;   /**< the capture tap (borrowed) */
    sim_frame *fr;  /**< per sent frame */
    size_t n, cap;  /**< frames tracked, allocated */
    uint32_t *head; /**< per hash bucket: its newest frame + 1 (0: none) */
    uint64_t sent;  /**< every frame sent */
    const ikh_dgram *last_sent; /**< the datagram of the last SENT call */
    uint64_t unmatched;         /**< damaged copies no frame could claim */
    bool nomem;                 /**< tracking stopped: out of memory */
} sim_faults;

/**
 * @brief The ::ikh_sim_tap_fn of the tracker (user: a sim_faults): records
 *        the fault, then calls ikh_tap_sim() with the capture tap.
 */
void sim_faults_tap(void *user, ikh_sim_tap_kind kind, const ikh_dgram *dg,
                    ikh_time_ms t);

/**
 * @brief Write faults.jsonl: one line {"frame":N,"t":MS,"fault":F} per
 *        fault of a frame, F one of lost, duplicated, damaged, undelivered
 *        (in flight when the run ended), in frame order.
 * @param fl the tracker (borrowed)
 * @param f  the open file (borrowed)
 * @return 0, or -1 when writing failed.
 */
int sim_faults_write(const sim_faults *fl, FILE *f);

/** @brief Free what the tracker allocated; the struct itself is the
 *         caller's. @param fl the tracker */
void sim_faults_free(sim_faults *fl);

#endif /* IKH_TOOLS_SIM_FAULTS_H */
