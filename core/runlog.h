/* What an unattended run leaves in the Application event log: its event ID, the source's registration. */
#ifndef SP_RUNLOG_H
#define SP_RUNLOG_H

#include <stdint.h>

#include "core/journal.h"
#include "core/state.h"
#include "core/sys/sys.h"

/* The write itself is the frame's (wizard/eventlog.c): core has no <windows.h>. */

#define SP_RUNLOG_SOURCE "SourcePrep"
#define SP_RUNLOG_SOURCE_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\" SP_RUNLOG_SOURCE

/* The event IDs (README, "Event log"). */
typedef enum {
    SP_RUNLOG_READY = 1000,        /* every step concerned is done, verified by the wizard */
    SP_RUNLOG_READY_MANUAL = 1001, /* every step concerned is done, some of them by hand */
    SP_RUNLOG_NOT_READY = 1002,    /* a step still needs work */
    SP_RUNLOG_COULD_NOT_RUN = 1003 /* the run could not do what it was asked (exit code 2) */
} sp_runlog_id;

/* The event of a run that ended with exit_code: step names the one step it was about (NULL:
 * the whole server, judged as sp_report_verdict does, with journal for the fresh backup); st
 * may be NULL when the run stopped before the state was read. */
sp_runlog_id sp_runlog_event(const sp_state *st, const sp_journal *journal, const char *step,
                             int64_t now, int exit_code);

/* Registers the source in the Application log with exe as its message file (the exe holds the
 * message table), unless it is registered so already. Needs administrator rights. */
sp_status sp_runlog_register(sp_sys *sys, const char *exe);

#endif
