/* Undo's allow-list: a journal entry no step can have made is refused and nothing is written (issue 18). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/undo_allow.h"
#include "tests/unit/testutil.h"

#define DIR "C:\\ProgramData\\SourcePrep"
#define GPO "C:\\WINDOWS\\SYSVOL\\sysvol\\fabrikam.local\\Policies\\{6AC1786C-016F-11D2-945F-00C04fB984F9}"
#define INF GPO "\\MACHINE\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf"
#define GPO_DN "CN={6AC1786C-016F-11D2-945F-00C04fB984F9},CN=Policies,CN=System,DC=fabrikam,DC=local"

static int allowed(sp_undo_target it)
{
    char why[400];
    int ok = sp_undo_allowed(DIR, &it, why, sizeof why);
    assert_true(ok ? why[0] == '\0' : why[0] != '\0');
    return ok;
}

static void undo_should_accept_what_the_steps_write(void **state)
{
    (void)state;
    assert_true(allowed((sp_undo_target){.kind = SP_CHANGE_FILE_WRITE, .step = "policy", .target = INF,
                                       .backup = DIR "\\backups\\0001.bak"}));
    assert_true(allowed((sp_undo_target){.kind = SP_CHANGE_FILE_WRITE, .step = "policy", .target = GPO "\\GPT.INI",
                                       .backup = DIR "\\backups\\0002.bak"}));
    assert_true(allowed((sp_undo_target){.kind = SP_CHANGE_FILE_REMOVE, .step = "policy",
                                       .target = "C:\\WINDOWS\\SYSVOL\\sysvol\\fabrikam.local\\scripts\\SBS_LOGIN_SCRIPT.bat",
                                       .backup = DIR "\\backups\\0003.bak"}));
    assert_true(allowed((sp_undo_target){.kind = SP_CHANGE_LDAP_SET, .step = "policy", .target = "x", .dn = GPO_DN,
                                       .attr = "versionNumber", .old_text = "65539"}));
    assert_true(allowed((sp_undo_target){.kind = SP_CHANGE_LDAP_SET, .step = "policy", .target = "x",
                                       .dn = "CN=Ann Lee,OU=SBSUsers,DC=fabrikam,DC=local", .attr = "scriptPath",
                                       .old_text = "\\\\FABSBS\\NETLOGON\\sbs_login_script.bat"}));
    assert_true(allowed((sp_undo_target){.kind = SP_CHANGE_REG_SET, .step = "email", .target = "x",
                                       .key = "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy", .value = "ValidPorts"}));
    assert_true(allowed((sp_undo_target){.kind = SP_CHANGE_REG_SET, .step = "timesync", .target = "x",
                                       .key = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters",
                                       .value = "Type"}));
    assert_true(allowed((sp_undo_target){.kind = SP_CHANGE_REG_SET, .step = "timesync", .target = "x",
                                       .key = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters",
                                       .value = "NtpServer"}));
    assert_true(allowed((sp_undo_target){.kind = SP_CHANGE_REG_SET, .step = "updates", .target = "x",
                                       .key = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
                                       .value = "SourcePrep", .old_is_null = 1}));
}

static void undo_should_refuse_anything_else(void **state)
{
    (void)state;
    /* A file no step writes, a path that climbs out, a backup from elsewhere. */
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_FILE_WRITE, .step = "policy",
                                        .target = "C:\\WINDOWS\\system32\\wbadmin.exe", .backup = DIR "\\backups\\0001.bak"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_FILE_WRITE, .step = "policy",
                                        .target = GPO "\\..\\..\\..\\..\\..\\system32\\GPT.INI",
                                        .backup = DIR "\\backups\\0001.bak"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_FILE_WRITE, .step = "policy", .target = INF,
                                        .backup = "C:\\Users\\Public\\evil.bak"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_FILE_WRITE, .step = "policy", .target = INF,
                                        .backup = DIR "\\backups\\..\\..\\evil.bak"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_FILE_REMOVE, .step = "policy",
                                        .target = "C:\\WINDOWS\\SYSVOL\\sysvol\\fabrikam.local\\scripts\\SBS_LOGIN_SCRIPT.bat"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_FILE_WRITE, .step = "email", .target = INF,
                                        .backup = DIR "\\backups\\0001.bak"}));
    /* The right value under another step, another value, RunOnce given a program back. */
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_REG_SET, .step = "timesync", .target = "x",
                                        .key = "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy", .value = "ValidPorts"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_REG_SET, .step = "email", .target = "x",
                                        .key = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters",
                                        .value = "SearchList"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_REG_SET, .step = "updates", .target = "x",
                                        .key = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
                                        .value = "SourcePrep", .old_type = 1}));
    /* LDAP: another attribute, another entry's version, a logon script SourcePrep never cleared. */
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_LDAP_SET, .step = "policy", .target = "x", .dn = GPO_DN,
                                        .attr = "gPCFileSysPath", .old_text = "\\\\evil\\share"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_LDAP_SET, .step = "policy", .target = "x",
                                        .dn = "CN=Administrator,CN=Users,DC=fabrikam,DC=local",
                                        .attr = "versionNumber", .old_text = "1"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_LDAP_SET, .step = "policy", .target = "x",
                                        .dn = "CN=Administrator,CN=Users,DC=fabrikam,DC=local",
                                        .attr = "scriptPath", .old_text = "\\\\evil\\share\\run.bat"}));
    assert_false(allowed((sp_undo_target){.kind = SP_CHANGE_LDAP_SET, .step = "policy", .target = "x", .dn = GPO_DN,
                                        .attr = "versionNumber", .old_text = "1; drop"}));
}

