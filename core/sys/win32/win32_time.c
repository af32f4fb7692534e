/* The win32 backend's time zone: GetTimeZoneInformation's names, biases and transition dates,
 * and on Vista and later the zone's key name from GetDynamicTimeZoneInformation (looked up at
 * run time: Server 2003's kernel32 does not have it). */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <string.h>

/* DYNAMIC_TIME_ZONE_INFORMATION as Vista's kernel32 fills it (not in the 0x0502 headers). */
typedef struct {
    TIME_ZONE_INFORMATION tzi;
    WCHAR key_name[128];
    BOOLEAN dynamic_dst_disabled;
} w32_dynamic_tzi;
typedef DWORD(WINAPI *get_dynamic_tzi_fn)(w32_dynamic_tzi *);

static void copy_date(const SYSTEMTIME *st, uint16_t out[8])
{
    out[0] = st->wYear, out[1] = st->wMonth, out[2] = st->wDayOfWeek, out[3] = st->wDay;
    out[4] = st->wHour, out[5] = st->wMinute, out[6] = st->wSecond, out[7] = st->wMilliseconds;
}

sp_status w32_time_zone(sp_sys *sys, sp_timezone *out)
{
    TIME_ZONE_INFORMATION tzi;
    HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
    get_dynamic_tzi_fn get_dynamic =
        k32 ? (get_dynamic_tzi_fn)(void (*)(void))GetProcAddress(k32,
                                                                 "GetDynamicTimeZoneInformation")
            : NULL;
    sp_status st;
    memset(out, 0, sizeof *out);
    if (GetTimeZoneInformation(&tzi) == TIME_ZONE_ID_INVALID)
        return w32_fail(sys, GetLastError(), "Could not read the time zone");
    out->bias_minutes = (int)tzi.Bias;
    out->standard_bias = (int)tzi.StandardBias;
    out->daylight_bias = (int)tzi.DaylightBias;
    copy_date(&tzi.StandardDate, out->standard_date);
    copy_date(&tzi.DaylightDate, out->daylight_date);
    tzi.StandardName[31] = L'\0';
    st = w32_copy_out(sys, tzi.StandardName, out->standard_name, sizeof out->standard_name,
                      "the time zone's name");
    if (st == SP_OK && get_dynamic) {
        w32_dynamic_tzi d;
        memset(&d, 0, sizeof d);
        if (get_dynamic(&d) != TIME_ZONE_ID_INVALID) {
            d.key_name[127] = L'\0';
            st = w32_copy_out(sys, d.key_name, out->key_name, sizeof out->key_name,
                              "the time zone's key name");
        }
    }
    return st;
}
