/* The LOB planning step on simulated servers: what is suggested, how marks and plans survive a
 * new inventory, the gate's rule, the CSV export read back, install media, the svc_enum op. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "core/answers.h"
#include "core/base/csv.h"
#include "core/lob/lob.h"
#include "core/msgids.h"
#include "core/session.h"
#include "core/sys/posix/posix.h"
#include "tests/unit/testutil.h"

typedef testutil_world world;

static sp_result check(world *w, sp_findings *f)
{
    return testutil_world_run(w, "lob", 0, f);
}

/* The inventory entry whose field has that value. */
static cJSON *entry_with(world *w, const char *field, const char *value)
{
    cJSON *e;
    cJSON_ArrayForEach(e, sp_lob_entries(w->session.state))
        if (strcmp(sp_lob_text(e, field), value) == 0)
            return e;
    return NULL;
}
#define entry(w, id) entry_with(w, "id", id)
#define entry_named(w, name) entry_with(w, "name", name)

static int has_code(const sp_findings *f, const char *code, const char *arg)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->items[i].code, code) == 0 && (!arg || (f->items[i].arg && strcmp(f->items[i].arg, arg) == 0)))
            return 1;
    return 0;
}

static int64_t now_of(world *w)
{
    return w->sim->ops->time_now(w->sim);
}

/* ---- Classification ------------------------------------------------------------------------ */

static void classify_should_suggest_third_party_apps_and_their_databases_only(void **s)
{
    (void)s;
    assert_int_equal(sp_lob_classify_app("QuickBooks Pro 2009", "Intuit Inc.", "Intuit QuickBooks 2009", ""), SP_LOB_CAT_LOB);
    assert_int_equal(sp_lob_classify_app("Sage 50 Accounting 2012", "Sage Software, Inc.", "{0C1B}", ""), SP_LOB_CAT_LOB);
    assert_int_equal(sp_lob_classify_app("Microsoft SQL Server 2005 Express Edition (ACT7)", "Microsoft Corporation", "{X}", ""),
                     SP_LOB_CAT_DATABASE);
    assert_int_equal(sp_lob_classify_app("Microsoft SQL Server 2005 (SBSMONITORING)", "Microsoft Corporation", "{Y}", ""),
                     SP_LOB_CAT_MICROSOFT);
    assert_int_equal(sp_lob_classify_app("Microsoft SQL Server Native Client", "Microsoft Corporation", "{Z}", ""),
                     SP_LOB_CAT_MICROSOFT);
    assert_int_equal(sp_lob_classify_app("Pervasive PSQL v10 Workgroup (32-bit)", "Pervasive Software Inc.", "P", ""),
                     SP_LOB_CAT_DATABASE);
    assert_int_equal(sp_lob_classify_app("Symantec AntiVirus", "Symantec Corporation", "{4D}", ""), SP_LOB_CAT_UTILITY);
    assert_int_equal(sp_lob_classify_app("HP LaserJet P2015 Series", "Hewlett-Packard", "HP", ""), SP_LOB_CAT_DRIVER);
    assert_int_equal(sp_lob_classify_app("Brother MFL-Pro Suite MFC-7840W", "Brother Industries, Ltd.", "B", ""), SP_LOB_CAT_DRIVER);
    assert_int_equal(sp_lob_classify_app("Java(TM) 6 Update 31", "Oracle", "{3248}", ""), SP_LOB_CAT_RUNTIME);
    assert_int_equal(sp_lob_classify_app("Security Update for Windows Server 2003 (KB2829361)", "Microsoft Corporation",
                                         "KB2829361", "Security Update"),
                     SP_LOB_CAT_UPDATE);
    assert_int_equal(sp_lob_classify_app("Something", "Microsoft", "{GUID}.KB976576", ""), SP_LOB_CAT_UPDATE);
    assert_int_equal(sp_lob_classify_app("Windows Small Business Server 2003", "Microsoft Corporation", "W", ""),
                     SP_LOB_CAT_MICROSOFT);
    assert_int_equal(sp_lob_classify_app("Lohnbüro Plus 2011", "Müller & Söhne Software GmbH", "{6A}", ""), SP_LOB_CAT_LOB);
    assert_true(sp_lob_category_suggested(SP_LOB_CAT_DATABASE));
    assert_false(sp_lob_category_suggested(SP_LOB_CAT_DRIVER));
    assert_true(sp_lob_category_hidden(SP_LOB_CAT_UPDATE));
    assert_int_equal(sp_lob_category_from_name(sp_lob_category_name(SP_LOB_CAT_ADDIN)), SP_LOB_CAT_ADDIN);
}

