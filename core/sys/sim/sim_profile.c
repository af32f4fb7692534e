/* Reads a sim profile (JSON) into the sim's model, naming the offending key on any error. */
#include "core/sys/sim/sim_profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

/* Defaults are the folders of an English Windows Server 2003, the oldest source. */
static const char *const prof_default_folders[SIM_FOLDER_COUNT] = {
    "C:\\Documents and Settings\\All Users\\Application Data",
    "C:\\WINDOWS\\Temp",
    "C:\\WINDOWS",
};
static const char *const prof_folder_keys[SIM_FOLDER_COUNT] = {"programdata", "temp", "windows"};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
sp_status prof_fail(prof_ctx *c, sp_status st, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* A JSON number that must be whole and in [lo, hi); what names it in the message. */
sp_status prof_number(prof_ctx *c, const cJSON *item, const char *what, double lo,
                      double hi, const char *range, double *out)
{
    if (!cJSON_IsNumber(item))
        return prof_fail(c, SP_ERR_BADDATA, "%s must be a number", what);
    double d = item->valuedouble;
    /* The range test comes first and also rejects NaN: converting an out-of-range
     * double to an integer is undefined behaviour. */
    if (!(d >= lo && d < hi) || (double)(int64_t)d != d)
        return prof_fail(c, SP_ERR_BADDATA, "%s must be a whole number from %s", what, range);
    *out = d;
    return SP_OK;
}

sp_status prof_unsigned(prof_ctx *c, const cJSON *item, const char *what, unsigned *out)
{
    double d = 0;
    sp_status st = prof_number(c, item, what, 0.0, 4294967296.0, "0 to 4294967295", &d);
    if (st == SP_OK)
        *out = (unsigned)(uint32_t)(int64_t)d;
    return st;
}

sp_status prof_string(prof_ctx *c, const cJSON *item, const char *what, const char **out)
{
    if (!cJSON_IsString(item) || !item->valuestring)
        return prof_fail(c, SP_ERR_BADDATA, "%s must be a string", what);
    *out = item->valuestring;
    return SP_OK;
}

const char *prof_key_name(const cJSON *item)
{
    return item->string ? item->string : "";
}


static sp_status prof_os(prof_ctx *c, const cJSON *os, sp_osinfo *out)
{
    if (!os)
        return prof_fail(c, SP_ERR_BADDATA,
                         "profile has no \"os\" object (the Windows version to simulate)");
    if (!cJSON_IsObject(os))
        return prof_fail(c, SP_ERR_BADDATA, "os must be an object");
    const struct {
        const char *key;
        unsigned *field;
    } numbers[] = {
        {"major", &out->major},           {"minor", &out->minor},
        {"build", &out->build},           {"sp_major", &out->sp_major},
        {"sp_minor", &out->sp_minor},     {"product_type", &out->product_type},
        {"suite_mask", &out->suite_mask}, {"product_info", &out->product_info},
        {"ui_language", &out->ui_language}, /* a LANGID: 1031 (0x0407) for German */
    };
    const struct {
        const char *key;
        char *field;
        size_t size;
    } strings[] = {
        {"csd", out->csd, sizeof out->csd},
        {"product_name", out->product_name, sizeof out->product_name},
        {"arch", out->arch, sizeof out->arch},
        {"computer", out->computer, sizeof out->computer},
        {"domain", out->domain, sizeof out->domain},
    };
    char what[64];
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(os, numbers[i].key);
        snprintf(what, sizeof what, "os.%s", numbers[i].key);
        sp_status st = item ? prof_unsigned(c, item, what, numbers[i].field) : SP_OK;
        if (st != SP_OK)
            return st;
    }
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        const cJSON *item = cJSON_GetObjectItemCaseSensitive(os, strings[i].key);
        const char *s = "";
        snprintf(what, sizeof what, "os.%s", strings[i].key);
        sp_status st = item ? prof_string(c, item, what, &s) : SP_OK;
        if (st != SP_OK)
            return st;
        sim_copy_truncated(strings[i].field, strings[i].size, s);
    }
    return SP_OK;
}

