/* The sim profile's services, processes, seeded files and NTP peers. */
#include "core/sys/sim/sim_profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "core/base/civil.h"

static sp_status prof_enum_name(prof_ctx *c, const cJSON *obj, const char *key,
                                const char *svc, const char *const *names, const int *values,
                                size_t count, const char *expected, int *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item)
        return SP_OK;
    if (!cJSON_IsString(item) || !item->valuestring)
        return prof_fail(c, SP_ERR_BADDATA, "services.%s.%s must be a string", svc, key);
    for (size_t i = 0; i < count; i++) {
        if (sim_ascii_casecmp(item->valuestring, names[i]) == 0) {
            *out = values[i];
            return SP_OK;
        }
    }
    return prof_fail(c, SP_ERR_BADDATA, "services.%s.%s: unknown %s \"%s\" (expected %s)", svc,
                     key, key, item->valuestring, expected);
}

sp_status prof_services(prof_ctx *c, const cJSON *obj, sim_profile *p)
{
    static const char *const state_names[] = {"stopped", "running", "paused", "start_pending",
                                              "stop_pending"};
    static const int state_values[] = {SP_SVC_STOPPED, SP_SVC_RUNNING, SP_SVC_PAUSED,
                                       SP_SVC_START_PENDING, SP_SVC_STOP_PENDING};
    static const char *const start_names[] = {"boot", "system", "auto", "demand", "disabled"};
    static const int start_values[] = {SP_SVC_START_BOOT, SP_SVC_START_SYSTEM, SP_SVC_START_AUTO,
                                       SP_SVC_START_DEMAND, SP_SVC_START_DISABLED};
    if (!cJSON_IsObject(obj))
        return prof_fail(c, SP_ERR_BADDATA, "services must be an object of services");
    size_t n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, obj) n++;
    if (n == 0)
        return SP_OK;
    p->services = calloc(n, sizeof *p->services);
    if (!p->services)
        return PROF_NOMEM(c);
    cJSON_ArrayForEach(s, obj) {
        const char *name = prof_key_name(s);
        if (!cJSON_IsObject(s))
            return prof_fail(c, SP_ERR_BADDATA,
                             "services.%s must be an object such as "
                             "{\"state\": \"running\", \"start\": \"auto\"}",
                             name);
        /* A service a profile lists is usually installed and working. */
        int state = SP_SVC_RUNNING, start = SP_SVC_START_AUTO;
        sp_status st = prof_enum_name(c, s, "state", name, state_names, state_values, 5,
                                      PROF_STATES, &state);
        if (st == SP_OK)
            st = prof_enum_name(c, s, "start", name, start_names, start_values, 5, PROF_STARTS,
                                &start);
        if (st != SP_OK)
            return st;
        sim_service *svc = NULL;
        for (size_t i = 0; i < p->service_count && !svc; i++) {
            if (sim_ascii_casecmp(p->services[i].name, name) == 0)
                svc = &p->services[i];
        }
        if (!svc) {
            svc = &p->services[p->service_count];
            if (!(svc->name = sim_strdup(name)))
                return PROF_NOMEM(c);
            p->service_count++;
        }
        svc->info.state = (sp_svc_state)state;
        svc->info.start_type = (sp_svc_start)start;
        const char *pace_keys[2] = {"stop_ms", "start_ms"};
        unsigned *pace[2] = {&svc->stop_ms, &svc->start_ms};
        for (int k = 0; k < 2; k++) {
            const cJSON *item = cJSON_GetObjectItemCaseSensitive(s, pace_keys[k]);
            char what[300];
            double d = 0;
            snprintf(what, sizeof what, "services.%s.%s", name, pace_keys[k]);
            if (item && (st = prof_number(c, item, what, 0, 60001, "0 to 60000", &d)) != SP_OK)
                return st;
            *pace[k] = (unsigned)d;
        }
        static const char *const texts[] = {"image", "display"};
        char **slots[] = {&svc->image, &svc->display};
        for (int t = 0; t < 2; t++) {
            const cJSON *item = cJSON_GetObjectItemCaseSensitive(s, texts[t]);
            if (!item)
                continue;
            if (!cJSON_IsString(item) || !item->valuestring)
                return prof_fail(c, SP_ERR_BADDATA, "services.%s.%s must be a string", name,
                                 texts[t]);
            free(*slots[t]);
            if (!(*slots[t] = sim_strdup(item->valuestring)))
                return PROF_NOMEM(c);
        }
    }
    return SP_OK;
}

