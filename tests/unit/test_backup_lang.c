/* wbadmin's and NTBackup's text in other languages than English (issue 19): German and French
 * fixtures, the server's language first, unknown text never read as "no backup". */
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
#include "core/backup/labels.h"
#include "core/backup/ntblog.h"
#include "core/backup/wbadmin.h"
#include "core/base/civil.h"
#include "core/session.h"
#include "core/state.h"
#include "tests/unit/testutil.h"

#define LANG_DE 0x0407
#define fixture(path, len) ((char *)testutil_read_file(path, len)) /* NULL fails the test below */
#define LANG_FR 0x040C

static void wbadmin_should_read_german_and_french_versions(void **s)
{
    (void)s;
    static const struct {
        const char *file;
        unsigned langid;
        size_t count;
        const char *latest_full;
        int files_of_last; /* the last version can restore files */
        int full_of_last;
    } cases[] = {
        {"tests/fixtures/wbadmin/2008r2-de-DE.txt", LANG_DE, 3, "03/15/2011-04:00", 1, 0},
        {"tests/fixtures/wbadmin/2008r2-de-DE.txt", 0, 3, "03/15/2011-04:00", 1, 0},        /* language unknown */
        {"tests/fixtures/wbadmin/2008r2-de-DE.txt", LANG_FR, 3, "03/15/2011-04:00", 1, 0},  /* the wrong one first */
        {"tests/fixtures/wbadmin/2012-fr-FR.txt", LANG_FR, 2, "03/14/2016-22:00", 1, 0},
        {"tests/fixtures/wbadmin/2012-fr-FR.txt", 0x0409, 2, "03/14/2016-22:00", 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *t = fixture(cases[i].file, &len), err[300];
        sp_wb_versions v;
        assert_int_equal(sp_wbadmin_parse_versions_lang(t, len, cases[i].langid, &v, err, sizeof err), SP_OK);
        assert_int_equal(v.count, cases[i].count);
        const sp_wb_version *f = sp_wb_latest_full(&v);
        assert_non_null(f);
        assert_string_equal(f->id, cases[i].latest_full);
        assert_true(f->full && f->files);
        assert_int_equal(v.items[v.count - 1].files, cases[i].files_of_last);
        assert_int_equal(v.items[v.count - 1].full, cases[i].full_of_last);
        sp_wb_versions_free(&v);
        free(t);
    }
    /* The German target keeps its umlaut (UTF-8 after decoding). */
    size_t len;
    char *t = fixture("tests/fixtures/wbadmin/2008r2-de-DE.txt", &len), err[300];
    sp_wb_versions v;
    assert_int_equal(sp_wbadmin_parse_versions_lang(t, len, LANG_DE, &v, err, sizeof err), SP_OK);
    assert_non_null(strstr(v.items[0].target, "Datentr\xC3\xA4ger"));
    assert_int_equal(v.items[1].time, 1300161600);
    sp_wb_versions_free(&v);
    free(t);
}

static void wbadmin_should_know_no_backup_and_errors_in_german_and_french(void **s)
{
    (void)s;
    size_t len;
    char err[300];
    sp_wb_versions v;
    char *t = fixture("tests/fixtures/wbadmin/none-de-DE.txt", &len);
    assert_int_equal(sp_wbadmin_parse_versions_lang(t, len, LANG_DE, &v, err, sizeof err), SP_OK);
    assert_int_equal(v.count, 0);
    free(t);
    t = fixture("tests/fixtures/wbadmin/error-fr-FR.txt", &len);
    assert_int_equal(sp_wbadmin_parse_versions_lang(t, len, LANG_FR, &v, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "catalogue de sauvegarde"));
    free(t);
    assert_true(sp_wbadmin_error_line("FEHLER - Der Sicherungsvorgang wurde beendet."));
    assert_true(sp_wbadmin_error_line("ERROR - The backup operation stopped."));
    assert_false(sp_wbadmin_error_line("Der Sicherungsvorgang wurde erfolgreich abgeschlossen."));
}

static void wbadmin_should_say_unreadable_never_no_backup_for_an_unknown_language(void **s)
{
    (void)s;
    static const char *const files[] = {"tests/fixtures/wbadmin/none-ru-RU.txt", "tests/fixtures/wbadmin/2008r2-ru-RU.txt"};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *t = fixture(files[i], &len), err[300];
        sp_wb_versions v;
        assert_int_equal(sp_wbadmin_parse_versions_lang(t, len, 0x0419, &v, err, sizeof err), SP_ERR_BADDATA);
        assert_non_null(strstr(err, "could not be read"));
        assert_non_null(strstr(err, "wbadmin 1.0")); /* the first lines are shown */
        assert_int_equal(v.count, 0);
        free(t);
    }
    /* One unknown line among known ones is enough. */
    const char *odd = "wbadmin 1.0 - Backup command-line tool\r\n\r\nBackup time: 3/13/2011 9:00 PM\r\n"
                      "Version identifier: 03/14/2011-04:00\r\nRecovery horizon: none\r\n"
                      "Can recover: Volume(s), File(s), Bare Metal Recovery\r\n";
    char err[300];
    sp_wb_versions v;
    assert_int_equal(sp_wbadmin_parse_versions_lang(odd, strlen(odd), 0, &v, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "Recovery horizon"));
}

