/* The win32 backend's conversions at the seam (UTF-8 <-> UTF-16, OEM output) and its error messages. */
#include "core/sys/win32/win32_util.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MultiByteToWideChar and friends count in int; larger inputs are converted in slices
 * that end on a character boundary. SLICE is far below INT_MAX so that a slice's output
 * (at most 3 UTF-8 bytes per UTF-16 unit) still fits in an int. (A double-byte OEM code page
 * could see a pair cut at a slice's end; no program's output comes near 64 MB.) */
#define SLICE (64u * 1024u * 1024u)

/* How many bytes of a UTF-8 slice to take so that no sequence is cut in two. */
static size_t utf8_slice_len(const char *s, size_t n)
{
    if (n <= SLICE)
        return n;
    size_t k = SLICE;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k ? k : SLICE;
}

static size_t wide_slice_len(const wchar_t *w, size_t n)
{
    if (n <= SLICE)
        return n;
    size_t k = SLICE;
    if (w[k - 1] >= 0xD800 && w[k - 1] <= 0xDBFF)
        k--; /* keep a surrogate pair together */
    return k;
}

static wchar_t *cp_to_wide(UINT cp, const char *s, size_t n, size_t *outlen)
{
    size_t total = 0;
    size_t off = 0;
    while (off < n) {
        size_t k = cp == CP_UTF8 ? utf8_slice_len(s + off, n - off) : (n - off > SLICE ? SLICE : n - off);
        int w = MultiByteToWideChar(cp, 0, s + off, (int)k, NULL, 0);
        if (w <= 0)
            return NULL;
        total += (size_t)w;
        off += k;
    }
    wchar_t *out = malloc((total + 1) * sizeof *out);
    if (!out)
        return NULL;
    size_t pos = 0;
    off = 0;
    while (off < n) {
        size_t k = cp == CP_UTF8 ? utf8_slice_len(s + off, n - off) : (n - off > SLICE ? SLICE : n - off);
        int w = MultiByteToWideChar(cp, 0, s + off, (int)k, out + pos, (int)(total - pos));
        if (w <= 0) {
            free(out);
            return NULL;
        }
        pos += (size_t)w;
        off += k;
    }
    out[pos] = L'\0';
    if (outlen)
        *outlen = pos;
    return out;
}

wchar_t *w32_wide_n(const char *utf8, size_t n, size_t *outlen)
{
    return cp_to_wide(CP_UTF8, utf8, n, outlen);
}

wchar_t *w32_wide(const char *utf8)
{
    return w32_wide_n(utf8 ? utf8 : "", utf8 ? strlen(utf8) : 0, NULL);
}

char *w32_utf8_n(const wchar_t *wide, size_t n, size_t *outlen)
{
    size_t total = 0;
    size_t off = 0;
    while (off < n) {
        size_t k = wide_slice_len(wide + off, n - off);
        int b = WideCharToMultiByte(CP_UTF8, 0, wide + off, (int)k, NULL, 0, NULL, NULL);
        if (b <= 0)
            return NULL;
        total += (size_t)b;
        off += k;
    }
    char *out = malloc(total + 1);
    if (!out)
        return NULL;
    size_t pos = 0;
    off = 0;
    while (off < n) {
        size_t k = wide_slice_len(wide + off, n - off);
        int b = WideCharToMultiByte(CP_UTF8, 0, wide + off, (int)k, out + pos, (int)(total - pos),
                                    NULL, NULL);
        if (b <= 0) {
            free(out);
            return NULL;
        }
        pos += (size_t)b;
        off += k;
    }
    out[pos] = '\0';
    if (outlen)
        *outlen = pos;
    return out;
}

char *w32_utf8(const wchar_t *wide)
{
    return w32_utf8_n(wide ? wide : L"", wide ? wcslen(wide) : 0, NULL);
}

char *w32_cp_to_utf8(UINT cp, const char *bytes, size_t n, size_t *outlen)
{
    size_t wlen = 0;
    wchar_t *w = cp_to_wide(cp, bytes, n, &wlen);
    if (!w)
        return NULL;
    char *u = w32_utf8_n(w, wlen, outlen);
    free(w);
    return u;
}

/* Paths this long need the \\?\ form: the plain W functions stop at MAX_PATH (folders at 248). */
#define LONG_PATH_FROM 248

wchar_t *w32_path(const char *utf8)
{
    wchar_t *w = w32_wide(utf8);
    if (!w)
        return NULL;
    for (wchar_t *p = w; *p; p++)
        if (*p == L'/')
            *p = L'\\';
    size_t n = wcslen(w);
    int drive = n >= 3 && w[1] == L':' && w[2] == L'\\';
    int unc = n >= 3 && w[0] == L'\\' && w[1] == L'\\' && w[2] != L'?' && w[2] != L'.';
    if (n >= LONG_PATH_FROM && (drive || unc)) {
        /* C:\x becomes \\?\C:\x and \\srv\share\x becomes \\?\UNC\srv\share\x. */
        const wchar_t *prefix = drive ? L"\\\\?\\" : L"\\\\?\\UNC";
        size_t skip = drive ? 0 : 1, plen = wcslen(prefix);
        wchar_t *longer = malloc((plen + n - skip + 1) * sizeof *longer);
        if (!longer) {
            free(w);
            return NULL;
        }
        memcpy(longer, prefix, plen * sizeof *longer);
        memcpy(longer + plen, w + skip, (n - skip + 1) * sizeof *longer);
        free(w);
        w = longer;
    }
    return w;
}

