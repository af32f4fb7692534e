/* The Backup page: the generic step page plus the restore drill's inputs (folder, sample size, target). */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/backup/backup.h"
#include "core/state.h"
#include "pages/pages.h"
#include "resources/resource.h"
#include "wizard/messages.h"
#include "wizard/text.h"

static const int input_ids[] = {IDC_BK_FOLDER, IDC_BK_COUNT, IDC_BK_TARGET};

static cJSON *backup_data(sp_page *p)
{
    sp_step_state *s = sp_state_step(p->app->session.state, "backup");
    if (!s)
        return NULL;
    if (!s->data)
        s->data = cJSON_CreateObject();
    return s->data;
}

/* wbadmin can start a backup from the command line on 2008 and later; NTBackup cannot. */
static BOOL has_wbadmin(sp_page *p)
{
    return p->app->session.info.os.major >= 6;
}

static void load_inputs(sp_page *p)
{
    cJSON *data = backup_data(p);
    const cJSON *folder = data ? cJSON_GetObjectItemCaseSensitive(data, SP_BACKUP_KEY_FOLDER) : NULL;
    const cJSON *k = data ? cJSON_GetObjectItemCaseSensitive(data, SP_BACKUP_KEY_K) : NULL;
    const cJSON *target = data ? cJSON_GetObjectItemCaseSensitive(data, SP_BACKUP_KEY_TARGET) : NULL;
    wchar_t *w = sp_wide(cJSON_IsString(folder) ? folder->valuestring : SP_BACKUP_DEFAULT_FOLDER);
    SetDlgItemTextW(p->hwnd, IDC_BK_FOLDER, w);
    free(w);
    SetDlgItemInt(p->hwnd, IDC_BK_COUNT, cJSON_IsNumber(k) ? (UINT)k->valuedouble : 20, FALSE);
    w = sp_wide(cJSON_IsString(target) ? target->valuestring : "");
    SetDlgItemTextW(p->hwnd, IDC_BK_TARGET, w);
    free(w);
}

static void put_string(cJSON *data, const char *key, HWND dlg, int id)
{
    wchar_t buf[520];
    char *u;
    GetDlgItemTextW(dlg, id, buf, 520);
    if (!(u = sp_utf8(buf)))
        return;
    cJSON_DeleteItemFromObject(data, key);
    cJSON_AddStringToObject(data, key, u);
    free(u);
}

/* The inputs go into the step's data, where core reads them (never while a run is going on). */
static void save_inputs(sp_page *p)
{
    cJSON *data = backup_data(p);
    BOOL ok = FALSE;
    UINT k = GetDlgItemInt(p->hwnd, IDC_BK_COUNT, &ok, FALSE);
    if (!data || sp_step_page_busy(p->hwnd))
        return;
    put_string(data, SP_BACKUP_KEY_FOLDER, p->hwnd, IDC_BK_FOLDER);
    if (has_wbadmin(p))
        put_string(data, SP_BACKUP_KEY_TARGET, p->hwnd, IDC_BK_TARGET);
    cJSON_DeleteItemFromObject(data, SP_BACKUP_KEY_K);
    cJSON_AddNumberToObject(data, SP_BACKUP_KEY_K, ok && k >= 1 && k <= 500 ? k : 20);
}

static void enable_inputs(sp_page *p)
{
    BOOL busy = sp_step_page_busy(p->hwnd);
    for (size_t i = 0; i < sizeof input_ids / sizeof input_ids[0]; i++)
        EnableWindow(GetDlgItem(p->hwnd, input_ids[i]), !busy);
}

/* Starting a backup can take hours: asked first. The drill alone changes nothing but the
 * restore folder the user typed, so it starts at once. */
static BOOL confirm_backup(sp_page *p)
{
    const sp_findings *f = &sp_state_step(p->app->session.state, "backup")->findings;
    BOOL needs_backup = FALSE;
    wchar_t target[64], count[16], *text, *caption;
    const wchar_t *args[2] = {target, count};
    int answer;
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].code, "backup.none") == 0 ||
            strcmp(f->items[i].code, "backup.older_than_changes") == 0)
            needs_backup = TRUE;
    if (!has_wbadmin(p) || !needs_backup)
        return TRUE;
    GetDlgItemTextW(p->hwnd, IDC_BK_TARGET, target, 64);
    GetDlgItemTextW(p->hwnd, IDC_BK_COUNT, count, 16);
    text = sp_format(p->app->hinst, IDS_BK_RUN_BACKUP_CONFIRM, 2, args);
    caption = sp_load(p->app->hinst, IDS_APP_TITLE);
    answer = MessageBoxW(GetParent(p->hwnd), text, caption, MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2);
    free(text);
    free(caption);
    return answer == IDYES;
}

INT_PTR CALLBACK sp_backup_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    INT_PTR r;
    sp_page *p;
    if (msg == WM_COMMAND && LOWORD(wp) == IDC_STEP_APPLY && (p = sp_page_get(hwnd))) {
        if (!sp_step_page_busy(hwnd) && confirm_backup(p)) {
            save_inputs(p);
            sp_step_page_start(hwnd, 1);
        }
        enable_inputs(p);
        return TRUE;
    }
    if (msg == WM_COMMAND && HIWORD(wp) == EN_KILLFOCUS && (p = sp_page_get(hwnd)) &&
        (LOWORD(wp) == IDC_BK_FOLDER || LOWORD(wp) == IDC_BK_COUNT || LOWORD(wp) == IDC_BK_TARGET)) {
        save_inputs(p);
        return TRUE;
    }
    r = sp_step_page_proc(hwnd, msg, wp, lp);
    if (!(p = sp_page_get(hwnd)))
        return r;
    switch (msg) {
    case WM_INITDIALOG:
        SendDlgItemMessageW(hwnd, IDC_BK_FOLDER, EM_LIMITTEXT, 500, 0);
        SendDlgItemMessageW(hwnd, IDC_BK_COUNT, EM_LIMITTEXT, 3, 0);
        SendDlgItemMessageW(hwnd, IDC_BK_TARGET, EM_LIMITTEXT, 60, 0);
        if (!has_wbadmin(p)) {
            ShowWindow(GetDlgItem(hwnd, IDC_BK_TARGET_LABEL), SW_HIDE);
            ShowWindow(GetDlgItem(hwnd, IDC_BK_TARGET), SW_HIDE);
        }
        {
            /* Paths are the point of this page's findings: give their column most of the width. */
            HWND lv = GetDlgItem(hwnd, IDC_STEP_FINDINGS);
            RECT rc;
            GetClientRect(lv, &rc);
            ListView_SetColumnWidth(lv, 0, (rc.right - rc.left) * 4 / 5);
        }
        load_inputs(p);
        enable_inputs(p);
        break;
    case WM_NOTIFY:
        if (((const NMHDR *)lp)->code == PSN_KILLACTIVE)
            save_inputs(p);
        enable_inputs(p);
        break;
    case WM_COMMAND:
    case WM_SP_DONE:
        enable_inputs(p);
        break;
    }
    return r;
}
