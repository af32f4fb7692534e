/* NTBackup's logs (Windows Server 2003): the last normal (full) backup that completed. */
#ifndef SP_NTBLOG_H
#define SP_NTBLOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/base/status.h"

typedef struct {
    int found;            /* a set of type Normal that completed */
    int64_t completed;    /* its completion, LOCAL time as seconds (sp_civil_to_unix) */
    char what[160];       /* what the log backed up: "C:, System State" */
    unsigned sets;        /* backup sets in the log */
    unsigned normal_sets; /* of type Normal that completed */
} sp_ntb_summary;

/* Parses one backupNN.log: UTF-16LE (with or without its byte-order mark, as NTBackup
 * writes them) or 8-bit text. day_first reads dates as D/M/Y (the server's short date
 * order). Text that is not an NTBackup log gives SP_ERR_BADDATA with the reason in err. */
sp_status sp_ntblog_parse(const unsigned char *data, size_t size, int day_first,
                          sp_ntb_summary *out, char *err, size_t errlen);

/* The same, with the server's UI language (a Windows LANGID, 0 when unknown): its table is
 * tried first, then every other (English, German, French, Spanish, Italian, Dutch,
 * Portuguese (Brazil), Japanese). */
sp_status sp_ntblog_parse_lang(const unsigned char *data, size_t size, int day_first,
                               unsigned langid, sp_ntb_summary *out, char *err, size_t errlen);

/* UTF-16LE or 8-bit bytes to a NUL-terminated heap UTF-8 string (exposed for tests). */
char *sp_ntblog_text(const unsigned char *data, size_t size);

#endif
