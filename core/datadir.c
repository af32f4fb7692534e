/* The data folder's safety: created private, and its owner, permissions and links checked at every start. */
#include "core/datadir.h"

#include <stdio.h>
#include <string.h>

#include "core/base/strutil.h"
#include "core/msgids.h"

#define SID_SYSTEM "S-1-5-18"
#define SID_ADMINS "S-1-5-32-544"
#define SID_CREATOR_OWNER "S-1-3-0"
#define ACE_INHERIT_ONLY 0x08u

/* Rights that change a file or folder or what is in it: write or append data (add a file or
 * a subfolder), write extended attributes or attributes, delete a child, delete, change the
 * DACL or the owner, and the generic write and all. Reading and traversing are harmless. */
#define CHANGING_RIGHTS                                                                       \
    (0x0002u | 0x0004u | 0x0010u | 0x0040u | 0x0100u | 0x00010000u | 0x00040000u |            \
     0x00080000u | 0x10000000u | 0x40000000u | 0x02000000u)

static int trusted(const sp_pathsec *sec, const char *sid)
{
    return strcmp(sid, SID_SYSTEM) == 0 || strcmp(sid, SID_ADMINS) == 0 ||
           (sec->self[0] && strcmp(sid, sec->self) == 0);
}

sp_datadir_verdict sp_datadir_judge(const sp_pathsec *sec, char *who, size_t wholen)
{
    if (who && wholen)
        who[0] = '\0';
    if (sec->reparse)
        return SP_DATADIR_REPARSE;
    if (!sec->owner[0] || sec->aces_truncated)
        return SP_DATADIR_UNKNOWN;
    if (!trusted(sec, sec->owner)) {
        if (who)
            sp_strlcpy(who, sec->owner, wholen);
        return SP_DATADIR_OWNER;
    }
    if (!sec->has_dacl)
        return SP_DATADIR_NO_DACL;
    for (size_t i = 0; i < sec->ace_count && i < SP_PATHSEC_MAX_ACES; i++) {
        const sp_ace *a = &sec->aces[i];
        if (!a->allow || !(a->mask & CHANGING_RIGHTS) || trusted(sec, a->sid))
            continue;
        /* CREATOR OWNER, only inherited, becomes whoever creates the child: one of the
         * trusted accounts, since nobody else may create anything here. */
        if ((a->flags & ACE_INHERIT_ONLY) && strcmp(a->sid, SID_CREATOR_OWNER) == 0)
            continue;
        if (who)
            sp_strlcpy(who, a->sid, wholen);
        return SP_DATADIR_WRITABLE;
    }
    return SP_DATADIR_SAFE;
}

static const unsigned verdict_msg[] = {
    0, IDS_ERR_DATA_REPARSE, IDS_ERR_DATA_OWNER, IDS_ERR_DATA_WRITABLE, IDS_ERR_DATA_NO_DACL,
    IDS_ERR_DATA_UNKNOWN};

static sp_status check_one(sp_sys *sys, const char *path, sp_datadir_problem *p)
{
    sp_pathsec sec;
    sp_status st;
    memset(&sec, 0, sizeof sec);
    sp_strlcpy(p->path, path, sizeof p->path);
    if ((st = sys->ops->path_security(sys, path, &sec)) != SP_OK) {
        p->verdict = SP_DATADIR_UNKNOWN;
        p->msg_id = IDS_ERR_DATA_UNKNOWN;
        sp_strlcpy(p->who, sys->last_error[0] ? sys->last_error : sp_status_name(st), sizeof p->who);
        return st;
    }
    if (!sec.exists)
        return SP_OK;
    p->verdict = sp_datadir_judge(&sec, p->who, sizeof p->who);
    if (p->verdict == SP_DATADIR_SAFE)
        return SP_OK;
    p->msg_id = verdict_msg[p->verdict];
    if (p->verdict == SP_DATADIR_UNKNOWN)
        sp_strlcpy(p->who, sec.aces_truncated ? "too many permission entries" : "no owner", sizeof p->who);
    return sp_sys_fail(sys, SP_ERR_ACCESS, "The data folder is not safe: %s (%s).", path, p->who);
}

typedef struct {
    sp_sys *sys;
    const char *dir;
    sp_datadir_problem *p;
    sp_status st;
} walk;

static int check_entry(void *user, const char *name, int is_dir)
{
    walk *w = user;
    char path[600];
    (void)is_dir;
    snprintf(path, sizeof path, "%s\\%s", w->dir, name);
    w->st = check_one(w->sys, path, w->p);
    return w->st != SP_OK;
}

/* The folder, then what is directly in it. Folders that are reparse points are left out of
 * dir_enum, so the names SourcePrep itself uses are checked by name as well. */
static sp_status check_folder(sp_sys *sys, const char *dir, sp_datadir_problem *p)
{
    static const char *const known[] = {"journal.json", "state.json", "sourceprep.log",
                                        "sourceprep.log.1", "instance.txt", "backups"};
    char path[600];
    walk w = {sys, dir, p, SP_OK};
    sp_status st;
    if ((st = check_one(sys, dir, p)) != SP_OK)
        return st;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        snprintf(path, sizeof path, "%s\\%s", dir, known[i]);
        if ((st = check_one(sys, path, p)) != SP_OK)
            return st;
    }
    st = sys->ops->dir_enum(sys, dir, check_entry, &w);
    return w.st != SP_OK ? w.st : st;
}

sp_status sp_datadir_secure(sp_sys *sys, const char *dir, sp_datadir_problem *p)
{
    char parent[600], backups[600];
    sp_filestat fs;
    sp_pathsec sec;
    sp_status st;
    memset(p, 0, sizeof *p);
    if (!sys->ops->path_security || !sys->ops->dir_create_private)
        return sp_sys_fail(sys, SP_ERR_UNSUPPORTED,
                           "This backend cannot check who may write in the data folder.");
    memset(&sec, 0, sizeof sec);
    /* Not following a link: a junction where the folder should be is refused, not created in. */
    if ((st = sys->ops->path_security(sys, dir, &sec)) != SP_OK)
        return check_one(sys, dir, p);
    if (!sec.exists) {
        sp_strlcpy(parent, dir, sizeof parent);
        char *cut = strrchr(parent, '\\');
        if (cut && cut > parent) {
            *cut = '\0';
            if ((st = sys->ops->file_stat(sys, parent, &fs)) != SP_OK)
                return st;
            if (!fs.exists && (st = sys->ops->dir_create(sys, parent)) != SP_OK)
                return st;
        }
        st = sys->ops->dir_create_private(sys, dir);
        if (st != SP_OK && st != SP_ERR_EXISTS) /* EXISTS: made meanwhile; the check judges it */
            return st;
    }
    if ((st = check_folder(sys, dir, p)) != SP_OK)
        return st;
    snprintf(backups, sizeof backups, "%s\\backups", dir);
    if ((st = sys->ops->file_stat(sys, backups, &fs)) != SP_OK)
        return st;
    return fs.exists && fs.is_dir ? check_folder(sys, backups, p) : SP_OK;
}
