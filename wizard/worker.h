/* Runs one job at a time on a worker thread (a step's check or apply, or a page's task); results reach the page as messages. */
#ifndef SP_WORKER_H
#define SP_WORKER_H

#include <windows.h>

#include "core/session.h"
#include "pages/host.h"

/* How long closing the wizard (or a page) waits for a cancelled run to end; then the run is
 * abandoned: the log says so and the process ends (issue 15: closing never waits without bound). */
#define SP_WORKER_STOP_MS 15000u

typedef struct {
    HANDLE thread;
    char what[64]; /* the run in hand, for the log: "updates check", "backup apply", "task" */
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
/* Waits for the thread to end (the page has received WM_SP_DONE, or the run was cancelled); the
 * run is then no longer busy. A thread that has not ended SP_WORKER_STOP_MS after it was asked
 * to is abandoned: one log line says so, then the process ends with SP_EXIT_NOT_READY (a run
 * that does not answer its cancel, a Windows Update Agent that does not abort). */
void sp_worker_join(sp_worker *w);

#endif
