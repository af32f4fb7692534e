/* Console output for a GUI-subsystem program: the parent's console, or redirected stdout. */
#include <windows.h>

#include <stdlib.h>

#include "wizard/app.h"
#include "pages/ui/text.h"

static HANDLE out_handle = NULL;
static BOOL out_is_console = FALSE;

BOOL sp_console_attach(void)
{
    /* AttachConsole is XP and later: Server 2003 has it, but look it up to stay safe. */
    typedef BOOL(WINAPI * attach_fn)(DWORD);
    HANDLE h = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode;
    if (out_handle)
        return TRUE;
    if (!h || h == INVALID_HANDLE_VALUE) {
        attach_fn attach = (attach_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
                                                                    "AttachConsole");
        if (attach && attach((DWORD)-1))
            h = CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_WRITE, NULL,
                            OPEN_EXISTING, 0, NULL);
    }
    if (!h || h == INVALID_HANDLE_VALUE)
        return FALSE;
    out_handle = h;
    out_is_console = GetConsoleMode(h, &mode);
    return TRUE;
}

void sp_console_write(const wchar_t *text)
{
    DWORD n;
    if (!sp_console_attach() || !text)
        return;
    if (out_is_console) {
        WriteConsoleW(out_handle, text, (DWORD)wcslen(text), &n, NULL);
    } else {
        /* Redirected: UTF-8 for the tools that read it. */
        char *u = sp_utf8(text);
        if (u) {
            WriteFile(out_handle, u, (DWORD)strlen(u), &n, NULL);
            free(u);
        }
    }
}
