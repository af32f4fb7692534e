/* Email migration: the ValidPorts parser and editor, the verdict on HTTPS answers, and the step
 * on the demo server (inventory, target, ValidPorts fixed through the journal and undone). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/email/email.h"
#include "core/msgids.h"
#include "core/report.h"
#include "core/session.h"
#include "core/email/validports.h"
#include "tests/unit/testutil.h"

#define RPC "HKLM\\SOFTWARE\\Microsoft\\Rpc\\RpcProxy"

/* ---- ValidPorts ---------------------------------------------------------------------- */

static void validports_should_parse_spaces_ranges_ipv6_and_trailing_semicolons(void **s)
{
    (void)s;
    sp_validports vp;
    assert_int_equal(sp_validports_parse(" SBS01:6001-6002 ;;sbs01.contoso.local : 6004;[fe80::1]:593; ", &vp), SP_OK);
    assert_int_equal(vp.count, 3);
    assert_int_equal(vp.invalid, 0);
    assert_string_equal(vp.items[0].host, "SBS01");
    assert_int_equal(vp.items[0].lo, 6001);
    assert_int_equal(vp.items[0].hi, 6002);
    assert_string_equal(vp.items[1].host, "sbs01.contoso.local");
    assert_int_equal(vp.items[1].lo, 6004);
    assert_string_equal(vp.items[2].host, "fe80::1");
    assert_int_equal(vp.items[2].hi, 593);
    assert_string_equal(vp.items[0].raw, "SBS01:6001-6002");
    sp_validports_free(&vp);
    assert_int_equal(sp_validports_parse("", &vp), SP_OK);
    assert_int_equal(vp.count, 0);
    sp_validports_free(&vp);
    assert_int_equal(sp_validports_parse(NULL, &vp), SP_ERR_INVALID);
}

static void validports_should_keep_malformed_entries_as_invalid(void **s)
{
    (void)s;
    sp_validports vp;
    assert_int_equal(sp_validports_parse("noport;a:0;a:70000;a:6002-6001;:6001;a b:1;[::1;a:1-2-3;ok:1", &vp), SP_OK);
    assert_int_equal(vp.count, 9);
    assert_int_equal(vp.invalid, 8);
    assert_null(vp.items[0].host);
    assert_string_equal(vp.items[8].host, "ok");
    sp_validports_free(&vp);
}

static void validports_should_join_ranges_and_ignore_case(void **s)
{
    (void)s;
    sp_validports vp;
    assert_int_equal(sp_validports_parse("Remote.Contoso.com:6001;remote.contoso.com:6002-6003;x:100-7000", &vp), SP_OK);
    assert_true(sp_validports_covers(&vp, "remote.contoso.com", 6001, 6002));
    assert_false(sp_validports_covers(&vp, "remote.contoso.com", 6004, 6004));
    assert_true(sp_validports_covers(&vp, "X", 6004, 6004));
    assert_false(sp_validports_covers(&vp, "y", 6004, 6004));
    sp_validports_free(&vp);
}

static void validports_missing_should_list_what_each_name_lacks_once(void **s)
{
    (void)s;
    const char *hosts[] = {"SBS01", "sbs01.contoso.local", "remote.contoso.com", "sbs01", "", NULL};
    char *m = sp_validports_missing("SBS01:6001-6002;SBS01:6004;sbs01.contoso.local:6004", hosts, 6);
    assert_string_equal(m, "sbs01.contoso.local:6001-6002;remote.contoso.com:6001-6002;remote.contoso.com:6004");
    free(m);
    const char *v6[] = {"fe80::1"};
    m = sp_validports_missing("", v6, 1);
    assert_string_equal(m, "[fe80::1]:6001-6002;[fe80::1]:6004");
    free(m);
    m = sp_validports_missing("a:6001-6002;a:6004", hosts, 0);
    assert_string_equal(m, "");
    free(m);
}

static void validports_append_should_keep_existing_entries_in_order(void **s)
{
    (void)s;
    char *v = sp_validports_append("B:6004;A:6001-6002", "C:6004");
    assert_string_equal(v, "B:6004;A:6001-6002;C:6004");
    free(v);
    v = sp_validports_append("B:6004; ", "C:6004");
    assert_string_equal(v, "B:6004; C:6004");
    free(v);
    v = sp_validports_append("", "C:6004");
    assert_string_equal(v, "C:6004");
    free(v);
    v = sp_validports_append("B:6004", "");
    assert_string_equal(v, "B:6004");
    free(v);
}