static sp_status prof_process(prof_ctx *c, size_t idx, const cJSON *obj, sim_process *proc)
{
    if (!cJSON_IsObject(obj))
        return prof_fail(c, SP_ERR_BADDATA, "processes[%lu] must be an object",
                         (unsigned long)idx);
    const cJSON *argv = cJSON_GetObjectItemCaseSensitive(obj, "argv");
    size_t argc = 0;
    int all_strings = cJSON_IsArray(argv);
    const cJSON *a;
    if (all_strings) {
        cJSON_ArrayForEach(a, argv) {
            if (!cJSON_IsString(a) || !a->valuestring) {
                all_strings = 0;
                break;
            }
            argc++;
        }
    }
    if (!all_strings || argc == 0)
        return prof_fail(c, SP_ERR_BADDATA,
                         "processes[%lu].argv must be a non-empty array of strings",
                         (unsigned long)idx);
    if (!(proc->argv = calloc(argc, sizeof *proc->argv)))
        return PROF_NOMEM(c);
    cJSON_ArrayForEach(a, argv) {
        if (!(proc->argv[proc->argc] = sim_strdup(a->valuestring)))
            return PROF_NOMEM(c);
        proc->argc++;
    }
    char what[64];
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, "exit");
    if (item) {
        double d = 0;
        snprintf(what, sizeof what, "processes[%lu].exit", (unsigned long)idx);
        /* Windows exit codes are DWORDs (0xC0000005); C sees them as negative ints. */
        sp_status st = prof_number(c, item, what, -2147483648.0, 4294967296.0,
                                   "-2147483648 to 4294967295", &d);
        if (st != SP_OK)
            return st;
        proc->exit_code = (int)(int64_t)(d > 2147483647.0 ? d - 4294967296.0 : d);
    }
    const char *out = "";
    item = cJSON_GetObjectItemCaseSensitive(obj, "output");
    snprintf(what, sizeof what, "processes[%lu].output", (unsigned long)idx);
    if (item && prof_string(c, item, what, &out) != SP_OK)
        return SP_ERR_BADDATA;
    if (!(proc->output = sim_strdup(out)))
        return PROF_NOMEM(c);
    proc->output_len = strlen(out);
    item = cJSON_GetObjectItemCaseSensitive(obj, "timeout");
    if (item && !cJSON_IsBool(item))
        return prof_fail(c, SP_ERR_BADDATA, "processes[%lu].timeout must be true or false",
                         (unsigned long)idx);
    proc->times_out = cJSON_IsTrue(item);
    item = cJSON_GetObjectItemCaseSensitive(obj, "line_delay_ms");
    if (item) {
        double d = 0;
        snprintf(what, sizeof what, "processes[%lu].line_delay_ms", (unsigned long)idx);
        if (prof_number(c, item, what, 0.0, 10001.0, "0 to 10000", &d) != SP_OK)
            return SP_ERR_BADDATA;
        proc->line_delay_ms = (unsigned)d;
    }
    return SP_OK;
}

sp_status prof_processes(prof_ctx *c, const cJSON *arr, sim_profile *p)
{
    if (!cJSON_IsArray(arr))
        return prof_fail(c, SP_ERR_BADDATA, "processes must be an array");
    size_t n = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) n++;
    if (n == 0)
        return SP_OK;
    if (!(p->processes = calloc(n, sizeof *p->processes)))
        return PROF_NOMEM(c);
    cJSON_ArrayForEach(e, arr) {
        /* Counted before parsing so that a half-parsed entry is freed too. */
        sim_process *proc = &p->processes[p->process_count++];
        sp_status st = prof_process(c, p->process_count - 1, e, proc);
        if (st != SP_OK)
            return st;
    }
    return SP_OK;
}

/* UTF-8 to UTF-16LE with a byte-order mark, as Windows' "Unicode" text files are written. */
static char *prof_utf16le(const char *s, size_t *size)
{
    size_t n = strlen(s);
    unsigned char *out = malloc(2 + 4 * n), *o = out;
    if (!out)
        return NULL;
    *o++ = 0xFF;
    *o++ = 0xFE;
    for (const unsigned char *u = (const unsigned char *)s; *u;) {
        uint32_t cp = *u++;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        if (more)
            cp &= 0x3Fu >> more;
        for (; more > 0 && (*u & 0xC0) == 0x80; more--)
            cp = (cp << 6) | (*u++ & 0x3Fu);
        if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000, hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
            *o++ = (unsigned char)hi, *o++ = (unsigned char)(hi >> 8);
            *o++ = (unsigned char)lo, *o++ = (unsigned char)(lo >> 8);
        } else {
            *o++ = (unsigned char)cp, *o++ = (unsigned char)(cp >> 8);
        }
    }
    *size = (size_t)(o - out);
    return (char *)out;
}

/* {"text": "...", "utf16": true, "mtime": 1709420400, "size": 19327352832}: a file in another
 * encoding, with a last-modified time of its own (a data file older than the last backup), or
 * that file_stat reports as that large while it is as seeded (an Exchange store of 18 GB,
 * without writing 18 GB). */
