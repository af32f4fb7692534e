/* Windows Update Agent vocabulary: HRESULTs and result codes decoded for people. */
#ifndef SP_WUA_H
#define SP_WUA_H

#include <stddef.h>
#include <stdint.h>

/* "0x80004001 (E_NOTIMPL: ...)", the shape of the text: the code, its name and what it
 * means, for any HRESULT (unknown ones are named by their facility). */
void sp_wua_describe_hresult(uint32_t hr, char *out, size_t outlen);
/* "succeeded", "failed", ... for an OperationResultCode. */
const char *sp_wua_result_name(int result);
/* True when an OperationResultCode means the update is installed. */
int sp_wua_result_ok(int result);

/* "2026-11-30 08:12:45", how the agent records a time (UTC) under Auto Update\Results: Unix
 * seconds, or -1 when s is not exactly that shape or names no real time. */
int64_t sp_wua_parse_time(const char *s);
/* True when a Component Based Servicing package key's name ("Package_for_KB4474419~31bf...",
 * "Package_2_for_KB4490628~...") belongs to kb ("KB4474419"); case is ignored. */
int sp_wua_package_is(const char *name, const char *kb);

#endif
