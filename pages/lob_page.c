/* LOB planning page: the inventory with a tick per line-of-business entry, the plan editor,
 * completeness at a glance, and the CSV export. Everything else is the generic step page's. */
#include <windows.h>
#include <commctrl.h>
#include <commdlg.h>
#include <prsht.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/base/strutil.h"
#include "core/lob/lob.h"
#include "pages/messages.h"
#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

/* The page's own view state (p->view). */
typedef struct {
    int filling; /* the list is being filled: its notifications are ours, not the user's */
} lob_view;

/* The plan editor: a modal box; its media probe runs on the worker and reports to the box. */
typedef struct {
    sp_page_host *host;
    cJSON *entry;
    HWND dlg;
    int probing;      /* a probe job started from the box is running */
    int save_pending; /* OK was clicked: save when the probe is back */
    sp_lob_plan *plan;
} plan_editor;

/* A probe job's argument and result. */
typedef struct {
    char *path;
    sp_lob_media m;
} media_probe;

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

/* "1.5 MB": sizes as people read them. */
static wchar_t *format_size(HINSTANCE h, uint64_t bytes)
{
    static const UINT units[] = {IDS_LOB_SIZE_KB, IDS_LOB_SIZE_MB, IDS_LOB_SIZE_GB};
    wchar_t num[32];
    double v = (double)bytes;
    int u = -1;
    while (v >= 1024.0 && u < 2) {
        v /= 1024.0;
        u++;
    }
    if (u < 0)
        _snwprintf(num, 32, L"%llu", (unsigned long long)bytes);
    else
        _snwprintf(num, 32, L"%.1f", v);
    num[31] = 0;
    return sp_format1(h, u < 0 ? IDS_LOB_SIZE_BYTES : units[u], num);
}

/* What the media check found, as one line. */
static wchar_t *media_text(HINSTANCE h, const sp_lob_media *m, sp_status st, const char *why)
{
    wchar_t *size, *text, count[16];
    if (st != SP_OK) {
        wchar_t *w = sp_wide(why && why[0] ? why : sp_status_name(st));
        text = sp_format1(h, IDS_LOB_MEDIA_ERROR, w);
        free(w);
        return text;
    }
    if (m->is_url)
        return sp_load(h, IDS_LOB_MEDIA_URL);
    if (!m->exists)
        return sp_load(h, IDS_LOB_MEDIA_MISSING);
    size = format_size(h, m->size);
    if (!m->is_dir) {
        text = sp_format1(h, IDS_LOB_MEDIA_FILE, size);
    } else {
        const wchar_t *args[2] = {size, count};
        _snwprintf(count, 16, L"%u", m->files);
        count[15] = 0;
        text = sp_format(h, m->partial ? IDS_LOB_MEDIA_DIR_PARTIAL : IDS_LOB_MEDIA_DIR, 2, args);
    }
    free(size);
    return text;
}

/* ---- The plan editor -------------------------------------------------------------------------- */

static void free_probe(void *arg)
{
    media_probe *mp = arg;
    if (mp)
        free(mp->path);
    free(mp);
}

/* Up to 20,000 file_stat calls, maybe on a share: never on the UI thread. */
static sp_status probe_task(sp_run_ctx *ctx, void *arg)
{
    media_probe *mp = arg;
    ctx->sys->last_error[0] = '\0';
    return sp_lob_media_probe_run(ctx, mp->path, &mp->m);
}

static void editor_buttons(plan_editor *ed)
{
    EnableWindow(GetDlgItem(ed->dlg, IDC_LOBP_MEDIA_CHECK), !ed->probing);
    EnableWindow(GetDlgItem(ed->dlg, IDOK), !ed->save_pending);
}

/* Starts looking at the media the box names; TRUE when a job started. */
static BOOL start_probe(plan_editor *ed)
{
    media_probe *mp;
    sp_job *job;
    wchar_t *text;
    if (ed->probing)
        return FALSE;
    mp = calloc(1, sizeof *mp);
    job = calloc(1, sizeof *job);
    if (!mp || !job || !(mp->path = sp_get_text_u8(ed->dlg, IDC_LOBP_MEDIA))) {
        free_probe(mp);
        free(job);
        return FALSE;
    }
    if (!*sp_skip_space(mp->path)) { /* nothing to look at: nothing to say */
        SetDlgItemTextW(ed->dlg, IDC_LOBP_MEDIA_INFO, L"");
        free_probe(mp);
        free(job);
        return FALSE;
    }
    job->task = probe_task;
    job->arg = mp;
    job->free_arg = free_probe;
    if (!ed->host->ops->start(ed->host, ed->dlg, job))
        return FALSE;
    ed->probing = 1;
    text = sp_format1(ed->host->hinst, IDS_LOB_MEDIA_PROBING, L"0");
    SetDlgItemTextW(ed->dlg, IDC_LOBP_MEDIA_INFO, text);
    free(text);
    editor_buttons(ed);
    return TRUE;
}

