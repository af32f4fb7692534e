/* The wizard's state: one JSON document, written atomically, resumed on the next start. */
#ifndef SP_STATE_H
#define SP_STATE_H

#include <stdint.h>

#include "core/base/status.h"
#include "core/step.h"
#include "core/sys/sys.h"

#define SP_STATE_VERSION 1
#define SP_STATE_MAX_STEPS 16
#define SP_STALE_SECONDS (14 * 24 * 3600) /* the Migration Preparation Tool's 14-day rule */

struct cJSON;

typedef struct {
    char id[24];
    sp_result result;       /* of the last check or apply */
    int64_t checked_at;     /* Unix seconds; 0 never */
    int manual;             /* marked done by hand */
    int64_t manual_at;
    char *manual_reason;    /* heap UTF-8 */
    sp_findings findings;   /* of the last run */
    struct cJSON *data;     /* the step's own data (plans, choices); owned */
} sp_step_state;

struct sp_state {
    int version;
    int64_t created, updated;
    char page[24];          /* the page to resume on */
    char server[256];       /* sp_sysinfo_describe of the server it was made on */
    size_t count;
    sp_step_state steps[SP_STATE_MAX_STEPS];
};

/* A fresh state with one entry per step of sp_steps. */
sp_state *sp_state_new(int64_t now);
void sp_state_free(sp_state *st);

/* The state file: <ProgramData>\SourcePrep\state.json. */
sp_status sp_state_path(sp_sys *sys, char *out, size_t outlen);

/* Loads path. A missing file gives a fresh state and SP_OK. A corrupt or truncated file
 * is moved aside to path.corrupt-<time> (its name in aside) and a fresh state is given
 * with SP_ERR_BADDATA, so the caller can tell the user; nothing is overwritten. */
sp_status sp_state_load(sp_sys *sys, const char *path, int64_t now, sp_state **out, char *aside,
                        size_t asidelen);
sp_status sp_state_save(sp_sys *sys, const char *path, sp_state *st, int64_t now);

/* Parsing and serialising, exposed for tests and fuzzing. */
sp_status sp_state_parse(const char *json, size_t len, int64_t now, sp_state **out);
char *sp_state_serialise(const sp_state *st); /* heap, caller frees with free() */

sp_step_state *sp_state_step(sp_state *st, const char *id);
const sp_step_state *sp_state_step_const(const sp_state *st, const char *id);

/* Records a run's outcome; takes ownership of findings (left empty). */
void sp_state_record(sp_state *st, const char *id, sp_result result, sp_findings *findings,
                     int64_t now);
sp_status sp_state_mark_manual(sp_state *st, const char *id, const char *reason, int64_t now);
void sp_state_clear_manual(sp_state *st, const char *id);

/* A check older than 14 days is stale. */
int sp_state_is_stale(const sp_step_state *s, int64_t now);

/* The gate: Next opens when the step passed or does not apply (and is not stale), or
 * when it was marked done by hand. */
int sp_state_gate_open(const sp_state *st, const char *id, int64_t now);

#endif
