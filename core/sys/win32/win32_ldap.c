/* The win32 backend's LDAP client: wldap32 (present since Windows 2000), values as UTF-8. */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <winldap.h>
#include <winber.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LDAP_WAIT_SECONDS 15
#define LDAP_MAX_ATTRS 16

struct sp_ldap_conn {
    LDAP *ld;
    char where[300];
};

static sp_status ldap_status(ULONG rc)
{
    switch (rc) {
    case LDAP_NO_SUCH_OBJECT:
    case LDAP_NO_SUCH_ATTRIBUTE:
        return SP_ERR_NOTFOUND;
    case LDAP_INVALID_CREDENTIALS:
    case LDAP_INAPPROPRIATE_AUTH:
    case LDAP_STRONG_AUTH_REQUIRED:
    case LDAP_INSUFFICIENT_RIGHTS:
    case LDAP_UNWILLING_TO_PERFORM:
    case LDAP_CONFIDENTIALITY_REQUIRED:
        return SP_ERR_ACCESS;
    case LDAP_TIMEOUT:
    case LDAP_TIMELIMIT_EXCEEDED:
        return SP_ERR_TIMEOUT;
    case LDAP_NO_MEMORY:
        return SP_ERR_NOMEM;
    case LDAP_PARAM_ERROR:
    case LDAP_FILTER_ERROR:
    case LDAP_INVALID_DN_SYNTAX:
        return SP_ERR_INVALID;
    default:
        return SP_ERR_IO;
    }
}

/* "<what>: <wldap32's message> (<code>)" into last_error. */
static sp_status ldap_fail(sp_sys *sys, ULONG rc, const char *what, const char *detail)
{
    char *msg = w32_utf8(ldap_err2stringW(rc));
    sp_sys_fail(sys, ldap_status(rc), "%s%s: %s (LDAP error %lu)", what, detail ? detail : "",
                msg ? msg : "unknown error", (unsigned long)rc);
    free(msg);
    return ldap_status(rc);
}

/* LDAPS: the ports of LDAP over TLS (the directory's and the global catalog's). */
static int is_ldaps_port(ULONG port)
{
    return port == LDAP_SSL_PORT || port == 3269;
}

/* "DOMAIN\\user" or "user@realm" as the explicit credentials of a Negotiate bind; a DN
 * ("CN=...") cannot be one. Points into the copy in buf. */
static BOOL split_account(wchar_t *buf, SEC_WINNT_AUTH_IDENTITY_W *id)
{
    wchar_t *slash = wcschr(buf, L'\\');
    if (wcschr(buf, L'=') || !buf[0])
        return FALSE;
    if (slash) {
        *slash = L'\0';
        id->Domain = (unsigned short *)buf;
        id->DomainLength = (ULONG)wcslen(buf);
        id->User = (unsigned short *)(slash + 1);
    } else {
        id->User = (unsigned short *)buf; /* user@realm: the UPN carries the domain */
    }
    id->UserLength = (ULONG)wcslen((wchar_t *)id->User);
    return id->UserLength > 0;
}

/* Bound with the logged-on account or explicit credentials, never a password in clear text:
 * Negotiate (Kerberos or NTLM) with signing and sealing on 389, or a simple bind only inside
 * LDAPS (636). A simple bind without TLS is refused here, before anything is sent (issue 18). */
