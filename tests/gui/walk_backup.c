/* The Backup page's walk on the demo: guidance, a drill on a damaged restore (gate stays closed,
 * the differing file named), then on the good restore (gate opens). Screenshots of each. */
#include "tests/gui/gui.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resources/resource.h"
#include "pages/messages.h"

/* The state file of a simulated 2003 server kept in root, read as text. */
static char *read_state_in(const wchar_t *root)
{
    wchar_t path[1024];
    HANDLE h;
    DWORD size, got = 0;
    char *text;
    _snwprintf(path, 1024, L"%ls\\C\\Documents and Settings\\All Users\\Application Data\\SourcePrep\\state.json", root);
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

/* The value of the first "key" at or after from in JSON text, as its text ("\"D:\"", 1, ...). */
static BOOL value_is(const char *from, const char *key, const char *want)
{
    char quoted[64];
    const char *v;
    _snprintf(quoted, sizeof quoted, "\"%s\"", key);
    quoted[63] = 0;
    if (!from || !(v = strstr(from, quoted)))
        return FALSE;
    v += strlen(quoted);
    while (*v == ' ' || *v == '\t' || *v == ':' || *v == '\r' || *v == '\n')
        v++;
    return strncmp(v, want, strlen(want)) == 0;
}

/* The demo's state file. */
static char *read_state(gui_walk *w)
{
    return read_state_in(w->root);
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
    /* On 2003 the target is the .bkf file NTBackup writes; the demo's backup is usable, so the
     * drill runs without one. */
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_BK_TARGET)), "backup: no NTBackup target on SBS 2003");
    gui_text_of(page, IDC_BK_TARGET_LABEL, text, sizeof text);
    CHECK(gui_says(text, IDS_BK_TARGET_NTB_LABEL), "backup: the target's label on 2003: %s", text);
    CHECK(GetWindowTextLengthW(GetDlgItem(page, IDC_BK_TARGET)) == 0, "backup: a target before any was typed");
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

/* SBS 2003 with the shares on D: and an NTBackup log of C: and System State only (the profile
 * tests/profiles/sbs2003.json with backup/sbs2003-d-share.patch.json, merged by
 * scripts/screenshots.sh into ROOT\sbs2003-d-share.json): the page names D:, Run drill waits for
 * the .bkf file, and with it NTBackup runs (the profile answers that one command line). */
void gui_run_backup_volume_missing(gui_walk *w)
{
    PROCESS_INFORMATION pi;
    wchar_t args[1024], root[900];
    char *state, *x;
    HWND sheet, page;
    unsigned runs;
    BOOL kept = FALSE;
    _snwprintf(root, 900, L"%ls\\sbs2003-d-share-root", w->root);
    root[899] = 0;
    _snwprintf(args, 1024, L"\"/profile:%ls\\sbs2003-d-share.json\" /page:backup /style:wizard97 \"/root:%ls\"",
               w->root, root);
    args[1023] = 0;
    CHECK(gui_launch(w->exe, args, &pi), "could not start %ls on SBS 2003 with data on D:", w->exe);
    sheet = gui_wait_for_sheet(pi.dwProcessId, 30000);
    CHECK(sheet && gui_page_index(sheet) == 1, "SBS 2003 with D: did not open on the backup page");
    if (!sheet) {
        gui_finish_process(&pi, 0);
        return;
    }
    page = gui_current_page(sheet);
    CHECK(gui_wait_run(page, 0, 60000), "backup D:: the check did not finish");
    state = read_state_in(root);
    x = state ? strstr(state, "\"backup.volume_missing\"") : NULL;
    CHECK(value_is(x, "arg", "\"D:\""), "backup D:: no missing D: in the state");
    free(state);
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "backup D:: Next enabled on a backup without D:");
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_BK_TARGET)), "backup D:: no .bkf target on SBS 2003");
    CHECK(!IsWindowEnabled(GetDlgItem(page, IDC_STEP_APPLY)), "backup D:: Run drill offered without a .bkf file");
    gui_screenshot_window(w, sheet, "backup-volume-missing");

    /* The .bkf file typed: Run drill opens, asks, and NTBackup writes a Normal backup into it. */
    SetFocus(GetDlgItem(page, IDC_BK_TARGET));
    gui_type(page, IDC_BK_TARGET, L"E:");
    gui_sync(page);
    CHECK(IsWindowEnabled(GetDlgItem(page, IDC_STEP_APPLY)), "backup D:: Run drill closed with a target");
    runs = gui_runs(page);
    PostMessageW(page, WM_COMMAND, MAKEWPARAM(IDC_STEP_APPLY, BN_CLICKED), (LPARAM)GetDlgItem(page, IDC_STEP_APPLY));
    {
        gui_walk other = *w;
        other.sheet = sheet, other.page = page, other.pid = pi.dwProcessId;
        CHECK(gui_answer_yes(&other, 30000), "backup D:: NTBackup was started without asking");
    }
    CHECK(gui_wait_run(page, runs, 60000), "backup D:: the backup did not finish");
    state = read_state_in(root);
    x = state ? strstr(state, "\"backup.backup_done\"") : NULL;
    CHECK(x && strstr(x, "SourcePrep FABSBS.bkf"), "backup D:: NTBackup's .bkf file is not in the findings");
    for (x = state; x && (x = strstr(x, "\"target\"")) != NULL; x++)
        kept |= value_is(x, "target", "\"E:\"");
    CHECK(kept, "backup D:: the target is not kept in the state");
    free(state);
    /* Its log is still the old one: D: is still missing, and said. */
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "backup D:: Next enabled after NTBackup");
    gui_screenshot_window(w, sheet, "backup-ntbackup-ran");
    SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_CANCEL, 0);
    PostMessageW(sheet, WM_NULL, 0, 0);
    gui_finish_process(&pi, 10000);
}
