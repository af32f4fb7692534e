/* State: round trips, the gate rule, staleness, damaged files kept aside, atomic saves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/msgids.h"
#include "core/state.h"
#include "core/sys/posix/posix.h"
#include "tests/unit/testutil.h"

#define NOW 1790000000

typedef struct {
    char *dir;
    sp_sys *host;
    char path[600];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = testutil_make_temp_dir();
    f->host = sp_posix_open();
    snprintf(f->path, sizeof f->path, "%s/state.json", f->dir);
    *state = f;
    return f->dir && f->host ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    testutil_remove_tree(f->dir);
    free(f->dir);
    sp_sys_close(f->host);
    free(f);
    return 0;
}

static void new_state_should_have_one_entry_per_step_in_order(void **s)
{
    (void)s;
    sp_state *st = sp_state_new(NOW);
    assert_non_null(st);
    assert_int_equal(st->count, sp_step_count);
    for (size_t i = 0; i < sp_step_count; i++) {
        assert_string_equal(st->steps[i].id, sp_steps[i]->id);
        assert_int_equal(st->steps[i].result, SP_RESULT_NOT_RUN);
    }
    sp_state_free(st);
}

static void state_should_round_trip_results_findings_marks_and_data(void **s)
{
    (void)s;
    sp_state *st = sp_state_new(NOW), *back = NULL;
    sp_findings f = {0};
    sp_findings_add(&f, SP_SEV_ERROR, "updates.sp_missing", IDS_F_UPDATES_SP_OLD,
                    IDS_F_UPDATES_SP_ADVICE, "Service Pack 1", "5.2.3790, \"quoted\" \\ ünïcode");
    sp_state_record(st, "updates", SP_RESULT_FAILED, &f, NOW - 10);
    assert_int_equal(f.count, 0); /* ownership moved */
    assert_int_equal(sp_state_mark_manual(st, "lob", "Plan kept on paper by the vendor", NOW), SP_OK);
    sp_state_step(st, "email")->data = cJSON_Parse("{\"target\":\"office365\"}");
    snprintf(st->page, sizeof st->page, "policy");

    char *json = sp_state_serialise(st);
    assert_non_null(json);
    assert_int_equal(sp_state_parse(json, strlen(json), NOW, &back), SP_OK);
    const sp_step_state *u = sp_state_step_const(back, "updates");
    assert_int_equal(u->result, SP_RESULT_FAILED);
    assert_int_equal(u->checked_at, NOW - 10);
    assert_int_equal(u->findings.count, 1);
    assert_string_equal(u->findings.items[0].code, "updates.sp_missing");
    assert_int_equal(u->findings.items[0].severity, SP_SEV_ERROR);
    assert_int_equal(u->findings.items[0].title_id, IDS_F_UPDATES_SP_OLD);
    assert_string_equal(u->findings.items[0].arg, "Service Pack 1");
    assert_string_equal(u->findings.items[0].evidence, "5.2.3790, \"quoted\" \\ ünïcode");
    assert_true(sp_state_step_const(back, "lob")->manual);
    assert_string_equal(sp_state_step_const(back, "lob")->manual_reason, "Plan kept on paper by the vendor");
    assert_string_equal(cJSON_GetObjectItem(sp_state_step_const(back, "email")->data, "target")->valuestring,
                        "office365");
    assert_string_equal(back->page, "policy");
    free(json);
    sp_state_free(st);
    sp_state_free(back);
}

static void gate_should_open_only_for_passed_not_applicable_or_manual(void **s)
{
    (void)s;
    sp_state *st = sp_state_new(NOW);
    assert_false(sp_state_gate_open(st, "backup", NOW));
    sp_state_record(st, "backup", SP_RESULT_MANUAL_NEEDED, NULL, NOW);
    assert_false(sp_state_gate_open(st, "backup", NOW));
    sp_state_record(st, "backup", SP_RESULT_FAILED, NULL, NOW);
    assert_false(sp_state_gate_open(st, "backup", NOW));
    sp_state_record(st, "backup", SP_RESULT_ERROR, NULL, NOW);
    assert_false(sp_state_gate_open(st, "backup", NOW));
    sp_state_record(st, "backup", SP_RESULT_PASSED, NULL, NOW);
    assert_true(sp_state_gate_open(st, "backup", NOW));
    sp_state_record(st, "policy", SP_RESULT_NOT_APPLICABLE, NULL, NOW);
    assert_true(sp_state_gate_open(st, "policy", NOW));
    assert_int_equal(sp_state_mark_manual(st, "health", "BPA run by hand", NOW), SP_OK);
    assert_true(sp_state_gate_open(st, "health", NOW));
    sp_state_clear_manual(st, "health");
    assert_false(sp_state_gate_open(st, "health", NOW));
    assert_false(sp_state_gate_open(st, "nosuchstep", NOW));
    sp_state_free(st);
}

static void gate_should_close_when_the_check_is_older_than_14_days(void **s)
{
    (void)s;
    sp_state *st = sp_state_new(NOW);
    sp_state_record(st, "health", SP_RESULT_PASSED, NULL, NOW);
    assert_true(sp_state_gate_open(st, "health", NOW + SP_STALE_SECONDS));
    assert_false(sp_state_gate_open(st, "health", NOW + SP_STALE_SECONDS + 1));
    assert_true(sp_state_is_stale(sp_state_step(st, "health"), NOW + SP_STALE_SECONDS + 1));
    sp_state_free(st);
}

