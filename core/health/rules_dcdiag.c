/* Health rules from dcdiag's tests read over LDAP: the DC's machine account, the RID pool, the AD-integrated DNS zones and the DC locator's records in them, lingering objects. */
#include "core/health/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/msgids.h"

#define DAY (24 * 3600)
#define UF_SERVER_TRUST_ACCOUNT 0x2000u
#define UF_TRUSTED_FOR_DELEGATION 0x80000u

/* "DC=fabrikam,DC=local" -> "fabrikam.local"; 0 when dn has no DC= part. */
static int dns_name_of(const char *dn, char *out, size_t outlen)
{
    size_t n = 0;
    if (outlen)
        out[0] = '\0';
    while (dn && *dn) {
        size_t len = strcspn(dn, ",");
        if (sp_strnicmp(dn, "DC=", 3) == 0 && len > 3) {
            int w = snprintf(out + n, outlen - n, "%s%.*s", n ? "." : "", (int)(len - 3), dn + 3);
            if (w < 0 || (size_t)w >= outlen - n)
                return 0;
            n += (size_t)w;
        }
        dn += len;
        if (*dn == ',')
            dn++;
    }
    return n > 0;
}

/* ---- dcdiag /test:MachineAccount ------------------------------------------------------- */

/* The DC's computer account (serverReference of its server object) must be in the Domain
 * Controllers OU and marked as a domain controller's account, trusted for delegation. */
static void rule_dc_account(sp_health_scan *scan, const sp_rule *rule)
{
    char server[600], computer[600], uac[32];
    const char *comma;
    unsigned long flags;
    int got;
    if (!scan->ctx->info->is_dc || !sp_rule_ldap(scan) || !scan->server_dsa[0])
        return;
    comma = strchr(scan->server_dsa, ',');
    if (!comma) {
        sp_rule_not_run(scan, rule, "the rootDSE's dsServiceName %s names no server object",
                        scan->server_dsa);
        return;
    }
    snprintf(server, sizeof server, "%s", comma + 1);
    got = sp_rule_ldap_get(scan, rule, server, "serverReference", computer, sizeof computer);
    if (got < 0)
        return;
    if (got == 0) {
        sp_rule_fire(scan, rule, "no computer account",
                     "%s has no serverReference: this DC's computer account is not linked", server);
        return;
    }
    got = sp_rule_ldap_get(scan, rule, computer, "userAccountControl", uac, sizeof uac);
    if (got < 0)
        return;
    if (got == 0) {
        sp_rule_fire(scan, rule, "no computer account",
                     "serverReference of %s is %s, which has no userAccountControl (missing)",
                     server, computer);
        return;
    }
    flags = strtoul(uac, NULL, 10);
    if (!(flags & UF_SERVER_TRUST_ACCOUNT) || !(flags & UF_TRUSTED_FOR_DELEGATION))
        sp_rule_fire(scan, rule, "not a domain controller's account",
                     "%s: userAccountControl = %lu (0x%lx), SERVER_TRUST_ACCOUNT 0x2000 %s, "
                     "TRUSTED_FOR_DELEGATION 0x80000 %s", computer, flags, flags,
                     flags & UF_SERVER_TRUST_ACCOUNT ? "set" : "not set",
                     flags & UF_TRUSTED_FOR_DELEGATION ? "set" : "not set");
    else if (!sp_stristr(computer, ",OU=Domain Controllers,"))
        sp_rule_fire(scan, rule, "outside the Domain Controllers OU",
                     "this DC's computer account is %s, not in OU=Domain Controllers", computer);
}

/* ---- dcdiag /test:RidManager ----------------------------------------------------------- */

/* rIDAvailablePool of CN=RID Manager$: the low 32 bits are the next RID the domain can hand out,
 * the high 32 bits its ceiling (2^30 - 1). Fires at 90 % used. */
static void rule_rid_pool(sp_health_scan *scan, const sp_rule *rule)
{
    char dn[700], text[32], arg[16];
    unsigned long long v, next, ceiling;
    char *end;
    int got;
    if (!scan->ctx->info->is_dc || !sp_rule_ldap(scan))
        return;
    snprintf(dn, sizeof dn, "CN=RID Manager$,CN=System,%.600s", scan->default_nc);
    got = sp_rule_ldap_get(scan, rule, dn, "rIDAvailablePool", text, sizeof text);
    if (got < 0)
        return;
    if (got == 0) {
        sp_rule_not_run(scan, rule, "%s has no rIDAvailablePool", dn);
        return;
    }
    v = strtoull(text, &end, 10);
    next = v & 0xffffffffull;
    ceiling = v >> 32;
    if (*end || !ceiling || next > ceiling) {
        sp_rule_not_run(scan, rule, "rIDAvailablePool of %s is not a RID range: %s", dn, text);
        return;
    }
    if (next * 10 < ceiling * 9)
        return;
    snprintf(arg, sizeof arg, "%llu%%", next * 100 / ceiling);
    sp_rule_fire(scan, rule, arg, "rIDAvailablePool of %s = %s: RIDs %llu to %llu left", dn, text,
                 next, ceiling);
}

