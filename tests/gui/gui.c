/* The GUI test's shared helpers: find the sheet, read pages, wait, type, screenshot, mark by hand. */
#include "tests/gui/gui.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resources/resource.h"
#include "pages/messages.h"

int gui_passed, gui_failed;

typedef struct {
    DWORD pid;
    HWND found;
} find_ctx;

static BOOL CALLBACK find_sheet(HWND hwnd, LPARAM lp)
{
    find_ctx *f = (find_ctx *)lp;
    DWORD pid = 0;
    wchar_t cls[32];
    GetWindowThreadProcessId(hwnd, &pid);
    GetClassNameW(hwnd, cls, 32);
    if (pid == f->pid && IsWindowVisible(hwnd) && wcscmp(cls, L"#32770") == 0 &&
        GetDlgItem(hwnd, ID_NEXT)) {
        f->found = hwnd;
        return FALSE;
    }
    return TRUE;
}

HWND gui_wait_for_sheet(DWORD pid, int ms)
{
    find_ctx f = {pid, NULL};
    for (DWORD t0 = GetTickCount(); (int)(GetTickCount() - t0) < ms && !f.found;) {
        EnumWindows(find_sheet, (LPARAM)&f);
        if (!f.found)
            Sleep(20);
    }
    return f.found;
}

int gui_page_index(HWND sheet)
{
    HWND page = (HWND)SendMessageW(sheet, PSM_GETCURRENTPAGEHWND, 0, 0);
    return page ? (int)SendMessageW(sheet, PSM_HWNDTOINDEX, (WPARAM)page, 0) : -1;
}

HWND gui_current_page(HWND sheet)
{
    return (HWND)SendMessageW(sheet, PSM_GETCURRENTPAGEHWND, 0, 0);
}

BOOL gui_button_enabled(HWND sheet, int id)
{
    HWND b = GetDlgItem(sheet, id);
    return b && IsWindowVisible(b) && IsWindowEnabled(b);
}

void gui_text_of(HWND dlg, int id, char *out, int n)
{
    wchar_t w[1024] = L"";
    SendDlgItemMessageW(dlg, id, WM_GETTEXT, 1024, (LPARAM)w);
    WideCharToMultiByte(CP_UTF8, 0, w, -1, out, n, NULL, NULL);
}

/* The longest a page took to answer a query, and where: a stalled UI thread shows here. */
static DWORD worst_reply_ms;
static char worst_reply_where[64];

/* Asks the page; FALSE (with what happened in *why) when it did not answer within 10 s. */
static BOOL query_page(HWND page, UINT msg, DWORD_PTR *out, const char **why)
{
    DWORD t0 = GetTickCount(), took;
    *out = 0;
    if (!IsWindow(page)) {
        *why = "the page window is gone";
        return FALSE;
    }
    if (!SendMessageTimeoutW(page, msg, 0, 0, SMTO_NORMAL, 10000, out)) {
        *why = "the page did not answer within 10 s (its UI thread is blocked)";
        return FALSE;
    }
    took = GetTickCount() - t0;
    if (took > 100) {
        char status[256];
        gui_text_of(page, IDC_STEP_STATUS, status, sizeof status);
        printf("# a page took %lu ms to answer message 0x%x; its status now: %s\n", (unsigned long)took, msg, status);
    }
    if (took > worst_reply_ms) {
        worst_reply_ms = took;
        gui_page_name_of(page, worst_reply_where, sizeof worst_reply_where);
    }
    return TRUE;
}

void gui_page_name_of(HWND page, char *out, int n)
{
    HWND sheet = GetParent(page);
    int index = sheet ? (int)SendMessageW(sheet, PSM_HWNDTOINDEX, (WPARAM)page, 0) : -1;
    snprintf(out, (size_t)n, "page %d", index);
}

void gui_report_replies(void)
{
    printf("# the slowest answer of a page's UI thread: %lu ms (%s)\n", (unsigned long)worst_reply_ms,
           worst_reply_where[0] ? worst_reply_where : "none");
}

unsigned gui_runs(HWND page)
{
    DWORD_PTR n = 0;
    const char *why = "";
    return query_page(page, WM_SP_QUERY_RUNS, &n, &why) ? (unsigned)n : 0;
}

