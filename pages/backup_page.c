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
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

static const int input_ids[] = {IDC_BK_FOLDER, IDC_BK_COUNT, IDC_BK_TARGET};

static cJSON *backup_data(sp_page *p)
{
    sp_step_state *s = sp_page_state(p);
    if (!s)
        return NULL;
    if (!s->data)
        s->data = cJSON_CreateObject();
    return s->data;
}

/* wbadmin can start a backup from the command line on 2008 and later; NTBackup cannot. */
static BOOL has_wbadmin(sp_page *p)
{
    return p->host->session->info.os.major >= 6;
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
    if (!data || sp_step_page_busy(p))
        return;
    put_string(data, SP_BACKUP_KEY_FOLDER, p->hwnd, IDC_BK_FOLDER);
    if (has_wbadmin(p))
        put_string(data, SP_BACKUP_KEY_TARGET, p->hwnd, IDC_BK_TARGET);
    cJSON_DeleteItemFromObject(data, SP_BACKUP_KEY_K);
    cJSON_AddNumberToObject(data, SP_BACKUP_KEY_K, ok && k >= 1 && k <= 500 ? k : 20);
}

static void enable_inputs(sp_page *p)
{
    BOOL busy = sp_step_page_busy(p);
    for (size_t i = 0; i < sizeof input_ids / sizeof input_ids[0]; i++)
        EnableWindow(GetDlgItem(p->hwnd, input_ids[i]), !busy);
}

/* Starting a backup can take hours: asked first. The drill alone changes nothing but the
 * restore folder the user typed, so it starts at once. */
static BOOL confirm_backup(sp_page *p)
{
    const sp_findings *f = &sp_page_state(p)->findings;
    BOOL needs_backup = FALSE, yes;
    wchar_t target[64], count[16], *text;
    const wchar_t *args[2] = {target, count};
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].code, "backup.none") == 0 ||
            strcmp(f->items[i].code, "backup.older_than_changes") == 0)
            needs_backup = TRUE;
    if (!has_wbadmin(p) || !needs_backup)
        return TRUE;
    GetDlgItemTextW(p->hwnd, IDC_BK_TARGET, target, 64);
    GetDlgItemTextW(p->hwnd, IDC_BK_COUNT, count, 16);
    text = sp_format(p->host->hinst, IDS_BK_RUN_BACKUP_CONFIRM, 2, args);
    yes = sp_confirm(sp_page_owner(p), p->host->hinst, text);
    free(text);
    return yes;
}

static BOOL on_command(sp_page *p, int id, int code)
{
    if (id == IDC_STEP_APPLY) {
        if (!sp_step_page_busy(p) && confirm_backup(p)) {
            save_inputs(p);
            sp_step_page_start(p, 1);
        }
        enable_inputs(p);
        return TRUE;
    }
    if (code == EN_KILLFOCUS && (id == IDC_BK_FOLDER || id == IDC_BK_COUNT || id == IDC_BK_TARGET)) {
        save_inputs(p);
        return TRUE;
    }
    return FALSE;
}

static void on_init(sp_page *p)
{
    static const int widths[] = {62, 24, 14};
    HWND hwnd = p->hwnd, lv = GetDlgItem(hwnd, IDC_STEP_FINDINGS);
    SendDlgItemMessageW(hwnd, IDC_BK_FOLDER, EM_LIMITTEXT, 500, 0);
    SendDlgItemMessageW(hwnd, IDC_BK_COUNT, EM_LIMITTEXT, 3, 0);
    SendDlgItemMessageW(hwnd, IDC_BK_TARGET, EM_LIMITTEXT, 60, 0);
    if (!has_wbadmin(p)) {
        ShowWindow(GetDlgItem(hwnd, IDC_BK_TARGET_LABEL), SW_HIDE);
        ShowWindow(GetDlgItem(hwnd, IDC_BK_TARGET), SW_HIDE);
    }
    /* Paths are the point of this page's findings: their column gets most of the width (the
     * details pane below has them whole). */
    sp_listview_fit(lv, widths, 3);
    load_inputs(p);
}

static void on_render(sp_page *p, sp_render_why why)
{
    (void)why;
    enable_inputs(p);
}

const sp_page_desc sp_page_backup = {
    .id = "backup", .template_id = IDD_BACKUP, .init = on_init, .command = on_command,
    .render = on_render, .leave = save_inputs,
};