static sp_status prof_folders(prof_ctx *c, const cJSON *folders, sim_profile *p)
{
    if (folders && !cJSON_IsObject(folders))
        return prof_fail(c, SP_ERR_BADDATA, "folders must be an object");
    for (int i = 0; i < SIM_FOLDER_COUNT; i++) {
        const cJSON *item =
            folders ? cJSON_GetObjectItemCaseSensitive(folders, prof_folder_keys[i]) : NULL;
        const char *path = prof_default_folders[i];
        char what[32];
        snprintf(what, sizeof what, "folders.%s", prof_folder_keys[i]);
        sp_status st = item ? prof_string(c, item, what, &path) : SP_OK;
        if (st != SP_OK)
            return st;
        char *mapped = NULL;
        if (sim_map_path("", '/', path, &mapped) != SP_OK)
            return prof_fail(c, SP_ERR_BADDATA, "%s must be an absolute Windows path, not \"%s\"",
                             what, path);
        free(mapped);
        p->folders[i] = sim_strdup(path);
        if (!p->folders[i])
            return PROF_NOMEM(c);
    }
    return SP_OK;
}

/* Where the parser stopped, as a line and column a person can find in an editor. */
static void prof_position(const char *json, size_t len, const char *at, unsigned long *line,
                          unsigned long *col)
{
    size_t off = (at && at >= json && (size_t)(at - json) <= len) ? (size_t)(at - json) : 0;
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (json[i] == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

static sp_status prof_top(prof_ctx *c, const cJSON *root, sim_profile *p)
{
    if (!cJSON_IsObject(root))
        return prof_fail(c, SP_ERR_BADDATA, "profile must be a JSON object");
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, "name");
    const char *name = "";
    if (item && prof_string(c, item, "name", &name) != SP_OK)
        return SP_ERR_BADDATA;
    if (!(p->name = sim_strdup(name)))
        return PROF_NOMEM(c);
    item = cJSON_GetObjectItemCaseSensitive(root, "now");
    if (item) {
        double d = 0;
        sp_status st = prof_number(c, item, "now", -9.2e18, 9.2e18, "-9.2e18 to 9.2e18", &d);
        if (st != SP_OK)
            return st;
        p->has_now = 1;
        p->now = (int64_t)d;
    }
    item = cJSON_GetObjectItemCaseSensitive(root, "io_delay_ms");
    if (item) {
        double d = 0;
        if (prof_number(c, item, "io_delay_ms", 0.0, 10001.0, "0 to 10000", &d) != SP_OK)
            return SP_ERR_BADDATA;
        p->io_delay_ms = (unsigned)d;
    }
    item = cJSON_GetObjectItemCaseSensitive(root, "admin");
    if (item && !cJSON_IsBool(item))
        return prof_fail(c, SP_ERR_BADDATA, "admin must be true or false");
    p->admin = item ? cJSON_IsTrue(item) : 1;
    sp_status st = prof_os(c, cJSON_GetObjectItemCaseSensitive(root, "os"), &p->os);
    if (st == SP_OK)
        st = prof_folders(c, cJSON_GetObjectItemCaseSensitive(root, "folders"), p);
    if (st == SP_OK && (item = cJSON_GetObjectItemCaseSensitive(root, "registry")))
        st = prof_registry(c, "registry", item, &p->reg);
    if (st == SP_OK && (item = cJSON_GetObjectItemCaseSensitive(root, "registry32"))) {
        p->has_reg32 = 1;
        st = prof_registry(c, "registry32", item, &p->reg32);
    }
    if (st == SP_OK && (item = cJSON_GetObjectItemCaseSensitive(root, "services")))
        st = prof_services(c, item, p);
    if (st == SP_OK && (item = cJSON_GetObjectItemCaseSensitive(root, "processes")))
        st = prof_processes(c, item, p);
    if (st == SP_OK && (item = cJSON_GetObjectItemCaseSensitive(root, "files")))
        st = prof_files(c, item, p);
    if (st == SP_OK && (item = cJSON_GetObjectItemCaseSensitive(root, "ntp")))
        st = prof_ntp(c, item, p);
    if (st == SP_OK && (item = cJSON_GetObjectItemCaseSensitive(root, "w32time_sync_ms"))) {
        double d = 0;
        st = prof_number(c, item, "w32time_sync_ms", -3.2e12, 3.2e12, "-3.2e12 to 3.2e12", &d);
        p->w32time_sync_us = (int64_t)d * 1000;
    }
    if (st == SP_OK)
        st = sim_ldap_parse(cJSON_GetObjectItemCaseSensitive(root, "ldap"),
                            cJSON_GetObjectItemCaseSensitive(root, "sids"), p, c->err, c->errlen);
    if (st == SP_OK && (item = cJSON_GetObjectItemCaseSensitive(root, "http")))
        st = sim_http_parse(item, p, c->err, c->errlen);
    if (st == SP_OK)
        st = sim_updates_parse(cJSON_GetObjectItemCaseSensitive(root, "updates"),
                               cJSON_GetObjectItemCaseSensitive(root, "wua"), p, c->err, c->errlen);
    if (st == SP_OK)
        st = sim_health_parse(cJSON_GetObjectItemCaseSensitive(root, "events"),
                              cJSON_GetObjectItemCaseSensitive(root, "disks"),
                              cJSON_GetObjectItemCaseSensitive(root, "event_read_ms"), p, c->err,
                              c->errlen);
    if (st == SP_OK)
        st = sim_dns_parse(cJSON_GetObjectItemCaseSensitive(root, "dns"), p, c->err, c->errlen);
    if (st == SP_OK)
        st = sim_shares_parse(cJSON_GetObjectItemCaseSensitive(root, "net_shares"), p, c->err, c->errlen);
    if (st == SP_OK)
        st = sim_sql_parse(cJSON_GetObjectItemCaseSensitive(root, "sql"), p, c->err, c->errlen);
    if (st == SP_OK)
        st = sim_security_parse(cJSON_GetObjectItemCaseSensitive(root, "security"), p, c->err,
                                c->errlen);
    return st;
}

sp_status sim_profile_parse(const char *json, size_t len, sim_profile *out, char *err,
                            size_t errlen)
{
    prof_ctx c = {err, errlen};
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    if (!json || len == 0)
        return prof_fail(&c, SP_ERR_BADDATA, "profile is empty");
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    unsigned long line, col;
    if (!root) {
        prof_position(json, len, end, &line, &col);
        return prof_fail(&c, SP_ERR_BADDATA, "profile is not valid JSON (line %lu, column %lu)",
                         line, col);
    }
    /* cJSON stops after the first value; anything but blanks after it is a mistake. */
    const char *stop = json + len;
    const char *p = (end && end >= json && end <= stop) ? end : stop;
    while (p < stop && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\0'))
        p++;
    sp_status st;
    if (p < stop) {
        prof_position(json, len, p, &line, &col);
        st = prof_fail(&c, SP_ERR_BADDATA, "profile has extra text after the JSON object "
                                           "(line %lu, column %lu)",
                       line, col);
    } else {
        st = prof_top(&c, root, out);
    }
    cJSON_Delete(root);
    if (st != SP_OK)
        sim_profile_free(out);
    return st;
}

void sim_profile_free(sim_profile *p)
{
    if (!p)
        return;
    free(p->name);
    for (int i = 0; i < SIM_FOLDER_COUNT; i++)
        free(p->folders[i]);
    sim_reg_free(&p->reg);
    sim_reg_free(&p->reg32);
    for (size_t i = 0; i < p->service_count; i++) {
        free(p->services[i].name);
        free(p->services[i].display);
        free(p->services[i].image);
    }
    free(p->services);
    for (size_t i = 0; i < p->process_count; i++) {
        for (size_t j = 0; j < p->processes[i].argc; j++)
            free(p->processes[i].argv[j]);
        free(p->processes[i].argv);
        free(p->processes[i].output);
    }
    free(p->processes);
    for (size_t i = 0; i < p->file_count; i++) {
        free(p->files[i].path);
        free(p->files[i].content);
    }
    free(p->files);
    for (size_t i = 0; i < p->ntp_count; i++)
        free(p->ntp[i].host);
    free(p->ntp);
    cJSON_Delete(p->ldap);
    cJSON_Delete(p->sids);
    sim_http_free(p);
    sim_shares_free(p);
    sim_updates_free(p);
    cJSON_Delete(p->events);
    cJSON_Delete(p->disks);
    cJSON_Delete(p->security);
    cJSON_Delete(p->dns);
    cJSON_Delete(p->sql);
    memset(p, 0, sizeof *p);
}
