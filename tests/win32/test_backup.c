/* The Backup step on the real win32 backend under Wine: streamed output and Stop, reads at an
 * offset, and the restore drill end to end on real files with a stand-in wbadmin.exe that
 * restores by copying (one variant corrupts a byte: the gate must stay closed). */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cjson/cJSON.h>

#include "core/backup/backup.h"
#include "core/backup/datavol.h"
#include "core/backup/wbadmin.h"
#include "core/state.h"
#include "core/step.h"
#include "core/sys/win32/win32.h"
#include "core/sys/win32/win32_util.h"
#include "core/sysinfo.h"
#include "tests/win32/wtest.h"

#define BEFORE_BACKUP 1290000000LL /* 2010-11: older than the stand-in's 03/15/2011 backup */

static void temp_dir(sp_sys *sys, char *out, size_t n)
{
    char tmp[300];
    static int serial;
    sys->ops->folder(sys, SP_FOLDER_TEMP, tmp, sizeof tmp);
    snprintf(out, n, "%s\\sp-backup-%lu-%lu-%d", tmp, (unsigned long)GetCurrentProcessId(),
             (unsigned long)GetTickCount(), ++serial);
    sys->ops->dir_create(sys, out);
}

typedef struct {
    int lines, last_pct, ordered, stop_at_progress;
} line_seen;

static int on_line(void *user, const char *line)
{
    line_seen *s = user;
    const char *p = strstr(line, "copied (");
    s->lines++;
    if (p) {
        int pct = atoi(p + 8);
        if (pct < s->last_pct)
            s->ordered = 0;
        s->last_pct = pct;
        if (s->stop_at_progress)
            return 1;
    }
    return 0;
}

WTEST(proc_run_lines_should_hand_over_each_line_of_a_real_program)
{
    sp_sys *sys = sp_win32_open();
    const char *argv[] = {"wbadmin", "start", "backup", "-backupTarget:E:", "-allCritical", "-quiet", NULL};
    line_seen seen = {0, -1, 1, 0};
    int code = -1;
    WCHECK_EQ_INT(sys->ops->proc_run_lines(sys, argv, 600000, on_line, &seen, NULL, &code), SP_OK);
    WCHECK_EQ_INT(code, 0);
    WCHECK_MSG(seen.lines >= 10, "only %d lines", seen.lines);
    WCHECK(seen.ordered);
    WCHECK_EQ_INT(seen.last_pct, 100);
    sp_sys_close(sys);
}

/* test-win32.sh puts the stand-in in the system folder; the copy built beside this test
 * program is the planted one: CreateProcess would have found it first by the bare name. */
WTEST(a_program_beside_the_exe_should_not_run_the_system_folders_should)
{
    sp_sys *sys = sp_win32_open();
    const char *argv[] = {"wbadmin", "get", "versions", NULL};
    wchar_t log[MAX_PATH], sysdir[MAX_PATH], ran[MAX_PATH] = L"", want[MAX_PATH];
    char *out = NULL;
    size_t len = 0;
    int code = -1;
    FILE *f;
    GetTempPathW(MAX_PATH, log);
    wcscat(log, L"sp-wbadmin-where.txt");
    _wremove(log);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_WHERE", log);
    WCHECK_EQ_INT(sys->ops->proc_run(sys, argv, 600000, &out, &len, &code), SP_OK);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_WHERE", NULL);
    WCHECK_EQ_INT(code, 0);
    if ((f = _wfopen(log, L"r")) != NULL) {
        if (!fgetws(ran, MAX_PATH, f))
            ran[0] = 0;
        fclose(f);
    }
    ran[wcscspn(ran, L"\r\n")] = 0;
    GetSystemDirectoryW(sysdir, MAX_PATH);
    _snwprintf(want, MAX_PATH, L"%ls\\wbadmin.exe", sysdir);
    want[MAX_PATH - 1] = 0;
    WCHECK_MSG(_wcsicmp(ran, want) == 0, "ran %ls, not %ls", ran, want);
    _wremove(log);
    free(out);
    sp_sys_close(sys);
}

