/* Answer files and /set: the keys the pages store, each checked for its type as it comes in. */
#include "core/answers.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers_keys.h"
#include "core/base/strutil.h"
#include "core/email/email.h"
#include "core/health/rules.h"
#include "core/lob/lob.h"
#include "core/msgids.h"

struct sp_answers {
    cJSON *doc; /* {"backup": {...}, "lob": {"entries": [...]}, ...}, every value checked */
};

/* ---- Errors ---------------------------------------------------------------------------- */

void sp_answers_copy_text(char *dst, size_t n, const char *src)
{
    size_t len = src ? strlen(src) : 0;
    if (!n)
        return;
    if (len < n) {
        memcpy(dst, src ? src : "", len + 1);
        return;
    }
    /* Cut on a character boundary and say that it was cut. */
    len = n > 4 ? n - 4 : 0;
    while (len && ((unsigned char)src[len] & 0xC0) == 0x80)
        len--;
    memcpy(dst, src, len);
    memcpy(dst + len, n > 4 ? "..." : "", n > 4 ? 4 : 1);
    if (n <= 4)
        dst[0] = '\0';
}

void sp_answers_keyf(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* A key longer than the buffer is cut: it still says where the answer was. */
    if (vsnprintf(out, n, fmt, ap) < 0 && n)
        out[0] = '\0';
    va_end(ap);
}

sp_status sp_answers_fail(sp_answers_error *err, unsigned id, const char *key, const char *value,
                          const char *allowed)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->msg_id = id;
        sp_answers_copy_text(err->key, sizeof err->key, key);
        sp_answers_copy_text(err->value, sizeof err->value, value);
        sp_answers_copy_text(err->allowed, sizeof err->allowed, allowed);
    }
    return SP_ERR_BADDATA;
}

sp_status sp_answers_at(sp_answers_error *err, unsigned at_id, const char *column)
{
    if (err) {
        err->at_id = at_id;
        sp_answers_copy_text(err->column, sizeof err->column, column);
    }
    return SP_ERR_BADDATA;
}

/* What a JSON value looks like, for the message: strings as they are, the rest as JSON. */
static sp_status fail_item(sp_answers_error *err, unsigned id, const char *key, const cJSON *item,
                           const char *allowed)
{
    char *text = NULL;
    sp_status st;
    if (cJSON_IsString(item))
        return sp_answers_fail(err, id, key, item->valuestring, allowed);
    text = item ? cJSON_PrintUnformatted(item) : NULL;
    st = sp_answers_fail(err, id, key, text ? text : "", allowed);
    free(text);
    return st;
}

/* ---- The keys ---------------------------------------------------------------------------- */

static const char *const lob_methods = "reinstall, vendor, hosted, retire";

static const sp_answers_key answer_keys[] = {
    {"backup", "folder", SP_ANS_TEXT, 519},
    {"backup", "k", SP_ANS_COUNT, 500},
    {"backup", "target", SP_ANS_TEXT, 519},
    {"policy", "clear_script_paths", SP_ANS_FLAG, 0},
    {"health", "acknowledged", SP_ANS_CODES, 0},
    {"timesync", "destination", SP_ANS_TEXT, 255},
    {"timesync", "destination_tz", SP_ANS_TEXT, 255},
    {"timesync", "ntp_server", SP_ANS_TEXT, 255},
    {"timesync", "correct_clock", SP_ANS_TEXT, 3},
    {"lob", "entries", SP_ANS_ENTRIES, 0},
    {"lob", "no_lob", SP_ANS_FLAG, 0},
    {"email", "target", SP_ANS_TARGET, 0},
    {"email", "reason", SP_ANS_TEXT, 300},
    {"email", "fqdn", SP_ANS_TEXT, 253},
    {"email", "confirmed", SP_ANS_CONFIRMED, 0},
};

/* A line-of-business entry's own keys and its plan's (the editor's limits). */
static const sp_answers_key entry_keys[] = {
    {"lob", "id", SP_ANS_TEXT, 600},
    {"lob", "name", SP_ANS_TEXT, 1000},
    {"lob", "lob", SP_ANS_FLAG, 0},
    {"lob", "plan", SP_ANS_PLAN, 0},
};
static const sp_answers_key plan_keys[] = {
    {"plan", "contact", SP_ANS_TEXT, 200},
    {"plan", "phone", SP_ANS_TEXT, 60},
    {"plan", "email", SP_ANS_TEXT, 200},
    {"plan", "method", SP_ANS_METHOD, 0},
    {"plan", "media", SP_ANS_TEXT, 400},
    {"plan", "licence", SP_ANS_TEXT, 400},
    {"plan", "data", SP_ANS_TEXT, 400},
    {"plan", "notes", SP_ANS_TEXT, 4000},
    {"plan", "media_found", SP_ANS_FLAG, 0},
    {"plan", "media_size", SP_ANS_SIZE, 0},
};

