/* The policy step on simulated servers: check, apply, roll back, undo; the sim's LDAP; /ldap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmdline.h"
#include "core/msgids.h"
#include "core/policy/policy.h"
#include "core/policy/policy_ad.h"
#include "core/session.h"
#include "tests/unit/testutil.h"

#define GPO "C:\\WINDOWS\\SYSVOL\\sysvol\\fabrikam.local\\Policies\\{6AC1786C-016F-11D2-945F-00C04fB984F9}"
#define INF GPO "\\MACHINE\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf"
#define INI GPO "\\GPT.INI"
#define SCRIPT "C:\\WINDOWS\\SYSVOL\\sysvol\\fabrikam.local\\scripts\\SBS_LOGIN_SCRIPT.bat"
#define GPO_DN "CN={6AC1786C-016F-11D2-945F-00C04fB984F9},CN=Policies,CN=System,DC=fabrikam,DC=local"
#define ANN_DN "CN=Ann Lee,OU=SBSUsers,OU=Users,OU=MyBusiness,DC=fabrikam,DC=local"

typedef testutil_world world;

/* tests/profiles/sbs2003.json, changed by edit (may be NULL), in a fresh folder. */
static void open_world(world *w, void (*edit)(cJSON *))
{
    testutil_world_open_edited(w, "tests/profiles/sbs2003.json", edit);
}

static sp_result run(world *w, int apply, sp_findings *f)
{
    sp_findings_free(f);
    return testutil_world_run(w, "policy", apply, f);
}

static char *read_file(world *w, const char *path, size_t *n)
{
    unsigned char *d = NULL;
    if (w->sim->ops->file_read(w->sim, path, &d, n) != SP_OK)
        return NULL;
    return (char *)d;
}

/* Asserts that the file at path holds the n bytes of expected, as it did before the run. */
static void assert_file_is(world *w, const char *path, const char *expected, size_t n)
{
    size_t now_n;
    char *now = read_file(w, path, &now_n);
    assert_int_equal(now_n, n);
    assert_memory_equal(now, expected, n);
    free(now);
}

typedef struct {
    const char *attr;
    char value[256];
    int found;
} one_value;

static int take_value(void *user, const char *dn, const sp_ldap_attr *a, size_t n)
{
    one_value *v = user;
    (void)dn;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].name, v->attr) == 0 && a[i].count) {
            snprintf(v->value, sizeof v->value, "%s", a[i].values[0]);
            v->found = 1;
        }
    return 1;
}

/* The attribute as the directory holds it now; "" when absent. */
static const char *ldap_value(world *w, const char *dn, const char *attr, one_value *v)
{
    const char *attrs[] = {attr, NULL};
    sp_ldap_conn *c = NULL;
    memset(v, 0, sizeof *v);
    v->attr = attr;
    assert_int_equal(w->sim->ops->ldap_connect(w->sim, NULL, &c), SP_OK);
    assert_int_equal(w->sim->ops->ldap_search(w->sim, c, dn, 0, "(objectClass=*)", attrs, take_value, v), SP_OK);
    w->sim->ops->ldap_close(w->sim, c);
    return v->value;
}

