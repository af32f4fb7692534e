/* The win32 backend's registry: key paths as text, both views, values converted between UTF-8 and UTF-16. */
#include "core/sys/win32/win32_ops.h"
#include "core/sys/win32/win32_util.h"

#include <stdlib.h>
#include <string.h>

/* Longest value name Windows allows is 16383 characters; key names are shorter. */
#define NAME_MAX_CHARS 16384

static const struct {
    const char *short_name;
    const char *long_name;
    HKEY root;
} roots[] = {
    {"HKLM", "HKEY_LOCAL_MACHINE", HKEY_LOCAL_MACHINE},
    {"HKCU", "HKEY_CURRENT_USER", HKEY_CURRENT_USER},
    {"HKU", "HKEY_USERS", HKEY_USERS},
    {"HKCR", "HKEY_CLASSES_ROOT", HKEY_CLASSES_ROOT},
};

static int ascii_ieq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z')
            x = (char)(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z')
            y = (char)(y - 'a' + 'A');
        if (x != y)
            return 0;
    }
    return 1;
}

static REGSAM view_flags(sp_reg_view view)
{
    /* Ignored by 32-bit Windows, where there is only one view. */
    switch (view) {
    case SP_REG_VIEW_64: return KEY_WOW64_64KEY;
    case SP_REG_VIEW_32: return KEY_WOW64_32KEY;
    default: return 0;
    }
}

/* Splits "HKLM\\Software\\X" into its root and a heap UTF-16 subkey ("" for the root itself). */
static sp_status parse_key(sp_sys *sys, const char *key, HKEY *root, wchar_t **sub)
{
    *sub = NULL;
    if (!key)
        return sp_sys_fail(sys, SP_ERR_INVALID, "No registry key given.");
    size_t head = strcspn(key, "\\");
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        const char *names[2] = {roots[i].short_name, roots[i].long_name};
        for (int j = 0; j < 2; j++) {
            if (strlen(names[j]) != head || !ascii_ieq_n(key, names[j], head))
                continue;
            const char *rest = key[head] ? key + head + 1 : key + head;
            size_t n = strlen(rest);
            while (n > 0 && rest[n - 1] == '\\')
                n--; /* "HKLM\\Software\\" names the same key as without the backslash */
            *root = roots[i].root;
            *sub = w32_wide_n(rest, n, NULL);
            return *sub ? SP_OK : w32_nomem(sys, "convert a registry key name");
        }
    }
    return sp_sys_fail(sys, SP_ERR_INVALID,
                       "Could not open registry key %s: it does not start with HKLM, HKCU, HKU or HKCR.",
                       key);
}

/* Opens (or, with create, creates) key in the view with the access asked for. */
static sp_status open_key(sp_sys *sys, sp_reg_view view, const char *key, REGSAM access, int create,
                          HKEY *out)
{
    HKEY root = NULL;
    wchar_t *sub = NULL;
    *out = NULL;
    sp_status st = parse_key(sys, key, &root, &sub);
    if (st != SP_OK)
        return st;
    LONG rc;
    if (create)
        rc = RegCreateKeyExW(root, sub, 0, NULL, REG_OPTION_NON_VOLATILE, access | view_flags(view),
                             NULL, out, NULL);
    else
        rc = RegOpenKeyExW(root, sub, 0, access | view_flags(view), out);
    free(sub);
    if (rc != ERROR_SUCCESS) {
        *out = NULL;
        return w32_fail(sys, (DWORD)rc, "Could not %s registry key %s", create ? "create" : "open",
                        key);
    }
    return SP_OK;
}

/* Strings come back as UTF-16 of any length, terminated or not: convert what is there. */
static sp_status value_to_utf8(DWORD type, const BYTE *raw, DWORD size, sp_regval *out)
{
    const wchar_t *w = (const wchar_t *)raw;
    size_t count = size / sizeof(wchar_t);
    size_t len = 0;
    char *u = NULL;
    if (type == REG_MULTI_SZ) {
        while (count > 0 && w[count - 1] == L'\0')
            count--;
        u = w32_utf8_n(w, count, &len);
        char *grown = u ? realloc(u, len + 2) : NULL;
        if (!grown) {
            free(u);
            return SP_ERR_NOMEM;
        }
        u = grown;
        u[len] = '\0';
        u[len + 1] = '\0';
        /* Every string's NUL and the list's closing NUL; an empty list is that NUL alone. */
        out->size = len ? len + 2 : 1;
    } else {
        size_t n = 0;
        while (n < count && w[n] != L'\0')
            n++;
        u = w32_utf8_n(w, n, &len);
        if (!u)
            return SP_ERR_NOMEM;
        out->size = len + 1;
    }
    out->type = (sp_reg_type)type;
    out->data = (unsigned char *)u;
    return SP_OK;
}

