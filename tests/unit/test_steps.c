/* The command line and the steps: parsing, verdicts per product, recording, cancel, the report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <dirent.h>

#include "core/cmdline.h"
#include "core/msgids.h"
#include "core/report.h"
#include "core/session.h"
#include "core/state.h"
#include "core/sys/posix/posix.h"
#include "core/sys/sim/sim.h"
#include "tests/unit/testutil.h"

static sp_status parse(sp_cmdline *cl, const char *a, const char *b, const char *c)
{
    const char *argv[4] = {"sourceprep.exe", a, b, c};
    int argc = 1 + (a != NULL) + (b != NULL) + (c != NULL);
    return sp_cmdline_parse(argc, argv, cl);
}

static void cmdline_should_accept_slash_and_dash_in_any_case(void **s)
{
    (void)s;
    sp_cmdline cl;
    assert_int_equal(parse(&cl, "/DEMO", "-Step:Backup", "/check"), SP_OK);
    assert_true(cl.demo);
    assert_string_equal(cl.step, "backup"); /* step names are case-insensitive */
    assert_true(cl.check);
    assert_int_equal(parse(&cl, "/?", NULL, NULL), SP_OK);
    assert_true(cl.help);
    assert_int_equal(parse(&cl, "--help", NULL, NULL), SP_OK);
    assert_true(cl.help);
    assert_int_equal(parse(&cl, "/profile:C:\\x y\\sbs.json", "/root:D:\\r", "/style:wizard97"), SP_OK);
    assert_string_equal(cl.profile, "C:\\x y\\sbs.json");
    assert_string_equal(cl.root, "D:\\r");
    assert_int_equal(cl.style, SP_STYLE_WIZARD97);
    assert_int_equal(parse(&cl, "/report=out.json", NULL, NULL), SP_OK);
    assert_string_equal(cl.report, "out.json");
}

static void cmdline_should_explain_what_is_wrong(void **s)
{
    (void)s;
    sp_cmdline cl;
    assert_int_equal(parse(&cl, "/frobnicate", NULL, NULL), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_UNKNOWN_OPTION);
    assert_string_equal(cl.error, "/frobnicate");
    assert_int_equal(parse(&cl, "stray", NULL, NULL), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_UNEXPECTED_ARG);
    assert_int_equal(parse(&cl, "/profile:", NULL, NULL), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_NEEDS_VALUE);
    assert_string_equal(cl.error, "profile");
    assert_int_equal(parse(&cl, "/step:nosuch", "/check", NULL), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_NO_STEP);
    assert_string_equal(cl.error, "nosuch");
    assert_string_equal(cl.error2, "backup, updates, policy, health, timesync, lob, email");
    assert_int_equal(parse(&cl, "/step:backup", NULL, NULL), SP_ERR_INVALID);
    assert_int_equal(parse(&cl, "/step:backup", "/check", "/apply"), SP_ERR_INVALID);
    assert_int_equal(parse(&cl, "/check", NULL, NULL), SP_ERR_INVALID);
    assert_int_equal(parse(&cl, "/demo", "/profile:x.json", NULL), SP_ERR_INVALID);
    assert_int_equal(parse(&cl, "/root:C:\\x", NULL, NULL), SP_ERR_INVALID);
    assert_int_equal(parse(&cl, "/style:fancy", NULL, NULL), SP_ERR_INVALID);
    assert_int_equal(parse(&cl, "/page:nowhere", NULL, NULL), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_NO_PAGE);
}

/* The command line's mistakes are said in the wizard's language: the string table's text with
 * what was typed, never an English sentence from the code (issue 19). */
static void cmdline_errors_should_be_said_in_the_wizards_language(void **s)
{
    (void)s;
    static const struct {
        const char *a, *b, *de, *en;
    } want[] = {
        {"/frobnicate", NULL, "Unbekannte Option „/frobnicate“.", "Unknown option \"/frobnicate\"."},
        {"stray", NULL, "Unerwartetes Argument „stray“.", "Unexpected argument \"stray\"."},
        {"/lang:fr-FR", NULL, "/lang kennt de-DE oder en-US.", "/lang takes de-DE or en-US."},
        {"/mark:backup", NULL, "/mark:backup braucht /reason:\"Begründung\".", "/mark:backup needs /reason:\"why it is done\"."},
        {"/demo", "/profile:x.json", "Verwenden Sie /demo oder /profile, nicht beides.", "Use /demo or /profile, not both."},
    };
    sp_cmdline cl;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *de, *en;
        assert_int_equal(parse(&cl, want[i].a, want[i].b, NULL), SP_ERR_INVALID);
        assert_int_not_equal(cl.error_id, 0);
        de = testutil_text_rc("de-DE", cl.error_id, cl.error);
        en = testutil_text_rc("en-US", cl.error_id, cl.error);
        assert_string_equal(de, want[i].de);
        assert_string_equal(en, want[i].en);
        free(de);
        free(en);
    }
}

