/* Where DLLs come from: the system folder only, for the delay-loaded ones and for the search order, so that a planted DLL never loads. */
#include <windows.h>
#include <delayimp.h>

#include "core/sys/win32/win32.h"
#include "core/sys/win32/win32_util.h"

/* The delay-load helper asks before each LoadLibrary of a delay-loaded DLL (Makefile DELAY_DLLS):
 * it gets the DLL of the system folder by full path. On Server 2003 the loader looks in the exe's
 * folder first, where a wldap32.dll put beside sourceprep.exe would otherwise load. */
static FARPROC WINAPI delay_hook(unsigned note, PDelayLoadInfo info)
{
    wchar_t name[MAX_PATH];
    if (note != dliNotePreLoadLibrary || !info || !info->szDll)
        return NULL;
    if (!MultiByteToWideChar(CP_ACP, 0, info->szDll, -1, name, MAX_PATH) || wcspbrk(name, L"\\/:"))
        return NULL;
    return (FARPROC)w32_load_system_dll(name);
}

PfnDliHook __pfnDliNotifyHook2 = delay_hook;

typedef BOOL(WINAPI *set_dll_directory_fn)(LPCWSTR);
typedef BOOL(WINAPI *set_default_dll_directories_fn)(DWORD);
#define SP_LOAD_LIBRARY_SEARCH_SYSTEM32 0x00000800

void sp_win32_harden_dll_search(void)
{
    HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
    /* Both are looked up: SetDllDirectoryW came with 2003 SP1, SetDefaultDllDirectories with
     * KB2533623 (Vista and 7) and Windows 8. The current folder leaves the search with the first;
     * with the second, LoadLibrary looks in the system folder only. */
    set_dll_directory_fn set_dir =
        k32 ? (set_dll_directory_fn)(void (*)(void))GetProcAddress(k32, "SetDllDirectoryW") : NULL;
    set_default_dll_directories_fn set_default =
        k32 ? (set_default_dll_directories_fn)(void (*)(void))GetProcAddress(k32, "SetDefaultDllDirectories")
            : NULL;
    if (set_dir)
        set_dir(L"");
    if (set_default)
        set_default(SP_LOAD_LIBRARY_SEARCH_SYSTEM32);
}
