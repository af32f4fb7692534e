/* Text at the UI edge: UTF-8 <-> UTF-16, string-table loading and %1 formatting. */
#ifndef SP_TEXT_H
#define SP_TEXT_H

#include <windows.h>
#include <stdint.h>

/* The wizard's language, chosen once at start: German or English (US). Every string, dialog and
 * report is looked up in it with an explicit language (FindResourceExW), never through the
 * thread's locale, which Server 2003 cannot set to a UI language. */
#define SP_LANG_EN_US MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US)
#define SP_LANG_DE_DE MAKELANGID(LANG_GERMAN, SUBLANG_GERMAN)
/* The language for a user interface language: German for any German, else English. */
LANGID sp_lang_for_ui(LANGID ui);
/* "de-DE" or "en-US" (any case) to the language; 0 for anything else. */
LANGID sp_lang_from_name(const char *name);
void sp_lang_set(LANGID lang);
LANGID sp_lang(void);
/* The counted string of id in its string-table block (the RT_STRING resource id/16+1, bytes long):
 * its characters and *len, or NULL when the block lacks it or it is empty. Also the GUI test's. */
static inline const WCHAR *sp_string_in_block(const WCHAR *p, DWORD bytes, UINT id, int *len)
{
    const WCHAR *end = p ? p + bytes / sizeof *p : NULL;
    if (!p)
        return NULL;
    for (UINT i = 0; i < (id & 15); i++) {
        if (p >= end)
            return NULL;
        p += 1 + *p;
    }
    if (p >= end || *p == 0 || p + 1 + *p > end)
        return NULL;
    *len = *p;
    return p + 1;
}
/* The dialog template id in the wizard's language (en-US when it has none); NULL if missing. */
LPCDLGTEMPLATEW sp_dialog_template(HINSTANCE hinst, UINT id);

wchar_t *sp_wide(const char *utf8);         /* heap; NULL on NULL */
char *sp_utf8(const wchar_t *wide);         /* heap; NULL on NULL */
/* A string-table entry as a heap copy ("" when missing). */
wchar_t *sp_load(HINSTANCE hinst, UINT id);
/* A string-table entry with %1..%n replaced by args (FormatMessage rules). */
wchar_t *sp_format(HINSTANCE hinst, UINT id, int nargs, const wchar_t *const *args);
wchar_t *sp_format1(HINSTANCE hinst, UINT id, const wchar_t *arg);
/* A finding's arg as shown: a string-table reference (sp_arg_ref) in the wizard's language. */
wchar_t *sp_arg_wide(HINSTANCE hinst, const char *arg);
/* Same, arguments in UTF-8. */
wchar_t *sp_format_u8(HINSTANCE hinst, UINT id, const char *arg1, const char *arg2);
/* A Unix time as the user's short date and time. */
void sp_format_time(int64_t t, wchar_t *out, int outlen);
/* Sets a control's text from a string-table entry. */
void sp_set_text(HWND dlg, int ctrl, HINSTANCE hinst, UINT id);
/* The core's text callback (sp_text_fn): UTF-8 text of an ID with one argument. */
char *sp_text_for_core(void *hinst, unsigned id, const char *arg);
/* Which SourcePrep this is: "0.1.0, 32-bit exe (x86)" (heap). */
wchar_t *sp_exe_description(HINSTANCE hinst);

#endif
