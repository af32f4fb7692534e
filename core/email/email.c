/* Email migration step: inventories Exchange, checks the prerequisites of the chosen target
 * (RPC over HTTP, ValidPorts, the external HTTPS endpoints) and adds missing ValidPorts entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/email/email.h"
#include "core/journal.h"
#include "core/msgids.h"
#include "core/step_table.h"
#include "core/base/dnsmsg.h"
#include "core/base/strutil.h"
#include "core/email/validports.h"

#define RPCPROXY_KEY "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy"
/* SBS 2003 keeps the POP3 connector's settings here; each mailbox is a subkey of Mailboxes. */
#define POP3_KEY "HKLM\\SOFTWARE\\Microsoft\\SmallBusinessServer\\Network\\POP3 Connector"
#define SBS_NET_KEY "HKLM\\SOFTWARE\\Microsoft\\SmallBusinessServer\\Network"
#define HTTP_TIMEOUT_MS 15000

typedef struct {
    sp_run_ctx *ctx;
    sp_findings *out;
    int errors;
    /* The directory, opened once per run when a check needs it (issue 16). */
    sp_ldap_conn *ldap;
    int ldap_tried;
    char config_nc[512], default_nc[512];
    char ldap_error[256];
} email_run;

/* ---- The directory ------------------------------------------------------------------- */

typedef struct {
    char *out;
    size_t len;
    const char *attr;
} ldap_first;

static int take_first(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    ldap_first *f = user;
    (void)dn;
    for (size_t i = 0; i < count; i++)
        if (sp_stricmp(attrs[i].name, f->attr) == 0 && attrs[i].count)
            sp_strlcpy(f->out, attrs[i].values[0], f->len);
    return 1;
}

/* Connects to this domain controller (or /ldap:HOST) and reads the naming contexts; 0 with
 * r->ldap_error saying why when the directory cannot be read. */
static int email_ldap(email_run *r)
{
    sp_sys *sys = r->ctx->sys;
    static const char *const cfg[] = {"configurationNamingContext", NULL};
    static const char *const def[] = {"defaultNamingContext", NULL};
    if (r->ldap_tried)
        return r->ldap != NULL;
    r->ldap_tried = 1;
    if (!sys->ops->ldap_connect || sys->ops->ldap_connect(sys, r->ctx->ldap, &r->ldap) != SP_OK) {
        snprintf(r->ldap_error, sizeof r->ldap_error, "%s", sys->last_error);
        r->ldap = NULL;
        return 0;
    }
    ldap_first a = {r->config_nc, sizeof r->config_nc, cfg[0]}, b = {r->default_nc, sizeof r->default_nc, def[0]};
    sys->ops->ldap_search(sys, r->ldap, "", 0, "(objectClass=*)", cfg, take_first, &a);
    sys->ops->ldap_search(sys, r->ldap, "", 0, "(objectClass=*)", def, take_first, &b);
    if (!r->config_nc[0]) {
        snprintf(r->ldap_error, sizeof r->ldap_error, "The rootDSE has no configurationNamingContext.");
        sys->ops->ldap_close(sys, r->ldap);
        r->ldap = NULL;
        return 0;
    }
    return 1;
}

static void email_ldap_close(email_run *r)
{
    if (r->ldap)
        r->ctx->sys->ops->ldap_close(r->ctx->sys, r->ldap);
    r->ldap = NULL;
}

static sp_status add(email_run *r, sp_severity sev, const char *code, unsigned title, unsigned advice,
                     const char *arg, const char *evidence)
{
    if (sev == SP_SEV_ERROR)
        r->errors++;
    return sp_findings_add(r->out, sev, code, title, advice, arg, evidence);
}

static void human_size(uint64_t n, char *out, size_t len)
{
    static const char *const units[] = {"bytes", "KB", "MB", "GB", "TB"};
    double v = (double)n;
    int u = 0;
    while (v >= 1024 && u < 4)
        v /= 1024, u++;
    if (u == 0)
        snprintf(out, len, "%llu bytes", (unsigned long long)n);
    else
        snprintf(out, len, "%.1f %s", v, units[u]);
}

/* ---- Exchange inventory ------------------------------------------------------------- */

static const char *const services_2003[] = {"MSExchangeIS", "MSExchangeSA", "MSExchangeMTA", "SMTPSVC", NULL};
static const char *const services_2007[] = {"MSExchangeIS", "MSExchangeSA", "MSExchangeTransport",
                                            "MSExchangeADTopology", NULL};

static sp_status check_services(email_run *r)
{
    const char *const *names = r->ctx->info->exchange == SP_EXCHANGE_2003 ? services_2003 : services_2007;
    sp_sys *sys = r->ctx->sys;
    char list[512] = "";
    sp_status st = SP_OK;
    for (int i = 0; names[i] && st == SP_OK; i++) {
        sp_svcinfo si;
        sp_status q = sys->ops->svc_query(sys, names[i], &si);
        const char *what = q != SP_OK ? "not installed" : si.state == SP_SVC_RUNNING ? "running" : "stopped";
        size_t n = strlen(list);
        snprintf(list + n, sizeof list - n, "%s%s %s", n ? ", " : "", names[i], what);
        /* The information store is what a migration reads; the others are reported only. */
        if (i == 0 && (q != SP_OK || si.state != SP_SVC_RUNNING))
            st = add(r, SP_SEV_WARNING, "email.store_service", IDS_F_EMAIL_SERVICE_STOPPED,
                     IDS_F_EMAIL_SERVICE_ADVICE, names[i], q != SP_OK ? sys->last_error : what);
    }
    if (st == SP_OK) {
        char name[80];
        if (r->ctx->info->exchange_sp)
            snprintf(name, sizeof name, "%s SP%u", r->ctx->info->exchange_name, r->ctx->info->exchange_sp);
        else
            snprintf(name, sizeof name, "%s", r->ctx->info->exchange_name);
        st = add(r, SP_SEV_INFO, "email.exchange", IDS_F_EMAIL_DETECTED, IDS_F_EMAIL_DETECTED_ADVICE,
                 name, list);
    }
    return st;
}

