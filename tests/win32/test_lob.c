/* The LOB step on the real win32 backend under Wine: Uninstall keys in both registry views,
 * services listed with their image paths (one created by the test), media sizes of real files. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/lob/lob.h"
#include "core/state.h"
#include "core/sys/win32/win32.h"
#include "core/sysinfo.h"
#include "tests/win32/wtest.h"

#define UNINSTALL_A "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
#define UNINSTALL L"" UNINSTALL_A

static void unique(char *out, size_t n, const char *what)
{
    static int serial;
    snprintf(out, n, "SourcePrepTest-%s-%lu-%d", what, (unsigned long)GetCurrentProcessId(), ++serial);
}

/* Removes HKLM\UNINSTALL\<sub> in a view (the test's own keys only). */
static void delete_key(REGSAM view, const char *sub)
{
    HKEY parent;
    wchar_t wsub[200];
    MultiByteToWideChar(CP_UTF8, 0, sub, -1, wsub, 200);
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, UNINSTALL, 0, KEY_ALL_ACCESS | view, &parent) == ERROR_SUCCESS) {
        RegDeleteKeyW(parent, wsub);
        RegCloseKey(parent);
    }
}

/* The entry whose field has that value. */
static cJSON *find_field(sp_state *st, const char *field, const char *value)
{
    cJSON *e;
    cJSON_ArrayForEach(e, sp_lob_entries(st))
        if (strcmp(sp_lob_text(e, field), value) == 0)
            return e;
    return NULL;
}
#define find_entry(st, name) find_field(st, "name", name)
#define find_id(st, id) find_field(st, "id", id)

static int run_check(sp_sys *sys, sp_state *st, sp_sysinfo *info, sp_findings *f, sp_result *r)
{
    sp_run_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.sys = sys;
    ctx.state = st;
    ctx.info = info;
    return sp_step_run(sp_step_find("lob"), &ctx, 0, f, r);
}

WTEST(check_should_list_uninstall_entries_of_both_registry_views_once)
{
    sp_sys *sys = sp_win32_open();
    sp_state *st = sp_state_new(1000);
    sp_sysinfo info;
    sp_findings f = {0};
    sp_result r;
    char k64[100], k32[100], key[300];
    sp_regval v = {0};
    int shared = 0;
    cJSON *e;
    unique(k64, sizeof k64, "payroll64");
    unique(k32, sizeof k32, "stock32");
    WCHECK_EQ_INT(sp_sysinfo_detect(sys, &info), SP_OK);
    snprintf(key, sizeof key, "HKLM\\%s\\%s", UNINSTALL_A, k64);
    sp_regval_set_sz(&v, "Contoso Payroll (64-bit view) Ünïcode");
    WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_64, key, "DisplayName", &v), SP_OK);
    sp_regval_set_sz(&v, "Contoso Ltd.");
    WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_64, key, "Publisher", &v), SP_OK);
    snprintf(key, sizeof key, "HKLM\\%s\\%s", UNINSTALL_A, k32);
    sp_regval_set_sz(&v, "Fabrikam Stock (32-bit view)");
    WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_32, key, "DisplayName", &v), SP_OK);
    sp_regval_set_sz(&v, "20120315");
    WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_32, key, "InstallDate", &v), SP_OK);
    sp_regval_free(&v);

    WCHECK_EQ_INT(run_check(sys, st, &info, &f, &r), SP_OK);
    wtest_note("result %s, %u entries", sp_result_name(r), (unsigned)sp_lob_count(st));
    e = find_entry(st, "Contoso Payroll (64-bit view) Ünïcode");
    WCHECK(e != NULL);
    WCHECK(sp_lob_marked(e));
    WCHECK_EQ_STR(sp_lob_text(e, "publisher"), "Contoso Ltd.");
    e = find_entry(st, "Fabrikam Stock (32-bit view)");
    WCHECK(e != NULL);
    WCHECK_EQ_STR(sp_lob_text(e, "installed"), "2012-03-15");
    /* Each program once, although a 32-bit view read through the 64-bit one shows some twice. */
    cJSON_ArrayForEach(e, sp_lob_entries(st))
        shared += strcmp(sp_lob_text(e, "name"), "Fabrikam Stock (32-bit view)") == 0;
    WCHECK_EQ_INT(shared, 1);
    /* The new entries need a plan: the gate stays closed. */
    WCHECK_EQ_INT(r, SP_RESULT_FAILED);
    delete_key(KEY_WOW64_64KEY, k64);
    delete_key(KEY_WOW64_32KEY, k32);
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}

