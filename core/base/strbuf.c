/* A growable UTF-8 text buffer, for the report and anything else that builds text. */
#include "core/base/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(sp_strbuf *b, size_t more)
{
    size_t cap;
    char *d;
    if (b->failed)
        return 0;
    if (b->len + more + 1 <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    if (!(d = realloc(b->data, cap))) {
        b->failed = 1;
        return 0;
    }
    b->data = d;
    b->cap = cap;
    return 1;
}

static void add_n(sp_strbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sp_strbuf_add(sp_strbuf *b, const char *s)
{
    if (s)
        add_n(b, s, strlen(s));
}

void sp_strbuf_addf(sp_strbuf *b, const char *fmt, ...)
{
    va_list ap, copy;
    int n;
    va_start(ap, fmt);
    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n >= 0 && reserve(b, (size_t)n)) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void sp_strbuf_add_html(sp_strbuf *b, const char *s)
{
    const char *run = s;
    if (!s)
        return;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        }
        if (rep) {
            add_n(b, run, (size_t)(s - run));
            sp_strbuf_add(b, rep);
            run = s + 1;
        }
    }
    add_n(b, run, (size_t)(s - run));
}

char *sp_strbuf_take(sp_strbuf *b)
{
    char *d = b->failed ? NULL : b->data;
    if (b->failed)
        free(b->data);
    else if (!d)
        d = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
    return d;
}

void sp_strbuf_free(sp_strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
