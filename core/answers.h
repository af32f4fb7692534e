/* Answer files (core/answers.schema.json): the inputs the pages store, given without a window. */
#ifndef SP_ANSWERS_H
#define SP_ANSWERS_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"
#include "core/report.h"
#include "core/state.h"

#define SP_ANSWERS_SCHEMA "sourceprep-answers/1"

/* Why answers were refused: msg_id is an IDS_ANS_ERR_* of core/msgids.h, formatted with %1 the
 * key ("timesync.destination", "lob.entries[2].plan.method"), %2 the value that was given and %3
 * what is allowed there (all data, never words). When the place has no key (a byte of the file,
 * a row of a CSV), at_id is the IDS_ANS_AT_* text that names it, with key (the number) as its %1
 * and column as its %2; that text is then the message's %1. */
typedef struct {
    unsigned msg_id;
    unsigned at_id;
    char key[200];
    char column[100];
    char value[200];
    char allowed[300];
} sp_answers_error;

/* The answers of one run: answer files and /set:step.key=value, merged in the order given (a
 * later answer replaces an earlier one for the same key), checked for their types as they come
 * in and applied together. */
typedef struct sp_answers sp_answers;

sp_answers *sp_answers_new(void);
void sp_answers_free(sp_answers *a);
/* Adds an answer file (JSON text of len bytes). SP_ERR_BADDATA with err set when it is not one:
 * not JSON, an unknown key, a value of the wrong type or too long. Nothing is added then. */
sp_status sp_answers_add_json(sp_answers *a, const char *json, size_t len, sp_answers_error *err);
/* Adds one "step.key=value" (what follows /set:): the value is read as the key's type ("true",
 * "25", a comma-separated list for health.acknowledged). Line-of-business entries are
 * lob.<id>.lob, lob.<id>.name and lob.<id>.plan.<field>; email confirmations
 * email.confirmed.<code>. SP_ERR_BADDATA with err set when it is wrong. */
sp_status sp_answers_add_set(sp_answers *a, const char *assignment, sp_answers_error *err);
/* How many inputs the answers hold. */
size_t sp_answers_count(const sp_answers *a);
/* Applies the answers to st as the pages store them, with the page's side effects (a changed
 * time sync input or email plan voids the last check; a changed LOB plan is assessed again).
 * Everything is checked first against st (a plan needs a migration method): on SP_ERR_BADDATA
 * (err set) st is unchanged. */
sp_status sp_answers_apply(const sp_answers *a, sp_state *st, int64_t now, sp_answers_error *err);

/* The inputs st holds as an answer file: heap JSON with a final newline, NULL when out of
 * memory. Applying it to a fresh state and exporting again gives the same bytes. */
char *sp_answers_export(const sp_state *st);

/* The LOB page's export (sp_lob_export_csv, column titles and names from text) read back into
 * the plans: each row's application is found in the inventory by kind, name, publisher and
 * version (or kept as an entry of its own when this server has none), marked and given the
 * row's plan; entries marked but not in the file are unmarked. The whole file is checked first:
 * on SP_ERR_BADDATA (err set, key "line N") st is unchanged. *rows gets the count applied. */
sp_status sp_answers_apply_lob_csv(sp_state *st, const char *csv, size_t len, sp_text_fn text,
                                   void *user, int64_t now, size_t *rows, sp_answers_error *err);
/* Whether the LOB step has no inventory yet (its check has not run): the CSV then finds none
 * of its applications. */
int sp_answers_lob_needs_inventory(const sp_state *st);

#endif
