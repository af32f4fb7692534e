/* The command line, Windows style: /x and -x alike, /name:value, case-insensitive. */
#ifndef SP_CMDLINE_H
#define SP_CMDLINE_H

#include <stddef.h>

#include "core/base/status.h"

/* Documented exit codes (README, /?). */
enum {
    SP_EXIT_OK = 0,        /* done; for a check: the step's gate is open */
    SP_EXIT_NOT_READY = 1, /* a step failed or still needs work */
    SP_EXIT_CANNOT_RUN = 2 /* bad command line, unreadable profile or state, missing rights */
};

#define SP_CMDLINE_MAX_SETS 32
#define SP_CMDLINE_MAX_FORCE 16

typedef enum { SP_STYLE_AUTO = 0, SP_STYLE_WIZARD97, SP_STYLE_AERO } sp_style;

typedef struct {
    int help;
    int demo;
    char profile[520]; /* /profile:FILE */
    char root[520];    /* /root:DIR host folder of the simulated server's files */
    char step[24];     /* /step:NAME, /check:NAME, /apply:NAME, /mark:NAME */
    int check, apply;
    int check_all;     /* /check:all */
    int mark;          /* /mark:NAME /reason:TEXT: done by hand, without a window */
    char reason[520];
    char report[520];  /* /report:FILE */
    int undo, yes;
    unsigned undo_force[SP_CMDLINE_MAX_FORCE]; /* /undo:force=N, repeatable: undone even if changed since */
    size_t undo_force_count;
    sp_style style;
    char page[24];     /* /page:NAME start on this page */
    char lang[8];      /* /lang:de-DE or /lang:en-US, as written here; "" for the user's UI language */
    char ldap_host[256]; /* /ldap:HOST[:PORT] the directory to use instead of this DC's */
    unsigned ldap_port;  /* 0: the default, 389 */
    char ldap_user[256]; /* /ldapuser:USER simple bind; the password is in SOURCEPREP_LDAP_PASSWORD */
    char answers[520];   /* /answers:FILE an answer file (core/answers.schema.json) */
    char export_answers[520]; /* /export-answers:FILE the inputs of the state as an answer file */
    char lob_plans[520]; /* /lob-plans:FILE the LOB page's CSV export, read back into the plans */
    char sets[SP_CMDLINE_MAX_SETS][520]; /* /set:step.key=value, in the order given */
    size_t set_count;
    /* What was wrong, for the user: the string-table text error_id (core/msgids.h) in the
     * wizard's language, error its %1 and error2 its %2 (what was typed, as typed). */
    unsigned error_id;
    char error[300];
    char error2[200];
} sp_cmdline;

/* Whether the line asks for a run without a window (a check, apply, mark, report, undo, or
 * inputs given: /answers, /set, /lob-plans, /export-answers). */
int sp_cmdline_unattended(const sp_cmdline *cl);
/* Parses argv[1..argc-1] (UTF-8). SP_ERR_INVALID with cl->error set when the line is bad. */
sp_status sp_cmdline_parse(int argc, const char *const *argv, sp_cmdline *cl);

#endif
