/* The health scan on simulated servers: each rule fires on its failure cause and stays quiet on a
 * healthy server (cases.json); the gate, acknowledgements, sorting, progress and cancel; the IPv4
 * helpers. What the scan says when a source fails is in test_health_sources.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "core/health/health.h"
#include "core/msgids.h"
#include "core/base/netaddr.h"
#include "core/health/rules.h"
#include "core/report.h"
#include "core/session.h"
#include "tests/unit/testutil.h"

#define BASE "tests/profiles/sbs2003.json"
#define HEALTHY "tests/profiles/health/healthy-sbs2003.patch.json"
#define CASES "tests/profiles/health/cases.json"

typedef testutil_world world;

/* The healthy SBS 2003 with patch (may be NULL) on top. */
static void open_healthy(world *w, const cJSON *patch)
{
    testutil_world_open_patched(w, BASE, HEALTHY, patch);
}

typedef struct {
    unsigned calls, last;
} progress_log;

static void on_progress(void *user, unsigned permille, const char *what)
{
    progress_log *l = user;
    (void)what;
    l->calls++;
    l->last = permille;
}

static sp_status scan(world *w, sp_findings *f, sp_result *r, volatile long *cancel,
                      progress_log *log)
{
    sp_run_ctx ctx = sp_session_ctx(&w->session, cancel);
    if (log) {
        ctx.progress = on_progress;
        ctx.progress_user = log;
    }
    sp_findings_free(f);
    return sp_step_run(sp_step_find("health"), &ctx, 0, f, r);
}

/* ---- One test per case of cases.json ---------------------------------------------------- */

static cJSON *all_cases;

/* A case's base (cases.json "bases"): its profile, the patch that makes it healthy, and the
 * notices (information) that base gives in every case, such as an FRS SYSVOL's. */
static const cJSON *base_of(const cJSON *c)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "base");
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(all_cases, "bases"),
        cJSON_IsString(name) ? name->valuestring : "sbs2003");
    if (!base)
        fail_msg("case %s: no such base", cJSON_GetObjectItemCaseSensitive(c, "name")->valuestring);
    return base;
}

static int listed(const cJSON *list, const char *code)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, list) if (strcmp(e->valuestring, code) == 0) return 1;
    return 0;
}

static void case_should_fire_exactly_its_rules(void **state)
{
    const cJSON *c = *state, *base = base_of(c);
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect"), *e;
    const cJSON *notices = cJSON_GetObjectItemCaseSensitive(base, "notices");
    world w;
    sp_findings f = {0};
    sp_result r;
    int blocking = 0;
    testutil_world_open_patched(&w, cJSON_GetObjectItemCaseSensitive(base, "profile")->valuestring,
              cJSON_GetObjectItemCaseSensitive(base, "healthy")->valuestring,
              cJSON_GetObjectItemCaseSensitive(c, "patch"));
    assert_int_equal(scan(&w, &f, &r, NULL, NULL), SP_OK);
    cJSON_ArrayForEach(e, expect)
    {
        const sp_finding *x = testutil_find(&f, e->valuestring);
        const sp_rule *rule = sp_rule_for_code(e->valuestring);
        if (!x)
            fail_msg("%s did not fire", e->valuestring);
        assert_non_null(rule);
        assert_int_equal(x->severity, rule->severity);
        assert_int_equal(x->title_id, rule->title_id);
        assert_non_null(x->evidence);
    }
    /* "german": a title as the German wizard says it, its %1 words included (issue 19). */
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c, "german"))
    {
        const sp_finding *x = testutil_find(&f, e->string);
        char *de;
        assert_non_null(x);
        de = sp_text_of(testutil_text_rc, "de-DE", x->title_id, x->arg);
        assert_string_equal(de, e->valuestring);
        free(de);
    }
    for (size_t i = 0; i < f.count; i++) {
        /* The base's notices may come along, as information only. */
        int notice = listed(notices, f.items[i].code) && f.items[i].severity == SP_SEV_INFO;
        if (!listed(expect, f.items[i].code) && !notice)
            fail_msg("%s fired too (%s)", f.items[i].code,
                     f.items[i].evidence ? f.items[i].evidence : "");
        blocking |= f.items[i].severity != SP_SEV_INFO;
    }
    assert_int_equal(r, blocking ? SP_RESULT_FAILED : SP_RESULT_PASSED);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void every_rule_should_have_a_case_that_fires_it(void **state)
{
    (void)state;
    assert_int_equal(sp_rule_total(), 74);
    for (size_t i = 0; i < sp_rule_total(); i++) {
        const sp_rule *rule = sp_rule_at(i);
        char code[64];
        const cJSON *c, *e;
        int covered = 0;
        snprintf(code, sizeof code, "health.%s", rule->id);
        assert_ptr_equal(sp_rule_for_code(code), rule);
        assert_non_null(rule->source);
        assert_true(rule->category < SP_HC_COUNT);
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(all_cases, "cases"))
            cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c, "expect"))
                covered |= strcmp(e->valuestring, code) == 0;
        if (!covered)
            fail_msg("no case makes %s fire", code);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(sp_rule_at(j)->id, rule->id);
    }
    assert_null(sp_rule_for_code("health.nope"));
    assert_null(sp_rule_for_code("policy.ad.pdc_role"));
}