static void classify_should_tell_an_application_sql_instance_from_sbs_own(void **s)
{
    (void)s;
    assert_int_equal(sp_lob_classify_service("MSSQL$ACT7", "C:\\Program Files\\Microsoft SQL Server\\MSSQL.1\\MSSQL\\Binn\\sqlservr.exe"),
                     SP_LOB_CAT_DATABASE);
    assert_int_equal(sp_lob_classify_service("MSSQL$SBSMONITORING", "C:\\Program Files\\Microsoft SQL Server\\MSSQL.2\\MSSQL\\Binn\\sqlservr.exe"),
                     SP_LOB_CAT_MICROSOFT);
    assert_int_equal(sp_lob_classify_service("MSExchangeIS", "C:\\Program Files\\Exchsrvr\\bin\\store.exe"), SP_LOB_CAT_MICROSOFT);
    assert_int_equal(sp_lob_classify_service("QBCFMonitorService", "C:\\Program Files\\Common Files\\Intuit\\QuickBooks\\QBCFMonitorService.exe"),
                     SP_LOB_CAT_LOB);
    assert_int_equal(sp_lob_classify_task("C:\\Program Files\\Microsoft Windows Small Business Server\\Monitoring\\x.exe"),
                     SP_LOB_CAT_MICROSOFT);
}

static void image_exe_should_drop_quotes_and_arguments_and_resolve_the_windows_folder(void **s)
{
    (void)s;
    char out[300];
    sp_lob_image_exe("\"C:\\Program Files\\Symantec AntiVirus\\Rtvscan.exe\" -x", "C:\\WINDOWS", out, sizeof out);
    assert_string_equal(out, "C:\\Program Files\\Symantec AntiVirus\\Rtvscan.exe");
    sp_lob_image_exe("C:\\Program Files\\Intuit\\QB Server.exe -k netsvcs", "C:\\WINDOWS", out, sizeof out);
    assert_string_equal(out, "C:\\Program Files\\Intuit\\QB Server.exe");
    sp_lob_image_exe("%SystemRoot%\\System32\\svchost.exe -k netsvcs", "C:\\WINDOWS", out, sizeof out);
    assert_string_equal(out, "C:\\WINDOWS\\System32\\svchost.exe");
    sp_lob_image_exe("\\SystemRoot\\System32\\drivers\\x.sys", "C:\\WINDOWS", out, sizeof out);
    assert_string_equal(out, "C:\\WINDOWS\\System32\\drivers\\x.sys");
    sp_lob_image_exe("system32\\DRIVERS\\tcpip.sys", "C:\\WINDOWS", out, sizeof out);
    assert_string_equal(out, "C:\\WINDOWS\\system32\\DRIVERS\\tcpip.sys");
    sp_lob_image_exe("C:\\PVSW\\bin\\w3dbsmgr.exe -srv", "C:\\WINDOWS", out, sizeof out);
    assert_string_equal(out, "C:\\PVSW\\bin\\w3dbsmgr.exe");
    sp_lob_image_exe("   ", "C:\\WINDOWS", out, sizeof out);
    assert_string_equal(out, "");
    assert_true(sp_lob_path_under("c:\\windows\\system32\\a.exe", "C:\\WINDOWS\\"));
    assert_false(sp_lob_path_under("C:\\WINDOWSAPPS\\a.exe", "C:\\WINDOWS"));
}

/* ---- schtasks -------------------------------------------------------------------------------- */

typedef struct {
    char names[8][100];
    char commands[8][300];
    int n;
} task_list;

static int collect(void *user, const sp_lob_task *t)
{
    task_list *l = user;
    if (l->n < 8) {
        snprintf(l->names[l->n], 100, "%s", t->name);
        snprintf(l->commands[l->n], 300, "%s", t->command);
        l->n++;
    }
    return 0;
}

