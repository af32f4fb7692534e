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
#include "core/timesync/tzrule.h"
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

static void set_dword(sp_sys *sys, const char *key, const char *value, uint32_t d)
{
    sp_regval v = {0};
    assert_int_equal(sp_regval_set_dword(&v, d), SP_OK);
    assert_int_equal(sys->ops->reg_set(sys, SP_REG_VIEW_DEFAULT, key, value, &v), SP_OK);
    sp_regval_free(&v);
}

/* tests/profiles/sbs2003.json with tests/profiles/timesync/NAME.patch.json on top. */
static void open_patched(world *w, const char *name)
{
    char patch[128];
    snprintf(patch, sizeof patch, "tests/profiles/timesync/%s.patch.json", name);
    testutil_world_open_patched(w, "tests/profiles/sbs2003.json", patch, NULL);
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
                        "Eastern Standard Time \xe2\x86\x92 Pacific Standard Time");
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
    /* The demo is the PDC emulator on its own clock: the restart leaves it 7 minutes off, the
     * one-time correction from time.windows.com brings it within the limit. */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_string_equal(testutil_find(&f, "timesync.destination")->arg, "ESS01 (-7 min 1.870 s)");
    assert_non_null(testutil_find(&f, "timesync.offer_correction"));
    set(&w, SP_TS_CORRECT, "yes");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    assert_string_equal(testutil_find(&f, "timesync.destination")->arg, "ESS01 (+1.344 s)");
    assert_non_null(testutil_find(&f, "timesync.corrected"));
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

