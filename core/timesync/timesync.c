/* Time sync step: measures the clock against NTP servers (SNTP), compares time zones, spots
 * virtual machines, and applies w32tm's domain-hierarchy configuration with a service restart. */
#include "core/timesync/timesync.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/base/strutil.h"
#include "core/journal.h"
#include "core/msgids.h"
#include "core/timesync/sntp.h"
#include "core/timesync/tzrule.h"
#include "core/step_table.h"

#define TS_ID "timesync"
#define TS_PARAMS "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters"
#define TS_CONFIG "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Config"
#define TS_PROVIDERS "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\TimeProviders"
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
    int pdc_own_clock;  /* the PDC emulator on the document's configuration: its own clock */
    int inet_measured;  /* the Internet server answered */
    int64_t inet_offset_us;
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

/* What the registry says about Windows Time (issue 19: never w32tm /query's translated text). */
typedef struct {
    char type[64], server[256];
    uint32_t announce, max_pos, max_neg, client_enabled, server_enabled;
    int has_announce, has_max_pos, has_max_neg, has_client, has_server;
} ts_config;

static void read_config(sp_sys *sys, ts_config *c)
{
    memset(c, 0, sizeof *c);
    sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, TS_PARAMS, "Type", c->type, sizeof c->type);
    sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, TS_PARAMS, "NtpServer", c->server,
                      sizeof c->server);
    c->has_announce =
        sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, TS_CONFIG, "AnnounceFlags", &c->announce) == SP_OK;
    c->has_max_pos = sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, TS_CONFIG, "MaxPosPhaseCorrection",
                                      &c->max_pos) == SP_OK;
    c->has_max_neg = sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, TS_CONFIG, "MaxNegPhaseCorrection",
                                      &c->max_neg) == SP_OK;
    c->has_client = sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, TS_PROVIDERS "\\NtpClient",
                                     "Enabled", &c->client_enabled) == SP_OK;
    c->has_server = sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, TS_PROVIDERS "\\NtpServer",
                                     "Enabled", &c->server_enabled) == SP_OK;
}

static void dword_text(int has, uint32_t v, char *out, size_t n)
{
    if (!has)
        snprintf(out, n, "(not set)");
    else if (v == 0xFFFFFFFFu)
        snprintf(out, n, "0xFFFFFFFF (no limit)");
    else
        snprintf(out, n, "%lu", (unsigned long)v);
}

int sp_timesync_own_clock(const char *type, const char *ntp_server)
{
    return sp_stricmp(type, "NT5DS") == 0 || sp_stricmp(type, "NoSync") == 0 ||
           (sp_stricmp(type, "NTP") == 0 && !(ntp_server && *ntp_server));
}

/* Every SBS is its forest's PDC emulator; the domain hierarchy has no parent for it. */
static int is_pdc_emulator(const sp_run_ctx *ctx)
{
    return ctx->info && ctx->info->is_dc && ctx->info->is_sbs;
}

