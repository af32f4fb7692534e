/* The Updates step on simulated servers: service packs per product, missing updates, restarts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <cjson/cJSON.h>

#include "core/journal.h"
#include "core/report.h"
#include "core/session.h"
#include "core/state.h"
#include "core/sys/sim/sim.h"
#include "core/updates/updates.h"
#include "core/updates/wua.h"
#include "core/step.h"
#include "core/msgids.h"
#include <time.h>
#include "tests/unit/testutil.h"

typedef testutil_world world;

/* Opens tests/profiles/<name>.json with extra (a JSON object, may be NULL) merged over it:
 * its "registry" keys are added to the profile's, its other keys replace the profile's. */
/* Whether finding x's title, as the wizard shows it in lang, is want (issue 19: its words come
 * from the string table, in the wizard's language). */
static int title_is(const sp_finding *x, const char *lang, const char *want)
{
    char *t = x ? sp_text_of(testutil_text_rc, (void *)lang, x->title_id, x->arg) : NULL;
    int same = t && strcmp(t, want) == 0;
    if (!same)
        print_error("%s title: %s\n", lang, t ? t : "(none)");
    free(t);
    return same;
}

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
                /* A key given as null is taken out of the profile. */
                cJSON_ArrayForEach(k, x)
                {
                    if (cJSON_IsNull(k))
                        cJSON_DeleteItemFromObjectCaseSensitive(reg, k->string);
                    else
                        cJSON_AddItemReferenceToObject(reg, k->string, k);
                }
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
    assert_true(title_is(x, "en-US", "SBS 2003's own service pack is missing (no SBS service pack)"));
    assert_true(title_is(x, "de-DE", "Das eigene Service Pack von SBS 2003 fehlt (kein SBS-Service Pack)"));
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
    assert_string_equal(f.items[0].code, "updates.source");
    assert_string_equal(f.items[2].arg, "Update (KB2)");
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


/* ---- Sources: WSUS and Microsoft Update (issue 15) -------------------------------------- */

#define WSUS_POLICY                                                                                \
    "\"HKLM\\\\SOFTWARE\\\\Policies\\\\Microsoft\\\\Windows\\\\WindowsUpdate\": {\"WUServer\": "      \
    "{\"sz\": \"http://SBS01:8530\"}}, \"HKLM\\\\SOFTWARE\\\\Policies\\\\Microsoft\\\\Windows\\\\"  \
    "WindowsUpdate\\\\AU\": {\"UseWUServer\": {\"dword\": 1}}"
/* An Exchange rollup and a Windows update WSUS has not approved: only Microsoft Update has them. */
#define BEHIND_TWO                                                                                 \
    "\"updates\": [{\"title\": \"Update Rollup 26 for Exchange Server 2010 SP3 (KB4536989)\", "   \
    "\"kb\": \"KB4536989\", \"category\": \"security\", \"offered_by\": [\"microsoft_update\"]}, " \
    "{\"title\": \"2020-01 Security Monthly Quality Rollup (KB4534310)\", \"kb\": \"KB4534310\", " \
    "\"category\": \"security\", \"offered_by\": [\"windows_update\", \"microsoft_update\"]}]"

/* No finding may be an error while the result says passed (the verdict and the list agree). */
static void assert_verdict_agrees(sp_result r, const sp_findings *f)
{
    for (size_t i = 0; r == SP_RESULT_PASSED && i < f->count; i++)
        if (f->items[i].severity == SP_SEV_ERROR)
            fail_msg("passed with the error %s", f->items[i].code);
}

