/* Undo on the real registry under Wine (issue 18 item 7): values UTF-8 cannot carry (a NUL inside a REG_SZ, a lone surrogate, no terminator) come back byte for byte. */
#include "core/journal.h"
#include "core/sys/sys.h"
#include "core/sys/win32/win32.h"
#include "tests/win32/wtest.h"

#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sp_sys *the_sys;
static char run_id[64];

static sp_sys *backend(void)
{
    if (!the_sys)
        the_sys = sp_win32_open();
    return the_sys;
}

static const char *run_name(void)
{
    if (!run_id[0])
        snprintf(run_id, sizeof run_id, "undo-%lu-%lu", (unsigned long)GetCurrentProcessId(),
                 (unsigned long)GetTickCount());
    return run_id;
}

/* The journal's folder: a fresh one under %TEMP%; "" when none could be made. */
static const char *journal_dir(void)
{
    static char dir[MAX_PATH * 3];
    if (!dir[0]) {
        char base[MAX_PATH * 3];
        if (backend()->ops->folder(backend(), SP_FOLDER_TEMP, base, sizeof base) != SP_OK)
            return "";
        snprintf(dir, sizeof dir, "%s\\sp-%s", base, run_name());
        if (backend()->ops->dir_create(backend(), dir) != SP_OK)
            dir[0] = '\0';
    }
    return dir;
}

static const char *key_name(void)
{
    static char key[160];
    snprintf(key, sizeof key, "HKCU\\Software\\SourcePrepTest\\%s", run_name());
    return key;
}

static const wchar_t *key_wide(void)
{
    static wchar_t sub[160];
    swprintf(sub, 160, L"Software\\SourcePrepTest\\%hs", run_name());
    return sub;
}

/* Writes the value with RegSetValueExW itself, as another program would; a non-NUL guard after
 * the bytes keeps RegSetValueExW from counting a terminator the data does not have. */
static LONG put(const wchar_t *name, DWORD type, const void *data, DWORD size)
{
    HKEY h = NULL;
    BYTE buf[256];
    LONG rc = RegCreateKeyExW(HKEY_CURRENT_USER, key_wide(), 0, NULL, 0, KEY_SET_VALUE, NULL, &h, NULL);
    if (size + 2 > sizeof buf)
        return ERROR_INVALID_PARAMETER;
    memcpy(buf, data, size);
    buf[size] = buf[size + 1] = 0xFF;
    if (rc == ERROR_SUCCESS) {
        rc = RegSetValueExW(h, name, 0, type, buf, size);
        RegCloseKey(h);
    }
    return rc;
}

/* 1 when the value holds exactly type and the size bytes of data, as RegQueryValueExW reads it. */
static int holds(const wchar_t *name, DWORD type, const void *data, DWORD size)
{
    HKEY h = NULL;
    BYTE got[256];
    DWORD got_type = 0, got_size = sizeof got;
    LONG rc = RegOpenKeyExW(HKEY_CURRENT_USER, key_wide(), 0, KEY_QUERY_VALUE, &h);
    if (rc != ERROR_SUCCESS)
        return 0;
    rc = RegQueryValueExW(h, name, NULL, &got_type, got, &got_size);
    RegCloseKey(h);
    if (rc != ERROR_SUCCESS || got_type != type || got_size != size || memcmp(got, data, size) != 0) {
        wtest_note("%ls: rc %ld, type %lu, %lu bytes", name, (long)rc, (unsigned long)got_type,
                   (unsigned long)got_size);
        return 0;
    }
    return 1;
}

static const wchar_t nul_inside[] = {L'a', 0, L'b', 0};
static const wchar_t lone_surrogate[] = {0xD800, L'x', 0};
static const wchar_t no_terminator[] = {L'o', L'k'};
static const wchar_t multi_gap[] = {L'p', 0, 0, L'q', 0, 0};

