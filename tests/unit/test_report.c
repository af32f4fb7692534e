/* The report and the log: every finding in the HTML, escaping, a partial state, UTC dates, rotation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/log.h"
#include "core/msgids.h"
#include "core/report.h"
#include "core/base/strbuf.h"
#include "core/sys/posix/posix.h"
#include "tests/unit/testutil.h"

#define NOW 1790000000

static char *fake_text(void *user, unsigned id, const char *arg)
{
    char *s = malloc(300);
    (void)user;
    snprintf(s, 300, "[%u:%s]", id, arg ? arg : "");
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static sp_state *sample_state(void)
{
    sp_state *st = sp_state_new(NOW);
    sp_findings f = {0};
    sp_findings_add(&f, SP_SEV_ERROR, "updates.sp_missing", IDS_F_UPDATES_SP_OLD, IDS_F_UPDATES_SP_ADVICE,
                    "Service Pack 1", "5.2.3790 <script>alert(1)</script> & \"quotes\"");
    sp_findings_add(&f, SP_SEV_INFO, "updates.other", IDS_F_UPDATES_SP, 0, NULL, NULL);
    sp_state_record(st, "updates", SP_RESULT_FAILED, &f, NOW - 100);
    sp_findings_add(&f, SP_SEV_WARNING, "backup.tool", IDS_F_BACKUP_TOOL, IDS_F_BACKUP_TOOL_ADVICE, "NTBackup", NULL);
    sp_state_record(st, "backup", SP_RESULT_MANUAL_NEEDED, &f, NOW - 20 * 86400);
    sp_state_mark_manual(st, "lob", "Plan <kept> by the vendor", NOW);
    sp_state_step(st, "lob")->data = cJSON_Parse("{\"entries\": [{\"name\": \"Sage 50 & <Co>\"}]}");
    return st;
}

static void html_should_hold_every_finding_once_with_its_code(void **s)
{
    (void)s;
    sp_state *st = sample_state();
    char *html = sp_report_html(st, NULL, NULL, fake_text, NULL, NOW);
    assert_non_null(html);
    assert_int_equal(count(html, "<tr class=\"finding\""), 3);
    assert_non_null(strstr(html, "data-code=\"updates.sp_missing\""));
    assert_non_null(strstr(html, "data-code=\"updates.other\""));
    assert_non_null(strstr(html, "data-code=\"backup.tool\""));
    free(html);
    sp_state_free(st);
}

static void html_should_escape_everything_it_did_not_write(void **s)
{
    (void)s;
    sp_state *st = sample_state();
    char *html = sp_report_html(st, NULL, NULL, fake_text, NULL, NOW);
    assert_null(strstr(html, "<script>"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assert_non_null(strstr(html, "Plan &lt;kept&gt; by the vendor"));
    assert_non_null(strstr(html, "Sage 50 &amp; &lt;Co&gt;"));
    free(html);
    sp_state_free(st);
}

static void html_should_be_self_contained_and_printable(void **s)
{
    (void)s;
    sp_state *st = sample_state();
    char *html = sp_report_html(st, NULL, NULL, fake_text, NULL, NOW);
    assert_int_equal(strncmp(html, "<!DOCTYPE html>", 15), 0);
    /* The page's language is the text of IDS_R_HTML_LANG, as the rest of its words. */
    assert_non_null(strstr(html, "<html lang=\"[5930:]\">"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "url("));
    assert_non_null(strstr(html, "@page"));
    assert_non_null(strstr(html, "</html>"));
    free(html);
    sp_state_free(st);
}

static void html_of_a_partial_state_should_say_what_is_missing(void **s)
{
    (void)s;
    sp_state *st = sample_state();
    char *html = sp_report_html(st, NULL, NULL, fake_text, NULL, NOW);
    char want[64];
    /* Seven summary rows, and every step without findings says it was not checked. */
    assert_int_equal(count(html, "<tr id=\"summary-"), 7);
    snprintf(want, sizeof want, "[%u:]", IDS_R_NO_FINDINGS);
    assert_int_equal(count(html, want), 5);
    snprintf(want, sizeof want, "[%u:6]", IDS_R_NOT_READY); /* lob is done by hand */
    assert_non_null(strstr(html, want));
    snprintf(want, sizeof want, "[%u:2026-", IDS_R_STALE); /* the backup check is 20 days old */
    assert_non_null(strstr(html, want));
    snprintf(want, sizeof want, "[%u:]", IDS_R_NO_CHANGES);
    assert_non_null(strstr(html, want));
    free(html);
    sp_state_free(st);
}

