/* The replication XML of msDS-ReplAllInboundNeighbors and msDS-ReplAttributeMetaData, as Windows
 * Server 2003 and later write it: fields, entities, times, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/health/replxml.h"

/* One inbound neighbour as a 2003 DC gives it (tabs and line breaks between the fields). */
static const char neighbor[] =
    "<DS_REPL_NEIGHBOR>\n"
    "\t<pszNamingContext>DC=contoso,DC=local</pszNamingContext>\n"
    "\t<pszSourceDsaDN>CN=NTDS Settings,CN=OLD&amp;DC,CN=Servers,CN=Default-First-Site-Name,"
    "CN=Sites,CN=Configuration,DC=contoso,DC=local</pszSourceDsaDN>\n"
    "\t<pszSourceDsaAddress>5f1c0c2e-0000-4000-8000-000000000001._msdcs.contoso.local"
    "</pszSourceDsaAddress>\n"
    "\t<pszAsyncIntersiteTransportDN></pszAsyncIntersiteTransportDN>\n"
    "\t<dwReplicaFlags>1879048304</dwReplicaFlags>\n"
    "\t<dwReserved>0</dwReserved>\n"
    "\t<uuidNamingContextObjGuid>0c1b8c36-3b6a-4a6b-8bc0-5a66b7c44c0e</uuidNamingContextObjGuid>\n"
    "\t<usnLastObjChangeSynced>28671</usnLastObjChangeSynced>\n"
    "\t<usnAttributeFilter>28671</usnAttributeFilter>\n"
    "\t<ftimeLastSyncSuccess>2024-03-02T23:48:05Z</ftimeLastSyncSuccess>\n"
    "\t<ftimeLastSyncAttempt>2024-03-04T08:00:00.123Z</ftimeLastSyncAttempt>\n"
    "\t<dwLastSyncResult>1722</dwLastSyncResult>\n"
    "\t<cNumConsecutiveSyncFailures>37</cNumConsecutiveSyncFailures>\n"
    "</DS_REPL_NEIGHBOR>\n";

static void a_neighbor_should_give_its_source_times_and_failures(void **state)
{
    sp_repl_neighbor n;
    (void)state;
    assert_int_equal(sp_repl_neighbor_parse(neighbor, strlen(neighbor), &n), SP_OK);
    assert_string_equal(n.naming_context, "DC=contoso,DC=local");
    assert_non_null(strstr(n.source_dsa, "CN=OLD&DC,CN=Servers"));
    assert_int_equal(n.last_success, 1709423285);
    assert_int_equal(n.last_attempt, 1709539200);
    assert_int_equal(n.last_result, 1722);
    assert_int_equal(n.failures, 37);
}

static void never_should_be_zero_and_malformed_times_refused(void **state)
{
    static const char *const bad[] = {"2024-03-02 23:48:05Z", "2024-03-02T23:48:05", "2024-13-02T23:48:05Z",
                                      "2024-03-02T23:48:05Zjunk", "24-03-02T23:48:05Z", "2024-03-02T24:00:00Z",
                                      ""};
    (void)state;
    assert_int_equal(sp_repl_time("1601-01-01T00:00:00Z", 20), 0);
    assert_int_equal(sp_repl_time("1970-01-01T00:00:01Z", 20), 1);
    assert_int_equal(sp_repl_time("2024-03-02T23:48:05.5Z", 22), 1709423285);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sp_repl_time(bad[i], strlen(bad[i])), -1);
}

