/* SPDX-License-Identifier: MIT */
/*
 * The udp driver (udp.h): the only file of stack/src that opens sockets,
 * reads the clock or asks the OS for random octets (STYLE §4,
 * ci/check-includes.sh). Two UDP sockets on one local address (IKE and
 * NAT-T ports), the non-ESP marker rule on the way out and in,
 * CLOCK_MONOTONIC in milliseconds, getrandom() unless seeded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#ifdef __linux__
#include <asm/socket.h> /* SO_NO_CHECK, hidden by _POSIX_C_SOURCE */
#endif
#include <time.h>
#include <unistd.h>

#include "ikh/metrics.h"
#include "ikh/udp.h"

enum {
    UDP_MARKER_LEN = 4,
    UDP_SOCKS = 2,
    SOCK_IKE = 0,
    SOCK_NATT = 1
};

struct ikh_udp {
    ikh_udp_config cfg;
    int fd[UDP_SOCKS];
    uint16_t port[UDP_SOCKS];
    bool no_check[UDP_SOCKS]; /* SO_NO_CHECK as last set on the socket */
    ikh_drbg drbg;
    uint64_t rand_failures;
    ikh_udp_stats stats;
    uint8_t txbuf[UDP_MARKER_LEN + IKH_UDP_DGRAM_MAX];
};

/* RFC 3948 §2.1, §2.3: UDP-encapsulated ESP and NAT-keepalives (sent as
 * ESP datagrams) SHOULD carry a zero IPv4 UDP checksum; IKE keeps its
 * checksum. Linux's SO_NO_CHECK switches the socket, so it follows what is
 * sent; elsewhere (or if refused) the kernel's checksum stays. The capture
 * tap writes the same (pcap/src/tap.c). */
static void udp_checksum_mode(struct ikh_udp *u, size_t s, bool esp)
{
    /*= rfc3948#2.3
     *# The IPv4 UDP Checksum SHOULD be transmitted as a zero value
     */
#ifdef SO_NO_CHECK
    if (u->cfg.local.family != 4 || u->no_check[s] == esp)
        return;
    int v = esp ? 1 : 0;
    if (setsockopt(u->fd[s], SOL_SOCKET, SO_NO_CHECK, &v, sizeof v) == 0)
        u->no_check[s] = esp;
#else
    (void)u;
    (void)s;
    (void)esp;
#endif
}

/* sockaddr for (a, port); returns its length. */
static socklen_t udp_sa(const ikh_addr *a, uint16_t port,
                        struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (a->family == 4) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(port);
        memcpy(&s4->sin_addr, a->a, 4);
        return sizeof *s4;
    }
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(port);
    memcpy(&s6->sin6_addr, a->a, 16);
    return sizeof *s6;
}

/* Back from a sockaddr; false for another family. */
static bool udp_from_sa(const struct sockaddr_storage *ss, ikh_addr *a,
                        uint16_t *port)
{
    memset(a, 0, sizeof *a);
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
        a->family = 4;
        memcpy(a->a, &s4->sin_addr, 4);
        *port = ntohs(s4->sin_port);
        return true;
    }
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
        a->family = 6;
        memcpy(a->a, &s6->sin6_addr, 16);
        *port = ntohs(s6->sin6_port);
        return true;
    }
    return false;
}

