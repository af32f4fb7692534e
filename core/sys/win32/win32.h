/* The real Windows backend of the OS seam: its one public entry point. */
#ifndef SP_SYS_WIN32_H
#define SP_SYS_WIN32_H

#include "core/sys/sys.h"

/* Returns a backend that talks to this machine, or NULL when out of memory.
 * Close it with sp_sys_close. */
sp_sys *sp_win32_open(void);

#endif