static void schtasks_should_be_read_by_column_name_with_repeated_headers(void **s)
{
    (void)s;
    const char *text = "\r\n\"HostName\",\"TaskName\",\"Next Run Time\",\"Task To Run\",\"Author\"\r\n"
                       "\"SBS\",\"\\Backup\",\"N/A\",\"\"\"C:\\Program Files\\A\\b.exe\"\" /x\",\"me\"\r\n"
                       "\r\n\"HostName\",\"TaskName\",\"Next Run Time\",\"Task To Run\",\"Author\"\r\n"
                       "\"SBS\",\"\\Microsoft\\Windows\\Defrag\",\"N/A\",\"%windir%\\system32\\defrag.exe\",\"MS\"\r\n";
    task_list l = {0};
    char err[200];
    assert_int_equal(sp_lob_parse_schtasks(text, strlen(text), collect, &l, err, sizeof err), SP_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.names[0], "\\Backup");
    assert_string_equal(l.commands[0], "\"C:\\Program Files\\A\\b.exe\" /x");
    l.n = 0;
    assert_int_equal(sp_lob_parse_schtasks("INFO: There are no scheduled tasks presently available.\r\n", 57, collect,
                                           &l, err, sizeof err), SP_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(sp_lob_parse_schtasks("ERROR: Access is denied.\r\n", 26, collect, &l, err, sizeof err),
                     SP_ERR_BADDATA);
    assert_non_null(strstr(err, "TaskName"));
}

/* ---- The step on the SBS 2003 profile ------------------------------------------------------- */

static void check_should_suggest_lob_apps_and_group_microsoft_away(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    assert_int_equal(check(&w, &f), SP_RESULT_FAILED);
    assert_true(sp_lob_marked(entry_named(&w, "QuickBooks Pro 2009")));
    assert_true(sp_lob_marked(entry_named(&w, "Sage 50 Accounting 2012")));
    assert_true(sp_lob_marked(entry_named(&w, "Lohnbüro Plus 2011")));
    assert_true(sp_lob_marked(entry_named(&w, "Microsoft SQL Server 2005 Express Edition (ACT7)")));
    assert_false(sp_lob_marked(entry_named(&w, "Symantec AntiVirus")));
    assert_false(sp_lob_marked(entry_named(&w, "HP LaserJet P2015 Series")));
    assert_int_equal(sp_lob_entry_category(entry_named(&w, "Security Update for Windows Server 2003 (KB2829361)")),
                     SP_LOB_CAT_UPDATE);
    /* Services: the application's SQL instance is flagged, SBS's own is hidden, Windows' skipped. */
    assert_int_equal(sp_lob_entry_category(entry(&w, "svc:MSSQL$ACT7")), SP_LOB_CAT_DATABASE);
    assert_string_equal(sp_lob_text(entry(&w, "svc:MSSQL$ACT7"), "name"), "SQL Server (ACT7)");
    assert_int_equal(sp_lob_entry_category(entry(&w, "svc:MSSQL$SBSMONITORING")), SP_LOB_CAT_MICROSOFT);
    assert_null(entry(&w, "svc:HPZid412"));
    assert_null(entry(&w, "svc:Netlogon"));
    /* Tasks: the QuickBooks backup is listed with its program; defrag is Windows'. */
    assert_string_equal(sp_lob_text(entry(&w, "task:QuickBooks nightly backup"), "location"),
                        "C:\\Program Files\\Intuit\\QuickBooks 2010\\QBW32.exe");
    assert_null(entry(&w, "task:Defragment C"));
    assert_int_equal(sp_lob_entry_category(entry(&w, "task:SBS Monitoring daily report")), SP_LOB_CAT_MICROSOFT);
    /* Suggested entries come first. */
    assert_true(sp_lob_marked(cJSON_GetArrayItem(sp_lob_entries(w.session.state), 0)));
    assert_true(has_code(&f, "lob.inventory", NULL));
    assert_true(has_code(&f, "lob.needs_method", "QuickBooks Pro 2009"));
    assert_true(has_code(&f, "lob.database", NULL));
    assert_false(sp_state_gate_open(w.session.state, "lob", now_of(&w)));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void plan(cJSON *e, sp_lob_method method, const char *media)
{
    sp_lob_plan p = {0};
    p.contact = "Jane Vendor";
    p.phone = "+1 555 0100";
    p.email = "support@example.com";
    p.method = method;
    p.media = media;
    p.licence = "";
    p.data = "D:\\Data";
    p.notes = "";
    assert_int_equal(sp_lob_set_plan(e, &p), SP_OK);
}

static void gate_should_open_when_every_marked_entry_has_a_method_and_media(void **s)
{
    (void)s;
    world w;
    cJSON *e;
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    check(&w, NULL);
    cJSON_ArrayForEach(e, sp_lob_entries(w.session.state))
        if (sp_lob_marked(e))
            plan(e, SP_LOB_METHOD_REINSTALL, "D:\\Installers");
    e = entry_named(&w, "Sage 50 Accounting 2012");
    plan(e, SP_LOB_METHOD_REINSTALL, "  ");
    assert_int_equal(sp_lob_entry_status(e), SP_LOB_PLAN_NEEDS_MEDIA);
    assert_int_equal(sp_lob_reassess(w.session.state, now_of(&w)), SP_OK);
    assert_false(sp_state_gate_open(w.session.state, "lob", now_of(&w)));
    /* Retired or hosted: no media needed. */
    plan(e, SP_LOB_METHOD_HOSTED, "");
    assert_int_equal(sp_lob_entry_status(e), SP_LOB_PLAN_COMPLETE);
    plan(e, SP_LOB_METHOD_RETIRE, "");
    assert_int_equal(sp_lob_reassess(w.session.state, now_of(&w)), SP_OK);
    assert_true(sp_state_gate_open(w.session.state, "lob", now_of(&w)));
    /* The inventory findings survive a reassessment. */
    assert_true(has_code(&sp_state_step(w.session.state, "lob")->findings, "lob.inventory", NULL));
    /* Marking one more entry closes the gate again. */
    assert_int_equal(sp_lob_set_marked(entry_named(&w, "Symantec AntiVirus"), 1), SP_OK);
    assert_int_equal(sp_lob_reassess(w.session.state, now_of(&w)), SP_OK);
    assert_false(sp_state_gate_open(w.session.state, "lob", now_of(&w)));
    testutil_world_close(&w);
}

static void a_new_inventory_should_keep_marks_plans_and_gone_entries(void **s)
{
    (void)s;
    world w;
    cJSON *gone;
    char *saved;
    sp_state *back = NULL;
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    check(&w, NULL);
    assert_int_equal(sp_lob_set_marked(entry_named(&w, "Sage 50 Accounting 2012"), 0), SP_OK);
    plan(entry_named(&w, "QuickBooks Pro 2009"), SP_LOB_METHOD_VENDOR, "D:\\Installers\\QB");
    /* An application the user planned that has since been uninstalled. */
    gone = cJSON_Duplicate(entry_named(&w, "QuickBooks Pro 2009"), 1);
    cJSON_ReplaceItemInObject(gone, "id", cJSON_CreateString("app:Gone"));
    cJSON_ReplaceItemInObject(gone, "name", cJSON_CreateString("Old Payroll"));
    cJSON_AddItemToArray(sp_lob_entries(w.session.state), gone);
    /* Through the state file, as after a restart. */
    saved = sp_state_serialise(w.session.state);
    assert_int_equal(sp_state_parse(saved, strlen(saved), now_of(&w), &back), SP_OK);
    free(saved);
    sp_state_free(w.session.state);
    w.session.state = back;
    check(&w, NULL);
    assert_false(sp_lob_marked(entry_named(&w, "Sage 50 Accounting 2012")));
    sp_lob_plan p;
    sp_lob_get_plan(entry_named(&w, "QuickBooks Pro 2009"), &p);
    assert_int_equal(p.method, SP_LOB_METHOD_VENDOR);
    assert_string_equal(p.media, "D:\\Installers\\QB");
    gone = entry(&w, "app:Gone");
    assert_non_null(gone);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(gone, "present")));
    assert_true(has_code(&sp_state_step(w.session.state, "lob")->findings, "lob.gone", "Old Payroll"));
    testutil_world_close(&w);
}