static ikh_err udp_bind(ikh_udp *u, size_t i, uint16_t port)
{
    int af = u->cfg.local.family == 4 ? AF_INET : AF_INET6;
    u->fd[i] = socket(af, SOCK_DGRAM, 0);
    if (u->fd[i] < 0)
        return IKH_ERR_ENV_SOCKET;
    if (af == AF_INET6) {
        int one = 1;
        (void)setsockopt(u->fd[i], IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    }
    struct sockaddr_storage ss;
    socklen_t len = udp_sa(&u->cfg.local, port, &ss);
    if (bind(u->fd[i], (struct sockaddr *)&ss, len) != 0)
        return IKH_ERR_ENV_SOCKET;
    len = sizeof ss;
    if (getsockname(u->fd[i], (struct sockaddr *)&ss, &len) != 0)
        return IKH_ERR_ENV_SOCKET;
    ikh_addr a;
    if (!udp_from_sa(&ss, &a, &u->port[i]))
        return IKH_ERR_ENV_SOCKET;
    return IKH_OK;
}

ikh_err ikh_udp_open(const ikh_udp_config *cfg, ikh_udp **out)
{
    if (out == NULL)
        return IKH_ERR_ARG_INVALID;
    *out = NULL;
    if (cfg == NULL || (cfg->local.family != 4 && cfg->local.family != 6))
        return IKH_ERR_ARG_INVALID;
    ikh_udp *u = calloc(1, sizeof *u);
    if (u == NULL)
        return IKH_ERR_ENV_NOMEM;
    u->cfg = *cfg;
    u->fd[SOCK_IKE] = u->fd[SOCK_NATT] = -1;
    if (cfg->seeded)
        ikh_drbg_init(&u->drbg, cfg->seed);
    ikh_err e = udp_bind(u, SOCK_IKE, cfg->ike_port);
    if (e == IKH_OK)
        e = udp_bind(u, SOCK_NATT, cfg->natt_port);
    if (e != IKH_OK) {
        ikh_udp_close(u);
        return e;
    }
    *out = u;
    return IKH_OK;
}

void ikh_udp_close(ikh_udp *u)
{
    if (u == NULL)
        return;
    for (size_t i = 0; i < UDP_SOCKS; i++)
        if (u->fd[i] >= 0)
            close(u->fd[i]);
    ikh_drbg_fini(&u->drbg);
    free(u);
}

void ikh_udp_ports(const ikh_udp *u, uint16_t *ike, uint16_t *natt)
{
    if (ike != NULL)
        *ike = u != NULL ? u->port[SOCK_IKE] : 0;
    if (natt != NULL)
        *natt = u != NULL ? u->port[SOCK_NATT] : 0;
}

ikh_err ikh_udp_now(ikh_time_ms *out)
{
    if (out == NULL)
        return IKH_ERR_ARG_INVALID;
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return IKH_ERR_ENV_CLOCK;
    *out = (ikh_time_ms)ts.tv_sec * 1000u + (ikh_time_ms)ts.tv_nsec / 1000000u;
    return IKH_OK;
}

static void udp_tap(ikh_udp *u, ikh_udp_tap_kind k, const ikh_dgram *dg)
{
    ikh_time_ms t = 0;
    if (u->cfg.tap != NULL && ikh_udp_now(&t) == IKH_OK)
        u->cfg.tap(u->cfg.tap_user, k, dg, t);
}

ikh_err ikh_udp_send(ikh_udp *u, const ikh_dgram *dg_in)
{
    if (u == NULL || dg_in == NULL ||
        dg_in->dst.family != u->cfg.local.family ||
        dg_in->data.len > IKH_UDP_DGRAM_MAX - UDP_MARKER_LEN ||
        (dg_in->data.p == NULL && dg_in->data.len > 0))
        return IKH_ERR_ARG_INVALID;
    ikh_dgram dg = *dg_in;
    size_t s;
    if (dg.sport == 0 || dg.sport == u->port[SOCK_IKE])
        s = SOCK_IKE;
    else if (dg.sport == u->port[SOCK_NATT])
        s = SOCK_NATT;
    else
        return IKH_ERR_ARG_INVALID;
    if (dg.esp && dg.dport == 0)
        return IKH_ERR_ARG_INVALID; /* ESP over IP needs raw sockets */
    dg.sport = u->port[s];
    dg.src = u->cfg.local;
    dg.non_esp_marker = !dg.esp && ikh_dgram_marker_rule(dg.sport, dg.dport,
                                                         u->port[SOCK_NATT]);
    size_t off = dg.non_esp_marker ? UDP_MARKER_LEN : 0;
    memset(u->txbuf, 0, off);
    if (dg.data.len > 0)
        memcpy(u->txbuf + off, dg.data.p, dg.data.len);
    udp_checksum_mode(u, s, dg.esp);
    struct sockaddr_storage ss;
    socklen_t sl = udp_sa(&dg.dst, dg.dport, &ss);
    ssize_t n = sendto(u->fd[s], u->txbuf, off + dg.data.len, 0,
                       (struct sockaddr *)&ss, sl);
    if (n < 0 || (size_t)n != off + dg.data.len)
        return IKH_ERR_ENV_SOCKET;
    u->stats.sent++;
    udp_tap(u, IKH_UDP_TAP_SENT, &dg);
    return IKH_OK;
}

int ikh_udp_send_hook(void *user, const ikh_dgram *dg)
{
    return ikh_udp_send(user, dg) == IKH_OK ? 0 : -1;
}

/* Milliseconds poll() should wait for deadline: -1 for ever. */
static ikh_err udp_timeout(ikh_time_ms deadline, int *ms)
{
    if (deadline == IKH_TIME_NEVER) {
        *ms = -1;
        return IKH_OK;
    }
    ikh_time_ms now;
    IKH_TRY(ikh_udp_now(&now));
    ikh_time_ms left = deadline > now ? deadline - now : 0;
    *ms = left > 600000u ? 600000 : (int)left;
    return IKH_OK;
}

/* Classify what came in on socket s (see udp.h); false: skip it. */
static bool udp_classify(ikh_udp *u, size_t s, uint8_t *buf, size_t n,
                         ikh_dgram *dg)
{
    dg->dport = u->port[s];
    dg->data = ikh_span_of(buf, n);
    if (!ikh_dgram_marker_rule(dg->sport, dg->dport, u->port[SOCK_NATT]))
        return true; /* plain IKE */
    if (n == 1 && buf[0] == 0xFF) {
        u->stats.keepalives++;
        return false;
    }
    if (n >= UDP_MARKER_LEN && buf[0] == 0 && buf[1] == 0 && buf[2] == 0 &&
        buf[3] == 0) {
        dg->non_esp_marker = true;
        dg->data = ikh_span_of(buf + UDP_MARKER_LEN, n - UDP_MARKER_LEN);
        return true;
    }
    dg->esp = true;
    return true;
}

/* Read one datagram from socket s; *got false when it was skipped. */
static ikh_err udp_read(ikh_udp *u, size_t s, uint8_t *buf, size_t cap,
                        ikh_dgram *out, bool *got)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    ssize_t n =
        recvfrom(u->fd[s], buf, cap, MSG_TRUNC, (struct sockaddr *)&ss, &sl);
    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? IKH_OK : IKH_ERR_ENV_SOCKET;
    memset(out, 0, sizeof *out);
    if ((size_t)n > cap || !udp_from_sa(&ss, &out->src, &out->sport)) {
        u->stats.dropped++;
        return IKH_OK;
    }
    out->dst = u->cfg.local;
    if (!udp_classify(u, s, buf, (size_t)n, out))
        return IKH_OK;
    u->stats.received++;
    *got = true;
    udp_tap(u, IKH_UDP_TAP_RECEIVED, out);
    return IKH_OK;
}

