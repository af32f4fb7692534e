/* Health rules on Active Directory: the DC role, functional levels, FSMO owners, other DCs, Exchange mode. */
#include "core/health/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msgids.h"
#include "core/base/strutil.h"

#define SRC_MPT "SBS 2011 Migration Preparation Tool"
#define SRC_BPA "SBS Best Practices Analyzer"
#define SRC_STEP1 "Microsoft, Step 1: Prepare your Source Server"

static void rule_not_dc(sp_health_scan *scan, const sp_rule *rule)
{
    if (!scan->ctx->info->is_dc)
        sp_rule_fire(scan, rule, NULL, "product type %u (2 is a domain controller)",
                     scan->ctx->info->os.product_type);
}

static void rule_ldap_unreachable(sp_health_scan *scan, const sp_rule *rule)
{
    if (scan->ctx->info->is_dc && !sp_rule_ldap(scan))
        sp_rule_fire(scan, rule, NULL, "%s", scan->ldap_error);
}

static const char *level_name(int level)
{
    static const char *const names[] = {"Windows 2000", "Windows Server 2003 interim",
                                        "Windows Server 2003", "Windows Server 2008",
                                        "Windows Server 2008 R2"};
    return level >= 0 && level < 5 ? names[level] : "newer than Windows Server 2008 R2";
}

static void rule_domain_level(sp_health_scan *scan, const sp_rule *rule)
{
    if (sp_rule_ldap(scan) && scan->domain_level >= 0 && scan->domain_level < 2)
        sp_rule_fire(scan, rule, level_name(scan->domain_level),
                     "rootDSE domainFunctionality = %d (2 or more needed)", scan->domain_level);
}

static void rule_forest_level(sp_health_scan *scan, const sp_rule *rule)
{
    if (sp_rule_ldap(scan) && scan->forest_level >= 0 && scan->forest_level < 2)
        sp_rule_fire(scan, rule, level_name(scan->forest_level),
                     "rootDSE forestFunctionality = %d (2 or more needed)", scan->forest_level);
}

/* "CN=NTDS Settings,CN=SRV2,CN=Servers,..." names the server SRV2. */
static void server_of(const char *dsa, char *out, size_t outlen)
{
    const char *p = strchr(dsa, ',');
    size_t n;
    if (!p || sp_strnicmp(p + 1, "CN=", 3) != 0) {
        snprintf(out, outlen, "%s", dsa);
        return;
    }
    p += 4;
    n = strcspn(p, ",");
    snprintf(out, outlen, "%.*s", (int)n, p);
}

static void check_role(sp_health_scan *scan, const sp_rule *rule, const char *dn)
{
    char owner[512], name[128];
    if (!sp_rule_ldap(scan) || !dn[0] || !scan->server_dsa[0])
        return;
    if (sp_rule_ldap_get(scan, rule, dn, "fSMORoleOwner", owner, sizeof owner) != 1)
        return;
    if (sp_stricmp(owner, scan->server_dsa) == 0)
        return;
    server_of(owner, name, sizeof name);
    sp_rule_fire(scan, rule, name, "fSMORoleOwner of %s is %s; this server is %s", dn, owner,
                 scan->server_dsa);
}

static void rule_pdc(sp_health_scan *scan, const sp_rule *rule)
{
    if (sp_rule_ldap(scan))
        check_role(scan, rule, scan->default_nc);
}

static void rule_rid(sp_health_scan *scan, const sp_rule *rule)
{
    char dn[600];
    if (!sp_rule_ldap(scan))
        return;
    snprintf(dn, sizeof dn, "CN=RID Manager$,CN=System,%s", scan->default_nc);
    check_role(scan, rule, dn);
}

static void rule_infra(sp_health_scan *scan, const sp_rule *rule)
{
    char dn[600];
    if (!sp_rule_ldap(scan))
        return;
    snprintf(dn, sizeof dn, "CN=Infrastructure,%s", scan->default_nc);
    check_role(scan, rule, dn);
}

static void rule_schema(sp_health_scan *scan, const sp_rule *rule)
{
    if (sp_rule_ldap(scan))
        check_role(scan, rule, scan->schema_nc);
}

static void rule_naming(sp_health_scan *scan, const sp_rule *rule)
{
    char dn[600];
    if (!sp_rule_ldap(scan) || !scan->config_nc[0])
        return;
    snprintf(dn, sizeof dn, "CN=Partitions,%s", scan->config_nc);
    check_role(scan, rule, dn);
}

