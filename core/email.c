/* Email migration step: applies when Exchange is on the source server. */
#include <stdio.h>

#include "core/msgids.h"
#include "core/steps.h"

static sp_status email_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    char name[64];
    if (sp_step_not_for_this_server(ctx, "email")) {
        *result = SP_RESULT_NOT_APPLICABLE;
        return sp_findings_add(out, SP_SEV_INFO, "email.no_exchange", IDS_F_EMAIL_NO_EXCHANGE, 0,
                               NULL, NULL);
    }
    if (ctx->info) {
        if (ctx->info->exchange_sp)
            snprintf(name, sizeof name, "%s SP%u", ctx->info->exchange_name, ctx->info->exchange_sp);
        else
            snprintf(name, sizeof name, "%s", ctx->info->exchange_name);
        sp_status st = sp_findings_add(out, SP_SEV_WARNING, "email.exchange", IDS_F_EMAIL_EXCHANGE,
                                       IDS_F_EMAIL_EXCHANGE_ADVICE, name, NULL);
        if (st != SP_OK)
            return st;
    }
    return sp_step_require_manual(ctx, "email", out, result);
}

const sp_step sp_step_email = {"email", email_check, NULL};
