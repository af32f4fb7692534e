/* GptTmpl.inf and GPT.INI read and edited line by line, every other byte kept as it was. */
#ifndef SP_GPTINF_H
#define SP_GPTINF_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"

typedef enum {
    SP_INF_ANSI = 0,  /* 8-bit: ANSI or UTF-8 without a BOM */
    SP_INF_UTF8_BOM,  /* UTF-8 with EF BB BF */
    SP_INF_UTF16LE    /* as secedit writes it: FF FE, then UTF-16LE */
} sp_inf_encoding;

/* A whole line: its first byte and the byte after its line break (CRLF or LF). */
typedef struct {
    size_t start, end;
} sp_inf_range;

typedef struct {
    sp_inf_encoding encoding;
    int is_template;       /* a [Version] section whose signature is $CHICAGO$ or $Windows NT$ */
    size_t line_count;
    sp_inf_range *lines;   /* every line that defines the key inside the section (any case) */
    size_t line_found;
    char **accounts;       /* the comma-separated names and *SIDs of those lines, UTF-8 */
    size_t account_count;
} sp_inf_match;

/* Finds key = value lines of [section] (names compared without case, spaces around "="
 * allowed, a section that appears twice searched twice). SP_ERR_BADDATA when the bytes
 * cannot be text (odd-sized UTF-16, UTF-16BE). Free with sp_inf_match_free. */
sp_status sp_inf_find(const unsigned char *data, size_t size, const char *section,
                      const char *key, sp_inf_match *out);
void sp_inf_match_free(sp_inf_match *m);

/* A copy of data without the given lines (sorted, not overlapping); *out is heap. */
sp_status sp_inf_remove(const unsigned char *data, size_t size, const sp_inf_range *lines,
                        size_t n, unsigned char **out, size_t *outsize);

/* GPT.INI's [General] Version=. SP_ERR_NOTFOUND without one, SP_ERR_BADDATA when it is not
 * a decimal number that fits 32 bits. */
sp_status sp_gptini_version(const unsigned char *data, size_t size, uint32_t *version);
/* A copy of data with only the digits of Version= replaced; *out is heap. */
sp_status sp_gptini_set_version(const unsigned char *data, size_t size, uint32_t version,
                                unsigned char **out, size_t *outsize);

/* A GPO version keeps the user part in the high 16 bits and the computer part in the low
 * 16 bits; this raises the computer part by one. SP_ERR_INVALID when it is at 0xFFFF. */
sp_status sp_gpo_version_raise_computer(uint32_t version, uint32_t *raised);

#endif
