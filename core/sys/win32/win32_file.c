/* The win32 backend's files: whole-file reads, atomic replacement, moves, stats and directory walks. */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ReadFile and WriteFile take a DWORD; stay well below it. */
#define IO_CHUNK (16u * 1024u * 1024u)

/* CreateFileW's failure value is not NULL; keep the one-cleanup-exit convention by mapping it. */
static HANDLE open_file(const wchar_t *path, DWORD access, DWORD share, DWORD disposition,
                        DWORD flags)
{
    HANDLE h = CreateFileW(path, access, share, NULL, disposition, flags, NULL);
    return h == INVALID_HANDLE_VALUE ? NULL : h;
}

sp_status w32_file_read(sp_sys *sys, const char *path, unsigned char **data, size_t *size)
{
    wchar_t *wpath = NULL;
    HANDLE h = NULL;
    unsigned char *buf = NULL;
    sp_status st = SP_OK;
    *data = NULL;
    *size = 0;
    wpath = w32_path(path);
    if (!wpath) {
        st = w32_nomem(sys, "read a file");
        goto done;
    }
    /* Others may keep writing or even delete it: we read a snapshot and do not block them. */
    h = open_file(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                  OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN);
    if (!h) {
        st = w32_fail(sys, GetLastError(), "Could not open file %s", path);
        goto done;
    }
    LARGE_INTEGER len;
    if (!GetFileSizeEx(h, &len)) {
        st = w32_fail(sys, GetLastError(), "Could not read the size of file %s", path);
        goto done;
    }
    if ((uint64_t)len.QuadPart >= (uint64_t)SIZE_MAX) {
        st = sp_sys_fail(sys, SP_ERR_NOMEM, "Could not read file %s: it is too large.", path);
        goto done;
    }
    size_t want = (size_t)len.QuadPart;
    buf = malloc(want + 1);
    if (!buf) {
        st = w32_nomem(sys, "read a file");
        goto done;
    }
    size_t total = 0;
    while (total < want) {
        DWORD chunk = (DWORD)(want - total > IO_CHUNK ? IO_CHUNK : want - total);
        DWORD got = 0;
        if (!ReadFile(h, buf + total, chunk, &got, NULL)) {
            st = w32_fail(sys, GetLastError(), "Could not read file %s", path);
            goto done;
        }
        if (got == 0)
            break; /* it shrank while we read */
        total += got;
    }
    buf[total] = '\0'; /* text callers may treat it as a string */
    *data = buf;
    *size = total;
    buf = NULL;
done:
    free(buf);
    if (h)
        CloseHandle(h);
    free(wpath);
    return st;
}

/* advapi32's RtlGenRandom (Windows XP and later), the generator CryptGenRandom uses. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* "<path>.tmp-<16 random hex digits>": in the same folder, so the final rename never crosses
 * volumes, and not guessable, so nobody can create it first (issue 18). */