typedef struct {
    char dir[600];
    char names[32][128];
    int is_dir[32];
    int count;
} dir_list;

static int ends_with_nocase(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    if (a < b)
        return 0;
    for (size_t i = 0; i < b; i++) {
        char x = s[a - b + i], y = suffix[i];
        if ((x | 32) != (y | 32))
            return 0;
    }
    return 1;
}

/* Keeps the folders and the .edb files only: a store folder holds hundreds of transaction logs
 * (E00*.log) that sort before the .edb, and a list that filled up with them found no store. */
static int collect(void *user, const char *name, int is_dir)
{
    dir_list *d = user;
    if (!is_dir && !ends_with_nocase(name, ".edb"))
        return 0;
    if (is_dir && (strcmp(name, ".") == 0 || strcmp(name, "..") == 0))
        return 0;
    if (d->count >= 32)
        return 1;
    sp_strlcpy(d->names[d->count], name, sizeof d->names[0]);
    d->is_dir[d->count++] = is_dir;
    return 0;
}

/* Lists the .edb files (with their .stm streaming files on 2003) up to two folders deep. */
static sp_status scan_stores(email_run *r, const char *dir, int depth, int *found)
{
    sp_sys *sys = r->ctx->sys;
    dir_list *d = calloc(1, sizeof *d);
    sp_status st = SP_OK;
    if (!d)
        return SP_ERR_NOMEM;
    if (sys->ops->dir_enum(sys, dir, collect, d) != SP_OK) {
        free(d);
        return SP_OK; /* the caller reports a missing folder */
    }
    for (int i = 0; i < d->count && st == SP_OK; i++) {
        char path[800], stm[800], size[32], arg[200];
        snprintf(path, sizeof path, "%s\\%s", dir, d->names[i]);
        if (d->is_dir[i]) {
            if (depth < 2)
                st = scan_stores(r, path, depth + 1, found);
            continue;
        }
        if (!ends_with_nocase(d->names[i], ".edb"))
            continue;
        sp_filestat fs, fs2;
        if (sys->ops->file_stat(sys, path, &fs) != SP_OK || !fs.exists)
            continue;
        uint64_t total = fs.size;
        snprintf(stm, sizeof stm, "%.*s.stm", (int)(strlen(path) - 4), path);
        if (sys->ops->file_stat(sys, stm, &fs2) == SP_OK && fs2.exists)
            total += fs2.size;
        human_size(total, size, sizeof size);
        snprintf(arg, sizeof arg, "%s, %s", d->names[i], size);
        int pub = strncmp(d->names[i], "pub", 3) == 0 || strstr(d->names[i], "Public") != NULL;
        ++*found;
        st = add(r, pub ? SP_SEV_WARNING : SP_SEV_INFO, pub ? "email.public_folders" : "email.store",
                 pub ? IDS_F_EMAIL_PUBLIC : IDS_F_EMAIL_STORE,
                 pub ? IDS_F_EMAIL_PUBLIC_ADVICE : IDS_F_EMAIL_STORE_ADVICE, arg, path);
    }
    free(d);
    return st;
}

/* One store of the configuration partition: its database, streaming file and log folder. */
typedef struct {
    email_run *r;
    int found, failed;
    sp_status st;
} ad_stores;

static const char *attr_value(const sp_ldap_attr *attrs, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (sp_stricmp(attrs[i].name, name) == 0 && attrs[i].count)
            return attrs[i].values[0];
    return "";
}

static int on_store(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    ad_stores *a = user;
    email_run *r = a->r;
    sp_sys *sys = r->ctx->sys;
    const char *edb = attr_value(attrs, count, "msExchEDBFile");
    const char *slv = attr_value(attrs, count, "msExchSLVFile");
    const char *logs = attr_value(attrs, count, "msExchESEParamLogFilePath");
    const char *oc = "";
    for (size_t i = 0; i < count; i++)
        if (sp_stricmp(attrs[i].name, "objectClass") == 0)
            for (size_t k = 0; k < attrs[i].count; k++)
                if (sp_stricmp(attrs[i].values[k], "msExchPublicMDB") == 0)
                    oc = "public";
    if (!edb[0])
        return 0;
    char size[32], arg[700], ev[1800];
    sp_filestat fs, fs2;
    int pub = oc[0] != '\0';
    if (sys->ops->file_stat(sys, edb, &fs) != SP_OK || !fs.exists) {
        snprintf(ev, sizeof ev, "%s (msExchEDBFile of %s)", edb, dn);
        a->failed++;
        a->st = add(r, SP_SEV_WARNING, "email.store_unreadable", IDS_F_EMAIL_STORE_UNREADABLE,
                    IDS_F_EMAIL_STORE_UNREADABLE_ADVICE, edb, ev);
        return a->st != SP_OK;
    }
    uint64_t total = fs.size;
    if (slv[0] && sys->ops->file_stat(sys, slv, &fs2) == SP_OK && fs2.exists)
        total += fs2.size;
    human_size(total, size, sizeof size);
    snprintf(arg, sizeof arg, "%s, %s", edb, size);
    snprintf(ev, sizeof ev, "%s; database %s%s%s%s%s (from Active Directory)", dn, edb, slv[0] ? ", streaming file " : "",
             slv, logs[0] ? ", logs in " : "", logs);
    a->found++;
    a->st = add(r, pub ? SP_SEV_WARNING : SP_SEV_INFO, pub ? "email.public_folders" : "email.store",
                pub ? IDS_F_EMAIL_PUBLIC : IDS_F_EMAIL_STORE, pub ? IDS_F_EMAIL_PUBLIC_ADVICE : IDS_F_EMAIL_STORE_ADVICE,
                arg, ev);
    return a->st != SP_OK;
}

/* The stores where Exchange records them: the msExchMDB objects of the configuration partition.
 * Returns how many were listed (-1 when the directory could not be read). */
