/* libFuzzer harness for the agent's text: LastSuccessTime and servicing package key names. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/updates/wua.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    const char *bar;
    int64_t t;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* A time read is exactly "YYYY-MM-DD HH:MM:SS" and never before 1970. */
    t = sp_wua_parse_time(text);
    if (t != -1 && (t < 0 || strlen(text) != 19))
        __builtin_trap();
    /* "name|KB": a name that belongs to the KB names it after "for_". */
    bar = strchr(text, '|');
    if (bar) {
        text[bar - text] = '\0';
        if (sp_wua_package_is(text, bar + 1) && (!bar[1] || strncmp(text, "Package_", 8) != 0))
            __builtin_trap();
    }
    free(text);
    return 0;
}
