/* Data folder: made private, and refused at start when someone else owns it, may write in it or linked it elsewhere (issue 18). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/datadir.h"
#include "core/msgids.h"
#include "core/sys/sim/sim.h"
#include "tests/unit/testutil.h"

#define OS "\"os\": {\"major\": 5, \"minor\": 2, \"build\": 3790, \"product_type\": 2}"
#define PD "C:\\\\Documents and Settings\\\\All Users\\\\Application Data"
#define DATA PD "\\\\SourcePrep"
#define USER_SID "S-1-5-21-1004336348-1177238915-682003330-1107"

/* ---- The judgement ----------------------------------------------------------------------- */

static sp_pathsec safe_folder(void)
{
    sp_pathsec s;
    memset(&s, 0, sizeof s);
    s.exists = s.is_dir = s.has_dacl = 1;
    strcpy(s.owner, "S-1-5-32-544");
    strcpy(s.self, "S-1-5-21-1-2-3-500");
    s.ace_count = 2;
    s.aces[0] = (sp_ace){1, 0x3, 0x1f01ff, "S-1-5-18"};
    s.aces[1] = (sp_ace){1, 0x3, 0x1f01ff, "S-1-5-32-544"};
    return s;
}

static void judge_should_accept_system_administrators_and_self_only(void **state)
{
    (void)state;
    char who[96];
    sp_pathsec s = safe_folder();
    assert_int_equal(sp_datadir_judge(&s, who, sizeof who), SP_DATADIR_SAFE);
    strcpy(s.owner, s.self); /* the administrator running it made it */
    s.aces[s.ace_count++] = (sp_ace){1, 0x3, 0x1200a9, "S-1-1-0"}; /* Everyone may read */
    s.aces[s.ace_count++] = (sp_ace){1, 0xb, 0x10000000, "S-1-3-0"}; /* CREATOR OWNER, inherit-only */
    s.aces[s.ace_count++] = (sp_ace){0, 0x3, 0x1f01ff, "S-1-5-32-545"}; /* a deny is no grant */
    assert_int_equal(sp_datadir_judge(&s, who, sizeof who), SP_DATADIR_SAFE);
    assert_string_equal(who, "");
}

static void judge_should_refuse_a_foreign_owner(void **state)
{
    (void)state;
    char who[96];
    sp_pathsec s = safe_folder();
    strcpy(s.owner, USER_SID);
    assert_int_equal(sp_datadir_judge(&s, who, sizeof who), SP_DATADIR_OWNER);
    assert_string_equal(who, USER_SID);
}

static void judge_should_refuse_any_right_that_changes_it(void **state)
{
    (void)state;
    /* ProgramData's own ACEs for Users: create files, create folders; then single rights. */
    static const uint32_t masks[] = {0x2, 0x4, 0x10, 0x40, 0x100, 0x10000, 0x40000, 0x80000,
                                     0x10000000, 0x40000000};
    char who[96];
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        sp_pathsec s = safe_folder();
        s.aces[s.ace_count++] = (sp_ace){1, 0x12, masks[i] | 0x1200a9, "S-1-5-32-545"};
        assert_int_equal(sp_datadir_judge(&s, who, sizeof who), SP_DATADIR_WRITABLE);
        assert_string_equal(who, "S-1-5-32-545");
    }
    sp_pathsec s = safe_folder();
    s.aces[s.ace_count++] = (sp_ace){1, 0x0, 0x1f01ff, "S-1-3-0"}; /* CREATOR OWNER on the folder itself */
    assert_int_equal(sp_datadir_judge(&s, who, sizeof who), SP_DATADIR_WRITABLE);
}

static void judge_should_refuse_links_missing_dacls_and_what_it_cannot_read(void **state)
{
    (void)state;
    sp_pathsec s = safe_folder();
    s.reparse = 1;
    assert_int_equal(sp_datadir_judge(&s, NULL, 0), SP_DATADIR_REPARSE);
    s = safe_folder();
    s.has_dacl = 0;
    s.ace_count = 0;
    assert_int_equal(sp_datadir_judge(&s, NULL, 0), SP_DATADIR_NO_DACL);
    s = safe_folder();
    s.aces_truncated = 1;
    assert_int_equal(sp_datadir_judge(&s, NULL, 0), SP_DATADIR_UNKNOWN);
    s = safe_folder();
    s.owner[0] = '\0';
    assert_int_equal(sp_datadir_judge(&s, NULL, 0), SP_DATADIR_UNKNOWN);
}

/* ---- At the start of a session, on the simulated server ------------------------------------- */

/* Opens the sim of json and a session on it; the session's status. */
static sp_status open_session(testutil_world *w, const char *json)
{
    testutil_world_open_sim(w, json);
    return sp_session_open(&w->session, w->sim);
}

