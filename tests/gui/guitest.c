/* GUI test: starts sourceprep.exe /demo, walks every page with PSM_PRESSBUTTON, asserts the gates,
 * and (with a folder) saves a screenshot of every page. Runs under Wine in Xvfb. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "resources/resource.h"
#include "wizard/messages.h"

#define ID_BACK 0x3023
#define ID_NEXT 0x3024
#define ID_FINISH 0x3025
#define PAGES 9

static int passed, failed;

#define CHECK(cond, ...)                                                                      \
    do {                                                                                      \
        if (cond) {                                                                           \
            passed++;                                                                         \
        } else {                                                                              \
            failed++;                                                                         \
            printf("not ok - %s:%d: %s: ", __FILE__, __LINE__, #cond);                        \
            printf(__VA_ARGS__);                                                              \
            printf("\n");                                                                     \
            fflush(stdout);                                                                   \
        }                                                                                     \
    } while (0)

static const char *const page_names[PAGES] = {"welcome", "backup", "updates", "policy", "health",
                                              "timesync", "lob", "email", "finish"};

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

static HWND wait_for_sheet(DWORD pid, int ms)
{
    find_ctx f = {pid, NULL};
    for (int t = 0; t < ms && !f.found; t += 100) {
        EnumWindows(find_sheet, (LPARAM)&f);
        if (!f.found)
            Sleep(100);
    }
    return f.found;
}

static int page_index(HWND sheet)
{
    HWND page = (HWND)SendMessageW(sheet, PSM_GETCURRENTPAGEHWND, 0, 0);
    return page ? (int)SendMessageW(sheet, PSM_HWNDTOINDEX, (WPARAM)page, 0) : -1;
}

static HWND current_page(HWND sheet)
{
    return (HWND)SendMessageW(sheet, PSM_GETCURRENTPAGEHWND, 0, 0);
}

static BOOL button_enabled(HWND sheet, int id)
{
    HWND b = GetDlgItem(sheet, id);
    return b && IsWindowVisible(b) && IsWindowEnabled(b);
}

static void text_of(HWND dlg, int id, char *out, int n)
{
    wchar_t w[1024] = L"";
    SendDlgItemMessageW(dlg, id, WM_GETTEXT, 1024, (LPARAM)w);
    WideCharToMultiByte(CP_UTF8, 0, w, -1, out, n, NULL, NULL);
}

/* Waits until the page's worker has finished (the page answers WM_SP_QUERY_BUSY). */
static BOOL wait_idle(HWND page, int ms)
{
    for (int t = 0; t < ms; t += 50) {
        DWORD_PTR busy = 1;
        if (!SendMessageTimeoutW(page, WM_SP_QUERY_BUSY, 0, 0, SMTO_ABORTIFHUNG, 2000, &busy))
            return FALSE;
        if (!busy)
            return TRUE;
        Sleep(50);
    }
    return FALSE;
}

static BOOL wait_page(HWND sheet, int want, int ms)
{
    for (int t = 0; t < ms; t += 50) {
        if (page_index(sheet) == want)
            return TRUE;
        Sleep(50);
    }
    return FALSE;
}

/* Copies the sheet's pixels from the screen into a 24-bit BMP. */
static void screenshot(HWND sheet, const wchar_t *dir, int n, const char *name)
{
    RECT r;
    HDC screen, mem;
    HBITMAP bmp;
    BITMAPINFOHEADER bih = {0};
    BITMAPFILEHEADER bfh = {0};
    wchar_t path[MAX_PATH];
    unsigned char *bits;
    int w, h, stride;
    FILE *f;

    if (!dir)
        return;
    SetForegroundWindow(sheet);
    RedrawWindow(sheet, NULL, NULL, RDW_INVALIDATE | RDW_UPDATENOW | RDW_ALLCHILDREN);
    Sleep(700);
    GetWindowRect(sheet, &r);
    w = r.right - r.left;
    h = r.bottom - r.top;
    stride = (w * 3 + 3) & ~3;
    screen = GetDC(NULL);
    mem = CreateCompatibleDC(screen);
    bmp = CreateCompatibleBitmap(screen, w, h);
    SelectObject(mem, bmp);
    BitBlt(mem, 0, 0, w, h, screen, r.left, r.top, SRCCOPY);
    bih.biSize = sizeof bih;
    bih.biWidth = w;
    bih.biHeight = h;
    bih.biPlanes = 1;
    bih.biBitCount = 24;
    bits = malloc((size_t)stride * h);
    GetDIBits(mem, bmp, 0, (UINT)h, bits, (BITMAPINFO *)&bih, DIB_RGB_COLORS);
    bfh.bfType = 0x4d42;
    bfh.bfOffBits = sizeof bfh + sizeof bih;
    bfh.bfSize = bfh.bfOffBits + (DWORD)(stride * h);
    _snwprintf(path, MAX_PATH, L"%ls\\%02d-%hs.bmp", dir, n, name);
    f = _wfopen(path, L"wb");
    if (f) {
        fwrite(&bfh, sizeof bfh, 1, f);
        fwrite(&bih, sizeof bih, 1, f);
        fwrite(bits, (size_t)stride * h, 1, f);
        fclose(f);
    }
    CHECK(f != NULL, "could not write %ls", path);
    free(bits);
    DeleteObject(bmp);
    DeleteDC(mem);
    ReleaseDC(NULL, screen);
}

