/* make bench, UI thread: the longest the wizard's UI thread took to answer while each step's check and apply ran on the demo. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "core/step_list.h"
#include "pages/messages.h"
#include "resources/resource.h"

#define ID_NEXT 0x3024
#define BUDGET_MS 50.0

#define STEP_NAME(id) L## #id,
static const wchar_t *const steps[] = {SP_STEP_LIST(STEP_NAME)};

typedef struct {
    DWORD pid;
    HWND found;
    int want_yes; /* find the confirmation box (a dialog with a Yes button), not the sheet */
} find_ctx;

static BOOL CALLBACK find_window(HWND hwnd, LPARAM lp)
{
    find_ctx *f = (find_ctx *)lp;
    DWORD pid = 0;
    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == f->pid && IsWindowVisible(hwnd) && GetDlgItem(hwnd, f->want_yes ? IDYES : ID_NEXT)) {
        f->found = hwnd;
        return FALSE;
    }
    return TRUE;
}

static HWND wait_window(DWORD pid, int want_yes, DWORD ms)
{
    find_ctx f = {pid, NULL, want_yes};
    for (DWORD t0 = GetTickCount(); !f.found && GetTickCount() - t0 < ms; Sleep(f.found ? 0 : 10))
        EnumWindows(find_window, (LPARAM)&f);
    return f.found;
}