static void cmdline_should_refuse_values_longer_than_its_buffers(void **s)
{
    (void)s;
    sp_cmdline cl;
    char arg[1200] = "/profile:";
    memset(arg + 9, 'a', 1100);
    arg[1109] = '\0';
    assert_int_equal(parse(&cl, arg, NULL, NULL), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_VALUE_TOO_LONG);
    assert_string_equal(cl.error, "profile");
}

/* A session on tests/profiles/<name>.json in a fresh folder. */
typedef testutil_world world;

static void open_world(world *w, const char *name)
{
    char path[200];
    snprintf(path, sizeof path, "tests/profiles/%s.json", name);
    testutil_world_open(w, path);
}

static sp_result check(world *w, const char *id, sp_findings *f)
{
    return testutil_world_run(w, id, 0, f);
}

static int has_code(const sp_findings *f, const char *code)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].code, code) == 0)
            return 1;
    return 0;
}

static void policy_should_not_apply_after_2003(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, "sbs2008");
    assert_int_equal(check(&w, "policy", &f), SP_RESULT_NOT_APPLICABLE);
    assert_true(has_code(&f, "policy.not_2003"));
    assert_true(sp_state_gate_open(w.session.state, "policy", w.sim->ops->time_now(w.sim)));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void policy_should_fail_on_sbs2003_while_the_right_is_defined(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, "sbs2003");
    assert_int_equal(check(&w, "policy", &f), SP_RESULT_FAILED);
    assert_true(has_code(&f, "policy.right_defined"));
    assert_false(sp_state_gate_open(w.session.state, "policy", w.sim->ops->time_now(w.sim)));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void email_should_not_apply_without_exchange_and_apply_with_it(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, "ess2016");
    assert_int_equal(check(&w, "email", &f), SP_RESULT_NOT_APPLICABLE);
    sp_findings_free(&f);
    testutil_world_close(&w);
    open_world(&w, "sbs2011std");
    /* Until a target is chosen the step is not done (tests/unit/test_email.c has the rest). */
    assert_int_equal(check(&w, "email", &f), SP_RESULT_FAILED);
    assert_true(has_code(&f, "email.exchange"));
    assert_true(has_code(&f, "email.no_target"));
    for (size_t i = 0; i < f.count; i++)
        if (strcmp(f.items[i].code, "email.exchange") == 0)
            assert_string_equal(f.items[i].arg, "Exchange Server 2010 SP3");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void updates_should_flag_an_old_service_pack(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, "sbs2003");
    /* The profile says SP2: current. Make the simulated server older. */
    w.session.info.os.sp_major = 1;
    check(&w, "updates", &f);
    assert_true(has_code(&f, "updates.sp_missing"));
    assert_int_equal(sp_findings_worst(&f), SP_SEV_ERROR);
    sp_findings_free(&f);
    w.session.info.os.sp_major = 2;
    check(&w, "updates", &f);
    assert_true(has_code(&f, "updates.sp_current"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static const char *arg_of(const sp_findings *f, const char *code)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].code, code) == 0)
            return f->items[i].arg;
    return "(no such finding)";
}

static void backup_should_name_the_tool_of_the_os(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_world(&w, "sbs2003");
    check(&w, "backup", &f);
    assert_string_equal(arg_of(&f, "backup.tool"), "NTBackup");
    sp_findings_free(&f);
    testutil_world_close(&w);
    open_world(&w, "sbs2011std");
    check(&w, "backup", &f);
    {
        /* The tool's name as Windows says it in the wizard's language (issue 19). */
        char *de = sp_text_of(testutil_text_rc, "de-DE", IDS_F_BK_TOOL, arg_of(&f, "backup.tool"));
        assert_string_equal(de, "Sicherungsprogramm dieses Servers: Windows Server-Sicherung (wbadmin)");
        free(de);
    }
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static sp_status cancelling_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    (void)out;
    *result = SP_RESULT_PASSED;
    return sp_cancelled(ctx) ? SP_ERR_CANCELLED : SP_OK;
}

static sp_status failing_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    (void)out;
    *result = SP_RESULT_PASSED;
    return sp_sys_fail(ctx->sys, SP_ERR_ACCESS, "Access to HKLM\\X was denied.");
}

static void a_cancelled_run_should_record_nothing(void **s)
{
    (void)s;
    world w;
    const sp_step step = {"backup", cancelling_check, NULL};
    volatile long cancel = 1;
    sp_result r;
    sp_run_ctx ctx;
    open_world(&w, "sbs2003");
    ctx = sp_session_ctx(&w.session, &cancel);
    assert_int_equal(sp_step_run(&step, &ctx, 0, NULL, &r), SP_ERR_CANCELLED);
    assert_int_equal(sp_state_step(w.session.state, "backup")->checked_at, 0);
    testutil_world_close(&w);
}

