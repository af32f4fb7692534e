/* libFuzzer harness for the DNS reply parser: any bytes, read as a reply to the query its first bytes choose. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/base/dnsmsg.h"

static const char *const names[] = {"_ldap._tcp.dc._msdcs.fabrikam.local", "fabrikam.local", "",
                                    "FABSBS.fabrikam.local"};
static const uint16_t types[] = {SP_DNS_SRV, SP_DNS_SOA, SP_DNS_NS, SP_DNS_A, SP_DNS_CNAME};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sp_dns_reply r;
    char why[200];
    const char *name;
    uint16_t type;
    /* The first byte picks the question; the packet's own ID is the one asked, so most inputs
     * get past the header to the names and records. */
    if (size < 1)
        return 0;
    name = names[data[0] % 4];
    type = types[(data[0] >> 2) % 5];
    data++;
    size--;
    uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;
    if (sp_dns_parse_reply(data, size, id, name, type, &r, why, sizeof why) != SP_OK) {
        if (!why[0] || strlen(why) >= sizeof why)
            __builtin_trap();
        return 0;
    }
    if (r.answer_count > SP_DNS_MAX_RR || r.authority_count > SP_DNS_MAX_RR)
        __builtin_trap();
    for (size_t i = 0; i < r.answer_count; i++)
        if (strlen(r.answers[i].name) >= SP_DNS_NAME_MAX ||
            strlen(r.answers[i].target) >= SP_DNS_NAME_MAX)
            __builtin_trap();
    /* A name read back builds a query again or is refused, never overruns. */
    {
        unsigned char q[300];
        size_t len;
        for (size_t i = 0; i < r.answer_count; i++)
            if (sp_dns_build_query(1, r.answers[i].target, SP_DNS_A, 0, q, sizeof q, &len) == SP_OK &&
                len > sizeof q)
                __builtin_trap();
    }
    return 0;
}
