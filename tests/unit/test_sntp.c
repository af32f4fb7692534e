/* SNTP: timestamps across the 2036 era rollover, the offset math, the reply checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/timesync/sntp.h"

#define S 1000000LL

static void ntp_timestamps_should_round_trip_unix_time_to_the_microsecond(void **s)
{
    (void)s;
    int64_t samples[] = {0, 1, 999999, 1700000000LL * S + 123456, -1, 946684800LL * S};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        sp_ntp_ts ts = sp_ntp_from_unix_us(samples[i]);
        assert_true(llabs(sp_ntp_to_unix_us(ts, samples[i]) - samples[i]) <= 1);
    }
    /* 1970 is NTP second 2208988800 of era 0. */
    assert_int_equal(sp_ntp_from_unix_us(0).sec, 2208988800u);
    /* Half a second is 2^31 fractions. */
    assert_int_equal(sp_ntp_from_unix_us(S / 2).frac, 0x80000000u);
}

static void ntp_timestamps_should_read_era_1_after_the_2036_rollover(void **s)
{
    (void)s;
    /* 2036-02-07 06:28:16 UTC is NTP second 2^32: era 1 starts again from 0. */
    int64_t rollover = (4294967296LL - 2208988800LL) * S;
    sp_ntp_ts before = sp_ntp_from_unix_us(rollover - S);
    sp_ntp_ts after = sp_ntp_from_unix_us(rollover + 5 * S);
    assert_int_equal(before.sec, 4294967295u);
    assert_int_equal(after.sec, 5u);
    /* A server just past the rollover, read by a client just before it, and vice versa. */
    assert_int_equal(sp_ntp_to_unix_us(after, rollover - 10 * S), rollover + 5 * S);
    assert_int_equal(sp_ntp_to_unix_us(before, rollover + 10 * S), rollover - S);
}

static void offset_should_follow_rfc4330_for_negative_and_fractional_values(void **s)
{
    (void)s;
    int64_t off, delay;
    /* Server 7 minutes behind, 40 ms round trip, 1 ms in the server. */
    int64_t t1 = 1000 * S, t2 = t1 + 20000 - 420 * S, t3 = t2 + 1000, t4 = t1 + 41000;
    sp_sntp_offset(t1, t2, t3, t4, &off, &delay);
    assert_int_equal(off, -420 * S);
    assert_int_equal(delay, 40000);
    /* Fractions: 0.25 s ahead with an asymmetric path gives the midpoint. */
    sp_sntp_offset(0, 250500, 250500, 1000, &off, &delay);
    assert_int_equal(off, 250000);
    assert_int_equal(delay, 1000);
    /* Large offsets do not overflow. */
    sp_sntp_offset(0, INT64_MAX / 2, INT64_MAX / 2, 0, &off, &delay);
    assert_int_equal(off, INT64_MAX / 2);
}

static void make_reply(unsigned char *p, unsigned leap, unsigned mode, unsigned stratum,
                       sp_ntp_ts origin, sp_ntp_ts tx)
{
    sp_sntp_request(p, tx);
    p[0] = (unsigned char)(leap << 6 | 4u << 3 | mode);
    p[1] = (unsigned char)stratum;
    for (int i = 0; i < 4; i++) {
        p[24 + i] = (unsigned char)(origin.sec >> (24 - 8 * i));
        p[28 + i] = (unsigned char)(origin.frac >> (24 - 8 * i));
    }
}

static void reply_checks_should_reject_what_rfc4330_rejects(void **s)
{
    (void)s;
    unsigned char p[48] = {0};
    sp_ntp_packet pk;
    char why[200];
    sp_ntp_ts nonce = {0x12345678u, 0x9abcdef0u}, other = {1, 2}, tx = {0xe0000000u, 1};
    assert_int_equal(sp_sntp_parse(p, 47, &pk, why, sizeof why), SP_ERR_BADDATA);
    assert_non_null(strstr(why, "47 bytes"));

    make_reply(p, 0, 4, 2, nonce, tx);
    assert_int_equal(sp_sntp_parse(p, 48, &pk, why, sizeof why), SP_OK);
    assert_int_equal(sp_sntp_validate(&pk, nonce, why, sizeof why), SP_OK);

    make_reply(p, 0, 4, 2, other, tx);
    sp_sntp_parse(p, 48, &pk, why, sizeof why);
    assert_int_equal(sp_sntp_validate(&pk, nonce, why, sizeof why), SP_ERR_BADDATA);
    assert_non_null(strstr(why, "origin"));

    make_reply(p, 0, 3, 2, nonce, tx);
    sp_sntp_parse(p, 48, &pk, why, sizeof why);
    assert_int_equal(sp_sntp_validate(&pk, nonce, why, sizeof why), SP_ERR_BADDATA);
    assert_non_null(strstr(why, "mode 3"));

    make_reply(p, 3, 4, 2, nonce, tx);
    sp_sntp_parse(p, 48, &pk, why, sizeof why);
    assert_int_equal(sp_sntp_validate(&pk, nonce, why, sizeof why), SP_ERR_BADDATA);
    assert_non_null(strstr(why, "not synchronised"));

    make_reply(p, 0, 4, 0, nonce, tx);
    memcpy(p + 12, "RATE", 4);
    sp_sntp_parse(p, 48, &pk, why, sizeof why);
    assert_int_equal(sp_sntp_validate(&pk, nonce, why, sizeof why), SP_ERR_BADDATA);
    assert_non_null(strstr(why, "RATE"));

    make_reply(p, 0, 4, 2, nonce, (sp_ntp_ts){0, 0});
    sp_sntp_parse(p, 48, &pk, why, sizeof why);
    assert_int_equal(sp_sntp_validate(&pk, nonce, why, sizeof why), SP_ERR_BADDATA);
    assert_non_null(strstr(why, "transmit"));
}

static void offsets_should_read_as_people_write_them(void **s)
{
    (void)s;
    char buf[64];
    sp_sntp_format_offset(3 * S, buf, sizeof buf);
    assert_string_equal(buf, "+3.000 s");
    sp_sntp_format_offset(-(4 * 60 + 59) * S, buf, sizeof buf);
    assert_string_equal(buf, "-4 min 59.000 s");
    sp_sntp_format_offset(6 * 3600 * S, buf, sizeof buf);
    assert_string_equal(buf, "+6 h 0 min 0.000 s");
    sp_sntp_format_offset(-1499, buf, sizeof buf);
    assert_string_equal(buf, "-0.001 s");
    sp_sntp_format_offset(INT64_MIN, buf, sizeof buf);
    assert_true(buf[0] == '-');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ntp_timestamps_should_round_trip_unix_time_to_the_microsecond),
        cmocka_unit_test(ntp_timestamps_should_read_era_1_after_the_2036_rollover),
        cmocka_unit_test(offset_should_follow_rfc4330_for_negative_and_fractional_values),
        cmocka_unit_test(reply_checks_should_reject_what_rfc4330_rejects),
        cmocka_unit_test(offsets_should_read_as_people_write_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
