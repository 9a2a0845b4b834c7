/* SPDX-License-Identifier: MIT */
/*
 * `ikeharness decode`: read IKE messages from hex, a raw file or a capture
 * (pcap/pcapng through libpcap), and print each as JSON (docs/decode-json.md)
 * or as a readable tree. With --out DIR it also leaves a run folder:
 * run.json, decoded.json, events.jsonl, metrics.json, metrics.prom.
 *
 * Exit: 0 every IKE message parsed; 1 some message did not parse (or, with
 * --strict, failed verification); 2 bad usage or unreadable input.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ikh/dump.h"
#include "ikh/log.h"
#include "ikh/metrics.h"
#include "ikh/names.h"
#include "ikh/pcap.h"
#include "ikh/wire.h"
#include "report.h"

/* hex text */
#define DECODE_MAX_INPUT (64u * 1024u * 1024u)
/* one raw message (and its non-ESP marker) */
#define DECODE_MAX_RAW (IKH_WIRE_MAX_MSG + 4u)
/* one message's JSON */
#define DECODE_JSON_CAP (4u * 1024u * 1024u)
#define DECODE_MAX_SUITES 1024u

typedef struct suite_row {
    uint64_t ispi, rspi;
    ikh_sk_info sk;
} suite_row;

typedef struct skip_row {
    uint64_t frame;
    ikh_err err;
    size_t offset;
} skip_row;

typedef struct dec {
    /* options */
    bool json, strict, marker, quiet;
    const char *out_dir;
    const char *input;
    const char *format;
    int linktype;
    /* outputs */
    FILE *doc;    /* decoded.json in the run folder, or NULL */
    FILE *events; /* events.jsonl, or NULL */
    ikh_log log;
    ikh_metrics metrics;
    char *jbuf;
    ikh_msg *msg;
    /* state */
    uint64_t n_msgs, n_ok, n_err, n_verify_err, n_skipped;
    suite_row suites[DECODE_MAX_SUITES];
    size_t n_suites;
    skip_row *skips;
    size_t n_skips, cap_skips;
    bool out_failed;
} dec;

typedef struct frame_meta {
    uint64_t index;
    const ikh_frame *fr; /* NULL for hex/raw input */
} frame_meta;

static void log_line(void *user, ikh_level lvl, const char *line, size_t len)
{
    dec *d = user;
    (void)lvl;
    if (d->events) {
        fwrite(line, 1, len, d->events);
        fputc('\n', d->events);
    }
}

/* Emit text to stdout (unless quiet) and to the run folder's decoded.json. */
static void emit(dec *d, const char *s, size_t n, bool to_stdout)
{
    if (to_stdout && !d->quiet)
        fwrite(s, 1, n, stdout);
    if (d->doc && fwrite(s, 1, n, d->doc) != n)
        d->out_failed = true;
}

static void emit_json(dec *d, const char *s)
{
    emit(d, s, strlen(s), d->json);
}

/* RFC 7296 §3.3: the accepted proposal in an IKE_SA_INIT response names
 * the suite (ikh_dump_sk_info_of()); remember its IV/ICV lengths so SK
 * payloads of the same IKE SA can be split into IV, ciphertext and ICV. */
static void learn_suite(dec *d, const ikh_msg *m)
{
    const ikh_ike_hdr *h = &m->hdr;
    ikh_sk_info sk;
    if (!ikh_dump_sk_info_of(m, &sk))
        return;
    size_t slot = d->n_suites;
    for (size_t s = 0; s < d->n_suites; s++)
        if (d->suites[s].ispi == h->ispi && d->suites[s].rspi == h->rspi)
            slot = s;
    if (slot == DECODE_MAX_SUITES)
        return; /* table full: later SK payloads print without the split */
    d->suites[slot] = (suite_row){h->ispi, h->rspi, sk};
    if (slot == d->n_suites)
        d->n_suites++;
}

static const ikh_sk_info *find_suite(const dec *d, const ikh_msg *m)
{
    for (size_t s = 0; s < d->n_suites; s++)
        if (d->suites[s].ispi == m->hdr.ispi &&
            d->suites[s].rspi == m->hdr.rspi)
            return &d->suites[s].sk;
    return NULL;
}