/* ---- dcdiag /test:dns: the zones and the DC locator's records in Active Directory -------- */

/* Where Active Directory keeps DNS zones: the domain's and the forest's application partitions,
 * and the domain partition itself (Windows 2000-compatible storage, as SBS 2003 often has). */
typedef struct {
    char container[700];
    char zone[256];
    int found;
} zone_at;

/* Looks for zone in the three containers: 1 found (at->container set), 0 absent, -1 unreadable
 * (said). */
static int find_zone(sp_health_scan *scan, const sp_rule *rule, const char *zone, zone_at *at,
                     char *where, size_t wherelen)
{
    char forest[512], dn[1000], cls[64];
    const char *containers[3];
    char c1[700], c2[700], c3[700];
    size_t n = 0;
    if (sp_rule_ldap_get(scan, NULL, "", "rootDomainNamingContext", forest, sizeof forest) != 1)
        snprintf(forest, sizeof forest, "%s", scan->default_nc);
    snprintf(c1, sizeof c1, "CN=MicrosoftDNS,DC=DomainDnsZones,%.600s", scan->default_nc);
    snprintf(c2, sizeof c2, "CN=MicrosoftDNS,DC=ForestDnsZones,%.600s", forest);
    snprintf(c3, sizeof c3, "CN=MicrosoftDNS,CN=System,%.600s", scan->default_nc);
    containers[0] = c1;
    containers[1] = c2;
    containers[2] = c3;
    snprintf(at->zone, sizeof at->zone, "%s", zone);
    at->found = 0;
    if (wherelen)
        where[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        int got;
        snprintf(dn, sizeof dn, "DC=%s,%s", zone, containers[i]);
        got = sp_rule_ldap_get(scan, rule, dn, "objectClass", cls, sizeof cls);
        if (got < 0)
            return -1;
        if (got == 1) {
            snprintf(at->container, sizeof at->container, "%s", containers[i]);
            at->found = 1;
            return 1;
        }
        n = strlen(where);
        snprintf(where + n, wherelen - n, "%s%s", n ? "; " : "", dn);
    }
    return 0;
}

static void rule_zone_ad(sp_health_scan *scan, const sp_rule *rule)
{
    char domain[256], where[2200];
    zone_at at;
    if (!scan->ctx->info->is_dc || !sp_rule_ldap(scan))
        return;
    if (!dns_name_of(scan->default_nc, domain, sizeof domain)) {
        sp_rule_not_run(scan, rule, "the domain %s has no DNS name", scan->default_nc);
        return;
    }
    if (find_zone(scan, rule, domain, &at, where, sizeof where) == 0)
        sp_rule_fire(scan, rule, domain, "no dnsZone %s in Active Directory: not at %s (so the DC "
                     "locator's records in it were not checked)", domain, where);
}

/* A record exists in AD when its dnsNode is there and not tombstoned (a deleted record stays a
 * while as dNSTombstoned=TRUE). 1 present, 0 absent, -1 unreadable (said). */
static int node_present(sp_health_scan *scan, const sp_rule *rule, const zone_at *zone,
                        const char *node, char *dn, size_t dnlen)
{
    char cls[64], tomb[16];
    int got;
    snprintf(dn, dnlen, "DC=%s,DC=%s,%s", node, zone->zone, zone->container);
    got = sp_rule_ldap_get(scan, rule, dn, "objectClass", cls, sizeof cls);
    if (got != 1)
        return got;
    got = sp_rule_ldap_get(scan, rule, dn, "dNSTombstoned", tomb, sizeof tomb);
    if (got < 0)
        return -1;
    return !(got == 1 && sp_stricmp(tomb, "TRUE") == 0);
}

/* dcdiag /test:dns /DnsRecordRegistration's records, as the zones in AD hold them: the DC
 * locator's SRV records and this DC's A record. */