static BOOL launch(const wchar_t *exe, const wchar_t *args, PROCESS_INFORMATION *pi)
{
    wchar_t cmd[2048];
    STARTUPINFOW si = {sizeof si};
    _snwprintf(cmd, 2048, L"\"%ls\" %ls", exe, args);
    return CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, pi);
}

static DWORD finish_process(PROCESS_INFORMATION *pi, int ms)
{
    DWORD code = 999;
    if (WaitForSingleObject(pi->hProcess, (DWORD)ms) != WAIT_OBJECT_0)
        TerminateProcess(pi->hProcess, 998);
    GetExitCodeProcess(pi->hProcess, &code);
    CloseHandle(pi->hProcess);
    CloseHandle(pi->hThread);
    return code;
}

static BOOL CALLBACK find_question(HWND hwnd, LPARAM lp)
{
    find_ctx *f = (find_ctx *)lp;
    DWORD pid = 0;
    wchar_t cls[32];
    GetWindowThreadProcessId(hwnd, &pid);
    GetClassNameW(hwnd, cls, 32);
    if (pid == f->pid && IsWindowVisible(hwnd) && wcscmp(cls, L"#32770") == 0 && GetDlgItem(hwnd, IDYES)) {
        f->found = hwnd;
        return FALSE;
    }
    return TRUE;
}

/* Policy cleanup on the demo: the right and the script are found, Apply (confirmed) removes them,
 * and the gate opens because the wizard verified it, not because it was marked by hand. */
static void apply_policy(HWND sheet, HWND page, DWORD pid, const wchar_t *shots, int *shot)
{
    find_ctx q = {pid, NULL};
    char text[1024];
    HWND box = GetDlgItem(page, IDC_POLICY_CLEAR_USERS);
    text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(strstr(text, "blocks the migration") != NULL, "policy: unexpected status: %s", text);
    CHECK(!button_enabled(sheet, ID_NEXT), "policy: Next enabled while the right is defined");
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_APPLY)) && IsWindowEnabled(GetDlgItem(page, IDC_STEP_APPLY)),
          "policy: Apply is not offered");
    CHECK(IsWindowVisible(box) && SendMessageW(box, BM_GETCHECK, 0, 0) == BST_CHECKED,
          "policy: the choice to clear the users' logon script is not shown ticked");
    CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) >= 3,
          "policy: the right, the script and the users are not all listed");
    screenshot(sheet, shots, (*shot)++, "policy");
    PostMessageW(page, WM_COMMAND, MAKEWPARAM(IDC_STEP_APPLY, BN_CLICKED), (LPARAM)GetDlgItem(page, IDC_STEP_APPLY));
    for (int t = 0; t < 5000 && !q.found; t += 100) {
        Sleep(100);
        EnumWindows(find_question, (LPARAM)&q);
    }
    CHECK(q.found != NULL, "policy: Apply asked no confirmation");
    if (!q.found)
        return;
    PostMessageW(q.found, WM_COMMAND, MAKEWPARAM(IDYES, BN_CLICKED), (LPARAM)GetDlgItem(q.found, IDYES));
    Sleep(300);
    CHECK(wait_idle(page, 20000), "policy: Apply did not finish");
    Sleep(200);
    text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(strstr(text, "Verified by the wizard") != NULL, "policy: after Apply: %s", text);
    CHECK(button_enabled(sheet, ID_NEXT), "policy: Next still disabled after Apply");
    CHECK(IsWindowVisible(GetDlgItem(page, IDC_STEP_UNDO)), "policy: Undo is not offered after Apply");
    screenshot(sheet, shots, (*shot)++, "policy-applied");
}