WTEST(proc_run_lines_should_stop_the_program_when_asked)
{
    sp_sys *sys = sp_win32_open();
    const char *argv[] = {"wbadmin", "start", "backup", "-backupTarget:E:", "-allCritical", "-quiet", NULL};
    line_seen seen = {0, -1, 1, 1};
    volatile long cancel = 1;
    int code = -1;
    DWORD t0;
    /* The stand-in prints 0 % at once, then one line a minute: a stop that works returns long
     * before the second line, one that does not waits at least a minute (no load comes near). */
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_DELAY", L"60000");
    t0 = GetTickCount();
    WCHECK_EQ_INT(sys->ops->proc_run_lines(sys, argv, 600000, on_line, &seen, NULL, &code), SP_ERR_CANCELLED);
    WCHECK_MSG(GetTickCount() - t0 < 60000, "took %lu ms", (unsigned long)(GetTickCount() - t0));
    WCHECK_EQ_INT(seen.last_pct, 0);
    t0 = GetTickCount();
    WCHECK_EQ_INT(sys->ops->proc_run_lines(sys, argv, 600000, NULL, NULL, &cancel, &code), SP_ERR_CANCELLED);
    WCHECK_MSG(GetTickCount() - t0 < 60000, "took %lu ms", (unsigned long)(GetTickCount() - t0));
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_DELAY", NULL);
    sp_sys_close(sys);
}

WTEST(file_read_at_should_read_from_an_offset_of_a_file_with_a_non_ascii_name)
{
    sp_sys *sys = sp_win32_open();
    char dir[400], path[500];
    unsigned char buf[8];
    size_t got = 0;
    sp_filestat fs;
    temp_dir(sys, dir, sizeof dir);
    snprintf(path, sizeof path, "%s\\Kundenübersicht.txt", dir);
    WCHECK_EQ_INT(sys->ops->file_write_atomic(sys, path, "0123456789", 10), SP_OK);
    WCHECK_EQ_INT(sys->ops->file_read_at(sys, path, 6, buf, sizeof buf, &got), SP_OK);
    WCHECK_EQ_INT(got, 4);
    WCHECK(memcmp(buf, "6789", 4) == 0);
    WCHECK_EQ_INT(sys->ops->file_read_at(sys, path, 20, buf, sizeof buf, &got), SP_OK);
    WCHECK_EQ_INT(got, 0);
    WCHECK_EQ_INT(sys->ops->file_set_mtime(sys, path, BEFORE_BACKUP), SP_OK);
    WCHECK_EQ_INT(sys->ops->file_stat(sys, path, &fs), SP_OK);
    WCHECK_EQ_INT(fs.mtime, BEFORE_BACKUP);
    snprintf(path, sizeof path, "%s\\missing", dir);
    WCHECK_EQ_INT(sys->ops->file_read_at(sys, path, 0, buf, sizeof buf, &got), SP_ERR_NOTFOUND);
    sp_sys_close(sys);
}

typedef struct {
    int files, dirs;
} counted;

static int count_entry(void *user, const char *name, int is_dir)
{
    counted *c = user;
    (void)name;
    if (is_dir)
        c->dirs++;
    else
        c->files++;
    return 0;
}

WTEST(long_paths_should_work_for_every_primitive_the_drill_uses)
{
    sp_sys *sys = sp_win32_open();
    char dir[400], deep[1200], path[1300];
    unsigned char buf[8];
    size_t got = 0;
    sp_filestat fs;
    counted c = {0, 0};
    temp_dir(sys, dir, sizeof dir);
    /* Beyond MAX_PATH: 6 folders of 50 characters. */
    snprintf(deep, sizeof deep, "%s", dir);
    for (int i = 0; i < 6; i++)
        snprintf(deep + strlen(deep), sizeof deep - strlen(deep), "\\%02d-folder-with-a-rather-long-name-for-the-drill-test", i);
    WCHECK_MSG(strlen(deep) > 300, "only %u characters", (unsigned)strlen(deep));
    WCHECK_MSG(sys->ops->dir_create(sys, deep) == SP_OK, "%s", sys->last_error);
    snprintf(path, sizeof path, "%s\\Données.txt", deep);
    WCHECK_EQ_INT(sys->ops->file_write_atomic(sys, path, "abcdef", 6), SP_OK);
    WCHECK_EQ_INT(sys->ops->file_set_mtime(sys, path, BEFORE_BACKUP), SP_OK);
    WCHECK_EQ_INT(sys->ops->file_stat(sys, path, &fs), SP_OK);
    WCHECK(fs.exists && fs.size == 6 && fs.mtime == BEFORE_BACKUP);
    WCHECK_EQ_INT(sys->ops->file_read_at(sys, path, 2, buf, 3, &got), SP_OK);
    WCHECK(got == 3 && memcmp(buf, "cde", 3) == 0);
    WCHECK_EQ_INT(sys->ops->dir_enum(sys, deep, count_entry, &c), SP_OK);
    WCHECK_EQ_INT(c.files, 1);
    sp_sys_close(sys);
}