/* {"days_ago": 2}: every "{{DATE}}" of the file's text is the day that many days before the
 * profile's now (or the real clock), as M/D/YYYY: a log that stays as recent as the demo needs,
 * whenever it runs (its mtime stays "mtime", or the time it is seeded). Heap text, NULL when
 * out of memory. */
static char *prof_dated_text(const char *text, int64_t when)
{
    char stamp[32], date[16];
    int y = 0, mo = 0, d = 0;
    sp_civil_format(when, stamp, sizeof stamp);
    if (sscanf(stamp, "%d-%d-%d", &y, &mo, &d) != 3)
        return sim_strdup(text);
    snprintf(date, sizeof date, "%d/%d/%d", mo, d, y);
    size_t n = 0, dl = strlen(date);
    for (const char *p = text; (p = strstr(p, "{{DATE}}")); p += 8)
        n++;
    char *out = malloc(strlen(text) + n * dl + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text; *p;) {
        if (strncmp(p, "{{DATE}}", 8) == 0) {
            memcpy(o, date, dl);
            o += dl, p += 8;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

static sp_status prof_days_ago(prof_ctx *c, const cJSON *item, const char *path, double *d)
{
    char what[80];
    snprintf(what, sizeof what, "files: \"%.40s\".days_ago", path);
    return prof_number(c, item, what, 0.0, 100000.0, "0 to 100000 (days)", d);
}

static sp_status prof_file_object(prof_ctx *c, const char *path, const cJSON *f, sim_seedfile *sf,
                                  int64_t now)
{
    const cJSON *days_ago = cJSON_GetObjectItemCaseSensitive(f, "days_ago");
    char *dated = NULL;
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(f, "text");
    const cJSON *utf16 = cJSON_GetObjectItemCaseSensitive(f, "utf16");
    const cJSON *mtime = cJSON_GetObjectItemCaseSensitive(f, "mtime");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(f, "size");
    if (!cJSON_IsString(text) || !text->valuestring)
        return prof_fail(c, SP_ERR_BADDATA, "files: \"%s\".text must be a string", path);
    if (utf16 && !cJSON_IsBool(utf16))
        return prof_fail(c, SP_ERR_BADDATA, "files: \"%s\".utf16 must be true or false", path);
    if (mtime) {
        double d = 0;
        char what[80];
        snprintf(what, sizeof what, "files: \"%.40s\".mtime", path);
        if (prof_number(c, mtime, what, 0.0, 32503680000.0, "0 to 32503680000 (Unix seconds)",
                        &d) != SP_OK)
            return SP_ERR_BADDATA;
        sf->mtime = (int64_t)d;
    }
    if (size) {
        double d = 0;
        char what[80];
        snprintf(what, sizeof what, "files: \"%.40s\".size", path);
        if (prof_number(c, size, what, 1.0, 1e15, "1 to 1e15 (bytes)", &d) != SP_OK)
            return SP_ERR_BADDATA;
        sf->stat_size = (uint64_t)d;
    }
    if (days_ago) {
        double d = 0;
        if (prof_days_ago(c, days_ago, path, &d) != SP_OK)
            return SP_ERR_BADDATA;
        int64_t when = now - (int64_t)d * 86400;
        if (!(dated = prof_dated_text(text->valuestring, when)))
            return PROF_NOMEM(c);
    }
    const char *body = dated ? dated : text->valuestring;
    if (cJSON_IsTrue(utf16)) {
        sf->content = prof_utf16le(body, &sf->size);
    } else {
        sf->content = sim_strdup(body);
        sf->size = sf->content ? strlen(sf->content) : 0;
    }
    free(dated);
    return sf->content ? SP_OK : PROF_NOMEM(c);
}

void sim_seed_stat_size(const sim_profile *p, const char *path, sp_filestat *out)
{
    for (size_t i = 0; i < p->file_count; i++) {
        const sim_seedfile *sf = &p->files[i];
        if (sf->stat_size && out->exists && !out->is_dir && out->size == sf->size &&
            sim_ascii_casecmp(sf->path, path) == 0)
            out->size = sf->stat_size;
    }
}

sp_status prof_files(prof_ctx *c, const cJSON *obj, sim_profile *p)
{
    if (!cJSON_IsObject(obj))
        return prof_fail(c, SP_ERR_BADDATA, "files must be an object of paths and contents");
    size_t n = 0;
    const cJSON *f;
    cJSON_ArrayForEach(f, obj) n++;
    if (n == 0)
        return SP_OK;
    if (!(p->files = calloc(n, sizeof *p->files)))
        return PROF_NOMEM(c);
    cJSON_ArrayForEach(f, obj) {
        const char *path = prof_key_name(f);
        char *mapped = NULL;
        if (sim_map_path("", '/', path, &mapped) != SP_OK)
            return prof_fail(c, SP_ERR_BADDATA,
                             "files: \"%s\" must be an absolute Windows path without \"..\"",
                             path);
        free(mapped);
        sim_seedfile *sf = &p->files[p->file_count++];
        if (!(sf->path = sim_strdup(path)))
            return PROF_NOMEM(c);
        if (cJSON_IsObject(f)) {
            sp_status st = prof_file_object(c, path, f, sf, p->has_now ? p->now : (int64_t)time(NULL));
            if (st != SP_OK)
                return st;
            continue;
        }
        if (!cJSON_IsString(f) || !f->valuestring)
            return prof_fail(c, SP_ERR_BADDATA,
                             "files: \"%s\" must have a string or an object as content", path);
        sf->content = sim_strdup(f->valuestring);
        if (!sf->content)
            return PROF_NOMEM(c);
        sf->size = strlen(sf->content);
    }
    return SP_OK;
}

/* One NTP peer: {"offset_ms": n, "delay_ms": n, "stratum": n, "leap": n,
 * "reply": "ntp" | "garbage" | "none"}. */
static sp_status prof_ntp_peer(prof_ctx *c, const cJSON *obj, sim_ntp_peer *peer)
{
    static const char *const replies[] = {"ntp", "garbage", "none"};
    const char *host = prof_key_name(obj);
    char what[320];
    double d = 0;
    const cJSON *item;
    sp_status st;
    if (!cJSON_IsObject(obj))
        return prof_fail(c, SP_ERR_BADDATA, "ntp.%s must be an object such as "
                                            "{\"offset_ms\": -420000, \"stratum\": 2}", host);
    if (!(peer->host = sim_strdup(host)))
        return PROF_NOMEM(c);
    peer->stratum = 2;
    peer->delay_us = 30000;
    if ((item = cJSON_GetObjectItemCaseSensitive(obj, "offset_ms"))) {
        snprintf(what, sizeof what, "ntp.%s.offset_ms", host);
        /* A century either way is more than any clock is off. */
        if ((st = prof_number(c, item, what, -3.2e12, 3.2e12, "-3.2e12 to 3.2e12", &d)) != SP_OK)
            return st;
        peer->offset_us = (int64_t)d * 1000;
    }
    if ((item = cJSON_GetObjectItemCaseSensitive(obj, "delay_ms"))) {
        snprintf(what, sizeof what, "ntp.%s.delay_ms", host);
        if ((st = prof_number(c, item, what, 0, 60001, "0 to 60000", &d)) != SP_OK)
            return st;
        peer->delay_us = (int64_t)d * 1000;
    }
    if ((item = cJSON_GetObjectItemCaseSensitive(obj, "stratum"))) {
        snprintf(what, sizeof what, "ntp.%s.stratum", host);
        if ((st = prof_number(c, item, what, 0, 256, "0 to 255", &d)) != SP_OK)
            return st;
        peer->stratum = (unsigned)d;
    }
    if ((item = cJSON_GetObjectItemCaseSensitive(obj, "leap"))) {
        snprintf(what, sizeof what, "ntp.%s.leap", host);
        if ((st = prof_number(c, item, what, 0, 4, "0 to 3", &d)) != SP_OK)
            return st;
        peer->leap = (unsigned)d;
    }
    if ((item = cJSON_GetObjectItemCaseSensitive(obj, "reply"))) {
        int found = 0;
        for (int i = 0; i < 3; i++) {
            if (cJSON_IsString(item) && item->valuestring &&
                sim_ascii_casecmp(item->valuestring, replies[i]) == 0) {
                peer->reply = i;
                found = 1;
            }
        }
        if (!found)
            return prof_fail(c, SP_ERR_BADDATA, "ntp.%s.reply must be \"ntp\", \"garbage\" or "
                                                "\"none\"", host);
    }
    return SP_OK;
}

sp_status prof_ntp(prof_ctx *c, const cJSON *obj, sim_profile *p)
{
    size_t n = 0;
    const cJSON *e;
    if (!cJSON_IsObject(obj))
        return prof_fail(c, SP_ERR_BADDATA, "ntp must be an object of NTP servers by host name");
    cJSON_ArrayForEach(e, obj) n++;
    if (n == 0)
        return SP_OK;
    if (!(p->ntp = calloc(n, sizeof *p->ntp)))
        return PROF_NOMEM(c);
    cJSON_ArrayForEach(e, obj) {
        sp_status st = prof_ntp_peer(c, e, &p->ntp[p->ntp_count++]);
        if (st != SP_OK)
            return st;
    }
    return SP_OK;
}
