/* The restore drill and the Backup step: sampling, comparison, the sim's new primitives, the gate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/backup/backup.h"
#include "core/base/civil.h"
#include "core/backup/drill.h"
#include "core/backup/fntb.h"
#include "core/journal.h"
#include "core/msgids.h"
#include "core/session.h"
#include "core/state.h"
#include "tests/unit/testutil.h"

#define OLD 1700000000LL  /* files written before the backup */
#define BACKUP 1700100000LL

/* The sim alone: the drill's primitives need no session. */
typedef testutil_world machine;

static const char *const BARE =
    "{\"os\": {\"major\": 5, \"minor\": 2, \"build\": 3790, \"product_type\": 3}}";

static void put(machine *m, const char *path, const char *text, int64_t mtime)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '\\') = '\0';
    assert_int_equal(m->sim->ops->dir_create(m->sim, dir), SP_OK);
    assert_int_equal(m->sim->ops->file_write_atomic(m->sim, path, text, strlen(text)), SP_OK);
    assert_int_equal(m->sim->ops->file_set_mtime(m->sim, path, mtime), SP_OK);
}

static void sample_should_be_uniform_over_many_runs(void **s)
{
    (void)s;
    machine m;
    enum { FILES = 10, K = 3, RUNS = 3000 };
    unsigned hits[FILES] = {0};
    char path[100];
    testutil_world_open_sim(&m, BARE);
    for (int i = 0; i < FILES; i++) {
        snprintf(path, sizeof path, "C:\\data\\%s\\f%d.txt", i % 2 ? "odd" : "even", i);
        put(&m, path, "x", OLD);
    }
    const char *roots[] = {"C:\\data"};
    for (int r = 0; r < RUNS; r++) {
        sp_drill_sample smp;
        assert_int_equal(sp_drill_sample_tree(m.sim, roots, 1, K, BACKUP, 1234 + (uint64_t)r * 7919, NULL, NULL, NULL, &smp), SP_OK);
        assert_int_equal(smp.count, K);
        assert_int_equal(smp.eligible, FILES);
        for (size_t j = 0; j < smp.count; j++) {
            int idx = atoi(strrchr(smp.picks[j].path, 'f') + 1);
            hits[idx]++;
        }
        sp_drill_sample_free(&smp);
    }
    /* Chi-square with 9 degrees of freedom: 27.88 is the 0.1% critical value. */
    double expected = (double)RUNS * K / FILES, chi = 0;
    for (int i = 0; i < FILES; i++)
        chi += (hits[i] - expected) * (hits[i] - expected) / expected;
    if (chi >= 27.88)
        fail_msg("not uniform: chi-square %.2f", chi);
    testutil_world_close(&m);
}

static void sample_should_skip_newer_files_and_leave_out_databases(void **s)
{
    (void)s;
    machine m;
    sp_drill_sample smp;
    testutil_world_open_sim(&m, BARE);
    put(&m, "C:\\data\\old.txt", "old", OLD);
    put(&m, "C:\\data\\new.txt", "new", BACKUP + 60);
    put(&m, "C:\\Program Files\\Exchsrvr\\MDBDATA\\priv1.edb", "db", OLD);
    put(&m, "C:\\Program Files\\Exchsrvr\\MDBDATA\\E00.log", "log", OLD);
    put(&m, "C:\\data\\logs\\app.log", "an ordinary log", OLD);
    put(&m, "C:\\SQL\\WSS_Content.mdf", "sharepoint", OLD);
    put(&m, "C:\\RECYCLER\\S-1-5-21\\Dc1.txt", "deleted", OLD);
    const char *roots[] = {"C:\\"};
    assert_int_equal(sp_drill_sample_tree(m.sim, roots, 1, 20, BACKUP, 1, NULL, NULL, NULL, &smp), SP_OK);
    assert_int_equal(smp.count, 2); /* old.txt and app.log */
    assert_int_equal(smp.newer, 1);
    assert_string_equal(smp.example_newer, "C:\\data\\new.txt");
    assert_int_equal(smp.excluded, 4);
    for (size_t i = 0; i < smp.count; i++)
        assert_null(strstr(smp.picks[i].path, "new.txt"));
    sp_drill_sample_free(&smp);
    assert_int_equal(sp_drill_excluded("C:\\x\\a.STM", 0), SP_DRILL_EXCHANGE);
    assert_int_equal(sp_drill_excluded("C:\\x\\a.ldf", 0), SP_DRILL_DATABASE);
    assert_int_equal(sp_drill_excluded("C:\\pagefile.sys", 0), SP_DRILL_SYSTEM);
    assert_int_equal(sp_drill_excluded("C:\\System Volume Information", 1), SP_DRILL_SYSTEM);
    assert_int_equal(sp_drill_excluded("C:\\Docs\\report.doc", 0), SP_DRILL_KEEP);
    testutil_world_close(&m);
}

/* O(k): the sample holds k paths whatever the tree's size; a smaller tree fills fewer. */
static void sample_should_hold_k_files_however_large_the_tree(void **s)
{
    (void)s;
    machine m;
    sp_drill_sample smp;
    char path[100];
    testutil_world_open_sim(&m, BARE);
    for (int i = 0; i < 600; i++) {
        snprintf(path, sizeof path, "C:\\t\\d%d\\f%d", i % 17, i);
        put(&m, path, "x", OLD);
    }
    const char *roots[] = {"C:\\t"};
    assert_int_equal(sp_drill_sample_tree(m.sim, roots, 1, 5, BACKUP, 9, NULL, NULL, NULL, &smp), SP_OK);
    assert_int_equal(smp.k, 5);
    assert_int_equal(smp.count, 5);
    assert_int_equal(smp.eligible, 600);
    sp_drill_sample_free(&smp);
    volatile long cancel = 1;
    assert_int_equal(sp_drill_sample_tree(m.sim, roots, 1, 5, BACKUP, 9, &cancel, NULL, NULL, &smp), SP_ERR_CANCELLED);
    assert_int_equal(sp_drill_sample_tree(m.sim, roots, 1, 0, BACKUP, 9, NULL, NULL, NULL, &smp), SP_ERR_INVALID);
    testutil_world_close(&m);
}

