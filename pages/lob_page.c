/* LOB planning page: the inventory with a tick per line-of-business entry, completeness at a
 * glance, and the CSV export; the plan editor is pages/lob_editor.c. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/lob/lob.h"
#include "pages/lob_editor.h"
#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

/* The page's own view state (p->view). */
typedef struct {
    int filling; /* the list is being filled: its notifications are ours, not the user's */
} lob_view;

static lob_view *view_of(sp_page *p)
{
    return p->view;
}

static BOOL busy(sp_page *p)
{
    return sp_host_busy(p->host, NULL);
}

static int64_t now_of(sp_page *p)
{
    return sp_host_now(p->host);
}

/* ---- The list ------------------------------------------------------------------------------ */

static cJSON *entry_at(sp_page *p, int index)
{
    return cJSON_GetArrayItem(sp_lob_entries(p->host->session->state), index);
}

static int selected_index(sp_page *p)
{
    HWND lv = GetDlgItem(p->hwnd, IDC_LOB_LIST);
    int row = ListView_GetNextItem(lv, -1, LVNI_SELECTED);
    LVITEMW item = {0};
    if (row < 0)
        return -1;
    item.mask = LVIF_PARAM;
    item.iItem = row;
    return ListView_GetItem(lv, &item) ? (int)item.lParam : -1;
}

/* The user's statement that nothing here is line-of-business: offered only while no entry is
 * ticked (a ticked entry says otherwise), shown as it is recorded. */
static void update_none(sp_page *p, BOOL idle)
{
    const sp_step_state *s = sp_state_step_const(p->host->session->state, "lob");
    BOOL any = FALSE;
    cJSON *e;
    cJSON_ArrayForEach(e, sp_lob_entries(p->host->session->state)) any |= sp_lob_marked(e);
    CheckDlgButton(p->hwnd, IDC_LOB_NONE,
                   s && sp_lob_none_confirmed(s->data) && !any ? BST_CHECKED : BST_UNCHECKED);
    EnableWindow(GetDlgItem(p->hwnd, IDC_LOB_NONE),
                 idle && !any && sp_lob_count(p->host->session->state) > 0);
}

static void update_controls(sp_page *p)
{
    BOOL idle = !busy(p);
    EnableWindow(GetDlgItem(p->hwnd, IDC_LOB_LIST), idle);
    EnableWindow(GetDlgItem(p->hwnd, IDC_LOB_SHOWALL), idle);
    EnableWindow(GetDlgItem(p->hwnd, IDC_LOB_EDIT), idle && selected_index(p) >= 0);
    EnableWindow(GetDlgItem(p->hwnd, IDC_LOB_EXPORT), idle && sp_lob_count(p->host->session->state) > 0);
    update_none(p, idle);
}

static void set_row_plan(sp_page *p, int row, const cJSON *e)
{
    wchar_t *plan = sp_load(p->host->hinst, IDS_LOB_PLAN_FIRST + sp_lob_entry_status(e));
    LVITEMW sub = {0};
    sub.iSubItem = 3;
    sub.pszText = plan ? plan : (LPWSTR)L"";
    SendDlgItemMessageW(p->hwnd, IDC_LOB_LIST, LVM_SETITEMTEXTW, (WPARAM)row, (LPARAM)&sub);
    free(plan);
}

static void fill_summary(sp_page *p)
{
    HINSTANCE h = p->host->hinst;
    unsigned marked = 0, complete = 0, hidden = 0;
    wchar_t n[4][16], *text;
    const wchar_t *args[4] = {n[0], n[1], n[2], n[3]};
    cJSON *e;
    if (sp_lob_count(p->host->session->state) == 0) {
        sp_set_text(p->hwnd, IDC_LOB_SUMMARY, h, IDS_LOB_SUMMARY_EMPTY);
        return;
    }
    cJSON_ArrayForEach(e, sp_lob_entries(p->host->session->state)) {
        if (sp_lob_marked(e)) {
            marked++;
            complete += sp_lob_entry_status(e) == SP_LOB_PLAN_COMPLETE;
        } else if (sp_lob_category_hidden(sp_lob_entry_category(e))) {
            hidden++;
        }
    }
    _snwprintf(n[0], 16, L"%u", marked);
    _snwprintf(n[1], 16, L"%u", complete);
    _snwprintf(n[2], 16, L"%u", marked - complete);
    _snwprintf(n[3], 16, L"%u", hidden);
    text = sp_format(h, IDS_LOB_SUMMARY, 4, args);
    SetDlgItemTextW(p->hwnd, IDC_LOB_SUMMARY, text);
    free(text);
}

