/* Backup step: what its state data holds, shared by core/backup/backup.c and pages/backup.c. */
#ifndef SP_BACKUP_H
#define SP_BACKUP_H

/* Keys of the step's state data (sp_step_state.data):
 *   "folder"  where the drill's files are restored (default SP_BACKUP_DEFAULT_FOLDER)
 *   "k"       how many files the drill samples (default 20, 1..500)
 *   "target"  where a new backup goes: wbadmin's -backupTarget ("E:", "\\\\nas\\backup") on 2008
 *             and later; on 2003 where NTBackup writes its .bkf file (a drive, a folder or a share,
 *             into which "SourcePrep <computer>.bkf" is written, or the .bkf file itself)
 *   "roots"   array of folders to sample from (default: the system volume)
 *   "drill"   the last drill: {"backup_time", "ran_at", "folder", "passed", "files": [...]}
 *   "pending" the sample waiting for a technician's restore: {"backup_time", "files": [...]} */
#define SP_BACKUP_KEY_FOLDER "folder"
#define SP_BACKUP_KEY_K "k"
#define SP_BACKUP_KEY_TARGET "target"
#define SP_BACKUP_DEFAULT_FOLDER "C:\\SourcePrepRestore"

#include <stddef.h>

/* The .bkf file NTBackup writes for target (see "target" above) on the computer named so. */
void sp_backup_bkf_path(const char *target, const char *computer, char *out, size_t outlen);

#endif
