/* The change journal: every change to the server is recorded, with a backup of what it
 * replaces, before it is made; undo restores it byte for byte. */
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

/* Where LDAP changes are made and undone (copied; the password is kept in memory only).
 * Without it, LDAP changes and their undo go to this domain controller. */
sp_status sp_journal_set_ldap(sp_journal *j, const sp_ldap_target *target);
/* Replaces attr of the entry dn with value (NULL removes it), recording the old value
 * (single-valued attributes only: several values are SP_ERR_UNSUPPORTED). */
sp_status sp_journal_ldap_replace(sp_journal *j, const char *step, const char *dn,
                                  const char *attr, const char *value);

/* From now on undo carries out only entries a step of SourcePrep can have made (core/undo_allow.h)
 * and refuses the others, naming them (issue 18). The session sets it; a journal opened alone
 * (the journal's own tests) undoes what it recorded. */
void sp_journal_restrict_undo(sp_journal *j);

/* Undoes every change not yet undone, newest first (only those of step unless NULL).
 * Stops at the first failure; *undone counts what was restored. */
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
