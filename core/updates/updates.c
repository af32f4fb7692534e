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
    if (level)
        snprintf(arg, sizeof arg, "SBS SP%lu", (unsigned long)level);
    else
        sp_arg_ref(arg, sizeof arg, IDS_UA_NO_SBS_SP, NULL);
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
        sp_arg_ref(arg, sizeof arg, IDS_UA_NO_SP_OF, ctx->info->exchange_name);
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

/* A REG_MULTI_SZ rename list with at least one entry (an empty one, one or two NULs, is what
 * remains after the renames were done). */
static sp_status pending_renames(sp_run_ctx *ctx, const char *value, int *real)
{
    sp_regval v = {0};
    sp_status st = ctx->sys->ops->reg_get(ctx->sys, SP_REG_VIEW_64, UPD_SM_KEY, value, &v);
    *real = 0;
    if (st == SP_ERR_NOTFOUND)
        return SP_OK;
    if (st != SP_OK)
        return st;
    *real = v.size > 2 && v.data[0];
    sp_regval_free(&v);
    return SP_OK;
}

/* The computer was renamed and not restarted: the active name is not the one set. */
static sp_status pending_rename_computer(sp_run_ctx *ctx, int *pending)
{
    char active[128], set[128];
    sp_status st;
    *pending = 0;
    st = sp_reg_get_string(ctx->sys, SP_REG_VIEW_64, SP_COMPUTERNAME_KEY "\\ActiveComputerName",
                           "ComputerName", active, sizeof active);
    if (st == SP_OK)
        st = sp_reg_get_string(ctx->sys, SP_REG_VIEW_64, SP_COMPUTERNAME_KEY "\\ComputerName",
                               "ComputerName", set, sizeof set);
    if (st == SP_ERR_NOTFOUND)
        return SP_OK;
    if (st != SP_OK)
        return st;
    *pending = sp_stricmp(active, set) != 0;
    return SP_OK;
}

static void upd_why(char *why, size_t whylen, int *pending, const char *what)
{
    upd_append(why, *pending ? ", " : "", whylen);
    upd_append(why, what, whylen);
    *pending = 1;
}

