/* The sim's Windows Update Agent ("updates", "wua") and restart: updates install in memory. */
#include "core/sys/sim/sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static const char *const sim_reboot_key =
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired";
static const char *const sim_cbs_key =
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending";
static const char *const sim_session_key = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager";

static sp_status upd_fail(char *err, size_t errlen, size_t i, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "updates[%lu]: %s", (unsigned long)i, what);
    return SP_ERR_BADDATA;
}

/* "0x80004001" or a number; 0 when absent. */
static int upd_hresult(const cJSON *v, uint32_t *out)
{
    char *end = NULL;
    unsigned long long n;
    *out = 0;
    if (!v)
        return 1;
    if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 4294967295.0) {
        *out = (uint32_t)v->valuedouble;
        return 1;
    }
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return 0;
    n = strtoull(v->valuestring, &end, 0);
    if (*end || n > 0xFFFFFFFFull)
        return 0;
    *out = (uint32_t)n;
    return 1;
}

static const char *const upd_results[] = {"not_started", "in_progress", "succeeded",
                                          "succeeded_with_errors", "failed", "aborted"};

/* ["wsus", "windows_update", "microsoft_update"]: the services that offer it (all of them when absent). */
static sp_status upd_parse_offered(const cJSON *v, unsigned *out)
{
    static const char *const names[] = {"wsus", "windows_update", "microsoft_update"};
    const cJSON *x;
    *out = SIM_OFFER_WSUS | SIM_OFFER_WU | SIM_OFFER_MU;
    if (!v)
        return SP_OK;
    if (!cJSON_IsArray(v))
        return SP_ERR_BADDATA;
    *out = 0;
    cJSON_ArrayForEach(x, v)
    {
        size_t k;
        for (k = 0; cJSON_IsString(x) && k < 3; k++)
            if (strcmp(x->valuestring, names[k]) == 0)
                break;
        if (!cJSON_IsString(x) || k == 3)
            return SP_ERR_BADDATA;
        *out |= 1u << k;
    }
    return SP_OK;
}

static sp_status upd_parse_one(const cJSON *u, size_t i, sim_update *out, char *err, size_t errlen)
{
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(u, "title");
    const cJSON *kb = cJSON_GetObjectItemCaseSensitive(u, "kb");
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(u, "category");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(u, "size");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(u, "install_result");
    const cJSON *reboot = cJSON_GetObjectItemCaseSensitive(u, "reboot");
    char id[32];
    if (!cJSON_IsObject(u))
        return upd_fail(err, errlen, i, "must be an object");
    if (!cJSON_IsString(title) || !title->valuestring[0])
        return upd_fail(err, errlen, i, "title must be a non-empty string");
    if (kb && !cJSON_IsString(kb))
        return upd_fail(err, errlen, i, "kb must be a string such as \"KB958644\"");
    out->cls = SP_UPDATE_OTHER;
    if (cat) {
        if (!cJSON_IsString(cat))
            return upd_fail(err, errlen, i, "category must be \"critical\", \"security\" or \"other\"");
        if (strcmp(cat->valuestring, "critical") == 0)
            out->cls = SP_UPDATE_CRITICAL;
        else if (strcmp(cat->valuestring, "security") == 0)
            out->cls = SP_UPDATE_SECURITY;
        else if (strcmp(cat->valuestring, "other") != 0)
            return upd_fail(err, errlen, i, "category must be \"critical\", \"security\" or \"other\"");
    }
    if (size && (!cJSON_IsNumber(size) || size->valuedouble < 0 || size->valuedouble > 1e15))
        return upd_fail(err, errlen, i, "size must be a number of bytes");
    out->size = size ? (uint64_t)size->valuedouble : 0;
    out->result = 2;
    if (res) {
        size_t k;
        for (k = 0; cJSON_IsString(res) && k < sizeof upd_results / sizeof *upd_results; k++)
            if (strcmp(res->valuestring, upd_results[k]) == 0)
                break;
        if (!cJSON_IsString(res) || k < 2 || k >= sizeof upd_results / sizeof *upd_results)
            return upd_fail(err, errlen, i,
                            "install_result must be succeeded, succeeded_with_errors, failed or aborted");
        out->result = (int)k;
    }
    if (!upd_hresult(cJSON_GetObjectItemCaseSensitive(u, "hresult"), &out->hresult))
        return upd_fail(err, errlen, i, "hresult must be a number or a string such as \"0x80240022\"");
    if (out->result >= 4 && !out->hresult)
        out->hresult = 0x80240022u; /* WU_E_ALL_UPDATES_FAILED, what the agent says by default */
    out->reboot = cJSON_IsTrue(reboot);
    if (upd_parse_offered(cJSON_GetObjectItemCaseSensitive(u, "offered_by"), &out->offered) != SP_OK)
        return upd_fail(err, errlen, i,
                        "offered_by must be a list of \"wsus\", \"windows_update\", \"microsoft_update\"");
    snprintf(id, sizeof id, "sim-update-%lu", (unsigned long)i + 1);
    out->id = sim_strdup(id);
    out->title = sim_strdup(title->valuestring);
    out->kb = sim_strdup(kb ? kb->valuestring : "");
    if (!out->id || !out->title || !out->kb) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory reading the profile");
        return SP_ERR_NOMEM;
    }
    return SP_OK;
}

