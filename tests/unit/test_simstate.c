/* Tests of the simulated server kept between runs (<root>/.sim-state.json, issue 21). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>


#include "core/answers.h"
#include "core/cmdline.h"
#include "core/journal.h"
#include "core/report.h"
#include "core/runlog.h"
#include "core/state.h"
#include "core/step.h"
#include "core/sys/posix/posix.h"
#include "core/sys/sim/sim.h"
#include "tests/unit/testutil.h"

/* ' stands for " so that the profile stays readable. */
static const char profile_text[] =
    "{'name': 'Kept', 'os': {'major': 5, 'minor': 2, 'build': 3790, 'product_type': 2,"
    "  'computer': 'SBS01', 'domain': 'contoso.local'},"
    " 'registry': {'HKLM\\\\SOFTWARE\\\\A': {'Keep': {'sz': 'one'}, 'Gone': {'dword': 7},"
    "   'Blob': {'binary': '00ff10'}}},"
    " 'registry32': {'HKLM\\\\SOFTWARE\\\\Vendor': {'Where': {'sz': '32-bit view'}}},"
    " 'services': {'W32Time': {'state': 'stopped', 'start': 'auto'}, 'Spooler': {}},"
    " 'ntp': {'time.windows.com': {'offset_ms': 90000}},"
    " 'processes': [{'argv': ['w32tm', '/resync'], 'exit': 0, 'output': ''}],"
    " 'ldap': {'entries': {'': {'defaultNamingContext': 'DC=contoso,DC=local'},"
    "   'DC=contoso,DC=local': {'objectClass': 'domain', 'description': 'old'}}},"
    " 'updates': [{'title': 'Security Update (KB1)', 'kb': 'KB1', 'reboot': true},"
    "             {'title': 'Update (KB2)', 'kb': 'KB2'}]}";

#define KEY_A "HKLM\\SOFTWARE\\A"
#define REBOOT_KEY "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired"
#define PARAMS "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters"

typedef struct {
    sp_sys *host;
    char *dir, *root, *state_file;
    char *json;
    sp_sys *sim;
    char err[600];
    int problem;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    *state = f;
    if (f && (f->host = sp_posix_open()) != NULL && (f->dir = testutil_make_temp_dir()) != NULL &&
        (f->json = strdup(profile_text)) != NULL) {
        for (char *p = strchr(f->json, '\''); p; p = strchr(p, '\''))
            *p = '"';
        f->root = testutil_join(f->dir, "root");
        f->state_file = testutil_join(f->root, ".sim-state.json");
        return 0;
    }
    return -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sp_sys_close(f->sim);
    testutil_remove_tree(f->dir);
    free(f->root);
    free(f->state_file);
    free(f->dir);
    free(f->json);
    sp_sys_close(f->host);
    free(f);
    return 0;
}

/* One run: the machine of json on root, as a new process would open it. */
static sp_status run_open(fixture *f, const char *json, const char *root)
{
    sp_sys_close(f->sim);
    f->sim = NULL;
    return sp_sim_open_ex(json, strlen(json), f->host, root, &f->sim, f->err, sizeof f->err, &f->problem);
}

static sp_sys *run(fixture *f)
{
    sp_status st = run_open(f, f->json, f->root);
    if (st != SP_OK)
        fail_msg("sp_sim_open: %s: %s", sp_status_name(st), f->err);
    return f->sim;
}

static int count_update(void *user, const sp_update *u)
{
    (void)u;
    ++*(int *)user;
    return 0;
}

static int missing_updates(sp_sys *s)
{
    int n = 0;
    uint32_t hr = 0;
    assert_int_equal(s->ops->wua_search(s, SP_WUA_CONFIGURED, "IsInstalled=0 and Type='Software'", count_update,
                                        &n, NULL, &hr),
                     SP_OK);
    return n;
}

static int no_name(void *user, const char *name)
{
    (void)user;
    (void)name;
    return 0;
}

/* Whether the key exists (it may have no values). */
static int has_key(sp_sys *s, const char *key)
{
    return s->ops->reg_enum_values(s, SP_REG_VIEW_64, key, no_name, NULL) == SP_OK;
}

typedef struct {
    char got[200];
} ldap_found;

