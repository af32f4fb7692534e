/* Health rules of the Essentials Migration Preparation Tool (Microsoft KB 2908959): the MyBusiness OUs, the DDCP's rights. */
#include "core/health/rules.h"

#include <stdio.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/msgids.h"
#include "core/policy/gptinf.h"

#define SRC_EMPT "Essentials Migration Preparation Tool (Microsoft KB 2908959)"

/* The OUs SBS 2003 and SBS 2008 create under the domain, parents first. */
static const char *const mybusiness[] = {
    "OU=MyBusiness",
    "OU=Computers,OU=MyBusiness",
    "OU=SBSComputers,OU=Computers,OU=MyBusiness",
    "OU=SBSServers,OU=Computers,OU=MyBusiness",
    "OU=Distribution Groups,OU=MyBusiness",
    "OU=Security Groups,OU=MyBusiness",
    "OU=Users,OU=MyBusiness",
    "OU=SBSUsers,OU=Users,OU=MyBusiness",
};

static void rule_mybusiness(sp_health_scan *scan, const sp_rule *rule)
{
    sp_product p = scan->ctx->info->product;
    char dn[700], cls[64], missing[1200] = "", arg[16];
    unsigned n = 0;
    if ((p != SP_PRODUCT_SBS2003 && p != SP_PRODUCT_SBS2008) || !sp_rule_ldap(scan))
        return;
    for (size_t i = 0; i < sizeof mybusiness / sizeof mybusiness[0]; i++) {
        size_t len = strlen(missing);
        snprintf(dn, sizeof dn, "%s,%.600s", mybusiness[i], scan->default_nc);
        switch (sp_rule_ldap_get(scan, rule, dn, "objectClass", cls, sizeof cls)) {
        case 1:
            continue;
        case 0:
            n++;
            snprintf(missing + len, sizeof missing - len, "%s%s", len ? "; " : "", dn);
            continue;
        default:
            return; /* said: the rule could not run */
        }
    }
    if (!n)
        return;
    snprintf(arg, sizeof arg, "%u", n);
    sp_rule_fire(scan, rule, arg, "not in Active Directory: %s", missing);
}

static int is_administrators(const char *account)
{
    return sp_stricmp(account, "*S-1-5-32-544") == 0 || sp_stricmp(account, "Administrators") == 0 ||
           sp_stricmp(account, "BUILTIN\\Administrators") == 0;
}

/* Fires unless the DDCP's GptTmpl.inf grants right to the built-in Administrators group (as the
 * tool reads the policy: a right the policy does not define is not granted by it). */
static void check_right(sp_health_scan *scan, const sp_rule *rule, const char *right)
{
    const unsigned char *data;
    const char *path;
    size_t size;
    sp_inf_match m;
    sp_status st;
    char accounts[800] = "";
    int granted = 0;
    if (!scan->ctx->info->is_dc)
        return;
    if (!sp_rule_ddcp_inf(scan, &data, &size, &path)) {
        sp_rule_not_run(scan, rule, "the Default Domain Controllers Policy's GptTmpl.inf: %s",
                        scan->ddcp_error);
        return;
    }
    st = sp_inf_find(data, size, "Privilege Rights", right, &m);
    if (st != SP_OK || !m.is_template) {
        sp_rule_not_run(scan, rule, "%s is not a security template (%s)", path,
                        st != SP_OK ? sp_status_name(st) : "no [Version] signature");
        if (st == SP_OK)
            sp_inf_match_free(&m);
        return;
    }
    for (size_t i = 0; i < m.account_count; i++) {
        size_t len = strlen(accounts);
        granted |= is_administrators(m.accounts[i]);
        snprintf(accounts + len, sizeof accounts - len, "%s%s", len ? "," : "", m.accounts[i]);
    }
    if (!granted && m.line_found)
        sp_rule_fire(scan, rule, NULL, "%s: %s = %s", path, right, accounts);
    else if (!granted)
        sp_rule_fire(scan, rule, NULL, "%s: %s is not defined", path, right);
    sp_inf_match_free(&m);
}

static void rule_delegation(sp_health_scan *scan, const sp_rule *rule)
{
    check_right(scan, rule, "SeEnableDelegationPrivilege");
}

/* SBS 2011's migration asks for it; the tool checks it there. */
static void rule_batch(sp_health_scan *scan, const sp_rule *rule)
{
    sp_product p = scan->ctx->info->product;
    if (p == SP_PRODUCT_SBS2011_STANDARD || p == SP_PRODUCT_SBS2011_ESSENTIALS)
        check_right(scan, rule, "SeBatchLogonRight");
}

const sp_rule sp_rules_mpt[] = {
    SP_RULE("ad.mybusiness_ou", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, MYBUSINESS_OU, SRC_EMPT,
         rule_mybusiness),
    SP_RULE("ad.delegation_right", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, DELEGATION_RIGHT, SRC_EMPT,
         rule_delegation),
    SP_RULE("ad.batch_right", SP_HC_AD, SP_HOS_2008, SP_SEV_ERROR, BATCH_RIGHT, SRC_EMPT,
         rule_batch),
};
const size_t sp_rules_mpt_count = sizeof sp_rules_mpt / sizeof sp_rules_mpt[0];
