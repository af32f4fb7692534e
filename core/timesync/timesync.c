/* Time sync step: measures the clock against NTP servers (SNTP), compares time zones, spots
 * virtual machines, and applies w32tm's domain-hierarchy configuration with a service restart. */
#include "core/timesync/timesync.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/journal.h"
#include "core/msgids.h"
#include "core/timesync/sntp.h"
#include "core/step_table.h"

#define TS_ID "timesync"
#define TS_PARAMS "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters"
#define TS_CONFIG "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config"
#define TS_SERVICE "W32Time"
#define TS_SAMPLES 4
#define TS_TIMEOUT_MS 2000
#define TS_SVC_TIMEOUT_MS 30000
#define TS_W32TM_TIMEOUT_MS 60000
/* What /syncfromflags:domhier and /reliable:no write. */
#define TS_WANT_TYPE "NT5DS"
#define TS_WANT_ANNOUNCE 10u

static const char *const ts_w32tm_argv[] = {"w32tm", "/config", "/syncfromflags:domhier",
                                            "/reliable:no", "/update", NULL};

/* ---- Inputs ------------------------------------------------------------------------- */

static const char *stored_input(const sp_state *st, const char *key)
{
    const sp_step_state *s = st ? sp_state_step_const(st, TS_ID) : NULL;
    const cJSON *v = s && s->data ? cJSON_GetObjectItemCaseSensitive(s->data, key) : NULL;
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

const char *sp_timesync_input(const sp_state *st, const char *key)
{
    const char *val = stored_input(st, key);
    if (!*val && strcmp(key, SP_TS_NTP_SERVER) == 0)
        return SP_TS_DEFAULT_NTP;
    return val;
}

int sp_timesync_set_input(sp_state *st, const char *key, const char *value)
{
    sp_step_state *s = st ? sp_state_step(st, TS_ID) : NULL;
    char buf[256];
    size_t n;
    if (!s || !key)
        return 0;
    while (value && isspace((unsigned char)*value))
        value++;
    snprintf(buf, sizeof buf, "%s", value ? value : "");
    n = strlen(buf);
    while (n && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    /* Writing what is already in force (the default NTP server) changes nothing. */
    if (strcmp(stored_input(st, key), buf) == 0 || strcmp(sp_timesync_input(st, key), buf) == 0)
        return 0;
    if (!s->data && !(s->data = cJSON_CreateObject()))
        return 0;
    cJSON_DeleteItemFromObjectCaseSensitive(s->data, key);
    cJSON_AddStringToObject(s->data, key, buf);
    return 1;
}

sp_status sp_timesync_split_host(const char *in, char *host, size_t hostlen, unsigned *port)
{
    const char *colon = in ? strchr(in, ':') : NULL;
    size_t n;
    *port = SP_NTP_PORT;
    if (!in || !*in || hostlen == 0)
        return SP_ERR_INVALID;
    n = colon ? (size_t)(colon - in) : strlen(in);
    if (n == 0 || n >= hostlen || (colon && strchr(colon + 1, ':')))
        return SP_ERR_INVALID;
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)in[i]) || (unsigned char)in[i] < 0x20)
            return SP_ERR_INVALID;
    if (colon) {
        unsigned long p = 0;
        const char *d = colon + 1;
        if (!*d)
            return SP_ERR_INVALID;
        for (; *d; d++) {
            if (*d < '0' || *d > '9' || (p = p * 10 + (unsigned long)(*d - '0')) > 65535)
                return SP_ERR_INVALID;
        }
        if (p == 0)
            return SP_ERR_INVALID;
        *port = (unsigned)p;
    }
    memcpy(host, in, n);
    host[n] = '\0';
    return SP_OK;
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