static void write_bytes(machine *m, const char *path, const unsigned char *data, size_t n)
{
    assert_int_equal(m->sim->ops->file_write_atomic(m->sim, path, data, n), SP_OK);
}

static void compare_should_find_a_flipped_byte_a_truncation_and_a_missing_file(void **s)
{
    (void)s;
    machine m;
    enum { SIZE = 300001 };
    unsigned char *data = malloc(SIZE), buf[4096];
    sp_cmp_result r;
    testutil_world_open_sim(&m, BARE);
    m.sim->ops->dir_create(m.sim, "C:\\d");
    for (size_t i = 0; i < SIZE; i++)
        data[i] = (unsigned char)(i * 31 + (i >> 8));
    write_bytes(&m, "C:\\d\\orig", data, SIZE);
    write_bytes(&m, "C:\\d\\same", data, SIZE);
    assert_int_equal(sp_drill_compare(m.sim, "C:\\d\\orig", "C:\\d\\same", buf, sizeof buf, 1, NULL, &r), SP_OK);
    assert_int_equal(r.outcome, SP_CMP_MATCH);
    assert_int_equal(r.size, SIZE);
    char whole[65];
    {
        /* The hash of the streamed original is the hash of its bytes. */
        #include "core/base/sha256.h"
        sp_sha256 c;
        unsigned char d[32];
        sp_sha256_init(&c);
        sp_sha256_update(&c, data, SIZE);
        sp_sha256_final(&c, d);
        sp_sha256_hex(d, whole);
    }
    assert_string_equal(r.sha256, whole);
    volatile long stop = 1;
    assert_int_equal(sp_drill_compare(m.sim, "C:\\d\\orig", "C:\\d\\same", buf, sizeof buf, 1, &stop, &r), SP_ERR_CANCELLED);
    data[123457] ^= 0x10;
    write_bytes(&m, "C:\\d\\flipped", data, SIZE);
    assert_int_equal(sp_drill_compare(m.sim, "C:\\d\\orig", "C:\\d\\flipped", buf, sizeof buf, 1, NULL, &r), SP_OK);
    assert_int_equal(r.outcome, SP_CMP_DIFFERS);
    assert_int_equal(r.offset, 123457);
    assert_string_equal(r.sha256, whole); /* the original's hash, read to its end anyway */
    data[123457] ^= 0x10;
    write_bytes(&m, "C:\\d\\short", data, 200000);
    assert_int_equal(sp_drill_compare(m.sim, "C:\\d\\orig", "C:\\d\\short", buf, sizeof buf, 0, NULL, &r), SP_OK);
    assert_int_equal(r.outcome, SP_CMP_DIFFERS);
    assert_int_equal(r.offset, 200000);
    assert_int_equal(sp_drill_compare(m.sim, "C:\\d\\orig", "C:\\d\\nothere", buf, sizeof buf, 0, NULL, &r), SP_OK);
    assert_int_equal(r.outcome, SP_CMP_MISSING);
    assert_int_equal(sp_drill_compare(m.sim, "C:\\d\\gone", "C:\\d\\same", buf, sizeof buf, 0, NULL, &r), SP_OK);
    assert_int_equal(r.outcome, SP_CMP_SOURCE_GONE);
    write_bytes(&m, "C:\\d\\empty1", (const unsigned char *)"", 0);
    write_bytes(&m, "C:\\d\\empty2", (const unsigned char *)"", 0);
    assert_int_equal(sp_drill_compare(m.sim, "C:\\d\\empty1", "C:\\d\\empty2", buf, sizeof buf, 1, NULL, &r), SP_OK);
    assert_int_equal(r.outcome, SP_CMP_MATCH);
    assert_string_equal(r.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    free(data);
    testutil_world_close(&m);
}

static void restored_path_should_find_the_tree_or_the_numbered_folder(void **s)
{
    (void)s;
    machine m;
    char out[400];
    testutil_world_open_sim(&m, BARE);
    assert_int_equal(sp_drill_restored_path(m.sim, "D:\\R", "C:\\a\\b.txt", 3, out, sizeof out), SP_OK);
    assert_string_equal(out, "D:\\R\\C\\a\\b.txt"); /* nothing there: the tree form, to report */
    put(&m, "D:\\R\\a\\b.txt", "x", OLD);
    assert_int_equal(sp_drill_restored_path(m.sim, "D:\\R\\", "C:\\a\\b.txt", 3, out, sizeof out), SP_OK);
    assert_string_equal(out, "D:\\R\\a\\b.txt");
    put(&m, "D:\\R\\03\\b.txt", "x", OLD);
    assert_int_equal(sp_drill_restored_path(m.sim, "D:\\R", "C:\\a\\b.txt", 3, out, sizeof out), SP_OK);
    assert_string_equal(out, "D:\\R\\03\\b.txt");
    testutil_world_close(&m);
}

typedef struct {
    char lines[8][100];
    int n, stop_at;
} line_log;

static int log_line(void *user, const char *line)
{
    line_log *l = user;
    if (l->n < 8)
        snprintf(l->lines[l->n], sizeof l->lines[0], "%s", line);
    return ++l->n == l->stop_at;
}

static void sim_should_stream_canned_output_line_by_line_and_stop(void **s)
{
    (void)s;
    machine m;
    line_log l;
    int code = 0;
    testutil_world_open_sim(&m, "{\"os\": {\"major\": 6, \"minor\": 1, \"build\": 7601, \"product_type\": 2},"
                                " \"processes\": [{\"argv\": [\"wbadmin\", \"x\"], \"exit\": 3, \"line_delay_ms\": 1,"
                                " \"output\": \"one\\r\\ntwo (50%)\\nthree\"}],"
                                " \"files\": {\"C:\\\\u.log\": {\"text\": \"Aé\", \"utf16\": true, \"mtime\": 1000}}}");
    const char *argv[] = {"wbadmin", "x", NULL};
    memset(&l, 0, sizeof l);
    assert_int_equal(m.sim->ops->proc_run_lines(m.sim, argv, 0, log_line, &l, NULL, &code), SP_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.lines[1], "two (50%)");
    assert_string_equal(l.lines[2], "three");
    assert_int_equal(code, 3);
    memset(&l, 0, sizeof l);
    l.stop_at = 2;
    assert_int_equal(m.sim->ops->proc_run_lines(m.sim, argv, 0, log_line, &l, NULL, &code), SP_ERR_CANCELLED);
    assert_int_equal(l.n, 2);
    volatile long cancel = 1;
    assert_int_equal(m.sim->ops->proc_run_lines(m.sim, argv, 0, NULL, NULL, &cancel, &code), SP_ERR_CANCELLED);
    unsigned char got[16];
    size_t n = 0;
    assert_int_equal(m.sim->ops->file_read_at(m.sim, "C:\\u.log", 0, got, sizeof got, &n), SP_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(got, "\xff\xfe" "A\0\xe9\0", 6);
    assert_int_equal(m.sim->ops->file_read_at(m.sim, "C:\\u.log", 4, got, 1, &n), SP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(got[0], 0xe9);
    sp_filestat fs;
    assert_int_equal(m.sim->ops->file_stat(m.sim, "C:\\u.log", &fs), SP_OK);
    assert_int_equal(fs.mtime, 1000);
    assert_int_equal(m.sim->ops->file_read_at(m.sim, "C:\\none", 0, got, 1, &n), SP_ERR_NOTFOUND);
    testutil_world_close(&m);
    /* A bad file object names itself. */
    char err[300];
    const char *bad = "{\"os\": {\"major\": 5}, \"files\": {\"C:\\\\a\": {\"text\": 1}}}";
    assert_int_equal(testutil_sim_open_status(bad, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "text must be a string"));
}

/* ---- The step on the demo server ---------------------------------------------------- */

typedef testutil_world world;

static void open_demo(world *w)
{
    testutil_world_open(w, "resources/demo-sbs2003.json");
}

static sp_result run(world *w, int apply, sp_findings *f)
{
    return testutil_world_run(w, "backup", apply, f);
}

static void set_folder(world *w, const char *folder)
{
    sp_step_state *s = sp_state_step(w->session.state, "backup");
    if (!s->data)
        s->data = cJSON_CreateObject();
    cJSON_DeleteItemFromObject(s->data, SP_BACKUP_KEY_FOLDER);
    cJSON_AddStringToObject(s->data, SP_BACKUP_KEY_FOLDER, folder);
}

static void backup_should_pass_only_after_a_drill_that_matched_every_file(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    int64_t now;
    open_demo(&w);
    now = w.sim->ops->time_now(w.sim);
    /* The check finds NTBackup's last normal backup (local 11:48 PM two days ago, Pacific:
     * the demo's log is dated relative to the clock, so that it stays within the tombstone). */
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_string_equal(testutil_find(&f, "backup.tool")->arg, "NTBackup");
    assert_non_null(x = testutil_find(&f, "backup.last_full"));
    {
        char day[32], want[40];
        int y = 0, mo = 0, d = 0;
        sp_civil_format(now - 2 * 86400, day, sizeof day);
        assert_int_equal(sscanf(day, "%d-%d-%d", &y, &mo, &d), 3);
        sp_civil_format(sp_civil_to_unix(y, mo, d, 23, 48, 0) + 8 * 3600, want, sizeof want);
        strcat(want, " UTC");
        assert_string_equal(x->arg, want);
    }
    assert_non_null(x = testutil_find(&f, "backup.volumes_needed"));
    assert_string_equal(x->arg, "C:");
    assert_non_null(testutil_find(&f, "backup.tombstone")); /* 180 days, read from the directory */
    assert_null(testutil_find(&f, "backup.volume_missing"));
    assert_non_null(testutil_find(&f, "backup.drill_not_run"));
    assert_false(sp_state_gate_open(w.session.state, "backup", now));
    sp_findings_free(&f);

    /* Nothing restored yet: the list is written for the technician, and kept. */
    set_folder(&w, "D:\\Nowhere");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "backup.restore_needed"));
    assert_string_equal(x->arg, "D:\\Nowhere");
    assert_non_null(strstr(x->evidence, "drill-files.txt"));
    assert_non_null(x = testutil_find(&f, "backup.excluded"));
    assert_string_equal(x->arg, "4"); /* priv1.edb, priv1.stm, pub1.edb, E00.log */
    assert_non_null(testutil_find(&f, "backup.newer_skipped"));
    sp_findings_free(&f);

    /* A damaged restore: the drill fails and names the file and the offset. */
    set_folder(&w, "D:\\Restore-March");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "backup.drill_failed"));
    assert_non_null(x = testutil_find(&f, "backup.file_differs"));
    assert_string_equal(x->arg, "C:\\Company Shared Folders\\Accounting\\Budget 2024.csv");
    assert_non_null(strstr(x->evidence, "offset=59 "));
    assert_false(sp_state_gate_open(w.session.state, "backup", now));
    sp_findings_free(&f);
    /* The sample is kept once for a second restore; a second failure drops it: a new one next. */
    cJSON *bdata = sp_state_step(w.session.state, "backup")->data;
    assert_non_null(cJSON_GetObjectItem(bdata, "pending"));
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(bdata, "pending"), "failures")->valueint, 1);
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "backup.drill_failed"));
    assert_null(cJSON_GetObjectItem(sp_state_step(w.session.state, "backup")->data, "pending"));
    sp_findings_free(&f);

    /* The good restore: every file matches, with its SHA-256; the gate opens. */
    set_folder(&w, "D:\\Restore");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    assert_non_null(x = testutil_find(&f, "backup.drill_passed"));
    assert_string_equal(x->arg, "6");
    assert_non_null(x = testutil_find(&f, "backup.file_match"));
    assert_non_null(strstr(x->evidence, "sha256="));
    assert_null(testutil_find(&f, "backup.file_differs"));
    assert_true(sp_state_gate_open(w.session.state, "backup", now));
    sp_findings_free(&f);
    /* A later check sees the same record. */
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    sp_findings_free(&f);

    /* A change made after the backup makes it too old. */
    assert_int_equal(sp_journal_file_write(w.session.journal, "policy", "C:\\x.txt", "x", 1), SP_OK);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "backup.older_than_changes"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static const char *const WB2011 =
    "{\"os\": {\"major\": 6, \"minor\": 1, \"build\": 7601, \"sp_major\": 1, \"product_type\": 2,"
    " \"suite_mask\": 16416, \"product_info\": 30, \"product_name\": \"Windows Small Business Server 2011 Standard\"},"
    " \"now\": 1300300000,"
    " \"processes\": ["
    "  {\"argv\": [\"wbadmin\", \"get\", \"versions\"], \"exit\": 0, \"output\": \"wbadmin 1.0 - Backup command-line tool\\r\\n\\r\\n"
    "Backup time: 3/14/2011 9:00 PM\\r\\nBackup target: 1394/USB Disk labeled Disk_01(E:)\\r\\nVersion identifier: 03/15/2011-04:00\\r\\n"
    "Can recover: Volume(s), File(s), Application(s), Bare Metal Recovery, System State\\r\\n\"},"
    "  {\"argv\": [\"wbadmin\", \"get\", \"items\", \"-version:03/15/2011-04:00\"], \"exit\": 0, \"output\": \"wbadmin 1.0 - Backup command-line tool\\r\\n\\r\\n"
    "Volume ID = {0a1b}\\r\\nVolume '<No Volume Label>', mounted at C:\\r\\nVolume size = 68.33 GB\\r\\nCan recover = Full volume\\r\\n\"},"
    "  {\"argv\": [\"wbadmin\", \"start\", \"recovery\", \"-version:03/15/2011-04:00\", \"-itemType:File\", \"-items:C:\\\\Data\\\\only.txt\","
    "   \"-recoveryTarget:D:\\\\R\\\\01\", \"-overwrite:Overwrite\", \"-quiet\"], \"exit\": 0, \"output\": \"Successfully recovered.\\r\\n\"}"
    " ],"
    " \"files\": {\"C:\\\\Data\\\\only.txt\": {\"text\": \"the only file\", \"mtime\": 1300000000},"
    "  \"D:\\\\R\\\\01\\\\only.txt\": \"the only file\"}}";

