/* Small string helpers that msvcrt and glibc do not both have. */
#ifndef SP_STRUTIL_H
#define SP_STRUTIL_H

#include <stddef.h>

size_t sp_strlcpy(char *dst, const char *src, size_t size);
char *sp_strdup(const char *s);
const char *sp_skip_space(const char *s);
/* ASCII case-insensitive comparison (Windows names are compared this way). */
int sp_stricmp(const char *a, const char *b);
int sp_strnicmp(const char *a, const char *b, size_t n);
/* Does s contain needle, ignoring ASCII case? */
int sp_stristr(const char *s, const char *needle);

#endif