static void log_diag(dec *d, ikh_event evn, const ikh_diag *dg,
                     const ikh_msg *m)
{
    ikh_log_ev *ev = ikh_log_begin(&d->log, IKH_LVL_WARN, evn, 0);
    if (!ev)
        return;
    ikh_log_sa(ev, m->hdr.ispi, m->hdr.rspi, m->hdr.mid,
               ikh_name(IKH_NT_EXCH, m->hdr.exch));
    ikh_log_u64(ev, "code", (uint64_t)dg->err);
    ikh_log_str(ev, "error", ikh_err_name(dg->err));
    ikh_log_u64(ev, "offset", dg->offset);
    ikh_log_u64(ev, "payload", dg->payload);
    (void)ikh_log_end(ev);
}

static void message_json(dec *d, const frame_meta *fm, ikh_span bytes,
                         const ikh_diag *pd, const ikh_diag *vd,
                         const ikh_sk_info *sk)
{
    ikh_json j;
    char a[64];
    ikh_json_init(&j, d->jbuf, DECODE_JSON_CAP);
    ikh_json_obj_open(&j, NULL);
    ikh_json_u64(&j, "frame", fm->index);
    if (fm->fr) {
        const ikh_frame *fr = fm->fr;
        ikh_json_u64(&j, "time_us", fr->ts_sec * 1000000u + fr->ts_usec);
        ikh_json_str(&j, "src", ikh_addr_fmt(&fr->src, a, sizeof a));
        ikh_json_u64(&j, "sport", fr->sport);
        ikh_json_str(&j, "dst", ikh_addr_fmt(&fr->dst, a, sizeof a));
        ikh_json_u64(&j, "dport", fr->dport);
        ikh_json_bool(&j, "non_esp_marker", fr->non_esp_marker);
        if (fr->fragments > 0) /* reassembled from IP fragments */
            ikh_json_u64(&j, "fragments", fr->fragments);
    }
    ikh_json_u64(&j, "length", bytes.len);
    ikh_dump_diag_json(&j, "error", pd);
    ikh_dump_diag_json(&j, "verify", vd);
    if (pd->err != IKH_ERR_WIRE_HDR_SHORT)
        ikh_dump_msg_json(&j, d->msg, sk);
    ikh_json_obj_close(&j);
    if (ikh_json_finish(&j, NULL) != IKH_OK) {
        /* One message larger than the JSON buffer cannot happen for
         * 64 KiB messages; say so rather than print broken JSON. */
        ikh_json_init(&j, d->jbuf, DECODE_JSON_CAP);
        ikh_json_obj_open(&j, NULL);
        ikh_json_u64(&j, "frame", fm->index);
        ikh_json_str(&j, "output_error", ikh_err_name(IKH_ERR_WIRE_NOBUF));
        ikh_json_obj_close(&j);
        if (ikh_json_finish(&j, NULL) != IKH_OK)
            d->jbuf[0] = '\0';
    }
    emit_json(d, d->n_msgs > 0 ? ",\n" : "\n");
    emit_json(d, d->jbuf);
}

static void message_text(dec *d, const frame_meta *fm, ikh_span bytes,
                         const ikh_diag *pd, const ikh_diag *vd,
                         const ikh_sk_info *sk)
{
    char a[64], b[64], line[512];
    if (d->quiet)
        return;
    if (fm->fr)
        printf("#%llu %s:%u -> %s:%u%s, %zu octets\n",
               (unsigned long long)fm->index,
               ikh_addr_fmt(&fm->fr->src, a, sizeof a), fm->fr->sport,
               ikh_addr_fmt(&fm->fr->dst, b, sizeof b), fm->fr->dport,
               fm->fr->non_esp_marker ? " (non-ESP marker)" : "", bytes.len);
    else
        printf("#%llu %zu octets\n", (unsigned long long)fm->index, bytes.len);
    if (pd->err != IKH_ERR_WIRE_HDR_SHORT) {
        size_t n = 0;
        ikh_err e = ikh_dump_msg_text(d->msg, sk, d->jbuf, DECODE_JSON_CAP, &n);
        fwrite(d->jbuf, 1, n, stdout);
        if (e != IKH_OK)
            printf("  (output cut: %s)\n", ikh_err_name(e));
    }
    if (pd->err != IKH_OK)
        printf("  parse error: %s\n",
               ikh_dump_diag_text(pd, line, sizeof line));
    else if (vd->err != IKH_OK)
        printf("  verify: %s\n", ikh_dump_diag_text(vd, line, sizeof line));
}

