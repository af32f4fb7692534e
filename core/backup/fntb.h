/* What Windows leaves out of every backup: HKLM\SYSTEM\CurrentControlSet\Control\BackupRestore\
 * FilesNotToBackup, one REG_MULTI_SZ per component, each entry "[path\]spec [/s]". */
#ifndef SP_FNTB_H
#define SP_FNTB_H

#include <stddef.h>

#include "core/base/status.h"
#include "core/sys/sys.h"

#define SP_FNTB_MAX 128

typedef struct {
    char dir[300];  /* "C:\Windows\Temp", or "\System Volume Information" on every volume */
    char spec[120]; /* "*", "*.tmp", "Pagefile.sys" */
    int subdirs;    /* "/s": the folders below too */
    int any_volume; /* dir has no drive: the same folder on every volume */
} sp_fntb_rule;

typedef struct {
    sp_fntb_rule rules[SP_FNTB_MAX];
    size_t count;
    unsigned unresolved;   /* entries with a variable SourcePrep cannot expand (%UserProfile%) */
    char example_unresolved[120];
} sp_fntb;

/* Reads one entry ("%SystemRoot%\Temp\* /s", "\Pagefile.sys"); vars expands %SystemRoot%,
 * %windir%, %SystemDrive%, %ProgramData%, %ALLUSERSPROFILE% (vars[i][0] the name, [1] the value,
 * NULL-terminated). SP_ERR_UNSUPPORTED for another variable, SP_ERR_BADDATA for an empty or
 * too long entry. */
sp_status sp_fntb_parse(const char *entry, const char *const (*vars)[2], sp_fntb_rule *out);

/* True when the file at path (a Windows path) is left out by one of the rules. */
int sp_fntb_match(const sp_fntb *f, const char *path);

/* Reads every rule of the registry key (nothing there: none). */
sp_status sp_fntb_read(sp_sys *sys, sp_fntb *out);

#endif
