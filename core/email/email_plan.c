/* The email plan in the state (target, reason, external name, confirmations) and the verdict on
 * an HTTPS answer: pure functions the step, the page and the tests share. */
#include "core/email/email.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/msgids.h"
#include "core/base/strutil.h"

static const char *const target_ids[SP_EMAIL_TARGET_COUNT] = {"", "o365", "onprem", "hosted", "none"};
static const unsigned target_texts[SP_EMAIL_TARGET_COUNT] = {
    IDS_EMAIL_TARGET_CHOOSE, IDS_EMAIL_TARGET_O365, IDS_EMAIL_TARGET_ONPREM,
    IDS_EMAIL_TARGET_HOSTED, IDS_EMAIL_TARGET_NONE};

static const sp_email_confirm_item confirm_o365[] = {
    {"o365.accepted_domain", IDS_EMAIL_CONFIRM_O365_DOMAIN},
    {"o365.admin_rights", IDS_EMAIL_CONFIRM_O365_RIGHTS},
    {"o365.under_2000", IDS_EMAIL_CONFIRM_O365_COUNT},
};
static const sp_email_confirm_item confirm_onprem[] = {
    {"onprem.install_after", IDS_EMAIL_CONFIRM_ONPREM_AFTER},
    {"onprem.migrate_before", IDS_EMAIL_CONFIRM_ONPREM_BEFORE},
};
static const sp_email_confirm_item confirm_hosted[] = {
    {"hosted.plan", IDS_EMAIL_CONFIRM_HOSTED_PLAN},
    {"hosted.mx", IDS_EMAIL_CONFIRM_HOSTED_MX},
};
static const sp_email_confirm_item confirm_none[] = {
    {"none.unused", IDS_EMAIL_CONFIRM_NONE_UNUSED},
};

const char *sp_email_target_id(sp_email_target t)
{
    return (unsigned)t < SP_EMAIL_TARGET_COUNT ? target_ids[t] : "";
}

sp_email_target sp_email_target_from_id(const char *id)
{
    for (int t = 1; id && t < SP_EMAIL_TARGET_COUNT; t++)
        if (strcmp(id, target_ids[t]) == 0)
            return (sp_email_target)t;
    return SP_EMAIL_TARGET_UNSET;
}

unsigned sp_email_target_text_id(sp_email_target t)
{
    return (unsigned)t < SP_EMAIL_TARGET_COUNT ? target_texts[t] : IDS_EMAIL_TARGET_CHOOSE;
}

size_t sp_email_confirm_items(sp_email_target t, const sp_email_confirm_item **items)
{
    switch (t) {
    case SP_EMAIL_TARGET_O365: *items = confirm_o365; return sizeof confirm_o365 / sizeof *confirm_o365;
    case SP_EMAIL_TARGET_ONPREM: *items = confirm_onprem; return sizeof confirm_onprem / sizeof *confirm_onprem;
    case SP_EMAIL_TARGET_HOSTED: *items = confirm_hosted; return sizeof confirm_hosted / sizeof *confirm_hosted;
    case SP_EMAIL_TARGET_NONE: *items = confirm_none; return 1;
    default: *items = NULL; return 0;
    }
}

static const cJSON *plan_const(const sp_state *st)
{
    const sp_step_state *s = st ? sp_state_step_const(st, "email") : NULL;
    return s ? s->data : NULL;
}

/* The step's data object, made when missing; NULL when out of memory. */
static cJSON *plan(sp_state *st)
{
    sp_step_state *s = st ? sp_state_step(st, "email") : NULL;
    if (!s)
        return NULL;
    if (!cJSON_IsObject(s->data)) {
        cJSON_Delete(s->data);
        s->data = cJSON_CreateObject();
    }
    return s->data;
}

static const char *plan_string(const sp_state *st, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(plan_const(st), key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

static sp_status plan_put_string(cJSON *o, const char *key, const char *value)
{
    cJSON *v = cJSON_CreateString(value ? value : "");
    if (!v)
        return SP_ERR_NOMEM;
    if (cJSON_GetObjectItemCaseSensitive(o, key))
        cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
    else
        cJSON_AddItemToObject(o, key, v);
    return SP_OK;
}

/* What was verified for the old plan no longer holds for the new one. */
static void plan_invalidate(sp_state *st)
{
    sp_step_state *s = sp_state_step(st, "email");
    if (s && (s->result == SP_RESULT_PASSED || s->result == SP_RESULT_FAILED ||
              s->result == SP_RESULT_MANUAL_NEEDED)) {
        s->result = SP_RESULT_NOT_RUN;
        s->checked_at = 0;
    }
}

sp_email_target sp_email_target_get(const sp_state *st)
{
    return sp_email_target_from_id(plan_string(st, "target"));
}

const char *sp_email_reason_get(const sp_state *st)
{
    return plan_string(st, "reason");
}

const char *sp_email_fqdn_get(const sp_state *st)
{
    return plan_string(st, "fqdn");
}

int sp_email_confirmed(const sp_state *st, const char *code)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(plan_const(st), "confirmed");
    return code && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, code));
}

