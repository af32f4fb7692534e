/* Time sync step: the w32tm configuration and offsets, checked by hand until the SNTP client lands. */
#include "core/steps.h"

static sp_status timesync_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    return sp_step_require_manual(ctx, "timesync", out, result);
}

const sp_step sp_step_timesync = {"timesync", timesync_check, NULL};