static int stores_from_ad(email_run *r, sp_status *st)
{
    static const char *const attrs[] = {"msExchEDBFile", "msExchSLVFile", "msExchESEParamLogFilePath",
                                        "objectClass", NULL};
    char base[700];
    ad_stores a = {r, 0, 0, SP_OK};
    *st = SP_OK;
    if (!email_ldap(r))
        return -1;
    snprintf(base, sizeof base, "CN=Microsoft Exchange,CN=Services,%s", r->config_nc);
    if (r->ctx->sys->ops->ldap_search(r->ctx->sys, r->ldap, base, 1, "(objectClass=msExchMDB)", attrs, on_store,
                                      &a) != SP_OK) {
        snprintf(r->ldap_error, sizeof r->ldap_error, "%s", r->ctx->sys->last_error);
        return -1;
    }
    *st = a.st;
    return a.found + a.failed;
}

static sp_status check_stores(email_run *r)
{
    const char *base = r->ctx->info->exchange_path;
    char dir[600];
    int found = 0;
    sp_status st;
    int listed = stores_from_ad(r, &st);
    if (st != SP_OK || listed > 0)
        return st;
    /* Not in the directory (or it cannot be read): the default folders of the install path that
     * detected Exchange (sysinfo), the one source of it. */
    if (r->ctx->info->exchange == SP_EXCHANGE_2003)
        snprintf(dir, sizeof dir, "%s\\mdbdata", base);
    else
        snprintf(dir, sizeof dir, "%s%sMailbox", base, ends_with_nocase(base, "\\") ? "" : "\\");
    st = base[0] ? scan_stores(r, dir, 0, &found) : SP_OK;
    if (st == SP_OK && found && listed < 0)
        st = add(r, SP_SEV_INFO, "email.stores_default", IDS_F_EMAIL_STORES_DEFAULT, 0, dir, r->ldap_error);
    if (st == SP_OK && !found)
        st = add(r, SP_SEV_WARNING, "email.no_stores", IDS_F_EMAIL_NO_STORES, IDS_F_EMAIL_NO_STORES_ADVICE,
                 base[0] ? dir : "(Exchange setup path not in the registry)", listed < 0 ? r->ldap_error : NULL);
    return st;
}

/* ---- Mailboxes ------------------------------------------------------------------------ */

#define CUTOVER_LIMIT 2000

typedef struct {
    unsigned users, shared, rooms, equipment, system;
} mailbox_count;

/* msExchRecipientTypeDetails (Exchange 2007 on): 4 shared, 16 room, 32 equipment. */
static int count_mailbox(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    mailbox_count *c = user;
    const char *cn = attr_value(attrs, count, "cn");
    unsigned long long type = strtoull(attr_value(attrs, count, "msExchRecipientTypeDetails"), NULL, 10);
    (void)dn;
    /* The store's own mailboxes (SystemMailbox{GUID}, "SMTP (SBS01-{GUID})") do not move. */
    if (strncmp(cn, "SystemMailbox{", 14) == 0 || strncmp(cn, "SMTP (", 6) == 0)
        c->system++;
    else if (type == 4)
        c->shared++;
    else if (type == 16)
        c->rooms++;
    else if (type == 32)
        c->equipment++;
    else
        c->users++;
    return 0;
}

/* Returns 1 and fills c when the directory could be counted. */
static int count_mailboxes(email_run *r, mailbox_count *c)
{
    static const char *const attrs[] = {"cn", "msExchRecipientTypeDetails", NULL};
    memset(c, 0, sizeof *c);
    if (!email_ldap(r) || !r->default_nc[0])
        return 0;
    if (r->ctx->sys->ops->ldap_search(r->ctx->sys, r->ldap, r->default_nc, 1, "(homeMDB=*)", attrs, count_mailbox,
                                      c) != SP_OK) {
        snprintf(r->ldap_error, sizeof r->ldap_error, "%s", r->ctx->sys->last_error);
        return 0;
    }
    return 1;
}

/* The mailboxes a cutover moves, checked against its limit as a fact; -1 when not counted. */
static sp_status check_mailboxes(email_run *r, int o365, long *moved)
{
    mailbox_count c;
    char arg[32], ev[400];
    sp_status st;
    *moved = -1;
    if (!count_mailboxes(r, &c))
        return add(r, o365 ? SP_SEV_WARNING : SP_SEV_INFO, "email.mailboxes_unknown", IDS_F_EMAIL_MAILBOXES_UNKNOWN,
                   IDS_F_EMAIL_MAILBOXES_UNKNOWN_ADVICE, NULL, r->ldap_error);
    *moved = (long)(c.users + c.shared + c.rooms + c.equipment);
    snprintf(arg, sizeof arg, "%ld", *moved);
    snprintf(ev, sizeof ev, "users with homeMDB in %.200s: %u user, %u shared, %u room and %u equipment mailboxes; "
             "%u system mailboxes of the store not counted", r->default_nc, c.users, c.shared, c.rooms, c.equipment,
             c.system);
    if (o365 && *moved > CUTOVER_LIMIT)
        st = add(r, SP_SEV_ERROR, "email.cutover_limit", IDS_F_EMAIL_CUTOVER_LIMIT, IDS_F_EMAIL_CUTOVER_LIMIT_ADVICE,
                 arg, ev);
    else
        st = add(r, SP_SEV_INFO, "email.mailboxes", IDS_F_EMAIL_MAILBOXES, o365 ? IDS_F_EMAIL_MAILBOXES_UNDER : 0, arg,
                 ev);
    /* Sizes: Exchange 2003 exposes them through WMI (Exchange_Mailbox), later ones through the
     * store; SourcePrep reads neither yet, and says so rather than guess. */
    if (st == SP_OK && *moved > 0)
        st = add(r, SP_SEV_INFO, "email.mailbox_sizes", IDS_F_EMAIL_MAILBOX_SIZES_UNREAD,
                 IDS_F_EMAIL_MAILBOX_SIZES_ADVICE, NULL,
                 r->ctx->info->exchange == SP_EXCHANGE_2003 ? "WMI root\\MicrosoftExchangeV2 Exchange_Mailbox not queried"
                                                             : "Get-MailboxStatistics not run");
    return st;
}

