/* The log beside the state: one line per action, UTC time first, rotated at a size limit. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sp_log_init(sp_log *log, sp_sys *sys, const char *dir, size_t limit)
{
    log->sys = sys;
    log->limit = limit;
    snprintf(log->path, sizeof log->path, "%s\\sourceprep.log", dir);
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian), without gmtime's locale and
 * range surprises on msvcrt. */
static void civil_from_days(long long z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

void sp_format_utc(long long t, char *out, size_t outlen)
{
    long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    long long secs = t - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, outlen, "%04d-%02u-%02uT%02u:%02u:%02uZ", y, m, d, (unsigned)(secs / 3600),
             (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
}

static void rotate_if_full(sp_log *log, size_t adding)
{
    sp_filestat fs;
    char old[620];
    if (log->sys->ops->file_stat(log->sys, log->path, &fs) != SP_OK || !fs.exists ||
        fs.size + adding <= log->limit)
        return;
    snprintf(old, sizeof old, "%s.1", log->path);
    log->sys->ops->file_delete(log->sys, old);
    log->sys->ops->file_move(log->sys, log->path, old);
}

sp_status sp_log_write(sp_log *log, const char *fmt, ...)
{
    char line[1200], when[32];
    va_list ap;
    int n;
    if (!log->sys)
        return SP_ERR_INVALID;
    sp_format_utc(log->sys->ops->time_now(log->sys), when, sizeof when);
    n = snprintf(line, sizeof line, "%s ", when);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 2, fmt, ap);
    va_end(ap);
    /* One action, one line: a message must not break the format. */
    for (char *c = line; *c; c++)
        if (*c == '\r' || *c == '\n')
            *c = ' ';
    strcat(line, "\r\n");
    rotate_if_full(log, strlen(line));
    return log->sys->ops->file_append(log->sys, log->path, line, strlen(line));
}

void sp_log_escape(const char *in, char *out, size_t outlen)
{
    size_t o = 0;
    if (!outlen)
        return;
    for (const unsigned char *c = (const unsigned char *)(in ? in : ""); *c; c++) {
        char esc[5];
        size_t n;
        switch (*c) {
        case '"': memcpy(esc, "\\\"", 3); n = 2; break;
        case '\\': memcpy(esc, "\\\\", 3); n = 2; break;
        case '\r': memcpy(esc, "\\r", 3); n = 2; break;
        case '\n': memcpy(esc, "\\n", 3); n = 2; break;
        case '\t': memcpy(esc, "\\t", 3); n = 2; break;
        default:
            if (*c < 0x20 || *c == 0x7f) {
                snprintf(esc, sizeof esc, "\\x%02x", *c);
                n = 4;
            } else {
                esc[0] = (char)*c;
                n = 1;
            }
        }
        if (o + n >= outlen)
            break;
        memcpy(out + o, esc, n);
        o += n;
    }
    out[o] = '\0';
}
