/* Updates on the demo: three updates are missing; Install downloads and installs them with
 * progress, one asks for a restart, Restart now (simulated) clears it and the gate opens. Then
 * a second instance on SBS 2003 without its service packs. */
#include "tests/gui/gui.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resources/resource.h"

static void click_apply(gui_walk *w, UINT label)
{
    HWND apply = GetDlgItem(w->page, IDC_STEP_APPLY);
    char text[256], *what = gui_string(label);
    gui_text_of(w->page, IDC_STEP_APPLY, text, sizeof text);
    CHECK(what && what[0] && strcmp(text, what) == 0, "updates: Apply reads \"%s\", not \"%s\"", text, what);
    CHECK(IsWindowVisible(apply) && IsWindowEnabled(apply), "updates: %s is not offered", what);
    PostMessageW(w->page, WM_COMMAND, MAKEWPARAM(IDC_STEP_APPLY, BN_CLICKED), (LPARAM)apply);
    CHECK(gui_answer_yes(w, 30000), "updates: %s asked no confirmation", what);
    free(what);
}

void gui_walk_updates(gui_walk *w)
{
    HWND sheet = w->sheet, page = w->page;
    char text[1024];
    int pos = 0;
    unsigned runs;
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_FAILED), "updates: unexpected status: %s", text);
    gui_check_gate_holds(w);
    /* Service pack, SBS service pack, Exchange, no restart, 3 missing, 1 optional. */
    CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) >= 7,
          "updates: the missing updates are not all listed");
    gui_screenshot(w, "updates-listed");

    runs = gui_runs(page);
    gui_hold(w, "updates-install", TRUE); /* the demo holds the installation until released */
    click_apply(w, IDS_UPDATES_INSTALL);
    /* The bar on its way: the installation waits at its first quarter until released. */
    for (DWORD t0 = GetTickCount(); GetTickCount() - t0 < 30000 && gui_runs(page) == runs;) {
        pos = (int)SendDlgItemMessageW(page, IDC_STEP_PROGRESS, PBM_GETPOS, 0, 0);
        gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
        if (pos > 0 && gui_says(text, IDS_STATUS_APPLYING) && strstr(text, "KB"))
            break;
        Sleep(20);
    }
    CHECK(gui_says(text, IDS_STATUS_APPLYING) && strstr(text, "KB") != NULL,
          "updates: status while installing: %s", text);
    CHECK(pos > 0, "updates: the progress bar did not move");
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "updates: Next enabled while installing");
    gui_screenshot(w, "updates-installing");
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_runs(page) == runs && gui_says(text, IDS_STATUS_APPLYING),
          "updates: the installation ended although it was held: %s", text);
    gui_hold(w, "updates-install", FALSE);
    CHECK(gui_wait_run(page, runs, 120000), "updates: the installation did not finish");
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_FAILED), "updates: after installing: %s", text);
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "updates: Next enabled before the restart");
    gui_screenshot(w, "updates-restart-required");

    runs = gui_runs(page);
    click_apply(w, IDS_UPDATES_RESTART);
    CHECK(gui_wait_run(page, runs, 60000), "updates: the restart did not finish");
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_PASSED), "updates: after the restart: %s", text);
    CHECK(gui_button_enabled(sheet, ID_NEXT), "updates: Next still disabled after the restart");
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_UNDO)), "updates: Undo (the RunOnce entry) not offered");
    gui_screenshot(w, "updates-all-good");
}

void gui_run_updates_sp_missing(gui_walk *w)
{
    PROCESS_INFORMATION pi;
    wchar_t args[1024];
    char text[1024];
    HWND sheet, page;
    _snwprintf(args, 1024, L"/profile:tests\\profiles\\sbs2003-sp1.json /page:updates /style:wizard97 \"/root:%ls\\sbs2003-sp1\"",
               w->root);
    CHECK(gui_launch(w->exe, args, &pi), "could not start %ls on SBS 2003 SP1", w->exe);
    sheet = gui_wait_for_sheet(pi.dwProcessId, 30000);
    CHECK(sheet && gui_page_index(sheet) == 2, "SBS 2003 SP1 did not open on the updates page");
    if (sheet) {
        page = gui_current_page(sheet);
        CHECK(gui_wait_run(page, 0, 60000), "SBS 2003 SP1 updates: the check did not finish");
        gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
        CHECK(gui_says(text, IDS_STATUS_FAILED), "SBS 2003 SP1 updates: status %s", text);
        CHECK(!gui_button_enabled(sheet, ID_NEXT), "SBS 2003 SP1 updates: Next enabled without the service packs");
        CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) >= 2,
              "SBS 2003 SP1 updates: both service packs are not listed");
        CHECK(!IsWindowEnabled(GetDlgItem(page, IDC_STEP_APPLY)),
              "SBS 2003 SP1 updates: Apply offered with nothing for it to install");
        gui_screenshot_window(w, sheet, "updates-sp-missing");
        SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_CANCEL, 0);
        PostMessageW(sheet, WM_NULL, 0, 0);
    }
    gui_finish_process(&pi, 10000);
}

