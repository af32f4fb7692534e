/* The sim's HTTP: canned answers per URL from the profile's "http" object; other URLs do not resolve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/sys/sim/sim_internal.h"

static sp_status http_fail(char *err, size_t errlen, const char *fmt, const char *a)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, a);
    return SP_ERR_BADDATA;
}

/* Copies an optional string member; SP_ERR_BADDATA when it is there and not a string. */
static int http_str(const cJSON *obj, const char *key, char *out, size_t outlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 1;
    if (!cJSON_IsString(v))
        return 0;
    sim_copy_truncated(out, outlen, v->valuestring);
    return 1;
}

static int http_num(const cJSON *obj, const char *key, double lo, double hi, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 1;
    if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
        v->valuedouble != (double)(long long)v->valuedouble)
        return 0;
    *out = v->valuedouble;
    return 1;
}

static int http_bool(const cJSON *obj, const char *key, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return 1;
    if (!cJSON_IsBool(v))
        return 0;
    *out = cJSON_IsTrue(v);
    return 1;
}

static sp_status http_answer(const cJSON *spec, const char *url, sp_http_response *a, char *err,
                             size_t errlen)
{
    double status = 0, code = 0, expires = 0;
    const cJSON *cert;
    memset(a, 0, sizeof *a);
    a->cert_trusted = a->cert_chain_ok = a->cert_root_public = -1;
    if (!cJSON_IsObject(spec))
        return http_fail(err, errlen, "http.urls[\"%s\"] must be an object", url);
    if (!http_num(spec, "status", 0, 999, &status) || !http_num(spec, "curl_code", 0, 999, &code))
        return http_fail(err, errlen,
                         "http.urls[\"%s\"]: status and curl_code must be whole numbers 0-999", url);
    if (!http_str(spec, "auth", a->auth, sizeof a->auth) ||
        !http_str(spec, "error", a->curl_error, sizeof a->curl_error))
        return http_fail(err, errlen, "http.urls[\"%s\"]: auth and error must be strings", url);
    a->status = (long)status;
    a->curl_code = (int)code;
    if ((cert = cJSON_GetObjectItemCaseSensitive(spec, "cert"))) {
        int trusted = 0, chain = -1;
        if (!cJSON_IsObject(cert) || !http_str(cert, "subject", a->cert_subject, sizeof a->cert_subject) ||
            !http_str(cert, "issuer", a->cert_issuer, sizeof a->cert_issuer) ||
            !http_str(cert, "names", a->cert_names, sizeof a->cert_names) ||
            !http_num(cert, "expires", 0, 253402300799.0, &expires) ||
            !http_bool(cert, "trusted", &trusted) || !http_bool(cert, "chain_ok", &chain))
            return http_fail(err, errlen,
                             "http.urls[\"%s\"].cert: subject, issuer and names are strings, "
                             "expires Unix seconds, trusted and chain_ok true or false", url);
        /* The root as the win32 backend judges it: "root" its subject, "root_public" whether
         * it is in AuthRoot, "root_store" where it was found (issue 16). */
        int pub = -1;
        if (!http_str(cert, "root", a->cert_root, sizeof a->cert_root) ||
            !http_str(cert, "root_store", a->cert_root_store, sizeof a->cert_root_store) ||
            !http_bool(cert, "root_public", &pub))
            return http_fail(err, errlen,
                             "http.urls[\"%s\"].cert: root and root_store are strings, root_public "
                             "true or false", url);
        a->cert_root_public = pub;
        a->cert_san_read = cJSON_GetObjectItemCaseSensitive(cert, "names") != NULL;
        a->cert_known = 1;
        a->cert_expires = (int64_t)expires;
        a->cert_trusted = trusted;
        a->cert_chain_ok = chain < 0 ? trusted : chain;
    }
    return SP_OK;
}

