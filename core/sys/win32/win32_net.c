/* The win32 backend's UDP exchange (Winsock, IPv4): one datagram out, one reply back, timed. */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <string.h>

/* 100 ns ticks from 1601 to 1970. */
#define FILETIME_UNIX_EPOCH 116444736000000000LL

static int64_t wall_clock_us(void)
{
    FILETIME ft;
    ULARGE_INTEGER u;
    GetSystemTimeAsFileTime(&ft);
    u.LowPart = ft.dwLowDateTime;
    u.HighPart = ft.dwHighDateTime;
    return ((int64_t)u.QuadPart - FILETIME_UNIX_EPOCH) / 10;
}

/* Microseconds between two performance-counter readings; the wall clock ticks only every
 * 10-16 ms on 2003, too coarse for a round trip on a LAN. */
static int64_t elapsed_us(LARGE_INTEGER a, LARGE_INTEGER b, LARGE_INTEGER freq)
{
    int64_t ticks = b.QuadPart - a.QuadPart;
    if (freq.QuadPart <= 0)
        return 0;
    return ticks / freq.QuadPart * 1000000 + ticks % freq.QuadPart * 1000000 / freq.QuadPart;
}

/* "<doing> host:port: <Winsock's message>". */
static sp_status wsa_fail(sp_sys *sys, sp_status st, const char *doing, const char *host,
                          unsigned port)
{
    return w32_fail_as(sys, st, (DWORD)WSAGetLastError(), "%s %s:%u", doing, host, port);
}

/* Resolves host to an IPv4 address: a dotted address as is, a name through getaddrinfo
 * (in ws2_32 since XP and Server 2003; inet_pton is not, so inet_addr reads dotted ones). */
static sp_status resolve(sp_sys *sys, const char *host, unsigned port, struct sockaddr_in *out)
{
    struct addrinfo hints, *res = NULL;
    unsigned long a = inet_addr(host);
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    out->sin_port = htons((u_short)port);
    if (a != INADDR_NONE || strcmp(host, "255.255.255.255") == 0) {
        out->sin_addr.s_addr = a;
        return SP_OK;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_protocol = IPPROTO_UDP;
    int rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc != 0 || !res)
        return w32_fail_as(sys, SP_ERR_NOTFOUND, (DWORD)rc,
                           "The name %s could not be resolved to an IPv4 address", host);
    memcpy(&out->sin_addr, &((struct sockaddr_in *)res->ai_addr)->sin_addr, sizeof out->sin_addr);
    freeaddrinfo(res);
    return SP_OK;
}

sp_status w32_udp_exchange(sp_sys *sys, const char *host, unsigned port, const void *req,
                           size_t reqlen, unsigned timeout_ms, unsigned char *reply,
                           size_t replycap, size_t *replylen, int64_t *sent_us,
                           int64_t *received_us)
{
    WSADATA wsa;
    SOCKET s = INVALID_SOCKET;
    struct sockaddr_in to;
    LARGE_INTEGER freq, q0, q1;
    sp_status st = SP_OK;
    *replylen = 0;
    if (!host || !*host || !req || !reply || port == 0 || port > 65535 || reqlen > 65507)
        return sp_sys_fail(sys, SP_ERR_INVALID, "udp_exchange: bad arguments");
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "Winsock 2.2 could not be started.");
    st = resolve(sys, host, port, &to);
    if (st != SP_OK)
        goto done;
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (s == INVALID_SOCKET) {
        st = wsa_fail(sys, SP_ERR_IO, "Could not open a UDP socket for", host, port);
        goto done;
    }
    /* Connected: only the peer's datagrams are received, and a closed port is reported. */
    if (connect(s, (struct sockaddr *)&to, sizeof to) != 0) {
        st = wsa_fail(sys, SP_ERR_IO, "Could not reach", host, port);
        goto done;
    }
    QueryPerformanceFrequency(&freq);
    *sent_us = wall_clock_us();
    QueryPerformanceCounter(&q0);
    if (send(s, (const char *)req, (int)reqlen, 0) != (int)reqlen) {
        st = wsa_fail(sys, SP_ERR_IO, "Could not send to", host, port);
        goto done;
    }
    for (;;) {
        fd_set rd;
        struct timeval tv;
        LARGE_INTEGER now;
        QueryPerformanceCounter(&now);
        int64_t left = (int64_t)timeout_ms * 1000 - elapsed_us(q0, now, freq);
        if (left <= 0) {
            st = sp_sys_fail(sys, SP_ERR_TIMEOUT, "No reply from %s:%u within %u ms.", host,
                             port, timeout_ms);
            goto done;
        }
        FD_ZERO(&rd);
        FD_SET(s, &rd);
        tv.tv_sec = (long)(left / 1000000);
        tv.tv_usec = (long)(left % 1000000);
        int n = select(0, &rd, NULL, NULL, &tv);
        if (n == SOCKET_ERROR) {
            st = wsa_fail(sys, SP_ERR_IO, "Could not wait for a reply from", host, port);
            goto done;
        }
        if (n == 0)
            continue;
        int got = recv(s, (char *)reply, (int)replycap, 0);
        QueryPerformanceCounter(&q1);
        if (got == SOCKET_ERROR) {
            int err = WSAGetLastError();
            if (err == WSAEMSGSIZE) {
                got = (int)replycap; /* longer than asked for: the first replycap bytes */
            } else if (err == WSAECONNRESET) {
                st = w32_fail_as(sys, SP_ERR_IO, (DWORD)err,
                                 "%s:%u refused the request (nothing listens on that port)", host,
                                 port);
                goto done;
            } else {
                st = w32_fail_as(sys, SP_ERR_IO, (DWORD)err, "Could not receive from %s:%u",
                                 host, port);
                goto done;
            }
        }
        *replylen = (size_t)got;
        *received_us = *sent_us + elapsed_us(q0, q1, freq);
        break;
    }
done:
    if (s != INVALID_SOCKET)
        closesocket(s);
    WSACleanup();
    return st;
}
