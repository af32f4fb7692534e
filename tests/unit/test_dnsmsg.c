/* The DNS client's messages: the query's bytes, and replies read or refused (truncation, compression loops, another ID, NXDOMAIN, SERVFAIL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/base/dnsmsg.h"

/* A reply under construction: the header, the question, then records appended byte by byte. */
typedef struct {
    unsigned char b[600];
    size_t n;
} pkt;

static void add(pkt *p, const void *data, size_t len)
{
    assert_true(p->n + len <= sizeof p->b);
    memcpy(p->b + p->n, data, len);
    p->n += len;
}

static void add16(pkt *p, unsigned v)
{
    unsigned char x[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    add(p, x, 2);
}

/* "\3www\7example\3com" style labels from "www.example.com", with the final zero. */
static void add_name(pkt *p, const char *name)
{
    while (*name) {
        size_t n = strcspn(name, ".");
        unsigned char l = (unsigned char)n;
        add(p, &l, 1);
        add(p, name, n);
        name += n + (name[n] == '.');
    }
    add(p, "", 1);
}

/* Header (id, flags, counts) and the question name/type, class IN. */
static void start(pkt *p, unsigned id, unsigned flags, unsigned an, unsigned ns, const char *name,
                  unsigned type)
{
    p->n = 0;
    add16(p, id);
    add16(p, flags);
    add16(p, 1);
    add16(p, an);
    add16(p, ns);
    add16(p, 0);
    add_name(p, name);
    add16(p, type);
    add16(p, 1);
}

/* A record's fixed part after its owner: type, class IN, TTL 3600, rdlength. */
static void rr_head(pkt *p, unsigned type, unsigned rdlen)
{
    add16(p, type);
    add16(p, 1);
    add16(p, 0);
    add16(p, 3600);
    add16(p, rdlen);
}

#define SRV_NAME "_ldap._tcp.dc._msdcs.fabrikam.local"

/* The reply of a DC: one SRV answer whose owner points at the question and whose target,
 * FABSBS.fabrikam.local, ends in a pointer into it. */
static void srv_reply(pkt *p, unsigned id)
{
    start(p, id, 0x8580, 1, 0, SRV_NAME, SP_DNS_SRV);
    add16(p, 0xC00C);
    rr_head(p, SP_DNS_SRV, 6 + 9);
    add16(p, 0);
    add16(p, 100);
    add16(p, 389);
    add(p, "\6FABSBS", 7);
    /* "fabrikam.local" starts at 12 + 1+5 + 1+4 + 1+2 + 1+6 = 33 in the question. */
    add16(p, 0xC000 | 33);
}

static void query_should_be_laid_out_as_rfc_1035_says(void **state)
{
    unsigned char q[300];
    size_t len;
    static const unsigned char want[] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                                         3, 'w', 'w', 'w', 3, 'c', 'o', 'm', 0, 0, 33, 0, 1};
    (void)state;
    assert_int_equal(sp_dns_build_query(0x1234, "www.com.", SP_DNS_SRV, 1, q, sizeof q, &len), SP_OK);
    assert_int_equal(len, sizeof want);
    assert_memory_equal(q, want, sizeof want);
    /* The root is one zero byte; recursion not desired clears RD. */
    assert_int_equal(sp_dns_build_query(7, ".", SP_DNS_NS, 0, q, sizeof q, &len), SP_OK);
    assert_int_equal(len, 17);
    assert_int_equal(q[2], 0);
    assert_int_equal(q[12], 0);
}

static void query_should_refuse_what_is_not_a_name(void **state)
{
    unsigned char q[300];
    char label[70], long_name[300];
    size_t len;
    (void)state;
    memset(label, 'a', 64);
    label[64] = '\0';
    assert_int_equal(sp_dns_build_query(1, label, SP_DNS_A, 0, q, sizeof q, &len), SP_ERR_INVALID);
    assert_int_equal(sp_dns_build_query(1, "a..b", SP_DNS_A, 0, q, sizeof q, &len), SP_ERR_INVALID);
    assert_int_equal(sp_dns_build_query(1, "a..", SP_DNS_A, 0, q, sizeof q, &len), SP_ERR_INVALID);
    for (int i = 0; i < 128; i++)
        memcpy(long_name + 2 * i, "a.", 2);
    long_name[256] = '\0';
    assert_int_equal(sp_dns_build_query(1, long_name, SP_DNS_A, 0, q, sizeof q, &len),
                     SP_ERR_INVALID);
    assert_int_equal(sp_dns_build_query(1, "a.b", SP_DNS_A, 0, q, 18, &len), SP_ERR_INVALID);
}

