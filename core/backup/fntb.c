/* FilesNotToBackup: the entries of the registry key, read into rules, and the match. */
#include "core/backup/fntb.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"

#define FNTB_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Control\\BackupRestore\\FilesNotToBackup"

/* Windows' wildcards: * any run, ? one character, any case. */
static int wild(const char *pat, const char *s)
{
    const char *star = NULL, *back = NULL;
    while (*s) {
        if (*pat == '*') {
            star = pat++;
            back = s;
        } else if (*pat == '?' || (*pat && tolower((unsigned char)*pat) == tolower((unsigned char)*s))) {
            pat++, s++;
        } else if (star) {
            pat = star + 1;
            s = ++back;
        } else {
            return 0;
        }
    }
    while (*pat == '*')
        pat++;
    /* "*.*" matches a name without a dot too, as on Windows. */
    return *pat == '\0' || strcmp(pat, ".*") == 0;
}

sp_status sp_fntb_parse(const char *entry, const char *const (*vars)[2], sp_fntb_rule *out)
{
    char buf[600];
    memset(out, 0, sizeof *out);
    if (!entry)
        return SP_ERR_BADDATA;
    entry = sp_skip_space(entry);
    size_t n = strlen(entry);
    if (n == 0 || n >= 300)
        return SP_ERR_BADDATA;
    memcpy(buf, entry, n + 1);
    while (n && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    if (n >= 3 && buf[n - 3] == ' ' && buf[n - 2] == '/' && (buf[n - 1] | 0x20) == 's') {
        out->subdirs = 1;
        buf[n -= 3] = '\0';
        while (n && isspace((unsigned char)buf[n - 1]))
            buf[--n] = '\0';
    }
    if (n == 0)
        return SP_ERR_BADDATA;
    char path[600];
    if (buf[0] == '%') {
        const char *end = strchr(buf + 1, '%');
        size_t vn = end ? (size_t)(end - buf + 1) : 0;
        const char *value = NULL;
        for (size_t i = 0; vn && vars && vars[i][0]; i++)
            if (strlen(vars[i][0]) == vn && sp_strnicmp(buf, vars[i][0], vn) == 0)
                value = vars[i][1];
        if (!value)
            return SP_ERR_UNSUPPORTED;
        snprintf(path, sizeof path, "%s%s", value, buf + vn);
    } else {
        sp_strlcpy(path, buf, sizeof path);
    }
    char *slash = strrchr(path, '\\');
    const char *spec = slash ? slash + 1 : path;
    if (!spec[0] || strlen(spec) >= sizeof out->spec)
        return SP_ERR_BADDATA;
    sp_strlcpy(out->spec, spec, sizeof out->spec);
    if (slash)
        *slash = '\0';
    else
        path[0] = '\0';
    if (strlen(path) >= sizeof out->dir)
        return SP_ERR_BADDATA;
    sp_strlcpy(out->dir, path, sizeof out->dir);
    out->any_volume = !(isalpha((unsigned char)path[0]) && path[1] == ':');
    return SP_OK;
}

static int rule_match(const sp_fntb_rule *r, const char *path)
{
    const char *slash = strrchr(path, '\\');
    if (!slash)
        return 0;
    const char *folder = path;
    size_t flen = (size_t)(slash - path);
    if (r->any_volume) {
        if (!(isalpha((unsigned char)path[0]) && path[1] == ':'))
            return 0;
        folder += 2, flen -= 2; /* "\dir" on that volume */
    }
    size_t dlen = strlen(r->dir);
    if (dlen > flen || sp_strnicmp(folder, r->dir, dlen) != 0)
        return 0;
    if (dlen != flen && !(r->subdirs && folder[dlen] == '\\'))
        return 0;
    return wild(r->spec, slash + 1);
}

int sp_fntb_match(const sp_fntb *f, const char *path)
{
    for (size_t i = 0; f && i < f->count; i++)
        if (rule_match(&f->rules[i], path))
            return 1;
    return 0;
}

typedef struct {
    char names[SP_FNTB_MAX][128];
    size_t count;
} fntb_names;

static int take(void *user, const char *name)
{
    fntb_names *l = user;
    if (l->count < SP_FNTB_MAX)
        sp_strlcpy(l->names[l->count++], name, sizeof l->names[0]);
    return 0;
}

sp_status sp_fntb_read(sp_sys *sys, sp_fntb *out)
{
    fntb_names *names = malloc(sizeof *names); /* 16 KiB: off the stack of a worker thread */
    char win[300] = "C:\\WINDOWS", pd[300] = "", drive[4] = "C:";
    memset(out, 0, sizeof *out);
    if (!names)
        return SP_ERR_NOMEM;
    memset(names, 0, sizeof *names);
    sys->ops->folder(sys, SP_FOLDER_WINDOWS, win, sizeof win);
    if (sys->ops->folder(sys, SP_FOLDER_PROGRAMDATA, pd, sizeof pd) != SP_OK)
        pd[0] = '\0';
    drive[0] = win[0];
    const char *const vars[][2] = {{"%SystemRoot%", win}, {"%windir%", win}, {"%SystemDrive%", drive},
                                   {"%ProgramData%", pd[0] ? pd : NULL}, {"%ALLUSERSPROFILE%", pd[0] ? pd : NULL},
                                   {NULL, NULL}};
    if (sys->ops->reg_enum_values(sys, SP_REG_VIEW_DEFAULT, FNTB_KEY, take, names) != SP_OK)
        names->count = 0; /* no key: Windows leaves nothing out */
    for (size_t i = 0; i < names->count; i++) {
        sp_regval v = {0};
        if (sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, FNTB_KEY, names->names[i], &v) != SP_OK)
            continue;
        /* REG_MULTI_SZ (usual) or a single REG_SZ / REG_EXPAND_SZ. */
        for (size_t k = 0; v.data && k < v.size && v.data[k] && (v.type == SP_REG_MULTI_SZ || k == 0);) {
            const char *s = (const char *)v.data + k;
            size_t n = strnlen(s, v.size - k);
            if (n == v.size - k)
                break; /* not terminated within the value */
            if (out->count < SP_FNTB_MAX) {
                sp_status st = sp_fntb_parse(s, vars, &out->rules[out->count]);
                if (st == SP_OK)
                    out->count++;
                else if (st == SP_ERR_UNSUPPORTED && !out->unresolved++)
                    sp_strlcpy(out->example_unresolved, s, sizeof out->example_unresolved);
            }
            k += n + 1;
        }
        sp_regval_free(&v);
    }
    free(names);
    return SP_OK;
}
