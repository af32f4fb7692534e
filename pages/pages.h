/* Page descriptors, the page context, and the generic step page every step's page builds on. */
#ifndef SP_PAGES_H
#define SP_PAGES_H

#include <windows.h>
#include <commctrl.h>

#include "core/state.h"
#include "core/step.h"
#include "core/step_list.h"
#include "pages/host.h"
#include "pages/ui/layout.h"

typedef struct sp_page sp_page;

/* Why a step page's render hook is called, after the generic page has drawn itself. */
typedef enum {
    SP_RENDER_INIT,   /* the page was made (after its init hook) */
    SP_RENDER_SHOW,   /* it became the current page */
    SP_RENDER_DONE,   /* a job of the page ended (a check, an apply, an undo): the step's state changed */
    SP_RENDER_MARK,   /* the user set or cleared the step's mark: its state changed */
    SP_RENDER_INPUT,  /* any other command on the page */
    SP_RENDER_NOTIFY, /* any other notification to the page */
} sp_render_why;

/* One per page. A step's page (pages/<id>_page.c) exports sp_page_<id> with its hooks, all
 * optional; the sheet takes the order from core/step_list.h. */
typedef struct sp_page_desc {
    const char *id;      /* "welcome", a step id, or "finish" */
    UINT template_id;
    int exterior;        /* Welcome and Finish: no header, 317x193 */
    DLGPROC proc;        /* Welcome and Finish; NULL for a step page (sp_step_page_proc) */
    /* Step pages: after the generic page set itself up. */
    void (*init)(sp_page *p);
    /* Before the generic page: TRUE when the page handled the command itself. */
    BOOL (*command)(sp_page *p, int id, int code);
    /* Before the generic page: TRUE when handled (the result is in DWLP_MSGRESULT). */
    BOOL (*notify)(sp_page *p, const NMHDR *nm);
    /* After the generic page drew itself: the page's own controls. */
    void (*render)(sp_page *p, sp_render_why why);
    /* The user leaves the page (PSN_KILLACTIVE): inputs go into the state. */
    void (*leave)(sp_page *p);
    /* After the generic page laid itself out (made, resized, manual path opened or closed):
     * the page's own placing of controls it shows or hides. */
    void (*layout)(sp_page *p);
} sp_page_desc;

/* What the generic page's worker is doing. */
typedef enum { SP_RUN_CHECK, SP_RUN_APPLY, SP_RUN_UNDO } sp_run_kind;

/* One per page, made by the sheet; lives as long as the sheet. */
struct sp_page {
    sp_page_host *host;
    const sp_page_desc *desc;
    const sp_step *step; /* NULL for Welcome and Finish */
    int index;           /* the step's place in sp_steps (its IDS_STEP_*), -1 for Welcome and Finish */
    HWND hwnd;
    int active;
    sp_run_kind running; /* what the last job started here is */
    unsigned runs;       /* runs finished and shown (WM_SP_QUERY_RUNS) */
    void *view;          /* the page's own view state; freed with free() with the page */
    unsigned items;      /* the manual path's checklist items that have a text (bit k: item k) */
    int manual_open;     /* the manual path is shown (-1: not laid out yet) */
    int manual_chosen;   /* the user opened or closed it: the page no longer decides */
    sp_layout layout;    /* the findings list takes the height the rest leaves */
};

/* Page i of the wizard: 0 Welcome, 1..SP_STEP_COUNT the steps in sp_steps order, then Finish. */
const sp_page_desc *sp_page_at(size_t i);

/* The generic step page (pages/step_page.c): the dialog procedure of every step page. */
INT_PTR CALLBACK sp_step_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
/* Draws the generic part again (status line, findings, buttons, Next) after a page changed
 * the step's state itself. */
void sp_step_page_render(sp_page *p);
/* Starts the step's check (apply 0) or apply on the worker, without asking. */
void sp_step_page_start(sp_page *p, int apply);
/* Lays the page out again (after a page showed or hid controls below the list). */
void sp_step_page_layout(sp_page *p);
/* True while a job of this page runs. */
BOOL sp_step_page_busy(sp_page *p);
/* The step's state in the session. */
sp_step_state *sp_page_state(sp_page *p);

/* The page context (pages/page.c). */
sp_page *sp_page_init(HWND hwnd, LPARAM lparam); /* on WM_INITDIALOG */
sp_page *sp_page_get(HWND hwnd);
void sp_page_buttons(sp_page *p, DWORD buttons);   /* only while active */
HWND sp_page_owner(const sp_page *p);             /* the sheet: owner of the page's boxes */

#endif
