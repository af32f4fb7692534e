/* The health scan's sources: what it says when one cannot be read (the rule could not run), a
 * finding that cannot be recorded, an unknown SYSVOL replication; the sim's event logs and
 * volumes, and the posix backend's lack of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/health/health.h"
#include "core/health/rules.h"
#include "core/msgids.h"
#include "core/session.h"
#include "core/sys/posix/posix.h"
#include "tests/unit/testutil.h"

#define BASE "tests/profiles/sbs2003.json"
#define HEALTHY "tests/profiles/health/healthy-sbs2003.patch.json"

typedef testutil_world world;

/* One test makes a finding impossible to record: the allocation fails instead of aborting. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static void open_healthy(world *w, const cJSON *patch)
{
    testutil_world_open_patched(w, BASE, HEALTHY, patch);
}

static sp_status scan(world *w, sp_findings *f, sp_result *r)
{
    sp_run_ctx ctx = sp_session_ctx(&w->session, NULL);
    sp_findings_free(f);
    return sp_step_run(sp_step_find("health"), &ctx, 0, f, r);
}

/* ---- Rules that could not run --------------------------------------------------------------- */

/* Scans a base with patch_json on top and checks that rule_id said it could not run, with
 * why in its evidence, in category; also that the rule itself did not fire. The findings stay
 * in f for more checks. */
static void scan_expecting_not_run(world *w, sp_findings *f, const char *profile,
                                   const char *healthy, const char *patch_json,
                                   const char *rule_id, const char *why, unsigned category)
{
    cJSON *patch = cJSON_Parse(patch_json);
    char code[64];
    const sp_finding *x;
    sp_result r;
    assert_non_null(patch);
    testutil_world_open_patched(w, profile, healthy, patch);
    cJSON_Delete(patch);
    assert_int_equal(scan(w, f, &r), SP_OK);
    snprintf(code, sizeof code, "health.scan.%s", rule_id);
    x = testutil_find(f, code);
    if (!x)
        fail_msg("%s did not say it could not run", rule_id);
    assert_int_equal(x->severity, SP_SEV_WARNING);
    assert_int_equal(x->title_id, IDS_F_HEALTH_RULE_NOT_RUN);
    assert_string_equal(x->arg, rule_id);
    assert_non_null(strstr(x->evidence, why));
    assert_int_equal(sp_health_category_of(x->code), category);
    snprintf(code, sizeof code, "health.%s", rule_id);
    assert_null(testutil_find(f, code));
    assert_int_equal(r, SP_RESULT_FAILED); /* not verified is not healthy */
}

