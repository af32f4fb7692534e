/* Policy cleanup step: "Log on as a service" out of the Default Domain Controllers Policy, the SBS
 * logon script out of SYSVOL; GptTmpl.inf, GPT.INI and versionNumber changed together, undoably. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy/gptinf.h"
#include "core/journal.h"
#include "core/msgids.h"
#include "core/policy/policy.h"
#include "core/policy/policy_ad.h"
#include "core/state.h"
#include "core/sysvol.h"
#include "core/step_table.h"
#include "core/base/strutil.h"

#define RIGHT "SeServiceLogonRight"

/* What SYSVOL and AD hold now. */
typedef struct {
    sp_sysvol at; /* the folders and files of SYSVOL and the policy */
    char script_path[1000];
    int has_inf, has_script;
    unsigned char *inf;
    size_t inf_size;
    sp_inf_match match;
    char accounts[1024]; /* the right's accounts, SIDs resolved, for the findings */
    int ad_ok;
    char ad_error[256];
    sp_policy_ad ad;
} policy_scan;

static void scan_free(policy_scan *s)
{
    free(s->inf);
    sp_inf_match_free(&s->match);
    sp_policy_ad_free(&s->ad);
}

static void append(char *buf, size_t len, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 < len)
        snprintf(buf + n, len - n, "%s%s", n ? ", " : "", s);
}

/* "*S-1-5-20" becomes "NT AUTHORITY\NETWORK SERVICE" where the SID is known. */
static void describe_accounts(sp_sys *sys, policy_scan *s)
{
    s->accounts[0] = '\0';
    for (size_t i = 0; i < s->match.account_count; i++) {
        const char *a = s->match.accounts[i];
        char name[300];
        if (a[0] == '*' && sys->ops->sid_lookup &&
            sys->ops->sid_lookup(sys, a + 1, name, sizeof name) == SP_OK)
            append(s->accounts, sizeof s->accounts, name);
        else
            append(s->accounts, sizeof s->accounts, a);
    }
}

static sp_status add_error(sp_findings *out, sp_result *result, const char *code, unsigned title,
                           unsigned advice, const char *arg, const char *why)
{
    *result = SP_RESULT_ERROR;
    return sp_findings_add(out, SP_SEV_ERROR, code, title, advice, arg, why);
}

/* Reads everything; findings only for what stops the assessment (result ERROR). */
static sp_status scan(sp_run_ctx *ctx, policy_scan *s, sp_findings *out, sp_result *result)
{
    sp_sys *sys = ctx->sys;
    sp_filestat fs;
    sp_status st;

    memset(s, 0, sizeof *s);
    *result = SP_RESULT_NOT_RUN;
    sp_progress(ctx, 100, "SYSVOL");
    if (sp_sysvol_locate(sys, ctx->info, &s->at) != SP_OK)
        return add_error(out, result, "policy.no_sysvol", IDS_F_POLICY_NO_SYSVOL,
                         IDS_F_POLICY_NO_SYSVOL_ADVICE, s->at.sysvol, sys->last_error);
    if (sys->ops->file_stat(sys, s->at.scripts, &fs) == SP_OK) {
        snprintf(s->script_path, sizeof s->script_path, "%s\\%s", s->at.scripts, SP_SBS_SCRIPT);
        s->has_script = sys->ops->file_stat(sys, s->script_path, &fs) == SP_OK && fs.exists && !fs.is_dir;
    }
    if (s->at.has_gpo) {
        sp_progress(ctx, 300, "GptTmpl.inf");
        st = sys->ops->file_read(sys, s->at.inf_path, &s->inf, &s->inf_size);
        if (st == SP_OK) {
            s->has_inf = 1;
            st = sp_inf_find(s->inf, s->inf_size, "Privilege Rights", RIGHT, &s->match);
            if (st == SP_ERR_NOMEM)
                return st;
            if (st != SP_OK || !s->match.is_template)
                return add_error(out, result, "policy.not_template", IDS_F_POLICY_NOT_TEMPLATE,
                                 IDS_F_POLICY_NOT_TEMPLATE_ADVICE, s->at.inf_path, NULL);
            describe_accounts(sys, s);
        } else if (st != SP_ERR_NOTFOUND) {
            return add_error(out, result, "policy.read_failed", IDS_F_POLICY_READ_FAILED,
                             IDS_F_POLICY_READ_FAILED_ADVICE, s->at.inf_path, sys->last_error);
        }
    }
    if (sp_cancelled(ctx))
        return SP_ERR_CANCELLED;
    sp_progress(ctx, 500, "Active Directory");
    sys->last_error[0] = '\0';
    st = sp_policy_ad_read(sys, ctx->ldap, &s->ad);
    s->ad_ok = st == SP_OK;
    if (!s->ad_ok)
        sp_strlcpy(s->ad_error, sys->last_error[0] ? sys->last_error : sp_status_name(st), sizeof s->ad_error);
    sp_progress(ctx, 900, "");
    return SP_OK;
}

