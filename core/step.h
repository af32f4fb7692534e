/* The step contract: what every step module exports and what a run gives back. */
#ifndef SP_STEP_H
#define SP_STEP_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"
#include "core/sys/sys.h"
#include "core/sysinfo.h"

typedef enum { SP_SEV_INFO = 0, SP_SEV_WARNING = 1, SP_SEV_ERROR = 2 } sp_severity;

/* One observation. Title and advice are string-table IDs (core/msgids.h) so that
 * the text is translated where it is shown; arg is inserted as %1 into the title;
 * evidence is what was observed, as data (paths, values, output). */
typedef struct {
    sp_severity severity;
    char code[48];    /* stable, e.g. "policy.not_2003" */
    unsigned title_id;
    unsigned advice_id; /* 0: none */
    char *arg;        /* heap UTF-8 or NULL */
    char *evidence;   /* heap UTF-8 or NULL */
} sp_finding;

typedef struct {
    sp_finding *items;
    size_t count, cap;
} sp_findings;

/* The outcome of a step, as the gate sees it. */
typedef enum {
    SP_RESULT_NOT_RUN = 0,    /* never checked */
    SP_RESULT_PASSED,         /* verified by the wizard */
    SP_RESULT_FAILED,         /* checked; something blocks migration */
    SP_RESULT_NOT_APPLICABLE, /* does not apply to this server */
    SP_RESULT_MANUAL_NEEDED,  /* the wizard cannot verify it here: use the checklist */
    SP_RESULT_ERROR           /* the check itself could not run */
} sp_result;

typedef struct sp_state sp_state;
typedef struct sp_journal sp_journal;

typedef void (*sp_progress_fn)(void *user, unsigned permille, const char *what);

/* Everything a run may use. cancel is polled; nonzero asks the step to stop. */
typedef struct {
    sp_sys *sys;
    sp_state *state;
    sp_journal *journal;
    const sp_sysinfo *info;
    sp_progress_fn progress;
    void *progress_user;
    volatile long *cancel;
    const sp_ldap_target *ldap; /* where the directory is (policy); NULL: this DC */
} sp_run_ctx;

typedef struct sp_step {
    const char *id;  /* "backup", "updates", ... also the state key and /step: name */
    /* Read-only assessment, safe to repeat. */
    sp_status (*check)(sp_run_ctx *ctx, sp_findings *out, sp_result *result);
    /* Makes the changes the step exists for, each journaled; NULL if it has none. */
    sp_status (*apply)(sp_run_ctx *ctx, sp_findings *out, sp_result *result);
} sp_step;

/* The steps in wizard order (core/step_list.h, built in core/step_table.c). */
extern const sp_step *const sp_steps[];
extern const size_t sp_step_count;
const sp_step *sp_step_find(const char *id);

/* Turns a string-table ID and an argument into text (UTF-8, heap); NULL leaves text out. */
typedef char *(*sp_text_fn)(void *user, unsigned id, const char *arg);

/* A finding's arg that is words, not data: a reference to a string-table text, resolved where
 * it is shown, in the wizard's language (the state keeps no language). SP_ARG_REF, the ID in
 * decimal, then optionally SP_ARG_SEP and that text's own %1, itself data or such a reference. */
#define SP_ARG_REF '\x01'
#define SP_ARG_SEP '\x1f'
/* The reference to a plain text as a literal: SP_REF(IDS_PG_SERVICES). */
#define SP_REF_STR_(id) #id
#define SP_REF_STR(id) SP_REF_STR_(id)
#define SP_REF(id) "\x01" SP_REF_STR(id)
/* Writes the reference to id (with its own %1 sub, NULL for none) into out; returns out. */
char *sp_arg_ref(char *out, size_t outlen, unsigned id, const char *sub);
/* The text of arg (heap): a reference through text, anything else as it is; NULL stays NULL. */
char *sp_arg_text(sp_text_fn text, void *user, const char *arg);
/* The text of id with arg as its %1, arg's reference resolved first (heap, or NULL). */
char *sp_text_of(sp_text_fn text, void *user, unsigned id, const char *arg);

/* Findings. */
sp_status sp_findings_add(sp_findings *f, sp_severity sev, const char *code, unsigned title_id,
                          unsigned advice_id, const char *arg, const char *evidence);
void sp_findings_free(sp_findings *f);
sp_severity sp_findings_worst(const sp_findings *f);
/* Orders the findings errors first, then warnings, then information, keeping their order
 * within a severity: a list shows only a few rows, and what blocks the migration must be seen. */
void sp_findings_sort_worst_first(sp_findings *f);
const char *sp_severity_name(sp_severity s);
const char *sp_result_name(sp_result r);
int sp_result_from_name(const char *name, sp_result *out);
/* The string ID (core/msgids.h) naming an outcome for people: "Verified", "Done manually", ... */
unsigned sp_result_text_id(sp_result r, int manual);

/* Runs check (or apply) without touching the state (what a worker thread does). */
sp_status sp_step_execute(const sp_step *step, sp_run_ctx *ctx, int apply, sp_findings *out,
                          sp_result *result);
/* Runs check (or apply) and records the outcome in ctx->state. */
sp_status sp_step_run(const sp_step *step, sp_run_ctx *ctx, int apply, sp_findings *out,
                      sp_result *result);

/* Reports progress and tells whether the run was cancelled. */
void sp_progress(sp_run_ctx *ctx, unsigned permille, const char *what);
int sp_cancelled(const sp_run_ctx *ctx);

#endif