static sp_status check_config(sp_run_ctx *ctx, sp_findings *out, ts_verdict *v)
{
    sp_sys *sys = ctx->sys;
    sp_svcinfo svc;
    ts_config c;
    char evidence[900], arg[128], ann[32], pos[32], neg[32], cli[32], srv[32], word[16];
    sp_status st = sys->ops->svc_query(sys, TS_SERVICE, &svc);
    if (st == SP_ERR_NOTFOUND)
        return sp_findings_add(out, SP_SEV_ERROR, "timesync.no_service", IDS_F_TS_NO_SERVICE,
                               IDS_F_TS_NO_SERVICE_ADVICE, NULL, sys->last_error);
    if (st != SP_OK)
        return st;
    v->service_present = 1;
    read_config(sys, &c);
    dword_text(c.has_announce, c.announce, ann, sizeof ann);
    dword_text(c.has_max_pos, c.max_pos, pos, sizeof pos);
    dword_text(c.has_max_neg, c.max_neg, neg, sizeof neg);
    dword_text(c.has_client, c.client_enabled, cli, sizeof cli);
    dword_text(c.has_server, c.server_enabled, srv, sizeof srv);
    snprintf(evidence, sizeof evidence,
             "Parameters\\Type=%s; Parameters\\NtpServer=%s; Config\\AnnounceFlags=%s; "
             "Config\\MaxPosPhaseCorrection=%s; Config\\MaxNegPhaseCorrection=%s; "
             "TimeProviders\\NtpClient\\Enabled=%s; TimeProviders\\NtpServer\\Enabled=%s; "
             "service %s",
             c.type[0] ? c.type : "(not set)", c.server[0] ? c.server : "(not set)", ann, pos, neg,
             cli, srv, svc.state == SP_SVC_RUNNING ? "running" : "not running");
    v->config_ok = sp_stricmp(c.type, TS_WANT_TYPE) == 0 && c.has_announce &&
                   c.announce == TS_WANT_ANNOUNCE;
    snprintf(arg, sizeof arg, "Type=%s, AnnounceFlags=%lu", c.type[0] ? c.type : "-",
             (unsigned long)c.announce);
    st = v->config_ok
             ? sp_findings_add(out, SP_SEV_INFO, "timesync.config_ok", IDS_F_TS_CONFIG_OK, 0, arg,
                               evidence)
             : sp_findings_add(out, SP_SEV_ERROR, "timesync.config", IDS_F_TS_CONFIG_BAD,
                               IDS_F_TS_CONFIG_BAD_ADVICE, arg, evidence);
    /* The NTP client switched off leaves the service nothing to take time from. */
    if (st == SP_OK && c.has_client && c.client_enabled == 0)
        st = sp_findings_add(out, SP_SEV_WARNING, "timesync.client_off", IDS_F_TS_CLIENT_OFF,
                             IDS_F_TS_CLIENT_OFF_ADVICE, NULL, evidence);
    /* On the PDC emulator the document's configuration means the CMOS clock: the measured
     * offset decides (this step owns that verdict; the health rule time.local_clock refers
     * here). */
    if (st == SP_OK && is_pdc_emulator(ctx) && sp_timesync_own_clock(c.type, c.server)) {
        v->pdc_own_clock = 1;
        st = sp_findings_add(out, SP_SEV_INFO, "timesync.pdc_own_clock", IDS_F_TS_PDC_CLOCK,
                             IDS_F_TS_PDC_CLOCK_ADVICE,
                             c.type[0] ? c.type : sp_arg_ref(word, sizeof word, IDS_HA_NOT_SET, NULL), evidence);
    } else if (st == SP_OK && sp_timesync_own_clock(c.type, c.server) &&
               sp_stricmp(c.type, "NT5DS") != 0) {
        st = sp_findings_add(out, SP_SEV_WARNING, "timesync.cmos", IDS_F_TS_CMOS,
                             IDS_F_TS_CMOS_ADVICE, NULL, evidence);
    }
    return st;
}