typedef struct {
    char names[16][64];
    int count;
    int more;
} key_list;

static int collect_key(void *user, const char *name)
{
    key_list *k = user;
    if (k->count < 16)
        sp_strlcpy(k->names[k->count++], name, sizeof k->names[0]);
    else
        k->more++;
    return 0;
}

static sp_status check_pop3(email_run *r)
{
    sp_sys *sys = r->ctx->sys;
    key_list k;
    char mbkey[300], evidence[2048] = "", num[16];
    memset(&k, 0, sizeof k);
    if (sys->ops->reg_enum_keys(sys, SP_REG_VIEW_DEFAULT, POP3_KEY "\\Mailboxes", collect_key, &k) != SP_OK ||
        k.count == 0)
        return add(r, SP_SEV_INFO, "email.pop3_none", IDS_F_EMAIL_POP3_NONE, 0, NULL, NULL);
    for (int i = 0; i < k.count; i++) {
        char user[128] = "", server[128] = "", to[128] = "";
        size_t n = strlen(evidence);
        snprintf(mbkey, sizeof mbkey, "%s\\Mailboxes\\%s", POP3_KEY, k.names[i]);
        sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, mbkey, "UserName", user, sizeof user);
        sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, mbkey, "Server", server, sizeof server);
        sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, mbkey, "Mailbox", to, sizeof to);
        snprintf(evidence + n, sizeof evidence - n, "%s%s on %s to %s", n ? "; " : "", user, server,
                 to[0] ? to : "(global mailbox)");
    }
    sp_svcinfo si;
    size_t n = strlen(evidence);
    if (sys->ops->svc_query(sys, "POP3Connector", &si) == SP_OK)
        snprintf(evidence + n, sizeof evidence - n, "; service %s",
                 si.state == SP_SVC_RUNNING ? "running (in use)" : "stopped");
    snprintf(num, sizeof num, "%d", k.count + k.more);
    return add(r, SP_SEV_WARNING, "email.pop3", IDS_F_EMAIL_POP3, IDS_F_EMAIL_POP3_ADVICE, num, evidence);
}

/* The external name: what the user typed, else what SBS was configured with. */
static void external_name(email_run *r, char *out, size_t len)
{
    sp_strlcpy(out, sp_email_fqdn_get(r->ctx->state), len);
    if (!out[0])
        sp_reg_get_string(r->ctx->sys, SP_REG_VIEW_DEFAULT, SBS_NET_KEY, "PublicFQDN", out, len);
}

/* ---- Office 365 prerequisites ------------------------------------------------------ */

/* The NetBIOS name, the internal FQDN and the external name, each needing 6001-6002 and 6004. */
static void validports_hosts(email_run *r, const char *fqdn, char internal[320], const char *hosts[3])
{
    const sp_osinfo *os = &r->ctx->info->os;
    internal[0] = '\0';
    if (os->computer[0] && os->domain[0])
        snprintf(internal, 320, "%s.%s", os->computer, os->domain);
    for (char *p = internal; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    hosts[0] = os->computer;
    hosts[1] = internal;
    hosts[2] = fqdn;
}

static sp_status check_rpc(email_run *r, const char *fqdn)
{
    sp_sys *sys = r->ctx->sys;
    uint32_t enabled = 0;
    char value[4096] = "", internal[320];
    const char *hosts[3];
    sp_status st = sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, RPCPROXY_KEY, "Enabled", &enabled);
    if (st == SP_ERR_NOTFOUND)
        return add(r, SP_SEV_ERROR, "email.rpcproxy_missing", IDS_F_EMAIL_RPCPROXY_MISSING,
                   IDS_F_EMAIL_RPCPROXY_MISSING_ADVICE, NULL, RPCPROXY_KEY " has no Enabled value");
    if (st != SP_OK || enabled != 1) {
        char ev[200];
        snprintf(ev, sizeof ev, RPCPROXY_KEY "\\Enabled = %u", (unsigned)enabled);
        st = add(r, SP_SEV_ERROR, "email.rpcproxy_off", IDS_F_EMAIL_RPCPROXY_OFF,
                 IDS_F_EMAIL_RPCPROXY_OFF_ADVICE, NULL, st == SP_OK ? ev : sys->last_error);
    } else {
        st = add(r, SP_SEV_INFO, "email.rpcproxy", IDS_F_EMAIL_RPCPROXY_OK, 0, NULL, RPCPROXY_KEY "\\Enabled = 1");
    }
    if (st != SP_OK)
        return st;
    sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, RPCPROXY_KEY, "ValidPorts", value, sizeof value);
    validports_hosts(r, fqdn, internal, hosts);
    char *missing = sp_validports_missing(value, hosts, 3);
    sp_validports vp;
    if (!missing || sp_validports_parse(value, &vp) != SP_OK) {
        free(missing);
        return SP_ERR_NOMEM;
    }
    char ev[4200];
    snprintf(ev, sizeof ev, "ValidPorts = \"%s\"", value);
    if (missing[0])
        st = add(r, SP_SEV_ERROR, "email.validports_missing", IDS_F_EMAIL_VALIDPORTS_MISSING,
                 IDS_F_EMAIL_VALIDPORTS_MISSING_ADVICE, missing, ev);
    else
        st = add(r, SP_SEV_INFO, "email.validports", IDS_F_EMAIL_VALIDPORTS_OK, 0, NULL, ev);
    for (size_t i = 0; st == SP_OK && i < vp.count; i++)
        if (!vp.items[i].host)
            st = add(r, SP_SEV_WARNING, "email.validports_bad", IDS_F_EMAIL_VALIDPORTS_BAD, 0,
                     vp.items[i].raw, ev);
    sp_validports_free(&vp);
    free(missing);
    return st;
}

