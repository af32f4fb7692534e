/* The inputs a state holds, written as an answer file that sp_answers_apply reads back the same. */
#include "core/answers.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers_keys.h"
#include "core/lob/lob.h"

/* The plan as the state keeps it, in sp_lob_set_plan's order. */
static cJSON *plan_copy(const cJSON *plan)
{
    static const char *const names[] = {"contact", "phone", "email", "method", "media", "licence",
                                        "data", "notes", "media_found", "media_size"};
    cJSON *out = cJSON_CreateObject();
    for (size_t i = 0; out && i < sizeof names / sizeof names[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(plan, names[i]);
        if (v && !cJSON_AddItemToObject(out, names[i], cJSON_Duplicate(v, 1))) {
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

/* Entries the user marked or unmarked, or planned: what the page's choices were. */
static int export_entries(cJSON *step, const cJSON *data)
{
    const cJSON *e, *entries = cJSON_GetObjectItemCaseSensitive(data, "entries");
    cJSON *out = NULL;
    if (!cJSON_IsArray(entries))
        return 1;
    cJSON_ArrayForEach(e, entries) {
        const cJSON *plan = cJSON_GetObjectItemCaseSensitive(e, "plan");
        cJSON *x;
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "user_marked")) && !cJSON_IsObject(plan))
            continue;
        if (!out && !(out = cJSON_AddArrayToObject(step, "entries")))
            return 0;
        if (!(x = cJSON_CreateObject()))
            return 0;
        cJSON_AddItemToArray(out, x);
        if (!cJSON_AddStringToObject(x, "id", sp_lob_text(e, "id")) ||
            !cJSON_AddStringToObject(x, "name", sp_lob_text(e, "name")) ||
            !cJSON_AddBoolToObject(x, "lob", sp_lob_marked(e)) ||
            (cJSON_IsObject(plan) && !cJSON_AddItemToObject(x, "plan", plan_copy(plan))))
            return 0;
    }
    return 1;
}

/* Whether v is what the key holds (another type there is not an input, e.g. a damaged state). */
static int exportable(const sp_answers_key *k, const cJSON *v)
{
    switch (k->kind) {
    case SP_ANS_TEXT: case SP_ANS_TARGET: return cJSON_IsString(v);
    case SP_ANS_COUNT: return cJSON_IsNumber(v);
    case SP_ANS_FLAG: return cJSON_IsBool(v);
    case SP_ANS_CODES: return cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0;
    case SP_ANS_CONFIRMED: return cJSON_IsObject(v) && v->child;
    default: return 0;
    }
}

char *sp_answers_export(const sp_state *st)
{
    size_t n;
    const sp_answers_key *keys = sp_answers_keys(&n);
    cJSON *doc = cJSON_CreateObject();
    char *text = NULL;
    int ok = doc && cJSON_AddStringToObject(doc, "schema", SP_ANSWERS_SCHEMA);
    for (size_t i = 0; ok && i < n; i++) {
        const sp_step_state *s = sp_state_step_const(st, keys[i].step);
        const cJSON *v = s && s->data ? cJSON_GetObjectItemCaseSensitive(s->data, keys[i].key) : NULL;
        cJSON *step = cJSON_GetObjectItemCaseSensitive(doc, keys[i].step);
        if (!v || (keys[i].kind != SP_ANS_ENTRIES && !exportable(&keys[i], v)))
            continue;
        if (!step && !(step = cJSON_AddObjectToObject(doc, keys[i].step)))
            ok = 0;
        else if (keys[i].kind == SP_ANS_ENTRIES)
            ok = export_entries(step, s->data);
        else
            ok = cJSON_AddItemToObject(step, keys[i].key, cJSON_Duplicate(v, 1));
        if (ok && !step->child)
            cJSON_DeleteItemFromObjectCaseSensitive(doc, keys[i].step);
    }
    if (ok)
        text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (text) {
        size_t len = strlen(text);
        char *t = realloc(text, len + 2);
        if (!t) {
            free(text);
            return NULL;
        }
        t[len] = '\n';
        t[len + 1] = '\0';
        text = t;
    }
    return text;
}
