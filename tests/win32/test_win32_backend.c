/* Tests of the real win32 backend against what Wine provides: registry, files, processes, services, OS facts. */
#include "core/sys/sys.h"
#include "core/sys/win32/win32.h"
#include "core/sys/win32/win32_cmdline.h"
#include "tests/win32/wtest.h"

#include <windows.h>
#include <shellapi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- shared fixtures ------------------------------------------------------------------ */

static sp_sys *the_sys;
static char run_id[64];

static sp_sys *backend(void)
{
    if (!the_sys)
        the_sys = sp_win32_open();
    return the_sys;
}

/* One name per run, so that runs never see each other's keys or files. */
static const char *run_name(void)
{
    if (!run_id[0])
        snprintf(run_id, sizeof run_id, "run-%lu-%lu", (unsigned long)GetCurrentProcessId(),
                 (unsigned long)GetTickCount());
    return run_id;
}

/* "HKCU\\Software\\SourcePrepTest\\<run>\\<leaf>" and the like. */
static const char *test_key(char *buf, size_t n, const char *root, const char *leaf)
{
    snprintf(buf, n, "%s\\Software\\SourcePrepTest\\%s%s%s", root, run_name(), leaf[0] ? "\\" : "",
             leaf);
    return buf;
}

static const char *temp_dir(void)
{
    static char dir[MAX_PATH * 3];
    if (!dir[0]) {
        char base[MAX_PATH * 3];
        if (backend()->ops->folder(backend(), SP_FOLDER_TEMP, base, sizeof base) != SP_OK)
            return NULL;
        snprintf(dir, sizeof dir, "%s\\sourceprep-test-%s", base, run_name());
        if (backend()->ops->dir_create(backend(), dir) != SP_OK) {
            dir[0] = '\0';
            return NULL;
        }
    }
    return dir;
}

static const char *temp_path(char *buf, size_t n, const char *name)
{
    const char *dir = temp_dir();
    snprintf(buf, n, "%s\\%s", dir ? dir : "Z:\\nowhere", name);
    return buf;
}

static int contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

/* ---- registry ------------------------------------------------------------------------- */

static sp_status set_raw(const char *key, const char *value, sp_reg_type type, const void *data,
                         size_t size)
{
    sp_regval v = {type, (unsigned char *)data, size};
    return backend()->ops->reg_set(backend(), SP_REG_VIEW_DEFAULT, key, value, &v);
}

static int regval_is(const sp_regval *v, sp_reg_type type, const void *data, size_t size)
{
    return v->type == type && v->size == size && memcmp(v->data, data, size) == 0;
}

/* Writes a value, reads it back and compares type, size and bytes. */
static void check_round_trip(const char *value, sp_reg_type type, const void *data, size_t size)
{
    char key[256];
    sp_regval got = {0};
    test_key(key, sizeof key, "HKCU", "types");
    WCHECK_EQ_INT(set_raw(key, value, type, data, size), SP_OK);
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_DEFAULT, key, value, &got), SP_OK);
    int same = regval_is(&got, type, data, size);
    int got_type = (int)got.type;
    unsigned long got_size = (unsigned long)got.size;
    sp_regval_free(&got);
    WCHECK_MSG(same, "value %s came back as type %d, %lu bytes", value, got_type, got_size);
}

WTEST(reg_set_then_get_should_round_trip_a_non_ascii_string)
{
    const char s[] = "Grüße aus 日本";
    check_round_trip("sz", SP_REG_SZ, s, sizeof s);
}

WTEST(reg_set_then_get_should_keep_an_expand_string_unexpanded)
{
    const char s[] = "%SystemRoot%\\system32";
    check_round_trip("expand", SP_REG_EXPAND_SZ, s, sizeof s);
}

WTEST(reg_set_then_get_should_round_trip_a_multi_string_list)
{
    const char s[] = "one\0zwei drei\0vier-ü\0";
    check_round_trip("multi", SP_REG_MULTI_SZ, s, sizeof s);
}

WTEST(reg_set_then_get_should_round_trip_an_empty_multi_string_list)
{
    check_round_trip("multi-empty", SP_REG_MULTI_SZ, "", 1);
}

WTEST(reg_set_then_get_should_round_trip_dword_qword_and_binary)
{
    const unsigned char dword[4] = {0xEF, 0xBE, 0xAD, 0xDE};
    const unsigned char qword[8] = {0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01};
    const unsigned char binary[5] = {0, 1, 0, 0xFF, 0};
    check_round_trip("dword", SP_REG_DWORD, dword, sizeof dword);
    check_round_trip("qword", SP_REG_QWORD, qword, sizeof qword);
    check_round_trip("binary", SP_REG_BINARY, binary, sizeof binary);
    check_round_trip("binary-empty", SP_REG_BINARY, "", 0);
    char key[256];
    uint32_t d = 0;
    WCHECK_EQ_INT(sp_reg_get_dword(backend(), SP_REG_VIEW_DEFAULT, test_key(key, sizeof key, "HKCU", "types"),
                                   "dword", &d),
                  SP_OK);
    WCHECK_EQ_INT(d, 0xDEADBEEFu);
}

WTEST(reg_set_should_refuse_a_dword_of_the_wrong_size)
{
    char key[256];
    WCHECK_EQ_INT(set_raw(test_key(key, sizeof key, "HKCU", "types"), "bad", SP_REG_DWORD, "ab", 2),
                  SP_ERR_INVALID);
}

