/* The Updates step on the real win32 backend under Wine: the agent's honest E_NOTIMPL, the
 * service pack Wine's version emulation reports, RunOnce registration and resume from state. */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"
#include "core/session.h"
#include "core/state.h"
#include "core/sys/win32/win32.h"
#include "core/updates/updates.h"
#include "tests/win32/wtest.h"

static int count_update(void *user, const sp_update *u)
{
    (void)u;
    ++*(int *)user;
    return 0;
}

static const sp_finding *find(const sp_findings *f, const char *code)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].code, code) == 0)
            return &f->items[i];
    return NULL;
}

WTEST(wua_search_should_fail_with_the_agents_hresult_under_wine)
{
    sp_sys *sys = sp_win32_open();
    uint32_t hr = 0;
    int n = 0;
    sp_status st = sys->ops->wua_search(sys, SP_WUA_CONFIGURED, SP_UPDATES_CRITERIA, count_update, &n, NULL, &hr);
    wtest_note("wua_search: status %d, hresult 0x%08lX, %s", (int)st, (unsigned long)hr, sys->last_error);
    /* Wine's agent creates the session and the searcher, then cannot start the asynchronous
     * search (BeginSearch, which Cancel could abort): E_NOTIMPL, named with the call. */
    WCHECK_EQ_INT(st, SP_ERR_IO);
    WCHECK_EQ_INT((long)hr, (long)0x80004001u);
    WCHECK(strstr(sys->last_error, "IUpdateSearcher::BeginSearch failed (0x80004001)") != NULL);
    WCHECK_EQ_INT(n, 0);
    sp_sys_close(sys);
}

WTEST(updates_check_should_decode_the_agents_error_and_leave_the_manual_path)
{
    sp_sys *sys = sp_win32_open();
    sp_session s;
    sp_findings f = {0};
    sp_result r = SP_RESULT_NOT_RUN;
    const sp_finding *x;
    const char *want = getenv("SP_EXPECT_VERSION");
    WCHECK_EQ_INT(sp_session_open(&s, sys), SP_OK);
    sp_run_ctx ctx = sp_session_ctx(&s, NULL);
    WCHECK_EQ_INT(sp_step_run(sp_step_find("updates"), &ctx, 0, &f, &r), SP_OK);
    for (size_t i = 0; i < f.count; i++)
        wtest_note("%s: %s", f.items[i].code, wtest_str_or_null(f.items[i].arg));
    x = find(&f, "updates.wua_unavailable");
    WCHECK(x != NULL);
    WCHECK_EQ_STR(x->arg, "0x80004001 (E_NOTIMPL: the Windows Update Agent on this system does not "
                          "implement this call)");
    /* Never PASSED: what the wizard could not see is left to the checklist (or a failure). */
    WCHECK(r == SP_RESULT_MANUAL_NEEDED || r == SP_RESULT_FAILED);
    WCHECK(!sp_state_gate_open(s.state, "updates", sys->ops->time_now(sys)));
    /* Wine's version emulation reports the latest service pack of each version. */
    if (want && (strcmp(want, "win2003") == 0 || strcmp(want, "win2008") == 0 || strcmp(want, "win7") == 0)) {
        WCHECK(find(&f, "updates.sp_current") != NULL);
        WCHECK(strstr(find(&f, "updates.sp_current")->evidence,
                      strcmp(want, "win2003") == 0 ? "5.2.3790, service pack 2, latest 2"
                      : strcmp(want, "win2008") == 0 ? "6.0.6002, service pack 2, latest 2"
                                                     : "6.1.7601, service pack 1, latest 1") != NULL);
    }
    sp_findings_free(&f);
    sp_session_close(&s);
    sp_sys_close(sys);
}

WTEST(updates_should_register_the_resume_in_runonce_and_undo_it)
{
    sp_sys *sys = sp_win32_open();
    sp_session s;
    sp_regval v = {0};
    char path[600], cmd[700];
    sp_filestat fs;
    size_t undone = 0;
    WCHECK_EQ_INT(sys->ops->program_path(sys, path, sizeof path), SP_OK);
    WCHECK_EQ_INT(sys->ops->file_stat(sys, path, &fs), SP_OK);
    WCHECK(fs.exists && !fs.is_dir);
    WCHECK(strstr(path, "test_updates.exe") != NULL);
    WCHECK_EQ_INT(sp_session_open(&s, sys), SP_OK);
    snprintf(cmd, sizeof cmd, "\"%s\" /page:updates", path);
    WCHECK_EQ_INT(sp_regval_set_sz(&v, cmd), SP_OK);
    WCHECK_EQ_INT(sp_journal_reg_set(s.journal, "updates", SP_REG_VIEW_64, SP_UPDATES_RUNONCE_KEY,
                                     SP_UPDATES_RUNONCE_VALUE, &v), SP_OK);
    sp_regval_free(&v);
    char back[700];
    WCHECK_EQ_INT(sp_reg_get_string(sys, SP_REG_VIEW_64, SP_UPDATES_RUNONCE_KEY, SP_UPDATES_RUNONCE_VALUE,
                                    back, sizeof back), SP_OK);
    WCHECK_EQ_STR(back, cmd);
    WCHECK_EQ_INT(sp_journal_undo(s.journal, "updates", &undone), SP_OK);
    WCHECK(undone >= 1);
    WCHECK_EQ_INT(sp_reg_get_string(sys, SP_REG_VIEW_64, SP_UPDATES_RUNONCE_KEY, SP_UPDATES_RUNONCE_VALUE,
                                    back, sizeof back), SP_ERR_NOTFOUND);
    sp_session_close(&s);
    sp_sys_close(sys);
}

