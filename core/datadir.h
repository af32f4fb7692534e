/* The data folder (<ProgramData>\SourcePrep): made so that only SYSTEM and Administrators may
 * write in it, and checked at every start before the journal in it is believed (issue 18). */
#ifndef SP_DATADIR_H
#define SP_DATADIR_H

#include <stddef.h>

#include "core/base/status.h"
#include "core/sys/sys.h"

typedef enum {
    SP_DATADIR_SAFE = 0,
    SP_DATADIR_REPARSE,  /* a junction or link: what it points to could be anywhere */
    SP_DATADIR_OWNER,    /* owned by another account */
    SP_DATADIR_WRITABLE, /* another account may write, create, delete or change permissions */
    SP_DATADIR_NO_DACL,  /* no DACL at all: everyone may do everything */
    SP_DATADIR_UNKNOWN   /* the permissions could not be read or are too many to judge */
} sp_datadir_verdict;

/* Judges one file or folder: only SYSTEM, Administrators and the account this program runs
 * as may own it or hold any right that changes it. who receives the SID that fails (or ""). */
sp_datadir_verdict sp_datadir_judge(const sp_pathsec *sec, char *who, size_t wholen);

typedef struct {
    sp_datadir_verdict verdict;
    unsigned msg_id;   /* IDS_ERR_DATA_*: what to tell the user; %1 path, %2 who */
    char path[600];    /* the file or folder that failed */
    char who[128];     /* the SID concerned, or the backend's message */
} sp_datadir_problem;

/* Creates dir with private permissions when it does not exist, then checks it and every
 * file and folder directly in it (and in its backups folder). SP_ERR_ACCESS with problem
 * filled when something is unsafe; another status when the folder could not be made or
 * read (sys->last_error says why; problem is filled too when it was the check). */
sp_status sp_datadir_secure(sp_sys *sys, const char *dir, sp_datadir_problem *problem);

#endif
