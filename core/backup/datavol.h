/* The volumes a migration needs in the backup: the system volume, and every volume that holds a
 * share, the AD database and logs, SYSVOL, SQL Server data or Exchange databases and logs. */
#ifndef SP_DATAVOL_H
#define SP_DATAVOL_H

#include <stddef.h>

#include "core/base/status.h"
#include "core/sys/sys.h"

typedef struct {
    char letter;    /* 'C' */
    char why[200];  /* the first reason it is needed: "share Users (D:\Users)" */
} sp_datavol;

typedef struct {
    sp_datavol vols[26];
    size_t count;
    unsigned unresolved; /* paths whose volume could not be told (%VAR% other than SystemRoot) */
    /* The two sources of the shares (issue 15): why each could not be read, "" when it was. */
    char reg_error[240]; /* LanmanServer\Shares in the registry (what is kept across restarts) */
    char net_error[240]; /* NetShareEnum (what the Server service serves now) */
    unsigned reg_shares, net_shares; /* the disk shares each source gave */
} sp_datavols;

/* Adds the volume of path (a Windows path "D:\..."; %SystemRoot%, %windir% and %SystemDrive%
 * are read as the Windows folder's volume win_letter) with why; UNC paths are not local and
 * are left out. 1 when path named a local volume. */
int sp_datavols_add(sp_datavols *v, const char *path, char win_letter, const char *what, const char *name);

/* Finds the needed volumes: the Windows folder, the disk shares (the union of the registry's
 * LanmanServer\Shares and NetShareEnum; administrative shares such as C$ left out; a source
 * that fails is said in reg_error or net_error), NTDS\Parameters, Netlogon\Parameters SysVol, and SQL Server's data and log roots
 * (both registry views). Exchange's databases are in the directory: see backup_ad.h. */
sp_status sp_datavols_find(sp_sys *sys, sp_datavols *out);

/* "C:,D:" (what wbadmin's -include: takes), sorted by letter. */
void sp_datavols_list(const sp_datavols *v, char *out, size_t outlen);

#endif