/* Reads a value; raw keeps a string's UTF-16LE bytes as stored, else it becomes UTF-8. */
static sp_status read_value(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                            int raw_strings, sp_regval *out)
{
    HKEY h = NULL;
    wchar_t *wvalue = NULL;
    BYTE *raw = NULL;
    const char *vname = value ? value : "";
    memset(out, 0, sizeof *out);
    sp_status st = open_key(sys, view, key, KEY_QUERY_VALUE, 0, &h);
    if (st != SP_OK)
        goto done;
    wvalue = w32_wide(vname);
    if (!wvalue) {
        st = w32_nomem(sys, "read a registry value");
        goto done;
    }
    DWORD type = 0, size = 0;
    LONG rc;
    /* Ask for the size, then read; the value may grow in between, so loop. */
    for (;;) {
        rc = RegQueryValueExW(h, wvalue, NULL, &type, NULL, &size);
        if (rc != ERROR_SUCCESS)
            break;
        free(raw);
        raw = malloc((size_t)size + sizeof(wchar_t));
        if (!raw) {
            st = w32_nomem(sys, "read a registry value");
            goto done;
        }
        DWORD got = size;
        rc = RegQueryValueExW(h, wvalue, NULL, &type, raw, &got);
        if (rc == ERROR_MORE_DATA)
            continue;
        size = got;
        break;
    }
    if (rc != ERROR_SUCCESS) {
        st = w32_fail(sys, (DWORD)rc, "Could not read registry value \"%s\" of %s", vname, key);
        goto done;
    }
    if (!raw_strings && (type == REG_SZ || type == REG_EXPAND_SZ || type == REG_MULTI_SZ)) {
        st = value_to_utf8(type, raw, size, out);
        if (st != SP_OK)
            st = w32_nomem(sys, "convert a registry value");
    } else {
        out->type = (sp_reg_type)type;
        out->data = raw;
        out->size = size;
        raw = NULL;
    }
done:
    free(raw);
    free(wvalue);
    if (h)
        RegCloseKey(h);
    return st;
}

sp_status w32_reg_get(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                      sp_regval *out)
{
    return read_value(sys, view, key, value, 0, out);
}

sp_status w32_reg_get_raw(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                          sp_regval *out)
{
    return read_value(sys, view, key, value, 1, out);
}

/* UTF-8 (one string, or a double-NUL list) to the UTF-16 bytes RegSetValueExW stores. */
static wchar_t *value_to_wide(const sp_regval *val, DWORD *bytes)
{
    const char *s = (const char *)val->data;
    size_t n = 0, wlen = 0;
    wchar_t *w;
    if (val->type == SP_REG_MULTI_SZ) {
        n = val->size;
        while (n > 0 && s[n - 1] == '\0')
            n--;
        w = w32_wide_n(s ? s : "", n, &wlen);
        wchar_t *grown = w ? realloc(w, (wlen + 2) * sizeof *w) : NULL;
        if (!grown) {
            free(w);
            return NULL;
        }
        grown[wlen] = L'\0';
        grown[wlen + 1] = L'\0';
        *bytes = (DWORD)((wlen + 2) * sizeof *w);
        return grown;
    }
    while (s && n < val->size && s[n] != '\0')
        n++;
    w = w32_wide_n(s ? s : "", n, &wlen);
    if (w)
        *bytes = (DWORD)((wlen + 1) * sizeof *w);
    return w;
}

/* Writes nbytes of bytes as the value, as they are. */
static sp_status write_bytes(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                             DWORD type, const BYTE *bytes, DWORD nbytes)
{
    HKEY h = NULL;
    wchar_t *wvalue = NULL;
    const char *vname = value ? value : "";
    sp_status st = open_key(sys, view, key, KEY_SET_VALUE, 1, &h);
    if (st != SP_OK)
        return st;
    wvalue = w32_wide(vname);
    if (!wvalue) {
        st = w32_nomem(sys, "write a registry value");
    } else {
        LONG rc = RegSetValueExW(h, wvalue, 0, type, bytes, nbytes);
        if (rc != ERROR_SUCCESS)
            st = w32_fail(sys, (DWORD)rc, "Could not write registry value \"%s\" of %s", vname, key);
    }
    free(wvalue);
    RegCloseKey(h);
    return st;
}

sp_status w32_reg_set_raw(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                          const sp_regval *val)
{
    BYTE *copy;
    sp_status st;
    if (!val || (val->size > 0 && !val->data) || val->size > 0x7FFFFFFF)
        return sp_sys_fail(sys, SP_ERR_INVALID, "Could not write registry value \"%s\" of %s: no data.",
                           value ? value : "", key ? key : "");
    /* RegSetValueExW stores a string one character longer when the character after the bytes
     * given is a NUL ("if user forgot to count terminating null, add it"): a string stored
     * without its terminator would come back with one. A non-NUL guard after the bytes, and
     * room for it, keep the count as given. */
    if (!(copy = malloc(val->size + 3)))
        return w32_nomem(sys, "write a registry value");
    if (val->size)
        memcpy(copy, val->data, val->size);
    memset(copy + val->size, 0xFF, 3);
    st = write_bytes(sys, view, key, value, (DWORD)val->type, copy, (DWORD)val->size);
    free(copy);
    return st;
}

