/* Entry point: command line, backend (real or simulated), session, then the wizard or a batch run. */
#include <windows.h>
#include <commctrl.h>
#include <shellapi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/sha256.h"
#include "core/report.h"
#include "core/sys/sim/sim.h"
#include "core/sys/win32/win32.h"
#include "resources/resource.h"
#include "wizard/app.h"
#include "pages/ui/text.h"

static BOOL unattended(const sp_app *app)
{
    return sp_cmdline_unattended(&app->cl);
}

void sp_app_message(sp_app *app, UINT type, const wchar_t *text)
{
    if (unattended(app))
        sp_app_note_event(app, text);
    if (unattended(app) || app->cl.help) {
        if (sp_console_attach()) {
            sp_console_write(text);
            sp_console_write(L"\n");
            return;
        }
    }
    wchar_t *title = sp_load(app->hinst, IDS_ERR_TITLE);
    /* Without a desktop (a service, a remote shell) the message still reaches someone. */
    if (!MessageBoxW(app->owner, text, title, type) && sp_console_attach()) {
        sp_console_write(text);
        sp_console_write(L"\n");
    }
    free(title);
}

static void fail_u8(sp_app *app, UINT id, const char *a, const char *b)
{
    wchar_t *msg = sp_format_u8(app->hinst, id, a, b);
    sp_app_message(app, MB_ICONERROR | MB_OK, msg);
    free(msg);
}

BOOL sp_app_save(sp_app *app, HWND owner)
{
    sp_status st = sp_session_save(&app->session);
    if (st == SP_OK)
        return TRUE;
    HWND keep = app->owner;
    app->owner = owner;
    fail_u8(app, IDS_ERR_SAVE_STATE, app->session.state_path,
            app->sys->last_error[0] ? app->sys->last_error : sp_status_name(st));
    app->owner = keep;
    return FALSE;
}

void sp_app_open_url(sp_app *app, HWND owner, const wchar_t *url)
{
    (void)app;
    ShellExecuteW(owner, L"open", url, NULL, NULL, SW_SHOWNORMAL);
}

sp_status sp_app_write_report(sp_app *app, const char *path)
{
    int64_t now = app->sys->ops->time_now(app->sys);
    size_t n = strlen(path);
    int html = (n > 5 && _stricmp(path + n - 5, ".html") == 0) || (n > 4 && _stricmp(path + n - 4, ".htm") == 0);
    char *text = (html ? sp_report_html : sp_report_json)(app->session.state, &app->session.info,
                                                          app->session.journal, sp_text_for_core,
                                                          app->hinst, now);
    sp_status st;
    if (!text)
        return SP_ERR_NOMEM;
    /* The report is for the technician: it goes to this computer's disk, also in demo mode;
     * "-" is standard output, for the tool that started the run. */
    if (strcmp(path, "-") == 0) {
        st = SP_OK;
        if (!sp_console_write_data(text)) {
            char *why = sp_text_for_core(app->hinst, IDS_ERR_STDOUT, NULL);
            st = sp_sys_fail(app->local, SP_ERR_IO, "%s", why ? why : "");
            free(why);
        }
    } else
        st = app->local->ops->file_write_atomic(app->local, path, text, strlen(text));
    sp_log_write(&app->session.log, "report %s file=\"%s\" status=%s", html ? "html" : "json", path,
                 sp_status_name(st));
    free(text);
    return st;
}

/* The built-in demo profile is an RCDATA resource. */
static sp_status load_demo_profile(sp_app *app, const char **json, size_t *len)
{
    HRSRC r = FindResourceW(app->hinst, MAKEINTRESOURCEW(IDR_DEMO_PROFILE), (LPCWSTR)RT_RCDATA);
    HGLOBAL g = r ? LoadResource(app->hinst, r) : NULL;
    if (!g)
        return SP_ERR_NOTFOUND;
    *json = LockResource(g);
    *len = SizeofResource(app->hinst, r);
    return *json ? SP_OK : SP_ERR_NOTFOUND;
}

