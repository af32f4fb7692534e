/* Inside the answers module (core/answers*.c): the table of keys and the helpers its files share. */
#ifndef SP_ANSWERS_KEYS_H
#define SP_ANSWERS_KEYS_H

#include <stddef.h>

#include "core/answers.h"

struct cJSON;

typedef enum {
    SP_ANS_TEXT,      /* a string of at most max characters */
    SP_ANS_COUNT,     /* a whole number from 1 to max */
    SP_ANS_SIZE,      /* a whole number of bytes, 0 or more */
    SP_ANS_FLAG,      /* true or false */
    SP_ANS_TARGET,    /* an email target: o365, onprem, hosted, none ("" unset) */
    SP_ANS_METHOD,    /* a LOB migration method: reinstall, vendor, hosted, retire */
    SP_ANS_CODES,     /* health warnings' finding codes */
    SP_ANS_CONFIRMED, /* {"o365.admin_rights": true, ...} */
    SP_ANS_ENTRIES,   /* line-of-business entries, by id */
    SP_ANS_PLAN       /* an entry's plan */
} sp_answers_kind;

typedef struct {
    const char *step, *key;
    sp_answers_kind kind;
    unsigned max;
} sp_answers_key;

/* The step-level keys, in the order an export writes them. */
const sp_answers_key *sp_answers_keys(size_t *count);
int sp_answers_step_has_inputs(const char *step);
/* The merged answers: {"backup": {...}, "lob": {"entries": [{..., "@key": "lob.entries[0]"}]}}. */
const struct cJSON *sp_answers_doc(const sp_answers *a);
/* Checks a document of steps (no schema member) and merges it; by_id names LOB entries
 * "lob.<id>" (the /set form) instead of "lob.entries[i]". */
sp_status sp_answers_add_doc(sp_answers *a, const struct cJSON *doc, int by_id, sp_answers_error *err);

/* Fills err (any of key, value, allowed may be NULL) and returns SP_ERR_BADDATA; sp_answers_at
 * then makes the key a place (IDS_ANS_AT_*) with a column. */
sp_status sp_answers_fail(sp_answers_error *err, unsigned id, const char *key, const char *value,
                          const char *allowed);
sp_status sp_answers_at(sp_answers_error *err, unsigned at_id, const char *column);
/* snprintf for the keys of messages (cut when too long). */
void sp_answers_keyf(char *out, size_t n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Copies src into dst (n bytes), cut on a character boundary with "..." when too long. */
void sp_answers_copy_text(char *dst, size_t n, const char *src);

#endif