static void manual_mark_should_need_a_reason(void **s)
{
    (void)s;
    sp_state *st = sp_state_new(NOW);
    assert_int_equal(sp_state_mark_manual(st, "backup", "", NOW), SP_ERR_INVALID);
    assert_int_equal(sp_state_mark_manual(st, "backup", "  \r\n\t", NOW), SP_ERR_INVALID);
    assert_int_equal(sp_state_mark_manual(st, "backup", NULL, NOW), SP_ERR_INVALID);
    assert_false(sp_state_step(st, "backup")->manual);
    assert_int_equal(sp_state_mark_manual(st, "nosuch", "x", NOW), SP_ERR_NOTFOUND);
    sp_state_free(st);
}

static void parse_should_reject_malformed_documents(void **s)
{
    (void)s;
    static const char *const bad[] = {
        "", "{", "[]", "null", "{\"version\": 2}", "{\"version\": \"1\"}",
        "{\"version\": 1, \"steps\": []}",
        "{\"version\": 1, \"steps\": {\"backup\": {\"result\": \"great\"}}}",
        "{\"version\": 1, \"steps\": {\"backup\": {\"checked_at\": -5}}}",
        "{\"version\": 1, \"steps\": {\"backup\": {\"manual\": 1}}}",
        "{\"version\": 1, \"steps\": {\"backup\": {\"findings\": {}}}}",
        "{\"version\": 1, \"steps\": {\"backup\": {\"findings\": [{\"title_id\": \"x\"}]}}}",
        "{\"version\": 1, \"steps\": {\"backup\": {\"data\": [1]}}}",
        "{\"version\": 1, \"page\": 7}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sp_state *st = (sp_state *)1;
        assert_int_equal(sp_state_parse(bad[i], strlen(bad[i]), NOW, &st), SP_ERR_BADDATA);
        assert_null(st);
    }
}

static void parse_should_ignore_steps_this_version_does_not_know(void **s)
{
    (void)s;
    const char *json = "{\"version\": 1, \"steps\": {\"future\": {\"result\": \"passed\"},"
                       " \"backup\": {\"result\": \"passed\", \"checked_at\": 5}}}";
    sp_state *st = NULL;
    assert_int_equal(sp_state_parse(json, strlen(json), NOW, &st), SP_OK);
    assert_int_equal(sp_state_step(st, "backup")->result, SP_RESULT_PASSED);
    assert_null(sp_state_step(st, "future"));
    sp_state_free(st);
}

static int count_entry(void *user, const char *name, int is_dir)
{
    (void)name;
    (void)is_dir;
    (*(int *)user)++;
    return 0;
}

static void load_should_start_fresh_when_there_is_no_file(void **state)
{
    fixture *f = *state;
    sp_state *st = NULL;
    char aside[700] = "x";
    assert_int_equal(sp_state_load(f->host, f->path, NOW, &st, aside, sizeof aside), SP_OK);
    assert_non_null(st);
    assert_string_equal(aside, "");
    sp_state_free(st);
}

static void save_then_load_should_give_the_same_state(void **state)
{
    fixture *f = *state;
    sp_state *st = sp_state_new(NOW), *back = NULL;
    sp_state_record(st, "timesync", SP_RESULT_PASSED, NULL, NOW);
    assert_int_equal(sp_state_save(f->host, f->path, st, NOW + 1), SP_OK);
    assert_int_equal(sp_state_load(f->host, f->path, NOW + 2, &back, NULL, 0), SP_OK);
    assert_int_equal(sp_state_step(back, "timesync")->result, SP_RESULT_PASSED);
    assert_int_equal(back->updated, NOW + 1);
    /* No temporary file is left beside it. */
    int entries = 0;
    assert_int_equal(f->host->ops->dir_enum(f->host, f->dir, count_entry, &entries), SP_OK);
    assert_int_equal(entries, 1);
    sp_state_free(st);
    sp_state_free(back);
}

static void load_should_keep_a_damaged_file_aside_byte_for_byte(void **state)
{
    fixture *f = *state;
    const char damaged[] = "{\"version\": 1, \"steps\": {\"backup\": {\"result\": \"pas";
    sp_state *st = NULL;
    char aside[700];
    size_t n = 0;
    assert_int_equal(testutil_write_file(f->path, damaged, sizeof damaged - 1), 0);
    assert_int_equal(sp_state_load(f->host, f->path, NOW, &st, aside, sizeof aside), SP_ERR_BADDATA);
    assert_non_null(st); /* a fresh state to go on with */
    assert_int_equal(st->steps[0].result, SP_RESULT_NOT_RUN);
    assert_non_null(strstr(aside, "state.json.corrupt-"));
    unsigned char *kept = testutil_read_file(aside, &n);
    assert_non_null(kept);
    assert_int_equal(n, sizeof damaged - 1);
    assert_memory_equal(kept, damaged, n);
    assert_false(testutil_exists(f->path)); /* moved, so the next save cannot overwrite it */
    free(kept);
    sp_state_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_state_should_have_one_entry_per_step_in_order),
        cmocka_unit_test(state_should_round_trip_results_findings_marks_and_data),
        cmocka_unit_test(gate_should_open_only_for_passed_not_applicable_or_manual),
        cmocka_unit_test(gate_should_close_when_the_check_is_older_than_14_days),
        cmocka_unit_test(manual_mark_should_need_a_reason),
        cmocka_unit_test(parse_should_reject_malformed_documents),
        cmocka_unit_test(parse_should_ignore_steps_this_version_does_not_know),
        cmocka_unit_test_setup_teardown(load_should_start_fresh_when_there_is_no_file, setup, teardown),
        cmocka_unit_test_setup_teardown(save_then_load_should_give_the_same_state, setup, teardown),
        cmocka_unit_test_setup_teardown(load_should_keep_a_damaged_file_aside_byte_for_byte, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
