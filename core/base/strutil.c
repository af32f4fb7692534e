/* Small string helpers that msvcrt and glibc do not both have. */
#include "core/base/strutil.h"

#include <stdlib.h>
#include <string.h>

size_t sp_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

char *sp_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

const char *sp_skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return s;
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int sp_strnicmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        int d = lower((unsigned char)*a) - lower((unsigned char)*b);
        if (d || !*a)
            return d;
    }
    return 0;
}

int sp_stricmp(const char *a, const char *b)
{
    return sp_strnicmp(a, b, (size_t)-1);
}

int sp_stristr(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (sp_strnicmp(s, needle, n) == 0)
            return 1;
    return n == 0;
}
