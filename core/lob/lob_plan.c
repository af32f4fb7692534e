/* LOB planning: the entries and plans in the step's state data, the gate's rule, the CSV export. */
#include "core/lob/lob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/base/csv.h"
#include "core/msgids.h"
#include "core/base/strutil.h"

static const char *const method_names[SP_LOB_METHOD_COUNT] = {"", "reinstall", "vendor", "hosted",
                                                              "retire"};

const char *sp_lob_method_name(sp_lob_method m)
{
    return (unsigned)m < SP_LOB_METHOD_COUNT ? method_names[m] : "";
}

sp_lob_method sp_lob_method_from_name(const char *name)
{
    for (int i = 1; name && i < SP_LOB_METHOD_COUNT; i++)
        if (strcmp(method_names[i], name) == 0)
            return (sp_lob_method)i;
    return SP_LOB_METHOD_NONE;
}

cJSON *sp_lob_entries(sp_state *st)
{
    sp_step_state *s = sp_state_step(st, "lob");
    cJSON *entries;
    if (!s)
        return NULL;
    if (!s->data && !(s->data = cJSON_CreateObject()))
        return NULL;
    entries = cJSON_GetObjectItemCaseSensitive(s->data, "entries");
    if (cJSON_IsArray(entries))
        return entries;
    cJSON_DeleteItemFromObjectCaseSensitive(s->data, "entries");
    entries = cJSON_AddArrayToObject(s->data, "entries");
    return entries;
}

static const cJSON *entries_const(const sp_state *st)
{
    const sp_step_state *s = sp_state_step_const(st, "lob");
    const cJSON *e = s && s->data ? cJSON_GetObjectItemCaseSensitive(s->data, "entries") : NULL;
    return cJSON_IsArray(e) ? e : NULL;
}

size_t sp_lob_count(const sp_state *st)
{
    const cJSON *e = entries_const(st);
    return e ? (size_t)cJSON_GetArraySize(e) : 0;
}

cJSON *sp_lob_find(cJSON *entries, const char *id)
{
    cJSON *e;
    cJSON_ArrayForEach(e, entries)
        if (strcmp(sp_lob_text(e, "id"), id) == 0)
            return e;
    return NULL;
}

const char *sp_lob_text(const cJSON *entry, const char *field)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, field);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

int sp_lob_marked(const cJSON *entry)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(entry, "lob"));
}

/* Replaces (or adds) a member. */
static sp_status put(cJSON *obj, const char *name, cJSON *value)
{
    if (!value)
        return SP_ERR_NOMEM;
    if (cJSON_GetObjectItemCaseSensitive(obj, name))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, name, value);
    else
        cJSON_AddItemToObject(obj, name, value);
    return SP_OK;
}

sp_status sp_lob_set_marked(cJSON *entry, int marked)
{
    sp_status st = put(entry, "lob", cJSON_CreateBool(marked));
    /* Remembered so that a new inventory does not undo the user's choice. */
    return st == SP_OK ? put(entry, "user_marked", cJSON_CreateTrue()) : st;
}

sp_lob_category sp_lob_entry_category(const cJSON *entry)
{
    return sp_lob_category_from_name(sp_lob_text(entry, "category"));
}

void sp_lob_get_plan(const cJSON *entry, sp_lob_plan *out)
{
    const cJSON *plan = cJSON_GetObjectItemCaseSensitive(entry, "plan");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(plan, "media_size");
    memset(out, 0, sizeof *out);
    out->contact = sp_lob_text(plan, "contact");
    out->phone = sp_lob_text(plan, "phone");
    out->email = sp_lob_text(plan, "email");
    out->method = sp_lob_method_from_name(sp_lob_text(plan, "method"));
    out->media = sp_lob_text(plan, "media");
    out->licence = sp_lob_text(plan, "licence");
    out->data = sp_lob_text(plan, "data");
    out->notes = sp_lob_text(plan, "notes");
    out->media_checked = cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(plan, "media_found"));
    out->media_found = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(plan, "media_found"));
    out->media_size = cJSON_IsNumber(size) && size->valuedouble > 0 ? (uint64_t)size->valuedouble : 0;
}

