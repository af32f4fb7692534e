/* Time sync on the demo: the clock is 7 minutes off; the user names the destination and its
 * zone, checks, applies (w32tm and a Windows Time restart), and the step verifies itself. */
#include "tests/gui/gui.h"

#include <string.h>

#include "resources/resource.h"

void gui_walk_timesync(gui_walk *w)
{
    HWND page = w->page, sheet = w->sheet;
    char text[1024];
    unsigned runs;
    gui_check_gate_holds(w);
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_TS_DEST)), "timesync: no destination field");
    gui_text_of(page, IDC_TS_NTP, text, sizeof text);
    CHECK(strcmp(text, "time.windows.com") == 0, "timesync: NTP server is \"%s\"", text);
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_FAILED), "timesync: first check did not fail: %s", text);
    SetDlgItemTextW(page, IDC_TS_DEST, L"ESS01");
    /* The list is the registry's zones by display name; the step compares them by rule. */
    CHECK(SendDlgItemMessageW(page, IDC_TS_TZ, CB_SELECTSTRING, (WPARAM)-1,
                              (LPARAM)L"(UTC-08:00) Pacific Time") >= 0,
          "timesync: Pacific Time is not in the zone list");
    runs = gui_runs(page);
    SendDlgItemMessageW(page, IDC_STEP_CHECK, BM_CLICK, 0, 0);
    CHECK(gui_wait_run(page, runs, 60000), "timesync: the check with the destination did not finish");
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_FAILED), "timesync: the 7-minute offset did not fail: %s", text);
    CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) >= 4,
          "timesync: too few findings");
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "timesync: Next enabled with a 7-minute offset");
    CHECK(IsWindowEnabled(GetDlgItem(page, IDC_STEP_APPLY)), "timesync: Apply not offered");
    gui_screenshot(w, "timesync-offset-too-large");
    /* The demo is the PDC emulator on its own clock: the restart alone leaves it 7 minutes
     * off, so the one-time correction is chosen. */
    SendDlgItemMessageW(page, IDC_TS_CORRECT, BM_CLICK, 0, 0);
    CHECK(IsDlgButtonChecked(page, IDC_TS_CORRECT) == BST_CHECKED, "timesync: correction not ticked");
    runs = gui_runs(page);
    gui_hold(w, "service-start", TRUE); /* W32Time's start waits until released */
    PostMessageW(GetDlgItem(page, IDC_STEP_APPLY), BM_CLICK, 0, 0);
    CHECK(gui_answer_yes(w, 30000), "timesync: no confirmation before Apply");
    /* W32Time stops, then its start is held in the demo: the status says so meanwhile. */
    for (DWORD t0 = GetTickCount(); GetTickCount() - t0 < 30000 && gui_runs(page) == runs;) {
        gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
        if (gui_says(text, IDS_STATUS_APPLYING))
            break;
        Sleep(20);
    }
    CHECK(gui_says(text, IDS_STATUS_APPLYING), "timesync: status while applying: %s", text);
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "timesync: Next enabled while applying");
    CHECK(!IsWindowEnabled(GetDlgItem(page, IDC_TS_DEST)), "timesync: inputs editable while applying");
    gui_screenshot(w, "timesync-applying");
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_runs(page) == runs && gui_says(text, IDS_STATUS_APPLYING),
          "timesync: the apply ended although it was held: %s", text);
    gui_hold(w, "service-start", FALSE);
    CHECK(gui_wait_run(page, runs, 60000), "timesync: apply did not finish");
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_PASSED), "timesync: not verified after apply: %s", text);
    CHECK(gui_button_enabled(sheet, ID_NEXT), "timesync: Next disabled once synchronised");
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_UNDO)), "timesync: Undo not offered after apply");
    gui_screenshot(w, "timesync-synchronised");
}
