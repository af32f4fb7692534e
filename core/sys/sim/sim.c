/* The sim backend's operation table: files mapped onto a host folder, services, processes, OS. */
#include "core/sys/sim/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sys/sim/sim_internal.h"


static int sim_is_sep(char ch)
{
    return ch == '\\' || ch == '/';
}

/* ---- Case of existing names --------------------------------------------------------- */

typedef struct {
    const char *want;
    size_t len;
    char *found;
} sim_case_match;

static int sim_match_name(void *user, const char *name, int is_dir)
{
    sim_case_match *cm = user;
    (void)is_dir;
    if (strlen(name) != cm->len || sim_ascii_ncasecmp(name, cm->want, cm->len) != 0)
        return 0;
    cm->found = sim_strdup(name);
    return 1;
}

/* Rewrites, in place, each component of a missing path that exists in another case. ASCII
 * case folding keeps lengths, so the path never grows. */
static void sim_fold_case(sim_machine *m, char *path)
{
    sp_sys *host = m->host;
    /* The first component follows root exactly as sim_map_path wrote it. */
    size_t cs = strlen(m->root);
    while (cs > 1 && sim_is_sep(m->root[cs - 1]))
        cs--;
    if (!sim_is_sep(m->root[cs - 1]))
        cs++;
    for (;;) {
        size_t ce = cs;
        while (path[ce] && path[ce] != m->sep)
            ce++;
        char saved = path[ce];
        path[ce] = '\0';
        sp_filestat fs;
        int exists = host->ops->file_stat(host, path, &fs) == SP_OK && fs.exists;
        if (!exists) {
            sim_case_match cm = {path + cs, ce - cs, NULL};
            path[cs - 1] = '\0';
            host->ops->dir_enum(host, path, sim_match_name, &cm);
            path[cs - 1] = m->sep;
            exists = cm.found != NULL;
            if (exists)
                memcpy(path + cs, cm.found, ce - cs);
            free(cm.found);
        }
        path[ce] = saved;
        if (!exists || saved == '\0')
            return;
        cs = ce + 1;
    }
}

/* The host path for a Windows path, found whatever its case; fails with a clear message. */
static sp_status sim_resolve(sp_sys *sys, const char *winpath, char **out)
{
    sim_machine *m = sys->impl;
    sp_status st = sim_map_path(m->root, m->sep, winpath, out);
    if (st == SP_ERR_NOMEM)
        return sp_sys_fail(sys, st, "out of memory");
    if (st != SP_OK)
        return sp_sys_fail(sys, st, "%s is not an absolute Windows path without \"..\"",
                           winpath ? winpath : "(null)");
    if (m->fold_case) {
        sp_filestat fs;
        if (m->host->ops->file_stat(m->host, *out, &fs) != SP_OK || !fs.exists)
            sim_fold_case(m, *out);
    }
    return SP_OK;
}

/* Passes the host's failure on: its message already names the path and the reason. */
static sp_status sim_from_host(sp_sys *sys, sp_status st)
{
    sim_machine *m = sys->impl;
    if (st != SP_OK)
        sp_sys_fail(sys, st, "%s", m->host->last_error);
    return st;
}

/* ---- Files -------------------------------------------------------------------------- */

/* ---- Fault injection (test builds only) ------------------------------------------------ */

#ifdef SP_FAULT_INJECTION
void sp_sim_fault_set(sp_sys *sim, unsigned at, sp_sim_fault_mode mode)
{
    sp_fault_set(&((sim_machine *)sim->impl)->fault, at, (sp_fault_mode)mode);
}

unsigned sp_sim_fault_writes(const sp_sys *sim)
{
    return ((const sim_machine *)sim->impl)->fault.writes;
}

int sp_sim_fault_killed(const sp_sys *sim)
{
    return ((const sim_machine *)sim->impl)->fault.dead;
}

#define sim_fault_enter(sys, what) sp_fault_enter(&((sim_machine *)(sys)->impl)->fault, (sys), (what))
#define sim_fault_leave(sys) sp_fault_leave(&((sim_machine *)(sys)->impl)->fault)
#else
#define sim_fault_enter(sys, what) SP_OK
#define sim_fault_leave(sys) ((void)0)
#endif

