/* The win32 backend's Windows Event Log channels (Vista/2008 and later): EvtQuery, EvtNext and
 * EvtRender of wevtapi.dll, looked up at run time so that the exe still starts on Server 2003,
 * which has no wevtapi (there the channel is simply "not found"). */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <stdlib.h>
#include <string.h>

/* winevt.h declares these only for _WIN32_WINNT >= 0x0600: the few that are used, as
 * documented for wevtapi.dll. */
typedef HANDLE evt_handle;
typedef struct {
    union {
        BYTE byte_val;
        UINT16 uint16_val;
        UINT64 filetime_val;
        LPCWSTR string_val;
        UINT64 pad;
    } v;
    DWORD count;
    DWORD type;
} evt_variant;

#define EVT_QUERY_CHANNEL_PATH 0x1
#define EVT_QUERY_REVERSE_DIRECTION 0x200
#define EVT_RENDER_CONTEXT_SYSTEM 1
#define EVT_RENDER_EVENT_VALUES 0
#define EVT_SYSTEM_PROVIDER_NAME 0
#define EVT_SYSTEM_EVENT_ID 2
#define EVT_SYSTEM_LEVEL 4
#define EVT_SYSTEM_TIME_CREATED 8
#define EVT_VAR_TYPE_STRING 1
#define EVT_VAR_TYPE_BYTE 4
#define EVT_VAR_TYPE_UINT16 6
#define EVT_VAR_TYPE_FILETIME 17
#define ERROR_EVT_CHANNEL_NOT_FOUND_ 15007
#define BATCH 16

typedef evt_handle(WINAPI *evt_query_fn)(evt_handle, LPCWSTR, LPCWSTR, DWORD);
typedef BOOL(WINAPI *evt_next_fn)(evt_handle, DWORD, evt_handle *, DWORD, DWORD, DWORD *);
typedef evt_handle(WINAPI *evt_create_render_context_fn)(DWORD, LPCWSTR *, DWORD);
typedef BOOL(WINAPI *evt_render_fn)(evt_handle, evt_handle, DWORD, DWORD, PVOID, DWORD *, DWORD *);
typedef BOOL(WINAPI *evt_close_fn)(evt_handle);

typedef struct {
    evt_query_fn query;
    evt_next_fn next;
    evt_create_render_context_fn context;
    evt_render_fn render;
    evt_close_fn close;
} evt_api;

static int load_api(evt_api *a)
{
    HMODULE dll = w32_load_system_dll(L"wevtapi.dll");
    if (!dll)
        return 0;
    a->query = (evt_query_fn)(void (*)(void))GetProcAddress(dll, "EvtQuery");
    a->next = (evt_next_fn)(void (*)(void))GetProcAddress(dll, "EvtNext");
    a->context = (evt_create_render_context_fn)(void (*)(void))GetProcAddress(dll, "EvtCreateRenderContext");
    a->render = (evt_render_fn)(void (*)(void))GetProcAddress(dll, "EvtRender");
    a->close = (evt_close_fn)(void (*)(void))GetProcAddress(dll, "EvtClose");
    return a->query && a->next && a->context && a->render && a->close; /* the DLL stays loaded */
}

