/* Health rules on the directory's replication and consistency: USN rollback, strict consistency, the last backup, inbound partners. */
#include "core/health/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/civil.h"
#include "core/base/strutil.h"
#include "core/health/replxml.h"
#include "core/msgids.h"

#define DAY (24 * 3600)
#define NTDS_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NTDS\\Parameters"
#define MAX_NEIGHBORS 16

/* USN rollback: the DSA stops itself ("Dsa Not Writable" = 4 under NTDS\Parameters; other values
 * are other reasons it refuses writes) and logs NTDS Replication event 2095. */
static void rule_usn_rollback(sp_health_scan *scan, const sp_rule *rule)
{
    static const unsigned ids[] = {2095, 0};
    sp_event_count c = {NULL, ids, 0, 0, 0, 0};
    uint32_t v = 0;
    char arg[48];
    if (!scan->ctx->info->is_dc)
        return;
    if (sp_rule_reg_dword(scan, rule, NTDS_KEY, "Dsa Not Writable", &v) == 1 && v != 0) {
        snprintf(arg, sizeof arg, "Dsa Not Writable = %u", (unsigned)v);
        sp_rule_fire(scan, rule, arg, "NTDS\\Parameters Dsa Not Writable = %u%s", (unsigned)v,
                     v == 4 ? " (USN rollback)" : "");
        return;
    }
    if (sp_rule_count_events(scan, rule, "Directory Service", scan->now - 7 * DAY, &c))
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_HA_EVENT, "2095"),
                     "Directory Service log: event 2095 x%u in 7 days, the newest %lld hours ago",
                     c.count, (long long)((scan->now - c.newest) / 3600));
}

/* Loose consistency (0, or no value: a forest upgraded from Windows 2000) lets a partner
 * bring back objects this DC deleted long ago. */
static void rule_strict(sp_health_scan *scan, const sp_rule *rule)
{
    char arg[16];
    uint32_t v = 0;
    int got;
    if (!scan->ctx->info->is_dc)
        return;
    got = sp_rule_reg_dword(scan, rule, NTDS_KEY, "Strict Replication Consistency", &v);
    if (got == 0)
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_HA_NOT_SET, NULL), "NTDS\\Parameters has no Strict Replication Consistency");
    else if (got == 1 && v == 0)
        sp_rule_fire(scan, rule, "0", "NTDS\\Parameters Strict Replication Consistency = 0");
}

/* tombstoneLifetime of CN=Directory Service,CN=Windows NT,CN=Services,<configuration>, in days;
 * without one the forest uses 60 (forests created before Windows Server 2003 SP1). */
static int tombstone_days(sp_health_scan *scan, const sp_rule *rule, unsigned *days)
{
    char dn[700], text[32];
    int got;
    snprintf(dn, sizeof dn, "CN=Directory Service,CN=Windows NT,CN=Services,%.600s",
             scan->config_nc);
    got = sp_rule_ldap_get(scan, rule, dn, "tombstoneLifetime", text, sizeof text);
    if (got < 0)
        return 0;
    *days = got == 1 ? (unsigned)strtoul(text, NULL, 10) : 60;
    if (*days == 0)
        *days = 60;
    return 1;
}

typedef struct {
    int values, bad, found;
    int64_t last_change;
} signature;

static int find_signature(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    signature *s = user;
    (void)dn;
    for (size_t i = 0; i < count; i++) {
        if (sp_stricmp(attrs[i].name, "msDS-ReplAttributeMetaData") != 0)
            continue;
        for (size_t k = 0; k < attrs[i].count; k++) {
            sp_repl_meta m;
            s->values++;
            if (sp_repl_meta_parse(attrs[i].values[k], strlen(attrs[i].values[k]), &m) != SP_OK)
                s->bad++;
            else if (sp_stricmp(m.attribute, "dSASignature") == 0) {
                s->found = 1;
                s->last_change = m.last_change;
            }
        }
    }
    return 1;
}

/* A backup of the system state writes dSASignature on each naming context: its metadata on the
 * domain's NC head is the last backup, as repadmin /showbackup reads it. */