/* The zone in force against the destination's, both by rule (bias and daylight dates). */
static sp_status check_time_zone(sp_run_ctx *ctx, sp_findings *out, ts_verdict *v)
{
    sp_sys *sys = ctx->sys;
    sp_timezone tz;
    sp_tz_rule here, there;
    char arg[300], evidence[1800], here_key[128] = "", want_key[128] = "", here_rule[200],
        there_rule[200] = "", why[600] = "";
    const char *want = sp_timesync_input(ctx->state, SP_TS_DEST_TZ);
    sp_status st = sys->ops->time_zone ? sys->ops->time_zone(sys, &tz) : SP_ERR_UNSUPPORTED;
    if (st != SP_OK)
        return sp_findings_add(out, SP_SEV_ERROR, "timesync.tz_unknown", IDS_F_TS_TZ_UNKNOWN,
                               IDS_F_COULD_NOT_RUN_ADVICE, NULL, sys->last_error);
    sp_tz_rule_of(&tz, &here);
    sp_tz_rule_describe(&here, here_rule, sizeof here_rule);
    if (sp_tz_current_key(sys, &tz, here_key, sizeof here_key) != SP_OK)
        snprintf(why, sizeof why, "; %s", sys->last_error);
    if (*want && sp_tz_resolve(sys, want, want_key, sizeof want_key) == SP_OK &&
        sp_tz_key_rule(sys, want_key, &there) == SP_OK)
        sp_tz_rule_describe(&there, there_rule, sizeof there_rule);
    else if (*want)
        snprintf(why + strlen(why), sizeof why - strlen(why), "; %s", sys->last_error);
    snprintf(evidence, sizeof evidence,
             "this server: %s (standard name \"%s\"%s%s), %s; destination: %s%s%s%s",
             here_key[0] ? here_key : "no matching zone key", tz.standard_name,
             tz.key_name[0] ? ", TimeZoneKeyName" : "", tz.key_name[0] ? "" : ", by TZI",
             here_rule, *want ? want : "not entered", there_rule[0] ? ", " : "", there_rule, why);
    if (!*want)
        return sp_findings_add(out, SP_SEV_WARNING, "timesync.tz_ask", IDS_F_TS_TZ_ASK,
                               IDS_F_TS_TZ_ASK_ADVICE, here_key[0] ? here_key : tz.standard_name,
                               evidence);
    if (!there_rule[0])
        return sp_findings_add(out, SP_SEV_ERROR, "timesync.tz_not_zone", IDS_F_TS_TZ_NOT_ZONE,
                               IDS_F_TS_TZ_NOT_ZONE_ADVICE, want, evidence);
    v->tz_ok = sp_tz_rule_equal(&here, &there);
    if (v->tz_ok)
        return sp_findings_add(out, SP_SEV_INFO, "timesync.tz_same", IDS_F_TS_TZ_SAME, 0,
                               want_key, evidence);
    snprintf(arg, sizeof arg, "%s \xe2\x86\x92 %s", /* this server -> the destination: the title says which */
             here_key[0] ? here_key : tz.standard_name, want_key);
    return sp_findings_add(out, SP_SEV_ERROR, "timesync.tz_differ", IDS_F_TS_TZ_DIFFER,
                           IDS_F_TS_TZ_DIFFER_ADVICE, arg, evidence);
}

/* The hypervisor's own time synchronisation, from the services and the registry: Hyper-V's
 * integration service and VMware Tools' "time.synchronize.tools.enable" equivalent. */
static sp_status check_vm_time_sync(sp_run_ctx *ctx, sp_findings *out, const char *vendor)
{
    sp_sys *sys = ctx->sys;
    sp_svcinfo svc;
    char evidence[400] = "";
    const char *which = NULL;
    if (sys->ops->svc_query(sys, "vmictimesync", &svc) == SP_OK &&
        svc.start_type != SP_SVC_START_DISABLED) {
        which = "Hyper-V";
        snprintf(evidence, sizeof evidence,
                 "service vmictimesync (Hyper-V Time Synchronization) %s, start %s",
                 svc.state == SP_SVC_RUNNING ? "running" : "not running",
                 svc.start_type == SP_SVC_START_AUTO ? "automatic" : "manual");
    } else {
        uint32_t on = 0;
        static const char vmkey[] = "HKLM\\SOFTWARE\\VMware, Inc.\\VMware Tools";
        if ((sys->ops->svc_query(sys, "VMTools", &svc) == SP_OK ||
             sys->ops->svc_query(sys, "VMware Tools", &svc) == SP_OK) &&
            sp_reg_get_dword(sys, SP_REG_VIEW_DEFAULT, vmkey, "TimeSyncEnabled", &on) == SP_OK &&
            on) {
            which = "VMware";
            snprintf(evidence, sizeof evidence,
                     "VMware Tools service %s; %s\\TimeSyncEnabled=%lu",
                     svc.state == SP_SVC_RUNNING ? "running" : "not running", vmkey,
                     (unsigned long)on);
        }
    }
    if (!which)
        return SP_OK;
    (void)vendor;
    return sp_findings_add(out, SP_SEV_WARNING, "timesync.vm_sync", IDS_F_TS_VM_SYNC,
                           strcmp(which, "Hyper-V") == 0 ? IDS_F_TS_VM_SYNC_HYPERV_ADVICE
                                                          : IDS_F_TS_VM_SYNC_VMWARE_ADVICE,
                           which, evidence);
}

