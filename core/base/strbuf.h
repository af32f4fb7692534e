/* A growable UTF-8 text buffer, for the report and anything else that builds text. */
#ifndef SP_STRBUF_H
#define SP_STRBUF_H

#include <stddef.h>

typedef struct {
    char *data; /* always NUL-terminated once anything was added */
    size_t len, cap;
    int failed; /* an allocation failed: the text is incomplete */
} sp_strbuf;

void sp_strbuf_add(sp_strbuf *b, const char *s);
void sp_strbuf_addf(sp_strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Adds s with &, <, >, " and ' escaped for HTML text and attribute values. */
void sp_strbuf_add_html(sp_strbuf *b, const char *s);
/* Hands the text over (NULL after a failed allocation); the buffer is empty afterwards. */
char *sp_strbuf_take(sp_strbuf *b);
void sp_strbuf_free(sp_strbuf *b);

#endif