/* Programs other than ours store strings without their terminator; reads must cope. */
WTEST(reg_get_should_read_strings_stored_without_a_terminator)
{
    HKEY h = NULL;
    char key[256];
    sp_regval got = {0};
    wchar_t sub[128];
    swprintf(sub, 128, L"Software\\SourcePrepTest\\%hs\\raw", run_name());
    WCHECK_EQ_INT(RegCreateKeyExW(HKEY_CURRENT_USER, sub, 0, NULL, 0, KEY_SET_VALUE, NULL, &h, NULL),
                  ERROR_SUCCESS);
    LONG rc1 = RegSetValueExW(h, L"sz", 0, REG_SZ, (const BYTE *)L"abc", 3 * sizeof(wchar_t));
    LONG rc2 = RegSetValueExW(h, L"multi", 0, REG_MULTI_SZ, (const BYTE *)L"ab\0cd", 5 * sizeof(wchar_t));
    RegCloseKey(h);
    WCHECK_EQ_INT(rc1, ERROR_SUCCESS);
    WCHECK_EQ_INT(rc2, ERROR_SUCCESS);
    test_key(key, sizeof key, "HKCU", "raw");
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_DEFAULT, key, "sz", &got), SP_OK);
    int sz_ok = regval_is(&got, SP_REG_SZ, "abc", 4);
    sp_regval_free(&got);
    WCHECK(sz_ok);
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_DEFAULT, key, "multi", &got), SP_OK);
    int multi_ok = regval_is(&got, SP_REG_MULTI_SZ, "ab\0cd\0", 7);
    sp_regval_free(&got);
    WCHECK(multi_ok);
}

WTEST(reg_should_accept_long_and_lower_case_root_names)
{
    char key[256], longkey[256];
    char s[64];
    test_key(key, sizeof key, "hkcu", "roots");
    WCHECK_EQ_INT(set_raw(key, "v", SP_REG_SZ, "long", 5), SP_OK);
    test_key(longkey, sizeof longkey, "HKEY_CURRENT_USER", "roots\\");
    WCHECK_EQ_INT(sp_reg_get_string(backend(), SP_REG_VIEW_DEFAULT, longkey, "v", s, sizeof s), SP_OK);
    WCHECK_EQ_STR(s, "long");
}

WTEST(reg_should_refuse_a_key_without_a_known_root)
{
    sp_regval got = {0};
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_DEFAULT, "HKXX\\Software", "v", &got),
                  SP_ERR_INVALID);
    WCHECK(contains(backend()->last_error, "HKXX\\Software"));
}

WTEST(reg_get_should_report_a_missing_key_as_notfound_with_a_sentence)
{
    char key[256];
    sp_regval got = {0};
    test_key(key, sizeof key, "HKCU", "no-such-key");
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_DEFAULT, key, "v", &got),
                  SP_ERR_NOTFOUND);
    char want[300];
    snprintf(want, sizeof want, "Could not open registry key %s: ", key);
    WCHECK_MSG(strncmp(backend()->last_error, want, strlen(want)) == 0, "last_error: %s",
               backend()->last_error);
    WCHECK_MSG(contains(backend()->last_error, " (2)"), "last_error: %s", backend()->last_error);
}

WTEST(reg_get_should_report_a_missing_value_as_notfound)
{
    char key[256];
    sp_regval got = {0};
    test_key(key, sizeof key, "HKCU", "types");
    WCHECK_EQ_INT(set_raw(key, "present", SP_REG_SZ, "x", 2), SP_OK);
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_DEFAULT, key, "absent", &got),
                  SP_ERR_NOTFOUND);
    WCHECK_MSG(contains(backend()->last_error, "\"absent\""), "last_error: %s", backend()->last_error);
}

/* An empty DACL denies everyone, the administrator included; Wine enforces it too. */
WTEST(reg_get_should_report_a_key_it_may_not_open_as_access)
{
    HKEY h = NULL;
    char key[256];
    sp_regval got = {0};
    SECURITY_DESCRIPTOR sd;
    ACL empty;
    wchar_t sub[128];
    swprintf(sub, 128, L"Software\\SourcePrepTest\\%hs\\denied", run_name());
    WCHECK_EQ_INT(RegCreateKeyExW(HKEY_CURRENT_USER, sub, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &h, NULL),
                  ERROR_SUCCESS);
    InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION);
    InitializeAcl(&empty, sizeof empty, ACL_REVISION);
    SetSecurityDescriptorDacl(&sd, TRUE, &empty, FALSE);
    LONG rc = RegSetKeySecurity(h, DACL_SECURITY_INFORMATION, &sd);
    RegCloseKey(h);
    WCHECK_EQ_INT(rc, ERROR_SUCCESS);
    sp_status st = backend()->ops->reg_get(backend(), SP_REG_VIEW_DEFAULT,
                                           test_key(key, sizeof key, "HKCU", "denied"), "v", &got);
    char error[sizeof backend()->last_error];
    snprintf(error, sizeof error, "%s", backend()->last_error);
    /* Give access back (the owner keeps WRITE_DAC) so that the cleanup can delete the key. */
    SetSecurityDescriptorDacl(&sd, TRUE, NULL, FALSE);
    if (RegOpenKeyExW(HKEY_CURRENT_USER, sub, 0, WRITE_DAC, &h) == ERROR_SUCCESS) {
        RegSetKeySecurity(h, DACL_SECURITY_INFORMATION, &sd);
        RegCloseKey(h);
    }
    WCHECK_EQ_INT(st, SP_ERR_ACCESS);
    WCHECK_MSG(contains(error, "(5)"), "last_error: %s", error);
}

WTEST(reg_delete_value_should_remove_it_and_then_report_notfound)
{
    char key[256];
    sp_regval got = {0};
    test_key(key, sizeof key, "HKCU", "delete");
    WCHECK_EQ_INT(set_raw(key, "doomed", SP_REG_SZ, "x", 2), SP_OK);
    WCHECK_EQ_INT(backend()->ops->reg_delete_value(backend(), SP_REG_VIEW_DEFAULT, key, "doomed"), SP_OK);
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_DEFAULT, key, "doomed", &got),
                  SP_ERR_NOTFOUND);
    WCHECK_EQ_INT(backend()->ops->reg_delete_value(backend(), SP_REG_VIEW_DEFAULT, key, "doomed"),
                  SP_ERR_NOTFOUND);
}

typedef struct {
    char names[8][32];
    int count;
    int stop_after;
} name_sink;

static int collect_name(void *user, const char *name)
{
    name_sink *s = user;
    if (s->count < 8)
        snprintf(s->names[s->count], sizeof s->names[0], "%s", name);
    s->count++;
    return s->stop_after && s->count >= s->stop_after;
}