static sp_status check_vm(sp_run_ctx *ctx, sp_findings *out)
{
    char text[1024] = "";
    const char *vendor;
    sp_status st = SP_OK;
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
    if (vendor)
        st = sp_findings_add(out, SP_SEV_WARNING, "timesync.vm", IDS_F_TS_VM, IDS_F_TS_VM_ADVICE,
                             vendor, text);
    if (st == SP_OK)
        st = check_vm_time_sync(ctx, out, vendor);
    return st;
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
    v->inet_measured = inet_ok;
    v->inet_offset_us = inet_ok ? inet_res.offset_us : 0;
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

int sp_timesync_correct_wanted(const sp_state *st)
{
    return sp_stricmp(sp_timesync_input(st, SP_TS_CORRECT), "yes") == 0;
}

static int inet_over_limit(const ts_verdict *v)
{
    return v->inet_measured && llabs(v->inet_offset_us) > SP_TS_MAX_OFFSET_US;
}

static sp_status run_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result, ts_verdict *v)
{
    sp_status st;
    memset(v, 0, sizeof *v);
    *result = SP_RESULT_FAILED;
    if (sp_step_not_for_this_server(ctx, TS_ID)) {
        *result = SP_RESULT_NOT_APPLICABLE;
        return SP_OK;
    }
    /* The offsets first: they are what the user came for, at the top of the list. */
    st = check_offsets(ctx, out, v);
    if (st == SP_OK && sp_cancelled(ctx))
        st = SP_ERR_CANCELLED;
    if (st == SP_OK) {
        sp_progress(ctx, 850, SP_REF(IDS_PG_WINDOWS_TIME));
        st = check_config(ctx, out, v);
    }
    /* The PDC emulator on its own clock and off by more than the limit: the one-time
     * correction is what brings it back (the document's configuration stays). */
    if (st == SP_OK && v->pdc_own_clock && inet_over_limit(v))
        st = sp_findings_add(out, SP_SEV_ERROR, "timesync.offer_correction",
                             IDS_F_TS_OFFER_CORRECTION, IDS_F_TS_OFFER_CORRECTION_ADVICE,
                             sp_timesync_input(ctx->state, SP_TS_NTP_SERVER),
                             sp_timesync_correct_wanted(ctx->state)
                                 ? "the correction is chosen: Apply makes it"
                                 : "the correction is not chosen");
    if (st == SP_OK) {
        sp_progress(ctx, 900, SP_REF(IDS_PG_TIME_ZONE));
        st = check_time_zone(ctx, out, v);
    }
    if (st == SP_OK)
        st = check_vm(ctx, out);
    if (st != SP_OK)
        return st;
    sp_progress(ctx, 1000, "");
    *result = v->service_present && v->config_ok && v->tz_ok && v->offset_ok ? SP_RESULT_PASSED
                                                                              : SP_RESULT_FAILED;
    return SP_OK;
}

static sp_status timesync_check(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    ts_verdict v;
    return run_check(ctx, out, result, &v);
}

/* ---- Apply -------------------------------------------------------------------------- */

/* Runs w32tm with argv; a non-zero exit is an error naming the command and its output. The
 * output is handed back in *output (may be NULL). */
static sp_status run_w32tm(sp_sys *sys, const char *const *argv, char **output)
{
    char cmd[400] = "";
    int code = -1;
    sp_status st;
    *output = NULL;
    for (size_t i = 0; argv[i]; i++)
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), "%s%s", i ? " " : "", argv[i]);
    st = sys->ops->proc_run(sys, argv, TS_W32TM_TIMEOUT_MS, output, NULL, &code);
    if (st == SP_OK && code != 0)
        st = sp_sys_fail(sys, SP_ERR_IO, "%s exited with code %d: %s", cmd, code,
                         *output ? *output : "");
    if (st != SP_OK) {
        free(*output);
        *output = NULL;
    }
    return st;
}

