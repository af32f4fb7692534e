/* The change journal: every change to the server is recorded, with a backup of what it
 * replaces, before it is made; undo restores it byte for byte.
 *
 * Each entry is written twice: "intended" (with its backup and the SHA-256 of what the target
 * held and of what the change writes) before the change, "done" after it. Undo compares the
 * target's live content with both hashes, so it is idempotent after a crash anywhere: an
 * intended entry whose change never happened is dropped, one whose change happened is undone,
 * and a target that holds neither (changed since SourcePrep wrote it) is left alone and
 * reported unless the user forces that one entry. A GPO's GPT.INI and versionNumber come back
 * as GPMC restores them: the old content with the version raised past the current one. */
#ifndef SP_JOURNAL_H
#define SP_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"
#include "core/sys/sys.h"

typedef struct sp_journal sp_journal;

typedef enum {
    SP_CHANGE_FILE_WRITE = 0,  /* a file written (created or replaced) */
    SP_CHANGE_FILE_REMOVE,     /* a file moved into the backup folder */
    SP_CHANGE_REG_SET,         /* a registry value set */
    SP_CHANGE_REG_DELETE,      /* a registry value deleted */
    SP_CHANGE_LDAP_SET         /* an LDAP attribute replaced (or removed) */
} sp_change_kind;

typedef struct {
    unsigned seq;
    sp_change_kind kind;
    char step[24];
    char target[512];   /* path, or "KEY\\value" for the registry */
    int64_t time;
    int undone;
    int intended; /* written before its change; not yet confirmed "done" */
} sp_change;

/* Opens (or creates) the journal kept in dir (<ProgramData>\SourcePrep). */
sp_status sp_journal_open(sp_sys *sys, const char *dir, sp_journal **out);
void sp_journal_close(sp_journal *j);

sp_status sp_journal_file_write(sp_journal *j, const char *step, const char *path,
                                const void *data, size_t size);
sp_status sp_journal_file_remove(sp_journal *j, const char *step, const char *path);
sp_status sp_journal_reg_set(sp_journal *j, const char *step, sp_reg_view view, const char *key,
                             const char *value, const sp_regval *val);
sp_status sp_journal_reg_delete(sp_journal *j, const char *step, sp_reg_view view,
                                const char *key, const char *value);

/* The same for GPT.INI (and its GPO's versionNumber below): undo brings the old content back
 * with the version raised past the live one, each half (user, computer) on its own. */
sp_status sp_journal_gptini_write(sp_journal *j, const char *step, const char *path,
                                  const void *data, size_t size);
sp_status sp_journal_gpo_version_replace(sp_journal *j, const char *step, const char *dn,
                                         const char *value);

/* Where LDAP changes are made (copied; the password is kept in memory only); without it, this
 * domain controller. Each LDAP entry records that server (host and port) and its undo goes
 * there, whatever server the undoing session names, bound with the session's credentials under
 * the backend's rules (signed and sealed, or LDAPS); an entry whose server cannot be reached
 * fails and undo goes on. Entries of earlier versions, without the server, go to the session's. */
sp_status sp_journal_set_ldap(sp_journal *j, const sp_ldap_target *target);
/* Replaces attr of the entry dn with value (NULL removes it), recording the old value
 * (single-valued attributes only: several values are SP_ERR_UNSUPPORTED). */
sp_status sp_journal_ldap_replace(sp_journal *j, const char *step, const char *dn,
                                  const char *attr, const char *value);

/* From now on undo carries out only entries a step of SourcePrep can have made (core/undo_allow.h)
 * and refuses the others, naming them (issue 18). The session sets it; a journal opened alone
 * (the journal's own tests) undoes what it recorded. */
void sp_journal_restrict_undo(sp_journal *j);

/* What undo did with one entry. */
typedef enum {
    SP_UNDO_RESTORED = 0, /* the target holds what it held before the change again */
    SP_UNDO_DROPPED,      /* an intended change that never happened: the entry is gone */
    SP_UNDO_CHANGED,      /* changed since SourcePrep wrote it: left alone (force to undo it) */
    SP_UNDO_FAILED        /* the undo failed: why says how */
} sp_undo_outcome;

typedef struct {
    unsigned seq;
    sp_undo_outcome outcome;
    sp_status status;
    char target[512];
    char why[256];
} sp_undo_item;

typedef struct {
    sp_undo_item *items; /* one per entry undo looked at, newest first */
    size_t count;
    size_t restored, dropped, changed, failed;
} sp_undo_report;

void sp_undo_report_free(sp_undo_report *r);

/* Undoes every change not yet undone, newest first (only those of step unless NULL), among the
 * entries after the first `keep`. An entry in force[] (by seq) is undone even when its target
 * changed since. Goes on past an entry it cannot undo; SP_OK when every one was undone or
 * dropped, else SP_ERR_EXISTS when some only changed since, else the first failure, with
 * last_error naming them. report (optional) receives each entry's outcome. */
sp_status sp_journal_undo_ex(sp_journal *j, const char *step, size_t keep, const unsigned *force,
                             size_t nforce, sp_undo_report *report);
/* The same without a report or forced entries; *undone counts what was restored. */
sp_status sp_journal_undo(sp_journal *j, const char *step, size_t *undone);
/* The same for the changes recorded after the first `keep` entries: a step rolls back
 * what it did since sp_journal_count() returned keep. */
sp_status sp_journal_undo_since(sp_journal *j, const char *step, size_t keep, size_t *undone);

/* "file_write", "reg_set", ...: the kind's name in the journal and the reports. */
const char *sp_change_kind_name(sp_change_kind kind);
size_t sp_journal_count(const sp_journal *j);
sp_status sp_journal_get(const sp_journal *j, size_t i, sp_change *out);
/* Time of the newest change not undone; 0 if none. */
int64_t sp_journal_last_change(const sp_journal *j);

#endif
