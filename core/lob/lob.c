/* LOB planning step: inventories applications, third-party services, scheduled tasks and
 * Dashboard add-ins, merges them with the user's marks and plans, and assesses the plan. */
#include "core/lob/lob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/msgids.h"
#include "core/step_table.h"
#include "core/base/strutil.h"

#define UNINSTALL_KEY "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
#define SCHTASKS_TIMEOUT_MS 60000

typedef struct {
    sp_run_ctx *ctx;
    cJSON *fresh;     /* the entries found */
    char windir[260];
    unsigned apps, services, tasks, addins, shares, dsns, hidden;
    sp_status status; /* the first failure inside a callback */
} inventory;

/* Adds an entry; fields may be NULL. Returns 0 when out of memory. */
static int add_entry(inventory *inv, const char *kind, const char *id, const char *name,
                     const char *publisher, const char *version, const char *location,
                     const char *installed, const char *detail, sp_lob_category cat)
{
    const char *names[] = {"id", "kind", "name", "publisher", "version", "location", "installed",
                           "detail", "category"};
    const char *values[] = {id, kind, name, publisher, version, location, installed, detail,
                            sp_lob_category_name(cat)};
    cJSON *e = cJSON_CreateObject();
    if (!e)
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!cJSON_AddStringToObject(e, names[i], values[i] ? values[i] : "")) {
            cJSON_Delete(e);
            return 0;
        }
    }
    cJSON_AddItemToArray(inv->fresh, e);
    if (sp_lob_category_hidden(cat))
        inv->hidden++;
    return 1;
}

/* ---- Uninstall keys ------------------------------------------------------------------------ */

typedef struct {
    inventory *inv;
    sp_reg_view view;
} uninstall_walk;

static void reg_text(sp_sys *sys, sp_reg_view view, const char *key, const char *value, char *out,
                     size_t n)
{
    if (sp_reg_get_string(sys, view, key, value, out, n) != SP_OK)
        out[0] = '\0';
}

/* "20100315" as "2010-03-15"; anything else as it is. */
static void install_date(const char *raw, char *out, size_t n)
{
    if (strlen(raw) == 8 && strspn(raw, "0123456789") == 8)
        snprintf(out, n, "%.4s-%.2s-%.2s", raw, raw + 4, raw + 6);
    else
        snprintf(out, n, "%s", raw);
}

static int on_uninstall_key(void *user, const char *sub)
{
    uninstall_walk *w = user;
    inventory *inv = w->inv;
    sp_sys *sys = inv->ctx->sys;
    char key[600], name[300], publisher[200], version[80], location[300], date[40], when[40];
    char parent[200], release[80], id[400];
    uint32_t system_component = 0;
    cJSON *same;

    if (sp_cancelled(inv->ctx))
        return 1;
    snprintf(key, sizeof key, "%s\\%s", UNINSTALL_KEY, sub);
    reg_text(sys, w->view, key, "DisplayName", name, sizeof name);
    if (!name[0])
        return 0; /* Add or Remove Programs does not list it either */
    if (sp_reg_get_dword(sys, w->view, key, "SystemComponent", &system_component) == SP_OK &&
        system_component == 1)
        return 0;
    reg_text(sys, w->view, key, "Publisher", publisher, sizeof publisher);
    reg_text(sys, w->view, key, "DisplayVersion", version, sizeof version);
    reg_text(sys, w->view, key, "InstallLocation", location, sizeof location);
    reg_text(sys, w->view, key, "InstallDate", date, sizeof date);
    reg_text(sys, w->view, key, "ParentKeyName", parent, sizeof parent);
    reg_text(sys, w->view, key, "ReleaseType", release, sizeof release);
    install_date(date, when, sizeof when);

    snprintf(id, sizeof id, "app:%s", sub);
    if ((same = sp_lob_find(inv->fresh, id)) != NULL) {
        /* The same key in both views is usually the same program seen twice. */
        if (sp_stricmp(sp_lob_text(same, "name"), name) == 0)
            return 0;
        snprintf(id, sizeof id, "app32:%s", sub);
    }
    sp_lob_category cat = sp_lob_classify_app(name, publisher, sub, release);
    if (parent[0] && cat != SP_LOB_CAT_UPDATE)
        cat = SP_LOB_CAT_UPDATE; /* an update of another entry */
    if (!add_entry(inv, "app", id, name, publisher, version, location, when, sub, cat)) {
        inv->status = SP_ERR_NOMEM;
        return 1;
    }
    inv->apps++;
    return 0;
}

