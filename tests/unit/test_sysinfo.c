/* Detection: every source product named right from its profile, Exchange found, steps that apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sysinfo.h"
#include "tests/unit/testutil.h"

/* Loads tests/profiles/<name>.json (tests run from the repository root) and detects. */
static void detect_profile(const char *name, sp_sysinfo *info)
{
    char path[256];
    unsigned char *json;
    testutil_world m;
    snprintf(path, sizeof path, "tests/profiles/%s.json", name);
    json = testutil_read_file(path, NULL);
    assert_non_null(json);
    testutil_world_open_sim(&m, (const char *)json);
    free(json);
    assert_int_equal(sp_sysinfo_detect(m.sim, info), SP_OK);
    testutil_world_close(&m);
}

static void sbs2003_should_be_named_with_its_role_and_exchange(void **s)
{
    (void)s;
    sp_sysinfo info;
    char line[400];
    detect_profile("sbs2003", &info);
    assert_int_equal(info.product, SP_PRODUCT_SBS2003);
    assert_true(info.is_sbs);
    assert_true(info.is_dc);
    assert_int_equal(info.bits, 32);
    assert_int_equal(info.exchange, SP_EXCHANGE_2003);
    assert_int_equal(info.exchange_sp, 2);
    sp_sysinfo_describe(&info, line, sizeof line);
    assert_non_null(strstr(line, "Windows Small Business Server 2003 SP2, 32-bit, domain controller of "));
    assert_non_null(strstr(line, ", Exchange Server 2003 SP2"));
    assert_int_equal(sp_sysinfo_applicable(&info), 0x7f); /* all seven steps */
}

