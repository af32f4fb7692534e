/* libFuzzer harness (issue 16): the subject alternative name matcher and the inside-address test
 * on any text. The input is "names\nhost": a host that matches must appear in the list (itself or
 * under a "*." wildcard), and an address judged inside must be one of the shapes that can be. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/email/email.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *nl = strchr(text, '\n');
    const char *host = nl ? nl + 1 : "remote.contoso.com";
    if (nl)
        *nl = '\0';
    if (sp_email_san_names(text, host)) {
        /* A match names the host (without its trailing dots) or its parent domain. */
        char *bare = sp_strdup(host);
        size_t n = bare ? strlen(bare) : 0;
        while (n && bare[n - 1] == '.')
            bare[--n] = '\0';
        const char *dot = bare ? strchr(bare, '.') : NULL;
        if (bare && !sp_stristr(text, bare) && !(dot && sp_stristr(text, dot)))
            abort();
        free(bare);
    }
    if (sp_email_san_names(text, "") || sp_email_san_names(NULL, host))
        abort();
    if (sp_email_addr_inside(host) && !strchr(host, '.') && !strchr(host, ':'))
        abort(); /* only an IPv4 or IPv6 address can be inside */
    sp_email_addr_inside(text);
    free(text);
    return 0;
}
