/* The Backup step's directory reads: tombstoneLifetime and this server's Exchange stores. */
#include "core/backup/backup_ad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/sysinfo.h"

#define TOMBSTONE_DEFAULT_DAYS 60u

typedef struct {
    const char *attr;
    char value[300];
    int found;
} one_value;

static int take_value(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    one_value *v = user;
    (void)dn;
    for (size_t i = 0; i < count; i++)
        if (sp_stricmp(attrs[i].name, v->attr) == 0 && attrs[i].count) {
            sp_strlcpy(v->value, attrs[i].values[0], sizeof v->value);
            v->found = 1;
        }
    return 1;
}

typedef struct {
    sp_datavols *vols;
    char server[80]; /* "CN=SBS01," */
    char win;
    unsigned paths;
} exch_scan;

/* An Exchange store or storage group: its files count when it belongs to this server (its DN
 * lies under the server, 2003 and 2007, or msExchOwningServer names it, 2010). */
static int on_store(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    exch_scan *s = user;
    static const char *const files[] = {"msExchEDBFile", "msExchSLVFile", "msExchESEParamLogFilePath"};
    int mine = sp_stristr(dn, s->server);
    for (size_t i = 0; i < count; i++)
        if (sp_stricmp(attrs[i].name, "msExchOwningServer") == 0 && attrs[i].count)
            mine |= sp_stristr(attrs[i].values[0], s->server);
    if (!mine)
        return 0;
    for (size_t i = 0; i < count; i++)
        for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
            if (sp_stricmp(attrs[i].name, files[k]) == 0 && attrs[i].count) {
                s->paths++;
                if (s->vols)
                    sp_datavols_add(s->vols, attrs[i].values[0], s->win,
                                    k == 2 ? "the Exchange logs" : "an Exchange database", NULL);
            }
    return 0;
}

void sp_backup_ad_read(sp_run_ctx *ctx, sp_datavols *vols, sp_backup_ad *out)
{
    sp_sys *sys = ctx->sys;
    sp_ldap_conn *conn = NULL;
    static const char *const root_attrs[] = {"configurationNamingContext", NULL};
    static const char *const ts_attrs[] = {"tombstoneLifetime", NULL};
    static const char *const store_attrs[] = {"msExchEDBFile", "msExchSLVFile", "msExchESEParamLogFilePath",
                                              "msExchOwningServer", NULL};
    one_value config = {"configurationNamingContext", "", 0}, ts = {"tombstoneLifetime", "", 0};
    char dn[600], winfolder[300] = "C:\\WINDOWS";
    exch_scan scan;
    memset(out, 0, sizeof *out);
    out->tombstone_days = TOMBSTONE_DEFAULT_DAYS;
    if (!ctx->info || (!ctx->info->is_dc && !(ctx->ldap && ctx->ldap->host && ctx->ldap->host[0]))) {
        snprintf(out->error, sizeof out->error, "This server is not a domain controller.");
        return;
    }
    if (!sys->ops->ldap_connect || sys->ops->ldap_connect(sys, ctx->ldap, &conn) != SP_OK) {
        snprintf(out->error, sizeof out->error, "%s", sys->ops->ldap_connect ? sys->last_error : "no LDAP");
        return;
    }
    if (sys->ops->ldap_search(sys, conn, "", 0, "(objectClass=*)", root_attrs, take_value, &config) != SP_OK ||
        !config.found) {
        snprintf(out->error, sizeof out->error, "The rootDSE gave no configurationNamingContext: %.180s", sys->last_error);
        sys->ops->ldap_close(sys, conn);
        return;
    }
    snprintf(dn, sizeof dn, "CN=Directory Service,CN=Windows NT,CN=Services,%s", config.value);
    sp_status st = sys->ops->ldap_search(sys, conn, dn, 0, "(objectClass=*)", ts_attrs, take_value, &ts);
    if (st != SP_OK) {
        snprintf(out->error, sizeof out->error, "%.200s: %.50s", dn, sys->last_error);
        sys->ops->ldap_close(sys, conn);
        return;
    }
    out->read = 1;
    if (ts.found && atoi(ts.value) > 0)
        out->tombstone_days = (unsigned)atoi(ts.value);
    else
        out->tombstone_days = TOMBSTONE_DEFAULT_DAYS, out->tombstone_default = 1;
    /* Exchange: every store and storage group of this server (no Exchange: nothing found). */
    memset(&scan, 0, sizeof scan);
    scan.vols = vols;
    sys->ops->folder(sys, SP_FOLDER_WINDOWS, winfolder, sizeof winfolder);
    scan.win = winfolder[0];
    snprintf(scan.server, sizeof scan.server, "CN=%.60s,", ctx->info->os.computer);
    snprintf(dn, sizeof dn, "CN=Microsoft Exchange,CN=Services,%s", config.value);
    if (ctx->info->os.computer[0])
        sys->ops->ldap_search(sys, conn, dn, 1, "(|(objectClass=msExchMDB)(objectClass=msExchStorageGroup))",
                              store_attrs, on_store, &scan);
    out->exchange_paths = scan.paths;
    sys->ops->ldap_close(sys, conn);
}