static void backup_should_restore_with_wbadmin_on_2008_and_later(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    cJSON *roots;
    testutil_world_open_json(&w, WB2011);
    set_folder(&w, "D:\\R");
    roots = cJSON_AddArrayToObject(sp_state_step(w.session.state, "backup")->data, "roots");
    cJSON_AddItemToArray(roots, cJSON_CreateString("C:\\Data"));
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    assert_non_null(testutil_find(&f, "backup.drill_passed"));
    assert_string_equal(testutil_find(&f, "backup.last_full")->evidence, "1394/USB Disk labeled Disk_01(E:)");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void backup_should_read_the_last_full_backup_of_the_2011_profile_from_wbadmin(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    testutil_world_open(&w, "tests/profiles/sbs2011std.json");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_string_equal(testutil_find(&f, "backup.last_full")->arg, "2011-03-15 04:00 UTC");
    /* Years old on today's clock, and the profile has no directory: 60 days assumed, too old. */
    assert_non_null(testutil_find(&f, "backup.tombstone_unread"));
    assert_non_null(testutil_find(&f, "backup.older_than_tombstone"));
    assert_null(testutil_find(&f, "backup.drill_not_run"));
    assert_non_null(testutil_find(&f, "backup.tool"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

typedef struct {
    unsigned last, calls, backwards;
    int saw_wbadmin_line;
    unsigned at_second_volume; /* the bar at the D: volume's 40 % (+1: 0 is not seen) */
} progress_log;

static void on_progress(void *user, unsigned permille, const char *what)
{
    progress_log *p = user;
    if (p->calls++ && permille < p->last && permille != 0)
        p->backwards++;
    p->last = permille;
    if (what && strstr(what, "copied (57%)"))
        p->saw_wbadmin_line = 1;
    if (what && strstr(what, "(D:)") && (strstr(what, "(40%)") || strstr(what, "(40 %)")))
        p->at_second_volume = permille + 1;
}

/* The bar of a wbadmin backup of C: (asked for) and D: (named by wbadmin's own listing) at D:'s
 * 40 %, wbadmin speaking the language of the fixture. */
static unsigned progress_at_second_volume(const char *fixture)
{
    world w;
    sp_findings f = {0};
    size_t n;
    char *out = (char *)testutil_read_file(fixture, &n);
    cJSON *prof = cJSON_Parse(
        "{\"os\": {\"major\": 6, \"minor\": 0, \"build\": 6002, \"product_type\": 2}, \"processes\": ["
        " {\"argv\": [\"wbadmin\", \"get\", \"versions\"], \"output\": \"wbadmin 1.0\\r\\nNo backups were found.\\r\\n\"},"
        " {\"argv\": [\"wbadmin\", \"start\", \"backup\", \"-backupTarget:E:\", \"-include:C:\", \"-allCritical\", \"-quiet\"], \"exit\": 0}]}");
    assert_non_null(out);
    cJSON_AddStringToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(prof, "processes"), 1), "output", out);
    char *json = cJSON_PrintUnformatted(prof);
    testutil_world_open_json(&w, json);
    if (!sp_state_step(w.session.state, "backup")->data)
        sp_state_step(w.session.state, "backup")->data = cJSON_CreateObject();
    cJSON_AddStringToObject(sp_state_step(w.session.state, "backup")->data, SP_BACKUP_KEY_TARGET, "E:");
    progress_log pl = {0, 0, 0, 0, 0};
    sp_run_ctx ctx = sp_session_ctx(&w.session, NULL);
    sp_result r = SP_RESULT_NOT_RUN;
    ctx.progress = on_progress;
    ctx.progress_user = &pl;
    assert_int_equal(sp_step_run(sp_step_find("backup"), &ctx, 1, &f, &r), SP_OK);
    assert_non_null(testutil_find(&f, "backup.backup_done"));
    assert_int_equal(pl.backwards, 0);
    sp_findings_free(&f);
    testutil_world_close(&w);
    free(json);
    free(out);
    cJSON_Delete(prof);
    return pl.at_second_volume;
}

/* Two volumes: C: whole is half the bar, D: at 40 % is 700 permille, in every language: the
 * volumes are counted by their drive letters, not by an English sentence. */
static void backup_progress_should_count_the_volumes_wbadmin_names_in_any_language(void **s)
{
    (void)s;
    assert_int_equal(progress_at_second_volume("tests/fixtures/wbadmin/backup-progress.txt"), 701);
    assert_int_equal(progress_at_second_volume("tests/fixtures/wbadmin/backup-progress-de-DE.txt"), 701);
    /* Without the listing (the French fixture has none), C: of -include: is all it knows: the
     * bar is full after C: and stays there, never going back. */
    assert_int_equal(progress_at_second_volume("tests/fixtures/wbadmin/backup-progress-fr-FR.txt"), 1001);
}

static void backup_should_start_wbadmin_with_progress_when_there_is_no_backup(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    size_t n;
    char *out = (char *)testutil_read_file("tests/fixtures/wbadmin/backup-progress.txt", &n);
    cJSON *prof = cJSON_Parse(
        "{\"os\": {\"major\": 6, \"minor\": 0, \"build\": 6002, \"product_type\": 2}, \"processes\": ["
        " {\"argv\": [\"wbadmin\", \"get\", \"versions\"], \"output\": \"wbadmin 1.0\\r\\nNo backups were found.\\r\\n\"},"
        " {\"argv\": [\"wbadmin\", \"start\", \"backup\", \"-backupTarget:E:\", \"-include:C:\", \"-allCritical\", \"-quiet\"], \"exit\": 0}]}");
    cJSON_AddStringToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(prof, "processes"), 1), "output", out);
    char *json = cJSON_PrintUnformatted(prof);
    testutil_world_open_json(&w, json);
    /* Without a target it says so. */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "backup.no_target"));
    sp_findings_free(&f);
    cJSON_AddStringToObject(sp_state_step(w.session.state, "backup")->data, SP_BACKUP_KEY_TARGET, "E:");
    progress_log pl = {0, 0, 0, 0, 0};
    sp_run_ctx ctx = sp_session_ctx(&w.session, NULL);
    sp_result r = SP_RESULT_NOT_RUN;
    ctx.progress = on_progress;
    ctx.progress_user = &pl;
    assert_int_equal(sp_step_run(sp_step_find("backup"), &ctx, 1, &f, &r), SP_OK);
    assert_int_equal(r, SP_RESULT_FAILED);
    assert_true(pl.saw_wbadmin_line); /* wbadmin's own progress line reached the page */
    assert_int_equal(pl.backwards, 0);
    assert_non_null(testutil_find(&f, "backup.backup_done"));
    assert_non_null(testutil_find(&f, "backup.none")); /* the canned list still has none: said, not hidden */
    sp_findings_free(&f);
    cJSON_DeleteItemFromObject(sp_state_step(w.session.state, "backup")->data, SP_BACKUP_KEY_TARGET);
    cJSON_AddStringToObject(sp_state_step(w.session.state, "backup")->data, SP_BACKUP_KEY_TARGET, "E: -quiet");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "backup.bad_target"));
    sp_findings_free(&f);
    cJSON_DeleteItemFromObject(sp_state_step(w.session.state, "backup")->data, SP_BACKUP_KEY_TARGET);
    cJSON_AddStringToObject(sp_state_step(w.session.state, "backup")->data, SP_BACKUP_KEY_TARGET, "c:");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "backup.bad_target")); /* the system volume */
    sp_findings_free(&f);
    testutil_world_close(&w);
    free(json);
    free(out);
    cJSON_Delete(prof);
}

