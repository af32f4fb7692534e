/* Findings and their order, result names and texts, and the common way a step is run and recorded. */
#include "core/step.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msgids.h"
#include "core/state.h"

static char *dup_or_null(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

char *sp_arg_ref(char *out, size_t outlen, unsigned id, const char *sub)
{
    snprintf(out, outlen, "%c%u%c%s", SP_ARG_REF, id, sub ? SP_ARG_SEP : '\0', sub ? sub : "");
    return out;
}

char *sp_arg_text(sp_text_fn text, void *user, const char *arg)
{
    char *end;
    unsigned long id;
    if (!arg || arg[0] != SP_ARG_REF || !text)
        return dup_or_null(arg);
    id = strtoul(arg + 1, &end, 10);
    return sp_text_of(text, user, (unsigned)id, *end == SP_ARG_SEP ? end + 1 : NULL);
}

char *sp_text_of(sp_text_fn text, void *user, unsigned id, const char *arg)
{
    char *a = sp_arg_text(text, user, arg), *s;
    if (arg && !a)
        return NULL;
    s = text(user, id, a);
    free(a);
    return s;
}

sp_status sp_findings_add(sp_findings *f, sp_severity sev, const char *code, unsigned title_id,
                          unsigned advice_id, const char *arg, const char *evidence)
{
    if (f->count == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        sp_finding *items = realloc(f->items, cap * sizeof *items);
        if (!items)
            return SP_ERR_NOMEM;
        f->items = items;
        f->cap = cap;
    }
    sp_finding *x = &f->items[f->count];
    memset(x, 0, sizeof *x);
    x->severity = sev;
    strncpy(x->code, code ? code : "", sizeof x->code - 1);
    x->title_id = title_id;
    x->advice_id = advice_id;
    x->arg = dup_or_null(arg);
    x->evidence = dup_or_null(evidence);
    if ((arg && !x->arg) || (evidence && !x->evidence)) {
        free(x->arg);
        free(x->evidence);
        return SP_ERR_NOMEM;
    }
    f->count++;
    return SP_OK;
}

void sp_findings_free(sp_findings *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->count; i++) {
        free(f->items[i].arg);
        free(f->items[i].evidence);
    }
    free(f->items);
    memset(f, 0, sizeof *f);
}

sp_severity sp_findings_worst(const sp_findings *f)
{
    sp_severity worst = SP_SEV_INFO;
    for (size_t i = 0; i < f->count; i++)
        if (f->items[i].severity > worst)
            worst = f->items[i].severity;
    return worst;
}

void sp_findings_sort_worst_first(sp_findings *f)
{
    /* A stable insertion sort: a few dozen findings at most. */
    for (size_t i = 1; i < f->count; i++) {
        sp_finding x = f->items[i];
        size_t j = i;
        while (j > 0 && f->items[j - 1].severity < x.severity) {
            f->items[j] = f->items[j - 1];
            j--;
        }
        f->items[j] = x;
    }
}

const char *sp_severity_name(sp_severity s)
{
    switch (s) {
    case SP_SEV_INFO: return "information";
    case SP_SEV_WARNING: return "warning";
    case SP_SEV_ERROR: return "error";
    }
    return "information";
}

static const char *const result_names[] = {
    [SP_RESULT_NOT_RUN] = "not_run",
    [SP_RESULT_PASSED] = "passed",
    [SP_RESULT_FAILED] = "failed",
    [SP_RESULT_NOT_APPLICABLE] = "not_applicable",
    [SP_RESULT_MANUAL_NEEDED] = "manual_needed",
    [SP_RESULT_ERROR] = "error",
};

const char *sp_result_name(sp_result r)
{
    if ((size_t)r < sizeof result_names / sizeof result_names[0])
        return result_names[r];
    return "not_run";
}

int sp_result_from_name(const char *name, sp_result *out)
{
    for (size_t i = 0; i < sizeof result_names / sizeof result_names[0]; i++) {
        if (strcmp(result_names[i], name) == 0) {
            *out = (sp_result)i;
            return 1;
        }
    }
    return 0;
}

unsigned sp_result_text_id(sp_result r, int manual)
{
    if (manual)
        return IDS_RESULT_MANUAL_DONE;
    switch (r) {
    case SP_RESULT_PASSED: return IDS_RESULT_PASSED;
    case SP_RESULT_FAILED: return IDS_RESULT_FAILED;
    case SP_RESULT_NOT_APPLICABLE: return IDS_RESULT_NA;
    case SP_RESULT_MANUAL_NEEDED: return IDS_RESULT_MANUAL_NEEDED;
    case SP_RESULT_ERROR: return IDS_RESULT_ERROR;
    case SP_RESULT_NOT_RUN: break;
    }
    return IDS_RESULT_NOT_RUN;
}

const sp_step *sp_step_find(const char *id)
{
    for (size_t i = 0; i < sp_step_count; i++)
        if (strcmp(sp_steps[i]->id, id) == 0)
            return sp_steps[i];
    return NULL;
}

void sp_progress(sp_run_ctx *ctx, unsigned permille, const char *what)
{
    if (ctx->progress)
        ctx->progress(ctx->progress_user, permille > 1000 ? 1000 : permille, what);
}

int sp_cancelled(const sp_run_ctx *ctx)
{
    return ctx->cancel && *ctx->cancel != 0;
}

sp_status sp_step_execute(const sp_step *step, sp_run_ctx *ctx, int apply, sp_findings *out,
                          sp_result *result)
{
    sp_result r = SP_RESULT_ERROR;
    sp_status st;

    *result = SP_RESULT_NOT_RUN;
    if (apply && !step->apply)
        return SP_ERR_UNSUPPORTED;
    sp_progress(ctx, 0, step->id);
    st = apply ? step->apply(ctx, out, &r) : step->check(ctx, out, &r);
    if (st == SP_ERR_CANCELLED)
        return st; /* a cancelled run says nothing about the server */
    if (st != SP_OK) {
        /* Say why, so the page and the report can tell the user what to fix. */
        char code[48];
        snprintf(code, sizeof code, "%s.could_not_run", step->id);
        r = SP_RESULT_ERROR;
        sp_findings_add(out, SP_SEV_ERROR, code, IDS_F_COULD_NOT_RUN, IDS_F_COULD_NOT_RUN_ADVICE,
                        sp_status_name(st), ctx->sys->last_error[0] ? ctx->sys->last_error : NULL);
    }
    sp_progress(ctx, 1000, step->id);
    *result = r;
    return st;
}

sp_status sp_step_run(const sp_step *step, sp_run_ctx *ctx, int apply, sp_findings *out,
                      sp_result *result)
{
    sp_findings mine = {0};
    sp_status st = sp_step_execute(step, ctx, apply, &mine, result);
    if (out) {
        /* The caller gets a copy; the state keeps the original. */
        for (size_t i = 0; i < mine.count; i++) {
            const sp_finding *x = &mine.items[i];
            sp_findings_add(out, x->severity, x->code, x->title_id, x->advice_id, x->arg,
                            x->evidence);
        }
    }
    if (ctx->state && st != SP_ERR_CANCELLED && st != SP_ERR_UNSUPPORTED)
        sp_state_record(ctx->state, step->id, *result, &mine, ctx->sys->ops->time_now(ctx->sys));
    sp_findings_free(&mine);
    return st;
}
