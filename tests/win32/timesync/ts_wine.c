/* The time sync step on the real win32 backend under Wine: Winsock SNTP against the loopback
 * server of tests/env/sntp_server.py, and apply with a fake w32tm.exe and a test W32Time service.
 * Run by tests/env/timesync-wine.sh, which starts those and passes SP_SNTP_BASE. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/session.h"
#include "core/timesync/sntp.h"
#include "core/sys/win32/win32.h"
#include "core/timesync/timesync.h"
#include "core/timesync/tzrule.h"
#include "tests/win32/wtest.h"

#define TS_PARAMS "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters"

static unsigned port_of(int k)
{
    const char *base = getenv("SP_SNTP_BASE");
    return (unsigned)(base ? atoi(base) : 0) + (unsigned)k;
}

/* Peers as the script starts them: base+0 -7 min, +1 -4 min 59 s, +2 +3 s, +3 +6 h, +4 garbage,
 * +5 silent, +6 unsynchronised (leap 3), +7 kiss-o'-death (stratum 0). */
static void measure_within_50ms(int k, long long truth_ms)
{
    sp_sys *sys = sp_win32_open();
    sp_sntp_result r;
    sp_status st = sp_sntp_measure(sys, "127.0.0.1", port_of(k), 4, 2000, NULL, &r);
    WCHECK_MSG(st == SP_OK, "port %u: %s", port_of(k), sys->last_error);
    wtest_note("port %u: offset %lld us, delay %lld us", port_of(k), (long long)r.offset_us,
               (long long)r.delay_us);
    WCHECK_MSG(llabs(r.offset_us - truth_ms * 1000) <= 50000, "offset %lld us, truth %lld ms",
               (long long)r.offset_us, truth_ms);
    WCHECK_EQ_INT(r.answered, 4);
    sp_sys_close(sys);
}

WTEST(sntp_should_measure_minus_7_minutes) { measure_within_50ms(0, -420000); }
WTEST(sntp_should_measure_minus_4_min_59_s) { measure_within_50ms(1, -299000); }
WTEST(sntp_should_measure_plus_3_s) { measure_within_50ms(2, 3000); }
WTEST(sntp_should_measure_plus_6_hours) { measure_within_50ms(3, 6LL * 3600 * 1000); }

static void measure_fails(int k, sp_status want, const char *says)
{
    sp_sys *sys = sp_win32_open();
    sp_sntp_result r;
    WCHECK_EQ_INT(sp_sntp_measure(sys, "127.0.0.1", port_of(k), 2, 500, NULL, &r), want);
    WCHECK_MSG(strstr(sys->last_error, says) != NULL, "%s", sys->last_error);
    sp_sys_close(sys);
}

WTEST(sntp_should_reject_garbage) { measure_fails(4, SP_ERR_BADDATA, "bytes, an NTP packet"); }
WTEST(sntp_should_time_out_on_a_silent_server) { measure_fails(5, SP_ERR_TIMEOUT, "did not answer"); }
WTEST(sntp_should_reject_an_unsynchronised_server) { measure_fails(6, SP_ERR_BADDATA, "not synchronised"); }
WTEST(sntp_should_report_a_kiss_of_death) { measure_fails(7, SP_ERR_BADDATA, "kiss code"); }

WTEST(udp_exchange_should_say_a_name_does_not_resolve)
{
    sp_sys *sys = sp_win32_open();
    unsigned char reply[64];
    size_t n = 0;
    int64_t a, b;
    WCHECK_EQ_INT(sys->ops->udp_exchange(sys, "nosuchhost.invalid", 123, "x", 1, 500, reply,
                                         sizeof reply, &n, &a, &b), SP_ERR_NOTFOUND);
    WCHECK(strstr(sys->last_error, "nosuchhost.invalid") != NULL);
    sp_sys_close(sys);
}

