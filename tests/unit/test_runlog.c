/* Unattended runs: the command line's input options, and what a run tells the Application event log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <stdio.h>

#include "core/answers.h"
#include "core/cmdline.h"
#include "core/report.h"
#include "core/msgids.h"
#include "core/runlog.h"
#include "tests/unit/testutil.h"

typedef testutil_world world;

static sp_status parse(sp_cmdline *cl, const char *const *args, int n)
{
    const char *argv[48] = {"sourceprep"};
    for (int i = 0; i < n; i++)
        argv[i + 1] = args[i];
    return sp_cmdline_parse(n + 1, argv, cl);
}

static void the_command_line_should_take_answers_sets_plans_and_a_report_on_stdout(void **s)
{
    (void)s;
    sp_cmdline cl;
    static const char *const args[] = {"/demo", "/answers:C:\\a.json", "/set:timesync.destination=ESS01",
                                       "-SET:backup.k=25", "/lob-plans:plans.csv", "/export-answers:out.json",
                                       "/check:all", "/report:-"};
    assert_int_equal(parse(&cl, args, 8), SP_OK);
    assert_string_equal(cl.answers, "C:\\a.json");
    assert_int_equal(cl.set_count, 2);
    assert_string_equal(cl.sets[0], "timesync.destination=ESS01");
    assert_string_equal(cl.sets[1], "backup.k=25");
    assert_string_equal(cl.lob_plans, "plans.csv");
    assert_string_equal(cl.export_answers, "out.json");
    assert_string_equal(cl.report, "-");
    assert_true(cl.check_all);
    assert_true(sp_cmdline_unattended(&cl));
}

static void inputs_alone_should_make_a_run_without_a_window(void **s)
{
    (void)s;
    sp_cmdline cl;
    static const char *const answers[] = {"/answers:a.json"}, *const set[] = {"/set:policy.clear_script_paths=no"},
                             *const page[] = {"/page:lob"};
    assert_int_equal(parse(&cl, answers, 1), SP_OK);
    assert_true(sp_cmdline_unattended(&cl));
    assert_int_equal(parse(&cl, set, 1), SP_OK);
    assert_true(sp_cmdline_unattended(&cl));
    assert_int_equal(parse(&cl, page, 1), SP_OK);
    assert_false(sp_cmdline_unattended(&cl));
}

static void the_command_line_should_refuse_too_many_sets_and_inputs_with_undo(void **s)
{
    (void)s;
    sp_cmdline cl;
    const char *args[SP_CMDLINE_MAX_SETS + 1];
    static const char *const undo[] = {"/undo", "/yes", "/answers:a.json"}, *const empty[] = {"/set:"};
    for (int i = 0; i <= SP_CMDLINE_MAX_SETS; i++)
        args[i] = "/set:backup.k=3";
    assert_int_equal(parse(&cl, args, SP_CMDLINE_MAX_SETS), SP_OK);
    assert_int_equal(parse(&cl, args, SP_CMDLINE_MAX_SETS + 1), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_TOO_MANY_SETS);
    assert_int_equal(parse(&cl, undo, 3), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_UNDO_ALONE);
    assert_int_equal(parse(&cl, empty, 1), SP_ERR_INVALID);
    assert_int_equal(cl.error_id, IDS_CLI_NEEDS_VALUE);
    assert_string_equal(cl.error, "set");
}

static void the_event_should_say_ready_by_hand_not_ready_or_could_not_run(void **s)
{
    (void)s;
    world w;
    sp_state *st;
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    st = w.session.state;
    assert_int_equal(sp_runlog_event(st, NULL, NULL, 0, SP_EXIT_NOT_READY), SP_RUNLOG_NOT_READY);
    assert_int_equal(sp_runlog_event(st, NULL, NULL, 0, SP_EXIT_CANNOT_RUN), SP_RUNLOG_COULD_NOT_RUN);
    assert_int_equal(sp_runlog_event(NULL, NULL, NULL, 0, SP_EXIT_CANNOT_RUN), SP_RUNLOG_COULD_NOT_RUN);
    assert_int_equal(sp_runlog_event(NULL, NULL, NULL, 0, SP_EXIT_OK), SP_RUNLOG_READY);
    sp_state_record(st, "policy", SP_RESULT_PASSED, NULL, 1000);
    assert_int_equal(sp_runlog_event(st, NULL, "policy", 1000, SP_EXIT_OK), SP_RUNLOG_READY);
    assert_int_equal(sp_runlog_event(st, NULL, "backup", 1000, SP_EXIT_NOT_READY), SP_RUNLOG_NOT_READY);
    for (size_t i = 0; i < sp_step_count; i++)
        if (strcmp(sp_steps[i]->id, "policy") != 0)
            sp_state_record(st, sp_steps[i]->id, SP_RESULT_NOT_APPLICABLE, NULL, 1000);
    assert_int_equal(sp_runlog_event(st, NULL, NULL, 1000, SP_EXIT_OK), SP_RUNLOG_READY);
    assert_int_equal(sp_state_mark_manual(st, "backup", "Restored by hand", 1000), SP_OK);
    assert_int_equal(sp_runlog_event(st, NULL, NULL, 1000, SP_EXIT_OK), SP_RUNLOG_READY_MANUAL);
    assert_int_equal(sp_runlog_event(st, NULL, "policy", 1000, SP_EXIT_OK), SP_RUNLOG_READY);
    testutil_world_close(&w);
}

static void the_event_source_should_be_registered_once_with_the_exe(void **s)
{
    (void)s;
    world w;
    char file[300];
    uint32_t types = 0;
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    assert_int_equal(sp_runlog_register(w.sim, "C:\\Tools\\sourceprep.exe"), SP_OK);
    assert_int_equal(sp_reg_get_string(w.sim, SP_REG_VIEW_DEFAULT, SP_RUNLOG_SOURCE_KEY, "EventMessageFile", file,
                                       sizeof file), SP_OK);
    assert_string_equal(file, "C:\\Tools\\sourceprep.exe");
    assert_int_equal(sp_reg_get_dword(w.sim, SP_REG_VIEW_DEFAULT, SP_RUNLOG_SOURCE_KEY, "TypesSupported", &types), SP_OK);
    assert_int_equal(types, 7);
    /* Again from the same exe: nothing to write. From another place: the new path. */
    assert_int_equal(sp_runlog_register(w.sim, "C:\\Tools\\sourceprep.exe"), SP_OK);
    assert_int_equal(sp_runlog_register(w.sim, "D:\\sourceprep.exe"), SP_OK);
    assert_int_equal(sp_reg_get_string(w.sim, SP_REG_VIEW_DEFAULT, SP_RUNLOG_SOURCE_KEY, "EventMessageFile", file,
                                       sizeof file), SP_OK);
    assert_string_equal(file, "D:\\sourceprep.exe");
    testutil_world_close(&w);
}