const char *sp_timesync_vm_vendor(const char *text)
{
    static const struct {
        const char *marker, *vendor;
    } markers[] = {
        {"vmware", "VMware"},         {"virtualbox", "VirtualBox"}, {"vbox", "VirtualBox"},
        {"innotek", "VirtualBox"},    {"xen", "Xen"},               {"kvm", "KVM/QEMU"},
        {"qemu", "KVM/QEMU"},         {"bochs", "KVM/QEMU"},        {"vrtual", "Hyper-V"},
        {"virtual machine", "Hyper-V"}, {"hyper-v", "Hyper-V"},     {"parallels", "Parallels"},
    };
    if (!text)
        return NULL;
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (contains_nocase(text, markers[i].marker))
            return markers[i].vendor;
    return NULL;
}

/* ---- Check -------------------------------------------------------------------------- */

typedef struct {
    int service_present;
    int config_ok;
    int tz_ok;
    int offset_ok;
} ts_verdict;

/* A registry string or MULTI_SZ, flattened with "; ", appended to buf. */
static void append_reg_text(sp_sys *sys, const char *key, const char *value, char *buf, size_t n)
{
    sp_regval v = {0};
    if (sys->ops->reg_get(sys, SP_REG_VIEW_DEFAULT, key, value, &v) != SP_OK)
        return;
    if (v.type == SP_REG_SZ || v.type == SP_REG_EXPAND_SZ || v.type == SP_REG_MULTI_SZ) {
        size_t len = strlen(buf);
        for (size_t i = 0; i < v.size && v.data[i] != '\0' && len + 3 < n;) {
            size_t part = strnlen((const char *)v.data + i, v.size - i);
            len += (size_t)snprintf(buf + len, n - len, "%s%.*s", len ? "; " : "", (int)part,
                                    (const char *)v.data + i);
            if (len >= n)
                len = n - 1;
            i += part + 1;
            if (v.type != SP_REG_MULTI_SZ)
                break;
        }
    }
    sp_regval_free(&v);
}

/* The rest of the line that starts with label in w32tm's output, trimmed. */
static void line_after(const char *text, const char *label, char *out, size_t n)
{
    const char *p = text ? strstr(text, label) : NULL;
    size_t len = 0;
    out[0] = '\0';
    if (!p)
        return;
    p += strlen(label);
    while (*p == ' ' || *p == '\t')
        p++;
    while (p[len] && p[len] != '\r' && p[len] != '\n')
        len++;
    snprintf(out, n, "%.*s", (int)len, p);
}

static sp_status check_config(sp_run_ctx *ctx, sp_findings *out, ts_verdict *v)
{
    sp_sys *sys = ctx->sys;
    sp_svcinfo svc;
    char type[64] = "", server[256] = "", evidence[600], arg[128], last_sync[64] = "";
    char *status = NULL;
    uint32_t announce = 0;
    int has_announce;
    sp_status st = sys->ops->svc_query(sys, TS_SERVICE, &svc);
    if (st == SP_ERR_NOTFOUND)
        return sp_findings_add(out, SP_SEV_ERROR, "timesync.no_service", IDS_F_TS_NO_SERVICE,
                               IDS_F_TS_NO_SERVICE_ADVICE, NULL, sys->last_error);
    if (st != SP_OK)
        return st;
    v->service_present = 1;
    if (ctx->info && ctx->info->os.major >= 6) {
        const char *const argv[] = {"w32tm", "/query", "/status", NULL};
        int code = -1;
        if (sys->ops->proc_run(sys, argv, 20000, &status, NULL, &code) != SP_OK || code != 0) {
            free(status);
            status = NULL;
        }
    }
    line_after(status, "Last Successful Sync Time:", last_sync, sizeof last_sync);
    sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, TS_PARAMS, "Type", type, sizeof type);
    sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, TS_PARAMS, "NtpServer", server, sizeof server);
    has_announce = sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, TS_CONFIG, "AnnounceFlags",
                                    &announce) == SP_OK;
    snprintf(evidence, sizeof evidence,
             "Parameters\\Type=%s; Parameters\\NtpServer=%s; Config\\AnnounceFlags=%s%lu; "
             "service %s; last successful sync: %s",
             type[0] ? type : "(not set)", server[0] ? server : "(not set)",
             has_announce ? "" : "(not set) ", (unsigned long)announce,
             svc.state == SP_SVC_RUNNING ? "running" : "not running",
             last_sync[0] ? last_sync : "unknown (w32tm /query needs 2008 or later)");
    v->config_ok = strcmp(type, TS_WANT_TYPE) == 0 && has_announce && announce == TS_WANT_ANNOUNCE;
    snprintf(arg, sizeof arg, "Type %s, AnnounceFlags %lu", type[0] ? type : "not set",
             (unsigned long)announce);
    st = v->config_ok
             ? sp_findings_add(out, SP_SEV_INFO, "timesync.config_ok", IDS_F_TS_CONFIG_OK, 0, arg,
                               evidence)
             : sp_findings_add(out, SP_SEV_ERROR, "timesync.config", IDS_F_TS_CONFIG_BAD,
                               IDS_F_TS_CONFIG_BAD_ADVICE, arg, evidence);
    /* w32tm /query exists from 2008 on; "Local CMOS Clock" as the source means none at all. */
    if (st == SP_OK && status && contains_nocase(status, "Local CMOS Clock"))
        st = sp_findings_add(out, SP_SEV_WARNING, "timesync.cmos", IDS_F_TS_CMOS,
                             IDS_F_TS_CMOS_ADVICE, NULL, status);
    free(status);
    return st;
}