static void policy_check_should_name_the_accounts_and_the_users_of_the_script(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, NULL);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    const sp_finding *right = testutil_find(&f, "policy.right_defined");
    assert_non_null(right);
    assert_string_equal(right->arg, "NT AUTHORITY\\NETWORK SERVICE, FABSBS\\SBSMonAcct");
    assert_non_null(testutil_find(&f, "policy.script_present"));
    const sp_finding *users = testutil_find(&f, "policy.script_users");
    assert_non_null(users);
    assert_string_equal(users->arg, "1");
    assert_string_equal(users->evidence, "alee");
    assert_false(sp_state_gate_open(w.session.state, "policy", w.sim->ops->time_now(w.sim)));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void policy_apply_should_change_all_three_together_and_undo_byte_for_byte(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    size_t inf_n, ini_n, n, undone = 0;
    one_value v;
    open_world(&w, NULL);
    char *inf = read_file(&w, INF, &inf_n), *ini = read_file(&w, INI, &ini_n), *now;
    assert_non_null(inf);
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    assert_non_null(testutil_find(&f, "policy.right_removed"));
    assert_string_equal(testutil_find(&f, "policy.version_raised")->arg, "65540");
    assert_non_null(testutil_find(&f, "policy.script_moved"));
    assert_non_null(testutil_find(&f, "policy.script_path_cleared"));
    assert_true(sp_state_gate_open(w.session.state, "policy", w.sim->ops->time_now(w.sim)));

    now = read_file(&w, INF, &n);
    assert_null(strstr(now, "seservicelogonright"));
    assert_non_null(strstr(now, "[Privilege Rights]\nSeBatchLogonRight = *S-1-5-32-544\n"));
    assert_int_equal(n, inf_n - strlen("seservicelogonright=*S-1-5-20,FABSBS\\SBSMonAcct\n"));
    free(now);
    now = read_file(&w, INI, &n);
    assert_string_equal(now, "[General]\nVersion=65540\ndisplayName=New Group Policy Object\n");
    free(now);
    assert_string_equal(ldap_value(&w, GPO_DN, "versionNumber", &v), "65540");
    assert_false(ldap_value(&w, ANN_DN, "scriptPath", &v)[0]);
    assert_null(read_file(&w, SCRIPT, &n));

    assert_int_equal(sp_journal_undo(w.session.journal, "policy", &undone), SP_OK);
    assert_int_equal(undone, 5);
    assert_file_is(&w, INF, inf, inf_n);
    /* As GPMC restores a GPO: the old GPT.INI with the version raised past 65540, never lowered. */
    assert_string_equal(ini, "[General]\nVersion=65539\ndisplayName=New Group Policy Object\n");
    now = read_file(&w, INI, &n);
    assert_string_equal(now, "[General]\nVersion=65541\ndisplayName=New Group Policy Object\n");
    free(now);
    assert_string_equal(ldap_value(&w, GPO_DN, "versionNumber", &v), "65541");
    assert_string_equal(ldap_value(&w, ANN_DN, "scriptPath", &v), "\\\\FABSBS\\NETLOGON\\sbs_login_script.bat");
    now = read_file(&w, SCRIPT, &n);
    assert_non_null(now);
    free(now);
    free(inf);
    free(ini);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void policy_apply_should_keep_scriptpath_when_the_user_says_so(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    one_value v;
    open_world(&w, NULL);
    assert_true(sp_policy_clear_script_paths(w.session.state));
    assert_int_equal(sp_policy_set_clear_script_paths(w.session.state, 0), SP_OK);
    assert_false(sp_policy_clear_script_paths(w.session.state));
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    assert_null(testutil_find(&f, "policy.script_path_cleared"));
    assert_non_null(testutil_find(&f, "policy.script_users"));
    assert_string_equal(ldap_value(&w, ANN_DN, "scriptPath", &v), "\\\\FABSBS\\NETLOGON\\sbs_login_script.bat");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void make_ldap_read_only(cJSON *doc)
{
    cJSON_AddTrueToObject(cJSON_GetObjectItem(doc, "ldap"), "read_only");
}

static void policy_apply_should_roll_the_files_back_when_ad_refuses_the_change(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    size_t inf_n, ini_n;
    one_value v;
    open_world(&w, make_ldap_read_only);
    char *inf = read_file(&w, INF, &inf_n), *ini = read_file(&w, INI, &ini_n);
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    const sp_finding *rb = testutil_find(&f, "policy.rolled_back");
    assert_non_null(rb);
    assert_non_null(strstr(rb->evidence, "insufficient access"));
    assert_non_null(testutil_find(&f, "policy.right_defined")); /* still there, and said so */
    assert_file_is(&w, INF, inf, inf_n);
    /* GPT.INI said 65540 for a moment: rolled back past it, never lowered; AD never changed. */
    assert_string_equal(ini, "[General]\nVersion=65539\ndisplayName=New Group Policy Object\n");
    char *now = read_file(&w, INI, &ini_n);
    assert_string_equal(now, "[General]\nVersion=65541\ndisplayName=New Group Policy Object\n");
    free(now);
    assert_string_equal(ldap_value(&w, GPO_DN, "versionNumber", &v), "65539");
    free(inf);
    free(ini);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void make_bind_refused(cJSON *doc)
{
    cJSON_AddTrueToObject(cJSON_GetObjectItem(doc, "ldap"), "refuse_bind");
}

static void policy_should_say_why_when_the_ldap_server_refuses_the_bind(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    size_t inf_n;
    open_world(&w, make_bind_refused);
    char *inf = read_file(&w, INF, &inf_n);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    const sp_finding *ad = testutil_find(&f, "policy.ad_unreachable");
    assert_non_null(ad);
    assert_non_null(strstr(ad->evidence, "refused the bind"));
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "policy.ad_needed"));
    assert_file_is(&w, INF, inf, inf_n);
    free(inf);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void set_file(cJSON *doc, const char *path, const char *text)
{
    cJSON *files = cJSON_GetObjectItem(doc, "files");
    cJSON_DeleteItemFromObjectCaseSensitive(files, path);
    cJSON_AddStringToObject(files, path, text);
}

static void make_version_bad(cJSON *doc)
{
    set_file(doc, INI, "[General]\r\nVersion=seven\r\n");
}

static void policy_apply_should_change_nothing_when_the_version_is_not_a_number(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    size_t inf_n;
    open_world(&w, make_version_bad);
    char *inf = read_file(&w, INF, &inf_n);
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "policy.bad_version"));
    assert_file_is(&w, INF, inf, inf_n);
    free(inf);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void make_inf_html(cJSON *doc)
{
    set_file(doc, INF, "<html><body>Not found</body></html>\r\n");
}

static void policy_should_refuse_a_file_that_is_not_a_security_template(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, make_inf_html);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_ERROR);
    assert_non_null(testutil_find(&f, "policy.not_template"));
    assert_int_equal(run(&w, 1, &f), SP_RESULT_ERROR);
    assert_int_equal(sp_journal_count(w.session.journal), 0);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* Someone edits the policy between the step's reading and its writing (issue 18). */
