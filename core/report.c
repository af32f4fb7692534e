/* The report: the state, the server and the journal as one JSON document. */
#include "core/report.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/msgids.h"
#include "core/version.h"

static void add_text(cJSON *o, const char *name, sp_text_fn text, void *user, unsigned id,
                     const char *arg)
{
    char *s;
    if (!text || !id)
        return;
    s = sp_text_of(text, user, id, arg);
    if (s)
        cJSON_AddStringToObject(o, name, s);
    free(s);
}

static cJSON *server_json(const sp_sysinfo *info)
{
    char line[400];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    sp_sysinfo_describe(info, line, sizeof line);
    cJSON_AddStringToObject(o, "summary", line);
    cJSON_AddStringToObject(o, "product", sp_product_id(info->product));
    cJSON_AddStringToObject(o, "product_name", info->product_name);
    cJSON_AddStringToObject(o, "computer", info->os.computer);
    cJSON_AddStringToObject(o, "domain", info->os.domain);
    cJSON_AddBoolToObject(o, "domain_controller", info->is_dc);
    cJSON_AddNumberToObject(o, "bits", info->bits);
    cJSON_AddNumberToObject(o, "major", info->os.major);
    cJSON_AddNumberToObject(o, "minor", info->os.minor);
    cJSON_AddNumberToObject(o, "build", info->os.build);
    cJSON_AddNumberToObject(o, "service_pack", info->os.sp_major);
    cJSON_AddStringToObject(o, "exchange", info->exchange_name);
    cJSON_AddNumberToObject(o, "exchange_service_pack", info->exchange_sp);
    return o;
}

int sp_report_backup_fresh(const sp_state *st, const sp_journal *journal)
{
    const sp_step_state *b = sp_state_step_const(st, "backup");
    const cJSON *when = b && b->data ? cJSON_GetObjectItemCaseSensitive(b->data, "last_full_backup") : NULL;
    if (!cJSON_IsNumber(when) || when->valuedouble <= 0)
        return 0;
    return !journal || (int64_t)when->valuedouble >= sp_journal_last_change(journal);
}

unsigned sp_report_open_steps(const sp_state *st, int64_t now)
{
    unsigned n = 0;
    for (size_t i = 0; i < st->count; i++)
        if (!sp_state_gate_open(st, st->steps[i].id, now))
            n++;
    return n;
}

/* The fresh backup the document asks for last: recorded by the backup step, or stated by hand
 * (a manual mark newer than the last change, then the verdict says "done by hand"); nothing to
 * ask where the backup step does not apply. */
static int backup_after_changes(const sp_state *st, const sp_journal *journal)
{
    const sp_step_state *b = sp_state_step_const(st, "backup");
    if (sp_report_backup_fresh(st, journal) || !b)
        return 1;
    if (b->manual)
        return !journal || b->manual_at >= sp_journal_last_change(journal);
    return b->result == SP_RESULT_NOT_APPLICABLE;
}

sp_verdict sp_report_verdict(const sp_state *st, const sp_journal *journal, int64_t now)
{
    int manual = 0;
    if (sp_report_open_steps(st, now) || !backup_after_changes(st, journal))
        return SP_VERDICT_NOT_READY;
    for (size_t i = 0; i < st->count; i++)
        manual |= st->steps[i].manual;
    return manual ? SP_VERDICT_READY_MANUAL : SP_VERDICT_READY;
}

const char *sp_verdict_name(sp_verdict v)
{
    return v == SP_VERDICT_READY ? "ready" : v == SP_VERDICT_READY_MANUAL ? "ready_manual" : "not_ready";
}

char *sp_report_verdict_text(const sp_state *st, const sp_journal *journal, int64_t now,
                             sp_text_fn text, void *user)
{
    sp_verdict v = sp_report_verdict(st, journal, now);
    unsigned open = sp_report_open_steps(st, now);
    char arg[512] = "";
    size_t used = 0;

    if (!text)
        return NULL;
    if (v == SP_VERDICT_READY)
        return text(user, IDS_R_READY, NULL);
    if (v == SP_VERDICT_NOT_READY) {
        if (!open)
            return text(user, IDS_R_NOT_READY_BACKUP, NULL);
        snprintf(arg, sizeof arg, "%u", open);
        return text(user, IDS_R_NOT_READY, arg);
    }
    /* Which steps were done by hand, by their names, in the wizard's order. */
    for (size_t i = 0; i < st->count; i++) {
        char *name;
        if (!st->steps[i].manual || !(name = text(user, IDS_STEP_NAME((unsigned)i), NULL)))
            continue;
        if (used + strlen(name) + 3 < sizeof arg) {
            used += (size_t)snprintf(arg + used, sizeof arg - used, "%s%s", used ? ", " : "", name);
        }
        free(name);
    }
    return text(user, IDS_R_READY_MANUAL, arg);
}

