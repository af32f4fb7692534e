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

#include "core/base/regbytes.h"
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

/* ---- Item 7: registry values come back byte for byte -------------------------------------- */

typedef struct {
    const char *label;
    sp_reg_type type;
    const unsigned char *bytes;
    size_t size;
} raw_value;

/* "a", NUL, "b" and its terminator: reg_get sees "a" only. */
static const unsigned char sz_nul[] = {'a', 0, 0, 0, 'b', 0, 0, 0};
/* A high surrogate without its low half, then "x": not UTF-16, not convertible to UTF-8. */
static const unsigned char sz_lone[] = {0x00, 0xD8, 'x', 0, 0, 0};
/* No terminator at all. */
static const unsigned char sz_open[] = {'o', 0, 'k', 0};
/* "p", "" (two NULs in a row mid-list), "q", as RegEdit cannot make it. */
static const unsigned char multi_gap[] = {'p', 0, 0, 0, 0, 0, 'q', 0, 0, 0, 0, 0};
static const unsigned char binary[] = {0x00, 0xFF, 0x00, 0xD8, 0x7F};
static const unsigned char dword[] = {0x78, 0x56, 0x34, 0x12};
static const raw_value raw_values[] = {
    {"REG_SZ with a NUL inside", SP_REG_SZ, sz_nul, sizeof sz_nul},
    {"REG_SZ with a lone surrogate", SP_REG_SZ, sz_lone, sizeof sz_lone},
    {"REG_EXPAND_SZ without a terminator", SP_REG_EXPAND_SZ, sz_open, sizeof sz_open},
    {"REG_MULTI_SZ with an empty string inside", SP_REG_MULTI_SZ, multi_gap, sizeof multi_gap},
    {"REG_BINARY", SP_REG_BINARY, binary, sizeof binary},
    {"REG_DWORD", SP_REG_DWORD, dword, sizeof dword},
};
#define RAW_COUNT (sizeof raw_values / sizeof raw_values[0])

static void put_raw(sp_sys *sim, const raw_value *rv)
{
    sp_regval v = {rv->type, (unsigned char *)rv->bytes, rv->size};
    assert_int_equal(sim->ops->reg_set_raw(sim, SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", &v), SP_OK);
}

/* Fails unless ValidPorts holds exactly rv's type and bytes. */
static void assert_raw(sp_sys *sim, const raw_value *rv, const char *what)
{
    sp_regval v = {0};
    sp_status st = sim->ops->reg_get_raw(sim, SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", &v);
    if (st != SP_OK || v.type != rv->type || v.size != rv->size || memcmp(v.data, rv->bytes, rv->size) != 0)
        fail_msg("%s: %s is not back byte for byte (%s, type %d, %u bytes)", what, rv->label,
                 sp_status_name(st), (int)v.type, (unsigned)v.size);
    sp_regval_free(&v);
}

static sp_status change_it(sp_journal *j, int del)
{
    sp_regval v = {0};
    sp_status st;
    if (del)
        return sp_journal_reg_delete(j, "email", SP_REG_VIEW_DEFAULT, RPC, "ValidPorts");
    sp_regval_set_sz(&v, "SBS01:6001-6002;remote.contoso.com:6001-6002");
    st = sp_journal_reg_set(j, "email", SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", &v);
    sp_regval_free(&v);
    return st;
}

static void a_replaced_or_deleted_value_should_come_back_byte_for_byte(void **state)
{
    fixture *f = *state;
    size_t undone;
    for (size_t i = 0; i < RAW_COUNT; i++) {
        for (int del = 0; del < 2; del++) {
            put_raw(f->w.sim, &raw_values[i]);
            assert_int_equal(change_it(f->j, del), SP_OK);
            restart(f, NULL);
            if (sp_journal_undo(f->j, NULL, &undone) != SP_OK || undone != 1)
                fail_msg("%s: undo gave %s", raw_values[i].label, f->w.sim->last_error);
            assert_raw(f->w.sim, &raw_values[i], del ? "deleted" : "replaced");
        }
    }
}

static void a_value_written_should_be_recorded_as_the_bytes_the_registry_holds(void **state)
{
    fixture *f = *state;
    cJSON *doc, *e, *old;
    put_raw(f->w.sim, &raw_values[0]);
    assert_int_equal(change_it(f->j, 0), SP_OK);
    doc = journal_json(f->w.sim);
    e = cJSON_GetArrayItem(doc, 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "reg_raw")));
    old = cJSON_GetObjectItemCaseSensitive(e, "old");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(old, "type")->valueint, SP_REG_SZ);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(old, "hex")->valuestring, "6100000062000000");
    cJSON_Delete(doc);
}

/* The crash matrix of item 5 on the values UTF-8 cannot carry: a fault after any write of the
 * change or of its undo, then a restart that undoes, leaves every byte as it was. */