/* An SRV answer whose owner points at the question and whose target is compressed into it. */
static void srv_reply_should_follow_compression(void **state)
{
    pkt p;
    sp_dns_reply r;
    char why[200];
    (void)state;
    srv_reply(&p, 0xBEEF);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 0xBEEF, SRV_NAME, SP_DNS_SRV, &r, why, sizeof why),
                     SP_OK);
    assert_true(r.aa);
    assert_int_equal(r.rcode, SP_DNS_NOERROR);
    assert_int_equal(r.answer_count, 1);
    assert_string_equal(r.answers[0].name, SRV_NAME);
    assert_int_equal(r.answers[0].port, 389);
    assert_int_equal(r.answers[0].weight, 100);
    assert_string_equal(r.answers[0].target, "FABSBS.fabrikam.local");
    assert_true(sp_dns_name_equal(r.answers[0].target, "fabsbs.FABRIKAM.local."));
}

static void a_and_cname_answers_should_be_read(void **state)
{
    pkt p;
    sp_dns_reply r;
    char why[200];
    static const unsigned char addr[] = {192, 168, 16, 2};
    (void)state;
    start(&p, 9, 0x8180, 2, 0, "www.fabrikam.local", SP_DNS_A);
    add16(&p, 0xC00C);
    rr_head(&p, SP_DNS_CNAME, 9);
    add(&p, "\6FABSBS", 7);
    add16(&p, 0xC000 | 16); /* "fabrikam.local" of the question */
    add(&p, "\6FABSBS", 7); /* the CNAME's target written out as the A record's owner */
    add16(&p, 0xC000 | 16);
    rr_head(&p, SP_DNS_A, 4);
    add(&p, addr, 4);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 9, "www.fabrikam.local", SP_DNS_A, &r, why,
                                        sizeof why), SP_OK);
    assert_false(r.aa);
    assert_true(r.ra);
    assert_int_equal(r.answer_count, 2);
    assert_string_equal(r.answers[0].target, "FABSBS.fabrikam.local");
    assert_string_equal(r.answers[1].name, "FABSBS.fabrikam.local");
    assert_int_equal(r.answers[1].addr, 0xC0A81002u);
}

static void nxdomain_should_parse_with_its_soa(void **state)
{
    pkt p;
    sp_dns_reply r;
    char why[200], buf[16];
    (void)state;
    start(&p, 3, 0x8583, 0, 1, "_kerberos._tcp.fabrikam.local", SP_DNS_SRV);
    add16(&p, 0xC000 | 27); /* "fabrikam.local" */
    rr_head(&p, SP_DNS_SOA, 2 + 2 + 20);
    add16(&p, 0xC000 | 27);
    add16(&p, 0xC000 | 27);
    for (int i = 0; i < 10; i++)
        add16(&p, i == 1 ? 42 : 0);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 3, "_kerberos._tcp.fabrikam.local", SP_DNS_SRV,
                                        &r, why, sizeof why), SP_OK);
    assert_int_equal(r.rcode, SP_DNS_NXDOMAIN);
    assert_string_equal(sp_dns_rcode_name(r.rcode, buf, sizeof buf), "NXDOMAIN");
    assert_int_equal(r.answer_count, 0);
    assert_int_equal(r.authority_count, 1);
    assert_int_equal(r.authority[0].type, SP_DNS_SOA);
    assert_string_equal(r.authority[0].name, "fabrikam.local");
    assert_int_equal(r.authority[0].serial, 42);
}

static void servfail_should_parse_without_answers(void **state)
{
    pkt p;
    sp_dns_reply r;
    char why[200], buf[16];
    (void)state;
    start(&p, 4, 0x8182, 0, 0, "", SP_DNS_NS);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 4, ".", SP_DNS_NS, &r, why, sizeof why), SP_OK);
    assert_int_equal(r.rcode, SP_DNS_SERVFAIL);
    assert_string_equal(sp_dns_rcode_name(r.rcode, buf, sizeof buf), "SERVFAIL");
    assert_string_equal(sp_dns_rcode_name(11, buf, sizeof buf), "rcode 11");
}

