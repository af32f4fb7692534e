/* The simulated server's changes kept between runs: <root>/.sim-state.json, saved after each change. */
#include "core/sys/sim/sim_profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/base/regbytes.h"
#include "core/base/sha256.h"

/* What the file holds (issue 21): the registry (both views), the services' states, the
 * directory's entries, which updates are installed, the clock W32Time stepped, whether its one
 * start-up step was taken, and how often the server restarted. Its files are real host files
 * already. The profile's SHA-256 ties the state to the server it was made from. */
#define SIM_STATE_SCHEMA "sourceprep-sim-state/1"

static const char hexdigits[] = "0123456789abcdef";

/* ---- Saving ------------------------------------------------------------------------- */

static cJSON *state_registry(const sim_registry *reg)
{
    cJSON *keys = cJSON_CreateArray();
    for (size_t i = 0; keys && i < reg->count; i++) {
        const sim_regkey *k = &reg->keys[i];
        cJSON *key = cJSON_CreateObject(), *values = cJSON_CreateArray();
        cJSON_AddItemToArray(keys, key);
        cJSON_AddStringToObject(key, "key", k->path);
        cJSON_AddItemToObject(key, "values", values);
        for (size_t v = 0; v < k->count; v++) {
            const sim_regvalue *rv = &k->values[v];
            cJSON *val = cJSON_CreateObject();
            char *hex = malloc(rv->size * 2 + 1);
            if (!hex) {
                cJSON_Delete(val);
                cJSON_Delete(keys);
                return NULL;
            }
            for (size_t b = 0; b < rv->size; b++) {
                hex[2 * b] = hexdigits[rv->data[b] >> 4];
                hex[2 * b + 1] = hexdigits[rv->data[b] & 15];
            }
            hex[rv->size * 2] = '\0';
            cJSON_AddItemToArray(values, val);
            cJSON_AddStringToObject(val, "name", rv->name);
            cJSON_AddNumberToObject(val, "type", (double)rv->type);
            cJSON_AddStringToObject(val, "data", hex);
            if (rv->utf16) /* a string written by reg_set_raw: its bytes are UTF-16LE, not UTF-8 */
                cJSON_AddTrueToObject(val, "utf16");
            free(hex);
        }
    }
    return keys;
}

static char *state_print(sim_machine *m)
{
    const sim_profile *p = &m->prof;
    cJSON *root = cJSON_CreateObject(), *arr;
    char *text = NULL;
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "schema", SIM_STATE_SCHEMA);
    cJSON_AddStringToObject(root, "profile_sha256", m->profile_sha256);
    cJSON_AddItemToObject(root, "registry", state_registry(&p->reg));
    if (p->has_reg32)
        cJSON_AddItemToObject(root, "registry32", state_registry(&p->reg32));
    arr = cJSON_AddArrayToObject(root, "services");
    for (size_t i = 0; arr && i < p->service_count; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, s);
        cJSON_AddStringToObject(s, "name", p->services[i].name);
        cJSON_AddNumberToObject(s, "state", (double)p->services[i].info.state);
        cJSON_AddNumberToObject(s, "start", (double)p->services[i].info.start_type);
    }
    if (p->ldap) {
        cJSON *entries = cJSON_GetObjectItemCaseSensitive(p->ldap, "entries");
        if (entries)
            cJSON_AddItemReferenceToObject(root, "ldap_entries", entries);
        else
            cJSON_AddObjectToObject(root, "ldap_entries");
    }
    arr = cJSON_AddArrayToObject(root, "updates_installed");
    for (size_t i = 0; arr && i < p->update_count; i++)
        if (p->updates[i].installed)
            cJSON_AddItemToArray(arr, cJSON_CreateString(p->updates[i].id));
    cJSON_AddNumberToObject(root, "clock_step_us", (double)m->clock_step_us);
    cJSON_AddNumberToObject(root, "w32time_sync_us", (double)p->w32time_sync_us);
    cJSON_AddNumberToObject(root, "restarts", (double)p->restarts);
    text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

sp_status sim_state_save(sp_sys *sys)
{
    sim_machine *m = sys->impl;
    char *text = state_print(m);
    sp_status st;
    if (!text)
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory saving the simulated server's state");
    st = m->host->ops->file_write_atomic(m->host, m->state_path, text, strlen(text));
    free(text);
    if (st != SP_OK)
        return sp_sys_fail(sys, st, "The simulated server's state could not be saved to %s: %s",
                           m->state_path, m->host->last_error);
    return SP_OK;
}