/* Waits until the page is idle: no run going on, the last one's result shown. */
BOOL gui_wait_idle(HWND page, int ms)
{
    return gui_wait_run(page, 0, ms);
}

/* Waits until the page has finished more than `before` runs and is idle. The deadline only
 * ends a wait that would never succeed; what was seen is printed when it passes. */
BOOL gui_wait_run(HWND page, unsigned before, int ms)
{
    DWORD start = GetTickCount();
    DWORD_PTR busy = 1, runs = 0;
    const char *why = "it stayed busy";
    for (;;) {
        if (!query_page(page, WM_SP_QUERY_BUSY, &busy, &why))
            break;
        if (!busy) {
            if (!query_page(page, WM_SP_QUERY_RUNS, &runs, &why))
                break;
            if (runs > before || before == 0)
                return TRUE;
            why = "no run started";
        } else {
            why = "it stayed busy";
        }
        if ((int)(GetTickCount() - start) >= ms)
            break;
        Sleep(20);
    }
    printf("# waited %lu ms for the page to finish run %u: %s (busy %lu, %lu runs)\n",
           (unsigned long)(GetTickCount() - start), before + 1, why, (unsigned long)busy, (unsigned long)runs);
    return FALSE;
}

BOOL gui_wait_page(HWND sheet, int want, int ms)
{
    DWORD start = GetTickCount();
    while (gui_page_index(sheet) != want) {
        if ((int)(GetTickCount() - start) >= ms) {
            printf("# waited %d ms for page %d: still on page %d\n", ms, want, gui_page_index(sheet));
            return FALSE;
        }
        Sleep(20);
    }
    return TRUE;
}

/* Returns once the window's thread has handled everything sent to it before (a sent message
 * is answered in order): what a click that was sent, not posted, changed is then visible. */
BOOL gui_sync(HWND wnd)
{
    DWORD_PTR r;
    const char *why = "";
    return query_page(wnd, WM_NULL, &r, &why);
}

BOOL gui_wait_button(HWND sheet, int id, BOOL enabled, int ms)
{
    DWORD start = GetTickCount();
    while (gui_button_enabled(sheet, id) != enabled) {
        if ((int)(GetTickCount() - start) >= ms)
            return FALSE;
        Sleep(20);
    }
    return TRUE;
}

/* Copies the sheet's pixels from the screen into a 24-bit BMP. */
void gui_screenshot(gui_walk *walk, const char *name)
{
    gui_screenshot_window(walk, walk->sheet, name);
}

/* The window's pixels as the screen shows them now (24-bit rows, bottom up; heap). */
static unsigned char *grab(HWND sheet, BITMAPINFOHEADER *bih, size_t *size)
{
    RECT r;
    HDC screen, mem;
    HBITMAP bmp;
    unsigned char *bits;
    int w, h, stride;

    GetWindowRect(sheet, &r);
    w = r.right - r.left;
    h = r.bottom - r.top;
    if (w <= 0 || h <= 0)
        return NULL;
    stride = (w * 3 + 3) & ~3;
    screen = GetDC(NULL);
    mem = CreateCompatibleDC(screen);
    bmp = CreateCompatibleBitmap(screen, w, h);
    SelectObject(mem, bmp);
    BitBlt(mem, 0, 0, w, h, screen, r.left, r.top, SRCCOPY);
    memset(bih, 0, sizeof *bih);
    bih->biSize = sizeof *bih;
    bih->biWidth = w;
    bih->biHeight = h;
    bih->biPlanes = 1;
    bih->biBitCount = 24;
    *size = (size_t)stride * h;
    bits = malloc(*size);
    if (bits)
        GetDIBits(mem, bmp, 0, (UINT)h, bits, (BITMAPINFO *)bih, DIB_RGB_COLORS);
    DeleteObject(bmp);
    DeleteDC(mem);
    ReleaseDC(NULL, screen);
    return bits;
}