sp_status sp_lob_set_plan(cJSON *entry, const sp_lob_plan *p)
{
    const char *const names[] = {"contact", "phone", "email", "method", "media", "licence", "data", "notes"};
    const char *const values[] = {p->contact, p->phone, p->email, sp_lob_method_name(p->method),
                                  p->media, p->licence, p->data, p->notes};
    cJSON *plan = cJSON_CreateObject();
    if (!plan)
        return SP_ERR_NOMEM;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!cJSON_AddStringToObject(plan, names[i], values[i] ? values[i] : "")) {
            cJSON_Delete(plan);
            return SP_ERR_NOMEM;
        }
    }
    if (p->media_checked) {
        cJSON_AddBoolToObject(plan, "media_found", p->media_found);
        if (p->media_found)
            cJSON_AddNumberToObject(plan, "media_size", (double)p->media_size);
    }
    return put(entry, "plan", plan);
}

static int blank(const char *s)
{
    return *sp_skip_space(s ? s : "") == '\0';
}

sp_lob_plan_status sp_lob_entry_status(const cJSON *entry)
{
    sp_lob_plan plan;
    if (!sp_lob_marked(entry))
        return SP_LOB_PLAN_NOT_LOB;
    sp_lob_get_plan(entry, &plan);
    if (plan.method == SP_LOB_METHOD_NONE)
        return SP_LOB_PLAN_NEEDS_METHOD;
    if (plan.method != SP_LOB_METHOD_RETIRE && plan.method != SP_LOB_METHOD_HOSTED && blank(plan.media))
        return SP_LOB_PLAN_NEEDS_MEDIA;
    return SP_LOB_PLAN_COMPLETE;
}

sp_status sp_lob_assess(const cJSON *data, sp_findings *out, sp_result *result)
{
    const cJSON *entries = cJSON_GetObjectItemCaseSensitive(data, "entries");
    const cJSON *e;
    if (!cJSON_IsArray(entries))
        entries = NULL;
    size_t marked = 0, open = 0;
    sp_status st = SP_OK;

    cJSON_ArrayForEach(e, entries) {
        const char *name = sp_lob_text(e, "name");
        sp_lob_category cat = sp_lob_entry_category(e);
        sp_lob_plan plan;
        if (cat == SP_LOB_CAT_ADDIN)
            st = sp_findings_add(out, SP_SEV_WARNING, "lob.addin", IDS_F_LOB_ADDIN,
                                 IDS_F_LOB_ADDIN_ADVICE, name, sp_lob_text(e, "location"));
        if (st != SP_OK)
            return st;
        if (!sp_lob_marked(e))
            continue;
        marked++;
        sp_lob_get_plan(e, &plan);
        switch (sp_lob_entry_status(e)) {
        case SP_LOB_PLAN_NEEDS_METHOD:
            open++;
            st = sp_findings_add(out, SP_SEV_WARNING, "lob.needs_method", IDS_F_LOB_NEEDS_METHOD,
                                 IDS_F_LOB_INCOMPLETE_ADVICE, name, NULL);
            break;
        case SP_LOB_PLAN_NEEDS_MEDIA:
            open++;
            st = sp_findings_add(out, SP_SEV_WARNING, "lob.needs_media", IDS_F_LOB_NEEDS_MEDIA,
                                 IDS_F_LOB_INCOMPLETE_ADVICE, name, NULL);
            break;
        default:
            st = sp_findings_add(out, SP_SEV_INFO, "lob.complete", IDS_F_LOB_COMPLETE, 0, name,
                                 sp_lob_method_name(plan.method));
            break;
        }
        if (st == SP_OK && plan.media_checked && !plan.media_found && !blank(plan.media))
            st = sp_findings_add(out, SP_SEV_WARNING, "lob.media_missing", IDS_F_LOB_MEDIA_MISSING,
                                 IDS_F_LOB_MEDIA_MISSING_ADVICE, name, plan.media);
        if (st == SP_OK && cat == SP_LOB_CAT_DATABASE)
            st = sp_findings_add(out, SP_SEV_INFO, "lob.database", IDS_F_LOB_DATABASE,
                                 IDS_F_LOB_DATABASE_ADVICE, name, sp_lob_text(e, "detail"));
        if (st == SP_OK && cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(e, "present")))
            st = sp_findings_add(out, SP_SEV_INFO, "lob.gone", IDS_F_LOB_GONE, IDS_F_LOB_GONE_ADVICE,
                                 name, NULL);
        if (st != SP_OK)
            return st;
    }
    /* Nothing marked does not pass silently: the user states it (issue 16), and the statement
     * is shown as theirs, not as something the wizard verified. */
    int stated = marked == 0 && sp_lob_none_confirmed(data);
    if (stated)
        st = sp_findings_add(out, SP_SEV_INFO, "lob.none_confirmed", IDS_F_LOB_NONE_CONFIRMED, 0,
                             NULL, "a manual statement by the user, recorded on the LOB page");
    else if (marked == 0) {
        open++;
        st = sp_findings_add(out, SP_SEV_WARNING, "lob.none_marked", IDS_F_LOB_NONE_MARKED,
                             IDS_F_LOB_CONFIRM_NONE_ADVICE, NULL, NULL);
    }
    /* The statement is the user's, never verified: the step is done by hand (the mark that
     * sp_lob_confirm_none gives opens the gate). */
    *result = open ? SP_RESULT_FAILED : stated ? SP_RESULT_MANUAL_NEEDED : SP_RESULT_PASSED;
    return st;
}