/* The places Windows says a restart must come first. */
static sp_status pending_reboot(sp_run_ctx *ctx, char *why, size_t whylen, int *pending)
{
    int any = 0, yes = 0;
    uint32_t volatile_flag = 0;
    sp_status st;
    why[0] = '\0';
    *pending = 0;
    st = ctx->sys->ops->reg_enum_values(ctx->sys, SP_REG_VIEW_64, UPD_CBS_KEY, upd_any_name, &any);
    if (st == SP_OK)
        upd_why(why, whylen, pending, "Component Based Servicing\\RebootPending");
    else if (st != SP_ERR_NOTFOUND)
        return st;
    st = ctx->sys->ops->reg_enum_values(ctx->sys, SP_REG_VIEW_64, UPD_WU_KEY, upd_any_name, &any);
    if (st == SP_OK)
        upd_why(why, whylen, pending, "WindowsUpdate\\Auto Update\\RebootRequired");
    else if (st != SP_ERR_NOTFOUND)
        return st;
    if ((st = pending_renames(ctx, "PendingFileRenameOperations", &yes)) != SP_OK)
        return st;
    if (yes)
        upd_why(why, whylen, pending, "PendingFileRenameOperations");
    if ((st = pending_renames(ctx, "PendingFileRenameOperations2", &yes)) != SP_OK)
        return st;
    if (yes)
        upd_why(why, whylen, pending, "PendingFileRenameOperations2");
    /* update.exe (Server 2003's hotfix installer) sets it while files wait for the restart. */
    st = sp_reg_get_dword(ctx->sys, SP_REG_VIEW_64, SP_UPDATES_VOLATILE_KEY, "UpdateExeVolatile",
                          &volatile_flag);
    if (st == SP_OK && volatile_flag)
        upd_why(why, whylen, pending, "Updates\\UpdateExeVolatile");
    else if (st != SP_OK && st != SP_ERR_NOTFOUND && st != SP_ERR_BADDATA)
        return st;
    if ((st = pending_rename_computer(ctx, &yes)) != SP_OK)
        return st;
    if (yes)
        upd_why(why, whylen, pending, "a computer rename (ActiveComputerName is not ComputerName)");
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

/* One missing critical or security update, from one search or both. */
typedef struct {
    char *id, *title, *kb;
    sp_update_class cls;
    uint64_t size;
    int may_reboot;
    unsigned from; /* UPD_FROM_* bits: which searches found it */
} upd_item;

#define UPD_FROM_CONFIGURED 1u
#define UPD_FROM_DIRECT 2u

typedef struct {
    sp_status st;
    upd_item *items; /* UPD_MAX */
    size_t count;
    unsigned from_now;   /* the search in hand */
    size_t found[3];     /* critical and security updates per UPD_FROM_* search */
    size_t optional[3];  /* optional ones per search */
    sp_wua_source direct; /* what the direct search asked */
} upd_search;

static void upd_search_free(upd_search *s)
{
    for (size_t i = 0; s->items && i < s->count; i++) {
        free(s->items[i].id);
        free(s->items[i].title);
        free(s->items[i].kb);
    }
    free(s->items);
    memset(s, 0, sizeof *s);
}

static const char *upd_class_name(sp_update_class c)
{
    return c == SP_UPDATE_CRITICAL ? "critical" : c == SP_UPDATE_SECURITY ? "security" : "other";
}

static int upd_found(void *user, const sp_update *u)
{
    upd_search *s = user;
    upd_item *it;
    if (u->cls == SP_UPDATE_OTHER) {
        s->optional[s->from_now]++;
        return 0;
    }
    s->found[s->from_now]++;
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->items[i].id, u->id) == 0) {
            s->items[i].from |= s->from_now;
            return 0;
        }
    if (s->count >= UPD_MAX)
        return 1;
    it = &s->items[s->count];
    memset(it, 0, sizeof *it);
    it->id = sp_strdup(u->id);
    it->title = sp_strdup(u->title);
    it->kb = sp_strdup(u->kb ? u->kb : "");
    it->cls = u->cls;
    it->size = u->size;
    it->may_reboot = u->may_reboot;
    it->from = s->from_now;
    s->count++;
    if (!it->id || !it->title || !it->kb)
        s->st = SP_ERR_NOMEM;
    return s->st != SP_OK;
}

/* The server's update source as its policy sets it: *wsus and the server's URL. */
static void read_policy(sp_run_ctx *ctx, int *wsus, char *url, size_t urllen, char *evidence,
                        size_t evlen)
{
    uint32_t use = 0;
    sp_status a, b;
    url[0] = '\0';
    a = sp_reg_get_string(ctx->sys, SP_REG_VIEW_64, SP_WU_POLICY_KEY, "WUServer", url, urllen);
    b = sp_reg_get_dword(ctx->sys, SP_REG_VIEW_64, SP_WU_POLICY_KEY "\\AU", "UseWUServer", &use);
    if (a != SP_OK)
        url[0] = '\0';
    *wsus = b == SP_OK && use && url[0];
    snprintf(evidence, evlen, "%s\\WUServer = %s; AU\\UseWUServer = %s%lu", SP_WU_POLICY_KEY,
             url[0] ? url : "(absent)", b == SP_OK ? "" : "(absent) ", (unsigned long)use);
}

/* One search; its failure is described into arg (the agent's HRESULT when it gave one). */
static sp_status search_one(sp_run_ctx *ctx, upd_search *s, sp_wua_source source, unsigned from,
                            uint32_t *hr, char *arg, size_t arglen)
{
    sp_status st;
    *hr = 0;
    s->from_now = from;
    st = ctx->sys->ops->wua_search(ctx->sys, source, SP_UPDATES_CRITERIA, upd_found, s, ctx->cancel, hr);
    if (s->st != SP_OK)
        return s->st;
    if (st != SP_OK && st != SP_ERR_NOMEM && st != SP_ERR_CANCELLED) {
        if (*hr)
            sp_wua_describe_hresult(*hr, arg, arglen);
        else
            snprintf(arg, arglen, "%s", ctx->sys->last_error);
    }
    return st;
}

