/* GUI walk of the email migration page on the demo (SBS 2003, Exchange 2003 SP2): inventory with
 * the POP3 connector warning, the target choice, missing ValidPorts entries, a self-signed
 * certificate refused, a certificate of the domain's CA refused, then a new external name, Apply,
 * the confirmations, and the gate opening. */
#include <string.h>

#include "resources/resource.h"
#include "tests/gui/gui.h"

/* The Yes button of the confirmation box the page opened, pressed as a user would. */
static BOOL answer_yes(HWND sheet, int ms)
{
    DWORD pid = 0;
    GetWindowThreadProcessId(sheet, &pid);
    for (DWORD t0 = GetTickCount(); (int)(GetTickCount() - t0) < ms;) {
        HWND box = NULL;
        while ((box = FindWindowExW(NULL, box, L"#32770", NULL)) != NULL) {
            DWORD owner_pid = 0;
            GetWindowThreadProcessId(box, &owner_pid);
            if (owner_pid == pid && box != sheet && IsWindowVisible(box) && GetDlgItem(box, IDYES)) {
                SendMessageW(GetDlgItem(box, IDYES), BM_CLICK, 0, 0);
                return TRUE;
            }
        }
        Sleep(50);
    }
    return FALSE;
}

static int rows(HWND page)
{
    return (int)SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0);
}

/* Scrolls the findings so that row is shown with the one after it. */
static void show_row(HWND page, int row)
{
    int last = rows(page) - 1;
    SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_ENSUREVISIBLE, 0, FALSE);
    SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_ENSUREVISIBLE, (WPARAM)(row < last ? row + 1 : row), FALSE);
}

static void change_and_wait(gui_walk *w, int id, int code, const char *what)
{
    unsigned runs = gui_runs(w->page);
    SendMessageW(w->page, WM_COMMAND, MAKEWPARAM(id, code), (LPARAM)GetDlgItem(w->page, id));
    CHECK(gui_wait_run(w->page, runs, 60000), "email: the check after %s did not finish", what);
}

void gui_walk_email(gui_walk *w)
{
    HWND sheet = w->sheet, page = w->page;
    char text[1024];
    unsigned runs;

    /* 1. Exchange found, the POP3 connector warned about, no target yet: the gate is closed. */
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_FAILED), "email: status before a target: %s", text);
    CHECK(rows(page) == 8, "email: %d findings before a target (Exchange, 2 stores, POP3, no target, name, "
          "mailboxes and their sizes)", rows(page));
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "email: Next enabled before a target is chosen");
    gui_check_gate_holds(w);
    gui_text_of(page, IDC_EMAIL_FQDN, text, sizeof text);
    CHECK(strcmp(text, "remote.contoso.com") == 0, "email: external name shown: %s", text);
    show_row(page, 3);
    gui_screenshot(w, "email-pop3");

    /* 2. The target and its reason. */
    gui_type(page, IDC_EMAIL_REASON, L"Office 365 E1 licences already bought");
    SendDlgItemMessageW(page, IDC_EMAIL_TARGET, CB_SETCURSEL, 1, 0);
    SendDlgItemMessageW(page, IDC_EMAIL_TARGET, CB_SHOWDROPDOWN, TRUE, 0);
    gui_screenshot(w, "email-target");
    SendDlgItemMessageW(page, IDC_EMAIL_TARGET, CB_SHOWDROPDOWN, FALSE, 0);
    change_and_wait(w, IDC_EMAIL_TARGET, CBN_SELCHANGE, "choosing Office 365");

    /* 3 and 4. ValidPorts lacks the FQDN entries; the self-signed certificate is refused. */
    CHECK(rows(page) == 16, "email: %d findings for Office 365 (the mailboxes counted, not confirmed)", rows(page));
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_APPLY)) && IsWindowEnabled(GetDlgItem(page, IDC_STEP_APPLY)),
          "email: Apply not offered for the missing ValidPorts entries");
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_EMAIL_CONFIRM3)), "email: the three Office 365 confirmations are not shown");
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "email: Next enabled with ValidPorts incomplete");
    show_row(page, 9);
    gui_screenshot(w, "email-validports");
    show_row(page, 11);
    gui_screenshot(w, "email-selfsigned");

    /* 4b. owa.contoso.com serves a certificate of the domain's own CA: this server trusts it,
     * Office 365 would not (issue 16). */
    SetDlgItemTextW(page, IDC_EMAIL_FQDN, L"owa.contoso.com");
    change_and_wait(w, IDC_EMAIL_FQDN, EN_KILLFOCUS, "the domain-CA name");
    CHECK(rows(page) == 16, "email: %d findings for the domain-CA certificate", rows(page));
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "email: Next enabled with a domain-CA certificate");
    show_row(page, 11);
    gui_screenshot(w, "email-domain-ca");

    /* 5. A certificate from a public CA on mail.contoso.com: the technician types that name,
     * applies the ValidPorts fix and confirms what the wizard cannot check. */
    SetDlgItemTextW(page, IDC_EMAIL_FQDN, L"mail.contoso.com");
    change_and_wait(w, IDC_EMAIL_FQDN, EN_KILLFOCUS, "the new external name");
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "email: Next enabled before Apply");
    runs = gui_runs(page);
    PostMessageW(GetDlgItem(page, IDC_STEP_APPLY), BM_CLICK, 0, 0);
    CHECK(answer_yes(sheet, 30000), "email: no confirmation before Apply");
    CHECK(gui_wait_run(page, runs, 60000), "email: Apply did not finish");
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_UNDO)), "email: Undo not offered after Apply");
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "email: Next enabled before the confirmations");
    for (int id = IDC_EMAIL_CONFIRM1; id <= IDC_EMAIL_CONFIRM3; id++) {
        runs = gui_runs(page);
        SendDlgItemMessageW(page, id, BM_CLICK, 0, 0);
        CHECK(gui_wait_run(page, runs, 60000), "email: the check after a confirmation did not finish");
    }
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_PASSED), "email: status after every prerequisite: %s", text);
    CHECK(gui_button_enabled(sheet, ID_NEXT), "email: Next still closed with every prerequisite met");
    show_row(page, 0);
    gui_screenshot(w, "email-passed");
}
