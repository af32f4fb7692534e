/* The LOB page's CSV export read back into the plans, every row checked before anything changes. */
#include "core/answers.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/answers_keys.h"
#include "core/base/csv.h"
#include "core/lob/lob.h"
#include "core/msgids.h"

/* The columns of sp_lob_export_csv. */
enum { COL_NAME, COL_PUBLISHER, COL_VERSION, COL_KIND, COL_TYPE, COL_CONTACT, COL_PHONE, COL_EMAIL,
       COL_METHOD, COL_MEDIA, COL_SIZE, COL_LICENCE, COL_DATA, COL_NOTES, COL_PLAN };

/* "Data location" is a share or an ODBC data source (kind "dsn"): both read back as "share". */
static const char *const kinds[] = {"app", "service", "task", "addin", "share"};
static const unsigned kind_ids[] = {IDS_LOB_KIND_APP, IDS_LOB_KIND_SERVICE, IDS_LOB_KIND_TASK, IDS_LOB_KIND_ADDIN,
                                    IDS_LOB_KIND_DATA};

typedef struct {
    const sp_csv_row *row;
    const char *kind;
    sp_lob_category category;
    sp_lob_method method;
    int has_size;
    uint64_t size;
    cJSON *entry; /* the inventory's, or NULL: a new entry */
} csv_plan;

typedef struct {
    sp_text_fn text;
    void *user;
    char *words[IDS_LOB_CSV_COL_COUNT];
} csv_words;

/* Is field the text of id (or, for a method, its name)? */
static int says(const csv_words *w, unsigned id, const char *field)
{
    char *t = w->text ? w->text(w->user, id, NULL) : NULL;
    int same = strcmp(t ? t : "", field) == 0;
    free(t);
    return same;
}

static const char *column(const csv_words *w, unsigned c)
{
    return w->words[c] ? w->words[c] : "";
}

static sp_status fail_cell(sp_answers_error *err, unsigned id, size_t row, const csv_words *w,
                           unsigned col, const char *value, const char *allowed)
{
    char key[24];
    sp_answers_keyf(key, sizeof key, "%lu", (unsigned long)row + 1);
    sp_answers_fail(err, id, key, value, allowed);
    return sp_answers_at(err, IDS_ANS_AT_CELL, column(w, col));
}

/* "Reinstall on the Destination Server, ..." for a message. */
static void list_texts(const csv_words *w, unsigned first, unsigned count, char *out, size_t len)
{
    out[0] = '\0';
    for (unsigned i = 0; i < count; i++) {
        char *t = w->text ? w->text(w->user, first + i, NULL) : NULL;
        snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "; " : "", t ? t : "");
        free(t);
    }
}

static sp_status read_row(const csv_words *w, const sp_csv_row *row, size_t r, csv_plan *p,
                          sp_answers_error *err)
{
    static const struct { unsigned col, max; } limits[] = {
        {COL_NAME, 1000}, {COL_CONTACT, 200}, {COL_PHONE, 60}, {COL_EMAIL, 200}, {COL_MEDIA, 400},
        {COL_LICENCE, 400}, {COL_DATA, 400}, {COL_NOTES, 4000}};
    char allowed[600], count[16];
    const char *size;
    memset(p, 0, sizeof *p);
    p->row = row;
    if (row->count != IDS_LOB_CSV_COL_COUNT) {
        char key[24];
        sp_answers_keyf(key, sizeof key, "%lu", (unsigned long)r + 1);
        snprintf(count, sizeof count, "%lu", (unsigned long)row->count);
        snprintf(allowed, sizeof allowed, "%d", IDS_LOB_CSV_COL_COUNT);
        sp_answers_fail(err, IDS_ANS_ERR_CSV_FIELDS, key, count, allowed);
        return sp_answers_at(err, IDS_ANS_AT_ROW, NULL);
    }
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        size_t n = 0;
        for (const char *c = row->fields[limits[i].col]; *c; c++)
            n += ((unsigned char)*c & 0xC0) != 0x80;
        snprintf(allowed, sizeof allowed, "%u", limits[i].max);
        if (n > limits[i].max)
            return fail_cell(err, IDS_ANS_ERR_TOO_LONG, r, w, limits[i].col, row->fields[limits[i].col], allowed);
    }
    for (size_t k = 0; k < 5 && !p->kind; k++)
        if (says(w, kind_ids[k], row->fields[COL_KIND]))
            p->kind = kinds[k];
    if (!p->kind) {
        list_texts(w, IDS_LOB_KIND_APP, 5, allowed, sizeof allowed);
        return fail_cell(err, IDS_ANS_ERR_ONE_OF, r, w, COL_KIND, row->fields[COL_KIND], allowed);
    }
    for (p->category = 0; p->category < SP_LOB_CAT_COUNT; p->category++)
        if (says(w, IDS_LOB_CATEGORY_FIRST + p->category, row->fields[COL_TYPE]))
            break;
    if (p->category == SP_LOB_CAT_COUNT) {
        list_texts(w, IDS_LOB_CATEGORY_FIRST, SP_LOB_CAT_COUNT, allowed, sizeof allowed);
        return fail_cell(err, IDS_ANS_ERR_ONE_OF, r, w, COL_TYPE, row->fields[COL_TYPE], allowed);
    }
    /* The page's words for the method, or its names as an answer file has them. */
    for (p->method = 0; p->method < SP_LOB_METHOD_COUNT; p->method++)
        if (says(w, IDS_LOB_METHOD_FIRST + p->method, row->fields[COL_METHOD]) ||
            (p->method && strcmp(sp_lob_method_name(p->method), row->fields[COL_METHOD]) == 0))
            break;
    if (p->method == SP_LOB_METHOD_COUNT) {
        list_texts(w, IDS_LOB_METHOD_FIRST, SP_LOB_METHOD_COUNT, allowed, sizeof allowed);
        return fail_cell(err, IDS_ANS_ERR_ONE_OF, r, w, COL_METHOD, row->fields[COL_METHOD], allowed);
    }
    size = row->fields[COL_SIZE];
    if (size[0]) {
        size_t n = strlen(size);
        if (n > 15 || strspn(size, "0123456789") != n)
            return fail_cell(err, IDS_ANS_ERR_SIZE, r, w, COL_SIZE, size, "999999999999999");
        p->has_size = 1;
        p->size = strtoull(size, NULL, 10);
    }
    return SP_OK;
}