sp_status sp_email_plan_set(sp_state *st, sp_email_target t, const char *reason)
{
    cJSON *o = plan(st);
    if (!o)
        return st ? SP_ERR_NOMEM : SP_ERR_INVALID;
    /* A mark by hand was a statement about this plan: another target or reason voids it. */
    int changed = sp_email_target_get(st) != t || strcmp(sp_email_reason_get(st), reason ? reason : "") != 0;
    if (plan_put_string(o, "target", sp_email_target_id(t)) != SP_OK ||
        plan_put_string(o, "reason", reason) != SP_OK)
        return SP_ERR_NOMEM;
    plan_invalidate(st);
    if (changed)
        sp_state_clear_manual(st, "email");
    return SP_OK;
}

sp_status sp_email_fqdn_set(sp_state *st, const char *fqdn)
{
    cJSON *o = plan(st);
    if (!o)
        return st ? SP_ERR_NOMEM : SP_ERR_INVALID;
    if (plan_put_string(o, "fqdn", fqdn) != SP_OK)
        return SP_ERR_NOMEM;
    plan_invalidate(st);
    return SP_OK;
}

sp_status sp_email_confirm_set(sp_state *st, const char *code, int on)
{
    cJSON *o = plan(st), *c;
    if (!o || !code)
        return (st && code) ? SP_ERR_NOMEM : SP_ERR_INVALID;
    c = cJSON_GetObjectItemCaseSensitive(o, "confirmed");
    if (!cJSON_IsObject(c)) {
        cJSON_DeleteItemFromObjectCaseSensitive(o, "confirmed");
        if (!(c = cJSON_AddObjectToObject(o, "confirmed")))
            return SP_ERR_NOMEM;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(c, code);
    if (!cJSON_AddBoolToObject(c, code, on ? 1 : 0))
        return SP_ERR_NOMEM;
    plan_invalidate(st);
    return SP_OK;
}

/* ---- The verdict on an HTTPS answer ------------------------------------------------- */

static int has_scheme(const char *auth, const char *scheme)
{
    size_t n = strlen(scheme);
    for (const char *p = auth; *p; p++) {
        int at_start = p == auth || p[-1] == ' ' || p[-1] == ';' || p[-1] == ',';
        if (at_start) {
            size_t i = 0;
            while (i < n && p[i] && (p[i] | 32) == (scheme[i] | 32))
                i++;
            if (i == n && (p[n] == '\0' || p[n] == ' ' || p[n] == ';' || p[n] == ','))
                return 1;
        }
    }
    return 0;
}

static void format_date(int64_t t, char *out, size_t n)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    /* civil_from_days (Howard Hinnant) */
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, n, "%04lld-%02u-%02u", (long long)(y + (m <= 2)), m % 13, d % 32);
}

int sp_email_san_names(const char *names, const char *host)
{
    size_t hl = host ? strlen(host) : 0;
    const char *p = names;
    while (hl && host[hl - 1] == '.')
        hl--;
    if (!names || !hl)
        return 0;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        const char *name = p;
        p += n;
        while (n && name[n - 1] == ' ')
            n--;
        if (n < 5 || sp_strnicmp(name, "DNS:", 4) != 0)
            continue;
        name += 4, n -= 4;
        if (n == hl && sp_strnicmp(name, host, n) == 0)
            return 1;
        /* "*.contoso.com" names "remote.contoso.com", not "contoso.com" nor "a.b.contoso.com". */
        const char *dot = memchr(host, '.', hl);
        if (n > 2 && name[0] == '*' && name[1] == '.' && dot && dot > host &&
            (size_t)(host + hl - dot) == n - 1 && sp_strnicmp(name + 1, dot, n - 1) == 0)
            return 1;
    }
    return 0;
}

