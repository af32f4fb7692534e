/* Console output for a GUI-subsystem program: the parent's console, or redirected stdout/stderr. */
#include <windows.h>

#include <stdlib.h>

#include "wizard/app.h"
#include "pages/ui/text.h"

typedef struct {
    HANDLE handle;
    BOOL is_console;
} console_slot;

static console_slot out_slot, err_slot;
static BOOL messages_to_stderr = FALSE;

static BOOL slot_attach(console_slot *slot, DWORD which)
{
    /* AttachConsole is XP and later: Server 2003 has it, but look it up to stay safe. */
    typedef BOOL(WINAPI * attach_fn)(DWORD);
    HANDLE h = GetStdHandle(which);
    DWORD mode;
    if (slot->handle)
        return TRUE;
    if (!h || h == INVALID_HANDLE_VALUE) {
        attach_fn attach = (attach_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
                                                                    "AttachConsole");
        /* Attached already for the other slot, the console is there all the same. */
        if (attach)
            attach((DWORD)-1);
        h = CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_WRITE, NULL,
                        OPEN_EXISTING, 0, NULL);
    }
    if (!h || h == INVALID_HANDLE_VALUE)
        return FALSE;
    slot->handle = h;
    slot->is_console = GetConsoleMode(h, &mode);
    return TRUE;
}

static console_slot *message_slot(void)
{
    return messages_to_stderr ? &err_slot : &out_slot;
}

BOOL sp_console_attach(void)
{
    return slot_attach(message_slot(), messages_to_stderr ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
}

void sp_console_use_stderr(BOOL on)
{
    messages_to_stderr = on;
}

static void slot_write(console_slot *slot, const wchar_t *text)
{
    DWORD n;
    if (slot->is_console) {
        WriteConsoleW(slot->handle, text, (DWORD)wcslen(text), &n, NULL);
    } else {
        /* Redirected: UTF-8 for the tools that read it. */
        char *u = sp_utf8(text);
        if (u) {
            WriteFile(slot->handle, u, (DWORD)strlen(u), &n, NULL);
            free(u);
        }
    }
}

void sp_console_write(const wchar_t *text)
{
    if (!sp_console_attach() || !text)
        return;
    slot_write(message_slot(), text);
}

BOOL sp_console_write_data(const char *utf8)
{
    DWORD n;
    if (!utf8 || !slot_attach(&out_slot, STD_OUTPUT_HANDLE))
        return FALSE;
    if (out_slot.is_console) {
        wchar_t *w = sp_wide(utf8);
        if (w)
            slot_write(&out_slot, w);
        free(w);
        return w != NULL;
    }
    return WriteFile(out_slot.handle, utf8, (DWORD)strlen(utf8), &n, NULL) && n == strlen(utf8);
}