static wchar_t *temp_name_for(const wchar_t *wpath)
{
    unsigned char r[8];
    wchar_t suffix[32];
    if (!SystemFunction036(r, sizeof r))
        return NULL;
    swprintf(suffix, sizeof suffix / sizeof suffix[0], L".tmp-%02x%02x%02x%02x%02x%02x%02x%02x",
             r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
    size_t n = wcslen(wpath), m = wcslen(suffix);
    wchar_t *tmp = malloc((n + m + 1) * sizeof *tmp);
    if (tmp) {
        memcpy(tmp, wpath, n * sizeof *tmp);
        memcpy(tmp + n, suffix, (m + 1) * sizeof *tmp);
    }
    return tmp;
}

/* Puts the written temporary file in place. An existing file is replaced with ReplaceFileW,
 * which keeps its ACL, owner, streams and attributes (a GptTmpl.inf keeps SYSVOL's
 * permissions); a missing one is a plain rename, which never replaces what appeared meanwhile. */
static BOOL put_in_place(const wchar_t *wtmp, const wchar_t *wpath)
{
    if (GetFileAttributesW(wpath) == INVALID_FILE_ATTRIBUTES)
        return MoveFileExW(wtmp, wpath, MOVEFILE_WRITE_THROUGH);
    if (ReplaceFileW(wpath, wtmp, NULL, REPLACEFILE_IGNORE_MERGE_ERRORS, NULL, NULL))
        return TRUE;
    DWORD err = GetLastError();
    /* Gone meanwhile; or a file system that cannot replace (some SMB servers): the rename that
     * was used before, which gives the file the folder's inherited ACL. */
    if (err == ERROR_FILE_NOT_FOUND)
        return MoveFileExW(wtmp, wpath, MOVEFILE_WRITE_THROUGH);
    if (err == ERROR_UNABLE_TO_MOVE_REPLACEMENT || err == ERROR_INVALID_PARAMETER ||
        err == ERROR_NOT_SUPPORTED || err == ERROR_INVALID_FUNCTION)
        return MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
    SetLastError(err);
    return FALSE;
}

sp_status w32_file_write_atomic(sp_sys *sys, const char *path, const void *data, size_t size)
{
    wchar_t *wpath = NULL;
    wchar_t *wtmp = NULL;
    HANDLE h = NULL;
    int tmp_made = 0;
    sp_status st = SP_OK;
    const unsigned char *p = data;
    wpath = w32_path(path);
    wtmp = wpath ? temp_name_for(wpath) : NULL;
    if (!wtmp) {
        st = w32_nomem(sys, "write a file");
        goto done;
    }
    /* CREATE_NEW: a file someone made under that name is never opened and written. */
    h = open_file(wtmp, GENERIC_WRITE, 0, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
    if (!h) {
        st = w32_fail(sys, GetLastError(), "Could not create a temporary file next to %s", path);
        goto done;
    }
    tmp_made = 1;
    size_t done_bytes = 0;
    while (done_bytes < size) {
        DWORD chunk = (DWORD)(size - done_bytes > IO_CHUNK ? IO_CHUNK : size - done_bytes);
        DWORD put = 0;
        if (!WriteFile(h, p + done_bytes, chunk, &put, NULL) || put == 0) {
            st = w32_fail(sys, GetLastError(), "Could not write a temporary file next to %s", path);
            goto done;
        }
        done_bytes += put;
    }
    /* The data must be on disk before the rename makes it the file: a power cut must leave
     * either the old content or the new, never an empty file. */
    if (!FlushFileBuffers(h)) {
        st = w32_fail(sys, GetLastError(), "Could not flush a temporary file next to %s", path);
        goto done;
    }
    CloseHandle(h);
    h = NULL;
    if (!put_in_place(wtmp, wpath)) {
        st = w32_fail(sys, GetLastError(), "Could not replace file %s", path);
        goto done;
    }
    tmp_made = 0;
done:
    if (h)
        CloseHandle(h);
    if (tmp_made)
        DeleteFileW(wtmp);
    free(wtmp);
    free(wpath);
    return st;
}

sp_status w32_file_move(sp_sys *sys, const char *from, const char *to)
{
    wchar_t *wfrom = w32_path(from);
    wchar_t *wto = w32_path(to);
    sp_status st = SP_OK;
    if (!wfrom || !wto) {
        st = w32_nomem(sys, "move a file");
        goto done;
    }
    /* No MOVEFILE_REPLACE_EXISTING: a move must never destroy what is at the target. */
    if (!MoveFileExW(wfrom, wto, MOVEFILE_COPY_ALLOWED | MOVEFILE_WRITE_THROUGH)) {
        DWORD err = GetLastError();
        st = w32_fail(sys, err, "Could not move %s to %s", from, to);
    }
done:
    free(wfrom);
    free(wto);
    return st;
}

sp_status w32_file_delete(sp_sys *sys, const char *path)
{
    wchar_t *wpath = w32_path(path);
    sp_status st = SP_OK;
    if (!wpath)
        return w32_nomem(sys, "delete a file");
    DWORD attrs = GetFileAttributesW(wpath);
    if (attrs == INVALID_FILE_ATTRIBUTES) {
        st = w32_fail(sys, GetLastError(), "Could not delete %s", path);
    } else if (attrs & FILE_ATTRIBUTE_DIRECTORY) {
        if (!RemoveDirectoryW(wpath))
            st = w32_fail(sys, GetLastError(), "Could not delete folder %s", path);
    } else if (!DeleteFileW(wpath)) {
        st = w32_fail(sys, GetLastError(), "Could not delete file %s", path);
    }
    free(wpath);
    return st;
}

sp_status w32_file_stat(sp_sys *sys, const char *path, sp_filestat *out)
{
    WIN32_FILE_ATTRIBUTE_DATA fa;
    wchar_t *wpath = w32_path(path);
    sp_status st = SP_OK;
    memset(out, 0, sizeof *out);
    if (!wpath)
        return w32_nomem(sys, "look at a file");
    if (!GetFileAttributesExW(wpath, GetFileExInfoStandard, &fa)) {
        DWORD err = GetLastError();
        /* A missing file is an answer, not a failure: exists = 0. */
        if (err != ERROR_FILE_NOT_FOUND && err != ERROR_PATH_NOT_FOUND)
            st = w32_fail(sys, err, "Could not look at %s", path);
        goto done;
    }
    out->exists = 1;
    out->is_dir = (fa.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    out->size = ((uint64_t)fa.nFileSizeHigh << 32) | fa.nFileSizeLow;
    out->mtime = w32_filetime_to_unix(&fa.ftLastWriteTime);
done:
    free(wpath);
    return st;
}

/* Where the first component that may need creating starts: after "C:\" or "\\server\share\". */
static size_t creatable_start(const wchar_t *p)
{
    /* The long forms (w32_path): \\?\C:\ like C:\, \\?\UNC\srv\share\ like \\srv\share\. */
    if (wcsncmp(p, L"\\\\?\\", 4) == 0 && p[4] && p[5] == L':')
        return 4 + creatable_start(p + 4);
    if (p[0] == L'\\' && p[1] == L'\\') {
        size_t i = wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0 ? 8 : 2, seps = 0;
        while (p[i] && seps < 2) {
            if (p[i] == L'\\')
                seps++;
            i++;
        }
        return i;
    }
    if (p[0] && p[1] == L':')
        return p[2] == L'\\' ? 3 : 2;
    return p[0] == L'\\' ? 1 : 0;
}

sp_status w32_dir_create(sp_sys *sys, const char *path)
{
    wchar_t *wpath = w32_path(path);
    sp_status st = SP_OK;
    DWORD first_err = 0;
    if (!wpath)
        return w32_nomem(sys, "create a folder");
    size_t n = wcslen(wpath);
    while (n > 1 && wpath[n - 1] == L'\\' && wpath[n - 2] != L':')
        wpath[--n] = L'\0';
    /* Parents first. Existing ones are left alone; a parent we may not create but that exists
     * (common on locked-down roots) is no failure, so only the last component decides. */
    for (size_t i = creatable_start(wpath); i < n; i++) {
        if (wpath[i] != L'\\')
            continue;
        wpath[i] = L'\0';
        DWORD attrs = GetFileAttributesW(wpath);
        if (attrs == INVALID_FILE_ATTRIBUTES && !CreateDirectoryW(wpath, NULL) && !first_err &&
            GetLastError() != ERROR_ALREADY_EXISTS)
            first_err = GetLastError();
        wpath[i] = L'\\';
    }
    if (!CreateDirectoryW(wpath, NULL)) {
        DWORD err = GetLastError();
        DWORD attrs = GetFileAttributesW(wpath);
        if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY))
            goto done; /* already there: that is what the caller wanted */
        if (attrs != INVALID_FILE_ATTRIBUTES)
            st = sp_sys_fail(sys, SP_ERR_EXISTS,
                             "Could not create folder %s: a file of that name exists.", path);
        else
            st = w32_fail(sys, err == ERROR_PATH_NOT_FOUND && first_err ? first_err : err,
                          "Could not create folder %s", path);
    }
done:
    free(wpath);
    return st;
}

sp_status w32_dir_enum(sp_sys *sys, const char *path, sp_dir_cb cb, void *user)
{
    wchar_t *wpath = w32_path(path);
    wchar_t *pattern = NULL;
    HANDLE find = NULL;
    WIN32_FIND_DATAW fd;
    sp_status st = SP_OK;
    if (!wpath) {
        st = w32_nomem(sys, "list a folder");
        goto done;
    }
    size_t n = wcslen(wpath);
    pattern = malloc((n + 3) * sizeof *pattern);
    if (!pattern) {
        st = w32_nomem(sys, "list a folder");
        goto done;
    }
    memcpy(pattern, wpath, n * sizeof *pattern);
    if (n > 0 && pattern[n - 1] != L'\\')
        pattern[n++] = L'\\';
    pattern[n++] = L'*';
    pattern[n] = L'\0';
    find = FindFirstFileW(pattern, &fd);
    if (find == INVALID_HANDLE_VALUE) {
        find = NULL;
        DWORD err = GetLastError();
        DWORD attrs = GetFileAttributesW(wpath);
        /* A drive's root has no "." or "..": an empty one finds nothing at all. */
        if (err == ERROR_FILE_NOT_FOUND && attrs != INVALID_FILE_ATTRIBUTES &&
            (attrs & FILE_ATTRIBUTE_DIRECTORY))
            goto done;
        if (attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY))
            st = sp_sys_fail(sys, SP_ERR_INVALID, "Could not list folder %s: it is a file.", path);
        else
            st = w32_fail(sys, err, "Could not list folder %s", path);
        goto done;
    }
    /* Entries go to the callback as they are found, never gathered: a walk of a million files
     * must stay in constant memory. */
    do {
        const wchar_t *name = fd.cFileName;
        if (name[0] == L'.' && (name[1] == L'\0' || (name[1] == L'.' && name[2] == L'\0')))
            continue;
        int is_dir = (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
        /* Junctions such as "Application Data" point back up the tree; listing them would
         * send a recursive walk round in circles, so folders that are reparse points are
         * left out. */
        if (is_dir && (fd.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT))
            continue;
        char *u = w32_utf8(name);
        if (!u) {
            st = w32_nomem(sys, "list a folder");
            goto done;
        }
        int stop = cb(user, u, is_dir);
        free(u);
        if (stop)
            goto done;
    } while (FindNextFileW(find, &fd));
    if (GetLastError() != ERROR_NO_MORE_FILES)
        st = w32_fail(sys, GetLastError(), "Could not list folder %s", path);
done:
    if (find)
        FindClose(find);
    free(pattern);
    free(wpath);
    return st;
}

sp_status w32_file_append(sp_sys *sys, const char *path, const void *data, size_t size)
{
    wchar_t *wpath = w32_path(path);
    HANDLE h;
    DWORD put = 0;
    sp_status st = SP_OK;
    if (!wpath)
        return w32_nomem(sys, "append to a file");
    /* FILE_APPEND_DATA alone: every write lands at the end, also with two writers. */
    h = CreateFileW(wpath, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS,
                    FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        st = w32_fail(sys, GetLastError(), "Could not open %s to append to it", path);
    } else {
        if (size > 0xffffffffu || !WriteFile(h, data, (DWORD)size, &put, NULL) || put != size)
            st = w32_fail(sys, GetLastError(), "Could not append to %s", path);
        CloseHandle(h);
    }
    free(wpath);
    return st;
}
