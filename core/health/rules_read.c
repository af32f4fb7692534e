/* What several health rules read, each once a scan: event logs counted, the DDCP's GptTmpl.inf. */
#include "core/health/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/sysvol.h"

static int reg_outcome(sp_health_scan *scan, const sp_rule *rule, sp_status st, const char *key,
                       const char *value, const char *type)
{
    sp_sys *sys = scan->ctx->sys;
    char why[256];
    if (st == SP_OK)
        return 1;
    if (st == SP_ERR_NOTFOUND)
        return 0;
    sp_strlcpy(why, sys->last_error, sizeof why);
    /* Say why in last_error too, for a caller without a rule (rules_sysvol.c). */
    if (st == SP_ERR_BADDATA)
        sp_sys_fail(sys, st, "%s\\%s is not a %s value", key, value, type);
    else
        sp_sys_fail(sys, st, "%s\\%s: %.200s", key, value, why);
    if (rule)
        sp_rule_not_run(scan, rule, "%s", sys->last_error);
    return -1;
}

int sp_rule_reg_dword(sp_health_scan *scan, const sp_rule *rule, const char *key,
                      const char *value, uint32_t *out)
{
    return reg_outcome(scan, rule,
                       sp_reg_get_dword(scan->ctx->sys, SP_REG_VIEW_DEFAULT, key, value, out), key,
                       value, "REG_DWORD");
}

int sp_rule_reg_string(sp_health_scan *scan, const sp_rule *rule, const char *key,
                       const char *value, char *out, size_t outlen)
{
    return reg_outcome(scan, rule,
                       sp_reg_get_string(scan->ctx->sys, SP_REG_VIEW_DEFAULT, key, value, out,
                                         outlen),
                       key, value, "string");
}

/* The longest window a rule looks back; the logs are kept from there. */
#define WINDOW_SECONDS (7 * 24 * 3600)

static int keep_event(void *user, const sp_event *ev)
{
    sp_logged_events *l = user;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        sp_logged_event *items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            l->status = SP_ERR_NOMEM;
            return 1;
        }
        l->items = items;
        l->cap = cap;
    }
    if (!(l->items[l->count].source = sp_strdup(ev->source ? ev->source : ""))) {
        l->status = SP_ERR_NOMEM;
        return 1;
    }
    l->items[l->count].id = ev->id;
    l->items[l->count].type = ev->type;
    l->items[l->count].time = ev->time;
    l->count++;
    return 0;
}

/* A log is read once a scan (an old server takes a while for each): its last 7 days. */
static const sp_logged_events *logged(sp_health_scan *scan, const char *log)
{
    sp_sys *sys = scan->ctx->sys;
    sp_logged_events *l, *grown;
    sp_status st;
    for (size_t i = 0; i < scan->log_count; i++)
        if (sp_stricmp(scan->logs[i].name, log) == 0)
            return &scan->logs[i];
    if (!(grown = realloc(scan->logs, (scan->log_count + 1) * sizeof *grown)))
        return NULL;
    scan->logs = grown;
    l = &scan->logs[scan->log_count++];
    memset(l, 0, sizeof *l);
    sp_strlcpy(l->name, log, sizeof l->name);
    if (!sys->ops->event_query) {
        l->status = SP_ERR_NOTFOUND;
        return l;
    }
    st = sys->ops->event_query(sys, log, scan->now - WINDOW_SECONDS, keep_event, l);
    if (l->status == SP_OK) /* keep_event sets SP_ERR_NOMEM when it could not keep one */
        l->status = st;
    if (l->status != SP_OK)
        sp_strlcpy(l->error, st == SP_OK ? "out of memory keeping its records" : sys->last_error,
                   sizeof l->error);
    return l;
}