/* ---- Gate and acknowledgements ------------------------------------------------------------ */

static void warnings_should_close_the_gate_until_each_is_acknowledged(void **state)
{
    cJSON *patch = cJSON_Parse(
        "{\"registry\":{\"HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\W32Time\\\\Parameters\":"
        "{\"Type\":{\"sz\":\"NT5DS\"}}},\"disks\":{\"C:\":{\"free_mb\":1000,\"total_mb\":61440}}}");
    world w;
    sp_findings f = {0};
    sp_result r;
    int64_t now;
    (void)state;
    open_healthy(&w, patch);
    now = w.sim->ops->time_now(w.sim);
    assert_int_equal(scan(&w, &f, &r, NULL, NULL), SP_OK);
    assert_int_equal(f.count, 3);
    assert_non_null(testutil_find(&f, "health.frs.sysvol_frs")); /* a notice: nothing to acknowledge */
    assert_int_equal(r, SP_RESULT_FAILED);
    assert_false(sp_state_gate_open(w.session.state, "health", now));
    assert_true(sp_health_acknowledge(w.session.state, "health.time.local_clock", 1));
    assert_false(sp_health_acknowledge(w.session.state, "health.time.local_clock", 1));
    assert_false(sp_state_gate_open(w.session.state, "health", now));
    assert_true(sp_health_acknowledge(w.session.state, "health.storage.system", 1));
    assert_true(sp_state_gate_open(w.session.state, "health", now));
    /* A new scan keeps the acknowledgements; withdrawing one closes the gate again. */
    assert_int_equal(scan(&w, &f, &r, NULL, NULL), SP_OK);
    assert_int_equal(r, SP_RESULT_PASSED);
    assert_true(sp_health_acknowledge(w.session.state, "health.storage.system", 0));
    assert_false(sp_state_gate_open(w.session.state, "health", now));
    /* They survive a save and a load. */
    {
        char *text = sp_state_serialise(w.session.state);
        sp_state *back = NULL;
        assert_int_equal(sp_state_parse(text, strlen(text), now, &back), SP_OK);
        assert_true(sp_health_acknowledged(back, "health.time.local_clock"));
        assert_false(sp_health_acknowledged(back, "health.storage.system"));
        sp_state_free(back);
        free(text);
    }
    sp_findings_free(&f);
    testutil_world_close(&w);
    cJSON_Delete(patch);
}

static void an_error_should_keep_the_gate_closed_whatever_is_acknowledged(void **state)
{
    cJSON *patch = cJSON_Parse("{\"services\":{\"DNS\":{\"state\":\"stopped\"}}}");
    world w;
    sp_findings f = {0};
    sp_result r;
    (void)state;
    open_healthy(&w, patch);
    assert_int_equal(scan(&w, &f, &r, NULL, NULL), SP_OK);
    assert_int_equal(r, SP_RESULT_FAILED);
    sp_health_acknowledge(w.session.state, "health.svc.dns", 1);
    assert_false(sp_state_gate_open(w.session.state, "health", w.sim->ops->time_now(w.sim)));
    sp_findings_free(&f);
    testutil_world_close(&w);
    cJSON_Delete(patch);
}

/* A service's state is words of the finding's sentence: the string table's, in the wizard's
 * language, never the English word from the code (issue 19); the state keeps no language. */
