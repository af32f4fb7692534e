/* LOB planning step: the line-of-business plan, kept by hand until the inventory lands. */
#include "core/steps.h"

static sp_status lob_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    return sp_step_require_manual(ctx, "lob", out, result);
}

const sp_step sp_step_lob = {"lob", lob_check, NULL};
