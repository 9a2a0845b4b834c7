/* SPDX-License-Identifier: MIT */
/**
 * @file report.h
 * @brief The HTML report of run folders (`ikeharness report`, and the
 *        index.html that sim, peer and replay leave in their run folder).
 *
 * One page per run folder: a single self-contained HTML file (inline CSS
 * and SVG, no script, no network). The kind of run is told from the files
 * present (see report_kind): run.json's "command" (sim, peer, replay),
 * interop's summary.json, a fuzz job's metrics.json ("engine" and
 * "targets"). The page shows the verdict, what ran and how to run it again,
 * failed expectations and conformance violations linked to their frames
 * and log events, a ladder diagram per IKE SA drawn from the capture
 * (decrypted with the folder's key files when present), the SA lifecycles
 * from events.jsonl, the metrics, the fuzz or interop tables, and with a
 * baseline what newly fails and newly passes. Every text that comes from
 * an input file is HTML-escaped.
 *
 * Stable hooks for browser tests: data-testid="verdict", "ladder" (each
 * ladder SVG), "ladder-msg" (each arrow group), "metrics" (each metrics
 * table), "failures" (violation and failure lists), "baseline".
 *
 * Bounded: input files are read up to fixed sizes (REPORT_MAX_* below),
 * ladders are drawn for at most ::REPORT_MAX_LADDERS IKE SAs and
 * ::REPORT_MAX_ARROWS messages each; what is left out is counted on the
 * page.
 */
#ifndef IKH_TOOLS_REPORT_H
#define IKH_TOOLS_REPORT_H

#include <stddef.h>

#include "ikh/common.h"

/** Most messages drawn in one ladder; the rest are counted in a note. */
#define REPORT_MAX_ARROWS 2000u
/** Most IKE SAs drawn as ladders; the rest are counted in a note. */
#define REPORT_MAX_LADDERS 64u
/** Largest JSON file read (run.json, metrics.json, summary.json). */
#define REPORT_MAX_JSON (16u * 1024u * 1024u)
/** Largest conformance.json read. */
#define REPORT_MAX_CONFORMANCE (64u * 1024u * 1024u)
/** Most JSON values of conformance.json (about 56 octets each in memory). */
#define REPORT_MAX_CONF_NODES 2000000u
/** Largest events.jsonl read; lines after it are not used (noted). */
#define REPORT_MAX_EVENTS (64u * 1024u * 1024u)
/** Largest coverage SVG embedded. */
#define REPORT_MAX_SVG (2u * 1024u * 1024u)

/** What kind of run folder it is. */
typedef enum report_kind {
    REPORT_KIND_NONE = 0, /**< not a run folder this renderer knows */
    REPORT_KIND_SIM,      /**< run.json command "sim" */
    REPORT_KIND_PEER,     /**< run.json command "peer" */
    REPORT_KIND_REPLAY,   /**< run.json command "replay" (conformance.json) */
    REPORT_KIND_INTEROP,  /**< summary.json with "results" (interop/run.sh) */
    REPORT_KIND_FUZZ,     /**< metrics.json with "engine" and "targets"
                               (ci/fuzz.sh) */
    REPORT_KIND_DECODE,   /**< run.json command "decode" (decode --out) */
} report_kind;

/** What report_write_run() found, for the caller and the index page. */
typedef struct report_info {
    report_kind kind; /**< the folder's kind */
    char verdict[16]; /**< "pass", "fail", "error" or "unknown" */
    char title[160];  /**< a short description (scenario, capture, ...) */
} report_info;

/**
 * @brief A kind's name ("sim", "replay", "interop", ...).
 * @param k the kind
 * @return a static string ("none" for REPORT_KIND_NONE or others).
 */
const char *report_kind_name(report_kind k);

/**
 * @brief Render one run folder as a self-contained HTML page.
 * @param run_dir      the run folder (borrowed)
 * @param out_html     the page to write (borrowed; created or truncated);
 *                     NULL: RUN_DIR/index.html. Links in the page are
 *                     relative to RUN_DIR, so the page belongs there (or in
 *                     a folder at the same place).
 * @param baseline_dir a run folder of the same kind to compare with
 *                     (interop: cases; replay: rules); NULL: none
 * @param info         receives the kind, verdict and title (may be NULL)
 * @param why          receives a message naming the file and the reason on
 *                     every error (may be NULL)
 * @param why_len      its size
 * @return IKH_OK; ARG_INVALID (not a run folder of a known kind, a JSON
 *         file that does not parse or lacks what its kind needs, a
 *         baseline of another kind or of a kind without comparison);
 *         IO_OPEN / IO_READ / IO_TOO_BIG (an input file); IO_WRITE (the
 *         page); ENV_NOMEM. The caller prints why and exits 2; nothing is
 *         left half written under out_html's name on input errors (the
 *         page is written to a temporary name and renamed).
 */
IKH_MUST_USE ikh_err report_write_run(const char *run_dir, const char *out_html,
                                      const char *baseline_dir,
                                      report_info *info, char *why,
                                      size_t why_len);

/**
 * @brief Write an index page linking each run's index.html with its
 *        verdict.
 * @param out_html the page (borrowed; created or truncated); links are
 *                 made relative to its folder
 * @param run_dirs the run folders (borrowed)
 * @param infos    what report_write_run() said of each (borrowed)
 * @param n        their count
 * @param why      receives a message on error (may be NULL)
 * @param why_len  its size
 * @return IKH_OK; IO_WRITE; ARG_INVALID (NULL arguments with n > 0).
 */
IKH_MUST_USE ikh_err report_write_index(const char *out_html,
                                        const char *const *run_dirs,
                                        const report_info *infos, size_t n,
                                        char *why, size_t why_len);

/**
 * @brief The hook of sim, peer and replay: render RUN_DIR/index.html and
 *        print a warning (never an error) when it cannot be done.
 * @param command the subcommand, for the warning ("sim", ...)
 * @param run_dir the run folder just written (borrowed)
 * @return nothing: a rendering failure never changes a run's exit code.
 */
void report_run_hook(const char *command, const char *run_dir);

#endif
