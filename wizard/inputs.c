/* The inputs of an unattended run: /answers:FILE, /set:step.key=value, /lob-plans:FILE, /export-answers:FILE. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers.h"
#include "resources/resource.h"
#include "wizard/app.h"
#include "pages/ui/text.h"

static void tell(sp_app *app, UINT type, const wchar_t *text)
{
    if (text)
        sp_app_message(app, type, text);
}

/* A file of this computer: the technician's answers and plans, also in demo mode. */
static int read_input(sp_app *app, const char *path, unsigned char **data, size_t *len)
{
    sp_status st = app->local->ops->file_read(app->local, path, data, len);
    wchar_t *msg;
    if (st == SP_OK)
        return 1;
    msg = sp_format_u8(app->hinst, IDS_INPUT_READ_FAILED, path,
                       app->local->last_error[0] ? app->local->last_error : sp_status_name(st));
    tell(app, MB_ICONERROR | MB_OK, msg);
    free(msg);
    return 0;
}

/* "timesync.destination: must be a string." in the words of the string table; a place without a
 * key ("Row 3, Migration method") in them too. */
static void refuse(sp_app *app, const char *what, const sp_answers_error *e)
{
    wchar_t *args[3] = {sp_wide(e->key), sp_wide(e->value), sp_wide(e->allowed)};
    wchar_t *why;
    if (e->at_id) {
        wchar_t *column = sp_wide(e->column);
        const wchar_t *at[2] = {args[0], column};
        wchar_t *place = sp_format(app->hinst, e->at_id, 2, at);
        free(column);
        if (place) {
            free(args[0]);
            args[0] = place;
        }
    }
    why = sp_format(app->hinst, e->msg_id, 3, (const wchar_t *const *)args);
    wchar_t *source = sp_wide(what), *msg;
    const wchar_t *margs[2] = {source, why};
    msg = sp_format(app->hinst, IDS_ANS_REFUSED, 2, margs);
    tell(app, MB_ICONERROR | MB_OK, msg);
    sp_log_write(&app->session.log, "answers refused from=\"%s\" key=\"%s\" message=%u", what, e->key,
                 e->msg_id);
    free(msg);
    free(source);
    free(why);
    for (int i = 0; i < 3; i++)
        free(args[i]);
}

static void say_count(sp_app *app, UINT id, const char *what, size_t count)
{
    char n[24];
    wchar_t *msg;
    snprintf(n, sizeof n, "%u", (unsigned)count);
    msg = sp_format_u8(app->hinst, id, what, n);
    if (msg) {
        sp_console_write(msg);
        sp_console_write(L"\n");
    }
    free(msg);
}

/* The answer file and the /set options: all checked, then applied together. */
static int apply_answers(sp_app *app)
{
    sp_cmdline *cl = &app->cl;
    sp_answers *a = sp_answers_new();
    sp_answers_error err;
    unsigned char *json = NULL;
    size_t len = 0;
    int ok = a != NULL;
    if (ok && cl->answers[0]) {
        ok = read_input(app, cl->answers, &json, &len);
        if (ok && sp_answers_add_json(a, (const char *)json, len, &err) != SP_OK) {
            refuse(app, cl->answers, &err);
            ok = 0;
        }
    }
    for (size_t i = 0; ok && i < cl->set_count; i++)
        if (sp_answers_add_set(a, cl->sets[i], &err) != SP_OK) {
            refuse(app, "/set", &err);
            ok = 0;
        }
    if (ok && sp_answers_apply(a, app->session.state, app->sys->ops->time_now(app->sys), &err) != SP_OK) {
        refuse(app, cl->answers[0] ? cl->answers : "/set", &err);
        ok = 0;
    }
    if (ok) {
        sp_log_write(&app->session.log, "answers file=\"%s\" sets=%u inputs=%u", cl->answers,
                     (unsigned)cl->set_count, (unsigned)sp_answers_count(a));
        say_count(app, IDS_ANS_APPLIED, cl->answers[0] ? cl->answers : "/set", sp_answers_count(a));
    }
    free(json);
    sp_answers_free(a);
    return ok;
}

/* The LOB page's CSV: its applications are found in the inventory, taken first when there is
 * none yet (a check, which changes nothing on the server). */
static int apply_lob_plans(sp_app *app, int (*check_lob)(sp_app *))
{
    sp_answers_error err;
    unsigned char *csv = NULL;
    size_t len = 0, rows = 0;
    int ok;
    if (sp_answers_lob_needs_inventory(app->session.state) && !check_lob(app))
        return 0;
    if (!read_input(app, app->cl.lob_plans, &csv, &len))
        return 0;
    ok = sp_answers_apply_lob_csv(app->session.state, (const char *)csv, len, sp_text_for_core, app->hinst,
                                  app->sys->ops->time_now(app->sys), &rows, &err) == SP_OK;
    if (!ok) {
        refuse(app, app->cl.lob_plans, &err);
    } else {
        sp_log_write(&app->session.log, "lob plans file=\"%s\" rows=%u", app->cl.lob_plans, (unsigned)rows);
        say_count(app, IDS_LOB_PLANS_APPLIED, app->cl.lob_plans, rows);
    }
    free(csv);
    return ok;
}

int sp_app_apply_inputs(sp_app *app, int (*check_lob)(sp_app *))
{
    const sp_cmdline *cl = &app->cl;
    if ((cl->answers[0] || cl->set_count) && !apply_answers(app))
        return 0;
    return !cl->lob_plans[0] || apply_lob_plans(app, check_lob);
}

int sp_app_export_answers(sp_app *app)
{
    char *text = sp_answers_export(app->session.state);
    sp_status st = text ? app->local->ops->file_write_atomic(app->local, app->cl.export_answers, text,
                                                              strlen(text))
                        : SP_ERR_NOMEM;
    wchar_t *msg;
    sp_log_write(&app->session.log, "export answers file=\"%s\" status=%s", app->cl.export_answers,
                 sp_status_name(st));
    if (st == SP_OK) {
        msg = sp_format_u8(app->hinst, IDS_ANS_EXPORTED, app->cl.export_answers, NULL);
        if (msg) {
            sp_console_write(msg);
            sp_console_write(L"\n");
        }
    } else {
        msg = sp_format_u8(app->hinst, IDS_ANS_EXPORT_FAILED, app->cl.export_answers,
                           app->local->last_error[0] ? app->local->last_error : sp_status_name(st));
        tell(app, MB_ICONERROR | MB_OK, msg);
    }
    free(msg);
    free(text);
    return st == SP_OK;
}