static sp_status journal_sz(sp_run_ctx *ctx, const char *key, const char *value, const char *sz)
{
    sp_regval v = {0};
    sp_status st = sp_regval_set_sz(&v, sz);
    if (st == SP_OK)
        st = sp_journal_reg_set(ctx->journal, TS_ID, SP_REG_VIEW_DEFAULT, key, value, &v);
    sp_regval_free(&v);
    return st;
}

/* The one-time correction (issue 16): the Internet server as a manual peer, w32tm /resync, a
 * new measurement, then back to the document's configuration. Each registry value is
 * journaled before it changes, so Undo brings back what was found; the clock itself, once
 * right, is not put back wrong. */
static sp_status correct_once(sp_run_ctx *ctx, sp_findings *out, int64_t before_us)
{
    sp_sys *sys = ctx->sys;
    const char *internet = sp_timesync_input(ctx->state, SP_TS_NTP_SERVER);
    char host[256], peer[280], peers_arg[300], old_server[256] = "", before[64], after[64],
        arg[200], evidence[1200];
    char *out1 = NULL, *out2 = NULL, *out3 = NULL;
    unsigned port;
    int had_server;
    sp_sntp_result res;
    sp_status st;
    if (sp_timesync_split_host(internet, host, sizeof host, &port) != SP_OK)
        return sp_sys_fail(sys, SP_ERR_INVALID, "\"%s\" is not a host name", internet);
    if (port != SP_NTP_PORT)
        return sp_findings_add(out, SP_SEV_ERROR, "timesync.correction_failed",
                               IDS_F_TS_CORRECTION_FAILED, IDS_F_TS_CORRECTION_PORT_ADVICE,
                               internet, "w32tm's peer list takes no port");
    snprintf(peer, sizeof peer, "%s,0x8", host);
    snprintf(peers_arg, sizeof peers_arg, "/manualpeerlist:%s", peer);
    had_server = sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT, TS_PARAMS, "NtpServer", old_server,
                                   sizeof old_server) == SP_OK;
    const char *const manual_argv[] = {"w32tm", "/config", peers_arg, "/syncfromflags:manual",
                                       "/update", NULL};
    const char *const resync_argv[] = {"w32tm", "/resync", NULL};
    sp_progress(ctx, 700, SP_REF(IDS_PG_CORRECTING));
    st = journal_sz(ctx, TS_PARAMS, "Type", "NTP");
    if (st == SP_OK)
        st = journal_sz(ctx, TS_PARAMS, "NtpServer", peer);
    if (st == SP_OK)
        st = run_w32tm(sys, manual_argv, &out1);
    if (st == SP_OK)
        st = run_w32tm(sys, resync_argv, &out2);
    /* Back to the document's configuration whatever the resync did. */
    {
        sp_status back = journal_sz(ctx, TS_PARAMS, "Type", TS_WANT_TYPE);
        if (back == SP_OK)
            back = had_server ? journal_sz(ctx, TS_PARAMS, "NtpServer", old_server)
                              : sp_journal_reg_delete(ctx->journal, TS_ID, SP_REG_VIEW_DEFAULT,
                                                      TS_PARAMS, "NtpServer");
        if (back == SP_OK)
            back = run_w32tm(sys, ts_w32tm_argv, &out3);
        if (st == SP_OK)
            st = back;
    }
    sp_sntp_format_offset(before_us, before, sizeof before);
    if (st == SP_OK)
        st = sp_sntp_measure(sys, host, port, TS_SAMPLES, TS_TIMEOUT_MS, ctx->cancel, &res);
    if (st == SP_OK) {
        sp_sntp_format_offset(res.offset_us, after, sizeof after);
        snprintf(arg, sizeof arg, "%s: %s \xe2\x86\x92 %s", internet, before, after); /* before -> after */
        snprintf(evidence, sizeof evidence,
                 "ran w32tm /config %s /syncfromflags:manual /update: %s; w32tm /resync: %s; "
                 "then back to w32tm /config /syncfromflags:domhier /reliable:no /update "
                 "(NtpServer %s again): %s",
                 peers_arg, out1 ? out1 : "", out2 ? out2 : "",
                 had_server ? old_server : "removed", out3 ? out3 : "");
        st = llabs(res.offset_us) <= SP_TS_MAX_OFFSET_US
                 ? sp_findings_add(out, SP_SEV_INFO, "timesync.corrected", IDS_F_TS_CORRECTED, 0,
                                   arg, evidence)
                 : sp_findings_add(out, SP_SEV_ERROR, "timesync.correction_failed",
                                   IDS_F_TS_CORRECTION_FAILED, IDS_F_TS_CORRECTION_FAILED_ADVICE,
                                   arg, evidence);
    }
    free(out1);
    free(out2);
    free(out3);
    return st;
}

