/* The Policy cleanup page: the generic step page plus the accounts line and the logon-script choice. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdlib.h>
#include <string.h>

#include "core/policy/policy.h"
#include "core/state.h"
#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

static const sp_finding *finding(sp_page *p, const char *code)
{
    const sp_step_state *s = sp_state_step_const(p->host->session->state, "policy");
    for (size_t i = 0; s && i < s->findings.count; i++)
        if (strcmp(s->findings.items[i].code, code) == 0)
            return &s->findings.items[i];
    return NULL;
}

/* Who holds the right, in full: the findings list has no room for it. */
static void render_accounts(sp_page *p)
{
    const sp_finding *right = finding(p, "policy.right_defined");
    wchar_t *text = NULL;
    if (right) {
        wchar_t *arg = sp_wide(right->arg ? right->arg : "");
        text = sp_format1(p->host->hinst, IDS_POLICY_ACCOUNTS, arg);
        free(arg);
    } else if (finding(p, "policy.right_absent")) {
        text = sp_load(p->host->hinst, IDS_POLICY_NO_RIGHT);
    }
    SetDlgItemTextW(p->hwnd, IDC_POLICY_ACCOUNTS, text ? text : L"");
    free(text);
}

/* The list is narrower than the generic page's: its columns fit without scrolling sideways. */
static void fit_columns(sp_page *p)
{
    static const int percent[] = {56, 26, 18};
    sp_listview_fit(GetDlgItem(p->hwnd, IDC_STEP_FINDINGS), percent, 3);
}

static void render_choice(sp_page *p)
{
    HWND box = GetDlgItem(p->hwnd, IDC_POLICY_CLEAR_USERS);
    BOOL busy = sp_host_busy(p->host, NULL);
    SendMessageW(box, BM_SETCHECK,
                 sp_policy_clear_script_paths(p->host->session->state) ? BST_CHECKED : BST_UNCHECKED, 0);
    ShowWindow(box, finding(p, "policy.script_users") ? SW_SHOW : SW_HIDE);
    EnableWindow(box, !busy);
    render_accounts(p);
}

static void choice_changed(sp_page *p)
{
    BOOL on = SendDlgItemMessageW(p->hwnd, IDC_POLICY_CLEAR_USERS, BM_GETCHECK, 0, 0) == BST_CHECKED;
    sp_policy_set_clear_script_paths(p->host->session->state, on);
    sp_host_save(p->host, sp_page_owner(p));
}

static BOOL on_command(sp_page *p, int id, int code)
{
    if (id != IDC_POLICY_CLEAR_USERS)
        return FALSE;
    if (code == BN_CLICKED)
        choice_changed(p);
    return TRUE;
}

/* After the generic page has drawn itself: start, end of a run, activation, undo. */
static void on_render(sp_page *p, sp_render_why why)
{
    (void)why;
    render_choice(p);
}

const sp_page_desc sp_page_policy = {
    .id = "policy", .template_id = IDD_POLICY, .init = fit_columns, .command = on_command,
    .render = on_render,
};
