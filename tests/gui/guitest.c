/* GUI test: starts sourceprep.exe /demo, walks every page with PSM_PRESSBUTTON, asserts the gates,
 * and (with a folder) saves a screenshot of every page. Runs under Wine in Xvfb. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* ---- The LOB planning page ---------------------------------------------------------------- */

typedef struct {
    DWORD pid;
    HWND found;
} find_editor_ctx;

static BOOL CALLBACK find_editor(HWND hwnd, LPARAM lp)
{
    find_editor_ctx *f = (find_editor_ctx *)lp;
    DWORD pid = 0;
    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == f->pid && IsWindowVisible(hwnd) && GetDlgItem(hwnd, IDC_LOBP_CONTACT)) {
        f->found = hwnd;
        return FALSE;
    }
    return TRUE;
}

static HWND wait_for_editor(DWORD pid, int ms)
{
    find_editor_ctx f = {pid, NULL};
    for (int t = 0; t < ms && !f.found; t += 50) {
        EnumWindows(find_editor, (LPARAM)&f);
        if (!f.found)
            Sleep(50);
    }
    return f.found;
}

/* "10 marked as line-of-business: 3 plans complete, 7 to finish. ..." */
static void lob_counts(HWND page, int *marked, int *complete)
{
    char text[1024];
    *marked = *complete = -1;
    text_of(page, IDC_LOB_SUMMARY, text, sizeof text);
    if (sscanf(text, "%d marked as line-of-business: %d plans complete", marked, complete) != 2)
        printf("# LOB summary: %s\n", text);
}

static void key(HWND wnd, UINT vk)
{
    PostMessageW(wnd, WM_KEYDOWN, vk, 1);
    PostMessageW(wnd, WM_KEYUP, vk, 0xC0000001);
    Sleep(150);
}

static void set_text(HWND dlg, int id, const wchar_t *text)
{
    SendDlgItemMessageW(dlg, id, WM_SETTEXT, 0, (LPARAM)text);
}

/* Opens the editor on the list's selected row, fills a plan that suits the application, and
 * saves it. Returns FALSE when the editor did not appear. */
static BOOL lob_fill_plan(HWND page, DWORD pid, const wchar_t *shots, int *shot, BOOL take_shot)
{
    wchar_t caption[256];
    char info[512];
    HWND ed;
    PostMessageW(GetDlgItem(page, IDC_LOB_EDIT), BM_CLICK, 0, 0);
    ed = wait_for_editor(pid, 5000);
    CHECK(ed != NULL, "lob: the plan editor did not open");
    if (!ed)
        return FALSE;
    GetWindowTextW(ed, caption, 256);
    set_text(ed, IDC_LOBP_CONTACT, L"Vendor support desk");
    set_text(ed, IDC_LOBP_PHONE, L"+1 425 555 0100");
    set_text(ed, IDC_LOBP_EMAIL, L"support@vendor.example");
    if (wcsstr(caption, L"QuickBooks Premier")) {
        SendDlgItemMessageW(ed, IDC_LOBP_METHOD, CB_SETCURSEL, 1, 0); /* reinstall */
        set_text(ed, IDC_LOBP_MEDIA, L"D:\\Installers\\QuickBooks 2010");
        set_text(ed, IDC_LOBP_LICENCE, L"1234-5678-9012-345, product 123-456");
        set_text(ed, IDC_LOBP_DATA, L"D:\\Data\\Contoso.QBW");
        set_text(ed, IDC_LOBP_NOTES, L"Intuit: move the company file with File > Utilities > Move, then reinstall.");
        SendDlgItemMessageW(ed, IDC_LOBP_MEDIA_CHECK, BM_CLICK, 0, 0);
        text_of(ed, IDC_LOBP_MEDIA_INFO, info, sizeof info);
        CHECK(strstr(info, "Found: a folder") && strstr(info, "2 files"), "lob: media check says: %s", info);
    } else if (wcsstr(caption, L"Sage 50")) {
        SendDlgItemMessageW(ed, IDC_LOBP_METHOD, CB_SETCURSEL, 2, 0); /* vendor-assisted */
        set_text(ed, IDC_LOBP_MEDIA, L"D:\\Installers\\Sage 50 2012\\Setup.exe");
    } else if (wcsstr(caption, L"ACT") || wcsstr(caption, L"SQL")) {
        SendDlgItemMessageW(ed, IDC_LOBP_METHOD, CB_SETCURSEL, 2, 0);
        set_text(ed, IDC_LOBP_MEDIA, L"https://www.act.com/downloads");
    } else if (wcsstr(caption, L"Lohn")) {
        SendDlgItemMessageW(ed, IDC_LOBP_METHOD, CB_SETCURSEL, 3, 0); /* hosted */
    } else {
        SendDlgItemMessageW(ed, IDC_LOBP_METHOD, CB_SETCURSEL, 4, 0); /* retire */
    }
    if (take_shot && wcsstr(caption, L"QuickBooks Premier")) /* the one with media to show */
        screenshot(ed, shots, (*shot)++, "lob-editor");
    SendMessageW(ed, WM_COMMAND, IDOK, 0);
    for (int t = 0; t < 3000 && IsWindow(ed); t += 50)
        Sleep(50);
    CHECK(!IsWindow(ed), "lob: the plan editor did not close");
    return TRUE;
}