sp_conn_verdict sp_email_conn_verdict(const sp_http_response *r, const char *host, int64_t now,
                                      char *ev, size_t evlen)
{
    sp_conn_verdict v;
    char cert[1200] = "", when[40] = "", root[500] = "";
    int self_signed = r->cert_known && r->cert_subject[0] &&
                      strcmp(r->cert_subject, r->cert_issuer) == 0;
    int expired = r->cert_known && r->cert_expires && r->cert_expires < now;
    if (r->cert_known) {
        if (r->cert_expires)
            format_date(r->cert_expires, when, sizeof when);
        snprintf(cert, sizeof cert, "; certificate: %s, issued by %s%s%s, expires %s",
                 r->cert_subject, self_signed ? "itself" : r->cert_issuer,
                 r->cert_names[0] ? ", names " : "", r->cert_names, when[0] ? when : "(unknown)");
    }
    if (self_signed) {
        /* Office 365 refuses a self-signed certificate even where this server trusts it (SBS
         * puts its self-issued certificate in its own root store). */
        v = expired ? SP_CONN_EXPIRED : SP_CONN_SELF_SIGNED;
    } else if (r->cert_trusted == 0) {
        /* The handshake refused the certificate: say which of its faults Office 365 sees. */
        v = expired ? SP_CONN_EXPIRED
            : r->cert_chain_ok == 1 ? SP_CONN_NAME
            : SP_CONN_UNTRUSTED;
    } else if (expired) {
        v = SP_CONN_EXPIRED;
    } else if (r->cert_known && r->cert_san_read && host && host[0] && !sp_email_san_names(r->cert_names, host)) {
        /* Outlook and Office 365 read the subject alternative names, not the common name. */
        v = SP_CONN_NOT_IN_SAN;
    } else if (r->cert_known && r->cert_trusted == 1 && r->cert_root_public == 0) {
        /* This server trusts the root (its own domain CA, a root added to its stores); a machine
         * on the Internet, Office 365's included, does not. */
        v = SP_CONN_PRIVATE_ROOT;
    } else {
        switch (r->curl_code) {
        case 0:
            if (r->status == 401)
                v = (has_scheme(r->auth, "Basic") || has_scheme(r->auth, "NTLM")) ? SP_CONN_OK
                                                                                   : SP_CONN_BAD_AUTH;
            else if (r->status >= 200 && r->status < 300)
                v = SP_CONN_NO_AUTH;
            else
                v = SP_CONN_STATUS;
            break;
        case 6: v = SP_CONN_DNS; break;
        case 5: case 97: v = SP_CONN_PROXY; break;
        case 28: v = SP_CONN_TIMEOUT; break;
        case 7: v = SP_CONN_REFUSED; break;
        case 52: case 56: v = SP_CONN_CLOSED; break;
        case 35: case 51: case 53: case 54: case 58: case 59: case 60: case 64: case 66: case 77:
        case 80: case 83: case 90: case 91: v = SP_CONN_TLS; break;
        default: v = SP_CONN_OTHER; break;
        }
        /* Passed here, but nothing said whether the root is a public one: never "trusted". */
        if (v == SP_CONN_OK && r->cert_known && r->cert_root_public < 0)
            v = SP_CONN_ROOT_UNKNOWN;
    }
    if (r->cert_known && r->cert_root[0])
        snprintf(root, sizeof root, "; root: %s, %s%s%s", r->cert_root,
                 r->cert_root_public == 1 ? "a public root" : r->cert_root_public == 0 ? "not a public root" : "public or not unknown",
                 r->cert_root_store[0] ? ", " : "", r->cert_root_store);
    else if (r->cert_known && r->cert_trusted == 1)
        snprintf(root, sizeof root, "; root: not read (whether it is a public root is unknown)");
    if (ev && evlen) {
        char head[800];
        if (r->curl_code)
            snprintf(head, sizeof head, "curl error %d: %s", r->curl_code, r->curl_error);
        else
            snprintf(head, sizeof head, "HTTP %ld%s%s", r->status, r->auth[0] ? ", challenge: " : ", no challenge",
                     r->auth);
        if (r->curl_code && r->status)
            snprintf(head + strlen(head), sizeof head - strlen(head),
                     "; without verification: HTTP %ld%s%s", r->status,
                     r->auth[0] ? ", challenge: " : "", r->auth);
        snprintf(ev, evlen, "%s%s%s%s%s%s", head, cert, root,
                 r->cert_known && r->cert_san_read && !r->cert_names[0] ? "; no subject alternative names" : "",
                 r->proxy[0] ? "; proxy " : "", r->proxy);
    }
    return v;
}

