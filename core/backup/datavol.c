/* The volumes that hold what the migration needs, from the registry and the Server service. */
#include "core/backup/datavol.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"

#define SHARES_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Shares"
#define NTDS_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Services\\NTDS\\Parameters"
#define NETLOGON_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Netlogon\\Parameters"
#define SQL_KEY "HKLM\\SOFTWARE\\Microsoft\\Microsoft SQL Server"
#define MAX_NAMES 64

int sp_datavols_add(sp_datavols *v, const char *path, char win_letter, const char *what, const char *name)
{
    char letter = 0;
    static const char *const vars[] = {"%SystemRoot%", "%windir%", "%SystemDrive%"};
    if (!path)
        return 0;
    path = sp_skip_space(path);
    if (path[0] == '"')
        path++;
    if (isalpha((unsigned char)path[0]) && path[1] == ':')
        letter = (char)toupper((unsigned char)path[0]);
    for (size_t i = 0; !letter && i < sizeof vars / sizeof vars[0]; i++)
        if (sp_strnicmp(path, vars[i], strlen(vars[i])) == 0)
            letter = (char)toupper((unsigned char)win_letter);
    if (!letter) {
        if (path[0] == '%')
            v->unresolved++;
        return 0; /* a UNC path, or nothing: not a local volume */
    }
    if (letter < 'A' || letter > 'Z')
        return 0;
    for (size_t i = 0; i < v->count; i++)
        if (v->vols[i].letter == letter)
            return 1;
    sp_datavol *d = &v->vols[v->count++];
    d->letter = letter;
    snprintf(d->why, sizeof d->why, "%s%s%.80s (%.100s)", what, name && name[0] ? " " : "", name ? name : "", path);
    return 1;
}

typedef struct {
    char names[MAX_NAMES][128];
    size_t count;
} name_list;

static int take_name(void *user, const char *name)
{
    name_list *l = user;
    if (l->count < MAX_NAMES)
        sp_strlcpy(l->names[l->count++], name, sizeof l->names[0]);
    return 0;
}

/* One share's REG_MULTI_SZ: "Path=D:\Users", "Type=0", ... */
static void add_share(sp_sys *sys, sp_datavols *out, char win, const char *name)
{
    sp_regval v = {0};
    const char *path = NULL;
    long type = 0;
    if (sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, SHARES_KEY, name, &v) != SP_OK)
        return;
    if (v.type == SP_REG_MULTI_SZ && v.data && v.size) {
        /* The data ends with two NULs only when written so: walk within size. */
        for (size_t i = 0; i < v.size && v.data[i];) {
            const char *s = (const char *)v.data + i;
            size_t n = strnlen(s, v.size - i);
            if (n > 5 && sp_strnicmp(s, "Path=", 5) == 0 && n < v.size - i)
                path = s + 5;
            else if (n > 5 && sp_strnicmp(s, "Type=", 5) == 0 && n < v.size - i)
                type = strtol(s + 5, NULL, 0);
            i += n + 1;
        }
    }
    /* Type 0 is a disk share; printers (1) and devices are not data. */
    if (path && (type & 0xFF) == 0) {
        sp_datavols_add(out, path, win, "share", name);
        out->reg_shares++;
    }
    sp_regval_free(&v);
}

typedef struct {
    sp_datavols *out;
    char win;
} net_walk;

/* One share NetShareEnum gave: a disk share that is not administrative (C$, ADMIN$: every
 * volume has one, they hold nothing of their own). */
static int take_net_share(void *user, const sp_share *s)
{
    net_walk *w = user;
    if ((s->type & 0xFFu) != 0 || (s->type & 0x80000000u) || !s->path || !s->path[0])
        return 0;
    sp_datavols_add(w->out, s->path, w->win, "share", s->name);
    w->out->net_shares++;
    return 0;
}

static void add_value(sp_sys *sys, sp_reg_view view, sp_datavols *out, char win, const char *key,
                      const char *value, const char *what)
{
    char path[600];
    if (sp_reg_get_string(sys, view, key, value, path, sizeof path) == SP_OK && path[0])
        sp_datavols_add(out, path, win, what, NULL);
}

