/* Finish page: every step's status, the fresh-backup reminder, the report, and Step 2. */
#include <windows.h>
#include <commctrl.h>
#include <commdlg.h>
#include <prsht.h>

#include <stdio.h>
#include <stdlib.h>

#include "core/report.h"
#include "core/state.h"
#include "core/step_table.h"
#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

static void fill(sp_page *p)
{
    sp_session *session = p->host->session;
    HINSTANCE h = p->host->hinst;
    HWND lv = GetDlgItem(p->hwnd, IDC_FINISH_STEPS);
    int64_t now = sp_host_now(p->host);
    sp_verdict verdict = sp_report_verdict(session->state, session->journal, now);

    ListView_DeleteAllItems(lv);
    for (size_t i = 0; i < sp_step_count; i++) {
        const sp_step_state *s = sp_state_step_const(session->state, sp_steps[i]->id);
        wchar_t when[80];
        wchar_t *cells[4];
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
    /* One headline, the same words as the report and /check:all (sp_report_verdict). */
    sp_set_text(p->hwnd, IDC_FINISH_TITLE, h,
                verdict == SP_VERDICT_READY          ? IDS_FINISH_TITLE_READY
                : verdict == SP_VERDICT_READY_MANUAL ? IDS_FINISH_TITLE_MANUAL
                                                     : IDS_FINISH_TITLE_OPEN);
    {
        char *line8 = sp_report_verdict_text(session->state, session->journal, now, sp_text_for_core, h);
        wchar_t *line = sp_wide(line8 ? line8 : ""), text[1024];
        /* The document's last word: a fresh backup of the updated server, until one is recorded. */
        wchar_t *reminder = sp_report_backup_fresh(session->state, session->journal)
                                ? NULL
                                : sp_load(h, IDS_FINISH_BACKUP);
        _snwprintf(text, 1024, L"%ls%ls%ls", line ? line : L"", reminder ? L" " : L"",
                   reminder ? reminder : L"");
        text[1023] = 0;
        SetDlgItemTextW(p->hwnd, IDC_FINISH_BACKUP, text);
        free(line8);
        free(line);
        free(reminder);
    }
}

static void export_report(sp_page *p)
{
    sp_page_host *h = p->host;
    char *path = sp_ask_save_path(sp_page_owner(p), h->hinst, IDS_FINISH_FILTER,
                                  L"sourceprep-report.html", L"html");
    char why[512] = "";
    wchar_t *msg;
    sp_status st;

    if (!path)
        return;
    st = h->ops->write_report(h, path, why, sizeof why);
    if (st == SP_OK)
        msg = sp_format_u8(h->hinst, IDS_FINISH_EXPORTED, path, NULL);
    else
        msg = sp_format_u8(h->hinst, IDS_ERR_REPORT, path, why[0] ? why : sp_status_name(st));
    h->ops->message(h, sp_page_owner(p), (st == SP_OK ? MB_ICONINFORMATION : MB_ICONERROR) | MB_OK, msg);
    free(msg);
    free(path);
}

static void on_init(sp_page *p)
{
    static const UINT cols[] = {IDS_FINISH_COL_STEP, IDS_FINISH_COL_STATUS, IDS_FINISH_COL_CHECKED,
                                IDS_R_NOTES};
    static const int widths[] = {30, 20, 22, 28};
    HINSTANCE h = p->host->hinst;
    SendDlgItemMessageW(p->hwnd, IDC_FINISH_TITLE, WM_SETFONT,
                        (WPARAM)sp_title_font(p->host, p->hwnd), FALSE);
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
            wchar_t *url = sp_load(p->host->hinst, IDS_FINISH_STEP2_URL);
            p->host->ops->open_url(p->host, sp_page_owner(p), url);
            free(url);
        }
        return TRUE;
    case WM_NOTIFY:
        if (((NMHDR *)lp)->code == PSN_SETACTIVE) {
            p->active = 1;
            snprintf(p->host->session->state->page, sizeof p->host->session->state->page, "finish");
            fill(p);
            sp_page_buttons(p, PSWIZB_BACK | PSWIZB_FINISH);
            SetWindowLongPtrW(hwnd, DWLP_MSGRESULT, 0);
            return TRUE;
        }
        if (((NMHDR *)lp)->code == PSN_KILLACTIVE)
            p->active = 0;
        if (((NMHDR *)lp)->code == PSN_WIZFINISH)
            sp_host_save(p->host, sp_page_owner(p));
        return FALSE;
    }
    return FALSE;
}

const sp_page_desc sp_page_finish = {.id = "finish", .template_id = IDD_FINISH, .exterior = 1, .proc = finish_proc};
