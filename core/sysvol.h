/* Where this domain controller's SYSVOL is: its folder, the domain's folder, the Default Domain Controllers Policy. */
#ifndef SP_SYSVOL_H
#define SP_SYSVOL_H

#include "core/base/status.h"
#include "core/sys/sys.h"
#include "core/sysinfo.h"

/* The Default Domain Controllers Policy's GPO, the same GUID in every domain. */
#define SP_DDCP_GUID "{6AC1786C-016F-11D2-945F-00C04fB984F9}"

typedef struct {
    char sysvol[520];  /* "C:\WINDOWS\SYSVOL\sysvol", without a trailing backslash */
    char domain[256];  /* the domain's folder in it ("contoso.local"); "" when unknown */
    char gpo_dir[900], inf_path[1000], ini_path[1000], scripts[900];
    int has_gpo;       /* the DDCP's folder was found: gpo_dir, inf_path and ini_path name it */
} sp_sysvol;

/* The sysvol folder: Netlogon's SysVol value, else \\localhost\SYSVOL; then the domain's folder
 * in it: the DNS domain's name (info may be NULL), else whichever holds the DDCP. SP_ERR_NOTFOUND
 * when there is no sysvol folder; SP_OK otherwise, has_gpo saying whether the policy is there. */
sp_status sp_sysvol_locate(sp_sys *sys, const sp_sysinfo *info, sp_sysvol *out);

#endif
