/* The sim's directory: the profile's "ldap" entries by DN, searched and changed in memory; "sids". */
#include "core/sys/sim/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

struct sp_ldap_conn {
    int open;
    cJSON *dir; /* the directory of the server connected to: "ldap" or one of its "servers" */
};

static sp_status ldap_fail(char *err, size_t errlen, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", what);
    return SP_ERR_BADDATA;
}

static int is_string_list(const cJSON *v)
{
    const cJSON *x;
    if (cJSON_IsString(v))
        return 1;
    if (!cJSON_IsArray(v))
        return 0;
    cJSON_ArrayForEach(x, v) if (!cJSON_IsString(x)) return 0;
    return 1;
}

/* One server's directory: its flags and entries. where names it in the messages. */
static sp_status parse_directory(const cJSON *ldap, const char *where, char *err, size_t errlen)
{
    const cJSON *e, *a, *flag;
    static const char *const flags[] = {"unreachable", "refuse_bind", "read_only",
                                        "modify_times_out", "modify_lost_in_timeout"};
    char msg[400];
    if (!cJSON_IsObject(ldap)) {
        snprintf(msg, sizeof msg, "%.200s must be an object with \"entries\"", where);
        return ldap_fail(err, errlen, msg);
    }
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        flag = cJSON_GetObjectItemCaseSensitive(ldap, flags[i]);
        if (flag && !cJSON_IsBool(flag)) {
            snprintf(msg, sizeof msg, "%.200s.%s must be true or false", where, flags[i]);
            return ldap_fail(err, errlen, msg);
        }
    }
    e = cJSON_GetObjectItemCaseSensitive(ldap, "entries");
    if (e && !cJSON_IsObject(e)) {
        snprintf(msg, sizeof msg, "%.200s.entries must be an object of entries by DN", where);
        return ldap_fail(err, errlen, msg);
    }
    cJSON_ArrayForEach(a, e) {
        const cJSON *v;
        if (!cJSON_IsObject(a)) {
            snprintf(msg, sizeof msg, "%.80s.entries.%.200s must be an object of attributes", where, a->string);
            return ldap_fail(err, errlen, msg);
        }
        cJSON_ArrayForEach(v, a) if (!is_string_list(v)) {
            snprintf(msg, sizeof msg, "%.60s.entries.%.150s.%.80s must be a string or an array of strings",
                     where, a->string, v->string);
            return ldap_fail(err, errlen, msg);
        }
    }
    return SP_OK;
}

sp_status sim_ldap_parse(const cJSON *ldap, const cJSON *sids, sim_profile *p, char *err,
                         size_t errlen)
{
    const cJSON *e, *servers;
    char msg[300];
    sp_status st;
    if (sids) {
        if (!cJSON_IsObject(sids))
            return ldap_fail(err, errlen, "sids must be an object of \"S-1-...\": \"DOMAIN\\\\name\"");
        cJSON_ArrayForEach(e, sids) if (!cJSON_IsString(e)) {
            snprintf(msg, sizeof msg, "sids.%.200s must be a string (the account name)", e->string);
            return ldap_fail(err, errlen, msg);
        }
        if (!(p->sids = cJSON_Duplicate(sids, 1)))
            return SP_ERR_NOMEM;
    }
    if (!ldap)
        return SP_OK;
    if ((st = parse_directory(ldap, "ldap", err, errlen)) != SP_OK)
        return st;
    servers = cJSON_GetObjectItemCaseSensitive(ldap, "servers");
    if (servers && !cJSON_IsObject(servers))
        return ldap_fail(err, errlen, "ldap.servers must be an object of directories by \"host\" or \"host:port\"");
    cJSON_ArrayForEach(e, servers) {
        snprintf(msg, sizeof msg, "ldap.servers.%.150s", e->string);
        if ((st = parse_directory(e, msg, err, errlen)) != SP_OK)
            return st;
    }
    if (!(p->ldap = cJSON_Duplicate(ldap, 1)))
        return SP_ERR_NOMEM;
    return SP_OK;
}

static int flag_set(const cJSON *dir, const char *name)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(dir, name));
}

/* The directory of host:port: "servers" names it as "host:port" or "host"; any other host
 * (and this DC) is the profile's one directory. */