static void probe_done(plan_editor *ed, sp_job *job)
{
    const media_probe *mp = job->arg;
    wchar_t *text = NULL;
    ed->host->ops->join(ed->host);
    ed->probing = 0;
    if (job->status != SP_ERR_CANCELLED)
        text = media_text(ed->host->hinst, &mp->m, job->status, job->error);
    SetDlgItemTextW(ed->dlg, IDC_LOBP_MEDIA_INFO, text ? text : L"");
    free(text);
    if (ed->plan) {
        ed->plan->media_checked = job->status == SP_OK && !mp->m.is_url;
        ed->plan->media_found = mp->m.exists;
        ed->plan->media_size = mp->m.size;
    }
    sp_job_free(job);
    editor_buttons(ed);
}

static void stop_probe(plan_editor *ed)
{
    if (!ed->probing)
        return;
    ed->host->ops->cancel(ed->host);
    ed->host->ops->join(ed->host);
    ed->probing = 0;
    sp_job_drain(ed->dlg);
}

static void editor_init(plan_editor *ed, HWND dlg)
{
    HINSTANCE h = ed->host->hinst;
    const char *name = sp_lob_text(ed->entry, "name");
    sp_lob_plan plan;
    wchar_t *caption, *details;
    static const struct { int id; int limit; } limits[] = {
        {IDC_LOBP_CONTACT, 200}, {IDC_LOBP_PHONE, 60}, {IDC_LOBP_EMAIL, 200}, {IDC_LOBP_MEDIA, 400},
        {IDC_LOBP_LICENCE, 400}, {IDC_LOBP_DATA, 400}, {IDC_LOBP_NOTES, 4000}};

    ed->dlg = dlg;
    sp_lob_get_plan(ed->entry, &plan);
    caption = sp_format_u8(h, IDS_LOB_PLAN_CAPTION, name, NULL);
    SetWindowTextW(dlg, caption);
    free(caption);
    {
        const char *where = sp_lob_text(ed->entry, "location");
        wchar_t *a[4] = {sp_wide(name), sp_wide(sp_lob_text(ed->entry, "publisher")),
                         sp_wide(sp_lob_text(ed->entry, "version")), sp_wide(where[0] ? where : "-")};
        details = sp_format(h, IDS_LOB_DETAILS, 4, (const wchar_t *const *)a);
        for (int i = 0; i < 4; i++)
            free(a[i]);
    }
    SetDlgItemTextW(dlg, IDC_LOBP_DETAILS, details);
    free(details);
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        SendDlgItemMessageW(dlg, limits[i].id, EM_LIMITTEXT, (WPARAM)limits[i].limit, 0);
    sp_set_text_u8(dlg, IDC_LOBP_CONTACT, plan.contact);
    sp_set_text_u8(dlg, IDC_LOBP_PHONE, plan.phone);
    sp_set_text_u8(dlg, IDC_LOBP_EMAIL, plan.email);
    sp_set_text_u8(dlg, IDC_LOBP_MEDIA, plan.media);
    sp_set_text_u8(dlg, IDC_LOBP_LICENCE, plan.licence);
    sp_set_text_u8(dlg, IDC_LOBP_DATA, plan.data);
    sp_set_text_u8(dlg, IDC_LOBP_NOTES, plan.notes);
    for (int m = 0; m < SP_LOB_METHOD_COUNT; m++) {
        wchar_t *t = sp_load(h, IDS_LOB_METHOD_FIRST + m);
        SendDlgItemMessageW(dlg, IDC_LOBP_METHOD, CB_ADDSTRING, 0, (LPARAM)(t ? t : L""));
        free(t);
    }
    SendDlgItemMessageW(dlg, IDC_LOBP_METHOD, CB_SETCURSEL, (WPARAM)plan.method, 0);
    if (plan.media[0])
        start_probe(ed);
}