static BOOL open_backend(sp_app *app)
{
    char err[600] = "", root[600];
    const char *json = NULL;
    unsigned char *file = NULL;
    size_t len = 0;
    int state_problem = 0;
    sp_status st;

    app->local = sp_win32_open();
    if (!app->local)
        return FALSE;
    app->sys = app->local;
    if (!app->cl.demo && !app->cl.profile[0])
        return TRUE;
    app->simulated = 1;
    if (app->cl.demo) {
        st = load_demo_profile(app, &json, &len);
    } else {
        st = app->local->ops->file_read(app->local, app->cl.profile, &file, &len);
        json = (const char *)file;
        if (st != SP_OK)
            snprintf(err, sizeof err, "%s", app->local->last_error);
    }
    if (st == SP_OK) {
        if (app->cl.root[0]) {
            snprintf(root, sizeof root, "%s", app->cl.root);
        } else {
            /* Each profile is its own server: the default folder is named after the profile's
             * bytes, so that another profile (or a newer demo) never meets the state of this one. */
            char temp[400], hex[65];
            unsigned char digest[32];
            sp_sha256 h;
            sp_sha256_init(&h);
            sp_sha256_update(&h, json, len);
            sp_sha256_final(&h, digest);
            sp_sha256_hex(digest, hex);
            app->local->ops->folder(app->local, SP_FOLDER_TEMP, temp, sizeof temp);
            snprintf(root, sizeof root, "%s\\SourcePrep-%s-%.8s", temp, app->cl.demo ? "demo" : "profile", hex);
        }
        snprintf(app->sim_root, sizeof app->sim_root, "%s", root);
        st = sp_sim_open_ex(json, len, app->local, root, &app->sim, err, sizeof err, &state_problem);
    }
    free(file);
    if (st != SP_OK) {
        fail_u8(app, state_problem ? IDS_ERR_SIM_STATE : IDS_ERR_PROFILE, err[0] ? err : sp_status_name(st), NULL);
        return FALSE;
    }
    app->sys = app->sim;
    return TRUE;
}

/* /ldap and /ldapuser, with the password from the environment (never the command line, which
 * other users of the server can read). */
static BOOL use_ldap_options(sp_app *app)
{
    /* Read once and gone: the programs SourcePrep starts (w32tm, wbadmin) must not inherit it. */
    char *pass = sp_win32_take_env_secret("SOURCEPREP_LDAP_PASSWORD");
    sp_status st;
    if (!pass) {
        fail_u8(app, IDS_ERR_CMDLINE, sp_status_name(SP_ERR_NOMEM), NULL);
        return FALSE;
    }
    st = sp_session_set_ldap(&app->session, app->cl.ldap_host, app->cl.ldap_port, app->cl.ldap_user,
                             app->cl.ldap_user[0] ? pass : "");
    SecureZeroMemory(pass, strlen(pass));
    free(pass);
    if (st != SP_OK) {
        fail_u8(app, IDS_ERR_CMDLINE, sp_status_name(st), NULL);
        return FALSE;
    }
    return TRUE;
}

static BOOL open_session(sp_app *app)
{
    sp_session *s = &app->session;
    sp_status st = sp_session_open(s, app->sys);
    const char *why = app->sys->last_error[0] ? app->sys->last_error : sp_status_name(st);
    if (st == SP_OK) {
        if (s->state_aside[0])
            fail_u8(app, IDS_WARN_STATE_ASIDE, s->state_aside, NULL);
        return use_ldap_options(app);
    }
    switch (s->failed) {
    case SP_STAGE_DETECT: fail_u8(app, IDS_ERR_DETECT, why, NULL); break;
    case SP_STAGE_FOLDER:
        if (s->folder_problem.msg_id)
            fail_u8(app, s->folder_problem.msg_id, s->folder_problem.path, s->folder_problem.who);
        else
            fail_u8(app, IDS_ERR_FOLDER, why, NULL);
        break;
    case SP_STAGE_STATE: fail_u8(app, IDS_ERR_STATE, s->state_path, why); break;
    default: fail_u8(app, IDS_ERR_JOURNAL, why, NULL); break;
    }
    return FALSE;
}

static int parse_command_line(sp_app *app)
{
    int argc = 0, rc = SP_EXIT_OK;
    wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &argc);
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    if (!wargv || !argv)
        return SP_EXIT_CANNOT_RUN;
    for (int i = 0; i < argc; i++)
        argv[i] = sp_utf8(wargv[i]);
    sp_status parsed = sp_cmdline_parse(argc, (const char *const *)argv, &app->cl);
    /* The language first, so that even a mistake on the line is said in it: /lang, else the
     * user's UI language (Windows 2000 and later). */
    LANGID lang = sp_lang_from_name(app->cl.lang);
    sp_lang_set(lang ? lang : sp_lang_for_ui(GetUserDefaultUILanguage()));
    if (parsed != SP_OK) {
        /* Errors of the command line are for whoever typed it: say it on the console. */
        app->cl.help = 1;
        wchar_t *why = sp_format_u8(app->hinst, app->cl.error_id, app->cl.error, app->cl.error2);
        char *u = sp_utf8(why);
        fail_u8(app, IDS_ERR_CMDLINE, u ? u : app->cl.error, NULL);
        free(u);
        free(why);
        rc = SP_EXIT_CANNOT_RUN;
    }
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    LocalFree(wargv);
    return rc;
}

