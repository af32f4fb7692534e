/* Fault injection for the test backends (sim, posix): the write that fails, or after which the
 * "process" is dead, counted from 1 over every write since the hook was set (issue 18, item 5).
 * The backends call it only in test builds (-DSP_FAULT_INJECTION), never in the exes. */
#ifndef SP_SYS_FAULT_H
#define SP_SYS_FAULT_H

#include "core/sys/sys.h"

typedef enum { SP_FAULT_NONE = 0, SP_FAULT_FAIL, SP_FAULT_KILL } sp_fault_mode;

typedef struct {
    unsigned at, writes;
    int mode, dead;
} sp_fault;

/* Arms the hook (NONE or at 0 turns it off and brings the "process" back); the count restarts. */
void sp_fault_set(sp_fault *f, unsigned at, sp_fault_mode mode);
/* Before a write: SP_OK when it may be made; else the failure, said in sys's last_error. */
sp_status sp_fault_enter(sp_fault *f, sp_sys *sys, const char *what);
/* After a write that was made: a KILL at this write strikes now. */
void sp_fault_leave(sp_fault *f);

#endif
