/* libFuzzer harness: NTBackup logs in any encoding and state, no crash or leak, sane answers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/backup/ntblog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_ntb_summary s;
    char err[200];
    /* Each language first in turn (none, German, French, Japanese): the tables' order. */
    static const unsigned langs[] = {0, 0x0407, 0x040C, 0x0411};
    for (int run = 0; run < 8; run++) {
        int day_first = run & 1;
        sp_status st = sp_ntblog_parse_lang(data, size, day_first, langs[run >> 1], &s, err, sizeof err);
        if (st == SP_OK && s.found && (s.completed < 0 || s.normal_sets == 0 || s.normal_sets > s.sets + 1000000))
            abort();
        if (!memchr(s.what, '\0', sizeof s.what))
            abort();
    }
    char *text = sp_ntblog_text(data, size);
    free(text);
    return 0;
}
