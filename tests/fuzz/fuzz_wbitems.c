/* libFuzzer harness: wbadmin's `get items` list, any bytes, no crash or leak; whatever is
 * accepted holds at least one volume, and its letters agree with its volumes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/backup/wbitems.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_wb_items it;
    char err[200];
    if (sp_wbitems_parse((const char *)data, size, &it, err, sizeof err) == SP_OK) {
        unsigned long letters = 0;
        if (it.count == 0 || it.count > SP_WB_ITEMS_MAX)
            abort();
        for (size_t i = 0; i < it.count; i++) {
            if (!memchr(it.vols[i].mount, '\0', sizeof it.vols[i].mount) ||
                !memchr(it.vols[i].label, '\0', sizeof it.vols[i].label))
                abort();
            if (it.vols[i].letter) {
                if (it.vols[i].letter < 'A' || it.vols[i].letter > 'Z' || !sp_wb_items_has(&it, it.vols[i].letter))
                    abort();
                letters |= 1ul << (it.vols[i].letter - 'A');
            }
        }
        if (it.more == 0 && letters != it.letters)
            abort();
    } else if (!memchr(err, '\0', sizeof err) || !err[0]) {
        abort();
    }
    return 0;
}
