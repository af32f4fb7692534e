/* libFuzzer harness: wbadmin's versions list and progress lines, any bytes, no crash or leak;
 * whatever is accepted has readable identifiers and times. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/backup/wbadmin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_wb_versions v;
    char err[200], line[256];
    /* The first byte picks the language tried first (none, German, French, Japanese). */
    static const unsigned langs[] = {0, 0x0407, 0x040C, 0x0411};
    unsigned lang = size ? langs[data[0] & 3] : 0;
    if (sp_wbadmin_parse_versions_lang((const char *)data, size, lang, &v, err, sizeof err) == SP_OK) {
        for (size_t i = 0; i < v.count; i++)
            if (v.items[i].time < 0 || memchr(v.items[i].id, '\0', sizeof v.items[i].id) == NULL)
                abort();
        (void)sp_wb_latest_full(&v);
        sp_wb_versions_free(&v);
    } else if (v.count != 0 || v.items != NULL || !memchr(err, '\0', sizeof err)) {
        abort();
    }
    size_t n = size < sizeof line - 1 ? size : sizeof line - 1;
    memcpy(line, data, n);
    line[n] = '\0';
    int pct = sp_wbadmin_progress(line);
    (void)sp_wbadmin_error_line(line);
    if (pct < -1 || pct > 100)
        abort();
    return 0;
}
