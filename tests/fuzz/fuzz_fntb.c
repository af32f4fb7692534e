/* libFuzzer harness: one FilesNotToBackup entry, any bytes (the first line the entry, the rest a
 * path to match), no crash; an accepted rule has a file spec and matches without reading past. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/backup/fntb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sp_fntb f;
    char entry[700], path[700];
    const char *const vars[][2] = {{"%SystemRoot%", "C:\\WINDOWS"}, {"%SystemDrive%", "C:"}, {NULL, NULL}};
    size_t cut = 0;
    while (cut < size && data[cut] != '\n')
        cut++;
    size_t n = cut < sizeof entry - 1 ? cut : sizeof entry - 1;
    memcpy(entry, data, n);
    entry[n] = '\0';
    size_t m = size > cut + 1 ? size - cut - 1 : 0;
    if (m > sizeof path - 1)
        m = sizeof path - 1;
    memcpy(path, data + (size > cut ? cut + 1 : size), m);
    path[m] = '\0';
    memset(&f, 0, sizeof f);
    if (sp_fntb_parse(entry, vars, &f.rules[0]) == SP_OK) {
        if (!f.rules[0].spec[0] || !memchr(f.rules[0].dir, '\0', sizeof f.rules[0].dir))
            abort();
        f.count = 1;
        (void)sp_fntb_match(&f, path[0] ? path : "C:\\WINDOWS\\Temp\\x.tmp");
    }
    return 0;
}
