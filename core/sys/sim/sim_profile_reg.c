/* The sim profile's registry sections: keys and typed values (sz to binary, hex and qwords). */
#include "core/sys/sim/sim_profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

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
sp_status prof_hex(prof_ctx *c, const char *where, const char *hex, unsigned char **out,
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

sp_status prof_registry(prof_ctx *c, const char *section, const cJSON *obj,
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
