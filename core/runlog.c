/* The event ID of an unattended run's verdict, and the event source registered through the sys seam. */
#include "core/runlog.h"

#include "core/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/cmdline.h"

sp_runlog_id sp_runlog_event(const sp_state *st, const sp_journal *journal, const char *step,
                             int64_t now, int exit_code)
{
    int manual = 0;
    if (exit_code == SP_EXIT_CANNOT_RUN)
        return SP_RUNLOG_COULD_NOT_RUN;
    if (!st)
        return exit_code == SP_EXIT_OK ? SP_RUNLOG_READY : SP_RUNLOG_NOT_READY;
    /* The whole server: the headline of the Finish page and the report, stale backup included. */
    if (!step) {
        sp_verdict v = sp_report_verdict(st, journal, now);
        return v == SP_VERDICT_READY          ? SP_RUNLOG_READY
               : v == SP_VERDICT_READY_MANUAL ? SP_RUNLOG_READY_MANUAL
                                              : SP_RUNLOG_NOT_READY;
    }
    for (size_t i = 0; i < st->count; i++) {
        const sp_step_state *s = &st->steps[i];
        if (strcmp(step, s->id) != 0)
            continue;
        if (!sp_state_gate_open(st, s->id, now))
            return SP_RUNLOG_NOT_READY;
        manual |= s->manual;
    }
    return manual ? SP_RUNLOG_READY_MANUAL : SP_RUNLOG_READY;
}

/* Whether the key's value already holds what registering would write. */
static int holds(sp_sys *sys, const char *value, const sp_regval *want)
{
    sp_regval v = {0};
    int same = sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, SP_RUNLOG_SOURCE_KEY, value, &v) == SP_OK &&
               v.type == want->type && v.size == want->size && memcmp(v.data, want->data, v.size) == 0;
    sp_regval_free(&v);
    return same;
}

sp_status sp_runlog_register(sp_sys *sys, const char *exe)
{
    sp_regval file = {0}, types = {0};
    sp_status st = sp_regval_set_sz(&file, exe);
    if (st == SP_OK)
        st = sp_regval_set_dword(&types, 7); /* error, warning, information */
    file.type = SP_REG_EXPAND_SZ;          /* what Windows' own sources use */
    if (st == SP_OK && !holds(sys, "EventMessageFile", &file))
        st = sys->ops->reg_set(sys, SP_REG_VIEW_DEFAULT, SP_RUNLOG_SOURCE_KEY, "EventMessageFile", &file);
    if (st == SP_OK && !holds(sys, "TypesSupported", &types))
        st = sys->ops->reg_set(sys, SP_REG_VIEW_DEFAULT, SP_RUNLOG_SOURCE_KEY, "TypesSupported", &types);
    sp_regval_free(&file);
    sp_regval_free(&types);
    return st;
}