static void rule_backup(sp_health_scan *scan, const sp_rule *rule)
{
    static const char *const attrs[] = {"msDS-ReplAttributeMetaData", NULL};
    signature s = {0, 0, 0, 0};
    unsigned days = 0;
    char arg[32], when[32];
    if (!scan->ctx->info->is_dc || !sp_rule_ldap(scan) || !scan->config_nc[0] ||
        !tombstone_days(scan, rule, &days))
        return;
    if (sp_rule_ldap_search(scan, rule, scan->default_nc, 0, "(objectClass=*)", attrs,
                            find_signature, &s) != SP_OK)
        return;
    if (!s.values) {
        sp_rule_not_run(scan, rule, "%s has no msDS-ReplAttributeMetaData (this directory does not "
                        "give replication metadata over LDAP)", scan->default_nc);
        return;
    }
    if (!s.found && s.bad) {
        sp_rule_not_run(scan, rule, "%d of %d msDS-ReplAttributeMetaData values of %s are not "
                        "DS_REPL_ATTR_META_DATA XML", s.bad, s.values, scan->default_nc);
        return;
    }
    if (!s.found) {
        sp_rule_fire(scan, rule, "?", "%s: no dSASignature metadata, no backup recorded; tombstone "
                     "lifetime %u days", scan->default_nc, days);
        return;
    }
    if (scan->now - s.last_change <= (int64_t)days * DAY)
        return;
    snprintf(arg, sizeof arg, "%lld", (long long)((scan->now - s.last_change) / DAY));
    sp_civil_format(s.last_change, when, sizeof when);
    sp_rule_fire(scan, rule, arg, "dSASignature of %s last written %s UTC; tombstone lifetime %u days",
                 scan->default_nc, when, days);
}

/* ---- Inbound partners --------------------------------------------------------------------- */

typedef struct {
    sp_repl_neighbor items[MAX_NEIGHBORS];
    size_t count;
    int bad;
} neighbors;

static int take_neighbors(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    neighbors *n = user;
    (void)dn;
    for (size_t i = 0; i < count; i++) {
        if (sp_stricmp(attrs[i].name, "msDS-ReplAllInboundNeighbors") != 0)
            continue;
        for (size_t k = 0; k < attrs[i].count && n->count < MAX_NEIGHBORS; k++) {
            if (sp_repl_neighbor_parse(attrs[i].values[k], strlen(attrs[i].values[k]),
                                       &n->items[n->count]) == SP_OK)
                n->count++;
            else
                n->bad++;
        }
    }
    return 1;
}

/* The rootDSE's msDS-ReplAllInboundNeighbors (Windows Server 2003 and later; the same data as
 * DsReplicaGetInfo's DS_REPL_INFO_NEIGHBORS). A DC without partners has no value: nothing to
 * check, as on a domain with a single DC, or on a directory that does not give it. */
static int read_neighbors(sp_health_scan *scan, const sp_rule *rule, neighbors *n)
{
    static const char *const attrs[] = {"msDS-ReplAllInboundNeighbors", NULL};
    memset(n, 0, sizeof *n);
    if (!scan->ctx->info->is_dc || !sp_rule_ldap(scan) ||
        sp_rule_ldap_search(scan, rule, "", 0, "(objectClass=*)", attrs, take_neighbors, n) !=
            SP_OK)
        return 0;
    if (n->bad) {
        sp_rule_not_run(scan, rule, "%d msDS-ReplAllInboundNeighbors values are not "
                        "DS_REPL_NEIGHBOR XML", n->bad);
        return 0;
    }
    return 1;
}

/* "CN=NTDS Settings,CN=OLDDC,..." is OLDDC. */
static void source_name(const sp_repl_neighbor *x, char *out, size_t outlen)
{
    const char *p = strchr(x->source_dsa, ',');
    if (p && sp_strnicmp(p + 1, "CN=", 3) == 0)
        snprintf(out, outlen, "%.*s", (int)strcspn(p + 4, ","), p + 4);
    else
        snprintf(out, outlen, "%s", x->source_dsa);
}

static void describe(const sp_repl_neighbor *x, char *out, size_t outlen)
{
    char ok[32] = "never";
    if (x->last_success)
        sp_civil_format(x->last_success, ok, sizeof ok);
    snprintf(out, outlen, "%s from %s: last result %u, %u failures in a row, last success %s",
             x->naming_context, x->source_dsa, (unsigned)x->last_result, (unsigned)x->failures, ok);
}

