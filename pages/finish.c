/* Finish page: every step's status, the fresh-backup reminder, the report, and Step 2. */
#include <windows.h>
#include <commctrl.h>
#include <commdlg.h>
#include <prsht.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/report.h"
#include "core/state.h"
#include "pages/pages.h"
#include "resources/resource.h"
#include "wizard/text.h"

static void fill(sp_page *p)
{
    sp_app *app = p->app;
    HINSTANCE h = app->hinst;
    HWND lv = GetDlgItem(p->hwnd, IDC_FINISH_STEPS);
    int64_t now = app->sys->ops->time_now(app->sys);
    BOOL ready = TRUE;

    ListView_DeleteAllItems(lv);
    for (size_t i = 0; i < sp_step_count; i++) {
        const sp_step_state *s = sp_state_step_const(app->session.state, sp_steps[i]->id);
        wchar_t when[80];
        wchar_t *cells[4];
        if (!sp_state_gate_open(app->session.state, s->id, now))
            ready = FALSE;
        if (s->checked_at)
            sp_format_time(s->checked_at, when, 80);
        cells[0] = sp_load(h, IDS_STEP_NAME((int)i));
        cells[1] = sp_load(h, sp_result_text_id(s->result, s->manual));
        if (!s->checked_at)
            cells[2] = sp_load(h, IDS_FINISH_NEVER);
        else if (sp_state_is_stale(s, now))
            cells[2] = sp_format1(h, IDS_FINISH_STALE, when);
        else
            cells[2] = _wcsdup(when);
        cells[3] = s->manual ? sp_wide(s->manual_reason ? s->manual_reason : "") : NULL;
        sp_listview_add(lv, (int)i, -1, (const wchar_t *const *)cells, 4);
        for (int c = 0; c < 4; c++)
            free(cells[c]);
    }
    sp_set_text(p->hwnd, IDC_FINISH_TITLE, h, ready ? IDS_FINISH_TITLE_READY : IDS_FINISH_TITLE_OPEN);
    {
        /* The document's last word: a fresh backup of the updated server, checked here. */
        wchar_t *state = sp_load(h, sp_report_backup_fresh(app->session.state, app->session.journal)
                                        ? IDS_R_BACKUP_FRESH
                                        : IDS_R_BACKUP_STALE);
        wchar_t *reminder = sp_load(h, IDS_FINISH_BACKUP), text[1024];
        _snwprintf(text, 1024, L"%ls %ls", state ? state : L"", reminder ? reminder : L"");
        text[1023] = 0;
        SetDlgItemTextW(p->hwnd, IDC_FINISH_BACKUP, text);
        free(state);
        free(reminder);
    }
}

static void export_report(sp_page *p)
{
    sp_app *app = p->app;
    char *path = sp_ask_save_path(p, IDS_FINISH_FILTER, L"sourceprep-report.html", L"html");
    sp_status st;

    if (!path)
        return;
    st = sp_app_write_report(app, path);
    {
        HWND keep = app->sheet;
        wchar_t *msg;
        app->sheet = GetParent(p->hwnd);
        if (st == SP_OK) {
            msg = sp_format_u8(app->hinst, IDS_FINISH_EXPORTED, path, NULL);
            sp_app_message(app, MB_ICONINFORMATION | MB_OK, msg);
        } else {
            msg = sp_format_u8(app->hinst, IDS_ERR_REPORT, path,
                               app->host->last_error[0] ? app->host->last_error : sp_status_name(st));
            sp_app_message(app, MB_ICONERROR | MB_OK, msg);
        }
        free(msg);
        app->sheet = keep;
    }
    free(path);
}

static void on_init(sp_page *p)
{
    static const UINT cols[] = {IDS_FINISH_COL_STEP, IDS_FINISH_COL_STATUS, IDS_FINISH_COL_CHECKED,
                                IDS_R_NOTES};
    static const int widths[] = {22, 20, 27, 31};
    HINSTANCE h = p->app->hinst;
    SendDlgItemMessageW(p->hwnd, IDC_FINISH_TITLE, WM_SETFONT,
                        (WPARAM)sp_title_font(p->app, p->hwnd), FALSE);
    sp_listview_columns(GetDlgItem(p->hwnd, IDC_FINISH_STEPS), h, cols, widths, 4);
    sp_set_text(p->hwnd, IDC_FINISH_NEXT, h, IDS_FINISH_NEXT);
}

static INT_PTR CALLBACK finish_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    sp_page *p = msg == WM_INITDIALOG ? sp_page_init(hwnd, lp) : sp_page_get(hwnd);
    if (!p)
        return FALSE;
    switch (msg) {
    case WM_INITDIALOG:
        on_init(p);
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_FINISH_EXPORT) {
            export_report(p);
        } else if (LOWORD(wp) == IDC_FINISH_STEP2) {
            wchar_t *url = sp_load(p->app->hinst, IDS_FINISH_STEP2_URL);
            sp_app_open_url(p->app, GetParent(hwnd), url);
            free(url);
        }
        return TRUE;
    case WM_NOTIFY:
        if (((NMHDR *)lp)->code == PSN_SETACTIVE) {
            p->active = 1;
            snprintf(p->app->session.state->page, sizeof p->app->session.state->page, "finish");
            fill(p);
            sp_page_buttons(p, PSWIZB_BACK | PSWIZB_FINISH);
            SetWindowLongPtrW(hwnd, DWLP_MSGRESULT, 0);
            return TRUE;
        }
        if (((NMHDR *)lp)->code == PSN_KILLACTIVE)
            p->active = 0;
        if (((NMHDR *)lp)->code == PSN_WIZFINISH)
            sp_app_save(p->app, GetParent(hwnd));
        return FALSE;
    }
    return FALSE;
}

const sp_page_desc sp_page_finish = {"finish", IDD_FINISH, 1, -1, finish_proc};