static void process_message(dec *d, const frame_meta *fm, ikh_span bytes)
{
    ikh_diag pd = {0}, vd = {0};
    pd.pl_index = vd.pl_index = -1;
    ikh_err e = ikh_wire_msg_parse(d->msg, bytes.p, bytes.len, &pd);
    ikh_metric_inc(&d->metrics, IKH_M_DECODE_FRAMES_TOTAL);
    ikh_metric_observe(&d->metrics, IKH_M_WIRE_MESSAGE_OCTETS, bytes.len);
    if (e == IKH_OK) {
        d->n_ok++;
        ikh_metric_inc(&d->metrics, IKH_M_WIRE_MESSAGES_PARSED_TOTAL);
        if (ikh_wire_msg_verify(d->msg, &vd) != IKH_OK) {
            d->n_verify_err++;
            log_diag(d, IKH_EV_WIRE_VERIFY_ERROR, &vd, d->msg);
        }
        learn_suite(d, d->msg);
    } else {
        d->n_err++;
        ikh_metric_inc_l(&d->metrics, IKH_M_WIRE_PARSE_ERRORS_TOTAL,
                         (unsigned)e);
        log_diag(d, IKH_EV_WIRE_PARSE_ERROR, &pd, d->msg);
    }
    const ikh_sk_info *sk = find_suite(d, d->msg);
    ikh_log_ev *ev = ikh_log_begin(&d->log, IKH_LVL_INFO, IKH_EV_DECODE_MSG, 0);
    if (ev) {
        ikh_log_sa(ev, d->msg->hdr.ispi, d->msg->hdr.rspi, d->msg->hdr.mid,
                   ikh_name(IKH_NT_EXCH, d->msg->hdr.exch));
        ikh_log_u64(ev, "frame", fm->index);
        ikh_log_u64(ev, "len", bytes.len);
        ikh_log_u64(ev, "payloads", d->msg->n_pl);
        (void)ikh_log_end(ev);
    }
    for (size_t i = 0; i < d->msg->n_pl; i++)
        ikh_metric_inc_l(&d->metrics, IKH_M_WIRE_PAYLOADS_TOTAL,
                         d->msg->pl[i].type);
    if (d->json || d->doc)
        message_json(d, fm, bytes, &pd, &vd, sk);
    if (!d->json)
        message_text(d, fm, bytes, &pd, &vd, sk);
    d->n_msgs++;
}

static void skip_record(dec *d, uint64_t frame, ikh_err err, size_t off)
{
    d->n_skipped++;
    ikh_metric_inc(&d->metrics, IKH_M_DECODE_SKIPPED_TOTAL);
    ikh_log_ev *ev =
        ikh_log_begin(&d->log, IKH_LVL_INFO, IKH_EV_DECODE_SKIP, 0);
    if (ev) {
        ikh_log_u64(ev, "frame", frame);
        ikh_log_u64(ev, "code", (uint64_t)err);
        ikh_log_err(ev, "error", err);
        (void)ikh_log_end(ev);
    }
    if (d->n_skips == d->cap_skips) {
        size_t nc = d->cap_skips ? d->cap_skips * 2 : 64;
        skip_row *ns = realloc(d->skips, nc * sizeof *ns);
        if (!ns)
            return; /* counted above; the list is best effort */
        d->skips = ns;
        d->cap_skips = nc;
    }
    d->skips[d->n_skips++] = (skip_row){frame, err, off};
    if (!d->json && !d->quiet)
        printf("#%llu skipped: %s (%d): %s\n", (unsigned long long)frame,
               ikh_err_name(err), (int)err, ikh_err_str(err));
}

/* Datagrams the capture reader dropped instead of reassembling (timeout,
 * overlap, bad fragment, table full): one skip each, at its first record. */
static void drain_reasm(dec *d, ikh_cap *c)
{
    uint64_t first = 0;
    ikh_err why = IKH_OK;
    while (ikh_cap_reasm_report(c, &first, &why) == IKH_OK)
        skip_record(d, first, why, 0);
}

