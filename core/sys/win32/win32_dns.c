/* The win32 backend's name lookup (issue 16): every address a name resolves to, IPv4 and IPv6,
 * through getaddrinfo (ws2_32 since XP and Server 2003). */
#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <string.h>

#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

/* getnameinfo is in ws2_32 from XP on too; inet_ntop is not (Vista). */
static void addr_text(const struct sockaddr *sa, size_t len, char *out, size_t outlen)
{
    out[0] = '\0';
    if (getnameinfo(sa, (socklen_t)len, out, (DWORD)outlen, NULL, 0, NI_NUMERICHOST) != 0)
        out[0] = '\0';
}

sp_status w32_dns_resolve(sp_sys *sys, const char *host, char (*addrs)[64], size_t cap, size_t *count)
{
    WSADATA wsa;
    struct addrinfo hints, *res = NULL;
    *count = 0;
    if (!host || !*host)
        return sp_sys_fail(sys, SP_ERR_INVALID, "dns_resolve: no name");
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "Winsock 2.2 could not be started.");
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc != 0 || !res) {
        WSACleanup();
        return w32_fail_as(sys, SP_ERR_NOTFOUND, (DWORD)rc, "The name %s could not be resolved", host);
    }
    for (struct addrinfo *a = res; a && *count < cap; a = a->ai_next) {
        char text[64];
        int dup = 0;
        addr_text(a->ai_addr, a->ai_addrlen, text, sizeof text);
        for (size_t i = 0; i < *count; i++)
            dup |= strcmp(addrs[i], text) == 0;
        if (text[0] && !dup)
            snprintf(addrs[(*count)++], 64, "%s", text);
    }
    freeaddrinfo(res);
    WSACleanup();
    return *count ? SP_OK : sp_sys_fail(sys, SP_ERR_NOTFOUND, "The name %s has no address", host);
}