static void fill_list(sp_page *p, int select_index)
{
    HINSTANCE h = p->host->hinst;
    HWND lv = GetDlgItem(p->hwnd, IDC_LOB_LIST);
    lob_view *v = view_of(p);
    BOOL all = IsDlgButtonChecked(p->hwnd, IDC_LOB_SHOWALL) == BST_CHECKED;
    int index = 0, row = 0;
    cJSON *e;
    if (!v || busy(p)) /* the worker is rewriting the inventory: wait for WM_SP_DONE */
        return;
    v->filling = 1;
    SendMessageW(lv, WM_SETREDRAW, FALSE, 0);
    ListView_DeleteAllItems(lv);
    cJSON_ArrayForEach(e, sp_lob_entries(p->host->session->state)) {
        sp_lob_category cat = sp_lob_entry_category(e);
        if (all || sp_lob_marked(e) || !sp_lob_category_hidden(cat)) {
            wchar_t *name = sp_wide(sp_lob_text(e, "name"));
            wchar_t *cells[4];
            LVITEMW item = {0};
            if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(e, "present"))) {
                wchar_t *gone = sp_format1(h, IDS_LOB_NOT_PRESENT, name);
                free(name);
                name = gone;
            }
            cells[0] = name;
            cells[1] = sp_wide(sp_lob_text(e, "publisher"));
            cells[2] = sp_load(h, IDS_LOB_CATEGORY_FIRST + cat);
            cells[3] = sp_load(h, IDS_LOB_PLAN_FIRST + sp_lob_entry_status(e));
            row = sp_listview_add(lv, row, -1, (const wchar_t *const *)cells, 4);
            item.mask = LVIF_PARAM;
            item.iItem = row;
            item.lParam = index;
            ListView_SetItem(lv, &item);
            ListView_SetCheckState(lv, row, sp_lob_marked(e));
            if (index == select_index) {
                ListView_SetItemState(lv, row, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
                ListView_EnsureVisible(lv, row, FALSE);
            }
            for (int c = 0; c < 4; c++)
                free(cells[c]);
            row++;
        }
        index++;
    }
    SendMessageW(lv, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(lv, NULL, TRUE);
    v->filling = 0;
    fill_summary(p);
    update_controls(p);
}

/* The generic status line speaks of findings this page does not list: say what is left to do. */
static void lob_status(sp_page *p)
{
    const sp_step_state *s = sp_state_step_const(p->host->session->state, "lob");
    unsigned open = 0;
    wchar_t when[80], n[16], *text;
    const wchar_t *args[2] = {when, n};
    cJSON *e;
    if (busy(p) || !s || s->manual || s->result != SP_RESULT_FAILED || sp_state_is_stale(s, now_of(p)))
        return;
    cJSON_ArrayForEach(e, sp_lob_entries(p->host->session->state))
        open += sp_lob_marked(e) && sp_lob_entry_status(e) != SP_LOB_PLAN_COMPLETE;
    sp_format_time(s->checked_at, when, 80);
    _snwprintf(n, 16, L"%u", open);
    n[15] = 0;
    text = sp_format(p->host->hinst, IDS_LOB_STATUS_OPEN, 2, args);
    SetDlgItemTextW(p->hwnd, IDC_STEP_STATUS, text);
    free(text);
}

/* After a mark or a plan changed: the plan is assessed again, saved, and the page redrawn. */
static void plan_changed(sp_page *p)
{
    sp_lob_reassess(p->host->session->state, now_of(p));
    sp_host_save(p->host, sp_page_owner(p));
    fill_summary(p);
    sp_step_page_render(p);
    lob_status(p);
    update_controls(p);
}

static void on_item_changed(sp_page *p, const NMLISTVIEW *nm)
{
    lob_view *v = view_of(p);
    cJSON *e;
    if (!v || v->filling || nm->iItem < 0)
        return;
    if ((nm->uChanged & LVIF_STATE) && ((nm->uNewState ^ nm->uOldState) & LVIS_STATEIMAGEMASK) &&
        (nm->uOldState & LVIS_STATEIMAGEMASK) && (e = entry_at(p, (int)nm->lParam)) != NULL) {
        BOOL checked = ListView_GetCheckState(GetDlgItem(p->hwnd, IDC_LOB_LIST), nm->iItem);
        if (checked != sp_lob_marked(e)) {
            sp_lob_set_marked(e, checked);
            set_row_plan(p, nm->iItem, e);
            plan_changed(p);
        }
    }
    update_controls(p);
}

