/* Dates as the backup tools write them, to and from Unix seconds (proleptic Gregorian). */
#include "core/base/civil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t sp_civil_to_unix(int year, int month, int day, int hour, int minute, int second)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || hour < 0 ||
        hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        return -1;
    if (day > mdays[month - 1] + (month == 2 && leap(year)))
        return -1;
    /* Days from civil (H. Hinnant's algorithm), shifted so that March starts the year. */
    int y = year - (month <= 2);
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    return days * 86400 + hour * 3600 + minute * 60 + second;
}

static int read_num(const char **s, int maxdigits, int *out)
{
    int n = 0, v = 0;
    while (n < maxdigits && isdigit((unsigned char)**s)) {
        v = v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    *out = v;
    return n > 0;
}

int64_t sp_civil_parse_datetime(const char *s, int day_first, const char **end)
{
    int a, b, y, h, mi, sec = 0;
    const char *p = s;
    if (!read_num(&p, 2, &a) || *p++ != '/' || !read_num(&p, 2, &b) || *p++ != '/' ||
        !read_num(&p, 4, &y))
        return -1;
    if (strncmp(p, " at ", 4) == 0)
        p += 4;
    else if (*p == ' ' || *p == '-')
        p++;
    else
        return -1;
    while (*p == ' ')
        p++;
    if (!read_num(&p, 2, &h) || *p++ != ':' || !read_num(&p, 2, &mi))
        return -1;
    if (*p == ':' && isdigit((unsigned char)p[1])) {
        p++;
        read_num(&p, 2, &sec);
    }
    const char *q = p;
    while (*q == ' ')
        q++;
    if ((toupper((unsigned char)q[0]) == 'A' || toupper((unsigned char)q[0]) == 'P') &&
        toupper((unsigned char)q[1]) == 'M') {
        if (h < 1 || h > 12)
            return -1;
        h = h % 12 + (toupper((unsigned char)q[0]) == 'P' ? 12 : 0);
        p = q + 2;
    }
    if (end)
        *end = p;
    return day_first ? sp_civil_to_unix(y, b, a, h, mi, sec) : sp_civil_to_unix(y, a, b, h, mi, sec);
}

void sp_civil_format(int64_t t, char *out, unsigned outlen)
{
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0)
        rem += 86400, days--;
    /* Civil from days (the inverse of the above). */
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));
    snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(rem / 3600),
             (int)(rem % 3600 / 60));
}