sp_status w32_ldap_connect(sp_sys *sys, const sp_ldap_target *t, sp_ldap_conn **out)
{
    const char *host = t && t->host && t->host[0] ? t->host : "localhost";
    ULONG port = t && t->port ? t->port : LDAP_PORT, version = LDAP_VERSION3, rc;
    ULONG limit = LDAP_WAIT_SECONDS;
    struct l_timeval wait = {LDAP_WAIT_SECONDS, 0};
    wchar_t *whost = NULL, *wuser = NULL, *wpass = NULL;
    SEC_WINNT_AUTH_IDENTITY_W id;
    int with_user = t && t->user && t->user[0], tls = is_ldaps_port(port);
    sp_ldap_conn *c = calloc(1, sizeof *c);
    sp_status st = SP_OK;

    *out = NULL;
    memset(&id, 0, sizeof id);
    if (!c)
        return w32_nomem(sys, "connect to LDAP");
    snprintf(c->where, sizeof c->where, "%s:%lu", host, (unsigned long)port);
    if (with_user && (!t->password || !t->password[0])) {
        st = sp_sys_fail(sys, SP_ERR_ACCESS,
                         "No password for %s: set SOURCEPREP_LDAP_PASSWORD before starting SourcePrep.",
                         t->user);
        goto done;
    }
    if (!(whost = w32_wide(host)) || (with_user && (!(wuser = w32_wide(t->user)) || !(wpass = w32_wide(t->password))))) {
        st = w32_nomem(sys, "connect to LDAP");
        goto done;
    }
    if (with_user && !tls && !split_account(wuser, &id)) {
        st = sp_sys_fail(sys, SP_ERR_ACCESS,
                         "%s is a distinguished name: it could only bind with its password in clear text. "
                         "Give DOMAIN\\user or user@realm, or use LDAPS (/ldap:%s:636).", t->user, host);
        goto done;
    }
    c->ld = tls ? ldap_sslinitW(whost, port, 1) : ldap_initW(whost, port);
    if (!c->ld) {
        st = ldap_fail(sys, LdapGetLastError(), "Could not start an LDAP session with ", c->where);
        goto done;
    }
    ldap_set_optionW(c->ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_optionW(c->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    /* The server's own limit on each search, beside the client's wait. */
    ldap_set_optionW(c->ld, LDAP_OPT_TIMELIMIT, &limit);
    if ((rc = ldap_connect(c->ld, &wait)) != LDAP_SUCCESS) {
        st = ldap_fail(sys, rc, "Could not reach the LDAP server ", c->where);
        goto done;
    }
    /* Signed and sealed, or nothing: without them the session could be read or changed on the
     * wire. (Wine 8's wldap32 refuses both options: under Wine only LDAPS works.) */
    if (!tls && ((rc = ldap_set_optionW(c->ld, LDAP_OPT_SIGN, LDAP_OPT_ON)) != LDAP_SUCCESS ||
                 (rc = ldap_set_optionW(c->ld, LDAP_OPT_ENCRYPT, LDAP_OPT_ON)) != LDAP_SUCCESS)) {
        st = sp_sys_fail(sys, SP_ERR_UNSUPPORTED,
                         "This computer's LDAP client cannot sign and seal the session with %s (LDAP error %lu), "
                         "so SourcePrep does not bind there. Use LDAPS instead: /ldap:%s:636.",
                         c->where, (unsigned long)rc, host);
        goto done;
    }
    if (with_user && tls) {
        rc = ldap_simple_bind_sW(c->ld, wuser, wpass); /* inside TLS */
    } else if (with_user) {
        id.Password = (unsigned short *)wpass;
        id.PasswordLength = (ULONG)wcslen(wpass);
        id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
        rc = ldap_bind_sW(c->ld, NULL, (PWCHAR)&id, LDAP_AUTH_NEGOTIATE);
    } else {
        /* On the domain controller itself: Kerberos or NTLM as the logged-on administrator. */
        rc = ldap_bind_sW(c->ld, NULL, NULL, LDAP_AUTH_NEGOTIATE);
    }
    if (rc != LDAP_SUCCESS)
        st = ldap_fail(sys, rc, "The LDAP server refused the bind at ", c->where);
done:
    if (wpass)
        SecureZeroMemory(wpass, wcslen(wpass) * sizeof *wpass);
    free(whost);
    free(wuser);
    free(wpass);
    if (st != SP_OK) {
        if (c->ld)
            ldap_unbind(c->ld);
        free(c);
        return st;
    }
    *out = c;
    return SP_OK;
}

void w32_ldap_close(sp_sys *sys, sp_ldap_conn *c)
{
    (void)sys;
    if (!c)
        return;
    if (c->ld)
        ldap_unbind(c->ld);
    free(c);
}

/* objectGUID is 16 bytes, not text: its values in the string form the DNS and tools use
 * ("3f2504e0-4f89-41d3-9a0c-0305e82c3301", the first three fields little-endian). */
static char **guid_values(LDAP *ld, LDAPMessage *e, wchar_t *attr, ULONG *count)
{
    struct berval **bv = ldap_get_values_lenW(ld, e, attr);
    ULONG n = bv ? ldap_count_values_len(bv) : 0;
    char **out = calloc(n + 1, sizeof *out);
    *count = 0;
    for (ULONG i = 0; out && i < n; i++) {
        const unsigned char *g = (const unsigned char *)bv[i]->bv_val;
        if (bv[i]->bv_len != 16 || !(out[*count] = malloc(37)))
            continue;
        snprintf(out[*count], 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                 "%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
                 g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
        (*count)++;
    }
    if (bv)
        ldap_value_free_len(bv);
    return out;
}

/* One entry's wanted attributes as UTF-8, handed to cb. Returns cb's answer, or -1. */
static int deliver_entry(sp_sys *sys, LDAP *ld, LDAPMessage *e, sp_ldap_entry_cb cb, void *user,
                         sp_status *st)
{
    sp_ldap_attr attrs[LDAP_MAX_ATTRS];
    char *names[LDAP_MAX_ATTRS] = {0};
    char **values[LDAP_MAX_ATTRS] = {0};
    size_t n = 0;
    BerElement *ber = NULL;
    wchar_t *wdn = ldap_get_dnW(ld, e), *a;
    char *dn = wdn ? w32_utf8(wdn) : NULL;
    int r = -1;

    if (wdn)
        ldap_memfreeW(wdn);
    if (!dn) {
        *st = w32_nomem(sys, "read an LDAP entry");
        return -1;
    }
    for (a = ldap_first_attributeW(ld, e, &ber); a && n < LDAP_MAX_ATTRS;
         a = ldap_next_attributeW(ld, e, ber)) {
        wchar_t **wv = NULL;
        ULONG count;
        names[n] = w32_utf8(a);
        if (_wcsicmp(a, L"objectGUID") == 0) {
            values[n] = guid_values(ld, e, a, &count);
        } else {
            wv = ldap_get_valuesW(ld, e, a);
            count = wv ? ldap_count_valuesW(wv) : 0;
            values[n] = calloc(count + 1, sizeof *values[n]);
            for (ULONG i = 0; values[n] && i < count; i++)
                values[n][i] = w32_utf8(wv[i]);
        }
        if (wv)
            ldap_value_freeW(wv);
        ldap_memfreeW(a);
        attrs[n].name = names[n] ? names[n] : "";
        attrs[n].values = (const char *const *)values[n];
        attrs[n].count = values[n] ? count : 0;
        for (ULONG i = 0; values[n] && i < count; i++)
            if (!values[n][i])
                attrs[n].count = 0;
        n++;
    }
    if (a)
        ldap_memfreeW(a);
    if (ber)
        ber_free(ber, 0);
    r = cb(user, dn, attrs, n);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; values[i] && values[i][k]; k++)
            free(values[i][k]);
        free(values[i]);
        free(names[i]);
    }
    free(dn);
    return r;
}

sp_status w32_ldap_search(sp_sys *sys, sp_ldap_conn *c, const char *base, int subtree,
                          const char *filter, const char *const *attrs, sp_ldap_entry_cb cb,
                          void *user)
{
    wchar_t *wbase = NULL, *wfilter = NULL, *wattrs[LDAP_MAX_ATTRS + 1] = {0};
    struct l_timeval wait = {LDAP_WAIT_SECONDS, 0};
    LDAPMessage *res = NULL, *e;
    sp_status st = SP_OK;
    ULONG rc;
    size_t n = 0;

    if (!c || !c->ld)
        return sp_sys_fail(sys, SP_ERR_INVALID, "ldap_search: not connected");
    wbase = w32_wide(base ? base : "");
    wfilter = w32_wide(filter ? filter : "(objectClass=*)");
    for (; attrs && attrs[n] && n < LDAP_MAX_ATTRS; n++)
        if (!(wattrs[n] = w32_wide(attrs[n])))
            break;
    if (!wbase || !wfilter || (attrs && attrs[n] && n < LDAP_MAX_ATTRS)) {
        st = w32_nomem(sys, "search LDAP");
        goto done;
    }
    rc = ldap_search_ext_sW(c->ld, wbase, subtree ? LDAP_SCOPE_SUBTREE : LDAP_SCOPE_BASE, wfilter,
                            attrs ? wattrs : NULL, 0, NULL, NULL, &wait, 0, &res);
    if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
        char what[400];
        snprintf(what, sizeof what, "LDAP search of \"%.300s\" at ", base ? base : "");
        st = ldap_fail(sys, rc, what, c->where);
        goto done;
    }
    for (e = ldap_first_entry(c->ld, res); e; e = ldap_next_entry(c->ld, e))
        if (deliver_entry(sys, c->ld, e, cb, user, &st) != 0)
            break;
done:
    if (res)
        ldap_msgfree(res);
    for (size_t i = 0; i < LDAP_MAX_ATTRS; i++)
        free(wattrs[i]);
    free(wbase);
    free(wfilter);
    return st;
}

