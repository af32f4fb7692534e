/* /set:step.key=value read as its key's type, and the answers applied as the pages store them. */
#include "core/answers.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers_keys.h"
#include "core/base/strutil.h"
#include "core/email/email.h"
#include "core/health/health.h"
#include "core/lob/lob.h"
#include "core/msgids.h"
#include "core/policy/policy.h"
#include "core/timesync/timesync.h"

/* ---- /set ----------------------------------------------------------------------------------- */

/* "true", "yes", "1", "on" and their opposites; anything else stays text, for the check to name. */
static cJSON *flag_value(const char *v)
{
    static const char *const yes[] = {"true", "yes", "1", "on"}, *const no[] = {"false", "no", "0", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (sp_stricmp(v, yes[i]) == 0)
            return cJSON_CreateTrue();
        if (sp_stricmp(v, no[i]) == 0)
            return cJSON_CreateFalse();
    }
    return cJSON_CreateString(v);
}

static cJSON *number_value(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > 15 || strspn(v, "0123456789") != n)
        return cJSON_CreateString(v);
    return cJSON_CreateNumber(strtod(v, NULL));
}

/* "a, b,c" as ["a", "b", "c"]; "" as []. */
static cJSON *list_value(const char *v)
{
    cJSON *arr = cJSON_CreateArray();
    while (arr && *v) {
        const char *comma = strchr(v, ',');
        size_t n = comma ? (size_t)(comma - v) : strlen(v);
        char item[200];
        snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item ? n : sizeof item - 1), v);
        for (n = strlen(item); n && item[n - 1] == ' '; n--)
            item[n - 1] = '\0';
        if (*sp_skip_space(item))
            cJSON_AddItemToArray(arr, cJSON_CreateString(sp_skip_space(item)));
        v = comma ? comma + 1 : v + strlen(v);
    }
    return arr;
}

static cJSON *typed_value(sp_answers_kind kind, const char *v)
{
    switch (kind) {
    case SP_ANS_FLAG: return flag_value(v);
    case SP_ANS_COUNT: case SP_ANS_SIZE: return number_value(v);
    case SP_ANS_CODES: return list_value(v);
    default: return cJSON_CreateString(v);
    }
}

/* lob.<id>.lob, lob.<id>.name, lob.<id>.plan.<field>: an entry of its own for the merge. */
static cJSON *lob_assignment(const char *rest, const char *value)
{
    static const char *const tails[] = {".lob", ".name"};
    const char *plan = NULL, *field = NULL;
    size_t n = strlen(rest), idlen = 0;
    cJSON *e, *v;
    char *id;
    for (const char *p = strstr(rest, ".plan."); p; p = strstr(p + 1, ".plan."))
        plan = p;
    for (size_t i = 0; i < 2 && !plan; i++)
        if (n > strlen(tails[i]) && strcmp(rest + n - strlen(tails[i]), tails[i]) == 0) {
            idlen = n - strlen(tails[i]);
            field = tails[i] + 1;
        }
    if (plan) {
        idlen = (size_t)(plan - rest);
        field = plan + 6;
    }
    if (!field || idlen == 0 || !*field)
        return NULL;
    if (strcmp(field, "lob") == 0 || strcmp(field, "media_found") == 0)
        v = flag_value(value);
    else
        v = strcmp(field, "media_size") == 0 ? number_value(value) : cJSON_CreateString(value);
    e = cJSON_CreateObject();
    id = malloc(idlen + 1);
    if (!e || !v || !id) {
        cJSON_Delete(e);
        cJSON_Delete(v);
        free(id);
        return NULL;
    }
    memcpy(id, rest, idlen);
    id[idlen] = '\0';
    cJSON_AddStringToObject(e, "id", id);
    free(id);
    if (plan)
        cJSON_AddItemToObject(cJSON_AddObjectToObject(e, "plan"), field, v);
    else
        cJSON_AddItemToObject(e, field, v);
    return e;
}

