/* Reads NTBackup's text logs: backup sets, their type, and when each completed. */
#include "core/backup/ntblog.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/civil.h"
#include "core/base/strutil.h"

static int looks_utf16le(const unsigned char *d, size_t n)
{
    size_t zeros = 0, pairs = n / 2 < 64 ? n / 2 : 64;
    if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
        return 1;
    for (size_t i = 0; i < pairs; i++)
        zeros += d[2 * i + 1] == 0 && d[2 * i] != 0;
    return pairs > 0 && zeros * 2 > pairs;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

char *sp_ntblog_text(const unsigned char *d, size_t n)
{
    char *out, *o;
    if (!looks_utf16le(d, n)) {
        /* 8-bit text: kept byte for byte (only ASCII keys and dates are read from it). */
        if (!(out = malloc(n + 1)))
            return NULL;
        for (size_t i = 0; i < n; i++)
            out[i] = d[i] ? (char)d[i] : ' ';
        out[n] = '\0';
        return out;
    }
    if (!(o = out = malloc(n / 2 * 3 + 4)))
        return NULL;
    size_t i = n >= 2 && d[0] == 0xFF && d[1] == 0xFE ? 2 : 0;
    for (; i + 1 < n; i += 2) {
        uint32_t u = d[i] | (uint32_t)d[i + 1] << 8;
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < n) {
            uint32_t lo = d[i + 2] | (uint32_t)d[i + 3] << 8;
            if (lo >= 0xDC00 && lo < 0xE000) {
                o += put_utf8(o, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                i += 2;
                continue;
            }
        }
        if ((u >= 0xD800 && u < 0xE000) || u == 0)
            u = u ? 0xFFFD : ' '; /* a lone surrogate, or a NUL that would end the text */
        o += put_utf8(o, u);
    }
    *o = '\0';
    return out;
}

static void add_what(sp_ntb_summary *s, const char *name)
{
    size_t len = strlen(s->what);
    if (strstr(s->what, name))
        return;
    snprintf(s->what + len, sizeof s->what - len, "%s%s", len ? ", " : "", name);
}

/* The name in the quotes of: Backup (via shadow copy) of "C: " / Backup of "System State". */
static void note_source(sp_ntb_summary *s, const char *l)
{
    const char *q = strchr(l, '"'), *e = q ? strchr(q + 1, '"') : NULL;
    char name[64];
    if (!q || !e)
        return;
    size_t n = (size_t)(e - q - 1);
    while (n && q[n] == ' ')
        n--;
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, q + 1, n);
    name[n] = '\0';
    if (n)
        add_what(s, name);
}

sp_status sp_ntblog_parse(const unsigned char *data, size_t size, int day_first,
                          sp_ntb_summary *out, char *err, size_t errlen)
{
    char *text = NULL;
    int is_log = 0, normal = 0;
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    if (!data && size)
        return SP_ERR_INVALID;
    if (!(text = sp_ntblog_text(data ? data : (const unsigned char *)"", size)))
        return SP_ERR_NOMEM;
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *cr = strchr(line, '\r');
        if (cr)
            *cr = '\0';
        const char *l = sp_skip_space(line);
        if (strncmp(l, "Backup Status", 13) == 0 || strncmp(l, "Operation: Backup", 17) == 0)
            is_log = 1;
        if (strncmp(l, "Backup of \"", 11) == 0 || strncmp(l, "Backup (via shadow copy) of \"", 29) == 0) {
            is_log = 1;
            out->sets++;
            normal = 0;
            note_source(out, l);
        } else if (strncmp(l, "Backup Type:", 12) == 0) {
            normal = sp_strnicmp(sp_skip_space(l + 12), "Normal", 6) == 0;
        } else if (strncmp(l, "Backup completed on ", 20) == 0) {
            int64_t t = sp_civil_parse_datetime(l + 20, day_first, NULL);
            if (t < 0) {
                if (err && errlen)
                    snprintf(err, errlen, "The log has a completion date SourcePrep cannot read: \"%.60s\"", l);
                free(text);
                return SP_ERR_BADDATA;
            }
            if (normal) {
                out->normal_sets++;
                if (!out->found || t > out->completed)
                    out->completed = t;
                out->found = 1;
            }
        }
        line = next;
    }
    free(text);
    if (!is_log) {
        if (err && errlen)
            snprintf(err, errlen, "%s", "This file is not an NTBackup log (no \"Backup Status\" or backup set in it).");
        return SP_ERR_BADDATA;
    }
    return SP_OK;
}
