/* Reads a sim profile (JSON) into the sim's model, naming the offending key on any error. */
#include "core/sys/sim/sim_internal.h"

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

#define PROF_TYPES "sz, expand_sz, multi_sz, dword, qword or binary"
#define PROF_STATES "stopped, running, paused, start_pending or stop_pending"
#define PROF_STARTS "boot, system, auto, demand or disabled"

typedef struct {
    char *err;
    size_t errlen;
} prof_ctx;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static sp_status prof_fail(prof_ctx *c, sp_status st, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

#define PROF_NOMEM(c) prof_fail((c), SP_ERR_NOMEM, "out of memory reading the profile")

/* A JSON number that must be whole and in [lo, hi); what names it in the message. */
static sp_status prof_number(prof_ctx *c, const cJSON *item, const char *what, double lo,
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

static sp_status prof_unsigned(prof_ctx *c, const cJSON *item, const char *what, unsigned *out)
{
    double d = 0;
    sp_status st = prof_number(c, item, what, 0.0, 4294967296.0, "0 to 4294967295", &d);
    if (st == SP_OK)
        *out = (unsigned)(uint32_t)(int64_t)d;
    return st;
}

static sp_status prof_string(prof_ctx *c, const cJSON *item, const char *what, const char **out)
{
    if (!cJSON_IsString(item) || !item->valuestring)
        return prof_fail(c, SP_ERR_BADDATA, "%s must be a string", what);
    *out = item->valuestring;
    return SP_OK;
}

static const char *prof_key_name(const cJSON *item)
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

static int prof_hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Hex bytes as regedit exports them or packed: "00ff10", "00 ff 10" and "00,ff,10". */
static sp_status prof_hex(prof_ctx *c, const char *where, const char *hex, unsigned char **out,
                          size_t *size)
{
    size_t len = strlen(hex);
    unsigned char *buf = malloc(len / 2 + 1);
    if (!buf)
        return PROF_NOMEM(c);
    size_t n = 0;
    int high = -1;
    for (size_t i = 0; i < len; i++) {
        if (high < 0 && (hex[i] == ' ' || hex[i] == ',' || hex[i] == '\t'))
            continue;
        int d = prof_hex_digit(hex[i]);
        if (d < 0) {
            free(buf);
            return prof_fail(c, SP_ERR_BADDATA, "%s: binary has a bad hex digit at position %lu",
                             where, (unsigned long)i);
        }
        if (high < 0) {
            high = d;
        } else {
            buf[n++] = (unsigned char)(high << 4 | d);
            high = -1;
        }
    }
    if (high >= 0) {
        free(buf);
        return prof_fail(c, SP_ERR_BADDATA, "%s: binary has an odd number of hex digits", where);
    }
    *out = buf;
    *size = n;
    return SP_OK;
}

/* A QWORD as a number, or as a decimal or 0x string when it needs more than 53 bits. */
static sp_status prof_qword(prof_ctx *c, const char *where, const cJSON *item, uint64_t *out)
{
    char what[320];
    snprintf(what, sizeof what, "%s: qword", where);
    if (cJSON_IsNumber(item)) {
        double d = 0;
        sp_status st = prof_number(c, item, what, 0.0, 9223372036854775808.0,
                                   "0 to 2^63-1 (use a string for larger values)", &d);
        if (st == SP_OK)
            *out = (uint64_t)(int64_t)d;
        return st;
    }
    if (!cJSON_IsString(item) || !item->valuestring || !*item->valuestring)
        return prof_fail(c, SP_ERR_BADDATA, "%s must be a number or a string of digits", what);
    const char *s = item->valuestring;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
        base = 16;
        s += 2;
    }
    uint64_t v = 0;
    for (; *s; s++) {
        int d = prof_hex_digit(*s);
        if (d < 0 || (unsigned)d >= base || v > (UINT64_MAX - (uint64_t)d) / base)
            return prof_fail(c, SP_ERR_BADDATA, "%s must be a 64-bit decimal or 0x hex number",
                             what);
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return SP_OK;
}

static void prof_le(unsigned char *b, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static sp_status prof_value(prof_ctx *c, const char *where, const cJSON *spec, sim_regkey *key,
                            const char *name)
{
    if (!cJSON_IsObject(spec))
        return prof_fail(c, SP_ERR_BADDATA, "%s must be an object such as {\"sz\": \"text\"}",
                         where);
    const cJSON *item = spec->child;
    if (!item || item->next)
        return prof_fail(c, SP_ERR_BADDATA, "%s must have exactly one type key (%s)", where,
                         PROF_TYPES);
    const char *type = prof_key_name(item);
    char what[320];
    snprintf(what, sizeof what, "%s: %s", where, type);
    unsigned char *data = NULL;
    size_t size = 0;
    sp_reg_type rt;
    sp_status st = SP_OK;
    if (strcmp(type, "sz") == 0 || strcmp(type, "expand_sz") == 0) {
        const char *s = NULL;
        rt = type[0] == 's' ? SP_REG_SZ : SP_REG_EXPAND_SZ;
        st = prof_string(c, item, what, &s);
        if (st == SP_OK && !(data = (unsigned char *)sim_strdup(s)))
            st = PROF_NOMEM(c);
        size = st == SP_OK ? strlen(s) + 1 : 0;
    } else if (strcmp(type, "multi_sz") == 0) {
        rt = SP_REG_MULTI_SZ;
        if (!cJSON_IsArray(item))
            return prof_fail(c, SP_ERR_BADDATA, "%s must be an array of strings", what);
        const cJSON *e;
        size = 1;
        cJSON_ArrayForEach(e, item) {
            if (!cJSON_IsString(e) || !e->valuestring)
                return prof_fail(c, SP_ERR_BADDATA, "%s must be an array of strings", what);
            size += strlen(e->valuestring) + 1;
        }
        if (!(data = malloc(size)))
            return PROF_NOMEM(c);
        size_t off = 0;
        cJSON_ArrayForEach(e, item) {
            size_t n = strlen(e->valuestring) + 1;
            memcpy(data + off, e->valuestring, n);
            off += n;
        }
        data[off] = '\0';
    } else if (strcmp(type, "dword") == 0 || strcmp(type, "qword") == 0) {
        uint64_t v = 0;
        if (type[0] == 'd') {
            unsigned u = 0;
            rt = SP_REG_DWORD;
            size = 4;
            st = prof_unsigned(c, item, what, &u);
            v = u;
        } else {
            rt = SP_REG_QWORD;
            size = 8;
            st = prof_qword(c, where, item, &v);
        }
        if (st == SP_OK && !(data = malloc(size)))
            st = PROF_NOMEM(c);
        if (st == SP_OK)
            prof_le(data, v, size);
    } else if (strcmp(type, "binary") == 0) {
        const char *hex = NULL;
        rt = SP_REG_BINARY;
        st = prof_string(c, item, what, &hex);
        if (st == SP_OK)
            st = prof_hex(c, where, hex, &data, &size);
    } else {
        return prof_fail(c, SP_ERR_BADDATA, "%s has unknown type \"%s\" (expected %s)", where,
                         type, PROF_TYPES);
    }
    if (st == SP_OK && sim_reg_put_value(key, name, rt, data, size) != SP_OK)
        st = PROF_NOMEM(c);
    free(data);
    return st;
}

static sp_status prof_registry(prof_ctx *c, const char *section, const cJSON *obj,
                               sim_registry *reg)
{
    if (!cJSON_IsObject(obj))
        return prof_fail(c, SP_ERR_BADDATA, "%s must be an object of registry keys", section);
    const cJSON *k;
    cJSON_ArrayForEach(k, obj) {
        const char *path = prof_key_name(k);
        char *norm = sim_reg_normalize_key(path);
        if (!norm || !strchr(norm, '\\')) {
            free(norm);
            return prof_fail(c, SP_ERR_BADDATA,
                             "%s: key \"%s\" must start with HKLM, HKCU, HKU, HKCR or HKCC "
                             "and name a key below it",
                             section, path);
        }
        if (!cJSON_IsObject(k)) {
            free(norm);
            return prof_fail(c, SP_ERR_BADDATA, "%s: key \"%s\" must be an object of values",
                             section, path);
        }
        sim_regkey *key = NULL;
        sp_status st = sim_reg_add_key(reg, norm, &key);
        free(norm);
        if (st != SP_OK)
            return PROF_NOMEM(c);
        const cJSON *v;
        cJSON_ArrayForEach(v, k) {
            const char *vname = prof_key_name(v);
            char where[300];
            snprintf(where, sizeof where, "%s: %s value \"%s\"", section, path, vname);
            /* regedit shows the unnamed value as "(Default)"; profiles may too. */
            st = prof_value(c, where, v, key, strcmp(vname, "(Default)") == 0 ? "" : vname);
            if (st != SP_OK)
                return st;
        }
    }
    return SP_OK;
}

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

static sp_status prof_services(prof_ctx *c, const cJSON *obj, sim_profile *p)
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

static sp_status prof_processes(prof_ctx *c, const cJSON *arr, sim_profile *p)
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

/* {"text": "...", "utf16": true, "mtime": 1709420400}: a file in another encoding or with a
 * last-modified time of its own (a data file older than the last backup). */
static sp_status prof_file_object(prof_ctx *c, const char *path, const cJSON *f, sim_seedfile *sf)
{
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(f, "text");
    const cJSON *utf16 = cJSON_GetObjectItemCaseSensitive(f, "utf16");
    const cJSON *mtime = cJSON_GetObjectItemCaseSensitive(f, "mtime");
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
    if (cJSON_IsTrue(utf16)) {
        sf->content = prof_utf16le(text->valuestring, &sf->size);
    } else {
        sf->content = sim_strdup(text->valuestring);
        sf->size = sf->content ? strlen(sf->content) : 0;
    }
    return sf->content ? SP_OK : PROF_NOMEM(c);
}

static sp_status prof_files(prof_ctx *c, const cJSON *obj, sim_profile *p)
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
            sp_status st = prof_file_object(c, path, f, sf);
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

static sp_status prof_ntp(prof_ctx *c, const cJSON *obj, sim_profile *p)
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
    sim_updates_free(p);
    cJSON_Delete(p->events);
    cJSON_Delete(p->disks);
    memset(p, 0, sizeof *p);
}
