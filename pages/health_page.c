/* The Health scan page: the generic step page plus the findings as a tree by category and the
 * acknowledgement of a warning. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdlib.h>
#include <string.h>

#include "core/health/health.h"
#include "core/health/rules.h"
#include "core/state.h"
#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

static const UINT category_ids[SP_HC_COUNT] = {
    IDS_HEALTH_CAT_AD,      IDS_HEALTH_CAT_DNS,     IDS_HEALTH_CAT_FRS,    IDS_HEALTH_CAT_NET,
    IDS_HEALTH_CAT_SVC,     IDS_HEALTH_CAT_STORAGE, IDS_HEALTH_CAT_EVENTS, IDS_HEALTH_CAT_IIS,
    IDS_HEALTH_CAT_EXCHANGE, IDS_HEALTH_CAT_TIME,   IDS_HEALTH_CAT_UPDATES, IDS_HEALTH_CAT_REPL,
    IDS_HEALTH_CAT_ROLES,
};

static const sp_findings *findings(sp_page *p)
{
    const sp_step_state *s = sp_state_step_const(p->host->session->state, p->step->id);
    return s ? &s->findings : NULL;
}

static int selected_row(sp_page *p)
{
    return ListView_GetNextItem(GetDlgItem(p->hwnd, IDC_STEP_FINDINGS), -1, LVNI_SELECTED);
}

static HTREEITEM tree_add(HWND tree, HTREEITEM parent, const wchar_t *text, int image, LPARAM data)
{
    TVINSERTSTRUCTW ins;
    memset(&ins, 0, sizeof ins);
    ins.hParent = parent;
    ins.hInsertAfter = TVI_LAST;
    ins.item.mask = TVIF_TEXT | TVIF_PARAM | TVIF_IMAGE | TVIF_SELECTEDIMAGE;
    ins.item.pszText = (wchar_t *)text;
    ins.item.iImage = ins.item.iSelectedImage = image;
    ins.item.lParam = data;
    return (HTREEITEM)SendMessageW(tree, TVM_INSERTITEMW, 0, (LPARAM)&ins);
}

/* The BPA's tree report: a branch per category that has issues, its worst severity as icon. */
static void fill_tree(sp_page *p)
{
    HWND tree = GetDlgItem(p->hwnd, IDC_HEALTH_TREE);
    const sp_findings *f = findings(p);
    HINSTANCE h = p->host->hinst;
    TreeView_DeleteAllItems(tree);
    if (!f || !f->count) {
        wchar_t *none = sp_load(h, IDS_HEALTH_NO_ISSUES);
        if (f && none)
            tree_add(tree, TVI_ROOT, none, SP_SEV_INFO, 0);
        free(none);
        return;
    }
    for (unsigned c = 0; c < SP_HC_COUNT; c++) {
        HTREEITEM branch = NULL;
        int worst = -1;
        for (size_t i = 0; i < f->count; i++)
            if (sp_health_category_of(f->items[i].code) == c && (int)f->items[i].severity > worst)
                worst = (int)f->items[i].severity;
        if (worst < 0)
            continue;
        {
            wchar_t *name = sp_load(h, category_ids[c]);
            branch = tree_add(tree, TVI_ROOT, name ? name : L"", worst, 0);
            free(name);
        }
        for (size_t i = 0; i < f->count; i++) {
            const sp_finding *x = &f->items[i];
            wchar_t *arg, *title;
            if (sp_health_category_of(x->code) != c)
                continue;
            arg = sp_arg_wide(h, x->arg);
            title = sp_format1(h, x->title_id, arg);
            tree_add(tree, branch, title ? title : L"", (int)x->severity, (LPARAM)(i + 1));
            free(title);
            free(arg);
        }
        TreeView_Expand(tree, branch, TVE_EXPAND);
    }
    TreeView_EnsureVisible(tree, TreeView_GetRoot(tree));
}

/* The acknowledgement of the selected issue when it is a warning (the generic page's details
 * pane shows its text). */
static void show_selection(sp_page *p)
{
    const sp_findings *f = findings(p);
    int row = selected_row(p);
    HWND ack = GetDlgItem(p->hwnd, IDC_HEALTH_ACK);
    BOOL busy = sp_host_busy(p->host, NULL);
    const sp_finding *x = f && row >= 0 && (size_t)row < f->count ? &f->items[row] : NULL;
    SendMessageW(ack, BM_SETCHECK,
                 x && sp_health_acknowledged(p->host->session->state, x->code) ? BST_CHECKED
                                                                             : BST_UNCHECKED,
                 0);
    EnableWindow(ack, x && x->severity == SP_SEV_WARNING && !busy);
}