/* Wine does not enforce MAX_PATH, so the long form itself is checked here: Windows does. */
WTEST(w32_path_should_give_long_paths_their_long_form)
{
    char longp[400], unc[400];
    wchar_t *w;
    memset(longp, 'a', sizeof longp);
    memcpy(longp, "C:\\", 3);
    longp[299] = '\0';
    snprintf(unc, sizeof unc, "\\\\srv\\share\\%s", longp + 3);
    WCHECK((w = w32_path(longp)) != NULL);
    WCHECK(wcsncmp(w, L"\\\\?\\C:\\aaa", 10) == 0);
    free(w);
    WCHECK((w = w32_path(unc)) != NULL);
    WCHECK(wcsncmp(w, L"\\\\?\\UNC\\srv\\share\\aa", 20) == 0);
    free(w);
    WCHECK((w = w32_path("C:/short/path")) != NULL);
    WCHECK(wcscmp(w, L"C:\\short\\path") == 0);
    free(w);
}

static unsigned drill_ui_language; /* the server's UI language the drill runs as (0: unknown) */

/* A 2008 R2-like context on the real machine: the step uses wbadmin (the stand-in). */
static sp_result drill(sp_sys *sys, const char *dir, sp_findings *f, sp_state **out_state)
{
    sp_sysinfo info;
    sp_state *st = sp_state_new(sys->ops->time_now(sys));
    sp_step_state *s = sp_state_step(st, "backup");
    char folder[500], data[500], path[600];
    sp_result r = SP_RESULT_NOT_RUN;
    static const char *const names[] = {"Invoices 2010.csv", "Notizen für Müller.txt", "big.bin",
                                        "sub\\deeper\\Report.doc", "empty.txt", "Smith, John.txt"};
    memset(&info, 0, sizeof info);
    info.os.major = 6, info.os.minor = 1, info.product = SP_PRODUCT_SBS2011_STANDARD;
    info.os.ui_language = drill_ui_language;
    snprintf(data, sizeof data, "%s\\data", dir);
    snprintf(folder, sizeof folder, "%s\\restore", dir);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *content;
        size_t size = i == 2 ? 3u * 1024 * 1024 + 17 : i == 4 ? 0 : 100 + i;
        snprintf(path, sizeof path, "%s\\%s", data, names[i]);
        *strrchr(path, '\\') = '\0';
        sys->ops->dir_create(sys, path);
        snprintf(path, sizeof path, "%s\\%s", data, names[i]);
        content = malloc(size + 1);
        for (size_t k = 0; k < size; k++)
            content[k] = (char)(k * 13 + i);
        sys->ops->file_write_atomic(sys, path, content, size);
        sys->ops->file_set_mtime(sys, path, BEFORE_BACKUP);
        free(content);
    }
    s->data = cJSON_CreateObject();
    cJSON_AddStringToObject(s->data, SP_BACKUP_KEY_FOLDER, folder);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(s->data, "roots"), cJSON_CreateString(data));
    sp_run_ctx ctx = {sys, st, NULL, &info, NULL, NULL, NULL};
    /* A German server's wbadmin speaks German (the stand-in, in code page 850). */
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_LANG", (drill_ui_language & 0x3FF) == 0x07 ? L"de-DE" : NULL);
    if (sp_step_run(sp_step_find("backup"), &ctx, 1, f, &r) != SP_OK)
        r = SP_RESULT_ERROR;
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_LANG", NULL);
    *out_state = st;
    return r;
}

static const sp_finding *find(const sp_findings *f, const char *code)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].code, code) == 0)
            return &f->items[i];
    return NULL;
}

