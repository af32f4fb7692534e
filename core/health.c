/* Health scan step: the Best Practices Analyzer's work, checked by hand until the rules engine lands. */
#include "core/steps.h"

static sp_status health_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    return sp_step_require_manual(ctx, "health", out, result);
}

const sp_step sp_step_health = {"health", health_check, NULL};
