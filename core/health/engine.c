/* The rules engine: runs each rule that applies to this server, with progress and cancel. */
#include "core/health/rules.h"
#include "core/base/strutil.h"
#include "core/msgids.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const sp_rule *table;
    const size_t *count;
} rule_tables[] = {
    {sp_rules_ad, &sp_rules_ad_count},
    {sp_rules_net, &sp_rules_net_count},
    {sp_rules_svc, &sp_rules_svc_count},
    {sp_rules_misc, &sp_rules_misc_count},
    {sp_rules_sysvol, &sp_rules_sysvol_count},
    {sp_rules_mpt, &sp_rules_mpt_count},
    {sp_rules_repl, &sp_rules_repl_count},
    {sp_rules_exchange, &sp_rules_exchange_count},
    {sp_rules_dcdiag, &sp_rules_dcdiag_count},
    {sp_rules_dns, &sp_rules_dns_count},
};

size_t sp_rule_total(void)
{
    size_t n = 0;
    for (size_t t = 0; t < sizeof rule_tables / sizeof rule_tables[0]; t++)
        n += *rule_tables[t].count;
    return n;
}

const sp_rule *sp_rule_at(size_t i)
{
    for (size_t t = 0; t < sizeof rule_tables / sizeof rule_tables[0]; t++) {
        if (i < *rule_tables[t].count)
            return &rule_tables[t].table[i];
        i -= *rule_tables[t].count;
    }
    return NULL;
}

const sp_rule *sp_rule_for_code(const char *code)
{
    size_t n = sp_rule_total();
    if (!code || strncmp(code, "health.", 7) != 0)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(sp_rule_at(i)->id, code + 7) == 0)
            return sp_rule_at(i);
    return NULL;
}

/* A finding that cannot be recorded stops the scan: passing without it would hide it. */
static void record(sp_health_scan *scan, sp_severity sev, const char *code, unsigned title_id,
                   unsigned advice_id, const char *arg, const char *evidence)
{
    sp_status st;
    if (scan->failed != SP_OK)
        return;
    st = sp_findings_add(scan->out, sev, code, title_id, advice_id, arg, evidence);
    if (st != SP_OK)
        scan->failed = sp_sys_fail(scan->ctx->sys, st,
                                   "The health scan could not record its finding %s (%s).", code,
                                   sp_status_name(st));
}

void sp_rule_fire(sp_health_scan *scan, const sp_rule *rule, const char *arg,
                  const char *evidence_fmt, ...)
{
    char code[48], evidence[1024];
    va_list ap;
    snprintf(code, sizeof code, "health.%s", rule->id);
    va_start(ap, evidence_fmt);
    vsnprintf(evidence, sizeof evidence, evidence_fmt, ap);
    va_end(ap);
    record(scan, rule->severity, code, rule->title_id, rule->advice_id, arg, evidence);
}

void sp_rule_not_run(sp_health_scan *scan, const sp_rule *rule, const char *why_fmt, ...)
{
    char code[48], why[1024];
    va_list ap;
    if (scan->not_run_said)
        return;
    scan->not_run_said = 1;
    snprintf(code, sizeof code, "health.scan.%s", rule->id);
    va_start(ap, why_fmt);
    vsnprintf(why, sizeof why, why_fmt, ap);
    va_end(ap);
    record(scan, SP_SEV_WARNING, code, IDS_F_HEALTH_RULE_NOT_RUN, IDS_F_HEALTH_ENGINE_FAILED_ADVICE,
           rule->id, why);
}

typedef struct {
    char *out;
    size_t outlen;
    const char *attr;
    int found;
} first_value;

static int take_first(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    first_value *fv = user;
    (void)dn;
    for (size_t i = 0; i < count; i++)
        if (sp_stricmp(attrs[i].name, fv->attr) == 0 && attrs[i].count > 0) {
            snprintf(fv->out, fv->outlen, "%s", attrs[i].values[0]);
            fv->found = 1;
            return 1;
        }
    return 0;
}

int sp_rule_ldap_value(sp_health_scan *scan, const char *dn, const char *attr, char *out,
                       size_t outlen)
{
    sp_sys *sys = scan->ctx->sys;
    const char *attrs[] = {attr, NULL};
    first_value fv = {out, outlen, attr, 0};
    if (outlen)
        out[0] = '\0';
    if (!scan->ldap)
        return 0;
    if (sys->ops->ldap_search(sys, scan->ldap, dn, 0, "(objectClass=*)", attrs, take_first, &fv) !=
        SP_OK)
        return 0;
    return fv.found;
}

