/* Calendar dates and clock times to Unix seconds, and the date text backup tools write. */
#ifndef SP_CIVIL_H
#define SP_CIVIL_H

#include <stdint.h>

/* Seconds since 1970-01-01 00:00 of that date and time (no time zone applied); -1 when a
 * field is out of range (month 13, February 30, hour 24...). */
int64_t sp_civil_to_unix(int year, int month, int day, int hour, int minute, int second);

/* Reads "3/2/2024", then optionally " at " or " " or "-", then "11:48 PM", "23:48" or
 * "23:48:05" from s. day_first reads 2/3/2024 as 2 March. Returns the seconds (as
 * sp_civil_to_unix) and sets *end after what was read; -1 when s does not start so. */
int64_t sp_civil_parse_datetime(const char *s, int day_first, const char **end);

/* "2024-03-02 23:48" (UTC) into out. */
void sp_civil_format(int64_t t, char *out, unsigned outlen);

#endif