/* A second instance on SBS 2008, opened on the policy page: the step does not apply, Next is open. */
static void policy_not_applicable(const wchar_t *exe, const wchar_t *root, const wchar_t *shots, int shot)
{
    PROCESS_INFORMATION pi;
    wchar_t args[1024];
    char text[1024];
    HWND sheet, page;
    _snwprintf(args, 1024, L"/profile:tests\\profiles\\sbs2008.json /page:policy /style:wizard97 \"/root:%ls\\sbs2008\"", root);
    CHECK(launch(exe, args, &pi), "could not start %ls on SBS 2008", exe);
    sheet = wait_for_sheet(pi.dwProcessId, 30000);
    CHECK(sheet && page_index(sheet) == 3, "SBS 2008 did not open on the policy page");
    if (sheet) {
        page = current_page(sheet);
        CHECK(wait_idle(page, 20000), "SBS 2008 policy: the check did not finish");
        Sleep(100);
        text_of(page, IDC_STEP_STATUS, text, sizeof text);
        CHECK(strstr(text, "Does not apply") != NULL, "SBS 2008 policy: status %s", text);
        CHECK(button_enabled(sheet, ID_NEXT), "SBS 2008 policy: Next disabled although the step does not apply");
        CHECK(!IsWindowVisible(GetDlgItem(page, IDC_STEP_APPLY)) || !IsWindowEnabled(GetDlgItem(page, IDC_STEP_APPLY)),
              "SBS 2008 policy: Apply offered");
        screenshot(sheet, shots, shot, "policy-not-applicable");
        SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_CANCEL, 0);
        PostMessageW(sheet, WM_NULL, 0, 0);
    }
    finish_process(&pi, 10000);
}

/* Ticks the checklist, gives a reason, and marks the step done by hand. */
static void mark_manually(HWND sheet, HWND page, const char *name)
{
    char status[1024];
    int boxes = 0;
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
    /* Typed key by key, as a user would: a multi-line edit sends no EN_CHANGE for WM_SETTEXT. */
    for (const wchar_t *c = L"Done by the technician (GUI test)"; *c; c++)
        SendDlgItemMessageW(page, IDC_STEP_REASON, WM_CHAR, *c, 1);
    CHECK(IsWindowEnabled(GetDlgItem(page, IDC_STEP_MARK)), "%s: Mark still disabled", name);
    CHECK(!button_enabled(sheet, ID_NEXT), "%s: Next enabled before the mark", name);
    SendDlgItemMessageW(page, IDC_STEP_MARK, BM_CLICK, 0, 0);
    Sleep(100);
    CHECK(button_enabled(sheet, ID_NEXT), "%s: Next still disabled after the mark", name);
    text_of(page, IDC_STEP_STATUS, status, sizeof status);
    CHECK(strstr(status, "not verified") != NULL, "%s: status does not say the step was not verified: %s",
          name, status);
}

