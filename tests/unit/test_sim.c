/* Tests of the sim backend: profile parsing, registry, services, processes, files on a host. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sys/posix/posix.h"
#include "core/sys/sim/sim.h"
#include "core/sys/sim/sim_internal.h"
#include "tests/unit/testutil.h"

/* Profiles in these tests write ' for " so that they stay readable as C strings. */
static const char base_profile[] =
    "{'name': 'Test: SBS 2003', 'now': 1796000000,"
    " 'os': {'major': 5, 'minor': 2, 'build': 3790, 'sp_major': 2, 'sp_minor': 0,"
    "        'product_type': 2, 'suite_mask': 513, 'product_info': 0, 'csd': 'Service Pack 2',"
    "        'product_name': 'Microsoft Windows Small Business Server 2003', 'arch': 'x86',"
    "        'computer': 'SBS01', 'domain': 'contoso.local'},"
    " 'registry': {"
    "   'HKLM\\\\SOFTWARE\\\\Microsoft\\\\Exchange\\\\Setup': {"
    "     'ServicePackNumber': {'dword': 2}, 'Services': {'sz': 'C:\\\\Program Files\\\\Exchsrvr'},"
    "     'Path': {'expand_sz': '%SystemRoot%\\\\x'}, 'List': {'multi_sz': ['a', 'bc']},"
    "     'Blob': {'binary': '00ff10'}, 'Spaced': {'binary': '0A, 0b 0C'}, 'Empty': {'binary': ''},"
    "     'Big': {'qword': 5}, 'Huge': {'qword': '0xFFFFFFFFFFFFFFFF'},"
    "     'Deep': {'dword': 4294967295}, '(Default)': {'sz': 'dflt'}},"
    "   'HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\QuickBooks':"
    "     {'DisplayName': {'sz': 'QuickBooks Pro'}},"
    "   'HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\Sage':"
    "     {'DisplayName': {'sz': 'Sage 50'}},"
    "   'HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\"
    "quickbooks\\\\Sub':"
    "     {'X': {'dword': 1}}},"
    " 'registry32': {'HKLM\\\\SOFTWARE\\\\Vendor': {'Where': {'sz': '32-bit view'}}},"
    " 'services': {'W32Time': {'state': 'running', 'start': 'auto'},"
    "              'Spooler': {'state': 'stopped', 'start': 'disabled'},"
    "              'MSExchangeIS': {'state': 'stop_pending', 'start': 'demand'}},"
    " 'processes': ["
    "   {'argv': ['w32tm', '/query', '/status'], 'exit': 0, 'output': 'Leap Indicator: 0\\r\\n'},"
    "   {'argv': ['C:\\\\WINDOWS\\\\system32\\\\net.exe', 'stop', 'W32Time'], 'exit': 2},"
    "   {'argv': ['w32tm', '/query', '/status'], 'exit': 9, 'output': 'never: first match wins'},"
    "   {'argv': ['wbadmin', 'get', 'versions'], 'timeout': true},"
    "   {'argv': ['crash'], 'exit': 3221225477}],"
    " 'files': {'C:\\\\WINDOWS\\\\SYSVOL\\\\sysvol\\\\contoso.local\\\\scripts\\\\"
    "SBS_LOGIN_SCRIPT.bat':"
    "           '@echo off\\r\\n'},"
    " 'future_key': {'ignored': true}}";

#define EXCHANGE_SETUP "HKLM\\SOFTWARE\\Microsoft\\Exchange\\Setup"
#define UNINSTALL "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
#define LOGIN_SCRIPT "C:\\WINDOWS\\SYSVOL\\sysvol\\contoso.local\\scripts\\SBS_LOGIN_SCRIPT.bat"

typedef struct {
    sp_sys *host;
    char *dir;
    char *root;
    sp_sys *sim;
    char err[512];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->host = sp_posix_open();
    f->dir = testutil_make_temp_dir();
    *state = f;
    if (!f->host || !f->dir)
        return -1;
    f->root = testutil_join(f->dir, "root");
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sp_sys_close(f->sim);
    if (f->dir)
        testutil_remove_tree(f->dir);
    free(f->root);
    free(f->dir);
    sp_sys_close(f->host);
    free(f);
    return 0;
}

static char *quotes_to_json(const char *text)
{
    char *json = strdup(text);
    assert_non_null(json);
    for (char *p = json; *p; p++) {
        if (*p == '\'')
            *p = '"';
    }
    return json;
}

/* Opens text as a profile (closing any sim the fixture had); status and message in f. */
static sp_status try_open(fixture *f, const char *text)
{
    sp_sys_close(f->sim);
    f->sim = NULL;
    char *json = quotes_to_json(text);
    sp_status st =
        sp_sim_open(json, strlen(json), f->host, f->root, &f->sim, f->err, sizeof f->err);
    free(json);
    return st;
}

static sp_sys *open_sim(fixture *f, const char *text)
{
    sp_status st = try_open(f, text);
    if (st != SP_OK)
        fail_msg("sp_sim_open: %s: %s", sp_status_name(st), f->err);
    return f->sim;
}

static char *host_path(fixture *f, const char *rel)
{
    return testutil_join(f->root, rel);
}

typedef struct {
    char names[16][64];
    int count;
    int stop_after;
} names;

static int collect_name(void *user, const char *name)
{
    names *n = user;
    if (n->count < 16)
        snprintf(n->names[n->count], sizeof n->names[0], "%s", name);
    n->count++;
    return n->stop_after && n->count >= n->stop_after;
}

static int collect_entry(void *user, const char *name, int is_dir)
{
    (void)is_dir;
    return collect_name(user, name);
}

/* ---- Profile and OS ----------------------------------------------------------------- */

static void sim_should_fill_os_info_from_the_profile(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    sp_osinfo os;
    memset(&os, 0xff, sizeof os);
    assert_int_equal(s->ops->os_info(s, &os), SP_OK);
    assert_int_equal(os.major, 5);
    assert_int_equal(os.minor, 2);
    assert_int_equal(os.build, 3790);
    assert_int_equal(os.sp_major, 2);
    assert_int_equal(os.sp_minor, 0);
    assert_int_equal(os.product_type, 2);
    assert_int_equal(os.suite_mask, 513);
    assert_int_equal(os.product_info, 0);
    assert_string_equal(os.csd, "Service Pack 2");
    assert_string_equal(os.product_name, "Microsoft Windows Small Business Server 2003");
    assert_string_equal(os.arch, "x86");
    assert_string_equal(os.computer, "SBS01");
    assert_string_equal(os.domain, "contoso.local");
    assert_string_equal(s->ops->name, "sim");
    assert_string_equal(sp_sim_profile_name(s), "Test: SBS 2003");
}