/* The whole path: a journal that names a file outside what the steps write is refused by the
 * session's undo, which writes nothing; today's undo wrote it as administrator. */
static void session_undo_should_not_write_a_planted_target(void **state)
{
    (void)state;
    testutil_world w;
    size_t undone = 9, n = 0;
    unsigned char *data = NULL;
    static const char planted[] =
        "[{\"seq\": 1, \"kind\": \"file_write\", \"step\": \"policy\", \"time\": 1,"
        "  \"target\": \"C:\\\\WINDOWS\\\\system32\\\\w32tm.exe\", \"undone\": false,"
        "  \"backup\": \"C:\\\\Documents and Settings\\\\All Users\\\\Application Data\\\\SourcePrep\\\\backups\\\\0001.bak\"}]";
    testutil_world_open_json(&w, "{\"os\": {\"major\": 5, \"minor\": 2, \"build\": 3790, \"product_type\": 2},"
                                 " \"files\": {\"C:\\\\WINDOWS\\\\system32\\\\w32tm.exe\": \"MZ the real one\"}}");
    char bak[700], journal[700];
    snprintf(bak, sizeof bak, "%s\\backups", w.session.data_dir);
    assert_int_equal(w.sim->ops->dir_create(w.sim, bak), SP_OK);
    snprintf(bak, sizeof bak, "%s\\backups\\0001.bak", w.session.data_dir);
    assert_int_equal(w.sim->ops->file_write_atomic(w.sim, bak, "MZ planted", 10), SP_OK);
    snprintf(journal, sizeof journal, "%s\\journal.json", w.session.data_dir);
    assert_int_equal(w.sim->ops->file_write_atomic(w.sim, journal, planted, strlen(planted)), SP_OK);
    sp_journal_close(w.session.journal);
    assert_int_equal(sp_journal_open(w.sim, w.session.data_dir, &w.session.journal), SP_OK);
    sp_journal_restrict_undo(w.session.journal);

    assert_int_equal(sp_journal_undo(w.session.journal, NULL, &undone), SP_ERR_ACCESS);
    assert_int_equal(undone, 0);
    assert_non_null(strstr(w.sim->last_error, "Journal entry 1 was not undone"));
    assert_non_null(strstr(w.sim->last_error, "w32tm.exe"));
    assert_int_equal(w.sim->ops->file_read(w.sim, "C:\\WINDOWS\\system32\\w32tm.exe", &data, &n), SP_OK);
    assert_int_equal(n, 15);
    assert_memory_equal(data, "MZ the real one", 15);
    free(data);
    testutil_world_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(undo_should_accept_what_the_steps_write),
        cmocka_unit_test(undo_should_refuse_anything_else),
        cmocka_unit_test(session_undo_should_not_write_a_planted_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
