/* Backup step: finds the last full backup, starts one with wbadmin, and proves it with a restore drill. */
#include "core/backup/backup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/base/civil.h"
#include "core/backup/backup_ad.h"
#include "core/backup/datavol.h"
#include "core/backup/drill.h"
#include "core/backup/fntb.h"
#include "core/journal.h"
#include "core/msgids.h"
#include "core/backup/ntblog.h"
#include "core/state.h"
#include "core/step_table.h"
#include "core/base/strutil.h"
#include "core/backup/wbadmin.h"
#include "core/backup/wbitems.h"

#define WBADMIN_LIST_MS (2u * 60u * 1000u)
#define WBADMIN_BACKUP_MS 0u              /* a full backup takes as long as it takes */
#define WBADMIN_RESTORE_MS (30u * 60u * 1000u)
#define COMPARE_BUF (8u * 1024u * 1024u)  /* two 4 MiB halves */
#define NTB_LOGS "Local Settings\\Application Data\\Microsoft\\Windows NT\\NTBackup\\data"

typedef struct {
    int found;
    int64_t time;       /* UTC */
    char where[300];    /* the log file, or wbadmin's target */
    char id[24];        /* wbadmin's version identifier */
    int wbadmin;        /* found by wbadmin: files can be restored with it */
    int unreadable;     /* a source could not be read: never say "no backup" then */
    char sets[160];     /* NTBackup: what its log backed up ("C:, System State") */
} last_backup;

/* What the backup must hold, read once a run. */
typedef struct {
    sp_datavols vols;
    sp_backup_ad ad;
} backup_needs;

static void read_needs(sp_run_ctx *ctx, backup_needs *n)
{
    memset(n, 0, sizeof *n);
    sp_datavols_find(ctx->sys, &n->vols);
    sp_backup_ad_read(ctx, &n->vols, &n->ad);
}

static int uses_wbadmin(const sp_run_ctx *ctx)
{
    return ctx->info && ctx->info->os.major >= 6;
}

/* The server's UI language: the parsers try its label table first (0: unknown). */
static unsigned ui_language(const sp_run_ctx *ctx)
{
    return ctx->info ? ctx->info->os.ui_language : 0;
}

static cJSON *step_data(sp_run_ctx *ctx)
{
    sp_step_state *s = ctx->state ? sp_state_step(ctx->state, "backup") : NULL;
    if (!s)
        return NULL;
    if (!s->data)
        s->data = cJSON_CreateObject();
    return s->data;
}

static const char *data_string(const cJSON *data, const char *key, const char *fallback)
{
    const cJSON *v = data ? cJSON_GetObjectItemCaseSensitive(data, key) : NULL;
    return cJSON_IsString(v) && v->valuestring && v->valuestring[0] ? v->valuestring : fallback;
}

static void when_text(int64_t utc, char *out, size_t outlen)
{
    sp_civil_format(utc, out, (unsigned)outlen);
    size_t n = strlen(out);
    snprintf(out + n, outlen - n, " UTC");
}

/* ---- The tool and its guidance (the document's table) ------------------------------- */

static sp_status add_guidance(sp_run_ctx *ctx, sp_findings *out)
{
    unsigned advice = IDS_F_BK_GUIDE_OTHER;
    switch (ctx->info ? ctx->info->product : SP_PRODUCT_UNKNOWN) {
    case SP_PRODUCT_SBS2003:
    case SP_PRODUCT_SERVER2003: advice = IDS_F_BK_GUIDE_SBS2003; break;
    case SP_PRODUCT_SBS2008: advice = IDS_F_BK_GUIDE_SBS2008; break;
    case SP_PRODUCT_FOUNDATION2008: advice = IDS_F_BK_GUIDE_FOUNDATION; break;
    case SP_PRODUCT_SBS2011_ESSENTIALS: advice = IDS_F_BK_GUIDE_SBS2011ESS; break;
    case SP_PRODUCT_SBS2011_STANDARD: advice = IDS_F_BK_GUIDE_SBS2011STD; break;
    case SP_PRODUCT_ESSENTIALS2012:
    case SP_PRODUCT_ESSENTIALS2012R2:
    case SP_PRODUCT_ESSENTIALS2016: advice = IDS_F_BK_GUIDE_ESSENTIALS; break;
    default: break;
    }
    return sp_findings_add(out, SP_SEV_INFO, "backup.tool", IDS_F_BK_TOOL, advice,
                           uses_wbadmin(ctx) ? SP_REF(IDS_BK_TOOL_WB) : "NTBackup",
                           NULL);
}

/* ---- The language-free record: the backup programs' own events ---------------------- */

/* Windows Server Backup's channel (2008 and later). Event 4 is "the backup operation has
 * finished successfully"; the failures below are the IDs Microsoft's event reference and the
 * monitoring packs list for a backup that failed or could not start. Event 14 ("the backup
 * operation has completed") follows success and failure alike and counts as neither. Any event
 * of level Error or Critical counts as a failure too. Not checked against a live server here:
 * the IDs come from the documentation, the tests use a simulated channel. */
#define WB_CHANNEL "Microsoft-Windows-Backup"
static const unsigned wb_ok[] = {4};
static const unsigned wb_bad[] = {5, 8, 9, 17, 18, 19, 20, 21, 22, 49, 50, 52, 100, 517,
                                  521, 527, 528, 544, 545, 546, 561, 564, 612};
/* NTBackup (2003) writes to the Application log as source NTBackup: 8000 begins an operation,
 * 8001 ends one that completed; 8019 ends one "with warnings or errors" (best knowledge of
 * NTBackup's message table, not seen on a live server here). An error-type event counts as a
 * failure as well. */
#define NTB_LOG "Application"
static const unsigned ntb_ok[] = {8001};
static const unsigned ntb_bad[] = {8019};

typedef struct {
    const char *source; /* NULL: every source of the log */
    const unsigned *ok, *bad;
    size_t nok, nbad;
    int64_t ok_time, bad_time;
    unsigned bad_id, seen;
} event_scan;