/* Creates root\C\SourcePrepTest\hold-<name> (the sim holds that work while it exists). */
static BOOL hold_in(const wchar_t *root, const char *name)
{
    wchar_t dir[1024], path[1200];
    HANDLE f;
    _snwprintf(dir, 1024, L"%ls\\C", root);
    dir[1023] = 0;
    CreateDirectoryW(root, NULL);
    CreateDirectoryW(dir, NULL);
    _snwprintf(dir, 1024, L"%ls\\C\\SourcePrepTest", root);
    dir[1023] = 0;
    CreateDirectoryW(dir, NULL);
    _snwprintf(path, 1200, L"%ls\\hold-%hs", dir, name);
    path[1199] = 0;
    f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return FALSE;
    CloseHandle(f);
    return TRUE;
}

static BOOL held_in(const wchar_t *root, const char *name)
{
    wchar_t path[1200];
    _snwprintf(path, 1200, L"%ls\\C\\SourcePrepTest\\hold-%hs", root, name);
    path[1199] = 0;
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

/* Waits, up to ms, for the Stop button of the page (a run is going on). */
static BOOL wait_stop_enabled(HWND page, int ms)
{
    for (DWORD t0 = GetTickCount(); (int)(GetTickCount() - t0) < ms; Sleep(20))
        if (IsWindowEnabled(GetDlgItem(page, IDC_STEP_CANCEL)))
            return TRUE;
    return FALSE;
}

/* Cancel reaches a search of Windows Update that the (simulated) agent holds, and closing the
 * wizard while a run ignores its cancel waits a bounded time, then ends the process and says so
 * in the log (issue 15). */
void gui_run_updates_search_cancelled(gui_walk *w)
{
    PROCESS_INFORMATION pi;
    wchar_t args[1024], root[900], log[1200];
    char text[1024];
    HWND sheet, page;
    DWORD code, t0;
    _snwprintf(root, 900, L"%ls\\held-search", w->root);
    root[899] = 0;
    CHECK(hold_in(root, "updates-search"), "could not hold the updates search in %ls", root);
    _snwprintf(args, 1024, L"/demo /page:updates /style:wizard97 \"/root:%ls\"", root);
    args[1023] = 0;
    CHECK(gui_launch(w->exe, args, &pi), "could not start %ls with a held search", w->exe);
    sheet = gui_wait_for_sheet(pi.dwProcessId, 30000);
    CHECK(sheet && gui_page_index(sheet) == 2, "held search: did not open on the updates page");
    if (!sheet) {
        gui_finish_process(&pi, 0);
        return;
    }
    page = gui_current_page(sheet);
    CHECK(wait_stop_enabled(page, 30000) && gui_runs(page) == 0, "held search: the check is not running");
    PostMessageW(page, WM_COMMAND, MAKEWPARAM(IDC_STEP_CANCEL, BN_CLICKED), (LPARAM)GetDlgItem(page, IDC_STEP_CANCEL));
    CHECK(gui_wait_run(page, 0, 20000), "held search: Stop did not end the search");
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_CANCELLED), "held search: status after Stop: %s", text);
    CHECK(held_in(root, "updates-search"), "held search: the hold was released, not cancelled");
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "held search: Next enabled after a cancelled search");

    /* The health scan's event logs are held by a wait that no cancel ends: closing the wizard
     * cancels it, waits its bound (15 s), then the process ends and the log says why. */
    CHECK(hold_in(root, "event-logs"), "could not hold the health scan");
    SendMessageW(sheet, PSM_SETCURSEL, 4, 0);
    CHECK(gui_wait_page(sheet, 4, 30000), "held scan: did not reach the health page");
    page = gui_current_page(sheet);
    CHECK(wait_stop_enabled(page, 30000), "held scan: the health scan is not running");
    /* Who holds the session, for a second SourcePrep to name. */
    _snwprintf(log, 1200, L"%ls\\C\\Documents and Settings\\All Users\\Application Data\\SourcePrep\\instance.txt", root);
    log[1199] = 0;
    CHECK(GetFileAttributesW(log) != INVALID_FILE_ATTRIBUTES, "held scan: no instance.txt while the wizard runs");
    t0 = GetTickCount();
    PostMessageW(sheet, PSM_PRESSBUTTON, PSBTN_CANCEL, 0);
    PostMessageW(sheet, WM_NULL, 0, 0);
    code = gui_finish_process(&pi, 40000);
    CHECK(code == 1, "held scan: exit code after closing is %lu, not 1 (abandoned)", (unsigned long)code);
    CHECK(GetTickCount() - t0 < 35000, "held scan: closing took %lu ms", (unsigned long)(GetTickCount() - t0));
    CHECK(held_in(root, "event-logs"), "held scan: the hold was released");
    _snwprintf(log, 1200, L"%ls\\C\\Documents and Settings\\All Users\\Application Data\\SourcePrep\\sourceprep.log", root);
    log[1199] = 0;
    {
        HANDLE h = CreateFileW(log, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        static char buf[1 << 20];
        DWORD got = 0;
        if (h != INVALID_HANDLE_VALUE) {
            ReadFile(h, buf, sizeof buf - 1, &got, NULL);
            CloseHandle(h);
        }
        buf[got] = 0;
        CHECK(strstr(buf, "worker abandoned run=\"health check\"") != NULL, "held scan: the log does not say the run was abandoned");
    }
    /* The hold files go with the root; release them so nothing waits on them. */
}