static sp_status sim_file_read(sp_sys *sys, const char *path, unsigned char **data, size_t *size)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_resolve(sys, path, &hp);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->file_read(m->host, hp, data, size));
    free(hp);
    return st;
}

static sp_status sim_file_write_atomic(sp_sys *sys, const char *path, const void *data,
                                       size_t size)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_fault_enter(sys, "file_write_atomic");
    if (st == SP_OK)
        st = sim_resolve(sys, path, &hp);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->file_write_atomic(m->host, hp, data, size));
    if (st == SP_OK)
        sim_fault_leave(sys);
    free(hp);
    return st;
}

static sp_status sim_file_append(sp_sys *sys, const char *path, const void *data, size_t size)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_resolve(sys, path, &hp);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->file_append(m->host, hp, data, size));
    free(hp);
    return st;
}

static sp_status sim_file_move(sp_sys *sys, const char *from, const char *to)
{
    sim_machine *m = sys->impl;
    char *hfrom = NULL, *hto = NULL;
    sp_status st = sim_fault_enter(sys, "file_move");
    if (st == SP_OK)
        st = sim_resolve(sys, from, &hfrom);
    if (st == SP_OK)
        st = sim_resolve(sys, to, &hto);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->file_move(m->host, hfrom, hto));
    if (st == SP_OK)
        sim_fault_leave(sys);
    free(hfrom);
    free(hto);
    return st;
}

static sp_status sim_file_delete(sp_sys *sys, const char *path)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_fault_enter(sys, "file_delete");
    if (st == SP_OK)
        st = sim_resolve(sys, path, &hp);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->file_delete(m->host, hp));
    if (st == SP_OK)
        sim_fault_leave(sys);
    free(hp);
    return st;
}

static sp_status sim_file_stat(sp_sys *sys, const char *path, sp_filestat *out)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    /* The path as written usually exists: one host stat answers, without resolving case
     * (the drill's sampler stats every file of the tree). */
    if (out && sim_map_path(m->root, m->sep, path, &hp) == SP_OK &&
        m->host->ops->file_stat(m->host, hp, out) == SP_OK && out->exists) {
        free(hp);
        sim_seed_stat_size(&m->prof, path, out);
        return SP_OK;
    }
    free(hp);
    hp = NULL;
    sp_status st = sim_resolve(sys, path, &hp);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->file_stat(m->host, hp, out));
    free(hp);
    if (st == SP_OK && out)
        sim_seed_stat_size(&m->prof, path, out);
    return st;
}

static sp_status sim_dir_create(sp_sys *sys, const char *path)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_fault_enter(sys, "dir_create");
    if (st == SP_OK)
        st = sim_resolve(sys, path, &hp);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->dir_create(m->host, hp));
    if (st == SP_OK)
        sim_fault_leave(sys);
    free(hp);
    return st;
}

/* The host's answer for the folder the path maps to, then what the profile's "security" says. */
static sp_status sim_path_security(sp_sys *sys, const char *path, sp_pathsec *out)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_resolve(sys, path, &hp);
    memset(out, 0, sizeof *out);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->path_security(m->host, hp, out));
    free(hp);
    if (st == SP_OK)
        sim_security_apply(&m->prof, path, out);
    return st;
}

static sp_status sim_dir_create_private(sp_sys *sys, const char *path)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_resolve(sys, path, &hp);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->dir_create_private(m->host, hp));
    free(hp);
    return st;
}

static sp_status sim_dir_enum(sp_sys *sys, const char *path, sp_dir_cb cb, void *user)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_resolve(sys, path, &hp);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->dir_enum(m->host, hp, cb, user));
    free(hp);
    return st;
}

static sp_status sim_file_read_at(sp_sys *sys, const char *path, uint64_t offset, void *buf,
                                  size_t len, size_t *got)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_resolve(sys, path, &hp);
    if (m->prof.io_delay_ms) {
        sim_sleep_ms(m->prof.io_delay_ms);
        sim_hold(sys, "file-reads");
    }
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->file_read_at(m->host, hp, offset, buf, len, got));
    free(hp);
    return st;
}