static const char *direct_name(sp_wua_source d)
{
    return d == SP_WUA_WINDOWS_UPDATE ? "Windows Update" : "Microsoft Update";
}

/* Asks Microsoft Update directly, or Windows Update when Microsoft Update is not registered
 * on this server (then Exchange and SQL updates cannot be counted: a warning says so). */
static sp_status search_direct(sp_run_ctx *ctx, sp_findings *out, upd_search *s, char *arg,
                               size_t arglen)
{
    uint32_t hr = 0;
    sp_status st;
    s->direct = SP_WUA_MICROSOFT_UPDATE;
    sp_progress(ctx, 550, "Microsoft Update");
    st = search_one(ctx, s, SP_WUA_MICROSOFT_UPDATE, UPD_FROM_DIRECT, &hr, arg, arglen);
    if (st == SP_OK || hr != SP_WU_E_DS_UNKNOWNSERVICE)
        return st;
    st = sp_findings_add(out, SP_SEV_WARNING, "updates.mu_unregistered", IDS_F_UPDATES_MU_UNREGISTERED,
                         IDS_F_UPDATES_MU_UNREGISTERED_ADVICE, arg, "service 7971f918-a847-4430-9279-4a52d1efe18d");
    if (st != SP_OK)
        return st;
    s->direct = SP_WUA_WINDOWS_UPDATE;
    return search_one(ctx, s, SP_WUA_WINDOWS_UPDATE, UPD_FROM_DIRECT, &hr, arg, arglen);
}

static sp_status add_missing(sp_findings *out, const upd_item *u, const char *cfg, const char *direct)
{
    char arg[320], evidence[900];
    update_name(u->title, u->kb, arg, sizeof arg);
    snprintf(evidence, sizeof evidence, "%s, %s update, %llu KB%s, id %s, found by %s%s%s",
             u->kb[0] ? u->kb : "no KB", upd_class_name(u->cls),
             (unsigned long long)((u->size + 1023) / 1024), u->may_reboot ? ", may need a restart" : "",
             u->id, u->from & UPD_FROM_CONFIGURED ? cfg : "",
             u->from == (UPD_FROM_CONFIGURED | UPD_FROM_DIRECT) ? " and " : "",
             u->from & UPD_FROM_DIRECT ? direct : "");
    return sp_findings_add(out, SP_SEV_ERROR, "updates.missing", IDS_F_UPDATES_MISSING,
                           IDS_F_UPDATES_MISSING_ADVICE, arg, evidence);
}

/* Searches the configured source and, on a WSUS client, Microsoft Update directly: the list is
 * every update either finds, so the fuller answer rules. *usable = 0 when no search gave an
 * answer the step can stand on (then it cannot pass). */
