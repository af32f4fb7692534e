/* Health rules on services: the domain controller's, replication's, Exchange's and IIS's run; roles to move or remove. */
#include "core/health/rules.h"

#include <stdio.h>
#include <string.h>

#include "core/msgids.h"

#define SRC_BPA "SBS Best Practices Analyzer"

/* The state and start type as sc.exe names them (data, in any language); the state's words
 * for a finding's %1 are the string table's (IDS_SVC_*). */
static const char *state_code(sp_svc_state s)
{
    switch (s) {
    case SP_SVC_STOPPED: return "STOPPED";
    case SP_SVC_START_PENDING: return "START_PENDING";
    case SP_SVC_STOP_PENDING: return "STOP_PENDING";
    case SP_SVC_PAUSED: return "PAUSED";
    case SP_SVC_RUNNING: return "RUNNING";
    default: return "UNKNOWN";
    }
}

static unsigned state_words(sp_svc_state s)
{
    switch (s) {
    case SP_SVC_STOPPED: return IDS_SVC_STOPPED;
    case SP_SVC_START_PENDING: return IDS_SVC_STARTING;
    case SP_SVC_STOP_PENDING: return IDS_SVC_STOPPING;
    case SP_SVC_PAUSED: return IDS_SVC_PAUSED;
    default: return IDS_SVC_UNKNOWN_STATE;
    }
}

static const char *start_code(sp_svc_start s)
{
    static const char *const names[] = {"BOOT_START", "SYSTEM_START", "AUTO_START", "DEMAND_START",
                                        "DISABLED"};
    return (unsigned)s < 5 ? names[s] : "UNKNOWN";
}

/* required: a missing service fires too (a DC without Netlogon); otherwise it is quiet. */
static void check_service(sp_health_scan *scan, const sp_rule *rule, const char *name,
                          int required)
{
    sp_sys *sys = scan->ctx->sys;
    sp_svcinfo si;
    char arg[16];
    sp_status st = sys->ops->svc_query(sys, name, &si);
    if (st == SP_ERR_NOTFOUND) {
        if (required)
            sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_SVC_MISSING, NULL),
                         "%s: ERROR_SERVICE_DOES_NOT_EXIST", name);
        return;
    }
    if (st != SP_OK) {
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_SVC_UNREADABLE, NULL), "%s: %s", name,
                     sys->last_error);
        return;
    }
    if (si.state != SP_SVC_RUNNING)
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, si.start_type == SP_SVC_START_DISABLED
                                                                 ? IDS_SVC_DISABLED
                                                                 : state_words(si.state), NULL),
                     "%s: STATE %s, START_TYPE %s", name, state_code(si.state),
                     start_code(si.start_type));
}

static int dc(sp_health_scan *s) { return s->ctx->info->is_dc; }
static int exchange(sp_health_scan *s) { return s->ctx->info->exchange != SP_EXCHANGE_NONE; }

#define SVC_RULE(fn, svc, required, cond)                                                       \
    static void fn(sp_health_scan *scan, const sp_rule *rule)                                   \
    {                                                                                           \
        if (cond)                                                                               \
            check_service(scan, rule, svc, required);                                           \
    }

SVC_RULE(rule_netlogon, "Netlogon", 1, dc(scan))
SVC_RULE(rule_ntds, "NTDS", 1, dc(scan))
SVC_RULE(rule_dns, "DNS", 1, dc(scan))
SVC_RULE(rule_kdc, "kdc", 1, dc(scan))
SVC_RULE(rule_w32time, "W32Time", 1, 1)
SVC_RULE(rule_rpcss, "RpcSs", 1, 1)
SVC_RULE(rule_exch_is, "MSExchangeIS", 1, exchange(scan))
SVC_RULE(rule_exch_sa, "MSExchangeSA", 1, exchange(scan))
SVC_RULE(rule_smtp, "SMTPSVC", 1, scan->ctx->info->exchange == SP_EXCHANGE_2003)
SVC_RULE(rule_iis, "W3SVC", 1, scan->ctx->info->is_sbs)

/* NtFrs must run while FRS serves or still replicates SYSVOL (Start, Prepared, Redirected), DFSR
 * once the migration is prepared or SYSVOL was created on it (rules_sysvol.c reads which). A
 * DFSR SYSVOL never asks for NtFrs; when the state cannot be read, the rule says so. */
static void rule_frs_service(sp_health_scan *scan, const sp_rule *rule)
{
    const sp_sysvol_repl *r;
    if (!dc(scan))
        return;
    r = sp_rule_sysvol(scan);
    if (r->state == SP_SYSVOL_UNKNOWN)
        sp_rule_not_run(scan, rule, "which replication serves SYSVOL is unknown: %s", r->evidence);
    else if (r->state != SP_SYSVOL_DFSR)
        check_service(scan, rule, "NtFrs", 1);
}

