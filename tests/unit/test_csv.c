/* The CSV writer and reader: RFC 4180 quoting, Excel's BOM, line breaks, malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/base/csv.h"

static void writer_should_quote_only_fields_that_need_it(void **s)
{
    (void)s;
    sp_csv_writer w = {0};
    sp_csv_bom(&w);
    sp_csv_field(&w, "plain");
    sp_csv_field(&w, "a,b");
    sp_csv_field(&w, "say \"hi\"");
    sp_csv_field(&w, "two\r\nlines");
    sp_csv_field(&w, " padded");
    sp_csv_field(&w, NULL);
    sp_csv_end_row(&w);
    sp_csv_field(&w, "Lohnbüro");
    sp_csv_end_row(&w);
    assert_false(w.failed);
    assert_string_equal(w.data, "\xEF\xBB\xBFplain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",\" padded\",\r\n"
                                "Lohnbüro\r\n");
    free(w.data);
}

static void reader_should_give_back_what_the_writer_wrote(void **s)
{
    (void)s;
    const char *fields[] = {"QuickBooks, Premier", "\"quoted\"", "line\none", "", "Müller & Söhne",
                            "日本語", "trailing ", "\r"};
    const size_t n = sizeof fields / sizeof fields[0];
    sp_csv_writer w = {0};
    sp_csv csv;
    char err[100];
    sp_csv_bom(&w);
    for (int row = 0; row < 2; row++) {
        for (size_t i = 0; i < n; i++)
            sp_csv_field(&w, fields[i]);
        sp_csv_end_row(&w);
    }
    assert_int_equal(sp_csv_parse(w.data, w.len, &csv, err, sizeof err), SP_OK);
    assert_int_equal(csv.count, 2);
    for (int row = 0; row < 2; row++) {
        assert_int_equal(csv.rows[row].count, n);
        for (size_t i = 0; i < n; i++)
            assert_string_equal(csv.rows[row].fields[i], fields[i]);
    }
    sp_csv_free(&csv);
    free(w.data);
}

static void reader_should_accept_lf_cr_and_a_last_line_without_a_break(void **s)
{
    (void)s;
    sp_csv csv;
    const char *text = "a,b\nc,d\re,f";
    assert_int_equal(sp_csv_parse(text, strlen(text), &csv, NULL, 0), SP_OK);
    assert_int_equal(csv.count, 3);
    assert_string_equal(csv.rows[1].fields[1], "d");
    assert_string_equal(csv.rows[2].fields[0], "e");
    sp_csv_free(&csv);
    assert_int_equal(sp_csv_parse("", 0, &csv, NULL, 0), SP_OK);
    assert_int_equal(csv.count, 0);
    assert_int_equal(sp_csv_parse("x,", 2, &csv, NULL, 0), SP_OK);
    assert_int_equal(csv.rows[0].count, 2);
    assert_string_equal(csv.rows[0].fields[1], "");
    sp_csv_free(&csv);
}

static void reader_should_refuse_malformed_text_and_say_where(void **s)
{
    (void)s;
    sp_csv csv;
    char err[100];
    const char *open = "a,b\r\nc,\"d\r\n";
    assert_int_equal(sp_csv_parse(open, strlen(open), &csv, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "line 2"));
    assert_non_null(strstr(err, "not closed"));
    assert_null(csv.rows);
    assert_int_equal(sp_csv_parse("\"a\"b", 4, &csv, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "after a closing quote"));
    assert_int_equal(sp_csv_parse("a\"b", 3, &csv, err, sizeof err), SP_ERR_BADDATA);
    assert_int_equal(sp_csv_parse("a\0b", 3, &csv, err, sizeof err), SP_ERR_BADDATA);
    assert_non_null(strstr(err, "UTF-16"));
}

static void reader_should_refuse_a_row_with_too_many_fields(void **s)
{
    (void)s;
    size_t n = (SP_CSV_MAX_FIELDS + 1) * 2;
    char *text = malloc(n);
    sp_csv csv;
    for (size_t i = 0; i < n; i += 2) {
        text[i] = 'x';
        text[i + 1] = ',';
    }
    assert_int_equal(sp_csv_parse(text, n - 1, &csv, NULL, 0), SP_ERR_BADDATA);
    free(text);
}

static void locale_separator_and_formula_cells_should_round_trip(void **s)
{
    (void)s;
    static const char *const fields[] = {"=HYPERLINK(\"http://x\")", "+1 800 446 8848", "-5",
                                         "@SUM(A1)", "'=already", "'plain", "a;b", "a,b",
                                         "Lohnbüro", ""};
    const size_t n = sizeof fields / sizeof fields[0];
    sp_csv_writer w = {0};
    sp_csv c;
    char err[100];
    w.separator = ';';
    w.formula_safe = 1;
    for (size_t i = 0; i < n; i++)
        sp_csv_field(&w, fields[i]);
    sp_csv_end_row(&w);
    assert_non_null(strstr(w.data, "'+1 800 446 8848;'-5;'@SUM(A1);''=already;'plain;\"a;b\";\"a,b\";"));
    assert_int_equal(sp_csv_guess_separator(w.data, w.len), ';');
    assert_int_equal(sp_csv_parse_with(w.data, w.len, ';', &c, err, sizeof err), SP_OK);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.rows[0].count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(sp_csv_formula_plain(c.rows[0].fields[i]), fields[i]);
    sp_csv_free(&c);
    free(w.data);
    assert_int_equal(sp_csv_guess_separator("\"a,b\";c\r\n", 9), ';');
    assert_int_equal(sp_csv_guess_separator("a,b;c", 5), ',');
    assert_int_equal(sp_csv_guess_separator("abc\r\nd;e", 8), ',');
    assert_int_equal(sp_csv_parse_with("a", 1, '"', &c, err, sizeof err), SP_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(locale_separator_and_formula_cells_should_round_trip),
        cmocka_unit_test(writer_should_quote_only_fields_that_need_it),
        cmocka_unit_test(reader_should_give_back_what_the_writer_wrote),
        cmocka_unit_test(reader_should_accept_lf_cr_and_a_last_line_without_a_break),
        cmocka_unit_test(reader_should_refuse_malformed_text_and_say_where),
        cmocka_unit_test(reader_should_refuse_a_row_with_too_many_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