/* The mark by hand that the statement gave is void once it is no longer the basis. */
void sp_lob_statement_settle(sp_state *st, sp_result r)
{
    sp_step_state *s = sp_state_step(st, "lob");
    if (s && s->manual && s->manual_reason && strcmp(s->manual_reason, SP_LOB_NONE_REASON) == 0 &&
        r != SP_RESULT_MANUAL_NEEDED) {
        sp_state_clear_manual(st, "lob");
        cJSON_DeleteItemFromObjectCaseSensitive(s->data, "no_lob_confirmed"); /* asked again */
    }
}

int sp_lob_none_confirmed(const cJSON *data)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(data, "no_lob_confirmed"));
}

sp_status sp_lob_confirm_none(sp_state *st, int confirmed, int64_t now)
{
    sp_step_state *s = sp_state_step(st, "lob");
    if (!s)
        return SP_ERR_NOTFOUND;
    if (!s->data && !(s->data = cJSON_CreateObject()))
        return SP_ERR_NOMEM;
    cJSON_DeleteItemFromObjectCaseSensitive(s->data, "no_lob_confirmed");
    if (confirmed && !cJSON_AddBoolToObject(s->data, "no_lob_confirmed", 1))
        return SP_ERR_NOMEM;
    if (confirmed)
        return sp_state_mark_manual(st, "lob", SP_LOB_NONE_REASON, now);
    sp_lob_statement_settle(st, SP_RESULT_NOT_RUN);
    return SP_OK;
}