static void edit_selected(sp_page *p)
{
    int index = selected_index(p);
    cJSON *entry = index >= 0 ? entry_at(p, index) : NULL;
    if (!entry || busy(p) || !sp_lob_edit_plan(p->host, sp_page_owner(p), entry))
        return;
    /* Editing a plan says the entry matters: it counts as line-of-business from now on. */
    if (!sp_lob_marked(entry))
        sp_lob_set_marked(entry, 1);
    fill_list(p, index);
    plan_changed(p);
}

/* The plan goes to this computer's disk, also in demo mode: it is for the technician. */
/* The user's list separator (Control Panel, Regional Options: ';' in Germany), so that Excel
 * opens the file as columns; ',' when it is not a single plain character. */
static char list_separator(void)
{
    wchar_t sep[4] = L"";
    int n = GetLocaleInfoW(LOCALE_USER_DEFAULT, LOCALE_SLIST, sep, 4);
    if (n == 2 && (sep[0] == L';' || sep[0] == L',' || sep[0] == L'\t' || sep[0] == L'|'))
        return (char)sep[0];
    return ',';
}

static void export_csv(sp_page *p)
{
    sp_page_host *h = p->host;
    wchar_t *name = sp_load(h->hinst, IDS_LOB_EXPORT_NAME), *msg;
    char *path = sp_ask_save_path(sp_page_owner(p), h->hinst, IDS_LOB_EXPORT_FILTER, name, L"csv"), *csv;
    char why[512] = "";
    sp_status st;

    free(name);
    if (!path)
        return;
    csv = sp_lob_export_csv_with(h->session->state, sp_text_for_core, h->hinst, list_separator());
    st = csv ? h->ops->write_file(h, path, csv, strlen(csv), why, sizeof why) : SP_ERR_NOMEM;
    if (st == SP_OK)
        msg = sp_format_u8(h->hinst, IDS_LOB_EXPORTED, path, NULL);
    else
        msg = sp_format_u8(h->hinst, IDS_LOB_EXPORT_FAILED, path, why[0] ? why : sp_status_name(st));
    sp_tell(sp_page_owner(p), h->hinst, st == SP_OK ? MB_ICONINFORMATION : MB_ICONERROR, msg);
    free(msg);
    free(csv);
    free(path);
}

static void on_init(sp_page *p)
{
    static const UINT cols[] = {IDS_LOB_COL_NAME, IDS_LOB_COL_PUBLISHER, IDS_LOB_COL_TYPE, IDS_LOB_COL_PLAN};
    static const int widths[] = {36, 20, 24, 20};
    HWND lv = GetDlgItem(p->hwnd, IDC_LOB_LIST);
    p->view = calloc(1, sizeof(lob_view));
    sp_listview_columns(lv, p->host->hinst, cols, widths, 4);
    ListView_SetExtendedListViewStyleEx(lv, LVS_EX_CHECKBOXES, LVS_EX_CHECKBOXES);
}

static BOOL on_notify(sp_page *p, const NMHDR *nm)
{
    if (nm->idFrom != IDC_LOB_LIST)
        return FALSE;
    if (nm->code == LVN_ITEMCHANGED)
        on_item_changed(p, (const NMLISTVIEW *)nm);
    else if (nm->code == LVN_ITEMACTIVATE)
        edit_selected(p);
    return TRUE;
}

static BOOL on_command(sp_page *p, int id, int code)
{
    (void)code;
    switch (id) {
    case IDC_LOB_EDIT: edit_selected(p); return TRUE;
    case IDC_LOB_EXPORT: export_csv(p); return TRUE;
    case IDC_LOB_SHOWALL: fill_list(p, selected_index(p)); return TRUE;
    case IDC_LOB_NONE:
        sp_lob_confirm_none(p->host->session->state,
                            IsDlgButtonChecked(p->hwnd, IDC_LOB_NONE) == BST_CHECKED, sp_host_now(p->host));
        plan_changed(p);
        return TRUE;
    }
    return FALSE;
}

static void on_render(sp_page *p, sp_render_why why)
{
    switch (why) {
    case SP_RENDER_SHOW:
        fill_list(p, -1);
        lob_status(p);
        update_controls(p);
        break;
    case SP_RENDER_DONE:
        fill_list(p, -1);
        lob_status(p);
        break;
    case SP_RENDER_INPUT:
    case SP_RENDER_MARK:
        update_controls(p);
        break;
    default:
        break;
    }
}

const sp_page_desc sp_page_lob = {
    .id = "lob", .template_id = IDD_LOB, .init = on_init, .command = on_command,
    .notify = on_notify, .render = on_render,
};
