/* Network facts for the health rules: IPv4 lists as Windows stores them, parsed and classified. */
#include "core/base/netaddr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEPARATORS " ,;\t\r\n"

int sp_net_parse_ipv4(const char *s, size_t len, uint32_t *out)
{
    uint32_t addr = 0;
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        unsigned v = 0, digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(s[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return 0;
        addr = (addr << 8) | v;
        if (part < 3) {
            if (i >= len || s[i] != '.')
                return 0;
            i++;
        }
    }
    if (i != len)
        return 0;
    *out = addr;
    return 1;
}

int sp_net_is_public(uint32_t a)
{
    return !((a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 || (a >> 16) == 0xA9FE ||
             (a >> 20) == 0xAC1 || (a >> 16) == 0xC0A8 || (a >> 22) == (0x6440 >> 6) ||
             (a >> 28) >= 14);
}

/* Calls each entry of a list with its span; stops when fn returns nonzero. */
static int each_entry(const char *list, int (*fn)(void *, const char *, size_t), void *user)
{
    const char *p = list ? list : "";
    while (*p) {
        size_t skip = strspn(p, SEPARATORS), n;
        p += skip;
        n = strcspn(p, SEPARATORS);
        if (n && fn(user, p, n))
            return 1;
        p += n;
    }
    return 0;
}

typedef struct {
    char *out;
    size_t outlen;
} public_find;

static int take_public(void *user, const char *s, size_t n)
{
    public_find *f = user;
    uint32_t a;
    if (!sp_net_parse_ipv4(s, n, &a) || !sp_net_is_public(a))
        return 0;
    snprintf(f->out, f->outlen, "%.*s", (int)n, s);
    return 1;
}

int sp_net_first_public(const char *list, char *out, size_t outlen)
{
    public_find f = {out, outlen};
    if (outlen)
        out[0] = '\0';
    return each_entry(list, take_public, &f);
}

typedef struct {
    uint32_t addr;
    int hit;
} addr_match;

static int same_addr(void *user, const char *s, size_t n)
{
    addr_match *m = user;
    uint32_t a;
    return sp_net_parse_ipv4(s, n, &a) && a == m->addr;
}

static int points_here(void *user, const char *s, size_t n)
{
    const char *addrs = user;
    addr_match m;
    if (!sp_net_parse_ipv4(s, n, &m.addr))
        return 0;
    if ((m.addr >> 24) == 127)
        return 1;
    return each_entry(addrs, same_addr, &m);
}

int sp_net_list_points_to(const char *dns_list, const char *addrs)
{
    return each_entry(dns_list, points_here, (void *)addrs);
}

static int nonzero_addr(void *user, const char *s, size_t n)
{
    uint32_t a;
    (void)user;
    return sp_net_parse_ipv4(s, n, &a) && a != 0;
}

int sp_net_adapter_add(sp_net_adapters *list, const char *name, const char *addrs, const char *dns)
{
    sp_net_adapter *a;
    if (!each_entry(addrs, nonzero_addr, NULL))
        return 0;
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 4;
        sp_net_adapter *bigger = realloc(list->items, cap * sizeof *bigger);
        if (!bigger)
            return 0;
        list->items = bigger;
        list->cap = cap;
    }
    a = &list->items[list->count++];
    snprintf(a->name, sizeof a->name, "%s", name ? name : "");
    snprintf(a->addrs, sizeof a->addrs, "%s", addrs);
    snprintf(a->dns, sizeof a->dns, "%s", dns ? dns : "");
    return 1;
}

void sp_net_adapters_free(sp_net_adapters *list)
{
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}