static ikh_err run_pcap(dec *d)
{
    char ebuf[256] = "";
    ikh_cap *c = NULL;
    ikh_err e = ikh_cap_open(d->input, &c, ebuf, sizeof ebuf);
    if (e != IKH_OK) {
        if (ebuf[0])
            fprintf(stderr, "ikeharness: decode: %s: %s\n", d->input, ebuf);
        return e;
    }
    d->linktype = ikh_cap_linktype(c);
    ikh_frame fr;
    uint64_t last = 0;
    for (;;) {
        e = ikh_cap_next(c, &fr);
        drain_reasm(d, c);
        if (e == IKH_ERR_STATE) {
            e = IKH_OK; /* end of capture */
            break;
        }
        if (e != IKH_OK) {
            fprintf(stderr,
                    "ikeharness: decode: %s: record %llu: %s (%d): %s%s%s\n",
                    d->input, (unsigned long long)(last + 1), ikh_err_name(e),
                    (int)e, ikh_err_str(e), ikh_cap_errmsg(c)[0] ? ": " : "",
                    ikh_cap_errmsg(c));
            skip_record(d, last + 1, e, 0);
            break;
        }
        last = fr.index;
        if (fr.kind == IKH_FRAME_IKE) {
            frame_meta fm = {fr.index, &fr};
            process_message(d, &fm, fr.ike);
        } else {
            ikh_err why = fr.err != IKH_OK           ? fr.err
                          : fr.kind == IKH_FRAME_ESP ? IKH_ERR_PKT_ESP
                          : fr.kind == IKH_FRAME_NAT_KEEPALIVE
                              ? IKH_ERR_PKT_NAT_KEEPALIVE
                              : IKH_ERR_PKT_NOT_IKE;
            skip_record(d, fr.index, why, fr.err_offset);
        }
    }
    ikh_cap_close(c);
    return e;
}

/* Hex input: one message per line; blank lines and lines starting with
 * '#' are ignored. */
static ikh_err run_hex(dec *d, const char *text, size_t len)
{
    uint8_t *buf = malloc(IKH_WIRE_MAX_MSG + 4u);
    if (!buf)
        return IKH_ERR_ENV_NOMEM;
    size_t pos = 0;
    uint64_t line_no = 0;
    ikh_err e = IKH_OK;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        line_no++;
        const char *l = text + pos;
        size_t ll = end - pos;
        pos = end + 1;
        size_t k = 0;
        while (k < ll && (l[k] == ' ' || l[k] == '\t' || l[k] == '\r'))
            k++;
        if (k == ll || l[k] == '#')
            continue;
        size_t n = 0;
        e = cli_unhex(l, ll, buf, IKH_WIRE_MAX_MSG + 4u, &n);
        if (e != IKH_OK) {
            fprintf(stderr, "ikeharness: decode: hex line %llu: %s (%d): %s\n",
                    (unsigned long long)line_no, ikh_err_name(e), (int)e,
                    ikh_err_str(e));
            break;
        }
        ikh_span s = ikh_span_of(buf, n);
        if (d->marker && n >= 4 && buf[0] == 0 && buf[1] == 0 && buf[2] == 0 &&
            buf[3] == 0)
            s = ikh_span_of(buf + 4, n - 4);
        frame_meta fm = {line_no, NULL};
        process_message(d, &fm, s);
    }
    free(buf);
    return e;
}

static bool is_capture(const uint8_t *p, size_t n)
{
    static const uint8_t magics[][4] = {
        {0xa1, 0xb2, 0xc3, 0xd4}, {0xd4, 0xc3, 0xb2, 0xa1}, /* pcap, usec */
        {0xa1, 0xb2, 0x3c, 0x4d}, {0x4d, 0x3c, 0xb2, 0xa1}, /* pcap, nsec */
        {0x0a, 0x0d, 0x0d, 0x0a},                           /* pcapng SHB */
    };
    if (n < 4)
        return false;
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (memcmp(p, magics[i], 4) == 0)
            return true;
    return false;
}

