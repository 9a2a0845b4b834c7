/* SPDX-License-Identifier: MIT */
/*
 * IP addresses as text: parsing and formatting ikh_addr with the C
 * library's inet_pton / inet_ntop (RFC 5952 output for IPv6).
 */
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "ikh/pcap.h"

ikh_err ikh_addr_parse(const char *s, ikh_addr *out)
{
    if (s == NULL || out == NULL)
        return IKH_ERR_ARG_INVALID;
    ikh_addr a;
    memset(&a, 0, sizeof a);
    if (inet_pton(AF_INET, s, a.a) == 1) {
        a.family = 4;
    } else if (inet_pton(AF_INET6, s, a.a) == 1) {
        a.family = 6;
    } else {
        return IKH_ERR_ARG_INVALID;
    }
    *out = a;
    return IKH_OK;
}

const char *ikh_addr_fmt(const ikh_addr *a, char *buf, size_t len)
{
    if (buf == NULL || len == 0)
        return buf;
    buf[0] = '\0';
    if (a == NULL || (a->family != 4 && a->family != 6))
        return buf;
    int af = a->family == 4 ? AF_INET : AF_INET6;
    socklen_t n = len > INET6_ADDRSTRLEN ? INET6_ADDRSTRLEN : (socklen_t)len;
    if (inet_ntop(af, a->a, buf, n) == NULL)
        buf[0] = '\0';
    return buf;
}