static int sink_has(const name_sink *s, const char *name)
{
    for (int i = 0; i < s->count && i < 8; i++)
        if (strcmp(s->names[i], name) == 0)
            return 1;
    return 0;
}

WTEST(reg_enum_should_list_subkeys_and_values_including_the_default_value)
{
    char key[256], sub[256];
    name_sink keys = {0}, values = {0}, first = {.stop_after = 1};
    test_key(key, sizeof key, "HKCU", "enum");
    const char *children[] = {"alpha", "Beta", "gamma-ß"};
    for (int i = 0; i < 3; i++) {
        snprintf(sub, sizeof sub, "%s\\%s", key, children[i]);
        WCHECK_EQ_INT(set_raw(sub, "x", SP_REG_SZ, "1", 2), SP_OK);
    }
    WCHECK_EQ_INT(set_raw(key, "", SP_REG_SZ, "default", 8), SP_OK);
    WCHECK_EQ_INT(set_raw(key, "named", SP_REG_SZ, "n", 2), SP_OK);
    WCHECK_EQ_INT(backend()->ops->reg_enum_keys(backend(), SP_REG_VIEW_DEFAULT, key, collect_name, &keys), SP_OK);
    WCHECK_EQ_INT(keys.count, 3);
    WCHECK(sink_has(&keys, "alpha") && sink_has(&keys, "Beta") && sink_has(&keys, "gamma-ß"));
    WCHECK_EQ_INT(backend()->ops->reg_enum_values(backend(), SP_REG_VIEW_DEFAULT, key, collect_name, &values), SP_OK);
    WCHECK_EQ_INT(values.count, 2);
    WCHECK(sink_has(&values, "") && sink_has(&values, "named"));
    WCHECK_EQ_INT(backend()->ops->reg_enum_keys(backend(), SP_REG_VIEW_DEFAULT, key, collect_name, &first), SP_OK);
    WCHECK_EQ_INT(first.count, 1);
    char s[32];
    WCHECK_EQ_INT(sp_reg_get_string(backend(), SP_REG_VIEW_DEFAULT, key, NULL, s, sizeof s), SP_OK);
    WCHECK_EQ_STR(s, "default");
}

WTEST(reg_enum_should_report_a_missing_key_as_notfound)
{
    char key[256];
    name_sink keys = {0};
    test_key(key, sizeof key, "HKCU", "no-such-key");
    WCHECK_EQ_INT(backend()->ops->reg_enum_keys(backend(), SP_REG_VIEW_DEFAULT, key, collect_name, &keys),
                  SP_ERR_NOTFOUND);
    WCHECK_EQ_INT(keys.count, 0);
}

WTEST(reg_should_write_and_read_under_hklm_as_the_administrator_wine_runs_as)
{
    char key[256], s[32];
    test_key(key, sizeof key, "HKLM", "machine");
    WCHECK_EQ_INT(set_raw(key, "v", SP_REG_SZ, "machine-wide", 13), SP_OK);
    WCHECK_EQ_INT(sp_reg_get_string(backend(), SP_REG_VIEW_DEFAULT, key, "v", s, sizeof s), SP_OK);
    WCHECK_EQ_STR(s, "machine-wide");
}

/* HKLM\Software is redirected for 32-bit programs (Wow6432Node): a value written in the 32-bit
 * view must not be seen in the 64-bit view, and the other way round. Wine keeps the two
 * apart in the same way in a 64-bit prefix. On 32-bit Windows (the x86 exe under the i386
 * root's Wine, as on SBS 2003) there is one view, and both names reach it. */
WTEST(reg_views_should_keep_32_and_64_bit_hklm_software_apart)
{
    char key[256], s[32];
    sp_regval got = {0};
    test_key(key, sizeof key, "HKLM", "views");
    if (sizeof(void *) == 4) {
        WCHECK_EQ_INT(backend()->ops->reg_set(backend(), SP_REG_VIEW_32, key, "one",
                                              &(sp_regval){SP_REG_SZ, (unsigned char *)"1", 2}),
                      SP_OK);
        WCHECK_EQ_INT(sp_reg_get_string(backend(), SP_REG_VIEW_64, key, "one", s, sizeof s), SP_OK);
        WCHECK_EQ_STR(s, "1");
        WCHECK_EQ_INT(sp_reg_get_string(backend(), SP_REG_VIEW_DEFAULT, key, "one", s, sizeof s), SP_OK);
        WCHECK_EQ_STR(s, "1");
        return;
    }
    WCHECK_EQ_INT(backend()->ops->reg_set(backend(), SP_REG_VIEW_32, key, "only32",
                                          &(sp_regval){SP_REG_SZ, (unsigned char *)"32", 3}),
                  SP_OK);
    WCHECK_EQ_INT(sp_reg_get_string(backend(), SP_REG_VIEW_32, key, "only32", s, sizeof s), SP_OK);
    WCHECK_EQ_STR(s, "32");
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_64, key, "only32", &got), SP_ERR_NOTFOUND);
    /* This program is 64-bit: its default view is the 64-bit one. */
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_DEFAULT, key, "only32", &got),
                  SP_ERR_NOTFOUND);
    WCHECK_EQ_INT(backend()->ops->reg_set(backend(), SP_REG_VIEW_64, key, "only64",
                                          &(sp_regval){SP_REG_SZ, (unsigned char *)"64", 3}),
                  SP_OK);
    WCHECK_EQ_INT(backend()->ops->reg_get(backend(), SP_REG_VIEW_32, key, "only64", &got), SP_ERR_NOTFOUND);
    sp_regval_free(&got);
}

/* ---- files ---------------------------------------------------------------------------- */

static int read_text(const char *path, char *out, size_t n)
{
    unsigned char *data = NULL;
    size_t size = 0;
    if (backend()->ops->file_read(backend(), path, &data, &size) != SP_OK)
        return 0;
    snprintf(out, n, "%.*s", (int)size, (const char *)data);
    free(data);
    return 1;
}

