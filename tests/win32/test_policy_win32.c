/* The win32 backend's policy primitives under Wine: SID lookup, and LDAP errors without a server. */
#include "core/sys/sys.h"
#include "core/sys/win32/win32.h"
#include "tests/win32/wtest.h"

#include <stdio.h>
#include <string.h>

static sp_sys *backend(void)
{
    static sp_sys *sys;
    if (!sys)
        sys = sp_win32_open();
    return sys;
}

WTEST(sid_lookup_should_name_well_known_accounts)
{
    sp_sys *sys = backend();
    char name[200];
    WCHECK_EQ_INT(sys->ops->sid_lookup(sys, "S-1-5-32-544", name, sizeof name), SP_OK);
    WCHECK_MSG(strstr(name, "Administrators") != NULL, "got %s", name);
    WCHECK_EQ_INT(sys->ops->sid_lookup(sys, "S-1-5-20", name, sizeof name), SP_OK);
    WCHECK_MSG(strstr(name, "NETWORK SERVICE") != NULL, "got %s", name);
}

WTEST(sid_lookup_should_refuse_what_is_not_a_sid)
{
    sp_sys *sys = backend();
    char name[200];
    WCHECK_EQ_INT(sys->ops->sid_lookup(sys, "SBSMonAcct", name, sizeof name), SP_ERR_INVALID);
    WCHECK(strstr(sys->last_error, "not a SID") != NULL);
}

WTEST(sid_lookup_should_say_when_nobody_has_the_sid)
{
    sp_sys *sys = backend();
    char name[200];
    WCHECK_EQ_INT(sys->ops->sid_lookup(sys, "S-1-5-21-1-2-3-98765", name, sizeof name), SP_ERR_NOTFOUND);
}

WTEST(ldap_connect_should_fail_clearly_when_nothing_listens)
{
    sp_sys *sys = backend();
    sp_ldap_conn *c = NULL;
    /* A loopback address and port where no LDAP server runs. */
    sp_ldap_target t = {"127.0.0.1", 1, NULL, NULL};
    sp_status st = sys->ops->ldap_connect(sys, &t, &c);
    WCHECK(st != SP_OK);
    WCHECK(c == NULL);
    WCHECK_MSG(strstr(sys->last_error, "127.0.0.1:1") != NULL, "last_error: %s", sys->last_error);
}

WTEST(ldap_connect_should_ask_for_the_password_of_a_named_user)
{
    sp_sys *sys = backend();
    sp_ldap_conn *c = NULL;
    sp_ldap_target t = {"127.0.0.1", 1, "Administrator@SAMDOM.TEST", ""};
    WCHECK_EQ_INT(sys->ops->ldap_connect(sys, &t, &c), SP_ERR_ACCESS);
    WCHECK(strstr(sys->last_error, "SOURCEPREP_LDAP_PASSWORD") != NULL);
}

/* A DN can only make a simple bind, whose password travels in clear text without TLS: refused
 * before anything is sent (nothing listens there: today's code tried and failed to connect). */
WTEST(ldap_connect_should_refuse_a_simple_bind_without_tls)
{
    sp_sys *sys = backend();
    sp_ldap_conn *c = NULL;
    sp_ldap_target t = {"127.0.0.1", 1, "CN=Administrator,CN=Users,DC=samdom,DC=test", "secret"};
    WCHECK_EQ_INT(sys->ops->ldap_connect(sys, &t, &c), SP_ERR_ACCESS);
    WCHECK(c == NULL);
    WCHECK_MSG(strstr(sys->last_error, "clear text") != NULL && strstr(sys->last_error, ":636") != NULL,
               "last_error: %s", sys->last_error);
}

WTEST_MAIN()