static sp_status check_time_zone(sp_run_ctx *ctx, sp_findings *out, ts_verdict *v)
{
    sp_sys *sys = ctx->sys;
    sp_timezone tz;
    char arg[300], evidence[300];
    const char *want = sp_timesync_input(ctx->state, SP_TS_DEST_TZ);
    sp_status st = sys->ops->time_zone ? sys->ops->time_zone(sys, &tz) : SP_ERR_UNSUPPORTED;
    if (st != SP_OK)
        return sp_findings_add(out, SP_SEV_ERROR, "timesync.tz_unknown", IDS_F_TS_TZ_UNKNOWN,
                               IDS_F_COULD_NOT_RUN_ADVICE, NULL, sys->last_error);
    snprintf(evidence, sizeof evidence, "this server: %s, UTC%+d:%02d; destination: %s",
             tz.standard_name, -tz.bias_minutes / 60, abs(tz.bias_minutes) % 60,
             *want ? want : "not entered");
    if (!*want)
        return sp_findings_add(out, SP_SEV_WARNING, "timesync.tz_ask", IDS_F_TS_TZ_ASK,
                               IDS_F_TS_TZ_ASK_ADVICE, tz.standard_name, evidence);
    /* Names compare without case: the wizard's list and Windows may differ only in that. */
    v->tz_ok = strlen(want) == strlen(tz.standard_name) && contains_nocase(tz.standard_name, want);
    if (v->tz_ok)
        return sp_findings_add(out, SP_SEV_INFO, "timesync.tz_same", IDS_F_TS_TZ_SAME, 0,
                               tz.standard_name, evidence);
    snprintf(arg, sizeof arg, "%s here, %s on the destination", tz.standard_name, want);
    return sp_findings_add(out, SP_SEV_ERROR, "timesync.tz_differ", IDS_F_TS_TZ_DIFFER,
                           IDS_F_TS_TZ_DIFFER_ADVICE, arg, evidence);
}

static sp_status check_vm(sp_run_ctx *ctx, sp_findings *out)
{
    char text[1024] = "";
    const char *vendor;
    /* 2008 and later name the maker here; 2003 only keeps the BIOS version strings. */
    append_reg_text(ctx->sys, "HKLM\\HARDWARE\\DESCRIPTION\\System\\BIOS", "SystemManufacturer",
                    text, sizeof text);
    append_reg_text(ctx->sys, "HKLM\\HARDWARE\\DESCRIPTION\\System\\BIOS", "SystemProductName",
                    text, sizeof text);
    append_reg_text(ctx->sys, "HKLM\\HARDWARE\\DESCRIPTION\\System", "SystemBiosVersion", text,
                    sizeof text);
    append_reg_text(ctx->sys, "HKLM\\HARDWARE\\DESCRIPTION\\System", "VideoBiosVersion", text,
                    sizeof text);
    vendor = sp_timesync_vm_vendor(text);
    if (!vendor)
        return SP_OK;
    return sp_findings_add(out, SP_SEV_WARNING, "timesync.vm", IDS_F_TS_VM, IDS_F_TS_VM_ADVICE,
                           vendor, text);
}