typedef struct {
    char names[16][128];
    int dirs[16];
    int count;
} dir_sink;

static int collect_entry(void *user, const char *name, int is_dir)
{
    dir_sink *s = user;
    if (s->count < 16) {
        snprintf(s->names[s->count], sizeof s->names[0], "%s", name);
        s->dirs[s->count] = is_dir;
    }
    s->count++;
    return 0;
}

WTEST(dir_create_should_make_missing_parents_and_accept_forward_slashes)
{
    char path[MAX_PATH * 3], slashed[MAX_PATH * 3];
    sp_filestat fs;
    WCHECK(temp_dir() != NULL);
    temp_path(path, sizeof path, "a\\b\\c");
    WCHECK_EQ_INT(backend()->ops->dir_create(backend(), path), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_stat(backend(), path, &fs), SP_OK);
    WCHECK(fs.exists && fs.is_dir);
    WCHECK_EQ_INT(backend()->ops->dir_create(backend(), path), SP_OK); /* already there */
    snprintf(slashed, sizeof slashed, "%s/d/e/", path);
    WCHECK_EQ_INT(backend()->ops->dir_create(backend(), slashed), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_stat(backend(), slashed, &fs), SP_OK);
    WCHECK(fs.exists && fs.is_dir);
}

WTEST(dir_create_should_refuse_when_a_file_has_the_name)
{
    char path[MAX_PATH * 3];
    temp_path(path, sizeof path, "plain-file");
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), path, "x", 1), SP_OK);
    WCHECK_EQ_INT(backend()->ops->dir_create(backend(), path), SP_ERR_EXISTS);
}

WTEST(file_write_atomic_should_replace_content_and_leave_no_temp_file)
{
    char dir[MAX_PATH * 3], path[MAX_PATH * 3], text[64];
    dir_sink entries = {0};
    temp_path(dir, sizeof dir, "atomic");
    WCHECK_EQ_INT(backend()->ops->dir_create(backend(), dir), SP_OK);
    snprintf(path, sizeof path, "%s\\state.json", dir);
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), path, "first version", 13), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), path, "second", 6), SP_OK);
    WCHECK(read_text(path, text, sizeof text));
    WCHECK_EQ_STR(text, "second");
    WCHECK_EQ_INT(backend()->ops->dir_enum(backend(), dir, collect_entry, &entries), SP_OK);
    WCHECK_EQ_INT(entries.count, 1);
    WCHECK_EQ_STR(entries.names[0], "state.json");
}

WTEST(file_write_atomic_into_a_missing_folder_should_fail_with_notfound)
{
    char path[MAX_PATH * 3];
    temp_path(path, sizeof path, "no-such-folder\\x.txt");
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), path, "x", 1), SP_ERR_NOTFOUND);
    WCHECK_MSG(contains(backend()->last_error, "no-such-folder"), "last_error: %s", backend()->last_error);
}

WTEST(files_with_non_ascii_names_should_round_trip_through_write_read_enum_and_stat)
{
    char dir[MAX_PATH * 3], path[MAX_PATH * 3], text[64];
    const char *name = "Übersicht-日本.txt";
    dir_sink entries = {0};
    sp_filestat fs;
    temp_path(dir, sizeof dir, "unicode-ä");
    WCHECK_EQ_INT(backend()->ops->dir_create(backend(), dir), SP_OK);
    snprintf(path, sizeof path, "%s\\%s", dir, name);
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), path, "Inhalt ✓", 10), SP_OK);
    WCHECK(read_text(path, text, sizeof text));
    WCHECK_EQ_STR(text, "Inhalt ✓");
    WCHECK_EQ_INT(backend()->ops->dir_enum(backend(), dir, collect_entry, &entries), SP_OK);
    WCHECK_EQ_INT(entries.count, 1);
    WCHECK_EQ_STR(entries.names[0], name);
    WCHECK_EQ_INT(entries.dirs[0], 0);
    WCHECK_EQ_INT(backend()->ops->file_stat(backend(), path, &fs), SP_OK);
    WCHECK(fs.exists && !fs.is_dir);
    WCHECK_EQ_INT(fs.size, 10);
    long long age = (long long)time(NULL) - (long long)fs.mtime;
    WCHECK_MSG(age >= -5 && age <= 60, "mtime is %lld s from now", age);
}

WTEST(file_read_should_return_a_large_file_whole)
{
    char path[MAX_PATH * 3];
    size_t n = 3u * 1024u * 1024u + 17u;
    unsigned char *big = malloc(n), *back = NULL;
    size_t size = 0;
    WCHECK(big != NULL);
    for (size_t i = 0; i < n; i++)
        big[i] = (unsigned char)(i * 7 + i / 251);
    temp_path(path, sizeof path, "big.bin");
    sp_status wst = backend()->ops->file_write_atomic(backend(), path, big, n);
    sp_status rst = wst == SP_OK ? backend()->ops->file_read(backend(), path, &back, &size) : wst;
    int same = rst == SP_OK && size == n && memcmp(big, back, n) == 0;
    free(big);
    free(back);
    WCHECK_EQ_INT(wst, SP_OK);
    WCHECK_EQ_INT(rst, SP_OK);
    WCHECK(same);
}

WTEST(file_read_should_return_an_empty_file_as_an_empty_string)
{
    char path[MAX_PATH * 3];
    unsigned char *data = NULL;
    size_t size = 99;
    temp_path(path, sizeof path, "empty.txt");
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), path, "", 0), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_read(backend(), path, &data, &size), SP_OK);
    int ok = data != NULL && size == 0 && data[0] == '\0';
    free(data);
    WCHECK(ok);
}

WTEST(file_read_and_stat_should_treat_a_missing_file_as_missing)
{
    char path[MAX_PATH * 3];
    unsigned char *data = NULL;
    size_t size = 0;
    sp_filestat fs;
    temp_path(path, sizeof path, "never-written.txt");
    WCHECK_EQ_INT(backend()->ops->file_read(backend(), path, &data, &size), SP_ERR_NOTFOUND);
    WCHECK(data == NULL);
    WCHECK_MSG(contains(backend()->last_error, "never-written.txt"), "last_error: %s", backend()->last_error);
    WCHECK_EQ_INT(backend()->ops->file_stat(backend(), path, &fs), SP_OK);
    WCHECK_EQ_INT(fs.exists, 0);
}

