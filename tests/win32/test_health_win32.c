/* The health scan's win32 operations under Wine: volumes with GetDiskFreeSpaceExW, event logs
 * with ReadEventLogW, and the whole scan on the real backend. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/health/health.h"
#include "core/health/rules.h"
#include "core/session.h"
#include "core/sys/win32/win32.h"
#include "tests/win32/wtest.h"

WTEST(disk_space_should_report_the_system_volume)
{
    sp_sys *sys = sp_win32_open();
    uint64_t free_b = 0, total = 0;
    WCHECK_EQ_INT(sys->ops->disk_space(sys, "C:\\", &free_b, &total), SP_OK);
    WCHECK(total > 0);
    WCHECK(free_b <= total);
    sp_sys_close(sys);
}

WTEST(disk_space_should_say_a_missing_volume_is_not_found)
{
    sp_sys *sys = sp_win32_open();
    uint64_t free_b = 0, total = 0;
    WCHECK_EQ_INT(sys->ops->disk_space(sys, "Q:\\", &free_b, &total), SP_ERR_NOTFOUND);
    WCHECK(strstr(sys->last_error, "Q:") != NULL);
    WCHECK_EQ_INT(sys->ops->disk_space(sys, "", &free_b, &total), SP_ERR_INVALID);
    sp_sys_close(sys);
}

static int count_event(void *user, const sp_event *ev)
{
    (void)ev;
    ++*(unsigned *)user;
    return 0;
}

WTEST(event_query_should_refuse_a_log_this_server_does_not_have)
{
    sp_sys *sys = sp_win32_open();
    unsigned n = 0;
    WCHECK_EQ_INT(sys->ops->event_query(sys, "No Such Log", 0, count_event, &n), SP_ERR_NOTFOUND);
    WCHECK(strstr(sys->last_error, "No Such Log") != NULL);
    WCHECK_EQ_INT(n, 0);
    sp_sys_close(sys);
}

/* Wine registers the Application and System logs; reading returns what it has (often nothing). */
WTEST(event_query_should_read_the_system_log_or_say_why_not)
{
    sp_sys *sys = sp_win32_open();
    unsigned n = 0;
    sp_status st = sys->ops->event_query(sys, "System", 0, count_event, &n);
    wtest_note("System log: %s, %u records (%s)", sp_status_name(st), n, sys->last_error);
    WCHECK(st == SP_OK || st == SP_ERR_NOTFOUND || st == SP_ERR_IO || st == SP_ERR_UNSUPPORTED);
    if (st != SP_OK)
        WCHECK(sys->last_error[0] != '\0');
    sp_sys_close(sys);
}

WTEST(the_scan_should_run_on_the_real_backend_and_record_a_result)
{
    sp_sys *sys = sp_win32_open();
    sp_session s;
    sp_findings f = {0};
    sp_result r = SP_RESULT_NOT_RUN;
    sp_run_ctx ctx;
    WCHECK_EQ_INT(sp_session_open(&s, sys), SP_OK);
    ctx = sp_session_ctx(&s, NULL);
    WCHECK_EQ_INT(sp_step_run(&sp_step_health, &ctx, 0, &f, &r), SP_OK);
    /* Wine is no domain controller of an SBS: not applicable, or failing on its DC rules. */
    WCHECK(r == SP_RESULT_NOT_APPLICABLE || r == SP_RESULT_FAILED || r == SP_RESULT_PASSED);
    for (size_t i = 0; i < f.count; i++)
        wtest_note("%s %s %s", sp_severity_name(f.items[i].severity), f.items[i].code,
                   wtest_str_or_null(f.items[i].evidence));
    sp_findings_free(&f);
    sp_session_close(&s);
    sp_sys_close(sys);
}

WTEST_MAIN()
