/* What the policy step reads from Active Directory: the domain, the GPO's version, logon scripts. */
#include "core/policy/policy_ad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"

void sp_policy_dn_to_domain(const char *dn, char *out, size_t outlen)
{
    size_t w = 0;
    const char *p = dn;
    if (!outlen)
        return;
    out[0] = '\0';
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (sp_strnicmp(p, "DC=", 3) == 0) {
            p += 3;
            if (w && w + 1 < outlen)
                out[w++] = '.';
            while (*p && *p != ',' && w + 1 < outlen)
                out[w++] = *p++;
            out[w] = '\0';
        }
        while (*p && *p != ',')
            p++;
    }
}

int sp_policy_names_sbs_script(const char *script_path)
{
    const char *base = script_path, *p;
    if (!script_path)
        return 0;
    for (p = script_path; *p; p++)
        if (*p == '\\' || *p == '/')
            base = p + 1;
    base = sp_skip_space(base);
    size_t n = strlen(SP_SBS_SCRIPT);
    if (sp_strnicmp(base, SP_SBS_SCRIPT, n) != 0)
        return 0;
    return *sp_skip_space(base + n) == '\0';
}

static const char *attr_value(const sp_ldap_attr *attrs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (sp_stricmp(attrs[i].name, name) == 0 && attrs[i].count > 0)
            return attrs[i].values[0];
    return NULL;
}

static int take_root(void *user, const char *dn, const sp_ldap_attr *attrs, size_t n)
{
    sp_policy_ad *ad = user;
    const char *v = attr_value(attrs, n, "defaultNamingContext");
    (void)dn;
    if (v)
        sp_strlcpy(ad->domain_dn, v, sizeof ad->domain_dn);
    return 1;
}

static int take_gpo(void *user, const char *dn, const sp_ldap_attr *attrs, size_t n)
{
    sp_policy_ad *ad = user;
    const char *v = attr_value(attrs, n, "versionNumber");
    unsigned long long x = 0;
    (void)dn;
    if (!v)
        return 1;
    ad->has_version = 1;
    sp_strlcpy(ad->version_text, v, sizeof ad->version_text);
    if (!*v)
        ad->version_bad = 1;
    /* AD keeps it as a signed 32-bit integer: a negative value is the same bits. */
    int neg = *v == '-';
    for (const char *p = v + neg; *p; p++) {
        if (*p < '0' || *p > '9' || x > 0xFFFFFFFFull) {
            ad->version_bad = 1;
            break;
        }
        x = x * 10 + (unsigned)(*p - '0');
    }
    if (x > (neg ? 0x80000000ull : 0xFFFFFFFFull))
        ad->version_bad = 1;
    ad->version = neg ? (uint32_t)(0x100000000ull - x) : (uint32_t)x;
    return 1;
}

static int take_user(void *user, const char *dn, const sp_ldap_attr *attrs, size_t n)
{
    sp_policy_ad *ad = user;
    const char *script = attr_value(attrs, n, "scriptPath");
    const char *sam = attr_value(attrs, n, "sAMAccountName");
    sp_policy_user *grown;
    if (!sp_policy_names_sbs_script(script))
        return 0;
    if (!(grown = realloc(ad->users, (ad->user_count + 1) * sizeof *grown)))
        return 1;
    ad->users = grown;
    sp_strlcpy(grown[ad->user_count].dn, dn, sizeof grown->dn);
    if (sam) {
        sp_strlcpy(grown[ad->user_count].name, sam, sizeof grown->name);
    } else {
        /* CN=Jane Doe,OU=... gives "Jane Doe". */
        const char *s = strchr(dn, '=') ? strchr(dn, '=') + 1 : dn;
        size_t k = strcspn(s, ",");
        if (k >= sizeof grown->name)
            k = sizeof grown->name - 1;
        memcpy(grown[ad->user_count].name, s, k);
        grown[ad->user_count].name[k] = '\0';
    }
    ad->user_count++;
    return 0;
}

sp_status sp_policy_ad_read(sp_sys *sys, const sp_ldap_target *target, sp_policy_ad *ad)
{
    static const char *const root_attrs[] = {"defaultNamingContext", NULL};
    static const char *const gpo_attrs[] = {"versionNumber", NULL};
    static const char *const user_attrs[] = {"scriptPath", "sAMAccountName", NULL};
    sp_ldap_conn *c = NULL;
    sp_status st;

    memset(ad, 0, sizeof *ad);
    if (!sys->ops->ldap_connect)
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "This backend has no LDAP client.");
    if ((st = sys->ops->ldap_connect(sys, target, &c)) != SP_OK)
        return st;
    st = sys->ops->ldap_search(sys, c, "", 0, "(objectClass=*)", root_attrs, take_root, ad);
    if (st == SP_OK && !ad->domain_dn[0])
        st = sp_sys_fail(sys, SP_ERR_BADDATA,
                         "The LDAP server's rootDSE has no defaultNamingContext: it is not a domain controller.");
    if (st == SP_OK) {
        snprintf(ad->gpo_dn, sizeof ad->gpo_dn, "CN=%s,CN=Policies,CN=System,%s", SP_DDCP_GUID,
                 ad->domain_dn);
        st = sys->ops->ldap_search(sys, c, ad->gpo_dn, 0, "(objectClass=*)", gpo_attrs, take_gpo, ad);
        if (st == SP_ERR_NOTFOUND)
            sp_sys_fail(sys, st, "Active Directory has no Default Domain Controllers Policy at %s.",
                        ad->gpo_dn);
    }
    if (st == SP_OK)
        st = sys->ops->ldap_search(sys, c, ad->domain_dn, 1, "(&(objectClass=user)(scriptPath=*))",
                                   user_attrs, take_user, ad);
    sys->ops->ldap_close(sys, c);
    if (st != SP_OK)
        sp_policy_ad_free(ad);
    return st;
}

void sp_policy_ad_free(sp_policy_ad *ad)
{
    free(ad->users);
    ad->users = NULL;
    ad->user_count = 0;
}
