/* One Application event log entry per unattended run, under the source SourcePrep (registered on first use). */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "core/runlog.h"
#include "resources/resource.h"
#include "wizard/app.h"
#include "pages/ui/text.h"

void sp_app_note_event(sp_app *app, const wchar_t *text)
{
    if (!text)
        return;
    lstrcpynW(app->event_line, text, (int)(sizeof app->event_line / sizeof app->event_line[0]));
}

/* "Report: C:\...\report.json", or that none was written. */
static wchar_t *report_line(sp_app *app)
{
    if (strcmp(app->cl.report, "-") == 0 && app->report_written)
        return sp_load(app->hinst, IDS_EVT_REPORT_STDOUT);
    if (app->cl.report[0] && app->report_written)
        return sp_format_u8(app->hinst, IDS_EVT_REPORT, app->cl.report, NULL);
    return sp_load(app->hinst, IDS_EVT_NO_REPORT);
}

void sp_app_log_event(sp_app *app, int exit_code)
{
    char exe[600];
    int64_t now = app->sys ? app->sys->ops->time_now(app->sys) : 0;
    sp_runlog_id id = sp_runlog_event(app->session.state, app->session.journal,
                                      app->cl.step[0] ? app->cl.step : NULL, now,
                                      exit_code);
    WORD type = id == SP_RUNLOG_COULD_NOT_RUN ? EVENTLOG_ERROR_TYPE
                : id == SP_RUNLOG_NOT_READY   ? EVENTLOG_WARNING_TYPE
                                              : EVENTLOG_INFORMATION_TYPE;
    wchar_t *report = report_line(app), *text;
    const wchar_t *strings[1];
    size_t n;
    HANDLE h;

    /* The event log belongs to this computer, as the report's disk does, also in demo mode.
     * Unregistered, the entry is still written; the viewer then shows its text without the
     * message file's help. */
    if (app->local && app->local->ops->program_path(app->local, exe, sizeof exe) == SP_OK)
        sp_runlog_register(app->local, exe);
    n = wcslen(app->event_line) + (report ? wcslen(report) : 0) + 3;
    text = calloc(n, sizeof *text);
    if (text) {
        lstrcpyW(text, app->event_line);
        if (app->event_line[0])
            lstrcatW(text, L"\r\n");
        if (report)
            lstrcatW(text, report);
        strings[0] = text;
        h = RegisterEventSourceW(NULL, L"" SP_RUNLOG_SOURCE);
        if (h) {
            ReportEventW(h, type, 0, (DWORD)id, NULL, 1, 0, strings, NULL);
            DeregisterEventSource(h);
        }
    }
    if (app->session.log.path[0])
        sp_log_write(&app->session.log, "event id=%u exit=%d", (unsigned)id, exit_code);
    free(text);
    free(report);
}
