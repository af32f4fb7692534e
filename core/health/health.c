/* Health scan step: runs the rules engine (engine.c, rules_*.c) and gates on errors and acknowledged warnings. */
#include "core/health/health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/health/rules.h"
#include "core/step_table.h"

#define HEALTH_ID "health"
#define ACK_KEY "acknowledged"

static const cJSON *ack_list(const sp_state *st)
{
    const sp_step_state *s = st ? sp_state_step_const(st, HEALTH_ID) : NULL;
    return s && s->data ? cJSON_GetObjectItemCaseSensitive(s->data, ACK_KEY) : NULL;
}

int sp_health_acknowledged(const sp_state *st, const char *code)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, ack_list(st)) if (cJSON_IsString(x) && strcmp(x->valuestring, code) == 0)
        return 1;
    return 0;
}

sp_result sp_health_verdict(const sp_findings *f, const sp_state *st)
{
    for (size_t i = 0; i < f->count; i++) {
        if (f->items[i].severity == SP_SEV_ERROR)
            return SP_RESULT_FAILED;
        if (f->items[i].severity == SP_SEV_WARNING && !sp_health_acknowledged(st, f->items[i].code))
            return SP_RESULT_FAILED;
    }
    return SP_RESULT_PASSED;
}

int sp_health_acknowledge(sp_state *st, const char *code, int on)
{
    sp_step_state *s = st ? sp_state_step(st, HEALTH_ID) : NULL;
    cJSON *list;
    int had;
    if (!s || !code || !*code)
        return 0;
    had = sp_health_acknowledged(st, code);
    if (had == (on != 0))
        return 0;
    if (!s->data && !(s->data = cJSON_CreateObject()))
        return 0;
    list = cJSON_GetObjectItemCaseSensitive(s->data, ACK_KEY);
    if (!cJSON_IsArray(list)) {
        cJSON_DeleteItemFromObjectCaseSensitive(s->data, ACK_KEY);
        if (!(list = cJSON_AddArrayToObject(s->data, ACK_KEY)))
            return 0;
    }
    if (on) {
        cJSON_AddItemToArray(list, cJSON_CreateString(code));
    } else {
        for (int i = cJSON_GetArraySize(list) - 1; i >= 0; i--) {
            cJSON *x = cJSON_GetArrayItem(list, i);
            if (cJSON_IsString(x) && strcmp(x->valuestring, code) == 0)
                cJSON_DeleteItemFromArray(list, i);
        }
    }
    /* A checked scan's verdict follows the acknowledgements; a scan that could not run stays so. */
    if (s->result == SP_RESULT_PASSED || s->result == SP_RESULT_FAILED)
        s->result = sp_health_verdict(&s->findings, st);
    return 1;
}

unsigned sp_health_category_of(const char *code)
{
    char rule_code[48];
    const sp_rule *rule;
    /* "health.scan.<id>": rule <id> could not run; it belongs where the rule does. */
    if (code && strncmp(code, "health.scan.", 12) == 0) {
        snprintf(rule_code, sizeof rule_code, "health.%s", code + 12);
        code = rule_code;
    }
    rule = sp_rule_for_code(code);
    return rule ? (unsigned)rule->category : (unsigned)SP_HC_EVENTS;
}

static sp_status health_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    sp_health_scan scan;
    sp_status st;
    if (sp_step_not_for_this_server(ctx, HEALTH_ID)) {
        *result = SP_RESULT_NOT_APPLICABLE;
        return SP_OK;
    }
    memset(&scan, 0, sizeof scan);
    scan.ctx = ctx;
    scan.out = out;
    scan.now = ctx->sys->ops->time_now(ctx->sys);
    scan.os = ctx->info && ctx->info->os.major >= 6 ? SP_HOS_2008 : SP_HOS_2003;
    scan.domain_level = scan.forest_level = -1;
    if (!ctx->info)
        return sp_sys_fail(ctx->sys, SP_ERR_INVALID, "The health scan needs the server's facts.");
    st = sp_rules_run(&scan);
    sp_rules_scan_close(&scan);
    if (st != SP_OK)
        return st;
    sp_findings_sort_worst_first(out);
    *result = sp_health_verdict(out, ctx->state);
    return SP_OK;
}

const sp_step sp_step_health = {HEALTH_ID, health_check, NULL};