/* The system values of one event into ev; 0 when it could not be rendered. */
static int render(const evt_api *a, evt_handle ctx, evt_handle e, BYTE **buf, DWORD *size, sp_event *ev,
                  char **source)
{
    DWORD used = 0, count = 0;
    if (!a->render(ctx, e, EVT_RENDER_EVENT_VALUES, *size, *buf, &used, &count)) {
        if (GetLastError() != ERROR_INSUFFICIENT_BUFFER)
            return 0;
        BYTE *bigger = realloc(*buf, used);
        if (!bigger)
            return 0;
        *buf = bigger, *size = used;
        if (!a->render(ctx, e, EVT_RENDER_EVENT_VALUES, *size, *buf, &used, &count))
            return 0;
    }
    const evt_variant *v = (const evt_variant *)*buf;
    if (count <= EVT_SYSTEM_TIME_CREATED)
        return 0;
    *source = v[EVT_SYSTEM_PROVIDER_NAME].type == EVT_VAR_TYPE_STRING && v[EVT_SYSTEM_PROVIDER_NAME].v.string_val
                  ? w32_utf8(v[EVT_SYSTEM_PROVIDER_NAME].v.string_val)
                  : NULL;
    ev->source = *source ? *source : "";
    ev->id = v[EVT_SYSTEM_EVENT_ID].type == EVT_VAR_TYPE_UINT16 ? v[EVT_SYSTEM_EVENT_ID].v.uint16_val : 0;
    /* Level 1 critical and 2 error are EVENTLOG_ERROR_TYPE, 3 a warning, the rest information. */
    BYTE level = v[EVT_SYSTEM_LEVEL].type == EVT_VAR_TYPE_BYTE ? v[EVT_SYSTEM_LEVEL].v.byte_val : 4;
    ev->type = level == 1 || level == 2 ? EVENTLOG_ERROR_TYPE : level == 3 ? EVENTLOG_WARNING_TYPE
                                                                            : EVENTLOG_INFORMATION_TYPE;
    /* FILETIME: 100 ns since 1601; Unix seconds from it. */
    UINT64 ft = v[EVT_SYSTEM_TIME_CREATED].type == EVT_VAR_TYPE_FILETIME ? v[EVT_SYSTEM_TIME_CREATED].v.filetime_val : 0;
    ev->time = ft ? (int64_t)(ft / 10000000ULL) - 11644473600LL : 0;
    return 1;
}

sp_status w32_evt_query(sp_sys *sys, const char *channel, int64_t since, sp_event_cb cb, void *user)
{
    evt_api a;
    evt_handle q, ctx, events[BATCH];
    DWORD got = 0, size = 4096;
    BYTE *buf;
    sp_status st = SP_OK;
    int stop = 0;
    if (!load_api(&a))
        return sp_sys_fail(sys, SP_ERR_NOTFOUND,
                           "This Windows has no %s event log (no wevtapi.dll: Windows Server 2003).", channel);
    wchar_t *wch = w32_wide(channel);
    if (!wch)
        return w32_nomem(sys, "open an event log");
    q = a.query(NULL, wch, L"*", EVT_QUERY_CHANNEL_PATH | EVT_QUERY_REVERSE_DIRECTION);
    free(wch);
    if (!q) {
        DWORD err = GetLastError();
        if (err == ERROR_EVT_CHANNEL_NOT_FOUND_)
            return sp_sys_fail(sys, SP_ERR_NOTFOUND, "This server has no %s event log.", channel);
        if (err == ERROR_CALL_NOT_IMPLEMENTED)
            return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "The %s event log cannot be read here (EvtQuery is not implemented).", channel);
        return w32_fail(sys, err, "Could not open the %s event log", channel);
    }
    if (!(ctx = a.context(0, NULL, EVT_RENDER_CONTEXT_SYSTEM))) {
        st = w32_fail(sys, GetLastError(), "Could not read the %s event log", channel);
        a.close(q);
        return st;
    }
    if (!(buf = malloc(size))) {
        a.close(ctx);
        a.close(q);
        return w32_nomem(sys, "read an event log");
    }
    while (!stop && a.next(q, BATCH, events, INFINITE, 0, &got)) {
        for (DWORD i = 0; i < got; i++) {
            sp_event ev;
            char *source = NULL;
            if (!stop && render(&a, ctx, events[i], &buf, &size, &ev, &source)) {
                if (ev.time < since)
                    stop = 1; /* newest first: the rest is older still */
                else if (cb(user, &ev))
                    stop = 1;
            }
            free(source);
            a.close(events[i]);
        }
    }
    if (!stop && GetLastError() != ERROR_NO_MORE_ITEMS)
        st = w32_fail(sys, GetLastError(), "Could not read the %s event log", channel);
    free(buf);
    a.close(ctx);
    a.close(q);
    return st;
}