void sp_email_conn_text(sp_conn_verdict v, unsigned *title, unsigned *advice)
{
    static const unsigned t[][2] = {
        [SP_CONN_OK] = {IDS_F_EMAIL_CONN_OK, 0},
        [SP_CONN_DNS] = {IDS_F_EMAIL_CONN_DNS, IDS_F_EMAIL_CONN_DNS_ADVICE},
        [SP_CONN_TIMEOUT] = {IDS_F_EMAIL_CONN_TIMEOUT, IDS_F_EMAIL_CONN_NET_ADVICE},
        [SP_CONN_REFUSED] = {IDS_F_EMAIL_CONN_REFUSED, IDS_F_EMAIL_CONN_NET_ADVICE},
        [SP_CONN_PROXY] = {IDS_F_EMAIL_CONN_PROXY, IDS_F_EMAIL_CONN_PROXY_ADVICE},
        [SP_CONN_TLS] = {IDS_F_EMAIL_CONN_TLS, IDS_F_EMAIL_CONN_TLS_ADVICE},
        [SP_CONN_SELF_SIGNED] = {IDS_F_EMAIL_CONN_SELF_SIGNED, IDS_F_EMAIL_CONN_CERT_ADVICE},
        [SP_CONN_UNTRUSTED] = {IDS_F_EMAIL_CONN_UNTRUSTED, IDS_F_EMAIL_CONN_CERT_ADVICE},
        [SP_CONN_EXPIRED] = {IDS_F_EMAIL_CONN_EXPIRED, IDS_F_EMAIL_CONN_CERT_ADVICE},
        [SP_CONN_NAME] = {IDS_F_EMAIL_CONN_NAME, IDS_F_EMAIL_CONN_CERT_ADVICE},
        [SP_CONN_NO_AUTH] = {IDS_F_EMAIL_CONN_NO_AUTH, IDS_F_EMAIL_CONN_AUTH_ADVICE},
        [SP_CONN_BAD_AUTH] = {IDS_F_EMAIL_CONN_BAD_AUTH, IDS_F_EMAIL_CONN_AUTH_ADVICE},
        [SP_CONN_STATUS] = {IDS_F_EMAIL_CONN_STATUS, IDS_F_EMAIL_CONN_STATUS_ADVICE},
        [SP_CONN_CLOSED] = {IDS_F_EMAIL_CONN_CLOSED, IDS_F_EMAIL_CONN_NET_ADVICE},
        [SP_CONN_OTHER] = {IDS_F_EMAIL_CONN_OTHER, IDS_F_EMAIL_CONN_NET_ADVICE},
        [SP_CONN_PRIVATE_ROOT] = {IDS_F_EMAIL_CONN_PRIVATE_ROOT, IDS_F_EMAIL_CONN_PRIVATE_ROOT_ADVICE},
        [SP_CONN_ROOT_UNKNOWN] = {IDS_F_EMAIL_CONN_ROOT_UNKNOWN, IDS_F_EMAIL_CONN_ROOT_UNKNOWN_ADVICE},
        [SP_CONN_NOT_IN_SAN] = {IDS_F_EMAIL_CONN_NOT_IN_SAN, IDS_F_EMAIL_CONN_CERT_ADVICE},
    };
    unsigned i = (unsigned)v < SP_CONN_COUNT ? (unsigned)v : SP_CONN_OTHER;
    *title = t[i][0];
    *advice = t[i][1];
}

/* 10/8, 172.16/12, 192.168/16, 127/8, 169.254/16, 100.64/10; ::1, fc00::/7, fe80::/10 and the
 * IPv4-mapped forms of the IPv4 ones. */
int sp_email_addr_inside(const char *a)
{
    unsigned b[4];
    char tail;
    if (!a)
        return 0;
    if (sp_strnicmp(a, "::ffff:", 7) == 0)
        a += 7;
    if (sscanf(a, "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3], &tail) == 4) {
        if (b[0] > 255 || b[1] > 255 || b[2] > 255 || b[3] > 255)
            return 0;
        return b[0] == 10 || b[0] == 127 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
               (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) ||
               (b[0] == 100 && (b[1] & 0xc0) == 64);
    }
    if (!strchr(a, ':'))
        return 0;
    if (strcmp(a, "::1") == 0)
        return 1;
    unsigned first = 0;
    if (sscanf(a, "%x", &first) != 1 || first > 0xffff || a[strspn(a, "0123456789abcdefABCDEF")] != ':')
        return 0;
    return (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80;
}