static double now_ms(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

/* The probe: WM_NULL to the sheet every 10 ms, the worst reply kept. */
typedef struct {
    HWND sheet;
    volatile LONG stop;
    volatile LONG reset;
    double worst;
    double since; /* when the measure began (its reset) */
    double worst_at; /* ms after that, the worst reply began */
} probe;

static DWORD WINAPI probe_main(void *arg)
{
    probe *pr = arg;
    DWORD_PTR r;
    while (!pr->stop) {
        double t0 = now_ms(), dt;
        if (!SendMessageTimeoutW(pr->sheet, WM_NULL, 0, 0, SMTO_NORMAL, 10000, &r))
            break; /* gone or hung for 10 s: the worst so far stands */
        dt = now_ms() - t0;
        if (InterlockedExchange(&pr->reset, 0)) {
            pr->worst = 0;
            pr->since = t0;
        }
        if (dt > pr->worst) {
            pr->worst = dt;
            pr->worst_at = t0 - pr->since;
        }
        Sleep(10);
    }
    return 0;
}

/* A page's answer to one of the test messages (pages/messages.h), or -1. */
static LONG_PTR ask(HWND page, UINT msg)
{
    DWORD_PTR r = 0;
    return SendMessageTimeoutW(page, msg, 0, 0, SMTO_NORMAL, 10000, &r) ? (LONG_PTR)r : -1;
}

/* Waits until the page has finished more than `before` runs and is idle. */
static BOOL wait_run(HWND page, LONG_PTR before, DWORD ms)
{
    for (DWORD t0 = GetTickCount(); GetTickCount() - t0 < ms; Sleep(20))
        if (ask(page, WM_SP_QUERY_BUSY) == 0 && ask(page, WM_SP_QUERY_RUNS) > before)
            return TRUE;
    return FALSE;
}

static void verdict(const wchar_t *step, const char *what, double worst, double at, int ran)
{
    if (!ran)
        wprintf(L"ui reply, %ls %hs: none (the step offers none on the demo)\n", step, what);
    else
        wprintf(L"ui reply, %ls %hs: worst %.0f ms (budget %.0f ms): %hs (%.0f ms into the run)\n", step,
                what, worst, BUDGET_MS, worst <= BUDGET_MS ? "within" : "OVER", at);
}

/* One step: a fresh demo opened on its page (its check starts there), then Apply when offered. */
static int bench_step(const wchar_t *exe, const wchar_t *root, const wchar_t *step)
{
    wchar_t cmd[2048];
    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    probe pr = {0};
    HANDLE th;
    HWND sheet, page, apply, box;
    double check_worst = -1, apply_worst = -1, check_at = 0, apply_at = 0;
    LONG_PTR runs;

    _snwprintf(cmd, 2048, L"\"%ls\" /demo /style:wizard97 /page:%ls \"/root:%ls\\%ls\"", exe, step, root, step);
    cmd[2047] = 0;
    if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return 1;
    sheet = wait_window(pi.dwProcessId, 0, 30000);
    if (!sheet) {
        TerminateProcess(pi.hProcess, 1);
        return 1;
    }
    pr.sheet = sheet;
    /* From the first answer on: the sheet has painted its first page by then (the start-up has
     * its own budget), and the check that page started is running. */
    {
        DWORD_PTR r;
        SendMessageTimeoutW(sheet, WM_NULL, 0, 0, SMTO_NORMAL, 30000, &r);
    }
    pr.since = now_ms();
    th = CreateThread(NULL, 0, probe_main, &pr, 0, NULL);
    page = (HWND)SendMessageW(sheet, PSM_GETCURRENTPAGEHWND, 0, 0);
    if (page && wait_run(page, 0, 120000)) {
        check_worst = pr.worst;
        check_at = pr.worst_at;
    }
    apply = page ? GetDlgItem(page, IDC_STEP_APPLY) : NULL;
    if (apply && IsWindowVisible(apply) && IsWindowEnabled(apply)) {
        runs = ask(page, WM_SP_QUERY_RUNS);
        InterlockedExchange(&pr.reset, 1);
        PostMessageW(apply, BM_CLICK, 0, 0);
        box = wait_window(pi.dwProcessId, 1, 10000);
        if (box)
            PostMessageW(GetDlgItem(box, IDYES), BM_CLICK, 0, 0);
        /* From the moment the apply runs: the confirmation box is the user's time, not the step's. */
        for (DWORD t0 = GetTickCount(); box && IsWindow(box) && GetTickCount() - t0 < 10000;)
            Sleep(5);
        InterlockedExchange(&pr.reset, 1);
        if (box && wait_run(page, runs, 300000)) {
            apply_worst = pr.worst;
            apply_at = pr.worst_at;
        }
    }
    InterlockedExchange(&pr.stop, 1);
    WaitForSingleObject(th, 15000);
    CloseHandle(th);
    PostMessageW(sheet, WM_CLOSE, 0, 0);
    if (WaitForSingleObject(pi.hProcess, 15000) != WAIT_OBJECT_0)
        TerminateProcess(pi.hProcess, 1);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    if (check_worst < 0) {
        wprintf(L"ui reply, %ls check: the check did not finish\n", step);
        return 1;
    }
    verdict(step, "check", check_worst, check_at, 1);
    verdict(step, "apply", apply_worst, apply_at, apply_worst >= 0);
    return 0;
}

/* The reference: the same probe on an idle bare property sheet, for as long as a step takes. A
 * busy machine shows here too, so the figures of the steps can be read against it. */
static int bench_reference(const wchar_t *bare)
{
    wchar_t cmd[1024];
    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    probe pr = {0};
    HANDLE th;
    HWND sheet;
    _snwprintf(cmd, 1024, L"\"%ls\"", bare);
    cmd[1023] = 0;
    if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return 1;
    sheet = wait_window(pi.dwProcessId, 0, 30000);
    if (sheet) {
        pr.sheet = sheet;
        th = CreateThread(NULL, 0, probe_main, &pr, 0, NULL);
        Sleep(3000);
        InterlockedExchange(&pr.stop, 1);
        WaitForSingleObject(th, 15000);
        CloseHandle(th);
        wprintf(L"ui reply, reference (an idle bare sheet, 3 s): worst %.0f ms\n", pr.worst);
        PostMessageW(sheet, WM_CLOSE, 0, 0);
    }
    if (WaitForSingleObject(pi.hProcess, 15000) != WAIT_OBJECT_0)
        TerminateProcess(pi.hProcess, 1);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return sheet ? 0 : 1;
}

int wmain(int argc, wchar_t **argv)
{
    int failed = 0;
    if (argc < 4) {
        printf("usage: uibench SOURCEPREP.EXE BARE_SHEET.EXE ROOTDIR\n");
        return 2;
    }
    failed += bench_reference(argv[2]);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        failed += bench_step(argv[1], argv[3], steps[i]);
    fflush(stdout);
    return failed ? 1 : 0;
}
