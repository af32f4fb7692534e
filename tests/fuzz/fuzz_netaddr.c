/* libFuzzer harness for the health rules' IPv4 lists: parsing, classes, adapters' DNS lists. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/netaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), pub[32];
    const char *split;
    uint32_t a;
    sp_net_adapters list = {0};
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* The input is "addresses|dns servers" as an adapter's registry values give them. */
    split = strchr(text, '|');
    /* A parsed address has exactly four parts of at most three digits. */
    if (sp_net_parse_ipv4(text, strlen(text), &a) && (strlen(text) > 15 || strlen(text) < 7))
        __builtin_trap();
    if (sp_net_first_public(text, pub, sizeof pub)) {
        if (!sp_net_parse_ipv4(pub, strlen(pub), &a) || !sp_net_is_public(a) || !strstr(text, pub))
            __builtin_trap();
    }
    if (split) {
        text[split - text] = '\0';
        sp_net_adapter_add(&list, "nic", text, split + 1);
        for (size_t i = 0; i < list.count; i++)
            (void)sp_net_list_points_to(list.items[i].dns, list.items[i].addrs);
        sp_net_adapters_free(&list);
    }
    free(text);
    return 0;
}