static void a_service_state_should_be_said_in_the_wizards_language(void **state)
{
    static const struct {
        const char *code, *en, *de, *english_word;
    } want[] = {
        {"health.svc.netlogon", "The Netlogon service is stopped", "Der Dienst Netlogon ist beendet", "stopped"},
        {"health.svc.kdc", "The Kerberos Key Distribution Center service is missing",
         "Der Dienst Kerberos-Schlüsselverteilungscenter ist nicht installiert", "missing"},
        {"health.svc.w32time", "The Windows Time service is disabled", "Der Windows-Zeitdienst ist deaktiviert",
         "disabled"},
    };
    cJSON *patch = cJSON_Parse("{\"services\":{\"Netlogon\":{\"state\":\"stopped\"},\"kdc\":null,"
                               "\"W32Time\":{\"state\":\"stopped\",\"start\":\"disabled\"}}}");
    world w;
    sp_findings f = {0};
    sp_result r;
    char *report;
    (void)state;
    open_healthy(&w, patch);
    assert_int_equal(scan(&w, &f, &r, NULL, NULL), SP_OK);
    report = sp_report_json(w.session.state, &w.session.info, NULL, testutil_text_rc, "de-DE",
                            w.sim->ops->time_now(w.sim));
    assert_non_null(report);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const sp_finding *x = testutil_find(&f, want[i].code);
        char *de, *en;
        assert_non_null(x);
        assert_int_equal(x->arg[0], SP_ARG_REF);
        de = sp_text_of(testutil_text_rc, "de-DE", x->title_id, x->arg);
        en = sp_text_of(testutil_text_rc, "en-US", x->title_id, x->arg);
        assert_string_equal(de, want[i].de);
        assert_null(strstr(de, want[i].english_word));
        assert_string_equal(en, want[i].en);
        /* The report in German says it too; its codes stay. */
        assert_non_null(strstr(report, want[i].de));
        assert_non_null(strstr(report, want[i].code));
        free(de);
        free(en);
    }
    assert_null(strstr(report, "stopped"));
    assert_non_null(strstr(testutil_find(&f, "health.svc.netlogon")->evidence, "STATE STOPPED"));
    free(report);
    sp_findings_free(&f);
    testutil_world_close(&w);
    cJSON_Delete(patch);
}