static int listed(unsigned id, const unsigned *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

static int on_backup_event(void *user, const sp_event *ev)
{
    event_scan *s = user;
    if (s->source && sp_stricmp(ev->source, s->source) != 0)
        return 0;
    s->seen++;
    int ok = listed(ev->id, s->ok, s->nok);
    int bad = !ok && (listed(ev->id, s->bad, s->nbad) || ev->type == 1 /* EVENTLOG_ERROR_TYPE */);
    if (ok && ev->time > s->ok_time)
        s->ok_time = ev->time;
    if (bad && ev->time > s->bad_time)
        s->bad_time = ev->time, s->bad_id = ev->id;
    return s->seen >= 20000; /* years of nightly backups: enough */
}

/* Reads the backup program's events into s, and says which sources the step read: the texts
 * from sources (IDS_BK_SRC_NTB or IDS_BK_SRC_WB): + 0 the log and the program's text, + 1 the
 * text only, the log holding no backup event, + 2 the log absent, + 3 unreadable. 1 when the
 * log was read and holds events of the program. */
static int read_backup_events(sp_run_ctx *ctx, sp_findings *out, const char *log, unsigned sources,
                              event_scan *s, sp_status *st)
{
    sp_sys *sys = ctx->sys;
    char what[80];
    sp_status est = sys->ops->event_query ? sys->ops->event_query(sys, log, 0, on_backup_event, s)
                                          : SP_ERR_UNSUPPORTED;
    int have = est == SP_OK && s->seen > 0;
    sp_arg_ref(what, sizeof what, sources + (have ? 0 : est == SP_OK ? 1 : est == SP_ERR_NOTFOUND ? 2 : 3),
               log);
    *st = sp_findings_add(out, SP_SEV_INFO, "backup.source", IDS_F_BK_SOURCE, 0, what,
                          est == SP_OK ? NULL : sys->last_error);
    return have;
}

/* A failure the events record after the last success and after the backup found. */
static sp_status report_failed_attempt(sp_findings *out, const event_scan *s, const char *log, int64_t found_time)
{
    char when[64], ev[120];
    if (!s->bad_time || s->bad_time <= s->ok_time || s->bad_time <= found_time)
        return SP_OK;
    sp_civil_format(s->bad_time, when, sizeof when);
    snprintf(when + strlen(when), sizeof when - strlen(when), " UTC");
    snprintf(ev, sizeof ev, "%s event %u%s%s", log, s->bad_id, s->source ? ", source " : "",
             s->source ? s->source : "");
    return sp_findings_add(out, SP_SEV_WARNING, "backup.last_attempt_failed", IDS_F_BK_LAST_ATTEMPT_FAILED,
                           IDS_F_BK_LAST_ATTEMPT_FAILED_ADVICE, when, ev);
}

/* ---- NTBackup (Server 2003): its logs in every profile ------------------------------ */

typedef struct {
    sp_run_ctx *ctx;
    sp_findings *out;
    char dir[600];
    last_backup *best;
    int day_first;
    int64_t bias; /* seconds: UTC = local + bias */
    sp_status st;
} ntb_scan;

static int on_log(void *user, const char *name, int is_dir)
{
    ntb_scan *s = user;
    sp_sys *sys = s->ctx->sys;
    char path[900], err[160];
    unsigned char *data = NULL;
    size_t size = 0;
    sp_ntb_summary sum;
    size_t n = strlen(name);
    if (is_dir || sp_strnicmp(name, "backup", 6) != 0 || n < 4 || sp_stricmp(name + n - 4, ".log") != 0)
        return 0;
    snprintf(path, sizeof path, "%s\\%s", s->dir, name);
    if (sys->ops->file_read(sys, path, &data, &size) != SP_OK) {
        s->best->unreadable = 1;
        s->st = sp_findings_add(s->out, SP_SEV_WARNING, "backup.log_unreadable", IDS_F_BK_LOG_BAD,
                                IDS_F_BK_LOG_BAD_ADVICE, path, sys->last_error);
        return s->st != SP_OK;
    }
    sp_status st = sp_ntblog_parse_lang(data, size, s->day_first, ui_language(s->ctx), &sum, err, sizeof err);
    free(data);
    if (st == SP_ERR_NOMEM) {
        s->st = st;
        return 1;
    }
    if (st != SP_OK) {
        s->best->unreadable = 1;
        s->st = sp_findings_add(s->out, SP_SEV_WARNING, "backup.log_bad", IDS_F_BK_LOG_BAD,
                                IDS_F_BK_LOG_BAD_ADVICE, path, err);
        return s->st != SP_OK;
    }
    if (sum.found && (!s->best->found || sum.completed + s->bias > s->best->time)) {
        s->best->found = 1;
        s->best->time = sum.completed + s->bias;
        snprintf(s->best->where, sizeof s->best->where, "%.200s (%.90s)", path, sum.what);
        sp_strlcpy(s->best->sets, sum.what, sizeof s->best->sets);
    }
    return 0;
}

static int on_profile(void *user, const char *name, int is_dir)
{
    ntb_scan *s = user;
    char parent[600];
    if (!is_dir)
        return 0;
    sp_strlcpy(parent, s->dir, sizeof parent);
    snprintf(s->dir, sizeof s->dir, "%.260s\\%.100s\\" NTB_LOGS, parent, name);
    s->ctx->sys->ops->dir_enum(s->ctx->sys, s->dir, on_log, s); /* no logs: nothing to say */
    sp_strlcpy(s->dir, parent, sizeof s->dir);
    return s->st != SP_OK;
}

static sp_status find_ntbackup(sp_run_ctx *ctx, sp_findings *out, last_backup *best)
{
    sp_sys *sys = ctx->sys;
    ntb_scan s;
    char pd[520], idate[8];
    uint32_t bias = 0;
    memset(&s, 0, sizeof s);
    s.ctx = ctx, s.out = out, s.best = best;
    /* Profiles live beside All Users: C:\Documents and Settings\<name>. */
    sp_status st = sys->ops->folder(sys, SP_FOLDER_PROGRAMDATA, pd, sizeof pd);
    if (st != SP_OK)
        return st;
    for (int up = 0; up < 2; up++) {
        char *sep = strrchr(pd, '\\');
        if (sep)
            *sep = '\0';
    }
    sp_strlcpy(s.dir, pd, sizeof s.dir);
    /* NTBackup writes dates in the short date order of the account; read as the server's. */
    if (sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, "HKCU\\Control Panel\\International", "iDate",
                          idate, sizeof idate) == SP_OK)
        s.day_first = idate[0] == '1';
    if (sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation",
                         "ActiveTimeBias", &bias) != SP_OK)
        sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation",
                         "Bias", &bias);
    s.bias = (int64_t)(int32_t)bias * 60;
    st = sys->ops->dir_enum(sys, s.dir, on_profile, &s);
    if (st != SP_OK)
        return sp_findings_add(out, SP_SEV_WARNING, "backup.profiles_unlisted", IDS_F_BK_LOG_BAD,
                               IDS_F_BK_LOG_BAD_ADVICE, s.dir, sys->last_error);
    if (s.st != SP_OK)
        return s.st;
    /* The Application log's NTBackup events do not depend on the language of the logs. */
    event_scan es = {"NTBackup", ntb_ok, ntb_bad, sizeof ntb_ok / sizeof ntb_ok[0],
                     sizeof ntb_bad / sizeof ntb_bad[0], 0, 0, 0, 0};
    if (read_backup_events(ctx, out, NTB_LOG, IDS_BK_SRC_NTB, &es, &st) && st == SP_OK) {
        st = report_failed_attempt(out, &es, NTB_LOG, best->found ? best->time : 0);
        if (st == SP_OK && es.ok_time && !best->found) {
            char when[64];
            when_text(es.ok_time, when, sizeof when);
            st = sp_findings_add(out, SP_SEV_WARNING, "backup.ntbackup_event_nolog", IDS_F_BK_NTB_EVENT_NOLOG,
                                 IDS_F_BK_NTB_EVENT_NOLOG_ADVICE, when, NTB_LOG " event 8001, source NTBackup");
        }
    }
    return st;
}

/* ---- Windows Server Backup (2008 and later) ----------------------------------------- */

