/* Backup step: names the backup tool of this OS; the drill itself is verified by hand for now. */
#include "core/msgids.h"
#include "core/steps.h"

static sp_status backup_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    /* SBS 2003 ships NTBackup; every later source has Windows Server Backup. */
    const char *tool = ctx->info && ctx->info->os.major == 5 ? "NTBackup" : "Windows Server Backup";
    sp_status st = sp_findings_add(out, SP_SEV_INFO, "backup.tool", IDS_F_BACKUP_TOOL,
                                   IDS_F_BACKUP_TOOL_ADVICE, tool, NULL);
    if (st != SP_OK)
        return st;
    return sp_step_require_manual(ctx, "backup", out, result);
}

const sp_step sp_step_backup = {"backup", backup_check, NULL};