static void a_failing_check_should_record_an_error_with_the_reason(void **s)
{
    (void)s;
    world w;
    const sp_step step = {"backup", failing_check, NULL};
    sp_result r;
    sp_run_ctx ctx;
    const sp_step_state *st;
    open_world(&w, "sbs2003");
    ctx = sp_session_ctx(&w.session, NULL);
    assert_int_equal(sp_step_run(&step, &ctx, 0, NULL, &r), SP_ERR_ACCESS);
    assert_int_equal(r, SP_RESULT_ERROR);
    st = sp_state_step(w.session.state, "backup");
    assert_int_equal(st->result, SP_RESULT_ERROR);
    assert_int_equal(st->findings.count, 1);
    assert_string_equal(st->findings.items[0].code, "backup.could_not_run");
    assert_string_equal(st->findings.items[0].evidence, "Access to HKLM\\X was denied.");
    assert_false(sp_state_gate_open(w.session.state, "backup", 0));
    testutil_world_close(&w);
}

static char *fake_text(void *user, unsigned id, const char *arg)
{
    char *s = malloc(64);
    (void)user;
    snprintf(s, 64, "text %u (%s)", id, arg ? arg : "");
    return s;
}

static void report_should_hold_the_server_every_step_and_the_changes(void **s)
{
    (void)s;
    world w;
    cJSON *doc, *steps, *first;
    char *json;
    open_world(&w, "sbs2003");
    for (size_t i = 0; i < sp_step_count; i++)
        check(&w, sp_steps[i]->id, NULL);
    sp_state_mark_manual(w.session.state, "lob", "On paper", 5);
    sp_journal_file_write(w.session.journal, "lob", "C:\\plan.csv", "x", 1);
    json = sp_report_json(w.session.state, &w.session.info, w.session.journal, fake_text, NULL, 100);
    doc = cJSON_Parse(json);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItem(doc, "schema")->valuestring, SP_REPORT_SCHEMA);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "server"), "product")->valuestring, "sbs2003");
    steps = cJSON_GetObjectItem(doc, "steps");
    assert_int_equal(cJSON_GetArraySize(steps), 7);
    first = cJSON_GetArrayItem(steps, 0);
    assert_string_equal(cJSON_GetObjectItem(first, "id")->valuestring, "backup");
    assert_string_equal(cJSON_GetObjectItem(first, "result")->valuestring, "failed"); /* no backup */
    /* The verdict comes first (no backup found), then the tool with its argument. */
    assert_non_null(strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(first, "findings"), 1),
                                               "title")->valuestring, "(NTBackup)"));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(steps, 5), "gate_open")));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(steps, 5), "manual_reason")->valuestring, "On paper");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "changes")), 1);
    cJSON_Delete(doc);
    free(json);
    testutil_world_close(&w);
}

/* ---- No verdict the findings contradict (issue 15) ------------------------------------ */

/* Every profile in tests/profiles/ (and the demo), alone and with every patch of its subfolders
 * on top: each step's check, and the apply of each step it failed, never calls a step verified
 * (or its gate open) while one of its own findings is an error. */
typedef struct {
    char paths[64][200];
    size_t count;
} path_list;

static void list_json(path_list *l, const char *dir, const char *suffix)
{
    char path[600];
    DIR *d = opendir(dir);
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), m = strlen(suffix);
        if (e->d_name[0] == '.' || n <= m || strcmp(e->d_name + n - m, suffix) != 0)
            continue;
        if (strcmp(suffix, ".json") == 0 && n > 11 && strcmp(e->d_name + n - 11, ".patch.json") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_true(l->count < sizeof l->paths / sizeof l->paths[0] && strlen(path) < sizeof l->paths[0]);
        strcpy(l->paths[l->count++], path);
    }
    closedir(d);
}

static unsigned verdicts_checked;

