/* The win32 backend's streamed file access: reads at an offset, and setting a file's time. */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <stdlib.h>
#include <string.h>

/* 100 ns intervals between 1601-01-01 and 1970-01-01. */
#define EPOCH_DIFF 116444736000000000ULL

/* An administrator holds SeBackupPrivilege but has not enabled it; enabled once, for the
 * process, it lets the drill read files whose ACL leaves the administrators out (users' folders),
 * as a backup program does. When it cannot be enabled, such a file is reported as unreadable. */
static void enable_backup_privilege(void)
{
    static volatile LONG done;
    HANDLE token = NULL;
    TOKEN_PRIVILEGES tp;
    if (InterlockedExchange(&done, 1))
        return;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token))
        return;
    memset(&tp, 0, sizeof tp);
    tp.PrivilegeCount = 1;
    tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
    if (LookupPrivilegeValueW(NULL, SE_BACKUP_NAME, &tp.Privileges[0].Luid))
        AdjustTokenPrivileges(token, FALSE, &tp, 0, NULL, NULL);
    CloseHandle(token);
}

sp_status w32_file_read_at(sp_sys *sys, const char *path, uint64_t offset, void *buf, size_t len,
                           size_t *got)
{
    wchar_t *wpath;
    HANDLE h;
    sp_status st = SP_OK;
    if (!path || (!buf && len) || !got)
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_read_at: missing argument");
    *got = 0;
    if (!(wpath = w32_path(path)))
        return w32_nomem(sys, "open a file");
    /* Share everything: the drill reads files other programs have open (a locked file still
     * fails, and is reported as unreadable, never fatal). Backup semantics with the privilege
     * read past the file's ACL; sequential scan helps the cache. */
    enable_backup_privilege();
    h = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN | FILE_FLAG_BACKUP_SEMANTICS, NULL);
    free(wpath);
    if (h == INVALID_HANDLE_VALUE)
        return w32_fail(sys, GetLastError(), "Could not open %s", path);
    while (*got < len) {
        OVERLAPPED ov;
        DWORD want = len - *got > 0x40000000u ? 0x40000000u : (DWORD)(len - *got), n = 0;
        uint64_t at = offset + *got;
        memset(&ov, 0, sizeof ov);
        ov.Offset = (DWORD)at;
        ov.OffsetHigh = (DWORD)(at >> 32);
        if (!ReadFile(h, (char *)buf + *got, want, &n, &ov)) {
            DWORD err = GetLastError();
            if (err == ERROR_HANDLE_EOF)
                break;
            st = w32_fail(sys, err, "Could not read %s", path);
            break;
        }
        if (n == 0)
            break;
        *got += n;
    }
    CloseHandle(h);
    return st;
}

sp_status w32_file_set_mtime(sp_sys *sys, const char *path, int64_t mtime)
{
    wchar_t *wpath;
    HANDLE h;
    FILETIME ft;
    ULONGLONG t = (ULONGLONG)mtime * 10000000ULL + EPOCH_DIFF;
    sp_status st = SP_OK;
    if (!path || mtime < 0)
        return sp_sys_fail(sys, SP_ERR_INVALID, "file_set_mtime: bad argument");
    if (!(wpath = w32_path(path)))
        return w32_nomem(sys, "set the time of a file");
    h = CreateFileW(wpath, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    free(wpath);
    if (h == INVALID_HANDLE_VALUE)
        return w32_fail(sys, GetLastError(), "Could not open %s", path);
    ft.dwLowDateTime = (DWORD)t;
    ft.dwHighDateTime = (DWORD)(t >> 32);
    if (!SetFileTime(h, NULL, NULL, &ft))
        st = w32_fail(sys, GetLastError(), "Could not set the time of %s", path);
    CloseHandle(h);
    return st;
}