const sp_answers_key *sp_answers_keys(size_t *count)
{
    *count = sizeof answer_keys / sizeof answer_keys[0];
    return answer_keys;
}

static const sp_answers_key *find_in(const sp_answers_key *keys, size_t n, const char *step,
                                     const char *key)
{
    for (size_t i = 0; i < n; i++)
        if ((!step || strcmp(keys[i].step, step) == 0) && strcmp(keys[i].key, key) == 0)
            return &keys[i];
    return NULL;
}

/* "folder, k, target": the keys of a step (NULL: the steps that have inputs). */
static void list_keys(const sp_answers_key *keys, size_t n, const char *step, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *name = step ? keys[i].key : keys[i].step;
        if (step ? strcmp(keys[i].step, step) != 0 : (i > 0 && strcmp(keys[i - 1].step, name) == 0))
            continue;
        snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? ", " : "", name);
    }
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int is_confirm_code(const char *code)
{
    for (int t = 1; t < SP_EMAIL_TARGET_COUNT; t++) {
        const sp_email_confirm_item *items;
        size_t n = sp_email_confirm_items((sp_email_target)t, &items);
        for (size_t i = 0; i < n; i++)
            if (strcmp(items[i].code, code) == 0)
                return 1;
    }
    return 0;
}

static void confirm_codes(char *out, size_t len)
{
    out[0] = '\0';
    for (int t = 1; t < SP_EMAIL_TARGET_COUNT; t++) {
        const sp_email_confirm_item *items;
        size_t n = sp_email_confirm_items((sp_email_target)t, &items);
        for (size_t i = 0; i < n; i++)
            snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? ", " : "", items[i].code);
    }
}

/* A member named twice in one object: cJSON keeps both, and the first would silently win. */
static const cJSON *twice(const cJSON *obj)
{
    for (const cJSON *a = obj->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && strcmp(a->string, b->string) == 0)
                return b;
    return NULL;
}

static sp_status check_object(const cJSON *obj, const char *where, sp_answers_error *err)
{
    const cJSON *dup;
    if (!cJSON_IsObject(obj))
        return fail_item(err, IDS_ANS_ERR_OBJECT, where, obj, NULL);
    if ((dup = twice(obj)) != NULL) {
        char key[200];
        sp_answers_keyf(key, sizeof key, "%s%s%s", where, where[0] ? "." : "", dup->string);
        return sp_answers_fail(err, IDS_ANS_ERR_DUPLICATE, key, dup->string, NULL);
    }
    return SP_OK;
}

