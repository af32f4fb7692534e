/* The RpcProxy ValidPorts value ("host:6001-6002;host:6004"): parser, coverage, editor. Pure. */
#ifndef SP_VALIDPORTS_H
#define SP_VALIDPORTS_H

#include <stddef.h>

#include "core/base/status.h"

typedef struct {
    char *host;        /* as written, without brackets ("[::1]" gives "::1"); NULL when invalid */
    unsigned lo, hi;   /* port range, lo <= hi; both 0 when invalid */
    char *raw;         /* the entry as written, spaces trimmed */
} sp_vp_entry;

typedef struct {
    sp_vp_entry *items;
    size_t count;
    size_t invalid;    /* entries that are not host:port or host:port-port */
} sp_validports;

/* Splits on ';', trims spaces and tabs, skips empty entries; never fails on odd text (a bad
 * entry is kept with host NULL). SP_ERR_NOMEM or SP_ERR_INVALID (value NULL) otherwise. */
sp_status sp_validports_parse(const char *value, sp_validports *out);
void sp_validports_free(sp_validports *vp);

/* True when the entries for host (any case) together allow every port from lo to hi. */
int sp_validports_covers(const sp_validports *vp, const char *host, unsigned lo, unsigned hi);

/* The entries Outlook Anywhere and the Office 365 migration need for each host, that value
 * lacks: "h:6001-6002;h:6004" per host, joined with ';'. Heap ("" when nothing is missing);
 * NULL when out of memory. Empty and duplicate hosts are skipped. */
char *sp_validports_missing(const char *value, const char *const *hosts, size_t nhosts);

/* value with the entries of missing appended, the existing text kept byte for byte (one ';'
 * added between them when value does not end with one). Heap; NULL when out of memory. */
char *sp_validports_append(const char *value, const char *missing);

#endif
