/* Internal helpers of the win32 backend: UTF-8/UTF-16 at the seam, Windows errors to sp_status. */
#ifndef SP_SYS_WIN32_UTIL_H
#define SP_SYS_WIN32_UTIL_H

#include <windows.h>

#include <stddef.h>

#include "core/sys/sys.h"

/* Heap copies (free with free()); NULL when out of memory. The _n forms convert exactly n
 * units, embedded NULs included, and always add a terminator; outlen (optional) receives the
 * converted length without it. */
wchar_t *w32_wide_n(const char *utf8, size_t n, size_t *outlen);
wchar_t *w32_wide(const char *utf8);
char *w32_utf8_n(const wchar_t *wide, size_t n, size_t *outlen);
char *w32_utf8(const wchar_t *wide);
/* Bytes in code page cp (CP_OEMCP, CP_ACP, ...) to UTF-8. */
char *w32_cp_to_utf8(UINT cp, const char *bytes, size_t n, size_t *outlen);

/* A path for the W functions: UTF-8 to UTF-16, '/' accepted as a separator. */
wchar_t *w32_path(const char *utf8);

/* Copies a UTF-16 string into a caller's UTF-8 buffer; SP_ERR_INVALID when it does not fit. */
sp_status w32_copy_out(sp_sys *sys, const wchar_t *wide, char *out, size_t outlen,
                       const char *what);

/* A file of the system folder as a full path ("C:\\WINDOWS\\system32\\<name>"): programs and
 * DLLs are never looked up by bare name, so that a planted copy beside the exe, in the current
 * folder or on PATH is never run (issue 18). FALSE when it does not fit. */
BOOL w32_system_file(const wchar_t *name, wchar_t *out, size_t cap);
/* LoadLibrary of a DLL of the system folder, by full path. */
HMODULE w32_load_system_dll(const wchar_t *name);

/* The sp_status a Windows error code stands for. */
sp_status w32_status(DWORD err);

/* Sets sys->last_error to "<what>: <Windows' message> (<err>)" and returns the status err
 * maps to (w32_fail) or the one given (w32_fail_as). */
sp_status w32_fail(sp_sys *sys, DWORD err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
sp_status w32_fail_as(sp_sys *sys, sp_status st, DWORD err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The out-of-memory failure, which needs no allocation to report. */
sp_status w32_nomem(sp_sys *sys, const char *what);

/* FILETIME (100 ns since 1601) to Unix seconds. */
int64_t w32_filetime_to_unix(const FILETIME *ft);

#endif
