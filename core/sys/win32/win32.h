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
/* Reads the environment variable name (a secret: SOURCEPREP_LDAP_PASSWORD) once and removes it
 * from this process's environment, so that the programs it starts (w32tm, wbadmin) do not
 * inherit it. Heap UTF-8, "" when unset or longer than 255 characters; NULL when out of memory.
 * The caller wipes and frees it. */
char *sp_win32_take_env_secret(const char *name);

#endif
