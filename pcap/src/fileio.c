/* SPDX-License-Identifier: MIT */
/* A whole stream into memory, bounded (fileio.h). */
#include "ikh/fileio.h"

#include <stdlib.h>

#include "ikh/crypto.h"

ikh_err ikh_read_stream(FILE *f, size_t max, uint8_t **out, size_t *len)
{
    if (f == NULL || out == NULL || len == NULL)
        return IKH_ERR_ARG_INVALID;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    ikh_err e = buf ? IKH_OK : IKH_ERR_ENV_NOMEM;
    while (e == IKH_OK) {
        if (n == cap) {
            if (cap > max) {
                e = IKH_ERR_IO_TOO_BIG;
                break;
            }
            uint8_t *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                e = IKH_ERR_ENV_NOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                e = IKH_ERR_IO_READ;
            break;
        }
    }
    if (e == IKH_OK && n > max)
        e = IKH_ERR_IO_TOO_BIG;
    if (e != IKH_OK) {
        if (buf != NULL) /* key files go through here too */
            ikh_wipe(buf, n);
        free(buf);
        return e;
    }
    *out = buf;
    *len = n;
    return IKH_OK;
}
