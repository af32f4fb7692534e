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
} sp_page;

extern const sp_page_desc sp_page_welcome;
extern const sp_page_desc sp_page_finish;
extern const sp_page_desc sp_step_pages[]; /* one per step, in sp_steps order */

/* The generic step page (pages/step_page.c). A page with its own template passes every
 * message it does not handle to sp_step_page_proc; controls its template omits are skipped. */
INT_PTR CALLBACK sp_step_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
/* Starts the step's check (apply 0) or apply on a worker, without asking. */
void sp_step_page_start(HWND hwnd, int apply);
/* True while this page's step runs. */
BOOL sp_step_page_busy(HWND hwnd);
/* The Backup page (pages/backup_page.c): restore folder, sample size, backup target. */
INT_PTR CALLBACK sp_backup_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);

/* Page helpers (pages/common.c). */
sp_page *sp_page_init(HWND hwnd, LPARAM lparam); /* on WM_INITDIALOG */
sp_page *sp_page_get(HWND hwnd);
void sp_page_buttons(sp_page *p, DWORD buttons);   /* only while active */
/* Sets up a report list view with columns from string IDs and widths in percent. */
void sp_listview_columns(HWND lv, HINSTANCE hinst, const UINT *ids, const int *percent, int n);
/* Adds a row; image is an index in the list's small image list, or -1. */
int sp_listview_add(HWND lv, int row, int image, const wchar_t *const *cells, int n);
/* Information, warning and error icons, indexed by sp_severity; owned by the app. */
HIMAGELIST sp_severity_images(sp_app *app);
/* A bold, larger font for the titles of Welcome and Finish. */
HFONT sp_title_font(sp_app *app, HWND like);

#endif
