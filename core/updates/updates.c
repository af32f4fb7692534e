/* Updates step: service packs per product, missing critical and security updates from the
 * Windows Update Agent, their installation, pending restarts and the resume after one. */
#include "core/updates/updates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/journal.h"
#include "core/msgids.h"
#include "core/step_table.h"
#include "core/base/strutil.h"
#include "core/updates/wua.h"

#define UPD_ID "updates"
#define UPD_SBS_KEY "HKLM\\SOFTWARE\\Microsoft\\SmallBusinessServer"
#define UPD_CBS_KEY "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending"
#define UPD_WU_KEY "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired"
#define UPD_SM_KEY "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager"
#define UPD_MAX 256

/* ---- The service-pack table: one place for every product ------------------------------ */

unsigned sp_updates_latest_sp(unsigned major, unsigned minor)
{
    switch (major * 100 + minor) {
    case 502: return 2; /* Server 2003 and SBS 2003 */
    case 600: return 2; /* Server 2008, SBS 2008, Foundation 2008 (6.0.6002) */
    case 601: return 1; /* Server 2008 R2, SBS 2011, Foundation 2008 R2 (6.1.7601) */
    default: return 0;  /* 2012 and later: no service packs, only updates */
    }
}

unsigned sp_updates_latest_sbs_sp(sp_product product)
{
    return product == SP_PRODUCT_SBS2003 ? 1 : 0;
}

unsigned sp_updates_latest_exchange_sp(sp_exchange exchange)
{
    switch (exchange) {
    case SP_EXCHANGE_2003: return 2;
    case SP_EXCHANGE_2007: return 3;
    case SP_EXCHANGE_2010: return 3;
    case SP_EXCHANGE_NONE: return 0;
    }
    return 0;
}

/* ---- Check ---------------------------------------------------------------------------- */

static sp_status check_windows_sp(sp_run_ctx *ctx, sp_findings *out, int *failed)
{
    const sp_osinfo *os = &ctx->info->os;
    unsigned latest = sp_updates_latest_sp(os->major, os->minor);
    char evidence[128];
    snprintf(evidence, sizeof evidence, "%u.%u.%u, service pack %u, latest %u", os->major,
             os->minor, os->build, os->sp_major, latest);
    if (latest == 0 && os->sp_major == 0)
        return sp_findings_add(out, SP_SEV_INFO, "updates.sp_none", IDS_F_UPDATES_SP_NONE, 0,
                               ctx->info->product_name, evidence);
    if (os->sp_major < latest) {
        *failed = 1;
        return sp_findings_add(out, SP_SEV_ERROR, "updates.sp_missing", IDS_F_UPDATES_SP_OLD,
                               IDS_F_UPDATES_SP_ADVICE, os->csd[0] ? os->csd : "-", evidence);
    }
    return sp_findings_add(out, SP_SEV_INFO, "updates.sp_current", IDS_F_UPDATES_SP, 0,
                           os->csd[0] ? os->csd : "-", evidence);
}

/* SBS 2003 records its own service pack apart from Windows': SBS SP1 is not Windows SP1. */
static sp_status check_sbs_sp(sp_run_ctx *ctx, sp_findings *out, int *failed)
{
    unsigned latest = sp_updates_latest_sbs_sp(ctx->info->product);
    uint32_t level = 0;
    char arg[32], evidence[160];
    sp_status st;
    if (!latest)
        return SP_OK;
    st = sp_reg_get_dword(ctx->sys, SP_REG_VIEW_DEFAULT, UPD_SBS_KEY, "ServicePackNumber", &level);
    if (st != SP_OK && st != SP_ERR_NOTFOUND)
        return st;
    snprintf(evidence, sizeof evidence, "%s\\ServicePackNumber = %s%lu, latest %u", UPD_SBS_KEY,
             st == SP_ERR_NOTFOUND ? "(absent) " : "", (unsigned long)level, latest);
    snprintf(arg, sizeof arg, level ? "SBS SP%lu" : "no SBS service pack", (unsigned long)level);
    if (level < latest) {
        *failed = 1;
        return sp_findings_add(out, SP_SEV_ERROR, "updates.sbs_sp_missing", IDS_F_UPDATES_SBS_SP_OLD,
                               IDS_F_UPDATES_SBS_SP_ADVICE, arg, evidence);
    }
    return sp_findings_add(out, SP_SEV_INFO, "updates.sbs_sp_current", IDS_F_UPDATES_SBS_SP_OK, 0,
                           arg, evidence);
}