static int right_defined(const policy_scan *s)
{
    return s->match.line_found > 0;
}

/* The findings and result of what scan saw. */
static sp_status assess(sp_run_ctx *ctx, const policy_scan *s, sp_findings *out, sp_result *result)
{
    sp_status st = SP_OK;
    char names[1024] = "", evidence[1200], count[16];
    if (!s->at.has_gpo)
        return add_error(out, result, "policy.no_gpo", IDS_F_POLICY_NO_GPO, IDS_F_POLICY_NO_GPO_ADVICE,
                         NULL, s->at.gpo_dir[0] ? s->at.gpo_dir : s->at.sysvol);
    if (right_defined(s)) {
        snprintf(evidence, sizeof evidence, "%s: %u line(s) %s in [Privilege Rights]", s->at.inf_path,
                 (unsigned)s->match.line_found, RIGHT);
        st = sp_findings_add(out, SP_SEV_ERROR, "policy.right_defined", IDS_F_POLICY_RIGHT_DEFINED,
                             IDS_F_POLICY_RIGHT_DEFINED_ADVICE,
                             s->accounts[0] ? s->accounts : "-", evidence);
    } else {
        st = sp_findings_add(out, SP_SEV_INFO, "policy.right_absent", IDS_F_POLICY_RIGHT_ABSENT, 0,
                             NULL, s->has_inf ? s->at.inf_path : s->at.gpo_dir);
    }
    if (st == SP_OK && s->has_script)
        st = sp_findings_add(out, SP_SEV_ERROR, "policy.script_present", IDS_F_POLICY_SCRIPT_PRESENT,
                             IDS_F_POLICY_SCRIPT_PRESENT_ADVICE, SP_SBS_SCRIPT, s->script_path);
    else if (st == SP_OK)
        st = sp_findings_add(out, SP_SEV_INFO, "policy.script_absent", IDS_F_POLICY_SCRIPT_ABSENT, 0,
                             NULL, s->at.scripts);
    if (st == SP_OK && s->ad_ok && s->ad.user_count) {
        for (size_t i = 0; i < s->ad.user_count; i++)
            append(names, sizeof names, s->ad.users[i].name);
        snprintf(count, sizeof count, "%u", (unsigned)s->ad.user_count);
        st = sp_findings_add(out, SP_SEV_WARNING, "policy.script_users", IDS_F_POLICY_SCRIPT_USERS,
                             IDS_F_POLICY_SCRIPT_USERS_ADVICE, count, names);
    } else if (st == SP_OK && s->ad_ok) {
        st = sp_findings_add(out, SP_SEV_INFO, "policy.no_script_users", IDS_F_POLICY_NO_USERS, 0,
                             NULL, s->ad.domain_dn);
    } else if (st == SP_OK) {
        /* Removing the right needs AD (versionNumber); without the right it is only the users. */
        st = sp_findings_add(out, right_defined(s) ? SP_SEV_ERROR : SP_SEV_WARNING,
                             "policy.ad_unreachable", IDS_F_POLICY_AD_UNREACHABLE,
                             IDS_F_POLICY_AD_UNREACHABLE_ADVICE,
                             ctx->ldap && ctx->ldap->host && ctx->ldap->host[0] ? ctx->ldap->host : "localhost",
                             s->ad_error);
    }
    *result = right_defined(s) || s->has_script ? SP_RESULT_FAILED : SP_RESULT_PASSED;
    return st;
}