static sp_status sim_file_set_mtime(sp_sys *sys, const char *path, int64_t mtime)
{
    sim_machine *m = sys->impl;
    char *hp = NULL;
    sp_status st = sim_resolve(sys, path, &hp);
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->file_set_mtime(m->host, hp, mtime));
    free(hp);
    return st;
}

/* ---- Machine ------------------------------------------------------------------------ */

sim_registry *sim_machine_view(sp_sys *sys, sp_reg_view view)
{
    sim_machine *m = sys->impl;
    /* Without a "registry32" the machine is 32-bit: both views are the same registry. */
    return (view == SP_REG_VIEW_32 && m->prof.has_reg32) ? &m->prof.reg32 : &m->prof.reg;
}

sim_profile *sim_machine_profile(sp_sys *sys)
{
    return &((sim_machine *)sys->impl)->prof;
}

static sp_status sim_os_info(sp_sys *sys, sp_osinfo *out)
{
    sim_machine *m = sys->impl;
    if (!out)
        return sp_sys_fail(sys, SP_ERR_INVALID, "os_info: missing output");
    *out = m->prof.os;
    return SP_OK;
}

static int sim_is_admin(sp_sys *sys)
{
    sim_machine *m = sys->impl;
    return m->prof.admin;
}

int64_t sim_time_now(sp_sys *sys)
{
    sim_machine *m = sys->impl;
    return m->prof.has_now ? m->prof.now : (int64_t)time(NULL);
}

static sp_status sim_folder(sp_sys *sys, sp_folder which, char *out, size_t outlen)
{
    sim_machine *m = sys->impl;
    if (!out || outlen == 0 || (unsigned)which >= SIM_FOLDER_COUNT)
        return sp_sys_fail(sys, SP_ERR_INVALID, "folder: bad argument");
    const char *path = m->prof.folders[which];
    size_t n = strlen(path);
    if (n >= outlen)
        return sp_sys_fail(sys, SP_ERR_INVALID, "folder: buffer too small for %s", path);
    memcpy(out, path, n + 1);
    return SP_OK;
}

/* After an operation that may have changed the machine: the change is kept for the next run
 * (sim_state.c), as a real server keeps its registry. A failed save is the operation's error. */
static sp_status sim_keep(sp_sys *sys, sp_status st)
{
    sp_status saved = sim_state_save(sys);
    return saved != SP_OK ? saved : st;
}

/* Registry writes under HKLM need an administrator, as on Windows. */
static sp_status sim_reg_may_write(sp_sys *sys, const char *key)
{
    sim_machine *m = sys->impl;
    char *norm = key ? sim_reg_normalize_key(key) : NULL;
    int hklm = norm && strncmp(norm, "HKLM", 4) == 0;
    free(norm);
    if (hklm && !m->prof.admin)
        return sp_sys_fail(sys, SP_ERR_ACCESS, "writing %s needs administrator rights", key);
    return SP_OK;
}

typedef sp_status (*reg_setter)(sp_sys *, sp_reg_view, const char *, const char *, const sp_regval *);

/* A registry write: administrators only in HKLM, and a write the fault hook counts. */
static sp_status reg_write(sp_sys *sys, reg_setter set, const char *what, sp_reg_view view,
                           const char *key, const char *value, const sp_regval *val)
{
    sp_status st = sim_reg_may_write(sys, key);
    (void)what; /* named in the fault hook's message, in test builds only */
    if (st == SP_OK && (st = sim_fault_enter(sys, what)) == SP_OK &&
        (st = set(sys, view, key, value, val)) == SP_OK) {
        sim_fault_leave(sys);
        st = sim_keep(sys, st); /* the saved state between runs (sim_state.c) */
    }
    return st;
}

static sp_status sim_reg_set_checked(sp_sys *sys, sp_reg_view view, const char *key,
                                     const char *value, const sp_regval *val)
{
    return reg_write(sys, sim_reg_set, "reg_set", view, key, value, val);
}

static sp_status sim_reg_set_raw_checked(sp_sys *sys, sp_reg_view view, const char *key,
                                         const char *value, const sp_regval *val)
{
    return reg_write(sys, sim_reg_set_raw, "reg_set_raw", view, key, value, val);
}

