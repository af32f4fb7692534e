/* The health scan's rules engine: rules by category, each a small function that observes and reports. */
#ifndef SP_RULES_H
#define SP_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/dnsmsg.h"
#include "core/step.h"

typedef enum {
    SP_HC_AD = 0,
    SP_HC_DNS,
    SP_HC_FRS,
    SP_HC_NET,
    SP_HC_SVC,
    SP_HC_STORAGE,
    SP_HC_EVENTS,
    SP_HC_IIS,
    SP_HC_EXCHANGE,
    SP_HC_TIME,
    SP_HC_UPDATES,
    SP_HC_REPL,  /* the directory's replication and consistency */
    SP_HC_ROLES, /* server roles the migration moves or removes */
    SP_HC_COUNT
} sp_health_category;

/* The OS a rule applies to. */
#define SP_HOS_2003 1u
#define SP_HOS_2008 2u /* 2008 and 2008 R2 (SBS 2008, SBS 2011) */
#define SP_HOS_ALL (SP_HOS_2003 | SP_HOS_2008)

/* Which replication serves SYSVOL, from the DFSR migration state (dfsrmig's states). */
typedef enum {
    SP_SYSVOL_UNKNOWN = 0,
    SP_SYSVOL_FRS,       /* FRS: Start, or a Windows Server 2003 DC */
    SP_SYSVOL_PREPARED,  /* FRS serves SYSVOL, DFSR replicates a copy */
    SP_SYSVOL_REDIRECTED,/* DFSR serves SYSVOL, FRS still replicates the old copy */
    SP_SYSVOL_DFSR,      /* DFSR only: Eliminated, or a domain created with DFSR */
    SP_SYSVOL_MIGRATING  /* this DC is between two states */
} sp_sysvol_state;

typedef struct {
    sp_sysvol_state state;
    int global;         /* dfsrmig's global state 0-3 from the directory, -1 unknown */
    int local;          /* this DC's Local State from its registry, -1 unknown or absent */
    char evidence[700]; /* what was read, for findings; why not, when unknown */
} sp_sysvol_repl;

/* One event log's records of the last 7 days, read once a scan (rules_read.c). */
typedef struct {
    char *source;
    unsigned id, type;
    int64_t time;
} sp_logged_event;

typedef struct {
    char name[48];
    sp_status status; /* of the read: SP_OK, SP_ERR_NOTFOUND (no such log) or why it failed */
    char error[256];
    sp_logged_event *items; /* newest first */
    size_t count, cap;
} sp_logged_events;

typedef struct sp_health_scan sp_health_scan;
typedef struct sp_rule sp_rule;

struct sp_rule {
    const char *id;         /* "ad.domain_level": the finding code is "health.<id>" */
    sp_health_category category;
    unsigned os;            /* SP_HOS_* bits */
    sp_severity severity;   /* of its finding */
    unsigned title_id, advice_id;
    const char *source;     /* the tool or document it comes from */
    void (*run)(sp_health_scan *scan, const sp_rule *rule);
};

/* What the rules share during one scan: the run, the findings, the directory read once. */
struct sp_health_scan {
    sp_run_ctx *ctx;
    sp_findings *out;
    int64_t now;
    unsigned os;        /* SP_HOS_* of this server */
    int ldap_tried;
    sp_ldap_conn *ldap; /* NULL when the directory cannot be read */
    char ldap_error[256];
    char default_nc[512], config_nc[512], schema_nc[512];
    char server_dsa[512]; /* rootDSE dsServiceName: this DC's NTDS Settings DN */
    int domain_level, forest_level; /* -1 unknown */
    sp_status failed; /* not SP_OK: a finding could not be recorded, so the scan cannot stand */
    int not_run_said; /* the running rule already said it could not run */
    int sysvol_tried;
    sp_sysvol_repl sysvol; /* how SYSVOL replicates (rules_sysvol.c) */
    int ddcp_tried;
    unsigned char *ddcp_inf; /* the DDCP's GptTmpl.inf, NULL when it could not be read */
    size_t ddcp_inf_size;
    char ddcp_path[1000], ddcp_error[600];
    sp_logged_events *logs; /* the event logs read so far */
    size_t log_count;
    int dns_tried;     /* the DNS server was looked for (rules_dns.c) */
    int dns_remote;    /* it is the /ldap: host's, not this server's own */
    char dns_host[64]; /* the address that answered; "" none */
    char dns_why[700]; /* why none answered */
    char dns_silent[700]; /* the clients' addresses that did not answer, and why */
    char dns_clients[300]; /* the addresses clients use, asked first */
    unsigned dns_next_id;
};