/* The appendix: one row per finding with its evidence in the title's cell; the same evidence
 * twice in a row printed once. */
static void html_appendix_should_put_each_evidence_in_its_findings_row_once(void **s)
{
#define CONFIG "Parameters\\Type=NT5DS; Config\\AnnounceFlags=10; Config\\MaxPosPhaseCorrection=0xFFFFFFFF"
    (void)s;
    sp_state *st = sp_state_new(NOW);
    sp_findings f = {0};
    char *html, *row, *end, *ev, want[64];
    sp_findings_add(&f, SP_SEV_INFO, "timesync.config_ok", IDS_F_UPDATES_SP, 0, NULL, CONFIG);
    sp_findings_add(&f, SP_SEV_INFO, "timesync.pdc_own_clock", IDS_F_UPDATES_SP, 0, NULL, CONFIG);
    sp_findings_add(&f, SP_SEV_INFO, "timesync.other", IDS_F_UPDATES_SP, 0, NULL, "sha256=0123abcd");
    sp_findings_add(&f, SP_SEV_INFO, "timesync.no_evidence", IDS_F_UPDATES_SP, 0, NULL, "");
    sp_findings_add(&f, SP_SEV_INFO, "timesync.no_evidence_either", IDS_F_UPDATES_SP, 0, NULL, "");
    sp_findings_add(&f, SP_SEV_INFO, "lob.complete", IDS_F_UPDATES_SP, 0, NULL, "vendor");
    sp_findings_add(&f, SP_SEV_INFO, "lob.complete", IDS_F_UPDATES_SP, 0, NULL, "vendor");
    sp_state_record(st, "timesync", SP_RESULT_PASSED, &f, NOW - 100);
    html = sp_report_html(st, NULL, NULL, fake_text, NULL, NOW);
    assert_int_equal(count(html, "<tr class=\"finding\""), 7);
    assert_int_equal(count(html, CONFIG), 1);
    /* Only the long repeated evidence is "the same as above": not two findings without any,
     * nor a short one, which is printed in both rows. */
    assert_int_equal(count(html, "<code>vendor</code>"), 2);
    snprintf(want, sizeof want, "[%u:]", IDS_R_SAME_EVIDENCE);
    assert_int_equal(count(html, want), 1);
    /* The third finding's evidence is inside its own row. */
    row = strstr(html, "data-code=\"timesync.other\"");
    assert_non_null(row);
    end = strstr(row, "</tr>");
    assert_non_null(end);
    ev = strstr(row, "<code>sha256=0123abcd</code>");
    assert_non_null(ev);
    assert_true(ev < end);
    free(html);
    sp_findings_free(&f);
    sp_state_free(st);
#undef CONFIG
}

/* Step data in print: a LOB entry's columns a plan needs (the rest left to the JSON, and the
 * report says so), a drill's files not printed but counted, empty values left out. */
static void html_step_data_should_print_what_a_plan_needs_and_say_what_it_left_out(void **s)
{
    (void)s;
    sp_state *st = sp_state_new(NOW);
    char *html, want[64];
    sp_state_step(st, "lob")->data = cJSON_Parse(
        "{\"entries\": [{\"id\": \"app:QB\", \"name\": \"QuickBooks\", \"detail\": \"hidden-detail\", "
        "\"lob\": true, \"plan\": {\"method\": \"reinstall\", \"notes\": \"\"}}], \"note\": \"\"}");
    sp_state_step(st, "backup")->data = cJSON_Parse(
        "{\"drill\": {\"folder\": \"D:\\\\Restore\", \"files\": [{\"path\": \"C:\\\\a.txt\", \"sha256\": \"ff00\"}, "
        "{\"path\": \"C:\\\\b.txt\", \"sha256\": \"ee11\"}]}}");
    /* The LOB entry's columns and its plan's values; the drill's folder stays, its files are
     * counted, not printed; empty values and the keys outside the view are left out. */
    static const char *const shown[] = {"<th>name</th><th>lob</th><th>plan</th>", "QuickBooks",
                                        "<b>method:</b> reinstall", "D:\\Restore", "<b>drill: files</b>"};
    static const char *const left_out[] = {"hidden-detail", "notes:", "<th>note</th>", "a.txt", "ff00"};
    html = sp_report_html(st, NULL, NULL, fake_text, NULL, NOW);
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        if (!strstr(html, shown[i]))
            fail_msg("not printed: %s", shown[i]);
    for (size_t i = 0; i < sizeof left_out / sizeof left_out[0]; i++)
        if (strstr(html, left_out[i]))
            fail_msg("printed: %s", left_out[i]);
    snprintf(want, sizeof want, "[%u:]", IDS_R_DATA_COLUMNS);
    assert_int_equal(count(html, want), 1);
    snprintf(want, sizeof want, "[%u:2]", IDS_R_DATA_NOT_PRINTED);
    assert_int_equal(count(html, want), 1);
    free(html);
    sp_state_free(st);
}