static void a_reply_to_another_query_should_be_refused(void **state)
{
    pkt p;
    sp_dns_reply r;
    char why[200];
    (void)state;
    start(&p, 0x1111, 0x8180, 0, 0, "a.local", SP_DNS_A);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 0x2222, "a.local", SP_DNS_A, &r, why, sizeof why),
                     SP_ERR_BADDATA);
    assert_non_null(strstr(why, "ID"));
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 0x1111, "b.local", SP_DNS_A, &r, why, sizeof why),
                     SP_ERR_BADDATA);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 0x1111, "a.local", SP_DNS_SRV, &r, why, sizeof why),
                     SP_ERR_BADDATA);
    /* A query (QR clear) is no reply. */
    p.b[2] = 0x01;
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 0x1111, "a.local", SP_DNS_A, &r, why, sizeof why),
                     SP_ERR_BADDATA);
}

static void compression_loops_should_be_refused(void **state)
{
    pkt p;
    sp_dns_reply r;
    char why[200];
    size_t at;
    (void)state;
    /* The answer's owner points at itself. */
    start(&p, 5, 0x8180, 1, 0, "a.local", SP_DNS_A);
    at = p.n;
    add16(&p, 0xC000 | (unsigned)at);
    rr_head(&p, SP_DNS_A, 4);
    add(&p, "\1\2\3\4", 4);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 5, "a.local", SP_DNS_A, &r, why, sizeof why),
                     SP_ERR_BADDATA);
    /* A label, then a pointer back to that label: a loop through one label. */
    start(&p, 5, 0x8180, 1, 0, "a.local", SP_DNS_A);
    at = p.n;
    add(&p, "\1x", 2);
    add16(&p, 0xC000 | (unsigned)at);
    rr_head(&p, SP_DNS_A, 4);
    add(&p, "\1\2\3\4", 4);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 5, "a.local", SP_DNS_A, &r, why, sizeof why),
                     SP_ERR_BADDATA);
    /* A pointer forward, past the packet. */
    start(&p, 5, 0x8180, 1, 0, "a.local", SP_DNS_A);
    add16(&p, 0xC000 | 500);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 5, "a.local", SP_DNS_A, &r, why, sizeof why),
                     SP_ERR_BADDATA);
}

static void truncated_packets_should_be_refused_at_every_length(void **state)
{
    pkt p;
    sp_dns_reply r;
    char why[200];
    (void)state;
    srv_reply(&p, 6);
    for (size_t n = 0; n < p.n; n++)
        assert_int_equal(sp_dns_parse_reply(p.b, n, 6, SRV_NAME, SP_DNS_SRV, &r, why, sizeof why),
                         SP_ERR_BADDATA);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 6, SRV_NAME, SP_DNS_SRV, &r, why, sizeof why),
                     SP_OK);
    /* With TC set, what came whole is kept and the caller is told by r.tc. */
    p.b[2] |= 0x02;
    assert_int_equal(sp_dns_parse_reply(p.b, p.n - 3, 6, SRV_NAME, SP_DNS_SRV, &r, why, sizeof why),
                     SP_OK);
    assert_true(r.tc);
    assert_int_equal(r.answer_count, 0);
}

static void a_record_of_the_wrong_size_should_be_refused(void **state)
{
    pkt p;
    sp_dns_reply r;
    char why[200];
    (void)state;
    start(&p, 8, 0x8180, 1, 0, "a.local", SP_DNS_A);
    add16(&p, 0xC00C);
    rr_head(&p, SP_DNS_A, 5);
    add(&p, "\1\2\3\4\5", 5);
    assert_int_equal(sp_dns_parse_reply(p.b, p.n, 8, "a.local", SP_DNS_A, &r, why, sizeof why),
                     SP_ERR_BADDATA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(query_should_be_laid_out_as_rfc_1035_says),
        cmocka_unit_test(query_should_refuse_what_is_not_a_name),
        cmocka_unit_test(srv_reply_should_follow_compression),
        cmocka_unit_test(a_and_cname_answers_should_be_read),
        cmocka_unit_test(nxdomain_should_parse_with_its_soa),
        cmocka_unit_test(servfail_should_parse_without_answers),
        cmocka_unit_test(a_reply_to_another_query_should_be_refused),
        cmocka_unit_test(compression_loops_should_be_refused),
        cmocka_unit_test(truncated_packets_should_be_refused_at_every_length),
        cmocka_unit_test(a_record_of_the_wrong_size_should_be_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