static sp_status find_wbadmin(sp_run_ctx *ctx, sp_findings *out, last_backup *best)
{
    static const char *const argv[] = {"wbadmin", "get", "versions", NULL};
    sp_sys *sys = ctx->sys;
    char *text = NULL, err[200];
    size_t len = 0;
    int code = 0;
    sp_wb_versions v;
    sp_status st = sys->ops->proc_run(sys, argv, WBADMIN_LIST_MS, &text, &len, &code);
    if (st != SP_OK)
        return sp_findings_add(out, SP_SEV_ERROR, "backup.wbadmin_failed", IDS_F_BK_WBADMIN_BAD,
                               IDS_F_BK_WBADMIN_BAD_ADVICE, sp_status_name(st), sys->last_error);
    st = sp_wbadmin_parse_versions_lang(text, len, ui_language(ctx), &v, err, sizeof err);
    if (st == SP_ERR_BADDATA) {
        best->unreadable = 1;
        st = sp_findings_add(out, SP_SEV_ERROR, "backup.wbadmin_bad", IDS_F_BK_WBADMIN_BAD,
                             IDS_F_BK_WBADMIN_BAD_ADVICE, err, text);
    } else if (st == SP_OK) {
        const sp_wb_version *f = sp_wb_latest_full(&v);
        if (f) {
            best->found = 1;
            best->time = f->time;
            best->wbadmin = 1;
            sp_strlcpy(best->id, f->id, sizeof best->id);
            sp_strlcpy(best->where, f->target, sizeof best->where);
        }
        sp_wb_versions_free(&v);
    }
    free(text);
    if (st != SP_OK)
        return st;
    /* The channel says what happened whatever the language; the versions list stays the key. */
    event_scan es = {NULL, wb_ok, wb_bad, sizeof wb_ok / sizeof wb_ok[0], sizeof wb_bad / sizeof wb_bad[0],
                     0, 0, 0, 0};
    sp_status est;
    if (read_backup_events(ctx, out, WB_CHANNEL, IDS_BK_SRC_WB, &es, &est) && est == SP_OK) {
        est = report_failed_attempt(out, &es, WB_CHANNEL, best->found ? best->time : 0);
        /* A success a day after the newest full version: that backup is not in the list. */
        if (est == SP_OK && es.ok_time && (!best->found || es.ok_time > best->time + 86400)) {
            char when[64];
            when_text(es.ok_time, when, sizeof when);
            est = sp_findings_add(out, SP_SEV_WARNING, "backup.event_unlisted", IDS_F_BK_EVENT_UNLISTED,
                                  IDS_F_BK_EVENT_UNLISTED_ADVICE, when, WB_CHANNEL " event 4");
        }
    }
    return est;
}

/* The volumes the backup must hold, with the first reason for each. */
static sp_status say_needs(sp_findings *out, const backup_needs *n)
{
    char list[100], why[1200];
    size_t len = 0;
    sp_datavols_list(&n->vols, list, sizeof list);
    why[0] = '\0';
    for (size_t i = 0; i < n->vols.count && len + 8 < sizeof why; i++)
        len += (size_t)snprintf(why + len, sizeof why - len, "%s%c: %s", i ? "; " : "",
                                n->vols.vols[i].letter, n->vols.vols[i].why);
    if (len >= sizeof why)
        len = sizeof why - 1;
    return sp_findings_add(out, SP_SEV_INFO, "backup.volumes_needed", IDS_F_BK_VOLUMES_NEEDED,
                           IDS_F_BK_VOLUMES_NEEDED_ADVICE, list, why);
}

/* Where the shares came from: a source that failed is said; with both failed the volumes of
 * the shares are unknown, an error (*unknown set): the step cannot pass on what it cannot see. */
