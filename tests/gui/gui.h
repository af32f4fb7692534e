/* What the GUI test's parts share: checks, the sheet and its pages, screenshots, processes. */
#ifndef SP_GUI_H
#define SP_GUI_H

#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdio.h>

#include "core/step_list.h"

#define ID_BACK 0x3023
#define ID_NEXT 0x3024
#define ID_FINISH 0x3025
#define PAGES SP_PAGE_COUNT

extern int gui_passed, gui_failed;

#define CHECK(cond, ...)                                                                      \
    do {                                                                                      \
        if (cond) {                                                                           \
            gui_passed++;                                                                     \
        } else {                                                                              \
            gui_failed++;                                                                     \
            printf("not ok - %s:%d: %s: ", __FILE__, __LINE__, #cond);                        \
            printf(__VA_ARGS__);                                                              \
            printf("\n");                                                                     \
            fflush(stdout);                                                                   \
        }                                                                                     \
    } while (0)

/* Where a walk is: the sheet, the page's window and index, where screenshots go. */
typedef struct {
    HWND sheet;
    HWND page;
    DWORD pid; /* the wizard's process */
    int index;
    const char *name;
    const wchar_t *exe, *root, *shots, *style;
    int shot; /* number of the next screenshot */
} gui_walk;

/* A page's part of the walk: starts on the page with its check finished, leaves it with
 * the gate open, ready for Next. */
typedef void (*gui_page_fn)(gui_walk *w);

/* Custom walkers by page name (tests/gui/walkers.c); pages not listed use gui_walk_manual. */
typedef struct {
    const char *page;
    gui_page_fn walk;
} gui_walker;
extern const gui_walker gui_walkers[];
/* Runs of other instances after the main walk (another profile, another page), NULL-ended. */
extern const gui_page_fn gui_extra_runs[];
/* Walkers of pages with their own UI (tests/gui/walk_<page>.c). */
void gui_walk_backup(gui_walk *w);
void gui_run_backup_volume_missing(gui_walk *w);

/* The wizard's words in the walk's language (tests/gui/texts.c), read from sourceprep.exe's
 * string table: the walks assert texts through them, so that one walk runs in every language.
 * lang is "en-US" or "de-DE"; FALSE when the exe cannot be read or the language is unknown. */
BOOL gui_texts_open(const wchar_t *exe, const wchar_t *lang);
BOOL gui_lang_is_german(void);
/* String id in the walk's language, UTF-8 (heap; "" when missing). */
char *gui_string(UINT id);
/* Whether text holds string id with its %1..%9 filled in by anything... */
BOOL gui_says(const char *text, UINT id);
/* ... or by args[i] for %(i+1) where args[i] is not NULL. */
BOOL gui_says_with(const char *text, UINT id, const char *const *args, int nargs);

/* Holds the demo's slow work named name (the sim's "event-logs", "service-start",
 * "updates-install") while on, so a screenshot shows it in progress for certain. */
void gui_hold(gui_walk *w, const char *name, BOOL on);

HWND gui_wait_for_sheet(DWORD pid, int ms);
int gui_page_index(HWND sheet);
HWND gui_current_page(HWND sheet);
BOOL gui_button_enabled(HWND sheet, int id);
void gui_text_of(HWND dlg, int id, char *out, int n);
/* Waits, up to ms, until the page is idle (no run, the last result shown). */
BOOL gui_wait_idle(HWND page, int ms);
/* How many runs the page has finished and shown (WM_SP_QUERY_RUNS). Read it before starting
 * a run, then gui_wait_run(page, before, ms) waits until that run has finished and shown. */
unsigned gui_runs(HWND page);
BOOL gui_wait_run(HWND page, unsigned before, int ms);
BOOL gui_wait_page(HWND sheet, int want, int ms);
BOOL gui_wait_button(HWND sheet, int id, BOOL enabled, int ms);
/* Returns once the window's thread has handled what was sent to it before. */
BOOL gui_sync(HWND wnd);
/* "page N", for messages. */
void gui_page_name_of(HWND page, char *out, int n);
/* Prints the slowest answer of a page seen by the waits (a blocked UI thread shows here). */
void gui_report_replies(void);
/* Saves the sheet as <shots>/<NN>-<name>.bmp when screenshots were asked for. */
void gui_screenshot(gui_walk *w, const char *name);
/* The same for another window of the wizard (a dialog it opened). */
void gui_screenshot_window(gui_walk *w, HWND window, const char *name);
BOOL gui_launch(const wchar_t *exe, const wchar_t *args, PROCESS_INFORMATION *pi);
DWORD gui_finish_process(PROCESS_INFORMATION *pi, int ms);
/* Types text into a control key by key, as a user would. */
void gui_type(HWND dlg, int id, const wchar_t *text);
/* Answers Yes to the wizard's next confirmation box (Apply, Undo); FALSE if none came. */
BOOL gui_answer_yes(gui_walk *w, int ms);
/* Asserts Next is closed and that pressing it anyway leaves the user on the page. */
void gui_check_gate_holds(gui_walk *w);
/* The email page's walk (tests/gui/walk_email.c). */
void gui_walk_email(gui_walk *w);
/* The text of a list view's cell in the wizard's process (FALSE when it could not be read). */
BOOL gui_list_text(gui_walk *w, HWND list, int row, int col, char *out, int n);
/* Asserts a step page's layout: eight findings rows while the manual path is folded, and the
 * details pane following the selected finding. */
void gui_check_layout(gui_walk *w);
/* Asserts the gate is closed and holds, ticks the checklist, gives a reason, marks done. */
void gui_walk_manual(gui_walk *w);
/* Ticks the checklist, types reason, marks the step done and asserts the gate opens. */
void gui_mark_done(gui_walk *w, const wchar_t *reason);

void gui_walk_timesync(gui_walk *w);
void gui_walk_lob(gui_walk *w);
void gui_walk_policy(gui_walk *w);
void gui_walk_health(gui_walk *w);
void gui_run_policy_not_applicable(gui_walk *w);
void gui_walk_updates(gui_walk *w);
void gui_run_updates_sp_missing(gui_walk *w);
void gui_run_updates_search_cancelled(gui_walk *w);

#endif
