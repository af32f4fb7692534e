/* Health rules on SYSVOL, event logs, storage, updates and time. */
#include "core/health/rules.h"

#include <stdio.h>
#include <string.h>

#include "core/msgids.h"
#include "core/base/strutil.h"
#include "core/timesync/timesync.h"

#define SRC_BPA "SBS Best Practices Analyzer"
#define SRC_MPT "SBS 2011 Migration Preparation Tool"
#define DAY (24 * 3600)
#define GB (1024ull * 1024 * 1024)

static void rule_share(sp_health_scan *scan, const sp_rule *rule, const char *share)
{
    sp_sys *sys = scan->ctx->sys;
    sp_regval v = {0};
    sp_status st;
    if (!scan->ctx->info->is_dc)
        return;
    st = sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT,
                           "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Shares", share,
                           &v);
    sp_regval_free(&v);
    if (st == SP_ERR_NOTFOUND)
        sp_rule_fire(scan, rule, share, "no %s value under LanmanServer\\Shares", share);
    else if (st != SP_OK)
        sp_rule_not_run(scan, rule, "LanmanServer\\Shares %s: %s", share, sys->last_error);
}

static void rule_sysvol_share(sp_health_scan *scan, const sp_rule *rule)
{
    rule_share(scan, rule, "SYSVOL");
}

static void rule_netlogon_share(sp_health_scan *scan, const sp_rule *rule)
{
    rule_share(scan, rule, "NETLOGON");
}

static void rule_sysvol_ready(sp_health_scan *scan, const sp_rule *rule)
{
    uint32_t v = 1;
    if (scan->ctx->info->is_dc &&
        sp_rule_reg_dword(scan, rule,
                          "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Netlogon\\Parameters",
                          "SysvolReady", &v) == 1 &&
        v != 1) {
        char arg[16];
        snprintf(arg, sizeof arg, "%u", (unsigned)v);
        sp_rule_fire(scan, rule, arg, "Netlogon\\Parameters SysvolReady = %u", (unsigned)v);
    }
}

/* ---- Event logs ---------------------------------------------------------------------- */

static void rule_journal_wrap(sp_health_scan *scan, const sp_rule *rule)
{
    static const unsigned ids[] = {13568, 0};
    sp_event_count c = {"NtFrs", ids, 0, 0, 0, 0};
    /* A SYSVOL on DFSR alone no longer depends on FRS: an old wrap in its log is history. */
    if (scan->ctx->info->is_dc && sp_rule_sysvol(scan)->state == SP_SYSVOL_DFSR)
        return;
    if (sp_rule_count_events(scan, rule, "File Replication Service", scan->now - 7 * DAY, &c)) {
        char arg[16];
        snprintf(arg, sizeof arg, "%u", c.count);
        sp_rule_fire(scan, rule, arg,
                     "File Replication Service log: NtFrs 13568 x%u, the newest %lld hours ago",
                     c.count, (long long)((scan->now - c.newest) / 3600));
    }
}

static void rule_dfsr_journal(sp_health_scan *scan, const sp_rule *rule)
{
    static const unsigned ids[] = {2213, 2212, 2104, 0};
    sp_event_count c = {"DFSR", ids, 0, 0, 0, 0};
    if (sp_rule_count_events(scan, rule, "DFS Replication", scan->now - 7 * DAY, &c)) {
        char arg[16];
        snprintf(arg, sizeof arg, "%u", c.first_id);
        sp_rule_fire(scan, rule, arg, "DFS Replication log: %u events (2213, 2212, 2104), newest %u",
                     c.count, c.first_id);
    }
}

