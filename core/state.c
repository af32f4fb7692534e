/* The wizard's state as JSON: parse, serialise, atomic save, resume, and the gate rule. */
#include "core/state.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"

sp_state *sp_state_new(int64_t now)
{
    sp_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->version = SP_STATE_VERSION;
    st->created = st->updated = now;
    for (size_t i = 0; i < sp_step_count && i < SP_STATE_MAX_STEPS; i++) {
        sp_strlcpy(st->steps[i].id, sp_steps[i]->id, sizeof st->steps[i].id);
        st->count++;
    }
    return st;
}

static void step_state_clear(sp_step_state *s)
{
    free(s->manual_reason);
    s->manual_reason = NULL;
    sp_findings_free(&s->findings);
    cJSON_Delete(s->data);
    s->data = NULL;
}

void sp_state_free(sp_state *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->count; i++)
        step_state_clear(&st->steps[i]);
    free(st);
}

sp_status sp_state_path(sp_sys *sys, char *out, size_t outlen)
{
    char dir[400];
    sp_status s = sys->ops->folder(sys, SP_FOLDER_PROGRAMDATA, dir, sizeof dir);
    if (s != SP_OK)
        return s;
    if ((size_t)snprintf(out, outlen, "%s\\SourcePrep\\state.json", dir) >= outlen)
        return SP_ERR_INVALID;
    return SP_OK;
}

sp_step_state *sp_state_step(sp_state *st, const char *id)
{
    for (size_t i = 0; i < st->count; i++)
        if (strcmp(st->steps[i].id, id) == 0)
            return &st->steps[i];
    return NULL;
}

const sp_step_state *sp_state_step_const(const sp_state *st, const char *id)
{
    return sp_state_step((sp_state *)st, id);
}

/* ---- parsing ------------------------------------------------------------------------ */

static int get_int64(const cJSON *obj, const char *name, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        return 1; /* optional */
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9.0e15)
        return 0;
    *out = (int64_t)v->valuedouble;
    return 1;
}

static int get_string(const cJSON *obj, const char *name, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v || cJSON_IsNull(v)) {
        *out = NULL;
        return 1;
    }
    if (!cJSON_IsString(v))
        return 0;
    *out = v->valuestring;
    return 1;
}

static sp_status parse_findings(const cJSON *arr, sp_findings *out)
{
    const cJSON *it;
    if (!arr)
        return SP_OK;
    if (!cJSON_IsArray(arr))
        return SP_ERR_BADDATA;
    cJSON_ArrayForEach(it, arr) {
        const char *code, *arg, *evidence, *sev;
        int64_t title = 0, advice = 0;
        sp_severity severity = SP_SEV_INFO;
        if (!cJSON_IsObject(it) || !get_string(it, "code", &code) || !get_string(it, "arg", &arg) ||
            !get_string(it, "evidence", &evidence) || !get_string(it, "severity", &sev) ||
            !get_int64(it, "title_id", &title) || !get_int64(it, "advice_id", &advice) ||
            title > 0xffff || advice > 0xffff)
            return SP_ERR_BADDATA;
        if (sev && strcmp(sev, "warning") == 0)
            severity = SP_SEV_WARNING;
        else if (sev && strcmp(sev, "error") == 0)
            severity = SP_SEV_ERROR;
        if (sp_findings_add(out, severity, code, (unsigned)title, (unsigned)advice, arg, evidence) !=
            SP_OK)
            return SP_ERR_NOMEM;
    }
    return SP_OK;
}

static sp_status parse_step(const cJSON *obj, sp_step_state *s)
{
    const cJSON *manual, *data;
    const char *result = NULL, *reason = NULL;

    if (!cJSON_IsObject(obj) || !get_string(obj, "result", &result) ||
        !get_int64(obj, "checked_at", &s->checked_at) ||
        !get_int64(obj, "manual_at", &s->manual_at) || !get_string(obj, "manual_reason", &reason))
        return SP_ERR_BADDATA;
    if (result && !sp_result_from_name(result, &s->result))
        return SP_ERR_BADDATA;
    manual = cJSON_GetObjectItemCaseSensitive(obj, "manual");
    if (manual && !cJSON_IsBool(manual))
        return SP_ERR_BADDATA;
    s->manual = cJSON_IsTrue(manual);
    if (reason && !(s->manual_reason = sp_strdup(reason)))
        return SP_ERR_NOMEM;
    if (parse_findings(cJSON_GetObjectItemCaseSensitive(obj, "findings"), &s->findings) != SP_OK)
        return SP_ERR_BADDATA;
    data = cJSON_GetObjectItemCaseSensitive(obj, "data");
    if (data) {
        if (!cJSON_IsObject(data))
            return SP_ERR_BADDATA;
        if (!(s->data = cJSON_Duplicate(data, 1)))
            return SP_ERR_NOMEM;
    }
    return SP_OK;
}