static void walk(const wchar_t *exe, const wchar_t *root, const wchar_t *shots, const wchar_t *style)
{
    PROCESS_INFORMATION pi;
    wchar_t args[1024];
    char text[1024];
    HWND sheet, page;
    DWORD code;
    int shot = 0;

    _snwprintf(args, 1024, L"/demo /style:%ls \"/root:%ls\"", style, root);
    CHECK(launch(exe, args, &pi), "could not start %ls (error %lu)", exe, (unsigned long)GetLastError());
    sheet = wait_for_sheet(pi.dwProcessId, 30000);
    CHECK(sheet != NULL, "the wizard window did not appear");
    if (!sheet) {
        finish_process(&pi, 0);
        return;
    }
    /* Welcome */
    CHECK(page_index(sheet) == 0, "starts on page %d, not Welcome", page_index(sheet));
    CHECK(button_enabled(sheet, ID_NEXT), "Next is disabled on Welcome");
    page = current_page(sheet);
    text_of(page, IDC_WELCOME_STEPS, text, sizeof text);
    CHECK(strstr(text, "Backup") && strstr(text, "Policy cleanup") && strstr(text, "Email migration"),
          "Welcome does not list the steps for SBS 2003: %s", text);
    CHECK(SendDlgItemMessageW(page, IDC_WELCOME_SERVER, LVM_GETITEMCOUNT, 0, 0) >= 6,
          "Welcome shows too few detected properties");
    screenshot(sheet, shots, shot++, "welcome");
    SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_NEXT, 0);

    for (int i = 1; i < PAGES - 1; i++) {
        const char *name = page_names[i];
        CHECK(wait_page(sheet, i, 5000), "did not reach page %s (at %d)", name, page_index(sheet));
        page = current_page(sheet);
        CHECK(wait_idle(page, 20000), "%s: the check did not finish", name);
        Sleep(100);
        if (i == 3) {
            apply_policy(sheet, page, pi.dwProcessId, shots, &shot);
            SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_NEXT, 0);
            continue;
        }
        text_of(page, IDC_STEP_STATUS, text, sizeof text);
        CHECK(strstr(text, "cannot verify") != NULL, "%s: unexpected status: %s", name, text);
        CHECK(SendDlgItemMessageW(page, IDC_STEP_FINDINGS, LVM_GETITEMCOUNT, 0, 0) >= 1,
              "%s: no findings shown", name);
        CHECK(!button_enabled(sheet, ID_NEXT), "%s: Next enabled before the step is done", name);
        CHECK(button_enabled(sheet, ID_BACK), "%s: Back disabled", name);
        /* Pressing Next anyway must leave the user on this page. */
        SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_NEXT, 0);
        Sleep(200);
        CHECK(page_index(sheet) == i, "%s: Next let the user past a closed gate", name);
        screenshot(sheet, shots, shot++, name);
        mark_manually(sheet, page, name);
        if (i == 1)
            screenshot(sheet, shots, shot++, "backup-marked");
        SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_NEXT, 0);
    }
    CHECK(wait_page(sheet, PAGES - 1, 5000), "did not reach Finish (at %d)", page_index(sheet));
    page = current_page(sheet);
    text_of(page, IDC_FINISH_TITLE, text, sizeof text);
    CHECK(strstr(text, "prepared") != NULL, "Finish title: %s", text);
    CHECK(SendDlgItemMessageW(page, IDC_FINISH_STEPS, LVM_GETITEMCOUNT, 0, 0) == 7,
          "Finish does not list the seven steps");
    CHECK(button_enabled(sheet, ID_FINISH), "Finish button disabled");
    screenshot(sheet, shots, shot++, "finish");
    SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_FINISH, 0);
    /* The sheet's loop notices the end only when a posted message wakes its GetMessage. */
    PostMessageW(sheet, WM_NULL, 0, 0);
    code = finish_process(&pi, 10000);
    CHECK(code == 0, "exit code after Finish is %lu, not 0", (unsigned long)code);

    /* The next start resumes where the user stopped. */
    CHECK(launch(exe, args, &pi), "could not start %ls again", exe);
    sheet = wait_for_sheet(pi.dwProcessId, 30000);
    CHECK(sheet && page_index(sheet) == PAGES - 1, "did not resume on Finish (page %d)",
          sheet ? page_index(sheet) : -1);
    if (sheet) {
        SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_BACK, 0);
        CHECK(wait_page(sheet, PAGES - 2, 5000), "Back from Finish did not reach Email");
        page = current_page(sheet);
        /* A step marked by hand stays open after a restart and shows its reason. */
        CHECK(button_enabled(sheet, ID_NEXT), "Email: Next closed after restart");
        text_of(page, IDC_STEP_REASON, text, sizeof text);
        CHECK(strstr(text, "GUI test") != NULL, "Email: reason lost: %s", text);
        SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_CANCEL, 0);
        PostMessageW(sheet, WM_NULL, 0, 0);
    }
    code = finish_process(&pi, 10000);
    CHECK(code == 0, "exit code after Cancel with every gate open is %lu", (unsigned long)code);
    policy_not_applicable(exe, root, shots, shot);
}

int wmain(int argc, wchar_t **argv)
{
    if (argc < 3) {
        printf("usage: guitest SOURCEPREP.EXE ROOTDIR [SHOTDIR [wizard97|aero]]\n");
        return 2;
    }
    walk(argv[1], argv[2], argc > 3 && argv[3][0] ? argv[3] : NULL, argc > 4 ? argv[4] : L"wizard97");
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
