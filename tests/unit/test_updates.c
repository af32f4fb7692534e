/* The Updates step on simulated servers: service packs per product, missing updates, restarts. */
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
#include "core/report.h"
#include "core/session.h"
#include "core/state.h"
#include "core/sys/sim/sim.h"
#include "core/updates/updates.h"
#include "core/updates/wua.h"
#include "tests/unit/testutil.h"

typedef testutil_world world;

/* Opens tests/profiles/<name>.json with extra (a JSON object, may be NULL) merged over it:
 * its "registry" keys are added to the profile's, its other keys replace the profile's. */
static void open_world(world *w, const char *name, const char *extra)
{
    char path[200];
    cJSON *prof, *add = NULL, *x;
    snprintf(path, sizeof path, "tests/profiles/%s.json", name);
    prof = testutil_read_json(path);
    if (extra) {
        add = cJSON_Parse(extra);
        assert_non_null(add);
        cJSON_ArrayForEach(x, add)
        {
            cJSON *reg = cJSON_GetObjectItemCaseSensitive(prof, "registry");
            if (strcmp(x->string, "registry") == 0 && reg) {
                cJSON *k;
                cJSON_ArrayForEach(k, x) cJSON_AddItemReferenceToObject(reg, k->string, k);
            } else if (strcmp(x->string, "os_sp") == 0) {
                cJSON *os = cJSON_GetObjectItemCaseSensitive(prof, "os");
                cJSON_ReplaceItemInObject(os, "sp_major", cJSON_CreateNumber(x->valuedouble));
                cJSON_ReplaceItemInObject(os, "csd", cJSON_CreateString(""));
            } else {
                cJSON_DeleteItemFromObject(prof, x->string);
                cJSON_AddItemReferenceToObject(prof, x->string, x);
            }
        }
    }
    testutil_world_open_profile(w, prof);
    cJSON_Delete(prof);
    cJSON_Delete(add);
}

static sp_result run(world *w, int apply, sp_findings *f)
{
    sp_findings_free(f);
    return testutil_world_run(w, "updates", apply, f);
}

static size_t count(const sp_findings *f, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < f->count; i++)
        n += strcmp(f->items[i].code, code) == 0;
    return n;
}

static int gate(world *w)
{
    return sp_state_gate_open(w->session.state, "updates", w->sim->ops->time_now(w->sim));
}

#define MISSING_TWO                                                                                \
    "\"updates\": [{\"title\": \"Security Update (KB1)\", \"kb\": \"KB1\", \"category\": \"security\"," \
    " \"reboot\": true}, {\"title\": \"Update\", \"kb\": \"KB2\", \"category\": \"critical\"},"  \
    " {\"title\": \"Optional\", \"kb\": \"KB3\"}]"

static void updates_table_should_know_every_product(void **s)
{
    (void)s;
    assert_int_equal(sp_updates_latest_sp(5, 2), 2);
    assert_int_equal(sp_updates_latest_sp(6, 0), 2);
    assert_int_equal(sp_updates_latest_sp(6, 1), 1);
    assert_int_equal(sp_updates_latest_sp(6, 2), 0);
    assert_int_equal(sp_updates_latest_sp(10, 0), 0);
    assert_int_equal(sp_updates_latest_sbs_sp(SP_PRODUCT_SBS2003), 1);
    assert_int_equal(sp_updates_latest_sbs_sp(SP_PRODUCT_SERVER2003), 0);
    assert_int_equal(sp_updates_latest_sbs_sp(SP_PRODUCT_SBS2008), 0);
    assert_int_equal(sp_updates_latest_exchange_sp(SP_EXCHANGE_2003), 2);
    assert_int_equal(sp_updates_latest_exchange_sp(SP_EXCHANGE_2007), 3);
    assert_int_equal(sp_updates_latest_exchange_sp(SP_EXCHANGE_2010), 3);
}

