/* The LOB planning page on the demo: the inventory suggests the line-of-business entries, a mark
 * can be taken back with the keyboard, and the gate opens only when every plan is complete. */
#include "tests/gui/gui.h"

#include <string.h>
#include <wchar.h>

#include "resources/resource.h"

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
    for (DWORD t0 = GetTickCount(); (int)(GetTickCount() - t0) < ms && !f.found;) {
        EnumWindows(find_editor, (LPARAM)&f);
        if (!f.found)
            Sleep(20);
    }
    return f.found;
}

/* IDS_LOB_SUMMARY, "10 marked as line-of-business: 3 plans complete, 7 to finish. ..." (in German
 * too the marked count comes first, then the complete plans): its first two numbers, once the
 * walk's language says the text is that summary. */
static void lob_counts(HWND page, int *marked, int *complete)
{
    char text[1024];
    const char *p;
    int *out[2] = {marked, complete}, n = 0;
    *marked = *complete = -1;
    gui_text_of(page, IDC_LOB_SUMMARY, text, sizeof text);
    if (!gui_says(text, IDS_LOB_SUMMARY)) {
        printf("# LOB summary: %s\n", text);
        return;
    }
    for (p = text; *p && n < 2; p++)
        if (*p >= '0' && *p <= '9' && (p == text || p[-1] < '0' || p[-1] > '9'))
            *out[n++] = atoi(p);
}

/* A key press, sent: the list and the page have handled it when this returns. */
static void key(HWND wnd, UINT vk)
{
    SendMessageW(wnd, WM_KEYDOWN, vk, 1);
    SendMessageW(wnd, WM_KEYUP, vk, 0xC0000001);
    gui_sync(GetParent(wnd));
}

static void set_text(HWND dlg, int id, const wchar_t *text)
{
    SendDlgItemMessageW(dlg, id, WM_SETTEXT, 0, (LPARAM)text);
}

/* Opens the editor on the list's selected row, fills a plan that suits the application, and
 * saves it. Returns FALSE when the editor did not appear. */
static BOOL lob_fill_plan(gui_walk *w, HWND page, BOOL take_shot)
{
    wchar_t caption[256];
    char info[512];
    HWND ed;
    PostMessageW(GetDlgItem(page, IDC_LOB_EDIT), BM_CLICK, 0, 0);
    ed = wait_for_editor(w->pid, 30000);
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
        /* The media is looked at on the worker: the box says when it is back. */
        CHECK(gui_wait_idle(ed, 30000), "lob: the media check did not end");
        gui_text_of(ed, IDC_LOBP_MEDIA_INFO, info, sizeof info);
        CHECK(gui_says_with(info, IDS_LOB_MEDIA_DIR, (const char *const[]){NULL, "2"}, 2), "lob: media check says: %s", info);
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
        gui_screenshot_window(w, ed, "lob-editor");
    SendMessageW(ed, WM_COMMAND, IDOK, 0);
    for (DWORD t0 = GetTickCount(); GetTickCount() - t0 < 30000 && IsWindow(ed);)
        Sleep(20);
    CHECK(!IsWindow(ed), "lob: the plan editor did not close");
    /* The page finishes the edit (counts, status, gate) before it answers this. */
    gui_sync(page);
    return TRUE;
}

/* The inventory suggests the line-of-business entries; a mark can be taken back; the gate opens
 * only when every marked entry has a complete plan. */
void gui_walk_lob(gui_walk *w)
{
    HWND sheet = w->sheet, page = w->page;
    HWND lv = GetDlgItem(page, IDC_LOB_LIST);
    char text[1024];
    int marked, complete, m2, c2;
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_LOB_STATUS_OPEN), "lob: unexpected status: %s", text);
    CHECK(SendMessageW(lv, LVM_GETITEMCOUNT, 0, 0) >= 8, "lob: too few inventory entries shown");
    lob_counts(page, &marked, &complete);
    CHECK(marked >= 5 && complete == 0, "lob: %d suggested, %d complete", marked, complete);
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "lob: Next enabled before the plan is complete");
    gui_check_gate_holds(w);
    gui_screenshot(w, "lob");
    /* Untick the first entry and tick it again, with the keyboard. */
    key(lv, VK_HOME);
    key(lv, VK_SPACE);
    lob_counts(page, &m2, &c2);
    CHECK(m2 == marked - 1, "lob: unticking left %d marked (was %d)", m2, marked);
    key(lv, VK_SPACE);
    lob_counts(page, &m2, &c2);
    CHECK(m2 == marked, "lob: ticking again gave %d marked (was %d)", m2, marked);
    /* Nothing ticked: the step passes only on the user's statement (issue 16). */
    CHECK(!IsWindowEnabled(GetDlgItem(page, IDC_LOB_NONE)), "lob: \"none\" offered with entries ticked");
    for (int row = 0; row < marked; row++) {
        key(lv, row == 0 ? VK_HOME : VK_DOWN);
        key(lv, VK_SPACE);
    }
    lob_counts(page, &m2, &c2);
    CHECK(m2 == 0, "lob: %d still marked after unticking all", m2);
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "lob: Next enabled with nothing marked and no statement");
    CHECK(IsWindowEnabled(GetDlgItem(page, IDC_LOB_NONE)), "lob: \"none\" not offered with nothing ticked");
    SendDlgItemMessageW(page, IDC_LOB_NONE, BM_CLICK, 0, 0);
    gui_sync(page);
    CHECK(IsDlgButtonChecked(page, IDC_LOB_NONE) == BST_CHECKED, "lob: \"none\" not ticked");
    CHECK(gui_button_enabled(sheet, ID_NEXT), "lob: Next disabled after the statement");
    {
        char status[512];
        gui_text_of(page, IDC_STEP_STATUS, status, sizeof status);
        CHECK(gui_says(status, IDS_STATUS_MANUAL_DONE) && !gui_says(status, IDS_STATUS_PASSED),
              "lob: the user's statement shown as verified: %s", status);
    }
    gui_screenshot(w, "lob-none-confirmed");
    SendDlgItemMessageW(page, IDC_LOB_NONE, BM_CLICK, 0, 0);
    gui_sync(page);
    for (int row = 0; row < marked; row++) {
        key(lv, row == 0 ? VK_HOME : VK_DOWN);
        key(lv, VK_SPACE);
    }
    lob_counts(page, &m2, &c2);
    CHECK(m2 == marked, "lob: ticking all again gave %d marked (was %d)", m2, marked);
    CHECK(!gui_button_enabled(sheet, ID_NEXT), "lob: Next enabled with plans open after the statement was withdrawn");
    /* The marked entries come first: plan each one. */
    for (int row = 0; row < marked; row++) {
        key(lv, row == 0 ? VK_HOME : VK_DOWN);
        if (!lob_fill_plan(w, page, TRUE))
            return;
        lob_counts(page, &m2, &c2);
        CHECK(c2 == row + 1, "lob: %d plans complete after %d edits", c2, row + 1);
        if (row + 1 < marked)
            CHECK(!gui_button_enabled(sheet, ID_NEXT), "lob: Next enabled with %d plans open", marked - row - 1);
        if (row == marked / 2)
            gui_screenshot(w, "lob-incomplete");
    }
    gui_text_of(page, IDC_STEP_STATUS, text, sizeof text);
    CHECK(gui_says(text, IDS_STATUS_PASSED), "lob: status after a complete plan: %s", text);
    CHECK(gui_button_enabled(sheet, ID_NEXT), "lob: Next still disabled with a complete plan");
    gui_screenshot(w, "lob-complete");
}