static sp_status say_share_sources(sp_findings *out, const backup_needs *n, int *unknown)
{
    const sp_datavols *v = &n->vols;
    char ev[520];
    *unknown = v->reg_error[0] && v->net_error[0];
    if (*unknown) {
        snprintf(ev, sizeof ev, "NetShareEnum: %s; registry: %s", v->net_error, v->reg_error);
        return sp_findings_add(out, SP_SEV_ERROR, "backup.shares_unread", IDS_F_BK_SHARES_UNREAD,
                               IDS_F_BK_SHARES_UNREAD_ADVICE, NULL, ev);
    }
    if (v->net_error[0]) {
        snprintf(ev, sizeof ev, "%s; the registry lists %u disk shares", v->net_error, v->reg_shares);
        return sp_findings_add(out, SP_SEV_WARNING, "backup.shares_source_failed", IDS_F_BK_SHARES_SOURCE,
                               IDS_F_BK_SHARES_SOURCE_NET_ADVICE, "NetShareEnum", ev);
    }
    if (v->reg_error[0]) {
        snprintf(ev, sizeof ev, "%s; NetShareEnum serves %u disk shares", v->reg_error, v->net_shares);
        return sp_findings_add(out, SP_SEV_WARNING, "backup.shares_source_failed", IDS_F_BK_SHARES_SOURCE,
                               IDS_F_BK_SHARES_SOURCE_REG_ADVICE, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Shares", ev);
    }
    return SP_OK;
}

/* "C:" in NTBackup's list of sets ("C:, D: Data, System State"): at the start of an entry. */
static int ntb_has_volume(const char *sets, char letter)
{
    for (const char *p = sets; *p; p++)
        if ((p == sets || (p[-1] == ' ' && p - sets >= 2 && p[-2] == ',')) &&
            (*p & ~0x20) == (letter & ~0x20) && p[1] == ':')
            return 1;
    return 0;
}

/* Whether the backup holds every needed volume; *ok cleared, with an error naming the volume,
 * when one is missing or the contents could not be read. */
static sp_status check_contents(sp_run_ctx *ctx, sp_findings *out, const last_backup *b,
                                const backup_needs *n, int *ok)
{
    sp_sys *sys = ctx->sys;
    sp_wb_items items;
    int wb = b->wbadmin;
    sp_status st = SP_OK;
    if (wb) {
        char version[48], err[400], cmd[96];
        char *text = NULL;
        size_t len = 0;
        int code = -1;
        snprintf(version, sizeof version, "-version:%s", b->id);
        snprintf(cmd, sizeof cmd, "wbadmin get items %s", version);
        const char *argv[] = {"wbadmin", "get", "items", version, NULL};
        st = sys->ops->proc_run(sys, argv, WBADMIN_LIST_MS, &text, &len, &code);
        if (st != SP_OK) {
            snprintf(err, sizeof err, "%s: %s", sp_status_name(st), sys->last_error);
            st = SP_ERR_BADDATA;
        } else {
            st = sp_wbitems_parse(text, len, &items, err, sizeof err);
            if (st == SP_OK && code != 0)
                snprintf(err, sizeof err, "wbadmin exit code %d", code), st = SP_ERR_BADDATA;
        }
        free(text);
        if (st == SP_ERR_NOMEM)
            return st;
        if (st != SP_OK) {
            *ok = 0;
            return sp_findings_add(out, SP_SEV_ERROR, "backup.items_unreadable", IDS_F_BK_ITEMS_UNREAD,
                                   IDS_F_BK_ITEMS_UNREAD_ADVICE, err, cmd);
        }
    } else if (strlen(b->sets) + 12 >= sizeof b->sets) {
        *ok = 0;
        return sp_findings_add(out, SP_SEV_ERROR, "backup.sets_unreadable", IDS_F_BK_SETS_UNREAD,
                               IDS_F_BK_SETS_UNREAD_ADVICE, b->where, b->sets);
    }
    for (size_t i = 0; st == SP_OK && i < n->vols.count; i++) {
        const sp_datavol *v = &n->vols.vols[i];
        char name[4] = {v->letter, ':', 0, 0};
        if (wb ? sp_wb_items_has(&items, v->letter) : ntb_has_volume(b->sets, v->letter))
            continue;
        *ok = 0;
        st = sp_findings_add(out, SP_SEV_ERROR, "backup.volume_missing", IDS_F_BK_VOLUME_MISSING,
                             wb ? IDS_F_BK_VOLUME_MISSING_WB_ADVICE : IDS_F_BK_VOLUME_MISSING_NTB_ADVICE,
                             name, v->why);
    }
    return st;
}

/* A backup older than the tombstone lifetime cannot restore the directory (domain controllers). */
static sp_status check_tombstone(sp_run_ctx *ctx, sp_findings *out, const last_backup *b,
                                 const backup_needs *n, int *ok)
{
    char when[64], days[32], why[300];
    sp_status st = SP_OK;
    if (!ctx->info || !ctx->info->is_dc)
        return SP_OK;
    snprintf(days, sizeof days, "%u", n->ad.tombstone_days);
    if (!n->ad.read)
        st = sp_findings_add(out, SP_SEV_WARNING, "backup.tombstone_unread", IDS_F_BK_TOMBSTONE_UNREAD,
                             IDS_F_BK_TOMBSTONE_UNREAD_ADVICE, NULL, n->ad.error);
    else
        st = sp_findings_add(out, SP_SEV_INFO, "backup.tombstone", IDS_F_BK_TOMBSTONE_OK, 0, days,
                             n->ad.tombstone_default ? "tombstoneLifetime is not set: the default"
                                                     : "tombstoneLifetime of CN=Directory Service");
    int64_t age = ctx->sys->ops->time_now(ctx->sys) - b->time;
    if (st == SP_OK && age > (int64_t)n->ad.tombstone_days * 86400) {
        when_text(b->time, when, sizeof when);
        snprintf(why, sizeof why, "backup %lld days old, tombstone lifetime %u days%s",
                 (long long)(age / 86400), n->ad.tombstone_days, n->ad.read ? "" : " (assumed)");
        *ok = 0;
        st = sp_findings_add(out, SP_SEV_ERROR, "backup.older_than_tombstone", IDS_F_BK_TOMBSTONE,
                             IDS_F_BK_TOMBSTONE_ADVICE, when, why);
    }
    return st;
}

/* Finds the last full backup and says what it found; *ok when it is new enough and holds
 * every volume the migration needs. */
static sp_status assess_backup(sp_run_ctx *ctx, sp_findings *out, last_backup *b, int *ok,
                               const backup_needs *needs)
{
    char when[64];
    sp_status st;
    int shares_unknown = 0;
    memset(b, 0, sizeof *b);
    *ok = 0;
    st = say_needs(out, needs);
    if (st == SP_OK)
        st = say_share_sources(out, needs, &shares_unknown);
    if (st == SP_OK)
        st = uses_wbadmin(ctx) ? find_wbadmin(ctx, out, b) : find_ntbackup(ctx, out, b);
    if (st != SP_OK)
        return st;
    if (!b->found && b->unreadable)
        return SP_OK; /* what could not be read is said (backup.wbadmin_bad, backup.log_bad) */
    if (!b->found)
        return sp_findings_add(out, SP_SEV_ERROR, "backup.none", IDS_F_BK_NONE,
                               uses_wbadmin(ctx) ? IDS_F_BK_NONE_WBADMIN : IDS_F_BK_NONE_NTBACKUP,
                               NULL, NULL);
    when_text(b->time, when, sizeof when);
    st = sp_findings_add(out, SP_SEV_INFO, "backup.last_full", IDS_F_BK_LAST_FULL, 0, when, b->where);
    int64_t changed = ctx->journal ? sp_journal_last_change(ctx->journal) : 0;
    if (st == SP_OK && changed > b->time) {
        char ch[64];
        when_text(changed, ch, sizeof ch);
        return sp_findings_add(out, SP_SEV_ERROR, "backup.older_than_changes", IDS_F_BK_OLDER,
                               IDS_F_BK_OLDER_ADVICE, when, ch);
    }
    *ok = st == SP_OK;
    if (st == SP_OK)
        st = check_tombstone(ctx, out, b, needs, ok);
    if (st == SP_OK)
        st = check_contents(ctx, out, b, needs, ok);
    if (st != SP_OK || shares_unknown)
        *ok = 0;
    return st;
}

/* ---- The drill's record ------------------------------------------------------------- */

static sp_status add_file_finding(sp_findings *out, const cJSON *f)
{
    static const struct {
        const char *name, *code;
        sp_severity sev;
        unsigned title, advice;
    } kinds[] = {
        {"match", "backup.file_match", SP_SEV_INFO, IDS_F_BK_FILE_MATCH, 0},
        {"differs", "backup.file_differs", SP_SEV_ERROR, IDS_F_BK_FILE_DIFFERS, IDS_F_BK_FILE_DIFFERS_ADVICE},
        {"missing", "backup.file_missing", SP_SEV_ERROR, IDS_F_BK_FILE_MISSING, IDS_F_BK_FILE_MISSING_ADVICE},
        {"unreadable", "backup.file_unreadable", SP_SEV_ERROR, IDS_F_BK_FILE_UNREADABLE, IDS_F_BK_FILE_UNREADABLE_ADVICE},
        {"source_gone", "backup.file_gone", SP_SEV_WARNING, IDS_F_BK_FILE_GONE, IDS_F_BK_FILE_GONE_ADVICE},
    };
    const char *path = data_string(f, "path", "?");
    const char *outcome = data_string(f, "outcome", "?");
    const char *sha = data_string(f, "sha256", "");
    const cJSON *off = cJSON_GetObjectItemCaseSensitive(f, "offset");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(f, "size");
    char evidence[700];
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(kinds[i].name, outcome) != 0)
            continue;
        int n = snprintf(evidence, sizeof evidence, "outcome=%s size=%.0f", outcome,
                         cJSON_IsNumber(size) ? size->valuedouble : 0.0);
        if (cJSON_IsNumber(off) && n > 0 && (size_t)n < sizeof evidence)
            n += snprintf(evidence + n, sizeof evidence - (size_t)n, " offset=%.0f", off->valuedouble);
        if (n > 0 && (size_t)n < sizeof evidence)
            snprintf(evidence + n, sizeof evidence - (size_t)n, " sha256=%s restored=%.400s",
                     sha[0] ? sha : "-", data_string(f, "restored", "-"));
        return sp_findings_add(out, kinds[i].sev, kinds[i].code, kinds[i].title, kinds[i].advice,
                               path, evidence);
    }
    return SP_OK;
}

/* What the recorded drill says for this backup: 1 passed, 0 not run or failed. */
static sp_status report_drill(sp_run_ctx *ctx, sp_findings *out, const last_backup *b, int *passed)
{
    cJSON *data = step_data(ctx);
    const cJSON *drill = data ? cJSON_GetObjectItemCaseSensitive(data, "drill") : NULL;
    const cJSON *bt = drill ? cJSON_GetObjectItemCaseSensitive(drill, "backup_time") : NULL;
    const cJSON *files = drill ? cJSON_GetObjectItemCaseSensitive(drill, "files") : NULL;
    const cJSON *f;
    char num[32];
    size_t bad = 0, n = 0;
    sp_status st = SP_OK;
    *passed = 0;
    if (!drill || !cJSON_IsNumber(bt) || (int64_t)bt->valuedouble != b->time || !cJSON_IsArray(files))
        return sp_findings_add(out, SP_SEV_WARNING, "backup.drill_not_run", IDS_F_BK_DRILL_NOT_RUN,
                               IDS_F_BK_DRILL_NOT_RUN_ADVICE, NULL, NULL);
    cJSON_ArrayForEach(f, files) {
        n++;
        bad += strcmp(data_string(f, "outcome", ""), "match") != 0;
    }
    if (n && !bad) {
        snprintf(num, sizeof num, "%lu", (unsigned long)n);
        st = sp_findings_add(out, SP_SEV_INFO, "backup.drill_passed", IDS_F_BK_DRILL_PASSED, 0, num,
                             data_string(drill, "folder", NULL));
        *passed = 1;
    } else {
        snprintf(num, sizeof num, "%lu", (unsigned long)(n ? bad : 0));
        st = sp_findings_add(out, SP_SEV_ERROR, "backup.drill_failed", IDS_F_BK_DRILL_FAILED,
                             IDS_F_BK_RESAMPLE_ADVICE, num, data_string(drill, "folder", NULL));
    }
    /* Problems first, so the list opens on what to fix; then every file with its SHA-256. */
    for (int pass = 0; pass < 2 && st == SP_OK; pass++)
        cJSON_ArrayForEach(f, files) {
            int ok = strcmp(data_string(f, "outcome", ""), "match") == 0;
            if (ok == pass && (st = add_file_finding(out, f)) != SP_OK)
                break;
        }
    return st;
}