sp_status sim_http_parse(const cJSON *obj, sim_profile *p, char *err, size_t errlen)
{
    const cJSON *urls, *proxy, *e;
    size_t n = 0;
    if (!cJSON_IsObject(obj))
        return http_fail(err, errlen, "%s", "http must be an object with \"urls\" and \"proxy\"");
    proxy = cJSON_GetObjectItemCaseSensitive(obj, "proxy");
    if (proxy && !cJSON_IsString(proxy))
        return http_fail(err, errlen, "%s", "http.proxy must be a string (\"\" for none)");
    if (!(p->http_proxy = sim_strdup(proxy ? proxy->valuestring : "")))
        return http_fail(err, errlen, "%s", "out of memory reading the profile");
    const cJSON *dns = cJSON_GetObjectItemCaseSensitive(obj, "dns");
    if (dns) {
        const cJSON *a;
        int ok = cJSON_IsObject(dns);
        cJSON_ArrayForEach(e, dns) {
            ok = ok && cJSON_IsArray(e);
            cJSON_ArrayForEach(a, e) ok = ok && cJSON_IsString(a) && strlen(a->valuestring) < 64;
        }
        if (!ok)
            return http_fail(err, errlen, "%s",
                             "http.dns must be an object of \"host\": [\"address\", ...] (addresses as text)");
        if (!(p->http_dns = cJSON_Duplicate(dns, 1)))
            return http_fail(err, errlen, "%s", "out of memory reading the profile");
    }
    urls = cJSON_GetObjectItemCaseSensitive(obj, "urls");
    if (!urls)
        return SP_OK;
    if (!cJSON_IsObject(urls))
        return http_fail(err, errlen, "%s", "http.urls must be an object keyed by URL");
    cJSON_ArrayForEach(e, urls) n++;
    if (n && !(p->http = calloc(n, sizeof *p->http)))
        return http_fail(err, errlen, "%s", "out of memory reading the profile");
    cJSON_ArrayForEach(e, urls)
    {
        sim_http_peer *peer = &p->http[p->http_count];
        if (!(peer->url = sim_strdup(e->string)))
            return http_fail(err, errlen, "%s", "out of memory reading the profile");
        p->http_count++;
        sp_status st = http_answer(e, e->string, &peer->answer, err, errlen);
        if (st != SP_OK)
            return st;
        snprintf(peer->answer.proxy, sizeof peer->answer.proxy, "%s", p->http_proxy);
    }
    return SP_OK;
}

void sim_http_free(sim_profile *p)
{
    for (size_t i = 0; i < p->http_count; i++)
        free(p->http[i].url);
    free(p->http);
    free(p->http_proxy);
    cJSON_Delete(p->http_dns);
    p->http_dns = NULL;
    p->http = NULL;
    p->http_count = 0;
    p->http_proxy = NULL;
}

/* The machine's profile: sys->impl starts with it (see sim.c). */
sp_status sim_http_get(sp_sys *sys, const sp_http_request *req, sp_http_response *out)
{
    const sim_profile *p = sys->impl;
    if (!req || !req->url || !*req->url || !out)
        return sp_sys_fail(sys, SP_ERR_INVALID, "http_get: missing URL");
    for (size_t i = 0; i < p->http_count; i++) {
        if (sim_ascii_casecmp(p->http[i].url, req->url) == 0) {
            *out = p->http[i].answer;
            return SP_OK;
        }
    }
    /* A name nobody answers for: what curl says when DNS does not know it. */
    const char *host = strstr(req->url, "://");
    host = host ? host + 3 : req->url;
    size_t hl = strcspn(host, "/:");
    memset(out, 0, sizeof *out);
    out->cert_trusted = out->cert_chain_ok = out->cert_root_public = -1;
    out->curl_code = 6;
    snprintf(out->curl_error, sizeof out->curl_error, "Could not resolve host: %.*s", (int)hl, host);
    snprintf(out->proxy, sizeof out->proxy, "%s", p->http_proxy ? p->http_proxy : "");
    return SP_OK;
}

sp_status sim_dns_resolve(sp_sys *sys, const char *host, char (*addrs)[64], size_t cap, size_t *count)
{
    const sim_profile *p = sys->impl;
    const cJSON *e, *a;
    *count = 0;
    if (!host || !*host)
        return sp_sys_fail(sys, SP_ERR_INVALID, "dns_resolve: no name");
    cJSON_ArrayForEach(e, p->http_dns) if (sim_ascii_casecmp(e->string, host) == 0) {
        cJSON_ArrayForEach(a, e) if (*count < cap) sim_copy_truncated(addrs[(*count)++], 64, a->valuestring);
        if (*count)
            return SP_OK;
    }
    return sp_sys_fail(sys, SP_ERR_NOTFOUND, "The name %s does not resolve (no DNS record).", host);
}
