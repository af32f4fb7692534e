/* The sim's registry: case-insensitive keys and values in memory, both views, implied parents. */
#include "core/sys/sim/sim_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/base/regbytes.h"

static const struct {
    const char *long_name;
    const char *short_name;
} reg_roots[] = {
    {"HKEY_LOCAL_MACHINE", "HKLM"}, {"HKEY_CURRENT_USER", "HKCU"},
    {"HKEY_USERS", "HKU"},          {"HKEY_CLASSES_ROOT", "HKCR"},
    {"HKEY_CURRENT_CONFIG", "HKCC"},
};

static int reg_name_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && sim_ascii_ncasecmp(s, name, n) == 0;
}

char *sim_reg_normalize_key(const char *key)
{
    if (!key)
        return NULL;
    while (*key == '\\')
        key++;
    size_t rootlen = strcspn(key, "\\");
    const char *root = NULL;
    for (size_t i = 0; i < sizeof reg_roots / sizeof reg_roots[0]; i++) {
        if (reg_name_is(key, rootlen, reg_roots[i].long_name) ||
            reg_name_is(key, rootlen, reg_roots[i].short_name))
            root = reg_roots[i].short_name;
    }
    if (!root)
        return NULL;
    /* The short root name is never longer than what it replaces, so the input's
     * length bounds the output's. */
    char *out = malloc(strlen(key) + 1);
    if (!out)
        return NULL;
    size_t n = strlen(root);
    memcpy(out, root, n);
    const char *p = key + rootlen;
    while (*p) {
        while (*p == '\\')
            p++;
        size_t clen = strcspn(p, "\\");
        if (clen == 0)
            break;
        out[n++] = '\\';
        memcpy(out + n, p, clen);
        n += clen;
        p += clen;
    }
    out[n] = '\0';
    return out;
}

sim_regkey *sim_reg_find_key(sim_registry *reg, const char *normalized)
{
    for (size_t i = 0; i < reg->count; i++) {
        if (sim_ascii_casecmp(reg->keys[i].path, normalized) == 0)
            return &reg->keys[i];
    }
    return NULL;
}

sp_status sim_reg_add_key(sim_registry *reg, const char *normalized, sim_regkey **out)
{
    sim_regkey *k = sim_reg_find_key(reg, normalized);
    if (k) {
        *out = k;
        return SP_OK;
    }
    if (reg->count == reg->cap) {
        size_t cap = reg->cap ? reg->cap * 2 : 16;
        sim_regkey *nk = realloc(reg->keys, cap * sizeof *nk);
        if (!nk)
            return SP_ERR_NOMEM;
        reg->keys = nk;
        reg->cap = cap;
    }
    k = &reg->keys[reg->count];
    memset(k, 0, sizeof *k);
    k->path = sim_strdup(normalized);
    if (!k->path)
        return SP_ERR_NOMEM;
    reg->count++;
    *out = k;
    return SP_OK;
}

static sim_regvalue *reg_find_value(sim_regkey *key, const char *name)
{
    for (size_t i = 0; i < key->count; i++) {
        if (sim_ascii_casecmp(key->values[i].name, name) == 0)
            return &key->values[i];
    }
    return NULL;
}

sp_status sim_reg_put_value(sim_regkey *key, const char *name, sp_reg_type type,
                            const void *data, size_t size)
{
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return SP_ERR_NOMEM;
    if (size)
        memcpy(copy, data, size);
    sim_regvalue *v = reg_find_value(key, name);
    if (!v) {
        if (key->count == key->cap) {
            size_t cap = key->cap ? key->cap * 2 : 8;
            sim_regvalue *nv = realloc(key->values, cap * sizeof *nv);
            if (!nv) {
                free(copy);
                return SP_ERR_NOMEM;
            }
            key->values = nv;
            key->cap = cap;
        }
        char *n = sim_strdup(name);
        if (!n) {
            free(copy);
            return SP_ERR_NOMEM;
        }
        v = &key->values[key->count++];
        v->name = n;
    } else {
        free(v->data);
    }
    v->type = type;
    v->data = copy;
    v->size = size;
    v->utf16 = 0;
    return SP_OK;
}

void sim_reg_free(sim_registry *reg)
{
    for (size_t i = 0; i < reg->count; i++) {
        sim_regkey *k = &reg->keys[i];
        for (size_t j = 0; j < k->count; j++) {
            free(k->values[j].name);
            free(k->values[j].data);
        }
        free(k->values);
        free(k->path);
    }
    free(reg->keys);
    memset(reg, 0, sizeof *reg);
}