static int ldap_entry(void *user, const char *dn, const sp_ldap_attr *attrs, size_t count)
{
    ldap_found *lf = user;
    (void)dn;
    for (size_t i = 0; i < count; i++)
        if (strcmp(attrs[i].name, "description") == 0 && attrs[i].count)
            snprintf(lf->got, sizeof lf->got, "%s", attrs[i].values[0]);
    return 0;
}

static void description_is(sp_sys *s, const char *want)
{
    sp_ldap_target t = {0};
    sp_ldap_conn *c = NULL;
    ldap_found lf = {""};
    static const char *const attrs[] = {"description", NULL};
    assert_int_equal(s->ops->ldap_connect(s, &t, &c), SP_OK);
    assert_int_equal(s->ops->ldap_search(s, c, "DC=contoso,DC=local", 0, "(objectClass=*)", attrs, ldap_entry, &lf),
                     SP_OK);
    s->ops->ldap_close(s, c);
    assert_string_equal(lf.got, want);
}

static void the_sim_should_keep_what_a_run_changed_for_the_next_run(void **state)
{
    fixture *f = *state;
    sp_sys *s = run(f);
    sp_regval v = {0};
    sp_svcinfo si;
    sp_ldap_target t = {0};
    sp_ldap_conn *c = NULL;
    char text[64];
    uint32_t hr = 0;
    int code = -1;
    static const char *const ids[] = {"sim-update-1"};
    static const char *const resync[] = {"w32tm", "/resync", NULL};

    assert_false(testutil_exists(f->state_file)); /* a fresh root is the pristine profile */
    assert_int_equal(sp_regval_set_sz(&v, "two"), SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_64, KEY_A, "Keep", &v), SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_32, "HKLM\\SOFTWARE\\Vendor", "Added", &v), SP_OK);
    sp_regval_free(&v);
    assert_int_equal(s->ops->reg_delete_value(s, SP_REG_VIEW_64, KEY_A, "Gone"), SP_OK);
    assert_true(testutil_exists(f->state_file)); /* saved at once, not at close */
    assert_int_equal(s->ops->svc_start(s, "W32Time", 1000), SP_OK);
    assert_int_equal(s->ops->svc_stop(s, "Spooler", 1000), SP_OK);
    assert_int_equal(s->ops->ldap_connect(s, &t, &c), SP_OK);
    assert_int_equal(s->ops->ldap_replace(s, c, "DC=contoso,DC=local", "description", "new"), SP_OK);
    s->ops->ldap_close(s, c);
    assert_int_equal(s->ops->wua_install(s, SP_WUA_CONFIGURED, ids, 1, NULL, NULL, NULL, NULL, &hr), SP_OK);
    assert_int_equal(sp_regval_set_sz(&v, "NTP"), SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_64, PARAMS, "Type", &v), SP_OK);
    sp_regval_free(&v);
    assert_int_equal(sp_regval_set_sz(&v, "time.windows.com,0x8"), SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_64, PARAMS, "NtpServer", &v), SP_OK);
    sp_regval_free(&v);
    assert_int_equal(s->ops->proc_run(s, resync, 1000, NULL, NULL, &code), SP_OK);

    s = run(f); /* the next process */
    assert_int_equal(f->problem, 0);
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_64, KEY_A, "Keep", text, sizeof text), SP_OK);
    assert_string_equal(text, "two");
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_32, "HKLM\\SOFTWARE\\Vendor", "Added", text, sizeof text), SP_OK);
    assert_string_equal(text, "two");
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_32, "HKLM\\SOFTWARE\\Vendor", "Where", text, sizeof text), SP_OK);
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_64, KEY_A, "Gone", &v), SP_ERR_NOTFOUND);
    assert_int_equal(s->ops->reg_get(s, SP_REG_VIEW_64, KEY_A, "Blob", &v), SP_OK);
    assert_int_equal(v.type, SP_REG_BINARY);
    assert_int_equal(v.size, 3);
    assert_memory_equal(v.data, "\x00\xff\x10", 3);
    sp_regval_free(&v);
    assert_int_equal(s->ops->svc_query(s, "W32Time", &si), SP_OK);
    assert_int_equal(si.state, SP_SVC_RUNNING);
    assert_int_equal(s->ops->svc_query(s, "Spooler", &si), SP_OK);
    assert_int_equal(si.state, SP_SVC_STOPPED);
    description_is(s, "new");
    assert_int_equal(missing_updates(s), 1); /* KB1 stays installed */
    assert_true(has_key(s, REBOOT_KEY));
    /* The clock W32Time set: the peer it was set to is now within a second. */
    {
        unsigned char req[48] = {0x23}, reply[48];
        size_t n = 0;
        int64_t sent = 0, got = 0;
        assert_int_equal(s->ops->udp_exchange(s, "time.windows.com", 123, req, sizeof req, 1000, reply, sizeof reply,
                                              &n, &sent, &got),
                         SP_OK);
        uint32_t secs = (uint32_t)reply[40] << 24 | (uint32_t)reply[41] << 16 | (uint32_t)reply[42] << 8 | reply[43];
        int64_t peer = (int64_t)secs - 2208988800LL, here = sent / 1000000;
        assert_true(peer - here < 2 && here - peer < 2);
    }
    assert_int_equal(s->ops->restart(s, "updates"), SP_OK);

    s = run(f);
    assert_false(has_key(s, REBOOT_KEY)); /* the restart finished what it finishes, for good */
    assert_int_equal(sp_sim_restarts(s), 1);
}