static sp_status policy_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    policy_scan s;
    sp_status st = scan(ctx, &s, out, result);
    int not_2003 = sp_step_not_for_this_server(ctx, "policy");
    if (st == SP_OK && *result == SP_RESULT_NOT_RUN) {
        if (not_2003 && (!s.at.has_gpo || (!right_defined(&s) && !s.has_script))) {
            /* Later sources: nothing to do unless the right or the script is there after all. */
            sp_findings_free(out);
            *result = SP_RESULT_NOT_APPLICABLE;
            st = sp_findings_add(out, SP_SEV_INFO, "policy.not_2003", IDS_F_POLICY_NOT_2003, 0,
                                 ctx->info->product_name, s.at.sysvol);
        } else {
            st = assess(ctx, &s, out, result);
        }
    } else if (st == SP_OK && not_2003 && *result == SP_RESULT_ERROR) {
        sp_findings_free(out);
        *result = SP_RESULT_NOT_APPLICABLE;
        st = sp_findings_add(out, SP_SEV_INFO, "policy.not_2003", IDS_F_POLICY_NOT_2003, 0,
                             ctx->info->product_name, s.at.sysvol);
    }
    scan_free(&s);
    return st;
}

/* Just before writing: GptTmpl.inf and versionNumber must still be what the scan read, or
 * an edit made meanwhile (GPMC, another administrator) would be overwritten (issue 18).
 * SP_ERR_BADDATA with why filled when either changed or cannot be read again. */
static sp_status still_as_scanned(sp_run_ctx *ctx, policy_scan *s, char *why, size_t whylen)
{
    sp_sys *sys = ctx->sys;
    unsigned char *inf = NULL;
    size_t inf_size = 0;
    sp_policy_ad now;
    sp_status st = sys->ops->file_read(sys, s->at.inf_path, &inf, &inf_size);
    if (st == SP_ERR_NOMEM)
        return st;
    if (st != SP_OK || inf_size != s->inf_size || memcmp(inf, s->inf, inf_size) != 0) {
        snprintf(why, whylen, "%s %s", s->at.inf_path,
                 st == SP_OK ? "changed since it was checked" : sys->last_error);
        free(inf);
        return SP_ERR_BADDATA;
    }
    free(inf);
    memset(&now, 0, sizeof now);
    st = sp_policy_ad_read(sys, ctx->ldap, &now);
    if (st == SP_ERR_NOMEM) {
        sp_policy_ad_free(&now);
        return st;
    }
    if (st != SP_OK || now.has_version != s->ad.has_version || strcmp(now.version_text, s->ad.version_text) != 0) {
        snprintf(why, whylen, "%s versionNumber %s", s->ad.gpo_dn,
                 st != SP_OK ? sys->last_error : now.has_version ? now.version_text : "(removed)");
        if (st == SP_OK)
            snprintf(why + strlen(why), whylen - strlen(why), " (it was %s when checked)", s->ad.version_text);
        st = SP_ERR_BADDATA;
    }
    sp_policy_ad_free(&now);
    return st;
}

