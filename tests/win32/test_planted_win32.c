/* Nothing planted runs (issue 18 items 1 and 7) on the real win32 backend under Wine: programs in the current folder, DLLs beside the exe or in the current folder, and the LDAP password left in the environment for children. */
#include "core/sys/sys.h"
#include "core/sys/win32/win32.h"
#include "core/sys/win32/win32_util.h"
#include "tests/win32/wtest.h"

#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* This test program's folder, where test-win32.sh builds the stand-in wbadmin.exe and child.exe. */
static void exe_dir(wchar_t *out, size_t cap)
{
    DWORD n = GetModuleFileNameW(NULL, out, (DWORD)cap);
    wchar_t *slash;
    out[n < cap ? n : cap - 1] = L'\0';
    if ((slash = wcsrchr(out, L'\\')) != NULL)
        *slash = L'\0';
}

/* A fresh folder under %TEMP% to stand in for a Downloads folder or a USB stick. */
static const wchar_t *plant_dir(void)
{
    static wchar_t dir[MAX_PATH];
    if (!dir[0]) {
        wchar_t base[MAX_PATH];
        GetTempPathW(MAX_PATH, base);
        _snwprintf(dir, MAX_PATH, L"%lssp-plant-%lu-%lu", base, (unsigned long)GetCurrentProcessId(),
                   (unsigned long)GetTickCount());
        dir[MAX_PATH - 1] = L'\0';
        if (!CreateDirectoryW(dir, NULL))
            dir[0] = L'\0';
    }
    return dir;
}

/* Copies this folder's file from to the plant folder (or, with beside, beside this exe) as to. */
static BOOL plant(const wchar_t *from, const wchar_t *to, int beside)
{
    wchar_t src[MAX_PATH], dst[MAX_PATH], here[MAX_PATH];
    exe_dir(here, MAX_PATH);
    _snwprintf(src, MAX_PATH, L"%ls\\%ls", here, from);
    _snwprintf(dst, MAX_PATH, L"%ls\\%ls", beside ? here : plant_dir(), to);
    src[MAX_PATH - 1] = dst[MAX_PATH - 1] = L'\0';
    return CopyFileW(src, dst, FALSE);
}

/* The stand-in wbadmin.exe, planted in the current folder as w32tm.exe, wbadmin.exe and
 * schtasks.exe, writes where it runs from to SP_FAKE_WBADMIN_WHERE: it must never run. */
WTEST(programs_planted_in_the_current_folder_should_never_run)
{
    static const char *const names[] = {"w32tm", "wbadmin", "schtasks"};
    sp_sys *sys = sp_win32_open();
    wchar_t log[MAX_PATH], old_cwd[MAX_PATH];
    WCHECK(plant_dir()[0] != L'\0');
    WCHECK(plant(L"wbadmin.exe", L"w32tm.exe", 0));
    WCHECK(plant(L"wbadmin.exe", L"wbadmin.exe", 0));
    WCHECK(plant(L"wbadmin.exe", L"schtasks.exe", 0));
    GetTempPathW(MAX_PATH, log);
    wcscat(log, L"sp-planted-ran.txt");
    _wremove(log);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_WHERE", log);
    GetCurrentDirectoryW(MAX_PATH, old_cwd);
    SetCurrentDirectoryW(plant_dir());
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *argv[] = {names[i], "/?", NULL};
        char *out = NULL;
        size_t len = 0;
        int code = -1;
        sp_status st = sys->ops->proc_run(sys, argv, 60000, &out, &len, &code);
        wtest_note("%s: %s, exit %d", names[i], sp_status_name(st), code);
        free(out);
    }
    SetCurrentDirectoryW(old_cwd);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_WHERE", NULL);
    DWORD attrs = GetFileAttributesW(log);
    wchar_t ran[4 * MAX_PATH] = L"", line[MAX_PATH];
    if (attrs != INVALID_FILE_ATTRIBUTES) {
        FILE *f = _wfopen(log, L"r");
        while (f && fgetws(line, MAX_PATH, f) && wcslen(ran) + wcslen(line) < 4 * MAX_PATH)
            wcscat(ran, line); /* one line per run */
        if (f)
            fclose(f);
        _wremove(log);
    }
    /* The system folder's wbadmin.exe (test-win32.sh puts the stand-in there) may run: never
     * one from the current folder. */
    WCHECK_MSG(!wcsstr(ran, plant_dir()), "a planted program ran: %ls", ran);
    sp_sys_close(sys);
}