static void validports_should_handle_a_very_long_value(void **s)
{
    (void)s;
    size_t n = 20000, len = 0;
    char *big = malloc(n * 24 + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(big + len, "host%05zu:%zu;", i, 1 + i % 60000);
    sp_validports vp;
    assert_int_equal(sp_validports_parse(big, &vp), SP_OK);
    assert_int_equal(vp.count, n);
    assert_int_equal(vp.invalid, 0);
    sp_validports_free(&vp);
    const char *hosts[] = {"new.example.com"};
    char *m = sp_validports_missing(big, hosts, 1);
    char *v = sp_validports_append(big, m);
    assert_int_equal(strncmp(v, big, len), 0);
    assert_string_equal(v + len, "new.example.com:6001-6002;new.example.com:6004");
    free(v);
    free(m);
    free(big);
}

/* ---- Verdicts on HTTPS answers --------------------------------------------------------- */

static sp_http_response answer(long status, const char *auth, int code, int trusted)
{
    sp_http_response r;
    memset(&r, 0, sizeof r);
    r.status = status;
    snprintf(r.auth, sizeof r.auth, "%s", auth);
    r.curl_code = code;
    r.cert_trusted = r.cert_chain_ok = trusted;
    if (trusted >= 0) {
        r.cert_known = 1;
        snprintf(r.cert_subject, sizeof r.cert_subject, "CN=mail.contoso.com");
        snprintf(r.cert_issuer, sizeof r.cert_issuer, "CN=Test CA");
        r.cert_expires = 2000000000;
    }
    /* A trusted chain ends in a public root unless a test says otherwise. */
    r.cert_root_public = trusted == 1 ? 1 : -1;
    return r;
}

static void verdict_should_refuse_a_root_that_is_not_public_and_name_it(void **s)
{
    (void)s;
    const int64_t now = 1700000000;
    char ev[1600];
    sp_http_response r = answer(401, "Basic realm=\"x\"", 0, 1);
    snprintf(r.cert_root, sizeof r.cert_root, "CN=Contoso-SBS01-CA, DC=contoso, DC=local");
    snprintf(r.cert_root_store, sizeof r.cert_root_store, "this machine's Root store");
    r.cert_root_public = 0;
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_PRIVATE_ROOT);
    assert_non_null(strstr(ev, "root: CN=Contoso-SBS01-CA, DC=contoso, DC=local, not a public root, "
                               "this machine's Root store"));
    unsigned title, advice;
    sp_email_conn_text(SP_CONN_PRIVATE_ROOT, &title, &advice);
    assert_int_equal(title, IDS_F_EMAIL_CONN_PRIVATE_ROOT);
    /* Public: passes, and says so. */
    r.cert_root_public = 1;
    snprintf(r.cert_root_store, sizeof r.cert_root_store, "AuthRoot (third-party root programme)");
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_OK);
    assert_non_null(strstr(ev, "a public root, AuthRoot"));
    /* Unknown: never a pass. */
    r.cert_root_public = -1;
    r.cert_root[0] = '\0';
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_ROOT_UNKNOWN);
    assert_non_null(strstr(ev, "whether it is a public root is unknown"));
    /* Self-signed and expired keep their verdicts whatever the root. */
    r = answer(401, "Basic", 0, 1);
    r.cert_root_public = 0;
    r.cert_expires = now - 10;
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_EXPIRED);
    snprintf(r.cert_issuer, sizeof r.cert_issuer, "%s", r.cert_subject);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_EXPIRED);
    r.cert_expires = now + 10;
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_SELF_SIGNED);
}

static void verdict_should_want_the_host_in_the_subject_alternative_names(void **s)
{
    (void)s;
    const int64_t now = 1700000000;
    char ev[1600];
    sp_http_response r = answer(401, "Basic", 0, 1);
    r.cert_san_read = 1;
    snprintf(r.cert_names, sizeof r.cert_names, "DNS:remote.contoso.com, DNS:autodiscover.contoso.com");
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_NOT_IN_SAN);
    assert_int_equal(sp_email_conn_verdict(&r, "REMOTE.contoso.com", now, ev, sizeof ev), SP_CONN_OK);
    assert_int_equal(sp_email_conn_verdict(&r, "autodiscover.contoso.com.", now, ev, sizeof ev), SP_CONN_OK);
    r.cert_names[0] = '\0'; /* a certificate with its name only in the subject's CN */
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_NOT_IN_SAN);
    assert_non_null(strstr(ev, "no subject alternative names"));
    r.cert_san_read = 0; /* not read: the handshake's own name check stands */
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_OK);
    assert_true(sp_email_san_names("DNS:*.contoso.com", "remote.contoso.com"));
    assert_false(sp_email_san_names("DNS:*.contoso.com", "contoso.com"));
    assert_false(sp_email_san_names("DNS:*.contoso.com", "a.b.contoso.com"));
    assert_false(sp_email_san_names("IP Address:10.0.0.1, DNS:", "10.0.0.1"));
    assert_false(sp_email_san_names("DNS:remote.contoso.com", "remote.contoso.co"));
    assert_false(sp_email_san_names("DNS:remote.contoso.co", "remote.contoso.com"));
}

static void inside_addresses_should_be_private_loopback_and_link_local_only(void **s)
{
    (void)s;
    static const char *const in[] = {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.16.2", "127.0.0.1",
                                     "169.254.3.4", "100.64.0.1", "::1", "fd00::5", "FE80::1", "::ffff:192.168.1.1"};
    static const char *const out[] = {"203.0.113.25", "172.32.0.1", "172.15.0.1", "192.169.0.1", "8.8.8.8",
                                      "2001:db8::1", "100.128.0.1", "", "remote", "300.1.1.1", "10.0.0.1x"};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++)
        assert_true(sp_email_addr_inside(in[i]));
    for (size_t i = 0; i < sizeof out / sizeof *out; i++)
        assert_false(sp_email_addr_inside(out[i]));
}