static void session_should_create_the_data_folder_private(void **state)
{
    (void)state;
    testutil_world w;
    char host[1024];
    struct stat sb;
    assert_int_equal(open_session(&w, "{" OS "}"), SP_OK);
    assert_int_equal(sp_sim_host_path(w.sim, w.session.data_dir, host, sizeof host), SP_OK);
    assert_int_equal(lstat(host, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_int_equal(sb.st_mode & 077, 0); /* nobody but its owner */
    sp_session_close(&w.session);
    testutil_world_close(&w);
}

static void expect_refused(const char *json, sp_datadir_verdict verdict, unsigned msg, const char *path_end,
                           const char *who)
{
    testutil_world w;
    assert_int_equal(open_session(&w, json), SP_ERR_ACCESS);
    assert_int_equal(w.session.failed, SP_STAGE_FOLDER);
    assert_int_equal(w.session.folder_problem.verdict, verdict);
    assert_int_equal(w.session.folder_problem.msg_id, msg);
    size_t n = strlen(w.session.folder_problem.path), m = strlen(path_end);
    assert_true(n >= m);
    assert_string_equal(w.session.folder_problem.path + n - m, path_end);
    if (who)
        assert_string_equal(w.session.folder_problem.who, who);
    assert_null(w.session.journal); /* nothing in the folder was believed */
    sp_session_close(&w.session);
    testutil_world_close(&w);
}

static void session_should_refuse_a_data_folder_with_a_foreign_owner(void **state)
{
    (void)state;
    expect_refused("{" OS ", \"folders\": {}, \"security\": {\"" DATA "\": {\"owner\": \"" USER_SID "\"}}}",
                   SP_DATADIR_OWNER, IDS_ERR_DATA_OWNER, "\\SourcePrep", USER_SID);
}

static void session_should_refuse_a_journal_with_a_foreign_owner(void **state)
{
    (void)state;
    expect_refused("{" OS ", \"files\": {\"" DATA "\\\\journal.json\": \"[]\"},"
                   " \"security\": {\"" DATA "\\\\journal.json\": {\"owner\": \"" USER_SID "\"}}}",
                   SP_DATADIR_OWNER, IDS_ERR_DATA_OWNER, "\\journal.json", USER_SID);
}

static void session_should_refuse_a_data_folder_users_may_write_in(void **state)
{
    (void)state;
    expect_refused("{" OS ", \"security\": {\"" DATA "\": {\"writable_by\": \"S-1-5-32-545\"}}}",
                   SP_DATADIR_WRITABLE, IDS_ERR_DATA_WRITABLE, "\\SourcePrep", "S-1-5-32-545");
    expect_refused("{" OS ", \"security\": {\"" DATA "\": {\"no_dacl\": true}}}", SP_DATADIR_NO_DACL,
                   IDS_ERR_DATA_NO_DACL, "\\SourcePrep", NULL);
}

static void session_should_refuse_a_planted_file_in_the_backups_folder(void **state)
{
    (void)state;
    expect_refused("{" OS ", \"files\": {\"" DATA "\\\\backups\\\\0001.bak\": \"x\"},"
                   " \"security\": {\"" DATA "\\\\backups\\\\0001.bak\": {\"owner\": \"" USER_SID "\"}}}",
                   SP_DATADIR_OWNER, IDS_ERR_DATA_OWNER, "\\backups\\0001.bak", USER_SID);
}

/* A real symbolic link on the host (the posix backend's reparse point), not the profile's word. */
static void session_should_refuse_a_data_folder_or_journal_that_is_a_link(void **state)
{
    (void)state;
    static const char *const names[] = {"", "\\journal.json", "\\backups"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        testutil_world w;
        char win[600], host[1024], elsewhere[1100];
        testutil_world_open_sim(&w, "{" OS "}");
        snprintf(win, sizeof win, "%s\\SourcePrep%s",
                 "C:\\Documents and Settings\\All Users\\Application Data", names[i]);
        if (i > 0) {
            snprintf(elsewhere, sizeof elsewhere, "%s\\SourcePrep",
                     "C:\\Documents and Settings\\All Users\\Application Data");
            assert_int_equal(w.sim->ops->dir_create_private(w.sim, elsewhere), SP_OK);
        }
        assert_int_equal(sp_sim_host_path(w.sim, win, host, sizeof host), SP_OK);
        snprintf(elsewhere, sizeof elsewhere, "%s/attacker", w.root);
        assert_int_equal(mkdir(elsewhere, 0777), 0);
        assert_int_equal(symlink(elsewhere, host), 0);
        assert_int_equal(sp_session_open(&w.session, w.sim), SP_ERR_ACCESS);
        assert_int_equal(w.session.folder_problem.verdict, SP_DATADIR_REPARSE);
        assert_int_equal(w.session.folder_problem.msg_id, IDS_ERR_DATA_REPARSE);
        assert_string_equal(w.session.folder_problem.path, win);
        sp_session_close(&w.session);
        testutil_world_close(&w);
    }
}

static void profile_should_refuse_a_malformed_security_entry(void **state)
{
    (void)state;
    char err[300];
    assert_int_equal(testutil_sim_open_status("{" OS ", \"security\": {\"C:\\\\x\": {\"owner\": 5}}}", err,
                                              sizeof err),
                     SP_ERR_BADDATA);
    assert_non_null(strstr(err, "security.C:\\x.owner"));
    assert_int_equal(testutil_sim_open_status("{" OS ", \"security\": []}", err, sizeof err), SP_ERR_BADDATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(judge_should_accept_system_administrators_and_self_only),
        cmocka_unit_test(judge_should_refuse_a_foreign_owner),
        cmocka_unit_test(judge_should_refuse_any_right_that_changes_it),
        cmocka_unit_test(judge_should_refuse_links_missing_dacls_and_what_it_cannot_read),
        cmocka_unit_test(session_should_create_the_data_folder_private),
        cmocka_unit_test(session_should_refuse_a_data_folder_with_a_foreign_owner),
        cmocka_unit_test(session_should_refuse_a_journal_with_a_foreign_owner),
        cmocka_unit_test(session_should_refuse_a_data_folder_users_may_write_in),
        cmocka_unit_test(session_should_refuse_a_planted_file_in_the_backups_folder),
        cmocka_unit_test(session_should_refuse_a_data_folder_or_journal_that_is_a_link),
        cmocka_unit_test(profile_should_refuse_a_malformed_security_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