typedef struct {
    const char *self;
    unsigned others;
    char names[512];
} dc_list;

static int count_dc(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    dc_list *l = user;
    char name[128];
    size_t len = strlen(l->names);
    (void)attrs;
    (void)count;
    if (sp_stricmp(dn, l->self) == 0)
        return 0;
    l->others++;
    server_of(dn, name, sizeof name);
    snprintf(l->names + len, sizeof l->names - len, "%s%s", len ? ", " : "", name);
    return 0;
}

static void rule_other_dcs(sp_health_scan *scan, const sp_rule *rule)
{
    static const char *const attrs[] = {"objectClass", NULL};
    dc_list l = {scan->server_dsa, 0, ""};
    char arg[16];
    if (!sp_rule_ldap(scan) || !scan->config_nc[0])
        return;
    if (sp_rule_ldap_search(scan, rule, scan->config_nc, 1, "(objectClass=nTDSDSA)", attrs,
                            count_dc, &l) != SP_OK ||
        l.others == 0)
        return;
    snprintf(arg, sizeof arg, "%u", l.others);
    sp_rule_fire(scan, rule, arg, "NTDS Settings objects of other servers: %s", l.names);
}

static void rule_single_label(sp_health_scan *scan, const sp_rule *rule)
{
    const char *dom = scan->ctx->info->os.domain;
    if (dom[0] && !strchr(dom, '.'))
        sp_rule_fire(scan, rule, dom, "DNS domain name \"%s\" has no dot", dom);
}

typedef struct {
    int mixed;
    char dn[512];
} mixed_mode;

static int find_mixed(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    mixed_mode *m = user;
    for (size_t i = 0; i < count; i++)
        if (sp_stricmp(attrs[i].name, "msExchMixedMode") == 0 && attrs[i].count &&
            sp_stricmp(attrs[i].values[0], "TRUE") == 0) {
            m->mixed = 1;
            snprintf(m->dn, sizeof m->dn, "%s", dn);
            return 1;
        }
    return 0;
}

static void rule_exchange_mixed(sp_health_scan *scan, const sp_rule *rule)
{
    static const char *const attrs[] = {"msExchMixedMode", NULL};
    mixed_mode m = {0, ""};
    if (scan->ctx->info->exchange != SP_EXCHANGE_2003 || !sp_rule_ldap(scan) || !scan->config_nc[0])
        return;
    if (sp_rule_ldap_search(scan, rule, scan->config_nc, 1,
                            "(objectClass=msExchOrganizationContainer)", attrs, find_mixed,
                            &m) == SP_OK &&
        m.mixed)
        sp_rule_fire(scan, rule, NULL, "msExchMixedMode = TRUE on %s", m.dn);
}

const sp_rule sp_rules_ad[] = {
    SP_RULE("ad.not_dc", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, NOT_DC, SRC_STEP1, rule_not_dc),
    SP_RULE("ad.unreachable", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, LDAP_UNREACHABLE, SRC_BPA,
         rule_ldap_unreachable),
    SP_RULE("ad.domain_level", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, DOMAIN_LEVEL, SRC_MPT,
         rule_domain_level),
    SP_RULE("ad.forest_level", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, FOREST_LEVEL, SRC_MPT,
         rule_forest_level),
    SP_RULE("ad.pdc_role", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, PDC_ELSEWHERE, SRC_BPA, rule_pdc),
    SP_RULE("ad.rid_role", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, RID_ELSEWHERE, SRC_BPA, rule_rid),
    SP_RULE("ad.infra_role", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, INFRA_ELSEWHERE, SRC_BPA,
         rule_infra),
    SP_RULE("ad.schema_role", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, SCHEMA_ELSEWHERE, SRC_BPA,
         rule_schema),
    SP_RULE("ad.naming_role", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, NAMING_ELSEWHERE, SRC_BPA,
         rule_naming),
    SP_RULE("ad.other_dcs", SP_HC_AD, SP_HOS_ALL, SP_SEV_WARNING, OTHER_DCS,
         "Windows Server Solutions BPA", rule_other_dcs),
    SP_RULE("ad.single_label", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, SINGLE_LABEL, SRC_MPT,
         rule_single_label),
    SP_RULE("exchange.mixed_mode", SP_HC_EXCHANGE, SP_HOS_2003, SP_SEV_ERROR, EXCHANGE_MIXED,
         "SBS 2003 BPA", rule_exchange_mixed),
};
const size_t sp_rules_ad_count = sizeof sp_rules_ad / sizeof sp_rules_ad[0];