WTEST(file_move_should_refuse_to_overwrite_and_move_to_a_free_name)
{
    char from[MAX_PATH * 3], to[MAX_PATH * 3], free_name[MAX_PATH * 3], text[32];
    sp_filestat fs;
    temp_path(from, sizeof from, "move-from.txt");
    temp_path(to, sizeof to, "move-to.txt");
    temp_path(free_name, sizeof free_name, "move-free.txt");
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), from, "from", 4), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), to, "to", 2), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_move(backend(), from, to), SP_ERR_EXISTS);
    WCHECK(read_text(to, text, sizeof text));
    WCHECK_EQ_STR(text, "to");
    WCHECK_EQ_INT(backend()->ops->file_move(backend(), from, free_name), SP_OK);
    WCHECK(read_text(free_name, text, sizeof text));
    WCHECK_EQ_STR(text, "from");
    WCHECK_EQ_INT(backend()->ops->file_stat(backend(), from, &fs), SP_OK);
    WCHECK_EQ_INT(fs.exists, 0);
}

WTEST(file_delete_should_remove_files_and_empty_folders_and_report_missing_ones)
{
    char path[MAX_PATH * 3], dir[MAX_PATH * 3];
    sp_filestat fs;
    temp_path(path, sizeof path, "doomed.txt");
    temp_path(dir, sizeof dir, "doomed-dir");
    WCHECK_EQ_INT(backend()->ops->file_write_atomic(backend(), path, "x", 1), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_delete(backend(), path), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_stat(backend(), path, &fs), SP_OK);
    WCHECK_EQ_INT(fs.exists, 0);
    WCHECK_EQ_INT(backend()->ops->file_delete(backend(), path), SP_ERR_NOTFOUND);
    WCHECK_EQ_INT(backend()->ops->dir_create(backend(), dir), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_delete(backend(), dir), SP_OK);
    WCHECK_EQ_INT(backend()->ops->file_stat(backend(), dir, &fs), SP_OK);
    WCHECK_EQ_INT(fs.exists, 0);
}

WTEST(dir_enum_should_report_folders_and_fail_on_a_missing_one)
{
    char dir[MAX_PATH * 3], sub[MAX_PATH * 3];
    dir_sink entries = {0};
    temp_path(dir, sizeof dir, "enum");
    snprintf(sub, sizeof sub, "%s\\inner", dir);
    WCHECK_EQ_INT(backend()->ops->dir_create(backend(), sub), SP_OK);
    WCHECK_EQ_INT(backend()->ops->dir_enum(backend(), dir, collect_entry, &entries), SP_OK);
    WCHECK_EQ_INT(entries.count, 1);
    WCHECK_EQ_STR(entries.names[0], "inner");
    WCHECK_EQ_INT(entries.dirs[0], 1);
    temp_path(dir, sizeof dir, "no-such-dir");
    WCHECK_EQ_INT(backend()->ops->dir_enum(backend(), dir, collect_entry, &entries), SP_ERR_NOTFOUND);
}

/* ---- processes ------------------------------------------------------------------------ */

/* child.exe is built next to this test program. */
static const char *child_exe(void)
{
    static char path[MAX_PATH * 3];
    if (!path[0]) {
        wchar_t w[MAX_PATH];
        DWORD n = GetModuleFileNameW(NULL, w, MAX_PATH);
        if (n == 0 || n >= MAX_PATH)
            return "child.exe";
        wchar_t *slash = wcsrchr(w, L'\\');
        if (slash)
            slash[1] = L'\0';
        wcscat(w, L"child.exe");
        WideCharToMultiByte(CP_UTF8, 0, w, -1, path, (int)sizeof path, NULL, NULL);
    }
    return path;
}

static sp_status run(const char *const *argv, unsigned timeout_ms, char **out, size_t *len, int *code)
{
    return backend()->ops->proc_run(backend(), argv, timeout_ms, out, len, code);
}

WTEST(proc_run_should_pass_tricky_arguments_through_unchanged)
{
    const char *argv[] = {child_exe(), "echo", "plain", "with space", "tab\there", "quote\"inside",
                          "trailing\\", "space and trailing\\", "\\\\server\\share\\", "",
                          "a\\\\\"b", "\"", "\\\"", "two at end\\\\", "%PATH%", "Grüße", NULL};
    const char *want = "[plain]\n[with space]\n[tab\there]\n[quote\"inside]\n[trailing\\]\n"
                       "[space and trailing\\]\n[\\\\server\\share\\]\n[]\n[a\\\\\"b]\n[\"]\n"
                       "[\\\"]\n[two at end\\\\]\n[%PATH%]\n[Grüße]\n";
    char *out = NULL;
    size_t len = 0;
    int code = -1;
    WCHECK_EQ_INT(run(argv, 120000, &out, &len, &code), SP_OK);
    int same = out && strcmp(out, want) == 0 && len == strlen(want);
    if (!same)
        wtest_note("output was: %s", out ? out : "(null)");
    free(out);
    WCHECK_EQ_INT(code, 0);
    WCHECK(same);
}

WTEST(proc_run_should_return_the_exit_code)
{
    const char *argv[] = {child_exe(), "exit", "42", NULL};
    int code = -1;
    WCHECK_EQ_INT(run(argv, 120000, NULL, NULL, &code), SP_OK);
    WCHECK_EQ_INT(code, 42);
}

WTEST(proc_run_should_capture_stderr_with_stdout)
{
    const char *argv[] = {child_exe(), "stderr", "to the error stream", NULL};
    char *out = NULL;
    size_t len = 0;
    int code = -1;
    WCHECK_EQ_INT(run(argv, 120000, &out, &len, &code), SP_OK);
    int same = out && strcmp(out, "to the error stream\n") == 0;
    free(out);
    WCHECK(same);
}