sp_status w32_reg_set(sp_sys *sys, sp_reg_view view, const char *key, const char *value,
                      const sp_regval *val)
{
    wchar_t *wdata = NULL;
    const char *vname = value ? value : "";
    sp_status st = SP_OK;
    const BYTE *bytes = val ? val->data : NULL;
    DWORD nbytes = 0;

    if (!val || (val->size > 0 && !val->data) || val->size > 0x7FFFFFFF ||
        (val->type == SP_REG_DWORD && val->size != 4) ||
        (val->type == SP_REG_QWORD && val->size != 8)) {
        return sp_sys_fail(sys, SP_ERR_INVALID,
                           "Could not write registry value \"%s\" of %s: the data does not fit its type.",
                           vname, key ? key : "");
    }
    if (val->type == SP_REG_SZ || val->type == SP_REG_EXPAND_SZ || val->type == SP_REG_MULTI_SZ) {
        wdata = value_to_wide(val, &nbytes);
        if (!wdata) {
            st = w32_nomem(sys, "convert a registry value");
            goto done;
        }
        bytes = (const BYTE *)wdata;
    } else {
        nbytes = (DWORD)val->size;
    }
    st = write_bytes(sys, view, key, value, (DWORD)val->type, bytes, nbytes);
done:
    free(wdata);
    return st;
}

sp_status w32_reg_delete_value(sp_sys *sys, sp_reg_view view, const char *key, const char *value)
{
    HKEY h = NULL;
    wchar_t *wvalue = NULL;
    const char *vname = value ? value : "";
    sp_status st = open_key(sys, view, key, KEY_SET_VALUE, 0, &h);
    if (st != SP_OK)
        goto done;
    wvalue = w32_wide(vname);
    if (!wvalue) {
        st = w32_nomem(sys, "delete a registry value");
        goto done;
    }
    LONG rc = RegDeleteValueW(h, wvalue);
    if (rc != ERROR_SUCCESS)
        st = w32_fail(sys, (DWORD)rc, "Could not delete registry value \"%s\" of %s", vname, key);
done:
    free(wvalue);
    if (h)
        RegCloseKey(h);
    return st;
}

typedef struct {
    char **items;
    size_t count, cap;
} name_list;

static int name_list_add(name_list *l, const wchar_t *w, DWORD len)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **grown = realloc(l->items, cap * sizeof *grown);
        if (!grown)
            return 0;
        l->items = grown;
        l->cap = cap;
    }
    char *u = w32_utf8_n(w, len, NULL);
    if (!u)
        return 0;
    l->items[l->count++] = u;
    return 1;
}

static void name_list_free(name_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
}

/* Names are gathered first and handed out after the key is closed, so that a callback may
 * delete what it is given without shifting the enumeration under it. */
static sp_status enum_names(sp_sys *sys, sp_reg_view view, const char *key, int values,
                            sp_name_cb cb, void *user)
{
    HKEY h = NULL;
    wchar_t *name = NULL;
    name_list list = {0};
    sp_status st = open_key(sys, view, key, values ? KEY_QUERY_VALUE : KEY_ENUMERATE_SUB_KEYS, 0, &h);
    if (st != SP_OK)
        goto done;
    name = malloc(NAME_MAX_CHARS * sizeof *name);
    if (!name) {
        st = w32_nomem(sys, "list a registry key");
        goto done;
    }
    for (DWORD i = 0;; i++) {
        DWORD len = NAME_MAX_CHARS;
        LONG rc = values ? RegEnumValueW(h, i, name, &len, NULL, NULL, NULL, NULL)
                         : RegEnumKeyExW(h, i, name, &len, NULL, NULL, NULL, NULL);
        if (rc == ERROR_NO_MORE_ITEMS)
            break;
        if (rc != ERROR_SUCCESS) {
            st = w32_fail(sys, (DWORD)rc, "Could not list the %s of registry key %s",
                          values ? "values" : "subkeys", key);
            goto done;
        }
        if (!name_list_add(&list, name, len)) {
            st = w32_nomem(sys, "list a registry key");
            goto done;
        }
    }
    RegCloseKey(h);
    h = NULL;
    for (size_t i = 0; i < list.count; i++)
        if (cb(user, list.items[i]))
            break;
done:
    name_list_free(&list);
    free(name);
    if (h)
        RegCloseKey(h);
    return st;
}

sp_status w32_reg_enum_keys(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                            void *user)
{
    return enum_names(sys, view, key, 0, cb, user);
}

sp_status w32_reg_enum_values(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb,
                              void *user)
{
    return enum_names(sys, view, key, 1, cb, user);
}