static sp_status list_applications(inventory *inv)
{
    static const sp_reg_view views[] = {SP_REG_VIEW_64, SP_REG_VIEW_32};
    sp_sys *sys = inv->ctx->sys;
    for (size_t i = 0; i < 2; i++) {
        uninstall_walk w = {inv, views[i]};
        sp_status st = sys->ops->reg_enum_keys(sys, views[i], UNINSTALL_KEY, on_uninstall_key, &w);
        if (inv->status != SP_OK)
            return inv->status;
        if (st != SP_OK && st != SP_ERR_NOTFOUND)
            return st;
        if (sp_cancelled(inv->ctx))
            return SP_ERR_CANCELLED;
    }
    return SP_OK;
}

/* ---- Services ------------------------------------------------------------------------------ */

/* The default SQL Server instance (MSSQLSERVER) is Microsoft's, but when it holds databases
 * of its own users it is a line-of-business database: its data folder (DefaultData, else the
 * Data folder beside Binn) is looked at for .mdf files that are not SQL Server's own. */
typedef struct {
    char list[600];
    unsigned count;
} user_dbs;

static int on_data_file(void *user, const char *name, int is_dir)
{
    static const char *const system_files[] = {"master.mdf",   "model.mdf",  "msdbdata.mdf",
                                               "tempdb.mdf",   "distmdl.mdf",
                                               "mssqlsystemresource.mdf", NULL};
    user_dbs *u = user;
    size_t n = strlen(name), len = strlen(u->list);
    if (is_dir || n <= 4 || sp_stricmp(name + n - 4, ".mdf") != 0)
        return 0;
    for (const char *const *f = system_files; *f; f++)
        if (sp_stricmp(name, *f) == 0)
            return 0;
    u->count++;
    if (len + n + 3 < sizeof u->list)
        snprintf(u->list + len, sizeof u->list - len, "%s%s", len ? ", " : "", name);
    return 0;
}

/* The user databases as the instance itself lists them (sql_files, over ODBC). */
typedef struct {
    char list[1200], last[128];
    unsigned dbs;
} sql_dbs;

static int on_sql_file(void *user, const sp_sql_file *f)
{
    sql_dbs *d = user;
    size_t len = strlen(d->list);
    int first = strcmp(d->last, f->database) != 0;
    if (first) {
        d->dbs++;
        snprintf(d->last, sizeof d->last, "%s", f->database);
    }
    snprintf(d->list + len, sizeof d->list - len, "%s%s%s%s (%llu MB)", len ? (first ? "; " : ", ") : "",
             first ? f->database : "", first ? ": " : "", f->file,
             (unsigned long long)((f->size + 1048575) / 1048576));
    return 0;
}

/* Reads instance's user databases from SQL Server into d: 1 read, 0 not (why in d->list). */
static int sql_read(inventory *inv, const char *instance, sql_dbs *d)
{
    sp_sys *sys = inv->ctx->sys;
    sp_status st;
    memset(d, 0, sizeof *d);
    st = sys->ops->sql_files ? sys->ops->sql_files(sys, instance, on_sql_file, d) : SP_ERR_UNSUPPORTED;
    if (st != SP_OK)
        snprintf(d->list, sizeof d->list, "%s", sys->ops->sql_files ? sys->last_error : "no ODBC here");
    return st == SP_OK;
}