static void decode_usage(FILE *f)
{
    fprintf(
        f,
        "usage: ikeharness decode [options] INPUT\n"
        "  INPUT              a pcap/pcapng capture or a raw IKE message file\n"
        "                     (detected by its magic number), or - for stdin\n"
        "  --hex HEX          decode HEX (one message; use --hex-file for "
        "many)\n"
        "  --hex-file FILE    hex, one message per line ('#' comments; - = "
        "stdin)\n"
        "  --raw              treat INPUT as one raw IKE message\n"
        "  --marker           hex/raw input starts with the 4-octet non-ESP "
        "marker\n"
        "  --json             print one JSON document (docs/decode-json.md)\n"
        "  --out DIR          also write a run folder: run.json, "
        "decoded.json,\n"
        "                     events.jsonl, metrics.json, metrics.prom,\n"
        "                     index.html\n"
        "  --strict           exit 1 when a message fails verification too\n"
        "  --quiet            print nothing on stdout (use with --out)\n"
        "exit: 0 all messages parsed, 1 some did not, 2 usage or input "
        "error\n");
}

/* The document head: its members, built with the JSON writer so the
 * input path is escaped, then left open for the streamed arrays. */
static size_t doc_head(const dec *d, char *head, size_t cap, bool with_input)
{
    ikh_json j;
    size_t n = 0;
    ikh_json_init(&j, head, cap);
    ikh_json_obj_open(&j, NULL);
    ikh_json_str(&j, "tool", "ikeharness decode");
    if (with_input)
        ikh_json_str(&j, "input", d->input);
    else
        ikh_json_bool(&j, "input_too_long", true);
    ikh_json_str(&j, "format", d->format);
    ikh_json_obj_close(&j);
    return ikh_json_finish(&j, &n) == IKH_OK ? n : 0;
}

static void write_doc_head(dec *d)
{
    /* A path that opened is at most PATH_MAX (4096) octets; escaped, at
     * most six times that. Should it still not fit, the head goes out
     * without it rather than as broken JSON. */
    static char head[32768];
    size_t n = doc_head(d, head, sizeof head, true);
    if (n == 0)
        n = doc_head(d, head, sizeof head, false);
    /* drop the closing brace: members follow */
    if (n > 0)
        head[n - 1] = '\0';
    emit_json(d, head);
    if (d->linktype >= 0) {
        char lt[48];
        snprintf(lt, sizeof lt, ",\"linktype\":%d", d->linktype);
        emit_json(d, lt);
    }
    emit_json(d, ",\"messages\":[");
}

static void write_doc_tail(dec *d)
{
    char line[256];
    emit_json(d, "\n],\"skipped\":[");
    for (size_t i = 0; i < d->n_skips; i++) {
        const skip_row *s = &d->skips[i];
        snprintf(
            line, sizeof line,
            "%s\n{\"frame\":%llu,\"code\":%d,\"error\":\"%s\",\"offset\":%zu}",
            i ? "," : "", (unsigned long long)s->frame, (int)s->err,
            ikh_err_name(s->err), s->offset);
        emit_json(d, line);
    }
    snprintf(line, sizeof line,
             "\n],\"summary\":{\"messages\":%llu,\"ok\":%llu,\"errors\":%llu,"
             "\"verify_errors\":%llu,\"skipped\":%llu}}\n",
             (unsigned long long)d->n_msgs, (unsigned long long)d->n_ok,
             (unsigned long long)d->n_err, (unsigned long long)d->n_verify_err,
             (unsigned long long)d->n_skipped);
    emit_json(d, line);
}

static ikh_err write_run_json(dec *d, int argc, char **argv,
                              const char *verdict, int exit_code)
{
    static char buf[65536]; /* cmdline (2 KiB) and input path, escaped */
    ikh_json j;
    ikh_json_init(&j, buf, sizeof buf);
    ikh_json_obj_open(&j, NULL);
    ikh_json_str(&j, "command", "decode");
    ikh_json_str(&j, "cmdline", cli_cmdline(argc, argv));
    ikh_json_str(&j, "version", IKH_VERSION);
    ikh_json_str(&j, "input", d->input);
    ikh_json_str(&j, "format", d->format);
    ikh_json_str(&j, "verdict", verdict);
    ikh_json_i64(&j, "exit_code", exit_code);
    ikh_json_obj_open(&j, "counts");
    ikh_json_u64(&j, "messages", d->n_msgs);
    ikh_json_u64(&j, "ok", d->n_ok);
    ikh_json_u64(&j, "errors", d->n_err);
    ikh_json_u64(&j, "verify_errors", d->n_verify_err);
    ikh_json_u64(&j, "skipped", d->n_skipped);
    ikh_json_obj_close(&j);
    static const char *const files[] = {"run.json", "decoded.json",
                                        "events.jsonl", "metrics.json",
                                        "metrics.prom"};
    return cli_finish_run_json(&j, files, sizeof files / sizeof files[0],
                               d->out_dir);
}

