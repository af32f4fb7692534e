/* GUI test: starts sourceprep.exe /demo, walks every page with PSM_PRESSBUTTON, asserts the gates,
 * and (with a folder) saves a screenshot of every page. Runs under Wine in Xvfb. */
#include "tests/gui/gui.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "resources/resource.h"

static const char *const page_names[PAGES] = {"welcome", "backup", "updates", "policy", "health",
                                              "timesync", "lob", "email", "finish"};

static gui_page_fn walker_for(const char *page)
{
    for (const gui_walker *g = gui_walkers; g->page; g++)
        if (strcmp(g->page, page) == 0)
            return g->walk;
    return gui_walk_manual;
}

/* Whether the demo server's log holds the text, waiting for it until the deadline. */
static BOOL log_says(const wchar_t *root, const char *what, DWORD ms)
{
    static char buf[1 << 20];
    wchar_t path[1200];
    DWORD t0 = GetTickCount();
    _snwprintf(path, 1200, L"%ls\\C\\Documents and Settings\\All Users\\Application Data\\SourcePrep\\sourceprep.log", root);
    path[1199] = 0;
    do {
        HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        DWORD got = 0;
        if (h != INVALID_HANDLE_VALUE) {
            ReadFile(h, buf, sizeof buf - 1, &got, NULL);
            CloseHandle(h);
        }
        buf[got] = 0;
        if (strstr(buf, what))
            return TRUE;
        Sleep(50); /* a poll interval: the loop ends on the condition or the deadline */
    } while (GetTickCount() - t0 < ms);
    return FALSE;
}

static void walk_welcome(gui_walk *w)
{
    char text[1024];
    CHECK(gui_page_index(w->sheet) == 0, "starts on page %d, not Welcome", gui_page_index(w->sheet));
    /* The page sets its buttons with a posted message: wait for it, not for a time. */
    CHECK(gui_wait_button(w->sheet, ID_NEXT, TRUE, 30000), "Next is disabled on Welcome");
    w->page = gui_current_page(w->sheet);
    /* The page speaks the walk's language: its title is that language's, not another's. */
    gui_text_of(w->page, IDC_WELCOME_TITLE, text, sizeof text);
    {
        char *want = gui_string(IDS_WELCOME_TITLE);
        CHECK(want && want[0] && strcmp(text, want) == 0, "Welcome's title is \"%s\", not \"%s\" (%s)", text,
              want ? want : "", gui_lang_is_german() ? "de-DE" : "en-US");
        free(want);
    }
    gui_text_of(w->page, IDC_WELCOME_STEPS, text, sizeof text);
    {
        char *backup = gui_string(IDS_STEP_NAME(0)), *policy = gui_string(IDS_STEP_NAME(2)),
             *email = gui_string(IDS_STEP_NAME(6));
        CHECK(backup[0] && policy[0] && email[0] && strstr(text, backup) && strstr(text, policy) &&
                  strstr(text, email),
              "Welcome does not list the steps for SBS 2003: %s", text);
        free(backup);
        free(policy);
        free(email);
    }
    CHECK(SendDlgItemMessageW(w->page, IDC_WELCOME_SERVER, LVM_GETITEMCOUNT, 0, 0) >= 6,
          "Welcome shows too few detected properties");
    /* Once the first page has painted, the log gives the start-up's moments (make bench reads them). */
    CHECK(log_says(w->root, "start-up ms since the process was made: main ", 30000),
          "the log does not give the start-up's moments after the first page painted");
    gui_screenshot(w, "welcome");
}

static void walk_finish(gui_walk *w)
{
    char text[1024];
    w->page = gui_current_page(w->sheet);
    /* The demo's steps are all done, but its backup predates the changes the walk made: one
     * honest headline, not "prepared" above "no full backup newer than the last change". */
    gui_text_of(w->page, IDC_FINISH_TITLE, text, sizeof text);
    CHECK(gui_says(text, IDS_FINISH_TITLE_OPEN) && !gui_says(text, IDS_FINISH_TITLE_READY) &&
              !gui_says(text, IDS_FINISH_TITLE_MANUAL),
          "Finish title: %s", text);
    gui_text_of(w->page, IDC_FINISH_BACKUP, text, sizeof text);
    {
        char *verdict = gui_string(IDS_R_NOT_READY_BACKUP);
        CHECK(verdict[0] && strncmp(text, verdict, strlen(verdict)) == 0 && gui_says(text, IDS_FINISH_BACKUP),
              "Finish does not say that the fresh backup is what is left: %s", text);
        free(verdict);
    }
    CHECK(SendDlgItemMessageW(w->page, IDC_FINISH_STEPS, LVM_GETITEMCOUNT, 0, 0) == 7,
          "Finish does not list the seven steps");
    CHECK(gui_wait_button(w->sheet, ID_FINISH, TRUE, 30000), "Finish button disabled");
    gui_screenshot(w, "finish");
}