/* Checks one value against its key (not entries: see check_entries). */
static sp_status check_value(const sp_answers_key *k, const cJSON *v, const char *where,
                             sp_answers_error *err)
{
    char allowed[300];
    switch (k->kind) {
    case SP_ANS_TEXT:
        if (!cJSON_IsString(v) || !v->valuestring)
            return fail_item(err, IDS_ANS_ERR_STRING, where, v, NULL);
        if (utf8_chars(v->valuestring) > k->max) {
            snprintf(allowed, sizeof allowed, "%u", k->max);
            return fail_item(err, IDS_ANS_ERR_TOO_LONG, where, v, allowed);
        }
        return SP_OK;
    case SP_ANS_FLAG:
        return cJSON_IsBool(v) ? SP_OK : fail_item(err, IDS_ANS_ERR_FLAG, where, v, NULL);
    case SP_ANS_COUNT:
    case SP_ANS_SIZE: {
        double hi = k->kind == SP_ANS_COUNT ? (double)k->max : 9007199254740991.0;
        double lo = k->kind == SP_ANS_COUNT ? 1.0 : 0.0;
        if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi) ||
            (double)(int64_t)v->valuedouble != v->valuedouble) {
            snprintf(allowed, sizeof allowed, "%.0f", hi);
            return fail_item(err, k->kind == SP_ANS_COUNT ? IDS_ANS_ERR_WHOLE : IDS_ANS_ERR_SIZE, where, v,
                             allowed);
        }
        return SP_OK;
    }
    case SP_ANS_TARGET:
        if (!cJSON_IsString(v) || !v->valuestring)
            return fail_item(err, IDS_ANS_ERR_STRING, where, v, NULL);
        if (v->valuestring[0] && sp_email_target_from_id(v->valuestring) == SP_EMAIL_TARGET_UNSET)
            return fail_item(err, IDS_ANS_ERR_ONE_OF, where, v, "o365, onprem, hosted, none");
        return SP_OK;
    case SP_ANS_METHOD:
        if (!cJSON_IsString(v) || !v->valuestring)
            return fail_item(err, IDS_ANS_ERR_STRING, where, v, NULL);
        if (v->valuestring[0] && sp_lob_method_from_name(v->valuestring) == SP_LOB_METHOD_NONE)
            return fail_item(err, IDS_ANS_ERR_ONE_OF, where, v, lob_methods);
        return SP_OK;
    case SP_ANS_CODES: {
        const cJSON *c;
        int i = 0;
        if (!cJSON_IsArray(v))
            return fail_item(err, IDS_ANS_ERR_ARRAY, where, v, NULL);
        cJSON_ArrayForEach(c, v) {
            char key[200];
            const sp_rule *rule = cJSON_IsString(c) ? sp_rule_for_code(c->valuestring) : NULL;
            sp_answers_keyf(key, sizeof key, "%s[%d]", where, i++);
            if (!cJSON_IsString(c))
                return fail_item(err, IDS_ANS_ERR_STRING, key, c, NULL);
            if (!rule || rule->severity != SP_SEV_WARNING)
                return fail_item(err, IDS_ANS_ERR_NOT_WARNING, key, c, NULL);
        }
        return SP_OK;
    }
    case SP_ANS_CONFIRMED: {
        const cJSON *c;
        sp_status st = check_object(v, where, err);
        if (st != SP_OK)
            return st;
        cJSON_ArrayForEach(c, v) {
            char key[200];
            sp_answers_keyf(key, sizeof key, "%s.%s", where, c->string);
            if (!is_confirm_code(c->string)) {
                confirm_codes(allowed, sizeof allowed);
                return sp_answers_fail(err, IDS_ANS_ERR_UNKNOWN, key, c->string, allowed);
            }
            if (!cJSON_IsBool(c))
                return fail_item(err, IDS_ANS_ERR_FLAG, key, c, NULL);
        }
        return st;
    }
    case SP_ANS_PLAN:
    case SP_ANS_ENTRIES:
        break;
    }
    return SP_OK;
}

/* The members of obj against keys (step NULL: any); where names obj. */
static sp_status check_members(const cJSON *obj, const sp_answers_key *keys, size_t n,
                               const char *step, const char *where, sp_answers_error *err)
{
    const cJSON *m;
    sp_status st = check_object(obj, where, err);
    if (st != SP_OK)
        return st;
    cJSON_ArrayForEach(m, obj) {
        char key[200], allowed[300];
        const sp_answers_key *k = find_in(keys, n, step, m->string);
        if (st != SP_OK)
            return st;
        sp_answers_keyf(key, sizeof key, "%s.%s", where, m->string);
        if (!k) {
            list_keys(keys, n, step ? step : keys[0].step, allowed, sizeof allowed);
            return sp_answers_fail(err, IDS_ANS_ERR_UNKNOWN, key, m->string, allowed);
        }
        if (k->kind == SP_ANS_PLAN)
            st = check_members(m, plan_keys, sizeof plan_keys / sizeof plan_keys[0], NULL, key, err);
        else if (k->kind != SP_ANS_ENTRIES)
            st = check_value(k, m, key, err);
    }
    return st;
}

/* One line-of-business entry; where is "lob.entries[2]" (a file) or "lob.<id>" (/set). */
static sp_status check_entry(const cJSON *e, const char *where, sp_answers_error *err)
{
    const cJSON *id;
    char key[200];
    sp_status st = check_members(e, entry_keys, sizeof entry_keys / sizeof entry_keys[0], "lob",
                                 where, err);
    if (st != SP_OK)
        return st;
    id = cJSON_GetObjectItemCaseSensitive(e, "id");
    sp_answers_keyf(key, sizeof key, "%s.id", where);
    if (!id || !id->valuestring[0])
        return sp_answers_fail(err, IDS_ANS_ERR_MISSING, key, "", NULL);
    return SP_OK;
}