sp_status sp_lob_reassess(sp_state *st, int64_t now)
{
    sp_step_state *s = sp_state_step(st, "lob");
    sp_findings f = {0};
    sp_result r = SP_RESULT_NOT_RUN;
    sp_status status;
    if (!s)
        return SP_ERR_NOTFOUND;
    /* Keep what the inventory said (its counts, what could not be listed); redo the plan part. */
    for (size_t i = 0; i < s->findings.count; i++) {
        const sp_finding *x = &s->findings.items[i];
        if (x->title_id == IDS_F_LOB_INVENTORY || x->title_id == IDS_F_LOB_TASKS_FAILED ||
            x->title_id == IDS_F_LOB_SERVICES_FAILED)
            if (sp_findings_add(&f, x->severity, x->code, x->title_id, x->advice_id, x->arg,
                                x->evidence) != SP_OK) {
                sp_findings_free(&f);
                return SP_ERR_NOMEM;
            }
    }
    status = sp_lob_assess(s->data, &f, &r);
    if (status != SP_OK) {
        sp_findings_free(&f);
        return status;
    }
    sp_state_record(st, "lob", r, &f, now);
    sp_findings_free(&f);
    sp_lob_statement_settle(st, r);
    return SP_OK;
}

/* ---- Export ------------------------------------------------------------------------------ */

static void text_field(sp_csv_writer *w, sp_text_fn text, void *user, unsigned id)
{
    char *s = text ? text(user, id, NULL) : NULL;
    sp_csv_field(w, s ? s : "");
    free(s);
}

static unsigned kind_text_id(const char *kind)
{
    if (strcmp(kind, "service") == 0)
        return IDS_LOB_KIND_SERVICE;
    if (strcmp(kind, "task") == 0)
        return IDS_LOB_KIND_TASK;
    if (strcmp(kind, "addin") == 0)
        return IDS_LOB_KIND_ADDIN;
    if (strcmp(kind, "share") == 0 || strcmp(kind, "dsn") == 0)
        return IDS_LOB_KIND_DATA;
    return IDS_LOB_KIND_APP;
}

char *sp_lob_export_csv(const sp_state *st, sp_text_fn text, void *user)
{
    return sp_lob_export_csv_with(st, text, user, ',');
}

char *sp_lob_export_csv_with(const sp_state *st, sp_text_fn text, void *user, char separator)
{
    sp_csv_writer w = {0};
    const cJSON *e;
    /* A cell like "=HYPERLINK(...)" or "+1 800" must not run as a formula in Excel. */
    w.separator = separator;
    w.formula_safe = 1;
    sp_csv_bom(&w);
    for (unsigned c = 0; c < IDS_LOB_CSV_COL_COUNT; c++)
        text_field(&w, text, user, IDS_LOB_CSV_COL_FIRST + c);
    sp_csv_end_row(&w);
    cJSON_ArrayForEach(e, entries_const(st)) {
        sp_lob_plan plan;
        char size[32] = "";
        if (!sp_lob_marked(e))
            continue;
        sp_lob_get_plan(e, &plan);
        if (plan.media_checked && plan.media_found)
            snprintf(size, sizeof size, "%llu", (unsigned long long)plan.media_size);
        sp_csv_field(&w, sp_lob_text(e, "name"));
        sp_csv_field(&w, sp_lob_text(e, "publisher"));
        sp_csv_field(&w, sp_lob_text(e, "version"));
        text_field(&w, text, user, kind_text_id(sp_lob_text(e, "kind")));
        text_field(&w, text, user, IDS_LOB_CATEGORY_FIRST + sp_lob_entry_category(e));
        sp_csv_field(&w, plan.contact);
        sp_csv_field(&w, plan.phone);
        sp_csv_field(&w, plan.email);
        text_field(&w, text, user, IDS_LOB_METHOD_FIRST + plan.method);
        sp_csv_field(&w, plan.media);
        sp_csv_field(&w, size);
        sp_csv_field(&w, plan.licence);
        sp_csv_field(&w, plan.data);
        sp_csv_field(&w, plan.notes);
        text_field(&w, text, user, IDS_LOB_PLAN_FIRST + sp_lob_entry_status(e));
        sp_csv_end_row(&w);
    }
    if (w.failed) {
        free(w.data);
        return NULL;
    }
    return w.data;
}