static void sim_should_truncate_long_os_strings_at_a_character_boundary(void **state)
{
    /* "é" is two bytes: eight of them cannot all fit in arch[8]. */
    sp_sys *s = open_sim(*state, "{'os': {'arch': '\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9'}}");
    sp_osinfo os;
    assert_int_equal(s->ops->os_info(s, &os), SP_OK);
    assert_string_equal(os.arch, "\xc3\xa9\xc3\xa9\xc3\xa9");
    assert_string_equal(os.csd, "");
    assert_int_equal(os.major, 0);
}

static void sim_should_use_fixed_now_admin_and_default_folders(void **state)
{
    fixture *f = *state;
    sp_sys *s = open_sim(f, base_profile);
    assert_int_equal(s->ops->time_now(s), 1796000000);
    assert_true(s->ops->is_admin(s));
    char buf[128];
    assert_int_equal(s->ops->folder(s, SP_FOLDER_PROGRAMDATA, buf, sizeof buf), SP_OK);
    assert_string_equal(buf, "C:\\Documents and Settings\\All Users\\Application Data");
    assert_int_equal(s->ops->folder(s, SP_FOLDER_TEMP, buf, sizeof buf), SP_OK);
    assert_string_equal(buf, "C:\\WINDOWS\\Temp");
    assert_int_equal(s->ops->folder(s, SP_FOLDER_WINDOWS, buf, sizeof buf), SP_OK);
    assert_string_equal(buf, "C:\\WINDOWS");
    assert_int_equal(s->ops->folder(s, SP_FOLDER_WINDOWS, buf, 4), SP_ERR_INVALID);
    /* The folders exist on the simulated disk from the start. */
    char *temp = host_path(f, "C/WINDOWS/Temp");
    assert_true(testutil_exists(temp));
    free(temp);
}

static void sim_should_take_folders_admin_and_real_time_from_the_profile(void **state)
{
    sp_sys *s = open_sim(*state, "{'os': {}, 'admin': false, 'folders': {"
                                 "'programdata': 'C:\\\\ProgramData', 'temp': 'D:\\\\Tmp'}}");
    assert_false(s->ops->is_admin(s));
    int64_t now = s->ops->time_now(s);
    assert_true(now > 1700000000);
    char buf[64];
    assert_int_equal(s->ops->folder(s, SP_FOLDER_PROGRAMDATA, buf, sizeof buf), SP_OK);
    assert_string_equal(buf, "C:\\ProgramData");
    assert_int_equal(s->ops->folder(s, SP_FOLDER_TEMP, buf, sizeof buf), SP_OK);
    assert_string_equal(buf, "D:\\Tmp");
    assert_int_equal(s->ops->folder(s, SP_FOLDER_WINDOWS, buf, sizeof buf), SP_OK);
    assert_string_equal(buf, "C:\\WINDOWS");
}

static void sim_should_read_a_profile_that_is_not_nul_terminated(void **state)
{
    fixture *f = *state;
    const char text[] = "{\"os\": {\"major\": 6}}GARBAGE BEYOND LEN";
    size_t len = strlen("{\"os\": {\"major\": 6}}");
    assert_int_equal(sp_sim_open(text, len, f->host, f->root, &f->sim, f->err, sizeof f->err),
                     SP_OK);
    sp_osinfo os;
    assert_int_equal(f->sim->ops->os_info(f->sim, &os), SP_OK);
    assert_int_equal(os.major, 6);
}

/* ---- Registry ----------------------------------------------------------------------- */

static void sim_should_read_sz_and_expand_sz_as_nul_terminated_utf8(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    sp_regval v = {0};
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Services", &v),
                     SP_OK);
    assert_int_equal(v.type, SP_REG_SZ);
    assert_int_equal(v.size, strlen("C:\\Program Files\\Exchsrvr") + 1);
    assert_string_equal((char *)v.data, "C:\\Program Files\\Exchsrvr");
    sp_regval_free(&v);
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Path", &v), SP_OK);
    assert_int_equal(v.type, SP_REG_EXPAND_SZ);
    assert_string_equal((char *)v.data, "%SystemRoot%\\x");
    sp_regval_free(&v);
    char buf[64];
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Services", buf,
                                       sizeof buf),
                     SP_OK);
    assert_string_equal(buf, "C:\\Program Files\\Exchsrvr");
}

static void sim_should_read_multi_sz_as_a_double_nul_list(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    sp_regval v = {0};
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "List", &v), SP_OK);
    assert_int_equal(v.type, SP_REG_MULTI_SZ);
    assert_int_equal(v.size, 6);
    assert_memory_equal(v.data, "a\0bc\0\0", 6);
    sp_regval_free(&v);
}

static void sim_should_read_dword_and_qword_as_little_endian_bytes(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    uint32_t dw = 0;
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "ServicePackNumber",
                                      &dw),
                     SP_OK);
    assert_int_equal(dw, 2);
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Deep", &dw), SP_OK);
    assert_int_equal(dw, 0xFFFFFFFFu);
    sp_regval v = {0};
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Big", &v), SP_OK);
    assert_int_equal(v.type, SP_REG_QWORD);
    assert_int_equal(v.size, 8);
    assert_memory_equal(v.data, "\x05\0\0\0\0\0\0\0", 8);
    sp_regval_free(&v);
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Huge", &v), SP_OK);
    assert_memory_equal(v.data, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
    sp_regval_free(&v);
}

static void sim_should_read_binary_from_packed_or_separated_hex(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    sp_regval v = {0};
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Blob", &v), SP_OK);
    assert_int_equal(v.type, SP_REG_BINARY);
    assert_int_equal(v.size, 3);
    assert_memory_equal(v.data, "\x00\xff\x10", 3);
    sp_regval_free(&v);
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Spaced", &v), SP_OK);
    assert_int_equal(v.size, 3);
    assert_memory_equal(v.data, "\x0a\x0b\x0c", 3);
    sp_regval_free(&v);
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Empty", &v), SP_OK);
    assert_int_equal(v.size, 0);
    assert_non_null(v.data);
    sp_regval_free(&v);
}