/* Each value is replaced (or deleted) through the journal, then undone. */
static void check_undo(const wchar_t *wname, const char *name, DWORD type, const void *data, DWORD size, int del)
{
    sp_journal *j = NULL;
    sp_regval v = {0};
    size_t undone = 0;
    WCHECK(journal_dir()[0] != '\0');
    WCHECK_EQ_INT(put(wname, type, data, size), ERROR_SUCCESS);
    WCHECK_EQ_INT(sp_journal_open(backend(), journal_dir(), &j), SP_OK);
    sp_regval_set_sz(&v, "SBS01:6001-6002;remote.contoso.com:6001-6002");
    if (del)
        WCHECK_EQ_INT(sp_journal_reg_delete(j, "email", SP_REG_VIEW_DEFAULT, key_name(), name), SP_OK);
    else
        WCHECK_EQ_INT(sp_journal_reg_set(j, "email", SP_REG_VIEW_DEFAULT, key_name(), name, &v), SP_OK);
    sp_regval_free(&v);
    /* Undone by a later run, from the journal on disk. */
    sp_journal_close(j);
    WCHECK_EQ_INT(sp_journal_open(backend(), journal_dir(), &j), SP_OK);
    sp_status st = sp_journal_undo(j, NULL, &undone);
    sp_journal_close(j);
    WCHECK_MSG(st == SP_OK, "undo: %s", backend()->last_error);
    WCHECK_EQ_INT(undone, 1);
    WCHECK_MSG(holds(wname, type, data, size), "%s is not back byte for byte", name);
}

WTEST(undo_should_bring_back_a_reg_sz_with_a_nul_inside_byte_for_byte)
{
    check_undo(L"nul", "nul", REG_SZ, nul_inside, sizeof nul_inside, 0);
}

WTEST(undo_should_bring_back_a_reg_sz_with_a_lone_surrogate_byte_for_byte)
{
    check_undo(L"lone", "lone", REG_SZ, lone_surrogate, sizeof lone_surrogate, 0);
}

WTEST(undo_of_a_delete_should_bring_back_a_lone_surrogate_byte_for_byte)
{
    check_undo(L"lone-del", "lone-del", REG_SZ, lone_surrogate, sizeof lone_surrogate, 1);
}

WTEST(undo_should_bring_back_a_string_without_terminator_and_a_gapped_list)
{
    check_undo(L"open", "open", REG_EXPAND_SZ, no_terminator, sizeof no_terminator, 0);
    check_undo(L"multi", "multi", REG_MULTI_SZ, multi_gap, sizeof multi_gap, 1);
}

WTEST(undo_should_bring_back_binary_and_dword_values)
{
    static const BYTE bin[] = {0x00, 0xFF, 0x00, 0xD8, 0x7F};
    static const BYTE dw[] = {0x78, 0x56, 0x34, 0x12};
    check_undo(L"bin", "bin", REG_BINARY, bin, sizeof bin, 0);
    check_undo(L"dw", "dw", REG_DWORD, dw, sizeof dw, 1);
}

/* What the journal writes for a string is what reg_set would have stored, read back as UTF-8. */
WTEST(a_string_written_through_the_journal_should_read_back_as_written)
{
    sp_journal *j = NULL;
    sp_regval v = {0};
    char got[64];
    static const wchar_t want[] = {L'\x20AC', L'-', L'\xD834', L'\xDD1E', 0};
    WCHECK_EQ_INT(sp_journal_open(backend(), journal_dir(), &j), SP_OK);
    sp_regval_set_sz(&v, "\xE2\x82\xAC-\xF0\x9D\x84\x9E");
    sp_status st = sp_journal_reg_set(j, "email", SP_REG_VIEW_DEFAULT, key_name(), "plain", &v);
    sp_regval_free(&v);
    sp_journal_close(j);
    WCHECK_EQ_INT(st, SP_OK);
    WCHECK(holds(L"plain", REG_SZ, want, sizeof want));
    WCHECK_EQ_INT(sp_reg_get_string(backend(), SP_REG_VIEW_DEFAULT, key_name(), "plain", got, sizeof got), SP_OK);
    WCHECK(strcmp(got, "\xE2\x82\xAC-\xF0\x9D\x84\x9E") == 0);
}

WTEST(zz_cleanup)
{
    RegDeleteKeyW(HKEY_CURRENT_USER, key_wide());
    sp_sys_close(the_sys);
    the_sys = NULL;
}

WTEST_MAIN()
