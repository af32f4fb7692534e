/* One run of the wizard: the backend, what was detected, the state and the journal. */
#include "core/session.h"

#include <stdio.h>
#include <string.h>

#include "core/base/strutil.h"

sp_status sp_session_open(sp_session *s, sp_sys *sys)
{
    char dir[400];
    sp_status st;
    int64_t now = sys->ops->time_now(sys);

    memset(s, 0, sizeof *s);
    s->sys = sys;
    s->failed = SP_STAGE_DETECT;
    if ((st = sp_sysinfo_detect(sys, &s->info)) != SP_OK)
        return st;
    s->failed = SP_STAGE_FOLDER;
    if ((st = sys->ops->folder(sys, SP_FOLDER_PROGRAMDATA, dir, sizeof dir)) != SP_OK)
        return st;
    snprintf(s->data_dir, sizeof s->data_dir, "%s\\SourcePrep", dir);
    snprintf(s->state_path, sizeof s->state_path, "%s\\state.json", s->data_dir);
    /* Before anything in it is read: a journal someone else could write is not followed. */
    if ((st = sp_datadir_secure(sys, s->data_dir, &s->folder_problem)) != SP_OK)
        return st;
    sp_log_init(&s->log, sys, s->data_dir, SP_LOG_LIMIT);
    s->failed = SP_STAGE_STATE;
    st = sp_state_load(sys, s->state_path, now, &s->state, s->state_aside, sizeof s->state_aside);
    if (st != SP_OK && st != SP_ERR_BADDATA)
        return st;
    sp_sysinfo_describe(&s->info, s->state->server, sizeof s->state->server);
    sp_log_write(&s->log, "start backend=%s server=\"%s\"", sys->ops->name, s->state->server);
    if (s->state_aside[0])
        sp_log_write(&s->log, "state damaged, kept as \"%s\"; starting afresh", s->state_aside);
    s->failed = SP_STAGE_JOURNAL;
    if ((st = sp_journal_open(sys, s->data_dir, &s->journal)) != SP_OK)
        return st;
    sp_journal_restrict_undo(s->journal);
    s->failed = SP_STAGE_NONE;
    return SP_OK;
}

sp_status sp_session_save(sp_session *s)
{
    return sp_state_save(s->sys, s->state_path, s->state, s->sys->ops->time_now(s->sys));
}

sp_status sp_session_set_ldap(sp_session *s, const char *host, unsigned port, const char *user,
                              const char *password)
{
    host = host ? host : "";
    user = user ? user : "";
    password = password ? password : "";
    if (strlen(host) >= sizeof s->ldap_host || strlen(user) >= sizeof s->ldap_user ||
        strlen(password) >= sizeof s->ldap_password)
        return SP_ERR_INVALID;
    sp_strlcpy(s->ldap_host, host, sizeof s->ldap_host);
    sp_strlcpy(s->ldap_user, user, sizeof s->ldap_user);
    sp_strlcpy(s->ldap_password, password, sizeof s->ldap_password);
    s->ldap.host = s->ldap_host;
    s->ldap.port = port;
    s->ldap.user = s->ldap_user;
    s->ldap.password = s->ldap_password;
    return s->journal ? sp_journal_set_ldap(s->journal, &s->ldap) : SP_OK;
}

void sp_session_close(sp_session *s)
{
    sp_journal_close(s->journal);
    sp_state_free(s->state);
    memset(s->ldap_password, 0, sizeof s->ldap_password);
    s->journal = NULL;
    s->state = NULL;
}

void sp_session_record(sp_session *s, const char *step, int apply, sp_status status, sp_result result,
                       sp_findings *findings)
{
    sp_log_write(&s->log, "%s step=%s result=%s status=%s findings=%u", apply ? "apply" : "check", step,
                 sp_result_name(result), sp_status_name(status), findings ? (unsigned)findings->count : 0u);
    if (status != SP_ERR_CANCELLED)
        sp_state_record(s->state, step, result, findings, s->sys->ops->time_now(s->sys));
}

sp_run_ctx sp_session_ctx(sp_session *s, volatile long *cancel)
{
    sp_run_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.sys = s->sys;
    ctx.state = s->state;
    ctx.journal = s->journal;
    ctx.info = &s->info;
    ctx.cancel = cancel;
    ctx.ldap = &s->ldap;
    return ctx;
}
