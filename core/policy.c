/* Policy cleanup step: applies to 2003-era sources only, as the document says. */
#include "core/msgids.h"
#include "core/steps.h"

static sp_status policy_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    if (sp_step_not_for_this_server(ctx, "policy")) {
        *result = SP_RESULT_NOT_APPLICABLE;
        return sp_findings_add(out, SP_SEV_INFO, "policy.not_2003", IDS_F_POLICY_NOT_2003, 0,
                               ctx->info->product_name, NULL);
    }
    sp_status st = sp_findings_add(out, SP_SEV_INFO, "policy.applies", IDS_F_POLICY_2003, 0,
                                   ctx->info ? ctx->info->product_name : "", NULL);
    if (st != SP_OK)
        return st;
    return sp_step_require_manual(ctx, "policy", out, result);
}

const sp_step sp_step_policy = {"policy", policy_check, NULL};
