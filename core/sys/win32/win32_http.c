/* HTTPS GET with libcurl: portable C without <windows.h>, so the same code runs in the exe
 * (Schannel) and natively against Debian's libcurl (OpenSSL) in the tests. */
#include "core/sys/win32/win32_http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

int sp_curl_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static void copy_cut(char *dst, size_t dstlen, const char *src, size_t n)
{
    if (n >= dstlen)
        n = dstlen - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int starts_nocase(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (len < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)prefix[i]))
            return 0;
    return 1;
}

/* Keeps the WWW-Authenticate headers of the last response (a new status line starts over). */
static size_t on_header(char *buf, size_t size, size_t n, void *user)
{
    sp_http_response *out = user;
    size_t len = size * n;
    if (starts_nocase(buf, len, "HTTP/")) {
        out->auth[0] = '\0';
    } else if (starts_nocase(buf, len, "WWW-Authenticate:")) {
        const char *v = buf + 17;
        size_t vl = len - 17;
        while (vl && (*v == ' ' || *v == '\t'))
            v++, vl--;
        while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
            vl--;
        size_t have = strlen(out->auth);
        if (have && have + 2 < sizeof out->auth) {
            memcpy(out->auth + have, "; ", 3);
            have += 2;
        }
        if (have + 1 < sizeof out->auth)
            copy_cut(out->auth + have, sizeof out->auth - have, v, vl);
    }
    return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *user)
{
    (void)buf, (void)user;
    return size * n; /* the body says nothing the status and headers do not */
}

static int on_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    volatile long *cancel = user;
    (void)dt, (void)dn, (void)ut, (void)un;
    return cancel && *cancel ? 1 : 0;
}

static int days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int)doe - 719468;
}

int64_t sp_curl_cert_time(const char *s)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    char mon[4] = "";
    if (!s)
        return 0;
    while (*s == ' ')
        s++;
    if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) == 6) {
        /* curl's ASN.1 decoder */
    } else if (sscanf(s, "%3s %d %d:%d:%d %d", mon, &d, &h, &mi, &se, &y) == 6) {
        const char *at = strlen(mon) == 3 ? strstr(months, mon) : NULL;
        if (!at || (at - months) % 3)
            return 0;
        mo = (int)((at - months) / 3) + 1;
    } else {
        return 0;
    }
    if (y < 1950 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || se < 0 || se > 60)
        return 0;
    return (int64_t)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
}

/* Appends every certificate's "Cert:" PEM (leaf first) to pem, when there is room for all. */
static void read_chain_pem(const struct curl_certinfo *ci, char *pem, size_t pemlen)
{
    size_t n = 0;
    if (!pem || !pemlen)
        return;
    pem[0] = '\0';
    for (int i = 0; i < ci->num_of_certs; i++)
        for (struct curl_slist *l = ci->certinfo[i]; l; l = l->next)
            if (starts_nocase(l->data, strlen(l->data), "Cert:")) {
                size_t len = strlen(l->data + 5);
                if (n + len + 2 > pemlen) {
                    pem[0] = '\0'; /* a chain cut short would be judged wrongly */
                    return;
                }
                memcpy(pem + n, l->data + 5, len);
                n += len;
                pem[n++] = '\n';
                pem[n] = '\0';
            }
}

/* The leaf certificate's facts from CURLINFO_CERTINFO ("Label:value" lines). */
static void read_certinfo(CURL *curl, sp_http_response *out, char *pem, size_t pemlen)
{
    struct curl_certinfo *ci = NULL;
    if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
        return;
    read_chain_pem(ci, pem, pemlen);
    for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next) {
        const char *line = l->data, *colon = strchr(line, ':');
        if (!colon)
            continue;
        size_t ll = (size_t)(colon - line);
        const char *v = colon + 1;
        if (ll == 7 && starts_nocase(line, ll, "Subject")) {
            copy_cut(out->cert_subject, sizeof out->cert_subject, v, strlen(v));
            out->cert_known = 1;
        } else if (ll == 6 && starts_nocase(line, ll, "Issuer")) {
            copy_cut(out->cert_issuer, sizeof out->cert_issuer, v, strlen(v));
        } else if (ll == 11 && starts_nocase(line, ll, "Expire date")) {
            out->cert_expires = sp_curl_cert_time(v);
        } else if (strstr(line, "Subject Alternative Name") && ll < 40) {
            while (*v == ' ')
                v++;
            copy_cut(out->cert_names, sizeof out->cert_names, v, strlen(v));
        }
        /* OpenSSL lists every extension ("X509v3 ..."): no SAN line then means none. curl's own
         * decoder (Schannel) lists none, so the backend reads the SAN itself. */
        if (starts_nocase(line, ll, "X509v3 "))
            out->cert_san_read = 1;
    }
}