sp_status sim_updates_parse(const cJSON *updates, const cJSON *wua, sim_profile *p, char *err,
                            size_t errlen)
{
    const cJSON *u;
    size_t i = 0;
    if (wua) {
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(wua, "install_ms");
        if (!cJSON_IsObject(wua)) {
            snprintf(err, errlen, "wua must be an object");
            return SP_ERR_BADDATA;
        }
        if (!upd_hresult(cJSON_GetObjectItemCaseSensitive(wua, "search_hresult"), &p->wua_search_hr) ||
            !upd_hresult(cJSON_GetObjectItemCaseSensitive(wua, "install_hresult"), &p->wua_install_hr)) {
            snprintf(err, errlen, "wua: search_hresult and install_hresult must be numbers or \"0x...\" strings");
            return SP_ERR_BADDATA;
        }
        if (ms && (!cJSON_IsNumber(ms) || ms->valuedouble < 0 || ms->valuedouble > 60000)) {
            snprintf(err, errlen, "wua: install_ms must be a number from 0 to 60000");
            return SP_ERR_BADDATA;
        }
        p->wua_install_ms = ms ? (unsigned)ms->valuedouble : 0;
        if (!upd_hresult(cJSON_GetObjectItemCaseSensitive(wua, "direct_hresult"), &p->wua_direct_hr) ||
            !upd_hresult(cJSON_GetObjectItemCaseSensitive(wua, "wsus_hresult"), &p->wua_wsus_hr)) {
            snprintf(err, errlen, "wua: direct_hresult and wsus_hresult must be numbers or \"0x...\" strings");
            return SP_ERR_BADDATA;
        }
        p->wua_no_mu = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(wua, "microsoft_update"));
    }
    if (!updates)
        return SP_OK;
    if (!cJSON_IsArray(updates)) {
        snprintf(err, errlen, "updates must be an array of {title, kb, category, ...}");
        return SP_ERR_BADDATA;
    }
    p->update_count = (size_t)cJSON_GetArraySize(updates);
    if (p->update_count && !(p->updates = calloc(p->update_count, sizeof *p->updates))) {
        p->update_count = 0;
        snprintf(err, errlen, "out of memory reading the profile");
        return SP_ERR_NOMEM;
    }
    cJSON_ArrayForEach(u, updates)
    {
        sp_status st = upd_parse_one(u, i, &p->updates[i], err, errlen);
        if (st != SP_OK)
            return st;
        i++;
    }
    return SP_OK;
}

void sim_updates_free(sim_profile *p)
{
    for (size_t i = 0; i < p->update_count; i++) {
        free(p->updates[i].id);
        free(p->updates[i].title);
        free(p->updates[i].kb);
    }
    free(p->updates);
    p->updates = NULL;
    p->update_count = 0;
}