void gui_screenshot_window(gui_walk *walk, HWND sheet, const char *name)
{
    const wchar_t *dir = walk->shots;
    int n = walk->shot;
    BITMAPINFOHEADER bih;
    BITMAPFILEHEADER bfh = {0};
    wchar_t path[MAX_PATH];
    unsigned char *bits = NULL, *prev = NULL;
    size_t size = 0, prev_size = 0;
    DWORD_PTR ignored;
    int same = 0;
    FILE *f;

    if (!dir)
        return;
    walk->shot++;
    SetForegroundWindow(sheet);
    RedrawWindow(sheet, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW | RDW_ALLCHILDREN);
    /* Painted means: the wizard's UI thread has answered after the redraw, and two grabs in a
     * row show the same pixels (Wine hands the drawing to the X server on its own time). */
    for (DWORD t0 = GetTickCount(); GetTickCount() - t0 < 3000;) {
        SendMessageTimeoutW(sheet, WM_NULL, 0, 0, SMTO_ABORTIFHUNG, 2000, &ignored);
        free(prev);
        prev = bits;
        prev_size = size;
        bits = grab(sheet, &bih, &size);
        if (bits && prev && size == prev_size && memcmp(bits, prev, size) == 0) {
            if (++same >= 1)
                break;
        } else {
            same = 0;
        }
        Sleep(30);
    }
    free(prev);
    CHECK(bits != NULL, "could not capture %s", name);
    if (!bits)
        return;
    bfh.bfType = 0x4d42;
    bfh.bfOffBits = sizeof bfh + sizeof bih;
    bfh.bfSize = bfh.bfOffBits + (DWORD)size;
    _snwprintf(path, MAX_PATH, L"%ls\\%02d-%hs.bmp", dir, n, name);
    f = _wfopen(path, L"wb");
    if (f) {
        fwrite(&bfh, sizeof bfh, 1, f);
        fwrite(&bih, sizeof bih, 1, f);
        fwrite(bits, size, 1, f);
        fclose(f);
    }
    CHECK(f != NULL, "could not write %ls", path);
    free(bits);
}

void gui_hold(gui_walk *w, const char *name, BOOL on)
{
    wchar_t dir[1024], path[1200];
    _snwprintf(dir, 1024, L"%ls\\C\\SourcePrepTest", w->root);
    dir[1023] = 0;
    _snwprintf(path, 1200, L"%ls\\hold-%hs", dir, name);
    path[1199] = 0;
    if (on) {
        HANDLE f;
        CreateDirectoryW(dir, NULL);
        f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        CHECK(f != INVALID_HANDLE_VALUE, "could not create the hold file %ls (%lu)", path,
              (unsigned long)GetLastError());
        if (f != INVALID_HANDLE_VALUE)
            CloseHandle(f);
    } else {
        CHECK(DeleteFileW(path), "could not remove the hold file %ls (%lu)", path, (unsigned long)GetLastError());
    }
}

BOOL gui_launch(const wchar_t *exe, const wchar_t *args, PROCESS_INFORMATION *pi)
{
    wchar_t cmd[2048];
    STARTUPINFOW si = {sizeof si};
    _snwprintf(cmd, 2048, L"\"%ls\" %ls", exe, args);
    return CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, pi);
}

DWORD gui_finish_process(PROCESS_INFORMATION *pi, int ms)
{
    DWORD code = 999;
    if (WaitForSingleObject(pi->hProcess, (DWORD)ms) != WAIT_OBJECT_0)
        TerminateProcess(pi->hProcess, 998);
    GetExitCodeProcess(pi->hProcess, &code);
    CloseHandle(pi->hProcess);
    CloseHandle(pi->hThread);
    return code;
}

void gui_type(HWND dlg, int id, const wchar_t *text)
{
    /* A multi-line edit sends no EN_CHANGE for WM_SETTEXT: type as a user would. */
    for (const wchar_t *c = text; *c; c++)
        SendDlgItemMessageW(dlg, id, WM_CHAR, *c, 1);
}

typedef struct {
    DWORD pid;
    HWND sheet, found;
} box_ctx;

static BOOL CALLBACK find_box(HWND hwnd, LPARAM lp)
{
    box_ctx *b = (box_ctx *)lp;
    DWORD pid = 0;
    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == b->pid && hwnd != b->sheet && IsWindowVisible(hwnd) && GetDlgItem(hwnd, IDYES)) {
        b->found = hwnd;
        return FALSE;
    }
    return TRUE;
}