sp_status sp_answers_add_set(sp_answers *a, const char *assignment, sp_answers_error *err)
{
    const char *eq = strchr(assignment, '='), *dot, *value;
    char left[700], step[24];
    cJSON *doc = NULL, *obj;
    size_t nkeys;
    const sp_answers_key *keys = sp_answers_keys(&nkeys), *k = NULL;
    sp_status st;

    if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof left)
        return sp_answers_fail(err, IDS_ANS_ERR_SET, assignment, eq ? eq + 1 : "", NULL);
    memcpy(left, assignment, (size_t)(eq - assignment));
    left[eq - assignment] = '\0';
    value = eq + 1;
    dot = strchr(left, '.');
    if (!dot || !dot[1] || (size_t)(dot - left) >= sizeof step)
        return sp_answers_fail(err, IDS_ANS_ERR_SET, left, value, NULL);
    snprintf(step, sizeof step, "%.*s", (int)(dot - left), left);
    if (!(doc = cJSON_CreateObject()) || !(obj = cJSON_AddObjectToObject(doc, step))) {
        cJSON_Delete(doc);
        return SP_ERR_NOMEM;
    }
    if (strcmp(step, "lob") == 0) {
        cJSON *e = lob_assignment(dot + 1, value);
        if (!e) {
            cJSON_Delete(doc);
            return sp_answers_fail(err, IDS_ANS_ERR_UNKNOWN, left, dot + 1, "lob.<id>.lob, lob.<id>.name, lob.<id>.plan.<field>");
        }
        cJSON_AddItemToArray(cJSON_AddArrayToObject(obj, "entries"), e);
    } else if (strcmp(step, "email") == 0 && strncmp(dot + 1, "confirmed.", 10) == 0 && dot[11]) {
        cJSON_AddItemToObject(cJSON_AddObjectToObject(obj, "confirmed"), dot + 11, flag_value(value));
    } else {
        for (size_t i = 0; i < nkeys && !k; i++)
            if (strcmp(keys[i].step, step) == 0 && strcmp(keys[i].key, dot + 1) == 0)
                k = &keys[i];
        cJSON_AddItemToObject(obj, dot + 1, typed_value(k ? k->kind : SP_ANS_TEXT, value));
    }
    st = sp_answers_add_doc(a, doc, 1, err);
    cJSON_Delete(doc);
    return st;
}

/* ---- Checks against the state --------------------------------------------------------------- */

static const cJSON *state_entries(const sp_state *st)
{
    const sp_step_state *s = sp_state_step_const(st, "lob");
    const cJSON *e = s && s->data ? cJSON_GetObjectItemCaseSensitive(s->data, "entries") : NULL;
    return cJSON_IsArray(e) ? e : NULL;
}

static const char *text_of(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Each plan an answer gives (with what the state has for its entry) must have a method. */
static sp_status check_plans(const cJSON *doc, const sp_state *st, sp_answers_error *err)
{
    const cJSON *e, *entries = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "lob"), "entries");
    cJSON_ArrayForEach(e, entries) {
        const cJSON *plan = cJSON_GetObjectItemCaseSensitive(e, "plan");
        const cJSON *lob = cJSON_GetObjectItemCaseSensitive(e, "lob");
        const char *method = text_of(plan, "method");
        char key[220];
        if (!plan || cJSON_IsFalse(lob))
            continue;
        if (!method) {
            const cJSON *had = sp_lob_find((cJSON *)state_entries(st), text_of(e, "id"));
            sp_lob_plan p;
            sp_lob_get_plan(had, &p);
            method = sp_lob_method_name(p.method);
        }
        if (sp_lob_method_from_name(method) != SP_LOB_METHOD_NONE)
            continue;
        sp_answers_keyf(key, sizeof key, "%s.plan.method", text_of(e, "@key"));
        return sp_answers_fail(err, IDS_ANS_ERR_NO_METHOD, key,
                               text_of(e, "name") ? text_of(e, "name") : text_of(e, "id"),
                               "reinstall, vendor, hosted, retire");
    }
    return SP_OK;
}

/* ---- Applying ----------------------------------------------------------------------------------- */

static cJSON *step_data(sp_state *st, const char *id)
{
    sp_step_state *s = sp_state_step(st, id);
    if (s && !s->data)
        s->data = cJSON_CreateObject();
    return s ? s->data : NULL;
}

static sp_status apply_backup(sp_state *st, const cJSON *in)
{
    const cJSON *m;
    cJSON *data = step_data(st, "backup");
    if (!data)
        return SP_ERR_NOMEM;
    cJSON_ArrayForEach(m, in) {
        cJSON_DeleteItemFromObjectCaseSensitive(data, m->string);
        if (!cJSON_AddItemToObject(data, m->string, cJSON_Duplicate(m, 1)))
            return SP_ERR_NOMEM;
    }
    return SP_OK;
}

/* The list replaces the acknowledgements: those not in it are withdrawn. */
static sp_status apply_health(sp_state *st, const cJSON *in)
{
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(in, "acknowledged"), *c;
    cJSON *data = step_data(st, "health");
    cJSON *had = data ? cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(data, "acknowledged"), 1) : NULL;
    if (!want)
        return SP_OK;
    cJSON_ArrayForEach(c, had) {
        int keep = 0;
        const cJSON *w;
        cJSON_ArrayForEach(w, want) keep |= cJSON_IsString(c) && strcmp(w->valuestring, c->valuestring) == 0;
        if (!keep && cJSON_IsString(c))
            sp_health_acknowledge(st, c->valuestring, 0);
    }
    cJSON_Delete(had);
    cJSON_ArrayForEach(c, want) sp_health_acknowledge(st, c->valuestring, 1);
    return SP_OK;
}

static void apply_timesync(sp_state *st, const cJSON *in)
{
    const cJSON *m;
    int changed = 0;
    cJSON_ArrayForEach(m, in) changed |= sp_timesync_set_input(st, m->string, m->valuestring);
    /* As the page does: the last check measured with the old inputs. */
    if (changed)
        sp_state_record(st, "timesync", SP_RESULT_NOT_RUN, NULL, 0);
}