/* Measures one server; *ok is set when it answered. */
static sp_status measure(sp_run_ctx *ctx, const char *name, const char *code, int *ok,
                         sp_sntp_result *res, sp_findings *out)
{
    char host[256], arg[400], evidence[400], off[64];
    unsigned port;
    sp_status st;
    *ok = 0;
    if (sp_timesync_split_host(name, host, sizeof host, &port) != SP_OK) {
        snprintf(evidence, sizeof evidence, "\"%s\" is not a host name, an IPv4 address or "
                 "host:port", name);
        return sp_findings_add(out, SP_SEV_WARNING, code, IDS_F_TS_UNREACHABLE,
                               IDS_F_TS_UNREACHABLE_ADVICE, name, evidence);
    }
    st = sp_sntp_measure(ctx->sys, host, port, TS_SAMPLES, TS_TIMEOUT_MS, ctx->cancel, res);
    if (st == SP_ERR_CANCELLED || st == SP_ERR_NOMEM)
        return st;
    if (st != SP_OK)
        return sp_findings_add(out, SP_SEV_WARNING, code, IDS_F_TS_UNREACHABLE,
                               IDS_F_TS_UNREACHABLE_ADVICE, name, ctx->sys->last_error);
    *ok = 1;
    sp_sntp_format_offset(res->offset_us, off, sizeof off);
    snprintf(arg, sizeof arg, "%s (%s)", name, off);
    snprintf(evidence, sizeof evidence,
             "offset %s (server minus this server); round trip %lld.%03lld ms; stratum %u; "
             "reference %s; %u of %u requests answered",
             off, (long long)(res->delay_us / 1000), (long long)(res->delay_us % 1000),
             res->stratum, res->refid[0] ? res->refid : "-", res->answered, res->samples);
    if (llabs(res->offset_us) <= SP_TS_MAX_OFFSET_US)
        return sp_findings_add(out, SP_SEV_INFO, code, IDS_F_TS_OFFSET_OK, 0, arg, evidence);
    return sp_findings_add(out, SP_SEV_ERROR, code, IDS_F_TS_OFFSET_BAD, IDS_F_TS_OFFSET_BAD_ADVICE,
                           arg, evidence);
}

static sp_status check_offsets(sp_run_ctx *ctx, sp_findings *out, ts_verdict *v)
{
    const char *internet = sp_timesync_input(ctx->state, SP_TS_NTP_SERVER);
    const char *dest = sp_timesync_input(ctx->state, SP_TS_DESTINATION);
    sp_sntp_result inet_res, dest_res;
    int inet_ok = 0, dest_ok = 0;
    sp_progress(ctx, 100, internet);
    sp_status st = measure(ctx, internet, "timesync.internet", &inet_ok, &inet_res, out);
    if (st != SP_OK)
        return st;
    if (*dest) {
        sp_progress(ctx, 450, dest);
        st = measure(ctx, dest, "timesync.destination", &dest_ok, &dest_res, out);
        if (st != SP_OK)
            return st;
    } else {
        st = sp_findings_add(out, SP_SEV_INFO, "timesync.no_destination", IDS_F_TS_NO_DEST,
                             IDS_F_TS_NO_DEST_ADVICE, NULL, NULL);
    }
    /* The document's rule is about the destination; before it exists, true time stands in. */
    if (dest_ok)
        v->offset_ok = llabs(dest_res.offset_us) <= SP_TS_MAX_OFFSET_US;
    else if (inet_ok)
        v->offset_ok = llabs(inet_res.offset_us) <= SP_TS_MAX_OFFSET_US;
    return st;
}