static sp_status search_updates(sp_run_ctx *ctx, sp_findings *out, upd_search *s, int *usable)
{
    char url[256], policy[400], cfg[300], cfg_err[256] = "", dir_err[256] = "", arg[600];
    uint32_t hr = 0;
    int wsus = 0, cfg_ok, dir_ok = 0;
    sp_status st;
    *usable = 1;
    s->st = SP_OK;
    if (!s->items && !(s->items = calloc(UPD_MAX, sizeof *s->items)))
        return SP_ERR_NOMEM;
    read_policy(ctx, &wsus, url, sizeof url, policy, sizeof policy);
    if (wsus)
        snprintf(cfg, sizeof cfg, "WSUS (%s)", url);
    else
        snprintf(cfg, sizeof cfg, "Windows Update");
    if ((st = sp_findings_add(out, SP_SEV_INFO, "updates.source", wsus ? IDS_F_UPDATES_SOURCE_WSUS
                              : IDS_F_UPDATES_SOURCE_WU, 0, wsus ? url : NULL, policy)) != SP_OK)
        return st;
    sp_progress(ctx, 100, wsus ? "WSUS" : "Windows Update");
    st = search_one(ctx, s, SP_WUA_CONFIGURED, UPD_FROM_CONFIGURED, &hr, cfg_err, sizeof cfg_err);
    if (st == SP_ERR_NOMEM || st == SP_ERR_CANCELLED)
        return st;
    cfg_ok = st == SP_OK;
    if (wsus) {
        if (sp_cancelled(ctx))
            return SP_ERR_CANCELLED;
        st = search_direct(ctx, out, s, dir_err, sizeof dir_err);
        if (st == SP_ERR_NOMEM || st == SP_ERR_CANCELLED)
            return st;
        dir_ok = st == SP_OK;
    }
    if (!cfg_ok && !dir_ok) {
        char evidence[700];
        snprintf(evidence, sizeof evidence, "%s: %s%s%s", ctx->sys->ops->name, cfg_err,
                 wsus ? "; directly: " : "", wsus ? dir_err : "");
        *usable = 0;
        return sp_findings_add(out, SP_SEV_ERROR, "updates.wua_unavailable", IDS_F_UPDATES_WUA_FAILED,
                               IDS_F_UPDATES_WUA_FAILED_ADVICE, cfg_err, evidence);
    }
    if (wsus && !cfg_ok) {
        /* WSUS is broken, the direct answer stands on its own. */
        snprintf(arg, sizeof arg, "%s: %s", url, cfg_err);
        st = sp_findings_add(out, SP_SEV_WARNING, "updates.wsus_failed", IDS_F_UPDATES_WSUS_FAILED,
                             IDS_F_UPDATES_WSUS_FAILED_ADVICE, arg, direct_name(s->direct));
    } else if (wsus && !dir_ok) {
        /* WSUS's answer alone cannot verify the step: the WSUS may be months behind. */
        snprintf(arg, sizeof arg, "%s: %s", url, dir_err);
        if (!s->found[UPD_FROM_CONFIGURED])
            *usable = 0;
        st = sp_findings_add(out, SP_SEV_WARNING, "updates.wsus_unconfirmed", IDS_F_UPDATES_WSUS_UNCONFIRMED,
                             IDS_F_UPDATES_WSUS_UNCONFIRMED_ADVICE, arg, dir_err);
    } else if (wsus) {
        size_t only_direct = 0, only_cfg = 0;
        for (size_t i = 0; i < s->count; i++) {
            only_direct += s->items[i].from == UPD_FROM_DIRECT;
            only_cfg += s->items[i].from == UPD_FROM_CONFIGURED;
        }
        snprintf(arg, sizeof arg, "%s: %lu, %s: %lu", cfg,
                 (unsigned long)s->found[UPD_FROM_CONFIGURED], direct_name(s->direct),
                 (unsigned long)s->found[UPD_FROM_DIRECT]);
        if (only_direct || only_cfg)
            st = sp_findings_add(out, SP_SEV_WARNING, "updates.sources_disagree",
                                 IDS_F_UPDATES_SOURCES_DISAGREE, IDS_F_UPDATES_SOURCES_DISAGREE_ADVICE,
                                 arg, policy);
        else
            st = sp_findings_add(out, SP_SEV_INFO, "updates.sources_agree", IDS_F_UPDATES_SOURCES_AGREE, 0,
                                 arg, policy);
    }
    if (st != SP_OK)
        return st;
    for (size_t i = 0; i < s->count; i++)
        if ((st = add_missing(out, &s->items[i], cfg, direct_name(s->direct))) != SP_OK)
            return st;
    {
        size_t opt = s->optional[UPD_FROM_CONFIGURED] > s->optional[UPD_FROM_DIRECT]
                         ? s->optional[UPD_FROM_CONFIGURED] : s->optional[UPD_FROM_DIRECT];
        if (opt) {
            char n[24];
            snprintf(n, sizeof n, "%lu", (unsigned long)opt);
            st = sp_findings_add(out, SP_SEV_INFO, "updates.optional", IDS_F_UPDATES_OPTIONAL, 0, n, NULL);
            if (st != SP_OK)
                return st;
        }
    }
    if (!s->count && *usable) {
        snprintf(arg, sizeof arg, "%s%s%s", cfg_ok ? cfg : "", cfg_ok && dir_ok ? " and " : "",
                 dir_ok ? direct_name(s->direct) : "");
        char evidence[700];
        snprintf(evidence, sizeof evidence, "%s, asked %s", SP_UPDATES_CRITERIA, arg);
        return sp_findings_add(out, SP_SEV_INFO, "updates.none_missing", IDS_F_UPDATES_NONE_MISSING, 0,
                               NULL, evidence);
    }
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
                               "; " UPD_SM_KEY "\\PendingFileRenameOperations(2); " SP_UPDATES_VOLATILE_KEY
                               "\\UpdateExeVolatile; " SP_COMPUTERNAME_KEY);
    }
    return sp_findings_add(out, SP_SEV_INFO, "updates.no_reboot", IDS_F_UPDATES_NO_REBOOT, 0, NULL, NULL);
}