/* ---- Merging a new inventory ---------------------------------------------------------------- */

/* Suggested entries first, then the others, the hidden ones last; by name within each. */
static int rank(const cJSON *e)
{
    sp_lob_category c = sp_lob_entry_category(e);
    if (sp_lob_marked(e) || sp_lob_category_suggested(c))
        return 0;
    return sp_lob_category_hidden(c) ? 2 : 1;
}

static int compare_entries(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    int d = rank(x) - rank(y);
    if (d)
        return d;
    d = sp_stricmp(sp_lob_text(x, "name"), sp_lob_text(y, "name"));
    return d ? d : strcmp(sp_lob_text(x, "id"), sp_lob_text(y, "id"));
}

sp_status sp_lob_merge(sp_state *st, cJSON *fresh, int64_t now)
{
    sp_step_state *s = sp_state_step(st, "lob");
    cJSON *old = sp_lob_entries(st), *e, *next, **items = NULL;
    size_t n = 0, cap = 0;
    sp_status status = SP_OK;

    if (!old || !cJSON_IsArray(fresh)) {
        cJSON_Delete(fresh);
        return SP_ERR_NOMEM;
    }
    /* Carry the user's marks and plans over to the fresh entries. */
    cJSON_ArrayForEach(e, fresh) {
        cJSON *was = sp_lob_find(old, sp_lob_text(e, "id"));
        cJSON *plan = was ? cJSON_GetObjectItemCaseSensitive(was, "plan") : NULL;
        int user = was && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(was, "user_marked"));
        int marked = user ? sp_lob_marked(was) : sp_lob_category_suggested(sp_lob_entry_category(e));
        if (put(e, "lob", cJSON_CreateBool(marked)) != SP_OK ||
            put(e, "present", cJSON_CreateTrue()) != SP_OK ||
            (user && put(e, "user_marked", cJSON_CreateTrue()) != SP_OK) ||
            (plan && put(e, "plan", cJSON_Duplicate(plan, 1)) != SP_OK)) {
            cJSON_Delete(fresh);
            return SP_ERR_NOMEM;
        }
    }
    /* Nothing the user planned is lost: a marked entry that is gone stays, flagged. */
    for (e = old->child; e; e = next) {
        next = e->next;
        if (sp_lob_marked(e) && !sp_lob_find(fresh, sp_lob_text(e, "id"))) {
            cJSON_DetachItemViaPointer(old, e);
            if (put(e, "present", cJSON_CreateFalse()) != SP_OK) {
                cJSON_Delete(e);
                cJSON_Delete(fresh);
                return SP_ERR_NOMEM;
            }
            cJSON_AddItemToArray(fresh, e);
        }
    }
    /* Sort: detach everything, order it, put it back. */
    while ((e = fresh->child) != NULL) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            cJSON **d = realloc(items, ncap * sizeof *d);
            if (!d) {
                status = SP_ERR_NOMEM;
                break;
            }
            items = d;
            cap = ncap;
        }
        items[n++] = cJSON_DetachItemViaPointer(fresh, e);
    }
    if (status == SP_OK && n > 1)
        qsort(items, n, sizeof *items, compare_entries);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(fresh, items[i]);
    free(items);
    if (status != SP_OK) {
        cJSON_Delete(fresh);
        return status;
    }
    cJSON_ReplaceItemInObjectCaseSensitive(s->data, "entries", fresh);
    put(s->data, "inventoried_at", cJSON_CreateNumber((double)now));
    return SP_OK;
}

/* ---- Install media ------------------------------------------------------------------------ */

typedef struct {
    sp_sys *sys;
    sp_run_ctx *ctx;
    const char *dir;
    sp_lob_media *m;
    char (*subdirs)[520];
    size_t nsub, capsub;
    int nomem;
    int cancelled;
} media_walk;

