/* CSV (RFC 4180): a writer with the quoting Excel expects and a strict reader for round trips. */
#ifndef SP_CSV_H
#define SP_CSV_H

#include <stddef.h>

#include "core/base/status.h"

/* A growing CSV text. Fields are quoted when they hold a comma, a quote, CR, LF or
 * leading or trailing spaces; quotes are doubled; rows end with CRLF. */
typedef struct {
    char *data;     /* NUL-terminated; heap, the caller frees it */
    size_t len, cap;
    size_t fields;  /* in the current row */
    int failed;     /* out of memory: every later call does nothing */
    char separator; /* between fields; 0 is ',' (Excel in Germany expects the locale's ';') */
    int formula_safe; /* a field starting with =, +, - or @ (after any ') gets a leading ' so
                       * that a spreadsheet shows it as text; sp_csv_formula_plain undoes it */
} sp_csv_writer;

/* Starts the text with the UTF-8 byte-order mark Excel needs to read UTF-8. */
void sp_csv_bom(sp_csv_writer *w);
void sp_csv_field(sp_csv_writer *w, const char *text); /* NULL is an empty field */
void sp_csv_end_row(sp_csv_writer *w);

typedef struct {
    char **fields;
    size_t count;
} sp_csv_row;

typedef struct {
    sp_csv_row *rows;
    size_t count;
} sp_csv;

#define SP_CSV_MAX_FIELDS 1024

/* Parses text (len bytes, NUL not needed): a leading UTF-8 BOM is skipped; rows end with CRLF,
 * LF or CR; quoted fields may hold commas, doubled quotes and line breaks; a final empty line
 * adds no row. Malformed text (an unterminated quote, text after a closing quote, a NUL byte,
 * a row of more than SP_CSV_MAX_FIELDS fields) gives SP_ERR_BADDATA with the line in err. */
sp_status sp_csv_parse(const char *text, size_t len, sp_csv *out, char *err, size_t errlen);
void sp_csv_free(sp_csv *c);
/* The same with another field separator (';', '\t'...). */
sp_status sp_csv_parse_with(const char *text, size_t len, char separator, sp_csv *out, char *err,
                            size_t errlen);
/* The separator of a CSV text: the first ',', ';' or TAB outside quotes on its first row
 * (',' when there is none). */
char sp_csv_guess_separator(const char *text, size_t len);
/* A field as it was before formula_safe: one leading ' removed when it is followed by ' ... and
 * =, +, - or @. Points into field. */
const char *sp_csv_formula_plain(const char *field);

#endif