typedef struct {
    const char *want;
    char image[400], display[200];
    int found, total, windows_ones;
} svc_search;

static int on_svc(void *user, const sp_svc_entry *svc)
{
    svc_search *s = user;
    char exe[400];
    s->total++;
    sp_lob_image_exe(svc->image, "C:\\windows", exe, sizeof exe);
    s->windows_ones += sp_lob_path_under(exe, "C:\\windows");
    if (strcmp(svc->name, s->want) == 0) {
        s->found = 1;
        snprintf(s->image, sizeof s->image, "%s", svc->image);
        snprintf(s->display, sizeof s->display, "%s", svc->display);
    }
    return 0;
}

WTEST(svc_enum_should_list_a_service_with_its_image_path_and_display_name)
{
    sp_sys *sys = sp_win32_open();
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS), svc;
    char name[100];
    wchar_t wname[100];
    svc_search s = {0};
    sp_state *st = sp_state_new(1000);
    sp_sysinfo info;
    sp_findings f = {0};
    sp_result r;
    cJSON *e;
    WCHECK(scm != NULL);
    unique(name, sizeof name, "svc");
    MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 100);
    svc = CreateServiceW(scm, wname, L"Contoso Practice Manager Server", SERVICE_ALL_ACCESS,
                         SERVICE_WIN32_OWN_PROCESS, SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL,
                         L"\"C:\\Program Files\\Contoso\\Practice Manager\\pmserver.exe\" -service", NULL, NULL,
                         NULL, NULL, NULL);
    WCHECK_MSG(svc != NULL, "CreateServiceW failed: %lu", (unsigned long)GetLastError());
    s.want = name;
    WCHECK_EQ_INT(sys->ops->svc_enum(sys, on_svc, &s), SP_OK);
    wtest_note("%d services, %d in the Windows folder", s.total, s.windows_ones);
    WCHECK(s.found);
    WCHECK_EQ_STR(s.image, "\"C:\\Program Files\\Contoso\\Practice Manager\\pmserver.exe\" -service");
    WCHECK_EQ_STR(s.display, "Contoso Practice Manager Server");
    WCHECK(s.windows_ones > 0); /* Wine's own services live in C:\windows */
    /* The step lists it as a third-party service and leaves Windows' own out. */
    WCHECK_EQ_INT(sp_sysinfo_detect(sys, &info), SP_OK);
    WCHECK_EQ_INT(run_check(sys, st, &info, &f, &r), SP_OK);
    e = find_entry(st, "Contoso Practice Manager Server");
    WCHECK(e != NULL);
    WCHECK_EQ_STR(sp_lob_text(e, "kind"), "service");
    WCHECK_EQ_STR(sp_lob_text(e, "location"), "C:\\Program Files\\Contoso\\Practice Manager\\pmserver.exe");
    cJSON_ArrayForEach(e, sp_lob_entries(st))
        WCHECK(!sp_lob_path_under(sp_lob_text(e, "location"), "C:\\windows") || strcmp(sp_lob_text(e, "kind"), "service") != 0);
    DeleteService(svc);
    CloseServiceHandle(svc);
    CloseServiceHandle(scm);
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}