/* The value of the first CN= of a distinguished name ("CN=Contoso-SBS01-CA, DC=..." or
 * OpenSSL's "CN = Contoso-SBS01-CA"), "" when it has none. */
static void first_cn(const char *dn, char *out, size_t len)
{
    out[0] = '\0';
    for (const char *p = dn; p && *p; p++) {
        if ((p == dn || p[-1] == ',' || p[-1] == ' ' || p[-1] == '/') && sp_strnicmp(p, "CN", 2) == 0) {
            const char *v = p + 2;
            while (*v == ' ')
                v++;
            if (*v != '=')
                continue;
            v++;
            while (*v == ' ')
                v++;
            size_t n = strcspn(v, ",/+");
            while (n && v[n - 1] == ' ')
                n--;
            snprintf(out, len, "%.*s", (int)n, v);
            return;
        }
    }
}

typedef struct {
    const char *want;
    int found;
} ca_match;

static int match_ca(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    ca_match *m = user;
    (void)dn;
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < attrs[i].count; k++)
            if (sp_stricmp(attrs[i].name, "cn") == 0 && sp_stricmp(attrs[i].values[k], m->want) == 0)
                m->found = 1;
    return m->found;
}

/* The domain's enterprise CAs are published in the configuration partition: a chain that ends in
 * one of them is trusted by the domain's machines and by no one outside (SBS 2008/2011 issue
 * remote.<domain> from it). Marks resp when its root (or issuer) is one of them. */
static void judge_domain_ca(email_run *r, sp_http_response *resp)
{
    static const char *const attrs[] = {"cn", NULL};
    char base[700], cn[256];
    ca_match m = {cn, 0};
    first_cn(resp->cert_root[0] ? resp->cert_root : resp->cert_issuer, cn, sizeof cn);
    if (!resp->cert_known || !cn[0] || !email_ldap(r))
        return;
    snprintf(base, sizeof base, "CN=Certification Authorities,CN=Public Key Services,CN=Services,%s", r->config_nc);
    if (r->ctx->sys->ops->ldap_search(r->ctx->sys, r->ldap, base, 1, "(objectClass=certificationAuthority)",
                                      attrs, match_ca, &m) != SP_OK || !m.found)
        return;
    char where[sizeof resp->cert_root_store];
    sp_strlcpy(where, resp->cert_root_store, sizeof where);
    resp->cert_root_public = 0;
    if (!resp->cert_root[0])
        sp_strlcpy(resp->cert_root, resp->cert_issuer, sizeof resp->cert_root);
    snprintf(resp->cert_root_store, sizeof resp->cert_root_store, "%s%s%.120s",
             "the domain's certification authority, published in Active Directory", where[0] ? "; in " : "", where);
}

/* Whether host resolves to an address the Internet cannot reach (split DNS, the SBS default):
 * then this server's test says nothing about what Office 365 sees. addrs gets the addresses. */
static int resolves_inside(email_run *r, const char *host, char *addrs, size_t len)
{
    char a[8][64];
    size_t n = 0;
    int inside = 0;
    addrs[0] = '\0';
    if (!r->ctx->sys->ops->dns_resolve || r->ctx->sys->ops->dns_resolve(r->ctx->sys, host, a, 8, &n) != SP_OK)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t at = strlen(addrs);
        snprintf(addrs + at, len - at, "%s%s", at ? ", " : "", a[i]);
        inside |= sp_email_addr_inside(a[i]);
    }
    return inside;
}

/* One HTTPS GET and its verdict. */
typedef struct {
    int made; /* a request was made (else the step's failure finding is added) */
    char host[256];
    sp_http_response resp;
    sp_conn_verdict v;
    char ev[2600];
} probe;

static sp_status probe_url(email_run *r, const char *url, probe *p)
{
    sp_sys *sys = r->ctx->sys;
    sp_http_request req = {url, HTTP_TIMEOUT_MS, NULL, r->ctx->cancel};
    sp_status st = sys->ops->http_get(sys, &req, &p->resp);
    p->made = 0;
    if (sp_cancelled(r->ctx))
        return SP_ERR_CANCELLED;
    if (st != SP_OK)
        return add(r, SP_SEV_ERROR, "email.http_unavailable", IDS_F_COULD_NOT_RUN,
                   IDS_F_COULD_NOT_RUN_ADVICE, url, sys->last_error);
    /* The title names the host (short enough for the list); the evidence has the whole URL. */
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    snprintf(p->host, sizeof p->host, "%.*s", (int)strcspn(h, "/:"), h);
    judge_domain_ca(r, &p->resp);
    int at = snprintf(p->ev, sizeof p->ev, "%s: ", url);
    p->v = sp_email_conn_verdict(&p->resp, p->host, sys->ops->time_now(sys), p->ev + at, sizeof p->ev - (size_t)at);
    p->made = 1;
    return SP_OK;
}