static void updates_should_pass_every_fully_updated_product(void **s)
{
    static const char *const names[] = {"sbs2003", "server2003", "sbs2008", "foundation2008",
                                        "sbs2011std", "sbs2011ess", "ess2012", "ess2012r2", "ess2016"};
    (void)s;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        world w;
        sp_findings f = {0};
        open_world(&w, names[i], NULL);
        if (run(&w, 0, &f) != SP_RESULT_PASSED)
            fail_msg("%s did not pass: %s", names[i], f.count ? f.items[0].code : "no findings");
        assert_non_null(testutil_find(&f, "updates.none_missing"));
        assert_non_null(testutil_find(&f, "updates.no_reboot"));
        assert_true(testutil_find(&f, "updates.sp_current") || testutil_find(&f, "updates.sp_none"));
        assert_true(gate(&w));
        sp_findings_free(&f);
        testutil_world_close(&w);
    }
}

static void updates_should_fail_on_an_old_windows_service_pack_for_each_product(void **s)
{
    static const char *const names[] = {"sbs2003", "server2003", "sbs2008", "foundation2008",
                                        "sbs2011std", "sbs2011ess"};
    (void)s;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        world w;
        sp_findings f = {0};
        open_world(&w, names[i], "{\"os_sp\": 0}");
        assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
        assert_non_null(testutil_find(&f, "updates.sp_missing"));
        assert_false(gate(&w));
        sp_findings_free(&f);
        testutil_world_close(&w);
    }
}

