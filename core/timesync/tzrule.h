/* Time zones by rule: the bias and daylight-saving rule Windows keeps in a zone's TZI value,
 * compared as numbers, never by the zone's display or standard name (those are translated). */
#ifndef SP_TZRULE_H
#define SP_TZRULE_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"
#include "core/sys/sys.h"

#define SP_TZ_ZONES_KEY "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Time Zones"
#define SP_TZI_SIZE 44

/* What a TZI value holds (REG_TZI_FORMAT): biases in minutes, the two SYSTEMTIME transition
 * dates as their eight 16-bit fields (year, month, day of week, day/week, hour, minute,
 * second, milliseconds); month 0 in standard_date means no daylight saving time. */
typedef struct {
    int32_t bias, standard_bias, daylight_bias;
    uint16_t standard_date[8], daylight_date[8];
} sp_tz_rule;

/* Reads a 44-byte TZI value; SP_ERR_BADDATA (with why) for any other size or a date that is
 * not one (month over 12, day of week over 6, week over 5, hour over 23). */
sp_status sp_tz_rule_parse(const unsigned char *data, size_t size, sp_tz_rule *out, char *why,
                           size_t whylen);
/* The rule of the zone in force (from sp_timezone's fields). */
void sp_tz_rule_of(const sp_timezone *tz, sp_tz_rule *out);
/* 1 when two rules give the same local time all year: same bias and standard bias, and either
 * no daylight saving time in both or the same daylight bias and transition dates. */
int sp_tz_rule_equal(const sp_tz_rule *a, const sp_tz_rule *b);
/* "UTC+01:00, daylight saving last Sun of Mar 02:00 to last Sun of Oct 03:00" */
void sp_tz_rule_describe(const sp_tz_rule *r, char *out, size_t n);

/* The key under SP_TZ_ZONES_KEY of the zone in force: TimeZoneKeyName where Windows gives it
 * (Vista and later), else the key whose TZI has the same rule (when several do, the one whose
 * Std value is this server's standard name: both are in the server's own language).
 * SP_ERR_NOTFOUND when no key matches (last_error says why). */
sp_status sp_tz_current_key(sp_sys *sys, const sp_timezone *tz, char *key, size_t keylen);
/* The key a user's entry names: a key name, or a zone's Display, Std or Dlt value, without
 * case. SP_ERR_NOTFOUND when none does. */
sp_status sp_tz_resolve(sp_sys *sys, const char *entry, char *key, size_t keylen);
/* The rule of a key under SP_TZ_ZONES_KEY. */
sp_status sp_tz_key_rule(sp_sys *sys, const char *key, sp_tz_rule *out);
/* Every zone under SP_TZ_ZONES_KEY: its key name and Display value ("" when none). */
typedef int (*sp_tz_zone_cb)(void *user, const char *key, const char *display);
sp_status sp_tz_enum(sp_sys *sys, sp_tz_zone_cb cb, void *user);

#endif