static sp_status sim_reg_delete_checked(sp_sys *sys, sp_reg_view view, const char *key,
                                        const char *value)
{
    sp_status st = sim_reg_may_write(sys, key);
    if (st == SP_OK && (st = sim_fault_enter(sys, "reg_delete_value")) == SP_OK &&
        (st = sim_reg_delete_value(sys, view, key, value)) == SP_OK) {
        sim_fault_leave(sys);
        st = sim_keep(sys, st);
    }
    return st;
}

static sp_status sim_ldap_replace_checked(sp_sys *sys, sp_ldap_conn *conn, const char *dn,
                                          const char *attr, const char *value)
{
    sp_status st = sim_fault_enter(sys, "ldap_replace");
    if (st != SP_OK)
        return st;
    /* Saved whatever the answer: a modify whose answer came too late was still made. */
    if ((st = sim_ldap_replace(sys, conn, dn, attr, value)) == SP_OK)
        sim_fault_leave(sys);
    return sim_keep(sys, st);
}

/* ---- Processes ---------------------------------------------------------------------- */

/* The program's name as Windows finds it: no folder, no ".exe". */
static const char *sim_program_name(const char *s, size_t *len)
{
    const char *base = s;
    for (const char *p = s; *p; p++) {
        if (sim_is_sep(*p))
            base = p + 1;
    }
    size_t n = strlen(base);
    if (n >= 4 && sim_ascii_casecmp(base + n - 4, ".exe") == 0)
        n -= 4;
    *len = n;
    return base;
}

static int sim_argv_matches(const sim_process *proc, const char *const *argv, size_t argc)
{
    if (proc->argc != argc)
        return 0;
    size_t la, lb;
    const char *a = sim_program_name(proc->argv[0], &la);
    const char *b = sim_program_name(argv[0], &lb);
    if (la != lb || sim_ascii_ncasecmp(a, b, la) != 0)
        return 0;
    for (size_t i = 1; i < argc; i++) {
        if (sim_ascii_casecmp(proc->argv[i], argv[i]) != 0)
            return 0;
    }
    return 1;
}