/* The verdict first, then what is wrong, then the notes, then every matching file: the list
 * opens on what the user must read. Stable, so each group keeps the order it was found in. */
static int rank(const sp_finding *x)
{
    if (strcmp(x->code, "backup.drill_passed") == 0 || strcmp(x->code, "backup.drill_failed") == 0)
        return 0;
    if (strcmp(x->code, "backup.file_match") == 0)
        return 4;
    return x->severity == SP_SEV_ERROR ? 1 : x->severity == SP_SEV_WARNING ? 2 : 3;
}

static void order_findings(sp_findings *f)
{
    for (size_t i = 1; i < f->count; i++) {
        sp_finding x = f->items[i];
        size_t j = i;
        for (; j > 0 && rank(&f->items[j - 1]) > rank(&x); j--)
            f->items[j] = f->items[j - 1];
        f->items[j] = x;
    }
}

static sp_status backup_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    last_backup b;
    backup_needs needs;
    int ok = 0, passed = 0;
    sp_status st = add_guidance(ctx, out);
    *result = SP_RESULT_FAILED;
    read_needs(ctx, &needs);
    if (st == SP_OK)
        st = assess_backup(ctx, out, &b, &ok, &needs);
    if (st == SP_OK && ok)
        st = report_drill(ctx, out, &b, &passed);
    if (st == SP_OK && ok && passed)
        *result = SP_RESULT_PASSED;
    order_findings(out);
    return st;
}

/* ---- Starting a backup (wbadmin) ------------------------------------------------------ */

typedef struct {
    sp_run_ctx *ctx;
    char last_error_line[200];
    unsigned volumes, volume, last_pct, shown;
    int copying; /* a percentage was seen: the volumes were listed before */
} wb_progress;

/* How many volumes a line names: "(C:)", "Local Disk(D:)" and their like in any language. */
static unsigned volumes_named(const char *line)
{
    unsigned n = 0;
    for (const char *p = line; (p = strstr(p, ":)")) != NULL; p += 2)
        if (p > line && ((p[-1] | 0x20) >= 'a' && (p[-1] | 0x20) <= 'z') && (p - 1 == line || p[-2] == '('))
            n++;
    return n;
}

/* wbadmin counts each volume from 0% to 100%: the bar shows the whole backup. How many volumes
 * it backs up: at least those of -include:, and as many as the line that lists them before the
 * copying starts names ("This will back up (C:),Local Disk(D:) to E:.", "Hiermit wird (C:),...
 * gesichert."): counted by their drive letters, never by the words around them. */
static int on_backup_line(void *user, const char *line)
{
    wb_progress *w = user;
    int pct = sp_wbadmin_progress(line);
    if (pct < 0 && !w->copying) {
        unsigned named = volumes_named(line);
        if (named > w->volumes)
            w->volumes = named;
    }
    if (pct >= 0) {
        w->copying = 1;
        if ((unsigned)pct < w->last_pct)
            w->volume++; /* the next volume started */
        w->last_pct = (unsigned)pct;
        unsigned n = w->volumes > w->volume ? w->volumes : w->volume + 1;
        unsigned permille = (w->volume * 1000 + (unsigned)pct * 10) / n;
        if (permille < w->shown)
            permille = w->shown; /* never backwards, even when the count was wrong */
        w->shown = permille;
        sp_progress(w->ctx, permille, line);
    }
    if (sp_wbadmin_error_line(line) || strstr(line, "did not complete") || strstr(line, "stopped before"))
        sp_strlcpy(w->last_error_line, line, sizeof w->last_error_line);
    return sp_cancelled(w->ctx);
}

/* A target wbadmin accepts: a drive letter ("E:") or a share ("\\server\share"). */
static int valid_target(const char *t)
{
    size_t n = strlen(t);
    if (n == 2 && ((t[0] >= 'A' && t[0] <= 'Z') || (t[0] >= 'a' && t[0] <= 'z')) && t[1] == ':')
        return 1;
    return n > 4 && t[0] == '\\' && t[1] == '\\' && strchr(t + 2, '\\') && !strchr(t, '"');
}

/* Stop ends the job itself, not only the wbadmin client that started it (bounded: a minute). */
static void stop_wbadmin_job(sp_run_ctx *ctx)
{
    static const char *const argv[] = {"wbadmin", "stop", "job", "-quiet", NULL};
    char *text = NULL;
    size_t len = 0;
    int code = 0;
    ctx->sys->ops->proc_run(ctx->sys, argv, 60u * 1000u, &text, &len, &code);
    free(text);
}

/* Where NTBackup may write its .bkf file: a drive ("E:"), a folder on one ("E:\\Backups") or a
 * share, or the .bkf file itself ("E:\\Backups\\SBS01.bkf"); never a quote. */
static int valid_ntb_target(const char *t)
{
    size_t n = strlen(t);
    if (strchr(t, '"') || n >= 260)
        return 0;
    if (n >= 2 && ((t[0] >= 'A' && t[0] <= 'Z') || (t[0] >= 'a' && t[0] <= 'z')) && t[1] == ':')
        return n == 2 || (t[2] == '\\' && n > 3);
    return n > 4 && t[0] == '\\' && t[1] == '\\' && strchr(t + 2, '\\');
}

void sp_backup_bkf_path(const char *target, const char *computer, char *out, size_t outlen)
{
    size_t n = strlen(target);
    if (n > 4 && sp_strnicmp(target + n - 4, ".bkf", 4) == 0)
        snprintf(out, outlen, "%s", target);
    else
        snprintf(out, outlen, "%s%sSourcePrep %s.bkf", target, n && target[n - 1] == '\\' ? "" : "\\",
                 computer && computer[0] ? computer : "server");
}

/* The target of a new backup, when it is one: else a finding says why and *target is NULL.
 * wbadmin takes a drive or a share; NTBackup (ntb) a place for its .bkf file. */
static sp_status backup_target(sp_run_ctx *ctx, sp_findings *out, const backup_needs *needs, int ntb,
                               const char **target_out)
{
    sp_sys *sys = ctx->sys;
    const char *target = data_string(step_data(ctx), SP_BACKUP_KEY_TARGET, NULL);
    *target_out = NULL;
    if (!target)
        return sp_findings_add(out, SP_SEV_ERROR, "backup.no_target", IDS_F_BK_NO_TARGET,
                               ntb ? IDS_F_BK_NO_TARGET_NTB_ADVICE : IDS_F_BK_NO_TARGET_ADVICE, NULL, NULL);
    char win[260] = "C:\\WINDOWS";
    sys->ops->folder(sys, SP_FOLDER_WINDOWS, win, sizeof win);
    /* wbadmin refuses a target on a volume it backs up; the system volume always is one. A
     * .bkf file on a volume it backs up would be lost with that disk: refused as well. */
    if (!(ntb ? valid_ntb_target(target) : valid_target(target)) ||
        (target[1] == ':' && (target[0] | 0x20) == (win[0] | 0x20)))
        return sp_findings_add(out, SP_SEV_ERROR, "backup.bad_target", ntb ? IDS_F_BK_BAD_TARGET_NTB : IDS_F_BK_BAD_TARGET,
                               ntb ? IDS_F_BK_BAD_TARGET_NTB_ADVICE : IDS_F_BK_BAD_TARGET_ADVICE, target, NULL);
    for (size_t i = 0; target[1] == ':' && i < needs->vols.count; i++)
        if ((needs->vols.vols[i].letter | 0x20) == (target[0] | 0x20))
            return sp_findings_add(out, SP_SEV_ERROR, "backup.target_needed", IDS_F_BK_TARGET_NEEDED,
                                   ntb ? IDS_F_BK_TARGET_NEEDED_NTB_ADVICE : IDS_F_BK_TARGET_NEEDED_ADVICE,
                                   target, needs->vols.vols[i].why);
    *target_out = target;
    return SP_OK;
}