/* One request; returns curl's code and fills what the answer says. */
static CURLcode perform(const sp_http_request *req, const char *proxy, const char *noproxy,
                        int verify_peer, int verify_host, sp_http_response *out, char *err,
                        char *pem, size_t pemlen)
{
    CURL *curl = curl_easy_init();
    CURLcode rc;
    if (!curl)
        return CURLE_FAILED_INIT;
    err[0] = '\0';
    out->auth[0] = '\0';
    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(req->timeout_ms ? req->timeout_ms : 15000));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(req->timeout_ms ? req->timeout_ms : 15000));
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "SourcePrep");
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)req->cancel);
    curl_easy_setopt(curl, CURLOPT_CERTINFO, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, (long)verify_peer);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, verify_host ? 2L : 0L);
    /* Schannel checks revocation by default and fails when no CRL is reachable: that says
     * nothing about whether Office 365 will trust the certificate. */
    curl_easy_setopt(curl, CURLOPT_SSL_OPTIONS, (long)CURLSSLOPT_REVOKE_BEST_EFFORT);
    if (req->ca_file)
        curl_easy_setopt(curl, CURLOPT_CAINFO, req->ca_file);
    if (proxy)
        curl_easy_setopt(curl, CURLOPT_PROXY, proxy);
    if (noproxy)
        curl_easy_setopt(curl, CURLOPT_NOPROXY, noproxy);
    rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    if (!out->cert_known)
        read_certinfo(curl, out, pem, pemlen);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK && !err[0])
        snprintf(err, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
    return rc;
}

/* The codes with which a TLS handshake ends when the certificate is refused. */
static int tls_refusal(CURLcode rc)
{
    return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
           rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_CACERT_BADFILE ||
           rc == CURLE_SSL_ISSUER_ERROR;
}

sp_status sp_curl_http_get(const sp_http_request *req, const char *proxy, const char *noproxy,
                           sp_http_response *out, char *why, size_t whylen)
{
    return sp_curl_http_get_chain(req, proxy, noproxy, out, NULL, 0, why, whylen);
}

sp_status sp_curl_http_get_chain(const sp_http_request *req, const char *proxy, const char *noproxy,
                                 sp_http_response *out, char *pem, size_t pemlen, char *why,
                                 size_t whylen)
{
    char err[CURL_ERROR_SIZE + 1], err2[CURL_ERROR_SIZE + 1];
    sp_http_response probe;
    CURLcode rc;
    if (why && whylen)
        why[0] = '\0';
    if (!out || !req || !req->url || !*req->url) {
        if (why && whylen)
            snprintf(why, whylen, "http_get: missing URL");
        return SP_ERR_INVALID;
    }
    memset(out, 0, sizeof *out);
    out->cert_trusted = out->cert_chain_ok = out->cert_root_public = -1;
    if (pem && pemlen)
        pem[0] = '\0';
    if (proxy && *proxy)
        copy_cut(out->proxy, sizeof out->proxy, proxy, strlen(proxy));
    rc = perform(req, proxy, noproxy, 1, 1, out, err, pem, pemlen);
    if (rc == CURLE_FAILED_INIT) {
        if (why && whylen)
            snprintf(why, whylen, "libcurl could not start a transfer (out of memory?)");
        return SP_ERR_NOMEM;
    }
    out->curl_code = (int)rc;
    copy_cut(out->curl_error, sizeof out->curl_error, rc ? err : "", rc ? strlen(err) : 0);
    int https = starts_nocase(req->url, strlen(req->url), "https:");
    if (rc == CURLE_OK || (https && !tls_refusal(rc) && out->cert_known)) {
        /* The handshake passed verification of the chain and the name. */
        if (https)
            out->cert_trusted = out->cert_chain_ok = 1;
        return SP_OK;
    }
    if (!https || !tls_refusal(rc) || (req->cancel && *req->cancel))
        return SP_OK;
    /* Refused: ask again without verification to learn what the server offers, then with
     * the chain verified but not the name, to tell an untrusted root from a wrong name. */
    memset(&probe, 0, sizeof probe);
    if (perform(req, proxy, noproxy, 0, 0, &probe, err2, pem, pemlen) != CURLE_OK && !probe.cert_known &&
        probe.status == 0)
        return SP_OK; /* the TLS connection itself fails: curl's first message says why */
    out->status = probe.status;
    memcpy(out->auth, probe.auth, sizeof out->auth);
    out->cert_known = probe.cert_known;
    memcpy(out->cert_subject, probe.cert_subject, sizeof out->cert_subject);
    memcpy(out->cert_issuer, probe.cert_issuer, sizeof out->cert_issuer);
    memcpy(out->cert_names, probe.cert_names, sizeof out->cert_names);
    out->cert_san_read = probe.cert_san_read;
    out->cert_expires = probe.cert_expires;
    out->cert_trusted = 0;
    memset(&probe, 0, sizeof probe);
    rc = perform(req, proxy, noproxy, 1, 0, &probe, err2, NULL, 0);
    out->cert_chain_ok = tls_refusal(rc) ? 0 : 1;
    return SP_OK;
}