/* Saves the plan with what the probe found (ed->plan, filled by probe_done). */
static BOOL editor_save(plan_editor *ed, sp_lob_plan *probed)
{
    static const int ids[] = {IDC_LOBP_CONTACT, IDC_LOBP_PHONE, IDC_LOBP_EMAIL, IDC_LOBP_MEDIA,
                              IDC_LOBP_LICENCE, IDC_LOBP_DATA, IDC_LOBP_NOTES};
    char *t[7] = {0};
    sp_lob_plan plan = {0};
    LRESULT sel = SendDlgItemMessageW(ed->dlg, IDC_LOBP_METHOD, CB_GETCURSEL, 0, 0);
    sp_status st = SP_OK;
    for (int i = 0; i < 7; i++)
        if (!(t[i] = sp_get_text_u8(ed->dlg, ids[i])))
            st = SP_ERR_NOMEM;
    if (st == SP_OK) {
        plan.contact = t[0];
        plan.phone = t[1];
        plan.email = t[2];
        plan.media = t[3];
        plan.licence = t[4];
        plan.data = t[5];
        plan.notes = t[6];
        plan.method = sel > 0 && sel < SP_LOB_METHOD_COUNT ? (sp_lob_method)sel : SP_LOB_METHOD_NONE;
        plan.media_checked = probed->media_checked;
        plan.media_found = probed->media_found;
        plan.media_size = probed->media_size;
        st = sp_lob_set_plan(ed->entry, &plan);
    }
    for (int i = 0; i < 7; i++)
        free(t[i]);
    return st == SP_OK;
}

/* OK: the media is looked at again as typed now, then the plan is saved with what was found. */
static void editor_ok(plan_editor *ed)
{
    static sp_lob_plan none;
    if (ed->save_pending)
        return;
    stop_probe(ed); /* it may have looked at what the box said before */
    ed->plan = calloc(1, sizeof *ed->plan);
    if (!ed->plan)
        return;
    ed->save_pending = 1;
    if (!start_probe(ed)) {
        *ed->plan = none;
        ed->save_pending = 0;
        if (editor_save(ed, ed->plan))
            EndDialog(ed->dlg, IDOK);
        free(ed->plan);
        ed->plan = NULL;
    }
    editor_buttons(ed);
}

static INT_PTR CALLBACK editor_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    plan_editor *ed = (plan_editor *)GetWindowLongPtrW(dlg, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        SetWindowLongPtrW(dlg, DWLP_USER, lp);
        editor_init((plan_editor *)lp, dlg);
        return TRUE;
    case WM_SP_PROGRESS: {
        wchar_t *what = (wchar_t *)lp;
        wchar_t *text = sp_format1(ed->host->hinst, IDS_LOB_MEDIA_PROBING, what ? what : L"0");
        SetDlgItemTextW(dlg, IDC_LOBP_MEDIA_INFO, text);
        free(text);
        free(what);
        return TRUE;
    }
    case WM_SP_QUERY_BUSY: /* tests: the probe and a pending save are over at 0 */
        SetWindowLongPtrW(dlg, DWLP_MSGRESULT, ed && (ed->probing || ed->save_pending));
        return TRUE;
    case WM_SP_DONE:
        probe_done(ed, (sp_job *)lp);
        if (ed->save_pending) {
            BOOL saved = editor_save(ed, ed->plan);
            ed->save_pending = 0;
            free(ed->plan);
            ed->plan = NULL;
            if (saved)
                EndDialog(dlg, IDOK);
            editor_buttons(ed);
        }
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wp)) {
        case IDC_LOBP_MEDIA_CHECK:
            start_probe(ed);
            return TRUE;
        case IDOK:
            editor_ok(ed);
            return TRUE;
        case IDCANCEL:
            stop_probe(ed);
            free(ed->plan);
            ed->plan = NULL;
            ed->save_pending = 0;
            EndDialog(dlg, IDCANCEL);
            return TRUE;
        }
        break;
    case WM_DESTROY:
        if (ed)
            stop_probe(ed);
        break;
    }
    return FALSE;
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

static void update_controls(sp_page *p)
{
    BOOL idle = !busy(p);
    EnableWindow(GetDlgItem(p->hwnd, IDC_LOB_LIST), idle);
    EnableWindow(GetDlgItem(p->hwnd, IDC_LOB_SHOWALL), idle);
    EnableWindow(GetDlgItem(p->hwnd, IDC_LOB_EDIT), idle && selected_index(p) >= 0);
    EnableWindow(GetDlgItem(p->hwnd, IDC_LOB_EXPORT), idle && sp_lob_count(p->host->session->state) > 0);
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
    plan_editor ed = {p->host, index >= 0 ? entry_at(p, index) : NULL};
    if (!ed.entry || busy(p))
        return;
    if (DialogBoxParamW(p->host->hinst, MAKEINTRESOURCEW(IDD_LOB_PLAN), sp_page_owner(p), editor_proc,
                        (LPARAM)&ed) != IDOK)
        return;
    /* Editing a plan says the entry matters: it counts as line-of-business from now on. */
    if (!sp_lob_marked(ed.entry))
        sp_lob_set_marked(ed.entry, 1);
    fill_list(p, index);
    plan_changed(p);
}

/* The plan goes to this computer's disk, also in demo mode: it is for the technician. */
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
    csv = sp_lob_export_csv(h->session->state, sp_text_for_core, h->hinst);
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