/* What a search of source asks: the WSUS the policy names, Windows Update or Microsoft Update;
 * 0 with last_error set (and *hresult) when that service cannot be asked. */
static unsigned upd_offer_of(sp_sys *sys, sim_profile *p, sp_wua_source source, uint32_t *hresult)
{
    char url[256] = "";
    uint32_t use = 0;
    uint32_t hr = 0;
    if (source == SP_WUA_CONFIGURED) {
        sp_reg_get_string(sys, SP_REG_VIEW_64, SP_WU_POLICY_KEY, "WUServer", url, sizeof url);
        sp_reg_get_dword(sys, SP_REG_VIEW_64, SP_WU_POLICY_KEY "\\AU", "UseWUServer", &use);
        if (!use || !url[0])
            return SIM_OFFER_WU;
        if (!p->wua_wsus_hr)
            return SIM_OFFER_WSUS;
        if (hresult)
            *hresult = p->wua_wsus_hr;
        sp_sys_fail(sys, SP_ERR_IO, "IUpdateSearcher::Search failed (0x%08lX)", (unsigned long)p->wua_wsus_hr);
        return 0;
    }
    hr = p->wua_direct_hr;
    if (!hr && source == SP_WUA_MICROSOFT_UPDATE && p->wua_no_mu)
        hr = SP_WU_E_DS_UNKNOWNSERVICE;
    if (hr) {
        if (hresult)
            *hresult = hr;
        sp_sys_fail(sys, SP_ERR_IO, "IUpdateSearcher::Search failed (0x%08lX)", (unsigned long)hr);
        return 0;
    }
    return source == SP_WUA_MICROSOFT_UPDATE ? SIM_OFFER_MU : SIM_OFFER_WU;
}

/* A held search (C:\SourcePrepTest\hold-updates-search, a minute at most) that cancel ends, as
 * the agent's search job ends on RequestAbort. */
static int upd_search_held(sp_sys *sys, volatile long *cancel)
{
    for (int i = 0; i < 3000; i++) {
        sp_filestat fs = {0};
        if (cancel && *cancel)
            return 1;
        if (sys->ops->file_stat(sys, "C:\\SourcePrepTest\\hold-updates-search", &fs) != SP_OK || !fs.exists)
            return 0;
        sim_sleep_ms(20);
    }
    return cancel && *cancel;
}

sp_status sim_wua_search(sp_sys *sys, sp_wua_source source, const char *criteria, sp_update_cb cb,
                         void *user, volatile long *cancel, uint32_t *hresult)
{
    sim_profile *p = sim_machine_profile(sys);
    unsigned offer;
    if (hresult)
        *hresult = 0;
    if (!criteria || !cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "wua_search: missing criteria or callback");
    if (upd_search_held(sys, cancel))
        return sp_sys_fail(sys, SP_ERR_CANCELLED, "search cancelled (ISearchJob::RequestAbort)");
    if (p->wua_search_hr) {
        if (hresult)
            *hresult = p->wua_search_hr;
        return sp_sys_fail(sys, SP_ERR_IO, "IUpdateSearcher::Search failed (0x%08lX)",
                           (unsigned long)p->wua_search_hr);
    }
    /* The sim understands only the one search the wizard makes. */
    if (strcmp(criteria, "IsInstalled=0 and Type='Software'") != 0) {
        if (hresult)
            *hresult = 0x80240032u; /* WU_E_INVALID_CRITERIA */
        return sp_sys_fail(sys, SP_ERR_INVALID, "IUpdateSearcher::Search: criteria not understood");
    }
    if (!(offer = upd_offer_of(sys, p, source, hresult)))
        return SP_ERR_IO;
    for (size_t i = 0; i < p->update_count; i++) {
        const sim_update *s = &p->updates[i];
        sp_update u = {s->id, s->title, s->kb, s->cls, s->size, s->reboot};
        if (s->installed || !(s->offered & offer))
            continue;
        if (cb(user, &u))
            break;
    }
    return SP_OK;
}

