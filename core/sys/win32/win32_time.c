/* The win32 backend's time zone: the standard name and bias GetTimeZoneInformation gives. */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <string.h>

sp_status w32_time_zone(sp_sys *sys, sp_timezone *out)
{
    TIME_ZONE_INFORMATION tzi;
    memset(out, 0, sizeof *out);
    if (GetTimeZoneInformation(&tzi) == TIME_ZONE_ID_INVALID)
        return w32_fail(sys, GetLastError(), "Could not read the time zone");
    out->bias_minutes = (int)tzi.Bias;
    tzi.StandardName[31] = L'\0';
    return w32_copy_out(sys, tzi.StandardName, out->standard_name, sizeof out->standard_name,
                        "the time zone's name");
}