static void metadata_should_give_the_attribute_and_its_last_change(void **state)
{
    static const char meta[] =
        "<DS_REPL_ATTR_META_DATA>\n"
        "\t<pszAttributeName>dSASignature</pszAttributeName>\n"
        "\t<dwVersion>12</dwVersion>\n"
        "\t<ftimeLastOriginatingChange>2025-11-23T02:00:00Z</ftimeLastOriginatingChange>\n"
        "\t<uuidLastOriginatingDsaInvocationID>9d0d0a2e-0000-4000-8000-000000000002"
        "</uuidLastOriginatingDsaInvocationID>\n"
        "\t<usnOriginatingChange>41244</usnOriginatingChange>\n"
        "\t<usnLocalChange>41244</usnLocalChange>\n"
        "\t<pszLastOriginatingDsaDN>CN=NTDS Settings,CN=SBS01,CN=Servers,CN=Default-First-Site-Name,"
        "CN=Sites,CN=Configuration,DC=contoso,DC=local</pszLastOriginatingDsaDN>\n"
        "</DS_REPL_ATTR_META_DATA>\n";
    sp_repl_meta m;
    (void)state;
    assert_int_equal(sp_repl_meta_parse(meta, strlen(meta), &m), SP_OK);
    assert_string_equal(m.attribute, "dSASignature");
    assert_int_equal(m.version, 12);
    assert_int_equal(m.last_change, 1763863200);
    /* A value is read only up to len: cut before the time, the field is missing. */
    assert_int_equal(sp_repl_meta_parse(meta, (size_t)(strstr(meta, "2025") - meta), &m),
                     SP_ERR_BADDATA);
}

static void other_structures_and_broken_fields_should_be_refused(void **state)
{
    static const char *const bad[] = {
        "<DS_REPL_ATTR_META_DATA><pszAttributeName>x</pszAttributeName></DS_REPL_ATTR_META_DATA>",
        "<DS_REPL_NEIGHBOR><pszNamingContext>DC=a</pszNamingContext></DS_REPL_NEIGHBOR>",
        /* fields outside the element */
        "<pszNamingContext>DC=a</pszNamingContext><pszSourceDsaDN>CN=b</pszSourceDsaDN>"
        "<DS_REPL_NEIGHBOR></DS_REPL_NEIGHBOR>",
        "<DS_REPL_NEIGHBOR><pszNamingContext>DC=&bogus;</pszNamingContext></DS_REPL_NEIGHBOR>",
    };
    sp_repl_neighbor n;
    char big[2048];
    size_t w;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(sp_repl_neighbor_parse(bad[i], strlen(bad[i]), &n), SP_ERR_BADDATA);
    /* A number past 32 bits, and a DN longer than the field. */
    snprintf(big, sizeof big, "%.*s99999999999%s", (int)(strstr(neighbor, "1722") - neighbor), neighbor,
             strstr(neighbor, "</dwLastSyncResult>"));
    assert_int_equal(sp_repl_neighbor_parse(big, strlen(big), &n), SP_ERR_BADDATA);
    w = (size_t)snprintf(big, sizeof big, "<DS_REPL_NEIGHBOR><pszNamingContext>");
    memset(big + w, 'a', 700);
    snprintf(big + w + 700, sizeof big - w - 700, "</pszNamingContext></DS_REPL_NEIGHBOR>");
    assert_int_equal(sp_repl_neighbor_parse(big, strlen(big), &n), SP_ERR_BADDATA);
    assert_int_equal(sp_repl_neighbor_parse(NULL, 0, &n), SP_ERR_BADDATA);
}

static void character_references_should_become_utf8(void **state)
{
    static const char meta[] =
        "<DS_REPL_ATTR_META_DATA><pszAttributeName>M&#252;ller&#x20AC;&lt;</pszAttributeName>"
        "<dwVersion>1</dwVersion><ftimeLastOriginatingChange>2025-01-01T00:00:00Z"
        "</ftimeLastOriginatingChange></DS_REPL_ATTR_META_DATA>";
    sp_repl_meta m;
    (void)state;
    assert_int_equal(sp_repl_meta_parse(meta, strlen(meta), &m), SP_OK);
    assert_string_equal(m.attribute, "M\xc3\xbcller\xe2\x82\xac<");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_neighbor_should_give_its_source_times_and_failures),
        cmocka_unit_test(never_should_be_zero_and_malformed_times_refused),
        cmocka_unit_test(metadata_should_give_the_attribute_and_its_last_change),
        cmocka_unit_test(other_structures_and_broken_fields_should_be_refused),
        cmocka_unit_test(character_references_should_become_utf8),
    };
    return cmocka_run_group_tests_name("replxml", tests, NULL, NULL);
}
