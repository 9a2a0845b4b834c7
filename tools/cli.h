/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the ikeharness program: file input with limits, hex
 * input, run folders, and the subcommand signature. The program is thin:
 * it parses arguments and calls the libraries.
 */
#ifndef IKH_TOOLS_CLI_H
#define IKH_TOOLS_CLI_H

#include <stdio.h>

#include "ikh/common.h"
#include "ikh/json.h"
#include "ikh/metrics.h"

#ifndef IKH_VERSION
#define IKH_VERSION "0.0.0"
#endif

/* Exit codes shared by every subcommand. */
enum {
    CLI_EXIT_OK = 0,    /* ran, verdict pass */
    CLI_EXIT_FAIL = 1,  /* ran, verdict fail (bad messages, failed checks) */
    CLI_EXIT_USAGE = 2, /* bad arguments, unreadable input, environment */
    CLI_EXIT_UNSUPPORTED = 127, /* the command is not built yet */
};

typedef int (*cli_cmd_fn)(int argc, char **argv);

/* Print "ikeharness: <what>: NAME (code): message" to stderr. */
void cli_err(const char *what, ikh_err e);

/* Read a whole file (at most max octets) into a malloc'd buffer.
 * IO_OPEN, IO_READ, IO_TOO_BIG. */
ikh_err cli_read_file(const char *path, size_t max, uint8_t **out, size_t *len);

/* Decode hex (spaces, tabs, colons ignored) into buf. ARG_HEX on an odd
 * count or a bad digit; WIRE_NOBUF when buf is too small. */
ikh_err cli_unhex(const char *hex, size_t hex_len, uint8_t *buf, size_t cap,
                  size_t *out_len);

/* Create DIR (and parents). IO_WRITE when it cannot be made. */
ikh_err cli_mkdirs(const char *dir);

/* Open DIR/name for writing. NULL (and a message) on failure. */
FILE *cli_open_out(const char *dir, const char *name);

/* The command line as one string, for run.json (static buffer). */
const char *cli_cmdline(int argc, char **argv);

/* Write metrics.json and metrics.prom into DIR. IO_WRITE, ENV_NOMEM. */
ikh_err cli_write_metrics(const char *dir, const ikh_metrics *m);

/* Write s to f with XML attribute/text escaping; control characters other
 * than tab, LF and CR (not allowed in XML 1.0) become '?'. */
void cli_xml_escape(FILE *f, const char *s);

/* End a run.json document: add the "files" list, close the top object,
 * and write it with a final newline to DIR/run.json. The JSON buffer stays
 * the caller's. Errors: the JSON's (WIRE_NOBUF when it did not fit),
 * IO_WRITE. */
ikh_err cli_finish_run_json(ikh_json *j, const char *const *files,
                            size_t n_files, const char *dir);

int cmd_decode(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_peer(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