static void sim_should_read_the_default_value_by_an_empty_name(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    char buf[16];
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "", buf, sizeof buf),
                     SP_OK);
    assert_string_equal(buf, "dflt");
    sp_regval v = {0};
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, NULL, &v), SP_OK);
    sp_regval_free(&v);
}

static void sim_should_match_keys_roots_and_value_names_case_insensitively(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    uint32_t dw = 0;
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_DEFAULT,
                                      "hklm\\software\\MICROSOFT\\exchange\\SETUP\\",
                                      "servicepacknumber", &dw),
                     SP_OK);
    assert_int_equal(dw, 2);
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_DEFAULT,
                                      "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Exchange\\Setup",
                                      "ServicePackNumber", &dw),
                     SP_OK);
}

static void sim_should_return_notfound_for_a_missing_value_or_key(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    sp_regval v = {0};
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Nope", &v),
                     SP_ERR_NOTFOUND);
    assert_null(v.data);
    assert_string_equal(s->last_error,
                        "registry value Nope not found in " EXCHANGE_SETUP);
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\Nope", "x", &v),
                     SP_ERR_NOTFOUND);
    assert_string_equal(s->last_error, "registry key HKLM\\SOFTWARE\\Nope not found");
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, "HKXY\\SOFTWARE", "x", &v),
                     SP_ERR_INVALID);
    assert_non_null(strstr(s->last_error, "HKXY\\SOFTWARE"));
}

static void sim_should_use_registry32_for_the_32bit_view_when_present(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    char buf[32];
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_32, "HKLM\\SOFTWARE\\Vendor", "Where", buf,
                                       sizeof buf),
                     SP_OK);
    assert_string_equal(buf, "32-bit view");
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\Vendor", "Where",
                                       buf, sizeof buf),
                     SP_ERR_NOTFOUND);
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\Vendor", "Where", buf,
                                       sizeof buf),
                     SP_ERR_NOTFOUND);
    uint32_t dw = 0;
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_32, EXCHANGE_SETUP, "ServicePackNumber", &dw),
                     SP_ERR_NOTFOUND);
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_64, EXCHANGE_SETUP, "ServicePackNumber", &dw),
                     SP_OK);
}

static void sim_should_share_one_registry_between_views_without_registry32(void **state)
{
    sp_sys *s = open_sim(*state, "{'os': {}, 'registry': {'HKLM\\\\SOFTWARE\\\\A': {"
                                 "'V': {'dword': 7}}}}");
    uint32_t dw = 0;
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_32, "HKLM\\SOFTWARE\\A", "V", &dw), SP_OK);
    assert_int_equal(dw, 7);
    sp_regval v = {0};
    assert_int_equal(sp_regval_set_dword(&v, 8), SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_32, "HKLM\\SOFTWARE\\A", "V", &v), SP_OK);
    sp_regval_free(&v);
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_64, "HKLM\\SOFTWARE\\A", "V", &dw), SP_OK);
    assert_int_equal(dw, 8);
}

static void sim_should_enumerate_implied_parent_keys_once_each(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    names n = {0};
    assert_int_equal(s->ops->reg_enum_keys(s, SP_REG_VIEW_DEFAULT, UNINSTALL, collect_name, &n),
                     SP_OK);
    assert_int_equal(n.count, 2);
    assert_string_equal(n.names[0], "QuickBooks");
    assert_string_equal(n.names[1], "Sage");
    names top = {0};
    assert_int_equal(s->ops->reg_enum_keys(s, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\Microsoft",
                                           collect_name, &top),
                     SP_OK);
    assert_int_equal(top.count, 2);
    assert_string_equal(top.names[0], "Exchange");
    assert_string_equal(top.names[1], "Windows");
    names root = {0};
    assert_int_equal(s->ops->reg_enum_keys(s, SP_REG_VIEW_DEFAULT, "HKLM", collect_name, &root),
                     SP_OK);
    assert_int_equal(root.count, 1);
    assert_string_equal(root.names[0], "SOFTWARE");
    names none = {0};
    assert_int_equal(s->ops->reg_enum_keys(s, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\Micro",
                                           collect_name, &none),
                     SP_ERR_NOTFOUND);
    assert_int_equal(none.count, 0);
}

static void sim_should_enumerate_values_in_profile_order_and_stop_when_asked(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    names n = {0};
    assert_int_equal(s->ops->reg_enum_values(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, collect_name,
                                             &n),
                     SP_OK);
    assert_int_equal(n.count, 11);
    assert_string_equal(n.names[0], "ServicePackNumber");
    assert_string_equal(n.names[1], "Services");
    assert_string_equal(n.names[10], "");
    names some = {0};
    some.stop_after = 3;
    assert_int_equal(s->ops->reg_enum_values(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, collect_name,
                                             &some),
                     SP_OK);
    assert_int_equal(some.count, 3);
    names implied = {0};
    assert_int_equal(s->ops->reg_enum_values(s, SP_REG_VIEW_DEFAULT, UNINSTALL, collect_name,
                                             &implied),
                     SP_OK);
    assert_int_equal(implied.count, 0);
}

static void sim_should_return_a_set_value_and_create_its_key(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    sp_regval v = {0};
    assert_int_equal(sp_regval_set_sz(&v, "SBS01:6001-6002;sbs01.contoso.local:6001-6002"),
                     SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_DEFAULT,
                                     "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy", "ValidPorts", &v),
                     SP_OK);
    sp_regval_free(&v);
    char buf[128];
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_DEFAULT,
                                       "HKLM\\SOFTWARE\\MICROSOFT\\RPC\\RPCPROXY", "validports",
                                       buf, sizeof buf),
                     SP_OK);
    assert_string_equal(buf, "SBS01:6001-6002;sbs01.contoso.local:6001-6002");
    /* Replacing keeps one value of that name, whatever its case. */
    assert_int_equal(sp_regval_set_dword(&v, 3), SP_OK);
    assert_int_equal(
        s->ops->reg_set(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "SERVICEPACKNUMBER", &v), SP_OK);
    sp_regval_free(&v);
    uint32_t dw = 0;
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "ServicePackNumber",
                                      &dw),
                     SP_OK);
    assert_int_equal(dw, 3);
    names n = {0};
    assert_int_equal(s->ops->reg_enum_values(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, collect_name,
                                             &n),
                     SP_OK);
    assert_int_equal(n.count, 11);
}