WTEST(drill_should_pass_when_wbadmin_restores_every_file_intact)
{
    sp_sys *sys = sp_win32_open();
    char dir[400];
    sp_findings f = {0};
    sp_state *st = NULL;
    const sp_finding *x;
    temp_dir(sys, dir, sizeof dir);
    sp_result r = drill(sys, dir, &f, &st);
    for (size_t i = 0; r != SP_RESULT_PASSED && i < f.count; i++)
        wtest_note("%s: %s | %s", f.items[i].code, wtest_str_or_null(f.items[i].arg), wtest_str_or_null(f.items[i].evidence));
    WCHECK_EQ_INT(r, SP_RESULT_PASSED);
    WCHECK((x = find(&f, "backup.drill_passed")) != NULL);
    WCHECK_EQ_STR(x->arg, "5");
    /* wbadmin's -items: cannot take a comma: that file is left out, and the list says so. */
    WCHECK((x = find(&f, "backup.comma_skipped")) != NULL);
    if (x)
        WCHECK(strstr(x->evidence, "Smith, John.txt") != NULL);
    WCHECK(sp_state_gate_open(st, "backup", sys->ops->time_now(sys)));
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}

WTEST(drill_should_keep_the_gate_closed_when_a_restored_byte_differs)
{
    sp_sys *sys = sp_win32_open();
    char dir[400];
    sp_findings f = {0};
    sp_state *st = NULL;
    temp_dir(sys, dir, sizeof dir);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_CORRUPT", L"1");
    sp_result r = drill(sys, dir, &f, &st);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_CORRUPT", NULL);
    WCHECK_EQ_INT(r, SP_RESULT_FAILED);
    WCHECK(find(&f, "backup.drill_failed") != NULL);
    WCHECK(find(&f, "backup.file_differs") != NULL);
    WCHECK(strstr(find(&f, "backup.file_differs")->evidence, "offset=") != NULL);
    WCHECK(!sp_state_gate_open(st, "backup", sys->ops->time_now(sys)));
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}

/* ---- A German server (issue 19): wbadmin's CP850 bytes decoded, German labels read ---- */

static int on_german_line(void *user, const char *line)
{
    line_seen *s = user;
    int pct = sp_wbadmin_progress(line); /* by its percentage: "(40 %)" */
    s->lines++;
    if (pct >= 0) {
        if (pct < s->last_pct)
            s->ordered = 0;
        s->last_pct = pct;
    }
    return 0;
}

WTEST(german_wbadmin_output_should_keep_its_umlauts_and_its_progress)
{
    sp_sys *sys = sp_win32_open();
    const char *list[] = {"wbadmin", "get", "versions", NULL};
    const char *backup[] = {"wbadmin", "start", "backup", "-backupTarget:E:", "-allCritical", "-quiet", NULL};
    char *out = NULL;
    size_t len = 0;
    int code = -1;
    line_seen seen = {0, -1, 1, 0};
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_LANG", L"de-DE");
    WCHECK_EQ_INT(sys->ops->proc_run(sys, list, 600000, &out, &len, &code), SP_OK);
    /* CP850 0x9A is U+00DC, C3 9C in UTF-8; '?' or a lone 0x9A would mean it was lost. */
    WCHECK_MSG(out && strstr(out, "Sicherung \xC3\x9C" "berblick(E:)") != NULL, "got: %s", out ? out : "(null)");
    sp_wb_versions v;
    char err[300];
    WCHECK_EQ_INT(sp_wbadmin_parse_versions_lang(out, len, 0x0407, &v, err, sizeof err), SP_OK);
    WCHECK_EQ_INT((int)v.count, 1);
    WCHECK(sp_wb_latest_full(&v) != NULL);
    sp_wb_versions_free(&v);
    free(out);
    WCHECK_EQ_INT(sys->ops->proc_run_lines(sys, backup, 600000, on_german_line, &seen, NULL, &code), SP_OK);
    WCHECK_EQ_INT(code, 0);
    WCHECK(seen.ordered);
    WCHECK_EQ_INT(seen.last_pct, 100);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_LANG", NULL);
    sp_sys_close(sys);
}