static sim_update *upd_find(sim_profile *p, const char *id)
{
    for (size_t i = 0; id && i < p->update_count; i++)
        if (strcmp(p->updates[i].id, id) == 0)
            return &p->updates[i];
    return NULL;
}

static sp_status upd_mark_reboot(sp_sys *sys)
{
    char *norm = sim_reg_normalize_key(sim_reboot_key);
    sim_regkey *k = NULL;
    sp_status st = norm ? sim_reg_add_key(sim_machine_view(sys, SP_REG_VIEW_64), norm, &k) : SP_ERR_NOMEM;
    free(norm);
    return st == SP_OK ? SP_OK : sp_sys_fail(sys, st, "out of memory");
}

/* What installing a KB leaves behind: its servicing package, as Component Based Servicing
 * records it (CurrentState 0x70, installed). */
static sp_status upd_mark_package(sp_sys *sys, const char *kb)
{
    char key[400];
    sp_regval v = {0};
    sp_status st;
    if (!kb || !kb[0])
        return SP_OK;
    snprintf(key, sizeof key, "%s\\Package_for_%s~31bf3856ad364e35~amd64~~6.1.1.0", SP_CBS_PACKAGES_KEY,
             kb);
    if ((st = sp_regval_set_dword(&v, 0x70)) == SP_OK)
        st = sys->ops->reg_set(sys, SP_REG_VIEW_64, key, "CurrentState", &v);
    sp_regval_free(&v);
    return st;
}

sp_status sim_wua_install(sp_sys *sys, sp_wua_source source, const char *const *ids, size_t count,
                          sp_update_progress_cb progress, sp_update_result_cb result, void *user,
                          volatile long *cancel, uint32_t *hresult)
{
    sim_profile *p = sim_machine_profile(sys);
    unsigned offer;
    if (hresult)
        *hresult = 0;
    if (!(offer = upd_offer_of(sys, p, source, hresult)))
        return SP_ERR_IO;
    if (count && !ids)
        return sp_sys_fail(sys, SP_ERR_INVALID, "wua_install: no update ids");
    if (p->wua_install_hr) {
        if (hresult)
            *hresult = p->wua_install_hr;
        return sp_sys_fail(sys, SP_ERR_IO, "IUpdateDownloader::Download failed (0x%08lX)",
                           (unsigned long)p->wua_install_hr);
    }
    for (size_t i = 0; i < count; i++) {
        const sim_update *u = upd_find(p, ids[i]);
        if (!u || !(u->offered & offer))
            return sp_sys_fail(sys, SP_ERR_NOTFOUND, "no update has the id %s", ids[i]);
    }
    for (size_t i = 0; i < count; i++) {
        sim_update *u = upd_find(p, ids[i]);
        sp_update_result r = {u->id, u->title, u->kb, u->result, 0, 0};
        if (cancel && *cancel)
            return sp_sys_fail(sys, SP_ERR_CANCELLED, "installation cancelled");
        if (progress)
            progress(user, (unsigned)(i * 1000 / count), u->title);
        /* Half the time downloading, half installing, so a page shows the bar move. */
        for (unsigned step = 0; step < 4 && p->wua_install_ms; step++) {
            sim_sleep_ms(p->wua_install_ms / 4);
            if (cancel && *cancel)
                return sp_sys_fail(sys, SP_ERR_CANCELLED, "installation cancelled");
            if (progress)
                progress(user, (unsigned)((i * 4 + step + 1) * 1000 / (count * 4)), u->title);
            sim_hold(sys, "updates-install"); /* with the bar moved */
        }
        if (u->result <= 3) {
            sp_status st = upd_mark_package(sys, u->kb);
            if (st != SP_OK)
                return st;
            u->installed = 1;
            r.reboot_required = u->reboot;
            if (u->reboot) {
                sp_status st = upd_mark_reboot(sys);
                if (st != SP_OK)
                    return st;
            }
        } else {
            r.hresult = u->hresult;
        }
        if (result)
            result(user, &r);
    }
    if (progress)
        progress(user, 1000, "");
    return SP_OK;
}