typedef struct {
    world *w;
    int edit_version; /* 1: versionNumber, 0: GptTmpl.inf */
    int done;
} meanwhile;

static void edit_meanwhile(void *user, unsigned permille, const char *what)
{
    meanwhile *m = user;
    /* 400 "GptTmpl.inf": the changes are about to be written (the scan reports it too, earlier). */
    if (m->done || permille != 400 || !what || strcmp(what, "GptTmpl.inf") != 0)
        return;
    m->done = 1;
    if (m->edit_version) {
        sp_ldap_conn *c = NULL;
        assert_int_equal(m->w->sim->ops->ldap_connect(m->w->sim, NULL, &c), SP_OK);
        assert_int_equal(m->w->sim->ops->ldap_replace(m->w->sim, c, GPO_DN, "versionNumber", "65542"), SP_OK);
        m->w->sim->ops->ldap_close(m->w->sim, c);
    } else {
        static const char gpmc[] = "[Unicode]\nUnicode=yes\n[Privilege Rights]\nseservicelogonright=*S-1-5-20\n";
        assert_int_equal(m->w->sim->ops->file_write_atomic(m->w->sim, INF, gpmc, strlen(gpmc)), SP_OK);
    }
}

static void policy_apply_should_stop_when_the_policy_changed_since_it_was_read(void **s)
{
    (void)s;
    for (int edit_version = 0; edit_version < 2; edit_version++) {
        world w;
        sp_findings f = {0};
        sp_result r = SP_RESULT_NOT_RUN;
        size_t inf_n, ini_n;
        one_value v;
        meanwhile m;
        open_world(&w, NULL);
        m.w = &w;
        m.edit_version = edit_version;
        m.done = 0;
        char *ini = read_file(&w, INI, &ini_n);
        sp_run_ctx ctx = sp_session_ctx(&w.session, NULL);
        ctx.progress = edit_meanwhile;
        ctx.progress_user = &m;
        assert_int_equal(sp_step_run(sp_step_find("policy"), &ctx, 1, &f, &r), SP_OK);
        assert_true(m.done);
        assert_int_not_equal(r, SP_RESULT_PASSED);
        const sp_finding *changed = testutil_find(&f, "policy.changed_meanwhile");
        assert_non_null(changed);
        assert_non_null(strstr(changed->evidence, edit_version ? "versionNumber 65542" : "GptTmpl.inf"));
        char *inf = read_file(&w, INF, &inf_n);
        assert_non_null(inf);
        assert_non_null(strstr(inf, edit_version ? "seservicelogonright=*S-1-5-20,FABSBS" : "[Unicode]"));
        free(inf);
        assert_file_is(&w, INI, ini, ini_n);
        assert_string_equal(ldap_value(&w, GPO_DN, "versionNumber", &v), edit_version ? "65542" : "65539");
        for (size_t i = 0; i < sp_journal_count(w.session.journal); i++) {
            sp_change c;
            assert_int_equal(sp_journal_get(w.session.journal, i, &c), SP_OK);
            assert_null(strstr(c.target, "GptTmpl.inf"));
            assert_null(strstr(c.target, "versionNumber"));
        }
        free(ini);
        sp_findings_free(&f);
        testutil_world_close(&w);
    }
}

