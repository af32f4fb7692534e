/* Health rules on the network: DNS servers of each adapter, the number of adapters, a DHCP address, IPv6. */
#include "core/health/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msgids.h"
#include "core/base/netaddr.h"
#include "core/base/strutil.h"

#define SRC_BPA "SBS Best Practices Analyzer"
#define IFACES "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces"

typedef struct {
    sp_health_scan *scan;
    sp_net_adapters *list;
} iface_walk;

/* A string value, MULTI_SZ flattened with spaces; "" when absent. */
static void reg_text(sp_sys *sys, const char *key, const char *value, char *out, size_t outlen)
{
    sp_regval v = {0};
    out[0] = '\0';
    if (sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, key, value, &v) != SP_OK)
        return;
    if (v.type == SP_REG_SZ || v.type == SP_REG_EXPAND_SZ) {
        snprintf(out, outlen, "%.*s", (int)v.size, (const char *)v.data);
    } else if (v.type == SP_REG_MULTI_SZ) {
        size_t len = 0;
        for (const char *p = (const char *)v.data; p < (const char *)v.data + v.size && *p;
             p += strlen(p) + 1) {
            snprintf(out + len, outlen - len, "%s%s", len ? " " : "", p);
            len = strlen(out);
        }
    }
    sp_regval_free(&v);
}

static int add_iface(void *user, const char *name)
{
    iface_walk *w = user;
    sp_sys *sys = w->scan->ctx->sys;
    char key[512], addrs[512], dhcp_addr[64], dns[512], dhcp_dns[512];
    snprintf(key, sizeof key, "%s\\%s", IFACES, name);
    reg_text(sys, key, "IPAddress", addrs, sizeof addrs);
    reg_text(sys, key, "DhcpIPAddress", dhcp_addr, sizeof dhcp_addr);
    reg_text(sys, key, "NameServer", dns, sizeof dns);
    reg_text(sys, key, "DhcpNameServer", dhcp_dns, sizeof dhcp_dns);
    /* A DHCP interface keeps IPAddress = 0.0.0.0 and has its lease in DhcpIPAddress. */
    sp_net_adapter_add(w->list, name, addrs[0] && strcmp(addrs, "0.0.0.0") != 0 ? addrs : dhcp_addr,
                       dns[0] ? dns : dhcp_dns);
    return 0;
}

/* The adapters Tcpip's interface keys describe; a key that cannot be listed says the rule could
 * not run (no adapter at all is no finding to make up). */
static void load_adapters(sp_health_scan *scan, const sp_rule *rule, sp_net_adapters *list)
{
    iface_walk w = {scan, list};
    sp_sys *sys = scan->ctx->sys;
    sp_status st = sys->ops->reg_enum_keys(sys, SP_REG_VIEW_DEFAULT, IFACES, add_iface, &w);
    if (st != SP_OK && st != SP_ERR_NOTFOUND)
        sp_rule_not_run(scan, rule, "%s: %s", IFACES, sys->last_error);
}

static void rule_dns_public(sp_health_scan *scan, const sp_rule *rule)
{
    sp_net_adapters list = {0}, *l = &list;
    load_adapters(scan, rule, l);
    for (size_t i = 0; scan->ctx->info->is_dc && i < l->count; i++) {
        char pub[64];
        if (sp_net_first_public(l->items[i].dns, pub, sizeof pub)) {
            sp_rule_fire(scan, rule, pub, "adapter %s (%s): DNS servers %s", l->items[i].name,
                         l->items[i].addrs, l->items[i].dns);
            break;
        }
    }
    sp_net_adapters_free(l);
}

static void rule_dns_self(sp_health_scan *scan, const sp_rule *rule)
{
    sp_net_adapters list = {0}, *l = &list;
    load_adapters(scan, rule, l);
    int any_dns = 0, self = 0;
    char seen[512] = "";
    for (size_t i = 0; i < l->count; i++) {
        size_t len = strlen(seen);
        if (!l->items[i].dns[0])
            continue;
        any_dns = 1;
        snprintf(seen + len, sizeof seen - len, "%s%s: %s", len ? "; " : "", l->items[i].name,
                 l->items[i].dns);
        for (size_t j = 0; j < l->count; j++)
            if (sp_net_list_points_to(l->items[i].dns, l->items[j].addrs))
                self = 1;
    }
    if (scan->ctx->info->is_dc && any_dns && !self)
        sp_rule_fire(scan, rule, NULL, "DNS servers: %s", seen);
    sp_net_adapters_free(l);
}