WTEST(proc_run_should_kill_a_child_that_outlives_the_timeout)
{
    /* The child would sleep two minutes: a kill at the timeout returns long before that, on
     * a busy machine too; not killing it would take the whole two minutes. */
    const char *argv[] = {child_exe(), "sleep", "120000", NULL};
    char *out = (char *)"untouched";
    int code = 0;
    DWORD start = GetTickCount();
    WCHECK_EQ_INT(run(argv, 700, &out, NULL, &code), SP_ERR_TIMEOUT);
    DWORD took = GetTickCount() - start;
    WCHECK_MSG(took >= 600 && took < 60000, "took %lu ms", (unsigned long)took);
    WCHECK(out == NULL);
    WCHECK_MSG(contains(backend()->last_error, "700 ms"), "last_error: %s", backend()->last_error);
}

WTEST(proc_run_should_drain_a_megabyte_of_output_without_deadlock)
{
    const char *argv[] = {child_exe(), "flood", "1048576", NULL};
    char *out = NULL;
    size_t len = 0, lines = 0;
    int code = -1;
    WCHECK_EQ_INT(run(argv, 120000, &out, &len, &code), SP_OK);
    for (size_t i = 0; out && i < len; i++)
        lines += out[i] == '\n';
    free(out);
    WCHECK_EQ_INT(code, 0);
    WCHECK_EQ_INT(len, 1048576);
    WCHECK_EQ_INT(lines, 1048576 / 64);
}

WTEST(proc_run_should_find_a_program_on_the_path)
{
    const char *argv[] = {"cmd.exe", "/c", "exit 7", NULL};
    int code = -1;
    WCHECK_EQ_INT(run(argv, 120000, NULL, NULL, &code), SP_OK);
    WCHECK_EQ_INT(code, 7);
}

WTEST(proc_run_should_report_a_missing_program_as_notfound)
{
    const char *argv[] = {"C:\\no\\such\\program.exe", "x", NULL};
    char *out = NULL;
    WCHECK_EQ_INT(run(argv, 120000, &out, NULL, NULL), SP_ERR_NOTFOUND);
    WCHECK(out == NULL);
    WCHECK_MSG(contains(backend()->last_error, "Could not start C:\\no\\such\\program.exe: "),
               "last_error: %s", backend()->last_error);
}

WTEST(proc_run_should_refuse_an_empty_argv)
{
    const char *argv[] = {NULL};
    WCHECK_EQ_INT(run(argv, 1000, NULL, NULL, NULL), SP_ERR_INVALID);
}

/* ---- the command line, as a pure function ------------------------------------------ */

static void check_cmdline(const char *const *argv, const char *want)
{
    char *got = sp_win32_cmdline_build(argv);
    int same = got && strcmp(got, want) == 0;
    if (!same)
        wtest_note("built: %s", got ? got : "(null)");
    free(got);
    WCHECK_MSG(same, "expected: %s", want);
}

WTEST(cmdline_should_quote_only_what_needs_quoting)
{
    check_cmdline((const char *[]){"prog", "a", "b\\c", NULL}, "prog a b\\c");
    check_cmdline((const char *[]){"prog", "a b", "", NULL}, "prog \"a b\" \"\"");
    check_cmdline((const char *[]){"C:\\Program Files\\x.exe", "y", NULL}, "\"C:\\Program Files\\x.exe\" y");
    check_cmdline((const char *[]){"prog", "tab\tx", "nl\nx", NULL}, "prog \"tab\tx\" \"nl\nx\"");
}

WTEST(cmdline_should_escape_quotes_and_the_backslashes_before_them)
{
    check_cmdline((const char *[]){"prog", "a\"b", NULL}, "prog \"a\\\"b\"");
    check_cmdline((const char *[]){"prog", "a\\\"b", NULL}, "prog \"a\\\\\\\"b\"");
    check_cmdline((const char *[]){"prog", "end\\", NULL}, "prog end\\");
    check_cmdline((const char *[]){"prog", "sp end\\", NULL}, "prog \"sp end\\\\\"");
    check_cmdline((const char *[]){"prog", "sp mid\\dle", NULL}, "prog \"sp mid\\dle\"");
    check_cmdline((const char *[]){"prog", "\"", NULL}, "prog \"\\\"\"");
}

WTEST(cmdline_should_refuse_an_empty_argv_and_a_quote_in_the_program_name)
{
    WCHECK(sp_win32_cmdline_build((const char *[]){NULL}) == NULL);
    WCHECK(sp_win32_cmdline_build((const char *[]){"", NULL}) == NULL);
    WCHECK(sp_win32_cmdline_build((const char *[]){"pro\"g", NULL}) == NULL);
}

/* Windows' own parser must split what we built back into the same arguments. */
WTEST(cmdline_should_split_back_identically_with_commandlinetoargvw)
{
    const char *argv[] = {"C:\\dir with space\\p.exe", "", "\\", "\\\\", "a b\\", "\"q\"",
                          "x\\\"y", "\\\\\\\"", " lead", "trail ", "ü 日本", NULL};
    char *line = sp_win32_cmdline_build(argv);
    WCHECK(line != NULL);
    wchar_t wline[1024];
    MultiByteToWideChar(CP_UTF8, 0, line, -1, wline, 1024);
    free(line);
    int n = 0;
    wchar_t **parsed = CommandLineToArgvW(wline, &n);
    WCHECK(parsed != NULL);
    int expected = 0;
    while (argv[expected])
        expected++;
    int ok = n == expected;
    for (int i = 0; ok && i < n; i++) {
        char u[256];
        WideCharToMultiByte(CP_UTF8, 0, parsed[i], -1, u, sizeof u, NULL, NULL);
        if (strcmp(u, argv[i]) != 0) {
            wtest_note("argument %d came back as [%s], expected [%s]", i, u, argv[i]);
            ok = 0;
        }
    }
    LocalFree(parsed);
    WCHECK_MSG(ok, "%d arguments came back, %d expected", n, expected);
}

