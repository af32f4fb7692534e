/* Page descriptors and the per-page context every dialog procedure receives. */
#ifndef SP_PAGES_H
#define SP_PAGES_H

#include <windows.h>
#include <commctrl.h>

#include "wizard/app.h"

typedef struct sp_page_desc {
    const char *id;      /* "welcome", a step id, or "finish" */
    UINT template_id;
    int exterior;        /* Welcome and Finish: no header, 317x193 */
    int step_index;      /* index in sp_steps, -1 for Welcome and Finish */
    DLGPROC proc;
} sp_page_desc;

/* One per page, made by the sheet; lives as long as the sheet. */
typedef struct sp_page {
    sp_app *app;
    const sp_page_desc *desc;
    const sp_step *step; /* NULL for Welcome and Finish */
    HWND hwnd;
    int active;
    int applying;        /* the running worker applies rather than checks */
    unsigned runs;       /* runs finished and shown (WM_SP_QUERY_RUNS) */
} sp_page;

extern const sp_page_desc sp_page_welcome;
extern const sp_page_desc sp_page_finish;
extern const sp_page_desc sp_step_pages[]; /* one per step, in sp_steps order */

/* The generic step page (pages/step_page.c): a step's own page passes every message it does
 * not handle to sp_step_page_proc, reusing the IDC_STEP_* controls its template has; after
 * changing the step's state it calls sp_step_page_render (status line, buttons, Next). */
INT_PTR CALLBACK sp_step_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
void sp_step_page_render(sp_page *p);
/* Starts the step's check (apply 0) or apply on a worker, without asking. */
void sp_step_page_start(HWND hwnd, int apply);
/* True while this page's step runs. */
BOOL sp_step_page_busy(HWND hwnd);
/* Step pages of their own. */
INT_PTR CALLBACK sp_backup_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK sp_policy_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
/* pages/updates_page.c: Apply says what it will do (install the updates, or restart). */
INT_PTR CALLBACK sp_updates_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK sp_timesync_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK sp_lob_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK sp_email_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK sp_health_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);

/* Page helpers (pages/common.c). */
sp_page *sp_page_init(HWND hwnd, LPARAM lparam); /* on WM_INITDIALOG */
sp_page *sp_page_get(HWND hwnd);
void sp_page_buttons(sp_page *p, DWORD buttons);   /* only while active */
/* Sets up a report list view with columns from string IDs and widths in percent. */
void sp_listview_columns(HWND lv, HINSTANCE hinst, const UINT *ids, const int *percent, int n);
/* Sets the columns' widths in percent of the list's width, room kept for its scroll bar. */
void sp_listview_fit(HWND lv, const int *percent, int n);
/* Adds a row; image is an index in the list's small image list, or -1. */
int sp_listview_add(HWND lv, int row, int image, const wchar_t *const *cells, int n);
/* Information, warning and error icons, indexed by sp_severity; owned by the app. */
HIMAGELIST sp_severity_images(sp_app *app);
/* Asks where to save a file (filter: a string ID with '|' separators); heap UTF-8 path, or
 * NULL when the user cancelled. */
char *sp_ask_save_path(sp_page *p, UINT filter_id, const wchar_t *name, const wchar_t *ext);
/* A bold, larger font for the titles of Welcome and Finish. */
HFONT sp_title_font(sp_app *app, HWND like);

#endif
