/* The Policy cleanup page: the generic step page plus the choice to clear users' logon script. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <string.h>

#include "core/policy.h"
#include "core/state.h"
#include "pages/pages.h"
#include "resources/resource.h"
#include "wizard/messages.h"

/* The choice matters only while a check lists accounts that still run the script. */
static BOOL users_listed(sp_page *p)
{
    const sp_step_state *s = sp_state_step_const(p->app->session.state, "policy");
    for (size_t i = 0; s && i < s->findings.count; i++)
        if (strcmp(s->findings.items[i].code, "policy.script_users") == 0)
            return TRUE;
    return FALSE;
}

static void render_choice(sp_page *p)
{
    HWND box = GetDlgItem(p->hwnd, IDC_POLICY_CLEAR_USERS);
    BOOL busy = sp_worker_busy(&p->app->worker);
    SendMessageW(box, BM_SETCHECK,
                 sp_policy_clear_script_paths(p->app->session.state) ? BST_CHECKED : BST_UNCHECKED, 0);
    ShowWindow(box, users_listed(p) ? SW_SHOW : SW_HIDE);
    EnableWindow(box, !busy);
}

static void choice_changed(sp_page *p)
{
    BOOL on = SendDlgItemMessageW(p->hwnd, IDC_POLICY_CLEAR_USERS, BM_GETCHECK, 0, 0) == BST_CHECKED;
    sp_policy_set_clear_script_paths(p->app->session.state, on);
    sp_app_save(p->app, GetParent(p->hwnd));
}

INT_PTR CALLBACK sp_policy_page_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    INT_PTR r;
    sp_page *p;
    if (msg == WM_COMMAND && LOWORD(wp) == IDC_POLICY_CLEAR_USERS) {
        if (HIWORD(wp) == BN_CLICKED && (p = sp_page_get(hwnd)) != NULL)
            choice_changed(p);
        return TRUE;
    }
    r = sp_step_page_proc(hwnd, msg, wp, lp);
    p = sp_page_get(hwnd);
    if (!p)
        return r;
    /* After the generic page has drawn itself: start, end of a run, activation, undo. */
    if (msg == WM_INITDIALOG || msg == WM_SP_DONE || msg == WM_NOTIFY || msg == WM_COMMAND)
        render_choice(p);
    return r;
}