static void rule_locator_records(sp_health_scan *scan, const sp_rule *rule)
{
    char domain[256], forest_dn[512], forest[256], host[300], label[128], msdcs[300];
    char dn[1400], where[2200], missing[1600] = "", arg[16];
    zone_at dz, mz;
    unsigned n = 0;
    int got;
    struct {
        const zone_at *zone;
        const char *node, *fqdn_fmt;
    } want[4];
    size_t count = 0;
    if (!scan->ctx->info->is_dc || !sp_rule_ldap(scan))
        return;
    if (!dns_name_of(scan->default_nc, domain, sizeof domain))
        return; /* dns.zone_not_ad says the domain has no DNS name */
    /* A zone that is not in AD: dns.zone_not_ad is the error, and says its records were not read. */
    if (find_zone(scan, rule, domain, &dz, where, sizeof where) <= 0)
        return;
    if (sp_rule_ldap_get(scan, NULL, "", "rootDomainNamingContext", forest_dn, sizeof forest_dn) != 1)
        snprintf(forest_dn, sizeof forest_dn, "%s", scan->default_nc);
    if (!dns_name_of(forest_dn, forest, sizeof forest))
        snprintf(forest, sizeof forest, "%s", domain);
    snprintf(msdcs, sizeof msdcs, "_msdcs.%s", forest);
    if ((got = find_zone(scan, rule, msdcs, &mz, where, sizeof where)) < 0)
        return;
    if (got == 1) {
        want[count].zone = &mz;
        want[count].node = "_ldap._tcp.dc";
        want[count++].fqdn_fmt = "_ldap._tcp.dc._msdcs.";
    } else if (sp_stricmp(forest, domain) == 0) {
        /* No _msdcs zone of its own: the records are under _msdcs in the forest's zone. */
        want[count].zone = &dz;
        want[count].node = "_ldap._tcp.dc._msdcs";
        want[count++].fqdn_fmt = "_ldap._tcp.dc._msdcs.";
    } else {
        sp_rule_not_run(scan, rule, "the zone %s is not in Active Directory: not at %s", msdcs,
                        where);
        return;
    }
    want[count].zone = &dz;
    want[count].node = "_kerberos._tcp";
    want[count++].fqdn_fmt = "_kerberos._tcp.";
    want[count].zone = &dz;
    want[count].node = "_ldap._tcp";
    want[count++].fqdn_fmt = "_ldap._tcp.";
    label[0] = '\0';
    if (sp_rule_ldap_get(scan, rule, "", "dnsHostName", host, sizeof host) == 1) {
        size_t hl = strlen(host), dl = strlen(domain);
        if (hl > dl + 1 && host[hl - dl - 1] == '.' && sp_stricmp(host + hl - dl, domain) == 0) {
            snprintf(label, sizeof label, "%.*s", (int)(hl - dl - 1), host);
            want[count].zone = &dz;
            want[count].node = label;
            want[count++].fqdn_fmt = "";
        }
    }
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(missing);
        got = node_present(scan, rule, want[i].zone, want[i].node, dn, sizeof dn);
        if (got < 0)
            return;
        if (got == 1)
            continue;
        n++;
        if (want[i].fqdn_fmt[0])
            snprintf(missing + len, sizeof missing - len, "%s%s%s (%.300s)", len ? "; " : "",
                     want[i].fqdn_fmt, want[i].zone == &mz ? forest : domain, dn);
        else
            snprintf(missing + len, sizeof missing - len, "%sthe A record of %.200s (%.300s)",
                     len ? "; " : "", host, dn);
    }
    if (!label[0]) {
        size_t len = strlen(missing);
        snprintf(missing + len, sizeof missing - len, "%s(the A record not checked: no "
                 "dnsHostName in %s)", len ? "; " : "", domain);
    }
    if (!n)
        return;
    snprintf(arg, sizeof arg, "%u", n);
    sp_rule_fire(scan, rule, arg, "not in the zones' records in Active Directory (dnsNode objects, "
                 "read over LDAP; the DNS service was not asked): %s", missing);
}

/* ---- Lingering objects ------------------------------------------------------------------- */

/* Event 1388: loose consistency let a partner bring back an object this DC had deleted; 1988:
 * strict consistency found one and stopped replicating that partition from the partner. */
static void rule_lingering(sp_health_scan *scan, const sp_rule *rule)
{
    static const unsigned ids[] = {1388, 1988, 0};
    sp_event_count c = {NULL, ids, 0, 0, 0, 0};
    char arg[16];
    if (!scan->ctx->info->is_dc ||
        !sp_rule_count_events(scan, rule, "Directory Service", scan->now - 7 * DAY, &c))
        return;
    snprintf(arg, sizeof arg, "%u", c.first_id);
    sp_rule_fire(scan, rule, arg,
                 "Directory Service log: events 1388/1988 x%u in 7 days, the newest (%u) %lld "
                 "hours ago", c.count, c.first_id, (long long)((scan->now - c.newest) / 3600));
}

const sp_rule sp_rules_dcdiag[] = {
    SP_RULE("ad.dc_account", SP_HC_AD, SP_HOS_ALL, SP_SEV_ERROR, DC_ACCOUNT,
         "dcdiag /test:MachineAccount", rule_dc_account),
    SP_RULE("ad.rid_pool", SP_HC_AD, SP_HOS_ALL, SP_SEV_WARNING, RID_POOL,
         "dcdiag /test:RidManager; Microsoft, Managing RID Issuance", rule_rid_pool),
    SP_RULE("dns.zone_not_ad", SP_HC_DNS, SP_HOS_ALL, SP_SEV_ERROR, ZONE_NOT_AD,
         "dcdiag /test:dns /DnsBasic; Essentials migration (the destination joins as a DC)",
         rule_zone_ad),
    SP_RULE("dns.locator_records", SP_HC_DNS, SP_HOS_ALL, SP_SEV_ERROR, LOCATOR_RECORDS,
         "dcdiag /test:dns /DnsRecordRegistration; Microsoft KB 816587", rule_locator_records),
    SP_RULE("repl.lingering_objects", SP_HC_REPL, SP_HOS_ALL, SP_SEV_ERROR, LINGERING,
         "repadmin /removelingeringobjects; Microsoft, events 1388 and 1988", rule_lingering),
};
const size_t sp_rules_dcdiag_count = sizeof sp_rules_dcdiag / sizeof sp_rules_dcdiag[0];