static void updates_should_tell_the_sbs_service_pack_from_the_windows_one(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    /* Windows SP2 is there; SBS 2003's own SP1 is not. */
    open_world(&w, "sbs2003",
               "{\"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\SmallBusinessServer\": "
               "{\"ServicePackNumber\": {\"dword\": 0}}}}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "updates.sp_current"));
    assert_non_null(x = testutil_find(&f, "updates.sbs_sp_missing"));
    assert_string_equal(x->arg, "no SBS service pack");
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* Server 2003 (not SBS) has no SBS service pack to check. */
    open_world(&w, "server2003", NULL);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    assert_null(testutil_find(&f, "updates.sbs_sp_missing"));
    assert_null(testutil_find(&f, "updates.sbs_sp_current"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_check_the_exchange_service_pack(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, "sbs2003",
               "{\"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Exchange\\\\Setup\": {\"Services\": "
               "{\"sz\": \"C:\\\\Program Files\\\\Exchsrvr\"}, \"ServicePackNumber\": {\"dword\": 1}}}}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_string_equal(testutil_find(&f, "updates.exchange_sp_missing")->arg, "Exchange Server 2003 SP1");
    sp_findings_free(&f);
    testutil_world_close(&w);
    open_world(&w, "sbs2011std", NULL);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    assert_string_equal(testutil_find(&f, "updates.exchange_sp_current")->arg, "Exchange Server 2010 SP3");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_list_missing_critical_and_security_updates_only(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, "sbs2008", "{" MISSING_TWO "}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_int_equal(count(&f, "updates.missing"), 2);
    assert_string_equal(testutil_find(&f, "updates.missing")->arg, "Security Update (KB1)");
    assert_non_null(strstr(testutil_find(&f, "updates.missing")->evidence, "security update"));
    assert_string_equal(f.items[1].arg, "Update (KB2)");
    assert_string_equal(testutil_find(&f, "updates.optional")->arg, "1");
    assert_false(gate(&w));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_install_then_restart_then_pass(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    sp_regval v = {0};
    open_world(&w, "sbs2011std", "{" MISSING_TWO "}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    /* Apply installs both; KB1 needs a restart: the step now asks for one. */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_int_equal(count(&f, "updates.installed"), 2);
    assert_non_null(strstr(testutil_find(&f, "updates.installed")->evidence, "result code 2 (succeeded)"));
    assert_null(testutil_find(&f, "updates.missing"));
    assert_non_null(testutil_find(&f, "updates.reboot_pending"));
    assert_non_null(strstr(testutil_find(&f, "updates.reboot_pending")->arg, "RebootRequired"));
    assert_int_equal(sp_sim_restarts(w.sim), 0);
    assert_false(gate(&w));
    /* Apply again restarts, with the wizard registered to come back to this page. */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    assert_int_equal(sp_sim_restarts(w.sim), 1);
    assert_non_null(testutil_find(&f, "updates.restarting"));
    assert_int_equal(w.sim->ops->reg_get(w.sim, SP_REG_VIEW_64, SP_UPDATES_RUNONCE_KEY,
                                         SP_UPDATES_RUNONCE_VALUE, &v), SP_OK);
    /* A copy in the data folder, not the exe where it was started from (issue 18). */
    assert_string_equal((const char *)v.data, "\"C:\\Documents and Settings\\All Users\\Application Data\\SourcePrep\\sourceprep.exe\" /page:updates");
    sp_regval_free(&v);
    {
        unsigned char *a = NULL, *b = NULL;
        size_t an = 0, bn = 0;
        assert_int_equal(w.sim->ops->file_read(w.sim, "C:\\Documents and Settings\\All Users\\Application Data\\SourcePrep\\sourceprep.exe", &a, &an), SP_OK);
        assert_int_equal(w.sim->ops->file_read(w.sim, "C:\\Program Files\\SourcePrep\\sourceprep.exe", &b, &bn), SP_OK);
        assert_int_equal(an, bn);
        assert_memory_equal(a, b, an);
        free(a);
        free(b);
    }
    assert_true(gate(&w));
    /* Undo takes the RunOnce entry away again. */
    size_t undone = 0;
    assert_int_equal(sp_journal_undo(w.session.journal, "updates", &undone), SP_OK);
    assert_int_equal(undone, 1);
    assert_int_equal(w.sim->ops->reg_get(w.sim, SP_REG_VIEW_64, SP_UPDATES_RUNONCE_KEY,
                                         SP_UPDATES_RUNONCE_VALUE, &v), SP_ERR_NOTFOUND);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static char *plain_text(void *user, unsigned id, const char *arg)
{
    char *s = malloc(64);
    (void)user;
    snprintf(s, 64, "%u %s", id, arg ? "with arg" : "");
    return s;
}

static void report_should_show_the_updates_step_after_install_and_restart(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    char *html, *json;
    open_world(&w, "sbs2011std", "{" MISSING_TWO "}");
    run(&w, 1, &f);
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    html = sp_report_html(w.session.state, &w.session.info, w.session.journal, plain_text, NULL,
                          w.sim->ops->time_now(w.sim));
    json = sp_report_json(w.session.state, &w.session.info, w.session.journal, plain_text, NULL,
                          w.sim->ops->time_now(w.sim));
    assert_non_null(html);
    assert_non_null(json);
    assert_non_null(strstr(json, "updates.restarting"));
    assert_non_null(strstr(json, "RunOnce"));
    free(html);
    free(json);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_report_a_failed_installation_with_its_code(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, "server2003",
               "{\"updates\": [{\"title\": \"Bad\", \"kb\": \"KB9\", \"category\": \"security\", "
               "\"install_result\": \"failed\", \"hresult\": \"0x80070643\"}]}");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "updates.install_failed"));
    assert_non_null(strstr(testutil_find(&f, "updates.install_failed")->evidence,
                           "result code 4 (failed), 0x80070643 (ERROR_INSTALL_FAILURE"));
    assert_non_null(testutil_find(&f, "updates.missing"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_fail_for_a_pending_reboot_of_any_kind(void **s)
{
    static const char *const extras[] = {
        "{\"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Component Based "
        "Servicing\\\\RebootPending\": {}}}",
        "{\"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\WindowsUpdate\\\\Auto "
        "Update\\\\RebootRequired\": {\"x\": {\"dword\": 1}}}}",
        "{\"registry\": {\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Session Manager\": "
        "{\"PendingFileRenameOperations\": {\"multi_sz\": [\"\\\\??\\\\C:\\\\a.tmp\", \"\"]}}}}",
    };
    static const char *const why[] = {"Component Based Servicing", "RebootRequired",
                                      "PendingFileRenameOperations"};
    (void)s;
    for (size_t i = 0; i < 3; i++) {
        world w;
        sp_findings f = {0};
        open_world(&w, "sbs2008", extras[i]);
        assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
        assert_non_null(strstr(testutil_find(&f, "updates.reboot_pending")->arg, why[i]));
        /* The restart clears it, and the step passes. */
        assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
        assert_non_null(testutil_find(&f, "updates.no_reboot"));
        sp_findings_free(&f);
        testutil_world_close(&w);
    }
}

static void updates_should_say_why_the_agent_cannot_be_used_and_offer_the_manual_path(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_world(&w, "ess2016", "{\"wua\": {\"search_hresult\": \"0x80004001\"}}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_MANUAL_NEEDED);
    assert_non_null(x = testutil_find(&f, "updates.wua_unavailable"));
    assert_string_equal(x->arg, "0x80004001 (E_NOTIMPL: the Windows Update Agent on this system "
                                "does not implement this call)");
    assert_false(gate(&w));
    sp_findings_free(&f);
    testutil_world_close(&w);
    open_world(&w, "sbs2008", "{\"wua\": {\"search_hresult\": \"0x8024402C\"}}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_MANUAL_NEEDED);
    assert_non_null(strstr(testutil_find(&f, "updates.wua_unavailable")->arg, "does not resolve"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_refuse_to_restart_without_the_right(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, "sbs2008",
               "{\"admin\": false, \"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\"
               "Component Based Servicing\\\\RebootPending\": {}}}");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "updates.resume_failed"));
    assert_int_equal(sp_sim_restarts(w.sim), 0);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void wua_should_decode_known_and_unknown_hresults(void **s)
{
    (void)s;
    char buf[200];
    sp_wua_describe_hresult(0x80240022u, buf, sizeof buf);
    assert_non_null(strstr(buf, "WU_E_ALL_UPDATES_FAILED"));
    sp_wua_describe_hresult(0x80070002u, buf, sizeof buf);
    assert_string_equal(buf, "0x80070002 (Windows error 2)");
    sp_wua_describe_hresult(0x8024FFFFu, buf, sizeof buf);
    assert_non_null(strstr(buf, "Windows Update Agent error"));
    sp_wua_describe_hresult(0x12345678u, buf, 8);
    assert_int_equal(strlen(buf), 7);
    assert_string_equal(sp_wua_result_name(5), "aborted");
    assert_false(sp_wua_result_ok(4));
}

static void sim_should_refuse_malformed_updates(void **s)
{
    static const char *const bad[] = {
        "{\"updates\": {}}",
        "{\"updates\": [{\"kb\": \"KB1\"}]}",
        "{\"updates\": [{\"title\": \"x\", \"category\": \"urgent\"}]}",
        "{\"updates\": [{\"title\": \"x\", \"install_result\": \"maybe\"}]}",
        "{\"updates\": [{\"title\": \"x\", \"hresult\": \"0xZZ\"}]}",
        "{\"wua\": {\"search_hresult\": true}}",
        "{\"wua\": {\"install_ms\": -1}}",
    };
    (void)s;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char json[400], err[300] = "";
        snprintf(json, sizeof json, "{\"os\": {\"major\": 6, \"minor\": 0}, %s", bad[i] + 1);
        assert_int_equal(testutil_sim_open_status(json, err, sizeof err), SP_ERR_BADDATA);
        assert_true(strstr(err, "updates") || strstr(err, "wua"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(updates_table_should_know_every_product),
        cmocka_unit_test(updates_should_pass_every_fully_updated_product),
        cmocka_unit_test(updates_should_fail_on_an_old_windows_service_pack_for_each_product),
        cmocka_unit_test(updates_should_tell_the_sbs_service_pack_from_the_windows_one),
        cmocka_unit_test(updates_should_check_the_exchange_service_pack),
        cmocka_unit_test(updates_should_list_missing_critical_and_security_updates_only),
        cmocka_unit_test(updates_should_install_then_restart_then_pass),
        cmocka_unit_test(updates_should_report_a_failed_installation_with_its_code),
        cmocka_unit_test(report_should_show_the_updates_step_after_install_and_restart),
        cmocka_unit_test(updates_should_fail_for_a_pending_reboot_of_any_kind),
        cmocka_unit_test(updates_should_say_why_the_agent_cannot_be_used_and_offer_the_manual_path),
        cmocka_unit_test(updates_should_refuse_to_restart_without_the_right),
        cmocka_unit_test(wua_should_decode_known_and_unknown_hresults),
        cmocka_unit_test(sim_should_refuse_malformed_updates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
