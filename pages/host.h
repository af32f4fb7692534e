/* What a page may ask of the frame that holds it: one small interface, implemented in wizard/host.c. */
#ifndef SP_PAGES_HOST_H
#define SP_PAGES_HOST_H

#include <windows.h>
#include <commctrl.h>

#include "core/session.h"
#include "core/step.h"

/* Slow work that is not a step (the LOB media probe, undo): runs on the worker thread with the
 * run context's progress and cancel, and keeps its own result in arg. The status it returns
 * is the job's. */
typedef sp_status (*sp_task_fn)(sp_run_ctx *ctx, void *arg);

/* One run on the worker: a step's check or apply, or a task. It reaches the page that started
 * it in WM_SP_DONE (pages/messages.h); the page frees it with sp_job_free (pages/page.c).
 * The worker owns the session's state while a job runs (the pages keep their inputs still):
 * it records a step's run in the state and saves the state itself, so that the UI thread never
 * waits for the disk. */
typedef struct sp_job {
    const sp_step *step; /* the step run, or NULL for a task */
    int apply;
    sp_task_fn task;
    void *arg;                /* the task's, freed with free_arg (may be NULL) */
    void (*free_arg)(void *arg);
    int save_state;           /* a task's: the worker saves the state after it (steps: always) */
    sp_status status;
    sp_result result;         /* a step's */
    sp_findings findings;     /* a step's, until the worker has recorded them in the state */
    int recorded;             /* the worker recorded the run in the state (not when cancelled) */
    sp_status saved;          /* the state's save after the job, when one was made */
    char error[512];          /* what the backend said when status is not SP_OK, or "" */
} sp_job;

void sp_job_free(sp_job *job);
/* Frees what a finished job may still have queued for a window that no longer waits for it. */
void sp_job_drain(HWND hwnd);

typedef struct sp_page_host sp_page_host;

typedef struct sp_page_host_ops {
    /* Saves the state; tells the user (owner's box) when that fails. */
    BOOL (*save)(sp_page_host *h, HWND owner);
    /* The server's clock (the simulated one in demo mode). */
    int64_t (*now)(sp_page_host *h);
    /* Starts a job on the worker; its messages go to notify. FALSE when one is running.
     * The job is the worker's from then on (also when starting fails). */
    BOOL (*start)(sp_page_host *h, HWND notify, sp_job *job);
    /* True from start until the page has taken the result (join); notify NULL: for any page. */
    BOOL (*busy)(sp_page_host *h, HWND notify);
    void (*cancel)(sp_page_host *h);
    /* After WM_SP_DONE, or to wait for a cancelled job to end. */
    void (*join)(sp_page_host *h);
    /* Writes the JSON or HTML report (by the extension) to this computer's disk. */
    sp_status (*write_report)(sp_page_host *h, const char *path, char *why, size_t whylen);
    /* Writes a file to this computer's disk (also in demo mode: exports are for the technician). */
    sp_status (*write_file)(sp_page_host *h, const char *path, const void *data, size_t len,
                            char *why, size_t whylen);
    void (*open_url)(sp_page_host *h, HWND owner, const wchar_t *url);
    /* A message box, or the console when there is no desktop. */
    void (*message)(sp_page_host *h, HWND owner, UINT type, const wchar_t *text);
    /* A page has been made (WM_INITDIALOG): the frame does, once its first page has painted,
     * what start-up put off. */
    void (*page_made)(sp_page_host *h, HWND page);
} sp_page_host_ops;

struct sp_page_host {
    const sp_page_host_ops *ops;
    HINSTANCE hinst;
    sp_session *session; /* state, journal, server facts, log: core's, read and changed by pages */
    int simulated;       /* the demo or a profile: a simulated server */
    HICON icon;
    /* Made by pages/ui on first use, destroyed by the frame. */
    HFONT title_font;
    HIMAGELIST severity_images;
};

static inline BOOL sp_host_save(sp_page_host *h, HWND owner)
{
    return h->ops->save(h, owner);
}
static inline int64_t sp_host_now(sp_page_host *h)
{
    return h->ops->now(h);
}
static inline BOOL sp_host_busy(sp_page_host *h, HWND notify)
{
    return h->ops->busy(h, notify);
}

#endif