ikh_err ikh_udp_recv(ikh_udp *u, ikh_time_ms deadline, uint8_t *buf, size_t cap,
                     ikh_dgram *out, bool *got)
{
    if (u == NULL || buf == NULL || out == NULL || got == NULL)
        return IKH_ERR_ARG_INVALID;
    *got = false;
    for (;;) {
        int ms;
        IKH_TRY(udp_timeout(deadline, &ms));
        struct pollfd p[UDP_SOCKS];
        for (size_t i = 0; i < UDP_SOCKS; i++) {
            p[i].fd = u->fd[i];
            p[i].events = POLLIN;
            p[i].revents = 0;
        }
        int r = poll(p, UDP_SOCKS, ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return IKH_ERR_ENV_SOCKET;
        if (r == 0)
            return IKH_OK; /* deadline */
        for (size_t i = 0; i < UDP_SOCKS; i++) {
            if (!(p[i].revents & (POLLIN | POLLERR)))
                continue;
            IKH_TRY(udp_read(u, i, buf, cap, out, got));
            if (*got)
                return IKH_OK;
        }
    }
}

void ikh_udp_rand(void *user, uint8_t *out, size_t len)
{
    ikh_udp *u = user;
    if (u->cfg.seeded) {
        ikh_drbg_generate(&u->drbg, out, len);
        return;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = getrandom(out + done, len - done, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            memset(out + done, 0, len - done);
            u->rand_failures++;
            return;
        }
        done += (size_t)n;
    }
}

uint64_t ikh_udp_rand_failures(const ikh_udp *u)
{
    return u != NULL ? u->rand_failures : 0;
}

void ikh_udp_env(ikh_udp *u, ikh_env *env)
{
    if (env == NULL)
        return;
    memset(env, 0, sizeof *env);
    env->user = u;
    env->send = ikh_udp_send_hook;
    env->rand = ikh_udp_rand;
    env->metrics = u != NULL ? u->cfg.metrics : NULL;
}

void ikh_udp_stats_get(const ikh_udp *u, ikh_udp_stats *out)
{
    if (out == NULL)
        return;
    if (u == NULL)
        memset(out, 0, sizeof *out);
    else
        *out = u->stats;
}
