/* Time zones by rule (issue 16/19): the TZI values under ...\Time Zones compared as numbers with
 * the zone in force, so that a German or Japanese server's zone is recognised as well as an
 * English one's. */
#include "core/timesync/tzrule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static int32_t le32(const unsigned char *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

/* A transition date: all zero (none), or a month 1-12 with a day of week 0-6, a week (or with
 * a year, a day) 1-31 and a time of day. */
static int date_valid(const uint16_t d[8])
{
    if (d[1] == 0)
        return 1;
    return d[1] <= 12 && d[2] <= 6 && d[3] >= 1 && d[3] <= 31 && (d[0] || d[3] <= 5) &&
           d[4] <= 23 && d[5] <= 59 && d[6] <= 59 && d[7] <= 999;
}

sp_status sp_tz_rule_parse(const unsigned char *data, size_t size, sp_tz_rule *out, char *why,
                           size_t whylen)
{
    memset(out, 0, sizeof *out);
    if (!data || size != SP_TZI_SIZE) {
        snprintf(why, whylen, "a TZI value has %d bytes, this one %lu", SP_TZI_SIZE,
                 (unsigned long)size);
        return SP_ERR_BADDATA;
    }
    out->bias = le32(data);
    out->standard_bias = le32(data + 4);
    out->daylight_bias = le32(data + 8);
    for (int i = 0; i < 8; i++) {
        out->standard_date[i] = le16(data + 12 + 2 * i);
        out->daylight_date[i] = le16(data + 28 + 2 * i);
    }
    /* Biases beyond a day are not a zone. */
    if (out->bias < -1440 || out->bias > 1440 || out->standard_bias < -1440 ||
        out->standard_bias > 1440 || out->daylight_bias < -1440 || out->daylight_bias > 1440 ||
        !date_valid(out->standard_date) || !date_valid(out->daylight_date)) {
        snprintf(why, whylen, "the TZI value holds a bias over a day or a date that is not one");
        return SP_ERR_BADDATA;
    }
    return SP_OK;
}

void sp_tz_rule_of(const sp_timezone *tz, sp_tz_rule *out)
{
    memset(out, 0, sizeof *out);
    out->bias = tz->bias_minutes;
    out->standard_bias = tz->standard_bias;
    out->daylight_bias = tz->daylight_bias;
    memcpy(out->standard_date, tz->standard_date, sizeof out->standard_date);
    memcpy(out->daylight_date, tz->daylight_date, sizeof out->daylight_date);
}

static int has_dst(const sp_tz_rule *r)
{
    return r->standard_date[1] != 0 && r->daylight_date[1] != 0;
}

int sp_tz_rule_equal(const sp_tz_rule *a, const sp_tz_rule *b)
{
    if (a->bias + a->standard_bias != b->bias + b->standard_bias)
        return 0;
    if (has_dst(a) != has_dst(b))
        return 0;
    if (!has_dst(a))
        return 1;
    return a->bias + a->daylight_bias == b->bias + b->daylight_bias &&
           memcmp(a->standard_date, b->standard_date, sizeof a->standard_date) == 0 &&
           memcmp(a->daylight_date, b->daylight_date, sizeof a->daylight_date) == 0;
}

static void describe_date(const uint16_t d[8], char *out, size_t n)
{
    static const char *const months[] = {"?",   "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const weeks[] = {"?", "1st", "2nd", "3rd", "4th", "last"};
    const char *month = d[1] <= 12 ? months[d[1]] : "?";
    if (d[0])
        snprintf(out, n, "%u %s %u %02u:%02u", d[3], month, d[0], d[4] % 100u, d[5] % 100u);
    else
        snprintf(out, n, "%s %s of %s %02u:%02u", d[3] <= 5 ? weeks[d[3]] : "?",
                 d[2] <= 6 ? days[d[2]] : "?", month, d[4] % 100u, d[5] % 100u);
}

void sp_tz_rule_describe(const sp_tz_rule *r, char *out, size_t n)
{
    long utc = -(long)(r->bias + r->standard_bias);
    int len = snprintf(out, n, "UTC%c%02ld:%02ld", utc < 0 ? '-' : '+', labs(utc) / 60 % 100,
                       labs(utc) % 60);
    if (len < 0 || (size_t)len >= n)
        return;
    if (!has_dst(r)) {
        snprintf(out + len, n - (size_t)len, ", no daylight saving time");
        return;
    }
    char from[48], to[48];
    describe_date(r->daylight_date, from, sizeof from);
    describe_date(r->standard_date, to, sizeof to);
    snprintf(out + len, n - (size_t)len, ", daylight saving (%+ld min) %s to %s",
             -(long)(r->daylight_bias - r->standard_bias), from, to);
}

sp_status sp_tz_key_rule(sp_sys *sys, const char *key, sp_tz_rule *out)
{
    char path[400], why[120];
    sp_regval v = {0};
    sp_status st;
    snprintf(path, sizeof path, "%s\\%s", SP_TZ_ZONES_KEY, key);
    st = sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, path, "TZI", &v);
    if (st != SP_OK)
        return st;
    st = sp_tz_rule_parse(v.type == SP_REG_BINARY ? v.data : NULL, v.size, out, why, sizeof why);
    sp_regval_free(&v);
    if (st != SP_OK)
        return sp_sys_fail(sys, st, "%s\\TZI: %s", path, why);
    return SP_OK;
}