static void sim_should_return_notfound_after_deleting_a_value(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    assert_int_equal(s->ops->reg_delete_value(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "services"),
                     SP_OK);
    sp_regval v = {0};
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Services", &v),
                     SP_ERR_NOTFOUND);
    assert_int_equal(s->ops->reg_delete_value(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "Services"),
                     SP_ERR_NOTFOUND);
    /* The other values keep their order. */
    names n = {0};
    assert_int_equal(s->ops->reg_enum_values(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, collect_name,
                                             &n),
                     SP_OK);
    assert_int_equal(n.count, 10);
    assert_string_equal(n.names[0], "ServicePackNumber");
    assert_string_equal(n.names[1], "Path");
}

static void sim_should_refuse_hklm_writes_and_service_control_without_admin(void **state)
{
    sp_sys *s = open_sim(*state, "{'os': {}, 'admin': false,"
                                 " 'services': {'W32Time': {'state': 'stopped'}}}");
    sp_regval v = {0};
    assert_int_equal(sp_regval_set_dword(&v, 1), SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_DEFAULT, "HKLM\\SOFTWARE\\X", "V", &v),
                     SP_ERR_ACCESS);
    assert_non_null(strstr(s->last_error, "administrator"));
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_DEFAULT, "HKCU\\Software\\X", "V", &v), SP_OK);
    sp_regval_free(&v);
    assert_int_equal(s->ops->svc_start(s, "W32Time", 1000), SP_ERR_ACCESS);
    sp_svcinfo si;
    assert_int_equal(s->ops->svc_query(s, "W32Time", &si), SP_OK);
    assert_int_equal(si.state, SP_SVC_STOPPED);
}

/* ---- Services and processes --------------------------------------------------------- */

static void sim_should_start_and_stop_services_in_memory(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    sp_svcinfo si;
    assert_int_equal(s->ops->svc_query(s, "w32time", &si), SP_OK);
    assert_int_equal(si.state, SP_SVC_RUNNING);
    assert_int_equal(si.start_type, SP_SVC_START_AUTO);
    assert_int_equal(s->ops->svc_stop(s, "W32Time", 30000), SP_OK);
    assert_int_equal(s->ops->svc_query(s, "W32Time", &si), SP_OK);
    assert_int_equal(si.state, SP_SVC_STOPPED);
    assert_int_equal(s->ops->svc_start(s, "W32Time", 30000), SP_OK);
    assert_int_equal(s->ops->svc_query(s, "W32Time", &si), SP_OK);
    assert_int_equal(si.state, SP_SVC_RUNNING);
    assert_int_equal(s->ops->svc_query(s, "MSExchangeIS", &si), SP_OK);
    assert_int_equal(si.state, SP_SVC_STOP_PENDING);
    assert_int_equal(si.start_type, SP_SVC_START_DEMAND);
}

static void sim_should_refuse_to_start_a_disabled_service(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    assert_int_equal(s->ops->svc_start(s, "Spooler", 1000), SP_ERR_UNSUPPORTED);
    assert_string_equal(s->last_error, "service Spooler is disabled");
    sp_svcinfo si;
    assert_int_equal(s->ops->svc_query(s, "Spooler", &si), SP_OK);
    assert_int_equal(si.state, SP_SVC_STOPPED);
    assert_int_equal(si.start_type, SP_SVC_START_DISABLED);
}

static void sim_should_return_notfound_for_an_unknown_service(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    sp_svcinfo si;
    assert_int_equal(s->ops->svc_query(s, "NoSuchSvc", &si), SP_ERR_NOTFOUND);
    assert_non_null(strstr(s->last_error, "NoSuchSvc"));
    assert_int_equal(s->ops->svc_start(s, "NoSuchSvc", 1000), SP_ERR_NOTFOUND);
    assert_int_equal(s->ops->svc_stop(s, "NoSuchSvc", 1000), SP_ERR_NOTFOUND);
}

static void sim_should_match_processes_by_program_name_and_arguments_in_any_case(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    const char *argv[] = {"C:\\WINDOWS\\system32\\W32TM.EXE", "/QUERY", "/status", NULL};
    char *out = NULL;
    size_t len = 0;
    int code = -1;
    assert_int_equal(s->ops->proc_run(s, argv, 5000, &out, &len, &code), SP_OK);
    assert_string_equal(out, "Leap Indicator: 0\r\n");
    assert_int_equal(len, strlen("Leap Indicator: 0\r\n"));
    assert_int_equal(code, 0);
    free(out);
    const char *net[] = {"net", "STOP", "w32time", NULL};
    assert_int_equal(s->ops->proc_run(s, net, 5000, &out, &len, &code), SP_OK);
    assert_string_equal(out, "");
    assert_int_equal(len, 0);
    assert_int_equal(code, 2);
    free(out);
    const char *crash[] = {"crash.exe", NULL};
    assert_int_equal(s->ops->proc_run(s, crash, 5000, NULL, NULL, &code), SP_OK);
    assert_int_equal((unsigned)code, 0xC0000005u);
}

static void sim_should_return_notfound_naming_the_command_when_no_process_matches(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    const char *argv[] = {"w32tm", "/query", NULL}; /* one argument short */
    char *out = (char *)1;
    size_t len = 7;
    int code = 0;
    assert_int_equal(s->ops->proc_run(s, argv, 5000, &out, &len, &code), SP_ERR_NOTFOUND);
    assert_null(out);
    assert_int_equal(len, 0);
    assert_string_equal(s->last_error, "no simulated process matches: w32tm /query");
    const char *other[] = {"w32tmx", "/query", "/status", NULL};
    assert_int_equal(s->ops->proc_run(s, other, 5000, &out, &len, &code), SP_ERR_NOTFOUND);
}

static void sim_should_report_a_timeout_for_a_process_marked_so(void **state)
{
    sp_sys *s = open_sim(*state, base_profile);
    const char *argv[] = {"wbadmin", "get", "versions", NULL};
    char *out = NULL;
    size_t len = 0;
    int code = 0;
    assert_int_equal(s->ops->proc_run(s, argv, 1234, &out, &len, &code), SP_ERR_TIMEOUT);
    assert_null(out);
    assert_non_null(strstr(s->last_error, "1234 ms"));
}

/* ---- Paths and files ---------------------------------------------------------------- */

static void assert_maps(const char *root, char sep, const char *win, const char *expected)
{
    char *out = NULL;
    sp_status st = sim_map_path(root, sep, win, &out);
    if (st != SP_OK)
        fail_msg("%s: %s", win, sp_status_name(st));
    assert_string_equal(out, expected);
    free(out);
}

