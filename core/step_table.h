/* The step table (sp_steps, from core/step_list.h) and helpers shared by the step modules. */
#ifndef SP_STEP_TABLE_H
#define SP_STEP_TABLE_H

#include "core/step.h"
#include "core/step_list.h"

/* The SP_APPLIES(id) bit of a step id. */
unsigned sp_step_applies_bit(const char *id);
/* Records that the wizard cannot verify this step itself: the user follows the
 * document's checklist and marks it done by hand. */
sp_status sp_step_require_manual(sp_run_ctx *ctx, const char *id, sp_findings *out,
                                 sp_result *result);
/* True when the step does not apply to the detected server. */
int sp_step_not_for_this_server(sp_run_ctx *ctx, const char *id);

#endif