/* The findings of a probe; evidence (NULL: the probe's own) says what was tried. */
static sp_status report_probe(email_run *r, probe *p, int autodiscover, const char *evidence)
{
    char addrs[600], arg[600];
    unsigned title, advice;
    sp_status st;
    sp_conn_verdict v = p->v;
    int inside = p->resp.curl_code != 6 && resolves_inside(r, p->host, addrs, sizeof addrs);
    sp_email_conn_text(v, &title, &advice);
    /* Without Autodiscover (Exchange 2003 has none) the cutover migration takes the server's
     * settings by hand: a warning with that path, not a blocker. */
    int soft = autodiscover;
    sp_severity sev = v == SP_CONN_OK ? SP_SEV_INFO
                      : soft || v == SP_CONN_ROOT_UNKNOWN ? SP_SEV_WARNING
                                                          : SP_SEV_ERROR;
    if (v == SP_CONN_OK && inside) {
        /* Answered from inside: never a pass, whatever this server saw. */
        title = IDS_F_EMAIL_CONN_OK_INSIDE;
        advice = IDS_F_EMAIL_INSIDE_ADVICE;
        sev = SP_SEV_WARNING;
    }
    char code[48];
    snprintf(code, sizeof code, "email.%s_%s", autodiscover ? "autodiscover" : "rpc",
             sev == SP_SEV_INFO ? "ok" : v == SP_CONN_OK ? "unverified" : "failed");
    if (v == SP_CONN_PRIVATE_ROOT) {
        /* The issuer by its common name: the title leads with what Office 365 will do. */
        char issuer[256];
        first_cn(p->resp.cert_issuer, issuer, sizeof issuer);
        snprintf(arg, sizeof arg, "%s, %s", p->host, issuer[0] ? issuer : p->resp.cert_issuer); /* the title names both */
    }
    else
        sp_strlcpy(arg, p->host, sizeof arg);
    st = add(r, sev, code, title, advice, arg, evidence ? evidence : p->ev);
    if (st == SP_OK && inside) {
        char iev[900];
        snprintf(iev, sizeof iev, "%s resolves to %s", p->host, addrs);
        st = add(r, SP_SEV_WARNING, autodiscover ? "email.autodiscover_inside" : "email.rpc_inside",
                 IDS_F_EMAIL_INSIDE, IDS_F_EMAIL_INSIDE_ADVICE, p->host, iev);
    }
    if (st == SP_OK && soft && v != SP_CONN_OK && r->ctx->info->exchange == SP_EXCHANGE_2003)
        st = add(r, SP_SEV_INFO, "email.autodiscover_2003", IDS_F_EMAIL_AUTODISCOVER_2003, 0, NULL, NULL);
    else if (st == SP_OK && soft && v != SP_CONN_OK)
        st = add(r, SP_SEV_INFO, "email.autodiscover_manual", IDS_F_EMAIL_AUTODISCOVER_MANUAL, 0, NULL, NULL);
    return st;
}

static sp_status check_endpoint(email_run *r, const char *url)
{
    probe *p = calloc(1, sizeof *p);
    sp_status st;
    if (!p)
        return SP_ERR_NOMEM;
    if ((st = probe_url(r, url, p)) == SP_OK && p->made)
        st = report_probe(r, p, 0, NULL);
    free(p);
    return st;
}

/* Outlook's last way to Autodiscover: the SRV record _autodiscover._tcp.<domain>, asked of the DNS
 * service on this server (an SBS is its network's DNS server and recurses for outside names).
 * 1 with the target and port; 0 with what was found instead in why. */
#define SRV_DNS "127.0.0.1"
static int autodiscover_srv(email_run *r, const char *name, char *target, size_t tlen, unsigned *port,
                            char *why, size_t whylen)
{
    sp_sys *sys = r->ctx->sys;
    unsigned char req[300], reply[1500];
    size_t reqlen, got = 0;
    int64_t sent, received;
    char err[300], rc[16];
    uint16_t id = (uint16_t)((unsigned)sys->ops->time_now(sys) * 40503u + 7u);
    sp_dns_reply *d;
    int found = 0;
    if (sp_dns_build_query(id, name, SP_DNS_SRV, 1, req, sizeof req, &reqlen) != SP_OK) {
        snprintf(why, whylen, "%s: not a DNS name", name);
        return 0;
    }
    if (!sys->ops->udp_exchange ||
        sys->ops->udp_exchange(sys, SRV_DNS, 53, req, reqlen, 5000, reply, sizeof reply, &got, &sent,
                               &received) != SP_OK) {
        snprintf(why, whylen, "%s: SRV not asked: %s:53: %.300s", name, SRV_DNS,
                 sys->ops->udp_exchange ? sys->last_error : "this system cannot send UDP");
        return 0;
    }
    if (!(d = malloc(sizeof *d)))
        return 0;
    if (sp_dns_parse_reply(reply, got, id, name, SP_DNS_SRV, d, err, sizeof err) != SP_OK)
        snprintf(why, whylen, "%s: %s:53 did not answer with a DNS reply: %s", name, SRV_DNS, err);
    else {
        const sp_dns_rr *a = NULL;
        for (size_t i = 0; i < d->answer_count && !found; i++)
            if (d->answers[i].type == SP_DNS_SRV && d->answers[i].target[0] && d->answers[i].port) {
                a = &d->answers[i];
                snprintf(target, tlen, "%s", a->target);
                *port = a->port;
                found = 1;
            }
        if (a)
            snprintf(why, whylen, "%s: SRV %u %u %u %s (from %s)", name, a->priority, a->weight, *port,
                     target, SRV_DNS);
        else
            snprintf(why, whylen, "%s: no SRV record (%s, asked %s)", name,
                     d->rcode ? sp_dns_rcode_name(d->rcode, rc, sizeof rc) : "NODATA", SRV_DNS);
    }
    free(d);
    return found;
}

/* Autodiscover as Outlook finds it: https://<domain>/..., https://autodiscover.<domain>/..., then
 * the SRV record's host. The first that works is reported with which one it was; when none
 * does, the SRV record's host (someone set it up) or else autodiscover.<domain> stands for them,
 * a warning with the manual path, the evidence naming all three. */
