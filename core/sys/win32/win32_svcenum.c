/* The win32 backend's service list: EnumServicesStatusW, then each one's configuration. */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <stdlib.h>
#include <string.h>

static sp_svc_state enum_state(DWORD s)
{
    switch (s) {
    case SERVICE_STOPPED: return SP_SVC_STOPPED;
    case SERVICE_START_PENDING:
    case SERVICE_CONTINUE_PENDING: return SP_SVC_START_PENDING;
    case SERVICE_STOP_PENDING: return SP_SVC_STOP_PENDING;
    case SERVICE_RUNNING: return SP_SVC_RUNNING;
    case SERVICE_PAUSE_PENDING:
    case SERVICE_PAUSED: return SP_SVC_PAUSED;
    default: return SP_SVC_UNKNOWN;
    }
}

/* The configured image path and start type; a service we may not read is reported without them. */
static void read_config(SC_HANDLE scm, const wchar_t *name, char **image, sp_svc_start *start)
{
    SC_HANDLE svc = OpenServiceW(scm, name, SERVICE_QUERY_CONFIG);
    QUERY_SERVICE_CONFIGW *cfg = NULL;
    DWORD need = 0;
    *image = NULL;
    *start = SP_SVC_START_DEMAND;
    if (!svc)
        return;
    if (!QueryServiceConfigW(svc, NULL, 0, &need) && GetLastError() == ERROR_INSUFFICIENT_BUFFER &&
        (cfg = malloc(need)) != NULL && QueryServiceConfigW(svc, cfg, need, &need)) {
        *start = (sp_svc_start)cfg->dwStartType;
        if (cfg->lpBinaryPathName)
            *image = w32_utf8(cfg->lpBinaryPathName);
    }
    free(cfg);
    CloseServiceHandle(svc);
}

sp_status w32_svc_enum(sp_sys *sys, sp_svc_cb cb, void *user)
{
    SC_HANDLE scm = NULL;
    ENUM_SERVICE_STATUSW *buf = NULL;
    DWORD size = 64 * 1024, need = 0, count = 0, resume = 0;
    sp_status st = SP_OK;
    int stop = 0;

    if (!cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "Could not list the services: no callback was given.");
    scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE);
    if (!scm)
        return w32_fail(sys, GetLastError(), "Could not list the services: the service manager refused");
    buf = malloc(size);
    if (!buf) {
        st = w32_nomem(sys, "list the services");
        goto done;
    }
    do {
        BOOL more;
        DWORD err = 0;
        count = 0;
        more = !EnumServicesStatusW(scm, SERVICE_WIN32, SERVICE_STATE_ALL, buf, size, &need, &count,
                                    &resume);
        if (more) {
            err = GetLastError();
            if (err != ERROR_MORE_DATA) {
                st = w32_fail(sys, err, "Could not list the services");
                goto done;
            }
        }
        for (DWORD i = 0; i < count && !stop; i++) {
            sp_svc_entry e;
            char *name = w32_utf8(buf[i].lpServiceName);
            char *display = w32_utf8(buf[i].lpDisplayName ? buf[i].lpDisplayName : L"");
            char *image = NULL;
            sp_svc_start start;
            read_config(scm, buf[i].lpServiceName, &image, &start);
            if (!name || !display) {
                free(name);
                free(display);
                free(image);
                st = w32_nomem(sys, "list the services");
                goto done;
            }
            e.name = name;
            e.display = display;
            e.image = image ? image : "";
            e.state = enum_state(buf[i].ServiceStatus.dwCurrentState);
            e.start_type = start;
            stop = cb(user, &e);
            free(name);
            free(display);
            free(image);
        }
        if (!more || stop)
            break;
        if (count == 0 && need > size) {
            /* One entry did not fit: grow the buffer and go on from where Windows stopped. */
            ENUM_SERVICE_STATUSW *bigger = realloc(buf, need);
            if (!bigger) {
                st = w32_nomem(sys, "list the services");
                goto done;
            }
            buf = bigger;
            size = need;
        }
    } while (1);
done:
    free(buf);
    CloseServiceHandle(scm);
    return st;
}
