/* Runs without a window, for technicians, remote management tools and tests: /check:all|STEP,
 * /apply:STEP, /mark:STEP /reason:TEXT, /report:FILE|-, /undo [/yes], and the inputs. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/report.h"
#include "core/step.h"
#include "resources/resource.h"
#include "wizard/app.h"
#include "pages/ui/text.h"

static void say(const wchar_t *line)
{
    sp_console_write(line);
    sp_console_write(L"\n");
}

/* One line a tool can split on spaces ("STEP backup result=manual_needed gate=closed"), then
 * the same in words for people, then one line per finding. */
static void print_step(sp_app *app, const sp_step *step, const sp_findings *f)
{
    static const UINT sev_ids[] = {IDS_SEV_INFO, IDS_SEV_WARNING, IDS_SEV_ERROR};
    const sp_step_state *s = sp_state_step_const(app->session.state, step->id);
    int64_t now = app->sys->ops->time_now(app->sys);
    wchar_t head[160];
    wchar_t *id = sp_wide(step->id), *res = sp_load(app->hinst, sp_result_text_id(s->result, s->manual));
    const wchar_t *args[2] = {id, res};
    wchar_t *line = sp_format(app->hinst, IDS_CLI_STEP_LINE, 2, args);

    _snwprintf(head, 160, L"STEP %hs result=%hs manual=%hs gate=%hs", step->id, sp_result_name(s->result),
               s->manual ? "yes" : "no", sp_state_gate_open(app->session.state, step->id, now) ? "open" : "closed");
    head[159] = 0;
    say(head);
    say(line);
    sp_app_note_event(app, line);
    free(line);
    free(id);
    free(res);
    for (size_t i = 0; f && i < f->count; i++) {
        wchar_t *sev = sp_load(app->hinst, sev_ids[f->items[i].severity]);
        wchar_t *arg = sp_arg_wide(app->hinst, f->items[i].arg);
        wchar_t *title = sp_format1(app->hinst, f->items[i].title_id, arg);
        const wchar_t *fa[2] = {sev, title};
        wchar_t *fl = sp_format(app->hinst, IDS_CLI_FINDING_LINE, 2, fa);
        say(fl);
        free(fl);
        free(title);
        free(arg);
        free(sev);
    }
}

/* Runs one step and records it in the state and the log; SP_OK or why it could not run. */
static sp_status run_step(sp_app *app, const sp_step *step, int apply)
{
    sp_findings f = {0};
    sp_result r;
    sp_run_ctx ctx = sp_session_ctx(&app->session, NULL);
    sp_status st;
    if (apply && !step->apply) {
        wchar_t *msg = sp_format_u8(app->hinst, IDS_CLI_NO_APPLY, step->id, NULL);
        say(msg);
        sp_app_note_event(app, msg);
        free(msg);
        return SP_ERR_UNSUPPORTED;
    }
    st = sp_step_execute(step, &ctx, apply, &f, &r);
    /* sp_session_record takes the findings: print from the state afterwards. */
    sp_session_record(&app->session, step->id, apply, st, r, &f);
    print_step(app, step, &sp_state_step(app->session.state, step->id)->findings);
    sp_findings_free(&f);
    return st == SP_ERR_CANCELLED ? SP_OK : st;
}

/* One line per entry that was not simply undone: changed since, failed, or never made. */
static void say_undo_items(sp_app *app, const sp_undo_report *r)
{
    for (size_t i = 0; i < r->count; i++) {
        const sp_undo_item *it = &r->items[i];
        wchar_t seq[16], *args[3], *line;
        UINT id = it->outcome == SP_UNDO_CHANGED ? IDS_CLI_UNDO_CHANGED
                  : it->outcome == SP_UNDO_FAILED ? IDS_CLI_UNDO_FAILED
                  : it->outcome == SP_UNDO_DROPPED ? IDS_CLI_UNDO_DROPPED : 0;
        if (!id)
            continue;
        _snwprintf(seq, 16, L"%u", it->seq);
        seq[15] = 0;
        args[0] = seq;
        args[1] = sp_wide(it->target);
        args[2] = sp_wide(it->why);
        line = sp_format(app->hinst, id, 3, (const wchar_t *const *)args);
        if (line && it->outcome == SP_UNDO_DROPPED)
            say(line);
        else if (line)
            sp_app_message(app, MB_ICONWARNING | MB_OK, line);
        free(line);
        free(args[1]);
        free(args[2]);
    }
}

