/* SPDX-License-Identifier: MIT */
/*
 * What `ikeharness sim` and `ikeharness peer` share: loading a scenario
 * file with its key files (paths relative to the file), collecting key
 * tables from the nodes' key hooks, and the run folder (events.jsonl,
 * capture.pcap, metrics, Wireshark key tables, the key files of every SA
 * (ike_keys.csv, esp_keys.csv: capdec.h), junit.xml, run.json).
 */
#ifndef IKH_TOOLS_SCN_COMMON_H
#define IKH_TOOLS_SCN_COMMON_H

#include <stdio.h>

#include "ikh/json.h"
#include "ikh/keyfile.h"
#include "ikh/keytab.h"
#include "ikh/scenario.h"
#include "ikh/tap.h"

/* Key-table rows (IKE SAs and ESP directions): the first allocation, and
 * the most one run keeps (the tables grow by doubling; a long run with a
 * rekey every few seconds makes thousands). */
#define SCN_KEYROWS_FIRST 256u
#define SCN_MAX_KEYROWS 65536u

typedef struct scn_keyrow {
    uint8_t k[4][IKH_KEYTAB_KEY_MAX];
    ikh_keytab_ike ike;
    ikh_keytab_esp esp;
    bool esn; /* ESP: extended sequence numbers (not in Wireshark's table) */
    uint16_t esp_encr_bits; /* ESP: Key Length attribute (esp_keys.csv) */
} scn_keyrow;

/* Command-specific members of run.json, written through this hook. */
typedef void (*scn_json_fn)(ikh_json *j, void *user);

typedef struct scn_out {
    const char *command; /* "sim" or "peer": messages, run.json, junit */
    const char *path;    /* scenario file */
    const char *out_dir; /* run folder */
    ikh_scenario *scn;
    ikh_key keys_own[IKH_SCN_MAX_PEERS], keys_peer[IKH_SCN_MAX_PEERS];
    ikh_scn_keys keys;
    FILE *events;
    ikh_tap *tap;
    scn_keyrow *ike_rows, *esp_rows;
    size_t n_ike, n_esp;
    size_t cap_ike, cap_esp; /* rows allocated */
    bool keyrows_full;
    size_t n_ike_skipped, n_esp_skipped; /* SAs Wireshark cannot name */
    ikh_metrics metrics;
    ikh_scn_result *res;
    const bool *not_checked; /* per expectation: not judged here (NULL: none) */
    scn_json_fn json_head;   /* after "name" (seed, peer, ...); may be NULL */
    scn_json_fn json_tail;   /* after "expectations" (counters); may be NULL */
    void *json_user;
} scn_out;

/* Allocate the scenario, result and key rows; read and parse the file
 * at o->path and load its key files. Exit code: CLI_EXIT_OK, or
 * CLI_EXIT_USAGE with a message (file:line:column) on stderr. */
int scn_out_load(scn_out *o);

/* Free what scn_out_load() allocated (keys wiped). */
void scn_out_free(scn_out *o);

/* Key hooks that fill o's key tables (one row per SA). */
ikh_key_hooks scn_out_key_hooks(scn_out *o);

/* An env log hook writing each line to o->events (user: the scn_out). */
void scn_out_log(void *user, ikh_level lvl, const char *line, size_t len);

/* Create the run folder, open events.jsonl and capture.pcap (raw IP).
 * CLI_EXIT_OK or CLI_EXIT_USAGE with a message. */
int scn_out_open(scn_out *o);

/* Close capture and events; IO_WRITE when either failed. */
ikh_err scn_out_close(scn_out *o);

/* Write metrics, key tables and key files, junit.xml and run.json (exit
 * code rc), then
 * report failed expectations on stderr. CLI_EXIT_USAGE when a file cannot
 * be written, else rc. */
int scn_out_write(scn_out *o, int argc, char **argv, int rc);

/* A decimal or 0x number for an option (no sign); false when it is not. */
bool scn_arg_u64(const char *s, uint64_t *out);

#endif
