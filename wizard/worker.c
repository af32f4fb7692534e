/* Runs one job at a time on a worker thread (a step's check or apply, or a page's task); results reach the page as messages. */
#include "wizard/worker.h"

#include <process.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/cmdline.h"
#include "core/log.h"
#include "pages/messages.h"
#include "pages/ui/text.h"

static void on_progress(void *user, unsigned permille, const char *what)
{
    sp_worker *w = user;
    wchar_t *text = sp_arg_wide(GetModuleHandleW(NULL), what);
    if (!PostMessageW(w->notify, WM_SP_PROGRESS, permille, (LPARAM)text))
        free(text); /* the page is gone: nobody will free it */
}

static unsigned __stdcall worker_main(void *arg)
{
    sp_worker *w = arg;
    sp_job *job = w->job;
    w->ctx.sys->last_error[0] = '\0';
    if (job->step)
        job->status = sp_step_execute(job->step, &w->ctx, job->apply, &job->findings, &job->result);
    else
        job->status = job->task(&w->ctx, job->arg);
    if (job->status != SP_OK)
        snprintf(job->error, sizeof job->error, "%s", w->ctx.sys->last_error);
    /* Recorded and saved here, not on the UI thread: a save waits for the disk. */
    if (job->step && job->status != SP_ERR_CANCELLED) {
        sp_session_record(w->session, job->step->id, job->apply, job->status, job->result,
                          &job->findings);
        job->recorded = 1;
    }
    if (job->recorded || (job->task && job->save_state))
        job->saved = sp_session_save(w->session);
    if (!PostMessageW(w->notify, WM_SP_DONE, 0, (LPARAM)job))
        sp_job_free(job);
    return 0;
}

BOOL sp_worker_start(sp_worker *w, sp_session *s, HWND notify, sp_job *job)
{
    if (sp_worker_busy(w, NULL) || (!job->step && !job->task)) {
        sp_job_free(job);
        return FALSE;
    }
    sp_worker_join(w);
    w->job = job;
    w->cancel = 0;
    snprintf(w->what, sizeof w->what, "%s %s", job->step ? job->step->id : "task",
             job->step ? (job->apply ? "apply" : "check") : "run");
    w->notify = notify;
    w->session = s;
    w->ctx = sp_session_ctx(s, &w->cancel);
    w->ctx.progress = on_progress;
    w->ctx.progress_user = w;
    w->thread = (HANDLE)_beginthreadex(NULL, 0, worker_main, w, 0, NULL);
    if (!w->thread) {
        sp_job_free(job);
        w->job = NULL;
        return FALSE;
    }
    w->pending = 1;
    return TRUE;
}

void sp_worker_cancel(sp_worker *w)
{
    InterlockedExchange(&w->cancel, 1);
}

BOOL sp_worker_busy(const sp_worker *w, HWND notify)
{
    return w->pending && (!notify || w->notify == notify);
}

void sp_worker_join(sp_worker *w)
{
    w->pending = 0;
    w->job = NULL; /* posted to the page, or freed by the worker when the page was gone */
    if (!w->thread)
        return;
    if (WaitForSingleObject(w->thread, SP_WORKER_STOP_MS) != WAIT_OBJECT_0) {
        /* Its state is saved as of its last finished run; what it was doing is left to Windows. */
        sp_log_write(&w->session->log, "worker abandoned run=\"%s\" cancel=%ld waited_ms=%u: the run did not end, the process ends",
                     w->what, (long)w->cancel, (unsigned)SP_WORKER_STOP_MS);
        ExitProcess(SP_EXIT_NOT_READY);
    }
    CloseHandle(w->thread);
    w->thread = NULL;
}
