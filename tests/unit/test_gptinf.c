/* The INF editor: finding SeServiceLogonRight, removing that one line, GPT.INI's version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy/gptinf.h"

#define HEAD "[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n"

/* Removes the right from text (8-bit) and checks the result is expected, byte for byte. */
static void expect_removed(const char *text, const char *expected, size_t lines, size_t accounts)
{
    sp_inf_match m;
    unsigned char *out = NULL;
    size_t n = 0;
    assert_int_equal(sp_inf_find((const unsigned char *)text, strlen(text), "Privilege Rights",
                                 "SeServiceLogonRight", &m), SP_OK);
    assert_true(m.is_template);
    assert_int_equal(m.line_found, lines);
    assert_int_equal(m.account_count, accounts);
    assert_int_equal(sp_inf_remove((const unsigned char *)text, strlen(text), m.lines, m.line_found,
                                   &out, &n), SP_OK);
    assert_int_equal(n, strlen(expected));
    assert_memory_equal(out, expected, n);
    free(out);
    sp_inf_match_free(&m);
}

static void gptinf_should_remove_the_right_as_the_first_line_of_its_section(void **s)
{
    (void)s;
    expect_removed(HEAD "[Privilege Rights]\r\nSeServiceLogonRight = *S-1-5-20,SBSMonAcct\r\nSeBatchLogonRight = *S-1-5-32-544\r\n",
                   HEAD "[Privilege Rights]\r\nSeBatchLogonRight = *S-1-5-32-544\r\n", 1, 2);
}

static void gptinf_should_keep_other_rights_when_removing_one_in_the_middle(void **s)
{
    (void)s;
    expect_removed(HEAD "[Privilege Rights]\r\nSeA = *S-1-1-0\r\nSeServiceLogonRight = *S-1-5-20\r\nSeZ = x\r\n[Registry Values]\r\nA=4,1\r\n",
                   HEAD "[Privilege Rights]\r\nSeA = *S-1-1-0\r\nSeZ = x\r\n[Registry Values]\r\nA=4,1\r\n", 1, 1);
}

static void gptinf_should_remove_the_last_line_of_a_section_and_of_a_file_without_newline(void **s)
{
    (void)s;
    expect_removed(HEAD "[Privilege Rights]\r\nSeA = x\r\nSeServiceLogonRight = a\r\n[Event Audit]\r\nAuditLogonEvents = 0\r\n",
                   HEAD "[Privilege Rights]\r\nSeA = x\r\n[Event Audit]\r\nAuditLogonEvents = 0\r\n", 1, 1);
    expect_removed(HEAD "[Privilege Rights]\r\nSeA = x\r\nSeServiceLogonRight = a",
                   HEAD "[Privilege Rights]\r\nSeA = x\r\n", 1, 1);
}

static void gptinf_should_find_the_right_in_every_copy_of_a_duplicated_section(void **s)
{
    (void)s;
    expect_removed(HEAD "[Privilege Rights]\r\nSeServiceLogonRight = a\r\n[System Access]\r\nX=1\r\n[privilege rights]\r\n seservicelogonright=b,c\r\nSeA = y\r\n",
                   HEAD "[Privilege Rights]\r\n[System Access]\r\nX=1\r\n[privilege rights]\r\nSeA = y\r\n", 2, 3);
}

static void gptinf_should_ignore_the_right_outside_privilege_rights(void **s)
{
    (void)s;
    const char *t = HEAD "[System Access]\r\nSeServiceLogonRight = a\r\n;SeServiceLogonRight = b\r\n[Privilege Rights]\r\nSeServiceLogonRightX = c\r\n";
    expect_removed(t, t, 0, 0);
}

static void gptinf_should_read_names_and_sids_and_an_empty_value(void **s)
{
    (void)s;
    const char *t = HEAD "[Privilege Rights]\r\nSeServiceLogonRight\t=\t*S-1-5-20 , CONTOSO\\SBSMonAcct,IWAM_SBS01 \r\n";
    sp_inf_match m;
    assert_int_equal(sp_inf_find((const unsigned char *)t, strlen(t), "Privilege Rights", "SeServiceLogonRight", &m), SP_OK);
    assert_int_equal(m.account_count, 3);
    assert_string_equal(m.accounts[0], "*S-1-5-20");
    assert_string_equal(m.accounts[1], "CONTOSO\\SBSMonAcct");
    assert_string_equal(m.accounts[2], "IWAM_SBS01");
    sp_inf_match_free(&m);
    /* Defined with nobody in it is still defined: the policy setting is ticked. */
    expect_removed(HEAD "[Privilege Rights]\r\nSeServiceLogonRight =\r\nSeA = x\r\n",
                   HEAD "[Privilege Rights]\r\nSeA = x\r\n", 1, 0);
}

static void gptinf_should_keep_mixed_line_endings(void **s)
{
    (void)s;
    expect_removed(HEAD "[Privilege Rights]\nSeA = x\r\nSeServiceLogonRight = a\nSeB = y\n",
                   HEAD "[Privilege Rights]\nSeA = x\r\nSeB = y\n", 1, 1);
}