static void a_run_that_changes_nothing_should_write_no_state(void **state)
{
    fixture *f = *state;
    sp_sys *s = run(f);
    char text[64];
    sp_svcinfo si;
    assert_int_equal(sp_reg_get_string(s, SP_REG_VIEW_64, KEY_A, "Keep", text, sizeof text), SP_OK);
    assert_int_equal(s->ops->svc_query(s, "W32Time", &si), SP_OK);
    description_is(s, "old");
    sp_sys_close(f->sim);
    f->sim = NULL;
    assert_false(testutil_exists(f->state_file));
}

static void another_root_should_be_another_pristine_server(void **state)
{
    fixture *f = *state;
    sp_sys *s = run(f);
    sp_regval v = {0};
    char text[64], *other = testutil_join(f->dir, "other");
    assert_int_equal(sp_regval_set_sz(&v, "changed"), SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_64, KEY_A, "Keep", &v), SP_OK);
    sp_regval_free(&v);
    assert_int_equal(run_open(f, f->json, other), SP_OK);
    assert_int_equal(sp_reg_get_string(f->sim, SP_REG_VIEW_64, KEY_A, "Keep", text, sizeof text), SP_OK);
    assert_string_equal(text, "one");
    free(other);
}

/* Writes text as the saved state and opens the root: it must fail, say so and keep the file. */
static void refused(fixture *f, const char *text, const char *why)
{
    unsigned char *after;
    size_t n = 0;
    assert_int_equal(testutil_write_file(f->state_file, text, strlen(text)), 0);
    assert_int_equal(run_open(f, f->json, f->root), SP_ERR_BADDATA);
    assert_null(f->sim);
    assert_int_equal(f->problem, 1);
    if (!strstr(f->err, ".sim-state.json cannot be used: ") || !strstr(f->err, why) ||
        !strstr(f->err, "Delete the folder"))
        fail_msg("the message does not name the file, \"%s\" and what to do: %s", why, f->err);
    after = testutil_read_file(f->state_file, &n);
    assert_non_null(after);
    assert_int_equal(n, strlen(text));
    assert_memory_equal(after, text, n); /* never overwritten: the evidence stays */
    free(after);
}

