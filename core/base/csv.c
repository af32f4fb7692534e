/* CSV (RFC 4180): the writer for the LOB plan export and the reader for schtasks and round trips. */
#include "core/base/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(sp_csv_writer *w, const char *s, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < w->len + n + 1)
            cap *= 2;
        char *d = realloc(w->data, cap);
        if (!d) {
            w->failed = 1;
            return;
        }
        w->data = d;
        w->cap = cap;
    }
    memcpy(w->data + w->len, s, n);
    w->len += n;
    w->data[w->len] = '\0';
}

void sp_csv_bom(sp_csv_writer *w)
{
    put(w, "\xEF\xBB\xBF", 3);
}

static int needs_quotes(const char *s, char sep)
{
    size_t n = strlen(s);
    if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        return 1;
    return strpbrk(s, ",;\"\r\n") != NULL || strchr(s, sep) != NULL;
}

/* Starts like a formula once any leading quotes are taken off: "=1+1", "'@SUM(A1)". */
static int formula_like(const char *s)
{
    while (*s == '\'')
        s++;
    return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

const char *sp_csv_formula_plain(const char *field)
{
    return field && field[0] == '\'' && formula_like(field + 1) ? field + 1 : field;
}

void sp_csv_field(sp_csv_writer *w, const char *text)
{
    const char *s = text ? text : "";
    char sep = w->separator ? w->separator : ',';
    const char *prefix = w->formula_safe && formula_like(s) ? "'" : "";
    if (w->fields++)
        put(w, &sep, 1);
    /* A BOM-like start of the whole text would be taken for the BOM on reading. */
    if (!needs_quotes(s, sep) && !(w->len == 0 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)) {
        put(w, prefix, strlen(prefix));
        put(w, s, strlen(s));
        return;
    }
    put(w, "\"", 1);
    put(w, prefix, strlen(prefix));
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        put(w, s, (size_t)(q - s));
        put(w, "\"\"", 2);
    }
    put(w, s, strlen(s));
    put(w, "\"", 1);
}

void sp_csv_end_row(sp_csv_writer *w)
{
    put(w, "\r\n", 2);
    w->fields = 0;
}