static void csv_export_should_round_trip_quotes_commas_and_non_ascii(void **s)
{
    (void)s;
    world w;
    cJSON *e;
    char *csv;
    sp_csv rows;
    char err[200];
    sp_lob_plan p = {0};
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    check(&w, NULL);
    cJSON_ArrayForEach(e, sp_lob_entries(w.session.state))
        sp_lob_set_marked(e, 0);
    e = entry_named(&w, "Lohnbüro Plus 2011");
    sp_lob_set_marked(e, 1);
    p.contact = "Jürgen \"Jo\" Müller, Support";
    p.phone = "+49 89 1234-0";
    p.email = "support@müller.example";
    p.method = SP_LOB_METHOD_VENDOR;
    p.media = "\\\\NAS\\Software\\Lohnbüro, 2011";
    p.licence = "LB-2011-0042";
    p.data = "C:\\Programme\\Lohnbuero\\Daten";
    p.notes = "Line one\r\nline two, with \"quotes\"";
    p.media_checked = 1;
    p.media_found = 1;
    p.media_size = 123456789;
    assert_int_equal(sp_lob_set_plan(e, &p), SP_OK);
    csv = sp_lob_export_csv(w.session.state, testutil_text_ids, NULL);
    assert_non_null(csv);
    assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
    assert_int_equal(sp_csv_parse(csv, strlen(csv), &rows, err, sizeof err), SP_OK);
    assert_int_equal(rows.count, 2);
    assert_int_equal(rows.rows[0].count, IDS_LOB_CSV_COL_COUNT);
    assert_string_equal(rows.rows[0].fields[0], "T5630");
    assert_int_equal(rows.rows[1].count, IDS_LOB_CSV_COL_COUNT);
    assert_string_equal(rows.rows[1].fields[0], "Lohnbüro Plus 2011");
    assert_string_equal(rows.rows[1].fields[1], "Müller & Söhne Software GmbH");
    assert_string_equal(rows.rows[1].fields[5], p.contact);
    assert_string_equal(rows.rows[1].fields[7], p.email);
    assert_string_equal(rows.rows[1].fields[9], p.media);
    assert_string_equal(rows.rows[1].fields[10], "123456789");
    assert_string_equal(rows.rows[1].fields[13], p.notes);
    sp_csv_free(&rows);
    free(csv);
    /* The plan is part of the report too. */
    {
        char *json = sp_report_json(w.session.state, &w.session.info, NULL, NULL, NULL, now_of(&w));
        cJSON *doc = cJSON_Parse(json), *lob = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "steps"), 5);
        assert_string_equal(cJSON_GetObjectItem(lob, "id")->valuestring, "lob");
        assert_non_null(strstr(json, "Jürgen \\\"Jo\\\" Müller"));
        assert_true(cJSON_IsArray(cJSON_GetObjectItem(cJSON_GetObjectItem(lob, "data"), "entries")));
        cJSON_Delete(doc);
        free(json);
    }
    testutil_world_close(&w);
}

