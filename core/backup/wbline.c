/* wbadmin's output line by line, for the parsers of wbadmin.c and wbitems.c. */
#include "core/backup/wbline.h"

#include <ctype.h>
#include <string.h>

int sp_wb_next_line(const char *text, size_t len, size_t *pos, char *line, size_t linelen)
{
    size_t i = *pos, e = i;
    if (!text || i >= len || linelen == 0)
        return 0;
    while (e < len && text[e] != '\n')
        e++;
    size_t n = e - i < linelen - 1 ? e - i : linelen - 1;
    memcpy(line, text + i, n);
    line[n] = '\0';
    for (size_t k = 0; k < n; k++)
        if (line[k] == '\r' || line[k] == '\0')
            line[k] = ' ';
    *pos = e + 1;
    return 1;
}

void sp_wb_text_start(const char *text, size_t len, char *out, size_t outlen)
{
    size_t n = text && outlen ? (len < outlen - 1 ? len : outlen - 1) : 0;
    for (size_t k = 0; k < n; k++)
        out[k] = isprint((unsigned char)text[k]) ? text[k] : '.';
    if (outlen)
        out[n] = '\0';
}

void sp_wb_copy_trimmed(char *out, size_t outlen, const char *from, size_t n)
{
    while (n && isspace((unsigned char)from[n - 1]))
        n--;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, from, n);
    out[n] = '\0';
}
