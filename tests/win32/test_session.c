/* The core on the real win32 backend under Wine: detection by Windows version, the state file,
 * and the journal undoing real file and registry changes byte for byte. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"
#include "core/session.h"
#include "core/state.h"
#include "core/sys/win32/win32.h"
#include "core/sysinfo.h"
#include "tests/win32/wtest.h"

/* A fresh folder under %TEMP% for each test. */
static void temp_dir(sp_sys *sys, char *out, size_t n)
{
    char tmp[300];
    static int serial;
    sys->ops->folder(sys, SP_FOLDER_TEMP, tmp, sizeof tmp);
    snprintf(out, n, "%s\\sp-session-%lu-%lu-%d", tmp, (unsigned long)GetCurrentProcessId(),
             (unsigned long)GetTickCount(), ++serial);
    sys->ops->dir_create(sys, out);
}

static int same_file(sp_sys *sys, const char *path, const void *data, size_t size)
{
    unsigned char *d = NULL;
    size_t n = 0;
    int same;
    if (sys->ops->file_read(sys, path, &d, &n) != SP_OK)
        return 0;
    same = n == size && memcmp(d, data, n) == 0;
    free(d);
    return same;
}

WTEST(sysinfo_should_name_the_windows_version_wine_reports)
{
    sp_sys *sys = sp_win32_open();
    sp_sysinfo info;
    char line[400];
    const char *want = getenv("SP_EXPECT_VERSION");
    WCHECK(sys != NULL);
    WCHECK_EQ_INT(sp_sysinfo_detect(sys, &info), SP_OK);
    sp_sysinfo_describe(&info, line, sizeof line);
    wtest_note("detected: %s", line);
    /* 64-bit Wine for the x64 tests, the i386 root's 32-bit Wine for the x86 ones. */
    WCHECK_EQ_INT(info.bits, (int)sizeof(void *) * 8);
    WCHECK_EQ_INT(info.exchange, SP_EXCHANGE_NONE);
    if (want && strcmp(want, "win2003") == 0) {
        WCHECK_EQ_INT(info.product, SP_PRODUCT_SERVER2003);
        WCHECK(strstr(line, sizeof(void *) == 8 ? "Windows Server 2003 SP2, 64-bit" : "Windows Server 2003 SP2, 32-bit") == line);
        WCHECK(sp_sysinfo_applicable(&info) & SP_APPLIES(policy));
    } else if (want && strcmp(want, "win2008") == 0) {
        WCHECK_EQ_INT(info.product, SP_PRODUCT_SERVER2008);
        WCHECK(!(sp_sysinfo_applicable(&info) & SP_APPLIES(policy)));
    } else if (want && strcmp(want, "win2008r2") == 0) {
        /* Wine 8 swaps the product types of win7 and win2008r2: it reports a workstation,
         * and a workstation is what the wizard must then refuse to prepare. */
        WCHECK_EQ_INT(info.os.product_type, 1);
        WCHECK_EQ_INT(info.product, SP_PRODUCT_CLIENT);
    } else if (want && strcmp(want, "win7") == 0) {
        WCHECK_EQ_INT(info.product, SP_PRODUCT_SERVER2008R2);
        WCHECK(strstr(line, "Windows Server 2008 R2 SP1") == line);
    }
    sp_sys_close(sys);
}

WTEST(journal_should_undo_a_rewrite_of_a_utf16_file_byte_for_byte)
{
    /* GptTmpl.inf as secedit writes it: UTF-16LE with a BOM and CRLF. */
    static const unsigned char original[] = {0xff, 0xfe, '[', 0, 'U', 0, ']', 0, '\r', 0, '\n', 0,
                                             'S', 0,   'e', 0, '=', 0, '*', 0, '\r', 0, '\n', 0};
    sp_sys *sys = sp_win32_open();
    sp_journal *j = NULL;
    char dir[400], file[460];
    size_t undone = 0;
    temp_dir(sys, dir, sizeof dir);
    snprintf(file, sizeof file, "%s\\GptTmpl.inf", dir);
    WCHECK_EQ_INT(sys->ops->file_write_atomic(sys, file, original, sizeof original), SP_OK);
    WCHECK_EQ_INT(sp_journal_open(sys, dir, &j), SP_OK);
    WCHECK_EQ_INT(sp_journal_file_write(j, "policy", file, "\xff\xfe[\0U\0]\0", 8), SP_OK);
    WCHECK(same_file(sys, file, "\xff\xfe[\0U\0]\0", 8));
    WCHECK_EQ_INT(sp_journal_undo(j, NULL, &undone), SP_OK);
    WCHECK_EQ_INT(undone, 1);
    WCHECK(same_file(sys, file, original, sizeof original));
    sp_journal_close(j);
    sp_sys_close(sys);
}

WTEST(journal_should_move_a_removed_file_aside_and_bring_it_back)
{
    sp_sys *sys = sp_win32_open();
    sp_journal *j = NULL;
    char dir[400], file[460];
    sp_filestat fs;
    size_t undone = 0;
    temp_dir(sys, dir, sizeof dir);
    snprintf(file, sizeof file, "%s\\SBS_LOGIN_SCRIPT.bat", dir);
    WCHECK_EQ_INT(sys->ops->file_write_atomic(sys, file, "@echo off\r\n", 11), SP_OK);
    WCHECK_EQ_INT(sp_journal_open(sys, dir, &j), SP_OK);
    WCHECK_EQ_INT(sp_journal_file_remove(j, "policy", file), SP_OK);
    WCHECK_EQ_INT(sys->ops->file_stat(sys, file, &fs), SP_OK);
    WCHECK(!fs.exists);
    WCHECK_EQ_INT(sp_journal_undo(j, "policy", &undone), SP_OK);
    WCHECK(same_file(sys, file, "@echo off\r\n", 11));
    sp_journal_close(j);
    sp_sys_close(sys);
}

