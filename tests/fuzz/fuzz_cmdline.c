/* libFuzzer harness: the command-line parser on any arguments (NUL-separated in the input). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    const char *argv[32];
    int argc = 1;
    sp_cmdline cl;
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    argv[0] = "sourceprep.exe";
    for (char *p = copy; argc < 32 && p <= copy + size;) {
        argv[argc++] = p;
        p += strlen(p) + 1;
    }
    if (sp_cmdline_parse(argc, argv, &cl) != SP_OK && cl.error_id == 0)
        abort(); /* a refusal always says why */
    free(copy);
    return 0;
}