static void select_row(sp_page *p, int row)
{
    HWND lv = GetDlgItem(p->hwnd, IDC_STEP_FINDINGS);
    if (row < 0)
        return;
    ListView_SetItemState(lv, row, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
    ListView_EnsureVisible(lv, row, FALSE);
    show_selection(p);
}

static void tree_selected(sp_page *p, const NMTREEVIEWW *nm)
{
    if (nm->itemNew.lParam > 0)
        select_row(p, (int)nm->itemNew.lParam - 1);
}

static void ack_clicked(sp_page *p)
{
    const sp_findings *f = findings(p);
    int row = selected_row(p);
    BOOL on = SendDlgItemMessageW(p->hwnd, IDC_HEALTH_ACK, BM_GETCHECK, 0, 0) == BST_CHECKED;
    if (!f || row < 0 || (size_t)row >= f->count)
        return;
    if (sp_health_acknowledge(p->host->session->state, f->items[row].code, on))
        sp_host_save(p->host, sp_page_owner(p));
    sp_step_page_render(p); /* the gate may open or close; the list is filled again */
    select_row(p, row);
}

/* The BPA's two reports in one place: the list or the tree, as the user chose. */
static void show_view(sp_page *p)
{
    BOOL tree = SendDlgItemMessageW(p->hwnd, IDC_HEALTH_VIEW_TREE, BM_GETCHECK, 0, 0) == BST_CHECKED;
    ShowWindow(GetDlgItem(p->hwnd, IDC_HEALTH_TREE), tree ? SW_SHOW : SW_HIDE);
    ShowWindow(GetDlgItem(p->hwnd, IDC_STEP_FINDINGS), tree ? SW_HIDE : SW_SHOW);
}

/* Columns that fit the list's width without scrolling sideways. */
static void fit_columns(sp_page *p)
{
    static const int percent[] = {50, 32, 18};
    sp_listview_fit(GetDlgItem(p->hwnd, IDC_STEP_FINDINGS), percent, 3);
}

static BOOL on_command(sp_page *p, int id, int code)
{
    if (id == IDC_HEALTH_ACK) {
        if (code == BN_CLICKED)
            ack_clicked(p);
        return TRUE;
    }
    if (id == IDC_HEALTH_VIEW_LIST || id == IDC_HEALTH_VIEW_TREE) {
        if (code == BN_CLICKED)
            show_view(p);
        return TRUE;
    }
    return FALSE;
}

static BOOL on_notify(sp_page *p, const NMHDR *nm)
{
    if (nm->idFrom == IDC_HEALTH_TREE) {
        if (nm->code == TVN_SELCHANGEDW)
            tree_selected(p, (const NMTREEVIEWW *)nm);
        return TRUE;
    }
    if (nm->idFrom == IDC_STEP_FINDINGS && nm->code == LVN_ITEMCHANGED) {
        const NMLISTVIEW *lv = (const NMLISTVIEW *)nm;
        if ((lv->uNewState ^ lv->uOldState) & LVIS_SELECTED)
            show_selection(p);
        return FALSE; /* the generic page's details pane follows it too */
    }
    return FALSE;
}

static void on_init(sp_page *p)
{
    fit_columns(p);
    TreeView_SetImageList(GetDlgItem(p->hwnd, IDC_HEALTH_TREE), sp_severity_images(p->host),
                          TVSIL_NORMAL);
    CheckRadioButton(p->hwnd, IDC_HEALTH_VIEW_LIST, IDC_HEALTH_VIEW_TREE, IDC_HEALTH_VIEW_LIST);
    show_view(p);
}

/* The tree follows the findings whenever they may have changed; the details the selection. */
static void on_render(sp_page *p, sp_render_why why)
{
    if (why == SP_RENDER_NOTIFY)
        return;
    if (why == SP_RENDER_INPUT) {
        show_selection(p);
        return;
    }
    fill_tree(p);
    show_selection(p);
}

const sp_page_desc sp_page_health = {
    .id = "health", .template_id = IDD_HEALTH, .init = on_init, .command = on_command,
    .notify = on_notify, .render = on_render,
};