static void updates_should_count_what_microsoft_update_finds_when_wsus_says_none(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    sp_result r;
    open_world(&w, "sbs2011std", "{\"registry\": {" WSUS_POLICY "}, " BEHIND_TWO "}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "updates.source"));
    assert_string_equal(x->arg, "http://SBS01:8530");
    assert_non_null(strstr(x->evidence, "UseWUServer = 1"));
    assert_non_null(x = testutil_find(&f, "updates.sources_disagree"));
    assert_int_equal(x->severity, SP_SEV_WARNING);
    assert_string_equal(x->arg, "WSUS (http://SBS01:8530): 0, Microsoft Update: 2");
    assert_int_equal(count(&f, "updates.missing"), 2);
    assert_non_null(strstr(testutil_find(&f, "updates.missing")->evidence, "found by Microsoft Update"));
    assert_null(testutil_find(&f, "updates.none_missing"));
    assert_false(gate(&w));
    /* Apply installs both from Microsoft Update; then both sources agree and the step passes. */
    r = run(&w, 1, &f);
    assert_int_equal(count(&f, "updates.installed"), 2);
    assert_int_equal(r, SP_RESULT_PASSED);
    assert_non_null(testutil_find(&f, "updates.sources_agree"));
    assert_non_null(strstr(testutil_find(&f, "updates.none_missing")->evidence,
                           "asked WSUS (http://SBS01:8530) and Microsoft Update"));
    assert_verdict_agrees(r, &f);
    assert_true(gate(&w));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_not_verify_on_wsus_alone_without_the_internet(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    sp_result r;
    open_world(&w, "sbs2008", "{\"registry\": {" WSUS_POLICY "}, \"wua\": {\"direct_hresult\": \"0x8024402C\"}}");
    r = run(&w, 0, &f);
    assert_int_equal(r, SP_RESULT_MANUAL_NEEDED);
    assert_non_null(x = testutil_find(&f, "updates.wsus_unconfirmed"));
    assert_non_null(strstr(x->arg, "http://SBS01:8530: 0x8024402C"));
    assert_null(testutil_find(&f, "updates.none_missing"));
    assert_false(gate(&w));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* What WSUS does find still fails the step. */
    open_world(&w, "sbs2008", "{\"registry\": {" WSUS_POLICY "}, \"wua\": {\"direct_hresult\": "
                              "\"0x8024402C\"}, " MISSING_TWO "}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_int_equal(count(&f, "updates.missing"), 2);
    assert_non_null(testutil_find(&f, "updates.wsus_unconfirmed"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_say_when_only_windows_update_could_be_asked(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_world(&w, "sbs2011std", "{\"registry\": {" WSUS_POLICY "}, \"wua\": {\"microsoft_update\": false}, "
                                 BEHIND_TWO "}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "updates.mu_unregistered"));
    assert_non_null(strstr(x->arg, "0x80248014"));
    /* Windows Update has the Windows rollup but not Exchange's. */
    assert_int_equal(count(&f, "updates.missing"), 1);
    assert_string_equal(testutil_find(&f, "updates.missing")->arg,
                        "2020-01 Security Monthly Quality Rollup (KB4534310)");
    assert_string_equal(testutil_find(&f, "updates.sources_disagree")->arg,
                        "WSUS (http://SBS01:8530): 0, Windows Update: 1");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_stand_on_the_direct_answer_when_wsus_is_broken(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    sp_result r;
    const sp_finding *x;
    /* The WSUS the policy names answers 404; Microsoft Update answers directly: nothing missing. */
    open_world(&w, "sbs2011std", "{\"registry\": {" WSUS_POLICY "}, \"wua\": {\"wsus_hresult\": \"0x80244019\"}}");
    r = run(&w, 0, &f);
    assert_int_equal(r, SP_RESULT_PASSED);
    assert_non_null(x = testutil_find(&f, "updates.wsus_failed"));
    assert_int_equal(x->severity, SP_SEV_WARNING);
    assert_non_null(strstr(x->arg, "0x80244019 (WU_E_PT_HTTP_STATUS_NOT_FOUND"));
    assert_null(testutil_find(&f, "updates.wua_unavailable"));
    assert_non_null(strstr(testutil_find(&f, "updates.none_missing")->evidence, "asked Microsoft Update"));
    assert_verdict_agrees(r, &f);
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* Both broken: nothing to stand on. */
    open_world(&w, "sbs2011std", "{\"registry\": {" WSUS_POLICY "}, \"wua\": {\"wsus_hresult\": "
                                 "\"0x80244019\", \"direct_hresult\": \"0x8024402C\"}}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_MANUAL_NEEDED);
    assert_non_null(x = testutil_find(&f, "updates.wua_unavailable"));
    assert_non_null(strstr(x->evidence, "directly: 0x8024402C"));
    assert_false(gate(&w));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* Without a policy only the configured source is asked, and it is named. */
    open_world(&w, "sbs2011std", NULL);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    assert_null(testutil_find(&f, "updates.sources_agree"));
    assert_int_equal(testutil_find(&f, "updates.source")->title_id, IDS_F_UPDATES_SOURCE_WU);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* ---- Restart signals, prerequisites, last detection ------------------------------------- */

static void updates_should_see_every_new_restart_signal_and_a_restart_clears_it(void **s)
{
    static const char *const extras[] = {
        "{\"registry\": {\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\Session Manager\": "
        "{\"PendingFileRenameOperations2\": {\"multi_sz\": [\"\\\\??\\\\C:\\\\b.tmp\", \"\"]}}}}",
        "{\"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Updates\": {\"UpdateExeVolatile\": {\"dword\": 1}}}}",
        "{\"registry\": {\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\ComputerName\\\\ComputerName\": "
        "{\"ComputerName\": {\"sz\": \"SBS2\"}}, \"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\"
        "ComputerName\\\\ActiveComputerName\": {\"ComputerName\": {\"sz\": \"SBS01\"}}}}",
    };
    static const char *const why[] = {"PendingFileRenameOperations2", "Updates\\UpdateExeVolatile",
                                      "a computer rename"};
    (void)s;
    for (size_t i = 0; i < 3; i++) {
        world w;
        sp_findings f = {0};
        sp_result r;
        open_world(&w, "sbs2008", extras[i]);
        assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
        if (!strstr(testutil_find(&f, "updates.reboot_pending")->arg, why[i]))
            fail_msg("%s not in %s", why[i], testutil_find(&f, "updates.reboot_pending")->arg);
        r = run(&w, 1, &f);
        assert_int_equal(r, SP_RESULT_PASSED);
        assert_int_equal(sp_sim_restarts(w.sim), 1);
        assert_non_null(testutil_find(&f, "updates.no_reboot"));
        assert_verdict_agrees(r, &f);
        sp_findings_free(&f);
        testutil_world_close(&w);
    }
    /* The same names (any case) are no rename; an empty rename list is no restart. */
    {
        world w;
        sp_findings f = {0};
        open_world(&w, "sbs2008",
                   "{\"registry\": {\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Control\\\\ComputerName\\\\"
                   "ComputerName\": {\"ComputerName\": {\"sz\": \"sbs01\"}}, \"HKLM\\\\SYSTEM\\\\"
                   "CurrentControlSet\\\\Control\\\\ComputerName\\\\ActiveComputerName\": {\"ComputerName\": "
                   "{\"sz\": \"SBS01\"}}, \"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Updates\": {\"UpdateExeVolatile\": "
                   "{\"dword\": 0}}}}");
        assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
        assert_non_null(testutil_find(&f, "updates.no_reboot"));
        sp_findings_free(&f);
        testutil_world_close(&w);
    }
}

#define SHA2_PKG                                                                                   \
    "\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Component Based Servicing\\\\"  \
    "Packages\\\\Package_for_KB4474419~31bf3856ad364e35~amd64~~6.1.1.3\""
#define SSU_PKG_2008                                                                               \
    "\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Component Based Servicing\\\\"  \
    "Packages\\\\Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.2\""

static void updates_should_name_a_missing_sha2_or_servicing_stack_prerequisite(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    sp_result r;
    /* 2008 R2 without SHA-2 support, which Windows Update offers. */
    open_world(&w, "sbs2011std", "{\"registry\": {" SHA2_PKG ": null}, \"updates\": [{\"title\": "
                                 "\"Security Update for Windows Server 2008 R2 (KB4474419)\", \"kb\": "
                                 "\"KB4474419\", \"category\": \"security\"}]}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "updates.prereq_missing"));
    assert_true(title_is(x, "en-US", "Update prerequisite missing: SHA-2 code signing support, KB4474419"));
    assert_true(title_is(x, "de-DE", "Voraussetzung für Updates fehlt: Unterstützung für SHA-2-Codesignatur, KB4474419"));
    assert_int_equal(x->severity, SP_SEV_ERROR);
    assert_true(title_is(testutil_find(&f, "updates.prereq_ok"), "en-US",
                         "Update prerequisite installed: servicing stack update (March 2019 or later), KB4490628"));
    /* Installing it leaves its package; then nothing blocks. */
    r = run(&w, 1, &f);
    assert_int_equal(r, SP_RESULT_PASSED);
    assert_null(testutil_find(&f, "updates.prereq_missing"));
    assert_int_equal(count(&f, "updates.prereq_ok"), 2);
    assert_verdict_agrees(r, &f);
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* 2008 without the April 2019 servicing stack; a staged package (0x20) is not installed. */
    open_world(&w, "sbs2008", "{\"registry\": {" SSU_PKG_2008 ": {\"CurrentState\": {\"dword\": 32}}}}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "updates.prereq_missing"));
    assert_true(title_is(x, "en-US", "Update prerequisite missing: servicing stack update (April 2019 or later), KB4493730"));
    assert_true(title_is(x, "de-DE", "Voraussetzung für Updates fehlt: Wartungsstapelupdate (April 2019 oder später), KB4493730"));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* A later servicing stack, the earlier one superseded (0x50), satisfies it. */
    open_world(&w, "sbs2008", "{\"registry\": {" SSU_PKG_2008 ": {\"CurrentState\": {\"dword\": 80}}}}");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    assert_null(testutil_find(&f, "updates.prereq_missing"));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* 2003 and 2012 have no such prerequisites. */
    open_world(&w, "ess2012", NULL);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    assert_null(testutil_find(&f, "updates.prereq_ok"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void detect_time(world *w, int64_t ago, char *out, size_t outlen)
{
    time_t t = (time_t)(w->sim->ops->time_now(w->sim) - ago);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, outlen, "%Y-%m-%d %H:%M:%S", &tm);
}

static void updates_should_read_the_agents_last_successful_detection(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    char when[32], extra[400];
    const sp_finding *x;
    open_world(&w, "sbs2008", NULL);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    assert_non_null(testutil_find(&f, "updates.detect_unknown"));
    detect_time(&w, 3 * 86400 + 60, when, sizeof when);
    testutil_world_close(&w);
    snprintf(extra, sizeof extra, "{\"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\"
                                  "WindowsUpdate\\\\Auto Update\\\\Results\\\\Detect\": {\"LastSuccessTime\": "
                                  "{\"sz\": \"%s\"}}}}", when);
    open_world(&w, "sbs2008", extra);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    assert_non_null(x = testutil_find(&f, "updates.detect_recent"));
    assert_non_null(strstr(x->evidence, "3 days before this check"));
    testutil_world_close(&w);
    sp_findings_free(&f);
    open_world(&w, "sbs2008", NULL);
    detect_time(&w, 200 * 86400, when, sizeof when);
    testutil_world_close(&w);
    snprintf(extra, sizeof extra, "{\"registry\": {\"HKLM\\\\SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\"
                                  "WindowsUpdate\\\\Auto Update\\\\Results\\\\Detect\": {\"LastSuccessTime\": "
                                  "{\"sz\": \"%s\"}}}}", when);
    open_world(&w, "sbs2008", extra);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    assert_non_null(x = testutil_find(&f, "updates.detect_stale"));
    assert_int_equal(x->severity, SP_SEV_WARNING);
    assert_non_null(strstr(x->evidence, "200 days before this check"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void wua_should_read_agent_times_and_package_names(void **s)
{
    (void)s;
    assert_int_equal(sp_wua_parse_time("1970-01-02 00:00:01"), 86401);
    assert_int_equal(sp_wua_parse_time("2024-02-29 23:59:59"), 1709251199);
    assert_int_equal(sp_wua_parse_time("2023-02-29 10:00:00"), -1);
    assert_int_equal(sp_wua_parse_time("2024-02-28 10:00"), -1);
    assert_int_equal(sp_wua_parse_time("2024-02-28T10:00:00"), -1);
    assert_int_equal(sp_wua_parse_time("2024-02-28 10:00:00Z"), -1);
    assert_int_equal(sp_wua_parse_time(""), -1);
    assert_true(sp_wua_package_is("Package_for_KB4474419~31bf3856ad364e35~amd64~~6.1.3.2", "KB4474419"));
    assert_true(sp_wua_package_is("Package_12_for_KB4474419~31bf3856ad364e35~amd64~~6.1.3.2", "kb4474419"));
    assert_false(sp_wua_package_is("Package_for_KB44744190~31bf3856ad364e35~amd64~~6.1.3.2", "KB4474419"));
    assert_false(sp_wua_package_is("Package_for_KB447441~31bf3856ad364e35~amd64~~6.1.3.2", "KB4474419"));
    assert_false(sp_wua_package_is("Package_x_for_KB4474419~31bf", "KB4474419"));
    assert_false(sp_wua_package_is("Microsoft-Windows-Foundation-Package~31bf", "KB4474419"));
}

/* Cancel reaches the installation between the agent's steps, not only between updates. */
typedef struct {
    volatile long cancel;
    unsigned calls;
} cancel_at;

static void cancel_on_progress(void *user, unsigned permille, const char *what)
{
    cancel_at *c = user;
    (void)permille;
    if (what && strstr(what, "KB1") && ++c->calls == 2)
        c->cancel = 1;
}

static void updates_should_stop_an_installation_when_cancelled(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    sp_result r = SP_RESULT_NOT_RUN;
    cancel_at c = {0, 0};
    open_world(&w, "sbs2011std", "{\"wua\": {\"install_ms\": 40}, " MISSING_TWO "}");
    sp_run_ctx ctx = sp_session_ctx(&w.session, &c.cancel);
    ctx.progress = cancel_on_progress;
    ctx.progress_user = &c;
    assert_int_equal(sp_step_run(sp_step_find("updates"), &ctx, 1, &f, &r), SP_ERR_CANCELLED);
    assert_true(c.cancel);
    /* Nothing was installed: both are still missing. */
    sp_findings_free(&f);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_int_equal(count(&f, "updates.missing"), 2);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* The search itself is cancellable (issue 15): a search held by the sim
 * (C:\SourcePrepTest\hold-updates-search) ends on Cancel while the hold is still there. */
typedef struct {
    world *w;
    volatile long cancel;
    volatile int searching, done;
    sp_status status;
    sp_findings f;
} held_search;

static void note_search(void *user, unsigned permille, const char *what)
{
    held_search *h = user;
    (void)what;
    if (permille == 100) /* the configured source's search starts now */
        h->searching = 1;
}

static void *run_held_check(void *arg)
{
    held_search *h = arg;
    sp_result r = SP_RESULT_NOT_RUN;
    sp_run_ctx ctx = sp_session_ctx(&h->w->session, &h->cancel);
    ctx.progress = note_search;
    ctx.progress_user = h;
    h->status = sp_step_execute(sp_step_find("updates"), &ctx, 0, &h->f, &r);
    h->done = 1;
    return NULL;
}

static int wait_flag(volatile int *flag, int ms)
{
    for (int i = 0; i < ms / 5 && !*flag; i++) {
        struct timespec ts = {0, 5 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return *flag;
}

static void updates_search_should_end_on_cancel_while_held(void **s)
{
    (void)s;
    world w;
    held_search h;
    pthread_t t;
    sp_filestat fs = {0};
    memset(&h, 0, sizeof h);
    h.w = &w;
    open_world(&w, "sbs2011std", "{" MISSING_TWO "}");
    assert_int_equal(w.sim->ops->dir_create(w.sim, "C:\\SourcePrepTest"), SP_OK);
    assert_int_equal(w.sim->ops->file_write_atomic(w.sim, "C:\\SourcePrepTest\\hold-updates-search", "", 0), SP_OK);
    assert_int_equal(pthread_create(&t, NULL, run_held_check, &h), 0);
    assert_true(wait_flag(&h.searching, 30000));
    assert_false(h.done); /* held: the search has not ended by itself */
    h.cancel = 1;
    assert_true(wait_flag(&h.done, 10000)); /* ended well before the hold's minute */
    pthread_join(t, NULL);
    assert_int_equal(h.status, SP_ERR_CANCELLED);
    assert_int_equal(w.sim->ops->file_stat(w.sim, "C:\\SourcePrepTest\\hold-updates-search", &fs), SP_OK);
    assert_true(fs.exists); /* the hold was never released: Cancel ended the search */
    sp_findings_free(&h.f);
    /* The hold gone, the same search runs to its end. */
    assert_int_equal(w.sim->ops->file_delete(w.sim, "C:\\SourcePrepTest\\hold-updates-search"), SP_OK);
    assert_int_equal(run(&w, 0, &h.f), SP_RESULT_FAILED);
    assert_int_equal(count(&h.f, "updates.missing"), 2);
    sp_findings_free(&h.f);
    testutil_world_close(&w);
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
        cmocka_unit_test(updates_should_count_what_microsoft_update_finds_when_wsus_says_none),
        cmocka_unit_test(updates_should_not_verify_on_wsus_alone_without_the_internet),
        cmocka_unit_test(updates_should_say_when_only_windows_update_could_be_asked),
        cmocka_unit_test(updates_should_stand_on_the_direct_answer_when_wsus_is_broken),
        cmocka_unit_test(updates_should_see_every_new_restart_signal_and_a_restart_clears_it),
        cmocka_unit_test(updates_should_name_a_missing_sha2_or_servicing_stack_prerequisite),
        cmocka_unit_test(updates_should_read_the_agents_last_successful_detection),
        cmocka_unit_test(wua_should_read_agent_times_and_package_names),
        cmocka_unit_test(updates_should_stop_an_installation_when_cancelled),
        cmocka_unit_test(updates_search_should_end_on_cancel_while_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