/* ---- services ------------------------------------------------------------------------- */

/* Wine 8 installs PlugPlay as an automatic service, started by services.exe when the
 * wineserver starts; give it a moment in case this program came first. */
WTEST(svc_query_should_report_an_existing_wine_service)
{
    sp_svcinfo info;
    for (int i = 0; i < 50; i++) {
        WCHECK_EQ_INT(backend()->ops->svc_query(backend(), "PlugPlay", &info), SP_OK);
        if (info.state == SP_SVC_RUNNING)
            break;
        Sleep(100);
    }
    WCHECK_EQ_INT(info.start_type, SP_SVC_START_AUTO);
    WCHECK_EQ_INT(info.state, SP_SVC_RUNNING);
}

/* Wine's Spooler is a demand-start service that really starts and stops. */
WTEST(svc_start_and_stop_should_wait_for_a_real_service)
{
    sp_svcinfo info;
    WCHECK_EQ_INT(backend()->ops->svc_query(backend(), "Spooler", &info), SP_OK);
    WCHECK_EQ_INT(info.start_type, SP_SVC_START_DEMAND);
    WCHECK_EQ_INT(backend()->ops->svc_start(backend(), "Spooler", 15000), SP_OK);
    WCHECK_EQ_INT(backend()->ops->svc_query(backend(), "Spooler", &info), SP_OK);
    WCHECK_EQ_INT(info.state, SP_SVC_RUNNING);
    WCHECK_EQ_INT(backend()->ops->svc_start(backend(), "Spooler", 15000), SP_OK); /* already running */
    WCHECK_EQ_INT(backend()->ops->svc_stop(backend(), "Spooler", 15000), SP_OK);
    WCHECK_EQ_INT(backend()->ops->svc_query(backend(), "Spooler", &info), SP_OK);
    WCHECK_EQ_INT(info.state, SP_SVC_STOPPED);
    WCHECK_EQ_INT(backend()->ops->svc_stop(backend(), "Spooler", 15000), SP_OK); /* already stopped */
}

WTEST(svc_query_should_report_a_missing_service_as_notfound)
{
    sp_svcinfo info;
    WCHECK_EQ_INT(backend()->ops->svc_query(backend(), "SourcePrepNoSuchService", &info), SP_ERR_NOTFOUND);
    WCHECK_MSG(contains(backend()->last_error, "SourcePrepNoSuchService") &&
                   contains(backend()->last_error, "(1060)"),
               "last_error: %s", backend()->last_error);
    WCHECK_EQ_INT(backend()->ops->svc_start(backend(), "SourcePrepNoSuchService", 1000), SP_ERR_NOTFOUND);
    WCHECK_EQ_INT(backend()->ops->svc_stop(backend(), "SourcePrepNoSuchService", 1000), SP_ERR_NOTFOUND);
}

/* Wine has no Windows Time service at all (TOOLCHAIN.md); the time-sync step must cope. */
WTEST(svc_query_should_report_w32time_as_notfound_under_wine)
{
    sp_svcinfo info;
    WCHECK_EQ_INT(backend()->ops->svc_query(backend(), "W32Time", &info), SP_ERR_NOTFOUND);
}

/* ---- OS facts ------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    unsigned major, minor, build, sp_major, product_type;
} expected_version;

/* What Wine 8 reports for each setting of HKCU\Software\Wine\Version (measured). Wine 8.0
 * swaps the product types of win7 and win2008r2 (its table of names and its table of versions
 * are in different orders): "win2008r2" reports a workstation (1) and "win7" a server (3).
 * Real Windows Server 2008 R2 reports 3; these rows assert what Wine does. */
static const expected_version versions[] = {
    {"win2003", 5, 2, 3790, 2, 3},
    {"win2008", 6, 0, 6002, 2, 3},
    {"win2008r2", 6, 1, 7601, 1, 1},
    {"win7", 6, 1, 7601, 1, 3},
};

WTEST(os_info_should_report_the_windows_version_the_runner_set)
{
    sp_osinfo os;
    WCHECK_EQ_INT(backend()->ops->os_info(backend(), &os), SP_OK);
    wtest_note("os: %u.%u.%u SP%u.%u type %u suite 0x%x product %u csd \"%s\" name \"%s\" arch %s "
               "computer \"%s\" domain \"%s\"",
               os.major, os.minor, os.build, os.sp_major, os.sp_minor, os.product_type,
               os.suite_mask, os.product_info, os.csd, os.product_name, os.arch, os.computer,
               os.domain);
    const char *want = getenv("SP_EXPECT_VERSION");
    const expected_version *ev = NULL;
    for (size_t i = 0; want && i < sizeof versions / sizeof versions[0]; i++)
        if (strcmp(versions[i].name, want) == 0)
            ev = &versions[i];
    if (!ev) {
        wtest_note("SP_EXPECT_VERSION is %s: only sanity is checked", want ? want : "unset");
        WCHECK(os.major >= 5);
        return;
    }
    WCHECK_EQ_INT(os.major, ev->major);
    WCHECK_EQ_INT(os.minor, ev->minor);
    WCHECK_EQ_INT(os.build, ev->build);
    WCHECK_EQ_INT(os.sp_major, ev->sp_major);
    WCHECK_EQ_INT(os.product_type, ev->product_type);
    char csd[32];
    snprintf(csd, sizeof csd, "Service Pack %u", ev->sp_major);
    WCHECK_EQ_STR(os.csd, csd);
    /* GetProductInfo is only asked on Vista and later, as on a real 2003 where it is absent. */
    if (ev->major < 6)
        WCHECK_EQ_INT(os.product_info, 0);
    else
        WCHECK(os.product_info != 0);
}

WTEST(os_info_should_report_the_architecture_and_the_names)
{
    sp_osinfo os;
    WCHECK_EQ_INT(backend()->ops->os_info(backend(), &os), SP_OK);
    /* The machine's own architecture (GetNativeSystemInfo): the x64 exe runs on 64-bit Wine,
     * the x86 exe on the 32-bit Wine of the i386 root, which is not WOW64. */
    WCHECK_EQ_STR(os.arch, sizeof(void *) == 8 ? "x64" : "x86");
    WCHECK(os.computer[0] != '\0');
    WCHECK(os.product_name[0] != '\0');
}