static void rule_dns_none(sp_health_scan *scan, const sp_rule *rule)
{
    sp_net_adapters list = {0}, *l = &list;
    load_adapters(scan, rule, l);
    int any = 0;
    for (size_t i = 0; i < l->count; i++)
        any |= l->items[i].dns[0] != '\0';
    if (l->count && !any)
        sp_rule_fire(scan, rule, NULL, "%u adapters with an address, none with a DNS server",
                     (unsigned)l->count);
    sp_net_adapters_free(l);
}

static void rule_multi_nic(sp_health_scan *scan, const sp_rule *rule)
{
    sp_net_adapters list = {0}, *l = &list;
    load_adapters(scan, rule, l);
    if (l->count > 1) {
        char arg[16], ev[512] = "";
        for (size_t i = 0; i < l->count; i++) {
            size_t len = strlen(ev);
            snprintf(ev + len, sizeof ev - len, "%s%s (%s)", len ? ", " : "", l->items[i].name,
                     l->items[i].addrs);
        }
        snprintf(arg, sizeof arg, "%u", (unsigned)l->count);
        sp_rule_fire(scan, rule, arg, "adapters: %s", ev);
    }
    sp_net_adapters_free(l);
}

/* ---- The address clients use ------------------------------------------------------------ */

typedef struct {
    char name[64], addr[64], dns[512], dhcp_server[64];
    int dhcp;
} iface_addr;

typedef struct {
    sp_health_scan *scan;
    iface_addr items[8];
    size_t count;
} iface_list;

/* Where an interface's address comes from: EnableDHCP with DhcpIPAddress, or IPAddress. */
static int add_addr(void *user, const char *name)
{
    iface_list *l = user;
    sp_sys *sys = l->scan->ctx->sys;
    iface_addr *a;
    char key[512], dns[512];
    uint32_t dhcp = 0;
    if (l->count == sizeof l->items / sizeof l->items[0])
        return 1;
    a = &l->items[l->count];
    memset(a, 0, sizeof *a);
    snprintf(key, sizeof key, "%s\\%s", IFACES, name);
    sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, key, "EnableDHCP", &dhcp);
    a->dhcp = dhcp == 1;
    reg_text(sys, key, a->dhcp ? "DhcpIPAddress" : "IPAddress", a->addr, sizeof a->addr);
    a->addr[strcspn(a->addr, " ")] = '\0';
    if (!a->addr[0] || strcmp(a->addr, "0.0.0.0") == 0)
        return 0;
    reg_text(sys, key, "DhcpServer", a->dhcp_server, sizeof a->dhcp_server);
    reg_text(sys, key, "NameServer", a->dns, sizeof a->dns);
    reg_text(sys, key, "DhcpNameServer", dns, sizeof dns);
    if (!a->dns[0])
        snprintf(a->dns, sizeof a->dns, "%s", dns);
    snprintf(a->name, sizeof a->name, "%s", name);
    l->count++;
    return 0;
}

int sp_rule_addr_listed(const char *list, const char *addr)
{
    size_t n = strlen(addr);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, " ,;");
        if (len == n && strncmp(p, addr, n) == 0)
            return 1;
        p += len;
        p += strspn(p, " ,;");
    }
    return 0;
}

/* Clients find a DC by the address it registers, the one its own DNS points at: the adapter named
 * as a DNS server by some adapter, else every adapter with an address. One of them given by DHCP
 * changes under the clients' feet. */
