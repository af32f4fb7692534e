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

#endif