/* GptTmpl.inf without the right, GPT.INI and versionNumber raised: all three or none. */
static sp_status remove_right(sp_run_ctx *ctx, policy_scan *s, sp_findings *out, int *failed)
{
    sp_sys *sys = ctx->sys;
    unsigned char *ini = NULL, *new_inf = NULL, *new_ini = NULL;
    size_t ini_size = 0, new_inf_size = 0, new_ini_size = 0, keep, undone;
    uint32_t gpt_version = 0, version, raised;
    char text[64], why[2600];
    sp_status st;

    *failed = 1;
    if (!s->ad_ok)
        return sp_findings_add(out, SP_SEV_ERROR, "policy.ad_needed", IDS_F_POLICY_AD_NEEDED,
                               IDS_F_POLICY_AD_UNREACHABLE_ADVICE, NULL, s->ad_error);
    if ((st = sys->ops->file_read(sys, s->at.ini_path, &ini, &ini_size)) != SP_OK) {
        st = sp_findings_add(out, SP_SEV_ERROR, "policy.read_failed", IDS_F_POLICY_READ_FAILED,
                             IDS_F_POLICY_READ_FAILED_ADVICE, s->at.ini_path, sys->last_error);
        goto done;
    }
    st = sp_gptini_version(ini, ini_size, &gpt_version);
    if (st == SP_ERR_NOMEM)
        goto done;
    if (st != SP_OK || !s->ad.has_version || s->ad.version_bad) {
        snprintf(why, sizeof why, "%s: %s; %s versionNumber: %s", s->at.ini_path,
                 st == SP_OK ? "Version is a number" : "Version= is missing or not a number",
                 s->ad.gpo_dn, s->ad.has_version ? s->ad.version_text : "(none)");
        st = sp_findings_add(out, SP_SEV_ERROR, "policy.bad_version", IDS_F_POLICY_BAD_VERSION,
                             IDS_F_POLICY_BAD_VERSION_ADVICE, NULL, why);
        goto done;
    }
    /* Both should agree; when they do not, the higher one is what clients have seen. */
    version = gpt_version > s->ad.version ? gpt_version : s->ad.version;
    if (sp_gpo_version_raise_computer(version, &raised) != SP_OK) {
        snprintf(why, sizeof why, "%s: %lu (computer part at its maximum)", s->at.ini_path, (unsigned long)version);
        st = sp_findings_add(out, SP_SEV_ERROR, "policy.bad_version", IDS_F_POLICY_BAD_VERSION,
                             IDS_F_POLICY_BAD_VERSION_ADVICE, NULL, why);
        goto done;
    }
    if ((st = sp_inf_remove(s->inf, s->inf_size, s->match.lines, s->match.line_found, &new_inf,
                            &new_inf_size)) != SP_OK ||
        (st = sp_gptini_set_version(ini, ini_size, raised, &new_ini, &new_ini_size)) != SP_OK)
        goto done;
    if (sp_cancelled(ctx)) {
        st = SP_ERR_CANCELLED;
        goto done;
    }
    snprintf(text, sizeof text, "%lu", (unsigned long)raised);
    keep = sp_journal_count(ctx->journal);
    sp_progress(ctx, 400, "GptTmpl.inf");
    if ((st = still_as_scanned(ctx, s, why, sizeof why)) != SP_OK) {
        if (st == SP_ERR_NOMEM)
            goto done;
        st = sp_findings_add(out, SP_SEV_ERROR, "policy.changed_meanwhile", IDS_F_POLICY_CHANGED_MEANWHILE,
                             IDS_F_POLICY_CHANGED_MEANWHILE_ADVICE, s->at.gpo_dir, why);
        goto done;
    }
    sys->last_error[0] = '\0';
    st = sp_journal_file_write(ctx->journal, "policy", s->at.inf_path, new_inf, new_inf_size);
    if (st == SP_OK) {
        sp_progress(ctx, 500, "GPT.INI");
        st = sp_journal_gptini_write(ctx->journal, "policy", s->at.ini_path, new_ini, new_ini_size);
    }
    if (st != SP_OK) {
        snprintf(why, sizeof why, "%s", sys->last_error[0] ? sys->last_error : sp_status_name(st));
        sp_journal_undo_since(ctx->journal, "policy", keep, &undone);
        st = sp_findings_add(out, SP_SEV_ERROR, "policy.change_failed", IDS_F_POLICY_CHANGE_FAILED,
                             IDS_F_POLICY_CHANGE_FAILED_ADVICE, s->at.gpo_dir, why);
        goto done;
    }
    sp_progress(ctx, 600, "versionNumber");
    st = sp_journal_gpo_version_replace(ctx->journal, "policy", s->ad.gpo_dn, text);
    if (st != SP_OK) {
        snprintf(why, sizeof why, "%s", sys->last_error[0] ? sys->last_error : sp_status_name(st));
        sp_status ust = sp_journal_undo_since(ctx->journal, "policy", keep, &undone);
        if (ust != SP_OK)
            snprintf(why + strlen(why), sizeof why - strlen(why), " Rolling back also failed: %s",
                     sys->last_error);
        st = sp_findings_add(out, SP_SEV_ERROR, "policy.rolled_back", IDS_F_POLICY_ROLLED_BACK,
                             IDS_F_POLICY_ROLLED_BACK_ADVICE, NULL, why);
        goto done;
    }
    *failed = 0;
    snprintf(why, sizeof why, "GPT.INI %lu -> %lu; versionNumber %s -> %lu", (unsigned long)gpt_version,
             (unsigned long)raised, s->ad.version_text, (unsigned long)raised);
    st = sp_findings_add(out, SP_SEV_INFO, "policy.right_removed", IDS_F_POLICY_RIGHT_REMOVED, 0, NULL,
                         s->at.inf_path);
    if (st == SP_OK)
        st = sp_findings_add(out, SP_SEV_INFO, "policy.version_raised", IDS_F_POLICY_VERSION_RAISED, 0,
                             text, why);
done:
    free(ini);
    free(new_inf);
    free(new_ini);
    return st;
}

