/* The sim's shares (issue 15): the profile's "net_shares", else what the registry's Shares key lists, as the Server service serves it. */
#include "core/sys/sim/sim_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_SHARES_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Shares"

/* "net_shares": [{"name": "Users", "path": "D:\\Users", "type": 0}, ...] what NetShareEnum
 * serves, or a string: NetShareEnum fails with that message (access denied). */
sp_status sim_shares_parse(const cJSON *item, sim_profile *p, char *err, size_t errlen)
{
    const cJSON *e, *list = cJSON_IsArray(item) ? item : NULL;
    int ok = cJSON_IsArray(item) || cJSON_IsString(item);
    if (!item)
        return SP_OK;
    cJSON_ArrayForEach(e, list) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "name");
        const cJSON *path = cJSON_GetObjectItemCaseSensitive(e, "path");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(e, "type");
        ok = ok && cJSON_IsString(name) && (!path || cJSON_IsString(path)) &&
             (!type || (cJSON_IsNumber(type) && type->valuedouble >= 0 && type->valuedouble < 4294967296.0));
    }
    if (!ok) {
        snprintf(err, errlen, "net_shares must be an array of {\"name\", \"path\", \"type\"} "
                              "(type a number) or a string (the failure NetShareEnum gives)");
        return SP_ERR_BADDATA;
    }
    if (!(p->net_shares = cJSON_Duplicate(item, 1))) {
        snprintf(err, errlen, "out of memory reading the profile");
        return SP_ERR_NOMEM;
    }
    return SP_OK;
}

void sim_shares_free(sim_profile *p)
{
    cJSON_Delete(p->net_shares);
    p->net_shares = NULL;
}

typedef struct {
    char names[64][128];
    size_t count;
} share_names;

static int take_share_name(void *user, const char *name)
{
    share_names *l = user;
    if (l->count < sizeof l->names / sizeof l->names[0])
        snprintf(l->names[l->count++], sizeof l->names[0], "%s", name);
    return 0;
}

/* What the Server service reads at its start: each value's "Path=" and "Type=" lines. */
static sp_status shares_from_registry(sp_sys *sys, sp_share_cb cb, void *user)
{
    share_names *l = calloc(1, sizeof *l);
    int stop = 0;
    if (!l)
        return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory listing the shares");
    sys->ops->reg_enum_values(sys, SP_REG_VIEW_DEFAULT, SIM_SHARES_KEY, take_share_name, l);
    for (size_t i = 0; i < l->count && !stop; i++) {
        sp_regval v = {0};
        const char *path = "";
        uint32_t type = 0;
        if (sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, SIM_SHARES_KEY, l->names[i], &v) != SP_OK)
            continue;
        for (size_t k = 0; v.type == SP_REG_MULTI_SZ && v.data && k < v.size && v.data[k];) {
            const char *s = (const char *)v.data + k;
            size_t n = strnlen(s, v.size - k);
            if (n < v.size - k && sim_ascii_ncasecmp(s, "Path=", 5) == 0)
                path = s + 5;
            else if (n < v.size - k && sim_ascii_ncasecmp(s, "Type=", 5) == 0)
                type = (uint32_t)strtoul(s + 5, NULL, 0);
            k += n + 1;
        }
        sp_share share = {l->names[i], path, type};
        stop = cb(user, &share);
        sp_regval_free(&v);
    }
    free(l);
    return SP_OK;
}

sp_status sim_share_enum(sp_sys *sys, sp_share_cb cb, void *user)
{
    const sim_profile *p = sys->impl;
    const cJSON *e;
    if (!cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "share_enum: no callback");
    if (cJSON_IsString(p->net_shares))
        return sp_sys_fail(sys, SP_ERR_ACCESS, "NetShareEnum (level 2) failed: %s", p->net_shares->valuestring);
    if (!p->net_shares)
        return shares_from_registry(sys, cb, user);
    cJSON_ArrayForEach(e, p->net_shares) {
        const cJSON *path = cJSON_GetObjectItemCaseSensitive(e, "path");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(e, "type");
        sp_share share = {cJSON_GetObjectItemCaseSensitive(e, "name")->valuestring,
                          cJSON_IsString(path) ? path->valuestring : "",
                          cJSON_IsNumber(type) ? (uint32_t)type->valuedouble : 0};
        if (cb(user, &share))
            break;
    }
    return SP_OK;
}