/* ASCII text as UTF-16LE, with or without the BOM secedit writes. */
static unsigned char *utf16(const char *ascii, int bom, size_t *n)
{
    size_t len = strlen(ascii), o = 0;
    unsigned char *b = malloc(len * 2 + 2);
    if (bom) {
        b[o++] = 0xFF;
        b[o++] = 0xFE;
    }
    for (size_t i = 0; i < len; i++) {
        b[o++] = (unsigned char)ascii[i];
        b[o++] = 0;
    }
    *n = o;
    return b;
}

static void gptinf_should_edit_utf16_with_and_without_bom_byte_for_byte(void **s)
{
    (void)s;
    for (int bom = 0; bom < 2; bom++) {
        size_t n, en, on;
        unsigned char *in = utf16(HEAD "[Privilege Rights]\r\nSeA = x\r\nSeServiceLogonRight = *S-1-5-20\r\n", bom, &n);
        unsigned char *exp = utf16(HEAD "[Privilege Rights]\r\nSeA = x\r\n", bom, &en), *out;
        sp_inf_match m;
        assert_int_equal(sp_inf_find(in, n, "Privilege Rights", "SeServiceLogonRight", &m), SP_OK);
        assert_int_equal(m.encoding, SP_INF_UTF16LE);
        assert_true(m.is_template);
        assert_int_equal(m.line_found, 1);
        assert_string_equal(m.accounts[0], "*S-1-5-20");
        assert_int_equal(sp_inf_remove(in, n, m.lines, 1, &out, &on), SP_OK);
        assert_int_equal(on, en);
        assert_memory_equal(out, exp, en);
        free(out);
        free(in);
        free(exp);
        sp_inf_match_free(&m);
    }
}

static void gptinf_should_decode_utf16_names_and_keep_utf8_bom(void **s)
{
    (void)s;
    /* "Jürgen" in UTF-16LE, and the same file as UTF-8 with a BOM. */
    static const unsigned char name16[] = {'J', 0, 0xFC, 0, 'r', 0, 'g', 0, 'e', 0, 'n', 0};
    size_t n, k;
    unsigned char *head = utf16(HEAD "[Privilege Rights]\r\nSeServiceLogonRight = ", 1, &n);
    unsigned char *buf = malloc(n + sizeof name16 + 4);
    sp_inf_match m;
    memcpy(buf, head, n);
    memcpy(buf + n, name16, sizeof name16);
    k = n + sizeof name16;
    buf[k++] = '\r', buf[k++] = 0, buf[k++] = '\n', buf[k++] = 0;
    assert_int_equal(sp_inf_find(buf, k, "Privilege Rights", "SeServiceLogonRight", &m), SP_OK);
    assert_int_equal(m.account_count, 1);
    assert_string_equal(m.accounts[0], "J\xC3\xBCrgen");
    sp_inf_match_free(&m);
    free(buf);
    free(head);
    expect_removed("\xEF\xBB\xBF" HEAD "[Privilege Rights]\r\nSeServiceLogonRight = J\xC3\xBCrgen\r\n",
                   "\xEF\xBB\xBF" HEAD "[Privilege Rights]\r\n", 1, 1);
}

static void gptinf_should_say_when_a_file_is_not_a_security_template(void **s)
{
    (void)s;
    sp_inf_match m;
    const char *html = "<html><body>[Privilege Rights]\nSeServiceLogonRight=a</body></html>\n";
    static const unsigned char odd16[] = {0xFF, 0xFE, '[', 0, 'V'};
    static const unsigned char be16[] = {0xFE, 0xFF, 0, '['};
    static const unsigned char binary[] = {'[', 'V', 'e', 'r', 's', 'i', 'o', 'n', ']', '\n', 's', 'i', 'g',
                                           'n', 'a', 't', 'u', 'r', 'e', '=', '$', 'C', 'H', 'I', 'C', 'A',
                                           'G', 'O', '$', '\n', 0, 1, 2};
    assert_int_equal(sp_inf_find((const unsigned char *)html, strlen(html), "Privilege Rights", "SeServiceLogonRight", &m), SP_OK);
    assert_false(m.is_template);
    sp_inf_match_free(&m);
    assert_int_equal(sp_inf_find(odd16, sizeof odd16, "Privilege Rights", "SeServiceLogonRight", &m), SP_ERR_BADDATA);
    assert_int_equal(sp_inf_find(be16, sizeof be16, "Privilege Rights", "SeServiceLogonRight", &m), SP_ERR_BADDATA);
    assert_int_equal(sp_inf_find(binary, sizeof binary, "Privilege Rights", "SeServiceLogonRight", &m), SP_OK);
    assert_false(m.is_template);
    sp_inf_match_free(&m);
    assert_int_equal(sp_inf_find((const unsigned char *)"", 0, "Privilege Rights", "SeServiceLogonRight", &m), SP_OK);
    assert_false(m.is_template);
    sp_inf_match_free(&m);
}

