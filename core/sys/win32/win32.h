/* The real Windows backend of the OS seam: its one public entry point. */
#ifndef SP_SYS_WIN32_H
#define SP_SYS_WIN32_H

#include "core/sys/sys.h"

/* Returns a backend that talks to this machine, or NULL when out of memory.
 * Close it with sp_sys_close. */
sp_sys *sp_win32_open(void);
/* First thing at start: DLLs load from the system folder only (the delay-loaded ones by full
 * path; the current folder out of the search; on systems that have it, the system folder only). */
void sp_win32_harden_dll_search(void);

#endif