static sp_status timesync_apply(sp_run_ctx *ctx, sp_findings *out, sp_result *result)
{
    sp_sys *sys = ctx->sys;
    sp_regval type = {0}, announce = {0};
    char *output = NULL, cmd[128] = "";
    sp_findings before = {0}, correction = {0};
    ts_verdict v;
    sp_status st;
    *result = SP_RESULT_FAILED;
    if (!ctx->journal)
        return sp_sys_fail(sys, SP_ERR_INVALID, "Time sync: no journal to record the changes in.");
    for (size_t i = 0; ts_w32tm_argv[i]; i++)
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), "%s%s", i ? " " : "",
                 ts_w32tm_argv[i]);
    /* The values w32tm is about to write, recorded with their old contents first so that
     * Undo brings back exactly the configuration found. */
    sp_progress(ctx, 50, SP_REF(IDS_PG_RECORDING));
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
    st = run_w32tm(sys, ts_w32tm_argv, &output);
    if (st != SP_OK)
        return st;
    sp_progress(ctx, 450, SP_REF(IDS_PG_STOPPING_TIME));
    st = sys->ops->svc_stop(sys, TS_SERVICE, TS_SVC_TIMEOUT_MS);
    if (st == SP_OK) {
        sp_progress(ctx, 600, SP_REF(IDS_PG_STARTING_TIME));
        st = sys->ops->svc_start(sys, TS_SERVICE, TS_SVC_TIMEOUT_MS);
    }
    /* Measured after the restart; still over the limit and the user chose it: the one-time
     * correction, then the final measurement. */
    if (st == SP_OK)
        st = run_check(ctx, &before, result, &v);
    if (st == SP_OK && inet_over_limit(&v) && sp_timesync_correct_wanted(ctx->state)) {
        st = correct_once(ctx, &correction, v.inet_offset_us);
        if (st == SP_OK) {
            sp_findings_free(&before);
            st = run_check(ctx, &before, result, &v);
        }
    }
    /* The correction's result (offset before and after) first: it is what Apply did. */
    for (size_t i = 0; st == SP_OK && i < correction.count; i++)
        st = sp_findings_add(out, correction.items[i].severity, correction.items[i].code,
                             correction.items[i].title_id, correction.items[i].advice_id,
                             correction.items[i].arg, correction.items[i].evidence);
    for (size_t i = 0; st == SP_OK && i < before.count; i++)
        st = sp_findings_add(out, before.items[i].severity, before.items[i].code,
                             before.items[i].title_id, before.items[i].advice_id,
                             before.items[i].arg, before.items[i].evidence);
    /* What counts is what the clock says now; what was done goes below the measurements. */
    if (st == SP_OK)
        st = sp_findings_add(out, SP_SEV_INFO, "timesync.w32tm", IDS_F_TS_RAN, 0, cmd, output);
    if (st == SP_OK)
        st = sp_findings_add(out, SP_SEV_INFO, "timesync.restarted", IDS_F_TS_RESTARTED, 0,
                             TS_SERVICE, NULL);
    sp_findings_free(&before);
    sp_findings_free(&correction);
    free(output);
    return st;
}

const sp_step sp_step_timesync = {TS_ID, timesync_check, timesync_apply};