WTEST(media_probe_should_add_up_real_files_and_report_a_missing_path)
{
    sp_sys *sys = sp_win32_open();
    char tmp[300], dir[400], file[500];
    sp_lob_media m;
    static char big[70000];
    sys->ops->folder(sys, SP_FOLDER_TEMP, tmp, sizeof tmp);
    snprintf(dir, sizeof dir, "%s\\sp-lob-media-%lu", tmp, (unsigned long)GetCurrentProcessId());
    snprintf(file, sizeof file, "%s\\Disk 2", dir);
    WCHECK_EQ_INT(sys->ops->dir_create(sys, file), SP_OK);
    snprintf(file, sizeof file, "%s\\Setup.exe", dir);
    WCHECK_EQ_INT(sys->ops->file_write_atomic(sys, file, big, sizeof big), SP_OK);
    snprintf(file, sizeof file, "%s\\Disk 2\\Dätä1.cab", dir);
    WCHECK_EQ_INT(sys->ops->file_write_atomic(sys, file, "cab", 3), SP_OK);
    WCHECK_EQ_INT(sp_lob_media_probe(sys, dir, &m), SP_OK);
    WCHECK(m.exists && m.is_dir);
    WCHECK_EQ_INT(m.files, 2);
    WCHECK_EQ_INT(m.size, sizeof big + 3);
    WCHECK_EQ_INT(sp_lob_media_probe(sys, file, &m), SP_OK);
    WCHECK(m.exists && !m.is_dir && m.size == 3);
    snprintf(file, sizeof file, "%s\\nothing-here", dir);
    WCHECK_EQ_INT(sp_lob_media_probe(sys, file, &m), SP_OK);
    WCHECK(!m.exists);
    snprintf(file, sizeof file, "%s\\Disk 2\\Dätä1.cab", dir);
    sys->ops->file_delete(sys, file);
    snprintf(file, sizeof file, "%s\\Setup.exe", dir);
    sys->ops->file_delete(sys, file);
    sp_sys_close(sys);
}

WTEST_MAIN()

/* ---- SQL Server and ODBC data sources (issue 16) ---------------------------------------------- */

static int count_file(void *user, const sp_sql_file *f)
{
    wtest_note("sql_files: %s %s %llu", f->database, f->file, (unsigned long long)f->size);
    ++*(int *)user;
    return 0;
}

/* No SQL Server runs under Wine: the ODBC path fails with the driver manager's own words, and the
 * step's default instance says its databases were not read from SQL Server and why. */
WTEST(sql_files_should_fail_cleanly_without_a_sql_server)
{
    static const char *const instances[] = {"MSSQLSERVER", "SBSMONITORING"};
    sp_sys *sys = sp_win32_open();
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_ALL_ACCESS), svc;
    sp_state *st = sp_state_new(1000);
    sp_sysinfo info;
    sp_findings f = {0};
    sp_result r;
    cJSON *e;
    char why[300];
    for (size_t i = 0; i < 2; i++) {
        int n = 0;
        sp_status s = sys->ops->sql_files(sys, instances[i], count_file, &n);
        wtest_note("sql_files %s: %s: %s", instances[i], sp_status_name(s), sys->last_error);
        WCHECK(s == SP_ERR_IO || s == SP_ERR_UNSUPPORTED);
        WCHECK_EQ_INT(n, 0);
        snprintf(why, sizeof why, "ODBC to (local)%s%s: ", i ? "\\" : "", i ? instances[i] : "");
        WCHECK_MSG(strncmp(sys->last_error, why, strlen(why)) == 0, "last_error: %s", sys->last_error);
        WCHECK(strlen(sys->last_error) > strlen(why) + 10); /* the driver manager's message follows */
    }
    /* The default instance's service, as SQL Server installs it. */
    WCHECK(scm != NULL);
    svc = CreateServiceW(scm, L"MSSQLSERVER", L"SQL Server (MSSQLSERVER)", SERVICE_ALL_ACCESS,
                         SERVICE_WIN32_OWN_PROCESS, SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL,
                         L"\"C:\\Program Files\\Microsoft SQL Server\\MSSQL.1\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER",
                         NULL, NULL, NULL, NULL, NULL);
    if (!svc && GetLastError() == ERROR_SERVICE_EXISTS)
        svc = OpenServiceW(scm, L"MSSQLSERVER", SERVICE_ALL_ACCESS); /* left by a crashed run */
    WCHECK_MSG(svc != NULL, "CreateServiceW failed: %lu", (unsigned long)GetLastError());
    WCHECK_EQ_INT(sp_sysinfo_detect(sys, &info), SP_OK);
    WCHECK_EQ_INT(run_check(sys, st, &info, &f, &r), SP_OK);
    e = find_id(st, "svc:MSSQLSERVER");
    WCHECK(e != NULL);
    if (e) {
        wtest_note("detail: %s", sp_lob_text(e, "detail"));
        WCHECK(strstr(sp_lob_text(e, "detail"), "default instance; the databases were not read from SQL Server "
                                                "(ODBC to (local): ") != NULL);
    }
    if (svc) {
        DeleteService(svc);
        CloseServiceHandle(svc);
    }
    if (scm)
        CloseServiceHandle(scm);
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}