/* ---- Loading ------------------------------------------------------------------------ */

static sp_status state_registry_load(prof_ctx *c, const char *section, const cJSON *arr,
                                     sim_registry *out)
{
    const cJSON *k;
    char what[400];
    size_t i = 0;
    if (!cJSON_IsArray(arr))
        return prof_fail(c, SP_ERR_BADDATA, "%s must be an array of keys", section);
    cJSON_ArrayForEach(k, arr) {
        const cJSON *values = cJSON_GetObjectItemCaseSensitive(k, "values"), *v;
        const char *path = NULL;
        char *norm;
        sim_regkey *key = NULL;
        sp_status st;
        snprintf(what, sizeof what, "%s[%lu].key", section, (unsigned long)i);
        if (!cJSON_IsObject(k) || prof_string(c, cJSON_GetObjectItemCaseSensitive(k, "key"), what, &path) != SP_OK)
            return prof_fail(c, SP_ERR_BADDATA, "%s must be a registry key's path", what);
        if (!(norm = sim_reg_normalize_key(path)) || strcmp(norm, path) != 0 || sim_reg_find_key(out, norm)) {
            free(norm);
            return prof_fail(c, SP_ERR_BADDATA, "%s: \"%.200s\" is not a key path the sim writes, or comes twice",
                             what, path);
        }
        st = sim_reg_add_key(out, norm, &key);
        free(norm);
        if (st != SP_OK)
            return PROF_NOMEM(c);
        snprintf(what, sizeof what, "%s[%lu].values", section, (unsigned long)i);
        if (!cJSON_IsArray(values))
            return prof_fail(c, SP_ERR_BADDATA, "%s must be an array", what);
        size_t j = 0;
        cJSON_ArrayForEach(v, values) {
            const char *name = NULL, *hex = NULL;
            unsigned type = 0;
            unsigned char *data = NULL;
            size_t size = 0;
            snprintf(what, sizeof what, "%s[%lu].values[%lu]", section, (unsigned long)i, (unsigned long)j++);
            if (!cJSON_IsObject(v) || prof_string(c, cJSON_GetObjectItemCaseSensitive(v, "name"), what, &name) != SP_OK ||
                prof_unsigned(c, cJSON_GetObjectItemCaseSensitive(v, "type"), what, &type) != SP_OK ||
                prof_string(c, cJSON_GetObjectItemCaseSensitive(v, "data"), what, &hex) != SP_OK ||
                !(type <= SP_REG_DWORD || type == SP_REG_MULTI_SZ || type == SP_REG_QWORD))
                return prof_fail(c, SP_ERR_BADDATA, "%s must be {\"name\": text, \"type\": 0-4, 7 or 11, \"data\": hex}",
                                 what);
            for (size_t n = 0; n < key->count; n++)
                if (sim_ascii_casecmp(key->values[n].name, name) == 0)
                    return prof_fail(c, SP_ERR_BADDATA, "%s: the value \"%.100s\" comes twice", what, name);
            if (prof_hex(c, what, hex, &data, &size) != SP_OK)
                return SP_ERR_BADDATA;
            const cJSON *utf16 = cJSON_GetObjectItemCaseSensitive(v, "utf16");
            if (utf16 && (!cJSON_IsBool(utf16) || (cJSON_IsTrue(utf16) && !sp_regbytes_is_string(type)))) {
                free(data);
                return prof_fail(c, SP_ERR_BADDATA, "%s: \"utf16\" must be true or false, and true only for a string type", what);
            }
            st = sim_reg_put_value(key, name, (sp_reg_type)type, data, size);
            free(data);
            if (st != SP_OK)
                return PROF_NOMEM(c);
            for (size_t n = 0; n < key->count; n++)
                if (sim_ascii_casecmp(key->values[n].name, name) == 0)
                    key->values[n].utf16 = cJSON_IsTrue(utf16);
        }
        i++;
    }
    return SP_OK;
}

