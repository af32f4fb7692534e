/* make bench, start-up: time from CreateProcess to the first painted wizard page, for sourceprep.exe
 * and for a bare property sheet started the same way in the same run, and sourceprep's working set.
 * Prints medians and the ratio against the reference; never a pass/fail on absolute time. */
#include <windows.h>
#include <psapi.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#define ID_NEXT 0x3024

typedef struct {
    DWORD pid;
    HWND found;
} find_ctx;

static BOOL CALLBACK find_sheet(HWND hwnd, LPARAM lp)
{
    find_ctx *f = (find_ctx *)lp;
    DWORD pid = 0;
    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == f->pid && IsWindowVisible(hwnd) && GetDlgItem(hwnd, ID_NEXT)) {
        f->found = hwnd;
        return FALSE;
    }
    return TRUE;
}

static double now_ms(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

static double cpu_ms(HANDLE process)
{
    FILETIME c, e, k, u;
    if (!GetProcessTimes(process, &c, &e, &k, &u))
        return -1;
    return ((double)k.dwLowDateTime + (double)k.dwHighDateTime * 4294967296.0 + (double)u.dwLowDateTime +
            (double)u.dwHighDateTime * 4294967296.0) / 10000.0;
}

/* One start: milliseconds until the sheet is visible and has answered a message (it has
 * painted by then: WM_PAINT comes before the sheet's loop goes idle); -1 on failure. The
 * process's CPU time (user and kernel) until then goes to *cpu: it moves less than the wall
 * time when the machine is busy. */
static double one_start(const wchar_t *cmdline, SIZE_T *working_set, double *cpu)
{
    wchar_t cmd[2048];
    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    find_ctx f = {0, NULL};
    double t0, t = -1;
    DWORD_PTR r;

    wcsncpy(cmd, cmdline, 2047);
    cmd[2047] = 0;
    t0 = now_ms();
    if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return -1;
    f.pid = pi.dwProcessId;
    WaitForInputIdle(pi.hProcess, 20000);
    while (now_ms() - t0 < 20000) {
        EnumWindows(find_sheet, (LPARAM)&f);
        if (f.found && SendMessageTimeoutW(f.found, WM_NULL, 0, 0, SMTO_NORMAL, 5000, &r)) {
            t = now_ms() - t0;
            if (cpu)
                *cpu = cpu_ms(pi.hProcess);
            break;
        }
        Sleep(1);
    }
    if (working_set) {
        PROCESS_MEMORY_COUNTERS pmc = {sizeof pmc};
        *working_set = GetProcessMemoryInfo(pi.hProcess, &pmc, sizeof pmc) ? pmc.WorkingSetSize : 0;
    }
    if (f.found)
        PostMessageW(f.found, WM_CLOSE, 0, 0);
    if (WaitForSingleObject(pi.hProcess, 10000) != WAIT_OBJECT_0)
        TerminateProcess(pi.hProcess, 1);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return t;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int wmain(int argc, wchar_t **argv)
{
    enum { RUNS = 15 };
    double app[RUNS], bare[RUNS], pair[RUNS], app_cpu[RUNS], bare_cpu[RUNS], ratio;
    SIZE_T ws = 0, ws_max = 0, ws_bare = 0, ws_bare_max = 0;
    wchar_t app_cmd[2048], bare_cmd[1024];

    if (argc < 4) {
        printf("usage: startbench SOURCEPREP.EXE BARE_SHEET.EXE ROOTDIR\n");
        return 2;
    }
    _snwprintf(app_cmd, 2048, L"\"%ls\" /demo /style:wizard97 /page:welcome \"/root:%ls\"", argv[1], argv[3]);
    _snwprintf(bare_cmd, 1024, L"\"%ls\"", argv[2]);
    /* Warm both once (the first start of anything under Wine pays for its DLLs). */
    one_start(bare_cmd, NULL, NULL);
    one_start(app_cmd, NULL, NULL);
    /* Interleaved, so that a busy moment of the machine hits both alike. */
    for (int i = 0; i < RUNS; i++) {
        bare[i] = one_start(bare_cmd, &ws_bare, &bare_cpu[i]);
        if (ws_bare > ws_bare_max)
            ws_bare_max = ws_bare;
        app[i] = one_start(app_cmd, &ws, &app_cpu[i]);
        if (ws > ws_max)
            ws_max = ws;
        if (bare[i] < 0 || app[i] < 0) {
            printf("bench: a start failed (bare %.1f ms, sourceprep %.1f ms)\n", bare[i], app[i]);
            return 1;
        }
        pair[i] = app[i] / bare[i];
    }
    qsort(app, RUNS, sizeof app[0], cmp_double);
    qsort(bare, RUNS, sizeof bare[0], cmp_double);
    qsort(app_cpu, RUNS, sizeof app_cpu[0], cmp_double);
    qsort(bare_cpu, RUNS, sizeof bare_cpu[0], cmp_double);
    /* The ratio is the median of the paired starts' ratios: a busy moment of the machine slows
     * both starts of a pair, so it cancels out of their ratio more than out of the medians. */
    qsort(pair, RUNS, sizeof pair[0], cmp_double);
    ratio = pair[RUNS / 2];
    printf("first page painted: sourceprep median %.1f ms, bare property sheet median %.1f ms\n",
           app[RUNS / 2], bare[RUNS / 2]);
    printf("start-up ratio %.2f (budget 1.30): %s (median of %d paired starts; the ratio of the medians "
           "is %.2f)\n",
           ratio, ratio <= 1.3 ? "within" : "OVER", RUNS, app[RUNS / 2] / bare[RUNS / 2]);
    printf("cpu time to the first page: sourceprep median %.1f ms, bare property sheet median %.1f ms, "
           "ratio %.2f\n", app_cpu[RUNS / 2], bare_cpu[RUNS / 2],
           bare_cpu[RUNS / 2] > 0 ? app_cpu[RUNS / 2] / bare_cpu[RUNS / 2] : 0.0);
    /* Under Wine the process carries Wine's own libraries: the bare sheet shows how much. */
    printf("working set after the first page: %.1f MB, bare property sheet %.1f MB (budget 28 MB): %s\n",
           (double)ws_max / (1024.0 * 1024.0), (double)ws_bare_max / (1024.0 * 1024.0),
           ws_max < 28u * 1024 * 1024 ? "within" : "OVER");
    return 0;
}