static void gptinf_should_edit_a_10_mb_file_and_keep_every_other_line(void **s)
{
    (void)s;
    const size_t target = 10u << 20;
    char *t = malloc(target + 200), *exp = malloc(target + 200);
    size_t n = 0, e = 0, lines = 0;
    sp_inf_match m;
    unsigned char *out;
    size_t on;
    n = (size_t)sprintf(t, HEAD "[Privilege Rights]\r\n");
    memcpy(exp, t, n);
    e = n;
    while (n < target) {
        int k = sprintf(t + n, "SeRight%07lu = *S-1-5-21-1-2-3-%lu\r\n", (unsigned long)lines, (unsigned long)lines);
        memcpy(exp + e, t + n, (size_t)k);
        n += (size_t)k;
        e += (size_t)k;
        if (++lines == 200000)
            n += (size_t)sprintf(t + n, "SeServiceLogonRight = *S-1-5-20\r\n");
    }
    assert_int_equal(sp_inf_find((unsigned char *)t, n, "Privilege Rights", "SeServiceLogonRight", &m), SP_OK);
    assert_int_equal(m.line_found, 1);
    assert_int_equal(sp_inf_remove((unsigned char *)t, n, m.lines, 1, &out, &on), SP_OK);
    assert_int_equal(on, e);
    assert_memory_equal(out, exp, e);
    free(out);
    sp_inf_match_free(&m);
    free(t);
    free(exp);
}

static void gptini_should_read_and_replace_only_the_version_digits(void **s)
{
    (void)s;
    const char *ini = "[General]\r\ndisplayName=Default\r\nVersion = 65539\r\n";
    uint32_t v = 0;
    unsigned char *out;
    size_t n;
    assert_int_equal(sp_gptini_version((const unsigned char *)ini, strlen(ini), &v), SP_OK);
    assert_int_equal(v, 65539);
    assert_int_equal(sp_gptini_set_version((const unsigned char *)ini, strlen(ini), 65540, &out, &n), SP_OK);
    assert_int_equal(n, strlen(ini));
    assert_memory_equal(out, "[General]\r\ndisplayName=Default\r\nVersion = 65540\r\n", n);
    free(out);
    assert_int_equal(sp_gptini_set_version((const unsigned char *)"[general]\nversion=9", 19, 10, &out, &n), SP_OK);
    assert_int_equal(n, 20);
    assert_memory_equal(out, "[general]\nversion=10", 20);
    free(out);
}

static void gptini_should_refuse_a_version_that_is_not_a_number(void **s)
{
    (void)s;
    uint32_t v;
    unsigned char *out = NULL;
    size_t n;
    assert_int_equal(sp_gptini_version((const unsigned char *)"[General]\nVersion=7a\n", 21, &v), SP_ERR_BADDATA);
    assert_int_equal(sp_gptini_version((const unsigned char *)"[General]\nVersion=\n", 19, &v), SP_ERR_BADDATA);
    assert_int_equal(sp_gptini_version((const unsigned char *)"[General]\nVersion=99999999999\n", 30, &v), SP_ERR_BADDATA);
    assert_int_equal(sp_gptini_version((const unsigned char *)"[Other]\nVersion=1\n", 18, &v), SP_ERR_NOTFOUND);
    assert_int_equal(sp_gptini_set_version((const unsigned char *)"[General]\nVersion=x\n", 20, 1, &out, &n), SP_ERR_BADDATA);
    assert_null(out);
}

static void gpo_version_should_raise_only_the_computer_part(void **s)
{
    (void)s;
    uint32_t r;
    assert_int_equal(sp_gpo_version_raise_computer(0x00030007u, &r), SP_OK);
    assert_int_equal(r, 0x00030008u); /* user part 3 kept, computer part 7 -> 8 */
    assert_int_equal(sp_gpo_version_raise_computer(0x0001FFFFu, &r), SP_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gptinf_should_remove_the_right_as_the_first_line_of_its_section),
        cmocka_unit_test(gptinf_should_keep_other_rights_when_removing_one_in_the_middle),
        cmocka_unit_test(gptinf_should_remove_the_last_line_of_a_section_and_of_a_file_without_newline),
        cmocka_unit_test(gptinf_should_find_the_right_in_every_copy_of_a_duplicated_section),
        cmocka_unit_test(gptinf_should_ignore_the_right_outside_privilege_rights),
        cmocka_unit_test(gptinf_should_read_names_and_sids_and_an_empty_value),
        cmocka_unit_test(gptinf_should_keep_mixed_line_endings),
        cmocka_unit_test(gptinf_should_edit_utf16_with_and_without_bom_byte_for_byte),
        cmocka_unit_test(gptinf_should_decode_utf16_names_and_keep_utf8_bom),
        cmocka_unit_test(gptinf_should_say_when_a_file_is_not_a_security_template),
        cmocka_unit_test(gptinf_should_edit_a_10_mb_file_and_keep_every_other_line),
        cmocka_unit_test(gptini_should_read_and_replace_only_the_version_digits),
        cmocka_unit_test(gptini_should_refuse_a_version_that_is_not_a_number),
        cmocka_unit_test(gpo_version_should_raise_only_the_computer_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