/* A key exists when it was named, when it is a root, or when a named key lies below it. */
static int reg_key_exists(sim_registry *reg, const char *normalized)
{
    if (!strchr(normalized, '\\') || sim_reg_find_key(reg, normalized))
        return 1;
    size_t n = strlen(normalized);
    for (size_t i = 0; i < reg->count; i++) {
        const char *p = reg->keys[i].path;
        if (sim_ascii_ncasecmp(p, normalized, n) == 0 && p[n] == '\\')
            return 1;
    }
    return 0;
}

static const char *reg_display_name(const char *value)
{
    return *value ? value : "(Default)";
}

/* Normalises key for an operation, failing with a message the user can act on. */
static sp_status reg_prepare(sp_sys *sys, const char *key, char **normalized)
{
    if (!key)
        return sp_sys_fail(sys, SP_ERR_INVALID, "registry: missing key");
    *normalized = sim_reg_normalize_key(key);
    if (!*normalized)
        return sp_sys_fail(sys, SP_ERR_INVALID,
                           "registry key %s does not start with HKLM, HKCU, HKU, HKCR or HKCC",
                           key);
    return SP_OK;
}

/* The value named, or NULL with the failure said. */
static sim_regvalue *reg_lookup(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                                sp_status *st)
{
    char *norm = NULL;
    if ((*st = reg_prepare(sys, key, &norm)) != SP_OK)
        return NULL;
    sim_registry *reg = sim_machine_view(sys, view);
    sim_regkey *k = sim_reg_find_key(reg, norm);
    sim_regvalue *v = k ? reg_find_value(k, value) : NULL;
    if (!v && reg_key_exists(reg, norm))
        *st = sp_sys_fail(sys, SP_ERR_NOTFOUND, "registry value %s not found in %s",
                          reg_display_name(value), norm);
    else if (!v)
        *st = sp_sys_fail(sys, SP_ERR_NOTFOUND, "registry key %s not found", norm);
    free(norm);
    return v;
}

/* A string written raw comes back as UTF-8, converted as the win32 backend converts it; a string
 * given as UTF-8 comes back raw as the UTF-16LE bytes that backend would have stored. */
static sp_status reg_copy_out(sp_sys *sys, const sim_regvalue *v, int raw, sp_regval *out)
{
    sp_status st = SP_OK;
    out->type = v->type;
    if (sp_regbytes_is_string(v->type) && v->utf16 != raw) {
        st = raw ? sp_regbytes_from_utf8(v->type, v->data, v->size, &out->data, &out->size)
                 : sp_regbytes_to_utf8(v->type, v->data, v->size, &out->data, &out->size);
        if (st != SP_OK)
            return sp_sys_fail(sys, st, "registry value %s cannot be converted", reg_display_name(v->name));
        return SP_OK;
    }
    out->data = malloc(v->size ? v->size : 1);
    if (!out->data)
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory");
    if (v->size)
        memcpy(out->data, v->data, v->size);
    out->size = v->size;
    return st;
}

static sp_status reg_get_as(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                            int raw, sp_regval *out)
{
    sp_status st = SP_OK;
    sim_regvalue *v;
    if (!out)
        return sp_sys_fail(sys, SP_ERR_INVALID, "reg_get: missing output");
    memset(out, 0, sizeof *out);
    if (!(v = reg_lookup(sys, view, key, value ? value : "", &st)))
        return st;
    return reg_copy_out(sys, v, raw, out);
}

sp_status sim_reg_get_raw(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                          sp_regval *out)
{
    return reg_get_as(sys, view, key, value, 1, out);
}

sp_status sim_reg_get(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                      sp_regval *out)
{
    return reg_get_as(sys, view, key, value, 0, out);
}

sp_status sim_reg_set(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                      const sp_regval *val)
{
    if (!val || (val->size > 0 && !val->data))
        return sp_sys_fail(sys, SP_ERR_INVALID, "reg_set: missing value data");
    if (!value)
        value = "";
    char *norm = NULL;
    sp_status st = reg_prepare(sys, key, &norm);
    if (st != SP_OK)
        return st;
    if (!strchr(norm, '\\')) {
        st = sp_sys_fail(sys, SP_ERR_ACCESS, "cannot set values directly under %s", norm);
        free(norm);
        return st;
    }
    sim_regkey *k = NULL;
    st = sim_reg_add_key(sim_machine_view(sys, view), norm, &k);
    if (st == SP_OK)
        st = sim_reg_put_value(k, value, val->type, val->data, val->size);
    free(norm);
    if (st != SP_OK)
        return sp_sys_fail(sys, st, "out of memory");
    return SP_OK;
}

sp_status sim_reg_set_raw(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                          const sp_regval *val)
{
    sp_status st = sim_reg_set(sys, view, key, value, val);
    sim_regvalue *v;
    if (st == SP_OK && (v = reg_lookup(sys, view, key, value ? value : "", &st)))
        v->utf16 = sp_regbytes_is_string(val->type);
    return st;
}

