/* Runs a step's check or apply on a worker thread; results reach the page as messages. */
#ifndef SP_WORKER_H
#define SP_WORKER_H

#include <windows.h>

#include "core/session.h"
#include "core/step.h"

typedef struct {
    const sp_step *step;
    int apply;
    sp_status status;
    sp_result result;
    sp_findings findings;
} sp_work_result;

typedef struct {
    HANDLE thread;
    sp_work_result *result; /* allocated by the UI thread at start, filled by the worker */
    int pending;            /* from start until the page has taken the result (sp_worker_join) */
    volatile long cancel;
    HWND notify;
    const sp_step *step;
    int apply;
    sp_run_ctx ctx;
} sp_worker;

/* Starts step on a new thread; FALSE if one is already running or the thread failed. */
BOOL sp_worker_start(sp_worker *w, sp_session *s, HWND notify, const sp_step *step, int apply);
void sp_worker_cancel(sp_worker *w);
/* True from sp_worker_start until the page has joined the worker after its WM_SP_DONE: a run
 * is over for the UI only once its result is taken, not when the thread ends. UI thread only. */
BOOL sp_worker_busy(const sp_worker *w);
/* Waits for the thread to end (the page has received WM_SP_DONE or will never); the run is
 * then no longer busy. */
void sp_worker_join(sp_worker *w);
void sp_work_result_free(sp_work_result *r);

#endif
