/* The page host: what the pages may ask of the frame (pages/host.h), implemented on the app. */
#include <windows.h>
#include <shellapi.h>

#include <stdio.h>
#include <string.h>

#include "pages/host.h"
#include "pages/pages.h"
#include "resources/resource.h"
#include "wizard/app.h"

static sp_app *app_of(sp_page_host *h)
{
    return (sp_app *)((char *)h - offsetof(sp_app, pages));
}

static BOOL host_save(sp_page_host *h, HWND owner)
{
    return sp_app_save(app_of(h), owner);
}

static int64_t host_now(sp_page_host *h)
{
    sp_sys *sys = app_of(h)->sys;
    return sys->ops->time_now(sys);
}

static BOOL host_start(sp_page_host *h, HWND notify, sp_job *job)
{
    sp_app *app = app_of(h);
    return sp_worker_start(&app->worker, &app->session, notify, job);
}

static BOOL host_busy(sp_page_host *h, HWND notify)
{
    return sp_worker_busy(&app_of(h)->worker, notify);
}

static void host_cancel(sp_page_host *h)
{
    sp_worker_cancel(&app_of(h)->worker);
}

static void host_join(sp_page_host *h)
{
    sp_worker_join(&app_of(h)->worker);
}

static void why_of(sp_sys *sys, sp_status st, char *why, size_t whylen)
{
    if (why && whylen)
        snprintf(why, whylen, "%s", st == SP_OK ? "" : sys->last_error);
}

static sp_status host_write_report(sp_page_host *h, const char *path, char *why, size_t whylen)
{
    sp_app *app = app_of(h);
    sp_status st;
    app->local->last_error[0] = '\0';
    st = sp_app_write_report(app, path);
    why_of(app->local, st, why, whylen);
    return st;
}

static sp_status host_write_file(sp_page_host *h, const char *path, const void *data, size_t len,
                                 char *why, size_t whylen)
{
    sp_sys *local = app_of(h)->local;
    sp_status st;
    local->last_error[0] = '\0';
    st = local->ops->file_write_atomic(local, path, data, len);
    why_of(local, st, why, whylen);
    return st;
}

static void host_open_url(sp_page_host *h, HWND owner, const wchar_t *url)
{
    sp_app_open_url(app_of(h), owner, url);
}

static void host_message(sp_page_host *h, HWND owner, UINT type, const wchar_t *text)
{
    sp_app *app = app_of(h);
    HWND keep = app->owner;
    app->owner = owner;
    sp_app_message(app, type, text);
    app->owner = keep;
}

/* WM_TIMER comes only when the thread has nothing else to do, paint included: the first page
 * has painted when this first runs. It runs again every 100 ms until the log line is written. */
#define SP_TIMER_SHOWN 0x5350

static void CALLBACK on_shown(HWND page, UINT msg, UINT_PTR id, DWORD when)
{
    sp_page *p = sp_page_get(page);
    (void)msg;
    (void)when;
    if (!p || sp_app_shown(app_of(p->host), FALSE))
        KillTimer(page, id);
    else
        SetTimer(page, id, 100, on_shown); /* a job runs: look again later */
}

static void host_page_made(sp_page_host *h, HWND page)
{
    if (app_of(h)->shown != 2)
        SetTimer(page, SP_TIMER_SHOWN, USER_TIMER_MINIMUM, on_shown);
}

static const sp_page_host_ops host_ops = {
    host_save,         host_now,        host_start,    host_busy,     host_cancel,    host_join,
    host_write_report, host_write_file, host_open_url, host_message,  host_page_made,
};

void sp_app_host_init(sp_app *app)
{
    app->pages.ops = &host_ops;
    app->pages.hinst = app->hinst;
    app->pages.session = &app->session;
    app->pages.simulated = app->simulated;
    app->pages.icon = LoadIconW(app->hinst, MAKEINTRESOURCEW(IDI_APP));
}
