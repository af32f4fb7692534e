/* libFuzzer harness: the replication XML parsers read only len bytes, never overrun their fields,
 * and what they accept is complete (NUL-terminated names, times not negative). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/health/replxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so that ASan sees any read past the end. */
    char *xml = malloc(size ? size : 1);
    sp_repl_neighbor n;
    sp_repl_meta m;
    int64_t t;
    if (!xml)
        return 0;
    memcpy(xml, data, size);
    if (sp_repl_neighbor_parse(xml, size, &n) == SP_OK) {
        if (memchr(n.naming_context, 0, sizeof n.naming_context) == NULL ||
            memchr(n.source_dsa, 0, sizeof n.source_dsa) == NULL || n.last_success < 0 ||
            n.last_attempt < 0)
            abort();
    }
    if (sp_repl_meta_parse(xml, size, &m) == SP_OK) {
        if (memchr(m.attribute, 0, sizeof m.attribute) == NULL || m.last_change < 0)
            abort();
    }
    t = sp_repl_time(xml, size);
    if (t < -1)
        abort();
    free(xml);
    return 0;
}