static int run_undo(sp_app *app)
{
    size_t undone = 0, pending = 0;
    wchar_t num[32];
    sp_undo_report report;
    sp_status st;
    for (size_t i = 0; i < sp_journal_count(app->session.journal); i++) {
        sp_change c;
        if (sp_journal_get(app->session.journal, i, &c) == SP_OK && !c.undone)
            pending++;
    }
    if (!app->cl.yes) {
        wchar_t *q, *title;
        int answer;
        _snwprintf(num, 32, L"%u", (unsigned)pending);
        num[31] = 0;
        q = sp_format1(app->hinst, IDS_CLI_UNDO_CONFIRM, num);
        title = sp_load(app->hinst, IDS_APP_TITLE);
        answer = MessageBoxW(NULL, q, title, MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2);
        free(title);
        free(q);
        if (answer == 0) { /* no desktop to ask on */
            wchar_t *msg = sp_load(app->hinst, IDS_CLI_UNDO_NEEDS_YES);
            say(msg);
            free(msg);
            return SP_EXIT_CANNOT_RUN;
        }
        if (answer != IDYES)
            return SP_EXIT_NOT_READY;
    }
    st = sp_journal_undo_ex(app->session.journal, NULL, 0, app->cl.undo_force, app->cl.undo_force_count,
                            &report);
    undone = report.restored;
    sp_log_write(&app->session.log, "undo changes=%u dropped=%u changed=%u failed=%u status=%s",
                 (unsigned)undone, (unsigned)report.dropped, (unsigned)report.changed,
                 (unsigned)report.failed, sp_status_name(st));
    say_undo_items(app, &report);
    _snwprintf(num, 32, L"%u", (unsigned)undone);
    num[31] = 0;
    wchar_t *done = sp_format1(app->hinst, IDS_CLI_UNDO_DONE, num);
    say(done);
    sp_app_note_event(app, done);
    free(done);
    if (report.changed + report.failed) {
        _snwprintf(num, 32, L"%u", (unsigned)(report.changed + report.failed));
        num[31] = 0;
        wchar_t *left = sp_format1(app->hinst, IDS_CLI_UNDO_LEFT, num);
        say(left);
        sp_app_note_event(app, left);
        free(left);
    }
    sp_undo_report_free(&report);
    /* Undone changes make earlier verdicts unsafe: those steps must be checked again, also after
     * an undo that left some changes. */
    for (size_t i = 0; undone && i < sp_step_count; i++)
        sp_state_record(app->session.state, sp_steps[i]->id, SP_RESULT_NOT_RUN, NULL, 0);
    if (!sp_app_save(app, NULL))
        return SP_EXIT_CANNOT_RUN;
    if (st == SP_ERR_EXISTS)
        return SP_EXIT_NOT_READY; /* only changes edited since: left, as they should be */
    return st == SP_OK ? SP_EXIT_OK : SP_EXIT_CANNOT_RUN;
}

static int write_report(sp_app *app)
{
    sp_status st = sp_app_write_report(app, app->cl.report);
    wchar_t *path = sp_wide(app->cl.report);
    app->report_written = st == SP_OK;
    if (st == SP_OK && strcmp(app->cl.report, "-") != 0) {
        wchar_t *msg = sp_format1(app->hinst, IDS_CLI_REPORT_WRITTEN, path);
        say(msg);
        free(msg);
    } else if (st != SP_OK) {
        wchar_t *why = sp_wide(app->local->last_error[0] ? app->local->last_error : sp_status_name(st));
        const wchar_t *args[2] = {path, why};
        wchar_t *msg = sp_format(app->hinst, IDS_ERR_REPORT, 2, args);
        sp_app_message(app, MB_ICONERROR | MB_OK, msg);
        free(msg);
        free(why);
    }
    free(path);
    return st == SP_OK;
}

/* The LOB inventory the CSV's applications are found in (wizard/inputs.c). */
static int check_lob(sp_app *app)
{
    return run_step(app, sp_step_find("lob"), 0) == SP_OK;
}

int sp_unattended_run(sp_app *app)
{
    sp_cmdline *cl = &app->cl;
    sp_session *s = &app->session;
    sp_status st = SP_OK;
    int64_t now;
    wchar_t *verdict;

    if (cl->undo)
        return run_undo(app);
    /* The inputs come first, as a user fills a page before checking it; refused, nothing is
     * saved. */
    if (!sp_app_apply_inputs(app, check_lob))
        return SP_EXIT_CANNOT_RUN;
    if (cl->mark) {
        st = sp_state_mark_manual(s->state, cl->step, cl->reason, app->sys->ops->time_now(app->sys));
        {
            char quoted[1600];
            sp_log_escape(cl->reason, quoted, sizeof quoted);
            sp_log_write(&s->log, "mark step=%s reason=\"%s\"", cl->step, quoted);
        }
        print_step(app, sp_step_find(cl->step), NULL);
    } else if (cl->check_all) {
        char server[400];
        wchar_t *exe = sp_exe_description(app->hinst), *wserver, *line;
        const wchar_t *args[2];
        sp_sysinfo_describe(&s->info, server, sizeof server);
        wserver = sp_wide(server);
        args[0] = exe;
        args[1] = wserver;
        line = sp_format(app->hinst, IDS_CLI_EXE_LINE, 2, args);
        say(line);
        free(line);
        free(wserver);
        free(exe);
        /* Every step, also after one that could not run: the worst outcome is the exit code. */
        for (size_t i = 0; i < sp_step_count; i++) {
            sp_status one = run_step(app, sp_steps[i], 0);
            if (st == SP_OK)
                st = one;
        }
    } else if (cl->step[0]) {
        st = run_step(app, sp_step_find(cl->step), cl->apply);
    }
    if (!sp_app_save(app, NULL))
        return SP_EXIT_CANNOT_RUN;
    if (cl->export_answers[0] && !sp_app_export_answers(app))
        return SP_EXIT_CANNOT_RUN;
    if (cl->report[0] && !write_report(app))
        return SP_EXIT_CANNOT_RUN;
    if (st != SP_OK && !cl->check_all)
        return SP_EXIT_CANNOT_RUN;
    /* A single step answers for itself; everything else answers for the whole server. */
    now = app->sys->ops->time_now(app->sys);
    if (cl->step[0])
        return sp_state_gate_open(s->state, cl->step, now) ? SP_EXIT_OK : SP_EXIT_NOT_READY;
    /* The Finish page's and the report's headline: a stale backup keeps the server not ready. */
    {
        char *line = sp_report_verdict_text(s->state, s->journal, now, sp_text_for_core, app->hinst);
        verdict = sp_wide(line ? line : "");
        free(line);
    }
    say(verdict);
    sp_app_note_event(app, verdict);
    free(verdict);
    if (st != SP_OK)
        return SP_EXIT_CANNOT_RUN;
    return sp_report_verdict(s->state, s->journal, now) == SP_VERDICT_NOT_READY ? SP_EXIT_NOT_READY
                                                                                 : SP_EXIT_OK;
}
