/* Answer files on simulated servers: what they change, what they refuse and why, /set, the export
 * read back byte for byte, and the LOB page's CSV read back into the plans. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/answers.h"
#include "core/backup/backup.h"
#include "core/email/email.h"
#include "core/health/health.h"
#include "core/lob/lob.h"
#include "core/msgids.h"
#include "core/policy/policy.h"
#include "core/timesync/timesync.h"
#include "tests/unit/testutil.h"

typedef testutil_world world;

#define SCHEMA "\"schema\": \"sourceprep-answers/1\""

/* Every input of every page, as a technician would give them for the demo server. */
static const char every_input[] =
    "{" SCHEMA ","
    " \"backup\": {\"folder\": \"D:\\\\Restore\", \"k\": 12, \"target\": \"E:\"},"
    " \"policy\": {\"clear_script_paths\": false},"
    " \"health\": {\"acknowledged\": [\"health.dns.public_server\", \"health.storage.system\"]},"
    " \"timesync\": {\"destination\": \"ESS01\", \"destination_tz\": \"Pacific Standard Time\","
    "               \"ntp_server\": \"pool.ntp.org\"},"
    " \"lob\": {\"entries\": ["
    "   {\"id\": \"app:QuickBooks\", \"name\": \"QuickBooks\", \"lob\": true,"
    "    \"plan\": {\"contact\": \"Intuit\", \"phone\": \"+1 800\", \"email\": \"a@b.example\","
    "             \"method\": \"reinstall\", \"media\": \"D:\\\\Installers\\\\QuickBooks 2010\","
    "             \"licence\": \"L-1\", \"data\": \"D:\\\\Data\", \"notes\": \"Lohnbüro \\\"too\\\"\"}},"
    "   {\"id\": \"svc:QBCFMonitorService\", \"lob\": false}]},"
    " \"email\": {\"target\": \"hosted\", \"reason\": \"A hosted provider\", \"fqdn\": \"mail.contoso.com\","
    "            \"confirmed\": {\"hosted.plan\": true, \"hosted.mx\": false}}"
    "}";

static sp_status apply_text(world *w, const char *json, sp_answers_error *err)
{
    sp_answers *a = sp_answers_new();
    sp_status st;
    assert_non_null(a);
    st = sp_answers_add_json(a, json, strlen(json), err);
    if (st == SP_OK)
        st = sp_answers_apply(a, w->session.state, w->sim->ops->time_now(w->sim), err);
    sp_answers_free(a);
    return st;
}

static cJSON *snapshot(world *w)
{
    char *text = sp_state_serialise(w->session.state);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    assert_non_null(doc);
    return doc;
}

static const cJSON *data_of(const cJSON *snap, const char *step)
{
    return cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(snap, "steps"), step), "data");
}

/* The "step.key" names whose data differ between two snapshots, sorted, joined with spaces. */
static void changed_keys(const cJSON *before, const cJSON *after, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; i < sp_step_count; i++) {
        const char *id = sp_steps[i]->id;
        const cJSON *a = data_of(before, id), *b = data_of(after, id), *m;
        for (int pass = 0; pass < 2; pass++) {
            const cJSON *side = pass ? a : b;
            cJSON_ArrayForEach(m, side) {
                const cJSON *other = cJSON_GetObjectItem(pass ? b : a, m->string);
                if ((pass && other) || (other && cJSON_Compare(m, other, 1)))
                    continue;
                snprintf(out + strlen(out), len - strlen(out), "%s%s.%s", out[0] ? " " : "", id, m->string);
            }
        }
    }
}