static void json_should_carry_step_data_and_the_verdicts(void **s)
{
    (void)s;
    sp_state *st = sample_state();
    char *json = sp_report_json(st, NULL, NULL, fake_text, NULL, NOW);
    cJSON *doc = cJSON_Parse(json), *lob;
    assert_non_null(doc);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(doc, "ready")));
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(doc, "backup_fresh")));
    lob = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "steps"), 5);
    assert_string_equal(cJSON_GetObjectItem(lob, "id")->valuestring, "lob");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(lob, "data"),
                                                                                   "entries"), 0), "name")->valuestring,
                        "Sage 50 & <Co>");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "steps"), 1), "stale")) == 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "steps"), 0), "stale")));
    cJSON_Delete(doc);
    free(json);
    sp_state_free(st);
}

/* Every key of every object once: a reader that keeps the first or the last of two must get
 * the same report (the steps' "data" was written twice). */
static int count_keys(const cJSON *o)
{
    int dups = 0;
    for (const cJSON *a = o ? o->child : NULL; a; a = a->next) {
        if (cJSON_IsObject(o) && a->string)
            for (const cJSON *b = a->next; b; b = b->next)
                dups += b->string && strcmp(a->string, b->string) == 0;
        dups += count_keys(a);
    }
    return dups;
}

static void json_should_write_each_key_of_an_object_once(void **s)
{
    (void)s;
    sp_state *st = sample_state();
    char *json = sp_report_json(st, NULL, NULL, fake_text, NULL, NOW);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    assert_int_equal(count_keys(doc), 0);
    cJSON_Delete(doc);
    free(json);
    sp_state_free(st);
}

/* The whole report of a real run: every step checked on the demo server, the policy and time
 * sync applied (journal entries, step data, the server's facts), parsed with duplicates refused. */
static void json_of_a_whole_demo_run_should_write_each_key_once(void **s)
{
    (void)s;
    testutil_world w;
    static const char *const steps[] = {"backup", "updates", "policy", "health", "timesync", "lob", "email"};
    testutil_world_open_demo(&w);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        testutil_world_run(&w, steps[i], 0, NULL);
    testutil_world_run(&w, "policy", 1, NULL);
    testutil_world_run(&w, "timesync", 1, NULL);
    assert_true(sp_journal_count(w.session.journal) > 0);
    char *json = sp_report_json(w.session.state, &w.session.info, w.session.journal, fake_text, NULL, NOW);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(doc, "steps"));
    assert_int_equal(count_keys(doc), 0);
    cJSON_Delete(doc);
    free(json);
    testutil_world_close(&w);
}

static void log_should_escape_what_the_user_typed(void **s)
{
    (void)s;
    char out[64];
    sp_log_escape("say \"hi\"\r\nback\\slash\x01", out, sizeof out);
    assert_string_equal(out, "say \\\"hi\\\"\\r\\nback\\\\slash\\x01");
    sp_log_escape("0123456789", out, 6); /* cut, never past the buffer */
    assert_string_equal(out, "01234");
}

static void backup_should_be_fresh_only_when_newer_than_the_last_change(void **s)
{
    (void)s;
    sp_state *st = sp_state_new(NOW);
    assert_false(sp_report_backup_fresh(st, NULL));
    sp_state_step(st, "backup")->data = cJSON_Parse("{\"last_full_backup\": 1790000000}");
    assert_true(sp_report_backup_fresh(st, NULL));
    sp_state_free(st);
}

