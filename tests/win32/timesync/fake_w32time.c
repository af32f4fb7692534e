/* A test service registered as W32Time under Wine: logs each start and stop to
 * C:\sp-w32time-log.txt so that the test can assert the restart went through the SCM. */
#include <windows.h>

#include <stdio.h>

static SERVICE_STATUS_HANDLE status_handle;
static SERVICE_STATUS status;
static HANDLE stop_event;

static void log_line(const char *what)
{
    FILE *f = _wfopen(L"C:\\sp-w32time-log.txt", L"ab");
    if (f) {
        fprintf(f, "%s\n", what);
        fclose(f);
    }
}

static void report(DWORD state)
{
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP : 0;
    SetServiceStatus(status_handle, &status);
}

static DWORD WINAPI handler(DWORD control, DWORD type, void *data, void *ctx)
{
    (void)type, (void)data, (void)ctx;
    if (control == SERVICE_CONTROL_STOP) {
        report(SERVICE_STOP_PENDING);
        SetEvent(stop_event);
    }
    return NO_ERROR;
}

static void WINAPI service_main(DWORD argc, wchar_t **argv)
{
    (void)argc, (void)argv;
    status_handle = RegisterServiceCtrlHandlerExW(L"W32Time", handler, NULL);
    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    log_line("start");
    report(SERVICE_RUNNING);
    WaitForSingleObject(stop_event, INFINITE);
    log_line("stop");
    report(SERVICE_STOPPED);
}

int wmain(void)
{
    SERVICE_TABLE_ENTRYW table[] = {{L"W32Time", service_main}, {NULL, NULL}};
    return StartServiceCtrlDispatcherW(table) ? 0 : 1;
}