BOOL gui_answer_yes(gui_walk *w, int ms)
{
    box_ctx b = {w->pid, w->sheet, NULL};
    for (DWORD t0 = GetTickCount(); (int)(GetTickCount() - t0) < ms && !b.found;) {
        EnumWindows(find_box, (LPARAM)&b);
        if (!b.found)
            Sleep(20);
    }
    if (b.found)
        PostMessageW(b.found, WM_COMMAND, MAKEWPARAM(IDYES, BN_CLICKED), (LPARAM)GetDlgItem(b.found, IDYES));
    return b.found != NULL;
}

void gui_check_gate_holds(gui_walk *w)
{
    CHECK(!gui_button_enabled(w->sheet, ID_NEXT), "%s: Next enabled before the step is done", w->name);
    CHECK(gui_button_enabled(w->sheet, ID_BACK), "%s: Back disabled", w->name);
    SendMessageW(w->sheet, PSM_PRESSBUTTON, PSBTN_NEXT, 0);
    gui_sync(w->sheet);
    CHECK(gui_page_index(w->sheet) == w->index, "%s: Next let the user past a closed gate", w->name);
}

void gui_walk_manual(gui_walk *w)
{
    HWND page = w->page;
    const char *name = w->name;
    char text[1024];

    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_MANUAL_NEEDED), "%s: unexpected status: %s", name, text);
    /* The step falls back to the manual path: it is open at once. */
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_MANUAL_GROUP)), "%s: the manual path is folded", name);
    CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) >= 1,
          "%s: no findings shown", name);
    gui_check_gate_holds(w);
    gui_screenshot(w, name);

    gui_mark_done(w, L"Done by the technician (GUI test)");
}

void gui_mark_done(gui_walk *w, const wchar_t *reason)
{
    HWND sheet = w->sheet, page = w->page;
    const char *name = w->name;
    char text[1024];
    int boxes = 0;

    /* Where the step checks itself the manual path is folded away under one button. */
    if (!IsWindowVisible(GetDlgItem(page, IDC_STEP_MANUAL_GROUP))) {
        CHECK(!IsWindowVisible(GetDlgItem(page, IDC_STEP_ITEM1)) && !IsWindowVisible(GetDlgItem(page, IDC_STEP_MARK)),
              "%s: the manual path is half folded", name);
        SendDlgItemMessageW(page, IDC_STEP_MANUAL_TOGGLE, BM_CLICK, 0, 0);
        gui_sync(page);
        CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_MANUAL_GROUP)) && IsWindowVisible(GetDlgItem(page, IDC_STEP_MARK)),
              "%s: the button did not open the manual path", name);
    }
    CHECK(!IsWindowEnabled(GetDlgItem(page, IDC_STEP_MARK)), "%s: Mark enabled before the checklist", name);
    for (int id = IDC_STEP_ITEM1; id <= IDC_STEP_ITEM4; id++) {
        HWND box = GetDlgItem(page, id);
        if (!IsWindowVisible(box))
            continue;
        boxes++;
        SendMessageW(box, BM_CLICK, 0, 0);
    }
    CHECK(boxes >= 3, "%s: only %d checklist items", name, boxes);
    CHECK(!IsWindowEnabled(GetDlgItem(page, IDC_STEP_MARK)), "%s: Mark enabled without a reason", name);
    gui_type(page, IDC_STEP_REASON, reason);
    CHECK(IsWindowEnabled(GetDlgItem(page, IDC_STEP_MARK)), "%s: Mark still disabled", name);
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "%s: Next enabled before the mark", name);
    SendDlgItemMessageW(page, IDC_STEP_MARK, BM_CLICK, 0, 0);
    gui_sync(page);
    CHECK(gui_button_enabled(sheet, ID_NEXT), "%s: Next still disabled after the mark", name);
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_MANUAL_DONE), "%s: status does not say the step was not verified: %s",
          name, text);
}