static sp_status apply_email(sp_state *st, const cJSON *in)
{
    const char *target = text_of(in, "target"), *reason = text_of(in, "reason"), *fqdn = text_of(in, "fqdn");
    const cJSON *c;
    sp_status s = SP_OK;
    if (target || reason)
        s = sp_email_plan_set(st, target ? sp_email_target_from_id(target) : sp_email_target_get(st),
                              reason ? reason : sp_email_reason_get(st));
    if (s == SP_OK && fqdn)
        s = sp_email_fqdn_set(st, fqdn);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(in, "confirmed"))
        if (s == SP_OK)
            s = sp_email_confirm_set(st, c->string, cJSON_IsTrue(c));
    return s;
}

/* The answer's plan over the entry's: fields not given stay; what the media probe found stays
 * while the media is the same. */
static sp_status apply_plan(cJSON *entry, const cJSON *in)
{
    static const char *const names[] = {"contact", "phone", "email", "media", "licence", "data", "notes"};
    sp_lob_plan p;
    const char **fields[] = {&p.contact, &p.phone, &p.email, &p.media, &p.licence, &p.data, &p.notes};
    const cJSON *found = cJSON_GetObjectItemCaseSensitive(in, "media_found");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(in, "media_size");
    const char *media;
    sp_lob_get_plan(entry, &p);
    media = p.media;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (text_of(in, names[i]))
            *fields[i] = text_of(in, names[i]);
    if (text_of(in, "method"))
        p.method = sp_lob_method_from_name(text_of(in, "method"));
    if (found) {
        p.media_checked = 1;
        p.media_found = cJSON_IsTrue(found);
        p.media_size = cJSON_IsNumber(size) ? (uint64_t)size->valuedouble : 0;
    } else if (strcmp(media, p.media) != 0) {
        p.media_checked = p.media_found = 0;
        p.media_size = 0;
    }
    return sp_lob_set_plan(entry, &p);
}

static sp_status apply_lob(sp_state *st, const cJSON *in, int64_t now)
{
    const cJSON *e;
    cJSON *entries = sp_lob_entries(st);
    const sp_step_state *s;
    if (!entries)
        return SP_ERR_NOMEM;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(in, "entries")) {
        const char *id = text_of(e, "id"), *name = text_of(e, "name");
        const cJSON *lob = cJSON_GetObjectItemCaseSensitive(e, "lob");
        const cJSON *plan = cJSON_GetObjectItemCaseSensitive(e, "plan");
        cJSON *have = sp_lob_find(entries, id);
        sp_status r;
        if (!have) {
            /* Not inventoried (yet): the check's merge carries the mark and plan over by id. */
            if (!(have = cJSON_CreateObject()))
                return SP_ERR_NOMEM;
            cJSON_AddItemToArray(entries, have);
            if (!cJSON_AddStringToObject(have, "id", id) || !cJSON_AddStringToObject(have, "name", name ? name : id))
                return SP_ERR_NOMEM;
        }
        if ((r = sp_lob_set_marked(have, lob ? cJSON_IsTrue(lob) : 1)) != SP_OK ||
            (plan && (r = apply_plan(have, plan)) != SP_OK))
            return r;
    }
    if (cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(in, "no_lob"))) {
        sp_status r = sp_lob_confirm_none(st, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "no_lob")), now);
        if (r != SP_OK)
            return r;
    }
    /* As the page does after an edit, once there is an inventory to assess. */
    s = sp_state_step_const(st, "lob");
    if (s && cJSON_GetObjectItemCaseSensitive(s->data, "inventoried_at"))
        return sp_lob_reassess(st, now);
    return SP_OK;
}

sp_status sp_answers_apply(const sp_answers *a, sp_state *st, int64_t now, sp_answers_error *err)
{
    const cJSON *doc = sp_answers_doc(a), *in;
    sp_status s = check_plans(doc, st, err);
    if (s != SP_OK)
        return s;
    /* In the order of the steps, so that the effects come as the pages would make them. */
    if ((in = cJSON_GetObjectItemCaseSensitive(doc, "backup")) && (s = apply_backup(st, in)) != SP_OK)
        return s;
    in = cJSON_GetObjectItemCaseSensitive(doc, "policy");
    if (in && cJSON_GetObjectItemCaseSensitive(in, "clear_script_paths") &&
        (s = sp_policy_set_clear_script_paths(st, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "clear_script_paths")))) != SP_OK)
        return s;
    if ((in = cJSON_GetObjectItemCaseSensitive(doc, "health")) && (s = apply_health(st, in)) != SP_OK)
        return s;
    if ((in = cJSON_GetObjectItemCaseSensitive(doc, "timesync")))
        apply_timesync(st, in);
    if ((in = cJSON_GetObjectItemCaseSensitive(doc, "lob")) && (s = apply_lob(st, in, now)) != SP_OK)
        return s;
    if ((in = cJSON_GetObjectItemCaseSensitive(doc, "email")) && (s = apply_email(st, in)) != SP_OK)
        return s;
    return SP_OK;
}