static void wbadmin_should_find_the_identifier_under_a_label_no_table_has(void **s)
{
    (void)s;
    /* A German variant whose identifier label differs: the identifier's shape is the key. */
    const char *t = "wbadmin 1.0 - Sicherungsbefehlszeilen-Tool\r\n\r\nSicherungszeit: 14.03.2011 21:00\r\n"
                    "Sicherungsziel: Festplatte(E:)\r\nVersionskennung: 03/15/2011-04:00\r\n"
                    "Wiederherstellbar: Volume(s), Datei(en), Anwendung(en), Bare-Metal-Recovery, Systemstatus\r\n";
    char err[300];
    sp_wb_versions v;
    assert_int_equal(sp_wbadmin_parse_versions_lang(t, strlen(t), LANG_DE, &v, err, sizeof err), SP_OK);
    assert_int_equal(v.count, 1);
    assert_string_equal(v.items[0].id, "03/15/2011-04:00");
    assert_true(v.items[0].full && v.items[0].files);
    sp_wb_versions_free(&v);
}

/* Every line of a progress fixture with a percentage gives it, in order; words never count. */
static void progress_should_be_read_by_percentages_in_every_language(void **s)
{
    (void)s;
    static const char *const files[] = {"tests/fixtures/wbadmin/backup-progress.txt", "tests/fixtures/wbadmin/backup-progress-de-DE.txt",
                                        "tests/fixtures/wbadmin/backup-progress-fr-FR.txt"};
    static const int want[] = {0, 12, 57, 100, 40};
    for (size_t i = 0; i < 3; i++) {
        size_t len, got = 0;
        char *t = fixture(files[i], &len);
        for (char *l = strtok(t, "\n"); l; l = strtok(NULL, "\n")) {
            int p = sp_wbadmin_progress(l);
            if (p < 0)
                continue;
            assert_true(got < 5);
            assert_int_equal(p, want[got++]);
        }
        assert_int_equal(got, 5);
        free(t);
    }
    assert_int_equal(sp_wbadmin_progress("\xEF\xBC\x88" "45\xEF\xBC\x85\xEF\xBC\x89"), 45); /* （45％） */
    assert_int_equal(sp_wbadmin_progress("Volume Daten (2 %)(D:) kopiert (7 %)."), 7);
    assert_int_equal(sp_wbadmin_progress("copié (101 %)."), -1);
}

static sp_status parse_log(const char *name, int day_first, unsigned langid, sp_ntb_summary *sum, char *err)
{
    size_t len;
    char *t = fixture(name, &len);
    sp_status st = sp_ntblog_parse_lang((const unsigned char *)t, len, day_first, langid, sum, err, 300);
    free(t);
    return st;
}