/* ---- The data volumes, the contents of a backup, the tombstone ------------------------ */

#define SBS2011 "tests/profiles/sbs2011std.json"

static void open_case(world *w, const char *patch)
{
    char path[200];
    snprintf(path, sizeof path, "tests/profiles/backup/%s.patch.json", patch);
    testutil_world_open_patched(w, SBS2011, path, NULL);
}

static void backup_should_name_a_data_volume_the_backup_lacks(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_case(&w, "d-share-missing");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    /* The shares and this server's Exchange database are on D: (the printer's G: and the NAS
     * share are not data volumes; F: belongs to another Exchange server). */
    assert_non_null(x = testutil_find(&f, "backup.volumes_needed"));
    assert_string_equal(x->arg, "C:,D:");
    assert_non_null(strstr(x->evidence, "D: share"));
    assert_non_null(x = testutil_find(&f, "backup.volume_missing"));
    assert_string_equal(x->arg, "D:");
    assert_int_equal(x->severity, SP_SEV_ERROR);
    assert_non_null(x->evidence);
    assert_null(testutil_find(&f, "backup.drill_not_run")); /* no drill on a backup that lacks data */
    assert_null(testutil_find(&f, "backup.drill_passed"));
    assert_false(sp_state_gate_open(w.session.state, "backup", w.sim->ops->time_now(w.sim)));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void backup_should_accept_a_backup_that_holds_every_data_volume(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_case(&w, "c-and-d");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED); /* the drill is still to run */
    assert_null(testutil_find(&f, "backup.volume_missing"));
    assert_null(testutil_find(&f, "backup.items_unreadable"));
    assert_non_null(testutil_find(&f, "backup.drill_not_run"));
    assert_non_null(x = testutil_find(&f, "backup.tombstone"));
    assert_string_equal(x->arg, "180");
    assert_null(testutil_find(&f, "backup.older_than_tombstone"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void backup_should_refuse_a_backup_older_than_the_tombstone_lifetime(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_case(&w, "tombstone-180");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "backup.older_than_tombstone"));
    assert_int_equal(x->severity, SP_SEV_ERROR);
    assert_non_null(strstr(x->evidence, "200 days old, tombstone lifetime 180 days"));
    assert_null(testutil_find(&f, "backup.drill_not_run"));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* Without tombstoneLifetime the directory keeps deleted objects 60 days. */
    open_case(&w, "tombstone-default");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "backup.tombstone"));
    assert_string_equal(x->arg, "60");
    assert_non_null(x = testutil_find(&f, "backup.older_than_tombstone"));
    assert_non_null(strstr(x->evidence, "70 days old, tombstone lifetime 60 days"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void backup_should_start_a_backup_that_includes_the_data_volumes(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_case(&w, "no-backup");
    cJSON *data = sp_state_step(w.session.state, "backup")->data = cJSON_CreateObject();
    /* D: holds data: wbadmin may not back up to it. */
    cJSON_AddStringToObject(data, SP_BACKUP_KEY_TARGET, "D:");
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "backup.target_needed"));
    assert_string_equal(x->arg, "D:");
    sp_findings_free(&f);
    cJSON_DeleteItemFromObject(data, SP_BACKUP_KEY_TARGET);
    cJSON_AddStringToObject(data, SP_BACKUP_KEY_TARGET, "E:");
    /* The profile answers only "-include:C:,D:": another command would fail the backup. */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "backup.backup_done"));
    assert_null(testutil_find(&f, "backup.backup_failed"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void fntb_should_read_entries_and_match_like_windows(void **s)
{
    (void)s;
    static sp_fntb f;
    const char *const vars[][2] = {{"%SystemRoot%", "C:\\WINDOWS"}, {NULL, NULL}};
    memset(&f, 0, sizeof f);
    assert_int_equal(sp_fntb_parse("%SystemRoot%\\Temp\\* /s", vars, &f.rules[f.count++]), SP_OK);
    assert_int_equal(sp_fntb_parse("\\Pagefile.sys", vars, &f.rules[f.count++]), SP_OK);
    assert_int_equal(sp_fntb_parse("D:\\Data\\*.bak", vars, &f.rules[f.count++]), SP_OK);
    assert_int_equal(sp_fntb_parse("%UserProfile%\\ntuser.dat.LOG", vars, &f.rules[3]), SP_ERR_UNSUPPORTED);
    assert_int_equal(sp_fntb_parse("   ", vars, &f.rules[3]), SP_ERR_BADDATA);
    assert_string_equal(f.rules[0].dir, "C:\\WINDOWS\\Temp");
    assert_true(f.rules[0].subdirs);
    assert_true(f.rules[1].any_volume);
    assert_true(sp_fntb_match(&f, "C:\\windows\\temp\\a\\b.txt"));   /* /s: below too */
    assert_true(sp_fntb_match(&f, "E:\\pagefile.sys"));                /* every volume */
    assert_false(sp_fntb_match(&f, "E:\\x\\pagefile.sys"));          /* its root only */
    assert_true(sp_fntb_match(&f, "D:\\Data\\Old.BAK"));
    assert_false(sp_fntb_match(&f, "D:\\Data\\sub\\Old.bak"));     /* no /s */
    assert_false(sp_fntb_match(&f, "D:\\Data\\Old.bak.txt"));
    assert_false(sp_fntb_match(&f, "C:\\WINDOWS\\TempX\\a.txt"));
}

static void drill_should_sample_the_data_volumes_but_not_what_no_backup_holds(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_case(&w, "files-not-to-backup");
    cJSON *data = sp_state_step(w.session.state, "backup")->data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, SP_BACKUP_KEY_FOLDER, "D:\\Restore");
    cJSON_AddNumberToObject(data, SP_BACKUP_KEY_K, 50);
    /* wbadmin restores nothing here (the profile has no recovery command). */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    /* A copy in the folder from an earlier run is no proof when this restore failed. */
    assert_non_null(testutil_find(&f, "backup.restore_failed"));
    assert_non_null(testutil_find(&f, "backup.drill_failed"));
    assert_null(testutil_find(&f, "backup.drill_passed"));
    assert_non_null(x = testutil_find(&f, "backup.not_backed_up"));
    assert_string_equal(x->arg, "3"); /* junk.tmp, deeper\more.tmp, Logs\cbs.log */
    assert_non_null(x = testutil_find(&f, "backup.comma_skipped"));
    assert_string_equal(x->arg, "1");
    assert_string_equal(x->evidence, "D:\\Company\\Smith, John.txt");
    cJSON *pending = cJSON_GetObjectItem(sp_state_step(w.session.state, "backup")->data, "drill");
    const cJSON *file;
    int letter = 0;
    cJSON_ArrayForEach(file, cJSON_GetObjectItem(pending, "files")) {
        const char *p = cJSON_GetObjectItem(file, "path")->valuestring;
        if (strncmp(p, "D:\\Restore", 10) == 0 || strstr(p, "Scratch") || strchr(p, ','))
            fail_msg("sampled %s", p);
        letter |= strcmp(p, "D:\\Users\\anna\\Letter.txt") == 0;
    }
    assert_true(letter); /* the D: data volume is sampled, not only C: */
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* Server 2003: NTBackup's log lists C: and System State; the shares are on D:. Apply with a target
 * runs NTBackup itself, with every needed volume. */
static void ntbackup_should_name_the_missing_volume_and_back_it_up(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    testutil_world_open_patched(&w, "tests/profiles/sbs2003.json",
                                "tests/profiles/backup/sbs2003-d-share.patch.json", NULL);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "backup.volume_missing"));
    assert_string_equal(x->arg, "D:");
    assert_int_equal(x->advice_id, IDS_F_BK_VOLUME_MISSING_NTB_ADVICE);
    assert_null(testutil_find(&f, "backup.drill_not_run"));
    sp_findings_free(&f);
    cJSON *data = sp_state_step(w.session.state, "backup")->data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, SP_BACKUP_KEY_TARGET, "E:");
    /* The profile answers only "ntbackup backup systemstate C:\ D:\ ... /F E:\SourcePrep FABSBS.bkf". */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED); /* its log is still the old one: said */
    assert_non_null(x = testutil_find(&f, "backup.backup_done"));
    assert_string_equal(x->arg, "E:\\SourcePrep FABSBS.bkf");
    assert_non_null(testutil_find(&f, "backup.volume_missing"));
    sp_findings_free(&f);
    /* The target may be the .bkf file itself; never on the system volume or a needed one. */
    static const struct {
        const char *target, *code;
        unsigned title, advice;
    } cases[] = {
        {"E:\\SourcePrep FABSBS.bkf", "backup.backup_done", IDS_F_BK_NTB_DONE, 0},
        {"C:\\Backup\\SBS.bkf", "backup.bad_target", IDS_F_BK_BAD_TARGET_NTB, IDS_F_BK_BAD_TARGET_NTB_ADVICE},
        {"D:\\SBS.bkf", "backup.target_needed", IDS_F_BK_TARGET_NEEDED, IDS_F_BK_TARGET_NEEDED_NTB_ADVICE},
        {"E:\\\"x\".bkf", "backup.bad_target", IDS_F_BK_BAD_TARGET_NTB, IDS_F_BK_BAD_TARGET_NTB_ADVICE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON_DeleteItemFromObject(data, SP_BACKUP_KEY_TARGET);
        cJSON_AddStringToObject(data, SP_BACKUP_KEY_TARGET, cases[i].target);
        assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
        assert_non_null(x = testutil_find(&f, cases[i].code));
        assert_int_equal(x->title_id, cases[i].title);
        assert_int_equal(x->advice_id, cases[i].advice);
        sp_findings_free(&f);
    }
    char file[300];
    sp_backup_bkf_path("\\\\nas\\backup\\", "SBS01", file, sizeof file);
    assert_string_equal(file, "\\\\nas\\backup\\SourcePrep SBS01.bkf");
    sp_backup_bkf_path("E:\\Backups", "SBS01", file, sizeof file);
    assert_string_equal(file, "E:\\Backups\\SourcePrep SBS01.bkf");
    testutil_world_close(&w);
}

