/* libFuzzer harness: the ValidPorts parser and editor on any value; appending what is missing must
 * keep the old text as a prefix and leave nothing missing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/email/validports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *value = malloc(size + 1);
    const char *hosts[] = {"SBS01", "sbs01.contoso.local", "remote.contoso.com", "fe80::1"};
    sp_validports vp;
    if (!value)
        return 0;
    memcpy(value, data, size);
    value[size] = '\0';
    if (sp_validports_parse(value, &vp) == SP_OK) {
        size_t bad = 0;
        for (size_t i = 0; i < vp.count; i++) {
            const sp_vp_entry *e = &vp.items[i];
            if (!e->host)
                bad++;
            else if (e->lo < 1 || e->lo > e->hi || e->hi > 65535 || !e->raw[0])
                abort();
        }
        if (bad != vp.invalid)
            abort();
        sp_validports_free(&vp);
    }
    char *missing = sp_validports_missing(value, hosts, 4);
    char *next = missing ? sp_validports_append(value, missing) : NULL;
    if (next) {
        if (strncmp(next, value, strlen(value)) != 0)
            abort(); /* the existing entries stay, in order */
        char *again = sp_validports_missing(next, hosts, 4);
        if (again && again[0])
            abort(); /* after appending, nothing is missing */
        free(again);
    }
    free(next);
    free(missing);
    free(value);
    return 0;
}