WTEST(journal_should_restore_registry_values_of_every_type_exactly)
{
    sp_sys *sys = sp_win32_open();
    sp_journal *j = NULL;
    char dir[400], key[200];
    sp_regval multi = {0}, bin = {0}, v = {0}, back = {0};
    size_t undone = 0;
    temp_dir(sys, dir, sizeof dir);
    snprintf(key, sizeof key, "HKCU\\Software\\SourcePrepTest\\journal-%lu", (unsigned long)GetCurrentProcessId());
    multi.type = SP_REG_MULTI_SZ;
    multi.data = (unsigned char *)"a\0b c\0\0";
    multi.size = 7;
    bin.type = SP_REG_BINARY;
    bin.data = (unsigned char *)"\x00\x01\xff";
    bin.size = 3;
    WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_DEFAULT, key, "Ports", &multi), SP_OK);
    WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_DEFAULT, key, "Blob", &bin), SP_OK);
    WCHECK_EQ_INT(sp_journal_open(sys, dir, &j), SP_OK);
    sp_regval_set_sz(&v, "remote.contoso.com:6001-6002");
    WCHECK_EQ_INT(sp_journal_reg_set(j, "email", SP_REG_VIEW_DEFAULT, key, "Ports", &v), SP_OK);
    WCHECK_EQ_INT(sp_journal_reg_delete(j, "email", SP_REG_VIEW_DEFAULT, key, "Blob"), SP_OK);
    WCHECK_EQ_INT(sp_journal_reg_set(j, "email", SP_REG_VIEW_DEFAULT, key, "Added", &v), SP_OK);
    sp_regval_free(&v);
    WCHECK_EQ_INT(sp_journal_undo(j, NULL, &undone), SP_OK);
    WCHECK_EQ_INT(undone, 3);
    WCHECK_EQ_INT(sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, key, "Ports", &back), SP_OK);
    WCHECK_EQ_INT(back.type, SP_REG_MULTI_SZ);
    WCHECK(back.size >= 7 && memcmp(back.data, "a\0b c\0\0", 7) == 0);
    sp_regval_free(&back);
    WCHECK_EQ_INT(sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, key, "Blob", &back), SP_OK);
    WCHECK_EQ_INT(back.type, SP_REG_BINARY);
    WCHECK(back.size == 3 && memcmp(back.data, "\x00\x01\xff", 3) == 0);
    sp_regval_free(&back);
    WCHECK_EQ_INT(sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, key, "Added", &back), SP_ERR_NOTFOUND);
    sp_journal_close(j);
    sp_sys_close(sys);
}

WTEST(state_should_be_saved_atomically_and_a_damaged_one_kept_aside)
{
    sp_sys *sys = sp_win32_open();
    sp_state *st = sp_state_new(1000), *back = NULL;
    char dir[400], path[460], aside[600];
    temp_dir(sys, dir, sizeof dir);
    snprintf(path, sizeof path, "%s\\SourcePrep\\state.json", dir);
    sp_state_mark_manual(st, "backup", "Ünïcödé reason, 日本", 1000);
    WCHECK_EQ_INT(sp_state_save(sys, path, st, 1001), SP_OK);
    WCHECK_EQ_INT(sp_state_load(sys, path, 1002, &back, aside, sizeof aside), SP_OK);
    WCHECK_EQ_STR(sp_state_step(back, "backup")->manual_reason, "Ünïcödé reason, 日本");
    sp_state_free(back);
    back = NULL;
    WCHECK_EQ_INT(sys->ops->file_write_atomic(sys, path, "{\"version\":", 11), SP_OK);
    WCHECK_EQ_INT(sp_state_load(sys, path, 1003, &back, aside, sizeof aside), SP_ERR_BADDATA);
    WCHECK(back != NULL);
    WCHECK(strstr(aside, "state.json.corrupt-1003") != NULL);
    WCHECK(same_file(sys, aside, "{\"version\":", 11));
    sp_state_free(back);
    sp_state_free(st);
    sp_sys_close(sys);
}

WTEST(session_should_open_on_the_real_machine_and_keep_its_data_in_programdata)
{
    sp_sys *sys = sp_win32_open();
    sp_session s;
    sp_filestat fs;
    WCHECK_EQ_INT(sp_session_open(&s, sys), SP_OK);
    WCHECK(strstr(s.data_dir, "\\SourcePrep") != NULL);
    WCHECK_EQ_INT(sys->ops->file_stat(sys, s.data_dir, &fs), SP_OK);
    WCHECK(fs.exists && fs.is_dir);
    WCHECK_EQ_INT(sp_session_save(&s), SP_OK);
    WCHECK_EQ_INT(sys->ops->file_stat(sys, s.state_path, &fs), SP_OK);
    WCHECK(fs.exists);
    sp_session_close(&s);
    sp_sys_close(sys);
}

WTEST_MAIN()
