/* Health rules on SYSVOL's replication: FRS or DFSR (the DFSR migration state), FRS's events and morphed folders. */
#include "core/health/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/msgids.h"
#include "core/sysvol.h"

#define DAY (24 * 3600)
#define SRC_FRSEVENT "dcdiag /test:frsevent"
#define FRS_LOG "File Replication Service"
/* On a 2008 or later DC, where dfsrmig leaves this DC's own migration state. */
#define MIGRATING_KEY                                                                           \
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\DFSR\\Parameters\\SysVols\\Migrating SysVols"

static const char *const state_names[] = {"Start", "Prepared", "Redirected", "Eliminated"};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void add_evidence(sp_sysvol_repl *r, const char *fmt, ...)
{
    size_t n = strlen(r->evidence);
    char part[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(part, sizeof part, fmt, ap);
    va_end(ap);
    snprintf(r->evidence + n, sizeof r->evidence - n, "%s%s", n ? "; " : "", part);
}

/* dfsrmig's global state, from the directory (the PDC's copy on the PDC itself): msDFSR-Flags
 * of CN=DFSR-GlobalSettings,CN=System,<domain> is 0 Start, 16 Prepared, 32 Redirected,
 * 48 Eliminated. A domain created at the Windows Server 2008 functional level never migrated:
 * it has the DFSR replication group "Domain System Volume" from the start. An FRS domain has
 * the FRS replica set "Domain System Volume (SYSVOL share)" instead. */
static void read_global(sp_health_scan *scan, sp_sysvol_repl *r)
{
    char dn[700], flags[32];
    int got;
    if (!sp_rule_ldap(scan)) {
        add_evidence(r, "Active Directory cannot be read (%s)", scan->ldap_error);
        return;
    }
    snprintf(dn, sizeof dn, "CN=DFSR-GlobalSettings,CN=System,%.600s", scan->default_nc);
    got = sp_rule_ldap_get(scan, NULL, dn, "msDFSR-Flags", flags, sizeof flags);
    if (got == 1) {
        unsigned long v = strtoul(flags, NULL, 10);
        r->global = (int)((v & 0x30u) >> 4);
        snprintf(flags + strlen(flags), sizeof flags - strlen(flags), " (%s)",
                 state_names[r->global]);
        add_evidence(r, "msDFSR-Flags of CN=DFSR-GlobalSettings = %s", flags);
        return;
    }
    if (got < 0) {
        add_evidence(r, "%s: %s", dn, scan->ctx->sys->last_error);
        return;
    }
    snprintf(dn, sizeof dn, "CN=Domain System Volume,CN=DFSR-GlobalSettings,CN=System,%.600s",
             scan->default_nc);
    got = sp_rule_ldap_get(scan, NULL, dn, "objectClass", flags, sizeof flags);
    if (got == 1) {
        r->global = 3;
        add_evidence(r, "the DFSR replication group %s exists, without migration flags", dn);
        return;
    }
    snprintf(dn, sizeof dn,
             "CN=Domain System Volume (SYSVOL share),CN=File Replication Service,CN=System,%.550s",
             scan->default_nc);
    got = sp_rule_ldap_get(scan, NULL, dn, "objectClass", flags, sizeof flags);
    if (got == 1) {
        r->global = 0;
        add_evidence(r, "no DFSR migration state; the FRS replica set %s exists", dn);
    } else {
        add_evidence(r, "neither DFSR-GlobalSettings nor the FRS replica set of SYSVOL is in %s",
                     scan->default_nc);
    }
}

/* This DC's state, from its registry: Local State 0-3 as above, other values while it moves. */
static void read_local(sp_health_scan *scan, sp_sysvol_repl *r)
{
    uint32_t v = 0;
    char text[64];
    int got = sp_rule_reg_dword(scan, NULL, MIGRATING_KEY, "Local State", &v);
    if (got == 1) {
        r->local = (int)(v > 0x7fffffffu ? 0x7fffffff : v);
        snprintf(text, sizeof text, "%u (%s)", (unsigned)v, v < 4 ? state_names[v] : "migrating");
        add_evidence(r, "Migrating SysVols\\Local State = %s", text);
    } else if (got < 0) {
        add_evidence(r, "Migrating SysVols\\Local State: %s", scan->ctx->sys->last_error);
    }
}

const sp_sysvol_repl *sp_rule_sysvol(sp_health_scan *scan)
{
    static const sp_sysvol_state by_state[] = {SP_SYSVOL_FRS, SP_SYSVOL_PREPARED,
                                               SP_SYSVOL_REDIRECTED, SP_SYSVOL_DFSR};
    sp_sysvol_repl *r = &scan->sysvol;
    if (scan->sysvol_tried)
        return r;
    scan->sysvol_tried = 1;
    memset(r, 0, sizeof *r);
    r->global = r->local = -1;
    if (scan->ctx->info->os.major < 6) {
        r->state = SP_SYSVOL_FRS;
        add_evidence(r, "Windows Server 2003 replicates SYSVOL with FRS only");
        return r;
    }
    read_global(scan, r);
    read_local(scan, r);
    /* This DC's own state decides which service serves its SYSVOL; the global one otherwise. */
    if (r->local >= 0)
        r->state = r->local < 4 ? by_state[r->local] : SP_SYSVOL_MIGRATING;
    else if (r->global >= 0)
        r->state = by_state[r->global];
    return r;
}

static int frs_in_use(sp_health_scan *scan)
{
    return scan->ctx->info->is_dc && sp_rule_sysvol(scan)->state != SP_SYSVOL_DFSR;
}

static void rule_sysvol_frs(sp_health_scan *scan, const sp_rule *rule)
{
    const sp_sysvol_repl *r;
    if (!scan->ctx->info->is_dc)
        return;
    r = sp_rule_sysvol(scan);
    if (r->state == SP_SYSVOL_FRS)
        sp_rule_fire(scan, rule, NULL, "%s", r->evidence);
}

/* Prepared or Redirected here or domain-wide, or this DC between two states. */
static void rule_dfsr_migrating(sp_health_scan *scan, const sp_rule *rule)
{
    const sp_sysvol_repl *r;
    const char *where = NULL;
    if (!scan->ctx->info->is_dc)
        return;
    r = sp_rule_sysvol(scan);
    if (r->state == SP_SYSVOL_MIGRATING)
        where = "between two states";
    else if (r->state == SP_SYSVOL_PREPARED || r->state == SP_SYSVOL_REDIRECTED)
        where = state_names[r->state == SP_SYSVOL_PREPARED ? 1 : 2];
    else if (r->global == 1 || r->global == 2)
        where = state_names[r->global];
    if (where)
        sp_rule_fire(scan, rule, where, "%s", r->evidence);
}

/* FRS cannot reach a partner (13508) and has not reached it since (13509). */
static void rule_frs_partner(sp_health_scan *scan, const sp_rule *rule)
{
    static const unsigned lost[] = {13508, 0}, back[] = {13509, 0};
    sp_event_count c = {"NtFrs", lost, 0, 0, 0, 0}, ok = {"NtFrs", back, 0, 0, 0, 0};
    char arg[16];
    if (!frs_in_use(scan) || !sp_rule_count_events(scan, rule, FRS_LOG, scan->now - 7 * DAY, &c))
        return;
    sp_rule_count_events(scan, rule, FRS_LOG, scan->now - 7 * DAY, &ok);
    if (ok.count && ok.newest >= c.newest)
        return;
    snprintf(arg, sizeof arg, "%u", c.count);
    sp_rule_fire(scan, rule, arg,
                 "%s log: NtFrs 13508 x%u, the newest %lld hours ago; no 13509 after it", FRS_LOG,
                 c.count, (long long)((scan->now - c.newest) / 3600));
}

static void frs_event(sp_health_scan *scan, const sp_rule *rule, unsigned id)
{
    const unsigned ids[] = {id, 0};
    sp_event_count c = {"NtFrs", ids, 0, 0, 0, 0};
    char arg[16];
    if (!frs_in_use(scan) || !sp_rule_count_events(scan, rule, FRS_LOG, scan->now - 7 * DAY, &c))
        return;
    snprintf(arg, sizeof arg, "%u", c.count);
    sp_rule_fire(scan, rule, arg, "%s log: NtFrs %u x%u in 7 days, the newest %lld hours ago",
                 FRS_LOG, id, c.count, (long long)((scan->now - c.newest) / 3600));
}

static void rule_frs_staging(sp_health_scan *scan, const sp_rule *rule)
{
    frs_event(scan, rule, 13522);
}

static void rule_frs_root_moved(sp_health_scan *scan, const sp_rule *rule)
{
    frs_event(scan, rule, 13559);
}

/* ---- Morphed folders ----------------------------------------------------------------- */

typedef struct {
    char names[512];
    unsigned count;
} morphed;

static int note_morphed(void *user, const char *name, int is_dir)
{
    morphed *m = user;
    size_t n = strlen(m->names);
    if (!is_dir || !sp_stristr(name, "_NTFRS_"))
        return 0;
    m->count++;
    snprintf(m->names + n, sizeof m->names - n, "%s%s", n ? ", " : "", name);
    return 0;
}

/* FRS renames the second of two folders created with one name on two DCs "name_NTFRS_<hex>". */
static void rule_frs_morphed(sp_health_scan *scan, const sp_rule *rule)
{
    static const char *const where[] = {"", "\\Policies", "\\scripts"};
    sp_sys *sys = scan->ctx->sys;
    sp_sysvol at;
    morphed m = {"", 0};
    char dir[1200], arg[16];
    if (!frs_in_use(scan))
        return;
    if (sp_sysvol_locate(sys, scan->ctx->info, &at) != SP_OK || !at.domain[0]) {
        sp_rule_not_run(scan, rule, "no SYSVOL folder with the domain's folder at %s", at.sysvol);
        return;
    }
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        sp_status st;
        snprintf(dir, sizeof dir, "%s\\%s%s", at.sysvol, at.domain, where[i]);
        st = sys->ops->dir_enum(sys, dir, note_morphed, &m);
        if (st != SP_OK && st != SP_ERR_NOTFOUND) {
            sp_rule_not_run(scan, rule, "%s: %s", dir, sys->last_error);
            return;
        }
    }
    if (!m.count)
        return;
    snprintf(arg, sizeof arg, "%u", m.count);
    sp_rule_fire(scan, rule, arg, "under %s\\%s: %s", at.sysvol, at.domain, m.names);
}