static void assert_rejects(const char *win)
{
    char *out = NULL;
    sp_status st = sim_map_path("/r", '/', win, &out);
    if (st != SP_ERR_INVALID)
        fail_msg("%s should be rejected, got %s", win ? win : "(null)", sp_status_name(st));
    assert_null(out);
}

static void sim_should_map_drive_paths_under_root_keeping_case(void **state)
{
    (void)state;
    assert_maps("/r", '/', "C:\\A\\B", "/r/C/A/B");
    assert_maps("/r/", '/', "c:/Program Files/x.txt", "/r/C/Program Files/x.txt");
    assert_maps("/r", '/', "D:\\", "/r/D");
    assert_maps("/r", '/', "C:\\a\\\\b\\.\\c\\", "/r/C/a/b/c");
    assert_maps("/r", '/', "\\\\?\\C:\\Long\\Path", "/r/C/Long/Path");
    assert_maps("C:\\sim", '\\', "C:\\WINDOWS\\Temp", "C:\\sim\\C\\WINDOWS\\Temp");
}

static void sim_should_map_unc_paths_under_root_unc(void **state)
{
    (void)state;
    assert_maps("/r", '/', "\\\\server\\share\\x", "/r/UNC/server/share/x");
    assert_maps("/r", '/', "//Server/Share", "/r/UNC/Server/Share");
    assert_maps("/r", '/', "\\\\?\\UNC\\srv\\sh\\f", "/r/UNC/srv/sh/f");
    assert_maps("D:\\root\\", '\\', "\\\\srv\\backup\\a", "D:\\root\\UNC\\srv\\backup\\a");
}

static void sim_should_reject_relative_paths_and_dotdot(void **state)
{
    (void)state;
    assert_rejects(NULL);
    assert_rejects("");
    assert_rejects("WINDOWS\\Temp");
    assert_rejects("\\WINDOWS\\Temp");
    assert_rejects("C:WINDOWS");
    assert_rejects("C:");
    assert_rejects("1:\\x");
    assert_rejects("C:\\a\\..\\..\\etc");
    assert_rejects("C:\\..");
    assert_rejects("C:/a/../b");
    assert_rejects("\\\\server");
    assert_rejects("\\\\server\\..\\x");
    assert_rejects("C:\\a:stream");
    assert_rejects("C:\\what?");
    assert_rejects("C:\\a\nb");
}

static void sim_should_give_host_paths_and_reject_bad_ones_with_a_message(void **state)
{
    fixture *f = *state;
    sp_sys *s = open_sim(f, base_profile);
    char buf[512], want[512];
    assert_int_equal(sp_sim_host_path(s, "C:\\WINDOWS\\x.txt", buf, sizeof buf), SP_OK);
    snprintf(want, sizeof want, "%s/C/WINDOWS/x.txt", f->root);
    assert_string_equal(buf, want);
    assert_int_equal(sp_sim_host_path(s, "C:\\WINDOWS\\x.txt", buf, 8), SP_ERR_INVALID);
    sp_filestat fs;
    assert_int_equal(s->ops->file_stat(s, "C:\\..\\..\\etc\\passwd", &fs), SP_ERR_INVALID);
    assert_non_null(strstr(s->last_error, "C:\\..\\..\\etc\\passwd"));
    unsigned char *data = NULL;
    size_t size = 0;
    assert_int_equal(s->ops->file_read(s, "relative.txt", &data, &size), SP_ERR_INVALID);
}

static void sim_should_seed_profile_files_with_their_folders(void **state)
{
    fixture *f = *state;
    sp_sys *s = open_sim(f, base_profile);
    char *hp = host_path(f, "C/WINDOWS/SYSVOL/sysvol/contoso.local/scripts/SBS_LOGIN_SCRIPT.bat");
    size_t size = 0;
    unsigned char *data = testutil_read_file(hp, &size);
    assert_non_null(data);
    assert_string_equal((char *)data, "@echo off\r\n");
    free(data);
    assert_int_equal(s->ops->file_read(s, LOGIN_SCRIPT, &data, &size), SP_OK);
    assert_int_equal(size, 11);
    free(data);
    free(hp);
}

static void sim_should_not_overwrite_or_recreate_seeded_files_on_the_next_open(void **state)
{
    fixture *f = *state;
    sp_sys *s = open_sim(f, base_profile);
    const char *changed = "rem changed by the technician\r\n";
    assert_int_equal(s->ops->file_write_atomic(s, LOGIN_SCRIPT, changed, strlen(changed)), SP_OK);
    open_sim(f, base_profile);
    char *hp = host_path(f, "C/WINDOWS/SYSVOL/sysvol/contoso.local/scripts/SBS_LOGIN_SCRIPT.bat");
    unsigned char *data = testutil_read_file(hp, NULL);
    assert_non_null(data);
    assert_string_equal((char *)data, changed);
    free(data);
    /* A file a run deleted stays deleted: the policy step removes this very script. */
    assert_int_equal(f->sim->ops->file_delete(f->sim, LOGIN_SCRIPT), SP_OK);
    open_sim(f, base_profile);
    assert_false(testutil_exists(hp));
    free(hp);
}

static void sim_should_seed_a_file_that_exists_on_the_host_only_when_missing(void **state)
{
    fixture *f = *state;
    char *dir = host_path(f, "C/data");
    assert_int_equal(f->host->ops->dir_create(f->host, dir), SP_OK);
    char *hp = host_path(f, "C/data/a.txt");
    assert_int_equal(testutil_write_file(hp, "already here", 12), 0);
    open_sim(f, "{'os': {}, 'files': {'C:\\\\data\\\\a.txt': 'from profile',"
                "                     'C:\\\\data\\\\b.txt': 'new'}}");
    unsigned char *data = testutil_read_file(hp, NULL);
    assert_string_equal((char *)data, "already here");
    free(data);
    free(hp);
    hp = host_path(f, "C/data/b.txt");
    data = testutil_read_file(hp, NULL);
    assert_non_null(data);
    assert_string_equal((char *)data, "new");
    free(data);
    free(hp);
    free(dir);
}