WTEST(is_admin_should_be_true_under_wine)
{
    WCHECK_EQ_INT(backend()->ops->is_admin(backend()), 1);
}

WTEST(time_now_should_agree_with_the_c_library_clock)
{
    long long diff = (long long)backend()->ops->time_now(backend()) - (long long)time(NULL);
    WCHECK_MSG(diff >= -3 && diff <= 3, "differs by %lld s", diff);
}

WTEST(folder_should_return_existing_folders_without_a_trailing_backslash)
{
    const sp_folder which[] = {SP_FOLDER_PROGRAMDATA, SP_FOLDER_TEMP, SP_FOLDER_WINDOWS};
    for (int i = 0; i < 3; i++) {
        char path[MAX_PATH * 3];
        sp_filestat fs;
        WCHECK_EQ_INT(backend()->ops->folder(backend(), which[i], path, sizeof path), SP_OK);
        size_t n = strlen(path);
        WCHECK_MSG(n > 3 && path[n - 1] != '\\', "folder %d is \"%s\"", i, path);
        WCHECK_EQ_INT(backend()->ops->file_stat(backend(), path, &fs), SP_OK);
        WCHECK_MSG(fs.exists && fs.is_dir, "folder %d \"%s\" does not exist", i, path);
    }
    char tiny[4];
    WCHECK_EQ_INT(backend()->ops->folder(backend(), SP_FOLDER_WINDOWS, tiny, sizeof tiny), SP_ERR_INVALID);
}

/* ---- cleanup (last in the file, so it runs last) ------------------------------------ */

/* RegDeleteTreeW is Vista's; this test program should run on 2003 too. */
static LONG delete_tree(HKEY parent, const wchar_t *name, REGSAM view)
{
    HKEY h = NULL;
    LONG rc = RegOpenKeyExW(parent, name, 0, KEY_ALL_ACCESS | view, &h);
    if (rc != ERROR_SUCCESS)
        return rc;
    wchar_t sub[256];
    DWORD len = 256;
    while (RegEnumKeyExW(h, 0, sub, &len, NULL, NULL, NULL, NULL) == ERROR_SUCCESS) {
        rc = delete_tree(h, sub, view);
        if (rc != ERROR_SUCCESS)
            break;
        len = 256;
    }
    RegCloseKey(h);
    return rc == ERROR_SUCCESS ? RegDeleteKeyW(parent, name) : rc;
}

/* Deletes Software\SourcePrepTest\<run> under root in one view, and the parent when empty. */
static LONG delete_run_keys(HKEY root, REGSAM view)
{
    HKEY parent = NULL;
    LONG rc = RegOpenKeyExW(root, L"Software\\SourcePrepTest", 0, KEY_ALL_ACCESS | view, &parent);
    if (rc == ERROR_FILE_NOT_FOUND)
        return ERROR_SUCCESS;
    if (rc != ERROR_SUCCESS)
        return rc;
    wchar_t run[64];
    MultiByteToWideChar(CP_UTF8, 0, run_name(), -1, run, 64);
    rc = delete_tree(parent, run, view);
    RegCloseKey(parent);
    if (rc == ERROR_FILE_NOT_FOUND)
        rc = ERROR_SUCCESS;
    HKEY software = NULL;
    if (RegOpenKeyExW(root, L"Software", 0, KEY_ALL_ACCESS | view, &software) == ERROR_SUCCESS) {
        RegDeleteKeyW(software, L"SourcePrepTest"); /* fails, as it should, while others use it */
        RegCloseKey(software);
    }
    return rc;
}

typedef struct {
    char dir[MAX_PATH * 3];
    int failures;
} tree_walk;

static int delete_entry(void *user, const char *name, int is_dir);

static void delete_dir_tree(const char *dir, int *failures)
{
    tree_walk w;
    snprintf(w.dir, sizeof w.dir, "%s", dir);
    w.failures = 0;
    if (backend()->ops->dir_enum(backend(), dir, delete_entry, &w) != SP_OK)
        w.failures++;
    if (backend()->ops->file_delete(backend(), dir) != SP_OK)
        w.failures++;
    *failures += w.failures;
}

static int delete_entry(void *user, const char *name, int is_dir)
{
    tree_walk *w = user;
    char path[MAX_PATH * 3];
    snprintf(path, sizeof path, "%s\\%s", w->dir, name);
    if (is_dir)
        delete_dir_tree(path, &w->failures);
    else if (backend()->ops->file_delete(backend(), path) != SP_OK)
        w->failures++;
    return 0;
}

WTEST(cleanup_should_remove_every_test_key_and_file)
{
    WCHECK_EQ_INT(delete_run_keys(HKEY_CURRENT_USER, 0), ERROR_SUCCESS);
    WCHECK_EQ_INT(delete_run_keys(HKEY_LOCAL_MACHINE, KEY_WOW64_64KEY), ERROR_SUCCESS);
    WCHECK_EQ_INT(delete_run_keys(HKEY_LOCAL_MACHINE, KEY_WOW64_32KEY), ERROR_SUCCESS);
    char key[256];
    name_sink keys = {0};
    WCHECK_EQ_INT(backend()->ops->reg_enum_keys(backend(), SP_REG_VIEW_DEFAULT,
                                                test_key(key, sizeof key, "HKCU", ""), collect_name, &keys),
                  SP_ERR_NOTFOUND);
    const char *dir = temp_dir();
    WCHECK(dir != NULL);
    int failures = 0;
    delete_dir_tree(dir, &failures);
    WCHECK_EQ_INT(failures, 0);
    sp_filestat fs;
    WCHECK_EQ_INT(backend()->ops->file_stat(backend(), dir, &fs), SP_OK);
    WCHECK_EQ_INT(fs.exists, 0);
    sp_sys_close(the_sys);
    the_sys = NULL;
}

WTEST_MAIN()
