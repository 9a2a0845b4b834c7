/* SPDX-License-Identifier: MIT */
/*
 * Error table accessors: name, message, notify and disposition of each
 * ikh_err, all generated from ikh/err_table.h so they can never drift.
 */
#include <string.h>

#include "ikh/err.h"
#include "ikh/iana.h"

typedef struct err_row {
    ikh_err code;
    const char *name;
    const char *msg;
    unsigned notify;
    ikh_disposition disp;
} err_row;

static const err_row err_rows[] = {
#define IKH_ERR(name, num, notify, disp, msg)                                  \
    {IKH_ERR_##name, #name, msg, IKH_N_##notify, IKH_DISP_##disp},
#include "ikh/err_table.h"
#undef IKH_ERR
};

static const err_row *err_find(ikh_err e)
{
    for (size_t i = 0; i < sizeof err_rows / sizeof err_rows[0]; i++)
        if (err_rows[i].code == e)
            return &err_rows[i];
    return NULL;
}

const char *ikh_err_name(ikh_err e)
{
    const err_row *r = err_find(e);
    return r ? r->name : "UNKNOWN";
}

const char *ikh_err_str(ikh_err e)
{
    const err_row *r = err_find(e);
    return r ? r->msg : "unknown error";
}

unsigned ikh_err_notify(ikh_err e)
{
    const err_row *r = err_find(e);
    return r ? r->notify : 0;
}

ikh_disposition ikh_err_disposition(ikh_err e)
{
    const err_row *r = err_find(e);
    return r ? r->disp : IKH_DISP_NONE;
}

int ikh_err_from_name(const char *name, ikh_err *out)
{
    for (size_t i = 0; i < sizeof err_rows / sizeof err_rows[0]; i++) {
        if (strcmp(err_rows[i].name, name) == 0) {
            *out = err_rows[i].code;
            return 1;
        }
    }
    return 0;
}

size_t ikh_err_count(void)
{
    return sizeof err_rows / sizeof err_rows[0];
}

ikh_err ikh_err_at(size_t i)
{
    return i < ikh_err_count() ? err_rows[i].code : IKH_OK;
}