/* The shares come from the registry and NetShareEnum: the union decides the volumes, and a
 * source that fails is said (issue 15). */
static sp_status (*real_enum_values)(sp_sys *, sp_reg_view, const char *, sp_name_cb, void *);

static sp_status shares_key_denied(sp_sys *sys, sp_reg_view view, const char *key, sp_name_cb cb, void *user)
{
    if (strstr(key, "LanmanServer\\Shares"))
        return sp_sys_fail(sys, SP_ERR_ACCESS, "RegOpenKeyEx: access denied");
    return real_enum_values(sys, view, key, cb, user);
}

static int count_share(void *user, const sp_share *share)
{
    char *names = user;
    strcat(names, share->name);
    strcat(names, share->type == 0 ? "=" : "~");
    strcat(names, share->path);
    strcat(names, ";");
    return 0;
}

static void open_shares_case(world *w, const char *net_shares_json)
{
    char json[600];
    snprintf(json, sizeof json, "{\"net_shares\": %s}", net_shares_json);
    cJSON *patch = cJSON_Parse(json);
    assert_non_null(patch);
    testutil_world_open_patched(w, SBS2011, "tests/profiles/backup/c-and-d.patch.json", patch);
    cJSON_Delete(patch);
}

static void backup_should_take_the_shares_of_both_sources(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    const sp_finding *x;
    sp_sys_ops ops;
    char names[600] = "";
    /* Without "net_shares" the sim's Server service serves what the registry keeps. */
    testutil_world_open_patched(&w, SBS2011, "tests/profiles/backup/c-and-d.patch.json", NULL);
    assert_int_equal(w.sim->ops->share_enum(w.sim, count_share, names), SP_OK);
    assert_non_null(strstr(names, "Users=D:\\Users;"));
    assert_non_null(strstr(names, "Printer~G:\\Spool;"));
    testutil_world_close(&w);
    /* The Server service serves a share the registry does not keep (E:\Scans), beside the
     * administrative E$ and a printer, which hold no data of their own. */
    open_shares_case(&w, "[{\"name\": \"Users\", \"path\": \"D:\\\\Users\", \"type\": 0},"
                         " {\"name\": \"Scans\", \"path\": \"E:\\\\Scans\", \"type\": 1073741824},"
                         " {\"name\": \"E$\", \"path\": \"E:\\\\\", \"type\": 2147483648},"
                         " {\"name\": \"F$\", \"path\": \"F:\\\\\", \"type\": 2147483648},"
                         " {\"name\": \"Laser\", \"path\": \"G:\\\\Spool\", \"type\": 1}]");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "backup.volumes_needed"));
    assert_string_equal(x->arg, "C:,D:,E:");
    assert_non_null(strstr(x->evidence, "E: share Scans (E:\\Scans)"));
    assert_non_null(x = testutil_find(&f, "backup.volume_missing"));
    assert_string_equal(x->arg, "E:");
    assert_null(testutil_find(&f, "backup.shares_source_failed"));
    assert_null(testutil_find(&f, "backup.drill_not_run"));
    sp_findings_free(&f);
    testutil_world_close(&w);

    /* NetShareEnum refused: the registry's shares stand alone, and that is said. */
    open_shares_case(&w, "\"access denied (5)\"");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "backup.volumes_needed"));
    assert_string_equal(x->arg, "C:,D:");
    assert_non_null(x = testutil_find(&f, "backup.shares_source_failed"));
    assert_int_equal(x->severity, SP_SEV_WARNING);
    assert_string_equal(x->arg, "NetShareEnum");
    assert_non_null(strstr(x->evidence, "access denied (5)"));
    assert_non_null(strstr(x->evidence, "the registry lists 3 disk shares"));
    assert_non_null(testutil_find(&f, "backup.drill_not_run")); /* the backup holds C: and D: */
    sp_findings_free(&f);

    /* The registry refused as well: the volumes of the shares are unknown, the step cannot pass. */
    ops = *w.sim->ops;
    real_enum_values = ops.reg_enum_values;
    ops.reg_enum_values = shares_key_denied;
    w.sim->ops = &ops;
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "backup.shares_unread"));
    assert_int_equal(x->severity, SP_SEV_ERROR);
    assert_non_null(strstr(x->evidence, "NetShareEnum: "));
    assert_non_null(strstr(x->evidence, "registry: access: RegOpenKeyEx: access denied"));
    assert_null(testutil_find(&f, "backup.drill_not_run"));
    sp_findings_free(&f);
    testutil_world_close(&w);

    /* The registry alone refused: NetShareEnum's shares stand. */
    open_shares_case(&w, "[{\"name\": \"Users\", \"path\": \"D:\\\\Users\", \"type\": 0}]");
    ops = *w.sim->ops;
    real_enum_values = ops.reg_enum_values;
    ops.reg_enum_values = shares_key_denied;
    w.sim->ops = &ops;
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_non_null(x = testutil_find(&f, "backup.shares_source_failed"));
    assert_non_null(strstr(x->arg, "LanmanServer\\Shares"));
    assert_non_null(strstr(x->evidence, "NetShareEnum serves 1 disk shares"));
    assert_non_null(x = testutil_find(&f, "backup.volumes_needed"));
    assert_string_equal(x->arg, "C:,D:");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void sim_should_date_a_file_relative_to_its_clock(void **s)
{
    (void)s;
    machine m;
    unsigned char *data = NULL;
    size_t n = 0;
    char err[200];
    /* 1300000000 is 2011-03-13 07:06 UTC: two days before is 3/11/2011. */
    testutil_world_open_sim(&m, "{\"os\": {\"major\": 5, \"minor\": 2, \"build\": 3790}, \"now\": 1300000000,"
                                " \"files\": {\"C:\\\\log.txt\": {\"text\": \"on {{DATE}} at 11 and {{DATE}}\", \"days_ago\": 2}}}");
    assert_int_equal(m.sim->ops->file_read(m.sim, "C:\\log.txt", &data, &n), SP_OK);
    assert_int_equal(n, strlen("on 3/11/2011 at 11 and 3/11/2011"));
    assert_memory_equal(data, "on 3/11/2011 at 11 and 3/11/2011", n);
    free(data);
    testutil_world_close(&m);
    assert_int_equal(testutil_sim_open_status("{\"os\": {\"major\": 5}, \"files\": {\"C:\\\\a\": {\"text\": \"x\", \"days_ago\": -1}}}",
                                              err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "days_ago"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_should_be_uniform_over_many_runs),
        cmocka_unit_test(sample_should_skip_newer_files_and_leave_out_databases),
        cmocka_unit_test(sample_should_hold_k_files_however_large_the_tree),
        cmocka_unit_test(compare_should_find_a_flipped_byte_a_truncation_and_a_missing_file),
        cmocka_unit_test(restored_path_should_find_the_tree_or_the_numbered_folder),
        cmocka_unit_test(sim_should_stream_canned_output_line_by_line_and_stop),
        cmocka_unit_test(backup_should_pass_only_after_a_drill_that_matched_every_file),
        cmocka_unit_test(backup_should_restore_with_wbadmin_on_2008_and_later),
        cmocka_unit_test(backup_should_read_the_last_full_backup_of_the_2011_profile_from_wbadmin),
        cmocka_unit_test(backup_should_start_wbadmin_with_progress_when_there_is_no_backup),
        cmocka_unit_test(backup_progress_should_count_the_volumes_wbadmin_names_in_any_language),
        cmocka_unit_test(backup_should_name_a_data_volume_the_backup_lacks),
        cmocka_unit_test(backup_should_accept_a_backup_that_holds_every_data_volume),
        cmocka_unit_test(backup_should_refuse_a_backup_older_than_the_tombstone_lifetime),
        cmocka_unit_test(backup_should_start_a_backup_that_includes_the_data_volumes),
        cmocka_unit_test(fntb_should_read_entries_and_match_like_windows),
        cmocka_unit_test(drill_should_sample_the_data_volumes_but_not_what_no_backup_holds),
        cmocka_unit_test(ntbackup_should_name_the_missing_volume_and_back_it_up),
        cmocka_unit_test(backup_should_take_the_shares_of_both_sources),
        cmocka_unit_test(sim_should_date_a_file_relative_to_its_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