static void rule_repl_errors(sp_health_scan *scan, const sp_rule *rule)
{
    /* 1388 and 1988 (lingering objects) are repl.lingering_objects'. */
    static const unsigned ids[] = {1311, 1864, 2042, 0};
    sp_event_count c = {NULL, ids, 0, 0, 0, 0};
    if (sp_rule_count_events(scan, rule, "Directory Service", scan->now - 7 * DAY, &c)) {
        char arg[16];
        snprintf(arg, sizeof arg, "%u", c.first_id);
        sp_rule_fire(scan, rule, arg,
                     "Directory Service log: %u replication events (1311, 1864, 2042), "
                     "newest %u",
                     c.count, c.first_id);
    }
}

static void errors_in_log(sp_health_scan *scan, const sp_rule *rule, const char *log)
{
    sp_event_count c = {NULL, NULL, 1, 0, 0, 0};
    if (sp_rule_count_events(scan, rule, log, scan->now - DAY, &c)) {
        char arg[16];
        snprintf(arg, sizeof arg, "%u", c.count);
        sp_rule_fire(scan, rule, arg, "%s log: %u error events in 24 hours, the newest with ID %u",
                     log, c.count, c.first_id);
    }
}

static void rule_system_errors(sp_health_scan *scan, const sp_rule *rule)
{
    errors_in_log(scan, rule, "System");
}

static void rule_ds_errors(sp_health_scan *scan, const sp_rule *rule)
{
    if (scan->ctx->info->is_dc)
        errors_in_log(scan, rule, "Directory Service");
}

/* ---- Storage ------------------------------------------------------------------------- */

/* Fires when the volume of path has less than min_gb or 10 %; skips the volume of skip_like. */
static void check_volume(sp_health_scan *scan, const sp_rule *rule, const char *path,
                         const char *skip_like, unsigned min_gb)
{
    sp_sys *sys = scan->ctx->sys;
    uint64_t free_b = 0, total = 0;
    char drive[4], arg[64];
    sp_status st;
    if (!path[0] || path[1] != ':' || !sys->ops->disk_space)
        return;
    if (skip_like && skip_like[0] && sp_strnicmp(path, skip_like, 2) == 0)
        return;
    snprintf(drive, sizeof drive, "%c:\\", path[0]);
    st = sys->ops->disk_space(sys, drive, &free_b, &total);
    if (st != SP_OK) {
        sp_rule_not_run(scan, rule, "free space of %s: %s", drive, sys->last_error);
        return;
    }
    if (total == 0 || (free_b >= (uint64_t)min_gb * GB && free_b * 10 >= total))
        return;
    snprintf(arg, sizeof arg, "%.1f GB (%u %%)", (double)free_b / (double)GB,
             (unsigned)(free_b * 100 / total));
    sp_rule_fire(scan, rule, arg, "%s: %llu of %llu bytes free (%s holds it)", drive,
                 (unsigned long long)free_b, (unsigned long long)total, path);
}

static void windows_dir(sp_health_scan *scan, char *out, size_t outlen)
{
    if (scan->ctx->sys->ops->folder(scan->ctx->sys, SP_FOLDER_WINDOWS, out, outlen) != SP_OK)
        snprintf(out, outlen, "C:\\WINDOWS");
}

static void rule_system_disk(sp_health_scan *scan, const sp_rule *rule)
{
    char win[260];
    windows_dir(scan, win, sizeof win);
    check_volume(scan, rule, win, NULL, 4);
}

static void rule_ad_disk(sp_health_scan *scan, const sp_rule *rule)
{
    char win[260], dit[260];
    windows_dir(scan, win, sizeof win);
    if (scan->ctx->info->is_dc &&
        sp_reg_get_string(scan->ctx->sys, SP_REG_VIEW_DEFAULT,
                          "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NTDS\\Parameters",
                          "DSA Database file", dit, sizeof dit) == SP_OK)
        check_volume(scan, rule, dit, win, 2);
}

