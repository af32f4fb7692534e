/* Text at the UI edge: UTF-8 <-> UTF-16, string-table loading and %1 formatting. */
#ifndef SP_TEXT_H
#define SP_TEXT_H

#include <windows.h>
#include <stdint.h>

wchar_t *sp_wide(const char *utf8);         /* heap; NULL on NULL */
char *sp_utf8(const wchar_t *wide);         /* heap; NULL on NULL */
/* A string-table entry as a heap copy ("" when missing). */
wchar_t *sp_load(HINSTANCE hinst, UINT id);
/* A string-table entry with %1..%n replaced by args (FormatMessage rules). */
wchar_t *sp_format(HINSTANCE hinst, UINT id, int nargs, const wchar_t *const *args);
wchar_t *sp_format1(HINSTANCE hinst, UINT id, const wchar_t *arg);
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