/* ---- One instance a server ------------------------------------------------------------ */

/* Two SourcePreps on one server (the wizard and a /check, two administrators over RDP) would
 * rewrite each other's journal from memory: the second says who holds the session and exits 2.
 * The mutex is named after the data folder (and the simulated server's files), in Global\ so
 * that other sessions of the server see it too. */
static void instance_file(sp_app *app, char *out, size_t outlen)
{
    char dir[400] = "";
    app->sys->ops->folder(app->sys, SP_FOLDER_PROGRAMDATA, dir, sizeof dir);
    snprintf(out, outlen, "%s\\SourcePrep\\instance.txt", dir);
}

static BOOL take_instance(sp_app *app)
{
    char dir[400] = "", key[1100], hex[65], file[500], who[300] = "";
    unsigned char digest[32];
    wchar_t name[64];
    sp_sha256 h;
    DWORD w;
    app->sys->ops->folder(app->sys, SP_FOLDER_PROGRAMDATA, dir, sizeof dir);
    snprintf(key, sizeof key, "%s|%s", app->simulated ? app->sim_root : "", dir);
    for (char *c = key; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    sp_sha256_init(&h);
    sp_sha256_update(&h, key, strlen(key));
    sp_sha256_final(&h, digest);
    sp_sha256_hex(digest, hex);
    hex[16] = '\0';
    _snwprintf(name, 64, L"Global\\SourcePrep-%hs", hex);
    name[63] = 0;
    app->instance = CreateMutexW(NULL, FALSE, name);
    if (!app->instance)
        return TRUE; /* no mutex can be made: nothing to compare with, as before */
    w = WaitForSingleObject(app->instance, 0);
    if (w == WAIT_OBJECT_0 || w == WAIT_ABANDONED)
        return TRUE;
    CloseHandle(app->instance);
    app->instance = NULL;
    /* Who: what the holder wrote beside its state, when it could. */
    instance_file(app, file, sizeof file);
    {
        unsigned char *text = NULL;
        size_t len = 0;
        if (app->sys->ops->file_read(app->sys, file, &text, &len) == SP_OK && text) {
            snprintf(who, sizeof who, "%.*s", (int)(len < sizeof who - 1 ? len : sizeof who - 1), (const char *)text);
            who[strcspn(who, "\r\n")] = '\0';
        }
        free(text);
    }
    fail_u8(app, IDS_ERR_RUNNING, who[0] ? who : "?", NULL);
    return FALSE;
}

/* What a second instance says: this process, its user, since when. */
static void record_instance(sp_app *app)
{
    char file[500], text[300], user[128] = "?";
    wchar_t wuser[128];
    DWORD n = 128;
    SYSTEMTIME t;
    if (!app->instance)
        return;
    if (GetUserNameW(wuser, &n))
        WideCharToMultiByte(CP_UTF8, 0, wuser, -1, user, sizeof user, NULL, NULL);
    GetLocalTime(&t);
    snprintf(text, sizeof text, "process %lu of %s, since %04u-%02u-%02u %02u:%02u\r\n",
             (unsigned long)GetCurrentProcessId(), user, t.wYear, t.wMonth, t.wDay, t.wHour, t.wMinute);
    instance_file(app, file, sizeof file);
    app->sys->ops->file_write_atomic(app->sys, file, text, strlen(text));
}

/* ---- Start-up ------------------------------------------------------------------------- */

void sp_app_mark(sp_app *app, sp_app_moment m)
{
    FILETIME made, exited, kernel, user, now;
    ULARGE_INTEGER a, b;
    if (!GetProcessTimes(GetCurrentProcess(), &made, &exited, &kernel, &user))
        return;
    GetSystemTimeAsFileTime(&now);
    a.LowPart = made.dwLowDateTime;
    a.HighPart = made.dwHighDateTime;
    b.LowPart = now.dwLowDateTime;
    b.HighPart = now.dwHighDateTime;
    app->start_ms[m] = b.QuadPart > a.QuadPart ? (unsigned)((b.QuadPart - a.QuadPart) / 10000) : 0;
}

BOOL sp_app_shown(sp_app *app, BOOL at_end)
{
    if (app->shown == 2)
        return TRUE;
    if (!app->shown) {
        if (at_end)
            return TRUE; /* no page ever painted */
        app->shown = 1;
        sp_app_mark(app, SP_MARK_SHOWN);
    }
    /* The log is the worker's while it runs a job: the line waits for it. */
    if (!at_end && sp_worker_busy(&app->worker, NULL))
        return FALSE;
    app->shown = 2;
    sp_log_write(&app->session.log,
                 "start-up ms since the process was made: main %u, server %u, session %u, sheet %u, "
                 "first page painted %u",
                 app->start_ms[SP_MARK_MAIN], app->start_ms[SP_MARK_BACKEND],
                 app->start_ms[SP_MARK_SESSION], app->start_ms[SP_MARK_SHEET],
                 app->start_ms[SP_MARK_SHOWN]);
    return TRUE;
}

static void drop_instance(sp_app *app)
{
    char file[500];
    if (!app->instance)
        return;
    instance_file(app, file, sizeof file);
    app->sys->ops->file_delete(app->sys, file);
    ReleaseMutex(app->instance);
    CloseHandle(app->instance);
    app->instance = NULL;
}

/* The x86 exe on 64-bit Windows (WOW64) refuses to work on the real server, naming the x64 exe. */
static BOOL exe_fits(sp_app *app)
{
    sp_osinfo native;
    if (app->local->ops->os_info(app->local, &native) != SP_OK)
        return TRUE; /* the session's detection says what went wrong */
    if (sp_exe_fit_for(sp_exe_arch(), native.arch, app->simulated) == SP_EXE_FITS)
        return TRUE;
    fail_u8(app, IDS_ERR_NEEDS_X64, native.arch, NULL);
    return FALSE;
}

int WINAPI wWinMain(HINSTANCE hinst, HINSTANCE prev, LPWSTR cmd, int show)
{
    INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_WIN95_CLASSES | ICC_PROGRESS_CLASS | ICC_LISTVIEW_CLASSES};
    sp_app app;
    int rc;
    (void)prev;
    (void)cmd;
    (void)show;

    sp_win32_harden_dll_search(); /* before anything loads a DLL by name */
    memset(&app, 0, sizeof app);
    app.hinst = hinst;
    sp_app_mark(&app, SP_MARK_MAIN);
    if ((rc = parse_command_line(&app)) != SP_EXIT_OK) {
        if (unattended(&app)) /* a script's mistake: the log the tools watch says so too */
            sp_app_log_event(&app, rc);
        return rc;
    }
    if (app.cl.help) {
        wchar_t *help = sp_load(hinst, IDS_HELP), *more = sp_load(hinst, IDS_HELP_UNATTENDED);
        size_t n = (help ? wcslen(help) : 0) + (more ? wcslen(more) : 0) + 3;
        wchar_t *all = calloc(n, sizeof *all);
        if (all) {
            lstrcpyW(all, help ? help : L"");
            lstrcatW(all, L"\n\n");
            lstrcatW(all, more ? more : L"");
        }
        sp_app_message(&app, MB_ICONINFORMATION | MB_OK, all ? all : help);
        free(all);
        free(more);
        free(help);
        return SP_EXIT_OK;
    }
    /* With the report on standard output, what the run says goes to standard error. */
    if (strcmp(app.cl.report, "-") == 0)
        sp_console_use_stderr(TRUE);
    InitCommonControlsEx(&icc);
    rc = SP_EXIT_CANNOT_RUN;
    if (!open_backend(&app))
        goto done;
    sp_app_mark(&app, SP_MARK_BACKEND);
    if (!exe_fits(&app))
        goto done;
    if (!app.simulated && !app.local->ops->is_admin(app.local)) {
        wchar_t *msg = sp_load(hinst, IDS_ERR_NOT_ADMIN);
        sp_app_message(&app, MB_ICONERROR | MB_OK, msg);
        free(msg);
        goto done;
    }
    if (!take_instance(&app))
        goto done;
    if (!open_session(&app))
        goto done;
    sp_app_mark(&app, SP_MARK_SESSION);
    record_instance(&app);
    rc = unattended(&app) ? sp_unattended_run(&app) : sp_sheet_run(&app);
done:
    sp_worker_cancel(&app.worker);
    sp_worker_join(&app.worker);
    drop_instance(&app);
    if (unattended(&app))
        sp_app_log_event(&app, rc);
    sp_session_close(&app.session);
    sp_sys_close(app.sim);
    sp_sys_close(app.local);
    if (app.pages.title_font)
        DeleteObject(app.pages.title_font);
    if (app.pages.severity_images)
        ImageList_Destroy(app.pages.severity_images);
    return rc;
}