static sp_status state_services_load(prof_ctx *c, const cJSON *arr, sim_profile *p)
{
    const cJSON *s;
    size_t i = 0;
    if (!cJSON_IsArray(arr))
        return prof_fail(c, SP_ERR_BADDATA, "services must be an array");
    cJSON_ArrayForEach(s, arr) {
        const char *name = NULL;
        double state = 0, start = 0;
        char what[100];
        sim_service *svc = NULL;
        snprintf(what, sizeof what, "services[%lu]", (unsigned long)i++);
        if (!cJSON_IsObject(s) || prof_string(c, cJSON_GetObjectItemCaseSensitive(s, "name"), what, &name) != SP_OK ||
            prof_number(c, cJSON_GetObjectItemCaseSensitive(s, "state"), what, SP_SVC_STOPPED, SP_SVC_PAUSED + 1,
                        "1 to 7", &state) != SP_OK ||
            prof_number(c, cJSON_GetObjectItemCaseSensitive(s, "start"), what, SP_SVC_START_BOOT,
                        SP_SVC_START_DISABLED + 1, "0 to 4", &start) != SP_OK)
            return prof_fail(c, SP_ERR_BADDATA, "%s must be {\"name\": text, \"state\": 1-7, \"start\": 0-4}", what);
        for (size_t n = 0; n < p->service_count && !svc; n++)
            if (sim_ascii_casecmp(p->services[n].name, name) == 0)
                svc = &p->services[n];
        if (!svc)
            return prof_fail(c, SP_ERR_BADDATA, "%s: the profile has no service \"%.100s\"", what, name);
        svc->info.state = (sp_svc_state)state;
        svc->info.start_type = (sp_svc_start)start;
    }
    return SP_OK;
}

/* The directory's entries replace the profile's, checked as the profile's are. */
static sp_status state_ldap_load(prof_ctx *c, const cJSON *entries, sim_profile *p)
{
    sim_profile tmp;
    cJSON *wrap;
    sp_status st;
    if (!p->ldap)
        return prof_fail(c, SP_ERR_BADDATA, "ldap_entries: the profile has no directory");
    memset(&tmp, 0, sizeof tmp);
    if (!(wrap = cJSON_CreateObject()) || !cJSON_AddItemReferenceToObject(wrap, "entries", (cJSON *)entries)) {
        cJSON_Delete(wrap);
        return PROF_NOMEM(c);
    }
    st = sim_ldap_parse(wrap, NULL, &tmp, c->err, c->errlen);
    cJSON_Delete(wrap);
    if (st == SP_OK && !cJSON_IsObject(entries))
        st = prof_fail(c, SP_ERR_BADDATA, "ldap_entries must be an object of entries by DN");
    if (st == SP_OK) {
        cJSON *mine = cJSON_DetachItemFromObjectCaseSensitive(tmp.ldap, "entries");
        if (cJSON_GetObjectItemCaseSensitive(p->ldap, "entries"))
            cJSON_ReplaceItemInObjectCaseSensitive(p->ldap, "entries", mine);
        else
            cJSON_AddItemToObject(p->ldap, "entries", mine);
    }
    cJSON_Delete(tmp.ldap);
    return st;
}

static sp_status state_updates_load(prof_ctx *c, const cJSON *arr, sim_profile *p)
{
    const cJSON *u;
    if (!cJSON_IsArray(arr))
        return prof_fail(c, SP_ERR_BADDATA, "updates_installed must be an array of update ids");
    cJSON_ArrayForEach(u, arr) {
        sim_update *found = NULL;
        if (!cJSON_IsString(u) || !u->valuestring)
            return prof_fail(c, SP_ERR_BADDATA, "updates_installed must be an array of update ids");
        for (size_t i = 0; i < p->update_count && !found; i++)
            if (strcmp(p->updates[i].id, u->valuestring) == 0)
                found = &p->updates[i];
        if (!found)
            return prof_fail(c, SP_ERR_BADDATA, "updates_installed: the profile has no update \"%.100s\"",
                             u->valuestring);
        found->installed = 1;
    }
    return SP_OK;
}