WTEST(updates_result_should_be_there_again_after_a_restart)
{
    sp_sys *sys = sp_win32_open();
    sp_session s;
    sp_findings f = {0};
    sp_result r = SP_RESULT_NOT_RUN;
    const sp_step_state *st;
    WCHECK_EQ_INT(sp_session_open(&s, sys), SP_OK);
    sp_run_ctx ctx = sp_session_ctx(&s, NULL);
    WCHECK_EQ_INT(sp_step_run(sp_step_find("updates"), &ctx, 0, &f, &r), SP_OK);
    sp_findings_free(&f);
    WCHECK_EQ_INT(sp_session_save(&s), SP_OK);
    sp_session_close(&s);
    /* What the wizard started by RunOnce finds: the same state, read back from ProgramData. */
    WCHECK_EQ_INT(sp_session_open(&s, sys), SP_OK);
    st = sp_state_step_const(s.state, "updates");
    WCHECK(st != NULL);
    WCHECK(st->checked_at != 0);
    WCHECK_EQ_INT(st->result, r);
    WCHECK(find(&st->findings, "updates.wua_unavailable") != NULL);
    sp_session_close(&s);
    sp_sys_close(sys);
}

/* A WSUS client under Wine: the step names the WSUS, asks Microsoft Update directly too, and
 * with neither answering (Wine's agent cannot search) never passes. */
WTEST(updates_should_name_the_wsus_and_ask_microsoft_update_too)
{
    sp_sys *sys = sp_win32_open();
    sp_session s;
    sp_findings f = {0};
    sp_result r = SP_RESULT_NOT_RUN;
    sp_regval url = {0}, use = {0};
    const sp_finding *x;
    WCHECK_EQ_INT(sp_regval_set_sz(&url, "http://wsus.example.test:8530"), SP_OK);
    WCHECK_EQ_INT(sp_regval_set_dword(&use, 1), SP_OK);
    WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_64, SP_WU_POLICY_KEY, "WUServer", &url), SP_OK);
    WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_64, SP_WU_POLICY_KEY "\\AU", "UseWUServer", &use), SP_OK);
    sp_regval_free(&url);
    sp_regval_free(&use);
    WCHECK_EQ_INT(sp_session_open(&s, sys), SP_OK);
    sp_run_ctx ctx = sp_session_ctx(&s, NULL);
    WCHECK_EQ_INT(sp_step_run(sp_step_find("updates"), &ctx, 0, &f, &r), SP_OK);
    for (size_t i = 0; i < f.count; i++)
        wtest_note("%s: %s | %s", f.items[i].code, wtest_str_or_null(f.items[i].arg),
                   wtest_str_or_null(f.items[i].evidence));
    x = find(&f, "updates.source");
    WCHECK(x != NULL);
    WCHECK(x && x->arg && strcmp(x->arg, "http://wsus.example.test:8530") == 0);
    x = find(&f, "updates.wua_unavailable");
    WCHECK(x != NULL);
    /* The direct search was made (and failed with the agent's own error). */
    WCHECK(x && x->evidence && strstr(x->evidence, "; directly: 0x") != NULL);
    WCHECK(find(&f, "updates.none_missing") == NULL);
    WCHECK(r == SP_RESULT_MANUAL_NEEDED || r == SP_RESULT_FAILED);
    WCHECK(!sp_state_gate_open(s.state, "updates", sys->ops->time_now(sys)));
    sp_findings_free(&f);
    sp_session_close(&s);
    WCHECK_EQ_INT(sys->ops->reg_delete_value(sys, SP_REG_VIEW_64, SP_WU_POLICY_KEY, "WUServer"), SP_OK);
    WCHECK_EQ_INT(sys->ops->reg_delete_value(sys, SP_REG_VIEW_64, SP_WU_POLICY_KEY "\\AU", "UseWUServer"),
                  SP_OK);
    sp_sys_close(sys);
}

/* Microsoft Update by its service id: what Wine's agent says to put_ServiceID and Search. */
WTEST(wua_search_of_microsoft_update_should_fail_with_an_hresult_under_wine)
{
    sp_sys *sys = sp_win32_open();
    uint32_t hr = 0;
    int n = 0;
    sp_status st = sys->ops->wua_search(sys, SP_WUA_MICROSOFT_UPDATE, SP_UPDATES_CRITERIA, count_update, &n, NULL, &hr);
    wtest_note("wua_search(Microsoft Update): status %d, hresult 0x%08lX, %s", (int)st, (unsigned long)hr,
               sys->last_error);
    WCHECK_EQ_INT(st, SP_ERR_IO);
    WCHECK(hr != 0);
    WCHECK_EQ_INT(n, 0);
    sp_sys_close(sys);
}

WTEST_MAIN()