static sp_status check_exchange_sp(sp_run_ctx *ctx, sp_findings *out, int *failed)
{
    unsigned latest = sp_updates_latest_exchange_sp(ctx->info->exchange);
    char arg[96], evidence[96];
    if (ctx->info->exchange == SP_EXCHANGE_NONE)
        return SP_OK;
    if (ctx->info->exchange_sp)
        snprintf(arg, sizeof arg, "%s SP%u", ctx->info->exchange_name, ctx->info->exchange_sp);
    else
        snprintf(arg, sizeof arg, "%s, no service pack", ctx->info->exchange_name);
    snprintf(evidence, sizeof evidence, "service pack %u, latest %u", ctx->info->exchange_sp, latest);
    if (ctx->info->exchange_sp < latest) {
        *failed = 1;
        return sp_findings_add(out, SP_SEV_ERROR, "updates.exchange_sp_missing",
                               IDS_F_UPDATES_EXCH_SP_OLD, IDS_F_UPDATES_EXCH_SP_ADVICE, arg, evidence);
    }
    return sp_findings_add(out, SP_SEV_INFO, "updates.exchange_sp_current", IDS_F_UPDATES_EXCH_SP_OK,
                           0, arg, evidence);
}

static int upd_any_name(void *user, const char *name)
{
    (void)name;
    *(int *)user = 1;
    return 1;
}

static void upd_append(char *dst, const char *src, size_t size)
{
    size_t n = strlen(dst);
    if (n + 1 < size)
        sp_strlcpy(dst + n, src, size - n);
}

/* The three places Windows says a restart must come first. */
static sp_status pending_reboot(sp_run_ctx *ctx, char *why, size_t whylen, int *pending)
{
    sp_regval v = {0};
    int any = 0;
    sp_status st;
    why[0] = '\0';
    *pending = 0;
    st = ctx->sys->ops->reg_enum_values(ctx->sys, SP_REG_VIEW_64, UPD_CBS_KEY, upd_any_name, &any);
    if (st == SP_OK) {
        *pending = 1;
        upd_append(why, "Component Based Servicing\\RebootPending", whylen);
    } else if (st != SP_ERR_NOTFOUND) {
        return st;
    }
    st = ctx->sys->ops->reg_enum_values(ctx->sys, SP_REG_VIEW_64, UPD_WU_KEY, upd_any_name, &any);
    if (st == SP_OK) {
        upd_append(why, *pending ? ", " : "", whylen);
        upd_append(why, "WindowsUpdate\\Auto Update\\RebootRequired", whylen);
        *pending = 1;
    } else if (st != SP_ERR_NOTFOUND) {
        return st;
    }
    st = ctx->sys->ops->reg_get(ctx->sys, SP_REG_VIEW_64, UPD_SM_KEY, "PendingFileRenameOperations", &v);
    if (st == SP_OK) {
        /* An empty list (one or two NULs) is what remains after the renames were done. */
        int real = v.size > 2 && v.data[0];
        sp_regval_free(&v);
        if (real) {
            upd_append(why, *pending ? ", " : "", whylen);
            upd_append(why, "PendingFileRenameOperations", whylen);
            *pending = 1;
        }
    } else if (st != SP_ERR_NOTFOUND) {
        return st;
    }
    return SP_OK;
}

/* "Title (KB123)", unless the title names its KB already, as Microsoft's titles do. */
static void update_name(const char *title, const char *kb, char *out, size_t outlen)
{
    if (kb && kb[0] && !strstr(title, kb))
        snprintf(out, outlen, "%s (%s)", title, kb);
    else
        snprintf(out, outlen, "%s", title);
}

typedef struct {
    sp_findings *out;
    sp_status st;
    size_t critical, optional;
    char **ids; /* the critical and security updates' ids, when wanted */
    size_t id_count;
} upd_search;

static const char *upd_class_name(sp_update_class c)
{
    return c == SP_UPDATE_CRITICAL ? "critical" : c == SP_UPDATE_SECURITY ? "security" : "other";
}