static sp_status sim_proc_run(sp_sys *sys, const char *const *argv, unsigned timeout_ms,
                              char **output, size_t *output_len, int *exit_code)
{
    sim_machine *m = sys->impl;
    if (output)
        *output = NULL;
    if (output_len)
        *output_len = 0;
    if (!argv || !argv[0])
        return sp_sys_fail(sys, SP_ERR_INVALID, "proc_run: missing program");
    size_t argc = 0;
    while (argv[argc])
        argc++;
    for (size_t i = 0; i < m->prof.process_count; i++) {
        const sim_process *proc = &m->prof.processes[i];
        if (!sim_argv_matches(proc, argv, argc))
            continue;
        if (proc->times_out)
            return sp_sys_fail(sys, SP_ERR_TIMEOUT, "%s did not finish within %u ms", argv[0],
                               timeout_ms);
        if (argc == 2 && proc->exit_code == 0 && sim_ascii_casecmp(argv[1], "/resync") == 0 &&
            sim_ascii_ncasecmp(sim_program_name(argv[0], &(size_t){0}), "w32tm", 5) == 0) {
            sp_status saved;
            sim_w32tm_resync(sys);
            if ((saved = sim_state_save(sys)) != SP_OK)
                return saved;
        }
        if (output) {
            *output = sim_strndup(proc->output, proc->output_len);
            if (!*output)
                return sp_sys_fail(sys, SP_ERR_NOMEM, "out of memory");
        }
        if (output_len)
            *output_len = proc->output_len;
        if (exit_code)
            *exit_code = proc->exit_code;
        return SP_OK;
    }
    /* Name the whole command so that a missing profile entry is easy to add. */
    char cmd[200];
    size_t n = 0;
    cmd[0] = '\0';
    for (size_t i = 0; i < argc && n < sizeof cmd - 1; i++) {
        int w = snprintf(cmd + n, sizeof cmd - n, "%s%s", i ? " " : "", argv[i]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return sp_sys_fail(sys, SP_ERR_NOTFOUND, "no simulated process matches: %s", cmd);
}

/* The canned output of the matching process, handed over line by line (CR LF or LF ends a
 * line), each after the entry's line_delay_ms, watching the cancel flag between lines. */
static sp_status sim_proc_run_lines(sp_sys *sys, const char *const *argv, unsigned timeout_ms,
                                    sp_line_cb cb, void *user, volatile long *cancel,
                                    int *exit_code)
{
    sim_machine *m = sys->impl;
    char *out = NULL;
    size_t len = 0;
    int code = -1;
    if (exit_code)
        *exit_code = -1;
    sp_status st = sim_proc_run(sys, argv, timeout_ms, &out, &len, &code);
    if (st != SP_OK)
        return st;
    unsigned delay = 0;
    size_t argc = 0;
    while (argv[argc])
        argc++;
    for (size_t i = 0; i < m->prof.process_count; i++)
        if (sim_argv_matches(&m->prof.processes[i], argv, argc)) {
            delay = m->prof.processes[i].line_delay_ms;
            break;
        }
    for (size_t i = 0; i < len && st == SP_OK;) {
        size_t e = i;
        while (e < len && out[e] != '\n')
            e++;
        size_t end = e;
        if (end > i && out[end - 1] == '\r')
            end--;
        char saved = out[end];
        out[end] = '\0';
        if (delay)
            sim_sleep_ms(delay);
        if ((cancel && *cancel) || (cb && cb(user, out + i)))
            st = sp_sys_fail(sys, SP_ERR_CANCELLED, "%s was stopped", argv[0]);
        out[end] = saved;
        i = e + 1;
    }
    free(out);
    if (st == SP_OK && exit_code)
        *exit_code = code;
    return st;
}

/* ---- Services ----------------------------------------------------------------------- */

static sp_status sim_find_service(sp_sys *sys, const char *name, sim_service **out)
{
    sim_machine *m = sys->impl;
    if (!name)
        return sp_sys_fail(sys, SP_ERR_INVALID, "service: missing name");
    for (size_t i = 0; i < m->prof.service_count; i++) {
        if (sim_ascii_casecmp(m->prof.services[i].name, name) == 0) {
            *out = &m->prof.services[i];
            return SP_OK;
        }
    }
    return sp_sys_fail(sys, SP_ERR_NOTFOUND, "service %s is not installed", name);
}

static sp_status sim_svc_query(sp_sys *sys, const char *name, sp_svcinfo *out)
{
    sim_service *svc = NULL;
    sp_status st = sim_find_service(sys, name, &svc);
    if (st == SP_OK && out)
        *out = svc->info;
    return st;
}

/* The service a start or stop acts on: installed, and the caller an administrator. doing
 * ("starting", "stopping") names the act in the error. */
static sp_status sim_service_to_control(sp_sys *sys, const char *name, const char *doing,
                                        sim_service **out)
{
    sim_machine *m = sys->impl;
    sp_status st = sim_find_service(sys, name, out);
    if (st != SP_OK)
        return st;
    if (!m->prof.admin)
        return sp_sys_fail(sys, SP_ERR_ACCESS, "%s service %s needs administrator rights", doing,
                           name);
    return SP_OK;
}

static sp_status sim_svc_start(sp_sys *sys, const char *name, unsigned timeout_ms)
{
    sim_machine *m = sys->impl;
    sim_service *svc = NULL;
    (void)timeout_ms;
    sp_status st = sim_service_to_control(sys, name, "starting", &svc);
    if (st != SP_OK)
        return st;
    if (svc->info.start_type == SP_SVC_START_DISABLED)
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED, "service %s is disabled", name);
    if (svc->start_ms) {
        sim_sleep_ms(svc->start_ms);
        sim_hold(sys, "service-start");
    }
    /* Windows Time configured for the domain hierarchy sets the clock as it starts. */
    if (svc->info.state != SP_SVC_RUNNING && sim_ascii_casecmp(name, "W32Time") == 0 &&
        m->prof.w32time_sync_us) {
        char type[32] = "";
        sp_reg_get_string(sys, SP_REG_VIEW_DEFAULT,
                          "HKLM\\SYSTEM\\CurrentControlSet\\Services\\W32Time\\Parameters", "Type",
                          type, sizeof type);
        if (sim_ascii_casecmp(type, "NT5DS") == 0) {
            m->clock_step_us += m->prof.w32time_sync_us;
            m->prof.w32time_sync_us = 0;
        }
    }
    svc->info.state = SP_SVC_RUNNING;
    return sim_keep(sys, SP_OK);
}

static sp_status sim_svc_stop(sp_sys *sys, const char *name, unsigned timeout_ms)
{
    sim_service *svc = NULL;
    (void)timeout_ms;
    sp_status st = sim_service_to_control(sys, name, "stopping", &svc);
    if (st != SP_OK)
        return st;
    if (svc->stop_ms && svc->info.state != SP_SVC_STOPPED)
        sim_sleep_ms(svc->stop_ms);
    svc->info.state = SP_SVC_STOPPED;
    return sim_keep(sys, SP_OK);
}

/* The profile's services in profile order; "image" and "display" come from the profile. */
static sp_status sim_svc_enum(sp_sys *sys, sp_svc_cb cb, void *user)
{
    sim_machine *m = sys->impl;
    if (!cb)
        return sp_sys_fail(sys, SP_ERR_INVALID, "svc_enum: missing callback");
    for (size_t i = 0; i < m->prof.service_count; i++) {
        const sim_service *svc = &m->prof.services[i];
        sp_svc_entry e;
        e.name = svc->name;
        e.display = svc->display ? svc->display : "";
        e.image = svc->image ? svc->image : "";
        e.state = svc->info.state;
        e.start_type = svc->info.start_type;
        if (cb(user, &e))
            break;
    }
    return SP_OK;
}

/* Installing updates and restarting change the machine: kept for the next run. */
static sp_status sim_wua_install_kept(sp_sys *sys, sp_wua_source source, const char *const *ids, size_t count,
                                      sp_update_progress_cb progress, sp_update_result_cb result, void *user,
                                      volatile long *cancel, uint32_t *hresult)
{
    return sim_keep(sys, sim_wua_install(sys, source, ids, count, progress, result, user, cancel, hresult));
}

static sp_status sim_restart_kept(sp_sys *sys, const char *reason)
{
    sp_status st = sim_restart(sys, reason);
    return st == SP_OK ? sim_keep(sys, st) : st;
}

/* ---- Lifetime ----------------------------------------------------------------------- */

static void sim_close(sp_sys *sys)
{
    sim_machine *m = sys->impl;
    if (m) {
        sim_profile_free(&m->prof);
        free(m->root);
        free(m->state_path);
        free(m);
    }
    free(sys);
}

static const sp_sys_ops sim_ops = {
    .name = "sim",
    .os_info = sim_os_info,
    .is_admin = sim_is_admin,
    .time_now = sim_time_now,
    .folder = sim_folder,
    .reg_get = sim_reg_get,
    .reg_set = sim_reg_set_checked,
    .reg_delete_value = sim_reg_delete_checked,
    .reg_enum_keys = sim_reg_enum_keys,
    .reg_enum_values = sim_reg_enum_values,
    .file_read = sim_file_read,
    .file_write_atomic = sim_file_write_atomic,
    .file_append = sim_file_append,
    .file_move = sim_file_move,
    .file_delete = sim_file_delete,
    .file_stat = sim_file_stat,
    .dir_create = sim_dir_create,
    .dir_enum = sim_dir_enum,
    .proc_run = sim_proc_run,
    .svc_query = sim_svc_query,
    .svc_start = sim_svc_start,
    .svc_stop = sim_svc_stop,
    .close = sim_close,
    .udp_exchange = sim_udp_exchange,
    .time_zone = sim_time_zone,
    .svc_enum = sim_svc_enum,
    .ldap_connect = sim_ldap_connect,
    .ldap_search = sim_ldap_search,
    .ldap_replace = sim_ldap_replace_checked,
    .ldap_close = sim_ldap_close,
    .sid_lookup = sim_sid_lookup,
    .http_get = sim_http_get,
    .proc_run_lines = sim_proc_run_lines,
    .file_read_at = sim_file_read_at,
    .file_set_mtime = sim_file_set_mtime,
    .wua_search = sim_wua_search,
    .wua_install = sim_wua_install_kept,
    .restart = sim_restart_kept,
    .program_path = sim_program_path,
    .event_query = sim_event_query,
    .disk_space = sim_disk_space,
    .path_security = sim_path_security,
    .dir_create_private = sim_dir_create_private,
    .dns_resolve = sim_dns_resolve,
    .reg_get_raw = sim_reg_get_raw,
    .reg_set_raw = sim_reg_set_raw_checked,
    .share_enum = sim_share_enum,
    .sql_files = sim_sql_files,
};

static sp_status sim_open_fail(char *err, size_t errlen, sp_status st, const char *what,
                               const char *detail)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", what, detail);
    return st;
}

