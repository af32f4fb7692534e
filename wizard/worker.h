/* Runs one job at a time on a worker thread (a step's check or apply, or a page's task); results reach the page as messages. */
#ifndef SP_WORKER_H
#define SP_WORKER_H

#include <windows.h>

#include "core/session.h"
#include "pages/host.h"

typedef struct {
    HANDLE thread;
    sp_job *job;   /* the UI thread's until start, then the worker's until it posts WM_SP_DONE */
    int pending;   /* from start until the page has taken the result (sp_worker_join) */
    volatile long cancel;
    HWND notify;
    sp_session *session;
    sp_run_ctx ctx;
} sp_worker;

/* Starts job on a new thread, its messages to notify; FALSE if one is already running or the
 * thread failed (the job is freed then). */
BOOL sp_worker_start(sp_worker *w, sp_session *s, HWND notify, sp_job *job);
void sp_worker_cancel(sp_worker *w);
/* True from sp_worker_start until the page has joined the worker after its WM_SP_DONE: a run
 * is over for the UI only once its result is taken, not when the thread ends. UI thread only.
 * notify NULL: for any window; else only when the job reports to notify. */
BOOL sp_worker_busy(const sp_worker *w, HWND notify);
/* Waits for the thread to end (the page has received WM_SP_DONE or will never); the run is
 * then no longer busy. */
void sp_worker_join(sp_worker *w);

#endif
