/* The sim's SQL Server instances (issue 16): the profile's "sql", what sql_files reads over ODBC. */
#include "core/sys/sim/sim_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* "sql": {"MSSQLSERVER": [{"database": "GP", "file": "D:\\SQL\\GP.mdf", "size_mb": 1200}], "ACT7":
 * "a message"}: an instance's user database files, or a string, the failure its connection
 * gives. */
sp_status sim_sql_parse(const cJSON *item, sim_profile *p, char *err, size_t errlen)
{
    const cJSON *inst, *e, *list = cJSON_IsObject(item) ? item : NULL;
    int ok = list != NULL;
    if (!item)
        return SP_OK;
    cJSON_ArrayForEach(inst, list) {
        const cJSON *files = cJSON_IsArray(inst) ? inst : NULL;
        ok = ok && (files || cJSON_IsString(inst));
        cJSON_ArrayForEach(e, files) {
            const cJSON *size = cJSON_GetObjectItemCaseSensitive(e, "size_mb");
            ok = ok && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "database")) &&
                 cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "file")) &&
                 (!size || (cJSON_IsNumber(size) && size->valuedouble >= 0));
        }
    }
    if (!ok) {
        snprintf(err, errlen, "sql must be an object of instance names, each an array of "
                              "{\"database\", \"file\", \"size_mb\"} or a string (the failure "
                              "connecting gives)");
        return SP_ERR_BADDATA;
    }
    if (!(p->sql = cJSON_Duplicate(item, 1))) {
        snprintf(err, errlen, "out of memory reading the profile");
        return SP_ERR_NOMEM;
    }
    return SP_OK;
}

sp_status sim_sql_files(sp_sys *sys, const char *instance, sp_sql_file_cb cb, void *user)
{
    const sim_profile *p = sys->impl;
    const cJSON *inst = NULL, *e;
    char svc[160];
    sp_svcinfo si;
    int dflt = sim_ascii_casecmp(instance, "MSSQLSERVER") == 0;
    cJSON_ArrayForEach(e, p->sql) if (sim_ascii_casecmp(e->string, instance) == 0) inst = e;
    snprintf(svc, sizeof svc, dflt ? "MSSQLSERVER" : "MSSQL$%s", instance);
    /* As the driver says it when nothing listens: the instance is not there, or stopped. */
    if (!inst || sys->ops->svc_query(sys, svc, &si) != SP_OK || si.state != SP_SVC_RUNNING)
        return sp_sys_fail(sys, SP_ERR_IO, "ODBC to (local)%s%s: SQLDriverConnect: [Microsoft][ODBC "
                           "SQL Server Driver][Shared Memory]SQL Server does not exist or access denied. "
                           "(08001)", dflt ? "" : "\\", dflt ? "" : instance);
    if (cJSON_IsString(inst))
        return sp_sys_fail(sys, SP_ERR_IO, "ODBC to (local)%s%s: SQLDriverConnect: %s", dflt ? "" : "\\",
                           dflt ? "" : instance, inst->valuestring);
    cJSON_ArrayForEach(e, inst) {
        const cJSON *size = cJSON_GetObjectItemCaseSensitive(e, "size_mb");
        sp_sql_file f = {cJSON_GetObjectItemCaseSensitive(e, "database")->valuestring,
                         cJSON_GetObjectItemCaseSensitive(e, "file")->valuestring,
                         size ? (uint64_t)(size->valuedouble * 1048576.0) : 0};
        if (cb(user, &f))
            break;
    }
    return SP_OK;
}