static sp_lob_category default_sql_instance(inventory *inv, const char *exe, char *detail,
                                            size_t n)
{
    sp_sys *sys = inv->ctx->sys;
    char dir[600] = "", why[400];
    user_dbs u = {"", 0};
    sql_dbs d;
    if (sql_read(inv, "MSSQLSERVER", &d)) {
        snprintf(detail, n, "default instance; %u user database%s (read from SQL Server)%s%s", d.dbs,
                 d.dbs == 1 ? "" : "s", d.dbs ? ": " : "", d.list);
        return d.dbs ? SP_LOB_CAT_DATABASE : SP_LOB_CAT_MICROSOFT;
    }
    /* Never silently: the guess from the data folder says it is one, and why. */
    snprintf(why, sizeof why, "; the databases were not read from SQL Server (%.340s)", d.list);
    if (sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\Microsoft\\MSSQLServer\\MSSQLServer",
                          "DefaultData", dir, sizeof dir) != SP_OK || !dir[0]) {
        dir[0] = '\0';
        for (const char *c = exe; *c; c++)
            if (sp_strnicmp(c, "\\Binn\\", 6) == 0)
                snprintf(dir, sizeof dir, "%.*s\\Data", (int)(c - exe), exe);
    }
    if (!dir[0] || sys->ops->dir_enum(sys, dir, on_data_file, &u) != SP_OK) {
        snprintf(detail, n, "default instance%s; its data folder %.300s could not be read: %.250s", why,
                 dir[0] ? dir : "(unknown)", dir[0] ? sys->last_error : "no Binn folder");
        return SP_LOB_CAT_DATABASE; /* could not tell: suggested, never hidden */
    }
    if (u.count == 0) {
        snprintf(detail, n, "default instance%s; no user database files in %.300s (databases kept "
                 "elsewhere are not seen)", why, dir);
        return SP_LOB_CAT_MICROSOFT;
    }
    snprintf(detail, n, "default instance%s; %u user database file%s in %.300s: %.500s", why, u.count,
             u.count == 1 ? "" : "s", dir, u.list);
    return SP_LOB_CAT_DATABASE;
}

static int on_service(void *user, const sp_svc_entry *svc)
{
    inventory *inv = user;
    char exe[600], id[300];
    if (sp_cancelled(inv->ctx))
        return 1;
    sp_lob_image_exe(svc->image, inv->windir, exe, sizeof exe);
    if (!exe[0] || sp_lob_path_under(exe, inv->windir))
        return 0;
    snprintf(id, sizeof id, "svc:%s", svc->name);
    if (sp_lob_find(inv->fresh, id))
        return 0;
    sp_lob_category cat = sp_lob_classify_service(svc->name, exe);
    char detail[1600];
    snprintf(detail, sizeof detail, "%s", svc->image);
    if (sp_stricmp(svc->name, "MSSQLSERVER") == 0)
        cat = default_sql_instance(inv, exe, detail, sizeof detail);
    else if (sp_strnicmp(svc->name, "MSSQL$", 6) == 0) {
        /* A named instance: its user databases, for the plan of whatever uses them. */
        sql_dbs d;
        size_t len = strlen(detail);
        if (sql_read(inv, svc->name + 6, &d))
            snprintf(detail + len, sizeof detail - len, "; %u user database%s (read from SQL Server)%s%s",
                     d.dbs, d.dbs == 1 ? "" : "s", d.dbs ? ": " : "", d.list);
        else
            snprintf(detail + len, sizeof detail - len, "; the databases were not read from SQL Server (%s)",
                     d.list);
    }
    if (!add_entry(inv, "service", id, svc->display[0] ? svc->display : svc->name, "", "", exe, "",
                   detail, cat)) {
        inv->status = SP_ERR_NOMEM;
        return 1;
    }
    inv->services++;
    return 0;
}

/* ---- Scheduled tasks ----------------------------------------------------------------------- */