static void rule_dfsr_service(sp_health_scan *scan, const sp_rule *rule)
{
    sp_sysvol_state s;
    if (!dc(scan))
        return;
    s = sp_rule_sysvol(scan)->state;
    if (s != SP_SYSVOL_UNKNOWN && s != SP_SYSVOL_FRS)
        check_service(scan, rule, "DFSR", 1);
}

/* A role's service: installed (and, when only a running one matters, not disabled). */
static void check_role(sp_health_scan *scan, const sp_rule *rule, const char *name,
                       int even_disabled)
{
    sp_sys *sys = scan->ctx->sys;
    sp_svcinfo si;
    sp_status st = sys->ops->svc_query(sys, name, &si);
    if (st == SP_ERR_NOTFOUND)
        return;
    if (st != SP_OK) {
        sp_rule_not_run(scan, rule, "%s: %s", name, sys->last_error);
        return;
    }
    if (even_disabled || si.start_type != SP_SVC_START_DISABLED)
        sp_rule_fire(scan, rule, NULL, "%s: STATE %s, START_TYPE %s", name, state_code(si.state),
                     start_code(si.start_type));
}

/* Clients keep their leases only while this server's DHCP Server serves them. */
static void rule_dhcp_role(sp_health_scan *scan, const sp_rule *rule)
{
    check_role(scan, rule, "DHCPServer", 0);
}

/* dcpromo refuses to demote a domain controller that holds a certification authority. */
static void rule_cert_services(sp_health_scan *scan, const sp_rule *rule)
{
    if (dc(scan))
        check_role(scan, rule, "CertSvc", 1);
}

const sp_rule sp_rules_svc[] = {
    SP_RULE("svc.netlogon", SP_HC_SVC, SP_HOS_ALL, SP_SEV_ERROR, SVC_NETLOGON, SRC_BPA, rule_netlogon),
    SP_RULE("svc.ntds", SP_HC_SVC, SP_HOS_2008, SP_SEV_ERROR, SVC_NTDS, "SBS 2008/2011 BPA", rule_ntds),
    SP_RULE("svc.dns", SP_HC_DNS, SP_HOS_ALL, SP_SEV_ERROR, SVC_DNS, SRC_BPA, rule_dns),
    SP_RULE("svc.kdc", SP_HC_SVC, SP_HOS_ALL, SP_SEV_ERROR, SVC_KDC, SRC_BPA, rule_kdc),
    SP_RULE("svc.w32time", SP_HC_TIME, SP_HOS_ALL, SP_SEV_WARNING, SVC_W32TIME, SRC_BPA, rule_w32time),
    SP_RULE("svc.rpcss", SP_HC_SVC, SP_HOS_ALL, SP_SEV_ERROR, SVC_RPCSS, SRC_BPA, rule_rpcss),
    SP_RULE("svc.ntfrs", SP_HC_FRS, SP_HOS_ALL, SP_SEV_ERROR, SVC_NTFRS, "SBS 2003 BPA",
         rule_frs_service),
    SP_RULE("svc.dfsr", SP_HC_FRS, SP_HOS_2008, SP_SEV_ERROR, SVC_DFSR, "SBS 2011 BPA",
         rule_dfsr_service),
    SP_RULE("svc.exchange_is", SP_HC_EXCHANGE, SP_HOS_ALL, SP_SEV_ERROR, SVC_EXCHANGE_IS,
         "Exchange Best Practices Analyzer", rule_exch_is),
    SP_RULE("svc.exchange_sa", SP_HC_EXCHANGE, SP_HOS_ALL, SP_SEV_ERROR, SVC_EXCHANGE_SA,
         "Exchange Best Practices Analyzer", rule_exch_sa),
    SP_RULE("svc.smtp", SP_HC_EXCHANGE, SP_HOS_2003, SP_SEV_ERROR, SVC_SMTP, "SBS 2003 BPA", rule_smtp),
    SP_RULE("svc.iis", SP_HC_IIS, SP_HOS_ALL, SP_SEV_ERROR, SVC_IIS, SRC_BPA, rule_iis),
    SP_RULE("roles.dhcp_server", SP_HC_ROLES, SP_HOS_ALL, SP_SEV_WARNING, DHCP_ROLE,
         "Microsoft, Windows Server Essentials migration (Move settings and data: DHCP)",
         rule_dhcp_role),
    SP_RULE("roles.cert_services", SP_HC_ROLES, SP_HOS_ALL, SP_SEV_WARNING, CERT_SERVICES,
         "Microsoft, Windows Server Essentials migration (Demote the Source Server); dcpromo",
         rule_cert_services),
};
const size_t sp_rules_svc_count = sizeof sp_rules_svc / sizeof sp_rules_svc[0];