sp_status sp_state_parse(const char *json, size_t len, int64_t now, sp_state **out)
{
    sp_status status = SP_ERR_BADDATA;
    cJSON *doc = NULL;
    const cJSON *steps, *it;
    const char *page = NULL, *server = NULL;
    int64_t version = 0;
    sp_state *st = sp_state_new(now);

    *out = NULL;
    if (!st)
        return SP_ERR_NOMEM;
    doc = cJSON_ParseWithLength(json, len);
    if (!cJSON_IsObject(doc))
        goto done;
    if (!get_int64(doc, "version", &version) || version != SP_STATE_VERSION ||
        !get_int64(doc, "created", &st->created) || !get_int64(doc, "updated", &st->updated) ||
        !get_string(doc, "page", &page) || !get_string(doc, "server", &server))
        goto done;
    if (page)
        sp_strlcpy(st->page, page, sizeof st->page);
    if (server)
        sp_strlcpy(st->server, server, sizeof st->server);
    steps = cJSON_GetObjectItemCaseSensitive(doc, "steps");
    if (steps && !cJSON_IsObject(steps))
        goto done;
    cJSON_ArrayForEach(it, steps) {
        sp_step_state *s = sp_state_step(st, it->string);
        if (!s)
            continue; /* a step this version does not have */
        step_state_clear(s);
        if ((status = parse_step(it, s)) != SP_OK)
            goto done;
    }
    status = SP_OK;
done:
    cJSON_Delete(doc);
    if (status != SP_OK) {
        sp_state_free(st);
        return status;
    }
    *out = st;
    return SP_OK;
}

/* ---- serialising -------------------------------------------------------------------- */

static cJSON *findings_json(const sp_findings *f)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < f->count; i++) {
        const sp_finding *x = &f->items[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "severity", sp_severity_name(x->severity));
        cJSON_AddStringToObject(o, "code", x->code);
        cJSON_AddNumberToObject(o, "title_id", x->title_id);
        cJSON_AddNumberToObject(o, "advice_id", x->advice_id);
        if (x->arg)
            cJSON_AddStringToObject(o, "arg", x->arg);
        if (x->evidence)
            cJSON_AddStringToObject(o, "evidence", x->evidence);
    }
    return arr;
}

char *sp_state_serialise(const sp_state *st)
{
    char *text = NULL;
    cJSON *doc = cJSON_CreateObject(), *steps;
    if (!doc)
        return NULL;
    cJSON_AddNumberToObject(doc, "version", st->version);
    cJSON_AddNumberToObject(doc, "created", (double)st->created);
    cJSON_AddNumberToObject(doc, "updated", (double)st->updated);
    cJSON_AddStringToObject(doc, "page", st->page);
    cJSON_AddStringToObject(doc, "server", st->server);
    steps = cJSON_AddObjectToObject(doc, "steps");
    for (size_t i = 0; steps && i < st->count; i++) {
        const sp_step_state *s = &st->steps[i];
        cJSON *o = cJSON_AddObjectToObject(steps, s->id);
        if (!o)
            goto done;
        cJSON_AddStringToObject(o, "result", sp_result_name(s->result));
        cJSON_AddNumberToObject(o, "checked_at", (double)s->checked_at);
        cJSON_AddBoolToObject(o, "manual", s->manual);
        cJSON_AddNumberToObject(o, "manual_at", (double)s->manual_at);
        if (s->manual_reason)
            cJSON_AddStringToObject(o, "manual_reason", s->manual_reason);
        cJSON_AddItemToObject(o, "findings", findings_json(&s->findings));
        if (s->data)
            cJSON_AddItemToObject(o, "data", cJSON_Duplicate(s->data, 1));
    }
    text = cJSON_Print(doc);
done:
    cJSON_Delete(doc);
    return text;
}

/* ---- files -------------------------------------------------------------------------- */