/* README, "Unattended runs": the demo server prepared with its answer file, in one process (test_simstate
 * runs the same sequence with the simulated server closed and opened again between the runs). */
static void the_demo_should_be_prepared_with_its_answer_file_applies_and_two_marks(void **s)
{
    (void)s;
    world w;
    size_t n;
    unsigned char *json = testutil_read_file("tests/answers/demo.json", &n);
    sp_answers *a = sp_answers_new();
    sp_answers_error err;
    static const struct { const char *step; int apply; sp_result want; } runs[] = {
        {"backup", 1, SP_RESULT_PASSED}, {"updates", 1, SP_RESULT_FAILED}, {"updates", 1, SP_RESULT_PASSED},
        {"policy", 1, SP_RESULT_PASSED}, {"timesync", 1, SP_RESULT_PASSED}, {"email", 1, SP_RESULT_PASSED},
    };
    int64_t now;
    testutil_world_open_demo(&w);
    assert_non_null(json);
    assert_int_equal(sp_answers_add_json(a, (const char *)json, n, &err), SP_OK);
    assert_int_equal(sp_answers_apply(a, w.session.state, w.sim->ops->time_now(w.sim), &err), SP_OK);
    for (size_t i = 0; i < sp_step_count; i++)
        testutil_world_run(&w, sp_steps[i]->id, 0, NULL);
    now = w.sim->ops->time_now(w.sim);
    assert_int_equal(sp_report_open_steps(w.session.state, now), 6); /* the LOB plans pass at once */
    assert_true(sp_state_gate_open(w.session.state, "lob", now));
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        assert_int_equal(testutil_world_run(&w, runs[i].step, runs[i].apply, NULL), runs[i].want);
    now = w.sim->ops->time_now(w.sim); /* the marks come after the changes: the backup stated is fresh */
    assert_int_equal(sp_state_mark_manual(w.session.state, "health", "FRS journal wrap cleared by hand", now), SP_OK);
    assert_int_equal(sp_state_mark_manual(w.session.state, "backup", "Fresh NTBackup after the changes", now), SP_OK);
    for (size_t i = 0; i < sp_step_count; i++)
        testutil_world_run(&w, sp_steps[i]->id, 0, NULL);
    now = w.sim->ops->time_now(w.sim);
    assert_int_equal(sp_report_open_steps(w.session.state, now), 0);
    assert_int_equal(sp_runlog_event(w.session.state, w.session.journal, NULL, now, SP_EXIT_OK), SP_RUNLOG_READY_MANUAL);
    sp_answers_free(a);
    free(json);
    testutil_world_close(&w);
}