static void rule_exchange_disk(sp_health_scan *scan, const sp_rule *rule)
{
    /* Where each release records its installation folder. */
    static const struct {
        const char *key, *value;
    } where[] = {{"HKLM\\SOFTWARE\\Microsoft\\Exchange\\Setup", "Services"},
                 {"HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup", "MsiInstallPath"},
                 {"HKLM\\SOFTWARE\\Microsoft\\Exchange\\v8.0\\Setup", "MsiInstallPath"}};
    char win[260], path[260];
    if (scan->ctx->info->exchange == SP_EXCHANGE_NONE)
        return;
    windows_dir(scan, win, sizeof win);
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++)
        if (sp_reg_get_string(scan->ctx->sys, SP_REG_VIEW_DEFAULT, where[i].key, where[i].value,
                              path, sizeof path) == SP_OK) {
            check_volume(scan, rule, path, win, 4);
            return;
        }
}

/* ---- Updates and time ----------------------------------------------------------------- */

static int any_name(void *user, const char *name)
{
    (void)name;
    *(int *)user = 1;
    return 1;
}

static int key_exists(sp_sys *sys, const char *key)
{
    int any = 0;
    return sys->ops->reg_enum_values(sys, SP_REG_VIEW_DEFAULT, key, any_name, &any) == SP_OK ||
           sys->ops->reg_enum_keys(sys, SP_REG_VIEW_DEFAULT, key, any_name, &any) == SP_OK;
}

static void rule_reboot(sp_health_scan *scan, const sp_rule *rule)
{
    sp_sys *sys = scan->ctx->sys;
    sp_regval v = {0};
    const char *why = NULL;
    if (sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT,
                          "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager",
                          "PendingFileRenameOperations", &v) == SP_OK &&
        v.size > 2)
        why = "PendingFileRenameOperations";
    sp_regval_free(&v);
    if (!why && key_exists(sys, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
                                "WindowsUpdate\\Auto Update\\RebootRequired"))
        why = "Windows Update RebootRequired";
    if (!why && key_exists(sys, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\"
                                "Component Based Servicing\\RebootPending"))
        why = "Component Based Servicing RebootPending";
    if (why)
        sp_rule_fire(scan, rule, why, "%s is set in the registry", why);
}

static void rule_old_sp(sp_health_scan *scan, const sp_rule *rule)
{
    const sp_osinfo *os = &scan->ctx->info->os;
    char arg[16];
    if (os->major == 5 && os->sp_major < 2)
        sp_rule_fire(scan, rule, os->csd[0] ? os->csd : sp_arg_ref(arg, sizeof arg, IDS_HA_NO_SERVICE_PACK, NULL),
                     "Windows %u.%u build %u, service pack %u", os->major, os->minor, os->build,
                     os->sp_major);
}

static void rule_exchange_sp(sp_health_scan *scan, const sp_rule *rule)
{
    const sp_sysinfo *info = scan->ctx->info;
    if (info->exchange == SP_EXCHANGE_2003 && info->exchange_sp < 2) {
        char arg[16];
        snprintf(arg, sizeof arg, "%u", info->exchange_sp);
        sp_rule_fire(scan, rule, arg, "%s, service pack %u", info->exchange_name, info->exchange_sp);
    }
}

/* The PDC emulator is the root of the domain's time: NT5DS or NoSync there means its CMOS clock. */
static void rule_local_clock(sp_health_scan *scan, const sp_rule *rule)
{
    static const char key[] = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters";
    char type[64] = "", server[256] = "", owner[512], arg[96];
    if (!scan->ctx->info->is_dc)
        return;
    if (sp_rule_ldap(scan) &&
        sp_rule_ldap_value(scan, scan->default_nc, "fSMORoleOwner", owner, sizeof owner) &&
        sp_stricmp(owner, scan->server_dsa) != 0)
        return; /* not the PDC emulator: the domain hierarchy is right for it */
    if (sp_reg_get_string(scan->ctx->sys, SP_REG_VIEW_DEFAULT, key, "Type", type, sizeof type) !=
        SP_OK)
        return;
    sp_reg_get_string(scan->ctx->sys, SP_REG_VIEW_DEFAULT, key, "NtpServer", server, sizeof server);
    /* The same test as the time sync step's, which owns the verdict (the measured offset). */
    if (sp_timesync_own_clock(type, server)) {
        sp_arg_ref(arg, sizeof arg, IDS_HA_OWN_CLOCK, type);
        sp_rule_fire(scan, rule, arg, "W32Time\\Parameters Type = %s, NtpServer = %s", type,
                     server[0] ? server : "(none)");
    }
}

