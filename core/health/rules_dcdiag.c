/* Health rules from dcdiag's tests: the DC's machine account, the RID pool, the AD-integrated DNS zones over LDAP, the DC locator's SRV records asked of the DNS service, lingering objects. */
#include "core/health/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/msgids.h"

#define DAY (24 * 3600)
#define UF_SERVER_TRUST_ACCOUNT 0x2000u
#define UF_TRUSTED_FOR_DELEGATION 0x80000u

/* ---- dcdiag /test:MachineAccount ------------------------------------------------------- */

/* The DC's computer account (serverReference of its server object) must be in the Domain
 * Controllers OU and marked as a domain controller's account, trusted for delegation. */
static void rule_dc_account(sp_health_scan *scan, const sp_rule *rule)
{
    char server[600], computer[600], uac[32], arg[16];
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
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_HA_NO_COMPUTER_ACCOUNT, NULL),
                     "%s has no serverReference: this DC's computer account is not linked", server);
        return;
    }
    got = sp_rule_ldap_get(scan, rule, computer, "userAccountControl", uac, sizeof uac);
    if (got < 0)
        return;
    if (got == 0) {
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_HA_NO_COMPUTER_ACCOUNT, NULL),
                     "serverReference of %s is %s, which has no userAccountControl (missing)",
                     server, computer);
        return;
    }
    flags = strtoul(uac, NULL, 10);
    if (!(flags & UF_SERVER_TRUST_ACCOUNT) || !(flags & UF_TRUSTED_FOR_DELEGATION))
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_HA_NOT_DC_ACCOUNT, NULL),
                     "%s: userAccountControl = %lu (0x%lx), SERVER_TRUST_ACCOUNT 0x2000 %s, "
                     "TRUSTED_FOR_DELEGATION 0x80000 %s", computer, flags, flags,
                     flags & UF_SERVER_TRUST_ACCOUNT ? "set" : "not set",
                     flags & UF_TRUSTED_FOR_DELEGATION ? "set" : "not set");
    else if (!sp_stristr(computer, ",OU=Domain Controllers,"))
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_HA_OUTSIDE_DC_OU, NULL),
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
    if (!sp_rule_dn_to_dns(scan->default_nc, domain, sizeof domain)) {
        sp_rule_not_run(scan, rule, "the domain %s has no DNS name", scan->default_nc);
        return;
    }
    if (find_zone(scan, rule, domain, &at, where, sizeof where) == 0)
        sp_rule_fire(scan, rule, domain, "no dnsZone %s in Active Directory: not at %s (so the DC "
                     "locator's records in it were not checked)", domain, where);
}

/* What Active Directory holds for a record (its dnsNode, a deleted record staying a while as
 * dNSTombstoned=TRUE), in words for the evidence; NULL rule: a read that fails is said there. */
static void node_in_ad(sp_health_scan *scan, const zone_at *zone, const char *node, char *out,
                       size_t outlen)
{
    char dn[1000], cls[64], tomb[16];
    int got;
    if (!zone->found) {
        snprintf(out, outlen, "its zone %s is not in Active Directory", zone->zone);
        return;
    }
    snprintf(dn, sizeof dn, "DC=%s,DC=%s,%s", node, zone->zone, zone->container);
    got = sp_rule_ldap_get(scan, NULL, dn, "objectClass", cls, sizeof cls);
    if (got == 1 && sp_rule_ldap_get(scan, NULL, dn, "dNSTombstoned", tomb, sizeof tomb) == 1 &&
        sp_stricmp(tomb, "TRUE") == 0)
        snprintf(out, outlen, "its dnsNode %s is tombstoned (deleted)", dn);
    else if (got == 1)
        snprintf(out, outlen, "its dnsNode %s is in Active Directory", dn);
    else if (got == 0)
        snprintf(out, outlen, "no dnsNode %s in Active Directory", dn);
    else
        snprintf(out, outlen, "%s could not be read", dn);
}