static sp_status timesync_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    ts_verdict v = {0};
    sp_status st;
    *result = SP_RESULT_FAILED;
    if (sp_step_not_for_this_server(ctx, TS_ID)) {
        *result = SP_RESULT_NOT_APPLICABLE;
        return SP_OK;
    }
    /* The offsets first: they are what the user came for, at the top of the list. */
    st = check_offsets(ctx, out, &v);
    if (st == SP_OK && sp_cancelled(ctx))
        st = SP_ERR_CANCELLED;
    if (st == SP_OK) {
        sp_progress(ctx, 850, "Windows Time");
        st = check_config(ctx, out, &v);
    }
    if (st == SP_OK) {
        sp_progress(ctx, 900, "time zone");
        st = check_time_zone(ctx, out, &v);
    }
    if (st == SP_OK)
        st = check_vm(ctx, out);
    if (st != SP_OK)
        return st;
    sp_progress(ctx, 1000, "");
    *result = v.service_present && v.config_ok && v.tz_ok && v.offset_ok ? SP_RESULT_PASSED
                                                                          : SP_RESULT_FAILED;
    return SP_OK;
}

/* ---- Apply -------------------------------------------------------------------------- */

static sp_status timesync_apply(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    sp_sys *sys = ctx->sys;
    sp_regval type = {0}, announce = {0};
    char *output = NULL, cmd[128] = "";
    int code = -1;
    sp_status st;
    *result = SP_RESULT_FAILED;
    if (!ctx->journal)
        return sp_sys_fail(sys, SP_ERR_INVALID, "Time sync: no journal to record the changes in.");
    for (size_t i = 0; ts_w32tm_argv[i]; i++)
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), "%s%s", i ? " " : "",
                 ts_w32tm_argv[i]);
    /* The values w32tm is about to write, recorded with their old contents first so that
     * Undo brings back exactly the configuration found. */
    sp_progress(ctx, 50, "recording the Windows Time settings");
    st = sp_regval_set_sz(&type, TS_WANT_TYPE);
    if (st == SP_OK)
        st = sp_regval_set_dword(&announce, TS_WANT_ANNOUNCE);
    if (st == SP_OK)
        st = sp_journal_reg_set(ctx->journal, TS_ID, SP_REG_VIEW_DEFAULT, TS_PARAMS, "Type", &type);
    if (st == SP_OK)
        st = sp_journal_reg_set(ctx->journal, TS_ID, SP_REG_VIEW_DEFAULT, TS_CONFIG,
                                "AnnounceFlags", &announce);
    sp_regval_free(&type);
    sp_regval_free(&announce);
    if (st != SP_OK)
        return st;
    sp_progress(ctx, 250, cmd);
    st = sys->ops->proc_run(sys, ts_w32tm_argv, TS_W32TM_TIMEOUT_MS, &output, NULL, &code);
    if (st == SP_OK && code != 0)
        st = sp_sys_fail(sys, SP_ERR_IO, "%s exited with code %d: %s", cmd, code,
                         output ? output : "");
    if (st != SP_OK) {
        free(output);
        return st;
    }
    sp_progress(ctx, 450, "stopping Windows Time");
    st = sys->ops->svc_stop(sys, TS_SERVICE, TS_SVC_TIMEOUT_MS);
    if (st == SP_OK) {
        sp_progress(ctx, 600, "starting Windows Time");
        st = sys->ops->svc_start(sys, TS_SERVICE, TS_SVC_TIMEOUT_MS);
    }
    /* What counts is what the clock says now; what was done goes below the measurements. */
    if (st == SP_OK)
        st = timesync_check(ctx, out, result);
    if (st == SP_OK)
        st = sp_findings_add(out, SP_SEV_INFO, "timesync.w32tm", IDS_F_TS_RAN, 0, cmd, output);
    if (st == SP_OK)
        st = sp_findings_add(out, SP_SEV_INFO, "timesync.restarted", IDS_F_TS_RESTARTED, 0,
                             TS_SERVICE, NULL);
    free(output);
    return st;
}

const sp_step sp_step_timesync = {TS_ID, timesync_check, timesync_apply};