static void sim_should_find_existing_files_and_folders_whatever_their_case(void **state)
{
    fixture *f = *state;
    sp_sys *s = open_sim(f, base_profile);
    unsigned char *data = NULL;
    size_t size = 0;
    assert_int_equal(s->ops->file_read(s, "c:\\windows\\sysvol\\SYSVOL\\Contoso.Local\\SCRIPTS\\"
                                          "sbs_login_script.BAT",
                                       &data, &size),
                     SP_OK);
    assert_string_equal((char *)data, "@echo off\r\n");
    free(data);
    /* A new file goes into the existing folder, not into a second one. */
    assert_int_equal(s->ops->file_write_atomic(s, "C:\\Windows\\Temp\\new.txt", "x", 1), SP_OK);
    char *hp = host_path(f, "C/WINDOWS/Temp/new.txt");
    assert_true(testutil_exists(hp));
    free(hp);
    char *wrong = host_path(f, "C/Windows");
    assert_false(testutil_exists(wrong));
    free(wrong);
}

static void sim_should_write_read_stat_move_enumerate_and_delete_through_the_host(void **state)
{
    fixture *f = *state;
    sp_sys *s = open_sim(f, base_profile);
    assert_int_equal(s->ops->file_write_atomic(s, "C:\\Data\\a.txt", "abc", 3), SP_ERR_NOTFOUND);
    assert_non_null(strstr(s->last_error, "a.txt"));
    assert_int_equal(s->ops->dir_create(s, "C:\\Data\\Sub"), SP_OK);
    assert_int_equal(s->ops->file_write_atomic(s, "C:\\Data\\a.txt", "abc", 3), SP_OK);
    assert_int_equal(s->ops->file_write_atomic(s, "C:\\Data\\a.txt", "abcd", 4), SP_OK);
    sp_filestat fs;
    assert_int_equal(s->ops->file_stat(s, "C:\\Data\\a.txt", &fs), SP_OK);
    assert_true(fs.exists);
    assert_false(fs.is_dir);
    assert_int_equal(fs.size, 4);
    assert_int_equal(s->ops->file_move(s, "C:\\Data\\a.txt", "C:\\Data\\Sub\\b.txt"), SP_OK);
    assert_int_equal(s->ops->file_stat(s, "C:\\Data\\a.txt", &fs), SP_OK);
    assert_false(fs.exists);
    unsigned char *data = NULL;
    size_t size = 0;
    assert_int_equal(s->ops->file_read(s, "C:\\Data\\Sub\\b.txt", &data, &size), SP_OK);
    assert_int_equal(size, 4);
    assert_memory_equal(data, "abcd", 4);
    free(data);
    char *hp = host_path(f, "C/Data/Sub/b.txt");
    assert_true(testutil_exists(hp));
    free(hp);
    names n = {0};
    assert_int_equal(s->ops->dir_enum(s, "C:\\Data\\Sub", collect_entry, &n), SP_OK);
    assert_int_equal(n.count, 1);
    assert_string_equal(n.names[0], "b.txt");
    assert_int_equal(s->ops->file_delete(s, "C:\\Data\\Sub\\b.txt"), SP_OK);
    assert_int_equal(s->ops->file_read(s, "C:\\Data\\Sub\\b.txt", &data, &size), SP_ERR_NOTFOUND);
    assert_int_equal(s->ops->dir_enum(s, "C:\\Nope", collect_entry, &n), SP_ERR_NOTFOUND);
}

/* ---- Malformed profiles ------------------------------------------------------------- */

typedef struct {
    const char *profile;
    const char *message; /* must appear in err */
} bad_profile;

static void assert_all_rejected(fixture *f, const bad_profile *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        sp_status st = try_open(f, cases[i].profile);
        if (st != SP_ERR_BADDATA || !strstr(f->err, cases[i].message))
            fail_msg("profile %s\n  gave %s: \"%s\"\n  expected baddata with \"%s\"",
                     cases[i].profile, sp_status_name(st), f->err, cases[i].message);
        assert_null(f->sim);
        /* Nothing is created for a profile that is refused. */
        assert_false(testutil_exists(f->root));
    }
}

static void sim_should_reject_malformed_json_with_its_position(void **state)
{
    fixture *f = *state;
    assert_int_equal(sp_sim_open("", 0, f->host, f->root, &f->sim, f->err, sizeof f->err),
                     SP_ERR_BADDATA);
    assert_string_equal(f->err, "profile is empty");
    static const bad_profile cases[] = {
        {"{'os': ", "profile is not valid JSON (line 1, column"},
        {"{\n'os': {},\n'x': ]}", "profile is not valid JSON (line 3, column"},
        {"[1, 2]", "profile must be a JSON object"},
        {"'just text'", "profile must be a JSON object"},
        {"{'os': {}} x", "profile has extra text after the JSON object (line 1, column 12)"},
    };
    assert_all_rejected(f, cases, sizeof cases / sizeof cases[0]);
}

static void sim_should_reject_bad_top_level_and_os_fields_naming_the_key(void **state)
{
    fixture *f = *state;
    assert_int_equal(try_open(f, "{'os': {'major': 'five'}}"), SP_ERR_BADDATA);
    assert_string_equal(f->err, "os.major must be a number");
    static const bad_profile cases[] = {
        {"{'name': 'x'}", "profile has no \"os\" object"},
        {"{'os': 5}", "os must be an object"},
        {"{'os': {'build': -1}}", "os.build must be a whole number from 0 to 4294967295"},
        {"{'os': {'suite_mask': 4294967296}}", "os.suite_mask must be a whole number"},
        {"{'os': {'minor': 1.5}}", "os.minor must be a whole number"},
        {"{'os': {'product_info': null}}", "os.product_info must be a number"},
        {"{'os': {'csd': 2}}", "os.csd must be a string"},
        {"{'os': {'computer': ['SBS01']}}", "os.computer must be a string"},
        {"{'os': {}, 'admin': 'yes'}", "admin must be true or false"},
        {"{'os': {}, 'now': 'today'}", "now must be a number"},
        {"{'os': {}, 'now': 1e300}", "now must be a whole number"},
        {"{'os': {}, 'name': 7}", "name must be a string"},
        {"{'os': {}, 'folders': []}", "folders must be an object"},
        {"{'os': {}, 'folders': {'temp': 'WINDOWS\\\\Temp'}}",
         "folders.temp must be an absolute Windows path"},
        {"{'os': {}, 'folders': {'windows': 3}}", "folders.windows must be a string"},
    };
    assert_all_rejected(f, cases, sizeof cases / sizeof cases[0]);
}

