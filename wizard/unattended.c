/* Runs without a window: /step:NAME /check|/apply, /report:FILE and /undo, for technicians and tests. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/report.h"
#include "resources/resource.h"
#include "wizard/app.h"
#include "wizard/text.h"

UINT sp_result_text_id(sp_result r, int manual)
{
    if (manual)
        return IDS_RESULT_MANUAL_DONE;
    switch (r) {
    case SP_RESULT_PASSED: return IDS_RESULT_PASSED;
    case SP_RESULT_FAILED: return IDS_RESULT_FAILED;
    case SP_RESULT_NOT_APPLICABLE: return IDS_RESULT_NA;
    case SP_RESULT_MANUAL_NEEDED: return IDS_RESULT_MANUAL_NEEDED;
    case SP_RESULT_ERROR: return IDS_RESULT_ERROR;
    case SP_RESULT_NOT_RUN: break;
    }
    return IDS_RESULT_NOT_RUN;
}

static void print_step(sp_app *app, const sp_step *step, sp_result r, const sp_findings *f)
{
    static const UINT sev_ids[] = {IDS_SEV_INFO, IDS_SEV_WARNING, IDS_SEV_ERROR};
    wchar_t *id = sp_wide(step->id), *res = sp_load(app->hinst, sp_result_text_id(r, 0));
    const wchar_t *args[2] = {id, res};
    wchar_t *line = sp_format(app->hinst, IDS_CLI_STEP_LINE, 2, args);
    sp_console_write(line);
    sp_console_write(L"\n");
    free(line);
    free(id);
    free(res);
    for (size_t i = 0; i < f->count; i++) {
        wchar_t *sev = sp_load(app->hinst, sev_ids[f->items[i].severity]);
        wchar_t *arg = sp_wide(f->items[i].arg);
        wchar_t *title = sp_format1(app->hinst, f->items[i].title_id, arg);
        const wchar_t *fa[2] = {sev, title};
        wchar_t *fl = sp_format(app->hinst, IDS_CLI_FINDING_LINE, 2, fa);
        sp_console_write(fl);
        sp_console_write(L"\n");
        free(fl);
        free(title);
        free(arg);
        free(sev);
    }
}

/* Runs one step and records it; returns the exit code it deserves. */
static int run_step(sp_app *app, const sp_step *step, int apply)
{
    sp_findings f = {0};
    sp_result r;
    sp_run_ctx ctx = sp_session_ctx(&app->session, NULL);
    sp_status st = sp_step_run(step, &ctx, apply, &f, &r);
    int64_t now = app->sys->ops->time_now(app->sys);
    print_step(app, step, r, &f);
    sp_findings_free(&f);
    if (st != SP_OK)
        return SP_EXIT_CANNOT_RUN;
    return sp_state_gate_open(app->session.state, step->id, now) ? SP_EXIT_OK : SP_EXIT_NOT_READY;
}

static int run_undo(sp_app *app)
{
    size_t undone = 0, pending = 0;
    wchar_t num[32];
    sp_status st;
    for (size_t i = 0; i < sp_journal_count(app->session.journal); i++) {
        sp_change c;
        if (sp_journal_get(app->session.journal, i, &c) == SP_OK && !c.undone)
            pending++;
    }
    if (!app->cl.yes) {
        wchar_t *q;
        _snwprintf(num, 32, L"%u", (unsigned)pending);
        num[31] = 0;
        q = sp_format1(app->hinst, IDS_CLI_UNDO_CONFIRM, num);
        wchar_t *title = sp_load(app->hinst, IDS_APP_TITLE);
        int answer = MessageBoxW(NULL, q, title, MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2);
        free(title);
        free(q);
        if (answer != IDYES)
            return SP_EXIT_NOT_READY;
    }
    st = sp_journal_undo(app->session.journal, NULL, &undone);
    _snwprintf(num, 32, L"%u", (unsigned)undone);
    num[31] = 0;
    wchar_t *done = sp_format1(app->hinst, IDS_CLI_UNDO_DONE, num);
    sp_console_write(done);
    sp_console_write(L"\n");
    free(done);
    if (st != SP_OK) {
        wchar_t *why = sp_wide(app->sys->last_error[0] ? app->sys->last_error : sp_status_name(st));
        wchar_t *msg = sp_format1(app->hinst, IDS_ERR_UNDO, why);
        sp_app_message(app, MB_ICONERROR | MB_OK, msg);
        free(msg);
        free(why);
        return SP_EXIT_CANNOT_RUN;
    }
    return SP_EXIT_OK;
}

int sp_unattended_run(sp_app *app)
{
    int rc = SP_EXIT_OK;
    if (app->cl.undo)
        return run_undo(app);
    if (app->cl.step[0]) {
        rc = run_step(app, sp_step_find(app->cl.step), app->cl.apply);
    } else {
        for (size_t i = 0; i < sp_step_count; i++) {
            int r = run_step(app, sp_steps[i], 0);
            if (r > rc)
                rc = r;
        }
    }
    if (!sp_app_save(app, NULL))
        return SP_EXIT_CANNOT_RUN;
    if (app->cl.report[0]) {
        sp_status st = sp_app_write_report(app, app->cl.report);
        wchar_t *path = sp_wide(app->cl.report);
        if (st == SP_OK) {
            wchar_t *msg = sp_format1(app->hinst, IDS_CLI_REPORT_WRITTEN, path);
            sp_console_write(msg);
            sp_console_write(L"\n");
            free(msg);
        } else {
            wchar_t *why = sp_wide(app->host->last_error[0] ? app->host->last_error : sp_status_name(st));
            const wchar_t *args[2] = {path, why};
            wchar_t *msg = sp_format(app->hinst, IDS_ERR_REPORT, 2, args);
            sp_app_message(app, MB_ICONERROR | MB_OK, msg);
            free(msg);
            free(why);
            rc = SP_EXIT_CANNOT_RUN;
        }
        free(path);
    }
    return rc;
}
