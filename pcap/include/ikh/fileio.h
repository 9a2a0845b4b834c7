/* SPDX-License-Identifier: MIT */
/**
 * @file fileio.h
 * @brief Reading a whole stream into memory, bounded: the one reader the
 *        tools and the report writer share (scenario files, hex files,
 *        run-folder JSON, SVG charts).
 */
#ifndef IKH_FILEIO_H
#define IKH_FILEIO_H

#include <stdint.h>
#include <stdio.h>

#include "ikh/common.h"
#include "ikh/err.h"

/**
 * @brief Read a stream to its end into one malloc'd buffer.
 * @param f   the stream (borrowed; not closed)
 * @param max most octets accepted
 * @param out receives the buffer on IKH_OK (the caller frees it)
 * @param len receives its length on IKH_OK
 * @return IKH_OK; IO_TOO_BIG (more than max octets); IO_READ (a read
 *         error); ENV_NOMEM. On error nothing is returned to free (what
 *         was read is wiped first: key files are read through here).
 */
IKH_MUST_USE ikh_err ikh_read_stream(FILE *f, size_t max, uint8_t **out,
                                     size_t *len);

#endif /* IKH_FILEIO_H */