static int on_task(void *user, const sp_lob_task *task)
{
    inventory *inv = user;
    char exe[600], id[400];
    const char *name = task->name;
    sp_lob_image_exe(task->command, inv->windir, exe, sizeof exe);
    if (!exe[0] || sp_lob_path_under(exe, inv->windir) || sp_stricmp(task->command, "N/A") == 0)
        return 0;
    if (name[0] == '\\' && !strchr(name + 1, '\\'))
        name++; /* the root folder's tasks, as 2003 names them */
    snprintf(id, sizeof id, "task:%s", name);
    if (sp_lob_find(inv->fresh, id))
        return 0; /* one row per trigger on 2008 and later */
    /* The task's author is who scheduled it, not the program's publisher. */
    if (!add_entry(inv, "task", id, name, "", "", exe, "", task->command,
                   sp_lob_classify_task(exe))) {
        inv->status = SP_ERR_NOMEM;
        return 1;
    }
    inv->tasks++;
    return 0;
}

/* schtasks is the documented way to list tasks on every version from 2003 on; its CSV output
 * carries the program each task runs. Failing to run it is reported, not fatal. */
static sp_status list_tasks(inventory *inv, sp_findings *out)
{
    static const char *const argv[] = {"schtasks", "/query", "/fo", "csv", "/v", NULL};
    sp_sys *sys = inv->ctx->sys;
    char *output = NULL, err[300] = "", why[600];
    size_t len = 0;
    int code = -1;
    sp_status st = sys->ops->proc_run(sys, argv, SCHTASKS_TIMEOUT_MS, &output, &len, &code);
    if (st == SP_ERR_NOMEM || st == SP_ERR_CANCELLED) {
        free(output);
        return st;
    }
    if (st != SP_OK)
        snprintf(why, sizeof why, "schtasks /query /fo csv /v: %s",
                 sys->last_error[0] ? sys->last_error : sp_status_name(st));
    else if (code != 0)
        snprintf(why, sizeof why, "schtasks /query /fo csv /v exited with %d: %.400s", code,
                 output ? output : "");
    else if ((st = sp_lob_parse_schtasks(output, len, on_task, inv, err, sizeof err)) != SP_OK)
        snprintf(why, sizeof why, "schtasks /query /fo csv /v: %s", err);
    free(output);
    if (inv->status != SP_OK)
        return inv->status;
    if (st == SP_ERR_NOMEM)
        return st;
    if (st != SP_OK || code != 0)
        return sp_findings_add(out, SP_SEV_WARNING, "lob.tasks_failed", IDS_F_LOB_TASKS_FAILED,
                               IDS_F_LOB_LIST_FAILED_ADVICE, NULL, why);
    return SP_OK;
}

/* ---- Shares: the data locations a plan can point at ---------------------------------------- */

#define SHARES_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Shares"

typedef struct {
    char names[64][128];
    unsigned count;
} share_names;

static int on_share_name(void *user, const char *name)
{
    share_names *n = user;
    size_t len = strlen(name);
    /* Administrative shares (C$, ADMIN$) and the domain's own are not anybody's data. */
    if (len && name[len - 1] != '$' && sp_stricmp(name, "SYSVOL") != 0 &&
        sp_stricmp(name, "NETLOGON") != 0 && n->count < 64 && len < sizeof n->names[0])
        snprintf(n->names[n->count++], sizeof n->names[0], "%s", name);
    return 0;
}

/* A share's value is a MULTI_SZ of "Key=value" lines; the folder is "Path=". */
static void share_path(const sp_regval *v, char *out, size_t n)
{
    out[0] = '\0';
    if (v->type != SP_REG_MULTI_SZ && v->type != SP_REG_SZ)
        return;
    for (size_t i = 0; i < v->size && v->data[i];) {
        const char *line = (const char *)v->data + i;
        size_t len = strnlen(line, v->size - i);
        if (len > 5 && sp_strnicmp(line, "Path=", 5) == 0)
            snprintf(out, n, "%.*s", (int)(len - 5), line + 5);
        i += len + 1;
    }
}