/* ---- Prerequisites every later update needs on 2008 and 2008 R2 ------------------------ */

typedef struct {
    unsigned what;         /* its name, with the KB as %1: IDS_UA_SSU_MARCH_2019 */
    const char *kbs;       /* the KBs that satisfy it, the first the one to install, space-separated */
} upd_prereq;

/* Windows Update signs its updates with SHA-2 only since August 2019 (July 2019 for 2008 SP2):
 * without these a server is offered nothing newer. A later servicing stack update includes the
 * earlier one; Component Based Servicing keeps a superseded one listed (state 0x50). */
static const upd_prereq prereq_2008r2[] = {
    {IDS_UA_SSU_MARCH_2019,
     "KB4490628 KB4516655 KB4523206 KB4531786 KB4536952 KB4555449 KB4562030 KB4565354 KB4570673 "
     "KB4580970 KB4592510 KB5001078"},
    {IDS_UA_SHA2, "KB4474419"},
};
static const upd_prereq prereq_2008[] = {
    {IDS_UA_SSU_APRIL_2019, "KB4493730 KB4517134 KB4526478"},
    {IDS_UA_SHA2, "KB4474419"},
};

typedef struct {
    sp_run_ctx *ctx;
    const char *kb;
    int found;          /* an installed (0x70) or superseded (0x50) package */
    uint32_t state;     /* the state of a package that is neither, for the evidence */
} upd_pkg_find;

static int upd_pkg_name(void *user, const char *name)
{
    upd_pkg_find *f = user;
    char key[600];
    uint32_t state = 0;
    if (!sp_wua_package_is(name, f->kb))
        return 0;
    snprintf(key, sizeof key, "%s\\%s", SP_CBS_PACKAGES_KEY, name);
    if (sp_reg_get_dword(f->ctx->sys, SP_REG_VIEW_64, key, "CurrentState", &state) == SP_OK &&
        (state == 0x70 || state == 0x50)) {
        f->found = 1;
        return 1;
    }
    f->state = state ? state : f->state;
    return 0;
}

static sp_status check_prereqs(sp_run_ctx *ctx, sp_findings *out, int *failed)
{
    const sp_osinfo *os = &ctx->info->os;
    const upd_prereq *list = NULL;
    size_t n = 0;
    if (os->major == 6 && os->minor == 1)
        list = prereq_2008r2, n = sizeof prereq_2008r2 / sizeof *prereq_2008r2;
    else if (os->major == 6 && os->minor == 0)
        list = prereq_2008, n = sizeof prereq_2008 / sizeof *prereq_2008;
    for (size_t i = 0; i < n; i++) {
        char kbs[200], evidence[400], first[16] = "", arg[240];
        char *tok, *save = NULL;
        upd_pkg_find f = {ctx, NULL, 0, 0};
        sp_status st = SP_OK;
        snprintf(kbs, sizeof kbs, "%s", list[i].kbs);
        for (tok = strtok_r(kbs, " ", &save); tok && !f.found; tok = strtok_r(NULL, " ", &save)) {
            if (!first[0])
                snprintf(first, sizeof first, "%s", tok);
            f.kb = tok;
            st = ctx->sys->ops->reg_enum_keys(ctx->sys, SP_REG_VIEW_64, SP_CBS_PACKAGES_KEY, upd_pkg_name, &f);
            if (st != SP_OK && st != SP_ERR_NOTFOUND)
                return st;
        }
        snprintf(evidence, sizeof evidence, "%s: %s %s (looked for %s)%s", SP_CBS_PACKAGES_KEY,
                 f.found ? "found" : "no installed package of", f.found ? f.kb : "any", list[i].kbs,
                 st == SP_ERR_NOTFOUND ? "; the key is absent" : "");
        sp_arg_ref(arg, sizeof arg, list[i].what, f.found ? f.kb : first);
        if (f.found)
            st = sp_findings_add(out, SP_SEV_INFO, "updates.prereq_ok", IDS_F_UPDATES_PREREQ_OK, 0, arg,
                                 evidence);
        else {
            *failed = 1;
            st = sp_findings_add(out, SP_SEV_ERROR, "updates.prereq_missing", IDS_F_UPDATES_PREREQ_MISSING,
                                 IDS_F_UPDATES_PREREQ_ADVICE, arg, evidence);
        }
        if (st != SP_OK)
            return st;
    }
    return SP_OK;
}