static void a_fault_anywhere_should_still_bring_a_raw_value_back_byte_for_byte(void **state)
{
    static const sp_sim_fault_mode modes[2] = {SP_SIM_FAULT_FAIL, SP_SIM_FAULT_KILL};
    fixture *f = *state;
    unsigned cases = 0;
    size_t n;
    char what[200];
    for (size_t i = 0; i < 2; i++) { /* the embedded NUL and the lone surrogate */
        for (int del = 0; del < 2; del++) {
            unsigned writes, undo_writes;
            put_raw(f->w.sim, &raw_values[i]);
            sp_sim_fault_set(f->w.sim, 0, SP_SIM_FAULT_NONE);
            assert_int_equal(change_it(f->j, del), SP_OK);
            writes = sp_sim_fault_writes(f->w.sim);
            sp_sim_fault_set(f->w.sim, 0, SP_SIM_FAULT_NONE);
            assert_int_equal(sp_journal_undo(f->j, NULL, &n), SP_OK);
            undo_writes = sp_sim_fault_writes(f->w.sim);
            for (int m = 0; m < 2; m++) {
                for (unsigned at = 1; at <= writes + undo_writes; at++) {
                    snprintf(what, sizeof what, "%s, %s, %s at write %u", raw_values[i].label,
                             del ? "deleted" : "replaced", m ? "killed" : "failed", at);
                    put_raw(f->w.sim, &raw_values[i]);
                    if (at <= writes) {
                        sp_sim_fault_set(f->w.sim, at, modes[m]);
                        (void)change_it(f->j, del);
                    } else {
                        assert_int_equal(change_it(f->j, del), SP_OK);
                        sp_sim_fault_set(f->w.sim, at - writes, modes[m]);
                        (void)sp_journal_undo(f->j, NULL, &n);
                    }
                    sp_sim_fault_set(f->w.sim, 0, SP_SIM_FAULT_NONE);
                    restart(f, NULL);
                    if (sp_journal_undo(f->j, NULL, &n) != SP_OK)
                        fail_msg("%s: undo after the restart: %s", what, f->w.sim->last_error);
                    assert_raw(f->w.sim, &raw_values[i], what);
                    cases++;
                }
            }
        }
    }
    print_message("raw registry crash matrix: %u cases\n", cases);
}

typedef sp_status (*converter)(unsigned, const unsigned char *, size_t, unsigned char **, size_t *);

static void assert_converts(converter fn, sp_reg_type type, const void *in, size_t n, const void *want,
                            size_t wn)
{
    unsigned char *o = NULL;
    size_t on = 0;
    assert_int_equal(fn(type, in, n, &o, &on), SP_OK);
    assert_int_equal(on, wn);
    assert_memory_equal(o, want, wn);
    free(o);
}

static void registry_strings_should_convert_as_the_win32_backend_does(void **state)
{
    unsigned char *o = NULL;
    size_t n = 0;
    static const unsigned char euro_wide[] = {0xAC, 0x20, 'x', 0, 0, 0};
    static const unsigned char clef_wide[] = {0x34, 0xD8, 0x1E, 0xDD, 0, 0};
    static const unsigned char list_wide[] = {'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0};
    (void)state;
    /* UTF-8 to the stored bytes: one terminator for a string, two for a list. */
    assert_converts(sp_regbytes_from_utf8, SP_REG_SZ, "\xE2\x82\xACx", 5, euro_wide, sizeof euro_wide);
    assert_converts(sp_regbytes_from_utf8, SP_REG_SZ, "\xF0\x9D\x84\x9E", 4, clef_wide, sizeof clef_wide);
    assert_converts(sp_regbytes_from_utf8, SP_REG_MULTI_SZ, "a\0b\0", 5, list_wide, sizeof list_wide);
    /* Not UTF-8 (a lone continuation byte, an encoded surrogate, an overlong NUL): refused. */
    assert_int_equal(sp_regbytes_from_utf8(SP_REG_SZ, (const unsigned char *)"a\x80", 3, &o, &n), SP_ERR_BADDATA);
    assert_int_equal(sp_regbytes_from_utf8(SP_REG_SZ, (const unsigned char *)"\xED\xA0\x80", 4, &o, &n), SP_ERR_BADDATA);
    assert_int_equal(sp_regbytes_from_utf8(SP_REG_SZ, (const unsigned char *)"\xC0\x80", 3, &o, &n), SP_ERR_BADDATA);
    /* The stored bytes to UTF-8: up to the first NUL; a lone surrogate is U+FFFD. */
    assert_converts(sp_regbytes_to_utf8, SP_REG_SZ, sz_nul, sizeof sz_nul, "a", 2);
    assert_converts(sp_regbytes_to_utf8, SP_REG_SZ, sz_lone, sizeof sz_lone, "\xEF\xBF\xBDx", 5);
    assert_converts(sp_regbytes_to_utf8, SP_REG_MULTI_SZ, multi_gap, sizeof multi_gap, "p\0\0q\0\0", 6);
    assert_converts(sp_regbytes_to_utf8, SP_REG_SZ, clef_wide, sizeof clef_wide, "\xF0\x9D\x84\x9E", 5);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(an_ldap_change_should_be_undone_on_its_own_server_not_the_sessions),
        T(an_ldap_change_on_this_dc_should_be_undone_here_when_the_session_names_another),
        T(an_entry_whose_server_cannot_be_reached_should_fail_and_undo_should_go_on),
        T(an_ldap_entry_of_an_earlier_version_should_still_go_to_the_sessions_server),
        T(a_replaced_or_deleted_value_should_come_back_byte_for_byte),
        T(a_value_written_should_be_recorded_as_the_bytes_the_registry_holds),
        T(a_fault_anywhere_should_still_bring_a_raw_value_back_byte_for_byte),
        cmocka_unit_test(registry_strings_should_convert_as_the_win32_backend_does),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