static void sim_should_reject_bad_registry_entries_naming_key_and_value(void **state)
{
    static const bad_profile cases[] = {
        {"{'os': {}, 'registry': []}", "registry must be an object of registry keys"},
        {"{'os': {}, 'registry': {'HKXX\\\\A': {}}}",
         "registry: key \"HKXX\\A\" must start with HKLM, HKCU, HKU, HKCR or HKCC"},
        {"{'os': {}, 'registry': {'HKLM': {}}}", "registry: key \"HKLM\" must start with"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': 1}}",
         "registry: key \"HKLM\\A\" must be an object of values"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': 'x'}}}",
         "registry: HKLM\\A value \"V\" must be an object such as {\"sz\": \"text\"}"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'sz': 'a', 'dword': 1}}}}",
         "value \"V\" must have exactly one type key"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {}}}}",
         "value \"V\" must have exactly one type key"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'float': 1}}}}",
         "value \"V\" has unknown type \"float\""},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'sz': 1}}}}",
         "HKLM\\A value \"V\": sz must be a string"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'expand_sz': false}}}}",
         "value \"V\": expand_sz must be a string"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'dword': -1}}}}",
         "value \"V\": dword must be a whole number from 0 to 4294967295"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'dword': 4294967296}}}}",
         "value \"V\": dword must be a whole number"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'dword': '2'}}}}",
         "value \"V\": dword must be a number"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'qword': 'x12'}}}}",
         "value \"V\": qword must be a 64-bit decimal or 0x hex number"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'qword': '18446744073709551616'}}}}",
         "value \"V\": qword must be a 64-bit decimal or 0x hex number"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'qword': true}}}}",
         "value \"V\": qword must be a number or a string of digits"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'binary': '0g'}}}}",
         "value \"V\": binary has a bad hex digit at position 1"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'binary': 'abc'}}}}",
         "value \"V\": binary has an odd number of hex digits"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'binary': 'a b'}}}}",
         "value \"V\": binary has a bad hex digit at position 1"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'binary': [0]}}}}",
         "value \"V\": binary must be a string"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'multi_sz': 'a'}}}}",
         "value \"V\": multi_sz must be an array of strings"},
        {"{'os': {}, 'registry': {'HKLM\\\\A': {'V': {'multi_sz': ['a', 1]}}}}",
         "value \"V\": multi_sz must be an array of strings"},
        {"{'os': {}, 'registry32': {'HKLM\\\\A': {'V': {'sz': 1}}}}",
         "registry32: HKLM\\A value \"V\": sz must be a string"},
    };
    assert_all_rejected(*state, cases, sizeof cases / sizeof cases[0]);
}

static void sim_should_reject_bad_services_and_processes_naming_the_entry(void **state)
{
    static const bad_profile cases[] = {
        {"{'os': {}, 'services': []}", "services must be an object"},
        {"{'os': {}, 'services': {'W32Time': 'running'}}", "services.W32Time must be an object"},
        {"{'os': {}, 'services': {'W32Time': {'state': 'flying'}}}",
         "services.W32Time.state: unknown state \"flying\" (expected stopped, running, paused, "
         "start_pending or stop_pending)"},
        {"{'os': {}, 'services': {'W32Time': {'start': 'sometimes'}}}",
         "services.W32Time.start: unknown start \"sometimes\" (expected boot, system, auto, "
         "demand or disabled)"},
        {"{'os': {}, 'services': {'W32Time': {'state': 4}}}",
         "services.W32Time.state must be a string"},
        {"{'os': {}, 'processes': {}}", "processes must be an array"},
        {"{'os': {}, 'processes': [1]}", "processes[0] must be an object"},
        {"{'os': {}, 'processes': [{'argv': []}]}",
         "processes[0].argv must be a non-empty array of strings"},
        {"{'os': {}, 'processes': [{'output': 'x'}]}",
         "processes[0].argv must be a non-empty array of strings"},
        {"{'os': {}, 'processes': [{'argv': ['a']}, {'argv': ['b', 2]}]}",
         "processes[1].argv must be a non-empty array of strings"},
        {"{'os': {}, 'processes': [{'argv': ['a'], 'exit': 'zero'}]}",
         "processes[0].exit must be a number"},
        {"{'os': {}, 'processes': [{'argv': ['a'], 'exit': 4294967296}]}",
         "processes[0].exit must be a whole number from -2147483648 to 4294967295"},
        {"{'os': {}, 'processes': [{'argv': ['a'], 'output': 1}]}",
         "processes[0].output must be a string"},
        {"{'os': {}, 'processes': [{'argv': ['a'], 'timeout': 1}]}",
         "processes[0].timeout must be true or false"},
    };
    assert_all_rejected(*state, cases, sizeof cases / sizeof cases[0]);
}

static void sim_should_reject_bad_files_naming_the_path(void **state)
{
    static const bad_profile cases[] = {
        {"{'os': {}, 'files': []}", "files must be an object"},
        {"{'os': {}, 'files': {'WINDOWS\\\\x.txt': 'x'}}",
         "files: \"WINDOWS\\x.txt\" must be an absolute Windows path without \"..\""},
        {"{'os': {}, 'files': {'C:\\\\a\\\\..\\\\..\\\\etc\\\\passwd': 'x'}}",
         "files: \"C:\\a\\..\\..\\etc\\passwd\" must be an absolute Windows path"},
        {"{'os': {}, 'files': {'C:\\\\a.txt': 5}}", "files: \"C:\\a.txt\" must have a string"},
    };
    assert_all_rejected(*state, cases, sizeof cases / sizeof cases[0]);
}

static void sim_should_refuse_missing_arguments(void **state)
{
    fixture *f = *state;
    const char *json = "{\"os\": {}}";
    assert_int_equal(sp_sim_open(json, strlen(json), NULL, f->root, &f->sim, f->err, sizeof f->err),
                     SP_ERR_INVALID);
    assert_int_equal(sp_sim_open(json, strlen(json), f->host, "", &f->sim, f->err, sizeof f->err),
                     SP_ERR_INVALID);
    assert_int_equal(sp_sim_open(json, strlen(json), f->host, f->root, NULL, NULL, 0),
                     SP_ERR_INVALID);
    assert_null(f->sim);
}

/* ---- Shipped profiles --------------------------------------------------------------- */

