/* A console program for the proc_run tests: echoes arguments, exits with a code, sleeps, floods output. */
#include <windows.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Writes text as a console program does: in the OEM code page, straight to the handle. */
static int write_oem(HANDLE h, const wchar_t *text)
{
    int n = WideCharToMultiByte(CP_OEMCP, 0, text, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return 0;
    char *bytes = malloc((size_t)n);
    if (!bytes)
        return 0;
    WideCharToMultiByte(CP_OEMCP, 0, text, -1, bytes, n, NULL, NULL);
    DWORD put = 0;
    BOOL ok = WriteFile(h, bytes, (DWORD)(n - 1), &put, NULL);
    free(bytes);
    return ok && put == (DWORD)(n - 1);
}

static int echo(int argc, wchar_t **argv)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    for (int i = 2; i < argc; i++) {
        if (!write_oem(out, L"[") || !write_oem(out, argv[i]) || !write_oem(out, L"]\n"))
            return 90;
    }
    return 0;
}

/* Lines of 63 'x' and a newline, cut to exactly n bytes: easy to count on the other side. */
static int flood(unsigned long n)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    static char block[64 * 1024];
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (i % 64 == 63) ? '\n' : 'x';
    while (n > 0) {
        DWORD chunk = n > sizeof block ? (DWORD)sizeof block : (DWORD)n;
        DWORD put = 0;
        if (!WriteFile(out, block, chunk, &put, NULL) || put == 0)
            return 91;
        n -= put;
    }
    return 0;
}

static int usage(void)
{
    write_oem(GetStdHandle(STD_ERROR_HANDLE),
              L"usage: child echo ARGS... | exit N | sleep MS | flood BYTES | stderr TEXT\n");
    return 2;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc < 2)
        return usage();
    const wchar_t *cmd = argv[1];
    if (wcscmp(cmd, L"echo") == 0)
        return echo(argc, argv);
    if (argc < 3)
        return usage();
    if (wcscmp(cmd, L"exit") == 0)
        return (int)wcstoul(argv[2], NULL, 0);
    if (wcscmp(cmd, L"sleep") == 0) {
        Sleep((DWORD)wcstoul(argv[2], NULL, 0));
        return 0;
    }
    if (wcscmp(cmd, L"flood") == 0)
        return flood(wcstoul(argv[2], NULL, 0));
    if (wcscmp(cmd, L"stderr") == 0) {
        HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
        return write_oem(err, argv[2]) && write_oem(err, L"\n") ? 0 : 92;
    }
    return usage();
}