int sp_rule_ldap_get(sp_health_scan *scan, const sp_rule *rule, const char *dn, const char *attr,
                     char *out, size_t outlen)
{
    const char *attrs[] = {attr, NULL};
    first_value fv = {out, outlen, attr, 0};
    sp_status st;
    if (outlen)
        out[0] = '\0';
    st = sp_rule_ldap_search(scan, rule, dn, 0, "(objectClass=*)", attrs, take_first, &fv);
    if (st == SP_ERR_NOTFOUND)
        return 0;
    return st == SP_OK ? fv.found : -1;
}

sp_status sp_rule_ldap_search(sp_health_scan *scan, const sp_rule *rule, const char *base,
                              int subtree, const char *filter, const char *const *attrs,
                              sp_ldap_entry_cb cb, void *user)
{
    sp_sys *sys = scan->ctx->sys;
    sp_status st;
    if (!sp_rule_ldap(scan))
        return SP_ERR_IO; /* quiet: ad.unreachable (or ad.not_dc) says why, once */
    st = sys->ops->ldap_search(sys, scan->ldap, base, subtree, filter, attrs, cb, user);
    if (rule && st != SP_OK && st != SP_ERR_NOTFOUND)
        sp_rule_not_run(scan, rule, "LDAP search of %s for %s: %s", base[0] ? base : "the rootDSE",
                        filter, sys->last_error);
    return st;
}

int sp_rule_ldap(sp_health_scan *scan)
{
    sp_sys *sys = scan->ctx->sys;
    char level[32];
    if (scan->ldap_tried)
        return scan->ldap != NULL;
    scan->ldap_tried = 1;
    scan->domain_level = scan->forest_level = -1;
    /* Only a domain controller has a directory on localhost; another server needs /ldap:HOST. */
    if (!scan->ctx->info->is_dc &&
        !(scan->ctx->ldap && scan->ctx->ldap->host && *scan->ctx->ldap->host)) {
        snprintf(scan->ldap_error, sizeof scan->ldap_error,
                 "This server is not a domain controller and no /ldap:HOST was given.");
        return 0;
    }
    if (!sys->ops->ldap_connect ||
        sys->ops->ldap_connect(sys, scan->ctx->ldap, &scan->ldap) != SP_OK) {
        snprintf(scan->ldap_error, sizeof scan->ldap_error, "%s", sys->last_error);
        scan->ldap = NULL;
        return 0;
    }
    sp_rule_ldap_value(scan, "", "defaultNamingContext", scan->default_nc, sizeof scan->default_nc);
    sp_rule_ldap_value(scan, "", "configurationNamingContext", scan->config_nc,
                       sizeof scan->config_nc);
    sp_rule_ldap_value(scan, "", "schemaNamingContext", scan->schema_nc, sizeof scan->schema_nc);
    sp_rule_ldap_value(scan, "", "dsServiceName", scan->server_dsa, sizeof scan->server_dsa);
    if (sp_rule_ldap_value(scan, "", "domainFunctionality", level, sizeof level))
        scan->domain_level = atoi(level);
    if (sp_rule_ldap_value(scan, "", "forestFunctionality", level, sizeof level))
        scan->forest_level = atoi(level);
    if (!scan->default_nc[0]) {
        snprintf(scan->ldap_error, sizeof scan->ldap_error,
                 "The rootDSE has no defaultNamingContext.");
        sys->ops->ldap_close(sys, scan->ldap);
        scan->ldap = NULL;
        return 0;
    }
    return 1;
}

sp_status sp_rules_run(sp_health_scan *scan)
{
    size_t n = sp_rule_total();
    for (size_t i = 0; i < n; i++) {
        const sp_rule *rule = sp_rule_at(i);
        if (sp_cancelled(scan->ctx))
            return SP_ERR_CANCELLED;
        sp_progress(scan->ctx, (unsigned)(i * 1000 / n), rule->id);
        scan->not_run_said = 0;
        if (rule->os & scan->os)
            rule->run(scan, rule);
        if (scan->failed != SP_OK)
            return scan->failed;
    }
    sp_progress(scan->ctx, 1000, "");
    return SP_OK;
}

void sp_rules_scan_close(sp_health_scan *scan)
{
    if (scan->ldap)
        scan->ctx->sys->ops->ldap_close(scan->ctx->sys, scan->ldap);
    scan->ldap = NULL;
    sp_rule_reads_free(scan);
}