static void a_german_server_should_match_its_zone_by_rule_not_by_name(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_patched(&w, "german-tz");
    run(&w, 0, &f);
    /* No destination yet: the zone is named by its key, found by its TZI (2003 has no
     * TimeZoneKeyName), Romance having the same rule but another Std. */
    x = testutil_find(&f, "timesync.tz_ask");
    assert_non_null(x);
    assert_string_equal(x->arg, "W. Europe Standard Time");
    assert_non_null(strstr(x->evidence, "by TZI"));
    assert_non_null(strstr(x->evidence, "Mitteleuropäische Zeit"));
    /* The key, the German display name and a zone with the same rule all pass. */
    set(&w, SP_TS_DEST_TZ, "W. Europe Standard Time");
    run(&w, 0, &f);
    assert_string_equal(testutil_find(&f, "timesync.tz_same")->arg, "W. Europe Standard Time");
    set(&w, SP_TS_DEST_TZ, "(UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien");
    run(&w, 0, &f);
    assert_string_equal(testutil_find(&f, "timesync.tz_same")->arg, "W. Europe Standard Time");
    set(&w, SP_TS_DEST_TZ, "Romance Standard Time");
    run(&w, 0, &f);
    assert_non_null(testutil_find(&f, "timesync.tz_same"));
    /* Another rule differs; a name that is no zone says so. */
    set(&w, SP_TS_DEST_TZ, "GMT Standard Time");
    run(&w, 0, &f);
    assert_string_equal(testutil_find(&f, "timesync.tz_differ")->arg,
                        "W. Europe Standard Time \xe2\x86\x92 GMT Standard Time");
    set(&w, SP_TS_DEST_TZ, "Mitteleuropa");
    run(&w, 0, &f);
    x = testutil_find(&f, "timesync.tz_not_zone");
    assert_non_null(x);
    assert_int_equal(x->severity, SP_SEV_ERROR);
    assert_non_null(strstr(x->evidence, "is not a time zone"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void same_bias_without_daylight_saving_should_differ(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    /* Arizona and Mountain share UTC-7 in winter only: the rule tells them apart. */
    {
        sp_timezone arizona = {.bias_minutes = 420}, mountain = arizona;
        char key[64];
        sp_tz_rule r;
        assert_int_equal(sp_tz_current_key(w.sim, &arizona, key, sizeof key), SP_OK);
        assert_string_equal(key, "US Mountain Standard Time");
        assert_int_equal(sp_tz_key_rule(w.sim, "Mountain Standard Time", &r), SP_OK);
        memcpy(mountain.standard_date, r.standard_date, sizeof r.standard_date);
        memcpy(mountain.daylight_date, r.daylight_date, sizeof r.daylight_date);
        mountain.daylight_bias = -60;
        assert_int_equal(sp_tz_current_key(w.sim, &mountain, key, sizeof key), SP_OK);
        assert_string_equal(key, "Mountain Standard Time");
        /* Vista and later name the key: it is taken as it is. */
        snprintf(mountain.key_name, sizeof mountain.key_name, "Mountain Standard Time");
        assert_int_equal(sp_tz_current_key(w.sim, &mountain, key, sizeof key), SP_OK);
        assert_string_equal(key, "Mountain Standard Time");
    }
    set(&w, SP_TS_DEST_TZ, "Central Standard Time");
    run(&w, 0, &f);
    assert_non_null(testutil_find(&f, "timesync.tz_differ"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void tzi_values_should_parse_and_compare_by_rule(void **s)
{
    (void)s;
    /* Pacific: 480, 0, -60, first Sunday of November 02:00, second Sunday of March 02:00. */
    static const unsigned char pacific[44] = {
        0xe0, 0x01, 0, 0, 0, 0, 0, 0, 0xc4, 0xff, 0xff, 0xff, 0, 0, 11, 0, 0, 0, 1, 0, 2, 0,
        0,    0,    0, 0, 0, 0, 0,    0,    3,    0,    0, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0};
    sp_tz_rule r, t;
    char why[128], text[200];
    assert_int_equal(sp_tz_rule_parse(pacific, sizeof pacific, &r, why, sizeof why), SP_OK);
    assert_int_equal(r.bias, 480);
    assert_int_equal(r.daylight_bias, -60);
    sp_tz_rule_describe(&r, text, sizeof text);
    assert_string_equal(text, "UTC-08:00, daylight saving (+60 min) 2nd Sun of Mar 02:00 to "
                              "1st Sun of Nov 02:00");
    t = r;
    assert_true(sp_tz_rule_equal(&r, &t));
    t.daylight_date[3] = 1; /* another transition week */
    assert_false(sp_tz_rule_equal(&r, &t));
    t = r;
    t.bias = 420, t.standard_bias = 60; /* the same standard offset, written otherwise */
    t.daylight_bias = 0;
    assert_true(sp_tz_rule_equal(&r, &t));
    assert_int_equal(sp_tz_rule_parse(pacific, 43, &r, why, sizeof why), SP_ERR_BADDATA);
    assert_non_null(strstr(why, "43"));
    {
        unsigned char bad[44];
        memcpy(bad, pacific, sizeof bad);
        bad[14] = 13; /* month 13 */
        assert_int_equal(sp_tz_rule_parse(bad, sizeof bad, &r, why, sizeof why), SP_ERR_BADDATA);
    }
}

static void the_service_should_be_read_from_the_registry_only(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_patched(&w, "pdc-cmos");
    run(&w, 0, &f);
    x = testutil_find(&f, "timesync.config_ok");
    assert_non_null(x);
    assert_non_null(strstr(x->evidence, "TimeProviders\\NtpClient\\Enabled=1"));
    assert_non_null(strstr(x->evidence, "MaxPosPhaseCorrection=0xFFFFFFFF (no limit)"));
    assert_null(strstr(x->evidence, "w32tm"));
    /* The NTP client switched off is seen from its Enabled value. */
    set_dword(w.sim, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\TimeProviders\\NtpClient",
              "Enabled", 0);
    run(&w, 0, &f);
    assert_non_null(testutil_find(&f, "timesync.client_off"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void the_pdc_on_its_own_clock_should_be_corrected_once_and_undone(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    size_t undone = 0;
    char type[32], server[64];
    open_patched(&w, "pdc-cmos");
    set(&w, SP_TS_DEST_TZ, "Eastern Standard Time");
    /* The check: the document's configuration is in place, and 7 minutes off. */
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "timesync.pdc_own_clock"));
    x = testutil_find(&f, "timesync.offer_correction");
    assert_non_null(x);
    assert_int_equal(x->severity, SP_SEV_ERROR);
    assert_string_equal(x->arg, "time.windows.com");
    /* Apply without the correction chosen: the restart leaves the clock as it was. */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_string_equal(testutil_find(&f, "timesync.internet")->arg, "time.windows.com (+7 min 0.000 s)");
    assert_null(testutil_find(&f, "timesync.corrected"));
    assert_int_equal(sp_journal_count(w.session.journal), 2);
    /* Chosen: the manual peer, the resync, and the document's configuration back. */
    set(&w, SP_TS_CORRECT, "yes");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    x = testutil_find(&f, "timesync.corrected");
    assert_non_null(x);
    assert_string_equal(x->arg, "time.windows.com: +7 min 0.000 s \xe2\x86\x92 +0.000 s");
    assert_non_null(strstr(x->evidence, "/manualpeerlist:time.windows.com,0x8"));
    assert_string_equal(testutil_find(&f, "timesync.internet")->arg, "time.windows.com (+0.000 s)");
    assert_null(testutil_find(&f, "timesync.offer_correction"));
    assert_int_equal(sp_reg_get_string(w.sim, SP_REG_VIEW_DEFAULT,
                                       "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters",
                                       "Type", type, sizeof type), SP_OK);
    assert_string_equal(type, "NT5DS");
    assert_int_equal(sp_reg_get_string(w.sim, SP_REG_VIEW_DEFAULT,
                                       "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters",
                                       "NtpServer", server, sizeof server), SP_OK);
    assert_string_equal(server, "time.windows.com,0x9");
    /* 2 + 2 (document) + 4 (correction) changes; undo puts every value back. */
    assert_int_equal(sp_journal_count(w.session.journal), 8);
    assert_int_equal(sp_journal_undo(w.session.journal, "timesync", &undone), SP_OK);
    assert_int_equal(undone, 8);
    assert_int_equal(sp_reg_get_string(w.sim, SP_REG_VIEW_DEFAULT,
                                       "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters",
                                       "NtpServer", server, sizeof server), SP_OK);
    assert_string_equal(server, "time.windows.com,0x9");
    assert_int_equal(announce_flags(&w), 10);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void a_limit_w32time_refuses_should_be_shown_not_passed(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_patched(&w, "pdc-cmos");
    set_dword(w.sim, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config",
              "MaxPosPhaseCorrection", 300);
    set(&w, SP_TS_DEST_TZ, "Eastern Standard Time");
    set(&w, SP_TS_CORRECT, "yes");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    x = testutil_find(&f, "timesync.correction_failed");
    assert_non_null(x);
    assert_int_equal(x->severity, SP_SEV_ERROR);
    assert_string_equal(x->arg, "time.windows.com: +7 min 0.000 s \xe2\x86\x92 +7 min 0.000 s");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void hyperv_time_sync_should_say_what_to_check_on_the_host(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_patched(&w, "hyperv-sync");
    run(&w, 0, &f);
    x = testutil_find(&f, "timesync.vm_sync");
    assert_non_null(x);
    assert_string_equal(x->arg, "Hyper-V");
    assert_int_equal(x->advice_id, IDS_F_TS_VM_SYNC_HYPERV_ADVICE);
    assert_non_null(strstr(x->evidence, "vmictimesync"));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* Without the service, the BIOS strings alone say "a VM", not "the host sets the clock". */
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    run(&w, 0, &f);
    assert_non_null(testutil_find(&f, "timesync.vm"));
    assert_null(testutil_find(&f, "timesync.vm_sync"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_should_report_config_zone_vm_and_offset_on_sbs2003),
        cmocka_unit_test(a_german_server_should_match_its_zone_by_rule_not_by_name),
        cmocka_unit_test(same_bias_without_daylight_saving_should_differ),
        cmocka_unit_test(tzi_values_should_parse_and_compare_by_rule),
        cmocka_unit_test(the_service_should_be_read_from_the_registry_only),
        cmocka_unit_test(the_pdc_on_its_own_clock_should_be_corrected_once_and_undone),
        cmocka_unit_test(a_limit_w32time_refuses_should_be_shown_not_passed),
        cmocka_unit_test(hyperv_time_sync_should_say_what_to_check_on_the_host),
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