/* An optional DLL (winhttp, wevtapi) is loaded from the system folder by full path: a file of
 * that name beside the exe is never taken, where a bare LoadLibraryW would take it. */
WTEST(an_optional_dll_should_load_from_the_system_folder_only)
{
    HMODULE h;
    WCHECK(plant(L"child.exe", L"sp-planted.dll", 1));
    h = LoadLibraryW(L"sp-planted.dll"); /* the control: a bare name finds the plant */
    WCHECK_MSG(h != NULL, "the plant cannot be loaded at all (error %lu): the test proves nothing",
               (unsigned long)GetLastError());
    FreeLibrary(h);
    WCHECK_MSG(w32_load_system_dll(L"sp-planted.dll") == NULL, "a DLL beside the exe was loaded");
    h = w32_load_system_dll(L"winhttp.dll");
    WCHECK(h != NULL);
    {
        wchar_t got[MAX_PATH], want[MAX_PATH];
        GetModuleFileNameW(h, got, MAX_PATH);
        WCHECK(w32_system_file(L"winhttp.dll", want, MAX_PATH));
        WCHECK_MSG(_wcsicmp(got, want) == 0, "winhttp.dll came from %ls", got);
    }
}

/* After sp_win32_harden_dll_search (the exe's first call), a bare LoadLibraryW no longer finds a
 * DLL in the current folder. Last: the change holds for the rest of the process. */
WTEST(the_hardened_dll_search_should_leave_out_the_current_folder)
{
    wchar_t old_cwd[MAX_PATH];
    HMODULE h;
    WCHECK(plant_dir()[0] != L'\0');
    WCHECK(plant(L"child.exe", L"sp-planted-cwd.dll", 0));
    GetCurrentDirectoryW(MAX_PATH, old_cwd);
    SetCurrentDirectoryW(plant_dir());
    h = LoadLibraryW(L"sp-planted-cwd.dll");
    BOOL control = h != NULL;
    if (h)
        FreeLibrary(h);
    sp_win32_harden_dll_search();
    h = LoadLibraryW(L"sp-planted-cwd.dll");
    SetCurrentDirectoryW(old_cwd);
    WCHECK_MSG(control, "the plant in the current folder cannot be loaded at all: the test proves nothing");
    WCHECK_MSG(h == NULL, "a DLL in the current folder was loaded after hardening");
}

/* Issue 18 item 7: the password is read once and gone from the environment, so that a program
 * SourcePrep starts does not inherit it. */
WTEST(the_ldap_password_should_be_gone_from_the_environment_once_read)
{
    sp_sys *sys = sp_win32_open();
    wchar_t buf[64];
    char *pass, *out = NULL;
    size_t len = 0;
    int code = -1;
    const char *argv[] = {"cmd", "/c", "echo", "[%SOURCEPREP_LDAP_PASSWORD%]", NULL};
    SetEnvironmentVariableW(L"SOURCEPREP_LDAP_PASSWORD", L"s\x00e9" L"cret");
    pass = sp_win32_take_env_secret("SOURCEPREP_LDAP_PASSWORD");
    WCHECK(pass != NULL);
    WCHECK_MSG(strcmp(pass, "s\xC3\xA9" "cret") == 0, "read %s", pass);
    free(pass);
    WCHECK_EQ_INT(GetEnvironmentVariableW(L"SOURCEPREP_LDAP_PASSWORD", buf, 64), 0);
    WCHECK_EQ_INT(sys->ops->proc_run(sys, argv, 60000, &out, &len, &code), SP_OK);
    WCHECK_MSG(out && strstr(out, "[%SOURCEPREP_LDAP_PASSWORD%]") && !strstr(out, "cret"),
               "the child saw: %s", out ? out : "(nothing)");
    free(out);
    /* Unset: "", not NULL. */
    pass = sp_win32_take_env_secret("SOURCEPREP_LDAP_PASSWORD");
    WCHECK(pass != NULL && pass[0] == '\0');
    free(pass);
    sp_sys_close(sys);
}

WTEST_MAIN()
