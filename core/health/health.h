/* Health scan step: the rules engine's run, the gate (no error, every warning acknowledged). */
#ifndef SP_HEALTH_H
#define SP_HEALTH_H

#include "core/state.h"
#include "core/step.h"

extern const sp_step sp_step_health;

/* The gate's verdict on findings: FAILED when an error is there or a warning is not
 * acknowledged in st, PASSED otherwise. */
sp_result sp_health_verdict(const sp_findings *f, const sp_state *st);

/* Whether the warning with code is acknowledged in the step's data. */
int sp_health_acknowledged(const sp_state *st, const char *code);
/* Acknowledges (on) or withdraws a warning and updates the recorded result from the recorded
 * findings; returns 1 when something changed. */
int sp_health_acknowledge(sp_state *st, const char *code, int on);

/* The report tree's category of a finding code (a rule's; the scan's own read failures go
 * under Event Log); an index below SP_HC_COUNT of core/health/rules.h. */
unsigned sp_health_category_of(const char *code);

#endif