/* dcdiag /test:dns /DnsRecordRegistration: the DC locator's SRV records, asked of this DC's DNS
 * service, must name this DC. For each one that does not, the evidence says what Active
 * Directory holds for it, so that a record the zone has but the service does not serve is told
 * from one never registered; the records read over LDAP are no verdict of their own. */
static void rule_locator_records(sp_health_scan *scan, const sp_rule *rule)
{
    static const char *const names[] = {"_ldap._tcp.dc._msdcs", "_kerberos._tcp", "_ldap._tcp"};
    char domain[256], forest_dn[512], forest[256], host[300], msdcs[300], fqdn[400];
    char where[2200], missing[1800] = "", arg[16], ad[1200], what[64], targets[300];
    zone_at dz, mz;
    sp_dns_reply *r;
    unsigned n = 0;
    if (!scan->ctx->info->is_dc || !sp_rule_ldap(scan))
        return;
    if (!sp_rule_dn_to_dns(scan->default_nc, domain, sizeof domain))
        return; /* dns.zone_not_ad says the domain has no DNS name */
    if (sp_rule_ldap_get(scan, rule, "", "dnsHostName", host, sizeof host) != 1) {
        sp_rule_not_run(scan, rule, "the rootDSE has no dnsHostName: this DC's name is unknown");
        return;
    }
    if (sp_rule_ldap_get(scan, NULL, "", "rootDomainNamingContext", forest_dn, sizeof forest_dn) != 1)
        snprintf(forest_dn, sizeof forest_dn, "%s", scan->default_nc);
    if (!sp_rule_dn_to_dns(forest_dn, forest, sizeof forest))
        snprintf(forest, sizeof forest, "%s", domain);
    snprintf(msdcs, sizeof msdcs, "_msdcs.%s", forest);
    if (!(r = malloc(sizeof *r)))
        return;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int found = 0;
        size_t len;
        snprintf(fqdn, sizeof fqdn, "%s.%s", names[i], domain);
        if (!sp_rule_dns_ask(scan, rule, fqdn, SP_DNS_SRV, 0, r))
            goto done;
        if (!sp_rule_dns_conclusive(scan, rule, r, fqdn))
            goto done;
        targets[0] = '\0';
        for (size_t k = 0; k < r->answer_count; k++) {
            if (r->answers[k].type != SP_DNS_SRV)
                continue;
            found |= sp_dns_name_equal(r->answers[k].target, host);
            len = strlen(targets);
            snprintf(targets + len, sizeof targets - len, "%s%s", len ? " " : "",
                     r->answers[k].target);
        }
        if (found)
            continue;
        n++;
        if (targets[0]) {
            snprintf(what, sizeof what, "names only ");
            sp_strlcpy(what + strlen(what), targets, sizeof what - strlen(what));
        } else {
            char buf[16];
            snprintf(what, sizeof what, "%s", r->rcode == SP_DNS_NOERROR ? "no SRV record (NODATA)"
                     : sp_dns_rcode_name(r->rcode, buf, sizeof buf));
        }
        /* Where AD keeps it: _ldap._tcp.dc in the forest's _msdcs zone when that is in AD. */
        if (find_zone(scan, NULL, domain, &dz, where, sizeof where) < 0)
            dz.found = 0;
        if (i == 0 && find_zone(scan, NULL, msdcs, &mz, where, sizeof where) == 1)
            node_in_ad(scan, &mz, "_ldap._tcp.dc", ad, sizeof ad);
        else
            node_in_ad(scan, &dz, names[i], ad, sizeof ad);
        len = strlen(missing);
        snprintf(missing + len, sizeof missing - len, "%s%s SRV: %s; %s", len ? "; " : "", fqdn,
                 what, ad);
    }
    if (n) {
        snprintf(arg, sizeof arg, "%u", n);
        sp_rule_fire(scan, rule, arg, "asked of the DNS service at %s:53 for SRV records naming "
                     "%s: %s", sp_rule_dns_server(scan), host, missing);
    }
done:
    free(r);
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