/* The inventory suggests the line-of-business entries; a mark can be taken back; the gate opens
 * only when every marked entry has a complete plan. */
static void walk_lob(HWND sheet, HWND page, DWORD pid, const wchar_t *shots, int *shot)
{
    HWND lv = GetDlgItem(page, IDC_LOB_LIST);
    char text[1024];
    int marked, complete, m2, c2;
    text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(strstr(text, "still need a plan") != NULL, "lob: unexpected status: %s", text);
    CHECK(SendMessageW(lv, LVM_GETITEMCOUNT, 0, 0) >= 8, "lob: too few inventory entries shown");
    lob_counts(page, &marked, &complete);
    CHECK(marked >= 5 && complete == 0, "lob: %d suggested, %d complete", marked, complete);
    CHECK(!button_enabled(sheet, ID_NEXT), "lob: Next enabled before the plan is complete");
    SendMessageW(sheet, PSM_PRESSBUTTON, PSBTN_NEXT, 0);
    Sleep(200);
    CHECK(page_index(sheet) == 6, "lob: Next let the user past a closed gate");
    screenshot(sheet, shots, (*shot)++, "lob");
    /* Untick the first entry and tick it again, with the keyboard. */
    key(lv, VK_HOME);
    key(lv, VK_SPACE);
    lob_counts(page, &m2, &c2);
    CHECK(m2 == marked - 1, "lob: unticking left %d marked (was %d)", m2, marked);
    key(lv, VK_SPACE);
    lob_counts(page, &m2, &c2);
    CHECK(m2 == marked, "lob: ticking again gave %d marked (was %d)", m2, marked);
    /* The marked entries come first: plan each one. */
    for (int row = 0; row < marked; row++) {
        key(lv, row == 0 ? VK_HOME : VK_DOWN);
        if (!lob_fill_plan(page, pid, shots, shot, TRUE))
            return;
        lob_counts(page, &m2, &c2);
        CHECK(c2 == row + 1, "lob: %d plans complete after %d edits", c2, row + 1);
        if (row + 1 < marked)
            CHECK(!button_enabled(sheet, ID_NEXT), "lob: Next enabled with %d plans open", marked - row - 1);
        if (row == marked / 2)
            screenshot(sheet, shots, (*shot)++, "lob-incomplete");
    }
    text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(strstr(text, "Verified") != NULL, "lob: status after a complete plan: %s", text);
    CHECK(button_enabled(sheet, ID_NEXT), "lob: Next still disabled with a complete plan");
    screenshot(sheet, shots, (*shot)++, "lob-complete");
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
        if (strcmp(name, "lob") == 0) {
            walk_lob(sheet, page, pi.dwProcessId, shots, &shot);
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
