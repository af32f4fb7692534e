/* The win32 backend's http_get: the Internet Explorer (WinINet) proxy settings, then libcurl. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sys/win32/win32_http.h"
#include "core/sys/win32/win32_util.h"
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

/* WINHTTP_CURRENT_USER_IE_PROXY_CONFIG, declared here: winhttp.dll is looked up at run time
 * (Server 2003 SP1 ships it, older systems may not), so the exe never imports it. */
typedef struct {
    BOOL auto_detect;
    LPWSTR auto_config_url;
    LPWSTR proxy;
    LPWSTR bypass;
} ie_proxy_config;
typedef BOOL(WINAPI *get_ie_proxy_fn)(ie_proxy_config *);

static void to_utf8(const wchar_t *w, char *out, size_t outlen)
{
    out[0] = '\0';
    if (w && !WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)outlen, NULL, NULL))
        out[0] = '\0';
}

/* The user's IE settings: from WinHTTP when it is there, else from the registry it reads. */
static void ie_proxy(char *proxy, size_t plen, char *bypass, size_t blen)
{
    HMODULE winhttp = w32_load_system_dll(L"winhttp.dll");
    get_ie_proxy_fn get = winhttp ? (get_ie_proxy_fn)(void (*)(void))GetProcAddress(
                                        winhttp, "WinHttpGetIEProxyConfigForCurrentUser")
                                  : NULL;
    ie_proxy_config cfg;
    proxy[0] = bypass[0] = '\0';
    memset(&cfg, 0, sizeof cfg);
    if (get && get(&cfg)) {
        to_utf8(cfg.proxy, proxy, plen);
        to_utf8(cfg.bypass, bypass, blen);
        if (cfg.auto_config_url)
            GlobalFree(cfg.auto_config_url);
        if (cfg.proxy)
            GlobalFree(cfg.proxy);
        if (cfg.bypass)
            GlobalFree(cfg.bypass);
    }
    /* Without WinHTTP, or when it reports none (Wine reads only the binary connection settings),
     * the values Internet Options writes beside them. */
    if (!proxy[0]) {
        HKEY k;
        if (RegOpenKeyExW(HKEY_CURRENT_USER,
                          L"Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings", 0,
                          KEY_READ, &k) == ERROR_SUCCESS) {
            DWORD enabled = 0, size = sizeof enabled;
            wchar_t buf[512];
            if (RegQueryValueExW(k, L"ProxyEnable", NULL, NULL, (BYTE *)&enabled, &size) ==
                    ERROR_SUCCESS && enabled) {
                size = sizeof buf - sizeof(wchar_t);
                memset(buf, 0, sizeof buf);
                if (RegQueryValueExW(k, L"ProxyServer", NULL, NULL, (BYTE *)buf, &size) == ERROR_SUCCESS)
                    to_utf8(buf, proxy, plen);
                size = sizeof buf - sizeof(wchar_t);
                memset(buf, 0, sizeof buf);
                if (RegQueryValueExW(k, L"ProxyOverride", NULL, NULL, (BYTE *)buf, &size) == ERROR_SUCCESS)
                    to_utf8(buf, bypass, blen);
            }
            RegCloseKey(k);
        }
    }
    if (winhttp)
        FreeLibrary(winhttp);
}

/* "http=a:80;https=b:8080" or "a:80": the proxy for https. */
static void pick_https_proxy(char *proxy)
{
    char *p = proxy, *best = NULL;
    if (!strchr(proxy, '='))
        return;
    while (p && *p) {
        char *end = strchr(p, ';');
        if (end)
            *end = '\0';
        if (_strnicmp(p, "https=", 6) == 0)
            best = p + 6;
        else if (!best && _strnicmp(p, "http=", 5) == 0)
            best = p + 5;
        p = end ? end + 1 : NULL;
    }
    if (best)
        memmove(proxy, best, strlen(best) + 1);
    else
        proxy[0] = '\0';
}

/* "*.contoso.com;<local>;10.*" to curl's "contoso.com,..." ("<local>" and patterns curl
 * cannot express are left out). */
static void bypass_to_noproxy(const char *in, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = '\0';
    while (*in) {
        const char *end = in + strcspn(in, ";, ");
        size_t len = (size_t)(end - in);
        const char *s = in;
        if (len > 2 && s[0] == '*' && s[1] == '.')
            s += 2, len -= 2;
        if (len && !memchr(s, '*', len) && !memchr(s, '<', len) && n + len + 2 < outlen) {
            if (n)
                out[n++] = ',';
            memcpy(out + n, s, len);
            n += len;
            out[n] = '\0';
        }
        in = *end ? end + 1 : end;
    }
}

/* curl_global_init once per process, before any request, whichever worker comes first: the
 * first takes the guard and initialises, the others wait until it is done (issue 18). Not at
 * start-up: it loads Winsock and Schannel, which most runs never need. */
static int curl_ready(void)
{
    static volatile LONG state; /* 0 not yet, 1 initialising, 2 ready, 3 failed */
    if (InterlockedCompareExchange(&state, 1, 0) == 0)
        InterlockedExchange(&state, sp_curl_global_init() ? 2 : 3);
    while (state == 1)
        Sleep(1);
    return state == 2;
}

sp_status w32_http_get(sp_sys *sys, const sp_http_request *req, sp_http_response *out)
{
    char proxy[256], bypass[512], noproxy[512], why[200];
    if (!curl_ready())
        return sp_sys_fail(sys, SP_ERR_NOMEM, "libcurl could not start (curl_global_init failed).");
    const size_t pemlen = 32768;
    char *pem = malloc(pemlen);
    if (!pem)
        return w32_nomem(sys, "http_get");
    ie_proxy(proxy, sizeof proxy, bypass, sizeof bypass);
    pick_https_proxy(proxy);
    bypass_to_noproxy(bypass, noproxy, sizeof noproxy);
    sp_status st = sp_curl_http_get_chain(req, proxy[0] ? proxy : NULL, noproxy[0] ? noproxy : NULL,
                                          out, pem, pemlen, why, sizeof why);
    if (st == SP_OK && out->cert_known)
        w32_cert_judge_root(pem, out);
    free(pem);
    if (st != SP_OK)
        return sp_sys_fail(sys, st, "%s", why);
    return SP_OK;
}