static void media_probe_should_size_a_folder_and_report_missing_paths(void **s)
{
    (void)s;
    world w;
    sp_lob_media m;
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    assert_int_equal(w.sim->ops->dir_create(w.sim, "D:\\Installers\\Sage\\Disk2"), SP_OK);
    assert_int_equal(w.sim->ops->file_write_atomic(w.sim, "D:\\Installers\\Sage\\Setup.exe", "0123456789", 10), SP_OK);
    assert_int_equal(w.sim->ops->file_write_atomic(w.sim, "D:\\Installers\\Sage\\Disk2\\data.cab", "abcde", 5), SP_OK);
    assert_int_equal(sp_lob_media_probe(w.sim, "D:\\Installers\\Sage", &m), SP_OK);
    assert_true(m.exists && m.is_dir);
    assert_int_equal(m.size, 15);
    assert_int_equal(m.files, 2);
    assert_int_equal(sp_lob_media_probe(w.sim, "D:\\Installers\\Sage\\Setup.exe", &m), SP_OK);
    assert_true(m.exists && !m.is_dir);
    assert_int_equal(m.size, 10);
    assert_int_equal(sp_lob_media_probe(w.sim, "E:\\Nowhere", &m), SP_OK);
    assert_false(m.exists);
    assert_int_equal(sp_lob_media_probe(w.sim, "https://downloads.example.com/qb", &m), SP_OK);
    assert_true(m.is_url);
    assert_int_equal(sp_lob_media_probe(w.sim, "", &m), SP_ERR_INVALID);
    /* A check looks again at the media of the plans: moved away, it is reported. */
    {
        sp_lob_plan p = {0};
        sp_findings f = {0};
        check(&w, NULL);
        p.method = SP_LOB_METHOD_REINSTALL;
        p.media = "D:\\Installers\\Sage\\Setup.exe";
        p.media_checked = 1;
        p.media_found = 1;
        p.media_size = 10;
        assert_int_equal(sp_lob_set_plan(entry_named(&w, "Sage 50 Accounting 2012"), &p), SP_OK);
        assert_int_equal(w.sim->ops->file_delete(w.sim, "D:\\Installers\\Sage\\Setup.exe"), SP_OK);
        check(&w, &f);
        assert_true(has_code(&f, "lob.media_missing", "Sage 50 Accounting 2012"));
        sp_findings_free(&f);
    }
    testutil_world_close(&w);
}

/* ---- Both registry views, add-ins, failures ------------------------------------------------ */