static void an_unreadable_log_should_say_which_rules_could_not_run(void **state)
{
    world w;
    sp_findings f = {0};
    (void)state;
    scan_expecting_not_run(&w, &f, BASE, HEALTHY, "{\"events\":{\"System\":\"unreadable\"}}",
                           "events.system", "access is denied", SP_HC_EVENTS);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void a_missing_ddcp_template_should_say_the_rights_could_not_be_checked(void **state)
{
    world w;
    sp_findings f = {0};
    (void)state;
    scan_expecting_not_run(
        &w, &f, BASE, HEALTHY,
        "{\"files\":{\"C:\\\\WINDOWS\\\\SYSVOL\\\\sysvol\\\\fabrikam.local\\\\Policies\\\\"
        "{6AC1786C-016F-11D2-945F-00C04fB984F9}\\\\MACHINE\\\\Microsoft\\\\Windows NT\\\\SecEdit\\\\"
        "GptTmpl.inf\":null}}",
        "ad.delegation_right", "GptTmpl.inf", SP_HC_AD);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* Samba and Windows 2000 give no replication metadata over LDAP: the last backup is not known. */
static void a_directory_without_metadata_should_say_the_backup_could_not_be_dated(void **state)
{
    world w;
    sp_findings f = {0};
    (void)state;
    scan_expecting_not_run(&w, &f, BASE, HEALTHY,
                           "{\"ldap\":{\"entries\":{\"DC=fabrikam,DC=local\":"
                           "{\"msDS-ReplAttributeMetaData\":null}}}}",
                           "repl.backup_old", "no msDS-ReplAttributeMetaData", SP_HC_REPL);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* A RID pool that cannot be read as a range, or none at all: the pool's use is not known. */
static void an_unreadable_rid_pool_should_say_it_could_not_be_measured(void **state)
{
    static const char *const values[][2] = {{"\"12x\"", "not a RID range: 12x"},
                                            {"null", "has no rIDAvailablePool"}};
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        world w;
        sp_findings f = {0};
        char patch[300];
        snprintf(patch, sizeof patch,
                 "{\"ldap\":{\"entries\":{\"CN=RID Manager$,CN=System,DC=fabrikam,DC=local\":"
                 "{\"rIDAvailablePool\":%s}}}}", values[i][0]);
        scan_expecting_not_run(&w, &f, BASE, HEALTHY, patch, "ad.rid_pool", values[i][1], SP_HC_AD);
        sp_findings_free(&f);
        testutil_world_close(&w);
    }
}

/* No DFSR object, no FRS replica set, no migration state: SYSVOL's replication is unknown, so
 * neither service is blamed, and the scan says what it could not tell. */
static void an_unknown_sysvol_replication_should_blame_no_service(void **state)
{
    world w;
    sp_findings f = {0};
    (void)state;
    scan_expecting_not_run(
        &w, &f, "tests/profiles/ess2012r2.json", "tests/profiles/health/healthy-ess2012r2.patch.json",
        "{\"ldap\":{\"entries\":{"
        "\"CN=DFSR-GlobalSettings,CN=System,DC=wideworldimporters,DC=local\":null,"
        "\"CN=Domain System Volume,CN=DFSR-GlobalSettings,CN=System,DC=wideworldimporters,DC=local\":null}}}",
        "svc.ntfrs", "unknown", SP_HC_FRS);
    assert_int_equal(f.count, 1);
    assert_null(testutil_find(&f, "health.svc.dfsr"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void a_finding_that_cannot_be_recorded_should_stop_the_scan(void **state)
{
    cJSON *patch = cJSON_Parse("{\"services\":{\"DNS\":{\"state\":\"stopped\"}}}");
    world w;
    sp_run_ctx ctx;
    sp_health_scan hs;
    sp_findings full = {0};
    (void)state;
    open_healthy(&w, patch);
    ctx = sp_session_ctx(&w.session, NULL);
    /* A list that cannot grow: the next finding's allocation fails. */
    full.items = calloc(1, sizeof *full.items);
    full.count = full.cap = SIZE_MAX / sizeof *full.items / 4;
    memset(&hs, 0, sizeof hs);
    hs.ctx = &ctx;
    hs.out = &full;
    hs.now = w.sim->ops->time_now(w.sim);
    hs.os = SP_HOS_2003;
    assert_int_equal(sp_rules_run(&hs), SP_ERR_NOMEM);
    assert_non_null(strstr(w.sim->last_error, "health.svc.dns"));
    sp_rules_scan_close(&hs);
    free(full.items);
    testutil_world_close(&w);
    cJSON_Delete(patch);
}

/* ---- Sim event logs and volumes ---------------------------------------------------------- */

typedef struct {
    unsigned n;
    int64_t last;
    int ordered;
} ev_seen;

static int see_event(void *user, const sp_event *ev)
{
    ev_seen *s = user;
    if (s->n && ev->time > s->last)
        s->ordered = 0;
    s->last = ev->time;
    s->n++;
    return 0;
}

static void sim_events_should_come_newest_first_within_the_window(void **state)
{
    cJSON *patch = cJSON_Parse(
        "{\"events\":{\"System\":[{\"source\":\"a\",\"id\":1,\"age_hours\":30},"
        "{\"source\":\"b\",\"id\":2,\"age_hours\":1},{\"source\":\"c\",\"id\":3,\"age_hours\":5}]}}");
    world w;
    ev_seen s = {0, 0, 1};
    uint64_t fr = 0, tot = 0;
    int64_t now;
    (void)state;
    open_healthy(&w, patch);
    now = w.sim->ops->time_now(w.sim);
    assert_int_equal(w.sim->ops->event_query(w.sim, "system", now - 24 * 3600, see_event, &s), SP_OK);
    assert_int_equal(s.n, 2);
    assert_true(s.ordered);
    assert_int_equal(w.sim->ops->event_query(w.sim, "Application", 0, see_event, &s),
                     SP_ERR_NOTFOUND);
    assert_int_equal(w.sim->ops->disk_space(w.sim, "c:\\", &fr, &tot), SP_OK);
    assert_true(fr == 20480ull * 1048576 && tot == 61440ull * 1048576);
    assert_int_equal(w.sim->ops->disk_space(w.sim, "Q:\\", &fr, &tot), SP_ERR_NOTFOUND);
    assert_int_equal(w.sim->ops->disk_space(w.sim, "\\\\srv\\share", &fr, &tot), SP_ERR_NOTFOUND);
    testutil_world_close(&w);
    cJSON_Delete(patch);
}

static void bad_events_or_disks_in_a_profile_should_be_named(void **state)
{
    static const char *const bad[] = {
        "{\"os\":{\"major\":5},\"events\":[]}",
        "{\"os\":{\"major\":5},\"events\":{\"System\":{}}}",
        "{\"os\":{\"major\":5},\"events\":{\"System\":[{\"id\":1}]}}",
        "{\"os\":{\"major\":5},\"events\":{\"System\":[{\"source\":\"x\",\"id\":70000}]}}",
        "{\"os\":{\"major\":5},\"events\":{\"System\":[{\"source\":\"x\",\"id\":1,\"type\":\"bad\"}]}}",
        "{\"os\":{\"major\":5},\"disks\":{\"C\":{\"free_mb\":1,\"total_mb\":2}}}",
        "{\"os\":{\"major\":5},\"disks\":{\"C:\":{\"free_mb\":3,\"total_mb\":2}}}",
        "{\"os\":{\"major\":5},\"event_read_ms\":-1}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[300] = "";
        assert_int_equal(testutil_sim_open_status(bad[i], err, sizeof err), SP_ERR_BADDATA);
        assert_true(strstr(err, "events") || strstr(err, "disks") || strstr(err, "event_read_ms"));
    }
}

static void posix_should_say_it_has_no_event_log_nor_volumes(void **state)
{
    sp_sys *p = sp_posix_open();
    ev_seen s = {0, 0, 1};
    uint64_t a, b;
    (void)state;
    assert_int_equal(p->ops->event_query(p, "System", 0, see_event, &s), SP_ERR_UNSUPPORTED);
    assert_non_null(strstr(p->last_error, "event log"));
    assert_int_equal(p->ops->disk_space(p, "C:\\", &a, &b), SP_ERR_UNSUPPORTED);
    sp_sys_close(p);
}

static void a_seeded_file_should_report_its_declared_size_until_it_changes(void **state)
{
    world w;
    sp_filestat fs;
    (void)state;
    testutil_world_open_sim(&w, "{\"os\":{\"major\":5},\"files\":{\"E:\\\\mdb\\\\priv1.edb\":"
                                "{\"text\":\"store\",\"size\":19327352832}}}");
    assert_int_equal(w.sim->ops->file_stat(w.sim, "e:\\MDB\\PRIV1.EDB", &fs), SP_OK);
    assert_true(fs.exists && fs.size == 19327352832ull);
    assert_int_equal(w.sim->ops->file_write_atomic(w.sim, "E:\\mdb\\priv1.edb", "x", 1), SP_OK);
    assert_int_equal(w.sim->ops->file_stat(w.sim, "E:\\mdb\\priv1.edb", &fs), SP_OK);
    assert_int_equal(fs.size, 1);
    testutil_world_close(&w);
    assert_int_equal(testutil_sim_open_status("{\"os\":{\"major\":5},\"files\":{\"C:\\\\x\":"
                                              "{\"text\":\"x\",\"size\":0}}}",
                                              NULL, 0),
                     SP_ERR_BADDATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_unreadable_log_should_say_which_rules_could_not_run),
        cmocka_unit_test(a_missing_ddcp_template_should_say_the_rights_could_not_be_checked),
        cmocka_unit_test(an_unknown_sysvol_replication_should_blame_no_service),
        cmocka_unit_test(an_unreadable_rid_pool_should_say_it_could_not_be_measured),
        cmocka_unit_test(a_directory_without_metadata_should_say_the_backup_could_not_be_dated),
        cmocka_unit_test(a_finding_that_cannot_be_recorded_should_stop_the_scan),
        cmocka_unit_test(sim_events_should_come_newest_first_within_the_window),
        cmocka_unit_test(bad_events_or_disks_in_a_profile_should_be_named),
        cmocka_unit_test(posix_should_say_it_has_no_event_log_nor_volumes),
        cmocka_unit_test(a_seeded_file_should_report_its_declared_size_until_it_changes),
    };
    return cmocka_run_group_tests_name("health_sources", tests, NULL, NULL);
}