static sp_status list_shares(inventory *inv)
{
    sp_sys *sys = inv->ctx->sys;
    share_names names;
    names.count = 0;
    if (sys->ops->reg_enum_values(sys, SP_REG_VIEW_DEFAULT, SHARES_KEY, on_share_name, &names) !=
        SP_OK)
        return SP_OK; /* no shares key: no shares */
    for (unsigned i = 0; i < names.count; i++) {
        sp_regval v = {0};
        char path[600], id[200], detail[800];
        if (sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, SHARES_KEY, names.names[i], &v) != SP_OK)
            continue;
        share_path(&v, path, sizeof path);
        sp_regval_free(&v);
        if (!path[0])
            continue;
        snprintf(id, sizeof id, "share:%s", names.names[i]);
        snprintf(detail, sizeof detail, "shared folder %s: %s", names.names[i], path);
        if (!add_entry(inv, "share", id, names.names[i], "", "", path, "", detail,
                       SP_LOB_CAT_UTILITY))
            return SP_ERR_NOMEM;
        inv->shares++;
    }
    return SP_OK;
}

/* ---- ODBC data sources: where an application's data lives ---------------------------------- */

#define ODBC_INI "SOFTWARE\\ODBC\\ODBC.INI"

/* The system DSNs (HKLM, in both views on 64-bit Windows: a 32-bit application's are in the
 * 32-bit one) and this user's (HKCU); each with its driver and where its data is. */
static sp_status list_dsns(inventory *inv)
{
    static const struct {
        const char *root, *scope;
        sp_reg_view view;
    } where[] = {{"HKLM", "system", SP_REG_VIEW_64}, {"HKLM", "system", SP_REG_VIEW_32},
                 {"HKCU", "user", SP_REG_VIEW_DEFAULT}};
    sp_sys *sys = inv->ctx->sys;
    for (size_t w = 0; w < sizeof where / sizeof where[0]; w++) {
        share_names names;
        char list[200];
        names.count = 0;
        snprintf(list, sizeof list, "%s\\" ODBC_INI "\\ODBC Data Sources", where[w].root);
        /* The shares' collector: a DSN named like an administrative share (X$), SYSVOL or
         * NETLOGON is left out with them. */
        if (sys->ops->reg_enum_values(sys, where[w].view, list, on_share_name, &names) != SP_OK)
            continue; /* no DSNs there */
        for (unsigned i = 0; i < names.count; i++) {
            char key[300], id[200], driver[200], server[200], db[200], dbq[400], location[620], detail[1200];
            snprintf(id, sizeof id, "dsn:%s:%s", where[w].scope, names.names[i]);
            if (sp_lob_find(inv->fresh, id))
                continue; /* the same DSN seen in both views */
            snprintf(key, sizeof key, "%s\\" ODBC_INI "\\%s", where[w].root, names.names[i]);
            reg_text(sys, where[w].view, list, names.names[i], driver, sizeof driver);
            reg_text(sys, where[w].view, key, "Server", server, sizeof server);
            reg_text(sys, where[w].view, key, "Database", db, sizeof db);
            reg_text(sys, where[w].view, key, "DBQ", dbq, sizeof dbq);
            snprintf(location, sizeof location, "%s%s%s", dbq[0] ? dbq : server, !dbq[0] && server[0] && db[0] ? ", " : "",
                     dbq[0] ? "" : db);
            snprintf(detail, sizeof detail, "%s ODBC data source %s (%s): %s%s%s%s%s%s", where[w].scope, names.names[i],
                     driver, server[0] ? "Server=" : "", server, db[0] ? " Database=" : "", db, dbq[0] ? " DBQ=" : "",
                     dbq);
            if (!add_entry(inv, "dsn", id, names.names[i], "", driver, location, "", detail, SP_LOB_CAT_UTILITY))
                return SP_ERR_NOMEM;
            inv->dsns++;
        }
    }
    return SP_OK;
}

/* ---- Dashboard add-ins (SBS 2011 Essentials SDK) ------------------------------------------ */

typedef struct {
    inventory *inv;
    const char *dir;
    int folders;
    char sub[8][260];
} addin_walk;