/* ---- Enumerating the zones ---------------------------------------------------------- */

typedef struct {
    char **names;
    size_t count, cap;
    int nomem;
} tz_names;

static int collect_name(void *user, const char *name)
{
    tz_names *n = user;
    if (n->count == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 64;
        char **p = realloc(n->names, cap * sizeof *p);
        if (!p)
            return n->nomem = 1;
        n->names = p, n->cap = cap;
    }
    if (!(n->names[n->count] = strdup(name)))
        return n->nomem = 1;
    n->count++;
    return 0;
}

static void free_names(tz_names *n)
{
    for (size_t i = 0; i < n->count; i++)
        free(n->names[i]);
    free(n->names);
}

/* The key names under SP_TZ_ZONES_KEY (the callback may read the registry: the names are
 * gathered first). */
static sp_status list_zones(sp_sys *sys, tz_names *out)
{
    sp_status st = sys->ops->reg_enum_keys(sys, SP_REG_VIEW_DEFAULT, SP_TZ_ZONES_KEY,
                                           collect_name, out);
    if (st == SP_OK && out->nomem)
        st = sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory listing the time zones");
    if (st == SP_OK && out->count == 0)
        st = sp_sys_fail(sys, SP_ERR_NOTFOUND, "%s lists no time zones", SP_TZ_ZONES_KEY);
    return st;
}

static void zone_value(sp_sys *sys, const char *key, const char *value, char *out, size_t n)
{
    char path[400];
    out[0] = '\0';
    snprintf(path, sizeof path, "%s\\%s", SP_TZ_ZONES_KEY, key);
    sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, path, value, out, n);
}

sp_status sp_tz_enum(sp_sys *sys, sp_tz_zone_cb cb, void *user)
{
    tz_names names = {0};
    sp_status st = list_zones(sys, &names);
    for (size_t i = 0; st == SP_OK && i < names.count; i++) {
        char display[256];
        zone_value(sys, names.names[i], "Display", display, sizeof display);
        if (cb(user, names.names[i], display))
            break;
    }
    free_names(&names);
    return st;
}

sp_status sp_tz_current_key(sp_sys *sys, const sp_timezone *tz, char *key, size_t keylen)
{
    tz_names names = {0};
    sp_tz_rule want, have;
    const char *first = NULL, *named = NULL;
    sp_status st;
    if (tz->key_name[0]) {
        sp_strlcpy(key, tz->key_name, keylen);
        return SP_OK;
    }
    sp_tz_rule_of(tz, &want);
    st = list_zones(sys, &names);
    for (size_t i = 0; st == SP_OK && i < names.count; i++) {
        char std[128];
        if (sp_tz_key_rule(sys, names.names[i], &have) != SP_OK || !sp_tz_rule_equal(&want, &have))
            continue;
        if (!first)
            first = names.names[i];
        zone_value(sys, names.names[i], "Std", std, sizeof std);
        if (!named && std[0] && sp_stricmp(std, tz->standard_name) == 0)
            named = names.names[i];
    }
    if (st == SP_OK && !first) {
        char rule[200];
        sp_tz_rule_describe(&want, rule, sizeof rule);
        st = sp_sys_fail(sys, SP_ERR_NOTFOUND, "no zone under %s has the rule in force (%s)",
                         SP_TZ_ZONES_KEY, rule);
    }
    if (st == SP_OK)
        sp_strlcpy(key, named ? named : first, keylen);
    free_names(&names);
    return st;
}

sp_status sp_tz_resolve(sp_sys *sys, const char *entry, char *key, size_t keylen)
{
    static const char *const values[] = {"Display", "Std", "Dlt"};
    tz_names names = {0};
    sp_status st = list_zones(sys, &names);
    const char *found = NULL;
    for (size_t i = 0; st == SP_OK && !found && i < names.count; i++)
        if (sp_stricmp(names.names[i], entry) == 0)
            found = names.names[i];
    for (size_t i = 0; st == SP_OK && !found && i < names.count; i++)
        for (size_t v = 0; !found && v < sizeof values / sizeof values[0]; v++) {
            char text[256];
            zone_value(sys, names.names[i], values[v], text, sizeof text);
            if (text[0] && sp_stricmp(text, entry) == 0)
                found = names.names[i];
        }
    if (st == SP_OK && !found)
        st = sp_sys_fail(sys, SP_ERR_NOTFOUND, "\"%s\" is not a time zone under %s", entry,
                         SP_TZ_ZONES_KEY);
    if (found)
        sp_strlcpy(key, found, keylen);
    free_names(&names);
    return st;
}