sp_status sim_reg_delete_value(sp_sys *sys, sp_reg_view view, const char *key,
                               const char *value)
{
    if (!value)
        value = "";
    char *norm = NULL;
    sp_status st = reg_prepare(sys, key, &norm);
    if (st != SP_OK)
        return st;
    sim_registry *reg = sim_machine_view(sys, view);
    sim_regkey *k = sim_reg_find_key(reg, norm);
    sim_regvalue *v = k ? reg_find_value(k, value) : NULL;
    if (!v) {
        st = sp_sys_fail(sys, SP_ERR_NOTFOUND, "registry value %s not found in %s",
                         reg_display_name(value), norm);
        free(norm);
        return st;
    }
    free(norm);
    free(v->name);
    free(v->data);
    /* Keep the order of the remaining values: enumeration order is observable. */
    size_t i = (size_t)(v - k->values);
    memmove(v, v + 1, (k->count - i - 1) * sizeof *v);
    k->count--;
    return SP_OK;
}

/* Names are collected before any callback runs, so a callback may change the registry. */
typedef struct {
    char **items;
    size_t count, cap;
} reg_names;

static int reg_names_has(const reg_names *ns, const char *s, size_t n)
{
    for (size_t i = 0; i < ns->count; i++) {
        if (strlen(ns->items[i]) == n && sim_ascii_ncasecmp(ns->items[i], s, n) == 0)
            return 1;
    }
    return 0;
}

static sp_status reg_names_add(reg_names *ns, const char *s, size_t n)
{
    if (ns->count == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 16;
        char **ni = realloc(ns->items, cap * sizeof *ni);
        if (!ni)
            return SP_ERR_NOMEM;
        ns->items = ni;
        ns->cap = cap;
    }
    ns->items[ns->count] = sim_strndup(s, n);
    if (!ns->items[ns->count])
        return SP_ERR_NOMEM;
    ns->count++;
    return SP_OK;
}

/* Hands the names to cb until it asks to stop, and frees them; after a failed listing (st) only
 * frees them. */
static sp_status reg_names_deliver_and_free(sp_sys *sys, reg_names *ns, sp_status st,
                                            sp_name_cb cb, void *user)
{
    int stop = st != SP_OK;
    for (size_t i = 0; i < ns->count; i++) {
        if (!stop && cb(user, ns->items[i]))
            stop = 1;
        free(ns->items[i]);
    }
    free(ns->items);
    return st != SP_OK ? sp_sys_fail(sys, st, "out of memory") : SP_OK;
}

/* Opens the key an enumeration lists: *norm gets its normalised name (the caller frees it), *reg
 * the registry of its view; op names the operation in the errors. */
static sp_status reg_enum_open(sp_sys *sys, const char *op, sp_reg_view view, const char *key,
                               sp_name_cb cb, sim_registry **reg, char **norm)
{
    if (!cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "%s: missing callback", op);
    sp_status st = reg_prepare(sys, key, norm);
    if (st != SP_OK)
        return st;
    *reg = sim_machine_view(sys, view);
    if (!reg_key_exists(*reg, *norm)) {
        st = sp_sys_fail(sys, SP_ERR_NOTFOUND, "registry key %s not found", *norm);
        free(*norm);
        *norm = NULL;
    }
    return st;
}

sp_status sim_reg_enum_keys(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                            void *user)
{
    sim_registry *reg = NULL;
    char *norm = NULL;
    sp_status st = reg_enum_open(sys, "reg_enum_keys", view, key, cb, &reg, &norm);
    if (st != SP_OK)
        return st;
    size_t n = strlen(norm);
    reg_names names = {0};
    for (size_t i = 0; i < reg->count && st == SP_OK; i++) {
        const char *p = reg->keys[i].path;
        if (sim_ascii_ncasecmp(p, norm, n) != 0 || p[n] != '\\')
            continue;
        const char *child = p + n + 1;
        size_t clen = strcspn(child, "\\");
        if (!reg_names_has(&names, child, clen))
            st = reg_names_add(&names, child, clen);
    }
    free(norm);
    return reg_names_deliver_and_free(sys, &names, st, cb, user);
}

sp_status sim_reg_enum_values(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                              void *user)
{
    sim_registry *reg = NULL;
    char *norm = NULL;
    sp_status st = reg_enum_open(sys, "reg_enum_values", view, key, cb, &reg, &norm);
    if (st != SP_OK)
        return st;
    sim_regkey *k = sim_reg_find_key(reg, norm);
    free(norm);
    reg_names names = {0};
    for (size_t i = 0; k && i < k->count && st == SP_OK; i++)
        st = reg_names_add(&names, k->values[i].name, strlen(k->values[i].name));
    return reg_names_deliver_and_free(sys, &names, st, cb, user);
}
