/* Health rules that ask the DC's own DNS service, as dcdiag /test:dns does: where it answers, this DC's A record and replication alias, recursion. */
#include "core/health/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/netaddr.h"
#include "core/base/strutil.h"
#include "core/msgids.h"

#define DNS_PORT 53
#define PROBE_MS 2000
/* A server waits for its forwarders (3 s on Windows, Samba 2 s) before it says SERVFAIL. */
#define RECURSION_MS 6000
#define REPLY_MAX 1500

/* One query to host: SP_OK with out parsed, or why not in why. */
static sp_status query(sp_health_scan *scan, const char *host, const char *name, uint16_t type,
                       int rd, unsigned timeout_ms, sp_dns_reply *out, char *why, size_t whylen)
{
    sp_sys *sys = scan->ctx->sys;
    unsigned char req[300], reply[REPLY_MAX];
    size_t reqlen, got = 0;
    int64_t sent, received;
    uint16_t id = (uint16_t)(scan->dns_next_id++ * 40503u + 1u);
    char err[300], tname[16];
    sp_status st;
    if (sp_dns_build_query(id, name, type, rd, req, sizeof req, &reqlen) != SP_OK) {
        snprintf(why, whylen, "%.300s is not a DNS name", name);
        return SP_ERR_INVALID;
    }
    if (!sys->ops->udp_exchange) {
        snprintf(why, whylen, "this system cannot send UDP");
        return SP_ERR_UNSUPPORTED;
    }
    st = sys->ops->udp_exchange(sys, host, DNS_PORT, req, reqlen, timeout_ms, reply, sizeof reply,
                                &got, &sent, &received);
    if (st != SP_OK) {
        snprintf(why, whylen, "%s:%d: %.400s", host, DNS_PORT, sys->last_error);
        return st;
    }
    if (sp_dns_parse_reply(reply, got, id, name, type, out, err, sizeof err) != SP_OK) {
        snprintf(why, whylen, "%s:%d answered the %s query for %.200s with what is not its "
                 "reply: %s", host, DNS_PORT, sp_dns_type_name(type, tname, sizeof tname), name,
                 err);
        return SP_ERR_BADDATA;
    }
    return SP_OK;
}

/* The domain's DNS name: from the directory, else the one Windows reports. */
static int domain_name(sp_health_scan *scan, char *out, size_t outlen)
{
    if (sp_rule_ldap(scan) && sp_rule_dn_to_dns(scan->default_nc, out, outlen))
        return 1;
    sp_strlcpy(out, scan->ctx->info->os.domain, outlen);
    return out[0] != '\0';
}

/* Finds the server to ask, once a scan: the /ldap: host's (the DC checked from afar), else this
 * server's own on the addresses clients use, then on loopback. Any reply to the SOA query of the
 * domain shows a DNS server there. */
static int find_server(sp_health_scan *scan)
{
    char domain[256], all[300], cand[8][64], why[700];
    size_t count = 0;
    sp_dns_reply *r;
    const sp_ldap_target *t = scan->ctx->ldap;
    if (scan->dns_tried)
        return scan->dns_host[0] != '\0';
    scan->dns_tried = 1;
    if (!scan->ctx->info->is_dc) {
        snprintf(scan->dns_why, sizeof scan->dns_why, "this server is not a domain controller");
        return 0;
    }
    if (!domain_name(scan, domain, sizeof domain)) {
        snprintf(scan->dns_why, sizeof scan->dns_why, "the domain has no DNS name");
        return 0;
    }
    if (t && t->host && *t->host) {
        scan->dns_remote = 1;
        sp_strlcpy(cand[count++], t->host, sizeof cand[0]);
        sp_strlcpy(scan->dns_clients, t->host, sizeof scan->dns_clients);
    } else {
        const char *p;
        if (!sp_rule_server_addrs(scan, scan->dns_clients, sizeof scan->dns_clients, all,
                                  sizeof all))
            scan->dns_clients[0] = '\0';
        for (p = scan->dns_clients; *p && count < 7;) {
            size_t n = strcspn(p, " ");
            snprintf(cand[count++], sizeof cand[0], "%.*s", (int)n, p);
            p += n;
            p += strspn(p, " ");
        }
        sp_strlcpy(cand[count++], "127.0.0.1", sizeof cand[0]);
    }
    if (!(r = malloc(sizeof *r))) {
        snprintf(scan->dns_why, sizeof scan->dns_why, "out of memory");
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        size_t n;
        /* Loopback only stands in when no address clients use answered. */
        if (i == count - 1 && !scan->dns_remote && scan->dns_host[0])
            break;
        if (query(scan, cand[i], domain, SP_DNS_SOA, 0, PROBE_MS, r, why, sizeof why) == SP_OK) {
            if (!scan->dns_host[0])
                sp_strlcpy(scan->dns_host, cand[i], sizeof scan->dns_host);
            continue;
        }
        n = strlen(scan->dns_why);
        snprintf(scan->dns_why + n, sizeof scan->dns_why - n, "%s%s", n ? "; " : "", why);
        if (i < count - 1 || scan->dns_remote) {
            n = strlen(scan->dns_silent);
            snprintf(scan->dns_silent + n, sizeof scan->dns_silent - n, "%s%s", n ? "; " : "",
                     why);
        }
    }
    free(r);
    return scan->dns_host[0] != '\0';
}

