/* Email migration: the user's plan (target, reason, external name, confirmations) kept in the
 * step's state data, and the pure verdict on an HTTPS answer. The step itself is sp_step_email. */
#ifndef SP_EMAIL_H
#define SP_EMAIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/state.h"
#include "core/sys/sys.h"

typedef enum {
    SP_EMAIL_TARGET_UNSET = 0,
    SP_EMAIL_TARGET_O365,    /* Office 365 cutover migration */
    SP_EMAIL_TARGET_ONPREM,  /* another on-premises Exchange */
    SP_EMAIL_TARGET_HOSTED,  /* another hosted provider */
    SP_EMAIL_TARGET_NONE,    /* no email on this server */
    SP_EMAIL_TARGET_COUNT
} sp_email_target;

#define SP_EMAIL_MAX_CONFIRM 4

typedef struct {
    const char *code;  /* state key, e.g. "o365.accepted_domain" */
    unsigned text_id;  /* string ID of what the user confirms */
} sp_email_confirm_item;

/* "o365", "onprem", "hosted", "none" ("" unset), and back (UNSET for anything else). */
const char *sp_email_target_id(sp_email_target t);
sp_email_target sp_email_target_from_id(const char *id);
/* The string ID naming a target in a list. */
unsigned sp_email_target_text_id(sp_email_target t);
/* What the user must confirm for a target (the wizard cannot check it); returns the count. */
size_t sp_email_confirm_items(sp_email_target t, const sp_email_confirm_item **items);

/* The plan in st's "email" data; strings are "" when unset, never NULL. */
sp_email_target sp_email_target_get(const sp_state *st);
const char *sp_email_reason_get(const sp_state *st);
const char *sp_email_fqdn_get(const sp_state *st);
int sp_email_confirmed(const sp_state *st, const char *code);
/* Changing the plan invalidates the last check (the gate closes until the next one). */
sp_status sp_email_plan_set(sp_state *st, sp_email_target t, const char *reason);
sp_status sp_email_fqdn_set(sp_state *st, const char *fqdn);
sp_status sp_email_confirm_set(sp_state *st, const char *code, int on);

/* What an HTTPS answer from the RPC proxy or Autodiscover means. */
typedef enum {
    SP_CONN_OK = 0,
    SP_CONN_DNS,         /* the name does not resolve */
    SP_CONN_TIMEOUT,
    SP_CONN_REFUSED,     /* nothing listens, or a firewall refuses */
    SP_CONN_PROXY,
    SP_CONN_TLS,         /* TLS failed before any certificate could be judged */
    SP_CONN_SELF_SIGNED,
    SP_CONN_UNTRUSTED,
    SP_CONN_EXPIRED,
    SP_CONN_NAME,        /* the certificate does not name the host */
    SP_CONN_NO_AUTH,     /* answered without a password challenge */
    SP_CONN_BAD_AUTH,    /* 401 without Basic or NTLM */
    SP_CONN_STATUS,      /* another HTTP status */
    SP_CONN_CLOSED,      /* connected, then closed without an answer */
    SP_CONN_OTHER,
    SP_CONN_PRIVATE_ROOT, /* trusted here, but its root is not a public one: Office 365 refuses it */
    SP_CONN_ROOT_UNKNOWN, /* passed here; whether the root is a public one could not be read */
    SP_CONN_NOT_IN_SAN,   /* the host is not among the subject alternative names */
    SP_CONN_COUNT
} sp_conn_verdict;

/* The verdict on r for host (NULL: the name is not compared) at time now; evidence gets the
 * facts in plain words (curl's code and message, the status, the challenge, the certificate and
 * its root). */
sp_conn_verdict sp_email_conn_verdict(const sp_http_response *r, const char *host, int64_t now,
                                      char *evidence, size_t evlen);
/* Whether host is one of the DNS names of a SAN list ("DNS:a, DNS:*.b"); a wildcard stands for
 * one whole left-most label. */
int sp_email_san_names(const char *names, const char *host);
/* Whether an address ("192.168.16.2", "fe80::1") is one the Internet cannot reach: private,
 * loopback, link-local or shared (split DNS answers these inside the network). */
int sp_email_addr_inside(const char *addr);
/* The finding title and advice of a verdict. */
void sp_email_conn_text(sp_conn_verdict v, unsigned *title_id, unsigned *advice_id);

#endif