/* Writes a profile file unless it exists: what a demo run changed stays changed. */
static sp_status sim_seed_file(sp_sys *sys, const sim_seedfile *f)
{
    sim_machine *m = sys->impl;
    sp_filestat fs;
    sp_status st = sim_file_stat(sys, f->path, &fs);
    if (st != SP_OK || fs.exists)
        return st;
    char *hp = NULL;
    st = sim_resolve(sys, f->path, &hp);
    if (st != SP_OK)
        return st;
    char *sep = strrchr(hp, m->sep);
    if (sep) {
        *sep = '\0';
        st = sim_from_host(sys, m->host->ops->dir_create(m->host, hp));
        *sep = m->sep;
    }
    if (st == SP_OK)
        st = sim_from_host(sys, m->host->ops->file_write_atomic(m->host, hp, f->content, f->size));
    if (st == SP_OK && f->mtime)
        st = sim_from_host(sys, m->host->ops->file_set_mtime(m->host, hp, f->mtime));
    free(hp);
    return st;
}

/* True when path is one line of the seed list (Windows paths cannot hold a newline). */
static int sim_seed_listed(const char *list, size_t len, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && list[e] != '\n')
            e++;
        if (e - i == n && sim_ascii_ncasecmp(list + i, path, n) == 0)
            return 1;
        i = e + 1;
    }
    return 0;
}