static cJSON *server_directory(sim_profile *p, const sp_ldap_target *t)
{
    cJSON *x;
    char name[300];
    if (!t || !t->host || !t->host[0])
        return p->ldap;
    snprintf(name, sizeof name, "%s:%u", t->host, t->port ? t->port : 389u);
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(p->ldap, "servers"))
        if (x->string && sim_ascii_casecmp(x->string, name) == 0)
            return x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(p->ldap, "servers"))
        if (x->string && sim_ascii_casecmp(x->string, t->host) == 0)
            return x;
    return p->ldap;
}

sp_status sim_ldap_connect(sp_sys *sys, const sp_ldap_target *target, sp_ldap_conn **out)
{
    sim_profile *p = sim_machine_profile(sys);
    const char *host = target && target->host && target->host[0] ? target->host : "localhost";
    cJSON *dir;
    *out = NULL;
    if (!p->ldap)
        return sp_sys_fail(sys, SP_ERR_IO, "No LDAP server answers on %s (the profile has no \"ldap\").", host);
    dir = server_directory(p, target);
    if (flag_set(dir, "unreachable"))
        return sp_sys_fail(sys, SP_ERR_IO, "The LDAP server %s cannot be reached (connect error).", host);
    if (flag_set(dir, "refuse_bind"))
        return sp_sys_fail(sys, SP_ERR_ACCESS, "The LDAP server %s refused the bind: invalid credentials (49).", host);
    if (!(*out = calloc(1, sizeof **out)))
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory");
    (*out)->open = 1;
    (*out)->dir = dir;
    return SP_OK;
}

void sim_ldap_close(sp_sys *sys, sp_ldap_conn *conn)
{
    (void)sys;
    free(conn);
}

/* Glob match without case: '*' is any run of characters. */
static int glob_match(const char *pat, const char *s)
{
    if (!*pat)
        return !*s;
    if (*pat == '*')
        return glob_match(pat + 1, s) || (*s && glob_match(pat, s + 1));
    return *s && (*pat == *s || (((*pat | 32) == (*s | 32)) && ((*pat | 32) >= 'a' && (*pat | 32) <= 'z'))) &&
           glob_match(pat + 1, s + 1);
}

/* Evaluates "(attr=value)" (value may hold '*') or "(&(..)(..))" on entry; *end is where the
 * filter stopped. Returns -1 for a filter the sim does not understand. */
static int filter_eval(const cJSON *entry, const char *f, const char **end)
{
    if (*f != '(')
        return -1;
    if (f[1] == '&') {
        int all = 1;
        const char *p = f + 2;
        while (*p == '(') {
            int r = filter_eval(entry, p, &p);
            if (r < 0)
                return -1;
            all &= r;
        }
        if (*p != ')')
            return -1;
        *end = p + 1;
        return all;
    }
    const char *eq = strchr(f, '='), *close = strchr(f, ')');
    if (!eq || !close || eq > close)
        return -1;
    char attr[80], value[256];
    size_t an = (size_t)(eq - f - 1), vn = (size_t)(close - eq - 1);
    if (an == 0 || an >= sizeof attr || vn >= sizeof value)
        return -1;
    memcpy(attr, f + 1, an);
    attr[an] = '\0';
    memcpy(value, eq + 1, vn);
    value[vn] = '\0';
    *end = close + 1;
    /* Every entry has an objectClass, the rootDSE included. */
    if (sim_ascii_casecmp(attr, "objectClass") == 0 && strcmp(value, "*") == 0)
        return 1;
    const cJSON *v = NULL, *x;
    cJSON_ArrayForEach(x, entry) if (sim_ascii_casecmp(x->string, attr) == 0) v = x;
    if (!v)
        return 0;
    if (cJSON_IsString(v))
        return glob_match(value, v->valuestring);
    cJSON_ArrayForEach(x, v) if (glob_match(value, x->valuestring)) return 1;
    return 0;
}

static int dn_under(const char *dn, const char *base, int subtree)
{
    size_t n = strlen(dn), b = strlen(base);
    if (sim_ascii_casecmp(dn, base) == 0)
        return 1;
    /* As in AD, the rootDSE has no subtree to search. */
    if (!subtree || b == 0 || n <= b + 1)
        return 0;
    return dn[n - b - 1] == ',' && sim_ascii_casecmp(dn + n - b, base) == 0;
}

static cJSON *find_entry(cJSON *dir, const char *dn)
{
    cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(dir, "entries"))
        if (sim_ascii_casecmp(e->string, dn) == 0)
            return e;
    return NULL;
}