static void an_answer_file_should_change_exactly_the_keys_it_gives(void **s)
{
    (void)s;
    world w;
    sp_answers_error err;
    char changed[600];
    cJSON *before, *after, *qb;
    testutil_world_open_demo(&w);
    before = snapshot(&w);
    assert_int_equal(apply_text(&w, every_input, &err), SP_OK);
    after = snapshot(&w);
    changed_keys(before, after, changed, sizeof changed);
    assert_string_equal(changed, "backup.folder backup.k backup.target policy.clear_script_paths "
                                 "health.acknowledged timesync.destination timesync.destination_tz "
                                 "timesync.ntp_server lob.entries email.target email.reason email.fqdn "
                                 "email.confirmed");
    /* And the steps read them as the pages' own. */
    assert_string_equal(sp_timesync_input(w.session.state, SP_TS_DESTINATION), "ESS01");
    assert_string_equal(sp_timesync_input(w.session.state, SP_TS_NTP_SERVER), "pool.ntp.org");
    assert_false(sp_policy_clear_script_paths(w.session.state));
    assert_true(sp_health_acknowledged(w.session.state, "health.storage.system"));
    assert_int_equal(sp_email_target_get(w.session.state), SP_EMAIL_TARGET_HOSTED);
    assert_true(sp_email_confirmed(w.session.state, "hosted.plan"));
    assert_false(sp_email_confirmed(w.session.state, "hosted.mx"));
    qb = sp_lob_find(sp_lob_entries(w.session.state), "app:QuickBooks");
    assert_true(sp_lob_marked(qb));
    assert_int_equal(sp_lob_entry_status(qb), SP_LOB_PLAN_COMPLETE);
    assert_false(sp_lob_marked(sp_lob_find(sp_lob_entries(w.session.state), "svc:QBCFMonitorService")));
    cJSON_Delete(before);
    cJSON_Delete(after);
    testutil_world_close(&w);
}

/* What the pages do with the same inputs, through the core helpers they call. */
static void fill_like_the_pages(world *w)
{
    sp_state *st = w->session.state;
    sp_step_state *bk = sp_state_step(st, "backup");
    cJSON *qb;
    sp_lob_plan p = {0};
    bk->data = cJSON_CreateObject();
    cJSON_AddStringToObject(bk->data, SP_BACKUP_KEY_FOLDER, "D:\\Restore");
    cJSON_AddStringToObject(bk->data, SP_BACKUP_KEY_TARGET, "E:");
    cJSON_AddNumberToObject(bk->data, SP_BACKUP_KEY_K, 12);
    sp_policy_set_clear_script_paths(st, 0);
    sp_health_acknowledge(st, "health.dns.public_server", 1);
    sp_health_acknowledge(st, "health.storage.system", 1);
    sp_timesync_set_input(st, SP_TS_DESTINATION, "ESS01");
    sp_timesync_set_input(st, SP_TS_DEST_TZ, "Pacific Standard Time");
    sp_timesync_set_input(st, SP_TS_NTP_SERVER, "pool.ntp.org");
    sp_state_record(st, "timesync", SP_RESULT_NOT_RUN, NULL, 0);
    qb = sp_lob_find(sp_lob_entries(st), "app:QuickBooks");
    p.contact = "Intuit", p.phone = "+1 800", p.email = "a@b.example", p.method = SP_LOB_METHOD_REINSTALL;
    p.media = "D:\\Installers\\QuickBooks 2010", p.licence = "L-1", p.data = "D:\\Data";
    p.notes = "Lohnbüro \"too\"";
    sp_lob_set_plan(qb, &p);
    sp_lob_set_marked(qb, 1);
    sp_lob_set_marked(sp_lob_find(sp_lob_entries(st), "svc:QBCFMonitorService"), 0);
    sp_lob_reassess(st, w->sim->ops->time_now(w->sim));
    sp_email_plan_set(st, SP_EMAIL_TARGET_HOSTED, "A hosted provider");
    sp_email_fqdn_set(st, "mail.contoso.com");
    sp_email_confirm_set(st, "hosted.plan", 1);
    sp_email_confirm_set(st, "hosted.mx", 0);
}