/* The entries of a file ("lob.entries[2]") or of /set ("lob.<id>", by_id). */
static sp_status check_entries(const cJSON *arr, const char *where, int by_id, sp_answers_error *err)
{
    const cJSON *e;
    int i = 0;
    if (!cJSON_IsArray(arr))
        return fail_item(err, IDS_ANS_ERR_ARRAY, where, arr, NULL);
    cJSON_ArrayForEach(e, arr) {
        char key[200];
        sp_status st;
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (by_id && cJSON_IsString(id))
            sp_answers_keyf(key, sizeof key, "lob.%s", id->valuestring);
        else
            sp_answers_keyf(key, sizeof key, "%s[%d]", where, i);
        i++;
        if ((st = check_entry(e, key, err)) != SP_OK)
            return st;
        for (const cJSON *o = arr->child; o != e; o = o->next)
            if (strcmp(cJSON_GetObjectItemCaseSensitive(o, "id")->valuestring,
                       cJSON_GetObjectItemCaseSensitive(e, "id")->valuestring) == 0) {
                snprintf(key + strlen(key), sizeof key - strlen(key), ".id");
                return fail_item(err, IDS_ANS_ERR_DUPLICATE, key,
                                 cJSON_GetObjectItemCaseSensitive(e, "id"), NULL);
            }
    }
    return SP_OK;
}

/* A whole document of steps (the schema member already taken out). */
static sp_status check_doc(const cJSON *doc, int by_id, sp_answers_error *err)
{
    const cJSON *step;
    size_t n = sizeof answer_keys / sizeof answer_keys[0];
    cJSON_ArrayForEach(step, doc) {
        char allowed[300];
        sp_status st;
        if (!sp_answers_step_has_inputs(step->string)) {
            list_keys(answer_keys, n, NULL, allowed, sizeof allowed);
            return sp_answers_fail(err, IDS_ANS_ERR_UNKNOWN, step->string, step->string, allowed);
        }
        if ((st = check_members(step, answer_keys, n, step->string, step->string, err)) != SP_OK)
            return st;
        if (strcmp(step->string, "lob") == 0 && cJSON_GetObjectItemCaseSensitive(step, "entries") &&
            (st = check_entries(cJSON_GetObjectItemCaseSensitive(step, "entries"), "lob.entries",
                                by_id, err)) != SP_OK)
            return st;
    }
    return SP_OK;
}

int sp_answers_step_has_inputs(const char *step)
{
    for (size_t i = 0; i < sizeof answer_keys / sizeof answer_keys[0]; i++)
        if (strcmp(answer_keys[i].step, step) == 0)
            return 1;
    return 0;
}

/* ---- Merging ------------------------------------------------------------------------------ */

static int put(cJSON *obj, const char *name, cJSON *value)
{
    if (!value)
        return 0;
    if (cJSON_GetObjectItemCaseSensitive(obj, name))
        return cJSON_ReplaceItemInObjectCaseSensitive(obj, name, value);
    cJSON_AddItemToObject(obj, name, value);
    return 1;
}

static cJSON *child_object(cJSON *obj, const char *name)
{
    cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (cJSON_IsObject(c))
        return c;
    return put(obj, name, cJSON_CreateObject()) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
}

/* Every member of from into to, objects member by member (a plan, the confirmations). */
static int merge_members(cJSON *to, const cJSON *from)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, from) {
        if (cJSON_IsObject(m) && strcmp(m->string, "confirmed") != 0 && strcmp(m->string, "plan") != 0)
            continue;
        if (cJSON_IsObject(m)) {
            cJSON *sub = child_object(to, m->string);
            if (!sub || !merge_members(sub, m))
                return 0;
        } else if (!put(to, m->string, cJSON_Duplicate(m, 1))) {
            return 0;
        }
    }
    return 1;
}

/* Entries by id; where is kept ("@key") to name an entry in the checks of sp_answers_apply. */
static int merge_entries(cJSON *to, const cJSON *from, const char *where)
{
    const cJSON *e;
    int i = 0;
    cJSON_ArrayForEach(e, from) {
        const char *id = cJSON_GetObjectItemCaseSensitive(e, "id")->valuestring;
        cJSON *have = sp_lob_find(to, id);
        char key[200];
        if (where)
            sp_answers_keyf(key, sizeof key, "%s[%d]", where, i);
        else
            sp_answers_keyf(key, sizeof key, "lob.%s", id);
        i++;
        if (!have) {
            if (!(have = cJSON_CreateObject()))
                return 0;
            cJSON_AddItemToArray(to, have);
            if (!put(have, "@key", cJSON_CreateString(key)))
                return 0;
        }
        if (!merge_members(have, e))
            return 0;
    }
    return 1;
}

