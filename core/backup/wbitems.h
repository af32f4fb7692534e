/* Windows Server Backup's `wbadmin get items -version:<id>`: which volumes a backup holds. */
#ifndef SP_WBITEMS_H
#define SP_WBITEMS_H

#include <stddef.h>

#include "core/base/status.h"

#define SP_WB_ITEMS_MAX 64

typedef struct {
    char mount[128]; /* "C:", "D:\Mount\Data", "<not mounted>": what wbadmin wrote after "mounted at" */
    char label[64];  /* "Data", "<No Volume Label>" */
    char letter;     /* 'C' when mounted at a drive letter's root, else 0 */
} sp_wb_item_volume;

typedef struct {
    sp_wb_item_volume vols[SP_WB_ITEMS_MAX];
    size_t count;        /* volumes kept (at most SP_WB_ITEMS_MAX) */
    size_t more;         /* volumes past SP_WB_ITEMS_MAX, counted only */
    unsigned apps;       /* "Application =" lines */
    unsigned long letters; /* bit n: drive letter 'A' + n is in the backup */
} sp_wb_items;

/* Parses the output of `wbadmin get items -version:...`. A backup with no recognised volume,
 * text that is not wbadmin's, a volume line without its mount point, or an "ERROR - " line give
 * SP_ERR_BADDATA with what was wrong in err: a list SourcePrep cannot read never passes. */
sp_status sp_wbitems_parse(const char *text, size_t len, sp_wb_items *out, char *err, size_t errlen);

/* True when the backup holds the volume at that drive letter (any case). */
int sp_wb_items_has(const sp_wb_items *it, char letter);

#endif
