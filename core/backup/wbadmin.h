/* Windows Server Backup's command line: what `wbadmin get versions` lists, and its progress lines. */
#ifndef SP_WBADMIN_H
#define SP_WBADMIN_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"

typedef struct {
    int64_t time;     /* UTC Unix seconds, from the version identifier (always UTC) */
    char id[24];      /* "03/14/2011-04:00": what -version: takes */
    char target[128]; /* "1394/USB Disk labeled Backup(E:)" */
    char recover[160];/* "Volume(s), File(s), Application(s), Bare Metal Recovery, System State" */
    int full;         /* bare metal or system state: a backup of every critical volume */
    int files;        /* single files can be recovered from it */
} sp_wb_version;

typedef struct {
    sp_wb_version *items;
    size_t count;
} sp_wb_versions;

/* Parses the output of `wbadmin get versions`. No backup is SP_OK with count 0. Text that is
 * not wbadmin's, a version without a readable identifier, or an "ERROR - " line give
 * SP_ERR_BADDATA with what was wrong in err. */
sp_status sp_wbadmin_parse_versions(const char *text, size_t len, sp_wb_versions *out, char *err,
                                    size_t errlen);
/* The same, with the server's UI language (a Windows LANGID, 0 when unknown): its table is
 * tried first, then every other. A line no table knows makes the whole output SP_ERR_BADDATA
 * ("this output could not be read", with its first lines in err), never "no backup". */
sp_status sp_wbadmin_parse_versions_lang(const char *text, size_t len, unsigned langid,
                                         sp_wb_versions *out, char *err, size_t errlen);
void sp_wb_versions_free(sp_wb_versions *v);
/* The newest version that is full and can recover files; NULL when none. */
const sp_wb_version *sp_wb_latest_full(const sp_wb_versions *v);

/* The percentage of a progress line ("Creating a backup of volume Local Disk(C:), copied
 * (45%)."), or -1 when the line has none. */
int sp_wbadmin_progress(const char *line);
/* 1 when the line is wbadmin's error line in any language ("ERROR - ", "FEHLER - "...). */
int sp_wbadmin_error_line(const char *line);

#endif
