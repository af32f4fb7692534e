/* Network facts for the health rules: adapters' addresses and DNS servers, IPv4 parsing and classes. */
#ifndef SP_NETADDR_H
#define SP_NETADDR_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char name[64];
    char addrs[256]; /* IPv4 addresses separated by spaces */
    char dns[256];   /* DNS servers separated by spaces, commas or semicolons */
} sp_net_adapter;

typedef struct {
    sp_net_adapter *items;
    size_t count, cap;
} sp_net_adapters;

/* Adds an adapter that has an address (not "" nor only 0.0.0.0); 0 when skipped or out of memory. */
int sp_net_adapter_add(sp_net_adapters *list, const char *name, const char *addrs, const char *dns);
void sp_net_adapters_free(sp_net_adapters *list);

/* Parses a dotted IPv4 address (exactly four decimal parts 0-255); 0 when it is not one. */
int sp_net_parse_ipv4(const char *s, size_t len, uint32_t *out);
/* True for an address outside 0/8, 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10. */
int sp_net_is_public(uint32_t addr);
/* The first public IPv4 address in a list; 0 when none. */
int sp_net_first_public(const char *list, char *out, size_t outlen);
/* True when a DNS list names a loopback address or one of addrs. */
int sp_net_list_points_to(const char *dns_list, const char *addrs);

#endif