WTEST(drill_should_find_and_restore_the_backup_of_a_german_server)
{
    sp_sys *sys = sp_win32_open();
    char dir[400];
    sp_findings f = {0};
    sp_state *st = NULL;
    const sp_finding *x;
    drill_ui_language = 0x0407;
    temp_dir(sys, dir, sizeof dir);
    sp_result r = drill(sys, dir, &f, &st);
    drill_ui_language = 0;
    WCHECK_MSG(r == SP_RESULT_PASSED, "result %d, %lu findings, first %s", (int)r, (unsigned long)f.count,
               f.count ? f.items[0].code : "-");
    WCHECK(find(&f, "backup.none") == NULL);
    WCHECK((x = find(&f, "backup.last_full")) != NULL);
    WCHECK_EQ_STR(x->arg, "2011-03-15 04:00 UTC");
    WCHECK(x->evidence && strstr(x->evidence, "\xC3\x9C" "berblick") != NULL);
    WCHECK((x = find(&f, "backup.drill_passed")) != NULL);
    WCHECK_EQ_STR(x->arg, "5"); /* "Notizen für Müller.txt" among them */
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}


/* The backup must hold the system volume: a backup of D: alone is refused, naming C:. */
WTEST(drill_should_not_run_on_a_backup_that_lacks_a_needed_volume)
{
    sp_sys *sys = sp_win32_open();
    char dir[400];
    sp_findings f = {0};
    sp_state *st = NULL;
    const sp_finding *x;
    temp_dir(sys, dir, sizeof dir);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_ITEMS", L"D:");
    sp_result r = drill(sys, dir, &f, &st);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_ITEMS", NULL);
    WCHECK_EQ_INT(r, SP_RESULT_FAILED);
    WCHECK((x = find(&f, "backup.volume_missing")) != NULL);
    if (x)
        WCHECK_EQ_STR(x->arg, "C:");
    WCHECK(find(&f, "backup.drill_passed") == NULL);
    WCHECK(find(&f, "backup.file_match") == NULL); /* nothing restored from it */
    WCHECK(!sp_state_gate_open(st, "backup", sys->ops->time_now(sys)));
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}

typedef struct {
    int count, disk;
} share_count;

static int count_shares(void *user, const sp_share *share)
{
    share_count *c = user;
    c->count++;
    c->disk += (share->type & 0xFF) == 0 && !(share->type & 0x80000000u);
    wtest_note("NetShareEnum: %s = %s (type 0x%08lX)", share->name, share->path, (unsigned long)share->type);
    return 0;
}

/* The shares come from the registry (LanmanServer\Shares) and from NetShareEnum: a share the
 * registry keeps on Z: makes Z: a needed volume; what NetShareEnum does here is asserted either
 * way: its shares join the list, or its failure is named (Wine's netapi32 has no Server service). */
WTEST(needed_volumes_should_come_from_the_registry_and_netshareenum)
{
    sp_sys *sys = sp_win32_open();
    static const char key[] = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Shares";
    static const char share[] = "Path=Z:\\SourcePrepShare\0Type=0\0";
    sp_regval v = {SP_REG_MULTI_SZ, (unsigned char *)share, sizeof share};
    sp_datavols vols;
    share_count c = {0, 0};
    char list[100];
    WCHECK_EQ_INT(sys->ops->reg_set(sys, SP_REG_VIEW_DEFAULT, key, "SourcePrepTest", &v), SP_OK);
    sp_status st = sys->ops->share_enum(sys, count_shares, &c);
    wtest_note("NetShareEnum: %s, %d shares (%d disk): %s", sp_status_name(st), c.count, c.disk,
               st == SP_OK ? "" : sys->last_error);
    WCHECK_EQ_INT(sp_datavols_find(sys, &vols), SP_OK);
    sys->ops->reg_delete_value(sys, SP_REG_VIEW_DEFAULT, key, "SourcePrepTest");
    sp_datavols_list(&vols, list, sizeof list);
    wtest_note("needed: %s; registry error: %s; NetShareEnum error: %s", list, vols.reg_error, vols.net_error);
    WCHECK(strstr(list, "Z:") != NULL);
    WCHECK_EQ_STR(vols.reg_error, "");
    WCHECK(vols.reg_shares >= 1);
    for (size_t i = 0; i < vols.count; i++)
        if (vols.vols[i].letter == 'Z')
            WCHECK(strstr(vols.vols[i].why, "share SourcePrepTest (Z:\\SourcePrepShare)") != NULL);
    if (st == SP_OK) {
        WCHECK_EQ_STR(vols.net_error, "");
        WCHECK_EQ_INT((int)vols.net_shares, c.disk);
    } else {
        /* The failure is kept for the finding, with the call that failed. */
        WCHECK(strstr(vols.net_error, "NetShareEnum") != NULL);
        WCHECK_EQ_INT((int)vols.net_shares, 0);
    }
    sp_sys_close(sys);
}

