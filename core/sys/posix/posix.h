/* The POSIX backend: real file I/O on the native host, the host file system of the sim in tests. */
#ifndef SP_POSIX_H
#define SP_POSIX_H

#include "core/sys/sys.h"

/* Opens the backend; NULL only when out of memory. Close with sp_sys_close.
 *
 * Paths are host paths in UTF-8. What it does, where sys.h leaves room:
 * - file_read returns a heap buffer with one NUL after the data (size excludes it),
 *   so text can be used as a C string; an empty file gives a non-NULL buffer.
 * - file_write_atomic writes a temporary file in the same folder, fsyncs it, renames
 *   it over the target and fsyncs the folder; the folder must exist.
 * - file_move refuses an existing destination (SP_ERR_EXISTS), as the win32 backend
 *   does; across file systems it copies, fsyncs and unlinks the source (files only).
 * - file_delete removes a file or an empty folder.
 * - file_stat of a missing path is SP_OK with exists = 0.
 * - dir_create creates parents and succeeds when the folder already exists.
 * - dir_enum skips "." and ".."; the order is the file system's.
 * - folder(SP_FOLDER_TEMP) is $TMPDIR or /tmp; the other folders are unsupported.
 * - os_info, registry, processes and services return SP_ERR_UNSUPPORTED.
 * Errors map errno: ENOENT/ENOTDIR -> NOTFOUND, EACCES/EPERM -> ACCESS,
 * EEXIST -> EXISTS, else IO; last_error names the path and the reason. */
sp_sys *sp_posix_open(void);

#ifdef SP_FAULT_INJECTION
#include "core/sys/fault.h"
/* The sim's fault-injection hook (core/sys/fault.h) on real files, in test builds only: every
 * file_write_atomic, file_move, file_delete and dir_create is counted from 1 after this call;
 * the write number `at` fails without effect (SP_FAULT_FAIL) or is made, after which every write
 * fails as if the process had been killed (SP_FAULT_KILL). */
void sp_posix_fault_set(sp_sys *posix, unsigned at, sp_fault_mode mode);
unsigned sp_posix_fault_writes(const sp_sys *posix);
int sp_posix_fault_killed(const sp_sys *posix);
#endif

#endif
