/* Text at the UI edge: UTF-8 <-> UTF-16, string-table loading and %1 formatting. */
#include "pages/ui/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/step.h"
#include "core/sysinfo.h"
#include "core/version.h"
#include "resources/resource.h"

wchar_t *sp_wide(const char *s)
{
    int n;
    wchar_t *w;
    if (!s)
        return NULL;
    n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    if (n <= 0)
        n = 1;
    w = malloc((size_t)n * sizeof *w);
    if (!w)
        return NULL;
    if (!MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n))
        w[0] = 0;
    return w;
}

char *sp_utf8(const wchar_t *w)
{
    int n;
    char *s;
    if (!w)
        return NULL;
    n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        n = 1;
    s = malloc((size_t)n);
    if (!s)
        return NULL;
    if (!WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL))
        s[0] = 0;
    return s;
}

static LANGID chosen_lang = SP_LANG_EN_US;

LANGID sp_lang_for_ui(LANGID ui)
{
    return PRIMARYLANGID(ui) == LANG_GERMAN ? SP_LANG_DE_DE : SP_LANG_EN_US;
}

LANGID sp_lang_from_name(const char *name)
{
    if (name && _stricmp(name, "de-DE") == 0)
        return SP_LANG_DE_DE;
    if (name && _stricmp(name, "en-US") == 0)
        return SP_LANG_EN_US;
    return 0;
}

void sp_lang_set(LANGID lang)
{
    chosen_lang = lang;
}

LANGID sp_lang(void)
{
    return chosen_lang;
}

static const void *find_resource(HINSTANCE hinst, LPCWSTR type, LPCWSTR name, LANGID lang, DWORD *size)
{
    HRSRC r = FindResourceExW(hinst, type, name, lang);
    HGLOBAL g = r ? LoadResource(hinst, r) : NULL;
    *size = r ? SizeofResource(hinst, r) : 0;
    return g ? LockResource(g) : NULL;
}

LPCDLGTEMPLATEW sp_dialog_template(HINSTANCE hinst, UINT id)
{
    DWORD size;
    const void *t = find_resource(hinst, (LPCWSTR)RT_DIALOG, MAKEINTRESOURCEW(id), chosen_lang, &size);
    if (!t)
        t = find_resource(hinst, (LPCWSTR)RT_DIALOG, MAKEINTRESOURCEW(id), SP_LANG_EN_US, &size);
    return (LPCDLGTEMPLATEW)t;
}

/* A string-table entry in a language: a block of 16 counted strings holds IDs 16(n-1) to 16n-1. */
static const wchar_t *find_string(HINSTANCE hinst, UINT id, LANGID lang, int *len)
{
    DWORD size;
    const WCHAR *p = find_resource(hinst, (LPCWSTR)RT_STRING, MAKEINTRESOURCEW(id / 16 + 1), lang, &size);
    return sp_string_in_block(p, size, id, len);
}

wchar_t *sp_load(HINSTANCE hinst, UINT id)
{
    int n = 0;
    const wchar_t *res = find_string(hinst, id, chosen_lang, &n);
    wchar_t *copy;
    if (!res)
        res = find_string(hinst, id, SP_LANG_EN_US, &n);
    if (!res)
        n = 0;
    copy = malloc(((size_t)n + 1) * sizeof *copy);
    if (!copy)
        return NULL;
    if (n > 0)
        memcpy(copy, res, (size_t)n * sizeof *copy);
    copy[n] = 0;
    return copy;
}

wchar_t *sp_format(HINSTANCE hinst, UINT id, int nargs, const wchar_t *const *args)
{
    wchar_t *fmt = sp_load(hinst, id), *buf = NULL, *out;
    DWORD_PTR argv[9] = {0};
    DWORD n;
    if (!fmt)
        return NULL;
    for (int i = 0; i < nargs && i < 9; i++)
        argv[i] = (DWORD_PTR)(args[i] ? args[i] : L"");
    for (int i = nargs; i < 9; i++)
        argv[i] = (DWORD_PTR)L"";
    n = FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ALLOCATE_BUFFER |
                           FORMAT_MESSAGE_ARGUMENT_ARRAY,
                       fmt, 0, 0, (LPWSTR)&buf, 0, (va_list *)argv);
    if (!n || !buf)
        return fmt; /* better the raw text than nothing */
    free(fmt);
    out = _wcsdup(buf);
    LocalFree(buf);
    return out;
}

wchar_t *sp_format1(HINSTANCE hinst, UINT id, const wchar_t *arg)
{
    const wchar_t *args[1] = {arg};
    return sp_format(hinst, id, 1, args);
}

wchar_t *sp_arg_wide(HINSTANCE hinst, const char *arg)
{
    char *t = sp_arg_text(sp_text_for_core, hinst, arg);
    wchar_t *w = sp_wide(t ? t : arg);
    free(t);
    return w;
}

wchar_t *sp_format_u8(HINSTANCE hinst, UINT id, const char *arg1, const char *arg2)
{
    wchar_t *a = sp_wide(arg1 ? arg1 : ""), *b = sp_wide(arg2 ? arg2 : "");
    const wchar_t *args[2] = {a, b};
    wchar_t *out = sp_format(hinst, id, 2, args);
    free(a);
    free(b);
    return out;
}

void sp_format_time(int64_t t, wchar_t *out, int outlen)
{
    /* Unix seconds to FILETIME: 100 ns ticks since 1601. */
    ULARGE_INTEGER u;
    FILETIME ft, local;
    SYSTEMTIME st;
    wchar_t date[64], time[64];
    u.QuadPart = (ULONGLONG)(t + 11644473600LL) * 10000000ULL;
    ft.dwLowDateTime = u.LowPart;
    ft.dwHighDateTime = u.HighPart;
    FileTimeToLocalFileTime(&ft, &local);
    FileTimeToSystemTime(&local, &st);
    GetDateFormatW(LOCALE_USER_DEFAULT, DATE_SHORTDATE, &st, NULL, date, 64);
    GetTimeFormatW(LOCALE_USER_DEFAULT, TIME_NOSECONDS, &st, NULL, time, 64);
    _snwprintf(out, (size_t)outlen, L"%ls %ls", date, time);
    out[outlen - 1] = 0;
}

void sp_set_text(HWND dlg, int ctrl, HINSTANCE hinst, UINT id)
{
    wchar_t *s = sp_load(hinst, id);
    SetDlgItemTextW(dlg, ctrl, s ? s : L"");
    free(s);
}

char *sp_text_for_core(void *hinst, unsigned id, const char *arg)
{
    wchar_t *w = sp_format_u8((HINSTANCE)hinst, id, arg, NULL);
    char *s = sp_utf8(w);
    free(w);
    return s;
}

wchar_t *sp_exe_description(HINSTANCE hinst)
{
    wchar_t version[32], bits[8], arch[8];
    const wchar_t *args[3] = {version, bits, arch};
    _snwprintf(version, 32, L"%hs", SP_VERSION);
    _snwprintf(bits, 8, L"%d", sp_exe_bits());
    _snwprintf(arch, 8, L"%hs", sp_exe_arch());
    version[31] = bits[7] = arch[7] = 0;
    return sp_format(hinst, IDS_EXE_DESCRIPTION, 3, args);
}