static void a_damaged_saved_state_should_fail_the_open_and_say_what_is_wrong(void **state)
{
    fixture *f = *state;
    sp_sys *s = run(f);
    sp_regval v = {0};
    unsigned char *good;
    size_t n = 0;
    char *bad;
    assert_int_equal(sp_regval_set_dword(&v, 1), SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_64, KEY_A, "New", &v), SP_OK);
    sp_regval_free(&v);
    sp_sys_close(f->sim);
    f->sim = NULL;
    good = testutil_read_file(f->state_file, &n);
    assert_non_null(good);
    /* Cut short, as a disk that filled up would leave it. */
    bad = strndup((const char *)good, n / 2);
    refused(f, bad, "it is not a JSON object");
    free(bad);
    refused(f, "[]", "it is not a JSON object");
    refused(f, "{\"schema\": \"sourceprep-sim-state/9\"}", "schema must be \"sourceprep-sim-state/1\"");
    /* One field changed at a time in the good file. */
    static const struct {
        const char *from, *to, *why;
    } edits[] = {
        {"\"type\":\t4", "\"type\":\t5", "type\": 0-4, 7 or 11"},
        {"\"data\":\t\"01000000\"", "\"data\":\t\"0g000000\"", "bad hex digit"},
        {"\"name\":\t\"Spooler\"", "\"name\":\t\"Fax\"", "the profile has no service \"Fax\""},
        {"\"restarts\":\t0", "\"restarts\":\t-1", "restarts must be a whole number"},
        {"\"clock_step_us\":\t0", "\"clock_step_us\":\t\"0\"", "clock_step_us must be a number"},
        {"\"updates_installed\":\t[]", "\"updates_installed\":\t[\"sim-update-9\"]",
         "the profile has no update \"sim-update-9\""},
        {"\"description\":\t\"old\"", "\"description\":\t5", "must be a string or an array of strings"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        const char *at = strstr((const char *)good, edits[i].from);
        size_t lf = strlen(edits[i].from), lt = strlen(edits[i].to);
        if (!at)
            fail_msg("the saved state has no %s: %s", edits[i].from, good);
        bad = malloc(n - lf + lt + 1);
        assert_non_null(bad);
        memcpy(bad, good, (size_t)(at - (const char *)good));
        memcpy(bad + (at - (const char *)good), edits[i].to, lt);
        strcpy(bad + (at - (const char *)good) + lt, at + lf);
        refused(f, bad, edits[i].why);
        free(bad);
    }
    /* The good file, put back, opens again with the change. */
    assert_int_equal(testutil_write_file(f->state_file, good, n), 0);
    s = run(f);
    {
        uint32_t d = 0;
        assert_int_equal(sp_reg_get_dword(s, SP_REG_VIEW_64, KEY_A, "New", &d), SP_OK);
        assert_int_equal(d, 1);
    }
    free(good);
}

static void a_state_saved_from_another_profile_should_be_refused(void **state)
{
    fixture *f = *state;
    sp_sys *s = run(f);
    sp_regval v = {0};
    char *other = strdup(f->json);
    assert_int_equal(sp_regval_set_dword(&v, 1), SP_OK);
    assert_int_equal(s->ops->reg_set(s, SP_REG_VIEW_64, KEY_A, "New", &v), SP_OK);
    sp_regval_free(&v);
    assert_non_null(other);
    memcpy(strstr(other, "Kept"), "Kopt", 4);
    assert_int_equal(run_open(f, other, f->root), SP_ERR_BADDATA);
    assert_int_equal(f->problem, 1);
    if (!strstr(f->err, "saved from another profile"))
        fail_msg("the message does not say that the profile differs: %s", f->err);
    free(other);
    /* A bad profile is not the state's problem. */
    assert_int_equal(run_open(f, "{}", f->root), SP_ERR_BADDATA);
    assert_int_equal(f->problem, 0);
}

/* ---- The demo server prepared run by run, as the CLI does it --------------------------------- */

typedef struct {
    sp_sys *host, *sim;
    sp_session session;
} demo_run;

static void demo_open(demo_run *r, const char *json, size_t len, const char *root)
{
    char err[600] = "";
    memset(r, 0, sizeof *r);
    r->host = sp_posix_open();
    assert_non_null(r->host);
    if (sp_sim_open(json, len, r->host, root, &r->sim, err, sizeof err) != SP_OK)
        fail_msg("the demo did not open: %s", err);
    if (sp_session_open(&r->session, r->sim) != SP_OK)
        fail_msg("the session did not open: %s", r->sim->last_error);
}

static void demo_close(demo_run *r)
{
    assert_int_equal(sp_session_save(&r->session), SP_OK);
    sp_session_close(&r->session);
    sp_sys_close(r->sim);
    sp_sys_close(r->host);
}

