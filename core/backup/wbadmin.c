/* Parses wbadmin's text: the versions list (2008, 2008 R2, 2012 and later) and progress lines. */
#include "core/backup/wbadmin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/civil.h"
#include "core/base/strutil.h"
#include "core/backup/wbline.h"

void sp_wb_versions_free(sp_wb_versions *v)
{
    if (!v)
        return;
    free(v->items);
    v->items = NULL;
    v->count = 0;
}

/* Copies the value after "key:" when line starts with key (any case); 1 when it does. */
static int field(const char *line, const char *key, char *out, size_t outlen)
{
    size_t n = strlen(key);
    if (sp_strnicmp(line, key, n) != 0)
        return 0;
    const char *v = sp_skip_space(line + n);
    sp_wb_copy_trimmed(out, outlen, v, strlen(v));
    return 1;
}

static sp_status fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, arg);
    return SP_ERR_BADDATA;
}

sp_status sp_wbadmin_parse_versions(const char *text, size_t len, sp_wb_versions *out, char *err,
                                    size_t errlen)
{
    char line[512], value[200];
    int banner = 0;
    size_t cap = 0;
    sp_wb_version *cur = NULL;
    out->items = NULL;
    out->count = 0;
    if (err && errlen)
        err[0] = '\0';
    for (size_t i = 0; sp_wb_next_line(text, len, &i, line, sizeof line);) {
        const char *l = sp_skip_space(line);
        if (sp_strnicmp(l, "wbadmin ", 8) == 0)
            banner = 1;
        if (strncmp(l, "ERROR - ", 8) == 0) {
            sp_wb_versions_free(out);
            return fail(err, errlen, "wbadmin reported an error: %s", l + 8);
        }
        if (field(l, "Backup time:", value, sizeof value)) {
            if (out->count == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                sp_wb_version *grown = realloc(out->items, ncap * sizeof *grown);
                if (!grown) {
                    sp_wb_versions_free(out);
                    return SP_ERR_NOMEM;
                }
                out->items = grown;
                cap = ncap;
            }
            cur = &out->items[out->count++];
            memset(cur, 0, sizeof *cur);
            cur->time = -1;
        } else if (cur && (field(l, "Backup target:", value, sizeof value) ||
                           field(l, "Backup location:", value, sizeof value))) {
            sp_strlcpy(cur->target, value, sizeof cur->target);
        } else if (cur && field(l, "Version identifier:", value, sizeof value)) {
            const char *end = NULL;
            /* MM/DD/YYYY-HH:MM in UTC whatever the locale: the one date wbadmin never localises. */
            cur->time = sp_civil_parse_datetime(value, 0, &end);
            if (cur->time < 0 || *sp_skip_space(end) != '\0') {
                sp_wb_versions_free(out);
                return fail(err, errlen, "wbadmin listed a version identifier it cannot have written: \"%s\"", value);
            }
            sp_strlcpy(cur->id, value, sizeof cur->id);
        } else if (cur && field(l, "Can recover:", value, sizeof value)) {
            sp_strlcpy(cur->recover, value, sizeof cur->recover);
            cur->full = sp_stristr(value, "Bare Metal") || sp_stristr(value, "System State");
            cur->files = sp_stristr(value, "File(s)");
        }
    }
    for (size_t k = 0; k < out->count; k++) {
        if (out->items[k].time < 0) {
            sp_wb_versions_free(out);
            return fail(err, errlen, "%s", "wbadmin listed a backup without a version identifier");
        }
    }
    if (!banner && out->count == 0) {
        char start[48] = "";
        sp_wb_text_start(text, len, start, sizeof start);
        return fail(err, errlen, "This is not the output of \"wbadmin get versions\": \"%s\"", start);
    }
    return SP_OK;
}

const sp_wb_version *sp_wb_latest_full(const sp_wb_versions *v)
{
    const sp_wb_version *best = NULL;
    for (size_t i = 0; v && i < v->count; i++)
        if (v->items[i].full && v->items[i].files && (!best || v->items[i].time > best->time))
            best = &v->items[i];
    return best;
}

int sp_wbadmin_progress(const char *line)
{
    /* The last "(NN%)" of the line: volume labels may hold parentheses of their own. */
    int pct = -1;
    for (const char *p = line ? strchr(line, '(') : NULL; p; p = strchr(p + 1, '(')) {
        int v = 0, digits = 0;
        const char *q = p + 1;
        while (isdigit((unsigned char)*q) && digits < 4)
            v = v * 10 + (*q++ - '0'), digits++;
        if (digits && *q == '%' && q[1] == ')' && v <= 100)
            pct = v;
    }
    return pct;
}
