/* Health rules on Exchange's stores: mounted, mounted at start-up, and Exchange 2003 Standard's size limit. */
#include "core/health/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/msgids.h"

#define DAY (24 * 3600)
#define GB (1024ull * 1024 * 1024)
#define SRC_EXBPA "Exchange Best Practices Analyzer"
#define MAX_STORES 8

typedef struct {
    char dn[512], name[128], edb[300], stm[300];
    int offline; /* msExchEDBOffline: "Do not mount this store at start-up" */
    int is_public;
} store;

typedef struct {
    const char *computer;
    int is_public;
    store items[MAX_STORES];
    size_t count;
} store_list;

static const char *first(const sp_ldap_attr *attrs, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (sp_stricmp(attrs[i].name, name) == 0 && attrs[i].count)
            return attrs[i].values[0];
    return NULL;
}

/* The RDN's value of "CN=X,..." into out. */
static void rdn_value(const char *dn, char *out, size_t outlen)
{
    const char *v = sp_strnicmp(dn, "CN=", 3) == 0 ? dn + 3 : dn;
    snprintf(out, outlen, "%.*s", (int)strcspn(v, ","), v);
}

/* Exchange 2007 and 2010 name a database's server in msExchOwningServer; Exchange 2003 keeps
 * it under ...,CN=<server>,CN=Servers,... */
static int on_this_server(const char *dn, const char *owner, const char *computer)
{
    char name[128];
    const char *servers, *p;
    if (owner) {
        rdn_value(owner, name, sizeof name);
        return sp_stricmp(name, computer) == 0;
    }
    for (servers = dn; (p = strchr(servers, ',')) && sp_strnicmp(p, ",CN=Servers,", 12) != 0;)
        servers = p + 1;
    if (!p)
        return 1; /* no server in its name: one Exchange server, as on SBS */
    rdn_value(servers, name, sizeof name);
    return sp_stricmp(name, computer) == 0;
}

static int take_store(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    store_list *l = user;
    const char *edb = first(attrs, count, "msExchEDBFile"), *stm = first(attrs, count, "msExchSLVFile");
    const char *off = first(attrs, count, "msExchEDBOffline");
    store *s;
    if (l->count == MAX_STORES ||
        !on_this_server(dn, first(attrs, count, "msExchOwningServer"), l->computer))
        return 0;
    s = &l->items[l->count++];
    memset(s, 0, sizeof *s);
    snprintf(s->dn, sizeof s->dn, "%s", dn);
    rdn_value(dn, s->name, sizeof s->name);
    snprintf(s->edb, sizeof s->edb, "%s", edb ? edb : "");
    snprintf(s->stm, sizeof s->stm, "%s", stm ? stm : "");
    s->offline = off && sp_stricmp(off, "TRUE") == 0;
    s->is_public = l->is_public;
    return 0;
}

/* This server's mailbox and public folder stores from the configuration partition. */
static int read_stores(sp_health_scan *scan, const sp_rule *rule, store_list *l)
{
    static const char *const attrs[] = {"msExchEDBFile", "msExchSLVFile", "msExchEDBOffline",
                                        "msExchOwningServer", NULL};
    static const char *const classes[] = {"(objectClass=msExchPrivateMDB)",
                                          "(objectClass=msExchPublicMDB)"};
    memset(l, 0, sizeof *l);
    l->computer = scan->ctx->info->os.computer;
    if (scan->ctx->info->exchange == SP_EXCHANGE_NONE || !sp_rule_ldap(scan) || !scan->config_nc[0])
        return 0;
    for (int i = 0; i < 2; i++) {
        sp_status st;
        l->is_public = i;
        st = sp_rule_ldap_search(scan, rule, scan->config_nc, 1, classes[i], attrs, take_store, l);
        if (st != SP_OK && st != SP_ERR_NOTFOUND)
            return 0;
    }
    return 1;
}

/* A store that failed to start (MSExchangeIS 9518 storage group, 9519 database) or was
 * dismounted at its size limit (1112), with no database attached since (ESE 326). */
static void rule_store_failed(sp_health_scan *scan, const sp_rule *rule)
{
    static const unsigned failed[] = {9518, 9519, 1112, 0}, attached[] = {326, 0};
    sp_event_count f = {"MSExchangeIS", failed, 0, 0, 0, 0};
    sp_event_count ese = {"ESE", attached, 0, 0, 0, 0}, ese98 = {"ESE98", attached, 0, 0, 0, 0};
    int64_t since = scan->now - 7 * DAY;
    char arg[16];
    if (scan->ctx->info->exchange == SP_EXCHANGE_NONE ||
        !sp_rule_count_events(scan, rule, "Application", since, &f))
        return;
    sp_rule_count_events(scan, rule, "Application", since, &ese);
    sp_rule_count_events(scan, rule, "Application", since, &ese98);
    if ((ese.count && ese.newest >= f.newest) || (ese98.count && ese98.newest >= f.newest))
        return;
    snprintf(arg, sizeof arg, "%u", f.first_id);
    sp_rule_fire(scan, rule, arg,
                 "Application log: MSExchangeIS %u (x%u in 7 days), the newest %lld hours ago; "
                 "no database attached since (ESE 326)",
                 f.first_id, f.count, (long long)((scan->now - f.newest) / 3600));
}

