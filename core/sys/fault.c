/* Fault injection for the test backends: count the writes, fail one, or "kill" the process after one. */
#include "core/sys/fault.h"

#include <string.h>

void sp_fault_set(sp_fault *f, unsigned at, sp_fault_mode mode)
{
    memset(f, 0, sizeof *f);
    f->at = mode == SP_FAULT_NONE ? 0 : at;
    f->mode = (int)mode;
}

sp_status sp_fault_enter(sp_fault *f, sp_sys *sys, const char *what)
{
    if (f->dead)
        return sp_sys_fail(sys, SP_ERR_IO, "%s: the process was killed (fault injection).", what);
    f->writes++;
    if (f->at && f->writes == f->at && f->mode == SP_FAULT_FAIL)
        return sp_sys_fail(sys, SP_ERR_IO, "%s failed (fault injection, write %u).", what, f->writes);
    return SP_OK;
}

void sp_fault_leave(sp_fault *f)
{
    if (f->at && f->writes == f->at && f->mode == SP_FAULT_KILL)
        f->dead = 1;
}