static sp_status merge(sp_answers *a, const cJSON *doc, const char *entries_where)
{
    const cJSON *step;
    cJSON_ArrayForEach(step, doc) {
        cJSON *to = child_object(a->doc, step->string);
        const cJSON *m;
        if (!to)
            return SP_ERR_NOMEM;
        cJSON_ArrayForEach(m, step) {
            if (strcmp(m->string, "entries") == 0) {
                cJSON *list = cJSON_GetObjectItemCaseSensitive(to, "entries");
                if (!list && !(list = cJSON_AddArrayToObject(to, "entries")))
                    return SP_ERR_NOMEM;
                if (!merge_entries(list, m, entries_where))
                    return SP_ERR_NOMEM;
            } else if (strcmp(m->string, "confirmed") == 0) {
                cJSON *c = child_object(to, m->string);
                if (!c || !merge_members(c, m))
                    return SP_ERR_NOMEM;
            } else if (!put(to, m->string, cJSON_Duplicate(m, 1))) {
                return SP_ERR_NOMEM;
            }
        }
    }
    return SP_OK;
}

/* ---- Adding ---------------------------------------------------------------------------------- */

sp_answers *sp_answers_new(void)
{
    sp_answers *a = calloc(1, sizeof *a);
    if (a && !(a->doc = cJSON_CreateObject())) {
        free(a);
        return NULL;
    }
    return a;
}

void sp_answers_free(sp_answers *a)
{
    if (!a)
        return;
    cJSON_Delete(a->doc);
    free(a);
}

const cJSON *sp_answers_doc(const sp_answers *a)
{
    return a->doc;
}

sp_status sp_answers_add_json(sp_answers *a, const char *json, size_t len, sp_answers_error *err)
{
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(json, len, &end, 0), *schema;
    sp_status st;
    if (!doc) {
        char where[40], near[40];
        size_t at = end && end >= json && end <= json + len ? (size_t)(end - json) : 0;
        size_t k = 0;
        for (; k < sizeof near - 1 && at + k < len && json[at + k] && json[at + k] != '\n'; k++)
            near[k] = (unsigned char)json[at + k] < 0x20 ? ' ' : json[at + k];
        near[k] = '\0';
        snprintf(where, sizeof where, "%lu", (unsigned long)at);
        sp_answers_fail(err, IDS_ANS_ERR_JSON, where, near, NULL);
        return sp_answers_at(err, IDS_ANS_AT_BYTE, NULL);
    }
    if (!cJSON_IsObject(doc)) {
        st = fail_item(err, IDS_ANS_ERR_NOT_DOC, "", doc, SP_ANSWERS_SCHEMA);
        cJSON_Delete(doc);
        return st;
    }
    st = check_object(doc, "", err);
    schema = st == SP_OK ? cJSON_DetachItemFromObjectCaseSensitive(doc, "schema") : NULL;
    if (st == SP_OK && !schema)
        st = sp_answers_fail(err, IDS_ANS_ERR_MISSING, "schema", "", SP_ANSWERS_SCHEMA);
    else if (st == SP_OK && (!cJSON_IsString(schema) || strcmp(schema->valuestring, SP_ANSWERS_SCHEMA) != 0))
        st = fail_item(err, IDS_ANS_ERR_SCHEMA, "schema", schema, SP_ANSWERS_SCHEMA);
    if (st == SP_OK)
        st = sp_answers_add_doc(a, doc, 0, err);
    cJSON_Delete(schema);
    cJSON_Delete(doc);
    return st;
}

sp_status sp_answers_add_doc(sp_answers *a, const cJSON *doc, int by_id, sp_answers_error *err)
{
    sp_status st = check_doc(doc, by_id, err);
    return st == SP_OK ? merge(a, doc, by_id ? NULL : "lob.entries") : st;
}

size_t sp_answers_count(const sp_answers *a)
{
    const cJSON *step, *m;
    size_t n = 0;
    cJSON_ArrayForEach(step, a->doc)
        cJSON_ArrayForEach(m, step)
            n += cJSON_IsArray(m) && strcmp(m->string, "entries") == 0 ? (size_t)cJSON_GetArraySize(m)
                 : cJSON_IsObject(m) ? (size_t)cJSON_GetArraySize(m) : 1;
    return n;
}
