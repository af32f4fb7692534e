/* The wizard's one context: backends, session, UI resources, the worker. Travels in lParam. */
#ifndef SP_APP_H
#define SP_APP_H

#include <windows.h>
#include <commctrl.h>

#include "core/cmdline.h"
#include "core/session.h"
#include "pages/host.h"
#include "wizard/worker.h"

/* The moments of start-up that the log records (sp_app_shown). */
typedef enum {
    SP_MARK_MAIN,    /* wWinMain entered: the DLLs loaded, the C runtime started */
    SP_MARK_BACKEND, /* the server opened (the simulated one: its profile and saved state read) */
    SP_MARK_SESSION, /* detection, the data folder, the state and the journal read */
    SP_MARK_SHEET,   /* the pages made, just before PropertySheet */
    SP_MARK_SHOWN,   /* the first page painted */
    SP_MARK_COUNT
} sp_app_moment;

typedef struct sp_app {
    HINSTANCE hinst;
    sp_cmdline cl;
    sp_sys *local;     /* this computer, the real one (win32 backend) */
    sp_sys *sim;       /* the simulated server in /demo and /profile, else NULL */
    sp_sys *sys;       /* what the steps work on: sim or host */
    sp_session session;
    int simulated;
    int aero;          /* Aero wizard chosen at run time */
    HWND owner;        /* of sp_app_message's box: none outside the wizard */
    sp_worker worker;  /* one job runs at a time */
    char sim_root[600]; /* where the simulated server's files are, when simulated */
    HANDLE instance;   /* the session's named mutex: one SourcePrep a server (wizard/main.c) */
    sp_page_host pages; /* what the pages see of all this (wizard/host.c) */
    /* An unattended run's entry in the Application event log (wizard/eventlog.c): the last
     * verdict or error it said, and whether the report it was asked for was written. */
    wchar_t event_line[1024];
    BOOL report_written;
    /* Start-up, in milliseconds since the process was made (sp_app_mark): written to the log
     * once the first page has painted, and read by make bench to say where the time goes. */
    unsigned start_ms[SP_MARK_COUNT];
    int shown; /* 1: the first page has painted; 2: and its log line is written */
} sp_app;

/* Records now as the given moment of start-up. */
void sp_app_mark(sp_app *app, sp_app_moment m);
/* After the first page has painted: records the moment, and writes the log line with the
 * moments once no job runs (the log is the worker's while one does); at_end, when the wizard
 * closes, writes it if it is still due. TRUE once written. */
BOOL sp_app_shown(sp_app *app, BOOL at_end);

/* Shows a message box (GUI) or prints (unattended) with a string-table text. */
void sp_app_message(sp_app *app, UINT type, const wchar_t *text);
/* Saves the state; tells the user when that fails. */
BOOL sp_app_save(sp_app *app, HWND owner);
/* Opens a web address in the user's browser. */
void sp_app_open_url(sp_app *app, HWND owner, const wchar_t *url);
/* Writes the JSON report (HTML for .html and .htm) to a file of this computer. */
sp_status sp_app_write_report(sp_app *app, const char *path);
/* Fills app->pages: the page host, implemented on this app (wizard/host.c). */
void sp_app_host_init(sp_app *app);

/* The property sheet (wizard/sheet.c). Returns the exit code. */
int sp_sheet_run(sp_app *app);
/* Unattended modes (wizard/unattended.c): /step, /check:all, /report, /undo, the inputs. */
int sp_unattended_run(sp_app *app);
/* The inputs of an unattended run (wizard/inputs.c): the answer file and /set, then the LOB
 * plans (check_lob takes the inventory first when there is none); 0 when they were refused. */
int sp_app_apply_inputs(sp_app *app, int (*check_lob)(sp_app *));
/* Writes the state's inputs to /export-answers:FILE; 0 when that failed. */
int sp_app_export_answers(sp_app *app);
/* Console output for unattended mode and /? (wizard/console.c). */
void sp_console_write(const wchar_t *text);
BOOL sp_console_attach(void);
/* Messages go to standard error from now on: standard output carries the report (/report:-). */
void sp_console_use_stderr(BOOL on);
/* Writes UTF-8 text to standard output as it is (the JSON report of /report:-). */
BOOL sp_console_write_data(const char *utf8);
/* Keeps text as what the run's event log entry says (the last verdict or error wins). */
void sp_app_note_event(sp_app *app, const wchar_t *text);
/* Writes the run's one entry to the Application event log, registering the source on first
 * use (wizard/eventlog.c). */
void sp_app_log_event(sp_app *app, int exit_code);

#endif