/* A rule table's row: its title and advice are IDS_F_HEALTH_<name> and IDS_F_HEALTH_<name>_ADVICE. */
#define SP_RULE(id, cat, os, sev, name, src, fn)                                                 \
    {id, cat, os, sev, IDS_F_HEALTH_##name, IDS_F_HEALTH_##name##_ADVICE, src, fn}

/* Every rule, in report order: index 0 .. sp_rule_total() - 1. */
size_t sp_rule_total(void);
const sp_rule *sp_rule_at(size_t i);

/* The rule behind a finding code ("health.ad.domain_level"); NULL when none. */
const sp_rule *sp_rule_for_code(const char *code);

/* Reports rule's finding with arg (%1) and evidence. When it cannot be recorded (memory) the
 * scan stops with that status instead of passing without it. */
void sp_rule_fire(sp_health_scan *scan, const sp_rule *rule, const char *arg,
                  const char *evidence_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Says that rule could not run and why (a warning "health.scan.<id>" in the rule's category):
 * what could not be verified is never reported as healthy. Once per rule and scan. */
void sp_rule_not_run(sp_health_scan *scan, const sp_rule *rule, const char *why_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Opens the directory once per scan (rootDSE read); 0 when it cannot be read. */
int sp_rule_ldap(sp_health_scan *scan);
/* The first value of attr on dn (base search); 0 when absent. */
int sp_rule_ldap_value(sp_health_scan *scan, const char *dn, const char *attr, char *out,
                       size_t outlen);

/* The first value of attr on dn for rule: 1 found, 0 when dn or attr is absent, -1 when it
 * could not be read (said as sp_rule_not_run; with rule NULL only sys->last_error says why). */
int sp_rule_ldap_get(sp_health_scan *scan, const sp_rule *rule, const char *dn, const char *attr,
                     char *out, size_t outlen);
/* A search for rule: SP_OK, SP_ERR_NOTFOUND when base is absent, another status when it failed
 * (said as sp_rule_not_run). */
sp_status sp_rule_ldap_search(sp_health_scan *scan, const sp_rule *rule, const char *base,
                              int subtree, const char *filter, const char *const *attrs,
                              sp_ldap_entry_cb cb, void *user);

/* A registry value for rule: 1 read, 0 when the key or value is absent, -1 when it could not
 * be read or is of another type (said as sp_rule_not_run when rule is not NULL). */
int sp_rule_reg_dword(sp_health_scan *scan, const sp_rule *rule, const char *key,
                      const char *value, uint32_t *out);
int sp_rule_reg_string(sp_health_scan *scan, const sp_rule *rule, const char *key,
                       const char *value, char *out, size_t outlen);

/* Event records of one log, as the rules count them (rules_read.c). */
typedef struct {
    const char *source;     /* NULL: any */
    const unsigned *ids;    /* NULL: any; 0-terminated */
    unsigned type;          /* 0: any */
    unsigned count;
    unsigned first_id;      /* of the newest match */
    int64_t newest;         /* its time */
} sp_event_count;
/* Counts the matching events of log since (at most 7 days back: what the scan keeps); a
 * missing log counts none, a failing read says the rule could not run. Returns the count. */
int sp_rule_count_events(sp_health_scan *scan, const sp_rule *rule, const char *log, int64_t since,
                         sp_event_count *c);

/* Frees what rules_read.c kept for the scan. */
void sp_rule_reads_free(sp_health_scan *scan);

/* How SYSVOL replicates on this DC, read once (rules_sysvol.c). */
const sp_sysvol_repl *sp_rule_sysvol(sp_health_scan *scan);
/* The DDCP's GptTmpl.inf, read once (rules_read.c): 1 with data, size and path, 0 when it
 * could not be read (scan->ddcp_error says why). */
int sp_rule_ddcp_inf(sp_health_scan *scan, const unsigned char **data, size_t *size,
                     const char **path);

/* "DC=fabrikam,DC=local" -> "fabrikam.local" (rules_read.c); 0 when dn has no DC= part. */
int sp_rule_dn_to_dns(const char *dn, char *out, size_t outlen);

/* The IPv4 addresses of this server's adapters (rules_net.c), space-separated: clients gets the
 * ones clients use (those some adapter names as its DNS server, else all), all every one. 1 when
 * read, 0 when the adapters could not be listed (sys->last_error says why). */
/* Does list (addresses with spaces, commas or semicolons between) name addr itself? */
int sp_rule_addr_listed(const char *list, const char *addr);
int sp_rule_server_addrs(sp_health_scan *scan, char *clients, size_t clen, char *all, size_t alen);

/* The DC's own DNS service, asked directly (rules_dns.c). A reply to the query for name and type
 * (recursion desired when rd) from the server the scan found answering: 1 with out filled
 * (whatever its rcode), 0 when none answered or this query failed (said as sp_rule_not_run,
 * why the DNS service could not be asked). */
int sp_rule_dns_ask(sp_health_scan *scan, const sp_rule *rule, const char *name, uint16_t type,
                    int rd, sp_dns_reply *out);
/* Whether reply says whether name exists (NOERROR or NXDOMAIN); for another rcode (SERVFAIL,
 * REFUSED) it says rule could not run and gives 0. */
int sp_rule_dns_conclusive(sp_health_scan *scan, const sp_rule *rule, const sp_dns_reply *reply,
                           const char *name);
/* The address of the DNS server asked ("192.168.16.2"); "" before one answered. */
const char *sp_rule_dns_server(const sp_health_scan *scan);

/* Runs every rule that applies; progress per rule, cancel between rules. */
sp_status sp_rules_run(sp_health_scan *scan);
void sp_rules_scan_close(sp_health_scan *scan);

/* The rule files' tables. */
extern const sp_rule sp_rules_ad[], sp_rules_svc[], sp_rules_net[], sp_rules_misc[],
    sp_rules_sysvol[], sp_rules_mpt[], sp_rules_repl[], sp_rules_exchange[], sp_rules_dcdiag[], sp_rules_dns[];
extern const size_t sp_rules_ad_count, sp_rules_svc_count, sp_rules_net_count,
    sp_rules_misc_count, sp_rules_sysvol_count, sp_rules_mpt_count, sp_rules_repl_count,
    sp_rules_exchange_count, sp_rules_dcdiag_count, sp_rules_dns_count;

#endif