const sp_rule sp_rules_misc[] = {
    SP_RULE("frs.sysvol_share", SP_HC_FRS, SP_HOS_ALL, SP_SEV_ERROR, NO_SYSVOL_SHARE, SRC_BPA,
         rule_sysvol_share),
    SP_RULE("frs.netlogon_share", SP_HC_FRS, SP_HOS_ALL, SP_SEV_ERROR, NO_NETLOGON_SHARE, SRC_BPA,
         rule_netlogon_share),
    SP_RULE("frs.sysvol_ready", SP_HC_FRS, SP_HOS_ALL, SP_SEV_ERROR, SYSVOL_NOT_READY,
         "Microsoft KB 947022", rule_sysvol_ready),
    SP_RULE("frs.journal_wrap", SP_HC_FRS, SP_HOS_ALL, SP_SEV_ERROR, FRS_JOURNAL_WRAP,
         "SBS 2003 BPA; Microsoft KB 290762", rule_journal_wrap),
    SP_RULE("frs.dfsr_journal", SP_HC_FRS, SP_HOS_2008, SP_SEV_ERROR, DFSR_JOURNAL, "SBS 2011 BPA",
         rule_dfsr_journal),
    SP_RULE("ad.replication_errors", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, REPL_ERRORS,
         "Windows Server Solutions BPA", rule_repl_errors),
    SP_RULE("events.system", SP_HC_EVENTS, SP_HOS_ALL, SP_SEV_WARNING, SYSTEM_ERRORS, SRC_BPA,
         rule_system_errors),
    SP_RULE("events.directory", SP_HC_EVENTS, SP_HOS_ALL, SP_SEV_WARNING, DS_ERRORS, SRC_BPA,
         rule_ds_errors),
    SP_RULE("storage.system", SP_HC_STORAGE, SP_HOS_ALL, SP_SEV_WARNING, SYSTEM_DISK_LOW, SRC_BPA,
         rule_system_disk),
    SP_RULE("storage.ad", SP_HC_STORAGE, SP_HOS_ALL, SP_SEV_WARNING, AD_DISK_LOW, SRC_BPA,
         rule_ad_disk),
    SP_RULE("storage.exchange", SP_HC_STORAGE, SP_HOS_ALL, SP_SEV_WARNING, EXCHANGE_DISK_LOW,
         "Exchange Best Practices Analyzer", rule_exchange_disk),
    SP_RULE("updates.reboot_pending", SP_HC_UPDATES, SP_HOS_ALL, SP_SEV_WARNING, REBOOT_PENDING,
         SRC_MPT, rule_reboot),
    SP_RULE("updates.service_pack", SP_HC_UPDATES, SP_HOS_2003, SP_SEV_ERROR, OLD_SERVICE_PACK,
         "Microsoft, Step 1: Prepare your Source Server", rule_old_sp),
    SP_RULE("exchange.service_pack", SP_HC_EXCHANGE, SP_HOS_2003, SP_SEV_ERROR, EXCHANGE_OLD_SP,
         "Microsoft, Step 1: Prepare your Source Server", rule_exchange_sp),
    SP_RULE("time.local_clock", SP_HC_TIME, SP_HOS_ALL, SP_SEV_WARNING, LOCAL_CLOCK,
         "SBS Best Practices Analyzer (Windows Time)", rule_local_clock),
};
const size_t sp_rules_misc_count = sizeof sp_rules_misc / sizeof sp_rules_misc[0];