static void utc_dates_should_be_right_across_leap_years_and_2038(void **s)
{
    (void)s;
    char out[32];
    sp_format_utc(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    sp_format_utc(951782400, out, sizeof out); /* the leap day of 2000 */
    assert_string_equal(out, "2000-02-29T00:00:00Z");
    sp_format_utc(2147483647LL, out, sizeof out);
    assert_string_equal(out, "2038-01-19T03:14:07Z");
    sp_format_utc(4102444799LL, out, sizeof out);
    assert_string_equal(out, "2099-12-31T23:59:59Z");
}

static int count_lines(const char *path)
{
    size_t n = 0;
    unsigned char *d = testutil_read_file(path, &n);
    int lines = 0;
    for (size_t i = 0; d && i < n; i++)
        lines += d[i] == '\n';
    free(d);
    return lines;
}

static void log_should_write_one_line_per_action_and_rotate_at_its_limit(void **s)
{
    (void)s;
    char *dir = testutil_make_temp_dir(), *old;
    sp_sys *host = sp_posix_open();
    sp_log log;
    sp_log_init(&log, host, dir, 400);
    /* sp_log_init joins with a backslash, for Windows paths; on this host use a slash. */
    snprintf(log.path, sizeof log.path, "%s/sourceprep.log", dir);
    assert_int_equal(sp_log_write(&log, "check step=%s\r\nresult=%s", "backup", "manual_needed"), SP_OK);
    assert_int_equal(count_lines(log.path), 1); /* the newline in the message did not split it */
    for (int i = 0; i < 20; i++)
        assert_int_equal(sp_log_write(&log, "line %d of a log that must rotate", i), SP_OK);
    old = malloc(strlen(log.path) + 3);
    sprintf(old, "%s.1", log.path);
    assert_true(testutil_exists(old));
    assert_true(count_lines(log.path) < 20);
    free(old);
    sp_sys_close(host);
    testutil_remove_tree(dir);
    free(dir);
}

static void every_change_kind_should_have_a_name_and_no_kind_overruns(void **s)
{
    (void)s;
    assert_string_equal(sp_change_kind_name(SP_CHANGE_FILE_WRITE), "file_write");
    assert_string_equal(sp_change_kind_name(SP_CHANGE_REG_DELETE), "reg_delete");
    assert_string_equal(sp_change_kind_name(SP_CHANGE_LDAP_SET), "ldap_set");
    assert_string_equal(sp_change_kind_name((sp_change_kind)99), "unknown");
}

static void strbuf_should_grow_and_escape(void **s)
{
    (void)s;
    sp_strbuf b = {0};
    char *text;
    for (int i = 0; i < 1000; i++)
        sp_strbuf_addf(&b, "%d,", i);
    sp_strbuf_add_html(&b, "<a href='x'>&</a>");
    text = sp_strbuf_take(&b);
    assert_non_null(strstr(text, "998,999,&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html_should_hold_every_finding_once_with_its_code),
        cmocka_unit_test(html_should_escape_everything_it_did_not_write),
        cmocka_unit_test(html_should_be_self_contained_and_printable),
        cmocka_unit_test(html_of_a_partial_state_should_say_what_is_missing),
        cmocka_unit_test(html_appendix_should_put_each_evidence_in_its_findings_row_once),
        cmocka_unit_test(html_step_data_should_print_what_a_plan_needs_and_say_what_it_left_out),
        cmocka_unit_test(json_should_carry_step_data_and_the_verdicts),
        cmocka_unit_test(json_should_write_each_key_of_an_object_once),
        cmocka_unit_test(json_of_a_whole_demo_run_should_write_each_key_once),
        cmocka_unit_test(log_should_escape_what_the_user_typed),
        cmocka_unit_test(backup_should_be_fresh_only_when_newer_than_the_last_change),
        cmocka_unit_test(utc_dates_should_be_right_across_leap_years_and_2038),
        cmocka_unit_test(log_should_write_one_line_per_action_and_rotate_at_its_limit),
        cmocka_unit_test(every_change_kind_should_have_a_name_and_no_kind_overruns),
        cmocka_unit_test(strbuf_should_grow_and_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
