/* The Backup page's walk on the demo: guidance, a drill on a damaged restore (gate stays closed,
 * the differing file named), then on the good restore (gate opens). Screenshots of each. */
#include "tests/gui/gui.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resources/resource.h"
#include "pages/messages.h"

/* The demo's state file under the simulated ProgramData, read as text. */
static char *read_state(gui_walk *w)
{
    wchar_t path[1024];
    HANDLE h;
    DWORD size, got = 0;
    char *text;
    _snwprintf(path, 1024, L"%ls\\C\\Documents and Settings\\All Users\\Application Data\\SourcePrep\\state.json", w->root);
    path[1023] = 0;
    h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return NULL;
    size = GetFileSize(h, NULL);
    text = calloc(1, (size_t)size + 1);
    if (text && !ReadFile(h, text, size, &got, NULL))
        got = 0;
    CloseHandle(h);
    if (text)
        text[got] = '\0';
    return text;
}

static void set_folder(HWND page, const wchar_t *folder)
{
    SetFocus(GetDlgItem(page, IDC_BK_FOLDER));
    SendDlgItemMessageW(page, IDC_BK_FOLDER, EM_SETSEL, 0, -1);
    SendDlgItemMessageW(page, IDC_BK_FOLDER, WM_CLEAR, 0, 0);
    gui_type(page, IDC_BK_FOLDER, folder);
}

/* Clicks Run drill; with a name, takes a screenshot while the drill runs. */
static void run_drill(gui_walk *w, const char *running_shot)
{
    HWND run = GetDlgItem(w->page, IDC_STEP_APPLY);
    unsigned runs = gui_runs(w->page);
    CHECK(IsWindowVisible(run) && IsWindowEnabled(run), "backup: Run drill is not available");
    SendMessageW(run, BM_CLICK, 0, 0);
    if (running_shot) {
        int pos = 0;
        for (DWORD t0 = GetTickCount(); GetTickCount() - t0 < 30000 && pos == 0 && gui_runs(w->page) == runs;) {
            pos = (int)SendDlgItemMessageW(w->page, IDC_STEP_PROGRESS, PBM_GETPOS, 0, 0);
            if (!pos)
                Sleep(20);
        }
        CHECK(pos > 0 && gui_runs(w->page) == runs, "backup: the drill was not seen running");
        CHECK(!IsWindowEnabled(GetDlgItem(w->page, IDC_BK_FOLDER)), "backup: folder editable during the drill");
        CHECK(!gui_button_enabled(w->sheet, ID_NEXT), "backup: Next enabled during the drill");
        gui_screenshot(w, running_shot);
    }
    CHECK(gui_wait_run(w->page, runs, 120000), "backup: the drill did not finish");
}

void gui_walk_backup(gui_walk *w)
{
    char text[1024], *state;
    HWND page = w->page;

    /* The check found NTBackup's last full backup; no drill yet, so the gate is closed. */
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_FAILED), "backup: unexpected status: %s", text);
    CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) >= 3, "backup: too few findings");
    CHECK(!gui_button_enabled(w->sheet, ID_NEXT), "backup: Next enabled before the drill");
    CHECK(!IsWindowVisible(GetDlgItem(page, IDC_BK_TARGET)), "backup: a wbadmin target offered on SBS 2003");
    gui_text_of(page, IDC_BK_FOLDER, text, sizeof text);
    CHECK(strcmp(text, "C:\\SourcePrepRestore") == 0, "backup: default restore folder %s", text);
    gui_screenshot(w, "backup-guidance");

    /* A restore in which one file came back damaged: the drill fails and names it. */
    set_folder(page, L"D:\\Restore-March");
    run_drill(w, "backup-drill-running");
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_FAILED), "backup: status after a failed drill: %s", text);
    CHECK(!gui_button_enabled(w->sheet, ID_NEXT), "backup: Next enabled after a failed drill");
    state = read_state(w);
    CHECK(state && strstr(state, "Budget 2024.csv") && strstr(state, "\"differs\""),
          "backup: the state does not record the differing file");
    free(state);
    gui_screenshot(w, "backup-drill-failed");

    /* The good restore: every sampled file matches and Next opens. */
    set_folder(page, L"D:\\Restore");
    run_drill(w, NULL);
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_PASSED), "backup: status after the drill: %s", text);
    CHECK(gui_button_enabled(w->sheet, ID_NEXT), "backup: Next closed after a passed drill");
    state = read_state(w);
    CHECK(state && strstr(state, "\"sha256\"") && !strstr(strstr(state, "\"drill\""), "\"differs\""),
          "backup: the passed drill is not recorded with its hashes");
    free(state);
    gui_screenshot(w, "backup-drill-passed");
}