static void add_verdict_text(cJSON *doc, const sp_state *st, const sp_journal *journal, int64_t now,
                             sp_text_fn text, void *user)
{
    char *line = sp_report_verdict_text(st, journal, now, text, user);
    if (line)
        cJSON_AddStringToObject(doc, "verdict_text", line);
    free(line);
}

char *sp_report_json(const sp_state *st, const sp_sysinfo *info, const sp_journal *journal,
                     sp_text_fn text, void *user, int64_t now)
{
    char *out = NULL;
    cJSON *doc = cJSON_CreateObject(), *steps, *changes;
    unsigned applies = info ? sp_sysinfo_applicable(info) : ~0u;

    if (!doc)
        return NULL;
    cJSON_AddStringToObject(doc, "schema", SP_REPORT_SCHEMA);
    cJSON_AddStringToObject(doc, "wizard_version", SP_VERSION);
    cJSON_AddNumberToObject(doc, "generated", (double)now);
    if (info)
        cJSON_AddItemToObject(doc, "server", server_json(info));
    {
        sp_verdict v = sp_report_verdict(st, journal, now);
        /* "ready" keeps its version-1 meaning (every gate open); "verdict" is the headline. */
        cJSON_AddBoolToObject(doc, "ready", sp_report_open_steps(st, now) == 0);
        cJSON_AddStringToObject(doc, "verdict", sp_verdict_name(v));
        add_verdict_text(doc, st, journal, now, text, user);
    }
    cJSON_AddBoolToObject(doc, "backup_fresh", sp_report_backup_fresh(st, journal));
    steps = cJSON_AddArrayToObject(doc, "steps");
    for (size_t i = 0; steps && i < st->count; i++) {
        const sp_step_state *s = &st->steps[i];
        cJSON *o = cJSON_CreateObject(), *fa;
        if (!o)
            break;
        cJSON_AddItemToArray(steps, o);
        cJSON_AddStringToObject(o, "id", s->id);
        add_text(o, "name", text, user, IDS_STEP_NAME((unsigned)i), NULL);
        cJSON_AddBoolToObject(o, "applies", (applies >> i) & 1);
        cJSON_AddStringToObject(o, "result", sp_result_name(s->result));
        cJSON_AddBoolToObject(o, "gate_open", sp_state_gate_open(st, s->id, now));
        cJSON_AddBoolToObject(o, "stale", sp_state_is_stale(s, now));
        cJSON_AddNumberToObject(o, "checked_at", (double)s->checked_at);
        cJSON_AddBoolToObject(o, "manual", s->manual);
        if (s->manual) {
            cJSON_AddNumberToObject(o, "manual_at", (double)s->manual_at);
            cJSON_AddStringToObject(o, "manual_reason", s->manual_reason ? s->manual_reason : "");
        }
        fa = cJSON_AddArrayToObject(o, "findings");
        for (size_t k = 0; fa && k < s->findings.count; k++) {
            const sp_finding *f = &s->findings.items[k];
            cJSON *fo = cJSON_CreateObject();
            if (!fo)
                break;
            cJSON_AddItemToArray(fa, fo);
            cJSON_AddStringToObject(fo, "severity", sp_severity_name(f->severity));
            cJSON_AddStringToObject(fo, "code", f->code);
            add_text(fo, "title", text, user, f->title_id, f->arg);
            add_text(fo, "recommendation", text, user, f->advice_id, f->arg);
            if (f->evidence)
                cJSON_AddStringToObject(fo, "evidence", f->evidence);
        }
        /* The step's own record, once: what the user chose on its page (the email target and
         * its reason, the LOB plans) and what it measured (the drill's evidence). */
        cJSON_AddItemToObject(o, "data", s->data ? cJSON_Duplicate(s->data, 1) : cJSON_CreateObject());
    }
    changes = cJSON_AddArrayToObject(doc, "changes");
    for (size_t i = 0; journal && changes && i < sp_journal_count(journal); i++) {
        sp_change c;
        cJSON *o;
        if (sp_journal_get(journal, i, &c) != SP_OK || !(o = cJSON_CreateObject()))
            continue;
        cJSON_AddItemToArray(changes, o);
        cJSON_AddNumberToObject(o, "seq", c.seq);
        cJSON_AddStringToObject(o, "step", c.step);
        cJSON_AddStringToObject(o, "kind", sp_change_kind_name(c.kind));
        cJSON_AddStringToObject(o, "target", c.target);
        cJSON_AddNumberToObject(o, "time", (double)c.time);
        cJSON_AddBoolToObject(o, "undone", c.undone);
    }
    out = cJSON_Print(doc);
    cJSON_Delete(doc);
    return out;
}