static void make_modify_time_out(cJSON *doc)
{
    cJSON_AddBoolToObject(cJSON_GetObjectItemCaseSensitive(doc, "ldap"), "modify_times_out", 1);
}

static void make_modify_lost(cJSON *doc)
{
    cJSON_AddBoolToObject(cJSON_GetObjectItemCaseSensitive(doc, "ldap"), "modify_lost_in_timeout", 1);
}

/* A modify without an answer in time is read back before its journal entry goes (issue 18). */
static void journal_should_read_a_timed_out_ldap_change_back(void **s)
{
    (void)s;
    world w;
    one_value v;
    size_t undone = 0;
    open_world(&w, make_modify_time_out);
    assert_int_equal(sp_journal_ldap_replace(w.session.journal, "policy", GPO_DN, "versionNumber", "65540"), SP_OK);
    assert_int_equal(sp_journal_count(w.session.journal), 1); /* it was made: undo must know */
    assert_string_equal(ldap_value(&w, GPO_DN, "versionNumber", &v), "65540");
    testutil_world_close(&w);

    open_world(&w, make_modify_lost);
    assert_int_equal(sp_journal_ldap_replace(w.session.journal, "policy", GPO_DN, "versionNumber", "65540"),
                     SP_ERR_TIMEOUT);
    assert_non_null(strstr(w.sim->last_error, "no answer in time"));
    assert_int_equal(sp_journal_count(w.session.journal), 0); /* not made: nothing to undo */
    assert_string_equal(ldap_value(&w, GPO_DN, "versionNumber", &v), "65539");
    assert_int_equal(sp_journal_undo(w.session.journal, "policy", &undone), SP_OK);
    assert_int_equal(undone, 0);
    testutil_world_close(&w);
}

static void journal_should_forget_changes_that_did_not_happen(void **s)
{
    (void)s;
    world w;
    size_t undone = 9;
    open_world(&w, make_ldap_read_only);
    /* A file below a file cannot be written; a read-only directory refuses the modify. */
    assert_int_not_equal(sp_journal_file_write(w.session.journal, "policy", SCRIPT "\\x", "x", 1), SP_OK);
    assert_int_equal(sp_journal_ldap_replace(w.session.journal, "policy", GPO_DN, "versionNumber", "1"),
                     SP_ERR_ACCESS);
    assert_non_null(strstr(w.sim->last_error, "insufficient access"));
    assert_int_equal(sp_journal_count(w.session.journal), 0);
    assert_int_equal(sp_journal_undo(w.session.journal, "policy", &undone), SP_OK);
    assert_int_equal(undone, 0);
    testutil_world_close(&w);
}

static void sim_ldap_should_search_filter_and_replace(void **s)
{
    (void)s;
    world w;
    one_value v;
    sp_ldap_conn *c = NULL;
    open_world(&w, NULL);
    assert_string_equal(ldap_value(&w, "", "defaultNamingContext", &v), "DC=fabrikam,DC=local");
    assert_int_equal(w.sim->ops->ldap_connect(w.sim, NULL, &c), SP_OK);
    assert_int_equal(w.sim->ops->ldap_search(w.sim, c, "DC=nowhere", 0, NULL, NULL, take_value, &v), SP_ERR_NOTFOUND);
    assert_int_equal(w.sim->ops->ldap_search(w.sim, c, "", 0, "objectClass", NULL, take_value, &v), SP_ERR_UNSUPPORTED);
    assert_int_equal(w.sim->ops->ldap_replace(w.sim, c, ANN_DN, "scriptPath", "x.bat"), SP_OK);
    assert_int_equal(w.sim->ops->ldap_replace(w.sim, c, "CN=nobody", "scriptPath", "x.bat"), SP_ERR_NOTFOUND);
    w.sim->ops->ldap_close(w.sim, c);
    assert_string_equal(ldap_value(&w, ANN_DN, "scriptPath", &v), "x.bat");
    char name[100];
    assert_int_equal(w.sim->ops->sid_lookup(w.sim, "S-1-5-20", name, sizeof name), SP_OK);
    assert_string_equal(name, "NT AUTHORITY\\NETWORK SERVICE");
    assert_int_equal(w.sim->ops->sid_lookup(w.sim, "S-1-5-21-9", name, sizeof name), SP_ERR_NOTFOUND);
    testutil_world_close(&w);
}

