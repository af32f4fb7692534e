/* Policy cleanup on the demo: the right and the script are found, Apply (confirmed) removes them,
 * and the gate opens because the wizard verified it, not because it was marked by hand. Then a
 * second instance on SBS 2008, where the step does not apply. */
#include "tests/gui/gui.h"

#include <string.h>
#include <wchar.h>

#include "resources/resource.h"

void gui_walk_policy(gui_walk *w)
{
    HWND sheet = w->sheet, page = w->page;
    char text[1024];
    HWND box = GetDlgItem(page, IDC_POLICY_CLEAR_USERS);
    unsigned runs;
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_FAILED), "policy: unexpected status: %s", text);
    gui_check_gate_holds(w);
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_APPLY)) && IsWindowEnabled(GetDlgItem(page, IDC_STEP_APPLY)),
          "policy: Apply is not offered");
    CHECK(IsWindowVisible(box) && SendMessageW(box, BM_GETCHECK, 0, 0) == BST_CHECKED,
          "policy: the choice to clear the users' logon script is not shown ticked");
    CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) >= 3,
          "policy: the right, the script and the users are not all listed");
    gui_screenshot(w, "policy");
    runs = gui_runs(page);
    PostMessageW(page, WM_COMMAND, MAKEWPARAM(IDC_STEP_APPLY, BN_CLICKED), (LPARAM)GetDlgItem(page, IDC_STEP_APPLY));
    CHECK(gui_answer_yes(w, 30000), "policy: Apply asked no confirmation");
    CHECK(gui_wait_run(page, runs, 60000), "policy: Apply did not finish");
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_PASSED), "policy: after Apply: %s", text);
    CHECK(gui_button_enabled(sheet, ID_NEXT), "policy: Next still disabled after Apply");
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_UNDO)), "policy: Undo is not offered after Apply");
    gui_screenshot(w, "policy-applied");
}

void gui_run_policy_not_applicable(gui_walk *w)
{
    PROCESS_INFORMATION pi;
    wchar_t args[1024];
    char text[1024];
    HWND sheet, page;
    _snwprintf(args, 1024, L"/profile:tests\\profiles\\sbs2008.json /page:policy /style:wizard97 \"/root:%ls\\sbs2008\"",
               w->root);
    CHECK(gui_launch(w->exe, args, &pi), "could not start %ls on SBS 2008", w->exe);
    sheet = gui_wait_for_sheet(pi.dwProcessId, 30000);
    CHECK(sheet && gui_page_index(sheet) == 3, "SBS 2008 did not open on the policy page");
    if (sheet) {
        page = gui_current_page(sheet);
        CHECK(gui_wait_run(page, 0, 60000), "SBS 2008 policy: the check did not finish");
        gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
        CHECK(gui_says(text, IDS_STATUS_NA), "SBS 2008 policy: status %s", text);
        CHECK(gui_button_enabled(sheet, ID_NEXT), "SBS 2008 policy: Next disabled although the step does not apply");
        CHECK(!IsWindowVisible(GetDlgItem(page, IDC_STEP_APPLY)) || !IsWindowEnabled(GetDlgItem(page, IDC_STEP_APPLY)),
              "SBS 2008 policy: Apply offered");
        gui_screenshot_window(w, sheet, "policy-not-applicable");
        SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_CANCEL, 0);
        PostMessageW(sheet, WM_NULL, 0, 0);
    }
    gui_finish_process(&pi, 10000);
}
