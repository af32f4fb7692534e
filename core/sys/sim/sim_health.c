/* The sim's event logs and volumes for the health scan: the profile's "events" and "disks". */
#include "core/sys/sim/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static sp_status health_fail(char *err, size_t errlen, const char *what, const char *name)
{
    if (err && errlen)
        snprintf(err, errlen, what, name);
    return SP_ERR_BADDATA;
}

static int event_type_of(const cJSON *t, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned type;
    } types[] = {{"error", 1}, {"warning", 2}, {"information", 4}, {"info", 4}};
    if (!t) {
        *out = 1;
        return 1;
    }
    if (!cJSON_IsString(t))
        return 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(t->valuestring, types[i].name) == 0) {
            *out = types[i].type;
            return 1;
        }
    return 0;
}

sp_status sim_health_parse(const cJSON *events, const cJSON *disks, const cJSON *read_ms,
                           sim_profile *p, char *err, size_t errlen)
{
    const cJSON *log, *ev, *d;
    if (read_ms) {
        if (!cJSON_IsNumber(read_ms) || read_ms->valuedouble < 0 || read_ms->valuedouble > 60000)
            return health_fail(err, errlen, "event_read_ms must be a number from 0 to 60000%s", "");
        p->event_read_ms = (unsigned)read_ms->valuedouble;
    }
    if (events) {
        if (!cJSON_IsObject(events))
            return health_fail(err, errlen, "events must be an object of log names%s", "");
        cJSON_ArrayForEach(log, events)
        {
            /* "unreadable": the log exists but reading it fails (rights, a damaged file). */
            if (cJSON_IsString(log) && strcmp(log->valuestring, "unreadable") == 0)
                continue;
            if (!cJSON_IsArray(log))
                return health_fail(err, errlen, "events.%s must be an array or \"unreadable\"",
                                   log->string);
            cJSON_ArrayForEach(ev, log)
            {
                const cJSON *src = cJSON_GetObjectItemCaseSensitive(ev, "source");
                const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "id");
                const cJSON *age = cJSON_GetObjectItemCaseSensitive(ev, "age_hours");
                unsigned type;
                if (!cJSON_IsObject(ev) || !cJSON_IsString(src) || !cJSON_IsNumber(id) ||
                    id->valuedouble < 0 || id->valuedouble > 65535 ||
                    (age && (!cJSON_IsNumber(age) || age->valuedouble < 0 ||
                             age->valuedouble > 1e6)) ||
                    !event_type_of(cJSON_GetObjectItemCaseSensitive(ev, "type"), &type))
                    return health_fail(err, errlen,
                                       "events.%s: each event needs \"source\", \"id\" (0-65535), "
                                       "optional \"type\" (error, warning, information) and "
                                       "\"age_hours\" (0-1e6)",
                                       log->string);
            }
        }
        if (!(p->events = cJSON_Duplicate(events, 1)))
            return SP_ERR_NOMEM;
    }
    if (disks) {
        if (!cJSON_IsObject(disks))
            return health_fail(err, errlen, "disks must be an object of volumes%s", "");
        cJSON_ArrayForEach(d, disks)
        {
            const cJSON *fr = cJSON_GetObjectItemCaseSensitive(d, "free_mb");
            const cJSON *tot = cJSON_GetObjectItemCaseSensitive(d, "total_mb");
            if (strlen(d->string) != 2 || d->string[1] != ':' || !cJSON_IsNumber(fr) ||
                !cJSON_IsNumber(tot) || fr->valuedouble < 0 || tot->valuedouble < fr->valuedouble ||
                tot->valuedouble > 1e12)
                return health_fail(err, errlen,
                                   "disks.%s: a volume is \"X:\" with \"free_mb\" and "
                                   "\"total_mb\" (free <= total)",
                                   d->string);
        }
        if (!(p->disks = cJSON_Duplicate(disks, 1)))
            return SP_ERR_NOMEM;
    }
    return SP_OK;
}

sp_status sim_event_query(sp_sys *sys, const char *log, int64_t since, sp_event_cb cb, void *user)
{
    sim_profile *p = sim_machine_profile(sys);
    const cJSON *list = NULL, *ev;
    const cJSON **sorted = NULL;
    size_t n = 0, i;
    int64_t now = sys->ops->time_now(sys);
    if (!log || !cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "event_query: no log or callback");
    if (p->events)
        cJSON_ArrayForEach(ev, p->events) if (sim_ascii_casecmp(ev->string, log) == 0) list = ev;
    if (!list)
        return sp_sys_fail(sys, SP_ERR_NOTFOUND, "This server has no %s event log.", log);
    if (cJSON_IsString(list))
        return sp_sys_fail(sys, SP_ERR_ACCESS, "Could not read the %s event log: access is denied.",
                           log);
    if (p->event_read_ms)
        sim_sleep_ms(p->event_read_ms); /* an old server's log takes time to read */
    sim_hold(sys, "event-logs");
    n = (size_t)cJSON_GetArraySize(list);
    if (n && !(sorted = calloc(n, sizeof *sorted)))
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory reading the %s log", log);
    i = 0;
    cJSON_ArrayForEach(ev, list) sorted[i++] = ev;
    /* Newest first, as ReadEventLogW backwards gives them: an insertion sort by age. */
    for (i = 1; i < n; i++) {
        const cJSON *x = sorted[i];
        const cJSON *ax = cJSON_GetObjectItemCaseSensitive(x, "age_hours");
        double age = ax ? ax->valuedouble : 0;
        size_t j = i;
        while (j > 0) {
            const cJSON *ay = cJSON_GetObjectItemCaseSensitive(sorted[j - 1], "age_hours");
            if ((ay ? ay->valuedouble : 0) <= age)
                break;
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = x;
    }
    for (i = 0; i < n; i++) {
        const cJSON *age = cJSON_GetObjectItemCaseSensitive(sorted[i], "age_hours");
        sp_event e;
        e.time = now - (int64_t)((age ? age->valuedouble : 0) * 3600.0);
        if (e.time < since)
            break;
        e.source = cJSON_GetObjectItemCaseSensitive(sorted[i], "source")->valuestring;
        e.id = (unsigned)cJSON_GetObjectItemCaseSensitive(sorted[i], "id")->valuedouble;
        event_type_of(cJSON_GetObjectItemCaseSensitive(sorted[i], "type"), &e.type);
        if (cb(user, &e))
            break;
    }
    free(sorted);
    return SP_OK;
}

sp_status sim_disk_space(sp_sys *sys, const char *path, uint64_t *free_bytes,
                         uint64_t *total_bytes)
{
    sim_profile *p = sim_machine_profile(sys);
    const cJSON *d;
    if (!path || !*path)
        return sp_sys_fail(sys, SP_ERR_INVALID, "disk_space: no path");
    if (p->disks && strlen(path) >= 2 && path[1] == ':')
        cJSON_ArrayForEach(d, p->disks)
        {
            if (sim_ascii_ncasecmp(d->string, path, 2) == 0) {
                if (free_bytes)
                    *free_bytes = (uint64_t)(cJSON_GetObjectItemCaseSensitive(d, "free_mb")->valuedouble *
                                             1048576.0);
                if (total_bytes)
                    *total_bytes = (uint64_t)(cJSON_GetObjectItemCaseSensitive(d, "total_mb")->valuedouble *
                                              1048576.0);
                return SP_OK;
            }
        }
    return sp_sys_fail(sys, SP_ERR_NOTFOUND, "There is no volume at %s.", path);
}