static sp_status check_autodiscover(email_run *r, const char *domain)
{
    static const unsigned via[] = {IDS_F_EMAIL_AUTODISCOVER_ROOT, IDS_F_EMAIL_AUTODISCOVER_HOST,
                                   IDS_F_EMAIL_AUTODISCOVER_SRV};
    probe *p = calloc(3, sizeof *p);
    char url[400], srv[1100], target[256], shown[600], *ev = malloc(8000);
    unsigned port = 0;
    int got = -1, n = 0;
    sp_status st = SP_OK;
    if (!p || !ev) {
        free(p);
        free(ev);
        return SP_ERR_NOMEM;
    }
    ev[0] = srv[0] = '\0';
    snprintf(shown, sizeof shown, "_autodiscover._tcp.%s", domain);
    for (int i = 0; i < 3 && got < 0; i++) {
        if (i == 0)
            snprintf(url, sizeof url, "https://%s/autodiscover/autodiscover.xml", domain);
        else if (i == 1)
            snprintf(url, sizeof url, "https://autodiscover.%s/autodiscover/autodiscover.xml", domain);
        else if (!autodiscover_srv(r, shown, target, sizeof target, &port, srv, sizeof srv))
            break;
        else if (port == 443)
            snprintf(url, sizeof url, "https://%s/autodiscover/autodiscover.xml", target);
        else
            snprintf(url, sizeof url, "https://%s:%u/autodiscover/autodiscover.xml", target, port);
        sp_progress(r->ctx, 700 + 100 * (unsigned)i, url + 8);
        if ((st = probe_url(r, url, &p[i])) != SP_OK || !p[i].made)
            goto done;
        n = i + 1;
        if (p[i].v == SP_CONN_OK)
            got = i;
    }
    for (int i = 0; i < n; i++) {
        size_t at = strlen(ev);
        snprintf(ev + at, 8000 - at, "%s%s%s", at ? " | " : "", i == 2 ? srv : "", i == 2 ? " | " : "");
        at = strlen(ev);
        snprintf(ev + at, 8000 - at, "%s", p[i].ev);
    }
    if (n < 3 && got < 0) {
        size_t at = strlen(ev);
        snprintf(ev + at, 8000 - at, " | %s", srv);
    }
    st = report_probe(r, &p[got >= 0 ? got : n == 3 ? 2 : 1], 1, ev);
    if (st == SP_OK && got >= 0) {
        if (got == 2)
            snprintf(shown + strlen(shown), sizeof shown - strlen(shown), " (%s:%u)", target, port);
        st = add(r, SP_SEV_INFO, "email.autodiscover_via", via[got], 0, got == 2 ? shown : p[got].host, p[got].ev);
    }
done:
    free(p);
    free(ev);
    return st;
}

static sp_status check_um(email_run *r)
{
    sp_svcinfo si;
    if (r->ctx->info->exchange == SP_EXCHANGE_2003)
        return add(r, SP_SEV_INFO, "email.um", IDS_F_EMAIL_UM_ABSENT, 0, NULL, NULL);
    if (r->ctx->sys->ops->svc_query(r->ctx->sys, "MSExchangeUM", &si) == SP_OK &&
        si.state == SP_SVC_RUNNING)
        /* Not a blocker Microsoft's document names: voice mail stops working after the move,
         * which the user must plan for, but the mailboxes still migrate. */
        return add(r, SP_SEV_WARNING, "email.um_on", IDS_F_EMAIL_UM_ON, IDS_F_EMAIL_UM_ON_ADVICE, NULL,
                   "service MSExchangeUM running");
    return add(r, SP_SEV_INFO, "email.um", IDS_F_EMAIL_UM_OFF, 0, NULL, NULL);
}

static sp_status check_o365(email_run *r, const char *fqdn)
{
    char url[400];
    sp_status st;
    sp_progress(r->ctx, 500, "RPC over HTTP");
    if ((st = check_rpc(r, fqdn)) != SP_OK || (st = check_um(r)) != SP_OK || !fqdn[0])
        return st;
    sp_progress(r->ctx, 600, fqdn);
    snprintf(url, sizeof url, "https://%s/rpc/rpcproxy.dll", fqdn);
    if ((st = check_endpoint(r, url)) != SP_OK)
        return st;
    const char *dot = strchr(fqdn, '.');
    return check_autodiscover(r, dot ? dot + 1 : fqdn);
}

static sp_status check_confirmations(email_run *r, sp_email_target t, long moved)
{
    const sp_email_confirm_item *items;
    size_t n = sp_email_confirm_items(t, &items);
    sp_status st = SP_OK;
    for (size_t i = 0; i < n && st == SP_OK; i++) {
        int ok = sp_email_confirmed(r->ctx->state, items[i].code);
        /* The count is a fact once the directory was read: the box is not needed then. */
        if (moved >= 0 && strcmp(items[i].code, "o365.under_2000") == 0)
            continue;
        char code[48];
        snprintf(code, sizeof code, "email.confirm.%s", items[i].code);
        st = add(r, ok ? SP_SEV_INFO : SP_SEV_ERROR, code, items[i].text_id,
                 ok ? IDS_F_EMAIL_CONFIRMED : IDS_F_EMAIL_CONFIRM_ADVICE, NULL, NULL);
    }
    return st;
}