/* The inventory's entry for a row: same kind, name, publisher and version, not taken yet. */
static cJSON *find_entry(cJSON *entries, const csv_plan *plans, size_t n, const csv_plan *p)
{
    cJSON *e;
    cJSON_ArrayForEach(e, entries) {
        int taken = 0;
        const char *kind = sp_lob_text(e, "kind");
        if (strcmp(!kind[0] ? "app" : strcmp(kind, "dsn") == 0 ? "share" : kind, p->kind) != 0 ||
            strcmp(sp_lob_text(e, "name"), p->row->fields[COL_NAME]) != 0 ||
            strcmp(sp_lob_text(e, "publisher"), p->row->fields[COL_PUBLISHER]) != 0 ||
            strcmp(sp_lob_text(e, "version"), p->row->fields[COL_VERSION]) != 0)
            continue;
        for (size_t i = 0; i < n && !taken; i++)
            taken = plans[i].entry == e;
        if (!taken)
            return e;
    }
    return NULL;
}

/* An application this server's inventory does not have: kept as an entry of its own. */
static cJSON *new_entry(cJSON *entries, const csv_plan *p)
{
    const char *names[] = {"kind", "name", "publisher", "version", "category"};
    const char *values[] = {p->kind, p->row->fields[COL_NAME], p->row->fields[COL_PUBLISHER],
                            p->row->fields[COL_VERSION], sp_lob_category_name(p->category)};
    char id[400];
    cJSON *e;
    snprintf(id, sizeof id, "csv:%s:%.300s", p->kind, p->row->fields[COL_NAME]);
    for (int n = 2; sp_lob_find(entries, id) && n < 1000; n++)
        snprintf(id, sizeof id, "csv:%s:%.300s:%d", p->kind, p->row->fields[COL_NAME], n);
    if (!(e = cJSON_CreateObject()))
        return NULL;
    cJSON_AddItemToArray(entries, e);
    if (!cJSON_AddStringToObject(e, "id", id))
        return NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!cJSON_AddStringToObject(e, names[i], values[i]))
            return NULL;
    return e;
}

static sp_status apply_row(cJSON *entry, const csv_plan *p)
{
    sp_lob_plan plan, had;
    const char *const *f = (const char *const *)p->row->fields;
    sp_lob_get_plan(entry, &had);
    memset(&plan, 0, sizeof plan);
    plan.contact = f[COL_CONTACT];
    plan.phone = f[COL_PHONE];
    plan.email = f[COL_EMAIL];
    plan.method = p->method;
    plan.media = f[COL_MEDIA];
    plan.licence = f[COL_LICENCE];
    plan.data = f[COL_DATA];
    plan.notes = f[COL_NOTES];
    /* The size is there only when the media was found; else what was found of this media stays. */
    if (p->has_size) {
        plan.media_checked = plan.media_found = 1;
        plan.media_size = p->size;
    } else if (strcmp(had.media, plan.media) == 0 && !(had.media_checked && had.media_found)) {
        plan.media_checked = had.media_checked;
    }
    sp_status st = sp_lob_set_marked(entry, 1);
    return st == SP_OK ? sp_lob_set_plan(entry, &plan) : st;
}