/* ---- Reader ----------------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, cap;
} field_buf;

static int buf_put(field_buf *b, char c)
{
    if (b->len + 2 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char *d = realloc(b->buf, cap);
        if (!d)
            return 0;
        b->buf = d;
        b->cap = cap;
    }
    b->buf[b->len++] = c;
    return 1;
}

static int row_add_field(sp_csv_row *row, field_buf *b, size_t *cap)
{
    char *f = malloc(b->len + 1);
    if (!f)
        return 0;
    if (b->len)
        memcpy(f, b->buf, b->len);
    f[b->len] = '\0';
    b->len = 0;
    if (row->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        char **d = realloc(row->fields, ncap * sizeof *d);
        if (!d) {
            free(f);
            return 0;
        }
        row->fields = d;
        *cap = ncap;
    }
    row->fields[row->count++] = f;
    return 1;
}

static void row_free(sp_csv_row *row)
{
    for (size_t i = 0; i < row->count; i++)
        free(row->fields[i]);
    free(row->fields);
    row->fields = NULL;
    row->count = 0;
}

static int csv_add_row(sp_csv *c, sp_csv_row *row, size_t *cap)
{
    if (c->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        sp_csv_row *d = realloc(c->rows, ncap * sizeof *d);
        if (!d)
            return 0;
        c->rows = d;
        *cap = ncap;
    }
    c->rows[c->count++] = *row;
    row->fields = NULL;
    row->count = 0;
    return 1;
}

static sp_status fail(char *err, size_t errlen, sp_status st, unsigned long line, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "CSV line %lu: %s", line, what);
    return st;
}

sp_status sp_csv_parse(const char *text, size_t len, sp_csv *out, char *err, size_t errlen)
{
    return sp_csv_parse_with(text, len, ',', out, err, errlen);
}

char sp_csv_guess_separator(const char *text, size_t len)
{
    int quoted = 0;
    for (size_t i = 0; text && i < len; i++) {
        char ch = text[i];
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && (ch == ',' || ch == ';' || ch == '\t'))
            return ch;
        else if (!quoted && (ch == '\r' || ch == '\n'))
            break;
    }
    return ',';
}

sp_status sp_csv_parse_with(const char *text, size_t len, char separator, sp_csv *out, char *err,
                            size_t errlen)
{
    field_buf b = {0};
    sp_csv_row row = {0};
    size_t row_cap = 0, rows_cap = 0, i = 0;
    unsigned long line = 1, row_line = 1;
    sp_status st = SP_OK;
    /* Where the parser is: at the start of a field, inside an unquoted one, inside quotes,
     * or just after a closing quote. */
    enum { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE } where = FIELD_START;
    int row_open = 0;

    if (separator == '"' || separator == '\r' || separator == '\n' || separator == '\0') {
        memset(out, 0, sizeof *out);
        return fail(err, errlen, SP_ERR_INVALID, 0, "a quote or line break cannot separate fields");
    }
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    if (!text && len)
        return fail(err, errlen, SP_ERR_INVALID, 0, "no text");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (; i < len; i++) {
        char ch = text[i];
        if (ch == '\0') {
            st = fail(err, errlen, SP_ERR_BADDATA, line, "a NUL byte (is the file UTF-16?)");
            goto done;
        }
        if (where == QUOTED) {
            if (ch == '"') {
                if (i + 1 < len && text[i + 1] == '"') {
                    i++;
                    if (!buf_put(&b, '"'))
                        goto nomem;
                } else {
                    where = AFTER_QUOTE;
                }
                continue;
            }
            if (ch == '\n' || (ch == '\r' && !(i + 1 < len && text[i + 1] == '\n')))
                line++;
            if (!buf_put(&b, ch))
                goto nomem;
            continue;
        }
        if (ch == separator || ch == '\r' || ch == '\n') {
            if (row.count >= SP_CSV_MAX_FIELDS) {
                st = fail(err, errlen, SP_ERR_BADDATA, row_line, "too many fields in a row");
                goto done;
            }
            if (!row_add_field(&row, &b, &row_cap))
                goto nomem;
            row_open = 1;
            where = FIELD_START;
            if (ch == separator)
                continue;
            if (ch == '\r' && i + 1 < len && text[i + 1] == '\n')
                i++;
            if (!csv_add_row(out, &row, &rows_cap))
                goto nomem;
            row_cap = 0;
            row_open = 0;
            row_line = ++line;
            continue;
        }
        if (where == AFTER_QUOTE) {
            st = fail(err, errlen, SP_ERR_BADDATA, line, "text after a closing quote");
            goto done;
        }
        if (ch == '"') {
            if (where != FIELD_START) {
                st = fail(err, errlen, SP_ERR_BADDATA, line, "a quote inside an unquoted field");
                goto done;
            }
            where = QUOTED;
            row_open = 1;
            continue;
        }
        where = UNQUOTED;
        row_open = 1;
        if (!buf_put(&b, ch))
            goto nomem;
    }
    if (where == QUOTED) {
        st = fail(err, errlen, SP_ERR_BADDATA, row_line, "a quoted field is not closed");
        goto done;
    }
    if (row_open) {
        /* The last row without a line break. */
        if (row.count >= SP_CSV_MAX_FIELDS) {
            st = fail(err, errlen, SP_ERR_BADDATA, row_line, "too many fields in a row");
            goto done;
        }
        if (!row_add_field(&row, &b, &row_cap) || !csv_add_row(out, &row, &rows_cap))
            goto nomem;
    }
    goto done;
nomem:
    st = fail(err, errlen, SP_ERR_NOMEM, line, "out of memory");
done:
    free(b.buf);
    row_free(&row);
    if (st != SP_OK)
        sp_csv_free(out);
    return st;
}

void sp_csv_free(sp_csv *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        row_free(&c->rows[i]);
    free(c->rows);
    c->rows = NULL;
    c->count = 0;
}