static int upd_found(void *user, const sp_update *u)
{
    upd_search *s = user;
    char arg[320], evidence[160];
    if (u->cls == SP_UPDATE_OTHER) {
        s->optional++;
        return 0;
    }
    if (s->critical >= UPD_MAX)
        return 1;
    update_name(u->title, u->kb, arg, sizeof arg);
    snprintf(evidence, sizeof evidence, "%s, %s update, %llu KB%s, id %s", u->kb && u->kb[0] ? u->kb : "no KB",
             upd_class_name(u->cls), (unsigned long long)((u->size + 1023) / 1024),
             u->may_reboot ? ", may need a restart" : "", u->id);
    s->st = sp_findings_add(s->out, SP_SEV_ERROR, "updates.missing", IDS_F_UPDATES_MISSING,
                            IDS_F_UPDATES_MISSING_ADVICE, arg, evidence);
    if (s->st == SP_OK && s->ids) {
        if (!(s->ids[s->id_count] = sp_strdup(u->id)))
            s->st = SP_ERR_NOMEM;
        else
            s->id_count++;
    }
    s->critical++;
    return s->st != SP_OK;
}

/* Searches the agent; a failure is reported as a finding, *usable = 0. */
static sp_status search_updates(sp_run_ctx *ctx, sp_findings *out, upd_search *s, int *usable)
{
    uint32_t hr = 0;
    sp_status st;
    s->out = out;
    s->st = SP_OK;
    *usable = 1;
    sp_progress(ctx, 100, "Windows Update");
    st = ctx->sys->ops->wua_search(ctx->sys, SP_UPDATES_CRITERIA, upd_found, s, &hr);
    if (s->st != SP_OK)
        return s->st;
    if (st == SP_ERR_NOMEM || st == SP_ERR_CANCELLED)
        return st;
    if (st != SP_OK) {
        char arg[256], evidence[400];
        if (hr)
            sp_wua_describe_hresult(hr, arg, sizeof arg);
        else
            snprintf(arg, sizeof arg, "%s", ctx->sys->last_error);
        snprintf(evidence, sizeof evidence, "%s: %s", ctx->sys->ops->name, ctx->sys->last_error);
        *usable = 0;
        return sp_findings_add(out, SP_SEV_ERROR, "updates.wua_unavailable", IDS_F_UPDATES_WUA_FAILED,
                               IDS_F_UPDATES_WUA_FAILED_ADVICE, arg, evidence);
    }
    if (s->optional) {
        char n[24];
        snprintf(n, sizeof n, "%lu", (unsigned long)s->optional);
        st = sp_findings_add(out, SP_SEV_INFO, "updates.optional", IDS_F_UPDATES_OPTIONAL, 0, n, NULL);
        if (st != SP_OK)
            return st;
    }
    if (!s->critical)
        return sp_findings_add(out, SP_SEV_INFO, "updates.none_missing", IDS_F_UPDATES_NONE_MISSING, 0,
                               NULL, SP_UPDATES_CRITERIA);
    return SP_OK;
}

static sp_status check_reboot(sp_run_ctx *ctx, sp_findings *out, int *failed, int *pending)
{
    char why[256];
    sp_status st = pending_reboot(ctx, why, sizeof why, pending);
    if (st != SP_OK)
        return st;
    if (*pending) {
        *failed = 1;
        return sp_findings_add(out, SP_SEV_ERROR, "updates.reboot_pending", IDS_F_UPDATES_REBOOT_PENDING,
                               IDS_F_UPDATES_REBOOT_ADVICE, why, "HKLM: " UPD_CBS_KEY "; " UPD_WU_KEY
                               "; " UPD_SM_KEY "\\PendingFileRenameOperations");
    }
    return sp_findings_add(out, SP_SEV_INFO, "updates.no_reboot", IDS_F_UPDATES_NO_REBOOT, 0, NULL, NULL);
}