static void verdicts_should_hold(world *w, const char *what)
{
    int64_t now = w->sim->ops->time_now(w->sim);
    for (int apply = 0; apply < 2; apply++)
        for (size_t i = 0; i < sp_step_count; i++) {
            const sp_step *step = sp_steps[i];
            const sp_step_state *st = sp_state_step(w->session.state, step->id);
            sp_findings f = {0};
            sp_result r;
            if (apply && (!step->apply || st->result != SP_RESULT_FAILED))
                continue;
            sp_run_ctx ctx = sp_session_ctx(&w->session, NULL);
            r = SP_RESULT_NOT_RUN;
            /* A step that could not run (an error status) is recorded as such: checked too. */
            sp_status status = sp_step_run(step, &ctx, apply, &f, &r);
            verdicts_checked++;
            if (status != SP_OK && r == SP_RESULT_PASSED)
                fail_msg("%s: %s says passed with the status %s", what, step->id, sp_status_name(status));
            if (r == SP_RESULT_PASSED || sp_state_gate_open(w->session.state, step->id, now))
                for (size_t k = 0; k < f.count; k++)
                    if (f.items[k].severity == SP_SEV_ERROR)
                        fail_msg("%s: %s %s says %s (gate %s) with the error finding %s (%s)", what,
                                 step->id, apply ? "apply" : "check", sp_result_name(r),
                                 sp_state_gate_open(w->session.state, step->id, now) ? "open" : "closed",
                                 f.items[k].code, f.items[k].arg ? f.items[k].arg : "");
            sp_findings_free(&f);
        }
}

/* The pauses that pace a profile for people, and its programs' line by line output, taken out. */
static void unpaced(cJSON *profile)
{
    cJSON *proc;
    testutil_unpace(profile);
    cJSON_ArrayForEach(proc, cJSON_GetObjectItem(profile, "processes"))
        cJSON_DeleteItemFromObject(proc, "line_delay_ms");
}

static void no_verdict_should_contradict_its_findings_on_any_profile(void **s)
{
    (void)s;
    path_list bases = {0}, patches = {0};
    int patch_used[64] = {0};
    world w;
    list_json(&bases, "tests/profiles", ".json");
    snprintf(bases.paths[bases.count++], sizeof bases.paths[0], "resources/demo-sbs2003.json");
    DIR *d = opendir("tests/profiles");
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char sub[300];
        if (e->d_name[0] == '.' || strchr(e->d_name, '.') || strlen(e->d_name) > 100)
            continue;
        snprintf(sub, sizeof sub, "tests/profiles/%.100s", e->d_name);
        list_json(&patches, sub, ".patch.json");
    }
    closedir(d);
    assert_true(bases.count >= 10);
    assert_true(patches.count >= 15);
    for (size_t b = 0; b < bases.count; b++) {
        cJSON *base = testutil_read_json(bases.paths[b]);
        unpaced(base);
        testutil_world_open_profile(&w, base);
        cJSON_Delete(base);
        verdicts_should_hold(&w, bases.paths[b]);
        testutil_world_close(&w);
        /* A patch is written for one base, but the rule holds on any server: every pair the sim
         * takes (a patch may not fit another base's shape), and each patch on one base at least. */
        for (size_t p = 0; p < patches.count; p++) {
            char what[420], err[300];
            cJSON *profile = testutil_read_json(bases.paths[b]), *patch = testutil_read_json(patches.paths[p]);
            testutil_merge_patch(profile, patch);
            unpaced(profile);
            char *json = cJSON_PrintUnformatted(profile);
            assert_non_null(json);
            if (testutil_sim_open_status(json, err, sizeof err) == SP_OK) {
                snprintf(what, sizeof what, "%s + %s", bases.paths[b], patches.paths[p]);
                testutil_world_open_profile(&w, profile);
                verdicts_should_hold(&w, what);
                testutil_world_close(&w);
                patch_used[p] = 1;
            }
            free(json);
            cJSON_Delete(profile);
            cJSON_Delete(patch);
        }
    }
    for (size_t p = 0; p < patches.count; p++)
        if (!patch_used[p])
            fail_msg("%s fits no profile", patches.paths[p]);
    print_message("%u runs over %lu profiles and %lu patches\n", verdicts_checked,
                  (unsigned long)bases.count, (unsigned long)patches.count);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cmdline_should_accept_slash_and_dash_in_any_case),
        cmocka_unit_test(cmdline_should_explain_what_is_wrong),
        cmocka_unit_test(cmdline_errors_should_be_said_in_the_wizards_language),
        cmocka_unit_test(cmdline_should_refuse_values_longer_than_its_buffers),
        cmocka_unit_test(policy_should_not_apply_after_2003),
        cmocka_unit_test(policy_should_fail_on_sbs2003_while_the_right_is_defined),
        cmocka_unit_test(email_should_not_apply_without_exchange_and_apply_with_it),
        cmocka_unit_test(updates_should_flag_an_old_service_pack),
        cmocka_unit_test(backup_should_name_the_tool_of_the_os),
        cmocka_unit_test(a_cancelled_run_should_record_nothing),
        cmocka_unit_test(a_failing_check_should_record_an_error_with_the_reason),
        cmocka_unit_test(report_should_hold_the_server_every_step_and_the_changes),
        cmocka_unit_test(no_verdict_should_contradict_its_findings_on_any_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