static void sim_should_reject_a_malformed_ldap_section(void **s)
{
    (void)s;
    static const char *const bad[] = {
        "{\"os\":{\"major\":5,\"minor\":2,\"build\":3790},\"ldap\":[]}",
        "{\"os\":{\"major\":5,\"minor\":2,\"build\":3790},\"ldap\":{\"entries\":{\"DC=x\":{\"a\":5}}}}",
        "{\"os\":{\"major\":5,\"minor\":2,\"build\":3790},\"ldap\":{\"read_only\":1}}",
        "{\"os\":{\"major\":5,\"minor\":2,\"build\":3790},\"sids\":{\"S-1-5-20\":7}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[300];
        assert_int_equal(testutil_sim_open_status(bad[i], err, sizeof err), SP_ERR_BADDATA);
        assert_true(strstr(err, "ldap") || strstr(err, "sids"));
    }
}

static void policy_helpers_should_read_domains_and_script_paths(void **s)
{
    (void)s;
    char d[64];
    sp_policy_dn_to_domain("DC=contoso,DC=local", d, sizeof d);
    assert_string_equal(d, "contoso.local");
    sp_policy_dn_to_domain("OU=x,dc=a, DC=b", d, sizeof d);
    assert_string_equal(d, "a.b");
    assert_true(sp_policy_names_sbs_script("SBS_LOGIN_SCRIPT.bat"));
    assert_true(sp_policy_names_sbs_script("\\\\srv\\NETLOGON\\sbs_login_script.BAT"));
    assert_false(sp_policy_names_sbs_script("SBS_LOGIN_SCRIPT.bat.old"));
    assert_false(sp_policy_names_sbs_script("logon.cmd"));
    assert_false(sp_policy_names_sbs_script(NULL));
}

static void cmdline_should_take_an_ldap_server_and_user(void **s)
{
    (void)s;
    sp_cmdline cl;
    const char *a1[] = {"x", "/ldap:127.0.0.1:3890", "/LDAPUSER:Administrator@SAMDOM.TEST"};
    const char *a2[] = {"x", "/ldap:dc01"};
    const char *a3[] = {"x", "/ldap:dc01:99999"};
    const char *a4[] = {"x", "/ldapuser:bob"};
    assert_int_equal(sp_cmdline_parse(3, a1, &cl), SP_OK);
    assert_string_equal(cl.ldap_host, "127.0.0.1");
    assert_int_equal(cl.ldap_port, 3890);
    assert_string_equal(cl.ldap_user, "Administrator@SAMDOM.TEST");
    assert_int_equal(sp_cmdline_parse(2, a2, &cl), SP_OK);
    assert_string_equal(cl.ldap_host, "dc01");
    assert_int_equal(cl.ldap_port, 0);
    assert_int_equal(sp_cmdline_parse(2, a3, &cl), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_LDAP_BAD);
    assert_int_equal(sp_cmdline_parse(2, a4, &cl), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_LDAPUSER_NEEDS_LDAP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(policy_check_should_name_the_accounts_and_the_users_of_the_script),
        cmocka_unit_test(policy_apply_should_change_all_three_together_and_undo_byte_for_byte),
        cmocka_unit_test(policy_apply_should_keep_scriptpath_when_the_user_says_so),
        cmocka_unit_test(policy_apply_should_roll_the_files_back_when_ad_refuses_the_change),
        cmocka_unit_test(policy_should_say_why_when_the_ldap_server_refuses_the_bind),
        cmocka_unit_test(policy_apply_should_change_nothing_when_the_version_is_not_a_number),
        cmocka_unit_test(policy_should_refuse_a_file_that_is_not_a_security_template),
        cmocka_unit_test(policy_apply_should_stop_when_the_policy_changed_since_it_was_read),
        cmocka_unit_test(journal_should_read_a_timed_out_ldap_change_back),
        cmocka_unit_test(journal_should_forget_changes_that_did_not_happen),
        cmocka_unit_test(sim_ldap_should_search_filter_and_replace),
        cmocka_unit_test(sim_should_reject_a_malformed_ldap_section),
        cmocka_unit_test(policy_helpers_should_read_domains_and_script_paths),
        cmocka_unit_test(cmdline_should_take_an_ldap_server_and_user),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
