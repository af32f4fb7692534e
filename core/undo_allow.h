/* What undo may write: only the targets a step of SourcePrep produces (issue 18). A journal
 * entry naming anything else (planted, or damaged) is refused, never written as administrator. */
#ifndef SP_UNDO_ALLOW_H
#define SP_UNDO_ALLOW_H

#include <stddef.h>

#include "core/journal.h"

/* One journal entry as undo would carry it out; absent fields are NULL. */
typedef struct {
    sp_change_kind kind;
    const char *step;
    const char *target;
    const char *backup;   /* files: the backup undo reads or moves back */
    const char *key, *value; /* registry */
    int old_is_null;      /* registry and LDAP: the value was absent (undo deletes it) */
    int old_type;         /* registry: the old value's type */
    const char *dn, *attr; /* LDAP */
    const char *old_text; /* LDAP: the old value */
} sp_undo_target;

/* 1 when a step of SourcePrep can have made this change and undoing it writes only what that
 * step wrote, with a backup inside journal_dir\backups; else 0 and why says what is wrong. */
int sp_undo_allowed(const char *journal_dir, const sp_undo_target *item, char *why, size_t whylen);

#endif
