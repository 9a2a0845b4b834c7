/* SPDX-License-Identifier: MIT */
/* Shared helpers of the ikeharness program (see cli.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ikh/bytes.h"
#include "ikh/fileio.h"

void cli_err(const char *what, ikh_err e)
{
    fprintf(stderr, "ikeharness: %s: %s (%d): %s\n", what, ikh_err_name(e),
            (int)e, ikh_err_str(e));
}

ikh_err cli_read_file(const char *path, size_t max, uint8_t **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return IKH_ERR_IO_OPEN;
    ikh_err e = ikh_read_stream(f, max, out, len);
    if (f != stdin)
        fclose(f);
    return e;
}

ikh_err cli_unhex(const char *hex, size_t hex_len, uint8_t *buf, size_t cap,
                  size_t *out_len)
{
    size_t n = 0;
    int hi = -1;
    for (size_t i = 0; i < hex_len; i++) {
        char c = hex[i];
        if (c == ' ' || c == '\t' || c == ':' || c == '\r')
            continue;
        int v = ikh_hex_digit((unsigned char)c);
        if (v < 0)
            return IKH_ERR_ARG_HEX;
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n >= cap)
            return IKH_ERR_WIRE_NOBUF;
        buf[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    if (hi >= 0)
        return IKH_ERR_ARG_HEX;
    *out_len = n;
    return IKH_OK;
}

ikh_err cli_mkdirs(const char *dir)
{
    char path[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path)
        return IKH_ERR_ARG_INVALID;
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] == '/' || path[i] == '\0') {
            char c = path[i];
            path[i] = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                return IKH_ERR_IO_WRITE;
            path[i] = c;
        }
    }
    return IKH_OK;
}

FILE *cli_open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        fprintf(stderr, "ikeharness: cannot write %s: %s\n", path,
                strerror(errno));
    return f;
}

const char *cli_cmdline(int argc, char **argv)
{
    static char line[2048];
    size_t n = 0;
    line[0] = '\0';
    for (int i = 0; i < argc && n < sizeof line; i++)
        n += (size_t)snprintf(line + n, sizeof line - n, "%s%s", i ? " " : "",
                              argv[i]);
    return line;
}

/* Write one buffer to DIR/name. */
static ikh_err write_buf(const char *dir, const char *name, const char *buf,
                         size_t n)
{
    FILE *f = cli_open_out(dir, name);
    if (!f)
        return IKH_ERR_IO_WRITE;
    size_t w = fwrite(buf, 1, n, f);
    if (fclose(f) != 0 || w != n)
        return IKH_ERR_IO_WRITE;
    return IKH_OK;
}

ikh_err cli_write_metrics(const char *dir, const ikh_metrics *m)
{
    size_t cap = 1u << 20, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return IKH_ERR_ENV_NOMEM;
    ikh_err e = ikh_metrics_json(m, buf, cap, &n);
    if (e == IKH_OK)
        e = write_buf(dir, "metrics.json", buf, n);
    if (e == IKH_OK)
        e = ikh_metrics_prom(m, buf, cap, &n);
    if (e == IKH_OK)
        e = write_buf(dir, "metrics.prom", buf, n);
    free(buf);
    return e;
}

void cli_xml_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&apos;", f);
            break;
        default:
            /* XML 1.0 allows no control characters but tab, LF, CR */
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                fprintf(f, "?");
            else
                fputc(c, f);
        }
    }
}

ikh_err cli_finish_run_json(ikh_json *j, const char *const *files,
                            size_t n_files, const char *dir)
{
    ikh_json_arr_open(j, "files");
    for (size_t i = 0; i < n_files; i++)
        ikh_json_str(j, NULL, files[i]);
    ikh_json_arr_close(j);
    ikh_json_obj_close(j);
    size_t n = 0;
    IKH_TRY(ikh_json_finish(j, &n));
    FILE *f = cli_open_out(dir, "run.json");
    if (f == NULL)
        return IKH_ERR_IO_WRITE;
    size_t w = fwrite(j->buf, 1, n, f);
    int c = fputc('\n', f);
    if (fclose(f) != 0 || w != n || c == EOF)
        return IKH_ERR_IO_WRITE;
    return IKH_OK;
}
