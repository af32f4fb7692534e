/* What the Backup step reads from the directory: the tombstone lifetime (how old a backup may be
 * and still restore AD) and where this server's Exchange databases and logs are. */
#ifndef SP_BACKUP_AD_H
#define SP_BACKUP_AD_H

#include "core/backup/datavol.h"
#include "core/step.h"

typedef struct {
    int read;               /* the directory answered */
    char error[256];        /* why it did not, when !read */
    unsigned tombstone_days;/* tombstoneLifetime, or 60 when the attribute is absent */
    int tombstone_default;  /* the attribute is absent: 60 days is the default */
    unsigned exchange_paths;/* Exchange database and log paths found for this server */
} sp_backup_ad;

/* Reads both, adding the Exchange volumes to vols (which may be NULL). Outside a domain
 * controller (and without /ldap:HOST) nothing is read and out->read stays 0. */
void sp_backup_ad_read(sp_run_ctx *ctx, sp_datavols *vols, sp_backup_ad *out);

#endif
