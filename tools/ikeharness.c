/* SPDX-License-Identifier: MIT */
/*
 * ikeharness: the command-line front of the harness. It dispatches to one
 * subcommand; parts that are not built yet say so and exit 127.
 */
#include <string.h>

#include "cli.h"

typedef struct cmd {
    const char *name;
    cli_cmd_fn fn;
    const char *help;
} cmd;

static const cmd cmds[] = {
    {"decode", cmd_decode,
     "decode IKE messages from hex, a raw file or a pcap/pcapng capture"},
    {"sim", cmd_sim, "run a scenario in the deterministic simulator"},
    {"peer", cmd_peer, "run a live IKEv2 peer over UDP"},
    {"replay", cmd_replay, "replay a capture and judge it against RFC rules"},
    {"report", cmd_report, "render run folders as HTML"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: ikeharness COMMAND [ARGS...]\n       ikeharness "
               "--version\n\ncommands:\n");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        fprintf(f, "  %-8s %s%s\n", cmds[i].name, cmds[i].help,
                cmds[i].fn ? "" : " (not built yet)");
    fprintf(f, "\nRun 'ikeharness COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("ikeharness %s\n", IKH_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(argv[1], cmds[i].name) != 0)
            continue;
        if (!cmds[i].fn) {
            fprintf(stderr,
                    "ikeharness: '%s' is not built yet (%s): this "
                    "command arrives with a later issue\n",
                    cmds[i].name, ikh_err_name(IKH_ERR_NOT_IMPLEMENTED));
            return CLI_EXIT_UNSUPPORTED;
        }
        return cmds[i].fn(argc - 1, argv + 1);
    }
    fprintf(stderr, "ikeharness: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
