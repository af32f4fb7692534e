/* The time sync step on simulated servers: measurements, time zones, VMs, apply and undo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msgids.h"
#include "core/session.h"
#include "core/timesync/timesync.h"
#include "tests/unit/testutil.h"

typedef testutil_world world;

static sp_result run(world *w, int apply, sp_findings *f)
{
    sp_findings_free(f);
    return testutil_world_run(w, "timesync", apply, f);
}

static void set(world *w, const char *key, const char *value)
{
    sp_timesync_set_input(w->session.state, key, value);
}

static uint32_t announce_flags(world *w)
{
    uint32_t v = 0;
    assert_int_equal(sp_reg_get_dword(w->sim, SP_REG_VIEW_DEFAULT,
                                      "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config",
                                      "AnnounceFlags", &v), SP_OK);
    return v;
}

static void check_should_report_config_zone_vm_and_offset_on_sbs2003(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    x = testutil_find(&f, "timesync.config");
    assert_non_null(x);
    assert_int_equal(x->severity, SP_SEV_ERROR);
    assert_non_null(strstr(x->evidence, "AnnounceFlags=5"));
    x = testutil_find(&f, "timesync.tz_ask");
    assert_non_null(x);
    assert_string_equal(x->arg, "Eastern Standard Time");
    x = testutil_find(&f, "timesync.vm");
    assert_non_null(x);
    assert_string_equal(x->arg, "Hyper-V");
    x = testutil_find(&f, "timesync.internet");
    assert_non_null(x);
    assert_int_equal(x->title_id, IDS_F_TS_OFFSET_OK);
    assert_string_equal(x->arg, "time.windows.com (+3.000 s)");
    assert_non_null(testutil_find(&f, "timesync.no_destination"));
    assert_false(sp_state_gate_open(w.session.state, "timesync", 0));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void apply_should_journal_run_w32tm_restart_and_pass_then_undo_should_restore(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    sp_svcinfo svc;
    size_t undone = 0;
    char type[32];
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    set(&w, SP_TS_DESTINATION, "FABESS");
    set(&w, SP_TS_DEST_TZ, "eastern standard time");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    assert_non_null(testutil_find(&f, "timesync.w32tm"));
    assert_non_null(testutil_find(&f, "timesync.restarted"));
    assert_non_null(testutil_find(&f, "timesync.config_ok"));
    assert_non_null(testutil_find(&f, "timesync.tz_same"));
    /* FABESS was 4 min 59 s ahead; W32Time stepped the clock 2 s back... toward it. */
    assert_string_equal(testutil_find(&f, "timesync.destination")->arg, "FABESS (-4 min 57.000 s)");
    assert_int_equal(announce_flags(&w), 10);
    assert_int_equal(sp_journal_count(w.session.journal), 2);
    assert_int_equal(w.sim->ops->svc_query(w.sim, "W32Time", &svc), SP_OK);
    assert_int_equal(svc.state, SP_SVC_RUNNING);
    assert_true(sp_state_gate_open(w.session.state, "timesync", w.sim->ops->time_now(w.sim)));
    assert_int_equal(sp_journal_undo(w.session.journal, "timesync", &undone), SP_OK);
    assert_int_equal(undone, 2);
    assert_int_equal(announce_flags(&w), 5);
    assert_int_equal(sp_reg_get_string(w.sim, SP_REG_VIEW_DEFAULT,
                                       "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters",
                                       "Type", type, sizeof type), SP_OK);
    assert_string_equal(type, "NT5DS");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void apply_should_fail_with_the_reason_when_w32tm_is_missing(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    sp_result r;
    sp_run_ctx ctx;
    testutil_world_open(&w, "tests/profiles/server2003.json"); /* lists no w32tm process */
    ctx = sp_session_ctx(&w.session, NULL);
    assert_int_equal(sp_step_run(sp_step_find("timesync"), &ctx, 1, &f, &r), SP_ERR_NOTFOUND);
    assert_int_equal(r, SP_RESULT_ERROR);
    assert_non_null(strstr(sp_state_step(w.session.state, "timesync")->findings.items[0].evidence,
                           "w32tm"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void measurement_failures_should_say_what_went_wrong(void **s)
{
    (void)s;
    static const struct {
        const char *server, *says;
    } cases[] = {
        {"garbage.example", "answered, but the reply has 26 bytes"},
        {"silent.example", "did not answer 4 NTP requests"},
        {"kod.example", "kiss code \"RATE\""},
        {"unsync.example", "not synchronised"},
        {"nosuch.example", "could not be resolved"},
        {"bad host:99999", "is not a host name"},
    };
    world w;
    sp_findings f = {0};
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sp_finding *x;
        set(&w, SP_TS_NTP_SERVER, cases[i].server);
        assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
        x = testutil_find(&f, "timesync.internet");
        assert_non_null(x);
        assert_int_equal(x->title_id, IDS_F_TS_UNREACHABLE);
        if (!strstr(x->evidence, cases[i].says))
            fail_msg("%s: \"%s\" does not say \"%s\"", cases[i].server, x->evidence, cases[i].says);
    }
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void large_offsets_and_other_zones_should_close_the_gate(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    set(&w, SP_TS_NTP_SERVER, "far.example");
    set(&w, SP_TS_DEST_TZ, "Pacific Standard Time");
    run(&w, 0, &f);
    assert_int_equal(testutil_find(&f, "timesync.internet")->title_id, IDS_F_TS_OFFSET_BAD);
    assert_string_equal(testutil_find(&f, "timesync.internet")->arg, "far.example (+6 h 0 min 0.000 s)");
    assert_string_equal(testutil_find(&f, "timesync.tz_differ")->arg,
                        "Eastern Standard Time here, Pacific Standard Time on the destination");
    /* The destination's offset decides once it answers: 7 minutes behind is too much. */
    set(&w, SP_TS_NTP_SERVER, "time.windows.com");
    set(&w, SP_TS_DESTINATION, "behind.example");
    run(&w, 0, &f);
    assert_int_equal(testutil_find(&f, "timesync.destination")->title_id, IDS_F_TS_OFFSET_BAD);
    assert_string_equal(testutil_find(&f, "timesync.destination")->arg, "behind.example (-7 min 0.000 s)");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void demo_should_pass_after_apply_with_the_destination_entered(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    testutil_world_open(&w, "resources/demo-sbs2003.json");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_string_equal(testutil_find(&f, "timesync.internet")->arg, "time.windows.com (-7 min 3.214 s)");
    set(&w, SP_TS_DESTINATION, "ESS01");
    set(&w, SP_TS_DEST_TZ, "Pacific Standard Time");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_string_equal(testutil_find(&f, "timesync.destination")->arg, "ESS01 (-7 min 1.870 s)");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    assert_string_equal(testutil_find(&f, "timesync.destination")->arg, "ESS01 (+1.344 s)");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void inputs_should_be_trimmed_and_report_changes(void **s)
{
    (void)s;
    sp_state *st = sp_state_new(1);
    assert_string_equal(sp_timesync_input(st, SP_TS_NTP_SERVER), "time.windows.com");
    assert_string_equal(sp_timesync_input(st, SP_TS_DESTINATION), "");
    assert_int_equal(sp_timesync_set_input(st, SP_TS_DESTINATION, "  ESS01 \r\n"), 1);
    assert_string_equal(sp_timesync_input(st, SP_TS_DESTINATION), "ESS01");
    assert_int_equal(sp_timesync_set_input(st, SP_TS_DESTINATION, "ESS01"), 0);
    assert_int_equal(sp_timesync_set_input(st, SP_TS_NTP_SERVER, ""), 0); /* the default */
    sp_state_free(st);
}

static void host_names_and_vm_strings_should_parse(void **s)
{
    (void)s;
    char host[64];
    unsigned port;
    assert_int_equal(sp_timesync_split_host("127.0.0.1:12345", host, sizeof host, &port), SP_OK);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 12345);
    assert_int_equal(sp_timesync_split_host("ess01.contoso.local", host, sizeof host, &port), SP_OK);
    assert_int_equal(port, 123);
    assert_int_equal(sp_timesync_split_host("a:0", host, sizeof host, &port), SP_ERR_INVALID);
    assert_int_equal(sp_timesync_split_host("a:", host, sizeof host, &port), SP_ERR_INVALID);
    assert_int_equal(sp_timesync_split_host(":1", host, sizeof host, &port), SP_ERR_INVALID);
    assert_int_equal(sp_timesync_split_host("fe80::1", host, sizeof host, &port), SP_ERR_INVALID);
    assert_string_equal(sp_timesync_vm_vendor("VMware, Inc.; VMware Virtual Platform"), "VMware");
    assert_string_equal(sp_timesync_vm_vendor("innotek GmbH; VirtualBox"), "VirtualBox");
    assert_string_equal(sp_timesync_vm_vendor("Microsoft Corporation; Virtual Machine"), "Hyper-V");
    assert_string_equal(sp_timesync_vm_vendor("QEMU; Standard PC (i440FX + PIIX, 1996)"), "KVM/QEMU");
    assert_string_equal(sp_timesync_vm_vendor("Xen; HVM domU"), "Xen");
    assert_null(sp_timesync_vm_vendor("DELL   - 1; Phoenix ROM BIOS PLUS Version 1.10 A05"));
}

static void a_bad_ntp_entry_in_a_profile_should_be_named(void **s)
{
    (void)s;
    static const char json[] = "{\"os\": {\"major\": 5}, \"ntp\": {\"x\": {\"reply\": \"maybe\"}}}";
    char err[200];
    assert_int_equal(testutil_sim_open_status(json, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "ntp.x.reply"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_should_report_config_zone_vm_and_offset_on_sbs2003),
        cmocka_unit_test(apply_should_journal_run_w32tm_restart_and_pass_then_undo_should_restore),
        cmocka_unit_test(apply_should_fail_with_the_reason_when_w32tm_is_missing),
        cmocka_unit_test(measurement_failures_should_say_what_went_wrong),
        cmocka_unit_test(large_offsets_and_other_zones_should_close_the_gate),
        cmocka_unit_test(demo_should_pass_after_apply_with_the_destination_entered),
        cmocka_unit_test(inputs_should_be_trimmed_and_report_changes),
        cmocka_unit_test(host_names_and_vm_strings_should_parse),
        cmocka_unit_test(a_bad_ntp_entry_in_a_profile_should_be_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