static int on_addin_dir(void *user, const char *name, int is_dir)
{
    addin_walk *w = user;
    if (is_dir && name[0] != '.' && w->folders < 8)
        snprintf(w->sub[w->folders++], sizeof w->sub[0], "%s", name);
    return 0;
}

static int on_addin_file(void *user, const char *name, int is_dir)
{
    addin_walk *w = user;
    size_t n = strlen(name);
    char id[600], path[900], shown[260];
    if (is_dir || n <= 6 || sp_stricmp(name + n - 6, ".addin") != 0)
        return 0;
    snprintf(id, sizeof id, "addin:%s", name);
    snprintf(path, sizeof path, "%s\\%s", w->dir, name);
    snprintf(shown, sizeof shown, "%.*s", (int)(n - 6), name);
    if (!add_entry(w->inv, "addin", id, shown, "", "", path, "", path, SP_LOB_CAT_ADDIN)) {
        w->inv->status = SP_ERR_NOMEM;
        return 1;
    }
    w->inv->addins++;
    return 0;
}

/* The Dashboard loads add-ins from <Program Files>\Windows Server\Bin\AddIns\<area>\*.addin. */
static sp_status list_addins(inventory *inv)
{
    sp_sys *sys = inv->ctx->sys;
    const sp_sysinfo *info = inv->ctx->info;
    char pf[260], root[400], dir[700];
    addin_walk w = {inv, NULL, 0, {{0}}};
    if (!info || (info->product != SP_PRODUCT_SBS2011_ESSENTIALS && info->product != SP_PRODUCT_ESSENTIALS2012 &&
                  info->product != SP_PRODUCT_ESSENTIALS2012R2 && info->product != SP_PRODUCT_ESSENTIALS2016))
        return SP_OK;
    if (sp_reg_get_string(sys, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion",
                          "ProgramFilesDir", pf, sizeof pf) != SP_OK)
        snprintf(pf, sizeof pf, "C:\\Program Files");
    snprintf(root, sizeof root, "%s\\Windows Server\\Bin\\AddIns", pf);
    if (sys->ops->dir_enum(sys, root, on_addin_dir, &w) != SP_OK)
        return SP_OK; /* no add-in folder: no add-ins */
    for (int i = 0; i < w.folders && inv->status == SP_OK; i++) {
        snprintf(dir, sizeof dir, "%s\\%s", root, w.sub[i]);
        w.dir = dir;
        sys->ops->dir_enum(sys, dir, on_addin_file, &w);
    }
    return inv->status;
}

/* ---- Install media of the plans ------------------------------------------------------------ */

/* Media recorded in a plan may have moved since it was entered: look again (a folder's size is
 * kept from the editor's count, walking it on every check would be slow on a share). */
static sp_status recheck_media(sp_run_ctx *ctx)
{
    cJSON *e;
    cJSON_ArrayForEach(e, sp_lob_entries(ctx->state)) {
        sp_lob_plan plan;
        sp_filestat fs;
        if (sp_cancelled(ctx))
            return SP_ERR_CANCELLED;
        if (!sp_lob_marked(e))
            continue;
        sp_lob_get_plan(e, &plan);
        if (!plan.media_checked || !plan.media[0])
            continue;
        if (ctx->sys->ops->file_stat(ctx->sys, plan.media, &fs) != SP_OK)
            continue; /* could not look: keep what the editor found */
        plan.media_found = fs.exists;
        if (fs.exists && !fs.is_dir)
            plan.media_size = fs.size;
        if (sp_lob_set_plan(e, &plan) != SP_OK)
            return SP_ERR_NOMEM;
    }
    return SP_OK;
}

/* ---- The step -------------------------------------------------------------------------------- */