static void verdict_should_name_what_office_365_would_refuse(void **s)
{
    (void)s;
    const int64_t now = 1700000000;
    char ev[1600];
    sp_http_response r = answer(401, "Basic realm=\"x\"", 0, 1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_OK);
    assert_non_null(strstr(ev, "HTTP 401"));
    r = answer(401, "Negotiate; NTLM", 0, 1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_OK);
    r = answer(401, "Negotiate", 0, 1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_BAD_AUTH);
    r = answer(401, "Basicx", 0, 1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_BAD_AUTH);
    r = answer(200, "", 0, 1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_NO_AUTH);
    r = answer(404, "", 0, 1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_STATUS);
    r = answer(401, "Basic", 60, 0);
    snprintf(r.cert_issuer, sizeof r.cert_issuer, "%s", r.cert_subject);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_SELF_SIGNED);
    assert_non_null(strstr(ev, "curl error 60"));
    assert_non_null(strstr(ev, "issued by itself"));
    r = answer(401, "Basic", 60, 0);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_UNTRUSTED);
    r.cert_chain_ok = 1;
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_NAME);
    r.cert_expires = now - 1;
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_EXPIRED);
    r = answer(0, "", 6, -1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_DNS);
    r = answer(0, "", 28, -1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_TIMEOUT);
    r = answer(0, "", 7, -1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_REFUSED);
    r = answer(0, "", 52, 1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_CLOSED);
    r = answer(0, "", 5, -1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_PROXY);
    r = answer(0, "", 35, -1);
    assert_int_equal(sp_email_conn_verdict(&r, "mail.contoso.com", now, ev, sizeof ev), SP_CONN_TLS);
}

/* ---- The step on the demo server ------------------------------------------------------- */

typedef testutil_world world;

static void open_demo(world *w)
{
    testutil_world_open(w, "resources/demo-sbs2003.json");
}

static sp_result run(world *w, int apply, sp_findings *f)
{
    sp_findings_free(f);
    return testutil_world_run(w, "email", apply, f);
}

static char *validports(world *w)
{
    static char buf[1024];
    assert_int_equal(sp_reg_get_string(w->sim, SP_REG_VIEW_DEFAULT, RPC, "ValidPorts", buf, sizeof buf), SP_OK);
    return buf;
}

static void email_should_inventory_exchange_and_wait_for_a_target_on_the_demo(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_demo(&w);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_string_equal(testutil_find(&f, "email.exchange")->arg, "Exchange Server 2003 SP2");
    assert_non_null(strstr(testutil_find(&f, "email.exchange")->evidence, "MSExchangeIS running"));
    const sp_finding *pop3 = testutil_find(&f, "email.pop3");
    assert_non_null(pop3);
    assert_int_equal(pop3->severity, SP_SEV_WARNING);
    assert_string_equal(pop3->arg, "3");
    assert_non_null(strstr(pop3->evidence, "jane@contoso.com on pop.isp-mail.net to Jane Doe"));
    assert_non_null(strstr(pop3->evidence, "running (in use)"));
    assert_non_null(strstr(testutil_find(&f, "email.store")->arg, "priv1.edb, "));
    assert_non_null(strstr(testutil_find(&f, "email.public_folders")->arg, "pub1.edb"));
    assert_non_null(testutil_find(&f, "email.no_target"));
    assert_false(sp_state_gate_open(w.session.state, "email", w.sim->ops->time_now(w.sim)));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* A real store folder: 40 transaction logs that sort before priv1.edb. */
static void add_logs(cJSON *profile)
{
    cJSON *files = cJSON_GetObjectItemCaseSensitive(profile, "files");
    for (int i = 1; i <= 40; i++) {
        char name[96];
        snprintf(name, sizeof name, "C:\\Program Files\\Exchsrvr\\mdbdata\\E00%05X.log", i);
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "text", "log");
        cJSON_AddItemToObject(files, name, f);
    }
}

