/* libFuzzer harness for the TZI parser of core/timesync/tzrule.c, its comparison and its text. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/timesync/tzrule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_tz_rule r, copy;
    char why[128], text[200];
    if (sp_tz_rule_parse(data, size, &r, why, sizeof why) != SP_OK) {
        if (!memchr(why, '\0', sizeof why))
            __builtin_trap();
        return 0;
    }
    copy = r;
    /* A rule equals itself, and its description always fits and ends. */
    if (!sp_tz_rule_equal(&r, &copy))
        __builtin_trap();
    sp_tz_rule_describe(&r, text, sizeof text);
    if (!memchr(text, '\0', sizeof text) || strncmp(text, "UTC", 3) != 0)
        __builtin_trap();
    return 0;
}