/* ---- The agent's own last successful search --------------------------------------------- */

#define UPD_DETECT_KEY "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\Results\\Detect"
#define UPD_DETECT_STALE_DAYS 30

static sp_status check_last_detect(sp_run_ctx *ctx, sp_findings *out)
{
    char text[64], evidence[200], arg[96];
    int64_t t, now = ctx->sys->ops->time_now(ctx->sys), days;
    sp_status st = sp_reg_get_string(ctx->sys, SP_REG_VIEW_64, UPD_DETECT_KEY, "LastSuccessTime", text,
                                     sizeof text);
    if (st != SP_OK && st != SP_ERR_NOTFOUND && st != SP_ERR_BADDATA)
        return st;
    if (st != SP_OK)
        return sp_findings_add(out, SP_SEV_INFO, "updates.detect_unknown", IDS_F_UPDATES_DETECT_UNKNOWN, 0,
                               NULL, UPD_DETECT_KEY "\\LastSuccessTime: absent (not recorded by this Windows)");
    snprintf(evidence, sizeof evidence, "%s\\LastSuccessTime = %s (UTC)", UPD_DETECT_KEY, text);
    /* The arg is data in every language: the time; the days go into the evidence. */
    if ((t = sp_wua_parse_time(text)) < 0)
        return sp_findings_add(out, SP_SEV_INFO, "updates.detect_unknown", IDS_F_UPDATES_DETECT_UNKNOWN, 0,
                               NULL, evidence);
    days = now > t ? (now - t) / 86400 : 0;
    snprintf(arg, sizeof arg, "%s UTC", text);
    {
        size_t n = strlen(evidence);
        snprintf(evidence + n, sizeof evidence - n, ", %lld days before this check", (long long)days);
    }
    if (days > UPD_DETECT_STALE_DAYS)
        return sp_findings_add(out, SP_SEV_WARNING, "updates.detect_stale", IDS_F_UPDATES_DETECT_STALE,
                               IDS_F_UPDATES_DETECT_STALE_ADVICE, arg, evidence);
    return sp_findings_add(out, SP_SEV_INFO, "updates.detect_recent", IDS_F_UPDATES_DETECT_RECENT, 0, arg,
                           evidence);
}

/* Whose answer the list is comes first: the finding naming the source heads the list. */
static void source_first(sp_findings *f)
{
    for (size_t i = 1; i < f->count; i++)
        if (strcmp(f->items[i].code, "updates.source") == 0) {
            sp_finding x = f->items[i];
            memmove(&f->items[1], &f->items[0], i * sizeof *f->items);
            f->items[0] = x;
            return;
        }
}