static sp_status email_assess(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    email_run r = {ctx, out, 0};
    static const unsigned target_titles[] = {0, IDS_F_EMAIL_TARGET_O365, IDS_F_EMAIL_TARGET_ONPREM,
                                             IDS_F_EMAIL_TARGET_HOSTED, IDS_F_EMAIL_TARGET_NONE};
    char fqdn[256];
    sp_status st;
    if (sp_step_not_for_this_server(ctx, "email") || !ctx->info || ctx->info->exchange == SP_EXCHANGE_NONE) {
        *result = SP_RESULT_NOT_APPLICABLE;
        return sp_findings_add(out, SP_SEV_INFO, "email.no_exchange", IDS_F_EMAIL_NO_EXCHANGE, 0, NULL, NULL);
    }
    sp_email_target t = sp_email_target_get(ctx->state);
    const char *reason = sp_email_reason_get(ctx->state);
    sp_progress(ctx, 100, "Exchange");
    if ((st = check_services(&r)) != SP_OK)
        return st;
    sp_progress(ctx, 200, SP_REF(IDS_PG_MAILBOX_STORES));
    if ((st = check_stores(&r)) != SP_OK)
        return st;
    sp_progress(ctx, 300, SP_REF(IDS_PG_POP3));
    if ((st = check_pop3(&r)) != SP_OK)
        return st;
    external_name(&r, fqdn, sizeof fqdn);
    if (t == SP_EMAIL_TARGET_UNSET) {
        st = add(&r, SP_SEV_ERROR, "email.no_target", IDS_F_EMAIL_NO_TARGET, IDS_F_EMAIL_NO_TARGET_ADVICE,
                 NULL, NULL);
    } else {
        st = add(&r, SP_SEV_INFO, "email.target", target_titles[t], 0, reason[0] ? reason : "-",
                 sp_email_target_id(t));
        if (st == SP_OK && !reason[0])
            st = add(&r, SP_SEV_ERROR, "email.no_reason", IDS_F_EMAIL_NO_REASON, IDS_F_EMAIL_NO_TARGET_ADVICE,
                     NULL, NULL);
    }
    /* The external name matters to Office 365 only; shown whenever known (the page offers it). */
    if (st == SP_OK && fqdn[0])
        st = add(&r, SP_SEV_INFO, "email.fqdn", IDS_F_EMAIL_FQDN, 0, fqdn,
                 sp_email_fqdn_get(ctx->state)[0] ? "typed on this page" : SBS_NET_KEY "\\PublicFQDN");
    else if (st == SP_OK && t == SP_EMAIL_TARGET_O365)
        st = add(&r, SP_SEV_ERROR, "email.fqdn_unknown", IDS_F_EMAIL_FQDN_UNKNOWN, IDS_F_EMAIL_FQDN_ADVICE,
                 NULL, NULL);
    long moved = -1;
    if (st == SP_OK)
        st = check_mailboxes(&r, t == SP_EMAIL_TARGET_O365, &moved);
    if (st == SP_OK && t == SP_EMAIL_TARGET_O365)
        st = check_o365(&r, fqdn);
    if (st == SP_OK && t != SP_EMAIL_TARGET_UNSET)
        st = check_confirmations(&r, t, moved);
    email_ldap_close(&r);
    if (st != SP_OK)
        return st;
    sp_progress(ctx, 1000, "");
    /* Only an Office 365 migration is checked here. Another target rests on the user's own
     * statements: never "verified", the step is marked done by hand with a reason (issue 16). */
    if (!r.errors && t != SP_EMAIL_TARGET_O365) {
        if ((st = add(&r, SP_SEV_WARNING, "email.manual_target", IDS_F_EMAIL_MANUAL_TARGET,
                      IDS_F_EMAIL_MANUAL_TARGET_ADVICE, reason, sp_email_target_id(t))) != SP_OK)
            return st;
        *result = SP_RESULT_MANUAL_NEEDED;
        return SP_OK;
    }
    *result = r.errors ? SP_RESULT_FAILED : SP_RESULT_PASSED;
    return SP_OK;
}

static sp_status email_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    return email_assess(ctx, out, result);
}

/* Adds the missing ValidPorts entries (journaled: undo restores the old value exactly), then
 * checks again so that the result says where the step stands. */
static sp_status email_apply(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    email_run r = {ctx, out, 0};
    sp_sys *sys = ctx->sys;
    sp_regval old = {0}, val = {0};
    char fqdn[256], internal[320];
    const char *hosts[3];
    sp_status st;
    if (!ctx->info || ctx->info->exchange == SP_EXCHANGE_NONE ||
        sp_email_target_get(ctx->state) != SP_EMAIL_TARGET_O365) {
        st = add(&r, SP_SEV_INFO, "email.apply_not_o365", IDS_F_EMAIL_APPLY_NOT_O365, 0, NULL, NULL);
        return st == SP_OK ? email_assess(ctx, out, result) : st;
    }
    external_name(&r, fqdn, sizeof fqdn);
    validports_hosts(&r, fqdn, internal, hosts);
    st = sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, RPCPROXY_KEY, "ValidPorts", &old);
    if (st == SP_ERR_NOTFOUND) {
        st = SP_OK;
        old.type = SP_REG_SZ;
    } else if (st == SP_OK && old.type != SP_REG_SZ && old.type != SP_REG_EXPAND_SZ) {
        st = sp_sys_fail(sys, SP_ERR_BADDATA, "%s\\ValidPorts is not a string value (type %d)",
                         RPCPROXY_KEY, (int)old.type);
    }
    if (st != SP_OK) {
        sp_regval_free(&old);
        *result = SP_RESULT_ERROR;
        return add(&r, SP_SEV_ERROR, "email.apply_failed", IDS_F_COULD_NOT_RUN, IDS_F_COULD_NOT_RUN_ADVICE,
                   "ValidPorts", sys->last_error);
    }
    const char *text = old.data ? (const char *)old.data : "";
    char *missing = sp_validports_missing(text, hosts, 3);
    char *next = missing ? sp_validports_append(text, missing) : NULL;
    if (!missing || !next) {
        st = SP_ERR_NOMEM;
    } else if (!missing[0]) {
        st = add(&r, SP_SEV_INFO, "email.apply_nothing", IDS_F_EMAIL_APPLY_NOTHING, 0, NULL, NULL);
    } else {
        sp_progress(ctx, 100, "ValidPorts");
        if ((st = sp_regval_set_sz(&val, next)) == SP_OK) {
            val.type = old.type; /* keep EXPAND_SZ if that is what it was */
            st = sp_journal_reg_set(ctx->journal, "email", SP_REG_VIEW_DEFAULT, RPCPROXY_KEY, "ValidPorts", &val);
        }
        if (st == SP_OK)
            st = add(&r, SP_SEV_INFO, "email.validports_added", IDS_F_EMAIL_VALIDPORTS_ADDED, 0, missing, next);
        else if (st != SP_ERR_NOMEM) {
            *result = SP_RESULT_ERROR;
            st = add(&r, SP_SEV_ERROR, "email.apply_failed", IDS_F_COULD_NOT_RUN, IDS_F_COULD_NOT_RUN_ADVICE,
                     "ValidPorts", sys->last_error);
            goto done;
        }
    }
    if (st == SP_OK)
        st = email_assess(ctx, out, result);
done:
    sp_regval_free(&old);
    sp_regval_free(&val);
    free(missing);
    free(next);
    return st;
}

const sp_step sp_step_email = {"email", email_check, email_apply};