static sp_status lob_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    inventory inv;
    sp_status st;
    char count[16], evidence[200];
    cJSON *scratch = NULL;
    const cJSON *data;
    sp_step_state *s;

    memset(&inv, 0, sizeof inv);
    inv.ctx = ctx;
    if (ctx->sys->ops->folder(ctx->sys, SP_FOLDER_WINDOWS, inv.windir, sizeof inv.windir) != SP_OK)
        snprintf(inv.windir, sizeof inv.windir, "C:\\WINDOWS");
    if (!(inv.fresh = cJSON_CreateArray()))
        return SP_ERR_NOMEM;

    sp_progress(ctx, 50, "Uninstall");
    st = list_applications(&inv);
    if (st == SP_OK) {
        sp_progress(ctx, 350, SP_REF(IDS_PG_SERVICES));
        if (!ctx->sys->ops->svc_enum) {
            st = sp_sys_fail(ctx->sys, SP_ERR_UNSUPPORTED, "This backend cannot list services.");
        } else {
            st = ctx->sys->ops->svc_enum(ctx->sys, on_service, &inv);
            if (inv.status != SP_OK)
                st = inv.status;
        }
        if (st != SP_OK && st != SP_ERR_NOMEM && st != SP_ERR_CANCELLED)
            st = sp_findings_add(out, SP_SEV_WARNING, "lob.services_failed", IDS_F_LOB_SERVICES_FAILED,
                                 IDS_F_LOB_LIST_FAILED_ADVICE, NULL, ctx->sys->last_error);
    }
    if (st == SP_OK && sp_cancelled(ctx))
        st = SP_ERR_CANCELLED;
    if (st == SP_OK) {
        sp_progress(ctx, 600, "schtasks");
        st = list_tasks(&inv, out);
    }
    if (st == SP_OK && sp_cancelled(ctx))
        st = SP_ERR_CANCELLED;
    if (st == SP_OK) {
        sp_progress(ctx, 900, SP_REF(IDS_PG_ADDINS));
        st = list_addins(&inv);
    }
    if (st == SP_OK) {
        sp_progress(ctx, 950, SP_REF(IDS_PG_SHARES));
        st = list_shares(&inv);
    }
    if (st == SP_OK)
        st = list_dsns(&inv);
    if (st != SP_OK) {
        cJSON_Delete(inv.fresh);
        return st;
    }

    snprintf(count, sizeof count, "%u", inv.apps + inv.services + inv.tasks + inv.addins);
    snprintf(evidence, sizeof evidence,
             "applications=%u services=%u tasks=%u addins=%u hidden=%u shares=%u dsns=%u", inv.apps,
             inv.services, inv.tasks, inv.addins, inv.hidden, inv.shares, inv.dsns);
    st = sp_findings_add(out, SP_SEV_INFO, "lob.inventory", IDS_F_LOB_INVENTORY,
                         IDS_F_LOB_INVENTORY_ADVICE, count, evidence);
    if (st != SP_OK) {
        cJSON_Delete(inv.fresh);
        return st;
    }
    /* The marks and plans live in the state; without one (a dry run) assess a scratch copy. */
    if (!ctx->state) {
        scratch = cJSON_CreateObject();
        if (!scratch) {
            cJSON_Delete(inv.fresh);
            return SP_ERR_NOMEM;
        }
        for (cJSON *e = inv.fresh->child; e; e = e->next)
            cJSON_AddBoolToObject(e, "lob", sp_lob_category_suggested(sp_lob_entry_category(e)));
        cJSON_AddItemToObject(scratch, "entries", inv.fresh);
        data = scratch;
    } else {
        st = sp_lob_merge(ctx->state, inv.fresh, ctx->sys->ops->time_now(ctx->sys));
        if (st == SP_OK)
            st = recheck_media(ctx);
        if (st != SP_OK)
            return st;
        s = sp_state_step(ctx->state, "lob");
        data = s ? s->data : NULL;
    }
    st = sp_lob_assess(data, out, result);
    if (st == SP_OK && !scratch)
        sp_lob_statement_settle(ctx->state, *result);
    cJSON_Delete(scratch);
    return st;
}

const sp_step sp_step_lob = {"lob", lob_check, NULL};