/* Server 2003: NTBackup backs up System State and every needed volume into one .bkf file (a
 * Normal backup, verified); it writes its log, which the next look reads like any other. */
static sp_status start_ntbackup(sp_run_ctx *ctx, sp_findings *out, const backup_needs *needs, int *done)
{
    sp_sys *sys = ctx->sys;
    const char *target = NULL;
    char file[400], vols[26][4];
    const char *argv[40];
    size_t n = 0;
    int code = -1;
    *done = 0;
    sp_status st = backup_target(ctx, out, needs, 1, &target);
    if (st != SP_OK || !target)
        return st;
    sp_backup_bkf_path(target, ctx->info ? ctx->info->os.computer : NULL, file, sizeof file);
    argv[n++] = "ntbackup", argv[n++] = "backup", argv[n++] = "systemstate";
    for (size_t i = 0; i < needs->vols.count; i++) {
        snprintf(vols[i], sizeof vols[i], "%c:\\", needs->vols.vols[i].letter);
        argv[n++] = vols[i];
    }
    argv[n++] = "/J", argv[n++] = "SourcePrep", argv[n++] = "/F", argv[n++] = file;
    argv[n++] = "/M", argv[n++] = "normal", argv[n++] = "/V:yes", argv[n] = NULL;
    st = sys->ops->proc_run_lines(sys, argv, WBADMIN_BACKUP_MS, NULL, NULL, ctx->cancel, &code);
    if (st == SP_ERR_CANCELLED)
        return st;
    if (st != SP_OK || code != 0) {
        char why[300];
        if (st != SP_OK)
            snprintf(why, sizeof why, "%s", sys->last_error);
        else
            snprintf(why, sizeof why, "ntbackup exit code %d", code);
        return sp_findings_add(out, SP_SEV_ERROR, "backup.backup_failed", IDS_F_BK_NTB_FAILED,
                               IDS_F_BK_NTB_FAILED_ADVICE, file, why);
    }
    *done = 1;
    return sp_findings_add(out, SP_SEV_INFO, "backup.backup_done", IDS_F_BK_NTB_DONE, 0, file, NULL);
}

static sp_status start_backup(sp_run_ctx *ctx, sp_findings *out, const backup_needs *needs, int *done)
{
    sp_sys *sys = ctx->sys;
    const char *target = NULL;
    char arg[300];
    int code = -1;
    wb_progress w;
    *done = 0;
    if (!uses_wbadmin(ctx))
        return start_ntbackup(ctx, out, needs, done);
    sp_status st0 = backup_target(ctx, out, needs, 0, &target);
    if (st0 != SP_OK || !target)
        return st0;
    char include[120] = "-include:";
    sp_datavols_list(&needs->vols, include + 9, sizeof include - 9);
    snprintf(arg, sizeof arg, "-backupTarget:%s", target);
    /* -allCritical for a bare-metal restore, -include: for every volume of the data as well. */
    const char *argv[] = {"wbadmin", "start", "backup", arg, include, "-allCritical", "-quiet", NULL};
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    w.volumes = include[9] ? 1 : 0;
    for (const char *c = include + 9; *c; c++)
        w.volumes += *c == ',';
    sp_status st = sys->ops->proc_run_lines(sys, argv, WBADMIN_BACKUP_MS, on_backup_line, &w,
                                            ctx->cancel, &code);
    if (st == SP_ERR_CANCELLED) {
        stop_wbadmin_job(ctx);
        return st;
    }
    if (st != SP_OK || code != 0) {
        char why[300];
        snprintf(why, sizeof why, "%s", st != SP_OK ? sys->last_error : w.last_error_line[0] ? w.last_error_line : "exit code");
        if (st == SP_OK && !w.last_error_line[0])
            snprintf(why, sizeof why, "wbadmin exit code %d", code);
        return sp_findings_add(out, SP_SEV_ERROR, "backup.backup_failed", IDS_F_BK_BACKUP_FAILED,
                               IDS_F_BK_BACKUP_FAILED_ADVICE, target, why);
    }
    *done = 1;
    return sp_findings_add(out, SP_SEV_INFO, "backup.backup_done", IDS_F_BK_BACKUP_DONE, 0, target, NULL);
}

/* ---- The drill ---------------------------------------------------------------------- */

typedef struct {
    sp_run_ctx *ctx;
    const char *root;
} sample_progress;

static void on_sampled(void *user, uint64_t seen)
{
    sample_progress *p = user;
    /* The tree's size is unknown until the end: creep towards a quarter of the bar. */
    unsigned permille = (unsigned)(250 - 250 * 4096 / (4096 + seen));
    sp_progress(p->ctx, permille, p->root);
}

/* The roots to sample: the step data's "roots", else every volume the migration needs (the
 * walk over all of them picks uniformly among their files: each volume weighs its file count). */
static size_t sample_roots(sp_run_ctx *ctx, cJSON *data, const char **roots, size_t max,
                           const backup_needs *needs, char (*vroots)[4])
{
    const cJSON *arr = data ? cJSON_GetObjectItemCaseSensitive(data, "roots") : NULL, *r;
    size_t n = 0;
    cJSON_ArrayForEach(r, arr) {
        if (n < max && cJSON_IsString(r) && r->valuestring && r->valuestring[0])
            roots[n++] = r->valuestring;
    }
    if (n)
        return n;
    for (size_t i = 0; i < needs->vols.count && n < max; i++) {
        snprintf(vroots[n], 4, "%c:\\", needs->vols.vols[i].letter);
        roots[n] = vroots[n];
        n++;
    }
    if (n)
        return n;
    char win[260] = "C:\\WINDOWS";
    ctx->sys->ops->folder(ctx->sys, SP_FOLDER_WINDOWS, win, sizeof win);
    snprintf(vroots[0], 4, "%c:\\", win[0]);
    roots[0] = vroots[0];
    return 1;
}

static int fntb_match(const void *rules, const char *path)
{
    return sp_fntb_match(rules, path);
}

