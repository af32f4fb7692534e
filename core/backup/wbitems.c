/* Parses `wbadmin get items -version:<id>`: the volumes (and applications) one backup holds.
 *   Volume ID = {5b1e...}
 *   Volume 'Data', mounted at D:
 *   Volume size = 200.00 GB
 *   Can recover = Full volume
 *   Application = Registry
 * The words wbadmin writes are in the one table below, one row per language: add a row to
 * read another language; the parser itself never names a word. */
#include "core/backup/wbitems.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/backup/wbadmin.h"
#include "core/backup/wbline.h"

typedef struct {
    const char *lang;
    const char *volume_id;   /* starts the block of one volume, followed by "=" */
    const char *volume;      /* starts the line with the label in quotes */
    const char *mounted_at;  /* between the label's closing quote and the mount point */
    const char *application; /* an application line, followed by "=" */
} wbitems_words;

/* English is Microsoft's documented output. German and French are reconstructions from the
 * terms those Windows versions use in their Backup console, not checked against output captured
 * on a real server (as the tables of wbadmin.c): a line in another wording leaves the volume
 * unread, and the step then says the contents could not be checked, never that they are fine. */
static const wbitems_words words[] = {
    {"en", "Volume ID", "Volume '", "', mounted at ", "Application"},
    {"de", "Volume-ID", "Volume '", "', bereitgestellt unter ", "Anwendung"},
    {"fr", "ID du volume", "Volume '", "', monté sur ", "Application"},
};

static sp_status fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, arg);
    return SP_ERR_BADDATA;
}

/* True when l is key, spaces, "=". */
static int keyed(const char *l, const char *key)
{
    size_t n = strlen(key);
    return sp_strnicmp(l, key, n) == 0 && *sp_skip_space(l + n) == '=';
}

/* The last occurrence of needle in s (labels may hold the separator themselves). */
static const char *last_of(const char *s, const char *needle)
{
    const char *found = NULL;
    size_t n = strlen(needle);
    for (const char *p = s; *p; p++)
        if (sp_strnicmp(p, needle, n) == 0)
            found = p;
    return found;
}

/* Reads one volume line into v; 0 when it is not one in that language. */
static int volume_line(const char *l, const wbitems_words *w, sp_wb_item_volume *v)
{
    size_t pre = strlen(w->volume);
    const char *sep;
    if (sp_strnicmp(l, w->volume, pre) != 0 || !(sep = last_of(l + pre, w->mounted_at)))
        return 0;
    memset(v, 0, sizeof *v);
    sp_wb_copy_trimmed(v->label, sizeof v->label, l + pre, (size_t)(sep - (l + pre)));
    const char *m = sp_skip_space(sep + strlen(w->mounted_at));
    sp_wb_copy_trimmed(v->mount, sizeof v->mount, m, strlen(m));
    /* "D:" or "D:\" alone: a volume at a drive letter's root (not a folder mount point). */
    if (isalpha((unsigned char)m[0]) && m[1] == ':' &&
        (*sp_skip_space(m + 2) == '\0' || (m[2] == '\\' && *sp_skip_space(m + 3) == '\0')))
        v->letter = (char)toupper((unsigned char)m[0]);
    return 1;
}

sp_status sp_wbitems_parse(const char *text, size_t len, sp_wb_items *out, char *err, size_t errlen)
{
    char line[512];
    int banner = 0, open_id = 0;
    const wbitems_words *w = NULL;
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    for (size_t i = 0; sp_wb_next_line(text, len, &i, line, sizeof line);) {
        const char *l = sp_skip_space(line);
        if (sp_wbadmin_error_line(l)) /* "ERROR - ", "FEHLER - ", ... */
            return fail(err, errlen, "wbadmin reported an error: %.300s", l);
        banner |= sp_strnicmp(l, "wbadmin ", 8) == 0;
        for (size_t k = 0; !w && k < sizeof words / sizeof words[0]; k++)
            if (keyed(l, words[k].volume_id))
                w = &words[k];
        if (!w)
            continue;
        sp_wb_item_volume v;
        if (keyed(l, w->volume_id)) {
            if (open_id)
                return fail(err, errlen, "%s", "wbadmin listed a volume without its mount point");
            open_id = 1;
        } else if (keyed(l, w->application)) {
            out->apps++;
        } else if (open_id && volume_line(l, w, &v)) {
            open_id = 0;
            if (out->count < SP_WB_ITEMS_MAX)
                out->vols[out->count++] = v;
            else
                out->more++;
            if (v.letter)
                out->letters |= 1ul << (v.letter - 'A');
        }
    }
    if (open_id)
        return fail(err, errlen, "%s", "wbadmin listed a volume without its mount point");
    if (out->count == 0) {
        if (!banner) {
            char start[48] = "";
            sp_wb_text_start(text, len, start, sizeof start);
            return fail(err, errlen, "This is not the output of \"wbadmin get items\": \"%s\"", start);
        }
        return fail(err, errlen, "%s",
                    "wbadmin listed no volume SourcePrep can read in this backup (none, or in a language it does not read)");
    }
    return SP_OK;
}

int sp_wb_items_has(const sp_wb_items *it, char letter)
{
    int c = toupper((unsigned char)letter);
    return it && c >= 'A' && c <= 'Z' && (it->letters >> (c - 'A')) & 1ul;
}
