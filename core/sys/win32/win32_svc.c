/* The win32 backend's services: state and start type, start and stop with a bounded wait. */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <stdlib.h>
#include <string.h>

/* How often a start or stop is checked on; services report progress in seconds. */
#define SVC_POLL_MS 100

static sp_svc_state map_state(DWORD s)
{
    switch (s) {
    case SERVICE_STOPPED: return SP_SVC_STOPPED;
    case SERVICE_START_PENDING: return SP_SVC_START_PENDING;
    case SERVICE_STOP_PENDING: return SP_SVC_STOP_PENDING;
    case SERVICE_RUNNING: return SP_SVC_RUNNING;
    /* Resuming is on its way to running; pausing leaves it not serving, like paused. */
    case SERVICE_CONTINUE_PENDING: return SP_SVC_START_PENDING;
    case SERVICE_PAUSE_PENDING: return SP_SVC_PAUSED;
    case SERVICE_PAUSED: return SP_SVC_PAUSED;
    default: return SP_SVC_UNKNOWN;
    }
}

/* Opens the service with the rights asked for; manager and service are closed by the caller. */
static sp_status open_service(sp_sys *sys, const char *name, DWORD access, const char *doing,
                              SC_HANDLE *scm, SC_HANDLE *svc)
{
    wchar_t *wname = NULL;
    sp_status st = SP_OK;
    *scm = NULL;
    *svc = NULL;
    if (!name || !name[0])
        return sp_sys_fail(sys, SP_ERR_INVALID, "Could not %s a service: no name was given.", doing);
    wname = w32_wide(name);
    if (!wname)
        return w32_nomem(sys, "open a service");
    *scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (!*scm) {
        st = w32_fail(sys, GetLastError(), "Could not %s service %s: the service manager refused",
                      doing, name);
        goto done;
    }
    *svc = OpenServiceW(*scm, wname, access);
    if (!*svc)
        st = w32_fail(sys, GetLastError(), "Could not %s service %s", doing, name);
done:
    free(wname);
    return st;
}

static void close_service(SC_HANDLE scm, SC_HANDLE svc)
{
    if (svc)
        CloseServiceHandle(svc);
    if (scm)
        CloseServiceHandle(scm);
}

sp_status w32_svc_query(sp_sys *sys, const char *name, sp_svcinfo *out)
{
    SC_HANDLE scm = NULL, svc = NULL;
    QUERY_SERVICE_CONFIGW *cfg = NULL;
    SERVICE_STATUS ss;
    memset(out, 0, sizeof *out);
    sp_status st = open_service(sys, name, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, "query",
                                &scm, &svc);
    if (st != SP_OK)
        goto done;
    if (!QueryServiceStatus(svc, &ss)) {
        st = w32_fail(sys, GetLastError(), "Could not query the state of service %s", name);
        goto done;
    }
    DWORD need = 0;
    if (!QueryServiceConfigW(svc, NULL, 0, &need) && GetLastError() != ERROR_INSUFFICIENT_BUFFER) {
        st = w32_fail(sys, GetLastError(), "Could not query the configuration of service %s", name);
        goto done;
    }
    cfg = malloc(need ? need : sizeof *cfg);
    if (!cfg) {
        st = w32_nomem(sys, "query a service");
        goto done;
    }
    if (!QueryServiceConfigW(svc, cfg, need, &need)) {
        st = w32_fail(sys, GetLastError(), "Could not query the configuration of service %s", name);
        goto done;
    }
    out->state = map_state(ss.dwCurrentState);
    out->start_type = (sp_svc_start)cfg->dwStartType;
done:
    free(cfg);
    close_service(scm, svc);
    return st;
}

/* Waits until the service reaches want, or stops on the way there, or time runs out. */
static sp_status wait_for_state(sp_sys *sys, SC_HANDLE svc, const char *name, DWORD want,
                                unsigned timeout_ms)
{
    DWORD start = GetTickCount();
    SERVICE_STATUS ss;
    for (;;) {
        if (!QueryServiceStatus(svc, &ss))
            return w32_fail(sys, GetLastError(), "Could not query the state of service %s", name);
        if (ss.dwCurrentState == want)
            return SP_OK;
        /* A service that failed during start falls back to stopped: say why, not "timeout". */
        if (want == SERVICE_RUNNING && ss.dwCurrentState == SERVICE_STOPPED) {
            DWORD code = ss.dwWin32ExitCode ? ss.dwWin32ExitCode : ERROR_SERVICE_NOT_ACTIVE;
            return w32_fail_as(sys, SP_ERR_IO, code, "Service %s stopped instead of starting", name);
        }
        DWORD elapsed = GetTickCount() - start;
        if (timeout_ms && elapsed >= timeout_ms)
            return sp_sys_fail(sys, SP_ERR_TIMEOUT,
                               "Service %s did not %s within %u ms.", name,
                               want == SERVICE_RUNNING ? "start" : "stop", timeout_ms);
        DWORD nap = SVC_POLL_MS;
        if (timeout_ms && timeout_ms - elapsed < nap)
            nap = timeout_ms - elapsed;
        Sleep(nap);
    }
}

sp_status w32_svc_start(sp_sys *sys, const char *name, unsigned timeout_ms)
{
    SC_HANDLE scm = NULL, svc = NULL;
    sp_status st = open_service(sys, name, SERVICE_START | SERVICE_QUERY_STATUS, "start", &scm,
                                &svc);
    if (st != SP_OK)
        goto done;
    if (!StartServiceW(svc, 0, NULL) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
        st = w32_fail(sys, GetLastError(), "Could not start service %s", name);
        goto done;
    }
    st = wait_for_state(sys, svc, name, SERVICE_RUNNING, timeout_ms);
done:
    close_service(scm, svc);
    return st;
}

sp_status w32_svc_stop(sp_sys *sys, const char *name, unsigned timeout_ms)
{
    SC_HANDLE scm = NULL, svc = NULL;
    SERVICE_STATUS ss;
    sp_status st = open_service(sys, name, SERVICE_STOP | SERVICE_QUERY_STATUS, "stop", &scm, &svc);
    if (st != SP_OK)
        goto done;
    /* Dependent services are not stopped for the caller: which ones may go is its decision,
     * and Windows' message names the problem. */
    if (!ControlService(svc, SERVICE_CONTROL_STOP, &ss) && GetLastError() != ERROR_SERVICE_NOT_ACTIVE) {
        st = w32_fail(sys, GetLastError(), "Could not stop service %s", name);
        goto done;
    }
    st = wait_for_state(sys, svc, name, SERVICE_STOPPED, timeout_ms);
done:
    close_service(scm, svc);
    return st;
}