/* ldap_modify_sW has no time limit: the asynchronous modify, waited for as long as a search.
 * LDAP_TIMEOUT when no answer came (the change may or may not have been made: the journal
 * reads it back). */
static ULONG modify_within(LDAP *ld, wchar_t *dn, LDAPModW **mods)
{
    struct l_timeval wait = {LDAP_WAIT_SECONDS, 0};
    LDAPMessage *res = NULL;
    ULONG msgid = 0;
    ULONG rc = ldap_modify_extW(ld, dn, mods, NULL, NULL, &msgid);
    if (rc != LDAP_SUCCESS)
        return rc;
    ULONG got = ldap_result(ld, msgid, LDAP_MSG_ALL, &wait, &res);
    if (got == 0 || got == (ULONG)-1) {
        if (res)
            ldap_msgfree(res);
        ldap_abandon(ld, msgid);
        return got == 0 ? LDAP_TIMEOUT : LdapGetLastError();
    }
    return ldap_result2error(ld, res, 1);
}

sp_status w32_ldap_replace(sp_sys *sys, sp_ldap_conn *c, const char *dn, const char *attr,
                           const char *value)
{
    wchar_t *wdn = w32_wide(dn), *wattr = w32_wide(attr), *wvalue = value ? w32_wide(value) : NULL;
    wchar_t *vals[2] = {wvalue, NULL};
    LDAPModW mod, *mods[2] = {&mod, NULL};
    sp_status st = SP_OK;
    ULONG rc;

    if (!c || !c->ld) {
        st = sp_sys_fail(sys, SP_ERR_INVALID, "ldap_replace: not connected");
        goto done;
    }
    if (!wdn || !wattr || (value && !wvalue)) {
        st = w32_nomem(sys, "change an LDAP attribute");
        goto done;
    }
    memset(&mod, 0, sizeof mod);
    mod.mod_op = LDAP_MOD_REPLACE;
    mod.mod_type = wattr;
    mod.mod_vals.modv_strvals = value ? vals : NULL;
    rc = modify_within(c->ld, wdn, mods);
    /* Clearing an attribute that is already absent leaves nothing to do. */
    if (rc == LDAP_NO_SUCH_ATTRIBUTE && !value)
        rc = LDAP_SUCCESS;
    if (rc != LDAP_SUCCESS) {
        char what[600];
        snprintf(what, sizeof what, "Could not change %.60s of %.400s at ", attr, dn);
        st = ldap_fail(sys, rc, what, c->where);
    }
done:
    free(wdn);
    free(wattr);
    free(wvalue);
    return st;
}
