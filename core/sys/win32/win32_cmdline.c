/* Builds a Windows command line from an argv so that the child's C runtime sees the same argv. */
#include "core/sys/win32/win32_cmdline.h"

#include <stdlib.h>
#include <string.h>

static int needs_quotes(const char *arg)
{
    return arg[0] == '\0' || strpbrk(arg, " \t\n\v\"") != NULL;
}

/* The worst case of one argument: every character a quote (two bytes each), plus the
 * surrounding quotes and the separating space. */
static size_t worst_len(const char *arg)
{
    return strlen(arg) * 2 + 3;
}

/* Appends arg with the rules of the C runtime's parser (parse_cmdline):
 * - 2n backslashes before a quote are n backslashes and the quote opens or closes;
 * - 2n+1 backslashes before a quote are n backslashes and a literal quote;
 * - backslashes anywhere else are literal.
 * So: inside quotes, double the backslashes that precede a quote or the closing quote, and
 * escape every quote. */
static char *append_quoted(char *out, const char *arg)
{
    if (!needs_quotes(arg)) {
        size_t n = strlen(arg);
        memcpy(out, arg, n);
        return out + n;
    }
    *out++ = '"';
    for (const char *p = arg;; p++) {
        size_t backslashes = 0;
        while (*p == '\\') {
            backslashes++;
            p++;
        }
        if (*p == '\0') {
            for (size_t i = 0; i < backslashes * 2; i++)
                *out++ = '\\';
            break;
        }
        if (*p == '"') {
            for (size_t i = 0; i < backslashes * 2 + 1; i++)
                *out++ = '\\';
            *out++ = '"';
        } else {
            for (size_t i = 0; i < backslashes; i++)
                *out++ = '\\';
            *out++ = *p;
        }
    }
    *out++ = '"';
    return out;
}

char *sp_win32_cmdline_build(const char *const *argv)
{
    if (!argv || !argv[0] || argv[0][0] == '\0')
        return NULL;
    /* The runtime reads the program name differently: up to the next quote, with no escapes.
     * A name with a quote in it cannot be written at all; no Windows file name has one. */
    if (strchr(argv[0], '"'))
        return NULL;
    size_t total = 1;
    for (size_t i = 0; argv[i]; i++)
        total += worst_len(argv[i]);
    char *line = malloc(total);
    if (!line)
        return NULL;
    char *out = line;
    size_t n0 = strlen(argv[0]);
    if (strpbrk(argv[0], " \t") != NULL) {
        *out++ = '"';
        memcpy(out, argv[0], n0);
        out += n0;
        *out++ = '"';
    } else {
        memcpy(out, argv[0], n0);
        out += n0;
    }
    for (size_t i = 1; argv[i]; i++) {
        *out++ = ' ';
        out = append_quoted(out, argv[i]);
    }
    *out = '\0';
    return line;
}