int sp_policy_clear_script_paths(const sp_state *st)
{
    const sp_step_state *ss = st ? sp_state_step_const(st, "policy") : NULL;
    const cJSON *v = ss && ss->data ? cJSON_GetObjectItemCaseSensitive(ss->data, "clear_script_paths") : NULL;
    return !cJSON_IsFalse(v); /* the script is gone: by default nobody should still run it */
}

sp_status sp_policy_set_clear_script_paths(sp_state *st, int clear)
{
    sp_step_state *ss = st ? sp_state_step(st, "policy") : NULL;
    if (!ss)
        return SP_ERR_NOTFOUND;
    if (!ss->data && !(ss->data = cJSON_CreateObject()))
        return SP_ERR_NOMEM;
    cJSON_DeleteItemFromObjectCaseSensitive(ss->data, "clear_script_paths");
    return cJSON_AddBoolToObject(ss->data, "clear_script_paths", clear) ? SP_OK : SP_ERR_NOMEM;
}

static sp_status policy_apply(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    sp_sys *sys = ctx->sys;
    policy_scan s;
    sp_findings done = {0};
    sp_status st = scan(ctx, &s, out, result);
    int failed = 0;

    if (st != SP_OK || *result == SP_RESULT_ERROR)
        goto end;
    if (!s.at.has_gpo) {
        st = assess(ctx, &s, out, result);
        goto end;
    }
    if (right_defined(&s) && (st = remove_right(ctx, &s, &done, &failed)) != SP_OK)
        goto end;
    if (s.has_script && !sp_cancelled(ctx)) {
        sp_progress(ctx, 700, SP_SBS_SCRIPT);
        sys->last_error[0] = '\0';
        st = sp_journal_file_remove(ctx->journal, "policy", s.script_path);
        if (st == SP_OK)
            st = sp_findings_add(&done, SP_SEV_INFO, "policy.script_moved", IDS_F_POLICY_SCRIPT_MOVED,
                                 0, SP_SBS_SCRIPT, s.script_path);
        else if ((st = sp_findings_add(&done, SP_SEV_ERROR, "policy.change_failed",
                                       IDS_F_POLICY_CHANGE_FAILED, IDS_F_POLICY_CHANGE_FAILED_ADVICE,
                                       s.script_path, sys->last_error)) == SP_OK)
            failed = 1;
    }
    if (st == SP_OK && s.ad_ok && s.ad.user_count && sp_policy_clear_script_paths(ctx->state)) {
        for (size_t i = 0; i < s.ad.user_count && st == SP_OK && !sp_cancelled(ctx); i++) {
            sp_progress(ctx, 800, s.ad.users[i].name);
            sys->last_error[0] = '\0';
            if (sp_journal_ldap_replace(ctx->journal, "policy", s.ad.users[i].dn, "scriptPath", NULL) == SP_OK)
                st = sp_findings_add(&done, SP_SEV_INFO, "policy.script_path_cleared",
                                     IDS_F_POLICY_SCRIPT_PATH_CLEARED, 0, s.ad.users[i].name, s.ad.users[i].dn);
            else
                st = sp_findings_add(&done, SP_SEV_WARNING, "policy.script_path_failed",
                                     IDS_F_POLICY_SCRIPT_PATH_FAILED, IDS_F_POLICY_AD_UNREACHABLE_ADVICE,
                                     s.ad.users[i].name, sys->last_error);
        }
    }
    if (st != SP_OK)
        goto end;
    if (sp_cancelled(ctx)) {
        st = SP_ERR_CANCELLED;
        goto end;
    }
    /* What the server looks like now decides the result; what was done comes first. */
    scan_free(&s);
    sp_findings_free(out);
    if ((st = scan(ctx, &s, out, result)) == SP_OK && *result != SP_RESULT_ERROR)
        st = assess(ctx, &s, out, result);
    for (size_t i = 0; st == SP_OK && i < out->count; i++)
        st = sp_findings_add(&done, out->items[i].severity, out->items[i].code, out->items[i].title_id,
                             out->items[i].advice_id, out->items[i].arg, out->items[i].evidence);
    sp_findings_free(out);
    *out = done;
    done.items = NULL;
    done.count = done.cap = 0;
    if (failed && *result == SP_RESULT_PASSED)
        *result = SP_RESULT_FAILED;
end:
    sp_findings_free(&done);
    scan_free(&s);
    return st;
}

const sp_step sp_step_policy = {"policy", policy_check, policy_apply};
