/* The replication state Active Directory gives as XML in constructed attributes, parsed. */
#ifndef SP_REPLXML_H
#define SP_REPLXML_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"

/* One value of the rootDSE's msDS-ReplAllInboundNeighbors: <DS_REPL_NEIGHBOR>, the inbound
 * state of one naming context from one source DC (what repadmin /showrepl prints). */
typedef struct {
    char naming_context[512]; /* pszNamingContext */
    char source_dsa[512];     /* pszSourceDsaDN: the source's NTDS Settings object */
    int64_t last_success;     /* ftimeLastSyncSuccess, Unix seconds; 0 never */
    int64_t last_attempt;     /* ftimeLastSyncAttempt */
    uint32_t last_result;     /* dwLastSyncResult: a Win32 error, 0 success */
    uint32_t failures;        /* cNumConsecutiveSyncFailures */
} sp_repl_neighbor;

/* One value of an object's msDS-ReplAttributeMetaData: <DS_REPL_ATTR_META_DATA>, the last
 * originating change of one attribute (repadmin /showobjmeta). */
typedef struct {
    char attribute[128];  /* pszAttributeName */
    uint32_t version;     /* dwVersion */
    int64_t last_change;  /* ftimeLastOriginatingChange, Unix seconds; 0 never */
} sp_repl_meta;

/* Parse one value (len bytes, need not end in NUL). SP_ERR_BADDATA when it is not the element,
 * lacks a field the caller relies on (the DNs and times, the attribute name) or a number or
 * time in it is malformed. */
sp_status sp_repl_neighbor_parse(const char *xml, size_t len, sp_repl_neighbor *out);
sp_status sp_repl_meta_parse(const char *xml, size_t len, sp_repl_meta *out);

/* "2024-03-02T23:48:00Z" (optionally with fractions of a second) to Unix seconds; 0 for a
 * time before 1970 (AD writes 1601-01-01T00:00:00Z for never); -1 when malformed. */
int64_t sp_repl_time(const char *text, size_t len);

#endif