/* FALSE when the wizard's window never appeared (nothing to walk). */
static BOOL walk(gui_walk *w)
{
    PROCESS_INFORMATION pi;
    wchar_t args[1024];
    char text[1024];
    DWORD code;

    _snwprintf(args, 1024, L"/demo /style:%ls \"/root:%ls\"", w->style, w->root);
    CHECK(gui_launch(w->exe, args, &pi), "could not start %ls (error %lu)", w->exe, (unsigned long)GetLastError());
    w->pid = pi.dwProcessId;
    w->sheet = gui_wait_for_sheet(pi.dwProcessId, 30000);
    CHECK(w->sheet != NULL, "the wizard window did not appear");
    if (!w->sheet) {
        gui_finish_process(&pi, 0);
        return FALSE;
    }
    walk_welcome(w);
    SendMessageW(w->sheet, PSM_PRESSBUTTON, PSBTN_NEXT, 0);
    for (int i = 1; i < PAGES - 1; i++) {
        w->index = i;
        w->name = page_names[i];
        CHECK(gui_wait_page(w->sheet, i, 30000), "did not reach page %s (at %d)", w->name,
              gui_page_index(w->sheet));
        w->page = gui_current_page(w->sheet);
        CHECK(gui_wait_idle(w->page, 60000), "%s: the check did not finish", w->name);
        gui_check_layout(w);
        walker_for(w->name)(w);
        CHECK(gui_button_enabled(w->sheet, ID_NEXT), "%s: Next closed at the end of its walk", w->name);
        SendMessageW(w->sheet, PSM_PRESSBUTTON, PSBTN_NEXT, 0);
    }
    CHECK(gui_wait_page(w->sheet, PAGES - 1, 30000), "did not reach Finish (at %d)", gui_page_index(w->sheet));
    walk_finish(w);
    SendMessageW(w->sheet, PSM_PRESSBUTTON, PSBTN_FINISH, 0);
    /* The sheet's loop notices the end only when a posted message wakes its GetMessage. */
    PostMessageW(w->sheet, WM_NULL, 0, 0);
    code = gui_finish_process(&pi, 10000);
    CHECK(code == 0, "exit code after Finish is %lu, not 0", (unsigned long)code);

    /* The next start resumes where the user stopped. */
    CHECK(gui_launch(w->exe, args, &pi), "could not start %ls again", w->exe);
    w->sheet = gui_wait_for_sheet(pi.dwProcessId, 30000);
    CHECK(w->sheet && gui_page_index(w->sheet) == PAGES - 1, "did not resume on Finish (page %d)",
          w->sheet ? gui_page_index(w->sheet) : -1);
    if (w->sheet) {
        SendMessageW(w->sheet, PSM_PRESSBUTTON, PSBTN_BACK, 0);
        CHECK(gui_wait_page(w->sheet, PAGES - 2, 30000), "Back from Finish did not reach Email");
        w->page = gui_current_page(w->sheet);
        CHECK(gui_wait_idle(w->page, 60000), "Email: the page did not settle after Back");
        /* A step done before stays done after a restart. */
        CHECK(gui_button_enabled(w->sheet, ID_NEXT), "Email: Next closed after restart");
        gui_text_of(w->page, IDC_STEP_STATUS, text, sizeof text);
        CHECK(text[0] != 0, "Email: no status after restart");
        /* Back to the health scan, done by hand: its manual path is open at once, with the mark. */
        int health = 1;
        while (health < PAGES - 1 && strcmp(page_names[health], "health") != 0)
            health++;
        for (int i = PAGES - 3; i >= health; i--) {
            SendMessageW(w->sheet, PSM_PRESSBUTTON, PSBTN_BACK, 0);
            CHECK(gui_wait_page(w->sheet, i, 30000), "Back did not reach page %d", i);
            w->page = gui_current_page(w->sheet);
            CHECK(gui_wait_idle(w->page, 60000), "page %d did not settle after Back", i);
        }
        w->name = page_names[health];
        CHECK(IsWindowVisible(GetDlgItem(w->page, IDC_STEP_MANUAL_GROUP)) &&
                  IsWindowVisible(GetDlgItem(w->page, IDC_STEP_MARK)),
              "health: done by hand, but the manual path is folded after a restart");
        gui_screenshot(w, "health-done-by-hand");
        SendMessageW(w->sheet, PSM_PRESSBUTTON, PSBTN_CANCEL, 0);
        PostMessageW(w->sheet, WM_NULL, 0, 0);
    }
    code = gui_finish_process(&pi, 10000);
    CHECK(code == 0, "exit code after Cancel with every gate open is %lu", (unsigned long)code);
    return TRUE;
}