static void rule_inbound(sp_health_scan *scan, const sp_rule *rule)
{
    neighbors n;
    char name[128], ev[1200] = "";
    int first = -1;
    unsigned failing = 0;
    if (!read_neighbors(scan, rule, &n))
        return;
    for (size_t i = 0; i < n.count; i++) {
        size_t len = strlen(ev);
        if (!n.items[i].last_result && !n.items[i].failures)
            continue;
        failing++;
        if (first < 0)
            first = (int)i;
        if (len + 2 < sizeof ev) {
            snprintf(ev + len, sizeof ev - len, "%s", len ? "; " : "");
            len = strlen(ev);
            describe(&n.items[i], ev + len, sizeof ev - len);
        }
    }
    if (first < 0)
        return;
    source_name(&n.items[first], name, sizeof name);
    sp_rule_fire(scan, rule, name, "%u of %u inbound naming contexts failing: %s", failing,
                 (unsigned)n.count, ev);
}

static void rule_partner_tombstoned(sp_health_scan *scan, const sp_rule *rule)
{
    neighbors n;
    unsigned days = 0;
    char name[128], ev[600];
    if (!read_neighbors(scan, rule, &n) || !n.count || !scan->config_nc[0] ||
        !tombstone_days(scan, rule, &days))
        return;
    for (size_t i = 0; i < n.count; i++) {
        const sp_repl_neighbor *x = &n.items[i];
        if (!x->last_success || scan->now - x->last_success <= (int64_t)days * DAY)
            continue;
        source_name(x, name, sizeof name);
        describe(x, ev, sizeof ev);
        sp_rule_fire(scan, rule, name, "%s; tombstone lifetime %u days", ev, days);
        return;
    }
}

/* A forest created before Windows Server 2003 SP1 keeps the old 60 days (no value, or 60): a
 * backup or a partner older than that can no longer come back, and the migration's window is
 * shorter than on a forest with Microsoft's 180 days. */
static void rule_tombstone_short(sp_health_scan *scan, const sp_rule *rule)
{
    unsigned days = 0;
    char arg[16];
    if (!scan->ctx->info->is_dc || !sp_rule_ldap(scan) || !scan->config_nc[0] ||
        !tombstone_days(scan, rule, &days) || days >= 180)
        return;
    snprintf(arg, sizeof arg, "%u", days);
    sp_rule_fire(scan, rule, arg, "tombstoneLifetime of CN=Directory Service,CN=Windows NT,"
                 "CN=Services,%.600s: %u days (180 recommended)", scan->config_nc, days);
}

const sp_rule sp_rules_repl[] = {
    SP_RULE("repl.usn_rollback", SP_HC_REPL, SP_HOS_ALL, SP_SEV_ERROR, USN_ROLLBACK,
         "Microsoft KB 875495; dcdiag", rule_usn_rollback),
    SP_RULE("repl.strict_consistency", SP_HC_REPL, SP_HOS_ALL, SP_SEV_WARNING, STRICT_REPLICATION,
         "repadmin /regkey; Microsoft, lingering objects", rule_strict),
    SP_RULE("repl.backup_old", SP_HC_REPL, SP_HOS_ALL, SP_SEV_WARNING, BACKUP_OLD,
         "repadmin /showbackup; Microsoft KB 216993", rule_backup),
    SP_RULE("repl.inbound_failing", SP_HC_REPL, SP_HOS_ALL, SP_SEV_ERROR, INBOUND_FAILING,
         "repadmin /showrepl", rule_inbound),
    SP_RULE("repl.partner_tombstoned", SP_HC_REPL, SP_HOS_ALL, SP_SEV_ERROR, PARTNER_TOMBSTONED,
         "repadmin /showrepl; dcdiag /test:replications", rule_partner_tombstoned),
    SP_RULE("repl.tombstone_short", SP_HC_REPL, SP_HOS_ALL, SP_SEV_INFO, TOMBSTONE_SHORT,
         "Microsoft KB 216993; Windows Server 2003 SP1 (180 days)", rule_tombstone_short),
};
const size_t sp_rules_repl_count = sizeof sp_rules_repl / sizeof sp_rules_repl[0];
