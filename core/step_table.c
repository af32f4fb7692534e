/* The table of the steps (from core/step_list.h), and the check every step starts with. */
#include "core/step_table.h"

#include <stdio.h>

#include "core/msgids.h"

#define STEP_DECL(id) extern const sp_step sp_step_##id;
SP_STEP_LIST(STEP_DECL)
#define STEP_REF(id) &sp_step_##id,
const sp_step *const sp_steps[] = {SP_STEP_LIST(STEP_REF)};
const size_t sp_step_count = sizeof sp_steps / sizeof sp_steps[0];

unsigned sp_step_applies_bit(const char *id)
{
    for (size_t i = 0; i < sp_step_count; i++)
        if (sp_steps[i] == sp_step_find(id))
            return 1u << i; /* SP_APPLIES(id): the list's order is the table's */
    return 0;
}

sp_status sp_step_require_manual(sp_run_ctx *ctx, const char *id, sp_findings *out,
                                 sp_result *result)
{
    char code[48];
    (void)ctx;
    *result = SP_RESULT_MANUAL_NEEDED;
    snprintf(code, sizeof code, "%s.not_automated", id);
    return sp_findings_add(out, SP_SEV_WARNING, code, IDS_F_NOT_AUTOMATED, IDS_F_NOT_AUTOMATED_ADVICE,
                           NULL, NULL);
}

int sp_step_not_for_this_server(sp_run_ctx *ctx, const char *id)
{
    if (!ctx->info)
        return 0;
    if (ctx->info->product == SP_PRODUCT_CLIENT)
        return 0; /* reported as an error by the caller's check */
    return (sp_sysinfo_applicable(ctx->info) & sp_step_applies_bit(id)) == 0;
}
