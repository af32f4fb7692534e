/* One run of the wizard: the backend, what was detected, the state and the journal. */
#ifndef SP_SESSION_H
#define SP_SESSION_H

#include "core/datadir.h"
#include "core/journal.h"
#include "core/log.h"
#include "core/state.h"
#include "core/sysinfo.h"

typedef enum {
    SP_STAGE_NONE = 0,
    SP_STAGE_DETECT,  /* reading the OS version failed */
    SP_STAGE_FOLDER,  /* the data folder could not be made */
    SP_STAGE_STATE,   /* the state could not be read */
    SP_STAGE_JOURNAL  /* the journal could not be read */
} sp_stage;

typedef struct {
    sp_sys *sys;       /* not owned */
    sp_sysinfo info;
    sp_state *state;
    sp_journal *journal;
    char data_dir[520];     /* <ProgramData>\SourcePrep */
    char state_path[600];
    char state_aside[640];  /* set when a damaged state file was moved aside */
    sp_stage failed;        /* where sp_session_open stopped */
    sp_log log;             /* <data_dir>\sourceprep.log */
    /* The directory the steps and undo use (/ldap, /ldapuser); empty host: this DC. */
    char ldap_host[256], ldap_user[256], ldap_password[256];
    sp_ldap_target ldap;
    /* Why the data folder was refused (SP_STAGE_FOLDER with msg_id set): issue 18. */
    sp_datadir_problem folder_problem;
} sp_session;

/* Detects the server, loads (or starts) the state and opens the journal. A damaged state
 * file is moved aside and a fresh state used: that is SP_OK with state_aside set. */
sp_status sp_session_open(sp_session *s, sp_sys *sys);
sp_status sp_session_save(sp_session *s);
/* Uses the LDAP server at host:port (0: 389) bound as user (sp_ldap_target) instead of this
 * domain controller, for the steps and for undo. SP_ERR_INVALID when a value is too long. */
sp_status sp_session_set_ldap(sp_session *s, const char *host, unsigned port, const char *user,
                              const char *password);
void sp_session_close(sp_session *s);
/* Records a step's run in the state and the log (takes the findings). */
void sp_session_record(sp_session *s, const char *step, int apply, sp_status status, sp_result result,
                       sp_findings *findings);
/* A run context for a step of this session. */
sp_run_ctx sp_session_ctx(sp_session *s, volatile long *cancel);

#endif
