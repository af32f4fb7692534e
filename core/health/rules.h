/* The health scan's rules engine: rules by category, each a small function that observes and reports. */
#ifndef SP_RULES_H
#define SP_RULES_H

#include <stddef.h>
#include <stdint.h>

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
    SP_HC_COUNT
} sp_health_category;

/* The OS a rule applies to. */
#define SP_HOS_2003 1u
#define SP_HOS_2008 2u /* 2008 and 2008 R2 (SBS 2008, SBS 2011) */
#define SP_HOS_ALL (SP_HOS_2003 | SP_HOS_2008)

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
};

/* A rule table's row: its title and advice are IDS_F_HEALTH_<name> and IDS_F_HEALTH_<name>_ADVICE. */
#define SP_RULE(id, cat, os, sev, name, src, fn)                                                 \
    {id, cat, os, sev, IDS_F_HEALTH_##name, IDS_F_HEALTH_##name##_ADVICE, src, fn}

/* Every rule, in report order: index 0 .. sp_rule_total() - 1. */
size_t sp_rule_total(void);
const sp_rule *sp_rule_at(size_t i);

/* The rule behind a finding code ("health.ad.domain_level"); NULL when none. */
const sp_rule *sp_rule_for_code(const char *code);

/* Reports rule's finding with arg (%1) and evidence. */
void sp_rule_fire(sp_health_scan *scan, const sp_rule *rule, const char *arg,
                  const char *evidence_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Opens the directory once per scan (rootDSE read); 0 when it cannot be read. */
int sp_rule_ldap(sp_health_scan *scan);
/* The first value of attr on dn (base search); 0 when absent. */
int sp_rule_ldap_value(sp_health_scan *scan, const char *dn, const char *attr, char *out,
                       size_t outlen);

/* Runs every rule that applies; progress per rule, cancel between rules. */
sp_status sp_rules_run(sp_health_scan *scan);
void sp_rules_scan_close(sp_health_scan *scan);

/* The rule files' tables. */
extern const sp_rule sp_rules_ad[], sp_rules_svc[], sp_rules_net[], sp_rules_misc[];
extern const size_t sp_rules_ad_count, sp_rules_svc_count, sp_rules_net_count,
    sp_rules_misc_count;

#endif