int sp_rule_count_events(sp_health_scan *scan, const sp_rule *rule, const char *log, int64_t since,
                         sp_event_count *c)
{
    const sp_logged_events *l = logged(scan, log);
    c->count = 0;
    if (!l) {
        sp_rule_not_run(scan, rule, "%s event log: out of memory", log);
        return 0;
    }
    if (l->status == SP_ERR_NOTFOUND)
        return 0;
    if (l->status != SP_OK) {
        sp_rule_not_run(scan, rule, "%s event log: %s", log, l->error);
        return 0;
    }
    for (size_t i = 0; i < l->count && l->items[i].time >= since; i++) {
        const sp_logged_event *ev = &l->items[i];
        int id_ok = c->ids == NULL;
        for (const unsigned *id = c->ids; id && *id && !id_ok; id++)
            id_ok = *id == ev->id;
        if (!id_ok || (c->source && sp_stricmp(c->source, ev->source) != 0) ||
            (c->type && ev->type != c->type))
            continue;
        if (c->count++ == 0) {
            c->first_id = ev->id;
            c->newest = ev->time;
        }
    }
    return (int)c->count;
}

void sp_rule_reads_free(sp_health_scan *scan)
{
    for (size_t i = 0; i < scan->log_count; i++) {
        for (size_t k = 0; k < scan->logs[i].count; k++)
            free(scan->logs[i].items[k].source);
        free(scan->logs[i].items);
    }
    free(scan->logs);
    scan->logs = NULL;
    scan->log_count = 0;
    free(scan->ddcp_inf);
    scan->ddcp_inf = NULL;
}

/* The template the policy step edits: SYSVOL\<domain>\Policies\{6AC1786C-...}\MACHINE\
 * Microsoft\Windows NT\SecEdit\GptTmpl.inf, found the same way (core/sysvol.c). */
int sp_rule_ddcp_inf(sp_health_scan *scan, const unsigned char **data, size_t *size,
                     const char **path)
{
    sp_sys *sys = scan->ctx->sys;
    sp_sysvol at;
    sp_status st;
    if (!scan->ddcp_tried) {
        scan->ddcp_tried = 1;
        if (sp_sysvol_locate(sys, scan->ctx->info, &at) != SP_OK) {
            snprintf(scan->ddcp_error, sizeof scan->ddcp_error, "no SYSVOL folder at %.500s", at.sysvol);
        } else if (!at.has_gpo) {
            snprintf(scan->ddcp_error, sizeof scan->ddcp_error,
                     "no Default Domain Controllers Policy folder (%s) under %.500s", SP_DDCP_GUID,
                     at.sysvol);
        } else {
            sp_strlcpy(scan->ddcp_path, at.inf_path, sizeof scan->ddcp_path);
            st = sys->ops->file_read(sys, at.inf_path, &scan->ddcp_inf, &scan->ddcp_inf_size);
            if (st != SP_OK) {
                scan->ddcp_inf = NULL;
                snprintf(scan->ddcp_error, sizeof scan->ddcp_error, "%.300s: %.250s", at.inf_path,
                         st == SP_ERR_NOTFOUND ? "not found" : sys->last_error);
            }
        }
    }
    if (!scan->ddcp_inf)
        return 0;
    *data = scan->ddcp_inf;
    *size = scan->ddcp_inf_size;
    if (path)
        *path = scan->ddcp_path;
    return 1;
}

/* "DC=fabrikam,DC=local" -> "fabrikam.local"; 0 when dn has no DC= part. */
int sp_rule_dn_to_dns(const char *dn, char *out, size_t outlen)
{
    size_t n = 0;
    if (outlen)
        out[0] = '\0';
    while (dn && *dn) {
        size_t len = strcspn(dn, ",");
        if (sp_strnicmp(dn, "DC=", 3) == 0 && len > 3) {
            int w = snprintf(out + n, outlen - n, "%s%.*s", n ? "." : "", (int)(len - 3), dn + 3);
            if (w < 0 || (size_t)w >= outlen - n)
                return 0;
            n += (size_t)w;
        }
        dn += len;
        if (*dn == ',')
            dn++;
    }
    return n > 0;
}
