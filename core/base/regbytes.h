/* A registry string value between its UTF-8 form (what the seam's reg_get and reg_set carry) and
 * the UTF-16LE bytes the registry stores (what reg_get_raw and reg_set_raw carry). */
#ifndef SP_REGBYTES_H
#define SP_REGBYTES_H

#include <stddef.h>

#include "core/base/status.h"

/* Is type (a REG_* number) one the registry holds as UTF-16: SZ, EXPAND_SZ, MULTI_SZ? */
int sp_regbytes_is_string(unsigned type);

/* The bytes the win32 backend's reg_set stores for the UTF-8 value utf8 of size bytes: one string
 * up to its first NUL with one UTF-16 NUL after it; a MULTI_SZ list (NULs between the strings)
 * without its trailing NULs, then two UTF-16 NULs. *out is heap. SP_ERR_BADDATA when utf8 is not
 * valid UTF-8 (nothing is guessed for a value that is written). */
sp_status sp_regbytes_from_utf8(unsigned type, const unsigned char *utf8, size_t size,
                                unsigned char **out, size_t *outsize);

/* The UTF-8 the win32 backend's reg_get gives for the stored bytes raw: one string up to its first
 * NUL, NUL-terminated; a MULTI_SZ list without its trailing NULs, then two NULs (one when empty).
 * A lone surrogate becomes U+FFFD, an odd last byte is dropped, as WideCharToMultiByte does. */
sp_status sp_regbytes_to_utf8(unsigned type, const unsigned char *raw, size_t size,
                              unsigned char **out, size_t *outsize);

#endif