static void email_should_find_the_store_behind_forty_transaction_logs(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    testutil_world_open_edited(&w, "resources/demo-sbs2003.json", add_logs);
    run(&w, 0, &f);
    assert_non_null(testutil_find(&f, "email.store"));
    assert_non_null(strstr(testutil_find(&f, "email.store")->arg, "priv1.edb"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void email_o365_should_find_missing_validports_and_a_self_signed_certificate(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_demo(&w);
    assert_int_equal(sp_email_plan_set(w.session.state, SP_EMAIL_TARGET_O365, "Microsoft 365 already licensed"), SP_OK);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_string_equal(testutil_find(&f, "email.fqdn")->arg, "remote.contoso.com");
    assert_string_equal(testutil_find(&f, "email.validports_missing")->arg,
                        "sbs01.contoso.local:6001-6002;sbs01.contoso.local:6004;"
                        "remote.contoso.com:6001-6002;remote.contoso.com:6004");
    const sp_finding *rpc = testutil_find(&f, "email.rpc_failed");
    assert_non_null(rpc);
    assert_int_equal(rpc->title_id, IDS_F_EMAIL_CONN_SELF_SIGNED);
    assert_non_null(strstr(rpc->evidence, "curl error 35"));
    /* Exchange 2003 has no Autodiscover: its failure warns, it does not block. */
    assert_int_equal(testutil_find(&f, "email.autodiscover_failed")->severity, SP_SEV_WARNING);
    assert_int_equal(testutil_find(&f, "email.autodiscover_failed")->title_id, IDS_F_EMAIL_CONN_DNS);
    assert_int_equal(testutil_find(&f, "email.confirm.o365.accepted_domain")->severity, SP_SEV_ERROR);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* The English text of a string ID, from resources/lang/en-US.rc. */
static void rc_text(const char *name, char *out, size_t len)
{
    size_t size = 0, n = strlen(name);
    char *rc = (char *)testutil_read_file("resources/lang/en-US.rc", &size);
    assert_non_null(rc);
    out[0] = '\0';
    for (char *line = rc; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char *p = line + strspn(line, " \t");
        if (strncmp(p, name, n) == 0 && (p[n] == ' ' || p[n] == '\t')) {
            char *q = strchr(p + n, '"'), *e = q ? strchr(q + 1, '"') : NULL;
            if (q && e)
                snprintf(out, len, "%.*s", (int)(e - q - 1), q + 1);
            break;
        }
    }
    free(rc);
    assert_true(out[0] != '\0');
}

/* Plans Office 365 (with fqdn as the external name unless NULL). */
static void plan_o365(world *w, const char *fqdn)
{
    assert_int_equal(sp_email_plan_set(w->session.state, SP_EMAIL_TARGET_O365, "licensed"), SP_OK);
    if (fqdn)
        assert_int_equal(sp_email_fqdn_set(w->session.state, fqdn), SP_OK);
}

/* The demo with one patch of tests/profiles/email, planned for Office 365 on remote.contoso.com. */
static void open_o365_case(world *w, const char *patch)
{
    testutil_world_open_patched(w, "resources/demo-sbs2003.json", patch, NULL);
    plan_o365(w, NULL);
}

static void email_should_refuse_a_certificate_of_the_domain_ca_published_in_ad(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_o365_case(&w, "tests/profiles/email/domain-ca.patch.json");
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    const sp_finding *rpc = testutil_find(&f, "email.rpc_failed");
    assert_non_null(rpc);
    assert_int_equal(rpc->severity, SP_SEV_ERROR);
    assert_int_equal(rpc->title_id, IDS_F_EMAIL_CONN_PRIVATE_ROOT);
    assert_string_equal(rpc->arg, "remote.contoso.com, Contoso-SBS01-CA");
    assert_non_null(strstr(rpc->evidence, "not a public root, the domain's certification authority, "
                                          "published in Active Directory"));
    assert_null(testutil_find(&f, "email.rpc_ok"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void email_should_judge_the_root_as_the_backend_read_it(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    /* The demo's owa.contoso.com: the backend found its root only in the enterprise's store. */
    open_demo(&w);
    plan_o365(&w, "owa.contoso.com");
    run(&w, 0, &f);
    const sp_finding *rpc = testutil_find(&f, "email.rpc_failed");
    assert_non_null(rpc);
    assert_int_equal(rpc->title_id, IDS_F_EMAIL_CONN_PRIVATE_ROOT);
    assert_non_null(strstr(rpc->evidence, "published in Active Directory; in the enterprise's Root store"));
    /* mail.contoso.com chains to a root of the programme: passes, from outside (public address). */
    assert_int_equal(sp_email_fqdn_set(w.session.state, "mail.contoso.com"), SP_OK);
    run(&w, 0, &f);
    rpc = testutil_find(&f, "email.rpc_ok");
    assert_non_null(rpc);
    assert_int_equal(rpc->severity, SP_SEV_INFO);
    assert_non_null(strstr(rpc->evidence, "a public root, AuthRoot"));
    assert_null(testutil_find(&f, "email.rpc_inside"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void email_should_say_a_test_from_inside_the_network_is_not_what_office_365_sees(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_o365_case(&w, "tests/profiles/email/inside.patch.json");
    run(&w, 0, &f);
    const sp_finding *rpc = testutil_find(&f, "email.rpc_unverified");
    assert_null(testutil_find(&f, "email.rpc_ok"));
    assert_non_null(rpc);
    assert_int_equal(rpc->severity, SP_SEV_WARNING);
    assert_int_equal(rpc->title_id, IDS_F_EMAIL_CONN_OK_INSIDE);
    assert_int_equal(rpc->advice_id, IDS_F_EMAIL_INSIDE_ADVICE);
    const sp_finding *in = testutil_find(&f, "email.rpc_inside");
    assert_non_null(in);
    assert_int_equal(in->severity, SP_SEV_WARNING);
    assert_string_equal(in->evidence, "remote.contoso.com resolves to 192.168.16.2");
    /* The sentence itself, as the user reads it. */
    char title[600], advice[600];
    rc_text("IDS_F_EMAIL_INSIDE", title, sizeof title);
    rc_text("IDS_F_EMAIL_INSIDE_ADVICE", advice, sizeof advice);
    assert_non_null(strstr(title, "this test ran from inside the network"));
    assert_non_null(strstr(advice, "Office 365 connects from the Internet"));
    assert_non_null(strstr(advice, "https://testconnectivity.microsoft.com"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* Autodiscover, as Outlook looks for it: the root domain, autodiscover.<domain>, the SRV record. */
static void email_autodiscover_should_be_found_through_the_srv_record_alone(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_o365_case(&w, "tests/profiles/email/autodiscover-srv.patch.json");
    run(&w, 0, &f);
    const sp_finding *ad = testutil_find(&f, "email.autodiscover_ok");
    assert_non_null(ad);
    assert_int_equal(ad->severity, SP_SEV_INFO);
    assert_string_equal(ad->arg, "mail.contoso.com");
    /* The other two were tried first, and the evidence says so. */
    assert_non_null(strstr(ad->evidence, "https://contoso.com/autodiscover/autodiscover.xml: "));
    assert_non_null(strstr(ad->evidence, "https://autodiscover.contoso.com/autodiscover/autodiscover.xml: "));
    assert_non_null(strstr(ad->evidence, "_autodiscover._tcp.contoso.com: SRV 10 5 443 mail.contoso.com"));
    const sp_finding *via = testutil_find(&f, "email.autodiscover_via");
    assert_non_null(via);
    assert_int_equal(via->title_id, IDS_F_EMAIL_AUTODISCOVER_SRV);
    assert_string_equal(via->arg, "_autodiscover._tcp.contoso.com (mail.contoso.com:443)");
    assert_null(testutil_find(&f, "email.autodiscover_failed"));
    assert_null(testutil_find(&f, "email.autodiscover_2003"));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* The record is there but its host does not answer: that host's failure is the finding. */
    cJSON *gone = cJSON_Parse("{\"http\": {\"urls\": {\"https://mail.contoso.com/autodiscover/autodiscover.xml\": null}}}");
    testutil_world_open_patched(&w, "resources/demo-sbs2003.json", "tests/profiles/email/autodiscover-srv.patch.json",
                                gone);
    plan_o365(&w, NULL);
    run(&w, 0, &f);
    ad = testutil_find(&f, "email.autodiscover_failed");
    assert_non_null(ad);
    assert_int_equal(ad->severity, SP_SEV_WARNING);
    assert_string_equal(ad->arg, "mail.contoso.com");
    assert_non_null(strstr(ad->evidence, "_autodiscover._tcp.contoso.com: SRV 10 5 443 mail.contoso.com"));
    assert_null(testutil_find(&f, "email.autodiscover_via"));
    cJSON_Delete(gone);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void email_autodiscover_should_be_found_at_the_root_domain(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_o365_case(&w, "tests/profiles/email/autodiscover-root.patch.json");
    run(&w, 0, &f);
    const sp_finding *ad = testutil_find(&f, "email.autodiscover_ok");
    assert_non_null(ad);
    assert_string_equal(ad->arg, "contoso.com");
    const sp_finding *via = testutil_find(&f, "email.autodiscover_via");
    assert_non_null(via);
    assert_int_equal(via->title_id, IDS_F_EMAIL_AUTODISCOVER_ROOT);
    assert_string_equal(via->arg, "contoso.com");
    /* The first that works is what Outlook uses: the others are not asked. */
    assert_null(strstr(ad->evidence, "autodiscover.contoso.com"));
    assert_null(strstr(ad->evidence, "_autodiscover._tcp"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void email_autodiscover_nowhere_should_warn_and_name_all_three_ways(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_demo(&w);
    plan_o365(&w, NULL);
    run(&w, 0, &f);
    const sp_finding *ad = testutil_find(&f, "email.autodiscover_failed");
    assert_non_null(ad);
    assert_int_equal(ad->severity, SP_SEV_WARNING);
    assert_int_equal(ad->title_id, IDS_F_EMAIL_CONN_DNS);
    assert_string_equal(ad->arg, "autodiscover.contoso.com");
    assert_non_null(strstr(ad->evidence, "https://contoso.com/autodiscover/autodiscover.xml: "));
    assert_non_null(strstr(ad->evidence, "https://autodiscover.contoso.com/autodiscover/autodiscover.xml: "));
    assert_non_null(strstr(ad->evidence, "_autodiscover._tcp.contoso.com: no SRV record (NXDOMAIN, asked 127.0.0.1)"));
    assert_null(testutil_find(&f, "email.autodiscover_via"));
    assert_null(testutil_find(&f, "email.autodiscover_ok"));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* Exchange 2007 (SBS 2008), no DNS service answering here: the SRV record could not be asked,
     * which the evidence says; still a warning with the manual path, not a blocker. */
    testutil_world_open(&w, "tests/profiles/sbs2008.json");
    plan_o365(&w, "remote.fabrikam.com");
    run(&w, 0, &f);
    ad = testutil_find(&f, "email.autodiscover_failed");
    assert_non_null(ad);
    assert_int_equal(ad->severity, SP_SEV_WARNING);
    assert_non_null(strstr(ad->evidence, "_autodiscover._tcp.fabrikam.com: SRV not asked: 127.0.0.1:53: No reply"));
    assert_non_null(testutil_find(&f, "email.autodiscover_manual"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void email_should_read_store_paths_from_active_directory(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    testutil_world_open_patched(&w, "resources/demo-sbs2003.json", "tests/profiles/email/stores-on-d.patch.json", NULL);
    run(&w, 0, &f);
    const sp_finding *store = testutil_find(&f, "email.store");
    assert_non_null(store);
    assert_string_equal(store->arg, "D:\\Exchange\\priv1.edb, 6.0 GB");
    assert_non_null(strstr(store->evidence, "logs in D:\\Exchange\\Logs (from Active Directory)"));
    assert_non_null(strstr(testutil_find(&f, "email.public_folders")->arg, "mdbdata\\pub1.edb"));
    assert_null(testutil_find(&f, "email.no_stores"));
    assert_null(testutil_find(&f, "email.stores_default"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void unreachable_ldap(cJSON *profile)
{
    cJSON_AddBoolToObject(cJSON_GetObjectItemCaseSensitive(profile, "ldap"), "unreachable", 1);
}

static void email_should_fall_back_to_the_default_folder_and_say_why(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    testutil_world_open_edited(&w, "resources/demo-sbs2003.json", unreachable_ldap);
    run(&w, 0, &f);
    assert_non_null(strstr(testutil_find(&f, "email.store")->arg, "priv1.edb, "));
    const sp_finding *d = testutil_find(&f, "email.stores_default");
    assert_non_null(d);
    assert_string_equal(d->arg, "C:\\Program Files\\Exchsrvr\\mdbdata");
    assert_non_null(strstr(d->evidence, "cannot be reached"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

/* 2,100 users with a mailbox, two of them shared and one a room (Exchange 2007's types). */
static void add_mailboxes(cJSON *profile)
{
    cJSON *entries = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(profile, "ldap"), "entries");
    for (int i = 0; i < 2097; i++) {
        char dn[128], cn[32];
        snprintf(cn, sizeof cn, "User %04d", i);
        snprintf(dn, sizeof dn, "CN=%s,OU=SBSUsers,OU=Users,OU=MyBusiness,DC=contoso,DC=local", cn);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "cn", cn);
        cJSON_AddStringToObject(e, "homeMDB", "CN=Mailbox Store (SBS01),CN=First Storage Group");
        if (i < 2)
            cJSON_AddStringToObject(e, "msExchRecipientTypeDetails", "4");
        else if (i == 2)
            cJSON_AddStringToObject(e, "msExchRecipientTypeDetails", "16");
        cJSON_AddItemToObject(entries, dn, e);
    }
    cJSON *sys = cJSON_CreateObject();
    cJSON_AddStringToObject(sys, "cn", "SystemMailbox{8F1E4C39-2E4C-4F4A-9C5E-6A1B2C3D4E5F}");
    cJSON_AddStringToObject(sys, "homeMDB", "CN=Mailbox Store (SBS01)");
    cJSON_AddItemToObject(entries, "CN=SystemMailbox{8F1E4C39-2E4C-4F4A-9C5E-6A1B2C3D4E5F},CN=Microsoft Exchange System Objects,DC=contoso,DC=local", sys);
}

static void email_should_count_mailboxes_against_the_cutover_limit(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    /* The demo: three mailboxes, within the limit, and the box for it is not needed. */
    open_demo(&w);
    plan_o365(&w, NULL);
    run(&w, 0, &f);
    const sp_finding *m = testutil_find(&f, "email.mailboxes");
    assert_non_null(m);
    assert_string_equal(m->arg, "3");
    assert_int_equal(m->advice_id, IDS_F_EMAIL_MAILBOXES_UNDER);
    assert_null(testutil_find(&f, "email.confirm.o365.under_2000"));
    assert_int_equal(testutil_find(&f, "email.mailbox_sizes")->title_id, IDS_F_EMAIL_MAILBOX_SIZES_UNREAD);
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* 2,100 mailboxes (3 of the demo and 2,097 more; the system mailbox does not count). */
    testutil_world_open_edited(&w, "resources/demo-sbs2003.json", add_mailboxes);
    plan_o365(&w, NULL);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    m = testutil_find(&f, "email.cutover_limit");
    assert_non_null(m);
    assert_int_equal(m->severity, SP_SEV_ERROR);
    assert_string_equal(m->arg, "2100");
    assert_non_null(strstr(m->evidence, "2097 user, 2 shared, 1 room and 0 equipment mailboxes; 1 system"));
    sp_findings_free(&f);
    testutil_world_close(&w);
    /* No directory: not counted, and the confirmation stands in for the fact. */
    testutil_world_open_edited(&w, "resources/demo-sbs2003.json", unreachable_ldap);
    plan_o365(&w, NULL);
    run(&w, 0, &f);
    assert_int_equal(testutil_find(&f, "email.mailboxes_unknown")->severity, SP_SEV_WARNING);
    assert_non_null(testutil_find(&f, "email.confirm.o365.under_2000"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void um_running(cJSON *profile)
{
    cJSON *um = cJSON_CreateObject();
    cJSON_AddStringToObject(um, "state", "running");
    cJSON_AddStringToObject(um, "start", "auto");
    cJSON_AddItemToObject(cJSON_GetObjectItemCaseSensitive(profile, "services"), "MSExchangeUM", um);
}

static void email_unified_messaging_running_should_be_a_warning_not_a_blocker(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    testutil_world_open_edited(&w, "tests/profiles/sbs2008.json", um_running);
    plan_o365(&w, "remote.fabrikam.com");
    run(&w, 0, &f);
    const sp_finding *um = testutil_find(&f, "email.um_on");
    assert_non_null(um);
    assert_int_equal(um->severity, SP_SEV_WARNING);
    /* No Autodiscover answers for a cutover: a warning, with the manual path. */
    const sp_finding *ad = testutil_find(&f, "email.autodiscover_failed");
    assert_non_null(ad);
    assert_int_equal(ad->severity, SP_SEV_WARNING);
    assert_int_equal(ad->title_id, IDS_F_EMAIL_CONN_DNS);
    assert_non_null(testutil_find(&f, "email.autodiscover_manual"));
    assert_int_equal(testutil_find(&f, "email.rpc_failed")->severity, SP_SEV_ERROR);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void email_apply_should_add_validports_entries_and_undo_should_restore_the_value(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    size_t undone = 0;
    open_demo(&w);
    assert_string_equal(validports(&w), "SBS01:6001-6002;SBS01:6004");
    assert_int_equal(sp_email_plan_set(w.session.state, SP_EMAIL_TARGET_O365, "licensed"), SP_OK);
    assert_int_equal(sp_email_fqdn_set(w.session.state, "mail.contoso.com"), SP_OK);
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED); /* confirmations still open */
    assert_string_equal(validports(&w), "SBS01:6001-6002;SBS01:6004;sbs01.contoso.local:6001-6002;"
                                        "sbs01.contoso.local:6004;mail.contoso.com:6001-6002;mail.contoso.com:6004");
    assert_non_null(testutil_find(&f, "email.validports_added"));
    assert_non_null(testutil_find(&f, "email.validports"));
    assert_non_null(testutil_find(&f, "email.rpc_ok"));
    const sp_email_confirm_item *items;
    size_t n = sp_email_confirm_items(SP_EMAIL_TARGET_O365, &items);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sp_email_confirm_set(w.session.state, items[i].code, 1), SP_OK);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_PASSED);
    assert_true(sp_state_gate_open(w.session.state, "email", w.sim->ops->time_now(w.sim)));
    /* A second apply finds nothing to add. */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_PASSED);
    assert_non_null(testutil_find(&f, "email.apply_nothing"));
    assert_int_equal(sp_journal_undo(w.session.journal, "email", &undone), SP_OK);
    assert_int_equal(undone, 1);
    assert_string_equal(validports(&w), "SBS01:6001-6002;SBS01:6004");
    /* Changing the plan closes the gate until the next check. */
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void email_plan_change_should_close_the_gate_and_survive_in_the_state(void **s)
{
    (void)s;
    world w;
    sp_findings f = {0};
    open_demo(&w);
    assert_int_equal(sp_email_plan_set(w.session.state, SP_EMAIL_TARGET_NONE, "mail moved to Gmail in 2019"), SP_OK);
    assert_int_equal(run(&w, 0, &f), SP_RESULT_FAILED);
    assert_int_equal(sp_email_confirm_set(w.session.state, "none.unused", 1), SP_OK);
    /* Not Office 365: the step rests on statements, so it is never verified; a manual mark
     * with a reason opens the gate. */
    assert_int_equal(run(&w, 0, &f), SP_RESULT_MANUAL_NEEDED);
    assert_string_equal(testutil_find(&f, "email.target")->arg, "mail moved to Gmail in 2019");
    assert_non_null(testutil_find(&f, "email.manual_target"));
    assert_null(testutil_find(&f, "email.validports_missing")); /* not an Office 365 migration */
    int64_t now = w.sim->ops->time_now(w.sim);
    assert_false(sp_state_gate_open(w.session.state, "email", now));
    assert_int_equal(sp_state_mark_manual(w.session.state, "email", "mail moved to Gmail in 2019", now), SP_OK);
    assert_true(sp_state_gate_open(w.session.state, "email", now));
    assert_int_equal(sp_email_plan_set(w.session.state, SP_EMAIL_TARGET_ONPREM, "Exchange 2016 bought"), SP_OK);
    assert_false(sp_state_gate_open(w.session.state, "email", now));
    char *report = sp_report_json(w.session.state, &w.session.info, w.session.journal, NULL, NULL, now);
    cJSON *doc = cJSON_Parse(report), *step;
    cJSON_ArrayForEach(step, cJSON_GetObjectItem(doc, "steps"))
        if (strcmp(cJSON_GetObjectItem(step, "id")->valuestring, "email") == 0)
            break;
    assert_non_null(step);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(step, "data"), "target")->valuestring, "onprem");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(step, "data"), "reason")->valuestring,
                        "Exchange 2016 bought");
    cJSON_Delete(doc);
    free(report);
    char *json = sp_state_serialise(w.session.state);
    sp_state *back = NULL;
    assert_int_equal(sp_state_parse(json, strlen(json), now, &back), SP_OK);
    assert_int_equal(sp_email_target_get(back), SP_EMAIL_TARGET_ONPREM);
    assert_string_equal(sp_email_reason_get(back), "Exchange 2016 bought");
    assert_true(sp_email_confirmed(back, "none.unused"));
    sp_state_free(back);
    free(json);
    /* Apply does nothing outside Office 365. */
    assert_int_equal(run(&w, 1, &f), SP_RESULT_FAILED);
    assert_non_null(testutil_find(&f, "email.apply_not_o365"));
    sp_findings_free(&f);
    testutil_world_close(&w);
}

static void sim_http_should_refuse_malformed_answers_and_not_resolve_unknown_names(void **s)
{
    (void)s;
    static const char *bad[] = {
        "{\"os\":{\"major\":5,\"minor\":2},\"http\":[]}",
        "{\"os\":{\"major\":5,\"minor\":2},\"http\":{\"urls\":{\"https://x/\":{\"status\":\"401\"}}}}",
        "{\"os\":{\"major\":5,\"minor\":2},\"http\":{\"urls\":{\"https://x/\":{\"cert\":{\"trusted\":1}}}}}",
        "{\"os\":{\"major\":5,\"minor\":2},\"http\":{\"proxy\":5}}",
    };
    char err[300];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(testutil_sim_open_status(bad[i], err, sizeof err), SP_ERR_BADDATA);
        assert_non_null(strstr(err, "http"));
    }
    const char *good = "{\"os\":{\"major\":5,\"minor\":2},\"http\":{\"proxy\":\"px:8080\",\"urls\":"
                       "{\"https://a.example/\":{\"status\":401,\"auth\":\"NTLM\"}}}}";
    testutil_world m;
    testutil_world_open_sim(&m, good);
    sp_http_request req = {"https://A.example/", 1000, NULL, NULL};
    sp_http_response r;
    assert_int_equal(m.sim->ops->http_get(m.sim, &req, &r), SP_OK);
    assert_int_equal(r.status, 401);
    assert_string_equal(r.auth, "NTLM");
    assert_string_equal(r.proxy, "px:8080");
    req.url = "https://nowhere.example:443/x";
    assert_int_equal(m.sim->ops->http_get(m.sim, &req, &r), SP_OK);
    assert_int_equal(r.curl_code, 6);
    assert_string_equal(r.curl_error, "Could not resolve host: nowhere.example");
    assert_int_equal(m.host->ops->http_get(m.host, &req, &r), SP_ERR_UNSUPPORTED);
    testutil_world_close(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(validports_should_parse_spaces_ranges_ipv6_and_trailing_semicolons),
        cmocka_unit_test(validports_should_keep_malformed_entries_as_invalid),
        cmocka_unit_test(validports_should_join_ranges_and_ignore_case),
        cmocka_unit_test(validports_missing_should_list_what_each_name_lacks_once),
        cmocka_unit_test(validports_append_should_keep_existing_entries_in_order),
        cmocka_unit_test(validports_should_handle_a_very_long_value),
        cmocka_unit_test(verdict_should_name_what_office_365_would_refuse),
        cmocka_unit_test(verdict_should_refuse_a_root_that_is_not_public_and_name_it),
        cmocka_unit_test(verdict_should_want_the_host_in_the_subject_alternative_names),
        cmocka_unit_test(inside_addresses_should_be_private_loopback_and_link_local_only),
        cmocka_unit_test(email_should_refuse_a_certificate_of_the_domain_ca_published_in_ad),
        cmocka_unit_test(email_should_judge_the_root_as_the_backend_read_it),
        cmocka_unit_test(email_should_say_a_test_from_inside_the_network_is_not_what_office_365_sees),
        cmocka_unit_test(email_should_read_store_paths_from_active_directory),
        cmocka_unit_test(email_should_fall_back_to_the_default_folder_and_say_why),
        cmocka_unit_test(email_should_count_mailboxes_against_the_cutover_limit),
        cmocka_unit_test(email_unified_messaging_running_should_be_a_warning_not_a_blocker),
        cmocka_unit_test(email_should_inventory_exchange_and_wait_for_a_target_on_the_demo),
        cmocka_unit_test(email_o365_should_find_missing_validports_and_a_self_signed_certificate),
        cmocka_unit_test(email_apply_should_add_validports_entries_and_undo_should_restore_the_value),
        cmocka_unit_test(email_should_find_the_store_behind_forty_transaction_logs),
        cmocka_unit_test(email_plan_change_should_close_the_gate_and_survive_in_the_state),
        cmocka_unit_test(sim_http_should_refuse_malformed_answers_and_not_resolve_unknown_names),
        cmocka_unit_test(email_autodiscover_should_be_found_through_the_srv_record_alone),
        cmocka_unit_test(email_autodiscover_should_be_found_at_the_root_domain),
        cmocka_unit_test(email_autodiscover_nowhere_should_warn_and_name_all_three_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
