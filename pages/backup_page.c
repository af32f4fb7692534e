/* The Backup page: the generic step page plus the restore drill's inputs (folder, sample size, target of a new backup). */
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

/* wbadmin starts a backup on 2008 and later; on 2003 NTBackup writes one into a .bkf file. */
static BOOL has_wbadmin(sp_page *p)
{
    return p->host->session->info.os.major >= 6;
}

/* The last check found no backup Apply can drill on: Apply takes a new one first, and needs
 * its target. (The drill's findings are there exactly when the backup is usable.) */
static BOOL needs_backup(sp_page *p)
{
    const sp_step_state *s = sp_page_state(p);
    if (!s || !s->checked_at || s->result != SP_RESULT_FAILED)
        return FALSE;
    for (size_t i = 0; i < s->findings.count; i++)
        if (strncmp(s->findings.items[i].code, "backup.drill_", 13) == 0)
            return FALSE;
    return TRUE;
}

static BOOL target_empty(sp_page *p)
{
    return GetWindowTextLengthW(GetDlgItem(p->hwnd, IDC_BK_TARGET)) == 0;
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
    put_string(data, SP_BACKUP_KEY_TARGET, p->hwnd, IDC_BK_TARGET);
    cJSON_DeleteItemFromObject(data, SP_BACKUP_KEY_K);
    cJSON_AddNumberToObject(data, SP_BACKUP_KEY_K, ok && k >= 1 && k <= 500 ? k : 20);
}

/* Apply is gated on the target while a new backup is needed: without one it could only say so. */
static void enable_inputs(sp_page *p)
{
    BOOL busy = sp_step_page_busy(p);
    for (size_t i = 0; i < sizeof input_ids / sizeof input_ids[0]; i++)
        EnableWindow(GetDlgItem(p->hwnd, input_ids[i]), !busy);
    /* The generic page's rule (a check that failed), then the target; typing one opens it. */
    const sp_step_state *s = sp_page_state(p);
    BOOL apply = !busy && s && s->checked_at && s->result == SP_RESULT_FAILED;
    EnableWindow(GetDlgItem(p->hwnd, IDC_STEP_APPLY), apply && !(needs_backup(p) && target_empty(p)));
}

/* Starting a backup can take hours: asked first, naming where it goes (on 2003 the .bkf file).
 * The drill alone changes nothing but the restore folder the user typed, so it starts at once. */
static BOOL confirm_backup(sp_page *p)
{
    BOOL yes;
    wchar_t target[300], count[16], *text;
    const wchar_t *args[2] = {target, count};
    if (!needs_backup(p))
        return TRUE;
    GetDlgItemTextW(p->hwnd, IDC_BK_TARGET, target, 300);
    GetDlgItemTextW(p->hwnd, IDC_BK_COUNT, count, 16);
    if (!has_wbadmin(p)) {
        char *t = sp_utf8(target), file[600];
        wchar_t *w;
        if (!t)
            return FALSE;
        sp_backup_bkf_path(t, p->host->session->info.os.computer, file, sizeof file);
        free(t);
        if ((w = sp_wide(file)) == NULL)
            return FALSE;
        _snwprintf(target, 300, L"%ls", w);
        target[299] = 0;
        free(w);
    }
    text = sp_format(p->host->hinst, has_wbadmin(p) ? IDS_BK_RUN_BACKUP_CONFIRM : IDS_BK_RUN_NTBACKUP_CONFIRM, 2, args);
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
    /* Not handled here: the render hook that follows gates Apply on the target as typed. */
    return FALSE;
}

/* Moves a control to x (and gives it width w), in dialog units, keeping its row. */
static void place(HWND dlg, int id, int x, int w)
{
    RECT r = {x, 0, x + w, 0}, now;
    HWND c = GetDlgItem(dlg, id);
    POINT pt;
    GetWindowRect(c, &now);
    pt.x = now.left, pt.y = now.top;
    ScreenToClient(dlg, &pt);
    MapDialogRect(dlg, &r);
    SetWindowPos(c, NULL, r.left, pt.y, r.right - r.left, now.bottom - now.top, SWP_NOZORDER | SWP_NOACTIVATE);
}

/* On 2003 the target is where NTBackup writes its .bkf file: a label that says so, on two
 * lines, with room made for it on the inputs' row. */
static void ntbackup_layout(sp_page *p)
{
    HWND hwnd = p->hwnd, label = GetDlgItem(hwnd, IDC_BK_TARGET_LABEL);
    RECT r = {0, 17, 0, 33}, now;
    POINT pt;
    sp_set_text(hwnd, IDC_BK_TARGET_LABEL, p->host->hinst, IDS_BK_TARGET_NTB_LABEL);
    place(hwnd, IDC_BK_FOLDER, 55, 82);
    place(hwnd, IDC_BK_COUNT_LABEL, 141, 54);
    place(hwnd, IDC_BK_COUNT, 196, 20);
    place(hwnd, IDC_BK_TARGET_LABEL, 221, 48);
    place(hwnd, IDC_BK_TARGET, 270, 47);
    MapDialogRect(hwnd, &r);
    GetWindowRect(label, &now);
    pt.x = now.left, pt.y = now.top;
    ScreenToClient(hwnd, &pt);
    SetWindowPos(label, NULL, pt.x, r.top, now.right - now.left, r.bottom - r.top, SWP_NOZORDER | SWP_NOACTIVATE);
}

static void on_init(sp_page *p)
{
    static const int widths[] = {62, 24, 14};
    HWND hwnd = p->hwnd, lv = GetDlgItem(hwnd, IDC_STEP_FINDINGS);
    SendDlgItemMessageW(hwnd, IDC_BK_FOLDER, EM_LIMITTEXT, 500, 0);
    SendDlgItemMessageW(hwnd, IDC_BK_COUNT, EM_LIMITTEXT, 3, 0);
    SendDlgItemMessageW(hwnd, IDC_BK_TARGET, EM_LIMITTEXT, has_wbadmin(p) ? 60 : 250, 0);
    if (!has_wbadmin(p))
        ntbackup_layout(p);
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
