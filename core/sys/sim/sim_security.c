/* The sim's file security: the profile's "security" gives a path another owner, a writer or a link (issue 18). */
#include "core/sys/sim/sim_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* "security": {"C:\\...\\SourcePrep": {"owner": "S-1-5-21-...", "writable_by": "S-1-5-32-545",
 * "reparse": true, "no_dacl": true}}: each member optional. */
sp_status sim_security_parse(const cJSON *security, sim_profile *p, char *err, size_t errlen)
{
    const cJSON *e, *v;
    if (!security)
        return SP_OK;
    if (!cJSON_IsObject(security)) {
        snprintf(err, errlen, "security must be an object of paths");
        return SP_ERR_BADDATA;
    }
    cJSON_ArrayForEach(e, security) {
        if (!cJSON_IsObject(e)) {
            snprintf(err, errlen, "security.%.200s must be an object", e->string);
            return SP_ERR_BADDATA;
        }
        cJSON_ArrayForEach(v, e) {
            int is_sid = strcmp(v->string, "owner") == 0 || strcmp(v->string, "writable_by") == 0;
            int is_flag = strcmp(v->string, "reparse") == 0 || strcmp(v->string, "no_dacl") == 0;
            if ((is_sid && (!cJSON_IsString(v) || strlen(v->valuestring) >= sizeof ((sp_ace *)0)->sid)) ||
                (is_flag && !cJSON_IsBool(v))) {
                snprintf(err, errlen, "security.%.200s.%s must be %s", e->string, v->string,
                         is_sid ? "a SID string" : "true or false");
                return SP_ERR_BADDATA;
            }
        }
    }
    if (!(p->security = cJSON_Duplicate(security, 1))) {
        snprintf(err, errlen, "out of memory");
        return SP_ERR_NOMEM;
    }
    return SP_OK;
}

void sim_security_apply(const sim_profile *p, const char *winpath, sp_pathsec *sec)
{
    const cJSON *e, *v;
    cJSON_ArrayForEach(e, p->security) {
        if (sim_ascii_casecmp(e->string, winpath) != 0)
            continue;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "reparse")))
            sec->exists = sec->reparse = 1;
        if (!sec->exists)
            return;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "no_dacl"))) {
            sec->has_dacl = 0;
            sec->ace_count = 0;
        }
        if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(e, "owner")))
            snprintf(sec->owner, sizeof sec->owner, "%s", v->valuestring);
        if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(e, "writable_by")) &&
            sec->ace_count < SP_PATHSEC_MAX_ACES) {
            sp_ace *a = &sec->aces[sec->ace_count++];
            memset(a, 0, sizeof *a);
            a->allow = 1;
            a->flags = 0x13; /* inherited, to files and folders */
            a->mask = 0x00000116u;
            snprintf(a->sid, sizeof a->sid, "%s", v->valuestring);
        }
        return;
    }
}