/* Seeds the profile's files once per root. A list beside the drives (invisible to the
 * simulated machine) remembers what was seeded, so that a file a demo run deleted, such
 * as SBS_LOGIN_SCRIPT.bat, stays deleted in the next run. */
static sp_status sim_seed_files(sp_sys *sys, char *err, size_t errlen)
{
    sim_machine *m = sys->impl;
    sp_sys *host = m->host;
    if (m->prof.file_count == 0)
        return SP_OK;
    size_t rlen = strlen(m->root);
    char *marker = malloc(rlen + 16);
    if (!marker)
        return sim_open_fail(err, errlen, SP_ERR_NOMEM, "sim", "out of memory");
    memcpy(marker, m->root, rlen);
    marker[rlen] = m->sep;
    memcpy(marker + rlen + 1, ".sim-seeded", 12);
    unsigned char *old = NULL;
    size_t oldlen = 0;
    sp_status st = host->ops->file_read(host, marker, &old, &oldlen);
    if (st == SP_ERR_NOTFOUND) {
        st = SP_OK;
        oldlen = 0;
    } else if (st != SP_OK) {
        sim_open_fail(err, errlen, st, "cannot read the sim's seed list", host->last_error);
    }
    size_t extra = 0;
    for (size_t i = 0; i < m->prof.file_count; i++)
        extra += strlen(m->prof.files[i].path) + 1;
    char *list = st == SP_OK ? malloc(oldlen + extra + 1) : NULL;
    if (st == SP_OK && !list)
        st = sim_open_fail(err, errlen, SP_ERR_NOMEM, "sim", "out of memory");
    size_t len = oldlen;
    if (list && oldlen)
        memcpy(list, old, oldlen);
    for (size_t i = 0; i < m->prof.file_count && st == SP_OK; i++) {
        const sim_seedfile *f = &m->prof.files[i];
        if (sim_seed_listed(list, len, f->path))
            continue;
        st = sim_seed_file(sys, f);
        if (st != SP_OK) {
            sim_open_fail(err, errlen, st, f->path, sys->last_error);
            break;
        }
        size_t n = strlen(f->path);
        memcpy(list + len, f->path, n);
        list[len + n] = '\n';
        len += n + 1;
    }
    if (st == SP_OK && len != oldlen) {
        st = host->ops->file_write_atomic(host, marker, list, len);
        if (st != SP_OK)
            sim_open_fail(err, errlen, st, "cannot write the sim's seed list", host->last_error);
    }
    free(list);
    free(old);
    free(marker);
    return st;
}