sp_status w32_copy_out(sp_sys *sys, const wchar_t *wide, char *out, size_t outlen,
                       const char *what)
{
    size_t n = 0;
    char *u = w32_utf8_n(wide, wcslen(wide), &n);
    if (!u)
        return sp_sys_fail(sys, SP_ERR_NOMEM, "Could not return %s: out of memory.", what);
    if (!out || n >= outlen) {
        free(u);
        return sp_sys_fail(sys, SP_ERR_INVALID, "Could not return %s: the buffer is too small.",
                           what);
    }
    memcpy(out, u, n + 1);
    free(u);
    return SP_OK;
}

sp_status w32_status(DWORD err)
{
    switch (err) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_DRIVE:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_NET_NAME:
    case ERROR_SERVICE_DOES_NOT_EXIST:
    case ERROR_MOD_NOT_FOUND:
        return SP_ERR_NOTFOUND;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
    case ERROR_WRITE_PROTECT:
        return SP_ERR_ACCESS;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
    case ERROR_SERVICE_EXISTS:
        return SP_ERR_EXISTS;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return SP_ERR_NOMEM;
    case ERROR_INVALID_PARAMETER:
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
    case ERROR_FILENAME_EXCED_RANGE:
        return SP_ERR_INVALID;
    case ERROR_CALL_NOT_IMPLEMENTED:
    case ERROR_NOT_SUPPORTED:
    case ERROR_PROC_NOT_FOUND:
        return SP_ERR_UNSUPPORTED;
    case WAIT_TIMEOUT:
    case ERROR_TIMEOUT:
    case ERROR_SERVICE_REQUEST_TIMEOUT:
        return SP_ERR_TIMEOUT;
    case ERROR_CANCELLED:
    case ERROR_OPERATION_ABORTED:
        return SP_ERR_CANCELLED;
    default:
        return SP_ERR_IO;
    }
}

/* Windows' own sentence for err, in UTF-8, without the trailing line break. */
static void system_message(DWORD err, char *out, size_t outlen)
{
    wchar_t *msg = NULL;
    out[0] = '\0';
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                                 FORMAT_MESSAGE_ALLOCATE_BUFFER,
                             NULL, err, 0, (LPWSTR)&msg, 0, NULL);
    if (n > 0 && msg) {
        while (n > 0 && (msg[n - 1] == L'\r' || msg[n - 1] == L'\n' || msg[n - 1] == L' '))
            msg[--n] = L'\0';
        char *u = w32_utf8(msg);
        if (u) {
            snprintf(out, outlen, "%s", u);
            free(u);
        }
    }
    if (msg)
        LocalFree(msg);
    if (out[0] == '\0')
        snprintf(out, outlen, "Windows error.");
}

/* snprintf may cut the message inside a UTF-8 sequence; the user must never see half a
 * character, so drop an incomplete tail. */
static void trim_utf8_tail(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < need)
        s[i - 1] = '\0';
}

static sp_status fail_v(sp_sys *sys, sp_status st, DWORD err, const char *fmt, va_list ap)
{
    char what[192];
    char msg[192];
    vsnprintf(what, sizeof what, fmt, ap);
    trim_utf8_tail(what);
    system_message(err, msg, sizeof msg);
    snprintf(sys->last_error, sizeof sys->last_error, "%s: %s (%lu)", what, msg,
             (unsigned long)err);
    trim_utf8_tail(sys->last_error);
    return st;
}

sp_status w32_fail(sp_sys *sys, DWORD err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sp_status st = fail_v(sys, w32_status(err), err, fmt, ap);
    va_end(ap);
    return st;
}

sp_status w32_fail_as(sp_sys *sys, sp_status st, DWORD err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(sys, st, err, fmt, ap);
    va_end(ap);
    return st;
}

sp_status w32_nomem(sp_sys *sys, const char *what)
{
    snprintf(sys->last_error, sizeof sys->last_error, "Could not %s: out of memory.", what);
    return SP_ERR_NOMEM;
}

int64_t w32_filetime_to_unix(const FILETIME *ft)
{
    /* 100 ns ticks between 1601-01-01 and 1970-01-01. */
    const int64_t epoch_delta = 116444736000000000LL;
    int64_t ticks = (int64_t)(((uint64_t)ft->dwHighDateTime << 32) | ft->dwLowDateTime);
    int64_t rel = ticks - epoch_delta;
    /* Floor division so that times before 1970 round down like time(). */
    return rel >= 0 ? rel / 10000000 : -((-rel + 9999999) / 10000000);
}

BOOL w32_system_file(const wchar_t *name, wchar_t *out, size_t cap)
{
    UINT n = GetSystemDirectoryW(out, (UINT)cap);
    size_t len = wcslen(name);
    if (n == 0 || n >= cap || n + 1 + len >= cap)
        return FALSE;
    if (out[n - 1] != L'\\')
        out[n++] = L'\\';
    memcpy(out + n, name, (len + 1) * sizeof *name);
    return TRUE;
}

HMODULE w32_load_system_dll(const wchar_t *name)
{
    wchar_t path[MAX_PATH];
    /* LOAD_WITH_ALTERED_SEARCH_PATH: its own imports are looked up in its folder first. */
    return w32_system_file(name, path, MAX_PATH) ? LoadLibraryExW(path, NULL, 0x00000008) : NULL;
}

char *sp_win32_take_env_secret(const char *name)
{
    wchar_t value[256] = L"", *wname = w32_wide(name);
    char *out;
    DWORD n;
    if (!wname)
        return NULL;
    n = GetEnvironmentVariableW(wname, value, 256);
    SetEnvironmentVariableW(wname, NULL);
    free(wname);
    if (n >= 256)
        value[0] = L'\0';
    out = w32_utf8(value);
    SecureZeroMemory(value, sizeof value);
    return out;
}