BOOL gui_list_text(gui_walk *w, HWND list, int row, int col, char *out, int n)
{
    /* The list lives in the wizard's process: the item and its buffer are made there. */
    wchar_t buf[1024];
    LVITEMW item;
    SIZE_T done = 0;
    BOOL ok = FALSE;
    HANDLE proc = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_READ | PROCESS_VM_WRITE, FALSE, w->pid);
    char *remote = proc ? VirtualAllocEx(proc, NULL, sizeof item + sizeof buf, MEM_COMMIT, PAGE_READWRITE) : NULL;
    out[0] = 0;
    if (remote) {
        memset(&item, 0, sizeof item);
        item.iSubItem = col;
        item.pszText = (wchar_t *)(remote + sizeof item);
        item.cchTextMax = (int)(sizeof buf / sizeof buf[0]);
        if (WriteProcessMemory(proc, remote, &item, sizeof item, &done) &&
            SendMessageW(list, LVM_GETITEMTEXTW, (WPARAM)row, (LPARAM)remote) > 0 &&
            ReadProcessMemory(proc, remote + sizeof item, buf, sizeof buf, &done)) {
            buf[1023] = 0;
            ok = WideCharToMultiByte(CP_UTF8, 0, buf, -1, out, n, NULL, NULL) > 0;
        }
        VirtualFreeEx(proc, remote, 0, MEM_RELEASE);
    }
    if (proc)
        CloseHandle(proc);
    return ok;
}

/* Selects a row of the findings list as a click would, and waits until the page handled it. */
static void select_finding(gui_walk *w, HWND page, int row)
{
    HWND lv = GetDlgItem(page, IDC_STEP_FINDINGS);
    LVITEMW item;
    SIZE_T done = 0;
    HANDLE proc = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_WRITE, FALSE, w->pid);
    void *remote = proc ? VirtualAllocEx(proc, NULL, sizeof item, MEM_COMMIT, PAGE_READWRITE) : NULL;
    memset(&item, 0, sizeof item);
    item.stateMask = item.state = LVIS_SELECTED | LVIS_FOCUSED;
    /* The item is read in the list's process: it is written there. */
    if (remote && WriteProcessMemory(proc, remote, &item, sizeof item, &done))
        SendMessageW(lv, LVM_SETITEMSTATE, (WPARAM)row, (LPARAM)remote);
    if (remote)
        VirtualFreeEx(proc, remote, 0, MEM_RELEASE);
    if (proc)
        CloseHandle(proc);
    gui_sync(page);
}

void gui_check_layout(gui_walk *w)
{
    HWND page = w->page, lv = GetDlgItem(page, IDC_STEP_FINDINGS);
    int count, per_page, last;
    char title[1024], details[2048];
    if (!lv) {
        lv = GetDlgItem(page, IDC_LOB_LIST);
        per_page = lv ? (int)SendMessageW(lv, LVM_GETCOUNTPERPAGE, 0, 0) : 0;
        CHECK(per_page >= 8, "%s: the list shows %d rows, not 8", w->name, per_page);
        printf("# %s: %d rows visible (%ls)\n", w->name, per_page, w->style);
        return;
    }
    /* Eight rows at least while the manual path is folded away under its button. */
    if (!IsWindowVisible(GetDlgItem(page, IDC_STEP_MANUAL_GROUP))) {
        per_page = (int)SendMessageW(lv, LVM_GETCOUNTPERPAGE, 0, 0);
        CHECK(per_page >= 8, "%s: the findings list shows %d rows, not 8", w->name, per_page);
        printf("# %s: %d findings rows visible (%ls)\n", w->name, per_page, w->style);
    }
    /* The details pane follows the selection: the last finding's title shows there whole. */
    count = (int)SendMessageW(lv, LVM_GETITEMCOUNT, 0, 0);
    CHECK(count >= 1, "%s: no findings", w->name);
    if (count < 1)
        return;
    last = count - 1;
    select_finding(w, page, last);
    CHECK(gui_list_text(w, lv, last, 0, title, sizeof title) && title[0], "%s: row %d has no title", w->name, last);
    gui_text_of(page, IDC_STEP_DETAILS, details, sizeof details);
    CHECK(title[0] && strncmp(details, title, strlen(title)) == 0 && strstr(details, "\r\n") != NULL,
          "%s: the details pane does not show the selected finding \"%s\": \"%s\"", w->name, title, details);
    select_finding(w, page, 0);
    gui_list_text(w, lv, 0, 0, title, sizeof title);
    gui_text_of(page, IDC_STEP_DETAILS, details, sizeof details);
    CHECK(title[0] && strncmp(details, title, strlen(title)) == 0, "%s: the details pane did not follow row 0: \"%s\"",
          w->name, details);
}
