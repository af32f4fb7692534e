/* What the policy step reads from Active Directory: the domain, the GPO's version, logon scripts. */
#ifndef SP_POLICY_AD_H
#define SP_POLICY_AD_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"
#include "core/sys/sys.h"
#include "core/sysvol.h" /* SP_DDCP_GUID */

#define SP_SBS_SCRIPT "SBS_LOGIN_SCRIPT.bat"

typedef struct {
    char dn[512];
    char name[128]; /* sAMAccountName, or the DN's first RDN */
} sp_policy_user;

typedef struct {
    char domain_dn[400];   /* defaultNamingContext of the rootDSE */
    char gpo_dn[520];      /* the Default Domain Controllers Policy's groupPolicyContainer */
    int has_version;
    int version_bad;       /* versionNumber present but not a number */
    uint32_t version;
    char version_text[32];
    sp_policy_user *users; /* accounts whose scriptPath names SBS_LOGIN_SCRIPT.bat */
    size_t user_count;
} sp_policy_ad;

/* Connects to target and reads the above. On failure sys->last_error says why. */
sp_status sp_policy_ad_read(sp_sys *sys, const sp_ldap_target *target, sp_policy_ad *out);
void sp_policy_ad_free(sp_policy_ad *ad);

/* Pure helpers, exposed for tests. */
/* "DC=contoso,DC=local" to "contoso.local"; "" when dn has no DC= parts. */
void sp_policy_dn_to_domain(const char *dn, char *out, size_t outlen);
/* Does a scriptPath value ("SBS_LOGIN_SCRIPT.bat", "\\\\srv\\netlogon\\sbs_login_script.bat")
 * name the SBS logon script? */
int sp_policy_names_sbs_script(const char *script_path);

#endif
