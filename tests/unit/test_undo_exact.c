/* Undo puts back exactly what was there, where it was (issue 18, items 6 and 7): an LDAP change is
 * undone on the server it was made on, not the session's, and a registry value comes back byte
 * for byte, embedded NULs, lone surrogates and all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/journal.h"
#include "core/sys/sim/sim.h"
#include "tests/unit/testutil.h"

#define DIR "C:\\ProgramData\\SourcePrep"
#define RPC "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy"
#define USER_DN "CN=Ann,CN=Users,DC=contoso,DC=local"
#define DC2 "dc2.contoso.local"
#define DC3 "dc3.contoso.local"

/* This DC, a second DC with its own copy of Ann, and a third one that cannot be reached. */
static const char profile[] =
    "{\"os\": {\"major\": 5, \"minor\": 2, \"build\": 3790, \"product_type\": 2},"
    " \"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Rpc\\\\RpcProxy\": {"
    "   \"ValidPorts\": {\"sz\": \"SBS01:6001-6002\"}, \"Enabled\": {\"dword\": 1}}},"
    " \"ldap\": {\"entries\": {\"\": {\"defaultNamingContext\": \"DC=contoso,DC=local\"},"
    "   \"" USER_DN "\": {\"description\": \"here\"}},"
    "  \"servers\": {"
    "   \"" DC2 ":389\": {\"entries\": {\"\": {\"defaultNamingContext\": \"DC=contoso,DC=local\"},"
    "     \"" USER_DN "\": {\"description\": \"there\"}}},"
    "   \"" DC3 "\": {\"unreachable\": true}}}}";

typedef struct {
    testutil_world w;
    sp_journal *j;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    testutil_world_open_sim(&f->w, profile);
    assert_int_equal(f->w.sim->ops->dir_create(f->w.sim, DIR), SP_OK);
    assert_int_equal(sp_journal_open(f->w.sim, DIR, &f->j), SP_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sp_journal_close(f->j);
    testutil_world_close(&f->w);
    free(f);
    return 0;
}

/* A new process on the same server: the journal is read again, the session's LDAP server is
 * that of target (NULL: this DC). */
static void restart(fixture *f, const sp_ldap_target *target)
{
    sp_journal_close(f->j);
    assert_int_equal(sp_journal_open(f->w.sim, DIR, &f->j), SP_OK);
    assert_int_equal(sp_journal_set_ldap(f->j, target), SP_OK);
}

static void assert_ldap_value(sp_sys *sim, const char *host, const char *want)
{
    char *v = testutil_ldap_value(sim, host, USER_DN, "description");
    assert_non_null(v);
    assert_string_equal(v, want);
    free(v);
}

/* The journal file as a tree. */
static cJSON *journal_json(sp_sys *sim)
{
    unsigned char *d = NULL;
    size_t n = 0;
    cJSON *doc;
    assert_int_equal(sim->ops->file_read(sim, DIR "\\journal.json", &d, &n), SP_OK);
    doc = cJSON_ParseWithLength((const char *)d, n);
    free(d);
    assert_true(cJSON_IsArray(doc));
    return doc;
}

static void write_journal(sp_sys *sim, const cJSON *doc)
{
    char *text = cJSON_Print(doc);
    assert_int_equal(sim->ops->file_write_atomic(sim, DIR "\\journal.json", text, strlen(text)), SP_OK);
    free(text);
}

/* ---- Item 6: undo goes to the server the change was made on ---------------------------------- */

static void an_ldap_change_should_be_undone_on_its_own_server_not_the_sessions(void **state)
{
    fixture *f = *state;
    const sp_ldap_target dc2 = {DC2, 389, "CONTOSO\\Administrator", "secret"};
    sp_undo_report r;
    cJSON *doc, *srv;
    /* Made on dc2 by a session started with /ldap:dc2... */
    assert_int_equal(sp_journal_set_ldap(f->j, &dc2), SP_OK);
    assert_int_equal(sp_journal_ldap_replace(f->j, "policy", USER_DN, "description", "ours on dc2"), SP_OK);
    assert_ldap_value(f->w.sim, DC2, "ours on dc2");
    assert_ldap_value(f->w.sim, NULL, "here");
    /* ...recorded with its server... */
    doc = journal_json(f->w.sim);
    srv = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(doc, 0), "ldap_server");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(srv, "host")->valuestring, DC2);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(srv, "port")->valueint, 389);
    cJSON_Delete(doc);
    /* ...then a run without /ldap changes this DC, and a third run, again on this DC, undoes both. */
    restart(f, NULL);
    assert_int_equal(sp_journal_ldap_replace(f->j, "policy", USER_DN, "description", "ours here"), SP_OK);
    restart(f, NULL);
    assert_int_equal(sp_journal_undo_ex(f->j, NULL, 0, NULL, 0, &r), SP_OK);
    assert_int_equal(r.restored, 2);
    assert_int_equal(r.failed + r.changed, 0);
    sp_undo_report_free(&r);
    assert_ldap_value(f->w.sim, DC2, "there");
    assert_ldap_value(f->w.sim, NULL, "here");
}