static void the_demo_should_show_errors_first_then_warnings(void **state)
{
    world w;
    sp_findings f = {0};
    sp_result r;
    progress_log log = {0, 0};
    cJSON *demo = testutil_read_json("resources/demo-sbs2003.json");
    struct timespec t0, t1;
    double ms;
    (void)state;
    testutil_world_open_profile(&w, demo);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(scan(&w, &f, &r, NULL, &log), SP_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (double)(t1.tv_sec - t0.tv_sec) * 1000.0 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("health: %zu rules on the demo in %.1f ms (goal 2000 ms)\n", sp_rule_total(), ms);
    for (size_t i = 0; i < f.count; i++)
        printf("health: demo %s %s (%s)\n", sp_severity_name(f.items[i].severity), f.items[i].code,
               f.items[i].arg ? f.items[i].arg : "");
    assert_int_equal(r, SP_RESULT_FAILED);
    /* tests/gui/walk_health.c counts these eight in the list and their seven categories. */
    assert_int_equal(f.count, 8);
    assert_string_equal(f.items[0].code, "health.frs.journal_wrap");
    assert_string_equal(f.items[1].code, "health.dns.public_server");
    assert_non_null(testutil_find(&f, "health.storage.system"));
    assert_non_null(testutil_find(&f, "health.events.system"));
    assert_non_null(testutil_find(&f, "health.time.local_clock"));
    assert_non_null(testutil_find(&f, "health.roles.dhcp_server"));
    assert_non_null(testutil_find(&f, "health.repl.backup_old"));
    assert_int_equal(testutil_find(&f, "health.frs.sysvol_frs")->severity, SP_SEV_INFO);
    for (size_t i = 1; i < f.count; i++)
        assert_true(f.items[i - 1].severity >= f.items[i].severity);
    assert_true(log.calls >= sp_rule_total());
    assert_int_equal(log.last, 1000);
    sp_findings_free(&f);
    testutil_world_close(&w);
    cJSON_Delete(demo);
}

static void a_cancelled_scan_should_stop_and_record_nothing(void **state)
{
    world w;
    sp_findings f = {0};
    sp_result r;
    volatile long cancel = 1;
    (void)state;
    open_healthy(&w, NULL);
    assert_int_equal(scan(&w, &f, &r, &cancel, NULL), SP_ERR_CANCELLED);
    assert_int_equal(f.count, 0);
    assert_int_equal(sp_state_step_const(w.session.state, "health")->result, SP_RESULT_NOT_RUN);
    testutil_world_close(&w);
}

static void a_workstation_should_be_not_applicable(void **state)
{
    cJSON *patch = cJSON_Parse("{\"os\":{\"product_type\":1}}");
    world w;
    sp_findings f = {0};
    sp_result r;
    (void)state;
    open_healthy(&w, patch);
    scan(&w, &f, &r, NULL, NULL);
    assert_int_not_equal(r, SP_RESULT_PASSED);
    sp_findings_free(&f);
    testutil_world_close(&w);
    cJSON_Delete(patch);
}

/* ---- IPv4 helpers ------------------------------------------------------------------------ */

static void ipv4_lists_should_parse_and_classify(void **state)
{
    uint32_t a;
    char pub[32];
    sp_net_adapters l = {0};
    (void)state;
    assert_true(sp_net_parse_ipv4("192.168.1.2", 11, &a) && a == 0xC0A80102u);
    assert_false(sp_net_parse_ipv4("192.168.1", 9, &a));
    assert_false(sp_net_parse_ipv4("256.1.1.1", 9, &a));
    assert_false(sp_net_parse_ipv4("1.2.3.4.5", 9, &a));
    assert_false(sp_net_parse_ipv4("1..3.4", 6, &a));
    assert_false(sp_net_parse_ipv4("0001.2.3.4", 10, &a));
    assert_false(sp_net_is_public(0x0A000001u));
    assert_false(sp_net_is_public(0xAC1F0001u)); /* 172.31.0.1 */
    assert_true(sp_net_is_public(0xAC200001u));  /* 172.32.0.1 */
    assert_false(sp_net_is_public(0x64400001u)); /* 100.64.0.1 */
    assert_true(sp_net_is_public(0x08080808u));
    assert_true(sp_net_first_public("10.0.0.1, 192.168.1.1;4.2.2.2 8.8.8.8", pub, sizeof pub));
    assert_string_equal(pub, "4.2.2.2");
    assert_false(sp_net_first_public("10.0.0.1 fe80::1 garbage", pub, sizeof pub));
    assert_true(sp_net_list_points_to("10.0.0.9,127.0.0.1", "10.0.0.2"));
    assert_true(sp_net_list_points_to("10.0.0.2", "10.0.0.3 10.0.0.2"));
    assert_false(sp_net_list_points_to("10.0.0.9", "10.0.0.2"));
    assert_false(sp_net_adapter_add(&l, "x", "0.0.0.0", "1.1.1.1"));
    assert_false(sp_net_adapter_add(&l, "x", "", ""));
    for (int i = 0; i < 9; i++)
        assert_true(sp_net_adapter_add(&l, "nic", "10.0.0.1", ""));
    assert_int_equal(l.count, 9);
    sp_net_adapters_free(&l);
}

/* ---- The DNS service asked directly ------------------------------------------------------ */

/* A DNS service that answers nowhere: every rule that asks it says it could not run, and why;
 * none passes and none fires on what it could not see. */
static void a_silent_dns_service_should_leave_each_dns_rule_not_run(void **state)
{
    static const char *const rules[] = {"dns.locator_records", "dns.listen_address",
                                        "dns.host_record", "dns.dsa_cname", "dns.recursion"};
    cJSON *patch = cJSON_Parse("{\"dns\":{\"listen\":[]}}");
    world w;
    sp_findings f = {0};
    sp_result r;
    (void)state;
    open_healthy(&w, patch);
    assert_int_equal(scan(&w, &f, &r, NULL, NULL), SP_OK);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        char code[64];
        const sp_finding *x;
        snprintf(code, sizeof code, "health.scan.%s", rules[i]);
        x = testutil_find(&f, code);
        if (!x)
            fail_msg("%s did not say it could not run", rules[i]);
        assert_int_equal(x->severity, SP_SEV_WARNING);
        assert_non_null(strstr(x->evidence, "192.168.16.2:53"));
        assert_non_null(strstr(x->evidence, "127.0.0.1:53"));
        snprintf(code, sizeof code, "health.%s", rules[i]);
        assert_null(testutil_find(&f, code));
    }
    assert_int_equal(r, SP_RESULT_FAILED);
    sp_findings_free(&f);
    testutil_world_close(&w);
    cJSON_Delete(patch);
}