const char *sp_rule_dns_server(const sp_health_scan *scan)
{
    return scan->dns_host;
}

int sp_rule_dns_ask(sp_health_scan *scan, const sp_rule *rule, const char *name, uint16_t type,
                    int rd, sp_dns_reply *out)
{
    char why[800];
    if (!find_server(scan)) {
        sp_rule_not_run(scan, rule, "the DNS service did not answer: %s", scan->dns_why);
        return 0;
    }
    if (query(scan, scan->dns_host, name, type, rd, PROBE_MS, out, why, sizeof why) != SP_OK) {
        sp_rule_not_run(scan, rule, "%s", why);
        return 0;
    }
    if (out->tc) {
        sp_rule_not_run(scan, rule, "%s:%d's answer for %.300s was truncated (TCP is not used)",
                        scan->dns_host, DNS_PORT, name);
        return 0;
    }
    return 1;
}

/* What a reply says of name in words, for evidence: "NXDOMAIN", "no A record (NODATA)". */
static void outcome(const sp_dns_reply *r, uint16_t type, char *out, size_t outlen)
{
    char buf[16], tname[16];
    if (r->rcode == SP_DNS_NOERROR)
        snprintf(out, outlen, "no %s record (NODATA)", sp_dns_type_name(type, tname, sizeof tname));
    else
        snprintf(out, outlen, "%s", sp_dns_rcode_name(r->rcode, buf, sizeof buf));
}

/* Whether a reply says whether name exists (NOERROR or NXDOMAIN); another rcode (SERVFAIL,
 * REFUSED) tells nothing of it: the rule could not run. */
int sp_rule_dns_conclusive(sp_health_scan *scan, const sp_rule *rule, const sp_dns_reply *r,
                      const char *name)
{
    char buf[16];
    if (r->rcode == SP_DNS_NOERROR || r->rcode == SP_DNS_NXDOMAIN)
        return 1;
    sp_rule_not_run(scan, rule, "%s:%d answered %s for %s", scan->dns_host, DNS_PORT,
                    sp_dns_rcode_name(r->rcode, buf, sizeof buf), name);
    return 0;
}

/* The names the scan compares with: this DC's host name, its domain's and forest's. */
static int dc_names(sp_health_scan *scan, const sp_rule *rule, char *host, size_t hostlen,
                    char *forest, size_t forestlen)
{
    char forest_dn[512];
    if (!scan->ctx->info->is_dc || !sp_rule_ldap(scan))
        return 0; /* ad.not_dc or ad.unreachable says why */
    if (sp_rule_ldap_get(scan, rule, "", "dnsHostName", host, hostlen) != 1) {
        sp_rule_not_run(scan, rule, "the rootDSE has no dnsHostName: this DC's name is unknown");
        return 0;
    }
    if (forest) {
        if (sp_rule_ldap_get(scan, NULL, "", "rootDomainNamingContext", forest_dn,
                             sizeof forest_dn) != 1)
            sp_strlcpy(forest_dn, scan->default_nc, sizeof forest_dn);
        if (!sp_rule_dn_to_dns(forest_dn, forest, forestlen)) {
            sp_rule_not_run(scan, rule, "the forest %s has no DNS name", forest_dn);
            return 0;
        }
    }
    return 1;
}

/* ---- This DC's A record -------------------------------------------------------------------- */

