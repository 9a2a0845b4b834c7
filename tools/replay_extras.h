/* SPDX-License-Identifier: MIT */
/*
 * The parts of `ikeharness replay` beyond judging the capture itself
 * (tools/replay_extras.c): --extract-corpus, --against-stack, --tshark.
 * Each prints one summary line (unless quiet) and returns an exit code of
 * tools/cli.h: CLI_EXIT_OK, CLI_EXIT_FAIL (what it checks failed) or
 * CLI_EXIT_USAGE (it could not run: the reason is on stderr).
 */
#ifndef IKH_TOOLS_REPLAY_EXTRAS_H
#define IKH_TOOLS_REPLAY_EXTRAS_H

#include <stdbool.h>

#include "ikh/capdec.h"

/* --extract-corpus DIR: every IKE message as a fuzz seed, and its
 * plaintext form where @p keys (may be NULL) open it (replay_corpus.h). */
int replay_extract_corpus(const char *capture, const ikh_capdec_keys *keys,
                          const char *dir, bool quiet);

/* --against-stack: the capture's IKE_SA_INIT requests answered by an
 * ikeharness responder (replay_stack.h); reports in OUT/against-stack/;
 * CLI_EXIT_FAIL when one of our answers breaks a MUST rule. */
int replay_against_stack(const char *capture, const char *out_dir, bool quiet);

/* --tshark: pcap/difftest/tshark_diff.py compares every field tshark
 * decodes with ours (outside SK); its output in OUT/tshark-diff.txt;
 * CLI_EXIT_FAIL on a mismatch. The script is found through
 * IKH_TSHARK_DIFF (else the source tree's), tshark through IKH_TSHARK
 * (else PATH). */
int replay_tshark(const char *capture, const char *out_dir, bool quiet);

#endif /* IKH_TOOLS_REPLAY_EXTRAS_H */