static void add_two_views_and_an_addin(cJSON *p)
{
    cJSON *reg = cJSON_GetObjectItem(p, "registry");
    cJSON *reg32 = cJSON_GetObjectItem(p, "registry32"), *files = cJSON_CreateObject(), *k;
    if (!reg32)
        reg32 = cJSON_AddObjectToObject(p, "registry32");
    k = cJSON_AddObjectToObject(reg, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Acme64");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(k, "DisplayName"), "sz", cJSON_CreateString("Acme Stock 64"));
    k = cJSON_AddObjectToObject(reg, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Both");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(k, "DisplayName"), "sz", cJSON_CreateString("Shared Tool"));
    k = cJSON_AddObjectToObject(reg32, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Acme32");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(k, "DisplayName"), "sz", cJSON_CreateString("Acme Payroll 32"));
    cJSON_AddItemToObject(cJSON_AddObjectToObject(k, "InstallDate"), "sz", cJSON_CreateString("20120315"));
    k = cJSON_AddObjectToObject(reg32, "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Both");
    cJSON_AddItemToObject(cJSON_AddObjectToObject(k, "DisplayName"), "sz", cJSON_CreateString("Shared Tool"));
    cJSON_AddStringToObject(files, "C:\\Program Files\\Windows Server\\Bin\\AddIns\\Primary\\Contoso Alerts.addin", "<addin/>");
    cJSON_AddItemToObject(p, "files", files);
}

static void check_should_read_both_views_once_and_list_dashboard_addins(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    size_t shared = 0;
    cJSON *e;
    testutil_world_open_edited(&w, "tests/profiles/sbs2011ess.json", add_two_views_and_an_addin);
    check(&w, &f);
    assert_non_null(entry_named(&w, "Acme Stock 64"));
    assert_non_null(entry_named(&w, "Acme Payroll 32"));
    assert_non_null(entry_named(&w, "Contoso Practice Manager 7"));
    assert_string_equal(sp_lob_text(entry_named(&w, "Acme Payroll 32"), "installed"), "2012-03-15");
    cJSON_ArrayForEach(e, sp_lob_entries(w.session.state))
        shared += strcmp(sp_lob_text(e, "name"), "Shared Tool") == 0;
    assert_int_equal(shared, 1);
    assert_int_equal(sp_lob_entry_category(entry_named(&w, "Contoso Alerts")), SP_LOB_CAT_ADDIN);
    assert_true(has_code(&f, "lob.addin", "Contoso Alerts"));
    /* No schtasks output in this profile: said, and the check still ran. */
    assert_true(has_code(&f, "lob.tasks_failed", NULL));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void a_cancelled_check_should_change_nothing(void **s)
{
    (void)s;
    world w;
    volatile long cancel = 1;
    sp_result r;
    sp_run_ctx ctx;
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    ctx = sp_session_ctx(&w.session, &cancel);
    assert_int_equal(sp_step_run(sp_step_find("lob"), &ctx, 0, NULL, &r), SP_ERR_CANCELLED);
    assert_int_equal(sp_lob_count(w.session.state), 0);
    assert_int_equal(sp_state_step(w.session.state, "lob")->checked_at, 0);
    testutil_world_close(&w);
}

static void svc_enum_should_report_the_profile_image_and_fail_clearly_elsewhere(void **s)
{
    (void)s;
    world w;
    char err[300];
    sp_sys *host = sp_posix_open();
    const char *bad = "{\"os\":{\"major\":5,\"minor\":2},\"services\":{\"X\":{\"image\":5}}}";
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    check(&w, NULL);
    assert_string_equal(sp_lob_text(entry(&w, "svc:Symantec AntiVirus"), "detail"),
                        "\"C:\\Program Files\\Symantec AntiVirus\\Rtvscan.exe\"");
    testutil_world_close(&w);
    assert_int_equal(host->ops->svc_enum(host, NULL, NULL), SP_ERR_UNSUPPORTED);
    assert_non_null(strstr(host->last_error, "services"));
    assert_int_equal(testutil_sim_open_status(bad, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "services.X.image"));
    sp_sys_close(host);
}

static void microsofts_lob_products_and_a_busy_default_sql_instance_should_be_suggested(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    cJSON *e;
    testutil_world_open_patched(&w, "tests/profiles/sbs2003.json",
                                "tests/profiles/lob/dynamics-gp.patch.json", NULL);
    check(&w, &f);
    e = entry_named(&w, "Microsoft Dynamics GP 10.0");
    assert_non_null(e);
    assert_string_equal(sp_lob_text(e, "category"), "lob");
    assert_true(sp_lob_marked(e));
    e = entry_named(&w, "Business Contact Manager for Outlook 2007");
    assert_non_null(e);
    assert_string_equal(sp_lob_text(e, "category"), "lob");
    /* Office stays Microsoft's: hidden. */
    assert_string_equal(sp_lob_text(entry_named(&w, "Microsoft Office 2007 Service Pack 3 (SP3)"),
                                    "category"), "update");
    e = entry(&w, "svc:MSSQLSERVER");
    assert_non_null(e);
    assert_string_equal(sp_lob_text(e, "category"), "database");
    assert_non_null(strstr(sp_lob_text(e, "detail"), "2 user database files"));
    /* The profile's SQL Server does not answer over ODBC: the guess says it is one. */
    assert_non_null(strstr(sp_lob_text(e, "detail"), "the databases were not read from SQL Server ("));
    assert_non_null(strstr(sp_lob_text(e, "detail"), "DYNAMICS.mdf"));
    assert_non_null(strstr(sp_lob_text(e, "detail"), "TWO.mdf"));
    assert_null(strstr(sp_lob_text(e, "detail"), "master.mdf"));
    /* The shares are data locations; administrative and domain shares are not. */
    e = entry(&w, "share:Accounting");
    assert_non_null(e);
    assert_string_equal(sp_lob_text(e, "location"), "D:\\Shares\\Accounting");
    assert_null(entry(&w, "share:ADMIN$"));
    assert_null(entry(&w, "share:SYSVOL"));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* The same instance with only SQL Server's own databases is Microsoft's. */
    assert_int_equal(sp_lob_classify_app("Microsoft Dynamics NAV 2009", "Microsoft Corporation", "{X}", ""),
                     SP_LOB_CAT_LOB);
    assert_int_equal(sp_lob_classify_app("Microsoft Office Accounting 2009", "Microsoft Corporation", "{Y}", ""),
                     SP_LOB_CAT_LOB);
    assert_int_equal(sp_lob_classify_service("MSCRMAsyncService",
                                             "C:\\Program Files\\Microsoft Dynamics CRM\\Server\\bin\\CrmAsyncService.exe"),
                     SP_LOB_CAT_LOB);
}

static void an_idle_default_sql_instance_should_stay_microsofts(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    cJSON *patch = cJSON_Parse("{\"files\": {\"C:\\\\Program Files\\\\Microsoft SQL Server\\\\MSSQL.3\\\\MSSQL\\\\Data\\\\DYNAMICS.mdf\": null, "
                               "\"C:\\\\Program Files\\\\Microsoft SQL Server\\\\MSSQL.3\\\\MSSQL\\\\Data\\\\TWO.mdf\": null}}");
    testutil_world_open_patched(&w, "tests/profiles/sbs2003.json",
                                "tests/profiles/lob/dynamics-gp.patch.json", patch);
    check(&w, &f);
    assert_string_equal(sp_lob_text(entry(&w, "svc:MSSQLSERVER"), "category"), "microsoft");
    assert_non_null(strstr(sp_lob_text(entry(&w, "svc:MSSQLSERVER"), "detail"), "no user database files"));
    cJSON_Delete(patch);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* The user databases as SQL Server lists them (sql_files over ODBC), for each instance; the data
 * folder is only the fallback, and then the detail says the databases were not read and why. */
static void sql_databases_should_be_read_from_each_instance_and_the_fallback_said(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    size_t len = 0;
    char *text = (char *)testutil_read_file("tests/profiles/lob/sql-odbc.patch.json", &len);
    cJSON *patch = cJSON_Parse(text);
    const char *d;
    free(text);
    assert_non_null(patch);
    testutil_world_open_patched(&w, "tests/profiles/sbs2003.json", "tests/profiles/lob/dynamics-gp.patch.json",
                                patch);
    check(&w, &f);
    d = sp_lob_text(entry(&w, "svc:MSSQLSERVER"), "detail");
    assert_string_equal(sp_lob_text(entry(&w, "svc:MSSQLSERVER"), "category"), "database");
    assert_string_equal(d, "default instance; 2 user databases (read from SQL Server): DYNAMICS: D:\\SQL\\DYNAMICS.mdf "
                           "(120 MB), D:\\SQL\\DYNAMICS_log.ldf (40 MB); TWO: E:\\SQLData\\TWO.mdf (2048 MB)");
    d = sp_lob_text(entry(&w, "svc:MSSQL$ACT7"), "detail");
    assert_non_null(strstr(d, "; the databases were not read from SQL Server (ODBC to (local)\\ACT7: "
                              "SQLDriverConnect: [Microsoft][ODBC SQL Server Driver][SQL Server]Login failed"));
    d = sp_lob_text(entry(&w, "svc:MSSQL$BKUPEXEC"), "detail");
    assert_non_null(strstr(d, "; 1 user database (read from SQL Server): BEDB: C:\\Program Files\\Symantec\\Backup "
                              "Exec\\Data\\BEDB_dat.mdf (1 MB)"));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* SQL Server stopped: the data folder's guess, saying that it is one and why. */
    cJSON_DeleteItemFromObject(patch, "services");
    cJSON_AddItemToObject(patch, "services", cJSON_Parse("{\"MSSQLSERVER\": {\"state\": \"stopped\"}}"));
    testutil_world_open_patched(&w, "tests/profiles/sbs2003.json", "tests/profiles/lob/dynamics-gp.patch.json",
                                patch);
    check(&w, &f);
    d = sp_lob_text(entry(&w, "svc:MSSQLSERVER"), "detail");
    assert_non_null(strstr(d, "default instance; the databases were not read from SQL Server (ODBC to "
                              "(local): SQLDriverConnect: [Microsoft][ODBC SQL Server Driver][Shared Memory]SQL Server does not exist"));
    assert_non_null(strstr(d, "; 2 user database files in C:\\Program Files\\Microsoft SQL Server\\MSSQL.3\\MSSQL\\Data: "));
    assert_string_equal(sp_lob_text(entry(&w, "svc:MSSQLSERVER"), "category"), "database");
    sp_findings_free(&f);
    testutil_world_close(&w);
    cJSON_Delete(patch);
    /* A backend without SQL Server says so. */
    sp_sys *host = sp_posix_open();
    assert_int_equal(host->ops->sql_files(host, "MSSQLSERVER", NULL, NULL), SP_ERR_UNSUPPORTED);
    assert_non_null(strstr(host->last_error, "no ODBC to SQL Server instance MSSQLSERVER"));
    sp_sys_close(host);
    /* A malformed "sql" is refused, naming the key. */
    char err[300];
    assert_int_equal(testutil_sim_open_status("{\"os\":{\"major\":5,\"minor\":2},\"sql\":{\"X\":[{\"database\":1}]}}",
                                              err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "sql must be"));
}

/* ODBC data sources are data locations: system ones (once, though both views show them) and the
 * user's, each with its driver and where its data is. */
static void odbc_data_sources_should_be_listed_as_data_locations(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    cJSON *e;
    size_t n = 0;
    testutil_world_open_patched(&w, "tests/profiles/sbs2003.json", "tests/profiles/lob/odbc-dsns.patch.json", NULL);
    check(&w, &f);
    e = entry(&w, "dsn:system:GP Production");
    assert_non_null(e);
    assert_string_equal(sp_lob_text(e, "kind"), "dsn");
    assert_string_equal(sp_lob_text(e, "version"), "SQL Server");
    assert_string_equal(sp_lob_text(e, "location"), "SBS01, TWO");
    assert_string_equal(sp_lob_text(e, "detail"), "system ODBC data source GP Production (SQL Server): Server=SBS01 Database=TWO");
    e = entry(&w, "dsn:system:Kundendaten");
    assert_non_null(e);
    assert_string_equal(sp_lob_text(e, "location"), "D:\\Daten\\Kunden.mdb");
    assert_non_null(strstr(sp_lob_text(e, "detail"), "DBQ=D:\\Daten\\Kunden.mdb"));
    e = entry(&w, "dsn:user:Reports");
    assert_non_null(e);
    assert_string_equal(sp_lob_text(e, "location"), "SBS01\\SQLEXPRESS, Reporting");
    cJSON_ArrayForEach(e, sp_lob_entries(w.session.state)) n += strcmp(sp_lob_text(e, "kind"), "dsn") == 0;
    assert_int_equal(n, 3);
    for (size_t i = 0; i < f.count; i++)
        if (strcmp(f.items[i].code, "lob.inventory") == 0)
            assert_non_null(strstr(f.items[i].evidence, "dsns=3"));
    /* Marked, exported as a "Data location" and read back: the same entry, no new one. */
    cJSON_ArrayForEach(e, sp_lob_entries(w.session.state)) sp_lob_set_marked(e, 0);
    sp_lob_set_marked(entry(&w, "dsn:system:Kundendaten"), 1);
    char *csv = sp_lob_export_csv(w.session.state, testutil_text_ids, NULL);
    sp_answers_error aerr;
    assert_non_null(strstr(csv, "\nKundendaten,,Microsoft Access Driver (*.mdb),T5674,"));
    n = 0;
    assert_int_equal(sp_answers_apply_lob_csv(w.session.state, csv, strlen(csv), testutil_text_ids, NULL, 0, &n, &aerr),
                     SP_OK);
    assert_int_equal(n, 1);
    assert_true(sp_lob_marked(entry(&w, "dsn:system:Kundendaten")));
    assert_null(entry(&w, "csv:share:Kundendaten"));
    free(csv);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* A check with a fresh list of findings. */
static sp_result recheck(world *w, sp_findings *f)
{
    sp_findings_free(f);
    return check(w, f);
}

static void nothing_marked_should_pass_only_with_the_users_statement(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    cJSON *e;
    testutil_world_open(&w, "tests/profiles/sbs2003.json");
    recheck(&w, &f);
    cJSON_ArrayForEach(e, sp_lob_entries(w.session.state))
        assert_int_equal(sp_lob_set_marked(e, 0), SP_OK);
    assert_int_equal(sp_lob_reassess(w.session.state, now_of(&w)), SP_OK);
    assert_int_equal(sp_state_step(w.session.state, "lob")->result, SP_RESULT_FAILED);
    assert_int_equal(recheck(&w, &f), SP_RESULT_FAILED);
    assert_true(has_code(&f, "lob.none_marked", NULL));
    /* The statement is the user's: done by hand, never verified, and it opens the gate. */
    assert_int_equal(sp_lob_confirm_none(w.session.state, 1, now_of(&w)), SP_OK);
    assert_int_equal(recheck(&w, &f), SP_RESULT_MANUAL_NEEDED);
    assert_true(has_code(&f, "lob.none_confirmed", NULL));
    assert_false(has_code(&f, "lob.none_marked", NULL));
    assert_true(sp_state_step(w.session.state, "lob")->manual);
    assert_true(sp_state_gate_open(w.session.state, "lob", now_of(&w)));
    /* An entry marked afterwards voids the statement: its plan decides again. */
    e = cJSON_GetArrayItem(sp_lob_entries(w.session.state), 0);
    assert_int_equal(sp_lob_set_marked(e, 1), SP_OK);
    assert_int_equal(sp_lob_reassess(w.session.state, now_of(&w)), SP_OK);
    assert_false(sp_state_step(w.session.state, "lob")->manual);
    assert_false(sp_state_gate_open(w.session.state, "lob", now_of(&w)));
    assert_int_equal(sp_lob_set_marked(e, 0), SP_OK);
    /* Withdrawn, it no longer passes. */
    assert_int_equal(sp_lob_confirm_none(w.session.state, 0, now_of(&w)), SP_OK);
    assert_false(sp_state_step(w.session.state, "lob")->manual);
    assert_int_equal(recheck(&w, &f), SP_RESULT_FAILED);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(microsofts_lob_products_and_a_busy_default_sql_instance_should_be_suggested),
        cmocka_unit_test(an_idle_default_sql_instance_should_stay_microsofts),
        cmocka_unit_test(nothing_marked_should_pass_only_with_the_users_statement),
        cmocka_unit_test(classify_should_suggest_third_party_apps_and_their_databases_only),
        cmocka_unit_test(classify_should_tell_an_application_sql_instance_from_sbs_own),
        cmocka_unit_test(image_exe_should_drop_quotes_and_arguments_and_resolve_the_windows_folder),
        cmocka_unit_test(schtasks_should_be_read_by_column_name_with_repeated_headers),
        cmocka_unit_test(check_should_suggest_lob_apps_and_group_microsoft_away),
        cmocka_unit_test(gate_should_open_when_every_marked_entry_has_a_method_and_media),
        cmocka_unit_test(a_new_inventory_should_keep_marks_plans_and_gone_entries),
        cmocka_unit_test(csv_export_should_round_trip_quotes_commas_and_non_ascii),
        cmocka_unit_test(media_probe_should_size_a_folder_and_report_missing_paths),
        cmocka_unit_test(check_should_read_both_views_once_and_list_dashboard_addins),
        cmocka_unit_test(a_cancelled_check_should_change_nothing),
        cmocka_unit_test(svc_enum_should_report_the_profile_image_and_fail_clearly_elsewhere),
        cmocka_unit_test(sql_databases_should_be_read_from_each_instance_and_the_fallback_said),
        cmocka_unit_test(odbc_data_sources_should_be_listed_as_data_locations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
