/* The backup step's pure parts: SHA-256 vectors, dates, wbadmin's and NTBackup's texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/civil.h"
#include "core/backup/ntblog.h"
#include "core/base/sha256.h"
#include "core/backup/wbadmin.h"
#include "core/backup/wbitems.h"
#include "tests/unit/testutil.h"

static void hex_of(const void *data, size_t len, char out[65])
{
    sp_sha256 c;
    unsigned char d[32];
    sp_sha256_init(&c);
    sp_sha256_update(&c, data, len);
    sp_sha256_final(&c, d);
    sp_sha256_hex(d, out);
}

/* FIPS 180-2, appendix B: one block, two blocks, a million "a". */
static void sha256_should_match_the_fips_180_2_vectors(void **s)
{
    (void)s;
    char h[65];
    hex_of("abc", 3, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(two, strlen(two), h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    hex_of("", 0, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sp_sha256 c;
    unsigned char d[32], chunk[1001];
    memset(chunk, 'a', sizeof chunk);
    sp_sha256_init(&c);
    for (int i = 0; i < 1000; i++)
        sp_sha256_update(&c, chunk, i % 2 ? 999 : 1001); /* uneven pieces cross block edges */
    sp_sha256_final(&c, d);
    sp_sha256_hex(d, h);
    assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void sha256_should_not_depend_on_how_the_data_is_cut(void **s)
{
    (void)s;
    unsigned char buf[300];
    char whole[65], pieces[65];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 7 + 3);
    hex_of(buf, sizeof buf, whole);
    for (size_t cut = 0; cut <= sizeof buf; cut += 13) {
        sp_sha256 c;
        unsigned char d[32];
        sp_sha256_init(&c);
        sp_sha256_update(&c, buf, cut);
        sp_sha256_update(&c, buf + cut, sizeof buf - cut);
        sp_sha256_final(&c, d);
        sp_sha256_hex(d, pieces);
        assert_string_equal(whole, pieces);
    }
}

static void civil_should_convert_dates_both_ways(void **s)
{
    (void)s;
    char out[32];
    assert_int_equal(sp_civil_to_unix(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(sp_civil_to_unix(2024, 3, 3, 7, 48, 0), 1709452080);
    assert_int_equal(sp_civil_to_unix(2024, 2, 29, 0, 0, 0), 1709164800);
    assert_int_equal(sp_civil_to_unix(2023, 2, 29, 0, 0, 0), -1);
    assert_int_equal(sp_civil_to_unix(2024, 13, 1, 0, 0, 0), -1);
    assert_int_equal(sp_civil_parse_datetime("3/2/2024 at 11:48 PM.", 0, NULL), sp_civil_to_unix(2024, 3, 2, 23, 48, 0));
    assert_int_equal(sp_civil_parse_datetime("3/2/2024 at 12:05 AM", 0, NULL), sp_civil_to_unix(2024, 3, 2, 0, 5, 0));
    assert_int_equal(sp_civil_parse_datetime("02/03/2024 at 23:48", 1, NULL), sp_civil_to_unix(2024, 3, 2, 23, 48, 0));
    assert_int_equal(sp_civil_parse_datetime("03/14/2011-04:00", 0, NULL), sp_civil_to_unix(2011, 3, 14, 4, 0, 0));
    assert_int_equal(sp_civil_parse_datetime("3/2/2024 at 13:00 PM", 0, NULL), -1);
    assert_int_equal(sp_civil_parse_datetime("yesterday", 0, NULL), -1);
    sp_civil_format(1709452080, out, sizeof out);
    assert_string_equal(out, "2024-03-03 07:48");
}

static char *fixture(const char *name, size_t *len)
{
    char path[200];
    snprintf(path, sizeof path, "tests/fixtures/%s", name);
    char *t = (char *)testutil_read_file(path, len);
    assert_non_null(t);
    return t;
}

static void wbadmin_should_read_every_version_of_2008_2008r2_and_2012(void **s)
{
    (void)s;
    static const struct {
        const char *file;
        size_t count;
        const char *latest_full;
        int64_t time;
    } cases[] = {
        {"wbadmin/2008.txt", 3, "11/04/2010-07:00", 1288854000},
        {"wbadmin/2008r2.txt", 2, "03/15/2011-04:00", 1300161600},
        {"wbadmin/2012-en-gb.txt", 2, "03/14/2016-22:00", 1457992800},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *t = fixture(cases[i].file, &len), err[200];
        sp_wb_versions v;
        assert_int_equal(sp_wbadmin_parse_versions(t, len, &v, err, sizeof err), SP_OK);
        assert_int_equal(v.count, cases[i].count);
        const sp_wb_version *f = sp_wb_latest_full(&v);
        assert_non_null(f);
        assert_string_equal(f->id, cases[i].latest_full);
        assert_int_equal(f->time, cases[i].time);
        assert_true(f->target[0] != '\0');
        sp_wb_versions_free(&v);
        free(t);
    }
}

static void wbadmin_should_say_no_backup_when_there_is_none(void **s)
{
    (void)s;
    size_t len;
    char *t = fixture("wbadmin/none.txt", &len), err[200];
    sp_wb_versions v;
    assert_int_equal(sp_wbadmin_parse_versions(t, len, &v, err, sizeof err), SP_OK);
    assert_int_equal(v.count, 0);
    assert_null(sp_wb_latest_full(&v));
    free(t);
}

static void wbadmin_should_reject_errors_and_garbage_with_a_reason(void **s)
{
    (void)s;
    static const char *const files[] = {"wbadmin/error.txt", "wbadmin/garbage.txt", "wbadmin/bad-id.txt"};
    static const char *const says[] = {"catalog is corrupt", "could not be read", "13/03/2011-04:00"};
    for (int i = 0; i < 3; i++) {
        size_t len;
        char *t = fixture(files[i], &len), err[200];
        sp_wb_versions v;
        assert_int_equal(sp_wbadmin_parse_versions(t, len, &v, err, sizeof err), SP_ERR_BADDATA);
        assert_non_null(strstr(err, says[i]));
        assert_int_equal(v.count, 0);
        free(t);
    }
    char err[200];
    sp_wb_versions v;
    assert_int_equal(sp_wbadmin_parse_versions("", 0, &v, err, sizeof err), SP_ERR_BADDATA);
}

static void wbadmin_progress_should_read_the_percentage_of_a_line(void **s)
{
    (void)s;
    assert_int_equal(sp_wbadmin_progress("Creating a backup of volume (C:), copied (57%)."), 57);
    assert_int_equal(sp_wbadmin_progress("Creating a backup of volume Data (1)(D:), copied (3%)."), 3);
    assert_int_equal(sp_wbadmin_progress("Creating a shadow copy of the volumes specified for backup..."), -1);
    assert_int_equal(sp_wbadmin_progress("(250%)"), -1);
    assert_int_equal(sp_wbadmin_progress(NULL), -1);
}

static sp_status parse_log(const char *name, int day_first, sp_ntb_summary *sum, char *err)
{
    size_t len;
    char *t = fixture(name, &len);
    sp_status st = sp_ntblog_parse((const unsigned char *)t, len, day_first, sum, err, 200);
    free(t);
    return st;
}

static void ntblog_should_find_the_last_normal_set_that_completed(void **s)
{
    (void)s;
    sp_ntb_summary sum;
    char err[200];
    const int64_t want = sp_civil_to_unix(2024, 3, 2, 23, 48, 0);
    assert_int_equal(parse_log("ntbackup/normal-utf16.log", 0, &sum, err), SP_OK);
    assert_true(sum.found);
    assert_int_equal(sum.completed, want);
    assert_int_equal(sum.sets, 2);
    assert_string_equal(sum.what, "C:, System State");
    assert_int_equal(parse_log("ntbackup/normal-nobom-utf16.log", 0, &sum, err), SP_OK);
    assert_int_equal(sum.completed, want);
    assert_int_equal(parse_log("ntbackup/normal-en-gb.log", 1, &sum, err), SP_OK);
    assert_int_equal(sum.completed, want);
}

static void ntblog_should_not_count_incremental_or_ended_backups(void **s)
{
    (void)s;
    sp_ntb_summary sum;
    char err[200];
    assert_int_equal(parse_log("ntbackup/incremental.log", 0, &sum, err), SP_OK);
    assert_false(sum.found);
    assert_int_equal(parse_log("ntbackup/ended.log", 0, &sum, err), SP_OK);
    assert_false(sum.found);
    assert_int_equal(sum.sets, 1);
}

static void ntblog_should_reject_what_is_not_a_log(void **s)
{
    (void)s;
    sp_ntb_summary sum;
    char err[200];
    assert_int_equal(parse_log("ntbackup/not-a-log.txt", 0, &sum, err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "not an NTBackup log"));
    const char *bad = "Backup Status\r\nBackup Type: Normal\r\nBackup completed on 44/44/2024 at 11:00 PM.\r\n";
    assert_int_equal(sp_ntblog_parse((const unsigned char *)bad, strlen(bad), 0, &sum, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "cannot read"));
    const char *ansi = "Backup Status\r\nBackup of \"D: Data\"\r\nBackup Type: Normal\r\nBackup completed on 1/5/2024 at 9:00 AM.\r\n";
    assert_int_equal(sp_ntblog_parse((const unsigned char *)ansi, strlen(ansi), 0, &sum, err, sizeof err), SP_OK);
    assert_true(sum.found);
    assert_int_equal(sum.completed, sp_civil_to_unix(2024, 1, 5, 9, 0, 0));
}

/* ---- wbadmin get items ---------------------------------------------------------------- */

static void read_items(const char *fixture, sp_wb_items *it)
{
    size_t n = 0;
    char path[200], err[200];
    snprintf(path, sizeof path, "tests/fixtures/wbitems/%s.txt", fixture);
    char *text = (char *)testutil_read_file(path, &n);
    assert_non_null(text);
    assert_int_equal(sp_wbitems_parse(text, n, it, err, sizeof err), SP_OK);
    free(text);
}

static void wbitems_should_read_the_volumes_of_a_backup_of_c_only(void **s)
{
    (void)s;
    sp_wb_items it;
    read_items("c-only", &it);
    assert_int_equal(it.count, 2);
    assert_string_equal(it.vols[0].mount, "C:");
    assert_string_equal(it.vols[0].label, "<No Volume Label>");
    assert_int_equal(it.vols[0].letter, 'C');
    assert_int_equal(it.vols[1].letter, 0); /* System Reserved: not mounted */
    assert_int_equal(it.apps, 2);
    assert_true(sp_wb_items_has(&it, 'c'));
    assert_false(sp_wb_items_has(&it, 'D'));
}

static void wbitems_should_read_a_german_server_and_refuse_its_error_line(void **s)
{
    (void)s;
    sp_wb_items it;
    char err[200];
    const char *bad = "wbadmin 1.0 - Sicherungsbefehlszeilen-Tool\r\n\r\nFEHLER - Die Version wurde nicht gefunden.\r\n";
    read_items("c-only-de-DE", &it);
    assert_int_equal(it.count, 1);
    assert_int_equal(it.vols[0].letter, 'C');
    assert_int_equal(it.apps, 1);
    assert_int_equal(sp_wbitems_parse(bad, strlen(bad), &it, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "FEHLER"));
}

static void wbitems_should_read_labels_that_hold_the_separator_and_folder_mounts(void **s)
{
    (void)s;
    sp_wb_items it;
    read_items("c-and-d", &it);
    assert_int_equal(it.count, 3);
    assert_string_equal(it.vols[1].label, "Data, mounted at home");
    assert_int_equal(it.vols[1].letter, 'D');
    assert_string_equal(it.vols[2].mount, "D:\\Mount\\Archive");
    assert_int_equal(it.vols[2].letter, 0); /* a folder mount point is not the drive */
    assert_true(sp_wb_items_has(&it, 'D'));
    assert_false(sp_wb_items_has(&it, 'E'));
}

static void wbitems_should_refuse_what_it_cannot_read(void **s)
{
    (void)s;
    sp_wb_items it;
    char err[200];
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"wbadmin 1.0 - Backup command-line tool\r\n\r\nERROR - The version is not valid.\r\n", "version is not valid"},
        {"Volume ID = {1}\r\nVolume 'x', mounted at C:\r\n", NULL}, /* no banner but a volume: read */
        {"hello", "not the output"},
        {"wbadmin 1.0 - Backup command-line tool\r\n\r\n", "no volume"},
        {"wbadmin 1.0\r\nVolume ID = {1}\r\nVolume size = 3 GB\r\n", "without its mount point"},
        {"wbadmin 1.0\r\nVolume ID = {1}\r\nVolume ID = {2}\r\nVolume 'x', mounted at C:\r\n", "without its mount point"},
        {"wbadmin 1.0\r\n\xD0\x98\xD0\x94 \xD1\x82\xD0\xBE\xD0\xBC\xD0\xB0 = {1}\r\n\xD0\xA2\xD0\xBE\xD0\xBC 'x' C:\r\n",
         "language"}, /* Russian: no table */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sp_status st = sp_wbitems_parse(bad[i].text, strlen(bad[i].text), &it, err, sizeof err);
        if (!bad[i].says) {
            assert_int_equal(st, SP_OK);
            assert_true(sp_wb_items_has(&it, 'C'));
            continue;
        }
        assert_int_equal(st, SP_ERR_BADDATA);
        if (!strstr(err, bad[i].says))
            fail_msg("case %u: \"%s\" does not say \"%s\"", (unsigned)i, err, bad[i].says);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_should_match_the_fips_180_2_vectors),
        cmocka_unit_test(sha256_should_not_depend_on_how_the_data_is_cut),
        cmocka_unit_test(civil_should_convert_dates_both_ways),
        cmocka_unit_test(wbadmin_should_read_every_version_of_2008_2008r2_and_2012),
        cmocka_unit_test(wbadmin_should_say_no_backup_when_there_is_none),
        cmocka_unit_test(wbadmin_should_reject_errors_and_garbage_with_a_reason),
        cmocka_unit_test(wbadmin_progress_should_read_the_percentage_of_a_line),
        cmocka_unit_test(ntblog_should_find_the_last_normal_set_that_completed),
        cmocka_unit_test(ntblog_should_not_count_incremental_or_ended_backups),
        cmocka_unit_test(ntblog_should_reject_what_is_not_a_log),
        cmocka_unit_test(wbitems_should_read_the_volumes_of_a_backup_of_c_only),
        cmocka_unit_test(wbitems_should_read_a_german_server_and_refuse_its_error_line),
        cmocka_unit_test(wbitems_should_read_labels_that_hold_the_separator_and_folder_mounts),
        cmocka_unit_test(wbitems_should_refuse_what_it_cannot_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