/* Removes a key and its subkeys from the flat list. */
static void upd_remove_key(sim_registry *reg, const char *key)
{
    char *norm = sim_reg_normalize_key(key);
    size_t n, w = 0;
    if (!norm)
        return;
    n = strlen(norm);
    for (size_t i = 0; i < reg->count; i++) {
        sim_regkey *k = &reg->keys[i];
        if (sim_ascii_ncasecmp(k->path, norm, n) == 0 && (k->path[n] == '\0' || k->path[n] == '\\')) {
            for (size_t v = 0; v < k->count; v++) {
                free(k->values[v].name);
                free(k->values[v].data);
            }
            free(k->values);
            free(k->path);
            continue;
        }
        reg->keys[w++] = *k;
    }
    reg->count = w;
    free(norm);
}

/* The rest a restart finishes: the update installer's volatile flag and a computer rename. */
static void upd_restart_rest(sp_sys *sys)
{
    sp_regval v = {0};
    sys->ops->reg_delete_value(sys, SP_REG_VIEW_64, SP_UPDATES_VOLATILE_KEY, "UpdateExeVolatile");
    if (sys->ops->reg_get(sys, SP_REG_VIEW_64, SP_COMPUTERNAME_KEY "\\ComputerName", "ComputerName", &v) ==
        SP_OK)
        sys->ops->reg_set(sys, SP_REG_VIEW_64, SP_COMPUTERNAME_KEY "\\ActiveComputerName", "ComputerName",
                          &v);
    sp_regval_free(&v);
}

sp_status sim_restart(sp_sys *sys, const char *reason)
{
    sim_profile *p = sim_machine_profile(sys);
    (void)reason;
    if (!p->admin)
        return sp_sys_fail(sys, SP_ERR_ACCESS, "The shutdown privilege is not held (access denied).");
    /* What a restart finishes: the pending file renames and the servicing stacks' flags. */
    for (int view = 0; view < 2; view++) {
        sim_registry *reg = sim_machine_view(sys, view ? SP_REG_VIEW_32 : SP_REG_VIEW_64);
        sim_regkey *k;
        char *norm;
        upd_remove_key(reg, sim_reboot_key);
        upd_remove_key(reg, sim_cbs_key);
        norm = sim_reg_normalize_key(sim_session_key);
        if (norm && (k = sim_reg_find_key(reg, norm)) != NULL) {
            size_t w = 0;
            for (size_t v = 0; v < k->count; v++) {
                if (sim_ascii_casecmp(k->values[v].name, "PendingFileRenameOperations") == 0 ||
                    sim_ascii_casecmp(k->values[v].name, "PendingFileRenameOperations2") == 0) {
                    free(k->values[v].name);
                    free(k->values[v].data);
                    continue;
                }
                k->values[w++] = k->values[v];
            }
            k->count = w;
        }
        free(norm);
    }
    upd_restart_rest(sys);
    p->restarts++;
    return SP_OK;
}

unsigned sp_sim_restarts(const sp_sys *sim)
{
    return ((const sim_profile *)sim_machine_profile((sp_sys *)sim))->restarts;
}

sp_status sim_program_path(sp_sys *sys, char *out, size_t outlen)
{
    static const char path[] = "C:\\Program Files\\SourcePrep\\sourceprep.exe";
    static const char image[] = "MZ the simulated sourceprep.exe\n";
    sp_filestat fs;
    if (outlen < sizeof path) {
        if (outlen)
            out[0] = '\0';
        return sp_sys_fail(sys, SP_ERR_INVALID, "program path: buffer too small");
    }
    memcpy(out, path, sizeof path);
    /* A running program's file exists: made on first ask, so that it can be copied (RunOnce). */
    if (sys->ops->file_stat(sys, path, &fs) == SP_OK && !fs.exists &&
        sys->ops->dir_create(sys, "C:\\Program Files\\SourcePrep") == SP_OK)
        sys->ops->file_write_atomic(sys, path, image, sizeof image - 1);
    return SP_OK;
}