/* Each step page opened on its own (/page:), its layout asserted and shown, with the manual
 * path folded and open: the walk of another style or DPI, where the gates are not the point. */
static void walk_pages(gui_walk *w)
{
    for (int i = 1; i < PAGES - 1; i++) {
        PROCESS_INFORMATION pi;
        wchar_t args[1024];
        char shot[64];
        HWND toggle;
        w->index = i;
        w->name = page_names[i];
        _snwprintf(args, 1024, L"/demo /page:%hs /style:%ls \"/root:%ls\"", w->name, w->style, w->root);
        CHECK(gui_launch(w->exe, args, &pi), "could not start %ls (error %lu)", w->exe, (unsigned long)GetLastError());
        w->pid = pi.dwProcessId;
        w->sheet = gui_wait_for_sheet(pi.dwProcessId, 30000);
        CHECK(w->sheet != NULL, "%s: the wizard window did not appear", w->name);
        if (w->sheet) {
            CHECK(gui_wait_page(w->sheet, i, 30000), "%s: not opened on its page (at %d)", w->name,
                  gui_page_index(w->sheet));
            w->page = gui_current_page(w->sheet);
            CHECK(gui_wait_idle(w->page, 60000), "%s: the check did not finish", w->name);
            gui_check_layout(w);
            gui_screenshot(w, w->name);
            toggle = GetDlgItem(w->page, IDC_STEP_MANUAL_TOGGLE);
            if (toggle && IsWindowVisible(toggle)) {
                BOOL was_open = IsWindowVisible(GetDlgItem(w->page, IDC_STEP_MANUAL_GROUP));
                SendMessageW(toggle, BM_CLICK, 0, 0);
                gui_sync(w->page);
                CHECK(IsWindowVisible(GetDlgItem(w->page, IDC_STEP_MANUAL_GROUP)) != was_open,
                      "%s: the button did not open or close the manual path", w->name);
                snprintf(shot, sizeof shot, "%s-manual-%s", w->name, was_open ? "folded" : "open");
                gui_screenshot(w, shot);
            }
            SendMessageW(w->sheet, PSM_PRESSBUTTON, PSBTN_CANCEL, 0);
            PostMessageW(w->sheet, WM_NULL, 0, 0);
        }
        gui_finish_process(&pi, 10000);
    }
}

int wmain(int argc, wchar_t **argv)
{
    gui_walk w;
    if (argc < 3) {
        printf("usage: guitest SOURCEPREP.EXE ROOTDIR [SHOTDIR [wizard97|aero [en-US|de-DE|pages]]]\n"
               "  the language is the one the wizard is expected to speak (started with /lang: or a\n"
               "  German UI language); the walk reads its words from the exe's string table;\n"
               "  pages opens each step page on its own (in English) and checks its layout\n");
        return 2;
    }
    memset(&w, 0, sizeof w);
    w.exe = argv[1];
    w.root = argv[2];
    w.shots = argc > 3 && argv[3][0] ? argv[3] : NULL;
    w.style = argc > 4 && argv[4][0] ? argv[4] : L"wizard97";
    int pages = argc > 5 && wcscmp(argv[5], L"pages") == 0;
    const wchar_t *lang = argc > 5 && !pages ? argv[5] : L"en-US";
    if (!gui_texts_open(w.exe, lang)) {
        printf("not ok - the texts of %ls in %ls could not be read\n", w.exe, lang);
        return 3;
    }
    if (pages) {
        walk_pages(&w);
        printf("%d passed, %d failed\n", gui_passed, gui_failed);
        return gui_failed ? 1 : 0;
    }
    if (!walk(&w)) {
        printf("%d passed, %d failed\n", gui_passed, gui_failed);
        return 3; /* the wizard did not start: make run fails too */
    }
    for (const gui_page_fn *run = gui_extra_runs; *run; run++)
        (*run)(&w);
    gui_report_replies();
    printf("%d passed, %d failed\n", gui_passed, gui_failed);
    return gui_failed ? 1 : 0;
}