sp_status sim_ldap_search(sp_sys *sys, sp_ldap_conn *conn, const char *base, int subtree,
                          const char *filter, const char *const *attrs, sp_ldap_entry_cb cb,
                          void *user)
{
    sim_profile *p = sim_machine_profile(sys);
    const cJSON *e;
    const char *end;
    if (!conn || !conn->open || !p->ldap)
        return sp_sys_fail(sys, SP_ERR_INVALID, "ldap_search: not connected");
    if (!find_entry(conn->dir, base ? base : ""))
        return sp_sys_fail(sys, SP_ERR_NOTFOUND, "LDAP: no such object: %s", base ? base : "");
    if (filter_eval(find_entry(conn->dir, base ? base : ""), filter ? filter : "(objectClass=*)", &end) < 0)
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "The sim's LDAP cannot evaluate the filter %s", filter);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(conn->dir, "entries")) {
        sp_ldap_attr found[16];
        const char *values[16][8];
        size_t nf = 0;
        if (!dn_under(e->string, base ? base : "", subtree))
            continue;
        if (filter_eval(e, filter ? filter : "(objectClass=*)", &end) != 1)
            continue;
        for (size_t i = 0; attrs && attrs[i] && nf < 16; i++) {
            const cJSON *v = NULL, *x;
            size_t k = 0;
            cJSON_ArrayForEach(x, e) if (sim_ascii_casecmp(x->string, attrs[i]) == 0) v = x;
            if (!v)
                continue;
            if (cJSON_IsString(v))
                values[nf][k++] = v->valuestring;
            else
                cJSON_ArrayForEach(x, v) if (k < 8) values[nf][k++] = x->valuestring;
            found[nf].name = v->string;
            found[nf].values = values[nf];
            found[nf].count = k;
            nf++;
        }
        if (cb(user, e->string, found, nf))
            break;
    }
    return SP_OK;
}

sp_status sim_ldap_replace(sp_sys *sys, sp_ldap_conn *conn, const char *dn, const char *attr,
                           const char *value)
{
    sim_profile *p = sim_machine_profile(sys);
    cJSON *e, *x, *old = NULL;
    if (!conn || !conn->open || !p->ldap)
        return sp_sys_fail(sys, SP_ERR_INVALID, "ldap_replace: not connected");
    if (!(e = find_entry(conn->dir, dn)))
        return sp_sys_fail(sys, SP_ERR_NOTFOUND, "LDAP: no such object: %s", dn);
    if (flag_set(conn->dir, "read_only"))
        return sp_sys_fail(sys, SP_ERR_ACCESS, "LDAP: insufficient access rights to change %s of %s (50).", attr, dn);
    /* "modify_lost_in_timeout": no answer in time and the change was not made. */
    if (flag_set(conn->dir, "modify_lost_in_timeout"))
        return sp_sys_fail(sys, SP_ERR_TIMEOUT, "LDAP: no answer in time to the change of %s of %s.", attr, dn);
    cJSON_ArrayForEach(x, e) if (sim_ascii_casecmp(x->string, attr) == 0) old = x;
    if (old)
        cJSON_Delete(cJSON_DetachItemViaPointer(e, old));
    if (value && !cJSON_AddStringToObject(e, attr, value))
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory");
    /* "modify_times_out": the change was made but its answer came too late. */
    if (flag_set(conn->dir, "modify_times_out"))
        return sp_sys_fail(sys, SP_ERR_TIMEOUT, "LDAP: no answer in time to the change of %s of %s.", attr, dn);
    return SP_OK;
}

sp_status sim_sid_lookup(sp_sys *sys, const char *sid, char *out, size_t outlen)
{
    sim_profile *p = sim_machine_profile(sys);
    const cJSON *x;
    if (outlen)
        out[0] = '\0';
    cJSON_ArrayForEach(x, p->sids) if (sim_ascii_casecmp(x->string, sid) == 0) {
        if (strlen(x->valuestring) >= outlen)
            return sp_sys_fail(sys, SP_ERR_INVALID, "the name of %s is too long", sid);
        memcpy(out, x->valuestring, strlen(x->valuestring) + 1);
        return SP_OK;
    }
    return sp_sys_fail(sys, SP_ERR_NOTFOUND, "No account has the SID %s.", sid);
}
