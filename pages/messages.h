/* Private window messages: the only way the worker thread talks to a page, and tests ask one. */
#ifndef SP_MESSAGES_H
#define SP_MESSAGES_H

#include <windows.h>

/* Progress of the running step.
 * wParam: permille done (0..1000).
 * lParam: wchar_t * heap text of what is being done, or NULL; the page frees it with free(). */
#define WM_SP_PROGRESS (WM_APP + 1)

/* The job (a step's run or a task) finished, failed or was cancelled.
 * wParam: 0.
 * lParam: sp_job * (pages/host.h); the page joins the worker and frees it with sp_job_free(). */
#define WM_SP_DONE (WM_APP + 2)

/* Sent by tests to ask a step page (or the LOB plan editor) whether a job is going on.
 * wParam, lParam: 0. Result (DWLP_MSGRESULT): 1 from the start of a run until the page has
 * taken its result and updated its status, gate and buttons (then 0). */
#define WM_SP_QUERY_BUSY (WM_APP + 3)

/* Sent by tests to learn how many runs (checks and applies, cancelled ones too) a step page
 * has finished and shown. wParam, lParam: 0. Result (DWLP_MSGRESULT): that count. A test
 * reads it before it starts a run and waits until it grows: no fixed wait. */
#define WM_SP_QUERY_RUNS (WM_APP + 4)

#endif