static void an_answer_file_should_leave_the_state_the_pages_would_and_pass_the_same_checks(void **s)
{
    (void)s;
    world a, b;
    sp_answers_error err;
    testutil_world_open_demo(&a);
    testutil_world_open_demo(&b);
    testutil_world_run(&a, "lob", 0, NULL);
    testutil_world_run(&b, "lob", 0, NULL);
    fill_like_the_pages(&a);
    assert_int_equal(apply_text(&b, every_input, &err), SP_OK);
    for (size_t i = 0; i < sp_step_count; i++) {
        const char *id = sp_steps[i]->id;
        const sp_step_state *x = sp_state_step(a.session.state, id), *y = sp_state_step(b.session.state, id);
        assert_true(cJSON_Compare(x->data, y->data, 1) || (!x->data && !y->data));
        assert_int_equal(x->result, y->result);
        /* The checks that follow see the same inputs. */
        assert_int_equal(testutil_world_run(&a, id, 0, NULL), testutil_world_run(&b, id, 0, NULL));
    }
    testutil_world_close(&a);
    testutil_world_close(&b);
}

/* The refusals: each names the key, and nothing of the file is applied. */
static void expect_refusal(world *w, const char *json, unsigned msg_id, const char *key)
{
    sp_answers_error err;
    char *before = sp_state_serialise(w->session.state), *after;
    memset(&err, 0, sizeof err);
    assert_int_equal(apply_text(w, json, &err), SP_ERR_BADDATA);
    assert_int_equal(err.msg_id, msg_id);
    assert_string_equal(err.key, key);
    after = sp_state_serialise(w->session.state);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void an_unknown_key_should_be_refused_by_its_name(void **s)
{
    (void)s;
    world w;
    testutil_world_open_demo(&w);
    expect_refusal(&w, "{" SCHEMA ", \"backup\": {\"k\": 5}, \"timesync\": {\"destinaton\": \"ESS01\"}}",
                   IDS_ANS_ERR_UNKNOWN, "timesync.destinaton");
    expect_refusal(&w, "{" SCHEMA ", \"updates\": {\"install\": true}}", IDS_ANS_ERR_UNKNOWN, "updates");
    expect_refusal(&w, "{" SCHEMA ", \"lob\": {\"entries\": [{\"id\": \"app:X\", \"plan\": {\"methd\": \"retire\"}}]}}",
                   IDS_ANS_ERR_UNKNOWN, "lob.entries[0].plan.methd");
    expect_refusal(&w, "{" SCHEMA ", \"email\": {\"confirmed\": {\"o365.everything\": true}}}", IDS_ANS_ERR_UNKNOWN,
                   "email.confirmed.o365.everything");
    testutil_world_close(&w);
}

static void a_value_of_the_wrong_type_should_be_refused_by_its_key(void **s)
{
    (void)s;
    world w;
    testutil_world_open_demo(&w);
    expect_refusal(&w, "{" SCHEMA ", \"backup\": {\"k\": \"twenty\"}}", IDS_ANS_ERR_WHOLE, "backup.k");
    expect_refusal(&w, "{" SCHEMA ", \"backup\": {\"k\": 501}}", IDS_ANS_ERR_WHOLE, "backup.k");
    expect_refusal(&w, "{" SCHEMA ", \"policy\": {\"clear_script_paths\": \"yes\"}}", IDS_ANS_ERR_FLAG,
                   "policy.clear_script_paths");
    expect_refusal(&w, "{" SCHEMA ", \"timesync\": {\"destination\": 42}}", IDS_ANS_ERR_STRING, "timesync.destination");
    expect_refusal(&w, "{" SCHEMA ", \"email\": {\"target\": \"gmail\"}}", IDS_ANS_ERR_ONE_OF, "email.target");
    expect_refusal(&w, "{" SCHEMA ", \"health\": {\"acknowledged\": [\"health.frs.journal_wrap\"]}}",
                   IDS_ANS_ERR_NOT_WARNING, "health.acknowledged[0]");
    expect_refusal(&w, "{" SCHEMA ", \"lob\": {\"entries\": {}}}", IDS_ANS_ERR_ARRAY, "lob.entries");
    expect_refusal(&w, "{\"schema\": \"sourceprep-answers/2\"}", IDS_ANS_ERR_SCHEMA, "schema");
    expect_refusal(&w, "{\"backup\": {}}", IDS_ANS_ERR_MISSING, "schema");
    expect_refusal(&w, "{" SCHEMA ", \"backup\": {\"k\": 3, \"k\": 4}}", IDS_ANS_ERR_DUPLICATE, "backup.k");
    expect_refusal(&w, "{" SCHEMA ", \"backup\": {\"k\": 3,}}", IDS_ANS_ERR_JSON, "54"); /* a byte, IDS_ANS_AT_BYTE */
    expect_refusal(&w, "[1]", IDS_ANS_ERR_NOT_DOC, "");
    expect_refusal(&w, "{" SCHEMA ", \"lob\": {\"entries\": [{\"id\": \"a\", \"plan\": {\"method\": \"retire\", \"media_size\": -1}}]}}",
                   IDS_ANS_ERR_SIZE, "lob.entries[0].plan.media_size");
    testutil_world_close(&w);
}

static void a_lob_plan_without_a_method_should_be_refused_and_nothing_applied(void **s)
{
    (void)s;
    world w;
    testutil_world_open_demo(&w);
    expect_refusal(&w, "{" SCHEMA ", \"timesync\": {\"destination\": \"ESS01\"}, \"lob\": {\"entries\": ["
                   "{\"id\": \"app:QuickBooks\", \"plan\": {\"method\": \"retire\"}},"
                   "{\"id\": \"app:Sage\", \"name\": \"Sage 50\", \"plan\": {\"contact\": \"Sage\"}}]}}",
                   IDS_ANS_ERR_NO_METHOD, "lob.entries[1].plan.method");
    expect_refusal(&w, "{" SCHEMA ", \"lob\": {\"entries\": [{\"id\": \"\"}]}}", IDS_ANS_ERR_MISSING, "lob.entries[0].id");
    expect_refusal(&w, "{" SCHEMA ", \"lob\": {\"entries\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}}", IDS_ANS_ERR_DUPLICATE,
                   "lob.entries[1].id");
    testutil_world_close(&w);
}

static void set_should_read_each_value_as_its_key_and_override_the_file(void **s)
{
    (void)s;
    world w;
    sp_answers *a = sp_answers_new();
    sp_answers_error err;
    const sp_step_state *bk;
    cJSON *qb;
    sp_lob_plan p;
    testutil_world_open_demo(&w);
    assert_int_equal(sp_answers_add_json(a, every_input, strlen(every_input), &err), SP_OK);
    assert_int_equal(sp_answers_add_set(a, "timesync.destination=ESS02", &err), SP_OK);
    assert_int_equal(sp_answers_add_set(a, "backup.k=25", &err), SP_OK);
    assert_int_equal(sp_answers_add_set(a, "policy.clear_script_paths=yes", &err), SP_OK);
    assert_int_equal(sp_answers_add_set(a, "health.acknowledged=health.events.system, health.time.local_clock", &err), SP_OK);
    assert_int_equal(sp_answers_add_set(a, "email.confirmed.hosted.mx=true", &err), SP_OK);
    assert_int_equal(sp_answers_add_set(a, "lob.app:QuickBooks.plan.notes=From /set, with = and .", &err), SP_OK);
    assert_int_equal(sp_answers_add_set(a, "lob.app:ACT! Premium.plan.method=vendor", &err), SP_OK);
    assert_int_equal(sp_answers_apply(a, w.session.state, 0, &err), SP_OK);
    sp_answers_free(a);
    assert_string_equal(sp_timesync_input(w.session.state, SP_TS_DESTINATION), "ESS02");
    bk = sp_state_step(w.session.state, "backup");
    assert_int_equal(cJSON_GetObjectItem(bk->data, "k")->valueint, 25);
    assert_true(sp_policy_clear_script_paths(w.session.state));
    assert_false(sp_health_acknowledged(w.session.state, "health.storage.system"));
    assert_true(sp_health_acknowledged(w.session.state, "health.time.local_clock"));
    assert_true(sp_email_confirmed(w.session.state, "hosted.mx"));
    assert_true(sp_email_confirmed(w.session.state, "hosted.plan"));
    qb = sp_lob_find(sp_lob_entries(w.session.state), "app:QuickBooks");
    sp_lob_get_plan(qb, &p);
    assert_string_equal(p.notes, "From /set, with = and .");
    assert_string_equal(p.contact, "Intuit"); /* the rest of the file's plan stays */
    sp_lob_get_plan(sp_lob_find(sp_lob_entries(w.session.state), "app:ACT! Premium"), &p);
    assert_int_equal(p.method, SP_LOB_METHOD_VENDOR);
    testutil_world_close(&w);
}

static void set_should_name_the_key_of_what_it_refuses(void **s)
{
    (void)s;
    world w;
    sp_answers *a = sp_answers_new();
    sp_answers_error err;
    static const struct { const char *set; unsigned id; const char *key; } bad[] = {
        {"backup.k=abc", IDS_ANS_ERR_WHOLE, "backup.k"},
        {"nodot=1", IDS_ANS_ERR_SET, "nodot"},
        {"timesync.destination", IDS_ANS_ERR_SET, "timesync.destination"},
        {"timesync.zone=UTC", IDS_ANS_ERR_UNKNOWN, "timesync.zone"},
        {"updates.auto=true", IDS_ANS_ERR_UNKNOWN, "updates"},
        {"policy.clear_script_paths=maybe", IDS_ANS_ERR_FLAG, "policy.clear_script_paths"},
        {"lob.app:QuickBooks.plan.speed=fast", IDS_ANS_ERR_UNKNOWN, "lob.app:QuickBooks.plan.speed"},
        {"lob.app:QuickBooks.colour=red", IDS_ANS_ERR_UNKNOWN, "lob.app:QuickBooks.colour"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(sp_answers_add_set(a, bad[i].set, &err), SP_ERR_BADDATA);
        assert_int_equal(err.msg_id, bad[i].id);
        assert_string_equal(err.key, bad[i].key);
    }
    assert_int_equal(sp_answers_count(a), 0);
    /* A plan given one field at a time still needs its method. */
    testutil_world_open_demo(&w);
    assert_int_equal(sp_answers_add_set(a, "lob.app:Nowhere.plan.contact=Vendor", &err), SP_OK);
    assert_int_equal(sp_answers_apply(a, w.session.state, 0, &err), SP_ERR_BADDATA);
    assert_int_equal(err.msg_id, IDS_ANS_ERR_NO_METHOD);
    assert_string_equal(err.key, "lob.app:Nowhere.plan.method");
    sp_answers_free(a);
    testutil_world_close(&w);
}

/* Exported from one server, applied to a fresh one, exported again: the same bytes. */
static void export_then_import_should_give_the_same_bytes(void **s)
{
    (void)s;
    world a, b;
    sp_answers_error err;
    char *first, *second;
    testutil_world_open_demo(&a);
    testutil_world_open_demo(&b);
    testutil_world_run(&a, "lob", 0, NULL); /* marks and plans over an inventory, as the page has them */
    assert_int_equal(apply_text(&a, every_input, &err), SP_OK);
    sp_lob_set_marked(sp_lob_find(sp_lob_entries(a.session.state), "app:{0C1B8C36-3B6A-4A6B-8BC0-5A66B7C44C0E}"), 0);
    first = sp_answers_export(a.session.state);
    assert_non_null(first);
    assert_non_null(strstr(first, "\"schema\":\t\"sourceprep-answers/1\""));
    assert_int_equal(apply_text(&b, first, &err), SP_OK);
    second = sp_answers_export(b.session.state);
    assert_string_equal(first, second);
    /* An inventory on the second server keeps them: the check's merge carries them over by id. */
    testutil_world_run(&b, "lob", 0, NULL);
    free(second);
    second = sp_answers_export(b.session.state);
    assert_string_equal(first, second);
    free(first);
    free(second);
    /* A fresh state has nothing to export but the schema. */
    testutil_world_close(&a);
    testutil_world_open_demo(&a);
    first = sp_answers_export(a.session.state);
    assert_string_equal(first, "{\n\t\"schema\":\t\"sourceprep-answers/1\"\n}\n");
    free(first);
    testutil_world_close(&a);
    testutil_world_close(&b);
}

static void plan(world *w, const char *id, sp_lob_method method, const char *media, int found, uint64_t size)
{
    cJSON *e = sp_lob_find(sp_lob_entries(w->session.state), id);
    sp_lob_plan p = {0};
    assert_non_null(e);
    p.contact = "Jürgen \"Jo\" Müller, Support";
    p.phone = "+49 89 1234-0";
    p.method = method;
    p.media = media;
    p.notes = "Line one\r\nline two, with \"quotes\"";
    p.media_checked = found >= 0;
    p.media_found = found > 0;
    p.media_size = size;
    assert_int_equal(sp_lob_set_plan(e, &p), SP_OK);
    assert_int_equal(sp_lob_set_marked(e, 1), SP_OK);
}

static void the_lob_csv_should_read_back_into_the_same_plans(void **s)
{
    (void)s;
    world a, b;
    sp_answers_error err;
    char *first, *second;
    size_t rows = 0;
    testutil_world_open_demo(&a);
    testutil_world_open_demo(&b);
    testutil_world_run(&a, "lob", 0, NULL);
    testutil_world_run(&b, "lob", 0, NULL);
    plan(&a, "app:QuickBooks", SP_LOB_METHOD_REINSTALL, "D:\\Installers\\QuickBooks 2010", 1, 123456789);
    plan(&a, "app:{6A8A1B2C-8A11-4E1D-8E2B-3C1F0D2A7E44}", SP_LOB_METHOD_VENDOR, "\\\\NAS\\Lohnbüro, 2011", 0, 0);
    plan(&a, "svc:QBCFMonitorService", SP_LOB_METHOD_RETIRE, "", -1, 0);
    plan(&a, "task:QuickBooks nightly backup", SP_LOB_METHOD_NONE, "", -1, 0);
    sp_lob_set_marked(sp_lob_find(sp_lob_entries(a.session.state), "app:ACT! Premium"), 0);
    sp_lob_reassess(a.session.state, 0);
    first = sp_lob_export_csv(a.session.state, testutil_text_ids, NULL);
    assert_int_equal(sp_answers_apply_lob_csv(b.session.state, first, strlen(first), testutil_text_ids, NULL, 0, &rows, &err), SP_OK);
    assert_int_equal(rows, 9);
    second = sp_lob_export_csv(b.session.state, testutil_text_ids, NULL);
    assert_string_equal(first, second);
    assert_false(sp_lob_marked(sp_lob_find(sp_lob_entries(b.session.state), "app:ACT! Premium")));
    assert_int_equal(sp_state_step(b.session.state, "lob")->result, sp_state_step(a.session.state, "lob")->result);
    free(second);
    /* On a server without those applications they are kept as entries of their own. */
    testutil_world_close(&b);
    testutil_world_open(&b, "tests/profiles/ess2012.json");
    testutil_world_run(&b, "lob", 0, NULL);
    assert_int_equal(sp_answers_apply_lob_csv(b.session.state, first, strlen(first), testutil_text_ids, NULL, 0, &rows, &err), SP_OK);
    second = sp_lob_export_csv(b.session.state, testutil_text_ids, NULL);
    assert_string_equal(first, second);
    assert_non_null(sp_lob_find(sp_lob_entries(b.session.state), "csv:app:QuickBooks Premier: Accountant Edition 2010"));
    free(second);
    /* Excel in Germany: ';' between the fields, a phone number that looks like a formula; the
     * import takes either and gives every field back (issue 20). */
    {
        char *semi;
        sp_lob_plan p;
        cJSON *qb = sp_lob_find(sp_lob_entries(a.session.state), "app:QuickBooks");
        sp_lob_get_plan(qb, &p);
        p.phone = "+1 800 446 8848";
        p.notes = "=HYPERLINK(\"http://evil\")";
        assert_int_equal(sp_lob_set_plan(qb, &p), SP_OK);
        free(first);
        first = sp_lob_export_csv(a.session.state, testutil_text_ids, NULL);
        semi = sp_lob_export_csv_with(a.session.state, testutil_text_ids, NULL, ';');
        assert_non_null(strstr(semi, ";'+1 800 446 8848;"));
        assert_non_null(strstr(semi, ";\"'=HYPERLINK(\"\"http://evil\"\")\";"));
        assert_int_equal(sp_answers_apply_lob_csv(b.session.state, semi, strlen(semi), testutil_text_ids, NULL, 0, &rows, &err), SP_OK);
        second = sp_lob_export_csv(b.session.state, testutil_text_ids, NULL);
        assert_string_equal(first, second);
        free(second);
        free(semi);
    }
    free(first);
    testutil_world_close(&a);
    testutil_world_close(&b);
}

static void a_wrong_lob_csv_should_be_refused_by_row_and_column(void **s)
{
    (void)s;
    world w;
    sp_answers_error err;
    char *before, *after, *csv;
    static const char *const rows[] = {
        "",
        "x,y\r\n",
        "\"unterminated\r\n",
    };
    testutil_world_open_demo(&w);
    before = sp_state_serialise(w.session.state); /* no inventory yet: nothing is made for it either */
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(sp_answers_apply_lob_csv(w.session.state, rows[i], strlen(rows[i]), testutil_text_ids, NULL, 0, NULL, &err),
                         SP_ERR_BADDATA);
    after = sp_state_serialise(w.session.state);
    assert_string_equal(before, after);
    free(after);
    testutil_world_run(&w, "lob", 0, NULL);
    /* A method the page does not have, in the second row. */
    plan(&w, "app:QuickBooks", SP_LOB_METHOD_REINSTALL, "D:\\x", -1, 0);
    csv = sp_lob_export_csv(w.session.state, testutil_text_ids, NULL);
    {
        char *m = strstr(csv, "T5651");
        assert_non_null(m);
        memcpy(m, "T5699", 5);
    }
    free(before);
    before = sp_state_serialise(w.session.state);
    assert_int_equal(sp_answers_apply_lob_csv(w.session.state, csv, strlen(csv), testutil_text_ids, NULL, 0, NULL, &err), SP_ERR_BADDATA);
    assert_int_equal(err.msg_id, IDS_ANS_ERR_ONE_OF);
    assert_int_equal(err.at_id, IDS_ANS_AT_CELL); /* QuickBooks's row, wherever the inventory sorts it */
    assert_true(atoi(err.key) > 1);
    assert_string_equal(err.column, "T5638");
    assert_string_equal(err.value, "T5699");
    after = sp_state_serialise(w.session.state);
    assert_string_equal(before, after);
    free(csv);
    free(before);
    free(after);
    testutil_world_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_answer_file_should_change_exactly_the_keys_it_gives),
        cmocka_unit_test(an_answer_file_should_leave_the_state_the_pages_would_and_pass_the_same_checks),
        cmocka_unit_test(an_unknown_key_should_be_refused_by_its_name),
        cmocka_unit_test(a_value_of_the_wrong_type_should_be_refused_by_its_key),
        cmocka_unit_test(a_lob_plan_without_a_method_should_be_refused_and_nothing_applied),
        cmocka_unit_test(set_should_read_each_value_as_its_key_and_override_the_file),
        cmocka_unit_test(set_should_name_the_key_of_what_it_refuses),
        cmocka_unit_test(export_then_import_should_give_the_same_bytes),
        cmocka_unit_test(the_lob_csv_should_read_back_into_the_same_plans),
        cmocka_unit_test(a_wrong_lob_csv_should_be_refused_by_row_and_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