static char *id_text(void *user, unsigned id, const char *arg)
{
    char *s = malloc(300);
    (void)user;
    snprintf(s, 300, "[%u:%s]", id, arg ? arg : "");
    return s;
}

/* One headline for the Finish page, the report and /check:all: never "ready" while the fresh
 * backup the document asks for last is still to be taken. */
static void the_verdict_should_wait_for_a_backup_newer_than_the_last_change(void **s)
{
    (void)s;
    world w;
    sp_state *st;
    sp_regval v = {0};
    char want[64], *line;
    int64_t now;
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    st = w.session.state;
    now = w.sim->ops->time_now(w.sim);
    for (size_t i = 0; i < sp_step_count; i++)
        sp_state_record(st, sp_steps[i]->id, SP_RESULT_PASSED, NULL, now);
    /* Every gate open, but no backup recorded at all: not ready, and the line says why. */
    assert_int_equal(sp_report_verdict(st, w.session.journal, now), SP_VERDICT_NOT_READY);
    line = sp_report_verdict_text(st, w.session.journal, now, id_text, NULL);
    snprintf(want, sizeof want, "[%u:]", IDS_R_NOT_READY_BACKUP);
    assert_string_equal(line, want);
    free(line);
    sp_state_step(st, "backup")->data = cJSON_Parse("{\"last_full_backup\": 1}");
    sp_state_step(st, "backup")->data->child->valuedouble = (double)now;
    assert_int_equal(sp_report_verdict(st, w.session.journal, now), SP_VERDICT_READY);
    assert_int_equal(sp_runlog_event(st, w.session.journal, NULL, now, SP_EXIT_OK), SP_RUNLOG_READY);
    /* A change after that backup: the backup no longer holds the server as it is. */
    assert_int_equal(sp_regval_set_sz(&v, "x"), SP_OK);
    assert_int_equal(sp_journal_reg_set(w.session.journal, "timesync", SP_REG_VIEW_DEFAULT,
                                        "HKLM\\SOFTWARE\\SourcePrepTest", "v", &v), SP_OK);
    sp_regval_free(&v);
    sp_state_step(st, "backup")->data->child->valuedouble = (double)(sp_journal_last_change(w.session.journal) - 1);
    assert_int_equal(sp_report_verdict(st, w.session.journal, now), SP_VERDICT_NOT_READY);
    assert_int_equal(sp_runlog_event(st, w.session.journal, NULL, now, SP_EXIT_OK), SP_RUNLOG_NOT_READY);
    /* The fresh backup stated by hand after the change: ready, and the line names that step. */
    assert_int_equal(sp_state_mark_manual(st, "backup", "Fresh NTBackup after the changes",
                                          sp_journal_last_change(w.session.journal)), SP_OK);
    assert_int_equal(sp_report_verdict(st, w.session.journal, now), SP_VERDICT_READY_MANUAL);
    line = sp_report_verdict_text(st, w.session.journal, now, id_text, NULL);
    snprintf(want, sizeof want, "[%u:[%u:]]", IDS_R_READY_MANUAL, IDS_STEP_NAME(0u));
    assert_string_equal(line, want);
    free(line);
    /* One step open: not ready, with the count. */
    sp_state_record(st, "updates", SP_RESULT_FAILED, NULL, now);
    line = sp_report_verdict_text(st, w.session.journal, now, id_text, NULL);
    snprintf(want, sizeof want, "[%u:1]", IDS_R_NOT_READY);
    assert_string_equal(line, want);
    free(line);
    testutil_world_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_command_line_should_take_answers_sets_plans_and_a_report_on_stdout),
        cmocka_unit_test(inputs_alone_should_make_a_run_without_a_window),
        cmocka_unit_test(the_command_line_should_refuse_too_many_sets_and_inputs_with_undo),
        cmocka_unit_test(the_event_should_say_ready_by_hand_not_ready_or_could_not_run),
        cmocka_unit_test(the_event_source_should_be_registered_once_with_the_exe),
        cmocka_unit_test(the_verdict_should_wait_for_a_backup_newer_than_the_last_change),
        cmocka_unit_test(the_demo_should_be_prepared_with_its_answer_file_applies_and_two_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
