/* The report: the state, the server and the journal as one JSON document. */
#ifndef SP_REPORT_H
#define SP_REPORT_H

#include <stdint.h>

#include "core/journal.h"
#include "core/state.h"
#include "core/sysinfo.h"

#define SP_REPORT_SCHEMA "sourceprep-report/1"

/* Heap JSON (schema: core/report.schema.json); journal and text may be NULL. */
char *sp_report_json(const sp_state *st, const sp_sysinfo *info, const sp_journal *journal,
                     sp_text_fn text, void *user, int64_t now);
/* The same content as one self-contained, printable HTML page. */
char *sp_report_html(const sp_state *st, const sp_sysinfo *info, const sp_journal *journal,
                     sp_text_fn text, void *user, int64_t now);
/* Is a full backup recorded (the backup step's data "last_full_backup", Unix seconds) that is
 * newer than the last change the journal holds? */
int sp_report_backup_fresh(const sp_state *st, const sp_journal *journal);
/* How many steps' gates are still closed. */
unsigned sp_report_open_steps(const sp_state *st, int64_t now);

/* The one headline, in the same words on the Finish page, in the report and from /check:all.
 * Ready needs every gate open and a full backup newer than the last change: a server whose
 * fresh backup is still to be taken is not ready, whatever its steps say. */
typedef enum {
    SP_VERDICT_READY,        /* every step verified by SourcePrep, the backup fresh */
    SP_VERDICT_READY_MANUAL, /* the same, but some steps were done by hand */
    SP_VERDICT_NOT_READY     /* a step is open, or the fresh backup is still to be taken */
} sp_verdict;
sp_verdict sp_report_verdict(const sp_state *st, const sp_journal *journal, int64_t now);
/* "ready", "ready_manual", "not_ready" (the report's "verdict"). */
const char *sp_verdict_name(sp_verdict v);
/* The verdict line (UTF-8, heap, NULL when text gives nothing): what is left, or which steps
 * were done by hand. */
char *sp_report_verdict_text(const sp_state *st, const sp_journal *journal, int64_t now,
                             sp_text_fn text, void *user);

#endif