/* On a 2008 R2-like server under Wine the drill runs as before; what NetShareEnum said is in the
 * findings: a warning naming it when it failed, nothing when it answered. */
WTEST(drill_findings_should_name_a_share_source_that_failed)
{
    sp_sys *sys = sp_win32_open();
    char dir[400];
    sp_findings f = {0};
    sp_state *st = NULL;
    const sp_finding *x;
    share_count c = {0, 0};
    sp_status es = sys->ops->share_enum(sys, count_shares, &c);
    temp_dir(sys, dir, sizeof dir);
    drill(sys, dir, &f, &st);
    x = find(&f, "backup.shares_source_failed");
    if (es == SP_OK) {
        WCHECK(x == NULL);
    } else {
        WCHECK(x != NULL);
        if (x) {
            WCHECK_EQ_STR(x->arg, "NetShareEnum");
            WCHECK_EQ_INT(x->severity, SP_SEV_WARNING);
            wtest_note("finding: %s | %s", x->arg, x->evidence);
        }
    }
    WCHECK(find(&f, "backup.shares_unread") == NULL); /* the registry answered */
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}

typedef struct {
    volatile long *cancel;
    int calls;
} stopper;

static void stop_on_progress(void *user, unsigned permille, const char *what)
{
    stopper *s = user;
    (void)permille;
    if (what && strstr(what, "copied ("))
        *s->cancel = 1;
    s->calls++;
}

static int log_has(const wchar_t *log, const char *text)
{
    char line[600];
    int found = 0;
    FILE *f = _wfopen(log, L"r");
    while (f && !found && fgets(line, sizeof line, f))
        found = strstr(line, text) != NULL;
    if (f)
        fclose(f);
    return found;
}

/* Stop during the backup it started ends wbadmin and then the job itself (wbadmin stop job). */
WTEST(stop_during_the_backup_should_stop_the_wbadmin_job)
{
    sp_sys *sys = sp_win32_open();
    sp_sysinfo info;
    sp_state *st = sp_state_new(sys->ops->time_now(sys));
    sp_step_state *s = sp_state_step(st, "backup");
    sp_findings f = {0};
    sp_result r = SP_RESULT_NOT_RUN;
    volatile long cancel = 0;
    stopper stop = {&cancel, 0};
    wchar_t log[MAX_PATH];
    GetTempPathW(MAX_PATH, log);
    wcscat(log, L"sp-wbadmin-commands.txt");
    _wremove(log);
    memset(&info, 0, sizeof info);
    info.os.major = 6, info.os.minor = 1, info.product = SP_PRODUCT_SBS2011_STANDARD;
    s->data = cJSON_CreateObject();
    cJSON_AddStringToObject(s->data, SP_BACKUP_KEY_TARGET, "E:");
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_NONE", L"1");
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_DELAY", L"400");
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_LOG", log);
    sp_run_ctx ctx = {sys, st, NULL, &info, stop_on_progress, &stop, &cancel, NULL};
    sp_status rs = sp_step_run(sp_step_find("backup"), &ctx, 1, &f, &r);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_NONE", NULL);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_DELAY", NULL);
    SetEnvironmentVariableW(L"SP_FAKE_WBADMIN_LOG", NULL);
    WCHECK_MSG(rs == SP_ERR_CANCELLED || r != SP_RESULT_PASSED, "status %d result %d", (int)rs, (int)r);
    WCHECK(stop.calls > 0);
    WCHECK_MSG(log_has(log, "start backup -backupTarget:E: -include:C: -allCritical -quiet"),
               "the backup was not started with -include:C:");
    WCHECK_MSG(log_has(log, "stop job -quiet"), "wbadmin stop job -quiet was not run");
    WCHECK(!sp_state_gate_open(st, "backup", sys->ops->time_now(sys)));
    _wremove(log);
    sp_findings_free(&f);
    sp_state_free(st);
    sp_sys_close(sys);
}

WTEST_MAIN()