/* The files to restore: the pending sample of this backup, or a fresh one. */
static sp_status choose_files(sp_run_ctx *ctx, sp_findings *out, const last_backup *b,
                              const backup_needs *needs, const char *folder, cJSON **files)
{
    cJSON *data = step_data(ctx);
    cJSON *pending = data ? cJSON_GetObjectItemCaseSensitive(data, "pending") : NULL;
    const cJSON *bt = pending ? cJSON_GetObjectItemCaseSensitive(pending, "backup_time") : NULL;
    const cJSON *k_item = data ? cJSON_GetObjectItemCaseSensitive(data, SP_BACKUP_KEY_K) : NULL;
    const char *roots[26];
    char vroots[26][4], num[32];
    sp_drill_sample s;
    *files = NULL;
    if (cJSON_IsNumber(bt) && (int64_t)bt->valuedouble == b->time) {
        *files = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(pending, "files"), 1);
        if (cJSON_GetArraySize(*files) > 0)
            return SP_OK;
        cJSON_Delete(*files);
        *files = NULL;
    }
    size_t k = cJSON_IsNumber(k_item) && k_item->valuedouble >= 1 && k_item->valuedouble <= SP_DRILL_MAX_K
                   ? (size_t)k_item->valuedouble
                   : SP_DRILL_DEFAULT_K;
    size_t nroots = sample_roots(ctx, data, roots, 26, needs, vroots);
    sample_progress sp = {ctx, roots[0]};
    uint64_t seed = (uint64_t)ctx->sys->ops->time_now(ctx->sys) * 0x9E3779B97F4A7C15ULL + (uintptr_t)&s;
    sp_fntb *fntb = malloc(sizeof *fntb);
    if (!fntb)
        return SP_ERR_NOMEM;
    sp_fntb_read(ctx->sys, fntb);
    const char *skip[] = {folder};
    /* Never the restore folder; never what no backup holds; with wbadmin, never a name with a
     * comma: -items: is a comma-separated list, so such a file cannot be restored by name. */
    sp_drill_options opt = {skip, 1, fntb_match, fntb, b->wbadmin};
    sp_status st = sp_drill_sample_tree_with(ctx->sys, roots, nroots, k, b->time, seed, ctx->cancel,
                                             on_sampled, &sp, &opt, &s);
    free(fntb);
    if (st != SP_OK)
        return st;
    /* What the walk left out, one finding per reason. */
    const struct {
        uint64_t n;
        sp_severity sev;
        const char *code, *example;
        unsigned title, advice;
    } left[] = {
        {s.not_backed_up, SP_SEV_INFO, "backup.not_backed_up", s.example_not_backed_up, IDS_F_BK_FNTB, IDS_F_BK_FNTB_ADVICE},
        {s.commas, SP_SEV_WARNING, "backup.comma_skipped", s.example_comma, IDS_F_BK_COMMA, IDS_F_BK_COMMA_ADVICE},
        {s.newer, SP_SEV_INFO, "backup.newer_skipped", s.example_newer, IDS_F_BK_NEWER, IDS_F_BK_NEWER_ADVICE},
        {s.excluded, SP_SEV_INFO, "backup.excluded", s.example_excluded, IDS_F_BK_EXCLUDED, IDS_F_BK_EXCLUDED_ADVICE},
        {s.unlisted_dirs, SP_SEV_WARNING, "backup.unlisted", s.example_unlisted, IDS_F_BK_UNLISTED, IDS_F_BK_UNLISTED_ADVICE},
    };
    for (size_t i = 0; st == SP_OK && i < sizeof left / sizeof left[0]; i++) {
        if (!left[i].n)
            continue;
        snprintf(num, sizeof num, "%llu", (unsigned long long)left[i].n);
        st = sp_findings_add(out, left[i].sev, left[i].code, left[i].title, left[i].advice, num, left[i].example);
    }
    if (st == SP_OK && s.count == 0)
        st = sp_findings_add(out, SP_SEV_ERROR, "backup.no_files", IDS_F_BK_NO_FILES, IDS_F_BK_NO_FILES_ADVICE,
                             roots[0], NULL);
    if (st == SP_OK && s.count) {
        *files = cJSON_CreateArray();
        for (size_t i = 0; *files && i < s.count; i++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "path", s.picks[i].path);
            cJSON_AddNumberToObject(f, "size", (double)s.picks[i].size);
            cJSON_AddItemToArray(*files, f);
        }
        if (!*files)
            st = SP_ERR_NOMEM;
    }
    sp_drill_sample_free(&s);
    return st;
}

/* wbadmin restores each file into folder\NN, so that equal names never collide. */
static sp_status restore_with_wbadmin(sp_run_ctx *ctx, sp_findings *out, const last_backup *b,
                                      const char *folder, cJSON *files, int *ok)
{
    sp_sys *sys = ctx->sys;
    cJSON *f;
    unsigned i = 0, n = (unsigned)cJSON_GetArraySize(files);
    *ok = 1;
    cJSON_ArrayForEach(f, files) {
        char dir[600], version[48], items[1100], target[640];
        const char *path = data_string(f, "path", "");
        int code = -1;
        i++;
        if (sp_cancelled(ctx))
            return SP_ERR_CANCELLED;
        sp_progress(ctx, 250 + 350 * i / (n + 1), path);
        snprintf(dir, sizeof dir, "%s\\%02u", folder, i);
        if (sys->ops->dir_create(sys, dir) != SP_OK)
            return sp_findings_add(out, SP_SEV_ERROR, "backup.bad_folder", IDS_F_BK_BAD_FOLDER,
                                   IDS_F_BK_BAD_FOLDER_ADVICE, folder, sys->last_error);
        snprintf(version, sizeof version, "-version:%s", b->id);
        snprintf(items, sizeof items, "-items:%s", path);
        snprintf(target, sizeof target, "-recoveryTarget:%s", dir);
        const char *argv[] = {"wbadmin", "start", "recovery", version, "-itemType:File", items,
                              target, "-overwrite:Overwrite", "-quiet", NULL};
        sp_status st = sys->ops->proc_run_lines(sys, argv, WBADMIN_RESTORE_MS, NULL, NULL, ctx->cancel, &code);
        if (st == SP_ERR_CANCELLED) {
            stop_wbadmin_job(ctx);
            return st;
        }
        if (st != SP_OK || code != 0) {
            char why[300];
            snprintf(why, sizeof why, "%s", st != SP_OK ? sys->last_error : "");
            if (st == SP_OK)
                snprintf(why, sizeof why, "wbadmin exit code %d", code);
            *ok = 0;
            /* Not compared: a copy left in the folder by an earlier run is not this restore. */
            cJSON_AddBoolToObject(f, "restore_failed", 1);
            if ((st = sp_findings_add(out, SP_SEV_ERROR, "backup.restore_failed", IDS_F_BK_RESTORE_FAILED,
                                      IDS_F_BK_RESTORE_FAILED_ADVICE, path, why)) != SP_OK)
                return st;
        }
    }
    return SP_OK;
}

/* The list for a technician who restores with NTBackup (or any tool), one path a line. */
static sp_status write_list(sp_run_ctx *ctx, sp_findings *out, const char *folder, cJSON *files)
{
    sp_sys *sys = ctx->sys;
    char state[600], list[640];
    size_t cap = 256, len = 0;
    const cJSON *f;
    sp_status st = sp_state_path(sys, state, sizeof state);
    if (st != SP_OK)
        return st;
    char *sep = strrchr(state, '\\');
    if (sep)
        *sep = '\0';
    snprintf(list, sizeof list, "%s\\drill-files.txt", state);
    cJSON_ArrayForEach(f, files) cap += strlen(data_string(f, "path", "")) + 2;
    char *text = malloc(cap);
    if (!text)
        return SP_ERR_NOMEM;
    cJSON_ArrayForEach(f, files) {
        const char *p = data_string(f, "path", "");
        size_t n = strlen(p);
        memcpy(text + len, p, n);
        memcpy(text + len + n, "\r\n", 2);
        len += n + 2;
    }
    /* The wizard's own output, like state.json: not a change to the server, not journaled. */
    st = sys->ops->file_write_atomic(sys, list, text, len);
    free(text);
    if (st != SP_OK)
        return st;
    return sp_findings_add(out, SP_SEV_WARNING, "backup.restore_needed", IDS_F_BK_LIST_WRITTEN,
                           IDS_F_BK_LIST_WRITTEN_ADVICE, folder, list);
}

static int any_restored(sp_run_ctx *ctx, const char *folder, cJSON *files)
{
    const cJSON *f;
    unsigned i = 0;
    cJSON_ArrayForEach(f, files) {
        char restored[1024];
        sp_filestat fs;
        if (sp_drill_restored_path(ctx->sys, folder, data_string(f, "path", ""), ++i,
                                   restored, sizeof restored) == SP_OK &&
            ctx->sys->ops->file_stat(ctx->sys, restored, &fs) == SP_OK && fs.exists)
            return 1;
    }
    return 0;
}

