/* The wizard's words in the walk's language: read from sourceprep.exe's own string table, so
 * that one walk asserts the same texts in English and in German. */
#include "tests/gui/gui.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "pages/ui/text.h"

static HMODULE exe_texts;
static LANGID walk_lang = MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US);

BOOL gui_texts_open(const wchar_t *exe, const wchar_t *lang)
{
    if (lang && _wcsicmp(lang, L"de-DE") == 0)
        walk_lang = MAKELANGID(LANG_GERMAN, SUBLANG_GERMAN);
    else if (lang && _wcsicmp(lang, L"en-US") != 0)
        return FALSE;
    exe_texts = LoadLibraryExW(exe, NULL, LOAD_LIBRARY_AS_DATAFILE);
    return exe_texts != NULL;
}

BOOL gui_lang_is_german(void)
{
    return PRIMARYLANGID(walk_lang) == LANG_GERMAN;
}

/* The counted string of id in the walk's language, found as the wizard finds it. */
static const WCHAR *find_string(UINT id, int *len)
{
    HRSRC r = exe_texts ? FindResourceExW(exe_texts, (LPCWSTR)RT_STRING, MAKEINTRESOURCEW(id / 16 + 1), walk_lang) : NULL;
    HGLOBAL g = r ? LoadResource(exe_texts, r) : NULL;
    return sp_string_in_block(g ? LockResource(g) : NULL, r ? SizeofResource(exe_texts, r) : 0, id, len);
}

char *gui_string(UINT id)
{
    int n = 0, m;
    const WCHAR *w = find_string(id, &n);
    char *out;
    m = w ? WideCharToMultiByte(CP_UTF8, 0, w, n, NULL, 0, NULL, NULL) : 0;
    out = malloc((size_t)m + 1);
    if (!out)
        return NULL;
    if (m)
        WideCharToMultiByte(CP_UTF8, 0, w, n, out, m, NULL, NULL);
    out[m] = 0;
    return out;
}

/* Whether text[at..] matches the pieces from k on, a NULL piece matching anything. */
static BOOL match_from(const char *text, char **pieces, int count, int k)
{
    if (k == count)
        return TRUE;
    if (!pieces[k]) {
        for (const char *t = text;; t++) {
            if (match_from(t, pieces, count, k + 1))
                return TRUE;
            if (!*t)
                return FALSE;
        }
    }
    size_t n = strlen(pieces[k]);
    return strncmp(text, pieces[k], n) == 0 && match_from(text + n, pieces, count, k + 1);
}

BOOL gui_says_with(const char *text, UINT id, const char *const *args, int nargs)
{
    char *fmt = gui_string(id), *pieces[64], *buf, *o;
    int count = 0;
    BOOL ok;
    if (!fmt || !fmt[0] || !text) {
        free(fmt);
        return FALSE;
    }
    buf = malloc(strlen(fmt) * 2 + 64 * 2 + 2);
    o = buf;
    /* Anything before; the literal runs of the format and its arguments; anything after. */
    pieces[count++] = NULL;
    pieces[count++] = o;
    for (const char *f = fmt; *f && count < 60; f++) {
        if (*f != '%') {
            *o++ = *f;
            continue;
        }
        f++;
        if (*f >= '1' && *f <= '9') {
            int a = *f - '0';
            if (f[1] >= '0' && f[1] <= '9')
                a = a * 10 + (*++f - '0');
            if (f[1] == '!') { /* %1!d!: the argument's format */
                const char *bang = strchr(f + 2, '!');
                if (bang)
                    f = bang;
            }
            *o++ = 0;
            pieces[count++] = a <= nargs && args[a - 1] ? (char *)args[a - 1] : NULL;
            pieces[count++] = o;
        } else if (*f == 'n') {
            *o++ = '\r';
            *o++ = '\n';
        } else if (*f) {
            *o++ = *f; /* %% and the like: the character itself */
        } else {
            break;
        }
    }
    *o = 0;
    pieces[count++] = NULL;
    ok = match_from(text, pieces, count, 0);
    free(buf);
    free(fmt);
    return ok;
}

BOOL gui_says(const char *text, UINT id)
{
    return gui_says_with(text, id, NULL, 0);
}
