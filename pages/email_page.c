/* The email migration page: the target, its reason, the external name and the confirmations the
 * wizard cannot check, on top of the generic step page (check, apply, undo, findings, gate). */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdlib.h>
#include <string.h>

#include "core/email/email.h"
#include "core/state.h"
#include "pages/pages.h"
#include "pages/ui/controls.h"
#include "pages/ui/layout.h"
#include "pages/ui/text.h"
#include "resources/resource.h"

static const int confirm_ids[SP_EMAIL_PAGE_CONFIRMS] = {IDC_EMAIL_CONFIRM1, IDC_EMAIL_CONFIRM2,
                                                        IDC_EMAIL_CONFIRM3};

static sp_state *state_of(sp_page *p)
{
    return p->host->session->state;
}

static BOOL busy(sp_page *p)
{
    return sp_step_page_busy(p);
}

/* A control's text as heap UTF-8, spaces trimmed at both ends. */
static char *text_of(HWND hwnd, int id)
{
    char *s = sp_get_text_u8(hwnd, id), *a, *e;
    if (!s)
        return NULL;
    for (a = s; *a == ' ' || *a == '\t'; a++)
        ;
    memmove(s, a, strlen(a) + 1);
    for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
        ;
    *e = '\0';
    return s;
}

/* The confirmation boxes of the chosen target, ticked as the state says. */
static void show_confirmations(sp_page *p)
{
    const sp_email_confirm_item *items;
    sp_email_target t = sp_email_target_get(state_of(p));
    size_t n = sp_email_confirm_items(t, &items);
    for (int k = 0; k < SP_EMAIL_PAGE_CONFIRMS; k++) {
        HWND box = GetDlgItem(p->hwnd, confirm_ids[k]);
        if ((size_t)k < n) {
            wchar_t *label = sp_load(p->host->hinst, items[k].text_id);
            SetWindowTextW(box, label ? label : L"");
            free(label);
            SendMessageW(box, BM_SETCHECK, sp_email_confirmed(state_of(p), items[k].code) ? BST_CHECKED : BST_UNCHECKED, 0);
        }
        ShowWindow(box, (size_t)k < n ? SW_SHOW : SW_HIDE);
    }
    sp_step_page_layout(p);
}

static RECT rect_of(sp_page *p, int id)
{
    RECT r;
    GetWindowRect(GetDlgItem(p->hwnd, id), &r);
    MapWindowPoints(NULL, p->hwnd, (POINT *)&r, 2);
    return r;
}

/* After the generic layout (every confirmation in its row): the findings and the details pane
 * take the rows of the confirmations the target does not have, those it has take the last rows. */
static void place_confirmations(sp_page *p)
{
    const sp_email_confirm_item *items;
    size_t n = sp_email_confirm_items(sp_email_target_get(state_of(p)), &items);
    RECT rows[SP_EMAIL_PAGE_CONFIRMS], list = rect_of(p, IDC_STEP_FINDINGS);
    size_t missing = n < SP_EMAIL_PAGE_CONFIRMS ? SP_EMAIL_PAGE_CONFIRMS - n : 0;
    int dy;
    for (int k = 0; k < SP_EMAIL_PAGE_CONFIRMS; k++)
        rows[k] = rect_of(p, confirm_ids[k]);
    dy = missing == SP_EMAIL_PAGE_CONFIRMS ? (int)(rows[SP_EMAIL_PAGE_CONFIRMS - 1].bottom - rows[0].top)
                                           : (int)missing * (int)(rows[1].top - rows[0].top);
    sp_layout_shift_below(p->hwnd, IDC_STEP_FINDINGS, list.bottom, rows[0].top, dy);
    for (size_t k = 0; k < n && k < SP_EMAIL_PAGE_CONFIRMS; k++)
        SetWindowPos(GetDlgItem(p->hwnd, confirm_ids[k]), NULL, rows[missing + k].left, rows[missing + k].top, 0, 0,
                     SWP_NOSIZE | SWP_NOZORDER | SWP_NOACTIVATE);
}

/* The external name box: what the user typed, else what the last check detected. */
static void show_fqdn(sp_page *p)
{
    const char *fqdn = sp_email_fqdn_get(state_of(p));
    const sp_step_state *s = sp_state_step_const(state_of(p), "email");
    if (!fqdn[0] && s)
        for (size_t i = 0; i < s->findings.count; i++)
            if (strcmp(s->findings.items[i].code, "email.fqdn") == 0 && s->findings.items[i].arg)
                fqdn = s->findings.items[i].arg;
    sp_set_text_u8(p->hwnd, IDC_EMAIL_FQDN, fqdn);
}

/* Inputs are read by the worker: they stay still while it runs. */
static void sync_inputs(sp_page *p)
{
    BOOL idle = !busy(p);
    EnableWindow(GetDlgItem(p->hwnd, IDC_EMAIL_TARGET), idle);
    SendDlgItemMessageW(p->hwnd, IDC_EMAIL_FQDN, EM_SETREADONLY, !idle, 0);
    SendDlgItemMessageW(p->hwnd, IDC_EMAIL_REASON, EM_SETREADONLY, !idle, 0);
    for (int k = 0; k < SP_EMAIL_PAGE_CONFIRMS; k++)
        EnableWindow(GetDlgItem(p->hwnd, confirm_ids[k]), idle);
}