const sp_rule sp_rules_sysvol[] = {
    SP_RULE("frs.sysvol_frs", SP_HC_FRS, SP_HOS_ALL, SP_SEV_INFO, SYSVOL_FRS,
         "Microsoft, SYSVOL migration from FRS to DFS Replication (dfsrmig)", rule_sysvol_frs),
    SP_RULE("frs.dfsr_migrating", SP_HC_FRS, SP_HOS_2008, SP_SEV_WARNING, DFSR_MIGRATING,
         "dfsrmig /getmigrationstate", rule_dfsr_migrating),
    SP_RULE("frs.partner_unreachable", SP_HC_FRS, SP_HOS_ALL, SP_SEV_WARNING, FRS_PARTNER,
         SRC_FRSEVENT, rule_frs_partner),
    SP_RULE("frs.staging_full", SP_HC_FRS, SP_HOS_ALL, SP_SEV_ERROR, FRS_STAGING, SRC_FRSEVENT,
         rule_frs_staging),
    SP_RULE("frs.root_moved", SP_HC_FRS, SP_HOS_ALL, SP_SEV_ERROR, FRS_ROOT_MOVED, SRC_FRSEVENT,
         rule_frs_root_moved),
    SP_RULE("frs.morphed_folders", SP_HC_FRS, SP_HOS_ALL, SP_SEV_WARNING, FRS_MORPHED,
         "Microsoft, FRS troubleshooting (morphed folders)", rule_frs_morphed),
};
const size_t sp_rules_sysvol_count = sizeof sp_rules_sysvol / sizeof sp_rules_sysvol[0];