static int media_entry(void *user, const char *name, int is_dir)
{
    media_walk *w = user;
    char path[1040];
    sp_filestat fs;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return 0;
    if (sp_cancelled(w->ctx)) {
        w->cancelled = 1;
        return 1;
    }
    if (w->m->files >= SP_LOB_MEDIA_MAX_FILES) {
        w->m->partial = 1;
        return 1;
    }
    snprintf(path, sizeof path, "%s\\%s", w->dir, name);
    if (is_dir) {
        if (w->nsub == w->capsub) {
            size_t ncap = w->capsub ? w->capsub * 2 : 16;
            char (*d)[520] = realloc(w->subdirs, ncap * sizeof *d);
            if (!d) {
                w->nomem = 1;
                return 1;
            }
            w->subdirs = d;
            w->capsub = ncap;
        }
        if (strlen(path) < sizeof w->subdirs[0])
            memcpy(w->subdirs[w->nsub++], path, strlen(path) + 1);
        else
            w->m->partial = 1;
        return 0;
    }
    if (w->sys->ops->file_stat(w->sys, path, &fs) == SP_OK && fs.exists) {
        w->m->size += fs.size;
        w->m->files++;
    }
    return 0;
}

static int is_url(const char *s)
{
    return sp_strnicmp(s, "http://", 7) == 0 || sp_strnicmp(s, "https://", 8) == 0 ||
           sp_strnicmp(s, "ftp://", 6) == 0;
}

sp_status sp_lob_media_probe(sp_sys *sys, const char *path, sp_lob_media *out)
{
    sp_run_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.sys = sys;
    return sp_lob_media_probe_run(&ctx, path, out);
}

sp_status sp_lob_media_probe_run(sp_run_ctx *ctx, const char *path, sp_lob_media *out)
{
    sp_sys *sys = ctx->sys;
    media_walk w = {0};
    sp_filestat fs;
    sp_status st;
    char dir[520];
    memset(out, 0, sizeof *out);
    path = sp_skip_space(path ? path : "");
    if (is_url(path)) {
        out->is_url = 1;
        return SP_OK;
    }
    if (!path[0])
        return sp_sys_fail(sys, SP_ERR_INVALID, "No install media location was given.");
    st = sys->ops->file_stat(sys, path, &fs);
    if (st != SP_OK || !fs.exists)
        return st;
    out->exists = 1;
    out->is_dir = fs.is_dir;
    if (!fs.is_dir) {
        out->size = fs.size;
        out->files = 1;
        return SP_OK;
    }
    /* A folder: walk it breadth first, counting file sizes, within the budget. */
    w.sys = sys;
    w.ctx = ctx;
    w.m = out;
    if (strlen(path) >= sizeof dir)
        return sp_sys_fail(sys, SP_ERR_INVALID, "The install media path is too long.");
    if (!(w.subdirs = malloc(16 * sizeof *w.subdirs)))
        return SP_ERR_NOMEM;
    w.capsub = 16;
    snprintf(w.subdirs[w.nsub++], sizeof w.subdirs[0], "%s", path);
    for (size_t i = 0; i < w.nsub && !w.nomem && !out->partial && !w.cancelled; i++) {
        if (i % 16 == 0) { /* a share may hold thousands of folders: not a message each */
            char what[32];
            snprintf(what, sizeof what, "%u", out->files);
            sp_progress(ctx, (unsigned)((uint64_t)out->files * 1000u / SP_LOB_MEDIA_MAX_FILES), what);
        }
        snprintf(dir, sizeof dir, "%s", w.subdirs[i]);
        w.dir = dir;
        if (sys->ops->dir_enum(sys, dir, media_entry, &w) != SP_OK && i == 0) {
            free(w.subdirs);
            return SP_ERR_IO;
        }
    }
    free(w.subdirs);
    if (w.cancelled || sp_cancelled(ctx))
        return SP_ERR_CANCELLED;
    return w.nomem ? SP_ERR_NOMEM : SP_OK;
}
