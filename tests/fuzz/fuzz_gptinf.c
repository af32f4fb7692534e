/* libFuzzer harness: parse -> remove -> write never loses or changes any line but the right's,
 * the result no longer defines it, and GPT.INI's version edit changes only its digits. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy/gptinf.h"

static void check_inf(const uint8_t *data, size_t size)
{
    sp_inf_match m, again;
    unsigned char *out = NULL;
    size_t n = 0, at = 0, from = 0;
    if (sp_inf_find(data, size, "Privilege Rights", "SeServiceLogonRight", &m) != SP_OK)
        return;
    if (sp_inf_remove(data, size, m.lines, m.line_found, &out, &n) != SP_OK)
        abort();
    /* Every byte outside the removed lines is in the output, in order, and nothing else. */
    for (size_t i = 0; i < m.line_found; i++) {
        size_t keep = m.lines[i].start - from;
        if (at + keep > n || memcmp(out + at, data + from, keep) != 0)
            abort();
        at += keep;
        from = m.lines[i].end;
    }
    if (at + (size - from) != n || memcmp(out + at, data + from, size - from) != 0)
        abort();
    if (sp_inf_find(out, n, "Privilege Rights", "SeServiceLogonRight", &again) != SP_OK)
        abort();
    if (again.line_found != 0 || again.encoding != m.encoding)
        abort();
    sp_inf_match_free(&again);
    sp_inf_match_free(&m);
    free(out);
}

static void check_ini(const uint8_t *data, size_t size)
{
    uint32_t v, back;
    unsigned char *out = NULL;
    size_t n;
    if (sp_gptini_version(data, size, &v) != SP_OK)
        return;
    if (sp_gpo_version_raise_computer(v, &v) != SP_OK)
        return;
    if (sp_gptini_set_version(data, size, v, &out, &n) != SP_OK)
        abort();
    if (sp_gptini_version(out, n, &back) != SP_OK || back != v)
        abort();
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_inf(data, size);
    check_ini(data, size);
    return 0;
}