static void ntblog_should_read_german_and_french_logs(void **s)
{
    (void)s;
    sp_ntb_summary sum;
    char err[300];
    const int64_t want = sp_civil_to_unix(2024, 3, 2, 23, 48, 0);
    assert_int_equal(parse_log("tests/fixtures/ntbackup/normal-de-DE.log", 1, LANG_DE, &sum, err), SP_OK);
    assert_true(sum.found);
    assert_int_equal(sum.completed, want);
    assert_int_equal(sum.sets, 2);
    assert_int_equal(sum.normal_sets, 2);
    assert_string_equal(sum.what, "C:, Systemstatus");
    assert_int_equal(parse_log("tests/fixtures/ntbackup/normal-de-DE.log", 1, 0, &sum, err), SP_OK);
    assert_int_equal(sum.completed, want);
    assert_int_equal(parse_log("tests/fixtures/ntbackup/normal-fr-FR.log", 1, LANG_FR, &sum, err), SP_OK);
    assert_true(sum.found);
    assert_int_equal(sum.completed, want);
    assert_string_equal(sum.what, "C:, \xC3\x89tat du syst\xC3\xA8me");
    assert_int_equal(parse_log("tests/fixtures/ntbackup/incremental-de-DE.log", 1, LANG_DE, &sum, err), SP_OK);
    assert_false(sum.found);
    assert_int_equal(sum.sets, 1);
    /* A log saved as ANSI (Windows-1252): "über" still matches. */
    assert_int_equal(parse_log("tests/fixtures/ntbackup/normal-de-DE-ansi.log", 1, LANG_DE, &sum, err), SP_OK);
    assert_true(sum.found);
    assert_int_equal(sum.completed, sp_civil_to_unix(2024, 1, 5, 9, 0, 0));
    assert_string_equal(sum.what, "D: Daten");
}

static void ntblog_should_read_dates_of_every_shape(void **s)
{
    (void)s;
    static const struct {
        const char *line;
        int day_first;
        int64_t want;
    } cases[] = {
        {"Sicherung beendet am 02.03.2024 um 23:41.", 1, 0},
        {"Sauvegarde terminée le 02/03/2024 à 23:41.", 1, 0},
        {"Copia de seguridad completada el 02/03/2024 a las 23:41.", 1, 0},
        {"Back-up voltooid op 2-3-2024 om 23:41.", 1, 0},
        {"Backup completed on 3/2/2024 at 11:41 PM.", 0, 0},
        {"バックアップ完了日時: 2024/03/02 23:41", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char log[300], err[300];
        sp_ntb_summary sum;
        snprintf(log, sizeof log, "Backup Status\r\nBackup of \"C:\"\r\nBackup Type: Normal\r\n%s\r\n", cases[i].line);
        assert_int_equal(sp_ntblog_parse_lang((const unsigned char *)log, strlen(log), cases[i].day_first, 0,
                                              &sum, err, sizeof err), SP_OK);
        if (!sum.found)
            fail_msg("not read: %s", cases[i].line);
        assert_int_equal(sum.completed, sp_civil_to_unix(2024, 3, 2, 23, 41, 0));
    }
}

static void ntblog_should_show_the_first_lines_of_what_it_cannot_read(void **s)
{
    (void)s;
    const char *ru = "Состояние архивации\r\nОперация: Архивация\r\n";
    char err[300];
    sp_ntb_summary sum;
    assert_int_equal(sp_ntblog_parse_lang((const unsigned char *)ru, strlen(ru), 1, 0x0419, &sum, err, sizeof err),
                     SP_ERR_BADDATA);
    assert_non_null(strstr(err, "could not be read"));
    assert_non_null(strstr(err, "\xD0\x9E\xD0\xBF\xD0\xB5\xD1\x80\xD0\xB0\xD1\x86\xD0\xB8\xD1\x8F")); /* Операция */
}

static void labels_should_put_the_server_language_first(void **s)
{
    (void)s;
    sp_lang order[SP_LANG_COUNT];
    sp_lang_order(0x0407, order);
    assert_int_equal(order[0], SP_LANG_DE);
    assert_int_equal(order[1], SP_LANG_EN);
    sp_lang_order(0x0816, order); /* Portuguese (Portugal): Brazil's table */
    assert_int_equal(order[0], SP_LANG_PT_BR);
    sp_lang_order(0x0419, order); /* Russian: no table, English first */
    assert_int_equal(order[0], SP_LANG_EN);
    for (int i = 0; i < SP_LANG_COUNT; i++) /* each once */
        for (int k = i + 1; k < SP_LANG_COUNT; k++)
            assert_int_not_equal(order[i], order[k]);
    char label[64];
    const char *value = NULL;
    assert_true(sp_label_split("Identificateur de version\xC2\xA0: 03/14/2016-22:00", label, sizeof label, &value));
    assert_string_equal(label, "Identificateur de version");
    assert_string_equal(value, "03/14/2016-22:00");
    assert_true(sp_label_split("\xE5\x9B\x9E\xE5\xBE\xA9\xE5\x8F\xAF\xE8\x83\xBD\xEF\xBC\x9A x", label, sizeof label, &value));
    assert_string_equal(label, "\xE5\x9B\x9E\xE5\xBE\xA9\xE5\x8F\xAF\xE8\x83\xBD");
    assert_string_equal(value, "x");
    assert_false(sp_label_split("no colon here", label, sizeof label, &value));
}

/* ---- The step on a simulated German server --------------------------------------------- */

/* SBS 2011 in German: wbadmin's list in German, a file with an umlaut, and (events) the
 * Windows Server Backup channel. now - 03/15/2011-04:00 UTC is 38.4 hours. */
static cJSON *german_2011(const char *versions_fixture, int with_events)
{
    size_t n;
    char *out = fixture(versions_fixture, &n);
    assert_non_null(out);
    cJSON *prof = cJSON_Parse(
        "{\"os\": {\"major\": 6, \"minor\": 1, \"build\": 7601, \"product_type\": 2, \"suite_mask\": 16416,"
        " \"product_info\": 30, \"ui_language\": 1031, \"product_name\": \"Windows Small Business Server 2011 Standard\"},"
        " \"now\": 1300300000, \"processes\": ["
        "  {\"argv\": [\"wbadmin\", \"get\", \"versions\"], \"exit\": 0},"
        "  {\"argv\": [\"wbadmin\", \"start\", \"recovery\", \"-version:03/15/2011-04:00\", \"-itemType:File\","
        "   \"-items:C:\\\\Daten\\\\\xC3\x9C" "bersicht.txt\", \"-recoveryTarget:D:\\\\R\\\\01\", \"-overwrite:Overwrite\","
        "   \"-quiet\"], \"exit\": 0, \"output\": \"Die Wiederherstellung wurde abgeschlossen.\\r\\n\"}],"
        " \"files\": {\"C:\\\\Daten\\\\\xC3\x9C" "bersicht.txt\": {\"text\": \"Umsatz\", \"mtime\": 1300000000},"
        "  \"D:\\\\R\\\\01\\\\\xC3\x9C" "bersicht.txt\": \"Umsatz\"}}");
    assert_non_null(prof);
    cJSON_AddStringToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(prof, "processes"), 0), "output", out);
    free(out);
    /* What the backup holds, in German too (the get items parser reads it by its own table). */
    out = fixture("tests/fixtures/wbitems/c-only-de-DE.txt", &n);
    assert_non_null(out);
    cJSON *items = cJSON_Parse("{\"argv\": [\"wbadmin\", \"get\", \"items\", \"-version:03/15/2011-04:00\"], \"exit\": 0}");
    cJSON_AddStringToObject(items, "output", out);
    cJSON_AddItemToArray(cJSON_GetObjectItem(prof, "processes"), items);
    if (with_events)
        cJSON_AddItemToObject(prof, "events", cJSON_Parse(
            "{\"Microsoft-Windows-Backup\": ["
            " {\"source\": \"Microsoft-Windows-Backup\", \"id\": 1, \"type\": \"information\", \"age_hours\": 38.4},"
            " {\"source\": \"Microsoft-Windows-Backup\", \"id\": 4, \"type\": \"information\", \"age_hours\": 37},"
            " {\"source\": \"Microsoft-Windows-Backup\", \"id\": 14, \"type\": \"information\", \"age_hours\": 37},"
            " {\"source\": \"Microsoft-Windows-Backup\", \"id\": 517, \"type\": \"error\", \"age_hours\": 10}]}"));
    free(out);
    return prof;
}