/* Compares every file and records the outcome (and the original's SHA-256) in it. */
static sp_status compare_all(sp_run_ctx *ctx, const char *folder, cJSON *files)
{
    unsigned char *buf = malloc(COMPARE_BUF);
    unsigned i = 0, n = (unsigned)cJSON_GetArraySize(files);
    cJSON *f;
    if (!buf)
        return SP_ERR_NOMEM;
    cJSON_ArrayForEach(f, files) {
        char restored[1024];
        sp_cmp_result r;
        const char *path = data_string(f, "path", "");
        i++;
        if (sp_cancelled(ctx)) {
            free(buf);
            return SP_ERR_CANCELLED;
        }
        sp_progress(ctx, 600 + 400 * i / (n + 1), path);
        sp_status st = sp_drill_restored_path(ctx->sys, folder, path, i, restored, sizeof restored);
        if (st == SP_OK)
            st = sp_drill_compare(ctx->sys, path, restored, buf, COMPARE_BUF, 1, ctx->cancel, &r);
        if (st != SP_OK) {
            free(buf);
            return st;
        }
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "restore_failed"))) {
            r.outcome = SP_CMP_MISSING;
            r.sha256[0] = '\0';
            cJSON_DeleteItemFromObject(f, "restore_failed");
        }
        cJSON_DeleteItemFromObject(f, "outcome");
        cJSON_DeleteItemFromObject(f, "offset");
        cJSON_DeleteItemFromObject(f, "sha256");
        cJSON_DeleteItemFromObject(f, "restored");
        cJSON_AddStringToObject(f, "outcome", sp_cmp_outcome_name(r.outcome));
        if (r.outcome == SP_CMP_DIFFERS)
            cJSON_AddNumberToObject(f, "offset", (double)r.offset);
        if (r.sha256[0])
            cJSON_AddStringToObject(f, "sha256", r.sha256);
        cJSON_AddStringToObject(f, "restored", restored);
    }
    free(buf);
    return SP_OK;
}

static void record_drill(sp_run_ctx *ctx, const last_backup *b, const char *folder, cJSON *files)
{
    cJSON *data = step_data(ctx), *drill;
    if (!data)
        return;
    cJSON_DeleteItemFromObject(data, "drill");
    drill = cJSON_AddObjectToObject(data, "drill");
    if (!drill)
        return;
    cJSON_AddNumberToObject(drill, "backup_time", (double)b->time);
    cJSON_AddNumberToObject(drill, "ran_at", (double)ctx->sys->ops->time_now(ctx->sys));
    cJSON_AddStringToObject(drill, "folder", folder);
    cJSON_AddItemToObject(drill, "files", cJSON_Duplicate(files, 1));
}

/* How many failed comparisons the pending sample of this backup has had. */
static int pending_failures(sp_run_ctx *ctx, const last_backup *b)
{
    cJSON *data = step_data(ctx);
    const cJSON *pending = data ? cJSON_GetObjectItemCaseSensitive(data, "pending") : NULL;
    const cJSON *bt = pending ? cJSON_GetObjectItemCaseSensitive(pending, "backup_time") : NULL;
    const cJSON *n = pending ? cJSON_GetObjectItemCaseSensitive(pending, "failures") : NULL;
    if (!cJSON_IsNumber(bt) || (int64_t)bt->valuedouble != b->time || !cJSON_IsNumber(n))
        return 0;
    return n->valueint;
}

static void keep_pending(sp_run_ctx *ctx, const last_backup *b, cJSON *files, int failures)
{
    cJSON *data = step_data(ctx), *pending;
    if (!data)
        return;
    cJSON_DeleteItemFromObject(data, "pending");
    if (!files)
        return;
    if ((pending = cJSON_AddObjectToObject(data, "pending"))) {
        cJSON_AddNumberToObject(pending, "backup_time", (double)b->time);
        cJSON_AddItemToObject(pending, "files", cJSON_Duplicate(files, 1));
        cJSON_AddNumberToObject(pending, "failures", failures);
    }
}

static sp_status run_drill(sp_run_ctx *ctx, sp_findings *out, const last_backup *b, const backup_needs *needs)
{
    const char *folder = data_string(step_data(ctx), SP_BACKUP_KEY_FOLDER, SP_BACKUP_DEFAULT_FOLDER);
    char folder_copy[520];
    cJSON *files = NULL;
    int restored = 1;
    sp_strlcpy(folder_copy, folder, sizeof folder_copy); /* step data changes below */
    folder = folder_copy;
    if (!(folder[0] && folder[1] == ':' && folder[2] == '\\') && !(folder[0] == '\\' && folder[1] == '\\'))
        return sp_findings_add(out, SP_SEV_ERROR, "backup.bad_folder", IDS_F_BK_BAD_FOLDER,
                               IDS_F_BK_BAD_FOLDER_ADVICE, folder, NULL);
    int failures = pending_failures(ctx, b);
    sp_status st = choose_files(ctx, out, b, needs, folder, &files);
    if (st != SP_OK || !files)
        return st;
    if (b->wbadmin)
        st = restore_with_wbadmin(ctx, out, b, folder, files, &restored);
    else if (!any_restored(ctx, folder, files)) {
        /* Nothing restored yet: the technician restores the list, then runs the drill again. */
        keep_pending(ctx, b, files, failures);
        st = write_list(ctx, out, folder, files);
        cJSON_Delete(files);
        return st;
    }
    if (st == SP_OK)
        st = compare_all(ctx, folder, files);
    if (st == SP_OK) {
        record_drill(ctx, b, folder, files);
        /* A failed drill keeps its sample once, so the same files can be restored again and
         * compared; after a second failure, or when it passed, or when originals are gone, the
         * next drill picks a new sample (never the same files for ever). wbadmin restores by
         * itself: its next drill is a new sample at once. */
        const cJSON *f;
        int keep = 0, gone = 0;
        cJSON_ArrayForEach(f, files) {
            const char *o = data_string(f, "outcome", "");
            keep |= strcmp(o, "match") != 0;
            gone |= strcmp(o, "source_gone") == 0;
        }
        keep_pending(ctx, b, keep && !gone && !b->wbadmin && failures < 1 ? files : NULL, failures + 1);
    }
    cJSON_Delete(files);
    return st;
}

static sp_status backup_apply(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    last_backup b;
    backup_needs needs;
    int ok = 0, passed = 0, started = 0;
    sp_findings scratch = {0};
    sp_status st = add_guidance(ctx, out);
    *result = SP_RESULT_FAILED;
    read_needs(ctx, &needs);
    if (st == SP_OK)
        st = assess_backup(ctx, &scratch, &b, &ok, &needs);
    if (st == SP_OK && !ok && (uses_wbadmin(ctx) || data_string(step_data(ctx), SP_BACKUP_KEY_TARGET, NULL))) {
        /* No usable backup: take one (wbadmin; NTBackup when a target is given), then look again. */
        st = start_backup(ctx, out, &needs, &started);
        if (st == SP_OK && started) {
            sp_findings_free(&scratch);
            st = assess_backup(ctx, &scratch, &b, &ok, &needs);
        }
    }
    for (size_t i = 0; st == SP_OK && i < scratch.count; i++) {
        const sp_finding *x = &scratch.items[i];
        st = sp_findings_add(out, x->severity, x->code, x->title_id, x->advice_id, x->arg, x->evidence);
    }
    sp_findings_free(&scratch);
    if (st == SP_OK && ok)
        st = run_drill(ctx, out, &b, &needs);
    if (st == SP_OK && ok) {
        /* The verdict comes from the record, exactly as a later check will see it. */
        sp_findings verdict = {0};
        st = report_drill(ctx, &verdict, &b, &passed);
        for (size_t i = 0; st == SP_OK && i < verdict.count; i++) {
            const sp_finding *x = &verdict.items[i];
            st = sp_findings_add(out, x->severity, x->code, x->title_id, x->advice_id, x->arg, x->evidence);
        }
        sp_findings_free(&verdict);
    }
    if (st == SP_OK && ok && passed)
        *result = SP_RESULT_PASSED;
    order_findings(out);
    return st;
}

const sp_step sp_step_backup = {"backup", backup_check, backup_apply};