sp_status sp_sim_open(const char *json, size_t len, sp_sys *host, const char *root, sp_sys **out,
                      char *err, size_t errlen)
{
    return sp_sim_open_ex(json, len, host, root, out, err, errlen, NULL);
}

sp_status sp_sim_open_ex(const char *json, size_t len, sp_sys *host, const char *root, sp_sys **out,
                         char *err, size_t errlen, int *state_problem)
{
    if (state_problem)
        *state_problem = 0;
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return sim_open_fail(err, errlen, SP_ERR_INVALID, "sim", "missing output");
    *out = NULL;
    if (!host || !host->ops || !root || !*root)
        return sim_open_fail(err, errlen, SP_ERR_INVALID, "sim",
                             "needs a host backend and a root folder");
    sp_sys *sys = calloc(1, sizeof *sys);
    sim_machine *m = calloc(1, sizeof *m);
    if (!sys || !m) {
        free(sys);
        free(m);
        return sim_open_fail(err, errlen, SP_ERR_NOMEM, "sim", "out of memory");
    }
    sys->ops = &sim_ops;
    sys->impl = m;
    m->host = host;
    sp_status st = sim_profile_parse(json, len, &m->prof, err, errlen);
    if (st != SP_OK) {
        sim_close(sys);
        return st;
    }
    if (!(m->root = sim_strdup(root))) {
        sim_close(sys);
        return sim_open_fail(err, errlen, SP_ERR_NOMEM, "sim", "out of memory");
    }
    /* A root like C:\demo or one with backslashes is a Windows host's folder. */
    m->sep = (strchr(root, '\\') || root[1] == ':') ? '\\' : '/';
    m->fold_case = m->sep == '/';
    st = host->ops->dir_create(host, root);
    if (st != SP_OK) {
        sim_open_fail(err, errlen, st, "cannot create the sim's root folder", host->last_error);
        sim_close(sys);
        return st;
    }
    /* What earlier runs on this root changed (none on a fresh root: the pristine profile). */
    if ((st = sim_state_open(sys, json, len, err, errlen)) != SP_OK) {
        if (state_problem)
            *state_problem = 1;
        sim_close(sys);
        return st;
    }
    for (int i = 0; i < SIM_FOLDER_COUNT && st == SP_OK; i++) {
        st = sim_dir_create(sys, m->prof.folders[i]);
        if (st != SP_OK)
            sim_open_fail(err, errlen, st, m->prof.folders[i], sys->last_error);
    }
    if (st == SP_OK)
        st = sim_seed_files(sys, err, errlen);
    if (st != SP_OK) {
        sim_close(sys);
        return st;
    }
    sys->last_error[0] = '\0';
    *out = sys;
    return SP_OK;
}

const char *sp_sim_profile_name(const sp_sys *sim)
{
    if (!sim || !sim->ops || strcmp(sim->ops->name, "sim") != 0 || !sim->impl)
        return "";
    const sim_machine *m = sim->impl;
    return m->prof.name ? m->prof.name : "";
}

sp_status sp_sim_host_path(sp_sys *sim, const char *winpath, char *out, size_t outlen)
{
    if (!sim || !sim->impl || !out || outlen == 0)
        return SP_ERR_INVALID;
    sim_machine *m = sim->impl;
    char *hp = NULL;
    sp_status st = sim_map_path(m->root, m->sep, winpath, &hp);
    if (st != SP_OK)
        return sp_sys_fail(sim, st, "%s is not an absolute Windows path without \"..\"",
                           winpath ? winpath : "(null)");
    size_t n = strlen(hp);
    if (n >= outlen)
        st = sp_sys_fail(sim, SP_ERR_INVALID, "host path of %s is too long", winpath);
    else
        memcpy(out, hp, n + 1);
    free(hp);
    return st;
}