/* The whole assessment; ids (may be NULL) receives the missing updates' ids. */
static sp_status assess(sp_run_ctx *ctx, sp_findings *out, sp_result *result, upd_search *s,
                        int *reboot)
{
    int failed = 0, usable = 1;
    sp_status st;
    *reboot = 0;
    if (!ctx->info)
        return sp_sys_fail(ctx->sys, SP_ERR_INVALID, "the server was not detected");
    if (sp_step_not_for_this_server(ctx, UPD_ID)) {
        *result = SP_RESULT_NOT_APPLICABLE;
        return SP_OK;
    }
    sp_progress(ctx, 0, "service packs");
    if ((st = check_windows_sp(ctx, out, &failed)) != SP_OK ||
        (st = check_sbs_sp(ctx, out, &failed)) != SP_OK ||
        (st = check_exchange_sp(ctx, out, &failed)) != SP_OK)
        return st;
    if ((st = check_reboot(ctx, out, &failed, reboot)) != SP_OK)
        return st;
    if (sp_cancelled(ctx))
        return SP_ERR_CANCELLED;
    if ((st = search_updates(ctx, out, s, &usable)) != SP_OK)
        return st;
    if (s->critical)
        failed = 1;
    sp_progress(ctx, 1000, "");
    sp_findings_sort_worst_first(out);
    /* What the wizard cannot see it cannot pass: the agent's failure leaves the checklist. */
    *result = failed ? SP_RESULT_FAILED : usable ? SP_RESULT_PASSED : SP_RESULT_MANUAL_NEEDED;
    return SP_OK;
}

static sp_status updates_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    upd_search s = {0};
    int reboot;
    return assess(ctx, out, result, &s, &reboot);
}

/* ---- Apply: install, then restart and resume ------------------------------------------- */

typedef struct {
    sp_run_ctx *ctx;
    sp_findings *out;
    sp_status st;
    size_t failed, reboot;
} upd_install;

static void upd_progress(void *user, unsigned permille, const char *what)
{
    upd_install *in = user;
    sp_progress(in->ctx, permille, what);
}

static void upd_result(void *user, const sp_update_result *r)
{
    upd_install *in = user;
    char arg[320], evidence[320], hr[256] = "";
    int ok = sp_wua_result_ok(r->result);
    if (in->st != SP_OK)
        return;
    update_name(r->title, r->kb, arg, sizeof arg);
    if (r->hresult)
        sp_wua_describe_hresult(r->hresult, hr, sizeof hr);
    snprintf(evidence, sizeof evidence, "result code %d (%s)%s%s%s", r->result,
             sp_wua_result_name(r->result), hr[0] ? ", " : "", hr,
             r->reboot_required ? ", restart required" : "");
    if (!ok)
        in->failed++;
    if (r->reboot_required)
        in->reboot++;
    in->st = ok ? sp_findings_add(in->out, SP_SEV_INFO, "updates.installed", IDS_F_UPDATES_INSTALLED, 0,
                                  arg, evidence)
                : sp_findings_add(in->out, SP_SEV_ERROR, "updates.install_failed",
                                  IDS_F_UPDATES_INSTALL_FAILED, IDS_F_UPDATES_INSTALL_ADVICE, arg, evidence);
}

static sp_status install_missing(sp_run_ctx *ctx, sp_findings *out, char **ids, size_t count)
{
    upd_install in = {ctx, out, SP_OK, 0, 0};
    uint32_t hr = 0;
    sp_status st = ctx->sys->ops->wua_install(ctx->sys, (const char *const *)ids, count, upd_progress,
                                              upd_result, &in, ctx->cancel, &hr);
    if (in.st != SP_OK)
        return in.st;
    if (st == SP_ERR_CANCELLED || st == SP_ERR_NOMEM)
        return st;
    if (st != SP_OK) {
        char arg[256];
        if (hr)
            sp_wua_describe_hresult(hr, arg, sizeof arg);
        else
            snprintf(arg, sizeof arg, "%s", ctx->sys->last_error);
        return sp_findings_add(out, SP_SEV_ERROR, "updates.install_error", IDS_F_UPDATES_INSTALL_ERROR,
                               IDS_F_UPDATES_WUA_FAILED_ADVICE, arg, ctx->sys->last_error);
    }
    return SP_OK;
}

static int same_path(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if ((*a >= 'A' && *a <= 'Z' ? *a + 32 : *a) != (*b >= 'A' && *b <= 'Z' ? *b + 32 : *b))
            return 0;
    return *a == *b;
}