WTEST(time_zone_should_name_the_current_zone)
{
    sp_sys *sys = sp_win32_open();
    sp_timezone tz;
    WCHECK_EQ_INT(sys->ops->time_zone(sys, &tz), SP_OK);
    wtest_note("time zone: %s, bias %d, key \"%s\"", tz.standard_name, tz.bias_minutes,
               tz.key_name);
    WCHECK(tz.standard_name[0] != '\0');
    {
        /* By rule: the key found from the registry's TZI values has the rule in force. */
        sp_timezone no_key = tz;
        sp_tz_rule here, there;
        char key[128];
        no_key.key_name[0] = '\0';
        WCHECK_MSG(sp_tz_current_key(sys, &no_key, key, sizeof key) == SP_OK, "%s",
                   sys->last_error);
        wtest_note("zone key by TZI: %s", key);
        sp_tz_rule_of(&tz, &here);
        WCHECK_EQ_INT(sp_tz_key_rule(sys, key, &there), SP_OK);
        WCHECK(sp_tz_rule_equal(&here, &there));
    }
    sp_sys_close(sys);
}

static char *read_all(const wchar_t *path)
{
    FILE *f = _wfopen(path, L"rb");
    char *buf = calloc(1, 4096);
    if (f && buf) {
        fread(buf, 1, 4095, f);
        fclose(f);
    }
    return buf;
}

WTEST(apply_should_run_w32tm_restart_w32time_pass_and_undo)
{
    sp_sys *sys = sp_win32_open();
    sp_session s;
    sp_timezone tz;
    sp_findings f = {0};
    sp_result r = SP_RESULT_NOT_RUN;
    char ntp[64], dest[64], *args, *log, type[32];
    size_t undone = 0;
    _wremove(L"C:\\sp-w32tm-args.txt");
    _wremove(L"C:\\sp-w32time-log.txt");
    WCHECK_EQ_INT(sp_session_open(&s, sys), SP_OK);
    WCHECK_EQ_INT(sys->ops->time_zone(sys, &tz), SP_OK);
    snprintf(ntp, sizeof ntp, "127.0.0.1:%u", port_of(2));
    snprintf(dest, sizeof dest, "127.0.0.1:%u", port_of(1));
    sp_timesync_set_input(s.state, SP_TS_NTP_SERVER, ntp);
    sp_timesync_set_input(s.state, SP_TS_DESTINATION, dest);
    sp_timesync_set_input(s.state, SP_TS_DEST_TZ, tz.standard_name);
    sp_run_ctx ctx = sp_session_ctx(&s, NULL);
    sp_status st = sp_step_run(sp_step_find("timesync"), &ctx, 1, &f, &r);
    WCHECK_MSG(st == SP_OK, "apply: %s", sys->last_error);
    for (size_t i = 0; i < f.count; i++)
        wtest_note("%s: %s | %s", f.items[i].code, wtest_str_or_null(f.items[i].arg),
                   wtest_str_or_null(f.items[i].evidence));
    WCHECK_EQ_INT(r, SP_RESULT_PASSED);
    args = read_all(L"C:\\sp-w32tm-args.txt");
    log = read_all(L"C:\\sp-w32time-log.txt");
    {
        /* By full path from the system folder, never by bare name (a planted w32tm.exe). */
        wchar_t wsys[MAX_PATH];
        char want[MAX_PATH * 3 + 80];
        UINT n = GetSystemDirectoryW(wsys, MAX_PATH);
        WCHECK(n > 0 && n < MAX_PATH);
        WideCharToMultiByte(CP_UTF8, 0, wsys, -1, want, MAX_PATH * 3, NULL, NULL);
        strcat(want, "\\w32tm.exe /config /syncfromflags:domhier /reliable:no /update\n");
        WCHECK_MSG(strcmp(args, want) == 0, "w32tm ran as: %s (want %s)", args, want);
    }
    WCHECK_MSG(strcmp(log, "stop\nstart\n") == 0 || strcmp(log, "start\nstop\nstart\n") == 0,
               "service log: %s", log);
    free(args);
    free(log);
    WCHECK_EQ_INT(sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, TS_PARAMS, "Type", type, sizeof type),
                  SP_OK);
    WCHECK_EQ_STR(type, "NT5DS");
    WCHECK_EQ_INT(sp_journal_undo(s.journal, "timesync", &undone), SP_OK);
    WCHECK_EQ_INT(undone, 2);
    /* Wine's registry had no W32Time parameters: undo leaves none. */
    WCHECK_EQ_INT(sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, TS_PARAMS, "Type", type, sizeof type),
                  SP_ERR_NOTFOUND);
    sp_findings_free(&f);
    sp_session_close(&s);
    sp_sys_close(sys);
}

WTEST_MAIN()