/* Applies the saved text onto the freshly parsed profile of m; err says what is wrong. */
static sp_status state_apply(sim_machine *m, const char *text, size_t len, prof_ctx *c)
{
    sim_profile *p = &m->prof;
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *item;
    const char *s = NULL;
    double d = 0;
    sp_status st = SP_OK;
    sim_registry reg, reg32;
    memset(&reg, 0, sizeof reg);
    memset(&reg32, 0, sizeof reg32);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return prof_fail(c, SP_ERR_BADDATA, "it is not a JSON object");
    }
    if (prof_string(c, cJSON_GetObjectItemCaseSensitive(root, "schema"), "schema", &s) != SP_OK ||
        strcmp(s, SIM_STATE_SCHEMA) != 0)
        st = prof_fail(c, SP_ERR_BADDATA, "schema must be \"%s\"", SIM_STATE_SCHEMA);
    if (st == SP_OK && prof_string(c, cJSON_GetObjectItemCaseSensitive(root, "profile_sha256"), "profile_sha256",
                                   &s) != SP_OK)
        st = SP_ERR_BADDATA;
    if (st == SP_OK && strcmp(s, m->profile_sha256) != 0)
        st = prof_fail(c, SP_ERR_BADDATA,
                       "it was saved from another profile (SHA-256 %.64s, this one is %s): this folder holds "
                       "another simulated server",
                       s, m->profile_sha256);
    if (st == SP_OK)
        st = state_registry_load(c, "registry", cJSON_GetObjectItemCaseSensitive(root, "registry"), &reg);
    item = cJSON_GetObjectItemCaseSensitive(root, "registry32");
    if (st == SP_OK && (item != NULL) != (p->has_reg32 != 0))
        st = prof_fail(c, SP_ERR_BADDATA, "registry32 must be there exactly when the profile has one");
    if (st == SP_OK && item)
        st = state_registry_load(c, "registry32", item, &reg32);
    if (st == SP_OK)
        st = state_services_load(c, cJSON_GetObjectItemCaseSensitive(root, "services"), p);
    item = cJSON_GetObjectItemCaseSensitive(root, "ldap_entries");
    if (st == SP_OK && item)
        st = state_ldap_load(c, item, p);
    else if (st == SP_OK && p->ldap)
        st = prof_fail(c, SP_ERR_BADDATA, "ldap_entries is missing");
    if (st == SP_OK)
        st = state_updates_load(c, cJSON_GetObjectItemCaseSensitive(root, "updates_installed"), p);
    if (st == SP_OK && (st = prof_number(c, cJSON_GetObjectItemCaseSensitive(root, "clock_step_us"), "clock_step_us",
                                         -9e15, 9e15, "-9e15 to 9e15", &d)) == SP_OK)
        m->clock_step_us = (int64_t)d;
    if (st == SP_OK && (st = prof_number(c, cJSON_GetObjectItemCaseSensitive(root, "w32time_sync_us"),
                                         "w32time_sync_us", -9e15, 9e15, "-9e15 to 9e15", &d)) == SP_OK)
        p->w32time_sync_us = (int64_t)d;
    if (st == SP_OK && (st = prof_number(c, cJSON_GetObjectItemCaseSensitive(root, "restarts"), "restarts", 0,
                                         4294967296.0, "0 to 4294967295", &d)) == SP_OK)
        p->restarts = (unsigned)d;
    if (st == SP_OK) {
        sim_reg_free(&p->reg);
        p->reg = reg;
        memset(&reg, 0, sizeof reg);
        if (p->has_reg32) {
            sim_reg_free(&p->reg32);
            p->reg32 = reg32;
            memset(&reg32, 0, sizeof reg32);
        }
    }
    sim_reg_free(&reg);
    sim_reg_free(&reg32);
    cJSON_Delete(root);
    return st;
}

sp_status sim_state_open(sp_sys *sys, const char *json, size_t len, char *err, size_t errlen)
{
    sim_machine *m = sys->impl;
    sp_sys *host = m->host;
    unsigned char digest[32], *text = NULL;
    size_t rlen = strlen(m->root), tlen = 0;
    sp_sha256 h;
    char why[300] = "";
    prof_ctx c = {why, sizeof why};
    sp_status st;
    sp_sha256_init(&h);
    sp_sha256_update(&h, json, len);
    sp_sha256_final(&h, digest);
    sp_sha256_hex(digest, m->profile_sha256);
    if (!(m->state_path = malloc(rlen + sizeof SIM_STATE_FILE + 1))) {
        snprintf(err, errlen, "sim: out of memory");
        return SP_ERR_NOMEM;
    }
    memcpy(m->state_path, m->root, rlen);
    m->state_path[rlen] = m->sep;
    memcpy(m->state_path + rlen + 1, SIM_STATE_FILE, sizeof SIM_STATE_FILE);
    st = host->ops->file_read(host, m->state_path, &text, &tlen);
    if (st == SP_ERR_NOTFOUND)
        return SP_OK; /* a fresh root: the pristine profile */
    if (st != SP_OK)
        snprintf(why, sizeof why, "%s", host->last_error);
    else
        st = state_apply(m, (const char *)text, tlen, &c);
    free(text);
    if (st != SP_OK && err && errlen)
        snprintf(err, errlen,
                 "The simulated server's saved state %s cannot be used: %s. Delete the folder %s to start "
                 "the simulated server afresh.",
                 m->state_path, why, m->root);
    return st;
}