/* What RunOnce starts as the system comes up: a copy of this exe in the data folder, which only
 * SYSTEM and Administrators may change, never the file wherever it was started from (Downloads,
 * a share, a USB stick), which someone else could replace before the restart (issue 18). */
static sp_status copy_for_resume(sp_sys *sys, const char *program, char *copy, size_t copylen)
{
    char dir[400];
    unsigned char *exe = NULL;
    size_t size = 0;
    sp_status st = sys->ops->folder(sys, SP_FOLDER_PROGRAMDATA, dir, sizeof dir);
    if (st != SP_OK)
        return st;
    snprintf(copy, copylen, "%s\\SourcePrep\\sourceprep.exe", dir);
    if (same_path(program, copy))
        return SP_OK; /* started from the copy already */
    if ((st = sys->ops->file_read(sys, program, &exe, &size)) == SP_OK)
        st = sys->ops->file_write_atomic(sys, copy, exe, size);
    free(exe);
    return st;
}

/* Registers the wizard in RunOnce (journaled: undo removes it), then restarts. */
static sp_status restart_and_resume(sp_run_ctx *ctx, sp_findings *out, int *restarted)
{
    char program[600], path[600], command[700];
    sp_regval v = {0};
    sp_status st;
    *restarted = 0;
    st = ctx->sys->ops->program_path(ctx->sys, program, sizeof program);
    if (st == SP_OK)
        st = copy_for_resume(ctx->sys, program, path, sizeof path);
    if (st == SP_OK) {
        snprintf(command, sizeof command, "\"%s\" /page:updates", path);
        st = sp_regval_set_sz(&v, command);
        if (st == SP_OK)
            st = sp_journal_reg_set(ctx->journal, UPD_ID, SP_REG_VIEW_64, SP_UPDATES_RUNONCE_KEY,
                                    SP_UPDATES_RUNONCE_VALUE, &v);
        sp_regval_free(&v);
    }
    if (st == SP_ERR_NOMEM)
        return st;
    if (st != SP_OK)
        return sp_findings_add(out, SP_SEV_ERROR, "updates.resume_failed", IDS_F_UPDATES_RESUME_FAILED,
                               IDS_F_UPDATES_RESTART_ADVICE, ctx->sys->last_error, NULL);
    st = ctx->sys->ops->restart(ctx->sys, "SourcePrep: restarting to finish installing updates.");
    if (st != SP_OK)
        return sp_findings_add(out, SP_SEV_ERROR, "updates.restart_failed", IDS_F_UPDATES_RESTART_FAILED,
                               IDS_F_UPDATES_RESTART_ADVICE, ctx->sys->last_error, NULL);
    *restarted = 1;
    return sp_findings_add(out, SP_SEV_INFO, "updates.restarting", IDS_F_UPDATES_RESTARTING, 0, NULL,
                           command);
}

static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
}

/* Does the next thing the server needs: installs what is missing; when only a restart is
 * left, restarts (and comes back). Then looks again, so the result is what is true now. */
static sp_status updates_apply(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    upd_search s = {0};
    sp_findings before = {0};
    int reboot = 0, restarted = 0;
    sp_status st;
    if (!ctx->journal)
        return sp_sys_fail(ctx->sys, SP_ERR_INVALID, "no journal to record the changes in");
    if (!(s.ids = calloc(UPD_MAX, sizeof *s.ids)))
        return SP_ERR_NOMEM;
    st = assess(ctx, &before, result, &s, &reboot);
    sp_findings_free(&before);
    if (st == SP_OK && *result == SP_RESULT_NOT_APPLICABLE) {
        free_ids(s.ids, s.id_count);
        return SP_OK;
    }
    if (st == SP_OK && s.id_count)
        st = install_missing(ctx, out, s.ids, s.id_count);
    else if (st == SP_OK && reboot)
        st = restart_and_resume(ctx, out, &restarted);
    free_ids(s.ids, s.id_count);
    if (st != SP_OK)
        return st;
    /* A real restart takes the wizard down in a moment; a simulated one is already over. */
    (void)restarted;
    memset(&s, 0, sizeof s);
    return assess(ctx, out, result, &s, &reboot);
}

const sp_step sp_step_updates = {UPD_ID, updates_check, updates_apply};
