/* Runs a step's check or apply on a worker thread; results reach the page as messages. */
#include "wizard/worker.h"

#include <process.h>
#include <stdlib.h>

#include "wizard/messages.h"
#include "wizard/text.h"

static void on_progress(void *user, unsigned permille, const char *what)
{
    sp_worker *w = user;
    wchar_t *text = sp_wide(what);
    if (!PostMessageW(w->notify, WM_SP_PROGRESS, permille, (LPARAM)text))
        free(text); /* the page is gone: nobody will free it */
}

static unsigned __stdcall worker_main(void *arg)
{
    sp_worker *w = arg;
    sp_work_result *r = w->result;
    r->step = w->step;
    r->apply = w->apply;
    r->status = sp_step_execute(w->step, &w->ctx, w->apply, &r->findings, &r->result);
    if (!PostMessageW(w->notify, WM_SP_DONE, 0, (LPARAM)r))
        sp_work_result_free(r);
    return 0;
}

BOOL sp_worker_start(sp_worker *w, sp_session *s, HWND notify, const sp_step *step, int apply)
{
    if (sp_worker_busy(w))
        return FALSE;
    sp_worker_join(w);
    /* Made here, so that a started run always ends in a WM_SP_DONE (or a join). */
    if (!(w->result = calloc(1, sizeof *w->result)))
        return FALSE;
    w->cancel = 0;
    w->notify = notify;
    w->step = step;
    w->apply = apply;
    w->ctx = sp_session_ctx(s, &w->cancel);
    w->ctx.progress = on_progress;
    w->ctx.progress_user = w;
    w->thread = (HANDLE)_beginthreadex(NULL, 0, worker_main, w, 0, NULL);
    if (!w->thread) {
        free(w->result);
        w->result = NULL;
        return FALSE;
    }
    w->pending = 1;
    return TRUE;
}

void sp_worker_cancel(sp_worker *w)
{
    InterlockedExchange(&w->cancel, 1);
}

BOOL sp_worker_busy(const sp_worker *w)
{
    return w->pending;
}

void sp_worker_join(sp_worker *w)
{
    w->pending = 0;
    w->result = NULL; /* posted to the page, or freed by the worker when the page was gone */
    if (!w->thread)
        return;
    WaitForSingleObject(w->thread, INFINITE);
    CloseHandle(w->thread);
    w->thread = NULL;
}

void sp_work_result_free(sp_work_result *r)
{
    if (!r)
        return;
    sp_findings_free(&r->findings);
    free(r);
}
