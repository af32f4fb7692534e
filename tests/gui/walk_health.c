/* Health scan on the demo: an FRS journal wrap (error), six warnings and a notice (SYSVOL on FRS)
 * in the list and the category tree; selecting shows the evidence and what to do; a warning is
 * acknowledged; a scan again shows its progress; the error keeps the gate closed, so the step is
 * marked by hand. */
#include "tests/gui/gui.h"

#include <string.h>

#include "resources/resource.h"

/* What the demo's scan lists (tests/unit/test_health.c prints them). */
#define DEMO_ISSUES 8

static HWND tree_of(HWND page)
{
    return GetDlgItem(page, IDC_HEALTH_TREE);
}

static int selected_finding(HWND page)
{
    return (int)SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
}

void gui_walk_health(gui_walk *w)
{
    HWND sheet = w->sheet, page = w->page, tree = tree_of(page);
    HWND ack = GetDlgItem(page, IDC_HEALTH_ACK);
    HTREEITEM first_branch, first_issue;
    char text[2048];

    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_FAILED), "health: the demo scan did not fail: %s", text);
    gui_check_gate_holds(w);
    CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) == DEMO_ISSUES,
          "health: the demo should list 1 error, 6 warnings and 1 notice");
    /* Eight issues in seven categories (DNS, File Replication with two, Storage, Event Log, Time,
     * Replication, Server roles): seven branches and eight leaves. */
    CHECK(SendMessageW(tree, TVM_GETCOUNT, 0, 0) == DEMO_ISSUES + 7, "health: the tree has %d items",
          (int)SendMessageW(tree, TVM_GETCOUNT, 0, 0));

    /* The list, errors first: the journal wrap is selected and explained. */
    /* The second branch is File Replication: its issue is the first row. */
    SendMessageW(tree, TVM_SELECTITEM, TVGN_CARET,
                 SendMessageW(tree, TVM_GETNEXTITEM, TVGN_CHILD,
                              SendMessageW(tree, TVM_GETNEXTITEM, TVGN_NEXT,
                                           SendMessageW(tree, TVM_GETNEXTITEM, TVGN_ROOT, 0))));
    gui_sync(page);
    CHECK(selected_finding(page) == 0, "health: the FRS error is not the first row (%d)", selected_finding(page));
    gui_text_of(page, IDC_STEP_DETAILS, text, sizeof text);
    CHECK(strstr(text, "13568") != NULL && strstr(text, "KB 290762") != NULL,
          "health: the journal wrap's details: %s", text);
    CHECK(!IsWindowEnabled(ack), "health: an error can be acknowledged");
    gui_screenshot(w, "health-list");

    /* The tree report: the first branch is DNS, its issue the public DNS server (a warning). */
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_FINDINGS)) && !IsWindowVisible(tree),
          "health: the list report is not the one shown first");
    SendDlgItemMessageW(page, IDC_HEALTH_VIEW_TREE, BM_CLICK, 0, 0);
    gui_sync(page);
    CHECK(IsWindowVisible(tree) && !IsWindowVisible(GetDlgItem(page, IDC_STEP_FINDINGS)),
          "health: the tree report is not shown");
    first_branch = (HTREEITEM)SendMessageW(tree, TVM_GETNEXTITEM, TVGN_ROOT, 0);
    first_issue = (HTREEITEM)SendMessageW(tree, TVM_GETNEXTITEM, TVGN_CHILD, (LPARAM)first_branch);
    CHECK(first_issue != NULL, "health: the first branch has no issue");
    SendMessageW(tree, TVM_SELECTITEM, TVGN_CARET, (LPARAM)first_issue);
    gui_sync(page);
    CHECK(selected_finding(page) == 1, "health: selecting in the tree did not select row 1 (%d)",
          selected_finding(page));
    gui_text_of(page, IDC_STEP_DETAILS, text, sizeof text);
    CHECK(strstr(text, "8.8.8.8") != NULL, "health: the public DNS details: %s", text);
    CHECK(IsWindowEnabled(ack) && SendMessageW(ack, BM_GETCHECK, 0, 0) == BST_UNCHECKED,
          "health: a warning cannot be acknowledged");
    SetFocus(tree);
    gui_screenshot(w, "health-tree");

    SendMessageW(ack, BM_CLICK, 0, 0);
    gui_sync(page);
    CHECK(SendMessageW(ack, BM_GETCHECK, 0, 0) == BST_CHECKED, "health: the acknowledgement did not stick");
    CHECK(selected_finding(page) == 1, "health: the selection was lost after acknowledging");
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "health: Next enabled although an error remains");
    gui_screenshot(w, "health-detail-acknowledged");
    SendDlgItemMessageW(page, IDC_HEALTH_VIEW_LIST, BM_CLICK, 0, 0);
    gui_sync(page);
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_FINDINGS)), "health: back to the list report failed");

    /* A scan again: its progress shows while the event logs are read. The simulated server
     * holds the scan at its event logs while C:\SourcePrepTest\hold-event-logs exists, so the
     * screenshot shows the scan going on however busy the machine is. */
    {
        unsigned runs = gui_runs(page);
        BOOL seen = FALSE;
        gui_hold(w, "event-logs", TRUE);
        SendDlgItemMessageW(page, IDC_STEP_CHECK, BM_CLICK, 0, 0);
        for (DWORD t0 = GetTickCount(); GetTickCount() - t0 < 30000 && gui_runs(page) == runs;) {
            gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
            if ((seen = gui_says(text, IDS_STATUS_RUNNING)))
                break;
            Sleep(20);
        }
        CHECK(seen, "health: no progress while scanning: %s", text);
        CHECK(!gui_button_enabled(sheet, ID_NEXT), "health: Next enabled while scanning");
        gui_screenshot(w, "health-scanning");
        gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
        CHECK(gui_runs(page) == runs && gui_says(text, IDS_STATUS_RUNNING),
              "health: the scan ended although it was held: %s", text);
        gui_hold(w, "event-logs", FALSE);
        CHECK(gui_wait_run(page, runs, 60000), "health: the scan did not finish");
    }
    CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) == DEMO_ISSUES,
          "health: the second scan lists another number of issues");

    /* The error is the FRS journal: the technician follows KB 290762 by hand and marks it. */
    gui_mark_done(w, L"FRS restored per KB 290762 (GUI test)");
}