static sp_result demo_step(demo_run *r, const char *step, int apply)
{
    sp_result res = SP_RESULT_NOT_RUN;
    sp_run_ctx ctx = sp_session_ctx(&r->session, NULL);
    assert_int_equal(sp_step_run(sp_step_find(step), &ctx, apply, NULL, &res), SP_OK);
    return res;
}

static void the_demo_should_be_prepared_one_run_a_line_then_undone(void **state)
{
    fixture *f = *state;
    char *json = testutil_demo_profile_text();
    size_t n, undone = 0;
    unsigned char *answers = testutil_read_file("tests/answers/demo.json", &n);
    sp_answers *a = sp_answers_new();
    sp_answers_error err;
    demo_run r;
    int64_t now;
    static const struct {
        const char *step;
        sp_result want;
    } applies[] = {
        {"backup", SP_RESULT_PASSED}, {"updates", SP_RESULT_FAILED}, {"updates", SP_RESULT_PASSED},
        {"policy", SP_RESULT_PASSED}, {"timesync", SP_RESULT_PASSED}, {"email", SP_RESULT_PASSED},
    };
    assert_non_null(answers);

    demo_open(&r, json, strlen(json), f->root); /* /answers:demo.json /check:all */
    assert_int_equal(sp_answers_add_json(a, (const char *)answers, n, &err), SP_OK);
    assert_int_equal(sp_answers_apply(a, r.session.state, r.sim->ops->time_now(r.sim), &err), SP_OK);
    for (size_t i = 0; i < sp_step_count; i++)
        demo_step(&r, sp_steps[i]->id, 0);
    assert_int_equal(sp_report_open_steps(r.session.state, r.sim->ops->time_now(r.sim)), 6);
    demo_close(&r);
    for (size_t i = 0; i < sizeof applies / sizeof applies[0]; i++) { /* one process each */
        demo_open(&r, json, strlen(json), f->root);
        if (demo_step(&r, applies[i].step, 1) != applies[i].want)
            fail_msg("/apply:%s (run %lu) did not give %d", applies[i].step, (unsigned long)i + 2,
                     (int)applies[i].want);
        demo_close(&r);
    }
    demo_open(&r, json, strlen(json), f->root);
    now = r.sim->ops->time_now(r.sim);
    assert_int_equal(sp_state_mark_manual(r.session.state, "health", "FRS journal wrap cleared by hand", now), SP_OK);
    demo_close(&r);
    demo_open(&r, json, strlen(json), f->root);
    now = r.sim->ops->time_now(r.sim);
    assert_int_equal(sp_state_mark_manual(r.session.state, "backup", "Fresh NTBackup after the changes", now), SP_OK);
    demo_close(&r);
    demo_open(&r, json, strlen(json), f->root); /* /check:all */
    for (size_t i = 0; i < sp_step_count; i++)
        demo_step(&r, sp_steps[i]->id, 0);
    now = r.sim->ops->time_now(r.sim);
    assert_int_equal(sp_report_open_steps(r.session.state, now), 0);
    assert_int_equal(sp_runlog_event(r.session.state, r.session.journal, NULL, now, SP_EXIT_OK),
                     SP_RUNLOG_READY_MANUAL);
    demo_close(&r);
    demo_open(&r, json, strlen(json), f->root); /* /undo /yes */
    assert_int_equal(sp_journal_undo(r.session.journal, NULL, &undone), SP_OK);
    assert_true(undone > 0);
    demo_close(&r);
    demo_open(&r, json, strlen(json), f->root); /* the next check sees the old server */
    assert_int_equal(demo_step(&r, "policy", 0), SP_RESULT_FAILED);
    assert_int_equal(demo_step(&r, "timesync", 0), SP_RESULT_FAILED);
    demo_close(&r);
    sp_answers_free(a);
    free(answers);
    free(json);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(the_sim_should_keep_what_a_run_changed_for_the_next_run),
        T(a_run_that_changes_nothing_should_write_no_state),
        T(another_root_should_be_another_pristine_server),
        T(a_damaged_saved_state_should_fail_the_open_and_say_what_is_wrong),
        T(a_state_saved_from_another_profile_should_be_refused),
        T(the_demo_should_be_prepared_one_run_a_line_then_undone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