static void rule_dhcp_address(sp_health_scan *scan, const sp_rule *rule)
{
    iface_list l;
    sp_sys *sys = scan->ctx->sys;
    sp_status st;
    int any_named = 0;
    if (!scan->ctx->info->is_dc)
        return;
    memset(&l, 0, sizeof l);
    l.scan = scan;
    st = sys->ops->reg_enum_keys(sys, SP_REG_VIEW_DEFAULT, IFACES, add_addr, &l);
    if (st != SP_OK && st != SP_ERR_NOTFOUND) {
        sp_rule_not_run(scan, rule, "%s: %s", IFACES, sys->last_error);
        return;
    }
    for (size_t i = 0; i < l.count; i++)
        for (size_t j = 0; j < l.count; j++)
            any_named |= sp_rule_addr_listed(l.items[j].dns, l.items[i].addr);
    for (size_t i = 0; i < l.count; i++) {
        int named = 0;
        for (size_t j = 0; j < l.count; j++)
            named |= sp_rule_addr_listed(l.items[j].dns, l.items[i].addr);
        if (l.items[i].dhcp && (named || !any_named)) {
            sp_rule_fire(scan, rule, l.items[i].addr,
                         "adapter %s: EnableDHCP = 1, DhcpIPAddress = %s, DhcpServer = %s%s",
                         l.items[i].name, l.items[i].addr,
                         l.items[i].dhcp_server[0] ? l.items[i].dhcp_server : "(none)",
                         named ? "; this server's DNS points at it" : "");
            return;
        }
    }
}

int sp_rule_server_addrs(sp_health_scan *scan, char *clients, size_t clen, char *all, size_t alen)
{
    iface_list l;
    sp_sys *sys = scan->ctx->sys;
    sp_status st;
    int any_named = 0;
    clients[0] = all[0] = '\0';
    memset(&l, 0, sizeof l);
    l.scan = scan;
    st = sys->ops->reg_enum_keys(sys, SP_REG_VIEW_DEFAULT, IFACES, add_addr, &l);
    if (st != SP_OK && st != SP_ERR_NOTFOUND) {
        sp_sys_fail(sys, st, "%s: %.200s", IFACES, sys->last_error);
        return 0;
    }
    for (size_t i = 0; i < l.count; i++)
        for (size_t j = 0; j < l.count; j++)
            any_named |= sp_rule_addr_listed(l.items[j].dns, l.items[i].addr);
    for (size_t i = 0; i < l.count; i++) {
        int named = 0;
        size_t n = strlen(all);
        snprintf(all + n, alen - n, "%s%s", n ? " " : "", l.items[i].addr);
        for (size_t j = 0; j < l.count; j++)
            named |= sp_rule_addr_listed(l.items[j].dns, l.items[i].addr);
        if (named || !any_named) {
            n = strlen(clients);
            snprintf(clients + n, clen - n, "%s%s", n ? " " : "", l.items[i].addr);
        }
    }
    return 1;
}

static void rule_ipv6(sp_health_scan *scan, const sp_rule *rule)
{
    uint32_t v = 0;
    if (sp_reg_get_dword(scan->ctx->sys, SP_REG_VIEW_DEFAULT,
                         "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters",
                         "DisabledComponents", &v) == SP_OK &&
        (v & 0xFFu) == 0xFFu) {
        char arg[16];
        snprintf(arg, sizeof arg, "0x%X", (unsigned)v);
        sp_rule_fire(scan, rule, arg, "HKLM\\...\\Tcpip6\\Parameters DisabledComponents = 0x%X",
                     (unsigned)v);
    }
}

const sp_rule sp_rules_net[] = {
    SP_RULE("dns.public_server", SP_HC_DNS, SP_HOS_ALL, SP_SEV_WARNING, DNS_PUBLIC, SRC_BPA,
         rule_dns_public),
    SP_RULE("dns.not_self", SP_HC_DNS, SP_HOS_ALL, SP_SEV_WARNING, DNS_NOT_SELF, SRC_BPA,
         rule_dns_self),
    SP_RULE("dns.no_server", SP_HC_DNS, SP_HOS_ALL, SP_SEV_WARNING, DNS_NO_SERVER, SRC_BPA,
         rule_dns_none),
    SP_RULE("net.multiple_adapters", SP_HC_NET, SP_HOS_ALL, SP_SEV_WARNING, MULTI_NIC,
         "SBS 2011 Migration Preparation Tool", rule_multi_nic),
    SP_RULE("net.dhcp_address", SP_HC_NET, SP_HOS_ALL, SP_SEV_ERROR, DHCP_ADDRESS,
         "SBS Best Practices Analyzer; dcdiag", rule_dhcp_address),
    SP_RULE("net.ipv6_disabled", SP_HC_NET, SP_HOS_2008, SP_SEV_WARNING, IPV6_DISABLED,
         "SBS 2008 BPA", rule_ipv6),
};
const size_t sp_rules_net_count = sizeof sp_rules_net / sizeof sp_rules_net[0];
