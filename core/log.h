/* The log beside the state: one line per action, UTC time first, rotated at a size limit. */
#ifndef SP_LOG_H
#define SP_LOG_H

#include <stddef.h>

#include "core/sys/sys.h"

#define SP_LOG_LIMIT (1024 * 1024) /* then sourceprep.log becomes sourceprep.log.1 */

typedef struct {
    sp_sys *sys;
    char path[600];
    size_t limit;
} sp_log;

void sp_log_init(sp_log *log, sp_sys *sys, const char *dir, size_t limit);
/* Appends "2026-11-26T14:55:00Z <message>\r\n". A log that cannot be written never stops the
 * wizard: the failure is returned for whoever cares. */
sp_status sp_log_write(sp_log *log, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Text for a "..." field of a log line: quote, backslash and control characters escaped (\\",
 * \\\\, \\r, \\n, \\t, \\xNN), so that what a user typed cannot end the field or the line. Cut
 * to fit out (never in the middle of an escape). */
void sp_log_escape(const char *in, char *out, size_t outlen);
/* Formats Unix seconds as ISO 8601 UTC ("2026-11-26T14:55:00Z"); out needs 21 bytes. */
void sp_format_utc(long long t, char *out, size_t outlen);

#endif