static void sim_should_load_every_shipped_profile(void **state)
{
    fixture *f = *state;
    glob_t g;
    assert_int_equal(glob("tests/profiles/*.json", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 10);
    for (size_t i = 0; i <= g.gl_pathc; i++) {
        const char *path = i < g.gl_pathc ? g.gl_pathv[i] : "resources/demo-sbs2003.json";
        size_t len = 0;
        char *json = (char *)testutil_read_file(path, &len);
        if (!json)
            fail_msg("cannot read %s (tests run from the repository root)", path);
        char sub[32];
        snprintf(sub, sizeof sub, "p%lu", (unsigned long)i);
        char *root = testutil_join(f->dir, sub);
        sp_sys *s = NULL;
        sp_status st = sp_sim_open(json, len, f->host, root, &s, f->err, sizeof f->err);
        free(json);
        free(root);
        if (st != SP_OK)
            fail_msg("%s: %s: %s", path, sp_status_name(st), f->err);
        sp_osinfo os;
        assert_int_equal(s->ops->os_info(s, &os), SP_OK);
        if (os.major < 5 || !os.computer[0] || !os.product_name[0] || !*sp_sim_profile_name(s))
            fail_msg("%s: os, computer, product_name and name must be set", path);
        sp_sys_close(s);
    }
    globfree(&g);
}

static void demo_profile_should_carry_the_typical_sbs2003_problems(void **state)
{
    fixture *f = *state;
    size_t len = 0;
    char *json = (char *)testutil_read_file("resources/demo-sbs2003.json", &len);
    assert_non_null(json);
    assert_int_equal(sp_sim_open(json, len, f->host, f->root, &f->sim, f->err, sizeof f->err),
                     SP_OK);
    free(json);
    sp_sys *s = f->sim;
    sp_osinfo os;
    assert_int_equal(s->ops->os_info(s, &os), SP_OK);
    assert_string_equal(os.computer, "SBS01");
    assert_string_equal(os.domain, "contoso.local");
    sp_filestat fs;
    assert_int_equal(s->ops->file_stat(s, LOGIN_SCRIPT, &fs), SP_OK);
    assert_true(fs.exists);
    char buf[256];
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_DEFAULT,
                                       "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Netlogon\\"
                                       "Parameters",
                                       "SysVol", buf, sizeof buf),
                     SP_OK);
    assert_string_equal(buf, "C:\\WINDOWS\\SYSVOL\\sysvol");
    unsigned char *inf = NULL;
    size_t size = 0;
    assert_int_equal(s->ops->file_read(s,
                                       "C:\\WINDOWS\\SYSVOL\\sysvol\\contoso.local\\Policies\\"
                                       "{6AC1786C-016F-11D2-945F-00C04fB984F9}\\MACHINE\\"
                                       "Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf",
                                       &inf, &size),
                     SP_OK);
    assert_non_null(strstr((char *)inf, "[Privilege Rights]"));
    assert_non_null(strstr((char *)inf, "SeServiceLogonRight = "));
    free(inf);
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_DEFAULT,
                                       "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy", "ValidPorts",
                                       buf, sizeof buf),
                     SP_OK);
    assert_string_equal(buf, "SBS01:6001-6002;SBS01:6004");
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_DEFAULT,
                                       "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\"
                                       "Parameters",
                                       "Type", buf, sizeof buf),
                     SP_OK);
    assert_string_equal(buf, "NT5DS");
    uint32_t dw = 0;
    assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_DEFAULT, EXCHANGE_SETUP, "ServicePackNumber",
                                      &dw),
                     SP_OK);
    assert_int_equal(dw, 2);
    names apps = {0};
    assert_int_equal(s->ops->reg_enum_keys(s, SP_REG_VIEW_DEFAULT, UNINSTALL, collect_name, &apps),
                     SP_OK);
    assert_true(apps.count >= 3);
    sp_svcinfo si;
    assert_int_equal(s->ops->svc_query(s, "MSExchangeIS", &si), SP_OK);
    assert_int_equal(si.state, SP_SVC_RUNNING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(sim_should_fill_os_info_from_the_profile),
        T(sim_should_truncate_long_os_strings_at_a_character_boundary),
        T(sim_should_use_fixed_now_admin_and_default_folders),
        T(sim_should_take_folders_admin_and_real_time_from_the_profile),
        T(sim_should_read_a_profile_that_is_not_nul_terminated),
        T(sim_should_read_sz_and_expand_sz_as_nul_terminated_utf8),
        T(sim_should_read_multi_sz_as_a_double_nul_list),
        T(sim_should_read_dword_and_qword_as_little_endian_bytes),
        T(sim_should_read_binary_from_packed_or_separated_hex),
        T(sim_should_read_the_default_value_by_an_empty_name),
        T(sim_should_match_keys_roots_and_value_names_case_insensitively),
        T(sim_should_return_notfound_for_a_missing_value_or_key),
        T(sim_should_use_registry32_for_the_32bit_view_when_present),
        T(sim_should_share_one_registry_between_views_without_registry32),
        T(sim_should_enumerate_implied_parent_keys_once_each),
        T(sim_should_enumerate_values_in_profile_order_and_stop_when_asked),
        T(sim_should_return_a_set_value_and_create_its_key),
        T(sim_should_return_notfound_after_deleting_a_value),
        T(sim_should_refuse_hklm_writes_and_service_control_without_admin),
        T(sim_should_start_and_stop_services_in_memory),
        T(sim_should_refuse_to_start_a_disabled_service),
        T(sim_should_return_notfound_for_an_unknown_service),
        T(sim_should_match_processes_by_program_name_and_arguments_in_any_case),
        T(sim_should_return_notfound_naming_the_command_when_no_process_matches),
        T(sim_should_report_a_timeout_for_a_process_marked_so),
        T(sim_should_map_drive_paths_under_root_keeping_case),
        T(sim_should_map_unc_paths_under_root_unc),
        T(sim_should_reject_relative_paths_and_dotdot),
        T(sim_should_give_host_paths_and_reject_bad_ones_with_a_message),
        T(sim_should_seed_profile_files_with_their_folders),
        T(sim_should_not_overwrite_or_recreate_seeded_files_on_the_next_open),
        T(sim_should_seed_a_file_that_exists_on_the_host_only_when_missing),
        T(sim_should_find_existing_files_and_folders_whatever_their_case),
        T(sim_should_write_read_stat_move_enumerate_and_delete_through_the_host),
        T(sim_should_reject_malformed_json_with_its_position),
        T(sim_should_reject_bad_top_level_and_os_fields_naming_the_key),
        T(sim_should_reject_bad_registry_entries_naming_key_and_value),
        T(sim_should_reject_bad_services_and_processes_naming_the_entry),
        T(sim_should_reject_bad_files_naming_the_path),
        T(sim_should_refuse_missing_arguments),
        T(sim_should_load_every_shipped_profile),
        T(demo_profile_should_carry_the_typical_sbs2003_problems),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