static void add_sql(sp_sys *sys, sp_reg_view view, sp_datavols *out, char win)
{
    name_list l;
    char id[128], key[400];
    memset(&l, 0, sizeof l);
    /* SQL Server 2005 and later: instance names to instance ids. */
    sys->ops->reg_enum_values(sys, view, SQL_KEY "\\Instance Names\\SQL", take_name, &l);
    for (size_t i = 0; i < l.count; i++) {
        if (sp_reg_get_string(sys, view, SQL_KEY "\\Instance Names\\SQL", l.names[i], id, sizeof id) != SP_OK)
            continue;
        snprintf(key, sizeof key, SQL_KEY "\\%s\\Setup", id);
        add_value(sys, view, out, win, key, "SQLDataRoot", "SQL Server data");
        snprintf(key, sizeof key, SQL_KEY "\\%s\\MSSQLServer", id);
        add_value(sys, view, out, win, key, "DefaultData", "SQL Server data");
        add_value(sys, view, out, win, key, "DefaultLog", "SQL Server logs");
    }
    /* SQL Server 2000: the default instance, then the named ones by name. */
    add_value(sys, view, out, win, "HKLM\\SOFTWARE\\Microsoft\\MSSQLServer\\Setup", "SQLDataRoot", "SQL Server data");
    add_value(sys, view, out, win, "HKLM\\SOFTWARE\\Microsoft\\MSSQLServer\\MSSQLServer", "DefaultData", "SQL Server data");
    add_value(sys, view, out, win, "HKLM\\SOFTWARE\\Microsoft\\MSSQLServer\\MSSQLServer", "DefaultLog", "SQL Server logs");
    sp_regval v = {0};
    if (sys->ops->reg_get(sys, view, SQL_KEY, "InstalledInstances", &v) == SP_OK && v.type == SP_REG_MULTI_SZ) {
        for (size_t i = 0; i < v.size && v.data[i];) {
            const char *s = (const char *)v.data + i;
            size_t n = strnlen(s, v.size - i);
            if (n < v.size - i && n < 100) {
                snprintf(key, sizeof key, SQL_KEY "\\%s\\Setup", s);
                add_value(sys, view, out, win, key, "SQLDataRoot", "SQL Server data");
            }
            i += n + 1;
        }
    }
    sp_regval_free(&v);
}

sp_status sp_datavols_find(sp_sys *sys, sp_datavols *out)
{
    char winfolder[300] = "C:\\WINDOWS";
    name_list shares;
    memset(out, 0, sizeof *out);
    sys->ops->folder(sys, SP_FOLDER_WINDOWS, winfolder, sizeof winfolder);
    char win = winfolder[0];
    sp_datavols_add(out, winfolder, win, "the system volume", NULL);
    /* The shares from both sources: the registry keeps what survives a restart, the Server
     * service serves what it holds now (also a share made without being kept). */
    memset(&shares, 0, sizeof shares);
    sp_status st = sys->ops->reg_enum_values(sys, SP_REG_VIEW_DEFAULT, SHARES_KEY, take_name, &shares);
    if (st != SP_OK && st != SP_ERR_NOTFOUND) /* no key: no share was ever kept */
        snprintf(out->reg_error, sizeof out->reg_error, "%s: %.200s", sp_status_name(st), sys->last_error);
    for (size_t i = 0; i < shares.count; i++)
        add_share(sys, out, win, shares.names[i]);
    net_walk nw = {out, win};
    st = sys->ops->share_enum ? sys->ops->share_enum(sys, take_net_share, &nw)
                              : sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "NetShareEnum is not available on the %s backend",
                                            sys->ops->name);
    if (st != SP_OK)
        snprintf(out->net_error, sizeof out->net_error, "%s: %.200s", sp_status_name(st), sys->last_error);
    add_value(sys, SP_REG_VIEW_DEFAULT, out, win, NTDS_KEY, "DSA Database file", "the AD database");
    add_value(sys, SP_REG_VIEW_DEFAULT, out, win, NTDS_KEY, "Database log files path", "the AD logs");
    add_value(sys, SP_REG_VIEW_DEFAULT, out, win, NTDS_KEY, "DSA Working Directory", "the AD database");
    add_value(sys, SP_REG_VIEW_DEFAULT, out, win, NETLOGON_KEY, "SysVol", "SYSVOL");
    add_sql(sys, SP_REG_VIEW_DEFAULT, out, win);
    add_sql(sys, SP_REG_VIEW_32, out, win);
    return SP_OK;
}

void sp_datavols_list(const sp_datavols *v, char *out, size_t outlen)
{
    size_t n = 0;
    if (!outlen)
        return;
    out[0] = '\0';
    for (char c = 'A'; c <= 'Z'; c++)
        for (size_t i = 0; i < v->count; i++)
            if (v->vols[i].letter == c && n + 4 < outlen)
                n += (size_t)snprintf(out + n, outlen - n, "%s%c:", n ? "," : "", c);
}