/* The A record of dnsHostName must give an address of this server: its adapters' (or the
 * /ldap: host's, when that is an address). */
static void rule_host_record(sp_health_scan *scan, const sp_rule *rule)
{
    char host[300], mine[300] = "", clients[300], got[300] = "", what[64];
    sp_dns_reply *r;
    uint32_t a;
    int match = 0;
    if (!dc_names(scan, rule, host, sizeof host, NULL, 0) || !(r = malloc(sizeof *r)))
        return;
    if (!sp_rule_dns_ask(scan, rule, host, SP_DNS_A, 0, r))
        goto done;
    if (scan->dns_remote) {
        if (sp_net_parse_ipv4(scan->dns_clients, strlen(scan->dns_clients), &a))
            sp_strlcpy(mine, scan->dns_clients, sizeof mine);
    } else if (!sp_rule_server_addrs(scan, clients, sizeof clients, mine, sizeof mine)) {
        sp_rule_not_run(scan, rule, "%s", scan->ctx->sys->last_error);
        goto done;
    }
    if (!sp_rule_dns_conclusive(scan, rule, r, host))
        goto done;
    for (size_t i = 0; i < r->answer_count; i++) {
        char text[20];
        size_t n = strlen(got);
        if (r->answers[i].type != SP_DNS_A)
            continue;
        a = r->answers[i].addr;
        snprintf(text, sizeof text, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
        snprintf(got + n, sizeof got - n, "%s%s", n ? " " : "", text);
        match |= !mine[0] || sp_rule_addr_listed(mine, text);
    }
    if (!got[0]) {
        outcome(r, SP_DNS_A, what, sizeof what);
        sp_rule_fire(scan, rule, host, "%s:%d answers %s for %s", scan->dns_host, DNS_PORT, what,
                     host);
    } else if (!match) {
        sp_rule_fire(scan, rule, host, "%s:%d resolves %s to %s, none of this server's addresses "
                     "(%s)", scan->dns_host, DNS_PORT, host, got, mine);
    }
done:
    free(r);
}

/* ---- The replication alias: <DSA objectGUID>._msdcs.<forest> CNAME <host> -------------------- */

static void rule_dsa_cname(sp_health_scan *scan, const sp_rule *rule)
{
    char host[300], forest[256], guid[64], name[400], what[64];
    sp_dns_reply *r;
    int got;
    const char *target = NULL;
    if (!dc_names(scan, rule, host, sizeof host, forest, sizeof forest) || !scan->server_dsa[0])
        return;
    got = sp_rule_ldap_get(scan, rule, scan->server_dsa, "objectGUID", guid, sizeof guid);
    if (got <= 0) {
        if (got == 0)
            sp_rule_not_run(scan, rule, "%s has no objectGUID", scan->server_dsa);
        return;
    }
    snprintf(name, sizeof name, "%s._msdcs.%s", guid, forest);
    if (!(r = malloc(sizeof *r)))
        return;
    if (!sp_rule_dns_ask(scan, rule, name, SP_DNS_CNAME, 0, r))
        goto done;
    if (!sp_rule_dns_conclusive(scan, rule, r, name))
        goto done;
    for (size_t i = 0; i < r->answer_count && !target; i++)
        if (r->answers[i].type == SP_DNS_CNAME && sp_dns_name_equal(r->answers[i].name, name))
            target = r->answers[i].target;
    if (!target) {
        outcome(r, SP_DNS_CNAME, what, sizeof what);
        sp_rule_fire(scan, rule, name, "%s:%d answers %s for %s (objectGUID of %s)",
                     scan->dns_host, DNS_PORT, what, name, scan->server_dsa);
    } else if (!sp_dns_name_equal(target, host)) {
        sp_rule_fire(scan, rule, name, "%s:%d: %s is a CNAME of %s, not of this DC's %s",
                     scan->dns_host, DNS_PORT, name, target, host);
    }
done:
    free(r);
}

/* ---- The addresses it answers on ------------------------------------------------------------ */

/* Clients ask the address they were given; a server that answers only on loopback (or another
 * address) leaves them without DNS. */
static void rule_listen(sp_health_scan *scan, const sp_rule *rule)
{
    if (!scan->ctx->info->is_dc)
        return;
    if (!find_server(scan)) {
        sp_rule_not_run(scan, rule, "the DNS service did not answer: %s", scan->dns_why);
        return;
    }
    if (!scan->dns_remote && !scan->dns_clients[0]) {
        sp_rule_not_run(scan, rule, "no adapter of this server has an IPv4 address to ask (%s "
                        "answered)", scan->dns_host);
        return;
    }
    if (scan->dns_silent[0]) {
        char first[64];
        size_t n = strcspn(scan->dns_silent, ":");
        snprintf(first, sizeof first, "%.*s", (int)(n < 63 ? n : 63), scan->dns_silent);
        sp_rule_fire(scan, rule, first, "%s; while %s:%d answered", scan->dns_silent,
                     scan->dns_host, DNS_PORT);
    }
}

/* ---- Recursion: forwarders or root hints ---------------------------------------------------- */

/* A name no DC holds a zone for, that every Internet resolver knows: the com top-level domain. */
#define OUTSIDE_NAME "com"

/* The NS records of com, asked with recursion desired: a server with working forwarders or
 * root hints answers them; SERVFAIL, REFUSED, silence or an authoritative answer (a root zone
 * of its own) leave its clients without the Internet's names. */
static void rule_recursion(sp_health_scan *scan, const sp_rule *rule)
{
    char why[800], what[64], arg[16];
    sp_dns_reply *r;
    sp_status st;
    size_t ns = 0;
    if (!scan->ctx->info->is_dc)
        return;
    if (!find_server(scan)) {
        sp_rule_not_run(scan, rule, "the DNS service did not answer: %s", scan->dns_why);
        return;
    }
    if (!(r = malloc(sizeof *r)))
        return;
    st = query(scan, scan->dns_host, OUTSIDE_NAME, SP_DNS_NS, 1, RECURSION_MS, r, why, sizeof why);
    if (st == SP_ERR_TIMEOUT) {
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_HA_NO_ANSWER, NULL), "%s (it answers its own zones): the NS records of "
                     OUTSIDE_NAME " asked with recursion", why);
        goto done;
    }
    if (st != SP_OK) {
        sp_rule_not_run(scan, rule, "%s", why);
        goto done;
    }
    for (size_t i = 0; i < r->answer_count; i++)
        ns += r->answers[i].type == SP_DNS_NS;
    outcome(r, SP_DNS_NS, what, sizeof what);
    if (r->aa) {
        sp_rule_fire(scan, rule, sp_arg_ref(arg, sizeof arg, IDS_HA_ROOT_ZONE, NULL), "%s:%d answers %s for " OUTSIDE_NAME
                     " authoritatively: it holds a zone above its own (a root zone .) and asks "
                     "no other server", scan->dns_host, DNS_PORT, ns ? "NS records" : what);
    } else if (r->rcode != SP_DNS_NOERROR || !ns) {
        sp_rule_fire(scan, rule, r->rcode == SP_DNS_NOERROR ? sp_arg_ref(arg, sizeof arg, IDS_HA_NO_RECORD, "NS") : what,
                     "%s:%d answers %s%s for the NS records of " OUTSIDE_NAME
                     " asked with recursion: its forwarders or root hints did not answer",
                     scan->dns_host, DNS_PORT, what, r->ra ? "" : " without recursion available");
    }
done:
    free(r);
}

#define SRC_DNS "dcdiag /test:dns"

const sp_rule sp_rules_dns[] = {
    SP_RULE("dns.listen_address", SP_HC_DNS, SP_HOS_ALL, SP_SEV_ERROR, DNS_LISTEN,
         SRC_DNS " /DnsBasic; SBS Best Practices Analyzer", rule_listen),
    SP_RULE("dns.host_record", SP_HC_DNS, SP_HOS_ALL, SP_SEV_ERROR, HOST_RECORD,
         SRC_DNS " /DnsRecordRegistration (the DC's A record)", rule_host_record),
    SP_RULE("dns.dsa_cname", SP_HC_DNS, SP_HOS_ALL, SP_SEV_ERROR, DSA_CNAME,
         SRC_DNS " /DnsRecordRegistration (the DSA's CNAME); dcdiag /test:Replications",
         rule_dsa_cname),
    SP_RULE("dns.recursion", SP_HC_DNS, SP_HOS_ALL, SP_SEV_WARNING, DNS_RECURSION,
         SRC_DNS " /DnsForwarders", rule_recursion),
};
const size_t sp_rules_dns_count = sizeof sp_rules_dns / sizeof sp_rules_dns[0];