/* The whole assessment; s receives the missing updates. */
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
    sp_progress(ctx, 0, SP_REF(IDS_PG_SERVICE_PACKS));
    if ((st = check_windows_sp(ctx, out, &failed)) != SP_OK ||
        (st = check_sbs_sp(ctx, out, &failed)) != SP_OK ||
        (st = check_exchange_sp(ctx, out, &failed)) != SP_OK ||
        (st = check_prereqs(ctx, out, &failed)) != SP_OK)
        return st;
    if ((st = check_reboot(ctx, out, &failed, reboot)) != SP_OK ||
        (st = check_last_detect(ctx, out)) != SP_OK)
        return st;
    if (sp_cancelled(ctx))
        return SP_ERR_CANCELLED;
    if ((st = search_updates(ctx, out, s, &usable)) != SP_OK)
        return st;
    if (s->count)
        failed = 1;
    sp_progress(ctx, 1000, "");
    sp_findings_sort_worst_first(out);
    source_first(out);
    /* What the wizard cannot see it cannot pass: the agent's failure leaves the checklist. */
    *result = failed ? SP_RESULT_FAILED : usable ? SP_RESULT_PASSED : SP_RESULT_MANUAL_NEEDED;
    return SP_OK;
}

static sp_status updates_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    upd_search s = {0};
    int reboot;
    sp_status st = assess(ctx, out, result, &s, &reboot);
    upd_search_free(&s);
    return st;
}

/* ---- Apply: install, then restart and resume ------------------------------------------- */

typedef struct {
    sp_run_ctx *ctx;
    sp_findings *out;
    sp_status st;
    size_t failed, reboot;
    unsigned base, share; /* this installation's part of the bar, in permille */
} upd_install;

static void upd_progress(void *user, unsigned permille, const char *what)
{
    upd_install *in = user;
    sp_progress(in->ctx, in->base + (permille > 1000 ? 1000 : permille) * in->share / 1000, what);
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

/* Installs, from one source, the missing updates that source found. */
static sp_status install_from(sp_run_ctx *ctx, sp_findings *out, const upd_search *s,
                              sp_wua_source source, unsigned from, size_t *done)
{
    upd_install in = {ctx, out, SP_OK, 0, 0, 0, 0};
    const char *ids[UPD_MAX];
    size_t count = 0;
    uint32_t hr = 0;
    sp_status st;
    for (size_t i = 0; i < s->count; i++)
        if (from == UPD_FROM_CONFIGURED ? (s->items[i].from & UPD_FROM_CONFIGURED) != 0
                                        : s->items[i].from == UPD_FROM_DIRECT)
            ids[count++] = s->items[i].id;
    if (!count)
        return SP_OK;
    in.base = (unsigned)(*done * 1000 / s->count);
    in.share = (unsigned)(count * 1000 / s->count);
    *done += count;
    st = ctx->sys->ops->wua_install(ctx->sys, source, ids, count, upd_progress, upd_result, &in,
                                    ctx->cancel, &hr);
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

/* What the configured source found is installed from it; what only the direct search found,
 * from Microsoft Update (or Windows Update) directly. */
static sp_status install_missing(sp_run_ctx *ctx, sp_findings *out, const upd_search *s)
{
    sp_status st = SP_OK;
    size_t cfg = 0, done = 0;
    for (size_t i = 0; i < s->count; i++)
        cfg += (s->items[i].from & UPD_FROM_CONFIGURED) != 0;
    if (cfg)
        st = install_from(ctx, out, s, SP_WUA_CONFIGURED, UPD_FROM_CONFIGURED, &done);
    if (st == SP_OK && cfg < s->count)
        st = install_from(ctx, out, s, s->direct, UPD_FROM_DIRECT, &done);
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
    st = assess(ctx, &before, result, &s, &reboot);
    sp_findings_free(&before);
    if (st == SP_OK && *result == SP_RESULT_NOT_APPLICABLE) {
        upd_search_free(&s);
        return SP_OK;
    }
    if (st == SP_OK && s.count)
        st = install_missing(ctx, out, &s);
    else if (st == SP_OK && reboot)
        st = restart_and_resume(ctx, out, &restarted);
    upd_search_free(&s);
    if (st != SP_OK)
        return st;
    /* A real restart takes the wizard down in a moment; a simulated one is already over. */
    (void)restarted;
    st = assess(ctx, out, result, &s, &reboot);
    upd_search_free(&s);
    return st;
}

const sp_step sp_step_updates = {UPD_ID, updates_check, updates_apply};
