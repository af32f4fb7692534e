/* The win32 backend for the health scan: ReadEventLogW backwards (2003 has no wevtapi), GetDiskFreeSpaceExW. */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVLOG_BUF 65536

/* Reads newest first and stops at the first record older than since. */
sp_status w32_event_query(sp_sys *sys, const char *log, int64_t since, sp_event_cb cb, void *user)
{
    wchar_t *wlog = NULL;
    HANDLE h = NULL;
    BYTE *buf = NULL;
    DWORD size = EVLOG_BUF, got = 0, need = 0, records = 0;
    sp_status st = SP_OK;
    int stop = 0;

    if (!log || !*log || !cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "event_query: no log or callback");
    /* The channels of 2008 and later (Microsoft-Windows-Backup) are not classic logs. */
    if (strncmp(log, "Microsoft-Windows-", 18) == 0 || strchr(log, '/'))
        return w32_evt_query(sys, log, since, cb, user);
    if (!(wlog = w32_wide(log)))
        return w32_nomem(sys, "open an event log");
    /* OpenEventLogW falls back to Application for an unknown name: ask the registry first. */
    {
        wchar_t key[300];
        HKEY hk;
        _snwprintf(key, 300, L"SYSTEM\\CurrentControlSet\\Services\\Eventlog\\%ls", wlog);
        key[299] = 0;
        if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_READ, &hk) != ERROR_SUCCESS) {
            free(wlog);
            return sp_sys_fail(sys, SP_ERR_NOTFOUND, "This server has no %s event log.", log);
        }
        RegCloseKey(hk);
    }
    h = OpenEventLogW(NULL, wlog);
    free(wlog);
    if (!h)
        return w32_fail(sys, GetLastError(), "Could not open the %s event log", log);
    if (!(buf = malloc(size))) {
        CloseEventLog(h);
        return w32_nomem(sys, "read an event log");
    }
    GetNumberOfEventLogRecords(h, &records);
    while (!stop) {
        if (!ReadEventLogW(h, EVENTLOG_SEQUENTIAL_READ | EVENTLOG_BACKWARDS_READ, 0, buf, size,
                           &got, &need)) {
            DWORD err = GetLastError();
            if (err == ERROR_HANDLE_EOF)
                break;
            if (err == ERROR_INSUFFICIENT_BUFFER && need > size) {
                BYTE *bigger = realloc(buf, need);
                if (!bigger) {
                    st = w32_nomem(sys, "read an event log");
                    break;
                }
                buf = bigger;
                size = need;
                continue;
            }
            st = w32_fail(sys, err, "Could not read the %s event log", log);
            break;
        }
        for (DWORD off = 0; off + sizeof(EVENTLOGRECORD) <= got && !stop;) {
            const EVENTLOGRECORD *r = (const EVENTLOGRECORD *)(buf + off);
            sp_event ev;
            char *source;
            if (r->Length < sizeof(EVENTLOGRECORD) || off + r->Length > got)
                break;
            if ((int64_t)r->TimeGenerated < since) {
                stop = 1;
                break;
            }
            /* The source name follows the fixed part, NUL-terminated UTF-16. */
            source = w32_utf8((const wchar_t *)(buf + off + sizeof(EVENTLOGRECORD)));
            ev.source = source ? source : "";
            ev.id = r->EventID & 0xFFFFu;
            ev.type = r->EventType;
            ev.time = (int64_t)r->TimeGenerated;
            if (cb(user, &ev))
                stop = 1;
            free(source);
            off += r->Length;
        }
    }
    free(buf);
    CloseEventLog(h);
    return st;
}

sp_status w32_disk_space(sp_sys *sys, const char *path, uint64_t *free_bytes,
                         uint64_t *total_bytes)
{
    ULARGE_INTEGER avail, total, all_free;
    wchar_t *wpath;
    if (!path || !*path)
        return sp_sys_fail(sys, SP_ERR_INVALID, "disk_space: no path");
    if (!(wpath = w32_path(path)))
        return w32_nomem(sys, "read a volume's size");
    if (!GetDiskFreeSpaceExW(wpath, &avail, &total, &all_free)) {
        DWORD err = GetLastError();
        free(wpath);
        if (err == ERROR_PATH_NOT_FOUND || err == ERROR_INVALID_DRIVE ||
            err == ERROR_FILE_NOT_FOUND || err == ERROR_INVALID_NAME)
            return sp_sys_fail(sys, SP_ERR_NOTFOUND, "There is no volume at %s.", path);
        return w32_fail(sys, err, "Could not read the free space of %s", path);
    }
    free(wpath);
    if (free_bytes)
        *free_bytes = avail.QuadPart;
    if (total_bytes)
        *total_bytes = total.QuadPart;
    return SP_OK;
}
