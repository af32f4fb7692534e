/* Updates step: compares the installed service pack with the latest one for this OS. */
#include <stdio.h>

#include "core/msgids.h"
#include "core/updates.h"
#include "core/steps.h"

/* The last service pack Microsoft shipped for each NT version; 0 where there were none. */
unsigned sp_updates_latest_sp(unsigned major, unsigned minor)
{
    switch (major * 100 + minor) {
    case 502: return 2; /* Server 2003 and SBS 2003 */
    case 600: return 2; /* Server 2008, SBS 2008 */
    case 601: return 1; /* Server 2008 R2, SBS 2011, Foundation */
    default: return 0;
    }
}

static sp_status updates_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    char evidence[96];
    sp_status st;
    if (ctx->info) {
        const sp_osinfo *os = &ctx->info->os;
        unsigned latest = sp_updates_latest_sp(os->major, os->minor);
        snprintf(evidence, sizeof evidence, "%u.%u.%u, service pack %u, latest %u", os->major,
                 os->minor, os->build, os->sp_major, latest);
        if (os->sp_major < latest)
            st = sp_findings_add(out, SP_SEV_ERROR, "updates.sp_missing", IDS_F_UPDATES_SP_OLD,
                                 IDS_F_UPDATES_SP_ADVICE, os->csd[0] ? os->csd : "-", evidence);
        else
            st = sp_findings_add(out, SP_SEV_INFO, "updates.sp_current", IDS_F_UPDATES_SP, 0,
                                 os->csd[0] ? os->csd : "-", evidence);
        if (st != SP_OK)
            return st;
    }
    return sp_step_require_manual(ctx, "updates", out, result);
}

const sp_step sp_step_updates = {"updates", updates_check, NULL};