int sp_answers_lob_needs_inventory(const sp_state *st)
{
    const sp_step_state *s = sp_state_step_const(st, "lob");
    return !s || !s->data || !cJSON_GetObjectItemCaseSensitive(s->data, "inventoried_at");
}

sp_status sp_answers_apply_lob_csv(sp_state *st, const char *csv, size_t len, sp_text_fn text,
                                   void *user, int64_t now, size_t *rows, sp_answers_error *err)
{
    sp_csv c = {0};
    csv_words w = {text, user, {0}};
    csv_plan *plans = NULL;
    const sp_step_state *lob = sp_state_step_const(st, "lob");
    cJSON *entries = lob && lob->data ? cJSON_GetObjectItemCaseSensitive(lob->data, "entries") : NULL, *e;
    char why[300];
    size_t n = 0;
    sp_status s = SP_OK;

    if (rows)
        *rows = 0;
    if (!cJSON_IsArray(entries))
        entries = NULL; /* made when the file is applied: a refused one changes nothing */
    /* Written with the locale's list separator (',' or ';'), and formula-safe. */
    if (sp_csv_parse_with(csv, len, sp_csv_guess_separator(csv, len), &c, why, sizeof why) != SP_OK)
        return sp_answers_fail(err, IDS_ANS_ERR_CSV, why, "", NULL);
    for (size_t r = 0; r < c.count; r++)
        for (size_t f = 0; f < c.rows[r].count; f++) {
            char *cell = c.rows[r].fields[f];
            const char *plain = sp_csv_formula_plain(cell);
            if (plain != cell)
                memmove(cell, plain, strlen(plain) + 1);
        }
    for (unsigned i = 0; i < IDS_LOB_CSV_COL_COUNT; i++)
        w.words[i] = text ? text(user, IDS_LOB_CSV_COL_FIRST + i, NULL) : NULL;
    for (unsigned i = 0; c.count && i < IDS_LOB_CSV_COL_COUNT && s == SP_OK; i++)
        if (c.rows[0].count != IDS_LOB_CSV_COL_COUNT || strcmp(c.rows[0].fields[i], column(&w, i)) != 0)
            s = sp_answers_fail(err, IDS_ANS_ERR_CSV_HEADER, "1",
                                i < c.rows[0].count ? c.rows[0].fields[i] : "", column(&w, i));
    if (s == SP_OK && !c.count)
        s = sp_answers_fail(err, IDS_ANS_ERR_CSV_HEADER, "1", "", column(&w, 0));
    if (s != SP_OK)
        sp_answers_at(err, IDS_ANS_AT_ROW, NULL);
    if (s == SP_OK && c.count > 1 && !(plans = calloc(c.count - 1, sizeof *plans)))
        s = SP_ERR_NOMEM;
    for (size_t r = 1; s == SP_OK && r < c.count; r++, n++) {
        s = read_row(&w, &c.rows[r], r, &plans[n], err);
        if (s == SP_OK)
            plans[n].entry = find_entry(entries, plans, n, &plans[n]);
    }
    /* Checked: now the plans. The file is the whole plan, so what it does not list is unmarked. */
    if (s == SP_OK && !(entries = sp_lob_entries(st)))
        s = SP_ERR_NOMEM;
    for (e = s == SP_OK ? entries->child : NULL; e; e = e->next) {
        int listed = 0;
        for (size_t i = 0; i < n && !listed; i++)
            listed = plans[i].entry == e;
        if (!listed && sp_lob_marked(e))
            s = sp_lob_set_marked(e, 0);
        if (s != SP_OK)
            break;
    }
    for (size_t i = 0; s == SP_OK && i < n; i++) {
        cJSON *entry = plans[i].entry ? plans[i].entry : new_entry(entries, &plans[i]);
        s = entry ? apply_row(entry, &plans[i]) : SP_ERR_NOMEM;
    }
    if (s == SP_OK && rows)
        *rows = n;
    if (s == SP_OK && !sp_answers_lob_needs_inventory(st))
        s = sp_lob_reassess(st, now);
    for (unsigned i = 0; i < IDS_LOB_CSV_COL_COUNT; i++)
        free(w.words[i]);
    free(plans);
    sp_csv_free(&c);
    return s;
}