static void on_init(sp_page *p)
{
    HWND combo = GetDlgItem(p->hwnd, IDC_EMAIL_TARGET);
    for (int t = 0; t < SP_EMAIL_TARGET_COUNT; t++) {
        wchar_t *name = sp_load(p->host->hinst, sp_email_target_text_id((sp_email_target)t));
        SendMessageW(combo, CB_ADDSTRING, 0, (LPARAM)(name ? name : L""));
        free(name);
    }
    SendMessageW(combo, CB_SETCURSEL, (WPARAM)sp_email_target_get(state_of(p)), 0);
    /* The finding's title is what this page is read by: it gets most of the width, the advice
     * the rest; the evidence (in the details box on a double-click) is left out of the list so
     * that no horizontal scroll bar takes a row. */
    RECT lr;
    int usable;
    GetClientRect(GetDlgItem(p->hwnd, IDC_STEP_FINDINGS), &lr);
    usable = lr.right - GetSystemMetrics(SM_CXVSCROLL) - 2;
    SendDlgItemMessageW(p->hwnd, IDC_STEP_FINDINGS, LVM_SETCOLUMNWIDTH, 0, MAKELPARAM((usable * 70) / 100, 0));
    SendDlgItemMessageW(p->hwnd, IDC_STEP_FINDINGS, LVM_SETCOLUMNWIDTH, 1, MAKELPARAM(usable - (usable * 70) / 100, 0));
    SendDlgItemMessageW(p->hwnd, IDC_STEP_FINDINGS, LVM_SETCOLUMNWIDTH, 2, 0);
    SendDlgItemMessageW(p->hwnd, IDC_EMAIL_REASON, EM_LIMITTEXT, 300, 0);
    SendDlgItemMessageW(p->hwnd, IDC_EMAIL_FQDN, EM_LIMITTEXT, 253, 0);
    sp_set_text_u8(p->hwnd, IDC_EMAIL_REASON, sp_email_reason_get(state_of(p)));
    show_fqdn(p);
    show_confirmations(p);
}

/* The plan changed: save it and check again (the change closed the gate). */
static void replan(sp_page *p)
{
    sp_host_save(p->host, sp_page_owner(p));
    SendMessageW(p->hwnd, WM_COMMAND, MAKEWPARAM(IDC_STEP_CHECK, BN_CLICKED),
                 (LPARAM)GetDlgItem(p->hwnd, IDC_STEP_CHECK));
}

static void on_target_or_reason(sp_page *p)
{
    int sel = (int)SendDlgItemMessageW(p->hwnd, IDC_EMAIL_TARGET, CB_GETCURSEL, 0, 0);
    sp_email_target t = sel > 0 && sel < SP_EMAIL_TARGET_COUNT ? (sp_email_target)sel : SP_EMAIL_TARGET_UNSET;
    char *reason = text_of(p->hwnd, IDC_EMAIL_REASON);
    if (!reason)
        return;
    if (t != sp_email_target_get(state_of(p)) || strcmp(reason, sp_email_reason_get(state_of(p))) != 0) {
        sp_email_plan_set(state_of(p), t, reason);
        show_confirmations(p);
        replan(p);
    }
    free(reason);
}

static void on_fqdn(sp_page *p)
{
    char *fqdn = text_of(p->hwnd, IDC_EMAIL_FQDN);
    const char *shown = NULL;
    const sp_step_state *s = sp_state_step_const(state_of(p), "email");
    if (!fqdn)
        return;
    /* Leaving the detected name as it is does not make it a typed one. */
    for (size_t i = 0; s && !sp_email_fqdn_get(state_of(p))[0] && i < s->findings.count; i++)
        if (strcmp(s->findings.items[i].code, "email.fqdn") == 0)
            shown = s->findings.items[i].arg;
    if (strcmp(fqdn, sp_email_fqdn_get(state_of(p))) != 0 && !(shown && strcmp(fqdn, shown) == 0)) {
        sp_email_fqdn_set(state_of(p), fqdn);
        replan(p);
    }
    free(fqdn);
}

static void on_confirm(sp_page *p, int k)
{
    const sp_email_confirm_item *items;
    size_t n = sp_email_confirm_items(sp_email_target_get(state_of(p)), &items);
    if ((size_t)k >= n)
        return;
    sp_email_confirm_set(state_of(p), items[k].code,
                         IsDlgButtonChecked(p->hwnd, confirm_ids[k]) == BST_CHECKED);
    replan(p);
}

static BOOL on_command(sp_page *p, int id, int code)
{
    if (id == IDC_EMAIL_TARGET && code == CBN_SELCHANGE) {
        on_target_or_reason(p);
        return TRUE;
    }
    if (id == IDC_EMAIL_REASON && code == EN_KILLFOCUS && !busy(p)) {
        on_target_or_reason(p);
        return TRUE;
    }
    if (id == IDC_EMAIL_FQDN && code == EN_KILLFOCUS && !busy(p)) {
        on_fqdn(p);
        return TRUE;
    }
    for (int k = 0; k < SP_EMAIL_PAGE_CONFIRMS; k++)
        if (id == confirm_ids[k] && code == BN_CLICKED) {
            on_confirm(p, k);
            return TRUE;
        }
    return FALSE;
}

static void on_render(sp_page *p, sp_render_why why)
{
    if (why == SP_RENDER_DONE) /* the run may have detected the external name */
        show_fqdn(p);
    sync_inputs(p);
}

const sp_page_desc sp_page_email = {
    .id = "email", .template_id = IDD_EMAIL, .init = on_init, .command = on_command,
    .render = on_render, .layout = place_confirmations,
};