static sp_status parent_dir(const char *path, char *out, size_t outlen)
{
    const char *slash = strrchr(path, '\\');
    if (!slash || (size_t)(slash - path) >= outlen)
        return SP_ERR_INVALID;
    memcpy(out, path, (size_t)(slash - path));
    out[slash - path] = '\0';
    return SP_OK;
}

sp_status sp_state_load(sp_sys *sys, const char *path, int64_t now, sp_state **out, char *aside,
                        size_t asidelen)
{
    unsigned char *data = NULL;
    size_t size = 0;
    sp_status st;

    *out = NULL;
    if (aside && asidelen)
        aside[0] = '\0';
    st = sys->ops->file_read(sys, path, &data, &size);
    if (st == SP_ERR_NOTFOUND) {
        *out = sp_state_new(now);
        return *out ? SP_OK : SP_ERR_NOMEM;
    }
    if (st != SP_OK)
        return st;
    st = sp_state_parse((const char *)data, size, now, out);
    free(data);
    if (st == SP_ERR_BADDATA) {
        /* Keep the damaged file for the technician; never overwrite it silently. */
        char moved[600];
        sp_status mv = SP_ERR_EXISTS;
        snprintf(moved, sizeof moved, "%s.corrupt-%lld", path, (long long)now);
        /* Never replace an earlier damaged copy: number the new one instead. */
        for (int n = 1; n < 100 && (mv = sys->ops->file_move(sys, path, moved)) == SP_ERR_EXISTS; n++)
            snprintf(moved, sizeof moved, "%s.corrupt-%lld-%d", path, (long long)now, n);
        if (mv != SP_OK)
            return mv; /* cannot keep it safe: do not go on and overwrite it */
        if (aside)
            sp_strlcpy(aside, moved, asidelen);
        *out = sp_state_new(now);
        return *out ? SP_ERR_BADDATA : SP_ERR_NOMEM;
    }
    return st;
}

sp_status sp_state_save(sp_sys *sys, const char *path, sp_state *st, int64_t now)
{
    char dir[600];
    char *text;
    sp_status s;

    if (parent_dir(path, dir, sizeof dir) == SP_OK) {
        s = sys->ops->dir_create(sys, dir);
        if (s != SP_OK)
            return s;
    }
    st->updated = now;
    text = sp_state_serialise(st);
    if (!text)
        return SP_ERR_NOMEM;
    s = sys->ops->file_write_atomic(sys, path, text, strlen(text));
    free(text);
    return s;
}

/* ---- recording and the gate --------------------------------------------------------- */

void sp_state_record(sp_state *st, const char *id, sp_result result, sp_findings *findings,
                     int64_t now)
{
    sp_step_state *s = sp_state_step(st, id);
    if (!s)
        return;
    sp_findings_free(&s->findings);
    s->result = result;
    s->checked_at = now;
    if (findings) {
        s->findings = *findings;
        memset(findings, 0, sizeof *findings);
    }
}

sp_status sp_state_mark_manual(sp_state *st, const char *id, const char *reason, int64_t now)
{
    sp_step_state *s = sp_state_step(st, id);
    char *copy;
    if (!s)
        return SP_ERR_NOTFOUND;
    if (!reason || !*sp_skip_space(reason))
        return SP_ERR_INVALID; /* a manual mark always says why */
    if (!(copy = sp_strdup(reason)))
        return SP_ERR_NOMEM;
    free(s->manual_reason);
    s->manual_reason = copy;
    s->manual = 1;
    s->manual_at = now;
    return SP_OK;
}

void sp_state_clear_manual(sp_state *st, const char *id)
{
    sp_step_state *s = sp_state_step(st, id);
    if (!s)
        return;
    s->manual = 0;
    s->manual_at = 0;
    free(s->manual_reason);
    s->manual_reason = NULL;
}

int sp_state_is_stale(const sp_step_state *s, int64_t now)
{
    return s->checked_at != 0 && now - s->checked_at > SP_STALE_SECONDS;
}

int sp_state_gate_open(const sp_state *st, const char *id, int64_t now)
{
    const sp_step_state *s = sp_state_step_const(st, id);
    if (!s)
        return 0;
    if (s->manual)
        return 1;
    if (sp_state_is_stale(s, now))
        return 0;
    return s->result == SP_RESULT_PASSED || s->result == SP_RESULT_NOT_APPLICABLE;
}
