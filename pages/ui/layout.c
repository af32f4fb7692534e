/* A step page's layout at run time (see layout.h). */
#include "pages/ui/layout.h"

#include <string.h>

static RECT rect_in(HWND dlg, HWND ctl)
{
    RECT r;
    GetWindowRect(ctl, &r);
    MapWindowPoints(NULL, dlg, (POINT *)&r, 2);
    return r;
}

static BOOL folds(int id, const int *ids, int n)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return TRUE;
    return FALSE;
}

void sp_layout_init(sp_layout *l, HWND dlg, int stretch_id, int twin_id, const int *folding_ids,
                    int nfolding)
{
    HWND list = GetDlgItem(dlg, stretch_id);
    RECT page;
    int block_bottom = 0, rest_bottom = 0, first_below = -1;
    memset(l, 0, sizeof *l);
    if (!list)
        return;
    GetClientRect(dlg, &page);
    l->stretch_id = stretch_id;
    l->twin_id = twin_id;
    l->stretch = rect_in(dlg, list);
    l->height = page.bottom;
    for (HWND c = GetWindow(dlg, GW_CHILD); c; c = GetWindow(c, GW_HWNDNEXT)) {
        RECT r = rect_in(dlg, c);
        int id = GetDlgCtrlID(c);
        sp_layout_ctl *x;
        if (c == list || id == twin_id || r.top < l->stretch.bottom || l->count == SP_LAYOUT_MAX)
            continue;
        x = &l->below[l->count++];
        x->id = id;
        x->r = r;
        x->folding = folds(id, folding_ids, nfolding);
        if (x->folding) {
            if (r.bottom > block_bottom)
                block_bottom = r.bottom;
        } else {
            if (r.bottom > rest_bottom)
                rest_bottom = r.bottom;
        }
        if (first_below < 0 || r.top < first_below)
            first_below = r.top;
    }
    l->gap = first_below >= 0 ? first_below - l->stretch.bottom : 0;
    l->fold = block_bottom > rest_bottom ? block_bottom - rest_bottom : 0;
}

void sp_layout_apply(const sp_layout *l, HWND dlg, BOOL block_shown)
{
    RECT page;
    int grow, top = -1;
    HDWP dwp;
    if (!l->stretch_id)
        return;
    GetClientRect(dlg, &page);
    grow = page.bottom - l->height; /* the sheet may give the page more room than its template */
    dwp = BeginDeferWindowPos(l->count + 2);
    for (int i = 0; i < l->count; i++) {
        const sp_layout_ctl *x = &l->below[i];
        int dy = grow + (!block_shown && !x->folding ? l->fold : 0);
        HWND c = GetDlgItem(dlg, x->id);
        if (!block_shown && x->folding)
            continue;
        if (top < 0 || x->r.top + dy < top)
            top = x->r.top + dy;
        if (c && dwp)
            dwp = DeferWindowPos(dwp, c, NULL, x->r.left, x->r.top + dy, 0, 0,
                                 SWP_NOSIZE | SWP_NOZORDER | SWP_NOACTIVATE);
    }
    if (top < 0)
        top = page.bottom + l->gap;
    for (int k = 0; k < 2 && dwp; k++) {
        HWND c = GetDlgItem(dlg, k ? l->twin_id : l->stretch_id);
        if (c && (k == 0 || l->twin_id))
            dwp = DeferWindowPos(dwp, c, NULL, l->stretch.left, l->stretch.top,
                                 l->stretch.right - l->stretch.left, top - l->gap - l->stretch.top,
                                 SWP_NOZORDER | SWP_NOACTIVATE);
    }
    if (dwp)
        EndDeferWindowPos(dwp);
}

void sp_layout_shift_below(HWND dlg, int stretch_id, int from, int to, int dy)
{
    HWND list = GetDlgItem(dlg, stretch_id);
    RECT lr;
    if (!list || !dy)
        return;
    lr = rect_in(dlg, list);
    for (HWND c = GetWindow(dlg, GW_CHILD); c; c = GetWindow(c, GW_HWNDNEXT)) {
        RECT r = rect_in(dlg, c);
        if (c != list && r.top >= from && r.top < to && r.top >= lr.bottom)
            SetWindowPos(c, NULL, r.left, r.top + dy, 0, 0, SWP_NOSIZE | SWP_NOZORDER | SWP_NOACTIVATE);
    }
    SetWindowPos(list, NULL, 0, 0, lr.right - lr.left, lr.bottom - lr.top + dy,
                 SWP_NOMOVE | SWP_NOZORDER | SWP_NOACTIVATE);
}