static void each_product_profile_should_be_classified(void **s)
{
    (void)s;
    static const struct {
        const char *profile;
        sp_product product;
        sp_exchange exchange;
        int policy, email;
    } cases[] = {
        {"sbs2003", SP_PRODUCT_SBS2003, SP_EXCHANGE_2003, 1, 1},
        {"server2003", SP_PRODUCT_SERVER2003, SP_EXCHANGE_NONE, 1, 0},
        {"sbs2008", SP_PRODUCT_SBS2008, SP_EXCHANGE_2007, 0, 1},
        {"foundation2008", SP_PRODUCT_FOUNDATION2008, SP_EXCHANGE_NONE, 0, 0},
        {"sbs2011std", SP_PRODUCT_SBS2011_STANDARD, SP_EXCHANGE_2010, 0, 1},
        {"sbs2011ess", SP_PRODUCT_SBS2011_ESSENTIALS, SP_EXCHANGE_NONE, 0, 0},
        {"ess2012", SP_PRODUCT_ESSENTIALS2012, SP_EXCHANGE_NONE, 0, 0},
        {"ess2012r2", SP_PRODUCT_ESSENTIALS2012R2, SP_EXCHANGE_NONE, 0, 0},
        {"ess2016", SP_PRODUCT_ESSENTIALS2016, SP_EXCHANGE_NONE, 0, 0},
        {"workstation", SP_PRODUCT_CLIENT, SP_EXCHANGE_NONE, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sp_sysinfo info;
        unsigned bits;
        detect_profile(cases[i].profile, &info);
        if (info.product != cases[i].product)
            fail_msg("%s: detected %s", cases[i].profile, sp_product_id(info.product));
        assert_int_equal(info.exchange, cases[i].exchange);
        bits = sp_sysinfo_applicable(&info);
        assert_int_equal(!!(bits & SP_APPLIES(policy)), cases[i].policy);
        assert_int_equal(!!(bits & SP_APPLIES(email)), cases[i].email);
        assert_true(bits & SP_APPLIES(backup));
    }
}

static void classify_should_tell_essentials_2011_from_sbs_2011_standard(void **s)
{
    (void)s;
    sp_osinfo os = {.major = 6, .minor = 1, .product_type = 2, .suite_mask = 0x21};
    assert_int_equal(sp_sysinfo_classify(&os), SP_PRODUCT_SBS2011_STANDARD);
    os.product_info = 0x32;
    assert_int_equal(sp_sysinfo_classify(&os), SP_PRODUCT_SBS2011_ESSENTIALS);
    os.product_info = 0;
    os.suite_mask = 0;
    assert_int_equal(sp_sysinfo_classify(&os), SP_PRODUCT_SERVER2008R2);
    snprintf(os.product_name, sizeof os.product_name, "Windows Server 2008 R2 Foundation");
    assert_int_equal(sp_sysinfo_classify(&os), SP_PRODUCT_FOUNDATION2008);
}

static void classify_should_use_the_suite_mask_on_2003(void **s)
{
    (void)s;
    sp_osinfo os = {.major = 5, .minor = 2, .build = 3790, .product_type = 2};
    assert_int_equal(sp_sysinfo_classify(&os), SP_PRODUCT_SERVER2003);
    os.suite_mask = 0x20; /* VER_SUITE_SMALLBUSINESS_RESTRICTED */
    assert_int_equal(sp_sysinfo_classify(&os), SP_PRODUCT_SBS2003);
    os.product_type = 1;
    assert_int_equal(sp_sysinfo_classify(&os), SP_PRODUCT_CLIENT);
    os.product_type = 3;
    os.major = 5;
    os.minor = 0;
    assert_int_equal(sp_sysinfo_classify(&os), SP_PRODUCT_UNKNOWN);
}

static void describe_should_say_when_the_server_is_not_in_a_domain(void **s)
{
    (void)s;
    sp_sysinfo info;
    char line[300];
    memset(&info, 0, sizeof info);
    info.product = SP_PRODUCT_SERVER2008R2;
    info.bits = 64;
    info.os.sp_major = 1;
    snprintf(info.product_name, sizeof info.product_name, "%s", sp_product_name(info.product));
    sp_sysinfo_describe(&info, line, sizeof line);
    assert_string_equal(line, "Windows Server 2008 R2 SP1, 64-bit, not in a domain");
}

/* The x86 exe on 64-bit Windows (WOW64) must refuse on a real server, and only there. */
static void exe_fit_should_refuse_the_32_bit_exe_on_64_bit_windows_only_for_real(void **s)
{
    (void)s;
    assert_int_equal(sp_exe_fit_for("x86", "x64", 0), SP_EXE_NEEDS_X64);
    assert_int_equal(sp_exe_fit_for("x86", "ia64", 0), SP_EXE_NEEDS_X64);
    assert_int_equal(sp_exe_fit_for("x86", "arm64", 0), SP_EXE_NEEDS_X64);
    assert_int_equal(sp_exe_fit_for("x86", "x86", 0), SP_EXE_FITS);
    assert_int_equal(sp_exe_fit_for("x64", "x64", 0), SP_EXE_FITS);
    /* A simulated server reads nothing of this machine: either exe serves the demo. */
    assert_int_equal(sp_exe_fit_for("x86", "x64", 1), SP_EXE_FITS);
    /* Unknown values never refuse a start by themselves. */
    assert_int_equal(sp_exe_fit_for("x86", "unknown", 0), SP_EXE_FITS);
    assert_int_equal(sp_exe_fit_for(NULL, NULL, 0), SP_EXE_FITS);
}

static void exe_arch_should_follow_the_pointer_size(void **s)
{
    (void)s;
    assert_int_equal(sp_exe_bits(), (int)sizeof(void *) * 8);
    assert_string_equal(sp_exe_arch(), sizeof(void *) == 8 ? "x64" : "x86");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sbs2003_should_be_named_with_its_role_and_exchange),
        cmocka_unit_test(each_product_profile_should_be_classified),
        cmocka_unit_test(classify_should_tell_essentials_2011_from_sbs_2011_standard),
        cmocka_unit_test(classify_should_use_the_suite_mask_on_2003),
        cmocka_unit_test(describe_should_say_when_the_server_is_not_in_a_domain),
        cmocka_unit_test(exe_fit_should_refuse_the_32_bit_exe_on_64_bit_windows_only_for_real),
        cmocka_unit_test(exe_arch_should_follow_the_pointer_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