int cmd_decode(int argc, char **argv)
{
    dec *d = calloc(1, sizeof *d);
    const char *hex = NULL, *hex_file = NULL;
    bool raw = false;
    int rc = CLI_EXIT_USAGE;
    uint8_t *in = NULL;
    size_t in_len = 0;
    if (!d) {
        cli_err("decode", IKH_ERR_ENV_NOMEM);
        return CLI_EXIT_USAGE;
    }
    d->linktype = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_val = i + 1 < argc;
        if (strcmp(a, "--json") == 0)
            d->json = true;
        else if (strcmp(a, "--strict") == 0)
            d->strict = true;
        else if (strcmp(a, "--marker") == 0)
            d->marker = true;
        else if (strcmp(a, "--quiet") == 0)
            d->quiet = true;
        else if (strcmp(a, "--raw") == 0)
            raw = true;
        else if (strcmp(a, "--hex") == 0 && has_val)
            hex = argv[++i];
        else if (strcmp(a, "--hex-file") == 0 && has_val)
            hex_file = argv[++i];
        else if (strcmp(a, "--out") == 0 && has_val)
            d->out_dir = argv[++i];
        else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            decode_usage(stdout);
            free(d);
            return CLI_EXIT_OK;
        } else if ((a[0] != '-' || strcmp(a, "-") == 0) && !d->input)
            d->input = a;
        else {
            fprintf(stderr,
                    "ikeharness: decode: unknown or incomplete option '%s'\n",
                    a);
            decode_usage(stderr);
            free(d);
            return CLI_EXIT_USAGE;
        }
    }
    if ((hex != NULL) + (hex_file != NULL) + (d->input != NULL) != 1) {
        fprintf(stderr, "ikeharness: decode: give exactly one of INPUT, --hex, "
                        "--hex-file\n");
        decode_usage(stderr);
        free(d);
        return CLI_EXIT_USAGE;
    }
    d->msg = malloc(sizeof *d->msg);
    d->jbuf = malloc(DECODE_JSON_CAP);
    if (!d->msg || !d->jbuf) {
        cli_err("decode", IKH_ERR_ENV_NOMEM);
        goto out;
    }
    ikh_metrics_init(&d->metrics);
    if (ikh_log_init(&d->log, log_line, d, IKH_LVL_INFO, "decode") != IKH_OK)
        goto out;
    ikh_log_set_metrics(&d->log, &d->metrics);

    ikh_err e = IKH_OK;
    if (hex) {
        d->input = "(hex)";
        d->format = "hex";
    } else if (hex_file) {
        d->input = hex_file;
        d->format = "hex";
        e = cli_read_file(hex_file, DECODE_MAX_INPUT, &in, &in_len);
    } else {
        /* Sniff the magic first: captures are streamed by libpcap (any
         * size); only a raw message is read whole. */
        uint8_t magic[4];
        size_t mlen = 0;
        if (strcmp(d->input, "-") != 0) {
            FILE *f = fopen(d->input, "rb");
            if (!f)
                e = IKH_ERR_IO_OPEN;
            else {
                mlen = fread(magic, 1, sizeof magic, f);
                if (ferror(f))
                    e = IKH_ERR_IO_READ;
                fclose(f);
            }
        }
        if (e == IKH_OK && !raw && is_capture(magic, mlen))
            d->format = "pcap";
        else if (e == IKH_OK) {
            e = cli_read_file(d->input, DECODE_MAX_RAW, &in, &in_len);
            d->format = !raw && is_capture(in, in_len) ? "pcap" : "raw";
        }
        if (e == IKH_OK && strcmp(d->input, "-") == 0 &&
            strcmp(d->format, "pcap") == 0) {
            fprintf(
                stderr,
                "ikeharness: decode: read captures from a file, not stdin\n");
            e = IKH_ERR_ARG_USAGE;
        }
    }
    if (e != IKH_OK) {
        fprintf(stderr, "ikeharness: decode: %s: %s (%d): %s\n", d->input,
                ikh_err_name(e), (int)e, ikh_err_str(e));
        goto out;
    }
    if (d->out_dir) {
        if (cli_mkdirs(d->out_dir) != IKH_OK) {
            fprintf(stderr, "ikeharness: decode: cannot create %s\n",
                    d->out_dir);
            goto out;
        }
        d->doc = cli_open_out(d->out_dir, "decoded.json");
        d->events = cli_open_out(d->out_dir, "events.jsonl");
        if (!d->doc || !d->events)
            goto out;
    }
    ikh_log_ev *ev = ikh_log_begin(&d->log, IKH_LVL_INFO, IKH_EV_RUN_START, 0);
    if (ev) {
        ikh_log_str(ev, "command", "decode");
        ikh_log_str(ev, "version", IKH_VERSION);
        (void)ikh_log_end(ev);
    }
    /* The capture's link type goes into the head, so open it first. */
    if (strcmp(d->format, "pcap") == 0) {
        ikh_cap *probe = NULL;
        char eb[256] = "";
        e = ikh_cap_open(d->input, &probe, eb, sizeof eb);
        if (e == IKH_OK)
            d->linktype = ikh_cap_linktype(probe);
        ikh_cap_close(probe);
        if (e != IKH_OK) {
            fprintf(stderr, "ikeharness: decode: %s: %s (%d): %s%s%s\n",
                    d->input, ikh_err_name(e), (int)e, ikh_err_str(e),
                    eb[0] ? ": " : "", eb);
            goto out;
        }
    }
    write_doc_head(d);
    if (hex)
        e = run_hex(d, hex, strlen(hex));
    else if (hex_file)
        e = run_hex(d, (const char *)in, in_len);
    else if (strcmp(d->format, "pcap") == 0)
        e = run_pcap(d);
    else {
        ikh_span s = ikh_span_of(in, in_len);
        if (d->marker && in_len >= 4 && !in[0] && !in[1] && !in[2] && !in[3])
            s = ikh_span_of(in + 4, in_len - 4);
        frame_meta fm = {1, NULL};
        process_message(d, &fm, s);
    }
    write_doc_tail(d);

    bool fail = d->n_err > 0 || (d->strict && d->n_verify_err > 0);
    rc = e != IKH_OK && e != IKH_ERR_PCAP_RECORD ? CLI_EXIT_USAGE
         : fail || e == IKH_ERR_PCAP_RECORD      ? CLI_EXIT_FAIL
                                                 : CLI_EXIT_OK;
    const char *verdict = rc == CLI_EXIT_OK     ? "pass"
                          : rc == CLI_EXIT_FAIL ? "fail"
                                                : "error";
    ev = ikh_log_begin(&d->log, IKH_LVL_INFO, IKH_EV_RUN_END, 0);
    if (ev) {
        ikh_log_str(ev, "verdict", verdict);
        ikh_log_u64(ev, "messages", d->n_msgs);
        ikh_log_u64(ev, "errors", d->n_err);
        (void)ikh_log_end(ev);
    }
    if (d->out_dir) {
        ikh_err we = cli_write_metrics(d->out_dir, &d->metrics);
        if (we == IKH_OK)
            we = write_run_json(d, argc, argv, verdict, rc);
        if (we != IKH_OK || d->out_failed) {
            cli_err("decode: writing the run folder",
                    we != IKH_OK ? we : IKH_ERR_IO_WRITE);
            rc = CLI_EXIT_USAGE;
        }
    }
    if (!d->json && !d->quiet)
        printf("%llu message(s): %llu parsed, %llu parse error(s), %llu verify "
               "error(s); %llu record(s) skipped\n",
               (unsigned long long)d->n_msgs, (unsigned long long)d->n_ok,
               (unsigned long long)d->n_err,
               (unsigned long long)d->n_verify_err,
               (unsigned long long)d->n_skipped);
out:
    if (d->doc && fclose(d->doc) != 0)
        rc = CLI_EXIT_USAGE;
    if (d->events && fclose(d->events) != 0)
        rc = CLI_EXIT_USAGE;
    /* index.html of the run folder; never changes rc */
    if (d->out_dir && rc != CLI_EXIT_USAGE)
        report_run_hook("decode", d->out_dir);
    free(in);
    free(d->skips);
    free(d->msg);
    free(d->jbuf);
    free(d);
    return rc;
}