/* A system DSN and a user DSN written into the registry are listed as data locations. */
WTEST(odbc_data_sources_should_be_found_in_the_registry)
{
    static const char *const roots[] = {"HKLM", "HKCU"};
    sp_sys *sys = sp_win32_open();
    sp_state *st = sp_state_new(1000);
    sp_sysinfo info;
    sp_findings f = {0};
    sp_result r;
    sp_regval v = {0};
    char name[100], key[300], id[200];
    cJSON *e;
    unique(name, sizeof name, "dsn");
    for (size_t i = 0; i < 2; i++) {
        snprintf(key, sizeof key, "%s\\SOFTWARE\\ODBC\\ODBC.INI\\ODBC Data Sources", roots[i]);
        sp_regval_set_sz(&v, "SQL Server");
        WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_DEFAULT, key, name, &v), SP_OK);
        snprintf(key, sizeof key, "%s\\SOFTWARE\\ODBC\\ODBC.INI\\%s", roots[i], name);
        sp_regval_set_sz(&v, i ? "SBS01\\SQLEXPRESS" : "SBS01");
        WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_DEFAULT, key, "Server", &v), SP_OK);
        sp_regval_set_sz(&v, "TWO");
        WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_DEFAULT, key, "Database", &v), SP_OK);
    }
    sp_regval_free(&v);
    WCHECK_EQ_INT(sp_sysinfo_detect(sys, &info), SP_OK);
    WCHECK_EQ_INT(run_check(sys, st, &info, &f, &r), SP_OK);
    snprintf(id, sizeof id, "dsn:system:%s", name);
    e = find_id(st, id);
    WCHECK_MSG(e != NULL, "no entry %s", id);
    if (e) {
        WCHECK_EQ_STR(sp_lob_text(e, "location"), "SBS01, TWO");
        WCHECK_EQ_STR(sp_lob_text(e, "version"), "SQL Server");
    }
    snprintf(id, sizeof id, "dsn:user:%s", name);
    e = find_id(st, id);
    WCHECK_MSG(e != NULL, "no entry %s", id);
    if (e)
        WCHECK_EQ_STR(sp_lob_text(e, "location"), "SBS01\\SQLEXPRESS, TWO");
    for (size_t i = 0; i < 2; i++) {
        HKEY parent;
        wchar_t wname[100];
        snprintf(key, sizeof key, "%s\\SOFTWARE\\ODBC\\ODBC.INI\\ODBC Data Sources", roots[i]);
        sys->ops->reg_delete_value(sys, SP_REG_VIEW_DEFAULT, key, name);
        MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 100);
        if (RegOpenKeyExW(i ? HKEY_CURRENT_USER : HKEY_LOCAL_MACHINE, L"SOFTWARE\\ODBC\\ODBC.INI", 0, KEY_ALL_ACCESS,
                          &parent) == ERROR_SUCCESS) {
            RegDeleteKeyW(parent, wname);
            RegCloseKey(parent);
        }
    }
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}