/* A missing SRV record's evidence says what AD holds for it: a dnsNode the service does not serve
 * (a zone not loaded) is told from a record never registered. */
static void locator_evidence_should_say_what_active_directory_holds(void **state)
{
    static const char node[] =
        "DC=_kerberos._tcp,DC=fabrikam.local,CN=MicrosoftDNS,CN=System,DC=fabrikam,DC=local";
    cJSON *served = cJSON_Parse(
        "{\"dns\":{\"records\":{\"_kerberos._tcp.fabrikam.local\":null}}}");
    cJSON *gone = cJSON_Parse(
        "{\"dns\":{\"records\":{\"_kerberos._tcp.fabrikam.local\":null}},\"ldap\":{\"entries\":"
        "{\"DC=_kerberos._tcp,DC=fabrikam.local,CN=MicrosoftDNS,CN=System,DC=fabrikam,DC=local\":"
        "null}}}");
    world w;
    sp_findings f = {0};
    sp_result r;
    const sp_finding *x;
    (void)state;
    open_healthy(&w, served);
    assert_int_equal(scan(&w, &f, &r, NULL, NULL), SP_OK);
    assert_non_null(x = testutil_find(&f, "health.dns.locator_records"));
    assert_string_equal(x->arg, "1");
    assert_non_null(strstr(x->evidence, "_kerberos._tcp.fabrikam.local SRV: NXDOMAIN"));
    assert_non_null(strstr(x->evidence, "192.168.16.2:53"));
    assert_non_null(strstr(x->evidence, "is in Active Directory"));
    assert_non_null(strstr(x->evidence, node));
    sp_findings_free(&f);
    testutil_world_close(&w);
    open_healthy(&w, gone);
    assert_int_equal(scan(&w, &f, &r, NULL, NULL), SP_OK);
    assert_non_null(x = testutil_find(&f, "health.dns.locator_records"));
    assert_non_null(strstr(x->evidence, "no dnsNode"));
    assert_non_null(strstr(x->evidence, node));
    sp_findings_free(&f);
    testutil_world_close(&w);
    cJSON_Delete(served);
    cJSON_Delete(gone);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(every_rule_should_have_a_case_that_fires_it),
        cmocka_unit_test(warnings_should_close_the_gate_until_each_is_acknowledged),
        cmocka_unit_test(an_error_should_keep_the_gate_closed_whatever_is_acknowledged),
        cmocka_unit_test(a_service_state_should_be_said_in_the_wizards_language),
        cmocka_unit_test(the_demo_should_show_errors_first_then_warnings),
        cmocka_unit_test(a_cancelled_scan_should_stop_and_record_nothing),
        cmocka_unit_test(a_workstation_should_be_not_applicable),
        cmocka_unit_test(ipv4_lists_should_parse_and_classify),
        cmocka_unit_test(a_silent_dns_service_should_leave_each_dns_rule_not_run),
        cmocka_unit_test(locator_evidence_should_say_what_active_directory_holds),
    };
    struct CMUnitTest *tests;
    const cJSON *c;
    size_t n = sizeof fixed / sizeof fixed[0], ncases;
    int rc;
    all_cases = testutil_read_json(CASES);
    ncases = (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(all_cases, "cases"));
    tests = calloc(n + ncases, sizeof *tests);
    assert_non_null(tests);
    memcpy(tests, fixed, sizeof fixed);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(all_cases, "cases"))
    {
        struct CMUnitTest *t = &tests[n++];
        t->name = cJSON_GetObjectItemCaseSensitive(c, "name")->valuestring;
        t->test_func = case_should_fire_exactly_its_rules;
        t->initial_state = (void *)c;
    }
    rc = _cmocka_run_group_tests("health", tests, n, NULL, NULL);
    free(tests);
    cJSON_Delete(all_cases);
    return rc;
}