static void rule_store_no_mount(sp_health_scan *scan, const sp_rule *rule)
{
    store_list l;
    if (!read_stores(scan, rule, &l))
        return;
    for (size_t i = 0; i < l.count; i++)
        if (l.items[i].offline) {
            sp_rule_fire(scan, rule, l.items[i].name, "msExchEDBOffline = TRUE on %s",
                         l.items[i].dn);
            return;
        }
}

typedef struct {
    sp_health_scan *scan;
    const char *prefix, *base;
    uint32_t limit_gb; /* the smallest configured, 0 none */
    char key[600];
} size_limit;

static int read_limit(void *user, const char *name)
{
    size_limit *s = user;
    char key[800];
    uint32_t gb = 0;
    if (sp_strnicmp(name, s->prefix, strlen(s->prefix)) != 0)
        return 0;
    snprintf(key, sizeof key, "%s\\%s", s->base, name);
    if (sp_reg_get_dword(s->scan->ctx->sys, SP_REG_VIEW_DEFAULT, key, "Database Size Limit in GB",
                         &gb) == SP_OK && gb && (!s->limit_gb || gb < s->limit_gb)) {
        s->limit_gb = gb;
        snprintf(s->key, sizeof s->key, "%.590s", name);
    }
    return 0;
}

/* Exchange 2003 Standard (every SBS 2003): 16 GB per store before SP2; with SP2 "Database Size
 * Limit in GB" under MSExchangeIS\<server>\Private-<GUID> (or Public-), 18 by default, at most
 * 75. The limit counts the .edb and .stm together; their size on disk includes free space, so a
 * store near the limit may still have room: Exchange warns at 90 %, as this rule does. */
static void rule_store_limit(sp_health_scan *scan, const sp_rule *rule)
{
    const sp_sysinfo *info = scan->ctx->info;
    sp_sys *sys = scan->ctx->sys;
    store_list l;
    char base[300], arg[64], how[700];
    if (info->exchange != SP_EXCHANGE_2003 || !info->is_sbs || !read_stores(scan, rule, &l))
        return;
    snprintf(base, sizeof base, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIS\\%s",
             info->os.computer);
    for (size_t i = 0; i < l.count; i++) {
        const store *s = &l.items[i];
        const char *files[2] = {s->edb, s->stm};
        uint64_t bytes = 0, limit;
        size_limit sl = {scan, s->is_public ? "Public-" : "Private-", base, 0, ""};
        for (int k = 0; k < 2; k++) {
            sp_filestat fs;
            if (!files[k][0])
                continue;
            if (sys->ops->file_stat(sys, files[k], &fs) != SP_OK) {
                sp_rule_not_run(scan, rule, "%s: %s", files[k], sys->last_error);
                return;
            }
            bytes += fs.exists ? fs.size : 0;
        }
        if (info->exchange_sp < 2) {
            limit = 16;
            snprintf(how, sizeof how, "16 GB (Exchange 2003 before SP2)");
        } else {
            sys->ops->reg_enum_keys(sys, SP_REG_VIEW_DEFAULT, base, read_limit, &sl);
            limit = sl.limit_gb ? (sl.limit_gb > 75 ? 75 : sl.limit_gb) : 18;
            if (sl.limit_gb)
                snprintf(how, sizeof how, "%u GB (Database Size Limit in GB under %.300s\\%.200s%s)",
                         (unsigned)limit, base, sl.key, sl.limit_gb > 75 ? ", at most 75" : "");
            else
                snprintf(how, sizeof how, "18 GB (the SP2 default)");
        }
        if (bytes * 10 < limit * GB * 9)
            continue;
        snprintf(arg, sizeof arg, "%.1f GB / %u GB", (double)bytes / (double)GB, (unsigned)limit);
        sp_rule_fire(scan, rule, arg, "%s: %s and %s hold %llu bytes; limit %s", s->dn, s->edb,
                     s->stm[0] ? s->stm : "(no .stm)", (unsigned long long)bytes, how);
        return;
    }
}

const sp_rule sp_rules_exchange[] = {
    SP_RULE("exchange.store_failed", SP_HC_EXCHANGE, SP_HOS_ALL, SP_SEV_ERROR, STORE_FAILED,
         SRC_EXBPA, rule_store_failed),
    SP_RULE("exchange.store_no_mount", SP_HC_EXCHANGE, SP_HOS_ALL, SP_SEV_WARNING, STORE_NO_MOUNT,
         SRC_EXBPA, rule_store_no_mount),
    SP_RULE("exchange.store_limit", SP_HC_EXCHANGE, SP_HOS_2003, SP_SEV_WARNING, STORE_LIMIT,
         "Exchange Server 2003 SP2 database size limit; Exchange Best Practices Analyzer",
         rule_store_limit),
};
const size_t sp_rules_exchange_count = sizeof sp_rules_exchange / sizeof sp_rules_exchange[0];