static void open_profile(testutil_world *w, cJSON *prof)
{
    testutil_world_open_profile(w, prof);
    cJSON_Delete(prof);
    sp_step_state *st = sp_state_step(w->session.state, "backup");
    if (!st->data)
        st->data = cJSON_CreateObject();
    cJSON_AddStringToObject(st->data, SP_BACKUP_KEY_FOLDER, "D:\\R");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(st->data, "roots"), cJSON_CreateString("C:\\Daten"));
}

/* Whether finding x's title, as the wizard shows it in lang, holds text. */
static int says(const sp_finding *x, const char *lang, const char *text)
{
    char *t = sp_text_of(testutil_text_rc, (void *)lang, x->title_id, x->arg);
    int found = t && strstr(t, text);
    if (!found)
        print_error("%s title: %s\n", lang, t ? t : "(none)");
    free(t);
    return found;
}

static void backup_of_a_german_server_should_be_found_and_drilled(void **s)
{
    (void)s;
    testutil_world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_profile(&w, german_2011("tests/fixtures/wbadmin/2008r2-de-DE.txt", 0));
    assert_int_equal(testutil_world_run(&w, "backup", 1, &f), SP_RESULT_PASSED);
    assert_non_null(x = testutil_find(&f, "backup.last_full"));
    assert_string_equal(x->arg, "2011-03-15 04:00 UTC");
    assert_non_null(strstr(x->evidence, "Datentr\xC3\xA4ger"));
    assert_non_null(testutil_find(&f, "backup.drill_passed"));
    assert_non_null(x = testutil_find(&f, "backup.file_match"));
    assert_string_equal(x->arg, "C:\\Daten\\\xC3\x9C" "bersicht.txt");
    assert_null(testutil_find(&f, "backup.none"));
    /* No channel on this simulated server: the step says it read the text only. */
    assert_non_null(x = testutil_find(&f, "backup.source"));
    assert_true(says(x, "en-US", "\"wbadmin get versions\" (the Microsoft-Windows-Backup event log is not on this server)"));
    assert_true(says(x, "de-DE", "Sicherungen gelesen aus: „wbadmin get versions“ (das Ereignisprotokoll "
                                 "„Microsoft-Windows-Backup“ gibt es auf diesem Server nicht)"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void backup_should_read_the_backup_channel_and_report_a_later_failure(void **s)
{
    (void)s;
    testutil_world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_profile(&w, german_2011("tests/fixtures/wbadmin/2008r2-de-DE.txt", 1));
    assert_int_equal(testutil_world_run(&w, "backup", 0, &f), SP_RESULT_FAILED); /* no drill yet */
    assert_non_null(testutil_find(&f, "backup.last_full"));
    assert_non_null(x = testutil_find(&f, "backup.source"));
    assert_true(says(x, "en-US", "the Microsoft-Windows-Backup event log, and \"wbadmin get versions\""));
    assert_true(says(x, "de-DE", "dem Ereignisprotokoll „Microsoft-Windows-Backup“ und „wbadmin get versions“"));
    assert_non_null(x = testutil_find(&f, "backup.last_attempt_failed"));
    assert_int_equal(x->severity, SP_SEV_WARNING);
    assert_string_equal(x->arg, "2011-03-16 08:26 UTC");
    assert_non_null(strstr(x->evidence, "event 517"));
    assert_null(testutil_find(&f, "backup.event_unlisted")); /* event 4 belongs to the listed version */
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void backup_should_say_unreadable_not_none_for_a_language_it_cannot_read(void **s)
{
    (void)s;
    testutil_world w;
    sp_findings f = {0};
    const sp_finding *x;
    open_profile(&w, german_2011("tests/fixtures/wbadmin/2008r2-ru-RU.txt", 1));
    assert_int_equal(testutil_world_run(&w, "backup", 0, &f), SP_RESULT_FAILED);
    assert_null(testutil_find(&f, "backup.none"));
    assert_non_null(x = testutil_find(&f, "backup.wbadmin_bad"));
    assert_non_null(strstr(x->arg, "could not be read"));
    /* The channel still tells that a backup finished: it is not in the list SourcePrep read. */
    assert_non_null(x = testutil_find(&f, "backup.event_unlisted"));
    assert_string_equal(x->arg, "2011-03-15 05:26 UTC");
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* ---- NTBackup on a German SBS 2003 (the demo, edited) ---------------------------------- */

#define DEMO_LOG "C:\\Documents and Settings\\Administrator\\Local Settings\\Application Data\\Microsoft\\Windows NT\\NTBackup\\data\\backup01.log"

static const char *demo_events; /* the Application log the edit puts in, NULL for none */
static int demo_drop_log;       /* the edit removes the NTBackup log */

static void germanize(cJSON *prof)
{
    size_t n;
    cJSON *os = cJSON_GetObjectItem(prof, "os"), *files = cJSON_GetObjectItem(prof, "files");
    cJSON *reg = cJSON_GetObjectItem(prof, "registry");
    cJSON_AddNumberToObject(os, "ui_language", 0x0407);
    /* A German account writes dates day first (iDate 1): NTBackup's log follows it. */
    cJSON_AddItemToObject(reg, "HKCU\\Control Panel\\International",
                          cJSON_Parse("{\"iDate\": {\"sz\": \"1\"}, \"sShortDate\": {\"sz\": \"dd.MM.yyyy\"}}"));
    cJSON *log = cJSON_GetObjectItem(files, DEMO_LOG);
    assert_non_null(log);
    if (demo_drop_log) {
        cJSON_DeleteItemFromObject(files, DEMO_LOG);
    } else {
        unsigned char *raw = testutil_read_file("tests/fixtures/ntbackup/normal-de-DE.log", &n);
        assert_non_null(raw);
        char *text = sp_ntblog_text(raw, n); /* the fixture is UTF-16: the profile takes UTF-8 */
        cJSON_ReplaceItemInObject(log, "text", cJSON_CreateString(text));
        free(text);
        free(raw);
    }
    if (demo_events)
        cJSON_AddItemToObject(cJSON_GetObjectItem(prof, "events"), "Application", cJSON_Parse(demo_events));
}

static void ntbackup_of_a_german_server_should_be_found_with_its_events(void **s)
{
    (void)s;
    testutil_world w;
    sp_findings f = {0};
    const sp_finding *x;
    demo_events = "[{\"source\": \"NTBackup\", \"id\": 8000, \"type\": \"information\", \"age_hours\": 3},"
                  " {\"source\": \"NTBackup\", \"id\": 8019, \"type\": \"warning\", \"age_hours\": 2},"
                  " {\"source\": \"Userenv\", \"id\": 8019, \"type\": \"warning\", \"age_hours\": 1}]";
    demo_drop_log = 0;
    testutil_world_open_edited(&w, "resources/demo-sbs2003.json", germanize);
    assert_int_equal(testutil_world_run(&w, "backup", 0, &f), SP_RESULT_FAILED); /* no drill yet */
    assert_non_null(x = testutil_find(&f, "backup.last_full"));
    assert_string_equal(x->arg, "2024-03-03 07:48 UTC"); /* 02.03.2024 23:48, Pacific */
    assert_non_null(strstr(x->evidence, "C:, Systemstatus"));
    assert_non_null(x = testutil_find(&f, "backup.source"));
    assert_true(says(x, "en-US", "Backups read from: the Application event log, and NTBackup's logs"));
    assert_true(says(x, "de-DE", "Sicherungen gelesen aus: dem Ereignisprotokoll „Application“ und den "
                                 "Protokollen von NTBackup"));
    assert_non_null(x = testutil_find(&f, "backup.last_attempt_failed"));
    assert_non_null(strstr(x->evidence, "event 8019, source NTBackup")); /* not Userenv's */
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void ntbackup_event_without_a_readable_log_should_not_be_no_backup_silently(void **s)
{
    (void)s;
    testutil_world w;
    sp_findings f = {0};
    const sp_finding *x;
    demo_events = "[{\"source\": \"NTBackup\", \"id\": 8001, \"type\": \"information\", \"age_hours\": 5}]";
    demo_drop_log = 1;
    testutil_world_open_edited(&w, "resources/demo-sbs2003.json", germanize);
    assert_int_equal(testutil_world_run(&w, "backup", 0, &f), SP_RESULT_FAILED);
    assert_null(testutil_find(&f, "backup.last_full"));
    assert_non_null(testutil_find(&f, "backup.none"));
    assert_non_null(x = testutil_find(&f, "backup.ntbackup_event_nolog"));
    assert_int_equal(x->severity, SP_SEV_WARNING);
    sp_findings_free(&f);
    testutil_world_close(&w);
    demo_events = NULL;
    demo_drop_log = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wbadmin_should_read_german_and_french_versions),
        cmocka_unit_test(wbadmin_should_know_no_backup_and_errors_in_german_and_french),
        cmocka_unit_test(wbadmin_should_say_unreadable_never_no_backup_for_an_unknown_language),
        cmocka_unit_test(wbadmin_should_find_the_identifier_under_a_label_no_table_has),
        cmocka_unit_test(progress_should_be_read_by_percentages_in_every_language),
        cmocka_unit_test(ntblog_should_read_german_and_french_logs),
        cmocka_unit_test(ntblog_should_read_dates_of_every_shape),
        cmocka_unit_test(ntblog_should_show_the_first_lines_of_what_it_cannot_read),
        cmocka_unit_test(labels_should_put_the_server_language_first),
        cmocka_unit_test(backup_of_a_german_server_should_be_found_and_drilled),
        cmocka_unit_test(backup_should_read_the_backup_channel_and_report_a_later_failure),
        cmocka_unit_test(backup_should_say_unreadable_not_none_for_a_language_it_cannot_read),
        cmocka_unit_test(ntbackup_of_a_german_server_should_be_found_with_its_events),
        cmocka_unit_test(ntbackup_event_without_a_readable_log_should_not_be_no_backup_silently),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