static void an_ldap_change_on_this_dc_should_be_undone_here_when_the_session_names_another(void **state)
{
    fixture *f = *state;
    const sp_ldap_target dc2 = {DC2, 0, NULL, NULL};
    size_t undone;
    assert_int_equal(sp_journal_ldap_replace(f->j, "policy", USER_DN, "description", "ours here"), SP_OK);
    restart(f, &dc2); /* /ldap:dc2 now */
    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    assert_int_equal(undone, 1);
    assert_ldap_value(f->w.sim, NULL, "here");
    assert_ldap_value(f->w.sim, DC2, "there");
}

static void an_entry_whose_server_cannot_be_reached_should_fail_and_undo_should_go_on(void **state)
{
    fixture *f = *state;
    const sp_ldap_target dc2 = {DC2, 389, NULL, NULL};
    sp_regval v = {0};
    sp_undo_report r;
    char s[100];
    cJSON *doc, *srv;
    sp_regval_set_sz(&v, "SBS01:6001-6002;remote:6001");
    assert_int_equal(sp_journal_reg_set(f->j, "email", SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", &v), SP_OK);
    sp_regval_free(&v);
    assert_int_equal(sp_journal_set_ldap(f->j, &dc2), SP_OK);
    assert_int_equal(sp_journal_ldap_replace(f->j, "policy", USER_DN, "description", "a"), SP_OK);
    assert_int_equal(sp_journal_ldap_replace(f->j, "policy", USER_DN, "description", "b"), SP_OK);
    /* Both LDAP entries name dc3, which is down now. */
    doc = journal_json(f->w.sim);
    for (int i = 1; i <= 2; i++) {
        srv = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(doc, i), "ldap_server");
        cJSON_ReplaceItemInObjectCaseSensitive(srv, "host", cJSON_CreateString(DC3));
    }
    write_journal(f->w.sim, doc);
    cJSON_Delete(doc);
    restart(f, &dc2);
    assert_int_equal(sp_journal_undo_ex(f->j, NULL, 0, NULL, 0, &r), SP_ERR_IO);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.failed, 2);
    assert_int_equal(r.restored, 1); /* the older registry change, past the two that failed */
    assert_int_equal(r.items[0].outcome, SP_UNDO_FAILED);
    assert_int_equal(r.items[1].outcome, SP_UNDO_FAILED);
    assert_non_null(strstr(r.items[0].why, DC3));
    assert_non_null(strstr(r.items[1].why, DC3));
    sp_undo_report_free(&r);
    /* Nothing was written to the session's server in their place. */
    assert_ldap_value(f->w.sim, DC2, "b");
    assert_int_equal(sp_reg_get_string(f->w.sim, SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", s, sizeof s), SP_OK);
    assert_string_equal(s, "SBS01:6001-6002");
}

static void an_ldap_entry_of_an_earlier_version_should_still_go_to_the_sessions_server(void **state)
{
    fixture *f = *state;
    const sp_ldap_target dc2 = {DC2, 389, NULL, NULL};
    size_t undone;
    cJSON *doc, *e;
    assert_int_equal(sp_journal_set_ldap(f->j, &dc2), SP_OK);
    assert_int_equal(sp_journal_ldap_replace(f->j, "policy", USER_DN, "description", "ours on dc2"), SP_OK);
    /* Written by a version that did not record the server. */
    doc = journal_json(f->w.sim);
    e = cJSON_GetArrayItem(doc, 0);
    cJSON_DeleteItemFromObjectCaseSensitive(e, "ldap_server");
    write_journal(f->w.sim, doc);
    cJSON_Delete(doc);
    restart(f, &dc2);
    assert_int_equal(sp_journal_undo(f->j, NULL, &undone), SP_OK);
    assert_int_equal(undone, 1);
    assert_ldap_value(f->w.sim, DC2, "there");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(an_ldap_change_should_be_undone_on_its_own_server_not_the_sessions),
        T(an_ldap_change_on_this_dc_should_be_undone_here_when_the_session_names_another),
        T(an_entry_whose_server_cannot_be_reached_should_fail_and_undo_should_go_on),
        T(an_ldap_entry_of_an_earlier_version_should_still_go_to_the_sessions_server),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
